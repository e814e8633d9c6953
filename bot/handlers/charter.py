"""Health charter in chat: browse sections and clauses, start feedback, staff results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot import postback, replies, texts
from bot.context import Ctx
from bot.dispatcher import (
    journey_when,
    on_command,
    on_intent,
    on_postback,
    one_to_one,
    reads_only,
    starts_flow,
)
from bot.flows import engine
from bot.services import charter as svc
from bot.services.charter_io import to_arabic_digits
from bot.services.errors import ServiceError
from bot.textmatch import best_named
from bot.thaidate import format_date, format_datetime
from nlp.normalize import reason_text

COLOR = "#1E7B4F"
SECTIONS_PER_PAGE = 10  # + the intro bubble + a "more" bubble ≤ 12
CLAUSES_PER_PAGE = 10   # + a navigation bubble ≤ 12
STANCE_BUTTONS = (("เห็นด้วย", "agree"), ("ไม่เห็นด้วย", "disagree"), ("ไม่แน่ใจ", "unsure"))
STANCE_MARK = {"agree": "👍", "disagree": "👎", "unsure": "🤔"}

NO_CHARTER = "ตอนนี้ยังไม่มีธรรมนูญสุขภาพที่เผยแพร่ค่ะ เมื่อมีแล้วจะแจ้งให้ทราบนะคะ"
UPDATED = "ธรรมนูญฉบับนั้นมีการปรับปรุงแล้วค่ะ นี่คือฉบับล่าสุดนะคะ"
INTRO_HINT = "เลื่อนดูแต่ละหมวด แล้วกด “อ่านหมวดนี้” ได้เลยค่ะ"
READ_ONLY_HINT = "อ่านได้ทุกข้อค่ะ ส่วนการแสดงความเห็นต้องให้ความยินยอมเรื่องข้อมูลก่อน (พิมพ์ “ยินยอม”)"
NO_CLAUSE = "ไม่พบข้อ {no} ค่ะ ธรรมนูญฉบับนี้มีข้อ {first}–{last} เลือกดูจากหมวดด้านล่างได้เลยนะคะ"
WHAT_IS = ("ธรรมนูญสุขภาพ คือข้อตกลงที่คนในเขตเขียนร่วมกัน ว่าจะดูแลสุขภาพของชุมชนอย่างไร "
           "และใครจะทำอะไร ช่วงเปิดรับฟังความคิดเห็น ทุกคนอ่านแล้วบอกได้ว่าเห็นด้วยหรือไม่ในแต่ละข้อค่ะ")
PICK_CLAUSE = "อยากให้ความเห็นข้อไหนคะ เลือกหมวดแล้วกดปุ่มใต้ข้อนั้นได้เลย หรือพิมพ์ เช่น “ข้อ 5 ควรเพิ่ม…” ก็ได้ค่ะ"
NO_ROUND_FOR_STAFF = "ยังไม่มีรอบรับฟังความคิดเห็นของธรรมนูญฉบับนี้ค่ะ"


# --- cards ---------------------------------------------------------------------------------------

def browse_quick(charter: svc.AnyCharter | None = None, section: svc.AnySection | None = None) -> list[dict[str, Any]]:
    items = []
    if section is not None:
        items.append(replies.quick_postback("หมวดนี้", postback.encode("charter.section", s=section.id),
                                            f"อ่านหมวด {section.no}"))
    items.append(replies.quick_postback("ทุกหมวด", postback.encode("charter.home"), "ดูทุกหมวด"))
    items.append(replies.quick_message("เมนู"))
    return items


def _clause_range(section: svc.AnySection) -> str:
    nos = [c.no for c in section.clauses]
    if not nos:
        return "ยังไม่มีข้อ"
    return f"ข้อ {nos[0]}" if len(nos) == 1 else f"ข้อ {nos[0]}–{nos[-1]}"


def intro_bubble(ctx: Ctx, charter: svc.AnyCharter, n_sections: int, n_clauses: int) -> dict[str, Any]:
    lines: list[str | dict[str, Any]] = []
    if charter.demo_notice:
        lines.append(replies.ftext(f"⚠️ {charter.demo_notice}", size="xs", color="#B35C00"))
    lines.append(f"{n_sections} หมวด {n_clauses} ข้อ · ฉบับที่ {charter.version}")
    lines.append(replies.ftext(svc.round_status_text(ctx.session, charter, ctx.now), weight="bold", color=COLOR))
    lines.append(replies.ftext(INTRO_HINT, size="xs", color="#666666"))
    if ctx.user is not None and not ctx.user.has_consented:
        lines.append(replies.ftext(READ_ONLY_HINT, size="xs", color="#666666"))
    return replies.bubble(charter.title, lines, color=COLOR, subtitle=f"เขต{charter.district}")


def section_bubble(section: svc.AnySection) -> dict[str, Any]:
    return replies.bubble(
        f"หมวด {section.no}",
        [replies.ftext(section.title, size="md", weight="bold"), f"{len(section.clauses)} ข้อ ({_clause_range(section)})"],
        [replies.act_postback("อ่านหมวดนี้", postback.encode("charter.section", s=section.id),
                              f"อ่านหมวด {section.no} {section.title}")],
        color=COLOR,
    )


def more_bubble(label: str, data: str, display: str, note: str) -> dict[str, Any]:
    return replies.bubble(label, [note], [replies.act_postback(label, data, display)], color="#5B6770")


def home_messages(ctx: Ctx, charter: svc.AnyCharter, page: int = 0, lead: str | None = None) -> list[dict[str, Any]]:
    """Intro + sections as a carousel (paged when a charter has many sections)."""
    all_sections = svc.sections(ctx.session, charter)
    n_clauses = sum(len(s.clauses) for s in all_sections)
    start = page * SECTIONS_PER_PAGE
    shown = all_sections[start:start + SECTIONS_PER_PAGE]
    bubbles = [intro_bubble(ctx, charter, len(all_sections), n_clauses)] if page == 0 else []
    bubbles += [section_bubble(s) for s in shown]
    if start + SECTIONS_PER_PAGE < len(all_sections):
        bubbles.append(more_bubble("หมวดถัดไป", postback.encode("charter.home", p=page + 1), "ดูหมวดถัดไป",
                                   f"ยังมีอีก {len(all_sections) - start - SECTIONS_PER_PAGE} หมวดค่ะ"))
    messages = [replies.text(lead)] if lead else []
    messages.append(replies.carousel(f"{charter.title}: {len(all_sections)} หมวด {n_clauses} ข้อ", bubbles,
                                     quick=browse_quick()))
    return messages


def clause_bubble(ctx: Ctx, clause: svc.AnyClause, section: svc.AnySection, hearing: svc.AnyRound | None,
                  counts: dict[str, int] | None, mine: str | None, with_buttons: bool = True,
                  mine_label: str = "คุณเลือก") -> dict[str, Any]:
    lines: list[str | dict[str, Any]] = [clause.text]
    if hearing is not None and counts is not None:
        lines.append({"type": "separator", "margin": "md"})
        lines.append(replies.ftext(f"ความเห็นตอนนี้: {svc.tally_text(counts)}", size="xs", color="#666666"))
    if mine:
        lines.append(replies.ftext(f"{mine_label}: {STANCE_MARK[mine]} {svc.STANCE_TH[mine]}", size="xs",
                                   weight="bold", color=COLOR))
    actions = None
    if with_buttons and hearing is not None:
        actions = [replies.act_postback(label, postback.encode("charter.stance", k=clause.id, v=value),
                                        f"{label}กับข้อ {clause.no}")
                   for label, value in STANCE_BUTTONS]
    elif with_buttons:
        lines.append(replies.ftext("ตอนนี้ไม่ได้เปิดรับความคิดเห็น", size="xs", color="#999999"))
    return replies.bubble(f"ข้อ {clause.no}", lines, actions, subtitle=f"หมวด {section.no} {section.title}",
                          color=COLOR)


def _round_view(ctx: Ctx, charter: svc.AnyCharter, clause_ids: list[int]) -> tuple[svc.AnyRound | None, dict, dict]:
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    if hearing is None:
        return None, {}, {}
    counts, mine = svc.tallies_and_mine(ctx.session, hearing, clause_ids, ctx.user)
    return hearing, counts, mine


def section_messages(ctx: Ctx, charter: svc.AnyCharter, section: svc.AnySection, page: int = 0) -> list[dict[str, Any]]:
    clauses = section.clauses
    start = page * CLAUSES_PER_PAGE
    shown = clauses[start:start + CLAUSES_PER_PAGE]
    hearing, counts, mine = _round_view(ctx, charter, [c.id for c in shown])
    bubbles = [clause_bubble(ctx, c, section, hearing, counts.get(c.id), mine.get(c.id)) for c in shown]
    if start + CLAUSES_PER_PAGE < len(clauses):
        bubbles.append(more_bubble("ข้อถัดไป", postback.encode("charter.section", s=section.id, p=page + 1),
                                   f"ดูข้อถัดไปในหมวด {section.no}", "ยังมีข้อในหมวดนี้อีกค่ะ"))
    else:
        following = svc.next_section(ctx.session, charter, section)
        if following is not None:
            bubbles.append(more_bubble("หมวดถัดไป", postback.encode("charter.section", s=following.id),
                                       f"อ่านหมวด {following.no} {following.title}",
                                       f"หมวด {following.no} {following.title}"))
    alt = f"หมวด {section.no} {section.title}: {len(clauses)} ข้อ"
    return [replies.carousel(alt, bubbles, quick=browse_quick())]


def clause_messages(ctx: Ctx, clause: svc.AnyClause, lead: str | None = None) -> list[dict[str, Any]]:
    charter = svc.charter_of(ctx.session, clause.charter_id)
    hearing, counts, mine = _round_view(ctx, charter, [clause.id])
    card = clause_bubble(ctx, clause, clause.section, hearing, counts.get(clause.id), mine.get(clause.id))
    messages = [replies.text(lead)] if lead else []
    messages.append(replies.flex(f"ข้อ {clause.no}: {clause.text}", card, quick=browse_quick(section=clause.section)))
    return messages


# --- finding things ------------------------------------------------------------------------------

def current_charter(ctx: Ctx) -> svc.AnyCharter | None:
    return svc.charter_for_user(ctx.session, ctx.user)


def charter_or_say_none(ctx: Ctx) -> svc.AnyCharter | None:
    """The charter the user reads; None, having said politely that none is published yet, when there is none."""
    charter = current_charter(ctx)
    if charter is None:
        ctx.reply(texts.menu(ctx.user.role if ctx.user else None, NO_CHARTER))
    return charter


def _int(value: Any) -> int | None:
    try:
        return int(to_arabic_digits(str(value)).strip())
    except (TypeError, ValueError):
        return None


def show_home(ctx: Ctx, lead: str | None = None, page: int = 0) -> None:
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    ctx.reply(*home_messages(ctx, charter, page, lead))


def show_clause_no(ctx: Ctx, no: int, lead: str | None = None) -> svc.AnyClause | None:
    charter = charter_or_say_none(ctx)
    if charter is None:
        return None
    clause = svc.get_clause(ctx.session, charter, no)
    if clause is None:
        nos = [c.no for s in svc.sections(ctx.session, charter) for c in s.clauses]
        show_home(ctx, NO_CLAUSE.format(no=no, first=min(nos), last=max(nos)) if nos else None)
        return None
    show_clause(ctx, clause, lead)
    return clause


def show_clause(ctx: Ctx, clause: svc.AnyClause, lead: str | None = None) -> None:
    """The clause's card, remembered as the one just read."""
    ctx.reply(*clause_messages(ctx, clause, lead))
    _remember_clause(ctx, clause)


