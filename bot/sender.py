"""Delivers outbox rows right after the transaction that wrote them commits (many sends in flight)."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, update

from bot.inflight import InFlight
from bot.line import LineGateway, SendResult, batch_retry_key
from bot.thaidate import now_utc
from storage.db import Database
from storage.models import OutboxMessage, User

log = logging.getLogger(__name__)


_OUTBOX = OutboxMessage.__table__
_MARK_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(status="sent", sent_at=bindparam("now"), last_error=None, attempts=_OUTBOX.c.attempts + 1)
)
"""Built once, on the table: no ORM bulk-update bookkeeping for rows this session never loaded."""


def _chat_of(row: int | OutboxMessage) -> str | None:
    """The one chat a reply or push goes to (None for ids not read yet and for multicasts)."""
    if isinstance(row, OutboxMessage) and row.kind in ("reply", "push") and row.to:
        return str(row.to[0])
    return None


async def asend_row(gateway: LineGateway, row: OutboxMessage) -> SendResult:
    """One outbox row → the matching LINE call, with the row's retry key (on the gateway's send loop)."""
    to = list(row.to or [])
    if row.kind == "reply":
        return await gateway.asend_reply(row.reply_token, to[0] if to else None, row.messages, row.retry_key)
    from bot.replies import finalize

    batches = finalize(row.messages)
    result = SendResult(ok=True, status=200, attempts=0)
    for index, batch in enumerate(batches):
        key = batch_retry_key(row.retry_key, index)
        if row.kind == "push":
            result = await gateway.apush(to[0], batch, retry_key=key)
        elif row.kind == "multicast":
            result = await gateway.amulticast(to, batch, retry_key=key)
        elif row.kind == "broadcast":
            result = await gateway.abroadcast(batch, retry_key=key)
        else:
            return SendResult(ok=False, status=400, error=f"unknown outbox kind {row.kind}")
        if not result.ok:
            return result
    return result


@dataclass(frozen=True)
class ContentTask:
    """A task after a commit that reads LINE's data host (a picture someone sent), which may take seconds:
    it runs on the sender's content threads, never on the threads the sends need."""

    run: Callable[[Database, Any], None]

    def __call__(self, db: Database, gateway: Any) -> None:
        self.run(db, gateway)


CONTENT_THREADS = 2
"""Threads for ContentTasks. Pictures come with a few ideas a day; two let one slow fetch not hold up the
next. More waiting ones queue here (a picture is claimed only when its fetch starts, and the scheduler's
``idea-photos`` job takes any still pending after a restart)."""


