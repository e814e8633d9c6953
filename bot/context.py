"""The context one event is handled in: who, where, when, the open transaction, and the replies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from storage.models import User

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.conversation_state import ConversationState


class ActAloneAgain(Exception):
    """A business rule refused a change after part of it was written, in a transaction shared with other
    events: the processor rolls the transaction back and acts on its events again, one by one."""


@dataclass
class Ctx:
    session: Session
    user: User | None
    conversation: ConversationState | None
    now: datetime
    chat_key: str
    event: dict[str, Any]
    settings: Settings | None = None
    out: list[dict[str, Any]] = field(default_factory=list)
    after_commit: list[Any] = field(default_factory=list)
    _route: Any = None
    said: str | None = None
    then_say: str | None = None
    """What a "no" said with more words went on to ask ("ไม่ใช่ค่ะ อยากไปวัดความดันมากกว่า"): handled next."""
    shared_transaction: bool = False
    """The processor acts on several events in this transaction and can act on them again one by one."""

    @property
    def is_group(self) -> bool:
        return self.event.get("source", {}).get("type") in ("group", "room")

    @property
    def text(self) -> str | None:
        """What the user said: the text being handled (also when a button says it again), else the message's."""
        if self.said is not None:
            return self.said
        message = self.event.get("message") or {}
        return message.get("text") if message.get("type") == "text" else None

    def reply(self, *messages: dict[str, Any]) -> None:
        self.out.extend(messages)

    def route(self, text: str) -> Any:
        """The NLP reading of a text (cached per event)."""
        if self._route is None or self._route[0] != text:
            from bot.nlp_bridge import route_text

            self._route = (text, route_text(self.session, text, self.now))
        return self._route[1]

    def redo_data(self) -> str | None:
        """Postback data that does this event again: its own postback, or its text said again."""
        if self.event.get("type") == "postback":
            return (self.event.get("postback") or {}).get("data") or None
        if self.text:
            from bot import postback

            return postback.encode_kept("say", t=self.text)
        return None

    def start_flow(self, name: str, **data: Any) -> None:
        from bot.flows import engine

        engine.start(self, name, data)

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """What runs inside is undone if a business rule refuses it (a ServiceError leaves the block).

        Alone in its transaction, a SAVEPOINT undoes it. In a shared transaction the refusal becomes
        ActAloneAgain instead: refusals are rare, and two statements a finish cost every event.
        """
        if not self.shared_transaction:
            with self.session.begin_nested():
                yield
            return
        from bot.services.errors import ServiceError

        try:
            yield
        except ServiceError as exc:
            raise ActAloneAgain(exc.code) from exc
