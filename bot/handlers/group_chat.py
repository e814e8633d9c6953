"""What the bot says in a LINE group about buttons that belong to another member's journey."""

from __future__ import annotations

from bot import replies, texts
from bot.context import Ctx
from bot.flows import engine
from bot.services.group_chat import ButtonOwner

ASK_IN_GROUP = "ถ้าต้องการให้ช่วยอะไร พิมพ์ “@ร่วมกัน” ตามด้วยเรื่องที่ต้องการได้เลยค่ะ"
YOURS_WAITS = "ส่วนขั้นตอนของคุณเองยังรออยู่ตรงนี้ค่ะ"


def someone_elses_button(ctx: Ctx, owner: ButtonOwner) -> None:
    """A member tapped a button the bot sent for another member's journey: whose it is (nothing of theirs
    changes), and the same thing to start for themselves where there is one; or their own open question again."""
    who = texts.person(owner.display_name)
    flow = engine.get_flow(owner.flow)
    lead = (f"ปุ่มนี้เป็นของ{who or 'สมาชิกอีกท่านในกลุ่ม'}ค่ะ 😊 กดแทนกันไม่ได้นะคะ "
            f"ขั้นตอนของ{who or 'ท่านนั้น'}ยังอยู่เหมือนเดิมค่ะ")
    mine, conv = engine.active_flow(ctx), ctx.conversation
    if mine is not None and conv is not None and conv.step:
        ctx.reply(replies.text(f"{lead}\n{YOURS_WAITS}"))
        engine.ask(ctx, mine, mine.step(conv.step))
        return
    offer = flow.offered_to_others(ctx, owner.data) if flow is not None else None
    if offer is None:
        ctx.reply(replies.text(f"{lead}\n{ASK_IN_GROUP}"))
        return
    said, chip = offer
    ctx.reply(replies.text(f"{lead}\n{said}", quick=[chip]))
