"""Fresh databases for tests: SQLite files by default, PostgreSQL when TEST_DATABASE_URL says so."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from storage.db import Database

PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new empty PostgreSQL database for one test; dropped afterwards."""
    name = f"rk_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def empty_database(kind: str, tmp_path: os.PathLike[str]) -> Iterator[Database]:
    """A database with no schema yet: a new PostgreSQL database (dropped afterwards; the test is skipped,
    or fails under RUAMKAN_REQUIRE_POSTGRES, when no server answers) or a SQLite file in tmp_path."""
    if kind == "postgresql":
        reason = postgres_reason()
        if reason:
            if os.environ.get("RUAMKAN_REQUIRE_POSTGRES"):
                pytest.fail(f"{reason} (CI requires PostgreSQL)")
            pytest.skip(reason)
        with fresh_postgres() as url:
            db = Database(url)
            try:
                yield db
            finally:
                db.dispose()
        return
    db = Database(f"sqlite:///{tmp_path}/test.db")
    try:
        yield db
    finally:
        db.dispose()


@contextmanager
def fresh_database(kind: str, tmp_path: os.PathLike[str]) -> Iterator[Database]:
    """A database at the newest schema, with the process's caches of an earlier one forgotten."""
    from bot.nlp_bridge import forget_communities
    from bot.services import charter_views
    from bot.services.communities import forget_popular

    # A database of the same URL may have been made (and seeded) by an earlier test.
    forget_popular()
    forget_communities()
    charter_views.forget()
    with empty_database(kind, tmp_path) as db:
        db.create_schema()
        yield db


def default_kind() -> str:
    """TEST_DB=postgresql runs the whole suite on PostgreSQL (CI does both)."""
    return os.environ.get("TEST_DB", "sqlite")
