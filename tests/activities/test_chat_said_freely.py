"""Requests said the way residents say them: a greeting in front, day words, a reason after, English words."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.thaidate import BKK, MONTHS_LONG, MONTHS_SHORT, format_date, now_utc
from storage.models import Activity, Signup, User

U1 = "U" + "4" * 32


def signup_of(db, line_user_id: str, activity_id: int) -> Signup | None:
    with db.session(readonly=True) as s:
        user = s.scalar(select(User).where(User.line_user_id == line_user_id))
        return s.scalar(select(Signup).where(Signup.user_id == user.id, Signup.activity_id == activity_id))


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


STAFF = "U" + "8" * 32


def _thai_day(day: datetime) -> str:
    return f"{day.day} {MONTHS_SHORT[day.month - 1]}"


def test_staff_times_said_in_words(chat):
    """The date step of "เพิ่มกิจกรรม": the end of next month, an evening end hour, an end past midnight."""
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("รำไม้พลองยามเย็น").expect("จัดวันไหน")
    staff.say("มะรืน 5 โมงเย็น ถึง 6 โมงครึ่ง").expect("จัดที่ไหนคะ").expect_not("ต้องหลังเวลาเริ่ม")
    staff.say("ย้อนกลับ").expect("จัดวันไหน")
    late = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say(f"{_thai_day(late)} 4 ทุ่ม ถึง เที่ยงคืนครึ่ง").expect("จัดที่ไหนคะ")
    staff.say("ย้อนกลับ").expect("จัดวันไหน")
    staff.say("สิ้นเดือนหน้าค่ะ 7 โมงเช้าถึง 8 โมง").say("ลานวัด").tap("30 ที่").tap("ทั้งเขต")
    today = now_utc().astimezone(BKK).date()
    y, m = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    last = date(y, m, calendar.monthrange(y, m)[1])
    staff.expect(format_date(last), "07:00–08:00")


def test_staff_evening_span_and_past_midnight_are_kept(chat, db):
    staff = chat(STAFF, role="staff")
    late = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("เดินเร็วส่งท้ายปี").say(f"{_thai_day(late)} 4 ทุ่ม ถึง เที่ยงคืนครึ่ง")
    staff.say("ลานวัด").tap("30 ที่").tap("ทั้งเขต").tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    with db.session(readonly=True) as s:
        act = s.scalar(select(Activity).where(Activity.title == "เดินเร็วส่งท้ายปี"))
        start, end = act.starts_at.astimezone(BKK), act.ends_at.astimezone(BKK)
    assert (start.date(), start.hour) == (late.date(), 22)
    assert (end.date(), end.hour, end.minute) == (late.date() + timedelta(days=1), 0, 30)


def test_a_range_asked_for_filters_the_list(chat, make_activity):
    soon = make_activity("รำไม้พลองผู้สูงอายุ", starts=now_utc() + timedelta(days=2))
    u = chat(U1)
    u.say("ปีหน้ามีกิจกรรมอะไรบ้าง").expect("ยังไม่มีกิจกรรม ช่วง", "กิจกรรมที่ใกล้ที่สุด", soon.title)
    u.say("อีก 2 อาทิตย์มีกิจกรรมอะไรบ้าง").expect("ยังไม่มีกิจกรรม ช่วง", "กิจกรรมที่ใกล้ที่สุด")
    in_two_weeks = make_activity("ตรวจสุขภาพประจำปี", starts=now_utc() + timedelta(days=14), topic="emerging")
    u.say("อีก 2 อาทิตย์มีกิจกรรมอะไรบ้าง").expect(in_two_weeks.title).expect_not(soon.title, "ใกล้ที่สุด")
    month = (now_utc() + timedelta(days=14)).astimezone(BKK).month
    u.say(f"เดือน{MONTHS_LONG[month - 1]}มีกิจกรรมไหม").expect(in_two_weeks.title)


def test_questions_about_her_own_sign_ups(chat, make_activity, db):
    tomorrow = make_activity("รำไม้พลองผู้สูงอายุ", starts=now_utc() + timedelta(days=1))
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    make_activity("ตรวจสุขภาพประจำปี", starts=now_utc() + timedelta(days=4), topic="emerging")
    with db.session(readonly=True) as s:
        code = s.scalar(select(Signup.checkin_code).where(Signup.activity_id == tomorrow.id))
    start = tomorrow.starts_at.astimezone(BKK)
    u.say("พรุ่งนี้ป้าต้องไปกี่โมงนะ").expect("รำไม้พลองผู้สูงอายุ", f"{start:%H:%M}", code)
    u.expect_not("ยังช่วยไม่ได้")
    u.say("รหัสเช็คอินของป้าคืออะไรนะ ลืมไปแล้ว").expect(f"รหัสเช็คอิน {code}").expect_not("เลือกเมนูได้เลย")
    u.say("มะรืนป้าต้องไปกี่โมงนะ").expect("คุณไม่ได้สมัครกิจกรรมไว้ค่ะ", "รำไม้พลองผู้สูงอายุ")


COMPLAINT = "ขยะล้นถังหน้าบ้าน เหม็นมาก ยุงเยอะ ใครดูแลคะ แจ้งใครได้บ้าง"


def test_a_community_complaint_can_go_to_the_staff(chat, harness):
    staff = chat(STAFF, role="staff")
    u = chat(U1)
    u.say(COMPLAINT).expect("ส่งต่อให้เจ้าหน้าที่เขต", "ขยะล้นถังหน้าบ้าน", "ส่งเลยไหมคะ").expect_not("ยังช่วยไม่ได้")
    u.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("ข้อความถึงเจ้าหน้าที่", "ขยะล้นถังหน้าบ้าน")


def test_a_very_long_complaint_is_sent_whole_in_parts(chat, harness):
    staff = chat(STAFF, role="staff")
    story = ("ซอยบ้านป้ามีน้ำเน่าขังมาหลายเดือนแล้ว ท่อระบายน้ำอุดตัน ยุงลายเยอะมาก เด็กในซอยเป็นไข้เลือดออกไปสองคน "
             * 40)[:3480]
    u = chat(U1)
    u.say(story).expect("ส่งเลยไหมคะ", "4 ส่วน").expect_not("ยังช่วยไม่ได้")
    u.say("ส่งเลยค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("(1/4)", "(4/4)")


def test_asking_staff_a_question_in_one_go(chat, harness):
    staff = chat(STAFF, role="staff")
    u = chat(U1)
    u.say("อยากถามเจ้าหน้าที่ว่าต้องมีใบเสนอราคาประกอบไหมครับ")
    u.expect("ต้องมีใบเสนอราคาประกอบไหม", "ส่งเลยไหมคะ").expect_not("เลือกเมนูได้เลย")
    u.tap("แก้ข้อความ").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")
    u.say("โครงการปลูกผักต้องมีใบเสนอราคาประกอบไหมครับ").expect("โครงการปลูกผัก", "ส่งเลยไหมคะ")
    u.tap("ส่งเลย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("โครงการปลูกผักต้องมีใบเสนอราคาประกอบไหมครับ")
    u.say("ถามเจ้าหน้าที่ว่ามีกิจกรรมวันหยุดไหม").tap("ไม่ส่ง").expect("ยังไม่ถึงเจ้าหน้าที่")


def test_what_the_bot_cannot_help_with_offers_a_person(chat):
    u = chat(U1)
    u.say("หวยออกอะไร").expect("ยังช่วยไม่ได้", "ถามเจ้าหน้าที่ได้นะคะ")
    assert "💬 ถามเจ้าหน้าที่" in u.quick_labels()
    u.tap("💬 ถามเจ้าหน้าที่").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")


def _sign_up(u, make_activity, title: str, days: float) -> Activity:
    act = make_activity(title, starts=now_utc() + timedelta(days=days))
    u.say(f"ขอดูรายละเอียด{title}").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ", title)
    return act


def test_cancelling_or_changing_a_named_sign_up_with_more_said(chat, make_activity, db):
    u = chat(U1)
    _sign_up(u, make_activity, "รำไม้พลองเพื่อสุขภาพ", 2)
    _sign_up(u, make_activity, "โยคะผู้สูงวัย", 3)
    aerobic = _sign_up(u, make_activity, "แอโรบิกยามเช้าผู้สูงอายุ", 4)
    u.say("ป้าไม่ไปรำไม้พลองแล้วนะ ปวดเข่า 😢").expect("ยกเลิกการสมัคร “รำไม้พลองเพื่อสุขภาพ”", "ใช่ไหมคะ")
    u.expect_not("ยังไม่แน่ใจ", "โยคะ")
    u.tap("ไม่ยกเลิก").expect("ยังคงสมัครไว้")
    u.say("ยกเลิกโยคะค่ะ").expect("ยกเลิกการสมัคร “โยคะผู้สูงวัย”").expect_not("จะยกเลิกกิจกรรมไหนคะ")
    u.tap("ยืนยันยกเลิกสมัคร").expect("ยกเลิกการสมัคร “โยคะผู้สูงวัย” แล้วค่ะ")
    u.say("แอโรบิกขอเปลี่ยนเป็น ๓ คนนะจ๊ะ ลูกสาวจะไปด้วย")
    u.expect("“แอโรบิกยามเช้าผู้สูงอายุ” จาก 1 เป็น 3 คน").expect_not("จะแก้จำนวนคนของกิจกรรมไหนคะ")
    u.tap("ใช่ เปลี่ยนเลย").expect("จาก 1 เป็น 3 คนแล้วค่ะ")
    assert signup_of(db, U1, aerobic.id).party_size == 3
    u.say("ป้าไม่ไปตรวจฟันแล้วนะ").expect_not("ยกเลิกการสมัคร “")  # no such sign-up: none is picked for her


def test_signing_up_with_one_more_companion(chat, make_activity):
    # Tomorrow's weekday, named as she would name it: a day always still open, whatever the clock says.
    tomorrow = now_utc().astimezone(BKK) + timedelta(days=1)
    starts = tomorrow.replace(hour=23, minute=0, second=0, microsecond=0)
    weekday = ("จันทร์", "อังคาร", "พุธ", "พฤหัส", "ศุกร์", "เสาร์", "อาทิตย์")[tomorrow.weekday()]
    make_activity("แอโรบิกยามเช้าผู้สูงอายุ", starts=starts)
    u = chat(U1)
    u.say(f"ป้าขอสมัครแอโรบิกวัน{weekday}นะ ไปกับหลานอีกคนจ้า").expect("สรุปการสมัคร", "จำนวน 2 คน").expect_not("ไปกี่คนคะ")


@pytest.mark.parametrize("text", ["มี health check ฟรีป่าว weekend นี้",
                                  "Hi, is there any free health check for foreigners this weekend?"])
def test_a_few_english_words_are_understood_and_answered_in_thai(chat, harness, make_activity, text):
    """Held on a Wednesday morning, whatever the day it runs (it skipped itself on Sunday evenings, when this
    weekend's activity was already closed). Weeks ahead, so the bot's clock, not the real one, decides which
    weekend is "this weekend"."""
    today = now_utc().astimezone(BKK)
    days = (2 - today.weekday()) % 7 + 14
    wednesday = (today + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    harness.set_clock(wednesday)  # ahead of the real time, as the chat's clock must be
    starts = (wednesday + timedelta(days=4)).replace(hour=20)  # that Sunday evening
    make_activity("ตรวจสุขภาพประจำปี", starts=starts, topic="emerging")
    make_activity("รำไม้พลองผู้สูงอายุ", starts=starts)
    u = chat(U1)
    u.say(text).expect("ตรวจสุขภาพประจำปี", "กิจกรรม", "สมัคร").expect_not("ยังไม่แน่ใจ", "ยังช่วยไม่ได้", "รำไม้พลอง")


WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัส", "ศุกร์", "เสาร์", "อาทิตย์")


def _late_on(days: int) -> tuple[datetime, str]:
    """23:00 Bangkok time `days` days from today, and its weekday's name: a day still open whatever the clock."""
    day = now_utc().astimezone(BKK) + timedelta(days=days)
    return day.replace(hour=23, minute=0, second=0, microsecond=0), WEEKDAYS[day.weekday()]


def test_signing_up_by_name_goes_straight_to_it(chat, make_activity):
    make_activity("แอโรบิกยามเช้าผู้สูงอายุ")
    make_activity("โยคะผู้สูงอายุ")
    make_activity("รำไม้พลองผู้สูงอายุ")
    make_activity("ตรวจวัดความดันและน้ำตาลในเลือด", topic="emerging")
    make_activity("ตรวจคัดกรองมะเร็งเต้านม", topic="emerging")
    make_activity("แจกหน้ากากกันฝุ่น PM2.5", topic="environment")
    make_activity("ปรึกษาเขียนโครงการตัวต่อตัว", capacity=3, topic=None)
    u = chat(U1)
    u.say("สมัครโยคะผู้สูงอายุค่ะ").expect("“โยคะผู้สูงอายุ”\nไปกี่คนคะ").expect_not("อยากสมัครกิจกรรมไหน")
    u.say("ยกเลิก")
    u.say("อยากไปตรวจมะเร็งเต้านมค่ะ").expect("“ตรวจคัดกรองมะเร็งเต้านม”\nไปกี่คนคะ")
    u.say("ยกเลิก")
    u.say("สมัคกิจกรรมแจกหน้ากากค่ะ").expect("“แจกหน้ากากกันฝุ่น PM2.5”\nไปกี่คนคะ")  # a typo, and no 2 from PM2.5
    u.say("ตัวเอง สามี ลูกสาวค่ะ").expect("สรุปการสมัคร", "จำนวน 3 คน")
    u.say("ยกเลิก")
    u.say("ขอจองปรึกษาเขียนโครงการตัวต่อตัว 3 ท่านค่ะ").expect("สรุปการสมัคร", "ปรึกษาเขียนโครงการตัวต่อตัว",
                                                             "จำนวน 3 คน").expect_not("รายละเอียด")


def test_the_day_and_the_people_said_with_a_sign_up_are_kept(chat, make_activity, db):
    starts, weekday = _late_on(1)
    that_day = make_activity("ตรวจวัดความดันและน้ำตาลในเลือด", starts=starts, topic="emerging")
    make_activity("ตรวจวัดความดันและน้ำตาลในเลือด", starts=starts + timedelta(days=2), topic="emerging")
    make_activity("เดินเร็วริมคลองลาดพร้าว", starts=starts)
    make_activity("เดินเร็วริมคลองลาดพร้าว", starts=starts + timedelta(days=3))
    u = chat(U1)
    u.say(f"ขอลงชื่อไปวัดความดันวัน{weekday} ไปกับสามีและลูกสาวค่ะ")
    u.expect("สรุปการสมัคร", format_date(starts), "จำนวน 3 คน").expect_not("อยากสมัครกิจกรรมไหน", "ไปกี่คนคะ")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, that_day.id).party_size == 3
    u.say(f"อยากไปเดินเร็วริมคลอง{weekday}นี้ไปกะหลาน2คน")
    u.expect("สรุปการสมัคร", "เดินเร็วริมคลองลาดพร้าว", format_date(starts), "จำนวน 2 คน").expect_not("รายละเอียด")


