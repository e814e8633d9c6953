"""Claiming and sending outbox rows: exactly once at LINE, thanks to each row's X-Line-Retry-Key.

A row moves pending → sending (claimed by one worker) → sent / failed / skipped / cancelled, or back to
pending with a later ``due_at`` when LINE answered 429/5xx. A worker killed mid-send leaves rows in
``sending``; after ``claim_timeout`` any worker takes them again and resends with the *same* retry key,
so LINE answers 409 for what it already accepted (counted as delivered) and nothing arrives twice.
"""

from __future__ import annotations

import logging
import os
import queue
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from bot.line import batch_retry_key
from bot.replies import finalize
from bot.services import outbox, reminders
from bot.services.outbox import MUTABLE_CATEGORIES
from bot.services.reminders import reminders_off
from storage.db import Database
from storage.models import Activity, Broadcast, OutboxMessage, Signup, User, utcnow

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 12
BASE_BACKOFF_S = 2.0
MAX_BACKOFF_S = 15 * 60.0
RETRYABLE = frozenset({0, 429, 500, 502, 503, 504})
SENDABLE = ("reply", "push", "multicast", "broadcast", "narrowcast")


class Gateway(Protocol):
    """What delivery needs from bot.line.LineGateway (a fake with the same shape works in tests)."""

    def push(self, to: str, messages: list[dict[str, Any]], retry_key: str | None = None,
             max_attempts: int | None = None) -> Any: ...
    def multicast(self, to: list[str], messages: list[dict[str, Any]], retry_key: str | None = None,
                  max_attempts: int | None = None) -> Any: ...
    def broadcast(self, messages: list[dict[str, Any]], retry_key: str | None = None,
                  max_attempts: int | None = None) -> Any: ...
    def narrowcast(self, body: dict[str, Any], retry_key: str | None = None,
                   max_attempts: int | None = None) -> Any: ...
    def send_reply(self, reply_token: str | None, to: str | None, messages: list[dict[str, Any]],
                   retry_key: str) -> Any: ...


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


# --- claiming ------------------------------------------------------------------------------------

RESCUE_EVERY = timedelta(seconds=10)
"""How often a sender also takes rows a dead worker left in ``sending``. Not on every claim: every reply
passes through ``sending``, and PostgreSQL then read all of them ever sent until autovacuum came round."""


def _claimable(now: datetime, claim_timeout: timedelta, rescue: bool = True) -> Any:
    due = and_(OutboxMessage.status == "pending", OutboxMessage.due_at <= now)
    if not rescue:
        return due
    return or_(due, and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - claim_timeout))


def claim_batch(session: Session, worker_id: str, limit: int, now: datetime | None = None,
                claim_timeout: timedelta = CLAIM_TIMEOUT, rescue: bool = True) -> list[OutboxMessage]:
    """Take up to ``limit`` due rows (and, with ``rescue``, rows stuck in ``sending`` longer than ``claim_timeout``).

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` so concurrent claimers take disjoint rows.
    SQLite: one conditional UPDATE (the write transaction holds the database lock, so it is atomic).
    The caller's transaction must commit before sending.
    """
    now = now or utcnow()
    kinds = OutboxMessage.kind.in_(SENDABLE)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        ids = list(session.scalars(
            select(OutboxMessage.id).where(kinds, _claimable(now, claim_timeout, rescue))
            .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
            .with_for_update(skip_locked=True)
        ))
    else:
        ids = list(session.scalars(
            select(OutboxMessage.id).where(kinds, _claimable(now, claim_timeout, rescue))
            .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
        ))
    if not ids:
        return []
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), _claimable(now, claim_timeout, rescue))
        .values(status="sending", claimed_by=worker_id, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    rows = list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker_id,
                                    OutboxMessage.claimed_at == now, OutboxMessage.status == "sending")
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .execution_options(populate_existing=True)
    ))
    return rows


