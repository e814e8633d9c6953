"""Health charters (ธรรมนูญสุขภาพ): versions, hearing rounds, stances on clauses and their results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, literal, select, update
from sqlalchemy.orm import Session, selectinload

from bot.services import charter_io, communities
from bot.services import charter_views as views
from bot.services.charter_io import CharterData
from bot.services.charter_views import CharterView, ClauseView, RoundView, SectionView
from bot.services.errors import ServiceError
from bot.thaidate import BKK, format_date, format_datetime, to_bkk
from storage.db import insert_unless_present, locked
from storage.models import (
    STANCES,
    Charter,
    CharterClause,
    CharterSection,
    ClauseFeedback,
    Community,
    HearingRound,
    User,
    utcnow,
)

AnyCharter = Charter | CharterView
"""A charter version as stored, or a published one's shared snapshot (bot.services.charter_views)."""
AnySection = CharterSection | SectionView
AnyClause = CharterClause | ClauseView
AnyRound = HearingRound | RoundView

DEFAULT_DISTRICT = "ลาดพร้าว"
MAX_COMMENT = 1000
STANCE_TH = {"agree": "เห็นด้วย", "disagree": "ไม่เห็นด้วย", "unsure": "ไม่แน่ใจ"}


# --- loading and publishing ----------------------------------------------------------------------

def load_charter(session: Session, source: str | Path | CharterData, now: datetime | None = None,
                 **csv_meta: str | None) -> Charter:
    """Store a charter file (YAML or CSV) as a new draft version of its district's charter.

    The version is one more than the district's highest; rounds in the file are created with it
    (relative days count from ``now``'s Bangkok date: opening at 00:00, closing at 23:59).
    """
    now = now or utcnow()
    data = source if isinstance(source, CharterData) else charter_io.read_file(source, **csv_meta)
    # Lock the district's charters so two loads cannot take the same version number.
    existing = session.scalars(
        locked(select(Charter).where(Charter.district == data.district))
    ).all()
    version = max((c.version for c in existing), default=0) + 1
    charter = Charter(district=data.district, title=data.title, version=version,
                      demo_notice=data.demo_notice, status="draft", created_at=now)
    session.add(charter)
    session.flush()
    for s in data.sections:
        section = CharterSection(charter_id=charter.id, no=s.no, title=s.title, topic=s.topic)
        session.add(section)
        session.flush()
        for c in s.clauses:
            session.add(CharterClause(charter_id=charter.id, section_id=section.id, no=c.no, text=c.text,
                                      topic=c.topic or s.topic))
    session.flush()
    today = to_bkk(now).date()
    for r in data.rounds:
        if r.opens_in_days is not None and r.closes_in_days is not None:
            opens = datetime.combine(today + timedelta(days=r.opens_in_days), time(0, 0), tzinfo=BKK)
            closes = datetime.combine(today + timedelta(days=r.closes_in_days), time(23, 59), tzinfo=BKK)
        else:
            opens, closes = _as_start(r.opens_at), _as_end(r.closes_at)
        create_round(session, charter, r.name, opens, closes)
    session.refresh(charter)
    views.forget(session)
    return charter


def _as_start(value: datetime | date | None) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=BKK)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=BKK)
    raise ServiceError("round_dates", "รอบรับฟังความคิดเห็นต้องมีวันเปิดและวันปิดค่ะ")


def _as_end(value: datetime | date | None) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=BKK)
    if isinstance(value, date):
        return datetime.combine(value, time(23, 59), tzinfo=BKK)
    raise ServiceError("round_dates", "รอบรับฟังความคิดเห็นต้องมีวันเปิดและวันปิดค่ะ")


