"""Entity extraction: dates, times, counts, money, phones, charter clause/section numbers.

Every public function accepts any str and never raises; it returns None when nothing is found.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from nlp.dates import BANGKOK, as_bangkok, find_dates, find_time, part_of_day
from nlp.normalize import light_normalize
from nlp.numbers import _FALSE_FRIENDS, NUMBER_RE, iter_numbers

_COUNT_UNIT = re.compile(r"\s*(?:คน|ท่าน|ที่นั่ง|ที่(?!\s*(?:แล้ว|นี่|นั่น|ไหน|\d))|ราย|คิว|ชีวิต|person|people|pax|seats?)",
                         re.I)
_ALONE = re.compile(r"คนเดียว|ไปเดียว|ตัวคนเดียว|คนเดว")
_MONEY_UNIT = re.compile(r"\s*(?:บาท|บ\.|฿|baht|thb)", re.I)
_MONEY_PREFIX = re.compile(r"(?:฿|งบ(?:ประมาณ)?|ราคา|ค่า[ก-๙]{0,8}|ทุน|เงิน|thb)\s*$", re.I)
_TOTAL_PREFIX = re.compile(r"(?:รวม|ทั้งหมด|ทั้งสิ้น|ยอดรวม|total)\s*(?:เป็น|เงิน|ทั้งหมด)?\s*$", re.I)
_ITEM_PREFIX = re.compile(r"ค่า[ก-๙]{0,16}\s*$")
"""An item of a breakdown: "ค่าวิทยากร 12,000", "ค่าเมล็ดพันธุ์ 5,000" (eleven letters: it was not an item)."""
_ITEM_WINDOW = 24
_BIG_UNIT = re.compile(r"(?:พัน|หมื่น|แสน|ล้าน|[kK])")
_RANGE_TO = re.compile(r"\s*(?:-|–|~|ถึง|หรือ)\s*")
"""Between the two ends of a range: "5-6 พัน", "40 ถึง 50 คน"."""
_CLAUSE = re.compile(r"ข้อ\s*(?:ที่)?\s*(?P<n>\d{1,3}|[ก-๙]{2,12})")
_SECTION = re.compile(r"หมวด\s*(?:ที่)?\s*(?P<n>\d{1,3}|[ก-๙]{2,12})")
_PHONE_CANDIDATE = re.compile(r"(?<![\d])(?:\+?\s?66|0)(?:[\s\-.()]*\d){8,9}(?![\d])")


def _text(text: Any) -> str:
    """Lightly normalised text; non-strings become '' rather than raising."""
    if not isinstance(text, str):
        return ""
    return light_normalize(text[:5000])


def _as_int(value: float) -> int:
    return int(round(value))


def parse_number(text: str) -> int | None:
    """First number in the text, Thai words or digits: "ห้าพัน" → 5000, "2 หมื่น" → 20000, "5k" → 5000."""
    try:
        for _, _, value in iter_numbers(_text(text)):
            return _as_int(value)
    except Exception:
        return None
    return None


def parse_money(text: str) -> int | None:
    """Amount in baht from an answer: "5,000 บาท", "ห้าพันบาท", "2 หมื่น", "5k", "3000".

    A breakdown counts as its total: the amount after "รวม"/"ทั้งหมด", else the sum of the "ค่า…" items
    ("ค่าลำโพง 3000 ค่าเสื่อ 5000" → 8000). A range is its upper end: "5-6 พัน" → 6000 (it was 5).
    """
    try:
        t = _text(text)
        numbers = _upper_ends(t, list(iter_numbers(t)))
        for start, _end, value in numbers:
            if _TOTAL_PREFIX.search(t[max(0, start - 16):start]):
                return _as_int(value)
        items = [value for start, _end, value in numbers if _ITEM_PREFIX.search(t[max(0, start - _ITEM_WINDOW):start])]
        if len(items) >= 2:
            return _as_int(sum(items))
        for start, end, value in numbers:  # prefer one marked as money
            if _MONEY_UNIT.match(t, end) or _MONEY_PREFIX.search(t[:start]):
                return _as_int(value)
        for _, _, value in numbers:
            return _as_int(value)
    except Exception:
        return None
    return None


def _upper_ends(t: str, numbers: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The numbers without the lower end of each range ("5-6 พัน": only "6 พัน", whose unit is both ends')."""
    return [n for n, after in zip(numbers, [*numbers[1:], None], strict=True)
            if after is None or not _RANGE_TO.fullmatch(t, n[1], after[0])]


