"""A project told in one message, as leaders type it: which One Plan fields are read out of it (no database:
the community matcher runs on the demo district's names)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.demo_data import read_demo_yaml
from bot.flows.idea_message import (
    Told,
    contact_name_in,
    groups_said,
    read_message,
    tells_more_than_a_title,
    title_from_plan,
)
from nlp import match_community

NAMES = [row["name"] for row in read_demo_yaml("communities")["communities"]] + ["ชุมชนพลับพลา"]
FUNDS = {"bkk_health_fund": "กองทุนหลักประกันสุขภาพ กทม.", "strong_community": "ชุมชนเข้มแข็ง", "thaihealth": "สสส.",
         "unsure": "ไม่แน่ใจ"}


def _find(phrase: str) -> int | None:
    hit = match_community(phrase, NAMES, whole_words=True)
    return NAMES.index(hit[0]) if hit else None


def read(text: str, home: str | None = None) -> Told:
    """`home`: the writer's own community, by name."""
    return read_message(text, FUNDS, _find, NAMES.index(home) if home else None)


LEAKS = ("บาท", "งบประมาณ", "เบอร์", "โทร", "ติดต่อ", "ทุนจาก", "สสส", "กองทุน", "ชื่อโครงการ", "ยังไม่ได้ตั้งชื่อ", "ยังไม่มีชื่อ",
         "ตั้งชื่อ", "กลุ่มเป้าหมาย", "อยากทำโครงการ", "เสนอโครงการ", "ค่ะ", "ครับ")
"""Words of other fields (or of the request) that must not be left in the problem or the plan."""

