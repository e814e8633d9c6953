"""Activity journeys as dialogues through signed webhooks (the `chat` helper)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.services import activities as svc
from bot.thaidate import BKK, MONTHS_SHORT, format_date, format_datetime, now_utc
from storage.models import Activity, Community, Signup, User
from tests.support.chat import actions_in

U1, U2, U3 = "U" + "1" * 32, "U" + "2" * 32, "U" + "3" * 32
STAFF = "U" + "9" * 32


def next_saturday(after: datetime) -> datetime:
    day = after.astimezone(BKK)
    days = (5 - day.weekday()) % 7 or 7
    return (day + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def make_activity(db):
    def make(title: str = "ตรวจสุขภาพประจำปี", capacity: int = 10, starts: datetime | None = None,
             place: str = "ศาลาชุมชนลาดพร้าว 101", topic: str | None = "emerging",
             target_group: str | None = None) -> Activity:
        starts = starts or now_utc() + timedelta(days=3)
        with db.session() as s:
            activity = Activity(title=title, description="ตรวจความดันและน้ำตาลในเลือด", place=place,
                                starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=capacity,
                                topic=topic, signup_deadline=starts - timedelta(hours=12), status="published",
                                target_group=target_group)
            s.add(activity)
        return activity

    return make


def signup_of(db, line_user_id: str, activity_id: int) -> Signup | None:
    with db.session(readonly=True) as s:
        user = s.scalar(select(User).where(User.line_user_id == line_user_id))
        return s.scalar(select(Signup).where(Signup.user_id == user.id, Signup.activity_id == activity_id))


def test_browse_sign_up_with_companions_get_code(chat, make_activity, db):
    act = make_activity(capacity=5)
    u = chat(U1)
    u.say("กิจกรรม").expect("ตรวจสุขภาพประจำปี", "ศาลาชุมชนลาดพร้าว 101", "เหลือ 5 ที่", "2569")
    # The title is quoted as Thai quotes it, “…” (it was 「…」 here, and “…” elsewhere).
    u.tap("สมัคร").expect("“ตรวจสุขภาพประจำปี”\nไปกี่คนคะ")
    u.say("๓").expect("สรุปการสมัครค่ะ\n“ตรวจสุขภาพประจำปี”", "จำนวน 3 คน", "ยังมีที่ว่าง 5 ที่")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จค่ะ 🎉\n“ตรวจสุขภาพประจำปี”", "รหัสเช็คอิน").expect_not("「", "」")
    row = signup_of(db, U1, act.id)
    assert row.status == "confirmed" and row.party_size == 3
    u.expect(row.checkin_code).expect_not("originalContentUrl")
    assert not any(m["type"] == "image" for m in u.last)  # no public HTTPS address: code only
    u.say("ที่ฉันสมัครไว้").expect("ตรวจสุขภาพประจำปี", "ยืนยันแล้ว · 3 คน", row.checkin_code)


def test_details_card(chat, make_activity):
    act = make_activity()
    u = chat(U1).say("กิจกรรม").tap("รายละเอียด")
    u.expect("ตรวจความดันและน้ำตาลในเลือด", "ปิดรับสมัคร", "โรคอุบัติใหม่").expect_not(f"#{act.id}")
    assert "รายละเอียด" not in [a.get("label") for a in actions_in(u.last)]  # it is the details already
    staff = chat(STAFF, role="staff").say("กิจกรรม").tap("รายละเอียด")
    staff.expect(f"รหัสกิจกรรม #{act.id}", "คำสั่งกิจกรรม", "รายชื่อผู้สมัคร")


def test_full_goes_to_waitlist(chat, make_activity, db):
    act = make_activity(capacity=1)
    chat(U1).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u2 = chat(U2)
    u2.say("กิจกรรม").expect("เต็มแล้ว").tap("สมัคร").tap("1 คน").expect("รายชื่อสำรอง")
    u2.tap("ยืนยันสมัคร").expect("อยู่ในรายชื่อสำรองลำดับที่ 1")
    assert signup_of(db, U2, act.id).status == "waitlisted"


def test_cancel_promotes_first_on_waitlist_by_push(chat, make_activity, harness, db):
    act = make_activity(capacity=1)
    chat(U1).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร")
    u2 = chat(U2)
    u2.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลำดับที่ 1")
    u3 = chat(U3)
    u3.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลำดับที่ 2")

    u1 = chat(U1)
    u1.say("ยกเลิกการสมัคร").expect("ยกเลิกการสมัคร “ตรวจสุขภาพประจำปี”", "ใช่ไหมคะ",  # their only one
                                    "ที่นั่งจะส่งต่อให้คนในรายชื่อสำรอง")
    # The question's own "no" is the way out: no "ยกเลิก" chip beside "ยืนยันยกเลิกสมัคร" (it was tapped to
    # mean "cancel my sign-up", kept it and said "ยกเลิกยกเลิกการสมัครกิจกรรมแล้วค่ะ").
    assert [i["action"]["label"] for i in u1.last[-1]["quickReply"]["items"]] == ["ยืนยันยกเลิกสมัคร", "ไม่ยกเลิก"]
    # A bare "ยกเลิก" here could mean either: asked again (it kept the sign-up, saying "ยกเลิกยกเลิก…").
    u1.say("ยกเลิก").expect("ยกเลิกใช่ไหมคะ แตะ “ยืนยันยกเลิกสมัคร” เพื่อยืนยัน").expect_not("ยกเลิกยกเลิก")
    assert signup_of(db, U1, act.id).status == "confirmed"
    u1.say("พอแล้ว").expect("ได้ค่ะ ไม่ทำรายการนี้ต่อแล้ว ทุกอย่างยังเหมือนเดิมนะคะ")  # another way out: nothing changed
    assert signup_of(db, U1, act.id).status == "confirmed"
    u1.say("ยกเลิกการสมัคร")
    assert signup_of(db, U1, act.id).status == "confirmed"  # nothing happens before the confirmation
    u1.say("ยกเลิกเลยค่ะ").expect("ยกเลิกการสมัคร", "แล้วค่ะ").expect_not("ออกจากขั้นตอน")  # yes, in words
    assert signup_of(db, U1, act.id).status == "cancelled"
    assert signup_of(db, U2, act.id).status == "confirmed"
    harness.run_outbox()
    harness.wait()
    u2.refresh().expect("มีที่ว่างแล้ว", "ตรวจสุขภาพประจำปี", signup_of(db, U2, act.id).checkin_code)
    u3.refresh().expect_quiet()


def test_waitlist_passes_over_who_blocked_the_bot(chat, make_activity, harness, db):
    """r3 waited first, then blocked the bot: r4, next and reachable, gets the seat (r3 was confirmed, r4 waited)."""
    U4 = "U" + "4" * 32
    act = make_activity(capacity=1)
    chat(U2).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    chat(U3).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลำดับที่ 1").unfollow()
    u4 = chat(U4)
    u4.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลำดับที่ 2")
    chat(U2).say("ยกเลิกการสมัคร").tap("ยืนยันยกเลิกสมัคร").expect("ยกเลิกการสมัคร", "แล้วค่ะ")
    assert signup_of(db, U3, act.id).status == "waitlisted"
    assert signup_of(db, U4, act.id).status == "confirmed"
    harness.run_outbox()
    harness.wait()
    u4.refresh().expect("มีที่ว่างแล้ว", "ตรวจสุขภาพประจำปี", signup_of(db, U4, act.id).checkin_code)
    assert "มีที่ว่างแล้ว" not in str(harness.messages_to(U3, 0))


@pytest.mark.parametrize("closes,said", [
    ("starts_at", "กิจกรรม “ยืดเหยียดเช้า” เริ่มไปแล้วค่ะ ไว้ร่วมครั้งหน้านะคะ"),
    ("signup_deadline", "ขออภัยค่ะ กิจกรรม “ยืดเหยียดเช้า” ปิดรับสมัครแล้ว ไว้ร่วมกิจกรรมครั้งหน้านะคะ"),
])
def test_summary_confirmed_after_the_start_or_deadline_ends_the_sign_up(chat, make_activity, db, closes, said):
    """It said why, then asked the summary again ("ยังมีที่ว่าง 10 ที่ค่ะ ยืนยันการสมัครไหมคะ"), round and round,
    and "สวัสดี" got "แตะปุ่มด้านล่าง หรือพิมพ์ “ใช่” หรือ “ไม่ใช่”". Now the journey ends with the reason and the
    activities still open."""
    soon = make_activity(title="ยืดเหยียดเช้า", starts=now_utc() + timedelta(days=1))
    make_activity(title="รำไม้พลอง", starts=now_utc() + timedelta(days=4))
    u = chat(U2)
    u.postback(f"activity.signup?id={soon.id}").tap("1 คน").expect("ยังมีที่ว่าง 10 ที่ค่ะ", "ยืนยันการสมัครไหมคะ")
    with db.session() as s:  # the time passes while the summary waits
        setattr(s.get(Activity, soon.id), closes, now_utc() - timedelta(minutes=1))
    u.say("ยืนยัน").expect(said, "กิจกรรมอื่นที่ยังเปิดรับสมัครอยู่").expect_not("ยืนยันการสมัครไหมคะ", "รายชื่อสำรอง")
    assert any("รำไม้พลอง" in label for label in u.quick_labels())
    assert not any("ยืดเหยียดเช้า" in label for label in u.quick_labels())
    assert signup_of(db, U2, soon.id) is None
    u.say("สวัสดี").expect_not("แตะปุ่มด้านล่าง หรือพิมพ์", "ยืนยันการสมัครไหมคะ")
    u.say("ยืนยัน").expect_not("ยืนยันการสมัครไหมคะ", "เริ่มไปแล้ว", "ปิดรับสมัครแล้ว")


def test_no_cancelling_after_check_in(chat, make_activity, db):
    """Checked in, she could still cancel: the sign-up became `cancelled` with its attendance kept."""
    act = make_activity(starts=now_utc() + timedelta(hours=1))
    with db.session() as s:
        s.get(Activity, act.id).signup_deadline = None
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    with db.session() as s:  # at the door
        row = s.scalar(select(Signup).where(Signup.activity_id == act.id))
        row.attended_at = now_utc()
    u.say("ยกเลิกการสมัคร").expect("คุณเช็คอินเข้าร่วม “ตรวจสุขภาพประจำปี” แล้วเมื่อ", "จึงยกเลิกการสมัครไม่ได้แล้ว")
    u.expect_not("ใช่ไหมคะ")
    u.postback(f"activity.cancel?id={act.id}").expect("เช็คอินเข้าร่วม", "ยกเลิกการสมัครไม่ได้แล้ว")
    u.say("ที่ฉันสมัครไว้").expect("เช็คอินแล้ว · 1 คน")
    assert "ยกเลิกการสมัคร" not in [a.get("label") for m in u.last for a in actions_in(m)]
    row = signup_of(db, U1, act.id)
    assert row.status == "confirmed" and row.attended_at is not None
    with db.session() as s:  # the service refuses too (a reminder's old button, the command line)
        user = s.scalar(select(User).where(User.line_user_id == U1))
        with pytest.raises(svc.ServiceError) as refused:
            svc.cancel_signup(s, user, act.id, now=now_utc())
        assert refused.value.code == "already_checked_in"


def test_no_changing_how_many_go_after_check_in(chat, make_activity, db):
    """Checked in at the door, she could still change how many go (cancelling was already refused): the
    party's seats were used, and the attendance counts went wrong. Refused as cancelling is, with its words."""
    act = make_activity(starts=now_utc() + timedelta(hours=1))
    with db.session() as s:
        s.get(Activity, act.id).signup_deadline = None
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").tap("2 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ขอเปลี่ยนเป็น 3 คนค่ะ").expect("จาก 2 เป็น 3 คน", "ใช่ไหมคะ")  # asked before she came
    with db.session() as s:  # at the door
        s.scalar(select(Signup).where(Signup.activity_id == act.id)).attended_at = now_utc()
    u.tap("ใช่ เปลี่ยนเลย").expect("คุณเช็คอินเข้าร่วม “ตรวจสุขภาพประจำปี” แล้วเมื่อ", "จึงแก้จำนวนคนไม่ได้แล้ว")
    u.expect_not("ใช่ไหมคะ", "เป็น 3 คนแล้วค่ะ")
    u.say("ลดเหลือ 1 คน").expect("จึงแก้จำนวนคนไม่ได้แล้ว").expect_not("ใช่ไหมคะ")  # said at once, no question
    u.postback(f"activity.party?id={act.id}").expect("จึงแก้จำนวนคนไม่ได้แล้ว").expect_not("จะเปลี่ยนเป็นกี่คนคะ")
    assert signup_of(db, U1, act.id).party_size == 2
    with db.session() as s:  # the service refuses too (the command line, an old button)
        user = s.scalar(select(User).where(User.line_user_id == U1))
        with pytest.raises(svc.ServiceError) as refused:
            svc.change_party(s, user, act.id, 1, now=now_utc())
        assert (refused.value.code, refused.value.final) == ("already_checked_in", True)


def test_the_party_button_shows_only_when_the_party_can_change(chat, make_activity, db):
    """"แก้จำนวนคน" was on every card: one person in a full activity tapped it to hear nothing could change."""
    full = make_activity(title="รำไม้พลอง", capacity=1)
    roomy = make_activity(title="เดินเร็ว", capacity=5)
    pair = make_activity(title="โยคะ", capacity=2)
    u = chat(U1)
    for act, party in ((full, "1"), (roomy, "1"), (pair, "2")):
        u.postback(f"activity.signup?id={act.id}").say(party).tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")

    def party_buttons() -> list[str]:
        u.say("ที่ฉันสมัครไว้")
        return [a["data"] for m in u.last for a in actions_in(m) if a.get("label") == "แก้จำนวนคน"]

    # full and one person: no fewer, no more; two in a full activity may go down; room left: either way
    assert sorted(party_buttons()) == sorted([f"activity.party?id={roomy.id}", f"activity.party?id={pair.id}"])
    u.say("รำไม้พลองขอเปลี่ยนเป็น 2 คน").expect("ยังไปได้ 1 คนเหมือนเดิม").expect_not("ใช่ไหมคะ")  # the same rule
    with db.session() as s:  # sign-up closed: one person can no longer become more
        s.get(Activity, roomy.id).signup_deadline = now_utc() - timedelta(minutes=1)
    assert party_buttons() == [f"activity.party?id={pair.id}"]
    with db.session() as s:  # checked in: nothing changes any more
        s.scalar(select(Signup).where(Signup.activity_id == pair.id)).attended_at = now_utc()
    assert party_buttons() == []


