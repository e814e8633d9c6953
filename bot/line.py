"""LineGateway: every call to LINE's Messaging API goes through here (limits, retry keys, backoff)."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    MessagingApi,
    MulticastRequest,
    NarrowcastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
)

from bot.config import Settings
from bot.replies import MAX_MESSAGES, finalize, validate

log = logging.getLogger(__name__)

RETRYABLE = {429, 500, 502, 503, 504}
_ENVELOPE_PROBE = [{"type": "text", "text": "-"}]


@dataclass
class SendResult:
    ok: bool
    status: int
    error: str | None = None
    retry_after: float | None = None
    attempts: int = 1

    @property
    def permanent_failure(self) -> bool:
        return not self.ok and self.status not in RETRYABLE and self.status != 0

    @property
    def invalid_reply_token(self) -> bool:
        return self.status == 400 and "reply token" in (self.error or "").lower()


def batch_retry_key(retry_key: str, index: int) -> str:
    """Retry key of the index-th send of one row (more than five messages take several sends):
    the row's own key first, then keys derived from it, so a resend repeats the same keys."""
    return retry_key if index == 0 else str(uuid.uuid5(uuid.UUID(retry_key), str(index)))


def _retry_after(exc: ApiException) -> float | None:
    headers = getattr(exc, "headers", None) or {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _error_text(exc: ApiException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        parsed = json.loads(body or "{}")
        message = parsed.get("message", "")
        details = "; ".join(d.get("message", "") for d in parsed.get("details", []) if isinstance(d, dict))
        return f"{message} {details}".strip() or str(exc.reason)
    except (ValueError, AttributeError):
        return str(body or exc.reason)[:500]


class _CheckedBody(dict):
    """A request body already checked against the SDK's models: plain JSON types only."""


class _ApiClient(ApiClient):
    """The SDK's API client, minus its walk over bodies we already checked (it visits every node of
    a Flex carousel to turn models into dicts; ours are dicts already). Measured under load: about a
    twelfth of the event worker's CPU."""

    def sanitize_for_serialization(self, obj: Any) -> Any:
        if type(obj) is _CheckedBody:
            return obj
        return super().sanitize_for_serialization(obj)


class LineGateway:
    """Thin, thread-safe wrapper over line-bot-sdk's MessagingApi."""

    def __init__(self, settings: Settings, max_attempts: int = 4, base_delay: float = 0.5,
                 max_delay: float = 20.0, pool_size: int = 128) -> None:
        self.settings = settings
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        config = Configuration(host=settings.line_api_base_url, access_token=settings.channel_access_token)
        config.connection_pool_maxsize = pool_size
        self._client = _ApiClient(config)
        self.api = MessagingApi(self._client)
        self._lock = threading.Lock()

    # --- sending -------------------------------------------------------------------------------

    def _call(self, fn: Any, *args: Any, max_attempts: int | None = None, **kwargs: Any) -> SendResult:
        attempts = max_attempts or self.max_attempts
        last = SendResult(ok=False, status=0, error="not sent")
        for attempt in range(1, attempts + 1):
            try:
                response = fn(*args, **kwargs)
                return SendResult(ok=True, status=getattr(response, "status_code", 200), attempts=attempt)
            except ApiException as exc:
                status = int(exc.status or 0)
                if status == 409 and kwargs.get("x_line_retry_key"):
                    # LINE already accepted a request with this retry key: delivered once, not again.
                    return SendResult(ok=True, status=409, attempts=attempt)
                last = SendResult(ok=False, status=status, error=_error_text(exc),
                                  retry_after=_retry_after(exc), attempts=attempt)
                if status not in RETRYABLE:
                    return last
            except Exception as exc:  # network errors: connection refused, timeouts
                last = SendResult(ok=False, status=0, error=f"{exc.__class__.__name__}: {exc}", attempts=attempt)
            if attempt < attempts:
                time.sleep(self.backoff(attempt, last.retry_after))
        return last

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return min(self.base_delay * (2 ** (attempt - 1)) * (0.5 + random.random()), self.max_delay)

    def _send(self, path: str, body: dict[str, Any], model: Any, max_attempts: int | None,
              retry_key: str | None = None) -> SendResult:
        """Validate the body with the SDK's models, then POST it (retrying 429/5xx).

        The SDK's generated methods would validate the same model and then serialise it back to a dict;
        sending the dict we validated skips that second pass (a tenth of the worker's CPU under load).
        A body LINE would refuse is never sent: it is a permanent failure with the model's reason.
        """
        try:
            if not 1 <= len(body["messages"]) <= MAX_MESSAGES:
                raise ValueError(f"{len(body['messages'])} messages; LINE takes 1 to {MAX_MESSAGES} per call")
            validate(body["messages"])
            # The envelope (reply token, recipients, flags) with the request model; the messages were
            # checked one by one above, so one short stand-in message keeps this check cheap.
            model.from_dict({**body, "messages": _ENVELOPE_PROBE})
        except Exception as exc:  # noqa: BLE001 - pydantic's ValidationError and friends
            return SendResult(ok=False, status=400, error=f"invalid request: {exc}"[:1000], attempts=0)
        kwargs = {"x_line_retry_key": retry_key} if retry_key else {}
        return self._call(self._post, path, _CheckedBody(body), max_attempts=max_attempts, **kwargs)

    def _post(self, path: str, body: dict[str, Any], x_line_retry_key: str | None = None) -> Any:
        """POST through the SDK's own API client (auth, host, error handling as the SDK does)."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if x_line_retry_key:
            headers["X-Line-Retry-Key"] = x_line_retry_key
        return self._client.call_api(
            path, "POST", {}, [], headers, body=body, post_params=[], files={},
            response_types_map={"200": "object"}, auth_settings=["Bearer"], _return_http_data_only=False,
            _preload_content=True, collection_formats={},
        )

    def reply(self, reply_token: str, messages: list[dict[str, Any]], max_attempts: int | None = 2) -> SendResult:
        """Reply with up to five messages; longer lists must go through push (see send_reply)."""
        body = {"replyToken": reply_token, "messages": messages}
        return self._send("/v2/bot/message/reply", body, ReplyMessageRequest, max_attempts)

    def push(self, to: str, messages: list[dict[str, Any]], retry_key: str | None = None,
             max_attempts: int | None = None) -> SendResult:
        return self._send("/v2/bot/message/push", {"to": to, "messages": messages}, PushMessageRequest,
                          max_attempts, retry_key or str(uuid.uuid4()))

    def multicast(self, to: list[str], messages: list[dict[str, Any]], retry_key: str | None = None,
                  max_attempts: int | None = None) -> SendResult:
        return self._send("/v2/bot/message/multicast", {"to": to, "messages": messages}, MulticastRequest,
                          max_attempts, retry_key or str(uuid.uuid4()))

    def broadcast(self, messages: list[dict[str, Any]], retry_key: str | None = None,
                  max_attempts: int | None = None) -> SendResult:
        return self._send("/v2/bot/message/broadcast", {"messages": messages}, BroadcastRequest,
                          max_attempts, retry_key or str(uuid.uuid4()))

    def narrowcast(self, body: dict[str, Any], retry_key: str | None = None,
                   max_attempts: int | None = None) -> SendResult:
        request = NarrowcastRequest.from_dict(body)
        return self._call(self.api.narrowcast_with_http_info, request,
                          x_line_retry_key=retry_key or str(uuid.uuid4()), max_attempts=max_attempts)

    def send_reply(self, reply_token: str | None, to: str | None, messages: list[dict[str, Any]],
                   retry_key: str) -> SendResult:
        """Reply (first five messages) and push the rest; fall back to push when the token expired."""
        batches = finalize(messages)
        if not batches:
            return SendResult(ok=True, status=200, attempts=0)
        result = SendResult(ok=False, status=0, error="no reply token")
        if reply_token:
            result = self.reply(reply_token, batches[0])
        if not result.ok and to and (not reply_token or result.invalid_reply_token or result.status in RETRYABLE
                                     or result.status == 0):
            log.info("reply failed (%s %s); falling back to push", result.status, result.error)
            result = self.push(to, batches[0], retry_key=retry_key)
        if not result.ok:
            return result
        for index, batch in enumerate(batches[1:], start=1):
            if not to:
                break
            more = self.push(to, batch, retry_key=batch_retry_key(retry_key, index))
            if not more.ok:
                return more
        return result

    # --- reading -------------------------------------------------------------------------------

    def get_display_name(self, user_id: str) -> str | None:
        """Best effort: None when the profile cannot be read (unfollowed, network, not a friend)."""
        try:
            return self.api.get_profile(user_id).display_name
        except ApiException as exc:
            log.info("profile of %s not read: %s %s", user_id, exc.status, exc.reason)
            return None
        except Exception as exc:  # noqa: BLE001 - best effort by design
            log.info("profile of %s not read: %s", user_id, exc)
            return None

    def get_quota(self) -> tuple[int | None, int]:
        """(monthly limit or None when unlimited, messages used this month)."""
        quota = self.api.get_message_quota()
        used = self.api.get_message_quota_consumption().total_usage
        limit = quota.value if quota.type == "limited" else None
        return limit, int(used)

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:  # noqa: BLE001
            pass
