"""The leave question ("ออกจากขั้นตอนเดิมไหมคะ") answered as people type it, and privacy requests never trapped behind
an unfinished journey (QA walk-through); a bare yes or no with nothing pending gets a short answer."""

from __future__ import annotations

import pytest

from bot.services import users
from tests.activities.test_chat import make_activity  # noqa: F401 - the fixture

__all__ = ["make_activity"]

U = "U" + "5" * 32


def _at_the_draft_question(u) -> None:
    """A leader with an idea kept from before: "ทำต่อจากเดิม / เริ่มใหม่" asked."""
    u.say("อยากเสนอโครงการ").expect("โครงการชื่ออะไรคะ")
    u.say("ลานกีฬาเด็ก")
    u.say("เมนู").expect("ยังไม่ได้ส่ง")
    u.say("อยากเสนอโครงการ").expect("ทำต่อจากเดิม หรือเริ่มใหม่")


@pytest.mark.parametrize("yes", ["ลบเลยค่ะ", "ใช่ค่ะ ลบเลย"])
def test_delete_my_data_at_an_unfinished_idea_leaves_it_when_told_yes(chat, harness, yes):
    u = chat(U, role="leader")
    _at_the_draft_question(u)
    u.say("ลบข้อมูลของฉัน").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say(yes).expect("ลบชื่อ ชุมชน", "ยืนยันไหมคะ").expect_not("กรุณาเลือกจากปุ่ม", "ทำต่อจากเดิม")
    u.tap("ลบเลย").expect("ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้ว")
    with harness.db.session(readonly=True) as s:
        assert users.get_user(s, U).consent_at is None


@pytest.mark.parametrize("no", ["ไม่ลบค่ะ", "ไม่ลบดีกว่าค่ะ"])
def test_delete_my_data_at_an_unfinished_idea_stays_when_told_no(chat, harness, no):
    u = chat(U, role="leader")
    _at_the_draft_question(u)
    u.say("ลบข้อมูลของฉัน").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say(no).expect("ทำต่อจากเดิม หรือเริ่มใหม่").expect_not("ลบชื่อ ชุมชน", "กรุณาเลือกจากปุ่ม")
    u.tap("ทำต่อจากเดิม").expect_not("ออกจากขั้นตอนเดิมไหมคะ")
    with harness.db.session(readonly=True) as s:
        assert users.get_user(s, U).consent_at is not None


def test_something_else_at_the_leave_question_asks_it_again_in_words(chat):
    u = chat(U, role="leader")
    _at_the_draft_question(u)
    u.say("ลบข้อมูลของฉัน").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say("สวัสดีค่ะ").expect("“ลบข้อมูลของฉัน”", "พิมพ์ “ออกเลย”", "“ทำต่อ”", "ออกจากขั้นตอนเดิมไหมคะ")
    u.expect_not("กรุณาเลือกจากปุ่ม", "ทำต่อจากเดิม หรือเริ่มใหม่")
    u.say("ลบเลยค่ะ").expect("ลบชื่อ ชุมชน", "ยืนยันไหมคะ")


@pytest.mark.parametrize(("request_", "yes", "done"), [
    ("ดูข้อมูลของฉัน", "ดูเลยค่ะ", "ข้อมูลของคุณที่ “ร่วมกัน” เก็บไว้"),
    ("ปิดการแจ้งเตือน", "ปิดเลยค่ะ", "ปิดการแจ้งเตือนข่าวประกาศแล้ว"),
    ("ถอนความยินยอม", "ถอนเลยค่ะ", "ถอนความยินยอมแล้ว"),
])
def test_privacy_requests_at_an_unfinished_idea_are_done_when_told_yes_in_their_own_words(chat, request_, yes, done):
    u = chat(U, role="leader")
    _at_the_draft_question(u)
    u.say(request_).expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say(yes).expect(done).expect_not("กรุณาเลือกจากปุ่ม", "ทำต่อจากเดิม หรือเริ่มใหม่")


@pytest.mark.parametrize(("said", "leaves"), [("ใช่ค่ะ ออกเลย", True), ("ไม่ทำต่อแล้วค่ะ", True), ("ไม่ออกค่ะ", False),
                                              ("ไม่ใช่ค่ะ ทำต่อ", False)])
def test_the_leave_question_takes_a_yes_or_no_as_typed(chat, make_activity, said, leaves):
    act = make_activity()
    u = chat(U)
    u.postback(f"activity.signup?id={act.id}").expect("ไปกี่คนคะ")
    u.say("ดูข้อมูลของฉัน").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say(said)
    if leaves:
        u.expect("ข้อมูลของคุณที่ “ร่วมกัน” เก็บไว้")
    else:
        u.expect("ไปกี่คนคะ").expect_not("ข้อมูลของคุณที่ “ร่วมกัน” เก็บไว้", "ออกจากขั้นตอนเดิมไหมคะ")
    u.expect_not("ขอเป็นจำนวนคน")


def test_a_bare_yes_or_no_after_a_journey_gets_a_short_answer(chat, harness, tmp_path):
    from bot.thaidate import now_utc
    from tests.charter.helpers import published_with_round

    with harness.db.session() as s:
        published_with_round(s, tmp_path, now_utc())
    u = chat(U)
    u.say("เห็นด้วยข้อ1,2").say("ใช่").expect("บันทึกความเห็นของคุณแล้ว")
    for said in ("ใช่", "ใช่ค่ะ"):
        u.say(said).expect("ค่ะ 😊 ต้องการให้ช่วยอะไรต่อ").expect_not("ช่วยอะไรได้บ้างคะ", "1669")
        assert "🏃 กิจกรรม" in u.quick_labels()
    for said in ("ไม่เปลี่ยน", "ไม่เป็นไร", "ไม่เป็นไรค่ะ"):
        u.say(said).expect("ได้ค่ะ").expect_not("ยังตอบไม่ได้", "ถามเจ้าหน้าที่")
        assert "🏃 กิจกรรม" in u.quick_labels()
    u.say("วิธีใช้").expect("ช่วยอะไรได้บ้างคะ")  # asked for, the help text still
