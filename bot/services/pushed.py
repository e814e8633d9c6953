"""What the bot or staff last pushed to someone, so the words typed right after it can be read as its answer.

A push arrives between a question the person was answering and their next message; "ไปไม่ได้แล้วค่ะ" typed
then is about the reminder, not the question. These rules say which push, and what it was about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import OutboxMessage

REPLY_WINDOW = timedelta(days=1)
"""How long after a push a message may still be its answer."""
STAFF_ANSWER_WINDOW = timedelta(hours=2)
"""How long after staff's answer a message no request reads is offered to them as its follow-up (later, the
answer's "ตอบกลับเจ้าหน้าที่" chip, or "ถามเจ้าหน้าที่" under "ยังไม่แน่ใจ…", still sends it)."""

SEAT_WORDS = "มีที่ว่างแล้ว"
STAFF_ANSWER_HEAD = "💬 คำตอบจากเจ้าหน้าที่"
REVISION_WORDS = "ขอให้ปรับแก้"


@dataclass(frozen=True)
class Pushed:
    """One push as its answer needs it: what about (kind), which activity or idea, and when it arrived."""

    kind: str
    """reminder, seat (a waitlist place came free), activity_change, idea_status, revision (an idea sent back
    to its submitter), staff_answer, other."""
    sent_at: datetime
    activity_id: int | None = None
    idea_id: int | None = None


def _text_of(row: OutboxMessage) -> str:
    return "\n".join(str(m.get("text") or m.get("altText") or "") for m in row.messages or [] if isinstance(m, dict))


def _idea_id(dedupe_key: str | None) -> int | None:
    found = re.match(r"idea:(\d+):", dedupe_key or "")
    return int(found[1]) if found else None


def _kind(row: OutboxMessage, text: str) -> str:
    if row.category == "reminder":
        return "reminder"
    if row.category == "activity_change":
        return "seat" if SEAT_WORDS in text else "activity_change"
    if row.category == "idea_status":
        return "revision" if REVISION_WORDS in text else "idea_status"
    if row.category == "contact" and text.startswith(STAFF_ANSWER_HEAD):
        return "staff_answer"
    return "other"


def last_push(session: Session, line_user_id: str, since: datetime, now: datetime) -> Pushed | None:
    """The newest push that reached this person after `since` (and within REPLY_WINDOW of `now`), if any.

    Read by the outbox's ``recipient`` (its index holds pushes only, newest sent last), not by scanning
    recipient lists. Pushes sent more than a day before migration 0011 have none (and are past the window)."""
    since = max(since, now - REPLY_WINDOW)
    row = session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == line_user_id, OutboxMessage.sent_at > since,
               OutboxMessage.status == "sent", OutboxMessage.kind == "push", OutboxMessage.due_at <= now)
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(1)
    )
    if row is None or row.sent_at is None:
        return None
    return Pushed(_kind(row, _text_of(row)), row.sent_at, row.activity_id, _idea_id(row.dedupe_key))


def asked_at(expires_at: datetime | None, timeout: timedelta, now: datetime) -> datetime:
    """When an open journey's question was asked (its time-out counts from then)."""
    return expires_at - timeout if expires_at is not None else now - REPLY_WINDOW