def _remember_clause(ctx: Ctx, clause: svc.AnyClause) -> None:
    """The clause just shown: "ยายเห็นด้วยจ้ะ อยากให้…" typed next is about it (it was dropped, with
    "อยากให้ความเห็นข้อไหนคะ"). Written each time it is shown (refresh 0), as before; its section with it."""
    engine.remember(ctx, "clause", clause.id, refresh=timedelta(0))
    remember_section(ctx, clause.section)


def remember_section(ctx: Ctx, section: svc.AnySection) -> None:
    """The section just shown (or the clause just shown is in): "หมวดนี้มีกี่ข้อ" typed next is about it."""
    engine.remember(ctx, "section", section.id, refresh=timedelta(0))


def show_section(ctx: Ctx, charter: svc.AnyCharter, section: svc.AnySection, page: int = 0) -> None:
    """The section's clause cards, remembered as the section being read."""
    ctx.reply(*section_messages(ctx, charter, section, page))
    remember_section(ctx, section)


def _section_being_read(ctx: Ctx) -> svc.AnySection | None:
    """The section shown last (or the clause shown last is in), within engine.REMEMBERED, if still published."""
    kept = engine.recall(ctx, "section")
    section = svc.section_by_id(ctx.session, int(kept)) if kept else None
    return section if section is not None and _published(ctx, section.charter_id) else None


def _clause_just_read(ctx: Ctx) -> svc.AnyClause | None:
    kept = engine.recall(ctx, "clause")
    if not kept:
        return None
    clause = svc.clause_by_id(ctx.session, int(kept))
    return clause if clause is not None and _published(ctx, clause.charter_id) else None


def _published(ctx: Ctx, charter_id: int) -> bool:
    return svc.published_or_none(ctx.session, charter_id) is not None


# --- typed text ----------------------------------------------------------------------------------

_CLAUSE_REF = re.compile(
    r"(ธรรมนูญ(สุขภาพ)?\s*)?ข้อ\s*(ที่)?\s*([0-9๐-๙]+|(หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด)+)"
)
_STANCE_WORDS = (
    ("disagree", re.compile(r"ไม่\s*(ค่อย\s*)?เห็น\s*ด้วย|ไม่\s*เห็น\s*ชอบ|คัดค้าน|ไม่\s*โอเค")),
    ("unsure", re.compile(r"ไม่\s*แน่\s*ใจ|ยัง\s*ไม่\s*แน่\s*ใจ|(?<!ถาม)(?<!ถาม )เฉย\s*ๆ")),
    ("agree", re.compile(r"เห็น\s*ด้วย|สนับสนุน|เห็น\s*ชอบ")),
)
_OK = re.compile(r"โอ\s*เค|\bok(?:ay)?\b", re.IGNORECASE)
"""Said of a clause ("ข้อ6 โอเคค่ะ"), agreement (it was the comment “โอเค”, and the stance asked); "ไม่โอเค" disagrees."""
_LEAD = re.compile(r"^\s*(ขอ|อยาก)?\s*(แสดง|ให้|เสนอ)?\s*ความ\s*(คิด)?\s*เห็น\s*(ต่อ|ของ|กับ|ใน|เรื่อง)?\s*")
_PARTICLE = r"ค่ะ|คะ|ค่า|ครับผม|ครับ|คับ|นะ|จ้า|จ้ะ|จ๊ะ"
_FILLER = re.compile(rf"^(กับ|ว่า|เลย|มากๆ|มาก ๆ|มาก|อย่างยิ่ง|{_PARTICLE}|[\s,.:;!?\-–—\"“”'()])+|({_PARTICLE}|\s)+$")
"""Words around a stance that say nothing of their own ("ไม่เห็นด้วยเลยค่ะ" has no comment)."""
_BEFORE_STANCE = re.compile(r"^(?:ขอ)?\s*(?:เปลี่ยน(?:ใจ)?|แก้)?\s*(?:เป็น)?\s*"
                            r"(?:ยาย|ตา|ป้า|ลุง|ฉัน|ผม|หนู|เรา|ดิฉัน|กระผม|พี่|น้า)?\s*(?:ก็)?\s*$")
"""What may stand before the stance and is not a comment: "ยาย", "ขอเปลี่ยนเป็น" ("ยายเห็นด้วยจ้ะ อยากให้…")."""


HESITATION = r"เดี๋ยว\s*(?:ก่อน)?|แป[๊็]?[บป]\s*(?:นึง|หนึ่ง)?|อ[๊้]ะ|เอ๊ะ|อุ๊ย"
"""Words that only hesitate ("เดี๋ยวก่อน", "แป๊บนะคะ", "อ๊ะ"): never a comment."""
_HESITATES_ONLY = re.compile(rf"(?:{HESITATION}|{_PARTICLE}|[\s,.!…])+")


def hesitates_only(text: str) -> bool:
    """Whether the text only hesitates ("เดี๋ยวนะคะ"): no comment, and no answer yet."""
    return bool(_HESITATES_ONLY.fullmatch(text or ""))


_CHANGE_ONLY = re.compile(
    r"คิด\s*ไป\s*คิด\s*มา|คิด\s*(?:ดู)?\s*อีก\s*(?:ที|รอบ|ครั้ง)|เปลี่ยน\s*ใจ|(?:เปลี่ยน|แก้)\s*(?:คำตอบ|ความ\s*เห็น)?"
    r"|(?:ให้)?\s*เป็น|ขอ\s*โทษ(?:\s*ที)?|ขอ|เอา|ดี\s*กว่า|(?:ละ|แล้ว)\s*กัน|แทน|เอ่อ+|อ่า+|อืม+|อื้ม|เออ|งั้น|ตอนนี้"
    rf"|{HESITATION}|ล่ะ|ละ|แล้ว|เลย|หน่อย|{_PARTICLE}|[\s,.:;!?\-–—…\"“”'()]")
"""Words that only say the stance is changed ("คิดไปคิดมา ขอเปลี่ยนเป็น…", "เปลี่ยนใจค่ะ ขอเป็น…ดีกว่า") or hesitate
("เดี๋ยวก่อน", "แป๊บนะคะ", "อ๊ะ": it was the comment “เดี๋ยวก่อน”): no comment."""


_CONNECTIVES = re.compile(
    r"แล้ว\s*ก็|และ|กับ|ด้วย|เหมือน\s*กัน|ก็|ส่วน|โอเค|ok(?:ay)?|ทุก\s*ข้อ|ทั้ง\s*หมด|ทั้ง\s*นั้น|ทั้ง\s*สิ้น|ทุก\s*อย่าง"
    r"|หมด|นะ|คะ|ค่ะ|ครับ",
    re.IGNORECASE)
"""Connective and polite words left once the stance and the clause numbers are taken out ("เห็นด้วยข้อ ๑ ๒ แล้วก็ข้อ 4
ค่ะ" had the comment “แล้วก็”, "ข้อ 5 ด้วยค่ะ เห็นด้วยเหมือนกัน" “ด้วย เหมือนกัน”, "เห็นด้วยหมดทุกข้อค่ะ" “หมด”): no
comment. Only when nothing else is said: "งบหมดแล้ว" is a comment."""


def _change_only(text: str) -> bool:
    """Whether the text says nothing of its own: words of a change of stance, connectives, politeness."""
    return not re.search(r"[ก-๛A-Za-z0-9]", _CHANGE_ONLY.sub("", _CONNECTIVES.sub(" ", text)))


def stance_in(text: str) -> str | None:
    for stance, pattern in _STANCE_WORDS:
        if pattern.search(text):
            return stance
    return None


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous, text = text, _FILLER.sub("", text).strip()
    return text


def split_feedback(text: str) -> tuple[str | None, str | None]:
    """'ไม่เห็นด้วยกับข้อ 3 เพราะแพง' → ('disagree', 'แพง'); 'ข้อ 5 ควรเพิ่ม…' → (None, 'ควรเพิ่ม…');
    'ยายเห็นด้วยจ้ะ อยากให้มีหมอ…' → ('agree', 'อยากให้มีหมอ…') (it kept "ยาย จ้ะ อยากให้…")."""
    stance = stance_in(text)
    rest = _CLAUSE_REF.sub(" ", _LEAD.sub(" ", text, count=1), count=1)
    pattern = dict(_STANCE_WORDS).get(stance) if stance else None
    if stance is None and _CLAUSE_REF.search(text) and _OK.search(rest):  # "ข้อ6 โอเคค่ะ" agrees
        stance, pattern = "agree", _OK
    found = pattern.search(rest) if pattern else None
    return stance, _comment_around(rest, found)


def _comment_around(rest: str, found: re.Match[str] | None) -> str | None:
    """What is said around the stance found ("ยาย" or "ขอเปลี่ยนเป็น" before it is no comment), or None."""
    if found:
        before, after = _tidy(rest[:found.start()]), _tidy(rest[found.end():])
        if _change_only(after):
            after = ""
        rest = after if _BEFORE_STANCE.match(before) or _change_only(before) else f"{before} {after}"
    rest = _tidy(rest)
    if _change_only(rest):
        return None
    return reason_text(rest)


_NUMBER_WORDS = r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด)+"
_NO = rf"(?:[0-9๐-๙]{{1,3}}|{_NUMBER_WORDS})"
_NOT_A_CLAUSE = (r"(?!\s*(?:คน|ท่าน|ครั้ง|วัน|บาท|ปี|เดือน|สัปดาห์|อาทิตย์|ชั่วโมง|ชม|นาที|โมง|ทุ่ม|%|เปอร์|ร้าน|แห่ง|ที่|"
                 r"กม|กิโล|เมตร|ลิตร|กรัม|ขวบ|หลัง|ครอบครัว|ชุมชน|ข้อ))")
"""A bare number after a clause is another clause ("ข้อ 1, 2 และ 3"), not one with a unit ("ข้อ 1 3 ครั้งน้อยไป")."""
_RANGE_TO = r"(?:ถึง|-|–|—)"
_CLAUSE_LIST = re.compile(
    rf"(?:ทั้ง\s*)?ข้อ\s*(?:ที่)?\s*{_NO}"
    rf"(?:\s*(?:(?:,|、)\s*(?:และ|กับ)?|และ|กับ|{_RANGE_TO})?\s*(?:ข้อ\s*(?:ที่)?\s*{_NO}|{_NO}{_NOT_A_CLAUSE}))*"
    r"(?:\s*ทั้ง\s*(?:หมด|[0-9๐-๙]+|สอง|สาม|สี่|ห้า)\s*ข้อ)?")
