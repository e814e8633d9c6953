"""A project told in one message ("อยากทำโครงการสวนผักคนเมืองในชุมชนลาดพร้าว 80 … งบ 25,000 บาท … ติดต่อ 081-…"):
what of the One Plan it says, read only where it is said plainly (a number with its unit, a fund by name, a
phone after its label, a community after ที่/ใน, a labelled target group), in any order, so the journey asks only
for the rest and the summary shows all of it to confirm. Every rule for reading such a message lives here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nlp.entities import _MONEY_UNIT, _PHONE_CANDIDATE, parse_count, parse_money, parse_phone
from nlp.normalize import light_normalize
from nlp.numbers import iter_numbers

GREETING = re.compile(r"^\s*(?:สวัสดี|หวัดดี|ดีจ้า|hello|hi)\s*(?:ครับผม|ครับ|ค่ะ|คะ|ค่า|จ้า|จ้ะ|นะ)*[\s,!.]*",
                      re.IGNORECASE)
"""A greeting before the request ("สวัสดีครับ อยากทำโครงการ…"): not part of it."""
REQUEST = re.compile(r"(?:ฉัน|ผม|หนู|เรา|ดิฉัน|พวกเรา)?\s*(?:อยากจะ|อยาก|ขอ|จะ|ต้องการ)?\s*"
                     r"(?:เสนอ|ยื่น|ส่ง|ทำ)\s*(?:โครงการ|โปรเจกต์|โปรเจค|ไอเดีย|ข้อเสนอ)")
"""Asking to propose a project, wherever in the message it is said ("งบ 5,000 บาท อยากทำโครงการลานกีฬา…")."""
NAME_LABEL = re.compile(r"(?:ชื่อโครงการ|โครงการชื่อ)\s*(?:คือ|ว่า)?\s*:?\s*")
AFTER_REQUEST = re.compile(r"(?:\s*(?:นะคะ|นะครับ|ครับผม|ครับ|ค่ะ|คะ|จ้า|[,.:!]))*\s*(?:(?:ชื่อ|เรื่อง|เกี่ยวกับ)\s*(?:คือ|ว่า)?"
                           r"\s*:?\s*)?")
"""What may come between the request and the name: particles, "ชื่อ", "เรื่อง"."""
NO_TITLE = re.compile(r"(?:แต่)?\s*(?:ยังไม่ได้ตั้งชื่อ|ยังไม่ได้คิดชื่อ|ยังไม่มีชื่อ|ไม่รู้จะตั้งชื่อ(?:อะไร)?|ยังคิดชื่อไม่ออก|คิดชื่อไม่ออก"
                      r"|ชื่อยังไม่(?:ได้)?(?:มี|คิด|ตั้ง))(?:โครงการ)?(?:ดี|เลย)?\s*(?:นะคะ|นะครับ|ครับ|ค่ะ|คะ|จ้า)?")
"""No name yet ("ยังไม่ได้ตั้งชื่อค่ะ"): not a title; one is asked for, with a suggestion from the plan."""
PARTICLE = re.compile(r"(?:นะครับ|นะคะ|ครับผม|ครับ|ค่ะ|คะ|จ้า|จ้ะ)(?=\s|$|[,.!:])")
TITLE_END = re.compile(r"(?:ใน|ที่)ชุมชน|(?:ให้|เพื่อ(?!น|สุขภาพ(?:$|\s|นะ|ค่ะ|ครับ|คะ))|สำหรับ|โดย|ซึ่ง|เนื่องจาก|เพราะ|ตอนนี้)|\s*(?:นะครับ|นะคะ|ครับ|ค่ะ)"
                       r"|[,.!]|\s")
"""Where a project's name ends and the telling begins: "สวนผักคนเมือง|ในชุมชน…", "…|ให้ผู้สูงอายุ…" (a name
ending in "เพื่อสุขภาพ" is whole: "จักรยานเพื่อสุขภาพ")."""
NAMED_END = re.compile(r"\s*(?:นะครับ|นะคะ|ครับ|ค่ะ)|[,!]|\s")
"""Where a name given after "ชื่อ" ends: "ปั่นจักรยานเพื่อสุขภาพ| ครับ" (its words are all the name's)."""
MIN_TITLE, MAX_SHORT_TITLE = 3, 60
HONORIFIC = r"(?:คุณ|ป้า|ลุง|พี่|น้า|ยาย|ตา(?!ม)|แม่|พ่อ|ครู|หมอ|อาจารย์|ประธาน)"
"""How a contact is named ("ป้าแดง", "คุณสมศรี", "ครูสมศรี"): a name without one is not told from other words."""
NOT_SURNAME = r"(?!ได้|ที่|เบอร์|โทร|นะ|ค่ะ|คะ|ครับ|จ้า|ตอน|ช่วง|เวลา|หลัง|ก่อน|ทุก|วัน|เช้า|เย็น|บ่าย|กลาง|ค่ำ)"
"""Words after a name that are not its surname ("ป้าแดง ได้ที่…", "คุณสมศรี ตอนเย็น")."""
CONTACT_PERSON = rf"{HONORIFIC}\s*[ก-๙]{{2,12}}?(?:\s+{NOT_SURNAME}[ก-๙]{{2,15}}?)?"
"""A contact's name, a surname maybe ("คุณสมศรี ใจดี"); its shortest reading that lets the phone follow."""
PHONE_LABELS = (rf"(?:ผู้)?(?:ติดต่อ(?:ได้)?(?:ที่)?|ประสานงาน)\s*(?:(?P<person>{CONTACT_PERSON})\s*(?:ได้)?(?:ที่)?\s*"
                r"(?:(?:เบอร์|โทร(?:ศัพท์)?)\.?\s*)?)?"
                r"|เบอร์\s*(?:โทร(?:ศัพท์)?)?\.?\s*(?:ติดต่อ)?|โทร(?:ศัพท์)?\.?|tel\.?")
PHONE_LABEL = re.compile(rf"(?:{PHONE_LABELS})\s*(?:ที่)?\s*(?:เบอร์)?\s*:?\s*$", re.IGNORECASE)
PHONE_SAID = re.compile(rf"(?:{PHONE_LABELS})\s*(?:ที่)?\s*(?:เบอร์)?\s*:?\s*(?P<number>\+?[0-9](?:[\s\-.()]?[0-9])*)",
                        re.IGNORECASE)
"""A number said as the phone ("เบอร์ 08123", "โทร 081-234-567"): the phone, even when it is not a valid one; the
name said with it ("ติดต่อป้าแดง 0812345678"): its contact's."""
COUNT_LABEL = re.compile(r"(?:(?:ผู้|คน)เข้าร่วม(?:โครงการ)?|จำนวน(?:ผู้เข้าร่วม|คน)?|คาดว่า(?:จะ)?มี|มีคน)?\s*:?\s*"
                         r"(?:ประมาณ|ราว\s*ๆ?|สัก|กว่า|ทั้งหมด)?\s*(?:รวม)?\s*$")
MONEY_LABEL = re.compile(r"(?:งบ(?:ประมาณ)?(?:ที่)?(?:ใช้|ขอ|ต้องการ)?|ค่า[ก-๙]{1,16})?\s*:?\s*"
                         r"(?:ประมาณ|ราว\s*ๆ?|รวม|ทั้งหมด|สัก|แค่|ไม่เกิน)?\s*$")
FUND = re.compile(r"(?:(?:(?:อยาก)?ขอ|ใช้)\s*(?:ทุน|งบ(?:ประมาณ)?)?\s*(?:จาก)?\s*|(?:แหล่ง)?ทุน\s*(?:จาก|คือ)?\s*:?\s*)?"
                  r"(?P<fund>(?:กองทุน\s*)?ชุมชนเข้มแข็ง|สสส\.?"
                  r"|กองทุน\s*(?:หลักประกันสุขภาพ|สุขภาพ)?\s*(?:กทม\.?|กรุงเทพ(?:มหานคร|ฯ)?|ฯ"
                  r"|เขต(?:\s?[ก-๙]{2,16}(?=[\s,.]|$))?)?)")
"""A fund by name, or "กองทุน" alone after "ขอ…จาก" ("ขอจากกองทุนฯ"; "กองทุนขยะ" is a project's name); the
district's fund ("กองทุนสุขภาพเขต", "กองทุนสุขภาพเขตลาดพร้าว") is Bangkok's health fund, its words all the fund's."""
FUND_UNSURE = re.compile(r"(?:ยัง)?ไม่(?:รู้|แน่ใจ|ทราบ)(?:ว่า)?จะ(?:ขอ|ใช้)?\s*(?:ทุน|งบ)\s*(?:จาก)?\s*(?:ที่)?\s*(?:ไหน|แหล่งไหน|ใคร)"
                         r"(?:ดี)?|(?:ยัง)?ไม่(?:รู้|แน่ใจ|ทราบ)(?:เรื่อง)?(?:แหล่ง)?ทุน")
"""No fund in mind ("ไม่รู้จะขอทุนที่ไหน"): the form's "ไม่แน่ใจ"."""
COMMUNITY = re.compile(r"(?:(?:ใน|ที่|ของ)?ชุมชน\s*:?\s*(?P<name>[^\s,]+(?:\s*[0-9]+)?)"
                       r"|(?:ที่|ใน|แถว|ย่าน)(?P<place>[^\s,]+(?:\s*[0-9]+)?))")
"""A community named ("ในชุมชนพลับพลา", "ชุมชน: ร่มเย็น"), or a place that is one ("ที่ลาดพร้าว101")."""
TARGET_WORDS = (
    ("children", r"เด็ก|เยาวชน|วัยรุ่น|นักเรียน|นักศึกษา|ลูกหลาน"),
    ("elderly", r"สูงอายุ|สูงวัย|คนแก่|คนชรา|ผู้เฒ่า|ตายาย|ปู่ย่า"),
    ("disabled", r"พิการ|ทุพพลภาพ|ติดเตียง|ติดบ้าน|ภาวะพึ่งพิง"),
    ("homeless", r"ไร้บ้าน|ไร้ที่พึ่ง"),
    ("informal_workers", r"แรงงาน|หาบเร่|แผงลอย|วินมอ|ค้าขาย|รับจ้าง"),
    ("working_age", r"วัยทำงาน|คนทำงาน|พนักงาน|มนุษย์เงินเดือน"),
    ("families", r"ครอบครัว|ครัวเรือน|พ่อแม่|ทุกบ้าน|ผู้ปกครอง"),
)
"""Everyday words for the seven beneficiary groups of seed 001 ("เด็กเล็ก" is เด็กและเยาวชน; "ผู้ป่วยติดเตียง",
who cannot get about on their own, are with คนพิการ)."""
TARGET_LABEL = re.compile(r"(?:กลุ่ม)?เป้าหมาย(?:หลัก)?\s*(?:คือ|เป็น)?\s*:?\s*(?P<who>[^\s,0-9]+"
                          r"(?:\s*(?:,|และ|กับ|หรือ)\s*(?=กลุ่ม|ผู้|คน|ชาว|" + "|".join(words for _key, words in TARGET_WORDS)
                          + r")[^\s,0-9]+)*)")
"""The group labelled as the target, and the groups said with it ("กลุ่มเป้าหมาย ผู้สูงอายุ และเด็ก")."""
GROUP_ALONE = re.compile(r"^(?:ผู้ป่วย|ผู้|คน|กลุ่ม|ชาว)?(?:" + "|".join(words for _key, words in TARGET_WORDS) + ")")
"""A word that is a group by itself ("ผู้สูงอายุ", "เด็ก"), not the end of a sentence ("จะชวนผู้สูงอายุ")."""
GROUPS_APART = re.compile(r"\s*(?:,|/|และ|กับ|หรือ|รวมถึง|รวมทั้ง|ทั้ง|[0-9๐-๙][0-9๐-๙,]*\s*(?:คน|ท่าน|ราย)?)\s*|\s+")
"""Between groups said together: "ผู้สูงอายุและเด็ก", "ผู้สูงอายุ 20 คน เด็ก 10 คน", "กลุ่มเปราะบางกับผู้พิการ"."""
GROUP_LIKE = re.compile(r"^(?:กลุ่ม|ผู้|คน|ชาว)[ก-๙]{2,}")
"""Words that name a group of people, one not among the seven ("กลุ่มเปราะบาง", "ผู้ป่วยเบาหวาน")."""
NOT_A_GROUP = re.compile(r"ชุมชน|ทุกวัย|ทุกกลุ่ม|ทุกคน|ทั่วไป|^(?:กลุ่ม|ผู้|คน)?เป้าหมาย")
TARGET_FOR = re.compile(r"(?:(?:ทำ|จัด)\s*)?(?:เพื่อ|สำหรับ)\s*(?P<who>(?=" + GROUP_ALONE.pattern.removeprefix("^")
                        + r")[^\s,0-9]+(?:\s*(?:,|และ|กับ|หรือ)\s*(?=กลุ่ม|ผู้|คน|ชาว|"
                        + "|".join(words for _key, words in TARGET_WORDS) + r")[^\s,0-9]+)*)")
"""The group a project is for, said naturally ("ทำเพื่อผู้สูงอายุและเด็ก", "สำหรับคนพิการ"): read when no group is
labelled; "เพื่อให้…", "เพื่อสุขภาพ" name no group."""
GROUP_TAIL, MAX_GROUP = 4, 15
"""Letters a group word may carry after it and still be only the group ("เด็กเล็ก", "เด็กๆ"); the longest group not
on the list ("กลุ่มเปราะบาง")."""


def groups_said(text: str | None) -> tuple[list[str], list[str]]:
    """The beneficiary groups a text names, in the order said (keys), and the words of groups it names that are
    not among them ("กลุ่มเปราะบาง"): "ผู้สูงอายุและเด็ก" → (["elderly", "children"], [])."""
    keys: list[str] = []
    others: list[str] = []
    for part in GROUPS_APART.split(light_normalize(text or "")):
        part = PARTICLE_END.sub("", part.strip())
        named = sorted((m.start(), key) for key, words in TARGET_WORDS if (m := re.search(words, part)))
        if named and named[0][1] not in keys:
            keys.append(named[0][1])
        elif not named and GROUP_LIKE.match(part) and not NOT_A_GROUP.search(part) and part not in others:
            others.append(part)
    return keys, others


OWN_COMMUNITY = re.compile(r"(?:ใน|ที่)ชุมชน\s*(?:ของ)?\s*(?:พวกเรา|บ้านเรา|เรา|ฉัน|ผม|หนู|ดิฉัน|ตัวเอง)"
                           r"(?:เอง|นี่|นี้)?")
"""The writer's own community ("ในชุมชนเรา", "ที่ชุมชนของเรา")."""
INTRO = re.compile(r"(?:(?:ผม|ดิฉัน|หนู|ฉัน|เรา|พี่)\s*)?(?:เป็น|คือ)\s*(?:ประธาน|แกนนำ|กรรมการ|อสม\.?|ผู้นำ|ผู้ใหญ่บ้าน)[ก-๙.]*")
"""Who is writing ("ผมเป็นประธานชุมชน…"): neither the problem nor the plan."""
PROBLEM_CUES = re.compile(r"ปัญหา|ตอนนี้|ปัจจุบัน|เพราะ|เนื่องจาก|ห่วง|กังวล|ขาด|ไม่มี|เสี่ยง|เยอะ|มาก|น้อย|เจ็บป่วย|ป่วย"
                          r"|หลายคน|ไม่รู้ตัว|เป็นโรค|ติดเกม|ปวด")
PLAN_CUES = re.compile(r"^(?:ให้|จะ|อยาก|เพื่อ(?!น)|โดย|จัด|ทำ|สอน|ปลูก|ชวน|อบรม|สร้าง|ซ่อม)")
PROBLEM_LABEL = re.compile(r"^ปัญหา(?:ที่พบ|ของชุมชน)?(?:คือ|ก็คือ)?\s*:?")
PLAN_LABEL = re.compile(r"^(?:วิธีทำ|วิธีการ|สิ่งที่จะทำ|แผน(?:งาน)?|กิจกรรม(?:ที่จะทำ)?|จะทำ(?=\s*:))(?:คือ)?\s*:?")
"""A line's label ("ปัญหา: …", "ปัญหาคือ…", "วิธีทำ …"): which of the two it tells, not part of it."""
TOLD_APART = re.compile(r"(?<=[ก-๙])(?=ตอนนี้|ปัจจุบัน|เพราะ|เนื่องจาก)")
"""Where a message typed without spaces turns from the plan to the problem ("…ด้วยกัน|ตอนนี้คนอ้วนเยอะ")."""
FILLER = {"คือ", "แต่", "และ", "แล้วก็", "ก็", "นะ", "ค่ะ", "ครับ", "แล้ว", "โดยที่", "ซึ่ง", "ส่วน", "หรือ"}


@dataclass
class Told:
    """What one message says of the One Plan (None: not said, or not plainly)."""

    title: str | None = None
    title_hint: str | None = None
    """A title cut from a message with no clear end of the name, or one made from the plan when the message
    says it has no name yet: offered as a chip, not taken."""
    no_title: bool = False
    """"ยังไม่ได้ตั้งชื่อ": the name is asked for (those words are not one)."""
    community_id: int | None = None
    communities_alike: list[int] | None = None
    community_said: str | None = None
    """The name of a community not on the list ("ในชุมชนพลับพลา" → "พลับพลา"): said back where the community is asked,
    not left in the plan."""
    """A name several communities share ("ที่ลาดพร้าว"): which of them is asked, the name not left in the plan."""
    target_group: str | None = None
    participants: int | None = None
    budget: int | None = None
    funding_source: str | None = None
    phone: str | None = None
    phone_said: str | None = None
    """The number as typed after "เบอร์"/"โทร"/"ติดต่อ", valid or not: the flow checks it as the phone step does."""
    contact_name: str | None = None
    """The name said with the phone ("ติดต่อคุณสมศรี 081-…" → "คุณสมศรี"): who staff call."""
    groups_also: list[str] = field(default_factory=list)
    """Groups said besides the target group kept (keys, or the words of a group not on the list, "กลุ่มเปราะบาง"):
    a project has one, the first said; the others are told as not kept."""
    budget_items: str | None = None
    """A breakdown told ("ค่าเมล็ดพันธุ์ 5,000 ค่าวิทยากร 12,000"): kept with the plan, as at the budget step."""
    problem: str | None = None
    plan: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def details(self) -> list[str]:
        """The fields read besides the title (flow-data names)."""
        said = {"community": self.community_id, "target_group": self.target_group, "participants": self.participants,
                "budget": self.budget, "funding_source": self.funding_source, "phone": self.phone_said or self.phone,
                "contact_name": self.contact_name, "problem": self.problem, "plan": self.plan}
        return [name for name, value in said.items() if value is not None]


def without_greeting(text: str) -> str:
    return GREETING.sub("", text or "", count=1)


def _phone_spans(t: str, told: Told) -> None:
    for m in _PHONE_CANDIDATE.finditer(t):
        phone = parse_phone(m.group(0))
        if phone is None:
            continue
        label = PHONE_LABEL.search(t[max(0, m.start() - 40):m.start()])
        start = m.start() - (len(label.group(0)) if label else 0)
        told.spans.append((start, m.end()))
        if told.phone is None:
            told.phone, told.phone_said = phone, m.group(0).strip()
            told.contact_name = _person(label)
    if told.phone is not None:
        return
    for m in PHONE_SAID.finditer(_masked(t, told.spans)):  # "เบอร์ 08123": a phone, to be asked again
        digits = re.sub(r"\D", "", m["number"])
        if len(digits) >= 6 or (digits.startswith("0") and len(digits) >= 2):  # not "โทร 1669": a hotline
            told.spans.append(m.span())
            told.phone_said = m["number"]
            told.contact_name = _person(m)
            return


def _person(label: re.Match[str] | None) -> str | None:
    """The contact's name in a phone's label, without the particles typed after it ("ป้าแดงค่ะ")."""
    said = label["person"] if label is not None else None
    return PARTICLE_END.sub("", " ".join(said.split())) or None if said else None


STEP_LABEL = re.compile(r"(?:ผู้)?(?:ติดต่อ|ประสานงาน)(?:ได้)?(?:ที่)?|ชื่อ(?:ผู้ติดต่อ)?|เบอร์(?:โทร(?:ศัพท์)?)?|โทร(?:ศัพท์)?"
                        r"|มือถือ|tel\.?|[:()\[\],.]", re.IGNORECASE)
NUMBER_RUN = re.compile(r"\+?[0-9๐-๙](?:[\s\-.()]?[0-9๐-๙])*")
PERSON_WORD = re.compile(rf"^{HONORIFIC}[ก-๙]{{2,12}}$")
NAMED_AS = re.compile(r"ชื่อ(?:ผู้ติดต่อ)?\s*:?\s*(?P<name>[ก-๙A-Za-z]{2,20}?)(?=\s|$|[0-9๐-๙,]|เบอร์|โทร|นะ|ค่ะ|คะ|ครับ|จ้า)")


def words_besides_phone(text: str | None) -> list[str]:
    """The words typed with a phone, its number and labels ("เบอร์", "ติดต่อ", "ชื่อ") and the particles left out."""
    t = STEP_LABEL.sub(" ", NUMBER_RUN.sub(" ", light_normalize(text or "")))
    words = [PARTICLE_END.sub("", word) for word in t.split()]
    return [word for word in words if word and not PARTICLE.fullmatch(word)]


def contact_name_in(text: str | None) -> str | None:
    """The name typed with a phone at the phone step: "คุณสมศรี 081-234-5678", "0812345678 ป้าแดงค่ะ", "ติดต่อป้าแดง
    0812345678", "ชื่อสมศรี 081…"; with a surname when that is all besides the number ("คุณสมศรี ใจดี 081…")."""
    named = NAMED_AS.search(light_normalize(text or ""))
    words = words_besides_phone(text)
    if named is not None and not PARTICLE.fullmatch(named["name"]):
        return PARTICLE_END.sub("", named["name"]) or None
    surname = len(words) == 1 or (len(words) == 2 and re.match(NOT_SURNAME + r"[ก-๙]{2,15}$", words[1]))
    if surname and PERSON_WORD.match(words[0]):
        return " ".join(words)  # the name (and a surname), nothing else said
    return next((word for word in words if PERSON_WORD.match(word)), None)


def _masked(t: str, spans: list[tuple[int, int]]) -> str:
    out = list(t)
    for start, end in spans:
        out[start:end] = " " * (end - start)
    return "".join(out)


PEOPLE = re.compile(r"\s*(?:คน(?!เดียว)|ท่าน|ราย)")
"""A number of people ("40 คน"); not "ที่" (seats: "ใจเกินร้อย ที่ชุมชน…" was 100 people)."""


def _counts(t: str, told: Told) -> None:
    """People: numbers with their unit (คน, ท่าน …), several groups side by side as one ("เด็ก 30 คน ผู้ปกครอง 10 คน")."""
    found = []
    for start, end, value in iter_numbers(t):
        unit = PEOPLE.match(t, end)
        if unit and float(value).is_integer() and 0 < value <= 100_000:
            found.append((start, unit.end()))
    if not found:
        return
    first, last = found[0], found[0]
    for span in found[1:]:
        if span[0] - last[1] > 24:
            break
        last = span
    label = COUNT_LABEL.search(t[max(0, first[0] - 30):first[0]])
    start = first[0] - (len(label.group(0)) if label else 0)
    told.participants = parse_count(t[start:last[1]])
    group = re.search(r"\S+(?=\s{0,2}$)", t[:start]) if first[0] - start <= 2 and not t[start:first[0]].strip() else None
    said = [key for key, words in TARGET_WORDS if group and _ends_with_group(group.group(0), words)]
    if said and told.target_group is None:  # one group a project: the first of several, the others told
        keys, _ = groups_said(t[group.start():last[1]])  # "ผู้สูงอายุ 20 คน และเด็ก 10 คน"
        keys = [said[0], *(key for key in keys if key != said[0])]
        told.target_group, told.groups_also = keys[0], keys[1:]
    if said and GROUP_ALONE.match(group.group(0)):  # the groups and their counts: none of it the plan
        told.spans.append((group.start(), last[1]))
    elif said:  # said in a sentence ("จะชวนผู้สูงอายุ 20 คน และเด็ก 10 คน มา…"): only the counts leave it
        told.spans += [(start, first[1])] + [span for span in found[1:] if span[1] <= last[1]]
    else:
        told.spans.append((start, last[1]))


def _ends_with_group(word: str, group: str) -> bool:
    """Whether `word`, said just before a count, ends by naming the group ("ผู้สูงอายุ", "จะชวนเด็กๆ", not
    "เด็กติดเกมกันเยอะ"): who the count is of."""
    said = [m.end() for m in re.finditer(group, word)]
    return bool(said) and len(word) - said[-1] <= 4


def _money(t: str, told: Told) -> None:
    """Baht: a number with บาท, or after งบ; a breakdown with its total ("… รวม 27,000 บาท")."""
    found = []
    for start, end, value in iter_numbers(t):
        unit = _MONEY_UNIT.match(t, end)
        after_budget = re.search(r"(?:งบ(?:ประมาณ)?|ค่า[ก-๙]{0,12})\s*:?\s*(?:ประมาณ|ราว\s*ๆ?|รวม|ทั้งหมด|สัก|แค่|ไม่เกิน)?\s*$",
                                 t[max(0, start - 24):start])
        if (unit or after_budget) and value >= 1:
            found.append((start, unit.end() if unit else end))
    if not found:
        return
    said = []
    for start, end in found:  # each amount with its label ("งบประมาณ", "ค่าวิทยากร"), wherever it is said
        label = MONEY_LABEL.search(t[max(0, start - 30):start])
        start -= len(label.group(0)) if label else 0
        said.append(t[start:end])
        told.spans.append((start, end))
    told.budget = parse_money(" ".join(said))  # a breakdown: its total said, else its items' sum
    if sum(part.startswith("ค่า") for part in said) >= 2:
        told.budget_items = " ".join(said)


def _fund(t: str, told: Told, funds: dict[str, str]) -> None:
    unsure = FUND_UNSURE.search(t)
    if unsure is not None and "unsure" in funds:
        told.funding_source = "unsure"
        told.spans.append(unsure.span())
        return
    m = next((m for m in FUND.finditer(t) if m["fund"].rstrip("ฯ ") != "กองทุน" or m.start() < m.start("fund")), None)
    if m is None:
        return
    said = "".join(m["fund"].split())
    key = ("thaihealth" if said.startswith("สสส") else "strong_community" if "เข้มแข็ง" in said
           else "bkk_health_fund")
    if key in funds:
        told.funding_source = key
        told.spans.append(m.span())


Found = int | list[int] | None
"""What a community finder gives for a phrase: the community's id, the ids of those sharing the name, or None."""


def _community(t: str, told: Told, find: Callable[[str], Found] | None, home: int | None) -> None:
    """The first community named: "ในชุมชนพลับพลา", "ที่ลาดพร้าว101"; only its name is taken, not the words after it.
    None on the list: a name said after "ในชุมชน" is kept to be said back ("ไม่พบ…"). "ในชุมชนเรา": `home`, the
    writer's own community, when they have one."""
    if find is None:
        return
    unknown = None
    for m in COMMUNITY.finditer(t):
        if t[max(0, m.start() - 2):m.start()].endswith("คน"):  # "คนในชุมชน…": the people, not a name
            continue
        own = OWN_COMMUNITY.match(t, m.start())
        if own is not None:
            if home is None:  # no community of their own: where is asked, the words left as they are
                continue
            told.community_id = home
            told.spans.append(own.span())
            return
        group = "name" if m["name"] is not None else "place"
        found = find(f"ชุมชน{m[group]}")
        if found is None:
            unknown = unknown or _unknown(t, m)
            continue
        if isinstance(found, list):
            told.communities_alike = found
        else:
            told.community_id = found
        told.spans.append((m.start(), m.start(group) + _name_length(m[group], found, find)))
        return
    if unknown is not None:
        told.community_said = PARTICLE_END.sub("", unknown["name"]) or None
        told.spans.append(unknown.span())


PARTICLE_END = re.compile(r"(?:นะครับ|นะคะ|ครับผม|ครับ|ค่ะ|คะ|จ้า|จ้ะ)$")
NOT_A_NAME = re.compile(r"^(?:ของ|เรา|นี้|นี่|นั้น|ฉัน|ผม|หนู|ตัวเอง|ใกล้|แถว|ต่าง|อื่น|เดิม|เดียวกัน)")
"""Words after "ในชุมชน" that are not a name ("ในชุมชนเรา", "ในชุมชนของเรา", "ชุมชนใกล้เคียง")."""


def _unknown(t: str, m: re.Match[str]) -> re.Match[str] | None:
    """`m` when it is a name after "ในชุมชน"/"ที่ชุมชน" (or "ชุมชน:"), one word with a space after it, even if no
    community on the list has it; else None (a run-on text: where the name ends is not known)."""
    name, end = m["name"], m.end()
    if (name is None or not 2 <= len(name) <= 20 or NOT_A_NAME.match(name)
            or not re.match(r"(?:ใน|ที่)|ชุมชน\s*:", t[m.start():])
            or (end < len(t) and not t[end].isspace() and t[end] not in ",.")):
        return None
    return m


def _name_length(said: str, found: Found, find: Callable[[str], Found]) -> int:
    """How much of `said` is the community's name: "พลับพลา|ให้คนในชุมชน…" (words glued on after it are not)."""
    from nlp.features import words

    at = 0
    for word in words(said):
        at = said.index(word, at) + len(word)
        if find(f"ชุมชน{said[:at]}") == found:
            return at
    return len(said)


def _target(t: str, told: Told) -> None:
    """The group labelled as the target ("กลุ่มเป้าหมาย ผู้สูงอายุ"); of several ("ผู้สูงอายุและเด็ก", "กลุ่มเปราะบางกับ
    ผู้พิการ"), the first on the list, the others kept to be told as not kept."""
    m = TARGET_LABEL.search(t)
    if m is None:
        return
    keys, others = groups_said(m["who"])
    if keys:
        told.target_group, told.groups_also = keys[0], keys[1:] + others
        told.spans.append(m.span())


def _target_for(t: str, told: Told) -> None:
    """The group the project is said to be for, as words of their own ("… ทำเพื่อผู้สูงอายุและเด็ก …"), when none is
    labelled: the first kept, the others told (not inside a name: "ลานเล่นสำหรับเด็ก"); the words leave the plan
    when they are only the groups."""
    if told.target_group is not None:
        return
    m = next((m for m in TARGET_FOR.finditer(t) if m.start() == 0 or t[m.start() - 1].isspace()), None)
    keys, others = groups_said(m["who"]) if m else ([], [])
    if not keys:
        return
    told.target_group, told.groups_also = keys[0], keys[1:] + others
    if _only_groups(m["who"]):
        told.spans.append(m.span())


def _only_groups(said: str) -> bool:
    """Whether each part of `said` is a group's word and nothing more ("ผู้สูงอายุและเด็ก", "กลุ่มเปราะบาง"; not
    "เด็กจะปลูกผัก")."""
    parts = [PARTICLE_END.sub("", part.strip()) for part in GROUPS_APART.split(said) if part and part.strip()]
    return all(((m := GROUP_ALONE.match(part)) is not None and len(part) - m.end() <= GROUP_TAIL)
               or (GROUP_LIKE.match(part) is not None and not NOT_A_GROUP.search(part) and len(part) <= MAX_GROUP)
               for part in parts)


def _title_start(t: str, told: Told) -> tuple[int, bool]:
    """Where the name starts (after "ชื่อโครงการ", after the request, else at the first word not read as another
    field), and whether it was given after "ชื่อ"."""
    masked = _masked(t, told.spans)
    label = NAME_LABEL.search(masked)
    request = REQUEST.search(masked)
    if label is not None:
        told.spans.append(label.span())
        if request is not None and request.end() <= label.start():  # "เสนอโครงการค่ะ ชื่อโครงการ: …"
            told.spans.append(request.span())
        return label.end(), True
    if request is not None:
        after = AFTER_REQUEST.match(masked, request.end())
        told.spans.append((request.start(), after.end()))
        named = bool(re.search(r"(?:ชื่อ|เรื่อง)", masked[request.end():after.end()]))
        return after.end(), named
    return len(masked) - len(masked.lstrip(" ,.:")), False


FIELD_LABEL = re.compile(r"(?:ปัญหา|วิธีทำ|วิธีการ|สิ่งที่จะทำ|แผน|กิจกรรม|จะทำ|ชุมชน|กลุ่มเป้าหมาย|เป้าหมาย|งบ)\s*(?:คือ)?\s*:")
"""A line's label where the name would be ("อยากทำโครงการ\nปัญหา: …"): no name was given."""


def _title(t: str, told: Told) -> None:
    """The name, up to where the telling begins (or the next thing read as another field)."""
    start, named = _title_start(t, told)
    masked = _masked(t, told.spans)
    start += len(masked[start:]) - len(masked[start:].lstrip(" ,.:"))
    rest = masked[start:]
    if not named and FIELD_LABEL.match(rest):  # the telling starts straight away: the name is asked for
        told.no_title = True
        return
    cut = len(rest)
    for m in (NAMED_END if named else TITLE_END).finditer(rest):
        if m.start() >= MIN_TITLE:
            cut = m.start()
            break
    title = rest[:cut].strip(" :\"“”'")
    if MIN_TITLE <= len(title) <= MAX_SHORT_TITLE:
        told.title = title
        told.spans.append((start, start + cut))
    else:
        told.title_hint = short_title(title or t[start:])


HINT_LENGTH = 40


def short_title(text: str, limit: int = HINT_LENGTH) -> str | None:
    """The start of a long name, whole words only (it was cut mid-word), to offer as a shorter one."""
    from nlp.features import words

    out = ""
    for chunk in (text or "").split():
        for word in words(chunk):
            if len(out) + len(word) > limit:
                return out.strip() or None
            out += word
        out += " "
    return out.strip() or None


PLAN_LEAD = re.compile(r"^(?:อยากจะ|อยาก|จะ|ทำ(?!ให้))\s*")


def title_from_plan(plan: str | None) -> str | None:
    """A name to suggest when there is none yet: what will be done, its first words ("จะชวนผู้สูงอายุรำไม้พลอง…")."""
    first = PLAN_LEAD.sub("", (plan or "").strip().split("\n")[0]).split(" ")[0] if plan else ""
    return short_title(first) if len(first) >= MIN_TITLE else None


def _description(text: str, told: Told) -> None:
    """What is left, told as the problem (what is wrong now) and the plan (what they will do)."""
    text = TOLD_APART.sub(" ", INTRO.sub(" ", PARTICLE.sub(" ", text)))
    problem: list[str] = []
    plan: list[str] = []
    last = plan
    for said in (c.strip(" ,.") for c in text.split()):
        chunk = said.strip(" ,.:")
        if (label := PROBLEM_LABEL.match(said)) and label.group(0):
            last, chunk = problem, said[label.end():].strip(" ,.:")
        elif (label := PLAN_LABEL.match(said)) and label.group(0):
            last, chunk = plan, said[label.end():].strip(" ,.:")
        elif PLAN_CUES.match(chunk):
            last = plan
        elif PROBLEM_CUES.search(chunk):
            last = problem
        if len(chunk) >= 2 and chunk not in FILLER:
            last.append(chunk)
    told.problem = " ".join(problem) or None
    told.plan = " ".join(plan) or None


def read_message(text: str, funds: dict[str, str], find_community: Callable[[str], Found] | None = None,
                 home: int | None = None) -> Told:
    """`text`: a message that tells a project, "อยากทำโครงการ…" said anywhere in it (or not at all, typed where
    the name is asked). Every field is read where it is said, in any order; the name after the request.
    `home`: the writer's community ("ในชุมชนเรา")."""
    told = Told()
    t = light_normalize(without_greeting(text))
    no_title = NO_TITLE.search(t)
    if no_title is not None:
        told.no_title = True
        told.spans.append(no_title.span())
    _phone_spans(t, told)
    _target(_masked(t, told.spans), told)  # a labelled group first: it is the one taken
    _target_for(_masked(t, told.spans), told)
    _counts(_masked(t, told.spans), told)
    _money(_masked(t, told.spans), told)
    _fund(_masked(t, told.spans), told, funds)
    _community(_masked(t, told.spans), told, find_community, home)
    if told.no_title:
        request = REQUEST.search(_masked(t, told.spans))
        if request is not None:
            told.spans.append(request.span())
    else:
        _title(t, told)  # may find there is none

    if told.title is not None or told.no_title:  # with no name to take, the whole text may be the name
        _description(_masked(t, told.spans), told)
    if told.no_title:
        told.title_hint = title_from_plan(told.plan)
    return told


def says_no_title(text: str) -> bool:
    """"ยังไม่ได้ตั้งชื่อค่ะ", "ไม่รู้จะตั้งชื่ออะไรดี" typed where the name is asked: no name yet."""
    return NO_TITLE.search(light_normalize(text or "")) is not None


def request_in(text: str) -> bool:
    """Whether the message asks to propose a project somewhere in it ("งบ 5,000 บาท อยากทำโครงการ…")."""
    return REQUEST.search(light_normalize(text or "")) is not None


def tells_more_than_a_title(told: Told, text: str) -> bool:
    """A message that tells the project (fields to prefill), not one that only names it."""
    plain = [name for name in told.details() if name not in ("problem", "plan", "community")]
    described = bool(told.problem or told.plan)  # and a community, or no name: "…ที่ลาดพร้าว101 ปลูกผักกินเอง"
    return bool(plain) or (described and (len(text) > LONG_NAME or told.no_title or told.community_id is not None
                                                  or bool(told.communities_alike or told.community_said)))


LONG_NAME = 80
"""Longer than this, a text with a name and more words after it is the project told, not its name."""


# --- a typed answer to staff's revision request ---------------------------------------------------------

NEW_NAME = re.compile(r"(?:ชื่อโครงการ\s*(?:ใหม่)?|(?:เปลี่ยน|แก้)\s*ชื่อ(?:โครงการ)?\s*(?:ใหม่)?|ชื่อใหม่)"
                      r"\s*(?:เป็น|คือ|ว่า)?\s*:?\s*(?P<value>[^\n]+)")
"""A new name said ("ขอเปลี่ยนชื่อเป็น สวนผักคนเมือง", "ชื่อโครงการ: …")."""
NEW_TEXT = re.compile(r"(?P<label>ปัญหา(?:ที่พบ)?|วิธีทำ|วิธีการ|สิ่งที่จะทำ|แผน(?:งาน)?|กิจกรรมที่จะทำ)\s*(?:ใหม่)?\s*"
                      r"(?:คือ|เป็น|ว่า)\s*:?\s*(?P<value>[^\n]+)|(?P<label2>ปัญหา(?:ที่พบ)?|วิธีทำ|วิธีการ|สิ่งที่จะทำ"
                      r"|แผน(?:งาน)?)\s*:\s*(?P<value2>[^\n]+)")
"""The problem or the plan said anew, with its label ("แผนใหม่คือ…", "วิธีทำ: …"): the rest of the line."""
BUDGET_WORD = re.compile(r"งบ")
"""An amount is the budget only when the budget is named ("งบขอเป็น 12,000 บาท"; not "ครัวเรือนละ 400 บาท")."""


def _said_value(value: str) -> str:
    return PARTICLE_END.sub("", value.strip(" :\"“”'")).strip(" :\"“”'")


def read_answer(text: str, funds: dict[str, str]) -> dict[str, object]:
    """The idea's fields a typed answer to staff's revision request names with a value ("งบขอเป็น 12,000 บาทครับ",
    "ผู้เข้าร่วม 40 คน", "ขอเปลี่ยนชื่อเป็น …", "แผนใหม่คือ…", "กลุ่มเป้าหมาย ผู้สูงอายุ", "โทร 081-…"), by the
    service's names; nothing for words that name no field ("หลังวัดค่ะ เจ้าอาวาสอนุญาตแล้ว")."""
    told = Told()
    t = light_normalize(without_greeting(text))
    _phone_spans(t, told)
    _target(_masked(t, told.spans), told)
    _counts(_masked(t, told.spans), told)
    _money(_masked(t, told.spans), told)
    _fund(_masked(t, told.spans), told, funds)
    out: dict[str, object] = {}
    if told.budget is not None and told.budget_items is None and BUDGET_WORD.search(t):
        out["budget"] = told.budget
    if told.participants is not None:
        out["participants"] = told.participants
    if told.phone is not None:
        out["contact_phone"] = told.phone
    if told.funding_source not in (None, "unsure"):
        out["funding_source"] = told.funding_source
    labelled = TARGET_LABEL.search(t)
    if told.target_group is not None and labelled is not None:
        out["target_group"] = told.target_group
    if (text_said := NEW_TEXT.search(t)) is not None:
        label = text_said["label"] or text_said["label2"]
        value = _said_value(text_said["value"] or text_said["value2"])
        if len(value) >= MIN_TITLE:
            out["problem" if label.startswith("ปัญหา") else "plan"] = value
    elif (named := NEW_NAME.search(t)) is not None and MIN_TITLE <= len(_said_value(named["value"])) <= 120:
        out["title"] = _said_value(named["value"])
    return out
