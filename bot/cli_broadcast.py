"""Staff announcements from the command line: `flask broadcast send|list|cancel`.

Audience: all | community:<name, code or id> | role:<resident|leader|staff|admin> | activity:<id> |
waitlist:<id> | topic:<key>. Time: Thai words ("พรุ่งนี้ 9 โมง"), "2569-12-05 09:00" or "2026-12-05T09:00"
(Bangkok time); none means now.
"""

from __future__ import annotations

from datetime import datetime

import click

from bot.cli_common import cli_now, cli_obj, cli_session
from bot.services import broadcasts
from bot.thaidate import format_datetime, parse_date_text
from nlp.entities import parse_when


def _quota() -> tuple[int | None, int] | None:
    """The month's quota from LINE, or None when it cannot be read here."""
    gateway = cli_obj().get("gateway")
    if gateway is None:
        try:
            from flask import current_app

            gateway = current_app.extensions["ruamkan.gateway"]
        except (RuntimeError, KeyError):
            return None
    try:
        return gateway.get_quota()
    except Exception:  # noqa: BLE001 - reported as "could not check"
        return None


def parse_at(value: str | None, now: datetime) -> datetime | None:
    """Thai words, Thai or Western year, Bangkok time."""
    if not value:
        return None
    text = value.strip()
    try:
        return parse_date_text(text)
    except ValueError:
        pass
    when = parse_when(text, now)
    if when is None:
        raise click.BadParameter(f"cannot read the time {value!r}", param_hint="--at")
    return when


def parse_audience(value: str) -> tuple[str, str | None]:
    kind, _, rest = value.partition(":")
    kind = kind.strip().lower()
    if kind not in broadcasts.AUDIENCES:
        raise click.BadParameter(f"audience must be one of {', '.join(broadcasts.AUDIENCES)}", param_hint="--to")
    return kind, (rest.strip() or None)


@click.group("broadcast")
def broadcast_cli() -> None:
    """Staff announcements: send now or later, list scheduled, cancel."""


@broadcast_cli.command("send")
@click.option("--text", "text_", required=True, help="the announcement (Thai)")
@click.option("--to", "audience", default="all", show_default=True, help="audience, e.g. community:ชุมชนโชคชัย 4")
@click.option("--at", "at", help="when (Bangkok time or Thai words); default now")
@click.option("--image", help="https image URL")
@click.option("--link", help="https link for a button")
@click.option("--link-label", help="button label (20 characters)")
@click.option("--yes", is_flag=True, help="send even if the month's quota looks short")
def send(text_: str, audience: str, at: str | None, image: str | None, link: str | None, link_label: str | None,
         yes: bool) -> None:
    """Record an announcement and queue it (now, or at --at); prints the audit number."""
    now = cli_now()
    kind, value = parse_audience(audience)
    when = parse_at(at, now)
    with cli_session() as session:
        aud = broadcasts.resolve_audience(session, kind, value)
        recipients = broadcasts.estimate_recipients(session, aud.kind, aud.value)
        messages = broadcasts.build_messages(text_, image, link, link_label)
        label = broadcasts.audience_label(session, aud.kind, aud.value)
    click.echo(f"ถึง: {label} ({recipients:,} คน)")
    if recipients >= broadcasts.LARGE_SEND:
        quota = _quota()  # LINE, with no transaction open (on SQLite one holds every writer up)
        if quota is None:
            click.echo("โควตา: อ่านจาก LINE ไม่ได้")
        else:
            check = broadcasts.quota_check(quota, recipients, messages)
            click.echo(f"โควตา: {check.summary()}")
            if check.warning() and not yes:
                raise click.ClickException(f"{check.warning()} (ใส่ --yes เพื่อส่งต่อ)")
    with cli_session() as session:
        row = broadcasts.create(session, None, text=text_, audience_kind=aud.kind, audience_value=aud.value,
                                image_url=image, link_url=link, link_label=link_label, scheduled_at=when, now=now,
                                created_via="cli")
        if row.status == "scheduled":
            click.echo(f"ตั้งเวลาประกาศ #{row.id} ส่ง{format_datetime(row.scheduled_at, long=True)}")
        else:
            click.echo(f"รับประกาศ #{row.id} แล้ว: ผู้รับ {row.recipient_count or 0:,} คน "
                       f"({broadcasts.STATUS_NAMES.get(row.status, row.status)})")


@broadcast_cli.command("list")
@click.option("--all", "show_all", is_flag=True, help="also the last 20 sent or cancelled")
def list_(show_all: bool) -> None:
    """Scheduled announcements (and, with --all, recent ones with their delivery counts)."""
    with cli_session() as session:
        rows = broadcasts.list_scheduled(session)
        if show_all:
            rows = rows + [b for b in broadcasts.recent(session, 20) if b.status != "scheduled"]
        if not rows:
            click.echo("ไม่มีประกาศที่ตั้งเวลาไว้")
        for b in rows:
            label = broadcasts.audience_label(session, b.audience_kind, b.audience_value)
            first = " ".join(b.text.split())[:50]
            click.echo(f"#{b.id}\t{broadcasts.STATUS_NAMES.get(b.status, b.status)}\t{format_datetime(b.scheduled_at)}\t{label}\t"
                       f"{b.delivered_count:,}/{b.recipient_count or 0:,}\t{first}")


@broadcast_cli.command("cancel")
@click.argument("broadcast_id", type=int)
def cancel(broadcast_id: int) -> None:
    """Cancel a scheduled announcement (one already going out stops its unsent batches)."""
    with cli_session() as session:
        row = broadcasts.cancel(session, None, broadcast_id, now=cli_now(), via="cli")
        click.echo(f"ยกเลิกประกาศ #{row.id} แล้ว")
