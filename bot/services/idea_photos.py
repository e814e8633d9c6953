"""The picture attached to an idea: fetched from LINE after the idea is saved, kept here, shown by signed link.

An image message's id is all the chat gets; LINE keeps the content only a while. So when an idea names a
picture (submitted, or changed by an edit), a pending ``IdeaPhoto`` is written in the same transaction,
and the picture is fetched outside it: right after the commit (on the sender's content threads, apart
from the threads replies need) and, if LINE fails then, by the scheduler's ``idea-photos`` job, with a growing pause, up to ``MAX_ATTEMPTS``.
The idea itself is saved whatever LINE does.

The staff card of a new idea with a picture waits for it (so it can show it), at most ``HOLD_STAFF``;
a picture that is not a JPEG/PNG, is over ``MAX_BYTES`` or cannot be had is left out, and its submitter
is told why. The picture is served at ``/ideas/photo/<token>``: the token is signed with the channel
secret and expires after 30 days. Fetching, checking and links are the shared ones of ``photos``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.services import photos
from bot.services.photos import MAX_MB, Fetch, LinkExpired, PhotoLinks, links_for, sniff
from storage.models import Idea, IdeaPhoto, User, utcnow

if TYPE_CHECKING:
    from bot.line import Content
    from storage.db import Database

__all__ = ["LinkExpired", "PhotoLinks", "links_for", "sniff"]

HOLD_STAFF = timedelta(minutes=10)
"""The longest a new idea's staff card waits for its picture; it goes without it after that."""
FETCH_TIMEOUT_S = photos.FETCH_TIMEOUT_S
AFTER_COMMIT_TIMEOUT_S = photos.AFTER_COMMIT_TIMEOUT_S


def read_link(secret: str, token: str) -> tuple[int, str] | None:
    """(photo id, link key) from an idea picture's token (see photos.read_link)."""
    return photos.read_link(secret, token, "idea")


def served(session: Session, photo_id: int, link_key: str) -> tuple[str, bytes] | None:
    return photos.served(session, "idea", photo_id, link_key)


# --- the picture of an idea ----------------------------------------------------------------------

def photo_of(session: Session, idea_id: int) -> IdeaPhoto | None:
    return session.scalar(select(IdeaPhoto).where(IdeaPhoto.idea_id == idea_id))


def shown_url(session: Session, idea: Idea, links: PhotoLinks | None) -> str | None:
    """The signed link to the idea's picture, when it is stored and there is an address to link from."""
    if links is None or not idea.photo_message_id:
        return None
    photo = photo_of(session, idea.id)
    return links.url(photo) if photo is not None and photo.status == "stored" else None


NOTES = {
    "staff": {"pending": "มีรูปประกอบ 📷 (กำลังดึงรูปจาก LINE)",
              "refused": "ผู้เสนอแนบรูปมา แต่ไม่ใช่รูป JPEG/PNG หรือใหญ่เกินไป จึงไม่ได้เก็บไว้",
              "failed": "ผู้เสนอแนบรูปมา แต่ดึงรูปจาก LINE ไม่สำเร็จ",
              "expired": "เคยมีรูปประกอบ ลบแล้วเมื่อครบระยะเวลาเก็บ (PDPA)"},
    "submitter": {"pending": "รูปประกอบ 📷 กำลังส่งถึงเจ้าหน้าที่",
                  "refused": "รูปที่แนบไว้ใช้ไม่ได้ (ไม่ใช่รูป JPEG/PNG หรือใหญ่เกินไป) จึงไม่ได้เก็บไว้",
                  "failed": "รูปที่แนบไว้ดึงจาก LINE ไม่สำเร็จ จึงไม่ได้เก็บไว้",
                  "expired": "รูปที่แนบไว้ลบแล้ว เพราะครบระยะเวลาเก็บหลังโครงการปิด"},
}


def note(session: Session, idea: Idea, shown: bool = False, reader: str = "staff") -> str | None:
    """A line for the idea's card about its picture, for staff or its submitter (None without a picture, or
    when the card shows it)."""
    if not idea.photo_message_id or shown:
        return None
    photo = photo_of(session, idea.id)
    status = photo.status if photo is not None else "stored"
    return NOTES[reader].get(status, "มีรูปประกอบ 📷")


