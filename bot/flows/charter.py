"""Feedback on one charter clause: stance → optional comment (or confirm a typed one) → thanks with tally.

```mermaid
flowchart LR
  tap[card button / "ไม่เห็นด้วยกับข้อ 3"] --> comment
  typed["ข้อ 5 ควร…"] --> stance --> confirm
  stance -->|no typed comment| comment
  comment -->|text or ข้าม| saved[record_stance → thanks + tally]
  confirm -->|ส่งเลย / ไม่ใส่ความเห็น| saved
  confirm -->|แก้ความเห็น| comment
```
"""

from __future__ import annotations

from typing import Any

from bot import replies
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.handlers import charter as ui
from bot.services import charter as svc
from bot.services.errors import ServiceError
from bot.thaidate import format_date

NAME = "charter_feedback"
MAX_COMMENT = 500
STANCE_CHOICES = [Choice(label, value) for label, value in ui.STANCE_BUTTONS]
CONFIRM_CHOICES = [Choice("ส่งเลย", "send"), Choice("แก้ความเห็น", "edit"), Choice("ไม่ใส่ความเห็น", "drop")]
NO_COMMENT_WORDS = {"ข้าม", "ไม่มี", "ไม่", "-", "skip", "ไม่มีความเห็น", "ไม่มีอะไร", "ไม่เพิ่ม"}

ASK_STANCE = "คุณเห็นด้วยกับข้อ {no} ไหมคะ เลือกจากปุ่มด้านล่างได้เลยค่ะ"
PREFILLED_NOTE = "\nความเห็นที่พิมพ์มา: “{comment}” (เลือกแล้วจะให้ตรวจอีกครั้งก่อนส่งค่ะ)"
ASK_COMMENT = ("คุณเลือก “{stance}” กับข้อ {no} ค่ะ\n"
               "อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ พิมพ์สั้น ๆ ได้เลย หรือกด “ข้าม” ก็ได้ค่ะ")
ASK_CONFIRM = "ตรวจอีกครั้งนะคะ\nข้อ {no}: {mark} {stance}\nความเห็น: {comment}\nส่งความเห็นนี้เลยไหมคะ"
SWITCHED_NOTE = "ข้อความที่พิมพ์มาบอกว่า “{stance}” จึงเปลี่ยนคำตอบให้แล้วค่ะ (เดิมเลือก “{before}”)\n"
BAD_STANCE = "เลือก เห็นด้วย ไม่เห็นด้วย หรือ ไม่แน่ใจ จากปุ่มด้านล่างได้เลยค่ะ"
BAD_CONFIRM = "กด “ส่งเลย” “แก้ความเห็น” หรือ “ไม่ใส่ความเห็น” ได้เลยค่ะ"


def _data(ctx: Ctx) -> dict[str, Any]:
    return engine.data(ctx)


def _clause(ctx: Ctx) -> svc.AnyClause:
    clause = svc.clause_by_id(ctx.session, int(_data(ctx)["clause_id"]))
    assert clause is not None
    return clause


def _card(ctx: Ctx) -> dict[str, Any]:
    clause = _clause(ctx)
    charter = svc.charter_of(ctx.session, clause.charter_id)
    hearing, counts, mine = ui._round_view(ctx, charter, [clause.id])
    bubble = ui.clause_bubble(ctx, clause, clause.section, hearing, counts.get(clause.id), mine.get(clause.id),
                              with_buttons=False)
    return replies.flex(f"ข้อ {clause.no}: {clause.text}", bubble)


def _first_ask(ctx: Ctx) -> bool:
    return not (ctx.conversation and ctx.conversation.history)


def _stance_th(ctx: Ctx) -> str:
    return svc.STANCE_TH.get(_data(ctx).get("stance") or "", "")


# --- asks ----------------------------------------------------------------------------------------

