"""Two things an idea's submitter typed that were dropped without a word: the contact's name said with the
phone ("ติดต่อ คุณสมศรี 081-234-5678"), and a second target group ("ผู้สูงอายุและเด็ก")."""

from __future__ import annotations

from sqlalchemy import select

from bot.services import idea_report
from storage.models import Idea

HOME = "ชุมชนโชคชัย 4"


def _stored(harness) -> list[tuple[str | None, str | None, str | None]]:
    """(contact name, phone, target group) of every idea, oldest first."""
    with harness.db.session(readonly=True) as s:
        return [(i.contact_name, i.contact_phone, i.target_group) for i in s.scalars(select(Idea).order_by(Idea.id))]


def _to_summary(c) -> None:
    """From the question after the name, skipping what may be skipped, to the summary."""
    c.tap("ข้าม").tap(HOME).tap("ข้าม").say("เด็กติดเกม").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม")


def test_the_contacts_name_told_with_the_phone_is_kept_shown_to_staff_and_to_no_one_else(chat, harness):
    """"ติดต่อ คุณสมศรี 081-234-5678": only the phone was kept; the name was lost (staff called a stranger's number)."""
    staff = chat("U" + "5" * 32, role="staff")
    leader = chat("U" + "6" * 32, role="leader", community=HOME)
    c = chat(community=HOME)
    c.say("อยากทำโครงการลานกีฬาเด็ก จะทำลานกีฬาให้เด็กหลังเลิกเรียน ติดต่อ คุณสมศรี 081-234-5678")
    c.expect("(ชื่อโครงการ สิ่งที่จะทำ เบอร์ติดต่อ ชื่อผู้ติดต่อ)")
    _to_summary(c)
    c.expect("สรุปโครงการ", "ชื่อผู้ติดต่อ", "คุณสมศรี", "081-234-5678", "จะทำลานกีฬาให้เด็กหลังเลิกเรียน")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert _stored(harness) == [("คุณสมศรี", "081-234-5678", None)]
    harness.run_outbox()
    staff.refresh().expect("โครงการใหม่", "ติดต่อ: คุณสมศรี 081-234-5678")
    with harness.db.session(readonly=True) as s:
        idea_id = s.scalar(select(Idea.id))
        rows = idea_report.report_rows(s)  # the One Report's spreadsheet
    assert "คุณสมศรี" not in repr(rows)
    staff.say(f"โครงการ {idea_id}").expect("ติดต่อ: คุณสมศรี 081-234-5678")
    leader.say("โครงการในชุมชน").expect("ลานกีฬาเด็ก").expect_not("คุณสมศรี", "081-234-5678")
    c.say("โครงการของฉัน").expect("ลานกีฬาเด็ก").expect_not("คุณสมศรี")  # the cards residents pass around


def test_the_phone_step_takes_a_name_with_the_number_and_the_summary_edits_it(chat, harness):
    """"ป้าแดง 0812345678" at the phone step kept the number only, and the name could not be given anywhere."""
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("ลานกีฬาเด็ก").tap("ข้าม").tap(HOME).tap("ข้าม").say("เด็กติดเกม").say("ทำลานกีฬา")
    c.tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").expect("เบอร์โทร", "“คุณสมศรี 081-234-5678”")
    c.say("ป้าแดงค่ะ").expect("จดชื่อ “ป้าแดง” ไว้แล้วค่ะ", "ขอเบอร์โทรของ “ป้าแดง”")  # the name alone: the number next
    c.say("0812345678").expect("สรุปโครงการ", "ป้าแดง", "081-234-5678")
    c.tap("แก้ชื่อผู้ติดต่อ").expect("ตอนนี้ชื่อผู้ติดต่อคือ “ป้าแดง” ค่ะ ให้เจ้าหน้าที่ติดต่อใครคะ")
    c.say("คุณสมศรี ใจดีค่ะ").expect("สรุปโครงการ", "คุณสมศรี ใจดี", "081-234-5678").expect_not("ป้าแดง")
    c.say("แก้ชื่อผู้ติดต่อเป็นลุงชัย 089 999 1111").expect("สรุปโครงการ", "ลุงชัย", "089-999-1111")
    c.say("ชื่อผู้ติดต่อผิดค่ะ").expect("ตอนนี้ชื่อผู้ติดต่อคือ “ลุงชัย” ค่ะ")  # said in words, as the link
    c.say("ป้าแดง").expect("สรุปโครงการ", "ป้าแดง")
    c.say("ติดต่อลุงชัย 089 999 1111 ค่ะ").expect("สรุปโครงการ", "ลุงชัย", "089-999-1111").expect_not("ป้าแดง")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    w = chat("U" + "2" * 32, community=HOME)
    w.say("เสนอโครงการ").say("สวนผัก").tap("ข้าม").tap(HOME).tap("ข้าม").say("ผักแพง").say("ปลูกผัก")
    w.tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").say("คุณสมศรี 081-234-5678").expect("สรุปโครงการ", "คุณสมศรี")
    w.tap("แก้ชื่อผู้ติดต่อ").tap("ข้าม").expect("สรุปโครงการ", "081-234-5678").expect_not("คุณสมศรี")  # no name now
    w.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert _stored(harness) == [("ลุงชัย", "089-999-1111", None), (None, "081-234-5678", None)]


