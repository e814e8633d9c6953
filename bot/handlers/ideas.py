"""Project ideas in chat: propose, my ideas with their timeline, withdraw, edit, endorse, staff review."""

from __future__ import annotations

import re
from typing import Any

from bot import postback, replies
from bot.context import Ctx
from bot.dispatcher import (
    for_residents,
    keep_next,
    on_command,
    on_intent,
    on_postback,
    one_to_one,
    reads_only,
    starts_flow,
    words_for_residents,
)
from bot.flows import confirm, engine
from bot.flows import idea as idea_flow
from bot.flows.idea_message import REQUEST, request_in, without_greeting
from bot.services import communities, idea_photos, idea_report, ideas
from bot.services.contact import before_thai
from bot.services.errors import ServiceError
from bot.textmatch import best_named
from bot.thaidate import THAI_DIGITS, format_date
from nlp.normalize import reason_text
from storage.models import Idea

NO_IDEAS = "ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ อยากเสนอโครงการแรกเลยไหมคะ 💡"
MY_IDEAS_LEAD = "โครงการของคุณค่ะ ({n} เรื่อง) เลื่อนดูสถานะและความเป็นมาได้เลยนะคะ"
MORE_IDEAS = " แสดง {shown} เรื่องล่าสุดค่ะ"
WITHDRAW_ASK = "ถอนโครงการ “{title}” ใช่ไหมคะ ถอนแล้วเจ้าหน้าที่จะไม่พิจารณาต่อนะคะ"
WITHDRAWN = "ถอนโครงการ “{title}” แล้วค่ะ ถ้าอยากเสนอใหม่ พิมพ์ “เสนอโครงการ” ได้เสมอนะคะ"
KEEP = "ได้ค่ะ ยังไม่ถอน โครงการ “{title}” ยังอยู่ในการพิจารณาตามเดิมนะคะ"
NO_COMMUNITY = "ยังไม่ได้เลือกชุมชนของคุณค่ะ พิมพ์ชื่อชุมชน หรือส่งตำแหน่งมาเพื่อเลือกก่อนนะคะ"
NO_COMMUNITY_IDEAS = "ยังไม่มีโครงการจาก{name}ค่ะ ชวนเพื่อนบ้านเสนอโครงการได้เลยนะคะ"
COMMUNITY_LEAD = "โครงการใน{name} ({n} เรื่อง) ค่ะ"
LEADER_HINT = " แตะ “รับรองโครงการ” เพื่อสนับสนุนโครงการของลูกบ้านได้เลยนะคะ"
ENDORSED = "รับรองโครงการ “{title}” แล้วค่ะ 👍 ผู้เสนอจะได้รับแจ้ง และเจ้าหน้าที่จะเห็นว่าแกนนำสนับสนุนค่ะ"
UNDO_HINT = "\nกดผิดหรือเปลี่ยนใจ แตะ “ถอนการรับรอง” ได้เลยค่ะ (ถอนได้ระหว่างที่ยังพิจารณาอยู่)"
NOTHING_PENDING = "ตอนนี้ไม่มีโครงการรอพิจารณาค่ะ 👍"
PENDING_LEAD = "โครงการรอพิจารณา {n} เรื่องค่ะ (เรียงจากที่รอนานที่สุด)"
FOLLOW_UP_COUNT = ("ตอนนี้มีโครงการที่อนุมัติแล้วและกำลังดำเนินการ {n} เรื่องค่ะ ({parts})\n"
                   "แตะ “ดูโครงการที่อนุมัติ” เพื่อดูและบันทึกความคืบหน้าทีละเรื่องได้เลยนะคะ")
PENDING_COUNT = ("ตอนนี้มีโครงการรอพิจารณา {n} เรื่องค่ะ ({parts})\n"
                 "แตะ “ดูโครงการรอตรวจ” หรือพิมพ์ “โครงการรอตรวจ” เพื่อดูและพิจารณาทีละเรื่องได้เลยนะคะ")
NOTHING_TO_FOLLOW = "ตอนนี้ไม่มีโครงการที่อนุมัติแล้วหรือกำลังดำเนินการค่ะ"
FOLLOW_UP_LEAD = ("โครงการที่อนุมัติแล้วและกำลังดำเนินการ {n} เรื่องค่ะ แตะ “เริ่มดำเนินการ” เมื่อเริ่มงาน "
                  "และ “เสร็จสิ้น” เมื่อจบโครงการ ผู้เสนอจะได้รับแจ้งทุกครั้งค่ะ")
IDEA_NOT_FOUND = "ไม่พบโครงการเลขที่ {no} ค่ะ ลองดูเลขที่บนการ์ดโครงการอีกครั้งนะคะ"
NOT_YOURS = "ไม่พบโครงการเลขที่ {no} ในรายการของคุณค่ะ แตะ “โครงการของฉัน” เพื่อดูโครงการที่คุณเสนอไว้ได้นะคะ"
STAFF_ONLY = "ส่วนนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ"

STATUS_COLORS = {
    "submitted": "#1E88E5", "under_review": "#F57F17", "needs_revision": "#E65100", "approved": "#2E7D32",
    "in_progress": "#00897B", "completed": "#1B5E20", "rejected": "#C62828", "withdrawn": "#757575",
}
TITLE_PREFIX = re.compile(rf"^{REQUEST.pattern}\s*(?:ชื่อ|เรื่อง|เกี่ยวกับ)?\s*")
TITLE_TAIL = re.compile(r"\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ|หน่อย|ได้ไหม|ได้มั้ย|ได้ไหมคะ|ได้ไหมครับ)+\s*$")
MAX_CARDS = 12


def _quick_mine() -> list[dict[str, Any]]:
    return [replies.quick_message("เสนอโครงการ"), replies.quick_message("โครงการของฉัน"),
            replies.quick_message("เมนู")]


def title_from(text: str | None) -> str | None:
    """'อยากเสนอโครงการลานออกกำลังกาย' → 'ลานออกกำลังกาย'; None when only the request was typed."""
    if not text:
        return None
    text = without_greeting(text).strip()  # "สวัสดีครับ อยากทำโครงการ…" (the request was thrown away)
    match = TITLE_PREFIX.match(text)
    if not match:
        return None
    rest = TITLE_TAIL.sub("", text[match.end():]).strip(" :\"“”'")
    return rest if len(rest) >= 3 else None


# --- propose -----------------------------------------------------------------------------------------

