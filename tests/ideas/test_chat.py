"""The idea journey as conversations through signed webhooks (the `chat` helper)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services import reminders
from bot.thaidate import now_utc
from storage.models import Community, Conversation, Idea, IdeaEvent, OutboxMessage

HOME = "ชุมชนโชคชัย 4"


def only_idea(harness) -> Idea:
    with harness.db.session(readonly=True) as s:
        rows = list(s.scalars(select(Idea)))
        assert len(rows) == 1, [r.title for r in rows]
        return rows[0]


def propose(c, title: str = "ลานออกกำลังกายผู้สูงอายุ"):
    """Walk the whole journey up to the summary card."""
    c.say("เสนอโครงการ").expect("ชื่ออะไรคะ")
    c.say(title).expect("ประเด็น")
    c.tap("ออกกำลังกาย").expect("ชุมชนไหน")
    c.tap(HOME).expect("เพื่อใคร")
    c.tap("ผู้สูงอายุ").expect("ปัญหาอะไร")
    c.say("ผู้สูงอายุไม่มีที่ออกกำลังกาย").expect("อยากทำอะไร")
    c.say("ทำลานและจัดแอโรบิกสัปดาห์ละ 3 วัน").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("ประมาณสามสิบคนค่ะ").expect("งบประมาณ")
    c.say("ห้าพัน").expect("แหล่งไหน")
    c.tap("กองทุนสุขภาพ กทม.").expect("รูป")
    c.tap("ข้าม").expect("เบอร์โทร")
    c.say("๐๘๑-๒๓๔-๕๖๗๘").expect("สรุปโครงการ")
    return c


def test_happy_path(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = propose(chat(community=HOME))
    c.expect("ลานออกกำลังกายผู้สูงอายุ", "30 คน", "5,000 บาท", "081-234-5678", "กองทุนหลักประกันสุขภาพ กทม.", HOME)
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ", "โครงการของฉัน")
    idea = only_idea(harness)
    assert (idea.title, idea.topic, idea.target_group, idea.participants, idea.budget, idea.funding_source,
            idea.contact_phone, idea.status) == ("ลานออกกำลังกายผู้สูงอายุ", "physical_activity", "elderly", 30,
                                                 5000, "bkk_health_fund", "081-234-5678", "submitted")
    # Staff get the new idea as a card with buttons.
    harness.run_outbox()
    staff.refresh().expect("โครงการใหม่", "ลานออกกำลังกายผู้สูงอายุ", "ผู้เข้าร่วมประมาณ: 30 คน", "รับพิจารณา",
                           "ขอแก้ไข", "อนุมัติ", "ไม่อนุมัติ")


def test_a_menu_tap_at_a_free_text_step_asks_before_leaving_and_is_not_the_answer(chat, harness):
    """Any text answers "ปัญหาอะไร"; a rich-menu tap ("กิจกรรม") used to be stored as the idea's problem."""
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").tap(HOME).tap("ผู้สูงอายุ")
    c.expect("ปัญหาอะไร")
    c.say("กิจกรรม").expect("ออกจาก")
    c.say("ทำต่อ").expect("ปัญหาอะไร")
    c.say("ผู้สูงอายุไม่มีที่ออกกำลังกาย").expect("อยากทำอะไร")
    c.say("ที่ฉันสมัครไว้").expect("ออกจาก")
    c.say("ออกเลย").expect_not("อยากทำอะไร")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(Conversation.flow)) is None


def test_topic_is_suggested_from_the_title(chat):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ")
    c.expect("น่าจะอยู่ในประเด็น “กิจกรรมทางกายและการออกกำลังกาย”")
    assert c.quick_labels()[0] == "✓ ออกกำลังกาย"


def test_typed_yes_takes_the_suggested_topic_and_the_users_own_community(chat, harness):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").expect("ใช่ไหมคะ")
    c.say("ใช่ค่ะ").expect("ชุมชนไหน", f"ถ้าเป็น{HOME} แตะปุ่มแรกได้เลย")
    c.say("ชุมชนเดิม").expect("เพื่อใคร")
    c.tap("ผู้สูงอายุ").say("ไม่มีที่ออกกำลังกาย").say("แอโรบิกทุกเย็น").say("20").say("5000").tap("ไม่แน่ใจ")
    c.tap("ข้าม").say("ไม่มี").expect("สรุปโครงการ", "กิจกรรมทางกายและการออกกำลังกาย", HOME)
    homeless = chat("U" + "6" * 32)  # never picked a community
    homeless.say("เสนอโครงการ").say("ลานออกกำลังกาย").say("ใช่").say("ชุมชนเดิม")
    homeless.expect("คุณยังไม่ได้เลือกชุมชนของตัวเองค่ะ", "ชุมชนไหน")


def test_typed_no_to_the_suggested_topic_asks_for_another(chat):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ")
    c.say("ไม่ใช่ค่ะ").expect("เลือกประเด็นที่ตรงกว่า")
    c.tap("สุขภาพจิต").expect("ชุมชนไหน")


def test_title_prefilled_from_the_request(chat, harness):
    c = chat(community=HOME)
    c.say("อยากเสนอโครงการลานออกกำลังกาย").expect("ประเด็น").expect_not("ชื่ออะไรคะ")
    c.tap("✓ ออกกำลังกาย").tap(HOME)
    c.say("ทุกวัยครับ").expect("ปัญหา").expect_not("แตะ “ข้าม”")  # no one group: as skipped (was asked again)
    c.say("ไม่มีที่ออกกำลังกาย").say("ทำลาน").tap("ข้าม").tap("ข้าม")  # participants and budget skipped
    c.tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")  # funding not sure, no photo, no phone
    c.expect("สรุปโครงการ", "ลานออกกำลังกาย").tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.title, idea.target_group, idea.budget, idea.funding_source, idea.photo_message_id,
            idea.contact_phone) == ("ลานออกกำลังกาย", None, None, "unsure", None, None)


def test_edit_a_field_from_the_summary(chat, harness):
    c = propose(chat(community=HOME))
    c.tap("แก้งบ").expect("ต้องใช้งบประมาณเท่าไร")
    c.say("2 หมื่น").expect("สรุปโครงการ", "20,000 บาท").expect_not("5,000 บาท")
    c.tap("แก้ชื่อ").expect("ตอนนี้ชื่อโครงการคือ “ลานออกกำลังกายผู้สูงอายุ” ค่ะ จะเปลี่ยนเป็นชื่ออะไรดีคะ")
    c.expect_not("มาเสนอโครงการกันค่ะ")  # not as if starting over
    c.say("ลานกีฬาผู้สูงอายุ").expect("สรุปโครงการ", "ลานกีฬาผู้สูงอายุ")
    c.tap("แก้จำนวนผู้เข้าร่วม").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("ห้าสิบคน").expect("สรุปโครงการ", "50 คน").expect_not("30 คน")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.budget, idea.title, idea.participants) == (20000, "ลานกีฬาผู้สูงอายุ", 50)


def test_back_goes_to_the_previous_question(chat, harness):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ผักสวนครัวทุกบ้าน").tap("อาหาร").tap(HOME).tap("ครอบครัว")
    c.say("ผักแพง").say("แจกเมล็ดพันธุ์").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("ย้อนกลับ").expect("อยากทำอะไร")
    c.say("แจกเมล็ดพันธุ์และกระถาง").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.tap("ข้าม").expect("งบประมาณ")
    c.say("๕,๐๐๐").tap("สสส.").tap("ข้าม").tap("ข้าม").tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.plan, idea.budget, idea.topic) == ("แจกเมล็ดพันธุ์และกระถาง", 5000, "food")


def test_cancel_sends_nothing(chat, harness):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ธนาคารขยะ").say("ยกเลิก").expect("ยกเลิกเสนอโครงการแล้วค่ะ", "ไม่มีข้อมูลใดถูกส่ง")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(Idea.id)) is None
    c.say("ธนาคารขยะ").expect_not("ประเด็น")  # no longer in the journey


def test_session_timeout(chat, harness):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ธนาคารขยะ").expect("ประเด็น")
    with harness.db.session() as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == c.user_id))
        conv.expires_at = now_utc() - timedelta(minutes=1)
    c.say("สิ่งแวดล้อม").expect("หมดเวลา")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(Idea.id)) is None
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == c.user_id))
        assert conv.flow is None


def test_invalid_answers_are_asked_again_with_the_reason(chat, harness):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ก" * 121).expect("ยาวเกินไป", "ชื่ออะไรคะ")
    c.say("ลานเล่นเด็กปลอดบุหรี่").tap("บุหรี่").tap(HOME).tap("เด็กและเยาวชน")
    c.say("วัยรุ่นสูบบุหรี่ในลาน").say("ติดป้ายและจัดกีฬา").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("เยอะมาก").expect("ไม่เห็นจำนวนคน", "ผู้เข้าร่วมประมาณกี่คน")
    c.say("0 คน").expect("อย่างน้อย 1 คน", "ผู้เข้าร่วมประมาณกี่คน")
    c.say("๔๐ คนค่ะ").expect("ต้องใช้งบประมาณเท่าไร")
    c.say("เยอะมาก").expect("ไม่เห็นตัวเลขจำนวนเงิน", "ต้องใช้งบประมาณเท่าไร")
    c.say("-500").expect("ต้องไม่ติดลบ", "ต้องใช้งบประมาณเท่าไร")
    c.say("50 ล้าน").expect("สูงเกินไป", "ต้องใช้งบประมาณเท่าไร")
    c.say("สองหมื่นห้า").expect("แหล่งไหน")
    c.say("ลอตเตอรี่").expect("เลือกแหล่งทุนจากปุ่ม")
    c.say("สสส").expect("รูป")
    c.say("รูปอยู่ในมือถือ").expect("รับเป็นรูปภาพ")
    c.send("image").expect("เบอร์โทร")
    c.say("12345").expect("เบอร์นี้ดูไม่ถูกต้อง", "เบอร์โทร")
    c.say("02 123 4567").expect("สรุปโครงการ", "25,000 บาท", "02-123-4567", "แนบแล้ว")
    c.tap("ส่งโครงการ")
    idea = only_idea(harness)
    assert idea.photo_message_id and idea.contact_phone == "02-123-4567" and idea.funding_source == "thaihealth"


