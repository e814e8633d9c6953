"""Reaching a person: a resident writes to the staff, a staff member answers, through signed webhooks."""

from storage.models import ContactMessage, OutboxMessage, User

RESIDENT, STAFF, OTHER_STAFF = "U" + "a" * 32, "U" + "b" * 32, "U" + "c" * 32


def test_a_resident_writes_to_the_staff_and_gets_an_answer(chat, harness):
    staff = chat(STAFF, role="staff", name="สมชาย")
    other = chat(OTHER_STAFF, role="staff")
    resident = chat(RESIDENT, name="มาลี", community="ชุมชนโชคชัย 4")
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")
    resident.say("ลานกีฬาหน้าชุมชนไฟดับสามวันแล้วค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("ข้อความถึงเจ้าหน้าที่จากคุณมาลี (ชุมชนโชคชัย 4)", "ลานกีฬาหน้าชุมชนไฟดับ")
    other.refresh().expect("ลานกีฬาหน้าชุมชนไฟดับ")
    staff.tap("ตอบกลับ").expect("พิมพ์คำตอบถึงคุณมาลี")
    staff.say("รับเรื่องแล้วค่ะ จะแจ้งช่างเขตพรุ่งนี้").expect("ส่งคำตอบถึงคุณมาลีแล้วค่ะ")
    harness.run_outbox()
    resident.refresh().expect("คำตอบจากเจ้าหน้าที่", "จะแจ้งช่างเขตพรุ่งนี้")
    assert "ตอบกลับเจ้าหน้าที่" in resident.quick_labels()


def test_only_staff_can_answer_and_without_consent_nothing_is_sent(chat, harness):
    chat(STAFF, role="staff")
    resident = chat(RESIDENT, consent=False)
    resident.say("ติดต่อเจ้าหน้าที่").expect("ต้องได้รับความยินยอม")
    intruder = chat(OTHER_STAFF)  # a resident tapping a staff button sent to someone else
    intruder.postback("contact.reply?u=1").expect("สำหรับเจ้าหน้าที่เท่านั้น")
    with harness.db.session(readonly=True) as s:
        assert s.query(OutboxMessage).filter(OutboxMessage.category == "contact").count() == 0


def test_no_staff_yet_is_said_and_the_message_kept_for_another_try(chat):
    resident = chat(RESIDENT)
    resident.say("ติดต่อเจ้าหน้าที่").say("สอบถามเรื่องวัคซีนค่ะ").expect("ยังไม่มีเจ้าหน้าที่ในระบบ")


def test_not_understood_offers_a_person_to_ask(chat, harness):
    staff = chat(STAFF, role="staff")
    resident = chat(RESIDENT).say("อืมมม")
    resident.expect("ยังไม่แน่ใจว่าต้องการอะไร").tap("💬 ถามเจ้าหน้าที่").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")
    # Staff are the people asked: they are pointed at their commands instead.
    staff.say("อืมมม").expect("ยังไม่แน่ใจว่าต้องการอะไร", "พิมพ์ “คำสั่ง”").expect_not("ถามเจ้าหน้าที่")
    staff.say("ช่วยด้วย").expect("ช่วยอะไรได้บ้างคะ", "เจ้าหน้าที่: “ผลธรรมนูญ”", "โทร 1669").expect_not(
        "อยากคุยกับเจ้าหน้าที่")  # staff are the ones residents talk to
    chat(RESIDENT).say("ช่วยด้วย").expect("อยากคุยกับเจ้าหน้าที่", "🚑 เจ็บป่วยฉุกเฉิน โทร 1669")
    # A command said with a particle in any spelling is the same command.
    chat(RESIDENT).say("ยกเลิก").say("ขอคุยกับเจ้าหน้าที่หน่อยจ้ะ").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")


def test_staff_see_what_still_waits_and_an_answer_by_one_clears_it_for_all(chat, harness):
    staff = chat(STAFF, role="staff", name="สมชาย")
    other = chat(OTHER_STAFF, role="staff")
    resident = chat(RESIDENT, name="มาลี")
    other.say("ข้อความรอตอบ").expect("ไม่มีข้อความรอตอบค่ะ")
    resident.say("ติดต่อเจ้าหน้าที่").say("ฝาท่อหน้าบ้านแตกค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    resident.say("ติดต่อเจ้าหน้าที่").say("อยู่ซอย 5 นะคะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    other.say("ข้อความรอตอบ").expect("ยังไม่มีใครตอบ 2 ข้อความ", "ฝาท่อหน้าบ้านแตก", "อยู่ซอย 5", "คุณมาลี")
    assert other.quick_labels()[0] == "ตอบคุณมาลี"  # one chip per person
    staff.say("💬 ข้อความรอตอบ").tap("ตอบคุณมาลี").expect("พิมพ์คำตอบถึงคุณมาลี").expect_not("มีคนตอบไปแล้ว")
    staff.say("รับเรื่องแล้วค่ะ").expect("ส่งคำตอบถึงคุณมาลีแล้วค่ะ")
    other.say("ข้อความรอตอบ").expect("ไม่มีข้อความรอตอบค่ะ")
    other.postback(f"contact.reply?u={user_id(harness, RESIDENT)}")  # the push's old button
    other.expect("มีคนตอบไปแล้วเมื่อ", "“รับเรื่องแล้วค่ะ”", "จะตอบเพิ่มก็ได้ค่ะ", "พิมพ์คำตอบถึงคุณมาลี")
    resident.say("ข้อความรอตอบ").expect_not("ข้อความที่ยังไม่มีใครตอบ")  # staff only


def test_staff_answer_by_typing_the_name_or_number_the_inbox_shows(chat, harness):
    """"ตอบคุณL1 …" typed was not understood; it is the inbox's "ตอบคุณL1" chip, by name or number."""
    staff = chat(STAFF, role="staff", name="สมชาย")
    first = chat(RESIDENT, name="L1")
    second = chat(OTHER_STAFF, name="มาลี")
    first.say("ติดต่อเจ้าหน้าที่").say("ฝาท่อหน้าบ้านแตกค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    second.say("ติดต่อเจ้าหน้าที่").say("ไฟถนนซอย 5 ดับค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    staff.say("ข้อความรอตอบ").expect("1. คุณL1", "2. คุณมาลี")
    staff.say("ตอบคุณL1").expect("พิมพ์คำตอบถึงคุณL1 ได้เลยค่ะ")  # as the chip does
    staff.say("ยกเลิก")
    staff.say("ตอบ คุณl1 รับเรื่องแล้วค่ะ จะแจ้งช่างเขต").expect(
        "จะส่งคำตอบนี้ถึงคุณL1 นะคะ", "“รับเรื่องแล้วค่ะ จะแจ้งช่างเขต”", "ส่งเลยไหมคะ")
    staff.tap("ส่งเลย").expect("ส่งคำตอบถึงคุณL1 แล้วค่ะ")
    harness.run_outbox()
    first.refresh().expect("คำตอบจากเจ้าหน้าที่", "รับเรื่องแล้วค่ะ จะแจ้งช่างเขต")
    staff.say("ข้อความรอตอบ").expect("1. คุณมาลี").expect_not("คุณL1 ·")
    staff.say("ตอบ๑ ว่า พรุ่งนี้ช่างไปค่ะ").expect("ถึงคุณมาลีนะคะ", "“พรุ่งนี้ช่างไปค่ะ”").tap("ส่งเลย")
    staff.expect("ส่งคำตอบถึงคุณมาลีแล้วค่ะ")
    staff.say("ตอบคุณมาลีขอบคุณที่แจ้งค่ะ").expect("ถึงคุณมาลีนะคะ", "“ขอบคุณที่แจ้งค่ะ”").tap("ไม่ส่ง")
    staff.expect("ไม่ส่งค่ะ")
    staff.say("ตอบ 7 ได้ค่ะ").expect("ไม่พบผู้ส่งข้อความชื่อนี้หรือลำดับนี้ค่ะ")
    with harness.db.session(readonly=True) as s:
        answers = [m.answer for m in s.query(ContactMessage).order_by(ContactMessage.id)]
    assert answers == ["รับเรื่องแล้วค่ะ จะแจ้งช่างเขต", "พรุ่งนี้ช่างไปค่ะ"]
    # A resident typing such words is not told "staff only"; in a group nobody's message is talked over.
    first.say("ตอบคุณมาลีหน่อย").expect_not("สำหรับเจ้าหน้าที่เท่านั้น")


def test_deleting_my_data_deletes_my_messages_to_the_staff(chat, harness):
    chat(STAFF, role="staff")
    resident = chat(RESIDENT, name="มาลี")
    resident.say("ติดต่อเจ้าหน้าที่").say("เบอร์ผม 0812345678 โทรกลับด้วย").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    resident.say("ลบข้อมูลของฉัน").tap("ลบเลย").expect("เรียบร้อยแล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        assert s.query(ContactMessage).count() == 0


def user_id(harness, line_user_id: str) -> int:
    with harness.db.session(readonly=True) as s:
        return s.query(User.id).filter(User.line_user_id == line_user_id).scalar()


def test_a_latin_name_is_spaced_from_the_thai_after_it():
    from bot.services.contact import before_thai

    assert before_thai("คุณ qa-x2") + "แล้วค่ะ" == "คุณ qa-x2 แล้วค่ะ"
    assert before_thai("คุณมาลี") + "แล้วค่ะ" == "คุณมาลีแล้วค่ะ"


def test_a_display_name_that_already_says_khun_is_not_doubled(chat, harness):
    staff = chat(STAFF, role="staff")
    resident = chat(RESIDENT, name="คุณแม่มาลี")
    resident.say("ติดต่อเจ้าหน้าที่").say("สอบถามค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("ข้อความถึงเจ้าหน้าที่จากคุณแม่มาลี").expect_not("คุณคุณ")


LEADER = "U" + "d" * 32


def test_a_leader_asks_the_staff_to_announce_to_the_community(chat, harness):
    """Only staff broadcast: "ประกาศถึงลูกบ้าน…" from a leader goes to the staff inbox as a request, with
    a button that announces it to that community. It used to answer with Saturday's activities."""
    staff = chat(STAFF, role="staff", name="สมชาย")
    leader = chat(LEADER, role="leader", name="ประยูร", community="ชุมชนโชคชัย 4")
    neighbour = chat(RESIDENT, community="ชุมชนโชคชัย 4")
    leader.say("ประกาศถึงลูกบ้านว่าเสาร์นี้มีตรวจสุขภาพฟรีที่ศาลาชุมชนค่ะ")
    leader.expect("ส่งโดยเจ้าหน้าที่เขต", "ชุมชนโชคชัย 4", "เสาร์นี้มีตรวจสุขภาพฟรีที่ศาลาชุมชน").expect_not("ชื่ออะไรคะ")
    leader.tap("ส่งให้เจ้าหน้าที่").expect("ส่งคำขอประกาศถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("คำขอให้ช่วยประกาศถึงชุมชนโชคชัย 4", "จากคุณประยูร แกนนำชุมชน", "ตรวจสุขภาพฟรี")
    assert {"ตอบกลับ", "ประกาศข้อความนี้"} <= set(staff.quick_labels())
    leader.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("ไฟถนนหน้าชุมชนดับค่ะ").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    other = chat(OTHER_STAFF, role="staff")
    other.say("ข้อความรอตอบ").expect("ขอให้ช่วยประกาศถึงชุมชนโชคชัย 4", "ตรวจสุขภาพฟรี")
    # The request's text and community are filled in: staff take the text as it is (before: typed it again).
    staff.tap("ประกาศข้อความนี้").expect("คำขอให้ประกาศถึงสมาชิกชุมชนโชคชัย 4", "เสาร์นี้มีตรวจสุขภาพฟรี")
    staff.tap("ใช้ข้อความนี้").expect("แนบรูปหรือปุ่มลิงก์").tap("ไม่ต้อง").expect("ส่งเมื่อไรคะ")
    staff.tap("ส่งเลย").expect("ถึง: สมาชิกชุมชนโชคชัย 4 (", "ส่งประกาศนี้เลยไหมคะ").expect_not("ส่งถึงใครคะ")
    staff.tap("ยืนยันส่ง").expect("รับประกาศ #")
    harness.run_outbox()
    neighbour.refresh().expect("เสาร์นี้มีตรวจสุขภาพฟรีที่ศาลาชุมชน")
    leader.refresh().expect("ประกาศที่คุณขอถึงสมาชิกชุมชนโชคชัย 4 ส่งแล้วค่ะ")
    # The request counts as answered; the leader's other message still waits for a person.
    other.say("ข้อความรอตอบ").expect("ไฟถนนหน้าชุมชนดับ").expect_not("ตรวจสุขภาพฟรี")


def test_staff_edit_a_requested_announcement_and_schedule_it(chat, harness):
    staff = chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("ขอให้ช่วยประกาศถึงลูกบ้านว่าพรุ่งนี้ประชุมค่ะ").tap("ส่งให้เจ้าหน้าที่")
    harness.run_outbox()
    staff.refresh().tap("ประกาศข้อความนี้")
    staff.say("ขอเชิญประชุมประจำเดือน วันอาทิตย์ที่ 6 ธ.ค. 10 โมง ที่ศาลาชุมชนค่ะ").expect("แนบรูปหรือปุ่มลิงก์")
    staff.tap("ไม่ต้อง").say("พรุ่งนี้ 8 โมงเช้า").expect("ขอเชิญประชุมประจำเดือน", "ถึง: สมาชิกชุมชนโชคชัย 4")
    staff.tap("ยืนยันส่ง").expect("ตั้งเวลาประกาศ #")
    harness.run_outbox()
    leader.refresh().expect("ประกาศที่คุณขอถึงสมาชิกชุมชนโชคชัย 4 ตั้งเวลาส่ง", "น. แล้วค่ะ ✅")
    # A request that is gone (the leader deleted their data) is said, not a crash.
    staff.postback("broadcast.request?m=999").expect("ไม่พบคำขอประกาศนี้แล้วค่ะ")
    chat(RESIDENT).postback("broadcast.request?m=1").expect("สำหรับเจ้าหน้าที่เท่านั้น")


def test_a_request_written_yesterday_with_tomorrow_in_it_is_flagged_when_sent_today(chat, harness):
    """"พรุ่งนี้งดรำไม้พลอง" written yesterday and sent now means today: staff are told before it goes."""
    from datetime import timedelta

    staff = chat(STAFF, role="staff")
    chat(RESIDENT, community="ชุมชนโชคชัย 4")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("ขอให้ช่วยประกาศถึงลูกบ้านว่าพรุ่งนี้งดรำไม้พลองค่ะ").tap("ส่งให้เจ้าหน้าที่")
    harness.run_outbox()
    with harness.db.session() as s:
        for kept in s.query(ContactMessage):
            kept.created_at = kept.created_at - timedelta(days=1)
    staff.refresh().tap("ประกาศข้อความนี้").tap("ใช้ข้อความนี้").tap("ไม่ต้อง").tap("ส่งเลย")
    staff.expect("⚠️ ข้อความมีคำว่า “พรุ่งนี้” (เขียนไว้เมื่อ", "ผู้รับจะอ่านวันนี้", "ส่งประกาศนี้เลยไหมคะ")
    # Written today and sent now: nothing to flag.
    staff.say("ยกเลิก")
    leader.say("ขอให้ช่วยประกาศถึงลูกบ้านว่าพรุ่งนี้มีตรวจสุขภาพค่ะ").tap("ส่งให้เจ้าหน้าที่")
    harness.run_outbox()
    staff.refresh().tap("ประกาศข้อความนี้").tap("ใช้ข้อความนี้").tap("ไม่ต้อง").tap("ส่งเลย")
    staff.expect("ส่งประกาศนี้เลยไหมคะ").expect_not("⚠️ ข้อความมีคำว่า")


def test_a_request_is_announced_to_its_community_after_the_community_is_renamed(chat, harness):
    """The request keeps its community itself: renaming the community between the leader's request and the
    staff's tap still announces to it (it used to be found again by its name in the kept text)."""
    from sqlalchemy import update

    from bot.services.communities import forget_directory
    from storage.models import Community

    staff = chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("ขอให้ช่วยประกาศถึงลูกบ้านว่าพรุ่งนี้ประชุมค่ะ").tap("ส่งให้เจ้าหน้าที่")
    harness.run_outbox()
    with harness.db.session() as s:
        s.execute(update(Community).where(Community.name == "ชุมชนโชคชัย 4").values(name="ชุมชนโชคชัยสี่"))
    forget_directory()
    staff.refresh().tap("ประกาศข้อความนี้").expect("คำขอให้ประกาศถึงสมาชิกชุมชนโชคชัยสี่", "พรุ่งนี้ประชุม")


def test_a_notice_request_without_its_text_asks_for_it_and_can_be_dropped(chat, harness):
    chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("เมนู").tap("📣 ขอให้ช่วยประกาศ").expect("พิมพ์ข้อความที่อยากประกาศถึงลูกบ้าน")
    leader.say("ยกเลิก")
    leader.say("อยากแจ้งลูกบ้านหน่อยค่ะ").expect("พิมพ์ข้อความที่อยากประกาศถึงลูกบ้าน")
    leader.say("ขอเชิญประชุมประจำเดือนวันอาทิตย์ 10 โมง").expect("ประชุมประจำเดือน", "ช่วยประกาศถึงชุมชนโชคชัย 4")
    assert leader.quick_labels()[:3] == ["ส่งให้เจ้าหน้าที่", "แก้ข้อความ", "ไม่ส่ง"]
    leader.tap("แก้ข้อความ").expect("พิมพ์ข้อความที่อยากประกาศถึงลูกบ้าน")
    leader.say("ขอเชิญประชุมประจำเดือนวันอาทิตย์ 9 โมงเช้า").expect("9 โมงเช้า")
    leader.tap("ไม่ส่ง").expect("ไม่ส่งคำขอประกาศค่ะ ข้อความยังไม่ถึงใครนะคะ")
    with harness.db.session(readonly=True) as s:
        assert s.query(ContactMessage).count() == 0
        assert s.query(OutboxMessage).filter(OutboxMessage.category == "contact").count() == 0
    # A yes typed instead of tapped sends it (it was "กรุณาเลือกจากปุ่มด้านล่างนะคะ"), in any particle's spelling.
    leader.say("อยากแจ้งลูกบ้านหน่อยจ้ะ").say("ขอเชิญประชุมวันอาทิตย์").expect("ช่วยประกาศถึงชุมชนโชคชัย 4")
    leader.say("ส่งเลยจ้ะ").expect("ส่งคำขอประกาศถึงเจ้าหน้าที่แล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        assert s.query(ContactMessage).count() == 1


def test_staff_typing_a_notice_to_residents_write_the_announcement_themselves(chat):
    staff = chat(STAFF, role="staff")
    chat(RESIDENT, community="ชุมชนโชคชัย 4")
    # The text typed is offered as the announcement (it was dropped and asked for again).
    staff.say("แจ้งลูกบ้านทุกคนว่าพรุ่งนี้ปิดถนน").expect("ร่างจากข้อความที่พิมพ์ 📣", "“พรุ่งนี้ปิดถนน”")
    assert "ส่งให้เจ้าหน้าที่" not in staff.quick_labels()
    staff.tap("ใช้ข้อความนี้").tap("ไม่ต้อง").expect("ส่งถึงใครคะ")  # which residents: asked
    staff.say("ยกเลิก")
    # One line to everyone: "ประกาศถึงทุกคนว่า…" was not understood and its text lost.
    staff.say("ประกาศถึงทุกคนว่าพรุ่งนี้มีฉีดวัคซีนที่ศาลาชุมชนค่ะ").expect(
        "ร่างจากข้อความที่พิมพ์ถึงทุกคน", "“พรุ่งนี้มีฉีดวัคซีนที่ศาลาชุมชนค่ะ”")
    staff.tap("ใช้ข้อความนี้").tap("ไม่ต้อง").expect("ส่งเมื่อไรคะ").expect_not("ส่งถึงใครคะ")
    staff.say("พรุ่งนี้ 9 โมง").expect("ตั้งเวลาส่งประกาศนี้ไหมคะ").expect_not("ส่งประกาศนี้เลยไหมคะ")
    staff.say("ยกเลิก")
    # To a community named in the line, and "แจ้ง" as well as "ประกาศ": the name is the audience, not the text.
    staff.say("ประกาศถึงชุมชนโชคชัย 4 ว่า เสาร์นี้งดรำไม้พลอง").expect(
        "ถึงสมาชิกชุมชนโชคชัย 4", "“เสาร์นี้งดรำไม้พลอง”").expect_not("“ชุมชน", "ว่า เสาร์")
    staff.say("ยกเลิก")
    staff.say("แจ้งทุกคนว่าศูนย์ปิดวันจันทร์").expect("ถึงทุกคน", "“ศูนย์ปิดวันจันทร์”")


def test_a_leader_asks_in_a_sentence_with_the_message_after_it(chat):
    chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("ฝากประกาศให้ลูกบ้านหน่อยค่ะ ว่าพรุ่งนี้งดรำไม้พลอง ฝนตก").expect(
        "“พรุ่งนี้งดรำไม้พลอง ฝนตก”", "ช่วยประกาศถึงชุมชนโชคชัย 4").expect_not("“ว่า")
    leader.say("ยกเลิก")
    leader.say("ประกาศถึงทุกคนว่าวันอาทิตย์นี้ประชุมชุมชน").expect("ช่วยประกาศถึงชุมชนโชคชัย 4", "ประชุมชุมชน")


def test_a_notice_typed_in_the_middle_of_another_step_keeps_its_text(chat):
    chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("เสนอโครงการ").say("ลานกีฬา").expect("ประเด็น")
    leader.say("แจ้งลูกบ้านว่าพรุ่งนี้มีประชุม 9 โมงเช้า").expect("ออกจากขั้นตอนเดิมไหมคะ")
    leader.tap("ออกเลย").expect("ช่วยประกาศถึงชุมชนโชคชัย 4", "พรุ่งนี้มีประชุม 9 โมงเช้า")


def test_a_notice_request_needs_the_senders_community_first(chat, harness):
    chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader")
    leader.say("แจ้งลูกบ้านว่าพรุ่งนี้มีประชุม 9 โมงเช้า").expect("ขอทราบชุมชนของคุณก่อนค่ะ")
    assert "เปลี่ยนชุมชน" in leader.quick_labels()
    with harness.db.session(readonly=True) as s:
        assert s.query(ContactMessage).count() == 0


def test_a_leader_takes_back_a_request_before_staff_announce_it(chat, harness):
    """The leader changed their mind: 'ถอนคำขอประกาศ' (the chip after sending, or typed) takes the request out
    of the staff inbox, tells the staff, and its old 'ประกาศข้อความนี้' button says so instead of announcing."""
    staff = chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", name="ประยูร", community="ชุมชนโชคชัย 4")
    leader.say("ขอให้ช่วยประกาศถึงลูกบ้านว่าพรุ่งนี้งดรำไม้พลองค่ะ").tap("ส่งให้เจ้าหน้าที่")
    assert "ถอนคำขอประกาศ" in leader.quick_labels()
    harness.run_outbox()
    staff.refresh().expect("คำขอให้ช่วยประกาศถึงชุมชนโชคชัย 4")
    leader.tap("ถอนคำขอประกาศ").expect("ถอนคำขอให้ช่วยประกาศนี้ไหมคะ", "พรุ่งนี้งดรำไม้พลอง")
    leader.tap("ถอนเลย").expect("ถอนคำขอประกาศแล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("คุณประยูรถอนคำขอให้ช่วยประกาศถึงชุมชนโชคชัย 4 แล้วค่ะ", "พรุ่งนี้งดรำไม้พลอง")
    staff.say("ข้อความรอตอบ").expect_not("พรุ่งนี้งดรำไม้พลอง")
    staff.postback("broadcast.request?m=1").expect("ผู้ขอถอนคำขอประกาศนี้แล้วเมื่อ").expect_not("คำขอให้ประกาศถึงสมาชิก")
    # Nothing left to take back, by the old chip or typed.
    leader.postback("contact.withdraw?m=1").expect("คำขอประกาศนี้ถอนไปแล้วค่ะ")
    leader.say("ยกเลิกคำขอประกาศค่ะ").expect("ไม่มีคำขอประกาศที่รอเจ้าหน้าที่อยู่")


def test_a_request_already_announced_cannot_be_taken_back_and_no_keeps_it(chat, harness):
    staff = chat(STAFF, role="staff")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("ขอให้ช่วยประกาศถึงลูกบ้านว่าเสาร์นี้มีตรวจสุขภาพฟรีค่ะ").tap("ส่งให้เจ้าหน้าที่")
    leader.say("ถอนคำขอประกาศ").expect("ถอนคำขอให้ช่วยประกาศนี้ไหมคะ").tap("ไม่ถอน").expect("คำขอประกาศยังอยู่กับเจ้าหน้าที่ค่ะ")
    leader.say("ไม่ต้องประกาศแล้วค่ะ ขอถอนนะคะ").expect("ถอนคำขอให้ช่วยประกาศนี้ไหมคะ")  # was "not signed up"
    leader.tap("ไม่ถอน")
    harness.run_outbox()
    staff.refresh().tap("ประกาศข้อความนี้").tap("ใช้ข้อความนี้").tap("ไม่ต้อง").tap("ส่งเลย").tap("ยืนยันส่ง")
    leader.say("ถอนคำขอประกาศ").expect("ไม่มีคำขอประกาศที่รอเจ้าหน้าที่อยู่")
    leader.postback("contact.withdraw?m=1").expect("เจ้าหน้าที่ดำเนินการกับคำขอนี้แล้วค่ะ จึงถอนไม่ได้")
    # Someone else's request is not theirs to take back.
    chat(RESIDENT, community="ชุมชนโชคชัย 4").postback("contact.withdraw?m=1").expect("ไม่พบคำขอประกาศนี้แล้วค่ะ")


def test_a_request_taken_back_while_staff_write_it_is_not_sent(chat, harness):
    """The leader took it back while staff were at the preview: "ยืนยันส่ง" sends nothing and says why (it went
    out to the community all the same)."""
    staff = chat(STAFF, role="staff")
    neighbour = chat(RESIDENT, community="ชุมชนโชคชัย 4")
    leader = chat(LEADER, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("ขอให้ช่วยประกาศถึงลูกบ้านว่าเสาร์นี้มีตรวจสุขภาพฟรีค่ะ").tap("ส่งให้เจ้าหน้าที่")
    harness.run_outbox()
    staff.refresh().tap("ประกาศข้อความนี้").tap("ใช้ข้อความนี้").tap("ไม่ต้อง").tap("ส่งเลย")
    leader.say("ถอนคำขอประกาศ").tap("ถอนเลย")
    staff.tap("ยืนยันส่ง").expect("ไม่ได้ส่งประกาศนี้ค่ะ ผู้ขอถอนคำขอไปแล้วเมื่อ").expect_not("รับประกาศ #")
    harness.run_outbox()
    neighbour.refresh().expect_not("ตรวจสุขภาพฟรี")
    leader.refresh().expect_not("ประกาศที่คุณขอถึง")


def test_a_push_that_lands_mid_journey_carries_a_way_back_to_the_step(chat, harness):
    """LINE shows only the last message's chips: an answer pushed while the resident was half-way through the
    idea form hid the step's chips. It carries "กลับไปทำต่อ", which asks the step again with them."""
    staff = chat(STAFF, role="staff")
    resident = chat(RESIDENT, name="มาลี", community="ชุมชนโชคชัย 4")
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("ลานกีฬาหน้าชุมชนไฟดับค่ะ")
    harness.run_outbox()
    resident.say("เสนอโครงการ").expect("โครงการชื่ออะไรคะ")
    staff.refresh().tap("ตอบกลับ").say("รับเรื่องแล้วค่ะ")
    harness.run_outbox()
    resident.refresh().expect("คำตอบจากเจ้าหน้าที่")
    assert {"กลับไปทำต่อ", "ตอบกลับเจ้าหน้าที่"} <= set(resident.quick_labels())
    resident.tap("กลับไปทำต่อ").expect("กลับมาที่ขั้นตอน", "โครงการชื่ออะไรคะ")
    assert "ยกเลิก" in resident.quick_labels()
    # Out of the journey, the same answer comes without it, and an old "กลับไปทำต่อ" says there is nothing.
    resident.say("ยกเลิก")
    staff.say("ข้อความรอตอบ")
    with harness.db.session() as s:
        resident_id = s.query(User).filter_by(line_user_id=RESIDENT).one().id
    staff.postback(f"contact.reply?u={resident_id}").say("ช่างจะไปพรุ่งนี้ค่ะ")
    harness.run_outbox()
    resident.refresh().expect("ช่างจะไปพรุ่งนี้")
    assert "กลับไปทำต่อ" not in resident.quick_labels()
    resident.postback("flow.again").expect("ไม่มีขั้นตอนที่ค้างอยู่")


def test_staff_naming_a_community_many_share_are_asked_for_its_number(chat, harness):
    """"ประกาศถึงชุมชนลาดพร้าวว่า…" and "เพิ่มกิจกรรม … | ลาดพร้าว" took ชุมชนลาดพร้าว 71, the first of several."""
    from storage.models import Community

    with harness.db.session() as s:
        for i, name in enumerate(("ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 101", "ชุมชนวัดลาดพร้าว"), start=90):
            s.add(Community(code=f"LP{i}", name=name))
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศถึงชุมชนลาดพร้าวว่า พรุ่งนี้มีรถพ่นยุงค่ะ").expect(
        "ชุมชนลาดพร้าวมีหลายชุมชนค่ะ (ลาดพร้าว 71, 101, วัดลาดพร้าว)").expect_not("ร่างจากข้อความที่พิมพ์")
    staff.say("ประกาศถึงชุมชนลาดพร้าว 101 ว่า พรุ่งนี้มีรถพ่นยุงค่ะ").expect("ถึงสมาชิกชุมชนลาดพร้าว 101")
    staff.say("ยกเลิก")
    staff.say("เพิ่มกิจกรรม แอโรบิก | พรุ่งนี้ 6 โมงเย็น ถึง 1 ทุ่ม | ลานชุมชน | 30 | ลาดพร้าว").expect(
        "มีหลายชุมชนค่ะ").expect_not("ยืนยันไหมคะ")