def test_staff_cancel_says_what_was_not_done_and_finds_the_activity_by_name(chat, make_activity, harness, db):
    """"ยกเลิก" at the step said "ยกเลิกจัดการกิจกรรมแล้วค่ะ" (read as the activity cancelled); a name typed got
    "ตอนนี้คุณยังไม่ได้สมัครกิจกรรมไหนค่ะ", as if staff were a resident cancelling a sign-up."""
    act = make_activity(title="เดินเร็วรอบสวน")
    make_activity(title="รำไม้พลอง")
    r1 = chat(U1)
    r1.postback(f"activity.signup?id={act.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff = chat(STAFF, role="staff")
    staff.say(f"ยกเลิกกิจกรรม {act.id}").expect("ยืนยันไหมคะ")
    staff.say("ยกเลิก").expect("ไม่ได้ยกเลิกกิจกรรม “เดินเร็วรอบสวน” กิจกรรมยังเผยแพร่อยู่ตามเดิม")
    staff.expect_not("ยกเลิกจัดการกิจกรรมแล้ว", "ไม่มีข้อมูลใดถูกส่ง")
    staff.say(f"ยกเลิกกิจกรรม {act.id}").tap("ไม่ทำแล้ว").expect("ไม่ได้ยกเลิกกิจกรรม “เดินเร็วรอบสวน”")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).status == "published"
    staff.say("ยกเลิกกิจกรรมเดินเร็วรอบสวนนะคะ ฝนตก")
    staff.expect("ยกเลิกกิจกรรม “เดินเร็วรอบสวน”", "เหตุผลที่จะแจ้งผู้สมัคร: ฝนตก", "ยืนยันไหมคะ")
    staff.expect_not("ยังไม่ได้สมัครกิจกรรมไหน", "รำไม้พลอง")
    staff.tap("ยืนยัน").expect("ยกเลิกกิจกรรมแล้วค่ะ")
    harness.run_outbox()
    harness.wait()
    r1.refresh().expect("“เดินเร็วรอบสวน”", "ถูกยกเลิกแล้ว", "เหตุผล: ฝนตก")
    # A resident naming an activity never gets the staff journey: only their own sign-ups.
    r1.say("ยกเลิกกิจกรรมรำไม้พลองนะคะ ไม่ว่าง").expect_not("ยืนยันไหมคะ", "เหตุผลที่จะแจ้งผู้สมัคร")
    with db.session(readonly=True) as s:
        assert [a.status for a in s.scalars(select(Activity).where(Activity.title == "รำไม้พลอง"))] == ["published"]
    # Staff who signed up for it themselves cancel their own sign-up, as anyone would.
    other = make_activity(title="รำไม้พลองเช้า", starts=now_utc() + timedelta(days=5))
    staff.postback(f"activity.signup?id={other.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff.say("ขอยกเลิกรำไม้พลองเช้าค่ะ").expect("ยกเลิกการสมัคร “รำไม้พลองเช้า”", "ใช่ไหมคะ")


def test_a_new_activity_gets_the_topic_and_group_its_title_suggests_and_residents_find_it(chat, db):
    """Added in chat, an activity had no topic or target group: "มีอะไรให้ผู้สูงอายุทำบ้าง" never found it."""
    day = (now_utc() + timedelta(days=2)).astimezone(BKK)
    when = f"{day.day}/{day.month}/{day.year + 543} 09:00-10:00"
    staff = chat(STAFF, role="staff")
    staff.say(f"เพิ่มกิจกรรม โยคะผู้สูงอายุ | {when} | ลานวัด | 20")
    staff.expect("หัวข้อ: ออกกำลังกาย · เหมาะกับ: ผู้สูงอายุ", "ยืนยันไหมคะ")
    assert {"เปลี่ยนหัวข้อ", "เปลี่ยนกลุ่มเป้าหมาย"} <= set(staff.quick_labels())
    staff.tap("เปลี่ยนหัวข้อ").expect("เป็นเรื่องอะไรคะ").tap("สุขภาพจิต").expect("หัวข้อ: สุขภาพจิต · เหมาะกับ: ผู้สูงอายุ")
    staff.tap("เปลี่ยนหัวข้อ").tap("ออกกำลังกาย").expect("หัวข้อ: ออกกำลังกาย")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้วค่ะ")
    # Step by step: suggested after the title, and "ทุกกลุ่ม" takes the group away.
    staff.say("เพิ่มกิจกรรม").say("เดินเร็วรอบสวน").say(when).say("สวนรถไฟ").tap("30 ที่").tap("ทั้งเขต")
    staff.expect("หัวข้อ: ออกกำลังกาย · เหมาะกับ: ทุกกลุ่ม")
    staff.tap("เปลี่ยนกลุ่มเป้าหมาย").tap("วัยทำงาน").expect("เหมาะกับ: วัยทำงาน")
    staff.tap("เปลี่ยนกลุ่มเป้าหมาย").tap("ทุกกลุ่ม").expect("เหมาะกับ: ทุกกลุ่ม").tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้วค่ะ")
    with db.session(readonly=True) as s:
        added = {a.title: (a.topic, a.target_group) for a in s.scalars(select(Activity))}
    assert added == {"โยคะผู้สูงอายุ": ("physical_activity", "elderly"), "เดินเร็วรอบสวน": ("physical_activity", None)}
    u = chat(U1)
    u.say("มีอะไรให้ผู้สูงอายุทำบ้าง").expect("โยคะผู้สูงอายุ").expect_not("เดินเร็วรอบสวน")
    u.say("อยากไปออกกำลังกาย มีกิจกรรมอะไรบ้าง").expect("โยคะผู้สูงอายุ", "เดินเร็วรอบสวน")


def test_my_signups_empty_and_keep_on_no(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    u.say("ที่ฉันสมัครไว้").expect("ยังไม่ได้สมัครกิจกรรมไหน")
    u.say("กิจกรรม").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.tap("ที่ฉันสมัครไว้").tap("ยกเลิกการสมัคร").tap("ไม่ยกเลิก").expect("ยังคงสมัครไว้")
    assert signup_of(db, U1, act.id).status == "confirmed"


def test_back_and_cancel_mid_flow(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").say("ไปสิบห้าคน").expect("1–10 คน")  # re-asked with the reason
    u.say("2").expect("จำนวน 2 คน")
    u.say("ย้อนกลับ").expect("ไปกี่คนคะ")
    u.tap("4 คน").expect("จำนวน 4 คน")
    u.tap("แก้จำนวนคน").expect("ไปกี่คนคะ").tap("1 คน").expect("จำนวน 1 คน")
    # It said "ยกเลิกสมัครกิจกรรมแล้วค่ะ ไม่มีข้อมูลใดถูกส่งนะคะ", which reads as a sign-up cancelled.
    u.say("ยกเลิก").expect("ออกจากการสมัครแล้วค่ะ กิจกรรมนี้ยังไม่ได้สมัครไว้นะคะ").expect_not("ยกเลิกสมัครกิจกรรม")
    assert signup_of(db, U1, act.id) is None
    u.say("กิจกรรม").tap("สมัคร").expect("ไปกี่คนคะ").say("ยกเลิก").expect("ออกจากการสมัครแล้วค่ะ")
    u.say("กิจกรรม").tap("สมัคร").tap("2 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ที่ฉันสมัครไว้").tap("แก้จำนวนคน").expect("จะเปลี่ยนเป็นกี่คนคะ")
    u.say("ยกเลิก").expect("ไม่เปลี่ยนจำนวนคน ยังสมัครไว้เหมือนเดิมนะคะ").expect_not("ยกเลิกแก้จำนวนคน")
    assert signup_of(db, U1, act.id).party_size == 2


def test_old_button_is_answered_not_acted_on_twice(chat, make_activity, db):
    act = make_activity(capacity=5)
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").tap("2 คน")
    confirm_action = u.find_action("ยืนยันสมัคร")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.postback(confirm_action["data"]).expect("ปุ่มนี้ใช้ไม่ได้แล้ว")
    with db.session(readonly=True) as s:
        assert s.scalar(select(Signup.id).where(Signup.activity_id == act.id)) is not None
        assert len(list(s.scalars(select(Signup).where(Signup.activity_id == act.id)))) == 1
    u.say("กิจกรรม").expect("คุณสมัครแล้ว")


def test_sign_up_again_says_already(chat, make_activity):
    make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร")
    # an old card from before the sign-up still has its "สมัคร" button
    u.say("ขอลงชื่อไปตรวจสุขภาพประจำปี 2 คน").expect("สมัคร “ตรวจสุขภาพประจำปี” ไว้แล้ว")


def test_signup_sentence_prefills_activity_and_count(chat, make_activity, db):
    act = make_activity(title="ตรวจสุขภาพประจำปี")
    make_activity(title="อบรมคัดแยกขยะในครัวเรือน", topic="environment")
    u = chat(U1)
    u.say("ขอลงชื่อไปตรวจสุขภาพ 2 คน").expect("สรุปการสมัคร", "ตรวจสุขภาพประจำปี", "จำนวน 2 คน")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, act.id).party_size == 2


def test_a_topic_filters_the_list_only_when_the_message_names_it(chat, make_activity):
    make_activity(title="ตรวจสุขภาพประจำปี", topic="emerging")
    make_activity(title="อบรมคัดแยกขยะในครัวเรือน", topic="environment")
    u = chat(U1)
    u.say("มีกิจกรรมเพิ่มสุขภาพไหมคะ").expect("ตรวจสุขภาพประจำปี", "อบรมคัดแยกขยะในครัวเรือน")
    u.say("มีกิจกรรมเรื่องขยะไหม").expect("อบรมคัดแยกขยะในครัวเรือน").expect_not("ตรวจสุขภาพประจำปี")


def test_filter_by_date_words(chat, make_activity):
    saturday = next_saturday(now_utc())
    make_activity(title="แอโรบิกวันเสาร์", starts=saturday.astimezone(BKK).replace(hour=7))
    make_activity(title="ไม้พลองวันอาทิตย์", starts=(saturday + timedelta(days=1)).replace(hour=17))
    u = chat(U1)
    u.say("เสาร์นี้มีกิจกรรมอะไรบ้าง").expect("แอโรบิกวันเสาร์", format_date(saturday)).expect_not("ไม้พลอง")
    u.tap("ดูทั้งหมด").expect("แอโรบิกวันเสาร์", "ไม้พลองวันอาทิตย์")


def test_filter_by_part_of_the_day(chat, make_activity):
    """"ตอนเช้า", "ช่วงบ่าย", "เย็นๆ" keep the activities starting then, Bangkok time (they showed everything)."""
    saturday = next_saturday(now_utc())
    make_activity(title="แอโรบิกยามเช้า", starts=saturday.replace(hour=7), topic="physical_activity")
    make_activity(title="ตลาดนัดยามเช้า", starts=saturday.replace(hour=6))
    make_activity(title="อบรมปฐมพยาบาล", starts=saturday.replace(hour=13))
    make_activity(title="ไม้พลองตอนเย็น", starts=(saturday + timedelta(days=1)).replace(hour=17))
    u = chat(U1)
    u.say("เสาร์นี้ตอนเช้ามีกิจกรรมอะไรบ้างคะ").expect("แอโรบิกยามเช้า", "ช่วงเช้า").expect_not("อบรมปฐมพยาบาล")
    u.say("มีกิจกรรมช่วงบ่ายไหม").expect("อบรมปฐมพยาบาล").expect_not("แอโรบิกยามเช้า", "ไม้พลองตอนเย็น")
    u.say("เย็นๆ มีอะไรให้ทำบ้าง").expect("ไม้พลองตอนเย็น").expect_not("อบรมปฐมพยาบาล")
    # A clock time is not a part of the day, and an activity named with one is still found by its name.
    u.say("ตลาดนัดยามเช้าจัดที่ไหนคะ").expect("ตลาดนัดยามเช้า", "ศาลาชุมชนลาดพร้าว 101").expect_not("แอโรบิกยามเช้า")
    # Nothing that evening on Saturday: the nearest ones instead, said so.
    u.say("เสาร์นี้ตอนค่ำมีกิจกรรมไหม").expect("ไม่มีกิจกรรม", "แอโรบิกยามเช้า")


def test_signing_up_typed_after_a_card_or_a_list_is_about_what_was_shown(chat, make_activity, db):
    """"สมัครค่ะ" typed after reading one card signs up for that one; after a filtered list it picks from
    that list (both showed every upcoming activity)."""
    saturday = next_saturday(now_utc())
    make_activity(title="แอโรบิกวันเสาร์", starts=saturday.replace(hour=7), topic="physical_activity")
    make_activity(title="อบรมปฐมพยาบาล", starts=saturday.replace(hour=13), topic=None)
    sunday = make_activity(title="ไม้พลองวันอาทิตย์", starts=(saturday + timedelta(days=1)).replace(hour=17))
    u = chat(U1)
    u.say("เสาร์นี้มีกิจกรรมอะไรบ้าง").expect("แอโรบิกวันเสาร์", "อบรมปฐมพยาบาล").expect_not("ไม้พลองวันอาทิตย์")
    u.say("สมัครจ้ะ").expect("อยากสมัครกิจกรรมไหนคะ", "แอโรบิกวันเสาร์", "อบรมปฐมพยาบาล").expect_not("ไม้พลองวันอาทิตย์")
    u.say("กิจกรรม").tap("รายละเอียด").expect("ไม้พลองวันอาทิตย์").expect_not("แอโรบิกวันเสาร์")
    u.say("ขอสมัคร 2 คนค่ะ").expect("สรุปการสมัคร", "ไม้พลองวันอาทิตย์", "จำนวน 2 คน")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, sunday.id).party_size == 2
    # Nothing shown lately (another person): the whole list to pick from, as before.
    chat(U2).say("สมัครค่ะ").expect("อยากสมัครกิจกรรมไหนคะ", "แอโรบิกวันเสาร์", "ไม้พลองวันอาทิตย์")


def test_consent_is_needed_to_sign_up_but_not_to_browse(chat, make_activity, db):
    act = make_activity()
    u = chat(U1, consent=False)
    u.say("กิจกรรม").expect("ตรวจสุขภาพประจำปี").tap("สมัคร").expect("ความยินยอม")
    assert signup_of(db, U1, act.id) is None


def test_staff_reschedule_pushes_participants(chat, make_activity, harness, db):
    act = make_activity(capacity=1)
    chat(U1).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร")
    chat(U2).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("สำรอง")
    new_day = (act.starts_at + timedelta(days=7)).astimezone(BKK)
    staff = chat(STAFF, role="staff")
    staff.say(f"เลื่อนกิจกรรม {act.id} | {new_day.day}/{new_day.month}/{new_day.year + 543} 10:00-12:00 | วัดลาดพร้าว")
    staff.expect("จะแจ้งผู้สมัคร 1 คน และรายชื่อสำรอง 1 คนทันที", "วัดลาดพร้าว", "10:00–12:00")
    # Another time typed at the preview is taken and previewed again (it was "ตอบ ใช่ หรือ ไม่ใช่ ได้เลยค่ะ").
    staff.say(f"{new_day.day}/{new_day.month}/{new_day.year + 543} 13:00-15:00").expect("13:00–15:00", "ยืนยันไหมคะ")
    staff.say("ไม่รู้สิ").expect("พิมพ์วันเวลาใหม่")
    staff.say("31 พ.ย. 9 โมง").expect("ไม่มีวันที่ 31 พ.ย. ค่ะ")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).schedule_version == 1  # not before the confirmation
    staff.tap("ยืนยัน").expect("เลื่อนกิจกรรมแล้ว", "แจ้งผู้สมัคร 2 รายแล้ว")
    harness.run_outbox()
    harness.wait()
    for who in (U1, U2):
        chat(who).refresh().expect("แจ้งเลื่อนกิจกรรม", "วัดลาดพร้าว", format_date(new_day), "13:00–15:00")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).schedule_version == 2
    # The new date does not suit the first: one tap on the push's chip gives the seat to the waitlist.
    first = chat(U1).refresh()
    first.tap("ยกเลิกการสมัคร").expect("ยกเลิกการสมัคร “ตรวจสุขภาพประจำปี”").tap("ยืนยันยกเลิกสมัคร")
    assert signup_of(db, U2, act.id).status == "confirmed"


