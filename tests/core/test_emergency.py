"""Emergencies told in chat get the number to call at once, wherever the chat is (signed webhooks)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nlp.emergency import MEDICAL, SELF_HARM, emergency_kind
from storage.models import Conversation

EMERGENCIES = [
    "แม่หายใจไม่ออก ช่วยด้วยค่ะ",
    "ฉุกเฉินค่ะ คนเป็นลมหมดสติ",
    "พ่อล้มในห้องน้ำ หัวแตก ทำไงดีคะ",
    "เจ็บหน้าอกมากค่ะ",
    "ยายเรียกไม่รู้สึกตัวเลยค่ะ",
    "หลานชักเกร็ง ตาค้าง ทำยังไงดี",
    "ตาปากเบี้ยว แขนขาอ่อนแรงข้างหนึ่ง",
    "โดนมีดบาด เลือดไหลไม่หยุดเลยค่ะ",
    "ลุงข้างบ้านโดนรถชนค่ะ",
    "แน่นหน้าอก หายใจลำบาก",
    "ขอรถพยาบาลด่วนค่ะ",
    "หายใจ ไม่ ออก",
    "แม่หายใจไม่ค่อยออกค่ะ",
    "ยายหายใจไม่ค่อยได้เลย",
    "ปวดหัวมากค่ะ เวียนหัว อาเจียน",
    "อาเจียนหลายรอบ ปวดหัวอย่างแรง",
]
SELF_HARM_SAID = ["ไม่อยากมีชีวิตอยู่แล้วค่ะ", "คิดจะฆ่าตัวตาย", "อยากตายค่ะ เหนื่อยมาก", "อยากทำร้ายตัวเอง",
                  "ไม่อยากอยู่แล้ว เหนื่อยมาก", "เหนื่อยมาก ไม่อยากอยู่แล้วค่ะ", "ไม่อยากอยู่ต่อไปแล้ว",
                  "ไม่อยากอยู่แล้ว ลูกไม่เคยกลับบ้าน"]
NOT_EMERGENCIES = [
    "ตรวจความดันฟรี", "ออกกำลังกายหายใจ", "ฝึกหายใจคลายเครียดมีไหมคะ", "มีอบรมปฐมพยาบาลคนหมดสติไหมคะ",
    "คัดกรองโรคหลอดเลือดสมองวันไหน", "ชักชวนเพื่อนมาออกกำลังกาย", "ชักจะหิวแล้วค่ะ", "แน่นอนค่ะ", "วันนี้ลมแรงมาก",
    "เป็นลมพิษค่ะ", "เสนอโครงการรถพยาบาลฉุกเฉินประจำชุมชน", "ข้อ 3 ควรมีจุดปฐมพยาบาลในชุมชน",
    "ช่วยด้วยค่ะ ใช้ไม่เป็น", "หายใจโล่งขึ้นเยอะเลยค่ะ", "สอนว่ายน้ำป้องกันเด็กจมน้ำ", "กิจกรรมเต้นแอโรบิกวันเสาร์",
    "ลูกชักว่าวที่สนาม", "อกหักค่ะ", "สมัครรำไม้พลองค่ะ", "ธรรมนูญสุขภาพ",
    # beside the phrasings added for QA: a place one no longer wants to live in, a headache alone, a stuffy nose
    "ไม่อยากอยู่บ้านแล้ว เบื่อ", "ไม่อยากอยู่แล้วค่ะ ย้ายไปอยู่กับลูก", "ไม่อยากอยู่ที่นี่แล้ว", "ไม่อยากอยู่คนเดียว",
    "ไม่อยากอยู่ชุมชนนี้แล้ว", "ปวดหัวมากค่ะ", "ปวดหัว เวียนหัว", "ปวดหัวนิดหน่อย อาเจียนเมื่อวาน",
    "หายใจไม่ค่อยสะดวก จมูกตัน", "ไม่ค่อยอยากไปแล้วค่ะ",
]
TOLD_AS_OVER = [
    "เมื่อวานแม่เจ็บหน้าอก ตอนนี้หายแล้ว", "ปีที่แล้วพ่อล้มหัวแตก", "แม่เป็นลมเมื่อเช้า ตอนนี้ดีขึ้นแล้วค่ะ",
    "3 เดือนก่อนยายหกล้มในห้องน้ำ", "พ่อเส้นเลือดในสมองตีบเมื่อปี 65 หายดีแล้วค่ะ",
    "ลุงโดนรถชนเมื่อเดือนที่แล้ว ออกจากโรงพยาบาลแล้ว", "ตอนเด็กๆ เคยจมน้ำค่ะ", "หลานชักเกร็งเมื่อคืน ตอนนี้ไม่เป็นไรแล้ว",
]
"""Past or over, nothing happening now: no emergency answer."""
STILL_NOW = [
    "เมื่อวานแม่เจ็บหน้าอก", "เมื่อคืนพ่อหายใจไม่ออก", "เมื่อวานเจ็บหน้าอก วันนี้ยังเจ็บอยู่",
    "ปีที่แล้วพ่อล้มหัวแตก ตอนนี้ล้มอีกแล้ว", "เมื่อวานเจ็บหน้าอก ตอนนี้หายใจไม่ออก", "เจ็บหน้าอก ตอนนี้ยังไม่หาย",
    "ปีที่แล้วแม่เป็นลม ช่วยด้วยค่ะ", "หายแล้วค่ะ แต่ตอนนี้พ่อหายใจไม่ออก", "เมื่อวานเจ็บหน้าอก หายแล้ว แต่เมื่อกี้เจ็บอีก",
    "กินยาแล้วอาการไม่ดีขึ้นเลย แน่นหน้าอก", "เดือนที่แล้วเพิ่งออกจากโรงพยาบาล วันนี้ปากเบี้ยวค่ะ",
]
"""A past or a recovery told beside what may be happening now (or a call for help): the numbers are given."""
CALL_NOW = "โทร 1669 (สายด่วนการแพทย์ฉุกเฉิน)"


@pytest.mark.parametrize("text", EMERGENCIES)
def test_emergencies_are_read_as_such(text):
    assert emergency_kind(text) == MEDICAL


@pytest.mark.parametrize("text", TOLD_AS_OVER)
def test_an_emergency_told_as_over_or_long_past_is_not_one(text):
    """"ปีที่แล้วพ่อล้มหัวแตก" was answered "โทร 1669 ตอนนี้เลยค่ะ"."""
    assert emergency_kind(text) is None


@pytest.mark.parametrize("text", STILL_NOW)
def test_the_past_beside_what_may_be_happening_now_is_still_an_emergency(text):
    assert emergency_kind(text) == MEDICAL


def test_self_harm_told_as_past_still_gets_the_mental_health_line():
    assert emergency_kind("ปีที่แล้วเคยคิดจะฆ่าตัวตาย ตอนนี้ดีขึ้นแล้วค่ะ") == SELF_HARM


@pytest.mark.parametrize("text", SELF_HARM_SAID)
def test_self_harm_is_read_as_such(text):
    assert emergency_kind(text) == SELF_HARM


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_talk_about_health_is_not_an_emergency(text):
    assert emergency_kind(text) is None


@pytest.mark.parametrize("text", EMERGENCIES[:4])
def test_an_emergency_gets_1669_at_once_and_a_person_offered(chat, text):
    u = chat("Uemergency1")
    u.say(text).expect(CALL_NOW).expect_not("ยังไม่แน่ใจ", "ยังช่วยไม่ได้")
    assert "💬 ติดต่อเจ้าหน้าที่" in u.quick_labels()
    u.tap("ติดต่อเจ้าหน้าที่").expect("เจ้าหน้าที่")


def test_self_harm_gets_the_mental_health_line(chat):
    chat("Uemergency2").say("ไม่อยากมีชีวิตอยู่แล้วค่ะ").expect("1323", "สายด่วนสุขภาพจิต", "1669")


def test_an_emergency_mid_journey_is_not_its_answer_and_the_journey_waits(chat, harness):
    c = chat("Uemergency3", community="ชุมชนโชคชัย 4")
    c.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").tap("ชุมชนโชคชัย 4").tap("ผู้สูงอายุ")
    c.expect("ปัญหาอะไร")
    with harness.db.session(readonly=True) as s:
        before = s.scalar(select(Conversation.step).where(Conversation.line_user_id == "Uemergency3"))
    c.say("แม่หายใจไม่ออก ช่วยด้วยค่ะ").expect(CALL_NOW).expect_not("อยากทำอะไร")
    with harness.db.session(readonly=True) as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == "Uemergency3"))
        kept = (conv.flow, conv.step)
    assert kept[0] is not None and kept[1] == before  # the journey waits at the same question, unanswered
    c.tap("กลับไปทำต่อ").expect("ปัญหาอะไร")


def test_an_emergency_at_the_consent_step_and_after_declining(chat):
    u = chat("Uemergency4", consent=False)
    u.follow().expect("PDPA")
    u.say("ฉุกเฉินค่ะ คนเป็นลมหมดสติ").expect(CALL_NOW).expect_not("กรุณาเลือก")
    u.tap("กลับไปทำต่อ").expect("PDPA")
    u.tap("ไม่ยินยอม").expect("ไม่เป็นไร")
    u.say("เจ็บหน้าอกมากค่ะ").expect(CALL_NOW)


def test_an_emergency_in_a_group_is_answered_even_unaddressed(chat):
    member = chat("Uemergency5", group_id="Cemergency")
    member.say("พ่อล้มในห้องน้ำ หัวแตก ทำไงดีคะ").expect(CALL_NOW).expect_not("ติดต่อเจ้าหน้าที่")
    member.say("@ร่วมกัน แม่หายใจไม่ออก").expect(CALL_NOW)
    member.say("พรุ่งนี้ใครไปตรวจความดันบ้าง").expect_quiet()


def test_a_past_emergency_told_in_chat_gets_no_emergency_answer(chat):
    u = chat("Uemergency6")
    u.say("เมื่อวานแม่เจ็บหน้าอก ตอนนี้หายแล้ว").expect_not(CALL_NOW)
    u.say("เมื่อวานแม่เจ็บหน้าอก ตอนนี้เจ็บอีกแล้ว").expect(CALL_NOW)
    member = chat("Uemergency7", group_id="Cemergency2")
    member.say("ปีที่แล้วพ่อล้มหัวแตก เย็บไปห้าเข็ม").expect_quiet()  # chatter in a group: not even addressed
    member.say("ปีที่แล้วพ่อล้มหัวแตก ตอนนี้ล้มอีกแล้ว").expect(CALL_NOW)


# --- safety advice written by staff and leaders for others is delivered, not answered with 1669 -----------

STAFF_ID, LEADER_ID, RESIDENT_ID = "U" + "5" * 32, "U" + "6" * 32, "U" + "7" * 32


def test_staff_answering_a_resident_with_safety_advice_sends_it(chat, harness):
    """QA: staff's answer "ถ้าแม่หายใจไม่ออก… รีบโทร 1669 เลยนะคะ" got "🚑 โทร 1669 …" and never reached คุณนก."""
    staff = chat(STAFF_ID, role="staff")
    resident = chat(RESIDENT_ID, name="นก", community="ชุมชนโชคชัย 4")
    resident.say("อยากคุยกับเจ้าหน้าที่ค่ะ").say("แม่เป็นหอบหืด ช่วงนี้ฝุ่นเยอะ ต้องระวังอะไรบ้างคะ")
    harness.run_outbox()
    staff.refresh().tap("ตอบกลับ").expect("พิมพ์คำตอบถึงคุณนก")
    staff.say("ถ้าแม่หายใจไม่ออกหรือแน่นหน้าอก รีบโทร 1669 เลยนะคะ").expect("ส่งคำตอบถึงคุณนกแล้วค่ะ")
    staff.expect_not(CALL_NOW)
    harness.run_outbox()
    resident.refresh().expect("คำตอบจากเจ้าหน้าที่", "รีบโทร 1669 เลยนะคะ")
    resident.tap("ตอบกลับเจ้าหน้าที่").say("แล้วถ้าแม่ไอบ่อยๆ ตอนกลางคืนล่ะคะ")
    harness.run_outbox()
    staff.refresh().tap("ตอบกลับ").say("แม่แน่นหน้าอกตอนกลางคืนด้วยไหมคะ ถ้ามี ควรให้หมอตรวจนะคะ")
    staff.expect("ส่งคำตอบถึงคุณนก").expect_not(CALL_NOW)  # no advice words: delivered as staff's answer


