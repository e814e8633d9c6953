"""Activities: browsing, sign-up with capacity and waitlist, cancellation, check-in, staff changes.

Every change that decides who gets a seat locks the activity row first (``with_for_update`` on
PostgreSQL; on SQLite the write transaction already holds the database lock), so two people racing for
the last seat can never both get it. Anything a person must hear about later is queued in the outbox in
the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from bot import postback, replies
from bot.services import checkin, communities
from bot.services.communities import CommunityInfo, CommunityLike
from bot.services.errors import ServiceError
from bot.services.outbox import enqueue_push
from bot.thaidate import (
    THAI_DIGITS,
    format_date,
    format_datetime,
    format_span,
    format_time,
    parse_date_text,
    to_bkk,
)
from nlp.dates import PARTS_OF_DAY
from storage.db import locked
from storage.models import Activity, Community, Signup, User

ACTIVE = ("confirmed", "waitlisted")
MAX_PARTY = 10
MAX_SCANNED = 500
"""Upcoming activities read to filter by the hour (in Python: the hour in Bangkok differs by store)."""
EDITABLE = ("title", "description", "place", "capacity", "topic", "target_group", "signup_deadline",
            "community_id", "fee_baht")
MAX_FEE = 100_000
"""The most an activity may cost, in baht (a bigger number is a typo: a phone number, a budget)."""


@dataclass
class CancelResult:
    signup: Signup
    promoted: list[Signup] = field(default_factory=list)


@dataclass
class EditResult:
    activity: Activity
    changed: list[str] = field(default_factory=list)
    promoted: list[Signup] = field(default_factory=list)
    notified: int = 0
    told: list[str] = field(default_factory=list)
    """The changes pushed to the participants (keys of TOLD_CHANGES), in that order."""


# --- reading -------------------------------------------------------------------------------------

def _activity_key(activity_id: int | str | None) -> int:
    """An activity id as typed or sent in a button; -1 (no such row) when it is not a number."""
    try:
        return int(activity_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1


def get_activity(session: Session, activity_id: int | str, lock: bool = False) -> Activity:
    key = _activity_key(activity_id)
    # Locked: read afresh under the lock. Not locked: the session's copy, if it has one.
    activity = (session.scalar(locked(select(Activity).where(Activity.id == key))) if lock
                else session.get(Activity, key))
    if activity is None:
        raise ServiceError("activity_not_found", "ไม่พบกิจกรรมนี้ค่ะ อาจถูกลบไปแล้วนะคะ", final=True)
    return activity


def _range_bounds(date_range: Any) -> tuple[datetime | None, datetime | None]:
    """Accept (start, end), or any object with .start/.end (the NLP entity)."""
    if date_range is None:
        return None, None
    if isinstance(date_range, (tuple, list)):
        return date_range[0], date_range[1]
    return getattr(date_range, "start", None), getattr(date_range, "end", None)


def _community_id(community: CommunityLike | int | None) -> int | None:
    if community is None:
        return None
    return int(community) if isinstance(community, int) else community.id


def upcoming(session: Session, now: datetime, date_range: Any = None, community: CommunityLike | int | None = None,
             topic: str | None = None, limit: int = 12, offset: int = 0,
             target_group: str | None = None, part_of_day: str | None = None) -> list[Activity]:
    """Published activities not yet started, soonest first.

    ``date_range`` keeps activities starting inside [start, end); ``community`` keeps that community's
    activities plus district-wide ones; ``topic`` and ``target_group`` are reference keys;
    ``part_of_day`` (a key of nlp.dates.PARTS_OF_DAY) keeps those starting in its hours, Bangkok time.
    """
    if part_of_day in PARTS_OF_DAY:
        _, first_hour, end_hour = PARTS_OF_DAY[part_of_day]
        every = upcoming(session, now, date_range, community, topic, limit=MAX_SCANNED, target_group=target_group)
        return [a for a in every if first_hour <= to_bkk(a.starts_at).hour < end_hour][offset:offset + limit]
    query = select(Activity).where(Activity.status == "published", Activity.starts_at > now)
    start, end = _range_bounds(date_range)
    if start is not None:
        query = query.where(Activity.starts_at >= start)
    if end is not None:
        query = query.where(Activity.starts_at < end)
    community_id = _community_id(community)
    if community_id is not None:
        query = query.where(or_(Activity.community_id == community_id, Activity.community_id.is_(None)))
    if topic:
        query = query.where(Activity.topic == topic)
    if target_group:
        query = query.where(Activity.target_group == target_group)
    return list(session.scalars(query.order_by(Activity.starts_at, Activity.id).offset(offset).limit(limit)))


RECENT = timedelta(days=30)
"""How far back staff still find an activity by its name (to write to those who came, say)."""


def recent_and_upcoming(session: Session, now: datetime, back: timedelta = RECENT,
                        limit: int = MAX_SCANNED) -> list[Activity]:
    """Published activities starting from `back` ago on, in date order."""
    query = (select(Activity).where(Activity.status == "published", Activity.starts_at >= now - back)
             .order_by(Activity.starts_at, Activity.id).limit(limit))
    return list(session.scalars(query))


def seats_taken(session: Session, activity_id: int) -> int:
    """Seats held by confirmed sign-ups (each counts its companions)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Signup.party_size), 0))
        .where(Signup.activity_id == activity_id, Signup.status == "confirmed")
    )
    return int(total or 0)


def _activity_seen_by_statement() -> Any:
    """SELECT the activity, its seats taken and the viewer's sign-up; built once (building it cost more than running it)."""
    taken = (select(func.coalesce(func.sum(Signup.party_size), 0))
             .where(Signup.activity_id == Activity.id, Signup.status == "confirmed").scalar_subquery())
    mine = aliased(Signup)
    return (select(Activity, taken, mine)
            .outerjoin(mine, and_(mine.activity_id == Activity.id, mine.user_id == bindparam("viewer_id")))
            .where(Activity.id == bindparam("activity_id")))


_ACTIVITY_SEEN_BY = _activity_seen_by_statement()


def activity_seen_by(session: Session, activity_id: int | str, user_id: int | None) -> tuple[Activity, int, Signup | None]:
    """An activity for its card, the seats taken and the viewer's sign-up (any status), in one query."""
    row = session.execute(_ACTIVITY_SEEN_BY, {
        "activity_id": _activity_key(activity_id), "viewer_id": user_id if user_id is not None else -1}).first()
    if row is None:
        raise ServiceError("activity_not_found", "ไม่พบกิจกรรมนี้ค่ะ อาจถูกลบไปแล้วนะคะ", final=True)
    return row[0], int(row[1] or 0), row[2]


