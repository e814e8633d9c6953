"""Small things on sign-up cards and staff's times: the cancel button only while cancelling is accepted, an hour
range said with น. once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.thaidate import BKK, MONTHS_SHORT, now_utc
from nlp.dates import find_time
from storage.models import Activity
from tests.support.chat import actions_in

RESIDENT = "U" + "4" * 32
STAFF = "U" + "8" * 32


def _labels(c) -> list[str]:
    return [a.get("label") for m in c.last for a in actions_in(m)]


def test_the_cancel_button_is_gone_once_the_activity_has_started(chat, harness, db):
    starts = now_utc() + timedelta(hours=5)
    with db.session() as s:
        s.add(Activity(title="แอโรบิกยามเช้าผู้สูงอายุ", description="เต้นเบา ๆ", place="ลานวัด", starts_at=starts,
                       ends_at=starts + timedelta(hours=2), capacity=40, topic="physical_activity",
                       signup_deadline=starts - timedelta(hours=2), status="published"))
    u = chat(RESIDENT)
    u.say("สมัครแอโรบิก 1 คน").tap("ยืนยันสมัคร").expect("สำเร็จ")
    u.say("ที่ฉันสมัครไว้")
    assert "ยกเลิกการสมัคร" in _labels(u)
    harness.set_clock(starts + timedelta(minutes=30))
    u.say("ที่ฉันสมัครไว้").expect("แอโรบิกยามเช้าผู้สูงอายุ")
    assert "ยกเลิกการสมัคร" not in _labels(u)  # the service refuses it now: no button that only says so


def test_an_hour_range_with_na_said_once_starts_at_the_first_hour(chat, db):
    day = (now_utc() + timedelta(days=5)).astimezone(BKK)
    staff = chat(STAFF, role="staff")
    staff.say(f"เพิ่มกิจกรรม โยคะ | {day.day} {MONTHS_SHORT[day.month - 1]} 16-18 น. | ลานวัด | 20")
    staff.expect("16:00–18:00").expect_not("18:00–20:00")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้วค่ะ")
    with db.session(readonly=True) as s:
        act = s.scalar(select(Activity).where(Activity.title == "โยคะ"))
        assert (act.starts_at.astimezone(BKK).hour, act.ends_at.astimezone(BKK).hour) == (16, 18)
    assert find_time("15 ธ.ค. 16-18 น.")[1].hour == 16  # the time a sentence gives is the start
