"""What the walk-throughs left open about sign-ups, as dialogues: requests typed at the sign-up's and the
contact-staff's yes/no questions, a companion added at how many, counts in words, "ยังไปอยู่ ไม่ยกเลิก", and a
mistyped cancel with an activity's name."""

from __future__ import annotations

import pytest

from tests.activities.test_chat import STAFF, U1, make_activity, signup_of  # noqa: F401 - the fixture
from tests.activities.test_chat_qa_walkthrough import _signed_up

__all__ = ["make_activity"]


def _at_summary(u, activity_id: int, party: str = "2 คน") -> None:
    u.postback(f"activity.signup?id={activity_id}").expect("ไปกี่คนคะ")
    u.tap(party).expect("ยืนยันการสมัครไหมคะ")


def test_showing_ones_sign_ups_at_the_sign_up_summary_answers_and_asks_again(chat, make_activity, db):
    walk = make_activity("เดินเร็วริมคลองลาดพร้าว")
    check = make_activity()
    u = chat(U1)
    _signed_up(db, U1, walk.id)
    _at_summary(u, check.id)
    u.say("ที่ฉันสมัครไว้").expect("คุณสมัครไว้ 1 กิจกรรม", "เดินเร็วริมคลองลาดพร้าว", "ยังรอคำตอบ", "จำนวน 2 คน",
                              "ยืนยันการสมัครไหมคะ")
    u.expect_not("แตะปุ่มด้านล่าง", "ออกจากขั้นตอนเดิมไหมคะ")
    assert "ยืนยันสมัคร" in u.quick_labels()
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, check.id).party_size == 2


def test_a_request_typed_at_the_sign_up_summary_is_done_after_the_answer(chat, make_activity, db):
    walk = make_activity("เดินเร็วริมคลองลาดพร้าว")
    check = make_activity()
    u = chat(U1)
    _signed_up(db, U1, walk.id)
    _at_summary(u, check.id)
    u.say("ขอยกเลิกเดินเร็วค่ะ").expect("ตอบแล้วจะทำเรื่อง “ขอยกเลิกเดินเร็วค่ะ” ต่อให้", "ยืนยันการสมัครไหมคะ")
    u.expect_not("แตะปุ่มด้านล่าง", "ออกจากขั้นตอนเดิมไหมคะ")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ", "ยกเลิกการสมัคร “เดินเร็วริมคลองลาดพร้าว”", "ใช่ไหมคะ")
    u.tap("ยืนยันยกเลิกสมัคร")
    assert signup_of(db, U1, check.id).status == "confirmed"
    assert signup_of(db, U1, walk.id).status == "cancelled"


def test_a_request_kept_at_the_sign_up_summary_is_said_not_done_when_it_is_left(chat, make_activity, db):
    walk = make_activity("เดินเร็วริมคลองลาดพร้าว")
    check = make_activity()
    u = chat(U1)
    _signed_up(db, U1, walk.id)
    _at_summary(u, check.id)
    u.say("ขอยกเลิกเดินเร็วค่ะ").expect("ตอบแล้วจะทำเรื่อง")
    u.say("ยกเลิก").expect("ออกจากการสมัครแล้วค่ะ", "(“ขอยกเลิกเดินเร็วค่ะ”) ยังไม่ได้ทำ").expect_not("ใช่ไหมคะ")
    assert signup_of(db, U1, check.id) is None
    assert signup_of(db, U1, walk.id).status == "confirmed"


DRAFT = "ถามเจ้าหน้าที่หน่อยค่ะ ตรวจน้ำตาลต้องงดอาหารไหม"


def test_requests_typed_at_the_contact_staff_question_are_answered_or_kept(chat, make_activity, db):
    walk = make_activity("เดินเร็วริมคลองลาดพร้าว")
    chat(STAFF, role="staff")
    u = chat(U1)
    _signed_up(db, U1, walk.id)
    u.say(DRAFT).expect("ส่งเลยไหมคะ")
    u.say("ที่ฉันสมัครไว้").expect("คุณสมัครไว้ 1 กิจกรรม", "เดินเร็วริมคลองลาดพร้าว", "ยังรอคำตอบ", "ส่งเลยไหมคะ")
    u.expect_not("แตะปุ่มด้านล่าง", "ออกจากขั้นตอนเดิมไหมคะ")
    u.say("ขอยกเลิกเดินเร็วค่ะ").expect("ตอบแล้วจะทำเรื่อง “ขอยกเลิกเดินเร็วค่ะ” ต่อให้", "ส่งเลยไหมคะ")
    u.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ", "ยกเลิกการสมัคร “เดินเร็วริมคลองลาดพร้าว”", "ใช่ไหมคะ")
    u.tap("ยืนยันยกเลิกสมัคร")
    assert signup_of(db, U1, walk.id).status == "cancelled"


def test_a_request_kept_at_the_contact_staff_question_is_said_not_done_when_it_is_left(chat, make_activity, db):
    from storage.models import ContactMessage

    walk = make_activity("เดินเร็วริมคลองลาดพร้าว")
    u = chat(U1)
    _signed_up(db, U1, walk.id)
    u.say(DRAFT).expect("ส่งเลยไหมคะ")
    u.say("ขอยกเลิกเดินเร็วค่ะ").expect("ตอบแล้วจะทำเรื่อง “ขอยกเลิกเดินเร็วค่ะ” ต่อให้")
    u.say("เมนู").expect("(“ขอยกเลิกเดินเร็วค่ะ”) ยังไม่ได้ทำ").expect_not("ใช่ไหมคะ")
    assert signup_of(db, U1, walk.id).status == "confirmed"
    with db.session(readonly=True) as s:
        assert s.query(ContactMessage).count() == 0


