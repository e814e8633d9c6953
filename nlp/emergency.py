"""Emergencies said in chat: a fixed list of phrases, read before anything else (never left to the model)."""

from __future__ import annotations

import re

from nlp.normalize import light_normalize

MEDICAL = "medical"
SELF_HARM = "self_harm"

_WHO = r"(?:ลูก|หลาน|แม่|พ่อ|ยาย|ตา|ปู่|ย่า|เด็ก|คน|เขา|สามี|ภรรยา|เมีย|ผัว|แฟน|น้อง|พี่|ป้า|ลุง|เพื่อน)"

_SELF_HARM = re.compile(
    r"ฆ่าตัวตาย|อยากตาย|ไม่อยาก(?:มีชีวิต|อยู่บนโลก|ตื่นขึ้นมา)|ทำร้ายตัวเอง|กรีด(?:ข้อมือ|แขน)"
    r"|จบชีวิต|คิดสั้น|แขวนคอ|(?:โดด|กระโดด)(?:ตึก|สะพาน|น้ำตาย)|กินยา(?:ตาย|ฆ่าตัว)|เบื่อชีวิต|อยู่ไปก็ไม่มีประโยชน์"
    r"|ไม่อยากอยู่(?:ต่อ(?:ไป)?)?แล้ว(?!(?:ค่ะ|คะ|ครับ|นะ|จ้ะ|จ้า|ล่ะ)*(?:(?:จะ|อยาก)?ย้าย|ที่นี่|ที่นี้|ตรงนี้|บ้าน|ชุมชน"
    r"|ซอย|ห้อง|คอนโด|กลุ่ม|ไลน์|line))"
    r"|อยากหายไปจากโลก")
"""Suicide or self-harm: 1323 (mental health hotline), and 1669 if someone is in danger now. "ไม่อยากอยู่แล้ว" is
the plain way to say it, but not about a place ("ไม่อยากอยู่บ้านแล้ว", "ไม่อยากอยู่แล้วค่ะ ย้ายไปอยู่กับลูก")."""

_MEDICAL = re.compile("|".join((
    # breathing
    r"หายใจ(?:ไม่ออก|ไม่ได้|ลำบาก|ไม่ทัน|ติดขัด|ไม่สะดวก|เฮือก|หอบ)|หอบ(?:หนัก|เหนื่อย(?:มาก|หนัก))|ไม่หายใจ"
    r"|หายใจไม่ค่อย(?:ออก|ได้|ทัน)",
    # a sudden severe headache with vomiting (a bleed or a stroke may start so), not a headache alone
    r"(?:ปวด|เจ็บ)(?:หัว|ศีรษะ)(?:มาก|รุนแรง|อย่างแรง|แรงมาก|จะระเบิด|ที่สุด).{0,40}(?:อาเจียน|อ้วก)"
    r"|(?:อาเจียน|อ้วก).{0,40}(?:ปวด|เจ็บ)(?:หัว|ศีรษะ)(?:มาก|รุนแรง|อย่างแรง|แรงมาก|จะระเบิด|ที่สุด)",
    r"หัวใจ(?:หยุดเต้น|วาย)|ไม่มีชีพจร|(?:ตัว|ปาก)เขียว",
    # unconscious, fainting
    r"หมดสติ|ไม่รู้สึกตัว|ไม่ได้สติ|สลบ(?!เหมือด)|(?:ปลุก|เรียก)ไม่(?:ตื่น|รู้สึกตัว|ตอบ)|เป็นลม(?!พิษ)",
    # chest pain
    r"(?:เจ็บ|แน่น|ปวด)(?:หน้า)?อก(?!หัก)",
    # heavy bleeding
    r"เลือด.{0,6}(?:ออก|ไหล)(?:มาก|เยอะ|ไม่หยุด|ไม่ยอมหยุด|ท่วม|โชก|พุ่ง)|เลือดพุ่ง|เลือดท่วม|ตกเลือด"
    r"|(?:อาเจียน|อ้วก|ไอ)(?:ออกมา)?เป็นเลือด",
    # falls and head injury
    r"หัว(?:แตก|ฟาด|กระแทก|โขก)|ศีรษะ(?:แตก|ฟาด|กระแทก)|(?:หก)?ล้ม(?:ใน|ที่)?ห้องน้ำ|ล้ม(?:แล้ว)?ลุกไม่(?:ขึ้น|ได้)",
    # stroke signs
    r"ปากเบี้ยว|หน้าเบี้ยว|มุมปากตก|อ่อนแรง(?:ครึ่ง)?ซีก|แขนขา(?:ข้างหนึ่ง)?(?:อ่อนแรง|ชา|ยกไม่ขึ้น)"
    r"|(?:จู่ๆ|อยู่ดีๆ|ทันที|กะทันหัน).{0,15}พูดไม่(?:ชัด|ได้|รู้เรื่อง)|เส้นเลือดใน\s*สมอง(?:แตก|ตีบ|อุดตัน)",
    # seizure
    r"ลมชัก|ชัก(?:เกร็ง|กระตุก|ตาตั้ง|ไม่หยุด|น้ำลายฟูม)|" + _WHO + r"(?:กำลัง|มีอาการ)?ชัก(?!ชวน|จะ|ธง|ว่าว|ช้า|นำ|ใย|ออก|เข้า)",
    # other injuries, poisoning
    r"จมน้ำ|(?:โดน|ถูก)?รถ(?:ชน|ทับ)|ไฟ(?:ดูด|ช็อต|ช๊อต)|งู(?:กัด|ฉก)|กินยา(?:เกินขนาด|ฆ่าแมลง|พิษ|เบื่อ)|ยาพิษ",
    # asking for help outright
    r"ฉุกเฉิน|(?:เรียก|ขอ|ส่ง|ตาม)รถพยาบาล|รถพยาบาลด่วน|1669",
)))
"""An emergency to call 1669 for: breathing, unconsciousness, chest pain, bleeding, a fall, stroke, seizure …"""