def reclaim_stale(session: Session, now: datetime | None = None, claim_timeout: timedelta = CLAIM_TIMEOUT) -> int:
    """Put rows left in ``sending`` by a dead worker back to pending; returns how many."""
    now = now or utcnow()
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - claim_timeout)
        .values(status="pending", claimed_by=None, claimed_at=None, due_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        log.warning("reclaimed %d outbox rows stuck in sending", result.rowcount)
    return int(result.rowcount or 0)


# --- what to send --------------------------------------------------------------------------------

@dataclass
class Job:
    """A claimed row, detached from the session, ready to send."""

    id: int
    kind: str
    to: list[str]
    messages: list[dict[str, Any]]
    retry_key: str
    reply_token: str | None
    attempts: int
    broadcast_id: int | None = None


@dataclass
class Outcome:
    row_id: int
    status: str  # sent, failed, skipped, cancelled, retry
    error: str | None = None
    retry_after: float | None = None
    attempts: int = 1
    delivered: int = 0
    """Recipients the send reached (for a broadcast's audit count)."""


def _signup_id(dedupe_key: str | None) -> int | None:
    if not dedupe_key or not dedupe_key.startswith("reminder:"):
        return None
    try:
        return int(dedupe_key.split(":")[1])
    except (IndexError, ValueError):
        return None


def _stale_reminder(row: OutboxMessage, now: datetime, activities: dict[int, Activity],
                    signups: dict[int, Signup]) -> str | None:
    """Why a reminder must not go out any more (activity moved, cancelled, started; sign-up cancelled or
    checked in)."""
    if row.category != "reminder" or row.activity_id is None:
        return None
    activity = activities.get(row.activity_id)
    if activity is None:
        return "activity deleted"
    if activity.status != "published":
        return f"activity {activity.status}"
    if row.schedule_version is not None and activity.schedule_version != row.schedule_version:
        return f"activity moved (version {row.schedule_version} → {activity.schedule_version})"
    signup_id = _signup_id(row.dedupe_key)
    if signup_id is not None:
        if activity.starts_at <= now:
            return "activity already started"
        signup = signups.get(signup_id)
        if signup is None or signup.status != "confirmed":
            return "sign-up no longer confirmed"
        if signup.attended_at is not None:  # here already: "ยกเลิกการลงทะเบียน" would only mislead
            return "already checked in"
    return None


def _overtaken(session: Session, rows: list[OutboxMessage], activities: dict[int, Activity],
               now: datetime) -> dict[int, str]:
    """Reminder rows a later reminder of the same sign-up makes needless (it is due too, or went already),
    with why; one read for the batch."""
    later: dict[str, list[int]] = {}
    for row in rows:
        activity = activities.get(row.activity_id) if row.category == "reminder" and row.activity_id else None
        for key in reminders.later_reminders_due(activity, row.dedupe_key, now) if activity else []:
            later.setdefault(key, []).append(row.id)
    keys, why = list(later), dict[int, str]()
    for i in range(0, len(keys), 500):
        for key in session.scalars(select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.in_(keys[i:i + 500]), OutboxMessage.status.in_(("pending", "sending", "sent")))):
            why.update((row_id, f"overtaken by the {key.rsplit(':', 1)[1]}-minute reminder") for row_id in later[key])
    return why


def prepare(session: Session, rows: list[OutboxMessage], now: datetime) -> tuple[list[Job], list[Outcome]]:
    """Decide per claimed row: send (to whom, and a reminder's words as of now) or settle now (unfollowed,
    muted, stale reminder)."""
    ids = {uid for row in rows if row.kind in ("push", "multicast", "reply") for uid in (row.to or [])}
    users: dict[str, User] = {}
    id_list = list(ids)
    for i in range(0, len(id_list), 500):
        for user in session.scalars(select(User).where(User.line_user_id.in_(id_list[i:i + 500]))):
            users[user.line_user_id] = user
    activity_ids = {row.activity_id for row in rows if row.activity_id is not None}
    activities = {a.id: a for a in session.scalars(select(Activity).where(Activity.id.in_(activity_ids)))} \
        if activity_ids else {}
    # Read now, not when queued: a reminder queued hours ago may land mid-journey, an answer queued
    # mid-journey may arrive when the journey is over.
    pushed_to = {row.to[0] for row in rows if row.kind == "push" and row.to}
    mid_journey = outbox.mid_journey(session, pushed_to, now) if pushed_to else set()
    signup_ids = [sid for row in rows if (sid := _signup_id(row.dedupe_key)) is not None]
    signups: dict[int, Signup] = {}
    for i in range(0, len(signup_ids), 500):
        signups.update((s.id, s) for s in session.scalars(select(Signup).where(Signup.id.in_(signup_ids[i:i + 500]))))
    overtaken = _overtaken(session, rows, activities, now)
    jobs: list[Job] = []
    settled: list[Outcome] = []
    for row in rows:
        why = _stale_reminder(row, now, activities, signups) or overtaken.get(row.id)
        if why:
            settled.append(Outcome(row.id, "cancelled", why, attempts=row.attempts))
            continue
        to = list(row.to or [])
        if row.kind in ("push", "multicast"):
            kept = []
            for uid in to:
                user = users.get(uid)
                if user is not None and not user.is_active:
                    continue  # unfollowed: LINE would drop it anyway; don't spend quota
                if user is not None and row.category in MUTABLE_CATEGORIES and \
                        row.category in (user.muted_categories or []):
                    continue
                if row.category == "reminder" and _signup_id(row.dedupe_key) is not None and reminders_off(user):
                    continue  # turned off after it was queued
                kept.append(uid)
            if not kept:
                reason = "unfollowed" if all(users.get(u) is not None and not users[u].is_active for u in to) \
                    else "muted or unfollowed"
                settled.append(Outcome(row.id, "skipped", reason, attempts=row.attempts))
                continue
            to = kept
        messages = list(row.messages or [])
        signup = signups.get(_signup_id(row.dedupe_key) or -1) if row.category == "reminder" else None
        if signup is not None and row.activity_id in activities:  # the time left is the time left now
            messages = reminders.reminder_as_sent(activities[row.activity_id], signup, now)
        if row.kind == "push":
            messages = outbox.with_way_back(messages, to[0] in mid_journey)
        jobs.append(Job(id=row.id, kind=row.kind, to=to, messages=messages,
                        retry_key=row.retry_key, reply_token=row.reply_token, attempts=row.attempts,
                        broadcast_id=row.broadcast_id))
    return jobs, settled