SIGN_UP_WORDS = re.compile(r"สมัคร|ลงชื่อ|ลงทะเบียน|จองที่|ขอไป|อยากไป|ไปร่วม|เข้าร่วม")
HEAD_COUNT = re.compile(r"[0-9๐-๙]+\s*(?:คน|ท่าน)|(?:ไป|มา)\s*(?:กัน)?\s*(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก)\s*(?:คน|ท่าน)"
                        r"|(?:ไป|มา)\s*(?:คนเดียว|เอง)")
"""How many are going ("ไป2คนค่ะ", "ไปคนเดียว"): said with an activity's name, a sign-up for it."""


def _signs_up_for_named_activity(ctx: Ctx, text: str) -> bool:
    """"ขอสมัครปรึกษาเขียนโครงการ", "ปรึกษาเขียนโครงการ ไป2คนค่ะ" ask for the upcoming activity of that name, not
    to propose a project: its sign-up, with the people said. A request to propose ("อยากเสนอโครงการ…") with only
    a count in it stays an idea (its participants)."""
    from bot.handlers.activities import activities_meant, sign_up_said
    from bot.services import activities

    said = SIGN_UP_WORDS.search(text) is not None
    if not said and (not HEAD_COUNT.search(text) or request_in(text)):
        return False
    if not activities_meant(text, activities.upcoming(ctx.session, ctx.now, limit=100)):
        return False
    sign_up_said(ctx, text, {}, None)
    return True


@on_intent("idea_submit")
def propose(ctx: Ctx, _: Any) -> None:
    if _signs_up_for_named_activity(ctx, ctx.text or ""):
        return
    title = title_from(ctx.text)
    if title or request_in(ctx.text or ""):  # the message may tell more than the name, in any order
        ctx.start_flow("idea", title=title or "", _message=ctx.text)
    else:
        ctx.start_flow("idea")


@on_command(r"(?:💡\s*)?(?:เสนอโครงการ(?:ใหม่)?|ส่งโครงการ)")
def propose_command(ctx: Ctx, _: Any) -> None:
    ctx.start_flow("idea")


@on_postback(idea_flow.FIX_ACTION)
def fix_field(ctx: Ctx, params: dict[str, str]) -> None:
    idea_flow.fix_field(ctx, params)


# --- my ideas ------------------------------------------------------------------------------------------

def _timeline_lines(ctx: Ctx, idea: Idea, limit: int = 6) -> list[dict[str, Any]]:
    entries = ideas.timeline(ctx.session, idea)
    lines: list[dict[str, Any]] = [replies.ftext("ความเป็นมา", size="xs", weight="bold", color="#555555")]
    if len(entries) > limit:
        lines.append(replies.ftext("…", size="xs", color="#888888"))
    for entry in entries[-limit:]:
        lines.append(replies.ftext(f"{format_date(entry.at)} · {entry.label}", size="xs"))
        if entry.reason:
            lines.append(replies.ftext(f"   “{entry.reason[:200]}”", size="xs", color="#666666"))
    return lines


def _my_idea_bubble(ctx: Ctx, idea: Idea) -> dict[str, Any]:
    lines: list[Any] = []
    if idea.community_id:
        community = communities.get(ctx.session, idea.community_id)
        if community:
            lines.append(f"ชุมชน: {community.name}")
    if idea.budget is not None:
        lines.append(f"งบประมาณ: {idea.budget:,} บาท")
    granted = ideas.grant_text(idea)
    if granted:
        lines.append(f"💰 ได้รับ{granted}")
    results = ideas.result_text(idea)
    if results:
        lines.append(f"🏁 ผลที่บันทึกไว้: {results}")
    if idea.endorsed_at:
        lines.append("✅ แกนนำชุมชนรับรองแล้ว")
    url = idea_photos.shown_url(ctx.session, idea, idea_photos.links_for(ctx.settings))
    photo = idea_photos.note(ctx.session, idea, shown=url is not None, reader="submitter")
    if photo:
        lines.append(photo)
    lines.append(f"เลขที่ {idea.id}")  # what "โครงการ 12" and staff go by
    lines += _timeline_lines(ctx, idea)
    actions = []
    if idea.status == "needs_revision":
        actions.append(replies.act_postback("แก้ไขโครงการ", postback.encode("idea.edit", id=idea.id), "แก้ไขโครงการ"))
    elif idea.status == "submitted":
        actions.append(replies.act_postback("แก้ไข", postback.encode("idea.edit", id=idea.id), "แก้ไขโครงการ"))
    if ideas.can_withdraw(idea):  # not once approved: a funded project is withdrawn through staff
        actions.append(replies.act_postback("ถอนโครงการ", postback.encode("idea.withdraw", id=idea.id),
                                            "ถอนโครงการ"))
    card = replies.bubble(idea.title, lines, actions, subtitle=ideas.status_label(idea.status),
                          color=STATUS_COLORS.get(idea.status, "#0B7A75"))
    hero = ideas.photo_hero(url)
    if hero is not None:
        card["hero"] = hero
    return card


@on_intent("idea_status")
@on_command(r"(?:📋\s*)?(?:โครงการของฉัน|โครงการที่เสนอ|สถานะโครงการ|ติดตามโครงการ|(?:ไอเดีย|ความคิด|ข้อเสนอ)ของฉัน)\s*(?:ค่ะ|คะ|ครับ|นะ|จ้า)*")
@reads_only
def my_ideas(ctx: Ctx, _: Any) -> None:
    show_my_ideas(ctx)


@one_to_one
def show_my_ideas(ctx: Ctx, lead: str | None = None) -> None:
    """My ideas as cards, under `lead` when the caller says why they are shown. Staff who named someone else's
    idea by its number get that idea's card instead (never their own ideas for "อนุมัตโครงการ 12")."""
    if ctx.user is None:
        return
    if ctx.user.is_staff and _staff_named_an_idea(ctx):
        return
    mine = ideas.my_ideas(ctx.session, ctx.user)
    if not mine:
        ctx.reply(replies.text(NO_IDEAS, quick=[replies.quick_message("เสนอโครงการ"), replies.quick_message("เมนู")]))
        return
    lead = lead or MY_IDEAS_LEAD.format(n=len(mine))
    if len(mine) > MAX_CARDS:
        lead += MORE_IDEAS.format(shown=MAX_CARDS)
    bubbles = [_my_idea_bubble(ctx, i) for i in mine[:MAX_CARDS]]
    ctx.reply(replies.text(lead), replies.carousel(f"โครงการของฉัน {len(mine)} เรื่อง", bubbles,
                                                   quick=_quick_mine()))


