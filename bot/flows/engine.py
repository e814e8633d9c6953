"""The conversation engine: flows declared as data, state in the database, one step at a time.

A flow is a sequence of Steps. Each step asks a question (with quick-reply choices when it has them),
parses the answer (raising Invalid with a Thai reason to ask again), and stores the value in the
conversation's data under the step's name. Global words (ยกเลิก, ย้อนกลับ, เมนู) are handled by the
dispatcher through cancel()/back(). Chips carry the step and a nonce, so a tap on an old button is
answered politely and never acted on twice.
"""

from __future__ import annotations

import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot import postback, replies
from bot.context import Ctx
from bot.conversation_state import KEPT_REQUESTS
from bot.thaidate import THAI_DIGITS
from nlp.normalize import without_particles

FLOW_ACTION = "f"
SWITCH_ACTION = "fsw"
SKIP_VALUE = "__skip__"
SKIP_WORDS = {"ข้าม", "ข้ามไป", "ข้ามข้อนี้", "ข้ามก่อน", "skip"}
"""Typed at a step that may be skipped: the same as tapping its "ข้าม" chip."""
UNSURE_WORDS = {"ไม่แน่ใจ", "ไม่รู้", "ไม่ทราบ", "ยังไม่แน่ใจ", "ยังไม่รู้", "ไม่รู้เหมือนกัน"}
"""Typed at a step that may be skipped, when they answer none of its choices: the same as skipping."""
FINISH = "__finish__"
DEFAULT_TIMEOUT = timedelta(minutes=30)


