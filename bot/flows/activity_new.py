"""Staff publish an activity step by step: "เพิ่มกิจกรรม" alone asks for each field in turn.

Typing the one-line command ("เพิ่มกิจกรรม ชื่อ | วันเวลา | สถานที่ | ที่นั่ง") means "|" on a phone
keyboard and getting the order right; this asks instead, checks each answer as it comes, and ends in the
same preview and confirmation as the one-line command, as its own last step (so "ย้อนกลับ" goes back).
A step asked again ("ย้อนกลับ", "แก้ชื่อ" at the preview) says what it holds; once answered, the journey goes on to
the next step still without an answer (Step.when), so every other answer is kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.context import Ctx
from bot.flows import engine
from bot.flows.activity import LABEL_STEPS, publish_activity, staff_confirm_step, suggest_labels
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.handlers.activity_words import title_with_when
from bot.services import communities
from bot.services.errors import ServiceError
from bot.thaidate import THAI_DIGITS, format_date, format_span

DISTRICT_WIDE = "0"
SEAT_CHOICES = [Choice(f"{n} ที่", str(n)) for n in (20, 30, 50, 100)]


def _ui() -> Any:
    from bot.handlers import activities as ui

    return ui


WHEN_SAID = "said"
"""The chip that takes the day and time typed with the title."""


def _parse_when(ctx: Ctx, answer: Answer) -> list[str]:
    """'เสาร์นี้ 9 โมง ถึง 11 โมง' → [start, end] as ISO text; a time already past is refused with the date.
    With a day typed in the title: "ใช่" / its chip takes what was read, a time alone is on that day."""
    said = _said_to_confirm(ctx)
    if said and (answer.kind == "choice" and answer.value == WHEN_SAID
                 or answer.kind == "text" and engine.said_yes(answer.text)):
        return list(said)
    if answer.kind != "text" or not answer.text:
        raise Invalid("พิมพ์วันเวลาได้เลยค่ะ เช่น “เสาร์นี้ 9 โมง ถึง 11 โมง”")
    text, day, now_held = answer.text, engine.data(ctx).get("_day_said"), engine.data(ctx).get("when")
    if day and not now_held and not _names_a_day(ctx, text):  # "9 โมง" after "ตรวจสุขภาพ 12/12": on that day
        on = date.fromisoformat(day)
        text = f"{on.day}/{on.month}/{on.year + 543} {text}"
    try:
        if now_held:  # asked again: what is not said stays ("9 โมง" keeps the day, "29 ธ.ค." the hours)
            start, end = _ui().parse_move(text, ctx.now, *(datetime.fromisoformat(t) for t in now_held))
        else:
            start, end = _ui().parse_span(text, ctx.now)
    except ServiceError as exc:
        raise Invalid(exc.message_th) from None
    return [start.isoformat(), end.isoformat()]


def _names_a_day(ctx: Ctx, text: str) -> bool:
    from nlp.entities import extract

    said = extract(text.translate(THAI_DIGITS), ctx.now)
    return "date" in said or "date_range" in said


def _parse_seats(ctx: Ctx, answer: Answer) -> int:
    """The one-line command's seat rule (a positive number), asked again in the form's own words."""
    try:
        return _ui().parse_seats((answer.value if answer.kind == "choice" else answer.text) or "")
    except ServiceError:
        raise Invalid("ขอเป็นตัวเลขจำนวนที่นั่งนะคะ เช่น 30") from None


def _community_choices(ctx: Ctx) -> list[Choice]:
    home = communities.get(ctx.session, ctx.user.community_id) if ctx.user and ctx.user.community_id else None
    return [Choice("ทั้งเขต", DISTRICT_WIDE)] + ([Choice(home.name, str(home.id))] if home else [])


def _parse_community(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and any(c.value == answer.value for c in _community_choices(ctx)):
        return answer.value or DISTRICT_WIDE
    if answer.kind == "text" and answer.text:
        if "".join(answer.text.split()) in ("ทั้งเขต", "ทุกชุมชน", "เขต"):
            return DISTRICT_WIDE
        try:
            found = communities.one_named(ctx.session, answer.text)
        except ServiceError as exc:  # "ลาดพร้าว": which of them
            raise Invalid(exc.message_th) from None
        if found is not None:
            return str(found.id)
    raise Invalid("ไม่พบชุมชนนี้ค่ะ พิมพ์ชื่อชุมชน หรือแตะ “ทั้งเขต” ได้เลยนะคะ")


def _ask_when(ctx: Ctx) -> str:
    data = engine.data(ctx)
    said, day = data.get("_when_said"), data.get("_day_said")
    if data.get("when"):  # asked again ("ย้อนกลับ"): what it holds now
        day = None
    elif said:
        start, end = (datetime.fromisoformat(t) for t in said)
        return (f"ชื่อกิจกรรม “{data.get('title')}” จัด {format_span(start, end)} ใช่ไหมคะ "
                "แตะ “ใช้วันเวลานี้” หรือพิมพ์วันเวลาใหม่ได้เลย เช่น “7 โมง ถึง 8 โมง”")
    if day:  # "ตรวจสุขภาพ 12/12": the hours of that day
        return (f"ชื่อกิจกรรม “{data.get('title')}” จัดวันที่ {format_date(date.fromisoformat(day))} "
                "กี่โมงถึงกี่โมงคะ พิมพ์ได้เลย เช่น “9 โมง ถึง 11 โมง”")
    problem = "" if data.get("when") else data.get("_when_problem") or ""  # "… ผ่านไปแล้วค่ะ": typed with the title
    lead = f"ชื่อกิจกรรม “{data.get('title')}” ค่ะ\nวันเวลาที่พิมพ์มา: {problem}\n" if problem else _now_answer(ctx, "when")
    return lead + "จัดวันไหน กี่โมงถึงกี่โมงคะ พิมพ์ได้เลย เช่น “เสาร์นี้ 9 โมง ถึง 11 โมง” หรือ “5/12/2569 09:00-11:00”"


def _when_choices(ctx: Ctx) -> list[Choice]:
    return [Choice("ใช้วันเวลานี้", WHEN_SAID)] if _said_to_confirm(ctx) else []


def _said_to_confirm(ctx: Ctx) -> list[str] | None:
    """The day and time typed with the title, while the date step has no answer of its own yet."""
    data = engine.data(ctx)
    return None if data.get("when") else data.get("_when_said")


def _now_answer(ctx: Ctx, name: str) -> str:
    """What a step holds already, said when it is asked again ("ย้อนกลับ"): it stays unless a new answer comes."""
    value = engine.data(ctx).get(name)
    if value in (None, ""):
        return ""
    if name == "when":
        shown = format_span(*(datetime.fromisoformat(t) for t in value))
    elif name == "community":
        shown = _ui()._community_name(ctx, int(value) or None)
    else:
        shown = f"“{value}”" if name != "capacity" else f"{value} ที่"
    return f"ตอนนี้: {shown}\n"


def _ask_title(ctx: Ctx) -> str:
    held = engine.data(ctx).get("title")
    return f"ตอนนี้ชื่อ “{held}” ค่ะ จะเปลี่ยนเป็นชื่ออะไรคะ" if held else "เพิ่มกิจกรรมใหม่นะคะ ✍️ กิจกรรมชื่ออะไรคะ"


def _asking(name: str, question: str) -> Any:
    return lambda ctx: _now_answer(ctx, name) + question


def _unanswered(name: str) -> Any:
    """A step is asked on the way only while it has no answer: one changed ("ย้อนกลับ", "แก้ชื่อ") keeps the rest."""
    return lambda ctx: engine.data(ctx).get(name) in (None, "")


def _after_title(ctx: Ctx, title: str) -> None:
    """The topic and target group the title suggests; a day and time typed with it, split off to be confirmed."""
    said = title_with_when(title, ctx.now)
    found: dict[str, Any] = {"_when_said": None, "_day_said": None, "_when_problem": None}
    if said is not None:
        title = said.title
        found = {"title": title, "_day_said": None if said.problem else said.day.isoformat(), "when": None,
                 "_when_said": [t.isoformat() for t in said.when] if said.when else None,
                 "_when_problem": said.problem}
    engine.put(ctx, **found, **suggest_labels(ctx, title))


def _publish_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The answers as the one-line command gives them (ISO start and end, community id or None)."""
    start, end = data["when"]
    return {"title": data["title"], "place": data["place"], "capacity": int(data["capacity"]),
            "starts_at": start, "ends_at": end, "community_id": int(data.get("community") or DISTRICT_WIDE) or None,
            "topic": data.get("topic"), "target_group": data.get("target_group")}