def _money_in(t: str) -> int | None:
    """Money inside a longer message: needs บาท/฿/งบ or a big unit (พัน, หมื่น, 5k) not used as a count."""
    for start, end, value in iter_numbers(t):
        span = t[start:end]
        if _MONEY_UNIT.match(t, end) or _MONEY_PREFIX.search(t[max(0, start - 12):start]):
            return _as_int(value)
        if _BIG_UNIT.search(span) and not _COUNT_UNIT.match(t, end) and value >= 1000:
            return _as_int(value)
    return None


_NOT_ANOTHER_GROUP = re.compile(r"จาก|ของ|ใน|หรือ|ถึง|เหลือ|แทน|แผน|เป้า|คาด|ไม่|เพิ่ม|ลด|เกิน|กว่า|[-–~/(]")
"""Words between two counts that make the second not one more group to add ("45 คน จากแผน 50 คน")."""


_GROUP_BEFORE = re.compile(r"[ก-๙]{2,}\s*$")
"""A number right after a word: a group's size ("เด็ก 30", "ผู้ปกครองอีก 10")."""
_NOT_PEOPLE_BEFORE = re.compile(r"(?:วันที่|ซอย|เลขที่|ข้อ(?:ที่)?|หมวด|เวลา|(?<!สูง)อายุ|ชั้น|ห้อง|รอบ|ครั้งที่|ปี|เดือน|งบ|ค่า"
                                r"|ราคา)\s*$")
_NOT_PEOPLE_AFTER = re.compile(r"\s*(?:โมง|บาท|ครั้ง|รอบ|ชั่วโมง|นาที|วัน|เดือน|ปี|ชั้น|ห้อง|ต้น|ชิ้น|กิโล|[%:./])")
"""Numbers that count something else than people ("ซอย 5", "อายุ 60", "3 ครั้ง"): groups are not added up then."""


def _groups_without_units(t: str, numbers: list[tuple[int, int, float]], counted: list[tuple[int, int, float]]) -> bool:
    """Groups named one after another, their sizes without "คน" ("เด็ก 30 ผู้ปกครองอีก 10")."""
    if len(numbers) < 2 or len(counted) == len(numbers):
        return False
    return (all(_GROUP_BEFORE.search(t[max(0, start - 16):start]) and not _NOT_PEOPLE_BEFORE.search(t[:start])
                and not _NOT_PEOPLE_AFTER.match(t, end) for start, end, _ in numbers)
            and all(not _NOT_ANOTHER_GROUP.search(t[a[1]:b[0]]) for a, b in zip(numbers, numbers[1:], strict=False)))


def parse_count(text: str) -> int | None:
    """Number of people/seats in an answer: "2", "สองคน", "๒ ที่", "ไปคนเดียว" → 1. Groups listed one after
    another are added up ("ผู้สูงอายุ 38 คน เด็ก 12 คน" → 50, it was 38), or their stated total taken
    ("… รวม 50 คน"); "45 คน จากแผน 50 คน" is still 45."""
    try:
        t = _text(text)
        if _ALONE.search(t):
            return 1
        numbers = [(s, e, v) for s, e, v in iter_numbers(t) if float(v).is_integer() and 0 < v <= 10_000]
        counted = [(s, unit.end(), v) for s, e, v in numbers if (unit := _COUNT_UNIT.match(t, e))]
        for start, _end, value in counted:
            if _TOTAL_PREFIX.search(t[max(0, start - 16):start]):
                return _as_int(value)
        if len(counted) >= 2 and all(not _NOT_ANOTHER_GROUP.search(t[a[1]:b[0]])
                                     for a, b in zip(counted, counted[1:], strict=False)):
            return _as_int(sum(v for _, _, v in counted))
        if _groups_without_units(t, numbers, counted):  # "เด็ก 30 ผู้ปกครองอีก 10" → 40 (it was 30)
            return _as_int(sum(v for _, _, v in numbers))
        for _, _, value in counted:
            return _as_int(value)
        for _, _, value in numbers:
            return _as_int(value)
    except Exception:
        return None
    return None


