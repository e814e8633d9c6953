"""Engine and transaction handling for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Base


class FileWriteLock:
    """SQLite's write turn between processes (web and worker), with acknowledgements first.

    SQLite's own busy handler makes a waiting process sleep and poll, so a process that writes back
    to back (the event worker) can starve another (the web process acknowledging webhooks). Two
    flock(2) locks next to the database file queue writers in the kernel instead: `-write.lock` is the
    turn itself; `-urgent.lock` is held shared by urgent writers while they wait, and ordinary writers
    wait until no urgent writer is waiting before they queue for the turn.
    """

    def __init__(self, database_path: str) -> None:
        self.path = database_path
        self._pid = -1
        self._write = self._urgent = -1

    def _files(self) -> tuple[int, int]:
        if self._pid != os.getpid():  # opened per process: a forked child must not share the parent's
            self._write = os.open(self.path + "-write.lock", os.O_RDWR | os.O_CREAT, 0o644)
            self._urgent = os.open(self.path + "-urgent.lock", os.O_RDWR | os.O_CREAT, 0o644)
            self._pid = os.getpid()
        return self._write, self._urgent

    def acquire(self, urgent: bool) -> None:
        write, urgent_fd = self._files()
        if urgent:
            fcntl.flock(urgent_fd, fcntl.LOCK_SH)
            try:
                fcntl.flock(write, fcntl.LOCK_EX)
            finally:
                fcntl.flock(urgent_fd, fcntl.LOCK_UN)
        else:
            fcntl.flock(urgent_fd, fcntl.LOCK_EX)
            fcntl.flock(urgent_fd, fcntl.LOCK_UN)
            fcntl.flock(write, fcntl.LOCK_EX)

    def release(self) -> None:
        fcntl.flock(self._files()[0], fcntl.LOCK_UN)

    def urgent_waiting(self) -> bool:
        """True while an urgent writer of any process waits for the turn (it holds `-urgent.lock` shared).

        Probed through a descriptor of its own: flock(2) on a shared one would convert that lock instead.
        """
        probe = os.open(self.path + "-urgent.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(probe)  # closing the descriptor also drops the probe's lock
        return False


class WriteGate:
    """This process's turn at SQLite's single write lock; urgent writers (webhook acks) go first.

    Re-entrant for the thread that holds it. Writers that are not urgent wait while an urgent one is
    waiting, so an acknowledgement waits for at most the write transaction already running. With a
    FileWriteLock, the turn is also taken between processes.
    """

    def __init__(self, files: FileWriteLock | None = None) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._owner: int | None = None
        self._depth = 0
        self._urgent_waiting = 0
        self._files = files

    def acquire(self, urgent: bool = False) -> None:
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:
                self._depth += 1
                return
            if urgent:
                self._urgent_waiting += 1
            try:
                while self._owner is not None or (not urgent and self._urgent_waiting):
                    self._cond.wait()
            finally:
                if urgent:
                    self._urgent_waiting -= 1
            self._owner, self._depth = me, 1
        if self._files is not None:
            try:
                self._files.acquire(urgent)
            except BaseException:
                self._release_turn()
                raise

    def release(self) -> None:
        with self._cond:
            self._depth -= 1
            if self._depth:
                return
        if self._files is not None:
            self._files.release()
        self._release_turn()

    def urgent_waiting(self) -> bool:
        """True while an acknowledgement waits for the turn: a long write should commit and let it in."""
        return bool(self._urgent_waiting) or (self._files is not None and self._files.urgent_waiting())

    def _release_turn(self) -> None:
        with self._cond:
            self._owner, self._depth = None, 0
            self._cond.notify_all()


_WRITE_GATES: dict[str, WriteGate] = {}
_WRITE_GATES_GUARD = threading.Lock()


def _gate_key(url: str) -> tuple[str, bool]:
    """(key, on disk) of the write gate for a SQLite URL: one gate per database file in a process."""
    database = make_url(url).database
    on_disk = bool(database and database != ":memory:")
    return (str(Path(database).absolute()) if on_disk else url), on_disk


def _write_gate(path: str, on_disk: bool) -> WriteGate:
    with _WRITE_GATES_GUARD:
        if path not in _WRITE_GATES:
            _WRITE_GATES[path] = WriteGate(FileWriteLock(path) if on_disk else None)
        return _WRITE_GATES[path]


class _LockingConnection(sqlite3.Connection):
    """Releases this process's write lock for the file right after COMMIT/ROLLBACK.

    SQLite allows one writer; its busy handler makes waiting writers sleep-poll (up to 100 ms a
    round), which under load leaves the database idle while dozens of threads sleep. Queueing
    writers on an in-process lock instead runs write transactions back to back.
    """

    rk_lock: WriteGate | None = None
    rk_held = 0

    def _release(self) -> None:
        while self.rk_held:
            self.rk_held -= 1
            assert self.rk_lock is not None
            self.rk_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver level; we issue BEGIN ourselves (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _no_checkpoints(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA wal_autocheckpoint=0")
    cur.close()


def make_engine(url: str, checkpoints: bool = True, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and write transactions that lock up front.

    checkpoints=False: this process's commits never copy SQLite's write-ahead log back into the
    database (a checkpoint of a few MB, fsync included, inside an acknowledgement's commit); another
    process (the worker) does it.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, "timeout": 30, "factory": _LockingConnection}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        if not checkpoints:
            event.listen(engine, "connect", _no_checkpoints)
        lock = _write_gate(*_gate_key(url))

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # BEGIN IMMEDIATE takes the write lock at the start, so two transactions never both read
            # "one seat left" and both take it; readers are not blocked under WAL.
            mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
            raw = conn.connection.dbapi_connection
            if mode == "IMMEDIATE" and isinstance(raw, _LockingConnection):
                lock.acquire(urgent=bool(conn.get_execution_options().get("urgent")))
                raw.rk_lock = lock
                raw.rk_held += 1
            try:
                conn.exec_driver_sql(f"BEGIN {mode}")
            except Exception:
                if isinstance(raw, _LockingConnection):
                    raw._release()
                raise

        return engine
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_recycle", 1800)
    return create_engine(url, **kwargs)


def insert_unless_present(dialect: str, model: Any, *columns: str) -> Any:
    """``INSERT … ON CONFLICT (columns) DO NOTHING`` for this dialect (PostgreSQL's or SQLite's insert)."""
    insert_for = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert_for(model).on_conflict_do_nothing(index_elements=list(columns))


def locked(statement: Select[Any], **for_update: Any) -> Select[Any]:
    """``statement … FOR UPDATE``, its rows read afresh even where the session already holds them.

    Without populate_existing a locked read hands back the session's copy as it was before the lock
    was taken; sessions keep what they load (`keep_loaded_objects`), so a locked read must refresh.
    """
    return statement.with_for_update(**for_update).execution_options(populate_existing=True)


def keep_loaded_objects(factory: sessionmaker[Session]) -> None:
    """Sessions from `factory` hold what they load until it leaves them (expunged, deleted, session closed).

    SQLAlchemy's identity map holds objects weakly: a handler that reads a row, checks it and drops
    it makes the next ``session.get`` of the same row go back to the database. Held here, it is
    answered from the session instead (the recipe from SQLAlchemy's "Session Referencing Behavior").
    """

    def hold(session: Session, instance: object) -> None:
        session.info.setdefault("held", {})[id(instance)] = instance

    def release(session: Session, instance: object) -> None:
        session.info.get("held", {}).pop(id(instance), None)

    for name in ("pending_to_persistent", "deleted_to_persistent", "detached_to_persistent",
                 "loaded_as_persistent"):
        event.listen(factory, name, hold)
    for name in ("persistent_to_detached", "persistent_to_deleted", "persistent_to_transient"):
        event.listen(factory, name, release)


class Database:
    """One engine and session factory; ``with db.session() as s:`` is one transaction."""

    def __init__(self, url: str, checkpoints: bool = True, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, checkpoints=checkpoints, **engine_kwargs)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._read_factory = sessionmaker(
            self.engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False
        )
        keep_loaded_objects(self._factory)
        keep_loaded_objects(self._read_factory)
        # Writes an acknowledgement waits on, one statement each. SQLite: they take the write turn
        # first (built once: execution_options() makes a new engine proxy each call, a tenth of a web
        # process's CPU). PostgreSQL: autocommit, so the statement is its own transaction and the ack
        # waits for one round trip to the server, not two (statement, then COMMIT).
        # `autocommit_engine` (PostgreSQL only) serves other one-statement writes too (inbox claims).
        self.autocommit_engine: Engine | None = None
        self.claim_engine: Engine | None = None
        if self.is_sqlite:
            self.urgent_engine = self.engine.execution_options(urgent=True)
        else:
            self.autocommit_engine = make_engine(url, isolation_level="AUTOCOMMIT", pool_size=4, max_overflow=4)
            # Inbox claims, planned afresh each time: a generic plan made while the inbox was nearly empty (a new
            # database) read the whole table on every claim until autoanalyze came round, a cost growing with it.
            self.claim_engine = make_engine(url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=2,
                                            connect_args={"options": "-c plan_cache_mode=force_custom_plan"})
            self.urgent_engine = self.autocommit_engine
        self._write_gate = _write_gate(*_gate_key(url)) if self.is_sqlite else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def write_waiting(self) -> bool:
        """True when a webhook acknowledgement waits for SQLite's write turn (never on PostgreSQL)."""
        return self._write_gate is not None and self._write_gate.urgent_waiting()

    @contextmanager
    def session(self, readonly: bool = False) -> Iterator[Session]:
        """A transaction: commits on success, rolls back on error."""
        factory = self._read_factory if readonly else self._factory
        with factory() as session, session.begin():
            yield session

    def execute_alone(self, statement: Any, params: dict[str, Any] | None = None) -> None:
        """One write statement as its own transaction: on PostgreSQL in autocommit (one round trip, not
        BEGIN, the statement and COMMIT); on SQLite in a write transaction, which takes the write turn."""
        if self.autocommit_engine is not None:
            with self.autocommit_engine.connect() as conn:
                conn.execute(statement, params or {})
            return
        with self.session() as session:
            session.execute(statement, params or {})

    def create_schema(self) -> None:
        """Bring the schema to the newest migration (Alembic)."""
        from storage.migrate import upgrade

        upgrade(self)

    def create_all_for_tests(self) -> None:
        Base.metadata.create_all(self.engine)

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def dispose(self) -> None:
        self.engine.dispose()
        for own_pool in (self.autocommit_engine, self.claim_engine):  # PostgreSQL only (SQLite's are views)
            if own_pool is not None:
                own_pool.dispose()
