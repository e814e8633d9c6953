"""How many clauses a section has, and how many sections the charter: asked in chat."""

from __future__ import annotations

import pytest

CHARTER_COUNT = "ธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ) มี 2 หมวด 5 ข้อค่ะ"
SECTION_2 = "หมวด 2 อาหารปลอดภัย มี 3 ข้อค่ะ (ข้อ 3–5)"
SECTION_1 = "หมวด 1 ขยับกายทุกวัย มี 2 ข้อค่ะ (ข้อ 1–2)"


def test_this_section_is_the_one_being_read(chat, published):
    """"หมวดนี้มีกี่ข้อ" while reading a section showed the charter's home page ("หมวดนี่…": “ไม่พบหมวด “นี่มีกี่ข้อ””)."""
    u = chat("Uthis")
    u.say("ธรรมนูญ").tap("อ่านหมวดนี้")  # the newest card: หมวด 2
    u.say("หมวดนี้มีกี่ข้อ").expect(SECTION_2).expect_not("ไม่พบหมวด", "อ่านหมวดนี้", "หมวด 1")
    u.say("ข้อ 1").say("หมวดนี่มีกี่ข้อคะ").expect(SECTION_1).expect_not("ไม่พบหมวด")
    u.say("ข้อ 4").tap("เห็นด้วย").tap("ข้าม").expect("บันทึกความเห็นของคุณต่อข้อ 4 แล้ว")
    u.say("ในหมวดนี้มีทั้งหมดกี่ข้อ").expect(SECTION_2)
    u.tap("หมวดนี้").expect("ข้อ 3", "ข้อ 4", "ข้อ 5")


@pytest.mark.parametrize("asked", ["หมวด 2 มีกี่ข้อ", "หมวดที่ ๒ มีทั้งหมดกี่ข้อคะ", "หมวดสองมีกี่ข้อ", "หมวดอาหารมีกี่ข้อ"])
def test_a_section_named_or_numbered(chat, published, asked):
    chat("Unamed").say(asked).expect(SECTION_2).expect_not("ไม่พบหมวด", "ขยับกายทุกวัย")


@pytest.mark.parametrize("asked", ["ธรรมนูญมีกี่หมวด", "ธรรมนูญสุขภาพมีทั้งหมดกี่ข้อคะ", "มีกี่หมวด"])
def test_the_charters_sections_and_clauses(chat, published, asked):
    u = chat("Uall")
    u.say(asked).expect(CHARTER_COUNT, "• หมวด 1 ขยับกายทุกวัย: 2 ข้อ (ข้อ 1–2)", "• หมวด 2 อาหารปลอดภัย: 3 ข้อ (ข้อ 3–5)")
    assert u.quick_labels()[:2] == ["หมวด 1", "หมวด 2"]
    u.tap("หมวด 1").expect("ทุกชุมชนมีกลุ่มออกกำลังกาย").expect_not("ร้านอาหารในชุมชน")


def test_a_section_not_known_is_asked_for_with_the_counts(chat, published):
    u = chat("Uunknown")
    u.say("หมวดนี้มีกี่ข้อ").expect("หมวดไหนคะ", CHARTER_COUNT, "• หมวด 2 อาหารปลอดภัย: 3 ข้อ")
    u.say("หมวด 7 มีกี่ข้อ").expect("ไม่พบหมวด 7 ค่ะ", CHARTER_COUNT)
    u.say("หมวดดาวอังคารมีกี่ข้อ").expect("ไม่พบหมวด “ดาวอังคาร” ค่ะ", CHARTER_COUNT)


def test_this_section_typed_with_another_question_shows_it(chat, published):
    """"หมวดนี้มีข้ออะไรบ้าง" showed the charter's home page."""
    u = chat("Uwhat")
    u.say("หมวด 1").say("หมวดนี้มีข้ออะไรบ้าง").expect("หมวด 1 ขยับกายทุกวัย: 2 ข้อ", "ทุกชุมชนมีกลุ่มออกกำลังกาย")
    u.expect_not("ร้านอาหารในชุมชน", "ธรรมนูญสุขภาพเขตลาดพร้าว")
