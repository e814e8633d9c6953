"""Charter feedback as dialogues through signed webhooks (see tests/support/chat.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.services import charter as svc
from bot.thaidate import BKK, format_date, now_utc
from storage.models import ClauseFeedback, ContactMessage, Conversation, User
from tests.charter.helpers import SMALL_YAML, make_user, write


def stances(db, line_id: str | None = None) -> list[tuple[str, int, str, str | None]]:
    with db.session(readonly=True) as s:
        q = (select(User.line_user_id, svc.CharterClause.no, ClauseFeedback.stance, ClauseFeedback.comment)
             .join(User, User.id == ClauseFeedback.user_id)
             .join(svc.CharterClause, svc.CharterClause.id == ClauseFeedback.clause_id)
             .order_by(svc.CharterClause.no))
        if line_id:
            q = q.where(User.line_user_id == line_id)
        return [tuple(row) for row in s.execute(q)]


def flow_of(db, line_id: str) -> str | None:
    with db.session(readonly=True) as s:
        return s.scalar(select(Conversation.flow).where(Conversation.line_user_id == line_id))


def test_browse_clause_disagree_comment_thanks_with_tally(chat, harness, published):
    u = chat("Ubrowse")
    u.say("ธรรมนูญสุขภาพ").expect("ธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ)", "เนื้อหานี้เป็นตัวอย่าง", "2 หมวด 5 ข้อ",
                                  "เปิดรับความคิดเห็นถึง", "หมวด 1", "ขยับกายทุกวัย", "หมวด 2", "อาหารปลอดภัย")
    carousel = u.last[-1]
    assert carousel["contents"]["type"] == "carousel" and len(carousel["contents"]["contents"]) == 3
    assert [b["label"] for b in carousel["contents"]["contents"][1]["footer"]["contents"]
            for b in [b["action"]]] == ["อ่านหมวดนี้"]
    u.tap("อ่านหมวดนี้")  # the newest: หมวด 2
    u.expect("ข้อ 3", "ร้านอาหารในชุมชนร่วมกันลดหวาน มัน เค็ม", "ข้อ 4", "ข้อ 5", "ยังไม่มีใครแสดงความเห็นข้อนี้")
    u.tap("ไม่เห็นด้วย")  # the newest card's button: ข้อ 5
    u.expect("คุณเลือก “ไม่เห็นด้วย” กับข้อ 5", "ข้าม")
    assert stances(harness.db) == [("Ubrowse", 5, "disagree", None)]  # the tap counts at once; a comment is extra
    u.say("ร้านค้าหน้าโรงเรียนจะขายไม่ได้ ควรค่อย ๆ ลด")
    u.expect("ขอบคุณค่ะ", "บันทึกความเห็นของคุณต่อข้อ 5 แล้ว", "ไม่เห็นด้วย",
             "ความเห็นเพิ่มเติม: “ร้านค้าหน้าโรงเรียนจะขายไม่ได้ ควรค่อย ๆ ลด”",
             "ความเห็นตอนนี้ของข้อ 5: เห็นด้วย 0 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 0 (เห็นด้วย 0%)", "เปลี่ยนใจได้จนถึง")
    assert stances(harness.db) == [("Ubrowse", 5, "disagree", "ร้านค้าหน้าโรงเรียนจะขายไม่ได้ ควรค่อย ๆ ลด")]
    assert flow_of(harness.db, "Ubrowse") is None
    # another resident agrees: the running tally counts both
    v = chat("Uother")
    v.say("ธรรมนูญ").tap("อ่านหมวดนี้").tap("เห็นด้วย").tap("ข้าม")
    v.expect("บันทึกความเห็นของคุณต่อข้อ 5 แล้ว", "เห็นด้วย 1 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 0 (เห็นด้วย 50%)")
    # and the section's cards now show the tally and the user's own choice
    u.say("หมวด 2").expect("ความเห็นตอนนี้: เห็นด้วย 1 · ไม่เห็นด้วย 1", "คุณเลือก: 👎 ไม่เห็นด้วย")


def test_changing_stance_replaces_the_old_one(chat, harness, published):
    u = chat("Uchange")
    u.say("ข้อ 3").expect("ข้อ 3", "ร้านอาหารในชุมชน")
    u.tap("เห็นด้วย").tap("ข้าม").expect("บันทึกความเห็นของคุณต่อข้อ 3 แล้ว", "(เห็นด้วย 100%)")
    u.say("ข้อ 3").expect("คุณเลือก: 👍 เห็นด้วย")
    u.tap("ไม่แน่ใจ").say("ขอดูรายละเอียดงบประมาณก่อนค่ะ")
    u.expect("เปลี่ยนความเห็นของคุณต่อข้อ 3 เป็น “ไม่แน่ใจ” แล้ว (เดิม: เห็นด้วย)",
             "เห็นด้วย 0 · ไม่เห็นด้วย 0 · ไม่แน่ใจ 1")
    assert stances(harness.db) == [("Uchange", 3, "unsure", "ขอดูรายละเอียดงบประมาณก่อนค่ะ")]


def test_a_comment_naming_another_stance_changes_the_stance_before_it_is_sent(chat, harness, published):
    """After tapping เห็นด้วย, "ไม่เห็นด้วยค่ะ" typed as the comment was saved as an agreement with the
    comment "ไม่เห็นด้วยค่ะ": a wrong vote in the round's results."""
    u = chat("Uswitch")
    u.say("ข้อ 3").tap("เห็นด้วย").expect("คุณเลือก “เห็นด้วย” กับข้อ 3")
    u.say("ไม่เห็นด้วยค่ะ").expect("ข้อความที่พิมพ์มาบอกว่า “ไม่เห็นด้วย” จึงเปลี่ยนคำตอบให้แล้วค่ะ (เดิมเลือก “เห็นด้วย”)",
                                   "ข้อ 3: 👎 ไม่เห็นด้วย", "ความเห็น: (ไม่มี)", "ส่งความเห็นนี้เลยไหมคะ")
    assert stances(harness.db) == [("Uswitch", 3, "agree", None)]  # the tap stands until the change is sent
    u.tap("ส่งเลย").expect("บันทึกความเห็นของคุณต่อข้อ 3 แล้ว: 👎 ไม่เห็นด้วย")
    assert stances(harness.db) == [("Uswitch", 3, "disagree", None)]
    # With a reason, the reason is the comment (not "ขอเปลี่ยนเป็น…"); the same stance typed again is just a comment.
    u.say("ข้อ 4").tap("ไม่แน่ใจ").say("ขอเปลี่ยนเป็นเห็นด้วยค่ะ เพราะชุมชนเล็กทำได้").tap("ส่งเลย")
    u.say("ข้อ 5").tap("เห็นด้วย").say("เห็นด้วยมากค่ะ อยากให้เริ่มเร็ว ๆ")
    assert stances(harness.db) == [("Uswitch", 3, "disagree", None),
                                   ("Uswitch", 4, "agree", "ชุมชนเล็กทำได้"),
                                   ("Uswitch", 5, "agree", "เห็นด้วยมากค่ะ อยากให้เริ่มเร็ว ๆ")]


