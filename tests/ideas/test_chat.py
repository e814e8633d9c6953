"""The idea journey as conversations through signed webhooks (the `chat` helper)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.thaidate import now_utc
from storage.models import Conversation, Idea, IdeaEvent, OutboxMessage

HOME = "ชุมชนโชคชัย 4"


def only_idea(harness) -> Idea:
    with harness.db.session(readonly=True) as s:
        rows = list(s.scalars(select(Idea)))
        assert len(rows) == 1, [r.title for r in rows]
        return rows[0]


def propose(c, title: str = "ลานออกกำลังกายผู้สูงอายุ"):
    """Walk the whole journey up to the summary card."""
    c.say("เสนอโครงการ").expect("ชื่ออะไรคะ")
    c.say(title).expect("ประเด็น")
    c.tap("ออกกำลังกาย").expect("ชุมชนไหน")
    c.tap(HOME).expect("เพื่อใคร")
    c.tap("ผู้สูงอายุ").expect("ปัญหาอะไร")
    c.say("ผู้สูงอายุไม่มีที่ออกกำลังกาย").expect("อยากทำอะไร")
    c.say("ทำลานและจัดแอโรบิกสัปดาห์ละ 3 วัน").expect("งบประมาณ")
    c.say("ห้าพัน").expect("แหล่งไหน")
    c.tap("กองทุนสุขภาพ กทม.").expect("รูป")
    c.tap("ข้าม").expect("เบอร์โทร")
    c.say("๐๘๑-๒๓๔-๕๖๗๘").expect("สรุปโครงการ")
    return c


def test_happy_path(chat, harness):
    staff = chat("U" + "5" * 32, role="staff")
    c = propose(chat(community=HOME))
    c.expect("ลานออกกำลังกายผู้สูงอายุ", "5,000 บาท", "081-234-5678", "กองทุนหลักประกันสุขภาพ กทม.", HOME)
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ", "โครงการของฉัน")
    idea = only_idea(harness)
    assert (idea.title, idea.topic, idea.target_group, idea.budget, idea.funding_source, idea.contact_phone,
            idea.status) == ("ลานออกกำลังกายผู้สูงอายุ", "physical_activity", "elderly", 5000, "bkk_health_fund",
                             "081-234-5678", "submitted")
    # Staff get the new idea as a card with buttons.
    harness.run_outbox()
    staff.refresh().expect("โครงการใหม่", "ลานออกกำลังกายผู้สูงอายุ", "รับพิจารณา", "ขอแก้ไข", "อนุมัติ", "ไม่อนุมัติ")