"""'ข้อ 1 ข้อ 2 ข้อ 3', 'ข้อ 1, 2 และ 3', 'ข้อ 4 กับข้อ 5', 'ข้อ 1-3', 'ทั้งข้อ 1 และข้อ 2', 'ข้อ 1 และ 2 ทั้งสองข้อ'."""
_LIST_PART = re.compile(rf"({_RANGE_TO})|([0-9]{{1,3}}|{_NUMBER_WORDS})")
_STANCE_TIED = re.compile(r"[\s,]*(?:(?:กับ|ต่อ|ทั้ง|ใน|เรื่อง|ค่ะ|คะ|ครับ|นะ|จ้ะ|จ้า)\s*)*")
"""What may stand between a stance and the clauses it is said of ("เห็นด้วยกับข้อ 1", "ข้อ 2 ไม่เห็นด้วยค่ะ")."""
MAX_RANGE = 100


@dataclass
class SeveralClauses:
    """One stance said of several clauses ("เห็นด้วยข้อ 1, 2 และ 3"), or several stances (`mixed`)."""

    nos: list[int]
    stance: str | None
    comment: str | None
    mixed: list[str]
    each: list[tuple[int, str]] | None = None
    scope: str | None = None
    """Said of every clause of a section, or of the charter ("ทุกข้อในหมวด 2"): how the confirmation names them."""
    """Mixed stances, each said next to its own clauses the same way round ("ข้อ 2 เห็นด้วยค่ะ แต่ข้อ 3 ไม่เห็นด้วย"):
    (clause number, stance) in order; None when that is not clear, or a comment was said too."""


def _numbers_in(span: str) -> list[int]:
    """The clause numbers of one list, ranges spelt out ("ข้อ 1-3" → 1, 2, 3)."""
    from nlp.entities import parse_number

    nos: list[int] = []
    ranged = False
    for to, number in _LIST_PART.findall(to_arabic_digits(span).replace("ข้อ", " ")):
        if to:
            ranged = bool(nos)
            continue
        n = int(number) if number.isdigit() else parse_number(number)
        if n is None or not 0 < n < 1000:
            continue
        if ranged and 0 < n - nos[-1] <= MAX_RANGE:
            nos += range(nos[-1] + 1, n + 1)
        else:
            nos.append(n)
        ranged = False
    return nos


def several_clauses(text: str) -> SeveralClauses | None:
    """Stance and comment of a text naming two clauses or more, else None (one clause is `split_feedback`'s).

    The stance is the one said next to the clauses ("เห็นด้วยข้อ 1 ข้อ 2 แต่ไม่แน่ใจเรื่องงบ" agrees, with the
    comment "แต่ไม่แน่ใจเรื่องงบ"); two stances said next to clauses ("เห็นด้วยข้อ 1 ไม่เห็นด้วยข้อ 2") are `mixed`."""
    rest = _LEAD.sub(" ", text, count=1)
    spans = list(_CLAUSE_LIST.finditer(rest))
    nos = list(dict.fromkeys(n for span in spans for n in _numbers_in(span.group(0))))
    if len(nos) < 2:
        return None
    said = []
    taken: list[tuple[int, int]] = []
    for stance, pattern in _STANCE_WORDS:  # "ไม่เห็นด้วย" first: the "เห็นด้วย" in it is no agreement
        for found in pattern.finditer(rest):
            if not any(a <= found.start() < b for a, b in taken):
                taken.append(found.span())
                said.append((stance, found))
    said.sort(key=lambda pair: pair[1].start())
    tied = [(stance, found) for stance, found in said
            if any(_STANCE_TIED.fullmatch(rest[found.end():span.start()] if found.end() <= span.start()
                                          else rest[span.end():found.start()]) for span in spans)]
    kinds = list(dict.fromkeys(stance for stance, _ in tied))
    if len(kinds) > 1:
        return SeveralClauses(nos, None, None, kinds, _each_own(rest, spans, said))
    stance, found = tied[0] if tied else (stance_in(rest), None)
    if found is None and stance is not None:
        found = next(match for kind, match in said if kind == stance)
    if stance is None and _OK.search(rest):  # "ข้อ 3, 4 โอเคค่ะ" agrees
        stance, found = "agree", _OK.search(rest)
    blanked = rest
    for span in spans:
        blanked = blanked[:span.start()] + " " * (span.end() - span.start()) + blanked[span.end():]
    return SeveralClauses(nos, stance, _comment_around(blanked, found), [])


_JOINED = re.compile(r"(?:แต่|และ|ส่วน|ก็|กับ|แล้ว|ส่วน|ครับ|ค่ะ|คะ|นะ|จ้ะ|จ้า|[\s,.;!])*")


def _each_own(rest: str, spans: list[re.Match[str]], said: list[tuple[str, re.Match[str]]]) -> list[tuple[int, str]] | None:
    """Each clause list with the one stance said right after it (or each right before it), when that reading and
    only that one pairs every list with one stance and leaves nothing else said."""
    readings = []
    for after in (True, False):
        pairs: list[tuple[int, str]] = []
        used: set[int] = set()
        for span in spans:
            near = [(i, stance) for i, (stance, found) in enumerate(said)
                    if i not in used and _STANCE_TIED.fullmatch(rest[span.end():found.start()] if after
                                                                  else rest[found.end():span.start()])
                    and (found.start() >= span.end() if after else found.end() <= span.start())]
            if len(near) != 1:
                break
            used.add(near[0][0])
            pairs += [(n, near[0][1]) for n in _numbers_in(span.group(0))]
        else:
            if len(used) == len(said):
                readings.append(pairs)
    if len(readings) != 1:
        return None
    blanked = rest
    for start, end in sorted([span.span() for span in spans] + [found.span() for _, found in said]):
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    if not _JOINED.fullmatch(blanked):  # a comment too: whose is it? asked to say it one stance at a time
        return None
    clauses = [n for n, _ in readings[0]]
    return readings[0] if len(set(clauses)) == len(clauses) else None


_ASKS_WHAT = re.compile(r"คือ\s*อะไร|หมายถึง|คืออัน|เอาไว้ทำอะไร|มีไว้ทำไม|what\s+is", re.IGNORECASE)


def _stance_said(ctx: Ctx, _result: Any) -> bool:
    """Read as browsing the charter, a stance still ("ข้อ 1 2 3 เห็นด้วย", "หมวด 2 โอเคทุกข้อ"): feedback, a journey."""
    return split_feedback(ctx.text or "")[0] is not None or all_clauses_said(ctx, ctx.text or "") is not None


@on_intent("charter_info")
@journey_when(_stance_said)
def charter_info(ctx: Ctx, result: Any) -> None:
    entities = getattr(result, "entities", {}) or {}
    clause_no, section_no = _int(entities.get("clause")), _int(entities.get("section"))
    if clause_no is not None and _said_of_several(ctx):
        return
    if clause_no is None and said_of_all(ctx):
        return
    if clause_no is not None:
        show_clause_no(ctx, clause_no)
        return
    from bot.handlers.activities import named_activity_details

    if section_no is None and named_activity_details(ctx, ctx.text or ""):
        return  # "ขอดูรายละเอียดรำไม้พลอง" names an activity, not the charter
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    if section_no is not None:
        section = svc.get_section(ctx.session, charter, section_no)
    elif _THIS_SECTION.search(ctx.text or ""):
        section = _section_being_read(ctx)  # "หมวดนี้มีข้ออะไรบ้าง"
    else:
        section = _section_named(ctx, charter, ctx.text or "")
    if section is not None:
        show_section(ctx, charter, section)
        return
    ctx.reply(*home_messages(ctx, charter, lead=WHAT_IS if _ASKS_WHAT.search(ctx.text or "") else None))


_SECTION_WORDS = re.compile(r"ขอ|อ่าน|ดู|หมวด(ที่)?|เรื่อง|ธรรมนู[ญน](สุขภาพ)?|หน่อย|ค่ะ|คะ|ครับ|นะ|จ้า|\s")
"""Around a section's name ("ขออ่านธรรมนูน หมวดบุหรี่": ธรรมนูน, as it is often typed, was left in the name)."""


def _section_named(ctx: Ctx, charter: svc.AnyCharter, text: str) -> svc.AnySection | None:
    """"ขอดูหมวดอาหาร" → the section whose title it names (only when "หมวด" is said)."""
    if "หมวด" not in text:
        return None
    query = _SECTION_WORDS.sub("", text)
    if len(query) < 3:
        return None
    return best_named(query, svc.sections(ctx.session, charter), lambda section: section.title)


_QUESTION = re.compile(r"ไหม|มั้ย|มั๊ย|กี่\s*คน|เท่า\s*ไ[รห]|ยัง\s*ไง|อย่าง\s*ไร|(?:หรือ|รึ)\s*(?:เปล่า|ป่าว|ไม่)|ป่าว"
                       r"|ถาม\s*(?:เฉย|ดู|เล่น)")
"""A question about a clause ("ข้อ 11 คนอื่นเห็นด้วยกี่คนคะ", "ข้อ 3 มีคนไม่เห็นด้วยเยอะไหม"): it was recorded as a vote."""


def asks_about(text: str) -> bool:
    """Whether the text asks about a clause rather than giving feedback on it ("…เพราะ…" gives a reason)."""
    return bool(_QUESTION.search(text)) and "เพราะ" not in text


_THIS = r"(?:นี้|นี่|เนี้ย|เนี่ย|นั้น|นั่น)"
_THIS_SECTION = re.compile(rf"หมวด\s*(?:ที่)?\s*{_THIS}")
_CHARTER_SAID = r"ธรรมนู[ญน]\s*(?:สุขภาพ)?\s*(?:ฉบับ\s*)?(?:นี้\s*)?"


def _how_many(unit: str) -> str:
    """'มีกี่ข้อ', 'มีทั้งหมดกี่หมวด', 'กี่หมวดกี่ข้อ', 'มีกี่ข้อเหรอ' (of `unit`)."""
    return (rf"(?:(?:มี|ทั้ง\s*หมด|รวม|อยู่|ทั้ง)\s*){{0,3}}กี่\s*(?:{unit})(?:\s*กี่\s*ข้อ)?"
            r"\s*(?:ทั้ง\s*หมด|ด้วยกัน)?\s*(?:เหรอ|หรอ|ล่ะ|นะ|คะ|ค่ะ|ครับ)*\s*\??")


_SECTION_SAID = (rf"หมวด\s*(?:ที่\s*)?(?:(?P<this>{_THIS})|(?P<no>{_NO})"
                 rf"|(?:เรื่อง\s*)?(?P<name>(?!(?:{_THIS}|ไหน|อะไร))[ก-ฮเแโใไ][^0-9๐-๙?]{{1,30}}?))")
HOW_MANY_COMMAND = (rf"(?:แล้ว\s*)?(?:ใน\s*)?(?:(?:{_CHARTER_SAID})?{_SECTION_SAID}\s*{_how_many('ข้อ|หมวด')}"
                    rf"|(?:{_CHARTER_SAID})?{_how_many('หมวด')}|{_CHARTER_SAID}{_how_many('ข้อ')})")
