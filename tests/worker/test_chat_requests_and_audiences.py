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


def test_a_new_announcement_typed_while_using_a_request_asks_first_then_starts_over(chat, harness):
    """At "ใช้ข้อความนี้", "ประกาศถึงผู้สูงอายุว่า…" became the text, still to the leader's community."""
    staff, _leader = _request(chat, harness)
    staff.tap("ประกาศข้อความนี้").expect("ใช้ข้อความนี้")
    staff.say("ประกาศถึงแกนนำชุมชนว่า ประชุมแกนนำวันจันทร์นี้ค่ะ").expect("ออกจากขั้นตอนเดิมไหมคะ")
    staff.expect_not("แนบรูปหรือปุ่มลิงก์")
    staff.tap("ออกเลย").expect("ร่างจากข้อความที่พิมพ์ถึงผู้ใช้บทบาทแกนนำชุมชน", "ประชุมแกนนำวันจันทร์นี้")
    staff.tap("ใช้ข้อความนี้").tap("ไม่ต้อง").tap("ส่งเลย").expect("ถึง: ผู้ใช้บทบาทแกนนำชุมชน (1 คน)")
    staff.expect_not("สมาชิกชุมชนโชคชัย 4")


def test_one_line_announcements_to_an_activitys_people_or_a_group_that_is_no_audience(chat, harness):
    from datetime import timedelta

    from bot.thaidate import now_utc
    from storage.models import User
    from tests.worker.helpers import make_activity, sign_up

    staff = chat(STAFF, role="staff")
    chat(RES1, community=HOME)
    with harness.db.session() as s:
        activity = make_activity(s, now_utc() + timedelta(days=3), title="โยคะผู้สูงอายุ")
        sign_up(s, activity, s.query(User).filter_by(line_user_id=RES1).one())
        number = activity.id
    staff.say(f"ประกาศถึงผู้สมัครกิจกรรม {number} ว่า ให้นำเสื่อมาเองนะคะ").expect(
        "ร่างจากข้อความที่พิมพ์ถึงผู้ลงทะเบียนกิจกรรม “โยคะผู้สูงอายุ”", "ให้นำเสื่อมาเอง").expect_not("ยังไม่แน่ใจ")
    staff.tap("ใช้ข้อความนี้").tap("ไม่ต้อง").tap("ส่งเลย").expect("ถึง: ผู้ลงทะเบียนกิจกรรม “โยคะผู้สูงอายุ” (1 คน)")
    staff.say("ยกเลิก")
    # A target group is not an audience: said politely, the text kept, the audiences there are asked.
    staff.say("ประกาศถึงผู้สูงอายุว่า มีฉีดวัคซีนไข้หวัดใหญ่ฟรี").expect(
        "ยังส่งประกาศถึง “ผู้สูงอายุ” โดยตรงไม่ได้ค่ะ", "ผู้ลงทะเบียนกิจกรรม", "มีฉีดวัคซีนไข้หวัดใหญ่ฟรี")
    staff.expect_not("ยังไม่แน่ใจ")
    staff.tap("ใช้ข้อความนี้").tap("ไม่ต้อง").expect("ส่งถึงใครคะ")
    # A leader saying the same asks the staff to announce to their community.
    leader = chat(LEADER, role="leader", community=HOME)
    leader.say("ประกาศถึงผู้สูงอายุว่า มีฉีดวัคซีนไข้หวัดใหญ่ฟรี").expect("ส่งโดยเจ้าหน้าที่เขต", "มีฉีดวัคซีนไข้หวัดใหญ่ฟรี")


def test_two_communities_at_the_community_step_are_said_to_be_one_at_a_time(chat, harness):
    chat(RES1, community=HOME)
    chat("U" + "f" * 32, community="ชุมชนลาดพร้าว 101")
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("พรุ่งนี้มีรถเก็บขยะชิ้นใหญ่ค่ะ").tap("ไม่ต้อง").tap("ชุมชน").expect("ชุมชนไหน")
    staff.say("โชคชัย4 กับ ลาดพร้าว101").expect("ประกาศหนึ่งส่งได้ทีละชุมชนค่ะ").expect_not("ส่งเมื่อไร")
    assert {"ชุมชนโชคชัย 4", "ชุมชนลาดพร้าว 101"} <= set(staff.quick_labels())
    staff.tap("ชุมชนโชคชัย 4").expect("ส่งเมื่อไร")
