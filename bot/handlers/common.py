"""Greeting, help, menu, thanks, privacy, role codes, non-text messages and group events."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot import postback, replies, texts
from bot.context import Ctx
from bot.dispatcher import (
    answers_in_flow,
    on_command,
    on_event,
    on_intent,
    on_message_type,
    on_postback,
    on_unsure,
    one_to_one,
    reads_only,
    run_postback,
    starts_flow,
)
from bot.flows import confirm, engine
from bot.services import communities, outbox, users
from bot.services.communities import haversine_km, nearest_communities
from bot.services.errors import ServiceError

if TYPE_CHECKING:
    from bot.services.personal_data import DraftHeld


def _role(ctx: Ctx) -> str | None:
    return ctx.user.role if ctx.user else None


@on_intent("greeting")
def greeting(ctx: Ctx, _: Any) -> None:
    name = ctx.user.display_name if ctx.user and ctx.user.display_name else ""
    ctx.reply(texts.menu(_role(ctx), f"สวัสดีค่ะ{' คุณ' + name if name else ''} 😊 วันนี้ให้ช่วยอะไรดีคะ"))


@on_intent("help")
def help_(ctx: Ctx, _: Any) -> None:
    from bot.handlers.activities import group_activities_asked

    if group_activities_asked(ctx, ctx.text or ""):
        return
    ctx.reply(texts.help_text(_role(ctx)))


@on_command(r"(?:วิธีใช้|ช่วยเหลือ|help|ช่วยด้วย|ช่วยหน่อย|(?:มี)?คำสั่ง(?:อะไรบ้าง)?|(?:ใช้|ใช้งาน)(?:ยังไง|อย่างไร)|ทำอะไรได้บ้าง)\s*(?:หน่อย)?")
@answers_in_flow
def help_command(ctx: Ctx, _: Any) -> None:
    ctx.reply(texts.help_text(_role(ctx)))


@on_postback(outbox.RESUME_ACTION)
def resume_step(ctx: Ctx, _: Any) -> None:
    """'กลับไปทำต่อ' on a push that arrived mid-journey: the step's question again, with its chips."""
    flow = engine.active_flow(ctx)
    step = ctx.conversation.step if ctx.conversation is not None else None
    if flow is None or not step or engine.is_expired(ctx):
        ctx.reply(texts.menu(_role(ctx), "ตอนนี้ไม่มีขั้นตอนที่ค้างอยู่ค่ะ เลือกเมนูได้เลยนะคะ"))
        return
    if engine.data(ctx).get("_aside"):  # the question asked beside the journey is left unanswered
        engine.put(ctx, _aside=None)
    engine.ask(ctx, flow, flow.step(step), f"กลับมาที่ขั้นตอน{flow.title}ค่ะ")


@on_intent("thanks")
def thanks(ctx: Ctx, _: Any) -> None:
    ctx.reply(texts.menu(_role(ctx), "ยินดีค่ะ 😊 มีอะไรให้ช่วยอีก เลือกเมนูได้เลยนะคะ"))


LAUGHTER = re.compile(r"^\s*(?:5{3,}|(?:ฮ่า|ฮา){2,}|(?:lol|555\+)+)[\s5+!?]*$", re.IGNORECASE)


ASKS_WHO_TO_TELL = re.compile(r"ใคร\s*(?:ดูแล|รับผิดชอบ|จัดการ|แก้)|แจ้ง(?:ใคร|ที่ไหน|ได้ที่ไหน)|ร้องเรียน|เดือดร้อน|"
                             r"ช่วย(?:แก้|ดู|จัดการ)(?:ให้)?(?:หน่อย|ด้วย)|ไม่มีใคร(?:มา)?(?:ดู|เก็บ|แก้)|ทนไม่ไหว")
