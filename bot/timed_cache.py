"""A small per-process cache of read-mostly values, each reused for a fixed time and then loaded again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class TimedCache(Generic[T]):
    """Values by key, each loaded at most once every `seconds` (thread-safe; `clock` for tests)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._values: dict[Hashable, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        with self._lock:
            hit = self._values.get(key)
        if hit is not None and self.clock() - hit[0] < self.seconds:
            return hit[1]
        value = load()
        with self._lock:
            self._values[key] = (self.clock(), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