def test_declined_consent_cannot_submit(chat, harness):
    c = chat(consent=False, community=HOME)
    c.say("เสนอโครงการ").expect("ต้องได้รับความยินยอม").expect_not("ชื่ออะไรคะ")
    c.say("อยากเสนอโครงการลานออกกำลังกาย").expect("ต้องได้รับความยินยอม")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(Idea.id)) is None


def submitted(chat, harness, user_id: str = "U" + "1" * 32):
    c = propose(chat(user_id, community=HOME))
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    return c


def test_my_ideas_and_withdraw(chat, harness):
    c = submitted(chat, harness)
    c.say("โครงการของฉัน").expect("ลานออกกำลังกายผู้สูงอายุ", "ส่งแล้ว", "ความเป็นมา", str(now_utc().year + 543))
    c.tap("ถอนโครงการ").expect("ถอนโครงการ “ลานออกกำลังกายผู้สูงอายุ” ใช่ไหมคะ")
    c.say("ไม่ค่ะ").expect("ยังไม่ถอน")  # typed, as the question asks
    c.say("โครงการของฉัน").tap("ถอนโครงการ")
    old = c.find_action("ถอนเลย")
    c.tap("ถอนเลย").expect("แล้วค่ะ")
    assert only_idea(harness).status == "withdrawn"
    c.say("โครงการของฉัน").expect("ถอนแล้ว")
    assert "ถอนโครงการ" not in [a.get("label") for m in c.last for a in _actions(m)]
    c.postback(old["data"]).expect("ปุ่มนี้ใช้ไม่ได้แล้ว")  # the old confirm button does nothing twice
    c.postback(f"idea.withdraw_yes?id={only_idea(harness).id}&frm=submitted").expect("จึงทำรายการนี้ไม่ได้")
    with harness.db.session(readonly=True) as s:
        assert [e.to_status for e in s.scalars(select(IdeaEvent).order_by(IdeaEvent.id))] == ["submitted", "withdrawn"]


