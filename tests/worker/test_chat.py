"""Staff write announcements in chat; residents mute announcements and rate an activity afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services import reminders
from bot.thaidate import format_date, format_datetime, now_utc, to_bkk
from storage.models import ActivityFeedback, Broadcast, OutboxMessage, User
from tests.worker.helpers import make_activity, sign_up

STAFF = "U" + "a" * 32
RES1 = "U" + "b" * 32
RES2 = "U" + "c" * 32
HOME = "ชุมชนร่วมใจพัฒนา"


def only_broadcast(harness) -> Broadcast:
    with harness.db.session(readonly=True) as s:
        rows = list(s.scalars(select(Broadcast)))
        assert len(rows) == 1
        return rows[0]


def test_staff_announcement_to_a_community_preview_then_delivered(chat, harness):
    r1 = chat(RES1, community=HOME)
    r2 = chat(RES2, community="ชุมชนอื่น")
    staff = chat(STAFF, role="staff", community=HOME)
    staff.say("ประกาศ").expect("พิมพ์ข้อความ")
    staff.say("พรุ่งนี้ 8 โมง ตรวจความดันฟรีที่ศาลาชุมชนค่ะ").expect("แนบรูปหรือปุ่มลิงก์")
    staff.tap("ปุ่มลิงก์").expect("วางลิงก์")
    staff.say("ดูนี่ค่ะ").expect("https://")
    staff.say("example.org/bp").expect("ปุ่มลิงก์ให้เขียนว่าอะไร")  # pasted without https://
    staff.say("ลงชื่อล่วงหน้า").expect("ส่งถึงใคร")
    staff.tap("ชุมชน").expect("ชุมชนไหน")
    staff.tap(HOME).expect("ส่งเมื่อไร")
    staff.tap("ส่งเลย")
    staff.expect("ตัวอย่างข้อความที่ผู้รับจะเห็น", "ตรวจความดันฟรี", "ลงชื่อล่วงหน้า", f"สมาชิก{HOME} (2 คน)",
                 "ส่งทันทีหลังยืนยัน")
    preview = [m for m in staff.last if m.get("type") == "flex"]
    assert "https://example.org/bp" in str(preview)
    staff.tap("ยืนยันส่ง").expect("รับประกาศ #", "กำลังทยอยส่ง", "2 คน")
    harness.run_outbox()
    got = [m for m in r1.refresh().last if m.get("type") == "flex"]
    assert got and got[0] == preview[0]  # exactly what staff saw
    r2.refresh().expect_not("ตรวจความดันฟรี")
    audit = only_broadcast(harness)
    assert (audit.status, audit.recipient_count, audit.delivered_count, audit.created_via) == ("sent", 2, 2, "chat")


def test_staff_types_the_community_instead_of_tapping_the_chips(chat, harness):
    chat(RES1, community=HOME)
    staff = chat(STAFF, role="staff", community="ชุมชนอื่น")
    staff.say("ประกาศ").say("เย็นนี้มีแอโรบิกที่ลานวัดค่ะ").tap("ไม่ต้อง").expect("ส่งถึงใคร")
    staff.say("ร่วมใจพัฒนา").expect("ส่งเมื่อไร")  # the audience and which community in one answer
    staff.tap("ส่งเลย").expect(f"สมาชิก{HOME} (1 คน)").expect_not("ชุมชนชุมชน")
    staff.say("ย้อนกลับ").say("ย้อนกลับ").expect("ส่งถึงใคร")
    staff.tap("ชุมชน").expect("ชุมชนไหน")  # a chip asks which one again
    staff.say("ชุมชนอื่นค่ะ").expect("ส่งเมื่อไร")  # typed loosely at that step too
    staff.tap("ส่งเลย").expect("สมาชิกชุมชนอื่น (1 คน)")


def test_staff_schedules_in_thai_words_then_lists_and_cancels(chat, harness):
    staff = chat(STAFF, role="staff")
    chat(RES1)
    staff.say("ประกาศ").say("ขอเชิญร่วมเดินเร็วเย็นวันเสาร์ค่ะ").tap("ไม่ต้อง").tap("ทุกคน")
    staff.say("พรุ่งนี้ 9 โมง").expect("ทุกคนที่เป็นเพื่อนกับบัญชี", "เวลา 09:00 น.")
    staff.tap("ยืนยันส่ง").expect("ตั้งเวลาประกาศ #", "09:00 น.")
    b = only_broadcast(harness)
    assert b.status == "scheduled" and b.scheduled_at > now_utc()
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(OutboxMessage.id).where(OutboxMessage.broadcast_id == b.id)) is None
    staff.say("ประกาศที่ตั้งเวลาไว้").expect(f"#{b.id}", "ขอเชิญร่วมเดินเร็ว")
    staff.tap(f"ยกเลิก #{b.id}").expect("ใช่ไหมคะ")
    staff.tap("ไม่ยกเลิก").expect(f"ประกาศ #{b.id} ยังตั้งเวลาไว้ตามเดิมค่ะ")
    # Typed with its number, as the button (it was read as cancelling an activity sign-up).
    staff.say(f"ยกเลิกประกาศ #{b.id}").expect(f"ยกเลิกประกาศ #{b.id} ที่จะส่ง", "ใช่ไหมคะ").expect_not("สมัครกิจกรรม")
    staff.say("ยกเลิกเลยค่ะ").expect(f"ยกเลิกประกาศ #{b.id} แล้วค่ะ")  # yes, typed
    assert only_broadcast(harness).status == "cancelled"
    staff.say("ประกาศที่ตั้งเวลาไว้").expect("ไม่มีประกาศที่ตั้งเวลาไว้", f"#{b.id} ยกเลิกแล้ว").expect_not("ส่งล่าสุด", "0/0")


@pytest.mark.parametrize(("said", "later"), [("อีกครึ่งชั่วโมง", timedelta(minutes=30)),
                                             ("อีก 2 ชั่วโมง", timedelta(hours=2)),
                                             ("อีก ๑๕ นาทีค่ะ", timedelta(minutes=15))])
def test_staff_schedule_an_announcement_from_now(chat, harness, said, later):
    """"อีกครึ่งชั่วโมง" at the time step answered "ยังอ่านวันเวลาไม่ออก": it is now counted from now (Bangkok)."""
    staff = chat(STAFF, role="staff")
    chat(RES1)
    staff.say("ประกาศ").say("เริ่มฉีดวัคซีนที่ศาลาชุมชนแล้วค่ะ").tap("ไม่ต้อง").tap("ทุกคน")
    before = now_utc()
    staff.say(said).expect("ตั้งเวลาส่งประกาศนี้ไหมคะ").expect_not("อ่านวันเวลาไม่ออก")
    after = now_utc()
    shown = {f"เวลา: {format_datetime(moment + later)}" for moment in (before, after)}
    assert any(line in staff.text for line in shown), staff.text  # in Thai, Bangkok time
    staff.tap("ยืนยันส่ง").expect("ตั้งเวลาประกาศ #")
    b = only_broadcast(harness)
    assert before + later - timedelta(minutes=1) <= b.scheduled_at <= after + later


def test_a_day_without_a_time_is_asked_its_time(chat, harness):
    """"พรุ่งนี้" alone at the time step was scheduled for midnight."""
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ทดสอบค่ะ").tap("ไม่ต้อง").tap("ทุกคน")
    tomorrow = now_utc() + timedelta(days=1)
    staff.say("พรุ่งนี้").expect(f"ส่ง{format_date(tomorrow)} กี่โมงคะ", "“พรุ่งนี้ 9 โมง”").expect_not("00:00")
    staff.say("พรุ่งนี้ 9 โมง").expect("เวลา 09:00 น.", "ตั้งเวลาส่งประกาศนี้ไหมคะ")


def test_a_scheduled_announcement_that_says_tomorrow_is_flagged_in_the_summary(chat):
    """Read on Saturday, "พรุ่งนี้" means Sunday: the staff member is asked to check before it goes."""
    staff = chat(STAFF, role="staff")
    chat(RES1)
    staff.say("ประกาศ").say("พรุ่งนี้มีตรวจสุขภาพฟรีที่ศาลาชุมชนค่ะ").tap("ไม่ต้อง").tap("ทุกคน")
    staff.say("พรุ่งนี้ 9 โมง").expect("ข้อความมีคำว่า “พรุ่งนี้” ผู้รับจะอ่านตอน", "ลองใส่เป็นวันที่แทนไหมคะ")
    staff.say("ย้อนกลับ").tap("ส่งเลย").expect("ส่งทันทีหลังยืนยัน").expect_not("ข้อความมีคำว่า")


def test_a_time_in_the_past_is_asked_again_and_residents_cannot_broadcast(chat):
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ทดสอบค่ะ").tap("ไม่ต้อง").tap("ทุกคน")
    staff.say("เมื่อวาน 9 โมง").expect("ผ่านไปแล้ว", "ส่งเมื่อไร")
    staff.say("31 พ.ย. 9 โมง").expect("ไม่มีวันที่ 31 พ.ย. ค่ะ")  # it used to be sent today at 9
    chat(RES1).say("ประกาศ").expect("เจ้าหน้าที่เท่านั้น")


def test_mute_announcements_keeps_own_reminders(chat, harness):
    r1 = chat(RES1)
    r1.say("ปิดการแจ้งเตือน").expect("ปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ", "เตือนกิจกรรมที่คุณสมัครไว้")
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ข่าวชุมชนค่ะ").tap("ไม่ต้อง").tap("ตามบทบาท").tap("ประชาชน").tap("ส่งเลย")
    staff.expect("(0 คน)")
    staff.tap("ยืนยันส่ง")
    now = now_utc()
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        activity = make_activity(s, now + timedelta(hours=2) - timedelta(minutes=1))  # 2 h reminder due
        sign_up(s, activity, user)
        assert reminders.queue_activity_reminders(s, now) == 1
    harness.run_outbox()
    r1.refresh().expect("มีกิจกรรมค่ะ", "เดินเร็วเพื่อสุขภาพ").expect_not("ข่าวชุมชน")
    r1.say("เปิดการแจ้งเตือน").expect("เปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(User.muted_categories).where(User.line_user_id == RES1)) == []
    for said in ("ยกเลิกการแจ้งเตือน", "ไม่รับข่าวแล้วค่ะ"):
        r1.say(said).expect("ปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ")
        r1.say("เปิดการแจ้งเตือน").expect("เปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ")


def test_muted_participants_still_get_staffs_message_about_their_activity(chat, harness):
    """r1 muted announcements ("ยังได้รับการเตือนกิจกรรมที่คุณสมัครไว้"): staff's message to the activity's
    participants said "(1 คน)" of the 2 registered, and r1 never got it."""
    r1, r2 = chat(RES1), chat(RES2)
    with harness.db.session() as s:
        activity = make_activity(s, now_utc() + timedelta(days=3), title="โยคะ")
        for line_id in (RES1, RES2):
            sign_up(s, activity, s.scalar(select(User).where(User.line_user_id == line_id)))
    r1.say("ปิดการแจ้งเตือน").expect("เตือนกิจกรรมที่คุณสมัครไว้")
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("โยคะให้นำเสื่อมาเองนะคะ").tap("ไม่ต้อง").tap("ผู้ลงทะเบียนกิจกรรม")
    staff.say(str(activity.id)).tap("ส่งเลย").expect("ผู้ลงทะเบียนกิจกรรม “โยคะ” (2 คน)")
    staff.tap("ยืนยันส่ง").expect("2 คน")
    harness.run_outbox()
    r1.refresh().expect("โยคะให้นำเสื่อมาเองนะคะ")
    r2.refresh().expect("โยคะให้นำเสื่อมาเองนะคะ")
    assert only_broadcast(harness).delivered_count == 2


def test_part_of_an_activitys_name_finds_it_for_an_announcement(chat, harness):
    """"โยคะ" got "ไม่พบกิจกรรม “โยคะ” ค่ะ" though "โยคะผู้สูงอายุ" found five of them."""
    with harness.db.session() as s:
        first = make_activity(s, now_utc() + timedelta(days=2), title="โยคะผู้สูงอายุ")
        make_activity(s, now_utc() + timedelta(days=9), title="โยคะยามเย็น")
        make_activity(s, now_utc() + timedelta(days=3), title="รำไม้พลอง")
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ให้นำเสื่อมาเองนะคะ").tap("ไม่ต้อง").tap("ผู้ลงทะเบียนกิจกรรม")
    staff.say("โยคะ").expect("มี 2 กิจกรรมที่ชื่อคล้าย “โยคะ”").expect_not("ไม่พบกิจกรรม")
    labels = staff.quick_labels()
    assert len([label for label in labels if "โยคะ" in label]) == 2 and not any("รำไม้พลอง" in x for x in labels)
    staff.say("โยคะผู้สูงอายุค่ะ").expect("ส่งเมื่อไร")  # one whole name, with its particle
    staff.tap("ส่งเลย").expect(f"ผู้ลงทะเบียนกิจกรรม “{first.title}”")


def test_a_message_to_participants_set_for_after_the_activity_is_flagged(chat, harness):
    """Scheduled for after the activity ended, it had no warning (as "เสาร์นี้" has)."""
    from bot.thaidate import to_bkk

    chat(RES1)
    with harness.db.session() as s:
        activity = make_activity(s, now_utc() + timedelta(days=2), title="โยคะ")
        sign_up(s, activity, s.scalar(select(User).where(User.line_user_id == RES1)))
        ends = to_bkk(activity.ends_at)
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ให้นำเสื่อมาเองนะคะ").tap("ไม่ต้อง").tap("ผู้ลงทะเบียนกิจกรรม").say(str(activity.id))
    later = (ends + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    staff.tap("เลือกวันเวลา", {"datetime": later})
    staff.expect("⚠️ กิจกรรม “โยคะ” จบ", "หลังกิจกรรมจบแล้ว ลองเลือกเวลาก่อนหน้านั้นไหมคะ", "ตั้งเวลาส่งประกาศนี้ไหมคะ")
    staff.say("ย้อนกลับ")
    before = (ends - timedelta(hours=26)).strftime("%Y-%m-%dT%H:%M")
    staff.tap("เลือกวันเวลา", {"datetime": before}).expect("ตั้งเวลาส่งประกาศนี้ไหมคะ").expect_not("หลังกิจกรรมจบแล้ว")
    staff.say("ย้อนกลับ").tap("ส่งเลย").expect("ส่งประกาศนี้เลยไหมคะ").expect_not("หลังกิจกรรมจบแล้ว")


def test_rating_after_an_activity_with_a_comment(chat, harness):
    r1 = chat(RES1)
    now = now_utc()
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        activity = make_activity(s, now - timedelta(hours=5))
        sign_up(s, activity, user)
        assert reminders.queue_followups(s, now) == 1
    harness.run_outbox()
    r1.refresh().expect("เป็นอย่างไรบ้างคะ")
    r1.tap("⭐⭐⭐⭐").expect("ขอบคุณสำหรับ 4 ดาว", "อยากเล่าเพิ่มไหม")
    r1.say("สนุกมาก อยากให้จัดทุกเดือนค่ะ").expect("บันทึกความเห็นแล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        fb = s.scalar(select(ActivityFeedback))
        assert (fb.rating, fb.comment) == (4, "สนุกมาก อยากให้จัดทุกเดือนค่ะ")


def test_reminder_cancel_button_opens_the_cancellation(chat, harness):
    r1 = chat(RES1)
    now = now_utc()
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        activity = make_activity(s, now + timedelta(hours=2) - timedelta(minutes=1), place="ลานกีฬาชุมชน")
        sign_up(s, activity, user)
        reminders.queue_activity_reminders(s, now)
    harness.run_outbox()
    r1.refresh().expect("อีก 2 ชั่วโมงมีกิจกรรมค่ะ", "ลานกีฬาชุมชน", "2569", "รหัสเช็คอิน")
    r1.tap("ยกเลิกการลงทะเบียน").expect("ยกเลิกการสมัคร “เดินเร็วเพื่อสุขภาพ”", "ใช่ไหมคะ")


def test_a_reminder_says_the_time_left_when_it_is_sent_and_none_goes_once_the_activity_started(chat, harness):
    """The time left ("อีก 2 ชั่วโมง") and the place were written when the reminder was queued: sent 40 minutes
    late (the worker was down) it still said two hours, with the place staff had changed since."""
    from bot.services import activities

    r1, r2 = chat(RES1), chat(RES2)
    now = now_utc()
    with harness.db.session() as s:
        walk = make_activity(s, now + timedelta(hours=2, minutes=10), place="ลานกีฬาชุมชน")  # due in 10 min
        yoga = make_activity(s, now + timedelta(hours=2, minutes=55), title="โยคะยามเช้า")  # due in 55 min
        sign_up(s, walk, s.scalar(select(User).where(User.line_user_id == RES1)))
        sign_up(s, yoga, s.scalar(select(User).where(User.line_user_id == RES2)))
        assert reminders.queue_activity_reminders(s, now) == 2
    with harness.db.session() as s:
        activities.edit(s, None, walk.id, place="ศาลาชุมชนร่วมใจ", now=now)
    harness.run_outbox(now + timedelta(minutes=50))  # the worker was down for 40 minutes
    r1.refresh().expect("⏰ อีก 1 ชั่วโมง 20 นาทีมีกิจกรรมค่ะ", "📍 ศาลาชุมชนร่วมใจ", "รหัสเช็คอิน")
    r1.expect_not("อีก 2 ชั่วโมง", "ลานกีฬาชุมชน")
    harness.run_outbox(now + timedelta(hours=3))  # down again, until after the yoga began: nothing late
    r2.refresh().expect_not("⏰", "โยคะยามเช้า")
    with harness.db.session(readonly=True) as s:
        (row,) = [r for r in s.scalars(select(OutboxMessage).where(OutboxMessage.category == "reminder"))
                  if r.to == [RES2]]
        assert (row.status, row.last_error) == ("cancelled", "activity already started")


def test_the_activity_chips_for_an_announcement_say_their_day(chat, harness):
    """Two "แอโรบิกยามเช้าผู้สูงอายุ…" chips were told apart only in the preview: the day comes first now."""
    from bot.thaidate import to_bkk

    with harness.db.session() as s:
        first = make_activity(s, now_utc() + timedelta(days=2), title="แอโรบิกยามเช้าผู้สูงอายุลาดพร้าว")
        second = make_activity(s, now_utc() + timedelta(days=9), title="แอโรบิกยามเช้าผู้สูงอายุลาดพร้าว")
        days = [f"{to_bkk(a.starts_at).day}/{to_bkk(a.starts_at).month} " for a in (first, second)]
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ฝนตก งดกิจกรรมค่ะ").tap("ไม่ต้อง").tap("ผู้ลงทะเบียนกิจกรรม")
    labels = staff.quick_labels()
    assert [label for label in labels if "แอโรบิก" in label] == [
        (day + "แอโรบิกยามเช้าผู้สูงอายุลาดพร้าว")[:19] + "…" for day in days]


def test_staff_typing_a_name_many_communities_share_are_asked_which(chat, harness):
    """"ลาดพร้าว" at the audience step (or after "ชุมชน") made ชุมชนลาดพร้าว 71 the audience, the first of 14."""
    from tests.support.communities import add_district

    add_district(harness.db)
    chat(RES1, community="ชุมชนวัดลาดพร้าว")
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("พรุ่งนี้มีรถพ่นยุงค่ะ").tap("ไม่ต้อง").expect("ส่งถึงใคร")
    staff.say("ลาดพร้าว").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ", "ในปุ่มมี 10 จาก 14 ชุมชน", "ชุมชนไหนคะ")
    labels = staff.quick_labels()
    assert labels[0] == "ชุมชนวัดลาดพร้าว" and labels[-2:] == ["ย้อนกลับ", "ยกเลิก"] and len(labels) == 12
    staff.tap("ชุมชนวัดลาดพร้าว").tap("ส่งเลย").expect("สมาชิกชุมชนวัดลาดพร้าว (1 คน)")
    staff.say("ย้อนกลับ").say("ย้อนกลับ").say("ย้อนกลับ").expect("ส่งถึงใคร")
    staff.tap("ชุมชน").expect("ชุมชนไหน").say("ลาดพร้าวค่ะ").expect(
        "ชุมชนลาดพร้าวมีหลายชุมชนค่ะ", "ชุมชนไหนคะ").expect_not("ส่งเมื่อไร")
    staff.say("ลาดพร้าว 101").tap("ส่งเลย").expect("สมาชิกชุมชนลาดพร้าว 101 (0 คน)")


def test_a_reminder_that_lands_mid_journey_carries_the_way_back_decided_when_it_is_sent(chat, harness):
    """Reminders are queued up to an hour before they are sent, and the way back to the step ("กลับไปทำต่อ")
    was decided then: one that landed mid-journey hid the step's chips with none to bring them back."""
    r1 = chat(RES1)
    now = now_utc()
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        soon = make_activity(s, now + timedelta(hours=2, minutes=10), place="ลานกีฬาชุมชน")  # 2 h reminder in 10 min
        later = make_activity(s, now + timedelta(hours=2, minutes=45), title="รำไม้พลอง")  # in 45 min
        sign_up(s, soon, user)
        sign_up(s, later, user)
        other = make_activity(s, now + timedelta(days=3), title="โยคะยามเช้า")
        assert reminders.queue_activity_reminders(s, now) == 2  # queued while nothing is open
    r1.postback(f"activity.signup?id={other.id}").expect("“โยคะยามเช้า”", "ไปกี่คนคะ")
    harness.run_outbox(now + timedelta(minutes=11))
    r1.refresh().expect("อีก 2 ชั่วโมงมีกิจกรรมค่ะ", "เดินเร็วเพื่อสุขภาพ")
    assert r1.quick_labels()[:1] == ["กลับไปทำต่อ"]
    r1.tap("กลับไปทำต่อ").expect("กลับมาที่ขั้นตอนสมัครกิจกรรมค่ะ", "ไปกี่คนคะ")
    assert "1 คน (ไปคนเดียว)" in r1.quick_labels()
    # The journey times out after 30 minutes of silence: the next reminder comes without the way back.
    harness.run_outbox(now + timedelta(minutes=46))
    r1.refresh().expect("รำไม้พลอง")
    assert "กลับไปทำต่อ" not in r1.quick_labels()