"""A resident telling of a trouble in the community and asking who can act on it."""
COMPLAINT_LENGTH = 120
"""A message this long that is no request the bot knows is a story to pass on, not small talk."""
COMPLAINT_LEAD = ("ขอบคุณที่แจ้งนะคะ 🙏 เรื่องนี้ “ร่วมกัน” ส่งต่อให้เจ้าหน้าที่เขตดูแลได้ค่ะ "
                  "จะส่งข้อความนี้ถึงเจ้าหน้าที่ไหมคะ")


def is_complaint(text: str, topic_named: bool = False) -> bool:
    """A trouble to pass on to the staff: asks who to tell, or names a health topic and is a long story."""
    said = text or ""
    return bool(ASKS_WHO_TO_TELL.search(said)) or len(said) >= COMPLAINT_LENGTH or (
        topic_named and len(said) >= 40)


def offer_to_pass_on(ctx: Ctx, text: str) -> None:
    """A resident's trouble: shown back, and sent to the staff when they say so."""
    ctx.start_flow("contact_staff_draft", message=text, lead=COMPLAINT_LEAD)


def _residents_chat(ctx: Ctx) -> bool:
    return not ctx.is_group and not (ctx.user and ctx.user.is_staff)


@on_intent("other")
def other(ctx: Ctx, arg: Any) -> None:
    if LAUGHTER.match(ctx.text or ""):  # "555555" is laughter, not a request to turn down
        ctx.reply(texts.menu(_role(ctx), "😄 ยินดีที่ได้คุยกันค่ะ มีอะไรให้ช่วยเลือกจากเมนูได้เลยนะคะ"))
        return
    from bot.handlers.onboarding import community_said

    if community_said(ctx, ctx.text or ""):  # "ลาดพร้าวค่ะ": which one, to set or see its activities
        return
    if _residents_chat(ctx) and is_complaint(ctx.text or "", bool(getattr(arg, "topic_named", False))):
        offer_to_pass_on(ctx, ctx.text or "")  # "ขยะล้นถังหน้าบ้าน … แจ้งใครได้บ้าง": to the staff, if they say so
        return
    reply = texts.menu(_role(ctx), "เรื่องนี้ “ร่วมกัน” ยังช่วยไม่ได้ค่ะ 🙏 ลองเลือกเรื่องสุขภาพชุมชนจากเมนูด้านล่าง"
                                   + (" หรือถามเจ้าหน้าที่ได้นะคะ" if _residents_chat(ctx) else "นะคะ"))
    if _residents_chat(ctx):
        reply["quickReply"]["items"].append(texts.ask_staff_chip(carried=False))  # off-topic: not sent on as it is
    ctx.reply(reply)


@on_unsure
def complaint_unsure(ctx: Ctx, text: str) -> bool:
    """Not sure what it is, but it asks who to tell of a trouble: to the staff, if they say so."""
    if not _residents_chat(ctx) or not ASKS_WHO_TO_TELL.search(text or ""):
        return False
    offer_to_pass_on(ctx, text)
    return True


# --- privacy and consent -------------------------------------------------------------------------

@on_intent("privacy")
@reads_only
def privacy(ctx: Ctx, _: Any) -> None:
    consented = bool(ctx.user and ctx.user.has_consented)
    actions = [replies.act_postback("อ่านนโยบาย", postback.encode("privacy.read"), "ขออ่านนโยบายข้อมูล")]
    if consented:
        actions.append(replies.act_postback("ถอนความยินยอม", postback.encode("privacy.withdraw"), "ถอนความยินยอม"))
    else:
        actions.append(replies.act_postback("ให้ความยินยอม", postback.encode("privacy.consent"), "ยินยอม"))
    actions.append(replies.act_postback("ลบข้อมูลของฉัน", postback.encode("privacy.delete"), "ลบข้อมูลของฉัน"))
    actions.append(replies.act_message("ปิดการแจ้งเตือน", "ปิดการแจ้งเตือน"))
    message = replies.buttons("ข้อมูลส่วนบุคคล", "เรื่องข้อมูลของคุณ เลือกได้เลยค่ะ", actions, title="ข้อมูลส่วนบุคคล")
    message["quickReply"] = {"items": [replies.quick_postback("ดูข้อมูลของฉัน", postback.encode("privacy.mine"),
                                                              "ขอดูข้อมูลของฉัน")]}
    ctx.reply(message)


