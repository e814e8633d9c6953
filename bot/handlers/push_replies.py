"""Words typed right after a push (a reminder, a freed seat, an idea's news, staff's answer) read as its answer.

Mid-journey, only what fits the push better than the open question ("ไปไม่ได้แล้วค่ะ ขอยกเลิก" after a
reminder, at the project's title) is taken, and the journey is kept for later ("กลับไปทำต่อ").
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any

from bot import dispatcher, postback, replies, texts
from bot.context import Ctx
from bot.dispatcher import on_after_push, on_postback, on_unsure
from bot.flows import contact as contact_flows
from bot.flows import engine
from bot.services import activities as svc
from bot.services import ideas, outbox, pushed
from bot.services.errors import ServiceError
from bot.services.pushed import Pushed
from storage.models import Activity, Idea

CANT_GO = re.compile(r"ไปไม่ได้|ไปไม่ทัน|ไม่ได้ไป|ไม่ไป|ไม่สะดวก|ติดธุระ|ไม่ว่าง|ขอยกเลิก|ยกเลิก|ขอถอน|ถอนชื่อ"
                     r"|ไป\S{0,30}?ไม่ได้|ไป\S{0,30}?ไม่ทัน")
"""Can't go, said plainly or around the activity's name ("ไปวัดความดันไม่ได้แล้วค่ะ")."""
GOING_WORDS = {"ไป", "ไปค่ะ", "ไปแน่นอน", "ไปแน่", "จะไป", "ไปได้", "ไปได้ค่ะ", "ไปตามนัด", "รับทราบ", "ทราบแล้ว",
               "โอเค", "ok", "ตกลง", "ได้เลย", "เจอกัน", "แล้วเจอกัน", "ค่ะ", "ครับ"}
THANKS_WORDS = {"ขอบคุณ", "ขอบคุณมาก", "ขอบคุณมากๆ", "ขอบคุณนะ", "ขอบใจ", "ขอบใจจ้ะ", "thanks", "thank", "thankyou",
                "you", "มาก", "นะ", "ๆ", "🙏", "👍", "😊"}
ACTIVITY_KINDS = ("reminder", "seat", "activity_change")
ASIDE_ACTION = "activity.cancel_aside"
FOLLOW_UP_LEAD = "เจ้าหน้าที่เพิ่งตอบคุณมาค่ะ ข้อความนี้จะส่งต่อถึงเจ้าหน้าที่ในเรื่องเดิมนะคะ"
REVISION_ACTION = "idea.revision_note"
REVISION_ASKED = "_revision_idea"
"""engine.put key in the send-as-answer question: the idea whose revision the text pending answers."""
ACK_WORDS = {"ได้", "ได้เลย", "รับทราบ", "ทราบ", "ทราบแล้ว", "โอเค", "ok", "ตกลง", "เดี๋ยว", "จะ", "รีบ", "แก้", "แก้ไข",
             "ปรับ", "ปรับแก้", "ให้", "นะ", "เลย", "ค่ะ", "คะ", "ครับ", "ครับผม", "จ้า", "จ้ะ", "ขอบคุณ", "ขอบคุณมาก"}
"""A plain acknowledgement of a revision request ("ได้ครับ เดี๋ยวแก้ให้นะครับ", "รับทราบค่ะ"): no answer to send."""
ACKNOWLEDGED = "รับทราบค่ะ แก้ได้ที่ปุ่ม “แก้ไขโครงการ” หรือพิมพ์สิ่งที่จะแก้มาได้เลยนะคะ"


def _role(ctx: Ctx) -> str | None:
    return ctx.user.role if ctx.user else None


def _since_asked(ctx: Ctx) -> Any:
    flow = engine.active_flow(ctx)
    conv = ctx.conversation
    return pushed.asked_at(conv.expires_at if conv else None, flow.timeout if flow else engine.DEFAULT_TIMEOUT,
                           ctx.now)


def _live(ctx: Ctx, activity_id: int | None, text: str | None = None) -> Activity | None:
    """The pushed activity, when I still hold a place in it (confirmed or waiting); but another of my sign-ups
    when the text names it ("ขอยกเลิกรำไม้พลอง" after the reminder of another)."""
    if activity_id is None or ctx.user is None:
        return None
    mine = [row.activity for row in svc.my_signups(ctx.session, ctx.user, ctx.now)]
    if text:
        from bot.handlers.activities import CANCEL_WORDS, find_named_activity

        named = find_named_activity(ctx, CANCEL_WORDS.sub("", text), mine, loose=True)
        if named is not None:
            return named
    return next((activity for activity in mine if activity.id == activity_id), None)


def _only(text: str, *vocabularies: set[str]) -> bool:
    words: set[str] = set().union(*vocabularies)
    return engine.said_only(text, words)


# --- mid-journey ----------------------------------------------------------------------------------

@on_after_push
def answered_aside(ctx: Ctx, text: str) -> bool:
    """"ใช่" / "ไม่ยกเลิก" typed to the cancel question asked beside an open journey."""
    conv = ctx.conversation
    kept = engine.data(ctx).get("_aside") if engine.active_flow(ctx) is not None else None
    if not kept or conv is None:
        return False
    said = engine.bare_word(text)
    yes = said in ("ยืนยันยกเลิกสมัคร", "ยืนยันยกเลิก", "ยกเลิกเลย") or engine.said_yes(text)
    no = said in ("ไม่ยกเลิก", "ไม่ยกเลิกแล้ว") or engine.said_no(text)
    engine.put(ctx, _aside=None)
    if not (yes or no):
        return False  # the step's answer after all: the question beside it is dropped
    _cancel_aside(ctx, {"id": str(kept), "go": "1" if yes else "0"})
    return True


@on_after_push
def revision_note_retyped(ctx: Ctx, text: str) -> bool:
    """A new message while "จะส่งข้อความนี้ถึงเจ้าหน้าที่…" waits: the question asked again with it (the new text
    was refused with "แตะปุ่มด้านล่าง…" and lost)."""
    from bot.flows import confirm

    flow = engine.active_flow(ctx)
    idea_id = engine.data(ctx).get(REVISION_ASKED) if flow is not None and flow.name == confirm.NAME else None
    if not idea_id or button_word(text) or dispatcher.command_for(text) is not None:
        return False
    reading = ctx.route(text)  # another request ("อยากสมัครรำไม้พลองค่ะ") is kept as at any yes/no question
    if getattr(reading, "sure", False) and reading.intent in dispatcher.JOURNEY_INTENTS:
        return False
    return _offer_revision_note(ctx, int(idea_id), text)


@on_after_push
def reply_to_push(ctx: Ctx, text: str) -> bool:
    """What the person typed answers the push that came after the last question (or, outside a journey,
    a push of the last day) better than anything else: its answer."""
    if ctx.user is None or ctx.is_group or ctx.conversation is None:
        return False
    flow = engine.active_flow(ctx)
    if flow is not None and (not ctx.conversation.step or engine.names_a_chip(ctx, text)
                             or not (CANT_GO.search(text) or _only(text, GOING_WORDS, THANKS_WORDS))):
        return False  # mid-journey, only these can fit a push better than the question (and no read else)
    since = _since_asked(ctx) if flow is not None else ctx.now - pushed.REPLY_WINDOW
    push = pushed.last_push(ctx.session, ctx.user.line_user_id, since, ctx.now)
    if push is None:
        return False
    if flow is not None:
        return _mid_journey(ctx, flow, push, text)
    return _at_top(ctx, push, text)


def _choice_step(ctx: Ctx, flow: engine.Flow) -> bool:
    step = flow.step(ctx.conversation.step)
    return bool(step.choices(ctx) if callable(step.choices) else step.choices)


def _mid_journey(ctx: Ctx, flow: engine.Flow, push: Pushed, text: str) -> bool:
    if push.kind in ACTIVITY_KINDS and CANT_GO.search(text):
        activity = _live(ctx, push.activity_id, text)
        if activity is None:
            return False
        _ask_cancel_aside(ctx, flow, activity)
        return True
    if _choice_step(ctx, flow):
        return False  # "โอเค", "ค่ะ" may well answer the question's choices
    if push.kind in ACTIVITY_KINDS and _only(text, GOING_WORDS, THANKS_WORDS):
        activity = _live(ctx, push.activity_id)
        if activity is not None:
            ctx.reply(_with_way_back(ctx, flow, f"รับทราบค่ะ 😊 แล้วพบกันที่ “{activity.title}” นะคะ"))
            return True
    if _only(text, THANKS_WORDS):
        ctx.reply(_with_way_back(ctx, flow, "ยินดีค่ะ 😊"))
        return True
    return False


def _with_way_back(ctx: Ctx, flow: engine.Flow, said: str) -> dict[str, Any]:
    """`said`, then that the open journey is kept, with the chip back to its question."""
    back = replies.quick_postback(outbox.RESUME_LABEL, outbox.RESUME_ACTION, outbox.RESUME_LABEL)
    return replies.text(f"{said}\nขั้นตอน{flow.title}ที่ทำค้างไว้ยังอยู่ แตะ “{outbox.RESUME_LABEL}” เมื่อพร้อมนะคะ",
                        quick=[back, replies.quick_message("เมนู")])


def _ask_cancel_aside(ctx: Ctx, flow: engine.Flow, activity: Activity) -> None:
    """The cancel question about the pushed activity, beside the open journey (which stays as it is)."""
    engine.put(ctx, _aside=activity.id)
    yes = postback.encode(ASIDE_ACTION, id=activity.id, go="1")
    no = postback.encode(ASIDE_ACTION, id=activity.id, go="0")
    question = replies.confirm(f"ยกเลิกการสมัคร “{activity.title}” ไหมคะ",
                               f"ไปไม่ได้ใช่ไหมคะ ยกเลิกการสมัคร “{activity.title}” เลยไหมคะ",
                               replies.act_postback("ยืนยันยกเลิกสมัคร", yes, "ยืนยันยกเลิกสมัคร"),
                               replies.act_postback("ไม่ยกเลิก", no, "ไม่ยกเลิก"))
    back = replies.quick_postback(outbox.RESUME_LABEL, outbox.RESUME_ACTION, outbox.RESUME_LABEL)
    question["quickReply"] = {"items": [back]}
    ctx.reply(replies.text(f"เรื่องกิจกรรมที่เพิ่งแจ้งเตือนนะคะ ขั้นตอน{flow.title}ที่ทำค้างไว้ยังเก็บไว้ให้ค่ะ"),
              question)


@on_postback(ASIDE_ACTION)
def _cancel_aside(ctx: Ctx, args: dict[str, str]) -> None:
    """The answer to the cancel question asked beside a journey: the journey, if still open, stays."""
    flow = engine.active_flow(ctx)
    if flow is not None:
        engine.put(ctx, _aside=None)
    if args.get("go") != "1":
        said = "ได้ค่ะ ยังคงสมัครไว้เหมือนเดิมนะคะ 😊"
    else:
        result = svc.cancel_signup(ctx.session, ctx.user, int(args.get("id") or 0), now=ctx.now)
        activity = ctx.session.get(Activity, result.signup.activity_id)
        said = f"ยกเลิกการสมัคร “{activity.title}” แล้วค่ะ ขอบคุณที่แจ้งนะคะ 🙏"
    if flow is not None and ctx.conversation.step:
        ctx.reply(_with_way_back(ctx, flow, said))
    else:
        ctx.reply(texts.menu(_role(ctx), said))


# --- outside a journey ----------------------------------------------------------------------------

def _at_top(ctx: Ctx, push: Pushed, text: str) -> bool:
    if push.kind in ACTIVITY_KINDS and CANT_GO.search(text):
        activity = _live(ctx, push.activity_id, text)
        if activity is None:
            return False
        ctx.start_flow("activity_cancel", activity_id=activity.id)
        return True
    if push.kind in ACTIVITY_KINDS and _only(text, GOING_WORDS, THANKS_WORDS) and not _only(text, THANKS_WORDS):
        activity = _live(ctx, push.activity_id)
        if activity is not None:  # "ไปค่ะ" to a reminder or a freed seat
            ctx.reply(texts.menu(_role(ctx), f"รับทราบค่ะ 😊 แล้วพบกันที่ “{activity.title}” นะคะ"))
            return True
    if push.kind == "revision" and push.idea_id is not None and _only(text, ACK_WORDS) \
            and not _only(text, THANKS_WORDS):
        return _acknowledge_revision(ctx, push.idea_id)
    if _only(text, THANKS_WORDS, GOING_WORDS):
        return False  # "ขอบคุณค่ะ": the usual answer
    if push.kind == "staff_answer":  # text the router is not sure of is for the requests' readings first
        return bool(getattr(ctx.route(text), "sure", False)) and _offer_follow_up(ctx, push, text)
    if push.kind == "revision" and push.idea_id is not None:
        return _offer_revision_note(ctx, push.idea_id, text)
    return False


CHIP_WORDS = {"ยืนยันยกเลิกสมัคร", "ยืนยันยกเลิก", "ยกเลิกเลย", "ไม่ยกเลิก", "ไม่ยกเลิกแล้ว", "ไม่ทำแล้ว", "ยกเลิกการสมัคร",
              "ที่ฉันสมัครไว้", "ดูกิจกรรม", "ตอบกลับเจ้าหน้าที่", "ถามเจ้าหน้าที่"}
"""Chip and button labels said outside any flow's choices (the cancel question, the activity chips)."""


