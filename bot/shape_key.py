"""Cache keys for checks against the SDK's models: a JSON document with its free text taken out.

LINE's models (generated from its OpenAPI) check of a free-text field only that it is a string, and of
a few only its length. Two documents that differ only in such fields are therefore equally valid, and a
check done once holds for both: the same card with another user's tally, the same event with another
user's words. The key keeps everything else as it is, so a different shape, enum value or number is
checked again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

_STRING = r'"((?:[^"\\]|\\.)*)"'


class ShapeKey:
    """A document's JSON (compact, or json.dumps' default) as its key.

    Strings of `free` fields become "", of `measured` fields their length; `numbers` fields become 0.
    """

    def __init__(self, free: Iterable[str], measured: Iterable[str] = (), numbers: Iterable[str] = ()) -> None:
        self._free = frozenset(free)
        self._measured = frozenset(measured)
        names = "|".join(sorted({*self._free, *self._measured}))
        self._strings = re.compile(f'"({names})": ?{_STRING}')
        self._numbers = re.compile(f'"({"|".join(sorted(numbers))})": ?-?[0-9]+') if numbers else None

    def __call__(self, document_json: str) -> str:
        key = self._strings.sub(self._replace, document_json)
        return self._numbers.sub(r'"\1":0', key) if self._numbers else key

    def _replace(self, match: re.Match[str]) -> str:
        name, literal = match.group(1), match.group(2)
        if name in self._free:
            return f'"{name}":""'
        length = len(json.loads(f'"{literal}"')) if "\\" in literal else len(literal)  # decoded characters
        return f'"{name}":{length}'


MESSAGE_KEY = ShapeKey(free=("text", "label", "altText", "displayText"), measured=("data",))
"""Messages we send: only postback `data` has a limit in the models (300 characters)."""

EVENT_KEY = ShapeKey(
    free=("replyToken", "userId", "groupId", "roomId", "webhookEventId", "id", "quoteToken", "data",
          "markAsReadToken"),
    measured=("text",),  # a sticker's text is at most 100 characters
    numbers=("timestamp",),
)
"""Webhook events we receive: ids, tokens and postback data are any string; the text has a limit."""
