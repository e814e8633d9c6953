"""route(): normalise, classify intent and topic, extract entities."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nlp.community import match_community
from nlp.entities import extract
from nlp.model import load
from nlp.normalize import normalize
from nlp.topics import TOPICS, lexicon_topic

INTENTS: tuple[str, ...] = (
    "greeting", "help", "charter_info", "charter_feedback", "idea_submit", "idea_status", "activity_list",
    "activity_signup", "activity_cancel", "my_signups", "privacy", "thanks", "other",
)
THRESHOLD = 0.45  # below this the bot is "not sure" and shows the menu
TOPIC_MIN_PROBA = 0.5
_LETTER = re.compile(r"[a-zA-Zก-๛]")
_THANKS_EMOJI = re.compile(r"[👍🙏👌🆗💯✅]")
_MAX_LEN = 5000
_OPENS_WITH_CLAUSE = re.compile(
    r"\s*(?:ความ(?:คิด)?เห็น(?:ต่อ|ของ)?)?\s*ข้อ\s*(?:ที่)?\s*(?:[0-9๐-๙]|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)")
"""A message that opens with a clause number ("ข้อ 3 อยากให้…") is about that clause of the charter."""
_ABOUT_A_CLAUSE = ("charter_feedback", "charter_info")
_ASKS_OWN_SIGNUPS = re.compile(
    r"รหัส\s*(?:เช็[คก]\s*อิน|check\s*-?\s*in)|(?:ต้อง|จะ|ได้)\s*ไป\s*(?:กี่โมง|ที่ไหน|วันไหน|เมื่อไ(?:หร่|ร)|ตอนไหน)"
    r"|(?:ลง)?สมัคร\s*(?:อะไร|ไหน)?\s*ไว้|สมัครกี่โมง|นัดกี่โมง", re.I)
"""Questions about one's own sign-ups ("พรุ่งนี้ป้าต้องไปกี่โมงนะ", "รหัสเช็คอินของป้าคืออะไรนะ")."""
_NOT_ABOUT_OWN = ("activity_cancel", "activity_signup", "charter_feedback", "charter_info", "idea_submit",
                  "idea_status", "privacy")
"""What the model reads such a question as that stands: cancelling what one signed up for is still cancelling."""
_GREETING_HEAD = re.compile(
    r"^\s*(?:(?:สวัสดี|หวัดดี|ดี)(?:ตอน(?:เช้า|สาย|บ่าย|เย็น))?"
    r"(?:\s*(?:ค่ะ|คะ|ครับ|จ้า|ฮะ|เด้อ|เจ้า|นะ|น้า|ค้า|จ้ะ))+"
    r"|(?:สวัสดี|หวัดดี)|hi|hello|hey)(?:\s*[,!.~😊🙏🙂^_]+)*(?=\s|[,!]|$)", re.I)
"""A greeting in front of a request: "สวัสดีค่ะ อยากสมัครรำไม้พลอง", "หวัดดีจ้า ป้าอยากไปตรวจสุขภาพ"."""
_AFTER_GREETING = ("greeting", "other", "thanks")
"""What the rest of a greeted message may be read as and still leave it a greeting ("สวัสดีค่ะ ป้าแดงจากซอยสาม")."""


@dataclass
class RouteResult:
    """What the router understood from one message."""

    intent: str
    confidence: float
    sure: bool
    topic: str | None = None
    entities: dict[str, Any] = field(default_factory=dict)
    topic_named: bool = False
    """The message names the topic with one of its keywords (the model did not just guess it)."""
    greeted: bool = False
    """The message opened with a greeting that was set aside to read what follows it."""

    def to_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "confidence": self.confidence, "sure": self.sure,
                "topic": self.topic, "topic_named": self.topic_named, "entities": dict(self.entities)}


def _classify(norm: str) -> tuple[str, float, str | None, bool]:
    """(intent, confidence, topic, topic named by a keyword) from the rules and the linear model."""
    if not _LETTER.search(norm):
        if _THANKS_EMOJI.search(norm):
            return "thanks", 0.9, None, False
        return "other", 0.95, None, False
    model = load()
    idx, vals = model.vectorize(norm)
    p = model.intent.proba(idx, vals)
    k = int(p.argmax())
    intent, conf = model.intent.classes[k], float(p[k])
    topic, _ = lexicon_topic(norm)
    named = topic is not None
    if topic is None and idx:
        tp = model.topic.proba(idx, vals)
        j = int(tp.argmax())
        if model.topic.classes[j] in TOPICS and tp[j] >= TOPIC_MIN_PROBA:
            topic = model.topic.classes[j]
    return intent, conf, topic, named


