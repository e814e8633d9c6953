"""What the bot holds about one person, as PDPA's right of access asks ("ขอดูข้อมูลของฉัน")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.services import communities
from bot.services.outbox import REMINDERS_OFF
from storage.models import ClauseFeedback, ContactMessage, Idea, Signup, User


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
    messages_to_staff: int


def held_about(session: Session, user: User) -> HeldData:
    """Everything kept that names this person, counted (the texts themselves are in their own menus)."""
    stances, comments = session.execute(
        select(func.count(ClauseFeedback.id), func.count(ClauseFeedback.comment))
        .where(ClauseFeedback.user_id == user.id)
    ).one()
    phones = session.scalars(select(Idea.contact_phone).distinct()
                             .where(Idea.user_id == user.id, Idea.contact_phone.is_not(None))
                             .order_by(Idea.contact_phone)).all()
    community = communities.get(session, user.community_id)
    return HeldData(
        display_name=user.display_name, role=user.role, community=community.name if community else None,
        consent_at=user.consent_at, announcements_muted="announcement" in (user.muted_categories or []),
        reminders_off=REMINDERS_OFF in (user.muted_categories or []),
        phones=list(phones), stances=int(stances or 0), comments=int(comments or 0),
        signups=_count(session, select(func.count(Signup.id)).where(Signup.user_id == user.id,
                                                                    Signup.status != "cancelled")),
        ideas=_count(session, select(func.count(Idea.id)).where(Idea.user_id == user.id)),
        messages_to_staff=_count(session, select(func.count(ContactMessage.id))
                                 .where(ContactMessage.user_id == user.id)),
    )


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(query) or 0)
