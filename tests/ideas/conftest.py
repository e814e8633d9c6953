"""Factories for the ideas tests: communities, users in each role, ideas in any status."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import ideas
from storage.models import Community, Idea, IdeaEvent, OutboxMessage, User

_seq = count(1)


def make_community(session: Session, name: str = "ชุมชนโชคชัย 4") -> Community:
    community = session.scalar(select(Community).where(Community.name == name))
    if community is None:
        community = Community(code=f"T{next(_seq):03d}", name=name)
        session.add(community)
        session.flush()
    return community


def make_user(session: Session, role: str = "resident", community: Community | None = None,
              consent: bool = True, name: str | None = None, now: datetime | None = None) -> User:
    n = next(_seq)
    user = User(line_user_id=f"U{role}{n:04d}", display_name=name or f"{role} {n}", role=role,
                community_id=community.id if community else None)
    if consent:
        user.consent_at = now or ideas.utcnow()
    session.add(user)
    session.flush()
    return user


def make_idea(session: Session, user: User, status: str = "submitted", now: datetime | None = None,
              **fields: Any) -> Idea:
    """An idea submitted through the service, then put straight into ``status`` (with its events)."""
    fields.setdefault("title", "ลานออกกำลังกายผู้สูงอายุ")
    idea = ideas.submit(session, user, now=now, **fields)
    if status != "submitted":
        path = {
            "under_review": ("under_review",),
            "needs_revision": ("under_review", "needs_revision"),
            "approved": ("under_review", "approved"),
            "in_progress": ("under_review", "approved", "in_progress"),
            "completed": ("under_review", "approved", "in_progress", "completed"),
            "rejected": ("under_review", "rejected"),
            "withdrawn": ("withdrawn",),
        }[status]
        for step in path:
            session.add(IdeaEvent(idea_id=idea.id, from_status=idea.status, to_status=step,
                                  actor_user_id=None, reason="ทดสอบ", created_at=idea.created_at))
            idea.status = step
        session.flush()
    return idea


def pushes_to(session: Session, user: User) -> list[OutboxMessage]:
    """Outbox rows addressed to this user (push or multicast), oldest first."""
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [row for row in rows if user.line_user_id in (row.to or [])]


def texts_of(row: OutboxMessage) -> str:
    """All visible text in one outbox row (text messages and Flex alt text/body)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "altText", "label"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(row.messages)
    return "\n".join(out)


@pytest.fixture
def world(db, now):
    """A community with a resident submitter, a leader, two staff, and a resident elsewhere."""
    with db.session() as s:
        home = make_community(s, "ชุมชนโชคชัย 4")
        other = make_community(s, "ชุมชนร่วมใจพัฒนา")
        people = {
            "resident": make_user(s, "resident", home, now=now),
            "neighbour": make_user(s, "resident", home, now=now),
            "leader": make_user(s, "leader", home, now=now),
            "other_leader": make_user(s, "leader", other, now=now),
            "staff": make_user(s, "staff", now=now),
            "staff2": make_user(s, "staff", now=now),
            "admin": make_user(s, "admin", now=now),
            "stranger": make_user(s, "resident", other, now=now),
        }
        ids = {k: u.id for k, u in people.items()}
        ids["home"], ids["other"] = home.id, other.id
    return ids
