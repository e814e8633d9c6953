"""In-memory state of the stand-in LINE Messaging API (thread-safe)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter, deque
from typing import Any

from bot.simulator.events import new_message_id, new_quote_token

REPLY_TOKEN_TTL_S = 60.0
QUOTABLE = frozenset({"text", "textV2", "sticker", "image", "video", "location"})


class FakeLineStore:
    """Records calls and deliveries, holds reply tokens, profiles, rich menus and retry keys.

    Every public method takes the lock; the HTTP layer (fake_line.py) never touches fields directly
    except through these methods.
    """

    def __init__(
        self,
        *,
        access_token: str | None = None,
        latency_s: float = 0.0,
        fail_rate: float = 0.0,
        seed: int = 1234,
        quota: int = 100_000,
        lenient_reply_tokens: bool = False,
        max_calls: int = 100_000,
        max_messages_per_recipient: int = 10_000,
    ) -> None:
        self.lock = threading.RLock()
        self._waiters: dict[str, list[threading.Event]] = {}
        self.access_token = access_token or None
        self.latency_s = latency_s
        self.fail_rate = fail_rate
        self.quota = quota
        self.lenient_reply_tokens = lenient_reply_tokens
        self.max_calls = max_calls
        self.max_messages_per_recipient = max_messages_per_recipient
        self._rng = random.Random(seed)
        self.reset()

    # ---- lifecycle -----------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget everything recorded (configuration is kept)."""
        with self.lock:
            self.calls: deque[dict[str, Any]] = deque(maxlen=self.max_calls)
            self.errors: list[dict[str, Any]] = []
            self.messages: dict[str, deque[dict[str, Any]]] = {}
            self.user_log: dict[str, list[dict[str, Any]]] = {}
            self.reply_tokens: dict[str, dict[str, Any]] = {}
            self.profiles: dict[str, dict[str, Any]] = {}
            self.followers: dict[str, bool] = {}  # user id -> blocked?
            self.rich_menus: dict[str, dict[str, Any]] = {}
            self.rich_menu_images: dict[str, tuple[str, bytes]] = {}
            self.contents: dict[str, tuple[str, bytes]] = {}
            self.rich_menu_aliases: dict[str, str] = {}
            self.user_rich_menus: dict[str, str] = {}
            self.default_rich_menu: str | None = None
            self.retry_keys: dict[str, dict[str, Any]] = {}
            self.loading: dict[str, tuple[float, float]] = {}
            self.forced_failures: list[dict[str, Any]] = []
            self._seq = 0
            self.total_usage = 0
            self.delivered_count = 0
            self.per_recipient: Counter[str] = Counter()
            self.counts: Counter[str] = Counter()
            self.statuses: Counter[str] = Counter()
            self.deliveries_per_key: Counter[str] = Counter()
            self.conflicts = 0
            self.injected_failures = 0
            self.undelivered_blocked = 0

    # ---- configuration helpers -----------------------------------------------------------------
    def configure(self, **settings: Any) -> None:
        """Change latency_s, fail_rate, access_token, quota, lenient_reply_tokens at run time."""
        with self.lock:
            for key, value in settings.items():
                if key not in ("latency_s", "fail_rate", "access_token", "quota", "lenient_reply_tokens"):
                    raise AttributeError(key)
                setattr(self, key, value)

    def fail_next(self, status: int = 500, times: int = 1, *, retry_after: int | None = None,
                  endpoint: str | None = None) -> None:
        """Make the next `times` calls (optionally to one endpoint, e.g. "pushMessage") fail with `status`."""
        with self.lock:
            for _ in range(times):
                self.forced_failures.append({"status": status, "retry_after": retry_after, "endpoint": endpoint})

    def pick_failure(self, endpoint: str) -> dict[str, Any] | None:
        """A forced or random failure for this call, or None."""
        with self.lock:
            for i, failure in enumerate(self.forced_failures):
                if failure["endpoint"] in (None, endpoint):
                    del self.forced_failures[i]
                    return failure
            if self.fail_rate and self._rng.random() < self.fail_rate:
                self.injected_failures += 1
                if self._rng.random() < 0.5:
                    return {"status": 429, "retry_after": self._rng.choice([1, 2])}
                return {"status": 500, "retry_after": None}
        return None

    # ---- recording -----------------------------------------------------------------------------
    def record_call(self, call: dict[str, Any]) -> None:
        with self.lock:
            self.calls.append(call)
            self.counts[call["endpoint"]] += 1
            self.statuses[str(call["status"])] += 1

    def record_error(self, endpoint: str, body: Any, details: list[dict[str, str]]) -> None:
        with self.lock:
            if len(self.errors) < 10_000:
                self.errors.append({"endpoint": endpoint, "body": body, "details": details, "time": time.time()})

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # ---- users ---------------------------------------------------------------------------------
    def set_profile(self, user_id: str, display_name: str, *, picture_url: str | None = None,
                    status_message: str | None = None, language: str = "th") -> None:
        """Know a user (profile API answers, broadcasts reach them)."""
        with self.lock:
            profile = {"userId": user_id, "displayName": display_name, "language": language}
            if picture_url:
                profile["pictureUrl"] = picture_url
            if status_message:
                profile["statusMessage"] = status_message
            self.profiles[user_id] = profile
            self.followers.setdefault(user_id, False)

    def get_profile(self, user_id: str) -> dict[str, Any] | None:
        """The profile LINE would return, or None (unknown or blocked user → 404)."""
        with self.lock:
            if self.followers.get(user_id):
                return None
            profile = self.profiles.get(user_id)
            return dict(profile) if profile else None

    def set_blocked(self, user_id: str, blocked: bool = True) -> None:
        """A user blocks (unfollow) or unblocks/adds (follow) the account."""
        with self.lock:
            self.followers[user_id] = blocked

    def is_blocked(self, user_id: str) -> bool:
        with self.lock:
            return bool(self.followers.get(user_id))

    def follower_ids(self) -> list[str]:
        with self.lock:
            return [uid for uid, blocked in self.followers.items() if not blocked]

    # ---- reply tokens --------------------------------------------------------------------------
    def register_reply_token(self, token: str, user_id: str, *, created_at: float | None = None) -> None:
        """Make a reply token valid for 60 s; `user_id` is the chat it answers (user, group or room id)."""
        with self.lock:
            self.reply_tokens[token] = {"to": user_id, "created": created_at or time.time(), "used": False}

    def use_reply_token(self, token: str) -> str | None:
        """Consume a reply token; the recipient, or None when unknown, used or older than 60 s."""
        with self.lock:
            entry = self.reply_tokens.get(token)
            if entry is None:
                if not self.lenient_reply_tokens or not token:
                    return None
                entry = {"to": "_unknown", "created": time.time(), "used": False}
                self.reply_tokens[token] = entry
            if entry["used"] or time.time() - entry["created"] > REPLY_TOKEN_TTL_S:
                return None
            entry["used"] = True
            return entry["to"]

    # ---- retry keys ----------------------------------------------------------------------------
    def accept_retry_key(self, key: str | None, request_id: str, endpoint: str) -> str | None:
        """Accept a retry key; returns the earlier request id when it was already accepted (→ 409)."""
        if not key:
            return None
        with self.lock:
            earlier = self.retry_keys.get(key)
            if earlier is not None:
                self.conflicts += 1
                return earlier["request_id"]
            self.retry_keys[key] = {"request_id": request_id, "endpoint": endpoint, "time": time.time()}
            return None

    # ---- deliveries ----------------------------------------------------------------------------
    def deliver(self, recipients: list[str], messages: list[dict[str, Any]], *, via: str, request_id: str,
                retry_key: str | None = None) -> list[dict[str, str]]:
        """Store messages for each recipient (blocked users get nothing); returns sentMessages."""
        sent = []
        now = time.time()
        with self.lock:
            if retry_key:
                self.deliveries_per_key[retry_key] += 1
            delivered_to = 0
            for msg in messages:
                entry = {"id": new_message_id()}
                if msg.get("type") in QUOTABLE:
                    entry["quoteToken"] = new_quote_token()
                sent.append(entry)
            for to in recipients:
                if self.followers.get(to):
                    self.undelivered_blocked += 1
                    continue
                delivered_to += 1
                box = self.messages.get(to)
                if box is None:
                    box = self.messages[to] = deque(maxlen=self.max_messages_per_recipient)
                self.delivered_count += len(messages)
                self.per_recipient[to] += len(messages)
                for msg, entry in zip(messages, sent, strict=True):
                    box.append({"seq": self._next_seq(), "to": to, "via": via, "message": msg, "time": now,
                                "id": entry["id"], "request_id": request_id, "retry_key": retry_key})
            if via != "reply":
                self.total_usage += delivered_to
            for to in recipients:
                for waiter in self._waiters.pop(to, ()):
                    waiter.set()
        return sent

    def record_user_message(self, chat_id: str, user_id: str, item: dict[str, Any]) -> int:
        """Log what a simulator user sent (shown as their own bubble); returns its seq."""
        with self.lock:
            seq = self._next_seq()
            self.user_log.setdefault(chat_id, []).append(
                {"seq": seq, "from": user_id, "to": chat_id, "via": "user", "time": time.time(), **item})
            return seq

    def messages_for(self, to: str, after: int = 0) -> list[dict[str, Any]]:
        """Messages delivered to a user or group with seq > after."""
        with self.lock:
            return [dict(m) for m in self.messages.get(to, ()) if m["seq"] > after]

    def wait_for_messages(self, to: str, after: int, timeout: float) -> list[dict[str, Any]]:
        """Like messages_for, but when there are none yet, wait up to `timeout` s for the next delivery
        to `to` (a long poll: one request per answer instead of a poll every few hundred ms)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                items = self.messages_for(to, after)
                left = deadline - time.monotonic()
                if items or left <= 0:
                    return items
                waiter = threading.Event()
                self._waiters.setdefault(to, []).append(waiter)
            waiter.wait(left)
            with self.lock:
                waiting = self._waiters.get(to)
                if waiting and waiter in waiting:
                    waiting.remove(waiter)

    def conversation(self, chat_id: str, after: int = 0) -> list[dict[str, Any]]:
        """Both directions of one chat (bot messages and simulator user messages), by seq."""
        with self.lock:
            items = [dict(m) for m in self.messages.get(chat_id, ()) if m["seq"] > after]
            items += [dict(m) for m in self.user_log.get(chat_id, ()) if m["seq"] > after]
        return sorted(items, key=lambda m: m["seq"])

    def last_seq(self) -> int:
        with self.lock:
            return self._seq

    def start_loading(self, chat_id: str, seconds: int) -> None:
        with self.lock:
            now = time.time()
            self.loading[chat_id] = (now, now + seconds)

    def is_loading(self, chat_id: str) -> bool:
        """True while a loading animation runs and no bot message arrived since it started."""
        with self.lock:
            started, until = self.loading.get(chat_id, (0.0, 0.0))
            if until < time.time():
                return False
            box = self.messages.get(chat_id)
            return not (box and box[-1]["time"] >= started)

    def stop_loading(self, chat_id: str) -> None:
        with self.lock:
            self.loading.pop(chat_id, None)

    # ---- rich menus ----------------------------------------------------------------------------
    def create_rich_menu(self, body: dict[str, Any]) -> str:
        with self.lock:
            rid = "richmenu-" + uuid.uuid4().hex
            self.rich_menus[rid] = {"richMenuId": rid, "selected": False, **body}
            return rid

    def get_rich_menu(self, rid: str) -> dict[str, Any] | None:
        with self.lock:
            menu = self.rich_menus.get(rid)
            return dict(menu) if menu else None

    def delete_rich_menu(self, rid: str) -> bool:
        with self.lock:
            if self.rich_menus.pop(rid, None) is None:
                return False
            self.rich_menu_images.pop(rid, None)
            self.user_rich_menus = {u: r for u, r in self.user_rich_menus.items() if r != rid}
            self.rich_menu_aliases = {a: r for a, r in self.rich_menu_aliases.items() if r != rid}
            if self.default_rich_menu == rid:
                self.default_rich_menu = None
            return True

    def set_message_content(self, message_id: str, content_type: str, data: bytes) -> None:
        """What getMessageContent gives for this message (otherwise a 1-pixel PNG)."""
        with self.lock:
            self.contents[message_id] = (content_type, bytes(data))

    def message_content(self, message_id: str) -> tuple[str, bytes] | None:
        with self.lock:
            return self.contents.get(message_id)

    def set_rich_menu_image(self, rid: str, content_type: str, data: bytes) -> None:
        with self.lock:
            self.rich_menu_images[rid] = (content_type, data)

    def rich_menu_image(self, rid: str) -> tuple[str, bytes] | None:
        with self.lock:
            return self.rich_menu_images.get(rid)

    def link_rich_menu(self, user_id: str | None, rid: str | None) -> None:
        """Link a menu to a user (None user = default for all); rid None unlinks."""
        with self.lock:
            if user_id is None:
                self.default_rich_menu = rid
            elif rid is None:
                self.user_rich_menus.pop(user_id, None)
            else:
                self.user_rich_menus[user_id] = rid

    def user_rich_menu_id(self, user_id: str) -> str | None:
        """The menu linked to this user by the API (not the default), as LINE's GET answers."""
        with self.lock:
            return self.user_rich_menus.get(user_id)

    def effective_rich_menu(self, user_id: str) -> dict[str, Any] | None:
        """The menu this user sees: per-user link, else the default."""
        with self.lock:
            rid = self.user_rich_menus.get(user_id) or self.default_rich_menu
            return self.get_rich_menu(rid) if rid else None

    # ---- reports -------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Counts per endpoint and status, retry keys, duplicate deliveries, messages per recipient."""
        with self.lock:
            return {
                "calls": sum(self.counts.values()),
                "by_endpoint": dict(self.counts),
                "by_status": dict(self.statuses),
                "retry_keys_accepted": len(self.retry_keys),
                "retry_conflicts": self.conflicts,
                "duplicate_deliveries": sum(n - 1 for n in self.deliveries_per_key.values() if n > 1),
                "messages_delivered": self.delivered_count,
                "messages_per_recipient": dict(self.per_recipient),
                "undelivered_blocked": self.undelivered_blocked,
                "injected_failures": self.injected_failures,
                "invalid_requests": len(self.errors),
                "total_usage": self.total_usage,
                "last_seq": self._seq,
            }
