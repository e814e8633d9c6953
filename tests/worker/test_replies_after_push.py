"""What residents type right after the bot or staff wrote to them (a QA walk-through): read as the answer
to that push, not lost in an open journey, "ยังไม่แน่ใจ…", or a "ยินดีค่ะ"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services import ideas, reminders
from bot.thaidate import now_utc
from storage.models import ContactMessage, Idea, Signup, User
from tests.worker.helpers import make_activity, sign_up

STAFF = "U" + "a" * 32
RES1 = "U" + "b" * 32
HOME = "ชุมชนร่วมใจพัฒนา"


def _remind(harness, user_id: str, title: str = "ตรวจวัดความดันโลหิต") -> int:
    """A sign-up whose 2-hour reminder is sent now; returns the activity's id."""
    now = now_utc()
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == user_id))
        activity = make_activity(s, now + timedelta(hours=2) - timedelta(minutes=1), title=title)
        sign_up(s, activity, user)
        reminders.queue_activity_reminders(s, now)
        activity_id = activity.id
    harness.run_outbox()
    return activity_id


def _signup_status(harness, activity_id: int) -> str:
    with harness.db.session(readonly=True) as s:
        return s.scalar(select(Signup.status).where(Signup.activity_id == activity_id))


def test_cannot_go_typed_after_a_reminder_mid_journey_is_about_the_reminder_and_the_journey_waits(chat, harness):
    """R4 was at the project's title when the reminder came: "ไปไม่ได้แล้วค่ะ ขอยกเลิก" became the title."""
    r1 = chat(RES1, community=HOME)
    r1.say("เสนอโครงการ").expect("โครงการชื่ออะไรคะ")
    activity_id = _remind(harness, RES1)
    r1.refresh().expect("อีก 2 ชั่วโมงมีกิจกรรมค่ะ")
    r1.say("ไปไม่ได้แล้วค่ะ ขอยกเลิก").expect("ยกเลิกการสมัคร “ตรวจวัดความดันโลหิต”", "ขั้นตอนเสนอโครงการ")
    r1.expect_not("ประเด็นสุขภาพ")
    assert "กลับไปทำต่อ" in r1.quick_labels()
    r1.say("ใช่ค่ะ").expect("ยกเลิกการสมัคร “ตรวจวัดความดันโลหิต” แล้วค่ะ")
    assert _signup_status(harness, activity_id) == "cancelled"
    r1.tap("กลับไปทำต่อ").expect("กลับมาที่ขั้นตอนเสนอโครงการค่ะ", "โครงการชื่ออะไรคะ")
    r1.say("ลานออกกำลังกายผู้สูงอายุ").expect("ประเด็น")


def test_the_cancel_question_beside_a_journey_can_be_declined_and_the_title_still_read(chat, harness):
    r1 = chat(RES1, community=HOME)
    r1.say("เสนอโครงการ")
    activity_id = _remind(harness, RES1)
    r1.refresh().say("ไปวัดความดันไม่ได้แล้วค่ะ").expect("ยกเลิกการสมัคร “ตรวจวัดความดันโลหิต” เลยไหมคะ")
    r1.tap("ไม่ยกเลิก").expect("ยังคงสมัครไว้เหมือนเดิม", "ขั้นตอนเสนอโครงการที่ทำค้างไว้ยังอยู่")
    assert _signup_status(harness, activity_id) == "confirmed"
    r1.say("ลานออกกำลังกายผู้สูงอายุ").expect("ประเด็น")  # the open question reads the next answer


def test_a_title_typed_after_the_reminder_is_still_the_title(chat, harness):
    r1 = chat(RES1, community=HOME)
    r1.say("เสนอโครงการ")
    _remind(harness, RES1)
    r1.refresh().say("ลานออกกำลังกายผู้สูงอายุ").expect("ประเด็น").expect_not("ยกเลิกการสมัคร")


def test_cannot_go_naming_the_activity_loosely_after_a_reminder_offers_to_cancel_it(chat, harness):
    """Outside any journey: "ไปวัดความดันไม่ได้แล้วค่ะ" → "ยังไม่แน่ใจ…" (plain "ไปไม่ได้ค่ะ" worked)."""
    r1 = chat(RES1)
    with harness.db.session() as s:  # a second sign-up, so "the only one" cannot be the reason
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        sign_up(s, make_activity(s, now_utc() + timedelta(days=3), title="รำไม้พลอง"), user)
    _remind(harness, RES1)
    r1.refresh().say("ไปวัดความดันไม่ได้แล้วค่ะ").expect("ยกเลิกการสมัคร “ตรวจวัดความดันโลหิต”", "ใช่ไหมคะ")
    r1.expect_not("ยังไม่แน่ใจ")


