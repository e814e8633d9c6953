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


def test_a_mistyped_cancel_at_a_cancelling_question_is_not_a_yes(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    # The summary's own "ไม่สมัครแล้ว" chip, typed, still answers it (not read as leaving the journey).
    u.say("กิจกรรม").tap("สมัคร").say("2").expect("ยืนยันการสมัครไหมคะ")
    u.say("ไม่สมัครแล้ว").expect_not("ออกจากการสมัครแล้วค่ะ", "ออกจากขั้นตอนเดิมไหมคะ")
    assert signup_of(db, U1, act.id) is None
    u.say("กิจกรรม").tap("สมัคร").say("1").tap("ยืนยันสมัคร")
    u.say("ขอยกเลิกการสมัครตรวจสุขภาพประจำปี").expect("ใช่ไหมคะ")
    u.say("ยกเลิกกก")
    assert signup_of(db, U1, act.id).status == "confirmed"


def _signed_up(db, line_user_id: str, activity_id: int, party: int = 1) -> None:
    from sqlalchemy import select

    from bot.services import activities as svc
    from bot.thaidate import now_utc
    from storage.models import User

    with db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == line_user_id))
        svc.signup(s, user, activity_id, party, now=now_utc())


def test_cancelling_an_activity_not_signed_up_for_never_offers_another(chat, make_activity, db):
    visit = make_activity("เยี่ยมบ้านผู้สูงอายุติดบ้าน")
    make_activity("ตรวจตาและวัดสายตาผู้สูงอายุ")
    u = chat(U1)
    _signed_up(db, U1, visit.id)
    u.say("ไม่ไปแล้วค่ะ ยกเลิกตรวจตา").expect(
        "คุณไม่ได้สมัคร “ตรวจตาและวัดสายตาผู้สูงอายุ” ไว้ค่ะ", "เยี่ยมบ้านผู้สูงอายุติดบ้าน"
    ).expect_not("ใช่ไหมคะ")
    u.say("ใช่ค่ะ")
    assert signup_of(db, U1, visit.id).status == "confirmed"
    # Naming the one signed up for still goes straight to the question.
    u.say("ไม่ไปแล้วค่ะ ยกเลิกเยี่ยมบ้าน").expect("ยกเลิกการสมัคร “เยี่ยมบ้านผู้สูงอายุติดบ้าน”", "ใช่ไหมคะ")


def test_naming_another_activity_at_the_head_count_switches_the_sign_up_to_it(chat, make_activity, db):
    aerobics = make_activity("แอโรบิกลานกีฬาชุมชน")
    staff_dance = make_activity("รำไม้พลองผู้สูงอายุ")
    u = chat(U1)
    u.say("สมัครแอโรบิกค่ะ").expect("“แอโรบิกลานกีฬาชุมชน”", "ไปกี่คนคะ")
    u.say("เอ๊ะ ไม่เอาแอโรบิกแล้ว เอารำไม้พลองแทน").expect(
        "เปลี่ยนเป็น “รำไม้พลองผู้สูงอายุ” แทนนะคะ", "“รำไม้พลองผู้สูงอายุ”\nไปกี่คนคะ"
    ).expect_not("ขอเป็นจำนวนคน")
    u.say("2").expect("“รำไม้พลองผู้สูงอายุ”", "จำนวน 2 คน")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, staff_dance.id).party_size == 2
    assert signup_of(db, U1, aerobics.id) is None


@pytest.fixture
def caregiver_choice(make_activity):
    """An eye check, two other check-ups and a brisk walk, as in the demo data."""
    return {title: make_activity(title, capacity=capacity) for title, capacity in (
        ("ตรวจตาและวัดสายตาผู้สูงอายุ", 4), ("ตรวจสุขภาพไรเดอร์และหาบเร่", 80),
        ("ตรวจวัดความดันและน้ำตาลในเลือด", 60), ("เดินเร็วริมคลองลาดพร้าว", 30))}


@pytest.mark.parametrize("said", ["สมัครตรวจตาให้แม่ค่ะ", "ขอลงชื่อตรวจตาให้แม่ค่ะ แม่อายุ78"])
def test_signing_up_for_mother_goes_straight_to_the_activity_and_asks_who_goes(chat, caregiver_choice, db, said):
    eyes = caregiver_choice["ตรวจตาและวัดสายตาผู้สูงอายุ"]
    u = chat(U1)
    u.say(said).expect("“ตรวจตาและวัดสายตาผู้สูงอายุ”", "สมัครให้แม่นะคะ", "ถ้าคุณไปด้วยแตะ “2 คน”")
    u.expect_not("กิจกรรมที่จะมาถึง")
    u.tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, eyes.id).party_size == 1