TABLE: list[tuple[str, dict[str, Any]]] = [
    ("สวัสดีค่ะ อยากทำโครงการลานออกกำลังกายผู้สูงอายุ ที่ลาดพร้าว101 ค่ะ ตอนนี้ผู้สูงอายุไม่มีที่ออกกำลังกาย "
     "จะจัดแอโรบิกทุกเย็น งบ ๕,๐๐๐ บาท เบอร์ 081-234-5678",
     {"title": "ลานออกกำลังกายผู้สูงอายุ", "community": "ชุมชนลาดพร้าว 101", "budget": 5000, "phone": "0812345678",
      "problem": "ตอนนี้ผู้สูงอายุไม่มีที่ออกกำลังกาย", "plan": "จะจัดแอโรบิกทุกเย็น"}),
    ("งบ 5,000 บาท ครับ อยากทำโครงการธนาคารขยะ ในชุมชนร่มเย็น ปัญหาคือขยะล้นซอย จะชวนลูกบ้านคัดแยกขยะขายทุกเดือน "
     "โทร 089-111-2222",
     {"title": "ธนาคารขยะ", "community": "ชุมชนร่มเย็น", "budget": 5000, "phone": "0891112222",
      "problem": "ขยะล้นซอย", "plan": "จะชวนลูกบ้านคัดแยกขยะขายทุกเดือน"}),
    ("เสนอโครงการค่ะ\nชื่อโครงการ: สวนผักปลอดสาร\nชุมชน: สามัคคีร่วมใจ\nกลุ่มเป้าหมาย ผู้สูงอายุ\n"
     "ปัญหา: ผู้สูงอายุเหงาและกินผักมีสาร\nจะทำ: ปลูกผักในกระถางร่วมกันทุกเสาร์\nงบประมาณ ๑๒,๐๐๐ บาท\n"
     "ขอทุนจากกองทุนสุขภาพ กทม.\nติดต่อ 0812345678",
     {"title": "สวนผักปลอดสาร", "community": "ชุมชนสามัคคีร่วมใจ", "target_group": "elderly", "budget": 12_000,
      "funding_source": "bkk_health_fund", "phone": "0812345678", "problem": "ผู้สูงอายุเหงาและกินผักมีสาร",
      "plan": "ปลูกผักในกระถางร่วมกันทุกเสาร์"}),
    ("อยากเสนอโครงการ ยังไม่ได้ตั้งชื่อค่ะ จะชวนเด็กๆในซอยมาเล่นกีฬาหลังเลิกเรียน เพราะเด็กติดเกมกันเยอะ ประมาณ 30 คน "
     "งบสัก 8000 บาท",
     {"no_title": True, "participants": 30, "budget": 8000, "problem": "เพราะเด็กติดเกมกันเยอะ",
      "plan": "จะชวนเด็กๆในซอยมาเล่นกีฬาหลังเลิกเรียน"}),
    ("อยากทำโครงการคัดกรองเบาหวานผู้สูงอายุ ชุมชนลาดพร้าว 80 ผู้สูงอายุหลายคนเป็นเบาหวานแต่ไม่รู้ตัว "
     "จะตรวจน้ำตาลปลายนิ้วฟรีเดือนละครั้ง อยากขอทุนจาก สสส. งบ 15,000 บาทค่ะ",
     {"title": "คัดกรองเบาหวานผู้สูงอายุ", "community": "ชุมชนลาดพร้าว 80", "funding_source": "thaihealth",
      "budget": 15_000, "problem": "ผู้สูงอายุหลายคนเป็นเบาหวานแต่ไม่รู้ตัว", "plan": "จะตรวจน้ำตาลปลายนิ้วฟรีเดือนละครั้ง"}),
    ("อยากทำโครงการ ลดหวานมันเค็ม ที่ชุมชนลาดพร้าว 101 กลุ่มเป้าหมาย วัยทำงาน ปัญหาคือคนทำงานกินอาหารถุงเยอะ "
     "จะสอนทำอาหารสุขภาพ 50 คน งบ 20000 บาท ทุนจากชุมชนเข้มแข็ง เบอร์ 0891234567",
     {"title": "ลดหวานมันเค็ม", "community": "ชุมชนลาดพร้าว 101", "target_group": "working_age", "participants": 50,
      "budget": 20_000, "funding_source": "strong_community", "phone": "0891234567",
      "problem": "คนทำงานกินอาหารถุงเยอะ", "plan": "จะสอนทำอาหารสุขภาพ"}),
    ("อยากทำโครงการเดินเร็วยามเย็นในชุมชนพลับพลาให้คนในชุมชนได้ออกกำลังกายด้วยกันตอนนี้คนอ้วนเยอะ งบสองหมื่นบาท "
     "โทร 0812345678",
     {"title": "เดินเร็วยามเย็น", "community": "ชุมชนพลับพลา", "budget": 20_000, "phone": "0812345678",
      "problem": "ตอนนี้คนอ้วนเยอะ", "plan": "ให้คนในชุมชนได้ออกกำลังกายด้วยกัน"}),
    ("อยากทำโครงการรำไม้พลองผู้สูงอายุค่ะ งบประมาณ 6,500 บาท อยากขอทุนจาก สสส. ค่ะ เพราะผู้สูงอายุปวดเข่ากันเยอะ "
     "จะจัดรำไม้พลองทุกเช้าวันพุธที่ศาลาชุมชน ติดต่อป้าแดง 081-555-1234",
     {"title": "รำไม้พลองผู้สูงอายุ", "budget": 6500, "funding_source": "thaihealth", "phone": "0815551234",
      "contact_name": "ป้าแดง", "problem": "เพราะผู้สูงอายุปวดเข่ากันเยอะ", "plan": "จะจัดรำไม้พลองทุกเช้าวันพุธที่ศาลาชุมชน"}),
    ("อยากทำโครงการห้องสมุดเด็ก ในชุมชนร่มเย็น จะทำมุมหนังสือให้เด็กอ่านหลังเลิกเรียน เบอร์ 08123456",
     {"title": "ห้องสมุดเด็ก", "community": "ชุมชนร่มเย็น", "phone_said": "08123456",
      "plan": "จะทำมุมหนังสือให้เด็กอ่านหลังเลิกเรียน"}),
    ("อยากทำโครงการค่ะ แต่ไม่รู้จะตั้งชื่ออะไร คือที่ชุมชนเพิ่มสุขมีปัญหายุงลายเยอะ "
     "อยากชวนบ้านละคนมาคว่ำกะลาทำลายแหล่งน้ำขังทุกวันศุกร์ ผู้เข้าร่วม 40 คน",
     {"no_title": True, "community": "ชุมชนเพิ่มสุข", "participants": 40, "problem": "มีปัญหายุงลายเยอะ",
      "plan": "อยากชวนบ้านละคนมาคว่ำกะลาทำลายแหล่งน้ำขังทุกวันศุกร์"}),
    ("สวัสดีครับ ผมเป็นประธานชุมชนเคหะลาดพร้าว อยากเสนอโครงการชื่อ ปั่นจักรยานเพื่อสุขภาพ ครับ "
     "ให้วัยรุ่นในชุมชนรวมกลุ่มปั่นจักรยานทุกวันอาทิตย์ ห่างไกลยาเสพติด งบ 3 หมื่นบาท "
     "ขอทุนกองทุนหลักประกันสุขภาพกรุงเทพมหานคร โทร. 02-123-4567",
     {"title": "ปั่นจักรยานเพื่อสุขภาพ", "community": "ชุมชนเคหะลาดพร้าว", "budget": 30_000,
      "funding_source": "bkk_health_fund", "phone": "021234567",
      "plan": "ให้วัยรุ่นในชุมชนรวมกลุ่มปั่นจักรยานทุกวันอาทิตย์ ห่างไกลยาเสพติด"}),
    ("อยากทำโครงการ ครัวกลางชุมชน\nปัญหา ผู้สูงอายุที่อยู่คนเดียวไม่มีคนทำกับข้าวให้\n"
     "วิธีทำ ทำกับข้าวส่งถึงบ้านวันละมื้อ 20 คน\nงบ 1 แสนบาท\nทุนจากกองทุนชุมชนเข้มแข็ง\nเบอร์โทร ๐๘๙-๒๒๒-๓๓๓๓",
     {"title": "ครัวกลางชุมชน", "participants": 20, "budget": 100_000, "funding_source": "strong_community",
      "phone": "0892223333", "problem": "ผู้สูงอายุที่อยู่คนเดียวไม่มีคนทำกับข้าวให้", "plan": "ทำกับข้าวส่งถึงบ้านวันละมื้อ"}),
    ("อยากทำโครงการ ยังไม่มีชื่อ ค่ะ ทำที่ลาดพร้าว 94 ให้แม่บ้านมาออกกำลังกายด้วยยางยืด ประมาณ 25 คน "
     "เพราะแม่บ้านปวดหลังกันเยอะ ติดต่อ ๐๘๑๒๓๔๕๖๗๘",
     {"no_title": True, "community": "ชุมชนลาดพร้าว 94", "participants": 25, "phone": "0812345678",
      "problem": "เพราะแม่บ้านปวดหลังกันเยอะ", "plan": "ให้แม่บ้านมาออกกำลังกายด้วยยางยืด"}),
    ("อยากทำโครงการจักรยานเพื่อสุขภาพค่ะ ติดต่อได้ที่เบอร์ 02 123 4567 จะชวนวัยรุ่นปั่นจักรยานทุกวันอาทิตย์",
     {"title": "จักรยานเพื่อสุขภาพ", "phone": "021234567", "plan": "จะชวนวัยรุ่นปั่นจักรยานทุกวันอาทิตย์"}),
    ("อยากทำโครงการกองทุนขยะ ในพื้นที่ชุมชนสุขสันต์ค่ะ จะรับซื้อขยะรีไซเคิลทุกวันเสาร์",
     {"title": "กองทุนขยะ", "community": "ชุมชนสุขสันต์", "plan": "จะรับซื้อขยะรีไซเคิลทุกวันเสาร์"}),
    ("สวัสดีค่ะ เป็นอสม.ที่ชุมชนร่วมใจพัฒนา อยากเสนอโครงการเยี่ยมบ้านผู้ป่วยติดเตียง เพราะมีผู้ป่วยติดเตียง 12 คน"
     "ไม่มีคนดูแล งบ 2 หมื่น ขอจากกองทุนฯ ค่ะ",
     {"title": "เยี่ยมบ้านผู้ป่วยติดเตียง", "community": "ชุมชนร่วมใจพัฒนา", "participants": 12, "budget": 20_000,
      "funding_source": "bkk_health_fund", "problem": "เพราะมีผู้ป่วยติดเตียง ไม่มีคนดูแล", "target_group": "disabled"}),
    ("อยากทำโครงการ อาหารปลอดภัยในโรงเรียน ให้เด็กนักเรียนได้กินผักปลอดสาร งบประมาณ 15,000 บาท "
     "ติดต่อครูสมศรี 089-123-4567",
     {"title": "อาหารปลอดภัยในโรงเรียน", "budget": 15_000, "phone": "0891234567", "contact_name": "ครูสมศรี", "plan": "ให้เด็กนักเรียนได้กินผักปลอดสาร"}),
    ("อยากทำโครงการสูงวัยใจเกินร้อย ที่ชุมชนเสนานิเวศน์ 1 กลุ่มเป้าหมายคือผู้สูงอายุ 60 คน จัดกิจกรรมทุกวันพุธ "
     "ไม่รู้จะขอทุนที่ไหน",
     {"title": "สูงวัยใจเกินร้อย", "community": "ชุมชนเสนานิเวศน์ 1", "target_group": "elderly", "participants": 60,
      "funding_source": "unsure", "plan": "จัดกิจกรรมทุกวันพุธ"}),
    ("อยากทำโครงการตลาดนัดสีเขียว งบไม่เกินห้าหมื่น ขายผักปลอดสารทุกวันอาทิตย์ที่ลานจอดรถ",
     {"title": "ตลาดนัดสีเขียว", "budget": 50_000, "plan": "ขายผักปลอดสารทุกวันอาทิตย์ที่ลานจอดรถ"}),
    ("อยากทำโครงการ\nปัญหา: ยุงเยอะ ไข้เลือดออกระบาด\nจะทำ: พ่นยากันยุงทุกเดือน แจกทรายอะเบท\nงบ: ๓,๕๐๐ บาท\n"
     "กลุ่มเป้าหมาย: ทุกบ้านในซอย",
     {"no_title": True, "target_group": "families", "budget": 3500, "problem": "ยุงเยอะ ไข้เลือดออกระบาด",
      "plan": "พ่นยากันยุงทุกเดือน แจกทรายอะเบท"}),
    ("อยากทำโครงการรำวงย้อนยุค ในชุมชนเรา จะชวนผู้สูงอายุ 20 คน และเด็ก 10 คน มารำวงทุกเย็นวันศุกร์",
     {"home": "ชุมชนร่มเย็น", "title": "รำวงย้อนยุค", "community": "ชุมชนร่มเย็น", "target_group": "elderly",
      "participants": 30, "plan": "จะชวนผู้สูงอายุ และเด็ก มารำวงทุกเย็นวันศุกร์",
      "plan_is": "จะชวนผู้สูงอายุ และเด็ก มารำวงทุกเย็นวันศุกร์"}),
    ("อยากทำโครงการสวนผักปลอดสาร ที่ชุมชนของเรา ปลูกผักในกระถางทุกเสาร์ ผู้สูงอายุ 20 คน และเด็ก 10 คน",
     {"home": "ชุมชนร่มเย็น", "title": "สวนผักปลอดสาร", "community": "ชุมชนร่มเย็น", "target_group": "elderly",
      "participants": 30, "plan": "ปลูกผักในกระถางทุกเสาร์", "plan_is": "ปลูกผักในกระถางทุกเสาร์"}),
    ("อยากทำโครงการเยี่ยมบ้าน ในชุมชนของเราค่ะ ผู้ป่วยติดเตียง 12 คน จะไปวัดความดันทุกสัปดาห์ ติดต่อป้าแดง 081-555-1234",
     {"home": "ชุมชนร่มเย็น", "title": "เยี่ยมบ้าน", "community": "ชุมชนร่มเย็น", "target_group": "disabled",
      "participants": 12, "phone": "0815551234", "contact_name": "ป้าแดง", "plan": "จะไปวัดความดันทุกสัปดาห์",
      "plan_is": "จะไปวัดความดันทุกสัปดาห์"}),
    ("อยากทำโครงการผักปลอดสารกินเองค่ะ แผนคือปลูกผักปลอดสารในกระถางแจกให้ 30 ครัวเรือน งบ 8,000 บาท "
     "ขอทุนกองทุนสุขภาพเขต โทร 089-111-2222",  # the district's fund: "เขต" was left in the plan
     {"title": "ผักปลอดสารกินเอง", "budget": 8000, "funding_source": "bkk_health_fund", "phone": "0891112222",
      "plan": "ปลูกผักปลอดสารในกระถางแจกให้ 30 ครัวเรือน",
      "plan_is": "ปลูกผักปลอดสารในกระถางแจกให้ 30 ครัวเรือน"}),
    ("อยากทำโครงการสวนผักปลอดสาร ที่ชุมชนของเรา ปลูกผักในกระถางทุกเสาร์",  # no community of their own: asked
     {"title": "สวนผักปลอดสาร", "plan": "ที่ชุมชนของเรา ปลูกผักในกระถางทุกเสาร์"}),
    # The contact's name said with the phone: the contact's, never the plan's (it was dropped).
    ("อยากทำโครงการลานกีฬาเด็ก จะทำลานกีฬาให้เด็กหลังเลิกเรียน ติดต่อ คุณสมศรี 081-234-5678",
     {"title": "ลานกีฬาเด็ก", "phone": "0812345678", "contact_name": "คุณสมศรี",
      "plan": "จะทำลานกีฬาให้เด็กหลังเลิกเรียน"}),
    ("อยากทำโครงการลานกีฬาเด็ก จะทำลานกีฬาให้เด็กหลังเลิกเรียน ติดต่อป้าแดง 0812345678 ค่ะ",
     {"title": "ลานกีฬาเด็ก", "phone": "0812345678", "contact_name": "ป้าแดง",
      "plan_is": "จะทำลานกีฬาให้เด็กหลังเลิกเรียน", "plan": "จะทำลานกีฬาให้เด็กหลังเลิกเรียน"}),
    ("อยากทำโครงการลานกีฬาเด็ก จะทำลานกีฬาให้เด็กหลังเลิกเรียน ผู้ประสานงานคุณสมศรี ใจดี โทร 081-234-5678",
     {"title": "ลานกีฬาเด็ก", "phone": "0812345678", "contact_name": "คุณสมศรี ใจดี",
      "plan_is": "จะทำลานกีฬาให้เด็กหลังเลิกเรียน", "plan": "จะทำลานกีฬาให้เด็กหลังเลิกเรียน"}),
    ("อยากทำโครงการลานกีฬาเด็ก จะทำลานกีฬาให้เด็กหลังเลิกเรียน ติดต่อลุงชัยได้ที่เบอร์ 08123",  # a wrong phone
     {"title": "ลานกีฬาเด็ก", "phone_said": "08123", "contact_name": "ลุงชัย",
      "plan_is": "จะทำลานกีฬาให้เด็กหลังเลิกเรียน", "plan": "จะทำลานกีฬาให้เด็กหลังเลิกเรียน"}),
]
"""Ideas in one message each, in leaders' own words, and what each of them says ("home": the writer's own
community; "plan_is": the whole plan, nothing else left in it)."""

