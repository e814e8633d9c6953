"""Everyday questions about one activity ("โยคะวันไหนนะคะ", "ต้องเตรียมอะไรไปบ้างคะ", "ไปแอโรบิกต้องเสียเงินไหม"):
that activity's details card. Without a name, right after one's sign-ups or an activity's card, about that one."""

from __future__ import annotations

import re

from bot import replies
from bot.context import Ctx
from bot.dispatcher import on_question
from bot.flows import engine
from bot.handlers import activities as act
from bot.services import activities as svc
from bot.thaidate import THAI_DIGITS
from nlp.dates import part_of_day
from storage.models import Activity

ASKS_ABOUT_ONE = re.compile(
    r"วัน\s*ไหน|วัน\s*อะไร|วันที่\s*เท่าไ|กี่\s*โมง|ที่\s*ไหน|เมื่อ\s*ไ(?:หร่|ร)|ตอน\s*ไหน|จัด\s*ที่|เวลา\s*(?:ไหน|อะไร)"
    r"|เตรียม|(?:เอา|พก|ใส่|แต่งตัว)\s*อะไร|ใส่\s*ชุด|เสีย\s*(?:เงิน|ค่า)|ค่า\s*(?:ใช้จ่าย|สมัคร)|กี่\s*บาท"
    r"|ฟรี\s*(?:ไหม|มั้ย|หรือ|ป่าว|รึ)|ต้อง\s*จ่าย"
    r"|(?:งด|อด)\s*(?:ข้าว|อาหาร|น้ำ)|(?:กิน|ทาน)\s*(?:ข้าว|อาหาร)|ท้อง\s*ว่าง")
"""What asks about one activity: when, where, what to bring or to go without, what it costs."""
ASKS_FASTING = re.compile(r"(?:งด|อด)\s*(?:ข้าว|อาหาร|น้ำ)|(?:กิน|ทาน)\s*(?:ข้าว|อาหาร)|ท้อง\s*ว่าง")
"""Whether to go without food first: "ต้องงดข้าวไหม", "งดอาหารไหม", "กินข้าวได้ไหม"."""
ASKS_PREPARING = re.compile(r"เตรียม|(?:เอา|พก|ใส่|แต่งตัว)\s*อะไร|ใส่\s*ชุด")
"""What to bring or wear: "ต้องเตรียมอะไรไปบ้างคะ", "ต้องพกอะไรไป"."""
ASKS_COST = re.compile(r"เสีย\s*(?:เงิน|ค่า)|ค่า\s*(?:ใช้จ่าย|สมัคร)|กี่\s*บาท|ฟรี|ต้อง\s*จ่าย")
_ASKS_A_LIST = re.compile(r"มี\s*(?:กิจกรรม|อะไร)|อะไร\s*บ้าง|ไหน\s*บ้าง|กิจกรรม\s*(?:อะไร|ไหน)|ยกเลิก|ไม่ไป")
"""A list asked for ("มีกิจกรรมออกกำลังกายที่ไหนบ้าง", "กิจกรรมวันไหนบ้าง"), or a sign-up cancelled: not a question
about one."""
QUESTION_WORDS = re.compile(
    r"วัน\s*ไหน|วัน\s*อะไร|วันที่\s*เท่าไ\S*|กี่\s*โมง|ที่\s*ไหน|เมื่อ\s*ไ(?:หร่|ร)|ตอน\s*ไหน|จัด\s*ที่|จัด|เวลา"
    r"|(?:ต้อง)?\s*เตรียม\S*?(?:อะไร)?(?:ไป)?(?:บ้าง)?|(?:เอา|พก|ใส่|แต่งตัว)\s*อะไร(?:ไป)?(?:บ้าง)?|ใส่\s*ชุด\S*"
    r"|(?:ต้อง)?\s*เสีย\s*(?:เงิน|ค่า\S*)|ค่า\s*(?:ใช้จ่าย|สมัคร)|กี่\s*บาท|เท่า\s*ไ(?:หร่|ร่|ร)|ฟรี|(?:ต้อง)?\s*จ่าย\S*"
    r"|(?:ต้อง)?\s*(?:(?:งด|อด)\s*(?:ข้าว|อาหาร|น้ำ)\s*)+(?:ก่อน\S*)?|(?:กิน|ทาน)\s*(?:ข้าว|อาหาร)\S*|ท้อง\s*ว่าง"
    r"|ต้อง|หรือเปล่า|หรือป่าว|ป่าว|รึเปล่า|อะไร|บ้าง|ไหน")
