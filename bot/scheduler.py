"""APScheduler (Asia/Bangkok) with stable job ids; a database lease lets only one instance fire jobs.

Every worker process runs a scheduler, but a job body runs only in the instance that holds the
``scheduler`` lease (renewed every few seconds, taken over when it expires). Sending is not guarded:
any number of workers may claim outbox rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.config import IDEA_PHOTO_KEEP_DAYS
from bot.services import broadcast_photos, broadcasts, idea_photos, photo_retention, photos, reminders
from bot.services.log_retention import Retention, prune_job
from bot.services.photos import PhotoLinks
from bot.thaidate import BKK
from storage.db import Database
from storage.models import Broadcast, SchedulerLease, utcnow

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=45)
RENEW_EVERY_S = 10


# --- the lease -----------------------------------------------------------------------------------

def acquire_lease(session: Session, name: str, holder: str, now: datetime, ttl: timedelta = LEASE_TTL) -> bool:
    """Take or renew the named lease; True when ``holder`` has it until now + ttl.

    One atomic upsert: insert, or update only when we already hold it or it has expired.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = SchedulerLease.__table__
    stmt = insert(table).values(name=name, holder=holder, expires_at=now + ttl, updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"holder": holder, "expires_at": now + ttl, "updated_at": now},
        where=(table.c.holder == holder) | (table.c.expires_at < now),
    )
    session.execute(stmt)
    current = session.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == name)
                             .execution_options(populate_existing=True))
    return current == holder


def release_lease(session: Session, name: str, holder: str) -> None:
    lease = session.get(SchedulerLease, name)
    if lease is not None and lease.holder == holder:
        session.delete(lease)


# --- jobs ----------------------------------------------------------------------------------------

QuotaFn = Callable[[], tuple[int | None, int]]


def dispatch_broadcasts(db: Database, now: datetime, quota: QuotaFn | None = None,
                        links: PhotoLinks | None = None) -> int:
    """Scheduled broadcasts whose time has come; warns the author when the month's quota is short.

    No call to LINE while a transaction is open: the broadcasts are queued and committed first, LINE's quota
    is asked after (once, whatever the number of large sends), and the warnings are written in a transaction
    of their own. The quota never holds up a send."""
    with db.session() as session:
        due = broadcasts.dispatch_due(session, now, links=links)
        large = [(row.id, row.recipient_count, broadcasts.messages_of(row, session, links))
                 for row in due if row.recipient_count and row.recipient_count >= broadcasts.LARGE_SEND]
    if quota is None or not large:
        return len(due)
    try:
        month = quota()
    except Exception as exc:  # noqa: BLE001 - the quota API being down must not stop the send
        log.warning("quota check failed: %s", exc)
        return len(due)
    warnings = {broadcast_id: warning for broadcast_id, recipients, messages in large
                if (warning := broadcasts.quota_check(month, recipients, messages).warning())}
    if warnings:
        with db.session() as session:
            for broadcast_id, warning in warnings.items():
                row = session.get(Broadcast, broadcast_id)
                if row is not None:
                    broadcasts.warn_creator(session, row, warning)
    return len(due)


@dataclass(frozen=True)
class JobSpec:
    id: str
    trigger: Any
    run: Callable[..., int]
    doc: str
    alone: bool = False
    """Runs outside a transaction, given the database (it waits on LINE and writes in short transactions)."""


