"""Text normalisation for Thai chat messages."""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_REPEAT = re.compile(r"([^\d\s])\1{2,}")  # 3+ of the same non-digit → one (มากกกก → มาก, !!! → !)
_LAUGH = re.compile(r"(?<!\d)5{3,}\+*(?!\d)")
_SPACE = re.compile(r"\s+")
# Spelling variants of the polite particles → one canonical form each.
_PARTICLE_VARIANTS = [
    (re.compile(r"(?:คร้าบ|ครัช|คับผม|คั้บ|ค้าบ|คับ|ฮับ|ครับผม)(?![ก-ฮ])"), "ครับ"),
    (re.compile(r"(?:คร่ะ|ค่า|คร่า|ค๊ะ|ค่ะะ)(?![ก-ฮ])"), "ค่ะ"),
    (re.compile(r"(?:จ้าา|จ๊ะ|จ้ะ|จ่ะ)(?![ก-ฮ])"), "จ้า"),
    (re.compile(r"(?:มั้ย|มั๊ย|ไม๊|มะ)(?=\s|$|[?ค])"), "ไหม"),
]
_TRAILING_PARTICLES = re.compile(
    r"(?:\s*(?:ครับ|ค่ะ|คะ|จ้า|(?<!ช)นะ|(?<!ห)น้า|เด้อ|ฮะ|จ้ะ|เจ้า|เน้อ|อ่ะ|(?<![ก-ฮ])อะ))+\s*$"
)

# The same particles at the end of a message, in the spellings people type (for commands and yes/no words).
# Not "คับ" or "ค่า" alone at a word's end in general: only as the last word after a space or another word.
_TAIL_PARTICLES = re.compile(
    r"(?:\s*(?:ครับผม|ครับ|คร้าบ|ค้าบ|ค่ะ|ค่า|คร่ะ|คะ|ค๊ะ|จ้า|จ้ะ|จ๊ะ|จ่ะ|(?<!ช)นะ|(?<!ห)น้า|เด้อ|ฮะ|เน้อ))+\s*$"
)


def held_letters_once(text: str) -> str:
    """Three or more of one letter typed ("ยกเลิกกก", "มากกกก") as one; digits and spaces are left as they are."""
    return _REPEAT.sub(r"\1", text)


def without_particles(text: str) -> str:
    """The text without the polite particles at its end, however spelled: "ใช่จ้ะ" → "ใช่", "ได้เลยค่า" →
    "ได้เลย", "ขอคุยกับเจ้าหน้าที่หน่อยจ้ะ" → "ขอคุยกับเจ้าหน้าที่หน่อย". A text of particles only is kept."""
    stripped = _TAIL_PARTICLES.sub("", text)
    return stripped if stripped.strip() else text


_BOUND = r"(?=[\s,.:;!\-–—|]|$)"
_REASON_LEAD = re.compile(
    r"^(?:[\s,.:;!\-–—|]+"
    rf"|(?:นะคะ|นะครับ|ค่ะ|คะ|ค่า|ครับ|จ้า|จ้ะ|นะ|หน่อย|ด้วย|เลย|ก็|แล้วก็){_BOUND}"
    r"|(?:ก็)?(?:เพราะ(?:ว่า)?|เนื่อง(?:มา)?จาก(?:ว่า)?|เหตุผล(?:ก็)?(?:คือ)?|สาเหตุ(?:คือ)?))+")


def reason_text(text: str | None) -> str | None:
    """A reason or a comment as typed, without the words that only lead into it: "ค่ะ ฝนตกหนัก" → "ฝนตกหนัก",
    "เพราะคนทำงานไม่มีเวลาค่ะ" → "คนทำงานไม่มีเวลาค่ะ", "| เหตุผล: น้ำท่วม" → "น้ำท่วม". A particle is taken only
    as a word of its own ("คะแนนไม่พอ" stays). None when fewer than 3 letters are left (particles only)."""
    said = _REASON_LEAD.sub("", " ".join((text or "").split())).strip(" ,.:;-–—|")
    return said if len(re.findall(r"[ก-๙A-Za-z0-9]", without_particles(said))) >= 3 else None


def light_normalize(text: str) -> str:
    """NFC, zero-width removal, Thai digits → Arabic, collapsed whitespace. Keeps every character
    that entity extraction needs (digits are never collapsed)."""
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).translate(THAI_DIGITS)
    # Decomposed sara am (nikhahit + sara aa) written by some keyboards.
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    return _SPACE.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Full normalisation used before classification: light_normalize + lower-case, repeated letters,
    laughter (5555 → 555), particle spelling variants and trailing particles removed."""
    text = light_normalize(text).lower()
    text = _LAUGH.sub(" 555 ", text)
    text = held_letters_once(text)
    for pattern, canonical in _PARTICLE_VARIANTS:
        text = pattern.sub(canonical, text)
    stripped = _TRAILING_PARTICLES.sub("", text)
    if stripped.strip():  # a message that is only a particle ("ค่ะ") keeps it
        text = stripped
    return _SPACE.sub(" ", text).strip()