"""'หมวดนี้มีกี่ข้อ' (the section being read), 'หมวด 2 มีกี่ข้อ', 'หมวดอาหารมีกี่ข้อ', 'ธรรมนูญมีกี่หมวด', 'มีกี่หมวด',
'ธรรมนูญมีกี่ข้อ': how many clauses or sections. "หมวดนี่มีกี่ข้อ" answered “ไม่พบหมวด “นี่มีกี่ข้อ””, and
"หมวดนี้มีกี่ข้อ" and the rest the charter's home page, the question not answered."""
SECTION_COUNT = "หมวด {no} {title} มี {n} ข้อค่ะ ({range})"
SECTION_EMPTY = "หมวด {no} {title} ยังไม่มีข้อค่ะ"
CHARTER_COUNT = "{title} มี {sections} หมวด {clauses} ข้อค่ะ"
WHICH_SECTION = "หมวดไหนคะ แตะเลขหมวดด้านล่าง หรือพิมพ์ เช่น “หมวด 2 มีกี่ข้อ” ก็ได้ค่ะ"
NO_SECTION_NO = "ไม่พบหมวด {no} ค่ะ"
COUNTED_SECTIONS = 12
"""Sections listed one a line in the charter's count; more are summed up in one line."""


@on_command(HOW_MANY_COMMAND)
@reads_only
def how_many(ctx: Ctx, match: re.Match[str]) -> None:
    """How many clauses a section has (the one being read, by number or by name), or the charter's sections
    and clauses, each section's count listed."""
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    lead = None
    if match["this"]:
        section = _section_being_read(ctx)
        lead = None if section is not None else WHICH_SECTION
    elif match["no"]:
        no = _section_no(match["no"])
        section = svc.get_section(ctx.session, charter, no) if no is not None else None
        lead = None if section is not None else NO_SECTION_NO.format(no=match["no"])
    elif match["name"]:
        section = _section_named(ctx, charter, f"หมวด{match['name']}")
        lead = None if section is not None else NO_SECTION_NAMED.format(name=match["name"].strip())
    else:
        section = None
    if section is not None:
        said = (SECTION_COUNT if section.clauses else SECTION_EMPTY).format(
            no=section.no, title=section.title, n=len(section.clauses), range=_clause_range(section))
        ctx.reply(replies.text(said, quick=browse_quick(section=section)))
        return
    _count_of_charter(ctx, charter, lead)


def _section_no(said: str) -> int | None:
    """"2", "๒" or "สอง" → 2."""
    from nlp.entities import parse_number

    return _int(said) if re.fullmatch(r"[0-9๐-๙]+", said) else parse_number(said)


def _count_of_charter(ctx: Ctx, charter: svc.AnyCharter, lead: str | None = None) -> None:
    """'<title> มี 2 หมวด 5 ข้อค่ะ' and each section's count, with a chip for each section."""
    every = svc.sections(ctx.session, charter)
    lines = [lead] if lead else []
    lines.append(CHARTER_COUNT.format(title=charter.title, sections=len(every),
                                      clauses=sum(len(s.clauses) for s in every)))
    lines += [f"• หมวด {s.no} {s.title}: {len(s.clauses)} ข้อ" + (f" ({_clause_range(s)})" if s.clauses else "")
              for s in every[:COUNTED_SECTIONS]]
    if len(every) > COUNTED_SECTIONS:
        lines.append(f"…และอีก {len(every) - COUNTED_SECTIONS} หมวด")
    chips = [replies.quick_postback(f"หมวด {s.no}", postback.encode("charter.section", s=s.id),
                                    f"อ่านหมวด {s.no} {s.title}") for s in every[:replies.MAX_QUICK_ITEMS - 2]]
    ctx.reply(replies.text("\n".join(lines), quick=[*chips, *browse_quick()[-2:]]))


SECTION_NAMED_COMMAND = (r"(?:ขอ\s*)?(?:อ่าน|ดู)?\s*(?:ธรรมนู[ญน]\s*(?:สุขภาพ)?\s*)?หมวด\s*(?:ที่\s*)?(?:เรื่อง\s*)?"
                         rf"(?P<name>(?!(?:{_THIS}|ไหน|อะไร|ถัดไป|ต่อไป|ก่อน))[ก-ฮเแโใไ][^0-9๐-๙?]{{1,30}}?)\s*(?:หน่อย)?")
"""'หมวดเหล้า', 'ขออ่านธรรมนูน หมวดบุหรี่', 'ดูหมวดอาหาร': the section named by a word of its title (the first was the
menu, the second the charter's home page)."""
NO_SECTION_NAMED = "ไม่พบหมวด “{name}” ค่ะ เลือกหมวดจากด้านล่างได้เลยนะคะ"


@on_command(SECTION_NAMED_COMMAND)
@reads_only
def section_named(ctx: Ctx, match: re.Match[str]) -> None:
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    section = _section_named(ctx, charter, ctx.text or "")
    if section is None:
        ctx.reply(*home_messages(ctx, charter, lead=NO_SECTION_NAMED.format(name=match.group("name").strip())))
        return
    show_section(ctx, charter, section)


@on_intent("charter_feedback")
def charter_feedback(ctx: Ctx, result: Any) -> None:
    entities = getattr(result, "entities", {}) or {}
    clause_no = _int(entities.get("clause"))
    if clause_no is not None and _said_of_several(ctx):
        return
    if clause_no is None and said_of_all(ctx):
        return
    if clause_no is not None and asks_about(ctx.text or ""):
        show_clause_no(ctx, clause_no)  # its card shows the tally so far
        return
    stance, comment = split_feedback(ctx.text or "")
    if clause_no is None:
        clause = _clause_just_read(ctx) if stance or comment else None
        if clause is None:
            show_home(ctx, PICK_CLAUSE)
            return
    else:
        charter = charter_or_say_none(ctx)
        if charter is None:
            return
        clause = svc.get_clause(ctx.session, charter, clause_no)
        if clause is None:
            show_clause_no(ctx, clause_no)
            return
    if stance is None and comment is None:
        show_clause(ctx, clause)
        return
    from bot.flows import charter as feedback_flow

    feedback_flow.begin(ctx, clause, stance=stance, comment=comment, typed=True)


# --- one stance on several clauses ------------------------------------------------------------------

MIXED = ("ข้อความนี้มีทั้ง {kinds} ค่ะ ขอแยกพิมพ์ทีละแบบนะคะ เช่น “เห็นด้วยข้อ 1, 2” แล้วตามด้วย “ไม่เห็นด้วยข้อ 3” "
         "ตอนนี้ยังไม่ได้บันทึกอะไรค่ะ")
NONE_FOUND = "ไม่พบข้อ {nos} ค่ะ ธรรมนูญฉบับนี้มีข้อ {first}–{last} เลือกดูจากหมวดด้านล่างได้เลยนะคะ"
SEVERAL_ASK = "ขอทวนก่อนบันทึกนะคะ\n{mark} {stance} กับข้อ {nos}{comment}{missing}\nบันทึกเลยไหมคะ"
SEVERAL_COMMENT = "\nความเห็นเพิ่มเติม{each}: “{comment}”"
SEVERAL_MISSING = "\nไม่พบข้อ {nos} ในธรรมนูญฉบับนี้ จึงไม่บันทึกข้อนี้ค่ะ"
SEVERAL_SAVED = "ขอบคุณค่ะ 🙏 บันทึกความเห็นของคุณแล้ว: {mark} {stance} กับข้อ {nos}"
SEVERAL_NOT_SAVED = "ไม่บันทึกค่ะ ความเห็นเดิมของคุณยังอยู่เหมือนเดิมนะคะ"
SEVERAL_LISTED = 6
"""Up to this many clause numbers are written one by one ("1, 2 และ 3"); more as ranges ("1–10")."""


def numbers_th(nos: list[int]) -> str:
    """[1, 2, 3] → '1, 2 และ 3'; [4, 5] → '4 และ 5'; many → '1–8, 10'."""
    if len(nos) > SEVERAL_LISTED:
        return _number_ranges(nos)
    words = [str(n) for n in nos]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} และ {words[-1]}"


_LIKE_CLAUSE = re.compile(r"(?:เหมือน|แบบ|คล้าย|เช่น\s*เดียว|ต่าง\s*จาก|ขัด|ซ้ำ)\s*(?:กับ)?\s*ข้อ")
"""'เห็นด้วย เหมือนข้อ 5': this clause compared with another, a comment on this one."""
_TOO = re.compile(r"(?<!เห็น)(?<!เห็น )ด้วย|เหมือน\s*กัน|เช่น\s*กัน")
"""'ข้อ 5 ด้วยค่ะ': the same stance on another clause too."""


def other_clauses_said(text: str, current: svc.AnyClause, stance: str | None) -> SeveralClauses | None:
    """At the comment prompt of `current`: a stance said of other clauses ("ข้อ 5 ด้วยค่ะ เห็นด้วยเหมือนกัน", "ข้อ6
    โอเคค่ะ"), or None (a comment, which may name another clause: "ควรทำคู่กับข้อ 5"). It was saved as the comment."""
    rest = _LEAD.sub(" ", text, count=1)
    nos = list(dict.fromkeys(n for span in _CLAUSE_LIST.finditer(rest) for n in _numbers_in(span.group(0))))
    if not nos or nos == [current.no] or _LIKE_CLAUSE.search(rest):
        return None
    found = several_clauses(text)
    if found is None:
        said, comment = split_feedback(text)
        found = SeveralClauses(nos, said, comment, [])
    if found.stance is None and not found.mixed and stance and _TOO.search(rest) and not found.comment:
        found.stance = stance
    return found if found.stance or found.mixed else None


def take_several(ctx: Ctx, found: SeveralClauses) -> None:
    """Feedback said of clauses at another clause's comment prompt, as if typed on its own: one clause's flow, or
    the confirmation for several."""
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    if len(found.nos) > 1 or found.mixed:
        _said_of_several(ctx, found)
        return
    clause = svc.get_clause(ctx.session, charter, found.nos[0])
    if clause is None:
        show_clause_no(ctx, found.nos[0])
        return
    from bot.flows import charter as feedback_flow

    feedback_flow.begin(ctx, clause, stance=found.stance, comment=found.comment, typed=True)


_N = r"[0-9๐-๙]{1,3}"
_ALL = re.compile(
    rf"(?:ทุก\s*ข้อ|ทั้ง\s*หมด|ทั้ง\s*ฉบับ)(?:\s*(?:เลย)?\s*(?:ที่\s*อยู่\s*)?(?:ใน|ของ)?\s*หมวด\s*(?:ที่)?\s*(?P<sec>{_N}))?"
    rf"|(?:ทั้ง\s*)?หมวด\s*(?:ที่)?\s*(?P<sec2>{_N})[^0-9๐-๙]{{0,30}}?(?:ทุก\s*ข้อ|ทั้ง\s*หมวด|ทั้ง\s*หมด)"
    rf"|ทั้ง\s*หมวด\s*(?:ที่)?\s*(?P<sec3>{_N})")
"""'เห็นด้วยทุกข้อเลยค่ะ', 'เห็นด้วยทุกข้อในหมวด 2', 'หมวด 2 ไม่เห็นด้วยทุกข้อ', 'เห็นด้วยทั้งหมวด 2'."""
_SCOPE_WORDS = re.compile(r"(?:ที่\s*อยู่\s*)?(?:ใน|ของ|ทั้ง)?\s*หมวด\s*(?:ที่)?\s*[0-9๐-๙]{1,3}|ทุก\s*ข้อ|ทั้ง\s*(?:หมด|ฉบับ)")
ALL_SCOPE = "ทุกข้อในธรรมนูญ"
SECTION_SCOPE = "ทุกข้อในหมวด {no}"