def test_typed_clause_with_comment_goes_straight_to_it_for_confirmation(chat, harness, published):
    u = chat("Utyped")
    u.say("ข้อ 5 ควรเพิ่มน้ำดื่มสะอาดฟรีในโรงเรียนแทน")
    u.expect("ข้อ 5", "โรงเรียนงดขายน้ำอัดลม", "คุณเห็นด้วยกับข้อ 5 ไหมคะ",
             "ความเห็นที่พิมพ์มา: “ควรเพิ่มน้ำดื่มสะอาดฟรีในโรงเรียนแทน”")
    assert set(u.quick_labels()) >= {"เห็นด้วย", "ไม่เห็นด้วย", "ไม่แน่ใจ", "ยกเลิก"}
    u.tap("เห็นด้วย")
    u.expect("ตรวจอีกครั้งนะคะ", "ข้อ 5: 👍 เห็นด้วย", "ความเห็น: “ควรเพิ่มน้ำดื่มสะอาดฟรีในโรงเรียนแทน”")
    assert stances(harness.db) == []
    u.tap("แก้ความเห็น").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    u.say("ควรมีตู้น้ำดื่มสะอาดทุกอาคาร").expect("ความเห็น: “ควรมีตู้น้ำดื่มสะอาดทุกอาคาร”")
    u.tap("ส่งเลย").expect("บันทึกความเห็นของคุณต่อข้อ 5 แล้ว", "(เห็นด้วย 100%)")
    assert stances(harness.db) == [("Utyped", 5, "agree", "ควรมีตู้น้ำดื่มสะอาดทุกอาคาร")]


@pytest.mark.parametrize("said", ["ข้อ 5 อยากให้มีกิจกรรมออกกำลังกายทุกวันเสาร์",
                                  "ข้อ 5 ขอให้มีรถรับส่งผู้สูงอายุไปหาหมอ"])
def test_a_comment_that_opens_with_a_clause_number_is_about_that_clause(chat, published, said):
    """Before, the model read these as an activity search (a Saturday list) or was not sure."""
    u = chat("Uopens")
    u.say(said).expect("คุณเห็นด้วยกับข้อ 5 ไหมคะ", f"ความเห็นที่พิมพ์มา: “{said.removeprefix('ข้อ 5 ')}”")


def test_a_typed_stance_keeps_only_the_comment(chat, harness, published):
    """"ยายเห็นด้วยจ้ะ อยากให้…" was kept as the comment "ยาย จ้ะ อยากให้…" in the district's results."""
    u = chat("Uyai")
    u.say("ข้อ 3 ยายเห็นด้วยจ้ะ อยากให้มีผักปลอดสารทุกร้าน").expect("ความเห็น: “อยากให้มีผักปลอดสารทุกร้าน”")
    u.say("ส่งเลยจ้ะ")
    u.say("ข้อ 4 ไม่เห็นด้วยเลยค่ะ").expect("คุณเลือก “ไม่เห็นด้วย” กับข้อ 4").say("ข้าม")  # "เลย" is no comment
    assert stances(harness.db) == [("Uyai", 3, "agree", "อยากให้มีผักปลอดสารทุกร้าน"), ("Uyai", 4, "disagree", None)]


def test_a_stance_typed_right_after_reading_a_clause_is_about_that_clause(chat, harness, published):
    """"ข้อ 3 ว่ายังไงจ๊ะ", then "ยายเห็นด้วยจ้ะ อยากให้…": the text was dropped with "อยากให้ความเห็นข้อไหนคะ"."""
    u = chat("Uread")
    u.say("ข้อ 3 ว่ายังไงจ๊ะ").expect("ร้านอาหารในชุมชน")
    u.say("ยายเห็นด้วยจ้ะ อยากให้มีผักปลอดสารทุกร้าน").expect("ข้อ 3: 👍 เห็นด้วย", "“อยากให้มีผักปลอดสารทุกร้าน”")
    u.say("ส่งเลย")
    assert stances(harness.db) == [("Uread", 3, "agree", "อยากให้มีผักปลอดสารทุกร้าน")]
    # Nothing read just before: which clause is asked, as before.
    chat("Ufresh").say("เห็นด้วยค่ะ อยากให้มีผักปลอดสาร").expect("ข้อไหน")


def test_typed_disagreement_with_reason_and_thai_digits(chat, harness, published):
    u = chat("Utyped2")
    u.say("ไม่เห็นด้วยกับข้อ ๓ เพราะร้านเล็กจะขาดรายได้")
    u.expect("ข้อ 3: 👎 ไม่เห็นด้วย", "ความเห็น: “ร้านเล็กจะขาดรายได้”", "ส่งความเห็นนี้เลยไหมคะ")
    u.tap("ไม่ใส่ความเห็น").expect("บันทึกความเห็นของคุณต่อข้อ 3 แล้ว").expect_not("ความเห็นเพิ่มเติม")
    assert stances(harness.db) == [("Utyped2", 3, "disagree", None)]


def test_unknown_clause_number_shows_the_sections(chat, published):
    chat("Unone").say("ข้อ 42 ควรมีอะไรเพิ่ม").expect("ไม่พบข้อ 42", "ข้อ 1–5", "อ่านหมวดนี้")


def test_closed_round_is_answered_with_the_next_rounds_date(chat, harness, tmp_path):
    now = now_utc()
    opens = datetime.combine((now + timedelta(days=10)).astimezone(BKK).date(), datetime.min.time(), tzinfo=BKK)
    with harness.db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "c.yaml", SMALL_YAML), now=now)
        svc.publish(s, c, now=now)
        svc.create_round(s, c, "รอบแรก", now - timedelta(days=20), now - timedelta(days=5))
        svc.create_round(s, c, "รอบรับฟังความคิดเห็นครั้งที่ 2", opens, opens + timedelta(days=14))
    u = chat("Uclosed")
    u.say("ธรรมนูญ").expect(f"รอบถัดไปเปิด {format_date(opens)}")
    u.tap("อ่านหมวดนี้").expect("ตอนนี้ไม่ได้เปิดรับความคิดเห็น")
    assert "ไม่เห็นด้วย" not in [a.get("label") for m in u.last for a in _actions(m)]
    u.say("ไม่เห็นด้วยกับข้อ 3")
    u.expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ", f"รอบรับฟังความคิดเห็นครั้งที่ 2 จะเปิด{format_date(opens, long=True)}")
    assert flow_of(harness.db, "Uclosed") is None and stances(harness.db) == []


def test_round_closing_mid_flow_keeps_the_tapped_stance_and_offers_the_comment_to_staff(chat, harness, published):
    """The stance was tapped while the round was open: it counts; the comment typed after closing is not
    recorded, and may go to the staff instead."""
    u = chat("Ulate")
    u.say("ข้อ 1").tap("เห็นด้วย")
    with harness.db.session() as s:
        r = svc.get_round(s, published[1])
        r.closes_at = now_utc() - timedelta(minutes=1)
    u.say("อยากให้มีลานแอโรบิกตอนเย็น").expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ",
                                              "บันทึกความเห็น “เห็นด้วย” ต่อข้อ 1 แล้วค่ะ")
    assert "ส่งถึงเจ้าหน้าที่" in u.quick_labels()
    assert stances(harness.db) == [("Ulate", 1, "agree", None)]


def test_declined_consent_can_read_but_not_give_feedback(chat, harness, published):
    u = chat("Unoconsent", consent=False)
    u.say("ธรรมนูญสุขภาพ").expect("ขยับกายทุกวัย", "ต้องให้ความยินยอม")
    u.tap("อ่านหมวดนี้").expect("ข้อ 3")
    u.tap("ไม่เห็นด้วย").expect("ต้องได้รับความยินยอม", "ยินยอม")
    assert "ยินยอม" in u.quick_labels()
    u.say("ข้อ 5 ควรเพิ่มน้ำดื่มฟรี").expect("ต้องได้รับความยินยอม")
    assert stances(harness.db) == [] and flow_of(harness.db, "Unoconsent") is None


