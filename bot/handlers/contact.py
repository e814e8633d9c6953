"""Reaching a person: "ติดต่อเจ้าหน้าที่" for residents, the "ตอบกลับ" button for staff."""

from __future__ import annotations

import re

from bot import postback, replies, texts
from bot.context import Ctx
from bot.dispatcher import (
    composes_for_others,
    for_residents,
    kept_as,
    on_command,
    on_postback,
    one_to_one,
    reads_only,
    starts_flow,
    words_for_residents,
)
from bot.flows import confirm, engine
from bot.flows import contact as _flows  # noqa: F401 - registers the flows
from bot.services import broadcasts, communities, contact
from bot.services.communities import CommunityLike
from bot.services.errors import ServiceError
from bot.thaidate import format_datetime

WAITING_SHOWN = contact.INBOX_SHOWN
TYPED_ANNOUNCEMENT = "ประกาศที่พิมพ์ไว้"
"""The chip that offers an announcement typed mid-journey again, when they chose to finish that first."""
PREVIEW = 300

CONTACT_STAFF = (r"(?:ขอ|อยาก)?\s*(?:ติดต่อ|คุย(?:กับ)?|สอบถาม|ถาม|ปรึกษา|แจ้ง|ส่งข้อความ(?:ถึง)?)\s*"
                 r"(?:เจ้าหน้าที่|จนท\.?|แอดมิน|admin|คนจริง|คน)\s*(?:หน่อย|ได้ไหม|ได้มั้ย)?\s*(?:ค่ะ|คะ|ครับ|นะ|จ้า)*")


ASK_STAFF_THAT = (r"(?:ขอ|อยาก)?\s*(?:ติดต่อ|สอบถาม|ถาม|ปรึกษา|แจ้ง|ส่งข้อความ(?:ถึง)?)\s*"
                  r"(?:เจ้าหน้าที่|จนท\.?|แอดมิน|admin)\s*(?:หน่อย|ค่ะ|คะ|ครับ|นะ)*\s*(?:ว่า|เรื่อง)\s*(?P<message>.{3,})")
"""'อยากถามเจ้าหน้าที่ว่าต้องมีใบเสนอราคาประกอบไหมครับ': the contact journey with the question already written."""


@on_command(ASK_STAFF_THAT)
def ask_staff_that(ctx: Ctx, match: re.Match[str]) -> None:
    ctx.start_flow("contact_staff_draft", message=match["message"].strip())


ASK_STAFF_WITH = (r"(?:ขอ|อยาก)?\s*(?:ติดต่อ|คุย(?:กับ)?|สอบถาม|ถาม|ปรึกษา|แจ้ง|ส่งข้อความ(?:ถึง)?)\s*"
                  r"(?:เจ้าหน้าที่|จนท\.?|แอดมิน|admin)\s*(?:หน่อย|ได้ไหม|ได้มั้ย|ค่ะ|คะ|ครับ|นะ|จ้า|จ้ะ)*"
                  r"[\s,.!:]+(?P<message>.{3,})")
"""'อยากคุยกับเจ้าหน้าที่ค่ะ แม่ป่วยติดเตียง…', 'ถามเจ้าหน้าที่หน่อยค่ะ ตรวจน้ำตาลต้องงดอาหารก่อนไหม': the
message written after the request, without "ว่า" (it was not understood, and then typed all again)."""
_FILLER = re.compile(r"หน่อย|ได้ไหม|ได้มั้ย|ค่ะ|คะ|ครับ|นะ|จ้า|จ้ะ|ด้วย|[\s,.!?:]")


@on_command(ASK_STAFF_WITH)
def ask_staff_with(ctx: Ctx, match: re.Match[str]) -> None:
    """The message after the request is shown back to send; only particles after it: the plain journey."""
    message = match["message"].strip()
    if len(_FILLER.sub("", message)) < 3:
        ctx.start_flow("contact_staff")
        return
    ctx.start_flow("contact_staff_draft", message=message)


@on_command(CONTACT_STAFF)
def contact_staff(ctx: Ctx, _: re.Match[str]) -> None:
    ctx.start_flow("contact_staff")


@on_postback(contact.FOLLOW_UP_ACTION)
@starts_flow
def follow_up_chip(ctx: Ctx, _: dict[str, str]) -> None:
    """"ตอบกลับเจ้าหน้าที่" under staff's answer: the message, then sent as a follow-up of that answer."""
    ctx.start_flow("contact_staff", follow_up="1")


