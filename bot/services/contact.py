"""A resident's message to the staff, and a staff member's answer: pushed both ways, nothing else kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import postback, replies
from bot.services import communities, users
from bot.services.errors import ServiceError
from bot.services.outbox import enqueue_push
from bot.thaidate import format_datetime
from storage.models import User

MAX_TEXT = 1000
REPLY_ACTION = "contact.reply"


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError("empty_message", "ยังไม่เห็นข้อความเลยค่ะ พิมพ์สิ่งที่อยากบอกได้เลยนะคะ")
    if len(text) > MAX_TEXT:
        raise ServiceError("message_too_long", f"ข้อความยาวเกินไปค่ะ ขอไม่เกิน {MAX_TEXT:,} ตัวอักษรนะคะ")
    return text


def name_of(user: User, unnamed: str = "ผู้ใช้") -> str:
    """How the other side is addressed: "คุณมาลี", or `unnamed` when LINE gave no name."""
    return f"คุณ{user.display_name}" if user.display_name else unnamed


def ask_staff(session: Session, user: User, text: str, now: datetime) -> int:
    """Push the message to every staff member, with a button to answer; returns how many it reached."""
    if not user.has_consented:
        raise ServiceError("consent_required", "การส่งข้อความถึงเจ้าหน้าที่ต้องให้ความยินยอมเรื่องข้อมูลก่อนค่ะ "
                                               "พิมพ์ “ยินยอม” ได้เลยนะคะ")
    text = _clean(text)
    staff = [member for member in users.staff_users(session) if member.id != user.id]
    if not staff:
        raise ServiceError("no_staff", "ขออภัยค่ะ ตอนนี้ยังไม่มีเจ้าหน้าที่ในระบบที่จะรับข้อความได้ "
                                       "ลองติดต่อสำนักงานเขตโดยตรงนะคะ")
    community = communities.get(session, user.community_id)
    where = f" ({community.name})" if community else ""
    sender = name_of(user, "ผู้ใช้ไม่ระบุชื่อ")
    body = f"💬 ข้อความถึงเจ้าหน้าที่จาก{sender}{where}\n“{text}”\nส่งเมื่อ {format_datetime(now)}"
    answer = replies.quick_postback("ตอบกลับ", postback.encode(REPLY_ACTION, u=user.id), f"ตอบกลับ{sender}"[:300])
    reached = 0
    for member in staff:
        if enqueue_push(session, member, [replies.text(body, quick=[answer])], category="contact"):
            reached += 1
    return reached


def resident_for_answer(session: Session, staff: User | None, user_id: object) -> User:
    """The resident a staff member answers (checked before they type the answer)."""
    if staff is None or not staff.is_staff:
        raise ServiceError("staff_only", "ส่วนนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ")
    resident = session.get(User, int(user_id)) if str(user_id or "").isdigit() else None
    if resident is None or not resident.is_active:
        raise ServiceError("resident_gone", "ผู้ใช้คนนี้ไม่ได้เป็นเพื่อนกับบัญชีแล้ว จึงส่งคำตอบไม่ได้ค่ะ")
    return resident


def answer_resident(session: Session, staff: User | None, user_id: object, text: str) -> User:
    """Push a staff member's answer to the resident, who may write back the same way."""
    resident = resident_for_answer(session, staff, user_id)
    text = _clean(text)
    enqueue_push(session, resident, [replies.text(
        f"💬 คำตอบจากเจ้าหน้าที่ค่ะ\n{text}",
        quick=[replies.quick_message("ตอบกลับเจ้าหน้าที่", "ติดต่อเจ้าหน้าที่"), replies.quick_message("เมนู")],
    )], category="contact")
    return resident
