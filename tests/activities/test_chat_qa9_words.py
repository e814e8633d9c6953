"""QA walk-through: a day said with a casual "what's on", questions about going without food before a check, and\nwho staff's change to an activity is told to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.thaidate import BKK, now_utc
from tests.activities.test_chat import STAFF, U1, U2, make_activity, next_saturday  # noqa: F401 - the fixture

__all__ = ["make_activity"]


def test_tomorrow_morning_with_what_is_there_to_do_keeps_the_day(chat, make_activity):
    """"พรุ่งนี้เช้ามีอะไรให้ทำบ้างคะ" listed every morning of two weeks ("พรุ่งนี้" was lost)."""
    tomorrow = (now_utc().astimezone(BKK) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    make_activity(title="แอโรบิกยามเช้า", starts=tomorrow.replace(hour=7))
    make_activity(title="อบรมปฐมพยาบาล", starts=tomorrow.replace(hour=13))
    make_activity(title="ไม้พลองวันอื่น", starts=tomorrow.replace(hour=7) + timedelta(days=2))
    u = chat(U1)
    u.say("พรุ่งนี้เช้ามีอะไรให้ทำบ้างคะ").expect("แอโรบิกยามเช้า", "ช่วงเช้า", "มี 1 รายการ").expect_not(
        "ไม้พลองวันอื่น", "อบรมปฐมพยาบาล")


@pytest.mark.parametrize(("said", "shown", "not_shown"), [
    ("เสาร์นี้มีไรมั่ง", ("แอโรบิกวันเสาร์", "อบรมวันเสาร์"), ("ไม้พลองวันอาทิตย์",)),
    ("เสาร์นี้ตอนบ่ายมีไรมั่ง", ("อบรมวันเสาร์",), ("แอโรบิกวันเสาร์", "ไม้พลองวันอาทิตย์")),
    ("เสาร์นี้ว่าง มีไรให้ทำมั่ง", ("แอโรบิกวันเสาร์", "อบรมวันเสาร์"), ("ไม้พลองวันอาทิตย์",)),
])
def test_a_day_with_a_casual_whats_on_browses_that_day(chat, make_activity, said, shown, not_shown):
    """"เสาร์นี้มีไรมั่ง" got "ขอโทษค่ะ เรื่องนี้ “ร่วมกัน” ยังตอบไม่ได้"."""
    saturday = next_saturday(now_utc())
    make_activity(title="แอโรบิกวันเสาร์", starts=saturday.replace(hour=7))
    make_activity(title="อบรมวันเสาร์", starts=saturday.replace(hour=13))
    make_activity(title="ไม้พลองวันอาทิตย์", starts=(saturday + timedelta(days=1)).replace(hour=17))
    u = chat(U1)
    u.say(said).expect(*shown).expect_not(*not_shown, "ยังตอบไม่ได้", "ยังไม่แน่ใจ")


@pytest.mark.parametrize("said", ["ตรวจน้ำตาลต้องงดข้าวไหมคะ", "ตรวจความดันต้องงดอาหารไหมคะ",
                                  "ตรวจน้ำตาลกินข้าวได้ไหมคะ", "ตรวจวัดความดันต้องเตรียมอะไรไปบ้างคะ"])
def test_going_without_food_before_a_check_is_answered_from_its_details(chat, db, make_activity, said):
    """It said "ยังตอบไม่ได้", or listed the food activities, though the card says to fast 8 hours."""
    from storage.models import Activity

    check = make_activity(title="ตรวจวัดความดันและน้ำตาลในเลือด")
    make_activity(title="อบรมอาหารปลอดภัย", topic="food")
    with db.session() as s:
        s.get(Activity, check.id).description = ("อสม. ตรวจคัดกรองความดันและเบาหวาน "
                                                  "กรุณางดอาหารก่อนตรวจ 8 ชั่วโมง")
    u = chat(U1)
    u.say(said).expect("“ตรวจวัดความดันและน้ำตาลในเลือด” บอกไว้ว่า “กรุณางดอาหารก่อนตรวจ 8 ชั่วโมง”").expect_not(
        "ยังตอบไม่ได้", "อบรมอาหารปลอดภัย")


def test_a_card_that_says_nothing_about_food_says_so(chat, make_activity):
    make_activity(title="เดินเร็วริมคลองลาดพร้าว")  # its details: "ตรวจความดันและน้ำตาลในเลือด", nothing to fast
    u = chat(U1)
    u.say("เดินเร็วริมคลองต้องงดข้าวไหมคะ").expect(
        "รายละเอียดของ “เดินเร็วริมคลองลาดพร้าว” ไม่ได้บอกเรื่องงดอาหารก่อนไปไว้ค่ะ", "ติดต่อเจ้าหน้าที่").expect_not(
        "ยังตอบไม่ได้")


def test_a_change_to_an_activity_says_how_many_signed_up_and_wait(chat, make_activity):
    """It said "จะแจ้งผู้ที่สมัครไว้ทุกคน (รวมรายชื่อสำรองถ้ามี) 2 รายทันที" whether or not anyone was waiting."""
    act = make_activity(capacity=2)
    for who in (U1, U2):
        chat(who).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    new_day = (act.starts_at + timedelta(days=7)).astimezone(BKK)
    staff = chat(STAFF, role="staff")
    staff.say(f"เลื่อนกิจกรรม {act.id} | {new_day.day}/{new_day.month}/{new_day.year + 543} 10:00-12:00")
    staff.expect("จะแจ้งผู้สมัคร 2 คนทันที").expect_not("สำรอง")
