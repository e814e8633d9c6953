"""Staff publish an activity step by step: "เพิ่มกิจกรรม" alone asks for each field in turn.

Typing the one-line command ("เพิ่มกิจกรรม ชื่อ | วันเวลา | สถานที่ | ที่นั่ง") means "|" on a phone
keyboard and getting the order right; this asks instead, checks each answer as it comes, and ends in the
same preview and confirmation as the one-line command, as its own last step (so "ย้อนกลับ" goes back).
A step asked again ("ย้อนกลับ", "แก้ชื่อ" at the preview) says what it holds; once answered, the journey goes on to
the next step still without an answer (Step.when), so every other answer is kept.
At the date step a day alone ("พรุ่งนี้") is kept and its hours asked, hours alone are kept and the day asked;
several days ("อาทิตย์หน้า") ask which of them (a chip for each, up to a week). A day or a time typed when the name
is asked is kept for the date step, and the name asked again (a day and a start without an end, "พรุ่งนี้ 7 โมง": the
end is asked, with lengths as chips; a start alone, "9 โมง": the day, then the end); a head count typed at the date
or the place is the seats. At the steps after the name, a change typed as at the preview ("แก้ชื่อเป็น …",
"ค่าสมัคร 20 บาท") is made and the step asked again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.context import Ctx
from bot.flows import engine
from bot.flows.activity import LABEL_STEPS, RECOUNT, publish_activity, staff_confirm_step, suggest_labels
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.handlers.activity_words import day_or_time, length_said, title_with_when
from bot.services import activities as svc
from bot.services import communities
from bot.services.errors import ServiceError
from bot.thaidate import BKK, MONTHS_SHORT, THAI_DIGITS, WEEKDAYS_LONG, format_date, format_span, to_bkk

DISTRICT_WIDE = "0"
SEAT_CHOICES = [Choice(f"{n} ที่", str(n)) for n in (20, 30, 50, 100)]


def _ui() -> Any:
    from bot.handlers import activities as ui

    return ui


WHEN_SAID = "said"
"""The chip that takes the day and time typed with the title."""
START_CHIPS = ("08:00", "09:00", "13:00", "16:00")
"""Start times offered once the day is known (as long as a start typed alone: two hours)."""


def _parse_when(ctx: Ctx, answer: Answer) -> list[str]:
    """'เสาร์นี้ 9 โมง ถึง 11 โมง' → [start, end] as ISO text; a time already past is refused with the date.
    With a day typed in the title: "ใช่" / its chip takes what was read, a time alone is on that day.
    A day alone or a time alone is kept and the other half asked (`_new_when`)."""
    said = _said_to_confirm(ctx)
    if said and (answer.kind == "choice" and answer.value == WHEN_SAID
                 or answer.kind == "text" and engine.said_yes(answer.text)):
        return list(said)
    _seats_early(ctx, answer)
    ended = _end_of_start_said(ctx, answer)
    if ended is not None:
        return ended
    text = answer.value if answer.kind == "choice" else answer.text if answer.kind == "text" else None
    if not text or text == WHEN_SAID:
        raise Invalid("พิมพ์วันเวลาได้เลยค่ะ เช่น “เสาร์นี้ 9 โมง ถึง 11 โมง”")
    now_held = engine.data(ctx).get("when")
    try:
        if now_held:  # asked again: what is not said stays ("9 โมง" keeps the day, "29 ธ.ค." the hours)
            start, end = _ui().parse_move(text, ctx.now, *(datetime.fromisoformat(t) for t in now_held))
        else:
            start, end = _new_when(ctx, text)
    except ServiceError as exc:
        raise Invalid(exc.message_th) from None
    engine.put(ctx, _days_offered=None)
    return [start.isoformat(), end.isoformat()]


def _new_when(ctx: Ctx, text: str) -> tuple[datetime, datetime]:
    """The first day and time: "พรุ่งนี้" alone is kept and the hours asked, "7 โมง ถึง 8 โมง" alone is kept and
    the day asked (Invalid without a reason: the step asks for the other half); the other half, typed next, is
    put with it. A day named with the title counts as said, its hours too."""
    data = engine.data(ctx)
    said = day_or_time(text, ctx.now)
    if said.only and said.names_day and said.day is None and said.days is not None:
        if said.names_time:  # "สัปดาห์หน้า 9 โมง": the hours kept for the day chosen (it was Monday, unasked)
            engine.put(ctx, _time_said=_hours_of(ctx, text, said.days[1]), _when_said=None)
        _offer_days(ctx, *said.days)
    if said.only and said.names_day and not said.names_time and said.day is not None:
        if said.day < to_bkk(ctx.now).date():
            raise ServiceError("bad_time", f"วันที่ {format_date(said.day)} ผ่านไปแล้วค่ะ")
        hours = _hours_held(data)
        if hours is None:
            engine.put(ctx, _day_said=said.day.isoformat(), _day_typed=True, _days_offered=None)
            raise Invalid("", answered=True)
        start = datetime.combine(said.day, time.fromisoformat(hours[0]), tzinfo=BKK)
        if hours[1] is None:  # "9 โมง" typed for the name: the start on that day, its end asked next
            _keep_start(ctx, start)
        end = start + timedelta(minutes=hours[1])
        svc.check_times(start, end, now=ctx.now)
        return start, end
    if said.only and said.names_time and not said.names_day:
        day = date.fromisoformat(data["_day_said"]) if data.get("_day_said") else None
        if day is not None:  # "9 โมง" after "พรุ่งนี้" (or "ตรวจสุขภาพ 12/12"): on that day
            return _ui().parse_span(f"{_typed_day(day)} {text}", ctx.now)
        ahead = to_bkk(ctx.now).date() + timedelta(days=1)  # any day to come: only the hours are read
        start, end = _ui().parse_span(f"{_typed_day(ahead)} {text}", ctx.now)
        engine.put(ctx, _time_said=[f"{start:%H:%M}", int((end - start).total_seconds() // 60)])
        raise Invalid("", answered=True)
    return _ui().parse_span(text, ctx.now)


def _keep_start(ctx: Ctx, start: datetime) -> None:
    """A start with no end said (the day just given to a time typed for the name): kept, and the end asked
    (Invalid without a reason: the step asks again); one already past is refused."""
    if start <= ctx.now:
        raise ServiceError("bad_time", f"{_day_named(start.date())} เวลา {start:%H:%M} น. ผ่านไปแล้วค่ะ")
    engine.put(ctx, _start_said=start.isoformat(), _time_said=None, _day_said=None, _day_typed=None,
               _days_offered=None, _when_said=None)
    raise Invalid("", answered=True)


EXAMPLE_LENGTH = timedelta(hours=2)
"""The end suggested in the example when the end of a start is asked (typed, it is only an example)."""
LENGTH = "len:"
"""A length chip's value ("len:90"): the end of a start typed with the name ("พรุ่งนี้ 7 โมง") that far after it."""
LENGTH_CHOICES = ((60, "1 ชั่วโมง"), (90, "1 ชั่วโมงครึ่ง"), (120, "2 ชั่วโมง"), (180, "3 ชั่วโมง"))
_UNTIL = re.compile(r"^\s*(?:จน\s*)?(?:ถึง|เลิก|จบ|เสร็จ)\s*")