def test_staff_announcing_safety_advice_goes_on_to_the_announcement(chat):
    staff = chat(STAFF_ID, role="staff")
    staff.say("ประกาศถึงทุกคนว่า ช่วงฝุ่น PM2.5 สูง ถ้ามีอาการหายใจไม่ออก เจ็บหน้าอก ให้โทร 1669 ทันที").expect(
        "ร่างจากข้อความที่พิมพ์ถึงทุกคน", "ให้โทร 1669 ทันที").expect_not(CALL_NOW)


def test_staff_editing_an_activity_with_a_health_warning_edits_it(chat, harness):
    from datetime import timedelta

    from bot.thaidate import now_utc
    from storage.models import Activity
    from tests.worker.helpers import make_activity

    with harness.db.session() as s:
        activity_id = make_activity(s, now_utc() + timedelta(days=3), title="แอโรบิกลานวัด").id
    staff = chat(STAFF_ID, role="staff")
    staff.say(f"แก้กิจกรรม {activity_id} | รายละเอียด ผู้ที่มีอาการเจ็บหน้าอกหรือหายใจลำบากห้ามเล่น")
    staff.expect("ยืนยันไหมคะ").expect_not(CALL_NOW)
    staff.tap("ยืนยัน").expect("แก้ไขกิจกรรมแล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        assert "ห้ามเล่น" in (s.get(Activity, activity_id).description or "")


def test_a_leader_asking_for_an_announcement_of_safety_advice_gets_it_to_staff(chat):
    chat(STAFF_ID, role="staff")
    leader = chat(LEADER_ID, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("อยากแจ้งลูกบ้านหน่อยค่ะ").expect("พิมพ์ข้อความที่อยากประกาศถึงลูกบ้าน")
    leader.say("ใครมีอาการหายใจไม่ออก ให้รีบโทร 1669 นะคะ").expect("ช่วยประกาศถึงชุมชนโชคชัย 4").expect_not(CALL_NOW)
    leader.tap("ส่งให้เจ้าหน้าที่").expect("ส่งคำขอประกาศถึงเจ้าหน้าที่แล้วค่ะ")


def test_an_emergency_told_by_staff_or_while_writing_to_staff_still_gets_1669(chat):
    chat(STAFF_ID, role="staff").say("แม่หายใจไม่ออก ช่วยด้วยค่ะ").expect(CALL_NOW)
    resident = chat(RESIDENT_ID, community="ชุมชนโชคชัย 4")
    resident.say("ติดต่อเจ้าหน้าที่").expect("พิมพ์ข้อความถึงเจ้าหน้าที่")
    resident.say("แม่หายใจไม่ออกค่ะ").expect(CALL_NOW)
    leader = chat(LEADER_ID, role="leader", community="ชุมชนโชคชัย 4")
    leader.say("เสนอโครงการ").say("พ่อเจ็บหน้าอกมากค่ะ").expect(CALL_NOW)



def test_staff_in_a_journey_of_their_own_still_get_1669(chat, harness):
    """QA: staff mid-way in their own sign-up ("ขอเป็นจำนวนคน 1–10 คน") or writing to staff got no 1669: every staff
    step was taken as writing for others. Only steps that compose what others read are."""
    from datetime import timedelta

    from bot.thaidate import now_utc
    from tests.worker.helpers import make_activity

    with harness.db.session() as s:
        make_activity(s, now_utc() + timedelta(days=3), title="รำไม้พลองลานวัด")
    staff = chat(STAFF_ID, role="staff", community="ชุมชนโชคชัย 4")
    staff.say("อยากไปรำไม้พลองค่ะ").expect("รำไม้พลองลานวัด")
    staff.say("แม่หายใจไม่ออก").expect(CALL_NOW)
    staff.say("เมนู")
    staff.say("ติดต่อเจ้าหน้าที่").say("พ่อหมดสติ ไม่หายใจ").expect(CALL_NOW).expect_not("ส่งข้อความถึงเจ้าหน้าที่แล้ว")

ADVICE = [
    "ถ้าแม่หายใจไม่ออกหรือแน่นหน้าอก รีบโทร 1669 เลยนะคะ",
    "ช่วงฝุ่น PM2.5 สูง ถ้ามีอาการหายใจไม่ออก เจ็บหน้าอก ให้โทร 1669 ทันที",
    "ใครมีอาการหายใจไม่ออก ให้รีบโทร ๑๖๖๙ นะคะ",
    "ผู้ที่มีอาการเจ็บหน้าอกหรือหายใจลำบากห้ามเล่น",
    "ท่านใดมีอาการแน่นหน้าอก ให้โทรแจ้ง 1669",
]
STILL_EMERGENCIES = [
    "แม่แน่นหน้าอก ต้องโทร 1669 ไหมคะ",  # asking whether to call is no advice
    "มีคนมีอาการหายใจไม่ออกที่ตลาดค่ะ",
    "คุณพ่อท่านมีอาการเจ็บหน้าอกค่ะ",
    "ถ้ามีอาการเจ็บหน้าอกต้องทำยังไงคะ",  # a resident's "what if": the number is the right answer
    "แม่หายใจไม่ออก ให้โทร 1669 ด่วน",
]


@pytest.mark.parametrize("text", ADVICE)
def test_advice_to_others_is_not_an_emergency_told(text):
    assert emergency_kind(text) is None


@pytest.mark.parametrize("text", STILL_EMERGENCIES)
def test_an_emergency_beside_the_number_or_a_symptom_word_is_still_one(text):
    assert emergency_kind(text) == MEDICAL


def test_advice_posted_in_a_group_is_left_alone(chat):
    member = chat("Uemergency6", role="leader", group_id="Cemergency2")
    member.say("ใครมีอาการหายใจไม่ออก ให้รีบโทร 1669 นะคะ").expect_quiet()
    member.say("แม่หายใจไม่ออก ช่วยด้วย").expect(CALL_NOW)


def test_breathing_hard_wanting_to_die_and_a_severe_headache_with_vomiting_said_plainly(chat):
    """QA: "แม่หายใจไม่ค่อยออกค่ะ", "ไม่อยากอยู่แล้ว เหนื่อยมาก", "ปวดหัวมากค่ะ เวียนหัว อาเจียน" got the menu."""
    u = chat("Uemergency7")
    u.say("แม่หายใจไม่ค่อยออกค่ะ").expect(CALL_NOW)
    u.say("ไม่อยากอยู่แล้ว เหนื่อยมาก").expect("1323", "สายด่วนสุขภาพจิต")
    u.say("ปวดหัวมากค่ะ เวียนหัว อาเจียน").expect(CALL_NOW)
    u.say("ไม่อยากอยู่บ้านแล้ว เบื่อ").expect_not("1323", CALL_NOW)
