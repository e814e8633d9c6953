"""What the scheduler queues: activity reminders, hearing-round notices, follow-ups, idea digests, sweeps.

Each job is a plain function ``job(session, now) -> int`` (rows queued or changed) that is safe to run
twice: reminders carry ``dedupe_key=reminder:<signup>:<schedule_version>:<offset>`` and the other
notices record when they went out. Nothing here calls LINE; the outbox sender delivers, and writes an
activity reminder's words again as it sends it (reminder_as_sent: the time left then, the place then).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import replies
from bot.conversation_state import KEPT_REQUESTS
from bot.postback import encode
from bot.services import charter as charter_service
from bot.services import ideas as ideas_service
from bot.services import users as user_service
from bot.services.errors import ServiceError
from bot.services.outbox import REMINDERS_OFF, enqueue, enqueue_push, new_retry_key
from bot.thaidate import BKK, format_date, format_datetime, format_span, to_bkk
from storage.db import locked
from storage.models import (
    Activity,
    ActivityFeedback,
    Conversation,
    HearingRound,
    Idea,
    OutboxMessage,
    Signup,
    User,
)

DEFAULT_OFFSETS_MIN = (1440, 120)
MAX_OFFSET_MIN = 14 * 1440
LOOKAHEAD = timedelta(hours=1)
"""Reminders are queued up to this long before they are due (the job runs every minute)."""
LATE_GRACE = timedelta(minutes=30)
"""A reminder found this late (worker was down) is still worth sending; later ones are dropped."""
CLOSING_NOTICE_BEFORE = timedelta(days=3)
RESULTS_WITHIN = timedelta(days=14)
FOLLOWUP_AFTER = timedelta(hours=1)
FOLLOWUP_WITHIN = timedelta(days=3)
NUDGE_AFTER = timedelta(days=7)
SWEEP_AFTER = timedelta(hours=24)
MULTICAST_MAX = 500
CHUNK = 500


def reminders_off(user: User | None) -> bool:
    """Whether this person turned off the reminders before their activities."""
    return user is not None and REMINDERS_OFF in (user.muted_categories or [])


def set_reminders(session: Session, user: User, on: bool, now: datetime) -> bool:
    """Turn the reminders before one's activities on or off; False when they already were. Turned off,
    the ones already queued are dropped too."""
    if reminders_off(user) != on:
        return False
    muted = [c for c in (user.muted_categories or []) if c != REMINDERS_OFF]
    user.muted_categories = muted if on else sorted({*muted, REMINDERS_OFF})
    if not on:
        queued = session.scalars(select(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.category == "reminder",
            OutboxMessage.dedupe_key.like("reminder:%"), OutboxMessage.due_at >= now - LATE_GRACE))
        for row in queued:
            if list(row.to or []) == [user.line_user_id]:
                row.status = "cancelled"
                row.last_error = "reminders turned off"
    return True


def reminder_key(signup_id: int, schedule_version: int, offset_min: int) -> str:
    return f"reminder:{signup_id}:{schedule_version}:{offset_min}"


def offsets_of(activity: Activity) -> list[int]:
    """The activity's reminder offsets in minutes (default 24 h and 2 h), largest first."""
    raw = activity.reminder_offsets_min if activity.reminder_offsets_min is not None else DEFAULT_OFFSETS_MIN
    out = set()
    for value in raw:
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < minutes <= MAX_OFFSET_MIN:
            out.add(minutes)
    return sorted(out, reverse=True)


HOURS_WITHIN = timedelta(hours=12)
"""Closer than this, a reminder says the hours and minutes left; further, the day ("พรุ่งนี้")."""


def lead_time_th(starts_at: datetime, now: datetime) -> str:
    """How long until the activity starts, at `now` (when the reminder is sent): 'อีก 40 นาที', 'อีก 2 ชั่วโมง',
    'อีก 1 ชั่วโมง 20 นาที' (to five minutes) within HOURS_WITHIN; 'วันนี้', 'พรุ่งนี้', 'อีก 3 วัน' (Bangkok days)."""
    left = starts_at - now
    if left < HOURS_WITHIN:
        minutes = max(1, round(left.total_seconds() / 60))
        if minutes < 60:
            return f"อีก {minutes} นาที"
        hours, rest = divmod(5 * round(minutes / 5), 60)
        return f"อีก {hours} ชั่วโมง" + (f" {rest} นาที" if rest else "")
    days = (to_bkk(starts_at).date() - to_bkk(now).date()).days
    return "วันนี้" if days <= 0 else "พรุ่งนี้" if days == 1 else f"อีก {days} วัน"


