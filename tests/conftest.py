"""Shared fixtures. `db` is a fresh database (SQLite, or PostgreSQL with TEST_DB=postgresql)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.thaidate import BKK
from storage.db import Database
from tests.support.databases import default_kind, fresh_database


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    with fresh_database(default_kind(), tmp_path) as database:
        yield database


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path) -> Iterator[Database]:
    """Runs the test once on SQLite and once on PostgreSQL (skipped with a reason if unreachable)."""
    with fresh_database(request.param, tmp_path) as database:
        yield database


@pytest.fixture
def now() -> datetime:
    """A fixed 'now' for rules that depend on time: Sunday 29 Nov 2026, 10:00 Bangkok."""
    return datetime(2026, 11, 29, 10, 0, tzinfo=BKK)