SAID = ("title", "community", "target_group", "participants", "budget", "funding_source", "phone", "phone_said",
        "contact_name", "problem", "plan", "no_title")


def found(told: Told) -> dict[str, Any]:
    """What was read, by field (the community by its name); fields not read are left out."""
    out = {"title": told.title, "community": NAMES[told.community_id] if told.community_id is not None else None,
           "target_group": told.target_group, "participants": told.participants, "budget": told.budget,
           "funding_source": told.funding_source, "phone": told.phone,
           "phone_said": told.phone_said if told.phone is None else None, "contact_name": told.contact_name,
           "problem": told.problem, "plan": told.plan, "no_title": told.no_title or None}
    return {name: value for name, value in out.items() if value is not None}


def misread(text: str, expected: dict[str, Any]) -> list[str]:
    """What of the message was read wrong: a field missed, taken wrongly, or a text holding another field's words."""
    got = found(read(text, expected.get("home")))
    wrong = [f"{name}: {got.get(name)!r} (expected {expected.get(name)!r})" for name in SAID
             if name not in ("problem", "plan") and got.get(name) != expected.get(name)]
    for name in ("problem", "plan"):
        said = got.get(name) or ""
        if (expected.get(name) is None) != (not said) or (expected.get(name) and expected[name] not in said):
            wrong.append(f"{name}: {said!r} (expected {expected.get(name)!r})")
        leaked = [w for w in LEAKS if w in said] + [d for d in said if d.isdigit() and d not in (expected.get(name) or "")]
        if leaked:
            wrong.append(f"{name}: {said!r} holds {leaked}")
        if f"{name}_is" in expected and said != expected[f"{name}_is"]:
            wrong.append(f"{name}: {said!r} (expected only {expected[f'{name}_is']!r})")
    return wrong


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[f"idea{i + 1}" for i in range(len(TABLE))])
def test_each_field_said_in_one_message_is_found(text, expected):
    """Before this table's fixes, 0 of the first 20 were read fully right; each is now (see misread)."""
    assert misread(text, expected) == []