def reminder_messages(activity: Activity, now: datetime, checkin_code: str | None = None) -> list[dict[str, Any]]:
    """Date, time, place (in a text, so the notification shows it all) and a cancel button, as at `now`.

    Written again when the reminder is sent (reminder_as_sent): the time left, the place and the title are
    those of that moment, not of when it was queued (the worker may have been down, staff may have changed
    the place)."""
    lines = [f"⏰ {lead_time_th(activity.starts_at, now)}มีกิจกรรมค่ะ", f"“{activity.title}”",
             f"🗓 {format_span(activity.starts_at, activity.ends_at)}"]
    if activity.place:
        lines.append(f"📍 {activity.place}")
    if checkin_code:
        lines.append(f"รหัสเช็คอิน: {checkin_code}")
    cancel = replies.act_postback("ยกเลิกการลงทะเบียน", encode("activity.cancel", id=activity.id),
                                  "ยกเลิกการลงทะเบียน")
    return [replies.text("\n".join(lines)),
            replies.buttons("ไปไม่ได้ กดยกเลิกได้ค่ะ", "ถ้าไปไม่ได้ กดยกเลิกเพื่อให้คนอื่นได้ที่นั่งนะคะ", [cancel])]


def reminder_as_sent(activity: Activity, signup: Signup, now: datetime) -> list[dict[str, Any]]:
    """A queued reminder as it goes out at `now` (the outbox's delivery calls this; whether it goes at all is
    decided there first: not once the activity started, moved or was cancelled, nor to someone checked in)."""
    return reminder_messages(activity, now, signup.checkin_code)


def later_reminders_due(activity: Activity, dedupe_key: str | None, now: datetime) -> list[str]:
    """The keys of the later reminders of the same sign-up (smaller offsets) already due at `now`: when one of
    them is queued or went, this one is needless (the worker was down; both would say the same time left)."""
    parts = (dedupe_key or "").split(":")
    if len(parts) != 4 or parts[0] != "reminder" or not all(part.isdigit() for part in parts[1:]):
        return []
    signup_id, version, offset = (int(part) for part in parts[1:])
    return [reminder_key(signup_id, version, later) for later in offsets_of(activity)
            if later < offset and activity.starts_at - timedelta(minutes=later) <= now]


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), CHUNK):
        found.update(session.scalars(select(OutboxMessage.dedupe_key)
                                     .where(OutboxMessage.dedupe_key.in_(keys[i:i + CHUNK]))))
    return found


def queue_activity_reminders(session: Session, now: datetime, lookahead: timedelta = LOOKAHEAD) -> int:
    """Queue reminders due within ``lookahead`` for confirmed sign-ups not checked in yet; returns how many."""
    added = 0
    activities = session.scalars(
        select(Activity).where(Activity.status == "published", Activity.starts_at > now,
                               Activity.starts_at <= now + timedelta(minutes=MAX_OFFSET_MIN) + lookahead)
        .order_by(Activity.starts_at, Activity.id)
    )
    for activity in activities:
        due = [(off, activity.starts_at - timedelta(minutes=off)) for off in offsets_of(activity)]
        due = [(off, at) for off, at in due if now - LATE_GRACE <= at <= now + lookahead]
        if not due:
            continue
        pairs = session.execute(
            select(Signup, User).join(User, Signup.user_id == User.id)
            .where(Signup.activity_id == activity.id, Signup.status == "confirmed", Signup.attended_at.is_(None),
                   User.is_active.is_(True))
            .order_by(Signup.id)
        ).all()
        wanted = {reminder_key(s.id, activity.schedule_version, off): (s, u, at)
                  for s, u in pairs for off, at in due}
        existing = _existing_keys(session, list(wanted))
        for key, (signup, user, at) in wanted.items():
            if key in existing or reminders_off(user):
                continue
            messages = reminder_messages(activity, max(at, now), signup.checkin_code)  # written again when sent
            session.add(OutboxMessage(
                kind="push", to=[user.line_user_id], recipient=user.line_user_id, messages=messages,
                category="reminder", retry_key=new_retry_key(), dedupe_key=key, due_at=max(at, now), status="pending",
                activity_id=activity.id, schedule_version=activity.schedule_version,
            ))
            added += 1
        session.flush()
    return added


