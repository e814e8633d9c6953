"""Staff announcement journey: text → optional image or link button → audience → when → preview → confirm.

The preview is the very messages residents will receive (``broadcasts.build_messages``), followed by
a summary: who gets it, how many people, when; for a large send, the month's quota follows in a push
(LINE is asked once the event is committed: ``broadcasts.quota_task``).

A picture is sent in the chat (or its https address typed). One sent is fetched from LINE after the event
(``broadcast_photos``); the preview shows it once it is here, says so while it is still coming, and says
why it could not be kept, offering to send another or to go without it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot import replies
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.services import activities as activity_service
from bot.services import broadcast_photos, broadcasts, communities, contact, photos
from bot.services.communities import CommunityLike, community_named, community_said_alone
from bot.services.errors import ServiceError
from bot.thaidate import BKK, THAI_DIGITS, format_date, format_datetime, no_such_day, to_bkk
from nlp.entities import extract, parse_from_now, parse_when
from storage.models import Activity

NOW = "now"
ASK_TEXT = "มาเขียนประกาศกันค่ะ 📣\nพิมพ์ข้อความที่จะส่งได้เลย (ไม่เกิน 2,000 ตัวอักษร)"
ASK_EXTRA = "จะแนบรูปหรือปุ่มลิงก์ไปด้วยไหมคะ"
ASK_IMAGE = (f"ส่งรูปมาในแชตได้เลยค่ะ 📷 (JPEG หรือ PNG ไม่เกิน {photos.MAX_MB} MB) "
             "หรือวางลิงก์รูปภาพที่ขึ้นต้นด้วย https:// ก็ได้ค่ะ")
GOT_PHOTO = "ได้รับรูปแล้วค่ะ 📷 จะแสดงให้ดูในตัวอย่างก่อนส่งนะคะ"
NO_ADDRESS = "ขออภัยค่ะ ตอนนี้ยังแนบรูปจากแชตไปกับประกาศไม่ได้ (ระบบยังไม่มีที่อยู่ https ให้ LINE ดึงรูป)"
NO_PHOTO_HERE = f"{NO_ADDRESS} วางลิงก์รูปภาพที่ขึ้นต้นด้วย https:// แทน หรือแตะ “ข้าม” ได้เลยนะคะ"
ASK_LINK = "วางลิงก์ที่จะให้กดได้เลยค่ะ (ขึ้นต้นด้วย https://)"
ASK_LINK_LABEL = "ปุ่มลิงก์ให้เขียนว่าอะไรคะ (ไม่เกิน 20 ตัวอักษร) หรือแตะ “ข้าม” เพื่อใช้คำว่า “ดูรายละเอียด”"
ASK_AUDIENCE = "ส่งถึงใครคะ"
ASK_WHEN = ("ส่งเมื่อไรคะ แตะ “ส่งเลย” หรือพิมพ์เวลา เช่น “พรุ่งนี้ 9 โมง” “เสาร์นี้ บ่ายสอง” “อีก 30 นาที” "
            "หรือแตะ “เลือกวันเวลา” ค่ะ")
EXTRA_CHOICES = [Choice("ไม่ต้อง", "none"), Choice("แนบรูป", "image"), Choice("ปุ่มลิงก์", "link")]
AUDIENCE_CHOICES = [
    Choice("ทุกคน", "all"), Choice("ชุมชน", "community"), Choice("ตามบทบาท", "role"),
    Choice("ผู้ลงทะเบียนกิจกรรม", "activity"), Choice("รายชื่อสำรอง", "waitlist"), Choice("ผู้สนใจประเด็น", "topic"),
]
AUDIENCE_VALUE_ASK = {
    "community": "ชุมชนไหนคะ เลือกจากปุ่มหรือพิมพ์ชื่อชุมชนได้เลยค่ะ",
    "role": "ส่งถึงผู้ใช้บทบาทไหนคะ",
    "activity": "ผู้ลงทะเบียนกิจกรรมไหนคะ",
    "waitlist": "รายชื่อสำรองของกิจกรรมไหนคะ",
    "topic": "ผู้สนใจประเด็นไหนคะ",
}


def _data(ctx: Ctx) -> dict[str, Any]:
    return engine.data(ctx)


# --- parsers -------------------------------------------------------------------------------------

_BARE_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$", re.IGNORECASE)


def _https(what: str) -> engine.Parser:
    def parse(ctx: Ctx, answer: Answer) -> str:
        value = (answer.text or "").strip()
        if _BARE_DOMAIN.match(value):  # "www.bangkok.go.th/…" pasted without its scheme
            value = "https://" + value
        try:
            checked = broadcasts._check_url(value, what)
        except ServiceError as exc:
            raise Invalid(exc.message_th) from None
        if not checked:
            raise Invalid(f"{what}ต้องเป็นลิงก์ที่ขึ้นต้นด้วย https:// ค่ะ")
        return checked

    return parse


PHOTO = "photo:"
"""The image step's value for a picture sent in the chat: PHOTO + the BroadcastPhoto's id (else an https address)."""


def _photo_id(values: dict[str, Any]) -> int | None:
    value = str(values.get("image_url") or "")
    return int(value[len(PHOTO):]) if value.startswith(PHOTO) and value[len(PHOTO):].isdigit() else None


def _typed_image(values: dict[str, Any]) -> str | None:
    value = values.get("image_url")
    return None if not value or str(value).startswith(PHOTO) else str(value)


def _take_photo(ctx: Ctx, answer: Answer) -> str:
    """A picture sent in the chat: kept as a pending row, fetched from LINE once this event is committed."""
    message = answer.message or {}
    provider = message.get("contentProvider") or {}
    if provider.get("type") == "external":  # sent by another service: LINE has no content, it names where it is
        return _https("รูปภาพ")(ctx, Answer(kind="text", text=str(provider.get("originalContentUrl") or "")))
    if photos.links_for(ctx.settings) is None or not message.get("id"):
        raise Invalid(NO_PHOTO_HERE)
    photo = broadcast_photos.take(ctx.session, ctx.user, str(message["id"]), ctx.now)
    ctx.after_commit.append(broadcast_photos.fetch_task(photo.id))
    return f"{PHOTO}{photo.id}"


def _parse_image(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "image":
        return _take_photo(ctx, answer)
    return _https("รูปภาพ")(ctx, answer)


def _photo_quick(ctx: Ctx) -> list[dict[str, Any]]:
    return [{"type": "action", "action": {"type": "cameraRoll", "label": "เลือกรูป"}},
            {"type": "action", "action": {"type": "camera", "label": "ถ่ายรูป"}}]


def _after_image(ctx: Ctx, value: str | None) -> str | None:
    """Say a picture arrived; back to the preview if "ส่งรูปใหม่" was tapped there (which says it)."""
    then = _data(ctx).get("_photo_then")
    if then:
        engine.put(ctx, _photo_then=None)
    elif value and str(value).startswith(PHOTO):
        ctx.reply(replies.text(GOT_PHOTO))
    return then


def _after_extra(ctx: Ctx, value: str) -> None:
    if _photo_id(_data(ctx)):
        ctx.reply(replies.text(GOT_PHOTO))


NO_EXTRA = re.compile(r"(?:ไม่(?:ต้อง)?(?:แนบ|ใส่|มี|เอา)?(?:อะไร|รูป|ลิงก์|ปุ่ม|ทั้งสองอย่าง|หรือ)*(?:แล้ว|เลย|ดีกว่า)?"
                      r"|ข้าม|(?:ส่ง)?(?:แค่|เฉพาะ)ข้อความ(?:อย่างเดียว)?|ข้อความอย่างเดียว|ยืนยัน(?:ส่ง)?|ส่ง(?:ได้)?เลย)")
"""Typed for no picture and no link: "ไม่แนบ", "ไม่มี", "ไม่ต้องแนบอะไร", "แค่ข้อความ", "ยืนยันส่ง", "ส่งเลย"."""


def _no_extra_said(answer: Answer) -> bool:
    return answer.kind == "text" and (bool(NO_EXTRA.fullmatch(engine.bare_word(answer.text)))
                                      or engine.said_no(answer.text))


def _parse_extra(ctx: Ctx, answer: Answer) -> str:
    """A chip, or no attachment said in words; or a picture sent straight away, which is "แนบรูป" with this
    picture."""
    if answer.kind == "image":
        engine.put(ctx, image_url=_take_photo(ctx, answer))
        return "image"
    value = "none" if _no_extra_said(answer) else engine.one_of(EXTRA_CHOICES)(ctx, answer)
    engine.put(ctx, image_url=None)  # chosen again (after "ย้อนกลับ"): the picture is asked again, or none
    return value


USE_REQUESTED = Choice("ใช้ข้อความนี้", "requested")
"""A text offered to announce, with its audience set: a leader's request (bot.services.contact) or the
invitation to a new hearing round. Staff take it as it is, or type theirs."""


AT_THAT_TIME = Choice("ใช่ ส่งตามเวลานี้", "at_time")
AS_THE_TEXT = Choice("ไม่ใช่ เป็นข้อความ", "as_text")
TIME_SAID = "_time_said"
"""A time typed where the text is asked and one is held ("อีกครึ่งชั่วโมง" after "ประกาศถึงทุกคนว่า…"): asked about."""
TIME_TAKEN = "_time_from_text"
"""The time so said and confirmed: the "ส่งเมื่อไรคะ" step is not asked again."""
_TIME_ONLY_MAX = 24
SEND_NOW_WORDS = ("ส่งเลย", "ส่งตอนนี้", "ตอนนี้", "เดี๋ยวนี้", "ทันที", "ส่งทันที")
_DAY_ALONE = re.compile(r"(ส่ง)?(วัน)?(พรุ่งนี้|มะรืนนี้|มะรืน|(จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)(นี้|หน้า)?)")
DAY_SAID = "_day_said"
"""A day alone said and confirmed at the text step ("พรุ่งนี้"): the time is asked for that day."""


def _held_text(ctx: Ctx) -> str | None:
    return _data(ctx).get("requested") or _data(ctx).get("text")


def _time_only(ctx: Ctx, answer: Answer) -> str | None:
    """When a short reply is only a time to send at ("อีกครึ่งชั่วโมง", "พรุ่งนี้ 9 โมง"): its ISO time, else None."""
    typed = answer.text or ""
    if answer.kind != "text" or len("".join(typed.split())) > _TIME_ONLY_MAX:
        return None
    if parse_from_now(typed, ctx.now) is None and ("time" not in extract(typed, ctx.now)
                                                   or re.search(r"[A-Za-z]|\d{3,}", typed)):
        return None
    try:
        when = _parse_when(ctx, answer)
    except Invalid:
        return None
    return when if when != NOW else None


def _sends_now(answer: Answer) -> bool:
    """"ส่งเลย", "ส่งตอนนี้" alone: send now."""
    return answer.kind == "text" and engine.bare_word(answer.text) in SEND_NOW_WORDS


def _day_only(ctx: Ctx, answer: Answer) -> str | None:
    """When a reply is only a day ("พรุ่งนี้", "เสาร์นี้"): its ISO date, else None."""
    if answer.kind != "text" or not _DAY_ALONE.fullmatch(engine.bare_word(answer.text)):
        return None
    when = parse_when(answer.text or "", ctx.now)
    return when.date().isoformat() if when is not None and when > ctx.now else None


def _ask_time_said(ctx: Ctx) -> str:
    said = _data(ctx)[TIME_SAID]
    shown = (format_date(datetime.fromisoformat(said["day"]).date(), long=True) if said.get("day")
             else format_datetime(datetime.fromisoformat(said["at"])))
    return (f"จะให้ส่ง “{said['typed']}” ({shown}) ใช่ไหมคะ\n"
            f"ข้อความประกาศ: “{_held_text(ctx)}”")


def _ask_text(ctx: Ctx) -> str:
    if _data(ctx).get(TIME_SAID):
        return _ask_time_said(ctx)
    requested = _data(ctx).get("requested")
    if not requested:
        return ASK_TEXT
    audience = _data(ctx).get("audience")
    label = f"ถึง{broadcasts.audience_label(ctx.session, audience, _data(ctx).get('audience_value'))}" if audience else ""
    lead = _data(ctx).get("requested_as") or "คำขอให้ประกาศ"
    return (f"{lead}{label} 📣\n“{requested}”\n"
            f"แตะ “{USE_REQUESTED.label}” หรือพิมพ์ข้อความที่แก้แล้วได้เลยค่ะ")


def _text_choices(ctx: Ctx) -> list[Choice]:
    if _data(ctx).get(TIME_SAID):
        return [AT_THAT_TIME, AS_THE_TEXT]
    return [USE_REQUESTED] if _data(ctx).get("requested") else []


def _answer_time_said(ctx: Ctx, answer: Answer) -> str | None:
    """The answer to "จะให้ส่ง “อีกครึ่งชั่วโมง” ใช่ไหมคะ": the text held (the time kept for "ส่งเมื่อไร"), the time
    typed as the text itself, or None when something else was typed (read as usual)."""
    said = _data(ctx).get(TIME_SAID)
    engine.put(ctx, **{TIME_SAID: None})
    value = answer.value if answer.kind == "choice" else None
    if value == AT_THAT_TIME.value or (value is None and engine.said_yes(answer.text)):
        if said.get("day"):  # the day only: what time is asked at "ส่งเมื่อไรคะ"
            engine.put(ctx, **{DAY_SAID: said["day"]})
        else:
            engine.put(ctx, when=said["at"], **{TIME_TAKEN: "1"})
        return str(_held_text(ctx))
    if value == AS_THE_TEXT.value or (value is None and engine.said_no(answer.text)):
        return str(said["typed"])
    return None


def _parse_text(ctx: Ctx, answer: Answer) -> str:
    from bot.handlers.contact import names_an_audience  # the handlers import the flows

    if _data(ctx).get(TIME_SAID):
        chosen = _answer_time_said(ctx, answer)
        if chosen is not None:
            return chosen
    if answer.kind == "text" and names_an_audience(answer.text or ""):  # "ประกาศถึง…ว่า…": a new one, asked first
        raise Invalid("ข้อความนี้เหมือนสั่งประกาศใหม่ค่ะ")
    held = _held_text(ctx)
    if held and _sends_now(answer):  # "ส่งเลย" would have replaced the text: the text held, sent now
        engine.put(ctx, when=NOW, **{TIME_TAKEN: "1"})
        return str(held)
    at = _time_only(ctx, answer) if held else None
    if at is not None:  # "อีกครึ่งชั่วโมง" would have replaced the text: when to send it, asked
        engine.put(ctx, **{TIME_SAID: {"typed": (answer.text or "").strip(), "at": at}})
        raise Invalid("", answered=True)
    day = _day_only(ctx, answer) if held else None
    if day is not None:  # "พรุ่งนี้" alone: the day to send on, asked
        engine.put(ctx, **{TIME_SAID: {"typed": (answer.text or "").strip(), "day": day}})
        raise Invalid("", answered=True)
    requested = _data(ctx).get("requested")
    if requested and (answer.value == USE_REQUESTED.value if answer.kind == "choice"
                      else engine.bare_word(answer.text or "") == engine.bare_word(USE_REQUESTED.label)):
        return str(requested)
    return engine.free_text(max_len=broadcasts.MAX_TEXT)(ctx, answer)


def _audience_value_choices(ctx: Ctx) -> list[Choice]:
    kind = _data(ctx).get("audience")
    if kind == "community":
        shared = [communities.get(ctx.session, i) for i in _data(ctx).get(SHARED) or ()]
        if any(shared):  # "ลาดพร้าว" typed: the communities sharing the name
            return [Choice(communities.chip_label(c), str(c.id)) for c in shared if c]
        rows = []
        if ctx.user is not None and ctx.user.community_id:
            home = communities.get(ctx.session, ctx.user.community_id)
            if home:
                rows.append(home)
        rows += [c for c in list(communities.directory(ctx.session).values())[:8] if c not in rows]
        return [Choice(c.name, str(c.id)) for c in rows[:9]]
    if kind == "role":
        return [Choice(label, key) for key, label in broadcasts.ROLE_NAMES.items()]
    if kind in ("activity", "waitlist"):
        matched = _data(ctx).get(MATCHED)
        shown = ([a for a in (ctx.session.get(Activity, i) for i in matched) if a is not None] if matched
                 else activity_service.upcoming(ctx.session, ctx.now, limit=9))
        # The day first: a chip shows 20 characters, and two "แอโรบิกยามเช้า…" differ by their day.
        return [Choice(f"{to_bkk(a.starts_at):%-d/%-m} {a.title}", str(a.id)) for a in shown]
    if kind == "topic":
        return [Choice(name.split()[0], key) for key, name in broadcasts.TOPIC_NAMES.items()]
    return []


def _parse_audience(ctx: Ctx, answer: Answer) -> str:
    """A chip, or a community's name typed straight away ("ชุมชนโชคชัย 4": that community; "ลาดพร้าว",
    which several share: asked which next)."""
    try:
        kind = engine.one_of(AUDIENCE_CHOICES)(ctx, answer)
        engine.put(ctx, **{SHARED: None, SHARED_SAID: None})  # the usual chips for a community tapped
        return kind
    except Invalid:
        found = community_said_alone(ctx.session, answer.text) if answer.kind == "text" and answer.text else None
        if found is None:
            raise
    said = _share_name(ctx, answer.text or "", found)
    engine.put(ctx, **({SHARED_SAID: said} if said else {"_typed_community": str(found.id)}))
    return "community"


SHARED = "_communities_sharing"
"""The communities a typed name may mean ("ลาดพร้าว": ลาดพร้าว 71 … วัดลาดพร้าว …), offered as the chips."""
MAX_SHARED = replies.MAX_QUICK_ITEMS - 3
"""Beside "ย้อนกลับ" and "ยกเลิก" (a step shows at most 10 chips of its own)."""


def _share_name(ctx: Ctx, text: str, found: CommunityLike) -> str | None:
    """When several communities share the name typed: they are kept as the chips, and what to say is
    returned (it took ลาดพร้าว 71, the first, for "ลาดพร้าว")."""
    alike = communities.sharing_name(ctx.session, text, found, now=ctx.now)
    if not alike:
        return None
    engine.put(ctx, **{SHARED: [c.id for c in alike[:MAX_SHARED]]})
    note = communities.which_note(alike, MAX_SHARED, "ชุมชนที่ต้องการ")
    return f"{communities.many_named(ctx.session, text, found)}ค่ะ {note}".strip()


SHARED_SAID = "_communities_sharing_said"
"""Said before asking which, when the name was typed at the audience step."""


def _ask_audience_value(ctx: Ctx) -> str:
    kind = _data(ctx).get("audience")
    said = _data(ctx).get(SHARED_SAID) if kind == "community" else None
    ask = AUDIENCE_VALUE_ASK.get(kind, ASK_AUDIENCE)
    return f"{said}\n{ask}" if said else ask


def _after_audience(ctx: Ctx, kind: str) -> None:
    """A typed community is the audience's value too; a chip asks for the value next."""
    typed = _data(ctx).get("_typed_community")
    engine.put(ctx, _typed_community=None, audience_value=typed if kind == "community" else None, **{MATCHED: None})


