"""A local stand-in for the LINE Messaging API served with Flask: a blueprint, a test server and the
standalone command (which serves the same routes with aiohttp by default, see fake_line_aio.py).

Point line-bot-sdk at it with `Configuration(host="<server>/fake-line")`. The routes, views and checks
live in stand_in_api.py; what was sent is kept in a `FakeLineStore`.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, request
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from bot.simulator.stand_in_api import ApiCall, Handler, answer, build_routes, encode_json, needs_latency
from bot.simulator.store import FakeLineStore

__all__ = ["FakeLineStore", "FakeLineServer", "create_fake_line_blueprint", "create_fake_line_app", "main"]


def _response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    headers = dict(headers or {})
    if isinstance(payload, bytes | bytearray):
        resp = Response(bytes(payload), status=status, mimetype=headers.pop("Content-Type", None))
    else:
        resp = Response(encode_json(payload), status=status, mimetype="application/json")
    for key, value in headers.items():
        resp.headers[key] = value
    return resp


def _flask_view(store: FakeLineStore, handler: Handler) -> Callable[..., Response]:
    def view(**path_args: str) -> Response:
        call = ApiCall(method=request.method, path=request.path, headers=request.headers, raw=request.get_data(),
                       content_type=request.content_type, args=request.args).parse(handler.binary)
        delay = needs_latency(store, handler, call)
        if delay:
            time.sleep(delay)
        return _response(*answer(store, handler, call, path_args))

    return view


def create_fake_line_blueprint(store: FakeLineStore, name: str = "fake_line") -> Blueprint:
    """Blueprint serving LINE's paths (/v2/bot/...) and the stand-in's own (/_stand-in/...)."""
    bp = Blueprint(name, __name__)
    views: dict[int, Callable[..., Response]] = {}
    for number, route in enumerate(build_routes(store)):
        view = views.setdefault(id(route.handler), _flask_view(store, route.handler))
        bp.add_url_rule(route.rule, endpoint=f"{route.handler.endpoint}-{number}", view_func=view,
                        methods=list(route.methods))
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
    parser.add_argument("--server", choices=("aiohttp", "gunicorn", "werkzeug"), default="aiohttp",
                        help="aiohttp: one event loop (cheapest under load); gunicorn/werkzeug: Flask, a thread "
                             "per call")
    parser.add_argument("--threads", type=int, default=512, help="gunicorn threads")
    args = parser.parse_args(argv)
    store = FakeLineStore(access_token=args.token, latency_s=args.latency, fail_rate=args.fail_rate,
                          seed=args.seed, lenient_reply_tokens=not args.strict_reply_tokens)
    print(f"Stand-in LINE API at http://{args.host}:{args.port}/fake-line "
          f"(latency {args.latency}s, fail rate {args.fail_rate}, server {args.server})", flush=True)
    if args.server == "aiohttp":
        from bot.simulator.fake_line_aio import serve

        serve(store, args.host, args.port)
    elif args.server == "gunicorn":
        _serve_gunicorn(create_fake_line_app(store), args.host, args.port, args.threads)
    else:
        server = _Server(args.host, args.port, create_fake_line_app(store), handler=_QuietHandler)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
