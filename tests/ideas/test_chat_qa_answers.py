"""QA walk-through of ideas: a leader's typed answer to a revision request, non-answers at the title, an activity
about writing projects signed up for by name, a fund's name after "จาก"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.thaidate import now_utc
from storage.models import Activity, Conversation, Idea, IdeaEvent, User
from tests.ideas.conftest import make_idea

HOME = "ชุมชนโชคชัย 4"
LEADER = "U" + "1" * 32
STAFF = "U" + "5" * 32


def _sent_back(chat, harness, **fields) -> tuple[object, object, int]:
    """A leader's idea (8,000 baht) sent back by staff through chat, as QA did; the leader has the push."""
    leader = chat(LEADER, role="leader", community=HOME)
    staff = chat(STAFF, role="staff")
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == LEADER))
        number = make_idea(s, user, "under_review", title="ผักปลอดสารแจกครัวเรือน", budget=8000, participants=30,
                           plan="ปลูกผักปลอดสารในกระถาง", **fields).id
    staff.say(f"โครงการ {number} ขอให้แก้ไขค่ะ งบน้อยเกินไปสำหรับ 30 ครัวเรือน ลองคำนวณใหม่").expect("ยืนยันไหมคะ")
    staff.say("ยืนยัน").expect("ขอให้ปรับแก้")
    harness.run_outbox()
    leader.refresh().expect("ขอให้ปรับแก้", "งบน้อยเกินไป")
    return leader, staff, number


def _idea(harness, number: int) -> Idea:
    with harness.db.session(readonly=True) as s:
        return s.get(Idea, number)


def _last_note(harness, number: int) -> str:
    with harness.db.session(readonly=True) as s:
        return s.scalars(select(IdeaEvent.reason).where(IdeaEvent.idea_id == number)
                         .order_by(IdeaEvent.id.desc())).first() or ""


def test_a_typed_answer_naming_the_budget_changes_it_and_staff_see_the_change_and_the_words(chat, harness):
    """QA: "งบขอเป็น 12,000 บาทครับ" → staff got "แก้ไขแล้ว" still saying 8,000 baht, without his words."""
    leader, staff, number = _sent_back(chat, harness)
    leader.say("งบขอเป็น 12,000 บาทครับ").expect("งบประมาณ: 8,000 บาท → 12,000 บาท", "งบขอเป็น 12,000 บาทครับ")
    assert _idea(harness, number).budget == 8000  # asked first
    leader.tap("แก้และส่งกลับ").expect("แล้วค่ะ ✅")
    idea = _idea(harness, number)
    assert (idea.budget, idea.status) == (12_000, "under_review")
    assert "งบขอเป็น 12,000 บาทครับ" in _last_note(harness, number)  # on the timeline
    harness.run_outbox()
    staff.refresh().expect("แก้ไขแล้ว", "งบประมาณ: 8,000 บาท → 12,000 บาท", "งบประมาณ: 12,000 บาท",
                           "งบขอเป็น 12,000 บาทครับ")
    leader.say("โครงการของฉัน").expect("งบขอเป็น 12,000 บาทครับ")


def test_a_typed_answer_naming_no_field_reaches_staff_as_words_and_not_as_an_edit(chat, harness):
    leader, staff, number = _sent_back(chat, harness)
    leader.say("ครัวเรือนละ 400 บาทกำลังพอดีแล้วครับ ไม่ต้องเพิ่ม").expect("เป็นคำตอบเรื่องที่ขอให้ปรับแก้")
    leader.tap("ส่งเป็นคำตอบ").expect("ส่งข้อความถึงเจ้าหน้าที่")
    assert (_idea(harness, number).budget, _idea(harness, number).status) == (8000, "under_review")
    harness.run_outbox()
    staff.refresh().expect("ไม่มีการแก้ไขข้อมูล มีข้อความจากผู้เสนอ: “ครัวเรือนละ 400 บาทกำลังพอดีแล้วครับ ไม่ต้องเพิ่ม”")
    staff.expect_not("แก้ไขแล้ว")


