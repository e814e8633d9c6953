"""Thai dates and times relative to a Bangkok `now`: พรุ่งนี้, เสาร์นี้, 15 ธ.ค. ๖๙, บ่ายสอง, สองทุ่มครึ่ง."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")

_NUMW = {
    "หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8,
    "เก้า": 9, "สิบ": 10, "สิบเอ็ด": 11, "สิบสอง": 12,
}
_NUM = r"(?:\d{1,2}|สิบเอ็ด|สิบสอง|สิบ|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า)"

MONTHS: list[tuple[int, str]] = [
    (1, r"มกราคม|มกรา|ม\.\s?ค\.?|มค\.?|jan(?:uary)?"),
    (2, r"กุมภาพันธ์|กุมภา|ก\.\s?พ\.?|กพ\.?|feb(?:ruary)?"),
    (3, r"มีนาคม|มีนา|มี\.\s?ค\.?|มีค\.?|mar(?:ch)?"),
    (4, r"เมษายน|เมษา|เม\.\s?ย\.?|เมย\.?|apr(?:il)?"),
    (5, r"พฤษภาคม|พฤษภา|พ\.\s?ค\.?|พค\.?|may"),
    (6, r"มิถุนายน|มิถุนา|มิ\.\s?ย\.?|มิย\.?|jun(?:e)?"),
    (7, r"กรกฎาคม|กรกฏาคม|กรกฎา|กรกฏา|ก\.\s?ค\.?|กค\.?|jul(?:y)?"),
    (8, r"สิงหาคม|สิงหา|ส\.\s?ค\.?|สค\.?|aug(?:ust)?"),
    (9, r"กันยายน|กันยา|ก\.\s?ย\.?|กย\.?|sep(?:t(?:ember)?)?"),
    (10, r"ตุลาคม|ตุลา|ต\.\s?ค\.?|ตค\.?|oct(?:ober)?"),
    (11, r"พฤศจิกายน|พฤศจิกา|พ\.\s?ย\.?|พย\.?|nov(?:ember)?"),
    (12, r"ธันวาคม|ธันวา|ธ\.\s?ค\.?|ธค\.?|dec(?:ember)?"),
]
_MONTH_ALT = "|".join(f"(?P<m{n}>{pat})" for n, pat in MONTHS)
_YEAR = (r"(?:\s*(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|ปี)?\s*(?P<year>\d{4}|\d{2})(?!\d)"
         r"(?!\s*(?:โมง|ทุ่ม|ครึ่ง|[:.]\d|[-–]\s*\d|ถึง|น\.|น(?![ก-๙])|นาฬิกา|คน|ท่าน|ที่|บาท)))?")
_MONTH_END = r"(?:(?![ก-ฮa-z])|(?=มี|ไหม|มั้ย|นี้|หน้า|ปี|จะ|ค่ะ|คะ|ครับ|นะ|ก็|ได้|ช่วง|ทั้ง|บ้าง|ว่าง))"
"""After a month's name: no letter, or one of the words that follow one unspaced ("เดือนมกราคมมีกิจกรรมไหม")."""
_DAY_MONTH = re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:{_MONTH_ALT}){_MONTH_END}{_YEAR}", re.I)
_EN_MONTHS = "|".join(f"(?P<m{n}>{pat.rsplit('|', 1)[-1]})" for n, pat in MONTHS)
_MONTH_DAY_EN = re.compile(rf"(?<![a-z])(?:{_EN_MONTHS})\.?\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
                           r"(?!\s*(?:[:.]\d|โมง|ทุ่ม|น\.|นาฬิกา|am|pm))(?:\s*,?\s*(?P<year>\d{4})(?!\d))?", re.I)
""""Dec 15, 2027", "December 15": the English order, month first."""
_MONTH_ONLY = re.compile(
    rf"(?P<pre>เดือน\s*)?(?:{_MONTH_ALT}){_MONTH_END}"
    r"(?P<post>(?=\s*(?:นี้|หน้า|ที่จะถึง|ปี\s*(?:นี้|หน้า)|(?:จะ)?มี|ไหม|มั้ย))|\s*$)?"
    r"(?P<next>(?=\s*ปี\s*หน้า))?", re.I)
