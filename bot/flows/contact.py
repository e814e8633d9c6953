"""Talking to a person: a resident writes to the staff; a staff member answers one resident."""

from __future__ import annotations

from typing import Any

from bot import replies, texts
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import Flow, Step, register_flow
from bot.services import contact

ASK_MESSAGE = ("พิมพ์ข้อความถึงเจ้าหน้าที่ได้เลยค่ะ (ไม่เกิน 1,000 ตัวอักษร) "
               "เจ้าหน้าที่จะตอบกลับทางแชตนี้นะคะ")
SENT = "ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ ✅ เมื่อเจ้าหน้าที่ตอบ ข้อความจะมาที่แชตนี้นะคะ"


def _ask_answer(ctx: Ctx) -> str:
    data = engine.data(ctx)
    name = data.get("resident_name") or "ผู้ใช้"
    before = f"{data['answered']}\n" if data.get("answered") else ""
    return f"{before}พิมพ์คำตอบถึง{name}ได้เลยค่ะ (ไม่เกิน 1,000 ตัวอักษร)"


@register_flow
class ContactStaffFlow(Flow):
    name = "contact_staff"
    title = "ส่งข้อความถึงเจ้าหน้าที่"
    requires_consent = True  # the message is about the person and is kept (contact_messages) until deleted (PDPA)
    steps = (Step("message", ask=ASK_MESSAGE, parse=engine.free_text(max_len=contact.MAX_TEXT)),)

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        contact.ask_staff(ctx.session, ctx.user, data["message"], ctx.now)
        ctx.reply(texts.menu(ctx.user.role if ctx.user else None, SENT))


@register_flow
class AnswerResidentFlow(Flow):
    name = "contact_answer"
    title = "ตอบข้อความของผู้ใช้"
    steps = (Step("answer", ask=_ask_answer, parse=engine.free_text(max_len=contact.MAX_TEXT)),)

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        resident = contact.answer_resident(ctx.session, ctx.user, data.get("resident_id"), data["answer"], ctx.now)
        ctx.reply(replies.text(f"ส่งคำตอบถึง{contact.name_of(resident)}แล้วค่ะ ✅",
                               quick=[replies.quick_message("เมนู")]))
