"""One chat's conversation state as an event sees it: read with its user in one statement, written
back in one UPDATE, and only when the event changed it.

Plain rows, not ORM objects: every event reads and most events write this row, and the ORM's loading
and unit-of-work flush cost about a quarter of acting on an event (py-spy, mixed journeys on
PostgreSQL). The user stays an ORM object: many services change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from storage.models import Conversation, User

_TABLE = Conversation.__table__
KEPT_REQUESTS = "_then"
"""In a conversation's data: requests typed at a yes/no question, to do once it is answered (bot.flows.engine);
kept past the worker's sweep of a silent journey, to say they were not done (bot.services.reminders)."""
_STATE = ("flow", "step", "data", "history", "nonce", "expires_at", "expired_notice", "version")

_READ = (
    select(User, _TABLE.c.id, *(_TABLE.c[name] for name in _STATE))
    .join(_TABLE, _TABLE.c.line_user_id == User.line_user_id)
    .where(_TABLE.c.line_user_id == bindparam("user_id"), _TABLE.c.chat_key == bindparam("chat_key"))
    .with_for_update(of=_TABLE)
)
_WRITE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("conversation_id"))
    .values({name: bindparam(f"new_{name}", type_=_TABLE.c[name].type) for name in (*_STATE, "updated_at")})
)


@dataclass(slots=True)
class ConversationState:
    """The flow a chat is in, its step, the answers so far and how to get back (see bot.flows.engine)."""

    id: int
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    history: list[Any] = field(default_factory=list)
    nonce: str | None = None
    expires_at: datetime | None = None
    expired_notice: str | None = None
    version: int = 0
    _as_read: tuple[Any, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _STATE)

    @property
    def changed(self) -> bool:
        return self._values() != self._as_read


def read(session: Session, user_id: str, chat_key: str) -> tuple[User, ConversationState] | None:
    """The user and their conversation in this chat, the conversation row locked until the commit."""
    row = session.execute(_READ, {"user_id": user_id, "chat_key": chat_key}).first()
    if row is None:
        return None
    user, conversation_id, flow, step, data, history, nonce, expires_at, expired_notice, version = row
    state = ConversationState(conversation_id, flow, step, data if data is not None else {},
                              history if history is not None else [], nonce, expires_at, expired_notice,
                              version or 0)
    state._as_read = state._values()
    return user, state


def write(session: Session, state: ConversationState, now: datetime) -> None:
    """Store what this event changed (nothing when it changed nothing)."""
    if not state.changed:
        return
    values = {f"new_{name}": getattr(state, name) for name in _STATE}
    session.execute(_WRITE, {"conversation_id": state.id, "new_updated_at": now, **values})
    state._as_read = state._values()