def test_back_and_cancel_mid_flow(chat, harness, published):
    from tests.support.chat import actions_in

    u = chat("Uback")
    u.say("ข้อ 2").tap("ไม่เห็นด้วย").expect("คุณเลือก “ไม่เห็นด้วย”")
    assert "เปลี่ยนคำตอบ" in u.quick_labels()
    chip = next(a for m in u.last for a in actions_in(m) if a.get("label") == "เปลี่ยนคำตอบ")
    assert chip.get("text") == "เปลี่ยนคำตอบ"  # what the chat shows as the person's own words (was "ย้อนกลับ")
    u.tap("เปลี่ยนคำตอบ").expect("คุณเห็นด้วยกับข้อ 2 ไหมคะ")
    u.tap("ไม่แน่ใจ").expect("คุณเลือก “ไม่แน่ใจ” กับข้อ 2")
    u.say("ยกเลิก").expect("บันทึกความเห็น “ไม่แน่ใจ” ต่อข้อ 2 แล้วค่ะ")  # tapped: it counts, only the comment is left
    assert stances(harness.db) == [("Uback", 2, "unsure", None)] and flow_of(harness.db, "Uback") is None
    # an invalid answer is asked again with the reason
    u.say("ข้อ 5 ควรมีน้ำดื่ม").say("แล้วแต่เลยค่ะ").expect("เลือก เห็นด้วย ไม่เห็นด้วย หรือ ไม่แน่ใจ")
    u.tap("เห็นด้วย").expect("ตรวจอีกครั้งนะคะ")


def test_old_button_is_answered_and_not_acted_on_twice(chat, harness, published):
    u = chat("Uold")
    u.say("ข้อ 4").tap("เห็นด้วย")
    skip = u.find_action("ข้าม")
    u.tap("ข้าม").expect("บันทึกความเห็นของคุณต่อข้อ 4 แล้ว")
    u.postback(skip["data"]).expect("ปุ่มนี้ใช้ไม่ได้แล้ว").expect_not("บันทึกความเห็น")
    assert stances(harness.db) == [("Uold", 4, "agree", None)]


def test_buttons_of_a_replaced_version_show_the_new_one(chat, harness, published, tmp_path):
    u = chat("Uversion")
    u.say("ธรรมนูญ")
    read = u.find_action("อ่านหมวดนี้")
    with harness.db.session() as s:
        v2 = svc.load_charter(s, write(tmp_path, "v2.yaml", SMALL_YAML.replace("(ทดสอบ)", "(ฉบับปรับปรุง)")))
        svc.publish(s, v2)
    u.postback(read["data"]).expect("มีการปรับปรุงแล้ว", "(ฉบับปรับปรุง)", "ฉบับที่ 2")


def test_another_journey_mid_feedback_asks_first(chat, harness, published):
    u = chat("Uswitch")
    u.say("ข้อ 1").tap("เห็นด้วย")
    u.say("หมวด 2")                                     # typed text is the comment, not a new request
    u.expect("บันทึกความเห็นของคุณต่อข้อ 1 แล้ว", "ความเห็นเพิ่มเติม: “หมวด 2”")
    unsure_on_2 = u.say("ข้อ 2").find_action("ไม่แน่ใจ")
    # A typed comment waiting for its stance would be lost by another card's button: asked first.
    u.say("ข้อ 5 ควรมีน้ำดื่มฟรี")
    u.postback(unsure_on_2["data"])                       # a card from earlier, tapped mid-flow
    u.expect("ตอนนี้คุณกำลังแสดงความเห็นต่อธรรมนูญอยู่ค่ะ")
    u.tap("ทำต่อ").expect("คุณเห็นด้วยกับข้อ 5 ไหมคะ")
    u.postback(unsure_on_2["data"]).expect("ออกจากขั้นตอนนี้")
    u.tap("ออกเลย").expect("คุณเลือก “ไม่แน่ใจ” กับข้อ 2").tap("ข้าม")
    # At a tapped stance's comment nothing would be lost: the card's button goes on (it used to ask, and
    # "ออกเลย" lost the stance of ข้อ 1).
    u.say("ข้อ 1").tap("ไม่เห็นด้วย")
    u.postback(unsure_on_2["data"]).expect("บันทึกความเห็น “ไม่เห็นด้วย” ต่อข้อ 1 แล้วค่ะ ความคิดเห็นเดิมเป็นเหตุผลของคำตอบเดิม",
                                           "คุณเลือก “ไม่แน่ใจ” กับข้อ 2").expect_not("ออกจากขั้นตอน")
    # the comment was the agreement's reason: it went with it
    assert stances(harness.db) == [("Uswitch", 1, "disagree", None), ("Uswitch", 2, "unsure", None)]


def test_staff_results_per_charter_and_per_clause(chat, harness, published):
    with harness.db.session() as s:
        clause3 = svc.get_clause(s, svc.get_charter(s, published[0]), 3)
        hearing = svc.get_round(s, published[1])
        for i, (stance, comment) in enumerate([("agree", None), ("agree", "ดีค่ะ ลูกจะได้กินอาหารดีขึ้น"),
                                               ("disagree", "ร้านค้าจะขายไม่ได้"), ("unsure", None)]):
            user = make_user(s, f"Uvoter{i}")
            svc.record_stance(s, user, clause3, stance, comment, hearing.opens_at + timedelta(hours=i + 1))
    resident = chat("Uresident")
    # A resident asking for results gets what residents see: each clause's tally, or the clause with its tally;
    # never the comments, and never (as "ขอดูผลความเห็นข้อ 3" did) the question to give their own.
    resident.say("ผลธรรมนูญ").expect("ข้อ 3: เห็นด้วย 2 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 1").expect_not("ร้านค้าจะขายไม่ได้")
    resident.say("ขอดูผลความเห็นข้อ 3 หน่อยค่ะ").expect("ความเห็นตอนนี้: เห็นด้วย 2 · ไม่เห็นด้วย 1").expect_not(
        "ร้านค้าจะขายไม่ได้", "ไหมคะ เลือกจากปุ่ม")
    staff = chat("Ustaff", role="staff")
    staff.say("ขอดูผลความเห็นข้อ ๓ หน่อยจ้ะ").expect("ข้อ 3 (หมวด 2 อาหารปลอดภัย)", "ร้านค้าจะขายไม่ได้").expect_not(
        "คุณเห็นด้วยกับข้อ 3 ไหมคะ")
    staff.say("ผลธรรมนูญ")
    staff.expect("ผลความเห็นธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ)", "รอบรับฟังความคิดเห็นครั้งที่ 1", "ผู้ร่วมแสดงความเห็น 4 คน",
                 "ข้อ 3: เห็นด้วย 2 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 1 (เห็นด้วย 50%) · 💬 2", "ยังไม่มีความเห็น: ข้อ 1–2, 4–5",
                 "ความเห็นล่าสุด", "ข้อ 3 (ไม่เห็นด้วย): ร้านค้าจะขายไม่ได้")
    assert "ข้อ 3" in staff.quick_labels()
    staff.tap("ข้อ 3")
    staff.expect("ข้อ 3 (หมวด 2 อาหารปลอดภัย)", "เห็นด้วย 2 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 1 · รวม 4 (เห็นด้วย 50%)",
                 "ความเห็นล่าสุด (2 จาก 2)", "ไม่เห็นด้วย · ", "ร้านค้าจะขายไม่ได้", "ดีค่ะ ลูกจะได้กินอาหารดีขึ้น")
    text = staff.text
    assert text.index("ร้านค้าจะขายไม่ได้") < text.index("ดีค่ะ ลูกจะได้")      # newest first
    staff.say("ผลความเห็น ข้อ ๙๙").expect("ไม่พบข้อ 99")


