"""A charter stance typed in the middle of something else (QA walk-through): at a sign-up's "ไปกี่คนคะ" it is no
head count, and words of hesitation before a stance kept at "บันทึกเลยไหมคะ" are no comment."""

from __future__ import annotations

import pytest

from tests.activities.test_chat import make_activity, signup_of  # noqa: F401 - the fixture
from tests.core.test_onboarding import add_communities

__all__ = ["make_activity"]

U = "U" + "6" * 32


def test_a_stance_typed_at_how_many_is_no_head_count_and_is_saved_once_left_for(chat, harness, published,
                                                                                 make_activity, db):
    add_communities(harness.db, ("ชุมชนลาดพร้าว 101", 13.79, 100.62))
    aerobics = make_activity("แอโรบิกสุขภาพ")
    u = chat(U, consent=False)
    u.follow().tap("ยินยอม")
    u.say("ลาดพร้าว101").expect("ชุมชนลาดพร้าว 101")
    u.say("สมัครแอโรบิกค่ะ").expect("แอโรบิกสุขภาพ", "ไปกี่คนคะ")
    u.say("เห็นด้วยข้อ1,2ค่ะ").expect("ออกจากขั้นตอนเดิมไหมคะ").expect_not("สรุปการสมัคร", "จำนวน 1 คน")
    u.say("ออกเลย").expect("👍 เห็นด้วย กับข้อ 1 และ 2", "บันทึกเลยไหมคะ")
    u.say("ใช่").expect("บันทึกความเห็นของคุณแล้ว: 👍 เห็นด้วย กับข้อ 1 และ 2")
    assert signup_of(db, U, aerobics.id) is None
    u.say("ดูความเห็นของฉัน").expect("ข้อ 1: 👍 เห็นด้วย", "ข้อ 2: 👍 เห็นด้วย")


def test_a_stance_typed_at_the_leave_question_of_a_sign_up_is_asked_about_not_counted(chat, published,
                                                                                       make_activity, db):
    aerobics = make_activity("แอโรบิกสุขภาพ")
    u = chat(U)
    u.say("สมัครแอโรบิกค่ะ").expect("ไปกี่คนคะ")
    u.say("ติดต่อเจ้าหน้าที่").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say("เห็นด้วยข้อ1,2ค่ะ").expect("ออกจากขั้นตอนเดิมไหมคะ").expect_not("สรุปการสมัคร", "จำนวน 1 คน")
    u.say("ใช่ค่ะ").expect("👍 เห็นด้วย กับข้อ 1 และ 2", "บันทึกเลยไหมคะ")
    u.tap("บันทึกเลย").expect("บันทึกความเห็นของคุณแล้ว")
    assert signup_of(db, U, aerobics.id) is None


@pytest.mark.parametrize("hesitation", ["เดี๋ยวก่อน", "เดี๋ยวนะ", "อ๊ะ", "แป๊บนะคะ"])
def test_hesitation_before_a_stance_kept_at_the_confirmation_is_no_comment(chat, published, hesitation):
    u = chat(U)
    u.say("เห็นด้วยทุกข้อในหมวด2").expect("บันทึกเลยไหมคะ")
    u.say(f"{hesitation} ข้อ5ไม่เห็นด้วย").expect("ตอบแล้วจะทำเรื่อง", "บันทึกเลยไหมคะ")
    u.say("ใช่ครับ").expect("บันทึกความเห็นของคุณแล้ว: 👍 เห็นด้วย กับข้อ 3, 4 และ 5",
                            "คุณเลือก “ไม่เห็นด้วย” กับข้อ 5 ค่ะ บันทึกแล้ว")
    u.expect_not("คุณเลือก: 👍", "ความเห็น: “", "ส่งความเห็นนี้เลยไหมคะ")
    u.say("ข้าม")
    u.say("ดูความเห็นของฉัน").expect("ข้อ 3: 👍", "ข้อ 4: 👍", "ข้อ 5: 👎 ไม่เห็นด้วย").expect_not(hesitation)


def test_the_card_before_another_stance_to_confirm_names_the_saved_one_as_the_earlier(chat, published):
    u = chat(U)
    u.say("เห็นด้วยทุกข้อในหมวด2").expect("บันทึกเลยไหมคะ")
    u.say("ข้อ5ไม่เห็นด้วย เพราะเด็กควรเลือกเองได้").expect("ตอบแล้วจะทำเรื่อง")
    u.say("ใช่").expect("ความเห็นเดิม: 👍 เห็นด้วย", "ข้อ 5: 👎 ไม่เห็นด้วย", "“เด็กควรเลือกเองได้”",
                        "ส่งความเห็นนี้เลยไหมคะ").expect_not("คุณเลือก: 👍")
    u.say("ส่งเลย").expect("เปลี่ยนความเห็นของคุณต่อข้อ 5 เป็น “ไม่เห็นด้วย”")


@pytest.mark.parametrize("said", ["ใช่", "ค่ะ", "เดี๋ยวนะคะ"])
def test_a_yes_or_a_wait_at_the_comment_prompt_is_no_comment(chat, published, said):
    u = chat(U)
    u.say("เห็นด้วยข้อ1").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    u.say(said).expect("พิมพ์เหตุผลหรือข้อเสนอมาได้เลย").expect_not("ความเห็นเพิ่มเติม", "ขอบคุณค่ะ")
    u.say("ควรมีครูพาเด็กออกกำลังกายด้วย").expect("ความเห็นเพิ่มเติม: “ควรมีครูพาเด็กออกกำลังกายด้วย”")
    u.say("ดูความเห็นของฉัน").expect("ข้อ 1: 👍").expect_not(f"“{said}”")
