"""Day words as residents and staff say them: สิ้นเดือน, อีก 2 อาทิตย์, month names run into the next word, ปีหน้า."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from nlp.dates import BANGKOK
from nlp.entities import parse_date_range, parse_from_now, parse_when

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=BANGKOK)  # a Tuesday


@pytest.mark.parametrize(("text", "expected"), [
    ("สิ้นเดือนนี้ค่ะ 7 โมงเช้า", datetime(2026, 12, 31, 7, 0, tzinfo=BANGKOK)),  # it was today at 07:00
    ("สิ้นเดือน ม.ค. 9 โมง", datetime(2027, 1, 31, 9, 0, tzinfo=BANGKOK)),
    ("สิ้นเดือนหน้า บ่ายสอง", datetime(2027, 1, 31, 14, 0, tzinfo=BANGKOK)),
])
def test_the_end_of_a_month_is_its_last_day(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("อีก 2 อาทิตย์มีกิจกรรมอะไรบ้าง", (date(2026, 12, 14), date(2026, 12, 20))),  # it was Sunday 6 Dec
    ("อีกสองสัปดาห์มีอะไรไหม", (date(2026, 12, 14), date(2026, 12, 20))),
    ("อีก ๑ อาทิตย์", (date(2026, 12, 7), date(2026, 12, 13))),
    ("อีก 2 เดือน", (date(2027, 2, 1), date(2027, 2, 28))),
    ("เดือนมกราคมมีกิจกรรมไหม", (date(2027, 1, 1), date(2027, 1, 31))),  # it was no date at all
    ("เดือนธันวาคมมีกิจกรรมไหม", (date(2026, 12, 1), date(2026, 12, 31))),
    ("ธันวามีอะไรบ้าง", (date(2026, 12, 1), date(2026, 12, 31))),
    ("ม.ค. ปีหน้ามีกิจกรรมไหม", (date(2027, 1, 1), date(2027, 1, 31))),
    ("ธ.ค. ปีหน้ามีกิจกรรมไหม", (date(2027, 12, 1), date(2027, 12, 31))),
    ("ปีหน้ามีกิจกรรมอะไรบ้าง", (date(2027, 1, 1), date(2027, 12, 31))),
    ("สิ้นเดือนมีกิจกรรมอะไรบ้าง", (date(2026, 12, 25), date(2026, 12, 31))),  # the month's last week
])
def test_ranges_said_in_words(text: str, expected: tuple[date, date]) -> None:
    assert parse_date_range(text, NOW) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("วันอาทิตย์หน้า", (date(2026, 12, 13), date(2026, 12, 13))),
    ("อาทิตย์หน้า", (date(2026, 12, 7), date(2026, 12, 13))),
    ("อีก 3 วัน", (date(2026, 12, 4), date(2026, 12, 4))),
    ("เดือนหน้า", (date(2027, 1, 1), date(2027, 1, 31))),
])
def test_what_already_worked_still_does(text: str, expected: tuple[date, date]) -> None:
    assert parse_date_range(text, NOW) == expected


def test_happy_new_year_is_no_date() -> None:
    assert parse_date_range("หวัดดีปีใหม่จ้า", NOW) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("15 ธ.ค. ปีหน้า", datetime(2027, 12, 15, 0, 0, tzinfo=BANGKOK)),  # it was this year's 15 Dec
    ("15 ธ.ค.ปีหน้า 9 โมง", datetime(2027, 12, 15, 9, 0, tzinfo=BANGKOK)),
    ("วันที่ 15 ธันวาปีหน้ามีกิจกรรมไหม", datetime(2027, 12, 15, 0, 0, tzinfo=BANGKOK)),
    ("15/12 ปีหน้า", datetime(2027, 12, 15, 0, 0, tzinfo=BANGKOK)),
    ("3 ม.ค. ปีนี้", datetime(2026, 1, 3, 0, 0, tzinfo=BANGKOK)),  # said this year: not moved to the next
    ("15 ธ.ค. 2570", datetime(2027, 12, 15, 0, 0, tzinfo=BANGKOK)),
    ("15 ธันวาคม พ.ศ. ๒๕๗๐ 13:00", datetime(2027, 12, 15, 13, 0, tzinfo=BANGKOK)),
    ("15 Dec 2027", datetime(2027, 12, 15, 0, 0, tzinfo=BANGKOK)),
    ("Dec 15, 2027", datetime(2027, 12, 15, 0, 0, tzinfo=BANGKOK)),  # month first, as English writes it
    ("december 15th 9:30", datetime(2026, 12, 15, 9, 30, tzinfo=BANGKOK)),
])
def test_the_year_a_date_is_said_in(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(("text", "minutes"), [
    ("อีกครึ่งชั่วโมง", 30), ("อีก 2 ชั่วโมง", 120), ("อีก ๑๕ นาทีค่ะ", 15), ("อีกชั่วโมงนึง", 60),
    ("อีกชั่วโมงครึ่ง", 90), ("อีก 1 ชม. 20 นาที", 80), ("อีกสิบห้านาทีนะคะ", 15), ("ในอีก 45 นาทีข้างหน้า", 45),
    ("อีก 3 วัน", None), ("พรุ่งนี้ 9 โมง", None), ("อีก 0 นาที", None), ("ขอเวลาอีก 5 นาทีนะ", None),
])
def test_a_time_counted_from_now(text: str, minutes: int | None) -> None:
    found = parse_from_now(text, NOW)
    assert (found - NOW if found else None) == (timedelta(minutes=minutes) if minutes is not None else None)