_WHOSE = r"(?:ของ)?\s*(?:ฉัน|ผม|หนู|เรา|ดิฉัน|ป้า|ลุง|ยาย|ตา)?"
MY_DATA_TYPED = (r"(?:ขอ\s*)?ดู\s*ข้อมูล(?:ส่วนตัว|ส่วนบุคคล)?" + _WHOSE + r"\s*(?:หน่อย|ที|ด้วย|ได้ไหม|ได้มั้ย)?"
                 r"|ข้อมูล(?:ส่วนตัว)?ของ\s*(?:ฉัน|ผม|หนู|เรา|ดิฉัน)(?:มีอะไรบ้าง)?"
                 r"|(?:เก็บ|มี)\s*ข้อมูลอะไร" + _WHOSE + r"\s*(?:ไว้|ไป)?\s*(?:บ้าง)?\s*(?:ขอ\s*ดู\s*(?:หน่อย)?)?")
"""'ขอดูข้อมูลของฉัน', and as people ask it: 'เก็บข้อมูลอะไรเราไปบ้าง ขอดูหน่อย'."""


@on_command(MY_DATA_TYPED)
@on_postback("privacy.mine")
@reads_only
@one_to_one
def my_data(ctx: Ctx, _: Any) -> None:
    """PDPA's right of access: what is kept about the person, with the ways to see more or delete it."""
    from bot.services.broadcasts import ROLE_NAMES
    from bot.services.personal_data import held_about
    from bot.thaidate import format_date

    if ctx.user is None:
        return
    held = held_about(ctx.session, ctx.user, ctx.now)
    lines = ["ข้อมูลของคุณที่ “ร่วมกัน” เก็บไว้ค่ะ",
             f"• ชื่อที่แสดง: {held.display_name or 'ไม่มี'}",
             f"• บทบาท: {ROLE_NAMES.get(held.role, held.role)}",
             f"• ชุมชน: {held.community or 'ยังไม่ได้เลือก'}",
             f"• ความยินยอม: {'ให้ไว้เมื่อ ' + format_date(held.consent_at) if held.consent_at else 'ยังไม่ได้ให้'}"]
    if held.phones:
        lines.append(f"• เบอร์โทรที่ให้ไว้กับโครงการ: {', '.join(held.phones)}")
    if held.contact_names:
        lines.append(f"• ชื่อผู้ติดต่อที่ให้ไว้กับโครงการ: {', '.join(held.contact_names)}")
    lines += [f"• ความเห็นต่อธรรมนูญ: {held.stances} ข้อ" + (f" (มีข้อความ {held.comments} ข้อ)" if held.comments else ""),
              f"• การสมัครกิจกรรม: {held.signups} รายการ",
              f"• โครงการที่เสนอ: {held.ideas} โครงการ" + (f" (มีรูปที่แนบไว้ {held.photos} รูป)" if held.photos else ""),
              *([_draft_line(held.draft)] if held.draft else []),
              f"• ข้อความถึงเจ้าหน้าที่: {held.messages_to_staff} ข้อความ",
              f"• ข่าวประกาศ: {'ปิดรับอยู่' if held.announcements_muted else 'รับอยู่'}",
              f"• เตือนก่อนกิจกรรม: {'ปิดอยู่' if held.reminders_off else 'เปิดอยู่'}",
              "ดูรายละเอียดได้จากปุ่มด้านล่าง และพิมพ์ “ลบข้อมูลของฉัน” ได้ทุกเมื่อนะคะ"]
    quick = [replies.quick_message("ที่ฉันสมัครไว้", "ที่ฉันสมัครไว้")]
    if held.ideas:
        quick.append(replies.quick_message("โครงการของฉัน", "โครงการของฉัน"))
    if held.draft:
        quick.append(replies.quick_message("โครงการที่ค้างไว้", "เสนอโครงการ"))
    quick.append(replies.quick_postback("ลบข้อมูลของฉัน", postback.encode("privacy.delete"), "ลบข้อมูลของฉัน"))
    quick.append(replies.quick_message("เมนู", "เมนู"))
    ctx.reply(replies.text("\n".join(lines), quick=quick))