def seats_taken_map(session: Session, activity_ids: list[int]) -> dict[int, int]:
    if not activity_ids:
        return {}
    rows = session.execute(
        select(Signup.activity_id, func.sum(Signup.party_size))
        .where(Signup.activity_id.in_(activity_ids), Signup.status == "confirmed")
        .group_by(Signup.activity_id)
    )
    taken = {aid: 0 for aid in activity_ids}
    taken.update({aid: int(n or 0) for aid, n in rows})
    return taken


def seats_left(session: Session, activity: Activity) -> int:
    return free_seats(activity, seats_taken(session, activity.id))


def free_seats(activity: Activity, taken: int) -> int:
    """The seats left when `taken` are held (never below none)."""
    return max(0, activity.capacity - taken)


def waitlist_count(session: Session, activity_id: int) -> int:
    return int(session.scalar(
        select(func.count(Signup.id)).where(Signup.activity_id == activity_id, Signup.status == "waitlisted")
    ) or 0)


def waitlist_position(session: Session, signup: Signup) -> int | None:
    """1 for the first in line; None when not on the waitlist."""
    if signup.status != "waitlisted" or signup.waitlist_seq is None:
        return None
    ahead = session.scalar(
        select(func.count(Signup.id)).where(
            Signup.activity_id == signup.activity_id, Signup.status == "waitlisted",
            Signup.waitlist_seq < signup.waitlist_seq,
        )
    )
    return int(ahead or 0) + 1


def find_signup(session: Session, user: User, activity_id: int) -> Signup | None:
    return session.scalar(select(Signup).where(Signup.activity_id == activity_id, Signup.user_id == user.id))


def my_signups(session: Session, user: User, now: datetime) -> list[Signup]:
    """The user's live sign-ups (confirmed or waitlisted) for activities that have not ended."""
    return _live_signups(session, user, now, "published")


def signups_of_cancelled(session: Session, user: User, now: datetime) -> list[Signup]:
    """The user's sign-ups, still live, of activities staff cancelled that would not have ended yet."""
    return _live_signups(session, user, now, "cancelled")


def _live_signups(session: Session, user: User, now: datetime, activity_status: str) -> list[Signup]:
    query = (
        select(Signup).join(Activity, Signup.activity_id == Activity.id)
        .where(Signup.user_id == user.id, Signup.status.in_(ACTIVE), Activity.ends_at > now,
               Activity.status == activity_status)
        .options(selectinload(Signup.activity))
        .order_by(Activity.starts_at, Signup.id)
    )
    return list(session.scalars(query))


def cancelled_upcoming(session: Session, now: datetime, limit: int = 50) -> list[Activity]:
    """Activities staff cancelled that would not have started yet (what someone may still ask to sign up for)."""
    return list(session.scalars(select(Activity).where(Activity.status == "cancelled", Activity.starts_at > now)
                                .order_by(Activity.starts_at, Activity.id).limit(limit)))


def signups_today(session: Session, user: User, now: datetime) -> list[Signup]:
    """The user's live sign-ups for activities held today (Bangkok), the ones to check in at the door now."""
    today = to_bkk(now).date()
    return [row for row in my_signups(session, user, now)
            if to_bkk(row.activity.starts_at).date() <= today <= to_bkk(row.activity.ends_at).date()]


def participants(session: Session, activity: Activity, include_waitlist: bool = False) -> list[Signup]:
    """Confirmed sign-ups in sign-up order, then (optionally) the waitlist in its order."""
    confirmed = list(session.scalars(
        select(Signup).where(Signup.activity_id == activity.id, Signup.status == "confirmed").order_by(Signup.id)
    ))
    if not include_waitlist:
        return confirmed
    waiting = list(session.scalars(
        select(Signup).where(Signup.activity_id == activity.id, Signup.status == "waitlisted")
        .order_by(Signup.waitlist_seq, Signup.id)
    ))
    return confirmed + waiting


def signup_user(session: Session, signup: Signup) -> User:
    user = session.get(User, signup.user_id)
    assert user is not None
    return user




def parse_int(text: str | int | None) -> int | None:
    """'30', '๓๐', ' 30 ที่' → 30; None when there is no number."""
    if isinstance(text, int):
        return text
    match = re.search(r"\d+", (text or "").translate(THAI_DIGITS))
    return int(match.group()) if match else None


FREE_WORDS = re.compile(r"(?:ฟรี|ไม่(?:ต้อง)?(?:เสีย|มี|เก็บ|จ่าย)(?:เงิน|ค่า\S*)?)+")
"""How staff say an activity costs nothing: "ฟรี", "ไม่มีค่าสมัคร", "ไม่เสียค่าใช้จ่าย"."""
NO_FEE_SAID = re.compile(r"(?:ไม่ระบุ|ไม่บอก|ยังไม่รู้|ไม่ทราบ|-)")
"""How staff take a fee back to "not stated"."""
_FEE_WORDS = re.compile(r"ค่า\s*(?:สมัคร|ใช้จ่าย|เข้าร่วม|ลงทะเบียน)|ราคา|บาท|บ\.|฿|คนละ|ต่อคน|ท่านละ|เป็น|คือ"
                        r"|ค่ะ|คะ|ครับ|นะ|จ้ะ|จ้า|[\s,]")
FEE_HELP = "พิมพ์เช่น “50 บาท” หรือ “ฟรี” นะคะ"


def parse_fee(text: str | int | None) -> int | None:
    """A fee as staff type it: "50", "๕๐ บาท", "ห้าสิบบาท", "คนละ 20 บาท" → baht; "ฟรี", "0" → 0; "ไม่ระบุ", "-" →
    None (not stated). ServiceError with an example for anything else."""
    from nlp.numbers import NUMBER_RE, iter_numbers

    if isinstance(text, int) and not isinstance(text, bool):
        return _checked_fee(text)
    said = (text or "").strip().translate(THAI_DIGITS) if isinstance(text, str) else ""
    if NO_FEE_SAID.fullmatch(_FEE_WORDS.sub("", said) or said):
        return None
    core = _FEE_WORDS.sub("", said)
    if FREE_WORDS.fullmatch(core) or core == "0":
        return 0
    if core.isdigit():
        return _checked_fee(int(core))
    if core and NUMBER_RE.fullmatch(core):
        for _, _, value in iter_numbers(core):
            if float(value).is_integer():
                return _checked_fee(int(value))
    if not said:
        raise ServiceError("bad_fee", f"ขอค่าสมัครเป็นจำนวนบาทค่ะ {FEE_HELP}")
    raise ServiceError("bad_fee", f"อ่านค่าสมัคร “{said}” ไม่ออกค่ะ {FEE_HELP}")


