"""The bot's door to the Thai NLP router (community names come from the database)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Community

if TYPE_CHECKING:
    from storage.db import Database

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
    return _cached_names(str(session.get_bind().url), lambda: _load_names(session))


def community_names_of(db: Database) -> list[str]:
    """The same names for code outside a transaction; a read transaction only when the cache is cold."""
    def load() -> list[str]:
        with db.session(readonly=True) as session:
            return _load_names(session)

    return _cached_names(str(db.engine.url), load)


def _load_names(session: Session) -> list[str]:
    return list(session.scalars(select(Community.name).order_by(Community.code)))


def _cached_names(key: str, load: Callable[[], list[str]]) -> list[str]:
    with _lock:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
    names = load()
    with _lock:
        _cache[key] = (time.monotonic(), names)
    return names


def forget_communities() -> None:
    """Call after adding or renaming communities so the router sees them at once."""
    with _lock:
        _cache.clear()


def route_text(session: Session, text: str, now: datetime) -> Any:
    return read_text(text, community_names(session), now)


def read_text(text: str, communities: list[str], now: datetime) -> Any:
    """The NLP router's reading of a text, with these community names."""
    try:
        from nlp import route
    except ImportError:
        return FallbackResult()
    return route(text, communities=communities, now=now)


def normalize(text: str) -> str:
    try:
        from nlp import normalize as nlp_normalize

        return nlp_normalize(text)
    except ImportError:
        return " ".join(text.replace("\u200b", "").split())
