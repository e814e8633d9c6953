"""Read a health charter from a YAML or CSV file into plain data (no database here).

The format is described in docs/charter-format.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.services.errors import ServiceError
from bot.thaidate import THAI_DIGITS
from storage.yaml12 import load_yaml

TOPICS = (
    "tobacco", "alcohol_drugs", "food", "physical_activity",
    "road_safety", "mental_health", "environment", "emerging",
)
CSV_COLUMNS = ("section_no", "section_title", "section_topic", "clause_no", "clause_text", "clause_topic")
CSV_OPTIONAL = ("district", "title", "demo_notice")


def to_arabic_digits(s: str) -> str:
    """'ข้อ ๕' → 'ข้อ 5' (Thai digits are accepted everywhere numbers are)."""
    return s.translate(THAI_DIGITS)


@dataclass
class ClauseData:
    no: int
    text: str
    topic: str | None = None


@dataclass
class SectionData:
    no: int
    title: str
    topic: str | None = None
    clauses: list[ClauseData] = field(default_factory=list)


@dataclass
class RoundData:
    """A hearing round: either relative days (from today) or absolute dates/datetimes."""

    name: str
    opens_in_days: int | None = None
    closes_in_days: int | None = None
    opens_at: datetime | date | None = None
    closes_at: datetime | date | None = None


@dataclass
class CharterData:
    district: str
    title: str
    demo_notice: str | None = None
    version: int | None = None
    sections: list[SectionData] = field(default_factory=list)
    rounds: list[RoundData] = field(default_factory=list)

    @property
    def clause_count(self) -> int:
        return sum(len(s.clauses) for s in self.sections)


def _bad(where: str, what: str) -> ServiceError:
    return ServiceError("charter_file_invalid", f"ไฟล์ธรรมนูญไม่ถูกต้อง ({where}): {what}")


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise _bad(where, f"ต้องเป็นตัวเลข แต่ได้ {value!r}")
    if isinstance(value, int):
        return value
    try:
        return int(to_arabic_digits(str(value)).strip())
    except (TypeError, ValueError):
        raise _bad(where, f"ต้องเป็นตัวเลข แต่ได้ {value!r}") from None


def _str(value: Any, where: str, required: bool = True) -> str | None:
    s = " ".join(str(value).split()) if value is not None else ""
    if not s:
        if required:
            raise _bad(where, "ไม่มีข้อความ")
        return None
    return s


def _topic(value: Any, where: str) -> str | None:
    s = _str(value, where, required=False)
    if s is None or s.lower() in ("null", "none", "-"):
        return None
    if s not in TOPICS:
        raise _bad(where, f"ไม่รู้จักประเด็น {s!r} (ใช้ได้: {', '.join(TOPICS)})")
    return s


def validate(data: CharterData) -> CharterData:
    """Check numbering: sections and clauses numbered uniquely, every section has a clause."""
    if not data.sections:
        raise _bad("sections", "ไม่มีหมวดเลย")
    section_nos: set[int] = set()
    clause_nos: set[int] = set()
    for section in data.sections:
        if section.no in section_nos:
            raise _bad(f"หมวด {section.no}", "เลขหมวดซ้ำ")
        section_nos.add(section.no)
        if not section.clauses:
            raise _bad(f"หมวด {section.no}", "ไม่มีข้อในหมวดนี้")
        for clause in section.clauses:
            if clause.no in clause_nos:
                raise _bad(f"ข้อ {clause.no}", "เลขข้อซ้ำ (เลขข้อต้องไม่ซ้ำกันทั้งฉบับ)")
            clause_nos.add(clause.no)
    data.sections.sort(key=lambda s: s.no)
    for section in data.sections:
        section.clauses.sort(key=lambda c: c.no)
    return data



def parse_yaml(text: str) -> CharterData:
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise _bad("YAML", str(exc).splitlines()[0]) from None
    if not isinstance(raw, dict):
        raise _bad("YAML", "ต้องเป็น mapping ที่มี district, title, sections")
    sections: list[SectionData] = []
    for i, srow in enumerate(raw.get("sections") or [], start=1):
        where = f"sections[{i}]"
        if not isinstance(srow, dict):
            raise _bad(where, "ต้องเป็น mapping")
        s_topic = _topic(srow.get("topic"), f"{where}.topic")
        section = SectionData(no=_int(srow.get("no"), f"{where}.no"), title=_str(srow.get("title"), f"{where}.title"),
                              topic=s_topic)
        for j, crow in enumerate(srow.get("clauses") or [], start=1):
            cwhere = f"{where}.clauses[{j}]"
            if not isinstance(crow, dict):
                raise _bad(cwhere, "ต้องเป็น mapping")
            c_topic = _topic(crow.get("topic"), f"{cwhere}.topic") or s_topic
            section.clauses.append(ClauseData(no=_int(crow.get("no"), f"{cwhere}.no"),
                                              text=_str(crow.get("text"), f"{cwhere}.text"), topic=c_topic))
        sections.append(section)
    rounds: list[RoundData] = []
    for i, rrow in enumerate(raw.get("rounds") or [], start=1):
        where = f"rounds[{i}]"
        if not isinstance(rrow, dict):
            raise _bad(where, "ต้องเป็น mapping")
        rd = RoundData(name=_str(rrow.get("name"), f"{where}.name"))
        if "opens_in_days" in rrow or "closes_in_days" in rrow:
            rd.opens_in_days = _int(rrow.get("opens_in_days"), f"{where}.opens_in_days")
            rd.closes_in_days = _int(rrow.get("closes_in_days"), f"{where}.closes_in_days")
        else:
            rd.opens_at = _when(rrow.get("opens_at"), f"{where}.opens_at")
            rd.closes_at = _when(rrow.get("closes_at"), f"{where}.closes_at")
        rounds.append(rd)
    version = raw.get("version")
    data = CharterData(
        district=_str(raw.get("district"), "district"), title=_str(raw.get("title"), "title"),
        demo_notice=_str(raw.get("demo_notice"), "demo_notice", required=False),
        version=_int(version, "version") if version is not None else None,
        sections=sections, rounds=rounds,
    )
    return validate(data)


def _when(value: Any, where: str) -> datetime | date:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _bad(where, f"ต้องเป็นวันที่แบบ 2026-12-01 หรือ 2026-12-01T09:00+07:00 แต่ได้ {value!r}")


def parse_csv(text: str, district: str | None = None, title: str | None = None,
              demo_notice: str | None = None) -> CharterData:
    """One row per clause; a section's title/topic may be given on its first row only."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("section_no", "clause_no", "clause_text") if c not in header]
    if missing:
        raise _bad("CSV", f"ไม่มีคอลัมน์ {', '.join(missing)} (ต้องมี {', '.join(CSV_COLUMNS)})")
    sections: dict[int, SectionData] = {}
    meta: dict[str, str | None] = {"district": district, "title": title, "demo_notice": demo_notice}
    for line_no, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "") for k, v in row.items()}
        if not any(v.strip() for v in row.values()):
            continue
        where = f"แถว {line_no}"
        for key in CSV_OPTIONAL:
            if meta[key] is None and row.get(key, "").strip():
                meta[key] = _str(row[key], f"{where} {key}")
        s_no = _int(row.get("section_no"), f"{where} section_no")
        section = sections.get(s_no)
        if section is None:
            section = SectionData(no=s_no, title=_str(row.get("section_title"), f"{where} section_title"),
                                  topic=_topic(row.get("section_topic"), f"{where} section_topic"))
            sections[s_no] = section
        else:
            s_title = _str(row.get("section_title"), where, required=False)
            if s_title and s_title != section.title:
                raise _bad(where, f"หมวด {s_no} มีชื่อไม่ตรงกัน ({section.title!r} กับ {s_title!r})")
        c_topic = _topic(row.get("clause_topic"), f"{where} clause_topic") or section.topic
        section.clauses.append(ClauseData(no=_int(row.get("clause_no"), f"{where} clause_no"),
                                          text=_str(row.get("clause_text"), f"{where} clause_text"), topic=c_topic))
    if not meta["district"]:
        raise _bad("CSV", "ไม่ได้ระบุเขต (คอลัมน์ district หรือตัวเลือก --district)")
    if not meta["title"]:
        raise _bad("CSV", "ไม่ได้ระบุชื่อธรรมนูญ (คอลัมน์ title หรือตัวเลือก --title)")
    data = CharterData(district=meta["district"], title=meta["title"], demo_notice=meta["demo_notice"],
                       sections=list(sections.values()))
    return validate(data)


def read_file(path: str | Path, **csv_meta: str | None) -> CharterData:
    """Parse a .yaml/.yml or .csv file by its extension."""
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ServiceError("charter_file_missing", f"เปิดไฟล์ {p.name} ไม่ได้ค่ะ ({exc.strerror})") from None
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return parse_yaml(content)
    if suffix == ".csv":
        return parse_csv(content, **csv_meta)
    raise ServiceError("charter_file_type", f"รองรับเฉพาะไฟล์ .yaml, .yml หรือ .csv ค่ะ (ได้รับ {p.name})")