def test_moving_an_activity_to_another_day_clears_the_old_days_check_ins(chat, make_activity, harness, db):
    """Attendance recorded on the old day stayed after the activity moved to a later one: the roster showed ✓
    and, on the new day, the door answered "รหัส … เช็คอินไปแล้วเมื่อ <the old day>". Staff are told first,
    and after the move how many check-ins were cleared."""
    act = make_activity()
    for who in (U1, U2):
        chat(who).postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    with db.session() as s:  # the day has come: at the door
        today = s.get(Activity, act.id)
        today.starts_at, today.ends_at, today.signup_deadline = now_utc(), now_utc() + timedelta(hours=2), None
    code = signup_of(db, U1, act.id).checkin_code
    staff = chat(STAFF, role="staff")
    staff.say(f"เช็คอิน {code}").expect("เช็คอินแล้วค่ะ ✅")
    new_day = (now_utc() + timedelta(days=7)).astimezone(BKK)
    staff.say(f"เลื่อนกิจกรรม {act.id} | {new_day.day}/{new_day.month}/{new_day.year + 543} 09:00-11:00")
    staff.expect("เช็คอิน 1 รายการที่บันทึกไว้เป็นของวันเดิม จะถูกล้างเพื่อเช็คอินใหม่ในวันใหม่", "ยืนยันไหมคะ")
    assert signup_of(db, U1, act.id).attended_at is not None  # not before the confirmation
    staff.tap("ยืนยัน").expect("เลื่อนกิจกรรมแล้วค่ะ ✅", "แจ้งผู้สมัคร 2 รายแล้วนะคะ",
                               "ล้างเช็คอินของวันเดิมแล้ว 1 รายการ ผู้สมัครเช็คอินใหม่ได้ในวันใหม่ค่ะ")
    staff.say(f"รายชื่อผู้สมัคร {act.id}").expect(f"• ผู้ใช้ 1111 1 คน · {code}").expect_not("✓")
    with db.session() as s:  # the new day has come
        s.get(Activity, act.id).starts_at = now_utc()
    staff.say(f"เช็คอิน {code}").expect("เช็คอินแล้วค่ะ ✅").expect_not("เช็คอินไปแล้วเมื่อ")


def test_staff_typing_a_time_already_past_is_told_before_confirming(chat, make_activity, db):
    """It used to show the preview, then refuse at "ยืนยัน" and ask the same question again."""
    act = make_activity()
    yesterday = (now_utc() - timedelta(days=1)).astimezone(BKK)
    past = f"{yesterday.day}/{yesterday.month}/{yesterday.year + 543} 09:00-10:00"
    staff = chat(STAFF, role="staff")
    staff.say(f"เลื่อนกิจกรรม {act.id} | {past}").expect("ผ่านไปแล้วค่ะ", format_date(yesterday))
    staff.expect_not("ยืนยันไหมคะ")
    staff.say(f"สร้างกิจกรรม เดินเร็ว | {past} | สวนรถไฟ | 20").expect("ผ่านไปแล้วค่ะ").expect_not("ยืนยันไหมคะ")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).starts_at == act.starts_at
        assert s.scalar(select(Activity).where(Activity.title == "เดินเร็ว")) is None


def test_staff_edit_seats_and_place_by_chat(chat, make_activity, harness, db):
    """More seats give the waitlist its places; a new place is pushed to everyone signed up."""
    act = make_activity(capacity=1, place="ลานวัด")
    chat(U1).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    chat(U2).say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("สำรอง")
    staff = chat(STAFF, role="staff")
    staff.say(f"แก้กิจกรรม {act.id} | ที่นั่ง ๒๐ | สถานที่ ศาลาชุมชน")
    staff.expect("ที่นั่ง: 1 → 20", "สถานที่: ลานวัด → ศาลาชุมชน", "ผู้สมัคร 1 คน และรายชื่อสำรอง 1 คน", "ยืนยันไหมคะ")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).capacity == 1  # not before the confirmation
    staff.tap("ยืนยัน").expect("แก้ไขกิจกรรมแล้วค่ะ", "แจ้งสถานที่ใหม่ให้ผู้สมัคร 2 ราย", "รายชื่อสำรองขึ้นมาได้ที่นั่ง 1")
    assert signup_of(db, U2, act.id).status == "confirmed"
    harness.run_outbox()
    harness.wait()
    chat(U1).refresh().expect("แจ้งเปลี่ยนสถานที่", "ศาลาชุมชน")
    chat(U2).refresh().expect("มีที่ว่างแล้ว")


def test_staff_edit_explains_what_it_cannot_read(chat, make_activity, db):
    act = make_activity(capacity=5)
    staff = chat(STAFF, role="staff")
    staff.say(f"แก้กิจกรรม {act.id}").expect("แก้กิจกรรม 12 | ที่นั่ง 40")
    staff.say("แก้ไขกิจกรรม").expect("แก้กิจกรรม 12 | ที่นั่ง 40", "เลขกิจกรรมดูได้จากการ์ด")
    staff.say(f"แก้กิจกรรม {act.id} | สีเสื้อ แดง").expect("ไม่เข้าใจ “สีเสื้อ แดง”")
    staff.say(f"แก้กิจกรรม {act.id} | ที่นั่ง หลายคน").expect("จำนวนที่นั่งต้องเป็นตัวเลข")
    chat(U1).say(f"แก้กิจกรรม {act.id} | ที่นั่ง 99").expect_not("ยืนยันไหมคะ")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).capacity == 5


def test_staff_add_an_activity_step_by_step(chat, db):
    """"เพิ่มกิจกรรม" alone asks field by field (no "|" to type on a phone), then the same preview."""
    staff = chat(STAFF, role="staff")
    staff.say("สร้างกิจกรรม").expect("กิจกรรมชื่ออะไรคะ")
    staff.say("โยคะผู้สูงวัย").expect("จัดวันไหน")
    yesterday = (now_utc() - timedelta(days=1)).astimezone(BKK)
    staff.say(f"{yesterday.day}/{yesterday.month}/{yesterday.year + 543} 09:00-10:00").expect("ผ่านไปแล้วค่ะ", "จัดวันไหน")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say(f"{day.day}/{day.month}/{day.year + 543} 08:00-09:00").expect("จัดที่ไหนคะ")
    staff.say("ลานชุมชน").expect("รับได้กี่คนคะ")
    staff.say("หลายคน").expect("ขอเป็นตัวเลข")
    staff.say("ศูนย์บริการสาธารณสุข 44").expect("ขอเป็นตัวเลข")  # a place typed a step late is not 44 seats
    staff.say("ยี่สิบห้าคน").expect("ชุมชนไหนคะ")  # seats in words, as the idea form takes them
    staff.say("ย้อนกลับ").expect("รับได้กี่คนคะ")
    staff.tap("30 ที่").expect("ชุมชนไหนคะ")
    staff.tap("ทั้งเขต").expect("เผยแพร่กิจกรรมใหม่นะคะ", "“โยคะผู้สูงวัย”", "08:00–09:00", "ลานชุมชน", "ที่นั่ง 30")
    with db.session(readonly=True) as s:
        assert s.scalar(select(Activity).where(Activity.title == "โยคะผู้สูงวัย")) is None  # not before "ยืนยัน"
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    with db.session(readonly=True) as s:
        act = s.scalar(select(Activity).where(Activity.title == "โยคะผู้สูงวัย"))
        assert (act.place, act.capacity, act.community_id) == ("ลานชุมชน", 30, None)
        assert act.starts_at.astimezone(BKK).date() == day.date()


def test_back_from_the_step_by_step_preview_changes_an_answer(chat, db):
    """The preview is the form's last step: "ย้อนกลับ" there goes back to the answers (it used to say it was
    the first question, and the form had to be started again)."""
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").expect("กิจกรรมชื่ออะไรคะ")
    staff.say("เดินเร็วรอบสวน").say(f"{day.day}/{day.month}/{day.year + 543} 07:00-08:00").say("สวนรถไฟ")
    staff.tap("30 ที่").tap("ทั้งเขต").expect("เผยแพร่กิจกรรมใหม่นะคะ", "ที่นั่ง 30")
    staff.say("ย้อนกลับ").expect("ชุมชนไหนคะ").expect_not("คำถามแรก")
    staff.say("ย้อนกลับ").expect("รับได้กี่คนคะ")
    # The community answered already is kept: straight back to the preview.
    staff.say("๕๐").expect("“เดินเร็วรอบสวน”", "ที่นั่ง 50", "สวนรถไฟ", "ทั้งเขต").expect_not("ชุมชนไหนคะ")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    with db.session(readonly=True) as s:
        assert s.scalar(select(Activity.capacity).where(Activity.title == "เดินเร็วรอบสวน")) == 50
    staff.say("เพิ่มกิจกรรม").say("ปลูกผัก").say(f"{day.day}/{day.month}/{day.year + 543} 09:00-10:00")
    staff.say("ศาลา").tap("20 ที่").tap("ทั้งเขต").tap("ไม่ทำแล้ว").expect("ไม่ได้เปลี่ยนแปลงอะไรค่ะ")
    with db.session(readonly=True) as s:
        assert s.scalar(select(Activity).where(Activity.title == "ปลูกผัก")) is None


def test_staff_publish_cancel_and_checkin(chat, make_activity, harness, db):
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=5)).astimezone(BKK)
    staff.say(f"เพิ่มกิจกรรม เดินเร็วรอบสวน | {day.day}/{day.month}/{day.year + 543} 06:30-07:30 | สวนรถไฟ | 20")
    staff.expect("เผยแพร่กิจกรรมใหม่", "เดินเร็วรอบสวน", "สวนรถไฟ").tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    with db.session(readonly=True) as s:
        act = s.scalar(select(Activity).where(Activity.title == "เดินเร็วรอบสวน"))
    chat(U1).say("กิจกรรม").expect("เดินเร็วรอบสวน").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, U1, act.id).checkin_code
    staff.say(f"เช็คอิน {code.lower()}").expect("ยังเช็คอินไม่ได้ค่ะ", "ไม่ใช่วันนี้")  # five days early
    with db.session() as s:  # the day has come
        s.get(Activity, act.id).starts_at = now_utc()
    staff.say(f"เช็คอิน {code.lower()}").expect("เช็คอินแล้ว")
    staff.say(f"เช็คอิน {code}").expect("เช็คอินไปแล้ว")
    chat(U2).say(f"เช็คอิน {code}").expect("เจ้าหน้าที่เท่านั้น")
    staff.say(f"ยกเลิกกิจกรรม {act.id} | ฝนตกหนัก").expect("ยืนยันไหมคะ").tap("ยืนยัน").expect("ยกเลิกกิจกรรมแล้ว")
    harness.run_outbox()
    harness.wait()
    chat(U1).refresh().expect("ถูกยกเลิกแล้ว", "ฝนตกหนัก")
    with db.session(readonly=True) as s:
        assert svc.upcoming(s, now_utc()) == []


