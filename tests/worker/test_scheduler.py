"""Only one scheduler instance fires jobs; another takes over when the leader's lease runs out."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.scheduler import LEASE_TTL, Scheduler, acquire_lease, job_specs
from tests.worker.helpers import make_activity, make_user, rows, sign_up


def test_two_instances_only_one_fires(any_db, now):
    with any_db.session() as s:
        activity = make_activity(s, now + timedelta(hours=2, minutes=20))
        sign_up(s, activity, make_user(s, 1))
    clock = {"now": now}
    a = Scheduler(any_db, "worker-a", clock=lambda: clock["now"])
    b = Scheduler(any_db, "worker-b", clock=lambda: clock["now"])
    assert a.fire("activity-reminders") == 1
    assert b.fire("activity-reminders") is None  # b does not hold the lease
    assert b.fire("sweep-conversations") is None
    with any_db.session() as s:
        assert len(rows(s)) == 1
    # a stops renewing (crashed); after the lease runs out b takes over, and a is refused.
    clock["now"] = now + LEASE_TTL + timedelta(seconds=1)
    assert b.fire("activity-reminders") == 0
    assert a.fire("activity-reminders") is None


def test_lease_is_atomic_between_two_holders(any_db, now):
    with any_db.session() as s:
        assert acquire_lease(s, "x", "a", now)
    with any_db.session() as s:
        assert acquire_lease(s, "x", "a", now + timedelta(seconds=5))  # renew
        assert not acquire_lease(s, "x", "b", now + timedelta(seconds=5))


def test_jobs_have_stable_ids_and_bangkok_times():
    specs = {spec.id: spec for spec in job_specs()}
    assert {"activity-reminders", "broadcasts-due", "hearing-closing", "hearing-results", "activity-followups",
            "idea-digest", "idea-nudges", "sweep-conversations", "idea-photos"} <= set(specs)
    digest = specs["idea-digest"].trigger
    assert isinstance(digest, CronTrigger) and str(digest.timezone) == "Asia/Bangkok"


def test_scheduler_registers_jobs_with_their_ids(db):
    sched = Scheduler(db, "w")
    ids = {job.id for job in sched.aps.get_jobs()}
    assert {"lease-renew", "activity-reminders", "idea-digest"} <= ids
