"""The picture staff send at an announcement's "แนบรูป" step: fetched from LINE after the event, kept here.

The journey writes a pending ``BroadcastPhoto`` when the picture arrives (the event's transaction), and it
is fetched right after the commit (``fetch_task``) or, if LINE fails then, by the scheduler's photo job
(``fetch_due``): the shared machinery of ``photos``. The preview shows the picture once it is here, says it
is still coming while it is not, and why it could not be kept (staff send another or go without it).
An announcement names its picture (``Broadcast.photo_id``) and links to it when it goes out, and keeps it
as long as it is kept. A picture no announcement took (the journey was left) goes after ``UNUSED_KEPT``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.services import photos
from bot.services.photos import Fetch, PhotoLinks
from storage.models import Broadcast, BroadcastPhoto, User, utcnow

if TYPE_CHECKING:
    from bot.line import Content
    from storage.db import Database


def take(session: Session, staff: User | None, message_id: str, now: datetime) -> BroadcastPhoto:
    """A picture just sent in the chat: its pending row, to fetch once this event is committed."""
    photo = BroadcastPhoto(user_id=staff.id if staff is not None else None)
    photos.start(photo, message_id, now)
    session.add(photo)
    session.flush()
    return photo


UNUSED_KEPT = timedelta(days=2)
"""A journey is dropped after 30 minutes of silence: a picture no announcement took after this never will be."""


def get(session: Session, photo_id: Any) -> BroadcastPhoto | None:
    try:
        return session.get(BroadcastPhoto, int(photo_id))
    except (TypeError, ValueError):
        return None


def urls(photo: BroadcastPhoto | None, links: PhotoLinks | None) -> tuple[str, str] | None:
    """The signed links to a stored picture and to its preview (signed now: an announcement's when it goes out)."""
    if photo is None or links is None or photo.status != "stored":
        return None
    return links.url(photo), links.url(photo, preview=photo.size is not None and photo.size > photos.PREVIEW_MAX_BYTES)


PENDING = "📷 รูปที่ส่งมายังดึงจาก LINE ไม่เสร็จค่ะ"


def trouble(photo: BroadcastPhoto | None) -> str | None:
    """What to tell staff about a picture that is not here (None when it is stored)."""
    if photo is None:
        return "ขออภัยค่ะ ไม่พบรูปที่ส่งมาแล้ว"
    if photo.status == "stored":
        return None
    if photo.status == "pending":
        return PENDING
    code = photos.refusal_code(photo)
    if code == "too_big":
        return f"ขออภัยค่ะ รูปที่ส่งมาใหญ่เกินไป (เกิน {photos.MAX_MB} MB) จึงแนบไปกับประกาศไม่ได้"
    if code == "not_image":
        return "ขออภัยค่ะ ไฟล์ที่ส่งมาไม่ใช่รูป JPEG หรือ PNG จึงแนบไปกับประกาศไม่ได้"
    return "ขออภัยค่ะ ระบบดึงรูปที่ส่งมาจาก LINE ไม่สำเร็จ"


def _unused() -> Any:
    return BroadcastPhoto.id.not_in(select(Broadcast.photo_id).where(Broadcast.photo_id.is_not(None)))


def drop_unused(session: Session, now: datetime) -> int:
    """Pictures sent for announcements that were never sent (the journey left half-way), after UNUSED_KEPT."""
    gone = session.execute(delete(BroadcastPhoto).where(BroadcastPhoto.created_at <= now - UNUSED_KEPT, _unused())
                           .execution_options(synchronize_session=False))
    return int(gone.rowcount or 0)


def forget_unsent_of(session: Session, user: User) -> int:
    """PDPA: the pictures this person sent for announcements never sent go (those sent stay with the record)."""
    gone = session.execute(delete(BroadcastPhoto).where(BroadcastPhoto.user_id == user.id, _unused())
                           .execution_options(synchronize_session=False))
    return int(gone.rowcount or 0)


# --- fetching ------------------------------------------------------------------------------------

def settle(session: Session, photo_id: int, message_id: str, content: Content, now: datetime) -> str | None:
    """Record what one fetch gave (photos.record); the preview reads it. Returns the new status."""
    photo = session.get(BroadcastPhoto, photo_id)
    if photo is None or photo.message_id != message_id or photo.status != "pending":
        return None
    status = photos.record(photo, content, now)
    if status == "stored" and len(content.data) > photos.PREVIEW_MAX_BYTES:
        photo.preview = photos.shrink(content.data)
    session.flush()
    return status


def fetch_one(db: Database, fetch: Fetch, photo_id: int, now: datetime | None = None) -> int:
    """Fetch one pending picture now (right after the event that brought it). Returns 1 when tried."""
    now = now or utcnow()
    with db.session() as session:
        taken = photos.claim(session, BroadcastPhoto, [photo_id], now)
    return photos.fetch_claimed(db, fetch, taken, settle, now)


def fetch_due(db: Database, fetch: Fetch | None, now: datetime | None = None, limit: int = 20) -> int:
    """The scheduler's share: pictures LINE did not give at once, whose next try is due (and unused ones
    dropped). Returns how many were tried or dropped."""
    if fetch is None:
        return 0
    now = now or utcnow()
    with db.session() as session:
        dropped = drop_unused(session, now)
        taken = photos.claim_due(session, BroadcastPhoto, now, limit)
    return photos.fetch_claimed(db, fetch, taken, settle, now) + dropped


def fetch_task(photo_id: int) -> Callable[[Database, Any], None]:
    """For ``ctx.after_commit``: fetch the picture once the event is committed (on the sender's content
    threads: a slow LINE never keeps a reply waiting)."""
    from bot.sender import ContentTask

    def run(db: Database, gateway: Any) -> None:
        fetch_one(db, lambda message_id: gateway.fetch_content(message_id, photos.AFTER_COMMIT_TIMEOUT_S), photo_id)

    return ContentTask(run)