# --- sending -------------------------------------------------------------------------------------

def _quota_exhausted(result: Any) -> bool:
    return getattr(result, "status", 0) == 429 and "monthly limit" in (getattr(result, "error", "") or "").lower()


def send_job(gateway: Gateway, job: Job, audience_size: Callable[[], int] | None = None) -> Outcome:
    """One row to LINE; never raises. Each call is tried once here: the outbox itself is the retry loop."""
    try:
        if job.kind == "reply":
            result = gateway.send_reply(job.reply_token, job.to[0] if job.to else None, job.messages, job.retry_key)
            delivered = 1
        elif job.kind == "narrowcast":  # no recipient filter is stored: every friend, like broadcast
            result = gateway.narrowcast({"messages": finalize(job.messages)[0]}, retry_key=job.retry_key,
                                        max_attempts=1)
            delivered = audience_size() if audience_size else 0
        else:
            batches = finalize(job.messages)
            result = None
            for index, batch in enumerate(batches):
                key = batch_retry_key(job.retry_key, index)
                if job.kind == "push":
                    result = gateway.push(job.to[0], batch, retry_key=key, max_attempts=1)
                elif job.kind == "multicast":
                    result = gateway.multicast(job.to, batch, retry_key=key, max_attempts=1)
                else:
                    result = gateway.broadcast(batch, retry_key=key, max_attempts=1)
                if not result.ok:
                    break
            if result is None:
                return Outcome(job.id, "skipped", "nothing to send", attempts=job.attempts)
            if job.kind == "broadcast":
                delivered = audience_size() if audience_size else 0
            else:
                delivered = len(job.to)
    except Exception as exc:  # noqa: BLE001 - a bad row must not stop the worker
        log.exception("outbox row %s could not be sent", job.id)
        return Outcome(job.id, "failed", f"{exc.__class__.__name__}: {exc}"[:1000], attempts=job.attempts)
    if result.ok:
        return Outcome(job.id, "sent", attempts=job.attempts, delivered=delivered)
    error = f"{result.status} {result.error or ''}".strip()[:1000]
    if _quota_exhausted(result) or result.status not in RETRYABLE:
        return Outcome(job.id, "failed", error, attempts=job.attempts)
    return Outcome(job.id, "retry", error, retry_after=result.retry_after, attempts=job.attempts)


def backoff_seconds(attempts: int, retry_after: float | None) -> float:
    """Exponential backoff with jitter; never sooner than LINE's Retry-After."""
    base = min(BASE_BACKOFF_S * (2 ** max(attempts - 1, 0)), MAX_BACKOFF_S) * (0.5 + random.random() / 2)
    return max(base, retry_after or 0.0)


