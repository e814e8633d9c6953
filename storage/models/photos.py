"""Pictures people send in the chat, fetched from LINE (which keeps them only a while) and kept here.

``FetchedPhoto`` holds what every such picture has; a table per use adds what it belongs to: an idea's
picture (``IdeaPhoto``, in ideas.py) or the picture of a staff announcement (``BroadcastPhoto``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow

PHOTO_STATUSES = ("pending", "stored", "refused", "failed", "expired")


class FetchedPhoto:
    """The columns of a picture fetched from LINE.

    pending: still to fetch (``next_try_at``); stored: the bytes are here; refused: not a JPEG/PNG picture,
    or too big; failed: LINE would not give it (gone, or too many tries); expired: an idea's picture deleted a
    while after the idea closed (PDPA).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64))
    """The LINE image message the picture came in."""
    status: Mapped[str] = mapped_column(String(16), default="pending")
    content_type: Mapped[str | None] = mapped_column(String(32))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int | None]
    link_key: Mapped[str] = mapped_column(String(32))
    """Part of every signed link to this picture: a new picture gets a new key."""
    attempts: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stored_at: Mapped[datetime | None]


class BroadcastPhoto(FetchedPhoto, Base):
    """A picture staff sent at an announcement's "แนบรูป" step; the announcement names it (``Broadcast.photo_id``)
    once confirmed. Kept as long as the announcement, which recipients may open long after it went out."""

    __tablename__ = "broadcast_photos"
    __table_args__ = (Index("ix_broadcast_photos_status_next_try_at", "status", "next_try_at"),)

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The staff member who sent it (told in the preview if it cannot be had)."""
    preview: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    """A smaller JPEG for the image message's preview, when the picture is over LINE's 1 MB for one."""
