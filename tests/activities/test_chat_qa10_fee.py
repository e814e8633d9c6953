"""The fee, QA walk-through: a fee change reaches those signed up (as a place change does) and is on their cards;
a cost question typed mid-sign-up is answered and the same step asked again; one ค่ะ in a sentence; the summary
says the fee per person; staff told an edit changes nothing, and the help lists the fee."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.thaidate import BKK, now_utc
from storage.models import Activity, Signup, User

STAFF = "U" + "9" * 32
U1, U2 = "U" + "1" * 32, "U" + "2" * 32


def _typed_day(day: datetime) -> str:
    return f"{day.day}/{day.month}/{day.year + 543}"


@pytest.fixture
def make_activity(db):
    def make(title: str, fee: int | None, days: float = 3) -> Activity:
        starts = now_utc() + timedelta(days=days)
        with db.session() as s:
            activity = Activity(title=title, description="ออกกำลังกายเบาๆ", place="ลานวัด", starts_at=starts,
                                ends_at=starts + timedelta(hours=1), capacity=20, fee_baht=fee, status="published")
            s.add(activity)
        return activity

    return make


def party_of(db, line_user_id: str, activity_id: int) -> int | None:
    with db.session(readonly=True) as s:
        row = s.scalar(select(Signup).join(User, User.id == Signup.user_id)
                       .where(User.line_user_id == line_user_id, Signup.activity_id == activity_id,
                              Signup.status == "confirmed"))
        return row.party_size if row else None


def test_a_fee_change_is_pushed_to_everyone_signed_up_and_shown_on_their_cards(chat, make_activity, harness, db):
    """Staff changed the fee and only staff knew: participants got nothing (a place change is pushed)."""
    act = make_activity("ยางยืดเพื่อสุขภาพ", 20)
    chat(U1).say("กิจกรรม").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    chat(U2).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff = chat(STAFF, role="staff")
    staff.say(f"แก้กิจกรรม {act.id} | ค่าสมัคร 50 บาท").expect("ค่าสมัคร: 20 บาท → 50 บาท",
                                                             "จะแจ้งค่าสมัครใหม่ให้ผู้สมัคร 2 คนทันที")
    staff.tap("ยืนยัน").expect("แก้ไขกิจกรรมแล้วค่ะ ✅ (ค่าสมัคร)", "แจ้งค่าสมัครใหม่ให้ผู้สมัคร 2 รายแล้ว")
    harness.run_outbox()
    harness.wait()
    u1 = chat(U1).refresh()
    u1.expect("แจ้งเปลี่ยนค่าสมัครค่ะ 💰 กิจกรรม “ยางยืดเพื่อสุขภาพ”", "ค่าสมัคร: 50 บาทต่อคน (เดิม 20 บาทต่อคน)")
    assert "ยกเลิกการสมัคร" in u1.quick_labels()  # dearer: leaving the seat is one tap
    u1.say("ที่ฉันสมัครไว้").expect("💰 ค่าสมัคร 50 บาท")
    # Taken back to "not stated": nobody is told anything new.
    staff.say(f"แก้กิจกรรม {act.id} | ค่าสมัคร ไม่ระบุ").expect_not("จะแจ้ง").tap("ยืนยัน").expect_not("แจ้งค่าสมัคร")


def test_a_cost_question_mid_sign_up_is_answered_and_the_step_asked_again(chat, make_activity, db):
    """At "ไปกี่คนคะ", "ค่าสมัครเท่าไหร่คะ" offered to leave (the sign-up lost after ออกเลย) and "ฟรีไหมคะ" asked for a
    number; at the summary "เสียเงินไหมคะ" got "แตะปุ่มด้านล่าง…"."""
    act = make_activity("ยางยืดเพื่อสุขภาพ", 20)
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").expect("ไปกี่คนคะ")
    u.say("ค่าสมัครเท่าไหร่คะ").expect("“ยางยืดเพื่อสุขภาพ” มีค่าสมัคร 20 บาทค่ะ", "ไปกี่คนคะ")
    u.expect_not("ออกจากขั้นตอน")
    u.say("ฟรีไหมคะ").expect("“ยางยืดเพื่อสุขภาพ” ไม่ฟรี มีค่าสมัคร 20 บาทค่ะ", "ไปกี่คนคะ").expect_not("ขอเป็นจำนวนคน")
    u.tap("2 คน").expect("จำนวน 2 คน\nค่าสมัคร: 20 บาทต่อคน\n", "ยืนยันการสมัครไหมคะ")
    u.say("เสียเงินไหมคะ").expect("มีค่าสมัคร 20 บาทค่ะ", "ยืนยันการสมัครไหมคะ").expect_not("แตะปุ่มด้านล่าง")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert party_of(db, U1, act.id) == 2


def test_a_free_activitys_summary_names_the_fee_as_a_paid_ones_does(chat, make_activity):
    make_activity("โยคะสำหรับผู้สูงวัย", 0)
    chat(U1).say("กิจกรรม").tap("สมัคร").tap("1 คน").expect("จำนวน 1 คน\nค่าสมัคร: ฟรี\n")


def test_staff_told_an_edit_changes_nothing_and_the_fee_in_the_help(chat, make_activity, db):
    """“ค่าสมัคร ฟรี” on a free activity asked “ค่าสมัคร: ฟรี → ฟรี ยืนยันไหมคะ”."""
    act = make_activity("โยคะสำหรับผู้สูงวัย", 0)
    staff = chat(STAFF, role="staff")
    staff.say("คำสั่งกิจกรรม").expect("| ค่าสมัคร 20 บาท")
    staff.say(f"แก้กิจกรรม {act.id} | ค่าสมัคร ฟรี").expect("เป็นแบบนี้อยู่แล้วค่ะ", "ค่าสมัคร: ฟรี", "ไม่มีอะไรต้องแก้")
    staff.expect_not("ยืนยันไหมคะ", "→")
    staff.say(f"แก้กิจกรรม {act.id} | ค่าสมัคร ฟรี | ที่นั่ง 30").expect("ที่นั่ง: 20 → 30").expect_not("ฟรี → ฟรี")


def test_a_fee_changed_mid_form_is_said_without_a_stray_space(chat):
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("โยคะ").say(f"{_typed_day(day)} 07:00-08:00").say("สวน").tap("20 ที่")
    staff.say("ฟรีค่ะ").expect("แก้ค่าสมัครเป็น ฟรีแล้วค่ะ ✅", "ชุมชนไหนคะ")
