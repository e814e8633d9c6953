"""LineGateway: every call to LINE's Messaging API goes through here (limits, retry keys, backoff)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import logging
import os
import random
import threading
import uuid
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    BroadcastRequest,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    NarrowcastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
)

from bot.config import Settings
from bot.replies import MAX_MESSAGES, finalize, validate

log = logging.getLogger(__name__)

RETRYABLE = {429, 500, 502, 503, 504}
T = TypeVar("T")
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


@dataclass
class Content:
    """What LINE gave for a message's content (a picture someone sent), or why not."""

    ok: bool
    status: int
    content_type: str | None = None
    data: bytes = b""
    error: str | None = None

    @property
    def permanent_failure(self) -> bool:
        """LINE will not give it later either (gone, unknown message); 429, 5xx and network errors may pass."""
        return not self.ok and self.status not in RETRYABLE and self.status != 0


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


class _SkipsCheckedBodies:
    """For the SDK's API clients: no walk over bodies we already checked (it visits every node of a Flex
    carousel to turn models into dicts; ours are dicts already). Measured under load: about a twelfth
    of the event worker's CPU."""

    def sanitize_for_serialization(self, obj: Any) -> Any:
        if type(obj) is _CheckedBody:
            return obj
        return super().sanitize_for_serialization(obj)


class _ApiClient(_SkipsCheckedBodies, ApiClient):
    """The SDK's blocking API client (rich menus, narrowcast, the quota)."""


class _AsyncApiClient(_SkipsCheckedBodies, AsyncApiClient):
    """The SDK's aiohttp client, with the same shortcut for bodies already checked, and an HTTP session
    that does not read proxies and netrc from the environment on every request.

    The SDK's session does (aiohttp's trust_env): two hops to a thread per call, about a fifth of a
    send's CPU. The blocking client never read them either; a proxy is set with Configuration.proxy.
    """

    @classmethod
    async def on_this_loop(cls, config: Configuration) -> _AsyncApiClient:
        client = cls(config)
        rest = client.rest_client
        await rest.pool_manager.close()
        rest.pool_manager = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=config.connection_pool_maxsize), trust_env=False)
        return client