def all_clauses_said(ctx: Ctx, text: str) -> SeveralClauses | None:
    """A stance on every clause of a section or of the charter, with no clause named; None otherwise (it was the
    generic "อยากให้ความเห็นข้อไหนคะ…")."""
    rest = _LEAD.sub(" ", text, count=1)
    said = _ALL.search(rest)
    charter = current_charter(ctx) if said and not _CLAUSE_REF.search(rest) else None
    if charter is None:
        return None
    stance = stance_in(rest)
    pattern = dict(_STANCE_WORDS).get(stance) if stance else _OK
    found = pattern.search(rest)
    if found is None:
        return None
    sec = _int(said.group("sec") or said.group("sec2") or said.group("sec3") or "")
    sections = svc.sections(ctx.session, charter)
    if sec is not None:
        sections = [s for s in sections if s.no == sec]
        if not sections:
            nos = [s.no for s in svc.sections(ctx.session, charter)]
            return SeveralClauses([], stance or "agree", None, [], scope=NO_SECTION.format(
                no=sec, first=min(nos), last=max(nos)) if nos else None)
    blanked = _SCOPE_WORDS.sub(lambda m: " " * len(m.group(0)), rest)
    return SeveralClauses([c.no for s in sections for c in s.clauses], stance or "agree",
                          _comment_around(blanked, pattern.search(blanked)), [],
                          scope=SECTION_SCOPE.format(no=sec) if sec is not None else ALL_SCOPE)


def said_of_all(ctx: Ctx) -> bool:
    """"เห็นด้วยทุกข้อในหมวด 2 ค่ะ": the stance on each of its clauses, after one confirmation that names them."""
    found = all_clauses_said(ctx, ctx.text or "")
    if found is None:
        return False
    if not found.nos:  # no such section
        show_home(ctx, found.scope)
        return True
    return _said_of_several(ctx, found)


def _said_of_several(ctx: Ctx, found: SeveralClauses | None = None) -> bool:
    """"เห็นด้วยข้อ 1 ข้อ 2 ข้อ 3": the same stance on each clause named, after one confirmation (it was ข้อ 1
    with the comment “ข้อ 2 ข้อ 3”). False when the text names one clause, or no stance."""
    found = found or several_clauses(ctx.text or "")
    if found is None or not (found.stance or found.mixed):
        return False
    charter = charter_or_say_none(ctx)
    if charter is None:
        return True
    if found.mixed and found.each:
        _confirm_each(ctx, charter, found.each)
        return True
    if found.mixed:
        kinds = " และ ".join(f"“{svc.STANCE_TH[kind]}”" for kind in found.mixed)
        ctx.reply(replies.text(MIXED.format(kinds=kinds), quick=browse_quick()))
        return True
    clauses, missing = svc.clauses_numbered(ctx.session, charter, found.nos)
    if not clauses:
        nos = [c.no for s in svc.sections(ctx.session, charter) for c in s.clauses]
        show_home(ctx, NONE_FOUND.format(nos=numbers_th(missing), first=min(nos), last=max(nos)) if nos else None)
        return True
    from bot.flows import charter as feedback_flow
    from bot.flows import confirm

    named = numbers_th([c.no for c in clauses])
    if svc.current_round(ctx.session, charter, ctx.now) is None:  # as for one clause
        feedback_flow.reply_closed(ctx, charter, clauses[0], svc.closed_message(ctx.session, charter, ctx.now),
                                   found.stance, found.comment, numbers=named)
        return True
    if ctx.user is not None and not ctx.user.has_consented:
        engine.ask_consent(ctx)
        return True
    asked = f"{named} ({found.scope} · {len(clauses)} ข้อ)" if found.scope else named
    question = SEVERAL_ASK.format(
        mark=STANCE_MARK[found.stance], stance=svc.STANCE_TH[found.stance], nos=asked,
        comment=SEVERAL_COMMENT.format(comment=found.comment, each=" (ใส่ไว้ทุกข้อ)" if len(clauses) > 1 else "")
        if found.comment else "",
        missing=SEVERAL_MISSING.format(nos=numbers_th(missing)) if missing else "")
    yes = postback.encode_kept("charter.stances", k=".".join(str(c.id) for c in clauses), v=found.stance,
                               c=found.comment, m=".".join(map(str, missing)) or None)
    confirm.ask(ctx, question, yes=("บันทึกเลย", yes), no=("ไม่บันทึก", postback.encode("charter.stances_no")))
    return True


EACH_ASK = "ขอทวนก่อนบันทึกนะคะ\n{lines}{missing}\nบันทึกเลยไหมคะ"
EACH_LINE = "{mark} {stance} กับข้อ {nos}"