def _checked_fee(baht: int) -> int:
    if not 0 <= baht <= MAX_FEE:
        raise ServiceError("bad_fee", f"ค่าสมัครใส่ได้ 0–{MAX_FEE:,} บาทค่ะ {FEE_HELP}")
    return baht


def fee_text(fee_baht: int | None) -> str | None:
    """What an activity costs as residents read it: "ฟรี", "ค่าสมัคร 1,200 บาท"; None when not stated."""
    if fee_baht is None:
        return None
    return "ฟรี" if fee_baht == 0 else f"ค่าสมัคร {fee_baht:,} บาท"


def fee_each(fee_baht: int) -> str:
    """A stated fee as a sign-up's summary and a change notice say it: "ฟรี", "1,200 บาทต่อคน" (fee_baht is per person)."""
    return "ฟรี" if fee_baht == 0 else f"{fee_baht:,} บาทต่อคน"


def parse_when(text: str, default_time: tuple[int, int] = (9, 0)) -> datetime:
    """'2569-12-05 09:00', '5/12/2569 9.00' → aware Bangkok datetime (see bot.thaidate.parse_date_text)."""
    return parse_date_text(text, default_time)


# --- words used in pushes ------------------------------------------------------------------------

def when_where(activity: Activity) -> str:
    """'ส. 5 ธ.ค. 2569 เวลา 09:00–11:00 น.\nที่ ศาลาชุมชน…' for notices."""
    line = format_span(activity.starts_at, activity.ends_at)
    if activity.place:
        line += f"\nสถานที่: {activity.place}"
    return line


def _push(session: Session, user: User, body: str, activity: Activity, dedupe_key: str | None = None,
          quick: list[dict[str, Any]] | None = None) -> bool:
    row = enqueue_push(session, user, [replies.text(body, quick=quick)], category="activity_change",
                       dedupe_key=dedupe_key, activity_id=activity.id, schedule_version=activity.schedule_version)
    return row is not None


def _keep_or_cancel_chips(activity: Activity) -> list[dict[str, Any]]:
    """On a change that may not suit them: cancel this sign-up in one tap, or look at all of them."""
    return [replies.quick_postback("ยกเลิกการสมัคร", postback.encode("activity.cancel", id=activity.id),
                                   "ยกเลิกการสมัคร"),
            replies.quick_message("ที่ฉันสมัครไว้")]


# --- signing up ----------------------------------------------------------------------------------

def check_open(activity: Activity, now: datetime) -> None:
    """Sign-up is open; otherwise a final ServiceError (no answer of the person's can change it)."""
    if activity.status == "cancelled":
        raise ServiceError("activity_cancelled", f"กิจกรรม “{activity.title}” ถูกยกเลิกแล้วค่ะ ขออภัยด้วยนะคะ",
                           final=True)
    if activity.status != "published":
        raise ServiceError("activity_not_open", f"กิจกรรม “{activity.title}” ยังไม่เปิดรับสมัครค่ะ", final=True)
    if activity.starts_at <= now:
        raise ServiceError("activity_started", f"กิจกรรม “{activity.title}” เริ่มไปแล้วค่ะ ไว้ร่วมครั้งหน้านะคะ",
                           final=True)
    if activity.signup_deadline is not None and activity.signup_deadline <= now:
        raise ServiceError("deadline_passed",
                           f"ขออภัยค่ะ กิจกรรม “{activity.title}” ปิดรับสมัครแล้ว ไว้ร่วมกิจกรรมครั้งหน้านะคะ",
                           final=True)


def signup(session: Session, user: User, activity_id: int, party_size: int = 1, *,
           now: datetime) -> Signup:
    """Sign up the user and companions: confirmed when the seats fit, otherwise next on the waitlist."""
    if not user.has_consented:
        raise ServiceError("consent_required",
                           "ก่อนลงทะเบียน ขอความยินยอมเรื่องข้อมูลส่วนบุคคลก่อนนะคะ พิมพ์ “ยินยอม” เพื่ออ่านและตอบรับได้ค่ะ")
    activity = get_activity(session, activity_id, lock=True)
    check_open(activity, now)
    existing = find_signup(session, user, activity.id)
    if existing is not None and existing.status in ACTIVE:
        if existing.status == "confirmed":
            raise ServiceError("already_signed_up",
                               f"คุณลงทะเบียน “{activity.title}” ไว้แล้วค่ะ รหัสเช็คอิน {existing.checkin_code}")
        position = waitlist_position(session, existing)
        raise ServiceError("already_waitlisted",
                           f"คุณอยู่ในรายชื่อสำรองของ “{activity.title}” แล้วค่ะ ลำดับที่ {position}")
    if not 1 <= int(party_size) <= MAX_PARTY:
        raise ServiceError("bad_party_size", f"ลงทะเบียนได้ครั้งละ 1–{MAX_PARTY} คนค่ะ")
    party_size = int(party_size)
    if party_size > activity.capacity:
        raise ServiceError("party_over_capacity",
                           f"กิจกรรมนี้รับได้ทั้งหมด {activity.capacity} คนค่ะ ลองลดจำนวนผู้ติดตามนะคะ")

    fits = seats_taken(session, activity.id) + party_size <= activity.capacity
    seq = None
    if not fits:
        last = session.scalar(select(func.max(Signup.waitlist_seq)).where(Signup.activity_id == activity.id))
        seq = int(last or 0) + 1
    row = existing or Signup(activity_id=activity.id, user_id=user.id, checkin_code=checkin.new_code(session))
    row.party_size = party_size
    row.status = "confirmed" if fits else "waitlisted"
    row.waitlist_seq = seq
    row.cancelled_at = None
    row.attended_at = None
    if existing is None:
        session.add(row)
    session.flush()
    return row