def test_a_kind_of_check_up_offers_each_one_keeping_the_people(chat, make_activity, db):
    make_activity("ตรวจวัดความดันและน้ำตาลในเลือด", topic="emerging")
    make_activity("ตรวจตาและวัดสายตาผู้สูงอายุ", topic="emerging")
    riders = make_activity("ตรวจสุขภาพไรเดอร์และหาบเร่", starts=now_utc() + timedelta(days=5), topic="emerging")
    make_activity("รำไม้พลองผู้สูงอายุ")
    u = chat(U1)
    u.say("ขอลงชื่อไปตรวจสุขภาพ 2 คน").expect("อยากสมัครอันไหน", "ตรวจวัดความดัน", "ตรวจตา", "ตรวจสุขภาพไรเดอร์")
    u.expect_not("รำไม้พลอง", "ไปกี่คนคะ")
    u.tap("สมัคร").expect("สรุปการสมัคร", "ตรวจสุขภาพไรเดอร์และหาบเร่", "จำนวน 2 คน")  # the last card's
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, riders.id).party_size == 2


def test_a_pick_list_of_one_is_that_one(chat, make_activity):
    starts, weekday = _late_on(1)
    make_activity("รำไม้พลองผู้สูงอายุ", starts=starts)
    make_activity("ตรวจสุขภาพประจำปี", starts=starts, topic="emerging")
    u = chat(U1)
    u.say(f"ขอสมัครกิจกรรมออกกำลังกายวัน{weekday}ค่ะ 2 คน").expect("สรุปการสมัคร", "รำไม้พลองผู้สูงอายุ", "จำนวน 2 คน")
    u.expect_not("อยากสมัครกิจกรรมไหน")