@register_flow
class NewActivityFlow(Flow):
    name = "activity_new"
    title = "เพิ่มกิจกรรม"
    steps = (
        Step("title", ask=_ask_title,
             parse=engine.free_text(max_len=200), after=_after_title, when=_unanswered("title")),
        Step("when", ask=_ask_when, choices=_when_choices, parse=_parse_when, when=_unanswered("when")),
        Step("place", ask=_asking("place", "จัดที่ไหนคะ"), parse=engine.free_text(max_len=300),
             when=_unanswered("place")),
        Step("capacity", ask=_asking("capacity", "รับได้กี่คนคะ แตะปุ่มหรือพิมพ์ตัวเลขได้เลย"), choices=SEAT_CHOICES,
             parse=_parse_seats, when=_unanswered("capacity")),
        Step("community", ask=_asking("community", "เป็นกิจกรรมของชุมชนไหนคะ พิมพ์ชื่อชุมชน หรือแตะ “ทั้งเขต”"),
             choices=_community_choices, parse=_parse_community, when=_unanswered("community")),
        # The one-line command's preview, as a step of this journey: "ย้อนกลับ" goes back to the answers.
        staff_confirm_step(lambda ctx: _ui().publish_preview(ctx, _publish_fields(engine.data(ctx)))),
        *LABEL_STEPS,
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """A name typed with the command ("เพิ่มกิจกรรม โยคะ 5 ธ.ค. 7 โมง") is the first answer."""
        if data.get("title"):
            _after_title(ctx, data["title"])
        return None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        publish_activity(ctx, _publish_fields(data))