_MONTH_END_DAY = re.compile(rf"สิ้น\s*เดือน\s*(?:(?P<ref>นี้|หน้า|ถัดไป)|(?:{_MONTH_ALT}){_MONTH_END})?", re.I)
""""สิ้นเดือนนี้", "สิ้นเดือน ม.ค.": the month's last day (the last week of it, asked what there is)."""
_YEAR_REL = re.compile(r"ปี\s*(?P<ref>นี้|หน้า)")
_YEAR_AFTER = re.compile(r"\s*ปี\s*(?P<ref>นี้|หน้า|ถัดไป)")
"""A year said after a date that names none: "15 ธ.ค. ปีหน้า", "3/1 ปีนี้"."""
_IN_SPANS = re.compile(
    r"อีก\s*(?P<n>\d{1,2}|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)\s*(?P<unit>สัปดาห์|อาทิตย์|วีค|เดือน)")
""""อีก 2 อาทิตย์" is the week two weeks on (not a Sunday), "อีก 3 เดือน" the month three months on."""
_NUMERIC = re.compile(r"(?<![\d.:])(?P<d>\d{1,2})[/-](?P<m>\d{1,2})(?:[/-](?P<y>\d{4}|\d{2}))?(?![\d:])")
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_WEEKDAY_NAMES = r"จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์"
_DAY_OF_MONTH = re.compile(  # "วันที่ 12", and with the weekday: "วันเสาร์ที่ 12", "เสาร์ที่ 12", "เสาร์หน้าที่ 12"
    rf"(?:วัน\s*|(?=(?:{_WEEKDAY_NAMES})))(?:(?:{_WEEKDAY_NAMES})\s*(?:นี้|หน้า)?\s*)?"
    r"ที่\s*(?P<day>\d{1,2})(?!\d)(?!\s*(?:/|-|\.\d))"
)

_WEEKDAYS = {"จันทร์": 0, "อังคาร": 1, "พุธ": 2, "พฤหัสบดี": 3, "พฤหัส": 3, "พฤ": 3, "ศุกร์": 4,
             "เสาร์": 5, "อาทิตย์": 6}
_WEEKDAY = re.compile(
    rf"(?P<wan>วัน)?\s*(?P<wd>{_WEEKDAY_NAMES})"
    r"(?P<ref>\s*(?:นี้|หน้า|ที่จะถึง|ถัดไป))?"
)
_BEFORE_ITS_DATE = re.compile(r"\s*(?:ที่)?\s*")
"""What may stand between a weekday and the date it names: "วันเสาร์ที่ 12 ธ.ค.", "เสาร์ 12/12"."""
_RELATIVE_DAY = re.compile(
    r"(?P<w>วันนี้|คืนนี้|เย็นนี้|เช้านี้|บ่ายนี้|พรุ่งนี้|พรุ่งนี|พุ่งนี้|มะรืนนี้|มะรืน|เมื่อวานซืน|เมื่อวาน)"
    r"|อีก\s*(?P<n>\d{1,3}|สอง|สาม|สี่|ห้า|หก|เจ็ด)\s*วัน"
)
_WEEK = re.compile(
    r"(?P<wk>สัปดาห์|อาทิตย์|วีค)\s*(?P<ref>นี้|หน้า|ถัดไป)|(?P<we>สุดสัปดาห์|เสาร์\s*อาทิตย์|วันหยุด)\s*(?P<ref2>นี้|หน้า)?"
)
_MONTH_REL = re.compile(r"เดือน\s*(?P<ref>นี้|หน้า|ถัดไป)")

