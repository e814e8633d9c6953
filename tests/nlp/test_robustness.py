"""Bad input never raises; it gives a result (usually "other")."""

from __future__ import annotations

import json
import random

import pytest

from nlp import match_community, normalize, route, topic_of
from nlp.entities import parse_count, parse_date_range, parse_money, parse_number, parse_phone, parse_when

_rng = random.Random(7)
BAD = [
    "",
    " ",
    "\n\t",
    "ก" * 5000,
    "สวัสดี" * 900,
    "😀🎉🙈💥",
    "1234567890",
    "๑๒๓๔๕",
    bytes(_rng.randrange(256) for _ in range(300)).decode("utf-8", errors="replace"),
    bytes(_rng.randrange(256) for _ in range(300)).decode("latin-1"),
    "<script>alert('x')</script><b>ลงชื่อ</b>",
    "'; DROP TABLE users; --",
    "\x00\x01\x02",
    "\ud800",
    "99/99/9999 99:99 ข้อ 99999 หมวด 0",
    "31 ก.พ. 2569",
    "ตี 99 ทุ่ม 77",
    "9" * 400,
]


@pytest.mark.parametrize("text", BAD)
def test_bad_input_never_raises(text: str) -> None:
    r = route(text, communities=["ชุมชนโชคชัย 4", ""], now=None)
    d = r.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert 0.0 <= d["confidence"] <= 1.0
    normalize(text)
    topic_of(text)
    match_community(text, ["ชุมชนโชคชัย 4"])
    for f in (parse_number, parse_money, parse_phone, parse_count):
        f(text)
    parse_when(text, None)
    parse_date_range(text, None)


def test_empty_emoji_and_digits_are_other() -> None:
    assert route("").intent == "other"
    assert route("🤣🤣🤣").intent == "other"
    assert route("1234567890").intent == "other"


def test_non_string_does_not_raise() -> None:
    assert route(None).intent == "other"  # type: ignore[arg-type]
    assert parse_number(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("said, meant", [("อาทิตย์หน้า", "อาทิตย์หน้า"), ("เดือนหน้าค่ะ", "เดือนหน้า"),
                                         ("ปีหน้านะคะ", "ปีหน้า"), ("ไปด้วยกันน้า", "ไปด้วยกัน")])
def test_next_week_keeps_its_next_when_particles_go(said, meant):
    """"หน้า" ends in the particle "น้า": it read "อาทิตย์หน้า" as "อาทิตย์ห" (the day step did not know it)."""
    from nlp.normalize import without_particles

    assert without_particles(said) == meant
    assert normalize(said) == meant