def _promote(session: Session, activity: Activity, now: datetime, told_by_caller: Signup | None = None) -> list[Signup]:
    """Fill free seats from the waitlist in order, skipping parties that do not fit; tell each one (by push,
    but for `told_by_caller`: the person acting in chat, told in the reply).

    People who blocked the bot are passed over and stay waitlisted: the news of their seat could not reach
    them, and the seat would stand empty while the next person in line, who can be told, waits."""
    if activity.status != "published" or activity.starts_at <= now:
        return []
    free = activity.capacity - seats_taken(session, activity.id)
    promoted: list[Signup] = []
    waiting = session.scalars(
        select(Signup).join(User, User.id == Signup.user_id)
        .where(Signup.activity_id == activity.id, Signup.status == "waitlisted",
               or_(User.is_active.is_(True), Signup.id == (told_by_caller.id if told_by_caller else -1)))
        .order_by(Signup.waitlist_seq, Signup.id)
    )
    passed_over: list[tuple[Signup, int, int]] = []  # the party, the seats free then, how many were promoted then
    for row in list(waiting):
        if free <= 0:
            break
        if row.party_size > free:
            passed_over.append((row, free, len(promoted)))
            continue
        row.status = "confirmed"
        row.waitlist_seq = None
        free -= row.party_size
        promoted.append(row)
        if row is told_by_caller:
            continue
        people = f" ({row.party_size} คน)" if row.party_size > 1 else ""
        _push(session, signup_user(session, row),
              f"ข่าวดีค่ะ 🎉 มีที่ว่างแล้ว คุณได้เข้าร่วม “{activity.title}”{people}\n"
              f"{when_where(activity)}\nรหัสเช็คอิน: {row.checkin_code}\n"
              "หากไปไม่ได้ กรุณายกเลิกเพื่อให้คนอื่นได้ที่นั่งนะคะ", activity)
    for row, seen, before in passed_over:
        if row is not told_by_caller:
            _tell_passed_over(session, activity, row, seen, free, after=len(promoted) > before)
    session.flush()
    return promoted


def _tell_passed_over(session: Session, activity: Activity, row: Signup, seen: int, left: int, after: bool) -> None:
    """A waitlisted party too big for the seats that came free: told why it waits on (it heard nothing while the
    next in line got the seat), and, while seats are still free, offered to go with that many."""
    head = f"มีที่ว่าง {seen} ที่ใน “{activity.title}” แต่ไม่พอสำหรับ {row.party_size} คนที่คุณลงชื่อไว้"
    if left > 0:
        body = (f"{head}ค่ะ\nไป {left} คนไหมคะ ถ้าได้ แตะ “แก้จำนวนคน” หรือพิมพ์ “ขอเปลี่ยนเป็น {left} คน” "
                "จะได้ที่นั่งทันทีถ้ายังว่างอยู่ค่ะ ถ้าไม่ ยังรอในลำดับเดิมนะคะ")
        quick = [replies.quick_postback("แก้จำนวนคน", postback.encode("activity.party", id=activity.id), "แก้จำนวนคน")]
    else:
        gone = " ที่นั่งจึงส่งต่อให้คนถัดไปในรายชื่อสำรองที่ไปได้พอดี" if after else ""
        body = (f"{head}{gone}ค่ะ\nคุณยังรอในลำดับเดิม จะได้ที่นั่งทันทีเมื่อว่างพอสำหรับ {row.party_size} คน "
                "ถ้าไปน้อยลงได้ พิมพ์ “ขอเปลี่ยนเป็น … คน” ได้เลยค่ะ")
        quick = None
    _push(session, signup_user(session, row), body, activity, quick=quick)


def cancel_signup(session: Session, user: User, activity_id: int, *, now: datetime) -> CancelResult:
    """Cancel the user's sign-up; freed seats go to the waitlist in order (whoever fits)."""
    activity = get_activity(session, activity_id, lock=True)
    row = live_signup(session, user, activity)
    check_cancellable(activity, row, now)
    was_confirmed = row.status == "confirmed"
    row.status = "cancelled"
    row.waitlist_seq = None
    row.cancelled_at = now
    session.flush()
    promoted = _promote(session, activity, now) if was_confirmed else []
    return CancelResult(row, promoted)


def _not_checked_in(activity: Activity, row: Signup, now: datetime, doing: str) -> None:
    """Refuse for good to change a sign-up already checked in (``doing``: "ยกเลิกการสมัคร", "แก้จำนวนคน")."""
    if row.attended_at is None:
        return
    when = (format_time(row.attended_at) if to_bkk(row.attended_at).date() == to_bkk(now).date()
            else format_datetime(row.attended_at))
    raise ServiceError("already_checked_in",
                       f"คุณเช็คอินเข้าร่วม “{activity.title}” แล้วเมื่อ {when} ค่ะ จึง{doing}ไม่ได้แล้ว "
                       "ขอบคุณที่มาร่วมกิจกรรมนะคะ 🙏", final=True)


def cancelled_by_staff(activity: Activity) -> ServiceError:
    """Why a sign-up of an activity staff cancelled is not cancelled again (an old "ยกเลิกการสมัคร" chip said
    "ยกเลิกการสมัคร … แล้วค่ะ ขอบคุณที่แจ้งนะคะ" for it)."""
    return ServiceError("activity_cancelled", f"กิจกรรม “{activity.title}” ถูกยกเลิกโดยเจ้าหน้าที่แล้วค่ะ "
                                              "ไม่ต้องยกเลิกการสมัครเองนะคะ ขออภัยด้วยค่ะ", final=True)


def check_cancellable(activity: Activity, row: Signup, now: datetime) -> None:
    """A sign-up may be cancelled until the activity starts, and not once checked in (it became `cancelled`
    with its attendance kept, and the attendance counts went wrong), nor once staff cancelled the activity."""
    if activity.status == "cancelled":
        raise cancelled_by_staff(activity)
    _not_checked_in(activity, row, now, "ยกเลิกการสมัคร")
    if activity.starts_at <= now:
        raise ServiceError("activity_started", f"กิจกรรม “{activity.title}” เริ่มไปแล้ว ยกเลิกไม่ได้แล้วค่ะ", final=True)


def can_cancel(activity: Activity, row: Signup, now: datetime) -> bool:
    """Whether cancelling would be accepted now (check_cancellable's rule): the card's button follows it."""
    try:
        check_cancellable(activity, row, now)
    except ServiceError:
        return False
    return True


def live_signup(session: Session, user: User, activity: Activity) -> Signup:
    """The user's confirmed or waitlisted sign-up for this activity; ServiceError when there is none."""
    row = find_signup(session, user, activity.id)
    if row is None or row.status not in ACTIVE:
        raise ServiceError("not_signed_up", f"คุณไม่ได้สมัคร “{activity.title}” ไว้ หรือยกเลิกไปแล้วค่ะ")
    return row


@dataclass
class PartyChange:
    signup: Signup
    before: int
    """The party size it replaced."""
    promoted: list[Signup] = field(default_factory=list)
    """Waitlisted sign-ups that got the seats a smaller party freed (this one too, when it was waiting: then
    no push, the caller tells them)."""
    was_waitlisted: bool = False

    @property
    def got_a_seat(self) -> bool:
        """Waiting before, and the new party fits: confirmed by this change."""
        return self.was_waitlisted and self.signup.status == "confirmed"


