"""Staff and leaders on ideas, as they type: a command with its reason, an endorsement and its undo."""

from __future__ import annotations

from tests.ideas.test_chat import HOME, only_idea, submitted

STAFF = "U" + "5" * 32
LEADER = "U" + "8" * 32


def test_staff_reject_with_the_reason_in_the_same_message_and_confirm(chat, harness):
    """"ไม่อนุมัติโครงการ 16 ค่ะ ซ้ำกับธนาคารขยะที่มีอยู่แล้ว" answered "ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ"."""
    c = submitted(chat, harness)
    staff = chat(STAFF, role="staff")
    number = only_idea(harness).id
    staff.say(f"โครงการ {number} อนุมัติหรือยังคะ").expect_not("ได้ทุนจากแหล่งไหน")  # a question, not a command
    staff.say(f"ไม่อนุมัติโครงการ {number} ค่ะ ซ้ำกับธนาคารขยะที่มีอยู่แล้ว")
    staff.expect("ไม่อนุมัติโครงการ “ลานออกกำลังกายผู้สูงอายุ”", "เหตุผลถึงผู้เสนอ: “ซ้ำกับธนาคารขยะที่มีอยู่แล้ว”",
                 "ยืนยันไหมคะ").expect_not("ยังไม่มีโครงการที่คุณเสนอไว้")
    assert only_idea(harness).status == "submitted"  # nothing moves before the confirmation
    staff.tap("ยืนยัน").expect("ตอนนี้ “ไม่ผ่านการพิจารณา”")
    harness.run_outbox()
    c.refresh().expect("ซ้ำกับธนาคารขยะที่มีอยู่แล้ว")


def test_staff_ask_for_a_revision_with_the_number_first_and_can_step_back(chat, harness):
    """"โครงการ 14 ขอให้แก้ไขค่ะ ระบุสถานที่…" was "ยังไม่แน่ใจ"."""
    submitted(chat, harness)
    staff = chat(STAFF, role="staff")
    number = only_idea(harness).id
    staff.say(f"โครงการ {number} ขอให้แก้ไขค่ะ ระบุสถานที่ให้ชัดเจน").expect(
        "ขอให้ผู้เสนอปรับแก้โครงการ", "“ระบุสถานที่ให้ชัดเจน”", "ยืนยันไหมคะ")
    staff.tap("ไม่ทำแล้ว").expect("ยังไม่เปลี่ยนสถานะโครงการ")
    assert only_idea(harness).status == "submitted"
    staff.say(f"ขอให้แก้ไขโครงการ {number} ค่ะ").expect("อยากให้ผู้เสนอปรับแก้โครงการ")  # no reason: asked
    staff.say("ระบุสถานที่ให้ชัดเจน").expect("“ระบุสถานที่ให้ชัดเจน”", "ยืนยันไหมคะ")  # shown before it is sent
    assert only_idea(harness).status == "submitted"
    staff.say("ยืนยัน").expect("ตอนนี้ “ขอให้ปรับแก้”")
    assert only_idea(harness).status == "needs_revision"


def test_staff_open_a_new_hearing_round_in_everyday_words(chat, harness):
    """"เปิดรอบรับฟังความคิดเห็นรอบใหม่ค่ะ" was "ยังไม่แน่ใจ": the hearing-round command (no charter yet here)."""
    chat(STAFF, role="staff").say("เปิดรอบรับฟังความคิดเห็นรอบใหม่ค่ะ").expect("ยังไม่มีธรรมนูญสุขภาพที่เผยแพร่ค่ะ")


def test_a_leader_undoes_an_endorsement_at_once_or_typed_with_why(chat, harness):
    """"รับรองโครงการ" applied at once with no way back in sight; "ขอถอนการรับรองโครงการ 16 ค่ะ กดผิด" was "ยังไม่แน่ใจ"."""
    submitted(chat, harness)
    number = only_idea(harness).id
    leader = chat(LEADER, role="leader", community=HOME)
    leader.say(f"รับรองโครงการ {number}").expect("แล้วค่ะ 👍", "กดผิดหรือเปลี่ยนใจ")
    assert "ถอนการรับรอง" in leader.quick_labels()
    leader.tap("ถอนการรับรอง").expect("ถอนการรับรองโครงการ “ลานออกกำลังกายผู้สูงอายุ” แล้วค่ะ")
    assert only_idea(harness).endorsed_at is None
    leader.say(f"รับรองโครงการ {number}").expect("แล้วค่ะ 👍")
    leader.say(f"ขอถอนการรับรองโครงการ {number} ค่ะ กดผิด").expect("ถอนการรับรองโครงการ").expect_not("ยังไม่แน่ใจ")
    assert only_idea(harness).endorsed_at is None