def _mine(row_ids: list[int], worker_id: str) -> Any:
    return and_(OutboxMessage.id.in_(row_ids), OutboxMessage.status == "sending",
                OutboxMessage.claimed_by == worker_id)


def apply_outcomes(session: Session, worker_id: str, outcomes: Iterable[Outcome], now: datetime | None = None,
                   max_attempts: int = MAX_ATTEMPTS) -> list[int]:
    """Record results; only rows this worker still holds change. Returns broadcast ids touched."""
    now = now or utcnow()
    outcomes = list(outcomes)
    hits: list[tuple[Outcome, int | None]] = []
    sent = {o.row_id: o for o in outcomes if o.status == "sent"}
    ids = list(sent)
    for i in range(0, len(ids), 500):  # the common case in one statement per 500 rows
        result = session.execute(
            update(OutboxMessage).where(_mine(ids[i:i + 500], worker_id))
            .values(status="sent", sent_at=now, claimed_by=None, claimed_at=None, last_error=None)
            .returning(OutboxMessage.id, OutboxMessage.broadcast_id)
            .execution_options(synchronize_session=False)
        )
        hits += [(sent[row_id], broadcast_id) for row_id, broadcast_id in result.all()]
    for outcome in outcomes:
        if outcome.status == "sent":
            continue
        values: dict[str, Any] = {"claimed_by": None, "claimed_at": None, "last_error": outcome.error}
        if outcome.status == "retry":
            if outcome.attempts >= max_attempts:
                values.update(status="failed", last_error=f"gave up after {outcome.attempts} attempts: {outcome.error}")
            else:
                values.update(status="pending",
                              due_at=now + timedelta(seconds=backoff_seconds(outcome.attempts, outcome.retry_after)))
        else:
            values["status"] = outcome.status
        result = session.execute(
            update(OutboxMessage).where(_mine([outcome.row_id], worker_id)).values(**values)
            .returning(OutboxMessage.id, OutboxMessage.broadcast_id)
            .execution_options(synchronize_session=False)
        )
        hits += [(outcome, broadcast_id) for _, broadcast_id in result.all()]
    # Rows another worker reclaimed meanwhile are not in hits: its result wins (same retry key).
    touched: set[int] = set()
    delivered: dict[int, int] = {}
    for outcome, broadcast_id in hits:
        if broadcast_id is None:
            continue
        touched.add(broadcast_id)
        if outcome.status == "sent" and outcome.delivered:
            delivered[broadcast_id] = delivered.get(broadcast_id, 0) + outcome.delivered
    for broadcast_id, count in delivered.items():
        session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id)
            .values(delivered_count=Broadcast.delivered_count + count)
            .execution_options(synchronize_session=False)
        )
    if touched:
        from bot.services.broadcasts import finish_if_done

        finish_if_done(session, sorted(touched), now)
    return sorted(touched)


def active_audience_size(session: Session) -> int:
    """Followers we know of (for the audit count of an everyone-broadcast)."""
    from sqlalchemy import func

    return int(session.scalar(select(func.count(User.id)).where(User.is_active.is_(True))) or 0)


# --- the loop ------------------------------------------------------------------------------------

@dataclass
class DeliveryStats:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    retried: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        name = {"retry": "retried"}.get(outcome.status, outcome.status)
        setattr(self, name, getattr(self, name) + 1)
        if outcome.status in ("failed",) and outcome.error and len(self.errors) < 20:
            self.errors.append(outcome.error)