def publish(session: Session, charter: Charter, now: datetime | None = None) -> Charter:
    """Publish a version; the district's previously published version becomes archived."""
    now = now or utcnow()
    rows = session.scalars(
        locked(select(Charter).where(Charter.district == charter.district))
    ).all()
    if charter.status == "published":
        return charter
    for other in rows:
        if other.id != charter.id and other.status == "published":
            other.status = "archived"
    charter.status = "published"
    charter.published_at = now
    session.flush()
    views.forget(session)
    return charter


def get_charter(session: Session, charter_id: int) -> Charter | None:
    return session.get(Charter, charter_id)


def versions(session: Session, district: str) -> list[Charter]:
    return list(session.scalars(select(Charter).where(Charter.district == district).order_by(Charter.version)))


def published_charter(session: Session, district: str | None = None) -> Charter | None:
    """The district's published charter; without a district, the most recently published one."""
    q = select(Charter).where(Charter.status == "published")
    if district:
        q = q.where(Charter.district == district)
    return session.scalar(q.order_by(Charter.published_at.desc(), Charter.id.desc()).limit(1))


def charter_for_user(session: Session, user: User | None) -> CharterView | None:
    """The published charter of the user's district, else the default district's, else any (a shared snapshot)."""
    district = None
    if user is not None and user.community_id is not None:
        community = communities.get(session, user.community_id)
        district = community.district if community else None
    for d in (district, DEFAULT_DISTRICT):
        if d:
            found = views.published_view(session, d)
            if found is not None:
                return found
    return views.published_view(session)


def charter_of(session: Session, charter_id: int) -> AnyCharter | None:
    """The charter with this id: the shared snapshot when it is published, else as stored."""
    return views.view_by_id(session, charter_id) or session.get(Charter, charter_id)


def published_or_none(session: Session, charter_id: int) -> AnyCharter | None:
    """The charter with this id if it is published, else None."""
    found = charter_of(session, charter_id)
    return found if found is not None and found.status == "published" else None


def sections(session: Session, charter: AnyCharter) -> list[AnySection]:
    if isinstance(charter, CharterView):
        return list(charter.sections)
    return list(session.scalars(
        select(CharterSection).where(CharterSection.charter_id == charter.id)
        .options(selectinload(CharterSection.clauses)).order_by(CharterSection.no)
    ))


def get_section(session: Session, charter: AnyCharter, no: int) -> AnySection | None:
    if isinstance(charter, CharterView):
        return charter.section_by_no.get(no)
    return session.scalar(select(CharterSection).where(CharterSection.charter_id == charter.id,
                                                       CharterSection.no == no))


def next_section(session: Session, charter: AnyCharter, section: AnySection) -> AnySection | None:
    """The section after this one (by number), or None after the last."""
    if isinstance(charter, CharterView):
        return next((s for s in charter.sections if s.no > section.no), None)
    return session.scalar(select(CharterSection).where(CharterSection.charter_id == charter.id,
                                                       CharterSection.no > section.no)
                          .order_by(CharterSection.no).limit(1))


def get_clause(session: Session, charter: AnyCharter, no: int) -> AnyClause | None:
    """A clause by its number (numbers run through the whole charter)."""
    if isinstance(charter, CharterView):
        return charter.clause_by_no.get(no)
    return session.scalar(select(CharterClause).where(CharterClause.charter_id == charter.id,
                                                      CharterClause.no == no))


def clauses_numbered(session: Session, charter: AnyCharter, nos: list[int]) -> tuple[list[AnyClause], list[int]]:
    """The clauses with these numbers (in the order given, each once) and the numbers the charter does not have."""
    found: list[AnyClause] = []
    missing: list[int] = []
    for no in dict.fromkeys(nos):
        clause = get_clause(session, charter, no)
        if clause is None:
            missing.append(no)
        else:
            found.append(clause)
    return found, missing


def clause_by_id(session: Session, clause_id: int) -> AnyClause | None:
    """A clause by id: from a published charter's snapshot, else (an older version's button) the database."""
    return views.clause_view(session, clause_id) or session.get(CharterClause, clause_id)


