"""Reaching a person: "ติดต่อเจ้าหน้าที่" for residents, the "ตอบกลับ" button for staff."""

from __future__ import annotations

import re

from bot import replies
from bot.context import Ctx
from bot.dispatcher import on_command, on_postback, starts_flow
from bot.flows import contact as _flows  # noqa: F401 - registers the flows
from bot.services import contact
from bot.services.errors import ServiceError

CONTACT_STAFF = (r"(?:ขอ|อยาก)?\s*(?:ติดต่อ|คุย(?:กับ)?|สอบถาม|ถาม|ปรึกษา|แจ้ง|ส่งข้อความ(?:ถึง)?)\s*"
                 r"(?:เจ้าหน้าที่|จนท\.?|แอดมิน|admin|คนจริง|คน)\s*(?:หน่อย|ได้ไหม|ได้มั้ย)?\s*(?:ค่ะ|คะ|ครับ|นะ|จ้า)*")


@on_command(CONTACT_STAFF)
def contact_staff(ctx: Ctx, _: re.Match[str]) -> None:
    ctx.start_flow("contact_staff")


@on_postback(contact.REPLY_ACTION)
@starts_flow
def answer_button(ctx: Ctx, args: dict[str, str]) -> None:
    try:
        resident = contact.resident_for_answer(ctx.session, ctx.user, args.get("u"))
    except ServiceError as exc:
        ctx.reply(replies.text(exc.message_th))
        return
    ctx.start_flow("contact_answer", resident_id=resident.id, resident_name=contact.name_of(resident))
