"""Tests that read like the conversation: chat("U1").say("กิจกรรม").tap("สมัคร").expect("สำเร็จ").

Every step is a real signed webhook POST to /callback; replies are read back from the stand-in LINE
API, which validates every request with the SDK's models and LINE's limits.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bot.simulator.events import build_event, new_reply_token, signed_request
from bot.simulator.fake_line import FakeLineServer
from bot.thaidate import now_utc
from storage.db import Database


@dataclass
class Harness:
    app: Flask
    client: FlaskClient
    fake: FakeLineServer
    db: Database
    secret: str

    def post_events(self, events: list[dict[str, Any]], *, secret: str | None = None) -> Any:
        body, headers = signed_request(events, secret or self.secret)
        return self.client.post("/callback", data=body, headers=headers)

    def wait(self, timeout: float = 15.0) -> None:
        """Until every event is processed and every send is done."""
        processor = self.app.extensions["ruamkan.processor"]
        sender = self.app.extensions["ruamkan.sender"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            processor.wait_idle(timeout=deadline - time.monotonic())
            sender.wait_idle(timeout=deadline - time.monotonic())
            if processor.backlog == 0 and sender.backlog == 0:
                return
        raise AssertionError("the bot did not finish processing in time")

    def set_clock(self, at: Any) -> None:
        """The bot's now for the events that follow (the day and hour a dialogue is held), as `run_outbox(now)`
        sets the sender's; keep it ahead of the real time, as replies are recorded claimed at it."""
        self.app.extensions["ruamkan.processor"].clock = lambda: at

    def run_outbox(self, now: Any = None) -> None:
        """Deliver queued pushes due by `now` (default: the real now), as the worker's outbox loop does."""
        from bot.outbox_delivery import deliver_due

        deliver_due(self.db, self.app.extensions["ruamkan.gateway"], worker_id="test", now=now)

    def messages_to(self, chat_id: str, after: int = 0) -> list[dict[str, Any]]:
        return self.fake.store.messages_for(chat_id, after)


def _dicts(node: Any, skip: frozenset[str] = frozenset()) -> Any:
    """Every dict inside a message (depth first), not descending into keys in `skip`."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in skip:
                yield from _dicts(value, skip)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value, skip)


def message_texts(message: dict[str, Any]) -> list[str]:
    """Every piece of text a person would read in a message (text, alt text, Flex and template text)."""
    return [part[key] for part in _dicts(message, frozenset({"quickReply"}))
            for key in ("text", "altText", "title", "label") if isinstance(part.get(key), str)]


def actions_in(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every tappable action: quick-reply items, template actions, Flex buttons (and box actions)."""
    found: list[dict[str, Any]] = []
    for part in _dicts(message, frozenset({"action"})):
        action = part.get("action")
        if isinstance(action, dict) and "type" in action:
            found.append(action)
        for key in ("actions", "defaultAction"):
            value = part.get(key)
            if isinstance(value, list):
                found.extend(a for a in value if isinstance(a, dict))
            elif isinstance(value, dict):
                found.append(value)
    return found


@dataclass
class Chat:
    harness: Harness
    user_id: str
    group_id: str | None = None
    last: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    _seen: int = 0

    # --- sending ---------------------------------------------------------------------------------
    def send(self, kind: str, **kw: Any) -> Chat:
        token = new_reply_token()
        event = build_event(kind, self.user_id, reply_token=token, group_id=self.group_id, **kw)
        to = self.group_id or self.user_id
        self.harness.fake.store.register_reply_token(token, to)
        response = self.harness.post_events([event])
        assert response.status_code == 200, response.data
        self.harness.wait()
        self._collect()
        return self

    def say(self, text: str) -> Chat:
        return self.send("text", text=text)

    def postback(self, data: str, params: dict[str, str] | None = None, display_text: str | None = None) -> Chat:
        return self.send("postback", data=data, params=params)

    def follow(self) -> Chat:
        return self.send("follow")

    def unfollow(self) -> Chat:
        return self.send("unfollow")

    def tap(self, label: str, params: dict[str, str] | None = None) -> Chat:
        """Tap the newest button, chip or card action whose label contains `label`."""
        action = self.find_action(label)
        kind = action["type"]
        if kind == "message":
            return self.say(action["text"])
        if kind == "postback":
            return self.postback(action["data"], params)
        if kind == "datetimepicker":
            return self.postback(action["data"], params or {"datetime": "2026-12-05T09:00"})
        raise AssertionError(f"cannot tap a {kind} action in tests: {action}")

    def find_action(self, label: str) -> dict[str, Any]:
        """An exact label match wins; otherwise the newest action whose label contains `label`."""
        for exact in (True, False):
            for message in reversed(self.last):
                for action in reversed(actions_in(message)):
                    have = action.get("label") or ""
                    if (have == label) if exact else (label in have):
                        return action
        labels = [a.get("label") for m in self.last for a in actions_in(m)]
        raise AssertionError(f"no button {label!r} in the last replies; buttons were: {labels}")

    # --- reading ---------------------------------------------------------------------------------
    def _collect(self) -> None:
        to = self.group_id or self.user_id
        new = self.harness.messages_to(to, self._seen)
        if new:
            self._seen = max(m["seq"] for m in new)
        self.last = [m["message"] for m in new]
        self.history.extend(new)

    def refresh(self) -> Chat:
        """Pick up pushes that arrived since the last step (e.g. after the outbox ran)."""
        self._collect()
        return self

    @property
    def texts(self) -> list[str]:
        return [t for m in self.last for t in message_texts(m)]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def expect(self, *fragments: str) -> Chat:
        for fragment in fragments:
            assert fragment in self.text, f"expected {fragment!r} in the bot's replies:\n{self.text}"
        return self

    def expect_not(self, *fragments: str) -> Chat:
        for fragment in fragments:
            assert fragment not in self.text, f"did not expect {fragment!r} in:\n{self.text}"
        return self

    def expect_quiet(self) -> Chat:
        assert not self.last, f"expected no reply, got:\n{self.text}"
        return self

    def quick_labels(self) -> list[str]:
        items = [m.get("quickReply", {}).get("items", []) for m in self.last]
        return [i["action"].get("label", "") for group in items for i in group]

    def dump(self) -> str:
        return json.dumps(self.last, ensure_ascii=False, indent=1)


def now_for_tests() -> Any:
    return now_utc()
