"""Staff commands as staff really type them: a one-letter typo in a command word ("อนุมัตโครงการ 12",
"โครงกานรอตรวจ", "ผลธรรมนูณ"), other wording ("ประกาศทุกคน พรุ่งนี้หยุด", "มีคนสมัครแอโรบิกกี่คน").

A typo in a command that tells residents something is asked about first ("หมายถึง “อนุมัติโครงการ 12” ใช่ไหมคะ",
with a chip); one that only shows something is done. Residents' words are never corrected."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot import replies
from bot.context import Ctx
from bot.dispatcher import command_for, for_residents, on_command, on_staff_text, one_to_one
from bot.flows import engine
from bot.handlers import activities as act
from bot.services import activities as svc
from bot.textmatch import one_letter_apart
from bot.thaidate import THAI_DIGITS

COMMAND_WORDS = ("ไม่อนุมัติ", "อนุมัติ", "รับพิจารณา", "พิจารณา", "ขอให้แก้ไข", "เริ่มดำเนินการ", "ดำเนินการ", "โครงการ",
                 "ธรรมนูญ", "ความเห็น", "ประกาศ", "รอตรวจ", "กิจกรรม", "รายชื่อ", "ผู้สมัคร", "เช็คอิน", "ปฏิเสธ",
                 "เสร็จสิ้น", "อนุมัติแล้ว")
"""The words staff commands are made of, the longest first; a typo is looked for only in words of 5 letters or
more (shorter ones are too alike: "ปิด", "เริ่ม")."""
TELLS_RESIDENTS = re.compile(r"อนุมัติ|ปฏิเสธ|แก้|พิจารณา|เริ่ม|ปิด|เสร็จ|ประกาศ|แจ้ง|ยกเลิก|เลื่อน")
"""A command with one of these words pushes a message to residents: a typo in it is asked about, not guessed."""
REWORDED = (
    # "ประกาศทุกคน พรุ่งนี้หยุด": the one-line announcement without its "ว่า"
    (re.compile(r"(?:ขอ\s*)?(?:ส่ง\s*)?ประกาศ\s*(?:ถึง|ให้|แก่)?\s*(?:ทุกคน|ทั้งหมด|ทั้งเขต)\s*[:：,\-–]?\s+(?P<m>\S.{4,})"),
     "ประกาศถึงทุกคนว่า {m}"),
)
"""Other wording of a staff command, said as the command is written (what follows is kept as typed)."""
ASKED = "staff_typo"
"""engine.remember key: the corrected command just asked about, for a typed "ใช่" or "ไม่" to answer."""


def _fixes(text: str) -> list[str]:
    """The text with one command word's typo put right, each way it can be (COMMAND_WORDS, the longest first)."""
    found: list[str] = []
    for word in COMMAND_WORDS:
        n = len(word)
        if n < 5 or word in text:  # said right ("อนุมัติหรือยัง" is no typo of อนุมัติ)
            continue
        for size in (n - 1, n, n + 1):
            for i in range(len(text) - size + 1):
                if one_letter_apart(text[i:i + size], word):
                    found.append(text[:i] + word + text[i + size:])
    return list(dict.fromkeys(found))


def corrected(text: str) -> str | None:
    """The staff command the text is with one or two command words' typos put right ("อนุมัตโครงกาน 12"),
    reworded if need be; None when no such reading is a command."""
    first = _fixes(text)
    for tries in (first, [two for one in first[:20] for two in _fixes(one)]):
        for fixed in tries:
            said = reworded(fixed) or fixed
            if command_for(said) is not None:
                return said
    return None


def reworded(text: str) -> str | None:
    """The staff command other wording means ("ประกาศทุกคน พรุ่งนี้หยุด" → "ประกาศถึงทุกคนว่า พรุ่งนี้หยุด")."""
    for pattern, template in REWORDED:
        found = pattern.fullmatch(text)
        if found:
            return template.format(**{k: v.strip() for k, v in found.groupdict().items()}).strip()
    return None


