"""The durable outbox (every message the bot sends), staff broadcasts, and scheduler leases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow

OUTBOX_KINDS = ("reply", "push", "multicast", "broadcast", "narrowcast")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "cancelled", "skipped")
CATEGORIES = ("reply", "reminder", "announcement", "idea_status", "activity_change", "hearing", "contact", "system")


class OutboxMessage(Base):
    """One LINE API send; written in the same transaction as the change it reports."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "due_at"),
        Index("ix_outbox_recipient_sent", "recipient", "sent_at", postgresql_where=text("recipient IS NOT NULL"),
              sqlite_where=text("recipient IS NOT NULL")),
        Index("ix_outbox_broadcast_status", "broadcast_id", "status", postgresql_where=text("broadcast_id IS NOT NULL"),
              sqlite_where=text("broadcast_id IS NOT NULL")),  # an announcement's progress and results
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    reply_token: Mapped[str | None] = mapped_column(String(255))
    to: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """Recipients: one id for reply/push, up to 500 for multicast, empty for broadcast."""
    recipient: Mapped[str | None] = mapped_column(String(64))
    """A push's one recipient, set when it is queued, to find the last push to someone by index (replies
    and the other kinds leave it empty, and so the partial index holds pushes only; rows before 0011 too)."""
    messages: Mapped[list[Any]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(20), default="reply")
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    """Set by jobs (e.g. reminder:<signup>:<version>:<offset>) so a job run twice adds nothing."""
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))
    schedule_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class Broadcast(Base):
    """A staff announcement: what, to whom, when, and how many it reached (the audit record)."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_via: Mapped[str] = mapped_column(String(16), default="chat")  # chat, cli
    text: Mapped[str] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(String(1000))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("broadcast_photos.id"))
    """A picture staff sent in the chat (BroadcastPhoto), linked at send time; instead of ``image_url``."""
    link_url: Mapped[str | None] = mapped_column(String(1000))
    link_label: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(20), default="announcement")
    audience_kind: Mapped[str] = mapped_column(String(20))  # all, community, role, activity, waitlist, topic
    audience_value: Mapped[str | None] = mapped_column(String(120))
    scheduled_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled, sending, sent, cancelled
    recipient_count: Mapped[int | None]
    delivered_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)


class SchedulerLease(Base):
    """A named lease so only one scheduler instance fires jobs when several workers run."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
