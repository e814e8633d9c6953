"""The framework floor: a bare Flask app with one POST endpoint that reads the body and returns 200.

Served by bench_webhook with the same gunicorn settings as the Procfile's web line, so the difference
between it and the bot is what the bot itself costs per request.
"""

from __future__ import annotations

from flask import Flask, request


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/callback")
    def callback() -> tuple[str, int]:
        request.get_data(cache=False)
        return "OK", 200

    @app.get("/healthz")
    def health() -> dict[str, object]:
        return {"ok": True, "backlog": 0, "sending": 0}

    return app
