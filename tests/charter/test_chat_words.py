"""Charter feedback typed freely (a QA walk-through): extra words are no comment staff read."""

from __future__ import annotations

import pytest

from tests.charter.test_chat import flow_of, stances


def test_connective_words_left_after_the_clauses_are_no_comment(chat, harness, published):
    """"เห็นด้วยข้อ ๑ ๒ แล้วก็ข้อ 4 ค่ะ" was confirmed with “ความเห็นเพิ่มเติม (ใส่ไว้ทุกข้อ): “แล้วก็””."""
    u = chat("Uand")
    u.say("เห็นด้วยข้อ ๑ ๒ แล้วก็ข้อ 4 ค่ะ").expect("👍 เห็นด้วย กับข้อ 1, 2 และ 4").expect_not("ความเห็นเพิ่มเติม")
    u.tap("บันทึกเลย")
    assert stances(harness.db) == [("Uand", 1, "agree", None), ("Uand", 2, "agree", None), ("Uand", 4, "agree", None)]


@pytest.mark.parametrize(("said", "meant"), [
    ("ข้อ 5 ด้วยค่ะ เห็นด้วยเหมือนกัน", ("agree", None)),
    ("ข้อ6 โอเคค่ะ", ("agree", None)),
    ("ข้อ 2 ไม่โอเคค่ะ", ("disagree", None)),
    ("ข้อ 3 โอเคค่ะ แต่ควรมีงบ", ("agree", "แต่ควรมีงบ")),
    ("ข้อ 2 เห็นด้วยทั้งหมดเลยครับ", ("agree", None)),
    ("ข้อ 2 เห็นด้วยหมดเลยค่ะ", ("agree", None)),
    ("ข้อ 3 ไม่เห็นด้วยหมดค่ะ", ("disagree", None)),
    ("ข้อ 3 เห็นด้วยค่ะ แต่งบหมดแล้ว", ("agree", "แต่งบหมดแล้ว")),
])
def test_polite_and_connective_words_are_no_comment(said, meant):
    from bot.handlers.charter import split_feedback

    assert split_feedback(said) == meant


def test_a_stance_on_another_clause_at_the_comment_prompt_is_that_stance(chat, harness, published):
    """At ข้อ 4's comment prompt, "ข้อ 5 ด้วยค่ะ เห็นด้วยเหมือนกัน" was saved as ข้อ 4's comment and ข้อ 5 not recorded."""
    u = chat("Utoo")
    u.say("ข้อ 4").tap("เห็นด้วย").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    u.say("ข้อ 5 ด้วยค่ะ เห็นด้วยเหมือนกัน").expect("บันทึกความเห็น “เห็นด้วย” ต่อข้อ 4 แล้วค่ะ",
                                                "คุณเลือก “เห็นด้วย” กับข้อ 5 ค่ะ บันทึกแล้ว").expect_not("ความเห็นเพิ่มเติม")
    assert stances(harness.db) == [("Utoo", 4, "agree", None), ("Utoo", 5, "agree", None)]
    u.say("ข้อ 2 ด้วย").expect("คุณเลือก “เห็นด้วย” กับข้อ 2 ค่ะ บันทึกแล้ว")  # "ด้วย": the same stance, too
    u.say("ข้อ 1 ไม่โอเคค่ะ").expect("คุณเลือก “ไม่เห็นด้วย” กับข้อ 1 ค่ะ บันทึกแล้ว")
    u.say("ข้อ 3, 4 โอเคค่ะ").expect("ขอทวนก่อนบันทึกนะคะ", "👍 เห็นด้วย กับข้อ 3 และ 4").tap("บันทึกเลย")
    assert stances(harness.db) == [("Utoo", 1, "disagree", None), ("Utoo", 2, "agree", None), ("Utoo", 3, "agree", None),
                                   ("Utoo", 4, "agree", None), ("Utoo", 5, "agree", None)]
    # A comment that only mentions another clause is still a comment.
    u.say("ข้อ 4").tap("ไม่แน่ใจ").say("ควรทำคู่กับข้อ 5").expect("ความเห็นเพิ่มเติม: “ควรทำคู่กับข้อ 5”")
    assert stances(harness.db, "Utoo")[3] == ("Utoo", 4, "unsure", "ควรทำคู่กับข้อ 5")
    u.say("ข้อ 3").tap("เห็นด้วย").say("เห็นด้วยเหมือนข้อ 5 ค่ะ งบน้อย").expect("ความเห็นเพิ่มเติม: “เห็นด้วยเหมือนข้อ 5 ค่ะ งบน้อย”")


