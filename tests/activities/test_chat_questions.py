"""Everyday questions about one activity, by its name or right after its card or one's sign-ups."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.thaidate import now_utc
from storage.models import Activity

U1 = "U" + "5" * 32


@pytest.fixture
def make_activity(db):
    def make(title: str, description: str = "ออกกำลังกายเบาๆ", days: float = 3,
             topic: str | None = "physical_activity", place: str = "ลานวัด") -> Activity:
        starts: datetime = now_utc() + timedelta(days=days)
        with db.session() as s:
            activity = Activity(title=title, description=description, place=place, starts_at=starts,
                                ends_at=starts + timedelta(hours=1), capacity=20, topic=topic,
                                signup_deadline=starts - timedelta(hours=2), status="published")
            s.add(activity)
        return activity

    return make


@pytest.fixture
def exercise(make_activity):
    make_activity("แอโรบิกยามเช้าผู้สูงอายุ", "เต้นแอโรบิกเบา ๆ ใส่ชุดสบาย ๆ และพกน้ำมาด้วยนะคะ", place="ลานอเนกประสงค์")
    make_activity("โยคะสำหรับผู้สูงวัย", "โยคะเบา ๆ เตรียมเสื่อมาเองนะคะ", days=4, place="ศาลาชุมชน")
    make_activity("รำไม้พลองเพื่อสุขภาพ", days=5)
    make_activity("เดินเร็วริมคลอง", days=6)
    make_activity("ยางยืดเพื่อสุขภาพ", days=7)


def test_a_question_naming_an_activity_gets_its_card(chat, exercise):
    u = chat(U1)
    u.say("โยคะวันไหนนะคะ").expect("รายละเอียด โยคะสำหรับผู้สูงวัย", "ศาลาชุมชน").expect_not("ยังตอบไม่ได้")
    u.say("แอโรบิกจัดที่ไหน").expect("รายละเอียด แอโรบิกยามเช้าผู้สูงอายุ", "ลานอเนกประสงค์") \
        .expect_not("5 รายการ", "รำไม้พลอง")
    u.say("ไปแอโรบิกต้องเสียเงินไหม").expect("รายละเอียด แอโรบิกยามเช้าผู้สูงอายุ", "ไม่ได้บอกเรื่องค่าใช้จ่าย") \
        .expect_not("ยังตอบไม่ได้")
    u.say("มีกิจกรรมออกกำลังกายที่ไหนบ้าง").expect("5 รายการ")  # a list asked for is still the list


def test_a_question_without_a_name_is_about_the_card_or_sign_up_just_shown(chat, exercise):
    u = chat(U1)
    u.say("สมัครแอโรบิก").tap("1 คน").tap("ยืนยันสมัคร").expect("สำเร็จ")
    u.say("ที่ฉันสมัครไว้").expect("แอโรบิกยามเช้าผู้สูงอายุ")
    u.say("ไปกี่โมงนะคะ").expect("รายละเอียด แอโรบิกยามเช้าผู้สูงอายุ").expect_not("ยังช่วยไม่ได้", "ยังตอบไม่ได้")
    u.say("โยคะจัดที่ไหน").expect("รายละเอียด โยคะสำหรับผู้สูงวัย")
    u.say("ต้องเตรียมอะไรไปบ้างคะ").expect("รายละเอียด โยคะสำหรับผู้สูงวัย", "เตรียมเสื่อ") \
        .expect_not("ช่วยอะไรได้บ้าง")


def test_no_activity_of_that_name_is_said_so(chat, make_activity):
    make_activity("แอโรบิกยามเช้าผู้สูงอายุ")
    chat(U1).say("โยคะวันไหนนะคะ").expect("ยังไม่มีกิจกรรม “โยคะ”", "แอโรบิกยามเช้าผู้สูงอายุ") \
        .expect_not("ยังตอบไม่ได้")


def test_cancel_one_then_sign_up_for_another_in_one_message(chat, exercise):
    """"ยกเลิกแอโรบิก แล้วสมัครโยคะแทนค่ะ" cancelled, and the sign-up for yoga was dropped."""
    u = chat(U1)
    u.say("สมัครแอโรบิก").tap("1 คน").tap("ยืนยันสมัคร").expect("สำเร็จ")
    u.say("ยกเลิกแอโรบิก แล้วสมัครโยคะแทนค่ะ").expect("ยกเลิกการสมัคร “แอโรบิกยามเช้าผู้สูงอายุ”", "ขอทำทีละเรื่อง",
                                                    "“สมัครโยคะแทน”")
    u.tap("ยืนยันยกเลิกสมัคร").expect("ยกเลิกการสมัคร “แอโรบิกยามเช้าผู้สูงอายุ” แล้วค่ะ")
    u.tap("สมัครโยคะแทน").expect("โยคะสำหรับผู้สูงวัย", "ไปกี่คนคะ")


def test_a_kind_of_activity_asked_about_is_still_its_list(chat, exercise, make_activity):
    make_activity("ตรวจสุขภาพไรเดอร์", topic="emerging")
    make_activity("ตรวจตาผู้สูงอายุ", topic="emerging")
    u = chat(U1)
    u.say("ออกกำลังกายจัดที่ไหน").expect("5 รายการ").expect_not("ยังไม่มีกิจกรรม “ออกกำลังกาย”")
    u.say("ตรวจสุขภาพจัดที่ไหน").expect_not("รายละเอียด ตรวจ")  # a kind with two of them: not one's card
    u.say("โยคะจัดที่ไหน").expect("รายละเอียด โยคะสำหรับผู้สูงวัย")
    u.say("กิจกรรมวันไหนบ้าง").expect_not("รายละเอียด โยคะ")  # a list asked for, not the card just seen
