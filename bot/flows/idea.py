"""The project-idea journey (One Plan), declared as data: one question per message, a summary to confirm.

Also used to answer a revision request: started with ``_idea_id`` it loads the idea and opens at the
summary, where any field can be changed before sending it back. A second small flow asks staff for
the reason when they ask for a revision or turn an idea down.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

from sqlalchemy import select

from bot import postback, replies
from bot.context import Ctx
from bot.flows import engine, idea_message
from bot.flows.engine import FINISH, Answer, Choice, Flow, Invalid, Step, register_flow
from bot.services import communities, idea_photos, ideas
from bot.services.communities import community_named, not_found_text, popular_communities
from bot.services.errors import ServiceError
from bot.thaidate import THAI_DIGITS
from nlp import topic_of
from nlp.entities import parse_count, parse_money, parse_number, parse_phone
from nlp.normalize import reason_text, without_particles
from storage.models import Idea

FIELDS = ("title", "topic", "community", "target_group", "problem", "plan", "participants", "budget",
          "funding_source", "photo", "phone", "contact_name")
"""Step names, in the order asked; each stores the value under its own name in the flow data."""
SUMMARY_ONLY = ("contact_name",)
"""Fields never asked on the way (the name comes with the phone); changed from the summary's link."""

FIELD_LABELS = {
    "title": "ชื่อโครงการ", "topic": "ประเด็นสุขภาพ", "community": "ชุมชน", "target_group": "กลุ่มเป้าหมาย",
    "problem": "ปัญหาที่พบ", "plan": "สิ่งที่จะทำ", "participants": "ผู้เข้าร่วมประมาณ", "budget": "งบประมาณ",
    "funding_source": "แหล่งทุน", "photo": "รูปประกอบ", "phone": "เบอร์ติดต่อ", "contact_name": "ชื่อผู้ติดต่อ",
}
FIX_LABELS = {
    "title": "แก้ชื่อ", "topic": "แก้ประเด็น", "community": "แก้ชุมชน", "target_group": "แก้กลุ่ม",
    "problem": "แก้ปัญหา", "plan": "แก้วิธีทำ", "participants": "แก้จำนวนผู้เข้าร่วม", "budget": "แก้งบ",
    "funding_source": "แก้แหล่งทุน",
    "photo": "แก้รูป", "phone": "แก้เบอร์", "contact_name": "แก้ชื่อผู้ติดต่อ",
}
"""Labels of the per-field edit links on the summary (distinct, so each reads on its own)."""
FUNDING_CHIPS = {"bkk_health_fund": "กองทุนสุขภาพ กทม.", "strong_community": "ชุมชนเข้มแข็ง",
                 "thaihealth": "สสส.", "unsure": "ไม่แน่ใจ"}
NOT_SURE = re.compile(r"^(?:ไม่รู้|ไม่ทราบ|ไม่แน่ใจ|ยังไม่รู้|ยังไม่แน่ใจ|ยังไม่ทราบ|ไม่มี|ไม่ระบุ|ไม่(?:อยาก)?ให้|ไม่สะดวก"
                      r"|ไม่ต้อง|-$)")
"""An optional field left blank in words: "ไม่รู้ค่ะ", "ไม่ให้เบอร์ค่ะ", "ไม่สะดวก"."""
FIX_ACTION = "idea.fix"

ASK_TITLE = "มาเสนอโครงการกันค่ะ 💡\nโครงการชื่ออะไรคะ (สั้น ๆ ไม่เกิน 120 ตัวอักษร เช่น “ลานออกกำลังกายผู้สูงอายุ”)"
ASK_TARGET = "โครงการนี้ทำเพื่อใครเป็นหลักคะ"
ASK_PROBLEM = "ตอนนี้ชุมชนเจอปัญหาอะไรคะ เล่าสั้น ๆ ได้เลย"
ASK_PLAN = "อยากทำอะไรเพื่อแก้ปัญหานี้คะ (ทำอะไร ที่ไหน บ่อยแค่ไหน)"
NON_ANSWERS = engine.UNSURE_WORDS | {"ยังไม่ทราบ", "ไม่มี", "ยังไม่มี", "ยังไม่ได้คิด", "ไม่รู้สิ", "ไม่แน่ใจเลย", "-", "?"}
"""Said at a step that cannot be skipped (the problem, the plan): no answer, asked again with an example (the
engine's "not sure" words, and a few more; compared as `engine.bare_word`, so particles do not count)."""
ASK_PARTICIPANTS = ("คาดว่าจะมีผู้เข้าร่วมประมาณกี่คนคะ พิมพ์ตัวเลขได้เลย เช่น 30 หรือ สามสิบ\n"
                    "ถ้ายังไม่แน่ใจ แตะ “ข้าม” ได้ค่ะ")
NO_COUNT = "ไม่เห็นจำนวนคนค่ะ ลองพิมพ์ เช่น 30 หรือ สามสิบคน หรือแตะ “ข้าม” ก็ได้นะคะ"
ASK_BUDGET = "คิดว่าต้องใช้งบประมาณเท่าไรคะ พิมพ์เป็นบาทได้เลย เช่น 5000, ห้าพัน หรือ 2 หมื่น\nถ้ายังไม่แน่ใจ แตะ “ข้าม” ได้ค่ะ"
ASK_FUNDING = ("อยากขอทุนจากแหล่งไหนคะ\n• กองทุนหลักประกันสุขภาพ กทม.\n• ชุมชนเข้มแข็ง\n• สสส.\n"
               "ถ้ายังไม่แน่ใจ เลือก “ไม่แน่ใจ” ได้เลย เจ้าหน้าที่ช่วยแนะนำให้ค่ะ")
ASK_PHOTO = "มีรูปสถานที่หรือปัญหาไหมคะ ส่งรูปมาได้ 1 รูป หรือแตะ “ข้าม” ถ้าไม่มีค่ะ"
ASK_PHONE = ("ขอเบอร์โทรสำหรับให้เจ้าหน้าที่ติดต่อกลับค่ะ ถ้าเป็นเบอร์ของคนอื่น พิมพ์ชื่อไว้ด้วยได้เลย "
             "เช่น “คุณสมศรี 081-234-5678” (ไม่บังคับ แตะ “ข้าม” ได้)")
BAD_PHONE = ("ขอเบอร์มือถือ 10 หลัก (เช่น 081-234-5678) หรือเบอร์บ้าน 9 หลักนะคะ "
             "ถ้าไม่สะดวกให้เบอร์ แตะ “ข้าม” ได้ค่ะ")
NEED_PHOTO = "ขั้นนี้รับเป็นรูปภาพค่ะ ส่งรูปมาได้เลย หรือแตะ “ข้าม” ถ้าไม่มีรูปนะคะ"
NO_NUMBER = "ไม่เห็นตัวเลขจำนวนเงินค่ะ ลองพิมพ์ เช่น 5000 หรือ ห้าพัน หรือแตะ “ข้าม” ก็ได้นะคะ"


def _values(ctx: Ctx) -> dict[str, Any]:
    return engine.data(ctx)


def _editing(ctx: Ctx) -> bool:
    return bool(_values(ctx).get("_idea_id"))


# --- topic -------------------------------------------------------------------------------------------

def suggest_topic(text: str) -> str | None:
    """The health topic a title or description sounds like, if any."""
    try:
        topic = topic_of(text or "")
    except Exception:  # noqa: BLE001 - a suggestion must never break the journey
        return None
    return topic if topic in ideas.topics() else None


def _topic_choices(ctx: Ctx) -> list[Choice]:
    suggested = _values(ctx).get("_suggested")
    keys = list(ideas.topics())
    if suggested in keys:
        keys.remove(suggested)
        keys.insert(0, suggested)
    return [Choice(("✓ " if k == suggested else "") + ideas.topic_short(k), k) for k in keys]


def _ask_topic(ctx: Ctx) -> str:
    suggested = _values(ctx).get("_suggested")
    if suggested:
        return (f"โครงการนี้น่าจะอยู่ในประเด็น “{ideas.topics()[suggested]}” ใช่ไหมคะ\n"
                "ถ้าใช่ แตะปุ่มแรกได้เลย ถ้าไม่ใช่ เลือกประเด็นอื่นค่ะ")
    return "โครงการนี้อยู่ในประเด็นสุขภาพเรื่องไหนคะ"


TOPIC_UNSURE = "ไม่เป็นไรค่ะ เว้นประเด็นไว้ก่อน เจ้าหน้าที่ช่วยดูให้ได้ แก้ทีหลังได้ที่หน้าสรุปนะคะ"


def _parse_topic(ctx: Ctx, answer: Answer) -> str | None:
    try:
        return engine.one_of(_topic_choices, reason="เลือกประเด็นจากปุ่มด้านล่างได้เลยค่ะ")(ctx, answer)
    except Invalid:
        if answer.kind != "text":
            raise
    if engine.bare_word(answer.text) in NON_ANSWERS:  # "ยังไม่รู้ค่ะ": left blank, said so (it passed in silence)
        ctx.reply(replies.text(TOPIC_UNSURE))
        return None
    suggested = _values(ctx).get("_suggested")
    if suggested and engine.said_yes(answer.text):  # "ใช่ค่ะ" to "…ใช่ไหมคะ"
        return suggested
    if engine.said_no(answer.text):
        raise Invalid("ได้ค่ะ เลือกประเด็นที่ตรงกว่าจากปุ่มด้านล่างได้เลยนะคะ")
    for key, name in ideas.topics().items():
        if answer.text and answer.text.strip() in (name, ideas.topic_short(key)):
            return key
    found = suggest_topic(answer.text or "")
    if found:
        return found
    raise Invalid("ยังจับประเด็นไม่ได้ค่ะ เลือกจากปุ่มด้านล่างได้เลยนะคะ")