_NUMBER_NAMED = re.compile(r"โครง\s*ก[าะ]?[รนณ]{1,2}\s*(?:ที่|เลขที่|หมายเลข)?\s*#?\s*(?P<no>[0-9๐-๙]{1,9})"
                           r"(?!\s*(?:เรื่อง|โครงการ|อัน|บาท|คน|ปี))")
"""'โครงการ 12' in what staff said (a typo in โครงการ too: "โครงกาน 12"); not a count ("โครงการ 3 เรื่อง")."""


def _staff_named_an_idea(ctx: Ctx) -> bool:
    """Staff text naming an idea by its number that is not theirs: its card and buttons, asked what to do."""
    found = _NUMBER_NAMED.search(ctx.text or "")
    idea = ctx.session.get(Idea, int(found["no"].translate(THAI_DIGITS))) if found else None
    if idea is None or idea.user_id == ctx.user.id:
        return False
    card = ideas.staff_card(ctx.session, idea, heading=f"โครงการเลขที่ {idea.id}",
                            more=_timeline_lines(ctx, idea), links=idea_photos.links_for(ctx.settings))
    ctx.reply(replies.text(f"โครงการเลขที่ {idea.id} ตอนนี้ “{ideas.status_label(idea.status)}” ค่ะ "
                           "ถ้าจะเปลี่ยนสถานะ เลือกจากปุ่มในการ์ดได้เลยนะคะ"),
              replies.flex(card["altText"], card["contents"], quick=idea_flow.staff_idea_lists()))
    return True


def _own_idea(ctx: Ctx, params: dict[str, str]) -> Idea | None:
    try:
        idea = ctx.session.get(Idea, int(params.get("id", "0")))
    except ValueError:
        idea = None
    if idea is None or ctx.user is None or idea.user_id != ctx.user.id:
        ctx.reply(replies.text("ไม่พบโครงการนี้ในรายการของคุณค่ะ", quick=_quick_mine()))
        return None
    return idea


@on_postback("idea.withdraw")
@starts_flow
def withdraw_ask(ctx: Ctx, params: dict[str, str]) -> None:
    idea = _own_idea(ctx, params)
    if idea is None:
        return
    if idea.status in ideas.FOLLOW_UP_STATUSES:
        _refuse_withdraw_after_approval(ctx, idea)
        return
    if not ideas.can_withdraw(idea):
        ctx.reply(replies.text(f"โครงการนี้{ideas.status_label(idea.status)} จึงถอนไม่ได้แล้วค่ะ",
                               quick=_quick_mine()))
        return
    confirm.ask(ctx, WITHDRAW_ASK.format(title=idea.title),
                yes=("ถอนเลย", postback.encode("idea.withdraw_yes", id=idea.id, frm=idea.status)),
                no=("ไม่ถอน", postback.encode("idea.withdraw_no", id=idea.id)))


def _refuse_withdraw_after_approval(ctx: Ctx, idea: Idea) -> None:
    """Approved or under way: not withdrawn from the chat; staff are the ones to ask."""
    ctx.reply(replies.text(ideas.withdraw_refusal(idea),
                           quick=[replies.quick_message("ติดต่อเจ้าหน้าที่"), replies.quick_message("โครงการของฉัน")]))


@on_postback("idea.withdraw_yes")
def withdraw_yes(ctx: Ctx, params: dict[str, str]) -> None:
    idea = _own_idea(ctx, params)
    if idea is None:
        return
    if idea.status in ideas.FOLLOW_UP_STATUSES and params.get("frm") in (None, "", idea.status):
        _refuse_withdraw_after_approval(ctx, idea)  # an old question's button, or a postback typed by hand
        return
    ideas.move(ctx.session, idea, ctx.user, "withdrawn", expected_from=params.get("frm") or None, now=ctx.now)
    ctx.reply(replies.text(WITHDRAWN.format(title=idea.title), quick=_quick_mine()))


@on_postback("idea.withdraw_no")
def withdraw_no(ctx: Ctx, params: dict[str, str]) -> None:
    idea = _own_idea(ctx, params)
    if idea is not None:
        ctx.reply(replies.text(KEEP.format(title=idea.title), quick=_quick_mine()))


@on_postback("idea.edit")
@starts_flow
def edit(ctx: Ctx, params: dict[str, str]) -> None:
    idea = _own_idea(ctx, params)
    if idea is None:
        return
    ctx.start_flow("idea", _idea_id=idea.id)


# --- the cards' buttons typed ("แก้ไขโครงการ", "ถอนโครงการ") -------------------------------------------

_IDEA_WORDS = re.compile(r"ขอ|แก้ไข|แก้|ถอน|ยกเลิก|โครงการ|ไอเดีย|ของฉัน|ที่เสนอไว้|หน่อย|ค่ะ|คะ|ครับ|นะ|จ้า|\s")


def _typed_idea(ctx: Ctx, text: str, allowed: tuple[str, ...],
                prefer_sent_back: bool = False) -> tuple[Idea | None, list[Idea]]:
    """The one idea of mine in `allowed` statuses that the text names, else the only one (or, with
    `prefer_sent_back`, the only one staff sent back); and all of them."""
    candidates = [idea for idea in ideas.my_ideas(ctx.session, ctx.user) if idea.status in allowed]
    query = _IDEA_WORDS.sub("", text or "")
    named = best_named(query, candidates, lambda idea: idea.title) if len(query) >= 3 else None
    if named is None and len(candidates) == 1:
        named = candidates[0]
    if named is None and prefer_sent_back:
        sent_back = [idea for idea in candidates if idea.status == "needs_revision"]
        named = sent_back[0] if len(sent_back) == 1 else None
    return named, candidates


