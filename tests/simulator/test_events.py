"""Webhook events built for the simulator, tests and benchmarks look exactly like LINE's."""

from __future__ import annotations

import re

import pytest
from linebot.v3 import WebhookParser
from linebot.v3.webhook import SignatureValidator
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    GroupSource,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
)
from linebot.v3.webhooks.models import CallbackRequest

from bot.simulator.events import (
    build_event,
    build_payload,
    new_event_id,
    new_reply_token,
    new_user_id,
    sign_body,
    signed_request,
)

KINDS = ["text", "sticker", "image", "video", "audio", "file", "location", "postback", "follow", "unfollow",
         "join", "leave", "memberJoined", "memberLeft", "unsend", "messageEdited", "accountLink", "beacon",
         "videoPlayComplete", "membership"]
REPLYABLE = {"text", "sticker", "image", "video", "audio", "file", "location", "postback", "follow", "join",
             "memberJoined", "accountLink", "beacon", "videoPlayComplete", "membership"}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_parses_with_the_sdk(kind: str) -> None:
    user = new_user_id()
    event = build_event(kind, user, text="สวัสดีค่ะ", data="action=x")
    parsed = Event.from_dict(event)
    assert parsed.webhook_event_id == event["webhookEventId"]
    assert parsed.delivery_context.is_redelivery is False
    assert parsed.mode.value == "active"
    assert ("replyToken" in event) == (kind in REPLYABLE)
    assert event["source"].get("userId", user) == user


def test_text_event_carries_text_quote_token_and_given_reply_token() -> None:
    token = new_reply_token()
    event = build_event("text", "U" + "a" * 32, text="กิจกรรม\nวันนี้", reply_token=token, redelivery=True)
    parsed = Event.from_dict(event)
    assert isinstance(parsed, MessageEvent) and isinstance(parsed.message, TextMessageContent)
    assert parsed.message.text == "กิจกรรม\nวันนี้"
    assert parsed.message.quote_token
    assert parsed.reply_token == token
    assert parsed.delivery_context.is_redelivery is True


def test_postback_with_datetime_params() -> None:
    event = build_event("postback", "U1", data="act=signup&id=3", params={"datetime": "2026-12-05T09:00"})
    parsed = Event.from_dict(event)
    assert isinstance(parsed, PostbackEvent)
    assert parsed.postback.data == "act=signup&id=3"
    assert parsed.postback.params == {"datetime": "2026-12-05T09:00"}


def test_location_uses_given_coordinates() -> None:
    event = build_event("location", "U1", latitude=13.81, longitude=100.56, title="บ้าน", address="ลาดพร้าว")
    message = Event.from_dict(event).message
    assert isinstance(message, LocationMessageContent)
    assert (message.latitude, message.longitude, message.title) == (13.81, 100.56, "บ้าน")


def test_group_message_has_group_and_user_but_join_has_no_user() -> None:
    msg = Event.from_dict(build_event("text", "U1", text="hi", group_id="C" + "b" * 32))
    assert isinstance(msg.source, GroupSource) and msg.source.user_id == "U1"
    join = build_event("join", "U1", group_id="C" + "b" * 32)
    assert join["source"] == {"type": "group", "groupId": "C" + "b" * 32}
    joined = build_event("memberJoined", "U7", group_id="C" + "b" * 32)
    assert joined["joined"]["members"] == [{"type": "user", "userId": "U7"}]


def test_follow_after_unblock() -> None:
    parsed = Event.from_dict(build_event("follow", "U1", is_unblocked=True))
    assert isinstance(parsed, FollowEvent) and parsed.follow.is_unblocked is True


def test_unknown_type_passes_through() -> None:
    event = build_event("somethingNew", "U1", extra_field={"a": 1})
    assert event["type"] == "somethingNew" and event["extraField"] == {"a": 1}
    assert "replyToken" not in event


def test_ids_look_like_lines() -> None:
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", new_event_id())
    assert new_event_id() != new_event_id()
    assert re.fullmatch(r"[0-9a-f]{32}", new_reply_token())
    assert re.fullmatch(r"U[0-9a-f]{32}", new_user_id())


def test_signature_matches_the_sdk_validator() -> None:
    body = b'{"destination":"U0","events":[]}'
    assert SignatureValidator("secret").validate(body.decode(), sign_body(body, "secret"))
    assert not SignatureValidator("other").validate(body.decode(), sign_body(body, "secret"))


def test_signed_request_parses_with_webhook_parser() -> None:
    events = [build_event(kind, "U" + "c" * 32, text="ทดสอบ 😀") for kind in KINDS] + [build_event("newType", "U1")]
    body, headers = signed_request(events, "s3cret")
    assert headers["Content-Type"].startswith("application/json")
    parsed = WebhookParser("s3cret").parse(body.decode("utf-8"), headers["X-Line-Signature"])
    assert len(parsed) == len(events)
    assert type(parsed[-1]).__name__ == "UnknownEvent"
    assert "ทดสอบ 😀".encode() in body  # UTF-8, not \\u escapes, as LINE sends


def test_payload_destination_is_a_valid_bot_id() -> None:
    payload = build_payload([build_event("text", "U1", text="x")])
    CallbackRequest.from_dict(payload)
    assert re.fullmatch(r"U[0-9a-f]{32}", payload["destination"])