def test_a_message_right_after_staff_answered_goes_to_staff_as_a_follow_up(chat, harness):
    """Staff asked for a phone number; the number typed back got "ยินดีค่ะ 😊" and never reached staff."""
    staff = chat(STAFF, role="staff")
    resident = chat(RES1, name="มาลี", community=HOME)
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("ไฟทางเดินในซอยดับค่ะ")
    harness.run_outbox()
    staff.refresh().tap("ตอบกลับ").say("รับเรื่องแล้วค่ะ ขอเบอร์โทรด้วยค่ะ")
    harness.run_outbox()
    resident.refresh().expect("ขอเบอร์โทรด้วยค่ะ")
    resident.say("๐๘๖-๗๗๗-๘๘๘๘ ค่ะ ขอบคุณมากนะคะ").expect("เจ้าหน้าที่เพิ่งตอบคุณมา", "๐๘๖-๗๗๗-๘๘๘๘")
    assert {"ส่งเลย", "ไม่ส่ง"} <= set(resident.quick_labels())
    resident.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("ข้อความต่อจากคุณมาลี", "๐๘๖-๗๗๗-๘๘๘๘")
    staff.say("ข้อความรอตอบ").expect("๐๘๖-๗๗๗-๘๘๘๘")


def test_the_follow_up_can_be_kept_back_and_plain_thanks_is_just_thanks(chat, harness):
    staff = chat(STAFF, role="staff")
    resident = chat(RES1, name="มาลี", community=HOME)
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("ไฟทางเดินในซอยดับค่ะ")
    harness.run_outbox()
    staff.refresh().tap("ตอบกลับ").say("รับเรื่องแล้วค่ะ")
    harness.run_outbox()
    resident.refresh().say("ขอบคุณมากนะคะ").expect("ยินดีค่ะ").expect_not("เจ้าหน้าที่เพิ่งตอบคุณมา")
    resident.say("พรุ่งนี้ช่างเข้ามากี่โมงคะ").expect("เจ้าหน้าที่เพิ่งตอบคุณมา")
    resident.tap("ไม่ส่ง").expect("ไม่ส่งค่ะ")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(ContactMessage).where(ContactMessage.text.like("%ช่าง%"))) is None


def _sent_back(harness, user_id: str) -> int:
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == user_id))
        staff = s.scalar(select(User).where(User.line_user_id == STAFF))
        idea = ideas.submit(s, user, title="ลานออกกำลังกายผู้สูงอายุ", problem="ไม่มีที่ออกกำลังกาย")
        ideas.move(s, idea, staff, "under_review")
        ideas.move(s, idea, staff, "needs_revision", reason="ขอทราบสถานที่จัดให้ชัดเจนค่ะ")
        idea_id = idea.id
    harness.run_outbox()
    return idea_id


def test_words_typed_after_an_idea_was_sent_back_are_offered_as_the_answer_to_the_reviewer(chat, harness):
    """After "ขอให้ปรับแก้": "หลังวัดลาดพร้าวค่ะ ที่ดินของวัด เจ้าอาวาสอนุญาตแล้ว" → "ยังไม่แน่ใจ…"."""
    staff = chat(STAFF, role="staff")
    leader = chat(RES1, role="leader", community=HOME)
    idea_id = _sent_back(harness, RES1)
    leader.refresh().expect("ขอให้ปรับแก้", "ขอทราบสถานที่จัดให้ชัดเจน")
    leader.say("หลังวัดลาดพร้าวค่ะ ที่ดินของวัด เจ้าอาวาสอนุญาตแล้ว").expect(
        "เป็นคำตอบเรื่องที่ขอให้ปรับแก้โครงการ “ลานออกกำลังกายผู้สูงอายุ”", "เจ้าอาวาสอนุญาตแล้ว")
    leader.tap("ส่งเป็นคำตอบ").expect("ส่งข้อความถึงเจ้าหน้าที่พร้อมโครงการ")
    with harness.db.session(readonly=True) as s:
        assert s.get(Idea, idea_id).status == "under_review"
    harness.run_outbox()  # no field named: staff see the words, not an edit
    staff.refresh().expect("ผู้เสนอตอบกลับ", "ไม่มีการแก้ไขข้อมูล มีข้อความจากผู้เสนอ", "เจ้าอาวาสอนุญาตแล้ว")


