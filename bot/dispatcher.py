"""One event in → replies out: global words → active flow → postback → command → intent → fallback.

Text that answers a push just received (a reminder, staff's answer) goes to that first (AFTER_PUSH)."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from bot import postback, texts
from bot.context import Ctx
from bot.flows import engine
from bot.services.errors import ServiceError
from bot.services.outbox import RESUME_ACTION, RESUME_LABEL
from bot.textmatch import one_letter_apart
from nlp.emergency import emergency_kind
from nlp.normalize import held_letters_once, without_particles
from nlp.router import after_greeting

log = logging.getLogger(__name__)

Handler = Callable[[Ctx, Any], None]

INTENTS: dict[str, Handler] = {}
POSTBACKS: dict[str, Handler] = {}
COMMANDS: list[tuple[re.Pattern[str], Handler, bool]] = []
EVENTS: dict[str, Handler] = {}
MESSAGE_TYPES: dict[str, Handler] = {}
UNSURE: list[Callable[[Ctx, str], bool]] = []
"""Tried in turn on top-level text the router is not sure of; the first that answers returns True."""
QUESTIONS: list[Callable[[Ctx, str], bool]] = []
"""Tried in turn on top-level text read as no particular request (QUESTION_READINGS, or not surely read): a
question about one activity ("แอโรบิกจัดที่ไหน") answers and returns True."""
QUESTION_READINGS = {"other", "help", "activity_list", "greeting", "thanks"}
STAFF_TEXT: list[Callable[[Ctx, str], bool]] = []
"""Tried in turn on top-level text from staff that is no command as typed (a typo in a command word, other
wording): the first that reads it as a staff command answers and returns True."""
AFTER_PUSH: list[Callable[[Ctx, str], bool]] = []
"""Tried in turn on text typed mid-journey (before the step reads it) and on top-level text that is no clear
request: the first that reads it as the answer to what the bot or staff just pushed answers and returns True."""
AFTER_PUSH_INTENTS = {"thanks", "other"}
"""Top-level readings that may still be the answer to a push ("๐๘๖… ค่ะ ขอบคุณมากนะคะ" after staff asked)."""

# Intents that start or show another journey: typed mid-flow (and not an answer), they offer to leave.
JOURNEY_INTENTS = {"activity_list", "activity_signup", "my_signups", "activity_cancel", "charter_info",
                   "charter_feedback", "idea_submit", "idea_status", "privacy"}
CANCEL_WORDS = {"ยกเลิก", "cancel", "เลิก", "พอแล้ว", "ออก", "exit", "stop"}
BACK_WORDS = {"ย้อนกลับ", "back", "กลับ", "ย้อน", "เปลี่ยนคำตอบ"}
""""เปลี่ยนคำตอบ" is the charter comment step's chip: back to the stance, said as the chip says it."""
MENU_WORDS = {"เมนู", "menu", "เมนูหลัก", "หน้าหลัก"}
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
PARTICLES = re.compile(r"(ค่ะ|คะ|ครับ|จ้า|จ้ะ|นะ|ด้วย)+$")