def section_by_id(session: Session, section_id: int) -> AnySection | None:
    """A section by id: from a published charter's snapshot, else the database."""
    return views.section_view(session, section_id) or session.get(CharterSection, section_id)


def clause_count(session: Session, charter: AnyCharter) -> int:
    if isinstance(charter, CharterView):
        return len(charter.clause_by_id)
    return session.scalar(select(func.count(CharterClause.id)).where(CharterClause.charter_id == charter.id)) or 0


# --- hearing rounds ------------------------------------------------------------------------------

_OPEN_ROUNDS = "charter.open_rounds"
"""session.info key: (charter id, now) → the round open then, as `current_round` found it."""


def create_round(session: Session, charter: Charter, name: str, opens_at: datetime,
                 closes_at: datetime) -> HearingRound:
    """A hearing round for this charter version; rounds of one charter may not overlap."""
    check_round_dates(session, charter.id, opens_at, closes_at)
    row = HearingRound(charter_id=charter.id, name=name.strip(), opens_at=opens_at, closes_at=closes_at)
    session.add(row)
    session.flush()
    session.info.pop(_OPEN_ROUNDS, None)
    views.forget(session)
    return row


def check_round_dates(session: Session, charter_id: int, opens_at: datetime, closes_at: datetime) -> None:
    """The rule for a new round's dates (closing after opening, no overlap with another round of the charter);
    staff in chat hear it as soon as both days are given, not at the confirmation."""
    if opens_at.tzinfo is None or closes_at.tzinfo is None:
        raise ValueError("opens_at and closes_at must be timezone-aware")
    if closes_at <= opens_at:
        raise ServiceError("round_dates", "วันปิดรับความคิดเห็นต้องอยู่หลังวันเปิดค่ะ")
    for other in _stored_rounds(session, charter_id):
        if opens_at < other.closes_at and other.opens_at < closes_at:
            after = format_date(other.closes_at + timedelta(days=1)) if other.closes_at > opens_at else None
            hint = f" เลือกวันเปิดตั้งแต่ {after} ได้นะคะ" if after and other.opens_at <= opens_at else ""
            raise ServiceError(
                "round_overlap",
                f"ช่วงเวลานี้ซ้อนกับ{other.name} ({format_date(other.opens_at)} – {format_date(other.closes_at)}) ค่ะ{hint}",
            )


def check_opening_day(session: Session, charter_id: int, opens_at: datetime) -> None:
    """A new round cannot open inside another round of the charter: said at the opening-day step, with the
    first day after that round."""
    for other in _stored_rounds(session, charter_id):
        if other.opens_at <= opens_at < other.closes_at:
            raise ServiceError(
                "round_overlap",
                f"วันนั้นยังอยู่ใน{other.name} ({format_date(other.opens_at)} – {format_date(other.closes_at)}) ค่ะ "
                f"เลือกวันเปิดตั้งแต่ {format_date(other.closes_at + timedelta(days=1))} ได้นะคะ",
            )


def rounds(session: Session, charter: AnyCharter) -> list[AnyRound]:
    """The charter's hearing rounds by opening date."""
    if isinstance(charter, CharterView):
        return list(charter.rounds)
    return _stored_rounds(session, charter.id)


def _stored_rounds(session: Session, charter_id: int) -> list[HearingRound]:
    return list(session.scalars(
        select(HearingRound).where(HearingRound.charter_id == charter_id).order_by(HearingRound.opens_at)
    ))


def get_round(session: Session, round_id: int) -> HearingRound | None:
    return session.get(HearingRound, round_id)


