"""The simulator page (/simulator) and its JSON API; mounts the stand-in LINE API at /fake-line."""

from __future__ import annotations

from typing import Any

import requests
from flask import Blueprint, Flask, Response, jsonify, render_template, request, url_for

from bot.simulator.events import build_event, signed_request
from bot.simulator.fake_line import create_fake_line_blueprint
from bot.simulator.store import FakeLineStore

ROLES = ("resident", "leader", "staff", "admin")
EVENT_KINDS = ("text", "postback", "follow", "unfollow", "sticker", "location", "image", "video", "audio",
               "file", "join", "leave", "memberJoined", "memberLeft", "unsend", "messageEdited",
               "accountLink", "beacon", "videoPlayComplete")
CALLBACK_TIMEOUT_S = 30


def install_simulator(app: Flask, settings: Any, *, callback_url: str | None = None) -> FakeLineStore:
    """Serve the stand-in LINE API at /fake-line and the chat simulator at /simulator; returns the store.

    `settings` needs `channel_secret` (to sign webhooks) and `channel_access_token` (checked by the
    stand-in when set). Events are POSTed over real HTTP to `callback_url`, by default this same
    server's /callback, so the server must answer requests concurrently (threaded or gthread).
    """
    store = FakeLineStore(access_token=getattr(settings, "channel_access_token", None) or None)
    app.register_blueprint(create_fake_line_blueprint(store), url_prefix="/fake-line")
    app.register_blueprint(_simulator_blueprint(store, settings, callback_url))
    app.extensions["fake_line_store"] = store
    return store


