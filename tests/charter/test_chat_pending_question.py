"""Requests typed while a yes/no question waits are neither swallowed nor dropped (QA walk-through)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.thaidate import now_utc
from storage.models import Conversation

U = "U" + "7" * 32


def test_requests_typed_at_a_pending_question_are_kept_and_done_after_it(chat, published):
    u = chat(U)
    u.say("เห็นด้วยข้อ1,2,3").expect("บันทึกเลยไหมคะ")
    u.say("ไม่เห็นด้วยข้อ๕ เพราะคนทำงานไม่มีเวลา").expect(
        "ตอบแล้วจะทำเรื่อง “ไม่เห็นด้วยข้อ๕ เพราะคนทำงานไม่มีเวลา” ต่อให้", "ข้อ 1, 2 และ 3", "บันทึกเลยไหมคะ"
    ).expect_not("ออกจากขั้นตอน")
    u.say("เห็นด้วยทุกข้อในหมวด 2").expect("2 เรื่องที่พิมพ์มา", "บันทึกเลยไหมคะ")
    # Only showing something: answered at once, the question asked again.
    u.say("ดูความเห็นของฉัน").expect("ยังไม่ได้แสดงความเห็น", "ยังรอคำตอบ", "บันทึกเลยไหมคะ")
    assert u.quick_labels() == ["บันทึกเลย", "ไม่บันทึก"]
    # The yes saves clauses 1–3, then the first kept request opens clause 5 with its reason.
    u.say("ใช่").expect("บันทึกความเห็นของคุณแล้ว: 👍 เห็นด้วย กับข้อ 1, 2 และ 3", "ข้อ 5: 👎 ไม่เห็นด้วย",
                        "“คนทำงานไม่มีเวลา”", "อีก 1 เรื่องที่พิมพ์มา (“เห็นด้วยทุกข้อในหมวด 2”)")
    u.say("ส่งเลย").expect("บันทึกความเห็นของคุณต่อข้อ 5 แล้ว: 👎 ไม่เห็นด้วย", "ข้อ 3, 4 และ 5", "บันทึกเลยไหมคะ")
    u.say("ไม่บันทึก")
    u.say("ดูความเห็นของฉัน").expect("ข้อ 1: 👍", "ข้อ 2: 👍", "ข้อ 3: 👍", "ข้อ 5: 👎")


def test_leaving_a_pending_question_says_which_requests_were_not_done(chat, published):
    u = chat(U)
    u.say("เห็นด้วยข้อ1,2,3").say("ขอลบความเห็นข้อ 3").expect("ขอลบความเห็นข้อ 3")
    u.say("เมนู").expect("“ขอลบความเห็นข้อ 3”", "ยังไม่ได้ทำ")


def test_a_stance_on_a_whole_section_typed_at_the_confirmation_is_kept_not_added_to_the_comment(chat, published):
    u = chat(U)
    u.say("ไม่เห็นด้วยข้อ 5 เพราะคนทำงานไม่มีเวลา").expect("ความเห็น: “คนทำงานไม่มีเวลา”", "ส่งความเห็นนี้เลยไหมคะ")
    u.say("เห็นด้วยทุกข้อในหมวด 2").expect(
        "ตอบแล้วจะทำเรื่อง “เห็นด้วยทุกข้อในหมวด 2” ต่อให้", "ข้อ 5: 👎 ไม่เห็นด้วย", "ความเห็น: “คนทำงานไม่มีเวลา”\n"
    ).expect_not("ทุกข้อในหมวด 2”\n", "เปลี่ยนคำตอบให้แล้ว")
    u.say("ส่งเลย").expect("บันทึกความเห็นของคุณต่อข้อ 5 แล้ว: 👎 ไม่เห็นด้วย", "“คนทำงานไม่มีเวลา”",
                           "กับข้อ 3, 4 และ 5 (ทุกข้อในหมวด 2", "บันทึกเลยไหมคะ")


def test_a_stance_on_another_clause_kept_at_the_confirmation_is_done_after_not_sending(chat, published):
    u = chat(U)
    u.say("ไม่เห็นด้วยข้อ 5 เพราะคนทำงานไม่มีเวลา")
    u.say("ข้อ 4 เห็นด้วยค่ะ").expect("ตอบแล้วจะทำเรื่อง “ข้อ 4 เห็นด้วยค่ะ” ต่อให้", "ข้อ 5: 👎 ไม่เห็นด้วย")
    u.say("ไม่ส่ง").expect("ยังไม่ได้บันทึกความเห็นนี้", "คุณเลือก “เห็นด้วย” กับข้อ 4 ค่ะ บันทึกแล้ว")
    u.say("ข้าม")
    u.say("ดูความเห็นของฉัน").expect("ข้อ 4: 👍").expect_not("ข้อ 5:")


def test_browsing_the_charter_at_a_pending_question_is_answered_there(chat, published):
    u = chat(U)
    u.say("เห็นด้วยข้อ1,2,3").expect("บันทึกเลยไหมคะ")
    u.say("ธรรมนูญสุขภาพ").expect("หมวด 2", "ยังรอคำตอบ", "บันทึกเลยไหมคะ").expect_not("ตอบแล้วจะทำ")
    u.say("หมวด 2 มีกี่ข้อ").expect("หมวด 2 อาหารปลอดภัย มี 3 ข้อ", "ยังรอคำตอบ", "บันทึกเลยไหมคะ")
    assert u.quick_labels() == ["บันทึกเลย", "ไม่บันทึก"]
    u.say("ใช่").expect("กับข้อ 1, 2 และ 3").expect_not("เรื่องที่พิมพ์มา")


def test_requests_kept_at_a_question_that_timed_out_are_said_not_done(chat, harness, published):
    start = now_utc() + timedelta(minutes=1)
    harness.set_clock(start)
    u = chat(U)
    u.say("เห็นด้วยข้อ1,2,3").say("ขอลบความเห็นข้อ 3").expect("ตอบแล้วจะทำเรื่อง “ขอลบความเห็นข้อ 3”")
    harness.set_clock(start + timedelta(minutes=31))
    u.say("สวัสดีค่ะ").expect("หมดเวลาแล้วค่ะ", "(“ขอลบความเห็นข้อ 3”) ยังไม่ได้ทำ")
    u.say("สวัสดีค่ะ").expect_not("หมดเวลา", "ยังไม่ได้ทำ")


def test_requests_kept_at_a_question_cleared_by_the_worker_are_said_not_done(chat, harness, published):
    from bot.services import reminders

    u = chat(U)
    u.say("เห็นด้วยข้อ1,2,3").say("ขอลบความเห็นข้อ 3").say("ไม่เห็นด้วยข้อ 5").expect("2 เรื่องที่พิมพ์มา")
    with harness.db.session() as s:
        s.scalar(select(Conversation).where(Conversation.line_user_id == U)).expires_at = now_utc() - timedelta(days=2)
        assert reminders.sweep_conversations(s, now_utc()) == 1
    u.say("สวัสดีค่ะ").expect("หมดเวลาแล้วค่ะ", "(“ขอลบความเห็นข้อ 3”, “ไม่เห็นด้วยข้อ 5”) ยังไม่ได้ทำ")
    u.say("สวัสดีค่ะ").expect_not("หมดเวลา", "ยังไม่ได้ทำ")


def test_a_command_typed_at_the_charter_confirmation_is_kept_not_a_leave_prompt(chat, published):
    """"ขอลบความเห็นข้อ 1" at “ส่งความเห็นนี้เลยไหมคะ” asked “ออกจากขั้นตอนนี้ไหม”, unlike other requests there."""
    u = chat(U)
    u.say("เห็นด้วยข้อ 1").expect("บันทึก")
    u.say("ไม่เห็นด้วยข้อ 5 เพราะคนทำงานไม่มีเวลา").expect("ส่งความเห็นนี้เลยไหมคะ")
    u.say("ขอลบความเห็นข้อ 1").expect("ตอบแล้วจะทำเรื่อง “ขอลบความเห็นข้อ 1” ต่อให้", "ส่งความเห็นนี้เลยไหมคะ"
                                      ).expect_not("ออกจากขั้นตอน")
    # Only showing something: answered there, the question asked again.
    u.say("ดูความเห็นของฉัน").expect("ข้อ 1: 👍", "ยังรอคำตอบ", "ส่งความเห็นนี้เลยไหมคะ").expect_not("ออกจากขั้นตอน")
    u.say("ส่งเลย").expect("บันทึกความเห็นของคุณต่อข้อ 5 แล้ว: 👎 ไม่เห็นด้วย", "ลบความเห็นของคุณต่อข้อ 1 ไหมคะ")
