"""Loose matching of what someone typed against a name (Thai has no spaces between words)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

T = TypeVar("T")


def one_letter_apart(a: str, b: str) -> bool:
    """Whether two different strings are one edit apart: a letter, vowel or tone mark added, dropped or changed
    ("ยกลิก", "ยกเลิกก" for "ยกเลิก"; "อนุมัต" for "อนุมัติ")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]


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


def longest_run(text: str, name: str) -> int:
    """Length of the longest stretch of the name found as it is in the text (spaces left out of both)."""
    a, b = "".join(text.split()), "".join(name.split())
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def best_contained(text: str, items: Sequence[T], name_of: Callable[[T], str], min_run: int = 4,
                   sure_run: int = 6, share: float = 0.3) -> T | None:
    """The one item whose name the text clearly contains a good part of, whatever else the text says around it
    ("ป้าไม่ไปรำไม้พลองแล้วนะ ปวดเข่า" names รำไม้พลองเพื่อสุขภาพ): a stretch of at least `sure_run` letters, or
    of `min_run` that is `share` of the name ("โยคะ"), and longer than any other item's by two letters."""
    text = text[:300]
    scored = sorted(((longest_run(text, name_of(item)), item) for item in items), key=lambda x: -x[0])
    if not scored:
        return None
    run, best = scored[0]
    name = "".join(name_of(best).split())
    if run < min_run or (run < sure_run and run < share * len(name)):
        return None
    if len(scored) > 1 and scored[1][0] > run - 2 and name_of(scored[1][1]) != name_of(best):
        return None
    return best