def test_a_cancel_reason_is_told_without_the_particles_and_because_before_it(chat, make_activity, harness):
    """QA: "ยกเลิกกิจกรรม 31 ค่ะ ฝนตกหนัก" reached residents as "…ถูกยกเลิกแล้ว เหตุผล: ค่ะ ฝนตกหนัก"."""
    act = make_activity(title="เดินเร็วรอบสวน")
    other = make_activity(title="รำไม้พลอง")
    r1 = chat(U1)
    r1.postback(f"activity.signup?id={act.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    r1.postback(f"activity.signup?id={other.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff = chat(STAFF, role="staff")
    staff.say(f"ยกเลิกกิจกรรม {act.id} ค่ะ ฝนตกหนัก").expect("เหตุผลที่จะแจ้งผู้สมัคร: ฝนตกหนัก").tap("ยืนยัน")
    staff.say("ยกเลิกกิจกรรมรำไม้พลองนะคะ เพราะว่าวิทยากรป่วย").expect("เหตุผลที่จะแจ้งผู้สมัคร: วิทยากรป่วย").tap("ยืนยัน")
    harness.run_outbox()
    harness.wait()
    r1.refresh().expect("เหตุผล: ฝนตกหนัก", "เหตุผล: วิทยากรป่วย").expect_not("ค่ะ ฝนตก", "เพราะว่า")


def test_typing_another_request_mid_flow_asks_before_leaving(chat, make_activity, db):
    activity = make_activity(title="ตรวจสุขภาพประจำปี")
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").expect("ไปกี่คนคะ")
    u.say("โครงการที่ฉันเสนอไปถึงไหนแล้ว").expect("ออกจากขั้นตอนเดิมไหมคะ", "สมัครกิจกรรม")
    u.tap("ทำต่อ").expect("ไปกี่คนคะ")
    u.say("ไม่รู้สิ").expect("ไปกี่คนคะ").expect_not("ออกจากขั้นตอนเดิม")  # not a request: asked again
    u.say("โครงการที่ฉันเสนอไปถึงไหนแล้ว").tap("ออกเลย").expect("ยังไม่มีโครงการที่คุณเสนอไว้")
    u.say("2").expect_not("ลงทะเบียนสำเร็จ")  # the sign-up was left, not finished
    assert signup_of(db, U1, activity.id) is None


def test_the_leave_question_answered_by_typing(chat, make_activity, db):
    make_activity(title="ตรวจสุขภาพประจำปี")
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").expect("ไปกี่คนคะ")
    u.say("โครงการที่ฉันเสนอไปถึงไหนแล้ว").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say("ไม่ค่ะ").expect("ไปกี่คนคะ")  # stays
    u.say("2").expect("ยืนยันการสมัครไหมคะ")  # and "2" answers the step again, not the question
    u.tap("แก้จำนวนคน").expect("ไปกี่คนคะ")  # (at the summary, a yes/no question, it would be answered there)
    u.say("โครงการที่ฉันเสนอไปถึงไหนแล้ว").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say("ออกเลยค่ะ").expect("ยังไม่มีโครงการที่คุณเสนอไว้")
    u.say("กิจกรรม").tap("สมัคร").say("โครงการของฉัน").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say("1").expect("ยืนยันการสมัครไหมคะ")  # the step answered, the question left unanswered …
    u.say("ใช่").expect("ลงทะเบียนสำเร็จ")  # … so "ใช่" confirms the sign-up, it does not leave


def test_an_announcement_typed_mid_journey_is_kept_when_staff_stay(chat, db):
    """Staying in the journey ("ไม่" to leaving it) lost the announcement typed; it is offered once it ends."""
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม").say("โยคะ").expect("จัดวันไหน")
    staff.say("ประกาศถึงทุกคนว่า พรุ่งนี้งดรำไม้พลองนะคะ").expect("ออกจากขั้นตอนเดิมไหมคะ")
    staff.say("ไม่").expect("ข้อความที่พิมพ์ไว้เก็บไว้ให้แล้ว", "จัดวันไหน")
    staff.say("ยกเลิก").expect("ยกเลิก", "แตะ “ประกาศที่พิมพ์ไว้”")
    assert staff.quick_labels()[0] == "ประกาศที่พิมพ์ไว้"
    staff.tap("ประกาศที่พิมพ์ไว้").expect("พรุ่งนี้งดรำไม้พลองนะคะ", "ใช้ข้อความนี้")
    staff.say("ยกเลิก").expect_not("ประกาศที่พิมพ์ไว้")  # offered once
    # Kept through a journey that ends by finishing too.
    day = (now_utc() + timedelta(days=3)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("ปลูกผัก").say(f"{day.day}/{day.month}/{day.year + 543} 09:00-10:00").say("ศาลา")
    staff.say("แจ้งทุกคนว่า ตลาดนัดสุขภาพเลื่อนไปวันเสาร์").expect("ออกจากขั้นตอนเดิมไหมคะ").tap("ทำต่อ")
    staff.expect("รับได้กี่คนคะ").tap("30 ที่").tap("ทั้งเขต").tap("ยืนยัน")
    staff.expect("เผยแพร่กิจกรรมแล้ว", "ประกาศที่พิมพ์ไว้").tap("ประกาศที่พิมพ์ไว้")
    staff.expect("ตลาดนัดสุขภาพเลื่อนไปวันเสาร์")


def test_another_signup_mid_flow_asks_first(chat, make_activity, db):
    first = make_activity(title="ตรวจสุขภาพประจำปี")
    second = make_activity(title="อบรมคัดแยกขยะในครัวเรือน", topic="environment")
    u = chat(U1)
    u.say("กิจกรรม")
    cards = u.last
    u.tap("สมัคร").expect("อบรมคัดแยกขยะ")  # the newest card's button
    first_signup = [a for m in cards for a in actions_in(m)
                    if a.get("data", "").startswith("activity.signup") and f"id={first.id}" in a["data"]][0]
    u.postback(first_signup["data"]).expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.tap("ทำต่อ").expect("อบรมคัดแยกขยะ", "ไปกี่คนคะ")
    u.postback(first_signup["data"]).tap("ออกเลย").expect("ตรวจสุขภาพประจำปี", "ไปกี่คนคะ")
    u.tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, first.id).status == "confirmed"
    assert signup_of(db, U1, second.id) is None


def test_qr_image_when_a_public_https_address_is_set(chat, make_activity, harness, db):
    act = make_activity()
    harness.app.extensions["ruamkan.settings"].public_base_url = "https://ruamkan.example.org"
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    code = signup_of(db, U1, act.id).checkin_code
    images = [m for m in u.last if m["type"] == "image"]
    assert images and images[0]["originalContentUrl"] == f"https://ruamkan.example.org/qr/{code}.png"


def test_qr_route_serves_png():
    from flask import Flask

    from bot.handlers.activities import qr_blueprint

    app = Flask(__name__)
    app.register_blueprint(qr_blueprint)
    client = app.test_client()
    response = client.get("/qr/ABC346.png")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    assert client.get("/qr/not-a-code.png").status_code == 404


def test_two_people_confirm_the_last_seat_in_one_webhook(chat, make_activity, harness, db):
    """Both confirmations arrive in the same webhook and are processed in parallel: one seat, one winner."""
    from bot.simulator.events import build_event, new_reply_token

    for round_no in range(5):
        act = make_activity(title=f"ที่นั่งสุดท้าย {round_no}", capacity=1)
        racers = [f"U{round_no}a" + "0" * 29, f"U{round_no}b" + "0" * 29]
        confirms = []
        for user_id in racers:
            u = chat(user_id)
            u.say("กิจกรรม")
            data = [a for m in u.last for a in actions_in(m)
                    if a.get("data", "").startswith("activity.signup") and f"id={act.id}" in a["data"]][0]["data"]
            u.postback(data).tap("1 คน").expect("ยังมีที่ว่าง 1 ที่")
            confirms.append((u, u.find_action("ยืนยันสมัคร")["data"]))
        events = []
        for u, data in confirms:
            token = new_reply_token()
            harness.fake.store.register_reply_token(token, u.user_id)
            events.append(build_event("postback", u.user_id, data=data, reply_token=token))
        assert harness.post_events(events).status_code == 200
        harness.wait()
        statuses = sorted(signup_of(db, uid, act.id).status for uid in racers)
        assert statuses == ["confirmed", "waitlisted"], f"round {round_no}"
        said = [u.refresh().text for u, _ in confirms]
        assert sum("ลงทะเบียนสำเร็จ" in t for t in said) == 1
        assert sum("รายชื่อสำรองลำดับที่ 1" in t for t in said) == 1


def test_resident_words_are_not_taken_for_staff_commands(chat, make_activity):
    make_activity()
    u = chat(U1)
    u.say("กิจกรรม").tap("สมัคร").tap("1 คน").tap("ยืนยันสมัคร")
    u.say("ยกเลิกกิจกรรม").expect("ใช่ไหมคะ").expect_not("เจ้าหน้าที่เท่านั้น")
    u.tap("ไม่ยกเลิก")
    u.say("รหัสเช็คอิน").expect("รหัสเช็คอินอยู่ในการ์ด", "ตรวจสุขภาพประจำปี")
    u.say("เพิ่มกิจกรรม ปลูกผัก | 5/12/2569 09:00 | ศาลา | 10").expect("เจ้าหน้าที่เท่านั้น")


def test_staff_name_the_community_of_a_new_activity_as_they_would_say_it(chat, harness, db):
    with db.session() as s:
        s.add(Community(code="T04", name="ชุมชนโชคชัย 4"))
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=5)).astimezone(BKK)
    when = f"{day.day}/{day.month}/{day.year + 543} 06:30-07:30"
    staff.say(f"เพิ่มกิจกรรม รำไม้พลอง | {when} | ลานวัด | 20 | โชคชัย๔").expect("ชุมชนโชคชัย 4", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    staff.say(f"เพิ่มกิจกรรม รำไม้พลอง | {when} | ลานวัด | 20 | ชุมชนที่ไม่มีจริง").expect("ไม่พบชุมชน")
    with db.session(readonly=True) as s:
        published = s.scalar(select(Activity).where(Activity.title == "รำไม้พลอง"))
        assert s.get(Community, published.community_id).name == "ชุมชนโชคชัย 4"


def test_consent_asked_on_the_way_to_a_sign_up_goes_on_with_it(chat, make_activity, db):
    act = make_activity(capacity=5)
    u = chat(U1, consent=False)
    u.follow().tap("ไม่ยินยอม")
    u.postback(f"activity.signup?id={act.id}").expect("ต้องได้รับความยินยอม")
    # Declined at onboarding, the community was never asked: it is now, then the sign-up goes on (before,
    # the sign-up went on and the community was never asked at all).
    u.tap("ยินยอม").expect("บันทึกความยินยอมแล้ว", "อยู่ชุมชนไหนคะ").expect_not("ไปกี่คนคะ")
    u.tap("ข้าม").expect("ไว้เลือกชุมชนภายหลังได้", "ไปกี่คนคะ")
    u.say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, act.id).status == "confirmed"


def test_consent_asked_for_a_typed_request_says_it_again(chat, make_activity):
    make_activity(title="เต้นแอโรบิก", capacity=5)
    u = chat(U2, consent=False)
    u.follow().tap("ไม่ยินยอม")
    u.say("อยากเสนอโครงการลานออกกำลังกาย").expect("ต้องได้รับความยินยอม")
    u.tap("ยินยอม").expect("บันทึกความยินยอมแล้ว", "อยู่ชุมชนไหนคะ")
    u.say("ข้าม").expect("“กิจกรรมทางกายและการออกกำลังกาย” ใช่ไหมคะ")


def test_consent_given_much_later_does_not_sign_up_out_of_the_blue(chat, make_activity, db):
    from storage.models import Conversation

    act = make_activity(capacity=5)
    u = chat(U3, consent=False)
    u.follow().tap("ไม่ยินยอม")
    u.postback(f"activity.signup?id={act.id}").expect("ต้องได้รับความยินยอม")
    with db.session() as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == U3))
        conv.data = {**conv.data, "_after_consent_at": (now_utc() - timedelta(hours=2)).isoformat()}
    u.say("ยินยอม").expect("บันทึกความยินยอมแล้ว").expect_not("ไปกี่คนคะ")


def test_too_few_seats_for_the_party_says_how_many_are_left(chat, make_activity, db):
    act = make_activity(capacity=4)
    chat(U1).postback(f"activity.signup?id={act.id}").say("3").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u = chat(U2)
    u.postback(f"activity.signup?id={act.id}").say("2").expect("เหลือที่ว่าง 1 ที่ ไม่พอสำหรับ 2 คน")
    u.tap("แก้จำนวนคน").say("1").expect("ยังมีที่ว่าง 1 ที่").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U2, act.id).status == "confirmed"
    u3 = chat(U3)
    u3.postback(f"activity.signup?id={act.id}").say("1").expect("ที่นั่งเต็มแล้ว", "รายชื่อสำรอง")


def test_staff_edit_the_sign_up_deadline_in_their_own_words(chat, make_activity, db):
    """"แก้กิจกรรม 32 | ปิดรับสมัคร 28 ธ.ค. 18:00" answered "ไม่เข้าใจ": the deadline had no word of its own."""
    act = make_activity(starts=next_saturday(now_utc()) + timedelta(days=7))
    starts = act.starts_at.astimezone(BKK)
    day_before = starts - timedelta(days=1)
    typed = f"{day_before.day} {MONTHS_SHORT[day_before.month - 1]}"
    staff = chat(STAFF, role="staff")
    staff.say(f"แก้กิจกรรม {act.id} | ปิดรับสมัคร {typed} 18:00")
    new_deadline = day_before.replace(hour=18, minute=0)
    staff.expect(f"ปิดรับสมัคร: {format_datetime(act.signup_deadline)} → {format_datetime(new_deadline)}",
                 "ยืนยันไหมคะ").expect_not("ไม่เข้าใจ")
    staff.tap("ยืนยัน").expect("แก้ไขกิจกรรมแล้วค่ะ ✅ (ปิดรับสมัคร)")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).signup_deadline == new_deadline
    # Other ways to name it; a day alone closes at its end; after the start, or already past: why, before any preview.
    staff.say(f"แก้กิจกรรม {act.id} | วันปิดรับสมัคร {typed}").expect(f"→ {format_date(day_before)} เวลา 23:59 น.")
    staff.tap("ไม่ทำแล้ว")
    staff.say(f"แก้กิจกรรม {act.id} หมดเขต {starts.day}/{starts.month} 20:00").expect(
        "วันปิดรับสมัครต้องไม่เลยเวลาเริ่มกิจกรรมค่ะ").expect_not("ยืนยันไหมคะ")
    staff.say(f"แก้กิจกรรม {act.id} | หมดเขตรับสมัคร เมื่อวาน 9 โมง").expect("ผ่านไปแล้วค่ะ", "ปิดรับสมัคร ตอนนี้")
    staff.say(f"แก้กิจกรรม {act.id} | ปิดรับสมัคร ตอนนี้").expect("ยืนยันไหมคะ").tap("ยืนยัน")
    chat(U1).postback(f"activity.signup?id={act.id}").expect("ปิดรับสมัครแล้ว")


def test_staff_close_sign_ups_in_a_word_and_ask_for_a_roster_without_its_number(chat, make_activity, db):
    """"ปิดรับสมัครกิจกรรม 12" was not understood; "ขอรายชื่อผู้สมัคร" started a sign-up ("ไปกี่คนคะ")."""
    act = make_activity(title="โยคะยามเช้า")
    staff = chat(STAFF, role="staff")
    staff.say("ขอรายชื่อผู้สมัครค่ะ").expect("รายชื่อผู้สมัครของกิจกรรมไหนคะ", f"#{act.id} โยคะยามเช้า")
    staff.expect_not("ไปกี่คนคะ")
    staff.tap(f"#{act.id} โยคะยามเช้า").expect(f"“โยคะยามเช้า” #{act.id}", "ยังไม่มีผู้สมัครค่ะ")
    staff.say(f"ปิดรับสมัครกิจกรรม {act.id} ค่ะ").expect("ปิดรับสมัคร:", "ยืนยันไหมคะ").tap("ยืนยัน")
    staff.expect("แก้ไขกิจกรรมแล้วค่ะ ✅ (ปิดรับสมัคร)")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).signup_deadline <= now_utc()
    chat(U1).postback(f"activity.signup?id={act.id}").expect("ปิดรับสมัครแล้ว")
    staff.say(f"แก้กิจกรรม {act.id} | จำนวนรับ 40").expect("ที่นั่ง: 10 → 40")


def test_staff_edit_topic_group_and_community_by_name(chat, make_activity, db):
    """The fields the service could change but the chat command had no word for: หัวข้อ, กลุ่มเป้าหมาย, ชุมชน."""
    with db.session() as s:
        s.add(Community(code="T04", name="ชุมชนโชคชัย 4"))
    act = make_activity(topic="emerging")
    staff = chat(STAFF, role="staff")
    staff.say(f"แก้กิจกรรม {act.id} | หัวข้อ สุขภาพจิต | เหมาะกับ ผู้สูงอายุ | ชุมชน โชคชัย 4")
    staff.expect("หัวข้อ: ป้องกันโรค → สุขภาพจิต", "เหมาะกับ: ทุกกลุ่ม → ผู้สูงอายุ", "ชุมชน: ทั้งเขต → ชุมชนโชคชัย 4")
    staff.tap("ยืนยัน").expect("แก้ไขกิจกรรมแล้วค่ะ ✅ (หัวข้อ, เหมาะกับ, ชุมชน)")
    with db.session(readonly=True) as s:
        row = s.get(Activity, act.id)
        assert (row.topic, row.target_group, row.community_id is not None) == ("mental_health", "elderly", True)
    staff.say(f"แก้กิจกรรม {act.id} | กลุ่มเป้าหมาย ทุกกลุ่ม | ชุมชน ทั้งเขต").expect(
        "เหมาะกับ: ผู้สูงอายุ → ทุกกลุ่ม", "ชุมชน: ชุมชนโชคชัย 4 → ทั้งเขต").tap("ไม่ทำแล้ว")
    staff.say(f"แก้กิจกรรม {act.id} | หัวข้อ ดาราศาสตร์").expect("ไม่รู้จักหัวข้อ “ดาราศาสตร์”", "บุหรี่")


def test_a_move_without_an_end_keeps_the_activitys_length(chat, make_activity, db):
    """"เลื่อนกิจกรรม 31 | 6 ธ.ค. 9 โมง" made a one-hour activity two hours long."""
    act = make_activity()
    with db.session() as s:
        s.get(Activity, act.id).ends_at = act.starts_at + timedelta(minutes=45)
    day = (now_utc() + timedelta(days=5)).astimezone(BKK)
    staff = chat(STAFF, role="staff")
    staff.say(f"เลื่อนกิจกรรม {act.id} | {day.day}/{day.month}/{day.year + 543} 9 โมง").expect("09:00–09:45")
    staff.say(f"{day.day}/{day.month}/{day.year + 543} 10:00").expect("10:00–10:45", "ยืนยันไหมคะ")


