"""LINE's request validation: the SDK's own models plus the limits LINE enforces that the models don't."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from linebot.v3.messaging import (
    BroadcastRequest,
    Message,
    MulticastRequest,
    NarrowcastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
)

from bot.replies import BoundedCache, validation_key

Detail = dict[str, str]

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLY = 13
MAX_LABEL = 20
MAX_FLEX_LABEL = 40
MAX_POSTBACK_DATA = 300
MAX_DISPLAY_TEXT = 300
MAX_MESSAGE_ACTION_TEXT = 300
MAX_URI = 1000
MAX_ALT_TEXT = 400
MAX_CAROUSEL_BUBBLES = 12
MAX_TEMPLATE_COLUMNS = 10
MAX_MULTICAST = 500
MAX_FLEX_JSON = 50_000
ACTION_TYPES = frozenset({"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location",
                          "richmenuswitch", "clipboard"})
QUICK_REPLY_ACTIONS = frozenset({"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll",
                                 "location", "clipboard"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}$")
_PICKER_FORMATS = {"date": _DATE, "time": _TIME, "datetime": _DATETIME}

REQUEST_MODELS: dict[str, Callable[[dict], Any]] = {
    "replyMessage": ReplyMessageRequest.from_dict,
    "pushMessage": PushMessageRequest.from_dict,
    "multicast": MulticastRequest.from_dict,
    "broadcast": BroadcastRequest.from_dict,
    "narrowcast": NarrowcastRequest.from_dict,
    "createRichMenu": RichMenuRequest.from_dict,
}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as LINE counts most text (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def grapheme_len(text: str) -> int:
    """Approximate count of grapheme clusters, as LINE counts labels and template texts.

    Combining marks (Thai vowels above/below and tone marks included), SARA AM, variation selectors,
    skin-tone modifiers and ZWJ sequences do not start a new cluster.
    """
    count = 0
    join_next = False
    regional = 0
    for ch in text:
        cp = ord(ch)
        if join_next:
            join_next = False
            continue
        if cp == 0x200D:
            join_next = True
            continue
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Mc") or cp in (0x0E33, 0x0EB3) or 0xFE00 <= cp <= 0xFE0F \
                or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:
            regional += 1
            if regional % 2 == 0:
                continue
        else:
            regional = 0
        count += 1
    return count


class _Checker:
    """Collects LINE-style error details while walking a request body."""

    def __init__(self) -> None:
        self.details: list[Detail] = []

    def add(self, prop: str, message: str) -> None:
        self.details.append({"message": message, "property": prop})

    def required(self, obj: dict, key: str, prop: str) -> bool:
        value = obj.get(key)
        if value is None or value == "" or value == []:
            self.add(f"{prop}.{key}" if prop else key, "Must not be empty")
            return False
        return True

    def length(self, value: Any, prop: str, maximum: int, *, graphemes: bool = False, minimum: int = 0) -> None:
        if not isinstance(value, str):
            return
        n = grapheme_len(value) if graphemes else utf16_len(value)
        if n > maximum or n < minimum:
            self.add(prop, f"Length must be between {minimum} and {maximum}")

    def size(self, value: Any, prop: str, maximum: int, minimum: int = 1) -> bool:
        if not isinstance(value, list):
            self.add(prop, "Must be an array")
            return False
        if not minimum <= len(value) <= maximum:
            self.add(prop, f"Size must be between {minimum} and {maximum}")
            return False
        return True

    # ---- actions -------------------------------------------------------------------------------
    def action(self, action: Any, prop: str, *, label_max: int | None = MAX_LABEL,
               label_required: bool = False) -> None:
        if not isinstance(action, dict):
            self.add(prop, "Must be an object")
            return
        kind = action.get("type")
        if kind not in ACTION_TYPES:
            self.add(f"{prop}.type", f"Unknown action type: {kind!r}")
            return
        if label_required:
            self.required(action, "label", prop)
        if label_max is not None:
            self.length(action.get("label"), f"{prop}.label", label_max, graphemes=True)
        if kind == "postback":
            if self.required(action, "data", prop):
                self.length(action["data"], f"{prop}.data", MAX_POSTBACK_DATA)
            self.length(action.get("displayText"), f"{prop}.displayText", MAX_DISPLAY_TEXT, graphemes=True)
            self.length(action.get("text"), f"{prop}.text", MAX_DISPLAY_TEXT, graphemes=True)
            if action.get("displayText") and action.get("text"):
                self.add(prop, "displayText and text cannot both be specified")
        elif kind == "message":
            if self.required(action, "text", prop):
                self.length(action["text"], f"{prop}.text", MAX_MESSAGE_ACTION_TEXT, graphemes=True)
        elif kind == "uri":
            if self.required(action, "uri", prop):
                self.length(action["uri"], f"{prop}.uri", MAX_URI)
                if not re.match(r"^(https?|line|tel):", str(action["uri"])):
                    self.add(f"{prop}.uri", "Must be an http, https, line or tel URI")
        elif kind == "datetimepicker":
            if self.required(action, "data", prop):
                self.length(action["data"], f"{prop}.data", MAX_POSTBACK_DATA)
            mode = action.get("mode")
            pattern = _PICKER_FORMATS.get(mode)
            if pattern is None:
                self.add(f"{prop}.mode", "Must be one of date, time, datetime")
            else:
                for key in ("initial", "min", "max"):
                    if key in action and not pattern.match(str(action[key])):
                        self.add(f"{prop}.{key}", f"Invalid format for mode {mode}")
        elif kind == "richmenuswitch":
            self.required(action, "richMenuAliasId", prop)
            if self.required(action, "data", prop):
                self.length(action["data"], f"{prop}.data", MAX_POSTBACK_DATA)
        elif kind == "clipboard":
            if self.required(action, "clipboardText", prop):
                self.length(action["clipboardText"], f"{prop}.clipboardText", 1000)

    # ---- messages ------------------------------------------------------------------------------
    def messages(self, messages: Any, prop: str = "messages") -> None:
        if not self.size(messages, prop, MAX_MESSAGES):
            return
        for i, message in enumerate(messages):
            self.message(message, f"{prop}[{i}]")

    def message(self, msg: Any, prop: str) -> None:
        if not isinstance(msg, dict):
            self.add(prop, "Must be an object")
            return
        kind = msg.get("type")
        if kind in ("text", "textV2"):
            if self.required(msg, "text", prop):
                self.length(msg["text"], f"{prop}.text", MAX_TEXT)
        elif kind == "sticker":
            self.required(msg, "packageId", prop)
            self.required(msg, "stickerId", prop)
        elif kind in ("image", "video"):
            for key in ("originalContentUrl", "previewImageUrl"):
                self._media_url(msg, key, prop)
        elif kind == "audio":
            self._media_url(msg, "originalContentUrl", prop)
            self.required(msg, "duration", prop)
        elif kind == "location":
            for key in ("title", "address"):
                if self.required(msg, key, prop):
                    self.length(msg[key], f"{prop}.{key}", 100)
            self.required(msg, "latitude", prop)
            self.required(msg, "longitude", prop)
        elif kind == "template":
            self._alt_text(msg, prop)
            self.template(msg.get("template"), f"{prop}.template")
        elif kind == "flex":
            self._alt_text(msg, prop)
            self.flex(msg.get("contents"), f"{prop}.contents")
        elif kind == "imagemap":
            self._alt_text(msg, prop)
        elif kind is None:
            self.add(f"{prop}.type", "Must not be empty")
        qr = msg.get("quickReply")
        if qr is not None:
            items = qr.get("items") if isinstance(qr, dict) else None
            if self.size(items, f"{prop}.quickReply.items", MAX_QUICK_REPLY):
                for j, item in enumerate(items):
                    iprop = f"{prop}.quickReply.items[{j}]"
                    action = item.get("action") if isinstance(item, dict) else None
                    if isinstance(action, dict) and action.get("type") not in QUICK_REPLY_ACTIONS:
                        self.add(f"{iprop}.action.type", "Not allowed in a quick reply")
                    self.action(action, f"{iprop}.action", label_required=True)
        sender = msg.get("sender")
        if isinstance(sender, dict):
            self.length(sender.get("name"), f"{prop}.sender.name", 20)

    def _alt_text(self, msg: dict, prop: str) -> None:
        if self.required(msg, "altText", prop):
            self.length(msg["altText"], f"{prop}.altText", MAX_ALT_TEXT)

    def _media_url(self, msg: dict, key: str, prop: str) -> None:
        if self.required(msg, key, prop):
            url = str(msg[key])
            self.length(url, f"{prop}.{key}", 2000)
            if not url.startswith("https://"):
                self.add(f"{prop}.{key}", "Must be an HTTPS URL")

    def template(self, tpl: Any, prop: str) -> None:
        if not isinstance(tpl, dict):
            self.add(prop, "Must not be empty")
            return
        kind = tpl.get("type")
        if kind == "buttons":
            short = bool(tpl.get("title") or tpl.get("thumbnailImageUrl"))
            if self.required(tpl, "text", prop):
                self.length(tpl["text"], f"{prop}.text", 60 if short else 160, graphemes=True)
            self.length(tpl.get("title"), f"{prop}.title", 40, graphemes=True)
            if self.size(tpl.get("actions"), f"{prop}.actions", 4):
                for i, a in enumerate(tpl["actions"]):
                    self.action(a, f"{prop}.actions[{i}]", label_required=True)
            if tpl.get("defaultAction") is not None:
                self.action(tpl["defaultAction"], f"{prop}.defaultAction")
        elif kind == "confirm":
            if self.required(tpl, "text", prop):
                self.length(tpl["text"], f"{prop}.text", 240, graphemes=True)
            if self.size(tpl.get("actions"), f"{prop}.actions", 2, minimum=2):
                for i, a in enumerate(tpl["actions"]):
                    self.action(a, f"{prop}.actions[{i}]", label_required=True)
        elif kind == "carousel":
            columns = tpl.get("columns")
            if self.size(columns, f"{prop}.columns", MAX_TEMPLATE_COLUMNS):
                counts = set()
                for i, col in enumerate(columns):
                    cprop = f"{prop}.columns[{i}]"
                    if not isinstance(col, dict):
                        self.add(cprop, "Must be an object")
                        continue
                    short = bool(col.get("title") or col.get("thumbnailImageUrl"))
                    if self.required(col, "text", cprop):
                        self.length(col["text"], f"{cprop}.text", 60 if short else 120, graphemes=True)
                    self.length(col.get("title"), f"{cprop}.title", 40, graphemes=True)
                    if self.size(col.get("actions"), f"{cprop}.actions", 3):
                        counts.add(len(col["actions"]))
                        for j, a in enumerate(col["actions"]):
                            self.action(a, f"{cprop}.actions[{j}]", label_required=True)
                if len(counts) > 1:
                    self.add(f"{prop}.columns", "All columns must have the same number of actions")
        elif kind == "image_carousel":
            columns = tpl.get("columns")
            if self.size(columns, f"{prop}.columns", MAX_TEMPLATE_COLUMNS):
                for i, col in enumerate(columns):
                    self.action((col or {}).get("action"), f"{prop}.columns[{i}].action", label_max=12)
        else:
            self.add(f"{prop}.type", f"Unknown template type: {kind!r}")

    def flex(self, contents: Any, prop: str) -> None:
        if not isinstance(contents, dict):
            self.add(prop, "Must not be empty")
            return
        if len(json.dumps(contents, ensure_ascii=False)) > MAX_FLEX_JSON:
            self.add(prop, f"Flex message JSON must be at most {MAX_FLEX_JSON} characters")
        if contents.get("type") == "carousel":
            if self.size(contents.get("contents"), f"{prop}.contents", MAX_CAROUSEL_BUBBLES):
                for i, bubble in enumerate(contents["contents"]):
                    self._flex_node(bubble, f"{prop}.contents[{i}]")
        elif contents.get("type") == "bubble":
            self._flex_node(contents, prop)
        else:
            self.add(f"{prop}.type", "Must be bubble or carousel")

    def _flex_node(self, node: Any, prop: str) -> None:
        if isinstance(node, list):
            for i, child in enumerate(node):
                self._flex_node(child, f"{prop}[{i}]")
            return
        if not isinstance(node, dict):
            return
        if node.get("type") == "image" and "url" in node:  # a Flex image (a card's hero): LINE fetches it
            self.length(str(node["url"]), f"{prop}.url", 2000)
            if not str(node["url"]).startswith("https://"):
                self.add(f"{prop}.url", "Must be an HTTPS URL")
        for key, value in node.items():
            if key in ("action", "defaultAction") and isinstance(value, dict):
                self.action(value, f"{prop}.{key}", label_max=MAX_FLEX_LABEL)
            elif isinstance(value, dict | list):
                self._flex_node(value, f"{prop}.{key}")

    # ---- rich menu -----------------------------------------------------------------------------
    def rich_menu(self, body: dict) -> None:
        size = body.get("size") or {}
        width, height = size.get("width"), size.get("height")
        if not (isinstance(width, int) and isinstance(height, int)) or not 800 <= width <= 2500 \
                or height < 250 or width / height < 1.45:
            self.add("size", "Width must be 800-2500, height at least 250, width/height at least 1.45")
        self.length(body.get("name"), "name", 300, graphemes=True)
        if self.required(body, "chatBarText", ""):
            self.length(body["chatBarText"], "chatBarText", 14, graphemes=True)
        areas = body.get("areas")
        if self.size(areas, "areas", 20):
            for i, area in enumerate(areas):
                self.action((area or {}).get("action"), f"areas[{i}].action")


def _model_details(exc: Exception) -> list[Detail]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return [{"message": e.get("msg", "invalid"), "property": ".".join(str(p) for p in e.get("loc", ()))}
                for e in errors()]
    return [{"message": str(exc).splitlines()[0][:300], "property": ""}]


def validate_request(endpoint: str, body: Any) -> list[Detail]:
    """Error details for one API request body (empty when LINE would accept it)."""
    check = _Checker()
    if not isinstance(body, dict):
        check.add("", "The request body must be a JSON object")
        return check.details
    if endpoint == "createRichMenu":
        check.rich_menu(body)
    else:
        check.messages(body.get("messages"))
        if endpoint == "replyMessage":
            check.required(body, "replyToken", "")
        elif endpoint == "pushMessage":
            check.required(body, "to", "")
        elif endpoint == "multicast":
            check.size(body.get("to"), "to", MAX_MULTICAST)
    if check.details:
        return check.details
    model = REQUEST_MODELS.get(endpoint)
    if model is not None:
        messages = body.get("messages") if endpoint != "createRichMenu" else None
        keys = [validation_key(m) for m in messages] if isinstance(messages, list) else []
        try:
            if keys and all(_VALID_MESSAGES.get(key) for key in keys):
                # Every message passed the SDK's Message model before; check the envelope alone.
                model({**body, "messages": [_PROBE]})
            else:
                model(body)
                _remember_valid(keys)
        except Exception as exc:  # pydantic ValidationError or the SDK's discriminator ValueError
            return _model_details(exc)
    return []


_PROBE = {"type": "text", "text": "-"}
_VALID_MESSAGES = BoundedCache(8192)
"""Message shapes the SDK's models accepted (bot.shape_key): the same card sent again is not re-parsed."""


def _remember_valid(keys: list[str]) -> None:
    for key in keys:
        _VALID_MESSAGES.put(key, True)


def validate_messages(messages: list[dict]) -> list[Detail]:
    """Error details for a list of message objects (handy for unit tests of reply builders)."""
    check = _Checker()
    check.messages(messages)
    if not check.details:
        for i, msg in enumerate(messages):
            try:
                Message.from_dict(msg)
            except Exception as exc:
                for d in _model_details(exc):
                    check.add(f"messages[{i}]" + (f".{d['property']}" if d["property"] else ""), d["message"])
    return check.details