"""The question's own words, taken out before reading what is left as an activity's name (the particles are
taken out as whole words later: "โยคะ" keeps its "คะ")."""


@on_question
def activity_question(ctx: Ctx, text: str) -> bool:
    """"แอโรบิกจัดที่ไหน", "ไปกี่โมงนะคะ" after "ที่ฉันสมัครไว้": the details card of the activity meant."""
    if not ASKS_ABOUT_ONE.search(text) or _ASKS_A_LIST.search(text):
        return False
    plain = text.translate(THAI_DIGITS)
    if part_of_day(plain) is not None or _said_a_day(ctx, plain):
        return False  # "เสาร์นี้มีอะไรที่ไหน": the day's list
    rest = QUESTION_WORDS.sub(" ", act.ABOUT_WORDS.sub(" ", text))
    if act._name_query(rest) in act.GENERIC_NAMES:
        return False  # "ตรวจสุขภาพจัดที่ไหน": a kind with several activities, not one of them
    if act._name_query(rest):
        named = act.find_named_activity(ctx, rest, svc.upcoming(ctx.session, ctx.now, limit=100))
        if named is None:  # going without food asked of no activity on: a question for staff (not_sure offers it)
            return False if ASKS_FASTING.search(text) else _none_named(ctx, rest, text)
        _answer(ctx, named.id, text)
        return True
    ids = engine.recall(ctx, act.ASKED_ABOUT) or []
    if len(ids) == 1:
        _answer(ctx, ids[0], text)
        return True
    if len(ids) > 1 and ctx.user is not None:
        rows = svc.my_signups(ctx.session, ctx.user, ctx.now)
        if rows:
            act.show_mine(ctx, lead=act._mine_lead(rows), rows=rows)
            return True
    return False


_FEE_WORD = re.compile(r"ค่า\s*สมัคร")


def fee_question(ctx: Ctx, text: str) -> bool:
    """"ยางยืดค่าสมัครเท่าไหร่คะ", "ค่าสมัครกี่บาท" (read as a sign-up for its "สมัคร"): the question about the cost,
    answered as any other (`activity_question`); a sign-up asked for beside it ("สมัครโยคะค่ะ ค่าสมัครเท่าไหร่") is not."""
    if not _FEE_WORD.search(text) or "สมัคร" in _FEE_WORD.sub("", text):
        return False
    return activity_question(ctx, text)


def _none_named(ctx: Ctx, rest: str, text: str) -> bool:
    """"โยคะวันไหนนะคะ" with no yoga coming up: said so, with the activities of its kind (when it names one)."""
    from nlp.normalize import normalize
    from nlp.topics import lexicon_topic

    name = act._name_query(rest)
    topic, _ = lexicon_topic(normalize(text))
    if topic is None or not name or _a_kind(name, topic, ctx):
        return False  # "ออกกำลังกายจัดที่ไหน": the kind's list, as before
    act.show_list(ctx, topic=topic, lead=f"ตอนนี้ยังไม่มีกิจกรรม “{name}” ที่เปิดรับอยู่ค่ะ กิจกรรมเรื่องเดียวกันมีดังนี้นะคะ")
    return True


def _a_kind(name: str, topic: str, ctx: Ctx) -> bool:
    """Whether a name is a kind of activity, not one's title: its topic's words, or part of a title on."""
    from bot.services.ideas import topic_short

    words = f"{svc.reference_names('topics').get(topic, '')} {topic_short(topic)}"
    return (name in words or name in act.GENERIC_NAMES
            or any(name in a.title for a in svc.upcoming(ctx.session, ctx.now, limit=100)))


def _said_a_day(ctx: Ctx, plain: str) -> bool:
    from nlp.entities import parse_date_range

    return parse_date_range(plain, ctx.now) is not None


def _answer(ctx: Ctx, activity_id: int, text: str) -> None:
    """The card; for the cost, the activity's fee first, and for going without food or what to bring, what its
    details say about it, or that they do not say (nothing made up)."""
    if ASKS_COST.search(text):
        activity = svc.activity_seen_by(ctx.session, str(activity_id), None)[0]
        ctx.reply(replies.text(cost_answer(activity, asks_free=bool(ASKS_FREE.search(text)))))
    elif ASKS_FASTING.search(text) or ASKS_PREPARING.search(text):
        activity = svc.activity_seen_by(ctx.session, str(activity_id), None)[0]
        ctx.reply(replies.text(preparing_answer(activity, fasting=bool(ASKS_FASTING.search(text)))))
    act.detail(ctx, {"id": str(activity_id)})


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+|(?<![0-9])\s+(?![0-9]|ๆ|(?:และ|หรือ|แต่|พร้อม|โดย|เพื่อ|ก่อน|หลัง)\S)")
"""Between the sentences of a description: a full stop, a line break, or a space not beside a number, "ๆ" or a
word that goes on ("และ…") (Thai writes a space between sentences; "งดอาหารก่อนตรวจ 8 ชั่วโมง" and "ใส่ชุดสบาย ๆ
และพกน้ำมาด้วย" stay one)."""
FASTING_WORDS = re.compile(r"งด|อด\s*(?:อาหาร|ข้าว|น้ำ)|ท้อง\s*ว่าง|ก่อน\s*ตรวจ")
PREPARING_WORDS = re.compile(r"เตรียม|(?<!แกน)นำ|พก|สวม|ใส่|แต่งกาย|ชุด|บัตร|งด|ท้อง\s*ว่าง")


