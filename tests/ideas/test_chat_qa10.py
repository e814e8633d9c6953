"""QA walk-through 10 of ideas: staff's send-back with its reason on the same line, "not sure" at the name, a
leader's acknowledgement of a revision request, the groups a project is for said in the opening message."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Conversation, Idea, IdeaEvent, User
from tests.ideas.conftest import make_idea

HOME = "ชุมชนโชคชัย 4"
LEADER = "U" + "1" * 32
STAFF = "U" + "5" * 32
RESIDENT = "U" + "3" * 32


def _idea(harness, number: int) -> Idea:
    with harness.db.session(readonly=True) as s:
        return s.get(Idea, number)


def _leaders_idea(chat, harness, status: str) -> tuple[object, int]:
    leader = chat(LEADER, role="leader", community=HOME)
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == LEADER))
        number = make_idea(s, user, status, title="ผักปลอดสารแจกครัวเรือน", budget=8000, participants=30,
                           plan="ปลูกผักปลอดสารในกระถาง").id
    return leader, number


def _sent_back(chat, harness) -> tuple[object, int]:
    """A leader's idea sent back by staff through chat; the leader has the push."""
    leader, number = _leaders_idea(chat, harness, "under_review")
    staff = chat(STAFF, role="staff")
    staff.say(f"โครงการ {number} ขอให้แก้ไขค่ะ ขอรายละเอียดงบ").expect("ยืนยันไหมคะ")
    staff.say("ยืนยัน").expect("ขอให้ปรับแก้")
    harness.run_outbox()
    leader.refresh().expect("ขอให้ปรับแก้", "ขอรายละเอียดงบ")
    return leader, number


def _last_note(harness, number: int) -> str:
    with harness.db.session(readonly=True) as s:
        return s.scalars(select(IdeaEvent.reason).where(IdeaEvent.idea_id == number)
                         .order_by(IdeaEvent.id.desc())).first() or ""


# --- 1. staff's send-back with its reason on the same line ----------------------------------------

def test_staff_asking_a_revision_with_a_long_reason_on_the_same_line_is_asked_to_confirm(chat, harness):
    """QA: "ขอแก้ไขโครงการ 14 ค่ะ ช่วยระบุงบให้ชัดและจำนวนผู้สูงอายุ" → "ตอนนี้คุณยังไม่ได้สมัครกิจกรรมไหนค่ะ…"."""
    with harness.db.session() as s:  # the QA's idea was number 14: a two-digit number makes the line longer
        other = s.scalar(select(User).where(User.line_user_id == chat(RESIDENT).user_id))
        for _ in range(13):
            make_idea(s, other, title="สวนผักคนเมือง")
    _, number = _leaders_idea(chat, harness, "under_review")
    assert number == 14
    staff = chat(STAFF, role="staff")
    staff.say(f"ขอแก้ไขโครงการ {number} ค่ะ ช่วยระบุงบให้ชัดและจำนวนผู้สูงอายุ").expect(
        "ขอให้ผู้เสนอปรับแก้โครงการ “ผักปลอดสารแจกครัวเรือน”", "“ช่วยระบุงบให้ชัดและจำนวนผู้สูงอายุ”", "ยืนยันไหมคะ"
    ).expect_not("สมัครกิจกรรม")
    assert _idea(harness, number).status == "under_review"  # confirmed first
    staff.say("ยืนยัน").expect("ตอนนี้ “ขอให้ปรับแก้”")
    assert _idea(harness, number).status == "needs_revision"
    assert _last_note(harness, number) == "ช่วยระบุงบให้ชัดและจำนวนผู้สูงอายุ"


# --- 2. not sure at the name -------------------------------------------------------------------------

