"""Staff commands for project ideas: `flask ideas list|show|move`.

The same rules as the chat's buttons (bot.services.ideas): a move the lifecycle does not allow is
refused with its reason, rejecting or asking for a revision needs a reason, and the submitter is told.
"""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from bot.cli_common import cli_now, cli_session
from bot.services import communities, ideas
from bot.thaidate import format_date
from nlp.entities import parse_money
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


@ideas_cli.command("move")
@click.argument("idea_id", type=int)
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--reason", help="Told to the submitter; needed to reject or ask for a revision.")
@click.option("--fund", type=click.Choice(GRANT_FUNDS), help="approved: the fund that pays")
@click.option("--amount", help="approved: baht granted (digits or Thai words, e.g. 25000, สองหมื่นห้า)")
def move_cmd(idea_id: int, status: str, reason: str | None, fund: str | None, amount: str | None) -> None:
    """Move an idea to STATUS (e.g. approved, in_progress, completed); the submitter gets a push."""
    granted = None
    if amount is not None:
        granted = parse_money(amount)
        if granted is None:
            raise click.BadParameter(f"อ่านจำนวนเงินไม่ออก: {amount!r} (เช่น 25000 หรือ สองหมื่นห้า)", param_hint="--amount")
    with cli_session() as session:
        idea = ideas.move(session, idea_id, None, status, reason=reason, now=cli_now(), granted_fund=fund,
                          granted_budget=granted)
        _echo_idea(session, idea)
        click.echo("แจ้งผู้เสนอแล้ว")
