"""The eight strategic health issues (seed 001) and a high-precision keyword lexicon for them."""

from __future__ import annotations

import re

from nlp.normalize import normalize

TOPICS: tuple[str, ...] = (
    "tobacco", "alcohol_drugs", "food", "physical_activity",
    "road_safety", "mental_health", "environment", "emerging",
)

# Keyword → weight. Longer, more specific words weigh more; ambiguous short words weigh less.
_LEXICON: dict[str, dict[str, float]] = {
    "tobacco": {
        "บุหรี่": 3, "ยาสูบ": 3, "สูบ": 1.5, "พอต": 2.5, "vape": 3, "เวป": 1.5, "ยาเส้น": 3, "มวนเอง": 2,
        "ควันบุหรี่": 3, "นิโคติน": 3, "ปลอดบุหรี่": 3, "smoking": 3, "cigarette": 3, "บารากู่": 3,
        "ไอคอส": 3, "iqos": 3,
    },
    "alcohol_drugs": {
        "เหล้า": 3, "สุรา": 3, "เบียร์": 3, "แอลกอฮอล์": 3, "แอลกอฮอ": 2.5, "เสพติด": 3, "ยาบ้า": 3,
        "ยาไอซ์": 3, "ไอซ์": 1.5, "กัญชา": 2.5, "กระท่อม": 2.5, "ติดยา": 3, "ขี้เมา": 2.5, "เมา": 1.2,
        "วงเหล้า": 3, "ยาเสพ": 3, "โคเคน": 3, "เฮโรอีน": 3, "สี่คูณร้อย": 3, "4x100": 3, "ไวน์": 2,
        "สาโท": 3, "เหล้าขาว": 3, "ดื่มหนัก": 2.5, "กินเหล้า": 3, "เลิกเหล้า": 3, "มั่วสุม": 2,
        "alcohol": 3, "drug": 2.5,
    },
    "food": {
        "อาหาร": 2.5, "โภชนาการ": 3, "ผักปลอดสาร": 3, "ปลอดสารพิษ": 2.5, "หวานมันเค็ม": 3, "ลดหวาน": 3,
        "ลดเค็ม": 3, "โซเดียม": 3, "ขนมกรุบกรอบ": 3, "น้ำหวาน": 2.5, "น้ำอัดลม": 2.5, "ผักสวนครัว": 3,
        "ปลูกผัก": 3, "ตลาดสด": 2, "อาหารกลางวัน": 3, "ครัว": 1.5, "ผักผลไม้": 3, "ผลไม้": 2, "ผัก": 2, "อินทรีย์": 2.5, "ออร์แกนิก": 2.5,
        "กินอยู่": 1, "อ้วน": 1.5, "น้ำหนักเกิน": 2, "food": 2.5, "ร้านอาหาร": 2, "สตรีทฟู้ด": 2.5,
        "อาหารริมทาง": 3, "ของทอด": 2, "น้ำมันทอดซ้ำ": 3, "ฉลากโภชนาการ": 3, "อาหารเช้า": 2.5,
        "แม่ครัว": 2, "ผงชูรส": 2.5, "น้ำตาล": 1.5,
    },
    "physical_activity": {
        "ออกกำลัง": 3, "กิจกรรมทางกาย": 3, "แอโรบิก": 3, "แอโรบิค": 3, "วิ่ง": 2, "เดินเร็ว": 3, "โยคะ": 3,
        "ปั่นจักรยาน": 2.5, "จักรยาน": 1.5, "ไม้พลอง": 3, "ฟุตบอล": 3, "ลานกีฬา": 3, "กีฬา": 2.5,
        "ฟิตเนส": 3, "ไทเก๊ก": 3, "ไทชิ": 3, "ยืดเส้น": 2.5, "เต้น": 2, "แบด": 2.5, "เปตอง": 3, "ยิม": 2, "ลีลาศ": 3, "บาสเกตบอล": 3, "วอลเลย์": 3,
        "แบดมินตัน": 3, "ตะกร้อ": 3, "ว่ายน้ำ": 2.5, "fun run": 3, "มินิมาราธอน": 3, "มาราธอน": 3,
        "exercise": 3, "zumba": 3, "ซุมบ้า": 3, "รำวง": 2, "เดินวิ่ง": 3, "สวนสาธารณะ": 1.2, "ขยับกาย": 3,
        "นั่งนาน": 1.5, "เต้นบาสโลบ": 3, "บาสโลบ": 3,
    },
    "road_safety": {
        "ความปลอดภัยทางถนน": 4, "อุบัติเหตุ": 3, "หมวกกันน็อค": 3, "หมวกกันน๊อค": 3, "หมวกนิรภัย": 3,
        "ทางม้าลาย": 3, "ไฟจราจร": 3, "ขับรถเร็ว": 3, "ขับเร็ว": 2.5, "ความเร็ว": 2.5, "จำกัดความเร็ว": 3, "ซิ่ง": 2.5, "ย้อนศร": 3, "ไฟส่องทาง": 2,
        "ไฟส่องสว่าง": 2, "ถนน": 1.2, "เมาแล้วขับ": 4, "ทางข้าม": 3, "ลูกระนาด": 3, "ลูกระนาต": 3,
        "รถชน": 3, "ชนกัน": 2, "มอเตอร์ไซค์": 1.5, "มอไซ": 1.5, "จักรยานยนต์": 1.5, "คาดเข็มขัด": 3,
        "เข็มขัดนิรภัย": 3, "สะพานลอย": 2.5, "ทางแยก": 1.5, "ขับขี่": 2.5, "จราจร": 2, "ถนนเป็นหลุม": 3,
        "รถซิ่ง": 3, "แว้น": 3, "ใบขับขี่": 2, "กระจกโค้ง": 3,
    },
    "mental_health": {
        "สุขภาพจิต": 4, "ซึมเศร้า": 3, "เครียด": 2.5, "นอนไม่หลับ": 3, "คิดสั้น": 3, "ฆ่าตัวตาย": 3,
        "วิตกกังวล": 3, "กังวล": 1.5, "เหงา": 2, "จิตแพทย์": 3, "หมดไฟ": 3, "สุขภาพใจ": 3, "ดูแลใจ": 3, "ฟังด้วยหัวใจ": 3, "คลายเหงา": 3, "คลายเครียด": 3, "จิตใจ": 2,
        "ซึม": 1.5, "ท้อแท้": 2.5, "เศร้า": 2, "ไบโพลาร์": 3, "ความรุนแรงในครอบครัว": 2.5, "จิตเวช": 3,
        "ปรึกษาปัญหา": 2, "burnout": 3, "depress": 3, "stress": 2.5, "ทุกข์ใจ": 3, "อยู่คนเดียว": 1,
        "รับฟัง": 1.2, "ติดเกม": 1.5, "กลั่นแกล้ง": 2, "บูลลี่": 2.5,
    },
    "environment": {
        "ขยะ": 3, "ฝุ่น": 3, "pm2.5": 3, "pm 2.5": 3, "pm25": 3, "น้ำเสีย": 3, "น้ำท่วม": 3,
        "ท่วมขัง": 3, "กลิ่นเหม็น": 3, "เหม็น": 2, "เสียงดัง": 2.5, "คัดแยก": 2.5, "คลอง": 2, "ควันดำ": 3,
        "มลพิษ": 3, "เผา": 1.5, "ท่อระบายน้ำ": 3, "ท่อตัน": 3, "สิ่งแวดล้อม": 3, "ต้นไม้": 2,
        "พื้นที่สีเขียว": 3, "ถังขยะ": 3, "รีไซเคิล": 3, "ถุงพลาสติก": 2.5, "พลาสติก": 2, "น้ำครำ": 3,
        "หน้ากากอนามัย": 1.2, "ควันพิษ": 3, "มลภาวะ": 3, "ไฟไหม้": 1.5, "สัตว์จรจัด": 1.5, "หนู": 1.5,
        "waste": 3, "dust": 2.5, "ธนาคารขยะ": 3, "ปุ๋ยหมัก": 3, "ขี้หมา": 2,
    },
    "emerging": {
        "โควิด": 3, "covid": 3, "โรคระบาด": 3, "วัคซีน": 3, "ไข้เลือดออก": 4, "เบาหวาน": 3, "ความดัน": 2.5,
        "โรคเรื้อรัง": 3, "ไข้หวัดใหญ่": 3, "ไข้หวัด": 2, "ยุงลาย": 3, "ยุง": 2, "วัณโรค": 3, "คัดกรอง": 2.5,
        "ncd": 3, "ฝีดาษ": 3, "ตรวจสุขภาพ": 2.5, "โรคติดต่อ": 3, "โรคอุบัติใหม่": 4, "อุบัติใหม่": 3,
        "ฉีดยา": 1.5, "ไขมัน": 2, "หลอดเลือด": 2.5, "มะเร็ง": 2.5, "ผู้ป่วยติดเตียง": 2.5, "ติดเตียง": 2,
        "โรคไต": 3, "ความดันสูง": 3, "โรคหัวใจ": 2.5, "ไข้": 1, "ระบาด": 2.5, "ติดเชื้อ": 2.5, "hpv": 3,
        "อสม": 1, "วัดความดัน": 3, "เจาะเลือด": 2.5, "เช็คน้ำตาล": 3, "rsv": 3, "ไข้หวัดนก": 3,
        "หัด": 1.5, "โรคอ้วน": 2,
    },
}