def test_taking_mother_along_is_two_people(chat, caregiver_choice, db):
    u = chat(U1)
    u.say("อยากพาแม่ไปตรวจตาค่ะ").expect("“ตรวจตาและวัดสายตาผู้สูงอายุ”", "จำนวน 2 คน", "ยืนยันการสมัครไหมคะ")


def test_a_head_count_alone_keeps_to_the_activity_just_seen(chat, caregiver_choice, db):
    eyes = caregiver_choice["ตรวจตาและวัดสายตาผู้สูงอายุ"]
    u = chat(U1)
    u.say("ตรวจตา").expect("รายละเอียด ตรวจตาและวัดสายตาผู้สูงอายุ")
    u.say("ไป2คนค่ะ หนูกับแม่").expect("“ตรวจตาและวัดสายตาผู้สูงอายุ”", "จำนวน 2 คน").expect_not("ยังตอบไม่ได้")
    u.tap("ยืนยันสมัคร")
    assert signup_of(db, U1, eyes.id).party_size == 2


def test_a_kind_of_check_up_with_a_count_unspaced_offers_the_choices_with_the_count(chat, caregiver_choice):
    u = chat(U1)
    u.say("ตรวจสุขภาพ2คน").expect("มี 3 กิจกรรมที่ตรงกับที่พิมพ์มาค่ะ").expect_not("รายละเอียด ตรวจสุขภาพไรเดอร์")
    u.tap("สมัคร").expect("จำนวน 2 คน")


def test_a_daughter_coming_along_offers_one_more_on_the_sign_up(chat, caregiver_choice, db):
    walk = caregiver_choice["เดินเร็วริมคลองลาดพร้าว"]
    u = chat(U1)
    _signed_up(db, U1, walk.id)
    u.say("ลูกสาวจะไปด้วยค่ะ").expect("“เดินเร็วริมคลองลาดพร้าว” จาก 1 เป็น 2 คน").expect_not("กิจกรรมที่จะมาถึง")
    u.say("ใช่ค่ะ")
    assert signup_of(db, U1, walk.id).party_size == 2


def test_the_first_on_the_waitlist_passed_over_for_a_smaller_party_is_told_why(chat, make_activity, harness, db):
    act = make_activity(capacity=2)
    U2, U3 = "U" + "2" * 32, "U" + "3" * 32
    first = chat(U1)
    first.say("กิจกรรม").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    pair = chat(U2)
    pair.say("กิจกรรม").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร").expect("ลำดับที่ 1")
    single = chat(U3)
    single.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลำดับที่ 2")
    first.say("ขอเปลี่ยนเป็น 1 คน").say("ใช่ค่ะ")
    assert signup_of(db, U1, act.id).party_size == 1
    harness.run_outbox()
    harness.wait()
    single.refresh().expect("ข่าวดีค่ะ 🎉")
    pair.refresh().expect("มีที่ว่าง 1 ที่ใน “ตรวจสุขภาพประจำปี” แต่ไม่พอสำหรับ 2 คนที่คุณลงชื่อไว้",
                          "ส่งต่อให้คนถัดไป", "รอในลำดับเดิม")
    assert signup_of(db, U2, act.id).status == "waitlisted"


def test_a_party_too_big_for_the_seats_freed_is_offered_to_go_with_fewer(chat, make_activity, harness, db):
    act = make_activity(capacity=2)
    U2 = "U" + "2" * 32
    first = chat(U1)
    first.say("กิจกรรม").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร")
    pair = chat(U2)
    pair.say("กิจกรรม").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร").expect("ลำดับที่ 1")
    first.say("ขอเปลี่ยนเป็น 1 คน").say("ใช่ค่ะ")
    harness.run_outbox()
    harness.wait()
    pair.refresh().expect("มีที่ว่าง 1 ที่", "ไป 1 คนไหมคะ")
    pair.tap("แก้จำนวนคน").say("1").say("ใช่ค่ะ")
    row = signup_of(db, U2, act.id)
    assert (row.status, row.party_size) == ("confirmed", 1)


