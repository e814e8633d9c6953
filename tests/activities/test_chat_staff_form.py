"""Staff's activity commands as a district staff member walks through them: the step-by-step form ("ย้อนกลับ"
keeps answers, a title typed with its date, changes typed at the preview), how many signed up, moving by an amount."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.thaidate import BKK, MONTHS_SHORT, WEEKDAYS_LONG, format_date, now_utc
from storage.models import Activity

STAFF = "U" + "9" * 32
U1, U2, U3 = "U" + "1" * 32, "U" + "2" * 32, "U" + "3" * 32


def _typed_day(day: datetime) -> str:
    return f"{day.day}/{day.month}/{day.year + 543}"


@pytest.fixture
def make_activity(db):
    def make(title: str = "แอโรบิกยามเย็น", capacity: int = 10, days: float = 5) -> Activity:
        starts = (now_utc() + timedelta(days=days)).astimezone(BKK).replace(hour=17, minute=0, second=0,
                                                                              microsecond=0)
        with db.session() as s:
            activity = Activity(title=title, place="ลานวัด", starts_at=starts, ends_at=starts + timedelta(hours=1),
                                capacity=capacity, signup_deadline=starts - timedelta(hours=2), status="published")
            s.add(activity)
        return activity

    return make


def published(db, title: str) -> Activity | None:
    with db.session(readonly=True) as s:
        return s.scalar(select(Activity).where(Activity.title == title))


# --- 1. "ย้อนกลับ" keeps the other answers ---------------------------------------------------------------

def test_back_re_asks_one_step_and_keeps_every_other_answer(chat, db):
    """Going back two steps and answering the day again went on to ask the place again, as if it were lost;
    now the step says what it holds, and the journey goes on to the first step still without an answer."""
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("เดินเร็วรอบสวน").say(f"{_typed_day(day)} 07:00-08:00").say("สวนรถไฟ")
    staff.expect("รับได้กี่คนคะ")
    staff.say("ย้อนกลับ").expect("ตอนนี้: “สวนรถไฟ”", "จัดที่ไหนคะ")
    staff.say("ย้อนกลับ").expect("ตอนนี้:", "07:00–08:00", "จัดวันไหน")
    staff.say("9 โมง").expect("รับได้กี่คนคะ").expect_not("จัดที่ไหนคะ")  # the place is kept, the day too
    staff.tap("30 ที่").tap("ทั้งเขต")
    staff.expect("“เดินเร็วรอบสวน”", format_date(day), "09:00–10:00", "สถานที่: สวนรถไฟ", "ที่นั่ง 30")
    # From the preview: back to the seats, a new number, and straight to the preview with the rest kept.
    staff.say("ย้อนกลับ").expect("ตอนนี้: ทั้งเขต", "ชุมชนไหนคะ")
    staff.say("ย้อนกลับ").expect("ตอนนี้: 30 ที่", "รับได้กี่คนคะ")
    staff.say("๕๐").expect("เผยแพร่กิจกรรมใหม่นะคะ", "“เดินเร็วรอบสวน”", "09:00–10:00", "สวนรถไฟ", "ที่นั่ง 50",
                          "ทั้งเขต")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    act = published(db, "เดินเร็วรอบสวน")
    assert (act.place, act.capacity, act.starts_at.astimezone(BKK).hour) == ("สวนรถไฟ", 50, 9)


def test_a_topic_chosen_at_the_preview_stays_when_the_title_changes(chat, db):
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("เดินเร็วรอบสวน").say(f"{_typed_day(day)} 07:00-08:00").say("สวนรถไฟ")
    staff.tap("30 ที่").tap("ทั้งเขต").expect("หัวข้อ: ออกกำลังกาย")
    staff.tap("เปลี่ยนหัวข้อ").tap("อาหาร").expect("หัวข้อ: อาหาร")
    staff.say("แก้ชื่อเป็น เดินเร็วผู้สูงอายุ").expect("“เดินเร็วผู้สูงอายุ”", "หัวข้อ: อาหาร", "เหมาะกับ: ผู้สูงอายุ")
    staff.say("เปลี่ยนกลุ่มเป้าหมายเป็น ทุกกลุ่ม").expect("เหมาะกับ: ทุกกลุ่ม")
    staff.say("แก้ชื่อเป็น เดินเร็วผู้สูงวัย").expect("“เดินเร็วผู้สูงวัย”", "หัวข้อ: อาหาร", "เหมาะกับ: ทุกกลุ่ม")


# --- 2. a title typed with its date -----------------------------------------------------------------------

def test_a_title_typed_with_its_day_and_time_is_split_and_confirmed_at_the_date_step(chat, db):
    """“โยคะเช้าวันเสาร์ 5 ธ.ค. 7 โมง” was stored whole as the title; now the title is “โยคะ” and the date step
    asks to confirm the day and time read from it (one tap), or takes other hours for that day."""
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say(f"โยคะเช้าวันเสาร์ {day.day} {MONTHS_SHORT[day.month - 1]} 7 โมง")
    staff.expect("ชื่อกิจกรรม “โยคะ”", format_date(day), "07:00–09:00", "ใช่ไหมคะ")
    assert "ใช้วันเวลานี้" in staff.quick_labels()
    staff.tap("ใช้วันเวลานี้").expect("จัดที่ไหนคะ")
    staff.say("ศาลาชุมชน").tap("20 ที่").tap("ทั้งเขต")
    staff.expect("“โยคะ”\n", format_date(day), "07:00–09:00").expect_not("เช้าวันเสาร์")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    act = published(db, "โยคะ")
    assert act is not None and act.starts_at.astimezone(BKK).replace(tzinfo=None) == datetime(
        day.year, day.month, day.day, 7, 0)


def test_a_title_with_a_numeric_date_then_other_hours_that_day(chat, db):
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=8)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say(f"ตรวจสุขภาพ {day.day}/{day.month} 9:00")
    staff.expect("ชื่อกิจกรรม “ตรวจสุขภาพ”", format_date(day), "09:00–11:00")
    staff.say("8 โมง ถึง 12 โมง").expect("จัดที่ไหนคะ")  # the hours alone: on the day typed with the title
    staff.say("ศาลา").tap("50 ที่").tap("ทั้งเขต").expect("“ตรวจสุขภาพ”", format_date(day), "08:00–12:00")
    staff.say("เพิ่มกิจกรรม").expect("ออกจากขั้นตอนเดิมไหมคะ").say("ออกเลย")
    staff.say(f"ตรวจตา {day.day}/{day.month}").expect("“ตรวจตา” จัดวันที่", format_date(day), "กี่โมงถึงกี่โมงคะ")
    staff.say("บ่ายโมง").expect("จัดที่ไหนคะ")
    staff.say("ศาลา").tap("20 ที่").tap("ทั้งเขต").expect("“ตรวจตา”", format_date(day), "13:00–15:00")
    # The name typed with the command itself: the form goes on from it, the day and time split off the same way.
    staff.say("ยกเลิก").say(f"เพิ่มกิจกรรม ตรวจตา {day.day}/{day.month} 10:00").expect("ชื่อกิจกรรม “ตรวจตา”", "10:00–12:00")
    staff.tap("ใช้วันเวลานี้").expect("จัดที่ไหนคะ")
    # A day already past typed with the title: the title without it, and why the day is asked afresh.
    yesterday = (now_utc() - timedelta(days=1)).astimezone(BKK)
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม").say(f"ตรวจฟัน {_typed_day(yesterday)} 9:00")
    staff.expect("ชื่อกิจกรรม “ตรวจฟัน” ค่ะ", "ผ่านไปแล้วค่ะ", "จัดวันไหน").expect_not("ใช้วันเวลานี้")
    staff.say(f"{_typed_day(day)} 9:00").say("ศาลา").tap("20 ที่").tap("ทั้งเขต").expect("“ตรวจฟัน”\n", "09:00–11:00")
    # A day word that is part of a name, with no date or time beside it, stays in the title.
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม").say("ตลาดนัดสุขภาพวันอาทิตย์").expect("จัดวันไหน").expect_not("ใช่ไหมคะ")
    staff.say("พรุ่งนี้ 9 โมง").say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect("“ตลาดนัดสุขภาพวันอาทิตย์”")


# --- 2b. a day alone, or a time alone, at the date step -----------------------------------------------------

def _tuesday_morning() -> datetime:
    """10:00 on a Tuesday weeks ahead (the bot's clock must be ahead of the real one)."""
    today = now_utc().astimezone(BKK)
    return (today + timedelta(days=(1 - today.weekday()) % 7 + 14)).replace(hour=10, minute=0, second=0,
                                                                              microsecond=0)


def _long_day(day: datetime) -> str:
    return f"วัน{WEEKDAYS_LONG[day.weekday()]}ที่ {day.day} {MONTHS_SHORT[day.month - 1]} {day.year + 543}"


@pytest.mark.parametrize(("typed_day", "days_on", "hours", "shown"), [
    ("พรุ่งนี้", 1, "๗ โมงเช้า ถึง ๘ โมง", "07:00–08:00"),  # the QA walk-through, word for word
    ("เสาร์นี้", 4, "๙ โมง-๑๒ โมง", "09:00–12:00"),
    ("{d} {m}", 3, "บ่าย 1-4 โมง", "13:00–16:00"),
    ("วันนี้", 0, "5 โมงเย็น - 6 โมงครึ่ง", "17:00–18:30"),
])
def test_a_day_alone_is_kept_and_only_the_hours_asked(chat, harness, db, typed_day, days_on, hours, shown):
    """“พรุ่งนี้” at the date step was refused (“อ่านวันเวลาไม่ออกค่ะ”), then the hours typed next were read as
    today's and refused as past; now the day is kept, the hours asked with a few start times, and put on that day."""
    now = _tuesday_morning()
    harness.set_clock(now)
    day = now + timedelta(days=days_on)
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("เดินเร็ว").say(typed_day.format(d=day.day, m=MONTHS_SHORT[day.month - 1]))
    staff.expect(f"{_long_day(day)} เริ่มกี่โมงคะ").expect_not("อ่านวันเวลาไม่ออก")
    assert {"13:00 น.", "16:00 น."} <= set(staff.quick_labels())
    assert ("09:00 น." in staff.quick_labels()) == (days_on > 0)  # none already past today
    staff.say(hours).expect("จัดที่ไหนคะ").expect_not("ผ่านไปแล้ว")
    # The seats typed a step early (it was the switch prompt, or it would be the place): kept, the place still asked.
    staff.say("๓ คน").expect("รับ 3 คนนะคะ", "จัดที่ไหนคะ").expect_not("ออกจากขั้นตอน")
    staff.say("8 โมงถึง 9 โมง").expect("เป็นวันเวลาค่ะ ตอนนี้ขอสถานที่จัดนะคะ")  # QA: it was stored as the place
    staff.say("สวนรถไฟ").expect("ชุมชนไหนคะ").expect_not("รับได้กี่คนคะ")
    staff.tap("ทั้งเขต").expect("“เดินเร็ว”", format_date(day), shown, "สถานที่: สวนรถไฟ", "ที่นั่ง 3 ")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    act = published(db, "เดินเร็ว")
    assert (act.starts_at.astimezone(BKK).date(), act.place, act.capacity) == (day.date(), "สวนรถไฟ", 3)


def test_a_time_alone_is_kept_and_the_day_asked(chat, harness, db):
    now = _tuesday_morning()
    harness.set_clock(now)
    tomorrow = now + timedelta(days=1)
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("เดินเร็ว").say("๗ โมงเช้า ถึง ๘ โมง")
    staff.expect("เวลา 07:00–08:00 น. จัดวันไหนคะ").expect_not("ผ่านไปแล้ว")
    assert "พรุ่งนี้" in staff.quick_labels() and "วันนี้" not in staff.quick_labels()  # 7 o'clock today is past
    staff.say(_typed_day(now - timedelta(days=1))).expect("ผ่านไปแล้วค่ะ", "จัดวันไหนคะ")  # the hours still kept
    staff.tap("พรุ่งนี้").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect(format_date(tomorrow), "07:00–08:00")
    # A start chip after a day alone: two hours from it.
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม").say("โยคะ").say("มะรืนนี้").tap("13:00 น.").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect(format_date(now + timedelta(days=2)), "13:00–15:00")


def test_a_day_and_time_typed_for_the_name_are_kept_and_the_name_asked_again(chat, harness, db):
    """“พรุ่งนี้ 8 โมง” typed when asked for the name became the activity's name; now it is kept as the day and time,
    and the name asked again (a day alone, or hours alone, are kept as halves for the date step)."""
    now = _tuesday_morning()
    harness.set_clock(now)
    tomorrow = now + timedelta(days=1)
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("พรุ่งนี้ 8 โมง ถึง 10 โมง")
    staff.expect("“พรุ่งนี้ 8 โมง ถึง 10 โมง” เป็นวันเวลา", format_date(tomorrow), "08:00–10:00", "กิจกรรมชื่ออะไรคะ")
    staff.expect_not("จัดวันไหน")
    staff.say("เดินเร็ว").expect("จัดที่ไหนคะ").expect_not("จัดวันไหน")  # the day and time need no asking again
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect("“เดินเร็ว”\n", format_date(tomorrow), "08:00–10:00")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    assert published(db, "พรุ่งนี้ 8 โมง ถึง 10 โมง") is None
    assert published(db, "เดินเร็ว").starts_at.astimezone(BKK).replace(tzinfo=None) == tomorrow.replace(
        hour=8, tzinfo=None)
    # A day alone for the name: kept, and only the hours asked after the name.
    staff.say("เพิ่มกิจกรรม").say("พรุ่งนี้").expect("เก็บไว้ให้แล้วค่ะ", "กิจกรรมชื่ออะไรคะ")
    staff.say("โยคะ").expect(f"{_long_day(tomorrow)} เริ่มกี่โมงคะ")


def test_a_start_typed_for_the_name_is_kept_and_its_end_asked(chat, harness, db):
    """“พรุ่งนี้ 7 โมง” typed when asked for the name was kept as 07:00–09:00, two hours nobody said; now the start
    is kept and, once the name is given, the end is asked (a length as a chip, or the hour it ends)."""
    now = _tuesday_morning()
    harness.set_clock(now)
    tomorrow = now + timedelta(days=1)
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("พรุ่งนี้ 7 โมง")
    staff.expect("“พรุ่งนี้ 7 โมง” เป็นวันเวลา", f"{_long_day(tomorrow)} เริ่ม 07:00 น.", "กิจกรรมชื่ออะไรคะ")
    staff.expect_not("07:00–09:00", "จัดวันไหน")
    staff.say("เดินเร็ว").expect("“เดินเร็ว” เริ่ม", "เวลา 07:00 น. จัดถึงกี่โมงคะ").expect_not("จัดที่ไหนคะ")
    assert {"1 ชั่วโมง", "1 ชั่วโมงครึ่ง", "2 ชั่วโมง"} <= set(staff.quick_labels())
    staff.tap("1 ชั่วโมง").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect("“เดินเร็ว”\n", format_date(tomorrow), "07:00–08:00")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    act = published(db, "เดินเร็ว")
    assert act.ends_at - act.starts_at == timedelta(hours=1)
    # The end typed: an hour of that day ("6 โมง" is before the start: why, and asked again), or a length.
    staff.say("เพิ่มกิจกรรม").say("พรุ่งนี้ 7 โมง").say("โยคะ").say("6 โมง").expect("ต้องหลังเวลาเริ่ม", "จัดถึงกี่โมงคะ")
    staff.say("ถึง 9 โมงครึ่งค่ะ").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect("“โยคะ”\n", "07:00–09:30")
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม").say("พรุ่งนี้ บ่าย 2 โมง").say("รำไม้พลอง").say("ชั่วโมงครึ่ง")
    staff.expect("จัดที่ไหนคะ").say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect("14:00–15:30")
    # Another day and time instead: read as any first answer (the start kept before goes).
    later = now + timedelta(days=3)
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม").say("พรุ่งนี้ 7 โมง").say("ตรวจตา").say(f"{_typed_day(later)} 09:00-10:00")
    staff.expect("จัดที่ไหนคะ").say("ศาลา").tap("20 ที่").tap("ทั้งเขต").expect(format_date(later), "09:00–10:00")


def test_a_change_typed_at_a_later_step_of_the_form_is_made_and_the_step_asked_again(chat, db):
    """“แก้ชื่อเป็น …” at the community step got “ไม่พบชุมชนนี้ค่ะ” (it worked only at the preview), and at the place
    step it was stored as the place; now the name changes and the same step is asked again."""
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("โยคะ").say(f"{_typed_day(day)} 07:00-08:00").say("สวน").tap("20 ที่")
    staff.say("แก้ชื่อเป็น โยคะผู้สูงอายุ").expect("แก้ชื่อเป็น “โยคะผู้สูงอายุ” แล้วค่ะ ✅", "ชุมชนไหนคะ")
    staff.expect_not("ไม่พบชุมชน", "เผยแพร่กิจกรรมใหม่")
    staff.say("ค่าสมัคร 20 บาท").expect("แก้ค่าสมัครเป็น 20 บาทแล้วค่ะ ✅", "ชุมชนไหนคะ")
    # The name alone: its question, then this step again (not the preview: the community is not answered yet).
    staff.say("แก้ชื่อ").expect("ตอนนี้ชื่อ “โยคะผู้สูงอายุ” ค่ะ จะเปลี่ยนเป็นชื่ออะไรคะ")
    staff.say("โยคะผู้สูงวัย").expect("ชุมชนไหนคะ").expect_not("เผยแพร่กิจกรรมใหม่")
    staff.tap("ทั้งเขต").expect("“โยคะผู้สูงวัย”", "สถานที่: สวน", "ที่นั่ง 20", "ค่าสมัคร: 20 บาท", "เหมาะกับ: ผู้สูงอายุ")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    act = published(db, "โยคะผู้สูงวัย")
    assert (act.place, act.fee_baht, act.community_id) == ("สวน", 20, None)
    # At the place step: not stored as the place.
    staff.say("เพิ่มกิจกรรม").say("เดินเร็ว").say(f"{_typed_day(day)} 09:00-10:00")
    staff.say("แก้ชื่อเป็น เดินเร็วรอบสวน").expect("แก้ชื่อเป็น “เดินเร็วรอบสวน” แล้วค่ะ ✅", "จัดที่ไหนคะ")
    staff.say("สวนรถไฟ").expect("รับได้กี่คนคะ")
    staff.tap("20 ที่").tap("ทั้งเขต").expect("“เดินเร็วรอบสวน”", "สถานที่: สวนรถไฟ").tap("ยืนยัน")
    assert published(db, "เดินเร็วรอบสวน").place == "สวนรถไฟ"


def test_next_week_at_the_date_step_asks_which_day_of_it(chat, harness, db):
    """“อาทิตย์หน้า” at the date step was not read (the switch prompt, or “อ่านวันเวลาไม่ออกค่ะ”); now each day of
    next week is a chip, and the hours are asked for the day tapped."""
    now = _tuesday_morning()
    harness.set_clock(now)
    monday = now + timedelta(days=6)
    thursday = monday + timedelta(days=3)
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("เดินเร็ว").say("อาทิตย์หน้า")
    staff.expect(f"ช่วง {format_date(monday)} ถึง {format_date(monday + timedelta(days=6))} จัดวันไหนคะ")
    staff.expect_not("อ่านวันเวลาไม่ออก", "ออกจากขั้นตอน")
    days = staff.quick_labels()[:7]
    assert days[0] == f"จันทร์ {monday.day} {MONTHS_SHORT[monday.month - 1]}" and days[6].startswith("อาทิตย์")
    staff.tap(f"พฤหัสบดี {thursday.day}").expect(f"{_long_day(thursday)} เริ่มกี่โมงคะ")
    staff.tap("13:00 น.").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect(format_date(thursday), "13:00–15:00")
    # Hours said first stay with the day tapped.
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม").say("โยคะ").say("9 โมง").say("สัปดาห์หน้า").expect("จัดวันไหนคะ")
    staff.tap(f"พฤหัสบดี {thursday.day}").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect(format_date(thursday), "09:00–11:00")


def test_a_head_count_typed_at_the_date_step_is_kept_as_the_seats(chat, harness, db):
    """“30 คน” at the date step got the switch prompt; now it is the seats, and the date is asked still."""
    harness.set_clock(_tuesday_morning())
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("เดินเร็ว").say("30 คน")
    staff.expect("รับ 30 คนนะคะ", "จัดวันไหน").expect_not("ออกจากขั้นตอน")
    staff.say("พรุ่งนี้ 9 โมง").say("ลานวัด").expect("ชุมชนไหนคะ").expect_not("รับได้กี่คนคะ")
    staff.tap("ทั้งเขต").expect("“เดินเร็ว”", "ที่นั่ง 30 ")


def test_back_from_the_date_step_of_a_form_started_with_a_name_goes_to_the_name(chat, db):
    """“เพิ่มกิจกรรม โยคะ …” then “ย้อนกลับ” said “นี่เป็นคำถามแรกแล้วค่ะ”; now it shows the name to change, and the
    day and time typed with it stay."""
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=8)).astimezone(BKK)
    staff.say(f"เพิ่มกิจกรรม ตรวจตา {day.day}/{day.month} 10:00").expect("ชื่อกิจกรรม “ตรวจตา”", "10:00–12:00")
    assert "ย้อนกลับ" in staff.quick_labels()
    staff.say("ย้อนกลับ").expect("ตอนนี้ชื่อ “ตรวจตา” ค่ะ จะเปลี่ยนเป็นชื่ออะไรคะ").expect_not("คำถามแรก")
    staff.say("ตรวจตาผู้สูงอายุ").expect("ชื่อกิจกรรม “ตรวจตาผู้สูงอายุ”", format_date(day), "10:00–12:00", "ใช่ไหมคะ")
    staff.tap("ใช้วันเวลานี้").say("ศาลา").tap("20 ที่").tap("ทั้งเขต").expect("“ตรวจตาผู้สูงอายุ”", "10:00–12:00")
    # Another day alone instead of the one typed with the name: the hours typed with it stay.
    later = day + timedelta(days=2)
    staff.say("ยกเลิก").say(f"เพิ่มกิจกรรม ตรวจตา {day.day}/{day.month} 10:00").say(_typed_day(later))
    staff.expect("จัดที่ไหนคะ").say("ศาลา").tap("20 ที่").tap("ทั้งเขต").expect(format_date(later), "10:00–12:00")
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม โยคะ").expect("จัดวันไหน").say("ย้อนกลับ").expect("ตอนนี้ชื่อ “โยคะ” ค่ะ")