def current_round(session: Session, charter: AnyCharter, now: datetime) -> AnyRound | None:
    """The round open at ``now`` (opens_at ≤ now < closes_at), if any.

    A snapshot answers from its rounds. Otherwise, asked again in the same session for the same ``now``
    (one event: the card, the flow, the rule), it is answered without another query; `create_round`
    forgets the answers.
    """
    if isinstance(charter, CharterView):
        return next((r for r in reversed(charter.rounds) if r.opens_at <= now < r.closes_at), None)
    known = session.info.setdefault(_OPEN_ROUNDS, {})
    key = (charter.id, now)
    if key not in known:
        known[key] = session.scalar(
            select(HearingRound).where(HearingRound.charter_id == charter.id, HearingRound.opens_at <= now,
                                       HearingRound.closes_at > now)
            .order_by(HearingRound.opens_at.desc()).limit(1)
        )
    return known[key]


INVITE_ACTION = "broadcast.invite_round"
"""The postback that offers staff `invitation_text` to announce (bot.handlers.broadcast)."""


def invitation_text(charter: AnyCharter, hearing: AnyRound) -> str:
    """What staff announce to invite everyone to a hearing round (offered as it is, or edited)."""
    return (f"📜 ขอชวนทุกคนร่วมแสดงความเห็นต่อ{charter.title}\n"
            f"{hearing.name} เปิดรับ{format_date(hearing.opens_at, long=True)} ถึง{format_datetime(hearing.closes_at, long=True)}\n"
            "พิมพ์ “ธรรมนูญสุขภาพ” แล้วเลือกข้อที่สนใจ บอกได้เลยว่าเห็นด้วยหรือไม่ "
            "ทุกความเห็นช่วยกำหนดงานสุขภาพของเขตเราค่ะ")


def next_round(session: Session, charter: AnyCharter, now: datetime) -> AnyRound | None:
    """The next round that has not opened yet, if any."""
    if isinstance(charter, CharterView):
        return next((r for r in charter.rounds if r.opens_at > now), None)
    return session.scalar(
        select(HearingRound).where(HearingRound.charter_id == charter.id, HearingRound.opens_at > now)
        .order_by(HearingRound.opens_at).limit(1)
    )


def latest_round(session: Session, charter: AnyCharter, now: datetime) -> AnyRound | None:
    """The open round, else the most recently closed one (what staff want results for)."""
    if isinstance(charter, CharterView):
        begun = [r for r in charter.rounds if r.opens_at <= now]
        return current_round(session, charter, now) or max(begun, key=lambda r: r.closes_at, default=None)
    return current_round(session, charter, now) or session.scalar(
        select(HearingRound).where(HearingRound.charter_id == charter.id, HearingRound.opens_at <= now)
        .order_by(HearingRound.closes_at.desc()).limit(1)
    )


def closed_message(session: Session, charter: AnyCharter, now: datetime) -> str:
    """Polite Thai: feedback is closed now, with the next round's dates if there is one."""
    had_round = any(r.closes_at <= now for r in rounds(session, charter))
    first = "ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ" if had_round else "ขณะนี้ยังไม่เปิดรับความคิดเห็นค่ะ"
    upcoming = next_round(session, charter, now)
    if upcoming is not None:
        return (f"{first} {upcoming.name} จะเปิด{format_date(upcoming.opens_at, long=True)}"
                f" ถึง{format_date(upcoming.closes_at, long=True)} แล้วกลับมาแสดงความเห็นได้นะคะ")
    return f"{first} ยังไม่มีกำหนดรอบถัดไป เมื่อเปิดรอบใหม่จะแจ้งให้ทราบนะคะ ระหว่างนี้อ่านธรรมนูญได้ตามปกติค่ะ"


def round_status_text(session: Session, charter: AnyCharter, now: datetime) -> str:
    """One line for the intro card: open until when, or when the next round opens."""
    current = current_round(session, charter, now)
    if current is not None:
        return f"เปิดรับความคิดเห็นถึง {format_datetime(current.closes_at)}"
    upcoming = next_round(session, charter, now)
    if upcoming is not None:
        return f"รอบถัดไปเปิด {format_date(upcoming.opens_at)}"
    return "ตอนนี้ไม่ได้เปิดรับความคิดเห็น"


