"""`flask --app bot charter load|publish|round|results`: staff manage charters from files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli_common import cli_database, cli_now, cli_session, write_csv
from bot.services import charter as charters
from bot.services.broadcasts import TOPIC_NAMES
from bot.services.errors import ServiceError
from bot.thaidate import format_datetime, parse_day_text
from storage.models import Charter, HearingRound

charter_cli = AppGroup("charter", help="Health charters (ธรรมนูญสุขภาพ): load, publish, hearing rounds, results.")

STATUS_NAMES = {"draft": "ร่าง", "published": "เผยแพร่แล้ว", "archived": "เก็บเข้าคลังแล้ว"}
COMMENTS_SHOWN = 3
"""Newest comments shown under each clause on screen; the --comments file has them all."""
# The files leave the bot: no names or LINE ids in them (PDPA), only the counts and words the district needs.
RESULT_COLUMNS = ("หมวด", "ชื่อหมวด", "ข้อ", "ข้อความ", "เห็นด้วย", "ไม่เห็นด้วย", "ไม่แน่ใจ", "รวม", "เห็นด้วย (%)",
                  "จำนวนความเห็น")
COMMENT_COLUMNS = ("ข้อ", "ท่าที", "ความเห็น", "หัวข้อ", "เมื่อ")


def _parse_day(value: str, end_of_day: bool = False) -> datetime:
    """'2026-12-01', '1/12/2569 18:00', '15 ธ.ค.' in Bangkok time, as the chat reads them: without a time a
    round opens at 00:00 and closes at 23:59 of that day (before, "--closes 15/12/2569" ended on the 14th)."""
    day = parse_day_text(value, cli_now(), end_of_day=end_of_day)
    if day is None:
        raise click.BadParameter(f"อ่านวันไม่ออก: {value!r} (เช่น 15/12/2569 หรือ 15/12/2569 18:00)")
    return day


@charter_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--publish", "publish_now", is_flag=True, help="publish it at once")
@click.option("--district", help="for CSV files without a district column")
@click.option("--title", help="for CSV files without a title column")
def load_command(path: str, publish_now: bool, district: str | None, title: str | None) -> None:
    """Load PATH (YAML or CSV, see docs/charter-format.md) as a new draft version."""
    with cli_database().session() as session:
        try:
            charter = charters.load_charter(session, path, district=district, title=title)
            if publish_now:
                charters.publish(session, charter)
        except (ServiceError, ValueError) as exc:
            raise click.ClickException(getattr(exc, "message_th", str(exc))) from exc
        clauses = sum(len(s.clauses) for s in charter.sections)
        click.echo(f"{charter.title} ฉบับที่ {charter.version} ({STATUS_NAMES.get(charter.status, charter.status)}): "
                   f"{len(charter.sections)} หมวด {clauses} ข้อ · เลขที่ {charter.id}")


@charter_cli.command("publish")
@click.argument("charter_id", type=int)
def publish_command(charter_id: int) -> None:
    """Publish a loaded version; the district's previous version is archived."""
    with cli_database().session() as session:
        charter = session.get(Charter, charter_id)
        if charter is None:
            raise click.ClickException(f"ไม่พบธรรมนูญเลขที่ {charter_id} ค่ะ")
        charters.publish(session, charter)
        click.echo(f"เผยแพร่ {charter.title} ฉบับที่ {charter.version} แล้ว (ฉบับก่อนของเขตเก็บเข้าคลัง)")


@charter_cli.command("round")
@click.argument("name")
@click.option("--opens", required=True, help="e.g. 2026-12-01 or 1/12/2569")
@click.option("--closes", required=True, help="e.g. 2026-12-15 18:00")
@click.option("--district", help="district of the published charter (default: the newest)")
def round_command(name: str, opens: str, closes: str, district: str | None) -> None:
    """Open a hearing round (รอบรับฟังความคิดเห็น) on the published charter."""
    with cli_database().session() as session:
        charter = charters.published_charter(session, district)
        if charter is None:
            raise click.ClickException("ยังไม่มีธรรมนูญที่เผยแพร่ค่ะ โหลดด้วย charter load … --publish ก่อนนะคะ")
        try:
            row = charters.create_round(session, charter, name, _parse_day(opens), _parse_day(closes, end_of_day=True))
        except ServiceError as exc:
            raise click.ClickException(exc.message_th) from exc
        click.echo(f"{row.name}: {format_datetime(row.opens_at)} → {format_datetime(row.closes_at)}")