@on_command(r"(?:ขอ\s*)?แก้(?:ไข)?\s*(?:โครงการ|ไอเดีย)\s*(?:ของฉัน|ที่เสนอไว้)?.{0,40}?\s*(?:หน่อย)?\s*(?:ค่ะ|คะ|ครับ|นะ|จ้า)*")
def edit_typed(ctx: Ctx, _: Any) -> None:
    """Straight to the idea to fix: the one named, the only one editable, or the only one sent back. Staff
    naming someone else's idea by its number ("ขอแก้ไขโครงการ 15 ค่ะ ขอรายละเอียดงบ"): asking its submitter for a
    revision, as "ขอให้แก้ไขโครงการ 15" (it showed the staff member's own ideas)."""
    if ctx.user is None:
        return
    if ctx.user.is_staff:
        found = STAFF_EDIT.fullmatch(ctx.text or "")
        idea = ctx.session.get(Idea, int(found["no"].translate(THAI_DIGITS))) if found else None
        if idea is not None and idea.user_id != ctx.user.id:
            reason = reason_said(found["rest"])
            params = {"id": str(idea.id), "to": "needs_revision"}
            staff_move(ctx, {**params, "reason": reason} if reason else params)
            return
    named, editable = _typed_idea(ctx, ctx.text or "", ("needs_revision", "submitted"),
                                  prefer_sent_back=True)
    if named is not None:
        edit(ctx, {"id": str(named.id)})
    elif editable:
        show_my_ideas(ctx, lead="จะแก้โครงการไหนคะ แตะ “แก้ไข” ที่การ์ดได้เลยค่ะ")
    else:
        show_my_ideas(ctx, lead="ตอนนี้ไม่มีโครงการที่แก้ได้ค่ะ (แก้ได้ตอนรอพิจารณาหรือเมื่อเจ้าหน้าที่ขอให้ปรับแก้) "
                                "ดูสถานะได้ที่การ์ดด้านล่างนะคะ")


@on_command(r"(?:ขอ\s*)?(?:ถอน|ยกเลิก)\s*(?:โครงการ|ไอเดีย)\s*(?:ของฉัน|ที่เสนอไว้)?.{0,40}?\s*(?:หน่อย)?\s*(?:ค่ะ|คะ|ครับ|นะ|จ้า)*")
def withdraw_typed(ctx: Ctx, _: Any) -> None:
    """The withdrawal question for the idea named, or the only open one; otherwise my ideas to pick from."""
    if ctx.user is None:
        return
    named, open_ones = _typed_idea(ctx, ctx.text or "", ideas.OPEN_STATUSES)
    if named is None:  # not named: the only one still withdrawable, if there is just one
        named, withdrawable = _typed_idea(ctx, "", ideas.WITHDRAWABLE_STATUSES)
    else:
        withdrawable = [idea for idea in open_ones if ideas.can_withdraw(idea)]
    if named is not None:
        withdraw_ask(ctx, {"id": str(named.id)})  # refused politely when it is approved already
    elif withdrawable:
        show_my_ideas(ctx, lead="จะถอนโครงการไหนคะ แตะ “ถอนโครงการ” ที่การ์ดได้เลยค่ะ")
    elif open_ones:
        show_my_ideas(ctx, lead="โครงการที่อนุมัติแล้วถอนเองไม่ได้ค่ะ ถ้าต้องการยกเลิก "
                                "กรุณาติดต่อเจ้าหน้าที่นะคะ ดูสถานะได้ที่การ์ดด้านล่างค่ะ")
    else:
        show_my_ideas(ctx, lead="ตอนนี้ไม่มีโครงการที่ถอนได้ค่ะ ดูสถานะได้ที่การ์ดด้านล่างนะคะ")


# --- community ideas, endorse --------------------------------------------------------------------------

def _community_bubble(ctx: Ctx, idea: Idea) -> dict[str, Any]:
    lines: list[Any] = []
    if idea.topic:
        lines.append(f"ประเด็น: {ideas.topics().get(idea.topic, idea.topic)}")
    if idea.target_group:
        lines.append(f"เพื่อ: {ideas.target_groups().get(idea.target_group, idea.target_group)}")
    if idea.plan:
        lines.append(idea.plan[:160])
    lines.append(f"เสนอเมื่อ {format_date(idea.created_at)}")
    if idea.endorsed_at:
        lines.append("✅ แกนนำชุมชนรับรองแล้ว")
    actions = []
    user = ctx.user
    if (user is not None and user.role == "leader" and idea.endorsed_at is None and idea.user_id != user.id
            and idea.status in ideas.ENDORSABLE_STATUSES):
        actions.append(replies.act_postback("รับรองโครงการ", postback.encode("idea.endorse", id=idea.id),
                                            "รับรองโครงการ"))
    elif (user is not None and idea.endorsed_by_user_id == user.id and idea.endorsed_at is not None
            and idea.status in ideas.ENDORSABLE_STATUSES):
        actions.append(replies.act_postback("ถอนการรับรอง", postback.encode("idea.unendorse", id=idea.id),
                                            "ถอนการรับรอง"))
    return replies.bubble(idea.title, lines, actions, subtitle=ideas.status_label(idea.status),
                          color=STATUS_COLORS.get(idea.status, "#0B7A75"))


COMMUNITY_IDEAS = (r"(?:ขอ\s*)?(?:ดู\s*)?(?:โครงการ|ไอเดีย)\s*(?:ใน|ของ)?\s*ชุมชน\s*(?:นี้|เรา|ของ(?:ฉัน|เรา|ผม))?"
                   r"\s*(?:หน่อย|บ้าง|มีอะไรบ้าง)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")


ENDORSE_TYPED = r"(?:ขอ\s*)?รับรอง\s*(?:โครงการ|ไอเดีย)?\s*(?:ให้หน่อย|หน่อย)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*"
"""The card's button label typed: which idea is not said, so the community's ideas are shown to pick from."""


@on_command(COMMUNITY_IDEAS)
@on_command(ENDORSE_TYPED)
@reads_only
def community_ideas(ctx: Ctx, _: Any) -> None:
    user = ctx.user
    if user is None:
        return
    if not user.community_id:
        ctx.reply(replies.text(NO_COMMUNITY, quick=[replies.quick_message("เปลี่ยนชุมชน"), replies.quick_message("เมนู")]))
        return
    community = communities.get(ctx.session, user.community_id)
    found = ideas.community_ideas(ctx.session, community)
    if not found:
        ctx.reply(replies.text(NO_COMMUNITY_IDEAS.format(name=community.name), quick=_quick_mine()))
        return
    lead = COMMUNITY_LEAD.format(name=community.name, n=len(found))
    if user.role == "leader":
        lead += LEADER_HINT
    bubbles = [_community_bubble(ctx, i) for i in found[:MAX_CARDS]]
    ctx.reply(replies.text(lead), replies.carousel(f"โครงการใน{community.name}", bubbles, quick=_quick_mine()))


