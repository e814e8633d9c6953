"""Staff publish an activity step by step: "เพิ่มกิจกรรม" alone asks for each field in turn.

Typing the one-line command ("เพิ่มกิจกรรม ชื่อ | วันเวลา | สถานที่ | ที่นั่ง") means "|" on a phone
keyboard and getting the order right; this asks instead, checks each answer as it comes, and ends in the
same preview and confirmation as the one-line command, as its own last step (so "ย้อนกลับ" goes back).
"""

from __future__ import annotations

from typing import Any

from bot.context import Ctx
from bot.flows import engine
from bot.flows.activity import LABEL_STEPS, publish_activity, staff_confirm_step
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.services import activities as svc
from bot.services import communities
from bot.services.errors import ServiceError

DISTRICT_WIDE = "0"
SEAT_CHOICES = [Choice(f"{n} ที่", str(n)) for n in (20, 30, 50, 100)]


def _ui() -> Any:
    from bot.handlers import activities as ui

    return ui


def _parse_when(ctx: Ctx, answer: Answer) -> list[str]:
    """'เสาร์นี้ 9 โมง ถึง 11 โมง' → [start, end] as ISO text; a time already past is refused with the date."""
    if answer.kind != "text" or not answer.text:
        raise Invalid("พิมพ์วันเวลาได้เลยค่ะ เช่น “เสาร์นี้ 9 โมง ถึง 11 โมง”")
    try:
        start, end = _ui().parse_span(answer.text, ctx.now)
    except ServiceError as exc:
        raise Invalid(exc.message_th) from None
    return [start.isoformat(), end.isoformat()]


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


def _ask_when(_: Ctx) -> str:
    return ("จัดวันไหน กี่โมงถึงกี่โมงคะ พิมพ์ได้เลย เช่น “เสาร์นี้ 9 โมง ถึง 11 โมง” "
            "หรือ “5/12/2569 09:00-11:00”")


def _publish_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The answers as the one-line command gives them (ISO start and end, community id or None)."""
    start, end = data["when"]
    return {"title": data["title"], "place": data["place"], "capacity": int(data["capacity"]),
            "starts_at": start, "ends_at": end, "community_id": int(data.get("community") or DISTRICT_WIDE) or None,
            "topic": data.get("topic"), "target_group": data.get("target_group")}


def _suggest_labels(ctx: Ctx, title: str) -> None:
    """The topic and target group the title suggests, shown at the preview to confirm or change."""
    engine.put(ctx, **svc.suggested_labels(title))


@register_flow
class NewActivityFlow(Flow):
    name = "activity_new"
    title = "เพิ่มกิจกรรม"
    steps = (
        Step("title", ask="เพิ่มกิจกรรมใหม่นะคะ ✍️ กิจกรรมชื่ออะไรคะ", parse=engine.free_text(max_len=200),
             after=_suggest_labels),
        Step("when", ask=_ask_when, parse=_parse_when),
        Step("place", ask="จัดที่ไหนคะ", parse=engine.free_text(max_len=300)),
        Step("capacity", ask="รับได้กี่คนคะ แตะปุ่มหรือพิมพ์ตัวเลขได้เลย", choices=SEAT_CHOICES, parse=_parse_seats),
        Step("community", ask="เป็นกิจกรรมของชุมชนไหนคะ พิมพ์ชื่อชุมชน หรือแตะ “ทั้งเขต”",
             choices=_community_choices, parse=_parse_community),
        # The one-line command's preview, as a step of this journey: "ย้อนกลับ" goes back to the answers.
        staff_confirm_step(lambda ctx: _ui().publish_preview(ctx, _publish_fields(engine.data(ctx)))),
        *LABEL_STEPS,
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        publish_activity(ctx, _publish_fields(data))