@on_staff_text
def staff_command_said_otherwise(ctx: Ctx, text: str) -> bool:
    """Staff text that is no command as typed, but is one reworded or with a typo put right; "ใช่"/"ไม่" typed
    to the question about a typo."""
    if _answered_typo_question(ctx, text):
        return True
    said = reworded(text)
    if said is not None and command_for(said) is not None:
        _run(ctx, said)
        return True
    said = corrected(text)
    if said is None:
        return False
    if TELLS_RESIDENTS.search(said):
        label = _chip_label(said)
        ctx.reply(replies.text(f"หมายถึง “{said}” ใช่ไหมคะ ถ้าใช่ แตะ “{label}” ได้เลยค่ะ",
                               quick=[replies.quick_message(label, said), replies.quick_message("เมนู")]))
        engine.remember(ctx, ASKED, said, refresh=timedelta(0))
        return True
    _run(ctx, said)
    return True


MAX_LABEL = 20
"""LINE cuts a quick-reply chip's label at 20 characters."""


def _chip_label(said: str) -> str:
    """The corrected command as a chip's label: whole, or its first words and "…" ("เลื่อนกิจกรรม 3 …"); "ใช่ ทำตามนี้"
    when even its first word is too long (it was "ใช่ค่ะ", which said nothing of what the chip does)."""
    if len(said) <= MAX_LABEL:
        return said
    words, label = said.split(), ""
    for word in words:
        longer = f"{label} {word}".strip()
        if len(longer) + 2 > MAX_LABEL:
            break
        label = longer
    return f"{label} …" if label else "ใช่ ทำตามนี้"


def _answered_typo_question(ctx: Ctx, text: str) -> bool:
    """"ใช่ค่ะ" to "หมายถึง “อนุมัติโครงการ 12” ใช่ไหมคะ": the command, as its chip does; "ไม่ใช่": nothing done."""
    asked = engine.recall(ctx, ASKED)
    if not asked:
        return False
    yes, no = engine.said_yes(text), engine.said_no(text)
    engine.forget(ctx, ASKED)  # asked once: whatever comes next answers it or moves on
    if yes:
        _run(ctx, asked)
    elif no:
        ctx.reply(replies.text("ได้ค่ะ ไม่ทำอะไรนะคะ", quick=[replies.quick_message("เมนู")]))
    return yes or no


def _run(ctx: Ctx, said: str) -> None:
    from bot.dispatcher import _run_command

    found = command_for(said)
    if found is not None:
        ctx.said = said
        _run_command(ctx, found)


HOW_MANY_SIGNED_UP = (r"(?:ตอนนี้\s*)?(?:มี\s*)?(?:คน|ผู้)?\s*(?:สมัคร|ลงชื่อ|ลงทะเบียน)\s*(?:กิจกรรม)?\s*(?P<name>\S.{1,60}?)\s*"
                      r"(?:แล้ว\s*)?(?:กี่\s*(?:คน|ท่าน|ที่)|ไป\s*กี่\s*คน|ทั้งหมด\s*กี่\s*คน)\s*(?:แล้ว)?\s*"
                      r"(?:คะ|ค่ะ|ครับ|นะ|จ๊ะ|จ้า|\?)*")
"""'มีคนสมัครแอโรบิกกี่คน', 'สมัครรำไม้พลองกี่คนแล้วคะ' (not handled before)."""


def _card_for_residents(ctx: Ctx, match: re.Match[str]) -> None:
    """Anyone else: the activity's card, which says the seats left."""
    if not act.named_activity_details(ctx, match["name"]):
        act.show_list(ctx)


@on_command(HOW_MANY_SIGNED_UP, staff_only=True)
@for_residents(_card_for_residents)
@one_to_one
def how_many_signed_up(ctx: Ctx, match: re.Match[str]) -> None:
    """Staff: how many signed up for the activity named, as "กิจกรรม 12 มีคนสมัครกี่คน" (a chip for the roster)."""
    number = match["name"].strip().lstrip("#").translate(THAI_DIGITS)
    named = (svc.get_activity(ctx.session, int(number)) if number.isdigit() else
             act.find_named_activity(ctx, match["name"], svc.upcoming(ctx.session, ctx.now, limit=100)))
    if named is None:
        act.staff_people_which(ctx, match)
        return
    act.tell_signup_counts(ctx, named)


__all__: list[Any] = ["corrected", "reworded"]
