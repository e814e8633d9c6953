"""Users, communities, role codes, the webhook inbox and conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow

ROLES = ("resident", "leader", "staff", "admin")


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    district: Mapped[str] = mapped_column(String(80), default="ลาดพร้าว")
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    line_group_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_community_id", "community_id"),  # announcements to a community
        Index("ix_users_role", "role"),  # staff to tell, announcements to a role
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default="resident")
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    consent_at: Mapped[datetime | None]
    consent_declined_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    """False once the user unfollows (blocks) the bot: no pushes go to them."""
    unfollowed_at: Mapped[datetime | None]
    muted_categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    interests: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rich_menu_role: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]

    community: Mapped[Community | None] = relationship()
    """Loaded when asked for; the bot reads communities from bot.services.communities' directory."""

    @property
    def has_consented(self) -> bool:
        return self.consent_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")


class RoleCode(Base):
    """One-time code an admin creates on the command line to grant a role."""

    __tablename__ = "role_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[datetime | None]


class WebhookEvent(Base):
    """The inbox: every webhook event, recorded once by its webhookEventId before it is acted on."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        Index("ix_webhook_events_status_received", "status", "received_at"),
        # What claims walk, in id order: only rows inserted pending (see bot.inbox._CLAIM_PENDING).
        Index("ix_webhook_events_pending", "id", postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    source_key: Mapped[str | None] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)
    is_redelivery: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """pending → processing (claimed by a worker) → done / failed / ignored."""
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]


class Conversation(Base):
    """State of one multi-step conversation per user per chat; locked for the length of one event."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("line_user_id", "chat_key", name="uq_conversations_user_chat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64))
    chat_key: Mapped[str] = mapped_column(String(80))
    flow: Mapped[str | None] = mapped_column(String(40))
    step: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    history: Mapped[list[Any]] = mapped_column(JSON, default=list)
    nonce: Mapped[str | None] = mapped_column(String(12))
    expires_at: Mapped[datetime | None]
    expired_notice: Mapped[str | None] = mapped_column(String(40))
    """Name of a flow that timed out, so the next message can say so once."""
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RichMenuRecord(Base):
    """The rich menu uploaded for each role (set up by `flask --app bot richmenu setup`)."""

    __tablename__ = "rich_menus"

    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    rich_menu_id: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
