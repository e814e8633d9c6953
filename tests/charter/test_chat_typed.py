"""Typed charter feedback that said more (or less) than it meant: a tester's sessions in the simulator."""

from __future__ import annotations

import pytest

from bot.services import charter as svc
from tests.charter.test_chat import stances

LONG = "อยากให้มีกลุ่มออกกำลังกายตอนเย็นสำหรับคนทำงาน และมีครูฝึกจากศูนย์สาธารณสุขมาช่วยทุกเดือน"


def test_a_typed_change_of_stance_is_no_comment(chat, harness, published):
    """"คิดไปคิดมา ข้อ 1 ขอเปลี่ยนเป็นไม่เห็นด้วยนะคะ" replaced the long comment with “คิดไปคิดมา ขอเปลี่ยนเป็น”,
    which reached the staff's results; the long comment, the agreement's reason, goes with it (and is said so)."""
    u = chat("Urethink")
    u.say("ข้อ 1").tap("เห็นด้วย").say(LONG).expect("ความเห็นเพิ่มเติม")
    u.say("คิดไปคิดมา ข้อ 1 ขอเปลี่ยนเป็นไม่เห็นด้วยนะคะ")
    u.expect("คุณเลือก “ไม่เห็นด้วย” กับข้อ 1 ค่ะ บันทึกแล้ว", f"ความคิดเห็นเดิม “{LONG}” เป็นเหตุผลของคำตอบเดิม")
    u.expect_not("คิดไปคิดมา", "ขอเปลี่ยนเป็น”")
    assert stances(harness.db) == [("Urethink", 1, "disagree", None)]
    u.say("ส่งเลย").expect("ลบความคิดเห็นเดิม").expect_not("ความเห็นเพิ่มเติม: “ส่งเลย”")
    assert stances(harness.db) == [("Urethink", 1, "disagree", None)]
    chat("Ustaff", role="staff").say("ผลธรรมนูญ").expect_not("คิดไปคิดมา", LONG)


