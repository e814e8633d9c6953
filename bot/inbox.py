"""The webhook inbox: record events once (by webhookEventId); workers claim them for bot.processor."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import queue
import threading
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from bot.thaidate import now_utc
from storage.db import Database
from storage.models import WebhookEvent

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bot.processor import EventProcessor


def event_key(event: dict[str, Any]) -> str:
    """webhookEventId, or a stable hash of the event when LINE gave none."""
    key = event.get("webhookEventId")
    if isinstance(key, str) and key:
        return key[:64]
    return "h:" + hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()[:60]


def source_key(event: dict[str, Any]) -> str | None:
    source = event.get("source") or {}
    if not isinstance(source, dict):
        return None
    return source.get("userId") or source.get("groupId") or source.get("roomId")


def inbox_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The inbox rows for the events of one request (an event repeated in the request counts once)."""
    rows = []
    seen: set[str] = set()
    now = now_utc()
    for event in events:
        key = event_key(event)
        if key in seen:
            continue
        seen.add(key)
        delivery = event.get("deliveryContext") or {}
        rows.append({
            "webhook_event_id": key,
            "event_type": str(event.get("type", "unknown"))[:40],
            "source_key": source_key(event),
            "payload": json.dumps(event, ensure_ascii=False),
            "is_redelivery": bool(isinstance(delivery, dict) and delivery.get("isRedelivery")),
            "status": "pending",
            "attempts": 0,
            "received_at": now,
        })
    return rows


def insert_new(db: Database, rows: list[dict[str, Any]],
               urgent: bool = True) -> dict[str, tuple[int, str | None]]:
    """Insert the rows whose webhook_event_id is new, in one transaction; {event id: (row id, source key)}.

    urgent: an acknowledgement waits on this write, so on SQLite it goes before event processing.
    """
    if not rows:
        return {}
    table = WebhookEvent.__table__
    generic = db.dialect not in ("postgresql", "sqlite")  # several statements: a transaction of its own
    with (db.urgent_engine if urgent and not generic else db.engine).begin() as conn:
        if generic:
            new = {}
            for row in rows:
                key = row["webhook_event_id"]
                if key in new or conn.scalar(select(table.c.id).where(table.c.webhook_event_id == key)):
                    continue
                new[key] = (conn.execute(insert(table).values(**row)).inserted_primary_key[0], row["source_key"])
            return new
        # The hottest statement of all (every acknowledgement waits on it): written as SQL and sent to
        # the driver as is, no statement building or compiling per batch.
        # The column's own type turns the aware datetime into what it stores (naive UTC; text on SQLite).
        time_type = table.c.received_at.type
        stored_time = time_type.dialect_impl(conn.dialect).bind_processor(conn.dialect) or (lambda value: value)
        params = tuple(value for row in rows for value in (
            row["webhook_event_id"], row["event_type"], row["source_key"], row["payload"],
            row["is_redelivery"], "pending", 0, stored_time(row["received_at"])))
        result = conn.exec_driver_sql(_record_sql(db.is_sqlite, len(rows)), params)
        return {r[1]: (r[0], r[2]) for r in result}


@functools.lru_cache(maxsize=64)
def _record_sql(sqlite: bool, count: int) -> str:
    """INSERT … ON CONFLICT DO NOTHING RETURNING for `count` rows, in the driver's placeholder style."""
    mark = "?" if sqlite else "%s"
    group = "(" + ", ".join([mark] * 8) + ")"
    return ("INSERT INTO webhook_events (webhook_event_id, event_type, source_key, payload, is_redelivery,"
            " status, attempts, received_at) VALUES " + ", ".join([group] * count)
            + " ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id, webhook_event_id, source_key")


def record(db: Database, events: list[dict[str, Any]]) -> list[tuple[int, str | None]]:
    """Insert events not seen before; returns (row id, source key) of the new ones only."""
    rows = inbox_rows(events)
    new = insert_new(db, rows)
    return [new[row["webhook_event_id"]] for row in rows if row["webhook_event_id"] in new]


