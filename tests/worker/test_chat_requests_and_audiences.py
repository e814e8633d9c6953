"""A leader's request to announce as staff act on it, and announcements typed in one line to any audience."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Broadcast

STAFF = "U" + "a" * 32
LEADER = "U" + "d" * 32
RES1 = "U" + "b" * 32
HOME = "ชุมชนโชคชัย 4"


def _request(chat, harness, text: str = "ขอให้ช่วยประกาศถึงลูกบ้านว่าเสาร์นี้มีตรวจสุขภาพฟรีค่ะ"):
    staff = chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", name="L1", community=HOME)
    leader.say(text).tap("ส่งให้เจ้าหน้าที่").expect("ส่งคำขอประกาศถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh()
    return staff, leader


def test_staff_typing_the_chips_words_announce_the_request(chat, harness):
    """"ประกาศข้อความนี้" typed opened the privacy menu; it is the chip's journey, for the newest request."""
    # Nothing waiting: said so, no privacy menu.
    chat("U" + "e" * 32, role="staff").say("ประกาศข้อความนี้ค่ะ").expect("ไม่มีคำขอประกาศที่รอเจ้าหน้าที่อยู่")
    staff, _leader = _request(chat, harness)
    staff.say("ประกาศข้อความนี้").expect("คำขอให้ประกาศถึงสมาชิกชุมชนโชคชัย 4", "เสาร์นี้มีตรวจสุขภาพฟรี")
    staff.expect_not("นโยบาย", "ถอนความยินยอม")
    assert "ใช้ข้อความนี้" in staff.quick_labels()


def test_the_waiting_list_has_a_button_to_announce_a_request(chat, harness):
    staff, _leader = _request(chat, harness)
    staff.say("ข้อความรอตอบ").expect("ขอให้ช่วยประกาศถึงชุมชนโชคชัย 4")
    assert {"ตอบคุณL1", "📣ประกาศคุณL1"} <= set(staff.quick_labels())
    staff.tap("📣ประกาศคุณL1").expect("คำขอให้ประกาศถึงสมาชิกชุมชนโชคชัย 4", "เสาร์นี้มีตรวจสุขภาพฟรี")


def test_a_leader_taking_back_a_request_staff_scheduled_is_told_when_and_how_to_stop_it(chat, harness):
    staff, leader = _request(chat, harness)
    staff.tap("ประกาศข้อความนี้").tap("ใช้ข้อความนี้").tap("ไม่ต้อง").say("พรุ่งนี้ 8 โมงเช้า")
    staff.tap("ยืนยันส่ง").expect("ตั้งเวลาประกาศ #")
    with harness.db.session(readonly=True) as s:
        row = s.scalar(select(Broadcast))
    leader.say("ถอนคำขอประกาศ").expect("เจ้าหน้าที่ตั้งเวลาส่งประกาศที่คุณขอไว้แล้วค่ะ", "น.", "ติดต่อเจ้าหน้าที่",
                                     f"ประกาศ #{row.id}")
    leader.expect_not("ไม่มีคำขอประกาศที่รอเจ้าหน้าที่อยู่")
    leader.postback("contact.withdraw?m=1").expect("เจ้าหน้าที่ตั้งเวลาส่งประกาศที่คุณขอไว้แล้วค่ะ")
    # Once staff cancel it, nothing is scheduled any more.
    staff.say(f"ยกเลิกประกาศ #{row.id}").tap("ยกเลิกประกาศ")
    leader.say("ถอนคำขอประกาศ").expect("ไม่มีคำขอประกาศที่รอเจ้าหน้าที่อยู่")
