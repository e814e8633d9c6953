"""A yes or a wait at the charter's comment prompt (QA walk-through): only the short "พิมพ์มาได้เลย", not the whole
question again after it."""

from __future__ import annotations

import pytest

U = "U" + "6" * 32


@pytest.mark.parametrize("said", ["ใช่ค่ะ", "เดี๋ยวก่อนนะคะ"])
def test_a_yes_at_the_comment_prompt_gets_only_the_short_answer(chat, published, said):
    u = chat(U)
    u.say("เห็นด้วยข้อ1").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    u.say(said).expect("ได้ค่ะ พิมพ์เหตุผลหรือข้อเสนอมาได้เลย")
    u.expect_not("คุณเลือก", "บันทึกแล้ว", "อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    assert "ข้าม" in u.quick_labels()
    u.say("ควรมีครูพาเด็กออกกำลังกายด้วย").expect("ความเห็นเพิ่มเติม: “ควรมีครูพาเด็กออกกำลังกายด้วย”")
    u.say("ดูความเห็นของฉัน").expect("ข้อ 1: 👍").expect_not(f"“{said}”")