def test_a_leader_endorses_by_part_of_the_title_and_is_asked_which_when_several(chat, harness):
    """"รับรองโครงการสวนผักค่ะ" showed the leader's own ideas."""
    c = chat("U" + "1" * 32, community=HOME)
    for title in ("สวนผักปลอดสารพิษ", "สวนผักบนดาดฟ้า", "ลานออกกำลังกายผู้สูงอายุ"):
        from tests.ideas.test_chat import propose

        propose(c, title).tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    leader = chat(LEADER, role="leader", community=HOME)
    leader.say("รับรองโครงการลานออกกำลังกายค่ะ").expect("รับรองโครงการ “ลานออกกำลังกายผู้สูงอายุ” แล้วค่ะ")
    leader.say("รับรองโครงการสวนผักค่ะ").expect("มี 2 โครงการที่ชื่อคล้าย “สวนผัก”", "สวนผักบนดาดฟ้า")
    leader.expect_not("โครงการของคุณ", "ยังไม่มีโครงการที่คุณเสนอไว้")
    leader.tap("รับรองโครงการ")
    leader.say("รับรองโครงการต้นไม้ค่ะ").expect("ไม่พบโครงการชื่อ “ต้นไม้” ในชุมชนโชคชัย 4 ค่ะ")


def test_small_things_chips_said_as_people_say_them_skip_at_funding_and_a_clean_preview(chat, harness):
    from datetime import timedelta

    from bot.thaidate import BKK, now_utc
    from tests.support.chat import actions_in

    c = chat("U" + "1" * 32, community=HOME)
    c.say("เสนอโครงการ").say("ตลาดอาหารปลอดภัยในชุมชน").expect("ประเด็น")
    said = [a.get("displayText") for m in c.last for a in actions_in(m) if a.get("label", "").startswith("✓")]
    assert said and not any("✓" in text for text in said)  # the suggested topic is said as "อาหาร…", no mark
    c.tap("✓").expect("ชุมชนไหน")
    c.tap(HOME).tap("ผู้สูงอายุ").say("อาหารในตลาดมีสารปนเปื้อน").say("ตรวจสารปนเปื้อนเดือนละครั้ง")
    c.say("ห้าสิบคน").say("ห้าพัน").expect("แหล่งไหน")
    c.say("ข้าม").expect("รูป").expect_not("ข้อนี้ข้ามไม่ได้")  # "ข้าม" is the step's "ไม่แน่ใจ"
    c.tap("ข้าม").say("0812345678").expect("สรุปโครงการ", "ไม่แน่ใจ")
    # A staff preview starts its quoted title on its own line, with no stray space before it.
    staff = chat(STAFF, role="staff")
    staff.say("สร้างกิจกรรม").say("โยคะผู้สูงอายุ")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say(f"{day.day}/{day.month}/{day.year + 543} 08:00-09:00").say("ลานชุมชน").tap("30 ที่").tap("ทั้งเขต")
    staff.expect("เผยแพร่กิจกรรมใหม่นะคะ\n“โยคะผู้สูงอายุ”")


def test_an_earlier_summarys_buttons_work_while_they_mean_the_same(chat, harness):
    from tests.ideas.test_chat import propose

    c = propose(chat("U" + "1" * 32, community=HOME))
    first_fix_title = c.find_action("แก้ชื่อ")
    first_send = c.find_action("ส่งโครงการ")
    c.tap("แก้งบ").say("5000").expect("สรุปโครงการ", "5,000 บาท")  # the same budget again
    c.postback(first_fix_title["data"]).expect("จะเปลี่ยนเป็นชื่ออะไรดีคะ").expect_not("ปุ่มนี้ใช้ไม่ได้แล้ว")
    c.say("ลานกีฬาผู้สูงอายุ").expect("สรุปโครงการ", "ลานกีฬาผู้สูงอายุ")
    c.postback(first_send["data"]).expect("ปุ่มนี้ใช้ไม่ได้แล้ว", "สรุปโครงการ")  # that card had the old name
    second_send = c.find_action("ส่งโครงการ")
    c.tap("แก้งบ").say("ห้าพัน").expect("สรุปโครงการ")  # nothing on the card changed
    c.postback(second_send["data"]).expect("เรียบร้อยแล้วค่ะ")
    assert only_idea(harness).title == "ลานกีฬาผู้สูงอายุ"
