"""Load the demo/reference YAML in ``storage/demo`` into the database, idempotently."""

from __future__ import annotations

import copy
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import charter as charter_service
from bot.services import charter_io, ideas
from bot.services.communities import forget_directory
from storage.models import (
    Activity,
    Charter,
    Community,
    Idea,
    IdeaEvent,
    User,
)
from storage.yaml12 import load_yaml

BKK = ZoneInfo("Asia/Bangkok")
DEMO_FILES = ("reference", "communities", "charter", "activities", "ideas")
DEMO_USER_PREFIX = "demo-leader-"
"""line_user_id prefix of the placeholder leaders who 'own' the demo ideas (never real LINE ids)."""

# Path each demo idea's status took, ending at its status (for the idea's timeline).
_STATUS_PATHS: dict[str, tuple[str, ...]] = {
    "submitted": ("submitted",),
    "under_review": ("submitted", "under_review"),
    "needs_revision": ("submitted", "under_review", "needs_revision"),
    "approved": ("submitted", "under_review", "approved"),
    "in_progress": ("submitted", "under_review", "approved", "in_progress"),
    "completed": ("submitted", "under_review", "approved", "in_progress", "completed"),
    "rejected": ("submitted", "under_review", "rejected"),
    "withdrawn": ("submitted", "withdrawn"),
}



def _demo_text(name: str) -> str:
    filename = name if name.endswith(".yaml") else f"{name}.yaml"
    return resources.files("storage.demo").joinpath(filename).read_text(encoding="utf-8")


@cache
def _read_cached(name: str) -> dict[str, Any]:
    filename = name if name.endswith(".yaml") else f"{name}.yaml"
    data = load_yaml(_demo_text(name))
    if not isinstance(data, dict):
        raise ValueError(f"storage/demo/{filename}: expected a mapping at the top")
    return data


def read_demo_yaml(name: str) -> dict[str, Any]:
    """Parsed ``storage/demo/<name>.yaml`` (``name`` with or without ``.yaml``); a fresh copy each call."""
    return copy.deepcopy(_read_cached(name))


def _at_bkk(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=BKK)


def _load_communities(session: Session) -> tuple[int, dict[str, Community]]:
    data = read_demo_yaml("communities")
    district = data.get("district", "ลาดพร้าว")
    existing = {c.code: c for c in session.scalars(select(Community))}
    by_name = {c.name: c for c in existing.values()}
    added = 0
    for row in data["communities"]:
        if row["code"] in existing or row["name"] in by_name:
            continue
        community = Community(
            code=row["code"], name=row["name"], district=district,
            lat=row.get("lat"), lng=row.get("lng"), aliases=list(row.get("aliases") or []),
        )
        session.add(community)
        existing[community.code] = by_name[community.name] = community
        added += 1
    session.flush()
    if added:
        forget_directory()  # this process reads the new ones at once (others within DIRECTORY_SECONDS)
    return added, by_name


def _load_charter(session: Session, now: datetime) -> dict[str, int]:
    """The demo charter, loaded and published the way ``flask charter load --publish`` does it.

    Nothing is added when the district has a charter already (the demo one, or a real one that the
    demo must not be mixed into or published over).
    """
    counts = {"charters": 0, "charter_sections": 0, "charter_clauses": 0, "hearing_rounds": 0}
    data = charter_io.parse_yaml(_demo_text("charter"))
    if session.scalar(select(Charter.id).where(Charter.district == data.district).limit(1)) is not None:
        return counts
    charter = charter_service.load_charter(session, data, now=now)
    charter_service.publish(session, charter, now=now)
    counts.update(charters=1, charter_sections=len(data.sections), charter_clauses=data.clause_count,
                  hearing_rounds=len(data.rounds))
    return counts


def _community_id(communities: dict[str, Community], name: str | None, where: str) -> int | None:
    if name is None:
        return None
    if name not in communities:
        raise ValueError(f"{where}: unknown community {name!r} (not in communities.yaml)")
    return communities[name].id