def test_asking_staff_with_the_message_in_the_same_line_prefills_it(chat, harness):
    staff = chat(STAFF, role="staff")
    resident = chat(RES1, community=HOME)
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ แม่ป่วยติดเตียง อยากให้มีคนมาเยี่ยมบ้าน").expect(
        "“แม่ป่วยติดเตียง อยากให้มีคนมาเยี่ยมบ้าน”", "ส่งเลยไหมคะ")
    resident.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    resident.say("ถามเจ้าหน้าที่หน่อยค่ะ ตรวจน้ำตาลต้องงดอาหารก่อนไหม").expect(
        "“ตรวจน้ำตาลต้องงดอาหารก่อนไหม”").tap("ส่งเลย")
    harness.run_outbox()
    staff.refresh().expect("ตรวจน้ำตาลต้องงดอาหารก่อนไหม")
    resident.say("ขอคุยกับเจ้าหน้าที่หน่อยค่ะ").expect("พิมพ์ข้อความถึงเจ้าหน้าที่ได้เลยค่ะ")


def test_a_question_the_bot_cannot_answer_goes_to_staff_without_typing_it_again(chat, harness):
    staff = chat(STAFF, role="staff")
    resident = chat(RES1, community=HOME)
    resident.say("ตรวจวัดความดันต้องงดน้ำงดอาหารไหมคะ").expect("ไม่ต้องพิมพ์ใหม่")
    resident.tap("ถามเจ้าหน้าที่").expect("“ตรวจวัดความดันต้องงดน้ำงดอาหารไหมคะ”", "ส่งเลยไหมคะ")
    resident.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("ตรวจวัดความดันต้องงดน้ำงดอาหารไหมคะ")


def test_a_photo_sent_to_staff_is_asked_to_be_told_in_words(chat, harness):
    chat(STAFF, role="staff")
    resident = chat(RES1, community=HOME)
    resident.say("ติดต่อเจ้าหน้าที่").send("image").expect("พิมพ์เล่าเป็นคำแทน")


def test_cannot_go_after_a_freed_seat_mid_journey_offers_to_give_it_back(chat, harness):
    """"ข่าวดีค่ะ 🎉 มีที่ว่างแล้ว" came while writing to staff: "ไม่ว่างแล้วค่ะ" is about the seat, not the message."""
    from bot.services import activities as svc

    r1 = chat(RES1, community=HOME)
    other = chat("U" + "d" * 32)
    with harness.db.session() as s:
        me = s.scalar(select(User).where(User.line_user_id == RES1))
        them = s.scalar(select(User).where(User.line_user_id == other.user_id))
        activity = make_activity(s, now_utc() + timedelta(days=2), title="โยคะยามเช้า")
        activity.capacity = 1
        sign_up(s, activity, them)
        sign_up(s, activity, me, status="waitlisted")
        activity_id = activity.id
    r1.say("ติดต่อเจ้าหน้าที่").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")
    with harness.db.session() as s:
        svc.cancel_signup(s, s.scalar(select(User).where(User.line_user_id == other.user_id)), activity_id,
                          now=now_utc())
    harness.run_outbox()
    r1.refresh().expect("มีที่ว่างแล้ว")
    r1.say("ตอนนี้ไม่ว่างแล้วค่ะ ขอยกเลิกนะคะ").expect("ยกเลิกการสมัคร “โยคะยามเช้า” เลยไหมคะ")
    r1.tap("ยืนยันยกเลิกสมัคร").expect("ยกเลิกการสมัคร “โยคะยามเช้า” แล้วค่ะ", "ส่งข้อความถึงเจ้าหน้าที่ที่ทำค้างไว้")
    with harness.db.session(readonly=True) as s:
        mine = s.scalar(select(Signup).join(User, User.id == Signup.user_id).where(User.line_user_id == RES1))
        assert mine.status == "cancelled"
    r1.tap("กลับไปทำต่อ").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")


def test_going_or_thanks_after_a_push_is_acknowledged_and_the_journey_kept(chat, harness):
    r1 = chat(RES1, community=HOME)
    _remind(harness, RES1)
    r1.refresh().say("ไปค่ะ").expect("แล้วพบกันที่ “ตรวจวัดความดันโลหิต”").expect_not("ยังไม่แน่ใจ")
    r1.say("เสนอโครงการ").expect("โครงการชื่ออะไรคะ")
    _remind(harness, RES1, title="รำไม้พลอง")
    r1.refresh().say("รับทราบค่ะ ขอบคุณนะคะ").expect("แล้วพบกันที่ “รำไม้พลอง”", "ขั้นตอนเสนอโครงการที่ทำค้างไว้ยังอยู่")
    r1.tap("กลับไปทำต่อ").expect("โครงการชื่ออะไรคะ")