def test_a_move_to_a_day_alone_keeps_the_hours_and_a_time_alone_keeps_the_day(chat, make_activity, db):
    """"เลื่อนกิจกรรม 30 | 29 ธ.ค." was refused ("อ่านวันเวลาไม่ออก"), and "… | 9 โมง" moved it to today."""
    act = make_activity(starts=next_saturday(now_utc()).replace(hour=13, minute=30))
    old_day, new_day = act.starts_at.astimezone(BKK), (act.starts_at + timedelta(days=10)).astimezone(BKK)
    staff = chat(STAFF, role="staff")
    staff.say(f"เลื่อนกิจกรรม {act.id} | {new_day.day} {MONTHS_SHORT[new_day.month - 1]}")
    staff.expect(f"เป็น {format_date(new_day)} เวลา 13:30–15:30 น.", "ยืนยันไหมคะ").expect_not("อ่านวันเวลาไม่ออก")
    staff.say("๙ โมง").expect(f"เป็น {format_date(new_day)} เวลา 09:00–11:00 น.", "ยืนยันไหมคะ")  # at the preview
    staff.tap("ยืนยัน").expect("เลื่อนกิจกรรมแล้วค่ะ ✅")
    with db.session(readonly=True) as s:
        moved = s.get(Activity, act.id)
        assert (moved.starts_at.astimezone(BKK), moved.ends_at - moved.starts_at) == (
            new_day.replace(hour=9, minute=0), timedelta(hours=2))
    staff.say(f"เลื่อนกิจกรรม {act.id} | 9 โมง ถึง 10 โมงครึ่ง")
    staff.expect(f"เป็น {format_date(new_day)} เวลา 09:00–10:30 น.").tap("ไม่ทำแล้ว")
    other = make_activity(starts=next_saturday(now_utc()).replace(hour=13, minute=30))
    staff.say(f"เลื่อนกิจกรรม {other.id} | บ่ายสาม").expect(f"เป็น {format_date(old_day)} เวลา 15:00–17:00 น.")


def test_staff_give_the_time_of_a_new_activity_in_words(chat, db):
    staff = chat(STAFF, role="staff")
    tomorrow = (now_utc() + timedelta(days=1)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม โยคะยามเช้า | พรุ่งนี้ 7 โมง ถึง 8 โมงครึ่ง | สวนหย่อม | ๒๐")
    staff.expect(format_date(tomorrow), "07:00–08:30", "ยืนยันไหมคะ").tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    staff.say("เพิ่มกิจกรรม โยคะ | เสาร์นี้ | สวน | 20").expect("อ่านวันเวลาไม่ออก", "พรุ่งนี้ 9 โมง")
    # A day the calendar lacks is said so; it used to become today at that time.
    staff.say("เพิ่มกิจกรรม โยคะ | 31 พ.ย. 9 โมง | สวน | 20").expect("ไม่มีวันที่ 31 พ.ย. ค่ะ").expect_not("ยืนยันไหมคะ")
    # Clock times as staff type them beside a day in words: "4 ธ.ค. 9.30-12.00", Thai digits, "ถึง".
    day = (now_utc() + timedelta(days=3)).astimezone(BKK)
    month = MONTHS_SHORT[day.month - 1]
    for typed in (f"{day.day} {month} 9.30-12.00", f"{day.day} {month} 09:30 ถึง 12:00",
                  f"วันที่ {day.day} {month} ๙.๓๐ - ๑๒.๐๐".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))):
        staff.say(f"เพิ่มกิจกรรม แอโรบิก | {typed} | ลานชุมชน | 30").expect(format_date(day), "09:30–12:00", "ยืนยันไหมคะ")
        staff.say("ยกเลิก")
    staff.say("เพิ่มกิจกรรม โยคะ | พรุ่งนี้ 9 โมง ถึง 7 โมง | สวน | 20").expect("ต้องหลังเวลาเริ่ม")
    with db.session(readonly=True) as s:
        published = s.scalar(select(Activity).where(Activity.title == "โยคะยามเช้า"))
        assert published.capacity == 20
        assert published.ends_at - published.starts_at == timedelta(minutes=90)


def test_staff_type_a_two_digit_year_for_a_new_activity(chat, db):
    """"3 ม.ค. 70" is พ.ศ. 2570 (its year was dropped: this year's, or the coming 3 Jan); a short year
    that would be long past as พ.ศ. ("27") is asked about, not guessed; last year's is refused, with why."""
    from datetime import date

    staff = chat(STAFF, role="staff")
    be = now_utc().astimezone(BKK).year + 543
    day = date(be + 1 - 543, 1, 3)
    staff.say(f"เพิ่มกิจกรรม โยคะ | 3 ม.ค. {(be + 1) % 100} 9 โมง | สวน | 20")
    staff.expect(format_date(day), "09:00–11:00", "ยืนยันไหมคะ").say("ยกเลิก")
    staff.say("เพิ่มกิจกรรม").say("โยคะ").expect("จัดวันไหน")
    staff.say("3 ม.ค. 27 9 โมง").expect("“3 ม.ค. 27” หมายถึงปี พ.ศ. 2570 (ค.ศ. 2027) ใช่ไหมคะ",
                                       "เช่น “3 ม.ค. 2570”").expect_not("จัดที่ไหนคะ")
    staff.say(f"15 ธ.ค. {(be - 1) % 100} 9 โมง").expect(f"15 ธ.ค. {be - 1}", "ผ่านไปแล้วค่ะ").expect_not("จัดที่ไหนคะ")
    staff.say(f"๓/๑/{(be + 1) % 100} 09:00-10:00".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
    staff.expect("จัดที่ไหนคะ").say("สวน").tap("30 ที่").tap("ทั้งเขต").expect(format_date(day), "09:00–10:00")


def test_staff_check_people_in_at_the_door_one_code_after_another(chat, make_activity, db):
    act = make_activity(capacity=2)
    chat(U1).postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร")
    chat(U2).postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("รายชื่อสำรอง")
    first, waiting = signup_of(db, U1, act.id), signup_of(db, U2, act.id)
    with db.session() as s:  # the day has come
        today = s.get(Activity, act.id)
        today.starts_at, today.ends_at = now_utc(), now_utc() + timedelta(hours=2)
    staff = chat(STAFF, role="staff")
    staff.say("เช็คอิน").expect("พิมพ์รหัส 6 ตัวของผู้สมัครทีละรหัส")
    staff.say(first.checkin_code.lower()).expect("เช็คอินแล้วค่ะ ✅", "(มา 2 คน)", "เช็คอินแล้ว 1 รายการ")
    staff.say(first.checkin_code).expect("เช็คอินไปแล้ว", "รหัสถัดไป")
    staff.say(waiting.checkin_code).expect("ยังอยู่ในรายชื่อสำรอง")
    staff.say("ไม่รู้สิ").expect("ตัวอักษรและตัวเลข 6 ตัว")
    staff.say("เสร็จแล้วค่ะ").expect("จบการเช็คอินรอบนี้", "1 รายการ")
    assert signup_of(db, U1, act.id).attended_at is not None
    assert signup_of(db, U2, act.id).attended_at is None


def test_a_cancelled_activity_is_not_checked_in_edited_or_moved(chat, make_activity, db):
    """Check-in at the door used to work on a cancelled activity, and edit, reschedule and cancel showed their
    preview first and refused only at ยืนยัน, which brought the same preview back."""
    today, cancelled = make_activity(), make_activity(title="โยคะยามเช้า")
    for act in (today, cancelled):
        chat(U1).postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    with db.session() as s:
        svc.cancel_activity(s, None, cancelled.id, "ฝนตก", now=now_utc())
        s.get(Activity, today.id).starts_at = now_utc()  # under way at the door
    staff = chat(STAFF, role="staff")
    staff.say(f"เช็คอิน {signup_of(db, U1, cancelled.id).checkin_code}").expect(
        "กิจกรรม “โยคะยามเช้า” ถูกยกเลิกไปแล้วค่ะ", "จึงเช็คอินไม่ได้")
    assert signup_of(db, U1, cancelled.id).attended_at is None
    staff.say(f"เช็คอิน {signup_of(db, U1, today.id).checkin_code}").expect("เช็คอินแล้วค่ะ ✅").expect_not("ไม่ใช่วันนี้")
    for command, refusal in ((f"แก้กิจกรรม {cancelled.id} | ที่นั่ง 50", "จึงแก้ไขไม่ได้"),
                             (f"เลื่อนกิจกรรม {cancelled.id} | พรุ่งนี้ 9 โมง", "จึงเลื่อนไม่ได้"),
                             (f"ยกเลิกกิจกรรม {cancelled.id}", "จึงยกเลิกซ้ำไม่ได้")):
        staff.say(command).expect("กิจกรรม “โยคะยามเช้า” ถูกยกเลิกไปแล้วค่ะ", refusal).expect_not("ยืนยันไหมคะ")
    staff.say(f"รายชื่อผู้สมัคร {cancelled.id}").expect("❌ กิจกรรมนี้ยกเลิกแล้ว")


def test_staff_see_who_on_the_roster_blocked_the_chat(chat, make_activity):
    """Someone who blocked the bot keeps their seat but gets no reminders: staff see it on the roster."""
    act = make_activity(capacity=5)
    chat(U1, name="มาลี").postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร")
    chat(U2, name="สมศรี").postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").unfollow()
    staff = chat(STAFF, role="staff").say(f"รายชื่อผู้สมัคร {act.id}")
    roster = staff.text
    assert "สมศรี 2 คน" in roster and "มาลี 1 คน" in roster
    assert [line for line in roster.splitlines() if "🔕" in line and "คน ·" in line] == \
        [line for line in roster.splitlines() if "สมศรี" in line]
    staff.expect("ไม่ได้รับการเตือน")


def test_a_day_without_activities_shows_the_nearest_ones(chat, make_activity):
    act = make_activity(title="รำไม้พลองยามเย็น", starts=now_utc() + timedelta(days=4))
    day_without = (now_utc() + timedelta(days=1)).astimezone(BKK)
    u = chat(U1).say("พรุ่งนี้มีกิจกรรมอะไรบ้าง")
    u.expect(f"ยังไม่มีกิจกรรม วันที่ {format_date(day_without)} ค่ะ", "ที่ใกล้ที่สุด", act.title)


def test_activities_in_my_community_are_not_my_sign_ups(chat, make_activity, db):
    u = chat(U1, community="ชุมชนทดสอบริมคลอง")
    ours, theirs = make_activity(title="เดินเร็วริมคลอง"), make_activity(title="กิจกรรมของชุมชนอื่น")
    with db.session() as s:
        home = s.scalar(select(Community).where(Community.name == "ชุมชนทดสอบริมคลอง"))
        other = Community(code="T-OTHER", name="ชุมชนอื่นไกลออกไป")
        s.add(other)
        s.flush()
        s.get(Activity, ours.id).community_id = home.id
        s.get(Activity, theirs.id).community_id = other.id
    u.say("กิจกรรมในชุมชนของฉัน").expect("เดินเร็วริมคลอง").expect_not("กิจกรรมของชุมชนอื่น", "ยังไม่ได้สมัคร")


def test_cancel_by_naming_the_activity(chat, make_activity, db):
    walk = make_activity(title="เดินออกกำลังกายริมคลอง")
    check = make_activity(title="ตรวจตาผู้สูงอายุ")
    u = chat(U1)
    for act in (walk, check):
        u.postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ยกเลิกการสมัครค่ะ").expect("จะยกเลิกกิจกรรมไหนคะ")  # two of them: which one?
    u.say("ขอยกเลิกเดินออกกำลังกายค่ะ").expect("ยกเลิกการสมัคร “เดินออกกำลังกายริมคลอง”", "ใช่ไหมคะ").expect_not(
        "รายชื่อสำรอง")  # nobody waits: no seat is passed on
    u.tap("ยืนยันยกเลิกสมัคร")
    assert signup_of(db, U1, walk.id).status == "cancelled"
    assert signup_of(db, U1, check.id).status == "confirmed"


def test_sign_up_said_with_the_day_goes_straight_to_the_summary(chat, make_activity, db):
    tomorrow_evening = (now_utc().astimezone(BKK) + timedelta(days=1)).replace(hour=18, minute=0, second=0,
                                                                              microsecond=0)
    act = make_activity(title="รำไม้พลองเพื่อสุขภาพ", starts=tomorrow_evening, capacity=10)
    make_activity(title="ตรวจตาผู้สูงอายุ", starts=tomorrow_evening + timedelta(days=3))
    u = chat(U1)
    u.say("ขอสมัครรำไม้พลองพรุ่งนี้ 2 คนค่ะ").expect("สรุปการสมัคร", "รำไม้พลองเพื่อสุขภาพ", "จำนวน 2 คน")
    u.say("ยืนยันสมัครค่ะ").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, act.id).party_size == 2


# --- changing how many go ------------------------------------------------------------------------

