"""Loose matching of what someone typed against a name (Thai has no spaces between words)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def pair_overlap(query: str, name: str) -> float:
    """Share of the query's character pairs found in the name: 1.0 when every pair is there."""
    def pairs(s: str) -> set[str]:
        s = "".join(s.split())
        return {s[i:i + 2] for i in range(len(s) - 1)}

    q, n = pairs(query), pairs(name)
    return len(q & n) / len(q) if q else 0.0


def best_named(query: str, items: Sequence[T], name_of: Callable[[T], str], threshold: float = 0.6,
               margin: float = 0.15) -> T | None:
    """The one item the query clearly names: scores at least `threshold` and beats the next by `margin`."""
    scored = sorted(((pair_overlap(query, name_of(item)), item) for item in items), key=lambda x: -x[0])
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - margin and name_of(scored[1][1]) != name_of(scored[0][1]):
        return None
    return scored[0][1]