@on_postback(texts.ASK_STAFF_ACTION)
@starts_flow
def ask_staff_chip(ctx: Ctx, _: dict[str, str]) -> None:
    """"ถามเจ้าหน้าที่" under a question the bot could not answer: that question, ready to send (not retyped)."""
    asked = engine.recall(ctx, texts.UNANSWERED)
    if asked:
        engine.forget(ctx, texts.UNANSWERED)
        ctx.start_flow("contact_staff_draft", message=asked)
        return
    ctx.start_flow("contact_staff")


WITHDRAW_REQUEST_TYPED = (r"(?:ขอ\s*)?(?:ถอน|ยกเลิก)\s*(?:คำขอ\s*(?:ให้\s*(?:ช่วย\s*)?)?ประกาศ|การขอ\s*ประกาศ|ที่ขอ\s*ประกาศ(?:ไว้)?)"
                          r"\s*(?:นี้|ล่าสุด)?"
                          r"|ไม่ต้อง(?:ช่วย)?ประกาศ(?:แล้ว)?\s*(?:ค่ะ|คะ|ครับ|นะ|จ้ะ|จ้า)*\s*(?:ขอ\s*ถอน(?:คำขอ)?)?")
"""'ถอนคำขอประกาศ', 'ยกเลิกคำขอให้ช่วยประกาศ', 'ไม่ต้องประกาศแล้วค่ะ ขอถอนนะคะ' (it was read as cancelling a
sign-up): the sender's latest request staff have not acted on yet.
Registered before ANNOUNCE_TYPED and NOTICE, which would read 'ประกาศ' as a new request."""


@on_command(WITHDRAW_REQUEST_TYPED)
@starts_flow
def withdraw_request_typed(ctx: Ctx, _: re.Match[str]) -> None:
    _ask_withdraw_request(ctx, None)


@on_postback(contact.WITHDRAW_REQUEST_ACTION)
@starts_flow
def withdraw_request_button(ctx: Ctx, args: dict[str, str]) -> None:
    _ask_withdraw_request(ctx, args.get("m") or "")


def _ask_withdraw_request(ctx: Ctx, message_id: str | None) -> None:
    if ctx.user is None:
        return
    kept = contact.open_announcement_request(ctx.session, ctx.user, message_id)
    confirm.ask(ctx, f"ถอนคำขอให้ช่วยประกาศนี้ไหมคะ\n“{kept.announce_text}”\nเจ้าหน้าที่จะไม่ประกาศ และจะได้รับแจ้งค่ะ",
                yes=("ถอนเลย", postback.encode("contact.withdraw_yes", m=kept.id)),
                no=("ไม่ถอน", postback.encode("contact.withdraw_no")))


@on_postback("contact.withdraw_yes")
def withdraw_request_yes(ctx: Ctx, args: dict[str, str]) -> None:
    if ctx.user is None:
        return
    contact.withdraw_announcement_request(ctx.session, ctx.user, args.get("m") or "", ctx.now)
    ctx.reply(texts.menu(ctx.user.role, "ถอนคำขอประกาศแล้วค่ะ แจ้งเจ้าหน้าที่ให้แล้วว่าไม่ต้องประกาศนะคะ"))


@on_postback("contact.withdraw_no")
def withdraw_request_no(ctx: Ctx, _args: dict[str, str]) -> None:
    ctx.reply(texts.menu(ctx.user.role if ctx.user else None, "คำขอประกาศยังอยู่กับเจ้าหน้าที่ค่ะ"))


ANNOUNCE_TYPED = (r"(?:ขอ|ฝาก)?\s*(?:ส่ง)?\s*(?:ประกาศ|แจ้ง|บอก)\s*(?:ถึง|ให้|แก่)?\s*"
                  r"(?:(?P<all>ทุกคน|ทั้งหมด|ทั้งเขต)|(?P<community>ชุมชน\S+(?:\s*[0-9๐-๙]+)?))?\s*"
                  r"(?:หน่อย)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)?\s*(?:ว่า|เรื่อง)\s*(?P<message>.{5,})")
"""'ประกาศถึงทุกคนว่า…', 'แจ้งทุกคนว่า…', 'ประกาศถึงชุมชนลาดพร้าว 71 ว่า…' in one line (before: not understood and
the text lost, or the community's name glued to the message). Registered before NOTICE, which takes "ชุมชน…"."""


@kept_as(TYPED_ANNOUNCEMENT)
@on_command(ANNOUNCE_TYPED)
@composes_for_others
def announce_typed(ctx: Ctx, match: re.Match[str]) -> None:
    named = communities.one_named(ctx.session, match.group("community")) if match.group("community") else None
    announce(ctx, match.group("message").strip(), to_everyone=bool(match.group("all")), community=named)