_TIME_HM = re.compile(
    r"(?<![\d.,/:])(?P<h>[01]?\d|2[0-3])\s*[:.]\s*(?P<m>[0-5]\d)(?![\d/]|\.\d|\s*(?:บาท|%|ปี|คน|ล้าน|กก|km|เม))"
    r"(?:\s*(?:น\.|นาฬิกา|น(?![ก-ฮ])))?"
)
_TIME_NAFIKA = re.compile(r"(?<![\d.:])(?P<h>[01]?\d|2[0-3])\s*(?:นาฬิกา|น\.)")
_TIME_THAI = re.compile(
    rf"(?P<bai>บ่าย\s*(?P<bh>{_NUM})?\s*(?:โมง)?(?P<bhalf>\s*ครึ่ง)?)"
    rf"|(?P<thum>(?P<th>{_NUM})\s*ทุ่ม(?P<thalf>\s*ครึ่ง)?)"
    rf"|(?P<tee>ตี\s*(?P<ti>{_NUM})(?P<tihalf>\s*ครึ่ง)?)"
    r"|(?P<noon>เที่ยงคืน|เที่ยงวัน|เที่ยง)(?P<nhalf>\s*ครึ่ง)?"
    rf"|(?P<mong>(?P<mh>{_NUM})\s*โมง(?P<mpart>\s*(?:เช้า|เย็น|ค่ำ|ตรง))?(?P<mhalf>\s*ครึ่ง)?"
    rf"(?:\s*(?P<mmin>\d{{1,2}})\s*นาที)?)"
)


def _num(token: str | None) -> int | None:
    if not token:
        return None
    token = token.strip()
    if token.isdigit():
        return int(token)
    return _NUMW.get(token)


@dataclass
class Found:
    """A date or range found at a position in the text."""

    start: int
    day: date | None = None
    rng: tuple[date, date] | None = None
    missing: tuple[int, int] | None = None
    """(day, month) named that the calendar does not have ("31 พ.ย.", "30/2"): no date, and none guessed."""
    around: tuple[date, date] | None = None
    """The days a day stands for when asked what there is then: สิ้นเดือน is the month's last day, or its last week."""


SHORT_BE_FROM = 60
"""Two-digit years from this one up are พ.ศ. 25xx; below it, ค.ศ. 20xx (see `two_digit_year`)."""


def two_digit_year(yy: int) -> tuple[int, bool]:
    """A two-digit year as written in a date → (ค.ศ. year, whether the reading is a guess to confirm).

    Thai dates are written with a short พ.ศ. year: "15 ธ.ค. 69" is พ.ศ. 2569 (2026), so 60–99 are พ.ศ.
    2560–2599. Below 60 the พ.ศ. reading would be 2500–2559 (1957–2016), a day long gone that nobody
    plans for, while "15/12/27" is also how a ค.ศ. date is written: 00–59 are read as ค.ศ. 2000–2059
    ("27" is 2027, พ.ศ. 2570). That second reading is the least surprising one, but still a guess, so
    it is flagged: where the date matters (a new activity, a hearing round) the bot asks for the full
    พ.ศ. year instead of using it (`ambiguous_year`); a question ("มีกิจกรรม 15 ธ.ค. 27 ไหม") just uses it.
    """
    if yy >= SHORT_BE_FROM:
        return 2500 + yy - 543, False
    return 2000 + yy, True


def _year(raw: str | None, today: date, month: int, day: int) -> int:
    if raw:
        y = int(raw)
        if len(raw) == 2:
            return two_digit_year(y)[0]  # "๖๙" is BE 2569
        if y >= 2400:
            y -= 543
        return y
    y = today.year
    try:
        if date(y, month, day) < today - timedelta(days=7):
            y += 1
    except ValueError:
        pass
    return y


def _said_year(raw: str | None, low: str, end: int, today: date, month: int, day: int) -> int:
    """The year of a day and month: as written (พ.ศ. or ค.ศ.), or "ปีนี้" / "ปีหน้า" right after the date, or
    the next such date (`_year`). "15 ธ.ค. ปีหน้า" is 15 Dec of next year (it was read as this year's)."""
    said = None if raw else _YEAR_AFTER.match(low, end)
    if said is None:
        return _year(raw, today, month, day)
    return today.year if said["ref"] == "นี้" else today.year + 1


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _week_bounds(d: date) -> tuple[date, date]:
    mon = d - timedelta(days=d.weekday())
    return mon, mon + timedelta(days=6)


