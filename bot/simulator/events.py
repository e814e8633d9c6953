"""Builders for LINE webhook events, payloads and signatures (simulator, tests, load generator)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import time
import uuid
from typing import Any

# A bot user id in LINE's format (U + 32 hex), stable across runs.
DEFAULT_DESTINATION = "U" + hashlib.md5(b"simulatorbot").hexdigest()
DEFAULT_GROUP_ID = "C" + hashlib.md5(b"simulatorgroup").hexdigest()

MESSAGE_KINDS = frozenset({"text", "sticker", "image", "video", "audio", "file", "location"})
KNOWN_KINDS = MESSAGE_KINDS | {
    "postback", "follow", "unfollow", "join", "leave", "memberJoined", "memberLeft", "unsend",
    "messageEdited", "accountLink", "beacon", "videoPlayComplete", "membership",
}
# Events that carry a reply token (LINE's webhook.yml); accountLink only when it succeeded.
REPLYABLE = MESSAGE_KINDS | {"postback", "follow", "join", "memberJoined", "beacon", "videoPlayComplete",
                             "accountLink", "membership"}
# Events whose group/room source carries no userId (the bot or other members are the subject).
NO_USER_IN_GROUP_SOURCE = frozenset({"join", "leave", "memberJoined", "memberLeft"})

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_rng = random.SystemRandom()


def sign_body(body: bytes, channel_secret: str) -> str:
    """X-Line-Signature: base64 of HMAC-SHA256 of the raw body keyed by the channel secret."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def new_event_id(at_ms: int | None = None) -> str:
    """A ULID (26 Crockford base32 chars: 48-bit ms time + 80 random bits), as webhookEventId."""
    ms = int(time.time() * 1000) if at_ms is None else at_ms
    value = (ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_reply_token() -> str:
    """A reply token shaped like LINE's (32 hex chars)."""
    return uuid.uuid4().hex


def new_message_id() -> str:
    """A message id shaped like LINE's (18 decimal digits)."""
    return str(_rng.randrange(10**17, 10**18))


def new_quote_token() -> str:
    """An opaque quote token."""
    return base64.urlsafe_b64encode(os.urandom(48)).decode("ascii").rstrip("=")


def new_user_id() -> str:
    """A user id in LINE's format (U + 32 hex)."""
    return "U" + uuid.uuid4().hex


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _source(kind: str, user_id: str | None, group_id: str | None, room_id: str | None) -> dict[str, Any]:
    with_user = user_id and kind not in NO_USER_IN_GROUP_SOURCE
    if group_id:
        source: dict[str, Any] = {"type": "group", "groupId": group_id}
    elif room_id:
        source = {"type": "room", "roomId": room_id}
    else:
        return {"type": "user", "userId": user_id}
    if with_user:
        source["userId"] = user_id
    return source


def _message_content(kind: str, text: str | None, extra: dict[str, Any]) -> dict[str, Any]:
    msg: dict[str, Any] = {"id": extra.pop("messageId", None) or new_message_id(), "type": kind}
    quote = extra.pop("quoteToken", None) or new_quote_token()
    if kind == "text":
        msg.update(text=text or "", quoteToken=quote)
    elif kind == "sticker":
        msg.update(packageId=str(extra.pop("packageId", "446")), stickerId=str(extra.pop("stickerId", "1988")),
                   stickerResourceType=extra.pop("stickerResourceType", "STATIC"),
                   keywords=extra.pop("keywords", ["Happy", "Smile"]), quoteToken=quote)
    elif kind in ("image", "video"):
        msg.update(contentProvider=extra.pop("contentProvider", {"type": "line"}), quoteToken=quote)
        if kind == "video":
            msg["duration"] = int(extra.pop("duration", 8000))
    elif kind == "audio":
        msg.update(contentProvider=extra.pop("contentProvider", {"type": "line"}),
                   duration=int(extra.pop("duration", 5000)))
    elif kind == "file":
        msg.update(fileName=extra.pop("fileName", "document.pdf"), fileSize=int(extra.pop("fileSize", 12345)))
    elif kind == "location":
        msg.update(title=extra.pop("title", "ตำแหน่งของฉัน"),
                   address=extra.pop("address", "ลาดพร้าว กรุงเทพมหานคร"),
                   latitude=float(extra.pop("latitude", 13.8160)), longitude=float(extra.pop("longitude", 100.5620)))
    for key in [k for k in extra if k in ("emojis", "mention", "quotedMessageId", "markAsReadToken", "text")]:
        msg[key] = extra.pop(key)
    return msg


def build_event(
    kind: str,
    user_id: str,
    *,
    text: str | None = None,
    data: str | None = None,
    params: dict[str, str] | None = None,
    group_id: str | None = None,
    room_id: str | None = None,
    reply_token: str | None = None,
    redelivery: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """One webhook event dict exactly as LINE sends it.

    `kind` is a message type (text, sticker, image, video, audio, file, location) or an event type
    (postback, follow, unfollow, join, leave, memberJoined, memberLeft, unsend, messageEdited,
    accountLink, beacon, videoPlayComplete, membership); any other string is passed through as the
    event type. Extra keyword arguments (snake_case or camelCase) fill type-specific fields, e.g.
    latitude/longitude/title/address, package_id/sticker_id, message_id, is_unblocked, hwid,
    beacon_type, tracking_id, link_result, nonce, timestamp, mode, webhook_event_id; unused extras
    are merged into the event (or, for message kinds, into `message`).
    """
    ex = {_camel(k): v for k, v in extra.items()}
    timestamp = int(ex.pop("timestamp", None) or time.time() * 1000)
    if kind in ("memberJoined", "memberLeft", "join", "leave") and not (group_id or room_id):
        group_id = DEFAULT_GROUP_ID
    event: dict[str, Any] = {
        "type": "message" if kind in MESSAGE_KINDS else kind,
        "mode": ex.pop("mode", "active"),
        "timestamp": timestamp,
        "source": _source(kind, user_id, group_id, room_id),
        "webhookEventId": ex.pop("webhookEventId", None) or new_event_id(timestamp),
        "deliveryContext": {"isRedelivery": bool(redelivery)},
    }
    link_result = ex.pop("linkResult", "ok")
    if kind in REPLYABLE and not (kind == "accountLink" and link_result != "ok"):
        event["replyToken"] = reply_token or new_reply_token()

    if kind in MESSAGE_KINDS:
        event["message"] = _message_content(kind, text, ex)
    elif kind == "postback":
        postback: dict[str, Any] = {"data": data if data is not None else ""}
        if params:
            postback["params"] = dict(params)
        event["postback"] = postback
    elif kind == "follow":
        event["follow"] = {"isUnblocked": bool(ex.pop("isUnblocked", False))}
    elif kind in ("memberJoined", "memberLeft"):
        members = ex.pop("members", None) or [{"type": "user", "userId": user_id}]
        event["joined" if kind == "memberJoined" else "left"] = {"members": members}
    elif kind == "unsend":
        event["unsend"] = {"messageId": str(ex.pop("messageId", None) or new_message_id())}
    elif kind == "messageEdited":
        # Not in webhook.yml; shaped like the SDK's MessageEditedEvent (an edited text message).
        event["message"] = {"id": str(ex.pop("messageId", None) or new_message_id()), "type": "text",
                            "text": text or "", "quoteToken": ex.pop("quoteToken", None) or new_quote_token()}
    elif kind == "accountLink":
        event["link"] = {"result": link_result, "nonce": ex.pop("nonce", None) or uuid.uuid4().hex}
    elif kind == "beacon":
        beacon = {"hwid": ex.pop("hwid", "d41d8cd98f"), "type": ex.pop("beaconType", "enter")}
        if "dm" in ex:
            beacon["dm"] = ex.pop("dm")
        event["beacon"] = beacon
    elif kind == "videoPlayComplete":
        event["videoPlayComplete"] = {"trackingId": ex.pop("trackingId", "video-1")}
    elif kind == "membership":
        event["membership"] = {"type": ex.pop("membershipType", "joined"),
                               "membershipId": int(ex.pop("membershipId", 1))}
    elif text is not None:
        ex.setdefault("text", text)
    if kind in MESSAGE_KINDS and ex:
        event["message"].update(ex)
    else:
        event.update(ex)
    return event


def build_payload(events: list[dict[str, Any]], destination: str = DEFAULT_DESTINATION) -> dict[str, Any]:
    """The webhook request body: {"destination": bot user id, "events": [...]}."""
    return {"destination": destination, "events": list(events)}


def encode_payload(payload: dict[str, Any]) -> bytes:
    """Serialize a payload compactly as UTF-8 JSON (as LINE does; non-ASCII kept as is)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signed_request(
    events: list[dict[str, Any]], secret: str, destination: str = DEFAULT_DESTINATION
) -> tuple[bytes, dict[str, str]]:
    """Body bytes and headers (Content-Type, X-Line-Signature) for POSTing events to /callback."""
    body = encode_payload(build_payload(events, destination))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Line-Signature": sign_body(body, secret),
        "User-Agent": "LineBotWebhook/2.0",
    }
    return body, headers
