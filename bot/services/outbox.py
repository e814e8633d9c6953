"""Queue messages for delivery: a row in the outbox, in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import OutboxMessage, User, utcnow

# Categories a user may mute with "ปิดการแจ้งเตือน"; reminders for their own sign-ups are never muted.
MUTABLE_CATEGORIES = ("announcement",)


def new_retry_key() -> str:
    return str(uuid.uuid4())


def enqueue(session: Session, *, kind: str, to: list[str], messages: list[dict[str, Any]],
            category: str, reply_token: str | None = None, dedupe_key: str | None = None,
            due_at: datetime | None = None, status: str = "pending", claimed_by: str | None = None,
            **extra: Any) -> OutboxMessage | None:
    """Add one send to the outbox; with a dedupe_key already present, add nothing and return None."""
    if dedupe_key is not None:
        exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        if exists is not None:
            return None
    row = OutboxMessage(
        kind=kind, to=list(to), messages=list(messages), category=category, reply_token=reply_token,
        retry_key=new_retry_key(), dedupe_key=dedupe_key, due_at=due_at or utcnow(), status=status,
        claimed_by=claimed_by, claimed_at=utcnow() if claimed_by else None, **extra,
    )
    session.add(row)
    session.flush()
    return row


def enqueue_push(session: Session, user: User, messages: list[dict[str, Any]], *, category: str,
                 dedupe_key: str | None = None, due_at: datetime | None = None,
                 **extra: Any) -> OutboxMessage | None:
    """Queue a push to one user; nothing is queued for users who blocked the bot or muted the category."""
    if not user.is_active:
        return None
    if category in MUTABLE_CATEGORIES and category in (user.muted_categories or []):
        return None
    return enqueue(session, kind="push", to=[user.line_user_id], messages=messages, category=category,
                   dedupe_key=dedupe_key, due_at=due_at, **extra)