def test_an_answer_queued_mid_journey_comes_without_the_way_back_once_the_journey_is_over(chat, harness):
    """Staff answered while the resident was mid-journey, and the push kept "กลับไปทำต่อ" though the resident
    had left the journey by the time it arrived (the tap then said there was nothing to go back to)."""
    staff = chat(STAFF, role="staff")
    resident = chat(RES1, name="มาลี", community=HOME)
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("ไฟทางเดินในซอยดับค่ะ")
    harness.run_outbox()
    resident.say("เสนอโครงการ").expect("โครงการชื่ออะไรคะ")
    staff.refresh().tap("ตอบกลับ").say("รับเรื่องแล้วค่ะ จะแจ้งช่างให้นะคะ")  # queued mid-journey
    resident.say("ยกเลิก")
    harness.run_outbox()
    resident.refresh().expect("รับเรื่องแล้วค่ะ จะแจ้งช่างให้นะคะ")
    assert "กลับไปทำต่อ" not in resident.quick_labels() and "ตอบกลับเจ้าหน้าที่" in resident.quick_labels()


def test_reminders_before_activities_have_their_own_switch(chat, harness):
    """"ไม่ต้องเตือนก่อนกิจกรรมนะคะ รำคาญ" got "ยังไม่แน่ใจ"; "ปิดการแจ้งเตือน" only mutes announcements."""
    r1 = chat(RES1)
    now = now_utc()
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RES1))
        soon = make_activity(s, now + timedelta(hours=2) - timedelta(minutes=1))  # 2 h reminder due
        sign_up(s, soon, user)
        assert reminders.queue_activity_reminders(s, now) == 1  # queued before it is turned off
    r1.say("ไม่ต้องเตือนก่อนกิจกรรมนะคะ รำคาญ").expect("จะไม่เตือนก่อนกิจกรรม", "ที่ฉันสมัครไว้")
    harness.run_outbox()
    r1.refresh().expect_not("เดินเร็วเพื่อสุขภาพ")
    with harness.db.session() as s:
        later = make_activity(s, now + timedelta(hours=26) - timedelta(minutes=1), title="โยคะ")
        sign_up(s, later, s.scalar(select(User).where(User.line_user_id == RES1)))
        assert reminders.queue_activity_reminders(s, now + timedelta(hours=2)) == 0
    r1.say("ขอดูข้อมูลของฉัน").expect("เตือนก่อนกิจกรรม: ปิดอยู่", "ข่าวประกาศ: รับอยู่")
    r1.say("เปิดเตือนกิจกรรม").expect("เปิดการเตือนก่อนกิจกรรมแล้วค่ะ")
    with harness.db.session() as s:
        assert reminders.queue_activity_reminders(s, now + timedelta(hours=2)) == 1


