"""The stand-in LINE API answers like LINE: same paths, limits, errors and retry-key behaviour."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)

from bot.simulator.fake_line import FakeLineServer
from bot.simulator.fake_line_aio import AioFakeLineServer
from bot.simulator.limits import grapheme_len, utf16_len, validate_messages

TOKEN = "stand-in-token"
USER = "U" + "1" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(scope="module", params=["flask", "aiohttp"])
def server(request: pytest.FixtureRequest) -> Iterator[FakeLineServer]:
    """Every test runs against both servers of the same routes: Flask (simulator, tests) and aiohttp
    (the standalone command the benchmarks start)."""
    server_class = FakeLineServer if request.param == "flask" else AioFakeLineServer
    with server_class(access_token=TOKEN) as fake:
        yield fake


@pytest.fixture
def fake(server: FakeLineServer) -> FakeLineServer:
    server.store.reset()
    server.store.configure(latency_s=0.0, fail_rate=0.0, access_token=TOKEN)
    return server


@pytest.fixture
def api(fake: FakeLineServer) -> Iterator[MessagingApi]:
    with ApiClient(Configuration(host=fake.base_url, access_token=TOKEN)) as client:
        yield MessagingApi(client)


def post(fake: FakeLineServer, path: str, body: dict, **headers: str) -> requests.Response:
    return requests.post(fake.base_url + path, json=body, timeout=10,
                         headers={"Authorization": f"Bearer {TOKEN}", **headers})


def text(s: str, **kw: object) -> dict:
    return {"type": "text", "text": s, **kw}


# ---- the SDK works against it ---------------------------------------------------------------------
def test_sdk_reply_push_multicast_broadcast_profile_quota(fake: FakeLineServer, api: MessagingApi) -> None:
    fake.store.set_profile(USER, "สมศรี")
    fake.store.register_reply_token("tok-1", USER)
    sent = api.reply_message(ReplyMessageRequest(reply_token="tok-1", messages=[TextMessage(text="สวัสดีค่ะ")]))
    assert sent.sent_messages[0].id and sent.sent_messages[0].quote_token
    api.push_message(PushMessageRequest(to=USER, messages=[TextMessage(text="เตือนความจำค่ะ")]),
                     x_line_retry_key=str(uuid.uuid4()))
    api.multicast(MulticastRequest(to=[USER, "U" + "2" * 32], messages=[TextMessage(text="ถึงทุกคนค่ะ")]))
    api.broadcast(BroadcastRequest(messages=[TextMessage(text="ประกาศค่ะ")]))

    box = fake.store.messages_for(USER)
    assert [(m["via"], m["message"]["text"]) for m in box] == [
        ("reply", "สวัสดีค่ะ"), ("push", "เตือนความจำค่ะ"), ("multicast", "ถึงทุกคนค่ะ"), ("broadcast", "ประกาศค่ะ")]
    assert [m["seq"] for m in box] == sorted(m["seq"] for m in box)
    assert api.get_profile(USER).display_name == "สมศรี"
    assert api.get_message_quota().value > 0
    assert api.get_message_quota_consumption().total_usage == 4  # push 1 + multicast 2 + broadcast 1
    api.show_loading_animation(ShowLoadingAnimationRequest(chat_id=USER, loading_seconds=5))
    assert fake.store.errors == []


def test_sdk_errors_surface_as_api_exception(fake: FakeLineServer, api: MessagingApi) -> None:
    with pytest.raises(ApiException) as unknown:
        api.get_profile("U" + "9" * 32)
    assert unknown.value.status == 404
    with pytest.raises(ApiException) as bad_token:
        api.reply_message(ReplyMessageRequest(reply_token="never-issued", messages=[TextMessage(text="x")]))
    assert bad_token.value.status == 400
    assert json.loads(bad_token.value.body) == {"message": "Invalid reply token"}


def test_rich_menu_lifecycle_with_the_sdk(fake: FakeLineServer, api: MessagingApi) -> None:
    menu = RichMenuRequest.from_dict({
        "size": {"width": 2500, "height": 843}, "selected": True, "name": "main", "chatBarText": "เมนู",
        "areas": [{"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
                   "action": {"type": "message", "label": "กิจกรรม", "text": "กิจกรรม"}}]})
    rid = api.create_rich_menu(menu).rich_menu_id
    with pytest.raises(ApiException) as no_image:
        api.link_rich_menu_id_to_user(USER, rid)
    assert no_image.value.status == 400
    with ApiClient(Configuration(host=fake.base_url, access_token=TOKEN)) as client:
        MessagingApiBlob(client).set_rich_menu_image(rid, body=bytearray(PNG), _headers={"Content-Type": "image/png"})
    api.set_default_rich_menu(rid)
    assert fake.store.effective_rich_menu(USER)["richMenuId"] == rid
    with pytest.raises(ApiException) as not_linked:
        api.get_rich_menu_id_of_user(USER)  # the default is not a per-user link
    assert not_linked.value.status == 404
    api.link_rich_menu_id_to_user(USER, rid)
    assert api.get_rich_menu_id_of_user(USER).rich_menu_id == rid
    assert [m.rich_menu_id for m in api.get_rich_menu_list().richmenus] == [rid]
    api.delete_rich_menu(rid)
    assert fake.store.effective_rich_menu(USER) is None


# ---- LINE's limits ----------------------------------------------------------------------------------
def test_six_messages_are_refused(fake: FakeLineServer) -> None:
    r = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("x")] * 6})
    assert r.status_code == 400
    assert r.json()["details"] == [{"message": "Size must be between 1 and 5", "property": "messages"}]
    assert fake.store.messages_for(USER) == []
    assert len(fake.store.errors) == 1


def test_text_limit_counts_utf16_units(fake: FakeLineServer) -> None:
    assert post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("ก" * 5000)]}).status_code == 200
    r = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("ก" * 5001)]})
    assert r.status_code == 400 and r.json()["details"][0]["property"] == "messages[0].text"
    assert post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("😀" * 2501)]}).status_code == 400


def quick(n: int, label: str = "ตัวเลือก") -> dict:
    return {"items": [{"type": "action", "action": {"type": "message", "label": label, "text": "a"}}] * n}


def test_quick_reply_limits(fake: FakeLineServer) -> None:
    assert post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("x", quickReply=quick(13))]}).ok
    r = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("x", quickReply=quick(14))]})
    assert r.status_code == 400 and r.json()["details"][0]["property"] == "messages[0].quickReply.items"
    # Thai labels count grapheme clusters: 20 clusters with tone marks and vowels above are fine.
    label = "ที่นี่" * 7  # 42 code points, 14 clusters
    assert len(label) == 42 and grapheme_len(label) == 14
    assert post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("x", quickReply=quick(1, label))]}).ok
    r = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("x", quickReply=quick(1, "a" * 21))]})
    assert r.status_code == 400 and r.json()["details"][0]["property"].endswith("action.label")


def test_postback_data_carousel_and_alt_text_limits() -> None:
    postback = {"type": "postback", "label": "ok", "data": "d" * 301}
    assert validate_messages([text("x", quickReply={"items": [{"type": "action", "action": postback}]})])
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical",
                                         "contents": [{"type": "text", "text": "hi"}]}}
    flex = {"type": "flex", "altText": "กิจกรรม", "contents": {"type": "carousel", "contents": [bubble] * 12}}
    assert validate_messages([flex]) == []
    flex["contents"]["contents"] = [bubble] * 13
    assert validate_messages([flex])[0]["property"] == "messages[0].contents.contents"
    buttons = {"type": "template", "altText": "a" * 401,
               "template": {"type": "buttons", "text": "เลือกค่ะ",
                            "actions": [{"type": "message", "label": "ใช่", "text": "ใช่"}]}}
    assert validate_messages([buttons])[0]["property"] == "messages[0].altText"


def test_a_flex_picture_must_be_https() -> None:
    """LINE fetches a card's picture itself, over HTTPS only (an http:// hero is refused)."""
    def card(url: str) -> dict:
        return {"type": "flex", "altText": "โครงการ", "contents": {
            "type": "bubble", "hero": {"type": "image", "url": url, "size": "full"},
            "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "hi"}]}}}

    assert validate_messages([card("https://ruamkan.example.org/ideas/photo/abc")]) == []
    assert validate_messages([card("http://127.0.0.1:8000/ideas/photo/abc")])[0]["property"] == \
        "messages[0].contents.hero.url"


def test_multicast_at_most_500_recipients(fake: FakeLineServer) -> None:
    r = post(fake, "/v2/bot/message/multicast", {"to": [f"U{i:032x}" for i in range(501)], "messages": [text("x")]})
    assert r.status_code == 400


def test_sdk_models_catch_wrong_shapes(fake: FakeLineServer) -> None:
    r = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [{"type": "bogus"}]})
    assert r.status_code == 400 and "details" in r.json()
    r = requests.post(fake.base_url + "/v2/bot/message/push", data=b"{not json", timeout=10,
                      headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == 400


# ---- auth, reply tokens, retry keys, failures ---------------------------------------------------------
def test_wrong_or_missing_token_is_401(fake: FakeLineServer) -> None:
    r = requests.post(fake.base_url + "/v2/bot/message/push", json={"to": USER, "messages": [text("x")]},
                      headers={"Authorization": "Bearer wrong"}, timeout=10)
    assert r.status_code == 401 and "Authentication failed" in r.json()["message"]
    assert requests.get(fake.base_url + "/v2/bot/message/quota", timeout=10).status_code == 401
    assert fake.store.messages_for(USER) == []


def test_reply_token_is_single_use_and_expires(fake: FakeLineServer) -> None:
    fake.store.register_reply_token("fresh", USER)
    fake.store.register_reply_token("old", USER, created_at=time.time() - 61)
    body = {"replyToken": "fresh", "messages": [text("หนึ่ง")]}
    assert post(fake, "/v2/bot/message/reply", body).status_code == 200
    again = post(fake, "/v2/bot/message/reply", body)
    assert again.status_code == 400 and again.json() == {"message": "Invalid reply token"}
    assert post(fake, "/v2/bot/message/reply", {"replyToken": "old", "messages": [text("x")]}).status_code == 400
    assert post(fake, "/v2/bot/message/reply", {"replyToken": "nope", "messages": [text("x")]}).status_code == 400
    assert [m["message"]["text"] for m in fake.store.messages_for(USER)] == ["หนึ่ง"]


def test_retry_key_delivers_once_and_answers_409(fake: FakeLineServer) -> None:
    key = str(uuid.uuid4())
    body = {"to": USER, "messages": [text("เตือนค่ะ")]}
    first = post(fake, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key})
    second = post(fake, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key})
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert len(fake.store.messages_for(USER)) == 1
    stats = fake.store.stats()
    assert stats["retry_keys_accepted"] == 1 and stats["duplicate_deliveries"] == 0
    assert stats["by_endpoint"]["pushMessage"] == 2
    calls = [c for c in fake.store.calls if c["endpoint"] == "pushMessage"]
    assert [c["retry_key"] for c in calls] == [key, key] and [c["status"] for c in calls] == [200, 409]
    assert post(fake, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": "not-a-uuid"}).status_code == 400


def test_failed_call_does_not_consume_the_retry_key(fake: FakeLineServer) -> None:
    fake.store.fail_next(429, retry_after=2)
    key = str(uuid.uuid4())
    body = {"to": USER, "messages": [text("x")]}
    limited = post(fake, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key})
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "2"
    assert post(fake, "/v2/bot/message/push", body, **{"X-Line-Retry-Key": key}).status_code == 200
    assert len(fake.store.messages_for(USER)) == 1


