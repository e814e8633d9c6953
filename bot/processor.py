"""Acting on recorded webhook events: one user at a time, in batches, replies queued in the same transaction."""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from bot import conversation_state
from bot.config import Settings
from bot.context import ActAloneAgain, Ctx
from bot.conversation_state import ConversationState
from bot.inbox import source_key
from bot.inflight import InFlight
from bot.replies import BoundedCache
from bot.services import outbox, users
from bot.shape_key import EVENT_KEY
from bot.thaidate import now_utc
from storage.db import Database, insert_unless_present
from storage.models import Conversation, User, WebhookEvent

log = logging.getLogger(__name__)

LAST_SEEN_EVERY = timedelta(minutes=10)
REPLYABLE = {"message", "postback", "follow", "join", "memberJoined", "beacon", "accountLink", "things"}


# Statements of the per-event path, built once: SQLAlchemy reuses their compiled form and cache keys.
_EVENTS = WebhookEvent.__table__
_TAKE = (
    update(_EVENTS)
    .where(_EVENTS.c.id.in_(bindparam("ids", expanding=True)), _EVENTS.c.status.in_(("pending", "processing")))
    .values(status="done", attempts=_EVENTS.c.attempts + 1, processed_at=bindparam("now"))
    .returning(_EVENTS.c.id)
)
_PAYLOADS = (
    select(_EVENTS.c.id, _EVENTS.c.payload)
    .where(_EVENTS.c.id.in_(bindparam("ids", expanding=True)), _EVENTS.c.status.in_(("pending", "processing")))
)


_UNDERSTOOD = BoundedCache(4096)
"""Event shapes (bot.shape_key.EVENT_KEY) the SDK's models read before: the same shape is not parsed again."""


def _understood(payload: str, event: dict[str, Any]) -> bool:
    """Whether the SDK's models (generated from LINE's OpenAPI) read this event; unknown types are not."""
    from linebot.v3.webhooks import Event

    key = EVENT_KEY(payload)
    if _UNDERSTOOD.get(key):
        return True
    try:
        Event.from_dict(event)
    except Exception as exc:  # noqa: BLE001 - unknown types and wrong shapes are logged and ignored
        log.warning("event of type %r not understood: %s", event.get("type"), str(exc)[:200])
        return False
    _UNDERSTOOD.put(key, True)
    return True


@functools.cache
def _create_statements(dialect: str) -> tuple[Any, Any]:
    """INSERT … ON CONFLICT DO NOTHING for a new user and a new conversation (built once per dialect)."""
    return (insert_unless_present(dialect, User, "line_user_id"),
            insert_unless_present(dialect, Conversation, "line_user_id", "chat_key"))


_Queued = tuple[int, "str | None"]
"""(inbox row id, payload when the claim already read it)."""


@dataclass
class _Prepared:
    """An event read, parsed and checked before its transaction (none of this needs the write turn)."""

    row_id: int
    event: dict[str, Any] | None = None
    understood: bool = False
    route: tuple[str, Any] | None = None


class _TakenElsewhere(Exception):
    """An event of this transaction was done by another worker meanwhile: nothing of it may be kept."""


@dataclass
class _Outcome:
    """What to do once an event's transaction has committed."""

    unsent: list[dict[str, Any]] = field(default_factory=list)
    """Outbox rows to insert before the commit (outbox.sending_values), all of a transaction at once."""
    sends: list[Any] = field(default_factory=list)
    profile_users: list[str] = field(default_factory=list)
    tasks: list[Any] = field(default_factory=list)


