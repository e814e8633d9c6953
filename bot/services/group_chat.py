"""The bot in LINE groups: whose journey a tapped button belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Conversation, User


@dataclass(frozen=True)
class ButtonOwner:
    """Another member of the group whose journey a button belongs to, as far as it is known."""

    display_name: str | None = None
    flow: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def button_owner(session: Session, chat_key: str, tapper: str, conversation_id: int, nonce: str | None,
                 params: dict[str, str]) -> ButtonOwner | None:
    """Whose a flow button tapped in a group is, when it is not the tapper's own (None: theirs, or unknown).

    The button names its conversation ("o"); one sent before buttons did is found by its nonce among the
    other members' conversations in this group."""
    found = (select(User.display_name, Conversation.flow, Conversation.data)
             .join(User, User.line_user_id == Conversation.line_user_id)
             .where(Conversation.chat_key == chat_key, Conversation.line_user_id != tapper))
    named = params.get("o") or ""
    if named.isdigit():
        if int(named) == conversation_id:
            return None
        row = session.execute(found.where(Conversation.id == int(named))).first()
        return ButtonOwner(row[0], row[1], row[2] or {}) if row else ButtonOwner()
    sent_for = params.get("n")
    if not sent_for or sent_for == nonce:
        return None
    row = session.execute(found.where(Conversation.nonce == sent_for).limit(1)).first()
    return ButtonOwner(row[0], row[1], row[2] or {}) if row else None
