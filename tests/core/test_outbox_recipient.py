"""The last push to someone is found by the outbox's indexed ``recipient``, not by scanning recipient lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from bot.services import pushed, reminders
from bot.services.outbox import enqueue, enqueue_push, insert_sending, sending_values
from bot.thaidate import now_utc
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests.support.databases import empty_database
from tests.worker.helpers import make_activity, make_user, sign_up, uid


def _sent(session, row: OutboxMessage, at) -> None:
    session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(status="sent", sent_at=at))


def test_the_last_push_to_someone_is_theirs_and_the_newest(any_db):
    now = now_utc()
    with any_db.session() as s:
        anna, ben = make_user(s, 1), make_user(s, 2)
        old = enqueue_push(s, anna, [{"type": "text", "text": "ก่อนหน้า"}], category="activity_change",
                           due_at=now - timedelta(minutes=30))
        newest = enqueue_push(s, anna, [{"type": "text", "text": "มีที่ว่างแล้วค่ะ"}], category="activity_change",
                              due_at=now - timedelta(minutes=5))
        to_ben = enqueue_push(s, ben, [{"type": "text", "text": "ของเบน"}], category="idea_status",
                              due_at=now - timedelta(minutes=1), dedupe_key="idea:7:x")
        to_both = enqueue(s, kind="multicast", to=[anna.line_user_id, ben.line_user_id],
                          messages=[{"type": "text", "text": "ถึงทุกคน"}], category="contact",
                          due_at=now - timedelta(minutes=1))
        [reply] = insert_sending(s, [sending_values(kind="reply", to=[anna.line_user_id], category="reply",
                                                    messages=[{"type": "text", "text": "ตอบ"}], claimed_by="t")])
        for row, minutes in ((old, 29), (newest, 4), (to_ben, 1), (to_both, 1)):
            _sent(s, row, now - timedelta(minutes=minutes))
        s.execute(update(OutboxMessage).where(OutboxMessage.id == reply.id).values(status="sent", sent_at=now))
        assert (old.recipient, to_ben.recipient, to_both.recipient) == (uid(1), uid(2), None)
        assert s.scalar(select(OutboxMessage.recipient).where(OutboxMessage.id == reply.id)) is None
    with any_db.session(readonly=True) as s:
        found = pushed.last_push(s, uid(1), now - timedelta(hours=1), now)
        assert (found.kind, found.sent_at) == ("seat", now - timedelta(minutes=4))
        assert pushed.last_push(s, uid(2), now - timedelta(hours=1), now).idea_id == 7
        assert pushed.last_push(s, uid(1), now - timedelta(minutes=2), now) is None  # only the multicast since
        assert pushed.last_push(s, uid(3), now - timedelta(hours=1), now) is None


def test_a_reminder_is_found_as_the_last_push(any_db):
    """Reminders are written without ``enqueue`` (many at once): they name their recipient too."""
    now = now_utc()
    with any_db.session() as s:
        user = make_user(s, 4)
        sign_up(s, make_activity(s, now + timedelta(hours=2) - timedelta(minutes=1)), user)
        assert reminders.queue_activity_reminders(s, now) == 1
        [row] = s.scalars(select(OutboxMessage)).all()
        assert row.recipient == uid(4)
        _sent(s, row, now)
    with any_db.session(readonly=True) as s:
        assert pushed.last_push(s, uid(4), now - timedelta(minutes=1), now + timedelta(seconds=1)).kind == "reminder"


def _plan(db, user_id: str, now) -> str:
    """How the database reads last_push's query (the statement as SQLAlchemy sends it)."""
    from sqlalchemy.dialects import postgresql, sqlite

    captured = []
    with db.session(readonly=True) as s:
        from sqlalchemy import event

        def keep(conn, cursor, statement, parameters, context, executemany):
            if "FROM outbox" in statement:
                captured.append((statement, parameters))

        event.listen(s.get_bind(), "before_cursor_execute", keep)
        try:
            pushed.last_push(s, user_id, now - timedelta(hours=1), now)
        finally:
            event.remove(s.get_bind(), "before_cursor_execute", keep)
        [(statement, parameters)] = captured
        dialect = s.get_bind().dialect.name
        assert dialect in (postgresql.dialect.name, sqlite.dialect.name)
        conn = s.connection()
        if dialect == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            return "\n".join(str(row[-1]) for row in rows)
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a test's tiny table would be read whole
        rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
        return "\n".join(str(row[0]) for row in rows)


def test_the_last_push_is_read_through_the_recipient_index(any_db):
    now = now_utc()
    with any_db.session() as s:
        for n in range(1, 40):
            user = make_user(s, n)
            for minutes in (50, 20):
                row = enqueue_push(s, user, [{"type": "text", "text": "สวัสดีค่ะ"}], category="contact",
                                   due_at=now - timedelta(minutes=minutes))
                _sent(s, row, now - timedelta(minutes=minutes - 1))
    plan = _plan(any_db, uid(5), now)
    assert "ix_outbox_recipient_sent" in plan, plan


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_pushes_sent_in_the_last_day_before_0011_are_still_found(kind, tmp_path):
    """0011 fills the recipient of the pushes sent within the reply window, so an answer typed to a push
    sent just before the upgrade is still read as its answer; older and other rows stay without one."""
    now = now_utc()
    with empty_database(kind, tmp_path) as db:
        upgrade(db, "0009")
        insert = text('INSERT INTO outbox (id, kind, "to", messages, category, retry_key, status, attempts, '
                      "due_at, sent_at, created_at) VALUES (:id, :kind, :to, '[]', :category, :key, 'sent', 1, "
                      ":at, :at, :at)")
        with db.engine.begin() as conn:
            for row_id, kind_, to, hours in ((1, "push", f'["{uid(1)}"]', 1), (2, "push", f'["{uid(2)}"]', 30),
                                             (3, "multicast", f'["{uid(1)}", "{uid(3)}"]', 1)):
                at = (now - timedelta(hours=hours)).replace(tzinfo=None)
                conn.execute(insert, {"id": row_id, "kind": kind_, "to": to, "category": "reminder",
                                      "key": f"k{row_id}", "at": at})
        upgrade(db)
        with db.session(readonly=True) as s:
            assert {i: r for i, r in s.execute(select(OutboxMessage.id, OutboxMessage.recipient))} == {1: uid(1), 2: None, 3: None}
            assert pushed.last_push(s, uid(1), now - timedelta(hours=2), now).kind == "reminder"