def test_no_published_charter_is_said_politely(chat):
    chat("Uempty").say("ธรรมนูญสุขภาพ").expect("ยังไม่มีธรรมนูญสุขภาพที่เผยแพร่ค่ะ")


def _actions(message):
    from tests.support.chat import actions_in

    return actions_in(message)


def test_silent_too_long_the_feedback_times_out_keeping_only_the_tapped_stance(chat, harness, published):
    u = chat("Utimeout")
    u.say("ข้อ 1").tap("เห็นด้วย")
    with harness.db.session() as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == "Utimeout"))
        conv.expires_at = now_utc() - timedelta(minutes=1)
    u.say("อยากให้มีลานแอโรบิกตอนเย็น").expect("หมดเวลา", "บันทึกความเห็น “เห็นด้วย” ต่อข้อ 1 แล้วค่ะ")
    assert stances(harness.db) == [("Utimeout", 1, "agree", None)]  # the tap counted; the late comment did not


def test_a_charter_with_many_sections_pages_its_carousel(chat, harness, tmp_path):
    rows = ["district,title,section_no,section_title,clause_no,clause_text"]
    rows += [f"ลาดพร้าว,ธรรมนูญยาว,{i},หมวดที่ {i},{i},ข้อความของข้อ {i}" for i in range(1, 15)]
    now = now_utc()
    with harness.db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "long.csv", "\n".join(rows) + "\n"), now=now)
        svc.publish(s, c, now=now)
    u = chat("Upages")
    u.say("ธรรมนูญสุขภาพ").expect("14 หมวด 14 ข้อ", "หมวด 10", "ยังมีอีก 4 หมวดค่ะ").expect_not("หมวด 11\n")
    assert len(u.last[-1]["contents"]["contents"]) == 12
    u.tap("หมวดถัดไป").expect("หมวด 11", "หมวด 14").expect_not("หมวด 10\n")


def test_typed_feedback_keeps_its_comment_when_said_again_by_a_button(chat, harness, published):
    u = chat("Uredo_tap")
    u.say("กิจกรรม")
    u.say("ข้อ 4").say("ข้อ 5 ควรเพิ่มน้ำดื่มสะอาดฟรี")  # mid-feedback: asks before leaving
    u.say("ออกเลย").expect("ความเห็นที่พิมพ์มา: “ควรเพิ่มน้ำดื่มสะอาดฟรี”").expect_not("“ออกเลย”")
    declined = chat("Uredo_consent", consent=False)
    declined.say("ข้อ 5 ควรมีตู้น้ำดื่มทุกอาคาร").expect("ต้องได้รับความยินยอม")
    declined.tap("ยินยอม").expect("บันทึกความยินยอมแล้ว", "อยู่ชุมชนไหนคะ")  # never asked before: asked now
    declined.tap("ข้าม").expect("ความเห็นที่พิมพ์มา: “ควรมีตู้น้ำดื่มทุกอาคาร”")


def test_asking_what_a_charter_is_gets_an_answer_before_the_sections(chat, published):
    u = chat("Uwhat")
    u.say("ธรรมนูญสุขภาพคืออะไรคะ").expect("คือข้อตกลงที่คนในเขตเขียนร่วมกัน", "อ่านหมวดนี้")
    u.say("ธรรมนูญสุขภาพ").expect("อ่านหมวดนี้").expect_not("คือข้อตกลง")


def test_a_section_asked_for_by_its_name(chat, published):
    u = chat("Usection")
    u.say("ขอดูหมวดอาหารค่ะ").expect("หมวด 2 อาหารปลอดภัย", "ข้อ 3").expect_not("อ่านหมวดนี้")
    u.say("ขอดูหมวดดาวอังคาร").expect("อ่านหมวดนี้")  # names no section: all of them


