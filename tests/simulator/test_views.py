"""The simulator page sends real signed webhooks to /callback and shows what the bot sent through the stand-in."""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from flask import Flask, abort, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    TextMessage,
)
from linebot.v3.webhooks import MessageEvent, PostbackEvent
from werkzeug.serving import make_server

from bot.simulator.views import install_simulator

SECRET = "sim-secret"
TOKEN = "sim-token"
USER = "U" + "5" * 32


@dataclass
class Bot:
    """A tiny stand-in for the real bot: verifies signatures, records events, echoes through the SDK."""

    base_url: str
    app: Flask
    store: Any
    events: list[Any] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    def api(self) -> MessagingApi:
        return MessagingApi(ApiClient(Configuration(host=self.base_url + "/fake-line", access_token=TOKEN)))


@pytest.fixture(scope="module")
def bot() -> Iterator[Bot]:
    app = Flask("tiny_bot")
    parser = WebhookParser(SECRET)
    holder: dict[str, Bot] = {}

    @app.post("/callback")
    def callback() -> str:
        raw = request.get_data(as_text=True)
        try:
            events = parser.parse(raw, request.headers.get("X-Line-Signature", ""))
        except InvalidSignatureError:
            abort(400)
        tiny = holder["bot"]
        tiny.bodies.append(request.get_data())
        tiny.events.extend(events)
        for event in events:
            if isinstance(event, MessageEvent) and getattr(event.message, "text", None):
                tiny.api().reply_message(ReplyMessageRequest(
                    reply_token=event.reply_token, messages=[TextMessage(text=f"ได้รับ “{event.message.text}” แล้วค่ะ")]))
            elif isinstance(event, PostbackEvent):
                tiny.api().reply_message(ReplyMessageRequest(
                    reply_token=event.reply_token, messages=[TextMessage(text=f"postback {event.postback.params}")]))
        return "OK"

    settings = types.SimpleNamespace(channel_secret=SECRET, channel_access_token=TOKEN)
    store = install_simulator(app, settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    holder["bot"] = Bot(base_url=f"http://127.0.0.1:{server.server_port}", app=app, store=store)
    yield holder["bot"]
    server.shutdown()


@pytest.fixture
def tiny(bot: Bot) -> Bot:
    bot.store.reset()
    bot.events.clear()
    bot.bodies.clear()
    return bot


def send(bot: Bot, **payload: Any) -> requests.Response:
    body = {"user_id": USER, "display_name": "ป้าสมใจ", **payload}
    return requests.post(bot.base_url + "/simulator/api/event", json=body, timeout=30)


def chat(bot: Bot, after: int = 0, **params: str) -> dict[str, Any]:
    return requests.get(bot.base_url + "/simulator/api/messages",
                        params={"user_id": USER, "after": after, **params}, timeout=10).json()


def test_text_goes_to_callback_signed_and_the_reply_shows_up(tiny: Bot) -> None:
    r = send(tiny, kind="text", text="สวัสดีค่ะ")
    assert r.status_code == 200 and r.json()["status"] == 200
    assert len(tiny.events) == 1
    event = tiny.events[0]
    assert isinstance(event, MessageEvent) and event.message.text == "สวัสดีค่ะ"
    assert event.source.user_id == USER
    log = chat(tiny)["messages"]
    assert [(m["via"], m.get("text") or m["message"]["text"]) for m in log] == [
        ("user", "สวัสดีค่ะ"), ("reply", "ได้รับ “สวัสดีค่ะ” แล้วค่ะ")]
    assert tiny.store.get_profile(USER)["displayName"] == "ป้าสมใจ"
    assert tiny.store.errors == []


def test_postback_with_datetime_params_and_display_text(tiny: Bot) -> None:
    r = send(tiny, kind="postback", data="act=pick", params={"datetime": "2026-12-05T09:00"},
             display_text="เลือกเวลาแล้ว")
    assert r.json()["status"] == 200
    assert isinstance(tiny.events[0], PostbackEvent)
    assert tiny.events[0].postback.params == {"datetime": "2026-12-05T09:00"}
    log = chat(tiny)["messages"]
    assert log[0]["via"] == "user" and log[0]["text"] == "เลือกเวลาแล้ว"
    assert log[1]["message"]["text"] == "postback {'datetime': '2026-12-05T09:00'}"


def test_pushes_arrive_later_and_are_polled_after_a_seq(tiny: Bot) -> None:
    send(tiny, kind="text", text="หนึ่ง")
    seen = chat(tiny)["last_seq"]
    tiny.api().push_message(PushMessageRequest(to=USER, messages=[TextMessage(text="เตือนกิจกรรมพรุ่งนี้ค่ะ")]))
    newer = chat(tiny, after=seen)["messages"]
    assert [(m["via"], m["message"]["text"]) for m in newer] == [("push", "เตือนกิจกรรมพรุ่งนี้ค่ะ")]


def test_follow_unfollow_location_sticker_image(tiny: Bot) -> None:
    for payload in ({"kind": "follow"}, {"kind": "sticker"}, {"kind": "image"},
                    {"kind": "location", "latitude": 13.8, "longitude": 100.6}, {"kind": "unfollow"}):
        assert send(tiny, **payload).json()["status"] == 200
    types_seen = [(e.type, getattr(getattr(e, "message", None), "type", None)) for e in tiny.events]
    assert types_seen == [("follow", None), ("message", "sticker"), ("message", "image"),
                          ("message", "location"), ("unfollow", None)]
    assert tiny.events[3].message.latitude == 13.8
    assert tiny.store.is_blocked(USER)
    assert chat(tiny)["blocked"] is True


def test_group_chat_messages_go_to_the_group(tiny: Bot) -> None:
    group = "C" + "7" * 32
    assert send(tiny, kind="text", text="ในกลุ่ม", group_id=group).json()["status"] == 200
    assert tiny.events[0].source.group_id == group
    log = chat(tiny, group_id=group)["messages"]
    assert log[-1]["to"] == group and log[-1]["via"] == "reply"


def test_rich_menu_is_shown_for_the_user(tiny: Bot) -> None:
    assert requests.get(tiny.base_url + "/simulator/api/richmenu", params={"user_id": USER}, timeout=10).json() == {
        "richMenu": None, "imageUrl": None}
    api = tiny.api()
    rid = api.create_rich_menu(RichMenuRequest.from_dict({
        "size": {"width": 2500, "height": 843}, "selected": True, "name": "main", "chatBarText": "เมนู",
        "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
                   "action": {"type": "postback", "label": "กิจกรรม", "data": "menu=activities"}}]})).rich_menu_id
    with ApiClient(Configuration(host=tiny.base_url + "/fake-line", access_token=TOKEN)) as client:
        MessagingApiBlob(client).set_rich_menu_image(rid, body=bytearray(b"\x89PNG\r\n\x1a\n"),
                                                     _headers={"Content-Type": "image/png"})
    api.link_rich_menu_id_to_user(USER, rid)
    got = requests.get(tiny.base_url + "/simulator/api/richmenu", params={"user_id": USER}, timeout=10).json()
    assert got["richMenu"]["areas"][0]["action"]["label"] == "กิจกรรม"
    assert requests.get(tiny.base_url + got["imageUrl"], timeout=10).content.startswith(b"\x89PNG")


