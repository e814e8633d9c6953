"""`flask prune-logs [--dry-run]`: delete the raw logs past their keeping time now (the daily job does it too)."""

from __future__ import annotations

from typing import Any

import click

from bot.cli_common import cli_database, cli_now, cli_obj
from bot.services import log_retention


def _settings() -> Any:
    """The settings from the CLI's obj (tests), the Flask app, or the environment."""
    if cli_obj().get("settings") is not None:
        return cli_obj()["settings"]
    try:
        from flask import current_app

        return current_app.extensions["ruamkan.settings"]
    except (RuntimeError, KeyError):
        from bot.config import Settings

        return Settings.from_env()


@click.command("prune-logs")
@click.option("--dry-run", is_flag=True, help="only count what would be deleted")
def prune_logs_cli(dry_run: bool) -> None:
    """PDPA: delete webhook events and sent messages past their keeping time (pending ones are never touched)."""
    keep = log_retention.Retention.of(_settings())
    db, now = cli_database(), cli_now()
    if dry_run:
        pruned = log_retention.count_expired(db, now, keep)
        verb = "would delete"
    else:
        pruned = log_retention.prune(db, now, keep)
        verb = "deleted"
    click.echo(f"{verb} {pruned.inbox:,} webhook events older than {keep.inbox_days} days "
               f"and {pruned.outbox:,} outbox rows older than {keep.outbox_days} days")
