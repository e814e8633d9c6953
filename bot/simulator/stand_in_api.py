"""The stand-in LINE Messaging API, apart from any web framework: its routes, views and request pipeline.

`fake_line.py` serves these routes with Flask (inside the simulator, in tests) and `fake_line_aio.py`
with aiohttp (the standalone command the benchmarks start: no thread per call waiting out the latency).
Paths, status codes, headers and error bodies follow LINE's (see messaging-api.yml); every request body
is validated with the SDK's models plus LINE's own limits, and what was sent is kept in a `FakeLineStore`.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.simulator.limits import validate_request
from bot.simulator.store import FakeLineStore

Result = tuple[int, Any] | tuple[int, Any, dict[str, str]]

AUTH_FAILED = ("Authentication failed due to the following reason: invalid token. "
               "Confirm that the access token in the authorization header is valid.")
# A 1x1 transparent PNG: the content of a message a user sent, unless the store was given it (set_message_content).
_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
MAX_IMAGE_BYTES = 1024 * 1024
MAX_LONG_POLL_S = 10.0


@dataclass
class ApiCall:
    """One HTTP request as the views see it, whichever server received it."""

    method: str
    path: str
    headers: Mapping[str, str]  # case-insensitive, as both servers give them
    raw: bytes = b""
    content_type: str | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    unparsable: bool = False
    request_id: str = ""

    @property
    def json(self) -> Any:
        """The parsed body, or None when it was not JSON."""
        return None if self.unparsable else self.body

    def parse(self, binary: bool) -> ApiCall:
        if binary:
            self.body = {"bytes": len(self.raw), "contentType": self.content_type}
        elif self.raw:
            try:
                self.body = json.loads(self.raw)
            except ValueError:
                self.body, self.unparsable = self.raw[:1000].decode("utf-8", "replace"), True
        return self


@dataclass
class Handler:
    """A view and how to call it: as a LINE API endpoint (auth, latency, failures, call record) or as
    one of the stand-in's own endpoints (`own`, answered at once). `blocking` views may wait (long poll)."""

    view: Callable[..., Result]
    endpoint: str
    binary: bool = False
    own: bool = False
    blocking: bool = False


@dataclass
class Route:
    methods: tuple[str, ...]
    rule: str  # Flask syntax: /v2/bot/profile/<user_id>, /v2/<path:rest>
    handler: Handler


def _bad_request(store: FakeLineStore, endpoint: str, body: Any, details: list[dict[str, str]]) -> Result:
    store.record_error(endpoint, body, details)
    return 400, {"message": f"The request body has {len(details)} error(s)", "details": details}


def _valid_retry_key(key: str) -> bool:
    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True


def needs_latency(store: FakeLineStore, handler: Handler, call: ApiCall) -> float:
    """Seconds this call waits before its answer (none for refused tokens and the stand-in's own paths)."""
    if handler.own or not store.latency_s or authentication_failure(store, call) is not None:
        return 0.0
    return store.latency_s


def authentication_failure(store: FakeLineStore, call: ApiCall) -> Result | None:
    expected = f"Bearer {store.access_token}" if store.access_token else None
    if expected and call.headers.get("Authorization") != expected:
        return 401, {"message": AUTH_FAILED}
    return None


def answer(store: FakeLineStore, handler: Handler, call: ApiCall, path_args: dict[str, str]) -> Result:
    """The answer to a call, after its latency: auth, injected failures, the view; LINE calls are recorded."""
    if handler.own:
        return handler.view(call, **path_args)
    call.request_id = str(uuid.uuid4())
    headers = {"x-line-request-id": call.request_id}
    result = authentication_failure(store, call)
    if result is None:
        failure = store.pick_failure(handler.endpoint)
        if failure is not None:
            status = failure["status"]
            result = (status, {"message": "Too many requests" if status == 429
                               else "An error occurred on the server"})
            if failure.get("retry_after") is not None:
                headers["Retry-After"] = str(failure["retry_after"])
        elif call.unparsable:
            result = (400, {"message": "The request body could not be parsed as JSON"})
        else:
            body = call.raw if handler.binary else call.body
            result = handler.view(call, body, call.request_id, **path_args)
    status, payload, *extra = result
    if extra:
        headers.update(extra[0])
    store.record_call({
        "endpoint": handler.endpoint, "method": call.method, "path": call.path, "headers": dict(call.headers),
        "retry_key": call.headers.get("X-Line-Retry-Key"), "body": call.body, "status": status,
        "time": time.time(), "request_id": call.request_id,
    })
    return status, payload, headers


