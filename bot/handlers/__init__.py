"""Chat handlers, one module per area; importing this package registers them all."""

import importlib
import logging

log = logging.getLogger(__name__)

AREAS = ("common", "onboarding", "charter", "ideas", "activities", "activity_questions", "broadcast", "notifications", "contact",
         "staff", "staff_words", "push_replies")


def load_all() -> None:
    """Import every area's handlers (and its flows); a missing area is logged, not fatal."""
    for area in AREAS:
        try:
            importlib.import_module(f"bot.handlers.{area}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bot.handlers.{area}":
                raise
            log.debug("no handlers for %s yet", area)