def job_specs(quota: QuotaFn | None = None, gateway: Any = None) -> list[JobSpec]:
    """Every job, with its stable id and trigger (Bangkok time). ``gateway``: LINE, for the pictures to fetch."""
    fetch = (lambda message_id: gateway.fetch_content(message_id, photos.FETCH_TIMEOUT_S)) if gateway else None
    links = photos.links_for(getattr(gateway, "settings", None))
    keep_days = getattr(getattr(gateway, "settings", None), "idea_photo_keep_days", IDEA_PHOTO_KEEP_DAYS)
    logs = Retention.of(getattr(gateway, "settings", None))
    return [
        JobSpec("activity-reminders", IntervalTrigger(minutes=1, timezone=BKK),
                reminders.queue_activity_reminders, "reminders 24 h / 2 h (per activity) before start"),
        JobSpec("broadcasts-due", IntervalTrigger(seconds=20, timezone=BKK),
                lambda db, now: dispatch_broadcasts(db, now, quota, links), "scheduled staff broadcasts", alone=True),
        JobSpec("hearing-closing", IntervalTrigger(minutes=15, timezone=BKK),
                reminders.queue_hearing_closing, "'closes in 3 days' to those without feedback"),
        JobSpec("hearing-results", IntervalTrigger(minutes=15, timezone=BKK),
                reminders.queue_hearing_results, "results to participants after close"),
        JobSpec("activity-followups", IntervalTrigger(minutes=15, timezone=BKK),
                reminders.queue_followups, "rating question after an activity"),
        JobSpec("idea-digest", CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=BKK),
                reminders.queue_idea_digest, "weekly ideas waiting for review, to staff"),
        JobSpec("idea-nudges", CronTrigger(hour=10, minute=0, timezone=BKK),
                reminders.queue_revision_nudges, "needs_revision for 7 days → nudge the submitter"),
        JobSpec("sweep-conversations", IntervalTrigger(minutes=10, timezone=BKK),
                reminders.sweep_conversations, "clear long-expired conversations"),
        JobSpec("idea-photos", IntervalTrigger(seconds=30, timezone=BKK),
                lambda db, now: idea_photos.fetch_due(db, fetch, links, now) + broadcast_photos.fetch_due(db, fetch, now),
                "pictures LINE did not give at once (ideas', announcements'); staff cards held too long for one",
                alone=True),
        JobSpec("idea-photo-retention", CronTrigger(hour=3, minute=30, timezone=BKK),
                lambda db, now: photo_retention.expire_due(db, now, keep_days),
                f"PDPA: pictures of ideas closed {keep_days} days ago are deleted", alone=True),
        JobSpec("log-retention", CronTrigger(hour=3, minute=45, timezone=BKK), prune_job(logs),
                f"PDPA: webhook events acted on {logs.inbox_days} days ago and messages settled {logs.outbox_days} "
                "days ago are deleted, in batches", alone=True),
    ]


class Scheduler:
    """The scheduler of one worker process; job bodies run only while this instance holds the lease."""

    def __init__(self, db: Database, holder: str, *, quota: QuotaFn | None = None, gateway: Any = None,
                 clock: Callable[[], datetime] = utcnow, ttl: timedelta = LEASE_TTL) -> None:
        self.db = db
        self.holder = holder
        self.clock = clock
        self.ttl = ttl
        self.specs = {spec.id: spec for spec in job_specs(quota, gateway)}
        self.aps = BackgroundScheduler(timezone=BKK, job_defaults={"coalesce": True, "max_instances": 1,
                                                                   "misfire_grace_time": 300})
        self.aps.add_job(self.renew, IntervalTrigger(seconds=RENEW_EVERY_S, timezone=BKK), id="lease-renew",
                         replace_existing=True)
        started = datetime.now(BKK)
        for spec in self.specs.values():
            # Interval jobs also run once right after start, so a restart never waits a full interval.
            first = {"next_run_time": started} if isinstance(spec.trigger, IntervalTrigger) else {}
            self.aps.add_job(self.fire, spec.trigger, args=[spec.id], id=spec.id, name=spec.doc,
                             replace_existing=True, **first)

    def renew(self) -> bool:
        """Take or keep the lease; True when this instance leads."""
        try:
            with self.db.session() as session:
                return acquire_lease(session, LEASE_NAME, self.holder, self.clock(), self.ttl)
        except Exception:  # noqa: BLE001 - a database blip: not leading this round
            log.exception("lease renewal failed")
            return False

    def fire(self, job_id: str, now: datetime | None = None) -> int | None:
        """Run one job if this instance holds the lease; None when another instance leads."""
        if not self.renew():
            return None
        now = now or self.clock()
        spec = self.specs[job_id]
        if spec.alone:
            count = spec.run(self.db, now)
        else:
            with self.db.session() as session:
                count = spec.run(session, now)
        if count:
            log.info("job %s: %s", job_id, count)
        return count

    def start(self) -> Scheduler:
        self.renew()
        self.aps.start()
        return self

    def shutdown(self) -> None:
        self.aps.shutdown(wait=False)
        try:
            with self.db.session() as session:
                release_lease(session, LEASE_NAME, self.holder)
        except Exception:  # noqa: BLE001
            log.exception("lease release failed")
