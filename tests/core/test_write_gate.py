"""SQLite's write turn inside one process: acknowledgements go before queued event processing."""

import threading
import time

from storage.db import WriteGate


def test_urgent_writer_goes_before_waiting_ordinary_writers():
    gate = WriteGate()
    order: list[str] = []
    gate.acquire()  # a running transaction

    def writer(name: str, urgent: bool) -> None:
        gate.acquire(urgent=urgent)
        order.append(name)
        time.sleep(0.01)
        gate.release()

    ordinary = [threading.Thread(target=writer, args=(f"event{i}", False)) for i in range(3)]
    for t in ordinary:
        t.start()
    time.sleep(0.05)
    ack = threading.Thread(target=writer, args=("ack", True))
    ack.start()
    time.sleep(0.05)
    gate.release()
    for t in ordinary + [ack]:
        t.join(timeout=5)
    assert order[0] == "ack" and sorted(order[1:]) == ["event0", "event1", "event2"]


def test_the_holder_can_reenter():
    gate = WriteGate()
    gate.acquire()
    gate.acquire(urgent=True)
    gate.release()
    gate.release()
    done = []
    t = threading.Thread(target=lambda: (gate.acquire(), done.append(1), gate.release()))
    t.start()
    t.join(timeout=2)
    assert done == [1]


def _busy_writer(path: str, started, seconds: float, turns=None) -> None:
    """Another process writing back to back, as the event worker does."""
    from storage.db import FileWriteLock, WriteGate

    gate = WriteGate(FileWriteLock(path))
    started.set()
    end = time.monotonic() + seconds
    while True:
        gate.acquire()
        time.sleep(0.02)
        gate.release()
        if turns is not None:
            turns.value += 1
        if time.monotonic() >= end:
            return


def test_between_processes_an_acknowledgement_waits_at_most_one_transaction(tmp_path):
    import multiprocessing

    from storage.db import FileWriteLock

    path = str(tmp_path / "bot.db")
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()
    turns = ctx.Value("i", 0)
    worker = ctx.Process(target=_busy_writer, args=(path, started, 2.0, turns))
    worker.start()
    try:
        assert started.wait(10)
        time.sleep(0.1)
        gate = WriteGate(FileWriteLock(path))
        waits = []
        for _ in range(20):
            t0 = time.monotonic()
            gate.acquire(urgent=True)
            waits.append(time.monotonic() - t0)
            time.sleep(0.01)
            gate.release()
            time.sleep(0.02)
    finally:
        worker.join(10)
    assert max(waits) < 0.2, waits  # at most one of the other process's 20 ms transactions
    assert turns.value >= 20  # and the other process kept writing in between: nobody starves


def test_the_turn_is_exclusive_between_processes(tmp_path):
    import multiprocessing

    from storage.db import FileWriteLock

    path = str(tmp_path / "bot.db")
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()
    holder = ctx.Process(target=_busy_writer, args=(path, started, 0.0))
    gate = WriteGate(FileWriteLock(path))
    gate.acquire()
    holder.start()
    assert started.wait(10)
    time.sleep(0.3)
    assert holder.is_alive()  # it cannot take its one turn while we hold it
    gate.release()
    holder.join(5)
    assert holder.exitcode == 0


def test_an_acknowledging_web_process_leaves_checkpoints_to_the_worker(tmp_path):
    from sqlalchemy import text

    from storage.db import Database

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    web, worker = Database(url, checkpoints=False), Database(url)
    try:
        with web.engine.connect() as conn:
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        with worker.engine.connect() as conn:
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 1000
    finally:
        web.dispose()
        worker.dispose()