class Sender:
    """Sends the outbox rows an event's transaction just committed, and records the outcome.

    The sends run on the gateway's event loop, as many at once as there are chats waiting; the
    database work around them (reading a row given by id, recording a failure, a display name) and
    tasks that must wait for a commit run on a few threads. Fetching what people sent (ContentTask)
    has threads of its own, so a slow fetch never keeps a reply waiting for a thread.
    """

    def __init__(self, db: Database, gateway: LineGateway, threads: int = 8) -> None:
        self.db = db
        self.gateway = gateway
        self._pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="rk-send")
        self._content_pool = ThreadPoolExecutor(CONTENT_THREADS, thread_name_prefix="rk-content")
        self._in_flight = InFlight()
        self._lock = threading.Lock()  # the chat queues and the profile reads tried
        self._sent: queue.Queue[int] = queue.Queue()
        self._profile_tried: dict[str, float] = {}
        self._flusher: threading.Thread | None = None
        self._flusher_lock = threading.Lock()
        self._chat_queues: dict[str, deque[int | OutboxMessage]] = {}

    def submit(self, rows: list[int | OutboxMessage]) -> None:
        """Send these rows now: ids (read first) or rows just committed (sent without another read).

        Rows for one chat go out one after another, in the order submitted: a user who types twice
        quickly reads the answers in that order. Different chats are sent in parallel.
        """
        for row in rows:
            chat = _chat_of(row)
            self._in_flight.add()
            with self._lock:
                if chat is not None:
                    waiting = self._chat_queues.get(chat)
                    if waiting is not None:  # a send to this chat is in flight: go after it
                        waiting.append(row)
                        continue
                    self._chat_queues[chat] = deque()
            self.gateway.spawn(self._guarded(self._deliver_in_turn(chat, row)))

    async def _deliver_in_turn(self, chat: str | None, row: int | OutboxMessage) -> None:
        """Deliver a row, then whatever was queued behind it for the same chat."""
        while True:
            try:
                await self.deliver(row)
            except Exception:  # noqa: BLE001 - this row stays claimed for the sweep; the next still goes
                log.exception("send to %s failed", chat)
            if chat is None:
                return
            with self._lock:
                waiting = self._chat_queues[chat]
                if not waiting:
                    del self._chat_queues[chat]
                    return
                row = waiting.popleft()
            self._in_flight.done()  # the row just sent; _guarded releases the last one of the turn

    async def _guarded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:  # noqa: BLE001 - the row stays claimed; the worker's sweep retries it
            log.exception("send task failed")
        finally:
            self._in_flight.done()

    def run_task(self, task: Any) -> None:
        """Run task(db, gateway) on a thread (API calls that must wait until a commit, e.g. menu links);
        a ContentTask on the content threads."""
        self._in_flight.add()
        if isinstance(task, ContentTask):
            try:
                self._content_pool.submit(task, self.db, self.gateway).add_done_callback(self._content_done)
            except RuntimeError:  # shutting down: the scheduler's job fetches it instead
                self._in_flight.done()
            return
        self.gateway.spawn(self._guarded(self._off_loop(task, self.db, self.gateway)))

    def _content_done(self, future: Future[None]) -> None:
        try:
            if not future.cancelled() and future.exception() is not None:
                log.error("content task failed", exc_info=future.exception())
        finally:
            self._in_flight.done()

    PROFILE_RETRY_SECONDS = 24 * 3600

    def fetch_profile(self, line_user_id: str) -> None:
        """Read the display name once (best effort); a failed read is not retried for a day."""
        now = time.monotonic()
        with self._lock:
            last = self._profile_tried.get(line_user_id)
            if last is not None and now - last < self.PROFILE_RETRY_SECONDS:
                return
            if len(self._profile_tried) > 100_000:
                self._profile_tried.clear()
            self._profile_tried[line_user_id] = now
        self._in_flight.add()
        self.gateway.spawn(self._guarded(self._profile(line_user_id)))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self._in_flight.wait_idle(timeout)

    @property
    def backlog(self) -> int:
        return self._in_flight.count

    async def _off_loop(self, fn: Any, *args: Any) -> Any:
        """Database work, on a thread: the loop never waits for the database."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def deliver(self, row_or_id: int | OutboxMessage) -> None:
        row = row_or_id if isinstance(row_or_id, OutboxMessage) else await self._off_loop(self._read, row_or_id)
        if row is None:
            return
        result = await asend_row(self.gateway, row)
        if result.ok:
            self._in_flight.add()  # released once the flusher has marked it sent
            self._sent.put(row.id)
            self._ensure_flusher()
            return
        await self._off_loop(self._record_failure, row, result)

    def _read(self, row_id: int) -> OutboxMessage | None:
        """The row to send, if it is still waiting to be sent."""
        with self.db.session(readonly=True) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.status not in ("sending", "pending"):
                return None
            session.expunge(row)
            return row

    def _record_failure(self, row: OutboxMessage, result: SendResult) -> None:
        values: dict[str, Any] = {"attempts": OutboxMessage.attempts + 1}
        if result.permanent_failure:
            values.update(status="failed", last_error=f"{result.status}: {result.error}"[:2000])
        else:
            # Leave it for the worker's outbox loop to retry later, after a pause (same retry key, so
            # LINE never delivers twice).
            pause = self.gateway.backoff(row.attempts + 1, result.retry_after)
            values.update(status="pending", claimed_by=None, claimed_at=None,
                          due_at=now_utc() + timedelta(seconds=max(pause, 1.0)),
                          last_error=f"{result.status}: {result.error}"[:2000])
        self.db.execute_alone(update(OutboxMessage)
                              .where(OutboxMessage.id == row.id, OutboxMessage.status == "sending")
                              .values(**values))

    def _ensure_flusher(self) -> None:
        with self._flusher_lock:
            if self._flusher is None or not self._flusher.is_alive():
                self._flusher = threading.Thread(target=self._flush_loop, name="rk-sent-flusher", daemon=True)
                self._flusher.start()

    def _flush_loop(self) -> None:
        """Mark delivered rows as sent in batches: one write transaction for many sends."""
        while True:
            try:
                first = self._sent.get(timeout=5)
            except queue.Empty:
                return
            batch = [first]
            time.sleep(0.02)
            while len(batch) < 500:
                try:
                    batch.append(self._sent.get_nowait())
                except queue.Empty:
                    break
            try:
                self.db.execute_alone(_MARK_SENT, {"ids": batch, "now": now_utc()})
            except Exception:  # noqa: BLE001 - rows stay "sending"; LINE dedupes a resend by retry key
                log.exception("could not mark %d rows sent", len(batch))
            finally:
                self._in_flight.done(len(batch))

    async def _profile(self, line_user_id: str) -> None:
        name = await self.gateway.aget_display_name(line_user_id)
        if name:
            await self._off_loop(self._store_name, line_user_id, name)

    def _store_name(self, line_user_id: str, name: str) -> None:
        self.db.execute_alone(update(User).where(User.line_user_id == line_user_id, User.display_name.is_(None))
                              .values(display_name=name[:120]))

    def shutdown(self, timeout: float = 30.0) -> None:
        """Finish what was submitted (up to timeout seconds), then stop the threads."""
        self.wait_idle(timeout)
        self._pool.shutdown(wait=True)
        self._content_pool.shutdown(wait=True, cancel_futures=True)  # what is left: the scheduler's job