def test_random_failures_are_seeded_and_counted(fake: FakeLineServer) -> None:
    fake.store.configure(fail_rate=0.5)
    statuses = [post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("x")]}).status_code
                for _ in range(40)]
    assert set(statuses) <= {200, 429, 500} and 200 in statuses and len(set(statuses)) > 1
    assert fake.store.stats()["injected_failures"] == statuses.count(429) + statuses.count(500)


def test_blocked_user_gets_nothing_but_request_succeeds(fake: FakeLineServer, api: MessagingApi) -> None:
    fake.store.set_profile(USER, "บล็อกแล้ว")
    fake.store.set_blocked(USER)
    assert post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("x")]}).status_code == 200
    assert fake.store.messages_for(USER) == []
    with pytest.raises(ApiException) as gone:
        api.get_profile(USER)
    assert gone.value.status == 404


def test_stand_in_endpoints(fake: FakeLineServer) -> None:
    post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("a"), text("b")]})
    got = requests.get(fake.base_url + "/_stand-in/messages", params={"to": USER, "after": 0}, timeout=10).json()
    assert [m["message"]["text"] for m in got["messages"]] == ["a", "b"]
    after = got["messages"][0]["seq"]
    got = requests.get(fake.base_url + "/_stand-in/messages", params={"to": USER, "after": after}, timeout=10).json()
    assert [m["message"]["text"] for m in got["messages"]] == ["b"]
    stats = requests.get(fake.base_url + "/_stand-in/stats", timeout=10).json()
    assert stats["messages_per_recipient"] == {USER: 2}
    requests.post(fake.base_url + "/_stand-in/reply-tokens", json={"token": "t-http", "to": USER}, timeout=10)
    assert post(fake, "/v2/bot/message/reply", {"replyToken": "t-http", "messages": [text("c")]}).ok
    assert requests.post(fake.base_url + "/_stand-in/reset", timeout=10).ok
    assert fake.store.messages_for(USER) == []


