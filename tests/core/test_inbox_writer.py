"""Acknowledgements share transactions (group commit) without losing, doubling or mixing up events."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot import inbox
from bot.inbox import InboxWriter
from bot.simulator.events import build_event
from storage.models import WebhookEvent


def _post_concurrently(writer, requests):
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def post(i):
        barrier.wait()
        results[i] = writer.record(requests[i])

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_requests_each_get_their_own_new_events(any_db):
    writer = InboxWriter(any_db)
    requests = [[build_event("text", f"Uw{i:02d}", text=f"ข้อความ {i}") for _ in range(3)] for i in range(40)]
    results = _post_concurrently(writer, requests)
    with any_db.session(readonly=True) as s:
        stored = dict(s.execute(select(WebhookEvent.id, WebhookEvent.source_key)).all())
    assert len(stored) == 120
    for i, got in enumerate(results):
        assert len(got) == 3
        assert all(stored[row_id] == f"Uw{i:02d}" and key == f"Uw{i:02d}" for row_id, key in got)


def test_an_event_in_two_concurrent_requests_is_new_only_once(any_db):
    writer = InboxWriter(any_db)
    event = build_event("text", "Udup", text="สวัสดีค่ะ")
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    results = _post_concurrently(writer, [[event], [redelivered], [event, event]])
    assert sorted(len(r) for r in results) == [0, 0, 1]
    with any_db.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(WebhookEvent)) == 1


def test_storage_failure_answers_503_and_the_next_request_works(client, harness, monkeypatch):
    real = inbox.insert_new
    calls = {"n": 0}

    def failing_once(db, rows):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("INSERT", {}, Exception("database is down"))
        return real(db, rows)

    monkeypatch.setattr(inbox, "insert_new", failing_once)
    event = build_event("text", "Udown", text="สวัสดีค่ะ")
    assert harness.post_events([event]).status_code == 503
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(WebhookEvent)) == 0
    # LINE redelivers the same event: now it is recorded and answered.
    assert harness.post_events([event]).status_code == 200
    harness.wait()
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(WebhookEvent.status)) == "done"


@pytest.mark.parametrize("bad", [[], [{}], [{"type": "text"}]])
def test_requests_without_usable_events_still_answer(any_db, bad):
    writer = InboxWriter(any_db)
    got = writer.record(bad)
    assert len(got) == len(bad)


def test_recorded_events_read_back_as_the_models_store_them(any_db):
    """The acknowledgement path writes SQL by hand; what it stores must read back like any ORM row."""
    from bot.thaidate import now_utc

    before = now_utc()
    event = build_event("text", "Uread", text="สวัสดีค่ะ")
    event["deliveryContext"] = {"isRedelivery": True}
    [(row_id, key)] = InboxWriter(any_db).record([event])
    with any_db.session(readonly=True) as s:
        row = s.get(WebhookEvent, row_id)
        assert (row.webhook_event_id, row.event_type, row.source_key, row.status) == (
            event["webhookEventId"], "message", "Uread", "pending")
        assert row.is_redelivery is True and row.attempts == 0
        assert before <= row.received_at <= now_utc()
        assert row.received_at.tzinfo is not None