def _start_held(ctx: Ctx) -> datetime | None:
    """The start typed with no end in place of the name ("พรุ่งนี้ 7 โมง"), while the date step has no answer."""
    data = engine.data(ctx)
    said = None if data.get("when") else data.get("_start_said")
    return to_bkk(datetime.fromisoformat(said)) if said else None


def _end_of_start_said(ctx: Ctx, answer: Answer) -> list[str] | None:
    """The end, for a start kept from the name: a length chip, "2 ชั่วโมง", "9 โมง" / "ถึง 09:00" (on its day), or
    "8 โมง ถึง 10 โมง" (both, that day). None for another day and time ("เสาร์นี้ 9 โมง"), read as a first answer."""
    start = _start_held(ctx)
    if start is None:
        return None
    if answer.kind == "choice" and (answer.value or "").startswith(LENGTH):
        end = start + timedelta(minutes=int((answer.value or "").removeprefix(LENGTH)))
    elif answer.kind == "text" and answer.text:
        typed = _UNTIL.sub("", answer.text)  # "ถึง 9 โมงครึ่ง": the end alone
        length = length_said(typed)
        said = day_or_time(typed, ctx.now) if length is None else None
        if said is not None and (said.names_day or not said.names_time):
            if said.names_day:  # another day: the start said with the name goes
                engine.put(ctx, _start_said=None)
                return None
            raise Invalid(f"ขอเวลาเลิกนะคะ เช่น “{start + EXAMPLE_LENGTH:%H:%M}” หรือแตะ “2 ชั่วโมง” ค่ะ")
        try:
            if length is not None:
                end = start + length
            elif _ui().names_an_end(typed, ctx.now):  # "8 โมง ถึง 10 โมง": both, on that day
                start, end = _ui().parse_span(f"{_typed_day(start.date())} {typed}", ctx.now)
            else:
                start, end = _ui().parse_span(f"{_typed_day(start.date())} {start:%H:%M} ถึง {typed}", ctx.now)
            svc.check_times(start, end, now=ctx.now)
        except ServiceError as exc:
            raise Invalid(exc.message_th) from None
    else:
        return None
    engine.put(ctx, _start_said=None)
    return [start.isoformat(), end.isoformat()]


