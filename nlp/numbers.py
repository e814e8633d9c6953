"""Thai and Arabic number expressions: "ห้าพัน", "2 หมื่น", "๕,๐๐๐", "1.5k", "สองพันครึ่ง"."""

from __future__ import annotations

import re
from collections.abc import Iterator

DIGIT_WORDS: dict[str, int] = {
    "ศูนย์": 0, "หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
    "เจ็ด": 7, "แปด": 8, "เก้า": 9,
}
MULTIPLIERS: dict[str, int] = {
    "สิบ": 10, "ร้อย": 100, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000,
    "k": 1_000, "K": 1_000,
}
# Words that contain number words but are not numbers; masked before scanning.
_FALSE_FRIENDS = re.compile(
    r"สามารถ|เรียบร้อย|ยี่ห้อ|พันธุ์|พันธ์|พันธมิตร|แสนดี|แสนสนุก|หกล้ม|สี่แยก|ล้านนา|หนึ่งใน|"
    r"ร้อยละ|ร้อยเอ็ด|ร้อยพวง|ไม่สามารถ|สามี|สามเณร|พันท้าย|สิบตำรวจ|เก้าอี้|แปดริ้ว|เจ็ดย่าน|"
    r"เบญจ|พันโท|พันเอก|พันตรี|พันทิป|กระสอบ|สองแถว|สองข้าง|สองจิตสองใจ"
)
_WORD = "|".join(sorted([*DIGIT_WORDS, "สิบ", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน"], key=len, reverse=True))
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"(?:สิบ|ร้อย|พัน|หมื่น|แสน|ล้าน|[kK](?![a-zA-Z]))"
NUMBER_RE = re.compile(
    rf"(?:(?:{_ARABIC})(?:\s?{_UNIT})*(?:\s?(?:{_WORD}))*|(?:{_WORD})+)(?:ครึ่ง)?"
)
_TOKEN = re.compile(rf"{_ARABIC}|{_WORD}|[kK]|ครึ่ง")


def _value(span: str) -> float | None:
    """Value of one matched number expression."""
    total = 0.0  # completed millions
    section = 0.0  # below a million
    pending: float | None = None  # a digit waiting for its multiplier
    pending_word = False  # that digit was a Thai word (not Arabic)
    last_mult = 1
    for tok in _TOKEN.findall(span.replace(" ", "")):
        if tok == "ครึ่ง":
            if pending is not None:  # "2 ครึ่ง" = 2.5
                section += pending + 0.5
            else:  # "สองพันครึ่ง" = 2,500
                section += last_mult / 2 if last_mult > 1 else 0.5
            pending = None
            continue
        if tok in DIGIT_WORDS or tok[0].isdigit():
            word = not tok[0].isdigit()
            num = float(DIGIT_WORDS[tok]) if word else float(tok.replace(",", ""))
            if pending is not None and pending_word and word and num == pending + 1:
                # "สองสาม" is "two or three", not 5: an approximate range, read as its upper end.
                pending = num
                continue
            if pending is not None:
                # "2หมื่น5" style trailing digit: scale it to the next lower unit.
                section += pending
            pending, pending_word = num, word
            continue
        mult = MULTIPLIERS[tok]
        if mult == 1_000_000:
            total = (total + section + (pending if pending is not None else (0 if section else 1))) * mult
            section, pending = 0.0, None
        else:
            section += (pending if pending is not None else 1) * mult
            pending = None
        last_mult = mult
    if pending is not None:
        if last_mult >= 100 and pending < 10 and float(pending).is_integer() and section:
            section += pending * last_mult / 10  # "สองหมื่นห้า" = 25,000
        else:
            section += pending
    return total + section


def iter_numbers(text: str) -> Iterator[tuple[int, int, float]]:
    """(start, end, value) for each number expression in already lightly-normalised text."""
    masked = _FALSE_FRIENDS.sub(lambda m: "_" * len(m.group(0)), text)
    for m in NUMBER_RE.finditer(masked):
        span = m.group(0)
        if not span.strip():
            continue
        try:
            value = _value(span)
        except (ValueError, KeyError, OverflowError):
            continue
        if value is None or value != value or value > 1e12:  # NaN / absurd
            continue
        yield m.start(), m.end(), value