def test_role_uses_the_users_service(tiny: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    fake_users = types.ModuleType("bot.services.users")
    fake_users.set_role_by_line_id = lambda uid, role, name=None: calls.append((uid, role, name))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bot.services.users", fake_users)
    r = requests.post(tiny.base_url + "/simulator/api/role",
                      json={"user_id": USER, "role": "staff", "display_name": "ป้าสมใจ"}, timeout=10)
    assert r.status_code == 200 and calls == [(USER, "staff", "ป้าสมใจ")]
    bad = requests.post(tiny.base_url + "/simulator/api/role", json={"user_id": USER, "role": "king"}, timeout=10)
    assert bad.status_code == 400


def test_page_and_assets_are_self_contained(tiny: Bot) -> None:
    page = requests.get(tiny.base_url + "/simulator", timeout=10)
    assert page.status_code == 200 and "เครื่องจำลองแชต LINE" in page.text
    assert "http://" not in page.text.replace(tiny.base_url, "") and "https://" not in page.text
    js = requests.get(tiny.base_url + "/simulator/static/simulator.js", timeout=10)
    css = requests.get(tiny.base_url + "/simulator/static/simulator.css", timeout=10)
    assert js.ok and css.ok and "renderBubble" in js.text
    assert "https://" not in js.text and "https://" not in css.text


def test_bad_requests_are_explained(tiny: Bot) -> None:
    assert requests.post(tiny.base_url + "/simulator/api/event", json={"kind": "text"}, timeout=10).status_code == 400
    r = requests.post(tiny.base_url + "/simulator/api/event", json={"user_id": USER, "kind": "nope"}, timeout=10)
    assert r.status_code == 400 and "nope" in r.json()["error"]