def _after_title(ctx: Ctx, title: str) -> str | None:
    if _values(ctx).get("_no_title"):
        engine.put(ctx, _no_title=None)  # named now
    if not _values(ctx).get("_told"):  # a project told in one message: its topic was read from all of it
        engine.put(ctx, _suggested=suggest_topic(title))
    return None


# --- a project told in one message -------------------------------------------------------------------

def _community_in_text(ctx: Ctx, text: str) -> int | list[int] | None:
    """The community a phrase of a message names exactly ("ชุมชนลาดพร้าว 80"); the ones sharing it when several do
    ("ที่ลาดพร้าว": asked which, with them on the chips)."""
    from bot.nlp_bridge import community_names
    from nlp import match_community

    hit = match_community(text, community_names(ctx.session), whole_words=True)
    found = communities.with_name(ctx.session, hit[0]) if hit else None
    if found is None:
        return None
    alike = communities.sharing_name(ctx.session, text, found, now=ctx.now)
    return [c.id for c in alike[:MAX_SHARED]] if alike else found.id


def _cleaned(clean: Any, value: Any) -> Any:
    try:
        return clean(value)
    except ServiceError:
        return None


def told_values(ctx: Ctx, text: str) -> dict[str, Any] | None:
    """The One Plan fields a message tells plainly, as flow data (with ``_prefilled`` naming them); None when
    the message only names the project."""
    home = ctx.user.community_id if ctx.user is not None else None
    told = idea_message.read_message(text, ideas.funding_sources(), lambda phrase: _community_in_text(ctx, phrase),
                                     home)
    if not idea_message.tells_more_than_a_title(told, text):
        return None
    phone = ideas.phone_answered(told.phone_said) if told.phone_said else None
    values: dict[str, Any] = {
        "title": told.title, "community": told.community_id, "target_group": told.target_group,
        "participants": _cleaned(ideas.clean_participants, told.participants),
        "budget": _cleaned(ideas.clean_budget, told.budget), "funding_source": told.funding_source,
        "phone": phone, "contact_name": _cleaned(ideas.clean_contact_name, told.contact_name),
        "problem": told.problem if told.problem and len(told.problem) <= ideas.MAX_TEXT else None,
        "plan": told.plan if told.plan and len(told.plan) <= ideas.MAX_TEXT else None,
    }
    if told.budget_items and values["budget"] is not None:
        plan = "\n".join(filter(None, [values["plan"], BREAKDOWN_LEAD + told.budget_items]))
        values["plan"] = plan if len(plan) <= ideas.MAX_TEXT else values["plan"]
    values = {name: value for name, value in values.items() if value is not None}
    values["_prefilled"] = list(values)
    values["_told"] = True
    values["_title_hint"] = told.title_hint
    values["_no_title"] = told.no_title
    values[SHARED] = told.communities_alike  # the community step offers them
    values[UNKNOWN] = told.community_said  # "ในชุมชนพลับพลา", not on the list: said so where it is asked
    values["_phone_said"] = told.phone_said if phone is None else None  # "เบอร์ 08123": asked again, with it
    values[GROUPS_LEFT] = _groups_left(told.target_group, told.groups_also)
    values["_suggested"] = suggest_topic(text)
    return values


def told_note(values: dict[str, Any]) -> str:
    """Said before the next question: what was taken from the message, to be checked on the summary."""
    labels = {**FIELD_LABELS, "participants": "จำนวนผู้เข้าร่วม"}
    names = " ".join(labels[name] for name in FIELDS if name in values.get("_prefilled", ()))
    wrong_phone = (f"\nเบอร์ “{values['_phone_said']}” ดูไม่ครบหรือไม่ถูกต้องค่ะ จะขอเบอร์อีกครั้งตอนท้ายนะคะ"
                   if values.get("_phone_said") else "")
    groups = groups_left_note(values)
    return (f"ขอบคุณค่ะ 📝 เก็บรายละเอียดจากข้อความไว้แล้ว ({names})\n"
            "ขอถามเพิ่มอีกนิด แล้วจะสรุปให้ตรวจและแก้ได้ทุกหัวข้อก่อนส่งนะคะ" + wrong_phone
            + (f"\n{groups}" if groups else ""))


def _not_told(name: str) -> Any:
    """A step asked only when the message did not already tell it."""
    return lambda ctx: name not in (_values(ctx).get("_prefilled") or ())


def _title_choices(ctx: Ctx) -> list[Choice]:
    hint = _values(ctx).get("_title_hint")
    if not hint:
        return []
    label = hint if len(hint) <= replies.MAX_LABEL else hint[: replies.MAX_LABEL - 1] + "…"
    return [Choice(label, TITLE_HINT)]  # the name itself may not fit in a chip's data


def _ask_title(ctx: Ctx) -> str:
    values = _values(ctx)
    hint = values.get("_title_hint")
    if values.get("_seen_summary") and values.get("title"):  # changed from the summary: not a new start
        return (f"ตอนนี้ชื่อโครงการคือ “{values['title']}” ค่ะ จะเปลี่ยนเป็นชื่ออะไรดีคะ "
                f"(สั้น ๆ ไม่เกิน {ideas.MAX_TITLE} ตัวอักษร)")
    if values.get("_no_title"):  # "ยังไม่ได้ตั้งชื่อ": a name from the plan, or examples
        return NO_TITLE_YET.format(example=f"“{hint}” แตะปุ่มได้เลย" if hint else NAME_EXAMPLES)
    if hint:
        return f"โครงการชื่ออะไรคะ ขอสั้น ๆ เช่น “{hint}” แตะปุ่มได้เลย หรือพิมพ์ชื่อที่ต้องการนะคะ"
    return ASK_TITLE


NO_TITLE_YET = "ยังไม่มีชื่อไม่เป็นไรค่ะ ตั้งชื่อสั้น ๆ ตามสิ่งที่จะทำได้เลย เช่น {example} หรือพิมพ์ชื่อที่ต้องการนะคะ"
NAME_EXAMPLES = "“ลานออกกำลังกายผู้สูงอายุ” “สวนผักคนเมือง”"


TITLE_HINT = "hint"


def _parse_title(ctx: Ctx, answer: Answer) -> str:
    """A name; or a project told in one message at this step: its name, and the rest kept for their steps."""
    if answer.kind == "choice" and answer.value == TITLE_HINT and _values(ctx).get("_title_hint"):
        return str(_values(ctx)["_title_hint"])
    if answer.kind == "text" and not _values(ctx).get("_seen_summary"):
        told = told_values(ctx, answer.text or "")
        if told is not None:
            title = told.pop("title", None)
            engine.put(ctx, **told)
            ctx.reply(replies.text(told_note(told)))
            if title:
                return title
            raise Invalid("", answered=True)  # the name is asked again, its suggestion on a chip
    if answer.kind == "text" and _no_name_yet(answer.text or ""):  # not a name: asked for one
        plan = str(_values(ctx).get("plan") or "")
        engine.put(ctx, _no_title=True, _title_hint=idea_message.title_from_plan(plan) or _values(ctx).get("_title_hint"))
        raise Invalid("", answered=True)
    if answer.kind == "text" and (picked := _picked_title(ctx, answer.text or "")) is not None:
        return picked
    if answer.kind == "text" and len((answer.text or "").strip()) > ideas.MAX_TITLE:
        engine.put(ctx, _title_hint=idea_message.short_title(answer.text or ""))
        raise Invalid(f"ชื่อโครงการยาวเกินไปค่ะ ขอไม่เกิน {ideas.MAX_TITLE} ตัวอักษรนะคะ")
    return engine.free_text(max_len=ideas.MAX_TITLE)(ctx, answer)


def _no_name_yet(text: str) -> bool:
    """"ยังไม่ได้ตั้งชื่อ", or not sure at the name ("ไม่แน่ใจค่ะ", "ยังไม่รู้"): no name yet, a name is suggested (it
    saved "ไม่แน่ใจ" as the project's name)."""
    return idea_message.says_no_title(text) or engine.bare_word(text) in NON_ANSWERS


PICK_WORDS = {"ใช้ชื่อนี้", "เอาชื่อนี้", "ชื่อนี้", "ใช้อันนี้", "เอาอันนี้", "อันนี้", "ตามนั้น", "เอาตามนั้น",
              "ใช้ชื่อที่แนะนำ", "เอาชื่อที่แนะนำ", "ตามที่แนะนำ"}
"""Taking the name the bot suggested ("ใช้ชื่อนี้", "เอาอันนี้"), compared as `engine.bare_word` without "เลย"."""
NOT_A_NAME = "“{said}” ยังไม่ใช่ชื่อโครงการค่ะ ขอชื่อสั้น ๆ ที่บอกว่าจะทำอะไร เช่น {example} พิมพ์มาได้เลยนะคะ"
WHICH_NAME = "ตัวอย่างมีสองชื่อค่ะ จะใช้ชื่อไหนคะ พิมพ์ชื่อที่ต้องการได้เลย เช่น {examples} นะคะ"


