"""LINE message builders; every limit LINE enforces is applied here, in finalize()."""

from __future__ import annotations

import json
import threading
from typing import Any

from bot.shape_key import MESSAGE_KEY

Message = dict[str, Any]
Action = dict[str, Any]

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_ITEMS = 13
MAX_LABEL = 20
MAX_POSTBACK = 300
MAX_BUBBLES = 12
MAX_ALT = 400
MAX_DISPLAY_TEXT = 300
MAX_BUTTONS_TEXT = 160
MAX_BUTTONS_TEXT_WITH_TITLE = 60
MAX_TEMPLATE_TITLE = 40
MAX_BUTTON_ACTIONS = 4
MAX_CONFIRM_TEXT = 240


def _label(s: str, limit: int = MAX_LABEL) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


# --- actions -------------------------------------------------------------------------------------

def act_message(label: str, text: str | None = None) -> Action:
    return {"type": "message", "label": _label(label), "text": (text or label)[:MAX_TEXT]}


def act_postback(label: str, data: str, display_text: str | None = None) -> Action:
    action: Action = {"type": "postback", "label": _label(label), "data": data}
    if display_text:
        action["displayText"] = display_text[:MAX_DISPLAY_TEXT]
    return action


def act_uri(label: str, uri: str) -> Action:
    return {"type": "uri", "label": _label(label), "uri": uri}


def act_datetime(label: str, data: str, mode: str = "datetime", initial: str | None = None,
                 min_: str | None = None, max_: str | None = None) -> Action:
    action: Action = {"type": "datetimepicker", "label": _label(label), "data": data, "mode": mode}
    for key, value in (("initial", initial), ("min", min_), ("max", max_)):
        if value:
            action[key] = value
    return action


def act_location(label: str = "ส่งตำแหน่ง") -> Action:
    return {"type": "location", "label": _label(label)}


# --- quick replies -------------------------------------------------------------------------------

def quick(action: Action) -> dict[str, Any]:
    return {"type": "action", "action": action}


def quick_message(label: str, text: str | None = None) -> dict[str, Any]:
    return quick(act_message(label, text))


def quick_postback(label: str, data: str, display_text: str | None = None) -> dict[str, Any]:
    return quick(act_postback(label, data, display_text if display_text is not None else label))


def quick_datetime(label: str, data: str, mode: str = "datetime", **kw: Any) -> dict[str, Any]:
    return quick(act_datetime(label, data, mode, **kw))


def quick_location(label: str = "ส่งตำแหน่ง") -> dict[str, Any]:
    return quick(act_location(label))


# --- messages ------------------------------------------------------------------------------------

def text(s: str, quick: list[dict[str, Any]] | None = None) -> Message:
    message: Message = {"type": "text", "text": s}
    if quick:
        message["quickReply"] = {"items": list(quick)}
    return message


def image(url: str, preview: str | None = None) -> Message:
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": preview or url}


def buttons(alt: str, body: str, actions: list[Action], title: str | None = None,
            quick: list[dict[str, Any]] | None = None) -> Message:
    limit = MAX_BUTTONS_TEXT_WITH_TITLE if title else MAX_BUTTONS_TEXT
    template: dict[str, Any] = {"type": "buttons", "text": _label(body, limit), "actions": actions[:MAX_BUTTON_ACTIONS]}
    if title:
        template["title"] = _label(title, MAX_TEMPLATE_TITLE)
    message: Message = {"type": "template", "altText": alt[:MAX_ALT], "template": template}
    if quick:
        message["quickReply"] = {"items": list(quick)}
    return message


def confirm(alt: str, body: str, yes: Action, no: Action) -> Message:
    return {"type": "template", "altText": alt[:MAX_ALT],
            "template": {"type": "confirm", "text": _label(body, MAX_CONFIRM_TEXT), "actions": [yes, no]}}


def flex(alt: str, contents: dict[str, Any], quick: list[dict[str, Any]] | None = None) -> Message:
    message: Message = {"type": "flex", "altText": alt[:MAX_ALT], "contents": contents}
    if quick:
        message["quickReply"] = {"items": list(quick)}
    return message


def carousel(alt: str, bubbles: list[dict[str, Any]], quick: list[dict[str, Any]] | None = None) -> Message:
    return flex(alt, {"type": "carousel", "contents": bubbles[:MAX_BUBBLES]}, quick)