def test_ok_said_of_a_clause_is_agreement(chat, harness, published):
    """"ข้อ6 โอเคค่ะ" was the comment “โอเค”, and the stance was asked."""
    u = chat("Uok")
    u.say("ข้อ2 โอเคค่ะ").expect("คุณเลือก “เห็นด้วย” กับข้อ 2 ค่ะ บันทึกแล้ว").expect_not("“โอเค”", "คุณเห็นด้วยกับข้อ 2 ไหมคะ")
    assert stances(harness.db) == [("Uok", 2, "agree", None)]


@pytest.mark.parametrize("said", ["ผลหมวด 2", "ผลความเห็นหมวด 2"])
def test_staff_asking_for_a_sections_results_get_them_also_at_the_comment_prompt(chat, harness, published, said):
    """Staff typing "ผลหมวด 3" while a clause was open got it saved as that clause's comment."""
    chat("Uv").say("ข้อ 4").tap("ไม่เห็นด้วย").say("ไม่มีที่ปลูกผัก")
    s = chat("Ustaff", role="staff")
    s.say("ข้อ 3").tap("เห็นด้วย").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    s.say(said).expect("บันทึกความเห็น “เห็นด้วย” ต่อข้อ 3 แล้วค่ะ", "📊 ผลความเห็นหมวด 2 อาหารปลอดภัย",
                       "ข้อ 3: เห็นด้วย 1 · ไม่เห็นด้วย 0", "ข้อ 4: เห็นด้วย 0 · ไม่เห็นด้วย 1",
                       "ข้อ 4 (ไม่เห็นด้วย): ไม่มีที่ปลูกผัก").expect_not("ความเห็นที่พิมพ์มา", "ข้อ 1:", "ผลหมวด 2”")
    assert ("Ustaff", 3, "agree", None) in stances(harness.db)
    assert flow_of(harness.db, "Ustaff") is None
    s.say("ผลหมวด 9").expect("ไม่พบหมวด 9 ค่ะ ธรรมนูญฉบับนี้มีหมวด 1–2")
    chat("Uresident").say(said).expect("ร้านอาหารในชุมชนร่วมกันลดหวาน มัน เค็ม", "ความเห็นตอนนี้").expect_not("ไม่มีที่ปลูกผัก")


def test_a_command_typed_at_the_comment_prompt_is_the_command(chat, harness, published):
    u = chat("Ucmd")
    u.say("ข้อ 1").tap("เห็นด้วย").say("ดูความเห็นของฉัน").expect("ความเห็นของคุณในรอบรับฟังความคิดเห็นครั้งที่ 1",
                                                              "• ข้อ 1: 👍 เห็นด้วย").expect_not("ความเห็นเพิ่มเติม")
    assert stances(harness.db) == [("Ucmd", 1, "agree", None)]


@pytest.mark.parametrize("said", ["เห็นด้วยทุกข้อในหมวด 2 ค่ะ", "หมวด 2 เห็นด้วยทุกข้อ", "เห็นด้วยทั้งหมวด 2"])
def test_a_stance_on_every_clause_of_a_section_after_one_confirmation(chat, harness, published, said):
    """It was the generic “อยากให้ความเห็นข้อไหนคะ…”."""
    u = chat("Usec")
    u.say("ข้อ 4").tap("ไม่เห็นด้วย").tap("ข้าม")
    u.say(said).expect("ขอทวนก่อนบันทึกนะคะ", "👍 เห็นด้วย กับข้อ 3, 4 และ 5 (ทุกข้อในหมวด 2 · 3 ข้อ)", "บันทึกเลยไหมคะ")
    u.expect_not("อยากให้ความเห็นข้อไหนคะ", "ความเห็นเพิ่มเติม")
    assert stances(harness.db) == [("Usec", 4, "disagree", None)]
    u.tap("บันทึกเลย").expect("บันทึกความเห็นของคุณแล้ว: 👍 เห็นด้วย กับข้อ 3, 4 และ 5", "เปลี่ยนจากเดิม: ข้อ 4 (ไม่เห็นด้วย)")
    assert stances(harness.db) == [("Usec", n, "agree", None) for n in (3, 4, 5)]  # one stance per clause


