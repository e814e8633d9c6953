"""What the QA walk-through through the simulator found about activities, as dialogues."""

from __future__ import annotations

import pytest

from tests.activities.test_chat import U1, make_activity, signup_of  # noqa: F401 - the fixture

__all__ = ["make_activity"]


@pytest.mark.parametrize("said", ["ยกลิก", "ยกเลิกกก", "ยกเลิกก ค่ะ", "ไม่ไปแล้วครับ", "ไม่สมัครแล้วค่ะ"])
def test_a_mistyped_cancel_or_not_going_any_more_ends_the_sign_up(chat, make_activity, db, said):
    act = make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").expect("ไปกี่คนคะ")
    u.say(said).expect("ออกจากการสมัครแล้วค่ะ").expect_not("ออกจากขั้นตอนเดิมไหมคะ")
    u.say("ไม่").expect_not("ไปกี่คนคะ", "สรุปการสมัคร")
    assert signup_of(db, U1, act.id) is None


def test_the_chip_not_signing_up_still_answers_the_summary(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").say("2").expect("ยืนยันการสมัครไหมคะ")
    u.tap("ไม่สมัครแล้ว").expect_not("ออกจากการสมัครแล้วค่ะ", "ออกจากขั้นตอนเดิมไหมคะ")
    assert signup_of(db, U1, act.id) is None


def test_a_mistyped_cancel_at_a_cancelling_question_is_not_a_yes(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").say("1").tap("ยืนยันสมัคร")
    u.say("ขอยกเลิกการสมัครตรวจสุขภาพประจำปี").expect("ใช่ไหมคะ")
    u.say("ยกเลิกกก")
    assert signup_of(db, U1, act.id).status == "confirmed"