# --- hearing rounds ------------------------------------------------------------------------------

def _multicast(session: Session, users: list[User], messages: list[dict[str, Any]], *, category: str,
               key: str, due_at: datetime, **extra: Any) -> int:
    ids = list(dict.fromkeys(u.line_user_id for u in users if u.is_active))
    rows = 0
    for index in range(0, len(ids), MULTICAST_MAX):
        row = enqueue(session, kind="multicast", to=ids[index:index + MULTICAST_MAX], messages=messages,
                      category=category, dedupe_key=f"{key}:{index // MULTICAST_MAX}", due_at=due_at, **extra)
        rows += row is not None
    return rows


def _days_left(closes_at: datetime, now: datetime) -> str:
    days = (closes_at.astimezone(BKK).date() - now.astimezone(BKK).date()).days
    return "วันนี้" if days <= 0 else ("พรุ่งนี้" if days == 1 else f"อีก {days} วัน")


def queue_hearing_closing(session: Session, now: datetime) -> int:
    """'Closes in 3 days' to people of the district who have not given feedback yet (once per round)."""
    rounds = list(session.scalars(
        locked(select(HearingRound).where(HearingRound.closing_notice_sent_at.is_(None), HearingRound.opens_at <= now,
                                          HearingRound.closes_at > now,
                                          HearingRound.closes_at <= now + CLOSING_NOTICE_BEFORE))
    ))
    rows = 0
    for hearing in rounds:
        users = charter_service.users_without_feedback(session, hearing)
        body = (f"รอบรับฟังความคิดเห็น “{hearing.name}” จะปิด{_days_left(hearing.closes_at, now)} "
                f"({format_datetime(hearing.closes_at)}) ค่ะ\nยังไม่สายที่จะบอกว่าเห็นด้วยหรือไม่กับธรรมนูญสุขภาพ "
                "ใช้เวลาไม่กี่นาทีค่ะ")
        messages = [replies.text(body, quick=[replies.quick_message("ร่วมแสดงความเห็น", "ธรรมนูญสุขภาพ")])]
        rows += _multicast(session, users, messages, category="hearing", key=f"hearing-closing:{hearing.id}",
                           due_at=now)
        hearing.closing_notice_sent_at = now
    return rows


def results_text(session: Session, hearing: HearingRound, top: int = 5) -> str:
    results = charter_service.results(session, hearing)
    people = len(charter_service.participants(session, hearing))
    lines = [f"ผลรับฟังความคิดเห็น “{hearing.name}” ค่ะ 📊", f"มีผู้ร่วมแสดงความเห็น {people:,} คน"]
    answered = [r for r in results if r.total]
    for r in sorted(answered, key=lambda r: (-r.total, r.clause_no))[:top]:
        lines.append(f"ข้อ {r.clause_no}: เห็นด้วย {r.pct_agree}% ({r.total:,} ความเห็น)")
    if len(answered) > top:
        lines.append(f"และอีก {len(answered) - top} ข้อ")
    lines.append("ขอบคุณที่ร่วมกันทำให้ธรรมนูญสุขภาพของเราดีขึ้นนะคะ")
    return "\n".join(lines)


def queue_hearing_results(session: Session, now: datetime) -> int:
    """Results summary to the participants once a round has closed (once per round)."""
    rounds = list(session.scalars(
        locked(select(HearingRound).where(HearingRound.results_sent_at.is_(None), HearingRound.closes_at <= now,
                                          HearingRound.closes_at > now - RESULTS_WITHIN))
    ))
    rows = 0
    for hearing in rounds:
        users = charter_service.participants(session, hearing)
        rows += _multicast(session, users, [replies.text(results_text(session, hearing))], category="hearing",
                           key=f"hearing-results:{hearing.id}", due_at=now)
        hearing.results_sent_at = now
    return rows


