"""gunicorn settings the Procfile loads (`-c python:bot.gunicorn_conf`)."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    """Once a web process has loaded the app: keep its start-up objects out of GC pauses (bot.runtime)."""
    from bot.runtime import freeze_startup_objects

    freeze_startup_objects()