class _Lane:
    """One thread that takes the events queued to it in order, as many at a time as are waiting."""

    def __init__(self, name: str, run: Any, max_batch: int) -> None:
        self._run = run
        self._max_batch = max_batch
        self._items: deque[_Queued] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def put(self, item: _Queued) -> None:
        with self._cond:
            self._items.append(item)
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._items and not self._stopping:
                    self._cond.wait()
                if not self._items:
                    return
                batch = [self._items.popleft() for _ in range(min(len(self._items), self._max_batch))]
            self._run(batch)

    @property
    def waiting(self) -> int:
        """Events queued here and not yet started."""
        return len(self._items)

    def stop(self) -> None:
        """Finish what is queued, then end."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join()


class EventProcessor:
    """Processes recorded events off the request thread; events of one user run in order, one at a time.

    Each lane is one thread. What it finds queued it reads, parses and checks first (outside any write
    transaction), then acts on in as few transactions as it can: events follow one another in one
    transaction until `batch_seconds` have passed or an acknowledgement waits for SQLite's write turn.
    If one of them fails, that transaction is rolled back and its events are acted on one by one, so
    an event that fails is recorded alone and the others are not held back. Fewer threads and fewer
    commits: most of the CPU goes to acting on events rather than to switching between threads.
    """

    def __init__(self, db: Database, settings: Settings, sender: Any, max_batch: int = 64,
                 batch_seconds: float = 0.02, clock: Callable[[], datetime] = now_utc) -> None:
        self.db = db
        self.clock = clock
        """When an event is acted on (ctx.now, the day its words are read against); tests set the day and hour."""
        self.settings = settings
        self.sender = sender
        self.batch_seconds = batch_seconds
        self.worker_id = f"web-{os.getpid()}-{id(self) % 10000}"
        lanes = max(1, settings.process_threads)
        self._lanes = [_Lane(f"rk-lane{i}", self._run, max_batch) for i in range(lanes)]
        self._in_flight = InFlight()
        self.redone: Counter[str] = Counter()
        """Transactions rolled back and acted on again event by event, by cause (benchmarks report it)."""

    def submit(self, items: Sequence[tuple[Any, ...]]) -> None:
        """Queue recorded events: (row id, source key), or (row id, source key, payload) as claimed."""
        self._in_flight.add(len(items))
        for item in items:
            row_id, key = item[0], item[1]
            payload = item[2] if len(item) > 2 else None
            self._lanes[zlib.crc32((key or str(row_id)).encode()) % len(self._lanes)].put((row_id, payload))

    def _run(self, items: list[_Queued]) -> None:
        try:
            self._process(items)
        except Exception:  # noqa: BLE001 - logged; the rows stay for the recovery sweep
            log.exception("events %s failed", [row_id for row_id, _ in items[:10]])
        finally:
            self._in_flight.done(len(items))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every submitted event is processed (tests and benchmarks use this)."""
        return self._in_flight.wait_idle(timeout)

    @property
    def backlog(self) -> int:
        return self._in_flight.count

    @property
    def waiting(self) -> int:
        """Events submitted and not yet started (the backlog less the batches being acted on)."""
        return sum(lane.waiting for lane in self._lanes)

    def process(self, row_id: int) -> None:
        """Act on one recorded event (once: a second call finds it done)."""
        self.process_batch([row_id])

    def process_batch(self, row_ids: list[int]) -> None:
        """Act on these events in this order, in as few transactions as the rules above allow."""
        self._process([(row_id, None) for row_id in row_ids])

    def _process(self, items: list[_Queued]) -> None:
        prepared = self._prepare(items)
        start = 0
        while start < len(prepared):
            start = self._act(prepared, start)

    def _prepare(self, items: list[_Queued]) -> list[_Prepared]:
        """Parse the events still to do with the SDK and read their text with the NLP router.

        Payloads come with the claim; only events queued without one are read here.
        """
        from bot.dispatcher import text_for_router
        from bot.nlp_bridge import community_names_of, read_text

        payloads = {row_id: payload for row_id, payload in items if payload is not None}
        missing = [row_id for row_id, payload in items if payload is None]
        if missing:
            with self.db.session(readonly=True) as session:
                payloads.update({row_id: payload for row_id, payload in session.execute(_PAYLOADS, {"ids": missing})})
        now = self.clock()
        communities: list[str] | None = None  # read once per batch, and only if a text needs it
        prepared = []
        for row_id, _ in items:
            item = _Prepared(row_id)
            try:
                item.event = json.loads(payloads[row_id])
            except (KeyError, ValueError):
                continue  # done already, or not JSON (the inbox only stores JSON)
            item.understood = _understood(payloads[row_id], item.event)
            text = text_for_router(item.event) if item.understood else None
            if text:
                if communities is None:
                    communities = community_names_of(self.db)
                item.route = (text, read_text(text, communities, now))
            prepared.append(item)
        return prepared

    def _act(self, prepared: list[_Prepared], start: int, alone: bool = False) -> int:
        """One transaction from prepared[start]; returns the index of the first event it did not take."""
        outcomes: list[_Outcome] = []
        end = start
        try:
            with self.db.session() as session:
                began = time.monotonic()
                while True:
                    outcomes.append(self._act_on(session, prepared[end], shared=not alone))
                    end += 1
                    if (alone or end == len(prepared) or time.monotonic() - began > self.batch_seconds
                            or self.db.write_waiting()):
                        break
                    # The next event starts from what is stored, as it would in a transaction of its own.
                    session.flush()
                    session.expunge_all()
                self._settle(session, [item.row_id for item in prepared[start:end]], outcomes)
        except _TakenElsewhere:
            if alone:
                return start + 1  # done by another worker; what this one did is rolled back
            self.redone["taken_elsewhere"] += 1
            log.warning("events %d to %d: one was done elsewhere meanwhile; acting on them one by one",
                        prepared[start].row_id, prepared[end - 1].row_id)
            for index in range(start, end):
                self._act(prepared, index, alone=True)
            return end
        except Exception as exc:
            failed = start if alone else min(end, len(prepared) - 1)  # the event being acted on
            if isinstance(exc, ActAloneAgain) and not alone:
                self.redone["refusal"] += 1
                log.debug("a refusal in a transaction of %d events: acting on them one by one", failed - start + 1)
                for index in range(start, failed + 1):
                    self._act(prepared, index, alone=True)
                return failed + 1
            if failed == start:
                log.exception("processing event %s failed", prepared[start].row_id)
                self._after_commit(_Outcome(sends=self._record_failure(prepared[start].row_id, exc)))
                return start + 1
            self.redone["failure"] += 1
            log.warning("a transaction of %d events failed (%s); acting on them one by one",
                        failed - start + 1, exc.__class__.__name__)
            for index in range(start, failed + 1):
                self._act(prepared, index, alone=True)
            return failed + 1
        self._after_commit(*outcomes)
        return end

    def _act_on(self, session: Any, item: _Prepared, shared: bool) -> _Outcome:
        """Act on the event in this transaction (`_settle` marks it done before the commit).

        `shared`: the transaction may hold other events and is acted on again one by one if a refusal
        must undo part of this one (Ctx.all_or_nothing).
        """
        from bot.dispatcher import dispatch

        if not item.understood or item.event is None:
            return _Outcome()
        ctx = self._context(session, item, shared)
        if ctx is None:
            return _Outcome()
        dispatch(ctx)
        if ctx.conversation is not None:
            conversation_state.write(session, ctx.conversation, ctx.now)
        outcome = _Outcome(unsent=self._replies(ctx, item.event), tasks=list(ctx.after_commit))
        if (ctx.user is not None and not ctx.user.display_name and ctx.user.is_active
                and ctx.user.has_consented):  # PDPA: keep the profile only with consent
            outcome.profile_users.append(ctx.user.line_user_id)
        return outcome

    def _settle(self, session: Any, row_ids: list[int], outcomes: list[_Outcome]) -> None:
        """Before the commit: mark the events done and queue their replies, one statement each.

        Raises _TakenElsewhere when one of them is no longer pending (a recovery sweep gave it to
        another worker, which finished first): the transaction must not commit.
        """
        taken = session.execute(_TAKE, {"ids": row_ids, "now": now_utc()}).scalars().all()
        if len(taken) != len(row_ids):
            raise _TakenElsewhere
        sends = outbox.insert_sending(session, [values for outcome in outcomes for values in outcome.unsent])
        for outcome in outcomes:
            outcome.sends, sends = sends[:len(outcome.unsent)], sends[len(outcome.unsent):]

    def _after_commit(self, *outcomes: _Outcome) -> None:
        """Send the replies (the sender keeps one chat's in order), then the rest."""
        self.sender.submit([row for outcome in outcomes for row in outcome.sends])
        for outcome in outcomes:
            for user_id in outcome.profile_users:
                self.sender.fetch_profile(user_id)
            for task in outcome.tasks:
                self.sender.run_task(task)

    def _context(self, session: Any, item: _Prepared, shared: bool) -> Ctx | None:
        event = item.event or {}
        now = self.clock()
        source = event.get("source") or {}
        user_id = source.get("userId")
        chat_key = source.get("groupId") or source.get("roomId") or user_id or "-"
        if event.get("type") == "unfollow":
            if user_id:
                users.mark_unfollowed(session, user_id, now)
            return None
        user = conversation = None
        if user_id:
            user, conversation = self._user_and_conversation(session, user_id, chat_key)
        if user is not None and (user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_EVERY):
            user.last_seen_at = now  # not on every event: one UPDATE fewer for a chatty user
        return Ctx(session=session, user=user, conversation=conversation, now=now, chat_key=chat_key,
                   event=event, settings=self.settings, _route=item.route, shared_transaction=shared)

    def _user_and_conversation(self, session: Any, user_id: str, chat_key: str) -> tuple[User, ConversationState]:
        """The user and their conversation in this chat, the conversation locked for this event.

        One query for someone we know; a newcomer's rows are created first (race-safe).
        """
        found = conversation_state.read(session, user_id, chat_key)
        if found is None:
            # A newcomer (or a new chat): create what is missing; a concurrent creator wins harmlessly.
            now = now_utc()
            new_user, new_conversation = _create_statements(self.db.dialect)
            session.execute(new_user, users.new_user_values(user_id, now))
            session.execute(new_conversation, {"line_user_id": user_id, "chat_key": chat_key, "data": {},
                                               "history": [], "version": 0, "updated_at": now})
            found = conversation_state.read(session, user_id, chat_key)
            assert found is not None, "the rows just created (or by a concurrent event) are there"
        return found

    def _replies(self, ctx: Ctx, event: dict[str, Any]) -> list[dict[str, Any]]:
        """The outbox row of the event's reply (none when it has nothing to say)."""
        if not ctx.out:
            return []
        token = event.get("replyToken") if event.get("type") in REPLYABLE else None
        return [outbox.sending_values(kind="reply", to=[ctx.chat_key], messages=ctx.out, category="reply",
                                      reply_token=token, claimed_by=self.worker_id, now=ctx.now)]

    def _record_failure(self, row_id: int, exc: Exception) -> list[int]:
        """Keep the event (status failed, for a look later) and tell the user politely; never lose it."""
        from bot import texts

        try:
            with self.db.session() as session:
                row = session.get(WebhookEvent, row_id)
                if row is None:
                    return []
                row.status = "failed"
                row.attempts += 1
                row.error = f"{exc.__class__.__name__}: {exc}"[:2000]
                event = json.loads(row.payload)
                token = event.get("replyToken")
                key = source_key(event)
                if key and event.get("type") in ("message", "postback"):
                    out = outbox.enqueue(session, kind="reply", to=[key], messages=[texts.server_trouble()],
                                         category="reply", reply_token=token, status="sending",
                                         claimed_by=self.worker_id)
                    return [out.id] if out else []
        except Exception:  # noqa: BLE001
            log.exception("could not record the failure of event %s", row_id)
        return []

    def recover(self, older_than: timedelta = timedelta(seconds=60)) -> int:
        """Re-submit events left pending by a process that died (run by the worker and at start)."""
        cutoff = now_utc() - older_than
        with self.db.session(readonly=True) as session:
            rows = session.execute(
                select(WebhookEvent.id, WebhookEvent.source_key, WebhookEvent.payload)
                .where(WebhookEvent.status == "pending", WebhookEvent.received_at < cutoff)
                .order_by(WebhookEvent.id).limit(1000)
            ).all()
        self.submit([tuple(r) for r in rows])
        return len(rows)

    def shutdown(self) -> None:
        for lane in self._lanes:
            lane.stop()