def _thai_day(day: datetime) -> str:
    """'๑๐/๑๒/๒๕๖๙': how a staff member may type a day (Thai digits, Buddhist year), in Bangkok's calendar
    (from 17:00 UTC Bangkok is a day ahead: the UTC day was one day off then)."""
    day = day.astimezone(BKK)
    typed = f"{day.day}/{day.month}/{day.year + 543}"
    return typed.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def test_staff_open_a_hearing_round_in_chat(chat, harness, published):
    """Rounds were opened only at the console; staff now open one in chat, with the service's rules (no
    overlap with the open round) told in Thai and the dates put right with "ย้อนกลับ"."""
    resident = chat("Uresident")
    resident.say("เปิดรอบรับฟังความคิดเห็น").expect("สำหรับเจ้าหน้าที่เท่านั้น")
    staff = chat("Ustaff", role="staff")
    staff.say("เปิดรอบรับฟังความคิดเห็นใหม่ค่ะ").expect("ตั้งชื่อรอบนี้ว่าอะไรคะ")
    staff.tap("ครั้งที่ 2").expect("เปิดรับความคิดเห็นวันไหนคะ")
    staff.say("เร็วๆ นี้").expect("อ่านวันไม่ออกค่ะ")
    staff.say("๓๑ เม.ย.").expect("ไม่มีวันที่ 31 เม.ย. ค่ะ")  # not April next year, nor any other day
    # The open round (the fixture's) runs for another week: an opening day inside it is told at once, with
    # the first day that would do (it was told after the closing day, and before that after the preview).
    staff.say("พรุ่งนี้").expect("วันนั้นยังอยู่ในรอบรับฟังความคิดเห็นครั้งที่ 1", "เลือกวันเปิดตั้งแต่",
                               "เปิดรับความคิดเห็นวันไหนคะ").expect_not("ปิดรับวันไหนคะ")
    # Its chips start after that round (วันนี้ and พรุ่งนี้ were offered, then refused).
    assert "พรุ่งนี้" not in staff.quick_labels()
    first_free = [label for label in staff.quick_labels() if label.startswith("เปิด ")]
    assert len(first_free) == 1
    staff.tap(first_free[0]).expect("ปิดรับวันไหนคะ")
    staff.say("ย้อนกลับ").expect("เปิดรับความคิดเห็นวันไหนคะ")
    opens, closes = now_utc() + timedelta(days=10), now_utc() + timedelta(days=20)
    staff.say(_thai_day(opens)).expect("ปิดรับวันไหนคะ")
    staff.say(_thai_day(opens - timedelta(days=1))).expect("วันปิดต้องอยู่หลังวันเปิด")
    staff.say(_thai_day(closes)).expect("ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("ตั้ง “รอบรับฟังความคิดเห็นครั้งที่ 2” ไว้แล้วค่ะ ✅")  # it opens in 10 days
    # One tap offers an invitation written from the round's dates, to everyone.
    staff.tap("ชวนแสดงความเห็น").expect("ข้อความชวนแสดงความเห็นถึง", "ร่วมแสดงความเห็นต่อธรรมนูญสุขภาพเขตลาดพร้าว",
                                       "รอบรับฟังความคิดเห็นครั้งที่ 2 เปิดรับ", "เวลา 23:59 น.")
    staff.tap("ใช้ข้อความนี้").expect("แนบรูปหรือปุ่มลิงก์").tap("ไม่ต้อง").expect("ส่งเมื่อไรคะ").expect_not("ส่งถึงใครคะ")
    staff.tap("ส่งเลย").expect("ส่งประกาศนี้เลยไหมคะ").tap("ยืนยันส่ง").expect("รับประกาศ #")
    harness.run_outbox()
    resident.refresh().expect("ขอชวนทุกคนร่วมแสดงความเห็นต่อธรรมนูญสุขภาพ", "พิมพ์ “ธรรมนูญสุขภาพ”")
    staff.postback("broadcast.invite_round?r=999").expect("ไม่พบรอบรับฟังความคิดเห็นนี้แล้วค่ะ")
    resident.postback("broadcast.invite_round?r=1").expect("สำหรับเจ้าหน้าที่เท่านั้น")
    with harness.db.session(readonly=True) as s:
        rounds = svc.rounds(s, svc.get_charter(s, published[0]))
    assert [r.name for r in rounds] == ["รอบรับฟังความคิดเห็นครั้งที่ 1", "รอบรับฟังความคิดเห็นครั้งที่ 2"]
    new = rounds[1]
    assert (new.opens_at.astimezone(BKK).date(), new.opens_at.astimezone(BKK).strftime("%H:%M")) == (
        opens.astimezone(BKK).date(), "00:00")
    assert (new.closes_at.astimezone(BKK).date(), new.closes_at.astimezone(BKK).strftime("%H:%M")) == (
        closes.astimezone(BKK).date(), "23:59")


def test_a_round_day_with_a_short_year_that_is_only_guessed_is_asked_about(chat, published):
    """"15 ธ.ค. 27" as พ.ศ. would be 2527: read as ค.ศ. 2027, it is asked about rather than used."""
    staff = chat("Ustaff", role="staff")
    staff.say("เปิดรอบรับฟังความคิดเห็น").tap("ครั้งที่ 2").expect("เปิดรับความคิดเห็นวันไหนคะ")
    staff.say("15 ธ.ค. 27").expect("หมายถึงปี พ.ศ. 2570 (ค.ศ. 2027) ใช่ไหมคะ", "เช่น “15 ธ.ค. 2570”")
    staff.say("15 ธ.ค. 2570").expect("ปิดรับวันไหนคะ")


def test_a_round_is_not_opened_without_a_published_charter(chat):
    chat("Ustaff", role="staff").say("เปิดรอบรับฟังความคิดเห็น").expect("ยังไม่มีธรรมนูญสุขภาพที่เผยแพร่ค่ะ")


@pytest.mark.parametrize(("typed", "closing", "expected"), [
    ("15 ธ.ค.", False, datetime(2026, 12, 15, 0, 0)),
    ("15 ธ.ค.", True, datetime(2026, 12, 15, 23, 59)),
    ("๑๕/๑๒/๒๕๖๙ 18:00", True, datetime(2026, 12, 15, 18, 0)),
    ("อาทิตย์หน้า", False, datetime(2026, 11, 30, 0, 0)),   # next week opens on its Monday
    ("อาทิตย์หน้า", True, datetime(2026, 12, 6, 23, 59)),   # and closes at the end of its Sunday
    ("15 ธ.ค. 70", False, datetime(2027, 12, 15, 0, 0)),     # a two-digit year is พ.ศ. 2570
    ("15 ธ.ค. 27", False, datetime(2027, 12, 15, 0, 0)),     # or, below 60, ค.ศ. (it was this year's)
    ("๑๕/๑๒/๗๐", True, datetime(2027, 12, 15, 23, 59)),
])
def test_the_days_staff_type_for_a_round(typed, closing, expected, now):
    from bot.thaidate import parse_day_text

    assert parse_day_text(typed, now, end_of_day=closing) == expected.replace(tzinfo=BKK)
    assert parse_day_text("เร็วๆ นี้", now, end_of_day=closing) is None


def test_the_charter_misspelt_is_the_charter_not_an_activity_named_after_it(chat, published, db):
    """"ธรรมนูนสุขภาพ" (น for ญ) opened the activity "เวทีรับฟังความเห็นธรรมนูญสุขภาพเขต"."""
    from datetime import timedelta

    from bot.thaidate import now_utc
    from storage.models import Activity

    start = now_utc() + timedelta(days=5)
    with db.session() as s:
        s.add(Activity(title="เวทีรับฟังความเห็นธรรมนูญสุขภาพเขต", place="สำนักงานเขต", starts_at=start,
                       ends_at=start + timedelta(hours=2), capacity=50, status="published"))
    chat("Umisspelt").say("ธรรมนูนสุขภาพ").expect_not("สำนักงานเขต").expect("หมวด")


# --- QA round: stances that count at once, kept comments, words after a stance, late comments --------------

def _card_button(u, no: int, label: str) -> str:
    """The postback of one clause card's stance button in the last replies (a carousel holds several)."""
    from tests.support.chat import actions_in

    for message in u.last:
        for action in actions_in(message):
            if action.get("displayText") == f"{label}กับข้อ {no}":
                return action["data"]
    raise AssertionError(f"no {label} button for ข้อ {no}")


def test_stances_tapped_along_a_section_all_count(chat, harness, published):
    """QA: เห็นด้วย on ข้อ 3's card, then on ข้อ 4's, then ไม่เห็นด้วย on ข้อ 5's: each tap asked to leave
    the feedback, and after ออกเลย neither ข้อ 3 nor ข้อ 4 was saved."""
    u = chat("Ucarousel")
    u.say("หมวด 2").expect("ข้อ 3", "ข้อ 4", "ข้อ 5")
    agree_3, agree_4, disagree_5 = (_card_button(u, 3, "เห็นด้วย"), _card_button(u, 4, "เห็นด้วย"),
                                    _card_button(u, 5, "ไม่เห็นด้วย"))
    u.postback(agree_3).expect("คุณเลือก “เห็นด้วย” กับข้อ 3 ค่ะ บันทึกแล้ว", "ข้าม")
    assert stances(harness.db) == [("Ucarousel", 3, "agree", None)]  # counted at the tap
    u.postback(agree_4).expect("บันทึกความเห็น “เห็นด้วย” ต่อข้อ 3 แล้วค่ะ ไม่มีความคิดเห็นเพิ่มเติม", "คุณเลือก “เห็นด้วย” กับข้อ 4").expect_not(
        "ออกจากขั้นตอน")
    u.postback(disagree_5).expect("คุณเลือก “ไม่เห็นด้วย” กับข้อ 5").expect_not("ออกจากขั้นตอน")
    u.say("ร้านค้าหน้าโรงเรียนจะขายไม่ได้").expect("บันทึกความเห็นของคุณต่อข้อ 5 แล้ว",
                                                  "ความเห็นตอนนี้ของข้อ 5: เห็นด้วย 0 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 0")
    assert stances(harness.db) == [("Ucarousel", 3, "agree", None), ("Ucarousel", 4, "agree", None),
                                   ("Ucarousel", 5, "disagree", "ร้านค้าหน้าโรงเรียนจะขายไม่ได้")]
    # The same card tapped again with another stance changes it (one stance per clause and round).
    u.say("หมวด 2").postback(_card_button(u, 3, "ไม่แน่ใจ")).tap("ข้าม")
    u.expect("เปลี่ยนความเห็นของคุณต่อข้อ 3 เป็น “ไม่แน่ใจ” แล้ว (เดิม: เห็นด้วย)", "เห็นด้วย 0 · ไม่เห็นด้วย 0 · ไม่แน่ใจ 1")
    assert stances(harness.db)[0] == ("Ucarousel", 3, "unsure", None)


def test_leaving_at_the_comment_keeps_the_stance_tapped(chat, harness, published):
    """QA: a stance tapped, then "เมนู" (or "ยกเลิก") at the optional comment saved nothing, though the bot
    had said "คุณเลือก “ไม่แน่ใจ” กับข้อ …"."""
    u = chat("Uleave")
    u.say("ข้อ 2").tap("ไม่แน่ใจ").say("เมนู")
    u.expect("บันทึกความเห็น “ไม่แน่ใจ” ต่อข้อ 2 แล้วค่ะ ไม่มีความคิดเห็นเพิ่มเติม").expect_not("ไม่มีข้อมูลใดถูกส่ง")
    u.say("ข้อ 1").tap("เห็นด้วย").say("ยกเลิก")
    u.expect("บันทึกความเห็น “เห็นด้วย” ต่อข้อ 1 แล้วค่ะ").expect_not("ไม่มีข้อมูลใดถูกส่ง")
    assert stances(harness.db) == [("Uleave", 1, "agree", None), ("Uleave", 2, "unsure", None)]
    assert flow_of(harness.db, "Uleave") is None
    # A typed comment still waiting for "ส่งเลย" is not sent by leaving, and leaving says so.
    u.say("ข้อ 4 ควรแจกเมล็ดผักฟรี").tap("เห็นด้วย").say("ยกเลิก").expect("ไม่มีข้อมูลใดถูกส่ง")
    assert [row[1] for row in stances(harness.db)] == [1, 2]


def test_skipping_the_comment_after_changing_the_stance_drops_the_earlier_comment_and_says_so(chat, harness, published):
    """QA: after changing ข้อ 3 from ไม่เห็นด้วย to เห็นด้วย and "ข้าม", staff read "ข้อ 3 (เห็นด้วย): เพราะคนแก่ไปประชุม
    ไม่ไหว": the old stance's reason under the new one (before that, it was emptied without a word)."""
    u = chat("Ukeep")
    u.say("ข้อ 5 ควรเพิ่มไฟส่องสว่างริมคลองด้วยค่ะ กลางคืนมืดมาก").tap("เห็นด้วย").tap("ส่งเลย")
    assert stances(harness.db) == [("Ukeep", 5, "agree", "ควรเพิ่มไฟส่องสว่างริมคลองด้วยค่ะ กลางคืนมืดมาก")]
    u.say("ข้อ 5 ขอเปลี่ยนเป็นไม่เห็นด้วยค่ะ").expect(
        "คุณเลือก “ไม่เห็นด้วย” กับข้อ 5", "ความคิดเห็นเดิม “ควรเพิ่มไฟส่องสว่างริมคลองด้วยค่ะ กลางคืนมืดมาก” เป็นเหตุผลของคำตอบเดิม")
    u.tap("ข้าม").expect("เปลี่ยนความเห็นของคุณต่อข้อ 5 เป็น “ไม่เห็นด้วย” แล้ว (เดิม: เห็นด้วย)",
                         "ลบความคิดเห็นเดิม “ควรเพิ่มไฟส่องสว่างริมคลองด้วยค่ะ กลางคืนมืดมาก” แล้ว").expect_not("ยังอยู่")
    assert stances(harness.db) == [("Ukeep", 5, "disagree", None)]
    chat("Ustaff", role="staff").say("ผลธรรมนูญ").expect_not("ริมคลอง")
    # A new comment typed replaces it.
    u.say("ข้อ 5 ขอเปลี่ยนเป็นเห็นด้วยค่ะ").say("ขอไฟแค่ช่วงหน้าโรงเรียนก็พอ")
    u.expect("ความเห็นเพิ่มเติม: “ขอไฟแค่ช่วงหน้าโรงเรียนก็พอ”").expect_not("ความคิดเห็นเดิม")
    assert stances(harness.db) == [("Ukeep", 5, "agree", "ขอไฟแค่ช่วงหน้าโรงเรียนก็พอ")]


def test_words_after_the_stance_are_added_to_the_typed_comment(chat, harness, published):
    """QA: "ข้อ 5 ควร…", then "เห็นด้วยค่ะ แต่ต้องมีไฟ" for the stance: "แต่ต้องมีไฟ" was dropped silently."""
    u = chat("Uextra")
    u.say("ข้อ 5 ควรเพิ่มไฟส่องสว่างริมคลอง").expect("คุณเห็นด้วยกับข้อ 5 ไหมคะ")
    u.say("เห็นด้วยค่ะ แต่ต้องมีไฟ").expect("ข้อ 5: 👍 เห็นด้วย", "ความเห็น: “ควรเพิ่มไฟส่องสว่างริมคลอง แต่ต้องมีไฟ”")
    u.tap("ส่งเลย").expect("ความเห็นเพิ่มเติม: “ควรเพิ่มไฟส่องสว่างริมคลอง แต่ต้องมีไฟ”")
    assert stances(harness.db) == [("Uextra", 5, "agree", "ควรเพิ่มไฟส่องสว่างริมคลอง แต่ต้องมีไฟ")]
    # A stance alone adds nothing.
    u.say("ข้อ 4 ควรแจกเมล็ดผัก").say("ไม่แน่ใจค่ะ").expect("ความเห็น: “ควรแจกเมล็ดผัก”")


def _closed_round(harness, tmp_path) -> None:
    now = now_utc()
    with harness.db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "c.yaml", SMALL_YAML), now=now)
        svc.publish(s, c, now=now)
        svc.create_round(s, c, "รอบแรก", now - timedelta(days=20), now - timedelta(days=5))