@pytest.mark.parametrize(("text", "community"), [
    ("สวนผักคนเมือง ที่ลาดพร้าว101 ปลูกผักกินเอง", "ชุมชนลาดพร้าว 101"),
    ("สวนผักคนเมือง ที่ชุมชนลาดพร้าว 101 ปลูกผักกินเอง", "ชุมชนลาดพร้าว 101"),
    ("สวนผักคนเมือง ในชุมชนพลับพลา ปลูกผักกินเอง", "ชุมชนพลับพลา"),
    ("สวนผักคนเมือง แถวโชคชัย 4 ปลูกผักกินเอง", "ชุมชนโชคชัย 4"),
])
def test_the_community_said_with_ti_or_nai_is_the_community_and_not_the_plan(text, community):
    told = read(text)
    assert (NAMES[told.community_id], told.plan) == (community, "ปลูกผักกินเอง")
    assert tells_more_than_a_title(told, text)  # not all of it taken as the project's name


@pytest.mark.parametrize(("text", "said"), [
    ("สวนผักคนเมือง ในชุมชนบ้านไม่มีจริงค่ะ ปลูกผักกินเอง", "บ้านไม่มีจริง"),
    ("สวนผักคนเมือง ที่ชุมชนบ้านไม่มีจริง ปลูกผักกินเอง", "บ้านไม่มีจริง"),
    ("สวนผักคนเมือง ในชุมชนเรา ปลูกผักกินเอง", None),
])
def test_a_community_not_on_the_list_is_kept_out_of_the_plan(text, said):
    told = read(text)
    assert (told.community_id, told.community_said) == (None, said)
    assert told.plan == ("ปลูกผักกินเอง" if said else "ในชุมชนเรา ปลูกผักกินเอง")