# --- 3. changes typed at the preview ----------------------------------------------------------------------

def test_changes_typed_at_the_preview_change_that_field(chat, db):
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("โยคะ").say(f"{_typed_day(day)} 07:00-08:00").say("สวน").tap("20 ที่").tap("ทั้งเขต")
    staff.say("แก้ชื่อเป็น โยคะผู้สูงอายุ").expect("เผยแพร่กิจกรรมใหม่นะคะ", "“โยคะผู้สูงอายุ”", "สถานที่: สวน")
    staff.say("แก้สถานที่เป็น ศาลาชุมชน").expect("“โยคะผู้สูงอายุ”", "สถานที่: ศาลาชุมชน", "ที่นั่ง 20")
    staff.say("เปลี่ยนจำนวนรับเป็น 30 คน").expect("สถานที่: ศาลาชุมชน", "ที่นั่ง 30", "ยืนยันไหมคะ")
    staff.say("แก้เวลาเป็น 8 โมง ถึง 9 โมง").expect(format_date(day), "08:00–09:00", "ที่นั่ง 30")
    staff.say("เปลี่ยนจำนวนรับเป็น หลายคน").expect("จำนวนที่นั่งต้องเป็นตัวเลข", "ยืนยันไหมคะ")
    staff.say("ย้อนกลับ").expect("ตอนนี้: ทั้งเขต", "ชุมชนไหนคะ")  # the step before the preview, not the preview again
    staff.tap("ทั้งเขต").expect("เผยแพร่กิจกรรมใหม่นะคะ", "ที่นั่ง 30")
    # Without the value: the field's own question (saying what it holds), then the preview again.
    staff.say("แก้สถานที่").expect("ตอนนี้: “ศาลาชุมชน”", "จัดที่ไหนคะ")
    staff.say("ลานกีฬา").expect("เผยแพร่กิจกรรมใหม่นะคะ", "สถานที่: ลานกีฬา", "ที่นั่ง 30", "“โยคะผู้สูงอายุ”")
    staff.say("แก้ชื่อ").expect("ตอนนี้ชื่อ “โยคะผู้สูงอายุ” ค่ะ จะเปลี่ยนเป็นชื่ออะไรคะ")
    staff.say("โยคะผู้สูงอายุ").expect("เผยแพร่กิจกรรมใหม่นะคะ", "สถานที่: ลานกีฬา").expect_not("จัดวันไหน")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    act = published(db, "โยคะผู้สูงอายุ")
    assert (act.place, act.capacity, act.starts_at.astimezone(BKK).hour) == ("ลานกีฬา", 30, 8)