@functools.cache
def _button_words() -> frozenset[str]:
    """Bare words that are a button or chip typed, or a short reply to one: global words, the switch question's
    answers, every flow's fixed choices, the menus' taps."""
    words = {*dispatcher.CANCEL_WORDS, *dispatcher.BACK_WORDS, *dispatcher.MENU_WORDS, *engine.SKIP_WORDS,
             *engine.LEAVE_WORDS, *engine.STAY_WORDS, *engine.AS_ANSWER_WORDS, *engine.YES_WORDS, *engine.NO_WORDS,
             *contact_flows.NOT_SENT_WORDS, *CHIP_WORDS, outbox.RESUME_LABEL, engine.CANCEL_WORD}
    for flow in engine.REGISTRY.values():
        words.update(word for step in flow.steps if isinstance(step.choices, list)
                     for word in (choice.label for choice in step.choices))
        words.update(getattr(flow, "quit_words", ()))
    return frozenset(engine.bare_word(word) for word in words) | dispatcher.menu_taps()


def button_word(text: str) -> bool:
    """A button or chip typed, or a bare short answer ("ออกเลย", "ทำต่อค่ะ", "ใช่", "ไม่ส่ง"): never a message."""
    return (engine.bare_word(text) in _button_words() or dispatcher.means_cancel(engine.bare_word(text))
            or engine.said_yes(text) or engine.said_no(text))