class _Waiting:
    __slots__ = ("rows", "done", "result", "error")

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.done = threading.Event()
        self.result: list[tuple[int, str | None]] = []
        self.error: BaseException | None = None


class InboxWriter:
    """Records the events of many concurrent webhook requests in one transaction (group commit).

    Each request hands its rows to a writer thread and waits; a writer inserts everything that
    arrived while it was busy, in one INSERT and one COMMIT. Under load that is one
    transaction for dozens of acknowledgements instead of one each; with one request at a time it is
    the same single transaction as before.
    """

    def __init__(self, db: Database, max_rows: int = 500, timeout: float = 10.0, writers: int = 3) -> None:
        self.db = db
        self.max_rows = max_rows
        self.timeout = timeout
        self.writers = max(1, writers)
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()

    def record(self, events: list[dict[str, Any]]) -> list[tuple[int, str | None]]:
        """Like record(): (row id, source key) of the new events, once they are committed."""
        rows = inbox_rows(events)
        if not rows:
            return []
        waiting = _Waiting(rows)
        self._ensure_thread()
        self._queue.put(waiting)
        if not waiting.done.wait(self.timeout):
            raise SQLAlchemyError("the inbox write did not finish in time")
        if waiting.error is not None:
            raise waiting.error
        return waiting.result

    def _ensure_thread(self) -> None:
        """A few writer threads: one slow transaction does not hold up every acknowledgement."""
        if len(self._threads) == self.writers and all(t.is_alive() for t in self._threads):
            return
        with self._start_lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            while len(self._threads) < self.writers:
                thread = threading.Thread(target=self._run, name=f"rk-inbox-writer{len(self._threads)}",
                                          daemon=True)
                thread.start()
                self._threads.append(thread)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            count = len(batch[0].rows)
            while count < self.max_rows:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
                count += len(batch[-1].rows)
            self._write(batch)

    def _write(self, batch: list[_Waiting]) -> None:
        try:
            new = insert_new(self.db, [row for waiting in batch for row in waiting.rows])
            for waiting in batch:
                # An event in two concurrent requests (a redelivery racing the original) is new once.
                waiting.result = [new.pop(row["webhook_event_id"]) for row in waiting.rows
                                  if row["webhook_event_id"] in new]
        except Exception as exc:  # noqa: BLE001 - every waiting request answers 503; nothing half-done
            log.exception("could not record %d webhook requests", len(batch))
            for waiting in batch:
                waiting.error = exc
        finally:
            for waiting in batch:
                waiting.done.set()


def mark_ignored(db: Database, row_ids: list[int]) -> None:
    with db.session() as session:
        session.execute(update(WebhookEvent).where(WebhookEvent.id.in_(row_ids)).values(status="ignored"))


def _claim_select(which: str) -> str:
    """The rows a claim takes: those `which` picks, oldest first, skipping rows another worker holds."""
    return (f"SELECT id FROM {WebhookEvent.__tablename__} WHERE {which} "
            "ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")


def _claim_sql(which: str, *times: str) -> Any:
    """UPDATE … RETURNING of the rows _claim_select(`which`) picks (`times`: its parameters that are times,
    besides :now)."""
    return text(
        f"UPDATE {WebhookEvent.__tablename__} SET status = 'processing', claimed_by = :worker, claimed_at = :now "
        f"WHERE id IN ({_claim_select(which)}) RETURNING id, source_key, payload"
    ).bindparams(*(bindparam(name, type_=WebhookEvent.__table__.c.claimed_at.type) for name in ("now", *times)))


# Two statements, not one with OR: "pending" alone walks the partial index ix_webhook_events_pending in id order
# and stops at :limit; with the OR, PostgreSQL read every row ever pending (a bitmap scan over their old versions)
# on every claim until autovacuum came round, a cost growing with the table.
_CLAIM_PENDING = _claim_sql("status = 'pending'")
_CLAIM_STALE = _claim_sql("status = 'processing' AND claimed_at < :stale", "stale")

