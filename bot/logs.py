"""One logging set-up for the web app, the worker and the CLI."""

from __future__ import annotations

import logging
import os

QUIET_LOGGERS = ("apscheduler", "alembic.runtime.plugins")
"""Libraries whose INFO lines (every scheduler run, every Alembic plugin) would bury the bot's own."""


def configure_logging() -> None:
    """Timestamped lines from LOG_LEVEL (INFO) up; the chatty libraries above only from WARNING up."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
