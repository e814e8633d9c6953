"""The One Report: what the district's community projects asked, were granted and achieved.

One Plan, One Node, One Report (seed 003): each community's plan becomes projects funded from three
sources, and the district reports them together. Staff read the summary in chat ("สรุปโครงการ") and at
the console (`flask ideas report`), which can also write one row per project for a spreadsheet.
Withdrawn ideas are left out. The rows hold no names, LINE ids or phone numbers (PDPA).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import communities, ideas
from bot.thaidate import format_date
from storage.models import Idea

FUNDED_STATUSES = ("approved", "in_progress", "completed")
UNNAMED_FUND = "ยังไม่ระบุแหล่งทุน"
ROW_COLUMNS = ("เลขที่", "ชุมชน", "ชื่อโครงการ", "ประเด็น", "กลุ่มเป้าหมาย", "สถานะ", "ผู้เข้าร่วมตามแผน (คน)",
               "งบที่ขอ (บาท)", "แหล่งทุนที่ขอ", "แหล่งทุนที่ได้", "งบที่ได้ (บาท)", "ผู้เข้าร่วมจริง (คน)",
               "ผลที่เกิดขึ้น", "แกนนำรับรอง", "เสนอเมื่อ", "สถานะล่าสุดเมื่อ")


@dataclass
class FundLine:
    name: str
    projects: int = 0
    baht: int = 0


@dataclass
class OneReport:
    """The district's figures; withdrawn ideas are not counted anywhere."""

    projects: int = 0
    communities: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    asked_baht: int = 0
    """Baht asked by the projects that were funded (to set beside what they were granted)."""
    funds: list[FundLine] = field(default_factory=list)
    completed: int = 0
    reached: int = 0
    """People who took part, summed over completed projects that recorded it."""
    reached_projects: int = 0
    grant_unrecorded: int = 0
    """Approved (or further) with neither the fund nor the baht recorded: not counted as funded."""

    @property
    def funded(self) -> int:
        return sum(line.projects for line in self.funds)

    @property
    def granted_baht(self) -> int:
        return sum(line.baht for line in self.funds)


def _reported(session: Session) -> list[Idea]:
    return list(session.scalars(select(Idea).where(Idea.status != "withdrawn").order_by(Idea.id)))


def one_report(session: Session) -> OneReport:
    """Counts by status, baht granted per fund, and the people completed projects reached."""
    found = _reported(session)
    report = OneReport(projects=len(found), communities=len({i.community_id for i in found if i.community_id}))
    statuses = Counter(i.status for i in found)
    report.by_status = {s: statuses[s] for s in ideas.reference()["idea_statuses"] if statuses[s]}
    names = ideas.funding_sources()
    funds: dict[str, FundLine] = {}
    for idea in found:
        if idea.status in FUNDED_STATUSES and idea.granted_fund is None and idea.granted_budget is None:
            report.grant_unrecorded += 1
        elif idea.status in FUNDED_STATUSES:
            name = names.get(idea.granted_fund, idea.granted_fund) if idea.granted_fund else UNNAMED_FUND
            line = funds.setdefault(name, FundLine(name))
            line.projects += 1
            line.baht += idea.granted_budget or 0
            report.asked_baht += idea.budget or 0
        if idea.status == "completed":
            report.completed += 1
            if idea.reached_participants is not None:
                report.reached += idea.reached_participants
                report.reached_projects += 1
    report.funds = sorted(funds.values(), key=lambda line: (line.name == UNNAMED_FUND, -line.baht))
    return report


def report_text(report: OneReport, now: datetime) -> str:
    """The summary in short Thai lines (chat and console)."""
    if not report.projects:
        return "ยังไม่มีโครงการที่เสนอเข้ามาค่ะ"
    lines = [f"สรุปโครงการชุมชน ณ {format_date(now)}",
             f"ทั้งหมด {report.projects:,} โครงการ จาก {report.communities:,} ชุมชน",
             " · ".join(f"{ideas.status_label(s)} {n:,}" for s, n in report.by_status.items())]
    if report.funded:
        lines.append(f"💰 อนุมัติงบแล้ว {report.funded:,} โครงการ รวม {report.granted_baht:,} บาท "
                     f"(ขอไว้ {report.asked_baht:,} บาท)")
        lines += [f"• {line.name} {line.projects:,} โครงการ {line.baht:,} บาท" for line in report.funds]
    if report.grant_unrecorded:
        lines.append(f"อนุมัติแล้วแต่ยังไม่ได้บันทึกงบ {report.grant_unrecorded:,} โครงการ")
    if report.completed:
        reached = (f" มีผู้เข้าร่วมจริงรวม {report.reached:,} คน (จาก {report.reached_projects:,} โครงการที่บันทึกไว้)"
                   if report.reached_projects else " ยังไม่มีโครงการที่บันทึกจำนวนผู้เข้าร่วมค่ะ")
        lines.append(f"✅ เสร็จสิ้นแล้ว {report.completed:,} โครงการ{reached}")
    return "\n".join(lines)


def report_rows(session: Session) -> list[tuple[object, ...]]:
    """One row per project (ROW_COLUMNS), oldest first, for the district's spreadsheet."""
    names = {cid: info.name for cid, info in communities.directory(session).items()}
    topics, groups, funds = ideas.topics(), ideas.target_groups(), ideas.funding_sources()
    return [
        (idea.id, names.get(idea.community_id or 0, ""), idea.title, topics.get(idea.topic or "", ""),
         groups.get(idea.target_group or "", ""), ideas.status_label(idea.status), _blank(idea.participants),
         _blank(idea.budget), funds.get(idea.funding_source or "", ""), funds.get(idea.granted_fund or "", ""),
         _blank(idea.granted_budget), _blank(idea.reached_participants), idea.outcome or "",
         "ใช่" if idea.endorsed_at else "", format_date(idea.created_at), format_date(idea.status_changed_at))
        for idea in _reported(session)
    ]


def _blank(value: int | None) -> object:
    return "" if value is None else value