@charter_cli.command("list")
def list_command() -> None:
    """Every charter version with its status."""
    with cli_database().session(readonly=True) as session:
        for charter in session.scalars(select(Charter).order_by(Charter.district, Charter.version)):
            click.echo(f"{charter.id:>4}  {charter.district}  ฉบับที่ {charter.version}  "
                       f"{STATUS_NAMES.get(charter.status, charter.status)}  {charter.title}")


@charter_cli.command("results")
@click.option("--round", "round_id", type=int, help="hearing round id (default: the open round, else the last closed)")
@click.option("--district", help="district of the published charter (default: the newest)")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="also write the counts per clause here (UTF-8 with BOM: Excel shows the Thai)")
@click.option("--comments", "comments_path", type=click.Path(dir_okay=False, path_type=Path),
              help="also write every comment here, one row each")
def results_command(round_id: int | None, district: str | None, csv_path: Path | None,
                    comments_path: Path | None) -> None:
    """A hearing round's results per clause: counts, % agree and comments (what staff see in chat)."""
    with cli_session() as session:
        hearing = _round_for_results(session, round_id, district)
        rows = charters.results(session, hearing)
        click.echo(f"{hearing.name}: {format_datetime(hearing.opens_at)} → {format_datetime(hearing.closes_at)}")
        for row in rows:
            counts = {"agree": row.agree, "disagree": row.disagree, "unsure": row.unsure, "total": row.total,
                      "pct_agree": row.pct_agree}
            click.echo(f"ข้อ {row.clause_no:>3}  {charters.tally_text(counts)}  ความเห็น {len(row.comments)}")
            for comment in row.comments[:COMMENTS_SHOWN]:
                click.echo(f"        – ({charters.STANCE_TH.get(comment['stance'], comment['stance'])}) {comment['comment']}")
            if len(row.comments) > COMMENTS_SHOWN:
                click.echo(f"        …และอีก {len(row.comments) - COMMENTS_SHOWN} ความเห็น (ทั้งหมดด้วย --comments FILE)")
        if csv_path is not None:
            write_csv(csv_path, RESULT_COLUMNS, [
                (r.section_no, r.section_title, r.clause_no, r.text, r.agree, r.disagree, r.unsure, r.total,
                 r.pct_agree, len(r.comments)) for r in rows])
            click.echo(f"เขียนผลรายข้อ {len(rows)} ข้อไว้ที่ {csv_path}")
        if comments_path is not None:
            comments = [(r.clause_no, charters.STANCE_TH.get(c["stance"], c["stance"]), c["comment"],
                         TOPIC_NAMES.get(c["topic"] or "", c["topic"] or ""), format_datetime(c["at"]))
                        for r in rows for c in reversed(r.comments)]  # oldest first within a clause
            write_csv(comments_path, COMMENT_COLUMNS, comments)
            click.echo(f"เขียนความเห็น {len(comments)} รายการไว้ที่ {comments_path}")


def _round_for_results(session: Session, round_id: int | None, district: str | None) -> HearingRound:
    if round_id is not None:
        hearing = charters.get_round(session, round_id)
        if hearing is None:
            raise click.ClickException(f"ไม่พบรอบรับฟังความคิดเห็นเลขที่ {round_id} ค่ะ")
        return hearing
    charter = charters.published_charter(session, district)
    hearing = charters.latest_round(session, charter, cli_now()) if charter is not None else None
    assert hearing is None or isinstance(hearing, HearingRound)  # a stored charter has stored rounds
    if hearing is None:
        raise click.ClickException("ยังไม่มีรอบรับฟังความคิดเห็นที่เปิดแล้วค่ะ ระบุ --round ได้นะคะ")
    return hearing