@pytest.mark.parametrize(("text", "phone", "said"), [
    ("ลานกีฬา จะทำลานกีฬาให้เด็ก เบอร์ 0812345678", "0812345678", None),
    ("ลานกีฬา จะทำลานกีฬาให้เด็ก โทร 081-234-5678", "0812345678", None),
    ("ลานกีฬา จะทำลานกีฬาให้เด็ก ติดต่อ 0812345678", "0812345678", None),
    ("ลานกีฬา จะทำลานกีฬาให้เด็ก เบอร์ 08123", None, "08123"),
    ("ลานกีฬา จะทำลานกีฬาให้เด็ก โทร 081-234-567", None, "081-234-567"),
    ("ลานกีฬา จะทำลานกีฬาให้เด็ก ติดต่อ 0112345678", None, "0112345678"),
    ("ลานกีฬา จะทำลานกีฬาให้เด็ก เบอร์ 812345678", None, "812345678"),
])
def test_a_phone_with_its_label_is_the_phone_and_never_the_plan(text, phone, said):
    told = read(text)
    assert (told.phone, told.phone_said if told.phone is None else None, told.plan) == (
        phone, said, "จะทำลานกีฬาให้เด็ก")


def test_a_hotline_to_teach_is_part_of_the_plan_not_the_phone():
    told = read("ซ้อมช่วยชีวิต จะสอนปั๊มหัวใจและโทร 1669 ให้ถูกวิธี")
    assert (told.phone, told.phone_said, told.plan) == (None, None, "จะสอนปั๊มหัวใจและโทร 1669 ให้ถูกวิธี")