def test_cancelling_by_the_day_or_by_the_first_one_shown(chat, make_activity):
    first, weekday = _late_on(1)
    make_activity("รำไม้พลองผู้สูงอายุ", starts=first)
    make_activity("ตรวจสุขภาพประจำปี", starts=first + timedelta(days=2), topic="emerging")
    u = chat(U1)
    for title in ("รำไม้พลองผู้สูงอายุ", "ตรวจสุขภาพประจำปี"):
        u.say(f"ขอดูรายละเอียด{title}").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say(f"ยกเลิกอันวัน{weekday}ค่ะ").expect("ยกเลิกการสมัคร “รำไม้พลองผู้สูงอายุ”", "ใช่ไหมคะ")
    u.expect_not("จะยกเลิกกิจกรรมไหน")
    u.tap("ไม่ยกเลิก")
    u.say(f"วัน{weekday}ไปไม่ได้ค่ะ ติดธุระ").expect("ยกเลิกการสมัคร “รำไม้พลองผู้สูงอายุ”")
    u.tap("ไม่ยกเลิก")
    u.say("ยกเลิกการสมัคร").expect("จะยกเลิกกิจกรรมไหน")
    u.say("อันที่สองค่ะ").expect("ยกเลิกการสมัคร “ตรวจสุขภาพประจำปี”", "ใช่ไหมคะ")
    u.tap("ไม่ยกเลิก")
    u.say("ยกเลิกการสมัคร").say("อันแรกค่ะ").expect("ยกเลิกการสมัคร “รำไม้พลองผู้สูงอายุ”", "ใช่ไหมคะ")
    u.tap("ไม่ยกเลิก")
    _, other_day = _late_on(4)  # a weekday with nothing signed up for
    u.say(f"วัน{other_day}ไปไม่ได้ค่ะ").expect("คุณไม่ได้สมัครกิจกรรมไว้ค่ะ").expect_not("ยกเลิกการสมัคร “")