def test_a_comment_typed_in_a_closed_round_can_go_to_the_staff(chat, harness, tmp_path):
    """QA: "ข้อ 3 เห็นด้วยค่ะ ควรมี…" after the round closed was answered "ปิดรับความคิดเห็นแล้ว" and the
    suggestion was lost; it is offered to the staff instead, and goes only when tapped."""
    _closed_round(harness, tmp_path)
    staff = chat("Ustaffclosed", role="staff")
    u = chat("Ulatecomment", name="มาลี")
    u.say("ข้อ 3 เห็นด้วยค่ะ ควรมีทางจักรยาน").expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ", "ส่งถึงเจ้าหน้าที่")
    assert "ส่งถึงเจ้าหน้าที่" in u.quick_labels()
    harness.run_outbox()
    staff.refresh().expect_quiet()                                  # nothing goes without the tap
    u.tap("ส่งถึงเจ้าหน้าที่").expect("ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ")
    harness.run_outbox()
    staff.refresh().expect("คุณมาลี", "ข้อ 3", "เห็นด้วย · ควรมีทางจักรยาน", "ไม่ได้เปิดรับความคิดเห็น")
    assert stances(harness.db) == []
    u.say("ข้อ 3 เห็นด้วยค่ะ ควรมีทางจักรยาน")
    late_chip = u.find_action("ส่งถึงเจ้าหน้าที่")
    u.tap("ส่งถึงเจ้าหน้าที่")
    u.postback(late_chip["data"]).expect("ปุ่มนี้ใช้ไม่ได้แล้วค่ะ")  # tapped twice: sent once
    with harness.db.session(readonly=True) as s:
        assert s.query(ContactMessage).count() == 2
    # A stance alone has nothing to pass on.
    u.say("ไม่เห็นด้วยกับข้อ 4").expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ").expect_not("ส่งถึงเจ้าหน้าที่")


# --- a resident's own answers, asked for in words -----------------------------------------------------------

MY_CLAUSE_3 = ["ความเห็นของฉันข้อ 3", "ความเห็นข้อ ๓ ของฉันค่ะ", "ฉันตอบข้อ 3 ว่าอะไร", "ขอดูความคิดเห็นของผมต่อข้อ 3 หน่อยครับ",
               "ฉันให้ความเห็นข้อ 3 ไว้ว่าอะไรนะ", "ข้อ 3 ฉันตอบว่ายังไง"]


