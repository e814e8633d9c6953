"""The stand-in LINE API (stand_in_api.py) served by aiohttp in one event loop.

A call waits out its latency (300 ms in the benchmarks) in the loop, not in a thread of its own, so the
stand-in costs the machine a fraction of what a thread per call costs: the benchmarks measure the bot,
and on this 2-core machine every core the harness takes is one the bot does not get. Views that wait
(the long poll of /_stand-in/messages) run in a thread pool; the rest run in the loop, which is safe
because every store method takes the store's lock only briefly.
"""

from __future__ import annotations

import asyncio
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from bot.simulator.stand_in_api import ApiCall, Handler, answer, build_routes, encode_json, needs_latency
from bot.simulator.store import FakeLineStore

LONG_POLL_THREADS = 256


def aiohttp_path(rule: str) -> str:
    """Flask's rule syntax to aiohttp's: <name> → {name}, <path:name> → {name:.*}."""
    rule = re.sub(r"<path:(\w+)>", r"{\1:.*}", rule)
    return re.sub(r"<(\w+)>", r"{\1}", rule)


def _response(status: int, payload: Any, headers: dict[str, str] | None = None) -> web.Response:
    headers = dict(headers or {})
    if isinstance(payload, bytes | bytearray):
        content_type = headers.pop("Content-Type", "application/octet-stream")
        return web.Response(body=bytes(payload), status=status, headers=headers, content_type=content_type)
    return web.Response(body=encode_json(payload), status=status, headers=headers,
                        content_type="application/json")


def create_fake_line_aio_app(store: FakeLineStore, prefix: str = "/fake-line") -> web.Application:
    app = web.Application(client_max_size=4 * 1024 * 1024)
    waiting = ThreadPoolExecutor(LONG_POLL_THREADS, thread_name_prefix="stand-in-wait")

    def view(handler: Handler) -> Any:
        async def handle(request: web.Request) -> web.Response:
            call = ApiCall(method=request.method, path=request.path, headers=request.headers,
                           raw=await request.read(), content_type=request.headers.get("Content-Type"),
                           args=request.query).parse(handler.binary)
            delay = needs_latency(store, handler, call)
            if delay:
                await asyncio.sleep(delay)
            path_args = dict(request.match_info)
            if handler.blocking:
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(waiting, answer, store, handler, call, path_args)
            else:
                result = answer(store, handler, call, path_args)
            return _response(*result)

        return handle

    handles: dict[int, Any] = {}
    for route in build_routes(store):
        handle = handles.setdefault(id(route.handler), view(route.handler))
        for method in route.methods:
            app.router.add_route(method, prefix + aiohttp_path(route.rule), handle)

    async def stop_waiting(_app: web.Application) -> None:
        waiting.shutdown(wait=False, cancel_futures=True)

    app.on_cleanup.append(stop_waiting)
    return app


def serve(store: FakeLineStore, host: str, port: int) -> None:
    """Serve until SIGINT/SIGTERM (the standalone command)."""
    web.run_app(create_fake_line_aio_app(store), host=host, port=port, access_log=None, print=None,
                backlog=2048)


class AioFakeLineServer:
    """The aiohttp stand-in on 127.0.0.1 (free port) in a background thread; same face as FakeLineServer."""

    def __init__(self, store: FakeLineStore | None = None, *, host: str = "127.0.0.1",
                 **store_settings: Any) -> None:
        self.store = store or FakeLineStore(**store_settings)
        self._host = host
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(create_fake_line_aio_app(self.store), access_log=None)
        self._thread: threading.Thread | None = None
        self.root_url = self.base_url = ""

    def start(self) -> AioFakeLineServer:
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self._host, 0)
        self._loop.run_until_complete(site.start())
        port = self._runner.addresses[0][1]
        self.root_url = f"http://{self._host}:{port}"
        self.base_url = f"{self.root_url}/fake-line"
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-line-aio", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> AioFakeLineServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