@pytest.mark.parametrize("said", ["เพิ่มลูกสาวค่ะ", "เพิ่มอีกคน", "ขอเพิ่มคุณแม่ไปด้วยค่ะ"])
def test_one_companion_added_at_how_many_counts_two(chat, make_activity, db, said):
    act = make_activity()
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").expect("ไปกี่คนคะ")
    u.say(said).expect("จำนวน 2 คน", "ยืนยันการสมัครไหมคะ").expect_not("ขอเป็นจำนวนคน", "ออกจากขั้นตอนเดิมไหมคะ")
    u.tap("ยืนยันสมัคร")
    assert signup_of(db, U1, act.id).party_size == 2


@pytest.mark.parametrize("said", ["เพิ่มลูกสาวค่ะ", "เพิ่มอีกคน", "พาสามีไปด้วย"])
def test_one_companion_added_at_the_new_head_count_is_one_more(chat, make_activity, db, said):
    act = make_activity()
    u = chat(U1)
    _signed_up(db, U1, act.id, party=2)
    u.say("ขอแก้จำนวนคน").expect("ตอนนี้สมัครไว้ 2 คน", "จะเปลี่ยนเป็นกี่คนคะ")
    u.say(said).expect("จาก 2 เป็น 3 คน").expect_not("ขอเป็นจำนวนคน", "ออกจากขั้นตอนเดิมไหมคะ")
    assert signup_of(db, U1, act.id).party_size == 3


def test_a_companion_added_at_the_summaries_counts_one_more(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    _at_summary(u, act.id, "1 คน")
    u.say("เพิ่มลูกสาวค่ะ").expect("จำนวน 2 คน", "ยืนยันการสมัครไหมคะ").expect_not("แตะปุ่มด้านล่าง")
    u.tap("ยืนยันสมัคร")
    assert signup_of(db, U1, act.id).party_size == 2
    u.say("ขอแก้จำนวนเป็น 4 คน").expect("จาก 2 เป็น 4 คน", "ใช่ไหมคะ")
    u.say("ไม่ใช่ค่ะ เพิ่มสามีค่ะ").expect("จาก 2 เป็น 3 คนแล้วค่ะ").expect_not("แตะปุ่มด้านล่าง")
    assert signup_of(db, U1, act.id).party_size == 3


@pytest.mark.parametrize(("said", "party"), [("ขอแก้จำนวนเป็นสอง", 2), ("สอง", 2), ("ไม่ใช่ค่ะ เป็นสองค่ะ", 2),
                                           ("๒", 2), ("ขอแก้เป็นสามนะคะ", 3)])
def test_a_head_count_in_words_at_the_change_question_is_taken(chat, make_activity, db, said, party):
    act = make_activity()
    u = chat(U1)
    _signed_up(db, U1, act.id)
    u.say("ขอเปลี่ยนเป็น 4 คน").expect("จาก 1 เป็น 4 คน", "ใช่ไหมคะ")
    u.say(said).expect(f"จาก 1 เป็น {party} คนแล้วค่ะ ✅").expect_not("แตะปุ่มด้านล่าง", "จาก 1 เป็น 4 คน")
    assert signup_of(db, U1, act.id).party_size == party


@pytest.mark.parametrize("said", ["ยังไปอยู่ ไม่ยกเลิกค่ะ", "ไม่ยกเลิกแล้วค่ะ ยังไปค่ะ"])
def test_still_going_not_cancelling_keeps_the_sign_up(chat, make_activity, db, said):
    act = make_activity()
    u = chat(U1)
    _signed_up(db, U1, act.id)
    u.say(said).expect("การสมัครยังอยู่เหมือนเดิม").expect_not("ใช่ไหมคะ", "ยกเลิกการสมัคร “")
    u.say("ใช่ค่ะ")
    assert signup_of(db, U1, act.id).status == "confirmed"
    u.say("ขอยกเลิกการสมัครตรวจสุขภาพประจำปี").expect("ใช่ไหมคะ")
    u.say(said).expect("ยังคงสมัครไว้เหมือนเดิม").expect_not("ยกเลิกการสมัคร “ตรวจสุขภาพประจำปี” แล้วค่ะ")
    assert signup_of(db, U1, act.id).status == "confirmed"


def test_a_mistyped_cancel_with_an_activitys_name_cancels_that_sign_up(chat, make_activity, db):
    eyes = make_activity("ตรวจตาและวัดสายตาผู้สูงอายุ")
    walk = make_activity("เดินเร็วริมคลองลาดพร้าว")
    u = chat(U1)
    _signed_up(db, U1, eyes.id)
    _signed_up(db, U1, walk.id)
    u.say("ยกลิกตรวจตา").expect("ยกเลิกการสมัคร “ตรวจตาและวัดสายตาผู้สูงอายุ”", "ใช่ไหมคะ")
    u.say("ใช่ค่ะ").expect("แล้วค่ะ")
    assert signup_of(db, U1, eyes.id).status == "cancelled"
    assert signup_of(db, U1, walk.id).status == "confirmed"
    u.say("ขอยกเลกเดินเร็วค่ะ").expect("ยกเลิกการสมัคร “เดินเร็วริมคลองลาดพร้าว”", "ใช่ไหมคะ")
    u.say("ไม่ยกเลิก")
    # An ordinary word is not a cancel: asking about the walk shows it, nothing is asked to cancel.
    u.say("ยกเว้นเดินเร็วค่ะ").expect_not("ยกเลิกการสมัคร “")
    assert signup_of(db, U1, walk.id).status == "confirmed"
