"""The picture attached to an idea: fetched from LINE after the idea is saved, kept here, shown by signed link.

An image message's id is all the chat gets; LINE keeps the content only a while. So when an idea names a
picture (submitted, or changed by an edit), a pending ``IdeaPhoto`` is written in the same transaction,
and the picture is fetched outside it: right after the commit (on the sender's content threads, apart
from the threads replies need) and, if LINE fails then, by the scheduler's ``idea-photos`` job, with a growing pause, up to ``MAX_ATTEMPTS``.
The idea itself is saved whatever LINE does.

The staff card of a new idea with a picture waits for it (so it can show it), at most ``HOLD_STAFF``;
a picture that is not a JPEG/PNG, is over ``MAX_BYTES`` or cannot be had is left out, and its submitter
is told why. The picture is served at ``/ideas/photo/<token>``: the token is signed with the channel
secret and expires after ``LINK_DAYS``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, undefer

from storage.models import Idea, IdeaPhoto, User, utcnow

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.line import Content
    from storage.db import Database

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
"""LINE takes pictures up to 10 MB; a phone's photo as LINE sends it is far smaller (about 0.2–1 MB)."""
MAX_MB = MAX_BYTES // (1024 * 1024)
MAX_ATTEMPTS = 8
FIRST_PAUSE = timedelta(seconds=30)
"""After a failed fetch: 30 s, then twice as long each time (about two hours over all the attempts)."""
CLAIM = timedelta(minutes=2)
"""A fetch taken by one process: others leave the picture alone this long (then a dead process's is retaken)."""
HOLD_STAFF = timedelta(minutes=10)
"""The longest a new idea's staff card waits for its picture; it goes without it after that."""
LINK_DAYS = 30
FETCH_TIMEOUT_S = 20.0
AFTER_COMMIT_TIMEOUT_S = 10.0
"""Right after the commit the fetch holds one of the sender's few content threads: shorter; the job tries again."""
SALT = "ruamkan.idea-photo"
JPEG, PNG = "image/jpeg", "image/png"

Fetch = Callable[[str], "Content"]


# --- links ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PhotoLinks:
    """How to make a link LINE can fetch: the public HTTPS address and the key links are signed with."""

    base_url: str
    secret: str

    def url(self, photo: IdeaPhoto) -> str:
        token = _serializer(self.secret).dumps([photo.id, photo.link_key])
        return f"{self.base_url.rstrip('/')}/ideas/photo/{token}"


def links_for(settings: Settings | None) -> PhotoLinks | None:
    """Links for these settings, or None without a public HTTPS address or a channel secret to sign with."""
    if settings is None or not settings.channel_secret:
        return None
    base = settings.public_base_url or ""
    return PhotoLinks(base, settings.channel_secret) if base.startswith("https://") else None


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


class LinkExpired(Exception):
    """A genuine link, older than LINK_DAYS."""


def read_link(secret: str, token: str) -> tuple[int, str] | None:
    """(photo id, link key) from a token; None when it was not signed by us; LinkExpired when too old."""
    try:
        value = _serializer(secret).loads(token, max_age=LINK_DAYS * 86400)
    except SignatureExpired:
        raise LinkExpired from None
    except BadData:
        return None
    if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
            or not isinstance(value[1], str)):
        return None
    return value[0], value[1]


def served(session: Session, photo_id: int, link_key: str) -> tuple[str, bytes] | None:
    """(content type, bytes) of a stored picture the link names, or None (gone, replaced, not stored)."""
    photo = session.scalar(select(IdeaPhoto).options(undefer(IdeaPhoto.content)).where(IdeaPhoto.id == photo_id))
    if photo is None or photo.status != "stored" or photo.content is None:
        return None
    if not secrets.compare_digest(photo.link_key, link_key):
        return None
    return photo.content_type or JPEG, photo.content


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


def track(session: Session, idea: Idea, now: datetime, *, staff_notice: dict[str, str] | None = None,
          links: PhotoLinks | None = None) -> IdeaPhoto | None:
    """After the idea's picture was set or changed: the pending row to fetch it (None without a picture).

    ``staff_notice`` ({"heading", "dedupe"}) is a staff card held until the picture is here. A picture
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
    photo.message_id, photo.status, photo.content_type, photo.content, photo.size = \
        idea.photo_message_id, "pending", None, None, None
    photo.link_key, photo.attempts, photo.next_try_at, photo.last_error = secrets.token_hex(8), 0, now, None
    photo.staff_notice, photo.tell_submitter, photo.created_at, photo.stored_at = held, True, now, None
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

def _claim(session: Session, photo_ids: list[int], now: datetime) -> list[tuple[int, str]]:
    """Take these pending pictures for one fetch each: (id, message id) of those no one else took."""
    rows = session.execute(
        update(IdeaPhoto)
        .where(IdeaPhoto.id.in_(photo_ids), IdeaPhoto.status == "pending", IdeaPhoto.next_try_at <= now)
        .values(next_try_at=now + CLAIM, attempts=IdeaPhoto.attempts + 1)
        .returning(IdeaPhoto.id, IdeaPhoto.message_id)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted((int(photo_id), str(message_id)) for photo_id, message_id in rows)


def fetch_for_idea(db: Database, fetch: Fetch, links: PhotoLinks | None, idea_id: int,
                   now: datetime | None = None) -> int:
    """Fetch one idea's pending picture now (right after the idea is saved). Returns 1 when tried."""
    now = now or utcnow()
    with db.session() as session:
        photo = photo_of(session, idea_id)
        taken = _claim(session, [photo.id], now) if photo is not None else []
    return _fetch_all(db, fetch, links, taken, now)


