"""A yes/no question asked like every other step: tapped, or typed ("ใช่ค่ะ", "ไม่", the button's words).

`ask(ctx, question, yes=(label, postback), no=(label, postback))`: the answer runs that postback, as
tapping a button of the same card would (so both keep working for cards sent earlier).
"""

from __future__ import annotations

from typing import Any

from bot import replies
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import Answer, Choice, Flow, Step, register_flow
from bot.services.errors import ServiceError

NAME = "confirm"


def ask(ctx: Ctx, question: str, *, yes: tuple[str, str], no: tuple[str, str]) -> None:
    engine.start(ctx, NAME, {"question": question, "yes_label": yes[0], "yes": yes[1],
                             "no_label": no[0], "no": no[1]})


def _choices(ctx: Ctx) -> list[Choice]:
    data = engine.data(ctx)
    return [Choice(data.get("yes_label") or "ใช่", "yes"), Choice(data.get("no_label") or "ไม่ใช่", "no")]


def _parse(ctx: Ctx, answer: Answer) -> str:
    if answer.kind != "text":
        return engine.one_of(_choices)(ctx, answer)
    said = engine.bare_word(answer.text)
    if said and said == engine.bare_word(engine.data(ctx).get("yes_label")).removesuffix("เลย"):
        return "yes"  # the yes button's verb alone: "ถอนค่ะ" for "ถอนเลย", "ลบ" for "ลบเลย"
    return engine.one_of_or_yes_no(_choices(ctx))(ctx, answer)


@register_flow
class ConfirmFlow(Flow):
    name = NAME
    title = "ตอบคำถามยืนยัน"
    own_way_out = True
    steps = (Step("answer", ask=lambda ctx: engine.data(ctx).get("question") or "ยืนยันไหมคะ",
                  choices=_choices, parse=_parse),)

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        from bot.dispatcher import run_postback

        try:
            with ctx.all_or_nothing():  # a refusal undoes what the answer had started
                run_postback(ctx, data["yes"] if data.get("answer") == "yes" else data["no"], {})
        except ServiceError as exc:
            ctx.reply(replies.text(exc.message_th))