def track(session: Session, idea: Idea, now: datetime, *, staff_notice: dict[str, Any] | None = None,
          links: PhotoLinks | None = None) -> IdeaPhoto | None:
    """After the idea's picture was set or changed: the pending row to fetch it (None without a picture).

    ``staff_notice`` ({"heading", "dedupe", "notes"?}) is a staff card held until the picture is here. A picture
    taken away drops the row (and sends a card it held).
    """
    photo = photo_of(session, idea.id)
    if not idea.photo_message_id:
        if photo is not None:
            held = photo.staff_notice
            session.delete(photo)
            session.flush()
            if held:
                _release(session, idea, held, links)
        return None
    if photo is not None and photo.message_id == idea.photo_message_id:
        if staff_notice and photo.status == "pending":
            photo.staff_notice = staff_notice
        elif staff_notice:
            _release(session, idea, staff_notice, links)
        return photo
    if photo is None:
        photo = IdeaPhoto(idea_id=idea.id, created_at=now)
        session.add(photo)
    held = staff_notice or photo.staff_notice
    photos.start(photo, idea.photo_message_id, now)
    photo.staff_notice, photo.tell_submitter = held, True
    session.flush()
    return photo


def is_pending(session: Session, idea: Idea) -> bool:
    """Whether the idea's picture is still to be fetched (no read for an idea without a picture)."""
    if not idea.photo_message_id:
        return False
    photo = photo_of(session, idea.id)
    return photo is not None and photo.status == "pending"


def forget_photos_of(session: Session, user: User) -> int:
    """PDPA: the pictures of this person's ideas go (and the ideas no longer name one). Returns how many."""
    idea_ids = list(session.scalars(select(Idea.id).where(Idea.user_id == user.id)))
    if not idea_ids:
        return 0
    gone = session.execute(delete(IdeaPhoto).where(IdeaPhoto.idea_id.in_(idea_ids)))
    session.execute(update(Idea).where(Idea.id.in_(idea_ids), Idea.photo_message_id.is_not(None))
                    .values(photo_message_id=None).execution_options(synchronize_session="fetch"))
    return int(gone.rowcount or 0)


# --- fetching ------------------------------------------------------------------------------------

def fetch_for_idea(db: Database, fetch: Fetch, links: PhotoLinks | None, idea_id: int,
                   now: datetime | None = None) -> int:
    """Fetch one idea's pending picture now (right after the idea is saved). Returns 1 when tried."""
    now = now or utcnow()
    with db.session() as session:
        photo = photo_of(session, idea_id)
        taken = photos.claim(session, IdeaPhoto, [photo.id], now) if photo is not None else []
    return photos.fetch_claimed(db, fetch, taken, _settle_with(links), now)


def fetch_due(db: Database, fetch: Fetch | None, links: PhotoLinks | None, now: datetime | None = None,
              limit: int = 20) -> int:
    """The scheduler's job: fetch pictures whose next try is due; send staff cards held too long.
    Returns how many pictures were tried or cards sent."""
    if fetch is None:
        return 0
    now = now or utcnow()
    with db.session() as session:
        taken = photos.claim_due(session, IdeaPhoto, now, limit)
    tried = photos.fetch_claimed(db, fetch, taken, _settle_with(links), now)
    with db.session() as session:
        released = release_overdue(session, links, now)
    return tried + released


def _settle_with(links: PhotoLinks | None) -> photos.Settle:
    return lambda session, photo_id, message_id, content, now: settle(session, photo_id, message_id, content,
                                                                      links, now)


def settle(session: Session, photo_id: int, message_id: str, content: Content, links: PhotoLinks | None,
           now: datetime) -> str | None:
    """Record what one fetch gave (photos.record). Sends the staff card it held once the picture is settled.
    Returns the new status."""
    photo = session.get(IdeaPhoto, photo_id)
    if photo is None or photo.message_id != message_id or photo.status != "pending":
        return None  # replaced or taken away meanwhile: this fetch is of no use
    photos.record(photo, content, now)
    session.flush()
    if photo.status != "pending":
        _settled(session, photo, links)
    return photo.status