MATCHED = "_activities_matched"
"""The activities a typed name matched, offered as the chips to choose from."""
_ACTIVITY_NUMBER = re.compile(r"(?:กิจกรรม)?\s*(?:ที่|เลขที่|เลข|รหัส)?\s*#?\s*(\d+)\s*(?:นะ)?(?:ค่ะ|คะ|ครับ)?")


def _activity_typed(ctx: Ctx, text: str) -> str | None:
    """An activity typed by its number ("15", "#15", "กิจกรรม ๑๕") or its name, loosely ("ตรวจตา"), among the
    upcoming and recent published ones; several of that name: asked to choose (Invalid, their chips)."""
    typed = text.strip().translate(THAI_DIGITS)
    number = _ACTIVITY_NUMBER.fullmatch(typed)
    if number:
        if ctx.session.get(Activity, int(number.group(1))) is None:
            raise Invalid(f"ไม่พบกิจกรรม #{number.group(1)} ค่ะ ดูเลขกิจกรรมได้จากการ์ดกิจกรรม "
                          "หรือเลือกจากปุ่มด้านล่างได้เลยนะคะ")
        return number.group(1)
    from bot.handlers.activities import activities_named  # the handlers import the flows

    candidates = activity_service.recent_and_upcoming(ctx.session, ctx.now)
    named = _titles_holding(typed, candidates) or activities_named(typed, candidates)
    if len(named) == 1:
        return str(named[0].id)
    if named:
        engine.put(ctx, **{MATCHED: [a.id for a in named[:9]]})
        raise Invalid(f"มี {len(named)} กิจกรรมที่ชื่อคล้าย “{text.strip()}” ค่ะ เลือกจากปุ่มด้านล่างได้เลยนะคะ")
    return None