def test_a_resident_asks_what_they_said_about_a_clause(chat, harness, published):
    """"ความเห็นของฉันข้อ 3" was read as feedback on ข้อ 3 with the comment “ฉัน” (waiting for a stance); it
    shows what they said about the clause in the open round, with chips to change it, comment, or read it."""
    u = chat("Umine")
    u.say("ความเห็นของฉันข้อ 4").expect("คุณยังไม่ได้แสดงความเห็นต่อข้อ 4 ในรอบรับฟังความคิดเห็นครั้งที่ 1").expect_not(
        "ความเห็นที่พิมพ์มา")
    assert {"เห็นด้วย", "ไม่เห็นด้วย", "ไม่แน่ใจ", "อ่านข้อ 4"} <= set(u.quick_labels())
    assert flow_of(harness.db, "Umine") is None
    u.say("ข้อ 3").tap("เห็นด้วย").say("อยากให้มีผักปลอดสาร")
    for said in MY_CLAUSE_3:
        u.say(said).expect("ความเห็นของคุณต่อข้อ 3 (รอบรับฟังความคิดเห็นครั้งที่ 1)", "👍 เห็นด้วย",
                           "ความคิดเห็น: “อยากให้มีผักปลอดสาร”", "เปลี่ยนได้จนถึง").expect_not(
            "ความเห็นที่พิมพ์มา", "ไหมคะ", "สมัคร")
        assert {"เปลี่ยนความเห็น", "แก้ความคิดเห็น", "อ่านข้อ 3"} <= set(u.quick_labels()), said
        assert flow_of(harness.db, "Umine") is None, said
    assert stances(harness.db) == [("Umine", 3, "agree", "อยากให้มีผักปลอดสาร")]
    # The chips: change the stance (the earlier comment, its reason, goes with it) …
    u.tap("เปลี่ยนความเห็น").expect("คุณเห็นด้วยกับข้อ 3 ไหมคะ").tap("ไม่แน่ใจ").tap("ข้าม")
    u.expect("เปลี่ยนความเห็นของคุณต่อข้อ 3 เป็น “ไม่แน่ใจ” แล้ว (เดิม: เห็นด้วย)", "ลบความคิดเห็นเดิม")
    assert stances(harness.db) == [("Umine", 3, "unsure", None)]
    # … write another comment (the stance as it is) …
    u.say("ความเห็นของฉันข้อ 3").tap("เพิ่มความคิดเห็น").expect("อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ")
    u.say("ขอดูงบประมาณก่อนค่ะ").expect("ความเห็นเพิ่มเติม: “ขอดูงบประมาณก่อนค่ะ”")
    assert stances(harness.db) == [("Umine", 3, "unsure", "ขอดูงบประมาณก่อนค่ะ")]
    # … or read the clause.
    u.say("ความเห็นของฉันข้อ 3").tap("อ่านข้อ 3").expect("ร้านอาหารในชุมชน", "คุณเลือก: 🤔 ไม่แน่ใจ")
    u.say("ความเห็นของฉันข้อ 9").expect("ไม่พบข้อ 9", "ข้อ 1–5")
    # A comment that only mentions the speaker is still a comment.
    u.say("ข้อ 4 ฉันว่าควรแจกเมล็ดผักฟรี").expect("คุณเห็นด้วยกับข้อ 4 ไหมคะ", "ความเห็นที่พิมพ์มา")


def test_a_resident_asks_for_all_their_answers(chat, harness, published):
    """"ดูความเห็นของฉัน" listed the activities they had signed up for ("ตอนนี้คุณยังไม่ได้สมัครกิจกรรมไหนค่ะ")."""
    u = chat("Umylist")
    u.say("ดูความเห็นของฉัน").expect("คุณยังไม่ได้แสดงความเห็นในรอบรับฟังความคิดเห็นครั้งที่ 1").expect_not("สมัครกิจกรรม")
    assert "อ่านธรรมนูญ" in u.quick_labels()
    u.say("ข้อ 5").tap("ไม่เห็นด้วย").tap("ข้าม")
    u.say("ข้อ 3").tap("เห็นด้วย").say("อยากให้มีผักปลอดสารทุกร้าน")
    for said in ("ดูความเห็นของฉัน", "ความเห็นของฉันค่ะ", "ฉันตอบอะไรไว้บ้าง"):
        u.say(said).expect("ความเห็นของคุณในรอบรับฟังความคิดเห็นครั้งที่ 1 (ตอบแล้ว 2 จาก 5 ข้อ)",
                           "ข้อ 3: 👍 เห็นด้วย · “อยากให้มีผักปลอดสารทุกร้าน”", "ข้อ 5: 👎 ไม่เห็นด้วย").expect_not(
            "สมัครกิจกรรม")
    assert u.text.index("ข้อ 3:") < u.text.index("ข้อ 5:")
    assert {"ข้อ 3", "ข้อ 5"} <= set(u.quick_labels())
    u.tap("ข้อ 5").expect("ความเห็นของคุณต่อข้อ 5", "👎 ไม่เห็นด้วย", "ความคิดเห็น: (ไม่มี)")
    u.tap("เพิ่มความคิดเห็น").expect("ตอนนี้คุณเลือก “ไม่เห็นด้วย” กับข้อ 5 ค่ะ", "อยากเพิ่มเหตุผล")
    u.say("เมนู").expect("ความเห็นของคุณต่อข้อ 5 ยังเป็น “ไม่เห็นด้วย” เหมือนเดิมค่ะ")  # nothing was changed
    assert stances(harness.db, "Umylist") == [("Umylist", 3, "agree", "อยากให้มีผักปลอดสารทุกร้าน"),
                                              ("Umylist", 5, "disagree", None)]


def test_own_answers_after_the_round_closed(chat, harness, published):
    """Asked after the round closed: what was said then, that the round is closed, and no chip to change it."""
    u = chat("Umineclosed")
    u.say("ข้อ 3").tap("เห็นด้วย").say("อยากให้มีผักปลอดสาร")
    with harness.db.session() as s:
        svc.get_round(s, published[1]).closes_at = now_utc() - timedelta(minutes=1)
        svc.views.forget(s)  # staff's tools forget the shared snapshot with each change; this test changes it by hand
    u.say("ความเห็นของฉันข้อ 3").expect("ในรอบรับฟังความคิดเห็นครั้งที่ 1 คุณตอบข้อ 3 ว่า 👍 เห็นด้วย",
                                      "ความคิดเห็น: “อยากให้มีผักปลอดสาร”", "ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ")
    assert "เปลี่ยนความเห็น" not in u.quick_labels() and "อ่านข้อ 3" in u.quick_labels()
    u.say("ความเห็นของฉันข้อ 4").expect("คุณไม่ได้แสดงความเห็นต่อข้อ 4", "ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ")
    u.say("ดูความเห็นของฉัน").expect("ความเห็นของคุณในรอบรับฟังความคิดเห็นครั้งที่ 1", "ข้อ 3: 👍 เห็นด้วย",
                                   "ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ")


# --- one stance typed for several clauses ---------------------------------------------------------------------

