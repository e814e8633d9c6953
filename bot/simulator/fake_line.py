"""A local stand-in for the LINE Messaging API: a Flask blueprint, a test server and a standalone command.

Point line-bot-sdk at it with `Configuration(host="<server>/fake-line")`. Paths, status codes, headers
and error bodies follow LINE's (see messaging-api.yml); every request body is validated with the SDK's
models plus LINE's own limits, and what was sent is kept in a `FakeLineStore`.
"""

from __future__ import annotations

import argparse
import base64
import functools
import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, request
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from bot.simulator.limits import validate_request
from bot.simulator.store import FakeLineStore

__all__ = ["FakeLineStore", "FakeLineServer", "create_fake_line_blueprint", "create_fake_line_app", "main"]

Result = tuple[int, Any] | tuple[int, Any, dict[str, str]]

AUTH_FAILED = ("Authentication failed due to the following reason: invalid token. "
               "Confirm that the access token in the authorization header is valid.")
# A 1x1 transparent PNG, returned as the content of any message a user sent.
_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
MAX_IMAGE_BYTES = 1024 * 1024


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    resp = Response(data, status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _bad_request(store: FakeLineStore, endpoint: str, body: Any, details: list[dict[str, str]]) -> Result:
    store.record_error(endpoint, body, details)
    return 400, {"message": f"The request body has {len(details)} error(s)", "details": details}


def _valid_retry_key(key: str) -> bool:
    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True


def create_fake_line_blueprint(store: FakeLineStore, name: str = "fake_line") -> Blueprint:
    """Blueprint serving LINE's paths (/v2/bot/...) and the stand-in's own (/_stand-in/...)."""
    bp = Blueprint(name, __name__)

    def api(endpoint: str, *, binary: bool = False) -> Callable:
        """Wrap a view: request id, auth, latency, injected failures, JSON parsing, call record."""

        def decorator(view: Callable[..., Result]) -> Callable[..., Response]:
            @functools.wraps(view)
            def wrapper(**kwargs: Any) -> Response:
                request_id = str(uuid.uuid4())
                raw = request.get_data()
                body: Any = None
                headers = {"x-line-request-id": request_id}
                result: Result | None = None
                unparsable = False
                if binary:
                    body = {"bytes": len(raw), "contentType": request.content_type}
                elif raw:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body, unparsable = raw[:1000].decode("utf-8", "replace"), True
                expected = f"Bearer {store.access_token}" if store.access_token else None
                if expected and request.headers.get("Authorization") != expected:
                    result = (401, {"message": AUTH_FAILED})
                else:
                    if store.latency_s:
                        time.sleep(store.latency_s)
                    failure = store.pick_failure(endpoint)
                    if failure is not None:
                        status = failure["status"]
                        result = (status, {"message": "Too many requests" if status == 429
                                           else "An error occurred on the server"})
                        if failure.get("retry_after") is not None:
                            headers["Retry-After"] = str(failure["retry_after"])
                    elif unparsable:
                        result = (400, {"message": "The request body could not be parsed as JSON"})
                    else:
                        result = view(body=raw if binary else body, request_id=request_id, **kwargs)
                status, payload, *extra = result
                if extra:
                    headers.update(extra[0])
                store.record_call({
                    "endpoint": endpoint, "method": request.method, "path": request.path,
                    "headers": dict(request.headers), "retry_key": request.headers.get("X-Line-Retry-Key"),
                    "body": body, "status": status, "time": time.time(), "request_id": request_id,
                })
                if isinstance(payload, bytes | bytearray):
                    resp = Response(bytes(payload), status=status, mimetype=headers.pop("Content-Type", None))
                    for key, value in headers.items():
                        resp.headers[key] = value
                    return resp
                return _json(status, payload, headers)

            return wrapper

        return decorator

    # ---- sending messages ----------------------------------------------------------------------
    @bp.post("/v2/bot/message/reply")
    @api("replyMessage")
    def reply(body: Any, request_id: str) -> Result:
        details = validate_request("replyMessage", body)
        if details:
            return _bad_request(store, "replyMessage", body, details)
        to = store.use_reply_token(body["replyToken"])
        if to is None:
            return 400, {"message": "Invalid reply token"}
        sent = store.deliver([to], body["messages"], via="reply", request_id=request_id)
        return 200, {"sentMessages": sent}

    def _send(endpoint: str, via: str, body: Any, request_id: str, recipients: Callable[[dict], list[str]],
              ok_status: int = 200) -> Result:
        key = request.headers.get("X-Line-Retry-Key")
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

    @bp.post("/v2/bot/message/push")
    @api("pushMessage")
    def push(body: Any, request_id: str) -> Result:
        return _send("pushMessage", "push", body, request_id, lambda b: [b["to"]])

    @bp.post("/v2/bot/message/multicast")
    @api("multicast")
    def multicast(body: Any, request_id: str) -> Result:
        return _send("multicast", "multicast", body, request_id, lambda b: list(dict.fromkeys(b["to"])))

    @bp.post("/v2/bot/message/broadcast")
    @api("broadcast")
    def broadcast(body: Any, request_id: str) -> Result:
        return _send("broadcast", "broadcast", body, request_id, lambda b: store.follower_ids())

    @bp.post("/v2/bot/message/narrowcast")
    @api("narrowcast")
    def narrowcast(body: Any, request_id: str) -> Result:
        return _send("narrowcast", "narrowcast", body, request_id, lambda b: store.follower_ids(), 202)

    @bp.post("/v2/bot/message/validate/<kind>")
    @api("validate")
    def validate(body: Any, request_id: str, kind: str) -> Result:
        endpoint = {"reply": "replyMessage", "push": "pushMessage"}.get(kind, kind)
        details = validate_request(endpoint, body)
        if endpoint in ("replyMessage", "pushMessage"):
            details = [d for d in details if d["property"] not in ("replyToken", "to")]
        return (_bad_request(store, f"validate/{kind}", body, details) if details else (200, {}))

    @bp.get("/v2/bot/message/quota")
    @api("getMessageQuota")
    def quota(body: Any, request_id: str) -> Result:
        return 200, {"type": "limited", "value": store.quota}

    @bp.get("/v2/bot/message/quota/consumption")
    @api("getMessageQuotaConsumption")
    def consumption(body: Any, request_id: str) -> Result:
        return 200, {"totalUsage": store.total_usage}

    @bp.get("/v2/bot/message/<message_id>/content")
    @api("getMessageContent")
    def message_content(body: Any, request_id: str, message_id: str) -> Result:
        return 200, _PIXEL_PNG, {"Content-Type": "image/png"}

    @bp.get("/v2/bot/message/<message_id>/content/transcoding")
    @api("getMessageContentTranscodingByMessageId")
    def transcoding(body: Any, request_id: str, message_id: str) -> Result:
        return 200, {"status": "succeeded"}

    @bp.post("/v2/bot/chat/loading/start")
    @api("showLoadingAnimation")
    def loading(body: Any, request_id: str) -> Result:
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

    @bp.post("/v2/bot/message/markAsRead")
    @bp.post("/v2/bot/chat/markAsRead")
    @api("markMessagesAsRead")
    def mark_as_read(body: Any, request_id: str) -> Result:
        return 200, {}

    # ---- users and groups ----------------------------------------------------------------------
    @bp.get("/v2/bot/profile/<user_id>")
    @api("getProfile")
    def profile(body: Any, request_id: str, user_id: str) -> Result:
        found = store.get_profile(user_id)
        return (200, found) if found else (404, {"message": "Not found"})

    @bp.get("/v2/bot/group/<group_id>/member/<user_id>")
    @bp.get("/v2/bot/room/<group_id>/member/<user_id>")
    @api("getGroupMemberProfile")
    def member_profile(body: Any, request_id: str, group_id: str, user_id: str) -> Result:
        found = store.get_profile(user_id)
        if not found:
            return 404, {"message": "Not found"}
        return 200, {k: v for k, v in found.items() if k in ("displayName", "userId", "pictureUrl")}

    @bp.post("/v2/bot/group/<group_id>/leave")
    @bp.post("/v2/bot/room/<group_id>/leave")
    @api("leaveGroup")
    def leave_group(body: Any, request_id: str, group_id: str) -> Result:
        return 200, {}

    @bp.get("/v2/bot/followers/ids")
    @api("getFollowers")
    def followers(body: Any, request_id: str) -> Result:
        return 200, {"userIds": store.follower_ids()}

    @bp.get("/v2/bot/info")
    @api("getBotInfo")
    def bot_info(body: Any, request_id: str) -> Result:
        from bot.simulator.events import DEFAULT_DESTINATION

        return 200, {"userId": DEFAULT_DESTINATION, "basicId": "@ruamkan", "displayName": "ร่วมกัน",
                     "chatMode": "bot", "markAsReadMode": "auto"}

    # ---- rich menus ----------------------------------------------------------------------------
    def _menu_or_404(rid: str) -> dict | None:
        return store.get_rich_menu(rid)

    not_found = (404, {"message": "Not found"})
    no_image = (400, {"message": "must upload richmenu image before applying it to user"})

    @bp.post("/v2/bot/richmenu")
    @api("createRichMenu")
    def create_rich_menu(body: Any, request_id: str) -> Result:
        details = validate_request("createRichMenu", body)
        if details:
            return _bad_request(store, "createRichMenu", body, details)
        return 200, {"richMenuId": store.create_rich_menu(body)}

    @bp.post("/v2/bot/richmenu/validate")
    @api("validateRichMenuObject")
    def validate_rich_menu(body: Any, request_id: str) -> Result:
        details = validate_request("createRichMenu", body)
        return _bad_request(store, "validateRichMenuObject", body, details) if details else (200, {})

    @bp.get("/v2/bot/richmenu/list")
    @api("getRichMenuList")
    def rich_menu_list(body: Any, request_id: str) -> Result:
        with store.lock:
            menus = [dict(m) for m in store.rich_menus.values()]
        return 200, {"richmenus": menus}

    @bp.get("/v2/bot/richmenu/<rid>")
    @api("getRichMenu")
    def get_rich_menu(body: Any, request_id: str, rid: str) -> Result:
        menu = _menu_or_404(rid)
        return (200, menu) if menu else not_found

    @bp.delete("/v2/bot/richmenu/<rid>")
    @api("deleteRichMenu")
    def delete_rich_menu(body: Any, request_id: str, rid: str) -> Result:
        return (200, {}) if store.delete_rich_menu(rid) else not_found

    @bp.post("/v2/bot/richmenu/<rid>/content")
    @api("setRichMenuImage", binary=True)
    def upload_rich_menu_image(body: bytes, request_id: str, rid: str) -> Result:
        if not _menu_or_404(rid):
            return not_found
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type not in ("image/png", "image/jpeg"):
            return 415, {"message": "Unsupported media type; use image/png or image/jpeg"}
        if len(body) > MAX_IMAGE_BYTES:
            return 413, {"message": "Request entity too large"}
        if store.rich_menu_image(rid):
            return 400, {"message": "An image has already been uploaded to the richmenu"}
        store.set_rich_menu_image(rid, content_type, body)
        return 200, {}

    @bp.get("/v2/bot/richmenu/<rid>/content")
    @api("getRichMenuImage")
    def download_rich_menu_image(body: Any, request_id: str, rid: str) -> Result:
        image = store.rich_menu_image(rid)
        if not image:
            return not_found
        return 200, image[1], {"Content-Type": image[0]}

    @bp.post("/v2/bot/user/all/richmenu/<rid>")
    @api("setDefaultRichMenu")
    def set_default_rich_menu(body: Any, request_id: str, rid: str) -> Result:
        if not _menu_or_404(rid):
            return not_found
        if not store.rich_menu_image(rid):
            return no_image
        store.link_rich_menu(None, rid)
        return 200, {}

    @bp.get("/v2/bot/user/all/richmenu")
    @api("getDefaultRichMenuId")
    def get_default_rich_menu(body: Any, request_id: str) -> Result:
        rid = store.default_rich_menu
        return (200, {"richMenuId": rid}) if rid else (404, {"message": "no default richmenu"})

    @bp.delete("/v2/bot/user/all/richmenu")
    @api("cancelDefaultRichMenu")
    def cancel_default_rich_menu(body: Any, request_id: str) -> Result:
        store.link_rich_menu(None, None)
        return 200, {}

    @bp.post("/v2/bot/user/<user_id>/richmenu/<rid>")
    @api("linkRichMenuIdToUser")
    def link_rich_menu(body: Any, request_id: str, user_id: str, rid: str) -> Result:
        if not _menu_or_404(rid):
            return not_found
        if not store.rich_menu_image(rid):
            return no_image
        store.link_rich_menu(user_id, rid)
        return 200, {}

    @bp.get("/v2/bot/user/<user_id>/richmenu")
    @api("getRichMenuIdOfUser")
    def user_rich_menu(body: Any, request_id: str, user_id: str) -> Result:
        rid = store.user_rich_menu_id(user_id)
        return (200, {"richMenuId": rid}) if rid else (404, {"message": "the user has no richmenu"})

    @bp.delete("/v2/bot/user/<user_id>/richmenu")
    @api("unlinkRichMenuIdFromUser")
    def unlink_rich_menu(body: Any, request_id: str, user_id: str) -> Result:
        store.link_rich_menu(user_id, None)
        return 200, {}

    @bp.post("/v2/bot/richmenu/bulk/link")
    @api("linkRichMenuIdToUsers")
    def bulk_link(body: Any, request_id: str) -> Result:
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

    @bp.post("/v2/bot/richmenu/bulk/unlink")
    @api("unlinkRichMenuIdFromUsers")
    def bulk_unlink(body: Any, request_id: str) -> Result:
        for uid in (body or {}).get("userIds") or []:
            store.link_rich_menu(uid, None)
        return 202, {}

    @bp.post("/v2/bot/richmenu/alias")
    @api("createRichMenuAlias")
    def create_alias(body: Any, request_id: str) -> Result:
        body = body if isinstance(body, dict) else {}
        alias, rid = body.get("richMenuAliasId"), body.get("richMenuId")
        if not alias or not rid or not _menu_or_404(rid):
            return 400, {"message": "richmenu not found or alias missing"}
        with store.lock:
            if alias in store.rich_menu_aliases:
                return 400, {"message": "conflict richmenu alias id"}
            store.rich_menu_aliases[alias] = rid
        return 200, {}

    @bp.get("/v2/bot/richmenu/alias/list")
    @api("getRichMenuAliasList")
    def alias_list(body: Any, request_id: str) -> Result:
        with store.lock:
            aliases = [{"richMenuAliasId": a, "richMenuId": r} for a, r in store.rich_menu_aliases.items()]
        return 200, {"aliases": aliases}

    @bp.route("/v2/bot/richmenu/alias/<alias>", methods=["GET", "POST", "DELETE"])
    @api("richMenuAlias")
    def alias_detail(body: Any, request_id: str, alias: str) -> Result:
        with store.lock:
            rid = store.rich_menu_aliases.get(alias)
            if rid is None:
                return not_found
            if request.method == "DELETE":
                del store.rich_menu_aliases[alias]
                return 200, {}
            if request.method == "POST":
                new_rid = (body or {}).get("richMenuId")
                if not new_rid or new_rid not in store.rich_menus:
                    return 400, {"message": "richmenu not found"}
                store.rich_menu_aliases[alias] = new_rid
                return 200, {}
            return 200, {"richMenuAliasId": alias, "richMenuId": rid}

    # ---- anything else under /v2 ---------------------------------------------------------------
    @bp.route("/v2/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
    @api("unsupported")
    def unsupported(body: Any, request_id: str, rest: str) -> Result:
        return 404, {"message": "Not found (this endpoint is not served by the stand-in)"}

    # ---- the stand-in's own endpoints ----------------------------------------------------------
    @bp.get("/_stand-in/stats")
    def stats() -> Response:
        return _json(200, store.stats())

    @bp.post("/_stand-in/reset")
    def reset() -> Response:
        store.reset()
        return _json(200, {"ok": True})

    @bp.get("/_stand-in/messages")
    def messages() -> Response:
        to = request.args.get("to", "")
        after = request.args.get("after", 0, type=int)
        wait = min(max(request.args.get("wait", 0.0, type=float), 0.0), 10.0)
        items = store.wait_for_messages(to, after, wait) if wait else store.messages_for(to, after)
        return _json(200, {"messages": items, "last_seq": store.last_seq()})

    @bp.get("/_stand-in/errors")
    def errors() -> Response:
        with store.lock:
            return _json(200, {"errors": list(store.errors)})

    @bp.post("/_stand-in/reply-tokens")
    def reply_tokens() -> Response:
        """Register reply tokens over HTTP (for load generators): {"token", "to"} or a list of them."""
        body = request.get_json(silent=True) or []
        for item in body if isinstance(body, list) else [body]:
            store.register_reply_token(item["token"], item["to"])
        return _json(200, {"ok": True})

    @bp.post("/_stand-in/config")
    def config() -> Response:
        """Change latency_s, fail_rate, access_token, quota or lenient_reply_tokens at run time."""
        try:
            store.configure(**(request.get_json(silent=True) or {}))
        except AttributeError as exc:
            return _json(400, {"message": f"unknown setting {exc}"})
        return _json(200, {"ok": True})

    return bp


def create_fake_line_app(store: FakeLineStore, prefix: str = "/fake-line") -> Flask:
    """A Flask app serving only the stand-in under `prefix`."""
    app = Flask("fake_line")
    app.register_blueprint(create_fake_line_blueprint(store), url_prefix=prefix)
    app.extensions["fake_line_store"] = store
    return app


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's urllib3 pool expects

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class _Server(ThreadedWSGIServer):
    request_queue_size = 1024


class FakeLineServer:
    """Serves a fresh stand-in app on 127.0.0.1 (free port) in a background thread.

    >>> with FakeLineServer(access_token="T") as fake:
    ...     Configuration(host=fake.base_url, access_token="T")
    """

    def __init__(self, store: FakeLineStore | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 **store_settings: Any) -> None:
        self.store = store or FakeLineStore(**store_settings)
        self.app = create_fake_line_app(self.store)
        self._server = _Server(host, port, self.app, handler=_QuietHandler)
        self._thread: threading.Thread | None = None
        self.root_url = f"http://{host}:{self._server.server_port}"
        self.base_url = f"{self.root_url}/fake-line"

    def start(self) -> FakeLineServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-line", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeLineServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve_gunicorn(app: Flask, host: str, port: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):
        def load_config(self) -> None:
            # One process: the store (retry keys, deliveries) must be shared by every request.
            for key, value in {"bind": f"{host}:{port}", "workers": 1, "worker_class": "gthread",
                               "threads": threads, "worker_connections": 4096, "backlog": 2048,
                               "keepalive": 30, "timeout": 120, "accesslog": None,
                               "control_socket_disable": True}.items():
                if key in self.cfg.settings:  # control_socket_disable only exists in newer gunicorn
                    self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    _App().run()


def main(argv: list[str] | None = None) -> None:
    """`python -m bot.simulator.fake_line --port 9100 --latency 0.3 --fail-rate 0.05 --token T`."""
    parser = argparse.ArgumentParser(description="Stand-in LINE Messaging API (served under /fake-line)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each API answer")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of calls answered 429/500")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--token", default=None, help="require Authorization: Bearer <token>")
    parser.add_argument("--strict-reply-tokens", action="store_true",
                        help="refuse reply tokens not registered via /_stand-in/reply-tokens")
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    parser.add_argument("--threads", type=int, default=512)
    args = parser.parse_args(argv)
    store = FakeLineStore(access_token=args.token, latency_s=args.latency, fail_rate=args.fail_rate,
                          seed=args.seed, lenient_reply_tokens=not args.strict_reply_tokens)
    app = create_fake_line_app(store)
    print(f"Stand-in LINE API at http://{args.host}:{args.port}/fake-line "
          f"(latency {args.latency}s, fail rate {args.fail_rate}, server {args.server})", flush=True)
    if args.server == "gunicorn":
        _serve_gunicorn(app, args.host, args.port, args.threads)
    else:
        server = _Server(args.host, args.port, app, handler=_QuietHandler)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
