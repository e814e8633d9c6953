"""A resident's message to the staff, and a staff member's answer: pushed both ways, and kept (with
whether it was answered) so staff can see what still waits; "ลบข้อมูลของฉัน" deletes them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import postback, replies
from bot.services import communities, users
from bot.services.errors import ServiceError
from bot.services.outbox import enqueue_push
from bot.thaidate import THAI_DIGITS, format_datetime
from storage.models import Broadcast, ContactMessage, User, utcnow

MAX_TEXT = 1000
ANNOUNCE_PREFIX = "📣 ขอให้ช่วยประกาศถึง"
"""How the staff inbox shows a kept request to announce: the prefix, the community's name, ": ", the text."""
ANNOUNCE_ACTION = "broadcast.request"
NO_COMMUNITY = "ขอทราบชุมชนของคุณก่อนค่ะ พิมพ์ “เปลี่ยนชุมชน” แล้วเลือกชุมชน จากนั้นขอให้ช่วยประกาศได้เลยนะคะ"
REPLY_ACTION = "contact.reply"
FOLLOW_UP_ACTION = "contact.follow_up"
"""The resident's "ตอบกลับเจ้าหน้าที่" under staff's answer: what they write goes as a follow-up of it."""


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError("empty_message", "ยังไม่เห็นข้อความเลยค่ะ พิมพ์สิ่งที่อยากบอกได้เลยนะคะ")
    if len(text) > MAX_TEXT:
        raise ServiceError("message_too_long", f"ข้อความยาวเกินไปค่ะ ขอไม่เกิน {MAX_TEXT:,} ตัวอักษรนะคะ")
    return text


def name_of(user: User, unnamed: str = "ผู้ใช้") -> str:
    """How the other side is addressed: "คุณมาลี", or `unnamed` when LINE gave no name."""
    if not user.display_name:
        return unnamed
    name = user.display_name.strip()
    return name if name.startswith("คุณ") else f"คุณ{name}"  # "คุณแม่มาลี" stays as it is


def before_thai(name: str) -> str:
    """A name with a space after it when it ends in Latin letters or digits ("คุณ qa-x2 แล้วค่ะ"), as Thai
    writing does; a Thai name runs on ("คุณมาลีแล้วค่ะ")."""
    return name if not name or "\u0e00" <= name[-1] <= "\u0e7f" else f"{name} "


def ask_staff(session: Session, user: User, text: str, now: datetime, follow_up: bool = False) -> int:
    """Push the message to every staff member, with a button to answer; returns the kept message's id.
    follow_up: written back right after a staff answer (said so, with that answer)."""
    text = _clean(text)
    community = communities.get(session, user.community_id)
    where = f" ({community.name})" if community else ""
    sender = name_of(user, "ผู้ใช้ไม่ระบุชื่อ")
    answered = last_answer(session, user) if follow_up else None
    head = (f"💬 ข้อความต่อจาก{sender}{where} ตอบคำตอบของเจ้าหน้าที่ “{answered.answer[:100]}”"
            if answered is not None and answered.answer else f"💬 ข้อความถึงเจ้าหน้าที่จาก{sender}{where}")
    body = f"{head}\n“{text}”\nส่งเมื่อ {format_datetime(now)}"
    return _to_staff(session, user, text, body, lambda _kept: [answer_chip(user)], now).id


def ask_for_announcement(session: Session, user: User, text: str, now: datetime) -> int:
    """Ask the staff to announce this to the sender's community (only staff broadcast): kept and pushed
    like a message, with a button to answer and one to write the announcement; returns the kept request's id."""
    text = _clean(text)
    community = communities.get(session, user.community_id)
    if community is None:
        raise ServiceError("no_community", NO_COMMUNITY)
    sender = name_of(user, "ผู้ใช้ไม่ระบุชื่อ")
    who = f"{sender} แกนนำชุมชน" if user.role == "leader" else sender
    body = (f"📣 คำขอให้ช่วยประกาศถึง{community.name}\nจาก{who}\n“{text}”\n"
            f"ส่งเมื่อ {format_datetime(now)}")

    def chips(kept: ContactMessage) -> list[dict[str, Any]]:
        return [answer_chip(user), announce_chip(kept.id)]

    kept = _to_staff(session, user, f"{ANNOUNCE_PREFIX}{community.name}: {text}", body, chips, now,
                     announce=(community.id, text))
    return kept.id


class AnnouncementRequest(NamedTuple):
    message_id: int
    text: str
    community: Any
    asked_at: datetime
    """When the leader wrote it: "พรุ่งนี้" in it means the day after this."""


