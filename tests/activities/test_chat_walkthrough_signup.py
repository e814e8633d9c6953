"""What the QA walk-through found about signing up and cancelling, as dialogues: a reason after a cancel, an
old cancel chip of an activity staff cancelled, an activity named beside a head count, signing up again with
more people, and a sign-up made for someone else."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import activities as svc
from bot.thaidate import now_utc
from storage.models import User
from tests.activities.test_chat import STAFF, U1, make_activity, signup_of  # noqa: F401 - the fixture
from tests.activities.test_chat_qa_walkthrough import _signed_up

__all__ = ["make_activity"]

YOGA = "โยคะยามเย็นผู้สูงอายุ"
AEROBICS = "แอโรบิกลานกีฬาชุมชน"
EYES = "ตรวจตาและวัดสายตาผู้สูงอายุ"


def _staff(db):
    from sqlalchemy import select

    with db.session(readonly=True) as s:
        return s.scalar(select(User).where(User.line_user_id == STAFF))


def _moved(db, harness, activity_id: int, days: int = 1) -> None:
    """Staff move the activity by `days` (everyone signed up is pushed the news, with the cancel chip)."""
    with db.session() as s:
        activity = svc.get_activity(s, activity_id)
        svc.reschedule(s, _staff(db), activity_id, activity.starts_at + timedelta(days=days),
                       activity.ends_at + timedelta(days=days), now=now_utc())
    harness.run_outbox()
    harness.wait()


def _cancelled_by_staff(db, harness, activity_id: int) -> None:
    with db.session() as s:
        svc.cancel_activity(s, _staff(db), activity_id, "วิทยากรไม่ว่าง", now=now_utc())
    harness.run_outbox()
    harness.wait()


def test_a_reason_after_a_cancel_is_a_reason_not_a_companion(chat, make_activity, db):
    eyes = make_activity(EYES)
    u = chat(U1)
    _signed_up(db, U1, eyes.id, party=2)
    u.say("ยกเลิกตรวจตาครับ ติดธุระ").expect(f"ยกเลิกการสมัคร “{EYES}”", "ใช่ไหมคะ").expect_not("เปลี่ยนจำนวน")
    u.say("ใช่ครับ").expect("แล้วค่ะ")
    assert signup_of(db, U1, eyes.id).status == "cancelled"


def test_a_reason_after_cancelling_yoga_still_names_yoga(chat, make_activity, db):
    yoga = make_activity(YOGA)
    aerobics = make_activity(AEROBICS)
    u = chat(U1)
    _signed_up(db, U1, yoga.id)
    _signed_up(db, U1, aerobics.id)
    u.say("ยกเลิกโยคะครับ ติดธุระ").expect(f"ยกเลิกการสมัคร “{YOGA}”", "ใช่ไหมคะ").expect_not("จะยกเลิกกิจกรรมไหนคะ")
    u.say("ใช่ครับ")
    assert signup_of(db, U1, yoga.id).status == "cancelled"
    assert signup_of(db, U1, aerobics.id).status == "confirmed"


def test_an_old_cancel_chip_of_an_activity_staff_cancelled_says_so(chat, make_activity, harness, db):
    yoga = make_activity(YOGA)
    chat(STAFF, role="staff")
    u = chat(U1)
    _signed_up(db, U1, yoga.id)
    _moved(db, harness, yoga.id)
    u.refresh().expect("แจ้งเลื่อนกิจกรรม")
    chip = u.find_action("ยกเลิกการสมัคร")
    _cancelled_by_staff(db, harness, yoga.id)
    u.refresh().expect("ถูกยกเลิกแล้ว")
    u.postback(chip["data"], display_text=chip.get("displayText"))
    u.expect("ถูกยกเลิกโดยเจ้าหน้าที่แล้วค่ะ").expect_not("ใช่ไหมคะ")
    u.say("ใช่จ้า").expect_not("ขอบคุณที่แจ้ง")
    # Typed, the same.
    u.say("ยกเลิกการสมัครโยคะยามเย็นค่ะ").expect("ถูกยกเลิกโดยเจ้าหน้าที่แล้วค่ะ").expect_not("ใช่ไหมคะ")


def test_signing_up_for_an_activity_staff_cancelled_says_so_and_offers_alike(chat, make_activity, harness, db):
    yoga = make_activity(YOGA)
    make_activity("โยคะเช้าริมคลอง")
    make_activity(EYES)
    chat(STAFF, role="staff")
    _cancelled_by_staff(db, harness, yoga.id)
    u = chat(U1)
    u.say("สมัครโยคะยามเย็นค่ะ").expect(f"“{YOGA}” ถูกยกเลิกแล้ว", "โยคะเช้าริมคลอง").expect_not(EYES)
    assert signup_of(db, U1, yoga.id) is None


@pytest.mark.parametrize("said", ["โยคะเหลือคนเดียวค่ะ", "โยคะเหลือ1คนค่ะ"])
def test_yoga_named_with_a_new_head_count_is_found(chat, make_activity, db, said):
    yoga = make_activity(YOGA)
    aerobics = make_activity(AEROBICS)
    u = chat(U1)
    _signed_up(db, U1, yoga.id, party=2)
    _signed_up(db, U1, aerobics.id, party=2)
    u.say(said).expect(f"“{YOGA}” จาก 2 เป็น 1 คน", "ใช่ไหมคะ").expect_not("จะแก้จำนวนคนของกิจกรรมไหนคะ")
    u.say("ใช่ค่ะ")
    assert signup_of(db, U1, yoga.id).party_size == 1
    assert signup_of(db, U1, aerobics.id).party_size == 2


def test_fewer_going_right_after_a_push_is_about_its_activity(chat, make_activity, harness, db):
    yoga = make_activity(YOGA)
    aerobics = make_activity(AEROBICS)
    chat(STAFF, role="staff")
    u = chat(U1)
    _signed_up(db, U1, yoga.id, party=2)
    _signed_up(db, U1, aerobics.id, party=2)
    _moved(db, harness, yoga.id)
    u.refresh().expect("แจ้งเลื่อนกิจกรรม")
    u.say("วันพฤหัสลูกสาวไปไม่ได้ค่ะ เหลือไปคนเดียว").expect(f"“{YOGA}” จาก 2 เป็น 1 คน", "ใช่ไหมคะ")
    u.say("ใช่ค่ะ")
    assert signup_of(db, U1, yoga.id).party_size == 1
    assert signup_of(db, U1, aerobics.id).party_size == 2


def test_an_activity_named_with_the_head_count_is_found(chat, make_activity, db):
    teeth = make_activity("ตรวจฟันเด็ก")
    make_activity(EYES)
    make_activity(AEROBICS)
    u = chat(U1)
    u.say("ขอพาลูกไปตรวจฟันครับ 2 คน").expect("“ตรวจฟันเด็ก”", "จำนวน 2 คน", "ยืนยันการสมัครไหมคะ")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, teeth.id).party_size == 2


def test_signing_up_again_with_more_people_offers_the_change(chat, make_activity, db):
    aerobics = make_activity(AEROBICS, starts=now_utc() + timedelta(days=1))
    make_activity(YOGA)
    u = chat(U1)
    _signed_up(db, U1, aerobics.id)
    u.say("อยากไปแอโรบิกพรุ่งนี้กับหลาน2คนค่ะ").expect(f"คุณสมัคร “{AEROBICS}” ไว้แล้วค่ะ (1 คน)",
                                                    f"“{AEROBICS}” จาก 1 เป็น 3 คน", "ใช่ไหมคะ")
    u.say("ใช่ค่ะ").expect("จาก 1 เป็น 3 คนแล้วค่ะ")
    assert signup_of(db, U1, aerobics.id).party_size == 3


def test_a_new_head_count_for_someone_else_going_alone_does_not_count_the_speaker(chat, make_activity, db):
    eyes = make_activity(EYES)
    u = chat(U1)
    _signed_up(db, U1, eyes.id, party=2)
    u.say("ตรวจตาเปลี่ยนเป็น๑คนครับ แม่ไปคนเดียว").expect("จาก 2 เป็น 1 คน (แม่ไปคนเดียว) ใช่ไหมคะ").expect_not("รวมตัวคุณเอง")
    u.say("ใช่ครับ")
    assert signup_of(db, U1, eyes.id).party_size == 1
