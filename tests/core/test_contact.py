"""Reaching a person: a resident writes to the staff, a staff member answers, through signed webhooks."""

from storage.models import OutboxMessage

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
    chat(STAFF, role="staff")
    resident = chat(RESIDENT).say("อืมมม")
    resident.expect("ยังไม่แน่ใจว่าต้องการอะไร").tap("💬 ถามเจ้าหน้าที่").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")
