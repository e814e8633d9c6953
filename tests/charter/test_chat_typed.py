"""Typed charter feedback that said more (or less) than it meant: a tester's sessions in the simulator."""

from __future__ import annotations

import pytest

from tests.charter.test_chat import stances

LONG = "อยากให้มีกลุ่มออกกำลังกายตอนเย็นสำหรับคนทำงาน และมีครูฝึกจากศูนย์สาธารณสุขมาช่วยทุกเดือน"


def test_a_typed_change_of_stance_keeps_the_earlier_comment(chat, harness, published):
    """"คิดไปคิดมา ข้อ 1 ขอเปลี่ยนเป็นไม่เห็นด้วยนะคะ" replaced the long comment with “คิดไปคิดมา ขอเปลี่ยนเป็น”,
    which reached the staff's results."""
    u = chat("Urethink")
    u.say("ข้อ 1").tap("เห็นด้วย").say(LONG).expect("ความเห็นเพิ่มเติม")
    u.say("คิดไปคิดมา ข้อ 1 ขอเปลี่ยนเป็นไม่เห็นด้วยนะคะ")
    u.expect("คุณเลือก “ไม่เห็นด้วย” กับข้อ 1 ค่ะ บันทึกแล้ว", f"ความคิดเห็นเดิม: “{LONG}”",
             "กด “ข้าม” เพื่อคงความคิดเห็นเดิมไว้").expect_not("คิดไปคิดมา", "ขอเปลี่ยนเป็น”")
    assert stances(harness.db) == [("Urethink", 1, "disagree", LONG)]
    u.say("ส่งเลย").expect("ความคิดเห็นเดิมยังอยู่").expect_not("ความเห็นเพิ่มเติม: “ส่งเลย”")
    assert stances(harness.db) == [("Urethink", 1, "disagree", LONG)]
    chat("Ustaff", role="staff").say("ผลธรรมนูญ").expect(f"ข้อ 1 (ไม่เห็นด้วย): {LONG}").expect_not("คิดไปคิดมา")


@pytest.mark.parametrize(("said", "meant"), [
    ("คิดไปคิดมา ข้อ 11 ขอเปลี่ยนเป็นไม่เห็นด้วยนะคะ", ("disagree", None)),
    ("เอ่อ เปลี่ยนใจค่ะ ขอเป็นไม่แน่ใจดีกว่า…", ("unsure", None)),
    ("คิดไปคิดมา ข้อ 1 ขอเปลี่ยนเป็นไม่เห็นด้วย เพราะงบไม่พอ", ("disagree", "เพราะงบไม่พอ")),
    ("ข้อ 2 ไม่เห็นด้วย ควรให้ชุมชนดูแลเองดีกว่า", ("disagree", "ควรให้ชุมชนดูแลเองดีกว่า")),
])
def test_words_of_the_change_are_no_comment(said, meant):
    from bot.handlers.charter import split_feedback

    assert split_feedback(said) == meant


@pytest.mark.parametrize("said", ["ส่งเลย", "โอเค", "แค่นี้แหละ", "ไม่มีอะไรเพิ่มเติม", "ไม่มีแล้วค่ะ", "พอแล้ว",
                                  "แค่นั้น", "จบ", "เท่านี้ค่ะ"])
def test_closing_words_at_the_comment_prompt_are_no_comment(chat, harness, published, said):
    """They were saved as the comment (“ส่งเลย”, “โอเค” …); only "ไม่มีค่ะ" was no comment."""
    u = chat("Uclose")
    u.say("ข้อ 2").tap("ไม่แน่ใจ").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    u.say(said).expect("ข้อ 2", "ไม่แน่ใจ").expect_not("ความเห็นเพิ่มเติม: “")  # "พอแล้ว" also leaves: stance kept
    assert stances(harness.db) == [("Uclose", 2, "unsure", None)]