# --- stances -------------------------------------------------------------------------------------

NO_CONSENT_TH = ("การแสดงความเห็นต้องได้รับความยินยอมให้เก็บข้อมูลก่อนค่ะ "
                 "พิมพ์ “ยินยอม” เพื่อให้ความยินยอม แล้วกลับมาแสดงความเห็นได้เลยนะคะ "
                 "ระหว่างนี้อ่านธรรมนูญได้ตามปกติค่ะ")


def _topic_for(comment: str | None, clause: CharterClause) -> str | None:
    """Topic of a comment from nlp when it is installed and finds one; else the clause's topic."""
    if not comment:
        return None
    try:
        import nlp  # optional (another package), imported lazily

        topic_of = getattr(nlp, "topic_of", None)
        if topic_of is None:
            from nlp.topics import topic_of  # type: ignore[no-redef]
        found = topic_of(comment)
    except Exception:  # noqa: BLE001 - tagging is a nicety; never fail a stance because of it
        found = None
    return found or clause.topic


@dataclass
class StanceChange:
    """A stance as recorded, the stance it replaced (None if it is the user's first) and its round."""

    feedback: ClauseFeedback
    before: str | None
    hearing: HearingRound
    dropped: str | None = None
    """The earlier comment, removed because it was the reason for the stance replaced (keep_comment)."""


def record_stance(session: Session, user: User, clause: CharterClause, stance: str, comment: str | None,
                  now: datetime) -> ClauseFeedback:
    """Record (or replace) the user's stance on a clause in the open round; raises ServiceError."""
    return change_stance(session, user, clause, stance, comment, now).feedback


def change_stance(session: Session, user: User, clause: CharterClause, stance: str, comment: str | None,
                  now: datetime, *, keep_comment: bool = False) -> StanceChange:
    """`record_stance`, also telling what the stance was before (for the thank-you) and the round.

    keep_comment: no comment (None) adds nothing, so the user's earlier comment on the clause stays while the
    stance stays the same; when the stance changes, the earlier comment (the old stance's reason) is dropped and
    told in `dropped` (it read "ข้อ 3 (เห็นด้วย): เพราะคนแก่ไปประชุมไม่ไหว"). A comment given still replaces it."""
    if stance not in STANCES:
        raise ServiceError("bad_stance", "เลือกได้ว่า เห็นด้วย ไม่เห็นด้วย หรือไม่แน่ใจ ค่ะ")
    if not user.has_consented:
        raise ServiceError("no_consent", NO_CONSENT_TH)
    hearing = _round_taking_answers(session, clause, now)
    comment = " ".join(comment.split())[:MAX_COMMENT] if comment and comment.strip() else None
    topic = _topic_for(comment, clause)
    # Most stances are a user's first on the clause: insert, and only when one is there already (the
    # unique key refuses it) read that one, locked, and replace it.
    values = {"round_id": hearing.id, "clause_id": clause.id, "user_id": user.id, "stance": stance,
              "comment": comment, "topic": topic, "created_at": now, "updated_at": now}
    insert = insert_unless_present(session.get_bind().dialect.name, ClauseFeedback, "round_id", "clause_id",
                                   "user_id")
    added = session.scalars(insert.returning(ClauseFeedback), [values]).first()
    if added is not None:
        return StanceChange(added, None, hearing)
    row = _find(session, hearing.id, clause.id, user.id, lock=True)
    if row is None:  # pragma: no cover - the unique row must exist after the conflict
        raise ServiceError("stance_conflict", "ขออภัยค่ะ บันทึกความเห็นไม่สำเร็จ ลองส่งอีกครั้งนะคะ")
    before, dropped = row.stance, None
    row.stance = stance
    if comment is not None or not keep_comment or before != stance:
        dropped = row.comment if comment is None and keep_comment else None
        row.comment = comment
        row.topic = topic
    row.updated_at = now
    session.flush()
    return StanceChange(row, before, hearing, dropped)