# --- after an activity ---------------------------------------------------------------------------

RATING_WORDS = {1: "ควรปรับปรุง", 2: "พอใช้", 3: "ดี", 4: "ดีมาก", 5: "ดีเยี่ยม"}


def followup_messages(activity: Activity) -> list[dict[str, Any]]:
    quick = [replies.quick_postback(f"{'⭐' * n}", encode("feedback.rate", a=activity.id, r=n), f"ให้ {n} ดาว")
             for n in range(5, 0, -1)]
    body = (f"ขอบคุณที่ร่วมกิจกรรม “{activity.title}” เมื่อ {format_date(activity.starts_at)} นะคะ 🙏\n"
            "กิจกรรมเป็นอย่างไรบ้างคะ ให้คะแนน 1–5 ดาวได้เลยค่ะ")
    return [replies.text(body, quick=quick)]


def queue_followups(session: Session, now: datetime) -> int:
    """One question after an activity ends, to those who came (or all confirmed if nobody checked in)."""
    activities = list(session.scalars(
        locked(select(Activity).where(Activity.status == "published", Activity.followup_sent_at.is_(None),
                                      Activity.ends_at <= now - FOLLOWUP_AFTER,
                                      Activity.ends_at > now - FOLLOWUP_WITHIN))
    ))
    rows = 0
    for activity in activities:
        signups = list(session.scalars(select(Signup).where(Signup.activity_id == activity.id,
                                                            Signup.status == "confirmed")))
        attended = [s for s in signups if s.attended_at is not None]
        chosen = attended or signups
        users = list(session.scalars(select(User).where(User.id.in_([s.user_id for s in chosen])))) if chosen else []
        rows += _multicast(session, users, followup_messages(activity), category="reminder",
                           key=f"followup:{activity.id}:{activity.schedule_version}", due_at=now,
                           activity_id=activity.id, schedule_version=activity.schedule_version)
        activity.followup_sent_at = now
    return rows


def record_feedback(session: Session, user: User, activity_id: int | str, rating: int | str,
                    comment: str | None = None, now: datetime | None = None) -> ActivityFeedback:
    """Store (or replace) a participant's 1–5 rating and optional comment for an activity."""
    try:
        stars = int(str(rating).strip())
        aid = int(activity_id)
    except (TypeError, ValueError):
        raise ServiceError("bad_rating", "ให้คะแนนเป็นตัวเลข 1–5 นะคะ") from None
    if not 1 <= stars <= 5:
        raise ServiceError("bad_rating", "ให้คะแนนเป็นตัวเลข 1–5 นะคะ")
    activity = session.get(Activity, aid)
    if activity is None:
        raise ServiceError("activity_not_found", "ไม่พบกิจกรรมนี้ค่ะ")
    signed = session.scalar(select(Signup.id).where(Signup.activity_id == aid, Signup.user_id == user.id,
                                                    Signup.status == "confirmed"))
    if signed is None:
        raise ServiceError("not_participant", "ให้คะแนนได้เฉพาะผู้ที่ลงทะเบียนร่วมกิจกรรมนี้ค่ะ")
    row = session.scalar(locked(select(ActivityFeedback).where(ActivityFeedback.activity_id == aid,
                                                               ActivityFeedback.user_id == user.id)))
    if row is None:
        row = ActivityFeedback(activity_id=aid, user_id=user.id, rating=stars, comment=None)
        if now is not None:
            row.created_at = now
        session.add(row)
    row.rating = stars
    if comment is not None:
        row.comment = comment.strip()[:1000] or None
    session.flush()
    return row


# --- ideas ---------------------------------------------------------------------------------------

