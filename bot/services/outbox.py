"""Queue messages for delivery: a row in the outbox, in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.models import Conversation, OutboxMessage, User, utcnow

# Categories a user may mute with "ปิดการแจ้งเตือน"; reminders for their own sign-ups are never muted.
MUTABLE_CATEGORIES = ("announcement",)
REMINDERS_OFF = "activity_reminder"
"""In a user's muted_categories: no reminders before the activities they signed up for (nothing else changes)."""


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
        claimed_by=claimed_by, claimed_at=utcnow() if claimed_by else None, recipient=push_recipient(kind, to),
        **extra,
    )
    session.add(row)
    session.flush()
    return row


def push_recipient(kind: str, to: list[str]) -> str | None:
    """The outbox's ``recipient`` column: a push's one recipient (pushed.last_push looks it up)."""
    return str(to[0]) if kind == "push" and to else None


def sending_values(*, kind: str, to: list[str], messages: list[dict[str, Any]], category: str, claimed_by: str,
                   reply_token: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The outbox row of a send this process will make right after the commit, for `insert_sending`."""
    at = now or utcnow()
    return {"kind": kind, "to": list(to), "messages": list(messages), "category": category,
            "reply_token": reply_token, "retry_key": new_retry_key(), "status": "sending", "attempts": 0,
            "due_at": at, "claimed_by": claimed_by, "claimed_at": at, "created_at": at}


def insert_sending(session: Session, rows: list[dict[str, Any]]) -> list[OutboxMessage]:
    """Insert these rows (from `sending_values`) in one statement; returns them with their ids, in order.

    Without the ORM's unit of work (this runs for every reply): the returned rows are not attached to
    the session, they only carry what the sender needs.
    """
    if not rows:
        return []
    ids = dict(session.execute(_INSERT_RETURNING_ID, rows).all())
    return [OutboxMessage(id=ids[values["retry_key"]], **values) for values in rows]


# Built once: SQLAlchemy then reuses its compiled form and cache key instead of rebuilding per reply.
# Many rows are one INSERT … VALUES (…), (…) … RETURNING on both stores. Each id comes back beside its
# row's retry key (new and unique), so the order of the returned rows does not matter: asking
# SQLAlchemy to keep the rows' order made it send one INSERT per row on SQLite.
_INSERT_RETURNING_ID = insert(OutboxMessage.__table__).returning(OutboxMessage.__table__.c.retry_key,
                                                                 OutboxMessage.__table__.c.id)


def enqueue_push(session: Session, user: User, messages: list[dict[str, Any]], *, category: str,
                 dedupe_key: str | None = None, due_at: datetime | None = None,
                 **extra: Any) -> OutboxMessage | None:
    """Queue a push to one user; nothing is queued for users who blocked the bot or muted the category.

    Whether it carries "กลับไปทำต่อ" is decided when it is sent (`with_way_back`), not here."""
    if not user.is_active:
        return None
    if category in MUTABLE_CATEGORIES and category in (user.muted_categories or []):
        return None
    return enqueue(session, kind="push", to=[user.line_user_id], messages=messages, category=category,
                   dedupe_key=dedupe_key, due_at=due_at, **extra)


def reaches_one_to_one(session: Session, user: User) -> bool:
    """Whether a push reaches the person's one-to-one chat with the bot: they have one (they added the bot as a
    friend, or wrote to it there) and have not blocked the bot. Someone met only in a group has none."""
    if not user.is_active:
        return False
    return session.scalar(select(Conversation.id).where(Conversation.line_user_id == user.line_user_id,
                                                        Conversation.chat_key == user.line_user_id)) is not None


def push_privately(session: Session, user: User, messages: list[dict[str, Any]], *, category: str,
                   dedupe_key: str | None = None) -> bool:
    """What must not be shown in a group (a check-in code), pushed to the person's one-to-one chat instead;
    False when it cannot reach them there (`reaches_one_to_one`): then they are asked to open that chat."""
    if not reaches_one_to_one(session, user):
        return False
    enqueue_push(session, user, messages, category=category, dedupe_key=dedupe_key)
    return True


RESUME_ACTION = "flow.again"
RESUME_LABEL = "กลับไปทำต่อ"


def mid_journey(session: Session, line_user_ids: Iterable[str], now: datetime) -> set[str]:
    """Those of these people answering a step in their own chat with the bot at `now` (not timed out);
    one read per 500 people."""
    ids = list(dict.fromkeys(line_user_ids))
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(Conversation.line_user_id, Conversation.expires_at)
            .where(Conversation.line_user_id.in_(ids[i:i + 500]), Conversation.chat_key == Conversation.line_user_id,
                   Conversation.step.is_not(None))
        )
        found.update(uid for uid, expires_at in rows if expires_at is None or expires_at > now)
    return found


def _is_way_back(item: dict[str, Any]) -> bool:
    action = item.get("action") or {}
    return action.get("type") == "postback" and action.get("data") == RESUME_ACTION


def with_way_back(messages: list[dict[str, Any]], mid_journey: bool) -> list[dict[str, Any]]:
    """A push as it is sent. One that lands mid-journey hides the step's chips (LINE shows the last message's
    only), so its last message carries one back to the step; otherwise none (a row queued before this was
    decided at send time may carry one). The messages given are not changed."""
    if not messages:
        return messages
    from bot import replies

    last = messages[-1]
    items = list((last.get("quickReply") or {}).get("items") or [])
    kept = [item for item in items if not _is_way_back(item)]
    if mid_journey and len(kept) < replies.MAX_QUICK_ITEMS:
        kept.insert(0, replies.quick_postback(RESUME_LABEL, RESUME_ACTION, RESUME_LABEL))
    if kept == items:
        return messages
    if kept:
        last = {**last, "quickReply": {"items": kept}}
    else:
        last = {key: value for key, value in last.items() if key != "quickReply"}
    return [*messages[:-1], last]
