"""What a session keeps: rows it loaded are answered again without a query; a locked read is fresh."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from storage.db import locked
from storage.models import Community
from tests.support.databases import fresh_database


def _count_selects(db):
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda *args: seen.append(args[2]) if args[2].lstrip().upper().startswith("SELECT") else None)
    return seen


def _community_id(db) -> int:
    with db.session() as session:
        row = Community(code="T1", name="ชุมชนทดสอบ")
        session.add(row)
        session.flush()
        return row.id


def test_a_row_read_and_dropped_is_answered_again_from_the_session(any_db):
    community_id = _community_id(any_db)
    seen = _count_selects(any_db)
    with any_db.session() as session:
        assert session.get(Community, community_id).name == "ชุมชนทดสอบ"  # read, checked, dropped
        before = len(seen)
        again = session.get(Community, community_id)
        assert again is not None and again.name == "ชุมชนทดสอบ"
        assert len(seen) == before, f"a second query for a row the session holds: {seen[before:]}"
    with any_db.session() as session:  # a new transaction reads afresh
        before = len(seen)
        session.get(Community, community_id)
        assert len(seen) == before + 1


@pytest.fixture
def postgres_db(tmp_path):
    """PostgreSQL only: SQLite writes one transaction at a time, so nothing can change a row between
    a write transaction's read and its lock there."""
    with fresh_database("postgresql", tmp_path) as database:
        yield database


def test_a_locked_read_sees_what_another_transaction_changed(postgres_db):
    community_id = _community_id(postgres_db)
    with postgres_db.session() as session:
        held = session.get(Community, community_id)
        with postgres_db.session() as other:
            other.get(Community, community_id).name = "ชุมชนเปลี่ยนชื่อ"
        fresh = session.scalar(locked(select(Community).where(Community.id == community_id)))
        assert fresh is held
        assert fresh.name == "ชุมชนเปลี่ยนชื่อ"


def test_a_statement_alone_is_committed_without_a_transaction_around_it_on_postgresql(any_db):
    """`execute_alone` (the sender marking replies sent): the write is stored at once. On PostgreSQL it
    goes in autocommit, with no BEGIN and COMMIT round trips around it; SQLite takes its write turn."""
    from sqlalchemy import update

    community_id = _community_id(any_db)
    begins: list[object] = []
    event.listen(any_db.engine, "begin", lambda conn: begins.append(conn))
    any_db.execute_alone(update(Community).where(Community.id == community_id).values(name="ชุมชนใหม่"))
    assert len(begins) == (0 if any_db.dialect == "postgresql" else 1)
    with any_db.session(readonly=True) as session:
        assert session.get(Community, community_id).name == "ชุมชนใหม่"