def _picked_title(ctx: Ctx, text: str) -> str | None:
    """"ใช้ชื่อนี้" / "ใช่ค่ะ" at the name: the one name suggested (or the name kept when changing it); a word that
    is no name is refused with why (Invalid), asking which when only examples were given; None for a name."""
    said = engine.bare_word(text).removesuffix("เลย")
    picks = said in PICK_WORDS
    if not picks and not engine.said_yes(text):
        return None
    values = _values(ctx)
    if values.get("_title_hint"):
        return str(values["_title_hint"])
    if values.get("_seen_summary") and values.get("title"):
        return str(values["title"])
    if picks and values.get("_no_title"):
        raise Invalid(WHICH_NAME.format(examples=NAME_EXAMPLES.replace("” “", "” หรือ “")))
    raise Invalid(NOT_A_NAME.format(said=text.strip(), example=NAME_EXAMPLES))


# --- community ---------------------------------------------------------------------------------------

HOME_SAID = re.compile(r"(?:ที่เดิม|(?:ที่|ใน)?ชุมชน(?:เดิม|(?:ของ)?(?:ฉัน|เรา|ผม|หนู|ดิฉัน|ตัวเอง|บ้านเรา|พวกเรา)))"
                       r"(?:เอง|นี่แหละ|นี้แหละ|นั่นแหละ)?")
"""Typed at the community step: the user's own community ("ชุมชนของฉันค่ะ", "ชุมชนเราเองค่ะ"; spaces and
the closing particles removed before matching)."""


SHARED = "_communities_sharing"
"""The communities a typed name may mean ("ลาดพร้าว": ลาดพร้าว 71 … วัดลาดพร้าว …), offered as the chips."""
MAX_SHARED = replies.MAX_QUICK_ITEMS - 3
"""Beside "ข้าม", "ย้อนกลับ" and "ยกเลิก"."""


def _community_choices(ctx: Ctx) -> list[Choice]:
    """The user's own community first, then the most used ones; after a name several share, those."""
    shared = [communities.get(ctx.session, i) for i in _values(ctx).get(SHARED) or ()]
    if any(shared):
        return [Choice(communities.chip_label(c), str(c.id)) for c in shared if c]
    out: list[tuple[int, str]] = []
    if ctx.user is not None and ctx.user.community_id:
        home = communities.get(ctx.session, ctx.user.community_id)
        if home:
            out.append((home.id, home.name))
    out += [pair for pair in popular_communities(ctx.session, 6) if pair not in out]
    return [Choice(name, str(community_id)) for community_id, name in out[:7]]


UNKNOWN = "_community_said"
"""A community a message named that is not on the list: said back at the community step."""


def _ask_community(ctx: Ctx) -> str:
    said = _values(ctx).get(UNKNOWN)
    if said and not _values(ctx).get(SHARED):
        return (f"ไม่พบ “ชุมชน{said}” ในรายชื่อชุมชนของเขตค่ะ ทำที่ชุมชนไหนคะ "
                "เลือกจากปุ่ม หรือพิมพ์ชื่ออีกแบบได้เลยค่ะ")
    home = communities.get(ctx.session, ctx.user.community_id) if ctx.user is not None else None
    if home is not None and not _values(ctx).get(SHARED):  # the first chip is theirs
        return (f"ทำที่ชุมชนไหนคะ ถ้าเป็น{home.name} แตะปุ่มแรกได้เลย "
                "หรือพิมพ์ชื่อชุมชนอื่นค่ะ")
    return "ทำที่ชุมชนไหนคะ เลือกจากปุ่ม หรือพิมพ์ชื่อชุมชนได้เลยค่ะ"


def _parse_community(ctx: Ctx, answer: Answer) -> int:
    chosen = _read_community(ctx, answer)
    engine.put(ctx, **{SHARED: None, UNKNOWN: None})  # answered: the usual question if the step is asked again
    return chosen


def _read_community(ctx: Ctx, answer: Answer) -> int:
    if answer.kind == "choice":
        if answer.value and answer.value.isdigit() and communities.get(ctx.session, answer.value):
            return int(answer.value)
        raise Invalid("เลือกชุมชนจากปุ่มด้านล่างได้เลยค่ะ")
    if answer.kind != "text" or not answer.text:
        raise Invalid("พิมพ์ชื่อชุมชน หรือเลือกจากปุ่มได้เลยค่ะ")
    home = ctx.user.community_id if ctx.user is not None else None
    said_home = HOME_SAID.fullmatch(engine.bare_word(answer.text)) is not None
    if home and (engine.said_yes(answer.text) or said_home):
        return home  # "ใช่" / "ชุมชนเดิม" to "ถ้าเป็น<their community> แตะปุ่มแรกได้เลย"
    if said_home:
        raise Invalid("คุณยังไม่ได้เลือกชุมชนของตัวเองค่ะ ทำที่ชุมชนไหนคะ พิมพ์ชื่อชุมชน หรือเลือกจากปุ่มได้เลยนะคะ",
                      answered=True)
    found = community_named(ctx.session, answer.text)
    if found is None:
        raise Invalid(not_found_text(answer.text, "หรือเลือกจากปุ่มนะคะ"))
    alike = communities.sharing_name(ctx.session, answer.text, found, now=ctx.now)
    if alike:  # "ลาดพร้าว": which of them (it took ลาดพร้าว 71, the first)
        engine.put(ctx, **{SHARED: [c.id for c in alike[:MAX_SHARED]]})
        note = communities.which_note(alike, MAX_SHARED, "ชุมชนที่ต้องการ")
        raise Invalid(f"{communities.many_named(ctx.session, answer.text, found)}ค่ะ {note}".strip())
    return found.id


# --- target group, funding ------------------------------------------------------------------------------

def _target_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(name, key) for key, name in ideas.target_groups().items()]


EVERYONE = re.compile(r"ทุกวัย|ทุกกลุ่ม|ทุกคน|ทุกเพศทุกวัย|คนทั่วไป|ทั่วไป")
"""No one group: the same as skipping the step (it was asked again, "แตะ “ข้าม”")."""


GROUPS_LEFT = "_groups_left"
"""The target group kept of several said, and the others ({"kept": key, "left": [names]}): told, until changed."""


def _groups_left(kept: str | None, also: list[str]) -> dict[str, Any] | None:
    """What to tell when several groups were said: the first is kept (a project has one group), the others not."""
    if kept is None or not also:
        return None
    names = ideas.target_groups()
    return {"kept": kept, "left": [names.get(group, group) for group in also]}


def groups_left_note(values: dict[str, Any], at_summary: bool = False) -> str | None:
    """"กลุ่มเป้าหมายเลือกได้กลุ่มเดียว…": which group was kept of those said, and how to change it (on the summary, or
    later at it); None once the group was changed (or there was only one)."""
    said = values.get(GROUPS_LEFT) or {}
    if not said or values.get("target_group") != said.get("kept"):
        return None
    kept = ideas.target_groups().get(said["kept"], said["kept"])
    left = " ".join(f"“{name}”" for name in said.get("left") or ())
    return (f"กลุ่มเป้าหมายเลือกได้กลุ่มเดียวค่ะ จึงเก็บ “{kept}” ไว้ ไม่ได้เก็บ {left} "
            f"ถ้าอยากเปลี่ยน แตะ “{FIX_LABELS['target_group']}” {'ข้างกลุ่มเป้าหมาย' if at_summary else 'ตอนสรุป'}ได้เลยนะคะ")


ONE_GROUP = ("กลุ่มเป้าหมายเลือกได้กลุ่มเดียวค่ะ กลุ่มไหนเป็นกลุ่มหลักคะ เลือกจากปุ่มด้านล่างได้เลย "
             "ถ้าเป็นทุกวัยหรือหลายกลุ่ม แตะ “ข้าม” ได้นะคะ")


def _parse_target(ctx: Ctx, answer: Answer) -> str | None:
    """A group's chip or words. Several typed ("ผู้สูงอายุ เด็ก", "กลุ่มเปราะบางกับผู้พิการ"): asked which is the main
    one, as the question is open (the first one, or the one on the list, was taken silently)."""
    keys, others = idea_message.groups_said(answer.text) if answer.kind in ("text", "choice") else ([], [])
    if keys and len(keys) + len(others) > 1:  # typed (a chip's label with a group after it is typed too)
        raise Invalid(ONE_GROUP, answered=True)
    group = _one_group(ctx, answer, keys)
    engine.put(ctx, **{GROUPS_LEFT: None})  # chosen here: no group left untold
    return group


def _one_group(ctx: Ctx, answer: Answer, keys: list[str]) -> str | None:
    try:
        return engine.one_of(_target_choices)(ctx, answer)
    except Invalid:
        typed = (answer.text or "") if answer.kind == "text" else ""
        if keys:
            return keys[0]
        if EVERYONE.search(typed):
            return None
        raise Invalid("เลือกกลุ่มเป้าหมายจากปุ่มด้านล่างได้เลยค่ะ ถ้าเป็นทุกวัยหรือหลายกลุ่ม แตะ “ข้าม” ได้นะคะ") from None


def _funding_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(FUNDING_CHIPS.get(key, name), key) for key, name in ideas.funding_sources().items()]


def _parse_funding(ctx: Ctx, answer: Answer) -> str:
    try:
        return engine.one_of(_funding_choices, reason="เลือกแหล่งทุนจากปุ่มด้านล่างได้เลยค่ะ")(ctx, answer)
    except Invalid:
        typed = "".join((answer.text or "").split())
        if NOT_SURE.match(typed):  # "ไม่รู้ค่ะ": the form's own "ไม่แน่ใจ"
            return "unsure"
        for key, name in ideas.funding_sources().items():
            if typed and (typed in "".join(name.split()) or "".join(name.split()) in typed):
                return key
        if typed and ("กองทุน" in typed or "กทม" in typed):
            return "bkk_health_fund"
        raise


# --- budget, photo, phone -------------------------------------------------------------------------------

