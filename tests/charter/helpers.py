"""Small factories for charter tests (plain functions, no fixtures hidden behind magic)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from bot.services import charter as svc
from storage.models import Charter, HearingRound, User

SMALL_YAML = """\
district: ลาดพร้าว
title: ธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ)
version: 1
demo_notice: เนื้อหานี้เป็นตัวอย่างสำหรับทดลองใช้ระบบ
sections:
  - no: 1
    title: ขยับกายทุกวัย
    topic: physical_activity
    clauses:
      - no: 1
        text: ทุกชุมชนมีกลุ่มออกกำลังกายอย่างน้อยสัปดาห์ละ 3 ครั้ง
      - no: 2
        text: ดูแลลานกีฬาและสวนหย่อมให้สะอาด ปลอดภัย
        topic: environment
  - no: 2
    title: อาหารปลอดภัย
    topic: food
    clauses:
      - no: 3
        text: ร้านอาหารในชุมชนร่วมกันลดหวาน มัน เค็ม
      - no: 4
        text: ส่งเสริมให้ครัวเรือนปลูกผักสวนครัว
      - no: 5
        text: โรงเรียนงดขายน้ำอัดลม
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def make_user(session: Session, line_id: str, *, consent: bool = True, role: str = "resident",
              now: datetime | None = None) -> User:
    user = User(line_user_id=line_id, display_name=line_id, role=role,
                consent_at=(now or datetime(2026, 11, 1).astimezone()) if consent else None)
    session.add(user)
    session.flush()
    return user


def published_with_round(session: Session, tmp_path: Path, now: datetime, *, opens_days: int = -1,
                         closes_days: int = 7) -> tuple[Charter, HearingRound]:
    """The small charter, published, with one round around ``now`` (by default open)."""
    c = svc.load_charter(session, write(tmp_path, "small.yaml", SMALL_YAML), now=now)
    svc.publish(session, c, now=now)
    r = svc.create_round(session, c, "รอบรับฟังความคิดเห็นครั้งที่ 1", now + timedelta(days=opens_days),
                         now + timedelta(days=closes_days))
    return c, r