def _offer_follow_up(ctx: Ctx, push: Pushed, text: str) -> bool:
    """What was typed after staff's answer, shown to send on to them as its follow-up: only within a short
    while of the answer, until one is sent, and never a button's word or a bare yes or no ("ออกเลย", "ใช่")."""
    if ctx.now - push.sent_at > pushed.STAFF_ANSWER_WINDOW or button_word(text):
        return False
    offered = engine.data(ctx).get(contact_flows.FOLLOW_UP_OFFERED)
    if offered and datetime.fromisoformat(offered) >= push.sent_at:
        return False
    ctx.start_flow("contact_staff_draft", message=text, lead=FOLLOW_UP_LEAD, follow_up="1")
    return True


@on_unsure
def follow_up_unsure(ctx: Ctx, text: str) -> bool:
    """Text no reading took (this area is loaded last, so after every other `on_unsure`), typed shortly after
    staff answered: offered to them as its follow-up. A request ("ตรวจความดันวันนี้ ไป 2 คนค่ะ") is read as one."""
    if ctx.user is None or ctx.is_group or ctx.conversation is None or engine.active_flow(ctx) is not None \
            or _only(text, THANKS_WORDS, GOING_WORDS):
        return False
    push = pushed.last_push(ctx.session, ctx.user.line_user_id, ctx.now - pushed.STAFF_ANSWER_WINDOW, ctx.now)
    return push is not None and push.kind == "staff_answer" and _offer_follow_up(ctx, push, text)