def _user_item(kind: str, data: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
    """What the simulator shows on the user's side of the chat for this event."""
    message = event.get("message") or {}
    if kind == "text":
        return {"kind": "text", "text": message.get("text", "")}
    if kind == "postback":
        shown = data.get("display_text")
        if shown:
            return {"kind": "text", "text": shown}
        params = event["postback"].get("params")
        note = " ".join(str(v) for v in params.values()) if params else ""
        return {"kind": "note", "text": f"postback: {event['postback']['data']} {note}".strip()}
    if kind == "sticker":
        return {"kind": "sticker", "packageId": message["packageId"], "stickerId": message["stickerId"]}
    if kind == "location":
        return {"kind": "location", **{k: message[k] for k in ("title", "address", "latitude", "longitude")}}
    if kind in ("image", "video", "audio", "file"):
        return {"kind": kind}
    notes = {"follow": "เพิ่มเพื่อนแล้ว", "unfollow": "บล็อกบัญชีนี้แล้ว", "join": "บอทเข้ากลุ่ม",
             "leave": "บอทออกจากกลุ่ม", "memberJoined": "สมาชิกเข้ากลุ่ม", "memberLeft": "สมาชิกออกจากกลุ่ม"}
    return {"kind": "note", "text": notes.get(kind, kind)}


def _simulator_blueprint(store: FakeLineStore, settings: Any, callback_url: str | None) -> Blueprint:
    bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates",
                   static_folder="static", static_url_path="/static")

    @bp.get("")
    @bp.get("/")
    def page() -> str:
        return render_template("simulator/index.html", roles=ROLES)

    @bp.post("/api/event")
    def send_event() -> tuple[Response, int] | Response:
        data = request.get_json(silent=True) or {}
        user_id = str(data.get("user_id") or "").strip()
        kind = str(data.get("kind") or "text")
        if not user_id:
            return jsonify(error="ต้องระบุ user_id ค่ะ"), 400
        if kind not in EVENT_KINDS:
            return jsonify(error=f"ไม่รู้จักเหตุการณ์ {kind} ค่ะ"), 400
        group_id = (data.get("group_id") or "").strip() or None
        extra: dict[str, Any] = {}
        for key in ("latitude", "longitude", "title", "address", "package_id", "sticker_id"):
            if data.get(key) not in (None, ""):
                extra[key] = data[key]
        params = data.get("params") or None
        event = build_event(kind, user_id, text=data.get("text"), data=data.get("data"), params=params,
                            group_id=group_id, **extra)
        chat_id = group_id or user_id
        if data.get("display_name"):
            store.set_profile(user_id, str(data["display_name"]))
        if kind in ("follow", "unfollow"):
            store.set_blocked(user_id, kind == "unfollow")
        if params and params.get("newRichMenuAliasId"):
            with store.lock:
                rid = store.rich_menu_aliases.get(params["newRichMenuAliasId"])
            if rid:
                store.link_rich_menu(user_id, rid)
        if "replyToken" in event:
            store.register_reply_token(event["replyToken"], chat_id)
        item = _user_item(kind, data, event)
        if item is not None:
            store.record_user_message(chat_id, user_id, item)
        body, headers = signed_request([event], getattr(settings, "channel_secret", "") or "")
        url = callback_url or request.host_url.rstrip("/") + "/callback"
        try:
            resp = requests.post(url, data=body, headers=headers, timeout=CALLBACK_TIMEOUT_S)
        except requests.RequestException as exc:
            return jsonify(status=None, error=f"ส่งไปที่ {url} ไม่สำเร็จ: {exc}", event=event), 502
        return jsonify(status=resp.status_code, event=event, response=resp.text[:500])

    @bp.get("/api/messages")
    def messages() -> Response:
        chat_id = (request.args.get("group_id") or "").strip() or request.args.get("user_id", "")
        after = request.args.get("after", 0, type=int)
        return jsonify(messages=store.conversation(chat_id, after), last_seq=store.last_seq(),
                       loading=store.is_loading(chat_id), blocked=store.is_blocked(request.args.get("user_id", "")))

    @bp.get("/api/richmenu")
    def rich_menu() -> Response:
        menu = store.effective_rich_menu(request.args.get("user_id", ""))
        image_url = None
        if menu and store.rich_menu_image(menu["richMenuId"]):
            image_url = url_for("simulator.rich_menu_image", rid=menu["richMenuId"])
        return jsonify(richMenu=menu, imageUrl=image_url)

    @bp.get("/api/richmenu/<rid>/image")
    def rich_menu_image(rid: str) -> Response | tuple[Response, int]:
        image = store.rich_menu_image(rid)
        if not image:
            return jsonify(error="ไม่มีรูปเมนูค่ะ"), 404
        return Response(image[1], mimetype=image[0])

    @bp.get("/api/users")
    def users() -> Response:
        with store.lock:
            known = [{"user_id": uid, "display_name": p["displayName"], "blocked": bool(store.followers.get(uid))}
                     for uid, p in store.profiles.items()]
        return jsonify(users=known)

    @bp.post("/api/role")
    def set_role() -> tuple[Response, int] | Response:
        data = request.get_json(silent=True) or {}
        user_id, role = str(data.get("user_id") or ""), str(data.get("role") or "")
        if not user_id or role not in ROLES:
            return jsonify(error=f"ต้องระบุ user_id และบทบาทหนึ่งใน {', '.join(ROLES)} ค่ะ"), 400
        from bot.services.users import set_role_by_line_id

        set_role_by_line_id(user_id, role, data.get("display_name") or None)
        return jsonify(ok=True, user_id=user_id, role=role, rich_menu=_link_role_menu(user_id, role))

    return bp


def _link_role_menu(user_id: str, role: str) -> bool:
    """Show the user the rich menu of the role just set, as redeeming a role code does (bot.richmenu): it
    kept showing the resident menu. Through the bot's LINE gateway, so this stand-in records the link;
    False when the bot has no menus uploaded (or is not this app)."""
    from flask import current_app

    db, gateway = current_app.extensions.get("ruamkan.db"), current_app.extensions.get("ruamkan.gateway")
    if db is None or gateway is None:
        return False
    from bot import richmenu

    with db.session(readonly=True) as session:
        return richmenu.link_for_role(session, gateway, user_id, role)