def test_no_name_yet_is_not_a_title_and_a_name_is_suggested_from_the_plan():
    for words in ("ยังไม่ได้ตั้งชื่อ", "ยังไม่มีชื่อ", "ไม่รู้จะตั้งชื่ออะไร"):
        told = read(f"{words}ค่ะ จะชวนผู้สูงอายุรำไม้พลองทุกเช้า งบ 3000 บาท")
        assert (told.title, told.no_title, told.budget) == (None, True, 3000)
        assert told.title_hint == "ชวนผู้สูงอายุรำไม้พลองทุกเช้า"
    assert title_from_plan("จะจัดแอโรบิกทุกเย็นที่ลานวัด ให้ผู้สูงอายุ") == "จัดแอโรบิกทุกเย็นที่ลานวัด"
    assert title_from_plan(None) is None


@pytest.mark.parametrize(("text", "target", "participants", "plan"), [
    ("รำวง จัดรำวงทุกเย็น ผู้สูงอายุ 20 คน และเด็ก 10 คน", "elderly", 30, "จัดรำวงทุกเย็น"),
    ("รำวง จะชวนผู้สูงอายุ 20 คน และเด็ก 10 คน มารำวง", "elderly", 30, "จะชวนผู้สูงอายุ และเด็ก มารำวง"),
    ("รำวง จะชวนเด็ก ประมาณ 30 คน", None, 30, "จะชวนเด็ก"),  # "ประมาณ": the count is not said of the word
    ("รำวง ให้เด็ก กลุ่มเป้าหมาย ผู้สูงอายุ 60 คน", "elderly", 60, "ให้เด็ก"),
    ("รำวง จัดรำวงทุกเย็น กลุ่มเป้าหมายผู้สูงอายุ60คน", "elderly", 60, "จัดรำวงทุกเย็น"),
])
def test_the_group_said_just_before_a_count_is_the_target_group(text, target, participants, plan):
    told = read(text)
    assert (told.target_group, told.participants, told.plan) == (target, participants, plan)


