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
