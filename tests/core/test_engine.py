"""The conversation engine with a small flow declared in the test."""


import pytest
from sqlalchemy import select

from bot import replies
from bot.dispatcher import on_command
from bot.flows import engine
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.services.errors import ServiceError
from storage.models import Conversation

CONFIRMATIONS: list[str] = []
"""The events that reached finish(), each once (a refused one may be acted on again, alone)."""


@register_flow
class PetitionFlow(Flow):
    name = "test_petition"
    title = "เขียนคำร้องทดสอบ"
    steps = (
        Step("subject", ask="เรื่องอะไรคะ", parse=engine.free_text(max_len=20)),
        Step("urgent", ask="ด่วนไหมคะ", choices=[Choice("ด่วน", "yes"), Choice("ไม่ด่วน", "no")],
             parse=engine.one_of([Choice("ด่วน", "yes"), Choice("ไม่ด่วน", "no")])),
        Step("confirm", ask="ยืนยันส่งไหมคะ", choices=[Choice("ส่ง", "yes")], parse=engine.yes_no),
    )

    def finish(self, ctx, data):
        if ctx.event["webhookEventId"] not in CONFIRMATIONS:
            CONFIRMATIONS.append(ctx.event["webhookEventId"])
        if ctx.event["webhookEventId"] == CONFIRMATIONS[0]:
            raise ServiceError("busy", "ระบบปฏิเสธครั้งแรกค่ะ ลองยืนยันอีกครั้งนะคะ")
        ctx.reply(replies.text(f"ส่งคำร้องเรื่อง {data['subject']} แล้วค่ะ"))


@on_command("ทดสอบคำร้อง")
def start_petition(ctx, _):
    ctx.start_flow("test_petition")


def conversation(harness, user_id):
    with harness.db.session(readonly=True) as s:
        return s.scalar(select(Conversation).where(Conversation.line_user_id == user_id))


def test_invalid_answer_is_re_asked_with_the_reason(chat):
    u = chat("Ueng1")
    u.say("ทดสอบคำร้อง").expect("เรื่องอะไร")
    u.say("ก" * 30).expect("ยาวเกินไป", "เรื่องอะไร")
    u.say("ถนนมืด").expect("ด่วนไหม")
    u.say("อาจจะ").expect("เลือกจากปุ่ม", "ด่วนไหม")


def test_back_returns_to_the_previous_question_and_keeps_going(chat):
    u = chat("Ueng2")
    u.say("ทดสอบคำร้อง").say("ถนนมืด").tap("ด่วน").expect("ยืนยันส่ง")
    u.say("ย้อนกลับ").expect("ด่วนไหม")
    u.tap("ไม่ด่วน").expect("ยืนยันส่ง")


def test_a_refused_finish_keeps_everything_typed(chat, harness):
    CONFIRMATIONS.clear()
    u = chat("Ueng3")
    u.say("ทดสอบคำร้อง").say("ไฟทางดับ").tap("ด่วน").tap("ส่ง").expect("ปฏิเสธครั้งแรก", "ยืนยันส่ง")
    conv = conversation(harness, "Ueng3")
    assert conv.flow == "test_petition" and conv.data["subject"] == "ไฟทางดับ"
    u.tap("ส่ง").expect("ส่งคำร้องเรื่อง ไฟทางดับ แล้ว")
    assert conversation(harness, "Ueng3").flow is None


def test_menu_word_leaves_the_flow(chat, harness):
    u = chat("Ueng4")
    u.say("ทดสอบคำร้อง").say("เมนู").expect("ออกจากขั้นตอนเขียนคำร้องทดสอบ")
    assert conversation(harness, "Ueng4").flow is None


def test_skip_typed_when_no_question_is_open_says_so(chat):
    """A "ข้าม" chip tapped after its flow ended used to get "ยังไม่แน่ใจว่าต้องการอะไร"."""
    chat("Uskip").say("ข้าม").expect("ตอนนี้ไม่มีคำถามให้ข้ามค่ะ")


def test_flow_state_survives_a_restart(chat, harness, app, settings):
    """State lives in the database: a new app (a restarted process) carries on the same conversation."""
    from bot.app import create_app
    from tests.support.chat import Chat, Harness

    u = chat("Ueng5")
    u.say("ทดสอบคำร้อง").say("น้ำท่วมซอย")
    restarted = create_app(settings, db=harness.db)
    try:
        again = Harness(app=restarted, client=restarted.test_client(), fake=harness.fake, db=harness.db,
                        secret=harness.secret)
        Chat(harness=again, user_id="Ueng5", _seen=u._seen).say("ด่วน").expect("ยืนยันส่ง")
    finally:
        restarted.extensions["ruamkan.processor"].shutdown()
        restarted.extensions["ruamkan.sender"].shutdown()


def test_flow_cleared_by_the_worker_sweep_is_mentioned_once(chat, harness):
    u = chat("Ueng6")
    u.say("ทดสอบคำร้อง")
    with harness.db.session() as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == "Ueng6"))
        conv.flow, conv.step, conv.expired_notice = None, None, "test_petition"
    u.say("วิธีใช้").expect("หมดเวลา", "ช่วยอะไรได้บ้าง")
    u.say("วิธีใช้").expect_not("หมดเวลา")


