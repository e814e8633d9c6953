"""Feedback on one charter clause: stance → optional comment (or confirm a typed one) → thanks with tally.

A stance given without a typed comment (a card button, "ไม่เห็นด้วยกับข้อ 3") is saved at once, before the
comment is asked: the comment is an optional extra, so leaving there ("เมนู", "ยกเลิก", another card's
stance button) keeps the stance. A typed comment waits for "ส่งเลย" at the confirmation, with its stance.
No comment ("ข้าม", "ไม่ใส่ความเห็น") adds nothing: an earlier comment on the clause stays with its stance, and
is dropped (and said so) when the stance changes: it was the old stance's reason.

```mermaid
flowchart LR
  tap[card button / "ไม่เห็นด้วยกับข้อ 3"] --> savedfirst[stance saved] --> comment
  typed["ข้อ 5 ควร…"] --> stance --> confirm
  stance -->|no typed comment| savedfirst
  comment -->|text| saved[change_stance → thanks + tally]
  comment -->|ข้าม| thanks[thanks + tally]
  confirm -->|ส่งเลย / ไม่ใส่ความเห็น| saved
  confirm -->|แก้ความเห็น| comment
```
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot import postback, replies
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.handlers import charter as ui
from bot.services import charter as svc
from bot.services.errors import ServiceError
from bot.thaidate import format_date
from nlp.normalize import reason_text
from storage.models import ClauseFeedback

NAME = "charter_feedback"
MAX_COMMENT = 500
STANCE_CHOICES = [Choice(label, value) for label, value in ui.STANCE_BUTTONS]
CONFIRM_CHOICES = [Choice("ส่งเลย", "send"), Choice("แก้ความเห็น", "edit"), Choice("ไม่ใส่ความเห็น", "drop")]
NO_COMMENT_WORDS = {"ข้าม", "ไม่มี", "ไม่", "-", "skip", "ไม่มีความเห็น", "ไม่มีอะไร", "ไม่เพิ่ม"}
_NO_COMMENT = re.compile(
    r"(?:(?:ไม่มี(?:อะไร|ความ(?:คิด)?เห็น)?(?:เพิ่ม(?:เติม)?|อีก)?|ไม่ต้อง(?:ใส่|เพิ่ม)?|ไม่เพิ่ม|ไม่ใส่|ไม่ละ|ไม่แล้ว"
    r"|แค่(?:นี้|นั้น)|เท่า(?:นี้|นั้น)|พอ(?:แค่นี้)?|จบ|ส่ง(?:เลย|ได้(?:เลย)?)?|โอเค|ok|okay|ตกลง|ได้เลย|ข้าม)"
    r"(?:แหละ|ละ|ล่ะ|แล้ว|เลย|ก่อน|ครับ|ค่ะ|คะ|ค่า|คับ|นะ|จ้ะ|จ้า|จ๊ะ|ๆ|[,.!…])*)+")
"""Closing words at the comment prompt ("ส่งเลย", "โอเค", "แค่นี้แหละ", "ไม่มีอะไรเพิ่มเติม"): no comment (they were
saved as the comment “ส่งเลย”)."""

WANTS_TO_ADD = {"ใช่", "ใช่แล้ว", "ค่ะ", "ค่า", "ครับ", "ครับผม", "คับ", "จ้ะ", "จ้า", "จ๊ะ", "เอา", "ได้", "อยาก",
               "อยากเพิ่ม", "มี", "เพิ่ม", "ขอเพิ่ม"}
"""A yes to "อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ": the comment is still to come (asked for), never the comment itself."""
WRITE_IT = "ได้ค่ะ พิมพ์เหตุผลหรือข้อเสนอมาได้เลยนะคะ หรือกด “ข้าม” ถ้าไม่มีค่ะ"
WRITING = "_write_it"
"""Set when a yes came to the comment question: it is asked again as WRITE_IT alone."""
ASK_STANCE = "คุณเห็นด้วยกับข้อ {no} ไหมคะ เลือกจากปุ่มด้านล่างได้เลยค่ะ"
PREFILLED_NOTE = "\nความเห็นที่พิมพ์มา: “{comment}” (เลือกแล้วจะให้ตรวจอีกครั้งก่อนส่งค่ะ)"
ASK_COMMENT = ("คุณเลือก “{stance}” กับข้อ {no} ค่ะ\n"
               "อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ พิมพ์สั้น ๆ ได้เลย หรือกด “ข้าม” ก็ได้ค่ะ")
SAVED_ASK_COMMENT = ("คุณเลือก “{stance}” กับข้อ {no} ค่ะ บันทึกแล้ว ✅\n"
                     "อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ พิมพ์สั้น ๆ ได้เลย หรือกด “ข้าม” ก็ได้ค่ะ")
SAVED_KEEP_COMMENT = ("คุณเลือก “{stance}” กับข้อ {no} ค่ะ บันทึกแล้ว ✅\n"
                      "ความคิดเห็นเดิม: “{comment}”\n"
                      "พิมพ์ความคิดเห็นใหม่แทนได้ หรือกด “ข้าม” เพื่อคงความคิดเห็นเดิมไว้ค่ะ")
SAVED_DROPPED_COMMENT = ("คุณเลือก “{stance}” กับข้อ {no} ค่ะ บันทึกแล้ว ✅\n"
                         "ความคิดเห็นเดิม “{dropped}” เป็นเหตุผลของคำตอบเดิม จึงลบออกแล้วนะคะ\n"
                         "อยากเพิ่มเหตุผลใหม่ไหมคะ พิมพ์สั้น ๆ ได้เลย หรือกด “ข้าม” ก็ได้ค่ะ")
DROPPED_NOTE = "ลบความคิดเห็นเดิม “{comment}” แล้ว เพราะเป็นเหตุผลของคำตอบเดิมค่ะ"
COMMENT_ONLY_ASK = ("ตอนนี้คุณเลือก “{stance}” กับข้อ {no} ค่ะ\n"
                    "อยากเพิ่มเหตุผลหรือข้อเสนอไหมคะ พิมพ์สั้น ๆ ได้เลย หรือกด “ข้าม” ก็ได้ค่ะ")
COMMENT_ONLY_KEEP = ("ตอนนี้คุณเลือก “{stance}” กับข้อ {no} ค่ะ\n"
                     "ความคิดเห็นเดิม: “{comment}”\n"
                     "พิมพ์ความคิดเห็นใหม่แทนได้ หรือกด “ข้าม” เพื่อคงความคิดเห็นเดิมไว้ค่ะ")
UNCHANGED = "ความเห็นของคุณต่อข้อ {no} ยังเป็น “{stance}” เหมือนเดิมค่ะ"
KEPT_NOTE = "บันทึกความเห็น “{stance}” ต่อข้อ {no} แล้วค่ะ {rest}"
KEPT_NO_COMMENT = "ไม่มีความคิดเห็นเพิ่มเติม"
KEPT_OLD_COMMENT = "ความคิดเห็นเดิมยังอยู่นะคะ"
KEPT_DROPPED = "ความคิดเห็นเดิมเป็นเหตุผลของคำตอบเดิม จึงลบออกแล้วค่ะ"
KEPT_NOT_SENT = "ส่วนที่ยังไม่ได้กดส่งไม่ถูกบันทึกนะคะ"
LATE_OFFER = "\nความเห็นที่พิมพ์มา ส่งถึงเจ้าหน้าที่แทนได้นะคะ แตะ “ส่งถึงเจ้าหน้าที่” ได้เลยค่ะ"
LATE_LABEL = "ส่งถึงเจ้าหน้าที่"
LATE_ACTION = "charter.to_staff"
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
    saved, stance = mine.get(clause.id), _data(ctx).get("stance")
    # A stance typed that is not the one saved yet: the card names the saved one as the earlier answer (it said
    # "คุณเลือก: 👍 เห็นด้วย" above "ข้อ 5: 👎 ไม่เห็นด้วย … ส่งความเห็นนี้เลยไหมคะ").
    label = "ความเห็นเดิม" if saved and stance and saved != stance else "คุณเลือก"
    bubble = ui.clause_bubble(ctx, clause, clause.section, hearing, counts.get(clause.id), saved,
                              with_buttons=False, mine_label=label)
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
    d = _data(ctx)
    if d.get(WRITING):  # "ใช่" to "อยากเพิ่มเหตุผลไหมคะ": only "พิมพ์มาได้เลย", not the whole question again
        engine.put(ctx, **{WRITING: None})
        return _own_chips(ctx, [replies.text(WRITE_IT)], [], skippable=True)
    messages = [_card(ctx)] if d.get("typed") and _first_ask(ctx) else []
    asked = ASK_COMMENT
    if _stance_saved(d) and d.get("comment_only") and _first_ask(ctx):  # the stance was not chosen just now
        asked = COMMENT_ONLY_KEEP if d.get("kept") else COMMENT_ONLY_ASK
    elif _stance_saved(d):
        asked = SAVED_KEEP_COMMENT if d.get("kept") else SAVED_DROPPED_COMMENT if d.get("dropped") else SAVED_ASK_COMMENT
    messages.append(replies.text(asked.format(stance=_stance_th(ctx), no=_clause(ctx).no, comment=d.get("kept"),
                                              dropped=d.get("dropped"))))
    return _own_chips(ctx, messages, [], skippable=True)


def ask_confirm(ctx: Ctx) -> list[dict[str, Any]]:
    d = _data(ctx)
    messages = [_card(ctx)] if d.get("typed") and _first_ask(ctx) else []
    comment = f"“{d['comment']}”" if d.get("comment") else "(ไม่มี)"
    switched = SWITCHED_NOTE.format(stance=_stance_th(ctx), before=svc.STANCE_TH.get(d.get("switched_from") or "", "")) \
        if d.get("switched_from") else ""
    messages.append(replies.text(switched + ASK_CONFIRM.format(no=_clause(ctx).no, mark=ui.STANCE_MARK.get(d.get("stance"), ""),
                                                    stance=_stance_th(ctx), comment=comment)))
    return _own_chips(ctx, messages, CONFIRM_CHOICES, skippable=False)


def _stance_given(ctx: Ctx) -> bool:
    """The stance came with the tap or the text, and only it is behind this question (`begin` put it there)."""
    conv = ctx.conversation
    return bool(_data(ctx).get("given")) and conv is not None and list(conv.history or []) in ([], ["stance"])


def change_chip(ctx: Ctx) -> list[dict[str, Any]]:
    """'เปลี่ยนคำตอบ' on the first question when the stance came with the tap (back goes to the stance)."""
    if (_first_ask(ctx) or _stance_given(ctx)) and _data(ctx).get("stance"):
        return [replies.quick_message("เปลี่ยนคำตอบ")]  # the chat shows what was tapped, not "ย้อนกลับ"
    return []


def _own_chips(ctx: Ctx, messages: list[dict[str, Any]], choices: list[Choice], skippable: bool) -> list[dict[str, Any]]:
    """Asked again (an answer not understood, a stance changed), the question keeps the chips it was first asked
    with: "เปลี่ยนคำตอบ", not the engine's "ย้อนกลับ" (which showed once the stance was behind it)."""
    if not _stance_given(ctx) or not _data(ctx).get("stance"):
        return messages
    quick = [engine.chip(ctx, c.label, c.value) for c in choices] + change_chip(ctx)  # in the engine's order
    if skippable:
        quick.append(engine.chip(ctx, "ข้าม", engine.SKIP_VALUE))
    quick.append(replies.quick_message("ยกเลิก"))
    messages[-1]["quickReply"] = {"items": quick}
    return messages


