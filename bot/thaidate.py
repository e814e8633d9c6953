"""Thai-calendar (พ.ศ.) dates in Bangkok time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BKK = ZoneInfo("Asia/Bangkok")
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_LONG = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
WEEKDAYS_SHORT = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")
WEEKDAYS_LONG = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")


def now_bkk() -> datetime:
    return datetime.now(BKK)


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_bkk(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(BKK)


def buddhist_year(d: date) -> int:
    return d.year + 543


def format_date(value: date | datetime, long: bool = False) -> str:
    """'ส. 5 ธ.ค. 2569' (or 'วันเสาร์ที่ 5 ธันวาคม 2569' when long)."""
    d = to_bkk(value).date() if isinstance(value, datetime) else value
    if long:
        return f"วัน{WEEKDAYS_LONG[d.weekday()]}ที่ {d.day} {MONTHS_LONG[d.month - 1]} {buddhist_year(d)}"
    return f"{WEEKDAYS_SHORT[d.weekday()]} {d.day} {MONTHS_SHORT[d.month - 1]} {buddhist_year(d)}"


def format_time(value: datetime) -> str:
    return f"{to_bkk(value):%H:%M} น."


def format_datetime(value: datetime, long: bool = False) -> str:
    """'ส. 5 ธ.ค. 2569 เวลา 09:00 น.'"""
    return f"{format_date(value, long)} เวลา {format_time(value)}"


def format_span(start: datetime, end: datetime) -> str:
    """'ส. 5 ธ.ค. 2569 เวลา 09:00–11:00 น.' (both ends in Bangkok time)."""
    s, e = to_bkk(start), to_bkk(end)
    if s.date() == e.date():
        return f"{format_date(s)} เวลา {s:%H:%M}–{e:%H:%M} น."
    return f"{format_datetime(s)} ถึง {format_datetime(e)}"


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_WHEN_RE = re.compile(
    r"^\s*(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{2,4}))"
    r"(?:[ T]+(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:\s*น\.?)?)?\s*$"
)


def parse_date_text(text: str, default_time: tuple[int, int] = (9, 0)) -> datetime:
    """'2569-12-05 09:00', '5/12/2569 9.00', '๕/๑๒/๖๙', '2026-12-05T09:00' → aware Bangkok datetime.

    Buddhist-era years (2569, or 69) and Thai digits are accepted; a two-digit year is read by
    `nlp.dates.two_digit_year` (60–99 พ.ศ. 25xx, 00–59 ค.ศ. 20xx); raises ValueError (Thai message).
    """
    from nlp.dates import two_digit_year

    match = _WHEN_RE.match((text or "").translate(THAI_DIGITS))
    if not match:
        raise ValueError(f"อ่านวันเวลาไม่ออก: {text!r} (เช่น 5/12/2569 09:00)")
    year = int(match["y"] or match["y2"])
    if year < 100:
        year = two_digit_year(year)[0]  # two-digit Thai year: 69 → 2569 (2026)
    elif year > 2400:
        year -= 543
    month, day = int(match["m"] or match["m2"]), int(match["d"] or match["d2"])
    hh, mm = (int(match["hh"]), int(match["mm"])) if match["hh"] else default_time
    try:
        return datetime(year, month, day, hh, mm, tzinfo=BKK)
    except ValueError:
        raise ValueError(f"ไม่มีวันเวลานี้: {text!r}") from None


START_OF_DAY, END_OF_DAY = (0, 0), (23, 59)


def no_such_day(text: str, now: datetime | None = None) -> str | None:
    """'ไม่มีวันที่ 31 พ.ย. ค่ะ …' when the text names a day the calendar lacks; None otherwise.

    Such a day is never read as another one: before, "31 พ.ย. 9 โมง" became today at 9:00."""
    from nlp.entities import missing_day

    missing = missing_day(text, now)
    if missing is None:
        return None
    day, month = missing
    return f"ไม่มีวันที่ {day} {MONTHS_SHORT[month - 1]} ค่ะ ลองดูวันที่อีกครั้งนะคะ"


def ambiguous_year(text: str) -> str | None:
    """A question when a date's two-digit year is only guessed ("15 ธ.ค. 27": ค.ศ. 2027?); None otherwise.

    Used where the day matters (a new activity, a hearing round): the bot asks for the full พ.ศ. year
    rather than acting on a guess (see `nlp.dates.two_digit_year` for how such years are read)."""
    from nlp.dates import ambiguous_year as find

    found = find((text or "").translate(THAI_DIGITS))
    if found is None:
        return None
    written, day, month, year = found
    return (f"“{written}” หมายถึงปี พ.ศ. {year + 543} (ค.ศ. {year}) ใช่ไหมคะ ขอปีเต็มเป็น พ.ศ. อีกครั้งนะคะ "
            f"เช่น “{day} {MONTHS_SHORT[month - 1]} {year + 543}”")


def parse_day_text(text: str, now: datetime, end_of_day: bool = False) -> datetime | None:
    """A day as people type it, in Bangkok time: "15/12/2569 18:00", "๑๕/๑๒/๒๕๖๙", "15 ธ.ค.", "จันทร์หน้า".

    Without a time it is the start of the day (00:00), or its end (23:59) with end_of_day; a range
    ("อาทิตย์หน้า") gives its first day, or its last with end_of_day. None when no day is found.
    """
    from nlp.entities import extract

    default = END_OF_DAY if end_of_day else START_OF_DAY
    try:
        return parse_date_text(text, default_time=default)
    except ValueError:
        pass
    found = extract(text, now)
    if "date" in found:
        day = date.fromisoformat(found["date"])
    elif "date_range" in found:
        day = date.fromisoformat(found["date_range"][1 if end_of_day else 0])
    else:
        return None
    hour, minute = map(int, found["time"].split(":")) if "time" in found else default
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BKK)