def test_a_time_typed_where_the_announcement_is_held_is_asked_about_not_taken_as_the_text(chat, harness):
    """QA: "ประกาศถึงทุกคนว่าพรุ่งนี้ฝนตก งดแอโรบิกนะคะ" → "อีกครึ่งชั่วโมง" went on to "จะแนบรูป…", and the preview
    showed the message “อีกครึ่งชั่วโมง” going to everyone."""
    staff = chat(STAFF, role="staff")
    chat(RES1)
    staff.say("ประกาศถึงทุกคนว่าพรุ่งนี้ฝนตก งดแอโรบิกนะคะ").expect("“พรุ่งนี้ฝนตก งดแอโรบิกนะคะ”")
    before = now_utc()
    staff.say("อีกครึ่งชั่วโมง").expect("จะให้ส่ง “อีกครึ่งชั่วโมง”", "ใช่ไหมคะ", "“พรุ่งนี้ฝนตก งดแอโรบิกนะคะ”")
    staff.expect_not("จะแนบรูป")
    assert staff.quick_labels()[:2] == ["ใช่ ส่งตามเวลานี้", "ไม่ใช่ เป็นข้อความ"]
    staff.tap("ใช่ ส่งตามเวลานี้").expect("จะแนบรูป")
    staff.tap("ไม่ต้อง").expect("ตั้งเวลาส่งประกาศนี้ไหมคะ", "พรุ่งนี้ฝนตก งดแอโรบิกนะคะ").expect_not("ส่งเมื่อไรคะ")
    staff.tap("ยืนยันส่ง").expect("ตั้งเวลาประกาศ #")
    b = only_broadcast(harness)
    assert b.text == "พรุ่งนี้ฝนตก งดแอโรบิกนะคะ"
    assert before + timedelta(minutes=29) <= b.scheduled_at <= now_utc() + timedelta(minutes=30)