def on_intent(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        INTENTS[name] = fn
        return fn

    return register


def on_postback(action: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        POSTBACKS[action] = fn
        return fn

    return register


def on_command(pattern: str, staff_only: bool = False) -> Callable[[Handler], Handler]:
    """A typed command (regex matched against the whole cleaned text); the match is passed on."""

    def register(fn: Handler) -> Handler:
        COMMANDS.append((re.compile(pattern, re.IGNORECASE), fn, staff_only))
        return fn

    return register


def on_unsure(fn: Callable[[Ctx, str], bool]) -> Callable[[Ctx, str], bool]:
    UNSURE.append(fn)
    return fn


def on_question(fn: Callable[[Ctx, str], bool]) -> Callable[[Ctx, str], bool]:
    QUESTIONS.append(fn)
    return fn


def on_staff_text(fn: Callable[[Ctx, str], bool]) -> Callable[[Ctx, str], bool]:
    STAFF_TEXT.append(fn)
    return fn


def on_after_push(fn: Callable[[Ctx, str], bool]) -> Callable[[Ctx, str], bool]:
    AFTER_PUSH.append(fn)
    return fn


def on_event(event_type: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        EVENTS[event_type] = fn
        return fn

    return register


def on_message_type(message_type: str) -> Callable[[Handler], Handler]:
    """Non-text messages at the top level (no flow active): image, location, sticker …"""

    def register(fn: Handler) -> Handler:
        MESSAGE_TYPES[message_type] = fn
        return fn

    return register


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").translate(ZERO_WIDTH)
    return " ".join(text.split())


def bare(text: str) -> str:
    """Lower-case, no spaces, no trailing polite particles (however spelled), a letter held down typed once:
    for matching global words."""
    squeezed = held_letters_once(engine.bare_word(clean(text)))
    return PARTICLES.sub("", squeezed) or squeezed


def means_cancel(word: str) -> bool:
    """A global cancel word, or "ยกเลิก" mistyped by one letter (a bare word, see `bare`)."""
    return word in CANCEL_WORDS or (4 <= len(word) <= 8 and one_letter_apart(word, engine.CANCEL_WORD))


_CANCEL_TYPO_LEAD = re.compile(r"(?:ขอ|อยาก|จะ|ช่วย)*\s*")
"""What may come before a mistyped "ยกเลิก" at the start of a request ("ขอยกเลกเดินเร็วค่ะ")."""


def cancel_typo_put_right(text: str) -> str:
    """A longer request opening with "ยกเลิก" mistyped by one letter, with the word put right: "ยกลิกตรวจตา" →
    "ยกเลิกตรวจตา" (the word alone is `means_cancel`). The text as it is when it holds "ยกเลิก" already, opens
    with no such typo, or is nothing but it."""
    lead = _CANCEL_TYPO_LEAD.match(text).end()
    body = text[lead:]
    if engine.CANCEL_WORD in text or not body.startswith("ยก"):
        return text
    for size in (6, 7, 5):  # a letter changed, added, dropped ("ยกเลิขตรวจตา" is no "ยกเลิ" + "ขตรวจตา")
        rest = body[size:]
        if rest.strip() and one_letter_apart(body[:size], engine.CANCEL_WORD):
            return f"{text[:lead]}{engine.CANCEL_WORD}{rest}"
    return text


def command_for(text: str) -> tuple[re.Match[str], Handler, bool] | None:
    """The typed command this text is (match, handler, staff only), with or without its closing particles
    ("ขอคุยกับเจ้าหน้าที่หน่อยจ้ะ" is the contact command as much as "…หน่อยค่ะ")."""
    for candidate in dict.fromkeys((text, without_particles(text))):
        for pattern, handler, staff_only in COMMANDS:
            match = pattern.fullmatch(candidate)
            if match:
                return match, handler, staff_only
    return None


# --- entry point ---------------------------------------------------------------------------------

def dispatch(ctx: Ctx) -> None:
    event_type = ctx.event.get("type", "")
    try:
        if event_type == "message":
            _message(ctx)
        elif event_type == "postback":
            pb = ctx.event.get("postback") or {}
            run_postback(ctx, pb.get("data", ""), pb.get("params") or {})
        elif event_type in EVENTS:
            EVENTS[event_type](ctx, ctx.event)
        else:
            log.info("event type %s: nothing to do", event_type)
    except ServiceError as exc:
        ctx.reply(texts.menu(_role(ctx), exc.message_th) if not ctx.is_group else _plain(exc.message_th))


def _plain(s: str) -> dict[str, Any]:
    from bot import replies

    return replies.text(s)


def _role(ctx: Ctx) -> str | None:
    return ctx.user.role if ctx.user else None


def _expired_notice(ctx: Ctx) -> None:
    """Say once that a silent flow timed out (whether this event or the worker's sweep found it), and which requests
    typed at its question were not done."""
    conv = ctx.conversation
    if engine.is_expired(ctx):
        values = dict(conv.data or {})
        flow = engine.expire(ctx)
        kept = flow.kept_note(ctx, values) if flow else None  # a charter stance tapped before the silence
        notes = [note for note in (kept, engine.kept_not_done(values)) if note]
        ctx.reply(_plain("\n".join([texts.expired(flow.title if flow else None), *notes])))
    elif conv is not None and conv.expired_notice:
        flow = engine.get_flow(conv.expired_notice)
        not_done = engine.kept_not_done(conv.data or {})  # the worker's sweep kept them to say so
        if not_done:
            engine.put(ctx, **{engine.KEPT: None})
        ctx.reply(_plain("\n".join([texts.expired(flow.title if flow else None), *([not_done] if not_done else [])])))
    if conv is not None and conv.expired_notice:
        conv.expired_notice = None


def _message(ctx: Ctx) -> None:
    message = ctx.event.get("message") or {}
    kind = message.get("type")
    if ctx.is_group and not _addressed(ctx, message) and not _answers_in_group(ctx, message):
        return
    _expired_notice(ctx)
    if kind == "text":
        handle_text(ctx, message.get("text") or "")
        return
    flow = engine.active_flow(ctx)
    if flow is not None:
        answer = engine.Answer(kind=kind or "other", message=message)
        if kind == "location":
            answer.params = {"latitude": message.get("latitude"), "longitude": message.get("longitude")}
        engine.handle(ctx, answer)
        return
    handler = MESSAGE_TYPES.get(kind or "")
    if handler:
        handler(ctx, message)
    else:
        ctx.reply(texts.menu(_role(ctx), "ได้รับแล้วค่ะ 😊 ตอนนี้ “ร่วมกัน” อ่านได้เฉพาะข้อความพิมพ์ "
                                         "ลองพิมพ์หรือเลือกจากเมนูได้เลยนะคะ"))


BOT_MENTIONS = ("@ร่วมกัน", "ร่วมกัน", "@ruamkan", "ruamkan", "บอท")


def _addressed(ctx: Ctx, message: dict[str, Any]) -> bool:
    """In a group the bot speaks only when mentioned or when a command is used."""
    mention = message.get("mention") or {}
    if any(m.get("isSelf") for m in mention.get("mentionees", []) if isinstance(m, dict)):
        return True
    text = clean(message.get("text") or "").lower()
    if text.startswith(BOT_MENTIONS) or text.startswith("/"):
        return True
    return command_for(text) is not None or emergency_kind(text) is not None  # an emergency: always answered


def _answers_in_group(ctx: Ctx, message: dict[str, Any]) -> bool:
    """Text without the bot's name that plainly answers what the bot just asked this member (engine.answers_unaddressed),
    or a picture sent where the bot just asked this member for one."""
    if message.get("type") == "image":
        return engine.picture_answers_unaddressed(ctx)
    return message.get("type") == "text" and engine.answers_unaddressed(ctx, clean(message.get("text") or ""))


def _said(raw: str, in_group: bool) -> str:
    """What a user typed, cleaned; in a group without the bot's name in front."""
    text = clean(raw)
    if in_group:
        text = re.sub(r"^(@?ร่วมกัน|@?ruamkan|บอท|/)\s*", "", text, flags=re.IGNORECASE)
    return text


def text_for_router(event: dict[str, Any]) -> str | None:
    """The text a one-to-one text message would give the NLP router at the top level, else None.

    Lets the worker read a message before it takes the database's write turn; if a flow is open
    the reading goes unused.
    """
    message = event.get("message") or {}
    source = event.get("source") or {}
    if (event.get("type") != "message" or not isinstance(message, dict) or message.get("type") != "text"
            or not isinstance(source, dict) or source.get("type") not in (None, "user")):
        return None
    text = _said(str(message.get("text") or ""), in_group=False)
    word = bare(text)
    if not text or means_cancel(word) or word in BACK_WORDS or word in MENU_WORDS:
        return None
    if command_for(text) is not None or emergency_kind(text) is not None:
        return None
    return text


def handle_text(ctx: Ctx, raw: str) -> None:
    text = _said(raw, ctx.is_group)
    ctx.said = text
    if not text:
        ctx.reply(texts.empty_text())
        return
    if _emergency(ctx, text):
        return
    word = bare(text)
    current = engine.active_flow(ctx)
    if means_cancel(word) or (current is not None and word in current.quit_words
                              and not engine.names_a_chip(ctx, text)):
        if word == engine.CANCEL_WORD or one_letter_apart(word, engine.CANCEL_WORD):
            word = text = engine.CANCEL_WORD  # "ยกลิก", "ยกเลิกกก", "ยกเลิกค่ะ": the word meant, alone
        if current is not None and current.own_way_out and word == engine.CANCEL_WORD and ctx.conversation.step:
            # A yes/no question with no "ยกเลิก" chip: its parser says what "ยกเลิก" means there.
            engine.handle(ctx, engine.Answer(kind="text", text=text))
            return
        flow, kept = engine.leave(ctx)
        ctx.reply(texts.menu(_role(ctx), kept or (flow.cancelled_message() if flow else
                                                  "ตอนนี้ไม่มีขั้นตอนที่ค้างอยู่ค่ะ เลือกเมนูได้เลยนะคะ")))
        engine.offer_later(ctx)
        return
    if word in BACK_WORDS:
        if not engine.back(ctx):
            ctx.reply(texts.menu(_role(ctx), "ตอนนี้ไม่มีขั้นตอนให้ย้อนกลับค่ะ เลือกเมนูได้เลยนะคะ"))
        return
    if word in MENU_WORDS:
        flow, kept = engine.leave(ctx)
        lead = (f"{kept} เลือกเมนูได้เลยนะคะ" if kept else
                f"ออกจากขั้นตอน{flow.title}แล้วค่ะ เลือกเมนูได้เลยนะคะ" if flow else "เลือกเมนูได้เลยค่ะ")
        ctx.reply(texts.menu(_role(ctx), lead))
        engine.offer_later(ctx)
        return
    if word in engine.SKIP_WORDS and engine.active_flow(ctx) is None:  # a "ข้าม" chip tapped after the flow ended
        ctx.reply(texts.menu(_role(ctx), "ตอนนี้ไม่มีคำถามให้ข้ามค่ะ เลือกเมนูได้เลยนะคะ"))
        return
    if word == bare(RESUME_LABEL) and not engine.names_a_chip(ctx, text):
        run_postback(ctx, RESUME_ACTION, {})  # the "กลับไปทำต่อ" chip typed: what it does, not an answer
        return
    if engine.active_flow(ctx) is not None:
        if engine.typed_as_answer(ctx, text):  # "เป็นคำตอบ" / "ไม่" to "จะยกเลิกการสมัคร … หรือเป็นคำตอบ"
            engine.take_as_answer(ctx)
            return
        leave = engine.typed_switch_answer(ctx, text)
        if leave is not None:  # "ออกเลย" / "ใช่" / "ทำต่อ" typed instead of tapped
            before = engine.open_question(ctx)
            resume = engine.answer_switch(ctx, leave)
            if resume:
                run_postback(ctx, resume, {})
                engine.note_came_back(ctx, before, resume)
            return
        found = command_for(text)
        if found is not None and getattr(found[1], "answers_in_flow", False):
            found[1](ctx, found[0])  # help: said here, then the same question again; nothing is left
            flow = engine.active_flow(ctx)
            engine.ask(ctx, flow, flow.step(ctx.conversation.step))
            return
        if word in menu_taps() and not engine.names_a_chip(ctx, text):
            # A menu tap (rich menu or menu chip) in the middle of a step is not its answer, even where any
            # text would do (an idea's problem): ask before leaving, as for any other journey.
            _another_request(ctx, engine.active_flow(ctx), text, found, None)
            return
        if any(answer(ctx, text) for answer in AFTER_PUSH):  # about the reminder that came meanwhile
            return
        if _request_at_free_text(ctx, text):
            return
        engine.handle(ctx, engine.Answer(kind="text", text=text), elsewhere=_offer_to_leave_for)
        rest, ctx.then_say = ctx.then_say, None
        if rest and engine.active_flow(ctx) is None:  # "ไม่ใช่ค่ะ อยากไปวัดความดันมากกว่า": the no, then the rest
            handle_text(ctx, rest)
        return
    command = command_for(text)
    if command is not None:
        _run_command(ctx, command)
        return
    if ctx.user is not None and ctx.user.is_staff and any(said(ctx, text) for said in STAFF_TEXT):
        return  # "อนุมัตโครงการ 12", "ประกาศทุกคน พรุ่งนี้หยุด": a staff command typed otherwise
    route_words(ctx, text)


def route_words(ctx: Ctx, text: str) -> None:
    """Text that is no typed command (or a staff command's words from someone else): a command after a
    greeting, two requests in one, or what the NLP router reads in it."""
    fixed = cancel_typo_put_right(text)
    if fixed != text:  # "ยกลิกตรวจตา": read as the cancelling it is
        text = ctx.said = fixed
    rest = after_greeting(text)
    command = command_for(rest) if rest else None
    if rest and command is not None:  # "สวัสดีค่ะ ขอคุยกับเจ้าหน้าที่หน่อย": the command after the greeting
        ctx.said = rest
        _run_command(ctx, command)
        return
    if two_requests(ctx, rest or text):
        return
    result = ctx.route(text)
    if getattr(result, "greeted", False) and rest:
        ctx.said = rest  # "สวัสดีค่ะ อยากสมัครรำไม้พลองค่ะ": handlers read the request, not the greeting
    sure = getattr(result, "sure", False)
    bare_answer = bare_yes_or_no(text) if not sure or result.intent in BARE_ANSWER_READINGS else None
    if (not sure or result.intent in AFTER_PUSH_INTENTS or bare_answer is not None) \
            and any(answer(ctx, text) for answer in AFTER_PUSH):
        return
    if (not sure or result.intent in QUESTION_READINGS) and any(ask(ctx, ctx.text or text) for ask in QUESTIONS):
        return
    if bare_answer is not None:  # "ใช่ค่ะ" after a journey ended: a short answer, not the help text
        ctx.reply(texts.menu(_role(ctx), BARE_YES_REPLY if bare_answer else BARE_NO_REPLY))
        return
    if not sure:
        if not any(answer(ctx, text) for answer in UNSURE):
            ctx.reply(texts.not_sure(_role(ctx), carried=keep_unanswered(ctx, text)))
        return
    handler = INTENTS.get(result.intent) or INTENTS.get("other")
    if handler is None:
        ctx.reply(texts.not_sure(_role(ctx)))
        return
    handler(ctx, result)


BARE_ANSWER_READINGS = {"help", "other", "greeting"}
"""Readings a bare yes or no may get at the top ("ใช่" reads as help): answered with a short word instead."""
NOTHING_MORE_WORDS = {"ไม่เปลี่ยน", "ไม่เปลี่ยนแล้ว", "ไม่ต้องเปลี่ยน", "ไม่เป็นไร", "ไม่แล้ว", "ไม่ต้องแล้ว", "ไม่มี",
                      "ไม่มีอะไร", "ไม่มีแล้ว", "ไม่แก้", "ไม่ทำแล้ว"}
"""Said when nothing waits for an answer: nothing more is wanted (it got "เรื่องนี้ “ร่วมกัน” ยังตอบไม่ได้…")."""
BARE_YES_REPLY = "ค่ะ 😊 ต้องการให้ช่วยอะไรต่อ พิมพ์บอกได้เลยหรือแตะเมนูนะคะ"
BARE_NO_REPLY = "ได้ค่ะ 😊 ถ้าต้องการให้ช่วยอะไร พิมพ์บอกได้เลยหรือแตะเมนูนะคะ"


def bare_yes_or_no(text: str) -> bool | None:
    """True for a bare yes ("ใช่ค่ะ"), False for a bare no or "nothing more" ("ไม่เป็นไรค่ะ"), else None."""
    if engine.said_yes(text):
        return True
    if engine.said_no(text) or engine.said_only(text, NOTHING_MORE_WORDS | engine.NO_WORDS):
        return False
    return None


WRITERS = ("staff", "admin", "leader")


def writing_for_others(ctx: Ctx, text: str) -> bool:
    """Staff or a leader writing what others will read: an emergency named in it is advice ("ถ้าแม่หายใจไม่ออก
    รีบโทร 1669 เลยนะคะ"), delivered as written, not answered with 1669. That is a step that composes a message
    (Flow.composes_for_others: an answer to a resident, an announcement, a request for one), a command that
    writes one ("ประกาศถึงทุกคนว่า…"), and for staff a staff command ("แก้กิจกรรม 30 | รายละเอียด …").
    Anywhere else (their own chat at the top, their own sign-up, writing to staff, an idea) an emergency told gets
    1669 at once; advice in anyone's words ("ใครมีอาการ…ให้รีบโทร 1669") is left alone by nlp.emergency itself."""
    user = ctx.user
    if user is None or user.role not in WRITERS or ctx.is_group:
        return False
    flow = engine.active_flow(ctx)
    if flow is not None and ctx.conversation.step:
        return flow.composes_for_others
    found = command_for(text)
    if found is None:
        return False
    _, handler, staff_only = found
    return getattr(handler, "composes_for_others", False) or (staff_only and user.is_staff)


def _emergency(ctx: Ctx, text: str) -> bool:
    """An emergency told, anywhere (mid-journey too, where it is never taken as the answer): who to call."""
    kind = emergency_kind(text)
    if kind is None or writing_for_others(ctx, text):
        return False
    mid_journey = engine.active_flow(ctx) is not None and bool(ctx.conversation.step)
    ctx.reply(texts.emergency(kind, staff_chip=not ctx.is_group, resume_chip=mid_journey and not ctx.is_group))
    return True


UNANSWERED_MIN = 8
"""Shorter than this ("อิอิ", "หืม") is no question to send on to staff."""


def keep_unanswered(ctx: Ctx, text: str) -> bool:
    """Keep what a resident asked that the bot could not answer, so "ถามเจ้าหน้าที่" sends it on; True if kept."""
    if ctx.is_group or ctx.conversation is None or (ctx.user is not None and ctx.user.is_staff) \
            or len(text) < UNANSWERED_MIN or engine.active_flow(ctx) is not None:
        return False
    engine.remember(ctx, texts.UNANSWERED, text)
    return True


AND_THEN = re.compile(r"\s*(?:แล้วก็|แล้ว\s+ก็|และก็|แล้วอีกเรื่อง(?:นึง|หนึ่ง)?|อีกเรื่อง(?:นึง|หนึ่ง)?(?:คือ)?"
                      r"|อีกอย่าง(?:คือ)?"
                      r"|\s(?:ค่ะ|คะ|ครับ|นะ)?\s*แล้ว(?:ค่อย|จะ)?(?=\s*(?:ขอ|สมัคร|ลงชื่อ|ลงทะเบียน|จอง|ยกเลิก|อยาก)))\s*")
"""Between two requests in one message ("…มีตรวจสุขภาพไหม แล้วก็ขอยกเลิกคลินิกบุหรี่ด้วยค่ะ"); "แล้ว" alone after
a space only before a request's verb ("ยกเลิกแอโรบิก แล้วสมัครโยคะแทนค่ะ": the sign-up was dropped)."""
NEXT_LABEL = "ทำเรื่องที่สองต่อ"


def two_requests(ctx: Ctx, text: str) -> bool:
    """Two requests in one message, each clear on its own: the first answered, the second offered as a chip
    (they were read as one: "ยังไม่มีกิจกรรม วันที่ ส. 5 ธ.ค. เรื่องบุหรี่", and the cancelling ignored)."""
    parts = AND_THEN.split(text, maxsplit=1)
    if len(parts) != 2 or len(parts[0].strip()) < 4 or len(parts[1].strip()) < 4:
        return False
    first, second = parts[0].strip(), parts[1].strip()[:300]
    later = ctx.route(second)
    if not getattr(later, "sure", False) or later.intent not in JOURNEY_INTENTS:
        return False
    result = ctx.route(first)
    handler = INTENTS.get(result.intent) if getattr(result, "sure", False) else None
    if handler is None or result.intent not in JOURNEY_INTENTS or result.intent == later.intent:
        return False  # one request told in two parts ("เห็นด้วยข้อ 1 2 แล้วก็ข้อ 4") is read whole
    ctx.said = first
    before = len(ctx.out)
    handler(ctx, result)
    keep_next(ctx, second, before)  # offered now, or when the journey the first one started ends
    return True


def keep_next(ctx: Ctx, second: str, before: int) -> None:
    """The second request kept with the journey the first one started, its chip offered when that ends (a chip
    beside the journey's question would only ask to leave it); said before the question. No journey started
    (the first was refused, or done at once): offered now."""
    if engine.active_flow(ctx) is None:
        _offer_next(ctx, second, before)
        return
    from bot import replies

    said = PARTICLES.sub("", second).strip() or second
    label = said if len(said) <= 20 else NEXT_LABEL
    engine.put(ctx, _later={"data": postback.encode_kept("say", t=second), "label": label})
    if len(ctx.out) < 5:  # LINE takes five messages in a reply
        ctx.out.insert(before, replies.text(f"ขอทำทีละเรื่องนะคะ เรื่องนี้เสร็จแล้วแตะ “{label}” เพื่อทำเรื่องต่อไปได้เลยค่ะ"))


def _offer_next(ctx: Ctx, second: str, before: int) -> None:
    """The second request as a chip after the first one's answer (its chips kept behind it)."""
    from bot import replies

    kept = ctx.out[-1].pop("quickReply", {}).get("items", []) if len(ctx.out) > before else []
    chip = replies.quick_message(NEXT_LABEL, second)
    ctx.reply(replies.text(f"ส่วนอีกเรื่องที่ขอมา “{second}” แตะ “{NEXT_LABEL}” ได้เลยนะคะ",
                           quick=[chip, *kept][:replies.MAX_QUICK_ITEMS]))


def _run_command(ctx: Ctx, command: tuple[re.Match[str], Handler, bool]) -> None:
    match, handler, staff_only = command
    if staff_only and not (ctx.user and ctx.user.is_staff):
        fallback = getattr(handler, "for_residents", None)
        if fallback is not None:  # "ยกเลิกกิจกรรม 6" from a resident: their own sign-up
            fallback(ctx, match)
            return
        ctx.reply(texts.menu(_role(ctx), "คำสั่งนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ"))
        return
    handler(ctx, match)


@functools.cache
def menu_taps() -> frozenset[str]:
    """What the menus send when tapped: the rich menus' tiles and the menu chips (bare words)."""
    from bot.richmenu import MENUS

    sent = [text for _, text in (*texts.MENU_ITEMS, *texts.LEADER_MENU_ITEMS, *texts.STAFF_MENU_ITEMS)]
    sent += [tile.text for tiles in MENUS.values() for tile in tiles]
    sent.append(texts.CONTACT_STAFF_SAID)  # the "ถามเจ้าหน้าที่" / "ติดต่อเจ้าหน้าที่" chips (not sure, an emergency)
    return frozenset(bare(text) for text in sent)


def _offer_to_leave_for(ctx: Ctx, current: engine.Flow, text: str) -> bool:
    """Typed text that is not an answer but clearly asks for another journey (a command such as
    "ติดต่อเจ้าหน้าที่", or what the NLP reads as one): ask before leaving (at a yes/no question: see
    `_another_request`)."""
    if engine.data(ctx).get(engine.CAME_BACK) == postback.encode_kept("say", t=text):
        return False  # left for once, it opened this very question again: its hint, not "ออกจากขั้นตอนเดิมไหมคะ"
    is_staff = bool(ctx.user and ctx.user.is_staff)
    found = command_for(text)
    command = found is not None and (is_staff or not found[2] or getattr(found[1], "for_residents", None)
                                     not in (None, words_for_residents))
    result = None
    if not command:
        found = None
        result = ctx.route(cancel_typo_put_right(text))
        if not getattr(result, "sure", False) or result.intent not in JOURNEY_INTENTS:
            return False
    _another_request(ctx, current, text, found, result)
    return True


AT_FREE_TEXT: list[Callable[[Ctx, str], tuple[str, str] | None]] = []
"""Readers of text typed at a step that stores any text: (question, the request's chip label) when the text
clearly asks for another journey's request ("ไม่ไปเดินเร็วแล้วค่ะ ยกเลิกให้ด้วย" names one's sign-up)."""


def at_free_text(fn: Callable[[Ctx, str], tuple[str, str] | None]) -> Callable[[Ctx, str], tuple[str, str] | None]:
    AT_FREE_TEXT.append(fn)
    return fn


def _request_at_free_text(ctx: Ctx, text: str) -> bool:
    """At a step that stores any text, a clear request of another journey is asked about, not stored."""
    if ctx.is_group or not engine.takes_any_text(ctx) or engine.names_a_chip(ctx, text):
        return False
    for read in AT_FREE_TEXT:
        asked = read(ctx, text)
        if asked is not None:
            engine.ask_request_or_answer(ctx, engine.active_flow(ctx), text, *asked)
            return True
    return False


READ_ONLY_INTENTS = {"my_signups", "idea_status", "activity_list", "charter_info", "privacy"}
"""Requests that only show something (one's sign-ups, one's ideas, the activities, the charter, the privacy choices):
answered beside a pending yes/no question, unless the handler's `journey_when` says this one starts a journey. A list
whose buttons start a journey only shows it (a tap there asks before leaving the question)."""


def reads_only(fn: Handler) -> Handler:
    """Mark a command that only shows something (one's own answers, a list): answered beside a pending yes/no
    question."""
    fn.reads_only = True  # type: ignore[attr-defined]
    return fn


def journey_when(test: Callable[[Ctx, Any], bool]) -> Callable[[Handler], Handler]:
    """Mark the handler of an intent in READ_ONLY_INTENTS whose reading may still start a journey ("อยากไปรำไม้พลองค่ะ"
    read as the activity list is a sign-up): `test(ctx, result)` says when; then it is kept like any other request."""

    def mark(fn: Handler) -> Handler:
        fn.journey_when = test  # type: ignore[attr-defined]
        return fn

    return mark


def _only_shows(ctx: Ctx, command: tuple[re.Match[str], Handler, bool] | None, result: Any) -> bool:
    """Whether the request (a command, or the router's reading) only shows something (see `reads_only`)."""
    if command is not None:
        return bool(getattr(command[1], "reads_only", False))
    if not getattr(result, "sure", False) or result.intent not in READ_ONLY_INTENTS or result.intent not in INTENTS:
        return False
    test = getattr(INTENTS[result.intent], "journey_when", None)
    return test is None or not test(ctx, result)


def _another_request(ctx: Ctx, current: engine.Flow, text: str,
                     command: tuple[re.Match[str], Handler, bool] | None, result: Any) -> None:
    """Another request typed mid-journey. In a journey of several steps: ask before leaving it. At a yes/no
    question (`engine.at_yes_no`) nothing typed is lost: what only shows something is answered there and the
    question asked again; anything else is kept and done once the question is answered (engine.keep_request).
    A journey the bot opened unasked (Flow.unasked: a follow-up to staff's answer offered) is left without asking."""
    if current.unasked(ctx):
        engine.leave(ctx)
        handle_text(ctx, text)
        return
    if not engine.at_yes_no(ctx, current):
        kept_as = getattr(command[1], "kept_as", None) if command else None  # an announcement: kept if they stay
        engine.ask_switch(ctx, current, postback.encode_kept("say", t=text), kept_as=kept_as)
        return
    if command is None and result is None:
        command = command_for(text)
        result = None if command is not None else ctx.route(text)
    ctx.said = text
    if not _only_shows(ctx, command, result):
        engine.keep_request(ctx, current, text)
        return
    if command is not None:
        _run_command(ctx, command)  # a staff command from a resident: what it means to them (`for_residents`)
    else:
        INTENTS[result.intent](ctx, result)
    flow = engine.active_flow(ctx)
    if flow is current and ctx.conversation.step:
        engine.ask(ctx, flow, flow.step(ctx.conversation.step), "ส่วนคำถามนี้ ยังรอคำตอบอยู่นะคะ")


def run_postback(ctx: Ctx, data: str, params: dict[str, Any]) -> None:
    action, args = postback.decode(data)
    if action in (engine.FLOW_ACTION, engine.SWITCH_ACTION) and _someone_elses(ctx, args):
        return
    if action == engine.FLOW_ACTION:
        _expired_notice(ctx)
        engine.handle_chip(ctx, args, params)
        return
    if action == engine.SWITCH_ACTION:
        before = engine.open_question(ctx)
        resume = engine.handle_switch(ctx, args)
        if resume:
            run_postback(ctx, resume, {})
            engine.note_came_back(ctx, before, resume)
        return
    if action == engine.LATER_ACTION:  # "ประกาศที่พิมพ์ไว้": the request kept when they stayed
        kept = engine.take_later(ctx) if engine.active_flow(ctx) is None else None
        if kept is None:
            ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
            return
        run_postback(ctx, kept, {})
        return
    if action == "flow.start":
        ctx.start_flow(args.get("name", ""))
        return
    if action == "say":
        handle_text(ctx, args.get("t", ""))
        return
    handler = POSTBACKS.get(action)
    if handler is None:
        log.info("unknown postback %r", data[:80])
        ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
        return
    if params:
        args = {**args, **{f"param_{k}": v for k, v in params.items()}}
    # A button that starts another journey while one is open: ask first.
    current = engine.active_flow(ctx)
    if current is not None and getattr(handler, "starts_flow", False) and not current.yields_to(ctx, action, args):
        engine.ask_switch(ctx, current, data)
        return
    handler(ctx, args)


def _someone_elses(ctx: Ctx, args: dict[str, str]) -> bool:
    """In a group, a flow button the bot sent for another member's journey: said whose it is, nothing acted on."""
    if not ctx.is_group or ctx.user is None or ctx.conversation is None:
        return False
    from bot.handlers.group_chat import someone_elses_button
    from bot.services.group_chat import button_owner

    owner = button_owner(ctx.session, ctx.chat_key, ctx.user.line_user_id, ctx.conversation.id,
                         ctx.conversation.nonce, args)
    if owner is None:
        return False
    someone_elses_button(ctx, owner)
    return True


def for_residents(fallback: Handler) -> Callable[[Handler], Handler]:
    """A staff-only command that means something else from a resident: `fallback` answers them (with the
    same match) instead of "คำสั่งนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ"."""

    def mark(fn: Handler) -> Handler:
        fn.for_residents = fallback  # type: ignore[attr-defined]
        return fn

    return mark


def composes_for_others(fn: Handler) -> Handler:
    """Mark a command whose text is a message for others (an announcement): see `writing_for_others`."""
    fn.composes_for_others = True  # type: ignore[attr-defined]
    return fn


def words_for_residents(ctx: Ctx, _match: re.Match[str]) -> None:
    """A staff command's words from someone else, where they are no command of theirs ("ตอบคุณมาลี…"): read
    as any other message (in a group, where only commands are answered, the bot stays quiet)."""
    if not ctx.is_group:
        route_words(ctx, ctx.said or "")


def kept_as(label: str) -> Callable[[Handler], Handler]:
    """Mark a command whose words are worth keeping when someone mid-journey is asked whether to leave for it
    and stays: offered again under `label` once that journey ends (an announcement they typed)."""

    def mark(fn: Handler) -> Handler:
        fn.kept_as = label  # type: ignore[attr-defined]
        return fn

    return mark


def answers_in_flow(fn: Handler) -> Handler:
    """Mark a command that is answered mid-journey without leaving it (help), the question asked again."""
    fn.answers_in_flow = True  # type: ignore[attr-defined]
    return fn


def one_to_one(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark what shows what is kept about people (one's own answers, sign-ups, ideas, data; staff's lists
    of names): in a group or room it is not shown to everyone there; the person is asked to ask again in
    their one-to-one chat with the bot."""

    @functools.wraps(fn)
    def in_private(ctx: Ctx, *args: Any, **kwargs: Any) -> Any:
        if ctx.is_group:
            ctx.reply(texts.one_to_one(ctx.text))
            return None
        return fn(ctx, *args, **kwargs)

    return in_private


def starts_flow(fn: Handler) -> Handler:
    """Mark a postback handler that starts a journey (so it asks before leaving another one)."""
    fn.starts_flow = True  # type: ignore[attr-defined]
    return fn
