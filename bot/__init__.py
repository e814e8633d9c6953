"""Ruamkan LINE bot: web app factory, webhook, conversations and journeys."""

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    """Flask entry point (``flask --app bot``); imported lazily so ``bot.replies`` etc. stay light."""
    from bot.app import create_app as factory

    return factory(*args, **kwargs)