def change_stances(session: Session, user: User, clauses: list[AnyClause], stance: str, comment: str | None,
                   now: datetime) -> list[StanceChange]:
    """The same stance (and comment, if any) on several clauses, each through `change_stance`: one stance per user,
    clause and round, an old one replaced; with no comment the earlier comment on a clause stays when its stance
    does (a changed stance drops it). The rules are
    the clauses' charter's, so a refusal comes with the first clause, before anything is written."""
    return [change_stance(session, user, clause, stance, comment, now, keep_comment=True) for clause in clauses]


LATE_COMMENT = "ความเห็นต่อ{title} ข้อ {no} (ส่งมาช่วงที่ไม่ได้เปิดรับความคิดเห็น)\n{said}"


def late_comment(charter: AnyCharter, clause: AnyClause, stance: str | None, comment: str,
                 numbers: str | None = None) -> str:
    """A comment typed while no round is open, as it goes to the staff when the user asks (it is no stance:
    nothing is recorded in the round's results); `numbers` names several clauses ("4 และ 5") instead of one."""
    said = f"{STANCE_TH[stance]} · {comment}" if stance in STANCE_TH else comment
    return LATE_COMMENT.format(title=charter.title, no=numbers or clause.no, said=" ".join(said.split())[:900])  # a staff message holds 1,000


def add_comment(session: Session, user: User, clause: CharterClause, round_id: int, comment: str,
                now: datetime) -> ClauseFeedback | None:
    """The comment on the user's stance saved moments ago in this round, in one statement while the round is
    open and the charter published; None when it no longer is, or the stance is gone (then `change_stance`
    says why). The stance stays as it is."""
    text = " ".join(comment.split())[:MAX_COMMENT]
    if not user.has_consented or not text:
        return None
    still_open = (select(HearingRound.id).join(Charter, Charter.id == HearingRound.charter_id)
                  .where(HearingRound.id == round_id, Charter.status == "published", HearingRound.opens_at <= now,
                         HearingRound.closes_at > now).exists())
    return session.scalars(
        update(ClauseFeedback)
        .where(ClauseFeedback.round_id == round_id, ClauseFeedback.clause_id == clause.id,
               ClauseFeedback.user_id == user.id, still_open)
        .values(comment=text, topic=_topic_for(text, clause), updated_at=now)
        .returning(ClauseFeedback),
        execution_options={"synchronize_session": False},
    ).first()


def _round_taking_answers(session: Session, clause: CharterClause, now: datetime) -> HearingRound:
    """The open round for the clause's charter, checked against what is stored (not the shared snapshot, which
    may be seconds old); ServiceError with the reason, and the next round's date, when none is open."""
    hearing = _stored_open_round(session, clause.charter_id, now)
    if hearing is None:
        charter = session.get(Charter, clause.charter_id)
        if charter is None or charter.status != "published":
            raise ServiceError("charter_not_published", "ธรรมนูญฉบับนี้ไม่ได้เปิดให้แสดงความเห็นแล้วค่ะ")
        raise ServiceError("round_closed", closed_message(session, charter, now))
    return hearing


def withdraw_stance(session: Session, user: User, clause: CharterClause, now: datetime) -> ClauseFeedback | None:
    """Remove the user's stance (and comment) on a clause in the open round; the removed row, or None when there
    was none. Raises ServiceError when no round is open (a closed round's answers stay as they were)."""
    hearing = _round_taking_answers(session, clause, now)
    row = _find(session, hearing.id, clause.id, user.id, lock=True)
    if row is not None:
        session.delete(row)
        session.flush()
    return row


