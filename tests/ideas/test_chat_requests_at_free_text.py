"""At an idea's free-text steps, a clear request of another journey is asked about, not stored (QA walk-through)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services import activities as svc
from bot.thaidate import now_utc
from storage.models import Activity, Signup, User
from tests.ideas.test_chat import HOME, only_idea

U = "U" + "4" * 32


def _walk_signed_up(harness, title: str = "เดินเร็วเพื่อสุขภาพริมคลอง") -> int:
    starts = now_utc() + timedelta(days=3)
    with harness.db.session() as s:
        activity = Activity(title=title, description="เดินเร็ว 30 นาที", place="ริมคลองลาดพร้าว", starts_at=starts,
                            ends_at=starts + timedelta(hours=1), capacity=20, topic="physical_activity",
                            signup_deadline=starts - timedelta(hours=12), status="published")
        s.add(activity)
        s.flush()
        user = s.scalar(select(User).where(User.line_user_id == U))
        svc.signup(s, user, activity.id, 1, now=now_utc())
        return activity.id


def _status(harness, activity_id: int) -> str:
    with harness.db.session(readonly=True) as s:
        return s.scalar(select(Signup.status).where(Signup.activity_id == activity_id))


def _to_problem(c) -> None:
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").tap(HOME).tap("ผู้สูงอายุ")
    c.expect("ปัญหาอะไร")


def test_cancelling_a_sign_up_typed_at_the_problem_is_asked_about_not_stored(chat, harness):
    c = chat(U, community=HOME)
    walk = _walk_signed_up(harness)
    _to_problem(c)
    c.say("ไม่ไปเดินเร็วแล้วค่ะ ยกเลิกให้ด้วย").expect(
        "จะยกเลิกการสมัคร “เดินเร็วเพื่อสุขภาพริมคลอง” ใช่ไหมคะ", "หรือเป็นคำตอบของคำถามนี้"
    ).expect_not("อยากทำอะไร")
    c.tap("ยกเลิกการสมัคร").expect("ยกเลิกการสมัคร “เดินเร็วเพื่อสุขภาพริมคลอง”", "ใช่ไหมคะ")
    c.tap("ยืนยันยกเลิกสมัคร")
    assert _status(harness, walk) == "cancelled"


def test_the_same_text_may_still_be_the_answer(chat, harness):
    c = chat(U, community=HOME)
    walk = _walk_signed_up(harness)
    _to_problem(c)
    c.say("ไม่ไปเดินเร็วแล้วค่ะ ยกเลิกให้ด้วย").expect("หรือเป็นคำตอบของคำถามนี้")
    c.tap("เป็นคำตอบ").expect("อยากทำอะไร")
    c.say("กลับไปทำต่อ").expect("กลับมาที่ขั้นตอนเสนอโครงการ", "อยากทำอะไร")  # the chip typed: not the plan
    c.say("ทำลานและจัดแอโรบิกสัปดาห์ละ 3 วัน").expect("ผู้เข้าร่วมประมาณกี่คน")
    c.say("ยกเลิก")
    assert _status(harness, walk) == "confirmed"


def test_a_problem_that_mentions_going_out_to_exercise_is_stored(chat, harness):
    c = chat(U, community=HOME)
    _walk_signed_up(harness)
    _to_problem(c)
    c.say("ผู้สูงอายุไม่ไปออกกำลังกายเพราะไม่มีเพื่อน").expect("อยากทำอะไร").expect_not("หรือเป็นคำตอบ")
    c.say("กลับไปทำต่อ").expect("อยากทำอะไร")  # the emergency card's chip, typed: not the plan
    c.say("ทำลานและจัดแอโรบิกสัปดาห์ละ 3 วัน").expect("ผู้เข้าร่วมประมาณกี่คน")
    for said in ("ข้าม", "ข้าม"):
        c.say(said)
    c.tap("กองทุนสุขภาพ กทม.").tap("ข้าม").tap("ข้าม")
    c.tap("ส่งโครงการ")
    idea = only_idea(harness)
    assert idea.problem == "ผู้สูงอายุไม่ไปออกกำลังกายเพราะไม่มีเพื่อน"
    assert idea.plan == "ทำลานและจัดแอโรบิกสัปดาห์ละ 3 วัน"


def test_signing_up_typed_at_the_plan_is_asked_about(chat, harness):
    c = chat(U, community=HOME)
    _walk_signed_up(harness)
    starts = now_utc() + timedelta(days=4)
    with harness.db.session() as s:
        s.add(Activity(title="รำไม้พลองผู้สูงอายุ", description="รำไม้พลอง", place="ลานวัด", starts_at=starts,
                       ends_at=starts + timedelta(hours=1), capacity=20, topic="physical_activity",
                       signup_deadline=starts - timedelta(hours=12), status="published"))
    _to_problem(c)
    c.say("ผู้สูงอายุไม่มีที่ออกกำลังกาย").expect("อยากทำอะไร")
    c.say("ขอสมัครรำไม้พลอง 2 คนค่ะ").expect("จะสมัคร “รำไม้พลองผู้สูงอายุ” ใช่ไหมคะ")
    c.say("ไม่ค่ะ").expect("ผู้เข้าร่วมประมาณกี่คน")  # "no": it was the answer