def announcement_request(session: Session, message_id: object) -> AnnouncementRequest:
    """What a leader asked staff to announce, and to which community (as kept with the request)."""
    kept = session.get(ContactMessage, int(message_id)) if str(message_id or "").isdigit() else None
    community = (communities.get(session, kept.announce_community_id)
                 if kept is not None and kept.announce_community_id is not None else None)
    if kept is None or community is None or not kept.announce_text:
        raise ServiceError("request_gone", "ไม่พบคำขอประกาศนี้แล้วค่ะ อาจถูกลบไปแล้ว "
                                           "พิมพ์ “เขียนประกาศ” เพื่อเขียนเองได้เลยนะคะ")
    if kept.withdrawn_at is not None:
        raise ServiceError("request_withdrawn", f"ผู้ขอถอนคำขอประกาศนี้แล้วเมื่อ {format_datetime(kept.withdrawn_at)} "
                                                "จึงไม่ต้องประกาศค่ะ")
    return AnnouncementRequest(kept.id, kept.announce_text, community, kept.created_at)


WITHDRAW_REQUEST_ACTION = "contact.withdraw"
WITHDRAW_REQUEST_LABEL = "ถอนคำขอประกาศ"


def withdrawn_at(session: Session, message_id: object) -> datetime | None:
    """When the sender took this request to announce back, if they did."""
    kept = session.get(ContactMessage, int(message_id)) if str(message_id or "").isdigit() else None
    return kept.withdrawn_at if kept is not None else None


def open_announcement_request(session: Session, user: User, message_id: object = None) -> ContactMessage:
    """The sender's request to announce that staff have not acted on yet: this one, or their latest."""
    query = select(ContactMessage).where(ContactMessage.user_id == user.id, ContactMessage.announce_text.is_not(None))
    if message_id is not None:
        kept = session.scalar(query.where(ContactMessage.id == (int(message_id) if str(message_id).isdigit() else -1)))
        if kept is None:
            raise ServiceError("request_gone", "ไม่พบคำขอประกาศนี้แล้วค่ะ อาจถูกลบไปแล้วนะคะ")
        if kept.withdrawn_at is not None:
            raise ServiceError("request_withdrawn", "คำขอประกาศนี้ถอนไปแล้วค่ะ")
        scheduled = scheduled_for_request(session, kept)
        if scheduled is not None:
            raise ServiceError("request_scheduled", _scheduled_note(scheduled))
        if kept.answered_at is not None:
            raise ServiceError("request_answered", "เจ้าหน้าที่ดำเนินการกับคำขอนี้แล้วค่ะ จึงถอนไม่ได้ "
                                                   "ถ้าต้องการแก้ไขประกาศ พิมพ์ “ติดต่อเจ้าหน้าที่” ได้เลยนะคะ")
        return kept
    kept = session.scalar(query.where(ContactMessage.answered_at.is_(None), ContactMessage.withdrawn_at.is_(None))
                          .order_by(ContactMessage.created_at.desc(), ContactMessage.id.desc()).limit(1))
    if kept is None:
        latest = session.scalar(query.where(ContactMessage.answered_at.is_not(None))
                                .order_by(ContactMessage.answered_at.desc(), ContactMessage.id.desc()).limit(1))
        scheduled = scheduled_for_request(session, latest) if latest is not None else None
        if scheduled is not None:
            raise ServiceError("request_scheduled", _scheduled_note(scheduled))
        raise ServiceError("no_open_request", "ตอนนี้ไม่มีคำขอประกาศที่รอเจ้าหน้าที่อยู่ค่ะ")
    return kept


def scheduled_for_request(session: Session, kept: ContactMessage) -> Broadcast | None:
    """The announcement staff scheduled from this request and that has not gone out yet, if any (written by
    the staff member who answered it, at the moment it was answered: see request_announced)."""
    if kept.answered_at is None or kept.announce_community_id is None:
        return None
    return session.scalar(select(Broadcast).where(
        Broadcast.status == "scheduled", Broadcast.created_by_user_id == kept.answered_by_user_id,
        Broadcast.created_at == kept.answered_at, Broadcast.audience_kind == "community",
        Broadcast.audience_value == str(kept.announce_community_id)).limit(1))


def _scheduled_note(row: Broadcast) -> str:
    """For a leader who wants to take back a request staff have already scheduled: the announcement is the
    staff's now (they may have edited it), so only they stop it; how to ask them."""
    return (f"เจ้าหน้าที่ตั้งเวลาส่งประกาศที่คุณขอไว้แล้วค่ะ จะส่ง {format_datetime(row.scheduled_at)} "
            "จึงถอนคำขอเองไม่ได้แล้ว ถ้าไม่ต้องการให้ส่ง พิมพ์ “ติดต่อเจ้าหน้าที่” แล้วขอให้เจ้าหน้าที่ยกเลิก"
            f"ประกาศ #{row.id} ได้เลยนะคะ")


