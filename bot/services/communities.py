"""Finding communities: the nearest to a shared location, and the ones most residents belong to."""

from __future__ import annotations

import math
import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.timed_cache import TimedCache
from storage.models import Community, User

POPULAR_FOR_SECONDS = 60.0
"""How long one process reuses the "most used" list: it moves slowly, and every new user asks for it."""

_popular: TimedCache[list[tuple[int, str]]] = TimedCache(POPULAR_FOR_SECONDS)


def haversine_km(lat1: Any, lng1: Any, lat2: Any, lng2: Any) -> float:
    try:
        p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
        dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    except (TypeError, ValueError):
        return float("inf")
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def nearest_communities(session: Session, lat: Any, lng: Any, limit: int = 3) -> list[Community]:
    rows = [c for c in session.scalars(select(Community)) if c.lat is not None and c.lng is not None]
    rows.sort(key=lambda c: haversine_km(c.lat, c.lng, lat, lng))
    return [c for c in rows[:limit] if haversine_km(c.lat, c.lng, lat, lng) < 50]


def with_name(session: Session, name: str | None) -> Community | None:
    """The community with exactly this name (as the NLP router gives it), or None."""
    if not name:
        return None
    return session.scalar(select(Community).where(Community.name == name))


def community_named(session: Session, text: str) -> Community | None:
    """The community a typed answer names, matched loosely (typos, "โชคชัย๔"), or None."""
    from bot.nlp_bridge import community_names
    from nlp import match_community

    found = match_community(text, community_names(session))
    return with_name(session, found[0]) if found else None


_SAID_AROUND = re.compile(r"^(?:ผม|ฉัน|หนู|เรา|บ้าน)?(?:อยู่|ที่|จาก)?|(?:ค่ะ|คะ|ครับ|คับ|จ้า|จ้ะ|นะ)+$")
_NAME_NOISE = re.compile(r"ชุมชน|\s+")


def community_said_alone(session: Session, text: str) -> Community | None:
    """The community when the text is little more than its name ("ชุมชนลาดพร้าว 101 ค่ะ", "อยู่โชคชัย๔"),
    else None: a message that only mentions a place ("ไปเซ็นทรัลลาดพร้าวยังไง") is about something else."""
    from nlp.normalize import light_normalize

    said = _SAID_AROUND.sub("", _NAME_NOISE.sub("", light_normalize(text or "")))
    found = community_named(session, said) if said else None
    if found is None or len(said) > len(_NAME_NOISE.sub("", found.name)) + 2:
        return None
    return found


def popular_communities(session: Session, limit: int = 5) -> list[tuple[int, str]]:
    """(id, name) of the communities with the most residents, then by code; read at most once a minute."""

    def load() -> list[tuple[int, str]]:
        counts = (select(User.community_id, func.count().label("n")).where(User.community_id.is_not(None))
                  .group_by(User.community_id).subquery())
        return [(row.id, row.name) for row in session.execute(
            select(Community.id, Community.name).outerjoin(counts, counts.c.community_id == Community.id)
            .order_by(func.coalesce(counts.c.n, 0).desc(), Community.code).limit(limit))]

    return _popular.get((str(session.get_bind().url), limit), load)


def forget_popular() -> None:
    """Read the "most used" list afresh next time (tests; a new database)."""
    _popular.clear()