def ask_stance(ctx: Ctx) -> list[dict[str, Any]]:
    d = _data(ctx)
    note = PREFILLED_NOTE.format(comment=d["comment"]) if d.get("prefilled") and d.get("comment") else ""
    return [_card(ctx), replies.text(ASK_STANCE.format(no=_clause(ctx).no) + note)]


def ask_comment(ctx: Ctx) -> list[dict[str, Any]]:
    messages = [_card(ctx)] if _data(ctx).get("typed") and _first_ask(ctx) else []
    messages.append(replies.text(ASK_COMMENT.format(stance=_stance_th(ctx), no=_clause(ctx).no)))
    return messages


def ask_confirm(ctx: Ctx) -> list[dict[str, Any]]:
    d = _data(ctx)
    messages = [_card(ctx)] if d.get("typed") and _first_ask(ctx) else []
    comment = f"“{d['comment']}”" if d.get("comment") else "(ไม่มี)"
    switched = SWITCHED_NOTE.format(stance=_stance_th(ctx), before=svc.STANCE_TH.get(d.get("switched_from") or "", "")) \
        if d.get("switched_from") else ""
    messages.append(replies.text(switched + ASK_CONFIRM.format(no=_clause(ctx).no, mark=ui.STANCE_MARK.get(d.get("stance"), ""),
                                                    stance=_stance_th(ctx), comment=comment)))
    return messages


def change_chip(ctx: Ctx) -> list[dict[str, Any]]:
    """'เปลี่ยนคำตอบ' on the first question when the stance came with the tap (back goes to the stance)."""
    if _first_ask(ctx) and _data(ctx).get("stance"):
        return [replies.quick_message("เปลี่ยนคำตอบ", "ย้อนกลับ")]
    return []


# --- parsers -------------------------------------------------------------------------------------

