"""`flask --app bot charter load|publish|round|results`: staff manage charters from files."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bot.services import charter as charters
from bot.services.errors import ServiceError
from bot.thaidate import format_datetime, parse_date_text
from storage.models import Charter

charter_cli = AppGroup("charter", help="Health charters (ธรรมนูญสุขภาพ): load, publish, hearing rounds, results.")


def _db():  # noqa: ANN202
    return current_app.extensions["ruamkan.db"]


def _parse_day(value: str) -> datetime:
    """'2026-12-01', '1/12/2569' or '1/12/2569 18:00' in Bangkok time (Buddhist years accepted)."""
    try:
        return parse_date_text(value, default_time=(0, 0))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@charter_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--publish", "publish_now", is_flag=True, help="publish it at once")
@click.option("--district", help="for CSV files without a district column")
@click.option("--title", help="for CSV files without a title column")
def load_command(path: str, publish_now: bool, district: str | None, title: str | None) -> None:
    """Load PATH (YAML or CSV, see docs/charter-format.md) as a new draft version."""
    with _db().session() as session:
        try:
            charter = charters.load_charter(session, path, district=district, title=title)
            if publish_now:
                charters.publish(session, charter)
        except (ServiceError, ValueError) as exc:
            raise click.ClickException(getattr(exc, "message_th", str(exc))) from exc
        clauses = sum(len(s.clauses) for s in charter.sections)
        click.echo(f"{charter.title} v{charter.version} ({charter.status}): "
                   f"{len(charter.sections)} sections, {clauses} clauses, id {charter.id}")


@charter_cli.command("publish")
@click.argument("charter_id", type=int)
def publish_command(charter_id: int) -> None:
    """Publish a loaded version; the district's previous version is archived."""
    with _db().session() as session:
        charter = session.get(Charter, charter_id)
        if charter is None:
            raise click.ClickException(f"no charter with id {charter_id}")
        charters.publish(session, charter)
        click.echo(f"published {charter.title} v{charter.version}")


@charter_cli.command("round")
@click.argument("name")
@click.option("--opens", required=True, help="e.g. 2026-12-01 or 1/12/2569")
@click.option("--closes", required=True, help="e.g. 2026-12-15 18:00")
@click.option("--district", help="district of the published charter (default: the newest)")
def round_command(name: str, opens: str, closes: str, district: str | None) -> None:
    """Open a hearing round (รอบรับฟังความคิดเห็น) on the published charter."""
    with _db().session() as session:
        charter = charters.published_charter(session, district)
        if charter is None:
            raise click.ClickException("no published charter; load one with --publish first")
        try:
            row = charters.create_round(session, charter, name, _parse_day(opens), _parse_day(closes))
        except ServiceError as exc:
            raise click.ClickException(exc.message_th) from exc
        click.echo(f"{row.name}: {format_datetime(row.opens_at)} → {format_datetime(row.closes_at)}")


@charter_cli.command("list")
def list_command() -> None:
    """Every charter version with its status."""
    with _db().session(readonly=True) as session:
        for charter in session.scalars(select(Charter).order_by(Charter.district, Charter.version)):
            click.echo(f"{charter.id:>4}  {charter.district}  v{charter.version}  {charter.status:<9} {charter.title}")
