"""Staff commands on ideas as they are really typed: confirmed before a resident is told, typos and other
wording still read as the command, two ideas in one message."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Idea, User
from tests.ideas.conftest import make_idea, pushes_to

HOME = "ชุมชนโชคชัย 4"
RESIDENT = "U" + "1" * 32
STAFF = "U" + "5" * 32


def _idea(harness, chat, status: str, title: str = "ลานออกกำลังกายผู้สูงอายุ") -> int:
    chat(RESIDENT, community=HOME)
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == RESIDENT))
        return make_idea(s, user, status, title=title).id


def _status(harness, number: int) -> str:
    with harness.db.session(readonly=True) as s:
        return s.get(Idea, number).status


def _pushed(harness) -> int:
    with harness.db.session(readonly=True) as s:
        user = s.scalar(select(User).where(User.line_user_id == RESIDENT))
        return len(pushes_to(s, user))


def test_a_revision_request_with_its_reason_asked_is_shown_and_confirmed_before_it_is_sent(chat, harness):
    """The reason answered at its question went to the resident at once; "ยืนยัน" then was "ยังไม่แน่ใจ"."""
    number = _idea(harness, chat, "under_review")
    staff = chat(STAFF, role="staff")
    staff.say(f"ขอให้แก้ไขโครงการ {number}").expect("อยากให้ผู้เสนอปรับแก้โครงการ")
    staff.say("ขอรายละเอียดงบประมาณ").expect("“ขอรายละเอียดงบประมาณ”", "ยืนยันไหมคะ")
    assert (_status(harness, number), _pushed(harness)) == ("under_review", 0)
    staff.say("ยืนยัน").expect("ตอนนี้ “ขอให้ปรับแก้”").expect_not("ยังไม่แน่ใจ")
    assert (_status(harness, number), _pushed(harness)) == ("needs_revision", 1)


def test_taking_up_or_starting_an_idea_shows_the_message_and_confirms_first(chat, harness):
    number = _idea(harness, chat, "submitted")
    staff = chat(STAFF, role="staff")
    staff.say(f"รับพิจารณาโครงการ {number}").expect(
        "รับพิจารณาโครงการ “ลานออกกำลังกายผู้สูงอายุ”", "ผู้เสนอจะได้รับข้อความว่า", "อยู่ระหว่างการพิจารณา", "ยืนยันไหมคะ")
    assert (_status(harness, number), _pushed(harness)) == ("submitted", 0)
    staff.tap("ไม่ทำแล้ว").expect("ยังไม่เปลี่ยนสถานะโครงการ")
    assert (_status(harness, number), _pushed(harness)) == ("submitted", 0)
    staff.say(f"รับพิจารณาโครงการ {number}").tap("ยืนยัน").expect("ตอนนี้ “กำลังพิจารณา”")
    assert (_status(harness, number), _pushed(harness)) == ("under_review", 1)

    started = _idea(harness, chat, "approved", title="สวนผักชุมชน")
    staff.say(f"เริ่มโครงการ {started}").expect("เริ่มดำเนินการโครงการ “สวนผักชุมชน”", "เริ่มดำเนินการแล้วค่ะ",
                                                 "ยืนยันไหมคะ")
    assert _status(harness, started) == "approved"
    staff.say("ยืนยันค่ะ").expect("ตอนนี้ “กำลังดำเนินการ”")
    assert _status(harness, started) == "in_progress"


def test_two_ideas_in_one_command_the_first_now_the_second_offered_after(chat, harness):
    """"อนุมัติโครงการ 15 และ 12" moved only 15, and 12 was silently dropped."""
    first = _idea(harness, chat, "submitted")
    second = _idea(harness, chat, "submitted", title="สวนผักชุมชน")
    staff = chat(STAFF, role="staff")
    staff.say(f"รับพิจารณาโครงการ {first} และ {second}").expect(
        "ขอทำทีละเรื่อง", f"รับพิจารณาโครงการ {second}", "รับพิจารณาโครงการ “ลานออกกำลังกายผู้สูงอายุ”") \
        .expect_not("สวนผักชุมชน")
    staff.tap("ยืนยัน").expect("ตอนนี้ “กำลังพิจารณา”")
    assert f"รับพิจารณาโครงการ {second}" in staff.quick_labels()
    staff.tap(f"รับพิจารณาโครงการ {second}").expect("รับพิจารณาโครงการ “สวนผักชุมชน”", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน")
    # "ไม่ทำแล้ว" to the first: the second is still offered
    staff.say(f"ไม่อนุมัติโครงการ {first} และ {second} ซ้ำกับโครงการเดิม").expect("“ซ้ำกับโครงการเดิม”")
    staff.tap("ไม่ทำแล้ว").expect("ยังไม่เปลี่ยนสถานะโครงการ")
    assert f"ไม่อนุมัติโครงการ {second}" in staff.quick_labels()
    staff.say(f"อนุมัติโครงการ {first} และ {second}").say("ยกเลิก")  # left at the funding question: the same
    assert f"อนุมัติโครงการ {second}" in staff.quick_labels()


def test_staff_typos_and_other_wording_are_read_as_the_command(chat, harness):
    """They all answered "ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ" (the staff member's own ideas)."""
    number = _idea(harness, chat, "under_review")
    staff = chat(STAFF, role="staff")
    staff.say("โครงกานรอตรวจ").expect("โครงการรอพิจารณา 1 เรื่อง", "ลานออกกำลังกายผู้สูงอายุ") \
        .expect_not("ยังไม่มีโครงการที่คุณเสนอไว้")
    # a typo in a command that tells the resident: asked, with the command as a chip
    staff.say(f"อนุมัตโครงการ {number}").expect(f"หมายถึง “อนุมัติโครงการ {number}” ใช่ไหมคะ") \
        .expect_not("ยังไม่มีโครงการที่คุณเสนอไว้")
    assert _status(harness, number) == "under_review"
    staff.tap(f"อนุมัติโครงการ {number}").expect("ได้ทุนจากแหล่งไหนคะ")
    staff.say("ยกเลิก")
    staff.say(f"ขอแก้ไขโครงการ {number} ค่ะ ขอรายละเอียดงบ").expect(
        "ขอให้ผู้เสนอปรับแก้โครงการ “ลานออกกำลังกายผู้สูงอายุ”", "“ขอรายละเอียดงบ”", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("ตอนนี้ “ขอให้ปรับแก้”")
    assert (_status(harness, number), _pushed(harness)) == ("needs_revision", 1)


def test_staff_naming_an_idea_by_number_never_get_their_own_ideas(chat, harness):
    number = _idea(harness, chat, "under_review")
    staff = chat(STAFF, role="staff")
    staff.say(f"โครงการ {number} อนุมัติหรือยังคะ").expect(f"โครงการเลขที่ {number} ตอนนี้ “กำลังพิจารณา”") \
        .expect_not("ยังไม่มีโครงการที่คุณเสนอไว้", "ได้ทุนจากแหล่งไหน")
    assert _status(harness, number) == "under_review"


def test_yes_typed_to_a_typo_question_runs_the_command_and_no_does_nothing(chat, harness):
    """"ใช่" after "หมายถึง “อนุมัติโครงการ 12” ใช่ไหมคะ" gave the general help text."""
    number = _idea(harness, chat, "under_review")
    staff = chat(STAFF, role="staff")
    staff.say(f"อนุมัตโครงการ {number}").expect(f"หมายถึง “อนุมัติโครงการ {number}” ใช่ไหมคะ")
    staff.say("ใช่ค่ะ").expect("ได้ทุนจากแหล่งไหนคะ")
    staff.say("ยกเลิก")
    assert _status(harness, number) == "under_review"
    staff.say(f"อนุมัตโครงการ {number}").expect("ใช่ไหมคะ")
    staff.say("ไม่ใช่").expect("ได้ค่ะ").expect_not("ได้ทุนจากแหล่งไหนคะ")
    staff.say("ใช่").expect_not("ได้ทุนจากแหล่งไหนคะ")
    assert (_status(harness, number), _pushed(harness)) == ("under_review", 0)
