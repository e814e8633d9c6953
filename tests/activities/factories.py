"""Plain factory functions for activity tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Activity, OutboxMessage, User


def make_user(session: Session, line_user_id: str, *, role: str = "resident", consent: bool = True,
              name: str | None = None) -> User:
    user = User(line_user_id=line_user_id, display_name=name or line_user_id, role=role,
                consent_at=datetime(2026, 1, 1, tzinfo=UTC) if consent else None)
    session.add(user)
    session.flush()
    return user


def make_activity(session: Session, now: datetime, *, capacity: int = 10, days: float = 3,
                  title: str = "ตรวจสุขภาพประจำปี", place: str = "ศาลาชุมชน", topic: str | None = "emerging",
                  community_id: int | None = None, deadline_hours_before: float | None = 12,
                  hours: float = 2) -> Activity:
    starts = now + timedelta(days=days)
    activity = Activity(
        title=title, description="ตรวจความดันและน้ำตาล", place=place, starts_at=starts,
        ends_at=starts + timedelta(hours=hours), capacity=capacity, topic=topic, community_id=community_id,
        signup_deadline=starts - timedelta(hours=deadline_hours_before) if deadline_hours_before is not None else None,
        status="published",
    )
    session.add(activity)
    session.flush()
    return activity


def pushes(session: Session, line_user_id: str | None = None) -> list[OutboxMessage]:
    rows = list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "push").order_by(OutboxMessage.id)))
    if line_user_id is not None:
        rows = [r for r in rows if line_user_id in r.to]
    return rows


def push_text(row: OutboxMessage) -> str:
    return "\n".join(m.get("text", "") for m in row.messages)