def _month_bounds(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _month_of(match: re.Match[str]) -> int | None:
    for n, _ in MONTHS:
        if match.group(f"m{n}"):
            return n
    return None


def find_dates(text: str, today: date) -> list[Found]:
    """All date / range expressions in lightly-normalised text, in order of position."""
    found: list[Found] = []
    low = text.lower()
    for m in _ISO.finditer(low):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            found.append(Found(m.start(), d))
    for m in _DAY_MONTH.finditer(low):
        month = _month_of(m)
        day = int(m["day"])
        if month and 1 <= day <= 31:
            d = _safe_date(_said_year(m["year"], low, m.end(), today, month, day), month, day)
            found.append(Found(m.start(), d) if d else Found(m.start(), missing=(day, month)))
    for m in _MONTH_DAY_EN.finditer(low):
        month, day = _month_of(m), int(m["day"])
        if month and 1 <= day <= 31 and not any(f.start <= m.start() < f.start + 12 for f in found):
            d = _safe_date(_said_year(m["year"], low, m.end(), today, month, day), month, day)
            found.append(Found(m.start(), d) if d else Found(m.start(), missing=(day, month)))
    for m in _NUMERIC.finditer(low):
        if _ISO.search(low[max(0, m.start() - 5): m.end() + 1]):
            continue
        day, month = int(m["d"]), int(m["m"])
        if 1 <= day <= 31 and 1 <= month <= 12:
            d = _safe_date(_said_year(m["y"], low, m.end(), today, month, day), month, day)
            found.append(Found(m.start(), d) if d else Found(m.start(), missing=(day, month)))
    for m in _DAY_OF_MONTH.finditer(low):
        day = int(m["day"])
        if not 1 <= day <= 31 or any(f.start <= m.start() < f.start + 12 for f in found):
            continue
        tail = low[m.end(): m.end() + 14]
        if any(re.match(rf"\s*(?:{pat})", tail) for _, pat in MONTHS):
            continue
        y, mo = today.year, today.month
        if day < today.day:
            mo += 1
            if mo == 13:
                y, mo = y + 1, 1
        d = _safe_date(y, mo, day)
        if d:
            found.append(Found(m.start(), d))
    dated = list(found)
    month_spans: list[tuple[int, int]] = []
    for m in _MONTH_END_DAY.finditer(low):
        month_spans.append((m.start(), m.end()))
        month = _month_of(m) if m.lastindex and any(m.group(f"m{n}") for n, _ in MONTHS) else None
        y, mo = today.year, today.month
        if month:
            y, mo = today.year + (1 if month < today.month else 0), month
        elif m["ref"] in ("หน้า", "ถัดไป"):
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        last = _month_bounds(y, mo)[1]
        found.append(Found(m.start(), last, around=(max(today, last - timedelta(days=6)), last)))
    for m in _MONTH_ONLY.finditer(low):
        if m["pre"] is None and m["post"] is None:
            continue
        if any(abs(f.start - m.start()) < 6 for f in found) or any(s <= m.start() < e for s, e in month_spans):
            continue
        month = _month_of(m)
        if month:
            y = today.year + (1 if month < today.month else 0)
            if m["next"] is not None:  # "ม.ค. ปีหน้า", "ธันวาปีหน้า"
                y = max(y, today.year + 1)
            found.append(Found(m.start(), rng=_month_bounds(y, month)))
            month_spans.append((m.start(), m.end()))
    for m in _YEAR_REL.finditer(low):
        if any(s <= m.start() <= e + 2 for s, e in month_spans) or any(f.start < m.start() for f in dated):
            continue  # "ม.ค. ปีหน้า" is that month; "15 ธ.ค. ปีหน้า" that day
        if m["ref"] == "นี้":
            found.append(Found(m.start(), rng=(today, date(today.year, 12, 31))))
        else:
            found.append(Found(m.start(), rng=(date(today.year + 1, 1, 1), date(today.year + 1, 12, 31))))
    for m in _IN_SPANS.finditer(low):
        n = _num(m["n"]) or 0
        month_spans.append((m.start(), m.end()))
        if m["unit"] == "เดือน":
            y, mo = divmod(today.month - 1 + n, 12)
            found.append(Found(m.start(), rng=_month_bounds(today.year + y, mo + 1)))
        else:
            found.append(Found(m.start(), rng=_week_bounds(today + timedelta(days=7 * n))))
    for m in _RELATIVE_DAY.finditer(low):
        w = m["w"]
        if w:
            offset = {"วันนี้": 0, "คืนนี้": 0, "เย็นนี้": 0, "เช้านี้": 0, "บ่ายนี้": 0, "พรุ่งนี้": 1,
                      "พรุ่งนี": 1, "พุ่งนี้": 1, "มะรืนนี้": 2, "มะรืน": 2, "เมื่อวานซืน": -2,
                      "เมื่อวาน": -1}[w]
        else:
            offset = _num(m["n"]) or 0
        found.append(Found(m.start(), today + timedelta(days=offset)))
    week_spans: list[tuple[int, int]] = [(s, e) for s, e in month_spans]
    for m in _WEEK.finditer(low):
        week_spans.append((m.start(), m.end()))
        if m["wk"]:
            if m["wk"] == "อาทิตย์" and low[max(0, m.start() - 3): m.start()].endswith("วัน"):
                continue  # "วันอาทิตย์หน้า" is a day, handled below
            if m["ref"] == "นี้":
                found.append(Found(m.start(), rng=(today, _week_bounds(today)[1])))
            else:
                found.append(Found(m.start(), rng=_week_bounds(today + timedelta(days=7))))
        else:
            sat = today + timedelta(days=(5 - today.weekday()) % 7)
            if today.weekday() == 6:
                sat = today - timedelta(days=1)
            if m["ref2"] == "หน้า":
                sat = _week_bounds(today + timedelta(days=7))[0] + timedelta(days=5)
            start = max(sat, today)
            found.append(Found(m.start(), rng=(start, sat + timedelta(days=1))))
    for m in _WEEKDAY.finditer(low):
        in_week = any(s <= m.start("wd") < e for s, e in week_spans)
        if in_week and not m["wan"]:
            continue
        if m["wd"] == "พฤ" and not m["wan"]:
            continue
        if any(f.start == m.start() or (f.start >= m.end() and _BEFORE_ITS_DATE.fullmatch(low, m.end(), f.start))
               for f in dated):
            continue  # "วันเสาร์ที่ 12 ธ.ค." is 12 Dec, not the coming Saturday: the date wins over the weekday
        wd = _WEEKDAYS[m["wd"]]
        ref = (m["ref"] or "").strip()
        if ref == "หน้า":
            d = _week_bounds(today + timedelta(days=7))[0] + timedelta(days=wd)
        else:
            d = today + timedelta(days=(wd - today.weekday()) % 7)
        found.append(Found(m.start(), d))
    for m in _MONTH_REL.finditer(low):
        if any(s <= m.start() < e for s, e in month_spans):
            continue  # "สิ้นเดือนนี้", "อีก 2 เดือน"
        y, mo = today.year, today.month
        if m["ref"] == "นี้":
            found.append(Found(m.start(), rng=(today, _month_bounds(y, mo)[1])))
        else:
            mo += 1
            if mo == 13:
                y, mo = y + 1, 1
            found.append(Found(m.start(), rng=_month_bounds(y, mo)))
    found.sort(key=lambda f: f.start)
    return found


def ambiguous_year(text: str) -> tuple[str, int, int, int] | None:
    """The first date written with a two-digit year that `two_digit_year` only guesses ("15 ธ.ค. 27",
    "15/12/27"): (the date as written, day, month, the ค.ศ. year guessed); None when there is none."""
    low = text.lower()
    hits = [(m, m["day"], _month_of(m)) for m in _DAY_MONTH.finditer(low)]
    hits += [(m, m["d"], int(m["m"])) for m in _NUMERIC.finditer(low)]
    for m, day, month in sorted(hits, key=lambda hit: hit[0].start()):
        raw = m["year"] if "year" in m.re.groupindex else m["y"]
        if raw and len(raw) == 2 and two_digit_year(int(raw))[1] and month:
            return m.group(0).strip(), int(day), month, two_digit_year(int(raw))[0]
    return None


def find_time(text: str) -> tuple[int, time] | None:
    """First clock time in lightly-normalised text: 18:30, 9 โมง, บ่ายสอง, สองทุ่มครึ่ง, ตีห้า, เที่ยง."""
    low = text.lower()
    best: tuple[int, time] | None = None

    def offer(pos: int, h: int | None, mi: int = 0) -> None:
        nonlocal best
        if h is None or not 0 <= h <= 24 or not 0 <= mi <= 59:
            return
        t = time(h % 24, mi)
        if best is None or pos < best[0]:
            best = (pos, t)

    for m in _TIME_HM.finditer(low):
        offer(m.start(), int(m["h"]), int(m["m"]))
    for m in _TIME_NAFIKA.finditer(low):
        offer(m.start(), int(m["h"]))
    for m in _TIME_THAI.finditer(low):
        if m["bai"]:
            h = _num(m["bh"])
            if h is None:
                if "โมง" not in m["bai"]:  # bare "บ่าย" is an afternoon, not a time; "บ่ายโมง" = 13:00
                    continue
                h = 1
            if h > 12:
                continue
            offer(m.start(), h + 12 if h < 12 else h, 30 if m["bhalf"] else 0)
        elif m["thum"]:
            h = _num(m["th"])
            if h and 1 <= h <= 6:
                offer(m.start(), 18 + h, 30 if m["thalf"] else 0)
        elif m["tee"]:
            h = _num(m["ti"])
            if h and 1 <= h <= 5:
                offer(m.start(), h, 30 if m["tihalf"] else 0)
        elif m["noon"]:
            h = 0 if m["noon"] == "เที่ยงคืน" else 12
            offer(m.start(), h, 30 if m["nhalf"] else 0)
        elif m["mong"]:
            h = _num(m["mh"])
            if h is None or h > 23:
                continue
            part = (m["mpart"] or "").strip()
            if part in ("เย็น", "ค่ำ") and h <= 7:
                h += 12
            elif part == "เช้า" and h <= 5:
                h += 6  # "ห้าโมงเช้า" = 11:00
            elif not part and 1 <= h <= 5:
                h += 12  # bare "สี่โมง" = 16:00
            mi = 30 if m["mhalf"] else (int(m["mmin"]) if m["mmin"] else 0)
            offer(m.start(), h, mi)
    return best


PARTS_OF_DAY: dict[str, tuple[str, int, int]] = {
    "morning": ("ช่วงเช้า", 5, 12),
    "midday": ("ช่วงกลางวัน", 11, 14),
    "afternoon": ("ช่วงบ่าย", 12, 17),
    "evening": ("ช่วงเย็น", 16, 20),
    "night": ("ช่วงค่ำ", 18, 24),
}
"""A part of the day: how to say it, and the hours [from, to) a start time falls in."""
_PART_OF_DAY = re.compile(r"(?:ตอน|ช่วง|ภาค|รอบ|เวลา|(?<=พรุ่ง)นี้|(?<=วัน)นี้)\s*"
                          r"(?P<w1>เช้า|สาย|กลางวัน|เที่ยง|บ่าย|เย็น|ค่ำ|กลางคืน)(?!\s*(?:โมง|[0-9]))"
                          r"|(?P<w2>เช้า|บ่าย|เย็น)\s*ๆ|(?<![ก-๙])(?P<w3>เช้า|บ่าย|เย็น)\s*(?P=w3)"
                          r"|(?<![ก-๙])(?P<w4>เช้า|สาย|บ่าย|เย็น|ค่ำ|คืน)\s*นี้")
""""ตอนเช้า", "พรุ่งนี้เช้า"; "เย็นๆ" after any word ("อาทิตย์นี้เย็นๆ"); "เย็นเย็น" only as a word of its own;
"เย็นนี้", "คืนนี้" opening a word (today's evening, night; "ห้าโมงเย็นนี้" is a clock time)."""
_PART_WORDS = {"เช้า": "morning", "สาย": "morning", "กลางวัน": "midday", "เที่ยง": "midday", "บ่าย": "afternoon",
               "เย็น": "evening", "ค่ำ": "night", "กลางคืน": "night", "คืน": "night"}


def part_of_day(text: str) -> str | None:
    """The part of the day a message asks about ("ตอนเช้า", "ช่วงบ่าย", "เย็นๆ"), a key of PARTS_OF_DAY;
    None when it names none, or more than one. A clock time ("เก้าโมงเช้า", "บ่ายสอง") is not a part."""
    found = {_PART_WORDS[m["w1"] or m["w2"] or m["w3"] or m["w4"]] for m in _PART_OF_DAY.finditer(text)}
    return found.pop() if len(found) == 1 else None


def now_bangkok() -> datetime:
    return datetime.now(BANGKOK)


def as_bangkok(now: datetime | None) -> datetime:
    if now is None:
        return now_bangkok()
    if now.tzinfo is None:
        return now.replace(tzinfo=BANGKOK)
    return now.astimezone(BANGKOK)