def test_a_time_typed_where_the_announcement_is_held_can_still_be_the_text(chat, harness):
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศถึงทุกคนว่าพรุ่งนี้ฝนตก งดแอโรบิกนะคะ").say("พรุ่งนี้ 9 โมง").expect("จะให้ส่ง “พรุ่งนี้ 9 โมง”")
    staff.tap("ไม่ใช่ เป็นข้อความ").expect("จะแนบรูป")
    staff.say("ยกเลิก")
    staff.say("ประกาศ").say("อีกครึ่งชั่วโมง").expect("จะแนบรูป")  # nothing held yet: any text is the text


def test_a_large_announcements_quota_is_asked_of_line_after_the_event_and_told_to_staff(chat, harness, monkeypatch):
    """The preview of a send to 500 people or more asked LINE for the month's quota inside the event's open
    transaction: on SQLite every other user's event waited on LINE. The preview now says the quota is being
    checked; LINE is asked once the event is committed, and what it says comes in the next message."""
    from sqlalchemy import event

    from bot.line import LineGateway
    from storage.models import Community

    staff = chat(STAFF, role="staff", community=HOME)
    with harness.db.session() as s:
        home = s.scalar(select(Community).where(Community.name == HOME))
        s.add_all(User(line_user_id=f"U{n:032d}", display_name=f"สมาชิก {n}", role="resident", community_id=home.id,
                       consent_at=now_utc()) for n in range(600))
    open_transactions: list = []
    event.listen(harness.db.engine, "begin", lambda conn: open_transactions.append(conn))
    event.listen(harness.db.engine, "commit", lambda conn: open_transactions.remove(conn))
    event.listen(harness.db.engine, "rollback", lambda conn: open_transactions.remove(conn)
                 if conn in open_transactions else None)
    asked: list = []
    line_quota = LineGateway.get_quota

    def watched(self):
        asked.append(list(open_transactions))
        return line_quota(self)

    monkeypatch.setattr(LineGateway, "get_quota", watched)
    staff.say("ประกาศ").say("พรุ่งนี้ 8 โมง ตรวจความดันฟรีที่ศาลาชุมชนค่ะ").tap("ไม่ต้อง").tap("ชุมชน").tap(HOME)
    staff.tap("ส่งเลย").expect(f"สมาชิก{HOME} (601 คน)", "โควตาข้อความเดือนนี้: กำลังตรวจกับ LINE จะแจ้งในข้อความถัดไปค่ะ")
    assert asked == [[]]  # once, with no transaction open
    harness.run_outbox()
    staff.refresh().expect("ประกาศที่กำลังจะส่ง (ถึง 601 คน): การส่งครั้งนี้ใช้ประมาณ 601 ข้อความ จากโควตาที่เหลือ")


