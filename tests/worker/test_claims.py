"""Claiming outbox rows: each row goes to exactly one worker; rows of a dead worker are taken again."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.outbox_delivery import claim_batch, reclaim_stale
from storage.models import OutboxMessage
from tests.worker.helpers import make_user, push, rows, uid


def test_claim_takes_only_due_rows_and_only_once(db, now):
    with db.session() as s:
        make_user(s, 1)
        for i in range(5):
            push(s, uid(1), f"ข้อความ {i}", due_at=now - timedelta(minutes=1))
        later = push(s, uid(1), "ยังไม่ถึงเวลา", due_at=now + timedelta(hours=1)).id
    with db.session() as s:
        first = claim_batch(s, "w1", 10, now)
    with db.session() as s:
        second = claim_batch(s, "w2", 10, now)
    assert len(first) == 5 and second == []
    assert {r.claimed_by for r in first} == {"w1"} and {r.status for r in first} == {"sending"}
    with db.session() as s:
        assert s.get(OutboxMessage, later).status == "pending"


def test_rows_left_sending_by_a_dead_worker_are_claimed_again_after_the_timeout(db, now):
    with db.session() as s:
        make_user(s, 1)
        ids = [push(s, uid(1), f"ข้อความ {i}", due_at=now).id for i in range(3)]
    with db.session() as s:
        claim_batch(s, "dead-worker", 10, now)
    with db.session() as s:
        assert claim_batch(s, "w2", 10, now + timedelta(minutes=1), claim_timeout=timedelta(minutes=5)) == []
    with db.session() as s:
        again = claim_batch(s, "w2", 10, now + timedelta(minutes=6), claim_timeout=timedelta(minutes=5))
    assert sorted(r.id for r in again) == ids
    assert {r.attempts for r in again} == {2}


def test_reclaim_stale_puts_rows_back_to_pending(db, now):
    with db.session() as s:
        make_user(s, 1)
        push(s, uid(1), due_at=now)
    with db.session() as s:
        claim_batch(s, "dead-worker", 10, now)
    with db.session() as s:
        assert reclaim_stale(s, now + timedelta(minutes=10), timedelta(minutes=5)) == 1
    with db.session() as s:
        (row,) = rows(s)
        assert row.status == "pending" and row.claimed_by is None


def test_two_concurrent_claimers_take_disjoint_rows(any_db, now):
    """On PostgreSQL the second claimer skips the rows the first holds locked (FOR UPDATE SKIP LOCKED)."""
    with any_db.session() as s:
        make_user(s, 1)
        for i in range(50):
            push(s, uid(1), f"ข้อความ {i}", due_at=now)
    a_claimed, b_done = threading.Event(), threading.Event()
    taken: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def claimer_a() -> None:
        try:
            with any_db.session() as s:
                taken["a"] = [r.id for r in claim_batch(s, "a", 30, now)]
                a_claimed.set()
                if any_db.dialect == "postgresql":
                    assert b_done.wait(10), "claimer b was blocked by a's locks"
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
            a_claimed.set()

    def claimer_b() -> None:
        try:
            a_claimed.wait(10)
            with any_db.session() as s:
                taken["b"] = [r.id for r in claim_batch(s, "b", 30, now)]
            b_done.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=claimer_a), threading.Thread(target=claimer_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not errors, errors
    assert len(taken["a"]) == 30 and len(taken["b"]) == 20
    assert not set(taken["a"]) & set(taken["b"])
    with any_db.session() as s:
        owners = {r.id: r.claimed_by for r in rows(s)}
    assert all(owners[i] == "a" for i in taken["a"]) and all(owners[i] == "b" for i in taken["b"])


def test_many_claimers_in_a_loop_never_share_a_row(any_db, now):
    with any_db.session() as s:
        make_user(s, 1)
        for i in range(200):
            push(s, uid(1), f"ข้อความ {i}", due_at=now)
    taken: dict[str, list[int]] = {f"w{i}": [] for i in range(4)}

    def work(name: str) -> None:
        while True:
            with any_db.session() as s:
                got = [r.id for r in claim_batch(s, name, 7, now)]
            if not got:
                return
            taken[name].extend(got)

    threads = [threading.Thread(target=work, args=(name,)) for name in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    everything = [i for ids in taken.values() for i in ids]
    assert len(everything) == 200 and len(set(everything)) == 200