def _hours_of(ctx: Ctx, text: str, day: date) -> list[Any]:
    """The hours typed with several days ("อาทิตย์หน้า 9 โมง"), read on one of them: [start "HH:MM", minutes]."""
    start, end = _ui().parse_span(f"{_typed_day(day)} {text}", ctx.now)
    return [f"{start:%H:%M}", int((end - start).total_seconds() // 60)]


MAX_DAY_CHIPS = 7
"""A week of days offered as chips when several days are typed ("อาทิตย์หน้า"); more are asked without."""


def _offer_days(ctx: Ctx, first: date, last: date) -> None:
    """Several days typed ("อาทิตย์หน้า", "เสาร์อาทิตย์นี้"): which of them, the days to come as chips (it was
    “อ่านวันเวลาไม่ออกค่ะ”); hours already said stay (Invalid without a reason: the step asks again)."""
    today = to_bkk(ctx.now).date()
    if last < today:
        raise ServiceError("bad_time", f"ช่วง {format_date(first)} ถึง {format_date(last)} ผ่านไปแล้วค่ะ")
    data = engine.data(ctx)
    hours = _hours_held(data)
    engine.put(ctx, _days_offered=[max(first, today).isoformat(), last.isoformat()], _day_said=None, _day_typed=None,
               _when_said=None, _time_said=hours)
    raise Invalid("", answered=True)


def _days_offered(data: dict[str, Any]) -> list[date]:
    """The days `_offer_days` asks to choose from."""
    if not data.get("_days_offered"):
        return []
    first, last = (date.fromisoformat(d) for d in data["_days_offered"])
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _day_label(day: date) -> str:
    """'พฤหัสบดี 10 ธ.ค.' (a chip's label)."""
    return f"{WEEKDAYS_LONG[day.weekday()]} {day.day} {MONTHS_SHORT[day.month - 1]}"


def _typed_day(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year + 543}"


def _hours_held(data: dict[str, Any]) -> list[Any] | None:
    """What a day typed alone is put with: the hours typed alone before it, or those typed with the title."""
    if data.get("_time_said"):
        return list(data["_time_said"])
    if data.get("_when_said"):
        start, end = (to_bkk(datetime.fromisoformat(t)) for t in data["_when_said"])
        return [f"{start:%H:%M}", int((end - start).total_seconds() // 60)]
    return None


def _parse_seats(ctx: Ctx, answer: Answer) -> int:
    """The one-line command's seat rule (a positive number), asked again in the form's own words."""
    try:
        return _ui().parse_seats((answer.value if answer.kind == "choice" else answer.text) or "")
    except ServiceError:
        raise Invalid("ขอเป็นตัวเลขจำนวนที่นั่งนะคะ เช่น 30") from None


_HEADCOUNT = re.compile(r"\s*(?:รับ(?:ได้)?\s*)?\d{1,4}\s*(?:คน|ที่นั่ง|ที่|ท่าน)\s*(?:ค่ะ|คะ|ครับ|นะคะ|จ้ะ|จ้า)?\s*")


def _seats_early(ctx: Ctx, answer: Answer) -> None:
    """"๓ คน" typed before the seats are asked (at the date or the place): kept as the seats, and the step asked
    still (it was the place, or the switch prompt at the date)."""
    if answer.kind == "text" and _HEADCOUNT.fullmatch((answer.text or "").translate(THAI_DIGITS)):
        seats = _parse_seats(ctx, answer)
        engine.put(ctx, capacity=seats)
        raise Invalid(f"รับ {seats} คนนะคะ ✅", answered=True)


def _parse_place(ctx: Ctx, answer: Answer) -> str:
    """The place; "๓ คน" typed here is the seats a step early (`_seats_early`); a day or hours alone is no place
    ("8 โมงถึง 9 โมง" was stored as one)."""
    _seats_early(ctx, answer)
    place = engine.free_text(max_len=300)(ctx, answer)
    said = day_or_time(place, ctx.now)
    if said.only and (said.names_day or said.names_time):
        raise Invalid(f"“{place}” เป็นวันเวลาค่ะ ตอนนี้ขอสถานที่จัดนะคะ "
                      "ส่วนวันเวลาแก้ได้ตอนดูตัวอย่าง พิมพ์ “แก้เวลาเป็น …” ได้เลยค่ะ")
    return place


GOTO = "__goto__:"
"""A step's value meaning "ask that step first" ("แก้ชื่อ" typed alone at the community step); then this one again."""


def _change_typed(ctx: Ctx, answer: Answer, step: str) -> Answer | str:
    """A change typed at a step after the name, as at the preview ("แก้ชื่อเป็น โยคะผู้สูงอายุ", "ค่าสมัคร 20 บาท"):
    made, and this step asked again (it was "ไม่พบชุมชนนี้ค่ะ", or the place stored as those words). The step's own
    field named ("เปลี่ยนชุมชนเป็น …") is its answer; another step of the form named alone ("แก้ชื่อ"), that step's
    name, to ask it first."""
    if answer.kind != "text" or not answer.text:
        return answer
    said = _ui().change_typed(answer.text)
    if said is None or (said.name == "when" and step != "when" and not engine.data(ctx).get("when")):
        return answer
    field = _ui().FORM_KEYS.get(said.name, said.name)
    if field == step:
        if not said.value:
            raise Invalid("", answered=True)
        return Answer(kind="text", text=said.value)
    if not said.value and field not in FORM_STEPS:  # "แก้หัวข้อ": chosen at the preview
        raise Invalid(f"แก้{said.word}ได้ตอนดูตัวอย่างก่อนยืนยันนะคะ", answered=True)
    try:
        changed = _ui().publish_change(ctx, answer.text)
    except ServiceError as exc:
        raise Invalid(exc.message_th, answered=True) from None
    if changed is None:
        return answer
    if changed != RECOUNT:
        engine.put(ctx, _held=engine.data(ctx).get(step))
        return GOTO + changed
    raise Invalid(f"{_changed_note(ctx, said.name)} ✅", answered=True)


def _changed_note(ctx: Ctx, name: str) -> str:
    """What a change typed mid-form made: 'แก้ชื่อเป็น “โยคะผู้สูงอายุ” แล้วค่ะ', 'แก้ค่าสมัครเป็น ฟรีแล้วค่ะ' (no space
    between Thai words: "ฟรี แล้วค่ะ" read as a stray gap; one after a number or a quote stays)."""
    field = _ui().FORM_KEYS.get(name, name)
    if field in FORM_STEPS:
        shown = _now_answer(ctx, field).removeprefix("ตอนนี้: ").strip()
    else:
        shown = _ui()._edit_shown(ctx, name, engine.data(ctx).get(name))
    gap = "" if re.search(r"[\u0e01-\u0e4e]$", shown) else " "
    return f"แก้{_ui().EDIT_LABELS.get(name, 'วันเวลา')}เป็น {shown}{gap}แล้วค่ะ"


def _takes_changes(step: str, parse: Callable[[Ctx, Answer], Any]) -> Callable[[Ctx, Answer], Any]:
    """The step's parse, after a change typed there (`_change_typed`)."""
    def parse_or_change(ctx: Ctx, answer: Answer) -> Any:
        changed = _change_typed(ctx, answer, step)
        return changed if isinstance(changed, str) else parse(ctx, changed)

    parse_or_change.__doc__ = parse.__doc__
    return parse_or_change


def _after_change(step: str) -> Callable[[Ctx, Any], str | None]:
    """After a step whose answer was "ask that step first" (GOTO): its own answer as it was, and that step next."""
    def after(ctx: Ctx, value: Any) -> str | None:
        if not (isinstance(value, str) and value.startswith(GOTO)):
            return None
        engine.put(ctx, **{step: engine.data(ctx).get("_held"), "_held": None})
        return value.removeprefix(GOTO)

    return after


def _community_choices(ctx: Ctx) -> list[Choice]:
    home = communities.get(ctx.session, ctx.user.community_id) if ctx.user and ctx.user.community_id else None
    return [Choice("ทั้งเขต", DISTRICT_WIDE)] + ([Choice(home.name, str(home.id))] if home else [])


def _parse_community(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and any(c.value == answer.value for c in _community_choices(ctx)):
        return answer.value or DISTRICT_WIDE
    if answer.kind == "text" and answer.text:
        if "".join(answer.text.split()) in ("ทั้งเขต", "ทุกชุมชน", "เขต"):
            return DISTRICT_WIDE
        try:
            found = communities.one_named(ctx.session, answer.text)
        except ServiceError as exc:  # "ลาดพร้าว": which of them
            raise Invalid(exc.message_th) from None
        if found is not None:
            return str(found.id)
    raise Invalid("ไม่พบชุมชนนี้ค่ะ พิมพ์ชื่อชุมชน หรือแตะ “ทั้งเขต” ได้เลยนะคะ")


def _ask_when(ctx: Ctx) -> str:
    data = engine.data(ctx)
    said, day, hours = data.get("_when_said"), data.get("_day_said"), data.get("_time_said")
    start = _start_held(ctx)
    if data.get("when"):  # asked again ("ย้อนกลับ"): what it holds now
        day = hours = None
    elif start is not None:  # "พรุ่งนี้ 7 โมง" typed for the name: how long
        return (f"ชื่อกิจกรรม “{data.get('title')}” เริ่ม{_day_named(start.date())} เวลา {start:%H:%M} น. "
                f"จัดถึงกี่โมงคะ แตะระยะเวลาด้านล่าง หรือพิมพ์เวลาเลิกได้เลย เช่น “{start + EXAMPLE_LENGTH:%H:%M}”")
    elif said:
        start, end = (datetime.fromisoformat(t) for t in said)
        return (f"ชื่อกิจกรรม “{data.get('title')}” จัด {format_span(start, end)} ใช่ไหมคะ "
                "แตะ “ใช้วันเวลานี้” หรือพิมพ์วันเวลาใหม่ได้เลย เช่น “7 โมง ถึง 8 โมง”")
    if day and data.get("_day_typed"):  # "พรุ่งนี้" alone: the hours of that day
        return (f"{_day_named(date.fromisoformat(day))} เริ่มกี่โมงคะ แตะเวลาเริ่ม (จัด 2 ชั่วโมง) "
                "หรือพิมพ์ได้เลย เช่น “9 โมง ถึง 11 โมง”")
    if day:  # "ตรวจสุขภาพ 12/12": the hours of that day
        return (f"ชื่อกิจกรรม “{data.get('title')}” จัดวันที่ {format_date(date.fromisoformat(day))} "
                "กี่โมงถึงกี่โมงคะ พิมพ์ได้เลย เช่น “9 โมง ถึง 11 โมง”")
    offered = _days_offered(data)
    if offered:  # "อาทิตย์หน้า": which day of it
        how = "แตะวันด้านล่าง หรือพิมพ์ได้เลย" if len(offered) <= MAX_DAY_CHIPS else "พิมพ์วันที่ได้เลย"
        at = f" ({_hours_phrase(hours)})" if hours else ""  # "สัปดาห์หน้า 9 โมง": the hours kept
        return (f"ช่วง {format_date(offered[0])} ถึง {format_date(offered[-1])}{at} จัดวันไหนคะ {how} "
                f"เช่น “{_typed_day(offered[0])}”")
    if hours:  # "7 โมง ถึง 8 โมง" alone: which day
        return (f"{_hours_phrase(hours)} จัดวันไหนคะ "
                "แตะวันด้านล่าง หรือพิมพ์ได้เลย เช่น “เสาร์นี้” หรือ “5/12/2569”")
    problem = "" if data.get("when") else data.get("_when_problem") or ""  # "… ผ่านไปแล้วค่ะ": typed with the title
    lead = f"ชื่อกิจกรรม “{data.get('title')}” ค่ะ\nวันเวลาที่พิมพ์มา: {problem}\n" if problem else _now_answer(ctx, "when")
    return lead + "จัดวันไหน กี่โมงถึงกี่โมงคะ พิมพ์ได้เลย เช่น “เสาร์นี้ 9 โมง ถึง 11 โมง” หรือ “5/12/2569 09:00-11:00”"


def _day_named(day: date) -> str:
    """'วันพุธที่ 2 ธ.ค. 2569'."""
    return f"วัน{WEEKDAYS_LONG[day.weekday()]}ที่ {day.day} {MONTHS_SHORT[day.month - 1]} {day.year + 543}"


def _when_choices(ctx: Ctx) -> list[Choice]:
    """"ใช้วันเวลานี้" for the day and time typed with the title; start times once the day is known; days once
    the hours are."""
    if _said_to_confirm(ctx):
        return [Choice("ใช้วันเวลานี้", WHEN_SAID)]
    if _start_held(ctx) is not None:
        return [Choice(label, f"{LENGTH}{minutes}") for minutes, label in LENGTH_CHOICES]
    data = engine.data(ctx)
    if data.get("when"):
        return []
    now = to_bkk(ctx.now)
    if data.get("_day_said"):
        day = date.fromisoformat(data["_day_said"])
        return [Choice(f"{at} น.", at) for at in START_CHIPS
                if datetime.combine(day, time.fromisoformat(at), tzinfo=BKK) > now]
    offered = _days_offered(data)
    if offered:
        return [Choice(_day_label(d), _typed_day(d)) for d in offered] if len(offered) <= MAX_DAY_CHIPS else []
    if data.get("_time_said"):
        starts = time.fromisoformat(data["_time_said"][0])
        today = now.date()
        days = [today] if datetime.combine(today, starts, tzinfo=BKK) > now else []
        days += [today + timedelta(days=1)] + [today + timedelta(days=(w - today.weekday()) % 7 or 7) for w in (5, 6)]
        named = {today: "วันนี้", today + timedelta(days=1): "พรุ่งนี้"}
        return [Choice(named.get(d) or _day_label(d), _typed_day(d)) for d in dict.fromkeys(days)]
    return []


def _said_to_confirm(ctx: Ctx) -> list[str] | None:
    """The day and time typed with the title, while the date step has no answer of its own yet."""
    data = engine.data(ctx)
    return None if data.get("when") else data.get("_when_said")


def _now_answer(ctx: Ctx, name: str) -> str:
    """What a step holds already, said when it is asked again ("ย้อนกลับ"): it stays unless a new answer comes."""
    value = engine.data(ctx).get(name)
    if value in (None, ""):
        return ""
    if name == "when":
        shown = format_span(*(datetime.fromisoformat(t) for t in value))
    elif name == "community":
        shown = communities.name_or_district(ctx.session, int(value) or None)
    else:
        shown = f"“{value}”" if name != "capacity" else f"{value} ที่"
    return f"ตอนนี้: {shown}\n"


_title_text = engine.free_text(max_len=200)


def _parse_title(ctx: Ctx, answer: Answer) -> str:
    """The name; a day or a time typed alone instead ("พรุ่งนี้ 8 โมง") is kept for the date step and the name asked
    again (it became the name)."""
    said = day_or_time(answer.text or "", ctx.now) if answer.kind == "text" else None
    if said is None or not said.only or not (said.names_day or said.names_time):
        return _title_text(ctx, answer)
    engine.put(ctx, _start_said=None)  # a day or time typed for the name again: it replaces a start kept before
    try:
        start, end = _new_when(ctx, answer.text or "")
    except Invalid:  # a day alone, or hours alone: kept, the other half asked at the date step
        data = engine.data(ctx)
        if said.names_time and data.get("_time_said") and not _ui().names_an_end(answer.text or "", ctx.now):
            # "9 โมง": the start alone is kept, the day and the end asked (it was two hours, unasked)
            engine.put(ctx, _time_said=[data["_time_said"][0], None])
        if data.get("_start_said"):  # "พรุ่งนี้" after "9 โมง", both for the name: the start, its end asked
            start = to_bkk(datetime.fromisoformat(data["_start_said"]))
            held = f"{_day_named(start.date())} เริ่ม {start:%H:%M} น."
        elif data.get("_days_offered"):
            held = f"ช่วง {' ถึง '.join(format_date(d) for d in (_days_offered(data)[0], _days_offered(data)[-1]))}"
        elif data.get("_day_said"):
            held = _day_named(date.fromisoformat(data["_day_said"]))
        else:
            held = _hours_phrase(engine.data(ctx)["_time_said"])
    except ServiceError as exc:
        raise Invalid(f"{exc.message_th} ขอชื่อกิจกรรมก่อนนะคะ", answered=True) from None
    else:
        if _ui().names_an_end(answer.text or "", ctx.now):
            engine.put(ctx, when=[start.isoformat(), end.isoformat()])
            held = format_span(start, end)
        else:  # "พรุ่งนี้ 7 โมง": the start kept, the end asked after the name (it was two hours, unasked)
            engine.put(ctx, _start_said=start.isoformat(), _when_said=None, _day_said=None, _time_said=None,
                       _days_offered=None, _when_problem=None)
            held = f"{_day_named(to_bkk(start).date())} เริ่ม {to_bkk(start):%H:%M} น."
    raise Invalid(f"“{answer.text}” เป็นวันเวลา เก็บไว้ให้แล้วค่ะ: {held} ✅", answered=True)


_parse_title.takes_any_text = True  # type: ignore[attr-defined]


def _hours_phrase(hours: list[Any]) -> str:
    """'เวลา 07:00–08:00 น.', or 'เริ่ม 09:00 น.' for a start kept with no end ([start, None])."""
    return f"เวลา {_hours_shown(hours)}" if hours[1] is not None else f"เริ่ม {hours[0]} น."


def _hours_shown(hours: list[Any]) -> str:
    """'07:00–08:00 น.' from hours kept alone ([start, minutes])."""
    start = datetime.combine(date(2000, 1, 1), time.fromisoformat(hours[0]))
    return f"{start:%H:%M}–{start + timedelta(minutes=hours[1]):%H:%M} น."


FORM_STEPS = ("title", "when", "place", "capacity", "community")
"""The form's own steps, asked on the way (the topic, target group and fee are chosen at the preview)."""
WHEN_KEYS = ("when", "_day_said", "_time_said", "_days_offered", "_start_said")
"""Where the date step's answer, or half of it, is kept."""


def _ask_title(ctx: Ctx) -> str:
    data = engine.data(ctx)
    held = data.get("title")
    if held:
        return f"ตอนนี้ชื่อ “{held}” ค่ะ จะเปลี่ยนเป็นชื่ออะไรคะ"
    return "แล้วกิจกรรมชื่ออะไรคะ ✍️" if any(data.get(k) for k in WHEN_KEYS) else "เพิ่มกิจกรรมใหม่นะคะ ✍️ กิจกรรมชื่ออะไรคะ"


def _asking(name: str, question: str) -> Any:
    return lambda ctx: _now_answer(ctx, name) + question


def _unanswered(name: str) -> Any:
    """A step is asked on the way only while it has no answer: one changed ("ย้อนกลับ", "แก้ชื่อ") keeps the rest."""
    return lambda ctx: engine.data(ctx).get(name) in (None, "")


def _after_title(ctx: Ctx, title: str) -> None:
    """The topic and target group the title suggests; a day and time typed with it, split off to be confirmed."""
    said = title_with_when(title, ctx.now)
    found: dict[str, Any] = {}  # a name without a day: the day and hours said before stay
    if said is not None:
        title = said.title
        found = {"title": title, "_day_said": None if said.problem else said.day.isoformat(), "when": None,
                 "_when_said": [t.isoformat() for t in said.when] if said.when else None,
                 "_when_problem": said.problem, "_day_typed": None, "_time_said": None, "_start_said": None}
    engine.put(ctx, **found, **suggest_labels(ctx, title))


def _publish_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The answers as the one-line command gives them (ISO start and end, community id or None)."""
    start, end = data["when"]
    return {"title": data["title"], "place": data["place"], "capacity": int(data["capacity"]),
            "starts_at": start, "ends_at": end, "community_id": int(data.get("community") or DISTRICT_WIDE) or None,
            "topic": data.get("topic"), "target_group": data.get("target_group"), "fee_baht": data.get("fee_baht")}


@register_flow
class NewActivityFlow(Flow):
    name = "activity_new"
    title = "เพิ่มกิจกรรม"
    composes_for_others = True  # its title, place and description are what residents read
    steps = (
        Step("title", ask=_ask_title, parse=_parse_title, after=_after_title, when=_unanswered("title")),
        Step("when", ask=_ask_when, choices=_when_choices, parse=_takes_changes("when", _parse_when),
             when=_unanswered("when"), after=_after_change("when")),
        Step("place", ask=_asking("place", "จัดที่ไหนคะ"), parse=_takes_changes("place", _parse_place),
             when=_unanswered("place"), after=_after_change("place")),
        Step("capacity", ask=_asking("capacity", "รับได้กี่คนคะ แตะปุ่มหรือพิมพ์ตัวเลขได้เลย"), choices=SEAT_CHOICES,
             parse=_takes_changes("capacity", _parse_seats), when=_unanswered("capacity"),
             after=_after_change("capacity")),
        Step("community", ask=_asking("community", "เป็นกิจกรรมของชุมชนไหนคะ พิมพ์ชื่อชุมชน หรือแตะ “ทั้งเขต”"),
             choices=_community_choices, parse=_takes_changes("community", _parse_community),
             when=_unanswered("community"), after=_after_change("community")),
        # The one-line command's preview, as a step of this journey: "ย้อนกลับ" goes back to the answers.
        staff_confirm_step(lambda ctx: _ui().publish_preview(ctx, _publish_fields(engine.data(ctx)))),
        *LABEL_STEPS,
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """A name typed with the command ("เพิ่มกิจกรรม โยคะ 5 ธ.ค. 7 โมง") is the first answer."""
        if data.get("title"):
            _after_title(ctx, data["title"])
            engine.answered_at_start(ctx, "title")  # "ย้อนกลับ" at the date step: the name, to change it
        return None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        publish_activity(ctx, _publish_fields(data))
