"""What the QA walk-through found about head counts and a new activity's start, as dialogues: a named companion
added to a sign-up, a second companion at the sign-up summary, "อีกที" beside an activity's name, and a start
time typed for a new activity's name."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.thaidate import format_date
from tests.activities.test_chat import STAFF, U1, make_activity, signup_of  # noqa: F401 - the fixture
from tests.activities.test_chat_qa_walkthrough import _signed_up
from tests.activities.test_chat_staff_form import _long_day, _tuesday_morning, published

__all__ = ["make_activity"]

WALK = "เดินเร็วริมคลองลาดพร้าว"


@pytest.mark.parametrize("said", ["เพิ่มลูกสาวอีกคนค่ะ", "ขอเพิ่มคุณแม่อีกคนค่ะ"])
def test_a_named_companion_added_to_a_sign_up_is_one_more(chat, make_activity, db, said):
    act = make_activity()
    u = chat(U1)
    _signed_up(db, U1, act.id, party=2)
    u.say(said).expect("จาก 2 เป็น 3 คน", "ใช่ไหมคะ").expect_not("จะเปลี่ยนเป็นกี่คนคะ")
    u.say("ใช่ค่ะ").expect("จาก 2 เป็น 3 คนแล้วค่ะ").expect_not("ขอเป็นจำนวนคน")
    assert signup_of(db, U1, act.id).party_size == 3


def test_a_second_companion_at_the_sign_up_summary_adds_to_the_count_shown(chat, make_activity, db):
    act = make_activity("ปลูกผักสวนครัวริมคลอง")
    make_activity()
    u = chat(U1)
    u.say("สมัครปลูกผักค่ะ").expect("ไปกี่คนคะ")
    u.say("1").expect("จำนวน 1 คน", "ยืนยันการสมัครไหมคะ")
    u.say("เพิ่มลูกสาวค่ะ").expect("จำนวน 2 คน", "ยืนยันการสมัครไหมคะ")
    u.say("ลูกชายไปด้วยค่ะ").expect("จำนวน 3 คน", "ยืนยันการสมัครไหมคะ").expect_not("จำนวน 2 คน")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, act.id).party_size == 3


@pytest.mark.parametrize("said", ["ขอสมัครเดินเร็วอีกทีค่ะ ไป 3 คน", "สมัครเดินเร็วอีกครั้งค่ะ ไป 3 คน"])
def test_again_beside_the_name_still_names_the_activity(chat, make_activity, db, said):
    walk = make_activity(WALK)
    make_activity()
    u = chat(U1)
    _signed_up(db, U1, walk.id, party=2)
    u.say(said).expect("จาก 2 เป็น 3 คน").expect_not("อยากสมัครกิจกรรมไหนคะ")
    u.say("ใช่ค่ะ")
    assert signup_of(db, U1, walk.id).party_size == 3


@pytest.mark.parametrize(("typed", "start", "end"), [("9 โมง", "09:00", "10:00"), ("บ่าย 2 โมง", "14:00", "15:00")])
def test_a_start_alone_typed_for_the_name_is_kept_and_the_day_and_end_asked(chat, harness, db, typed, start, end):
    """“9 โมง” typed when asked for the name was kept as 09:00–11:00, an end nobody said; now only the start is
    kept, and the day and then the end are asked."""
    now = _tuesday_morning()
    harness.set_clock(now)
    tomorrow = now + timedelta(days=1)
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say(typed)
    staff.expect(f"“{typed}” เป็นวันเวลา", f"เริ่ม {start} น.", "กิจกรรมชื่ออะไรคะ").expect_not(f"{start}–")
    staff.say("เดินเร็ว").expect(f"เริ่ม {start} น. จัดวันไหนคะ").expect_not(f"{start}–", "จัดที่ไหนคะ")
    staff.tap("พรุ่งนี้").expect(f"เริ่ม{_long_day(tomorrow)} เวลา {start} น. จัดถึงกี่โมงคะ")
    staff.expect_not("จัดที่ไหนคะ")
    staff.tap("1 ชั่วโมง").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect(format_date(tomorrow), f"{start}–{end}")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    act = published(db, "เดินเร็ว")
    assert act.ends_at - act.starts_at == timedelta(hours=1)
