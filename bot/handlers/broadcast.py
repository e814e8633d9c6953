"""Staff announcements in chat: start the journey, list scheduled and recent ones, cancel."""

from __future__ import annotations

import re
from typing import Any

from bot import replies
from bot.context import Ctx
from bot.dispatcher import for_residents, on_command, on_postback, reads_only, starts_flow
from bot.flows import broadcast as _flow  # noqa: F401 - registers the flow
from bot.flows import confirm
from bot.postback import encode
from bot.services import broadcasts, charter, contact
from bot.thaidate import THAI_DIGITS, format_datetime

NOT_STAFF = "ส่วนนี้สำหรับเจ้าหน้าที่เท่านั้นค่ะ"


def _staff(ctx: Ctx) -> bool:
    if ctx.user is None or not ctx.user.is_staff:
        ctx.reply(replies.text(NOT_STAFF))
        return False
    return True


@on_command(r"(?:ส่ง)?ประกาศ(?:ใหม่)?|เขียนประกาศ|broadcast", staff_only=True)
def compose(ctx: Ctx, _match: Any) -> None:
    ctx.start_flow("broadcast")


@on_postback("broadcast.new")
@starts_flow
def compose_button(ctx: Ctx, _args: dict[str, str]) -> None:
    if _staff(ctx):
        ctx.start_flow("broadcast")


@on_postback(contact.ANNOUNCE_ACTION)
@starts_flow
def announce_request(ctx: Ctx, args: dict[str, str]) -> None:
    """'ประกาศข้อความนี้' on a leader's request: the announcement journey for that community, with the
    requested text offered as it is (or edited)."""
    if _staff(ctx):
        request = contact.announcement_request(ctx.session, args.get("m"))
        ctx.start_flow("broadcast", requested=request.text, request=request.message_id, audience="community",
                       audience_value=str(request.community.id), written_at=request.asked_at.isoformat())


def _notice_for_residents(ctx: Ctx, _match: Any) -> None:
    """Someone not staff typing the chip's words: they ask the staff to announce something."""
    ctx.start_flow("community_notice")


@on_command(r"ประกาศ\s*ข้อความ\s*นี้\s*(?:เลย|ให้หน่อย|หน่อย)?\s*(?:ค่ะ|คะ|ครับ|จ้า|นะ)*", staff_only=True)
@for_residents(_notice_for_residents)
def announce_request_typed(ctx: Ctx, _match: Any) -> None:
    """"ประกาศข้อความนี้" typed, as the chip on a leader's request (it opened the privacy menu): the newest
    request still waiting."""
    waiting = contact.latest_waiting_request(ctx.session)
    if waiting is None:
        ctx.reply(replies.text("ตอนนี้ไม่มีคำขอประกาศที่รอเจ้าหน้าที่อยู่ค่ะ ถ้าจะเขียนประกาศเอง พิมพ์ “เขียนประกาศ” ได้เลยนะคะ",
                               quick=[replies.quick_message("เขียนประกาศ"), replies.quick_message("ข้อความรอตอบ")]))
        return
    announce_request(ctx, {"m": str(waiting.id)})


@on_postback(charter.INVITE_ACTION)
@starts_flow
def invite_to_round(ctx: Ctx, args: dict[str, str]) -> None:
    """'ชวนแสดงความเห็น' after staff open a hearing round: the announcement journey to everyone, with an
    invitation written from the round's dates offered as it is (or edited)."""
    if not _staff(ctx):
        return
    hearing = charter.get_round(ctx.session, int(args["r"])) if args.get("r", "").isdigit() else None
    found = charter.charter_of(ctx.session, hearing.charter_id) if hearing is not None else None
    if hearing is None or found is None:
        ctx.reply(replies.text("ไม่พบรอบรับฟังความคิดเห็นนี้แล้วค่ะ พิมพ์ “ประกาศ” เพื่อเขียนเองได้เลยนะคะ"))
        return
    ctx.start_flow("broadcast", requested=charter.invitation_text(found, hearing),
                   requested_as="ข้อความชวนแสดงความเห็น", audience="all")