def test_the_activity_list_asked_at_a_pending_question_is_shown_there(chat, make_activity, db):
    check_up = make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร")
    make_activity("รำไม้พลองผู้สูงอายุ")
    u.say("ขอยกเลิกการสมัครตรวจสุขภาพประจำปี").expect("ใช่ไหมคะ")
    for said in ("กิจกรรม", "มีกิจกรรมอะไรบ้าง"):
        u.say(said).expect("กิจกรรมที่จะมาถึง 2 รายการ", "รำไม้พลองผู้สูงอายุ", "ยังรอคำตอบ", "ใช่ไหมคะ")
        u.expect_not("ตอบแล้วจะทำ")
        assert u.quick_labels() == ["ยืนยันยกเลิกสมัคร", "ไม่ยกเลิก"]
    # Only showing too: one's check-in codes.
    u.say("รหัสเช็คอิน").expect(signup_of(db, U1, check_up.id).checkin_code, "ยังรอคำตอบ")
    # A sign-up read from the same words is a journey: kept for after the answer, as before.
    u.say("อยากสมัครรำไม้พลองค่ะ").expect("ตอบแล้วจะทำเรื่อง “อยากสมัครรำไม้พลองค่ะ” ต่อให้")
    u.say("ไม่ยกเลิก").expect("“รำไม้พลองผู้สูงอายุ”", "ไปกี่คนคะ")
    assert signup_of(db, U1, check_up.id).status == "confirmed"


@pytest.mark.parametrize("said", ["ไม่ยกเลิกค่ะ", "ไม่ยกเลิก", "ไม่ยกเลิกนะคะ ยังไปอยู่"])
def test_saying_do_not_cancel_keeps_the_sign_up_and_asks_nothing(chat, make_activity, db, said):
    act = make_activity()
    u = chat(U1)
    _signed_up(db, U1, act.id)
    u.say(said).expect("ได้ค่ะ การสมัครยังอยู่เหมือนเดิมนะคะ").expect_not("ใช่ไหมคะ", "ยกเลิกการสมัคร “")
    assert "ที่ฉันสมัครไว้" in u.quick_labels()
    u.say("ใช่ค่ะ")
    assert signup_of(db, U1, act.id).status == "confirmed"


@pytest.mark.parametrize(("said", "party"), [("เพิ่มอีกคนค่ะ", 2), ("ขอเพิ่มเป็น ๒ คน", 2), ("ขอเป็น 3 คนค่ะ", 3),
                                           ("เพิ่มอีก 2 คนค่ะ", 3), ("ไม่ใช่ค่ะ ไป 3 คน", 3),
                                           ("หลานสาวก็จะตามไปด้วย 1 คน", 2)])
def test_a_head_count_typed_at_the_party_change_question_answers_it(chat, caregiver_choice, db, said, party):
    walk = caregiver_choice["เดินเร็วริมคลองลาดพร้าว"]
    u = chat(U1)
    _signed_up(db, U1, walk.id)
    u.say("ลูกสาวจะไปด้วยค่ะ").expect("จาก 1 เป็น 2 คน (รวมตัวคุณเอง) ใช่ไหมคะ")
    u.say(said).expect(f"จาก 1 เป็น {party} คนแล้วค่ะ ✅").expect_not("ออกจากขั้นตอนเดิมไหมคะ", "แตะปุ่มด้านล่าง")
    assert signup_of(db, U1, walk.id).party_size == party



@pytest.mark.parametrize("said", ["ลูกสาวจะไปด้วยค่ะ", "สามีไปด้วยค่ะ", "คุณแม่จะตามไปด้วยนะคะ"])
def test_one_companion_said_at_how_many_counts_two(chat, make_activity, db, said):
    act = make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").expect("ไปกี่คนคะ")
    u.say(said).expect("จำนวน 2 คน", "ยืนยันการสมัครไหมคะ").expect_not("ออกจากขั้นตอนเดิมไหมคะ")
    u.tap("ยืนยันสมัคร")
    assert signup_of(db, U1, act.id).party_size == 2


def test_another_activity_with_companions_at_how_many_resets_who_goes(chat, caregiver_choice, db):
    walk = caregiver_choice["เดินเร็วริมคลองลาดพร้าว"]
    u = chat(U1)
    u.say("สมัครตรวจตาให้แม่ค่ะ").expect("ไปกี่คนคะ")
    u.say("อยากไปเดินเร็วกับสามีและลูกสาวค่ะ").expect("“เดินเร็วริมคลองลาดพร้าว”", "จำนวน 3 คน").expect_not("แม่")
    u.tap("ยืนยันสมัคร")
    assert signup_of(db, U1, walk.id).party_size == 3
