"""A project told in one message ("อยากทำโครงการสวนผักคนเมืองในชุมชนลาดพร้าว 80 … งบ 25,000 บาท … ติดต่อ 081-…"):
what of the One Plan it says, read only where it is said plainly (a number with its unit, a fund by name, a
phone), so the journey asks only for the rest and the summary shows all of it to confirm.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nlp.entities import _COUNT_UNIT, _MONEY_UNIT, _PHONE_CANDIDATE, parse_count, parse_money, parse_phone
from nlp.normalize import light_normalize
from nlp.numbers import iter_numbers

GREETING = re.compile(r"^\s*(?:สวัสดี|หวัดดี|ดีจ้า|hello|hi)\s*(?:ครับผม|ครับ|ค่ะ|คะ|ค่า|จ้า|จ้ะ|นะ)*[\s,!.]*",
                      re.IGNORECASE)
"""A greeting before the request ("สวัสดีครับ อยากทำโครงการ…"): not part of it."""
PARTICLE = re.compile(r"(?:นะครับ|นะคะ|ครับผม|ครับ|ค่ะ|คะ|จ้า|จ้ะ)(?=\s|$|[,.!])")
TITLE_END = re.compile(r"(?:ใน|ที่)ชุมชน|(?:ให้|เพื่อ(?!น)|สำหรับ|โดย|ซึ่ง|เนื่องจาก|เพราะ|ตอนนี้)|\s*(?:นะครับ|นะคะ|ครับ|ค่ะ)"
                       r"|[,.!]|\s")
"""Where a project's name ends and the telling begins: "สวนผักคนเมือง|ในชุมชน…", "…|ให้ผู้สูงอายุ…"."""
MIN_TITLE, MAX_SHORT_TITLE = 3, 60
PHONE_LABEL = re.compile(r"(?:ติดต่อ(?:ได้)?(?:ที่)?|เบอร์\s*(?:โทร(?:ศัพท์)?)?\s*(?:ติดต่อ)?|โทร(?:ศัพท์)?|tel\.?)"
                         r"\s*(?:ที่)?\s*(?:เบอร์)?\s*:?\s*$", re.IGNORECASE)
COUNT_LABEL = re.compile(r"(?:(?:ผู้|คน)เข้าร่วม(?:โครงการ)?|จำนวน(?:ผู้เข้าร่วม|คน)?|คาดว่า(?:จะ)?มี|มีคน)?\s*"
                         r"(?:ประมาณ|ราว\s*ๆ?|สัก|กว่า|ทั้งหมด)?\s*(?:รวม)?\s*$")
MONEY_LABEL = re.compile(r"(?:งบ(?:ประมาณ)?(?:ที่)?(?:ใช้|ขอ|ต้องการ)?|ค่า[ก-๙]{1,16})?\s*(?:ประมาณ|ราว\s*ๆ?|รวม|ทั้งหมด)?"
                         r"\s*$")
FUND = re.compile(r"(?:(?:อยาก)?ขอ\s*(?:ทุน|งบ(?:ประมาณ)?)?\s*(?:จาก)?\s*)?"
                  r"(?P<fund>กองทุน\s*(?:หลักประกันสุขภาพ|สุขภาพ)?\s*(?:กทม\.?|กรุงเทพ(?:มหานคร|ฯ)?)?|สสส\.?"
                  r"|(?:กองทุน)?ชุมชนเข้มแข็ง)")
COMMUNITY = re.compile(r"(?:ใน|ที่)?ชุมชน\s*(?P<name>[^\s,]+(?:\s*[0-9]+)?)")
PROBLEM_CUES = re.compile(r"ปัญหา|ตอนนี้|ปัจจุบัน|เพราะ|เนื่องจาก|ห่วง|กังวล|ขาด|ไม่มี|เสี่ยง|เยอะ|มาก|น้อย|เจ็บป่วย|ป่วย")
PLAN_CUES = re.compile(r"^(?:ให้|จะ|อยาก|เพื่อ(?!น)|โดย|จัด|ทำ|สอน|ปลูก|ชวน|อบรม|สร้าง|ซ่อม)")


@dataclass
class Told:
    """What one message says of the One Plan (None: not said, or not plainly)."""

    title: str | None = None
    title_hint: str | None = None
    """A title cut from a message with no clear end of the name: offered as a chip, not taken."""
    community_id: int | None = None
    participants: int | None = None
    budget: int | None = None
    funding_source: str | None = None
    phone: str | None = None
    budget_items: str | None = None
    """A breakdown told ("ค่าเมล็ดพันธุ์ 5,000 ค่าวิทยากร 12,000"): kept with the plan, as at the budget step."""
    problem: str | None = None
    plan: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def details(self) -> list[str]:
        """The fields read besides the title (flow-data names)."""
        said = {"community": self.community_id, "participants": self.participants, "budget": self.budget,
                "funding_source": self.funding_source, "phone": self.phone, "problem": self.problem,
                "plan": self.plan}
        return [name for name, value in said.items() if value is not None]