@on_command(r"ประกาศที่ตั้งเวลา(?:ไว้)?|รายการประกาศ|ดูประกาศ", staff_only=True)
@reads_only
def list_scheduled(ctx: Ctx, _match: Any) -> None:
    scheduled = broadcasts.list_scheduled(ctx.session)
    recent = [b for b in broadcasts.recent(ctx.session, 5) if b.status != "scheduled"]
    if not scheduled:
        lines = ["ตอนนี้ไม่มีประกาศที่ตั้งเวลาไว้ค่ะ"]
    else:
        lines = [f"ประกาศที่ตั้งเวลาไว้ {len(scheduled)} รายการค่ะ"] + [broadcasts.describe(ctx.session, b)
                                                                    for b in scheduled[:10]]
    if recent:
        lines.append("\nล่าสุด:")
        for b in recent:
            status = broadcasts.STATUS_NAMES.get(b.status, b.status)
            if b.status == "cancelled":  # never went out: no counts, and no date that looks like a sending
                lines.append(f"#{b.id} {status}")
            else:
                lines.append(f"#{b.id} {status} · ถึง {b.delivered_count:,}/{(b.recipient_count or 0):,} คน · "
                             f"{format_datetime(b.sent_at or b.scheduled_at)}")
    quick = [replies.quick_postback(f"ยกเลิก #{b.id}", encode("broadcast.cancel", id=b.id), f"ยกเลิกประกาศ #{b.id}")
             for b in scheduled[:10]]
    quick.append(replies.quick_postback("เขียนประกาศใหม่", encode("broadcast.new"), "เขียนประกาศ"))
    ctx.reply(replies.text("\n".join(lines), quick=quick))


@on_command(r"ยกเลิก\s*ประกาศ\s*(?:ที่|เลขที่)?\s*#?\s*(?P<id>[0-9๐-๙]{1,9})", staff_only=True)
def ask_cancel_typed(ctx: Ctx, match: re.Match[str]) -> None:
    """"ยกเลิกประกาศ #4" typed, as the list's button (it used to be read as cancelling a sign-up)."""
    ask_cancel(ctx, {"id": match["id"].translate(THAI_DIGITS)})


@on_postback("broadcast.cancel")
@starts_flow
def ask_cancel(ctx: Ctx, args: dict[str, str]) -> None:
    if not _staff(ctx):
        return
    row = broadcasts.get(ctx.session, args.get("id", ""))
    if row.status != "scheduled":
        ctx.reply(replies.text(f"ประกาศ #{row.id} {broadcasts.STATUS_NAMES.get(row.status, row.status)} ยกเลิกไม่ได้แล้วค่ะ"))
        return
    confirm.ask(ctx, f"ยกเลิกประกาศ #{row.id} ที่จะส่ง {format_datetime(row.scheduled_at)} ใช่ไหมคะ",
                yes=("ยกเลิกประกาศ", encode("broadcast.cancel_yes", id=row.id)),
                no=("ไม่ยกเลิก", encode("broadcast.cancel_no", id=row.id)))


@on_postback("broadcast.cancel_yes")
def cancel(ctx: Ctx, args: dict[str, str]) -> None:
    if not _staff(ctx):
        return
    row = broadcasts.cancel(ctx.session, ctx.user, args.get("id", ""), now=ctx.now)
    ctx.reply(replies.text(f"ยกเลิกประกาศ #{row.id} แล้วค่ะ จะไม่มีการส่งข้อความนี้นะคะ",
                           quick=[replies.quick_message("ประกาศที่ตั้งเวลาไว้")]))


@on_postback("broadcast.cancel_no")
def keep(ctx: Ctx, args: dict[str, str]) -> None:
    ctx.reply(replies.text(f"ประกาศ #{args.get('id', '')} ยังตั้งเวลาไว้ตามเดิมค่ะ"))