_PARTICLE_END = re.compile(r"(?:นะ)?(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า)$")


def _titles_holding(typed: str, candidates: list[Activity]) -> list[Activity]:
    """Activities whose title holds what was typed, as it is or without a closing particle ("โยคะ", "โยคะค่ะ"):
    part of a name is no near match of the whole (it said "ไม่พบกิจกรรม “โยคะ” ค่ะ")."""
    said = "".join(typed.split()).lower()
    for part in dict.fromkeys((said, _PARTICLE_END.sub("", said))):
        if len(part) < 2:
            continue
        found = [a for a in candidates if part in "".join(a.title.split()).lower()]
        if found:
            return found
    return []


def _parse_audience_value(ctx: Ctx, answer: Answer) -> str:
    value = _audience_value(ctx, answer)
    engine.put(ctx, **{MATCHED: None, SHARED: None, SHARED_SAID: None})
    return value


def _audience_value(ctx: Ctx, answer: Answer) -> str:
    kind = _data(ctx).get("audience")
    if kind in ("activity", "waitlist") and answer.kind == "text" and answer.text:
        found = _activity_typed(ctx, answer.text)  # a number is never a chip's date ("15" is not "15/12 …")
        if found:
            return found
    try:
        return engine.one_of(_audience_value_choices)(ctx, answer)
    except Invalid:
        if answer.kind != "text" or not answer.text:
            raise
    if kind == "community":
        _one_community_only(ctx, answer.text)
        found = community_named(ctx.session, answer.text)  # loosely, as residents' answers are
        said = _share_name(ctx, answer.text, found) if found is not None else None
        if said:
            engine.put(ctx, **{SHARED_SAID: None})  # said as the reason, not again before the question
            raise Invalid(said)
        if found is not None:
            return str(found.id)
    try:
        return broadcasts.resolve_audience(ctx.session, kind, answer.text.strip()).value or ""
    except ServiceError as exc:
        if kind in ("activity", "waitlist"):
            raise Invalid(f"ไม่พบกิจกรรม “{answer.text.strip()}” ค่ะ พิมพ์ชื่อหรือเลขกิจกรรม (#12 บนการ์ด) "
                          "หรือเลือกจากปุ่มด้านล่างได้เลยนะคะ") from None
        raise Invalid(exc.message_th + " เลือกจากปุ่มด้านล่างได้เลยนะคะ") from None