class Invalid(Exception):
    """The answer does not fit the step; the reason (Thai) is told and the step asked again."""

    def __init__(self, reason: str, *, answered: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.answered = answered
        """The text was meant as this step's answer ("ชุมชนของฉันค่ะ" at the community step): never read
        as asking for another journey."""


@dataclass
class Answer:
    kind: str  # text, choice, image, location, sticker, datetime, other
    text: str | None = None
    value: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    message: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    label: str
    value: str


Asker = str | Callable[[Ctx], str | list[dict[str, Any]]]
Parser = Callable[[Ctx, Answer], Any]


@dataclass
class Step:
    name: str
    ask: Asker
    parse: Parser | None = None
    choices: list[Choice] | Callable[[Ctx], list[Choice]] | None = None
    skippable: bool = False
    when: Callable[[Ctx], bool] | None = None
    after: Callable[[Ctx, Any], str | None] | None = None
    """Runs after the value is stored; may return the next step's name (or FINISH) to branch."""
    extra_quick: Callable[[Ctx], list[dict[str, Any]]] | None = None


class Flow(ABC):
    name: str = ""
    title: str = ""
    """Thai name of the journey, used in 'you are in the middle of …'."""
    steps: tuple[Step, ...] = ()
    timeout: timedelta = DEFAULT_TIMEOUT
    requires_consent: bool = False
    cancelled_text: str | None = None
    """What "ยกเลิก" mid-way says, where "ยกเลิก<title>แล้วค่ะ" would mislead (a staff move: nothing moved)."""
    composes_for_others: bool = False
    """Its typed answers are a message others will read (an answer to a resident, an announcement, a request
    for one): an emergency named there by staff or a leader is advice to pass on, not one to answer with 1669."""
    quit_words: frozenset[str] = frozenset()
    """Typed alone mid-way (bare, see dispatcher.bare), the same as "ยกเลิก": this journey's own way of saying
    stop ("ไม่ไปแล้ว" at a sign-up); a chip's label still answers its step."""
    own_way_out: bool = False
    """A yes/no question whose "no" choice is the way out ("ไม่ยกเลิก"): no "ยกเลิก" chip beside it (a
    resident tapped "ยกเลิก" meaning "cancel my sign-up" and kept it), and cancelling it says nothing changed."""
    yes_no_steps: frozenset[str] = frozenset()
    """Steps of a longer journey that are a yes/no question all the same (the charter comment's "ส่งความเห็นนี้เลยไหมคะ"):
    requests typed there are kept or answered as at an own_way_out question (see `at_yes_no`)."""

    def cancelled_message(self) -> str:
        """What "ยกเลิก" typed mid-way is answered with."""
        from bot import texts

        return self.cancelled_text or texts.cancelled(self.title, changed_nothing=self.own_way_out)

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """Prefill data; may return the name of the first step to ask."""
        return None

    @abstractmethod
    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        """Act on the collected answers (call a service) and reply."""

    def on_cancel(self, ctx: Ctx, data: dict[str, Any]) -> None:  # noqa: B027 - an optional hook
        """Hook for flows that must undo something on cancel (most need nothing)."""

    def refused(self, ctx: Ctx, data: dict[str, Any], reason: str) -> None:
        """The finish was refused for good (ServiceError.final: the activity started, closed …): the journey has
        ended; say why. Flows may offer a way on (other activities to sign up for)."""
        from bot import texts

        ctx.reply(texts.menu(ctx.user.role if ctx.user else None, reason))

    def kept_note(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """What stays done when the user leaves mid-way ("ยกเลิก", "เมนู"), said instead of "nothing was sent"
        (a charter stance is saved when tapped; its comment is optional). None: nothing is kept."""
        return None

    def unasked(self, ctx: Ctx) -> bool:
        """True when the bot opened this journey unasked (a follow-up to staff's answer offered): a menu tap
        or another request typed at its question leaves it without asking "ออกจากขั้นตอนเดิมไหมคะ"."""
        return False

    def yields_to(self, ctx: Ctx, action: str, args: dict[str, str]) -> bool:
        """A button that starts a journey (`starts_flow`) tapped mid-way: True to let it run without asking
        whether to leave, when nothing of this flow would be lost (the flow's own button, its answer saved)."""
        return False

    def takes_older_chip(self, ctx: Ctx, params: dict[str, str]) -> bool:
        """A button of an earlier message of this step (its count is older) that still means the same thing
        (a summary's send button, nothing on the summary changed since): True to act on it."""
        return False

    def chip_extra(self, ctx: Ctx, step: Step) -> dict[str, str]:
        """More to carry on the step's chips, for takes_older_chip to read (nothing by default)."""
        return {}

    def offered_to_others(self, ctx: Ctx, data: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """In a group, another member tapped a button of this journey (`data` is its owner's): what they may start
        for themselves, as a sentence and its chip (the same activity to sign up for). None: nothing to offer."""
        return None

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def next_step(self, ctx: Ctx, after: str | None) -> Step | None:
        names = [s.name for s in self.steps]
        start = 0 if after is None else names.index(after) + 1
        for step in self.steps[start:]:
            if step.when is None or step.when(ctx):
                return step
        return None


REGISTRY: dict[str, Flow] = {}


def register_flow(flow_class: type[Flow]) -> type[Flow]:
    flow = flow_class()
    if not flow.name:
        raise ValueError(f"{flow_class.__name__} has no name")
    REGISTRY[flow.name] = flow
    return flow_class


def get_flow(name: str | None) -> Flow | None:
    return REGISTRY.get(name or "")


# --- state helpers -------------------------------------------------------------------------------

def data(ctx: Ctx) -> dict[str, Any]:
    return ctx.conversation.data if ctx.conversation and ctx.conversation.data is not None else {}


def put(ctx: Ctx, **values: Any) -> None:
    """Store values in the flow's data (a new dict, so the change is saved)."""
    merged = dict(ctx.conversation.data)
    merged.update(values)
    ctx.conversation.data = merged


REMEMBERED = timedelta(minutes=30)
"""How long what was just shown ("this idea", "the clause I read") is kept outside a journey."""
REMEMBER_REFRESHED = timedelta(minutes=5)
"""The same thing shown again within this is not written again (one conversation write fewer)."""


def remember(ctx: Ctx, key: str, value: Any, refresh: timedelta = REMEMBER_REFRESHED) -> None:
    """Keep `value` as what was just shown (outside a journey), for `recall` within REMEMBERED."""
    if ctx.conversation is None or active_flow(ctx) is not None:
        return
    kept = data(ctx)
    at = kept.get(f"_{key}_at")
    if kept.get(f"_{key}") == value and at and ctx.now - datetime.fromisoformat(at) < refresh:
        return
    put(ctx, **{f"_{key}": value, f"_{key}_at": ctx.now.isoformat()})


def recall(ctx: Ctx, key: str) -> Any:
    """What `remember` kept under `key`, if it was within REMEMBERED and no journey is open; else None."""
    if ctx.conversation is None or active_flow(ctx) is not None:
        return None
    kept = data(ctx)
    at = kept.get(f"_{key}_at")
    if not at or ctx.now - datetime.fromisoformat(at) > REMEMBERED:
        return None
    return kept.get(f"_{key}")


def forget(ctx: Ctx, key: str) -> None:
    """Drop what `remember` kept (only when there is something: no write otherwise)."""
    if ctx.conversation is not None and active_flow(ctx) is None and data(ctx).get(f"_{key}"):
        put(ctx, **{f"_{key}": None, f"_{key}_at": None})


def active_flow(ctx: Ctx) -> Flow | None:
    conv = ctx.conversation
    if conv is None or not conv.flow:
        return None
    return get_flow(conv.flow)


def _save(ctx: Ctx, *, flow: str | None, step: str | None, values: dict[str, Any],
          history: list[str]) -> None:
    conv = ctx.conversation
    assert conv is not None
    conv.flow = flow
    conv.step = step
    # Assign new objects so SQLAlchemy sees the JSON change.
    conv.data = dict(values)
    conv.history = list(history)
    conv.nonce = secrets.token_hex(3) if flow else None
    flow_obj = get_flow(flow)
    conv.expires_at = ctx.now + (flow_obj.timeout if flow_obj else DEFAULT_TIMEOUT) if flow else None
    conv.version = (conv.version or 0) + 1


def end(ctx: Ctx, *messages: dict[str, Any]) -> None:
    """Close the conversation's flow, saying these messages (if any)."""
    _save(ctx, flow=None, step=None, values={}, history=[])
    ctx.reply(*messages)


def chip_data(ctx: Ctx, value: str, step: str | None = None, **extra: str) -> str:
    """Postback data for a button that answers the current step (carries step and nonce, and `extra` a flow
    reads in takes_older_chip)."""
    conv = ctx.conversation
    assert conv is not None
    return postback.encode(FLOW_ACTION, s=step or conv.step, n=conv.nonce, v=value, **extra, **owner(ctx))


OWNER = "o"
"""In a group, the conversation a flow button belongs to (its id): another member's tap is told whose it is."""


def owner(ctx: Ctx) -> dict[str, str]:
    """What a flow button carries to say whose it is: in a group its conversation; one-to-one nothing."""
    return {OWNER: str(ctx.conversation.id)} if ctx.is_group and ctx.conversation is not None else {}


def chip(ctx: Ctx, label: str, value: str, display: str | None = None, **extra: str) -> dict[str, Any]:
    return replies.quick_postback(label, chip_data(ctx, value, **extra), display if display is not None else label)


def button(ctx: Ctx, label: str, value: str, display: str | None = None, **extra: str) -> dict[str, Any]:
    return replies.act_postback(label, chip_data(ctx, value, **extra), display if display is not None else label)


def can_go_back(ctx: Ctx) -> bool:
    """Whether "ย้อนกลับ" leads to another step (as `back` goes): not where only this step was shown again (a preview
    after a change), which would only say it is the first question."""
    conv = ctx.conversation
    return bool(conv and any(name != conv.step for name in conv.history or []))


def nav_chips(ctx: Ctx, skippable: bool, cancel: bool = True) -> list[dict[str, Any]]:
    items = []
    if skippable:
        items.append(chip(ctx, "ข้าม", SKIP_VALUE))
    if can_go_back(ctx):
        items.append(replies.quick_message("ย้อนกลับ"))
    if cancel:
        items.append(replies.quick_message("ยกเลิก"))
    return items


# --- running a flow ------------------------------------------------------------------------------

def ask(ctx: Ctx, flow: Flow, step: Step, reason: str | None = None) -> None:
    """Ask the step's question (again, with the reason, after an invalid answer)."""
    asked = step.ask(ctx) if callable(step.ask) else step.ask
    messages = [replies.text(asked)] if isinstance(asked, str) else list(asked)
    if reason:
        messages.insert(0, replies.text(reason))
    choices = step.choices(ctx) if callable(step.choices) else (step.choices or [])
    extra = flow.chip_extra(ctx, step)
    quick = [chip(ctx, c.label, c.value, said_as(c.label), **extra) for c in choices]
    more = step.extra_quick(ctx) if step.extra_quick else []
    quick.extend(more)
    if ctx.is_group and not choices and all(item.get("action", {}).get("type") == "message" for item in more):
        _with_group_hint(messages)  # typed only (no picture or date to pick): the answer needs the bot's name
    quick = quick[: replies.MAX_QUICK_ITEMS - 3] + nav_chips(ctx, step.skippable, cancel=not flow.own_way_out)
    last = messages[-1]
    if "quickReply" not in last:
        last["quickReply"] = {"items": quick}
    ctx.reply(*messages)


GROUP_TYPED_HINT = "(ตอบโดยพิมพ์ @ร่วมกัน ตามด้วยคำตอบนะคะ)"
"""Under a question in a group that only a typed answer meets (answers_unaddressed takes none without the bot's
name); chips of words ("เปลี่ยนคำตอบ") are no answer to it."""


def _with_group_hint(messages: list[dict[str, Any]]) -> None:
    """GROUP_TYPED_HINT on the question's last text (a card's question has its own buttons: left as it is)."""
    last = messages[-1] if messages else {}
    if last.get("type") == "text" and GROUP_TYPED_HINT not in last["text"]:
        last["text"] = f"{last['text']}\n{GROUP_TYPED_HINT}"


def start(ctx: Ctx, name: str, initial: dict[str, Any] | None = None, *, confirm_switch: bool = True) -> None:
    flow = get_flow(name)
    if flow is None:
        raise KeyError(f"no flow named {name}")
    current = active_flow(ctx)
    if confirm_switch and current is not None and current.name != name:
        ask_switch(ctx, current, postback.encode("flow.start", name=name))
        return
    values = dict(initial or {})
    if flow.requires_consent and ctx.user is not None and not ctx.user.has_consented:
        ask_consent(ctx)
        return
    _save(ctx, flow=name, step=None, values=values, history=[])
    first = flow.on_start(ctx, ctx.conversation.data)
    if ctx.conversation.flow != name:  # on_start ended the flow itself
        return
    step = None if first == FINISH else flow.step(first) if first else flow.next_step(ctx, None)
    if step is None:
        _finish(ctx, flow)
        return
    _save(ctx, flow=name, step=step.name, values=ctx.conversation.data, history=ctx.conversation.history)
    ask(ctx, flow, step)


def answered_at_start(ctx: Ctx, *steps: str) -> None:
    """In on_start: steps answered by what came with the command (a name typed with it), so "ย้อนกลับ" reaches them."""
    ctx.conversation.history = list(ctx.conversation.history or []) + list(steps)


AFTER_CONSENT_KEPT = timedelta(minutes=30)


def ask_consent(ctx: Ctx) -> None:
    """Consent comes first: say so, and keep what this event asked for, to do once consent is given."""
    from bot import texts

    redo = ctx.redo_data()
    if redo and ctx.conversation is not None and active_flow(ctx) is None:
        put(ctx, _after_consent=redo, _after_consent_at=ctx.now.isoformat())
    ctx.reply(texts.consent_needed())


def take_after_consent(ctx: Ctx) -> str | None:
    """What the user asked for when consent was asked (postback data to run), if that was recent."""
    kept = data(ctx)
    redo, at = kept.get("_after_consent"), kept.get("_after_consent_at")
    if not redo:
        return None
    put(ctx, _after_consent=None, _after_consent_at=None)
    if not at or ctx.now - datetime.fromisoformat(at) > AFTER_CONSENT_KEPT:
        return None
    return redo


def ask_switch(ctx: Ctx, current: Flow, resume_data: str, kept_as: str | None = None) -> None:
    """The user asked for another journey mid-way: ask before leaving the current one. `kept_as`: a chip's
    label for a request worth keeping when they stay (an announcement they typed): offered again, under
    that label, once the current journey ends (`offer_later`)."""
    conv = ctx.conversation
    values = dict(conv.data)
    values["_switch"] = resume_data
    values["_switch_kept_as"] = kept_as
    conv.data = values
    yes = postback.encode(SWITCH_ACTION, n=conv.nonce, go="1", **owner(ctx))
    no = postback.encode(SWITCH_ACTION, n=conv.nonce, go="0", **owner(ctx))
    ctx.reply(replies.confirm(
        "ออกจากขั้นตอนเดิมไหมคะ",
        f"ตอนนี้คุณกำลัง{current.title or 'ทำรายการ'}อยู่ค่ะ จะออกจากขั้นตอนนี้แล้วไปต่อเลยไหมคะ",
        replies.act_postback("ออกเลย", yes, "ออกจากขั้นตอนเดิม"),
        replies.act_postback("ทำต่อ", no, "ทำต่อ"),
    ))


AS_ANSWER = "_as_answer"
AS_ANSWER_LABEL = "เป็นคำตอบ"
AS_ANSWER_WORDS = {"เป็นคำตอบ", "คำตอบ", "เป็นคำตอบค่ะ", "ตอบคำถาม", "เป็นคำตอบของคำถามนี้", "คำตอบของคำถามนี้"}


def ask_request_or_answer(ctx: Ctx, current: Flow, text: str, question: str, label: str) -> None:
    """Text typed at a step that takes any text (an idea's problem) reads clearly as another journey's request
    ("ไม่ไปเดินเร็วแล้วค่ะ ยกเลิกให้ด้วย"): ask which it is, instead of storing it as the answer. `label` (the
    request) leaves for it, as ask_switch's "ออกเลย" does; "เป็นคำตอบ" (or "ไม่") stores the text as typed."""
    from bot import postback as pb

    conv = ctx.conversation
    put(ctx, _switch=pb.encode_kept("say", t=text), **{AS_ANSWER: text})
    yes = pb.encode(SWITCH_ACTION, n=conv.nonce, go="1")
    as_answer = pb.encode(SWITCH_ACTION, n=conv.nonce, go="a")
    ctx.reply(replies.confirm(question, f"{question} หรือเป็นคำตอบของคำถามนี้คะ",
                              replies.act_postback(label, yes, label),
                              replies.act_postback(AS_ANSWER_LABEL, as_answer, AS_ANSWER_LABEL)))


def typed_as_answer(ctx: Ctx, text: str) -> bool:
    """Whether typed text answers ask_request_or_answer with "it is the answer" ("เป็นคำตอบ", "ไม่ค่ะ")."""
    conv = ctx.conversation
    if conv is None or not conv.data or not conv.data.get(AS_ANSWER):
        return False
    word = bare_word(text)
    return word in AS_ANSWER_WORDS or word in NO_WORDS or word in STAY_WORDS


def take_as_answer(ctx: Ctx) -> None:
    """The text asked about (ask_request_or_answer) is the step's answer after all: stored as typed."""
    text = data(ctx).get(AS_ANSWER)
    put(ctx, _switch=None, **{AS_ANSWER: None})
    if text:
        handle(ctx, Answer(kind="text", text=text))


def takes_any_text(ctx: Ctx) -> bool:
    """Whether the open step stores whatever is typed (`free_text`): an idea's problem, a message to staff."""
    flow, conv = active_flow(ctx), ctx.conversation
    if flow is None or conv is None or not conv.step:
        return False
    return bool(getattr(flow.step(conv.step).parse, "takes_any_text", False))


LEAVE_WORDS = {"ออกเลย", "ออก", "ไปต่อ", "ไปเลย", "ออกได้", "ออกได้เลย", "ไม่ทำต่อ", "ไม่ทำต่อแล้ว", "ไม่ทำแล้ว"}
STAY_WORDS = {"ทำต่อ", "ต่อ", "อยู่ต่อ", "ทำต่อก่อน", "ไม่ออก", "ยังไม่ออก", "ทำอันเดิมต่อ"}
REQUEST_VERBS = ("ยกเลิก", "ลบ", "ถอน", "ปิด", "เปิด", "ดู", "สมัคร", "ลงชื่อ", "จอง", "ส่ง", "แก้", "เปลี่ยน", "ติดต่อ",
                 "เสนอ", "ถาม", "ประกาศ")
"""The verb a request opens with ("ลบข้อมูลของฉัน"): said alone or with "เลย" at the leave question, it is a yes."""
_REQUEST_LEAD = re.compile(r"^(?:ขอ|อยาก|จะ|ช่วย|ให้)*")


def switch_request(ctx: Ctx) -> str | None:
    """The text of the request a pending "ออกจากขั้นตอนเดิมไหมคะ" asks to leave for (None for a button's)."""
    conv = ctx.conversation
    resume = conv.data.get("_switch") if conv is not None and conv.data else None
    action, args = postback.decode(resume or "")
    return args.get("t") or None if action == "say" else None


def _request_verb(text: str | None) -> str | None:
    """The verb the request opens with ("ลบ" of "ขอลบข้อมูลของฉันค่ะ"), if it is one of REQUEST_VERBS."""
    said = bare_word(text)
    said = said[_REQUEST_LEAD.match(said).end():]
    return next((verb for verb in REQUEST_VERBS if said.startswith(verb)), None)


def _own_words(verb: str | None) -> tuple[set[str], set[str]]:
    """The request's own yes and no at the leave question: "ลบเลย" / "ไม่ลบ" for "ลบข้อมูลของฉัน"."""
    if not verb:
        return set(), set()
    yes = {verb, f"{verb}เลย", f"{verb}ได้", f"{verb}ได้เลย", f"ขอ{verb}", f"{verb}เลยดีกว่า"}
    no = {f"ไม่{verb}", f"ยังไม่{verb}", f"ไม่{verb}แล้ว", f"ไม่ต้อง{verb}", f"ไม่{verb}ดีกว่า", f"ไม่{verb}ก่อน",
          f"ยังไม่{verb}ก่อน"}
    return yes, no


def typed_switch_answer(ctx: Ctx, text: str) -> bool | None:
    """True (leave) or False (stay) when typed text answers a pending "ออกจากขั้นตอนเดิมไหมคะ", else None: its
    words ("ออกเลย", "ทำต่อ"), a yes or no as people type it ("ใช่ค่ะ", "ไม่ค่ะ"), or the request's own ("ลบเลยค่ะ",
    "ไม่ลบ" for "ลบข้อมูลของฉัน": it was "กรุณาเลือกจากปุ่มด้านล่างนะคะ" and the step again, the request trapped)."""
    conv = ctx.conversation
    if conv is None or not conv.data or not conv.data.get("_switch"):
        return None
    own_yes, own_no = _own_words(_request_verb(switch_request(ctx)))
    if _said_only(text, LEAVE_WORDS | YES_WORDS | own_yes):
        return True
    if _said_only(text, STAY_WORDS | NO_WORDS | own_no):
        return False
    return None


def reask_switch(ctx: Ctx, flow: Flow, resume: str, kept_as: str | None) -> None:
    """Typed text at "ออกจากขั้นตอนเดิมไหมคะ" that answers neither it nor the step: the question again, its choices
    in words."""
    request = switch_request(ctx) or ""
    about = f"ไปทำเรื่อง “{_clip(request)}” " if request else ""
    ctx.reply(replies.text(f"ขอคำตอบก่อนนะคะ จะออกจากขั้นตอน{flow.title or 'นี้'}{about}ไหมคะ "
                           f"พิมพ์ “ออกเลย” เพื่อไปต่อ หรือ “ทำต่อ” เพื่อทำขั้นตอนเดิมต่อได้เลยค่ะ"))
    ask_switch(ctx, flow, resume, kept_as=kept_as)


def handle_switch(ctx: Ctx, params: dict[str, str]) -> str | None:
    """A tap on ask_switch's buttons (only the current question's count); see `answer_switch`."""
    if active_flow(ctx) is None or params.get("n") != ctx.conversation.nonce:
        from bot import texts

        ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
        return None
    if params.get("go") == "a":
        take_as_answer(ctx)
        return None
    return answer_switch(ctx, leave=params.get("go") == "1")


CAME_BACK = "_came_back"
"""A request that, left for, opened the very question left (its postback data): not offered to leave for again."""


def open_question(ctx: Ctx) -> tuple[str, str, dict[str, Any]] | None:
    """The flow, step and answers of the open question (internal keys left out), to tell whether it came back."""
    conv = ctx.conversation
    if active_flow(ctx) is None or conv is None or not conv.step:
        return None
    return conv.flow, conv.step, {k: v for k, v in (conv.data or {}).items() if not k.startswith("_")}


def note_came_back(ctx: Ctx, before: tuple[str, str, dict[str, Any]] | None, resume: str) -> None:
    """After leaving for `resume`: when it opened the same question again, remember it, so that typing it
    once more is not met with "ออกจากขั้นตอนเดิมไหมคะ" again (a loop) but with the question's own hint."""
    if before is not None and open_question(ctx) == before:
        put(ctx, **{CAME_BACK: resume})


def answer_switch(ctx: Ctx, leave: bool) -> str | None:
    """Answer to ask_switch; returns the postback data to run next when the user chose to leave."""
    conv = ctx.conversation
    flow = active_flow(ctx)
    resume = conv.data.get("_switch")
    if conv.data.get(AS_ANSWER):
        put(ctx, **{AS_ANSWER: None})
    if leave and resume:
        values = dict(conv.data)
        end(ctx)
        flow.kept_note(ctx, values)  # what stays done (an idea's draft); the next journey does the talking
        not_done = kept_not_done(values)
        if not_done:  # requests kept at an earlier yes/no question, carried into this journey
            ctx.reply(replies.text(not_done))
        return resume
    kept_as = conv.data.get("_switch_kept_as")
    put(ctx, _switch=None, _switch_kept_as=None)
    if kept_as and resume:  # "ไม่": the journey goes on, and what they typed waits for its end
        put(ctx, _later={"data": resume, "label": kept_as})
        ask(ctx, flow, flow.step(conv.step), f"ได้ค่ะ ทำต่อนะคะ ข้อความที่พิมพ์ไว้เก็บไว้ให้แล้ว "
                                             f"ทำขั้นตอนนี้เสร็จแล้วแตะ “{kept_as}” ได้เลยค่ะ")
        return None
    ask(ctx, flow, flow.step(conv.step))
    return None


LATER = "later"
"""What `remember` keeps of a request typed mid-journey and kept ("ไม่" to leaving), for its chip."""
LATER_ACTION = "flow.later"


def _carry_later(ctx: Ctx, values: dict[str, Any]) -> None:
    """After a journey ended (values: its data): a kept request goes with the next journey if one started
    (offered when that ends), else is kept for its chip, to offer now (`offer_later`)."""
    later = values.get("_later")
    if not later or ctx.conversation is None:
        return
    if active_flow(ctx) is not None:
        put(ctx, _later=later)
        return
    remember(ctx, LATER, later, refresh=timedelta(0))
    put(ctx, _later_fresh=True)


def offer_later(ctx: Ctx) -> None:
    """The request typed mid-way and kept, offered as a chip after what ending the journey said (its chips
    kept behind it): "ประกาศที่พิมพ์ไว้" (the announcement typed was lost when they stayed)."""
    if ctx.conversation is None or active_flow(ctx) is not None or not data(ctx).get("_later_fresh"):
        return
    put(ctx, _later_fresh=None)
    later = recall(ctx, LATER)
    if not later:
        return
    kept = ctx.out[-1].pop("quickReply", {}).get("items", []) if ctx.out else []
    chip = replies.quick_postback(later["label"], postback.encode(LATER_ACTION), later["label"])
    ctx.reply(replies.text(f"ข้อความที่พิมพ์ไว้ระหว่างทางยังอยู่ค่ะ แตะ “{later['label']}” เพื่อทำต่อได้เลยนะคะ",
                           quick=[chip, *kept][:replies.MAX_QUICK_ITEMS]))


def take_later(ctx: Ctx) -> str | None:
    """The kept request's postback data to run (its chip tapped), once; None when it is no longer kept."""
    later = recall(ctx, LATER)
    if not later:
        return None
    forget(ctx, LATER)
    return later["data"]


def _finish(ctx: Ctx, flow: Flow) -> None:
    """End the flow and run its finish(); if a business rule refuses, keep everything the user typed and ask
    the step again, unless no answer can change it (ServiceError.final): then the journey stays ended."""
    from bot.services.errors import ServiceError

    conv = ctx.conversation
    values = dict(conv.data)
    kept = list(values.get(KEPT) or [])
    step_name, history = conv.step, list(conv.history)
    end(ctx)
    try:
        with ctx.all_or_nothing():
            flow.finish(ctx, values)
    except ServiceError as exc:
        if not step_name:
            raise
        if exc.final:
            flow.refused(ctx, values, exc.message_th)
            run_kept(ctx, kept)
            _carry_later(ctx, values)
            offer_later(ctx)
            return
        _save(ctx, flow=flow.name, step=step_name, values=values, history=history)
        ask(ctx, flow, flow.step(step_name), exc.message_th)
        return
    run_kept(ctx, kept)
    _carry_later(ctx, values)
    offer_later(ctx)


# --- requests typed while a yes/no question waits -------------------------------------------------
#
# The rule: a yes/no question (Flow.own_way_out: "บันทึกเลยไหมคะ", "ยืนยันยกเลิกสมัคร") never swallows
# what is typed after it. A request that only shows something is answered there and the question asked
# again (the dispatcher does that). Any other request is kept, in the order typed, and the question asked
# again saying so; once it is answered, yes or no, the kept requests are done one after another as if
# typed then. One that opens a journey of its own takes the rest along, to be done when it ends. Leaving
# ("ยกเลิก", "เมนู") says which kept requests were not done.

KEPT = KEPT_REQUESTS
MAX_KEPT = 5


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def keep(ctx: Ctx, text: str) -> str:
    """Keep a request typed at a pending question, to do once it is answered (`run_kept`); what to say before
    the question is asked again."""
    kept = [t for t in (data(ctx).get(KEPT) or []) if t != text][-(MAX_KEPT - 1):] + [text]
    put(ctx, **{KEPT: kept})
    if len(kept) == 1:
        return f"ขอคำตอบข้อนี้ก่อนนะคะ ตอบแล้วจะทำเรื่อง “{_clip(text)}” ต่อให้เลยค่ะ"
    return (f"ขอคำตอบข้อนี้ก่อนนะคะ ตอบแล้วจะทำ {len(kept)} เรื่องที่พิมพ์มาต่อให้ตามลำดับค่ะ "
            f"(ล่าสุด “{_clip(text)}”)")


def at_yes_no(ctx: Ctx, flow: Flow) -> bool:
    """Whether the open step is a yes/no question (Flow.own_way_out, or one of Flow.yes_no_steps)."""
    step = ctx.conversation.step if ctx.conversation is not None else None
    return bool(step) and (flow.own_way_out or step in flow.yes_no_steps)


def keep_request(ctx: Ctx, flow: Flow, text: str) -> None:
    """Keep a request typed at a pending yes/no question, to do once it is answered; ask the question again."""
    ask(ctx, flow, flow.step(ctx.conversation.step), keep(ctx, text))


def run_kept(ctx: Ctx, kept: list[str]) -> None:
    """Do the requests kept at a yes/no question, in order; one that opens a journey takes the rest along."""
    from bot.dispatcher import handle_text

    for i, text in enumerate(kept):
        if active_flow(ctx) is not None and ctx.conversation.step:
            rest = kept[i:]
            put(ctx, **{KEPT: rest})
            note = replies.text(f"อีก {len(rest)} เรื่องที่พิมพ์มา (“{_clip(rest[0])}”"
                                f"{' …' if len(rest) > 1 else ''}) จะทำต่อหลังเรื่องนี้นะคะ")
            ctx.out.insert(max(len(ctx.out) - 1, 0), note)  # before the question, which carries the chips
            return
        handle_text(ctx, text)


def kept_not_done(values: dict[str, Any]) -> str | None:
    """What to say, on leaving, of the requests kept at a yes/no question that were not done."""
    kept = values.get(KEPT) or []
    if not kept:
        return None
    said = ", ".join(f"“{_clip(t)}”" for t in kept)
    return f"เรื่องที่พิมพ์มาระหว่างนั้น ({said}) ยังไม่ได้ทำนะคะ พิมพ์มาอีกครั้งได้เลยค่ะ"


def handle(ctx: Ctx, answer: Answer, elsewhere: Callable[[Ctx, Flow, str], bool] | None = None) -> bool:
    """Feed an answer to the active flow; False when no flow is active.

    Typed text that does not answer the step goes to `elsewhere` first (the dispatcher asks whether to
    leave for the journey the text asks for); when it returns False, the step is asked again with the reason.
    """
    flow = active_flow(ctx)
    conv = ctx.conversation
    if flow is None or conv is None or not conv.step:
        return False
    switching = None  # the leave question open, its request and label: asked again if the text answers nothing
    if conv.data.get("_switch"):  # answered the step instead: the leave question is no longer open
        if not conv.data.get(AS_ANSWER):
            switching = (conv.data["_switch"], conv.data.get("_switch_kept_as"))
        put(ctx, _switch=None, **({AS_ANSWER: None} if conv.data.get(AS_ANSWER) else {}))
    if conv.data.get("_aside"):  # the same for a question asked beside the journey (about a push)
        put(ctx, _aside=None)
    step = flow.step(conv.step)
    word = bare_word(answer.text) if answer.kind == "text" else ""
    unsure = _unsure_choice(ctx, step) if word in SKIP_WORDS and not step.skippable else None
    if unsure is not None:  # "ข้าม" where the step offers "ไม่แน่ใจ" (an idea's funding): that choice
        answer = Answer(kind="choice", text=answer.text, value=unsure.value)
        word = ""
    if word in SKIP_WORDS or (answer.kind == "choice" and answer.value == SKIP_VALUE):
        if not step.skippable:  # typed "ข้าม" is never the answer itself (a title, a problem …)
            ask(ctx, flow, step, "ข้อนี้ข้ามไม่ได้ค่ะ")
            return True
        value = None
    else:
        answer = _typed_chip(ctx, step, answer)
        try:
            value = step.parse(ctx, answer) if step.parse else default_parse(ctx, answer)
        except Invalid as exc:
            if not (step.skippable and word in UNSURE_WORDS):  # "ไม่แน่ใจ" where no choice fits: left blank
                if answer.kind == "text" and answer.text and elsewhere and not exc.answered \
                        and elsewhere(ctx, flow, answer.text):
                    return True
                if switching is not None and answer.kind == "text" and not exc.answered:
                    put(ctx, _switch=switching[0])  # still open: asked again, not lost behind the step's reason
                    reask_switch(ctx, flow, *switching)
                    return True
                ask(ctx, flow, step, exc.reason)
                return True
            value = None
    advance(ctx, flow, step, value)
    return True


def _unsure_choice(ctx: Ctx, step: Step) -> Choice | None:
    """The step's "ไม่แน่ใจ" chip, if it has one."""
    options = step.choices(ctx) if callable(step.choices) else (step.choices or [])
    return next((c for c in options if bare_word(c.label) in UNSURE_WORDS), None)


def said_as(label: str) -> str:
    """What a chip puts in the user's mouth: its label without a mark ("✓ อาหาร" → "อาหาร")."""
    return label.removeprefix("✓").strip() or label


def names_a_chip(ctx: Ctx, text: str) -> bool:
    """Whether the text is the whole label of one of the open step's chips."""
    flow, conv = active_flow(ctx), ctx.conversation
    if flow is None or conv is None or not conv.step:
        return False
    return _typed_chip(ctx, flow.step(conv.step), Answer(kind="text", text=text)).kind == "choice"


def _typed_chip(ctx: Ctx, step: Step, answer: Answer) -> Answer:
    """Typing a chip's label ("ส่งโครงการ", "ยืนยันสมัครค่ะ") is the same as tapping it."""
    if answer.kind != "text" or not answer.text or not step.choices:
        return answer
    options = step.choices(ctx) if callable(step.choices) else step.choices
    named = _choice_named(bare_word(answer.text), options, partial=False)  # a whole label, not "งบ" of one
    return Answer(kind="choice", text=answer.text, value=named.value) if named is not None else answer


def advance(ctx: Ctx, flow: Flow, step: Step, value: Any) -> None:
    conv = ctx.conversation
    values = dict(conv.data)
    values[step.name] = value
    history = list(conv.history) + [step.name]
    conv.data = values
    kept = list(values.get(KEPT) or [])
    target = step.after(ctx, value) if step.after else None
    if conv.flow != flow.name:  # the hook ended or switched the flow ("ไม่ยกเลิก": kept as it was)
        run_kept(ctx, kept)  # answered all the same: the requests kept at the question are done now
        return
    values = dict(conv.data)
    return_to = values.pop("_return_to", None)
    if target is None and return_to:
        target = return_to
    if target == FINISH:
        conv.data = values
        _finish(ctx, flow)
        return
    following = flow.step(target) if target else flow.next_step(ctx, step.name)
    if following is None:
        conv.data = values
        _finish(ctx, flow)
        return
    _save(ctx, flow=flow.name, step=following.name, values=values, history=history)
    ask(ctx, flow, following)


def goto(ctx: Ctx, step_name: str, return_to: str | None = None) -> None:
    """Jump to a step (e.g. edit one field from a summary), optionally coming back afterwards."""
    flow = active_flow(ctx)
    assert flow is not None
    conv = ctx.conversation
    values = dict(conv.data)
    if return_to:
        values["_return_to"] = return_to
    history = list(conv.history) + ([conv.step] if conv.step else [])
    _save(ctx, flow=flow.name, step=step_name, values=values, history=history)
    ask(ctx, flow, flow.step(step_name))


def back(ctx: Ctx) -> bool:
    flow = active_flow(ctx)
    conv = ctx.conversation
    if flow is None or conv is None:
        return False
    history = list(conv.history)
    while history and history[-1] == conv.step:  # a preview shown again after a change: back goes before it
        history.pop()
    if not history:
        ask(ctx, flow, flow.step(conv.step), "นี่เป็นคำถามแรกแล้วค่ะ")
        return True
    previous = history.pop()
    values = dict(conv.data)
    values.pop("_return_to", None)
    _save(ctx, flow=flow.name, step=previous, values=values, history=history)
    ask(ctx, flow, flow.step(previous))
    return True


def cancel(ctx: Ctx) -> Flow | None:
    return leave(ctx)[0]


def leave(ctx: Ctx) -> tuple[Flow | None, str | None]:
    """`cancel`, also telling what the flow keeps done (Flow.kept_note) to say instead of "nothing was sent"."""
    flow = active_flow(ctx)
    if flow is None:
        return None, None
    values = dict(ctx.conversation.data)
    end(ctx)
    flow.on_cancel(ctx, values)
    _carry_later(ctx, values)  # offered after what the caller says (`offer_later`)
    note, not_done = flow.kept_note(ctx, values), kept_not_done(values)
    if not_done:
        note = f"{note or flow.cancelled_message()}\n{not_done}"
    return flow, note


def handle_chip(ctx: Ctx, params: dict[str, str], message_params: dict[str, Any]) -> None:
    """A tap on a flow button: act only if it belongs to the current step of the current flow."""
    from bot import texts

    flow = active_flow(ctx)
    conv = ctx.conversation
    current = flow is not None and conv is not None and params.get("s") == conv.step
    if not current or (params.get("n") != conv.nonce and not flow.takes_older_chip(ctx, params)):
        ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
        if flow is not None and conv is not None and conv.step:
            ask(ctx, flow, flow.step(conv.step))
        return
    answer = Answer(kind="choice", value=params.get("v"), params=message_params or {})
    if message_params:
        answer.kind = "datetime"
    handle(ctx, answer)


GROUP_ANSWER_WINDOW = timedelta(minutes=10)
"""In a group, how long after the bot asked a member a question their answer is taken without "@ร่วมกัน"."""
GROUP_YES = {"ใช่", "ใช่แล้ว", "ยืนยัน", "ถูกต้อง"}
GROUP_NO = {"ไม่ใช่", "ไม่ยืนยัน"}
"""A yes or no typed without the bot's name in a group: only these ("โอเค", "ได้", "ค่ะ" are said to anyone)."""


def answers_unaddressed(ctx: Ctx, text: str) -> bool:
    """In a group, whether text typed without the bot's name is this member's answer to the question the bot asked
    them there within GROUP_ANSWER_WINDOW. Only what plainly answers it: one of its choices typed whole (its label,
    or its value: "2" for "2 คน"), one of its chips that send text ("ยกเลิก", "ย้อนกลับ", "ข้าม"), or a plain
    "ใช่" / "ไม่ใช่" to a yes/no question. Anything else (a sentence, a free-text step's answer) waits for the
    bot's name: the chatter of the group is never taken."""
    flow = _asked_just_now(ctx)
    if flow is None:
        return False
    typed = " ".join((text or "").translate(THAI_DIGITS).split())
    word = bare_word(typed)
    if not word:
        return False
    if names_a_chip(ctx, typed):
        return True
    step = flow.step(str(ctx.conversation.step))
    sent_as_text = {item.get("action", {}).get("text") for item in (step.extra_quick(ctx) if step.extra_quick else [])}
    sent_as_text |= {"ย้อนกลับ" if can_go_back(ctx) else None, "ข้าม" if step.skippable else None,
                     None if flow.own_way_out else CANCEL_WORD}
    if word in {bare_word(said) for said in sent_as_text if said}:
        return True
    choices = step.choices(ctx) if callable(step.choices) else (step.choices or [])
    yes_no = {"yes", "no"} <= {c.value for c in choices}
    return yes_no and (_said_only(typed, GROUP_YES) or _said_only(typed, GROUP_NO))


def _asked_just_now(ctx: Ctx) -> Flow | None:
    """This member's open journey, when its step was asked within GROUP_ANSWER_WINDOW; else None."""
    flow, conv = active_flow(ctx), ctx.conversation
    if flow is None or conv is None or not conv.step or conv.expires_at is None or is_expired(ctx):
        return None
    asked = conv.expires_at - flow.timeout  # when the open step was reached (and asked)
    return flow if timedelta(0) <= ctx.now - asked <= GROUP_ANSWER_WINDOW else None


PICTURE_ACTIONS = frozenset({"camera", "cameraRoll"})


def picture_answers_unaddressed(ctx: Ctx) -> bool:
    """In a group, whether a picture (which cannot carry the bot's name) is this member's answer: the step the bot
    asked them within GROUP_ANSWER_WINDOW offers to send one ("เลือกรูป", "ถ่ายรูป")."""
    flow = _asked_just_now(ctx)
    if flow is None:
        return False
    step = flow.step(str(ctx.conversation.step))
    offered = step.extra_quick(ctx) if step.extra_quick else []
    return any(item.get("action", {}).get("type") in PICTURE_ACTIONS for item in offered)


def is_expired(ctx: Ctx) -> bool:
    conv = ctx.conversation
    return bool(conv and conv.flow and conv.expires_at and conv.expires_at < ctx.now)


def expire(ctx: Ctx) -> Flow | None:
    """Drop a flow that has been silent past its timeout; returns it so the caller can say so."""
    flow = active_flow(ctx)
    end(ctx)
    return flow


# --- parsers -------------------------------------------------------------------------------------

def default_parse(ctx: Ctx, answer: Answer) -> Any:
    if answer.kind == "choice":
        return answer.value
    return free_text()(ctx, answer)


def free_text(max_len: int = 1000, min_len: int = 1) -> Parser:
    def parse(ctx: Ctx, answer: Answer) -> str:
        if answer.kind == "choice":
            return answer.value or ""
        if answer.kind != "text" or answer.text is None:
            raise Invalid("ขอเป็นข้อความพิมพ์นะคะ")
        value = answer.text.strip()
        if len(value) < min_len:
            raise Invalid("ยังไม่เห็นข้อความเลยค่ะ ลองพิมพ์อีกครั้งนะคะ")
        if len(value) > max_len:
            raise Invalid(f"ข้อความยาวเกินไปค่ะ ขอไม่เกิน {max_len} ตัวอักษรนะคะ (ตอนนี้ {len(value)})")
        return value

    parse.takes_any_text = True  # type: ignore[attr-defined]
    return parse


def one_of(choices: list[Choice] | Callable[[Ctx], list[Choice]], allow_text: bool = True,
           reason: str = "กรุณาเลือกจากปุ่มด้านล่างนะคะ") -> Parser:
    """Accept a chip, or typed text that names one choice: its label or value ("ยินยอมค่ะ"), part of
    one label only ("โชคชัย"), or one label with a word or two around it ("ขอไม่ยินยอมนะคะ")."""

    def parse(ctx: Ctx, answer: Answer) -> str:
        options = choices(ctx) if callable(choices) else choices
        if answer.kind == "choice":
            if any(c.value == answer.value for c in options):
                return answer.value or ""
            raise Invalid(reason)
        if allow_text and answer.kind == "text" and answer.text:
            chosen = _choice_named(bare_word(answer.text), options)
            if chosen is not None:
                return chosen.value
        raise Invalid(reason)

    return parse


LABEL_SLACK = 4
"""How many characters typed around a choice's label still name it ("ขอ" + label + "นะ")."""


def _choice_named(typed: str, options: list[Choice], partial: bool = True) -> Choice | None:
    """The one choice the typed text names; `partial` also takes part of a label ("โชคชัย")."""
    if not typed:
        return None
    labels = [("".join(c.label.split()).lower(), c) for c in options]
    for label, c in labels:
        if typed in (label, c.value.lower()):
            return c
    inside = [c for label, c in labels if typed in label] if partial else []
    if len(inside) == 1:
        return inside[0]
    around = [(label, c) for label, c in labels if label and label in typed and len(typed) - len(label) <= LABEL_SLACK]
    # "ไม่ยินยอม" holds "ยินยอม": the longer label is the one meant.
    named = [c for label, c in around if not any(label != other and label in other for other, _ in around)]
    return named[0] if len(named) == 1 else None


YES_WORDS = {"ใช่", "ใช่แล้ว", "ยืนยัน", "ตกลง", "โอเค", "ok", "okay", "yes", "y", "ได้", "ได้เลย", "เอา", "เอาเลย",
             "ถูกต้อง", "ส่งเลย", "ส่ง", "ส่งได้", "ส่งได้เลย", "รอได้", "ค่ะ", "ค่า", "ครับ", "ครับผม", "คับ", "จ้ะ", "จ้า", "จ๊ะ"}
"""A particle alone is a yes too ("จ้ะ" as much as "ค่ะ")."""
NO_WORDS = {"ไม่", "ไม่ใช่", "no", "n", "ไม่ต้อง", "ไม่ยืนยัน", "ไม่เอา", "ไม่ดีกว่า"}


def bare_word(text: str | None) -> str:
    """Typed text without spaces, case and the polite particles at its end ("ใช่ค่ะ" → "ใช่")."""
    return "".join(without_particles(text or "").split()).lower()


def _made_of(word: str, vocabulary: set[str]) -> bool:
    """True when the word is one or more words of the vocabulary run together ("โอเคค่ะยืนยัน")."""
    longest = max(map(len, vocabulary))
    if not word or len(word) > 8 * longest:  # a sentence, not a few words (and no quadratic scan of it)
        return False
    ends = {0}
    for end in range(1, len(word) + 1):
        if any(start in ends and word[start:end] in vocabulary for start in range(max(0, end - longest), end)):
            ends.add(end)
    return len(word) in ends


def _said_only(text: str | None, vocabulary: set[str]) -> bool:
    """The text is words of the vocabulary alone, one or a few, each may end with a particle."""
    chunks = "".join(bare_word(chunk) for chunk in (text or "").split())
    return _made_of(bare_word(text), vocabulary) or _made_of(chunks, vocabulary)


def said_only(text: str | None, vocabulary: set[str]) -> bool:
    """The text is words of `vocabulary` alone, one or a few ("ขอบคุณมากนะคะ"), each may end with a particle."""
    return _said_only(text, vocabulary)


def said_yes(text: str | None) -> bool:
    """A yes, alone or a few together ("ใช่ค่ะ", "โอเคค่ะ ยืนยัน", "ได้เลยจ้ะ ตกลง")."""
    return _said_only(text, YES_WORDS)


def said_no(text: str | None) -> bool:
    """A no, alone or a few together ("ไม่ค่ะ", "ไม่เอาค่ะ ไม่ต้อง")."""
    return _said_only(text, NO_WORDS)


_NO_THEN = re.compile(r"^(?:(?:เอ๊ะ|เอ่อ|อ้าว|อุ๊ย|เอ|อ่า)\s*)?(?:ไม่ใช่|ไม่เอา|ไม่(?=\s*(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า)))"
                      r"(?:\s*(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า|นะคะ|นะ))*\s*(?:อันนี้|อันนั้น|แบบนี้)?(?:\s*(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า|นะ))*"
                      r"\s+(?P<rest>\S.*)$")


def no_and_more(text: str | None) -> str | None:
    """What follows a "no" that opens a longer answer ("ไม่ใช่ค่ะ แค่ลดเหลือ 1 คน" → "แค่ลดเหลือ 1 คน"), else None."""
    found = _NO_THEN.match((text or "").strip())
    return found["rest"] if found else None


def yes_no(ctx: Ctx, answer: Answer) -> bool:
    if answer.kind == "choice":
        return answer.value == "yes"
    if said_yes(answer.text):
        return True
    if said_no(answer.text):
        return False
    raise Invalid("แตะปุ่มด้านล่าง หรือพิมพ์ “ใช่” หรือ “ไม่ใช่” ได้เลยค่ะ")


CANCEL_WORD = "ยกเลิก"
CANCELLING_YES = {"ยกเลิก", "ยกเลิกเลย", "ยกเลิกได้เลย"}
"""Said with a yes ("ใช่ค่ะ ยกเลิกเลย") where the yes choice is itself a cancelling ("ยกเลิกประกาศ")."""


def cancel_word_reply(text: str | None, yes_label: str) -> str | None:
    """What "ยกเลิก…" typed answers to a yes/no question with no "ยกเลิก" chip of its own (Flow.own_way_out).

    Where yes is itself a cancelling ("ยืนยันยกเลิกสมัคร", "ยกเลิกประกาศ"), "ยกเลิกเลย" / "ยกเลิกการสมัคร"
    is "yes" and a bare "ยกเลิก" could be either, so it is asked again (Invalid). Elsewhere ("ลบเลย"), a bare
    "ยกเลิก" is "no". None when the text does not start with "ยกเลิก"."""
    said = bare_word(text)
    if not said.startswith(CANCEL_WORD):
        return None
    if CANCEL_WORD not in bare_word(yes_label):
        return "no" if said == CANCEL_WORD else None
    if said == CANCEL_WORD:
        raise Invalid(f"ยกเลิกใช่ไหมคะ แตะ “{yes_label}” เพื่อยืนยัน หรือปุ่มด้านล่างอีกปุ่มถ้าเปลี่ยนใจได้เลยค่ะ")
    return "yes"


def one_of_or_yes_no(choices: list[Choice]) -> Parser:
    """A confirmation step's parser: one of `choices` (their values "yes" and "no"), "ยกเลิก…" read against the
    yes choice (`cancel_word_reply`), or a plain yes or no typed instead ("ได้ค่ะ", "ไม่เอาแล้ว")."""
    named = one_of(choices)
    yes_label = next((c.label for c in choices if c.value == "yes"), "")

    def parse(ctx: Ctx, answer: Answer) -> str:
        try:
            return named(ctx, answer)
        except Invalid:
            pass
        cancelling = cancel_word_reply(answer.text, yes_label) if answer.kind == "text" else None
        if cancelling is not None:
            return cancelling
        if answer.kind == "text" and CANCEL_WORD in bare_word(yes_label) \
                and _said_only(answer.text, YES_WORDS | CANCELLING_YES):
            return "yes"  # "ใช่ค่ะ ยกเลิกเลย" where yes is a cancelling
        try:
            return "yes" if yes_no(ctx, answer) else "no"
        except Invalid:
            rest = no_and_more(answer.text) if answer.kind == "text" else None
            if rest is None:
                raise
        ctx.then_say = rest  # "เอ๊ะ ไม่ใช่อันนี้ค่ะ อยากไปวัดความดันมากกว่า": a no, then the rest is acted on
        return "no"

    return parse