def withdraw_announcement_request(session: Session, user: User, message_id: object, now: datetime) -> ContactMessage:
    """The sender takes the request back while staff have not acted on it: it leaves the staff inbox, its
    button says so, and the staff are told."""
    kept = open_announcement_request(session, user, message_id)
    kept.withdrawn_at = now
    community = communities.get(session, kept.announce_community_id)
    where = community.name if community else "ชุมชน"
    body = (f"↩️ {name_of(user, 'ผู้ใช้ไม่ระบุชื่อ')}ถอนคำขอให้ช่วยประกาศถึง{before_thai(where)}แล้วค่ะ ไม่ต้องประกาศนะคะ\n"
            f"“{kept.announce_text}”")
    for member in users.staff_users(session):
        if member.id != user.id:
            enqueue_push(session, member, [replies.text(body)], category="contact")
    return kept


def _to_staff(session: Session, user: User, kept: str, body: str,
              chips: Callable[[ContactMessage], list[dict[str, Any]]], now: datetime,
              announce: tuple[int, str] | None = None) -> ContactMessage:
    """Keep the message (the staff inbox) and push it to every staff member, with the chips made for the
    kept message; returns it. announce: (community id, text) of a request to announce."""
    if not user.has_consented:
        raise ServiceError("consent_required", "การส่งข้อความถึงเจ้าหน้าที่ต้องให้ความยินยอมเรื่องข้อมูลก่อนค่ะ "
                                               "พิมพ์ “ยินยอม” ได้เลยนะคะ")
    staff = [member for member in users.staff_users(session) if member.id != user.id]
    if not staff:
        raise ServiceError("no_staff", "ขออภัยค่ะ ตอนนี้ยังไม่มีเจ้าหน้าที่ในระบบที่จะรับข้อความได้ "
                                       "ลองติดต่อสำนักงานเขตโดยตรงนะคะ")
    message = ContactMessage(user_id=user.id, text=kept, created_at=now,
                             announce_community_id=announce[0] if announce else None,
                             announce_text=announce[1] if announce else None)
    session.add(message)
    session.flush()
    quick = chips(message)
    for member in staff:
        enqueue_push(session, member, [replies.text(body, quick=quick)], category="contact")
    return message


def resident_for_answer(session: Session, staff: User | None, user_id: object) -> User:
    """The resident a staff member answers (checked before they type the answer)."""
    if staff is None or not staff.is_staff:
        raise ServiceError("staff_only", "ส่วนนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ")
    resident = session.get(User, int(user_id)) if str(user_id or "").isdigit() else None
    if resident is None or not resident.is_active:
        raise ServiceError("resident_gone", "ผู้ใช้คนนี้ไม่ได้เป็นเพื่อนกับบัญชีแล้ว จึงส่งคำตอบไม่ได้ค่ะ")
    return resident


def answer_chip(user: User, label: str = "ตอบกลับ") -> dict[str, Any]:
    """The chip staff tap to answer this person."""
    sender = name_of(user, "ผู้ใช้ไม่ระบุชื่อ")
    return replies.quick_postback(label[:replies.MAX_LABEL], postback.encode(REPLY_ACTION, u=user.id),
                                  f"ตอบกลับ{sender}"[:300])


def waiting(session: Session, limit: int = 10) -> list[tuple[ContactMessage, User]]:
    """Messages no staff member has answered yet, oldest first, with their senders."""
    return [tuple(row) for row in session.execute(
        select(ContactMessage, User).join(User, User.id == ContactMessage.user_id)
        .where(ContactMessage.answered_at.is_(None), ContactMessage.withdrawn_at.is_(None))
        .order_by(ContactMessage.created_at, ContactMessage.id).limit(limit))]


INBOX_SHOWN = 10
"""How many waiting messages the staff inbox ("ข้อความรอตอบ") lists, numbered from 1."""
RECENT_SENDERS = 50
"""How far back (messages) a name typed after "ตอบ" is looked for, besides those still waiting."""
_AFTER_NAME = re.compile(r"^[\s,:;–\-]*(?:ว่า\s*)?")


class Addressed(NamedTuple):
    """Who "ตอบคุณมาลี …" / "ตอบ 2 …" names, and the answer typed after (empty when none)."""

    residents: list[User]
    answer: str


def _name_pattern(user: User) -> re.Pattern[str] | None:
    """"มาลี", "คุณมาลี", "คุณ มาลี", "L1", "คุณl1": the name as the inbox shows it, spaces and case aside."""
    name = re.sub(r"^คุณ\s*", "", (user.display_name or "").strip())
    if not name:
        return None
    letters = r"\s*".join(re.escape(char) for char in name if not char.isspace())
    return re.compile(rf"(?:คุณ\s*)?{letters}", re.IGNORECASE)