def test_my_data_shows_the_contacts_name_and_deleting_my_data_blanks_it(chat, harness):
    c = chat(community=HOME)
    c.say("อยากทำโครงการลานกีฬาเด็ก จะทำลานกีฬาให้เด็กหลังเลิกเรียน ติดต่อป้าแดง 0812345678")
    _to_summary(c)
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    c.say("ขอดูข้อมูลของฉัน").expect("ชื่อผู้ติดต่อที่ให้ไว้กับโครงการ: ป้าแดง", "081-234-5678")
    c.say("ลบข้อมูลของฉัน").expect("เบอร์โทรและชื่อผู้ติดต่อ").tap("ลบเลย").expect("เรียบร้อยแล้วค่ะ")
    assert _stored(harness) == [(None, None, None)]


def test_of_several_groups_in_one_message_the_first_is_kept_and_the_person_told_which(chat, harness):
    """"กลุ่มเป้าหมาย ผู้สูงอายุและเด็ก" kept no group and asked again as if none was said; "กลุ่มเปราะบางกับผู้พิการ"
    kept คนพิการ and said nothing of the other."""
    c = chat("U" + "1" * 32, community=HOME)
    c.say("อยากทำโครงการรำวงย้อนยุค จะชวนคนมารำวงทุกเย็นวันศุกร์ กลุ่มเป้าหมาย ผู้สูงอายุและเด็ก")
    told = "กลุ่มเป้าหมายเลือกได้กลุ่มเดียวค่ะ จึงเก็บ “ผู้สูงอายุ” ไว้ ไม่ได้เก็บ “เด็กและเยาวชน”"
    c.expect("(ชื่อโครงการ กลุ่มเป้าหมาย สิ่งที่จะทำ)", told, "แตะ “แก้กลุ่ม” ตอนสรุป")
    c.tap("ข้าม").tap(HOME).expect("ปัญหา").expect_not("เพื่อใคร")
    c.say("ผู้สูงอายุเหงา").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    c.expect("สรุปโครงการ", told, "แตะ “แก้กลุ่ม” ข้างกลุ่มเป้าหมาย")
    c.tap("แก้กลุ่ม").tap("เด็กและเยาวชน").expect("สรุปโครงการ", "เด็กและเยาวชน").expect_not(told)
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    w = chat("U" + "2" * 32, community=HOME)
    w.say("อยากทำโครงการเยี่ยมบ้าน จะไปวัดความดันทุกสัปดาห์ กลุ่มเป้าหมายคือกลุ่มเปราะบางกับผู้พิการ")
    w.expect("จึงเก็บ “คนพิการ” ไว้ ไม่ได้เก็บ “กลุ่มเปราะบาง”")
    w.tap("ข้าม").tap(HOME).say("ไม่มีคนดูแล").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    w.expect("สรุปโครงการ", "คนพิการ", "ไม่ได้เก็บ “กลุ่มเปราะบาง”").tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert [group for _n, _p, group in _stored(harness)] == ["children", "disabled"]


def test_several_groups_typed_at_the_question_are_asked_which_not_taken_silently(chat, harness):
    """At "ทำเพื่อใครเป็นหลักคะ", "กลุ่มเปราะบางกับผู้พิการ" and "ผู้สูงอายุ เด็ก" took one group without a word."""
    c = chat(community=HOME)
    c.say("เสนอโครงการ").say("เยี่ยมบ้าน").tap("ข้าม").tap(HOME).expect("เพื่อใคร")
    c.say("กลุ่มเปราะบางกับผู้พิการค่ะ").expect("กลุ่มเป้าหมายเลือกได้กลุ่มเดียวค่ะ กลุ่มไหนเป็นกลุ่มหลักคะ")
    c.say("ผู้สูงอายุ เด็ก").expect("กลุ่มไหนเป็นกลุ่มหลักคะ").expect_not("ปัญหา")
    c.say("คนพิการ").expect("ปัญหา")
    c.say("ไม่มีคนดูแล").say("ไปเยี่ยมบ้าน").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    c.expect("สรุปโครงการ", "คนพิการ").expect_not("เลือกได้กลุ่มเดียว").tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert _stored(harness) == [(None, None, "disabled")]