def test_one_stance_typed_for_several_clauses_is_recorded_on_each_after_one_confirmation(chat, harness, published):
    """"เห็นด้วยข้อ 1 ข้อ 2 ข้อ 3" recorded ข้อ 1 only, with the comment “ข้อ 2 ข้อ 3”."""
    u = chat("Useveral")
    u.say("ข้อ 2").tap("ไม่เห็นด้วย").say("ลานกีฬาไม่พอ")
    u.say("เห็นด้วยข้อ 1 ข้อ 2 ข้อ 3").expect("ขอทวนก่อนบันทึกนะคะ", "👍 เห็นด้วย กับข้อ 1, 2 และ 3",
                                         "บันทึกเลยไหมคะ").expect_not("ความเห็นเพิ่มเติม", "ข้อ 2 ข้อ 3”")
    assert {"บันทึกเลย", "ไม่บันทึก"} <= set(u.quick_labels())
    assert stances(harness.db) == [("Useveral", 2, "disagree", "ลานกีฬาไม่พอ")]  # nothing before the confirmation
    u.tap("บันทึกเลย").expect("ขอบคุณค่ะ 🙏 บันทึกความเห็นของคุณแล้ว: 👍 เห็นด้วย กับข้อ 1, 2 และ 3",
                             "เปลี่ยนจากเดิม: ข้อ 2 (ไม่เห็นด้วย)", "ลบความคิดเห็นเดิมของข้อ 2 แล้ว",
                             "เปลี่ยนใจได้จนถึง")
    assert stances(harness.db) == [("Useveral", 1, "agree", None), ("Useveral", 2, "agree", None),
                                   ("Useveral", 3, "agree", None)]
    assert flow_of(harness.db, "Useveral") is None
    # Said again with another stance, each one is replaced (one stance per clause and round).
    u.say("ไม่เห็นด้วยข้อ 1, 3 ค่ะ").tap("บันทึกเลย").expect("เปลี่ยนจากเดิม: ข้อ 1 (เห็นด้วย), ข้อ 3 (เห็นด้วย)")
    assert [row[1:3] for row in stances(harness.db)] == [(1, "disagree"), (2, "agree"), (3, "disagree")]


@pytest.mark.parametrize(("said", "stance", "nos", "named"), [
    ("เห็นด้วยข้อ 1, 2 และ 3", "agree", [1, 2, 3], "👍 เห็นด้วย กับข้อ 1, 2 และ 3"),
    ("ไม่เห็นด้วยข้อ 4 กับข้อ 5", "disagree", [4, 5], "👎 ไม่เห็นด้วย กับข้อ 4 และ 5"),
    ("ยายเห็นด้วยกับข้อ ๑ และข้อ ๒ จ้ะ", "agree", [1, 2], "👍 เห็นด้วย กับข้อ 1 และ 2"),
    ("ข้อ 2 กับ 4 ไม่แน่ใจค่ะ", "unsure", [2, 4], "🤔 ไม่แน่ใจ กับข้อ 2 และ 4"),
    ("เห็นด้วยข้อ 3-5", "agree", [3, 4, 5], "👍 เห็นด้วย กับข้อ 3, 4 และ 5"),
])
def test_the_ways_several_clauses_are_named(chat, harness, published, said, stance, nos, named):
    u = chat("Uways")
    u.say(said).expect(named, "บันทึกเลยไหมคะ").expect_not("ความเห็นเพิ่มเติม")
    u.say("ใช่ค่ะ").expect("บันทึกความเห็นของคุณแล้ว")
    assert stances(harness.db) == [("Uways", no, stance, None) for no in nos]


def test_several_clauses_with_a_reason_and_one_that_does_not_exist(chat, harness, published):
    u = chat("Ureason")
    u.say("ไม่เห็นด้วยข้อ 4 และข้อ 9 เพราะแพงเกินไป").expect(
        "👎 ไม่เห็นด้วย กับข้อ 4\nความเห็นเพิ่มเติม: “แพงเกินไป”",
        "ไม่พบข้อ 9 ในธรรมนูญฉบับนี้ จึงไม่บันทึกข้อนี้ค่ะ")
    u.tap("บันทึกเลย").expect("บันทึกความเห็นของคุณแล้ว: 👎 ไม่เห็นด้วย กับข้อ 4",
                             "ความเห็นเพิ่มเติม: “แพงเกินไป”", "ไม่พบข้อ 9 ในธรรมนูญฉบับนี้ จึงไม่ได้บันทึกค่ะ")
    assert stances(harness.db) == [("Ureason", 4, "disagree", "แพงเกินไป")]
    u.say("เห็นด้วยข้อ 3 กับข้อ 5 ค่ะ อยากให้เริ่มที่โรงเรียนก่อน").expect(
        "ความเห็นเพิ่มเติม (ใส่ไว้ทุกข้อ): “อยากให้เริ่มที่โรงเรียนก่อน”").tap("บันทึกเลย")
    assert stances(harness.db) == [("Ureason", 3, "agree", "อยากให้เริ่มที่โรงเรียนก่อน"),
                                   ("Ureason", 4, "disagree", "แพงเกินไป"),
                                   ("Ureason", 5, "agree", "อยากให้เริ่มที่โรงเรียนก่อน")]
    u.say("เห็นด้วยข้อ 8 ข้อ 9").expect("ไม่พบข้อ 8 และ 9 ค่ะ", "ข้อ 1–5").expect_not("บันทึกเลยไหมคะ")


def test_several_clauses_not_confirmed_or_with_two_stances_record_nothing(chat, harness, published):
    u = chat("Unothing")
    u.say("เห็นด้วยข้อ 1 ข้อ 2").tap("ไม่บันทึก").expect("ไม่บันทึกค่ะ ความเห็นเดิมของคุณยังอยู่เหมือนเดิมนะคะ")
    # two stances and a reason: whose reason? (two stances alone are each recorded: test_chat_typed)
    u.say("เห็นด้วยข้อ 1 ไม่เห็นด้วยข้อ 2 เพราะแพง").expect("ข้อความนี้มีทั้ง “เห็นด้วย” และ “ไม่เห็นด้วย” ค่ะ",
                                             "ยังไม่ได้บันทึกอะไร").expect_not("บันทึกเลยไหมคะ")
    assert stances(harness.db) == [] and flow_of(harness.db, "Unothing") is None
    # A stance said of the clauses and another in the reason is one stance, with its reason.
    u.say("เห็นด้วยข้อ 1 ข้อ 2 แต่ไม่แน่ใจเรื่องงบ").expect("👍 เห็นด้วย กับข้อ 1 และ 2", "“แต่ไม่แน่ใจเรื่องงบ”")


def test_several_clauses_in_a_closed_round_or_without_consent(chat, harness, tmp_path):
    _closed_round(harness, tmp_path)
    u = chat("Useveralclosed")
    u.say("เห็นด้วยข้อ 1 ข้อ 2 ข้อ 3").expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ").expect_not("บันทึกเลยไหมคะ")
    assert "ส่งถึงเจ้าหน้าที่" not in u.quick_labels()  # a stance alone, as for one clause
    u.say("ไม่เห็นด้วยข้อ 4 กับข้อ 5 เพราะแพง").expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ", "ส่งถึงเจ้าหน้าที่")
    staff = chat("Ustaffsev", role="staff")
    u.tap("ส่งถึงเจ้าหน้าที่")
    harness.run_outbox()
    staff.refresh().expect("ข้อ 4 และ 5", "ไม่เห็นด้วย · แพง")
    assert stances(harness.db) == [] and flow_of(harness.db, "Useveralclosed") is None


def test_several_clauses_ask_for_consent_first(chat, harness, published):
    u = chat("Useveralconsent", consent=False)
    u.say("เห็นด้วยข้อ 1 ข้อ 2").expect("ยินยอม").expect_not("บันทึกเลยไหมคะ")
    assert stances(harness.db) == []