# --- saving the stance at once --------------------------------------------------------------------

def _stance_saved(d: dict[str, Any]) -> bool:
    """Whether the flow's stance is the one saved, with nothing typed still waiting to be confirmed."""
    return bool(d.get("saved")) and d.get("saved") == d.get("stance") and not d.get("prefilled")


def save_stance(ctx: Ctx) -> bool:
    """Save the flow's stance now, keeping an earlier comment; False when a rule refused it (the flow is ended
    with the reason)."""
    d = _data(ctx)
    clause = _clause(ctx)
    # Back to the stance this flow began with: its comment, dropped when the stance changed, comes back with it.
    back = d.get("dropped") if d.get("saved") and d["stance"] == d.get("before") else None
    try:
        change = svc.change_stance(ctx.session, ctx.user, clause, d["stance"], back, ctx.now, keep_comment=True)
    except ServiceError as exc:
        engine.end(ctx, replies.text(exc.message_th, quick=ui.browse_quick(section=clause.section)))
        return False
    # "before" is what the stance was when this flow began (it may save twice: "ย้อนกลับ" and another tap).
    before = d.get("before") if d.get("saved") else change.before
    dropped = None if back else change.dropped or d.get("dropped")
    engine.put(ctx, saved=change.feedback.stance, before=before, kept=change.feedback.comment,
               round_id=change.hearing.id, dropped=dropped)
    return True