def test_fewer_going_is_not_cancelling_and_a_no_with_more_is_acted_on(chat, make_activity, db):
    act = make_activity("รำไม้พลองผู้สูงอายุ")
    make_activity("ตรวจวัดความดันและน้ำตาลในเลือด", topic="emerging")
    u = chat(U1)
    u.say("ขอสมัครรำไม้พลองผู้สูงอายุ ไปกับสามีและลูกสาวค่ะ").tap("ยืนยันสมัคร").expect("จำนวน 3 คน")
    u.say("สามีไม่ไปแล้วค่ะ ไปคนเดียว").expect("จาก 3 เป็น 1 คน").expect_not("ยกเลิกการสมัคร “")
    u.tap("ไม่เปลี่ยน")
    u.say("ยกเลิกการสมัคร").expect("ยกเลิกการสมัคร “รำไม้พลองผู้สูงอายุ”")
    u.say("ไม่ใช่ค่ะ แค่ลดเหลือ 1 คน").expect("จาก 3 เป็น 1 คน").expect_not("แตะปุ่มด้านล่าง")
    u.tap("ไม่เปลี่ยน")
    u.say("ยกเลิกการสมัคร").say("เอ่อ เดี๋ยวนะคะ ไปแค่ 2 คนได้ไหม").expect("จาก 3 เป็น 2 คน")
    u.tap("ใช่ เปลี่ยนเลย").expect("จาก 3 เป็น 2 คนแล้วค่ะ")
    assert signup_of(db, U1, act.id).party_size == 2
    u.say("ยกเลิกการสมัคร").say("เอ๊ะ ไม่ใช่ อันนี้ค่ะ อยากไปวัดความดันมากกว่า")
    u.expect("ยังคงสมัครไว้", "“ตรวจวัดความดันและน้ำตาลในเลือด”", "ไปกี่คนคะ").expect_not("แตะปุ่มด้านล่าง")
    assert signup_of(db, U1, act.id).status == "confirmed"