def _remember_idea_shown(ctx: Ctx, idea: Idea) -> None:
    """The one idea card just shown, so "รับรองโครงการนี้ครับ" typed next is about it."""
    engine.remember(ctx, "idea_seen", idea.id)


def _idea_shown_recently(ctx: Ctx) -> int | None:
    seen = engine.recall(ctx, "idea_seen")
    return seen if isinstance(seen, int) else None


ENDORSE_THIS = (r"(?:ขอ\s*)?รับรอง\s*(?:โครงการ|ไอเดีย)?\s*(?:นี้|นี่|อันนี้|เรื่องนี้)\s*(?:ให้)?\s*(?:หน่อย|เลย|ด้วย)?"
                r"\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")


@on_command(ENDORSE_THIS)
def endorse_this(ctx: Ctx, match: re.Match[str]) -> None:
    """"รับรองโครงการนี้ครับ": the idea card just shown ("ติดตามโครงการ 6"); without one, the community's ideas
    to pick from, as "รับรองโครงการ" alone (it answered with the user's own ideas: "ยังไม่มีโครงการที่คุณเสนอไว้")."""
    seen = _idea_shown_recently(ctx)
    if seen is None:
        community_ideas(ctx, match)
        return
    endorse(ctx, {"id": str(seen)})


@on_command(r"(?:ขอ\s*)?รับรอง\s*โครงการ\s*(?:ที่|เลขที่)?\s*#?\s*(?P<no>[0-9๐-๙]{1,9})\s*(?:ให้)?\s*(?:หน่อย)?")
def endorse_typed(ctx: Ctx, match: re.Match[str]) -> None:
    """"รับรองโครงการ 16": as the card's button (it answered with the user's own ideas)."""
    endorse(ctx, {"id": match["no"].translate(THAI_DIGITS)})


ENDORSE_NAMED = (r"(?:ขอ\s*)?รับรอง\s*(?:โครงการ|ไอเดีย)\s*(?:ชื่อ|เรื่อง)?\s*(?![0-9๐-๙#])(?P<name>\S.{1,60}?)\s*(?:ให้)?\s*"
                 r"(?:หน่อย|ด้วย|เลย)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")
"""'รับรองโครงการสวนผักค่ะ': by (part of) its title, among the leader's community's ideas (it showed the
leader's own ideas). Registered after ENDORSE_THIS and the number, which it would otherwise take."""


@on_command(ENDORSE_NAMED)
def endorse_named(ctx: Ctx, match: re.Match[str]) -> None:
    """The one idea of the leader's community the words name; several: their cards to choose from."""
    user = ctx.user
    if user is None or user.role != "leader" or not user.community_id:
        community_ideas(ctx, match)
        return
    said = TITLE_TAIL.sub("", match["name"]).strip()
    found = [i for i in ideas.community_ideas(ctx.session, user.community_id) if i.status != "withdrawn"]
    named = _ideas_named(said, found)
    open_ones = [i for i in named if i.status in ideas.ENDORSABLE_STATUSES and i.user_id != user.id
                 and i.endorsed_at is None]
    if len(open_ones) == 1 or (named and not open_ones):
        endorse(ctx, {"id": str((open_ones or named)[0].id)})  # one; or none open: why not, for the first
        return
    if not named:
        community = communities.get(ctx.session, user.community_id)
        ctx.reply(replies.text(f"ไม่พบโครงการชื่อ “{said}” ใน{before_thai(community.name)}ค่ะ แตะ “โครงการในชุมชน” "
                               "เพื่อดูทั้งหมดได้เลยนะคะ",
                               quick=[replies.quick_message("โครงการในชุมชน"), replies.quick_message("เมนู")]))
        return
    bubbles = [_community_bubble(ctx, i) for i in open_ones[:MAX_CARDS]]
    ctx.reply(replies.text(f"มี {len(open_ones)} โครงการที่ชื่อคล้าย “{said}” ค่ะ แตะ “รับรองโครงการ” "
                           "ที่การ์ดของโครงการที่ต้องการได้เลยนะคะ"),
              replies.carousel(f"โครงการที่ชื่อคล้าย {said}", bubbles, quick=_quick_mine()))


def _ideas_named(said: str, found: list[Idea]) -> list[Idea]:
    """The ideas whose title holds the words (spaces aside), else the one the words clearly name."""
    bare = "".join(said.split())
    holding = [i for i in found if bare and bare in "".join(i.title.split())]
    if holding:
        return holding
    best = best_named(said, found, lambda idea: idea.title)
    return [best] if best is not None else []


UNENDORSE_TYPED = (r"(?:ขอ\s*)?(?:ยกเลิก|ถอน)\s*(?:การ)?\s*รับรอง\s*(?:โครงการ)?\s*(?:ที่|เลขที่)?\s*#?\s*"
                   r"(?P<no>[0-9๐-๙]{1,9})?\s*(?:หน่อย)?(?:\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ))*"
                   r"(?:\s*(?:กด|แตะ)?\s*(?:ผิด|พลาด|เปลี่ยนใจ).{0,30})?")
""""ขอถอนการรับรองโครงการ 16 ค่ะ กดผิด": with why, after the number (it was "ยังไม่แน่ใจ")."""


@on_command(UNENDORSE_TYPED)
def unendorse_typed(ctx: Ctx, match: re.Match[str]) -> None:
    """"ยกเลิกการรับรองโครงการ 16" takes it back; without a number, the community's ideas with the button
    (it was read as cancelling an activity sign-up)."""
    if match["no"]:
        unendorse(ctx, {"id": match["no"].translate(THAI_DIGITS)})
    else:
        community_ideas(ctx, match)


@on_postback("idea.unendorse")
def unendorse(ctx: Ctx, params: dict[str, str]) -> None:
    if ctx.user is None:
        return
    raw = params.get("id") or ""
    idea = ideas.withdraw_endorsement(ctx.session, int(raw) if raw.isdigit() else 0, ctx.user, now=ctx.now)
    ctx.reply(replies.text(f"ถอนการรับรองโครงการ “{idea.title}” แล้วค่ะ รับรองใหม่ได้ทุกเมื่อระหว่างที่ยังพิจารณาอยู่นะคะ",
                           quick=[replies.quick_message("โครงการในชุมชน"), replies.quick_message("เมนู")]))


