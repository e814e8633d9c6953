"""Requests said the way residents say them: a greeting in front, day words, a reason after, English words."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.thaidate import now_utc
from storage.models import Activity

U1 = "U" + "4" * 32


@pytest.fixture
def make_activity(db):
    def make(title: str = "รำไม้พลองผู้สูงอายุ", starts: datetime | None = None, capacity: int = 10,
             topic: str | None = "physical_activity") -> Activity:
        starts = starts or now_utc() + timedelta(days=3)
        with db.session() as s:
            activity = Activity(title=title, description="ออกกำลังกายเบาๆ", place="ลานวัด", starts_at=starts,
                                ends_at=starts + timedelta(hours=1), capacity=capacity, topic=topic,
                                signup_deadline=starts - timedelta(hours=2), status="published")
            s.add(activity)
        return activity

    return make


def test_a_greeting_in_front_does_not_hide_the_request(chat, make_activity):
    make_activity("รำไม้พลองผู้สูงอายุ")
    make_activity("ตรวจสุขภาพประจำปี", topic="emerging")
    u = chat(U1)
    u.say("สวัสดีค่ะ อยากสมัครรำไม้พลองค่ะ").expect("รำไม้พลองผู้สูงอายุ", "ไปกี่คนคะ").expect_not("วันนี้ให้ช่วยอะไรดีคะ")
    u.say("ยกเลิก")
    u.say("สวัสดีจ้า ป้าอยากไปตรวจสุขภาพ").expect("ตรวจสุขภาพประจำปี").expect_not("วันนี้ให้ช่วยอะไรดีคะ")
    u.say("หวัดดีค่ะ ขอคุยกับเจ้าหน้าที่หน่อย").expect_not("วันนี้ให้ช่วยอะไรดีคะ")
    u.say("ยกเลิก")
    u.say("สวัสดีค่ะ").expect("วันนี้ให้ช่วยอะไรดีคะ")  # a greeting alone is still greeted
    u.say("สวัสดีค่ะ ป้าแดงจากซอยสามนะคะ").expect("วันนี้ให้ช่วยอะไรดีคะ")  # and so is small talk after one
