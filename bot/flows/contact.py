"""Talking to a person: a resident writes to the staff; a staff member answers one resident."""

from __future__ import annotations

from typing import Any

from bot import postback, replies, texts
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import Choice, Flow, Step, register_flow
from bot.services import communities, contact

ASK_MESSAGE = ("พิมพ์ข้อความถึงเจ้าหน้าที่ได้เลยค่ะ (ไม่เกิน 1,000 ตัวอักษร) "
               "เจ้าหน้าที่จะตอบกลับทางแชตนี้นะคะ")
SENT = "ส่งข้อความถึงเจ้าหน้าที่แล้วค่ะ ✅ เมื่อเจ้าหน้าที่ตอบ ข้อความจะมาที่แชตนี้นะคะ"


ASK_NOTICE = ("พิมพ์ข้อความที่อยากประกาศถึงลูกบ้านได้เลยค่ะ (ไม่เกิน 1,000 ตัวอักษร) "
              "เจ้าหน้าที่เขตจะช่วยส่งประกาศให้นะคะ")
NOTICE_SENT = ("ส่งคำขอประกาศถึงเจ้าหน้าที่แล้วค่ะ ✅ เจ้าหน้าที่จะตรวจและส่งประกาศถึงชุมชนให้ "
               "ถ้ามีคำถาม เจ้าหน้าที่จะตอบทางแชตนี้นะคะ เปลี่ยนใจก่อนประกาศ แตะ “ถอนคำขอประกาศ” ได้ค่ะ")
NOTICE_CHOICES = [Choice("ส่งให้เจ้าหน้าที่", "yes"), Choice("แก้ข้อความ", "edit"), Choice("ไม่ส่ง", "no")]


TYPED_ONLY = ("ตอนนี้ส่งได้เฉพาะข้อความพิมพ์ค่ะ รูปหรือไฟล์ยังส่งถึงเจ้าหน้าที่ไม่ได้ "
              "ช่วยพิมพ์เล่าเป็นคำแทนนะคะ เช่น เป็นเรื่องอะไร ที่ไหน อยากให้ช่วยอะไร")


def _typed_message(ctx: Ctx, answer: engine.Answer) -> str:
    """The message to staff: typed text only; a photo or a sticker is asked to be told in words."""
    if answer.kind not in ("text", "choice"):
        raise engine.Invalid(TYPED_ONLY)
    return engine.free_text(max_len=contact.MAX_TEXT)(ctx, answer)


def _community_name(ctx: Ctx) -> str:
    community = communities.get(ctx.session, ctx.user.community_id) if ctx.user else None
    return community.name if community else "ชุมชนของคุณ"


def _ask_notice_confirm(ctx: Ctx) -> str:
    return (f"ประกาศถึงทั้งชุมชนส่งโดยเจ้าหน้าที่เขตค่ะ จะส่งข้อความนี้ให้เจ้าหน้าที่ช่วยประกาศถึง"
            f"{contact.before_thai(_community_name(ctx))}ไหมคะ\n\n“{engine.data(ctx).get('message', '')}”")


def _after_notice_confirm(ctx: Ctx, value: str) -> str | None:
    return "message" if value == "edit" else None


def _ask_answer(ctx: Ctx) -> str:
    data = engine.data(ctx)
    name = data.get("resident_name") or "ผู้ใช้"
    before = f"{data['answered']}\n" if data.get("answered") else ""
    return f"{before}พิมพ์คำตอบถึง{contact.before_thai(name)}ได้เลยค่ะ (ไม่เกิน 1,000 ตัวอักษร)"


@register_flow
class ContactStaffFlow(Flow):
    name = "contact_staff"
    title = "ส่งข้อความถึงเจ้าหน้าที่"
    requires_consent = True  # the message is about the person and is kept (contact_messages) until deleted (PDPA)
    steps = (Step("message", ask=ASK_MESSAGE, parse=_typed_message),)

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """A message given at the start was shown and its sending tapped ("ส่งถึงเจ้าหน้าที่" under a closed
        hearing round's answer): it goes at once."""
        return engine.FINISH if data.get("message") else None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        contact.ask_staff(ctx.session, ctx.user, data["message"], ctx.now, follow_up=bool(data.get("follow_up")))
        ctx.reply(texts.menu(ctx.user.role if ctx.user else None, SENT))