def test_the_answer_chip_under_staff_answer_sends_a_follow_up_of_it(chat, harness):
    staff = chat(STAFF, role="staff")
    resident = chat(RES1, name="มาลี", community=HOME)
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("ไฟทางเดินในซอยดับค่ะ")
    harness.run_outbox()
    staff.refresh().tap("ตอบกลับ").say("ซอยไหนคะ")
    harness.run_outbox()
    resident.refresh().tap("ตอบกลับเจ้าหน้าที่").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")
    resident.say("ซอย 5 ค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("ข้อความต่อจากคุณมาลี", "“ซอยไหนคะ”", "ซอย 5")


def test_thanks_for_an_idea_news_mid_journey_is_not_the_answer_to_the_step(chat, harness):
    chat(STAFF, role="staff")
    leader = chat(RES1, role="leader", community=HOME)
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        staff = s.scalar(select(User).where(User.line_user_id == STAFF))
        idea = ideas.submit(s, user, title="ลานออกกำลังกายผู้สูงอายุ", problem="ไม่มีที่ออกกำลังกาย")
    leader.say("เสนอโครงการ").expect("โครงการชื่ออะไรคะ")
    with harness.db.session() as s:
        ideas.move(s, idea.id, s.get(User, staff.id), "under_review")
    harness.run_outbox()
    leader.refresh().expect("อยู่ระหว่างการพิจารณา")
    leader.say("ขอบคุณมากค่ะ").expect("ยินดีค่ะ", "ขั้นตอนเสนอโครงการที่ทำค้างไว้ยังอยู่").expect_not("ประเด็น")
    leader.tap("กลับไปทำต่อ").expect("โครงการชื่ออะไรคะ")


def test_cancelling_another_sign_up_by_name_after_a_reminder_cancels_that_one(chat, harness):
    r1 = chat(RES1, community=HOME)
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        sign_up(s, make_activity(s, now_utc() + timedelta(days=3), title="รำไม้พลอง"), user)
    r1.say("เสนอโครงการ")
    _remind(harness, RES1)
    r1.refresh().say("ขอยกเลิกรำไม้พลองค่ะ").expect("ยกเลิกการสมัคร “รำไม้พลอง” เลยไหมคะ")


def _staff_answered(chat, harness, answer: str = "รับเรื่องแล้วค่ะ"):
    """A resident wrote to staff and staff answered: (staff, resident) chats, the answer just received."""
    staff = chat(STAFF, role="staff")
    resident = chat(RES1, name="มาลี", community=HOME)
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("ไฟทางเดินในซอยดับค่ะ")
    harness.run_outbox()
    staff.refresh().tap("ตอบกลับ").say(answer)
    harness.run_outbox()
    resident.refresh().expect(answer)
    return staff, resident


def _messages_to_staff(harness) -> list[str]:
    with harness.db.session(readonly=True) as s:
        return list(s.scalars(select(ContactMessage.text).order_by(ContactMessage.id)))


def test_requests_typed_after_staff_answered_are_requests_not_messages_to_staff(chat, harness):
    """QA: after staff answered, "ตรวจความดันวันนี้ ไป 2 คนค่ะ" → "ยืนยัน", "ขอเปลี่ยนเป็น 3 คน" → "ใช่", "ไม่ส่ง" all went
    to staff as follow-ups ("เจ้าหน้าที่เพิ่งตอบคุณมาค่ะ…"); no sign-up was made."""
    with harness.db.session() as s:
        activity_id = make_activity(s, now_utc() + timedelta(hours=5), title="ตรวจวัดความดันโลหิต").id
    _, resident = _staff_answered(chat, harness)
    resident.say("ตรวจความดันวันนี้ ไป 2 คนค่ะ").expect("สรุปการสมัคร", "จำนวน 2 คน").expect_not("เจ้าหน้าที่เพิ่งตอบ")
    resident.say("ยืนยัน").expect("ลงทะเบียนสำเร็จ")
    resident.say("ขอเปลี่ยนเป็น 3 คน").expect("จาก 2 เป็น 3 คน").expect_not("เจ้าหน้าที่เพิ่งตอบ")
    resident.say("ใช่").expect("เป็น 3 คนแล้วค่ะ")
    resident.say("ไม่ส่ง").expect_not("เจ้าหน้าที่เพิ่งตอบ", "ส่งข้อความถึงเจ้าหน้าที่แล้ว")
    with harness.db.session(readonly=True) as s:
        signup = s.scalar(select(Signup).where(Signup.activity_id == activity_id))
        assert signup is not None and signup.status == "confirmed" and signup.party_size == 3
    assert _messages_to_staff(harness) == ["ไฟทางเดินในซอยดับค่ะ"]


def test_a_follow_up_is_sent_once_per_answer(chat, harness):
    """Once a follow-up went to staff, what comes next is not offered again for the same answer."""
    _, resident = _staff_answered(chat, harness)
    resident.say("พรุ่งนี้ช่างเข้ามากี่โมงคะ").expect("เจ้าหน้าที่เพิ่งตอบคุณมา")
    resident.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    resident.say("แล้วต้องอยู่บ้านรอไหมคะ").expect_not("เจ้าหน้าที่เพิ่งตอบคุณมา")
    assert _messages_to_staff(harness) == ["ไฟทางเดินในซอยดับค่ะ", "พรุ่งนี้ช่างเข้ามากี่โมงคะ"]


def test_words_typed_hours_after_staff_answered_are_not_taken_for_a_follow_up(chat, harness):
    _, resident = _staff_answered(chat, harness)
    harness.set_clock(now_utc() + timedelta(hours=3))
    resident.say("พรุ่งนี้ช่างเข้ามากี่โมงคะ").expect_not("เจ้าหน้าที่เพิ่งตอบคุณมา")


def test_a_menu_tap_at_a_follow_up_offered_unasked_opens_the_menu_item(chat, harness):
    """QA: "กิจกรรม" tapped got "จะออกจากขั้นตอนนี้ไหม" about a message to staff the resident never asked to write."""
    with harness.db.session() as s:
        make_activity(s, now_utc() + timedelta(days=2), title="โยคะยามเช้า")
    _, resident = _staff_answered(chat, harness)
    resident.say("พรุ่งนี้ช่างเข้ามากี่โมงคะ").expect("เจ้าหน้าที่เพิ่งตอบคุณมา")
    resident.say("กิจกรรม").expect("โยคะยามเช้า").expect_not("ออกจากขั้นตอนเดิม")
    resident.say("ขอบคุณค่ะ")
    assert _messages_to_staff(harness) == ["ไฟทางเดินในซอยดับค่ะ"]


@pytest.mark.parametrize("said", ["ออกเลย", "ทำต่อ", "ทำต่อค่ะ", "กลับไปทำต่อ", "ย้อนกลับ", "ไม่ส่ง", "ส่งเลย", "ใช่ค่ะ",
                                  "ไม่ใช่", "เป็นคำตอบ", "ไม่ยกเลิก", "ยืนยันสมัคร", "ที่ฉันสมัครไว้", "แก้ข้อความ"])
def test_button_words_and_short_answers_after_staff_answered_are_never_offered_to_staff(chat, harness, said):
    """QA: "ออกเลย" typed within two hours of staff's answer → "“ออกเลย” ส่งเลยไหมคะ"."""
    _, resident = _staff_answered(chat, harness)
    resident.say(said).expect_not("เจ้าหน้าที่เพิ่งตอบคุณมา", f"“{said}”\n\nส่งเลยไหมคะ")
    assert _messages_to_staff(harness) == ["ไฟทางเดินในซอยดับค่ะ"]


@pytest.mark.parametrize("left_with", ["ยกเลิก", "ไม่ส่ง"])
def test_a_follow_up_not_sent_leaves_the_next_real_one_still_offered(chat, harness, left_with):
    """QA: after "ยกเลิก" at an offer, "ต้องเอาบัตรประชาชนไปไหมครับ" was no longer offered ("once" was used up)."""
    _, resident = _staff_answered(chat, harness)
    resident.say("พรุ่งนี้ช่างเข้ามากี่โมงคะ").expect("เจ้าหน้าที่เพิ่งตอบคุณมา")
    resident.say(left_with).expect_not("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ ✅", "เจ้าหน้าที่เพิ่งตอบคุณมา")
    resident.say("ต้องเอาบัตรประชาชนไปไหมครับ").expect("เจ้าหน้าที่เพิ่งตอบคุณมา", "ต้องเอาบัตรประชาชนไปไหมครับ")
    resident.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    assert _messages_to_staff(harness) == ["ไฟทางเดินในซอยดับค่ะ", "ต้องเอาบัตรประชาชนไปไหมครับ"]
