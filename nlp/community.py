"""Loose matching of community names against the caller's list ("โชคชัย๔" → "ชุมชนโชคชัย 4")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from nlp.normalize import light_normalize
from nlp.numbers import number_words_as_digits

_STRIP = re.compile(r"ชุมชน|ชมชน|ชุมชม|หมู่บ้าน|community|[\s\-_.,()/'\"]+", re.I)
_DIGITS = re.compile(r"\d+")
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\-.,/]+(?=\d)")
_COUNTED = re.compile(r"คน|ท่าน")
"""After a number: people counted ("ลาดพร้าว 2 คน"), not a community's number."""


def _key(text: str) -> str:
    """Lower-case, no "ชุมชน", no spaces or punctuation; separate numbers stay apart ("4|2"); numbers in
    words as digits, in names and texts alike ("ลาดพร้าวร้อยเอ็ด" is "ลาดพร้าว101", "สะพานสอง" "สะพาน2")."""
    return _STRIP.sub("", _DIGIT_GAP.sub("|", number_words_as_digits(light_normalize(text).lower())))


def name_key(text: str) -> str:
    """How a name is compared: two spellings with one key name the same place ("ลาดพร้าว ๗๑", "ชุมชนลาดพร้าว 71")."""
    return _key(text) if isinstance(text, str) else ""


@lru_cache(maxsize=4096)
def _name_parts(name: str) -> tuple[str, str, frozenset[str], str]:
    """(letters-only key, digits, letter bigrams, full key) for one community name."""
    key = _key(name)
    letters = _DIGITS.sub("", key)
    digits = "".join(_DIGITS.findall(key))
    grams = frozenset(letters[i:i + 2] for i in range(max(1, len(letters) - 1)))
    return letters, digits, grams, key


def _whole(letters: str, text_key: str, edges: set[int]) -> bool:
    """Whether `letters` occurs in text_key from one word edge to another (edges: see _word_edges)."""
    start = text_key.find(letters)
    while start != -1:
        if start in edges and start + len(letters) in edges:
            return True
        start = text_key.find(letters, start + 1)
    return False


def _best_substring_distance(pattern: str, text: str) -> tuple[int, int]:
    """Smallest edit distance between pattern and any substring of text (Sellers); returns (dist, end)."""
    m = len(pattern)
    prev = list(range(m + 1))
    best, best_end = m, 0
    for j, ch in enumerate(text, 1):
        cur = [0] * (m + 1)
        for i in range(1, m + 1):
            cost = 0 if pattern[i - 1] == ch else 1
            cur[i] = min(prev[i - 1] + cost, prev[i] + 1, cur[i - 1] + 1)
        if cur[m] < best:
            best, best_end = cur[m], j
        prev = cur
    return best, best_end


def _score(name: str, text_key: str, text_grams: set[str], text_digits: set[str]) -> tuple[float, int]:
    letters, digits, grams, full = _name_parts(name)
    if not letters:
        return 0.0, 0
    if digits and full in text_key:
        after = _DIGITS.match(text_key, text_key.index(full) + len(full))
        return (1.0 if not after else 0.0), len(full)
    if letters in text_key:
        sim = 1.0
        end = text_key.index(letters) + len(letters)
    else:
        if len(letters) < 4:
            return 0.0, 0
        overlap = len(grams & text_grams) / max(1, len(grams))
        if overlap < 0.5:
            return 0.0, 0
        dist, end = _best_substring_distance(letters, text_key[:200])
        sim = 1.0 - dist / len(letters)
        allowed = 1 if len(letters) < 6 else 2 if len(letters) < 10 else 3
        if dist > allowed:
            return 0.0, 0
    after = _DIGITS.match(text_key, end)
    if after and _COUNTED.match(text_key, after.end()):
        after = None  # "ลาดพร้าว 2 คน": how many people, not which ลาดพร้าว
    if digits:
        if after and after.group(0) != digits:
            return 0.0, 0  # "โชคชัย 3" must not match "โชคชัย 4"
        if not after:
            sim *= 0.95 if digits in text_digits else 0.8
    elif after:
        sim *= 0.9  # the text names a numbered variant this name does not have
    return sim, len(letters)


def gives_its_number(text: str, name: str) -> bool:
    """Whether the text gives the numbers of a numbered name, in digits or words ("ซอยลาดพร้าวร้อยเอ็ด",
    "ลาดพร้า 101" give "ชุมชนลาดพร้าว 101"; "ลาดพร้าวค่ะ" and "ลาดพร้าว เสาร์ที่ 5" do not give
    "ชุมชนลาดพร้าว 71"). False for a name without a number."""
    if not isinstance(text, str) or not isinstance(name, str):
        return False
    wanted = _DIGITS.findall(_name_parts(name)[3])
    return bool(wanted) and set(wanted) <= set(_DIGITS.findall(_key(text[:2000])))


_GLUED_BEFORE = ("ที่", "ใน", "แถว", "ของ", "จาก")
"""Words newmm glues to the next one ("ที่วัด", "ในซอย"): a name may start right after them ("มีกิจกรรม
ที่วัดลาดพร้าวไหม" names ชุมชนวัดลาดพร้าว; it was read as ลาดพร้าว 71, "ที่วัด" being one word)."""


def _word_edges(key: str) -> set[int]:
    """Positions in key between two words (newmm), its start and end included, and after a word glued
    to the next (_GLUED_BEFORE)."""
    from nlp.features import words

    edges, at = {0}, 0
    for word in words(key):
        edges.update(at + len(lead) for lead in _GLUED_BEFORE if word.startswith(lead) and len(word) > len(lead))
        at += len(word)
        edges.add(at)
    return edges


def match_community(text: str, names: Sequence[str] | None,
                    whole_words: bool = False) -> tuple[str, float] | None:
    """Best community from `names` mentioned in `text`, with a 0..1 score; None below 0.7.

    whole_words: the text is a free message, not an answer to "which community?": only exact mentions
    count, and a name without a number must stand as whole words ("เพิ่มสุข" is not mentioned in
    "เพิ่มสุขภาพ"). Answers to the question keep the loose matching (typos, missing words).
    """
    try:
        if not isinstance(text, str) or not names:
            return None
        text_key = _key(text[:2000])
        if not text_key:
            return None
        text_grams = {text_key[i:i + 2] for i in range(len(text_key) - 1)}
        text_digits = set(_DIGITS.findall(text_key))
        valid = [n for n in names if isinstance(n, str) and n.strip()]
        exact = [n for n in valid if _name_parts(n)[0] and (_name_parts(n)[0] in text_key or (
            _name_parts(n)[1] and _name_parts(n)[3] in text_key))]  # "โชคชัย 4 ซอย 54": letters apart
        best: tuple[float, int, str] | None = None
        if whole_words:  # free text: exact mentions only, and a number-less name only as whole words
            edges = _word_edges(text_key) if any(not _name_parts(n)[1] for n in exact) else set()
            exact = [n for n in exact if _name_parts(n)[1] or _whole(_name_parts(n)[0], text_key, edges)]
            if not exact:
                return None
        for name in exact or valid:  # an exact mention beats every fuzzy one
            sim, length = _score(name, text_key, text_grams, text_digits)
            if sim >= 0.7 and (best is None or (sim, length) > best[:2]):
                best = (sim, length, name)
        return (best[2], round(best[0], 3)) if best else None
    except Exception:
        return None