@pytest.mark.parametrize(("text", "target", "also", "plan"), [
    ("รำวง จัดรำวงทุกเย็น กลุ่มเป้าหมาย ผู้สูงอายุและเด็ก", "elderly", ["children"], "จัดรำวงทุกเย็น"),
    ("รำวง จัดรำวงทุกเย็น กลุ่มเป้าหมาย ผู้สูงอายุ และเด็ก", "elderly", ["children"], "จัดรำวงทุกเย็น"),
    ("รำวง จัดรำวงทุกเย็น กลุ่มเป้าหมายคือกลุ่มเปราะบางกับผู้พิการ", "disabled", ["กลุ่มเปราะบาง"], "จัดรำวงทุกเย็น"),
    ("รำวง จัดรำวงทุกเย็น ผู้สูงอายุ 20 คน และเด็ก 10 คน", "elderly", ["children"], "จัดรำวงทุกเย็น"),
    ("รำวง จัดรำวงทุกเย็น เด็ก 30 คน ผู้ปกครอง 10 คน", "children", ["families"], "จัดรำวงทุกเย็น"),
    ("รำวง จัดรำวงทุกเย็น กลุ่มเป้าหมาย เด็กและเยาวชน", "children", [], "จัดรำวงทุกเย็น"),  # one group's own name
    ("รำวง กลุ่มเป้าหมาย ผู้สูงอายุ และจะจัดรำวงทุกเย็น", "elderly", [], "และจะจัดรำวงทุกเย็น"),
    # said naturally, not labelled ("ทำเพื่อ…", "สำหรับ…"): QA 10
    ("สวนผักคนเมือง ทำเพื่อผู้สูงอายุและเด็ก จะปลูกผักในกระถางทุกเสาร์", "elderly", ["children"],
     "จะปลูกผักในกระถางทุกเสาร์"),
    ("ลานกีฬา สำหรับเด็กและเยาวชน จะจัดฟุตบอลทุกเย็น", "children", [], "จะจัดฟุตบอลทุกเย็น"),
    ("ลานกีฬา จะจัดกีฬาทุกเย็น สำหรับคนพิการ กับกลุ่มเปราะบาง", "disabled", ["กลุ่มเปราะบาง"], "จะจัดกีฬาทุกเย็น"),
    ("รำวง เพื่อเด็กๆ ในซอย จัดรำวงทุกเย็น", "children", [], "ในซอย จัดรำวงทุกเย็น"),
    ("รำวง จัดรำวงทุกเย็น เพื่อให้ผู้สูงอายุแข็งแรง", None, [], "จัดรำวงทุกเย็น เพื่อให้ผู้สูงอายุแข็งแรง"),
    ("รำวง จัดรำวงทุกเย็น เพื่อสุขภาพ", None, [], "จัดรำวงทุกเย็น เพื่อสุขภาพ"),
])
def test_of_several_groups_the_first_is_the_target_and_the_others_are_kept_to_be_told(text, target, also, plan):
    """A second group was dropped without a word ("ผู้สูงอายุและเด็ก" took nothing, "กลุ่มเปราะบางกับผู้พิการ" only
    คนพิการ, "ผู้สูงอายุ 20 คน และเด็ก 10 คน" only ผู้สูงอายุ): the first is kept, the others told as not kept."""
    told = read(text)
    assert (told.target_group, told.groups_also, told.plan) == (target, also, plan)