def test_text_counting_helpers() -> None:
    assert utf16_len("😀") == 2 and utf16_len("ก") == 1
    assert grapheme_len("👍🏽") == 1 and grapheme_len("น้ำ") == 1 and grapheme_len("🇹🇭") == 1


def test_messages_long_poll_answers_when_the_push_arrives(fake: FakeLineServer) -> None:
    """The load generator waits for the bot's answer with one request instead of polling."""
    import threading

    got: dict = {}

    def wait() -> None:
        t0 = time.monotonic()
        resp = requests.get(fake.base_url + "/_stand-in/messages", params={"to": "Ulong", "wait": "5"}, timeout=10)
        got["after_s"] = time.monotonic() - t0
        got["texts"] = [m["message"]["text"] for m in resp.json()["messages"]]

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.3)
    post(fake, "/v2/bot/message/push", {"to": "Uother", "messages": [text("ไม่ใช่ของคุณ")]},
         **{"X-Line-Retry-Key": str(uuid.uuid4())})
    time.sleep(0.2)
    assert waiter.is_alive()  # a message to someone else does not answer the wait
    post(fake, "/v2/bot/message/push", {"to": "Ulong", "messages": [text("มาแล้วค่ะ")]},
         **{"X-Line-Retry-Key": str(uuid.uuid4())})
    waiter.join(10)
    assert got["texts"] == ["มาแล้วค่ะ"] and 0.4 < got["after_s"] < 3


def test_messages_long_poll_gives_up_after_the_wait(fake: FakeLineServer) -> None:
    t0 = time.monotonic()
    resp = requests.get(fake.base_url + "/_stand-in/messages", params={"to": "Unobody", "wait": "0.5"}, timeout=10)
    assert resp.json()["messages"] == [] and 0.4 < time.monotonic() - t0 < 3


def test_calls_wait_out_the_configured_latency(fake: FakeLineServer) -> None:
    fake.store.configure(latency_s=0.2)
    started = time.monotonic()
    answer = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text("ช้าหน่อย")]})
    assert answer.status_code == 200
    assert time.monotonic() - started >= 0.2
    assert fake.store.messages_for(USER)[-1]["message"]["text"] == "ช้าหน่อย"