# --- flex parts ----------------------------------------------------------------------------------

def ftext(s: str, *, size: str = "sm", weight: str | None = None, color: str | None = None,
          wrap: bool = True, **kw: Any) -> dict[str, Any]:
    part: dict[str, Any] = {"type": "text", "text": s if s else " ", "size": size, "wrap": wrap}
    if weight:
        part["weight"] = weight
    if color:
        part["color"] = color
    part.update(kw)
    return part


def fbutton(action: Action, style: str = "primary", **kw: Any) -> dict[str, Any]:
    part = {"type": "button", "action": action, "style": style, "height": "sm"}
    part.update(kw)
    return part


def fbox(contents: list[dict[str, Any]], layout: str = "vertical", **kw: Any) -> dict[str, Any]:
    box = {"type": "box", "layout": layout, "contents": contents}
    box.update(kw)
    return box


def bubble(title: str, lines: list[str | dict[str, Any]], buttons_: list[Action] | None = None,
           subtitle: str | None = None, color: str = "#1DB446", size: str = "kilo") -> dict[str, Any]:
    """A standard card: coloured title, body lines, up to four buttons."""
    header = [ftext(title, size="md", weight="bold", color="#FFFFFF")]
    if subtitle:
        header.append(ftext(subtitle, size="xs", color="#FFFFFFCC"))
    body = [line if isinstance(line, dict) else ftext(line) for line in lines] or [ftext(" ")]
    card: dict[str, Any] = {
        "type": "bubble",
        "size": size,
        "header": fbox(header, backgroundColor=color, paddingAll="12px"),
        "body": fbox(body, spacing="sm", paddingAll="12px"),
    }
    if buttons_:
        styles = ["primary"] + ["secondary"] * 3
        card["footer"] = fbox(
            [fbutton(a, style=styles[i], color=color if i == 0 else None) if i == 0 else fbutton(a, style=styles[i])
             for i, a in enumerate(buttons_[:4])],
            spacing="sm", paddingAll="12px",
        )
        for part in card["footer"]["contents"]:
            if part.get("color") is None:
                part.pop("color", None)
    return card


# --- limits --------------------------------------------------------------------------------------

def split_text(s: str, limit: int = MAX_TEXT) -> list[str]:
    """Split long text at paragraph, line or space boundaries, never inside a character."""
    if len(s) <= limit:
        return [s]
    parts: list[str] = []
    rest = s
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return [p for p in parts if p]


def _fix_actions(node: Any) -> None:
    """Walk a message and clip every action label and displayText to LINE's limits."""
    if isinstance(node, dict):
        if node.get("type") in ("postback", "message", "uri", "datetimepicker", "camera", "cameraRoll",
                                "location", "richmenuswitch", "clipboard") and "label" in node:
            node["label"] = _label(node["label"])
            if "displayText" in node:
                node["displayText"] = node["displayText"][:MAX_DISPLAY_TEXT]
            if "data" in node and len(node["data"]) > MAX_POSTBACK:
                raise ValueError(f"postback data over {MAX_POSTBACK} characters: {node['data'][:60]}")
        for value in node.values():
            _fix_actions(value)
    elif isinstance(node, list):
        for value in node:
            _fix_actions(value)


class BoundedCache:
    """A thread-safe dict that forgets everything when it grows past its size (replies repeat a lot:
    the same menus, cards and carousels go to many users)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: dict[str, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        return self._data.get(key)

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            if len(self._data) >= self.size:
                self._data.clear()
            self._data[key] = value


_PREPARED = BoundedCache(4096)


def message_key(message: Message) -> str:
    """The message as compact JSON: what LINE receives, and the key of the caches."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


class CheckedMessage(dict):
    """A message `finalize` already found valid for LINE's models: `validate` does not check it again.

    A cached card sent again then costs one JSON encoding (its cache key), not three and a scan.
    """