def _by_stance(pairs: list[tuple[Any, str]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for item, stance in pairs:
        grouped.setdefault(stance, []).append(item)
    return grouped


def _confirm_each(ctx: Ctx, charter: svc.AnyCharter, each: list[tuple[int, str]]) -> None:
    """"ข้อ 2 เห็นด้วยค่ะ แต่ข้อ 3 ไม่เห็นด้วย": each clause's own stance, after one confirmation listing them (clause 2
    got "ไม่เห็นด้วย" with the comment “เห็นด้วยค่ะ แต่ข้อ 3”, and clause 3 nothing)."""
    from bot.flows import charter as feedback_flow
    from bot.flows import confirm

    clauses, missing = svc.clauses_numbered(ctx.session, charter, [n for n, _ in each])
    stance_of = dict(each)
    if not clauses:
        nos = [c.no for s in svc.sections(ctx.session, charter) for c in s.clauses]
        show_home(ctx, NONE_FOUND.format(nos=numbers_th(missing), first=min(nos), last=max(nos)) if nos else None)
        return
    if svc.current_round(ctx.session, charter, ctx.now) is None:
        feedback_flow.reply_closed(ctx, charter, clauses[0], svc.closed_message(ctx.session, charter, ctx.now),
                                   None, None, numbers=numbers_th([c.no for c in clauses]))
        return
    if ctx.user is not None and not ctx.user.has_consented:
        engine.ask_consent(ctx)
        return
    grouped = _by_stance([(c.no, stance_of[c.no]) for c in clauses])
    lines = "\n".join(EACH_LINE.format(mark=STANCE_MARK[stance], stance=svc.STANCE_TH[stance], nos=numbers_th(nos))
                      for stance, nos in grouped.items())
    question = EACH_ASK.format(lines=lines, missing=SEVERAL_MISSING.format(nos=numbers_th(missing)) if missing else "")
    yes = postback.encode_kept("charter.stances", k=".".join(str(c.id) for c in clauses),
                               v=".".join(stance_of[c.no] for c in clauses), m=".".join(map(str, missing)) or None)
    confirm.ask(ctx, question, yes=("บันทึกเลย", yes), no=("ไม่บันทึก", postback.encode("charter.stances_no")))


@on_postback("charter.stances")
def save_several(ctx: Ctx, args: dict[str, str]) -> None:
    """"บันทึกเลย": the stance on each clause, through the service's rules for one stance; a summary. `v` is one
    stance for all, or one per clause ("agree.disagree")."""
    clauses = [svc.clause_by_id(ctx.session, int(k)) for k in (args.get("k") or "").split(".") if k.isdigit()]
    stance = args.get("v")
    each = (stance or "").split(".")
    if len(each) > 1 and len(each) == len(clauses) and all(v in svc.STANCE_TH for v in each):
        _save_each(ctx, clauses, each, args)
        return
    if not clauses or stance not in svc.STANCE_TH:
        ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
        return
    if any(c is None or not _published(ctx, c.charter_id) for c in clauses):
        show_home(ctx, UPDATED)
        return
    charter = svc.charter_of(ctx.session, clauses[0].charter_id)
    comment = args.get("c") or None
    missing = [int(m) for m in (args.get("m") or "").split(".") if m.isdigit()]
    named = numbers_th([c.no for c in clauses])
    try:
        changes = svc.change_stances(ctx.session, ctx.user, clauses, stance, comment, ctx.now)
    except ServiceError as exc:
        if exc.code != "round_closed":
            raise
        from bot.flows import charter as feedback_flow

        feedback_flow.reply_closed(ctx, charter, clauses[0], exc.message_th, stance, comment, numbers=named)
        return
    lines = [SEVERAL_SAVED.format(mark=STANCE_MARK[stance], stance=svc.STANCE_TH[stance], nos=named)]
    changed = [f"ข้อ {c.no} ({svc.STANCE_TH[ch.before]})" for c, ch in zip(clauses, changes, strict=True)
               if ch.before is not None and ch.before != stance]
    if changed:
        lines.append(f"เปลี่ยนจากเดิม: {', '.join(changed)}")
    if comment:
        lines.append(f"ความเห็นเพิ่มเติม: “{changes[0].feedback.comment}”")
    else:
        kept = [c.no for c, ch in zip(clauses, changes, strict=True) if ch.feedback.comment]
        if kept:
            lines.append(f"ความคิดเห็นเดิมของข้อ {numbers_th(kept)} ยังอยู่นะคะ")
        lines += _dropped_line([c.no for c, ch in zip(clauses, changes, strict=True) if ch.dropped])
    if missing:
        lines.append(f"ไม่พบข้อ {numbers_th(missing)} ในธรรมนูญฉบับนี้ จึงไม่ได้บันทึกค่ะ")
    lines.append(f"เปลี่ยนใจได้จนถึง {format_date(changes[0].hearing.closes_at)} นะคะ")
    quick = [replies.quick_message("ที่ฉันตอบไว้", "ดูความเห็นของฉัน"), *browse_quick()]
    ctx.reply(replies.text("\n".join(lines), quick=quick))


def _save_each(ctx: Ctx, clauses: list[Any], each: list[str], args: dict[str, str]) -> None:
    if any(c is None or not _published(ctx, c.charter_id) for c in clauses):
        show_home(ctx, UPDATED)
        return
    charter = svc.charter_of(ctx.session, clauses[0].charter_id)
    missing = [int(m) for m in (args.get("m") or "").split(".") if m.isdigit()]
    grouped = _by_stance(list(zip(clauses, each, strict=True)))
    lines = ["ขอบคุณค่ะ 🙏 บันทึกความเห็นของคุณแล้ว"]
    changed, kept, dropped = [], [], []
    try:
        with ctx.all_or_nothing():
            for stance, group in grouped.items():
                changes = svc.change_stances(ctx.session, ctx.user, group, stance, None, ctx.now)
                lines.append(EACH_LINE.format(mark=STANCE_MARK[stance], stance=svc.STANCE_TH[stance],
                                              nos=numbers_th([c.no for c in group])))
                changed += [f"ข้อ {c.no} ({svc.STANCE_TH[ch.before]})" for c, ch in zip(group, changes, strict=True)
                            if ch.before is not None and ch.before != stance]
                kept += [c.no for c, ch in zip(group, changes, strict=True) if ch.feedback.comment]
                dropped += [c.no for c, ch in zip(group, changes, strict=True) if ch.dropped]
    except ServiceError as exc:
        if exc.code != "round_closed":
            raise
        from bot.flows import charter as feedback_flow

        feedback_flow.reply_closed(ctx, charter, clauses[0], exc.message_th, None, None,
                                   numbers=numbers_th([c.no for c in clauses]))
        return
    if changed:
        lines.append(f"เปลี่ยนจากเดิม: {', '.join(changed)}")
    if kept:
        lines.append(f"ความคิดเห็นเดิมของข้อ {numbers_th(sorted(kept))} ยังอยู่นะคะ")
    lines += _dropped_line(sorted(dropped))
    if missing:
        lines.append(f"ไม่พบข้อ {numbers_th(missing)} ในธรรมนูญฉบับนี้ จึงไม่ได้บันทึกค่ะ")
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    if hearing is not None:
        lines.append(f"เปลี่ยนใจได้จนถึง {format_date(hearing.closes_at)} นะคะ")
    quick = [replies.quick_message("ที่ฉันตอบไว้", "ดูความเห็นของฉัน"), *browse_quick()]
    ctx.reply(replies.text("\n".join(lines), quick=quick))


def _dropped_line(nos: list[int]) -> list[str]:
    """The clauses whose earlier comment went with the stance it was the reason for."""
    return [f"ลบความคิดเห็นเดิมของข้อ {numbers_th(nos)} แล้ว เพราะเป็นเหตุผลของคำตอบเดิมค่ะ"] if nos else []


@on_postback("charter.stances_no")
def keep_several(ctx: Ctx, _args: dict[str, str]) -> None:
    ctx.reply(replies.text(SEVERAL_NOT_SAVED, quick=browse_quick()))


# --- a user's own answers --------------------------------------------------------------------------

_WHO = r"(?:ฉัน|ผม|หนู|เรา|ดิฉัน|กระผม|ตัวเอง|ยาย|ป้า|ลุง|น้า)"
_OPINION = r"ความ\s*(?:คิด\s*)?เห็น"
_A_CLAUSE = r"ข้อ\s*(?:ที่)?\s*(?:[0-9๐-๙]{1,3}|(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด)+)"
_ABOUT = rf"(?:\s*(?:ต่อ|ใน|กับ|เรื่อง)?\s*{_A_CLAUSE})"
_ANSWERED = rf"(?:ตอบ|เลือก|(?:ให้|แสดง)\s*{_OPINION})"
_WHAT = r"(?:\s*(?:ไว้|ไป)?\s*(?:ว่า)?\s*(?:อะไร|ยังไง|อย่างไร|ไง)\s*(?:ไว้)?\s*(?:บ้าง)?)"
_SEE = r"(?:ขอ\s*)?(?:ดู|เช็ค|เช็ก|อยากรู้|อยากดู)?\s*"
_TAIL = r"\s*(?:ทั้งหมด|ทุกข้อ)?\s*(?:หน่อย|ที|บ้าง|ไว้)?\s*"
MY_FEEDBACK_COMMAND = (
    rf"{_SEE}(?:"
    rf"{_OPINION}\s*(?:ที่)?\s*(?:ของ)?\s*{_WHO}\s*(?:(?:ให้|ตอบ|แสดง|เลือก)\s*(?:ไว้)?)?{_ABOUT}?"  # ความเห็นของฉัน(ข้อ 6)
    rf"|{_OPINION}\s*ที่\s*(?:เคย)?\s*(?:ให้|ตอบ|แสดง)\s*ไว้{_ABOUT}?"                           # ความเห็นที่ให้ไว้
    rf"|{_OPINION}{_ABOUT}\s*(?:ของ)?\s*{_WHO}"                                                  # ความเห็นข้อ 6 ของฉัน
    rf"|{_WHO}\s*{_ANSWERED}(?:{_ABOUT}{_WHAT}|{_WHAT}{_ABOUT}?)"                                # ฉันตอบข้อ 6 ว่าอะไร
    rf"|{_A_CLAUSE}\s*{_WHO}\s*{_ANSWERED}{_WHAT}"                                               # ข้อ 6 ฉันตอบว่าอะไร
    rf"){_TAIL}")
"""'ความเห็นของฉันข้อ 6', 'ความเห็นข้อ 6 ของฉัน', 'ฉันตอบข้อ 6 ว่าอะไร', 'ดูความเห็นของฉัน', 'ฉันตอบอะไรไว้บ้าง' (particles
are the dispatcher's): what the user said in the open round. "ความเห็นของฉันข้อ 6" was feedback on ข้อ 6 with the
comment “ฉัน”, and "ดูความเห็นของฉัน" listed their activity sign-ups."""
MINE_SHOWN = 15
MINE_CHIPS = 10
MINE_COMMENT_PREVIEW = 40
MINE_NONE = "คุณยังไม่ได้แสดงความเห็นต่อข้อ {no} ใน{round} ค่ะ\nเห็นด้วยกับข้อนี้ไหมคะ แตะเลือกด้านล่างได้เลยนะคะ"
MINE_NONE_ALL = ("คุณยังไม่ได้แสดงความเห็นใน{round} ค่ะ\n"
                 "อ่านธรรมนูญแล้วบอกได้เลยว่าเห็นด้วยหรือไม่ในแต่ละข้อนะคะ")
MINE_LIST_HINT = "แตะเลขข้อด้านล่างเพื่อดูหรือเปลี่ยนความเห็นได้นะคะ"


@on_command(MY_FEEDBACK_COMMAND)
@reads_only
@one_to_one
def my_feedback(ctx: Ctx, match: re.Match[str]) -> None:
    """The user's own stance and comment on one clause, or the clauses they answered, in the open round (a
    closed round: what they said in the latest one, and that it is closed)."""
    from nlp.entities import parse_clause

    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    no = parse_clause(match.group(0))
    if no is None:
        _my_answers(ctx, charter)
        return
    clause = svc.get_clause(ctx.session, charter, no)
    if clause is None:
        show_clause_no(ctx, no)
        return
    _my_answer(ctx, charter, clause)


WITHDRAW_COMMAND = (rf"(?:ขอ\s*)?(?:ลบ|ถอน|ยกเลิก)\s*(?:{_OPINION}|คำ\s*ตอบ|โหวต)\s*(?:ของ\s*)?{_WHO}?\s*"
                    rf"(?:ที่\s*(?:ให้|ตอบ|แสดง)\s*ไว้\s*)?{_ABOUT}\s*(?:หน่อย|ด้วย|ที)?")
"""'ขอลบความเห็นข้อ 1 ค่ะ', 'ถอนความเห็นข้อ 3', 'ยกเลิกคำตอบข้อ 2' (particles are the dispatcher's): withdraw the user's
stance and comment on the clause, after a confirmation (it was feedback on ข้อ 1 with the comment “ขอลบความเห็น”)."""
WITHDRAW_ASK = "ลบความเห็นของคุณต่อข้อ {no} ไหมคะ\nตอนนี้: {answer}{comment}\nลบแล้วจะไม่นับในผลรอบนี้ (ตอบใหม่ได้จนถึง {closes})"
WITHDRAWN = "ลบความเห็นของคุณต่อข้อ {no} แล้วค่ะ\nความเห็นตอนนี้ของข้อ {no}: {tally}"
WITHDRAW_NOTHING = "คุณยังไม่ได้แสดงความเห็นต่อข้อ {no} ใน{round} ค่ะ ไม่มีอะไรให้ลบนะคะ"
WITHDRAW_KEPT = "ไม่ลบค่ะ ความเห็นของคุณต่อข้อ {no} ยังอยู่เหมือนเดิมนะคะ"


@on_command(WITHDRAW_COMMAND)
def withdraw_ask(ctx: Ctx, match: re.Match[str]) -> None:
    """Ask before removing the user's stance on a clause in the open round."""
    from bot.flows import charter as feedback_flow
    from bot.flows import confirm
    from nlp.entities import parse_clause

    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    no = parse_clause(match.group(0))
    clause = svc.get_clause(ctx.session, charter, no) if no is not None else None
    if clause is None:
        if no is not None:
            show_clause_no(ctx, no)
        else:
            show_home(ctx)
        return
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    if hearing is None:
        feedback_flow.reply_closed(ctx, charter, clause, svc.closed_message(ctx.session, charter, ctx.now), None, None)
        return
    said = _mine(ctx, hearing, clause)
    if not said:
        ctx.reply(replies.text(WITHDRAW_NOTHING.format(no=clause.no, round=hearing.name),
                               quick=browse_quick(section=clause.section)))
        return
    row = said[0][1]
    question = WITHDRAW_ASK.format(no=clause.no, answer=_answer_line(row),
                                   comment=f" · “{_clip(row.comment, 80)}”" if row.comment else "",
                                   closes=format_date(hearing.closes_at))
    confirm.ask(ctx, question, yes=("ลบเลย", postback.encode_kept("charter.withdraw", k=clause.id)),
                no=("ไม่ลบ", postback.encode_kept("charter.withdraw_no", k=clause.id)))


@on_postback("charter.withdraw")
def withdraw(ctx: Ctx, args: dict[str, str]) -> None:
    """"ลบเลย": the stance and comment removed (the rule is the service's); the clause's tally as it is now."""
    from bot.flows import charter as feedback_flow

    clause = svc.clause_by_id(ctx.session, _int(args.get("k")) or 0)
    if clause is None or not _published(ctx, clause.charter_id):
        show_home(ctx, UPDATED)
        return
    charter = svc.charter_of(ctx.session, clause.charter_id)
    try:
        removed = svc.withdraw_stance(ctx.session, ctx.user, clause, ctx.now)
    except ServiceError as exc:
        feedback_flow.reply_closed(ctx, charter, clause, exc.message_th, None, None)
        return
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    if removed is None or hearing is None:
        ctx.reply(replies.text(WITHDRAW_NOTHING.format(no=clause.no, round=hearing.name if hearing else "รอบนี้"),
                               quick=browse_quick(section=clause.section)))
        return
    counts = svc.tally_in_round(ctx.session, clause, removed.round_id)[0]
    quick = [replies.quick_postback(f"อ่านข้อ {clause.no}", postback.encode("charter.clause", k=clause.id),
                                    f"อ่านข้อ {clause.no}"), *browse_quick()]
    ctx.reply(replies.text(WITHDRAWN.format(no=clause.no, tally=svc.tally_text(counts)), quick=quick))


@on_postback("charter.withdraw_no")
def withdraw_kept(ctx: Ctx, args: dict[str, str]) -> None:
    clause = svc.clause_by_id(ctx.session, _int(args.get("k")) or 0)
    ctx.reply(replies.text(WITHDRAW_KEPT.format(no=clause.no if clause else ""), quick=browse_quick()))


def _mine(ctx: Ctx, hearing: svc.AnyRound | None, clause: svc.AnyClause | None = None) -> list:
    if hearing is None or ctx.user is None:
        return []
    return svc.my_feedback(ctx.session, ctx.user, hearing, clause)


def _answer_line(row: Any) -> str:
    return f"{STANCE_MARK[row.stance]} {svc.STANCE_TH[row.stance]}"


def _my_answer(ctx: Ctx, charter: svc.AnyCharter, clause: svc.AnyClause) -> None:
    read = replies.quick_postback(f"อ่านข้อ {clause.no}", postback.encode("charter.clause", k=clause.id),
                                  f"อ่านข้อ {clause.no}")
    mine_all = replies.quick_message("ที่ฉันตอบไว้", "ดูความเห็นของฉัน")
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    if hearing is None:
        latest = svc.latest_round(ctx.session, charter, ctx.now)
        said = _mine(ctx, latest, clause)
        closed = svc.closed_message(ctx.session, charter, ctx.now)
        if said:
            row = said[0][1]
            lines = [f"ใน{latest.name} คุณตอบข้อ {clause.no} ว่า {_answer_line(row)}",
                     f"ความคิดเห็น: “{row.comment}”" if row.comment else "ความคิดเห็น: (ไม่มี)", closed]
        elif latest is not None:
            lines = [f"คุณไม่ได้แสดงความเห็นต่อข้อ {clause.no} ใน{latest.name} ค่ะ", closed]
        else:
            lines = [closed]
        ctx.reply(replies.text("\n".join(lines), quick=[read, replies.quick_message("เมนู")]))
        return
    said = _mine(ctx, hearing, clause)
    if not said:
        quick = [replies.quick_postback(label, postback.encode("charter.stance", k=clause.id, v=value),
                                        f"{label}กับข้อ {clause.no}") for label, value in STANCE_BUTTONS]
        ctx.reply(replies.text(MINE_NONE.format(no=clause.no, round=hearing.name),
                               quick=[*quick, read, replies.quick_message("เมนู")]))
        return
    row = said[0][1]
    lines = [f"ความเห็นของคุณต่อข้อ {clause.no} ({hearing.name})", f"ข้อ {clause.no}: {_clip(clause.text, 120)}",
             f"คุณตอบ: {_answer_line(row)}",
             f"ความคิดเห็น: “{row.comment}”" if row.comment else "ความคิดเห็น: (ไม่มี)",
             f"เปลี่ยนได้จนถึง {format_date(hearing.closes_at)} นะคะ"]
    quick = [replies.quick_postback("เปลี่ยนความเห็น", postback.encode("charter.stance", k=clause.id),
                                    f"เปลี่ยนความเห็นข้อ {clause.no}"),
             replies.quick_postback("แก้ความคิดเห็น" if row.comment else "เพิ่มความคิดเห็น",
                                    postback.encode("charter.comment", k=clause.id),
                                    f"{'แก้' if row.comment else 'เพิ่ม'}ความคิดเห็นข้อ {clause.no}"),
             read, mine_all, replies.quick_message("ลบความเห็นนี้", f"ลบความเห็นข้อ {clause.no}"),
             replies.quick_message("เมนู")]
    ctx.reply(replies.text("\n".join(lines), quick=quick))


def _my_answers(ctx: Ctx, charter: svc.AnyCharter) -> None:
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    shown = hearing or svc.latest_round(ctx.session, charter, ctx.now)
    said = _mine(ctx, shown)
    home = replies.quick_postback("อ่านธรรมนูญ", postback.encode("charter.home"), "อ่านธรรมนูญ")
    closed = [] if hearing is not None else [svc.closed_message(ctx.session, charter, ctx.now)]
    if not said:
        if hearing is not None:
            lines = [MINE_NONE_ALL.format(round=hearing.name)]
        elif shown is not None:
            lines = [f"คุณไม่ได้แสดงความเห็นใน{shown.name} ค่ะ", *closed]
        else:
            lines = closed
        ctx.reply(replies.text("\n".join(lines), quick=[home, replies.quick_message("เมนู")]))
        return
    total = svc.clause_count(ctx.session, charter)
    lines = [f"ความเห็นของคุณใน{shown.name} (ตอบแล้ว {len(said)} จาก {total} ข้อ)"]
    for no, row in said[:MINE_SHOWN]:
        comment = f" · “{_clip(row.comment, MINE_COMMENT_PREVIEW)}”" if row.comment else ""
        lines.append(f"• ข้อ {no}: {_answer_line(row)}{comment}")
    if len(said) > MINE_SHOWN:
        lines.append(f"…และอีก {len(said) - MINE_SHOWN} ข้อ")
    lines += closed or [MINE_LIST_HINT]
    quick = [replies.quick_message(f"ข้อ {no}", f"ความเห็นของฉันข้อ {no}") for no, _ in said[:MINE_CHIPS]]
    ctx.reply(replies.text("\n".join(lines), quick=[*quick, home, replies.quick_message("เมนู")]))


# --- buttons -------------------------------------------------------------------------------------

@on_postback("charter.home")
def tap_home(ctx: Ctx, args: dict[str, str]) -> None:
    show_home(ctx, page=max(0, _int(args.get("p")) or 0))


@on_postback("charter.section")
def tap_section(ctx: Ctx, args: dict[str, str]) -> None:
    section_id = _int(args.get("s"))
    section = svc.section_by_id(ctx.session, section_id) if section_id else None
    if section is None or not _published(ctx, section.charter_id):
        show_home(ctx, UPDATED)
        return
    show_section(ctx, svc.charter_of(ctx.session, section.charter_id), section, max(0, _int(args.get("p")) or 0))


@on_postback("charter.clause")
def tap_clause(ctx: Ctx, args: dict[str, str]) -> None:
    clause = svc.clause_by_id(ctx.session, _int(args.get("k")) or 0)
    if clause is None or not _published(ctx, clause.charter_id):
        show_home(ctx, UPDATED)
        return
    show_clause(ctx, clause)


@on_postback("charter.stance")
@starts_flow
def tap_stance(ctx: Ctx, args: dict[str, str]) -> None:
    clause = svc.clause_by_id(ctx.session, _int(args.get("k")) or 0)
    if clause is None or not _published(ctx, clause.charter_id):
        show_home(ctx, UPDATED)
        return
    stance = args.get("v") if args.get("v") in svc.STANCE_TH else None
    from bot.flows import charter as feedback_flow

    feedback_flow.begin(ctx, clause, stance=stance)


@on_postback("charter.comment")
@starts_flow
def tap_comment(ctx: Ctx, args: dict[str, str]) -> None:
    """"แก้ความคิดเห็น" / "เพิ่มความคิดเห็น" under the user's own answer: a comment on the stance as it is."""
    clause = svc.clause_by_id(ctx.session, _int(args.get("k")) or 0)
    if clause is None or not _published(ctx, clause.charter_id):
        show_home(ctx, UPDATED)
        return
    from bot.flows import charter as feedback_flow

    feedback_flow.begin_comment(ctx, clause)


LATE_GONE = ("ปุ่มนี้ใช้ไม่ได้แล้วค่ะ (ส่งไปแล้ว หรือเกิน 30 นาที) "
             "ถ้ายังอยากเขียนถึงเจ้าหน้าที่ พิมพ์ “ติดต่อเจ้าหน้าที่” ได้เลยนะคะ")


@on_postback("charter.to_staff")
def tap_to_staff(ctx: Ctx, args: dict[str, str]) -> None:
    """"ส่งถึงเจ้าหน้าที่" under "ปิดรับความคิดเห็นแล้ว": the comment typed then goes to the staff (contact_staff)."""
    text = args.get("t") or engine.recall(ctx, "late")  # "t": kept through "ออกจากขั้นตอนเดิมไหมคะ" (encode_kept)
    if not text:
        ctx.reply(replies.text(LATE_GONE, quick=[replies.quick_message("ติดต่อเจ้าหน้าที่"), replies.quick_message("เมนู")]))
        return
    current = engine.active_flow(ctx)
    if current is not None:
        engine.ask_switch(ctx, current, postback.encode_kept("charter.to_staff", t=text))
        return
    engine.forget(ctx, "late")
    ctx.start_flow("contact_staff", message=text)


# --- staff ---------------------------------------------------------------------------------------

_CLAUSE_NO = r"ข้อ\s*(?:ที่)?\s*(?P<no>[0-9๐-๙]+)"
_SECTION_NO = r"หมวด\s*(?:ที่)?\s*(?P<sec>[0-9๐-๙]+)"
RESULTS_COMMAND = (r"(?:ขอ\s*)?(?:ดู\s*)?(?:ผล|สรุป)\s*(?:โหวต|คะแนน|การ\s*โหวต)?\s*(?:"
                   r"(?:ความ\s*(?:คิด\s*)?เห็น\s*(?:ธรรมนูญ(?:สุขภาพ)?)?|ธรรมนูญ(?:สุขภาพ)?)\s*(?:ทุกข้อ|ทั้งหมด|" + _CLAUSE_NO
                   + r"|" + _SECTION_NO + r")?|" + _CLAUSE_NO.replace("no>", "no2>") + r"|"
                   + _SECTION_NO.replace("sec>", "sec2>") + r")\s*(?:หน่อย)?"
                   r"\s*(?:(?:เป็น|ออกมา)\s*)?(?:ยังไง|อย่างไร|ไง)?\s*(?:บ้าง)?\s*(?:หน่อย)?")
"""'ผลธรรมนูญ', 'ผลความเห็นข้อ 3', 'ขอดูผลความเห็นข้อ ๓ หน่อย', 'สรุปความคิดเห็นธรรมนูญทุกข้อ', 'ผลหมวด 3' (particles
are the dispatcher's); 'ขอดูผลความเห็นข้อ 3' used to open the feedback question on clause 3 for staff."""
COMMENT_PREVIEW = 200
COMMENTS_SHOWN = 10


def _round_line(ctx: Ctx, hearing: svc.AnyRound) -> str:
    if hearing.closes_at > ctx.now:
        return f"{hearing.name} (เปิดถึง {format_datetime(hearing.closes_at)})"
    return f"{hearing.name} (ปิดแล้วเมื่อ {format_date(hearing.closes_at)})"


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


OPEN_ROUND_COMMAND = (r"(?:🗓\s*)?(?:ขอ\s*)?เปิด\s*รอบ\s*(?:ใหม่\s*)?(?:รับ\s*ฟัง\s*)?(?:ความ\s*คิด\s*เห็น|ความ\s*เห็น)?"
                      r"\s*(?:(?:รอบ\s*)?ใหม่)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*")


@on_command(OPEN_ROUND_COMMAND, staff_only=True)
def staff_open_round(ctx: Ctx, _match: re.Match[str]) -> None:
    """"เปิดรอบรับฟังความคิดเห็น": staff open a hearing round step by step (bot.flows.charter_round)."""
    if charter_or_say_none(ctx) is None:
        return
    ctx.start_flow(round_flow.NAME)


HEARING_WHEN_COMMAND = (
    r"(?=.{0,60}$)(?=.*(?:รับ\s*ฟัง|ความ\s*(?:คิด\s*)?เห็น|ธรรมนูญ|โหวต))"
    r"(?=.*(?:วัน\s*ไหน|เมื่อ\s*ไ[รห]|ถึง\s*(?:วัน|เมื่อ|กี่)|หมด\s*เขต|วัน\s*สุดท้าย|กี่\s*วัน"
    r"|(?:ปิด|เปิด)(?:\s*รับ)?.*(?:ยัง|ไหม|มั้ย|วัน|เมื่อ|กี่)))"
    r"(?!.*(?:เวที|กิจกรรม|สมัคร|ข้อ\s*[0-9๐-๙]|ผล|รอบ\s*ใหม่|ของ\s*(?:ฉัน|ผม|หนู|เรา)))(?!\s*(?:ขอ\s*)?เปิด\s*รอบ).*")
"""'รับฟังความเห็นถึงวันไหนคะ', 'ธรรมนูญปิดรับความเห็นเมื่อไหร่', 'เปิดรับฟังความคิดเห็นวันไหน': the open round's dates (or
the next one's). It showed an activity named "เวทีรับฟังความเห็นธรรมนูญ…" (its words), or the menu."""
HEARING_OPEN = "ตอนนี้เปิดรับฟังความคิดเห็นต่อ{title} ({round}) ถึง {closes} ค่ะ\nอ่านแล้วบอกความเห็นได้ทุกข้อเลยนะคะ"


@on_command(HEARING_WHEN_COMMAND)
@reads_only
def hearing_when(ctx: Ctx, _match: re.Match[str]) -> None:
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    hearing = svc.current_round(ctx.session, charter, ctx.now)
    home = replies.quick_postback("อ่านธรรมนูญ", postback.encode("charter.home"), "อ่านธรรมนูญ")
    if hearing is not None:
        said = HEARING_OPEN.format(title=charter.title, round=hearing.name, closes=format_datetime(hearing.closes_at))
    else:
        said = svc.closed_message(ctx.session, charter, ctx.now)
    ctx.reply(replies.text(said, quick=[home, replies.quick_message("เมนู")]))


@on_command(RESULTS_COMMAND)
@reads_only
def staff_results(ctx: Ctx, match: re.Match[str]) -> None:
    """Staff: the round's results (all clauses, or one). Residents: the clause's card, which shows its tally."""
    said_no = match.group("no") or match.group("no2")
    no = _int(said_no) if said_no else None
    said_sec = match.group("sec") or match.group("sec2")
    sec = _int(said_sec) if said_sec else None
    if ctx.user is None or not ctx.user.is_staff:
        if no is not None:
            show_clause_no(ctx, no)
        elif sec is not None:
            _section_cards(ctx, sec)
        else:
            _tallies(ctx)
        return
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    hearing = svc.latest_round(ctx.session, charter, ctx.now)
    if hearing is None:
        ctx.reply(texts.menu(ctx.user.role, NO_ROUND_FOR_STAFF))
        return
    if no is not None:
        _clause_results(ctx, charter, hearing, no)
        return
    if sec is not None:
        _section_results(ctx, charter, hearing, sec)
        return
    rows = svc.results(ctx.session, hearing, comments_per_clause=COMMENTS_SHOWN)
    people = len(svc.participants(ctx.session, hearing))
    lines = [f"📊 ผลความเห็น{charter.title}", _round_line(ctx, hearing),
             f"ผู้ร่วมแสดงความเห็น {people} คน · รวม {sum(r.total for r in rows)} ความเห็น", ""]
    for r in rows:
        if r.total:
            talk = f" · 💬 {len(r.comments)}" if r.comments else ""
            lines.append(f"ข้อ {r.clause_no}: เห็นด้วย {r.agree} · ไม่เห็นด้วย {r.disagree} · ไม่แน่ใจ {r.unsure}"
                         f" (เห็นด้วย {r.pct_agree}%){talk}")
    silent = [r.clause_no for r in rows if not r.total]
    if silent:  # one line for them all, not a line each
        lines.append(f"ยังไม่มีความเห็น: ข้อ {_number_ranges(silent)}")
    latest = sorted((dict(c, no=r.clause_no) for r in rows for c in r.comments), key=lambda c: c["at"],
                    reverse=True)[:5]
    messages = [replies.text("\n".join(lines))]
    if latest:
        messages.append(replies.text("💬 ความเห็นล่าสุด\n" + "\n".join(
            f"• ข้อ {c['no']} ({svc.STANCE_TH[c['stance']]}): {_clip(c['comment'], COMMENT_PREVIEW)}" for c in latest
        )))
    busiest = sorted((r for r in rows if r.total), key=lambda r: (-len(r.comments), -r.disagree, r.clause_no))[:10]
    quick = [replies.quick_message(f"ข้อ {r.clause_no}", f"ผลความเห็น ข้อ {r.clause_no}") for r in busiest]
    messages[-1]["quickReply"] = {"items": quick + [replies.quick_message("เมนู")]}
    ctx.reply(*messages)


NO_SECTION = "ไม่พบหมวด {no} ค่ะ ธรรมนูญฉบับนี้มีหมวด {first}–{last}"


def _section_cards(ctx: Ctx, no: int) -> None:
    """A resident's "ผลหมวด 2": the section's cards, which show each clause's tally."""
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    section = svc.get_section(ctx.session, charter, no)
    if section is None:
        nos = [s.no for s in svc.sections(ctx.session, charter)]
        show_home(ctx, NO_SECTION.format(no=no, first=min(nos), last=max(nos)) if nos else None)
        return
    ctx.reply(*section_messages(ctx, charter, section))


def _section_results(ctx: Ctx, charter: svc.AnyCharter, hearing: svc.AnyRound, no: int) -> None:
    """Staff's "ผลหมวด 3": each clause of the section with its tally, then its newest comments."""
    section = svc.get_section(ctx.session, charter, no)
    if section is None:
        nos = [s.no for s in svc.sections(ctx.session, charter)]
        lead = NO_SECTION.format(no=no, first=min(nos), last=max(nos)) if nos else f"ไม่พบหมวด {no} ค่ะ"
        ctx.reply(texts.menu(ctx.user.role, lead))
        return
    mine = {c.no for c in section.clauses}
    rows = [r for r in svc.results(ctx.session, hearing, comments_per_clause=COMMENTS_SHOWN) if r.clause_no in mine]
    lines = [f"📊 ผลความเห็นหมวด {section.no} {section.title}", _round_line(ctx, hearing), ""]
    for r in rows:
        lines.append(f"ข้อ {r.clause_no}: เห็นด้วย {r.agree} · ไม่เห็นด้วย {r.disagree} · ไม่แน่ใจ {r.unsure}"
                     + (f" (เห็นด้วย {r.pct_agree}%)" if r.total else "") + (f" · 💬 {len(r.comments)}" if r.comments else ""))
    latest = sorted((dict(c, no=r.clause_no) for r in rows for c in r.comments), key=lambda c: c["at"],
                    reverse=True)[:COMMENTS_SHOWN]
    if latest:
        lines += ["", "💬 ความเห็นล่าสุด"]
        lines += [f"• ข้อ {c['no']} ({svc.STANCE_TH[c['stance']]}): {_clip(c['comment'], COMMENT_PREVIEW)}"
                  for c in latest]
    quick = [replies.quick_message(f"ข้อ {r.clause_no}", f"ผลความเห็น ข้อ {r.clause_no}") for r in rows[:10]]
    quick += [replies.quick_message("ผลทุกข้อ", "ผลธรรมนูญ"), replies.quick_message("เมนู")]
    ctx.reply(replies.text("\n".join(lines), quick=quick[:13]))


TALLIES_HEAD = "📊 ความเห็นต่อ{title} ตอนนี้"
TALLIES_HINT = "แตะเลขข้อเพื่ออ่านข้อนั้นและแสดงความเห็นได้นะคะ"


def _tallies(ctx: Ctx) -> None:
    """Residents' "ผลโหวตธรรมนูญเป็นยังไงบ้าง": each clause's tally in the open round (or the latest), no comments
    and no names (it showed the home page, with no results)."""
    charter = charter_or_say_none(ctx)
    if charter is None:
        return
    hearing = svc.latest_round(ctx.session, charter, ctx.now)
    if hearing is None:
        show_home(ctx, svc.closed_message(ctx.session, charter, ctx.now))
        return
    rows = svc.results(ctx.session, hearing, comments_per_clause=0)
    lines = [TALLIES_HEAD.format(title=charter.title), _round_line(ctx, hearing), ""]
    lines += [f"ข้อ {r.clause_no}: เห็นด้วย {r.agree} · ไม่เห็นด้วย {r.disagree} · ไม่แน่ใจ {r.unsure}"
              for r in rows if r.total]
    silent = [r.clause_no for r in rows if not r.total]
    if silent:
        lines.append(f"ยังไม่มีความเห็น: ข้อ {_number_ranges(silent)}")
    if hearing.closes_at > ctx.now:
        lines += ["", TALLIES_HINT]
    busiest = sorted((r for r in rows if r.total), key=lambda r: (-r.total, r.clause_no))[:8]
    quick = [replies.quick_postback(f"ข้อ {r.clause_no}", postback.encode("charter.clause", k=r.clause_id),
                                    f"อ่านข้อ {r.clause_no}") for r in busiest]
    ctx.reply(replies.text("\n".join(lines), quick=[*quick, *browse_quick()]))


_THIS_CLAUSE = r"ข้อ\s*นี้"
_ASKING = r"(?:ยังไง|อย่างไร|ไหม|มั้ย|กี่\s*คน|เท่า\s*ไ[รห]|หรือ\s*(?:เปล่า|ยัง)|ป่าว)"
THIS_CLAUSE_COMMAND = (rf"(?=.{{0,80}}$)(?=.*{_THIS_CLAUSE})(?=.*{_ASKING})"
                       r"(?!.*(?:เพราะ|ควร|อยาก\s*ให้))(?:คน\s*อื่น|มี\s*คน|ผล|ความ\s*(?:คิด\s*)?เห็น|ข้อ\s*นี้|ใคร|เขา|เค้า).*")
"""'คนอื่นเค้าว่ายังไงบ้างคะข้อนี้', 'ข้อนี้มีคนเห็นด้วยกี่คน', 'ผลข้อนี้เป็นยังไง': the tally of the clause just read (it
was the menu)."""


@on_command(THIS_CLAUSE_COMMAND)
@reads_only
def this_clause_tally(ctx: Ctx, _match: re.Match[str]) -> None:
    clause = _clause_just_read(ctx)
    if clause is None:
        show_home(ctx, "ข้อไหนคะ พิมพ์เลขข้อ เช่น “ข้อ 5” หรือเลือกจากหมวดด้านล่างได้เลยค่ะ")
        return
    show_clause(ctx, clause)


def _number_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5, 7, 8] → '1–3, 5, 7–8'."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _clause_results(ctx: Ctx, charter: svc.AnyCharter, hearing: svc.AnyRound, no: int) -> None:
    rows = svc.results(ctx.session, hearing, clause_no=no)
    if not rows:
        ctx.reply(texts.menu(ctx.user.role, f"ไม่พบข้อ {no} ในธรรมนูญฉบับนี้ค่ะ"))
        return
    r = rows[0]
    lines = [f"📊 ข้อ {r.clause_no} (หมวด {r.section_no} {r.section_title})", _clip(r.text, 160),
             _round_line(ctx, hearing), ""]
    if r.total:
        lines.append(f"เห็นด้วย {r.agree} · ไม่เห็นด้วย {r.disagree} · ไม่แน่ใจ {r.unsure} · รวม {r.total}"
                     f" (เห็นด้วย {r.pct_agree}%)")
    else:
        lines.append("ยังไม่มีใครแสดงความเห็นข้อนี้ค่ะ")
    if r.comments:
        lines += ["", f"💬 ความเห็นล่าสุด ({min(len(r.comments), COMMENTS_SHOWN)} จาก {len(r.comments)})"]
        lines += [f"• {svc.STANCE_TH[c['stance']]} · {format_date(c['at'])}: {_clip(c['comment'], COMMENT_PREVIEW)}"
                  for c in r.comments[:COMMENTS_SHOWN]]
    quick = [replies.quick_message("ผลทุกข้อ", "ผลธรรมนูญ"), replies.quick_message("เมนู")]
    ctx.reply(replies.text("\n".join(lines), quick=quick))


from bot.flows import charter as _flow  # noqa: E402,F401 - registers the feedback flow
from bot.flows import charter_round as round_flow  # noqa: E402 - registers staff's new-round flow
