"""Production split: the web process only acknowledges; the worker claims and processes events."""

import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from bot.inbox import InboxPoller, claim_pending, record
from bot.simulator.events import build_event, new_reply_token
from bot.thaidate import now_utc
from storage.models import WebhookEvent


def test_web_only_records_and_the_worker_processes(harness, app):
    app.extensions["ruamkan.settings"].events_in = "worker"
    token = new_reply_token()
    harness.fake.store.register_reply_token(token, "Usplit")
    assert harness.post_events([build_event("text", "Usplit", text="วิธีใช้", reply_token=token)]).status_code == 200
    harness.wait()
    assert harness.messages_to("Usplit") == []
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(WebhookEvent.status)) == "pending"
    poller = InboxPoller(harness.db, app.extensions["ruamkan.processor"])
    assert poller.poll_once() == 1
    harness.wait()
    assert poller.poll_once() == 0
    said = harness.messages_to("Usplit")
    assert len(said) == 1 and "ช่วยอะไรได้บ้าง" in said[0]["message"]["text"]


def test_two_workers_claim_disjoint_events(any_db):
    events = [build_event("text", f"Uclaim{i:03d}", text="สวัสดี") for i in range(300)]
    record(any_db, events)
    taken: dict[str, list[int]] = {"a": [], "b": []}
    barrier = threading.Barrier(2)

    def worker(name):
        barrier.wait()
        while True:
            got = claim_pending(any_db, name, limit=25)
            if not got:
                return
            taken[name].extend(i for i, _key, _payload in got)

    threads = [threading.Thread(target=worker, args=(n,)) for n in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not set(taken["a"]) & set(taken["b"])
    assert len(taken["a"]) + len(taken["b"]) == 300
    with any_db.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(WebhookEvent)
                        .where(WebhookEvent.status == "processing")) == 300


def test_events_a_dead_worker_left_are_claimed_again_after_two_minutes(any_db):
    record(any_db, [build_event("text", f"Udead{i}", text="สวัสดี") for i in range(3)])
    first = claim_pending(any_db, "dead-worker")
    assert len(first) == 3
    with any_db.session() as s:  # the dead worker took one three minutes ago, the others just now
        s.execute(update(WebhookEvent).where(WebhookEvent.id == first[0][0])
                  .values(claimed_at=now_utc() - timedelta(minutes=3)))
    again = claim_pending(any_db, "live-worker")
    assert [row[0] for row in again] == [first[0][0]]
    with any_db.session(readonly=True) as s:
        assert s.get(WebhookEvent, first[0][0]).claimed_by == "live-worker"
        assert s.get(WebhookEvent, first[1][0]).claimed_by == "dead-worker"


class _BusyProcessor:
    """Stands in for EventProcessor: a lane working on a batch, with `waiting` events queued behind it."""

    worker_id = "busy-worker"

    def __init__(self, waiting: int) -> None:
        self.waiting = waiting
        self.claimed: list[int] = []

    def submit(self, items):
        self.claimed.extend(row_id for row_id, *_ in items)


def test_the_next_claim_comes_while_the_lane_still_has_work(any_db):
    record(any_db, [build_event("text", f"Ubusy{i:03d}", text="สวัสดี") for i in range(200)])
    full = _BusyProcessor(waiting=60)  # more than half of the 100 it may hold still waits: no claim yet
    assert InboxPoller(any_db, full, max_backlog=100).poll_once() == 0
    running_low = _BusyProcessor(waiting=40)  # a batch may still be in flight; claim before the lane runs dry
    assert InboxPoller(any_db, running_low, max_backlog=100).poll_once() == 60
    assert len(running_low.claimed) == 60