@dataclass(frozen=True)
class PartyRoom:
    """How many people a live sign-up may change to now (change_party's rule; the question's chips follow it)."""

    most: int
    """The largest party accepted now; fewer people are always accepted."""
    why_no_more: ServiceError | None
    """Why a party above `most` is refused (None: only MAX_PARTY bounds it)."""
    seats_free: int
    """Seats free now: a waitlisted party that fits in them gets them, a bigger one keeps its place in line."""


def party_room(session: Session, activity: Activity, row: Signup, now: datetime) -> PartyRoom:
    """More people need an open sign-up and the activity's seats; a confirmed party, free seats too (it never
    drops to the waitlist for asking); a waitlisted one may grow and waits on."""
    before, free = row.party_size, seats_left(session, activity)
    if activity.signup_deadline is not None and activity.signup_deadline <= now:
        return PartyRoom(before, ServiceError("deadline_passed", f"“{activity.title}” ปิดรับสมัครแล้ว "
                                                                 "เพิ่มคนไม่ได้แล้วค่ะ แต่ลดจำนวนได้นะคะ"), free)
    if row.status == "confirmed" and before + free < min(activity.capacity, MAX_PARTY):
        return PartyRoom(before + free, ServiceError(
            "not_enough_seats", f"ตอนนี้ที่นั่งเต็มแล้วค่ะ ยังไปได้ {before} คนเหมือนเดิมนะคะ" if free <= 0 else
            f"ตอนนี้เหลือที่ว่าง {free} ที่ค่ะ เพิ่มได้อีกไม่เกิน {free} คน (รวม {before + free} คน)"), free)
    if activity.capacity < MAX_PARTY:
        return PartyRoom(activity.capacity, ServiceError(
            "party_over_capacity", f"กิจกรรมนี้รับได้ทั้งหมด {activity.capacity} คนค่ะ"), free)
    return PartyRoom(MAX_PARTY, None, free)


def check_party_changeable(activity: Activity, row: Signup, now: datetime) -> None:
    """How many go may change until the activity starts, and not once checked in (the seats were used),
    as a sign-up may be cancelled (check_cancellable)."""
    _not_checked_in(activity, row, now, "แก้จำนวนคน")
    if activity.status != "published" or activity.starts_at <= now:
        raise ServiceError("activity_started", f"กิจกรรม “{activity.title}” เริ่มไปแล้วหรือถูกยกเลิก "
                                               "แก้จำนวนคนไม่ได้แล้วค่ะ", final=True)


def party_fixed(row: Signup, room: PartyRoom) -> bool:
    """One person going and no more may come: no number to change to (no fewer, no more)."""
    return row.party_size <= 1 and room.most <= 1


def party_can_change(session: Session, activity: Activity, row: Signup, now: datetime) -> bool:
    """Whether "แก้จำนวนคน" can change anything now: not checked in, not started or cancelled
    (check_party_changeable), and some other number accepted (party_fixed); the card's button and the typed
    request follow this one rule."""
    try:
        check_party_changeable(activity, row, now)
    except ServiceError:
        return False
    return not party_fixed(row, party_room(session, activity, row, now))


def change_party(session: Session, user: User, activity_id: int, party_size: int, *, now: datetime) -> PartyChange:
    """Change how many people a live sign-up brings; raises ServiceError with the reason in Thai.

    Fewer people free seats for the waitlist. More people need free seats (a confirmed party never
    drops to the waitlist for asking) and an open sign-up; a waitlisted party keeps its place in line.
    """
    activity = get_activity(session, activity_id, lock=True)
    row = live_signup(session, user, activity)
    check_party_changeable(activity, row, now)
    if not 1 <= int(party_size) <= MAX_PARTY:
        raise ServiceError("bad_party_size", f"สมัครได้ครั้งละ 1–{MAX_PARTY} คนค่ะ")
    party_size, before = int(party_size), row.party_size
    if party_size == before:
        raise ServiceError("same_party", f"คุณสมัคร “{activity.title}” ไว้ {before} คนอยู่แล้วค่ะ")
    room = party_room(session, activity, row, now)
    if party_size > before and party_size > room.most and room.why_no_more is not None:
        raise room.why_no_more
    row.party_size = party_size
    session.flush()
    waiting = row.status == "waitlisted"
    promoted = _promote(session, activity, now, told_by_caller=row) if party_size < before or waiting else []
    return PartyChange(row, before, promoted, was_waitlisted=waiting)


# --- check-in ------------------------------------------------------------------------------------

def verify_checkin(session: Session, code: str) -> Signup:
    """The sign-up a code belongs to; raises for an unknown or cancelled code."""
    normalized = checkin.normalize_code(code)
    row = session.scalar(
        select(Signup).where(Signup.checkin_code == normalized).options(selectinload(Signup.activity))
    ) if normalized else None
    if row is None:
        raise ServiceError("code_unknown", f"ไม่พบรหัสเช็คอิน {normalized or code} ค่ะ กรุณาตรวจสอบอีกครั้งนะคะ")
    if row.status == "cancelled":
        raise ServiceError("signup_cancelled", f"รหัส {normalized} ถูกยกเลิกการลงทะเบียนไปแล้วค่ะ")
    return row


def _require_staff(user: User | None) -> None:
    """None means the command line (already trusted); in chat only staff may act."""
    if user is not None and not user.is_staff:
        raise ServiceError("not_allowed", "คำสั่งนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ")


LATE_CHECKIN_DAYS = 14
"""How many days after an activity staff may still record who came (from a paper attendance sheet)."""


def late_checkin_until(activity: Activity) -> date:
    """The last day (Bangkok) attendance may be recorded after the activity."""
    return to_bkk(activity.ends_at).date() + timedelta(days=LATE_CHECKIN_DAYS)


def check_in_today(activity: Activity, now: datetime) -> None:
    """Check-in is for the activity's own day (Bangkok time), or until it ends when it runs past midnight.

    A later day is refused with code "checkin_day_passed" while attendance may still be recorded after
    the activity (`mark_attended(..., late=True)`, which the message offers), "checkin_too_late" after that."""
    held_on = to_bkk(activity.starts_at).date()
    if to_bkk(now).date() == held_on or activity.starts_at <= now <= activity.ends_at:
        return
    if now < activity.starts_at:
        raise ServiceError("checkin_not_today",
                           f"ยังเช็คอินไม่ได้ค่ะ กิจกรรม “{activity.title}” จัด {format_date(held_on)} "
                           "ไม่ใช่วันนี้ เช็คอินได้ในวันกิจกรรมนะคะ")
    until = late_checkin_until(activity)
    if to_bkk(now).date() <= until:
        raise ServiceError("checkin_day_passed",
                           f"เช็คอินไม่ได้ค่ะ กิจกรรม “{activity.title}” จัดไปแล้วเมื่อ {format_date(held_on)} "
                           f"ไม่ใช่วันนี้ ถ้ามาร่วมจริง บันทึกย้อนหลังได้ถึง {format_date(until)} นะคะ")
    raise ServiceError("checkin_too_late",
                       f"เช็คอินไม่ได้ค่ะ กิจกรรม “{activity.title}” จัดไปแล้วเมื่อ {format_date(held_on)} "
                       f"เลยช่วงบันทึกย้อนหลัง {LATE_CHECKIN_DAYS} วันหลังกิจกรรมแล้วนะคะ")