def test_staff_moves_it_and_the_submitter_is_told(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    staff2 = chat("U" + "6" * 32, role="staff")
    c = submitted(chat, harness)
    harness.run_outbox()
    staff.refresh().expect("รับพิจารณา")
    staff2.refresh().expect("อนุมัติ")
    staff.tap("รับพิจารณา").expect("ผู้เสนอจะได้รับข้อความว่า", "อยู่ระหว่างการพิจารณา").tap("ยืนยัน").expect("บันทึกแล้วค่ะ", "กำลังพิจารณา")
    staff2.tap("อนุมัติ").expect("เปลี่ยนสถานะเป็น “กำลังพิจารณา” ไปแล้วค่ะ")  # the other's old card
    assert only_idea(harness).status == "under_review"
    harness.run_outbox()
    c.refresh().expect("อยู่ระหว่างการพิจารณา", "ลานออกกำลังกายผู้สูงอายุ")
    # Approval records the funding (the One Plan's funding stage): the fund, then the baht granted.
    staff.say("โครงการรอตรวจ").expect("รอพิจารณา 1 เรื่อง").tap("อนุมัติ")
    staff.expect("ได้ทุนจากแหล่งไหนคะ", "ผู้เสนออยากขอจากกองทุนหลักประกันสุขภาพ กทม.")
    staff.tap("กองทุนสุขภาพ กทม.").expect("ได้งบเท่าไรคะ")
    staff.say("หลายบาท").expect("ขอเป็นจำนวนบาทค่ะ")
    # What will be recorded and told is previewed first: money is not undone by a tap.
    staff.say("สองหมื่นห้าพันบาทค่ะ").expect("แหล่งทุน: กองทุนหลักประกันสุขภาพ กทม.", "งบที่ได้: 25,000 บาท (ขอไว้ 5,000 บาท)",
                                          "⚠️ มากกว่าที่ขอ 20,000 บาท", "ยืนยันไหมคะ")
    assert only_idea(harness).status == "under_review"
    staff.tap("ยืนยัน").expect("อนุมัติแล้ว", "งบ 25,000 บาท จากกองทุนหลักประกันสุขภาพ กทม.")
    harness.run_outbox()
    c.refresh().expect("ได้รับอนุมัติแล้ว", "ได้รับงบ 25,000 บาท จากกองทุนหลักประกันสุขภาพ กทม.")
    c.say("โครงการของฉัน").expect("อนุมัติแล้ว", "กำลังพิจารณา", "ส่งแล้ว", "💰 ได้รับงบ 25,000 บาท จาก")
    idea = only_idea(harness)
    assert (idea.granted_fund, idea.granted_budget) == ("bkk_health_fund", 25_000)


def test_needs_revision_then_edit(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    harness.run_outbox()
    staff.refresh().tap("ขอแก้ไข").expect("เรื่องไหนคะ")
    staff.say("ขอแยกงบซ่อมลานกับงบกิจกรรมค่ะ").expect("ยืนยันไหมคะ").tap("ยืนยัน").expect("บันทึกแล้วค่ะ", "ขอให้ปรับแก้")
    harness.run_outbox()
    c.refresh().expect("ขอให้ปรับแก้", "ขอแยกงบซ่อมลานกับงบกิจกรรมค่ะ")
    # The summary opens with what staff asked for, so nobody has to scroll back for it.
    c.tap("แก้ไขโครงการ").expect("สรุปโครงการ", "ส่งฉบับแก้ไข", "เจ้าหน้าที่ขอให้ปรับ: ขอแยกงบซ่อมลานกับงบกิจกรรมค่ะ")
    c.tap("แก้วิธีทำ").say("ซ่อมลาน 3,000 บาท และกิจกรรม 2,000 บาท").expect("สรุปโครงการ")
    c.tap("ส่งฉบับแก้ไข").expect("ฉบับแก้ไขแล้วค่ะ", "ส่งแล้ว")
    idea = only_idea(harness)
    assert (idea.status, idea.plan) == ("submitted", "ซ่อมลาน 3,000 บาท และกิจกรรม 2,000 บาท")
    harness.run_outbox()
    staff.refresh().expect("แก้ไขแล้ว", "รับพิจารณา")
    c.say("โครงการของฉัน").expect("ขอให้ปรับแก้", "ขอแยกงบซ่อมลานกับงบกิจกรรมค่ะ")
    # Other words for "my ideas": "ความคิดของฉัน" used to list the user's activity sign-ups.
    for said in ("ความคิดของฉันค่ะ", "ไอเดียของฉัน", "ข้อเสนอของฉัน"):
        c.say(said).expect("โครงการของคุณ", "ลานออกกำลังกายผู้สูงอายุ").expect_not("ยังไม่ได้สมัครกิจกรรม")


def test_an_endorsement_lapses_when_the_idea_is_rewritten(chat, harness):
    """The leader vouched for 5,000 baht; the card kept "✅ แกนนำชุมชนรับรองแล้ว" after the budget became 150,000."""
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    staff.say("โครงการรอตรวจ").tap("ขอแก้ไข").say("ขอรายละเอียดงบค่ะ").tap("ยืนยัน").expect("ขอให้ปรับแก้")
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    leader.say("โครงการในชุมชน").tap("รับรองโครงการ").expect("แล้วค่ะ 👍")
    # Endorsed while waiting for the revision: what staff asked for is still what staff asked for.
    c.say("แก้ไขโครงการ").expect("เจ้าหน้าที่ขอให้ปรับ: ขอรายละเอียดงบค่ะ")
    c.tap("แก้งบ").say("หนึ่งแสนห้าหมื่นบาท").tap("ส่งฉบับแก้ไข").expect("ฉบับแก้ไขแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.budget, idea.endorsed_at, idea.status) == (150_000, None, "submitted")  # back to its reviewer
    c.say("โครงการของฉัน").expect("แก้ไขหลังแกนนำรับรอง (รอรับรองใหม่)").expect_not("แกนนำชุมชนรับรองแล้ว")
    harness.run_outbox()
    leader.refresh().expect("ที่คุณรับรองไว้ ผู้เสนอแก้ไขรายละเอียดแล้วค่ะ")
    leader.say("โครงการในชุมชน").tap("รับรองโครงการ").expect("แล้วค่ะ 👍")  # the new version, again
    assert only_idea(harness).endorsed_at is not None


def test_the_cards_buttons_typed_edit_or_withdraw_the_idea(chat, harness):
    """Typed "แก้ไขโครงการ" / "ถอนโครงการ" used to get "ยังไม่แน่ใจว่าต้องการอะไร"."""
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    harness.run_outbox()
    staff.refresh().tap("ขอแก้ไข").say("ขอแยกงบค่ะ").tap("ยืนยัน").expect("ขอให้ปรับแก้")
    c.say("แก้ไขโครงการค่ะ").expect("สรุปโครงการ", "ส่งฉบับแก้ไข")  # the only one sent back
    c.say("ยกเลิก")
    c.say("ขอถอนโครงการ").expect("ถอนโครงการ “ลานออกกำลังกายผู้สูงอายุ” ใช่ไหมคะ")
    c.say("ถอนเลย").expect("แล้วค่ะ")
    assert only_idea(harness).status == "withdrawn"
    c.say("แก้ไขโครงการ").expect("ตอนนี้ไม่มีโครงการที่แก้ได้ค่ะ")


def test_typed_edit_with_two_ideas_asks_which_unless_one_is_named(chat, harness):
    c = submitted(chat, harness)
    propose(c, title="สวนผักปลอดสารในชุมชน").tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    c.say("แก้ไขโครงการ").expect("จะแก้โครงการไหนคะ")
    c.say("ขอแก้โครงการสวนผักค่ะ").expect("สรุปโครงการ", "สวนผักปลอดสารในชุมชน").expect_not("ลานออกกำลังกาย")


def test_rejection_needs_a_reason_and_is_told(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    harness.run_outbox()
    staff.refresh().tap("ไม่อนุมัติ").expect("เพราะอะไรคะ").tap("งบประมาณเกินกรอบ").tap("ยืนยัน").expect("ไม่ผ่านการพิจารณา")
    harness.run_outbox()
    c.refresh().expect("ยังไม่ผ่านการพิจารณา", "งบประมาณเกินกรอบ")
    c.say("โครงการของฉัน").expect_not("ถอนโครงการ")


def test_resident_cannot_use_staff_buttons(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    submitted(chat, harness)
    harness.run_outbox()
    card = staff.refresh().find_action("อนุมัติ")
    chat("U" + "7" * 32, community=HOME).postback(card["data"]).expect("สำหรับเจ้าหน้าที่")
    assert only_idea(harness).status == "submitted"


def test_leader_endorses_a_community_idea(chat, harness):
    c = submitted(chat, harness)
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    leader.say("วิธีใช้").expect("แกนนำชุมชน: “โครงการในชุมชน”")
    assert "🏘 โครงการในชุมชน" in leader.quick_labels()
    assert "🏘 โครงการในชุมชน" not in chat("U" + "7" * 32).say("เมนู").quick_labels()
    # The card's button label typed: which idea is not said, so the list to pick from (before: "my ideas").
    leader.say("รับรองโครงการค่ะ").expect("โครงการในชุมชนโชคชัย 4", "ลานออกกำลังกายผู้สูงอายุ", "รับรองโครงการ")
    leader.tap("รับรองโครงการ").expect("รับรองโครงการ “ลานออกกำลังกายผู้สูงอายุ” แล้วค่ะ")
    leader.say("โครงการในชุมชน").expect("แกนนำชุมชนรับรองแล้ว")
    assert "รับรองโครงการ" not in [a.get("label") for m in leader.last for a in _actions(m)]
    harness.run_outbox()
    c.refresh().expect("แกนนำชุมชนรับรองโครงการ")
    # A resident sees the list but has nothing to endorse with.
    chat("U" + "9" * 32, community=HOME).say("โครงการในชุมชน").expect("ลานออกกำลังกายผู้สูงอายุ").expect_not(
        "รับรองโครงการ")


def test_a_leader_cannot_move_to_another_community_to_endorse_there(chat, harness):
    """A leader's community came with the role: "เปลี่ยนชุมชนเป็น…" used to let them endorse any community's ideas."""
    submitted(chat, harness)  # in HOME
    leader = chat("U" + "8" * 32, role="leader", community="ชุมชนลาดพร้าว 101")
    idea = only_idea(harness)
    leader.postback(f"idea.endorse?id={idea.id}").expect("รับรองได้เฉพาะโครงการในชุมชนของคุณเองค่ะ")
    for typed in (f"เปลี่ยนชุมชนเป็น{HOME}", "เปลี่ยนชุมชน"):
        leader.say(typed).expect("สิทธิ์แกนนำชุมชนของคุณผูกกับชุมชนเดิมค่ะ", "ติดต่อเจ้าหน้าที่")
    leader.say(HOME).expect("ดูกิจกรรมของชุมชนนี้")
    assert "ตั้งเป็นชุมชนของฉัน" not in leader.quick_labels()
    leader.postback(f"community.set?id={idea.community_id}").expect("สิทธิ์แกนนำชุมชนของคุณผูกกับชุมชนเดิมค่ะ")
    leader.postback(f"idea.endorse?id={idea.id}").expect("รับรองได้เฉพาะโครงการในชุมชนของคุณเองค่ะ")
    assert only_idea(harness).endorsed_at is None
    # A resident still moves freely.
    chat("U" + "7" * 32, community="ชุมชนลาดพร้าว 101").say(f"เปลี่ยนชุมชนเป็น{HOME}").expect(f"ตั้งชุมชนของคุณเป็น {HOME} แล้วค่ะ")


def test_community_ideas_asked_in_a_sentence(chat, harness):
    submitted(chat, harness)
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    for said in ("ขอดูโครงการของชุมชนหน่อยค่ะ", "โครงการในชุมชนเรามีอะไรบ้าง", "ดูโครงการชุมชนนี้"):
        leader.say(said).expect(f"โครงการใน{HOME}", "ลานออกกำลังกายผู้สูงอายุ")
    leader.postback("idea.endorse?id=abc").expect("ไม่พบโครงการ").expect_not("ระบบขัดข้อง")


def _actions(message):
    from tests.support.chat import actions_in

    return actions_in(message)


def test_staff_push_rows_are_idea_status(chat, harness):
    chat("U" + "5" * 32, role="staff")
    submitted(chat, harness)
    with harness.db.session(readonly=True) as s:
        rows = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind.in_(("push", "multicast")))))
        assert rows and all(r.category == "idea_status" for r in rows)


def test_old_summary_buttons_do_nothing_after_sending(chat, harness):
    c = propose(chat(community=HOME))
    fix = c.find_action("แก้งบ")
    send = c.find_action("ส่งโครงการ")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    c.postback(fix["data"]).expect("ปุ่มนี้ใช้ไม่ได้แล้ว").expect_not("ต้องใช้งบประมาณเท่าไร")
    c.postback(send["data"]).expect("ปุ่มนี้ใช้ไม่ได้แล้ว")
    with harness.db.session(readonly=True) as s:
        assert len(list(s.scalars(select(Idea)))) == 1  # sent once, never twice


def test_edit_refused_once_the_idea_is_approved(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    c.say("โครงการของฉัน")
    edit = c.find_action("แก้ไข")
    harness.run_outbox()
    staff.refresh().tap("อนุมัติ").tap("ยังไม่ระบุ").tap("ยังไม่ระบุ").tap("ยืนยัน").expect("อนุมัติแล้ว")
    c.postback(edit["data"]).expect("แก้ไขเองไม่ได้").expect_not("สรุปโครงการ")
    assert only_idea(harness).status == "approved"


def test_weekly_digest_and_revision_nudge_lead_back_into_the_chat(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    harness.run_outbox()
    staff.refresh()
    digest_time = now_utc() + timedelta(days=2)
    with harness.db.session() as s:
        assert reminders.queue_idea_digest(s, digest_time) == 1
    harness.run_outbox(now=digest_time)
    staff.refresh().expect("สรุปประจำสัปดาห์ค่ะ", "มีโครงการรอพิจารณา 1 เรื่อง",
                           "• ลานออกกำลังกายผู้สูงอายุ (ส่งแล้ว รอมา 2 วัน)")
    c.refresh().expect_quiet()  # the digest is for staff only
    staff.tap("ดูโครงการรอตรวจ").expect("รอพิจารณา 1 เรื่อง").tap("ขอแก้ไข").expect("เรื่องไหนคะ")
    staff.say("ขอแยกงบซ่อมลานกับงบกิจกรรมค่ะ").tap("ยืนยัน").expect("ขอให้ปรับแก้")
    harness.run_outbox()
    c.refresh().expect("ขอให้ปรับแก้")
    nudge_time = now_utc() + timedelta(days=8)
    with harness.db.session() as s:
        assert reminders.queue_revision_nudges(s, nudge_time) == 1
    harness.run_outbox(now=nudge_time)
    c.refresh().expect("โครงการ “ลานออกกำลังกายผู้สูงอายุ” รอการแก้ไขจากคุณมา 8 วันแล้วค่ะ")
    staff.refresh().expect_quiet()  # the nudge is for the submitter only
    c.tap("แก้ไขโครงการ").expect("สรุปโครงการ", "ส่งฉบับแก้ไข")


def test_edit_a_field_by_typing_its_link_from_the_summary(chat, harness):
    c = propose(chat(community=HOME))
    c.say("แก้งบค่ะ").expect("ต้องใช้งบประมาณเท่าไรคะ")
    c.say("ค่าลำโพง 3000 ค่าเสื่อ 5000 รวม 8000").expect("สรุปโครงการ", "8,000 บาท")  # the total, not the first
    c.say("แก้งบ").say("3 หมื่น").expect("สรุปโครงการ", "30,000 บาท")
    c.say("ขอแก้ไขเบอร์ติดต่อ").expect("ขอเบอร์โทร")
    c.tap("ข้าม").expect("สรุปโครงการ")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.budget, idea.contact_phone) == (30000, None)


def test_skip_and_not_sure_typed_where_they_make_sense(chat, harness):
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ต้นไม้ริมคลอง").tap("ข้าม").tap(HOME).expect("เพื่อใคร")
    c.say("ไม่แน่ใจค่ะ").expect("ปัญหาอะไร")                     # no group fits: left blank, as skipping
    c.say("ข้าม").expect("ข้อนี้ข้ามไม่ได้ค่ะ", "ปัญหาอะไร")     # not taken as the problem itself
    c.say("ไม่รู้ค่ะ").expect("ข้อนี้ขอคำตอบคร่าว ๆ ก่อนนะคะ", "ปัญหาอะไร")  # nor is a non-answer
    c.say("ริมคลองร้อน ไม่มีร่มเงา").expect("อยากทำอะไร")
    c.say("ไม่แน่ใจค่ะ").expect("ข้อนี้ขอคำตอบคร่าว ๆ ก่อนนะคะ", "อยากทำอะไร")  # QA: it was saved as the plan
    c.say("ปลูกต้นไม้ 100 ต้น").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("ยังไม่แน่ใจค่ะ").expect("งบประมาณ")                     # not sure: left blank
    c.say("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม").expect("สรุปโครงการ")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.target_group, idea.problem, idea.funding_source) == (None, "ริมคลองร้อน ไม่มีร่มเงา", "unsure")
    assert idea.plan == "ปลูกต้นไม้ 100 ต้น"


def test_typing_the_send_chip_sends(chat, harness):
    c = propose(chat(community=HOME))
    c.say("ส่งโครงการค่ะ").expect("เรียบร้อยแล้วค่ะ").expect_not("ออกจากขั้นตอนเดิม")
    assert only_idea(harness).status == "submitted"


def test_my_ideas_when_there_are_none_offers_to_propose(chat):
    c = chat(community=HOME).say("โครงการของฉัน").expect("ยังไม่มีโครงการที่คุณเสนอไว้")
    assert c.quick_labels() == ["เสนอโครงการ", "เมนู"]


def test_staff_follow_an_approved_idea_to_completion(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    staff.say("โครงการที่อนุมัติแล้ว").expect("ตอนนี้ไม่มีโครงการที่อนุมัติแล้วหรือกำลังดำเนินการค่ะ")
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("สสส.").say("ตามที่ขอค่ะ").expect("ยืนยันไหมคะ").expect_not("⚠️")
    staff.say("ยืนยันค่ะ").expect("อนุมัติแล้ว", "จาก สสส.")
    idea = only_idea(harness)
    assert idea.budget and idea.granted_budget == idea.budget  # "as asked", typed instead of tapped
    # The chip after a move leads to the list where the next move is made (before: only back to review).
    staff.tap("🚧 โครงการที่อนุมัติ").expect("กำลังดำเนินการ 1 เรื่อง", "ลานออกกำลังกายผู้สูงอายุ")
    staff.tap("เริ่มดำเนินการ").expect("เริ่มดำเนินการแล้วค่ะ", "ยืนยันไหมคะ").tap("ยืนยัน").expect("ตอนนี้ “กำลังดำเนินการ”")
    harness.run_outbox()
    c.refresh().expect("เริ่มดำเนินการแล้วค่ะ")
    staff.refresh().say("ดูโครงการที่กำลังดำเนินการค่ะ")
    assert [a.get("label") for m in staff.last for a in _actions(m)] == ["เสร็จสิ้น"]
    # Completion records the One Report's results: the people reached, then what changed.
    staff.tap("เสร็จสิ้น").expect("มีผู้เข้าร่วมจริงกี่คนคะ")
    assert staff.quick_labels()[:2] == ["ตามแผน 30 คน", "ยังไม่ระบุ"]
    staff.say("หลายคน").expect("ไม่เห็นจำนวนคนค่ะ", "“ยังไม่ระบุ”")
    staff.say("สี่สิบห้าคนค่ะ").expect("เกิดผลอะไรขึ้นบ้างคะ")
    staff.say("ย้อนกลับ").expect("มีผู้เข้าร่วมจริงกี่คนคะ")
    staff.say("3").expect("เกิดผลอะไรขึ้นบ้างคะ")  # a number typed, not the chip it is part of ("ตามแผน 30 คน")
    staff.say("-5").expect("ขอเล่าผลเป็นประโยคสั้น ๆ นะคะ")  # not a result the district can report
    staff.say("ผู้สูงอายุออกกำลังกายทุกเช้า").expect(
        "ผู้เข้าร่วมจริง: 3 คน (แผนไว้ 30 คน)", "ผลที่เกิดขึ้น: ผู้สูงอายุออกกำลังกายทุกเช้า", "ยืนยันไหมคะ")
    assert only_idea(harness).status == "in_progress"  # nothing before the confirmation
    staff.tap("ยืนยัน").expect("“เสร็จสิ้นแล้ว”", "ผู้เข้าร่วม 3 คน · ผู้สูงอายุออกกำลังกายทุกเช้า")
    harness.run_outbox()
    c.refresh().expect("ดำเนินการเสร็จสิ้นแล้วค่ะ", "ผลที่บันทึกไว้: ผู้เข้าร่วม 3 คน")
    c.say("โครงการของฉัน").expect("🏁 ผลที่บันทึกไว้: ผู้เข้าร่วม 3 คน · ผู้สูงอายุออกกำลังกายทุกเช้า")
    idea = only_idea(harness)
    assert (idea.status, idea.reached_participants, idea.outcome) == ("completed", 3, "ผู้สูงอายุออกกำลังกายทุกเช้า")
    staff.say("โครงการที่อนุมัติแล้ว").expect("ตอนนี้ไม่มีโครงการที่อนุมัติแล้ว")
    with harness.db.session(readonly=True) as s:
        assert [e.to_status for e in s.scalars(select(IdeaEvent).order_by(IdeaEvent.id))] == [
            "submitted", "approved", "in_progress", "completed"]
    # A resident asking for approved ideas gets their own.
    c.say("โครงการที่อนุมัติแล้วค่ะ").expect("โครงการของคุณค่ะ (1 เรื่อง)", "เสร็จสิ้นแล้ว")


def test_staff_type_a_cards_button_with_the_ideas_number(chat, harness):
    """"อนุมัติโครงการ 17" used to get "ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ" (the staff member's own ideas)."""
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    number = only_idea(harness).id
    thai = str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    staff.say(f"รับพิจารณาโครงการ {thai}").tap("ยืนยัน").expect("ตอนนี้ “กำลังพิจารณา”")
    staff.say(f"อนุมัติโครงการ {number} ค่ะ").expect("ได้ทุนจากแหล่งไหนคะ")
    staff.say("ยกเลิก")
    staff.say(f"ไม่อนุมัติโครงการที่ {number}").expect("ไม่อนุมัติโครงการ “ลานออกกำลังกายผู้สูงอายุ” เพราะอะไรคะ")
    staff.say("งบประมาณเกินกรอบ").tap("ยืนยัน").expect("ตอนนี้ “ไม่ผ่านการพิจารณา”")
    staff.say(f"อนุมัติโครงการ {number}").expect("ไม่ผ่านการพิจารณา จึงเปลี่ยนสถานะอีกไม่ได้ค่ะ")
    staff.say("อนุมัติโครงการ 999").expect("ไม่พบโครงการนี้ค่ะ")
    c.say(f"อนุมัติโครงการ {number}").expect("สำหรับเจ้าหน้าที่เท่านั้น")
    assert only_idea(harness).status == "rejected"


def test_an_idea_looked_up_by_its_number(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    number = only_idea(harness).id
    thai = str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    staff.say(f"ดูโครงการ {thai}").expect(f"เลขที่ {number}", "ความเป็นมา", "ส่งแล้ว", "รับพิจารณา")
    staff.tap("รับพิจารณา").tap("ยืนยัน").expect("ตอนนี้ “กำลังพิจารณา”")
    staff.say(f"โครงการที่ {number}").expect("กำลังพิจารณา")
    assert [a.get("label") for m in staff.last for a in _actions(m)][:3] == ["ขอแก้ไข", "อนุมัติ", "ไม่อนุมัติ"]
    staff.say("โครงการ 999").expect("ไม่พบโครงการเลขที่ 999 ค่ะ")
    c.say(f"โครงการ {number} ค่ะ").expect("ลานออกกำลังกายผู้สูงอายุ", "ความเป็นมา", "ถอนโครงการ")
    c.say("โครงการของฉัน").expect(f"เลขที่ {number}")  # the number to ask by is on the card
    chat("U" + "7" * 32, community=HOME).say(f"โครงการ {number}").expect(
        f"ไม่พบโครงการเลขที่ {number} ในรายการของคุณค่ะ").expect_not("ลานออกกำลังกายผู้สูงอายุ")
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    leader.say(f"โครงการ {number}").expect("ลานออกกำลังกายผู้สูงอายุ").tap("รับรองโครงการ").expect("แล้วค่ะ 👍")
    chat("U" + "9" * 32, role="leader", community="ชุมชนอื่น").say(f"โครงการ {number}").expect(
        f"ไม่พบโครงการเลขที่ {number} ในรายการของคุณค่ะ")


def test_staff_read_the_one_report_in_chat_and_residents_their_own_ideas(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    staff.say("สรุปโครงการ").expect("ยังไม่มีโครงการที่เสนอเข้ามาค่ะ")
    c = submitted(chat, harness)
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("สสส.").say("สี่พันบาท").tap("ยืนยัน")
    staff.say("ขอดูสรุปโครงการหน่อยค่ะ").expect("ทั้งหมด 1 โครงการ จาก 1 ชุมชน", "อนุมัติแล้ว 1",
                                                "อนุมัติงบแล้ว 1 โครงการ รวม 4,000 บาท (ขอไว้ 5,000 บาท)",
                                                "• สสส. 1 โครงการ 4,000 บาท")
    c.say("สรุปโครงการ").expect("โครงการของคุณค่ะ (1 เรื่อง)").expect_not("ทั้งหมด 1 โครงการ")


def test_everyday_answers_inside_the_form(chat, harness):
    """Words a resident types instead of tapping: each used to be refused or to ask about leaving."""
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("สนามเด็กเล่นปลอดภัย").tap("ข้าม").tap(HOME).expect("เพื่อใคร")
    c.say("วิธีใช้").expect("ช่วยอะไรได้บ้างคะ", "เพื่อใคร").expect_not("ออกจาก")  # help, then the same question
    c.say("ผู้สูงอายุกับเด็กค่ะ").expect("ถ้าเป็นทุกวัยหรือหลายกลุ่ม แตะ “ข้าม” ได้นะคะ")  # two groups: which?
    c.say("เด็กเล็กค่ะ").expect("ปัญหาอะไร")
    c.say("เครื่องเล่นพัง").say("ซ่อมเครื่องเล่น").say("ข้าม").say("ข้าม").expect("แหล่งไหน")
    c.say("ไม่รู้ค่ะ").expect("รูป")
    c.tap("ข้าม").expect("เบอร์โทร")
    c.say("ไม่ให้เบอร์ค่ะ").expect("สรุปโครงการ").expect_not("ออกจาก")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.target_group, idea.funding_source, idea.contact_phone) == ("children", "unsure", None)
    c.say("ถอนโครงการ").expect("ใช่ไหมคะ")
    c.say("ถอนค่ะ").expect("ถอนโครงการ “สนามเด็กเล่นปลอดภัย” แล้วค่ะ").expect_not("ออกจาก")
    assert only_idea(harness).status == "withdrawn"


def test_small_things_residents_and_staff_said(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    idea = only_idea(harness)
    # Cancelling a move says nothing moved (it was "ยกเลิกระบุเหตุผลให้ผู้เสนอแล้วค่ะ").
    staff.say(f"ไม่อนุมัติโครงการ {idea.id}").say("ยกเลิก").expect("ยังไม่เปลี่ยนสถานะโครงการ ผู้เสนอไม่ได้รับแจ้งอะไรนะคะ")
    staff.say(f"อนุมัติโครงการ {idea.id}").tap("สสส.").say("ห้าพัน").tap("ไม่ทำแล้ว").expect("ยังไม่เปลี่ยนสถานะโครงการ")
    assert only_idea(harness).status == "submitted"
    # "รับรองโครงการ 16" typed by a leader endorses that idea (it listed the leader's own ideas).
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    leader.say(f"รับรองโครงการ {idea.id} ค่ะ").expect("รับรองโครงการ “ลานออกกำลังกายผู้สูงอายุ” แล้วค่ะ")
    # A leader without a community is offered the way to choose one.
    lost = chat("U" + "6" * 32, role="leader")
    lost.say("โครงการในชุมชน").expect("ยังไม่ได้เลือกชุมชนของคุณค่ะ")
    assert "เปลี่ยนชุมชน" in lost.quick_labels()
    # Laughter is not turned down.
    c.say("55555555").expect("😄").expect_not("ยังช่วยไม่ได้")


def test_a_leader_takes_an_endorsement_back(chat, harness):
    """"ยกเลิกการรับรองโครงการ" was read as cancelling an activity sign-up; there was no way back."""
    c = submitted(chat, harness)
    number = only_idea(harness).id
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    leader.say("โครงการในชุมชน").tap("รับรองโครงการ").expect("แล้วค่ะ 👍")
    other = chat("U" + "9" * 32, role="leader", community=HOME)
    other.say(f"ถอนการรับรองโครงการ {number}").expect("ไม่ได้รับรองโดยคุณค่ะ")  # only the one who endorsed
    leader.say("ยกเลิกการรับรองโครงการค่ะ").expect(f"โครงการใน{HOME}")
    leader.tap("ถอนการรับรอง").expect("ถอนการรับรองโครงการ “ลานออกกำลังกายผู้สูงอายุ” แล้วค่ะ")
    assert only_idea(harness).endorsed_at is None
    c.say("โครงการของฉัน").expect("แกนนำชุมชนถอนการรับรอง")
    leader.say(f"รับรองโครงการ {number}").expect("แล้วค่ะ 👍")  # and again, as long as it is under review
    assert only_idea(harness).endorsed_at is not None


def test_following_a_numbered_idea_shows_that_one(chat, harness):
    """A leader's "ติดตามโครงการ 15" (a resident's idea in their community) showed the leader's own ideas."""
    submitted(chat, harness)
    number = only_idea(harness).id
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    leader.say(f"ติดตามโครงการ {number} ค่ะ").expect("ลานออกกำลังกายผู้สูงอายุ").expect_not("โครงการของคุณ")
    from tests.support.chat import actions_in

    assert "รับรองโครงการ" in [a.get("label") for m in leader.last for a in actions_in(m)]
    chat("U" + "7" * 32).say(f"ติดตามโครงการ {number}").expect_not("ลานออกกำลังกายผู้สูงอายุ")  # not theirs


LADPRAO = ("ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 87", "ชุมชนลาดพร้าว 101", "ชุมชนลาดพร้าว 112", "ชุมชนสะพานสอง")


def _communities(harness, names=LADPRAO) -> None:
    from storage.models import Community

    with harness.db.session() as s:
        for i, name in enumerate(names):
            if s.scalar(select(Community).where(Community.name == name)) is None:
                s.add(Community(code=f"Q{i:03d}", name=name))


def test_answers_as_people_type_them_are_what_the_summary_shows(chat, harness):
    """QA: "อยู่ซอยลาดพร้าวร้อยเอ็ดค่ะ" chose ชุมชนลาดพร้าว 71, "ราวๆ 3 หมื่น 5 พันครับ" was 30,000 baht and
    "081 234 5678 ครับ" was refused as not a phone number."""
    _communities(harness)
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").expect("ชุมชนไหน")
    c.say("ลาดพร้าวร้อยห้าสิบ").expect("ไม่พบชุมชน “ลาดพร้าวร้อยห้าสิบ”", "ชุมชนไหน")  # no such number: no other one
    c.say("อยู่ซอยลาดพร้าวร้อยเอ็ดค่ะ").expect("เพื่อใคร")
    c.tap("ผู้สูงอายุ").say("ไม่มีที่ออกกำลังกาย").say("ทำลานและจัดแอโรบิก").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("ประมาณ ๔๐-๕๐ คน").expect("งบประมาณ")
    c.say("ราวๆ 3 หมื่น 5 พันครับ").expect("แหล่งไหน")
    c.tap("สสส.").tap("ข้าม").expect("เบอร์โทร")
    c.say("081 234 5678 ครับ").expect("สรุปโครงการ").expect_not("เบอร์นี้ดูไม่ถูกต้อง")
    # The range is stored at its upper end, and the summary says so before anything is sent.
    c.expect("ชุมชนลาดพร้าว 101", "50 คน", "35,000 บาท", "081-234-5678")
    c.tap("แก้งบ").say("5-6 พัน").expect("สรุปโครงการ", "6,000 บาท")
    c.tap("แก้เบอร์").say("เบอร์ 0812345678").expect("สรุปโครงการ", "081-234-5678")
    c.tap("แก้เบอร์").say("๐๘๑ ๒๓๔ ๕๖๗๘ ครับ").expect("สรุปโครงการ", "081-234-5678")
    c.tap("แก้เบอร์").say("0812345678 9").expect("เบอร์นี้ดูไม่ถูกต้อง")  # an extra digit is asked again
    c.say("0812345678 ค่ะ").expect("สรุปโครงการ")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.participants, idea.budget, idea.contact_phone) == (50, 6000, "081-234-5678")
    with harness.db.session(readonly=True) as s:
        from storage.models import Community

        assert s.get(Community, idea.community_id).name == "ชุมชนลาดพร้าว 101"


def test_a_community_changed_to_with_number_words(chat, harness):
    _communities(harness)
    c = chat("U" + "7" * 32, community=HOME)
    c.say("เปลี่ยนชุมชนเป็นลาดพร้าวแปดสิบเจ็ด").expect("ตั้งชุมชนของคุณเป็น ชุมชนลาดพร้าว 87 แล้วค่ะ")
    c.say("เปลี่ยนชุมชนเป็นลาดพร้าวร้อยสิบสอง").expect("ตั้งชุมชนของคุณเป็น ชุมชนลาดพร้าว 112 แล้วค่ะ")
    c.say("เปลี่ยนชุมชนเป็นสะพานสอง").expect("ตั้งชุมชนของคุณเป็น ชุมชนสะพานสอง แล้วค่ะ")


def test_people_reached_in_several_groups_add_up(chat, harness):
    """"ผู้สูงอายุ 38 คน เด็ก 12 คน" recorded 38 people reached."""
    staff = chat("U" + "5" * 32, role="staff")
    submitted(chat, harness)
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("สสส.").say("ตามที่ขอค่ะ").say("ยืนยันค่ะ").expect("อนุมัติแล้ว")
    staff.tap("🚧 โครงการที่อนุมัติ").tap("เริ่มดำเนินการ").tap("ยืนยัน").expect("ตอนนี้ “กำลังดำเนินการ”")
    staff.say("ดูโครงการที่กำลังดำเนินการค่ะ").tap("เสร็จสิ้น").expect("มีผู้เข้าร่วมจริงกี่คนคะ")
    staff.say("ผู้สูงอายุ 38 คน เด็ก 12 คน").expect("เกิดผลอะไรขึ้นบ้างคะ")
    staff.say("ผู้สูงอายุออกกำลังกายทุกเช้า").expect("ผู้เข้าร่วมจริง: 50 คน (แผนไว้ 30 คน)")
    staff.tap("ยืนยัน").expect("ผู้เข้าร่วม 50 คน")
    assert only_idea(harness).reached_participants == 50


def test_signing_up_for_an_activity_about_writing_projects_is_a_sign_up(chat, harness):
    """"ขอสมัครปรึกษาเขียนโครงการ" opened the idea form (the router hears "เขียนโครงการ"); it names an activity."""
    from datetime import timedelta

    from bot.thaidate import now_utc
    from storage.models import Activity

    start = now_utc() + timedelta(days=4)
    with harness.db.session() as s:
        s.add(Activity(title="ปรึกษาเขียนโครงการตัวต่อตัว", place="สำนักงานเขต", starts_at=start,
                       ends_at=start + timedelta(hours=2), capacity=10, status="published"))
    u = chat("U" + "4" * 32, community=HOME)
    u.say("ขอสมัครปรึกษาเขียนโครงการค่ะ").expect("ปรึกษาเขียนโครงการตัวต่อตัว", "ไปกี่คนคะ").expect_not("โครงการชื่ออะไรคะ")
    u.say("ยกเลิก")
    u.say("อยากเสนอโครงการสอนเขียนโครงการให้เยาวชน").expect("ประเด็นสุขภาพเรื่องไหนคะ").expect_not("ไปกี่คนคะ")  # an idea


def test_an_approved_or_running_project_is_not_withdrawn_from_the_chat(chat, harness):
    """QA: "ขอถอนโครงการปลูกผักดาดฟ้าครับ" → "ครับ" withdrew a funded, approved project; staff were not told and
    its grant dropped out of the One Report. After approval the submitter is pointed to staff instead."""
    staff = chat("U" + "5" * 32, role="staff")
    c = propose(chat(community=HOME), title="ปลูกผักดาดฟ้า")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("สสส.").say("สี่พันบาท").tap("ยืนยัน").expect("อนุมัติแล้ว")
    c.say("โครงการของฉัน").expect("ปลูกผักดาดฟ้า", "อนุมัติแล้ว")
    assert "ถอนโครงการ" not in [a.get("label") for m in c.last for a in _actions(m)]  # no button once approved
    c.say("ขอถอนโครงการปลูกผักดาดฟ้าครับ").expect("ได้รับอนุมัติแล้ว จึงถอนเองไม่ได้ค่ะ", "ติดต่อเจ้าหน้าที่")
    c.expect_not("ใช่ไหมคะ")
    assert "ติดต่อเจ้าหน้าที่" in c.quick_labels()
    c.say("ครับ").expect_not("ถอนโครงการ “ปลูกผักดาดฟ้า” แล้วค่ะ")
    number = only_idea(harness).id
    c.postback(f"idea.withdraw?id={number}").expect("จึงถอนเองไม่ได้ค่ะ")  # an old card's button
    c.postback(f"idea.withdraw_yes?id={number}&frm=approved").expect("จึงถอนเองไม่ได้ค่ะ")
    staff.say(f"เริ่มดำเนินการโครงการ {number}").tap("ยืนยัน").expect("กำลังดำเนินการ")
    c.say("ถอนโครงการ").expect("จึงถอนเองไม่ได้ค่ะ", "ติดต่อเจ้าหน้าที่")
    c.postback(f"idea.withdraw_yes?id={number}&frm=in_progress").expect("จึงถอนเองไม่ได้ค่ะ")
    assert only_idea(harness).status == "in_progress"
    with harness.db.session(readonly=True) as s:
        assert "withdrawn" not in [e.to_status for e in s.scalars(select(IdeaEvent))]
    staff.say("สรุปโครงการ").expect("อนุมัติงบแล้ว 1 โครงการ รวม 4,000 บาท")  # the grant still counts


def test_a_leader_endorses_the_idea_just_shown_by_typing(chat, harness):
    """QA: "ติดตามโครงการ 6" showed the idea, then "รับรองโครงการนี้ครับ" got "ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ"."""
    c = submitted(chat, harness)
    number = only_idea(harness).id
    leader = chat("U" + "8" * 32, role="leader", community=HOME)
    leader.say("รับรองโครงการนี้ครับ").expect("โครงการในชุมชนโชคชัย 4 (1 เรื่อง)").expect_not("ยังไม่มีโครงการที่คุณเสนอ")
    assert only_idea(harness).endorsed_at is None  # nothing shown yet: the list to pick from
    leader.say(f"ติดตามโครงการ {number}").expect("ลานออกกำลังกายผู้สูงอายุ", "รับรองโครงการ")
    leader.say("รับรองโครงการนี้ครับ").expect("รับรองโครงการ “ลานออกกำลังกายผู้สูงอายุ” แล้วค่ะ 👍")
    idea = only_idea(harness)
    assert idea.endorsed_at is not None
    c.refresh()
    harness.run_outbox()
    c.refresh().expect("แกนนำชุมชนรับรองโครงการ “ลานออกกำลังกายผู้สูงอายุ” ของคุณแล้วค่ะ")


def test_staff_typing_that_a_project_is_done_starts_its_completion(chat, harness):
    """QA: "โครงการ 14 เสร็จแล้วค่ะ" from staff got "ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ"; it is "ปิดโครงการ 14"."""
    staff = chat("U" + "5" * 32, role="staff")
    submitted(chat, harness)
    number = only_idea(harness).id
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("สสส.").say("สี่พันบาท").tap("ยืนยัน")
    staff.say(f"เริ่มดำเนินการโครงการ {number}").tap("ยืนยัน").expect("กำลังดำเนินการ")
    staff.say(f"โครงการ {number} เสร็จแล้วค่ะ").expect("ปิดโครงการ “ลานออกกำลังกายผู้สูงอายุ” นะคะ มีผู้เข้าร่วมจริงกี่คนคะ")
    staff.expect_not("ยังไม่มีโครงการที่คุณเสนอ")
    staff.say("45 คน").say("ผู้สูงอายุออกกำลังกายทุกเช้า").tap("ยืนยัน").expect("เสร็จสิ้นแล้ว")
    idea = only_idea(harness)
    assert (idea.status, idea.reached_participants) == ("completed", 45)


def test_staff_close_a_project_with_its_results_typed_after_the_number(chat, harness):
    """"ปิดโครงการ 14 ผู้สูงอายุ…": the words after the number were dropped and the results asked for again."""
    staff = chat("U" + "5" * 32, role="staff")
    submitted(chat, harness)
    number = only_idea(harness).id
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("สสส.").say("สี่พันบาท").tap("ยืนยัน")
    staff.say(f"เริ่มดำเนินการโครงการ {number}").tap("ยืนยัน").expect("กำลังดำเนินการ")
    staff.say(f"ปิดโครงการ {number} ผู้สูงอายุ 40 คนออกกำลังกายทุกเช้า ความดันลดลง")
    staff.expect("มีผู้เข้าร่วมจริงกี่คนคะ").say("45 คน")
    staff.expect("ผลที่เกิดขึ้น: ผู้สูงอายุ 40 คนออกกำลังกายทุกเช้า ความดันลดลง", "ยืนยันไหมคะ")
    staff.expect_not("เกิดผลอะไรขึ้นบ้างคะ").tap("ยืนยัน").expect("เสร็จสิ้นแล้ว")
    idea = only_idea(harness)
    assert (idea.status, idea.reached_participants, idea.outcome) == (
        "completed", 45, "ผู้สูงอายุ 40 คนออกกำลังกายทุกเช้า ความดันลดลง")


def test_staff_close_a_project_without_results_typed_are_asked_for_them(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    submitted(chat, harness)
    number = only_idea(harness).id
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("สสส.").say("สี่พันบาท").tap("ยืนยัน")
    staff.say(f"เริ่มดำเนินการโครงการ {number}").tap("ยืนยัน")
    staff.say(f"ปิดโครงการ {number} ค่ะ").expect("มีผู้เข้าร่วมจริงกี่คนคะ").say("45").expect("เกิดผลอะไรขึ้นบ้างคะ")
    staff.say("ชุมชนมีลานออกกำลังกาย").expect("ผลที่เกิดขึ้น: ชุมชนมีลานออกกำลังกาย").tap("ยืนยัน").expect("เสร็จสิ้นแล้ว")
    assert only_idea(harness).outcome == "ชุมชนมีลานออกกำลังกาย"


def test_a_field_changed_in_one_message_at_the_summary(chat, harness):
    """QA: "แก้งบเป็น 1 หมื่น 9 พัน 5 ร้อยบาทค่ะ" at the summary got "ตอนนี้รอยืนยันอยู่ค่ะ…" and the card again."""
    c = propose(chat(community=HOME))
    c.say("แก้งบเป็น 1 หมื่น 9 พัน 5 ร้อยบาทค่ะ").expect("สรุปโครงการ", "19,500 บาท").expect_not("รอยืนยันอยู่", "5,000 บาท")
    c.say("ขอแก้ไขชื่อโครงการเป็น ลานแอโรบิกผู้สูงอายุค่ะ").expect("สรุปโครงการ", "ลานแอโรบิกผู้สูงอายุ")
    c.say("เปลี่ยนจำนวนผู้เข้าร่วมเป็น สี่สิบคน").expect("40 คน")
    c.say("แก้งบเป็น ติดลบ 5 บาท").expect("งบประมาณต้องไม่ติดลบค่ะ").expect_not("รอยืนยันอยู่")  # the step's reason
    c.say("แก้งบ").expect("งบประมาณเท่าไรคะ")  # the word alone: that field's question, as the card's link
    c.say("สองหมื่น").expect("สรุปโครงการ", "20,000 บาท")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.title, idea.budget, idea.participants) == ("ลานแอโรบิกผู้สูงอายุ", 20_000, 40)


def test_my_own_community_in_everyday_words_at_the_community_step(chat, harness):
    """QA: "ชุมชนของฉันค่ะ" asked to leave the journey, "ชุมชนเราเองค่ะ" → "ไม่พบชุมชน “ชุมชนเราเองค่ะ” ค่ะ"."""
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").expect("ชุมชนไหน")
    c.say("ชุมชนของฉันค่ะ").expect("เพื่อใคร").expect_not("ออกจาก")
    c.say("ย้อนกลับ").expect("ชุมชนไหน")
    c.say("ชุมชนเราเองค่ะ").expect("เพื่อใคร").expect_not("ไม่พบชุมชน")
    with harness.db.session(readonly=True) as s:
        home_id = s.scalar(select(Community.id).where(Community.name == HOME))
        assert s.scalar(select(Conversation)).data["community"] == home_id  # stored as the answer
    # No community of their own yet: asked which, not sent elsewhere, and no particle quoted back.
    n = chat("U" + "2" * 32)
    n.say("เสนอโครงการ").say("สวนผักคนเมือง").tap("ข้าม").expect("ชุมชนไหน")
    n.say("ชุมชนของฉันค่ะ").expect("คุณยังไม่ได้เลือกชุมชนของตัวเองค่ะ", "ชุมชนไหน").expect_not("ออกจาก")
    n.say("ชุมชนเราเองค่ะ").expect("คุณยังไม่ได้เลือกชุมชนของตัวเองค่ะ").expect_not("ไม่พบชุมชน")
    n.say("ชุมชนไม่มีจริงค่ะ").expect("ไม่พบชุมชน “ชุมชนไม่มีจริง” ค่ะ").expect_not("จริงค่ะ”")


def test_a_name_many_communities_share_is_asked_which_at_the_community_step(chat, harness):
    """"ลาดพร้าว" at "ทำที่ชุมชนไหนคะ" took ชุมชนลาดพร้าว 71, the first of 14 communities holding the name."""
    from tests.support.communities import add_district

    add_district(harness.db)
    c = chat(community="ชุมชนโชคชัย 4")
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").expect("ถ้าเป็นชุมชนโชคชัย 4 แตะปุ่มแรก")
    c.say("ลาดพร้าวค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ", "ในปุ่มมี 10 จาก 14 ชุมชน", "ทำที่ชุมชนไหนคะ")
    c.expect_not("แตะปุ่มแรก", "เพื่อใคร")  # the first chip is no longer theirs
    assert "ชุมชนลาดพร้าว 71" in c.quick_labels() and "ชุมชนโชคชัย 4" not in c.quick_labels()
    c.tap("ชุมชนลาดพร้าว 71").expect("เพื่อใคร")
    c.say("ย้อนกลับ").expect("ถ้าเป็นชุมชนโชคชัย 4 แตะปุ่มแรก")  # answered: the usual chips again
    assert c.quick_labels()[0] == "ชุมชนโชคชัย 4"


TOLD = ("อยากทำโครงการสวนผักคนเมืองในชุมชนลาดพร้าว 80 ครับ ให้ผู้สูงอายุกับเด็กๆปลูกผักปลอดสารกินเอง "
        "ตอนนี้คนในชุมชนกินผักที่มีสารเคมีเยอะ เป็นห่วงสุขภาพ ผู้เข้าร่วมประมาณ ๔๐ คน งบประมาณ 25,000 บาท "
        "ขอจากกองทุนหลักประกันสุขภาพ กทม. ติดต่อ 081-234-5678 ครับ")


def test_a_project_told_in_one_message_is_kept_and_only_the_rest_asked(chat, harness):
    """QA: the title became the message's first 120 characters cut mid-word, and problem, plan, participants,
    budget, fund and phone were all asked again; after "สวัสดีครับ" the whole message was thrown away."""
    _communities(harness, ("ชุมชนลาดพร้าว 80", "ชุมชนลาดพร้าว 71"))
    for opening in ("", "สวัสดีครับ "):
        c = chat("U" + ("3" if opening else "4") * 32, community=HOME)
        c.say(opening + TOLD).expect("เก็บรายละเอียดจากข้อความไว้แล้ว", "น่าจะอยู่ในประเด็น “อาหารปลอดภัยและโภชนาการ”")
        c.expect_not("ชื่ออะไรคะ")
        c.tap("✓ อาหาร").expect("เพื่อใคร").expect_not("ชุมชนไหน")
        c.tap("ข้าม").expect("รูป")  # problem, plan, participants, budget and fund were told
        c.tap("ข้าม").expect("สรุปโครงการ")  # and the phone
        c.expect("สวนผักคนเมือง", "ชุมชนลาดพร้าว 80", "40 คน", "25,000 บาท", "กองทุนหลักประกันสุขภาพ กทม.",
                 "081-234-5678", "ตอนนี้คนในชุมชนกินผักที่มีสารเคมีเยอะ", "ให้ผู้สูงอายุกับเด็กๆปลูกผักปลอดสารกินเอง")
        c.expect_not("สวนผักคนเมืองในชุมชน")
        c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        rows = list(s.scalars(select(Idea)))
        assert [(i.title, i.participants, i.budget, i.funding_source, i.contact_phone, i.topic) for i in rows] == [
            ("สวนผักคนเมือง", 40, 25_000, "bkk_health_fund", "081-234-5678", "food")] * 2
        assert all(s.get(Community, i.community_id).name == "ชุมชนลาดพร้าว 80" for i in rows)


def test_a_project_told_where_its_name_is_asked_is_read_the_same_way(chat, harness):
    """A long answer to "โครงการชื่ออะไรคะ" was refused as too long; told in one message it is read as one."""
    _communities(harness, ("ชุมชนลาดพร้าว 80",))
    c = chat(community=HOME)
    c.say("เสนอโครงการ").expect("ชื่ออะไรคะ")
    c.say(TOLD.removeprefix("อยากทำโครงการ")).expect("เก็บรายละเอียดจากข้อความไว้แล้ว", "ประเด็น")
    c.expect_not("ยาวเกินไป")
    c.tap("✓ อาหาร").tap("ข้าม").tap("ข้าม").expect("สรุปโครงการ", "สวนผักคนเมือง", "25,000 บาท", "40 คน")
    # A long name with nothing else in it: a shorter one, of whole words, is suggested on a chip.
    n = chat("U" + "2" * 32, community=HOME)
    n.say("เสนอโครงการ").say("ส่งเสริมสุขภาพผู้สูงอายุและป้องกันโรคเรื้อรังด้วยการออกกำลังกายแบบมีส่วนร่วม" * 2)
    n.expect("ชื่อโครงการยาวเกินไปค่ะ", "ขอสั้น ๆ เช่น “ส่งเสริมสุขภาพผู้สูงอายุและป้องกัน”")
    chip = n.quick_labels()[0]
    assert chip.endswith("…") and len(chip) <= 20 and "ส่งเสริมสุขภาพผู้สูงอายุและป้องกัน".startswith(chip[:-1])
    n.tap(chip).expect("ประเด็น")
    n.tap("ออกกำลังกาย").tap("ข้าม").tap("ข้าม").say("ไม่มีที่ออกกำลังกาย").say("แอโรบิก").tap("ข้าม").tap("ข้าม")
    n.tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม").expect("สรุปโครงการ", "ส่งเสริมสุขภาพผู้สูงอายุและป้องกัน")
    # A budget told item by item, the items apart: the sum, and the items kept with the plan.
    b = chat("U" + "9" * 32, community=HOME)
    b.say("อยากทำโครงการลานกีฬาเด็ก ค่าอุปกรณ์ 5,000 บาท ค่าทาสี 3,000 บาท ให้เด็กๆในซอยได้มีที่เล่นกีฬาหลังเลิกเรียน "
          "ตอนนี้เด็กติดเกมเยอะมาก ค่าวิทยากร 2,000 บาท").expect("เก็บรายละเอียดจากข้อความไว้แล้ว", "งบประมาณ")
    b.tap("ข้าม").tap("ข้าม").tap("ข้าม").expect("ผู้เข้าร่วมประมาณกี่คน").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม")
    b.tap("ข้าม").expect("สรุปโครงการ", "ลานกีฬาเด็ก", "10,000 บาท", "ตอนนี้เด็กติดเกมเยอะมาก",
                         "รายละเอียดงบ: ค่าอุปกรณ์ 5,000 บาท ค่าทาสี 3,000 บาท ค่าวิทยากร 2,000 บาท")


def test_a_field_corrected_in_a_sentence_at_the_summary(chat, harness):
    """QA: "เบอร์ผิดครับ ที่ถูกคือ 089 999 1111" and a budget told item by item at the summary got "ตอนนี้รอยืนยันอยู่ค่ะ…";
    "ใช้เบอร์เดิมครับ" beside the chip "ใช้ 089-999-1111" got "เบอร์นี้ดูไม่ถูกต้องค่ะ"."""
    c = propose(chat(community=HOME))
    c.say("เบอร์ผิดครับ ที่ถูกคือ 089 999 1111").expect("สรุปโครงการ", "089-999-1111")
    c.expect_not("รอยืนยันอยู่", "081-234-5678")
    c.say("แก้งบครับ ค่าเมล็ดพันธุ์ 5,000 ค่าดินและปุ๋ย 10,000 ค่าวิทยากร 12,000 รวม 27,000 บาท")
    c.expect("สรุปโครงการ", "27,000 บาท", "รายละเอียดงบ: ค่าเมล็ดพันธุ์ 5,000 ค่าดินและปุ๋ย 10,000 ค่าวิทยากร 12,000 รวม 27,000 บาท")
    c.expect_not("รอยืนยันอยู่", "5,000 บาท")
    c.say("งบผิดค่ะ ค่าเมล็ดพันธุ์ 5,000 ค่าวิทยากร 12,000").expect("17,000 บาท")  # no total said: the items' sum
    c.expect_not("ค่าดินและปุ๋ย")  # the breakdown replaced, not piled up
    c.say("เบอร์ผิดครับ").expect("ขอเบอร์โทร")  # no number with it: the phone's question
    c.say("ใช้เบอร์เดิมครับ").expect("ยังไม่มีเบอร์เดิมในระบบค่ะ", "ขอเบอร์โทร")  # none given before
    c.say("089 999 1111").expect("สรุปโครงการ")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    idea = only_idea(harness)
    assert (idea.contact_phone, idea.budget) == ("089-999-1111", 17_000)
    assert idea.plan == "ทำลานและจัดแอโรบิกสัปดาห์ละ 3 วัน\nรายละเอียดงบ: ค่าเมล็ดพันธุ์ 5,000 ค่าวิทยากร 12,000"
    # The next idea: the phone given before is on a chip, and said in words it is the same.
    c.say("เสนอโครงการ").say("สวนผักคนเมือง").tap("อาหาร").tap(HOME).tap("ข้าม").say("ผักแพง").say("ปลูกผัก")
    c.tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").expect("เบอร์โทร")
    assert "ใช้ 089-999-1111" in c.quick_labels()
    c.say("ใช้เบอร์เดิมครับ").expect("สรุปโครงการ", "089-999-1111").expect_not("เบอร์นี้ดูไม่ถูกต้อง")


def test_an_idea_left_half_way_is_kept_to_go_on_with(chat, harness):
    """QA: "เมนู" mid-way said "ออกจากขั้นตอนเสนอโครงการแล้วค่ะ" and "เสนอโครงการ" then asked the name again: the
    half-filled idea was lost."""
    from storage.models import IdeaDraft

    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("สวนผักคนเมือง").tap("อาหาร").tap(HOME).tap("ผู้สูงอายุ").say("ผักแพง")
    c.expect("อยากทำอะไร")
    c.say("เมนู").expect("โครงการ “สวนผักคนเมือง” ยังไม่ได้ส่งนะคะ เก็บที่พิมพ์ไว้ให้ 7 วัน", "เลือกเมนูได้เลยนะคะ")
    c.say("เสนอโครงการ").expect("มีโครงการ “สวนผักคนเมือง” ที่ทำค้างไว้ค่ะ").expect_not("ชื่ออะไรคะ")
    assert c.quick_labels()[:2] == ["ทำต่อจากเดิม", "เริ่มใหม่"]
    c.tap("ทำต่อจากเดิม").expect("อยากทำอะไร")  # where it was left
    c.say("ปลูกผักบนดาดฟ้า").expect("ผู้เข้าร่วมประมาณกี่คน")
    # Left for another journey: kept too.
    c.say("ที่ฉันสมัครไว้").expect("ออกจาก")
    c.say("ออกเลย").expect_not("ผู้เข้าร่วมประมาณกี่คน")
    c.say("เสนอโครงการ").say("ทำต่อค่ะ").expect("ผู้เข้าร่วมประมาณกี่คน")
    # Silent past the timeout, and then cleared by the worker a day later: kept too.
    with harness.db.session() as s:
        s.scalar(select(Conversation).where(Conversation.line_user_id == c.user_id)).expires_at = (
            now_utc() - timedelta(days=2))
        assert reminders.sweep_conversations(s, now_utc()) == 1
    c.say("เสนอโครงการ").expect("ที่ทำค้างไว้ค่ะ").tap("ทำต่อจากเดิม").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("30").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม").expect("สรุปโครงการ", "ผักแพง", "ปลูกผักบนดาดฟ้า")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(IdeaDraft)) is None  # sent: nothing left to go on with
    c.say("เสนอโครงการ").expect("ชื่ออะไรคะ").expect_not("ที่ทำค้างไว้")
    # "ยกเลิก" keeps nothing; "เริ่มใหม่" starts from the name; a week later the draft is gone.
    c.say("ธนาคารขยะ").say("ยกเลิก").expect("ยกเลิกเสนอโครงการแล้วค่ะ").expect_not("เก็บที่พิมพ์ไว้")
    c.say("เสนอโครงการ").expect("ชื่ออะไรคะ")
    c.say("ธนาคารขยะ").say("เมนู").expect("เก็บที่พิมพ์ไว้")
    c.say("เสนอโครงการ").tap("เริ่มใหม่").expect("ชื่ออะไรคะ")
    c.say("ธนาคารขยะรีไซเคิล").say("เมนู").expect("โครงการ “ธนาคารขยะรีไซเคิล” ยังไม่ได้ส่ง")
    with harness.db.session() as s:
        s.scalar(select(IdeaDraft)).saved_at = now_utc() - timedelta(days=8)
    c.say("เสนอโครงการ").expect("ชื่ออะไรคะ").expect_not("ที่ทำค้างไว้")


def test_participants_in_groups_without_units_add_up(chat, harness):
    """QA: "เด็ก 30 ผู้ปกครองอีก 10" at "ผู้เข้าร่วมประมาณกี่คน" was stored as 30."""
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("สนามเด็กเล่น").tap("ข้าม").tap(HOME).tap("เด็กและเยาวชน").say("เครื่องเล่นพัง")
    c.say("ซ่อมเครื่องเล่น").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("เด็ก 30 ผู้ปกครองอีก 10").expect("งบประมาณ")
    c.tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม").expect("สรุปโครงการ", "40 คน")
    c.say("เปลี่ยนจำนวนผู้เข้าร่วมเป็น ผู้สูงอายุ 20 เด็ก 10").expect("30 คน")
    c.say("เปลี่ยนจำนวนผู้เข้าร่วมเป็น 45 คน จากแผน 50 คน").expect("45 คน")  # not another group: as before
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert only_idea(harness).participants == 45


def test_a_note_said_with_the_baht_at_approval_reaches_the_submitter(chat, harness):
    """QA: "อนุมัติ 2 หมื่นห้าค่ะ ตัดค่าวิทยากรลง" recorded 25,000 baht and dropped "ตัดค่าวิทยากรลง"."""
    staff = chat("U" + "5" * 32, role="staff")
    c = submitted(chat, harness)
    staff.say("โครงการรอตรวจ").tap("อนุมัติ").tap("กองทุนสุขภาพ กทม.").expect("ได้งบเท่าไรคะ")
    staff.say("อนุมัติ 2 หมื่นห้าค่ะ ตัดค่าวิทยากรลง").expect("งบที่ได้: 25,000 บาท",
                                                          "หมายเหตุถึงผู้เสนอ: ตัดค่าวิทยากรลง", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("อนุมัติแล้ว")
    harness.run_outbox()
    c.refresh().expect("ได้รับอนุมัติแล้ว", "ได้รับงบ 25,000 บาท", "หมายเหตุจากเจ้าหน้าที่: ตัดค่าวิทยากรลง")
    c.say("โครงการของฉัน").expect("อนุมัติแล้ว", "“ตัดค่าวิทยากรลง”")  # on the timeline
    with harness.db.session(readonly=True) as s:
        event = s.scalar(select(IdeaEvent).where(IdeaEvent.to_status == "approved"))
        assert event.reason == "ตัดค่าวิทยากรลง"
    assert only_idea(harness).granted_budget == 25_000


def test_staff_ask_how_many_ideas_wait_and_are_shown_the_way(chat, harness):
    """"มีโครงการรอตรวจกี่เรื่องคะ" and "มีโครงการรอตรวจไหม" were not understood (the menu came back)."""
    from tests.ideas.conftest import make_community, make_idea, make_user

    staff = chat("U" + "5" * 32, role="staff")
    staff.say("มีโครงการรอตรวจไหม").expect("ตอนนี้ไม่มีโครงการรอพิจารณาค่ะ").expect_not("เลือกเมนู")
    with harness.db.session() as s:
        resident = make_user(s, community=make_community(s))
        make_idea(s, resident, title="ครัวลดเค็ม")
        make_idea(s, resident, "under_review", title="ลานกีฬาชุมชน")
        make_idea(s, resident, "approved", title="อนุมัติไปแล้ว")
    staff.say("มีโครงการรอตรวจกี่เรื่องคะ")
    staff.expect("ตอนนี้มีโครงการรอพิจารณา 2 เรื่องค่ะ (ยังไม่ได้รับพิจารณา 1 · กำลังพิจารณา 1)", "“ดูโครงการรอตรวจ”")
    assert "ดูโครงการรอตรวจ" in staff.quick_labels()
    staff.tap("ดูโครงการรอตรวจ").expect("รอพิจารณา 2 เรื่อง", "ครัวลดเค็ม", "ลานกีฬาชุมชน").expect_not("อนุมัติไปแล้ว")
    staff.say("ยังมีโครงการรอพิจารณาอยู่ไหมคะ").expect("ตอนนี้มีโครงการรอพิจารณา 2 เรื่องค่ะ")
    # The same for the approved ones (it answered staff "ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ").
    staff.say("โครงการที่อนุมัติแล้วมีกี่เรื่องคะ").expect(
        "ตอนนี้มีโครงการที่อนุมัติแล้วและกำลังดำเนินการ 1 เรื่องค่ะ (อนุมัติแล้ว 1)").expect_not("ที่คุณเสนอไว้")
    staff.tap("ดูโครงการที่อนุมัติ").expect("อนุมัติไปแล้ว").expect_not("ครัวลดเค็ม")
    # Asked by a resident: their own ideas, not the staff list.
    chat("U" + "1" * 32).say("มีโครงการรอตรวจไหม").expect_not("รอพิจารณา 2 เรื่อง", "เจ้าหน้าที่เท่านั้น")


def test_an_idea_left_half_way_is_among_my_data_and_deleted_with_it(chat, harness):
    """"ขอดูข้อมูลของฉัน" did not say that an idea left half-way (and the phone typed in it) was kept for a week."""
    from bot.thaidate import format_date
    from storage.models import IdeaDraft

    c = chat("Udraft", community=HOME)
    propose(c, "สวนผักคนเมือง").say("เมนู").expect("ยังไม่ได้ส่งนะคะ เก็บที่พิมพ์ไว้ให้ 7 วัน")
    with harness.db.session(readonly=True) as s:
        kept_until = format_date(s.scalar(select(IdeaDraft.saved_at)) + timedelta(days=7))
    c.say("ขอดูข้อมูลของฉัน").expect(f"• โครงการที่ยังไม่ได้ส่ง: “สวนผักคนเมือง” (เก็บไว้ถึง {kept_until})",
                                    "• เบอร์โทรที่ให้ไว้กับโครงการ: 081-234-5678", "• โครงการที่เสนอ: 0 โครงการ")
    c.tap("โครงการที่ค้างไว้").expect("มีโครงการ “สวนผักคนเมือง” ที่ทำค้างไว้ค่ะ")
    c.say("เมนู")
    with harness.db.session() as s:  # a week on, it is gone: not listed
        s.scalar(select(IdeaDraft)).saved_at = now_utc() - timedelta(days=8)
    c.say("ขอดูข้อมูลของฉัน").expect("• โครงการที่เสนอ: 0 โครงการ").expect_not("ยังไม่ได้ส่ง", "081-234-5678")
    with harness.db.session() as s:
        s.scalar(select(IdeaDraft)).saved_at = now_utc()
    c.say("ลบข้อมูลของฉัน").expect("โครงการที่ยังไม่ได้ส่ง").tap("ลบเลย").expect("ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้ว")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(IdeaDraft)) is None
    c.say("ขอดูข้อมูลของฉัน").expect("ความยินยอม: ยังไม่ได้ให้").expect_not("ยังไม่ได้ส่ง", "081-234-5678")
