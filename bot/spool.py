"""SQLite only: the acknowledgement spool, a database file of its own for webhook events just received.

On SQLite every write takes the one write turn of its file. With the inbox in the bot's database, an
acknowledgement waits for the event worker's transaction already running, and that worker runs at a
lower priority on a busy machine. So when web processes only acknowledge (RUAMKAN_EVENTS_IN=worker), they
record events in `<database>-spool.db` instead; the event worker moves them into the inbox
(`webhook_events` in the bot's database, where the webhookEventId check keeps each event once) and
then deletes them from the spool. An event redelivered after its move is spooled again and dropped by
that check. PostgreSQL has no single write turn: there the web processes write to the inbox directly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import make_url

from bot.inbox import insert_new
from storage.db import Database
from storage.models import WebhookEvent

_COLUMNS = ("webhook_event_id", "event_type", "source_key", "payload", "is_redelivery", "status", "attempts",
            "received_at")


def spool_url(database_url: str) -> str | None:
    """The spool's URL next to a SQLite database file; None where there is no spool (PostgreSQL, memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    stem = url.database[:-3] if url.database.endswith(".db") else url.database
    return url.set(database=f"{stem}-spool.db").render_as_string(hide_password=False)


def open_spool(database_url: str, checkpoints: bool = True) -> Database | None:
    """The spool of this database (created if missing: it only ever holds events not yet moved).

    Web processes open it with checkpoints=False: the worker's commits copy the log back (storage.db).
    """
    url = spool_url(database_url)
    if url is None:
        return None
    spool = Database(url, checkpoints=checkpoints)
    WebhookEvent.__table__.create(spool.engine, checkfirst=True)
    return spool


def move_to_inbox(spool: Database, db: Database, limit: int = 500) -> int:
    """Move the oldest spooled events into the inbox; returns how many were taken from the spool.

    Insert first, delete after: a crash in between leaves them in both, and the next move drops the
    copies by webhookEventId. Several workers moving at once do the same.
    """
    table = WebhookEvent.__table__
    with spool.session(readonly=True) as session:
        rows = session.execute(select(table).order_by(table.c.id).limit(limit)).mappings().all()
    if not rows:
        return 0
    insert_new(db, [_inbox_row(row) for row in rows], urgent=False)
    with spool.engine.begin() as conn:
        conn.execute(delete(table).where(table.c.id.in_([row["id"] for row in rows])))
    return len(rows)


def _inbox_row(row: Any) -> dict[str, Any]:
    values = {name: row[name] for name in _COLUMNS}
    values.update(status="pending", attempts=0)
    return values


def spooled(spool: Database) -> int:
    """Events waiting in the spool (for health checks and benchmarks)."""
    from sqlalchemy import func

    with spool.session(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(WebhookEvent.__table__)) or 0
