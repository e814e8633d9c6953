"""Pictures sent in the chat: fetched from LINE off the event's transaction, checked, kept, shown by signed link.

An image message's id is all the chat gets, and LINE keeps the content only a while. Whoever takes a
picture (an idea, an announcement) writes a pending row (``FetchedPhoto``) in the event's transaction;
the picture is fetched outside it: right after the commit (``ctx.after_commit``) and, if LINE fails then,
by the scheduler's ``idea-photos`` job, with a growing pause, up to ``MAX_ATTEMPTS``. A picture is kept
when its bytes are a JPEG or PNG of at most ``MAX_BYTES`` (what LINE says it is is not trusted).

The picture is served at ``<kind's path>/<token>``; the token names the row and its link key, is signed
with the channel secret and expires after the kind's ``link_days``. This module knows nothing of ideas or
announcements: each use gives its table and what to do once a picture is settled.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session, undefer

from storage.models import BroadcastPhoto, FetchedPhoto, IdeaPhoto

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
FETCH_TIMEOUT_S = 20.0
AFTER_COMMIT_TIMEOUT_S = 10.0
"""Right after the commit the fetch holds one of the sender's few content threads: shorter; the job tries again."""
JPEG, PNG = "image/jpeg", "image/png"

Fetch = Callable[[str], "Content"]
Settle = Callable[[Session, int, str, "Content", datetime], object]
"""Records one fetch's outcome for a row (id, message id), in a transaction of its own."""


# --- kinds and links -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PhotoKind:
    """One use of pictures: its table, the path its links are served at, and how long a link stays good."""

    name: str
    model: type[FetchedPhoto]
    path: str
    salt: str
    link_days: int
    previews: bool = False
    """Also served smaller at ``<path>/<token>/preview`` (an image message's preview: at most 1 MB)."""


KINDS: dict[str, PhotoKind] = {
    "idea": PhotoKind("idea", IdeaPhoto, "/ideas/photo", "ruamkan.idea-photo", 30),
    # An announcement is signed when it goes out (not when written: it may be set days ahead) and read in the
    # chat long after; it is public to its audience anyway, so its link is good for a year.
    "broadcast": PhotoKind("broadcast", BroadcastPhoto, "/broadcasts/photo", "ruamkan.broadcast-photo", 365,
                           previews=True),
}


def kind_of(photo: FetchedPhoto) -> PhotoKind:
    return next(kind for kind in KINDS.values() if isinstance(photo, kind.model))


@dataclass(frozen=True)
class PhotoLinks:
    """How to make a link LINE can fetch: the public HTTPS address and the key links are signed with."""

    base_url: str
    secret: str

    def url(self, photo: FetchedPhoto, preview: bool = False) -> str:
        """The link to the picture; ``preview``: to its smaller copy (the picture itself when it has none)."""
        kind = kind_of(photo)
        token = _serializer(self.secret, kind).dumps([photo.id, photo.link_key])
        return f"{self.base_url.rstrip('/')}{kind.path}/{token}" + ("/preview" if preview and kind.previews else "")


def links_for(settings: Settings | None) -> PhotoLinks | None:
    """Links for these settings, or None without a public HTTPS address or a channel secret to sign with."""
    if settings is None or not settings.channel_secret:
        return None
    base = settings.public_base_url or ""
    return PhotoLinks(base, settings.channel_secret) if base.startswith("https://") else None


def _serializer(secret: str, kind: PhotoKind) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=kind.salt)


class LinkExpired(Exception):
    """A genuine link, older than its kind's link_days."""


def read_link(secret: str, token: str, kind: str = "idea") -> tuple[int, str] | None:
    """(photo id, link key) from a token; None when it was not signed by us; LinkExpired when too old."""
    found = KINDS[kind]
    try:
        value = _serializer(secret, found).loads(token, max_age=found.link_days * 86400)
    except SignatureExpired:
        raise LinkExpired from None
    except BadData:
        return None
    if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
            or not isinstance(value[1], str)):
        return None
    return value[0], value[1]


def served(session: Session, kind: str, photo_id: int, link_key: str,
           preview: bool = False) -> tuple[str, bytes] | None:
    """(content type, bytes) of a stored picture the link names, or None (gone, replaced, not stored);
    ``preview``: its smaller copy when it has one."""
    model = KINDS[kind].model
    photo = session.scalar(select(model).options(undefer(model.content)).where(model.id == photo_id))
    if photo is None or photo.status != "stored" or photo.content is None:
        return None
    if not secrets.compare_digest(photo.link_key, link_key):
        return None
    smaller = getattr(photo, "preview", None) if preview else None
    return (JPEG, smaller) if smaller else (photo.content_type or JPEG, photo.content)