def _draft_line(draft: DraftHeld) -> str:
    """'• โครงการที่ยังไม่ได้ส่ง: “…” (เก็บไว้ถึง …)'."""
    from bot.thaidate import format_date

    named = f"“{draft.title}”" if draft.title else "1 โครงการ (ยังไม่ได้ตั้งชื่อ)"
    return f"• โครงการที่ยังไม่ได้ส่ง: {named} (เก็บไว้ถึง {format_date(draft.kept_until)})"


@on_command(r"(นโยบายข้อมูล|นโยบายความเป็นส่วนตัว|privacy)")
@on_postback("privacy.read")
@reads_only
def privacy_read(ctx: Ctx, _: Any) -> None:
    ctx.reply(replies.text(texts.privacy_full(ctx.settings), quick=texts.menu_quick(_role(ctx))))


_POLITE = r"(?:\s*(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า|นะ|แล้ว))*"
CONSENT_TYPED = (rf"(?:(?:เปลี่ยนใจ|โอเค|ตกลง|ok|ได้|งั้น){_POLITE}\s*)*(?:ขอ\s*)?(?:ให้\s*)?(?:ความ\s*)?ยินยอม"
                 rf"(?:\s*(?:แล้ว|เลย|ก็ได้|ได้เลย|ให้(?:ใช้|เก็บ)ข้อมูล(?:ได้)?))*{_POLITE}")
"""'ยินยอม', as the decline message tells, and as people say it: 'เปลี่ยนใจแล้วค่ะ ยินยอมก็ได้', 'ตกลงยินยอม'."""


@on_command(CONSENT_TYPED)
@on_postback("privacy.consent")
def consent(ctx: Ctx, _: Any) -> None:
    if ctx.user is None:
        return
    users.give_consent(ctx.session, ctx.user, ctx.now)
    thanks = "ขอบคุณค่ะ บันทึกความยินยอมแล้ว ตอนนี้ใช้งานได้ครบทุกเมนูนะคะ"
    redo = engine.take_after_consent(ctx)
    if ctx.user.community_id is None and engine.active_flow(ctx) is None:
        # Declined at onboarding, so never asked: ask now, as onboarding would have, then go on with
        # what the consent was asked for on the way to (before, the community was then never asked).
        from bot.handlers.onboarding import ChangeCommunityFlow

        ctx.reply(replies.text(thanks))
        engine.start(ctx, ChangeCommunityFlow.name, {"then": redo} if redo else None)
        return
    if redo:  # consent asked for on the way to something: go on with it
        ctx.reply(replies.text(thanks))
        run_postback(ctx, redo, {})
        return
    ctx.reply(texts.menu(_role(ctx), thanks))


@on_command(r"(?:ขอ)?\s*ถอน\s*(?:การ)?(?:ให้)?\s*(?:ความ)?\s*ยินยอม(?:\s*(?:แล้ว|เลย|ทั้งหมด|ด้วย|หน่อย|นะ|ค่ะ|คะ|ครับ))*")
@on_postback("privacy.withdraw")
def withdraw(ctx: Ctx, _: Any) -> None:
    if ctx.user is None:
        return
    if not ctx.user.has_consented:
        ctx.reply(texts.menu(_role(ctx), "ตอนนี้คุณยังไม่ได้ให้ความยินยอมไว้ค่ะ “ร่วมกัน” จึงไม่ได้ใช้ข้อมูลของคุณนะคะ"))
        return
    users.withdraw_consent(ctx.session, ctx.user, ctx.now)
    ctx.reply(texts.menu(_role(ctx), "ถอนความยินยอมแล้วค่ะ ยังอ่านธรรมนูญและดูกิจกรรมได้ "
                                     "แต่จะส่งความเห็นหรือสมัครไม่ได้จนกว่าจะยินยอมอีกครั้งนะคะ"))