@pytest.mark.parametrize(("text", "keys", "others"), [
    ("ผู้สูงอายุและเด็ก", ["elderly", "children"], []),
    ("เด็กกับผู้สูงอายุค่ะ", ["children", "elderly"], []),
    ("ผู้สูงอายุ เด็ก", ["elderly", "children"], []),
    ("กลุ่มเปราะบางกับผู้พิการ", ["disabled"], ["กลุ่มเปราะบาง"]),
    ("เด็กและเยาวชน", ["children"], []),
    ("ผู้สูงอายุที่อยู่ติดบ้าน", ["elderly"], []),
    ("ผู้สูงอายุกับคนทั่วไป", ["elderly"], []),
])
def test_the_groups_a_text_names_in_the_order_said(text, keys, others):
    assert groups_said(text) == (keys, others)


@pytest.mark.parametrize(("text", "name"), [
    ("คุณสมศรี 081-234-5678", "คุณสมศรี"),
    ("ป้าแดง 0812345678", "ป้าแดง"),
    ("ติดต่อป้าแดง 0812345678 ค่ะ", "ป้าแดง"),
    ("0812345678 ป้าแดงค่ะ", "ป้าแดง"),
    ("คุณสมศรี ใจดี 081-234-5678", "คุณสมศรี ใจดี"),
    ("ชื่อสมศรี เบอร์ 0812345678", "สมศรี"),
    ("081-234-5678 ป้าแดง โทรได้ตอนเย็น", "ป้าแดง"),
    ("ป้าแดง ตอนเย็น 0812345678", "ป้าแดง"),
    ("081 234 5678 ครับ", None),
    ("เบอร์ 0812345678 ค่ะ", None),
    ("เบอร์บ้าน 02-123-4567", None),
    ("081-234-5678 ตามสะดวกค่ะ", None),
])
def test_the_name_typed_with_a_phone_at_its_step(text, name):
    """"คุณสมศรี 081-234-5678" at the phone step kept only the number."""
    assert contact_name_in(text) == name
