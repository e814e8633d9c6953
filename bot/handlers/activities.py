"""Activities in chat: browse (Flex carousel), details, sign up, my sign-ups, cancel; staff commands.

Staff command formats (typed in chat; fields separated by "|"; dates Bangkok time, Thai or Western year):
  เพิ่มกิจกรรม ชื่อ | 5/12/2569 09:00-11:00 | สถานที่ | จำนวนที่นั่ง [| ชื่อชุมชน]
  เลื่อนกิจกรรม 12 | 6/12/2569 13:00-15:00 [| สถานที่ใหม่]
  ยกเลิกกิจกรรม 12 [| เหตุผล]
  เช็คอิน ABC346            รายชื่อผู้สมัคร 12            คำสั่งกิจกรรม (this help)
  เช็คอินย้อนหลัง ABC346    (after the activity, from a paper sheet; alone: one code after another)
Publish, reschedule and cancel show a summary and wait for "ยืนยัน" before anything changes.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, Response, abort
from sqlalchemy import select

import bot.flows.activity  # noqa: F401 - registers the activity flows
import bot.flows.activity_new  # noqa: F401 - registers staff's step-by-step new activity
from bot import postback, replies, texts
from bot.context import Ctx
from bot.dispatcher import (
    at_free_text,
    for_residents,
    journey_when,
    on_command,
    on_intent,
    on_postback,
    on_unsure,
    one_to_one,
    reads_only,
    starts_flow,
)
from bot.flows import engine
from bot.handlers.activity_words import ChangeSaid, change_said, fee_said, hours_spelled, shift_said
from bot.services import activities as svc
from bot.services import checkin, communities, outbox
from bot.services.communities import CommunityLike
from bot.services.errors import ServiceError
from bot.textmatch import best_contained, best_named, pair_overlap
from bot.thaidate import (
    BKK,
    THAI_DIGITS,
    ambiguous_year,
    format_date,
    format_datetime,
    format_span,
    no_such_day,
    to_bkk,
)
from nlp.dates import PARTS_OF_DAY, part_of_day
from nlp.normalize import reason_text
from storage.models import Activity, Signup

COLOR = "#1DB446"
MAX_CARDS = 11  # the 12th card is "ดูเพิ่มเติม"

LIST_EMPTY = "ยังไม่มีกิจกรรมที่เปิดรับสมัครในช่วงนี้ค่ะ ไว้แวะมาดูใหม่นะคะ"
LIST_EMPTY_FILTERED = "ยังไม่มีกิจกรรม{what}ค่ะ ลองดูกิจกรรมทั้งหมดไหมคะ"
LIST_NEAREST = "ยังไม่มีกิจกรรม{what}ค่ะ กิจกรรมที่ใกล้ที่สุดมีดังนี้นะคะ"
LIST_LEAD = "กิจกรรม{what} มี {n} รายการค่ะ เลื่อนดูแล้วกด “สมัคร” ได้เลยนะคะ"
LIST_LEAD_ONE = "กิจกรรม{what} มี 1 รายการค่ะ กด “สมัคร” ได้เลยนะคะ"
LIST_LEAD_MORE = "กิจกรรม{what} มีมากกว่า {n} รายการค่ะ เลื่อนดูแล้วกด “สมัคร” ได้เลยนะคะ"
PICK_LEAD = "อยากสมัครกิจกรรมไหนคะ เลือกจากรายการแล้วกด “สมัคร” ได้เลยค่ะ"
ASK_PARTY = "“{title}”\nไปกี่คนคะ (รวมตัวคุณเองด้วย) เลือกหรือพิมพ์ตัวเลขได้เลยค่ะ"
SUCCESS = "ลงทะเบียนสำเร็จค่ะ 🎉\n“{title}”\n{when}\nจำนวน {n} คน\nรหัสเช็คอิน: {code}\nแสดงรหัสนี้กับเจ้าหน้าที่ที่หน้างานนะคะ"
WAITLISTED = ("{why} คุณอยู่ในรายชื่อสำรองลำดับที่ {pos}\n“{title}”\n{when}\n"
              "ถ้ามีที่ว่าง จะแจ้งทันทีนะคะ")
FULL = "ตอนนี้ที่นั่งเต็มแล้วค่ะ"
TOO_FEW = "ตอนนี้เหลือ {left} ที่ ไม่พอสำหรับ {n} คนค่ะ"
PROMOTED = ("ได้ที่นั่งแล้วค่ะ 🎉 รหัสเช็คอิน: {code}\n{when}\nแสดงรหัสนี้กับเจ้าหน้าที่ที่หน้างานนะคะ "
            "หากไปไม่ได้ กรุณายกเลิกเพื่อให้คนอื่นได้ที่นั่งนะคะ")
SIGNED_UP_IN_GROUP = "ลงทะเบียน{who}สำเร็จค่ะ 🎉\n“{title}”\n{when}\nจำนวน {n} คน\n{code}"
CODE_PUSHED = "ส่งรหัสเช็คอินไปที่แชตส่วนตัวกับ “ร่วมกัน” แล้วนะคะ 🔒"
CODE_NOT_PUSHED = ("รหัสเช็คอินเป็นข้อมูลส่วนตัว จึงไม่แสดงในกลุ่มค่ะ 🔒 เพิ่ม “ร่วมกัน” เป็นเพื่อน "
                   "แล้วพิมพ์ “รหัสเช็คอินของฉัน” ในแชตส่วนตัวได้เลยนะคะ")
CODE_IN_ONE_TO_ONE = "รหัสเช็คอินดูได้ในแชตส่วนตัวกับ “ร่วมกัน” นะคะ 🔒 (พิมพ์ “รหัสเช็คอินของฉัน”)"
MINE_EMPTY = "ตอนนี้คุณยังไม่ได้สมัครกิจกรรมไหนค่ะ ดูกิจกรรมที่จะมาถึงได้เลยนะคะ"
STAFF_HELP = (
    "คำสั่งกิจกรรมสำหรับเจ้าหน้าที่ค่ะ (คั่นแต่ละช่องด้วย | )\n"
    "• เพิ่มกิจกรรม (คำเดียว แล้วตอบทีละข้อ) หรือ เพิ่มกิจกรรม ชื่อ | 5/12/2569 09:00-11:00 | สถานที่ | จำนวนที่นั่ง [| ชื่อชุมชน]\n"
    "  (วันเวลาพิมพ์แบบพูดก็ได้ เช่น “เสาร์นี้ 9 โมง ถึง 11 โมง”; หรือ “เพิ่มกิจกรรม โยคะ 5 ธ.ค. 7 โมง” แล้วตอบข้อที่เหลือ)\n"
    "  ก่อนยืนยันแก้ได้เลย เช่น “แก้ชื่อเป็น …”, “แก้สถานที่เป็น …”, “เปลี่ยนจำนวนรับเป็น 30 คน”\n"
    "• เลื่อนกิจกรรม 12 | 6/12/2569 13:00-15:00 [| สถานที่ใหม่] (ใส่แค่วัน หรือแค่เวลาก็ได้ ที่เหลือคงเดิม)\n"
    "  หรือเลื่อนไปเท่าไร เช่น “เลื่อนกิจกรรม 12 ออกไป 1 ชั่วโมง”, “… เร็วขึ้นครึ่งชั่วโมง”, “… ไปอีก 1 สัปดาห์”\n"
    "• แก้กิจกรรม 12 | ที่นั่ง 40 | สถานที่ ลานวัด | ปิดรับสมัคร 28 ธ.ค. 18:00 | ค่าสมัคร 20 บาท (หรือ ฟรี) | ชื่อ … "
    "(ใส่เฉพาะที่จะแก้)\n"
    "• ปิดรับสมัครกิจกรรม 12 (ปิดเลย หรือใส่วันเวลา เช่น “ปิดรับสมัครกิจกรรม 12 | 28 ธ.ค. 18:00”)\n"
    "• ยกเลิกกิจกรรม 12 [| เหตุผล]\n"
    "• เช็คอิน ABC346 (หรือพิมพ์ “เช็คอิน” แล้วใส่รหัสทีละรหัสที่หน้างาน)\n"
    f"• เช็คอินย้อนหลัง ABC346 (บันทึกผู้มาร่วมจากใบลงชื่อ ภายใน {svc.LATE_CHECKIN_DAYS} วันหลังกิจกรรม)\n"
    "• รายชื่อผู้สมัคร 12 หรือ “กิจกรรม 12 มีคนสมัครกี่คน”\n"
    "เลขกิจกรรมดูได้จากการ์ดกิจกรรม (#12) ค่ะ"
)


# --- small helpers -------------------------------------------------------------------------------

def _role(ctx: Ctx) -> str | None:
    return ctx.user.role if ctx.user else None


def _is_staff(ctx: Ctx) -> bool:
    return bool(ctx.user and ctx.user.is_staff)


def problem(ctx: Ctx, message: str) -> dict[str, Any]:
    return texts.menu(_role(ctx), message)


def _activity_quick(ctx: Ctx) -> list[dict[str, Any]]:
    return [replies.quick_message("ดูกิจกรรม", "กิจกรรม"),
            replies.quick_postback("ที่ฉันสมัครไว้", postback.encode("activity.mine"), "ที่ฉันสมัครไว้"),
            replies.quick_message("เมนู")]


def _seats_line(activity: Activity, taken: int) -> str:
    """Seats left, or that the activity is cancelled (it counted seats of a cancelled activity as still open)."""
    if activity.status == "cancelled":
        return "❌ กิจกรรมนี้ยกเลิกแล้ว"
    left = activity.capacity - taken
    if left <= 0:
        return "👥 เต็มแล้ว · ยังรับรายชื่อสำรองค่ะ"
    return f"👥 เหลือ {left} ที่ (จาก {activity.capacity})"


def _fee_line(activity: Activity) -> str | None:
    """'💰 ฟรี', '💰 ค่าสมัคร 50 บาท'; None when the activity does not say (nothing is shown then)."""
    said = svc.fee_text(activity.fee_baht)
    return f"💰 {said}" if said else None


def _closed(activity: Activity, now: datetime) -> bool:
    return activity.signup_deadline is not None and activity.signup_deadline <= now


def _when_lines(activity: Activity) -> list[str]:
    s, e = to_bkk(activity.starts_at), to_bkk(activity.ends_at)
    if s.date() == e.date():
        when = [f"📅 {format_date(s)}", f"⏰ {s:%H:%M}–{e:%H:%M} น."]
    else:
        when = [f"📅 {format_span(s, e)}"]
    if activity.place:
        when.append(f"📍 {activity.place}")
    return when


# --- cards ---------------------------------------------------------------------------------------

def activity_bubble(ctx: Ctx, activity: Activity, taken: int, mine: Signup | None,
                    party: int | None = None, detail_button: bool = True) -> dict[str, Any]:
    lines: list[Any] = _when_lines(activity)
    lines.append(_seats_line(activity, taken))
    fee = _fee_line(activity)
    if fee:
        lines.append(fee)
    actions = [replies.act_postback("รายละเอียด", postback.encode("activity.detail", id=activity.id),
                                    f"ขอดูรายละเอียด {activity.title}")] if detail_button else []
    if mine is not None and mine.status in svc.ACTIVE:
        status = "✅ คุณสมัครแล้ว" if mine.status == "confirmed" else "⏳ คุณอยู่ในรายชื่อสำรอง"
        lines.append(replies.ftext(status, color=COLOR, weight="bold"))
        actions.insert(0, replies.act_postback("ดูการสมัครของฉัน", postback.encode("activity.mine"), "ที่ฉันสมัครไว้"))
    elif _closed(activity, ctx.now):
        lines.append(replies.ftext("ปิดรับสมัครแล้ว", color="#999999"))
    else:
        if activity.signup_deadline is not None:
            lines.append(replies.ftext(f"ปิดรับสมัคร {format_datetime(activity.signup_deadline)}", size="xs",
                                       color="#888888"))
        actions.insert(0, replies.act_postback(
            "สมัคร", postback.encode("activity.signup", id=activity.id, n=party), f"สมัคร {activity.title}"))
    if _is_staff(ctx):
        lines.append(replies.ftext(f"รหัสกิจกรรม #{activity.id}", size="xs", color="#888888"))
        actions.append(replies.act_postback("รายชื่อผู้สมัคร", postback.encode("activity.people", id=activity.id),
                                            f"รายชื่อผู้สมัคร {activity.id}"))
    return replies.bubble(activity.title, lines, actions,
                          subtitle=communities.name_or_district(ctx.session, activity.community_id), color=COLOR)


def _more_bubble(params: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "bubble", "size": "kilo",
        "body": replies.fbox([replies.ftext("ยังมีกิจกรรมอีกค่ะ", size="md", weight="bold", align="center")],
                             justifyContent="center", paddingAll="20px"),
        "footer": replies.fbox([replies.fbutton(replies.act_postback(
            "ดูเพิ่มเติม", postback.encode("activity.list", **params), "ดูกิจกรรมเพิ่มเติม"), color=COLOR)]),
    }


def _my_map(ctx: Ctx, ids: list[int]) -> dict[int, Signup]:
    if ctx.user is None or not ids:
        return {}
    rows = ctx.session.scalars(select(Signup).where(Signup.user_id == ctx.user.id, Signup.activity_id.in_(ids)))
    return {r.activity_id: r for r in rows}


def _filter_words(start: date | None, end: date | None, community: CommunityLike | None,
                  topic: str | None, group: str | None = None, part: str | None = None) -> str:
    parts = []
    if start and end:
        parts.append(f"วันที่ {format_date(start)}" if start == end else
                     f"ช่วง {format_date(start)} ถึง {format_date(end)}")
    if part in PARTS_OF_DAY:
        parts.append(PARTS_OF_DAY[part][0])
    if community is not None:
        parts.append(f"ของ{community.name}")
    if topic:
        from bot.services.ideas import topic_short  # "ออกกำลังกาย": not "กิจกรรมเรื่องกิจกรรมทางกาย…"

        parts.append(f"เรื่อง{topic_short(topic)}")
    if group:
        parts.append(f"สำหรับ{svc.reference_names('target_groups').get(group, group)}")
    if not parts:
        return "ที่จะมาถึง"
    said = " " + " ".join(parts)
    return said + " " if said[-1].isdigit() else said  # "…2569 ค่ะ", but "…เยาวชนค่ะ"


def show_list(ctx: Ctx, *, start: date | None = None, end: date | None = None, community: CommunityLike | None = None,
              topic: str | None = None, offset: int = 0, party: int | None = None, lead: str | None = None,
              group: str | None = None, part: str | None = None) -> None:
    """The carousel of upcoming activities (filtered), with a line saying what was searched."""
    window = None
    if start and end:
        window = (datetime.combine(start, time(0), tzinfo=BKK), datetime.combine(end + timedelta(days=1), time(0),
                                                                                 tzinfo=BKK))
    part = part if part in PARTS_OF_DAY else None
    rows = svc.upcoming(ctx.session, ctx.now, date_range=window, community=community, topic=topic,
                        limit=MAX_CARDS + 1, offset=offset, target_group=group, part_of_day=part)
    what = _filter_words(start, end, community, topic, group, part)
    filtered = bool(window or community or topic or group or part)
    if not rows:
        if (window or part) and not (community or topic or group or offset):  # nothing on that day: show the nearest ones
            if svc.upcoming(ctx.session, ctx.now, limit=1):
                show_list(ctx, party=party, lead=LIST_NEAREST.format(what=what))
                return
        if filtered:
            ctx.reply(replies.text(LIST_EMPTY_FILTERED.format(what=what), quick=[
                replies.quick_postback("ดูทั้งหมด", postback.encode("activity.list"), "ดูกิจกรรมทั้งหมด"),
                replies.quick_message("เมนู")]))
        else:
            ctx.reply(texts.menu(_role(ctx), LIST_EMPTY))
        return
    if lead == PICK_LEAD and len(rows) == 1 and not offset:  # a list of one is no choice: that one
        engine.start(ctx, "activity_signup", {"activity_id": rows[0].id, "party": party})
        return
    more = len(rows) > MAX_CARDS
    rows = rows[:MAX_CARDS]
    shown_filter = {"d1": start.isoformat() if start else None, "d2": end.isoformat() if end else None,
                    "c": community.id if community else None, "t": topic, "g": group, "p": part}
    if filtered or len(rows) == 1:
        _remember_seen(ctx, [a.id for a in rows], {k: v for k, v in shown_filter.items() if v} if filtered else None)
    else:  # the whole list: nothing to remember (and no write), only what an earlier card said to forget
        engine.forget(ctx, "seen")
    taken = svc.seats_taken_map(ctx.session, [a.id for a in rows])
    mine = _my_map(ctx, [a.id for a in rows])
    bubbles = [activity_bubble(ctx, a, taken[a.id], mine.get(a.id), party) for a in rows]
    if more:
        params = {**shown_filter, "o": offset + MAX_CARDS, "n": party}
        bubbles.append(_more_bubble(params))
    quick = [replies.quick_message("เสาร์นี้", "กิจกรรมเสาร์นี้"),
             replies.quick_message("อาทิตย์หน้า", "กิจกรรมอาทิตย์หน้า")]
    if ctx.user is not None and ctx.user.community_id and community is None:
        quick.append(replies.quick_postback("ชุมชนของฉัน", postback.encode("activity.list", c=ctx.user.community_id),
                                            "กิจกรรมในชุมชนของฉัน"))
    if filtered:
        quick.append(replies.quick_postback("ดูทั้งหมด", postback.encode("activity.list"), "ดูกิจกรรมทั้งหมด"))
    quick += [replies.quick_postback("ที่ฉันสมัครไว้", postback.encode("activity.mine"), "ที่ฉันสมัครไว้"),
              replies.quick_message("เมนู")]
    count = f"มากกว่า {len(rows)}" if more else str(len(rows))
    said_lead = LIST_LEAD_MORE if more else LIST_LEAD_ONE if len(rows) == 1 else LIST_LEAD
    ctx.reply(replies.text(lead or said_lead.format(what=what.strip() if filtered else "ที่จะมาถึง", n=len(rows))),
              replies.carousel(f"กิจกรรม{what.rstrip()} {count} รายการ", bubbles, quick=quick))


def _entities(arg: Any) -> tuple[dict[str, Any], str | None]:
    """What the message asked for, and the topic to filter by: only one it names with a keyword (a
    guessed topic would hide every other activity without the person asking for it)."""
    topic = getattr(arg, "topic", None) if getattr(arg, "topic_named", False) else None
    return dict(getattr(arg, "entities", None) or {}), topic


def _dates(entities: dict[str, Any]) -> tuple[date | None, date | None]:
    rng = entities.get("date_range")
    try:
        if rng:
            return date.fromisoformat(rng[0]), date.fromisoformat(rng[1])
        if entities.get("date"):
            day = date.fromisoformat(entities["date"])
            return day, day
    except (TypeError, ValueError, IndexError):
        pass
    return None, None


# --- browsing ------------------------------------------------------------------------------------

@on_command(r"(ดู)?กิจกรรม(ทั้งหมด)?|activities")
@reads_only
def list_command(ctx: Ctx, _: Any) -> None:
    show_list(ctx)


def _list_starts_journey(ctx: Ctx, _arg: Any) -> bool:
    """Read as the activity list, a sign-up or a head-count change still ("อยากไปรำไม้พลองค่ะ", "ขอเปลี่ยนเป็น 3 คน"),
    as `list_intent` reads them: a journey, not only the list."""
    said = ctx.text or ""
    party = bool(PARTY_WORDS.search(said) and re.search(r"คน|จำนวน", said))
    return party or bool(SIGNUP_WISH.search(said) and not CANCEL_WORDS.search(said) and not _ASKS_WHAT.search(said))


@on_intent("activity_list")
@journey_when(_list_starts_journey)
def list_intent(ctx: Ctx, arg: Any) -> None:
    entities, topic = _entities(arg)
    start, end = _dates(entities)
    said = ctx.text or ""
    if party_change_said(ctx, said) or named_signup_said(ctx, said, entities, topic):
        return  # "อยากไปตรวจมะเร็งเต้านมค่ะ": that one's sign-up, not the list of its topic
    if not (start or entities.get("community") or topic or entities.get("part_of_day")) \
            and named_activity_details(ctx, said):
        return  # "แอโรบิกยามเช้าจัดที่ไหน": that one's card, not the whole list
    community = communities.with_name(ctx.session, entities.get("community"))
    alike = _sharing_name(ctx, said, community)
    if alike:  # "กิจกรรมของชุมชนลาดพร้าว": which of them (it listed ลาดพร้าว 71's)
        which_community(ctx, community, alike)
        return
    show_list(ctx, start=start, end=end, community=community, topic=topic, group=group_named(said),
              part=entities.get("part_of_day"))


def _sharing_name(ctx: Ctx, said: str, community: CommunityLike | None) -> list[communities.CommunityInfo]:
    """The communities a message may mean by the name it gave ("ลาดพร้าว"), the most activities first."""
    if community is None:
        return []
    return communities.sharing_name(ctx.session, said, community, now=ctx.now, activities_first=True)


MAX_WHICH = replies.MAX_QUICK_ITEMS - 2
"""Chips for the communities sharing a name, beside "กิจกรรมทั้งหมด" and "เมนู"."""


def which_community(ctx: Ctx, community: CommunityLike, alike: list[communities.CommunityInfo],
                    party: int | None = None) -> None:
    """Ask which of the communities sharing a name, a chip for each one's activities (most activities
    first); "กิจกรรมทั้งหมด" for someone who meant the whole district (เขตลาดพร้าว)."""
    shown = alike[:MAX_WHICH]
    chips = [replies.quick_postback(communities.chip_label(c), postback.encode("activity.list", c=c.id, n=party),
                                    f"กิจกรรมของ{c.name}") for c in shown]
    note = communities.which_note(alike, len(shown), "ชุมชนที่ต้องการ", "กิจกรรม")
    lead = f"{communities.name_without_number(community.name)}มีหลายชุมชนค่ะ ดูกิจกรรมของชุมชนไหนคะ"
    ctx.reply(replies.text(f"{lead} {note}".strip(), quick=[
        *chips, replies.quick_message("กิจกรรมทั้งหมด", "กิจกรรม"), replies.quick_message("เมนู")]))


_ASKS_FOR_ACTIVITIES = re.compile(r"มี\s*(?:อะ)?ไร(?!เดอร์)|ทำ\s*(?:อะ)?ไร|กิจกรรม|ไปไหน|เข้าร่วม|(?:อะ)?ไร\s*(?:บ้าง|มั่ง|มั้ง)")
"""Asking what is on, casually too: "มีอะไรให้ทำบ้าง", "มีไรมั่ง", "ว่างไหม มีอะไรบ้าง"."""


def group_named(text: str) -> str | None:
    """The target group a message names ("กิจกรรมสำหรับผู้สูงอายุ" → elderly), if exactly one."""
    return svc.target_group_in(text)


def group_activities_asked(ctx: Ctx, text: str) -> bool:
    """"มีอะไรให้ผู้สูงอายุทำบ้าง", "เย็นๆ มีอะไรให้ทำบ้าง", "พรุ่งนี้เช้ามีอะไรให้ทำบ้างคะ": the activities for that
    group, day or part of the day (the model reads them as asking for help; the day was dropped)."""
    from nlp.entities import parse_date_range

    plain = text.translate(THAI_DIGITS)
    group, part, days = group_named(text), part_of_day(plain), parse_date_range(plain, ctx.now)
    if (group is None and part is None and days is None) or not _ASKS_FOR_ACTIVITIES.search(text) \
            or CANCEL_WORDS.search(text):
        return False  # "ยกเลิกกิจกรรมพรุ่งนี้" is not a question
    start, end = days if days is not None else (None, None)
    show_list(ctx, start=start, end=end, group=group, part=part)
    return True


@on_postback("activity.list")
def list_postback(ctx: Ctx, args: dict[str, str]) -> None:
    offset = int(args["o"]) if (args.get("o") or "").isdigit() else 0
    party = int(args["n"]) if (args.get("n") or "").isdigit() else None
    show_list(ctx, offset=offset, party=party, **_list_filter(ctx, args))


def _list_filter(ctx: Ctx, args: dict[str, Any]) -> dict[str, Any]:
    """show_list's filters from a list's parameters (a "more" button's, or a list remembered)."""
    def _day(key: str) -> date | None:
        try:
            return date.fromisoformat(str(args[key])) if args.get(key) else None
        except ValueError:
            return None

    return {"start": _day("d1"), "end": _day("d2"), "community": communities.get(ctx.session, str(args.get("c") or "")),
            "topic": args.get("t") or None, "group": args.get("g") or None, "part": args.get("p") or None}


def _remember_seen(ctx: Ctx, ids: list[int], shown_filter: dict[str, Any] | None) -> None:
    """The activities just shown (a list, or one card) and the list's filter: "สมัครค่ะ" typed next is about
    them (it listed every upcoming activity)."""
    engine.remember(ctx, "seen", {"ids": ids, "filter": shown_filter})
    engine.forget(ctx, "mine_shown")
    if len(ids) == 1:  # one card: "ไปกี่โมงนะคะ" next is about it
        engine.remember(ctx, ASKED_ABOUT, ids)
    else:
        engine.forget(ctx, ASKED_ABOUT)


ASKED_ABOUT = "asked_about"
"""engine.remember key: the activities just shown as a card or as one's sign-ups, which a question without a
name ("ไปกี่โมงนะคะ") is about (activity_questions)."""


def _seen_recently(ctx: Ctx) -> tuple[list[int], dict[str, Any] | None]:
    seen = engine.recall(ctx, "seen") or {}
    return list(seen.get("ids") or []), seen.get("filter")


ABOUT_WORDS = re.compile(r"รายละเอียด|ข้อมูล|ดู|คือ|จัด|ที่ไหน|เมื่อไหร่|เมื่อไร|กี่โมง|ยังไง|อย่างไร|เวลา|สถานที่|"
                         r"บ้าง|อะไร|เป็น|แบบไหน")
"""Words that ask about something named ("ขอดูรายละเอียดรำไม้พลอง"), taken out before matching the name."""


def named_activity_details(ctx: Ctx, text: str) -> bool:
    """The details card of the one upcoming activity the message names by its title, if it clearly does."""
    if re.search(r"ธรรม\s*นู[ญน]|ทำมะนู[ญน]|หมวด|ข้อ\s*(?:ที่)?\s*[0-9๐-๙]", text):  # misspelt too
        return False
    said = ABOUT_WORDS.sub("", text)
    if not _name_query(said):
        return False  # nothing left to be a name ("มีกิจกรรมอะไรบ้าง"): no need to read the activities
    named = find_named_activity(ctx, said, svc.upcoming(ctx.session, ctx.now, limit=100))
    if named is None:
        return False
    detail(ctx, {"id": str(named.id)})
    return True


@on_postback("activity.detail")
def detail(ctx: Ctx, args: dict[str, str]) -> None:
    activity, taken, mine = svc.activity_seen_by(ctx.session, args.get("id"), ctx.user.id if ctx.user else None)
    _remember_seen(ctx, [activity.id], None)
    lines: list[Any] = []
    if activity.description:
        lines.append(replies.ftext(activity.description, color="#555555"))
    lines += _when_lines(activity)
    if activity.status != "cancelled":  # said once, at the top
        lines.append(_seats_line(activity, taken))
    fee = _fee_line(activity)
    if fee:
        lines.append(fee)
    if activity.target_group:
        group = svc.reference_names("target_groups").get(activity.target_group, activity.target_group)
        lines.append(f"🎯 เหมาะกับ: {group}")
    if activity.topic:
        lines.append(f"🏷 เรื่อง: {svc.reference_names('topics').get(activity.topic, activity.topic)}")
    if activity.signup_deadline is not None:
        lines.append(f"🗓 ปิดรับสมัคร {format_datetime(activity.signup_deadline)}")
    if _is_staff(ctx):
        lines.append(replies.ftext(f"รหัสกิจกรรม #{activity.id} (ใช้กับ “คำสั่งกิจกรรม”)", size="xs", color="#888888"))
    if activity.status == "cancelled":
        lines.insert(0, replies.ftext("กิจกรรมนี้ถูกยกเลิกแล้วค่ะ", color="#CC0000", weight="bold"))
    card = activity_bubble(ctx, activity, taken, mine, detail_button=False)
    card["size"] = "mega"
    card["body"] = replies.fbox([x if isinstance(x, dict) else replies.ftext(x) for x in lines],
                                spacing="sm", paddingAll="12px")
    if activity.status == "cancelled":
        card.pop("footer", None)
    ctx.reply(replies.flex(f"รายละเอียด {activity.title}", card, quick=_activity_quick(ctx)))


# --- signing up ----------------------------------------------------------------------------------

WHEN_WORDS = frozenset({"พรุ่งนี้", "มะรืน", "มะรืนนี้", "วันนี้", "เสาร์", "อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัส",
                        "พฤหัสบดี", "ศุกร์", "สุดสัปดาห์", "สัปดาห์", "เดือน", "นี้", "หน้า", "วัน", "เย็น", "เช้า",
                        "บ่าย", "ตอน", "ช่วง", "อัน"})
"""Day words said with a sign-up ("ขอสมัครรำไม้พลองเสาร์นี้"): the date filter has them, not the name."""
FILLER = frozenset({
    "ขอ", "ลงชื่อ", "ลง", "ชื่อ", "ลงทะเบียน", "สมัคร", "จอง", "อยาก", "ไป", "ร่วม", "เข้าร่วม", "กิจกรรม", "ด้วย",
    "หน่อย", "ได้", "ไหม", "มั้ย", "คน", "ท่าน", "ที่", "ค่ะ", "คะ", "ครับ", "นะ", "จ้า", "จ้ะ", "ฉัน", "ผม", "หนู", "เรา",
    "ดิฉัน", "ป้า", "ยาย", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า", "สิบ", "เดียว", "คนเดียว",
    "ทั้งหมด", "รวม", "แล้ว", "เลย", "จ๊ะ", "จ๋า", "นะคะ", "นะครับ", "ๆ", "มากกว่า", "ดีกว่า", "แทน",
    "อีก", "ที", "อีกที", "ครั้ง", "อีกครั้ง",
})
"""Words of a sign-up sentence that are no part of a name, taken out whole (a word, never letters inside one:
"โยคะ" kept its "คะ", "หน้ากาก" its "หน้", "สามี" its "สาม")."""
_TYPOS = ((re.compile(r"สมั[คก](?!ร)"), "สมัคร"),)
"""Common misspellings of the request words ("สมัคกิจกรรม…"), put right before the words are split."""
_KIN = "|".join(("ลูก", "หลาน", "เพื่อน", "พี่", "น้อง", "แม่", "พ่อ", "สามี", "ภรรยา", "ภริยา", "แฟน", "ยาย", "ตา", "ปู่",
                 "ย่า", "ป้า", "ลุง", "น้า", "อา", "ผู้ดูแล", "ครอบครัว", "ที่บ้าน"))
_COMPANIONS = re.compile(r"(?:ไป)?(?:กับ|กะ|พร้อมกับ|พร้อม|พา)(?=\s*(?:คุณ)?(?:" + _KIN + "))")
"""Where the ones going along begin ("…ไปกับสามีและลูกสาว"): nothing after it is a name."""
_ONE_KIN = r"(?:คุณ)?(?:ลูกสาว|ลูกชาย|หลานสาว|หลานชาย|แม่|พ่อ|สามี|ภรรยา|ภริยา|แฟน|ยาย|ตา|ปู่|ย่า|ป้า|ลุง|น้า|อา)"
FOR_SOMEONE = re.compile(r"(?:ให้|แทน)\s*(?P<who>" + _ONE_KIN + r")(?!\S*(?:ไป|ด้วย|กัน))")
"""'สมัครตรวจตาให้แม่ค่ะ': signing up on someone's behalf (she goes; whether the speaker goes too is asked)."""
TAKING = re.compile(r"พา\s*(?P<who>" + _ONE_KIN + r")\s*(?:ไป)?")
"""'อยากพาแม่ไปตรวจตาค่ะ': the speaker takes one person along (two go); the name comes after it."""
TAKING_ALONG = re.compile(r"พา\s*(?:คุณ)?(?:" + _KIN + r")\S{0,6}?\s*(?:ไป|มา)")
"""'ขอพาลูกไปตรวจฟัน', 'พาหลานสองคนไป…': the ones taken along, before the name (it read as where the companions
begin, and nothing after it as a name)."""
_AGE = re.compile(r"(?:" + _ONE_KIN + r")?\s*อายุ\s*[0-9๐-๙]+\s*(?:ปี)?")
"""'แม่อายุ78': said about who goes, no part of a name."""


def _words_of(text: str) -> list[str]:
    from nlp.features import words

    for typo, right in _TYPOS:
        text = typo.sub(right, text)
    for said_of_people in (_AGE, FOR_SOMEONE, TAKING, TAKING_ALONG):  # "…ให้แม่ แม่อายุ78", "พาแม่ไปตรวจตา": not the name
        text = said_of_people.sub(" ", text)
    text = _COMPANIONS.split(text, maxsplit=1)[0]
    return words(text.translate(THAI_DIGITS))


def _name_query(text: str) -> str:
    """What of a sentence could be an activity's name (filler and day words taken out), or "" if too little."""
    kept = [w for w in _words_of(text or "") if w not in FILLER and w not in WHEN_WORDS and not w.isdigit()]
    query = "".join(kept)
    return query if len("".join(query.split())) >= 3 else ""


def find_named_activity(ctx: Ctx, text: str, candidates: list[Activity], loose: bool = False) -> Activity | None:
    """The one activity a sentence clearly names ("ขอลงชื่อไปตรวจสุขภาพ 2 คน"), if any. `loose`: also one whose
    title the sentence contains a good part of, whatever else it says (a reason, a count, the one going along),
    for choosing among one's own sign-ups ("ยกเลิกโยคะค่ะ", where taking the filler out left "โย")."""
    query = _name_query(text)
    named = best_named(query, candidates, lambda activity: activity.title) if query else None
    if named is None and loose:
        named = best_contained(_NOT_A_NAME.sub("", text or ""), candidates, lambda activity: activity.title)
    head = before_reason(text or "") if loose and named is None else None
    if head:  # "ยกเลิกโยคะครับ ติดธุระ": the reason after the particle is no part of the name
        named = find_named_activity(ctx, head, candidates, loose=True)
    return named


_POLITE = frozenset({"ครับ", "ค่ะ", "คะ", "ค่า", "จ้า", "จ้ะ", "นะคะ", "นะครับ", "เพราะ", "เพราะว่า", "เนื่องจาก"})
"""A word after which a cancel or a change goes on with its reason ("ยกเลิกตรวจตาครับ ติดธุระ")."""


def before_reason(text: str) -> str | None:
    """The words before a polite particle (or "เพราะ") that more words follow: "โยคะครับ ติดธุระ" → "โยคะ";
    None when nothing follows one (the whole text is all there is)."""
    from nlp.features import words

    said = words(text)
    cut = next((i for i, word in enumerate(said[:-1]) if word in _POLITE and i > 0), None)
    return "".join(said[:cut]) if cut is not None else None


_NOT_A_NAME = re.compile(r"กิจกรรม|ยกเลิก|สมัคร|ลงชื่อ")
"""Words a sentence shares with many titles' neighbours, left out before looking for a title in it."""


def activities_named(text: str, candidates: list[Activity], threshold: float = 0.6,
                     margin: float = 0.15) -> list[Activity]:
    """Every activity a typed name may mean, in the candidates' order: those scoring within `margin` of the
    best (best_named's measure), so "ตรวจตา" finds the one eye check, and two of them (or one title on two
    days) are all returned to choose from."""
    query = _name_query(text)
    if not query:
        return []
    scores = [pair_overlap(query, activity.title) for activity in candidates]
    best = max(scores, default=0.0)
    if best < threshold:
        return []
    return [activity for activity, score in zip(candidates, scores, strict=True) if score > best - margin]


_MORE_PEOPLE = re.compile(r"อีก\s*(?:[0-9๐-๙]+|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)?\s*(?:คน|ท่าน)")
"""'…หลานอีก 2 คน' in a sign-up sentence: people beyond those named, not everyone ("หลานอีกคน": one)."""


GENERIC_NAMES = {"ตรวจสุขภาพ": "ตรวจ"}
"""A kind of activity said as if it were a name: every title with the stem may be meant ("ขอสมัครตรวจสุขภาพค่ะ"
went straight to “ตรวจสุขภาพไรเดอร์และหาบเร่” while a blood-pressure check and an eye check were also on)."""


def activities_meant(text: str, candidates: list[Activity]) -> list[Activity]:
    """The activities a sign-up sentence names: those matching the title about equally well, or, for a kind of
    activity ("ตรวจสุขภาพ"), every one of that kind."""
    query = _name_query(text)
    stem = GENERIC_NAMES.get(query)
    if stem is not None:
        return [a for a in candidates if stem in a.title]
    return activities_named(text, candidates)


def party_in_sentence(text: str, counted: Any = None) -> int | None:
    """How many go, from a sign-up sentence: the count read ("2 คน", "3 ท่าน"), or everyone from the companions
    named ("ไปกับสามีและลูกสาว" → 3, "ไปกับสามีและหลานอีก 2 คน" → 4); None when not said or unsure."""
    from bot.flows.activity import companions_said
    from nlp.entities import parse_count

    text = re.sub(r"PM\s*2[.,]5", "", text or "", flags=re.IGNORECASE)
    if TAKING.search(text) and not re.search(r"[0-9๐-๙]|คน|ท่าน|และ|กับ", TAKING.sub("", text)):
        return 2  # "อยากพาแม่ไปตรวจตาค่ะ": she and the one taken along
    if _MORE_PEOPLE.search(text):  # "ไปกับสามีและหลานอีก 2 คน" is 4, not 2 (unsure: asked)
        party = companions_said(text, speaker_first=False)
    else:
        party = counted if isinstance(counted, (int, float)) else parse_count(text.translate(THAI_DIGITS))
        if party is None:
            party = companions_said(text, speaker_first=False)
    return int(party) if party is not None and 1 <= party <= svc.MAX_PARTY else None


@on_intent("activity_signup")
def signup_intent(ctx: Ctx, arg: Any) -> None:
    from bot.handlers.activity_questions import fee_question

    if party_change_said(ctx, ctx.text or "") or more_going_said(ctx, ctx.text or ""):
        return  # "ขอเพิ่มคนไปด้วยอีกสองคน", "ลูกสาวจะไปด้วยค่ะ" with a sign-up already
    if fee_question(ctx, ctx.text or ""):
        return  # "ค่าสมัครเท่าไหร่คะ": what it costs, not a sign-up
    entities, topic = _entities(arg)
    sign_up_said(ctx, ctx.text or "", entities, topic)


def sign_up_said(ctx: Ctx, said: str, entities: dict[str, Any], topic: str | None) -> None:
    """A sign-up asked for in words: straight to the one activity it names (the day said narrows them, the
    people said are kept), a choice among the few it may mean, else the list to choose from."""
    start, end = _dates(entities)
    community = communities.with_name(ctx.session, entities.get("community"))
    alike = _sharing_name(ctx, said, community)
    party = party_in_sentence(said, entities.get("count"))
    window = None
    if start and end:
        window = (datetime.combine(start, time(0), tzinfo=BKK),
                  datetime.combine(end + timedelta(days=1), time(0), tzinfo=BKK))
    candidates = svc.upcoming(ctx.session, ctx.now, date_range=window, community=None if alike else community,
                              limit=100)
    if alike:  # "ขอสมัครกิจกรรมของชุมชนลาดพร้าว": an activity it names of any of them, else asked which
        named_ids = {c.id for c in alike}
        candidates = [a for a in candidates if a.community_id is None or a.community_id in named_ids]
        # the name they share is no activity's: "ลาดพร้าว" is not "เดินเร็วริมคลองลาดพร้าว"
        shared = communities.short_name(communities.name_without_number(community.name))
        said = re.sub(rf"(?:ชุมชน)?\s*{re.escape(shared)}", " ", said)
    meant = activities_meant(said, candidates)
    named = meant[0] if len(meant) == 1 else None
    if len(meant) > 1:
        show_choices(ctx, meant, party)
        return
    gone = activities_meant(said, svc.cancelled_upcoming(ctx.session, ctx.now)) if not meant else []
    if len({a.title for a in gone}) == 1:  # "สมัครโยคะยามเย็นค่ะ" after staff cancelled it: said, and ones alike
        show_instead_of_cancelled(ctx, gone[0], party)
        return
    if named is None and window and len(candidates) == 1:  # "ขอสมัครเสาร์นี้ 2 คน" and one thing that day
        named = candidates[0]
    if named is None and alike:  # it signed up from ลาดพร้าว 71's list, the first of them
        which_community(ctx, community, alike, party)
        return
    if named is None and not (window or community or topic):  # "สมัครค่ะ" after a card or a list
        seen, seen_filter = _seen_recently(ctx)
        still_open = [a for a in candidates if a.id in seen]
        if len(seen) == 1 and len(still_open) == 1:
            named = still_open[0]
        elif seen_filter:
            show_list(ctx, party=party, lead=PICK_LEAD, **_list_filter(ctx, seen_filter))
            return
    if named is not None and ctx.user is not None:  # "…กับหลาน2คน" signed up already: the two go along with me
        party = again_with(ctx, named, said, party)
    if named is not None:
        for_someone = FOR_SOMEONE.search(said) if party is None else None
        engine.start(ctx, "activity_signup", {"activity_id": named.id, "party": party,
                                              **({"for_whom": for_someone["who"]} if for_someone else {})})
        return
    show_list(ctx, start=start, end=end, community=community, topic=topic, party=party, lead=PICK_LEAD)


_ALONG_COUNTED = re.compile(r"(?:กับ|กะ|พา)\s*(?:คุณ)?(?:หลาน|ลูก|เพื่อน|น้อง|พี่)\S{0,4}?\s*"
                            r"(?P<n>[0-9๐-๙]{1,2}|สอง|สาม|สี่|ห้า)\s*(?:คน|ท่าน)")
"""'…กับหลาน2คน': that many going along (words that may be several people: not "กับแม่ 2 คน")."""


def again_with(ctx: Ctx, activity: Activity, said: str, party: int | None) -> int | None:
    """The party for a sign-up asked again with people going along ("อยากไปแอโรบิกพรุ่งนี้กับหลาน2คนค่ะ" signed up
    alone: 3, the two besides me); `party` when not signed up or no one is counted going along."""
    from bot.flows.activity import count_in

    row = svc.find_signup(ctx.session, ctx.user, activity.id)
    along = _ALONG_COUNTED.search(said)
    if row is None or row.status not in svc.ACTIVE or along is None:
        return party
    more = count_in(along["n"] + " คน")
    return min(1 + more, svc.MAX_PARTY) if more else party


_JOINS = re.compile(r"(?P<who>" + _ONE_KIN + r")\S{0,6}?(?:จะ|ขอ|ก็)?\s*(?:ตาม)?(?:ไป|มา)\s*(?:ด้วย|กัน)")
"""'ลูกสาวจะไปด้วยค่ะ': one more person on a sign-up one has already."""


def more_going_said(ctx: Ctx, text: str) -> bool:
    """"ลูกสาวจะไปด้วยค่ะ" with a sign-up: one more person on it (asked to confirm). False when no one is said
    to come along, the text names another activity (a new sign-up), or there is no sign-up to change."""
    if ctx.user is None or not _JOINS.search(text or "") or CANCEL_WORDS.search(text) or "ไม่" in text:
        return False
    rest = _JOINS.sub(" ", text)
    rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
    if not rows:
        return False
    named = find_named_activity(ctx, rest, [row.activity for row in rows], loose=True)
    if named is None and _name_query(rest):
        return False  # "ลูกสาวจะไปรำไม้พลองด้วย": a sign-up of its own
    named, current = _party_signup_meant(ctx, named, rows)
    if named is None:
        return True
    ctx.start_flow("activity_party", activity_id=named.id, party=min(current + 1, svc.MAX_PARTY))
    return True


_PARTY_ALONE = re.compile(r"(?:ไป|มา)\s*(?:กัน)?\s*(?:[0-9๐-๙]+|สอง|สาม|สี่|ห้า)\s*(?:คน|ท่าน)")
"""'ไป2คนค่ะ หนูกับแม่': how many go, with no activity named."""


def party_alone_said(ctx: Ctx, text: str) -> bool:
    """"ไป2คนค่ะ หนูกับแม่": a head count alone, for the activity just seen, else the list (the count kept)."""
    if not _PARTY_ALONE.search(text) or CANCEL_WORDS.search(text) or _name_query(_PARTY_ALONE.sub(" ", text)):
        return False
    sign_up_said(ctx, text, {"count": count_in_text(text)}, None)
    return True


def count_in_text(text: str) -> int | None:
    from bot.flows.activity import count_in

    return count_in(_PARTY_ALONE.search(text)[0]) if _PARTY_ALONE.search(text) else None


CHOICE_LEAD = "มี {n} กิจกรรมที่ตรงกับที่พิมพ์มาค่ะ อยากสมัครอันไหนคะ กด “สมัคร” ที่การ์ดได้เลยค่ะ"
GONE_LEAD = "กิจกรรม “{title}” ถูกยกเลิกแล้วค่ะ ขออภัยด้วยนะคะ"


def alike(activity: Activity, candidates: list[Activity]) -> list[Activity]:
    """The candidates like an activity: those whose title has its first word ("โยคะ…"), else of its topic."""
    from nlp.features import words

    first = next(iter(words(activity.title)), "")
    named = [a for a in candidates if len(first) >= 3 and first in a.title]
    return named or [a for a in candidates if activity.topic and a.topic == activity.topic]


def show_instead_of_cancelled(ctx: Ctx, gone: Activity, party: int | None) -> None:
    """A sign-up asked for an activity staff cancelled: that it was, and the open ones like it to choose from
    (else every open one)."""
    lead = GONE_LEAD.format(title=gone.title)
    others = alike(gone, svc.upcoming(ctx.session, ctx.now, limit=100))
    if not others:
        show_list(ctx, party=party, lead=f"{lead}\nกิจกรรมอื่นที่จะมาถึงมีดังนี้ค่ะ")
        return
    _cards_keeping_party(ctx, others, party, f"{lead}\nกิจกรรมคล้ายกันที่ยังเปิดรับสมัครมีดังนี้ กด “สมัคร” ที่การ์ดได้เลยค่ะ",
                         "กิจกรรมคล้ายกัน")


def show_choices(ctx: Ctx, rows: list[Activity], party: int | None) -> None:
    """The few activities a sign-up sentence may mean, as cards whose “สมัคร” keeps the people said."""
    _cards_keeping_party(ctx, rows, party, CHOICE_LEAD.format(n=min(len(rows), MAX_CARDS)), "กิจกรรมที่ตรงกัน")


def _cards_keeping_party(ctx: Ctx, rows: list[Activity], party: int | None, lead: str, alt: str) -> None:
    """`lead`, then a carousel of `rows` whose “สมัคร” keeps the people said (`alt`: the carousel's alt text)."""
    rows = rows[:MAX_CARDS]
    _remember_seen(ctx, [a.id for a in rows], None)
    taken = svc.seats_taken_map(ctx.session, [a.id for a in rows])
    mine = _my_map(ctx, [a.id for a in rows])
    bubbles = [activity_bubble(ctx, a, taken[a.id], mine.get(a.id), party) for a in rows]
    quick = [replies.quick_postback("ดูทั้งหมด", postback.encode("activity.list", n=party), "ดูกิจกรรมทั้งหมด"),
             replies.quick_message("เมนู")]
    ctx.reply(replies.text(lead), replies.carousel(f"{alt} {len(rows)} รายการ", bubbles, quick=quick))


@on_postback("activity.signup")
@starts_flow
def signup_postback(ctx: Ctx, args: dict[str, str]) -> None:
    party = int(args["n"]) if (args.get("n") or "").isdigit() else None
    ctx.start_flow("activity_signup", activity_id=args.get("id"), party=party)


def _flow_activity(ctx: Ctx) -> Activity:
    return svc.get_activity(ctx.session, engine.data(ctx).get("activity_id"))


def _over_note(ctx: Ctx) -> str:
    """Why the party said with the request was asked again ("กิจกรรมนี้รับได้ทั้งหมด 4 คน ไป 5 คนไม่ได้ค่ะ")."""
    over = engine.data(ctx).get("over")
    return f"{over}\n" if over else ""


def ask_party(ctx: Ctx) -> str:
    """How many go; when the seats left are fewer than the chips offer, that a bigger party waits (the rule of
    svc.signup: confirmed when it fits, otherwise on the waitlist)."""
    activity = _flow_activity(ctx)
    left = svc.seats_left(ctx.session, activity)
    if left <= 0:
        seats = "\nตอนนี้ที่นั่งเต็มแล้ว สมัครไว้จะอยู่ในรายชื่อสำรอง และได้รับแจ้งทันทีเมื่อมีที่ว่างนะคะ"
    elif left < min(activity.capacity, len(_flows().PARTY_CHOICES)):
        seats = f"\nตอนนี้เหลือที่ว่าง {left} ที่ ถ้าไปมากกว่า {left} คน จะอยู่ในรายชื่อสำรองนะคะ"
    else:
        seats = ""
    who = engine.data(ctx).get("for_whom")
    for_someone = (f"\nสมัครให้{who}นะคะ ถ้า{who}ไปคนเดียวแตะ “1 คน” ถ้าคุณไปด้วยแตะ “2 คน” ค่ะ" if who else "")
    return _over_note(ctx) + ASK_PARTY.format(title=activity.title) + for_someone + seats


_INSTEAD = re.compile(r"แทน|เปลี่ยนเป็น|เปลี่ยนไป|ไม่เอา|ไม่ไป|เอา|ขอ(?:สมัคร|ไป)|สมัคร|ไป")
"""Words around another activity's name said at the head-count step ("ไม่เอาแอโรบิกแล้ว เอารำไม้พลองแทน")."""


def other_activity_named(ctx: Ctx, text: str) -> Activity | None:
    """At a sign-up's head-count step: the one other upcoming activity the text names instead of a count
    (its title said with a word such as "แทน", "เอา", "ไม่เอา…"), else None."""
    if not _INSTEAD.search(text or ""):
        return None
    current = engine.data(ctx).get("activity_id")
    others = [a for a in svc.upcoming(ctx.session, ctx.now, limit=100) if str(a.id) != str(current)]
    said = re.sub(r"ไม่(?:เอา|ไป)\S*?แล้ว", "", text)  # what is given up is not what is wanted
    for piece in (said, text):
        named = [a for a in activities_named(piece, others) if a.title != _flow_activity(ctx).title]
        if len({a.title for a in named}) == 1:
            return named[0]
        found = find_named_activity(ctx, piece, others, loose=True)
        if found is not None and found.title != _flow_activity(ctx).title:
            return found
    return None


def _flows() -> Any:
    from bot.flows import activity as flows

    return flows


def ask_signup_confirm(ctx: Ctx) -> str:
    activity, taken, _ = svc.activity_seen_by(ctx.session, engine.data(ctx).get("activity_id"), None)
    party = int(engine.data(ctx).get("party") or 1)
    left = svc.free_seats(activity, taken)
    if party > activity.capacity:  # never fits, so no waitlist to promise (the confirm asks how many again)
        seats = f"กิจกรรมนี้รับได้ทั้งหมด {activity.capacity} คน ไป {party} คนไม่ได้ค่ะ แตะ “แก้จำนวนคน” เพื่อลดจำนวนนะคะ"
    elif left >= party:
        seats = f"ยังมีที่ว่าง {left} ที่ค่ะ"
    elif left > 0:  # some seats, not enough for everyone: say so, they may go with fewer
        seats = (f"ตอนนี้เหลือที่ว่าง {left} ที่ ไม่พอสำหรับ {party} คนค่ะ ถ้ายืนยัน คุณจะอยู่ในรายชื่อสำรอง "
                 f"หรือแตะ “แก้จำนวนคน” เพื่อสมัคร {left} คนได้ทันทีนะคะ")
    else:
        seats = "ตอนนี้ที่นั่งเต็มแล้วค่ะ ถ้ายืนยัน คุณจะอยู่ในรายชื่อสำรอง และได้รับแจ้งทันทีเมื่อมีที่ว่างนะคะ"
    costs = f"ค่าสมัคร: {svc.fee_each(activity.fee_baht)}\n" if activity.fee_baht is not None else ""
    return (f"สรุปการสมัครค่ะ\n“{activity.title}”\n{svc.when_where(activity)}\nจำนวน {party} คน\n{costs}{seats}\n"
            "ยืนยันการสมัครไหมคะ")


def signup_result(ctx: Ctx, row: Signup) -> list[dict[str, Any]]:
    activity = ctx.session.get(Activity, row.activity_id)
    quick = _activity_quick(ctx)
    if row.status == "waitlisted":
        pos = svc.waitlist_position(ctx.session, row)
        return [replies.text(WAITLISTED.format(why=_why_waiting(ctx, activity, row.party_size), pos=pos,
                                               title=activity.title, when=svc.when_where(activity)), quick=quick)]
    messages = [replies.text(SUCCESS.format(title=activity.title, when=svc.when_where(activity), n=row.party_size,
                                            code=row.checkin_code))]
    url = checkin.qr_url(ctx.settings.public_base_url if ctx.settings else None, row.checkin_code)
    if url:
        messages.append(replies.image(url))
    messages[-1]["quickReply"] = {"items": quick}
    if ctx.is_group:  # the code is the person's own: to their one-to-one chat, never to the whole group
        who = texts.person(ctx.user.display_name if ctx.user else None)
        said = SIGNED_UP_IN_GROUP.format(who=f"ให้{who}" if who else "", title=activity.title, n=row.party_size,
                                         when=svc.when_where(activity), code=code_privately(ctx, messages))
        return [replies.text(said, quick=quick)]
    return messages


def code_privately(ctx: Ctx, messages: list[dict[str, Any]]) -> str:
    """In a group: these messages (a check-in code, its QR) pushed to the person's one-to-one chat; what the
    group is told instead (sent there, or how to see it when the bot cannot reach them there)."""
    if ctx.user is None or not outbox.push_privately(ctx.session, ctx.user, messages, category="activity_signup"):
        return CODE_NOT_PUSHED
    return CODE_PUSHED


def _why_waiting(ctx: Ctx, activity: Activity, party: int) -> str:
    """"ตอนนี้ที่นั่งเต็มแล้วค่ะ", or the seats left when some are, just not enough for the party."""
    left = svc.seats_left(ctx.session, activity)
    return TOO_FEW.format(left=left, n=party) if left > 0 else FULL


OTHERS_LEAD = "กิจกรรมอื่นที่ยังเปิดรับสมัครอยู่ แตะดูรายละเอียดได้เลยนะคะ 👇"


def closed_with_others(ctx: Ctx, reason: str, but: Any = None) -> dict[str, Any]:
    """Why this sign-up cannot go on (started, closed, cancelled), and the activities still open as chips."""
    others = [a for a in svc.upcoming(ctx.session, ctx.now, limit=12)
              if str(a.id) != str(but) and not _closed(a, ctx.now)][:9]
    if not others:
        return problem(ctx, reason)
    chips = [replies.quick_postback(f"{to_bkk(a.starts_at):%-d/%-m} {a.title}",
                                    postback.encode("activity.detail", id=a.id), f"ขอดูรายละเอียด {a.title}")
             for a in others]
    return replies.text(f"{reason}\n{OTHERS_LEAD}",
                        quick=[*chips, replies.quick_message("ดูกิจกรรมทั้งหมด", "กิจกรรม"), replies.quick_message("เมนู")])


def not_signed_up_message(ctx: Ctx) -> dict[str, Any]:
    return replies.text("ได้ค่ะ ยังไม่ได้สมัครนะคะ ดูกิจกรรมอื่นได้เลยค่ะ", quick=_activity_quick(ctx))


def already_message(ctx: Ctx, row: Signup) -> dict[str, Any]:
    activity = ctx.session.get(Activity, row.activity_id)
    if row.status == "confirmed" and ctx.is_group:
        who = texts.person(ctx.user.display_name if ctx.user else None) or "คุณ"
        body = f"{who}สมัคร “{activity.title}” ไว้แล้วค่ะ ({row.party_size} คน) {CODE_IN_ONE_TO_ONE}"
    elif row.status == "confirmed":
        body = f"คุณสมัคร “{activity.title}” ไว้แล้วค่ะ ({row.party_size} คน) รหัสเช็คอิน {row.checkin_code}"
    else:
        body = (f"คุณอยู่ในรายชื่อสำรองของ “{activity.title}” แล้วค่ะ "
                f"ลำดับที่ {svc.waitlist_position(ctx.session, row)}")
    return replies.text(body, quick=_activity_quick(ctx))


# --- my sign-ups and cancelling ------------------------------------------------------------------

def _mine_bubble(ctx: Ctx, row: Signup) -> dict[str, Any]:
    activity = row.activity
    lines: list[Any] = _when_lines(activity)
    fee = _fee_line(activity)  # as the activity's own card says it
    if fee:
        lines.append(fee)
    if row.attended_at is not None:  # here already: nothing left to cancel or change
        lines.append(replies.ftext(f"✅ เช็คอินแล้ว · {row.party_size} คน", color=COLOR, weight="bold"))
        return replies.bubble(activity.title, lines, [replies.act_postback(
            "รายละเอียด", postback.encode("activity.detail", id=activity.id), f"ขอดูรายละเอียด {activity.title}")],
            subtitle=communities.name_or_district(ctx.session, activity.community_id), color=COLOR)
    if row.status == "confirmed":
        lines.append(replies.ftext(f"✅ ยืนยันแล้ว · {row.party_size} คน", color=COLOR, weight="bold"))
        lines.append(replies.ftext(f"รหัสเช็คอิน {row.checkin_code}", size="lg", weight="bold"))
    else:
        pos = svc.waitlist_position(ctx.session, row)
        lines.append(replies.ftext(f"⏳ รายชื่อสำรองลำดับที่ {pos} · {row.party_size} คน", color="#E69500",
                                   weight="bold"))
    actions = [
        *([replies.act_postback("ยกเลิกการสมัคร", postback.encode("activity.cancel", id=activity.id),
                                f"ยกเลิกการสมัคร {activity.title}")]
          if svc.can_cancel(activity, row, ctx.now) else []),  # not once it has started: the service refuses
        *([replies.act_postback("แก้จำนวนคน", postback.encode("activity.party", id=activity.id),
                                f"แก้จำนวนคน {activity.title}")]
          if svc.party_can_change(ctx.session, activity, row, ctx.now) else []),  # only when a change is possible
        replies.act_postback("รายละเอียด", postback.encode("activity.detail", id=activity.id),
                             f"ขอดูรายละเอียด {activity.title}"),
    ]
    return replies.bubble(activity.title, lines, actions,
                          subtitle=communities.name_or_district(ctx.session, activity.community_id), color=COLOR)


@one_to_one
def show_mine(ctx: Ctx, lead: str | None = None, rows: list[Signup] | None = None) -> None:
    """My live sign-ups as cards (`rows` when the caller has just read them)."""
    if ctx.user is None:
        return
    if rows is None:
        rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
    if not rows:
        ctx.reply(replies.text(MINE_EMPTY, quick=[replies.quick_message("ดูกิจกรรม", "กิจกรรม"),
                                                  replies.quick_message("เมนู")]))
        return
    bubbles = [_mine_bubble(ctx, r) for r in rows[:12]]
    engine.remember(ctx, ASKED_ABOUT, [r.activity_id for r in rows[:12]])
    ctx.reply(replies.text(lead or f"คุณสมัครไว้ {len(rows)} กิจกรรมค่ะ ยกเลิกหรือแก้จำนวนคนได้จากปุ่มในการ์ดนะคะ"),
              replies.carousel("กิจกรรมที่ฉันสมัครไว้", bubbles, quick=_activity_quick(ctx)))


@on_command(r"ที่ฉันสมัครไว้|กิจกรรมของฉัน|การสมัครของฉัน|การลงทะเบียนของฉัน")
@on_postback("activity.mine")
@reads_only
def mine(ctx: Ctx, _: Any) -> None:
    show_mine(ctx)


@on_intent("my_signups")
def mine_said(ctx: Ctx, arg: Any) -> None:
    """"ที่ฉันสมัครไว้"; but "กิจกรรมในชุมชนของฉัน" asks for the activities of their community. A day said with it
    ("พรุ่งนี้ป้าต้องไปกี่โมงนะ") keeps to that day's sign-ups; their times and check-in codes are said in the lead."""
    home = ctx.user.community_id if ctx.user is not None else None
    if home and "ชุมชน" in (ctx.text or ""):
        show_list(ctx, community=communities.get(ctx.session, home))
        return
    if ctx.user is None:
        return
    rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
    start, end = _dates(_entities(arg)[0])
    if rows and start and end:
        that_day = [row for row in rows if start <= to_bkk(row.activity.starts_at).date() <= end]
        when = f"วันที่ {format_date(start)}" if start == end else f"ช่วง {format_date(start)} ถึง {format_date(end)}"
        if not that_day:
            show_mine(ctx, lead=f"{when} คุณไม่ได้สมัครกิจกรรมไว้ค่ะ ที่สมัครไว้ทั้งหมดมีดังนี้นะคะ", rows=rows)
            return
        show_mine(ctx, lead=_mine_lead(that_day, when), rows=that_day)
        return
    show_mine(ctx, lead=_mine_lead(rows) if rows else None, rows=rows)


def _mine_lead(rows: list[Signup], when: str = "") -> str:
    """What she signed up for, when and with which code, said in words (a card is easy to miss): up to three."""
    lines = [f"{when} คุณสมัครไว้ {len(rows)} กิจกรรมค่ะ".strip()]
    for row in rows[:3]:
        code = f" รหัสเช็คอิน {row.checkin_code}" if row.status == "confirmed" else " (รายชื่อสำรอง)"
        lines.append(f"• “{row.activity.title}” {format_span(row.activity.starts_at, row.activity.ends_at)}{code}")
    lines.append("ยกเลิกหรือแก้จำนวนคนได้จากปุ่มในการ์ดนะคะ")
    return "\n".join(lines)


CANCEL_WORDS = re.compile(r"ยกเลิก|ถอน(?:ชื่อ|ตัว)?(?:ออก)?|ไม่ไป(?:แล้ว)?|ไปไม่ได้(?:แล้ว)?|การสมัคร")
"""Removed before matching the activity's name: "ขอยกเลิกเดินออกกำลังกาย" → "ขอเดินออกกำลังกาย"."""


CANCEL_WHICH = "จะยกเลิกกิจกรรมไหนคะ กด “ยกเลิกการสมัคร” ที่การ์ดได้เลยค่ะ"

NOT_CANCELLING = re.compile(r"(?<!ถ้า)(?<!หาก)(?:ยัง)?ไม่(?:ได้|ต้อง|ขอ|อยาก)?(?:จะ)?\s*(?:ยกเลิก|ถอน(?:ชื่อ|ตัว)?)")
""""ไม่ยกเลิกค่ะ", "ยังไปอยู่ ไม่ยกเลิกค่ะ": keeping the sign-up, not cancelling it ("ถ้าไม่ยกเลิก…" asks something)."""
_CANCELLING = re.compile(r"ยกเลิก|ถอน")


def still_signed_up(ctx: Ctx) -> None:
    """Said not to cancel ("ไม่ยกเลิกค่ะ"): nothing changes, and that is said."""
    ctx.reply(replies.text("ได้ค่ะ การสมัครยังอยู่เหมือนเดิมนะคะ", quick=_activity_quick(ctx)))


def not_cancelling(text: str) -> bool:
    """Whether the text says the sign-up is not cancelled ("ไม่ยกเลิกแล้วค่ะ ยังไปค่ะ", "ยังไปอยู่ ไม่ยกเลิกค่ะ"):
    every cancel word in it is one said not to be done ("ยังไม่ได้ยกเลิก ช่วยยกเลิกให้หน่อย" asks to cancel)."""
    said = text or ""
    kept = len(NOT_CANCELLING.findall(said))
    return kept > 0 and kept == len(_CANCELLING.findall(said))


@on_intent("activity_cancel")
def cancel_intent(ctx: Ctx, arg: Any) -> None:
    """Straight to the cancel question when the sentence names one of my sign-ups (by its title, or by the day:
    "ยกเลิกอันวันพฤหัสค่ะ"), or I have only one. Staff naming an activity they have not signed up for: cancelling
    that activity (asked to confirm)."""
    if party_change_said(ctx, ctx.text or "") or fewer_going_said(ctx, ctx.text or ""):
        return  # "ลดเหลือ 1 คน", "สามีไม่ไปแล้วค่ะ ไปคนเดียว" read like cancelling to the model
    if not_cancelling(ctx.text or ""):
        still_signed_up(ctx)
        return
    rows = svc.my_signups(ctx.session, ctx.user, ctx.now) if ctx.user is not None else []
    own = find_named_activity(ctx, CANCEL_WORDS.sub("", ctx.text or ""), [row.activity for row in rows], loose=True)
    if own is None and _is_staff(ctx) and staff_cancel_named(ctx, ctx.text or ""):
        return
    gone = _cancelled_named(ctx, rows) if own is None else None
    if gone is not None:  # staff cancelled it: the same answer as the cancel button's (svc.check_cancellable)
        ctx.reply(texts.menu(_role(ctx), svc.cancelled_by_staff(gone).message_th))
        return
    start, end = _dates(_entities(arg)[0])
    on_day = [row for row in rows if start and end and start <= to_bkk(row.activity.starts_at).date() <= end]
    if own is None and len(on_day) == 1:  # "วันพุธไปไม่ได้ค่ะ ติดธุระ": the one sign-up that day
        own = on_day[0].activity
    other = _not_signed_up_named(ctx, rows) if own is None and not on_day else None
    named = _signup_meant(own, rows) if other is None else None
    if named is not None:
        ctx.start_flow("activity_cancel", activity_id=named.id)
        return
    if other is not None:  # "ยกเลิกตรวจตา" signed up only for a home visit: not the home visit
        ctx.reply(texts.menu(_role(ctx), f"คุณไม่ได้สมัคร “{other.title}” ไว้ค่ะ ไม่มีอะไรต้องยกเลิกนะคะ") if not rows
                  else replies.text(f"คุณไม่ได้สมัคร “{other.title}” ไว้ค่ะ"))
        if rows:
            show_mine(ctx, lead="กิจกรรมที่คุณสมัครไว้มีตามนี้ค่ะ ถ้าจะยกเลิกอันไหน กด “ยกเลิกการสมัคร” ที่การ์ดได้เลยนะคะ",
                      rows=rows)
        return
    shown = on_day if len(on_day) > 1 else rows
    _remember_mine(ctx, shown, "cancel")
    lead = CANCEL_WHICH
    if start and end and rows and not on_day and own is None:  # "วันพุธไปไม่ได้ค่ะ" with nothing on Wednesday
        when = f"วันที่ {format_date(start)}" if start == end else f"ช่วง {format_date(start)} ถึง {format_date(end)}"
        lead = f"{when} คุณไม่ได้สมัครกิจกรรมไว้ค่ะ ถ้าจะยกเลิกอันอื่น กด “ยกเลิกการสมัคร” ที่การ์ดได้เลยค่ะ"
    show_mine(ctx, lead=lead, rows=shown)


def _cancelled_named(ctx: Ctx, rows: list[Signup]) -> Activity | None:
    """The activity staff cancelled that a cancelling sentence names among my sign-ups (or my only sign-up
    left, when I have no other), else None."""
    if ctx.user is None:
        return None
    gone = svc.signups_of_cancelled(ctx.session, ctx.user, ctx.now)
    named = find_named_activity(ctx, CANCEL_WORDS.sub("", ctx.text or ""), [row.activity for row in gone], loose=True)
    return gone[0].activity if named is None and len(gone) == 1 and not rows else named


def _not_signed_up_named(ctx: Ctx, rows: list[Signup]) -> Activity | None:
    """The activity a cancelling sentence names when it is none of my sign-ups ("ยกเลิกตรวจตา"), else None."""
    mine = {row.activity_id for row in rows}
    said = CANCEL_WORDS.sub("", ctx.text or "")
    named = [a for a in activities_named(said, svc.upcoming(ctx.session, ctx.now, limit=100)) if a.id not in mine]
    titles = {a.title for a in named}
    return named[0] if len(titles) == 1 else None


def _remember_mine(ctx: Ctx, rows: list[Signup], op: str) -> None:
    """The sign-ups just shown to choose from, in their order, and what for: "อันแรกค่ะ" next picks one."""
    engine.remember(ctx, "mine_shown", {"ids": [row.activity_id for row in rows], "op": op})
    engine.forget(ctx, "seen")


ORDINALS = {"แรก": 0, "หนึ่ง": 0, "1": 0, "สอง": 1, "2": 1, "สาม": 2, "3": 2, "สี่": 3, "4": 3, "ห้า": 4, "5": 4}
PICKED = re.compile(r"(?:เอา|ขอ|เลือก)?\s*(?:อัน|กิจกรรม|รายการ|การ์ด)\s*(?:ที่)?\s*(?P<n>แรก|หนึ่ง|สอง|สาม|สี่|ห้า|[1-5])"
                    r"|(?:เอา|ขอ|เลือก)?\s*(?:อัน|กิจกรรม|รายการ|การ์ด)\s*(?P<last>สุดท้าย)")


@on_command(PICKED.pattern)
def picked_said(ctx: Ctx, match: re.Match[str]) -> None:
    """"อันแรกค่ะ" after a choice of cards: the one meant, as its button would (it was not understood)."""
    shown = engine.recall(ctx, "mine_shown") or {}
    ids = list(shown.get("ids") or [])
    if not ids:
        ids, _ = _seen_recently(ctx)
        shown = {"ids": ids, "op": "signup"}
    if not ids:
        ctx.reply(texts.menu(_role(ctx), "ยังไม่ได้แสดงรายการให้เลือกค่ะ ลองพิมพ์ชื่อกิจกรรมได้เลยนะคะ"))
        return
    index = len(ids) - 1 if match["last"] else ORDINALS[match["n"]]
    if index >= len(ids):
        ctx.reply(replies.text(f"รายการที่แสดงมีแค่ {len(ids)} อันค่ะ เลือกใหม่ได้เลยนะคะ", quick=_activity_quick(ctx)))
        return
    flows = {"cancel": "activity_cancel", "party": "activity_party", "signup": "activity_signup"}
    ctx.start_flow(flows.get(shown.get("op"), "activity_signup"), activity_id=ids[index])


@on_postback("activity.cancel")
@starts_flow
def cancel_postback(ctx: Ctx, args: dict[str, str]) -> None:
    ctx.start_flow("activity_cancel", activity_id=args.get("id"))


# --- changing how many people go ------------------------------------------------------------------

PARTY_WORDS = re.compile(r"(?:เปลี่ยน|แก้|ปรับ|เพิ่ม|ลด|เหลือ|ไปได้แค่|ไปแค่)")
"""With คน or จำนวน in the same message: "ขอเปลี่ยนเป็น 3 คน", "เพิ่มอีก 1 คน", "ไปได้แค่คนเดียวแล้ว"."""
_HOW_MANY = r"\s*(?P<n>[0-9๐-๙]+|หนึ่ง|สอง|สาม|สี่|ห้า)\s*คน"
_MORE = re.compile(r"(?:เพิ่ม|อีก)\S{0,12}?" + _HOW_MANY)
"""'เพิ่มอีก 1 คน', 'เพิ่มลูกอีก 1 คน', 'ไปอีก 2 คน': more people ("เพิ่มลูก" used to read as 1 in all)."""
_FEWER = re.compile(r"(?:ลด|ออก|ถอน|หัก)\S{0,12}?" + _HOW_MANY)
"""'ลดลง 1 คน', 'ลดหลานออก 1 คน', 'เอาหลานออก 1 คน': fewer."""
_ABSOLUTE = re.compile(r"เป็น|เหลือ|แค่|ทั้งหมด|รวม")
"""'เพิ่มเป็น 3 คน', 'เหลือ 2 คน': the new number itself."""
_NEW_SIGNUP = re.compile(r"(?:สมัคร|สมัก|ลงชื่อ|ลงทะเบียน)(?!ไว้)")
"""Signing up ("สมัก", a common typo, too: "สมักรำไม้พลองค่ะ"), not "ที่สมัครไว้"."""
_PARTY_NOISE = re.compile(r"(?:ขอ|เปลี่ยน|แก้|ปรับ|เพิ่ม|ลด|เหลือ|ไปได้แค่|ไปแค่|จำนวน|คนเดียว|คน|อีก|เป็น|ที่สมัคร|ไว้|"
                          r"ได้ไหม|ไหม|ค่ะ|คะ|ครับ|นะ|ด้วย|แล้ว|[0-9๐-๙]+|หนึ่ง|สอง|สาม|สี่|ห้า)")


def without_party_words(text: str) -> str:
    """The text without the words of a head-count change, taken out as whole words ("โยคะเหลือคนเดียวค่ะ" →
    "โยคะ"; taking "คะ" out of letters left "โย", which named nothing)."""
    from nlp.features import words

    noise = re.compile(r"(?:" + _PARTY_NOISE.pattern + r")+")
    return "".join(word for word in words(text) if not noise.fullmatch(word))


def party_change_said(ctx: Ctx, text: str) -> bool:
    """Typed "ขอเปลี่ยนเป็น 3 คน" with live sign-ups: change how many go (the one named, or the only one).

    Returns False when the text is not about that or there is no sign-up to change, so other readings go on.
    """
    if ctx.user is None or not PARTY_WORDS.search(text) or not re.search(r"คน|จำนวน", text):
        return False
    rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
    named = find_named_activity(ctx, without_party_words(text), [row.activity for row in rows])
    if named is None:  # "แอโรบิกขอเปลี่ยนเป็น ๓ คนนะจ๊ะ ลูกสาวจะไปด้วย": the title, with more said around it
        named = find_named_activity(ctx, text, [row.activity for row in rows], loose=True)
    if named is None and _NEW_SIGNUP.search(text):
        return False  # "ขอสมัครรำไม้พลองเพิ่มอีก 2 คน": a new sign-up for something else
    if not rows:
        if _party_in(text, 0) is None:
            return False  # "ลดจำนวนคนสูบบุหรี่": no count, so not about a sign-up
        show_mine(ctx, rows=rows)  # "ขอเปลี่ยนเป็น 3 คน" with nothing to change: say so
        return True
    named, current = _party_signup_meant(ctx, named, rows)
    if named is None:
        return True
    party = _party_in(text, current)
    going = SOMEONE_ALONE.search(text)  # "แม่ไปคนเดียว": the sign-up is hers, the speaker is not counted
    ctx.start_flow("activity_party", activity_id=named.id, **({"party": party} if party else {}),
                   **({"for_whom": going["who"]} if going else {}))
    return True


SOMEONE_ALONE = re.compile(r"(?P<who>" + _ONE_KIN + r")\s*(?:จะ|ก็)?\s*(?:ไป|มา)?\s*(?:คนเดียว|เอง)")
"""'แม่ไปคนเดียว': someone else goes alone (a sign-up made for her): the speaker is not among those going."""


def _party_signup_meant(ctx: Ctx, named: Any, rows: list[Any]) -> tuple[Any, int]:
    """The sign-up whose party is to change, and how many go now; (None, 0), having shown the sign-ups to pick
    from, when it is not clear which."""
    named = _signup_meant(named, rows) or _pushed_about(ctx, rows)
    if named is None:
        _remember_mine(ctx, rows, "party")
        show_mine(ctx, lead=PARTY_WHICH, rows=rows)
        return None, 0
    return named, next(row.party_size for row in rows if row.activity_id == named.id)


def _pushed_about(ctx: Ctx, rows: list[Signup]) -> Activity | None:
    """The sign-up whose activity the push just received was about (a move, a reminder, a freed seat), when it
    is one of `rows`: "วันพฤหัสลูกสาวไปไม่ได้ค่ะ" right after the yoga's move is about the yoga."""
    from bot.services import pushed

    if ctx.user is None or ctx.is_group:
        return None
    push = pushed.last_push(ctx.session, ctx.user.line_user_id, ctx.now - pushed.REPLY_WINDOW, ctx.now)
    if push is None or push.kind not in ("reminder", "seat", "activity_change"):
        return None
    return next((row.activity for row in rows if row.activity_id == push.activity_id), None)


PARTY_WHICH = "จะแก้จำนวนคนของกิจกรรมไหนคะ กด “แก้จำนวนคน” ที่การ์ดได้เลยค่ะ"
_COMPANION_OUT = re.compile(r"(?P<who>" + "|".join(("ลูก", "หลาน", "เพื่อน", "พี่", "น้อง", "แม่", "พ่อ", "สามี", "ภรรยา",
                                                     "แฟน", "ยาย", "ตา", "ปู่", "ย่า", "ป้า", "ลุง", "น้า", "อา", "ผู้ดูแล"))
                            + r")\S{0,8}?\s*(?:ไม่ไป|ไปไม่ได้|ไม่ได้ไป|ไม่สะดวก|ติดธุระ|ป่วย)")
"""'สามีไม่ไปแล้วค่ะ', 'หลานไปไม่ได้': someone going along drops out, not the whole sign-up."""
_ALONE = re.compile(r"คนเดียว|ตัวคนเดียว|ไปเอง")


def fewer_going_said(ctx: Ctx, text: str) -> bool:
    """"สามีไม่ไปแล้วค่ะ ไปคนเดียว": fewer people on a sign-up of several (asked to confirm), not cancelling it.
    False when no one going along drops out, or no sign-up is for more than one."""
    if ctx.user is None or not _COMPANION_OUT.search(text or ""):
        return False
    mine = svc.my_signups(ctx.session, ctx.user, ctx.now)
    rows = [row for row in mine if row.party_size > 1]
    if not rows or not _COMPANION_OUT.search(without_titles(text, [row.activity.title for row in mine])):
        return False  # "ยกเลิกตรวจตาครับ ติดธุระ": the "ตา" of the eye check's name is no grandfather
    named = find_named_activity(ctx, CANCEL_WORDS.sub("", text), [row.activity for row in rows], loose=True)
    named, current = _party_signup_meant(ctx, named, rows)
    if named is None:
        return True
    from bot.flows.activity import count_in

    party = 1 if _ALONE.search(text) else count_in(text) if re.search(r"คน|ท่าน", text) else None
    if party is None and re.search(r"(?:คุณ)?(?:" + "|".join(_one_companions()) + ")", text):
        party = current - 1
    ctx.start_flow("activity_party", activity_id=named.id,
                   **({"party": party} if party and 1 <= party < current else {}))
    return True


def without_titles(text: str, titles: list[str], min_run: int = 4) -> str:
    """The text with the part of each title it says taken out (a stretch of at least `min_run` letters):
    "ยกเลิกตรวจตาครับ" with “ตรวจตาและวัดสายตา…” → "ยกเลิกครับ"."""
    from difflib import SequenceMatcher

    for title in titles:
        name = "".join(title.split())
        found = SequenceMatcher(None, text, name, autojunk=False).find_longest_match(0, len(text), 0, len(name))
        if found.size >= min_run:
            text = text[:found.a] + " " + text[found.a + found.size:]
    return text


def _one_companions() -> tuple[str, ...]:
    from bot.flows.activity import ONE_PERSON

    return ONE_PERSON


def _signup_meant(named: Activity | None, rows: list[Signup]) -> Activity | None:
    """The activity a sentence named among my sign-ups, else my only one, else None."""
    return rows[0].activity if named is None and len(rows) == 1 else named


def _party_in(text: str, current: int) -> int | None:
    """The new party size a sentence asks for: "เพิ่มอีก 1 คน", "เพิ่มลูกสาวอีกคน" (relative) or "เป็น 3 คน"
    (absolute)."""
    from bot.flows.activity import added_said, count_in

    if not _ABSOLUTE.search(text):
        for pattern, sign in ((_FEWER, -1), (_MORE, 1)):
            found = pattern.search(text)
            if found:
                step = count_in(found["n"] + " คน")
                return current + sign * step if step else None
        added = added_said(text)  # "เพิ่มลูกสาวอีกคนค่ะ": one more than signed up
        if added:
            return current + added
    return count_in(text)


_ONE_MORE = re.compile(r"(?:เพิ่ม|อีก)\S{0,12}?(?:อีก\s*คน|อีก\s*(?:หนึ่ง|1|๑)\s*คน)|เพิ่ม\s*(?:อีก)?\s*คน")
"""'เพิ่มอีกคน', 'เพิ่มลูกอีกคน', 'เพิ่มคนค่ะ': one more, no number said."""


_COUNT_ALONE = re.compile(r"(?:ขอ|แก้|เปลี่ยน|ปรับ|จำนวน|ไป)*(?:เป็น|เหลือ|แค่)?(?P<n>[0-9๐-๙]{1,2}|หนึ่ง|สอง|สาม|สี่|ห้า|หก"
                          r"|เจ็ด|แปด|เก้า|สิบ)(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า|นะ)*")
"""'สอง', '๒', 'ขอแก้จำนวนเป็นสอง', 'แก้เป็นสามนะคะ': a head count with no คน, and nothing else said."""


def count_alone(text: str) -> int | None:
    """The head count a reply is, said as a number alone (in words or digits), with no คน; else None."""
    from bot.flows.activity import count_in

    found = _COUNT_ALONE.fullmatch("".join((text or "").split()))
    return count_in(found["n"] + " คน") if found else None


def party_in_reply(text: str, current: int) -> int | None:
    """The head count typed in reply to "เปลี่ยน…จาก 1 เป็น 2 คน ใช่ไหมคะ": "ขอเพิ่มเป็น ๒ คน", "เป็น 3 คน",
    "ขอแก้จำนวนเป็นสอง", "สอง", "เพิ่มอีก 2 คน", "เพิ่มอีกคน", "ลูกสาวจะไปด้วย" (one more); None when no count is
    said ("ใช่ค่ะ")."""
    from bot.flows.activity import count_in

    if _JOINS.search(text) and not CANCEL_WORDS.search(text) and "ไม่" not in text and not _ABSOLUTE.search(text):
        more = count_in(text) if re.search(r"คน|ท่าน", text) else None
        return current + (more or 1)  # "ลูกสาวจะไปด้วยค่ะ" said again; "หลานก็จะตามไปด้วย 1 คน"
    if not re.search(r"คน|ท่าน", text):
        return count_alone(text)
    if not _ABSOLUTE.search(text) and not _FEWER.search(text) and _ONE_MORE.search(text):
        return current + 1
    return _party_in(text, current)


def day_activities_asked(ctx: Ctx, text: str) -> bool:
    """"เสาร์นี้ตอนเช้ามีอะไรบ้างคะ", "ช่วงบ่ายมีอะไรบ้าง", "เสาร์นี้มีไรมั่ง" (no word กิจกรรม; the router was not
    sure): the activities of that day or part of the day (or group), when the text also asks what there is."""
    return group_activities_asked(ctx, text)


@on_unsure
def activity_said_unsure(ctx: Ctx, text: str) -> bool:
    """Not sure what it is, but it changes my party size, asks what there is on a day or part of the day,
    or names an activity: that, in this order."""
    return (party_change_said(ctx, text) or fewer_going_said(ctx, text) or more_going_said(ctx, text)
            or named_cancel_said(ctx, text) or day_activities_asked(ctx, text)
            or named_signup_said(ctx, text) or party_alone_said(ctx, text) or named_activity_details(ctx, text))


@at_free_text
def cancel_at_free_text(ctx: Ctx, text: str) -> tuple[str, str] | None:
    """At a step that stores any text: "ไม่ไปเดินเร็วแล้วค่ะ ยกเลิกให้ด้วย", read as cancelling and naming one of
    my sign-ups, is asked about ("ผู้สูงอายุไม่ไปออกกำลังกายเพราะไม่มีเพื่อน" names none: stored)."""
    if ctx.user is None or not CANCEL_WORDS.search(text):
        return None
    result = ctx.route(text)
    if not getattr(result, "sure", False) or result.intent != "activity_cancel":
        return None
    rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
    named = find_named_activity(ctx, CANCEL_WORDS.sub("", text), [row.activity for row in rows], loose=True)
    return (f"จะยกเลิกการสมัคร “{named.title}” ใช่ไหมคะ", "ยกเลิกการสมัคร") if named is not None else None


@at_free_text
def signup_at_free_text(ctx: Ctx, text: str) -> tuple[str, str] | None:
    """At a step that stores any text: "ขอสมัครรำไม้พลอง 2 คนค่ะ", read as signing up for an activity it names,
    is asked about ("อยากให้มีรำไม้พลองในชุมชน" asks for no sign-up: stored)."""
    if not SIGNUP_WISH.search(text) or CANCEL_WORDS.search(text) or _ASKS_WHAT.search(text):
        return None
    result = ctx.route(text)
    if not getattr(result, "sure", False) or result.intent != "activity_signup":
        return None
    named = activities_meant(text, svc.upcoming(ctx.session, ctx.now, limit=100))
    if len({a.title for a in named}) != 1:
        return None
    return f"จะสมัคร “{named[0].title}” ใช่ไหมคะ", "สมัครกิจกรรมนี้"


def named_cancel_said(ctx: Ctx, text: str) -> bool:
    """"ป้าไม่ไปรำไม้พลองแล้วนะ ปวดเข่า 😢" (the reason made the router unsure): cancelling the sign-up it names."""
    if ctx.user is None or not CANCEL_WORDS.search(text) or _NEW_SIGNUP.search(CANCEL_WORDS.sub("", text)):
        return False
    if not_cancelling(text):  # "ไม่ยกเลิกแล้วค่ะ ยังไปค่ะ": never the cancel question
        still_signed_up(ctx)
        return True
    rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
    named = find_named_activity(ctx, CANCEL_WORDS.sub("", text), [row.activity for row in rows], loose=True)
    if named is None:
        return False
    ctx.start_flow("activity_cancel", activity_id=named.id)
    return True


SIGNUP_WISH = re.compile(r"สมัคร|สมั[คก]|ลงชื่อ|ลงทะเบียน|จอง|(?:อยาก|ขอ|จะ)\s*(?:ไป|เข้าร่วม|ร่วม)"
                         r"|พา\s*" + _ONE_KIN + r"\s*ไป|[0-9๐-๙]+\s*(?:คน|ท่าน)|ไป\s*(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก)\s*(?:คน|ท่าน)")
"""Asking to go, not only to sign up: "ขอจอง…", "อยากไปเดินเร็วริมคลอง…", "สมัคกิจกรรม…" (a typo), "ตรวจความดัน
วันนี้ ไป 2 คนค่ะ" (how many are going)."""
_ASKS_WHAT = re.compile(r"มีอะไร|อะไรบ้าง|บ้าง|ไหม|มั้ย|ป่าว|หรือเปล่า|ที่ไหน|กี่โมง|เมื่อไหร่|เมื่อไร")
"""A question about what there is ("อยากไปเที่ยว มีอะไรบ้าง"): listed, not signed up for."""


def named_signup_said(ctx: Ctx, text: str, entities: dict[str, Any] | None = None, topic: str | None = None) -> bool:
    """"สมักรำไม้พลองค่ะ", "ขอจองปรึกษาเขียนโครงการตัวต่อตัว 3 ท่านค่ะ", "อยากไปเดินเร็วริมคลองเสาร์หน้าไปกะหลาน2คน"
    (the router was unsure, or read a list): signing up for what it names, with the day and people said; not its
    details card. False when it names no activity, so other readings go on."""
    if not SIGNUP_WISH.search(text) or CANCEL_WORDS.search(text) or _ASKS_WHAT.search(text):
        return False
    if entities is None:
        from nlp.entities import parse_count, parse_date_range

        plain = text.translate(THAI_DIGITS)
        days = parse_date_range(plain, ctx.now)
        entities = {"date_range": [d.isoformat() for d in days]} if days else {}
        entities["count"] = parse_count(plain)
    start, end = _dates(entities)
    window = None
    if start and end:
        window = (datetime.combine(start, time(0), tzinfo=BKK),
                  datetime.combine(end + timedelta(days=1), time(0), tzinfo=BKK))
    if not activities_meant(text, svc.upcoming(ctx.session, ctx.now, date_range=window, limit=100)):
        return False
    sign_up_said(ctx, text, entities, topic)
    return True


@on_postback("activity.party")
@starts_flow
def party_postback(ctx: Ctx, args: dict[str, str]) -> None:
    ctx.start_flow("activity_party", activity_id=args.get("id"))


def party_room(ctx: Ctx) -> tuple[Signup, svc.PartyRoom]:
    """The flow's live sign-up and how far it may change now (svc.party_room)."""
    activity = _flow_activity(ctx)
    row = svc.live_signup(ctx.session, ctx.user, activity)
    return row, svc.party_room(ctx.session, activity, row, ctx.now)


def _room_note(row: Signup, room: svc.PartyRoom) -> str:
    """What the chips offered leave out, and why: more people cannot come, or would wait."""
    code = room.why_no_more.code if room.why_no_more is not None else None
    if code == "deadline_passed":
        return "แต่ปิดรับสมัครแล้ว ลดจำนวนได้ เพิ่มคนไม่ได้แล้วค่ะ\n"
    if code == "not_enough_seats":
        return ("ที่นั่งเต็มแล้ว ลดจำนวนได้ แต่เพิ่มคนไม่ได้ค่ะ\n" if room.seats_free <= 0 else
                f"เหลือที่ว่างอีก {room.seats_free} ที่ เปลี่ยนได้ไม่เกิน {room.most} คนค่ะ\n")
    if row.status != "waitlisted":
        return ""
    if room.seats_free <= 0:
        return "อยู่ในรายชื่อสำรอง ที่นั่งยังเต็ม เปลี่ยนแล้วยังรอในลำดับเดิมค่ะ\n"
    return (f"อยู่ในรายชื่อสำรอง มีที่ว่าง {room.seats_free} ที่ ถ้าไปไม่เกิน {room.seats_free} คนจะได้ที่นั่งทันที "
            "มากกว่านั้นยังรอในลำดับเดิมค่ะ\n")


def ask_new_party(ctx: Ctx) -> str:
    activity = _flow_activity(ctx)
    row, room = party_room(ctx)
    over = _over_note(ctx)
    note = "" if over else _room_note(row, room)  # the reason said with the number says it already
    counted = "" if engine.data(ctx).get("for_whom") else " (รวมตัวคุณเองด้วยค่ะ)"
    return f"{over}“{activity.title}”\nตอนนี้สมัครไว้ {row.party_size} คน {note}จะเปลี่ยนเป็นกี่คนคะ{counted}"


NO_MORE_BECAUSE = {"deadline_passed": "“{title}” ปิดรับสมัครแล้วค่ะ",
                   "not_enough_seats": "ตอนนี้ที่นั่ง “{title}” เต็มแล้วค่ะ",
                   "party_over_capacity": "“{title}” รับได้ทั้งหมด {capacity} คนค่ะ"}


def no_room_message(ctx: Ctx, row: Signup, room: svc.PartyRoom) -> dict[str, Any]:
    """One person going, and no more may come: nothing to change, and why."""
    code = room.why_no_more.code if room.why_no_more is not None else ""
    why = NO_MORE_BECAUSE.get(code, "“{title}”").format(title=row.activity.title, capacity=row.activity.capacity)
    return replies.text(f"{why} จึงเพิ่มคนไม่ได้ ยังไปได้ {row.party_size} คนเหมือนเดิมนะคะ",
                        quick=_activity_quick(ctx))


def ask_party_confirm(ctx: Ctx) -> str:
    """A number read from a sentence is said back before anything changes (fewer seats go to the waitlist)."""
    data = engine.data(ctx)
    row = svc.live_signup(ctx.session, ctx.user, svc.get_activity(ctx.session, data.get("activity_id")))
    party = int(data.get("party") or 0)
    activity = row.activity
    if row.status == "waitlisted":  # she holds no seats: none to pass on, maybe one to get
        left = svc.seats_left(ctx.session, activity)
        after = (f" ตอนนี้มีที่ว่าง {left} ที่ พอสำหรับ {party} คน เปลี่ยนแล้วจะได้ที่นั่งทันทีค่ะ" if party <= left
                 else " ยังอยู่ในรายชื่อสำรองเหมือนเดิมค่ะ")
    elif party < row.party_size and svc.waitlist_count(ctx.session, activity.id):
        after = " ที่นั่งที่ลดลงจะส่งต่อให้คนในรายชื่อสำรองทันทีค่ะ"
    else:
        after = ""
    who = data.get("for_whom")  # for someone else ("แม่ไปคนเดียว"): the speaker is not among them
    counted = f"({who}ไปคนเดียว) " if who and party == 1 else "" if who else "(รวมตัวคุณเอง) "
    return f"เปลี่ยนจำนวนคนที่ไป “{activity.title}” จาก {row.party_size} เป็น {party} คน {counted}ใช่ไหมคะ{after}"


def party_changed_message(ctx: Ctx, change: svc.PartyChange) -> dict[str, Any]:
    row = change.signup
    activity = ctx.session.get(Activity, row.activity_id)
    head = f"เปลี่ยนจำนวนคนที่ไป “{activity.title}” จาก {change.before} เป็น {row.party_size} คนแล้วค่ะ ✅"
    if change.got_a_seat and ctx.is_group:  # the code to their one-to-one chat, not to the whole group
        tail = "ได้ที่นั่งแล้วค่ะ 🎉 " + code_privately(ctx, [replies.text(
            f"“{activity.title}” " + PROMOTED.format(code=row.checkin_code, when=svc.when_where(activity)))])
    elif change.got_a_seat:
        tail = PROMOTED.format(code=row.checkin_code, when=svc.when_where(activity))
    elif row.status == "confirmed":
        who = "ทุกคนในกลุ่ม" if row.party_size > 1 else "เหมือนเดิม"
        code = "" if ctx.is_group else f" {row.checkin_code}"
        tail = f"รหัสเช็คอินเดิม{code} ใช้ได้{who}นะคะ"
    else:
        left = svc.seats_left(ctx.session, activity)
        short = f"เหลือ {left} ที่ ยังไม่พอสำหรับ {row.party_size} คน " if left > 0 else ""
        tail = (f"{short}ยังอยู่ในรายชื่อสำรองลำดับที่ {svc.waitlist_position(ctx.session, row)} "
                "เมื่อมีที่ว่างจะแจ้งทันทีค่ะ")
    freed = " ที่นั่งที่เหลือส่งต่อให้คนในรายชื่อสำรองแล้วค่ะ 🙏" if change.promoted and row not in change.promoted else ""
    return replies.text(f"{head}\n{tail}{freed}", quick=_activity_quick(ctx))


def ask_cancel_confirm(ctx: Ctx) -> str:
    activity = _flow_activity(ctx)
    passed_on = " ที่นั่งจะส่งต่อให้คนในรายชื่อสำรองค่ะ" if svc.waitlist_count(ctx.session, activity.id) else ""
    return (f"ยกเลิกการสมัคร “{activity.title}”\n{format_span(activity.starts_at, activity.ends_at)}\n"
            f"ใช่ไหมคะ{passed_on}")


def kept_message(ctx: Ctx) -> dict[str, Any]:
    return replies.text("ได้ค่ะ ยังคงสมัครไว้เหมือนเดิมนะคะ 😊", quick=_activity_quick(ctx))


def cancelled_message(ctx: Ctx, result: svc.CancelResult) -> dict[str, Any]:
    activity = ctx.session.get(Activity, result.signup.activity_id)
    return replies.text(f"ยกเลิกการสมัคร “{activity.title}” แล้วค่ะ ขอบคุณที่แจ้งนะคะ 🙏",
                        quick=_activity_quick(ctx))


# --- staff ---------------------------------------------------------------------------------------

_SPAN = re.compile(r"^(?P<day>.+?)\s+(?P<h1>\d{1,2})[:.](?P<m1>\d{2})(?:\s*(?:-|–|ถึง)\s*(?P<h2>\d{1,2})[:.](?P<m2>\d{2}))?"
                   r"\s*(?:น\.?)?$")


BAD_TIME = "อ่านวันเวลาไม่ออกค่ะ ขอแบบนี้นะคะ: 5/12/2569 09:00-11:00 หรือ “พรุ่งนี้ 9 โมง”"
_END_SEPARATOR = re.compile(r"\s*(?:–|ถึง|-(?=\s*\d{1,2}[:.]\d{2}))\s*")


DEFAULT_LENGTH = timedelta(hours=2)
def parse_span(text: str, now: datetime, length: timedelta = DEFAULT_LENGTH) -> tuple[datetime, datetime]:
    """'5/12/2569 09:00-11:00' or 'พรุ่งนี้ 9 โมง ถึง 11:00' → (start, end), Bangkok time; without an end, `length` (two hours, or as long as the activity being moved).

    A span already past is refused here (the service's rule), so staff hear it when they type it.
    """
    cleaned = hours_spelled((text or "").strip().translate(THAI_DIGITS))  # "9-12 โมง": not 9 Dec
    wrong_day = no_such_day(cleaned, now) or ambiguous_year(cleaned)
    if wrong_day:
        raise ServiceError("bad_time", wrong_day)
    match = _SPAN.match(cleaned)
    if match:
        start = _clock_on(match["day"], int(match["h1"]), int(match["m1"]), now)
        end = (_clock_on(match["day"], int(match["h2"]), int(match["m2"]), now) if match["h2"]
               else start + length)
    else:
        start, end = _parse_span_in_words(cleaned, now, length)
    if end <= start and start.hour >= 18 and end.hour < 6:  # "4 ทุ่ม ถึง เที่ยงคืนครึ่ง": past midnight
        end += timedelta(days=1)
    if end <= start:
        raise ServiceError("bad_time", f"เวลาจบ ({end:%H:%M} น.) ต้องหลังเวลาเริ่ม ({start:%H:%M} น.) ค่ะ")
    svc.check_times(start, end, now=now)
    return start, end


def names_an_end(text: str, now: datetime) -> bool:
    """Whether a day and time typed says when it ends ("… ถึง 9 โมง", "09:00-11:00"), not only when it starts."""
    cleaned = hours_spelled((text or "").strip().translate(THAI_DIGITS))
    match = _SPAN.match(cleaned)
    if match:
        return bool(match["h2"])
    return bool(_split_span(cleaned, now)[1])


def parse_move(text: str, now: datetime, starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """A new day and/or time for an activity now at `starts_at`–`ends_at`; what is not said stays as it was:
    "29 ธ.ค." keeps its hours, "9 โมง" (or "9 โมง ถึง 11 โมง") keeps its day, and without an end, its length.

    Both were refused ("อ่านวันเวลาไม่ออก"), or a time alone was read as today's."""
    from nlp.entities import extract

    cleaned = (text or "").strip().translate(THAI_DIGITS)
    question = ambiguous_year(cleaned)
    if question:
        raise ServiceError("bad_time", question)
    start, length = to_bkk(starts_at), ends_at - starts_at
    said = extract(cleaned, now)
    if "date" in said and "time" not in said:  # a day alone: the same hours on that day
        day = date.fromisoformat(said["date"])
        new_start = datetime.combine(day, start.timetz())
        svc.check_times(new_start, new_start + length, now=now)
        return new_start, new_start + length
    if "time" in said and "date_range" not in said:  # a time alone: on the same day
        cleaned = f"{start.day}/{start.month}/{start.year + 543} {cleaned}"
    return parse_span(cleaned, now, length=length)


def _clock_on(day_text: str, hour: int, minute: int, now: datetime) -> datetime:
    """HH:MM on a day typed as digits ('5/12/2569') or words ('4 ธ.ค.', 'วันศุกร์ที่ 4 ธ.ค.', 'พรุ่งนี้')."""
    try:
        return svc.parse_when(f"{day_text} {hour}:{minute:02d}")
    except ValueError:
        pass
    from nlp.entities import parse_date_range

    days = parse_date_range(day_text, now)
    if days is None or days[0] != days[1] or not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ServiceError("bad_time", BAD_TIME)
    return datetime(days[0].year, days[0].month, days[0].day, hour, minute, tzinfo=BKK)


def _parse_span_in_words(text: str, now: datetime, length: timedelta) -> tuple[datetime, datetime]:
    """Day and time words as residents type them ("เสาร์นี้ บ่ายสอง", "พรุ่งนี้ 7 โมง ถึง 9 โมง")."""
    from nlp.entities import parse_when as parse_words

    start_text, end_text = _split_span(text, now)
    start = parse_words(start_text, now)
    if start is None or (start.hour, start.minute) == (0, 0):  # no time said: do not guess midnight
        raise ServiceError("bad_time", BAD_TIME)
    if not end_text:
        return start, start + length
    until = parse_words(end_text, now)
    if until is None:
        raise ServiceError("bad_time", BAD_TIME)
    end = start.replace(hour=until.hour, minute=until.minute)
    if end <= start and start.hour >= 12 and until.hour < 12 and not _MORNING_OR_NIGHT.search(end_text):
        end += timedelta(hours=12)  # "5 โมงเย็น ถึง 6 โมงครึ่ง": the end is in the same evening, 18:30
    return start, end


_MORNING_OR_NIGHT = re.compile(r"เช้า|ตี|เที่ยงคืน|สาย")
"""Words that keep an end hour in the morning or the night ("ถึงตีหนึ่ง", "ถึงเที่ยงคืนครึ่ง")."""


_DASH = re.compile(r"\s*-\s*")


def _split_span(text: str, now: datetime) -> tuple[str, str]:
    """'พรุ่งนี้ 7 โมง ถึง 9 โมง' → ('พรุ่งนี้ 7 โมง', '9 โมง'); "7 โมง-8 โมง" too (a "-" between
    two times, not inside a date: "5-6 ธ.ค."); no end → (text, '')."""
    from nlp.entities import extract

    parts = _END_SEPARATOR.split(text, maxsplit=1)
    if len(parts) > 1:
        return parts[0], parts[1]
    for dash in _DASH.finditer(text):
        before, after = text[: dash.start()], text[dash.end():]
        if "time" in extract(before, now) and "time" in extract(after, now):
            return before, after
    return text, ""


def _fields(raw: str) -> list[str]:
    return [p.strip() for p in (raw or "").split("|")]


_SEAT_WORDS = re.compile(r"ที่นั่ง|ที่|คน|ท่าน|รับได้|รับ|ได้|ประมาณ|ราว ?ๆ|ไม่เกิน|สูงสุด|ค่ะ|คะ|ครับ|จ้า|\s")


def parse_seats(text: str, example: str = "30") -> int:
    """Seats as staff type them ("40", "๔๐ ที่", "สามสิบคน", "รับได้ 25 คน"); ServiceError with an example otherwise.

    Only a number and the words around one: "ศูนย์บริการสาธารณสุข 44" (a place typed a step late) is not 44 seats."""
    from nlp.entities import parse_number

    core = _SEAT_WORDS.sub("", str(text or "").translate(THAI_DIGITS))
    seats = int(core) if core.isdigit() else parse_number(core) if core else None
    if seats is None or seats < 1:
        raise ServiceError("bad_capacity", f"จำนวนที่นั่งต้องเป็นตัวเลขค่ะ เช่น {example}")
    return seats


def _start_staff(ctx: Ctx, data: dict[str, Any]) -> None:
    engine.start(ctx, "activity_staff", data)


@on_command(r"คำสั่งกิจกรรม", staff_only=True)
@reads_only
def staff_help(ctx: Ctx, _: Any) -> None:
    ctx.reply(texts.menu(_role(ctx), STAFF_HELP))


@on_command(r"(?:เพิ่ม|สร้าง)กิจกรรม(?:ใหม่)?\s*(?P<rest>.*)", staff_only=True)
def staff_publish(ctx: Ctx, match: re.Match[str]) -> None:
    if not match["rest"].strip():
        ctx.start_flow("activity_new")  # the command alone: ask field by field
        return
    parts = _fields(match["rest"])
    if len(parts) == 1 and len(parts[0]) <= 200:  # "เพิ่มกิจกรรม โยคะ 5 ธ.ค. 7 โมง": the form, from the name on
        ctx.start_flow("activity_new", title=parts[0])
        return
    if len(parts) < 4 or not parts[0]:
        ctx.reply(texts.menu(_role(ctx), "ขอรายละเอียดแบบนี้นะคะ (หรือพิมพ์ “เพิ่มกิจกรรม” คำเดียว แล้วตอบทีละข้อ)\n"
                             + STAFF_HELP))
        return
    title, span, place, seats = parts[:4]
    start, end = parse_span(span, ctx.now)
    seats_n = parse_seats(seats)
    community = None
    if len(parts) > 4 and parts[4]:
        community = communities.one_named(ctx.session, parts[4])  # loose: the confirm step shows it
        if community is None:
            raise ServiceError("community_unknown", f"ไม่พบชุมชน {parts[4]} ค่ะ ลองพิมพ์ชื่อตามรายชื่อชุมชนนะคะ")
    _start_staff(ctx, {"op": "publish", "title": title, "place": place, "capacity": seats_n,
                       "starts_at": start.isoformat(), "ends_at": end.isoformat(),
                       "community_id": community.id if community else None, **svc.suggested_labels(title)})


@on_command(r"เลื่อน\s*กิจกรรม\s*(?:ที่)?\s*#?(?P<id>\d+)\s*(?P<rest>.*)", staff_only=True)
def staff_reschedule(ctx: Ctx, match: re.Match[str]) -> None:
    parts = _fields(match["rest"].lstrip("|").strip())
    if not parts[0]:
        ctx.reply(texts.menu(_role(ctx), "ขอแบบนี้นะคะ: เลื่อนกิจกรรม 12 | 6/12/2569 13:00-15:00 [| สถานที่ใหม่]"))
        return
    activity = svc.get_activity(ctx.session, match["id"])
    svc.still_open(activity, "เลื่อน")
    by = shift_said(parts[0])  # "ออกไป 1 ชั่วโมง", "เร็วขึ้นครึ่งชั่วโมง": start and end moved by that much
    if by is not None:
        start, end = svc.moved_by(activity, by, now=ctx.now)
    else:
        start, end = parse_move(parts[0], ctx.now, activity.starts_at, activity.ends_at)  # what is not said stays
    _start_staff(ctx, {"op": "reschedule", "activity_id": activity.id, "starts_at": start.isoformat(),
                       "ends_at": end.isoformat(), "place": parts[1] if len(parts) > 1 else None})


EDIT_FIELDS = {
    "ชื่อ": "title", "ชื่อกิจกรรม": "title", "ชื่อเรื่อง": "title",
    "สถานที่": "place", "ที่": "place", "สถานที่จัด": "place", "ที่จัด": "place", "จัดที่": "place",
    "ที่นั่ง": "capacity", "จำนวนที่นั่ง": "capacity", "จำนวนคน": "capacity", "รับ": "capacity", "รับได้": "capacity",
    "จำนวนที่รับ": "capacity", "จำนวนรับ": "capacity",
    "รายละเอียด": "description", "รายละเอียดกิจกรรม": "description", "คำอธิบาย": "description",
    "ปิดรับสมัคร": "signup_deadline", "วันปิดรับสมัคร": "signup_deadline", "ปิดรับ": "signup_deadline",
    "ปิดสมัคร": "signup_deadline", "หมดเขต": "signup_deadline", "หมดเขตรับสมัคร": "signup_deadline",
    "หมดเขตสมัคร": "signup_deadline", "รับสมัครถึง": "signup_deadline", "สมัครได้ถึง": "signup_deadline",
    "เดดไลน์": "signup_deadline", "deadline": "signup_deadline",
    "หัวข้อ": "topic", "เรื่อง": "topic", "ประเด็น": "topic",
    "กลุ่มเป้าหมาย": "target_group", "กลุ่ม": "target_group", "เหมาะกับ": "target_group", "สำหรับ": "target_group",
    "ชุมชน": "community_id", "ของชุมชน": "community_id",
    "ค่าสมัคร": "fee_baht", "ค่าใช้จ่าย": "fee_baht", "ค่าเข้าร่วม": "fee_baht", "ค่าลงทะเบียน": "fee_baht",
}
"""What staff may change by chat ("ที่นั่ง 40", "ปิดรับสมัคร 28 ธ.ค. 18:00"), the word first; the date and time
of the activity itself go through เลื่อนกิจกรรม."""
EDIT_LABELS = {"title": "ชื่อ", "place": "สถานที่", "capacity": "ที่นั่ง", "description": "รายละเอียด",
               "signup_deadline": "ปิดรับสมัคร", "topic": "หัวข้อ", "target_group": "เหมาะกับ", "community_id": "ชุมชน",
               "fee_baht": "ค่าสมัคร"}
"""How the preview and the answer name each of those fields."""
_EDIT_PART = re.compile(r"(?P<word>" + "|".join(sorted(EDIT_FIELDS, key=len, reverse=True)) + r")\s*(?:เป็น|=|:)?\s*"
                        r"(?P<value>.+)", re.DOTALL | re.IGNORECASE)
EDIT_HELP = ("ขอแบบนี้นะคะ: แก้กิจกรรม 12 | ที่นั่ง 40 | สถานที่ ลานวัด (ใส่เฉพาะช่องที่จะแก้ค่ะ)\n"
             "แก้ได้: ชื่อ, สถานที่, ที่นั่ง, รายละเอียด, ปิดรับสมัคร (เช่น “ปิดรับสมัคร 28 ธ.ค. 18:00”), "
             "หัวข้อ, กลุ่มเป้าหมาย, ชุมชน, ค่าสมัคร (เช่น “ค่าสมัคร 20 บาท” หรือ “ค่าสมัคร ฟรี”)")
_NOW_WORDS = re.compile(r"(?:ตอนนี้|เดี๋ยวนี้|ทันที|เลย)\s*(?:ค่ะ|คะ|ครับ)?")
_NONE_WORDS = re.compile(r"(?:ไม่มี|ไม่กำหนด|ไม่ปิด|ไม่ระบุ|ทุกกลุ่ม|ทั้งเขต|ทุกชุมชน|-)\s*(?:ค่ะ|คะ|ครับ)?")
DEADLINE_HELP = "เช่น “ปิดรับสมัคร 28 ธ.ค. 18:00” หรือ “ปิดรับสมัคร ตอนนี้” หรือ “ปิดรับสมัคร ไม่มี”"


def _deadline(value: str, now: datetime) -> str | None:
    """'28 ธ.ค. 18:00' → ISO; a day alone is its end (23:59); "ตอนนี้" is now; "ไม่มี" removes it."""
    if _NONE_WORDS.fullmatch(value):
        return None
    if _NOW_WORDS.fullmatch(value):
        return now.astimezone(BKK).replace(second=0, microsecond=0).isoformat()
    from bot.thaidate import parse_day_text

    wrong_day = no_such_day(value, now) or ambiguous_year(value)
    if wrong_day:
        raise ServiceError("bad_deadline", wrong_day)
    when = parse_day_text(value.translate(THAI_DIGITS), now, end_of_day=True)
    if when is None:
        raise ServiceError("bad_deadline", f"อ่านวันปิดรับสมัคร “{value}” ไม่ออกค่ะ {DEADLINE_HELP}")
    if when <= now:
        raise ServiceError("bad_deadline", f"{format_datetime(when)} ผ่านไปแล้วค่ะ "
                                           "ถ้าจะปิดรับสมัครเลย พิมพ์ “ปิดรับสมัคร ตอนนี้” ได้ค่ะ")
    return when.isoformat()


def _topic(value: str) -> str | None:
    """A topic as staff name it: its name or short name ("สุขภาพจิต", "บุหรี่"), or a word of it ("ออกกำลังกาย")."""
    from bot.services.ideas import topic_short
    from nlp.topics import topic_of

    if _NONE_WORDS.fullmatch(value):
        return None
    said = "".join(value.split())
    for key, name in svc.reference_names("topics").items():
        if said in ("".join(name.split()), topic_short(key)):
            return key
    found = topic_of(value)
    if found is None:
        shorts = ", ".join(topic_short(key) for key in svc.reference_names("topics"))
        raise ServiceError("bad_topic", f"ไม่รู้จักหัวข้อ “{value}” ค่ะ เลือกได้จาก: {shorts}")
    return found


def _target_group(value: str) -> str | None:
    """A target group as staff name it ("ผู้สูงอายุ", "เด็ก"); "ทุกกลุ่ม" is none."""
    if _NONE_WORDS.fullmatch(value):
        return None
    names = svc.reference_names("target_groups")
    said = "".join(value.split())
    found = next((key for key, name in names.items() if "".join(name.split()) == said), None)
    found = found or svc.target_group_in(value)
    if found is None:
        raise ServiceError("bad_target_group",
                           f"ไม่รู้จักกลุ่ม “{value}” ค่ะ เลือกได้จาก: {', '.join(names.values())} หรือ “ทุกกลุ่ม”")
    return found


def _community_id(ctx: Ctx, value: str) -> int | None:
    """A community by name ("ชุมชนโชคชัย 4", loose, as when publishing); "ทั้งเขต" is district-wide (none)."""
    if _NONE_WORDS.fullmatch(value):
        return None
    found = communities.one_named(ctx.session, value)
    if found is None:
        raise ServiceError("community_unknown", f"ไม่พบชุมชน {value} ค่ะ ลองพิมพ์ชื่อตามรายชื่อชุมชนนะคะ")
    return found.id


def edit_fields(ctx: Ctx, rest: str) -> dict[str, Any]:
    """'ที่นั่ง ๔๐ | สถานที่ ลานวัด' → {'capacity': 40, 'place': 'ลานวัด'}; ServiceError with the reason.

    Values are kept as the journey stores them: a deadline as ISO text, a topic or group as its key."""
    fields: dict[str, Any] = {}
    for part in _fields(rest):
        if not part:
            continue
        found = _EDIT_PART.fullmatch(part)
        if found is None:
            raise ServiceError("bad_edit", f"ไม่เข้าใจ “{part}” ค่ะ\n{EDIT_HELP}")
        name, value = EDIT_FIELDS[found["word"].lower()], found["value"].strip()
        if name == "capacity":
            fields[name] = parse_seats(value, example="ที่นั่ง 40")
        elif name == "signup_deadline":
            fields[name] = _deadline(value, ctx.now)
        elif name == "topic":
            fields[name] = _topic(value)
        elif name == "target_group":
            fields[name] = _target_group(value)
        elif name == "community_id":
            fields[name] = _community_id(ctx, value)
        elif name == "fee_baht":
            fields[name] = svc.parse_fee(value)
        else:
            fields[name] = value
    if not fields:
        raise ServiceError("bad_edit", EDIT_HELP)
    return fields


def fee_shown(fee_baht: int | None) -> str:
    """A fee as staff's previews show it: "ฟรี", "50 บาท", "ยังไม่ระบุ"."""
    if fee_baht is None:
        return "ยังไม่ระบุ"
    return "ฟรี" if fee_baht == 0 else f"{fee_baht:,} บาท"


def _edit_shown(ctx: Ctx, name: str, value: Any) -> str:
    """A field's value as the edit preview shows it (a date in Thai, a topic's or community's name)."""
    if name == "fee_baht":
        return fee_shown(value)
    if value is None or value == "":
        return {"community_id": "ทั้งเขต", "target_group": "ทุกกลุ่ม"}.get(name, "-")
    if name == "signup_deadline":
        return format_datetime(datetime.fromisoformat(value) if isinstance(value, str) else value)
    if name == "topic":
        from bot.services.ideas import topic_short

        return topic_short(value)
    if name == "target_group":
        return svc.reference_names("target_groups").get(value, value)
    if name == "community_id":
        return communities.name_or_district(ctx.session, value)
    return str(value)


@on_command(r"(?:ขอ)?แก้(?:ไข)?กิจกรรม\s*(?:ค่ะ|ครับ)?", staff_only=True)
def staff_edit_help(ctx: Ctx, _: Any) -> None:
    ctx.reply(texts.menu(_role(ctx), EDIT_HELP + "\nเลขกิจกรรมดูได้จากการ์ดกิจกรรม (#12) ค่ะ"))


@on_command(r"แก้(?:ไข)?กิจกรรม\s*#?(?P<id>\d+)\s*(?P<rest>.*)", staff_only=True)
def staff_edit(ctx: Ctx, match: re.Match[str]) -> None:
    activity = svc.get_activity(ctx.session, match["id"])
    svc.still_open(activity, "แก้ไข")
    fields = edit_fields(ctx, match["rest"].lstrip("|").strip())
    if "capacity" in fields:  # refused now, not after ยืนยัน (which brought the same preview back)
        svc.check_capacity(ctx.session, activity, fields["capacity"])
    if fields.get("signup_deadline"):
        svc.check_deadline(activity, datetime.fromisoformat(fields["signup_deadline"]))
    changed = svc.changes(activity, _service_fields(fields))
    if not changed:  # "ค่าสมัคร ฟรี" on a free activity: said so, not "ฟรี → ฟรี ยืนยันไหมคะ"
        ctx.reply(texts.menu(_role(ctx), nothing_to_edit(ctx, activity, fields)))
        return
    _start_staff(ctx, {"op": "edit", "activity_id": activity.id,
                       "fields": {name: value for name, value in fields.items() if name in changed}})


def nothing_to_edit(ctx: Ctx, activity: Activity, fields: dict[str, Any]) -> str:
    """An edit that changes nothing: the activity is that way already."""
    lines = [f"{EDIT_LABELS[name]}: {_edit_shown(ctx, name, value)}" for name, value in fields.items()]
    return f"กิจกรรม “{activity.title}” เป็นแบบนี้อยู่แล้วค่ะ\n" + "\n".join(lines) + "\nไม่มีอะไรต้องแก้นะคะ"


_ONLY_POLITE = re.compile(r"(?:นะ|ค่ะ|คะ|ครับ|จ้า|เลย|ด้วย|\s)*")


@on_command(r"(?:ขอ\s*)?(?:ช่วย\s*)?ปิด\s*(?:รับ\s*)?สมัคร\s*(?:กิจกรรม)?\s*#?(?P<id>[0-9๐-๙]+)\s*\|?\s*(?P<rest>.*)",
            staff_only=True)
def staff_close_signups(ctx: Ctx, match: re.Match[str]) -> None:
    """"ปิดรับสมัครกิจกรรม 12" (now) or "… 12 | 28 ธ.ค. 18:00": the edit of its deadline (it was not understood)."""
    activity = svc.get_activity(ctx.session, match["id"].translate(THAI_DIGITS))
    svc.still_open(activity, "แก้ไข")
    rest = match["rest"].strip()
    deadline = _deadline("ตอนนี้" if _ONLY_POLITE.fullmatch(rest) else rest, ctx.now)
    if deadline:
        svc.check_deadline(activity, datetime.fromisoformat(deadline))
    _start_staff(ctx, {"op": "edit", "activity_id": activity.id, "fields": {"signup_deadline": deadline}})


def resident_cancel(ctx: Ctx, match: re.Match[str]) -> None:
    """"ยกเลิกกิจกรรม 6 ค่ะ" from a resident: cancel their own sign-up for activity 6 (the journey says so
    when they hold none there)."""
    ctx.start_flow("activity_cancel", activity_id=match["id"])


@on_command(r"ยกเลิกกิจกรรม\s*#?(?P<id>\d+)\s*(?P<rest>.*)", staff_only=True)
@for_residents(resident_cancel)
def staff_cancel(ctx: Ctx, match: re.Match[str]) -> None:
    activity = svc.get_activity(ctx.session, match["id"])
    svc.still_open(activity, "ยกเลิกซ้ำ")
    _start_staff(ctx, {"op": "cancel", "activity_id": activity.id, "reason": reason_text(match["rest"])})


_CANCEL_LEAD = re.compile(r"^\s*(?:ขอ|ช่วย)?\s*(?:ยกเลิก|งด)\s*(?:การจัด)?\s*(?:กิจกรรม)?\s*")
_REASON_SPLIT = re.compile(r"\s*(?:\||เพราะ(?:ว่า)?|เนื่องจาก|เหตุผล\s*:?)\s*")


def staff_cancel_named(ctx: Ctx, text: str) -> bool:
    """"ยกเลิกกิจกรรมเดินเร็วรอบสวนนะคะ ฝนตก" from staff: the cancel-activity journey for the upcoming activity
    the words name, with what follows the name ("ฝนตก") as the reason told to the participants. False when no
    activity is named (it answered "ตอนนี้คุณยังไม่ได้สมัครกิจกรรมไหนค่ะ", as to a resident)."""
    said = _CANCEL_LEAD.sub("", text or "", count=1)
    candidates = svc.upcoming(ctx.session, ctx.now, limit=100)
    split = _REASON_SPLIT.split(said, maxsplit=1)
    if len(split) == 2 and (found := find_named_activity(ctx, split[0], candidates)) is not None:
        activity, reason = found, split[1]
    else:
        activity, reason = _name_then_reason(ctx, said, candidates)
    if activity is None:
        return False
    svc.still_open(activity, "ยกเลิกซ้ำ")
    _start_staff(ctx, {"op": "cancel", "activity_id": activity.id, "reason": reason_text(reason)})
    return True


def _name_then_reason(ctx: Ctx, said: str, candidates: list[Activity]) -> tuple[Activity | None, str]:
    """The activity the first words name and the words after them: of the ways to split the words, the one
    whose first part matches the title best (then the longer first part: "เดินเร็ว รอบสวน" is all title)."""
    words = said.split()
    best: tuple[float, int] | None = None
    chosen: Activity | None = None
    for k in range(1, len(words) + 1):
        name = " ".join(words[:k])
        found = find_named_activity(ctx, name, candidates)
        if found is None or (chosen is not None and found.id != chosen.id):
            continue
        score = (pair_overlap(_name_query(name), found.title), k)
        if best is None or score > best:
            best, chosen = score, found
    return chosen, " ".join(words[best[1]:]) if best else ""


def staff_not_done(ctx: Ctx, data: dict[str, Any]) -> str | None:
    """What a staff journey left undone when staff stopped it (nothing changed, nobody told), said plainly."""
    op = data.get("op")
    if op == "publish":
        return f"ได้ค่ะ ยังไม่ได้เผยแพร่กิจกรรม “{data.get('title') or ''}” ไม่มีอะไรเปลี่ยนนะคะ"
    try:
        activity = svc.get_activity(ctx.session, data.get("activity_id"))
    except ServiceError:
        return None
    if op == "cancel":
        return (f"ได้ค่ะ ไม่ได้ยกเลิกกิจกรรม “{activity.title}” กิจกรรมยังเผยแพร่อยู่ตามเดิม "
                "และไม่ได้แจ้งผู้สมัครนะคะ")
    if op == "reschedule":
        return f"ได้ค่ะ ไม่ได้เลื่อนกิจกรรม “{activity.title}” ยังเป็นวันเวลาเดิม และไม่ได้แจ้งผู้สมัครนะคะ"
    if op == "edit":
        return f"ได้ค่ะ ไม่ได้แก้ไขกิจกรรม “{activity.title}” ข้อมูลยังเหมือนเดิมนะคะ"
    return None


def publish_preview(ctx: Ctx, data: dict[str, Any]) -> str:
    """The new activity as staff will publish it (title, place, capacity, community_id, ISO start and end)."""
    start, end = datetime.fromisoformat(data["starts_at"]), datetime.fromisoformat(data["ends_at"])
    where = communities.name_or_district(ctx.session, data.get("community_id"))
    fee = data.get("fee_baht")
    how = "" if fee is not None else " (พิมพ์ได้ เช่น “ค่าสมัคร 20 บาท” หรือ “ฟรี”)"
    return (f"เผยแพร่กิจกรรมใหม่นะคะ\n“{data['title']}”\n{format_span(start, end)}\nสถานที่: {data['place']}\n"
            f"ที่นั่ง {data['capacity']} · {where}\n{labels_line(data)}\nค่าสมัคร: {fee_shown(fee)}{how}\nยืนยันไหมคะ")


PUBLISH_CHANGES = {"title", "place", "capacity", "topic", "target_group", "community_id", "when", "fee_baht"}
"""What a new activity's preview takes typed ("แก้ชื่อเป็น …"); its deadline and description are set afterwards."""
FORM_KEYS = {"community_id": "community"}
"""Where the step-by-step form keeps a field under another name (its step's)."""


def change_typed(text: str) -> ChangeSaid | None:
    """A field changed in a sentence ("แก้ชื่อเป็น …", "เปลี่ยนจำนวนรับเป็น 30 คน"), or a fee said alone ("ค่าสมัคร 50 บาท",
    "ฟรี"); None when the text changes no field."""
    said = change_said(text, EDIT_FIELDS)
    if said is None:
        fee = fee_said(text)
        said = ChangeSaid("fee_baht", "ค่าสมัคร", fee) if fee is not None else None
    return said


def publish_change(ctx: Ctx, text: str) -> str | None:
    """'แก้ชื่อเป็น โยคะผู้สูงอายุ', 'เปลี่ยนจำนวนรับเป็น 30 คน', 'ค่าสมัคร 20 บาท', 'ฟรี' at a new activity's preview:
    the field changed (RECOUNT: the preview again). Without a value ("แก้สถานที่"), the step-by-step form's step to
    ask it. None when the text changes no field; ServiceError with the reason when the value does not fit."""
    from bot.flows.activity import RECOUNT, suggest_labels

    said = change_typed(text)
    if said is None:
        return None
    form = engine.active_flow(ctx) is not None and engine.active_flow(ctx).name == "activity_new"
    if said.name not in PUBLISH_CHANGES:
        raise ServiceError("bad_edit", "ตอนนี้แก้ได้: ชื่อ วันเวลา สถานที่ ที่นั่ง ชุมชน หัวข้อ กลุ่มเป้าหมาย ค่าสมัคร ค่ะ "
                                       "ที่เหลือแก้ได้หลังเผยแพร่ด้วย “แก้กิจกรรม” นะคะ")
    if not said.value:
        if said.name in ("topic", "target_group", "fee_baht"):
            return said.name
        if form:
            return FORM_KEYS.get(said.name, said.name)
        raise ServiceError("bad_edit", f"พิมพ์ค่าใหม่ต่อท้ายได้เลยค่ะ เช่น “แก้{said.word}เป็น …”")
    data = engine.data(ctx)
    if said.name == "when":
        shown = data["when"] if form else (data["starts_at"], data["ends_at"])
        start, end = parse_move(said.value, ctx.now, *(datetime.fromisoformat(t) for t in shown))
        engine.put(ctx, **({"when": [start.isoformat(), end.isoformat()]} if form else
                           {"starts_at": start.isoformat(), "ends_at": end.isoformat()}))
        return RECOUNT
    value = edit_fields(ctx, f"{said.word} {said.value}")[said.name]
    if said.name == "title":
        engine.put(ctx, **suggest_labels(ctx, value))
    if said.name in ("topic", "target_group"):  # chosen, as with its chip: kept if the title changes
        engine.put(ctx, _chosen=sorted({*data.get("_chosen", []), said.name}))
    if form and said.name == "community_id":
        value = str(value or 0)
    engine.put(ctx, **{FORM_KEYS.get(said.name, said.name) if form else said.name: value})
    return RECOUNT


def labels_line(data: dict[str, Any]) -> str:
    """The topic and target group a new activity is found by ("อยากไปออกกำลังกาย", "มีอะไรให้ผู้สูงอายุทำบ้าง")."""
    from bot.services.ideas import topic_short

    topic = topic_short(data["topic"]) if data.get("topic") else "ยังไม่ระบุ"
    group = (svc.reference_names("target_groups").get(data["target_group"], data["target_group"])
             if data.get("target_group") else "ทุกกลุ่ม")
    return f"หัวข้อ: {topic} · เหมาะกับ: {group}"


def _told(people: list[Signup], what: str = "") -> str:
    """Who a change is pushed to, counted as they are ("ผู้สมัคร 2 คน และรายชื่อสำรอง 1 คน"), or that nobody has
    signed up yet ("จะแจ้ง… 0 รายทันที" read oddly)."""
    if not people:
        return "ยังไม่มีผู้สมัคร จึงไม่มีใครต้องแจ้งค่ะ"
    waiting = sum(1 for row in people if row.status == "waitlisted")
    confirmed = len(people) - waiting
    who = [f"ผู้สมัคร {confirmed} คน" if confirmed else "", f"รายชื่อสำรอง {waiting} คน" if waiting else ""]
    return f"จะแจ้ง{what}{' และ'.join(part for part in who if part)}ทันที"


def done_told(people: int) -> str:
    return f"แจ้งผู้สมัคร {people} รายแล้วนะคะ" if people else "ยังไม่มีผู้สมัครให้แจ้งค่ะ"


def cleared_note(checkins: int) -> str:
    """After a move to another day: the old day's check-ins cleared (nothing when there were none)."""
    return f"\nล้างเช็คอินของวันเดิมแล้ว {checkins} รายการ ผู้สมัครเช็คอินใหม่ได้ในวันใหม่ค่ะ" if checkins else ""


def ask_staff_confirm(ctx: Ctx) -> str:
    data = engine.data(ctx)
    op = data.get("op")
    if op == "publish":
        return publish_preview(ctx, data)
    activity = _flow_activity(ctx)
    people = svc.participants(ctx.session, activity, include_waitlist=True)
    if op == "reschedule":
        start, end = datetime.fromisoformat(data["starts_at"]), datetime.fromisoformat(data["ends_at"])
        place = f"\nสถานที่ใหม่: {data['place']}" if data.get("place") else ""
        checked_in = svc.checkins_recorded(ctx.session, activity.id) if svc.moves_to_another_day(activity, start) else 0
        cleared = (f"\nเช็คอิน {checked_in} รายการที่บันทึกไว้เป็นของวันเดิม จะถูกล้างเพื่อเช็คอินใหม่ในวันใหม่"
                   if checked_in else "")
        return (f"เลื่อน “{activity.title}”\nจาก {format_span(activity.starts_at, activity.ends_at)}\n"
                f"เป็น {format_span(start, end)}{place}{cleared}\n{_told(people)} ยืนยันไหมคะ")
    if op == "edit":
        lines = [f"{EDIT_LABELS[name]}: {_edit_shown(ctx, name, getattr(activity, name))} → "
                 f"{_edit_shown(ctx, name, value)}" for name, value in data["fields"].items()]
        told = svc.changes_told(activity, _service_fields(data["fields"]))
        told = f"\n{_told(people, _told_what(told) + 'ใหม่ให้')}" if told else ""
        return f"แก้ไขกิจกรรม “{activity.title}”\n" + "\n".join(lines) + f"{told}\nยืนยันไหมคะ"
    reason = f"\nเหตุผลที่จะแจ้งผู้สมัคร: {data['reason']}" if data.get("reason") else ""
    return (f"ยกเลิกกิจกรรม “{activity.title}”\n{format_span(activity.starts_at, activity.ends_at)}{reason}\n"
            f"{_told(people)} ยืนยันไหมคะ")


def _told_what(told: list[str]) -> str:
    """The changes pushed, named: "สถานที่", "สถานที่และค่าสมัคร"."""
    return "และ".join(svc.TOLD_CHANGES[key] for key in told)


def _service_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """An edit's fields as the journey keeps them, as the service takes them (a deadline's ISO text → datetime)."""
    deadline = fields.get("signup_deadline")
    return {**fields, **({"signup_deadline": datetime.fromisoformat(deadline)} if deadline else {})}


def edited_lead(result: svc.EditResult) -> str:
    """What staff are told after an edit: what changed, who was told, who got a seat."""
    if not result.changed:
        return "ข้อมูลเหมือนเดิมอยู่แล้วค่ะ ไม่ได้เปลี่ยนอะไรนะคะ"
    lead = "แก้ไขกิจกรรมแล้วค่ะ ✅ (" + ", ".join(EDIT_LABELS.get(name, name) for name in result.changed) + ")"
    if result.notified:
        lead += f"\nแจ้ง{_told_what(result.told)}ใหม่ให้ผู้สมัคร {result.notified} รายแล้ว"
    if result.promoted:
        lead += f"\nเลื่อนคนในรายชื่อสำรองขึ้นมาได้ที่นั่ง {len(result.promoted)} รายแล้ว"
    return lead


def staff_done(ctx: Ctx, lead: str, activity: Activity) -> dict[str, Any]:
    return replies.text(f"{lead}\n“{activity.title}”\n{svc.when_where(activity)}",
                        quick=[replies.quick_message("ดูกิจกรรม", "กิจกรรม"),
                               replies.quick_message("คำสั่งกิจกรรม"), replies.quick_message("เมนู")])


_OWNER = r"(?:ของ\s*\S{1,8}?)?\s*(?:คือ\s*อะไร|อยู่\s*(?:ไหน|ที่ไหน)|อะไร)?\s*(?:หน่อย)?"
MY_CODE = (r"(?:ขอ\s*)?(?:ดู\s*)?(?:\S{0,6}?ลืม\s*)?รหัส\s*(?:เช็คอิน|เช็กอิน|เข้างาน|กิจกรรม)\s*" + _OWNER
           + r"|\S{0,6}?ลืม\s*รหัส\s*" + _OWNER)
"""'ขอรหัสเช็คอินหน่อยค่ะ', 'รหัสเช็คอินของยายคืออะไรจ๊ะ', 'ยายลืมรหัส': the sign-ups with their codes (they were
not understood). "รหัส ABC123" (a role code) is its own command, with the code itself."""


@on_command(MY_CODE)
@reads_only
def my_codes(ctx: Ctx, _: Any) -> None:
    show_mine(ctx, lead="รหัสเช็คอินอยู่ในการ์ดของแต่ละกิจกรรมค่ะ แสดงให้เจ้าหน้าที่ที่หน้างานได้เลยนะคะ")


LATE_LABEL = "บันทึกย้อนหลัง"
"""The chip on a door check-in refused on a later day: records that attendance afterwards, in one tap."""
LATE_COMMAND = (r"(?:เช็คอิน|เช็กอิน|checkin|check-in|บันทึก(?:การ)?(?:เข้าร่วม|เช็คอิน|เช็กอิน)?)\s*ย้อนหลัง"
                r"\s*(?P<code>\S.*)?")
"""'เช็คอินย้อนหลัง ABC346': attendance recorded after the activity (a paper sheet); without a code, one code
after another. Registered before `staff_checkin`, which would read "ย้อนหลัง ABC346" as the code."""


@on_command(LATE_COMMAND, staff_only=True)
def staff_checkin_late(ctx: Ctx, match: re.Match[str]) -> None:
    code = (match["code"] or "").strip()
    if not code:
        ctx.start_flow("checkin_late")
        return
    record_late(ctx, code)


@on_postback("activity.checkin_late")
def staff_checkin_late_tap(ctx: Ctx, args: dict[str, str]) -> None:
    """The "บันทึกย้อนหลัง" chip under a refusal: the tap is the confirmation."""
    record_late(ctx, args.get("c", ""))


def record_late(ctx: Ctx, code: str) -> None:
    row = svc.mark_attended(ctx.session, ctx.user, code, now=ctx.now, late=True)
    ctx.reply(checked_in_text(ctx, row, late=True,
                              quick=[replies.quick_message("คำสั่งกิจกรรม"), replies.quick_message("เมนู")]))


def late_chip(code: str) -> dict[str, Any]:
    return replies.quick_postback(LATE_LABEL, postback.encode("activity.checkin_late", c=code), LATE_LABEL)


@on_command(r"(รหัส)?(เช็คอิน|เช็กอิน)(ของฉัน)?|checkin")
def checkin_word(ctx: Ctx, match: re.Match[str]) -> None:
    """Staff start checking people in at the door; residents get today's codes ("เช็คอิน"), or all their
    sign-ups with their codes ("รหัสเช็คอิน")."""
    if _is_staff(ctx):  # at the door: codes one after another
        ctx.start_flow("checkin_door")
        return
    if match.group(1) or match.group(3):
        show_mine(ctx, lead="รหัสเช็คอินอยู่ในการ์ดของแต่ละกิจกรรมค่ะ แสดงให้เจ้าหน้าที่ที่หน้างานได้เลยนะคะ")
        return
    at_the_door(ctx, match)


STAFF_CHECK_IN = "เช็คอินด้วยรหัสเป็นคำสั่งสำหรับเจ้าหน้าที่เท่านั้นค่ะ แสดงรหัสกับเจ้าหน้าที่ที่หน้างานนะคะ"
"""Said first to a resident who typed "เช็คอิน" with a code, as staff do."""


def at_the_door(ctx: Ctx, match: Any = None) -> None:
    """A resident saying they have arrived ("เช็คอินค่ะ มาถึงแล้ว"): today's check-in codes, with their QR,
    to show the staff; or that nothing is signed up for today (and what is). In a group: asked in private."""
    if ctx.user is None:
        return
    if ctx.is_group:
        ctx.reply(texts.one_to_one(ctx.text))
        return
    said = match["code"] if isinstance(match, re.Match) and "code" in match.groupdict() else None
    note = STAFF_CHECK_IN if said and re.fullmatch(r"[A-Za-z0-9]{4,12}", said.strip()) else None
    today = svc.signups_today(ctx.session, ctx.user, ctx.now)
    if not today:
        rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
        if not rows:
            ctx.reply(replies.text("\n".join(filter(None, (note, MINE_EMPTY))),
                                   quick=[replies.quick_message("ดูกิจกรรม", "กิจกรรม"), replies.quick_message("เมนู")]))
            return
        show_mine(ctx, lead="\n".join(filter(None, (note, "วันนี้คุณไม่ได้สมัครกิจกรรมไว้ค่ะ ที่สมัครไว้มีดังนี้นะคะ"))),
                  rows=rows)
        return
    confirmed = [row for row in today if row.status == "confirmed" and row.attended_at is None]
    lines = [f"• “{row.activity.title}” รหัสเช็คอิน {row.checkin_code}" for row in confirmed[:3]]
    if confirmed:
        lead = "\n".join(filter(None, (note or "ยินดีต้อนรับค่ะ 😊 แสดงรหัสนี้ (หรือ QR) กับเจ้าหน้าที่ที่หน้างานได้เลยนะคะ",
                                        *lines)))
    else:
        lead = "\n".join(filter(None, (note, "กิจกรรมวันนี้ของคุณอยู่ในการ์ดด้านล่างค่ะ")))
    base = ctx.settings.public_base_url if ctx.settings else None
    images = [replies.image(url) for url in (checkin.qr_url(base, row.checkin_code) for row in confirmed[:3]) if url]
    bubbles = [_mine_bubble(ctx, row) for row in today[:12]]
    ctx.reply(replies.text(lead), *images,
              replies.carousel("กิจกรรมวันนี้ของฉัน", bubbles, quick=_activity_quick(ctx)))


@on_command(r"(เช็คอิน|เช็กอิน|checkin|check-in)\s*(?P<code>\S.*)", staff_only=True)
@for_residents(at_the_door)
def staff_checkin(ctx: Ctx, match: re.Match[str]) -> None:
    code = match["code"].strip()
    after = [replies.quick_message("คำสั่งกิจกรรม"), replies.quick_message("เมนู")]
    try:
        row = svc.mark_attended(ctx.session, ctx.user, code, now=ctx.now)
    except ServiceError as exc:
        if exc.code != "checkin_day_passed":
            raise
        ctx.reply(replies.text(exc.message_th, quick=[late_chip(code), *after]))  # one tap records it afterwards
        return
    ctx.reply(checked_in_text(ctx, row, quick=after))


def checked_in_text(ctx: Ctx, row: Signup, quick: list[dict[str, Any]] | None = None,
                    late: bool = False) -> dict[str, Any]:
    user = svc.signup_user(ctx.session, row)
    people = f" (มา {row.party_size} คน)" if row.party_size > 1 else ""
    if late:
        return replies.text(f"บันทึกการเข้าร่วมย้อนหลังแล้วค่ะ ✅ {user.display_name or 'ผู้สมัคร'}{people}\n"
                            f"“{row.activity.title}” {format_date(row.activity.starts_at)}", quick=quick)
    return replies.text(f"เช็คอินแล้วค่ะ ✅ {user.display_name or 'ผู้สมัคร'}{people}\n“{row.activity.title}”",
                        quick=quick)


@on_command(r"(?:ขอ\s*)?(?:ดู\s*)?รายชื่อ\s*(?:ผู้สมัคร|คนสมัคร)?\s*(?:กิจกรรม)?\s*(?:ที่)?\s*#?(?P<id>[0-9๐-๙]+)\s*(?:หน่อย)?"
            r"|ใคร\s*สมัคร\s*(?:กิจกรรม)?\s*#?(?P<id2>[0-9๐-๙]+)\s*(?:บ้าง)?", staff_only=True)
@reads_only
@one_to_one
def staff_people_command(ctx: Ctx, match: re.Match[str]) -> None:
    """'รายชื่อผู้สมัคร 12', 'รายชื่อผู้สมัครกิจกรรม ๑๒', 'ใครสมัครกิจกรรม 12 บ้าง'."""
    _people(ctx, (match["id"] or match["id2"]).translate(THAI_DIGITS))


@on_command(r"(?:ขอ\s*)?(?:ดู\s*)?รายชื่อ\s*(?:ผู้สมัคร|คนสมัคร)\s*(?:กิจกรรม)?\s*(?:หน่อย)?", staff_only=True)
@reads_only
def staff_people_which(ctx: Ctx, _: Any) -> None:
    """"ขอรายชื่อผู้สมัคร" without a number: which activity, the upcoming ones as chips (it was read as a
    resident signing up: "ไปกี่คนคะ")."""
    upcoming = svc.upcoming(ctx.session, ctx.now, limit=replies.MAX_QUICK_ITEMS - 1)
    if not upcoming:
        ctx.reply(texts.menu(_role(ctx), "ตอนนี้ไม่มีกิจกรรมที่จะมาถึงค่ะ รายชื่อของกิจกรรมที่ผ่านมา "
                                         "พิมพ์ “รายชื่อผู้สมัคร 12” (ใส่เลขกิจกรรม) ได้เลยนะคะ"))
        return
    lines = [f"#{a.id} {a.title} · {format_date(a.starts_at)}" for a in upcoming]
    chips = [replies.quick_message(f"#{a.id} {a.title}"[:20], f"รายชื่อผู้สมัคร {a.id}") for a in upcoming]
    ctx.reply(replies.text("รายชื่อผู้สมัครของกิจกรรมไหนคะ แตะเลือกด้านล่าง หรือพิมพ์ “รายชื่อผู้สมัคร 12” ได้เลยค่ะ\n"
                           + "\n".join(lines), quick=chips))


def _count_id(match: re.Match[str]) -> str:
    return (match["id"] or match["id2"] or match["id3"]).translate(THAI_DIGITS)


_COUNT_ASKED = r"(?:กี่\s*(?:คน|ราย|ที่)|เท่า\s*(?:ไหร่|ไร))\s*(?:แล้ว)?\s*(?:บ้าง)?"
_ACTIVITY_NO = r"\s*(?:ที่)?\s*#?(?P<{}>[0-9๐-๙]+)\s*"


@on_command(r"(?:ขอ\s*)?(?:ดู\s*)?ยอด\s*(?:ผู้|คน)?\s*สมัคร\s*(?:กิจกรรม)?" + _ACTIVITY_NO.format("id3")
            + r"|(?:กิจกรรม|#)" + _ACTIVITY_NO.format("id") + r"(?:นี้)?\s*(?:มี|ได้)?\s*(?:คน|ผู้)?\s*"
            r"(?:สมัคร|ลงชื่อ|ลงทะเบียน)?\s*(?:แล้ว|ไว้|มา)?\s*" + _COUNT_ASKED
            + r"|(?:มี\s*)?(?:คน|ผู้)\s*สมัคร\s*กิจกรรม" + _ACTIVITY_NO.format("id2") + r"(?:แล้ว|ไว้)?\s*" + _COUNT_ASKED,
            staff_only=True)
@for_residents(lambda ctx, match: detail(ctx, {"id": _count_id(match)}))
@reads_only
def staff_count_command(ctx: Ctx, match: re.Match[str]) -> None:
    """'กิจกรรม 12 มีคนสมัครกี่คน', 'มีคนสมัครกิจกรรม 12 กี่คนแล้ว': the counts, and a chip for the roster (it showed
    the list of activities). A resident asking gets the card, its seats left."""
    tell_signup_counts(ctx, svc.get_activity(ctx.session, _count_id(match)))


def tell_signup_counts(ctx: Ctx, activity: Activity) -> None:
    """Staff: how many signed up for the activity, seats left and the waitlist, with a chip for the roster."""
    counts = svc.signup_counts(ctx.session, activity)
    lines = [f"ยอดผู้สมัคร “{activity.title}” #{activity.id} ค่ะ", format_span(activity.starts_at, activity.ends_at)]
    if activity.status == "cancelled":
        lines.append("❌ กิจกรรมนี้ยกเลิกแล้ว")
    people = f" ({counts.confirmed} ราย)" if counts.confirmed != counts.seats_taken else ""
    lines.append(f"สมัครแล้ว {counts.seats_taken}/{activity.capacity} ที่{people} · ว่าง {counts.seats_left} ที่")
    waiting = (f"รายชื่อสำรอง {counts.waitlisted} ราย"
               + (f" ({counts.waiting_people} คน)" if counts.waiting_people != counts.waitlisted else ""))
    lines.append(waiting if counts.waitlisted else "ยังไม่มีรายชื่อสำรองค่ะ")
    ctx.reply(replies.text("\n".join(lines), quick=[
        replies.quick_postback("ดูรายชื่อผู้สมัคร", postback.encode("activity.people", id=activity.id),
                               f"รายชื่อผู้สมัคร {activity.id}"),
        replies.quick_message("คำสั่งกิจกรรม"), replies.quick_message("เมนู")]))


@on_postback("activity.people")
@one_to_one
def staff_people(ctx: Ctx, args: dict[str, str]) -> None:
    if not _is_staff(ctx):
        ctx.reply(texts.menu(_role(ctx), "ส่วนนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ"))
        return
    _people(ctx, args.get("id"))


BLOCKED_MARK = "🔕 บล็อกแชต"
"""Beside a person on the roster who blocked the bot: they keep their seat, but get no reminders."""


def _people(ctx: Ctx, activity_id: Any) -> None:
    activity = svc.get_activity(ctx.session, activity_id)
    rows = svc.participants(ctx.session, activity, include_waitlist=True)
    lines = [f"“{activity.title}” #{activity.id}", format_span(activity.starts_at, activity.ends_at),
             f"ยืนยัน {svc.seats_taken(ctx.session, activity.id)}/{activity.capacity} ที่"]
    if activity.status == "cancelled":
        lines.insert(1, "❌ กิจกรรมนี้ยกเลิกแล้ว (ผู้สมัครได้รับแจ้งแล้ว)")
    someone_blocked = False
    for row in rows:
        user = svc.signup_user(ctx.session, row)
        mark = "✓" if row.attended_at else "•"
        where = "" if row.status == "confirmed" else f" (สำรอง {svc.waitlist_position(ctx.session, row)})"
        blocked = "" if user.is_active else f" · {BLOCKED_MARK}"
        someone_blocked = someone_blocked or not user.is_active
        lines.append(f"{mark} {user.display_name or '-'} {row.party_size} คน · {row.checkin_code}{where}{blocked}")
    if not rows:
        lines.append("ยังไม่มีผู้สมัครค่ะ")
    elif someone_blocked:
        lines.append(f"{BLOCKED_MARK}: บล็อกแชตของเราไว้ จึงไม่ได้รับการเตือนและข่าวกิจกรรม ติดต่อทางอื่นได้นะคะ")
    ctx.reply(replies.text("\n".join(lines)))


# --- QR images for check-in codes (LINE fetches them over HTTPS) ---------------------------------

qr_blueprint = Blueprint("activity_qr", __name__)


@qr_blueprint.get("/qr/<code>.png")
def qr_image(code: str) -> Response:
    if not checkin.looks_like_code(code):
        abort(404)
    response = Response(checkin.qr_png(code), mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
