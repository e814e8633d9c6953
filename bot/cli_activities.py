"""Staff commands for activities: `flask activities publish|edit|reschedule|cancel|list|participants|checkin`.

Dates are Bangkok time and may use the Thai year: "2569-12-05 09:00", "5/12/2569 09:00", "2026-12-05T09:00".
A fee (--fee, or `fee:` in a YAML file) is baht as staff type it: "50", "๕๐ บาท", "ห้าสิบบาท", "ฟรี" (0); on edit, "-" takes
it back to not stated.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from bot.cli_common import cli_now, cli_session
from bot.services import activities as svc
from bot.services import communities
from bot.services.errors import ServiceError
from bot.thaidate import BKK, format_date, format_span


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return svc.parse_when(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _echo_activity(session: Session, activity: Any) -> None:
    taken = svc.seats_taken(session, activity.id)
    waiting = svc.waitlist_count(session, activity.id)
    status = "" if activity.status == "published" else f" [{activity.status}]"
    fee = svc.fee_text(activity.fee_baht)
    click.echo(f"#{activity.id} {activity.title}{status}\n    {format_span(activity.starts_at, activity.ends_at)}"
               f" · {activity.place or '-'} · {taken}/{activity.capacity} ที่ · สำรอง {waiting}"
               f"{f' · {fee}' if fee else ''} · v{activity.schedule_version}")


@click.group("activities")
def activities_cli() -> None:
    """Publish and manage activities (กิจกรรม)."""


# --- publish -------------------------------------------------------------------------------------

def _from_yaml_item(item: dict[str, Any], today: date) -> dict[str, Any]:
    """One YAML entry → publish() fields; accepts absolute times or the demo file's relative ones."""
    fields: dict[str, Any] = {k: item.get(k) for k in
                              ("title", "description", "place", "capacity", "topic", "target_group")
                              if item.get(k) is not None}
    fields["community"] = item.get("community")
    if item.get("fee") is not None:
        fields["fee_baht"] = item["fee"]  # 0, 50, "ฟรี", "50 บาท": read by the service
    if item.get("starts_at"):
        starts = svc.parse_when(str(item["starts_at"]))
    else:
        day = today + timedelta(days=int(item.get("day_offset", 0)))
        hh, mm = str(item.get("start", "09:00")).split(":")
        starts = datetime.combine(day, time(int(hh), int(mm)), tzinfo=BKK)
    if item.get("ends_at"):
        ends = svc.parse_when(str(item["ends_at"]))
    else:
        ends = starts + timedelta(minutes=int(item.get("duration_minutes", 120)))
    fields["starts_at"], fields["ends_at"] = starts, ends
    if item.get("signup_deadline"):
        fields["signup_deadline"] = svc.parse_when(str(item["signup_deadline"]))
    elif item.get("signup_closes_hours_before") is not None:
        fields["signup_deadline"] = starts - timedelta(hours=float(item["signup_closes_hours_before"]))
    return fields


@activities_cli.command("publish")
@click.option("--yaml", "yaml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Publish every entry of a YAML file (key `activities:`; same fields as below).")
@click.option("--title")
@click.option("--starts", help='Start, Bangkok time: "2569-12-05 09:00"')
@click.option("--ends", help="End (or use --minutes).")
@click.option("--minutes", type=int, default=120, show_default=True)
@click.option("--capacity", type=int)
@click.option("--place")
@click.option("--community", help="Community name or code; omit for district-wide.")
@click.option("--topic", help="Topic key, e.g. physical_activity.")
@click.option("--target-group")
@click.option("--deadline", help="Sign-up deadline (default: none).")
@click.option("--description")
@click.option("--fee", help='Fee in baht: "50", "ฟรี" (free); omit when not stated.')
def publish_cmd(yaml_file: Path | None, title: str | None, starts: str | None, ends: str | None, minutes: int,
                capacity: int | None, place: str | None, community: str | None, topic: str | None,
                target_group: str | None, deadline: str | None, description: str | None, fee: str | None) -> None:
    """Publish one activity from options, or many from a YAML file."""
    now = cli_now()
    if yaml_file:
        import yaml

        data = yaml.safe_load(yaml_file.read_text("utf-8")) or {}
        items = data.get("activities", data) if isinstance(data, dict) else data
        with cli_session() as session:
            for item in items:
                activity = svc.publish(session, None, now=now, **_from_yaml_item(item, now.astimezone(BKK).date()))
                _echo_activity(session, activity)
        click.echo(f"เผยแพร่แล้ว {len(items)} กิจกรรม")
        return
    start = _when(starts)
    if not (title and start and capacity):
        raise click.UsageError("ต้องมี --title --starts --capacity (หรือใช้ --yaml)")
    end = _when(ends) or start + timedelta(minutes=minutes)
    with cli_session() as session:
        activity = svc.publish(
            session, None, now=now, title=title, starts_at=start, ends_at=end, capacity=capacity, place=place,
            community=community, topic=topic, target_group=target_group, signup_deadline=_when(deadline),
            description=description, fee_baht=fee,
        )
        _echo_activity(session, activity)


