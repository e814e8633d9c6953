"""What every staff command group shares: the database, a session that speaks Thai errors, the time."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from bot.services.errors import ServiceError
from bot.thaidate import now_utc


def cli_obj() -> dict[str, Any]:
    """The click context's obj: tests pass {"db": …, "now": …, "gateway": …}."""
    return click.get_current_context().find_object(dict) or {}


def cli_database() -> Any:
    """The Database from the CLI's obj (tests), the Flask app, or DATABASE_URL."""
    if cli_obj().get("db") is not None:
        return cli_obj()["db"]
    try:
        from flask import current_app

        return current_app.extensions["ruamkan.db"]
    except (RuntimeError, KeyError):
        from bot.config import Settings
        from storage.db import Database

        return Database(os.environ.get("DATABASE_URL") or Settings.from_env().database_url)


@contextmanager
def cli_session() -> Iterator[Session]:
    """One transaction; a business rule's refusal ends the command with its Thai message."""
    try:
        with cli_database().session() as session:
            yield session
    except ServiceError as exc:
        raise click.ClickException(exc.message_th) from None


def cli_now() -> datetime:
    return cli_obj().get("now") or now_utc()


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """A spreadsheet file in UTF-8 with a BOM, so Excel shows the Thai."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