def test_changes_typed_at_the_one_line_commands_preview(chat, db):
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม ปลูกผัก | พรุ่งนี้ 9 โมง | ศาลา | 20").expect("“ปลูกผัก”")
    staff.say("แก้ชื่อเป็น ปลูกผักสวนครัว").expect("“ปลูกผักสวนครัว”", "สถานที่: ศาลา", "ยืนยันไหมคะ")
    assert "ย้อนกลับ" not in staff.quick_labels()  # it led only to “นี่เป็นคำถามแรกแล้วค่ะ”
    staff.say("แก้ที่นั่งเป็น 25").expect("ที่นั่ง 25")
    staff.say("แก้ชื่อ").expect("พิมพ์ค่าใหม่ต่อท้ายได้เลยค่ะ", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    assert published(db, "ปลูกผักสวนครัว").capacity == 25


# --- 4. how many signed up --------------------------------------------------------------------------------

def test_staff_ask_how_many_signed_up(chat, make_activity):
    act = make_activity(capacity=3)
    chat(U1).say("กิจกรรม").tap("สมัคร").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    chat(U2).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    chat(U3).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("สำรอง")
    staff = chat(STAFF, role="staff")
    staff.say(f"กิจกรรม {act.id} มีคนสมัครกี่คน").expect(f"ยอดผู้สมัคร “แอโรบิกยามเย็น” #{act.id} ค่ะ", "สมัครแล้ว 3/3 ที่ (2 ราย)",
                                                         "รายชื่อสำรอง 1 ราย").expect_not("เลื่อนดูแล้วกด")
    assert "ดูรายชื่อผู้สมัคร" in staff.quick_labels()
    staff.tap("ดูรายชื่อผู้สมัคร").expect("ยืนยัน 3/3 ที่", "(สำรอง 1)")
    staff.say(f"มีคนสมัครกิจกรรม {act.id} กี่คนแล้วคะ").expect("สมัครแล้ว 3/3 ที่")
    chat(U1).say(f"กิจกรรม {act.id} มีคนสมัครกี่คน").expect("แอโรบิกยามเย็น").expect_not("สมัครแล้ว 3/3")


# --- 5. moving by an amount -------------------------------------------------------------------------------

def test_move_an_activity_by_an_amount(chat, make_activity, harness, db):
    act = make_activity()
    chat(U1).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร")
    staff = chat(STAFF, role="staff")
    day = act.starts_at.astimezone(BKK)
    staff.say(f"เลื่อนกิจกรรม {act.id} ออกไป 1 ชั่วโมง").expect("เลื่อน “แอโรบิกยามเย็น”", "17:00–18:00",
                                                             "18:00–19:00", "จะแจ้งผู้สมัคร 1 คนทันที", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("เลื่อนกิจกรรมแล้วค่ะ", "แจ้งผู้สมัคร 1 รายแล้ว")
    harness.run_outbox()
    harness.wait()
    chat(U1).refresh().expect("แจ้งเลื่อนกิจกรรม", "18:00–19:00")
    staff.say(f"เลื่อนกิจกรรม {act.id} เร็วขึ้นครึ่งชั่วโมง").expect("18:00–19:00", "17:30–18:30")
    staff.tap("ยืนยัน").expect("เลื่อนกิจกรรมแล้วค่ะ")
    staff.say(f"เลื่อนกิจกรรม {act.id} ไปอีก 1 สัปดาห์").expect(format_date(day + timedelta(days=7)), "17:30–18:30")
    staff.tap("ไม่ทำแล้ว").expect("ไม่ได้เลื่อนกิจกรรม")
    with db.session(readonly=True) as s:
        moved = s.get(Activity, act.id)
        start = moved.starts_at.astimezone(BKK)
        assert (start.date(), start.hour, start.minute) == (day.date(), 17, 30)
        assert moved.ends_at - moved.starts_at == timedelta(hours=1)
    staff.say(f"เลื่อนกิจกรรม {act.id} เร็วขึ้น 30 วัน").expect("ผ่านไปแล้วค่ะ").expect_not("ยืนยันไหมคะ")


def test_an_amount_typed_at_the_reschedule_preview_moves_the_times_shown(chat, make_activity, db):
    """“ออกไปอีก 1 ชั่วโมง” at the preview was “อ่านวันเวลาไม่ออก”; now the times shown move by that much."""
    act = make_activity()
    staff = chat(STAFF, role="staff")
    staff.say(f"เลื่อนกิจกรรม {act.id} | {_typed_day(act.starts_at.astimezone(BKK))} 17:30").expect("17:30–18:30")
    staff.say("ออกไปอีก 1 ชั่วโมง").expect("18:30–19:30", "ยืนยันไหมคะ").expect_not("อ่านวันเวลาไม่ออก")
    staff.say("เร็วขึ้น ๑๕ นาที").expect("18:15–19:15", "ยืนยันไหมคะ")
    staff.say("เร็วขึ้น 30 วัน").expect("ผ่านไปแล้วค่ะ")
    staff.tap("ยืนยัน").expect("เลื่อนกิจกรรมแล้วค่ะ")
    with db.session(readonly=True) as s:
        start = s.get(Activity, act.id).starts_at.astimezone(BKK)
        assert (start.hour, start.minute) == (18, 15)


# --- the words read, one by one ---------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "title", "hours"), [
    ("โยคะเช้าวันเสาร์ 5 ธ.ค. 7 โมง", "โยคะ", ("07:00", "09:00")),
    ("ตรวจสุขภาพ ๑๒/๑๒ ๙:๐๐", "ตรวจสุขภาพ", ("09:00", "11:00")),
    ("แอโรบิก 5 ธ.ค. 5 โมงเย็น ถึง 1 ทุ่ม", "แอโรบิก", ("17:00", "19:00")),
    ("รำไม้พลองยามเย็น 5 ธ.ค. 17:00", "รำไม้พลองยามเย็น", ("17:00", "19:00")),  # "ยามเย็น" is the name's
    ("ตรวจสุขภาพ 12/12", "ตรวจสุขภาพ", None),
    ("ซอย 5/12 เดินเร็ว", None, None),  # the name goes on after the numbers: no day split off
    ("ตลาดนัดวันอาทิตย์", None, None),
    ("ตรวจสุขภาพ 2 คน", None, None),
])
def test_a_title_and_the_day_typed_with_it(typed, title, hours):
    from bot.handlers.activity_words import title_with_when

    now = datetime(2026, 12, 1, 6, 0, tzinfo=BKK)
    said = title_with_when(typed, now)
    assert (said.title if said else None) == title
    if said is not None:
        assert (tuple(f"{t:%H:%M}" for t in said.when) if said.when else None) == hours