def _stored_open_round(session: Session, charter_id: int, now: datetime) -> HearingRound | None:
    """The round open at ``now`` of this charter while it is published, as stored (one query)."""
    return session.scalar(
        select(HearingRound).join(Charter, Charter.id == HearingRound.charter_id)
        .where(Charter.id == charter_id, Charter.status == "published", HearingRound.opens_at <= now,
               HearingRound.closes_at > now)
        .order_by(HearingRound.opens_at.desc()).limit(1)
    )


def _find(session: Session, round_id: int, clause_id: int, user_id: int, lock: bool = False) -> ClauseFeedback | None:
    q = select(ClauseFeedback).where(ClauseFeedback.round_id == round_id, ClauseFeedback.clause_id == clause_id,
                                     ClauseFeedback.user_id == user_id)
    if lock:
        q = locked(q)
    return session.scalar(q)


def my_feedback(session: Session, user: User, hearing: AnyRound,
                clause: AnyClause | None = None) -> list[tuple[int, ClauseFeedback]]:
    """(clause number, the user's stance and comment) in this round, by clause number; one clause's only
    when a clause is given (an empty list: nothing said about it)."""
    q = (select(CharterClause.no, ClauseFeedback).join(CharterClause, CharterClause.id == ClauseFeedback.clause_id)
         .where(ClauseFeedback.round_id == hearing.id, ClauseFeedback.user_id == user.id)
         .order_by(CharterClause.no))
    if clause is not None:
        q = q.where(ClauseFeedback.clause_id == clause.id)
    return [(no, row) for no, row in session.execute(q)]


# --- tallies and results -------------------------------------------------------------------------

def _pct(part: int, total: int) -> int:
    return (part * 200 + total) // (2 * total) if total else 0  # rounded half up, whole percent


def _counts(pairs: Any) -> dict[str, int]:
    counts = dict.fromkeys(STANCES, 0)
    for stance, n in pairs:
        if stance in counts:
            counts[stance] += n
    counts["total"] = sum(counts[s] for s in STANCES)
    counts["pct_agree"] = _pct(counts["agree"], counts["total"])
    return counts


def tally_in_round(session: Session, clause: CharterClause, round_id: int) -> tuple[dict[str, int], datetime | None]:
    """One clause's tally in a round and when that round closes (None: no such round), in one query."""
    rows = session.execute(
        select(HearingRound.closes_at, ClauseFeedback.stance, func.count(ClauseFeedback.id))
        .outerjoin(ClauseFeedback, and_(ClauseFeedback.round_id == HearingRound.id,
                                        ClauseFeedback.clause_id == clause.id))
        .where(HearingRound.id == round_id)
        .group_by(HearingRound.closes_at, ClauseFeedback.stance)
    ).all()
    return _counts((stance, n) for _, stance, n in rows), rows[0][0] if rows else None


def tally(session: Session, clause: CharterClause, hearing: HearingRound) -> dict[str, int]:
    """{agree, disagree, unsure, total, pct_agree} for one clause in one round."""
    return tally_in_round(session, clause, hearing.id)[0]