class SendLoop:
    """One asyncio event loop on a thread of its own, per process: every message this gateway sends.

    A send waits about as long as LINE takes to answer; on the loop that wait costs no thread, so many
    sends are in flight at once and none of them holds a thread (a pool of 64 threads delivered at most
    about 210 replies/s when LINE took 300 ms; and in bench_event_cost a reply cost 1.14–1.29 ms of CPU
    on the pool against 0.95–1.03 on the loop).
    Started on first use, and again in a forked child, which does not inherit the thread.
    """

    def __init__(self, config: Configuration | None) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.client: _AsyncApiClient | None = None

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._start()
            assert self._loop is not None
            return self._loop

    def _start(self) -> None:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="rk-line-loop", daemon=True)
        thread.start()

        async def new_client() -> _AsyncApiClient | None:
            # Its aiohttp session belongs to this loop. No configuration: a loop for stand-ins in tests.
            return await _AsyncApiClient.on_this_loop(self._config) if self._config is not None else None

        try:
            self.client = asyncio.run_coroutine_threadsafe(new_client(), loop).result(timeout=30)
        except BaseException:
            _stop_loop(loop, thread, None)
            raise
        self._pid, self._loop, self._thread = os.getpid(), loop, thread
        # A gateway nobody closed (scripts, tests) still closes its HTTP session when it goes, or at exit.
        weakref.finalize(self, _stop_loop, loop, thread, self.client)

    def spawn(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run the coroutine on the loop; the future is done when it is."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop())

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run the coroutine on the loop and wait for it (from any thread but the loop's own)."""
        if threading.current_thread() is self._thread and self._pid == os.getpid():
            coro.close()
            raise RuntimeError("a blocking LINE call on the send loop would wait for itself; await it")
        return self.spawn(coro).result()

    def close(self) -> None:
        with self._lock:
            loop, thread, client = self._loop, self._thread, self.client
            if loop is None or self._pid != os.getpid() or thread is None:
                return
            self._loop = self._thread = self.client = None
        _stop_loop(loop, thread, client)


def _stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread, client: _AsyncApiClient | None) -> None:
    """Close the loop's HTTP session, then the loop (once: a closed loop is left alone)."""
    if loop.is_closed() or not thread.is_alive():
        return
    try:
        if client is not None:
            asyncio.run_coroutine_threadsafe(client.close(), loop).result(timeout=10)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


class LineGateway:
    """Thin, thread-safe wrapper over line-bot-sdk's Messaging API clients.

    Messages go out through the SDK's aiohttp client on one event loop (`SendLoop`): coroutines
    (`asend_reply`, `apush`, …) for code that runs on that loop, and blocking methods of the same names
    without the `a` for threads. Rich menus, narrowcast and the quota use the SDK's blocking client.
    """

    def __init__(self, settings: Settings, max_attempts: int = 4, base_delay: float = 0.5,
                 max_delay: float = 20.0, pool_size: int = 128, timeout: float = 30.0,
                 send_connections: int = 256) -> None:
        self.settings = settings
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.timeout = timeout
        config = Configuration(host=settings.line_api_base_url, access_token=settings.channel_access_token)
        config.connection_pool_maxsize = pool_size
        self._client = _ApiClient(config)
        self.api = MessagingApi(self._client)
        async_config = Configuration(host=settings.line_api_base_url, access_token=settings.channel_access_token)
        async_config.connection_pool_maxsize = send_connections  # aiohttp: calls beyond these wait their turn
        self._loop = SendLoop(async_config)
        self._blob: ApiClient | None = None
        self._blob_lock = threading.Lock()

    def spawn(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run a coroutine on the send loop (the event sender's deliveries)."""
        return self._loop.spawn(coro)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the send loop and wait for its result (from a thread)."""
        return self._loop.run(coro)

    # --- sending -------------------------------------------------------------------------------

    async def _acall(self, once: Callable[[], Awaitable[Any]], retry_key: str | None = None,
                     max_attempts: int | None = None) -> SendResult:
        """Call once(), again after a pause on 429 and 5xx, up to max_attempts in all."""
        attempts = max_attempts or self.max_attempts
        last = SendResult(ok=False, status=0, error="not sent")
        for attempt in range(1, attempts + 1):
            try:
                response = await once()
                return SendResult(ok=True, status=getattr(response, "status_code", 200), attempts=attempt)
            except ApiException as exc:
                status = int(exc.status or 0)
                if status == 409 and retry_key:
                    # LINE already accepted a request with this retry key: delivered once, not again.
                    return SendResult(ok=True, status=409, attempts=attempt)
                last = SendResult(ok=False, status=status, error=_error_text(exc),
                                  retry_after=_retry_after(exc), attempts=attempt)
                if status not in RETRYABLE:
                    return last
            except Exception as exc:  # network errors: connection refused, timeouts
                last = SendResult(ok=False, status=0, error=f"{exc.__class__.__name__}: {exc}", attempts=attempt)
            if attempt < attempts:
                await asyncio.sleep(self.backoff(attempt, last.retry_after))
        return last

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return min(self.base_delay * (2 ** (attempt - 1)) * (0.5 + random.random()), self.max_delay)

    async def _asend(self, path: str, body: dict[str, Any], model: Any, max_attempts: int | None,
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
        checked = _CheckedBody(body)
        return await self._acall(lambda: self._apost(path, checked, retry_key), retry_key, max_attempts)

    async def _apost(self, path: str, body: dict[str, Any], retry_key: str | None) -> Any:
        """POST through the SDK's own aiohttp client (auth, host, error handling as the SDK does)."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if retry_key:
            headers["X-Line-Retry-Key"] = retry_key
        client = self._loop.client
        assert client is not None, "called off the send loop"
        return await client.call_api(
            path, "POST", {}, [], headers, body=body, post_params=[], files={},
            response_types_map={"200": "object"}, auth_settings=["Bearer"], _return_http_data_only=False,
            _preload_content=True, collection_formats={}, _request_timeout=aiohttp.ClientTimeout(total=self.timeout),
        )

    async def areply(self, reply_token: str, messages: list[dict[str, Any]],
                     max_attempts: int | None = 2) -> SendResult:
        """Reply with up to five messages; longer lists must go through push (see send_reply)."""
        body = {"replyToken": reply_token, "messages": messages}
        return await self._asend("/v2/bot/message/reply", body, ReplyMessageRequest, max_attempts)

    async def apush(self, to: str, messages: list[dict[str, Any]], retry_key: str | None = None,
                    max_attempts: int | None = None) -> SendResult:
        return await self._asend("/v2/bot/message/push", {"to": to, "messages": messages}, PushMessageRequest,
                                 max_attempts, retry_key or str(uuid.uuid4()))

    async def amulticast(self, to: list[str], messages: list[dict[str, Any]], retry_key: str | None = None,
                         max_attempts: int | None = None) -> SendResult:
        return await self._asend("/v2/bot/message/multicast", {"to": to, "messages": messages}, MulticastRequest,
                                 max_attempts, retry_key or str(uuid.uuid4()))

    async def abroadcast(self, messages: list[dict[str, Any]], retry_key: str | None = None,
                         max_attempts: int | None = None) -> SendResult:
        return await self._asend("/v2/bot/message/broadcast", {"messages": messages}, BroadcastRequest,
                                 max_attempts, retry_key or str(uuid.uuid4()))

    async def asend_reply(self, reply_token: str | None, to: str | None, messages: list[dict[str, Any]],
                          retry_key: str) -> SendResult:
        """Reply (first five messages) and push the rest; fall back to push when the token expired."""
        batches = finalize(messages)
        if not batches:
            return SendResult(ok=True, status=200, attempts=0)
        result = SendResult(ok=False, status=0, error="no reply token")
        if reply_token:
            result = await self.areply(reply_token, batches[0])
        if not result.ok and to and (not reply_token or result.invalid_reply_token or result.status in RETRYABLE
                                     or result.status == 0):
            log.info("reply failed (%s %s); falling back to push", result.status, result.error)
            result = await self.apush(to, batches[0], retry_key=retry_key)
        if not result.ok:
            return result
        for index, batch in enumerate(batches[1:], start=1):
            if not to:
                break
            more = await self.apush(to, batch, retry_key=batch_retry_key(retry_key, index))
            if not more.ok:
                return more
        return result

    # Blocking forms for threads (the outbox worker, the CLI, tests): the same coroutines, on the loop.

    def reply(self, reply_token: str, messages: list[dict[str, Any]], max_attempts: int | None = 2) -> SendResult:
        return self._loop.run(self.areply(reply_token, messages, max_attempts))

    def push(self, to: str, messages: list[dict[str, Any]], retry_key: str | None = None,
             max_attempts: int | None = None) -> SendResult:
        return self._loop.run(self.apush(to, messages, retry_key, max_attempts))

    def multicast(self, to: list[str], messages: list[dict[str, Any]], retry_key: str | None = None,
                  max_attempts: int | None = None) -> SendResult:
        return self._loop.run(self.amulticast(to, messages, retry_key, max_attempts))

    def broadcast(self, messages: list[dict[str, Any]], retry_key: str | None = None,
                  max_attempts: int | None = None) -> SendResult:
        return self._loop.run(self.abroadcast(messages, retry_key, max_attempts))

    def send_reply(self, reply_token: str | None, to: str | None, messages: list[dict[str, Any]],
                   retry_key: str) -> SendResult:
        return self._loop.run(self.asend_reply(reply_token, to, messages, retry_key))

    def narrowcast(self, body: dict[str, Any], retry_key: str | None = None,
                   max_attempts: int | None = None) -> SendResult:
        request = NarrowcastRequest.from_dict(body)
        key = retry_key or str(uuid.uuid4())
        once = functools.partial(asyncio.to_thread, self.api.narrowcast_with_http_info, request, x_line_retry_key=key)
        return self._loop.run(self._acall(once, key, max_attempts))

    # --- reading -------------------------------------------------------------------------------

    async def aget_display_name(self, user_id: str) -> str | None:
        """Best effort: None when the profile cannot be read (unfollowed, network, not a friend)."""
        try:
            profile = await AsyncMessagingApi(self._loop.client).get_profile(
                user_id, _request_timeout=aiohttp.ClientTimeout(total=self.timeout))
            return profile.display_name
        except ApiException as exc:
            log.info("profile of %s not read: %s %s", user_id, exc.status, exc.reason)
            return None
        except Exception as exc:  # noqa: BLE001 - best effort by design
            log.info("profile of %s not read: %s", user_id, exc)
            return None

    def get_display_name(self, user_id: str) -> str | None:
        return self._loop.run(self.aget_display_name(user_id))

    def fetch_content(self, message_id: str, timeout: float = 20.0) -> Content:
        """The content of a message someone sent (GET /v2/bot/message/{id}/content on the data host), tried
        once and never raising: the caller keeps what to try again later. Blocking: call it from a thread."""
        try:
            response = MessagingApiBlob(self._blob_client()).get_message_content_with_http_info(
                message_id, _request_timeout=(5.0, timeout))
        except ApiException as exc:
            return Content(ok=False, status=int(exc.status or 0), error=_error_text(exc))
        except Exception as exc:  # noqa: BLE001 - network errors, timeouts
            return Content(ok=False, status=0, error=f"{exc.__class__.__name__}: {exc}"[:500])
        headers = {key.lower(): value for key, value in (response.headers or {}).items()}
        kind = (headers.get("content-type") or "").split(";")[0].strip().lower() or None
        return Content(ok=True, status=int(response.status_code or 200), content_type=kind,
                       data=bytes(response.data or b""))

    def _blob_client(self) -> ApiClient:
        """The blocking client for LINE's data host (message content), made on first use."""
        with self._blob_lock:
            if self._blob is None:
                config = Configuration(host=self.settings.line_data_api_base_url,
                                       access_token=self.settings.channel_access_token)
                self._blob = _ApiClient(config)
            return self._blob

    def get_quota(self) -> tuple[int | None, int]:
        """(monthly limit or None when unlimited, messages used this month)."""
        quota = self.api.get_message_quota()
        used = self.api.get_message_quota_consumption().total_usage
        limit = quota.value if quota.type == "limited" else None
        return limit, int(used)

    def close(self) -> None:
        try:
            self._loop.close()
            self._client.close()
            if self._blob is not None:
                self._blob.close()
        except Exception:  # noqa: BLE001
            pass