def test_a_stance_on_every_clause_of_the_charter(chat, harness, published):
    u = chat("Uall")
    u.say("เห็นด้วยทุกข้อเลยค่ะ").expect("👍 เห็นด้วย กับข้อ 1, 2, 3, 4 และ 5 (ทุกข้อในธรรมนูญ · 5 ข้อ)")
    u.expect_not("อยากให้ความเห็นข้อไหนคะ", "ความเห็นเพิ่มเติม")
    u.tap("บันทึกเลย")
    assert stances(harness.db) == [("Uall", n, "agree", None) for n in range(1, 6)]
    u.say("ไม่แน่ใจทุกข้อในหมวด 9").expect("ไม่พบหมวด 9 ค่ะ")
    u.say("ข้อ 1").tap("ไม่แน่ใจ").say("เห็นด้วยทุกข้อในหมวด 1 ค่ะ").expect("บันทึกความเห็น “ไม่แน่ใจ” ต่อข้อ 1 แล้วค่ะ",
                                                                   "(ทุกข้อในหมวด 1 · 2 ข้อ)").tap("บันทึกเลย")
    assert stances(harness.db)[:2] == [("Uall", 1, "agree", None), ("Uall", 2, "agree", None)]


@pytest.mark.parametrize("said", ["เห็นด้วยหมดทุกข้อค่ะ", "เห็นด้วยทุกข้อหมดเลยค่ะ", "ทุกข้อเห็นด้วยหมดเลยค่ะ"])
def test_agreeing_with_everything_said_with_hmod_saves_no_comment(chat, harness, published, said):
    """QA: "เห็นด้วยหมดทุกข้อค่ะ" → "ใช่" saved the comment “หมด” on every clause (staff's "ผลหมวด" showed it)."""
    u = chat("Uhmod")
    u.say(said).expect("👍 เห็นด้วย กับข้อ 1, 2, 3, 4 และ 5 (ทุกข้อในธรรมนูญ · 5 ข้อ)").expect_not("ความเห็นเพิ่มเติม")
    u.say("ใช่").expect("บันทึกความเห็นของคุณแล้ว")
    assert stances(harness.db) == [("Uhmod", n, "agree", None) for n in range(1, 6)]


def test_a_resident_withdraws_their_stance_on_a_clause_after_a_confirmation(chat, harness, published):
    """"ขอลบความเห็นข้อ 1 ค่ะ" was feedback on ข้อ 1 with the comment “ขอลบความเห็น”."""
    chat("Uother").say("ข้อ 1").tap("เห็นด้วย").tap("ข้าม")
    u = chat("Uwithdraw")
    u.say("ข้อ 1").tap("ไม่เห็นด้วย").say("ไม่มีเวลาไปออกกำลังกาย")
    u.say("ขอลบความเห็นข้อ 1 ค่ะ").expect("ลบความเห็นของคุณต่อข้อ 1 ไหมคะ", "👎 ไม่เห็นด้วย · “ไม่มีเวลาไปออกกำลังกาย”")
    u.expect_not("ความเห็นที่พิมพ์มา", "ขอลบความเห็น”")
    u.tap("ไม่ลบ").expect("ไม่ลบค่ะ")
    assert stances(harness.db, "Uwithdraw") == [("Uwithdraw", 1, "disagree", "ไม่มีเวลาไปออกกำลังกาย")]
    u.say("ขอลบความเห็นข้อ ๑ ค่ะ").tap("ลบเลย").expect("ลบความเห็นของคุณต่อข้อ 1 แล้วค่ะ",
                                                    "ความเห็นตอนนี้ของข้อ 1: เห็นด้วย 1 · ไม่เห็นด้วย 0")
    assert stances(harness.db, "Uwithdraw") == []
    u.say("ถอนความเห็นข้อ 1").expect("คุณยังไม่ได้แสดงความเห็นต่อข้อ 1")
    # From "ความเห็นของฉันข้อ 2", and at a comment prompt.
    u.say("ข้อ 2").tap("ไม่แน่ใจ").say("ขอลบความเห็นข้อ 2 ค่ะ").expect("บันทึกความเห็น “ไม่แน่ใจ” ต่อข้อ 2 แล้วค่ะ",
                                                                "ลบความเห็นของคุณต่อข้อ 2 ไหมคะ")
    u.tap("ลบเลย")
    assert stances(harness.db, "Uwithdraw") == []
    u.say("ข้อ 3").tap("เห็นด้วย").tap("ข้าม")
    u.say("ความเห็นของฉันข้อ 3").tap("ลบความเห็นนี้").tap("ลบเลย").expect("ลบความเห็นของคุณต่อข้อ 3 แล้วค่ะ")
    assert stances(harness.db, "Uwithdraw") == []