DELETE_ASK = ("ลบชื่อ ชุมชน เบอร์โทรและชื่อผู้ติดต่อ รูปที่แนบกับโครงการ ความเห็น ข้อความถึงเจ้าหน้าที่ โครงการที่ยังไม่ได้ส่ง "
              "และยกเลิกการสมัครกิจกรรมทั้งหมดของคุณ "
              "โครงการที่คุณเคยเสนอจะยังอยู่กับชุมชนโดยไม่ระบุชื่อคุณ และจะไม่มีการแจ้งความคืบหน้าถึงคุณอีก ยืนยันไหมคะ")


@on_command(r"(?:ขอ)?\s*ลบ\s*ข้อมูล\s*(?:ส่วนตัว)?\s*(?:ของ)?\s*(?:ฉัน|ผม|หนู|เรา|ดิฉัน)?"
            r"(?:\s*(?:ทั้งหมด|ออก|ที|ด้วย|ให้หน่อย|หน่อย|เลย|ให้|นะ|ค่ะ|คะ|ครับ))*")
@on_postback("privacy.delete")
@starts_flow
@one_to_one
def delete_ask(ctx: Ctx, _: Any) -> None:
    confirm.ask(ctx, DELETE_ASK, yes=("ลบเลย", postback.encode("privacy.delete_yes")),
                no=("ไม่ลบ", postback.encode("privacy.delete_no")))


@on_postback("privacy.delete_yes")
def delete_yes(ctx: Ctx, _: Any) -> None:
    if ctx.user is None:
        return
    users.delete_personal_data(ctx.session, ctx.user, ctx.now)
    ctx.reply(texts.menu(_role(ctx), "ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้วค่ะ ผลรวมความเห็นยังนับแบบไม่ระบุตัวตน "
                                     "ถ้าต้องการใช้งานอีก พิมพ์ “ยินยอม” ได้เสมอนะคะ"))


@on_postback("privacy.delete_no")
def delete_no(ctx: Ctx, _: Any) -> None:
    ctx.reply(texts.menu(_role(ctx), "ไม่ลบค่ะ ข้อมูลยังอยู่ครบนะคะ"))


@on_command(r"รหัส\s*([A-Za-z0-9]{6,12})")
def redeem_code(ctx: Ctx, match: Any) -> None:
    if ctx.user is None:
        return
    try:
        code = users.redeem_role_code(ctx.session, ctx.user, match.group(1), ctx.now)
    except ServiceError as exc:
        ctx.reply(replies.text(exc.message_th))
        return
    labels = {"leader": "แกนนำชุมชน", "staff": "เจ้าหน้าที่", "admin": "ผู้ดูแลระบบ"}
    ctx.after_commit.append(_link_menu_task(ctx.user.line_user_id, code.role))
    ctx.reply(texts.menu(code.role, f"เปิดสิทธิ์{labels.get(code.role, code.role)}ให้แล้วค่ะ ✅"))


# --- non-text messages ---------------------------------------------------------------------------

@on_message_type("sticker")
def sticker(ctx: Ctx, _: Any) -> None:
    ctx.reply(texts.menu(_role(ctx), "น่ารักจังค่ะ 😊 อยากทำอะไรต่อ เลือกเมนูได้เลยนะคะ"))


@on_message_type("location")
def location(ctx: Ctx, message: dict[str, Any]) -> None:
    near = nearest_communities(ctx.session, message.get("latitude"), message.get("longitude"), 3)
    if not near:
        ctx.reply(texts.menu(_role(ctx), "ได้รับตำแหน่งแล้วค่ะ แต่ยังหาชุมชนใกล้ ๆ ไม่เจอนะคะ"))
        return
    quick = [replies.quick_postback(c.name, postback.encode("community.set", id=c.id), c.name) for c in near]
    lines = "\n".join(f"• {c.name} (~{d:.1f} กม.)" for c, d in
                      ((c, _distance(c, message)) for c in near))
    ctx.reply(replies.text(f"ชุมชนที่ใกล้คุณที่สุดค่ะ\n{lines}\nแตะเพื่อตั้งเป็นชุมชนของคุณได้เลยนะคะ", quick=quick))


