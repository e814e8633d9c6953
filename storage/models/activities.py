"""Activities, sign-ups with waitlist and check-in, and after-activity feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow

SIGNUP_STATUSES = ("confirmed", "waitlisted", "cancelled")


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    place: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    topic: Mapped[str | None] = mapped_column(String(32))
    target_group: Mapped[str | None] = mapped_column(String(32))
    signup_deadline: Mapped[datetime | None]
    fee_baht: Mapped[int | None]
    """What taking part costs each person, in baht (staff type "คนละ 30 บาท"; a sign-up for 3 pays it 3 times): 0 free,
    None not stated (residents are told the card does not say)."""
    status: Mapped[str] = mapped_column(String(16), default="published")  # draft, published, cancelled
    reminder_offsets_min: Mapped[list[Any]] = mapped_column(JSON, default=lambda: [1440, 120])
    schedule_version: Mapped[int] = mapped_column(default=1)
    """Bumped on every reschedule so reminders made for an old time are never sent."""
    followup_sent_at: Mapped[datetime | None]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    signups: Mapped[list[Signup]] = relationship(back_populates="activity", order_by="Signup.id")


class Signup(Base):
    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("activity_id", "user_id", name="uq_signups_activity_user"),
        Index("ix_signups_activity_status", "activity_id", "status"),
        Index("ix_signups_user_status", "user_id", "status"),  # "ที่ฉันสมัครไว้", reminders, deleting one's data
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    party_size: Mapped[int] = mapped_column(default=1)
    """The resident plus companions."""
    status: Mapped[str] = mapped_column(String(16))
    waitlist_seq: Mapped[int | None]
    """Order on the waitlist (lower first); None when confirmed."""
    checkin_code: Mapped[str] = mapped_column(String(12), unique=True)
    attended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]

    activity: Mapped[Activity] = relationship(back_populates="signups")


class ActivityFeedback(Base):
    __tablename__ = "activity_feedback"
    __table_args__ = (UniqueConstraint("activity_id", "user_id", name="uq_activity_feedback_activity_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