def _suggested(text: str) -> list[str]:
    import re

    asked = next(line for line in text.splitlines() if "วันไหนคะ" in line or "อ่านวันไม่ออก" in line)
    return re.findall(r"“([^”]+)”", asked)


@pytest.mark.parametrize("round_open", [False, True])
def test_the_days_the_new_round_prompt_suggests_are_accepted(chat, harness, tmp_path, round_open):
    """It suggested “วันนี้” “1 ธ.ค.” and then refused both (a round was open until 8 ธ.ค.; and 1 ธ.ค. passes)."""
    from datetime import timedelta

    from bot.services import charter as svc
    from bot.thaidate import now_utc
    from tests.charter.helpers import SMALL_YAML, write

    with harness.db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "c.yaml", SMALL_YAML), now=now_utc())
        svc.publish(s, c, now=now_utc())
        if round_open:
            svc.create_round(s, c, "รอบแรก", now_utc() - timedelta(days=1), now_utc() + timedelta(days=7))
    staff = chat("Uround", role="staff")
    staff.say("เปิดรอบรับฟังความคิดเห็น").say("รอบทดลอง").expect("เปิดรับความคิดเห็นวันไหนคะ")
    suggested = _suggested(staff.text)
    assert len(suggested) >= 2 and ("วันนี้" in suggested) != round_open
    for day in suggested:
        staff.say(day).expect("ปิดรับวันไหนคะ").expect_not("วันเปิดต้อง", "ยังอยู่ในรอบ", "อ่านวันไม่ออก")
        staff.say("ย้อนกลับ").expect("เปิดรับความคิดเห็นวันไหนคะ")
    staff.say(suggested[0]).say("อะไรนะ").expect("อ่านวันไม่ออกค่ะ พิมพ์วันที่ปิดรับได้เลย")
    for day in _suggested(staff.text):
        staff.say(day).expect("ยืนยันไหมคะ").expect_not("วันปิดต้อง")
        staff.say("ย้อนกลับ").expect("ปิดรับวันไหนคะ")


def test_back_to_the_first_stance_brings_its_comment_back(chat, harness, published):
    """The comment dropped with a changed stance is the first stance's: chosen again in the same go, it returns."""
    u = chat("Uback")
    u.say("ข้อ 3").tap("เห็นด้วย").say("ลดเค็มช่วยผู้สูงอายุ")
    u.say("ข้อ 3").tap("ไม่เห็นด้วย").expect("ความคิดเห็นเดิม “ลดเค็มช่วยผู้สูงอายุ” เป็นเหตุผลของคำตอบเดิม")
    assert stances(harness.db) == [("Uback", 3, "disagree", None)]
    u.tap("เปลี่ยนคำตอบ").tap("เห็นด้วย").expect("ความคิดเห็นเดิม: “ลดเค็มช่วยผู้สูงอายุ”")
    assert stances(harness.db) == [("Uback", 3, "agree", "ลดเค็มช่วยผู้สูงอายุ")]
    u.tap("ข้าม").expect("ความคิดเห็นเดิมยังอยู่: “ลดเค็มช่วยผู้สูงอายุ”").expect_not("ลบความคิดเห็นเดิม")


def test_a_comment_is_kept_without_because_and_particles_before_it(chat, harness, published):
    """QA: charter comments were stored as "เพราะคนทำงานไม่มีเวลา" (staff's results read "ข้อ 3 (…): เพราะ…")."""
    u = chat("Ubecause")
    u.say("ไม่เห็นด้วยกับข้อ 3 เพราะคนทำงานไม่มีเวลา").expect("ความเห็น: “คนทำงานไม่มีเวลา”").tap("ส่งเลย")
    u.say("ข้อ 4").tap("ไม่แน่ใจ").say("เพราะว่างบน้อยไปค่ะ")
    assert stances(harness.db) == [("Ubecause", 3, "disagree", "คนทำงานไม่มีเวลา"), ("Ubecause", 4, "unsure", "งบน้อยไปค่ะ")]
