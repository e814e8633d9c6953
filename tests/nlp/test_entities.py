"""Dates, times, numbers, money, phones, clauses and communities, against a fixed Bangkok `now`."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from nlp import match_community, route
from nlp.dates import BANGKOK
from nlp.entities import (
    missing_day,
    parse_count,
    parse_date_range,
    parse_money,
    parse_number,
    parse_phone,
    parse_when,
)

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BANGKOK)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("พรุ่งนี้", datetime(2026, 11, 26, 0, 0, tzinfo=BANGKOK)),
        ("มะรืนนี้", datetime(2026, 11, 27, 0, 0, tzinfo=BANGKOK)),
        ("เสาร์นี้", datetime(2026, 11, 28, 0, 0, tzinfo=BANGKOK)),
        ("วันอาทิตย์หน้า", datetime(2026, 12, 6, 0, 0, tzinfo=BANGKOK)),
        ("15 ธ.ค.", datetime(2026, 12, 15, 0, 0, tzinfo=BANGKOK)),
        ("๑๕ ธันวาคม ๒๕๖๙", datetime(2026, 12, 15, 0, 0, tzinfo=BANGKOK)),
        ("1 ม.ค. 2570", datetime(2027, 1, 1, 0, 0, tzinfo=BANGKOK)),
        ("15/12/2569", datetime(2026, 12, 15, 0, 0, tzinfo=BANGKOK)),
        ("9 โมง", datetime(2026, 11, 25, 9, 0, tzinfo=BANGKOK)),
        ("บ่ายสอง", datetime(2026, 11, 25, 14, 0, tzinfo=BANGKOK)),
        ("สองทุ่มครึ่ง", datetime(2026, 11, 25, 20, 30, tzinfo=BANGKOK)),
        ("18:30", datetime(2026, 11, 25, 18, 30, tzinfo=BANGKOK)),
        ("สามโมงเย็น", datetime(2026, 11, 25, 15, 0, tzinfo=BANGKOK)),
        ("ตีห้า", datetime(2026, 11, 25, 5, 0, tzinfo=BANGKOK)),
        ("เที่ยง", datetime(2026, 11, 25, 12, 0, tzinfo=BANGKOK)),
        ("พรุ่งนี้ 9 โมงเช้า", datetime(2026, 11, 26, 9, 0, tzinfo=BANGKOK)),
        ("เสาร์นี้ บ่าย 3 โมงครึ่ง", datetime(2026, 11, 28, 15, 30, tzinfo=BANGKOK)),
        # อาทิตย์ is "week" and "Sunday": with a time it is the Sunday (it used to be the week's Monday,
        # already past on a Wednesday); without one it stays the week, as for browsing.
        ("อาทิตย์นี้ 9 โมง", datetime(2026, 11, 29, 9, 0, tzinfo=BANGKOK)),
        ("อาทิตย์หน้า บ่ายสอง", datetime(2026, 12, 6, 14, 0, tzinfo=BANGKOK)),
        ("สัปดาห์หน้า 9 โมง", datetime(2026, 11, 30, 9, 0, tzinfo=BANGKOK)),
    ],
)
def test_parse_when(text: str, expected: datetime) -> None:
    got = parse_when(text, NOW)
    assert got == expected
    assert got is not None and got.utcoffset().total_seconds() == 7 * 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("เสาร์นี้", (date(2026, 11, 28), date(2026, 11, 28))),
        ("อาทิตย์หน้า", (date(2026, 11, 30), date(2026, 12, 6))),
        ("สัปดาห์หน้า", (date(2026, 11, 30), date(2026, 12, 6))),
        ("เดือนหน้า", (date(2026, 12, 1), date(2026, 12, 31))),
        ("สุดสัปดาห์นี้", (date(2026, 11, 28), date(2026, 11, 29))),
    ],
)
def test_parse_date_range(text: str, expected: tuple[date, date]) -> None:
    assert parse_date_range(text, NOW) == expected


def test_no_date_means_none() -> None:
    assert parse_when("สวัสดีค่ะ", NOW) is None
    assert parse_date_range("ขอบคุณ", NOW) is None


@pytest.mark.parametrize(("text", "missing"), [("31 พ.ย. 9 โมง", (31, 11)), ("๓๐ ก.พ.", (30, 2)),
                                              ("31/11", (31, 11)), ("31/4/2570 10:00", (31, 4))])
def test_a_day_the_calendar_lacks_is_no_date_at_all(text: str, missing: tuple[int, int]) -> None:
    """"31 พ.ย. 9 โมง" used to be today at 9 (the time alone), and "31 พ.ย." November next year."""
    assert parse_when(text, NOW) is None
    assert parse_date_range(text, NOW) is None
    assert missing_day(text, NOW) == missing
    assert missing_day("30 พ.ย. 9 โมง", NOW) is None and missing_day("พรุ่งนี้", NOW) is None


def test_now_defaults_to_bangkok() -> None:
    got = parse_when("พรุ่งนี้")
    assert got is not None and got.utcoffset().total_seconds() == 7 * 3600


@pytest.mark.parametrize(
    ("text", "n"),
    [("ห้าพัน", 5000), ("2 หมื่น", 20000), ("๕,๐๐๐", 5000), ("5k", 5000), ("หนึ่งพันห้าร้อย", 1500),
     ("สองหมื่นห้า", 25000), ("ยี่สิบเอ็ด", 21), ("สองพันครึ่ง", 2500), ("42", 42)],
)
def test_parse_number(text: str, n: int) -> None:
    assert parse_number(text) == n


@pytest.mark.parametrize(("text", "n"), [
    ("5,000 บาท", 5000), ("ห้าพันบาท", 5000), ("2 หมื่น", 20000), ("งบ ๓๐๐๐", 3000),
    ("ค่าลำโพง 3000 ค่าเสื่อ 5000 รวม 8000", 8000), ("ค่าลำโพง 3000 ค่าเสื่อ 5000", 8000),
    ("ทั้งหมด 12,000 บาท (ค่าอาหาร 2000)", 12000), ("ค่าวิทยากร 3000 บาท สำหรับ 20 คน", 3000),
])
def test_parse_money(text: str, n: int) -> None:
    assert parse_money(text) == n


@pytest.mark.parametrize(("text", "n"), [("2 คน", 2), ("สองคน", 2), ("๒ ที่", 2), ("3", 3), ("ไปคนเดียว", 1)])
def test_parse_count(text: str, n: int) -> None:
    assert parse_count(text) == n


def test_two_neighbouring_digit_words_are_an_approximate_range_read_at_its_upper_end() -> None:
    # "สองสาม" means "two or three" (a reservation for 3 is shown on the summary card to confirm), not 5.
    assert parse_count("ไปสองสามคนค่ะ") == 3
    assert parse_count("สามสี่ที่") == 4
    assert parse_money("งบสักสองสามพันบาท") == 3000
    assert parse_number("ห้าหกหมื่น") == 60000
    assert parse_number("สามสิบสี่") == 34  # a real number is not a range


def test_words_that_only_look_like_numbers() -> None:
    assert parse_number("เรียบร้อยค่ะ") is None
    assert parse_number("สามารถไปได้") is None
    assert parse_count("ไม่ไปแล้ว") is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [("081-234-5678", "0812345678"), ("๐๘๑๒๓๔๕๖๗๘", "0812345678"), ("+66 81 234 5678", "0812345678"),
     ("โทร 02-123-4567 ค่ะ", "021234567"), ("เบอร์ 089 123 4567", "0891234567")],
)
def test_parse_phone(text: str, phone: str) -> None:
    assert parse_phone(text) == phone


def test_not_a_phone() -> None:
    assert parse_phone("12345") is None
    assert parse_phone("ข้อ 3") is None


def test_route_entities_in_one_message() -> None:
    r = route("ขอลงชื่อ ๒ คน เสาร์นี้ สองทุ่มครึ่ง โทร 081-234-5678", now=NOW)
    assert r.entities == {
        "datetime": "2026-11-28T20:30:00+07:00",
        "date": "2026-11-28",
        "date_range": ["2026-11-28", "2026-11-28"],
        "time": "20:30",
        "count": 2,
        "phone": "0812345678",
    }


def test_route_range_and_money() -> None:
    assert route("อาทิตย์หน้ามีกิจกรรมอะไรบ้าง", now=NOW).entities["date_range"] == ["2026-11-30", "2026-12-06"]
    assert route("อยากเสนอโครงการ งบ 2 หมื่น", now=NOW).entities["money"] == 20000
    assert route("ห้าพันบาทค่ะ", now=NOW).entities["money"] == 5000


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [("ไม่เห็นด้วยกับข้อ 3", "clause", 3), ("ข้อที่ ๗ ควรแก้", "clause", 7), ("ขอดูหมวด 2", "section", 2),
     ("หมวดที่สองว่ายังไง", "section", 2)],
)
def test_clause_and_section(text: str, key: str, value: int) -> None:
    assert route(text).entities[key] == value


def test_ข้อมูล_is_not_a_clause() -> None:
    assert "clause" not in route("ลบข้อมูลของฉัน").entities


COMMUNITIES = ["ชุมชนโชคชัย 4", "ชุมชนโชคชัย 3", "ชุมชนร่วมใจพัฒนา", "ชุมชนภูมิใจ", "ชุมชนลาดพร้าว 101"]


@pytest.mark.parametrize(
    ("text", "name"),
    [("โชคชัย๔", "ชุมชนโชคชัย 4"), ("ชุมชนโชคชัย 3", "ชุมชนโชคชัย 3"), ("ร่วมใจพัทนา", "ชุมชนร่วมใจพัฒนา"),
     ("อยู่ภูมใจค่ะ", "ชุมชนภูมิใจ"), ("ลาดพร้าว๑๐๑", "ชุมชนลาดพร้าว 101")],
)
def test_match_community_loosely(text: str, name: str) -> None:
    hit = match_community(text, COMMUNITIES)
    assert hit is not None and hit[0] == name and 0 < hit[1] <= 1


def test_match_community_rejects_other_numbers_and_strangers() -> None:
    assert match_community("โชคชัย 7", COMMUNITIES) is None
    assert match_community("สวัสดีค่ะ", COMMUNITIES) is None
    assert match_community("โชคชัย๔", []) is None


def test_route_reports_community_from_callers_list() -> None:
    r = route("ขอลงชื่อ 2 คน ชุมชนโชคชัย๔", communities=COMMUNITIES)
    assert r.entities["community"] == "ชุมชนโชคชัย 4"
    assert "community" not in route("ขอลงชื่อ 2 คน").entities


def test_free_text_names_a_community_only_by_whole_words() -> None:
    names = [*COMMUNITIES, "ชุมชนเพิ่มสุข", "ชุมชนนาคนิวาส"]
    # "เพิ่มสุขภาพ" (improve health) holds the letters of ชุมชนเพิ่มสุข but not the name.
    assert "community" not in route("มีกิจกรรมเพิ่มสุขภาพไหมคะ", communities=names).entities
    assert route("กิจกรรมชุมชนเพิ่มสุขมีไหม", communities=names).entities["community"] == "ชุมชนเพิ่มสุข"
    assert route("นาคนิวาสมีกิจกรรมไหม", communities=names).entities["community"] == "ชุมชนนาคนิวาส"
    # A typo in free text filters nothing; answering "which community?" still forgives it.
    assert "community" not in route("กิจกรรมนาคนิวาด", communities=names).entities
    assert match_community("นาคนิวาด", names)[0] == "ชุมชนนาคนิวาส"


@pytest.mark.parametrize("text, part", [
    ("เสาร์นี้ตอนเช้ามีกิจกรรมอะไรบ้าง", "morning"),
    ("มีกิจกรรมช่วงบ่ายไหมคะ", "afternoon"),
    ("เย็นๆ มีอะไรทำบ้าง", "evening"),
    ("อาทิตย์นี้เย็นๆมีกิจกรรมไหมคะ", "evening"),  # เย็นๆ right after นี้ was missed
    ("พรุ่งนี้เช้ามีอะไรไหม", "morning"),
    ("พรุ่งนี้ 9 โมงเช้า", None),
    ("ตอนค่ำวันอาทิตย์", "night"),
    ("แอโรบิกยามเช้าจัดที่ไหน", None),  # part of a name, not a question about the morning
    ("นัดเก้าโมงเช้า", None),  # a clock time
    ("ตอนเช้า ๙ โมง", None),
    ("ช่วงเช้าหรือช่วงบ่ายก็ได้", None),  # two parts: no filter
    ("เย็นนี้มีอะไรไหม", "evening"),  # this evening: it listed an 11:00 activity
    ("คืนนี้มีกิจกรรมไหม", "night"),
    ("นัดห้าโมงเย็นนี้", None),  # a clock time
])
def test_part_of_day(text: str, part: str | None) -> None:
    assert route(text).entities.get("part_of_day") == part


@pytest.mark.parametrize(("text", "expected"), [
    ("อาทิตย์ที่ 13 ธ.ค. 9 โมงถึง 11 โมง", datetime(2026, 12, 13, 9, 0, tzinfo=BANGKOK)),
    ("วันเสาร์ที่ 12 ธ.ค. มีกิจกรรมอะไรบ้างคะ", datetime(2026, 12, 12, 0, 0, tzinfo=BANGKOK)),
    ("วันเสาร์ที่ 12 ธ.ค. บ่ายโมงถึงบ่ายสาม", datetime(2026, 12, 12, 13, 0, tzinfo=BANGKOK)),
    ("เสาร์ 12 ธ.ค.", datetime(2026, 12, 12, 0, 0, tzinfo=BANGKOK)),
    ("วันเสาร์ 12/12/2569", datetime(2026, 12, 12, 0, 0, tzinfo=BANGKOK)),
    ("วันเสาร์ที่ 12", datetime(2026, 12, 12, 0, 0, tzinfo=BANGKOK)),  # no month: the next 12th
    ("เสาร์ที่ 12 บ่ายสอง", datetime(2026, 12, 12, 14, 0, tzinfo=BANGKOK)),
    ("เสาร์หน้าที่ 5", datetime(2026, 12, 5, 0, 0, tzinfo=BANGKOK)),
    # The weekday contradicts the date (13 Dec 2569 is a Sunday): the date still wins.
    ("วันเสาร์ที่ 13 ธ.ค.", datetime(2026, 12, 13, 0, 0, tzinfo=BANGKOK)),
    # Without a date the weekday is still the coming one, a time after it is still a time.
    ("วันเสาร์ 9 โมง", datetime(2026, 11, 28, 9, 0, tzinfo=BANGKOK)),
    ("เสาร์นี้ 10.30", datetime(2026, 11, 28, 10, 30, tzinfo=BANGKOK)),
])
def test_a_weekday_with_its_date_is_that_date_not_the_coming_weekday(text: str, expected: datetime) -> None:
    """"วันเสาร์ที่ 12 ธ.ค." used to be the coming Saturday (28 Nov here), the date ignored."""
    assert parse_when(text, NOW) == expected
    assert parse_date_range(text, NOW) == (expected.date(), expected.date())


@pytest.mark.parametrize(("text", "n"), [
    ("ราวๆ 3 หมื่น 5 พันครับ", 35000), ("3 หมื่น 2 พันบาท", 32000), ("1 แสน 2 หมื่น", 120000), ("2หมื่น5", 25000),
    ("1 ล้าน 2 แสนบาท", 1_200_000), ("3หมื่น5พัน", 35000),
    # A range is read at its upper end, as "สองสามพัน" is (the summary card shows the figure to confirm).
    ("5-6 พัน", 6000), ("ห้าถึงหกพันบาท", 6000), ("3 - 4 หมื่น", 40000), ("5,000-6,000 บาท", 6000),
    # A year before an amount does not join it.
    ("ปี 2569 ขอ 2 พันบาท", 2000),
])
def test_money_in_several_units_is_one_amount(text: str, n: int) -> None:
    """"3 หมื่น 5 พัน" was 30,000, "3 หมื่น 2 พันบาท" 2,000, "2หมื่น5" 20,000 and "5-6 พัน" 5."""
    assert parse_money(text) == n


def test_a_number_in_a_soi_name_reads_as_said() -> None:
    """"ร้อยเอ็ด" is 101 and "ร้อยเจ็ด" 107 in a name (the price shorthand "สองหมื่นห้า" = 25,000 stays)."""
    from nlp.numbers import number_words_as_digits

    assert number_words_as_digits("ลาดพร้าวร้อยเอ็ด") == "ลาดพร้าว101"
    assert number_words_as_digits("ลาดพร้าวร้อยเจ็ด") == "ลาดพร้าว107"
    assert number_words_as_digits("ลาดพร้าวแปดสิบเจ็ดค่ะ") == "ลาดพร้าว87ค่ะ"
    for kept in ("สามัคคีร่วมใจ", "เรียบร้อย", "สี่แยก", "เก้าอี้"):
        assert number_words_as_digits(kept) == kept
    assert parse_number("สองหมื่นห้า") == 25000


DEMO_COMMUNITIES = ["ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 80", "ชุมชนลาดพร้าว 87", "ชุมชนลาดพร้าว 101",
                    "ชุมชนลาดพร้าว 107", "ชุมชนลาดพร้าว 112", "ชุมชนวัดลาดพร้าว", "ชุมชนสะพานสอง",
                    "ชุมชนสามัคคีร่วมใจ", "ชุมชนเสนานิเวศน์ 1", "ชุมชนโชคชัย 4", "ชุมชนโชคชัย 4 ซอย 54"]


@pytest.mark.parametrize(("text", "name"), [
    ("อยู่ซอยลาดพร้าวร้อยเอ็ดค่ะ", "ชุมชนลาดพร้าว 101"), ("เปลี่ยนชุมชนเป็นลาดพร้าวแปดสิบเจ็ด", "ชุมชนลาดพร้าว 87"),
    ("ลาดพร้าวร้อยสิบสอง", "ชุมชนลาดพร้าว 112"), ("ลาดพร้าวร้อยเจ็ด", "ชุมชนลาดพร้าว 107"),
    ("เสนานิเวศน์หนึ่ง", "ชุมชนเสนานิเวศน์ 1"),
    # Names holding number words still match, written either way.
    ("สะพานสอง", "ชุมชนสะพานสอง"), ("สะพาน 2", "ชุมชนสะพานสอง"), ("สามัคคีร่วมใจ", "ชุมชนสามัคคีร่วมใจ"),
    # A numbered name whose letters are apart ("โชคชัย … ซอย") beats the shorter one it contains.
    ("โชคชัย 4 ซอย 54", "ชุมชนโชคชัย 4 ซอย 54"), ("โชคชัยสี่ ซอยห้าสิบสี่", "ชุมชนโชคชัย 4 ซอย 54"),
])
def test_a_community_named_with_number_words(text: str, name: str) -> None:
    """"ลาดพร้าวร้อยเอ็ด" matched ชุมชนลาดพร้าว 71 (the number words were letters to it)."""
    hit = match_community(text, DEMO_COMMUNITIES)
    assert hit is not None and hit[0] == name


@pytest.mark.parametrize(("text", "name", "given"), [
    ("อยู่ซอยลาดพร้าวร้อยเอ็ดค่ะ", "ชุมชนลาดพร้าว 101", True), ("ลาดพร้าว ๗๑", "ชุมชนลาดพร้าว 71", True),
    ("ลาดพร้า 101 ค่ะ", "ชุมชนลาดพร้าว 101", True), ("โชคชัยสี่", "ชุมชนโชคชัย 4", True),
    ("ลาดพร้าวค่ะ", "ชุมชนลาดพร้าว 71", False), ("ชุมชนวัดลาดพร้าว", "ชุมชนวัดลาดพร้าว", False),
    # Another number in the sentence is not the community's: which ลาดพร้าว is still not said.
    ("มีกิจกรรมที่ลาดพร้าวเสาร์ที่ 5 ไหม", "ชุมชนลาดพร้าว 71", False), ("ลาดพร้าว 2 คน", "ชุมชนลาดพร้าว 71", False),
])
def test_whether_a_numbered_community_is_given_with_its_number(text: str, name: str, given: bool) -> None:
    """Any digit in the text counted as the number ("ลาดพร้าว เสาร์ที่ 5" set ลาดพร้าว 71 without asking)."""
    from nlp.community import gives_its_number

    assert gives_its_number(text, name) is given


@pytest.mark.parametrize("text", ["ลาดพร้าวร้อยห้าสิบ", "ลาดพร้าวเก้าสิบ", "สะพานสาม", "เสนานิเวศน์สาม"])
def test_a_number_in_words_that_no_community_has_matches_none(text: str) -> None:
    assert match_community(text, DEMO_COMMUNITIES) is None


@pytest.mark.parametrize("text", ["๐๘๑ ๒๓๔ ๕๖๗๘ ครับ", "0812345678 ค่ะ", "081 234 5678 ครับ", "เบอร์ 0812345678"])
def test_a_phone_answer_with_words_around_it(text: str) -> None:
    from nlp.entities import parse_phone_answer

    assert parse_phone_answer(text) == "0812345678"


def test_a_phone_answer_with_other_digits_is_not_guessed() -> None:
    from nlp.entities import parse_phone_answer

    assert parse_phone_answer("0812345678 9") is None
    assert parse_phone_answer("0812345678 หรือ 0899999999") is None
    assert parse_phone_answer("12345") is None


@pytest.mark.parametrize(("text", "n"), [
    ("ผู้สูงอายุ 38 คน เด็ก 12 คน", 50), ("ผู้สูงอายุ 38 คน, เด็ก 12 คน และ อสม. 5 ท่าน", 55),
    ("ผู้สูงอายุ 38 คน เด็ก 12 คน รวม 50 คน", 50), ("45 คน จากแผน 50 คน", 45), ("ประมาณ ๔๐-๕๐ คน", 50),
    ("40 ถึง 50 คน", 50),
])
def test_counts_of_several_groups_add_up(text: str, n: int) -> None:
    """"ผู้สูงอายุ 38 คน เด็ก 12 คน" was 38 (the first group only)."""
    assert parse_count(text) == n


@pytest.mark.parametrize("text, n", [
    ("ไปกับสามีและหลานอีก 2 คนค่ะ", 4), ("ผมกับเพื่อนอีกสามคน", 4), ("ไปกับแม่และลูกสาวครับ", 3),
    ("ไปกับลูกสาวค่ะ", 2), ("พาแม่ไปด้วยค่ะ", 2), ("ไปกับหลานสองคน", 2), ("อีก 2 คน", 3),
    ("ไปกับสามีและลูกค่ะ", None),  # ลูก may be several
    ("ไปกับสามีอีก 2 คน", None),  # two with him, or two besides him?
    ("ไปกับหลานๆ ค่ะ", None), ("ไปกับลูกและหลาน", None),
])
def test_party_said_counts_the_speaker_the_named_and_the_more(text: str, n: int | None) -> None:
    from bot.flows.activity import party_said

    assert party_said(text) == n


def test_a_community_named_in_free_text_after_glued_words_and_before_a_count() -> None:
    """"ที่วัดลาดพร้าว" (newmm: "ที่วัด|ลาดพร้าว") was ลาดพร้าว 71; "ลาดพร้าว 2 คน" was no community."""
    names = [*DEMO_COMMUNITIES, "ชุมชนหลังวัดลาดพร้าว"]
    assert match_community("มีกิจกรรมที่วัดลาดพร้าวไหม", names, whole_words=True)[0] == "ชุมชนวัดลาดพร้าว"
    assert match_community("ตอนนี้อยู่ที่วัดลาดพร้าวแล้วค่ะ", names, whole_words=True)[0] == "ชุมชนวัดลาดพร้าว"
    assert match_community("ขอสมัครที่ลาดพร้าว 2 คน", names, whole_words=True)[0] == "ชุมชนลาดพร้าว 71"
    assert match_community("ลาดพร้าว 101 2 คน", names, whole_words=True)[0] == "ชุมชนลาดพร้าว 101"
    assert match_community("มีกิจกรรมเพิ่มสุขภาพไหม", ["ชุมชนเพิ่มสุข"], whole_words=True) is None


@pytest.mark.parametrize(("typed", "reason"), [
    ("ค่ะ ฝนตกหนัก", "ฝนตกหนัก"),
    ("เพราะคนทำงานไม่มีเวลา", "คนทำงานไม่มีเวลา"),
    ("นะคะ เพราะว่าวิทยากรป่วยค่ะ", "วิทยากรป่วยค่ะ"),
    ("| เหตุผล: น้ำท่วม", "น้ำท่วม"),
    ("คะแนนไม่พอ", "คะแนนไม่พอ"),  # a particle only as a word of its own
    ("เลยเวลาแล้ว", "เลยเวลาแล้ว"),
    ("ทีมเราไม่ชนะ", "ทีมเราไม่ชนะ"),
    ("ค่ะ", None),
])
def test_a_reason_without_the_words_that_only_lead_into_it(typed, reason):
    from nlp.normalize import reason_text

    assert reason_text(typed) == reason