@pytest.mark.parametrize(("said", "meant"), [
    ("คิดไปคิดมา ข้อ 11 ขอเปลี่ยนเป็นไม่เห็นด้วยนะคะ", ("disagree", None)),
    ("เอ่อ เปลี่ยนใจค่ะ ขอเป็นไม่แน่ใจดีกว่า…", ("unsure", None)),
    ("คิดไปคิดมา ข้อ 1 ขอเปลี่ยนเป็นไม่เห็นด้วย เพราะงบไม่พอ", ("disagree", "งบไม่พอ")),
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


@pytest.mark.parametrize("asked", ["ข้อ 3 คนอื่นเห็นด้วยกี่คนคะ", "ข้อ 3 มีคนไม่เห็นด้วยเยอะไหม",
                                   "ข้อ 3 เห็นด้วยไหมคะ ถามเฉยๆ"])
def test_a_question_about_a_clause_shows_its_tally_and_records_nothing(chat, harness, published, asked):
    """They were recorded: “ข้อ 11: 👍 เห็นด้วย / ความเห็น: “คนอื่น กี่คน”” with ส่งเลย offered."""
    chat("Uvoter").say("ข้อ 3").tap("เห็นด้วย").tap("ข้าม")
    u = chat("Uasker")
    u.say(asked).expect("ร้านอาหารในชุมชนร่วมกันลดหวาน มัน เค็ม", "ความเห็นตอนนี้: เห็นด้วย 1 · ไม่เห็นด้วย 0")
    u.expect_not("ตรวจอีกครั้ง", "ส่งความเห็นนี้เลยไหมคะ", "กี่คน”", "เยอะไหม”")
    assert stances(harness.db, "Uasker") == []
    u.say("คนอื่นเค้าว่ายังไงบ้างคะข้อนี้").expect("ข้อ 3", "ความเห็นตอนนี้: เห็นด้วย 1 · ไม่เห็นด้วย 0")
    assert stances(harness.db, "Uasker") == []


def test_not_meant_at_the_confirmation_sends_nothing(chat, harness, published):
    """"ไม่ใช่ค่ะ ถามเฉยๆ" at “ส่งความเห็นนี้เลยไหมคะ” was not understood (the confirmation again)."""
    u = chat("Unotmeant")
    u.say("ข้อ 5 ควรเพิ่มน้ำดื่มสะอาดฟรีในโรงเรียน").tap("เห็นด้วย").expect("ส่งความเห็นนี้เลยไหมคะ")
    u.say("ไม่ใช่ค่ะ ถามเฉยๆ").expect("ไม่ส่งค่ะ ยังไม่ได้บันทึกความเห็นนี้นะคะ").expect_not("ส่งความเห็นนี้เลยไหมคะ")
    assert stances(harness.db, "Unotmeant") == []


def test_residents_asking_for_the_results_get_each_clause_tally_without_comments(chat, harness, published):
    """"ผลโหวตธรรมนูญเป็นยังไงบ้าง" showed the charter's home page, with no results."""
    chat("Uv1").say("ข้อ 3").tap("ไม่เห็นด้วย").say("ร้านค้าจะขายไม่ได้")
    chat("Uv2").say("ข้อ 3").tap("เห็นด้วย").tap("ข้าม")
    u = chat("Uresident")
    u.say("ผลโหวตธรรมนูญเป็นยังไงบ้าง")
    u.expect("ความเห็นต่อธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ) ตอนนี้", "ข้อ 3: เห็นด้วย 1 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 0",
             "ยังไม่มีความเห็น: ข้อ 1–2, 4–5").expect_not("ร้านค้าจะขายไม่ได้", "Uv1", "อ่านหมวดนี้")
    u.tap("ข้อ 3").expect("ร้านอาหารในชุมชนร่วมกันลดหวาน มัน เค็ม")
    chat("Ustaff", role="staff").say("ผลโหวตธรรมนูญเป็นยังไงบ้าง").expect("ผลความเห็นธรรมนูญ", "ร้านค้าจะขายไม่ได้")


@pytest.mark.parametrize("said", ["ข้อ 2 เห็นด้วยค่ะ แต่ข้อ 3 ไม่เห็นด้วย", "เห็นด้วยข้อ 2 ไม่เห็นด้วยข้อ 3"])
def test_each_clause_gets_its_own_stance_after_one_confirmation(chat, harness, published, said):
    """"ข้อ 2 เห็นด้วยค่ะ แต่ข้อ 3 ไม่เห็นด้วย" gave clause 2 "ไม่เห็นด้วย" with the comment “เห็นด้วยค่ะ แต่ข้อ 3”
    and clause 3 nothing (and main then refused two stances in one message)."""
    u = chat("Ueach")
    u.say("ข้อ 3").tap("เห็นด้วย").say("อยากให้มีเมนูสุขภาพ")
    u.say(said).expect("ขอทวนก่อนบันทึกนะคะ", "👍 เห็นด้วย กับข้อ 2", "👎 ไม่เห็นด้วย กับข้อ 3", "บันทึกเลยไหมคะ")
    u.expect_not("ความเห็น: “", "ทีละแบบ")
    assert stances(harness.db, "Ueach") == [("Ueach", 3, "agree", "อยากให้มีเมนูสุขภาพ")]
    u.tap("บันทึกเลย").expect("บันทึกความเห็นของคุณแล้ว", "👍 เห็นด้วย กับข้อ 2", "👎 ไม่เห็นด้วย กับข้อ 3",
                              "เปลี่ยนจากเดิม: ข้อ 3 (เห็นด้วย)", "ลบความคิดเห็นเดิมของข้อ 3 แล้ว")
    assert stances(harness.db, "Ueach") == [("Ueach", 2, "agree", None), ("Ueach", 3, "disagree", None)]


@pytest.mark.parametrize("asked", ["รับฟังความเห็นถึงวันไหนคะ", "ธรรมนูญปิดรับความเห็นเมื่อไหร่", "เปิดรับฟังความคิดเห็นถึงเมื่อไรคะ"])
def test_when_the_hearing_closes_is_the_rounds_dates(chat, harness, published, asked):
    """It showed the card of an activity named "เวทีรับฟังความเห็นธรรมนูญสุขภาพเขต 5 ธ.ค." (or the menu)."""
    from bot.thaidate import format_datetime, now_utc
    from tests.activities.factories import make_activity

    with harness.db.session() as s:
        make_activity(s, now_utc(), title="เวทีรับฟังความเห็นธรรมนูญสุขภาพเขต 5 ธ.ค.")
        closes = format_datetime(svc.get_round(s, published[1]).closes_at)
    u = chat("Uwhen")
    u.say(asked).expect(f"ตอนนี้เปิดรับฟังความคิดเห็นต่อธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ) (รอบรับฟังความคิดเห็นครั้งที่ 1) ถึง {closes} ค่ะ")
    u.expect_not("เวทีรับฟัง")


def test_when_no_round_is_open_the_next_rounds_dates(chat, harness, published):
    from datetime import timedelta

    from bot.thaidate import now_utc

    with harness.db.session() as s:
        hearing = svc.get_round(s, published[1])
        hearing.closes_at = now_utc() - timedelta(minutes=1)
        svc.create_round(s, svc.get_charter(s, published[0]), "รอบที่ 2", now_utc() + timedelta(days=3),
                         now_utc() + timedelta(days=10))
    chat("Unext").say("รับฟังความเห็นถึงวันไหนคะ").expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ", "รอบที่ 2 จะเปิด")


def test_a_stance_typed_at_the_confirmation_changes_it_and_the_chips_stay(chat, harness, published):
    """"เอ่อ เปลี่ยนใจค่ะ ขอเป็นไม่แน่ใจดีกว่า…" and "ไม่แน่ใจ" at the confirmation were answered “กด “ส่งเลย” “แก้ความเห็น”
    หรือ “ไม่ใส่ความเห็น” ได้เลยค่ะ”, the stance unchanged, and "เปลี่ยนคำตอบ" became "ย้อนกลับ"."""
    u = chat("Urestance")
    u.say("ข้อ 4 เห็นด้วย ควรแจกเมล็ดพันธุ์ฟรี").expect("ข้อ 4: 👍 เห็นด้วย", "ความเห็น: “ควรแจกเมล็ดพันธุ์ฟรี”")
    first = u.quick_labels()
    assert "เปลี่ยนคำตอบ" in first and "ย้อนกลับ" not in first
    u.say("เอ่อ เปลี่ยนใจค่ะ ขอเป็นไม่แน่ใจดีกว่า…")
    u.expect("จึงเปลี่ยนคำตอบให้แล้วค่ะ (เดิมเลือก “เห็นด้วย”)", "ข้อ 4: 🤔 ไม่แน่ใจ", "ความเห็น: “ควรแจกเมล็ดพันธุ์ฟรี”",
             "ส่งความเห็นนี้เลยไหมคะ").expect_not("กด “ส่งเลย”")
    assert u.quick_labels() == first
    u.say("อืม").expect("กด “ส่งเลย”")
    assert u.quick_labels() == first
    u.say("ไม่เห็นด้วย").expect("ข้อ 4: 👎 ไม่เห็นด้วย").expect_not("กด “ส่งเลย”")
    assert stances(harness.db, "Urestance") == []
    u.tap("ส่งเลย").expect("บันทึกความเห็นของคุณต่อข้อ 4 แล้ว: 👎 ไม่เห็นด้วย")
    assert stances(harness.db, "Urestance") == [("Urestance", 4, "disagree", "ควรแจกเมล็ดพันธุ์ฟรี")]


DEMO_LIKE = """\
district: ลาดพร้าว
title: ธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ)
version: 1
sections:
  - no: 1
    title: เด็กและเยาวชนห่างไกลบุหรี่
    clauses:
      - no: 1
        text: ร้านค้าในชุมชนไม่ขายบุหรี่ให้เด็กอายุต่ำกว่า 20 ปี
  - no: 2
    title: ลดเหล้า ห่างไกลยาเสพติด
    clauses:
      - no: 2
        text: งานบุญ งานศพ และงานประเพณีในชุมชน ร่วมกันเป็นงานปลอดเหล้า
  - no: 3
    title: อาหารปลอดภัย กินดีมีสุข
    clauses:
      - no: 3
        text: ร้านอาหารในชุมชนร่วมกันลดหวาน มัน เค็ม
"""


@pytest.mark.parametrize(("said", "shown"), [("หมวดเหล้า", "งานปลอดเหล้า"),
                                             ("ขออ่านธรรมนูน หมวดบุหรี่", "ไม่ขายบุหรี่ให้เด็ก"),
                                             ("ขอดูหมวดอาหารหน่อยค่ะ", "ลดหวาน มัน เค็ม")])
def test_a_section_named_by_a_word_of_its_title_opens(chat, harness, tmp_path, said, shown):
    """"หมวดเหล้า" showed the menu and "ขออ่านธรรมนูน หมวดบุหรี่" the charter's home page."""
    from bot.thaidate import now_utc
    from tests.charter.helpers import write

    with harness.db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "c.yaml", DEMO_LIKE), now=now_utc())
        svc.publish(s, c, now=now_utc())
    u = chat("Usection")
    u.say(said).expect(shown).expect_not("อ่านหมวดนี้")
    u.say("หมวดกีฬา").expect("ไม่พบหมวด “กีฬา” ค่ะ", "อ่านหมวดนี้")


def test_the_comment_prompt_asked_again_keeps_its_chips(chat, published):
    u = chat("Uchips")
    u.say("ข้อ 5").tap("เห็นด้วย").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    first = u.quick_labels()
    assert first == ["เปลี่ยนคำตอบ", "ข้าม", "ยกเลิก"]
    u.send("sticker").expect("ขอเป็นข้อความพิมพ์นะคะ")
    assert u.quick_labels() == first