def _settled(session: Session, photo: IdeaPhoto, links: PhotoLinks | None) -> None:
    """The picture is stored, refused or failed: the held staff card goes, and the submitter hears of a
    picture that could not be kept."""
    idea = session.get(Idea, photo.idea_id)
    if idea is None:
        return
    if photo.staff_notice:
        held, photo.staff_notice = photo.staff_notice, None
        _release(session, idea, held, links)
    if photo.status in ("refused", "failed") and photo.tell_submitter:
        _tell_submitter(session, idea, photo)


def release_overdue(session: Session, links: PhotoLinks | None, now: datetime) -> int:
    """Staff cards held longer than HOLD_STAFF go without the picture (it may still come later)."""
    late = list(session.scalars(select(IdeaPhoto).where(
        IdeaPhoto.status == "pending", IdeaPhoto.staff_notice.is_not(None), IdeaPhoto.created_at <= now - HOLD_STAFF)))
    sent = 0
    for photo in late:
        idea = session.get(Idea, photo.idea_id)
        held, photo.staff_notice = photo.staff_notice, None
        if idea is not None and held:
            _release(session, idea, held, links)
            sent += 1
    return sent


def _release(session: Session, idea: Idea, held: dict[str, Any], links: PhotoLinks | None) -> None:
    from bot.services import ideas

    ideas.tell_staff(session, idea, heading=str(held.get("heading") or "โครงการใหม่"),
                     dedupe=str(held.get("dedupe") or f"idea:{idea.id}:staff:photo"), links=links,
                     wait_for_photo=False, notes=[str(line) for line in held.get("notes") or []])


def refusal_text(idea: Idea, photo: IdeaPhoto) -> str:
    """Why the submitter's picture is not with their idea, and what they can do (the idea itself went)."""
    title = f"“{idea.title}”"
    code = photos.refusal_code(photo)
    if code == "too_big":
        why = f"รูปประกอบโครงการ {title} ใหญ่เกินไปค่ะ (เกิน {MAX_MB} MB) จึงไม่ได้แนบไว้"
    elif code == "not_image":
        why = f"ไฟล์ที่แนบกับโครงการ {title} ไม่ใช่รูป JPEG หรือ PNG ค่ะ จึงไม่ได้แนบไว้"
    else:
        why = f"ขออภัยค่ะ ระบบดึงรูปประกอบโครงการ {title} จาก LINE ไม่สำเร็จ จึงไม่ได้แนบไว้"
    can_edit = idea.status in ("submitted", "needs_revision")
    return (f"{why} ส่วนรายละเอียดโครงการส่งถึงเจ้าหน้าที่ครบแล้วนะคะ"
            + ("\nถ้าอยากแนบรูป แตะ “แก้ไขโครงการ” แล้วส่งรูปใหม่ได้เลยค่ะ" if can_edit else ""))


def _tell_submitter(session: Session, idea: Idea, photo: IdeaPhoto) -> None:
    from bot import replies
    from bot.postback import encode
    from bot.services.ideas import CATEGORY
    from bot.services.outbox import enqueue_push

    submitter = session.get(User, idea.user_id)
    if submitter is None:
        return
    quick = [replies.quick_message("โครงการของฉัน", "โครงการของฉัน")]
    if idea.status in ("submitted", "needs_revision"):
        quick.insert(0, replies.quick_postback("แก้ไขโครงการ", encode("idea.edit", id=idea.id), "แก้ไขโครงการ"))
    enqueue_push(session, submitter, [replies.text(refusal_text(idea, photo), quick=quick)], category=CATEGORY,
                 dedupe_key=f"idea:{idea.id}:photo:{photo.link_key}")


def fetch_task(idea_id: int) -> Callable[[Database, Any], None]:
    """For ``ctx.after_commit``: fetch the idea's picture once the idea is committed (on the sender's content
    threads: a slow LINE never keeps a reply waiting)."""
    from bot.sender import ContentTask

    def run(db: Database, gateway: Any) -> None:
        fetch_for_idea(db, lambda message_id: gateway.fetch_content(message_id, photos.AFTER_COMMIT_TIMEOUT_S),
                       links_for(gateway.settings), idea_id)

    return ContentTask(run)
