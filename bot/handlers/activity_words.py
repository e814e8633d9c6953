"""How staff say things about an activity in a sentence: a title with its date, a field changed at the
preview ("แก้ชื่อเป็น …"), a move by an amount ("ออกไป 1 ชั่วโมง"). Reading only; the rules are in services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.thaidate import THAI_DIGITS, format_date, to_bkk
from nlp.dates import MONTHS, find_dates, find_time

_WEEKDAY_NAMES = r"จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์"
_BEFORE_DATE = re.compile(r"(?:(?<!ยาม)(?:ตอน|ช่วง)?(?:เช้า|สาย|บ่าย|เย็น|ค่ำ)\s*(?=วัน|" + _WEEKDAY_NAMES + r"|$))?"
                          r"\s*(?:วัน\s*)?(?:(?:" + _WEEKDAY_NAMES + r")\s*(?:นี้|หน้า)?\s*)?(?:ที่|เวลา|ตอน)?\s*$")
""""โยคะเช้าวันเสาร์ | 5 ธ.ค.": the words just before a date that belong to it (not "ยามเช้า" of a title)."""
_WEEKDAY_WORD = re.compile(r"(?:วัน\s*)?(?:" + _WEEKDAY_NAMES + r")")


_MONTH_WORDS = "|".join(pattern for _, pattern in MONTHS)
_WHEN_WORD = re.compile(r"(?:" + _MONTH_WORDS + r"|" + _WEEKDAY_NAMES + r"|พ\.?\s?ศ\.?|นาฬิกา|น\.|วันที่|วัน|ที่|นี้|หน้า|สัปดาห์|เดือน"
                        r"|พรุ่งนี้|มะรืน(?:นี้)?|โมง|ทุ่ม|ตี|เที่ยง(?:คืน|วัน)?|บ่าย|เช้า|สาย|เย็น|ค่ำ|ครึ่ง|ตรง|ถึง|จนถึง"
                        r"|ตอน|ช่วง|เวลา|นาที|สิบ|เอ็ด|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|[\d\s/:.\-–])+", re.IGNORECASE)


def _only_when_words(said: str) -> bool:
    """Nothing but day and time words: "ซอย 5/12 เดินเร็ว" names no day for “ซอย”, the name goes on after it."""
    return _WHEN_WORD.fullmatch(said) is not None


@dataclass
class TitleWhen:
    """A title typed with a day (and maybe a time): the title alone, and the day or the span said."""

    title: str
    day: date
    when: tuple[datetime, datetime] | None
    """Start and end when a time was said too (the end as parse_span sets it)."""
    problem: str | None = None
    """Why the day and time said cannot be used (already past): told at the date step, asked afresh."""


def title_with_when(text: str, now: datetime) -> TitleWhen | None:
    """'โยคะเช้าวันเสาร์ 5 ธ.ค. 7 โมง' → “โยคะ” on 5 Dec at 07:00; None when the text names no day after a title
    (a day word alone, "ตลาดนัดวันอาทิตย์", is part of a name; a day needs digits or a time beside it)."""
    from bot.handlers.activities import parse_span
    from bot.services.errors import ServiceError
    from nlp.entities import parse_date_range

    plain = " ".join((text or "").translate(THAI_DIGITS).split())
    dates = find_dates(plain.lower(), to_bkk(now).date())
    hit = find_time(plain)
    starts = [f.start for f in dates] + ([hit[0]] if hit else []) + [m.start() for m in _WEEKDAY_WORD.finditer(plain)]
    if not dates or not starts:
        return None
    first = min(starts)
    lead = _BEFORE_DATE.search(plain[:first])
    title = plain[: lead.start() if lead else first].strip()
    said = plain[len(title):].strip()
    if len(title) < 2 or (hit is None and not re.search(r"\d", said)) or not _only_when_words(said):
        return None
    days = parse_date_range(said, now)
    if days is None or days[0] != days[1]:
        return None
    if hit is None:
        return TitleWhen(title, days[0], None) if days[0] >= to_bkk(now).date() else TitleWhen(
            title, days[0], None, f"วันที่ {format_date(days[0])} ผ่านไปแล้วค่ะ")
    try:
        return TitleWhen(title, days[0], parse_span(said, now))
    except ServiceError as exc:  # "ตรวจสุขภาพ 1/12 9:00" at noon: the title still without it, the reason told
        return TitleWhen(title, days[0], None, exc.message_th)


_HOURS_DASHED = re.compile(r"(?<![\d/.:])(?P<h1>\d{1,2})\s*-\s*(?P<h2>\d{1,2})\s*(?P<unit>โมง|ทุ่ม|น\.|นาฬิกา)")


def hours_spelled(text: str) -> str:
    """'บ่าย 1-3 โมง' → 'บ่าย 1 โมง ถึง 3 โมง': two hours sharing one word, not a day ("1-3" is 1 March to the
    date reader)."""
    return _HOURS_DASHED.sub(lambda m: f"{m['h1']} {m['unit']} ถึง {m['h2']} {m['unit']}", text)


@dataclass
class DayOrTime:
    """What an answer at the date step names: a day ("พรุ่งนี้", "5 ธ.ค."; `day` when it is one day), a time, both."""

    names_day: bool
    names_time: bool
    day: date | None = None
    only: bool = False
    """Nothing but day and time words: "ประกาศว่า พรุ่งนี้งดรำ" names a day but is not an answer of one."""
    days: tuple[date, date] | None = None
    """The first and last day named ("อาทิตย์หน้า": Monday to Sunday of next week; one day: that day twice)."""


def day_or_time(text: str, now: datetime) -> DayOrTime:
    """'เสาร์นี้' → a day alone, '๗ โมงเช้า ถึง ๘ โมง' → a time alone, 'พรุ่งนี้ 9 โมง' → both (Thai digits read)."""
    from nlp.entities import extract, parse_date_range
    from nlp.normalize import without_particles

    plain = hours_spelled((text or "").translate(THAI_DIGITS))
    said = extract(plain, now)
    names_day = "date" in said or "date_range" in said
    days = parse_date_range(plain, now) if names_day else None
    one_day = days[0] if days is not None and days[0] == days[1] else None
    bare = without_particles(plain).strip()  # "อาทิตย์หน้า" is "อาทิตย์ห" to it ("น้า" a particle): the whole too
    only = bool(bare) and (_only_when_words(bare) or _only_when_words(plain.strip()))
    return DayOrTime(names_day, "time" in said, one_day, only, days)


CHANGE_WORDS = {"วันเวลา": "when", "วัน": "when", "เวลา": "when", "วันที่": "when", "เวลาจัด": "when"}
"""Besides the one-line edit command's words (handlers.activities.EDIT_FIELDS): the day and time of a new activity."""