def check_late_checkin(activity: Activity, now: datetime) -> None:
    """Attendance recorded afterwards: once the activity has started, until late_checkin_until."""
    if now < activity.starts_at:
        raise ServiceError("late_checkin_early",
                           f"ยังบันทึกย้อนหลังไม่ได้ค่ะ กิจกรรม “{activity.title}” ยังไม่เริ่ม "
                           f"(จัด {format_datetime(activity.starts_at)}) บันทึกได้หลังกิจกรรมเริ่มแล้วนะคะ")
    until = late_checkin_until(activity)
    if to_bkk(now).date() > until:
        raise ServiceError("checkin_too_late",
                           f"บันทึกย้อนหลังไม่ได้แล้วค่ะ กิจกรรม “{activity.title}” จัดเมื่อ "
                           f"{format_date(activity.starts_at)} บันทึกย้อนหลังได้ภายใน {LATE_CHECKIN_DAYS} วัน"
                           f"หลังกิจกรรม (ถึง {format_date(until)}) นะคะ")


def mark_attended(session: Session, staff: User | None, code: str, *, now: datetime,
                  late: bool = False) -> Signup:
    """Record attendance; only confirmed sign-ups, once. At the door on the activity's day (check_in_today);
    with ``late``, afterwards from a paper sheet (check_late_checkin)."""
    _require_staff(staff)
    row = verify_checkin(session, code)
    row = session.scalar(locked(select(Signup).where(Signup.id == row.id))) or row
    if row.activity.status == "cancelled":
        raise ServiceError("activity_cancelled",
                           f"กิจกรรม “{row.activity.title}” ถูกยกเลิกไปแล้วค่ะ รหัส {row.checkin_code} จึงเช็คอินไม่ได้")
    if row.status != "confirmed":
        raise ServiceError("not_confirmed",
                           f"รหัส {row.checkin_code} ยังอยู่ในรายชื่อสำรอง ยังไม่ได้รับที่นั่งค่ะ")
    if row.attended_at is not None:
        when = (format_time(row.attended_at) if to_bkk(row.attended_at).date() == to_bkk(now).date()
                else format_datetime(row.attended_at))  # another day: say which
        done = "บันทึกการเข้าร่วมไว้แล้ว" if row.attended_at > row.activity.ends_at else "เช็คอินไปแล้ว"  # afterwards
        raise ServiceError("already_checked_in", f"รหัส {row.checkin_code} {done}เมื่อ {when} ค่ะ")
    if late:
        check_late_checkin(row.activity, now)
    else:
        check_in_today(row.activity, now)
    row.attended_at = now
    session.flush()
    return row


# --- staff ---------------------------------------------------------------------------------------

@cache
def reference_names(kind: str) -> dict[str, str]:
    """key → Thai name for "topics" or "target_groups" (from storage/demo/reference.yaml)."""
    import yaml

    data = yaml.safe_load(resources.files("storage.demo").joinpath("reference.yaml").read_text("utf-8"))
    return {item["key"]: item["name"] for item in data.get(kind, [])}


def reference_keys(kind: str) -> set[str]:
    return set(reference_names(kind))


TARGET_GROUP_WORDS = {
    "elderly": ("ผู้สูงอายุ", "ผู้สูงวัย", "คนแก่", "ผู้เฒ่า", "คนชรา"),
    "children": ("เด็ก", "เยาวชน", "วัยรุ่น", "นักเรียน"),
    "families": ("ครอบครัว",),
    "working_age": ("วัยทำงาน", "คนทำงาน"),
    "disabled": ("คนพิการ", "ผู้พิการ"),
    "homeless": ("คนไร้บ้าน", "คนไร้ที่พึ่ง"),
    "informal_workers": ("แรงงานนอกระบบ", "ไรเดอร์", "หาบเร่", "แม่ค้า"),
}
"""How people name the target groups (storage/demo/reference.yaml): in a title, or asking for activities."""


def target_group_in(text: str) -> str | None:
    """The target group a text names ("โยคะผู้สูงอายุ" → elderly), if exactly one."""
    found = {key for key, words in TARGET_GROUP_WORDS.items() if any(word in (text or "") for word in words)}
    return found.pop() if len(found) == 1 else None


def suggested_labels(title: str) -> dict[str, str | None]:
    """The topic and target group a new activity's title suggests (nlp.topics' keywords; the group words), for
    staff to confirm or change: without them residents searching by topic or group never find it."""
    from nlp.topics import topic_of

    return {"topic": topic_of(title), "target_group": target_group_in(title)}


def _validate(fields: dict[str, Any], now: datetime | None) -> None:
    if "title" in fields and not (fields["title"] or "").strip():
        raise ServiceError("bad_title", "กรุณาใส่ชื่อกิจกรรมค่ะ")
    if "capacity" in fields:
        try:
            fields["capacity"] = int(fields["capacity"])
        except (TypeError, ValueError):
            raise ServiceError("bad_capacity", "จำนวนที่นั่งต้องเป็นตัวเลขค่ะ") from None
        if fields["capacity"] < 1:
            raise ServiceError("bad_capacity", "จำนวนที่นั่งต้องมีอย่างน้อย 1 ที่ค่ะ")
    for key in ("starts_at", "ends_at", "signup_deadline"):
        value = fields.get(key)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise ServiceError("bad_time", "วันเวลาไม่ถูกต้องค่ะ")
    if fields.get("fee_baht") is not None:
        fields["fee_baht"] = parse_fee(fields["fee_baht"])
    if fields.get("topic") and fields["topic"] not in reference_keys("topics"):
        raise ServiceError("bad_topic", f"ไม่รู้จักหัวข้อ {fields['topic']} ค่ะ")
    if fields.get("target_group") and fields["target_group"] not in reference_keys("target_groups"):
        raise ServiceError("bad_target_group", f"ไม่รู้จักกลุ่มเป้าหมาย {fields['target_group']} ค่ะ")


