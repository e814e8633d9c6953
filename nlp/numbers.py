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
_ARABIC_UNITS = rf"(?:{_ARABIC})(?:\s?{_UNIT})+"
NUMBER_RE = re.compile(
    # "3 หมื่น 5 พัน" and "1 แสน 2 หมื่น" are one number (they were two: 30,000 and 5,000), and so is
    # "2หมื่น5" (a digit written straight after the unit); "2569 2 พัน" is not (no unit after 2569).
    rf"(?:{_ARABIC_UNITS}(?:\s?{_ARABIC_UNITS})*(?:(?<=[ก-๙])\d(?![\d.,]))?(?:\s?(?:{_WORD}))*"
    rf"|(?:{_ARABIC})(?:\s?(?:{_WORD}))*|(?:{_WORD})+)(?:ครึ่ง)?"
)
_TOKEN = re.compile(rf"{_ARABIC}|{_WORD}|[kK]|ครึ่ง")


def _value(span: str, shorthand: bool = True) -> float | None:
    """Value of one matched number expression.

    shorthand: a last digit after a unit of a hundred or more is the next unit down ("สองหมื่นห้า" = 25,000,
    as people say prices); without it, it is units ("ร้อยเจ็ด" = 107, as soi and house numbers are said).
    "เอ็ด" is always units ("ร้อยเอ็ด" = 101).
    """
    total = 0.0  # completed millions
    section = 0.0  # below a million
    pending: float | None = None  # a digit waiting for its multiplier
    pending_word = False  # that digit was a Thai word (not Arabic)
    pending_ed = False  # that digit was "เอ็ด"
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
            pending, pending_word, pending_ed = num, word, tok == "เอ็ด"
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
        if (shorthand and not pending_ed and last_mult >= 100 and pending < 10 and float(pending).is_integer()
                and section):
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


_WORDS_ONLY = re.compile(rf"(?:{_WORD})+")
_MID_SYLLABLE_AFTER = re.compile(r"[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")
"""A vowel or tone mark: the letters before it are the start of a word ("สามัคคี"), not a number."""
# "ร้อยเอ็ด" stays a number here: in a name it is 101 ("ลาดพร้าวร้อยเอ็ด").
_NAME_FALSE_FRIENDS = re.compile(_FALSE_FRIENDS.pattern.replace("ร้อยเอ็ด|", ""))


def number_words_as_digits(text: str) -> str:
    """Thai number words written as digits, read as in a name ("ลาดพร้าวร้อยเอ็ด" → "ลาดพร้าว101",
    "ร้อยเจ็ด" → "107"); words that only contain number words ("สามัคคี", "เรียบร้อย", "สี่แยก") are kept."""
    masked = _NAME_FALSE_FRIENDS.sub(lambda m: "_" * len(m.group(0)), text)
    out: list[str] = []
    at = 0
    for m in _WORDS_ONLY.finditer(masked):
        before = text[m.start() - 1:m.start()]
        if _MID_SYLLABLE_AFTER.match(text, m.end()) or (before and before in "เแโใไ"):
            continue
        value = _value(m.group(0), shorthand=False)
        if value is None or not float(value).is_integer():
            continue
        out.append(text[at:m.start()])
        out.append(str(int(value)))
        at = m.end()
    out.append(text[at:])
    return "".join(out)