@dataclass
class ChangeSaid:
    """A field named at a preview ("แก้ชื่อเป็น …"): its name as EDIT_FIELDS has it, the word used, the value."""

    name: str
    word: str
    value: str


def change_said(text: str, words: dict[str, str]) -> ChangeSaid | None:
    """'แก้ชื่อเป็น โยคะผู้สูงอายุ', 'เปลี่ยนจำนวนรับเป็น 30 คน', 'แก้สถานที่' (no value: ""), by the field words."""
    every = {**words, **CHANGE_WORDS}
    names = "|".join(re.escape(w) for w in sorted(every, key=len, reverse=True))
    found = re.fullmatch(r"\s*(?:ขอ\s*)?(?:แก้(?:ไข)?|เปลี่ยน|ปรับ)\s*(?P<word>" + names + r")"
                         r"(?:\s*(?:เป็น|=|:)\s*|\s+)?(?P<value>.*?)\s*(?:นะคะ|ค่ะ|ครับ|จ้ะ|จ้า)?\s*",
                         text or "", re.DOTALL | re.IGNORECASE)
    if found is None:
        return None
    word = found["word"].lower()
    return ChangeSaid(every[word], word, found["value"].strip())


_LENGTH = re.compile(r"\s*(?:จัด|ใช้เวลา|ยาว|นาน|ประมาณ|รวม|อีก)?\s*(?P<n>\d{1,2}(?:\.5)?|ครึ่ง|[ก-๙]{2,10}?)?\s*"
                     r"(?P<unit>นาที|ชั่วโมง|ชม\.?)\s*(?:หนึ่ง|นึง)?\s*(?P<half>ครึ่ง)?\s*(?:นะคะ|นะ|ค่ะ|คะ|ครับ)?\s*")