def _revision_asked(ctx: Ctx, idea_id: int) -> Idea | None:
    """My idea staff sent back for revision, while it still waits for it."""
    idea = ctx.session.get(Idea, idea_id)
    if idea is None or ctx.user is None or idea.user_id != ctx.user.id or idea.status != "needs_revision":
        return None
    return idea


def _acknowledge_revision(ctx: Ctx, idea_id: int) -> bool:
    """"ได้ครับ เดี๋ยวแก้ให้นะครับ" after "ขอให้ปรับแก้": answered briefly, with the way to edit (it was offered to
    staff as the answer, and the real answer typed next was refused)."""
    idea = _revision_asked(ctx, idea_id)
    if idea is None:
        return False
    edit = replies.quick_postback("แก้ไขโครงการ", postback.encode("idea.edit", id=idea.id), "แก้ไขโครงการ")
    ctx.reply(replies.text(ACKNOWLEDGED, quick=[edit, replies.quick_message("เมนู")]))
    return True


def _offer_revision_note(ctx: Ctx, idea_id: int, text: str) -> bool:
    """After "ขอให้ปรับแก้": the words typed offered as the answer to the reviewer's note; the fields they name
    with a value ("งบขอเป็น 12,000 บาท") shown old → new, to be changed with it."""
    idea = _revision_asked(ctx, idea_id)
    if idea is None:
        return False
    from bot.flows import confirm

    _ask_revision_note(ctx, idea, text)
    flow = engine.active_flow(ctx)
    if flow is not None and flow.name == confirm.NAME:  # a new message while it waits asks again with that one
        engine.put(ctx, **{REVISION_ASKED: idea.id})
    return True