class OutboxSender:
    """Claims due rows and sends them on a thread pool; several can run against one database."""

    def __init__(self, db: Database, gateway: Gateway, *, worker_id: str | None = None, threads: int = 32,
                 batch: int = 200, poll_s: float = 0.25, flush_s: float = 0.05, claim_timeout: timedelta = CLAIM_TIMEOUT,
                 max_attempts: int = MAX_ATTEMPTS, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.gateway = gateway
        self.worker_id = worker_id or new_worker_id()
        self.threads = threads
        self.batch = batch
        self.poll_s = poll_s
        self.flush_s = flush_s
        self.claim_timeout = claim_timeout
        self.max_attempts = max_attempts
        self.clock = clock
        self.stats = DeliveryStats()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._audience: tuple[datetime, int] | None = None
        self._next_rescue: datetime | None = None

    def _audience_size(self) -> int:
        with self.db.session(readonly=True) as session:
            return active_audience_size(session)

    def _claim(self, limit: int, now: datetime) -> tuple[list[Job], list[Outcome]]:
        rescue = self._next_rescue is None or now >= self._next_rescue
        if rescue:
            self._next_rescue = now + RESCUE_EVERY
        with self.db.session() as session:
            rows = claim_batch(session, self.worker_id, limit, now, self.claim_timeout, rescue)
            self.stats.claimed += len(rows)
            return prepare(session, rows, now) if rows else ([], [])

    def _apply(self, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        with self.db.session() as session:
            apply_outcomes(session, self.worker_id, outcomes, self.clock(), self.max_attempts)
        for outcome in outcomes:
            self.stats.add(outcome)

    def run_once(self, now: datetime | None = None, limit: int | None = None) -> int:
        """Claim what is due at ``now``, send it all, record the results; returns rows settled or retried."""
        now = now or self.clock()
        jobs, outcomes = self._claim(limit or self.batch, now)
        if jobs:
            with ThreadPoolExecutor(max_workers=min(self.threads, len(jobs))) as pool:
                outcomes += list(pool.map(lambda j: send_job(self.gateway, j, self._audience_size), jobs))
        self._apply(outcomes)
        return len(outcomes)

    def run_forever(self) -> None:
        """Keep between one and two times ``threads`` sends in flight.

        Rows are claimed in batches (never one by one) and results are written together at most every
        ``flush_s``, so the database sees a few transactions per second, not one per message.
        """
        results: queue.Queue[Outcome] = queue.Queue()
        in_flight = 0
        unsaved: list[Outcome] = []
        last_flush = time.monotonic()

        def submit(pool: ThreadPoolExecutor, job: Job) -> None:
            pool.submit(lambda: results.put(send_job(self.gateway, job, self._audience_size)))

        def drain(wait: float) -> list[Outcome]:
            done: list[Outcome] = []
            try:
                done.append(results.get(timeout=wait) if wait else results.get_nowait())
                while True:
                    done.append(results.get_nowait())
            except queue.Empty:
                pass
            return done

        with ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="outbox") as pool:
            idle = False
            while not self._stop.is_set():
                busy = in_flight > self.threads
                done = drain(self.poll_s if idle else (self.flush_s if busy else 0))
                in_flight -= len(done)
                unsaved += done
                claimed = 0
                try:
                    if unsaved and (in_flight == 0 or len(unsaved) >= self.batch
                                    or time.monotonic() - last_flush >= self.flush_s):
                        self._apply(unsaved)
                        unsaved, last_flush = [], time.monotonic()
                    if in_flight <= self.threads:
                        jobs, settled = self._claim(min(self.threads * 2 - in_flight, self.batch), self.clock())
                        unsaved += settled
                        for job in jobs:
                            submit(pool, job)
                        in_flight += len(jobs)
                        claimed = len(jobs) + len(settled)
                except Exception:  # noqa: BLE001 - database hiccup: log, wait, go on (rows stay claimed)
                    log.exception("outbox loop error")
                    self._stop.wait(1.0)
                idle = not done and not claimed and in_flight == 0
            # Stopping: let what is in flight finish and record it, so nothing waits for the claim timeout.
        self._apply(unsaved + drain(0))

    def start(self) -> OutboxSender:
        self._thread = threading.Thread(target=self.run_forever, name="outbox-sender", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)


def deliver_now(db: Database, gateway: Gateway, row_ids: list[int], worker_id: str) -> list[Outcome]:
    """Send rows the caller already claimed (status sending, claimed_by=worker_id), e.g. right after a webhook."""
    now = utcnow()
    with db.session() as session:
        rows = list(session.scalars(select(OutboxMessage).where(
            OutboxMessage.id.in_(row_ids), OutboxMessage.status == "sending", OutboxMessage.claimed_by == worker_id)))
        jobs, outcomes = prepare(session, rows, now)
    outcomes += [send_job(gateway, job) for job in jobs]
    with db.session() as session:
        apply_outcomes(session, worker_id, outcomes, utcnow())
    return outcomes


def deliver_due(db: Database, gateway: Gateway, worker_id: str | None = None, now: datetime | None = None,
                max_rounds: int = 50) -> DeliveryStats:
    """Send everything due now, synchronously (tests, CLI, `make run` without a worker)."""
    sender = OutboxSender(db, gateway, worker_id=worker_id, threads=8)
    for _ in range(max_rounds):
        if not sender.run_once(now, limit=500):
            break
    return sender.stats