def test_a_choice_is_named_by_its_label_with_words_around_it():
    from bot.flows.engine import _choice_named, bare_word

    options = [Choice("ยินยอม", "yes"), Choice("ไม่ยินยอม", "no"), Choice("อ่านรายละเอียด", "more")]

    def named(text):
        found = _choice_named(bare_word(text), options)
        return found.value if found else None

    assert named("ยินยอมค่ะ") == "yes"
    assert named("ไม่ยินยอมครับ") == "no"
    assert named("ขอไม่ยินยอมนะคะ") == "no"
    assert named("รายละเอียด") == "more"
    assert named("ยินยอมทุกอย่างแต่ขอถามก่อนว่าเก็บอะไรบ้าง") is None  # a sentence, not a choice
    assert named("ยิน") is None  # part of two labels


def test_typed_text_is_a_chip_only_when_it_holds_a_whole_label():
    from bot.flows.engine import Answer, Step, _typed_chip

    step = Step("reason", ask="เรื่องไหนคะ", choices=[Choice("ขอรายละเอียดงบประมาณ", "budget")])
    typed = _typed_chip(None, step, Answer(kind="text", text="งบประมาณ"))  # a reason of their own
    assert (typed.kind, typed.text) == ("text", "งบประมาณ")
    tapped = _typed_chip(None, step, Answer(kind="text", text="ขอรายละเอียดงบประมาณค่ะ"))
    assert (tapped.kind, tapped.value) == ("choice", "budget")


def test_yes_and_no_are_read_whatever_particle_closes_them():
    """Older users close with จ้ะ or ค่า: "ใช่จ้ะ" was "ตอบ ใช่ หรือ ไม่ใช่ ได้เลยค่ะ"."""
    for typed in ("ใช่จ้ะ", "ใช่ค่า", "ได้เลยจ้ะ", "โอเคจ้ะ", "ตกลงค่ะ", "ส่งเลยครับผม", "จ้ะ", "เอาจ้ะ"):
        assert engine.said_yes(typed), typed
    for typed in ("ไม่เอาจ้ะ", "ไม่ต้องค่า", "ไม่ใช่ครับ"):
        assert engine.said_no(typed), typed
    assert engine.bare_word("ค่ะ") == "ค่ะ"  # a particle alone stays itself (it is a yes)
    assert not engine.said_yes("ใช่ไหม") and not engine.said_no("ไม่แน่ใจจ้ะ")


def test_a_few_yes_words_together_are_a_yes_and_a_mix_is_neither():
    """"โอเคค่ะ ยืนยัน" at the sign-up summary was "แตะปุ่มด้านล่าง หรือพิมพ์ “ใช่” หรือ “ไม่ใช่”…"."""
    for typed in ("โอเคค่ะ ยืนยัน", "ได้เลยจ้ะ ตกลง", "ใช่ค่ะ ถูกต้อง", "โอเคค่ะยืนยัน"):
        assert engine.said_yes(typed) and not engine.said_no(typed), typed
    for typed in ("ไม่เอาค่ะ ไม่ต้อง", "ไม่ใช่ค่ะ ไม่เอา"):
        assert engine.said_no(typed) and not engine.said_yes(typed), typed
    for typed in ("ได้ไม่", "ใช่ไม่", "ค่ะ ไม่", "ไม่ได้", "โอเคค่ะ แต่ขอแก้ก่อน"):
        assert not engine.said_yes(typed) and not engine.said_no(typed), typed
    assert engine.said_yes("ส่งค่ะ") and engine.said_yes("ส่งได้เลยค่ะ")  # "send" at a send step


def test_yes_with_a_cancelling_is_yes_where_the_yes_choice_cancels():
    """"ใช่ค่ะ ยกเลิกเลย" to "ยกเลิกประกาศ #4 … ใช่ไหมคะ" was taken for another journey."""
    choices = [Choice("ยกเลิกประกาศ", "yes"), Choice("ไม่ยกเลิก", "no")]
    parse = engine.one_of_or_yes_no(choices)
    assert parse(None, Answer(kind="text", text="ใช่ค่ะ ยกเลิกเลย")) == "yes"
    keep = engine.one_of_or_yes_no([Choice("ลบเลย", "yes"), Choice("ไม่ลบ", "no")])
    with pytest.raises(Invalid):
        keep(None, Answer(kind="text", text="ใช่ค่ะ ยกเลิกเลย"))  # elsewhere a mix of yes and "cancel" is neither


SURE = [Choice("แน่ใจ", "yes"), Choice("ไม่แน่ใจ", "no")]


@register_flow
class SureFlow(Flow):
    name = "test_sure"
    title = "ตอบคำถามทดสอบ"
    steps = (Step("sure", ask="แน่ใจไหมคะ", choices=SURE, parse=engine.one_of(SURE, allow_text=False)),)

    def finish(self, ctx, data):
        ctx.reply(replies.text("รับทราบค่ะ"))


@on_command("ถามซ้ำทดสอบ")
def start_sure(ctx, _):
    ctx.start_flow("test_sure")


def test_a_request_that_reopens_the_same_question_is_not_offered_to_leave_for_again(chat):
    u = chat("Ueng9")
    u.say("ถามซ้ำทดสอบ").expect("แน่ใจไหมคะ")
    u.say("ถามซ้ำทดสอบ").expect("ออกจากขั้นตอนเดิมไหมคะ")
    u.say("ใช่").expect("แน่ใจไหมคะ").expect_not("ออกจากขั้นตอนเดิมไหมคะ")
    # Left for, the request came back to this very question: typed again, no loop of "leave?" questions.
    u.say("ถามซ้ำทดสอบ").expect("แน่ใจไหมคะ").expect_not("ออกจากขั้นตอนเดิมไหมคะ")
    u.tap("แน่ใจ").expect("รับทราบค่ะ")