def tallies(session: Session, hearing: HearingRound, clause_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """clause_id → tally, for many clauses in one query."""
    return tallies_and_mine(session, hearing, clause_ids, None)[0]


def tallies_and_mine(session: Session, hearing: HearingRound, clause_ids: list[int] | None,
                     user: User | None) -> tuple[dict[int, dict[str, int]], dict[int, str]]:
    """clause_id → tally, and clause_id → this user's stance on those clauses, in one query."""
    mine_flag = (func.max(case((ClauseFeedback.user_id == user.id, 1), else_=0)) if user is not None
                 else literal(0))
    q = (select(ClauseFeedback.clause_id, ClauseFeedback.stance, func.count(), mine_flag)
         .where(ClauseFeedback.round_id == hearing.id)
         .group_by(ClauseFeedback.clause_id, ClauseFeedback.stance))
    if clause_ids is not None:
        q = q.where(ClauseFeedback.clause_id.in_(clause_ids))
    grouped: dict[int, list[tuple[str, int]]] = {}
    mine: dict[int, str] = {}
    for clause_id, stance, n, is_mine in session.execute(q):
        grouped.setdefault(clause_id, []).append((stance, n))
        if is_mine:
            mine[clause_id] = stance
    ids = clause_ids if clause_ids is not None else list(grouped)
    return {cid: _counts(grouped.get(cid, [])) for cid in ids}, mine


def tally_text(counts: dict[str, int]) -> str:
    """'เห็นด้วย 3 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 0 (เห็นด้วย 75%)'"""
    if not counts["total"]:
        return "ยังไม่มีใครแสดงความเห็นข้อนี้"
    return (f"เห็นด้วย {counts['agree']} · ไม่เห็นด้วย {counts['disagree']} · ไม่แน่ใจ {counts['unsure']}"
            f" (เห็นด้วย {counts['pct_agree']}%)")


@dataclass
class ClauseResult:
    clause_id: int
    clause_no: int
    section_no: int
    section_title: str
    text: str
    agree: int
    disagree: int
    unsure: int
    total: int
    pct_agree: int
    comments: list[dict[str, Any]] = field(default_factory=list)
    """Newest first: {stance, comment, topic, at, user_id}."""


def results(session: Session, hearing: HearingRound, clause_no: int | None = None,
            comments_per_clause: int | None = None) -> list[ClauseResult]:
    """Per clause of the round's charter: counts, % agree and comments (newest first), for staff."""
    q = (select(CharterClause, CharterSection).join(CharterSection, CharterClause.section_id == CharterSection.id)
         .where(CharterClause.charter_id == hearing.charter_id).order_by(CharterClause.no))
    if clause_no is not None:
        q = q.where(CharterClause.no == clause_no)
    pairs = session.execute(q).all()
    counts = tallies(session, hearing, [c.id for c, _ in pairs])
    comments: dict[int, list[dict[str, Any]]] = {}
    for fb in session.scalars(
        select(ClauseFeedback).where(ClauseFeedback.round_id == hearing.id, ClauseFeedback.comment.is_not(None))
        .order_by(ClauseFeedback.updated_at.desc(), ClauseFeedback.id.desc())
    ):
        bucket = comments.setdefault(fb.clause_id, [])
        if comments_per_clause is None or len(bucket) < comments_per_clause:
            bucket.append({"stance": fb.stance, "comment": fb.comment, "topic": fb.topic, "at": fb.updated_at,
                           "user_id": fb.user_id})
    out = []
    for clause, section in pairs:
        c = counts[clause.id]
        out.append(ClauseResult(
            clause_id=clause.id, clause_no=clause.no, section_no=section.no, section_title=section.title,
            text=clause.text, agree=c["agree"], disagree=c["disagree"], unsure=c["unsure"], total=c["total"],
            pct_agree=c["pct_agree"], comments=comments.get(clause.id, []),
        ))
    return out


def participants(session: Session, hearing: HearingRound) -> list[User]:
    """Users who gave at least one stance in the round (for the results push)."""
    ids = select(ClauseFeedback.user_id).where(ClauseFeedback.round_id == hearing.id).distinct()
    return list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def users_without_feedback(session: Session, hearing: HearingRound) -> list[User]:
    """Active, consenting users of the charter's district (or with no community yet) who gave no stance."""
    charter = session.get(Charter, hearing.charter_id)
    gave = select(ClauseFeedback.user_id).where(ClauseFeedback.round_id == hearing.id).distinct()
    in_district = select(Community.id).where(Community.district == charter.district) if charter else None
    q = select(User).where(User.is_active.is_(True), User.consent_at.is_not(None), User.id.not_in(gave))
    if in_district is not None:
        q = q.where((User.community_id.is_(None)) | (User.community_id.in_(in_district)))
    return list(session.scalars(q.order_by(User.id)))
