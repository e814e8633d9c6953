"""Staff commands for project ideas: `flask ideas list|show|move|report`.

The same rules as the chat's buttons (bot.services.ideas): a move the lifecycle does not allow is
refused with its reason, rejecting or asking for a revision needs a reason, and the submitter is told.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from bot.cli_common import cli_now, cli_session, write_csv
from bot.services import communities, idea_report, ideas
from bot.thaidate import format_date
from nlp.entities import parse_count, parse_money, parse_number
from storage.models import Idea, User

STATUSES = tuple(ideas.reference()["idea_statuses"])


def _echo_idea(session: Session, idea: Idea) -> None:
    community = communities.get(session, idea.community_id) if idea.community_id else None
    budget = f"{idea.budget:,} บาท" if idea.budget is not None else "-"
    endorsed = " · แกนนำรับรองแล้ว" if idea.endorsed_at else ""
    click.echo(f"#{idea.id} {idea.title} [{ideas.status_label(idea.status)}]\n"
               f"    {community.name if community else 'ไม่ระบุชุมชน'} · {budget}"
               f" · ส่งเมื่อ {format_date(idea.created_at)}{endorsed}")


@click.group("ideas")
def ideas_cli() -> None:
    """Review project ideas (โครงการ) and move them along: review, approve, start, complete."""


@ideas_cli.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only these statuses (repeat it); default: every idea staff still have to move.")
@click.option("--limit", type=int, default=50, show_default=True)
def list_cmd(statuses: tuple[str, ...], limit: int) -> None:
    """Ideas by status, the longest waiting first."""
    wanted = statuses or (*ideas.REVIEW_STATUSES, *ideas.FOLLOW_UP_STATUSES)
    with cli_session() as session:
        found = ideas.in_statuses(session, wanted, limit)
        for idea in found:
            _echo_idea(session, idea)
        if not found:
            click.echo("ไม่มีโครงการในสถานะนี้")


@ideas_cli.command("show")
@click.argument("idea_id", type=int)
def show_cmd(idea_id: int) -> None:
    """One idea: its fields, its timeline, and the moves staff can make now."""
    with cli_session() as session:
        idea = ideas.get_idea(session, idea_id)
        _echo_idea(session, idea)
        submitter = session.get(User, idea.user_id)
        click.echo(f"    ผู้เสนอ: {submitter.display_name if submitter and submitter.display_name else '-'}")
        for line in ideas.idea_lines(idea, session):
            click.echo(f"    {line}")
        click.echo("    ความเป็นมา:")
        for entry in ideas.timeline(session, idea):
            why = f" — {entry.reason}" if entry.reason else ""
            click.echo(f"      {entry.date_th} · {entry.label} ({entry.who}){why}")
        moves = ideas.allowed_moves(idea.status, ideas.STAFF)
        click.echo(f"    ย้ายไปได้: {', '.join(moves) if moves else '-'}")


GRANT_FUNDS = tuple(ideas.grant_funds())


def _number(value: str | None, parse: Any, option: str, unreadable: str, example: str) -> int | None:
    """A number option given in digits or Thai words; a clear Thai error when it cannot be read."""
    if value is None:
        return None
    number = parse(value)
    if number is None:
        raise click.BadParameter(f"{unreadable}: {value!r} (เช่น {example})", param_hint=option)
    return number


@ideas_cli.command("move")
@click.argument("idea_id", type=int)
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--reason", help="Told to the submitter; needed to reject or ask for a revision.")
@click.option("--fund", type=click.Choice(GRANT_FUNDS), help="approved: the fund that pays")
@click.option("--amount", help="approved: baht granted (digits or Thai words, e.g. 25000, สองหมื่นห้า)")
@click.option("--reached", help="completed: how many people took part (e.g. 45, สี่สิบห้า)")
@click.option("--outcome", help="completed: what changed, in a sentence or two")
def move_cmd(idea_id: int, status: str, reason: str | None, fund: str | None, amount: str | None,
             reached: str | None, outcome: str | None) -> None:
    """Move an idea to STATUS (e.g. approved, in_progress, completed); the submitter gets a push."""
    granted = _number(amount, parse_money, "--amount", "อ่านจำนวนเงินไม่ออก", "25000 หรือ สองหมื่นห้า")
    people = _number(reached, lambda text: parse_count(text) or parse_number(text), "--reached",
                     "อ่านจำนวนคนไม่ออก", "45 หรือ สี่สิบห้า")
    with cli_session() as session:
        idea = ideas.move(session, idea_id, None, status, reason=reason, now=cli_now(), granted_fund=fund,
                          granted_budget=granted, reached=people, outcome=outcome)
        _echo_idea(session, idea)
        click.echo("แจ้งผู้เสนอแล้ว")


@ideas_cli.command("report")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="also write one row per project here (UTF-8 with BOM: Excel shows the Thai); no names or phones")
def report_cmd(csv_path: Path | None) -> None:
    """The One Report: projects by status, baht granted per fund, people reached (withdrawn ones left out)."""
    with cli_session() as session:
        click.echo(idea_report.report_text(idea_report.one_report(session), cli_now()))
        if csv_path is not None:
            rows = idea_report.report_rows(session)
            write_csv(csv_path, idea_report.ROW_COLUMNS, rows)
            click.echo(f"เขียนรายโครงการ {len(rows)} โครงการไว้ที่ {csv_path}")
