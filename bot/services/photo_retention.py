"""PDPA: an idea's picture is not kept forever. A fixed while after the idea closes (completed, rejected,
withdrawn; ``Settings.idea_photo_keep_days``) the scheduler's ``idea-photo-retention`` job deletes its bytes.

The row stays, ``expired``, with the picture's type, size and when it was stored, and the idea still names
its LINE message: the record keeps that the idea had a picture, and its cards say it was deleted.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Idea, IdeaPhoto

if TYPE_CHECKING:
    from storage.db import Database

EXPIRED = "expired"
HELD = ("stored", "pending")
"""Rows holding (or about to hold) a picture's bytes; refused and failed ones never had them."""
BATCH = 200


def due(session: Session, now: datetime, keep: timedelta, limit: int = BATCH) -> list[int]:
    """The photos to delete now: of ideas closed at least ``keep`` ago (oldest first)."""
    from bot.services.ideas import FINAL_STATUSES

    return list(session.scalars(
        select(IdeaPhoto.id).join(Idea, Idea.id == IdeaPhoto.idea_id)
        .where(Idea.status.in_(FINAL_STATUSES), Idea.status_changed_at <= now - keep, IdeaPhoto.status.in_(HELD))
        .order_by(Idea.status_changed_at, IdeaPhoto.id).limit(limit)))


def expire(session: Session, photo_ids: list[int]) -> int:
    """Delete these pictures' bytes (a new link key too: no old link serves anything). Returns how many."""
    if not photo_ids:
        return 0
    done = session.execute(
        update(IdeaPhoto).where(IdeaPhoto.id.in_(photo_ids), IdeaPhoto.status.in_(HELD))
        .values(status=EXPIRED, content=None, staff_notice=None, last_error=None, link_key=secrets.token_hex(8))
        .execution_options(synchronize_session=False))
    return int(done.rowcount or 0)


def expire_due(db: Database, now: datetime, keep_days: int) -> int:
    """The scheduler's job: every picture past its time, a batch per transaction. Returns how many."""
    keep, total = timedelta(days=keep_days), 0
    while True:
        with db.session() as session:
            batch = due(session, now, keep)
            total += expire(session, batch)
        if len(batch) < BATCH:
            return total