@on_postback("idea.endorse")
def endorse(ctx: Ctx, params: dict[str, str]) -> None:
    if ctx.user is None:
        return
    raw = params.get("id") or ""
    idea = ideas.endorse(ctx.session, int(raw) if raw.isdigit() else 0, ctx.user, now=ctx.now)
    undo = replies.quick_postback("ถอนการรับรอง", postback.encode("idea.unendorse", id=idea.id), "ถอนการรับรอง")
    ctx.reply(replies.text(ENDORSED.format(title=idea.title) + UNDO_HINT,
                           quick=[undo, replies.quick_message("โครงการในชุมชน"), replies.quick_message("เมนู")]))


# --- staff -----------------------------------------------------------------------------------------------

@on_command(r"(?:🗂\s*)?(?:โครงการรอตรวจ|โครงการรอพิจารณา|ตรวจโครงการ)", staff_only=True)
@reads_only
def pending(ctx: Ctx, _: Any) -> None:
    waiting = ideas.pending_review(ctx.session)
    if not waiting:
        ctx.reply(replies.text(NOTHING_PENDING))
        return
    _staff_cards(ctx, waiting, "รอพิจารณา", PENDING_LEAD.format(n=len(waiting)),
                 f"โครงการรอพิจารณา {len(waiting)} เรื่อง")


_WAITING = r"(?:ที่\s*)?(?:รอ|ค้าง)\s*(?:การ\s*)?(?:ตรวจ(?:สอบ)?|พิจารณา|อนุมัติ)\s*(?:อยู่\s*)?"
_HOW_MANY = (r"(?:ทั้งหมด\s*)?(?:มี\s*)?(?:กี่\s*(?:เรื่อง|โครงการ|อัน|รายการ)|เท่า(?:ไร|ไหร่)|ไหม|มั้ย|บ้าง(?:\s*ไหม)?"
             r"|หรือ(?:เปล่า|ป่าว|ยัง|ไม่)|ยัง|รึ(?:เปล่า|ยัง))")
PENDING_ASKED = (rf"(?:ตอนนี้\s*)?(?:ยัง\s*)?(?:มี\s*)?(?:โครงการ|ข้อเสนอ(?:โครงการ)?)\s*{_WAITING}{_HOW_MANY}"
                 rf"|(?:ตอนนี้\s*)?มี\s*(?:ทั้งหมด\s*)?กี่\s*(?:โครงการ|เรื่อง)\s*{_WAITING}"
                 r"|(?:ที่\s*)?(?:รอ|ค้าง)\s*(?:ตรวจ|พิจารณา)\s*(?:อยู่\s*)?(?:มี\s*)?กี่\s*(?:เรื่อง|โครงการ)")
PENDING_ASKED += r"\s*(?:คะ|ค่ะ|ครับ|จ้า|จ๊ะ|นะ|เอ่ย|หนอ)*"
""""มีโครงการรอตรวจกี่เรื่องคะ", "มีโครงการรอตรวจไหม", "มีกี่เรื่องที่รอพิจารณา": asked, not the list's name
(it was not understood: the menu)."""


@on_command(PENDING_ASKED)
@reads_only
def pending_asked(ctx: Ctx, _: Any) -> None:
    """Staff: how many ideas wait, and the way to see them. Others: their own ideas."""
    if _answered_with_mine(ctx):
        return
    waiting = ideas.pending_review(ctx.session)
    if not waiting:
        ctx.reply(replies.text(NOTHING_PENDING, quick=idea_flow.staff_idea_lists()))
        return
    new = sum(1 for idea in waiting if idea.status == "submitted")
    parts = [f"ยังไม่ได้รับพิจารณา {new}" if new else "", f"กำลังพิจารณา {len(waiting) - new}" if new < len(waiting) else ""]
    ctx.reply(replies.text(PENDING_COUNT.format(n=len(waiting), parts=" · ".join(p for p in parts if p)),
                           quick=[replies.quick_message("ดูโครงการรอตรวจ", "โครงการรอตรวจ"),
                                  replies.quick_message("เมนู")]))


def _staff_cards(ctx: Ctx, found: list[Idea], heading: str, lead: str, alt: str) -> None:
    """A list staff move ideas from: the lead, then a card per idea with its buttons."""
    links = idea_photos.links_for(ctx.settings)
    cards = [ideas.staff_card(ctx.session, i, heading=heading, links=links)["contents"] for i in found[:MAX_CARDS]]
    ctx.reply(replies.text(lead), replies.carousel(alt, cards))


def _answered_with_mine(ctx: Ctx) -> bool:
    """A resident or leader asking for a staff list gets their own ideas instead (True when so answered)."""
    if ctx.user is not None and ctx.user.is_staff:
        return False
    show_my_ideas(ctx)
    return True


FOLLOW_UP = (r"(?:🚧\s*)?(?:ขอ\s*)?(?:ดู\s*)?โครงการ\s*(?:ที่)?\s*(?:อนุมัติ(?:แล้ว)?|(?:กำลัง|ระหว่าง)ดำเนินการ"
             r"|ดำเนินการอยู่)\s*(?:บ้าง|มีอะไรบ้าง)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")


@on_command(FOLLOW_UP)
@reads_only
def follow_up(ctx: Ctx, _: Any) -> None:
    """Staff: approved ideas and those under way, with the button for the next step. Others: their own."""
    if _answered_with_mine(ctx):
        return
    found = ideas.follow_up(ctx.session)
    if not found:
        ctx.reply(replies.text(NOTHING_TO_FOLLOW, quick=[replies.quick_message("โครงการรอตรวจ")]))
        return
    _staff_cards(ctx, found, "ติดตามผล", FOLLOW_UP_LEAD.format(n=len(found)),
                 f"โครงการที่อนุมัติแล้ว {len(found)} เรื่อง")


FOLLOW_UP_ASKED = (r"(?:ตอนนี้\s*)?(?:ยัง\s*)?(?:มี\s*)?โครงการ\s*(?:ที่)?\s*(?:อนุมัติ(?:แล้ว)?|(?:กำลัง|ระหว่าง)\s*ดำเนินการ)"
                   rf"\s*(?:อยู่\s*)?{_HOW_MANY}\s*(?:คะ|ค่ะ|ครับ|จ้า|จ๊ะ|นะ|เอ่ย)*")
""""โครงการที่อนุมัติแล้วมีกี่เรื่อง": it answered staff with their own ideas ("ยังไม่มีโครงการที่คุณเสนอไว้ค่ะ")."""