def test_send_now_typed_where_the_announcement_is_held_sends_it_now(chat, harness):
    """QA: "ส่งเลย" after "ประกาศถึงทุกคนว่า…" became the announcement's text."""
    staff = chat(STAFF, role="staff")
    chat(RES1)
    staff.say("ประกาศถึงทุกคนว่าพรุ่งนี้ฝนตก งดแอโรบิกนะคะ").say("ส่งเลยค่ะ").expect("จะแนบรูป")
    staff.tap("ไม่ต้อง").expect("ส่งทันทีหลังยืนยัน", "พรุ่งนี้ฝนตก งดแอโรบิกนะคะ").expect_not("ส่งเมื่อไรคะ")
    staff.tap("ยืนยันส่ง").expect("รับประกาศ #")
    b = only_broadcast(harness)
    assert b.text == "พรุ่งนี้ฝนตก งดแอโรบิกนะคะ" and b.status != "scheduled"


def test_a_day_alone_typed_where_the_announcement_is_held_is_asked_about_then_its_time(chat, harness):
    """QA: a lone "พรุ่งนี้" after "ประกาศถึงทุกคนว่า…" became the announcement's text."""
    staff = chat(STAFF, role="staff")
    chat(RES1)
    tomorrow = format_date(to_bkk(now_utc()) + timedelta(days=1), long=True)
    staff.say("ประกาศถึงทุกคนว่าพรุ่งนี้ฝนตก งดแอโรบิกนะคะ").say("พรุ่งนี้")
    staff.expect(f"จะให้ส่ง “พรุ่งนี้” ({tomorrow}) ใช่ไหมคะ", "“พรุ่งนี้ฝนตก งดแอโรบิกนะคะ”").expect_not("จะแนบรูป")
    staff.tap("ใช่ ส่งตามเวลานี้").expect("จะแนบรูป")
    staff.tap("ไม่ต้อง").expect(f"ส่ง{tomorrow} กี่โมงคะ")
    staff.say("9 โมง").expect("เวลา 09:00 น.", "ตั้งเวลาส่งประกาศนี้ไหมคะ")
    staff.tap("ยืนยันส่ง").expect("ตั้งเวลาประกาศ #")
    b = only_broadcast(harness)
    assert b.text == "พรุ่งนี้ฝนตก งดแอโรบิกนะคะ"
    assert to_bkk(b.scheduled_at).date() == (to_bkk(now_utc()) + timedelta(days=1)).date()
    assert to_bkk(b.scheduled_at).hour == 9


def test_a_text_that_starts_with_a_day_or_send_now_is_still_the_text(chat):
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศถึงทุกคนว่างดแอโรบิกนะคะ").say("เสาร์นี้").expect("จะให้ส่ง “เสาร์นี้”")
    staff.tap("ไม่ใช่ เป็นข้อความ").expect("จะแนบรูป")
    staff.say("ยกเลิก")
    staff.say("ประกาศถึงทุกคนว่างดแอโรบิกนะคะ").say("พรุ่งนี้ฝนตก งดแอโรบิกนะคะ").expect("จะแนบรูป")
    staff.say("ยกเลิก")
    staff.say("ประกาศถึงทุกคนว่างดแอโรบิกนะคะ").say("ส่งเลยค่ะ ของบริจาคมาถึงแล้ว").expect("จะแนบรูป")
    staff.tap("ไม่ต้อง").tap("ส่งเลย").expect("ส่งเลยค่ะ ของบริจาคมาถึงแล้ว")