def fetch_due(db: Database, fetch: Fetch | None, links: PhotoLinks | None, now: datetime | None = None,
              limit: int = 20) -> int:
    """The scheduler's job: fetch pictures whose next try is due; send staff cards held too long.
    Returns how many pictures were tried or cards sent."""
    if fetch is None:
        return 0
    now = now or utcnow()
    with db.session() as session:
        due = list(session.scalars(
            select(IdeaPhoto.id).where(IdeaPhoto.status == "pending", IdeaPhoto.next_try_at <= now)
            .order_by(IdeaPhoto.next_try_at, IdeaPhoto.id).limit(limit)))
        taken = _claim(session, due, now) if due else []
    tried = _fetch_all(db, fetch, links, taken, now)
    with db.session() as session:
        released = release_overdue(session, links, now)
    return tried + released


def _fetch_all(db: Database, fetch: Fetch, links: PhotoLinks | None, taken: list[tuple[int, str]],
               now: datetime) -> int:
    """Fetch each taken picture (outside any transaction: LINE may be slow), then settle it in its own."""
    for photo_id, message_id in taken:
        try:
            content = fetch(message_id)
        except Exception as exc:  # noqa: BLE001 - a stand-in or a bug: try again later, as for a network error
            from bot.line import Content

            content = Content(ok=False, status=0, error=f"{exc.__class__.__name__}: {exc}"[:500])
        with db.session() as session:
            settle(session, photo_id, message_id, content, links, now)
    return len(taken)


def sniff(data: bytes) -> str | None:
    """The picture's type from its first bytes (what LINE says is not trusted): JPEG, PNG, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def settle(session: Session, photo_id: int, message_id: str, content: Content, links: PhotoLinks | None,
           now: datetime) -> str | None:
    """Record what one fetch gave: stored, refused (not a picture, too big), failed, or pending for a later
    try. Sends the staff card it held once the picture is settled. Returns the new status."""
    photo = session.get(IdeaPhoto, photo_id)
    if photo is None or photo.message_id != message_id or photo.status != "pending":
        return None  # replaced or taken away meanwhile: this fetch is of no use
    if content.ok:
        kind = sniff(content.data)
        if kind is None:
            _refuse(photo, f"not a JPEG/PNG picture ({content.content_type})", "not_image")
        elif len(content.data) > MAX_BYTES:
            _refuse(photo, f"{len(content.data)} bytes, more than {MAX_BYTES}", "too_big")
        else:
            photo.status, photo.content_type, photo.content = "stored", kind, content.data
            photo.size, photo.stored_at, photo.last_error = len(content.data), now, None
    elif content.permanent_failure or photo.attempts >= MAX_ATTEMPTS:
        photo.status, photo.last_error = "failed", f"{content.status} {content.error or ''}".strip()[:1000]
    else:
        photo.last_error = f"{content.status} {content.error or ''}".strip()[:1000]
        photo.next_try_at = now + FIRST_PAUSE * (2 ** max(photo.attempts - 1, 0))
        log.info("picture of idea %s not fetched yet (attempt %s): %s", photo.idea_id, photo.attempts,
                 photo.last_error)
    session.flush()
    if photo.status != "pending":
        _settled(session, photo, links)
    return photo.status


def _refuse(photo: IdeaPhoto, why: str, code: str) -> None:
    photo.status, photo.last_error = "refused", f"{code}: {why}"[:1000]


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
                     wait_for_photo=False)


def refusal_text(idea: Idea, photo: IdeaPhoto) -> str:
    """Why the submitter's picture is not with their idea, and what they can do (the idea itself went)."""
    title = f"“{idea.title}”"
    code = (photo.last_error or "").split(":")[0]
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
        fetch_for_idea(db, lambda message_id: gateway.fetch_content(message_id, AFTER_COMMIT_TIMEOUT_S),
                       links_for(gateway.settings), idea_id)

    return ContentTask(run)
