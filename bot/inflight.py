"""A count of work handed to background threads and not yet finished, with a wait for it to reach zero."""

from __future__ import annotations

import threading


class InFlight:
    """Thread-safe counter: add() when work is handed over, done() when it finishes, wait_idle() for zero."""

    def __init__(self) -> None:
        self._count = 0
        self._zero = threading.Condition(threading.Lock())

    def add(self, n: int = 1) -> None:
        with self._zero:
            self._count += n

    def done(self, n: int = 1) -> None:
        with self._zero:
            self._count -= n
            if self._count == 0:
                self._zero.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is in flight; False if `timeout` seconds passed first."""
        with self._zero:
            return self._zero.wait_for(lambda: self._count == 0, timeout)

    @property
    def count(self) -> int:
        return self._count
