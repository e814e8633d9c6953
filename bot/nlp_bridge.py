"""The bot's door to the Thai NLP router (community names come from the database)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Community

_cache: dict[str, tuple[float, list[str]]] = {}
"""Community names per database URL, refreshed every CACHE_SECONDS."""
_lock = threading.Lock()
CACHE_SECONDS = 300


@dataclass
class FallbackResult:
    intent: str = "other"
    confidence: float = 0.0
    sure: bool = False
    topic: str | None = None
    entities: dict[str, Any] = field(default_factory=dict)


def community_names(session: Session) -> list[str]:
    key = str(session.get_bind().url)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
    names = list(session.scalars(select(Community.name).order_by(Community.code)))
    with _lock:
        _cache[key] = (time.monotonic(), names)
    return names


def forget_communities() -> None:
    """Call after adding or renaming communities so the router sees them at once."""
    with _lock:
        _cache.clear()


def route_text(session: Session, text: str, now: datetime) -> Any:
    try:
        from nlp import route
    except ImportError:
        return FallbackResult()
    return route(text, communities=community_names(session), now=now)


def normalize(text: str) -> str:
    try:
        from nlp import normalize as nlp_normalize

        return nlp_normalize(text)
    except ImportError:
        return " ".join(text.replace("\u200b", "").split())
