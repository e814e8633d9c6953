"""PDPA: the raw logs are not kept forever.

``webhook_events`` holds every event as LINE sent it (everything a person typed: comments, phones, symptoms) and
``outbox`` every message sent (names, phones, answers). Once acted on or settled, a row is kept a fixed while
(``Settings.inbox_keep_days`` / ``outbox_keep_days``, the privacy notice says how long) and then the scheduler's
``log-retention`` job (or ``flask prune-logs``) deletes it, a batch per transaction. Rows still pending or being
processed or sent are never touched. "ลบข้อมูลของฉัน" erases the person's own rows at once (`forget_person`).

What reads old rows, and why the minimums below keep it right:

- the inbox's ``webhookEventId`` check (a redelivered event is acted on once): LINE redelivers soon after a
  delivery it saw fail, not weeks later;
- ``pushed.last_push``: pushes sent within ``pushed.REPLY_WINDOW`` (a day);
- ``outbox.enqueue``'s and the reminders' dedupe keys: each names something that happens once (an idea's event,
  an activity's schedule version, a broadcast) or is guarded by a column of its own (``closing_notice_sent_at``,
  ``results_sent_at``, ``followup_sent_at``, ``last_nudged_at``), or is looked up only around its due time (the
  reminders, ``outbox_delivery._overtaken``), except the staff's weekly digest, one per ISO week: over a week;
- ``broadcasts.finish_if_done`` counts a broadcast's sent rows to say "sent" or "failed": rows of a broadcast
  still going out are kept, whatever their age. The counts staff see (delivered/recipients, status) are on the
  broadcast row, and the month's quota is asked of LINE: neither is counted from the outbox.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Text, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.config import INBOX_KEEP_DAYS, OUTBOX_KEEP_DAYS
from storage.models import Broadcast, OutboxMessage, WebhookEvent

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.db import Database

log = logging.getLogger(__name__)

INBOX_FINISHED = ("done", "failed", "ignored")
"""Inbox rows acted on, given up on, or not for the bot; pending and processing ones are never touched."""
OUTBOX_FINISHED = ("sent", "failed", "cancelled", "skipped")
"""Outbox rows settled; pending and sending ones are never touched."""
BROADCAST_OPEN = ("scheduled", "sending")
"""A broadcast still going out: ``finish_if_done`` will count its sent rows, so they stay."""
MIN_INBOX_KEEP_DAYS = 7
"""Far beyond LINE's redeliveries: an event acted on is never acted on again."""
MIN_OUTBOX_KEEP_DAYS = 8
"""Over the staff digest's week (its dedupe key is the ISO week); every other reader needs a day at most."""
BATCH = 1000
"""Rows deleted per transaction: one run never holds a long transaction (or SQLite's write turn)."""
ERASED_EVENT = "{}"
"""What is left of an erased person's event: the row stays, so a redelivery of it is still recognised."""
CHUNK = 500


@dataclass(frozen=True)
class Retention:
    """How many days the raw logs are kept: the settings', but never below what the features reading them need."""

    inbox_days: int = INBOX_KEEP_DAYS
    outbox_days: int = OUTBOX_KEEP_DAYS

    @classmethod
    def of(cls, settings: Settings | None) -> Retention:
        inbox = getattr(settings, "inbox_keep_days", INBOX_KEEP_DAYS)
        outbox = getattr(settings, "outbox_keep_days", OUTBOX_KEEP_DAYS)
        return cls(max(int(inbox), MIN_INBOX_KEEP_DAYS), max(int(outbox), MIN_OUTBOX_KEEP_DAYS))


@dataclass(frozen=True)
class Pruned:
    """Rows past their keeping time: deleted, or (a dry run) to be deleted."""

    inbox: int = 0
    outbox: int = 0

    @property
    def total(self) -> int:
        return self.inbox + self.outbox


# --- what has expired ----------------------------------------------------------------------------

def inbox_expired(now: datetime, days: int) -> list[ColumnElement[bool]]:
    """Inbox rows to delete at `now`: finished, received more than `days` ago (the status/received index)."""
    return [WebhookEvent.status.in_(INBOX_FINISHED), WebhookEvent.received_at < now - timedelta(days=days)]


def outbox_expired(now: datetime, days: int) -> list[ColumnElement[bool]]:
    """Outbox rows to delete at `now`: settled, due and sent more than `days` ago, not of a broadcast still going out."""
    cutoff = now - timedelta(days=days)
    still_sending = select(Broadcast.id).where(Broadcast.status.in_(BROADCAST_OPEN))
    return [OutboxMessage.status.in_(OUTBOX_FINISHED), OutboxMessage.due_at < cutoff,
            or_(OutboxMessage.sent_at.is_(None), OutboxMessage.sent_at < cutoff),
            or_(OutboxMessage.broadcast_id.is_(None), OutboxMessage.broadcast_id.not_in(still_sending))]