def _number_answer(text: str, parse: Any, clean: Any, missing: str, negative: str) -> int | None:
    """A number typed as an answer: None for "ไม่แน่ใจ"; Invalid, with the reason, when it is negative,
    missing or out of the service's range."""
    text = (text or "").strip()
    if NOT_SURE.match(text):
        return None
    if re.match(r"^\s*(-|ลบ|ติดลบ)", text.translate(THAI_DIGITS)):
        raise Invalid(negative)
    number = parse(text)
    if number is None:
        raise Invalid(missing)
    try:
        return clean(number)
    except ServiceError as exc:
        raise Invalid(exc.message_th) from None


def parse_budget_text(text: str) -> int | None:
    """Baht from a typed answer: "ห้าพัน", "๕,๐๐๐", "2 หมื่น"; None for "ไม่แน่ใจ"; Invalid otherwise."""
    return _number_answer(text, parse_money, ideas.clean_budget, NO_NUMBER,
                          "งบประมาณต้องไม่ติดลบค่ะ ลองพิมพ์ใหม่อีกครั้งนะคะ")


def _parse_participants(ctx: Ctx, answer: Answer) -> int | None:
    """About how many people: "30", "สามสิบคน", "๕๐ คน", "ประมาณ 20 คน"; None for "ไม่แน่ใจ"."""
    if answer.kind != "text" or not (answer.text or "").strip():
        raise Invalid(NO_COUNT)
    return _number_answer(answer.text or "", lambda text: parse_count(text) or parse_number(text),
                          ideas.clean_participants, NO_COUNT,
                          "จำนวนผู้เข้าร่วมต้องมีอย่างน้อย 1 คนค่ะ ลองพิมพ์ใหม่อีกครั้งนะคะ")


def _parse_budget(ctx: Ctx, answer: Answer) -> int | None:
    if answer.kind != "text":
        raise Invalid(NO_NUMBER)
    budget = parse_budget_text(answer.text or "")
    _keep_breakdown(ctx, answer.text or "")
    return budget


ITEM = re.compile(r"ค่า[ก-๙]{1,14}\s*[0-9๐-๙]")
BREAKDOWN_LEAD = "รายละเอียดงบ: "


def _keep_breakdown(ctx: Ctx, text: str) -> None:
    """A budget told item by item ("ค่าเมล็ดพันธุ์ 5,000 ค่าดิน 10,000 … รวม 27,000 บาท"): the total is the budget,
    and the items are kept on the plan's last line, where staff read how the money is used (they were lost)."""
    if len(ITEM.findall(text)) < 2:
        return
    items = without_particles(text[ITEM.search(text).start():].strip())  # from the first item: not "แก้งบครับ"
    plan = str(_values(ctx).get("plan") or "")
    kept = [line for line in plan.split("\n") if not line.startswith(BREAKDOWN_LEAD)]
    plan = "\n".join([*(line for line in kept if line.strip()), BREAKDOWN_LEAD + items])
    if len(plan) <= ideas.MAX_TEXT:
        engine.put(ctx, plan=plan)


def _parse_photo(ctx: Ctx, answer: Answer) -> str | None:
    if answer.kind == "image":
        return str(answer.message.get("id") or "") or None
    if answer.kind == "text" and NOT_SURE.match((answer.text or "").strip()):
        return None
    raise Invalid(NEED_PHOTO)


def _photo_quick(ctx: Ctx) -> list[dict[str, Any]]:
    return [{"type": "action", "action": {"type": "cameraRoll", "label": "เลือกรูป"}},
            {"type": "action", "action": {"type": "camera", "label": "ถ่ายรูป"}}]


def _last_phone(ctx: Ctx) -> str | None:
    if ctx.user is None:
        return None
    return ctx.session.scalar(
        select(Idea.contact_phone).where(Idea.user_id == ctx.user.id, Idea.contact_phone.is_not(None))
        .order_by(Idea.id.desc()).limit(1)
    )


SAME_PHONE = re.compile(r"^(?:ใช้)?(?:เบอร์|เบอ)(?:โทร)?(?:เดิม|เก่า|เดียวกัน|ที่(?:เคย)?ให้ไว้|ที่เคยให้|เหมือนเดิม)(?:ค่ะ|ครับ|นะ)*$")


def _phone_choices(ctx: Ctx) -> list[Choice]:
    phone = _last_phone(ctx)
    return [Choice(f"ใช้ {phone}", phone)] if phone else []


def _parse_phone(ctx: Ctx, answer: Answer) -> str | None:
    if answer.kind == "choice" and answer.value:
        return answer.value
    text = (answer.text or "").strip() if answer.kind == "text" else ""
    engine.put(ctx, _phone_said=None)  # answered: the number that was wrong is not quoted again
    if answer.kind == "text" and NOT_SURE.match(text):
        return None
    if SAME_PHONE.search(engine.bare_word(text)):  # "ใช้เบอร์เดิมครับ", as the chip "ใช้ 089-…" says
        phone = _last_phone(ctx)
        if phone is None:
            raise Invalid("ยังไม่มีเบอร์เดิมในระบบค่ะ พิมพ์เบอร์โทรได้เลย หรือแตะ “ข้าม” ถ้าไม่สะดวกให้เบอร์นะคะ")
        return phone
    # "081 234 5678 ครับ", "เบอร์ 0812345678": the number with words around it (they were refused)
    phone = ideas.phone_answered(text)
    name = _cleaned(ideas.clean_contact_name, idea_message.contact_name_in(text))  # "คุณสมศรี 081-…": whose number
    if name is not None:
        engine.put(ctx, contact_name=name)
    if phone is None and name is not None and not re.search(r"[0-9๐-๙]", text):  # "ป้าแดงค่ะ": the number next
        raise Invalid(f"จดชื่อ “{name}” ไว้แล้วค่ะ", answered=True)
    if phone is None:
        raise Invalid("เบอร์นี้ดูไม่ถูกต้องค่ะ " + BAD_PHONE)
    return phone


def _ask_contact_name(ctx: Ctx) -> str:
    name = _values(ctx).get("contact_name")
    now = f"ตอนนี้ชื่อผู้ติดต่อคือ “{name}” ค่ะ " if name else ""
    return (f"{now}ให้เจ้าหน้าที่ติดต่อใครคะ พิมพ์ชื่อได้เลย เช่น “คุณสมศรี” หรือ “ป้าแดง” "
            "ถ้าไม่ต้องระบุชื่อ แตะ “ข้าม” ได้ค่ะ")


def _parse_contact_name(ctx: Ctx, answer: Answer) -> str | None:
    """A name ("ป้าแดงค่ะ", "ชื่อสมศรี"), with the phone too when one is typed with it ("ป้าแดง 0812345678")."""
    text = (answer.text or "").strip() if answer.kind == "text" else ""
    if NOT_SURE.match(text):
        return None
    phone = ideas.phone_answered(text) if re.search(r"[0-9๐-๙]", text) else None
    besides = " ".join(idea_message.words_besides_phone(text)) if phone else without_particles(text)
    name = idea_message.contact_name_in(text) or besides.strip()  # asked for a name: any words are it
    if not name or re.search(r"[0-9๐-๙]", name) or len(re.findall(r"[ก-๙A-Za-z]", name)) < 2:
        raise Invalid("ขอเป็นชื่อสั้น ๆ ค่ะ เช่น “คุณสมศรี” หรือ “ป้าแดง 081-234-5678” "
                      "ถ้าไม่ต้องระบุชื่อ แตะ “ข้าม” ได้นะคะ")
    try:
        name = ideas.clean_contact_name(name)
    except ServiceError as exc:
        raise Invalid(exc.message_th) from None
    if phone is not None:
        engine.put(ctx, phone=phone)
    return name


def _ask_phone(ctx: Ctx) -> str:
    said = _values(ctx).get("_phone_said")
    if said and not _values(ctx).get("phone"):  # "เบอร์ 08123" in the message: said so, asked again
        return f"เบอร์ “{said}” ที่ให้ไว้ดูไม่ครบหรือไม่ถูกต้องค่ะ " + BAD_PHONE
    name = _values(ctx).get("contact_name")
    if name and not _values(ctx).get("phone"):  # "ป้าแดงค่ะ" typed here: whose number is asked
        return f"ขอเบอร์โทรของ “{name}” สำหรับให้เจ้าหน้าที่ติดต่อกลับค่ะ (ไม่บังคับ แตะ “ข้าม” ได้)"
    return ASK_PHONE


# --- summary ----------------------------------------------------------------------------------------

def fields_for_service(ctx: Ctx, values: dict[str, Any]) -> dict[str, Any]:
    """Flow data → keyword arguments of ideas.submit / revise."""
    return {
        "title": values.get("title"), "topic": values.get("topic"), "community_id": values.get("community"),
        "target_group": values.get("target_group"), "problem": values.get("problem"), "plan": values.get("plan"),
        "participants": values.get("participants"), "budget": values.get("budget"),
        "funding_source": values.get("funding_source"), "photo_message_id": values.get("photo"),
        "contact_phone": values.get("phone"), "contact_name": values.get("contact_name"),
    }


def display_value(ctx: Ctx, name: str, values: dict[str, Any]) -> str:
    value = values.get(name)
    if value in (None, ""):
        return "—"
    if name == "topic":
        return ideas.topics().get(value, value)
    if name == "target_group":
        return ideas.target_groups().get(value, value)
    if name == "funding_source":
        return ideas.funding_sources().get(value, value)
    if name == "community":
        community = communities.get(ctx.session, str(value))
        return community.name if community else "—"
    if name == "budget":
        return f"{int(value):,} บาท"
    if name == "participants":
        return f"{int(value):,} คน"
    if name == "photo":
        return "แนบแล้ว 📷"
    return str(value)