_SEVERAL = re.compile(r"\s*(?:กับ|และ|แล้วก็|,|/|\+|&)\s*")


def _one_community_only(ctx: Ctx, text: str) -> None:
    """"โชคชัย4 กับ ลาดพร้าว101": an announcement goes to one community (it kept the last one, silently);
    Invalid saying so, those communities offered as the chips."""
    parts = [part for part in _SEVERAL.split(text) if part.strip()]
    if len(parts) < 2:
        return
    named = [community_said_alone(ctx.session, part) for part in parts]
    found = list({c.id: c for c in named if c is not None}.values())
    if len(found) < 2:
        return
    engine.put(ctx, **{SHARED: [c.id for c in found[:MAX_SHARED]]})
    raise Invalid(f"ประกาศหนึ่งส่งได้ทีละชุมชนค่ะ ({' และ '.join(c.name for c in found)}) "
                  "เลือกชุมชนแรกจากปุ่มด้านล่าง ส่งแล้วพิมพ์ “ประกาศ” เพื่อส่งถึงอีกชุมชนได้เลยนะคะ", answered=True)


def _parse_when(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and answer.value == NOW:
        return NOW
    when: datetime | None = None
    if answer.kind == "datetime":
        raw = answer.params.get("datetime")
        if raw:
            when = datetime.fromisoformat(raw).replace(tzinfo=BKK)
    elif answer.kind == "text" and answer.text:
        if engine.bare_word(answer.text) in SEND_NOW_WORDS:
            return NOW
        when = parse_from_now(answer.text, ctx.now)  # "อีก 30 นาที", "อีก 2 ชั่วโมง": from now, Bangkok time
        if when is None:
            when = parse_when(answer.text, ctx.now)
            found = extract(answer.text, ctx.now)
            day = _data(ctx).get(DAY_SAID)
            if when is not None and day and "time" in found and "date" not in found:  # "9 โมง" after "พรุ่งนี้"
                when = datetime.combine(datetime.fromisoformat(day).date(), when.timetz())
            if when is not None and "time" not in extract(answer.text, ctx.now):  # a day alone was sent at 00:00
                raise Invalid(f"ส่ง{format_date(when)} กี่โมงคะ พิมพ์วันพร้อมเวลาได้เลย เช่น “{answer.text.strip()} 9 โมง”")
    if when is None:
        raise Invalid(no_such_day(answer.text or "", ctx.now)
                      or "ยังอ่านวันเวลาไม่ออกค่ะ ลองพิมพ์ เช่น “พรุ่งนี้ 9 โมง” หรือแตะ “เลือกวันเวลา” นะคะ")
    if when <= ctx.now:
        raise Invalid(f"{format_datetime(when)} ผ่านไปแล้วค่ะ กรุณาเลือกเวลาข้างหน้านะคะ")
    return when.isoformat()


def _ask_when(ctx: Ctx) -> str:
    day = _data(ctx).get(DAY_SAID)
    if not day:
        return ASK_WHEN
    return (f"ส่ง{format_date(datetime.fromisoformat(day).date(), long=True)} กี่โมงคะ พิมพ์เวลาได้เลย เช่น “9 โมง” "
            "หรือแตะ “เลือกวันเวลา” ค่ะ")


def _when_quick(ctx: Ctx) -> list[dict[str, Any]]:
    return [replies.quick_datetime("เลือกวันเวลา", engine.chip_data(ctx, "picker"), "datetime")]


# --- preview -------------------------------------------------------------------------------------

def messages_for(values: dict[str, Any], photo: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """What residents will receive; ``photo``: the links to a picture sent in the chat (and its preview), once
    it is here."""
    image, preview = photo or (_typed_image(values), None)
    return broadcasts.build_messages(values.get("text") or "", image, values.get("link_url"),
                                     values.get("link_label"), preview)


def _photo(ctx: Ctx) -> tuple[tuple[str, str] | None, str | None]:
    """The links to the picture sent in the chat (and its preview), and what to tell staff while it is not
    here ((None, None) without one)."""
    photo_id = _photo_id(_data(ctx))
    if photo_id is None:
        return None, None
    photo = broadcast_photos.get(ctx.session, photo_id)
    trouble = broadcast_photos.trouble(photo)
    if trouble is None and photos.links_for(ctx.settings) is None:
        trouble = NO_ADDRESS
    return (None, trouble) if trouble else (broadcast_photos.urls(photo, photos.links_for(ctx.settings)), None)


PHOTO_AGAIN = Choice("ดูตัวอย่างอีกครั้ง", "again")
PHOTO_FIRST = Choice("ดูตัวอย่าง", "again")
"""The same, for a picture that came in the very message the preview answers."""
NEW_PHOTO = Choice("ส่งรูปใหม่", "new_photo")
NO_PHOTO = Choice("ไม่แนบรูป", "no_photo")
SEND, DONT_SEND = Choice("ยืนยันส่ง", "yes"), Choice("ไม่ส่ง", "no")


def _photo_trouble_line(trouble: str) -> str:
    if trouble == broadcast_photos.PENDING:
        return (f"{trouble} ตัวอย่างด้านบนจึงยังไม่มีรูป แตะ “{PHOTO_AGAIN.label}” ในอีกสักครู่ "
                f"หรือแตะ “{NO_PHOTO.label}” เพื่อส่งแค่ข้อความก็ได้ค่ะ")
    return f"{trouble} ส่งรูปใหม่มาในแชตได้เลย หรือแตะ “{NO_PHOTO.label}” เพื่อส่งแค่ข้อความค่ะ"


def _confirm_choices(ctx: Ctx) -> list[Choice]:
    _url, trouble = _photo(ctx)
    if trouble is None:
        return [SEND, DONT_SEND]
    if trouble != broadcast_photos.PENDING:
        return [NEW_PHOTO, NO_PHOTO, DONT_SEND]
    return [PHOTO_FIRST if _just_sent(ctx) else PHOTO_AGAIN, NO_PHOTO, DONT_SEND]


def _just_sent(ctx: Ctx) -> bool:
    """The picture came in the message being answered (it is fetched only once this event is committed)."""
    photo_id = _photo_id(_data(ctx))
    photo = broadcast_photos.get(ctx.session, photo_id) if photo_id else None
    message = (ctx.event or {}).get("message") or {}
    return photo is not None and message.get("type") == "image" and message.get("id") == photo.message_id


def _parse_confirm(ctx: Ctx, answer: Answer) -> bool | str:
    """Yes or no; with a picture sent in the chat: another picture ("ส่งรูปใหม่" or sent right here), none,
    or the preview again while it is fetched (asked again: Invalid)."""
    if answer.kind == "image":
        engine.put(ctx, image_url=_take_photo(ctx, answer))
        raise Invalid("", answered=True)
    _url, trouble = _photo(ctx)
    if answer.kind == "choice" and answer.value == NO_PHOTO.value:
        engine.put(ctx, image_url=None, extra="none")
        raise Invalid("ไม่แนบรูปแล้วค่ะ", answered=True)
    if answer.kind == "choice" and answer.value == NEW_PHOTO.value and trouble:
        return NEW_PHOTO.value
    if answer.kind == "choice" and answer.value in (PHOTO_AGAIN.value, NEW_PHOTO.value):
        raise Invalid("", answered=True)  # the preview as it is now (with the picture once it is here)
    if answer.kind == "choice" and answer.value in (SEND.value, DONT_SEND.value):
        yes = answer.value == SEND.value
    else:
        yes = engine.yes_no(ctx, answer)
    if yes and trouble:
        wait = "รอรูปจาก LINE อีกสักครู่นะคะ" if trouble == broadcast_photos.PENDING else "เพราะรูปที่แนบไว้ใช้ไม่ได้"
        raise Invalid(f"ยังส่งไม่ได้ค่ะ {wait}", answered=True)
    return yes


def _after_confirm(ctx: Ctx, value: bool | str) -> str | None:
    """"ส่งรูปใหม่": the picture step, then back to the preview (_after_image)."""
    if value == NEW_PHOTO.value:
        engine.put(ctx, _photo_then="confirm")
        return "image_url"
    return None


def _quota_line(ctx: Ctx, recipients: int, messages: list[dict[str, Any]]) -> str | None:
    """For a large send: LINE is asked for the month's quota after the event is committed, the answer pushed."""
    if recipients < broadcasts.LARGE_SEND or ctx.user is None:
        return None
    ctx.after_commit.append(broadcasts.quota_task(ctx.user.line_user_id, recipients, messages))
    return broadcasts.QUOTA_LATER


def _when_text(value: str | None) -> str:
    return "ส่งทันทีหลังยืนยัน" if value in (None, NOW) else format_datetime(datetime.fromisoformat(value))


_RELATIVE_DAYS = re.compile(r"พรุ่งนี้|มะรืน(?:นี้)?|วันนี้|คืนนี้|เมื่อวาน|(?:จันทร์|อังคาร|พุธ|พฤหัส(?:บดี)?|ศุกร์|เสาร์|อาทิตย์)"
                            r"(?:นี้|หน้า)|สัปดาห์หน้า|อาทิตย์หน้า")


def _relative_day_word(values: dict[str, Any], now: datetime) -> str | None:
    """A day word ("พรุ่งนี้", "เสาร์นี้") in an announcement sent on another day than it was written: scheduled
    for later, or a leader's request written yesterday and sent now ("written_at")."""
    when = values.get("when")
    sent_on = to_bkk(now if when in (None, NOW) else datetime.fromisoformat(when)).date()
    written_on = to_bkk(datetime.fromisoformat(values["written_at"]) if values.get("written_at") else now).date()
    if sent_on == written_on:
        return None
    found = _RELATIVE_DAYS.search(values.get("text") or "")
    return found.group() if found else None


def _preview(ctx: Ctx) -> list[dict[str, Any]]:
    values = _data(ctx)
    photo_links, trouble = _photo(ctx)
    if trouble == broadcast_photos.PENDING and _just_sent(ctx):  # it is fetched once this message is done
        return [replies.text(f"ได้รับรูปแล้วค่ะ 📷 แตะ “{PHOTO_FIRST.label}” เพื่อดูประกาศพร้อมรูปก่อนส่งนะคะ")]
    messages = messages_for(values, photo_links)
    kind, value = values.get("audience"), values.get("audience_value")
    recipients = broadcasts.estimate_recipients(ctx.session, kind, value)
    lines = ["สรุปก่อนส่งค่ะ",
             f"ถึง: {broadcasts.audience_label(ctx.session, kind, value)} ({recipients:,} คน)",
             f"เวลา: {_when_text(values.get('when'))}"]
    quota = _quota_line(ctx, recipients, messages)
    if quota:
        lines.append(quota)
    if recipients == 0:
        lines.append("⚠️ ตอนนี้ยังไม่มีผู้รับในกลุ่มนี้เลยค่ะ")
    if values.get("when") not in (None, NOW):
        late = broadcasts.after_the_activity(ctx.session, kind, value, datetime.fromisoformat(values["when"]), ctx.now)
        if late:
            lines.append(late)
    relative = _relative_day_word(values, ctx.now)
    if relative:
        written = (f" (เขียนไว้เมื่อ {format_date(to_bkk(datetime.fromisoformat(values['written_at'])))})"
                   if values.get("written_at") else "")
        read_at = "วันนี้" if values.get("when") in (None, NOW) else f"ตอน {_when_text(values.get('when'))}"
        lines.append(f"⚠️ ข้อความมีคำว่า “{relative}”{written} ผู้รับจะอ่าน{read_at} ลองใส่เป็นวันที่แทนไหมคะ")
    if trouble:
        lines.append(_photo_trouble_line(trouble))
    else:
        lines.append("ส่งประกาศนี้เลยไหมคะ" if values.get("when") in (None, NOW) else "ตั้งเวลาส่งประกาศนี้ไหมคะ")
    return [replies.text("ตัวอย่างข้อความที่ผู้รับจะเห็นค่ะ 👇"), *messages, replies.text("\n".join(lines))]


def _tell_requester(ctx: Ctx, request: int, row: Any) -> None:
    """The leader who asked for this announcement hears it went out (that request counts as answered)."""
    label = broadcasts.audience_label(ctx.session, row.audience_kind, row.audience_value)
    when = f"ตั้งเวลาส่ง {format_datetime(row.scheduled_at)} แล้ว" if row.status == "scheduled" else "ส่งแล้ว"
    try:
        contact.request_announced(ctx.session, ctx.user, int(request),
                                  f"ประกาศที่คุณขอถึง{label} {when}ค่ะ ✅ ขอบคุณที่ช่วยแจ้งข่าวนะคะ", now=ctx.now)
    except ServiceError:
        pass  # the leader unfollowed meanwhile: the announcement itself stands


@register_flow
class BroadcastFlow(Flow):
    name = "broadcast"
    title = "เขียนประกาศ"
    composes_for_others = True
    steps = (
        Step("text", ask=_ask_text, choices=_text_choices, parse=_parse_text),
        Step("extra", ask=ASK_EXTRA, choices=EXTRA_CHOICES, parse=_parse_extra, after=_after_extra,
             extra_quick=_photo_quick),
        Step("image_url", ask=ASK_IMAGE, parse=_parse_image, skippable=True, extra_quick=_photo_quick,
             after=_after_image,
             when=lambda ctx: _data(ctx).get("extra") == "image" and not _data(ctx).get("image_url")),
        Step("link_url", ask=ASK_LINK, parse=_https("ลิงก์"), when=lambda ctx: _data(ctx).get("extra") == "link"),
        Step("link_label", ask=ASK_LINK_LABEL, parse=engine.free_text(max_len=20), skippable=True,
             when=lambda ctx: _data(ctx).get("extra") == "link"),
        Step("audience", ask=ASK_AUDIENCE, choices=AUDIENCE_CHOICES, parse=_parse_audience, after=_after_audience,
             when=lambda ctx: not _data(ctx).get("audience")),
        Step("audience_value", ask=_ask_audience_value,
             choices=_audience_value_choices, parse=_parse_audience_value,
             when=lambda ctx: _data(ctx).get("audience") != "all" and not _data(ctx).get("audience_value")),
        Step("when", ask=_ask_when, choices=[Choice("ส่งเลย", NOW)], parse=_parse_when, extra_quick=_when_quick),
        Step("confirm", ask=_preview, choices=_confirm_choices, parse=_parse_confirm, after=_after_confirm),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        if ctx.user is None or not ctx.user.is_staff:
            engine.end(ctx, replies.text("การส่งประกาศสำหรับเจ้าหน้าที่เท่านั้นค่ะ"))
        return None

    def next_step(self, ctx: Ctx, after: str | None) -> Step | None:
        """As the steps say, but "ส่งเมื่อไรคะ" is not asked when the time was said at the text step."""
        step = super().next_step(ctx, after)
        if step is not None and step.name == "when" and _data(ctx).get(TIME_TAKEN) and _data(ctx).get("when"):
            return super().next_step(ctx, step.name)
        return step

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        more = [replies.quick_message("ประกาศที่ตั้งเวลาไว้"), replies.quick_message("เมนู")]
        sent_more = [replies.quick_message("รายการประกาศ"), replies.quick_message("เมนู")]
        if not data.get("confirm"):
            ctx.reply(replies.text("ไม่ส่งประกาศนี้แล้วค่ะ", quick=more))
            return
        taken_back = contact.withdrawn_at(ctx.session, data["request"]) if data.get("request") else None
        if taken_back is not None:  # the leader took the request back while this was being written
            ctx.reply(replies.text(f"ไม่ได้ส่งประกาศนี้ค่ะ ผู้ขอถอนคำขอไปแล้วเมื่อ {format_datetime(taken_back)} "
                                   "ถ้ายังต้องการประกาศ พิมพ์ “ประกาศ” เพื่อเขียนใหม่ได้เลยนะคะ", quick=more))
            return
        when = None if data.get("when") in (None, NOW) else datetime.fromisoformat(data["when"])
        row = broadcasts.create(
            ctx.session, ctx.user, text=data["text"], audience_kind=data["audience"],
            audience_value=data.get("audience_value"), image_url=_typed_image(data), photo_id=_photo_id(data),
            link_url=data.get("link_url"), link_label=data.get("link_label"), scheduled_at=when, now=ctx.now,
            created_via="chat", links=photos.links_for(ctx.settings),
        )
        label = broadcasts.audience_label(ctx.session, row.audience_kind, row.audience_value)
        if row.status == "scheduled":
            body = (f"ตั้งเวลาประกาศ #{row.id} แล้วค่ะ ⏰ จะส่งถึง{label} "
                    f"{format_datetime(row.scheduled_at)}\nยกเลิกได้ที่ “ประกาศที่ตั้งเวลาไว้” นะคะ")
        elif row.recipient_count:
            body = (f"รับประกาศ #{row.id} แล้วค่ะ ✅ กำลังทยอยส่งถึง{label} ({row.recipient_count:,} คน) "
                    "ดูยอดส่งได้ที่ “รายการประกาศ” ค่ะ")
        else:
            body = f"ประกาศ #{row.id} ไม่ได้ส่งค่ะ เพราะตอนนี้ไม่มีผู้รับในกลุ่ม{label}"
        ctx.reply(replies.text(body, quick=more if row.status == "scheduled" else sent_more))
        if data.get("request") and (row.status == "scheduled" or row.recipient_count):
            _tell_requester(ctx, data["request"], row)


__all__ = ["BroadcastFlow", "messages_for"]