def check_times(starts_at: datetime, ends_at: datetime, deadline: datetime | None = None,
                now: datetime | None = None) -> None:
    """An activity's times: it ends after it starts, starts in the future, closes sign-up before it starts."""
    if ends_at <= starts_at:
        raise ServiceError("bad_time", "เวลาเลิกต้องอยู่หลังเวลาเริ่มค่ะ")
    if now is not None and starts_at <= now:
        raise ServiceError("bad_time", f"{format_span(starts_at, ends_at)} ผ่านไปแล้วค่ะ "
                                       "กรุณาใส่วันเวลาข้างหน้านะคะ")
    if deadline is not None and deadline > starts_at:
        raise ServiceError("bad_deadline", "วันปิดรับสมัครต้องไม่เลยเวลาเริ่มกิจกรรมค่ะ")


def check_deadline(activity: Activity, deadline: datetime | None) -> None:
    """A new sign-up deadline for an activity: not after it starts (none is fine)."""
    if deadline is not None and deadline > activity.starts_at:
        raise ServiceError("bad_deadline", "วันปิดรับสมัครต้องไม่เลยเวลาเริ่มกิจกรรมค่ะ "
                                           f"(เริ่ม {format_datetime(activity.starts_at)})")


def _resolve_community(session: Session, fields: dict[str, Any]) -> None:
    """Accept community= a community (row or directory entry), an id, a name/code, or None (district-wide)."""
    if "community" not in fields:
        return
    value = fields.pop("community")
    if value is None or value == "":
        fields["community_id"] = None
    elif isinstance(value, Community | CommunityInfo):
        fields["community_id"] = value.id
    elif isinstance(value, int):
        fields["community_id"] = value
    else:  # a name typed in a staff command or a YAML file: one community, or refused with the candidates
        fields["community_id"] = communities.named_exactly(session, str(value)).id


def publish(session: Session, staff_user: User | None, *, now: datetime | None = None,
            **fields: Any) -> Activity:
    """Create a published activity (title, starts_at, ends_at, capacity required)."""
    _require_staff(staff_user)
    _resolve_community(session, fields)
    missing = [k for k in ("title", "starts_at", "ends_at", "capacity") if fields.get(k) in (None, "")]
    if missing:
        raise ServiceError("missing_fields", "ข้อมูลยังไม่ครบค่ะ: " + ", ".join(missing))
    unknown = set(fields) - set(EDITABLE) - {"starts_at", "ends_at", "reminder_offsets_min", "status"}
    if unknown:
        raise ServiceError("unknown_fields", "ไม่รู้จักช่องข้อมูล: " + ", ".join(sorted(unknown)))
    _validate(fields, now)
    check_times(fields["starts_at"], fields["ends_at"], fields.get("signup_deadline"), now)
    fields["title"] = fields["title"].strip()
    activity = Activity(**{"status": "published", **fields},
                        created_by_user_id=staff_user.id if staff_user else None)
    session.add(activity)
    session.flush()
    return activity


def _notify_all(session: Session, activity: Activity, body: str, key: str | None = None,
                quick: list[dict[str, Any]] | None = None) -> int:
    """Push to everyone confirmed or waitlisted; returns how many were queued."""
    count = 0
    for row in participants(session, activity, include_waitlist=True):
        dedupe = f"{key}:{row.user_id}" if key else None
        if _push(session, signup_user(session, row), body, activity, dedupe_key=dedupe, quick=quick):
            count += 1
    return count


def still_open(activity: Activity, doing: str) -> None:
    """Refuse to change a cancelled activity (``doing``: "แก้ไข", "เลื่อน" …), at the preview as at the change."""
    if activity.status == "cancelled":
        raise ServiceError("activity_cancelled", f"กิจกรรม “{activity.title}” ถูกยกเลิกไปแล้วค่ะ จึง{doing}ไม่ได้",
                           final=True)


def check_capacity(session: Session, activity: Activity, capacity: int) -> None:
    """Seats never go below those confirmed sign-ups hold; at the preview as at the change."""
    taken = seats_taken(session, activity.id)
    if capacity < taken:
        raise ServiceError("capacity_below_confirmed",
                           f"ลดที่นั่ง “{activity.title}” เหลือ {capacity} ที่ไม่ได้ค่ะ ตอนนี้มีผู้ลงทะเบียนแล้ว "
                           f"{taken} คน จึงใส่ได้อย่างน้อย {taken} ที่นะคะ")


TOLD_CHANGES = {"place": "สถานที่", "fee_baht": "ค่าสมัคร"}
"""Edits everyone signed up or waiting is told about (where to go, what it costs), with their names in the notice."""


def changes(activity: Activity, fields: dict[str, Any]) -> list[str]:
    """Of the fields an edit sets (as `edit` takes them), those whose value differs from the activity's."""
    return [key for key, value in fields.items()
            if getattr(activity, key, None) != (value.strip() if key == "title" and isinstance(value, str) else value)]


def changes_told(activity: Activity, fields: dict[str, Any]) -> list[str]:
    """The changes an edit would push to the participants: a new place, a fee newly stated or changed (a fee taken
    back to "not stated" tells nobody anything new)."""
    changed = changes(activity, fields)
    return [key for key in TOLD_CHANGES if key in changed and (key != "fee_baht" or fields[key] is not None)]


def _change_notice(activity: Activity, told: list[str], old_fee: int | None) -> tuple[str, bool]:
    """The push for the changes told, and whether it offers to cancel (a fee that went up may not suit them)."""
    icon = "📍" if "place" in told else "💰"
    lines = [f"แจ้งเปลี่ยน{'และ'.join(TOLD_CHANGES[key] for key in told)}ค่ะ {icon} กิจกรรม “{activity.title}”"]
    dearer = "fee_baht" in told and (activity.fee_baht or 0) > (old_fee or 0)
    if "fee_baht" in told:
        was = f" (เดิม {fee_each(old_fee)})" if old_fee is not None else ""
        lines.append(f"ค่าสมัคร: {fee_each(activity.fee_baht or 0)}{was}")
    lines.append(when_where(activity))
    if dearer:
        lines.append("หากไม่สะดวกแล้ว แตะ “ยกเลิกการสมัคร” ด้านล่าง เพื่อให้คนอื่นได้ที่นั่งนะคะ")
    elif "place" in told:
        lines.append("ขออภัยในความไม่สะดวกนะคะ")
    return "\n".join(lines), dearer


