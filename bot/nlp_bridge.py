"""The bot's door to the Thai NLP router (community names come from the database)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from nlp import normalize as nlp_normalize
from nlp import route

if TYPE_CHECKING:
    from storage.db import Database


def community_names(session: Session) -> list[str]:
    """The communities' names in code order, from the directory (bot.services.communities)."""
    from bot.services.communities import directory

    return [community.name for community in directory(session).values()]


def community_names_of(db: Database) -> list[str]:
    """The same names for code outside a transaction; a read transaction only when the directory is cold."""
    from bot.services.communities import directory_of

    return [community.name for community in directory_of(db).values()]


def forget_communities() -> None:
    """Call after adding or renaming communities so the router sees them at once."""
    from bot.services.communities import forget_directory

    forget_directory()


def route_text(session: Session, text: str, now: datetime) -> Any:
    return read_text(text, community_names(session), now)


def read_text(text: str, communities: list[str], now: datetime) -> Any:
    """The NLP router's reading of a text, with these community names."""
    return route(text, communities=communities, now=now)


def normalize(text: str) -> str:
    return nlp_normalize(text)
