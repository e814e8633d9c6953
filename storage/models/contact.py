"""Messages residents send to the staff, and whether a staff member has answered them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ContactMessage(Base):
    """One message to the staff; answered_at is set when a staff member answers its sender."""

    __tablename__ = "contact_messages"
    __table_args__ = (Index("ix_contact_messages_answered_created", "answered_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    answered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    announce_community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    """Set when a leader asked staff to announce `announce_text` to this community (staff announce it in
    one tap); `text` keeps the request as the staff inbox shows it."""
    announce_text: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None]
    """Set when the sender took a request to announce back before staff announced it."""