def _ask_revision_note(ctx: Ctx, idea: Idea, text: str) -> None:
    """The send-as-answer question, with the changes the text names."""
    from bot.flows import confirm

    changes = ideas.changes_from(ctx.session, idea, _fields_in(text))
    if changes:
        lines = "\n".join(ideas.change_text(ctx.session, name, old, new) for name, (old, new) in changes.items())
        confirm.ask(ctx, f"จะแก้โครงการ “{idea.title}” ตามนี้ แล้วส่งกลับให้เจ้าหน้าที่พิจารณาอีกครั้งไหมคะ\n{lines}\n"
                         f"พร้อมข้อความถึงเจ้าหน้าที่ “{text[:300]}”",
                    yes=("แก้และส่งกลับ", postback.encode_kept(REVISION_ACTION, id=idea.id, t=text, f="1")),
                    no=("ไม่ส่ง", postback.encode(REVISION_ACTION, id=idea.id)))
        return
    confirm.ask(ctx, f"จะส่งข้อความนี้ถึงเจ้าหน้าที่ เป็นคำตอบเรื่องที่ขอให้ปรับแก้โครงการ “{idea.title}” ไหมคะ\n"
                     f"“{text[:300]}”\nโครงการจะกลับไปให้เจ้าหน้าที่พิจารณาอีกครั้งค่ะ",
                yes=("ส่งเป็นคำตอบ", postback.encode_kept(REVISION_ACTION, id=idea.id, t=text)),
                no=("ไม่ส่ง", postback.encode(REVISION_ACTION, id=idea.id)))


def _fields_in(text: str) -> dict[str, Any]:
    """The idea's fields a typed answer names with a value."""
    from bot.flows.idea_message import read_answer

    return dict(read_answer(text, ideas.funding_sources()))


@on_postback(REVISION_ACTION)
def revision_note(ctx: Ctx, args: dict[str, str]) -> None:
    """Yes: the note goes to the reviewer with the idea (sent back for review), the fields it names changed when
    that was asked; no: nothing sent, and the way to edit the idea itself."""
    edit = replies.quick_postback("แก้ไขโครงการ", postback.encode("idea.edit", id=args.get("id")), "แก้ไขโครงการ")
    if not args.get("t") or ctx.user is None:
        ctx.reply(replies.text("ไม่ส่งค่ะ ถ้าจะแก้รายละเอียดโครงการ แตะ “แก้ไขโครงการ” ได้เลยนะคะ",
                               quick=[edit, replies.quick_message("เมนู")]))
        return
    fields = _fields_in(args["t"]) if args.get("f") == "1" else {}
    try:
        idea = ideas.get_idea(ctx.session, int(args.get("id") or 0))
        changed = ideas.changes_from(ctx.session, idea, fields)
        idea = ideas.revise(ctx.session, idea, ctx.user, note=args["t"], now=ctx.now,
                            **{name: new for name, (_old, new) in changed.items()})
    except ServiceError as exc:
        ctx.reply(texts.menu(_role(ctx), exc.message_th))
        return
    done = "แก้ไขโครงการ" if changed else "ส่งข้อความถึงเจ้าหน้าที่พร้อมโครงการ"
    ctx.reply(replies.text(f"{done} “{idea.title}” แล้วค่ะ ✅ เจ้าหน้าที่จะพิจารณาอีกครั้งนะคะ",
                           quick=[replies.quick_message("โครงการของฉัน"), replies.quick_message("เมนู")]))