def encode_json(body: Any) -> bytes:
    return b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")


def build_routes(store: FakeLineStore) -> list[Route]:
    """Every path the stand-in serves, most specific first (the order aiohttp matches in)."""
    routes: list[Route] = []

    def api(endpoint: str, *, binary: bool = False, own: bool = False,
            blocking: bool = False) -> Callable[[Callable[..., Result]], Handler]:
        return lambda view: Handler(view, endpoint, binary=binary, own=own, blocking=blocking)

    def rule(methods: str | tuple[str, ...], path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            routes.append(Route((methods,) if isinstance(methods, str) else methods, path, handler))
            return handler

        return register

    # ---- sending messages ----------------------------------------------------------------------
    @rule("POST", "/v2/bot/message/reply")
    @api("replyMessage")
    def reply(call: ApiCall, body: Any, request_id: str) -> Result:
        details = validate_request("replyMessage", body)
        if details:
            return _bad_request(store, "replyMessage", body, details)
        to = store.use_reply_token(body["replyToken"])
        if to is None:
            return 400, {"message": "Invalid reply token"}
        sent = store.deliver([to], body["messages"], via="reply", request_id=request_id)
        return 200, {"sentMessages": sent}

    def _send(call: ApiCall, endpoint: str, via: str, body: Any, request_id: str, recipients: Callable[[dict], list[str]],
              ok_status: int = 200) -> Result:
        key = call.headers.get("X-Line-Retry-Key")
        if key is not None and not _valid_retry_key(key):
            return 400, {"message": "The value for the 'X-Line-Retry-Key' header is invalid"}
        details = validate_request(endpoint, body)
        if details:
            return _bad_request(store, endpoint, body, details)
        earlier = store.accept_retry_key(key, request_id, endpoint)
        if earlier is not None:
            return 409, {"message": "The retry key is already accepted"}, {"x-line-accepted-request-id": earlier}
        sent = store.deliver(recipients(body), body["messages"], via=via, request_id=request_id, retry_key=key)
        return ok_status, ({"sentMessages": sent} if endpoint == "pushMessage" else {})

    @rule("POST", "/v2/bot/message/push")
    @api("pushMessage")
    def push(call: ApiCall, body: Any, request_id: str) -> Result:
        return _send(call, "pushMessage", "push", body, request_id, lambda b: [b["to"]])

    @rule("POST", "/v2/bot/message/multicast")
    @api("multicast")
    def multicast(call: ApiCall, body: Any, request_id: str) -> Result:
        return _send(call, "multicast", "multicast", body, request_id, lambda b: list(dict.fromkeys(b["to"])))

    @rule("POST", "/v2/bot/message/broadcast")
    @api("broadcast")
    def broadcast(call: ApiCall, body: Any, request_id: str) -> Result:
        return _send(call, "broadcast", "broadcast", body, request_id, lambda b: store.follower_ids())

    @rule("POST", "/v2/bot/message/narrowcast")
    @api("narrowcast")
    def narrowcast(call: ApiCall, body: Any, request_id: str) -> Result:
        return _send(call, "narrowcast", "narrowcast", body, request_id, lambda b: store.follower_ids(), 202)

    @rule("POST", "/v2/bot/message/validate/<kind>")
    @api("validate")
    def validate(call: ApiCall, body: Any, request_id: str, kind: str) -> Result:
        endpoint = {"reply": "replyMessage", "push": "pushMessage"}.get(kind, kind)
        details = validate_request(endpoint, body)
        if endpoint in ("replyMessage", "pushMessage"):
            details = [d for d in details if d["property"] not in ("replyToken", "to")]
        return (_bad_request(store, f"validate/{kind}", body, details) if details else (200, {}))

    @rule("GET", "/v2/bot/message/quota")
    @api("getMessageQuota")
    def quota(call: ApiCall, body: Any, request_id: str) -> Result:
        return 200, {"type": "limited", "value": store.quota}

    @rule("GET", "/v2/bot/message/quota/consumption")
    @api("getMessageQuotaConsumption")
    def consumption(call: ApiCall, body: Any, request_id: str) -> Result:
        return 200, {"totalUsage": store.total_usage}

    @rule("GET", "/v2/bot/message/<message_id>/content")
    @api("getMessageContent")
    def message_content(call: ApiCall, body: Any, request_id: str, message_id: str) -> Result:
        kept = store.message_content(message_id)
        if kept is None:
            return 200, _PIXEL_PNG, {"Content-Type": "image/png"}
        return 200, kept[1], {"Content-Type": kept[0]}

    @rule("GET", "/v2/bot/message/<message_id>/content/transcoding")
    @api("getMessageContentTranscodingByMessageId")
    def transcoding(call: ApiCall, body: Any, request_id: str, message_id: str) -> Result:
        return 200, {"status": "succeeded"}

    @rule("POST", "/v2/bot/chat/loading/start")
    @api("showLoadingAnimation")
    def loading(call: ApiCall, body: Any, request_id: str) -> Result:
        body = body if isinstance(body, dict) else {}
        seconds = body.get("loadingSeconds", 20)
        if not body.get("chatId"):
            return _bad_request(store, "showLoadingAnimation", body,
                                [{"message": "Must not be empty", "property": "chatId"}])
        if not isinstance(seconds, int) or not 5 <= seconds <= 60 or seconds % 5:
            return _bad_request(store, "showLoadingAnimation", body,
                                [{"message": "Must be a multiple of 5 between 5 and 60",
                                  "property": "loadingSeconds"}])
        store.start_loading(body["chatId"], seconds)
        return 202, {}

    @rule("POST", "/v2/bot/message/markAsRead")
    @rule("POST", "/v2/bot/chat/markAsRead")
    @api("markMessagesAsRead")
    def mark_as_read(call: ApiCall, body: Any, request_id: str) -> Result:
        return 200, {}

    # ---- users and groups ----------------------------------------------------------------------
    @rule("GET", "/v2/bot/profile/<user_id>")
    @api("getProfile")
    def profile(call: ApiCall, body: Any, request_id: str, user_id: str) -> Result:
        found = store.get_profile(user_id)
        return (200, found) if found else (404, {"message": "Not found"})

    @rule("GET", "/v2/bot/group/<group_id>/member/<user_id>")
    @rule("GET", "/v2/bot/room/<group_id>/member/<user_id>")
    @api("getGroupMemberProfile")
    def member_profile(call: ApiCall, body: Any, request_id: str, group_id: str, user_id: str) -> Result:
        found = store.get_profile(user_id)
        if not found:
            return 404, {"message": "Not found"}
        return 200, {k: v for k, v in found.items() if k in ("displayName", "userId", "pictureUrl")}

    @rule("POST", "/v2/bot/group/<group_id>/leave")
    @rule("POST", "/v2/bot/room/<group_id>/leave")
    @api("leaveGroup")
    def leave_group(call: ApiCall, body: Any, request_id: str, group_id: str) -> Result:
        return 200, {}

    @rule("GET", "/v2/bot/followers/ids")
    @api("getFollowers")
    def followers(call: ApiCall, body: Any, request_id: str) -> Result:
        return 200, {"userIds": store.follower_ids()}

    @rule("GET", "/v2/bot/info")
    @api("getBotInfo")
    def bot_info(call: ApiCall, body: Any, request_id: str) -> Result:
        from bot.simulator.events import DEFAULT_DESTINATION

        return 200, {"userId": DEFAULT_DESTINATION, "basicId": "@ruamkan", "displayName": "ร่วมกัน",
                     "chatMode": "bot", "markAsReadMode": "auto"}

    # ---- rich menus ----------------------------------------------------------------------------
    def _menu_or_404(rid: str) -> dict | None:
        return store.get_rich_menu(rid)

    not_found = (404, {"message": "Not found"})
    no_image = (400, {"message": "must upload richmenu image before applying it to user"})

    def _link_menu(user_id: str | None, rid: str) -> Result:
        """Link a menu to a user, or make it the default (user_id None); it needs its image first."""
        if not _menu_or_404(rid):
            return not_found
        if not store.rich_menu_image(rid):
            return no_image
        store.link_rich_menu(user_id, rid)
        return 200, {}

    @rule("POST", "/v2/bot/richmenu")
    @api("createRichMenu")
    def create_rich_menu(call: ApiCall, body: Any, request_id: str) -> Result:
        details = validate_request("createRichMenu", body)
        if details:
            return _bad_request(store, "createRichMenu", body, details)
        return 200, {"richMenuId": store.create_rich_menu(body)}

    @rule("POST", "/v2/bot/richmenu/validate")
    @api("validateRichMenuObject")
    def validate_rich_menu(call: ApiCall, body: Any, request_id: str) -> Result:
        details = validate_request("createRichMenu", body)
        return _bad_request(store, "validateRichMenuObject", body, details) if details else (200, {})

    @rule("GET", "/v2/bot/richmenu/list")
    @api("getRichMenuList")
    def rich_menu_list(call: ApiCall, body: Any, request_id: str) -> Result:
        with store.lock:
            menus = [dict(m) for m in store.rich_menus.values()]
        return 200, {"richmenus": menus}

    @rule("GET", "/v2/bot/richmenu/<rid>")
    @api("getRichMenu")
    def get_rich_menu(call: ApiCall, body: Any, request_id: str, rid: str) -> Result:
        menu = _menu_or_404(rid)
        return (200, menu) if menu else not_found

    @rule("DELETE", "/v2/bot/richmenu/<rid>")
    @api("deleteRichMenu")
    def delete_rich_menu(call: ApiCall, body: Any, request_id: str, rid: str) -> Result:
        return (200, {}) if store.delete_rich_menu(rid) else not_found

    @rule("POST", "/v2/bot/richmenu/<rid>/content")
    @api("setRichMenuImage", binary=True)
    def upload_rich_menu_image(call: ApiCall, body: bytes, request_id: str, rid: str) -> Result:
        if not _menu_or_404(rid):
            return not_found
        content_type = (call.content_type or "").split(";")[0].strip().lower()
        if content_type not in ("image/png", "image/jpeg"):
            return 415, {"message": "Unsupported media type; use image/png or image/jpeg"}
        if len(body) > MAX_IMAGE_BYTES:
            return 413, {"message": "Request entity too large"}
        if store.rich_menu_image(rid):
            return 400, {"message": "An image has already been uploaded to the richmenu"}
        store.set_rich_menu_image(rid, content_type, body)
        return 200, {}

    @rule("GET", "/v2/bot/richmenu/<rid>/content")
    @api("getRichMenuImage")
    def download_rich_menu_image(call: ApiCall, body: Any, request_id: str, rid: str) -> Result:
        image = store.rich_menu_image(rid)
        if not image:
            return not_found
        return 200, image[1], {"Content-Type": image[0]}

    @rule("POST", "/v2/bot/user/all/richmenu/<rid>")
    @api("setDefaultRichMenu")
    def set_default_rich_menu(call: ApiCall, body: Any, request_id: str, rid: str) -> Result:
        return _link_menu(None, rid)

    @rule("GET", "/v2/bot/user/all/richmenu")
    @api("getDefaultRichMenuId")
    def get_default_rich_menu(call: ApiCall, body: Any, request_id: str) -> Result:
        rid = store.default_rich_menu
        return (200, {"richMenuId": rid}) if rid else (404, {"message": "no default richmenu"})

    @rule("DELETE", "/v2/bot/user/all/richmenu")
    @api("cancelDefaultRichMenu")
    def cancel_default_rich_menu(call: ApiCall, body: Any, request_id: str) -> Result:
        store.link_rich_menu(None, None)
        return 200, {}

    @rule("POST", "/v2/bot/user/<user_id>/richmenu/<rid>")
    @api("linkRichMenuIdToUser")
    def link_rich_menu(call: ApiCall, body: Any, request_id: str, user_id: str, rid: str) -> Result:
        return _link_menu(user_id, rid)

    @rule("GET", "/v2/bot/user/<user_id>/richmenu")
    @api("getRichMenuIdOfUser")
    def user_rich_menu(call: ApiCall, body: Any, request_id: str, user_id: str) -> Result:
        rid = store.user_rich_menu_id(user_id)
        return (200, {"richMenuId": rid}) if rid else (404, {"message": "the user has no richmenu"})

    @rule("DELETE", "/v2/bot/user/<user_id>/richmenu")
    @api("unlinkRichMenuIdFromUser")
    def unlink_rich_menu(call: ApiCall, body: Any, request_id: str, user_id: str) -> Result:
        store.link_rich_menu(user_id, None)
        return 200, {}

    @rule("POST", "/v2/bot/richmenu/bulk/link")
    @api("linkRichMenuIdToUsers")
    def bulk_link(call: ApiCall, body: Any, request_id: str) -> Result:
        body = body if isinstance(body, dict) else {}
        rid, users = body.get("richMenuId"), body.get("userIds") or []
        if not rid or not _menu_or_404(rid):
            return not_found
        if not 1 <= len(users) <= 500:
            return _bad_request(store, "linkRichMenuIdToUsers", body,
                                [{"message": "Size must be between 1 and 500", "property": "userIds"}])
        for uid in users:
            store.link_rich_menu(uid, rid)
        return 202, {}

    @rule("POST", "/v2/bot/richmenu/bulk/unlink")
    @api("unlinkRichMenuIdFromUsers")
    def bulk_unlink(call: ApiCall, body: Any, request_id: str) -> Result:
        for uid in (body or {}).get("userIds") or []:
            store.link_rich_menu(uid, None)
        return 202, {}

    @rule("POST", "/v2/bot/richmenu/alias")
    @api("createRichMenuAlias")
    def create_alias(call: ApiCall, body: Any, request_id: str) -> Result:
        body = body if isinstance(body, dict) else {}
        alias, rid = body.get("richMenuAliasId"), body.get("richMenuId")
        if not alias or not rid or not _menu_or_404(rid):
            return 400, {"message": "richmenu not found or alias missing"}
        with store.lock:
            if alias in store.rich_menu_aliases:
                return 400, {"message": "conflict richmenu alias id"}
            store.rich_menu_aliases[alias] = rid
        return 200, {}

    @rule("GET", "/v2/bot/richmenu/alias/list")
    @api("getRichMenuAliasList")
    def alias_list(call: ApiCall, body: Any, request_id: str) -> Result:
        with store.lock:
            aliases = [{"richMenuAliasId": a, "richMenuId": r} for a, r in store.rich_menu_aliases.items()]
        return 200, {"aliases": aliases}

    @rule(("GET", "POST", "DELETE",), "/v2/bot/richmenu/alias/<alias>")
    @api("richMenuAlias")
    def alias_detail(call: ApiCall, body: Any, request_id: str, alias: str) -> Result:
        with store.lock:
            rid = store.rich_menu_aliases.get(alias)
            if rid is None:
                return not_found
            if call.method == "DELETE":
                del store.rich_menu_aliases[alias]
                return 200, {}
            if call.method == "POST":
                new_rid = (body or {}).get("richMenuId")
                if not new_rid or new_rid not in store.rich_menus:
                    return 400, {"message": "richmenu not found"}
                store.rich_menu_aliases[alias] = new_rid
                return 200, {}
            return 200, {"richMenuAliasId": alias, "richMenuId": rid}

    # ---- anything else under /v2 ---------------------------------------------------------------
    @rule(("GET", "POST", "PUT", "DELETE",), "/v2/<path:rest>")
    @api("unsupported")
    def unsupported(call: ApiCall, body: Any, request_id: str, rest: str) -> Result:
        return 404, {"message": "Not found (this endpoint is not served by the stand-in)"}

    # ---- the stand-in's own endpoints ----------------------------------------------------------
    @rule("GET", "/_stand-in/stats")
    @api("stats", own=True)
    def stats(call: ApiCall) -> Result:
        return 200, store.stats()

    @rule("POST", "/_stand-in/reset")
    @api("reset", own=True)
    def reset(call: ApiCall) -> Result:
        store.reset()
        return 200, {"ok": True}

    @rule("GET", "/_stand-in/messages")
    @api("messages", own=True, blocking=True)
    def messages(call: ApiCall) -> Result:
        to = call.args.get("to", "")
        after, wait = _number(call.args.get("after"), int, 0), _number(call.args.get("wait"), float, 0.0)
        wait = min(max(wait, 0.0), MAX_LONG_POLL_S)
        items = store.wait_for_messages(to, after, wait) if wait else store.messages_for(to, after)
        return 200, {"messages": items, "last_seq": store.last_seq()}

    @rule("GET", "/_stand-in/errors")
    @api("errors", own=True)
    def errors(call: ApiCall) -> Result:
        with store.lock:
            return 200, {"errors": list(store.errors)}

    @rule("POST", "/_stand-in/reply-tokens")
    @api("reply-tokens", own=True)
    def reply_tokens(call: ApiCall) -> Result:
        """Register reply tokens over HTTP (for load generators): {"token", "to"} or a list of them."""
        body = call.json or []
        for item in body if isinstance(body, list) else [body]:
            store.register_reply_token(item["token"], item["to"])
        return 200, {"ok": True}

    @rule("POST", "/_stand-in/config")
    @api("config", own=True)
    def config(call: ApiCall) -> Result:
        """Change latency_s, fail_rate, access_token, quota or lenient_reply_tokens at run time."""
        try:
            store.configure(**(call.json if isinstance(call.json, dict) else {}))
        except AttributeError as exc:
            return 400, {"message": f"unknown setting {exc}"}
        return 200, {"ok": True}

    return routes


def _number(text: str | None, kind: type, default: Any) -> Any:
    try:
        return kind(text) if text is not None else default
    except ValueError:
        return default