def _count_in(t: str) -> int | None:
    """A count inside a longer message: only a number followed by คน/ที่/ท่าน…, or คนเดียว."""
    for start, end, value in iter_numbers(t):
        if _COUNT_UNIT.match(t, end) and float(value).is_integer() and 0 < value <= 10_000:
            if re.search(r"(?:ข้อ|หมวด|วัน)\s*(?:ที่)?\s*$", t[max(0, start - 8):start]):
                continue
            return _as_int(value)
    if _ALONE.search(t):
        return 1
    return None


def parse_phone(text: str) -> str | None:
    """Thai mobile (10 digits, 06/08/09) or landline (9 digits, 02-07) as plain digits; +66 → 0."""
    try:
        t = _text(text)
        for m in _PHONE_CANDIDATE.finditer(t):
            digits = re.sub(r"\D", "", m.group(0))
            if digits.startswith("66"):
                digits = "0" + digits[2:]
            if re.fullmatch(r"0[689]\d{8}", digits) or re.fullmatch(r"0[2-7]\d{7}", digits):
                return digits
    except Exception:
        return None
    return None


def parse_phone_answer(text: str) -> str | None:
    """The phone number typed as an answer, words around it allowed: "เบอร์ 0812345678", "081 234 5678 ครับ",
    "๐๘๑ ๒๓๔ ๕๖๗๘ ค่ะ". None when there is none, or other digits beside it ("0812345678 9" may be a typo: it
    is asked again rather than one digit dropped)."""
    try:
        t = _text(text)
        phone = parse_phone(t)
        if phone is None or re.search(r"\d", _PHONE_CANDIDATE.sub(" ", t, count=1)):
            return None
        return phone
    except Exception:
        return None


def _numbered(pattern: re.Pattern[str], t: str) -> int | None:
    for m in pattern.finditer(t):
        raw = m["n"]
        if raw.isdigit():
            n = int(raw)
        else:
            masked = _FALSE_FRIENDS.sub("", raw)
            num = NUMBER_RE.match(masked)
            if not num:
                continue
            n = parse_number(num.group(0)) or 0
        if 0 < n < 1000:
            return n
    return None


def parse_clause(text: str) -> int | None:
    """Charter clause number: "ข้อ 3", "ข้อที่ ๓", "ข้อสาม"."""
    try:
        return _numbered(_CLAUSE, _text(text))
    except Exception:
        return None


def parse_section(text: str) -> int | None:
    """Charter section number: "หมวด 2", "หมวดที่สอง"."""
    try:
        return _numbered(_SECTION, _text(text))
    except Exception:
        return None


def _when(t: str, now: datetime) -> tuple[date | None, tuple[date, date] | None, time | None]:
    """The first date or range and the first time; a day the calendar lacks ("31 พ.ย.") gives neither a
    date nor a time, so nobody's "31 พ.ย. 9 โมง" becomes today at 9 (see `missing_day`)."""
    today = now.date()
    found = find_dates(t, today)
    day: date | None = None
    rng: tuple[date, date] | None = None
    if found:
        first = found[0]
        if first.missing is not None:
            return None, None, None
        if first.day is not None:
            day, rng = first.day, first.around or (first.day, first.day)
        else:
            rng = first.rng
    hit = find_time(t)
    return day, rng, hit[1] if hit else None


def missing_day(text: str, now: datetime | None = None) -> tuple[int, int] | None:
    """(day, month) when the first date named is not in the calendar: "31 พ.ย." → (31, 11), "๓๐/๒" → (30, 2)."""
    try:
        found = find_dates(_text(text), as_bangkok(now).date())
    except Exception:
        return None
    return found[0].missing if found else None


_WEEK_OR_SUNDAY = re.compile(r"อาทิตย์(?:นี้|หน้า)")


def parse_when(text: str, now: datetime | None = None) -> datetime | None:
    """First date and/or time as an aware Bangkok datetime. A time alone is today; a date alone is 00:00;
    a range alone (อาทิตย์หน้า) gives its first day. อาทิตย์นี้ / อาทิตย์หน้า with a time is that Sunday:
    อาทิตย์ is both "week" and "Sunday", and a week at 9 o'clock is no time at all."""
    try:
        n = as_bangkok(now)
        t_text = _text(text)
        day, rng, t = _when(t_text, n)
        if day is None and rng is not None:
            sunday = t is not None and rng[1].weekday() == 6 and _WEEK_OR_SUNDAY.search(t_text)
            day = rng[1] if sunday else rng[0]
        if day is None and t is None:
            return None
        return datetime.combine(day or n.date(), t or time(0, 0), tzinfo=BANGKOK)
    except Exception:
        return None


