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