def queue_idea_digest(session: Session, now: datetime) -> int:
    """Weekly list of ideas waiting for review, to every staff member (once per ISO week)."""
    waiting = ideas_service.pending_review(session)
    if not waiting:
        return 0
    year, week, _ = now.astimezone(BKK).isocalendar()
    lines = [f"สรุปประจำสัปดาห์ค่ะ 🗂 มีโครงการรอพิจารณา {len(waiting)} เรื่อง"]
    for idea in waiting[:10]:
        days = max((now - idea.status_changed_at).days, 0)
        waited = f"รอมา {days} วัน" if days else "รอมาไม่ถึงวัน"
        lines.append(f"• {idea.title} ({ideas_service.status_label(idea.status)} {waited})")
    if len(waiting) > 10:
        lines.append(f"และอีก {len(waiting) - 10} เรื่อง")
    messages = [replies.text("\n".join(lines), quick=[replies.quick_message("ดูโครงการรอตรวจ", "โครงการรอตรวจ")])]
    rows = 0
    for staff in user_service.staff_users(session):
        row = enqueue_push(session, staff, messages, category="system", due_at=now,
                           dedupe_key=f"idea-digest:{year}-W{week:02d}:{staff.id}")
        rows += row is not None
    return rows


def queue_revision_nudges(session: Session, now: datetime) -> int:
    """Remind a submitter once when their idea has waited in needs_revision for 7 days.

    Once per revision request: a later request (a new ``status_changed_at``) is nudged again. Ideas
    waiting for staff are not nudged one by one; they are in the weekly digest.
    """
    ideas = list(session.scalars(
        locked(select(Idea).where(Idea.status == "needs_revision", Idea.status_changed_at <= now - NUDGE_AFTER))
    ))
    rows = 0
    for idea in ideas:
        if idea.last_nudged_at is not None and idea.last_nudged_at >= idea.status_changed_at:
            continue
        user = session.get(User, idea.user_id)
        idea.last_nudged_at = now
        if user is None:
            continue
        days = (now - idea.status_changed_at).days  # at least 7: more if the worker was down
        body = (f"โครงการ “{idea.title}” รอการแก้ไขจากคุณมา {days} วันแล้วค่ะ ✏️\n"
                "แก้ไขแล้วส่งกลับมา เจ้าหน้าที่จะพิจารณาต่อทันทีนะคะ")
        edit = replies.quick_postback("แก้ไขโครงการ", encode("idea.edit", id=idea.id), "แก้ไขโครงการ")
        row = enqueue_push(session, user, [replies.text(body, quick=[edit])], category="idea_status", due_at=now,
                           dedupe_key=f"idea-nudge:{idea.id}:{int(idea.status_changed_at.timestamp())}")
        rows += row is not None
    return rows


# --- housekeeping --------------------------------------------------------------------------------

def sweep_conversations(session: Session, now: datetime, after: timedelta = SWEEP_AFTER) -> int:
    """Clear flows silent for a day past their timeout; ``expired_notice`` keeps the flow's name, and the data only
    the requests typed at its question (KEPT_REQUESTS), to say they were not done. An idea's answers so far are
    kept as its draft first (bot.services.ideas.DRAFT_KEPT)."""
    from bot.services.ideas import keep_drafts_of_idle

    idle_ideas = session.execute(
        select(Conversation.line_user_id, Conversation.data)
        .where(Conversation.flow == "idea", Conversation.expires_at < now - after,
               Conversation.chat_key == Conversation.line_user_id)
    ).all()
    if idle_ideas:
        keep_drafts_of_idle(session, [(row[0], row[1]) for row in idle_ideas], now)
    silent = (Conversation.flow.is_not(None), Conversation.expires_at < now - after)
    rows = session.execute(select(Conversation.id, Conversation.data).where(*silent)).all()
    requests = {row[0]: row[1][KEPT_REQUESTS] for row in rows if isinstance(row[1], dict) and row[1].get(KEPT_REQUESTS)}
    swept = session.execute(
        update(Conversation)
        .where(*silent)
        .values(expired_notice=Conversation.flow, flow=None, step=None, data={}, history=[], nonce=None,
                expires_at=None, version=Conversation.version + 1)
        .returning(Conversation.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    for conversation_id in set(swept) & set(requests):  # the requests typed at its question: said not done
        session.execute(update(Conversation).where(Conversation.id == conversation_id)
                        .values(data={KEPT_REQUESTS: requests[conversation_id]})
                        .execution_options(synchronize_session=False))
    return len(swept)
