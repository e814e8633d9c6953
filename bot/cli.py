"""Command-line tasks: `flask --app bot <command>` (seed demo data, role codes, migrations)."""

from __future__ import annotations

import click
from flask import Flask, current_app

from bot.cli_activities import activities_cli
from bot.cli_broadcast import broadcast_cli
from bot.cli_charter import charter_cli
from bot.cli_ideas import ideas_cli
from bot.cli_logs import prune_logs_cli
from bot.cli_richmenu import richmenu_cli
from bot.thaidate import format_datetime, now_utc
from storage.db import Database


def seed_demo_data(db: Database) -> dict[str, int]:
    from bot.demo_data import load_demo

    with db.session() as session:
        return load_demo(session, now_utc())


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the Lat Phrao demo data (communities, charter, activities, ideas); safe to run twice."""
        counts = seed_demo_data(current_app.extensions["ruamkan.db"])
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()) or "nothing new")

    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Apply Alembic migrations up to the newest."""
        current_app.extensions["ruamkan.db"].create_schema()
        click.echo("schema is up to date")

    @app.cli.command("create-role-code")
    @click.argument("role", type=click.Choice(["leader", "staff", "admin"]))
    @click.option("--community", help="community name (for leaders)")
    @click.option("--days", default=7, show_default=True, help="days the code stays valid")
    @click.option("--note", help="who it is for")
    def create_role_code(role: str, community: str | None, days: int, note: str | None) -> None:
        """Make a one-time code that grants ROLE; the person types “รหัส <code>” to the bot."""
        from bot.services import communities, users
        from bot.services.errors import ServiceError

        db = current_app.extensions["ruamkan.db"]
        with db.session() as session:
            try:  # one community: the first of several holding the name was taken ("ลาดพร้าว": ลาดพร้าว 71)
                target = communities.named_exactly(session, community) if community else None
            except ServiceError as exc:
                raise click.ClickException(exc.message_th) from None
            code = users.create_role_code(session, role, target, days=days, note=note)
            click.echo(f"{code.code}  ({role}, valid until {format_datetime(code.expires_at)})")

    for group in (activities_cli, broadcast_cli, charter_cli, ideas_cli, prune_logs_cli, richmenu_cli):
        app.cli.add_command(group)
