"""The bot in a LINE group: whose buttons are whose, answers without the bot's name, and nothing personal shown."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.thaidate import BKK, now_utc
from storage.models import Activity, Signup, User

GROUP = "C" + "g" * 32
SOMSRI, SOMCHAI = "U" + "a" * 32, "U" + "b" * 32


@pytest.fixture
def rum(db):
    """An activity open for sign-up, "รำไม้พลอง"."""
    starts = now_utc() + timedelta(days=3)
    with db.session() as s:
        activity = Activity(title="รำไม้พลอง", description="รำไม้พลองป้าบุญมี", place="ลานวัด", starts_at=starts,
                            ends_at=starts + timedelta(hours=1), capacity=10, signup_deadline=starts - timedelta(hours=2),
                            status="published")
        s.add(activity)
        s.flush()
        return activity.id


def signup_of(db, line_user_id: str) -> Signup | None:
    with db.session(readonly=True) as s:
        user = s.scalar(select(User).where(User.line_user_id == line_user_id))
        return s.scalar(select(Signup).where(Signup.user_id == user.id))


# --- 3. the check-in code is sent one-to-one --------------------------------------------------------

def test_signing_up_in_a_group_confirms_there_and_sends_the_code_one_to_one(chat, harness, db, rum):
    """The code (and QR) was shown to the whole group."""
    own = chat(SOMSRI, name="สมศรี").say("สวัสดีค่ะ")  # she has the bot as a friend: a one-to-one chat
    in_group = chat(SOMSRI, group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("2 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMSRI).checkin_code
    in_group.expect("ลงทะเบียนให้คุณสมศรีสำเร็จค่ะ 🎉", "“รำไม้พลอง”", "จำนวน 2 คน",
                    "ส่งรหัสเช็คอินไปที่แชตส่วนตัวกับ “ร่วมกัน” แล้วนะคะ").expect_not(code)
    assert not any(m["type"] == "image" for m in in_group.last)
    harness.run_outbox()
    own.refresh().expect("ลงทะเบียนสำเร็จค่ะ", "“รำไม้พลอง”", f"รหัสเช็คอิน: {code}")
    in_group.refresh().expect_quiet()  # nothing more in the group
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").expect("คุณสมศรีสมัคร “รำไม้พลอง” ไว้แล้วค่ะ (2 คน)",
                                                  "รหัสเช็คอินดูได้ในแชตส่วนตัว").expect_not(code)


def test_someone_met_only_in_the_group_is_asked_to_open_a_one_to_one_chat(chat, harness, db, rum):
    in_group = chat(SOMCHAI, name="สมชาย", group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("1 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMCHAI).checkin_code
    in_group.expect("ลงทะเบียนให้คุณสมชายสำเร็จค่ะ", "เพิ่ม “ร่วมกัน” เป็นเพื่อน",
                    "พิมพ์ “รหัสเช็คอินของฉัน” ในแชตส่วนตัว").expect_not(code, "ส่งรหัสเช็คอินไปที่แชตส่วนตัว")
    harness.run_outbox()
    assert not harness.messages_to(SOMCHAI)  # no push to someone the bot cannot reach
    chat(SOMCHAI).say("รหัสเช็คอินของฉัน").expect(code)


def test_arriving_said_in_a_group_shows_no_code_there(chat, harness, db):
    """"เช็คอินค่ะ มาถึงแล้ว" on the day showed the code and its QR to the group."""
    at = datetime.combine(now_utc().astimezone(BKK).date() + timedelta(days=1), time(9), tzinfo=BKK)
    harness.set_clock(at)
    with db.session() as s:
        s.add(Activity(title="รำไม้พลอง", description="รำไม้พลอง", place="ลานวัด", starts_at=at + timedelta(hours=1),
                       ends_at=at + timedelta(hours=2), capacity=10, status="published"))
    chat(SOMSRI).say("สวัสดีค่ะ")
    in_group = chat(SOMSRI, group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("1 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMSRI).checkin_code
    in_group.say("@ร่วมกัน เช็คอินค่ะ มาถึงแล้ว").expect("ข้อมูลส่วนตัว").expect_not(code)
    chat(SOMSRI).say("เช็คอินค่ะ มาถึงแล้ว").expect(code)  # one-to-one: shown


def test_changing_how_many_go_in_a_group_does_not_show_the_code(chat, db, rum):
    chat(SOMSRI).say("สวัสดีค่ะ")
    in_group = chat(SOMSRI, group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("1 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMSRI).checkin_code
    in_group.say("@ร่วมกัน ขอเปลี่ยนเป็น 3 คน")
    in_group.tap("ใช่")
    in_group.expect("จาก 1 เป็น 3 คนแล้วค่ะ", "รหัสเช็คอินเดิม ใช้ได้ทุกคนในกลุ่มนะคะ").expect_not(code)