def test_a_yes_with_more_words_at_the_waitlist(chat, make_activity, db):
    act = make_activity("รำไม้พลองผู้สูงอายุ", capacity=1)
    chat(U2 := "U" + "6" * 32).say("ขอสมัครรำไม้พลองผู้สูงอายุ 1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u = chat(U1)
    u.say("ขอสมัครรำไม้พลองผู้สูงอายุ 1 คน").expect("รายชื่อสำรอง")
    u.say("โอเคค่ะ รอได้").expect("รายชื่อสำรองลำดับที่ 1").expect_not("แตะปุ่มด้านล่าง")
    assert signup_of(db, U1, act.id).status == "waitlisted" and signup_of(db, U2, act.id).status == "confirmed"


def test_this_evening_lists_only_the_evening(chat, harness, make_activity):
    """Held at 09:00 two days ahead, whatever the hour it runs (it skipped itself after 14:00)."""
    morning = (now_utc().astimezone(BKK) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    harness.set_clock(morning)  # ahead of the real time, as the chat's clock must be
    make_activity("รำไม้พลองยามเย็น", starts=morning.replace(hour=18))
    make_activity("ตรวจสุขภาพก่อนเที่ยง", starts=morning.replace(hour=11), topic="emerging")
    u = chat(U1)
    u.say("เย็นนี้มีอะไรไหม").expect("รำไม้พลองยามเย็น").expect_not("ตรวจสุขภาพก่อนเที่ยง")


def test_two_requests_in_one_message_are_not_mixed(chat, make_activity):
    make_activity("คลินิกอยากเลิกบุหรี่", topic="tobacco")
    u = chat(U1)
    u.say("ขอดูรายละเอียดคลินิกอยากเลิกบุหรี่").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("สวัสดีค่ะ อยากถามว่าเสาร์นี้มีตรวจสุขภาพไหม แล้วก็ขอยกเลิกคลินิกบุหรี่ด้วยค่ะ")
    u.expect("ขอยกเลิกคลินิกบุหรี่").expect_not("เรื่องบุหรี่", "วันนี้ให้ช่วยอะไรดีคะ")
    assert "ทำเรื่องที่สองต่อ" in u.quick_labels()
    u.tap("ทำเรื่องที่สองต่อ").expect("ยกเลิกการสมัคร “คลินิกอยากเลิกบุหรี่”", "ใช่ไหมคะ")


def test_a_cancelled_activity_shows_no_seats(chat, make_activity):
    from bot import postback

    act = make_activity("รำไม้พลองผู้สูงอายุ", capacity=25)
    u = chat(U1)
    u.say("ขอดูรายละเอียดรำไม้พลองผู้สูงอายุ").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff = chat(STAFF, role="staff")
    staff.say(f"ยกเลิกกิจกรรม {act.id} | ฝนตก").tap("ยืนยัน").expect("ยกเลิกกิจกรรมแล้ว")
    u.postback(postback.encode("activity.detail", id=act.id)).expect("ยกเลิกแล้ว").expect_not("เหลือ", "จาก 25")


def test_a_no_with_a_head_count_at_the_summary_keeps_the_sign_up(chat, make_activity):
    make_activity("รำไม้พลองผู้สูงอายุ")
    u = chat(U1)
    u.say("ขอสมัครรำไม้พลองผู้สูงอายุ 2 คน").expect("จำนวน 2 คน")
    u.say("ไม่ใช่ค่ะ ไป 3 คน").expect("สรุปการสมัคร", "จำนวน 3 คน").expect_not("ยังไม่ได้สมัคร")


def test_staff_say_no_then_other_times_at_the_preview(chat):
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม รำไม้พลองยามเย็น | มะรืน 17:00-18:00 | ลานวัด | 30").expect("เผยแพร่กิจกรรมใหม่", "17:00")
    staff.say("ไม่ใช่ค่ะ มะรืน 4 โมงเย็น").expect("เผยแพร่กิจกรรมใหม่", "16:00").expect_not("ไม่ได้เผยแพร่")
    staff.say("ไม่ใช่ค่ะ ขอคิดก่อน").expect("แตะ “ยืนยัน” หรือ “ไม่ทำแล้ว”").expect_not("ไม่ได้เผยแพร่")