def test_change_how_many_go_from_the_card(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ที่ฉันสมัครไว้").tap("แก้จำนวนคน").expect("ตอนนี้สมัครไว้ 1 คน", "จะเปลี่ยนเป็นกี่คนคะ")
    u.tap("3 คน").expect("จาก 1 เป็น 3 คนแล้วค่ะ", "รหัสเช็คอินเดิม")
    assert signup_of(db, U1, act.id).party_size == 3


@pytest.mark.parametrize(("said", "party"), [("ขอเปลี่ยนเป็น 3 คนได้ไหมคะ", 3), ("เพิ่มอีก 1 คนค่ะ", 3),
                                             ("ไปได้แค่คนเดียวแล้วค่ะ", 1), ("ลดเหลือ 1 คน", 1),
                                             ("เพิ่มลูกอีก 1 คนค่ะ", 3), ("ลดหลานออก 1 คนค่ะ", 1),
                                             ("เพิ่มเป็น 4 คน", 4)])
def test_change_how_many_go_by_typing(chat, make_activity, db, said, party):
    """Before, every one of these got "ยังไม่แน่ใจว่าต้องการอะไร" (or the cancel question); "เพิ่มลูกอีก 1 คน"
    then set 1, "ลดหลานออก 1 คน" 1 from 3, at once. The number read is said back before anything changes."""
    act = make_activity()
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say(said).expect(f"จาก 2 เป็น {party} คน (รวมตัวคุณเอง) ใช่ไหมคะ")
    assert signup_of(db, U1, act.id).party_size == 2  # nothing before the yes
    u.say("ใช่จ้ะ").expect(f"จาก 2 เป็น {party} คนแล้วค่ะ", "ทุกคนในกลุ่ม" if party > 1 else "ใช้ได้เหมือนเดิม")
    assert signup_of(db, U1, act.id).party_size == party


def test_a_misread_head_count_is_kept_back(chat, make_activity, db):
    act = make_activity()
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("3").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ไปได้แค่คนเดียวแล้วค่ะ").expect("จาก 3 เป็น 1 คน", "ใช่ไหมคะ")
    u.tap("ไม่เปลี่ยน").expect("ยังคงสมัครไว้เหมือนเดิม")
    u.say("ขอเปลี่ยนเป็น 5 คน").tap("แก้จำนวน").expect("จะเปลี่ยนเป็นกี่คนคะ")
    u.tap("2 คน").expect("จาก 3 เป็น 2 คนแล้วค่ะ")
    assert signup_of(db, U1, act.id).party_size == 2


def test_typed_change_with_two_sign_ups_asks_which_and_a_new_sign_up_is_not_a_change(chat, make_activity, db):
    walk = make_activity(title="เดินออกกำลังกายริมคลอง")
    check = make_activity(title="ตรวจตาผู้สูงอายุ")
    dance = make_activity(title="รำไม้พลองเพื่อสุขภาพ")
    u = chat(U1)
    for act in (walk, check):
        u.postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ขอแก้จำนวนคนค่ะ").expect("จะแก้จำนวนคนของกิจกรรมไหนคะ")
    u.say("ขอเปลี่ยนเดินออกกำลังกายเป็น 2 คน").expect("จาก 1 เป็น 2 คน (รวมตัวคุณเอง) ใช่ไหมคะ")
    u.tap("ใช่ เปลี่ยนเลย").expect("จาก 1 เป็น 2 คนแล้วค่ะ")
    assert signup_of(db, U1, walk.id).party_size == 2 and signup_of(db, U1, check.id).party_size == 1
    u.say("ขอสมัครรำไม้พลองเพิ่มอีก 2 คน").expect_not("เป็น 2 คนแล้วค่ะ")
    assert signup_of(db, U1, dance.id) is None or signup_of(db, U1, dance.id).status != "cancelled"
    assert signup_of(db, U1, check.id).party_size == 1


def test_changing_how_many_go_with_no_sign_up_says_there_is_none(chat, make_activity, db):
    """It used to get the "not sure" menu; a new sign-up said the same way is still a sign-up."""
    act = make_activity(title="รำไม้พลองเพื่อสุขภาพ")
    u = chat(U1)
    u.say("ขอเปลี่ยนเป็น 3 คนค่ะ").expect("ยังไม่ได้สมัครกิจกรรมไหน").expect_not("ยังไม่แน่ใจ")
    u.say("ขอสมัครรำไม้พลองเพิ่มอีก 2 คน").expect("รำไม้พลองเพื่อสุขภาพ").expect_not("ยังไม่ได้สมัครกิจกรรมไหน")
    assert signup_of(db, U1, act.id) is None


def test_cancelling_twice_says_it_is_already_cancelled(chat, make_activity, db):
    act = make_activity(title="รำไม้พลองเพื่อสุขภาพ")
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.postback(f"activity.cancel?id={act.id}").tap("ยืนยันยกเลิกสมัคร")
    assert signup_of(db, U1, act.id).status == "cancelled"
    u.postback(f"activity.cancel?id={act.id}").expect("ไม่ได้สมัคร “รำไม้พลองเพื่อสุขภาพ” ไว้ หรือยกเลิกไปแล้ว")


def test_more_people_than_seats_left_is_refused_with_how_many_fit(chat, make_activity, db):
    act = make_activity(capacity=5)
    chat(U2).postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    # Said at once, and asked again (it asked "จาก 2 เป็น 5 คน ใช่ไหมคะ" and refused the yes, over and over).
    u.say("ขอเปลี่ยนเป็น 5 คนค่ะ").expect("เหลือที่ว่าง 1 ที่", "เพิ่มได้อีกไม่เกิน 1 คน (รวม 3 คน)", "จะเปลี่ยนเป็นกี่คนคะ")
    u.expect_not("ใช่ไหมคะ")
    assert u.quick_labels()[:2] == ["1 คน (ไปคนเดียว)", "3 คน"]
    assert signup_of(db, U1, act.id).party_size == 2


def test_the_new_head_count_chips_offer_only_what_fits(chat, make_activity, db):
    """With one seat left, "แก้จำนวนคน" offered "4 คน" and "5 คน", refused when tapped; with none, every bigger
    size. Now: fewer, or as many more as the free seats hold, and the question says why."""
    act = make_activity(capacity=5, title="รำไม้พลองเพื่อสุขภาพ")
    other = chat(U2)
    other.postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ที่ฉันสมัครไว้").tap("แก้จำนวนคน").expect("ตอนนี้สมัครไว้ 2 คน เหลือที่ว่างอีก 1 ที่ เปลี่ยนได้ไม่เกิน 3 คนค่ะ")
    sizes = [label for label in u.quick_labels() if " คน" in label]
    assert sizes == ["1 คน (ไปคนเดียว)", "3 คน"]  # not the size it is, nothing that cannot fit
    u.tap("3 คน").expect("จาก 2 เป็น 3 คนแล้วค่ะ")
    u.say("ที่ฉันสมัครไว้").tap("แก้จำนวนคน").expect("ที่นั่งเต็มแล้ว ลดจำนวนได้ แต่เพิ่มคนไม่ได้ค่ะ")
    assert [label for label in u.quick_labels() if " คน" in label] == ["1 คน (ไปคนเดียว)", "2 คน"]
    u.say("ยกเลิก")
    # Going alone to a full activity: nothing to change, and she is told so rather than asked.
    other.postback(f"activity.party?id={act.id}").tap("1 คน").expect("จาก 2 เป็น 1 คนแล้วค่ะ")
    chat(U3).postback(f"activity.signup?id={act.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    other.postback(f"activity.party?id={act.id}").expect(
        "ตอนนี้ที่นั่ง “รำไม้พลองเพื่อสุขภาพ” เต็มแล้วค่ะ จึงเพิ่มคนไม่ได้ ยังไปได้ 1 คนเหมือนเดิมนะคะ")
    other.expect_not("จะเปลี่ยนเป็นกี่คนคะ")
    assert not [label for label in other.quick_labels() if " คน" in label]
    assert signup_of(db, U2, act.id).party_size == 1 and signup_of(db, U1, act.id).party_size == 3


def test_a_waitlisted_party_is_told_a_bigger_one_waits_on(chat, make_activity, db):
    """On the waitlist a party may grow (it keeps its place in line): the sizes stay, and the question says
    which of them get a seat now and which wait."""
    act = make_activity(capacity=4)
    chat(U2).postback(f"activity.signup?id={act.id}").say("3").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").expect("เหลือที่ว่าง 1 ที่ ถ้าไปมากกว่า 1 คน จะอยู่ในรายชื่อสำรองนะคะ")
    u.tap("2 คน").tap("ยืนยันสมัคร").expect("รายชื่อสำรองลำดับที่ 1")
    u.say("ที่ฉันสมัครไว้").tap("แก้จำนวนคน").expect(
        "อยู่ในรายชื่อสำรอง มีที่ว่าง 1 ที่ ถ้าไปไม่เกิน 1 คนจะได้ที่นั่งทันที มากกว่านั้นยังรอในลำดับเดิมค่ะ")
    assert [label for label in u.quick_labels() if " คน" in label] == ["1 คน (ไปคนเดียว)", "3 คน", "4 คน"]
    u.tap("3 คน").expect("จาก 2 เป็น 3 คนแล้วค่ะ", "ยังอยู่ในรายชื่อสำรองลำดับที่ 1")
    chat(U3).postback(f"activity.signup?id={act.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say("ที่ฉันสมัครไว้").tap("แก้จำนวนคน").expect("ที่นั่งยังเต็ม เปลี่ยนแล้วยังรอในลำดับเดิมค่ะ")
    other = chat("U" + "4" * 32)
    other.postback(f"activity.signup?id={act.id}").expect("ตอนนี้ที่นั่งเต็มแล้ว สมัครไว้จะอยู่ในรายชื่อสำรอง")
    assert signup_of(db, U1, act.id).status == "waitlisted"


def test_activities_for_a_group_the_message_names(chat, make_activity):
    """"มีอะไรให้ผู้สูงอายุทำบ้าง" used to get the help text; "กิจกรรมสำหรับเด็ก" listed everything."""
    make_activity(title="แอโรบิกผู้สูงวัย", target_group="elderly")
    make_activity(title="ฟุตบอลเยาวชน", target_group="children")
    make_activity(title="ตรวจสุขภาพประจำปี")
    u = chat(U1)
    u.say("มีอะไรให้ผู้สูงอายุทำบ้าง").expect("สำหรับผู้สูงอายุ", "แอโรบิกผู้สูงวัย").expect_not("ฟุตบอลเยาวชน")
    u.say("กิจกรรมสำหรับเด็กมีอะไรบ้าง").expect("สำหรับเด็กและเยาวชน", "ฟุตบอลเยาวชน").expect_not("แอโรบิก")
    u.say("วิธีใช้").expect("ช่วยอะไรได้บ้าง")  # help is still help


@pytest.mark.parametrize("said", ["ขอดูรายละเอียดรำไม้พลอง", "รำไม้พลองจัดที่ไหนคะ", "รำไม้พลองเพื่อสุขภาพคืออะไร"])
def test_an_activity_asked_about_by_its_name_shows_its_details(chat, make_activity, said):
    """The first used to open the charter (the model read "รายละเอียด" as charter_info); the second listed all."""
    make_activity(title="รำไม้พลองเพื่อสุขภาพ", place="ลานวัดลาดพร้าว")
    make_activity(title="ตรวจสุขภาพประจำปี")
    u = chat(U1)
    u.say(said).expect("รำไม้พลองเพื่อสุขภาพ", "ลานวัดลาดพร้าว").expect_not("ตรวจสุขภาพประจำปี", "ธรรมนูญ")


def test_a_general_question_still_lists_everything(chat, make_activity):
    make_activity(title="รำไม้พลองเพื่อสุขภาพ")
    make_activity(title="ตรวจสุขภาพประจำปี")
    chat(U1).say("มีกิจกรรมอะไรบ้างคะ").expect("มี 2 รายการ", "รำไม้พลอง", "ตรวจสุขภาพประจำปี")


def test_a_new_head_count_said_at_the_summary_is_taken(chat, make_activity, db):
    """"ไปกับหลานสองคน" at "ยืนยันสมัคร / แก้จำนวนคน / ไม่สมัครแล้ว" asked to leave, "แก้เป็น 3 คน" got
    "ตอบ ใช่ หรือ ไม่ใช่ ได้เลยค่ะ"."""
    act = make_activity(capacity=10)
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("1").expect("จำนวน 1 คน", "ยืนยันการสมัครไหมคะ")
    u.say("ไปกับหลานสองคน").expect("จำนวน 2 คน", "ยืนยันการสมัครไหมคะ").expect_not("ออกจาก")
    u.say("แก้เป็น ๓ คนค่ะ").expect("จำนวน 3 คน")
    u.say("ใช่จ้ะ").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, act.id).party_size == 3


def test_codes_and_rosters_asked_in_other_words(chat, make_activity, db):
    act = make_activity(title="รำไม้พลองเพื่อสุขภาพ", topic="physical_activity")
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    code = signup_of(db, U1, act.id).checkin_code
    for said in ("ขอรหัสเช็คอินหน่อยค่ะ", "รหัสเช็คอินของยายคืออะไรจ๊ะ", "ยายลืมรหัสจ้ะ"):  # were not understood
        u.say(said).expect("รหัสเช็คอินอยู่ในการ์ด", code)
    u.say("มีกิจกรรมออกกำลังกายไหม").expect("กิจกรรมเรื่องออกกำลังกาย").expect_not("เรื่องกิจกรรมทางกาย")
    staff = chat(STAFF, role="staff")
    for said in (f"รายชื่อผู้สมัครกิจกรรม {act.id}", f"ใครสมัครกิจกรรม {act.id} บ้าง"):  # a resident's list before
        staff.say(said).expect("“รำไม้พลองเพื่อสุขภาพ”", code)


def test_a_weekday_said_with_its_date_is_that_date(chat, make_activity, db):
    """"วันเสาร์ที่ 12 ธ.ค. มีกิจกรรมอะไรบ้างคะ" listed the coming Saturday's activities, and "อาทิตย์ที่ 13 ธ.ค.
    9 โมงถึง 11 โมง" made an activity on the coming Sunday: the weekday word won over the date."""
    coming = next_saturday(now_utc())
    later = coming + timedelta(days=7)
    make_activity(title="แอโรบิกเสาร์นี้", starts=coming.replace(hour=7))
    make_activity(title="ปลูกผักเสาร์ถัดไป", starts=later.replace(hour=8))
    month = MONTHS_SHORT[later.month - 1]
    u = chat(U1)
    u.say(f"วันเสาร์ที่ {later.day} {month} มีกิจกรรมอะไรบ้างคะ").expect("ปลูกผักเสาร์ถัดไป", format_date(later))
    u.expect_not("แอโรบิกเสาร์นี้")
    sunday = later + timedelta(days=1)
    staff = chat(STAFF, role="staff")
    staff.say(f"เพิ่มกิจกรรม โยคะ | อาทิตย์ที่ {sunday.day} {MONTHS_SHORT[sunday.month - 1]} 9 โมงถึง 11 โมง | สวน | 20")
    staff.expect(format_date(sunday), "09:00–11:00", "ยืนยันไหมคะ").tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    with db.session(readonly=True) as s:
        act = s.scalar(select(Activity).where(Activity.title == "โยคะ"))
        assert act.starts_at.astimezone(BKK).date() == sunday.date()


def test_door_check_in_refuses_a_code_for_another_day(chat, make_activity, db):
    """A code for an activity 12 days away was checked in ("เช็คอินแล้วค่ะ ✅ … ⚠️ กิจกรรมนี้จัดอา. 13 ธ.ค. …
    ไม่ใช่วันนี้นะคะ") and its attendance recorded: it is refused, naming the activity and its day."""
    later = make_activity(title="ตรวจตาและวัดสายตาผู้สูงอายุ", starts=now_utc() + timedelta(days=12))
    past = make_activity(title="โยคะยามเช้า")
    for act in (later, past):
        chat(U1).postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    with db.session() as s:  # held two days ago
        held = s.get(Activity, past.id)
        held.starts_at, held.ends_at = now_utc() - timedelta(days=2), now_utc() - timedelta(days=2, hours=-2)
    staff = chat(STAFF, role="staff").say("เช็คอิน")
    staff.say(signup_of(db, U1, later.id).checkin_code.lower())
    staff.expect("ยังเช็คอินไม่ได้ค่ะ กิจกรรม “ตรวจตาและวัดสายตาผู้สูงอายุ”",
                 f"จัด {format_date(later.starts_at)} ไม่ใช่วันนี้").expect_not("เช็คอินแล้วค่ะ ✅")
    staff.say(signup_of(db, U1, past.id).checkin_code)
    staff.expect("เช็คอินไม่ได้ค่ะ กิจกรรม “โยคะยามเช้า” จัดไปแล้วเมื่อ", format_date(now_utc() - timedelta(days=2)))
    staff.say(f"เช็คอิน {signup_of(db, U1, later.id).checkin_code}").expect("ยังเช็คอินไม่ได้ค่ะ")
    staff.say("เสร็จแล้ว").expect("เช็คอินแล้ว 0 รายการ")
    assert signup_of(db, U1, later.id).attended_at is None and signup_of(db, U1, past.id).attended_at is None


def _held_days_ago(db, activity_id: int, days: int) -> datetime:
    """Move an activity into the past (two hours long); returns its start."""
    with db.session() as s:
        held = s.get(Activity, activity_id)
        held.starts_at = now_utc() - timedelta(days=days)
        held.ends_at = held.starts_at + timedelta(hours=2)
        return held.starts_at


def test_staff_record_attendance_after_the_activity_from_a_paper_sheet(chat, make_activity, db):
    """Door check-in is for the activity's day only, so attendance kept on paper could never be recorded the
    day after ("เช็คอินไม่ได้ค่ะ … จัดไปแล้วเมื่อ … ไม่ใช่วันนี้นะคะ" and nothing else). Staff now record it
    afterwards, within 14 days: the refusal offers "บันทึกย้อนหลัง", or "เช็คอินย้อนหลัง CODE" typed."""
    yoga, old, later = (make_activity(title="โยคะยามเช้า"), make_activity(title="รำไม้พลอง"),
                        make_activity(title="ตรวจตาผู้สูงอายุ", starts=now_utc() + timedelta(days=5)))
    for act in (yoga, old, later):
        chat(U1).postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    chat(U2).postback(f"activity.signup?id={yoga.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    held = _held_days_ago(db, yoga.id, 2)
    _held_days_ago(db, old.id, 20)
    code, code2 = signup_of(db, U1, yoga.id).checkin_code, signup_of(db, U2, yoga.id).checkin_code
    staff = chat(STAFF, role="staff")
    staff.say(f"เช็คอิน {code}").expect("เช็คอินไม่ได้ค่ะ กิจกรรม “โยคะยามเช้า” จัดไปแล้วเมื่อ", format_date(held),
                                        f"บันทึกย้อนหลังได้ถึง {format_date(held + timedelta(days=14))} นะคะ")
    assert "บันทึกย้อนหลัง" in staff.quick_labels() and signup_of(db, U1, yoga.id).attended_at is None
    staff.tap("บันทึกย้อนหลัง").expect("บันทึกการเข้าร่วมย้อนหลังแล้วค่ะ ✅", "(มา 2 คน)", "“โยคะยามเช้า”",
                                       format_date(held))
    assert signup_of(db, U1, yoga.id).attended_at is not None
    staff.tap("คำสั่งกิจกรรม").expect("เช็คอินย้อนหลัง ABC346")
    staff.say(f"เช็คอินย้อนหลัง {code2.lower()}").expect("บันทึกการเข้าร่วมย้อนหลังแล้วค่ะ ✅", "“โยคะยามเช้า”")
    staff.say(f"เช็คอินย้อนหลัง {code2}").expect(f"รหัส {code2} บันทึกการเข้าร่วมไว้แล้วเมื่อ")
    staff.say(f"รายชื่อผู้สมัคร {yoga.id}").expect(f"✓ ผู้ใช้ 1111 2 คน · {code}", f"✓ ผู้ใช้ 2222 1 คน · {code2}")
    # Not before the activity starts, and not more than 14 days after it: said, and nothing recorded.
    staff.say(f"เช็คอินย้อนหลัง {signup_of(db, U1, later.id).checkin_code}").expect(
        "ยังบันทึกย้อนหลังไม่ได้ค่ะ กิจกรรม “ตรวจตาผู้สูงอายุ” ยังไม่เริ่ม", "บันทึกได้หลังกิจกรรมเริ่มแล้วนะคะ")
    old_code = signup_of(db, U1, old.id).checkin_code
    staff.say(f"เช็คอิน {old_code}").expect("จัดไปแล้วเมื่อ", "เลยช่วงบันทึกย้อนหลัง 14 วันหลังกิจกรรมแล้วนะคะ")
    assert "บันทึกย้อนหลัง" not in staff.quick_labels()
    staff.say(f"เช็คอินย้อนหลัง {old_code}").expect("บันทึกย้อนหลังไม่ได้แล้วค่ะ กิจกรรม “รำไม้พลอง” ",
                                                    "ได้ภายใน 14 วันหลังกิจกรรม")
    assert signup_of(db, U1, later.id).attended_at is None and signup_of(db, U1, old.id).attended_at is None
    # Staff only, typed or tapped.
    resident = chat(U3)
    resident.say(f"เช็คอินย้อนหลัง {old_code}").expect("สำหรับเจ้าหน้าที่เท่านั้น")
    resident.postback(f"activity.checkin_late?c={old_code}").expect("สำหรับเจ้าหน้าที่เท่านั้น")


def test_staff_record_a_paper_sheet_one_code_after_another(chat, make_activity, db):
    """"เช็คอินย้อนหลัง" alone takes codes one after another; at the door, a code from an earlier day offers
    "บันทึกย้อนหลัง" with the next question (it was refused and the door went on)."""
    act = make_activity(capacity=5)
    for who in (U1, U2, U3):
        chat(who).postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    _held_days_ago(db, act.id, 1)
    first, second, third = (signup_of(db, who, act.id).checkin_code for who in (U1, U2, U3))
    staff = chat(STAFF, role="staff")
    staff.say("เช็คอินย้อนหลัง").expect("บันทึกการเข้าร่วมย้อนหลังค่ะ", "จากใบลงชื่อทีละรหัส")
    staff.say(first.lower()).expect("บันทึกการเข้าร่วมย้อนหลังแล้วค่ะ ✅", "รอบนี้บันทึกแล้ว 1 รายการ")
    staff.say(first).expect(f"รหัส {first} บันทึกการเข้าร่วมไว้แล้วเมื่อ", "รหัสถัดไป")
    staff.say("เสร็จ").expect("จบการบันทึกย้อนหลังรอบนี้ค่ะ บันทึกแล้ว 1 รายการ ✅")
    staff.say("เช็คอิน").say(second).expect("เช็คอินไม่ได้ค่ะ", "จัดไปแล้วเมื่อ",
                                              f"ถ้าผู้สมัครรหัส {second} มาร่วมจริง แตะ “บันทึกย้อนหลัง”")
    assert staff.quick_labels()[:2] == ["บันทึกย้อนหลัง", "เสร็จแล้ว"]
    staff.tap("บันทึกย้อนหลัง").expect("บันทึกการเข้าร่วมย้อนหลังแล้วค่ะ ✅", "รอบนี้เช็คอินแล้ว 1 รายการ")
    assert "บันทึกย้อนหลัง" not in staff.quick_labels()  # for that code only
    staff.say(third).expect("จัดไปแล้วเมื่อ").say("บันทึกย้อนหลังค่ะ").expect("บันทึกการเข้าร่วมย้อนหลังแล้วค่ะ ✅")
    staff.say("เสร็จแล้ว").expect("จบการเช็คอินรอบนี้ค่ะ เช็คอินแล้ว 2 รายการ")
    assert all(signup_of(db, who, act.id).attended_at is not None for who in (U1, U2, U3))


def test_a_party_bigger_than_the_activity_is_refused_up_front(chat, make_activity, db):
    """"ขอลงชื่อตรวจตา 5 คนค่ะ" on a 4-seat activity promised the waitlist, and ยืนยันสมัคร answered "รับได้ทั้งหมด
    4 คน" then the same summary again; the chips offered "5 คน"."""
    act = make_activity(title="ตรวจตาและวัดสายตาผู้สูงอายุ", capacity=4)
    u = chat(U1)
    u.say("ขอลงชื่อตรวจตา 5 คนค่ะ").expect("กิจกรรมนี้รับได้ทั้งหมด 4 คน ไป 5 คนไม่ได้ค่ะ", "ไปกี่คนคะ")
    u.expect_not("รายชื่อสำรอง", "สรุปการสมัคร")
    assert [label for label in u.quick_labels() if "คน" in label] == ["1 คน (ไปคนเดียว)", "2 คน", "3 คน", "4 คน"]
    u.say("5").expect("กิจกรรมนี้รับได้ทั้งหมด 4 คน").expect_not("สรุปการสมัคร", "รายชื่อสำรอง")
    u.say("4").expect("สรุปการสมัคร", "จำนวน 4 คน", "ยังมีที่ว่าง 4 ที่")
    u.say("ไปหกคน").expect("กิจกรรมนี้รับได้ทั้งหมด 4 คน ไป 6 คนไม่ได้ค่ะ").expect_not("รายชื่อสำรอง")
    with db.session() as s:  # staff cut the seats while the summary was open
        s.get(Activity, act.id).capacity = 3
    u.tap("ยืนยันสมัคร").expect("กิจกรรมนี้รับได้ทั้งหมด 3 คน ไป 4 คนไม่ได้ค่ะ", "ไปกี่คนคะ")
    u.expect_not("รายชื่อสำรอง", "ลงทะเบียนสำเร็จ")
    assert "4 คน" not in u.quick_labels() and signup_of(db, U1, act.id) is None
    u.tap("3 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ", "จำนวน 3 คน")
    assert signup_of(db, U1, act.id).party_size == 3


def test_a_waitlisted_party_that_gets_smaller_hears_where_it_stands(chat, make_activity, harness, db):
    """On the waitlist with 4 (2 seats free), "ขอเปลี่ยนเป็น 2 คน" promised to pass her freed seats to the waitlist
    and then said "รหัสเช็คอินเดิม … ใช้ได้ทุกคนในกลุ่ม", the promotion coming as a separate push; the waitlist
    reply itself said "ที่นั่งเต็มแล้ว" with 2 seats free."""
    act = make_activity(title="ตรวจตาและวัดสายตาผู้สูงอายุ", capacity=5)
    chat(U2).postback(f"activity.signup?id={act.id}").say("3").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").say("4").tap("ยืนยันสมัคร")
    u.expect("ตอนนี้เหลือ 2 ที่ ไม่พอสำหรับ 4 คนค่ะ คุณอยู่ในรายชื่อสำรองลำดับที่ 1").expect_not("ที่นั่งเต็มแล้ว")
    u.say("ตรวจตาขอเปลี่ยนเป็น 3 คนค่ะ").expect("จาก 4 เป็น 3 คน", "ยังอยู่ในรายชื่อสำรองเหมือนเดิม")
    u.expect_not("ส่งต่อให้คนในรายชื่อสำรอง")
    u.tap("ใช่ เปลี่ยนเลย").expect("เหลือ 2 ที่ ยังไม่พอสำหรับ 3 คน", "ยังอยู่ในรายชื่อสำรองลำดับที่ 1")
    u.expect_not("รหัสเช็คอิน")
    u.say("ตรวจตาขอเปลี่ยนเป็น 2 คนค่ะ").expect("จาก 3 เป็น 2 คน", "ตอนนี้มีที่ว่าง 2 ที่ พอสำหรับ 2 คน",
                                                "จะได้ที่นั่งทันที").expect_not("ส่งต่อให้คนในรายชื่อสำรอง")
    row = signup_of(db, U1, act.id)
    u.tap("ใช่ เปลี่ยนเลย").expect("ได้ที่นั่งแล้วค่ะ 🎉", f"รหัสเช็คอิน: {row.checkin_code}")
    u.expect_not("รหัสเช็คอินเดิม", "รายชื่อสำรอง")
    assert signup_of(db, U1, act.id).status == "confirmed"
    harness.run_outbox()
    harness.wait()
    u.refresh().expect_quiet()  # told in the reply, not a second time by push
    # A confirmed party that gets smaller with nobody waiting passes nothing on.
    u.say("ตรวจตาขอเปลี่ยนเป็น 1 คนค่ะ").expect("จาก 2 เป็น 1 คน").expect_not("ส่งต่อให้คนในรายชื่อสำรอง")
    u.tap("ใช่ เปลี่ยนเลย").expect("รหัสเช็คอินเดิม")


def test_seats_below_the_sign_ups_are_refused_at_the_preview(chat, make_activity, db):
    """"แก้กิจกรรม 15 | ที่นั่ง 2" with 4 signed up showed "ยืนยันไหมคะ", refused at ยืนยัน, then asked again."""
    act = make_activity(title="ตรวจตาและวัดสายตาผู้สูงอายุ", capacity=10)
    chat(U1).postback(f"activity.signup?id={act.id}").say("3").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    chat(U2).postback(f"activity.signup?id={act.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff = chat(STAFF, role="staff")
    staff.say(f"แก้กิจกรรม {act.id} | ที่นั่ง 2").expect("ลดที่นั่ง “ตรวจตาและวัดสายตาผู้สูงอายุ” เหลือ 2 ที่ไม่ได้ค่ะ",
                                                    "มีผู้ลงทะเบียนแล้ว 4 คน", "อย่างน้อย 4 ที่")
    staff.expect_not("ยืนยันไหมคะ")
    staff.say(f"แก้กิจกรรม {act.id} | ที่นั่ง 5").expect("ที่นั่ง: 10 → 5", "ยืนยันไหมคะ")
    chat(U3).postback(f"activity.signup?id={act.id}").say("2").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff.tap("ยืนยัน").expect("เหลือ 5 ที่ไม่ได้ค่ะ", "มีผู้ลงทะเบียนแล้ว 6 คน").expect_not("ยืนยันไหมคะ")
    staff.say(f"แก้กิจกรรม {act.id} | ที่นั่ง 6").tap("ยืนยัน").expect("แก้ไขกิจกรรมแล้วค่ะ ✅")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).capacity == 6


def test_staff_name_any_activity_to_announce_to_its_participants(chat, make_activity, db):
    """Only the 9 nearest activities were chips, and "ตรวจตา", the full title or its number got "ไม่พบกิจกรรมนี้ค่ะ"."""
    soon = [make_activity(title=f"แอโรบิกยามเช้า รุ่น {i}", starts=now_utc() + timedelta(days=1, hours=i))
            for i in range(10)]
    eyes = make_activity(title="ตรวจตาและวัดสายตาผู้สูงอายุ", starts=now_utc() + timedelta(days=12))
    walk = [make_activity(title="เดินเร็วรอบสวน", starts=now_utc() + timedelta(days=d)) for d in (14, 21)]
    with db.session() as s:  # a number one of the chips shows as well ("แอโรบิกยามเช้า รุ่น 3" holds "3")
        s.get(Activity, soon[3].id).title = f"แอโรบิกยามเช้า รุ่น {eyes.id}"
    chat(U1).postback(f"activity.signup?id={eyes.id}").say("1").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    staff = chat(STAFF, role="staff")

    def to_participants() -> None:
        staff.say("ประกาศ").say("เลื่อนเวลาเป็นบ่ายโมงค่ะ").tap("ไม่ต้อง").tap("ผู้ลงทะเบียนกิจกรรม")
        assert not any("ตรวจตา" in label for label in staff.quick_labels())  # beyond the 9 nearest

    for typed in ("ตรวจตา", "ตรวจตาและวัดสายตาผู้สูงอายุ", str(eyes.id), f"#{eyes.id}",
                  f"กิจกรรม {eyes.id}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))):
        to_participants()
        staff.say(typed).expect("ส่งเมื่อไรคะ").expect_not("ไม่พบกิจกรรม")
        staff.tap("ส่งเลย").expect("ถึง: ผู้ลงทะเบียนกิจกรรม “ตรวจตาและวัดสายตาผู้สูงอายุ” (1 คน)")
        staff.tap("ไม่ส่ง")
    to_participants()
    staff.say("เดินเร็ว").expect("มี 2 กิจกรรมที่ชื่อคล้าย “เดินเร็ว” ค่ะ").expect_not("ส่งเมื่อไรคะ")
    days = [f"{a.starts_at.astimezone(BKK):%-d/%-m}" for a in walk]
    assert [label for label in staff.quick_labels() if "เดินเร็ว" in label] == [f"{d} เดินเร็วรอบสวน" for d in days]
    staff.tap(f"{days[1]} เดินเร็วรอบสวน").expect("ส่งเมื่อไรคะ")
    staff.tap("ส่งเลย").expect("ถึง: ผู้ลงทะเบียนกิจกรรม “เดินเร็วรอบสวน” (0 คน)")
    staff.tap("ไม่ส่ง")
    to_participants()
    staff.say("ปลูกผักสวนครัว").expect("ไม่พบกิจกรรม “ปลูกผักสวนครัว” ค่ะ", "เลขกิจกรรม")
    staff.say("99999").expect("ไม่พบกิจกรรม #99999 ค่ะ")


def test_going_with_one_named_companion_is_two(chat, make_activity, db):
    """"ไปกับลูกสาวค่ะ" at the party step got "ขอเป็นจำนวนคน 1–10 คนนะคะ เช่น 2"."""
    act = make_activity()
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").expect("ไปกี่คนคะ")
    u.say("ไปกับหลานๆ ค่ะ").expect("ไปกันทั้งหมดกี่คนคะ (รวมตัวคุณเองด้วย)").expect_not("สรุปการสมัคร")
    u.say("ไปกับลูกและหลาน").expect("ไปกันทั้งหมดกี่คนคะ").expect_not("สรุปการสมัคร")  # how many is unknown
    u.say("ไปกับลูกสาวค่ะ").expect("สรุปการสมัคร", "จำนวน 2 คน").expect_not("1–10 คน")
    u.say("พาแม่ไปด้วยค่ะ").expect("สรุปการสมัคร", "จำนวน 2 คน")  # typed at the summary: the count again
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ", "จำนวน 2 คน")
    assert signup_of(db, U1, act.id).party_size == 2


def test_more_companions_count_with_those_named(chat, make_activity, db):
    """"ไปกับสามีและหลานอีก 2 คนค่ะ" was stored as 2 (me, my husband and two grandchildren are 4)."""
    act = make_activity()
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").expect("ไปกี่คนคะ")
    u.say("ไปกับสามีและหลานอีก 2 คนค่ะ").expect("สรุปการสมัคร", "จำนวน 4 คน")
    u.say("ผมกับเพื่อนอีกสามคน").expect("สรุปการสมัคร", "จำนวน 4 คน")
    u.say("ไปกับแม่และลูกสาวครับ").expect("สรุปการสมัคร", "จำนวน 3 คน")
    u.tap("แก้จำนวนคน").expect("ไปกี่คนคะ")
    u.say("ไปกับสามีและลูกค่ะ").expect("ไปกันทั้งหมดกี่คนคะ (รวมตัวคุณเองด้วย)").expect_not("สรุปการสมัคร")
    u.say("ไปกับสามีและหลานอีก 2 คนค่ะ").expect("จำนวน 4 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ", "จำนวน 4 คน")
    assert signup_of(db, U1, act.id).party_size == 4


def test_more_companions_in_a_sign_up_sentence(chat, make_activity, db):
    act = make_activity(title="รำไม้พลอง")
    u = chat(U1)
    u.say("ขอสมัครรำไม้พลอง ไปกับสามีและหลานอีก 2 คนค่ะ").expect("สรุปการสมัคร", "รำไม้พลอง", "จำนวน 4 คน")
    u.tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    assert signup_of(db, U1, act.id).party_size == 4


def test_a_day_or_part_of_day_asked_without_the_word_activity(chat, make_activity):
    """"เสาร์นี้ตอนเช้ามีอะไรบ้างคะ" got "ยังไม่แน่ใจว่าต้องการอะไร" (the router was not sure)."""
    saturday = next_saturday(now_utc())
    make_activity(title="แอโรบิกยามเช้า", starts=saturday.replace(hour=7))
    make_activity(title="อบรมปฐมพยาบาล", starts=saturday.replace(hour=13))
    make_activity(title="ไม้พลองตอนเย็น", starts=(saturday + timedelta(days=1)).replace(hour=17))
    u = chat(U1)
    u.say("เสาร์นี้ตอนเช้ามีอะไรบ้างคะ").expect("แอโรบิกยามเช้า", "ช่วงเช้า").expect_not(
        "อบรมปฐมพยาบาล", "ยังไม่แน่ใจ")
    u.say("ช่วงบ่ายมีอะไรบ้าง").expect("อบรมปฐมพยาบาล").expect_not("แอโรบิกยามเช้า", "ยังไม่แน่ใจ")
    u.say("อาทิตย์นี้เย็นๆมีกิจกรรมไหมคะ").expect("ไม้พลองตอนเย็น").expect_not("แอโรบิกยามเช้า", "อบรมปฐมพยาบาล")


def test_tomorrow_morning_asked_without_the_word_activity(chat, make_activity):
    tomorrow = (now_utc().astimezone(BKK) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    make_activity(title="แอโรบิกยามเช้า", starts=tomorrow.replace(hour=7))
    make_activity(title="อบรมปฐมพยาบาล", starts=tomorrow.replace(hour=13))
    make_activity(title="ไม้พลองวันอื่น", starts=tomorrow.replace(hour=7) + timedelta(days=2))
    u = chat(U1)
    # It showed แอโรบิกยามเช้า's details card only (its name held "เช้า"), not the list of that morning.
    u.say("พรุ่งนี้เช้ามีอะไรไหม").expect("แอโรบิกยามเช้า", "ช่วงเช้า", "มี 1 รายการ").expect_not("อบรมปฐมพยาบาล", "ไม้พลองวันอื่น", "ยังไม่แน่ใจ")


def test_leaving_a_sign_up_speaks_of_this_activity_only(chat, make_activity):
    """"ยกเลิก" mid sign-up said "ยังไม่ได้สมัครอะไรไว้", false for someone with other sign-ups."""
    first, second = make_activity(title="ตรวจสุขภาพประจำปี"), make_activity(title="รำไม้พลอง")
    u = chat(U1)
    u.postback(f"activity.signup?id={first.id}").tap("1 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.postback(f"activity.signup?id={second.id}").expect("ไปกี่คนคะ")
    u.say("ยกเลิก").expect("ออกจากการสมัครแล้วค่ะ", "กิจกรรมนี้ยังไม่ได้สมัคร").expect_not("ยังไม่ได้สมัครอะไร")


def test_a_resident_cancelling_by_the_activity_number(chat, make_activity, db):
    """"ยกเลิกกิจกรรม 6 ค่ะ" from a resident got "คำสั่งนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ"."""
    act, other = make_activity(), make_activity(title="รำไม้พลอง")
    u = chat(U1)
    u.postback(f"activity.signup?id={act.id}").tap("2 คน").tap("ยืนยันสมัคร").expect("ลงทะเบียนสำเร็จ")
    u.say(f"ยกเลิกกิจกรรม {act.id} ค่ะ").expect("ยกเลิกการสมัคร “ตรวจสุขภาพประจำปี”", "ใช่ไหมคะ").expect_not(
        "สำหรับเจ้าหน้าที่")
    u.tap("ยืนยันยกเลิกสมัคร").expect("ยกเลิกการสมัคร “ตรวจสุขภาพประจำปี” แล้วค่ะ")
    assert signup_of(db, U1, act.id).status not in svc.ACTIVE
    u.say(f"ยกเลิกกิจกรรม {other.id}").expect("ไม่ได้สมัคร “รำไม้พลอง”").expect_not("สำหรับเจ้าหน้าที่")
    with db.session(readonly=True) as s:
        assert s.get(Activity, act.id).status == "published"


def test_signing_up_typed_with_a_typo(chat, make_activity):
    """"สมักรำไม้พลองค่ะ" (สมัก for สมัคร) showed the details card instead of signing up."""
    make_activity(title="รำไม้พลอง")
    make_activity(title="ตรวจสุขภาพประจำปี")
    chat(U1).say("สมักรำไม้พลองค่ะ").expect("รำไม้พลอง", "ไปกี่คนคะ")


def test_activities_of_a_community_many_share_ask_which(chat, make_activity, db):
    """"กิจกรรมของชุมชนลาดพร้าวมีอะไรบ้าง" listed ลาดพร้าว 71's (the first of several) without a word."""
    with db.session() as s:
        for i, name in enumerate(("ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 101"), start=80):
            s.add(Community(code=f"LP{i}", name=name))
    make_activity(title="ตรวจสุขภาพประจำปี")
    u = chat(U1)
    u.say("กิจกรรมของชุมชนลาดพร้าวมีอะไรบ้างคะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ ดูกิจกรรมของชุมชนไหนคะ")
    assert {"ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 101"} <= set(u.quick_labels())
    u.tap("ชุมชนลาดพร้าว 101").expect("กิจกรรมของชุมชนลาดพร้าว 101 มี 1 รายการค่ะ กด “สมัคร” ได้เลยนะคะ")


def test_activities_of_a_name_many_share_offer_every_community_holding_it(chat, db):
    """"มีกิจกรรมที่ลาดพร้าวไหม" offered only the numbered communities (ลาดพร้าว 71 … 122) as chips, never
    วัดลาดพร้าว, เคหะลาดพร้าว … whose names hold it too."""
    from tests.activities.factories import make_activity
    from tests.support.communities import add_district

    ids = add_district(db)
    with db.session() as s:
        for name, n in (("ชุมชนเคหะลาดพร้าว", 2), ("ชุมชนวัดลาดพร้าว", 1), ("ชุมชนลาดพร้าว 122", 1)):
            for day in range(n):
                make_activity(s, now_utc(), days=3 + day, title=f"ทำอาหารสุขภาพที่{name}", community_id=ids[name])
    u = chat(U1)
    u.say("มีกิจกรรมที่ลาดพร้าวไหมคะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ ดูกิจกรรมของชุมชนไหนคะ",
                                             "ในปุ่มมี 11 จาก 14 ชุมชน", "พิมพ์ชื่อเต็มได้เลยนะคะ")
    labels = u.quick_labels()
    assert len(labels) == 13 and all(len(label) <= 20 for label in labels)
    # The most activities to come first, then by name; the whole district for who meant เขตลาดพร้าว.
    assert labels[:5] == ["ชุมชนเคหะลาดพร้าว", "ชุมชนลาดพร้าว 122", "ชุมชนวัดลาดพร้าว", "บ้านมั่นคงลาดพร้าว",
                          "ชุมชนบ้านสวนลาดพร้าว"]
    assert labels[-2:] == ["กิจกรรมทั้งหมด", "เมนู"]
    u.tap("ชุมชนเคหะลาดพร้าว").expect("กิจกรรมของชุมชนเคหะลาดพร้าว มี 2 รายการค่ะ").expect_not("ชุมชนวัดลาดพร้าว")


def test_signing_up_at_a_name_many_share_asks_which_or_takes_the_activity_named(chat, db):
    """"ขอสมัครกิจกรรมของชุมชนลาดพร้าว" listed ลาดพร้าว 71's activities (the first of 14 communities holding
    the name); with "2 คน" after the name it was no community at all, and "ลาดพร้าว" picked the activity
    with it in its title (เดินเร็วริมคลองลาดพร้าว)."""
    from tests.activities.factories import make_activity
    from tests.support.communities import add_district

    ids = add_district(db)
    with db.session() as s:
        make_activity(s, now_utc(), title="รำไม้พลอง", community_id=ids["ชุมชนวัดลาดพร้าว"])
        make_activity(s, now_utc(), days=4, title="เดินเร็วริมคลองลาดพร้าว", community_id=ids["ชุมชนริมคลองลาดพร้าว"])
        make_activity(s, now_utc(), days=5, title="แอโรบิกยามเย็น", community_id=ids["ชุมชนลาดพร้าว 71"])
    u = chat(U1)
    u.say("ขอสมัครกิจกรรมของชุมชนลาดพร้าวค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ ดูกิจกรรมของชุมชนไหนคะ")
    assert {"ชุมชนวัดลาดพร้าว", "ชุมชนริมคลองลาดพร้าว", "ชุมชนลาดพร้าว 71"} <= set(u.quick_labels()[:3])
    u.expect_not("แอโรบิกยามเย็น")
    u.say("ขอสมัครกิจกรรมที่ลาดพร้าว 2 คนค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ").expect_not("สรุปการสมัคร")
    u.tap("ชุมชนริมคลองลาดพร้าว").expect("กิจกรรมของชุมชนริมคลองลาดพร้าว มี 1 รายการค่ะ", "เดินเร็วริมคลองลาดพร้าว")
    # An activity it names, at any of them, is signed up for at once (ลาดพร้าว 71's list did not hold it).
    u.say("ขอสมัครรำไม้พลองที่ลาดพร้าวค่ะ").expect("รำไม้พลอง", "ไปกี่คนคะ")
    u.say("ยกเลิก")
    # The whole name of one of them is clear, as before; "ที่วัด…" was read as ลาดพร้าว 71.
    u.say("มีกิจกรรมที่วัดลาดพร้าวไหมคะ").expect("กิจกรรมของชุมชนวัดลาดพร้าว มี 1 รายการค่ะ", "รำไม้พลอง")


def test_a_resident_at_the_door_gets_todays_code(chat, make_activity, db):
    """"เช็คอินค่ะ มาถึงแล้ว" got "คำสั่งนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ"."""
    from tests.worker.helpers import sign_up

    now = now_utc()
    u = chat(U1)
    later = make_activity(title="โยคะยามเย็น", starts=now + timedelta(days=3))
    with db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == U1))
        code = sign_up(s, s.get(Activity, later.id), user).checkin_code
    u.say("เช็คอินค่ะ มาถึงแล้ว").expect("วันนี้คุณไม่ได้สมัครกิจกรรมไว้ค่ะ", "โยคะยามเย็น")
    u.expect_not("เจ้าหน้าที่เท่านั้น")
    happening = make_activity(title="รำไม้พลองเช้านี้", starts=now - timedelta(minutes=30))  # on now: today
    with db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == U1))
        code = sign_up(s, s.get(Activity, happening.id), user).checkin_code
    u.say("เช็คอินค่ะ มาถึงแล้ว").expect("แสดงรหัสนี้", f"“รำไม้พลองเช้านี้” รหัสเช็คอิน {code}")
    u.expect_not("เจ้าหน้าที่เท่านั้น", "โยคะยามเย็น")
    u.say("เช็คอิน").expect(code).expect_not("โยคะยามเย็น")
    u.say(f"เช็คอิน {code}").expect("สำหรับเจ้าหน้าที่เท่านั้น", f"รหัสเช็คอิน {code}")  # as staff type it