def _load_activities(session: Session, now: datetime, communities: dict[str, Community]) -> int:
    today = now.astimezone(BKK).date()
    seen = {(a.title, a.community_id) for a in session.scalars(select(Activity))}
    added = 0
    for row in read_demo_yaml("activities")["activities"]:
        community_id = _community_id(communities, row.get("community"), f"activity {row['title']!r}")
        if (row["title"], community_id) in seen:
            continue
        starts = _at_bkk(today + timedelta(days=row["day_offset"]), row["start"])
        closes_before = row.get("signup_closes_hours_before")
        session.add(Activity(
            title=row["title"], description=row.get("description"), community_id=community_id,
            place=row.get("place"), starts_at=starts, ends_at=starts + timedelta(minutes=row["duration_minutes"]),
            capacity=row["capacity"], topic=row.get("topic"), target_group=row.get("target_group"),
            fee_baht=row.get("fee"), signup_deadline=None if closes_before is None else starts - timedelta(hours=closes_before),
            status="published",
        ))
        seen.add((row["title"], community_id))
        added += 1
    session.flush()
    return added


def _demo_leader(session: Session, community: Community | None) -> tuple[User, bool]:
    code = community.code if community else "district"
    line_user_id = f"{DEMO_USER_PREFIX}{code}"
    user = session.scalar(select(User).where(User.line_user_id == line_user_id))
    if user is not None:
        return user, False
    name = community.name if community else "เขตลาดพร้าว"
    # is_active=False: a placeholder owner of demo ideas; the sender must never push to it.
    user = User(
        line_user_id=line_user_id, display_name=f"แกนนำ{name} (ตัวอย่าง)", role="leader",
        community_id=community.id if community else None, is_active=False,
    )
    session.add(user)
    session.flush()
    return user, True


def _load_ideas(session: Session, now: datetime, communities: dict[str, Community]) -> dict[str, int]:
    counts = {"users": 0, "ideas": 0, "idea_events": 0}
    seen = {(i.title, i.community_id) for i in session.scalars(select(Idea))}
    for index, row in enumerate(read_demo_yaml("ideas")["ideas"]):
        community_id = _community_id(communities, row.get("community"), f"idea {row['title']!r}")
        if (row["title"], community_id) in seen:
            continue
        community = communities.get(row["community"]) if row.get("community") else None
        owner, created = _demo_leader(session, community)
        counts["users"] += int(created)
        path = _STATUS_PATHS[row["status"]]
        # Spread submissions over the past weeks; each later status came a few days after the one before.
        submitted_at = now - timedelta(days=4 + 3 * index + 4 * (len(path) - 1))
        changed_at = submitted_at + timedelta(days=4 * (len(path) - 1))
        funded = "approved" in path  # granted what was asked, unless the row says otherwise
        asked_fund = row.get("funding_source") if row.get("funding_source") in ideas.grant_funds() else None
        idea = Idea(
            user_id=owner.id, community_id=community_id, title=row["title"], topic=row.get("topic"),
            target_group=row.get("target_group"), problem=row.get("problem"), plan=row.get("plan"),
            budget=row.get("budget"), funding_source=row.get("funding_source"),
            granted_fund=row.get("granted_fund", asked_fund) if funded else None,
            granted_budget=row.get("granted_budget", row.get("budget")) if funded else None,
            participants=row.get("participants"), reached_participants=row.get("reached_participants"),
            outcome=row.get("outcome"),
            contact_phone=row.get("contact_phone"), status=row["status"], status_changed_at=changed_at,
            created_at=submitted_at, updated_at=changed_at,
        )
        session.add(idea)
        session.flush()
        previous: str | None = None
        for step, status in enumerate(path):
            is_last = step == len(path) - 1
            session.add(IdeaEvent(
                idea_id=idea.id, from_status=previous, to_status=status,
                actor_user_id=owner.id if status in ("submitted", "withdrawn") else None,
                reason=row.get("status_note") if is_last else None,
                created_at=submitted_at + timedelta(days=4 * step),
            ))
            previous = status
            counts["idea_events"] += 1
        seen.add((row["title"], community_id))
        counts["ideas"] += 1
    session.flush()
    return counts


def load_demo(session: Session, now: datetime) -> dict[str, int]:
    """Add every demo row that is not there yet; returns how many rows of each kind were added.

    Dates are placed relative to ``now`` (an aware datetime). Running it again adds nothing.
    The caller owns the transaction (``with db.session() as s: load_demo(s, now)``).
    """
    if now.tzinfo is None:
        raise ValueError("load_demo needs an aware datetime")
    counts: dict[str, int] = {}
    counts["communities"], communities = _load_communities(session)
    counts.update(_load_charter(session, now))
    counts["activities"] = _load_activities(session, now, communities)
    counts.update(_load_ideas(session, now, communities))
    return counts