_FROM_NOW = re.compile(
    r"^(?:ส่ง\s*)?(?:ใน\s*)?อีก\s*(?:(?P<half>ครึ่ง)|(?P<n>\d{1,3}(?:\.5)?|[ก-๙]{2,12}?))?\s*"
    r"(?P<unit>ชั่วโมง|ชม\.?|นาที)\s*(?:หนึ่ง|นึง)?\s*(?P<plus_half>ครึ่ง)?"
    r"(?:\s*(?P<mins>\d{1,2}|[ก-๙]{2,12}?)\s*นาที)?"
    r"\s*(?:ข้างหน้า|จากนี้|นับจากนี้)?\s*(?:ส่ง)?\s*(?:นะ)?\s*(?:ค่ะ|คะ|ครับ|จ้า)?$")
""""อีกครึ่งชั่วโมง", "อีก 2 ชั่วโมง", "อีก 15 นาที", "อีกชั่วโมงครึ่ง", "อีก 1 ชม. 20 นาที": a time counted from now."""


def _from_now(text: str) -> timedelta | None:
    """How long from now a message alone says ("อีก 15 นาที" → 15 minutes), or None; a clock time is not one."""
    m = _FROM_NOW.match(" ".join(text.split()))
    if m is None:
        return None
    if m["half"]:
        n: float | None = 0.5
    elif m["n"]:
        n = float(m["n"]) if m["n"][0].isdigit() else parse_number(m["n"])
    else:
        n = 1  # "อีกชั่วโมงนึง"
    if not n:
        return None
    minutes = n * (1 if m["unit"] == "นาที" else 60)
    if m["plus_half"]:
        minutes += 30 if m["unit"] != "นาที" else 0.5
    if m["mins"]:
        extra = int(m["mins"]) if m["mins"].isdigit() else parse_number(m["mins"])
        if extra is None or m["unit"] == "นาที":
            return None
        minutes += extra
    return timedelta(minutes=minutes) if 0 < minutes <= 60 * 24 * 31 else None


def parse_from_now(text: str, now: datetime | None = None) -> datetime | None:
    """A time counted from `now` (Bangkok), when the message is only that: "อีกครึ่งชั่วโมง", "อีก 2 ชั่วโมง",
    "อีก 15 นาที" (to the minute); None for anything else, a clock time or a day included."""
    try:
        span = _from_now(_text(text))
        if span is None:
            return None
        return (as_bangkok(now) + span).replace(second=0, microsecond=0)
    except Exception:
        return None


def parse_date_range(text: str, now: datetime | None = None) -> tuple[date, date] | None:
    """(first, last) day: เสาร์นี้ → that day, อาทิตย์หน้า → next Mon..Sun, เดือนหน้า → whole month."""
    try:
        return _when(_text(text), as_bangkok(now))[1]
    except Exception:
        return None


def extract(text: str, now: datetime | None = None) -> dict[str, Any]:
    """All entities found in a message, as the JSON-serialisable dict route() returns (minus community)."""
    out: dict[str, Any] = {}
    try:
        t = _text(text)
        if not t:
            return out
        n = as_bangkok(now)
        day, rng, tm = _when(t, n)
        if day is not None or tm is not None:
            dt = datetime.combine(day or n.date(), tm or time(0, 0), tzinfo=BANGKOK)
            out["datetime"] = dt.isoformat()
        if day is not None:
            out["date"] = day.isoformat()
        if rng is not None:
            out["date_range"] = [rng[0].isoformat(), rng[1].isoformat()]
        if tm is not None:
            out["time"] = tm.strftime("%H:%M")
        part = part_of_day(t)
        if part is not None:
            out["part_of_day"] = part
        phone = parse_phone(t)
        masked = t
        if phone:
            out["phone"] = phone
            masked = _PHONE_CANDIDATE.sub(" ", t)
        count = _count_in(masked)
        if count is not None:
            out["count"] = count
        money = _money_in(masked)
        if money is not None:
            out["money"] = money
        clause = _numbered(_CLAUSE, t)
        if clause is not None:
            out["clause"] = clause
        section = _numbered(_SECTION, t)
        if section is not None:
            out["section"] = section
    except Exception:
        return out
    return out