# One alternation per topic, longest first, matched on normalised text (no spaces removed).
_PATTERNS: dict[str, tuple[re.Pattern[str], dict[str, float]]] = {}
for _topic, _words in _LEXICON.items():
    _keys = sorted(_words, key=len, reverse=True)
    _PATTERNS[_topic] = (re.compile("|".join(re.escape(k) for k in _keys)), _words)

_COMPACT = re.compile(r"\s+")


def lexicon_scores(norm_text: str) -> dict[str, float]:
    """Sum of keyword weights per topic over non-overlapping matches in already-normalised text."""
    text = _COMPACT.sub("", norm_text)
    scores: dict[str, float] = {}
    for topic, (pattern, weights) in _PATTERNS.items():
        total = 0.0
        for m in pattern.finditer(text):
            total += weights[m.group(0)]
        if total:
            scores[topic] = total
    # "ฝุ่น"/"ยุง" etc. are fine, but words that embed another topic's word need care:
    # เมาแล้วขับ is road safety, not alcohol; หวาน in เบาหวาน is not food.
    if "เมาแล้วขับ" in text and "alcohol_drugs" in scores:
        scores["alcohol_drugs"] = max(0.0, scores["alcohol_drugs"] - 1.2)
    if "เบาหวาน" in text and "food" in scores and "น้ำตาล" in text:
        scores["food"] = max(0.0, scores["food"] - 1.5)
    return {k: v for k, v in scores.items() if v > 0}


def lexicon_topic(norm_text: str, min_score: float = 1.9) -> tuple[str | None, float]:
    """Best topic by keyword weight, or None if nothing scores at least min_score."""
    scores = lexicon_scores(norm_text)
    if not scores:
        return None, 0.0
    best = max(scores, key=lambda k: (scores[k], -TOPICS.index(k)))
    if scores[best] < min_score:
        return None, scores[best]
    return best, scores[best]


def topic_of(text: str) -> str | None:
    """The health issue a text is about (keywords only; route() also uses the classifier)."""
    try:
        return lexicon_topic(normalize(text or ""))[0]
    except Exception:  # never raise on user text
        return None