def after_stance(ctx: Ctx, value: str) -> str | None:
    """A stance chosen with no typed comment waiting counts at once; the comment is asked next."""
    if not _data(ctx).get("prefilled"):
        save_stance(ctx)
    return None


# --- parsers -------------------------------------------------------------------------------------

def parse_stance(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and answer.value in svc.STANCE_TH:
        return answer.value
    if answer.kind == "text" and answer.text:
        found, rest = ui.split_feedback(answer.text)
        if found:
            if rest:  # "เห็นด้วยค่ะ แต่ต้องมีไฟ": the words after the stance join the comment, to be confirmed
                _add_to_comment(ctx, rest)
            return found
    raise Invalid(BAD_STANCE)


def _add_to_comment(ctx: Ctx, more: str) -> None:
    comment = _data(ctx).get("comment") or ""
    if not comment.endswith(more):
        comment = f"{comment} {more}".strip()
    engine.put(ctx, comment=comment, prefilled=True)


def parse_comment(ctx: Ctx, answer: Answer) -> str | None:
    if answer.kind != "text" or not answer.text:
        raise Invalid("ขอเป็นข้อความพิมพ์นะคะ หรือกด “ข้าม” ก็ได้ค่ะ")
    value = " ".join(answer.text.split())
    word = engine.bare_word(value)
    squeezed = "".join(value.split()).lower()
    if word in NO_COMMENT_WORDS or (len(squeezed) <= 40 and _NO_COMMENT.fullmatch(squeezed)):
        return None
    if engine.said_only(value, WANTS_TO_ADD) or ui.hesitates_only(value):
        engine.put(ctx, **{WRITING: True})  # asked as WRITE_IT alone (ask_comment)
        raise Invalid("", answered=True)  # "ใช่" to "อยากเพิ่มเหตุผลไหมคะ": it was saved as the comment “ใช่”
    if len(value) > MAX_COMMENT:
        raise Invalid(f"ความเห็นยาวไปนิดค่ะ ขอไม่เกิน {MAX_COMMENT} ตัวอักษรนะคะ (ตอนนี้ {len(value)})")
    return reason_text(value) or value  # "เพราะคนทำงานไม่มีเวลาค่ะ": the reason itself


def after_comment(ctx: Ctx, value: str | None) -> str | None:
    """A comment that names another stance ("ไม่เห็นด้วยค่ะ" after tapping เห็นด้วย) changes the stance,
    and the answer is shown to confirm: before, the old stance was saved with the new one as its comment."""
    stance = _data(ctx).get("stance")
    elsewhere = _said_elsewhere(ctx, value) if value else None
    if elsewhere:  # not a comment: this stance stays saved with none, and the text is taken as said (`finish`)
        engine.put(ctx, comment=None, handover=elsewhere, comment_typed=value)
        return engine.FINISH
    said, rest = ui.split_feedback(value) if value else (None, None)
    if said is None or said == stance:
        return None
    engine.put(ctx, stance=said, comment=rest, prefilled=True, switched_from=stance)
    return "confirm"


def _said_elsewhere(ctx: Ctx, text: str) -> str | None:
    """What the text typed at the comment prompt is instead of a comment: "command" (a command the user may give:
    "ผลหมวด 3", "ขอลบความเห็นข้อ 1"), "clauses" (a stance on other clauses: "ข้อ 5 ด้วยค่ะ เห็นด้วยเหมือนกัน"), "all"
    (on every clause: "เห็นด้วยทุกข้อในหมวด 2"), or None.
    Both were saved as the comment on this clause."""
    from bot.dispatcher import command_for

    found = command_for(text)
    if found is not None and (not found[2] or (ctx.user is not None and ctx.user.is_staff)):
        return "command"
    if ui.other_clauses_said(text, _clause(ctx), _data(ctx).get("stance")) is not None:
        return "clauses"
    if ui.all_clauses_said(ctx, text) is not None:
        return "all"
    return None


def _said_of_others(ctx: Ctx, text: str) -> bool:
    """A stance on other clauses ("ข้อ 4 เห็นด้วยค่ะ") or on all of a section ("เห็นด้วยทุกข้อในหมวด 2") typed at the
    confirmation: kept, to do once it is answered (it was this clause's new stance, the rest added to its comment)."""
    return (ui.other_clauses_said(text, _clause(ctx), _data(ctx).get("stance")) is not None
            or ui.all_clauses_said(ctx, text) is not None)


_NOT_MEANT = re.compile(r"^\s*(?:ไม่\s*ใช่|ไม่\s*ส่ง|ยัง\s*ไม่\s*ส่ง|ไม่\s*ได้\s*(?:จะ)?\s*(?:ตอบ|โหวต|ส่ง))|ถาม\s*(?:เฉย|ดู|เล่น)")
"""At the confirmation: the text was not meant as feedback ("ไม่ใช่ค่ะ ถามเฉยๆ"): nothing is sent."""


def parse_confirm(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and answer.value in ("send", "edit", "drop"):
        return answer.value
    if answer.kind == "text" and answer.text:
        if _said_of_others(ctx, answer.text):  # a new request, not this clause's stance or comment
            raise Invalid(engine.keep(ctx, answer.text), answered=True)
        word = engine.bare_word(answer.text)
        said, rest = ui.split_feedback(answer.text)
        if said is not None and not word.startswith(("ส่ง", "แก้", "ไม่ใส่")):
            _restance(ctx, said, rest)
        if _NOT_MEANT.search(answer.text) or engine.said_no(answer.text):
            return "cancel"
        if word.startswith("แก้"):
            return "edit"
        if word.startswith("ไม่ใส่") or word in ("ไม่ต้องใส่", "ลบความเห็น"):
            return "drop"
        if word.startswith("ส่ง") or word in engine.YES_WORDS:
            return "send"
    raise Invalid(BAD_CONFIRM)


def _restance(ctx: Ctx, said: str, rest: str | None) -> None:
    """"เอ่อ เปลี่ยนใจค่ะ ขอเป็นไม่แน่ใจดีกว่า" at the confirmation: the stance changes and the confirmation is shown
    again (it answered “กด “ส่งเลย” “แก้ความเห็น” หรือ “ไม่ใส่ความเห็น” ได้เลยค่ะ”, the stance as it was)."""
    stance = _data(ctx).get("stance")
    if said != stance:
        engine.put(ctx, stance=said, switched_from=stance)
    if rest:
        _add_to_comment(ctx, rest)
    raise Invalid("", answered=True)  # no reason to give: the confirmation again, with the new stance


NOT_SENT = "ไม่ส่งค่ะ ยังไม่ได้บันทึกความเห็นนี้นะคะ"


def after_confirm(ctx: Ctx, value: str) -> str | None:
    if value == "edit":
        return "comment"
    if value == "cancel":
        d = _data(ctx)
        clause = _clause(ctx)
        kept = engine.get_flow(NAME).kept_note(ctx, {**d, "prefilled": True}) if d.get("saved") else None
        engine.end(ctx, replies.text(f"{NOT_SENT}\n{kept}" if kept else NOT_SENT,
                                     quick=ui.browse_quick(section=clause.section)))
        return None
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
    yes_no_steps = frozenset({"confirm"})  # "ส่งความเห็นนี้เลยไหมคะ": a command typed there is kept, as other requests
    steps = (
        Step("stance", ask=ask_stance, choices=STANCE_CHOICES, parse=parse_stance, after=after_stance,
             when=lambda ctx: not _data(ctx).get("stance")),
        Step("comment", ask=ask_comment, parse=parse_comment, skippable=True, after=after_comment,
             when=lambda ctx: not _data(ctx).get("prefilled"), extra_quick=change_chip),
        Step("confirm", ask=ask_confirm, choices=CONFIRM_CHOICES, parse=parse_confirm, after=after_confirm,
             when=lambda ctx: bool(_data(ctx).get("prefilled")), extra_quick=change_chip),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        if data.get("stance") and not data.get("prefilled") and not data.get("saved"):
            save_stance(ctx)  # a tap (or a typed stance with no comment) counts at once
        return None

    def offered_to_others(self, ctx: Ctx, data: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """The same clause, for their own stance on it."""
        clause = svc.clause_by_id(ctx.session, int(data.get("clause_id") or 0))
        if clause is None:
            return None
        label = f"ความเห็นต่อข้อ {clause.no}"
        chip = replies.quick_postback(label, postback.encode("charter.clause", k=clause.id), f"ขอดูข้อ {clause.no}")
        return f"ถ้าอยากแสดงความเห็นต่อข้อ {clause.no} ด้วย แตะ “{label}” ได้เลยค่ะ", chip

    def kept_note(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        saved = data.get("saved")
        clause = svc.clause_by_id(ctx.session, int(data["clause_id"])) if saved else None
        if clause is None:
            return None
        if data.get("comment_only") and saved == data.get("before"):  # left before anything changed
            rest = KEPT_NOT_SENT if data.get("prefilled") else KEPT_OLD_COMMENT if data.get("kept") else ""
            return f"{UNCHANGED.format(no=clause.no, stance=svc.STANCE_TH[saved])} {rest}".strip()
        rest = KEPT_NOT_SENT if data.get("prefilled") else KEPT_OLD_COMMENT if data.get("kept") else \
            KEPT_DROPPED if data.get("dropped") and saved != data.get("before") else KEPT_NO_COMMENT
        return KEPT_NOTE.format(stance=svc.STANCE_TH[saved], no=clause.no, rest=rest)

    def yields_to(self, ctx: Ctx, action: str, args: dict[str, str]) -> bool:
        """Another card's stance button, tapped while the comment is asked: the stance here is saved, so the
        new one goes on without asking whether to leave."""
        d = _data(ctx)
        return action == "charter.stance" and bool(d.get("saved")) and not d.get("prefilled")

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        if data.get("handover"):
            self._hand_over(ctx, data)
            return
        clause = svc.clause_by_id(ctx.session, int(data["clause_id"]))
        charter = svc.published_or_none(ctx.session, clause.charter_id) if clause else None
        if clause is None or charter is None:
            ui.show_home(ctx, ui.UPDATED)
            return
        stance, comment = data["stance"], data.get("comment")
        round_id = None
        if data.get("saved") == stance and data.get("round_id"):  # the stance was saved when tapped
            added = svc.add_comment(ctx.session, ctx.user, clause, int(data["round_id"]), comment, ctx.now) \
                if comment else None
            if added is not None or not comment:  # the comment added in one statement, or nothing to add
                round_id = int(data["round_id"])
                prior_stance, kept = data.get("before"), None if comment else data.get("kept")
                comment = added.comment if added is not None else None
                dropped = data.get("dropped")
        if round_id is None:
            try:
                change = svc.change_stance(ctx.session, ctx.user, clause, stance, comment, ctx.now, keep_comment=True)
            except ServiceError as exc:
                self._refused(ctx, charter, clause, data, exc)
                return
            round_id, comment = change.hearing.id, change.feedback.comment if comment else None
            prior_stance = data.get("before") if data.get("saved") else change.before
            kept = None if comment else change.feedback.comment
            dropped = change.dropped or data.get("dropped")
        counts, closes_at = svc.tally_in_round(ctx.session, clause, round_id)
        stance_th = svc.STANCE_TH[stance]
        if data.get("comment_only") and prior_stance == stance and not comment:  # "ข้าม": nothing changed
            head = UNCHANGED.format(no=clause.no, stance=stance_th)
        elif prior_stance is None:
            head = f"ขอบคุณค่ะ 🙏 บันทึกความเห็นของคุณต่อข้อ {clause.no} แล้ว: {ui.STANCE_MARK[stance]} {stance_th}"
        elif prior_stance != stance:
            head = (f"ขอบคุณค่ะ 🙏 เปลี่ยนความเห็นของคุณต่อข้อ {clause.no} เป็น “{stance_th}” แล้ว"
                    f" (เดิม: {svc.STANCE_TH[prior_stance]})")
        else:
            head = f"ขอบคุณค่ะ 🙏 อัปเดตความเห็นของคุณต่อข้อ {clause.no} แล้ว: {stance_th}"
        lines = [head]
        if comment:
            lines.append(f"ความเห็นเพิ่มเติม: “{comment}”")
        elif kept:
            lines.append(f"ความคิดเห็นเดิมยังอยู่: “{kept}”")
        elif dropped and prior_stance != stance:
            lines.append(DROPPED_NOTE.format(comment=dropped))
        lines.append(f"ความเห็นตอนนี้ของข้อ {clause.no}: {svc.tally_text(counts)}")
        if closes_at is not None and closes_at > ctx.now:
            lines.append(f"เปลี่ยนใจได้จนถึง {format_date(closes_at)} นะคะ")
        quick = []
        following = svc.get_clause(ctx.session, charter, clause.no + 1)
        if following is not None:
            quick.append(replies.quick_postback(f"อ่านข้อ {following.no}",
                                                ui.postback.encode("charter.clause", k=following.id),
                                                f"อ่านข้อ {following.no}"))
        quick += ui.browse_quick(section=clause.section)
        ctx.reply(replies.text("\n".join(lines), quick=quick))
        ui.remember_section(ctx, clause.section)  # its "หมวดนี้" chip, and "หมวดนี้มีกี่ข้อ" typed next

    def _hand_over(self, ctx: Ctx, data: dict[str, Any]) -> None:
        """The text at the comment prompt was no comment: what is saved here is said, then the text is taken as
        a command, or as feedback on the other clauses it names."""
        note = self.kept_note(ctx, {**data, "prefilled": False})
        if note:
            ctx.reply(replies.text(note))
        text = data["comment_typed"]
        if data["handover"] == "command":
            from bot.dispatcher import handle_text

            handle_text(ctx, text)
            return
        ctx.said = text
        if data["handover"] == "all":
            ui.said_of_all(ctx)
            return
        clause = svc.clause_by_id(ctx.session, int(data["clause_id"]))
        found = ui.other_clauses_said(text, clause, data.get("stance")) if clause else None
        if found is not None:
            ui.take_several(ctx, found)

    def _refused(self, ctx: Ctx, charter: svc.AnyCharter, clause: svc.AnyClause, data: dict[str, Any],
                 exc: ServiceError) -> None:
        """A rule refused the answer: say why; a stance saved earlier still counts, and a comment typed after the
        round closed may go to the staff instead."""
        message = exc.message_th
        if data.get("saved"):
            message = f"{message}\n{self.kept_note(ctx, {**data, 'prefilled': False})}"
        comment = data.get("comment") if exc.code == "round_closed" else None
        reply_closed(ctx, charter, clause, message, data.get("stance"), comment)


def reply_closed(ctx: Ctx, charter: svc.AnyCharter, clause: svc.AnyClause, message: str, stance: str | None,
                 comment: str | None, numbers: str | None = None) -> None:
    """Feedback is closed: say so; a comment typed is kept (30 minutes) and offered to the staff, sent only
    when "ส่งถึงเจ้าหน้าที่" is tapped. `numbers`: the comment was about several clauses ("4 และ 5")."""
    quick = ui.browse_quick() if numbers else ui.browse_quick(section=clause.section)
    if comment and ctx.conversation is not None and engine.active_flow(ctx) is None:
        engine.remember(ctx, "late", svc.late_comment(charter, clause, stance, comment, numbers), refresh=timedelta(0))
        message += LATE_OFFER
        quick.insert(0, replies.quick_postback(LATE_LABEL, postback.encode(LATE_ACTION), LATE_LABEL))
    ctx.reply(replies.text(message, quick=quick))


def begin_comment(ctx: Ctx, clause: svc.AnyClause) -> None:
    """A comment on the stance the user gave the clause in the open round, the stance left as it is (no stance
    there: it is asked first, as from the card)."""
    charter = svc.charter_of(ctx.session, clause.charter_id)
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    said = svc.my_feedback(ctx.session, ctx.user, hearing, clause) if hearing and ctx.user else []
    begin(ctx, clause, stance=said[0][1].stance if said else None, current=said[0][1] if said else None)


def begin(ctx: Ctx, clause: svc.AnyClause, stance: str | None = None, comment: str | None = None,
          typed: bool = False, current: ClauseFeedback | None = None) -> None:
    """Start feedback on a clause (from a card button or typed text); closed rounds are answered politely."""
    charter = svc.charter_of(ctx.session, clause.charter_id)
    if svc.current_round(ctx.session, charter, ctx.now) is None:
        reply_closed(ctx, charter, clause, svc.closed_message(ctx.session, charter, ctx.now), stance, comment)
        return
    conv = ctx.conversation
    if conv is not None and conv.flow == NAME and conv.data and conv.data.get("clause_id") != clause.id:
        # Another card's stance, tapped while this flow asked for a comment (CharterFeedbackFlow.yields_to):
        # the stance here is saved already; say so before going on with the new clause.
        note = engine.get_flow(NAME).kept_note(ctx, dict(conv.data))
        if note:
            ctx.reply(replies.text(note))
    initial = {"clause_id": clause.id, "stance": stance, "comment": comment, "prefilled": comment is not None,
               "typed": typed}
    if current is not None:  # the user's stance in the open round, saved before: only a comment is asked
        initial.update(saved=current.stance, before=current.stance, kept=current.comment, round_id=current.round_id,
                       comment_only=True)
    engine.start(ctx, NAME, initial)
    conv = ctx.conversation
    if conv is not None and conv.flow == NAME and stance and conv.step != "stance" and not conv.history:
        # The stance came with the tap: "ย้อนกลับ" from the first question goes back to choosing it.
        conv.history = ["stance"]
        engine.put(ctx, given=True)