def test_a_typed_answer_with_a_new_name_and_count_changes_both(chat, harness):
    leader, staff, number = _sent_back(chat, harness)
    leader.say("ผู้เข้าร่วม 40 คนครับ แล้วขอเปลี่ยนชื่อเป็น ผักปลอดสารสี่สิบครัวเรือน").expect(
        "ผู้เข้าร่วม: 30 คน → 40 คน", "ชื่อโครงการ: ผักปลอดสารแจกครัวเรือน → ผักปลอดสารสี่สิบครัวเรือน")
    leader.tap("แก้และส่งกลับ")
    idea = _idea(harness, number)
    assert (idea.participants, idea.title, idea.budget) == (40, "ผักปลอดสารสี่สิบครัวเรือน", 8000)


def test_words_that_are_not_a_name_are_not_taken_as_the_title(chat, harness):
    """QA: "ยังไม่ได้ตั้งชื่อ" → examples → "ใช้ชื่อนี้" was submitted as the project's name."""
    c = chat("U" + "3" * 32, community=HOME)
    c.say("อยากเสนอโครงการครับ").expect("ชื่ออะไรคะ")
    c.say("ยังไม่ได้ตั้งชื่อ").expect("ลานออกกำลังกายผู้สูงอายุ", "สวนผักคนเมือง")
    c.say("ใช้ชื่อนี้").expect("ชื่อไหน").expect_not("ประเด็น")  # two examples: which one
    for said in ("ใช่ค่ะ", "ยืนยัน", "โอเค"):
        c.say(said).expect(f"“{said}” ยังไม่ใช่ชื่อโครงการ").expect_not("ประเด็น")
    c.say("สวนผักคนเมือง").expect("ประเด็น")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(Idea)) is None


def test_this_name_takes_the_one_name_suggested(chat, harness):
    c = chat("U" + "3" * 32, community=HOME)
    c.say("อยากทำโครงการค่ะ ยังไม่ได้ตั้งชื่อ จะชวนผู้สูงอายุรำไม้พลองทุกเช้า เพราะผู้สูงอายุปวดเข่ากันเยอะ")
    c.expect("ยังไม่มีชื่อไม่เป็นไรค่ะ")
    c.say("เอาอันนี้ค่ะ").expect("ประเด็น").expect_not("ยังไม่ใช่ชื่อโครงการ")
    with harness.db.session(readonly=True) as s:
        title = (s.scalar(select(Conversation)).data or {}).get("title")
    assert title and "อันนี้" not in title and "รำไม้พลอง" in title, title


def test_an_activity_about_writing_projects_named_with_a_head_count_is_a_sign_up(chat, harness):
    """QA: "ปรึกษาเขียนโครงการ ไป2คนค่ะ" opened a new idea although the activity of that name was coming up."""
    start = now_utc() + timedelta(days=4)
    with harness.db.session() as s:
        s.add(Activity(title="ปรึกษาเขียนโครงการตัวต่อตัว", place="สำนักงานเขต", starts_at=start,
                       ends_at=start + timedelta(hours=2), capacity=10, status="published"))
    u = chat("U" + "4" * 32, community=HOME)
    u.say("ปรึกษาเขียนโครงการ ไป2คนค่ะ").expect("ปรึกษาเขียนโครงการตัวต่อตัว", "2 คน").expect_not("ชื่ออะไรคะ")
    u.say("ยกเลิก")
    u.say("ขอปรึกษาเขียนโครงการตัวต่อตัวค่ะ ไปคนเดียว").expect("ปรึกษาเขียนโครงการตัวต่อตัว", "1 คน").expect_not(
        "ชื่ออะไรคะ")
    u.say("ยกเลิก")
    u.say("อยากเสนอโครงการค่ะ").expect("ชื่ออะไรคะ")  # a plain start is still an idea


def test_an_abbreviated_fund_is_set_apart_after_its_word(chat, harness):
    """"(ผู้เสนออยากขอจากสสส.)", "ได้รับงบ 18,000 บาท จากสสส.": สสส. is written apart."""
    resident = chat("U" + "3" * 32, community=HOME)
    staff = chat(STAFF, role="staff")
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == resident.user_id))
        number = make_idea(s, user, "under_review", funding_source="thaihealth", budget=18_000).id
    staff.say(f"อนุมัติโครงการ {number}").expect("(ผู้เสนออยากขอจาก สสส.)")
    staff.tap("สสส.").say("18,000 บาท").tap("ยืนยัน").expect("งบ 18,000 บาท จาก สสส.")
    harness.run_outbox()
    resident.refresh().expect("ได้รับงบ 18,000 บาท จาก สสส.")