NOTICE = (r"(?:ขอ|อยาก|ฝาก)?\s*(?:ให้\s*(?:เจ้าหน้าที่|จนท\.?)?\s*)?(?:ช่วย\s*)?(?:ประกาศ|แจ้ง|บอก)(?:ข่าว)?\s*(?:ถึง|ให้|แก่)?\s*"
          r"(?:ลูกบ้าน|ชาวชุมชน|คนในชุมชน|ทั้งชุมชน|ในชุมชน|ชุมชน)(?:ทุกคน|ทุกบ้าน)?\s*(?:ทราบ|รู้)?\s*"
          r"(?:ว่า|เรื่อง)?\s*(?P<message>.*)")


@kept_as(TYPED_ANNOUNCEMENT)
@on_command(NOTICE)
@composes_for_others
def community_notice(ctx: Ctx, match: re.Match[str]) -> None:
    """ "ประกาศถึงลูกบ้าน…", "แจ้งลูกบ้านว่า…": staff write the announcement themselves; anyone else asks
    the staff to announce it (the text after the words, if any, is the message)."""
    said = re.sub(r"^(?:หน่อย|ด้วย|ได้ไหม|ได้มั้ย|นะ|ค่ะ|คะ|ครับ|จ้า|จ้ะ|\s)+", "", match.group("message")).strip()
    announce(ctx, re.sub(r"^(?:ว่า|เรื่อง)\s*", "", said))  # "…หน่อยค่ะ ว่าพรุ่งนี้…": the message, not "ว่า…"


ANNOUNCE_TO_TYPED = (r"(?:ขอ|ฝาก)?\s*(?:ส่ง)?\s*ประกาศ\s*(?:ถึง|ให้|แก่)\s*(?P<audience>\S.{1,40}?)\s*(?:หน่อย)?\s*"
                     r"(?:ค่ะ|คะ|ครับ|จ้า|นะ)?\s*ว่า\s*(?P<message>.{5,})")
"""'ประกาศถึงผู้สมัครกิจกรรม 8 ว่า…', 'ประกาศถึงแกนนำชุมชนว่า…', 'ประกาศถึงผู้สูงอายุว่า…': any audience in one line
(it was "ยังไม่แน่ใจ"). Registered after ANNOUNCE_TYPED and NOTICE, which read everyone, a community, residents."""


def names_an_audience(text: str) -> bool:
    """Whether the text is a new announcement to someone ("ประกาศถึง…ว่า…"), typed where a text is asked."""
    found = re.fullmatch(ANNOUNCE_TYPED, text.strip())
    if found and (found["all"] or found["community"]):
        return True
    return re.fullmatch(ANNOUNCE_TO_TYPED, text.strip()) is not None


def announce(ctx: Ctx, message: str, to_everyone: bool = False, community: CommunityLike | None = None) -> None:
    """Something typed to be announced: staff write the announcement (the typed text offered as it is, to the
    audience named if any), anyone else asks the staff to announce it to their own community."""
    text = {"message": message} if len(message) >= 5 else {}
    if ctx.user is not None and ctx.user.is_staff:
        audience = ({"audience": "all"} if to_everyone else
                    {"audience": "community", "audience_value": str(community.id)} if community else {})
        ctx.start_flow("broadcast", **({"requested": message, "requested_as": "ร่างจากข้อความที่พิมพ์",
                                        **audience} if text else {}))
        return
    ctx.start_flow("community_notice", **text)



def _notice_typed(ctx: Ctx, match: re.Match[str]) -> None:
    """Someone not staff: they ask the staff to announce the message to their own community."""
    announce(ctx, match["message"].strip())


@kept_as(TYPED_ANNOUNCEMENT)
@on_command(ANNOUNCE_TO_TYPED, staff_only=True)
@composes_for_others
@for_residents(_notice_typed)
def announce_to_typed(ctx: Ctx, match: re.Match[str]) -> None:
    """Staff: the announcement journey with the message and the audience named, when the service knows it;
    otherwise said politely, the message kept and the audience asked."""
    message = match["message"].strip()
    draft = {"requested": message, "requested_as": "ร่างจากข้อความที่พิมพ์"}
    try:
        audience = broadcasts.audience_said(ctx.session, match["audience"])
    except ServiceError as exc:
        ctx.reply(replies.text(f"{exc.message_th} จะถามกลุ่มผู้รับอีกครั้งหลังข้อความนะคะ"))
        ctx.start_flow("broadcast", **draft)
        return
    ctx.start_flow("broadcast", **draft, audience=audience.kind, audience_value=audience.value)


@on_postback(contact.REPLY_ACTION)
@starts_flow
def answer_button(ctx: Ctx, args: dict[str, str]) -> None:
    _answer(ctx, args.get("u"))