def edit(session: Session, staff: User | None, activity_id: int, *, now: datetime | None = None,
         **fields: Any) -> EditResult:
    """Change an activity's details; a new place or fee is pushed to everyone (TOLD_CHANGES), more seats promote
    the waitlist."""
    _require_staff(staff)
    activity = get_activity(session, activity_id, lock=True)
    still_open(activity, "แก้ไข")
    _resolve_community(session, fields)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ServiceError("unknown_fields",
                           "แก้ได้เฉพาะ: " + ", ".join(EDITABLE) + " (เปลี่ยนวันเวลาใช้คำสั่งเลื่อนกิจกรรมค่ะ)")
    _validate(fields, now)
    if "capacity" in fields:
        check_capacity(session, activity, fields["capacity"])
    check_deadline(activity, fields.get("signup_deadline"))
    result = EditResult(activity, changed=changes(activity, fields), told=changes_told(activity, fields))
    old_fee = activity.fee_baht
    for key in result.changed:
        setattr(activity, key, fields[key].strip() if key == "title" else fields[key])
    session.flush()
    if result.told:
        body, dearer = _change_notice(activity, result.told, old_fee)
        result.notified = _notify_all(session, activity, body, quick=_keep_or_cancel_chips(activity) if dearer else None)
    if "capacity" in result.changed and now is not None:
        result.promoted = _promote(session, activity, now)
    return result


@dataclass
class Rescheduled:
    activity: Activity
    checkins_cleared: int = 0
    """Check-ins recorded for the old day, no longer counted as attendance once it moved to another day."""


def moves_to_another_day(activity: Activity, starts_at: datetime) -> bool:
    """Whether a new start falls on another day (Bangkok) than the activity's current one."""
    return to_bkk(starts_at).date() != to_bkk(activity.starts_at).date()


MOST_MOVED = timedelta(days=366)


def moved_by(activity: Activity | tuple[datetime, datetime], by: timedelta, *,
             now: datetime | None = None) -> tuple[datetime, datetime]:
    """The start and end of an activity (or of a start and end not yet saved: a preview's) moved by `by` (later;
    earlier when negative), same length, checked as any new times are (not into the past): what `reschedule` is
    then given."""
    if not by:
        raise ServiceError("bad_time", "เลื่อน 0 นาทีก็คือเวลาเดิมค่ะ บอกได้เลยว่าจะเลื่อนไปเท่าไรนะคะ")
    if abs(by) > MOST_MOVED:
        raise ServiceError("bad_time", "เลื่อนได้ไม่เกิน 1 ปีค่ะ ลองพิมพ์วันเวลาใหม่แทนได้เลยนะคะ")
    starts_at, ends_at = activity if isinstance(activity, tuple) else (activity.starts_at, activity.ends_at)
    start, end = to_bkk(starts_at) + by, to_bkk(ends_at) + by
    check_times(start, end, now=now)
    return start, end


@dataclass
class SignupCounts:
    """How full an activity is: seats held (companions counted), sign-ups, and who waits."""

    capacity: int
    seats_taken: int
    confirmed: int
    """Sign-ups holding seats (one may be for several people)."""
    waitlisted: int
    """Sign-ups on the waitlist."""
    waiting_people: int

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


def signup_counts(session: Session, activity: Activity) -> SignupCounts:
    """The counts staff ask for ("กิจกรรม 12 มีคนสมัครกี่คน"), in one query."""
    rows = session.execute(
        select(Signup.status, func.count(Signup.id), func.coalesce(func.sum(Signup.party_size), 0))
        .where(Signup.activity_id == activity.id, Signup.status.in_(("confirmed", "waitlisted")))
        .group_by(Signup.status)
    )
    by_status = {status: (int(n), int(people)) for status, n, people in rows}
    confirmed, seats = by_status.get("confirmed", (0, 0))
    waiting, waiting_people = by_status.get("waitlisted", (0, 0))
    return SignupCounts(activity.capacity, seats, confirmed, waiting, waiting_people)


def checkins_recorded(session: Session, activity_id: int) -> int:
    """Sign-ups of the activity with attendance recorded."""
    return int(session.scalar(select(func.count(Signup.id)).where(
        Signup.activity_id == activity_id, Signup.attended_at.is_not(None))) or 0)


def reschedule(session: Session, staff: User | None, activity_id: int, starts_at: datetime,
               ends_at: datetime, *, place: str | None = None, now: datetime | None = None) -> Rescheduled:
    """Move an activity; bumps schedule_version (old reminders die) and pushes the new date, time and place.

    Moved to another day, the check-ins recorded for the old day are cleared: they are not attendance of
    the activity on its new day, and the same codes are checked in again there."""
    _require_staff(staff)
    activity = get_activity(session, activity_id, lock=True)
    still_open(activity, "เลื่อน")
    _validate({"starts_at": starts_at, "ends_at": ends_at}, now)
    deadline = activity.signup_deadline
    if deadline is not None:
        deadline = deadline + (starts_at - activity.starts_at)  # keep the same lead time
    check_times(starts_at, ends_at, deadline, now)
    old = format_span(activity.starts_at, activity.ends_at)
    result = Rescheduled(activity)
    if moves_to_another_day(activity, starts_at):
        for row in session.scalars(locked(select(Signup).where(Signup.activity_id == activity.id,
                                                               Signup.attended_at.is_not(None)))):
            row.attended_at = None
            result.checkins_cleared += 1
    activity.starts_at, activity.ends_at, activity.signup_deadline = starts_at, ends_at, deadline
    if place:
        activity.place = place
    activity.schedule_version = (activity.schedule_version or 1) + 1
    activity.followup_sent_at = None
    session.flush()
    _notify_all(
        session, activity,
        f"แจ้งเลื่อนกิจกรรมค่ะ 📅 “{activity.title}”\nจากเดิม {old}\nเป็น {when_where(activity)}\n"
        "หากไปไม่ได้ในวันใหม่ แตะ “ยกเลิกการสมัคร” ด้านล่าง เพื่อให้คนอื่นได้ที่นั่งนะคะ",
        key=f"reschedule:{activity.id}:{activity.schedule_version}",
        quick=_keep_or_cancel_chips(activity),
    )
    return result


def cancel_activity(session: Session, staff: User | None, activity_id: int, reason: str | None = None,
                    *, now: datetime | None = None) -> Activity:
    """Cancel the whole activity and tell everyone who signed up or waits."""
    _require_staff(staff)
    activity = get_activity(session, activity_id, lock=True)
    still_open(activity, "ยกเลิกซ้ำ")
    activity.status = "cancelled"
    session.flush()
    why = f"\nเหตุผล: {reason}" if reason else ""
    _notify_all(
        session, activity,
        f"ขออภัยค่ะ กิจกรรม “{activity.title}” {format_span(activity.starts_at, activity.ends_at)} "
        f"ถูกยกเลิกแล้ว{why}\nขอบคุณที่สนใจนะคะ",
        key=f"cancelled:{activity.id}",
    )
    return activity

