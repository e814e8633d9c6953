"""Staff open a hearing round (รอบรับฟังความคิดเห็น) in chat: its name, opening day, closing day, then a
preview to confirm. The console's `flask charter round` does the same through the same service rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot import postback, replies, texts
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import FINISH, Answer, Choice, Flow, Invalid, Step, register_flow
from bot.services import charter as svc
from bot.services.errors import ServiceError
from bot.thaidate import (
    BKK,
    END_OF_DAY,
    MONTHS_SHORT,
    START_OF_DAY,
    ambiguous_year,
    format_datetime,
    no_such_day,
    parse_day_text,
    to_bkk,
)
from storage.models import Charter

NAME = "charter_round_new"
CONFIRM = [Choice("ยืนยัน", "yes"), Choice("ไม่ทำแล้ว", "no")]
OPEN_CHOICES = [Choice("วันนี้", "+0"), Choice("พรุ่งนี้", "+1")]
CLOSE_CHOICES = [Choice(f"อีก {n} วัน", f"+{n}") for n in (7, 14, 30)]


def _after_days(start: datetime, days: int, closing: bool) -> datetime:
    day = to_bkk(start).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, *(END_OF_DAY if closing else START_OF_DAY), tzinfo=BKK)


def _day_answered(ctx: Ctx, answer: Answer, counted_from: datetime, closing: bool) -> datetime | None:
    """A chip ("+N": N days after `counted_from`) or a typed day; a day without a time is its start, or
    its end when closing."""
    if answer.kind == "choice" and (answer.value or "").startswith("+"):
        return _after_days(counted_from, int(answer.value[1:]), closing)
    question = ambiguous_year(answer.text or "") if answer.kind == "text" else None
    if question:  # "15 ธ.ค. 27": asked, not guessed
        raise Invalid(question)
    return parse_day_text(answer.text or "", ctx.now, end_of_day=closing) if answer.kind == "text" else None


def _first_free_day(ctx: Ctx) -> date:
    """The first day from today that no other round holds (a round open now would refuse today)."""
    view = _charter(ctx)
    first = to_bkk(ctx.now).date()
    for hearing in svc.rounds(ctx.session, view) if view is not None else []:
        if to_bkk(hearing.opens_at).date() <= first <= to_bkk(hearing.closes_at).date():
            first = to_bkk(hearing.closes_at).date() + timedelta(days=1)
    return first


def _short(day: date) -> str:
    return f"{day.day} {MONTHS_SHORT[day.month - 1]}"


def _examples(first: date, today: date | None = None) -> str:
    """Days typed as the step accepts them, from the first day it accepts (the fixed “วันนี้” “1 ธ.ค.” were refused
    while a round was open, and “1 ธ.ค.” once December 1 had passed)."""
    later = first + timedelta(days=7)
    said = ["“วันนี้”", f"“{_short(first + timedelta(days=1))}”"] if first == today else [f"“{_short(first)}”"]
    return f"เช่น {' '.join(said)} หรือ “{later.day}/{later.month}/{later.year + 543} 18:00”"


def _opens_examples(ctx: Ctx) -> str:
    return _examples(_first_free_day(ctx), to_bkk(ctx.now).date())


def _closes_examples(ctx: Ctx) -> str:
    return _examples(to_bkk(datetime.fromisoformat(engine.data(ctx)["opens"])).date() + timedelta(days=7))


def _ask_opens(ctx: Ctx) -> str:
    return f"เปิดรับความคิดเห็นวันไหนคะ {_opens_examples(ctx)}"


def _open_choices(ctx: Ctx) -> list[Choice]:
    """วันนี้ / พรุ่งนี้, from the first day no other round holds (a round open now would refuse them)."""
    today = to_bkk(ctx.now).date()
    first = _first_free_day(ctx)
    if first == today:
        return OPEN_CHOICES
    days = (first - today).days
    return [Choice(f"เปิด {first.day} {MONTHS_SHORT[first.month - 1]}", f"+{days}")]


def _parse_opens(ctx: Ctx, answer: Answer) -> str:
    opens = _day_answered(ctx, answer, ctx.now, closing=False)
    if opens is None:
        raise Invalid(no_such_day(answer.text or "", ctx.now)
                      or f"อ่านวันไม่ออกค่ะ พิมพ์วันที่เปิดรับได้เลย {_opens_examples(ctx)}")
    if to_bkk(opens).date() < to_bkk(ctx.now).date():
        raise Invalid("วันเปิดต้องไม่ก่อนวันนี้ค่ะ")
    view = _charter(ctx)
    if view is not None:
        try:  # inside another round: said now, not after the closing day (the closing step checks the span)
            svc.check_opening_day(ctx.session, view.id, opens)
        except ServiceError as exc:
            raise Invalid(exc.message_th) from None
    return opens.isoformat()


def _parse_closes(ctx: Ctx, answer: Answer) -> str:
    opens = datetime.fromisoformat(engine.data(ctx)["opens"])
    closes = _day_answered(ctx, answer, opens, closing=True)
    if closes is None:
        raise Invalid(no_such_day(answer.text or "", ctx.now)
                      or f"อ่านวันไม่ออกค่ะ พิมพ์วันที่ปิดรับได้เลย {_closes_examples(ctx)}")
    if closes <= max(opens, ctx.now):
        raise Invalid(f"วันปิดต้องอยู่หลังวันเปิด ({format_datetime(opens)}) ค่ะ")
    view = _charter(ctx)
    if view is not None:
        try:  # the service's rule, said now rather than after the preview
            svc.check_round_dates(ctx.session, view.id, opens, closes)
        except ServiceError as exc:
            raise Invalid(f"{exc.message_th} (พิมพ์ “ย้อนกลับ” เพื่อแก้วันเปิด)") from None
    return closes.isoformat()


def _suggested_name(ctx: Ctx) -> tuple[int, str]:
    charter = _charter(ctx)
    number = (len(svc.rounds(ctx.session, charter)) if charter is not None else 0) + 1
    return number, f"รอบรับฟังความคิดเห็นครั้งที่ {number}"


def _name_choices(ctx: Ctx) -> list[Choice]:
    number, name = _suggested_name(ctx)
    return [Choice(f"ครั้งที่ {number}", name)]  # a chip's label holds 20 characters, the name is longer


def _ask_name(ctx: Ctx) -> str:
    number, name = _suggested_name(ctx)
    return f"ตั้งชื่อรอบนี้ว่าอะไรคะ แตะ “ครั้งที่ {number}” เพื่อใช้ชื่อ “{name}” หรือพิมพ์เองได้เลย"


def _charter(ctx: Ctx) -> svc.AnyCharter | None:
    return svc.charter_for_user(ctx.session, ctx.user)


def _preview(ctx: Ctx) -> str:
    data = engine.data(ctx)
    charter = _charter(ctx)
    return (f"เปิดรอบรับฟังความคิดเห็นนะคะ\n“{data['name']}”\nของ{charter.title if charter else 'ธรรมนูญสุขภาพ'}\n"
            f"เปิด: {format_datetime(datetime.fromisoformat(data['opens']))}\n"
            f"ปิด: {format_datetime(datetime.fromisoformat(data['closes']))}\n"
            "ระหว่างนี้ทุกคนแสดงความเห็นรายข้อได้ ยืนยันไหมคะ")


def _after_confirm(ctx: Ctx, value: str) -> str | None:
    if value != "yes":
        engine.end(ctx, texts.menu(ctx.user.role if ctx.user else None, "ไม่ได้เปิดรอบใหม่ค่ะ"))
        return None
    return FINISH


@register_flow
class NewHearingRoundFlow(Flow):
    name = NAME
    title = "เปิดรอบรับฟังความคิดเห็น"
    steps = (
        Step("name", ask=_ask_name, choices=_name_choices,
             parse=engine.free_text(max_len=120)),
        Step("opens", ask=_ask_opens, choices=_open_choices, parse=_parse_opens),
        Step("closes", ask="ปิดรับวันไหนคะ แตะปุ่มหรือพิมพ์วันที่ได้เลย (ไม่ระบุเวลาจะปิดตอน 23:59 น.)",
             choices=CLOSE_CHOICES, parse=_parse_closes),
        Step("confirm", ask=_preview, choices=CONFIRM, parse=engine.one_of_or_yes_no(CONFIRM), after=_after_confirm),
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        view = _charter(ctx)
        charter = ctx.session.get(Charter, view.id) if view is not None else None
        if charter is None:
            ctx.reply(texts.menu(ctx.user.role, "ธรรมนูญฉบับนี้ไม่ได้เผยแพร่แล้วค่ะ"))
            return
        row = svc.create_round(ctx.session, charter, data["name"], datetime.fromisoformat(data["opens"]),
                               datetime.fromisoformat(data["closes"]))
        invite = postback.encode(svc.INVITE_ACTION, r=row.id)
        done = f"เปิด “{row.name}” แล้วค่ะ ✅" if row.opens_at <= ctx.now else f"ตั้ง “{row.name}” ไว้แล้วค่ะ ✅"
        ctx.reply(replies.text(
            f"{done}\nรับความคิดเห็น {format_datetime(row.opens_at)} ถึง {format_datetime(row.closes_at)}\n"
            "แตะ “ชวนแสดงความเห็น” เพื่อประกาศชวนทุกคน ข้อความเตรียมไว้ให้แล้วค่ะ",
            quick=[replies.quick_postback("📣 ชวนแสดงความเห็น", invite, "ชวนแสดงความเห็น"),
                   replies.quick_message("📊 ผลความเห็น", "ผลธรรมนูญ"), replies.quick_message("เมนู")],
        ))