@on_command(FOLLOW_UP_ASKED)
@reads_only
def follow_up_asked(ctx: Ctx, _: Any) -> None:
    """Staff: how many ideas are approved or under way, and the way to see them. Others: their own ideas."""
    if _answered_with_mine(ctx):
        return
    found = ideas.follow_up(ctx.session)
    if not found:
        ctx.reply(replies.text(NOTHING_TO_FOLLOW, quick=idea_flow.staff_idea_lists()))
        return
    approved = sum(1 for idea in found if idea.status == "approved")
    parts = [f"อนุมัติแล้ว {approved}" if approved else "",
             f"กำลังดำเนินการ {len(found) - approved}" if approved < len(found) else ""]
    ctx.reply(replies.text(FOLLOW_UP_COUNT.format(n=len(found), parts=" · ".join(p for p in parts if p)),
                           quick=[replies.quick_message("ดูโครงการที่อนุมัติ", "โครงการที่อนุมัติแล้ว"),
                                  replies.quick_message("เมนู")]))


REPORT_COMMAND = (r"(?:(?:📊\s*)?(?:ขอ\s*)?(?:ดู\s*)?(?:สรุป|รายงาน)\s*(?:ผล\s*)?โครงการ\s*(?:ชุมชน|ทั้งหมด|ทั้งเขต)?"
                  r"|one\s*report)\s*(?:หน่อย)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")


@on_command(REPORT_COMMAND)
@reads_only
def one_report(ctx: Ctx, _: Any) -> None:
    """Staff: the One Report summary (counts by status, baht granted per fund, people reached). Others: their own."""
    if _answered_with_mine(ctx):
        return
    text = idea_report.report_text(idea_report.one_report(ctx.session), ctx.now)
    ctx.reply(replies.text(text, quick=idea_flow.staff_idea_lists()))


IDEA_BY_NUMBER = (r"(?:ขอ\s*)?(?:ดู|ติดตาม|สถานะ)?\s*โครงการ\s*(?:ที่|เลขที่|หมายเลข)?\s*#?\s*(?P<no>[0-9๐-๙]{1,9})"
                  r"\s*(?:ถึงไหนแล้ว|เป็นยังไงบ้าง|หน่อย)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")
"""'โครงการ 12', 'ติดตามโครงการ 15' ('ติดตามโครงการ' with a number showed one's own ideas instead)."""


@on_command(IDEA_BY_NUMBER)
@reads_only
def idea_by_number(ctx: Ctx, match: re.Match[str]) -> None:
    """'โครงการ 12': staff see its card with its buttons and timeline; a submitter sees their own idea, and a
    leader an idea of their community (with the endorse button)."""
    if ctx.user is None:
        return
    number = int(match.group("no").translate(THAI_DIGITS))
    idea = ctx.session.get(Idea, number)
    if ctx.user.is_staff:
        if idea is None:
            ctx.reply(replies.text(IDEA_NOT_FOUND.format(no=number), quick=[replies.quick_message("โครงการรอตรวจ")]))
            return
        card = ideas.staff_card(ctx.session, idea, heading=f"โครงการเลขที่ {idea.id}",
                                more=_timeline_lines(ctx, idea), links=idea_photos.links_for(ctx.settings))
        ctx.reply(replies.flex(card["altText"], card["contents"], quick=idea_flow.staff_idea_lists()))
        return
    if idea is not None and idea.user_id == ctx.user.id:
        ctx.reply(replies.carousel(f"โครงการเลขที่ {idea.id}", [_my_idea_bubble(ctx, idea)], quick=_quick_mine()))
        return
    if (idea is not None and ctx.user.role == "leader" and idea.community_id == ctx.user.community_id
            and idea.status != "withdrawn"):  # a leader's own community: the card they endorse from
        if idea.status in ideas.ENDORSABLE_STATUSES and idea.endorsed_at is None:
            _remember_idea_shown(ctx, idea)  # "รับรองโครงการนี้" next
        ctx.reply(replies.carousel(f"โครงการเลขที่ {idea.id}", [_community_bubble(ctx, idea)], quick=_quick_mine()))
        return
    ctx.reply(replies.text(NOT_YOURS.format(no=number), quick=_quick_mine()))


TYPED_MOVES = {"รับพิจารณา": "under_review", "อนุมัติ": "approved", "ไม่อนุมัติ": "rejected", "ปฏิเสธ": "rejected",
               "ขอให้แก้ไข": "needs_revision", "ขอให้แก้": "needs_revision", "ให้แก้ไข": "needs_revision",
               "ส่งกลับให้แก้ไข": "needs_revision", "ส่งกลับไปแก้ไข": "needs_revision", "ขอให้ปรับแก้": "needs_revision",
               "ขอให้ปรับปรุง": "needs_revision",
               "เริ่มดำเนินการ": "in_progress", "เริ่ม": "in_progress", "ปิด": "completed", "เสร็จสิ้น": "completed"}
"""The card's buttons as staff type them with the idea's number ("อนุมัติโครงการ 17")."""
SAID_AFTER = ("ไม่อนุมัติ", "อนุมัติ", "ปฏิเสธ", "ขอให้แก้ไข", "ขอให้แก้", "ให้แก้ไข", "ส่งกลับให้แก้ไข", "ส่งกลับไปแก้ไข",
              "ขอให้ปรับแก้", "ขอให้ปรับปรุง", "รับพิจารณา", "เริ่มดำเนินการ")
"""The verbs said after the number ("โครงการ 14 ขอให้แก้ไขค่ะ …"): not "เริ่ม" or "ปิด" alone, too loose there."""
_NOT_A_QUESTION = r"(?!.*(?:หรือยัง|หรือเปล่า|รึยัง|ไหม|มั้ย|\?))"
_IDEA_NO = r"โครงการ\s*(?:ที่|เลขที่|หมายเลข)?\s*#?\s*(?P<no>[0-9๐-๙]{1,9})"
_POLITE = r"(?:\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ|ให้|หน่อย|ด้วย|เลย))*"
MOVE_TYPED = (_NOT_A_QUESTION + r"(?P<verb>" + "|".join(sorted(TYPED_MOVES, key=len, reverse=True)) + r")\s*"
              + _IDEA_NO + r"\s*(?P<rest>.*)")
"""'อนุมัติโครงการ 17', 'ไม่อนุมัติโครงการ 16 ค่ะ ซ้ำกับธนาคารขยะที่มีอยู่แล้ว': the rest is the reason."""
MOVE_TYPED_AFTER = (_NOT_A_QUESTION + r"(?:ขอ\s*)?" + _IDEA_NO + r"\s*(?:นี้)?" + _POLITE + r"\s*(?P<verb>"
                    + "|".join(sorted(SAID_AFTER, key=len, reverse=True)) + r")\s*(?P<rest>.*)")