CARD = "_summary_card"
"""A token for this journey's summary cards: an edit link on an earlier one still edits that field."""


def summary_digest(values: dict[str, Any]) -> str:
    """What a summary card shows, in short: its send button is good while nothing on it has changed."""
    shown = json.dumps({name: values.get(name) for name in FIELDS}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(shown.encode()).hexdigest()[:10]


def summary_card(ctx: Ctx) -> list[dict[str, Any]]:
    """The whole idea on one card, an edit link ('แก้งบ' …) beside every field, and a send button."""
    values = _values(ctx)
    nonce = ctx.conversation.nonce
    card = values.get(CARD) or secrets.token_hex(3)  # this journey's summaries: their edit links stay good
    if not values.get(CARD):
        engine.put(ctx, **{CARD: card})
    rows = []
    for name in FIELDS:
        rows.append(replies.fbox([
            replies.fbox([replies.ftext(FIELD_LABELS[name], size="xxs", color="#888888"),
                          replies.ftext(display_value(ctx, name, values)[:300], size="sm")], flex=1),
            replies.fbutton(replies.act_postback(FIX_LABELS[name], postback.encode(FIX_ACTION, f=name, n=nonce, j=card),
                                                 f"แก้ไข{FIELD_LABELS[name]}"),
                            style="link", flex=0, gravity="center"),
        ], layout="horizontal", spacing="sm"))
    send_label = "ส่งฉบับแก้ไข" if _editing(ctx) else "ส่งโครงการ"
    card = replies.bubble("ตรวจสอบก่อนส่งนะคะ", rows,
                          [engine.button(ctx, send_label, "send", send_label, h=summary_digest(values))],
                          subtitle="แตะ “แก้…” ข้างหัวข้อที่อยากเปลี่ยนได้เลยค่ะ", color="#0B7A75", size="mega")
    lead = "สรุปโครงการของคุณค่ะ ตรวจดูแล้วแตะ “" + send_label + "” หรือปุ่ม “แก้…” ข้างหัวข้อที่อยากเปลี่ยนได้เลยนะคะ"
    groups = groups_left_note(values, at_summary=True)
    if groups:
        lead = f"{lead}\n{groups}"
    if values.get("_asked"):
        lead = f"เจ้าหน้าที่ขอให้ปรับ: {values['_asked']}\n\n{lead}"
    return [replies.flex(f"สรุปโครงการ: {values.get('title') or ''}", card),
            replies.text(lead)]


def _confirm_choices(ctx: Ctx) -> list[Choice]:
    label = "ส่งฉบับแก้ไข" if _editing(ctx) else "ส่งโครงการ"
    return [Choice(label, "send")]


FIX_VERBS = ("แก้ไข", "แก้", "เปลี่ยน")


def field_to_fix(text: str | None) -> str | None:
    """The field a typed "แก้งบ" / "ขอแก้ไขเบอร์ติดต่อค่ะ" / "เปลี่ยนชุมชน" asks to edit, if any."""
    word = engine.bare_word(text).removeprefix("ขอ")
    for name in FIELDS:
        nouns = (FIX_LABELS[name].removeprefix("แก้"), "".join(FIELD_LABELS[name].split()))
        if any(word == verb + noun for verb in FIX_VERBS for noun in nouns):
            return name
    return None


def _fix_nouns() -> dict[str, str]:
    """Every word a field goes by after "แก้" ("งบ", "งบประมาณ", "เบอร์ติดต่อ" …) → the field, longest first."""
    nouns = {}
    for name in FIELDS:
        for noun in (FIX_LABELS[name].removeprefix("แก้"), "".join(FIELD_LABELS[name].split())):
            nouns.setdefault(noun, name)
    return dict(sorted(nouns.items(), key=lambda pair: len(pair[0]), reverse=True))


FIX_WITH_VALUE = re.compile(
    r"^\s*(?:ขอ\s*)?(?:" + "|".join(FIX_VERBS) + r")\s*(?P<noun>" + "|".join(map(re.escape, _fix_nouns()))
    + r")\s*(?:ให้)?\s*เป็น\s*(?P<value>\S.*?)\s*$", re.DOTALL)
"""A field changed in one message at the summary: "แก้งบเป็น 1 หมื่น 9 พัน 5 ร้อยบาทค่ะ"."""


def fix_with_value(ctx: Ctx, text: str | None) -> str | None:
    """Set the field a typed "แก้<field>เป็น <value>" names, parsed as its own step parses it; the field's name
    (Invalid, with the step's reason, when the value is not one the step takes)."""
    match = FIX_WITH_VALUE.match(text or "")
    if match is None:
        return None
    name = _fix_nouns()[match["noun"]]
    flow = engine.active_flow(ctx)
    step = flow.step(name) if flow is not None else None
    if step is None or step.parse is None:
        return None
    value = step.parse(ctx, Answer(kind="text", text=without_particles(match["value"])))
    engine.put(ctx, **{name: value})
    if name == "title":
        _after_title(ctx, value)
    return name


PHONE_SAID = re.compile(r"เบอร์|เบอ|โทร")
CONTACT_SAID = re.compile(r"เบอร์|เบอ|โทร|ติดต่อ")
"""Words before a phone typed at the summary ("ติดต่อป้าแดง 081-…" too)."""
CONTACT_NAME_SAID = re.compile(r"ชื่อ\s*(?:ผู้|คน)\s*ติดต่อ")
BUDGET_SAID = re.compile(r"งบ|ค่า[ก-๙]")
PEOPLE_SAID = re.compile(r"ผู้เข้าร่วม|คนเข้าร่วม|จำนวนคน")
WRONG_SAID = re.compile(r"ผิด|แก้|เปลี่ยน|ไม่ถูก|ที่ถูก|ใหม่|จริง ?ๆ|ขอเป็น")


def fix_in_words(ctx: Ctx, text: str | None) -> str | None:
    """A field corrected in a sentence at the summary: "เบอร์ผิดครับ ที่ถูกคือ 089 999 1111", "แก้งบครับ ค่าเมล็ดพันธุ์
    5,000 … รวม 27,000 บาท" (both got "ตอนนี้รอยืนยันอยู่ค่ะ…"), "ติดต่อป้าแดง 081-…" (the name too). "confirm" when the
    new value came with it and was stored, the field's name when only the field was said ("เบอร์ผิดครับ",
    "ชื่อผู้ติดต่อผิดค่ะ"); Invalid with the step's reason."""
    text = text or ""
    phone = parse_phone(text) if CONTACT_SAID.search(text) else None
    if phone is not None:
        name = _cleaned(ideas.clean_contact_name, idea_message.contact_name_in(text))
        engine.put(ctx, phone=ideas.normalize_phone(phone), **({"contact_name": name} if name else {}))
        return "confirm"
    if CONTACT_NAME_SAID.search(text) and WRONG_SAID.search(text):
        return "contact_name"
    if PEOPLE_SAID.search(text) and WRONG_SAID.search(text):
        if parse_count(text) is None:
            return "participants"
        engine.put(ctx, participants=_parse_participants(ctx, Answer(kind="text", text=text)))
        return "confirm"
    if BUDGET_SAID.search(text) and (WRONG_SAID.search(text) or len(ITEM.findall(text)) >= 2):
        if parse_money(text) is None:
            return "budget"
        engine.put(ctx, budget=_parse_budget(ctx, Answer(kind="text", text=text)))
        return "confirm"
    return "phone" if PHONE_SAID.search(text) and WRONG_SAID.search(text) else None  # "เบอร์ผิดครับ"


def _parse_confirm(ctx: Ctx, answer: Answer) -> bool | str:
    """True to send; or the name of a field to edit first, when its edit link's words were typed; or
    "confirm" (the summary again) when the field's new value came with them."""
    if answer.kind == "choice" and answer.value == "send":
        ok = True
    else:
        if answer.kind == "text" and fix_with_value(ctx, answer.text):
            return "confirm"
        field = field_to_fix(answer.text) if answer.kind == "text" else None
        if field:
            return field
        field = fix_in_words(ctx, answer.text) if answer.kind == "text" else None
        if field:
            return field
        try:
            ok = engine.yes_no(ctx, answer)
        except Invalid:
            label = _confirm_choices(ctx)[0].label
            raise Invalid(f"ตอนนี้รอยืนยันอยู่ค่ะ แตะ “{label}” เพื่อส่ง หรือปุ่ม “แก้…” ข้างหัวข้อที่อยากเปลี่ยน "
                          "(พิมพ์ “ยกเลิก” เพื่อออก) นะคะ") from None
        if not ok:
            raise Invalid("ได้ค่ะ แตะปุ่ม “แก้…” ข้างหัวข้อที่อยากเปลี่ยน หรือพิมพ์ “ยกเลิก” ถ้าไม่ส่งแล้วนะคะ")
    try:  # check every field again now, so a problem is told here and nothing typed is lost
        ideas.clean_fields(ctx.session, fields_for_service(ctx, _values(ctx)))
    except ServiceError as exc:
        raise Invalid(exc.message_th) from None
    return ok


def _after_any(ctx: Ctx, value: Any) -> str | None:
    """Once the summary has been seen, an answered field goes back to the summary."""
    return "confirm" if _values(ctx).get("_seen_summary") else None


def _after_title_step(ctx: Ctx, value: Any) -> str | None:
    _after_title(ctx, value)
    return _after_any(ctx, value)


def _after_confirm(ctx: Ctx, value: bool | str) -> str | None:
    return value if isinstance(value, str) else None  # a field to edit, else on to finish


def _ask_confirm(ctx: Ctx) -> list[dict[str, Any]]:
    engine.put(ctx, _seen_summary=True)
    return summary_card(ctx)


# --- a draft: an idea left half-way -------------------------------------------------------------------

RESUME_CHOICES = [Choice("ทำต่อจากเดิม", "continue"), Choice("เริ่มใหม่", "restart")]
NOT_KEPT = ("_switch", "_return_to", "_draft_title", "resume")


def typed_something(data: dict[str, Any]) -> bool:
    return any(data.get(name) not in (None, "") for name in FIELDS)


def _ask_resume(ctx: Ctx) -> str:
    title = _values(ctx).get("_draft_title")
    return (f"มีโครงการ{f' “{title}” ' if title else ''}ที่ทำค้างไว้ค่ะ 📝 "
            "จะทำต่อจากเดิม หรือเริ่มใหม่ดีคะ")


def _resume_at(data: dict[str, Any]) -> str:
    """Where a draft goes on: the summary once seen, else the first question not answered yet."""
    if not data.get("_seen_summary"):
        told = data.get("_prefilled") or ()
        for name in FIELDS:
            if name not in data and name not in told and name not in SUMMARY_ONLY:
                return name
    return "confirm"


def _after_resume(ctx: Ctx, value: str) -> str | None:
    draft = ideas.draft_of(ctx.session, ctx.user, ctx.now) if ctx.user is not None else None
    if value != "continue" or draft is None:
        if draft is not None:
            ideas.drop_draft(ctx.session, ctx.user)
        engine.put(ctx, _draft_title=None)
        return None  # the first question
    ctx.conversation.data = {**draft.data, "_from_draft": True}
    return _resume_at(draft.data)


def _needed_text(example: str) -> engine.Parser:
    """Any text but a non-answer ("ไม่แน่ใจ" was saved as the plan, where "ข้าม" is refused)."""
    text = engine.free_text(max_len=ideas.MAX_TEXT)

    def parse(ctx: Ctx, answer: Answer) -> str:
        value = text(ctx, answer)
        if engine.bare_word(value) in NON_ANSWERS:
            raise Invalid(f"ข้อนี้ขอคำตอบคร่าว ๆ ก่อนนะคะ {example} ยังไม่แน่ใจก็เขียนสั้น ๆ ตามที่คิดไว้ได้เลยค่ะ")
        return value

    parse.takes_any_text = True  # type: ignore[attr-defined]
    return parse


@register_flow
class IdeaFlow(Flow):
    name = "idea"
    title = "เสนอโครงการ"
    requires_consent = True

    def chip_extra(self, ctx: Ctx, step: Step) -> dict[str, str]:
        return {"h": summary_digest(_values(ctx))} if step.name == "confirm" else {}

    def takes_older_chip(self, ctx: Ctx, params: dict[str, str]) -> bool:
        """An earlier summary's send button, when what that card showed is what would be sent."""
        return (params.get("s") == "confirm" and params.get("v") == "send"
                and params.get("h") == summary_digest(_values(ctx)))
    steps = (
        Step("resume", ask=_ask_resume, choices=RESUME_CHOICES, parse=engine.one_of(RESUME_CHOICES),
             after=_after_resume, when=lambda ctx: False),  # asked only by on_start, when a draft is kept
        Step("title", ask=_ask_title, choices=_title_choices, parse=_parse_title, after=_after_title_step,
             when=_not_told("title")),
        Step("topic", ask=_ask_topic, choices=_topic_choices, parse=_parse_topic, skippable=True, after=_after_any),
        Step("community", ask=_ask_community, choices=_community_choices, parse=_parse_community,
             skippable=True, after=_after_any, when=_not_told("community")),
        Step("target_group", ask=ASK_TARGET, choices=_target_choices, parse=_parse_target,
             skippable=True, after=_after_any, when=_not_told("target_group")),
        Step("problem", ask=ASK_PROBLEM, parse=_needed_text("เช่น “ผู้สูงอายุในชุมชนไม่ค่อยได้ออกกำลังกาย”"),
             after=_after_any, when=_not_told("problem")),
        Step("plan", ask=ASK_PLAN, parse=_needed_text("เช่น “ชวนผู้สูงอายุรำไม้พลองทุกเช้าที่ลานวัด”"),
             after=_after_any, when=_not_told("plan")),
        Step("participants", ask=ASK_PARTICIPANTS, parse=_parse_participants, skippable=True, after=_after_any,
             when=_not_told("participants")),
        Step("budget", ask=ASK_BUDGET, parse=_parse_budget, skippable=True, after=_after_any,
             when=_not_told("budget")),
        Step("funding_source", ask=ASK_FUNDING, choices=_funding_choices, parse=_parse_funding, after=_after_any,
             when=_not_told("funding_source")),
        Step("photo", ask=ASK_PHOTO, parse=_parse_photo, skippable=True, extra_quick=_photo_quick,
             after=_after_any),
        Step("phone", ask=_ask_phone, choices=_phone_choices, parse=_parse_phone, skippable=True,
             after=_after_any, when=_not_told("phone")),
        Step("contact_name", ask=_ask_contact_name, parse=_parse_contact_name, skippable=True, after=_after_any,
             when=lambda ctx: False),  # said with the phone; changed from the summary's "แก้ชื่อผู้ติดต่อ"
        Step("confirm", ask=_ask_confirm, choices=_confirm_choices, parse=_parse_confirm, after=_after_confirm),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        idea_id = data.get("_idea_id")
        if idea_id:
            return self._load_for_edit(ctx, int(idea_id))
        message = data.pop("_message", None)  # the whole request: it may tell more than the name, in any order
        title = (data.get("title") or "").strip()
        told = told_values(ctx, message or title) if message or title else None
        if told is not None:  # the whole project in one message: ask only what it did not say
            data.update(told)
            ctx.reply(replies.text(told_note(told)))
            return None
        if not title:
            draft = ideas.draft_of(ctx.session, ctx.user, ctx.now) if ctx.user is not None else None
            if draft is not None and typed_something(draft.data):  # "ทำต่อจากเดิม" or "เริ่มใหม่"
                data["_draft_title"] = draft.data.get("title")
                return "resume"
            return None
        if idea_message.says_no_title(title):  # "อยากทำโครงการ ยังไม่ได้ตั้งชื่อค่ะ": the name is asked for
            data.update(title=None, _no_title=True)
            return None
        data["title"] = title[: ideas.MAX_TITLE]
        data["_prefilled"] = ["title"]
        data["_suggested"] = suggest_topic(title)
        return None

    def _load_for_edit(self, ctx: Ctx, idea_id: int) -> str | None:
        idea = ctx.session.get(Idea, idea_id)
        problem = None
        if idea is None or ctx.user is None or idea.user_id != ctx.user.id:
            problem = "ไม่พบโครงการนี้ในรายการของคุณค่ะ"
        elif idea.status not in ("submitted", "needs_revision"):
            problem = (f"โครงการนี้อยู่ในสถานะ “{ideas.status_label(idea.status)}” แล้ว จึงแก้ไขเองไม่ได้ค่ะ "
                       "ติดต่อเจ้าหน้าที่ได้นะคะ")
        if problem:
            engine.end(ctx, replies.text(problem, quick=[replies.quick_message("โครงการของฉัน")]))
            return None
        values = {
            "_idea_id": idea.id, "_seen_summary": True, "title": idea.title, "topic": idea.topic,
            "community": idea.community_id, "target_group": idea.target_group, "problem": idea.problem,
            "plan": idea.plan, "participants": idea.participants, "budget": idea.budget,
            "funding_source": idea.funding_source,
            "photo": idea.photo_message_id, "phone": idea.contact_phone, "contact_name": idea.contact_name,
            "_asked": ideas.revision_asked(ctx.session, idea),
        }
        ctx.conversation.data = values
        return "confirm"

    def kept_note(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """Left half-way (the menu, another journey, silence): what was typed is kept as a draft for a week.
        "ยกเลิก" keeps nothing (and drops the draft it went on with)."""
        from bot.dispatcher import CANCEL_WORDS, bare

        if data.get("_idea_id") or ctx.user is None:
            return None
        if bare(ctx.text or "") in CANCEL_WORDS:
            if data.get("_from_draft"):
                ideas.drop_draft(ctx.session, ctx.user)
            return None
        if not typed_something(data):
            return None
        ideas.save_draft(ctx.session, ctx.user, {k: v for k, v in data.items() if k not in NOT_KEPT}, now=ctx.now)
        title = data.get("title")
        return (f"โครงการ{f' “{title}” ' if title else ''}ยังไม่ได้ส่งนะคะ เก็บที่พิมพ์ไว้ให้ "
                f"{ideas.DRAFT_KEPT.days} วัน พิมพ์ “เสนอโครงการ” เพื่อทำต่อได้ค่ะ")

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        fields = fields_for_service(ctx, data)
        mine = [replies.quick_message("โครงการของฉัน"), replies.quick_message("เมนู")]
        if data.get("_from_draft"):
            ideas.drop_draft(ctx.session, ctx.user)
        links = idea_photos.links_for(ctx.settings)
        if data.get("_idea_id"):
            idea = ideas.edit(ctx.session, int(data["_idea_id"]), ctx.user, now=ctx.now, links=links, **fields)
            _fetch_photo_after_commit(ctx, idea)
            ctx.reply(replies.text(
                f"ส่งโครงการ “{idea.title}” ฉบับแก้ไขแล้วค่ะ ✅ "
                f"ตอนนี้สถานะคือ “{ideas.status_label(idea.status)}” เจ้าหน้าที่จะพิจารณาต่อนะคะ", quick=mine))
            return
        idea = ideas.submit(ctx.session, ctx.user, now=ctx.now, links=links, **fields)
        _fetch_photo_after_commit(ctx, idea)
        ctx.reply(replies.text(
            f"ส่งโครงการ “{idea.title}” เรียบร้อยแล้วค่ะ ✅ (เลขที่ {idea.id})\n"
            "เจ้าหน้าที่จะพิจารณาและแจ้งผลทางแชตนี้นะคะ ดูสถานะได้ที่ “โครงการของฉัน” ค่ะ", quick=mine))


def _fetch_photo_after_commit(ctx: Ctx, idea: Idea) -> None:
    """A picture to fetch from LINE: right after the commit, off the event's transaction (not in the reply's
    way); if LINE fails then, the scheduler tries again."""
    if idea_photos.is_pending(ctx.session, idea):
        ctx.after_commit.append(idea_photos.fetch_task(idea.id))


def fix_field(ctx: Ctx, params: dict[str, str]) -> None:
    """A tap on an edit link ('แก้งบ' …) beside a field on the summary: ask that field, then come back to the summary."""
    from bot import texts

    conv = ctx.conversation
    if engine.is_expired(ctx):
        values = dict(conv.data or {})
        flow = engine.expire(ctx)
        kept = flow.kept_note(ctx, values) if flow else None  # the idea's draft
        ctx.reply(replies.text(texts.expired(flow.title if flow else None) + (f"\n{kept}" if kept else "")))
        return
    flow = engine.active_flow(ctx)
    name = params.get("f", "")
    this_journey = params.get("n") == conv.nonce or (params.get("j") and params.get("j") == (conv.data or {}).get(CARD))
    if flow is None or flow.name != IdeaFlow.name or conv.step != "confirm" or not this_journey or name not in FIELDS:
        ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
        if flow is not None and conv.step:
            engine.ask(ctx, flow, flow.step(conv.step))
        return
    engine.goto(ctx, name)


# --- staff: the reason for a revision request or a refusal -----------------------------------------

class StaffMoveFlow(Flow):
    """A question staff answer before an idea moves (the reason, the funding, the results); then the move,
    to the status the button named, unless someone moved the idea meanwhile."""

    cancelled_text = "ได้ค่ะ ยังไม่เปลี่ยนสถานะโครงการ ผู้เสนอไม่ได้รับแจ้งอะไรนะคะ"

    def move_details(self, data: dict[str, Any]) -> dict[str, Any]:
        """What the answers add to ideas.move (reason=…, granted_fund=…, reached=…)."""
        return {}

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        idea = ideas.move(ctx.session, int(data["id"]), ctx.user, data["to"], expected_from=data.get("frm") or None,
                          now=ctx.now, **self.move_details(data))
        ctx.reply(moved_reply(idea))


MOVE_CONFIRM = [Choice("ยืนยัน", "yes"), Choice("ไม่ทำแล้ว", "no")]


def _after_move_confirm(ctx: Ctx, value: str) -> str | None:
    if value != "yes":  # not this one; the next idea typed with it ("… 15 และ 12") is still offered
        engine.leave(ctx)
        ctx.reply(replies.text(StaffMoveFlow.cancelled_text, quick=staff_idea_lists()))
        engine.offer_later(ctx)
        return None
    return FINISH


def move_confirm_step(preview: Any) -> Step:
    """What will be recorded and told to the submitter, to confirm: money and results are not undone by a tap."""
    return Step("confirm", ask=preview, choices=MOVE_CONFIRM, parse=engine.one_of_or_yes_no(MOVE_CONFIRM),
                after=_after_move_confirm)


REASON_CHIPS = {
    "needs_revision": ("ขอรายละเอียดงบประมาณ", "ขอจำนวนผู้เข้าร่วม", "ขอแผนงานให้ชัดขึ้น"),
    "rejected": ("ไม่ตรงเงื่อนไขทุน", "งบประมาณเกินกรอบ", "ซ้ำกับโครงการเดิม"),
}


def _reason_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(text, text) for text in REASON_CHIPS.get(_values(ctx).get("to", ""), ())]


def _ask_reason(ctx: Ctx) -> str:
    values = _values(ctx)
    idea = ctx.session.get(Idea, int(values.get("id", 0)))
    title = idea.title if idea else ""
    if values.get("to") == "rejected":
        return f"ไม่อนุมัติโครงการ “{title}” เพราะอะไรคะ เหตุผลนี้จะส่งถึงผู้เสนอค่ะ"
    return f"อยากให้ผู้เสนอปรับแก้โครงการ “{title}” เรื่องไหนคะ พิมพ์สั้น ๆ หรือเลือกจากปุ่มได้เลยค่ะ"


def _reason_preview(ctx: Ctx) -> str:
    """The reason (typed with the command, "ไม่อนุมัติโครงการ 16 ค่ะ ซ้ำกับ…", or answered): what will be told,
    to confirm."""
    values = _values(ctx)
    idea = ctx.session.get(Idea, int(values.get("id", 0)))
    verb = "ไม่อนุมัติ" if values.get("to") == "rejected" else "ขอให้ผู้เสนอปรับแก้"
    return (f"{verb}โครงการ “{idea.title if idea else ''}” (เลขที่ {values.get('id')}) นะคะ\n"
            f"เหตุผลถึงผู้เสนอ: “{values.get('reason')}”\nผู้เสนอจะได้รับแจ้งทันที ยืนยันไหมคะ")


def _parse_reason(ctx: Ctx, answer: Answer) -> str:
    """The reason as typed, without the words that only lead into it ("เพราะ…", "ค่ะ …")."""
    typed = engine.free_text(max_len=500)(ctx, answer)
    return reason_text(typed) or typed


@register_flow
class IdeaReasonFlow(StaffMoveFlow):
    name = "idea_reason"
    title = "ระบุเหตุผลให้ผู้เสนอ"
    composes_for_others = True  # the reason the submitter reads
    steps = (
        Step("reason", ask=_ask_reason, choices=_reason_choices, parse=_parse_reason,
             when=lambda ctx: not _values(ctx).get("typed_reason")),
        move_confirm_step(_reason_preview),  # typed with the command or answered here: shown, then confirmed
    )

    def move_details(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": data.get("reason")}


# --- staff: the funding recorded at approval --------------------------------------------------------

NOT_KNOWN = Choice("ยังไม่ระบุ", "none")


def _idea_being_moved(ctx: Ctx) -> Idea | None:
    return ctx.session.get(Idea, int(_values(ctx).get("id", 0)))


def _fund_choices(_: Ctx) -> list[Choice]:
    return [Choice(FUNDING_CHIPS[key], key) for key in ideas.grant_funds()] + [NOT_KNOWN]


def _ask_fund(ctx: Ctx) -> str:
    idea = _idea_being_moved(ctx)
    wanted = ideas.grant_funds().get(idea.funding_source or "") if idea else None
    hint = f" (ผู้เสนออยาก{ideas.after_word('ขอจาก', wanted)})" if wanted else ""
    return f"อนุมัติโครงการ “{idea.title if idea else ''}” นะคะ ได้ทุนจากแหล่งไหนคะ{hint}"


def _parse_fund(ctx: Ctx, answer: Answer) -> str | None:
    value = engine.one_of(_fund_choices)(ctx, answer)
    return None if value == NOT_KNOWN.value else value


def _granted_choices(ctx: Ctx) -> list[Choice]:
    idea = _idea_being_moved(ctx)
    asked = [Choice(f"ตามที่ขอ {idea.budget:,}", str(idea.budget))] if idea and idea.budget else []
    return asked + [NOT_KNOWN]


def _typed_digits(answer: Answer) -> bool:
    """Typed text with a digit in it is a number, never part of a chip's label ("4" is not "ตามแผน 45 คน")."""
    return answer.kind == "text" and re.search(r"[0-9๐-๙]", answer.text or "") is not None


def _chip_number(choices: Any, ctx: Ctx, answer: Answer) -> tuple[bool, int | None]:
    """(True, number or None for "ยังไม่ระบุ") when the answer is one of the chips or their words typed."""
    if _typed_digits(answer):
        return False, None
    try:
        value = engine.one_of(choices)(ctx, answer)
    except Invalid:
        return False, None
    return True, None if value == NOT_KNOWN.value else int(value)


def _approval_preview(ctx: Ctx) -> str:
    idea, values = _idea_being_moved(ctx), _values(ctx)
    fund = ideas.grant_funds().get(values.get("fund") or "", "ยังไม่ระบุ")
    granted = values.get("granted")
    asked = idea.budget if idea else None
    lines = [f"อนุมัติโครงการ “{idea.title if idea else ''}” นะคะ", f"แหล่งทุน: {fund}",
             f"งบที่ได้: {granted:,} บาท" if granted is not None else "งบที่ได้: ยังไม่ระบุ"]
    if asked:
        lines[-1] += f" (ขอไว้ {asked:,} บาท)"
    if granted is not None and asked and granted > asked:
        lines.append(f"⚠️ มากกว่าที่ขอ {granted - asked:,} บาท ตรวจอีกครั้งนะคะ")
    note = values.get("note") or values.get("typed_note")
    if note:
        lines.append(f"หมายเหตุถึงผู้เสนอ: {note}")
    lines.append("ผู้เสนอจะได้รับแจ้งทันที ยืนยันไหมคะ")
    return "\n".join(lines)


APPROVAL_WORDS = re.compile(r"^(?:\s*(?:อนุมัติ|ได้|ให้|งบ(?:ประมาณ)?|ที่|เป็น|บาท|ค่ะ|คะ|ครับ|นะ|จ้า|[,.:])\s*)+")


def note_beside_amount(text: str) -> str | None:
    """What staff say after the baht ("อนุมัติ 2 หมื่นห้าค่ะ ตัดค่าวิทยากรลง" → "ตัดค่าวิทยากรลง"): a note for the
    submitter (it was dropped)."""
    from nlp.entities import _MONEY_UNIT
    from nlp.normalize import light_normalize
    from nlp.numbers import iter_numbers

    t = light_normalize(text or "")
    for start, end, _ in reversed(list(iter_numbers(t))):
        unit = _MONEY_UNIT.match(t, end)
        t = t[:start] + " " + t[unit.end() if unit else end:]
    note = without_particles(APPROVAL_WORDS.sub("", t).strip())
    return note if len(re.findall(r"[ก-๙A-Za-z]", note)) >= 3 else None


def _parse_granted(ctx: Ctx, answer: Answer) -> int | None:
    chosen, value = _chip_number(_granted_choices, ctx, answer)  # "ตามที่ขอค่ะ", "ยังไม่ระบุ"
    if chosen:
        engine.put(ctx, note=None)
        return value
    try:
        granted = parse_budget_text(answer.text or "")
        engine.put(ctx, note=note_beside_amount(answer.text or ""))
        return granted
    except Invalid:  # its reason points at the idea form's "ข้าม"; this step has "ยังไม่ระบุ"
        raise Invalid(f"ขอเป็นจำนวนบาทค่ะ เช่น 25000 หรือ สองหมื่นห้า หรือแตะ “{NOT_KNOWN.label}” ก็ได้นะคะ") from None


@register_flow
class IdeaApprovalFlow(StaffMoveFlow):
    """Staff approve an idea and record its funding: which fund pays, how many baht (either may wait)."""

    name = "idea_approve"
    title = "อนุมัติโครงการ"
    steps = (
        Step("fund", ask=_ask_fund, choices=_fund_choices, parse=_parse_fund),
        Step("granted", ask="ได้งบเท่าไรคะ พิมพ์จำนวนบาท เช่น 25000 หรือ “สองหมื่นห้า” หรือแตะปุ่มได้เลยค่ะ",
             choices=_granted_choices, parse=_parse_granted),
        move_confirm_step(lambda ctx: _approval_preview(ctx)),
    )

    def move_details(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"granted_fund": data.get("fund"), "granted_budget": data.get("granted"),
                "reason": data.get("note") or data.get("typed_note")}


# --- staff: the results recorded at completion (the One Report) -------------------------------------

def _reached_choices(ctx: Ctx) -> list[Choice]:
    idea = _idea_being_moved(ctx)
    planned = [Choice(f"ตามแผน {idea.participants:,} คน", str(idea.participants))] if idea and idea.participants else []
    return planned + [NOT_KNOWN]


def _ask_reached(ctx: Ctx) -> str:
    idea = _idea_being_moved(ctx)
    return (f"ปิดโครงการ “{idea.title if idea else ''}” นะคะ มีผู้เข้าร่วมจริงกี่คนคะ "
            "พิมพ์จำนวน เช่น 45 หรือ สี่สิบห้าคน หรือแตะปุ่มได้เลยค่ะ")


def _parse_reached(ctx: Ctx, answer: Answer) -> int | None:
    chosen, value = _chip_number(_reached_choices, ctx, answer)  # "ตามแผนค่ะ", "ยังไม่ระบุ"
    if chosen:
        return value
    try:
        return _parse_participants(ctx, answer)
    except Invalid as exc:  # its reason may point at the idea form's "ข้าม"; this step has "ยังไม่ระบุ"
        reason = exc.reason.replace("“ข้าม”", f"“{NOT_KNOWN.label}”")
        raise Invalid(reason) from None


def _reportable(text: str) -> bool:
    """A result the district can report: a few words at least ("-5", "ok" are not)."""
    return len(re.findall(r"[ก-๛A-Za-z]", text)) >= 5


def _parse_outcome(ctx: Ctx, answer: Answer) -> str | None:
    try:
        engine.one_of([NOT_KNOWN])(ctx, answer)
        return None
    except Invalid:
        text = engine.free_text(max_len=500)(ctx, answer)
    if not _reportable(text):
        raise Invalid(f"ขอเล่าผลเป็นประโยคสั้น ๆ นะคะ เช่น “ผู้สูงอายุ 40 คนออกกำลังกายทุกเช้า” "
                      f"หรือแตะ “{NOT_KNOWN.label}” ก็ได้ค่ะ")
    return text


def _completion_preview(ctx: Ctx) -> str:
    idea, values = _idea_being_moved(ctx), _values(ctx)
    reached = values.get("reached")
    people = f"{reached:,} คน" if reached is not None else "ยังไม่ระบุ"
    if reached is not None and idea and idea.participants:
        people += f" (แผนไว้ {idea.participants:,} คน)"
    return (f"ปิดโครงการ “{idea.title if idea else ''}” นะคะ\nผู้เข้าร่วมจริง: {people}\n"
            f"ผลที่เกิดขึ้น: {values.get('outcome') or 'ยังไม่ระบุ'}\nผู้เสนอจะได้รับแจ้งทันที ยืนยันไหมคะ")


@register_flow
class IdeaCompletionFlow(StaffMoveFlow):
    """Staff close an idea and record its results for the One Report: people reached, what changed."""

    name = "idea_complete"
    title = "ปิดโครงการ"
    steps = (
        Step("reached", ask=_ask_reached, choices=_reached_choices, parse=_parse_reached),
        Step("outcome", ask=("เกิดผลอะไรขึ้นบ้างคะ เล่าสั้น ๆ เช่น “ผู้สูงอายุ 40 คนออกกำลังกายทุกเช้า ความดันลดลง” "
                             "ผลนี้จะอยู่ในรายงานโครงการของเขตค่ะ"),
             choices=[NOT_KNOWN], parse=_parse_outcome, when=lambda ctx: not _values(ctx).get("typed_outcome")),
        move_confirm_step(lambda ctx: _completion_preview(ctx)),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """"ปิดโครงการ 14 ผู้สูงอายุออกกำลังกายทุกเช้า": what was typed after the number is the results (shown at
        the preview to confirm), not asked again; too short to report, it is asked as usual."""
        typed = (data.get("typed_note") or "").strip()[:500]
        if typed and _reportable(typed):
            data.update(outcome=typed, typed_outcome="1")
        return None

    def move_details(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"reached": data.get("reached"), "outcome": data.get("outcome")}


MOVE_VERBS = {"under_review": "รับพิจารณา", "in_progress": "เริ่มดำเนินการ", "withdrawn": "ถอน"}
"""What staff are about to do, said in the confirmation of a move that asks nothing else."""


def _move_preview(ctx: Ctx) -> str:
    """The move and the very message the submitter will be pushed, to confirm (every move tells them)."""
    values = _values(ctx)
    idea = _idea_being_moved(ctx)
    to = values.get("to", "")
    verb = MOVE_VERBS.get(to, f"เปลี่ยนสถานะเป็น “{ideas.status_label(to)}” ให้")
    notice = ideas.submitter_notice_text(idea, to, values.get("reason")) if idea else ""
    return (f"{verb}โครงการ “{idea.title if idea else ''}” (เลขที่ {values.get('id')}) นะคะ\n"
            f"ผู้เสนอจะได้รับข้อความว่า\n“{notice}”\nยืนยันไหมคะ")


@register_flow
class IdeaMoveConfirmFlow(StaffMoveFlow):
    """A move that asks nothing (รับพิจารณา, เริ่มดำเนินการ): only what the submitter will be told, confirmed."""

    name = "idea_move_confirm"
    title = "ยืนยันการเปลี่ยนสถานะโครงการ"
    steps = (move_confirm_step(_move_preview),)

    def move_details(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": data.get("reason")}


MOVE_FLOWS = {"approved": IdeaApprovalFlow.name, "completed": IdeaCompletionFlow.name}
"""The moves that ask staff something first (besides a reason): the funding, the results. Every other move
(no reason asked) is confirmed with IdeaMoveConfirmFlow: all of them push a message to the submitter."""


def moved_reply(idea: Idea) -> dict[str, Any]:
    """What staff read after moving an idea: its new status, and where the next ideas to move are."""
    recorded = {"approved": ideas.grant_text, "completed": ideas.result_text}.get(idea.status)
    detail = recorded(idea) if recorded else None
    text = (f"บันทึกแล้วค่ะ ✅ โครงการ “{idea.title}” ตอนนี้ “{ideas.status_label(idea.status)}”"
            + (f" ({detail})" if detail else "") + " ผู้เสนอจะได้รับแจ้งทันทีค่ะ")
    return replies.text(text, quick=staff_idea_lists())


def staff_idea_lists() -> list[dict[str, Any]]:
    """Chips to the two lists staff move ideas from: waiting for review, and approved or under way."""
    return [replies.quick_message("🗂 โครงการรอตรวจ", "โครงการรอตรวจ"),
            replies.quick_message("🚧 โครงการที่อนุมัติ", "โครงการที่อนุมัติแล้ว")]


__all__ = ["FINISH", "FIELDS", "MOVE_FLOWS", "IdeaApprovalFlow", "IdeaCompletionFlow", "IdeaFlow", "IdeaMoveConfirmFlow", "IdeaReasonFlow", "fix_field", "moved_reply", "parse_budget_text", "staff_idea_lists"]
