"""Residents' side of what the bot sends unasked: mute/unmute announcements, answer a follow-up rating."""

from __future__ import annotations

from typing import Any

from bot import replies
from bot.context import Ctx
from bot.dispatcher import on_command, on_postback
from bot.flows import engine
from bot.flows.engine import Flow, Step, register_flow
from bot.services import reminders
from bot.services.outbox import MUTABLE_CATEGORIES

MUTED = ("ปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ 🔕\n"
         "ยังได้รับการเตือนกิจกรรมที่คุณสมัครไว้ และเรื่องโครงการของคุณตามเดิมนะคะ\n"
         "เปิดอีกครั้งได้ทุกเมื่อ พิมพ์ “เปิดการแจ้งเตือน” ค่ะ")
ALREADY_MUTED = "ปิดการแจ้งเตือนข่าวประกาศไว้อยู่แล้วค่ะ การเตือนกิจกรรมที่คุณสมัครยังส่งตามเดิมนะคะ"
UNMUTED = "เปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ 🔔 จะได้รับข่าวจากชุมชนตามเดิมนะคะ"
ALREADY_ON = "การแจ้งเตือนข่าวประกาศเปิดอยู่แล้วค่ะ"
ASK_COMMENT = "ขอบคุณสำหรับ {stars} ค่ะ 🙏\nอยากเล่าเพิ่มไหมคะ ชอบอะไร หรืออยากให้ปรับอะไร พิมพ์มาได้เลย หรือแตะ “ข้าม” ค่ะ"


def _muted(ctx: Ctx) -> list[str]:
    return list(ctx.user.muted_categories or []) if ctx.user else []


@on_command(r"(?:ขอ)?(?:ปิด|หยุด|ยกเลิก|ไม่(?:ต้อง|อยาก)?รับ|ไม่เอา)(?:การ)?(?:แจ้งเตือน|ข่าว)(?:ข่าว)?(?:ประกาศ)?"
            r"(?:แล้ว)?(?:ค่ะ|คะ|ครับ|นะ)*")
def mute(ctx: Ctx, _match: Any) -> None:
    if ctx.user is None:
        return
    current = _muted(ctx)
    if all(c in current for c in MUTABLE_CATEGORIES):
        ctx.reply(replies.text(ALREADY_MUTED, quick=[replies.quick_message("เปิดการแจ้งเตือน")]))
        return
    ctx.user.muted_categories = sorted(set(current) | set(MUTABLE_CATEGORIES))
    ctx.reply(replies.text(MUTED, quick=[replies.quick_message("เปิดการแจ้งเตือน"), replies.quick_message("เมนู")]))


@on_command(r"เปิด(?:การ)?แจ้งเตือน(?:ข่าว)?(?:ประกาศ)?(?:ค่ะ|คะ|ครับ|นะ)*")
def unmute(ctx: Ctx, _match: Any) -> None:
    if ctx.user is None:
        return
    current = _muted(ctx)
    if not any(c in current for c in MUTABLE_CATEGORIES):
        ctx.reply(replies.text(ALREADY_ON))
        return
    ctx.user.muted_categories = [c for c in current if c not in MUTABLE_CATEGORIES]
    ctx.reply(replies.text(UNMUTED, quick=[replies.quick_message("เมนู")]))


# --- after-activity rating -----------------------------------------------------------------------

@register_flow
class FeedbackCommentFlow(Flow):
    """One optional comment after a star rating (the rating itself is already stored)."""

    name = "activity_feedback"
    title = "เล่าความประทับใจกิจกรรม"
    steps = (
        Step("comment", ask=lambda ctx: ASK_COMMENT.format(stars=engine.data(ctx).get("stars_th", "คะแนน")),
             parse=engine.free_text(max_len=1000), skippable=True),
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        if data.get("comment"):
            reminders.record_feedback(ctx.session, ctx.user, data["activity_id"], data["rating"], data["comment"],
                                      now=ctx.now)
            ctx.reply(replies.text("บันทึกความเห็นแล้วค่ะ ขอบคุณมากนะคะ 💚 ทีมงานจะนำไปปรับกิจกรรมครั้งต่อไปค่ะ"))
        else:
            ctx.reply(replies.text("ขอบคุณค่ะ ไว้พบกันในกิจกรรมครั้งหน้านะคะ 💚"))


@on_postback("feedback.rate")
def rate(ctx: Ctx, args: dict[str, str]) -> None:
    if ctx.user is None:
        return
    row = reminders.record_feedback(ctx.session, ctx.user, args.get("a", ""), args.get("r", ""), now=ctx.now)
    ctx.start_flow("activity_feedback", activity_id=row.activity_id, rating=row.rating,
                   stars_th=f"{row.rating} ดาว")