def length_said(text: str) -> timedelta | None:
    """'2 ชั่วโมง', 'ชั่วโมงครึ่ง', '๙๐ นาที', 'สองชั่วโมง': how long an activity lasts; None when the text is not a length."""
    from nlp.entities import parse_number

    found = _LENGTH.fullmatch((text or "").translate(THAI_DIGITS))
    if found is None:
        return None
    said = found["n"]
    n = 1.0 if not said else 0.5 if said == "ครึ่ง" else float(said) if said[0].isdigit() else parse_number(said)
    if not n:
        return None
    unit = _UNITS[found["unit"]]
    minutes = n * unit + (unit / 2 if found["half"] else 0)
    return timedelta(minutes=minutes) if 0 < minutes <= 24 * 60 else None


_FEE_NAMED = re.compile(r"\s*ค่า\s*(?:สมัคร|ใช้จ่าย|เข้าร่วม|ลงทะเบียน)\s*(?:เป็น|คือ|:|=)?\s*(?P<value>.*?)\s*")
_FEE_MARK = re.compile(r"ฟรี|บาท|฿|ไม่\s*(?:ต้อง)?\s*(?:เสีย|มี|เก็บ|จ่าย)\s*(?:เงิน|ค่า)")


def fee_said(text: str) -> str | None:
    """A fee typed as a sentence of its own ("ค่าสมัคร 50 บาท", "ฟรีค่ะ", "ไม่มีค่าใช้จ่าย", "๒๐ บาท"): the words to read
    it from (services.activities.parse_fee); None when the text says no fee. Named ("ค่าสมัคร …"), what follows is
    the fee even when it cannot be read (the reason is told); otherwise only a whole fee counts ("ฟรีสไตล์" is no fee)."""
    from bot.services.activities import parse_fee
    from bot.services.errors import ServiceError

    named = _FEE_NAMED.fullmatch(text or "")
    if named is not None:
        return named["value"] or None
    if not _FEE_MARK.search(text or ""):
        return None
    try:
        parse_fee(text)
    except ServiceError:
        return None
    return text.strip()


_LATER = r"ออก\s*ไป(?:\s*อีก)?|ไป\s*อีก|ถอย\s*ไป|เลื่อน\s*ไป|ช้า\s*ลง|ช้า\s*กว่า\s*เดิม|หลัง\s*จาก\s*เดิม|ไป"
_EARLIER = r"เร็ว\s*ขึ้น(?:\s*มา)?|เร็ว\s*กว่า\s*เดิม|ขึ้น\s*มา|ร่น\s*(?:เข้า\s*)?มา|ก่อน\s*เวลา\s*เดิม|มา\s*ก่อน"
_UNITS = {"นาที": 1, "ชั่วโมง": 60, "ชม": 60, "ชม.": 60, "วัน": 60 * 24, "สัปดาห์": 60 * 24 * 7,
          "อาทิตย์": 60 * 24 * 7, "วีค": 60 * 24 * 7}
_SHIFT = re.compile(r"\s*(?:(?P<later>" + _LATER + r")|(?P<earlier>" + _EARLIER + r"))\s*(?:อีก\s*)?"
                    r"(?P<n>\d{1,3}(?:\.5)?|ครึ่ง|[ก-๙]{2,10}?)?\s*(?P<unit>นาที|ชั่วโมง|ชม\.?|วัน|สัปดาห์|อาทิตย์|วีค)"
                    r"\s*(?:หนึ่ง|นึง)?\s*(?P<half>ครึ่ง)?\s*(?:นะคะ|นะ|ค่ะ|คะ|ครับ)?\s*")


def shift_said(text: str) -> timedelta | None:
    """'ออกไป 1 ชั่วโมง', 'เร็วขึ้นครึ่งชั่วโมง', 'ไปอีก 1 สัปดาห์' → how far to move (earlier: negative); None
    when the text is not a move by an amount."""
    from nlp.entities import parse_number

    found = _SHIFT.fullmatch((text or "").translate(THAI_DIGITS))
    if found is None:
        return None
    said = found["n"]
    if not said:
        n: float | None = 1
    elif said == "ครึ่ง":
        n = 0.5
    else:
        n = float(said) if said[0].isdigit() else parse_number(said)
    if not n:
        return None
    minutes = n * _UNITS[found["unit"]] + (_UNITS[found["unit"]] / 2 if found["half"] else 0)
    return timedelta(minutes=-minutes if found["earlier"] else minutes)
