"""Published charters as read-only snapshots that every event of a process shares.

Residents read the charter on most of their events: the charter, its sections and clauses and its
hearing rounds. They change a few times a year, so one process reads them at most every
VIEW_SECONDS instead of four times per event. Changes made through the charter service in this process
(load, publish, a new round) are seen at once; another process sees them within VIEW_SECONDS.
Anything not found here (a draft, an archived version's old button) is read from the database as before.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.timed_cache import TimedCache
from storage.models import Charter, CharterClause, CharterSection, HearingRound

VIEW_SECONDS = 10.0


@dataclass(eq=False)
class SectionView:
    id: int
    charter_id: int
    no: int
    title: str
    topic: str | None
    clauses: list[ClauseView] = field(default_factory=list)


@dataclass(eq=False)
class ClauseView:
    id: int
    charter_id: int
    section_id: int
    no: int
    text: str
    topic: str | None
    section: SectionView = field(repr=False)


@dataclass(frozen=True)
class RoundView:
    id: int
    charter_id: int
    name: str
    opens_at: datetime
    closes_at: datetime


@dataclass(eq=False)
class CharterView:
    """A published charter with its sections (in order, each with its clauses) and its rounds (by opening)."""

    id: int
    district: str
    title: str
    version: int
    demo_notice: str | None
    status: str
    published_at: datetime | None
    sections: list[SectionView]
    rounds: list[RoundView]

    def __post_init__(self) -> None:
        self.clause_by_no = {c.no: c for s in self.sections for c in s.clauses}
        self.clause_by_id = {c.id: c for s in self.sections for c in s.clauses}
        self.section_by_no = {s.no: s for s in self.sections}


@dataclass
class _Published:
    by_id: dict[int, CharterView]
    newest_first: list[CharterView]
    """By published_at, newest first (the order `published_charter` picks in)."""


_published: TimedCache[_Published] = TimedCache(VIEW_SECONDS)


def published(session: Session) -> _Published:
    """Every published charter, read at most every VIEW_SECONDS by this process."""
    return _published.get(str(session.get_bind().url), lambda: _load(session))


def forget(session: Session | None = None) -> None:
    """Read the charters afresh next time (the charter service calls this with every change it makes).

    With the session that made the change, again once its transaction ends: a snapshot read meanwhile
    (inside that transaction, or by another thread before the commit) is not kept.
    """
    _published.clear()
    if session is not None:
        for name in ("after_commit", "after_rollback"):
            event.listen(session, name, _forget_now, once=True)


def _forget_now(*_: object) -> None:
    _published.clear()


def published_view(session: Session, district: str | None = None) -> CharterView | None:
    """The district's published charter; without a district, the most recently published one."""
    return next((v for v in published(session).newest_first if district is None or v.district == district), None)


def view_by_id(session: Session, charter_id: int) -> CharterView | None:
    """The charter with this id if it is published (a snapshot), else None."""
    return published(session).by_id.get(charter_id)


def clause_view(session: Session, clause_id: int) -> ClauseView | None:
    """A clause of a published charter by its id, or None."""
    return next((c for v in published(session).by_id.values() if (c := v.clause_by_id.get(clause_id))), None)


def section_view(session: Session, section_id: int) -> SectionView | None:
    """A section of a published charter by its id, or None."""
    return next((s for v in published(session).by_id.values() for s in v.sections if s.id == section_id), None)


def _load(session: Session) -> _Published:
    charters = list(session.execute(
        select(Charter.id, Charter.district, Charter.title, Charter.version, Charter.demo_notice, Charter.status,
               Charter.published_at)
        .where(Charter.status == "published").order_by(Charter.published_at.desc(), Charter.id.desc())))
    ids = [row.id for row in charters]
    sections: dict[int, list[SectionView]] = defaultdict(list)
    by_id: dict[int, SectionView] = {}
    rounds: dict[int, list[RoundView]] = defaultdict(list)
    if ids:
        for row in session.execute(
                select(CharterSection.id, CharterSection.charter_id, CharterSection.no, CharterSection.title,
                       CharterSection.topic).where(CharterSection.charter_id.in_(ids)).order_by(CharterSection.no)):
            by_id[row.id] = section = SectionView(*row)
            sections[row.charter_id].append(section)
        for row in session.execute(
                select(CharterClause.id, CharterClause.charter_id, CharterClause.section_id, CharterClause.no,
                       CharterClause.text, CharterClause.topic)
                .where(CharterClause.charter_id.in_(ids)).order_by(CharterClause.no)):
            section = by_id[row.section_id]
            section.clauses.append(ClauseView(*row, section=section))
        for row in session.execute(
                select(HearingRound.id, HearingRound.charter_id, HearingRound.name, HearingRound.opens_at,
                       HearingRound.closes_at).where(HearingRound.charter_id.in_(ids))
                .order_by(HearingRound.opens_at)):
            rounds[row.charter_id].append(RoundView(*row))
    views = [CharterView(*row, sections=sections[row.id], rounds=rounds[row.id]) for row in charters]
    return _Published(by_id={v.id: v for v in views}, newest_first=views)