_ENGLISH: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern, re.I), thai) for pattern, thai in (
    (r"\b(?:health\s*-?\s*check(?:\s*-?\s*ups?|s)?|medical\s+check(?:\s*-?\s*ups?)?|check\s*-?\s*ups?)\b",
     "ตรวจสุขภาพ"),
    (r"\b(?:exercis(?:e|es|ing)|work\s*outs?|fitness)\b", "ออกกำลังกาย"),
    (r"\b(?:activit(?:y|ies)|events?)\b", "กิจกรรม"),
    (r"\b(?:this\s+)?week\s*-?\s*ends?\b", "เสาร์อาทิตย์นี้"),
    (r"\bnext\s+week\b", "อาทิตย์หน้า"),
    (r"\bthis\s+week\b", "อาทิตย์นี้"),
    (r"\btoday\b", "วันนี้"),
    (r"\btomorrow\b", "พรุ่งนี้"),
    (r"\b(?:sign\s*-?\s*up|register|join|book)\b", "สมัคร"),
    (r"\b(?:is|are)\s+there(?:\s+any)?\b|\bany\b", "มี"),
    (r"\bfree\b", "ฟรี"),
)]
"""A few English words residents mix in ("มี health check ฟรีป่าว weekend นี้"), in the Thai the model knows."""


def english_as_thai(text: str) -> str | None:
    """The text with the English words the bot knows said in Thai, or None when it has none of them."""
    said, changed = text, 0
    for pattern, thai in _ENGLISH:
        said, n = pattern.subn(f" {thai} ", said)
        changed += n
    if not changed:
        return None
    said = re.sub(r"\b[a-z]+\b", " ", said, flags=re.I)  # the English words left are noise to the model
    said = re.sub(r"[?]+", " ไหม ", said)
    return re.sub(r"\s+", " ", said).strip()


def after_greeting(text: str) -> str | None:
    """What follows a greeting that opens the text ("สวัสดีค่ะ อยากสมัครรำไม้พลองค่ะ" → "อยากสมัครรำไม้พลองค่ะ"),
    else None (no greeting in front, or nothing after it)."""
    if not isinstance(text, str):
        return None
    source = text[:_MAX_LEN].strip()
    head = _GREETING_HEAD.match(source)
    if head is None:  # "หวัดดีค่าาา …": its particle as normalising spells it
        source = normalize(source)
        head = _GREETING_HEAD.match(source)
    if head is None:
        return None
    rest = source[head.end():]
    rest = rest.strip(" ,!.~")
    return rest if _LETTER.search(rest) else None


def route(text: str, communities: Sequence[str] | None = None, now: datetime | None = None) -> RouteResult:
    """Understand one message. Never raises: bad input gives intent "other".

    A greeting in front of a request is set aside: the request is what is read ("greeted" says so), unless
    what follows it is small talk (read as a greeting, "other" without a topic word, or thanks)."""
    result = _route(text, communities, now)
    thai = english_as_thai(text) if isinstance(text, str) else None
    if thai is not None:  # "sign up for exercise today": the day, said in English, is still a day
        for key, value in extract(thai, now).items():
            result.entities.setdefault(key, value)
    if result.intent != "greeting" and result.sure:
        return result
    rest = after_greeting(text)
    if rest is not None:
        said = _route(rest, communities, now)
        if not said.sure or said.intent == "greeting":
            said = _in_english(rest, communities, now) or said
        if said.sure and (said.intent not in _AFTER_GREETING or (said.intent == "other" and said.topic_named)):
            said.greeted = True
            return said
    return _in_english(text, communities, now) or result


def _in_english(text: str, communities: Sequence[str] | None, now: datetime | None) -> RouteResult | None:
    """The reading of a text with English words the bot knows put in Thai, when it is a sure one."""
    thai = english_as_thai(text) if isinstance(text, str) else None
    if thai is None:
        return None
    said = _route(thai, communities, now)
    return said if said.sure and said.intent not in ("greeting", "other") else None


def _route(text: str, communities: Sequence[str] | None = None, now: datetime | None = None) -> RouteResult:
    try:
        raw = text if isinstance(text, str) else ""
        raw = raw[:_MAX_LEN]
        norm = normalize(raw)
        intent, conf, topic, named = _classify(norm)
        entities = extract(raw, now)
        if "clause" in entities and _OPENS_WITH_CLAUSE.match(norm):
            # Whatever else it mentions (exercise, Saturday), it is said about the clause: read it, or
            # comment on it. The model tells the two apart; anything else it guessed is a comment.
            intent = intent if intent in _ABOUT_A_CLAUSE else "charter_feedback"
            conf = max(conf, THRESHOLD)
        if _ASKS_OWN_SIGNUPS.search(norm) and (intent not in _NOT_ABOUT_OWN or conf < THRESHOLD):
            intent, conf = "my_signups", max(conf, THRESHOLD)
        if communities:
            hit = match_community(raw, communities, whole_words=True)
            if hit:
                entities["community"] = hit[0]
        conf = round(conf, 4)
        return RouteResult(intent, conf, conf >= THRESHOLD, topic, entities, topic_named=named)
    except Exception:
        return RouteResult("other", 0.0, False, None, {})