# --- rows ----------------------------------------------------------------------------------------

def start(photo: FetchedPhoto, message_id: str, now: datetime) -> None:
    """(Re)set a row to fetch this message's picture now, with a new link key (old links stop working)."""
    photo.message_id, photo.status, photo.content_type, photo.content, photo.size = \
        message_id, "pending", None, None, None
    photo.link_key, photo.attempts, photo.next_try_at, photo.last_error = secrets.token_hex(8), 0, now, None
    photo.created_at, photo.stored_at = now, None


def refusal_code(photo: FetchedPhoto) -> str:
    """Why a picture was not kept: "too_big", "not_image", or "" (LINE would not give it)."""
    return (photo.last_error or "").split(":")[0] if photo.status == "refused" else ""


# --- fetching ------------------------------------------------------------------------------------

def claim(session: Session, model: type[FetchedPhoto], photo_ids: list[int], now: datetime) -> list[tuple[int, str]]:
    """Take these pending pictures for one fetch each: (id, message id) of those no one else took."""
    rows = session.execute(
        update(model)
        .where(model.id.in_(photo_ids), model.status == "pending", model.next_try_at <= now)
        .values(next_try_at=now + CLAIM, attempts=model.attempts + 1)
        .returning(model.id, model.message_id)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted((int(photo_id), str(message_id)) for photo_id, message_id in rows)


def claim_due(session: Session, model: type[FetchedPhoto], now: datetime, limit: int = 20) -> list[tuple[int, str]]:
    """Take the pictures of this table whose next try is due (oldest first)."""
    due = list(session.scalars(
        select(model.id).where(model.status == "pending", model.next_try_at <= now)
        .order_by(model.next_try_at, model.id).limit(limit)))
    return claim(session, model, due, now) if due else []


def fetch_claimed(db: Database, fetch: Fetch, taken: list[tuple[int, str]], settle: Settle, now: datetime) -> int:
    """Fetch each taken picture (outside any transaction: LINE may be slow), then settle it in its own."""
    for photo_id, message_id in taken:
        try:
            content = fetch(message_id)
        except Exception as exc:  # noqa: BLE001 - a stand-in or a bug: try again later, as for a network error
            from bot.line import Content

            content = Content(ok=False, status=0, error=f"{exc.__class__.__name__}: {exc}"[:500])
        with db.session() as session:
            settle(session, photo_id, message_id, content, now)
    return len(taken)


def sniff(data: bytes) -> str | None:
    """The picture's type from its first bytes (what LINE says is not trusted): JPEG, PNG, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def record(photo: FetchedPhoto, content: Content, now: datetime) -> str:
    """Record what one fetch gave on the row: stored, refused (not a picture, too big), failed, or pending
    for a later try. Returns the new status."""
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
        log.info("%s %s not fetched yet (attempt %s): %s", photo.__class__.__name__, photo.id, photo.attempts,
                 photo.last_error)
    return photo.status


def _refuse(photo: FetchedPhoto, why: str, code: str) -> None:
    photo.status, photo.last_error = "refused", f"{code}: {why}"[:1000]


PREVIEW_MAX_BYTES = 1024 * 1024
"""LINE takes an image message's preview up to 1 MB (the picture itself up to 10 MB)."""
PREVIEW_SIDE = 1024


def shrink(data: bytes, max_bytes: int = PREVIEW_MAX_BYTES, side: int = PREVIEW_SIDE) -> bytes | None:
    """A smaller JPEG of a picture (at most ``side`` pixels a side, ``max_bytes``), or None when it cannot be read."""
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as opened:
            opened.draft("RGB", (side, side))  # a JPEG is decoded at a smaller scale straight away
            image = opened.convert("RGBA") if opened.mode in ("RGBA", "LA", "P") else opened.convert("RGB")
        if image.mode == "RGBA":  # transparent parts on white, not black
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image.thumbnail((side, side))
        for quality in (85, 70, 50, 30):
            out = BytesIO()
            image.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= max_bytes:
                return out.getvalue()
    except Exception as exc:  # noqa: BLE001 - a picture Pillow cannot read (or too many pixels): no preview
        log.info("no smaller copy of a picture: %s", exc)
    return None
