"""Community project ideas (One Plan fields) and their status timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.photos import FetchedPhoto

IDEA_STATUSES = (
    "submitted",
    "under_review",
    "needs_revision",
    "approved",
    "in_progress",
    "completed",
    "rejected",
    "withdrawn",
)


class Idea(Base):
    __tablename__ = "ideas"
    __table_args__ = (
        Index("ix_ideas_user_id", "user_id"),  # "โครงการของฉัน", the last phone given, deleting one's data
        Index("ix_ideas_community_status", "community_id", "status"),  # a leader's community
        Index("ix_ideas_status_changed", "status", "status_changed_at"),  # staff's queues
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(32))
    target_group: Mapped[str | None] = mapped_column(String(32))
    problem: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[str | None] = mapped_column(Text)
    budget: Mapped[int | None]
    participants: Mapped[int | None]
    """About how many people would take part (the One Plan's จำนวนผู้เข้าร่วม); None when not known."""
    funding_source: Mapped[str | None] = mapped_column(String(32))
    granted_fund: Mapped[str | None] = mapped_column(String(32))
    """At approval: the fund that pays (a funding_sources key), and how many baht it granted."""
    granted_budget: Mapped[int | None]
    reached_participants: Mapped[int | None]
    """At completion (the One Report): how many people took part, and what changed (``outcome``)."""
    outcome: Mapped[str | None] = mapped_column(Text)
    photo_message_id: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_name: Mapped[str | None] = mapped_column(String(60))
    """Who to call at ``contact_phone`` when it is not the submitter ("ป้าแดง"): staff see it, nobody else."""
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    endorsed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    endorsed_at: Mapped[datetime | None]
    last_nudged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    events: Mapped[list[IdeaEvent]] = relationship(order_by="IdeaEvent.id", cascade="all, delete-orphan")


class IdeaEvent(Base):
    """One status change: who, when, why."""

    __tablename__ = "idea_events"
    __table_args__ = (Index("ix_idea_events_idea_id", "idea_id"),)  # an idea's timeline

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdeaDraft(Base):
    """An idea left half-way (the menu, another journey, silence): what was typed, kept a while to go on with."""

    __tablename__ = "idea_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The journey's answers so far, as its flow keeps them."""
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdeaPhoto(FetchedPhoto, Base):
    """The picture attached to an idea, fetched from LINE (which keeps what people send only a while).

    One per idea: a new picture replaces the row's content and its ``link_key``, so links to the old picture
    stop working. ``expired``: deleted a while after the idea closed (PDPA), the row kept as the note that it
    had one (type, size, when stored).
    """

    __tablename__ = "idea_photos"
    __table_args__ = (Index("ix_idea_photos_status_next_try_at", "status", "next_try_at"),)

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), unique=True)
    staff_notice: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The staff card held back until the picture is here ({"heading", "dedupe"}), so it shows it."""
    tell_submitter: Mapped[bool] = mapped_column(default=True)
    """Whether the submitter hears when the picture cannot be kept (not for pictures of old ideas)."""