DRAFT_CHOICES = [Choice("ส่งเลย", "yes"), Choice("แก้ข้อความ", "edit"), Choice("ไม่ส่ง", "no")]
NOT_SENT_WORDS = {"ไม่ส่ง", "ไม่ต้องส่ง", "ยังไม่ส่ง", "ไม่ส่งแล้ว", "ไม่ต้องส่งแล้ว"}
FOLLOW_UP_OFFERED = "_follow_up_offered_at"
"""When a follow-up to staff's answer, offered unasked, was sent: none is offered again for that answer (one
not sent, "ไม่ส่ง" or left with "ยกเลิก", leaves the next real one still offered)."""
PREVIEW = 300


def parts_of(text: str) -> list[str]:
    """A long message in parts a staff inbox takes (contact.MAX_TEXT each), none of it dropped."""
    text = text.strip()
    size = contact.MAX_TEXT - 10  # room for "(1/4) "
    if len(text) <= contact.MAX_TEXT:
        return [text]
    chunks = [text[i:i + size] for i in range(0, len(text), size)]
    return [f"({n}/{len(chunks)}) {chunk}" for n, chunk in enumerate(chunks, 1)]


def _ask_draft_confirm(ctx: Ctx) -> str:
    data = engine.data(ctx)
    message = str(data.get("message") or "")
    shown = message if len(message) <= PREVIEW else message[:PREVIEW].rstrip() + " …"
    parts = len(parts_of(message))
    split = f" (ข้อความยาว จะส่งเป็น {parts} ส่วนค่ะ)" if parts > 1 else ""
    lead = data.get("lead") or "จะส่งข้อความนี้ถึงเจ้าหน้าที่นะคะ"
    return f"{lead}\n\n“{shown}”\n\nส่งเลยไหมคะ{split} เจ้าหน้าที่จะตอบกลับทางแชตนี้ค่ะ"


def _after_draft_confirm(ctx: Ctx, value: str) -> str | None:
    return "message" if value == "edit" else None


def _offered(ctx: Ctx, data: dict[str, Any]) -> None:
    """A follow-up offered unasked was sent: not offered again for that answer."""
    if data.get("lead") and data.get("follow_up"):
        engine.put(ctx, **{FOLLOW_UP_OFFERED: ctx.now.isoformat()})