RESCUE_EVERY = timedelta(seconds=10)
"""How often a poller looks for events a dead worker left in processing (they are taken after `stale_after`)."""


def claim_pending(db: Database, worker_id: str, limit: int = 200,
                  stale_after: timedelta = timedelta(minutes=2),
                  rescue: bool = True) -> list[tuple[int, str | None, str]]:
    """Take pending events (and, with `rescue`, ones a dead worker left in processing) for this worker, oldest first.

    Returns (row id, source key, payload) each, so acting on them needs no second read.

    PostgreSQL: UPDATE … FOR UPDATE SKIP LOCKED … RETURNING, so several workers take disjoint events.
    SQLite: the write transaction holds the database lock, so select-then-update is atomic.
    """
    now = now_utc()
    if db.claim_engine is not None:
        # One statement each, its own transaction: one round trip per claim instead of five.
        rows: list[Any] = []
        with db.claim_engine.connect() as conn:
            if rescue:
                rows += conn.execute(_CLAIM_STALE, {"worker": worker_id, "now": now, "stale": now - stale_after,
                                                    "limit": limit}).all()
            if len(rows) < limit:
                rows += conn.execute(_CLAIM_PENDING, {"worker": worker_id, "now": now,
                                                      "limit": limit - len(rows)}).all()
        return sorted((r[0], r[1], r[2]) for r in rows)
    table = WebhookEvent.__table__
    claimable = table.c.status == "pending"
    if rescue:
        claimable = claimable | ((table.c.status == "processing") & (table.c.claimed_at < now - stale_after))
    # Look before taking SQLite's one write turn: an idle poller then never holds up other writers.
    with db.session(readonly=True) as session:
        if session.execute(select(table.c.id).where(claimable).limit(1)).first() is None:
            return []
    with db.engine.begin() as conn:
        ids = list(conn.scalars(select(table.c.id).where(claimable).order_by(table.c.id).limit(limit)))
        if not ids:
            return []
        conn.execute(update(table).where(table.c.id.in_(ids))
                     .values(status="processing", claimed_by=worker_id, claimed_at=now))
        rows = conn.execute(select(table.c.id, table.c.source_key, table.c.payload).where(table.c.id.in_(ids))
                            .order_by(table.c.id)).all()
    return [(r[0], r[1], r[2]) for r in rows]


class InboxPoller:
    """In the worker process: claim recorded events and hand them to an EventProcessor.

    Used when the web processes only acknowledge (RUAMKAN_EVENTS_IN=worker, the Procfile's
    production setup): acks then never compete with event processing for the web process's CPU.
    """

    def __init__(self, db: Database, processor: EventProcessor, interval: float = 0.02,
                 max_backlog: int = 100, spool: Database | None = None) -> None:
        self.db = db
        self.spool = spool
        self.processor = processor
        self.interval = interval
        self.max_backlog = max_backlog
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_rescue = 0.0

    def poll_once(self) -> int:
        # Claim only what this process will reach soon: other event processes take the rest. Under
        # load, claim again once half of what waits has started, not after every event: fewer, larger
        # claims, and the next one arrives while the lane still has work (it must never wait for us).
        waiting = self.processor.waiting
        room = self.max_backlog - waiting
        if waiting and room < self.max_backlog // 2:
            return 0
        if self.spool is not None:
            from bot.spool import move_to_inbox

            move_to_inbox(self.spool, self.db)
        rescue = time.monotonic() >= self._next_rescue
        if rescue:
            self._next_rescue = time.monotonic() + RESCUE_EVERY.total_seconds()
        items = claim_pending(self.db, self.processor.worker_id, limit=room, rescue=rescue)
        self.processor.submit(items)
        return len(items)

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                got = self.poll_once()
            except Exception:  # noqa: BLE001 - keep polling; the database may come back
                log.exception("inbox poll failed")
                got = 0
            if not got:
                self._stop.wait(self.interval)

    def start(self) -> InboxPoller:
        self._thread = threading.Thread(target=self.run, name="rk-inbox-poller", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