def test_not_sure_at_the_name_is_no_name_yet_and_never_saved_as_it(chat, harness):
    """QA: "ไม่แน่ใจค่ะ", "ไม่แน่ใจ", "ยังไม่ได้คิดชื่อค่ะ", "ยังไม่รู้ค่ะ" at the name were saved as the title."""
    c = chat(RESIDENT, community=HOME)
    c.say("เสนอโครงการ").expect("ชื่ออะไรคะ")
    for said in ("ไม่แน่ใจค่ะ", "ไม่แน่ใจ", "ยังไม่ได้คิดชื่อค่ะ", "ยังไม่รู้ค่ะ"):
        c.say(said).expect("ยังไม่มีชื่อไม่เป็นไรค่ะ", "ตั้งชื่อสั้น ๆ ตามสิ่งที่จะทำ").expect_not("ประเด็น")
    with harness.db.session(readonly=True) as s:
        assert (s.scalar(select(Conversation)).data or {}).get("title") is None
    c.say("สวนผักคนเมือง").expect("ประเด็น")
    c.say("ยังไม่รู้ค่ะ").expect("เว้นประเด็นไว้ก่อน")  # not sure of the topic: left blank, and said so
    with harness.db.session(readonly=True) as s:
        data = s.scalar(select(Conversation)).data or {}
    assert (data.get("title"), data.get("topic")) == ("สวนผักคนเมือง", None)


# --- 3. a leader's acknowledgement of a revision request --------------------------------------------

def test_an_acknowledgement_is_answered_briefly_and_the_real_answer_next_is_offered(chat, harness):
    """QA: "ได้ครับ เดี๋ยวแก้ให้นะครับ" was offered to staff as the answer, and the real answer typed next was
    refused ("แตะปุ่มด้านล่าง…") and lost."""
    leader, number = _sent_back(chat, harness)
    leader.say("ได้ครับ เดี๋ยวแก้ให้นะครับ").expect("รับทราบค่ะ", "แก้ไขโครงการ").expect_not("จะส่งข้อความนี้")
    leader.say("รับทราบค่ะ").expect("รับทราบค่ะ", "แก้ไขโครงการ").expect_not("จะส่งข้อความนี้")
    answer = "ค่าต้นกล้า 2,000 บาท ค่ากระถาง 3,000 บาท รวม 5,000 บาทครับ"
    leader.say(answer).expect("เป็นคำตอบเรื่องที่ขอให้ปรับแก้", answer)
    leader.tap("ส่งเป็นคำตอบ").expect("ส่งข้อความถึงเจ้าหน้าที่")
    assert _idea(harness, number).status == "under_review"
    assert answer in _last_note(harness, number)


def test_a_new_message_while_the_send_question_waits_is_asked_about_instead(chat, harness):
    leader, number = _sent_back(chat, harness)
    leader.say("ขอคิดดูก่อนนะครับ ว่าจะแยกงบยังไง").expect("เป็นคำตอบเรื่องที่ขอให้ปรับแก้", "ขอคิดดูก่อนนะครับ")
    answer = "ค่าต้นกล้า 2,000 บาท ค่ากระถาง 3,000 บาทครับ"
    leader.say(answer).expect("เป็นคำตอบเรื่องที่ขอให้ปรับแก้", answer).expect_not("แตะปุ่มด้านล่าง")
    leader.tap("ส่งเป็นคำตอบ").expect("ส่งข้อความถึงเจ้าหน้าที่")
    note = _last_note(harness, number)
    assert answer in note and "ขอคิดดูก่อน" not in note


# --- 4. the groups a project is for, said in the opening message ------------------------------------

def test_the_groups_said_after_for_in_the_opening_message_are_kept(chat, harness):
    """QA: "…ทำเพื่อผู้สูงอายุและเด็ก…" kept no group (only "กลุ่มเป้าหมาย …" was read)."""
    c = chat(RESIDENT, community=HOME)
    c.say("อยากเสนอโครงการสวนผักคนเมือง ทำเพื่อผู้สูงอายุและเด็ก จะปลูกผักในกระถางทุกเสาร์ ตอนนี้คนในชุมชนกินผักน้อย")
    c.expect("ผู้สูงอายุ", "เด็ก").expect_not("ทำเพื่อใครเป็นหลักคะ")
    with harness.db.session(readonly=True) as s:
        data = s.scalar(select(Conversation)).data or {}
    assert (data.get("title"), data.get("target_group")) == ("สวนผักคนเมือง", "elderly")
    assert "ผู้สูงอายุ" not in (data.get("plan") or "")