@pytest.mark.parametrize(("typed", "minutes"), [
    ("ออกไป 1 ชั่วโมง", 60), ("เร็วขึ้นครึ่งชั่วโมง", -30), ("ไปอีก 1 สัปดาห์", 7 * 24 * 60), ("ช้าลง ๓๐ นาที", 30),
    ("ออกไปชั่วโมงครึ่ง", 90), ("เร็วขึ้น 2 วัน", -2 * 24 * 60), ("ไปอีกสองชั่วโมง", 120),
    ("29 ธ.ค.", None), ("ไปวันพุธ", None), ("ไปอาทิตย์หน้า", None),
])
def test_a_move_by_an_amount_is_read(typed, minutes):
    from bot.handlers.activity_words import shift_said

    by = shift_said(typed)
    assert (by.total_seconds() / 60 if by is not None else None) == minutes


@pytest.mark.parametrize(("typed", "hours"), [
    ("พรุ่งนี้ ๗ โมง-๘ โมง", ("07:00", "08:00")), ("พรุ่งนี้ 9 โมง - 12 โมง", ("09:00", "12:00")),
    ("พรุ่งนี้ 9-12 โมง", ("09:00", "12:00")), ("พรุ่งนี้ บ่าย 1-4 โมง", ("13:00", "16:00")),
    ("พรุ่งนี้ 5 โมงเย็น-6 โมงครึ่ง", ("17:00", "18:30")), ("5/12/2570 09:00-11:00", ("09:00", "11:00")),
    ("พรุ่งนี้ 9 โมง", ("09:00", "11:00")),
])
def test_hours_joined_by_a_dash_are_a_start_and_an_end(typed, hours):
    """A "-" between word times was not read: “7 โมง-8 โมง” became 07:00–09:00, “9-12 โมง” 9 Dec at noon."""
    from bot.handlers.activities import parse_span

    start, end = parse_span(typed, datetime(2026, 12, 1, 6, 0, tzinfo=BKK))
    assert (f"{start:%H:%M}", f"{end:%H:%M}") == hours and start.date() != datetime(2026, 12, 9).date()