"""'โครงการ 14 ขอให้แก้ไขค่ะ ระบุสถานที่ให้ชัด': the number first (it was "ยังไม่แน่ใจ")."""
STAFF_EDIT = re.compile(r"(?:ขอ\s*)?(?:ให้\s*)?แก้(?:ไข)?\s*" + _IDEA_NO + r"\s*(?P<rest>.*)")
"""'ขอแก้ไขโครงการ 15 ค่ะ ขอรายละเอียดงบ' from staff: asking for a revision (the rest is the reason)."""
_COMMAND_LEFTOVER = re.compile(r"^(?:ให้|ว่า|เรื่อง)\s*")
"""The command's own words before its reason ("ขอให้แก้ไขโครงการ 14 ให้ระบุสถานที่")."""


def reason_said(rest: str | None) -> str | None:
    """What staff said besides the command: the reason for the submitter (None when only polite words)."""
    reason = reason_text(rest)
    while reason and _COMMAND_LEFTOVER.match(reason):
        reason = reason_text(_COMMAND_LEFTOVER.sub("", reason, count=1))
    reason = TITLE_TAIL.sub("", reason).strip() if reason and len(reason) > 12 else reason
    return reason_text(reason)


@on_command(MOVE_TYPED, staff_only=True)
def staff_move_typed(ctx: Ctx, match: re.Match[str]) -> None:
    """As tapping the button on the idea's card, from the status it has now (typed used to get "my ideas"),
    with what else was said as the reason (asked to confirm before anything moves)."""
    params = {"id": match["no"].translate(THAI_DIGITS), "to": TYPED_MOVES[match["verb"]]}
    rest, more = match["rest"], ANOTHER_IDEA.match(match["rest"] or "")
    if more:  # "อนุมัติโครงการ 15 และ 12": 15 now, 12 offered next (12 was dropped)
        rest = rest[more.end():]
    reason = reason_said(rest)
    before = len(ctx.out)
    staff_move(ctx, {**params, "reason": reason} if reason else params)
    if more:
        keep_next(ctx, f"{match['verb']}โครงการ {more['no'].translate(THAI_DIGITS)}", before)


ANOTHER_IDEA = re.compile(r"\s*(?:และ|กับ|แล้วก็|แล้ว|,|&)\s*(?:โครงการ\s*)?(?:ที่|เลขที่)?\s*#?\s*(?P<no>[0-9๐-๙]{1,9})(?![0-9๐-๙])")
"""A second idea's number right after the first ("อนุมัติโครงการ 15 และ 12")."""


@on_command(MOVE_TYPED_AFTER, staff_only=True)
@for_residents(idea_by_number)
def staff_move_typed_after(ctx: Ctx, match: re.Match[str]) -> None:
    """'โครงการ 14 ขอให้แก้ไขค่ะ …': as staff_move_typed; someone else sees the idea, as "โครงการ 14"."""
    staff_move_typed(ctx, match)


@on_command(STAFF_EDIT.pattern, staff_only=True)
@for_residents(words_for_residents)
def staff_edit_with_reason(ctx: Ctx, match: re.Match[str]) -> None:
    """'ขอแก้ไขโครงการ 14 ค่ะ ช่วยระบุงบให้ชัดและจำนวนผู้สูงอายุ' from staff, its reason longer than `edit_typed`
    reads: as `edit_typed` (it went to the sign-ups); anyone else's words are read as before."""
    edit_typed(ctx, match)


DONE_TYPED = (r"(?:โครงการ|ไอเดีย)\s*(?:ที่|เลขที่)?\s*#?\s*(?P<no>[0-9๐-๙]{1,9})\s*"
              r"(?:ก็)?\s*(?:เสร็จ(?:สิ้น)?|จบ|ทำเสร็จ|ดำเนินการเสร็จ(?:สิ้น)?)\s*(?:แล้ว)?\s*(?:นะ)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")


@on_command(DONE_TYPED)
def done_typed(ctx: Ctx, match: re.Match[str]) -> None:
    """Staff: "โครงการ 14 เสร็จแล้วค่ะ" is "ปิดโครงการ 14" (it answered "ยังไม่มีโครงการที่คุณเสนอไว้").
    Others: the idea, as "โครงการ 14" (only staff close a project)."""
    if ctx.user is not None and ctx.user.is_staff:
        staff_move(ctx, {"id": match["no"].translate(THAI_DIGITS), "to": "completed"})
    else:
        idea_by_number(ctx, match)


@on_postback("idea.move")
def staff_move(ctx: Ctx, params: dict[str, str]) -> None:
    if ctx.user is None or not ctx.user.is_staff:
        ctx.reply(replies.text(STAFF_ONLY))
        return
    to = params.get("to", "")
    try:
        idea_id = int(params.get("id", "0"))
    except ValueError:
        idea_id = 0
    idea = ideas.get_idea(ctx.session, idea_id)
    frm = params.get("frm") or None
    if frm is not None and idea.status != frm:
        raise ServiceError("idea_changed", ideas.changed_message(idea))
    rule = ideas.transition(idea.status, to)
    reason = params.get("reason") or None  # typed with the command: confirmed before the move
    # A refusal or a revision asks the reason; an approval asks the funding, a completion the results; every
    # move is confirmed before the submitter is told (one rule: nothing is pushed to a resident unconfirmed).
    flow = None if rule is None else "idea_reason" if rule.needs_reason else idea_flow.MOVE_FLOWS.get(
        to, idea_flow.IdeaMoveConfirmFlow.name)
    if flow is not None:
        current = engine.active_flow(ctx)
        data = {"id": str(idea.id), "to": to, "frm": frm or idea.status}
        if current is not None:
            engine.ask_switch(ctx, current, postback.encode_kept("idea.move", **data, reason=reason))
            return
        if reason:
            data.update({"reason": reason, "typed_reason": "1"} if flow == "idea_reason" else
                        {"reason": reason} if flow == idea_flow.IdeaMoveConfirmFlow.name else {"typed_note": reason})
        engine.start(ctx, flow, data, confirm_switch=False)
        return
    moved = ideas.move(ctx.session, idea, ctx.user, to, expected_from=frm, now=ctx.now, reason=reason)
    ctx.reply(idea_flow.moved_reply(moved))
