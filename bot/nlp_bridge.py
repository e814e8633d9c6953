"""The bot's door to the Thai NLP router (community names come from the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.timed_cache import TimedCache
from storage.models import Community

if TYPE_CHECKING:
    from storage.db import Database

CACHE_SECONDS = 300
_names: TimedCache[list[str]] = TimedCache(CACHE_SECONDS)
"""Community names per database URL."""


@dataclass
class FallbackResult:
    intent: str = "other"
    confidence: float = 0.0
    sure: bool = False
    topic: str | None = None
    topic_named: bool = False
    entities: dict[str, Any] = field(default_factory=dict)


def community_names(session: Session) -> list[str]:
    return _names.get(str(session.get_bind().url), lambda: _load_names(session))


def community_names_of(db: Database) -> list[str]:
    """The same names for code outside a transaction; a read transaction only when the cache is cold."""
    def load() -> list[str]:
        with db.session(readonly=True) as session:
            return _load_names(session)

    return _names.get(str(db.engine.url), load)


def _load_names(session: Session) -> list[str]:
    return list(session.scalars(select(Community.name).order_by(Community.code)))


def forget_communities() -> None:
    """Call after adding or renaming communities so the router sees them at once."""
    _names.clear()


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