def addressed(session: Session, said: str) -> Addressed | None:
    """Whom staff answer by typing what the inbox shows: the message's number there ("ตอบ 1", "ตอบ๑") or
    the sender's name ("ตอบคุณL1", "ตอบ คุณมาลี …"; the longest name that fits, among those waiting first,
    then other recent senders). Several people of that name: all of them; None when no one fits."""
    said = (said or "").strip()
    plain = said.translate(THAI_DIGITS)  # one character for one: positions in it are positions in `said`
    number = re.match(r"(?:ข้อ(?:ความ)?(?:ที่)?\s*)?(\d{1,2})(?!\d)", plain)
    if number:
        rows = waiting(session, limit=INBOX_SHOWN)
        index = int(number[1])
        if not 1 <= index <= len(rows):
            return None
        return Addressed([rows[index - 1][1]], _AFTER_NAME.sub("", said[number.end():]).strip())
    senders = [user for _, user in waiting(session, limit=INBOX_SHOWN)]
    senders += session.scalars(select(User).join(ContactMessage, ContactMessage.user_id == User.id)
                               .order_by(ContactMessage.created_at.desc()).limit(RECENT_SENDERS)).all()
    best, found = 0, {}
    for user in dict.fromkeys(senders):
        pattern = _name_pattern(user)
        match = pattern.match(plain) if pattern else None
        if match is None or match.end() < best:
            continue
        if match.end() > best:
            best, found = match.end(), {}
        found[user.id] = user
    if not found:
        return None
    return Addressed(list(found.values()), _AFTER_NAME.sub("", said[best:]).strip())


def latest_waiting_request(session: Session) -> ContactMessage | None:
    """The newest request to announce that no staff member has acted on and its sender has not taken back."""
    return session.scalar(select(ContactMessage).where(
        ContactMessage.announce_text.is_not(None), ContactMessage.answered_at.is_(None),
        ContactMessage.withdrawn_at.is_(None)).order_by(ContactMessage.created_at.desc(), ContactMessage.id.desc())
        .limit(1))


def announce_chip(message_id: int, label: str = "ประกาศข้อความนี้") -> dict[str, Any]:
    """The chip staff tap to announce a leader's request (the request's text and community filled in)."""
    return replies.quick_postback(label[:replies.MAX_LABEL], postback.encode(ANNOUNCE_ACTION, m=message_id),
                                  "ประกาศข้อความนี้")


def last_answer(session: Session, resident: User) -> ContactMessage | None:
    """The resident's message staff answered last, if any."""
    return session.scalar(select(ContactMessage).where(ContactMessage.user_id == resident.id,
                                                       ContactMessage.answered_at.is_not(None))
                          .order_by(ContactMessage.answered_at.desc(), ContactMessage.id.desc()).limit(1))


def answered_meanwhile(session: Session, resident: User) -> ContactMessage | None:
    """When nothing of the resident's waits any more, their last answered message (who answered, and what)."""
    newest = session.scalar(select(ContactMessage).where(ContactMessage.user_id == resident.id)
                            .order_by(ContactMessage.answered_at.is_(None).desc(),
                                      ContactMessage.answered_at.desc()).limit(1))
    return newest if newest is not None and newest.answered_at is not None else None


def answer_resident(session: Session, staff: User | None, user_id: object, text: str,
                    now: datetime | None = None) -> User:
    """Push a staff member's answer to the resident, who may write back the same way; the resident's
    waiting messages count as answered."""
    resident = resident_for_answer(session, staff, user_id)
    text = _clean(text)
    session.execute(update(ContactMessage)
                    .where(ContactMessage.user_id == resident.id, ContactMessage.answered_at.is_(None),
                           ContactMessage.withdrawn_at.is_(None))
                    .values(answered_at=now or utcnow(), answered_by_user_id=staff.id, answer=text))
    _push_answer(session, resident, text)
    return resident


def request_announced(session: Session, staff: User | None, message_id: int, text: str,
                      now: datetime | None = None) -> None:
    """A leader's request was announced: that request (only) counts as answered, and the leader is told."""
    kept = session.get(ContactMessage, message_id)
    if kept is None or kept.withdrawn_at is not None:
        return  # gone, or taken back meanwhile: the announcement stands as staff's own, the sender is not told
    resident = resident_for_answer(session, staff, kept.user_id)
    session.execute(update(ContactMessage).where(ContactMessage.id == kept.id, ContactMessage.answered_at.is_(None))
                    .values(answered_at=now or utcnow(), answered_by_user_id=staff.id, answer=text))
    _push_answer(session, resident, text)


def _push_answer(session: Session, resident: User, text: str) -> None:
    enqueue_push(session, resident, [replies.text(
        f"💬 คำตอบจากเจ้าหน้าที่ค่ะ\n{text}",
        quick=[replies.quick_postback("ตอบกลับเจ้าหน้าที่", postback.encode(FOLLOW_UP_ACTION), "ตอบกลับเจ้าหน้าที่"),
               replies.quick_message("เมนู")],
    )], category="contact")