@register_flow
class ContactStaffDraftFlow(Flow):
    """A question or a complaint typed in one go ("อยากถามเจ้าหน้าที่ว่า…", "ขยะล้นถัง… แจ้งใครได้บ้าง"): shown
    back, and sent to the staff when the person says so (or changed first)."""

    name = "contact_staff_draft"
    title = "ส่งข้อความถึงเจ้าหน้าที่"
    requires_consent = True
    yes_no_steps = frozenset({"confirm"})  # "ส่งเลยไหมคะ": requests typed there are answered or kept
    steps = (
        Step("message", ask=ASK_MESSAGE, parse=_typed_message),
        Step("confirm", ask=_ask_draft_confirm, choices=DRAFT_CHOICES, parse=engine.one_of_or_yes_no(DRAFT_CHOICES),
             after=_after_draft_confirm),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        return "confirm" if data.get("message") else None

    def unasked(self, ctx: Ctx) -> bool:
        return bool(engine.data(ctx).get("lead"))  # the bot's guess: a follow-up to staff's answer

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        role = ctx.user.role if ctx.user else None
        if data.get("confirm") == "no":
            ctx.reply(texts.menu(role, "ไม่ส่งค่ะ ข้อความยังไม่ถึงเจ้าหน้าที่นะคะ"))
            return
        _offered(ctx, data)
        for part in parts_of(data["message"]):
            contact.ask_staff(ctx.session, ctx.user, part, ctx.now, follow_up=bool(data.get("follow_up")))
        ctx.reply(texts.menu(role, SENT))


@register_flow
class CommunityNoticeFlow(Flow):
    """A leader (or anyone) asks the staff to announce something to their community: only staff
    broadcast, so the request goes to the staff inbox with a button to write the announcement."""

    name = "community_notice"
    title = "ขอให้เจ้าหน้าที่ช่วยประกาศ"
    requires_consent = True
    composes_for_others = True
    steps = (
        Step("message", ask=ASK_NOTICE, parse=engine.free_text(max_len=contact.MAX_TEXT)),
        Step("confirm", ask=_ask_notice_confirm, choices=NOTICE_CHOICES, parse=engine.one_of_or_yes_no(NOTICE_CHOICES),
             after=_after_notice_confirm),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        if ctx.user is not None and ctx.user.community_id is None:
            engine.end(ctx, replies.text(contact.NO_COMMUNITY, quick=[replies.quick_message("เปลี่ยนชุมชน")]))
            return None
        return "confirm" if data.get("message") else None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        if data.get("confirm") == "no":
            ctx.reply(texts.menu(ctx.user.role if ctx.user else None, "ไม่ส่งคำขอประกาศค่ะ ข้อความยังไม่ถึงใครนะคะ"))
            return
        kept_id = contact.ask_for_announcement(ctx.session, ctx.user, data["message"], ctx.now)
        take_back = replies.quick_postback(contact.WITHDRAW_REQUEST_LABEL,
                                           postback.encode(contact.WITHDRAW_REQUEST_ACTION, m=kept_id),
                                           contact.WITHDRAW_REQUEST_LABEL)
        ctx.reply(replies.text(NOTICE_SENT, quick=[take_back, *texts.menu_quick(ctx.user.role if ctx.user else None)]))


ANSWER_CHOICES = [Choice("ส่งเลย", "yes"), Choice("แก้ข้อความ", "edit"), Choice("ไม่ส่ง", "no")]


def _ask_answer_confirm(ctx: Ctx) -> str:
    data = engine.data(ctx)
    name = contact.before_thai(data.get("resident_name") or "ผู้ใช้")
    before = f"{data['answered']}\n" if data.get("answered") else ""
    return f"{before}จะส่งคำตอบนี้ถึง{name}นะคะ\n\n“{data.get('answer', '')}”\n\nส่งเลยไหมคะ"


def _after_answer_confirm(ctx: Ctx, value: str) -> str | None:
    if value == "no":
        engine.end(ctx, replies.text("ไม่ส่งค่ะ คำตอบยังไม่ถึงผู้ใช้นะคะ",
                                     quick=[replies.quick_message("💬 ข้อความรอตอบ", "ข้อความรอตอบ"),
                                            replies.quick_message("เมนู")]))
        return None
    return "answer" if value == "edit" else None


@register_flow
class AnswerResidentFlow(Flow):
    """Staff answer a resident: the chip asks for the answer; "ตอบคุณมาลี <คำตอบ>" typed shows it back first."""

    name = "contact_answer"
    title = "ตอบข้อความของผู้ใช้"
    composes_for_others = True
    steps = (
        Step("answer", ask=_ask_answer, parse=engine.free_text(max_len=contact.MAX_TEXT)),
        Step("confirm", ask=_ask_answer_confirm, choices=ANSWER_CHOICES,
             parse=engine.one_of_or_yes_no(ANSWER_CHOICES), after=_after_answer_confirm,
             when=lambda ctx: bool(engine.data(ctx).get("typed"))),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        return "confirm" if data.get("answer") else None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        resident = contact.answer_resident(ctx.session, ctx.user, data.get("resident_id"), data["answer"], ctx.now)
        ctx.reply(replies.text(f"ส่งคำตอบถึง{contact.before_thai(contact.name_of(resident))}แล้วค่ะ ✅",
                               quick=[replies.quick_message("💬 ข้อความรอตอบ", "ข้อความรอตอบ"),
                                      replies.quick_message("เมนู")]))