def parse_stance(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and answer.value in svc.STANCE_TH:
        return answer.value
    if answer.kind == "text" and answer.text:
        found = ui.stance_in(answer.text)
        if found:
            return found
    raise Invalid(BAD_STANCE)


def parse_comment(ctx: Ctx, answer: Answer) -> str | None:
    if answer.kind != "text" or not answer.text:
        raise Invalid("ขอเป็นข้อความพิมพ์นะคะ หรือกด “ข้าม” ก็ได้ค่ะ")
    value = " ".join(answer.text.split())
    word = engine.bare_word(value)
    if word in NO_COMMENT_WORDS:
        return None
    if len(value) > MAX_COMMENT:
        raise Invalid(f"ความเห็นยาวไปนิดค่ะ ขอไม่เกิน {MAX_COMMENT} ตัวอักษรนะคะ (ตอนนี้ {len(value)})")
    return value


def after_comment(ctx: Ctx, value: str | None) -> str | None:
    """A comment that names another stance ("ไม่เห็นด้วยค่ะ" after tapping เห็นด้วย) changes the stance,
    and the answer is shown to confirm: before, the old stance was saved with the new one as its comment."""
    stance = _data(ctx).get("stance")
    said, rest = ui.split_feedback(value) if value else (None, None)
    if said is None or said == stance:
        return None
    engine.put(ctx, stance=said, comment=rest, prefilled=True, switched_from=stance)
    return "confirm"


def parse_confirm(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and answer.value in ("send", "edit", "drop"):
        return answer.value
    if answer.kind == "text" and answer.text:
        word = engine.bare_word(answer.text)
        if word.startswith("แก้"):
            return "edit"
        if word.startswith("ไม่ใส่") or word in ("ไม่ต้องใส่", "ลบความเห็น"):
            return "drop"
        if word.startswith("ส่ง") or word in engine.YES_WORDS:
            return "send"
    raise Invalid(BAD_CONFIRM)


def after_confirm(ctx: Ctx, value: str) -> str | None:
    if value == "edit":
        return "comment"
    if value == "drop":
        values = dict(ctx.conversation.data)
        values["comment"] = None
        ctx.conversation.data = values
    return engine.FINISH


# --- the flow ------------------------------------------------------------------------------------

@register_flow
class CharterFeedbackFlow(Flow):
    name = NAME
    title = "แสดงความเห็นต่อธรรมนูญ"
    requires_consent = True
    steps = (
        Step("stance", ask=ask_stance, choices=STANCE_CHOICES, parse=parse_stance,
             when=lambda ctx: not _data(ctx).get("stance")),
        Step("comment", ask=ask_comment, parse=parse_comment, skippable=True, after=after_comment,
             when=lambda ctx: not _data(ctx).get("prefilled"), extra_quick=change_chip),
        Step("confirm", ask=ask_confirm, choices=CONFIRM_CHOICES, parse=parse_confirm, after=after_confirm,
             when=lambda ctx: bool(_data(ctx).get("prefilled")), extra_quick=change_chip),
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        clause = svc.clause_by_id(ctx.session, int(data["clause_id"]))
        charter = svc.published_or_none(ctx.session, clause.charter_id) if clause else None
        if clause is None or charter is None:
            ui.show_home(ctx, ui.UPDATED)
            return
        try:
            change = svc.change_stance(ctx.session, ctx.user, clause, data["stance"], data.get("comment"), ctx.now)
        except ServiceError as exc:
            ctx.reply(replies.text(exc.message_th, quick=ui.browse_quick(section=clause.section)))
            return
        saved, prior_stance, hearing = change.feedback, change.before, change.hearing
        stance_th = svc.STANCE_TH[saved.stance]
        if prior_stance is None:
            head = f"ขอบคุณค่ะ 🙏 บันทึกความเห็นของคุณต่อข้อ {clause.no} แล้ว: {ui.STANCE_MARK[saved.stance]} {stance_th}"
        elif prior_stance != saved.stance:
            head = (f"ขอบคุณค่ะ 🙏 เปลี่ยนความเห็นของคุณต่อข้อ {clause.no} เป็น “{stance_th}” แล้ว"
                    f" (เดิม: {svc.STANCE_TH[prior_stance]})")
        else:
            head = f"ขอบคุณค่ะ 🙏 อัปเดตความเห็นของคุณต่อข้อ {clause.no} แล้ว: {stance_th}"
        lines = [head]
        if saved.comment:
            lines.append(f"ความเห็นเพิ่มเติม: “{saved.comment}”")
        lines.append(f"ความเห็นตอนนี้ของข้อ {clause.no}: {svc.tally_text(svc.tally(ctx.session, clause, hearing))}")
        lines.append(f"เปลี่ยนใจได้จนถึง {format_date(hearing.closes_at)} นะคะ")
        quick = []
        following = svc.get_clause(ctx.session, charter, clause.no + 1)
        if following is not None:
            quick.append(replies.quick_postback(f"อ่านข้อ {following.no}",
                                                ui.postback.encode("charter.clause", k=following.id),
                                                f"อ่านข้อ {following.no}"))
        quick += ui.browse_quick(section=clause.section)
        ctx.reply(replies.text("\n".join(lines), quick=quick))


def begin(ctx: Ctx, clause: svc.AnyClause, stance: str | None = None, comment: str | None = None,
          typed: bool = False) -> None:
    """Start feedback on a clause (from a card button or typed text); closed rounds are answered politely."""
    charter = svc.charter_of(ctx.session, clause.charter_id)
    if svc.current_round(ctx.session, charter, ctx.now) is None:
        ctx.reply(replies.text(svc.closed_message(ctx.session, charter, ctx.now),
                               quick=ui.browse_quick(section=clause.section)))
        return
    initial = {"clause_id": clause.id, "stance": stance, "comment": comment, "prefilled": comment is not None,
               "typed": typed}
    engine.start(ctx, NAME, initial)
    conv = ctx.conversation
    if conv is not None and conv.flow == NAME and stance and conv.step != "stance" and not conv.history:
        # The stance came with the tap: "ย้อนกลับ" from the first question goes back to choosing it.
        conv.history = ["stance"]