def _distance(community: Any, message: dict[str, Any]) -> float:
    return haversine_km(community.lat, community.lng, message.get("latitude"), message.get("longitude"))


@on_postback("community.set")
def community_set(ctx: Ctx, args: dict[str, str]) -> None:
    from bot.handlers.onboarding import set_community

    if ctx.user is None:
        return
    if not ctx.user.has_consented:  # the community is kept about the person: only with consent (PDPA)
        engine.ask_consent(ctx)
        return
    raw = args.get("id") or ""
    community = communities.get(ctx.session, raw)
    if community is None:
        ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
        return
    set_community(ctx, community)


PHOTO_OUTSIDE = ("ได้รับรูปแล้วค่ะ 🙏 แต่รูปที่ส่งมาลอย ๆ “ร่วมกัน” ยังไม่ได้เก็บไว้นะคะ\n"
                 "รูปใช้เป็นภาพประกอบโครงการที่คุณเสนอได้ค่ะ: แตะ “เสนอโครงการ” แล้วส่งรูปสถานที่หรือปัญหา"
                 "ตอนที่ถามถึงรูปนะคะ\n"
                 "ถ้าอยากแจ้งปัญหาให้เจ้าหน้าที่ แตะ “ติดต่อเจ้าหน้าที่” แล้วพิมพ์เล่าได้เลยค่ะ")
"""A photo sent outside any journey: what photos are for here (an idea's picture), and where to send it."""


@on_message_type("image")
def photo(ctx: Ctx, _: Any) -> None:
    quick = [replies.quick_message("💡 เสนอโครงการ", "เสนอโครงการ")]
    if _residents_chat(ctx):
        quick.append(replies.quick_message("💬 ติดต่อเจ้าหน้าที่", texts.CONTACT_STAFF_SAID))
    ctx.reply(replies.text(PHOTO_OUTSIDE, quick=[*quick, replies.quick_message("เมนู")]))


for _kind in ("video", "audio", "file"):
    @on_message_type(_kind)
    def media(ctx: Ctx, _: Any) -> None:
        ctx.reply(texts.menu(_role(ctx), "ได้รับไฟล์แล้วค่ะ 🙏 ตอนนี้ “ร่วมกัน” ยังเปิดไฟล์นี้ไม่ได้ "
                                         "ลองพิมพ์เป็นข้อความ หรือเลือกจากเมนูได้เลยนะคะ"))


# --- group chats and quiet events ----------------------------------------------------------------

@on_event("join")
def joined_group(ctx: Ctx, _: Any) -> None:
    ctx.reply(replies.text(
        "สวัสดีค่ะ “ร่วมกัน” มาช่วยงานสุขภาพชุมชนในกลุ่มนี้นะคะ 🌿\n"
        "จะตอบเมื่อมีคนพิมพ์ “@ร่วมกัน” ตามด้วยคำถาม เช่น “@ร่วมกัน เสาร์นี้มีกิจกรรมอะไร” ค่ะ"
    ))


@on_event("memberJoined")
def member_joined(ctx: Ctx, _: Any) -> None:
    """Stay quiet in groups: no greeting for every member (people find it noisy)."""


for _quiet in ("leave", "memberLeft", "unsend", "messageEdited", "videoPlayComplete", "beacon",
               "accountLink", "activated", "deactivated", "botSuspended", "botResumed", "membership",
               "module", "delivery", "things"):
    on_event(_quiet)(lambda ctx, event: None)


def _link_menu_task(line_user_id: str, role: str) -> Any:
    def task(db: Any, gateway: Any) -> None:
        from bot import richmenu

        with db.session(readonly=True) as session:
            richmenu.link_for_role(session, gateway, line_user_id, role)

    return task