def _answer(ctx: Ctx, user_id: object, typed: str = "") -> None:
    """The answer journey to one resident; an answer typed with the command is shown back to send."""
    try:
        resident = contact.resident_for_answer(ctx.session, ctx.user, user_id)
    except ServiceError as exc:
        ctx.reply(replies.text(exc.message_th))
        return
    answered = None
    last = contact.answered_meanwhile(ctx.session, resident)  # another staff member got there first
    if last is not None:
        answered = (f"ข้อความนี้มีคนตอบไปแล้วเมื่อ {format_datetime(last.answered_at)} ว่า "
                    f"“{last.answer[:200]}” จะตอบเพิ่มก็ได้ค่ะ")
    ctx.start_flow("contact_answer", resident_id=resident.id, resident_name=contact.name_of(resident),
                   answered=answered, **({"answer": typed[:contact.MAX_TEXT], "typed": "1"} if typed else {}))


ANSWER_TYPED = r"ตอบ(?:กลับ)?\s*(?P<said>(?:คุณ|ข้อ|[0-9๐-๙]).*)"
"""'ตอบคุณL1', 'ตอบ คุณมาลี รับเรื่องแล้วค่ะ', 'ตอบ 2', 'ตอบ๑ …': as the inbox's "ตอบคุณ…" chips (it was not
understood), by the name or the number the inbox shows."""


@on_command(ANSWER_TYPED, staff_only=True)
@for_residents(words_for_residents)
def answer_typed(ctx: Ctx, match: re.Match[str]) -> None:
    if ctx.is_group:  # people's names and messages are not talked over in a group
        return
    found = contact.addressed(ctx.session, match["said"])
    inbox = replies.quick_message("💬 ข้อความรอตอบ", "ข้อความรอตอบ")
    if found is None:
        ctx.reply(replies.text("ไม่พบผู้ส่งข้อความชื่อนี้หรือลำดับนี้ค่ะ แตะ “ข้อความรอตอบ” เพื่อดูรายชื่อ "
                               "แล้วพิมพ์ เช่น “ตอบคุณมาลี” หรือ “ตอบ 1” ตามด้วยคำตอบได้เลยค่ะ",
                               quick=[inbox, replies.quick_message("เมนู")]))
        return
    if len(found.residents) > 1:
        chips = [contact.answer_chip(user, f"ตอบ{contact.name_of(user)} ({n})")
                 for n, user in enumerate(found.residents[:replies.MAX_QUICK_ITEMS - 1], 1)]
        ctx.reply(replies.text(f"มีผู้ส่งชื่อ{contact.before_thai(contact.name_of(found.residents[0]))}"
                               f"{len(found.residents)} คนค่ะ แตะปุ่มเพื่อเลือกคนที่จะตอบ หรือพิมพ์ “ตอบ” "
                               "ตามด้วยลำดับในข้อความรอตอบได้เลยค่ะ", quick=[*chips, inbox]))
        return
    _answer(ctx, found.residents[0].id, found.answer)


@on_command(r"(?:💬\s*)?(?:ข้อความรอตอบ|ข้อความถึงเจ้าหน้าที่|ข้อความจากประชาชน|กล่องข้อความ)", staff_only=True)
@reads_only
@one_to_one
def waiting_messages(ctx: Ctx, _: re.Match[str]) -> None:
    """Staff: the messages nobody has answered yet, oldest first, each with a chip to answer its sender."""
    rows = contact.waiting(ctx.session, limit=WAITING_SHOWN)
    if not rows:
        ctx.reply(replies.text("ไม่มีข้อความรอตอบค่ะ ✅", quick=[replies.quick_message("เมนู")]))
        return
    lines = [f"ข้อความที่ยังไม่มีใครตอบ {len(rows)} ข้อความค่ะ (เก่าสุดก่อน)"]
    lines += [f"{n}. {contact.name_of(user, 'ผู้ใช้ไม่ระบุชื่อ')} · {format_datetime(message.created_at)}\n"
              f"“{message.text[:PREVIEW]}”" for n, (message, user) in enumerate(rows, 1)]
    chips, seen = [], set()
    for message, user in rows:
        if user.id not in seen:
            seen.add(user.id)
            chips.append(contact.answer_chip(user, f"ตอบ{contact.name_of(user, 'ผู้ใช้')}"))
        if message.announce_text:  # a request to announce: its own button, as on the push
            chips.append(contact.announce_chip(message.id, f"📣ประกาศ{contact.name_of(user, 'ที่ขอ')}"))
    ctx.reply(replies.text("\n\n".join(lines), quick=chips[:replies.MAX_QUICK_ITEMS - 1] + [replies.quick_message("เมนู")]))