def test_next_week_with_hours_at_the_date_step_asks_which_day_keeping_the_hours(chat, harness, db):
    """“สัปดาห์หน้า 9 โมง” at the date step got “อ่านวันเวลาไม่ออกค่ะ”; now the days of next week are chips, as for
    “อาทิตย์หน้า” alone, and the hours typed stay with the day tapped."""
    now = _tuesday_morning()
    harness.set_clock(now)
    monday = now + timedelta(days=6)
    thursday = monday + timedelta(days=3)
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("เดินเร็ว").say("สัปดาห์หน้า 9 โมง")
    staff.expect(f"ช่วง {format_date(monday)} ถึง {format_date(monday + timedelta(days=6))} (เวลา 09:00–11:00 น.) "
                 "จัดวันไหนคะ")
    staff.expect_not("อ่านวันเวลาไม่ออก", "ออกจากขั้นตอน")
    assert staff.quick_labels()[0] == f"จันทร์ {monday.day} {MONTHS_SHORT[monday.month - 1]}"
    staff.tap(f"พฤหัสบดี {thursday.day}").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect(format_date(thursday), "09:00–11:00")
    # Both ends of the hours typed stay too.
    staff.say("ยกเลิก").say("เพิ่มกิจกรรม").say("โยคะ").say("อาทิตย์หน้า บ่าย 1 โมง ถึง บ่าย 3 โมง").expect("จัดวันไหนคะ")
    staff.tap(f"พฤหัสบดี {thursday.day}").expect("จัดที่ไหนคะ")
    staff.say("ลานวัด").tap("20 ที่").tap("ทั้งเขต").expect(format_date(thursday), "13:00–15:00")