def _prepare(original: Message) -> tuple[Message, ...]:
    """One message within LINE's limits: long text split, labels clipped, carousel cut (cached).

    Each piece is checked against the SDK's models once, when it is made; a piece that fails stays a
    plain dict, so the gateway's `validate` refuses it with the reason.
    """
    key = message_key(original)
    prepared = _PREPARED.get(key)
    if prepared is not None:
        return prepared
    message = json.loads(key)  # a deep copy, faster than copy.deepcopy
    _fix_actions(message)
    pieces: list[Message] = []
    quick_reply = message.pop("quickReply", None)
    if quick_reply:
        quick_reply["items"] = quick_reply["items"][:MAX_QUICK_ITEMS]
    if message["type"] == "text":
        chunks = split_text(message["text"] or " ")
        for chunk in chunks[:-1]:
            pieces.append({"type": "text", "text": chunk})
        message["text"] = chunks[-1]
    if message["type"] == "flex" and message["contents"].get("type") == "carousel":
        message["contents"]["contents"] = message["contents"]["contents"][:MAX_BUBBLES]
    if "altText" in message:
        message["altText"] = message["altText"][:MAX_ALT] or " "
    if quick_reply:
        message["quickReply"] = quick_reply
    pieces.append(message)
    prepared = tuple(_checked(piece) for piece in pieces)
    _PREPARED.put(key, prepared)
    return prepared


def _checked(message: Message) -> Message:
    try:
        validate([message])
    except Exception:  # noqa: BLE001 - pydantic's ValidationError and friends; the sender reports it
        return message
    return CheckedMessage(message)


def finalize(messages: list[Message]) -> list[list[Message]]:
    """Apply LINE's limits and group into sends of at most five messages each.

    Long text is split (never rejected), quick replies are cut to 13 and only kept on the last
    message of a send (LINE shows only the last one), carousels are cut to 12 bubbles. The returned
    messages share nested parts with a cache: read them, do not change them.
    """
    # Shallow copies of the cached pieces, of the same type: moving a quick reply below keeps a
    # checked message valid (the quick reply was checked on its own message, and the models check
    # it apart from the message that carries it).
    out = [type(piece)(piece) for original in messages for piece in _prepare(original)]
    batches = [out[i:i + MAX_MESSAGES] for i in range(0, len(out), MAX_MESSAGES)]
    for batch in batches:
        # Only the last message's quick reply is shown by LINE; move one there if an earlier one has it.
        carried = None
        for message in batch[:-1]:
            if "quickReply" in message:
                carried = message.pop("quickReply")
        if carried and "quickReply" not in batch[-1]:
            batch[-1]["quickReply"] = carried
    return batches


def validation_key(message: Message) -> str:
    """The message's JSON with its free text taken out and each postback's `data` replaced by its length.

    LINE's models check nothing of a text, label or alt text but that it is a string, and nothing of
    `data` but its length (at most 300 characters), so two cards that differ only there (a tally, a
    name, a flow's nonce) are equally valid and share one check (bot.shape_key).
    """
    return MESSAGE_KEY(message_key(message))


_VALID = BoundedCache(4096)
_PROBE_BUBBLE: Message = {"type": "bubble"}


def validate(messages: list[Message]) -> None:
    """Raise if a message is not valid for LINE (the SDK's models, generated from LINE's OpenAPI).

    A message once found valid is remembered by its validation_key, so the same card sent to many
    users is checked once; so is each bubble of a carousel, so a carousel that differs from one sent
    before in one bubble (a tally, seats left) has that bubble checked, not all twelve.
    """
    for message in messages:
        if type(message) is CheckedMessage:
            continue
        key = validation_key(message)
        if _VALID.get(key):
            continue
        _check(message)
        _VALID.put(key, True)


def _check(message: Message) -> None:
    from linebot.v3.messaging import FlexBubble
    from linebot.v3.messaging import Message as SdkMessage

    contents = message.get("contents") if message.get("type") == "flex" else None
    bubbles = contents.get("contents") if isinstance(contents, dict) and contents.get("type") == "carousel" else None
    if not isinstance(bubbles, list) or not bubbles or not all(isinstance(b, dict) for b in bubbles):
        SdkMessage.from_dict(message)
        return
    # The SDK reads a carousel's bubbles one by one with FlexBubble.from_dict, as here; the message
    # around them is then checked with one bubble that is valid by itself.
    for bubble in bubbles:
        key = validation_key(bubble)
        if not _VALID.get(key):
            FlexBubble.from_dict(bubble)
            _VALID.put(key, True)
    SdkMessage.from_dict({**message, "contents": {**contents, "contents": [_PROBE_BUBBLE]}})