def said_in_details(description: str | None, words: re.Pattern[str]) -> list[str]:
    """The sentences of an activity's description that say something about `words`, as written."""
    sentences = (part.strip() for part in _SENTENCE_BREAK.split(description or ""))
    return [sentence for sentence in sentences if sentence and words.search(sentence)]


def preparing_answer(activity: Activity, fasting: bool = False) -> str:
    """'รายละเอียดของ “ตรวจวัดความดัน…” บอกไว้ว่า “กรุณางดอาหารก่อนตรวจ 8 ชั่วโมง” ค่ะ', or that the card does not
    say (ask staff)."""
    said = said_in_details(activity.description, FASTING_WORDS if fasting else PREPARING_WORDS)
    if said:
        return f"รายละเอียดของ “{activity.title}” บอกไว้ว่า “{' '.join(said)}” ค่ะ"
    what = "เรื่องงดอาหารก่อนไป" if fasting else "ว่าต้องเตรียมอะไรไป"
    return (f"รายละเอียดของ “{activity.title}” ไม่ได้บอก{what}ไว้ค่ะ ถ้าไม่แน่ใจ "
            "พิมพ์ “ติดต่อเจ้าหน้าที่” เพื่อถามเจ้าหน้าที่ได้เลยนะคะ")


ASKS_FREE = re.compile(r"ฟรี")
COST_WORDS = re.compile(r"ฟรี|บาท|ค่าใช้จ่าย")


COST_QUESTION = re.compile(r"เสีย\s*(?:เงิน|ค่า)|ค่า\s*(?:ใช้จ่าย|สมัคร)|กี่\s*บาท|ต้อง\s*จ่าย"
                           r"|ฟรี\s*(?:ไหม|มั้ย|หรือ|ป่าว|รึ|ใช่|เลย\s*(?:ไหม|มั้ย))")
"""A question about the cost typed mid-journey: "ฟรี" only asked ("ฟรีไหมคะ"), never in a name ("ตรวจสุขภาพฟรี")."""


def asks_cost(text: str) -> bool:
    """Whether typed text asks what taking part costs: "ค่าสมัครเท่าไหร่คะ", "ฟรีไหมคะ", "เสียเงินไหมคะ"."""
    return bool(COST_QUESTION.search(text or ""))


def cost_answer(activity: Activity, asks_free: bool = False, card_below: bool = True) -> str:
    """'“โยคะ” ฟรีค่ะ ไม่มีค่าสมัครนะคะ', '“ยางยืด” ไม่ฟรี มีค่าสมัคร 20 บาทค่ะ'; without a fee stated, whether its details
    say anything about the cost (quoted when no card follows: `card_below` False), else that they do not (ask staff)."""
    if activity.fee_baht == 0:
        return f"“{activity.title}” ฟรีค่ะ ไม่มีค่าสมัครนะคะ"
    if activity.fee_baht is not None:
        lead = " ไม่ฟรี" if asks_free else ""
        return f"“{activity.title}”{lead} มีค่าสมัคร {activity.fee_baht:,} บาทค่ะ"
    said = said_in_details(activity.description, COST_WORDS)
    if said and not card_below:
        return f"รายละเอียดของ “{activity.title}” บอกไว้ว่า “{' '.join(said)}” ค่ะ"
    if said:
        return "เรื่องค่าใช้จ่าย ดูในรายละเอียดด้านล่างได้เลยค่ะ"
    return (f"รายละเอียดของ “{activity.title}” ไม่ได้บอกเรื่องค่าใช้จ่ายไว้ค่ะ ถ้าไม่แน่ใจ "
            "พิมพ์ “ติดต่อเจ้าหน้าที่” เพื่อถามเจ้าหน้าที่ได้เลยนะคะ")
