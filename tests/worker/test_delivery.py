"""Sending outbox rows: exactly once at LINE, retries with backoff, failures, unfollowed and muted users."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Settings
from bot.line import LineGateway
from bot.outbox_delivery import OutboxSender, claim_batch
from bot.services.outbox import enqueue
from tests.conftest import TOKEN
from tests.worker.helpers import FakeGateway, Result, make_user, push, rows, uid


@pytest.fixture
def gateway(fake_line):
    gw = LineGateway(Settings(channel_access_token=TOKEN, line_api_base_url=fake_line.base_url), pool_size=32)
    yield gw
    gw.close()


def drain(sender: OutboxSender, now, rounds: int = 40) -> None:
    """Run the sender until nothing is waiting, moving the clock an hour each round (no sleeping)."""
    for i in range(rounds):
        with sender.db.session() as s:
            waiting = [r for r in rows(s) if r.status in ("pending", "sending")]
        if not waiting:
            return
        sender.clock = lambda i=i: now + timedelta(hours=i)
        sender.run_once(now + timedelta(hours=i), limit=1000)
    raise AssertionError("outbox did not drain")


def test_every_row_reaches_line_exactly_once_when_line_fails_5_percent(db, now, fake_line, gateway):
    fake_line.store.configure(fail_rate=0.05)
    with db.session() as s:
        for n in range(1, 301):
            make_user(s, n)
            push(s, uid(n), f"แจ้งเตือนถึงคุณ {n} ค่ะ", due_at=now)
        for b in range(4):
            enqueue(s, kind="multicast", to=[uid(n) for n in range(b * 50 + 1, b * 50 + 51)],
                    messages=[{"type": "text", "text": f"ประกาศชุด {b} ค่ะ"}], category="announcement", due_at=now)
        keys = [r.retry_key for r in rows(s)]
    sender = OutboxSender(db, gateway, worker_id="w1", threads=16)
    drain(sender, now)
    store = fake_line.store
    assert store.injected_failures > 0, "the stand-in injected no failures; the test proves nothing"
    assert all(store.deliveries_per_key[k] == 1 for k in keys)
    assert sum(store.deliveries_per_key.values()) == len(keys)
    with db.session() as s:
        assert {r.status for r in rows(s)} == {"sent"}
    for n in range(1, 301):
        expected = 2 if n <= 200 else 1
        assert len(store.messages_for(uid(n))) == expected


def test_worker_killed_mid_send_is_finished_by_another_without_duplicates(db, now, fake_line, gateway):
    with db.session() as s:
        for n in range(1, 11):
            make_user(s, n)
            push(s, uid(n), f"ข้อความถึงคุณ {n}", due_at=now)
    # The first worker claims all ten, gets three to LINE, and dies before writing anything back.
    with db.session() as s:
        claimed = claim_batch(s, "dead-worker", 100, now)
    for row in claimed[:3]:
        assert gateway.push(row.to[0], row.messages, retry_key=row.retry_key).ok
    later = now + timedelta(minutes=10)
    sender = OutboxSender(db, gateway, worker_id="w2", claim_timeout=timedelta(minutes=5), clock=lambda: later)
    assert sender.run_once(now + timedelta(minutes=2)) == 0  # still within the claim timeout
    sender.run_once(later)
    with db.session() as s:
        assert {r.status for r in rows(s)} == {"sent"}
    assert all(fake_line.store.deliveries_per_key[r.retry_key] == 1 for r in claimed)
    assert fake_line.store.conflicts == 3  # LINE answered 409 for the three it already had
    for n in range(1, 11):
        assert len(fake_line.store.messages_for(uid(n))) == 1


def test_unfollowed_users_are_skipped(db, now, fake_line, gateway):
    with db.session() as s:
        make_user(s, 1, active=False)
        make_user(s, 2)
        make_user(s, 3, active=False)
        gone = push(s, uid(1), "ถึงคนที่เลิกติดตาม", due_at=now).id
        enqueue(s, kind="multicast", to=[uid(1), uid(2), uid(3)], messages=[{"type": "text", "text": "ประกาศค่ะ"}],
                category="hearing", due_at=now)
    OutboxSender(db, gateway, worker_id="w").run_once(now)
    with db.session() as s:
        by_id = {r.id: r for r in rows(s)}
    assert by_id[gone].status == "skipped" and by_id[gone].last_error == "unfollowed"
    calls = [c for c in fake_line.store.calls if c["endpoint"] in ("pushMessage", "multicast")]
    assert len(calls) == 1 and calls[0]["body"]["to"] == [uid(2)]


def test_the_way_back_to_a_step_is_decided_when_sent_once_per_push(db, now):
    """"กลับไปทำต่อ" goes on a push to someone answering a step when it is sent, never twice, and comes off one
    queued with it (before it was decided at send time) for someone whose journey is over; multicasts keep
    their chips."""
    from bot import replies
    from bot.services.outbox import RESUME_ACTION, RESUME_LABEL
    from storage.models import Conversation

    gateway = FakeGateway()
    way_back = replies.quick_postback(RESUME_LABEL, RESUME_ACTION, RESUME_LABEL)
    menu = replies.quick_message("เมนู")
    with db.session() as s:
        for n in (1, 2, 3):
            make_user(s, n)
        for n, expires in ((1, now + timedelta(minutes=5)), (3, now - timedelta(minutes=1))):  # 3 timed out
            s.add(Conversation(line_user_id=uid(n), chat_key=uid(n), flow="activity_signup", step="party",
                               data={}, history=[], expires_at=expires))
        for n in (1, 2, 3):
            enqueue(s, kind="push", to=[uid(n)], messages=[{"type": "text", "text": f"ถึงคุณ {n}",
                                                               "quickReply": {"items": [way_back, menu]}}],
                    category="contact", due_at=now)
        enqueue(s, kind="multicast", to=[uid(1), uid(2)], category="hearing", due_at=now,
                messages=[{"type": "text", "text": "ประกาศค่ะ", "quickReply": {"items": [menu]}}])
    OutboxSender(db, gateway, worker_id="w").run_once(now)
    chips = {tuple(c["to"]): [i["action"]["label"] for i in c["messages"][-1].get("quickReply", {}).get("items", [])]
             for c in gateway.calls}
    assert chips == {(uid(1),): ["กลับไปทำต่อ", "เมนู"], (uid(2),): ["เมนู"], (uid(3),): ["เมนู"],
                     (uid(1), uid(2)): ["เมนู"]}


def test_muted_announcements_are_skipped_but_own_reminders_are_sent(db, now):
    gateway = FakeGateway()
    with db.session() as s:
        make_user(s, 1, muted=["announcement"])
        announcement = push(s, uid(1), "ประกาศชุมชน", category="announcement", due_at=now).id
        reminder = push(s, uid(1), "พรุ่งนี้มีกิจกรรมค่ะ", category="reminder", due_at=now).id
    OutboxSender(db, gateway, worker_id="w").run_once(now)
    with db.session() as s:
        by_id = {r.id: r for r in rows(s)}
    assert by_id[announcement].status == "skipped"
    assert by_id[reminder].status == "sent"
    assert [c["messages"][0]["text"] for c in gateway.calls] == ["พรุ่งนี้มีกิจกรรมค่ะ"]


def test_permanent_4xx_fails_with_the_reason(db, now):
    gateway = FakeGateway(script={1: Result(False, 400, "The request body has 1 error(s)")})
    with db.session() as s:
        make_user(s, 1)
        push(s, uid(1), due_at=now)
    OutboxSender(db, gateway, worker_id="w").run_once(now)
    with db.session() as s:
        (row,) = rows(s)
    assert row.status == "failed" and "400" in row.last_error and "error" in row.last_error
    assert len(gateway.calls) == 1


def test_429_waits_at_least_retry_after_then_sends_with_the_same_retry_key(db, now):
    gateway = FakeGateway(script={1: Result(False, 429, "Too many requests", retry_after=120)})
    with db.session() as s:
        make_user(s, 1)
        push(s, uid(1), due_at=now)
    sender = OutboxSender(db, gateway, worker_id="w")
    sender.clock = lambda: now
    sender.run_once(now)
    with db.session() as s:
        (row,) = rows(s)
    assert row.status == "pending" and row.due_at >= now + timedelta(seconds=120) and row.attempts == 1
    assert sender.run_once(now + timedelta(seconds=60)) == 0
    sender.run_once(now + timedelta(seconds=121))
    with db.session() as s:
        (row,) = rows(s)
    assert row.status == "sent"
    assert gateway.calls[0]["retry_key"] == gateway.calls[1]["retry_key"] == row.retry_key


def test_a_row_that_keeps_failing_gives_up_with_the_last_error(db, now):
    gateway = FakeGateway(script={i: Result(False, 500, "An error occurred on the server") for i in range(1, 50)})
    with db.session() as s:
        make_user(s, 1)
        push(s, uid(1), due_at=now)
    sender = OutboxSender(db, gateway, worker_id="w", max_attempts=3)
    for i in range(5):
        sender.clock = lambda i=i: now + timedelta(days=i)
        sender.run_once(now + timedelta(days=i))
    with db.session() as s:
        (row,) = rows(s)
    assert row.status == "failed" and "gave up after 3 attempts" in row.last_error
    assert len(gateway.calls) == 3


def test_monthly_quota_exhausted_is_not_retried(db, now):
    gateway = FakeGateway(script={1: Result(False, 429, "You have reached your monthly limit.")})
    with db.session() as s:
        make_user(s, 1)
        push(s, uid(1), due_at=now)
    OutboxSender(db, gateway, worker_id="w").run_once(now)
    with db.session() as s:
        (row,) = rows(s)
    assert row.status == "failed" and "monthly limit" in row.last_error


def test_the_background_loop_sends_and_stops_cleanly(db, fake_line, gateway):
    from storage.models import utcnow

    with db.session() as s:
        for n in range(1, 41):
            make_user(s, n)
            push(s, uid(n), f"ข้อความ {n}", due_at=utcnow())
    sender = OutboxSender(db, gateway, worker_id="loop", threads=8, poll_s=0.05).start()
    try:
        for _ in range(400):
            with db.session(readonly=True) as s:
                if all(r.status == "sent" for r in rows(s)):
                    break
            import time

            time.sleep(0.025)
    finally:
        sender.stop()
    with db.session() as s:
        assert {r.status for r in rows(s)} == {"sent"}
    assert fake_line.store.stats()["duplicate_deliveries"] == 0