@activities_cli.command("edit")
@click.argument("activity_id", type=int)
@click.option("--title")
@click.option("--place")
@click.option("--capacity", type=int)
@click.option("--topic")
@click.option("--target-group")
@click.option("--deadline")
@click.option("--description")
@click.option("--community", help='Community name or code; "-" for district-wide.')
@click.option("--fee", help='Fee in baht: "50", "ฟรี" (free), "-" (not stated).')
def edit_cmd(activity_id: int, title: str | None, place: str | None, capacity: int | None, topic: str | None,
             target_group: str | None, deadline: str | None, description: str | None,
             community: str | None, fee: str | None) -> None:
    """Change details; a new place is pushed to everyone signed up, more seats promote the waitlist."""
    fields: dict[str, Any] = {k: v for k, v in dict(
        title=title, place=place, capacity=capacity, topic=topic, target_group=target_group,
        description=description, signup_deadline=_when(deadline), fee_baht=fee,
    ).items() if v is not None}
    if community is not None:
        fields["community"] = None if community == "-" else community
    if not fields:
        raise click.UsageError("ไม่มีอะไรให้แก้ค่ะ")
    with cli_session() as session:
        result = svc.edit(session, None, activity_id, now=cli_now(), **fields)
        _echo_activity(session, result.activity)
        click.echo(f"แก้: {', '.join(result.changed) or '-'} · แจ้ง {result.notified} คน"
                   f" · เลื่อนจากสำรอง {len(result.promoted)} คน")


@activities_cli.command("reschedule")
@click.argument("activity_id", type=int)
@click.option("--starts", required=True)
@click.option("--ends")
@click.option("--minutes", type=int, help="Length; default: keep the old length.")
@click.option("--place", help="New place, if it changes too.")
def reschedule_cmd(activity_id: int, starts: str, ends: str | None, minutes: int | None,
                   place: str | None) -> None:
    """Move an activity; everyone signed up or waiting is told the new date, time and place.

    Moved to another day, check-ins recorded for the old day are cleared (and counted here)."""
    start = _when(starts)
    with cli_session() as session:
        activity = svc.get_activity(session, activity_id)
        length = timedelta(minutes=minutes) if minutes else activity.ends_at - activity.starts_at
        end = _when(ends) or start + length
        moved = svc.reschedule(session, None, activity_id, start, end, place=place, now=cli_now())
        _echo_activity(session, moved.activity)
        if moved.checkins_cleared:
            click.echo(f"ล้างเช็คอินของวันเดิม {moved.checkins_cleared} รายการ (เช็คอินใหม่ได้ในวันใหม่)")


@activities_cli.command("cancel")
@click.argument("activity_id", type=int)
@click.option("--reason")
@click.confirmation_option(prompt="ยกเลิกกิจกรรมนี้และแจ้งทุกคนที่สมัครไว้ใช่ไหม?")
def cancel_cmd(activity_id: int, reason: str | None) -> None:
    """Cancel an activity and tell everyone signed up or waiting."""
    with cli_session() as session:
        activity = svc.cancel_activity(session, None, activity_id, reason=reason, now=cli_now())
        _echo_activity(session, activity)


@activities_cli.command("list")
@click.option("--community")
@click.option("--topic")
@click.option("--limit", type=int, default=50, show_default=True)
def list_cmd(community: str | None, topic: str | None, limit: int) -> None:
    """Upcoming published activities with seats taken and waitlist length."""
    with cli_session() as session:
        found = communities.named_exactly(session, community) if community else None
        rows = svc.upcoming(session, cli_now(), community=found, topic=topic, limit=limit)
        for activity in rows:
            _echo_activity(session, activity)
        if not rows:
            click.echo("ยังไม่มีกิจกรรมที่จะมาถึง")


@activities_cli.command("participants")
@click.argument("activity_id", type=int)
@click.option("--waitlist/--no-waitlist", default=True, show_default=True)
def participants_cmd(activity_id: int, waitlist: bool) -> None:
    """Who is coming (and waiting), with check-in codes."""
    with cli_session() as session:
        activity = svc.get_activity(session, activity_id)
        _echo_activity(session, activity)
        for row in svc.participants(session, activity, include_waitlist=waitlist):
            user = svc.signup_user(session, row)
            mark = "✓" if row.attended_at else " "
            where = "ยืนยัน" if row.status == "confirmed" else f"สำรอง {svc.waitlist_position(session, row)}"
            blocked = "" if user.is_active else "  บล็อกแชต (ไม่ได้รับการเตือน)"
            click.echo(f"  [{mark}] {row.checkin_code}  {user.display_name or user.line_user_id}"
                       f"  {row.party_size} คน  {where}{blocked}")


@activities_cli.command("checkin")
@click.argument("code")
@click.option("--late", is_flag=True,
              help=f"Record attendance after the activity (from a paper sheet), up to {svc.LATE_CHECKIN_DAYS} days "
                   "after it.")
def checkin_cmd(code: str, late: bool) -> None:
    """Mark a sign-up as attended by its check-in code (on the activity's day, or afterwards with --late)."""
    with cli_session() as session:
        try:
            row = svc.mark_attended(session, None, code, now=cli_now(), late=late)
        except ServiceError as exc:
            if exc.code != "checkin_day_passed":
                raise
            raise ServiceError(exc.code, f"{exc.message_th} (ใช้ activities checkin {code} --late)") from None
        user = svc.signup_user(session, row)
        done = "บันทึกย้อนหลังแล้ว" if late else "เช็คอินแล้ว"
        click.echo(f"{done}: {user.display_name or user.line_user_id} ({row.party_size} คน) · "
                   f"{row.activity.title} · {format_date(row.activity.starts_at)}")
