"""Factories and a fake gateway for worker tests."""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.line import SendLoop
from bot.services.outbox import enqueue
from storage.models import Activity, Community, OutboxMessage, Signup, User


def uid(n: int) -> str:
    """A LINE-shaped user id."""
    return "U" + f"{n:032x}"


def make_user(session: Session, n: int, *, role: str = "resident", community: Community | None = None,
              interests: list[str] | None = None, muted: list[str] | None = None, active: bool = True) -> User:
    user = User(line_user_id=uid(n), display_name=f"คุณ {n}", role=role, consent_at=datetime(2026, 1, 1, tzinfo=UTC),
                community_id=community.id if community else None, interests=interests or [],
                muted_categories=muted or [], is_active=active)
    session.add(user)
    session.flush()
    return user


def make_community(session: Session, name: str = "ชุมชนร่วมใจ", code: str = "C01") -> Community:
    community = Community(code=code, name=name)
    session.add(community)
    session.flush()
    return community


def make_activity(session: Session, starts_at: datetime, *, title: str = "เดินเร็วเพื่อสุขภาพ",
                  place: str = "ลานกีฬาชุมชน", offsets: list[int] | None = None, hours: float = 2) -> Activity:
    activity = Activity(title=title, place=place, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                        capacity=100_000, status="published", topic="physical_activity")
    if offsets is not None:
        activity.reminder_offsets_min = offsets
    session.add(activity)
    session.flush()
    return activity


def sign_up(session: Session, activity: Activity, user: User, status: str = "confirmed") -> Signup:
    signup = Signup(activity_id=activity.id, user_id=user.id, status=status,
                    checkin_code=uuid.uuid4().hex[:8].upper(),
                    waitlist_seq=1 if status == "waitlisted" else None)
    session.add(signup)
    session.flush()
    return signup


def push(session: Session, to: str, text: str = "สวัสดีค่ะ", category: str = "activity_change",
         due_at: datetime | None = None, **extra: Any) -> OutboxMessage:
    row = enqueue(session, kind="push", to=[to], messages=[{"type": "text", "text": text}], category=category,
                  due_at=due_at, **extra)
    assert row is not None
    return row


def rows(session: Session, **where: Any) -> list[OutboxMessage]:
    q = select(OutboxMessage).order_by(OutboxMessage.id)
    for key, value in where.items():
        q = q.where(getattr(OutboxMessage, key) == value)
    return list(session.scalars(q))


@dataclass
class Result:
    ok: bool
    status: int
    error: str | None = None
    retry_after: float | None = None


@dataclass
class FakeGateway:
    """Records calls; ``script`` maps a call number to a Result (default: 200)."""

    script: dict[int, Result] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)
    quota: tuple[int | None, int] = (None, 0)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _record(self, **call: Any) -> Result:
        with self.lock:
            self.calls.append(call)
            return self.script.get(len(self.calls), Result(True, 200))

    def push(self, to, messages, retry_key=None, max_attempts=None):
        return self._record(kind="push", to=[to], messages=messages, retry_key=retry_key)

    def multicast(self, to, messages, retry_key=None, max_attempts=None):
        return self._record(kind="multicast", to=list(to), messages=messages, retry_key=retry_key)

    def broadcast(self, messages, retry_key=None, max_attempts=None):
        return self._record(kind="broadcast", to=[], messages=messages, retry_key=retry_key)

    def narrowcast(self, body, retry_key=None, max_attempts=None):
        return self._record(kind="narrowcast", to=[], messages=[body], retry_key=retry_key)

    def send_reply(self, reply_token, to, messages, retry_key):
        return self._record(kind="reply", to=[to], messages=messages, retry_key=retry_key)

    def get_quota(self):
        return self.quota

    # The send loop's side, as LineGateway has it: the same calls, each on a thread of its own, so a
    # slow one holds up nothing else.

    @property
    def _loop(self) -> SendLoop:
        if "_send_loop" not in self.__dict__:
            self.__dict__["_send_loop"] = SendLoop(None)
        return self.__dict__["_send_loop"]

    def spawn(self, coro):
        return self._loop.spawn(coro)

    def run(self, coro):
        return self._loop.run(coro)

    async def asend_reply(self, reply_token, to, messages, retry_key):
        return await asyncio.to_thread(self.send_reply, reply_token, to, messages, retry_key)

    async def apush(self, to, messages, retry_key=None, max_attempts=None):
        return await asyncio.to_thread(self.push, to, messages, retry_key, max_attempts)

    async def amulticast(self, to, messages, retry_key=None, max_attempts=None):
        return await asyncio.to_thread(self.multicast, to, messages, retry_key, max_attempts)

    async def abroadcast(self, messages, retry_key=None, max_attempts=None):
        return await asyncio.to_thread(self.broadcast, messages, retry_key, max_attempts)

    async def aget_display_name(self, user_id):
        return None

    def backoff(self, attempt, retry_after=None):
        return retry_after or 1.0
