"""What the bot holds about one person, as PDPA's right of access asks ("ขอดูข้อมูลของฉัน")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.services import communities
from bot.services.outbox import REMINDERS_OFF
from storage.models import ClauseFeedback, ContactMessage, Idea, IdeaDraft, IdeaPhoto, Signup, User, utcnow


@dataclass(frozen=True)
class DraftHeld:
    """An idea left half-way, not sent: kept to go on with until `kept_until` (ideas.DRAFT_KEPT)."""

    title: str | None
    kept_until: datetime


@dataclass(frozen=True)
class HeldData:
    display_name: str | None
    role: str
    community: str | None
    consent_at: datetime | None
    announcements_muted: bool
    reminders_off: bool
    phones: list[str]
    stances: int
    comments: int
    signups: int
    ideas: int
    photos: int
    """Pictures attached to their ideas (kept here, or still to be fetched from LINE)."""
    messages_to_staff: int
    draft: DraftHeld | None = None
    contact_names: tuple[str, ...] = ()
    """Names typed with a phone for an idea ("ป้าแดง"), in its draft too."""


def held_about(session: Session, user: User, now: datetime | None = None) -> HeldData:
    """Everything kept that names this person, counted (the texts themselves are in their own menus); the
    idea left half-way, and the phone and contact name typed in it."""
    stances, comments = session.execute(
        select(func.count(ClauseFeedback.id), func.count(ClauseFeedback.comment))
        .where(ClauseFeedback.user_id == user.id)
    ).one()
    phones = session.scalars(select(Idea.contact_phone).distinct()
                             .where(Idea.user_id == user.id, Idea.contact_phone.is_not(None))
                             .order_by(Idea.contact_phone)).all()
    names = session.scalars(select(Idea.contact_name).distinct()
                            .where(Idea.user_id == user.id, Idea.contact_name.is_not(None))
                            .order_by(Idea.contact_name)).all()
    draft, draft_phone, draft_name = _draft(session, user, now or utcnow())
    if draft_phone and draft_phone not in phones:
        phones = sorted([*phones, draft_phone])
    if draft_name and draft_name not in names:
        names = sorted([*names, draft_name])
    community = communities.get(session, user.community_id)
    return HeldData(
        display_name=user.display_name, role=user.role, community=community.name if community else None,
        consent_at=user.consent_at, announcements_muted="announcement" in (user.muted_categories or []),
        reminders_off=REMINDERS_OFF in (user.muted_categories or []),
        phones=list(phones), stances=int(stances or 0), comments=int(comments or 0),
        signups=_count(session, select(func.count(Signup.id)).where(Signup.user_id == user.id,
                                                                    Signup.status != "cancelled")),
        ideas=_count(session, select(func.count(Idea.id)).where(Idea.user_id == user.id)),
        photos=_count(session, select(func.count(IdeaPhoto.id)).join(Idea, Idea.id == IdeaPhoto.idea_id)
                      .where(Idea.user_id == user.id, IdeaPhoto.status.in_(("pending", "stored")))),
        messages_to_staff=_count(session, select(func.count(ContactMessage.id))
                                 .where(ContactMessage.user_id == user.id)),
        draft=draft, contact_names=tuple(names),
    )


def _draft(session: Session, user: User, now: datetime) -> tuple[DraftHeld | None, str | None, str | None]:
    """The person's idea draft still kept (one at most), and the phone and contact name typed in it."""
    from bot.services.ideas import DRAFT_KEPT

    row = session.scalar(select(IdeaDraft).where(IdeaDraft.user_id == user.id, IdeaDraft.saved_at >= now - DRAFT_KEPT))
    if row is None:
        return None, None, None
    data = row.data or {}
    title, phone, name = data.get("title"), data.get("phone"), data.get("contact_name")
    return (DraftHeld(title=_said(title), kept_until=row.saved_at + DRAFT_KEPT), _said(phone), _said(name))


def _said(value: Any) -> str | None:
    """A draft's text field, when something was typed in it."""
    return value if isinstance(value, str) and value.strip() else None


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(query) or 0)