def without_greeting(text: str) -> str:
    return GREETING.sub("", text or "", count=1)


def _phone_spans(t: str, told: Told) -> None:
    for m in _PHONE_CANDIDATE.finditer(t):
        phone = parse_phone(m.group(0))
        if phone is None:
            continue
        label = PHONE_LABEL.search(t[max(0, m.start() - 24):m.start()])
        start = m.start() - (len(label.group(0)) if label else 0)
        told.spans.append((start, m.end()))
        if told.phone is None:
            told.phone = phone


def _masked(t: str, spans: list[tuple[int, int]]) -> str:
    out = list(t)
    for start, end in spans:
        out[start:end] = " " * (end - start)
    return "".join(out)


def _counts(t: str, told: Told) -> None:
    """People: numbers with their unit (คน, ท่าน …), several groups side by side as one ("เด็ก 30 คน ผู้ปกครอง 10 คน")."""
    found = []
    for start, end, value in iter_numbers(t):
        unit = _COUNT_UNIT.match(t, end)
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
    told.spans.append((start, last[1]))


def _money(t: str, told: Told) -> None:
    """Baht: a number with บาท, or after งบ; a breakdown with its total ("… รวม 27,000 บาท")."""
    found = []
    for start, end, value in iter_numbers(t):
        unit = _MONEY_UNIT.match(t, end)
        after_budget = re.search(r"(?:งบ(?:ประมาณ)?|ค่า[ก-๙]{0,12})\s*(?:ประมาณ|ราว\s*ๆ?|รวม|ทั้งหมด)?\s*$",
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
    m = FUND.search(t)
    if m is None:
        return
    said = "".join(m["fund"].split())
    key = ("thaihealth" if said.startswith("สสส") else "strong_community" if "เข้มแข็ง" in said
           else "bkk_health_fund")
    if key in funds:
        told.funding_source = key
        told.spans.append(m.span())


def _community(t: str, told: Told, find: Callable[[str], int | None] | None) -> None:
    if find is None:
        return
    for m in COMMUNITY.finditer(t):
        if t[max(0, m.start() - 2):m.start()].endswith("คน"):  # "คนในชุมชน…": the people, not a name
            continue
        found = find(f"ชุมชน{m['name']}")
        if found is not None:
            told.community_id = found
            told.spans.append(m.span())
            return


def _title(rest: str, told: Told) -> int:
    """The name up to where the telling begins; returns where the rest of the message starts."""
    cut = len(rest)
    for m in TITLE_END.finditer(rest):
        if m.start() >= MIN_TITLE:
            cut = m.start()
            break
    for start, _end in told.spans:
        if MIN_TITLE <= start < cut:
            cut = start
    title = rest[:cut].strip(" :\"“”'")
    if MIN_TITLE <= len(title) <= MAX_SHORT_TITLE:
        told.title = title
    else:
        told.title_hint = short_title(title or rest)
    return cut


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


def _description(text: str, told: Told) -> None:
    """What is left, told as the problem (what is wrong now) and the plan (what they will do)."""
    chunks = [c.strip(" ,.") for c in PARTICLE.sub(" ", text).split()]
    problem: list[str] = []
    plan: list[str] = []
    last = plan
    for chunk in chunks:
        if len(chunk) < 2:
            continue
        if PLAN_CUES.match(chunk):
            last = plan
        elif PROBLEM_CUES.search(chunk):
            last = problem
        last.append(chunk)
    told.problem = " ".join(problem) or None
    told.plan = " ".join(plan) or None


def read_message(rest: str, funds: dict[str, str], find_community: Callable[[str], int | None] | None = None) -> Told:
    """`rest`: the message after "อยากทำโครงการ" (or all of it, typed where the name is asked)."""
    told = Told()
    t = light_normalize(without_greeting(rest))
    _phone_spans(t, told)
    _counts(_masked(t, told.spans), told)
    _money(_masked(t, told.spans), told)
    _fund(_masked(t, told.spans), told, funds)
    _community(_masked(t, told.spans), told, find_community)
    after_title = _title(t, told)
    if told.title is not None:  # with no name to take, the whole text may be the name: nothing more read
        _description(_masked(t, [*told.spans, (0, after_title)]), told)
    return told


def tells_more_than_a_title(told: Told, text: str) -> bool:
    """A message that tells the project (fields to prefill), not one that only names it."""
    plain = [name for name in told.details() if name not in ("problem", "plan", "community")]
    return bool(plain) or (len(text) > LONG_NAME and bool(told.problem or told.plan))


LONG_NAME = 80
"""Longer than this, a text with a name and more words after it is the project told, not its name."""