def count_expired(db: Database, now: datetime, keep: Retention) -> Pruned:
    """How many rows a prune at `now` would delete (``prune-logs --dry-run``)."""
    with db.session(readonly=True) as session:
        return Pruned(
            inbox=int(session.scalar(select(func.count(WebhookEvent.id)).where(*inbox_expired(now, keep.inbox_days)))
                      or 0),
            outbox=int(session.scalar(select(func.count(OutboxMessage.id))
                                      .where(*outbox_expired(now, keep.outbox_days))) or 0))


# --- deleting ------------------------------------------------------------------------------------

def delete_in_batches(db: Database, model: Any, where: list[ColumnElement[bool]], batch: int = BATCH) -> int:
    """Delete the rows of `model` matching `where`, oldest first, `batch` rows per transaction; returns how many."""
    total = 0
    while True:
        with db.session() as session:
            ids = list(session.scalars(select(model.id).where(*where).order_by(model.id).limit(batch)))
            if ids:
                done = session.execute(delete(model).where(model.id.in_(ids), *where)
                                       .execution_options(synchronize_session=False))
                total += int(done.rowcount or 0)
        if len(ids) < batch:
            return total


def prune(db: Database, now: datetime, keep: Retention, batch: int = BATCH) -> Pruned:
    """Delete every inbox and outbox row past its keeping time at `now`."""
    return Pruned(inbox=delete_in_batches(db, WebhookEvent, inbox_expired(now, keep.inbox_days), batch),
                  outbox=delete_in_batches(db, OutboxMessage, outbox_expired(now, keep.outbox_days), batch))


def prune_job(keep: Retention) -> Callable[[Database, datetime], int]:
    """The scheduler's ``log-retention`` job: prune, log how many rows went, return how many."""
    def run(db: Database, now: datetime) -> int:
        pruned = prune(db, now, keep)
        log.info("log retention: deleted %d inbox events older than %d days and %d outbox rows older than %d days",
                 pruned.inbox, keep.inbox_days, pruned.outbox, keep.outbox_days)
        return pruned.total

    return run


# --- one person ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Forgotten:
    events: int
    """Their events erased (the row stays, empty, for the redelivery check)."""
    messages: int
    """Messages to them whose words were erased (the row stays: what it was, when it went)."""


def sent_by(payload: str, line_user_id: str) -> bool:
    """Whether this event came from this person: their one-to-one chat, or what they said in a group or room."""
    try:
        event = json.loads(payload)
    except ValueError:
        return False
    source = event.get("source") if isinstance(event, dict) else None
    return isinstance(source, dict) and source.get("userId") == line_user_id


def _their_events(session: Session, line_user_id: str) -> list[int]:
    """Their finished events. A group's or room's row is keyed by the group, so the payload names them: rows that
    mention their id are read, and only those they sent are theirs (not another member's mention of them)."""
    found: list[int] = []
    after = 0
    while True:
        rows = session.execute(
            select(WebhookEvent.id, WebhookEvent.payload)
            .where(WebhookEvent.id > after, WebhookEvent.status.in_(INBOX_FINISHED),
                   WebhookEvent.payload.contains(line_user_id, autoescape=True))
            .order_by(WebhookEvent.id).limit(CHUNK)).all()
        found += [row_id for row_id, payload in rows if sent_by(payload, line_user_id)]
        if len(rows) < CHUNK:
            return found
        after = rows[-1][0]


def _their_messages(session: Session, line_user_id: str) -> list[int]:
    """Settled replies and pushes to their one-to-one chat still holding words (multicasts say the same to many)."""
    found: list[int] = []
    after = 0
    while True:
        rows = session.execute(
            select(OutboxMessage.id, OutboxMessage.to, OutboxMessage.messages)
            .where(OutboxMessage.id > after, OutboxMessage.status.in_(OUTBOX_FINISHED),
                   OutboxMessage.kind.in_(("reply", "push")),
                   cast(OutboxMessage.to, Text).contains(line_user_id, autoescape=True))
            .order_by(OutboxMessage.id).limit(CHUNK)).all()
        found += [row_id for row_id, to, messages in rows if list(to or []) == [line_user_id] and messages]
        if len(rows) < CHUNK:
            return found
        after = rows[-1][0]


def forget_person(session: Session, line_user_id: str) -> Forgotten:
    """"ลบข้อมูลของฉัน": erase what they sent the bot and the words it sent them, in the caller's transaction.

    Events still pending or being processed are left to be acted on as usual, and messages still to be sent to
    be sent; they go with the rest at the keeping time. Replies to a group are the group's and stay until then.
    """
    events = _their_events(session, line_user_id)
    for i in range(0, len(events), CHUNK):
        session.execute(update(WebhookEvent)
                        .where(WebhookEvent.id.in_(events[i:i + CHUNK]), WebhookEvent.status.in_(INBOX_FINISHED))
                        .values(payload=ERASED_EVENT).execution_options(synchronize_session=False))
    messages = _their_messages(session, line_user_id)
    for i in range(0, len(messages), CHUNK):
        session.execute(update(OutboxMessage)
                        .where(OutboxMessage.id.in_(messages[i:i + CHUNK]),
                               OutboxMessage.status.in_(OUTBOX_FINISHED))
                        .values(messages=[]).execution_options(synchronize_session=False))
    return Forgotten(events=len(events), messages=len(messages))