_ADVICE = (r"ให้(?:รีบ)?โทร(?:หา|แจ้ง|ไปที่|ไป|ที่)?(?:เบอร์|สายด่วน)?(?:1669|1323)"
           r"|รีบโทร(?:หา|แจ้ง|ไปที่|ไป|ที่)?(?:เบอร์|สายด่วน)?(?:1669|1323)(?:เลย|ทันที|นะ)"
           r"|(?:ใคร|ผู้|ท่านใด|ท่านที่)(?:ที่)?มีอาการ")
"""Advice to others, not an emergency told: the number given to call ("ให้รีบโทร 1669", "รีบโทร 1669 เลยนะคะ"),
whoever has the symptom told what to do ("ใครมีอาการหายใจไม่ออก…", "ผู้ที่มีอาการเจ็บหน้าอก…ห้ามเล่น"). Asking
whether to call ("ต้องโทร 1669 ไหม") is not advice."""

_TEACHING = re.compile(
    r"อบรม|หลักสูตร|สอน(?!ง)|สัมมนา|เรียนรู้|ความรู้|รณรงค์|คัดกรอง|ป้องกัน|รู้ทัน|ซ้อม|ฝึก|วิธีสังเกต|อาการเตือน"
    r"|ลดอุบัติเหตุ|ธรรมนูญ|ข้อ\d|โครงการ|อยากให้มี|ควร(?:จะ)?มี|เสนอ|" + _ADVICE)
"""Said about an emergency, not in one: a course, a campaign, a screening, a proposal, the charter, advice."""

_ALWAYS = re.compile(r"ช่วยด้วย|ด่วน|ทำไงดี|ทำยังไงดี|ทำอย่างไรดี|เดี๋ยวนี้")
"""Words that make it a call for help even in a sentence that also names a course or a proposal."""

_OVER = re.compile(
    r"(?:หาย(?:ดี|เป็นปกติ)?|ดีขึ้น|ปลอดภัย|ไม่เป็น(?:อะไร|ไร)|ออกจาก(?:โรงพยาบาล|โรงบาล|รพ\.?))แล้ว"
    r"|กลับบ้านได้แล้ว|หายเป็นปกติ")
"""The emergency is over ("ตอนนี้หายแล้ว", "ออกจากโรงพยาบาลแล้ว")."""
_LONG_AGO = re.compile(r"(?:ปี|เดือน|อาทิตย์|สัปดาห์)(?:ที่แล้ว|ก่อน)|เมื่อปี|ตอนเด็ก|สมัย(?:ก่อน|เด็ก)")
"""Told of a time long past ("ปีที่แล้ว", "สามเดือนก่อน"); "เมื่อวาน" or "เมื่อคืน" alone is not: it may go on."""
_STILL = re.compile(
    r"ยัง|อีก|แต่|กำลัง|ตอนนี้(?!(?:ก็)?(?:หาย(?!ใจ)|ดีขึ้น|ปลอดภัย|ไม่เป็น|สบายดี|ปกติ))|ขณะนี้|วันนี้"
    r"|เมื่อกี|เมื่อสักครู่|เพิ่ง|ไม่(?:หาย|ดีขึ้น|ปลอดภัย)|แย่ลง|หนักขึ้น|มากขึ้น")
"""Something that may be going on now, in a message that also tells of the past: the numbers are given."""


def told_as_over(said: str) -> bool:
    """A medical emergency told as over or long past ("เมื่อวานแม่เจ็บหน้าอก ตอนนี้หายแล้ว", "ปีที่แล้วพ่อล้มหัวแตก"),
    with nothing that may be happening now. When unsure, False: the numbers are given."""
    return bool(_OVER.search(said) or _LONG_AGO.search(said)) and not _STILL.search(said) \
        and not _ALWAYS.search(said)


def emergency_kind(text: str | None) -> str | None:
    """SELF_HARM, MEDICAL, or None: whether a message tells of an emergency happening (phrases, not the model).

    Talk about emergencies (a first-aid course, screening for stroke, a proposal for an ambulance) is left
    alone unless it also calls for help ("ช่วยด้วย", "ด่วน", "ทำไงดี"); so is a medical one told as over or long
    past (`told_as_over`). Self-harm is always answered, past or not."""
    if not isinstance(text, str) or not text.strip():
        return None
    said = re.sub(r"\s+", "", light_normalize(text[:2000]).lower())
    said = re.sub(r"([^\d])\1{2,}", r"\1", said)  # "ช่วยด้วยยยย", "หายใจไม่ออกกกก"
    about = bool(_TEACHING.search(said)) and not _ALWAYS.search(said)
    if _SELF_HARM.search(said) and not about:
        return SELF_HARM
    if _MEDICAL.search(said) and not about and not told_as_over(said):
        return MEDICAL
    return None
