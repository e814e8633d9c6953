"""Activity journeys: sign up (how many → confirm), cancel a sign-up (confirm), change how many go (how
many), staff changes (confirm), staff checking people in at the door (codes one after another).

Diagram: activity.mmd. Words and cards live in bot/handlers/activities.py.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot import postback, replies
from bot.context import Ctx
from bot.flows import engine
from bot.flows.engine import FINISH, Answer, Choice, Flow, Invalid, Step, register_flow
from bot.handlers.activity_words import shift_said
from bot.services import activities as svc
from bot.services.errors import ServiceError
from bot.thaidate import THAI_DIGITS
from nlp.entities import parse_count

OWN_SIGNUP = "สมัครให้ตัวเอง"
"""The chip offered to a group member who tapped another member's sign-up button."""
PARTY_CHOICES = [Choice("1 คน (ไปคนเดียว)", "1")] + [Choice(f"{n} คน", str(n)) for n in range(2, 6)]
SIGNUP_CONFIRM = [Choice("ยืนยันสมัคร", "yes"), Choice("แก้จำนวนคน", "edit"), Choice("ไม่สมัครแล้ว", "no")]
CANCEL_CONFIRM = [Choice("ยืนยันยกเลิกสมัคร", "yes"), Choice("ไม่ยกเลิก", "no")]
STAFF_CONFIRM = [Choice("ยืนยัน", "yes"), Choice("ไม่ทำแล้ว", "no")]


def _ui() -> Any:
    from bot.handlers import activities as ui

    return ui


def _capacity(ctx: Ctx) -> int | None:
    """All the seats of the flow's activity (None when it is gone)."""
    try:
        return svc.get_activity(ctx.session, engine.data(ctx).get("activity_id")).capacity
    except ServiceError:
        return None


def party_choices(ctx: Ctx) -> list[Choice]:
    """"1 คน" … "5 คน", none above the activity's seats (a 4-seat activity offered "5 คน")."""
    capacity = _capacity(ctx)
    return PARTY_CHOICES if capacity is None else PARTY_CHOICES[:max(1, capacity)]


def new_party_choices(ctx: Ctx) -> list[Choice]:
    """For a change of how many go: the sizes the change accepts now (svc.party_room: fewer, or more into the
    free seats), never the size it is; a full activity offered "2 คน", refused when tapped."""
    try:
        row, room = _ui().party_room(ctx)
    except ServiceError:
        return party_choices(ctx)
    return [choice for choice in PARTY_CHOICES if int(choice.value) <= room.most and int(choice.value) != row.party_size]


def over_capacity(ctx: Ctx, party: int) -> str | None:
    """Why a party can never go, when it is bigger than all the activity's seats."""
    capacity = _capacity(ctx)
    if capacity is None or party <= capacity:
        return None
    return f"กิจกรรมนี้รับได้ทั้งหมด {capacity} คน ไป {party} คนไม่ได้ค่ะ"


def cost_asked(ctx: Ctx, answer: Answer) -> None:
    """A question about the cost typed at a sign-up's step ("ค่าสมัครเท่าไหร่คะ", "ฟรีไหมคะ", "เสียเงินไหมคะ"): the fee
    of the activity signed up for told, and the step asked again (it offered to leave, or asked for a number)."""
    from bot.handlers import activity_questions as questions

    if answer.kind != "text" or not questions.asks_cost(answer.text or ""):
        return
    try:
        activity = svc.get_activity(ctx.session, engine.data(ctx).get("activity_id"))
    except ServiceError:
        return
    raise Invalid(questions.cost_answer(activity, asks_free=bool(questions.ASKS_FREE.search(answer.text or "")),
                                        card_below=False), answered=True)


def parse_party(ctx: Ctx, answer: Answer) -> int:
    """1–10 people, no more than the activity's seats: a chip, "2", "๒", "สองคน", "ไปคนเดียว"; a question about
    the cost is answered (`cost_asked`)."""
    engine.put(ctx, over=None)
    if answer.kind == "choice":
        value: int | None = int(answer.value) if (answer.value or "").isdigit() else None
    elif answer.kind == "text" and answer.text:
        value = count_said(ctx, answer.text)
    else:
        value = None
    if value is None:
        cost_asked(ctx, answer)
    if value is None and answer.kind == "text" and ctx.conversation.flow == SignupFlow.name:
        other = _ui().other_activity_named(ctx, answer.text or "")
        if other is not None:  # "ไม่เอาแอโรบิกแล้ว เอารำไม้พลองแทน": the sign-up goes on, for that one
            _switch_activity(ctx, other)
            # Who goes is said anew: not "for mother" of the first one; counted if said ("…กับสามีและลูกสาว").
            engine.put(ctx, for_whom=None, _switched=True)
            counted = _ui().party_in_sentence(answer.text or "")
            return counted if counted is not None and not over_capacity(ctx, counted) else SWITCHED
    if value is None and answer.kind == "text" and re.search(r"กับ|พร้อม|พา", answer.text or ""):
        raise Invalid("ไปกันทั้งหมดกี่คนคะ (รวมตัวคุณเองด้วย) พิมพ์ตัวเลขได้เลยค่ะ เช่น 3")
    if value is None or not 1 <= value <= svc.MAX_PARTY:
        raise Invalid(f"ขอเป็นจำนวนคน 1–{svc.MAX_PARTY} คนนะคะ เช่น 2 (รวมตัวคุณเองด้วยค่ะ)")
    too_many = over_capacity(ctx, value)
    if too_many:
        raise Invalid(f"{too_many} ลองลดจำนวนผู้ติดตามนะคะ")
    return value


def count_said(ctx: Ctx, text: str) -> int | None:
    """Everyone going, from what was typed at a sign-up's question: a count or the companions (`party_said`), or
    people added ("เพิ่มลูกสาวค่ะ", "เพิ่มอีกคน") to those going now; when changing a sign-up, anyone said to come
    along ("พาสามีไปด้วย") is one more than signed up."""
    added = added_said(text)
    if added and ctx.conversation.flow == PartyChangeFlow.name:
        return _going_now(ctx) + added
    value = party_said(text)
    return _going_now(ctx) + added if value is None and added else value


def _going_now(ctx: Ctx) -> int:
    """How many go before more are added: the sign-up's party when changing it, else the count the summary
    showed (tapped "แก้จำนวนคน"), else the speaker alone."""
    data = engine.data(ctx)
    if ctx.conversation.flow == PartyChangeFlow.name:
        try:
            return svc.live_signup(ctx.session, ctx.user, svc.get_activity(ctx.session, data.get("activity_id"))).party_size
        except ServiceError:
            return 1
    try:
        return max(1, int(data.get("party") or 1))
    except (TypeError, ValueError):
        return 1


SWITCHED = 0
"""parse_party's value when another activity was named instead of a count: the step is asked again for it."""


def _switch_activity(ctx: Ctx, other: Any) -> None:
    """The sign-up goes on for `other`, if it can (open, not already signed up for); else Invalid says why."""
    try:
        activity, _, existing = svc.activity_seen_by(ctx.session, other.id, ctx.user.id)
        svc.check_open(activity, ctx.now)
    except ServiceError as exc:
        raise Invalid(exc.message_th) from exc
    if existing is not None and existing.status in svc.ACTIVE:
        raise Invalid(f"คุณสมัคร “{activity.title}” ไว้แล้วค่ะ ส่วนกิจกรรมนี้ไปกี่คนคะ")
    engine.put(ctx, activity_id=activity.id, over=None)


def _after_party(ctx: Ctx, value: int) -> str | None:
    if not engine.data(ctx).get("_switched"):
        return None
    engine.put(ctx, _switched=None)
    activity = svc.get_activity(ctx.session, engine.data(ctx).get("activity_id"))
    ctx.reply(replies.text(f"เปลี่ยนเป็น “{activity.title}” แทนนะคะ"))
    if value != SWITCHED:  # the count came with the other activity: on to the summary
        return None
    engine.put(ctx, party=None)
    return "party"


def ask_party_again(ctx: Ctx, data: dict[str, Any]) -> str | None:
    """A party said with the request that can never fit: kept as "over" (the question says why) and asked again."""
    party = data.get("party")
    try:
        too_many = over_capacity(ctx, int(party)) if party is not None else None
    except (TypeError, ValueError):
        too_many = None
    if not too_many:
        return None
    data["over"] = too_many
    data.pop("party", None)
    return "party"


ONE_PERSON = ("ลูกสาว", "ลูกชาย", "ลูกเขย", "ลูกสะใภ้", "หลานสาว", "หลานชาย", "แม่", "พ่อ", "สามี", "ภรรยา", "ภริยา",
              "แฟน", "ยาย", "ตา", "ปู่", "ย่า", "พี่สาว", "พี่ชาย", "น้องสาว", "น้องชาย", "ป้า", "ลุง", "น้า", "อา",
              "ผู้ดูแล")
"""Words for one companion. Not ลูก, หลาน, เพื่อน, พี่, น้อง alone: they as often mean several."""
_NUMBER = r"(?P<n>[0-9]+|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)"
_MORE_PEOPLE = re.compile(r"(?P<head>.*?)อีก" + _NUMBER + r"?(?:คน|ท่าน)(?P<tail>.*)")
"""'…หลานอีก 2 คน': N people beyond those already named (and the speaker); 'หลานอีกคน' is one."""
_JOINED = re.compile(r"และ|กับ|พร้อม(?:กับ|ด้วย)?|พา|,")
_SPEAKER = re.compile(r"(?:จะ|ขอ)?(?:ผม|ฉัน|ดิฉัน|หนู|เรา|ชั้น)?(?:จะ|ขอ)?(?:ไป|มา)?(?:ด้วย)?")
"""What may come before the first companion: the speaker ("ผมกับ…", "ไปกับ…", "พา…")."""
_TAIL = re.compile(r"(?:ไป)?(?:ด้วย)?(?:กัน)?(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า|นะ)*")


def _one_person(word: str) -> bool:
    """'สามี', 'คุณแม่', 'ลูกสาวไปด้วยค่ะ': one companion word (ONE_PERSON), with its particles."""
    word = word.removeprefix("คุณ")
    for end in range(len(word), 0, -1):
        if word[:end] in ONE_PERSON and _TAIL.fullmatch(word[end:]):
            return True
    return False


def companions_said(text: str, speaker_first: bool = True) -> int | None:
    """Everyone going, from the companions named: "ไปกับแม่และลูกสาว" → 3, "ไปกับสามีและหลานอีก 2 คน" → 4,
    "ผมกับเพื่อนอีกสามคน" → 4 (the speaker, each one-person word, and the N of "อีก N คน"). None when unsure
    ("ไปกับสามีและลูก", "ไปกับสามีอีก 2 คน"): asking beats storing a wrong number. With speaker_first=False
    anything may come before the first companion (a sign-up sentence names the activity there)."""
    said = "".join((text or "").translate(THAI_DIGITS).split())
    more = _MORE_PEOPLE.fullmatch(said)
    if more is not None:
        if not _TAIL.fullmatch(more["tail"]):
            return None
        extra = 1 if more["n"] is None else int(more["n"]) if more["n"].isdigit() else parse_count(more["n"] + "คน")
        parts = _JOINED.split(more["head"])
        if extra is None or len(parts) > 1 and parts[-1].removeprefix("คุณ") in ONE_PERSON:
            return None  # "สามีอีก 2 คน": two with him, or two besides him?
        named = parts[1:-1]  # the last part is who the "อีก N คน" are (หลาน, เพื่อน, or nothing)
    else:
        extra = 0
        parts = _JOINED.split(said)
        named = parts[1:]
        if not named:
            return None
    if speaker_first and not _SPEAKER.fullmatch(parts[0]):
        return None
    if not all(_one_person(word) for word in named):
        return None
    return 1 + len(named) + int(extra)


_COMES_ALONG = re.compile(r"(?P<who>\S+?)(?:จะ|ขอ|ก็)*(?:ตาม)?(?:ไป|มา)ด้วย(?:กัน)?(?P<tail>.*)")
"""'ลูกสาวจะไปด้วยค่ะ', 'คุณแม่จะตามไปด้วยนะคะ': one companion going along with the speaker."""


def comes_along(text: str) -> bool:
    """Whether the text says one person (ONE_PERSON) goes along, and nothing more: two go."""
    found = _COMES_ALONG.fullmatch("".join((text or "").split()))
    return bool(found and found["who"].removeprefix("คุณ") in ONE_PERSON and _TAIL.fullmatch(found["tail"]))


_ADDING = re.compile(r"(?:ขอ|จะ|ช่วย)*(?P<verb>เพิ่ม|พา)(?P<rest>.+)")
_ADDED_COUNT = re.compile(r"(?P<who>\D*?)(?:อีก)?" + _NUMBER + r"?(?:คน|ท่าน)(?P<tail>.*)")
KIN_SEVERAL = ("ลูก", "หลาน", "เพื่อน", "พี่", "น้อง", "ญาติ")
"""Who may be added by a number ("เพิ่มหลานอีก 2 คน"): words that as often mean several (not ONE_PERSON)."""


def added_said(text: str) -> int | None:
    """How many people the text adds to those going: "เพิ่มลูกสาวค่ะ", "เพิ่มอีกคน", "พาสามีไปด้วย",
    "ลูกสาวจะไปด้วยค่ะ" → 1, "เพิ่มหลานอีก 2 คน" → 2. None when it adds no one it names or counts, or says the
    new number itself ("เพิ่มเป็น 3 คน")."""
    said = "".join((text or "").translate(THAI_DIGITS).split())
    if comes_along(said):
        return 1
    adding = _ADDING.fullmatch(said)
    if adding is None:
        return None
    rest = adding["rest"].removeprefix("อีก")
    if _one_person(rest):  # "เพิ่มลูกสาวค่ะ", "พาสามีไปด้วย"
        return 1
    counted = _ADDED_COUNT.fullmatch(rest) if adding["verb"] == "เพิ่ม" else None
    if counted is None or not _TAIL.fullmatch(counted["tail"]):
        return None
    who, n = counted["who"].removeprefix("คุณ"), counted["n"]
    count = 1 if n is None else int(n) if n.isdigit() else parse_count(n + "คน")
    if who and who not in KIN_SEVERAL and who not in ONE_PERSON:
        return None  # "เพิ่มเป็น 3 คน": the new number itself
    return None if who in ONE_PERSON and count != 1 else count  # "เพิ่มสามีอีก 2 คน": unsure


_NUMBERED_REF = re.compile(r"(?:ข้อ|หมวด)\s*(?:ที่)?\s*[0-9๐-๙]+(?:\s*(?:,|และ|ถึง|-|–|\s)\s*(?:ข้อ\s*)?[0-9๐-๙]+)*")
"""A charter clause or section named by its number ("ข้อ1,2", "หมวด 2"): never a head count ("เห็นด้วยข้อ1,2ค่ะ" typed at
"ไปกี่คนคะ" was signed up for 1 person, the stance lost)."""


def party_said(text: str) -> int | None:
    """A head count ("2", "ไปกับหลานสองคน", "ไปคนเดียว"), or everyone going from the companions named:
    "ไปกับลูกสาวค่ะ", "พาแม่ไปด้วย" → 2, "ไปกับแม่และลูกสาว" → 3, "ไปกับสามีและหลานอีก 2 คน" → 4.
    "ไปกับหลานๆ", "ไปกับลูกและหลาน": no count (asked); numbers of clauses or sections ("ข้อ 1, 2") are none."""
    text = _NUMBERED_REF.sub(" ", text or "")
    if _MORE_PEOPLE.fullmatch("".join((text or "").translate(THAI_DIGITS).split())):
        return companions_said(text)  # "…อีก 2 คน" is not everyone
    count = count_in(text)  # "ไปกับหลานสองคน": the number is everyone
    if count is not None:
        return count
    if comes_along(text):  # "ลูกสาวจะไปด้วยค่ะ": she and the speaker
        return 2
    return companions_said(text) or people_listed(text)


SELF = ("ตัวเอง", "ฉัน", "ดิฉัน", "ผม", "หนู", "เรา", "ชั้น", "ยาย", "ป้า", "ตา", "ลุง")
"""The speaker, as she may name herself in a list of who goes ("ตัวเอง สามี ลูกสาวค่ะ")."""


def people_listed(text: str) -> int | None:
    """Everyone going, named one by one: "ตัวเอง สามี ลูกสาวค่ะ" → 3 (each one person, one of them the speaker).
    None unless every name is one person and the speaker is among them."""
    names = [n for n in re.split(r"[\s,]+|และ|กับ", (text or "").strip()) if n]
    if len(names) < 2:
        return None
    plain = [re.sub(r"(?:ค่ะ|คะ|ครับ|จ้ะ|จ้า|นะ)+$", "", n).removeprefix("คุณ") for n in names]
    if plain[0] not in SELF or not all(n in ONE_PERSON or n in SELF for n in plain[1:]):
        return None
    return len(plain)


def count_in(text: str) -> int | None:
    text = (text or "").translate(THAI_DIGITS)
    value = parse_count(text)
    if value is not None:
        return int(value)
    match = re.search(r"\d+", text)
    return int(match.group()) if match else None


# --- resident: sign up ---------------------------------------------------------------------------

def _parse_signup_confirm(ctx: Ctx, answer: Answer) -> str:
    """A chip, a yes or no typed, or a new head count said instead ("ไปกับหลานสองคน", "แก้เป็น 3 คน"):
    the count is taken and the summary shown again (it was "ตอบ ใช่ หรือ ไม่ใช่ ได้เลยค่ะ"); so is one said after
    a no ("ไม่ใช่ค่ะ ไป 3 คน"), which does not end the sign-up. A question about the cost is answered (`cost_asked`)."""
    cost_asked(ctx, answer)
    rest = engine.no_and_more(answer.text) if answer.kind == "text" else None
    count = party_said(rest) if rest and re.search(r"คน|ท่าน|[0-9๐-๙]", rest) else None
    if count is None or not 1 <= count <= svc.MAX_PARTY:
        try:
            return engine.one_of_or_yes_no(SIGNUP_CONFIRM)(ctx, answer)
        except Invalid:
            count = _count_at_summary(ctx, answer.text or "") if answer.kind == "text" else None
            if count is None or not 1 <= count <= svc.MAX_PARTY:
                raise
    too_many = over_capacity(ctx, count)
    if too_many:
        raise Invalid(f"{too_many} ลองลดจำนวนผู้ติดตามนะคะ")
    engine.put(ctx, party=count)
    return RECOUNT


RECOUNT = "recount"


_TAKING_ALONG = re.compile(r"\s*(?:ขอ|จะ|ช่วย)*\s*พา")
"""'พาแม่ไปด้วยค่ะ': who the speaker goes with, said again at the summary (the count again, not one more)."""


def _count_at_summary(ctx: Ctx, text: str) -> int | None:
    """Everyone going, from what was typed at the sign-up's summary: anyone added ("ลูกชายไปด้วยค่ะ", "เพิ่มลูกสาว")
    joins the count it shows (it was 2 with the speaker, whatever the summary said); else `count_said`."""
    added = added_said(text) if not _TAKING_ALONG.match(text) else None
    return _going_now(ctx) + added if added else count_said(ctx, text)


def _after_signup_confirm(ctx: Ctx, value: str) -> str | None:
    if value == "edit":
        return "party"
    if value == RECOUNT:
        return "confirm"
    if value == "no":
        engine.end(ctx, _ui().not_signed_up_message(ctx))
        return None
    if value == "yes":  # seats cut since the summary, below this party: how many, again (never a waitlist)
        data = dict(engine.data(ctx))
        if ask_party_again(ctx, data):
            engine.put(ctx, over=data["over"], party=None)
            return "party"
    return FINISH


@register_flow
class SignupFlow(Flow):
    name = "activity_signup"
    title = "สมัครกิจกรรม"
    cancelled_text = "ออกจากการสมัครแล้วค่ะ กิจกรรมนี้ยังไม่ได้สมัครไว้นะคะ"
    """Not "ยกเลิกสมัครกิจกรรมแล้วค่ะ", which reads as a sign-up cancelled, nor "ยังไม่ได้สมัครอะไรไว้", false
    for someone with other sign-ups: only this activity's."""
    requires_consent = True
    yes_no_steps = frozenset({"confirm"})  # "ยืนยันการสมัครไหมคะ": requests typed there are answered or kept
    quit_words = frozenset({"ไม่ไปแล้ว", "ไม่ไปละ", "ไม่ไปดีกว่า", "ไม่ไป", "ไม่สมัครแล้ว", "ไม่สมัครละ", "ไม่สมัคร",
                            "ไม่สมัครดีกว่า", "ไม่เอาแล้ว", "ไม่เอาละ", "เปลี่ยนใจไม่ไปแล้ว", "ไม่ไปแล้วดีกว่า"})
    steps = (
        Step("party", ask=lambda ctx: _ui().ask_party(ctx), choices=party_choices, parse=parse_party,
             after=_after_party),
        Step("confirm", ask=lambda ctx: _ui().ask_signup_confirm(ctx), choices=SIGNUP_CONFIRM,
             parse=_parse_signup_confirm, after=_after_signup_confirm),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        try:
            activity, _, existing = svc.activity_seen_by(ctx.session, data.get("activity_id"), ctx.user.id)
            svc.check_open(activity, ctx.now)
        except ServiceError as exc:
            engine.end(ctx, _ui().closed_with_others(ctx, exc.message_th, data.get("activity_id")) if exc.final
                       else _ui().problem(ctx, exc.message_th))
            return None
        if existing is not None and existing.status in svc.ACTIVE:
            party = data.get("party")
            if isinstance(party, int) and party != existing.party_size and 1 <= party <= svc.MAX_PARTY:
                # signing up again with more (or fewer) people: said so, and the change offered instead
                engine.end(ctx, replies.text(f"คุณสมัคร “{activity.title}” ไว้แล้วค่ะ ({existing.party_size} คน)"))
                engine.start(ctx, "activity_party", {"activity_id": activity.id, "party": party})
                return None
            engine.end(ctx, _ui().already_message(ctx, existing))
            return None
        if ask_party_again(ctx, data):
            return "party"
        party = data.get("party")
        if party is not None:
            try:
                data["party"] = max(1, min(int(party), svc.MAX_PARTY))
                return "confirm"
            except (TypeError, ValueError):
                data.pop("party", None)
        return None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        row = svc.signup(ctx.session, ctx.user, int(data["activity_id"]), int(data.get("party") or 1), now=ctx.now)
        ctx.reply(*_ui().signup_result(ctx, row))

    def offered_to_others(self, ctx: Ctx, data: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """The same activity, to sign up for themselves (while it takes sign-ups)."""
        try:
            activity = svc.get_activity(ctx.session, data.get("activity_id"))
            svc.check_open(activity, ctx.now)
        except ServiceError:
            return None
        chip = replies.quick_postback(OWN_SIGNUP, postback.encode("activity.signup", id=activity.id),
                                      f"ขอสมัคร “{activity.title}” ด้วยค่ะ")
        return f"ถ้าอยากสมัคร “{activity.title}” ด้วย แตะ “{OWN_SIGNUP}” ได้เลยค่ะ", chip

    def refused(self, ctx: Ctx, data: dict[str, Any], reason: str) -> None:
        """Started or closed while the summary waited: why, and the activities still open (it asked the summary
        again, "ยังมีที่ว่าง 10 ที่ค่ะ", round and round)."""
        ctx.reply(_ui().closed_with_others(ctx, reason, data.get("activity_id")))


# --- resident: cancel a sign-up ------------------------------------------------------------------

def _has_live_signup(ctx: Ctx, data: dict[str, Any]) -> bool:
    """Whether the user holds a live sign-up for the flow's activity; if not, the flow ends saying why."""
    try:
        svc.live_signup(ctx.session, ctx.user, svc.get_activity(ctx.session, data.get("activity_id")))
    except ServiceError as exc:
        engine.end(ctx, _ui().problem(ctx, exc.message_th))
        return False
    return True


FEWER = "fewer"


def _parse_cancel_confirm(ctx: Ctx, answer: Answer) -> str:
    """Yes or no; or fewer people said instead ("ไม่ใช่ค่ะ แค่ลดเหลือ 1 คน", "เอ่อ เดี๋ยวนะคะ ไปแค่ 2 คนได้ไหม"):
    the sign-up is kept, and changing how many go is asked instead (it was "แตะปุ่มด้านล่าง…")."""
    parse = engine.one_of_or_yes_no(CANCEL_CONFIRM)
    if answer.kind != "text":
        return parse(ctx, answer)
    if _ui().not_cancelling(answer.text or ""):  # "ยังไปอยู่ ไม่ยกเลิกค่ะ"
        return "no"
    said = engine.no_and_more(answer.text) or answer.text or ""
    count = party_said(said) if re.search(r"คน|ท่าน", said) else None
    if count is None or not 1 <= count <= svc.MAX_PARTY:
        return parse(ctx, answer)
    engine.put(ctx, party=count)
    return FEWER


def _after_cancel_confirm(ctx: Ctx, value: str) -> str | None:
    if value == FEWER:
        data = engine.data(ctx)
        engine.end(ctx)
        ctx.then_say = None
        engine.start(ctx, "activity_party", {"activity_id": data.get("activity_id"), "party": data.get("party")})
        return None
    if value != "yes":
        engine.end(ctx, _ui().kept_message(ctx))
        return None
    return FINISH


@register_flow
class CancelSignupFlow(Flow):
    name = "activity_cancel"
    title = "ยกเลิกการสมัครกิจกรรม"
    own_way_out = True
    steps = (
        Step("confirm", ask=lambda ctx: _ui().ask_cancel_confirm(ctx), choices=CANCEL_CONFIRM,
             parse=_parse_cancel_confirm, after=_after_cancel_confirm),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        if not _has_live_signup(ctx, data):
            return None
        activity = svc.get_activity(ctx.session, data.get("activity_id"))
        try:  # checked in, or started: said now, not after "ยืนยันยกเลิกสมัคร"
            svc.check_cancellable(activity, svc.live_signup(ctx.session, ctx.user, activity), ctx.now)
        except ServiceError as exc:
            engine.end(ctx, _ui().problem(ctx, exc.message_th))
        return None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        result = svc.cancel_signup(ctx.session, ctx.user, int(data["activity_id"]), now=ctx.now)
        ctx.reply(_ui().cancelled_message(ctx, result))


# --- resident: change how many people go ------------------------------------------------------------

PARTY_CONFIRM = [Choice("ใช่ เปลี่ยนเลย", "yes"), Choice("แก้จำนวน", "edit"), Choice("ไม่เปลี่ยน", "no")]


def _after_party_confirm(ctx: Ctx, value: str) -> str | None:
    if value == "edit":
        return "party"
    if value == "no":
        engine.end(ctx, _ui().kept_message(ctx))
        return None
    return FINISH

def _parse_party_confirm(ctx: Ctx, answer: Answer) -> str:
    """A chip or a yes/no; or a head count typed instead ("ขอเพิ่มเป็น ๒ คน", "เพิ่มอีกคนค่ะ", "ไม่ใช่ ไป 3 คน"):
    that number replaces the one asked about and is the answer (it was "แตะปุ่มด้านล่าง…", or leaving asked)."""
    parse = engine.one_of_or_yes_no(PARTY_CONFIRM)
    if answer.kind != "text":
        return parse(ctx, answer)
    said = engine.no_and_more(answer.text) or answer.text or ""
    row = svc.live_signup(ctx.session, ctx.user, svc.get_activity(ctx.session, engine.data(ctx).get("activity_id")))
    count = _ui().party_in_reply(said, row.party_size) if row is not None else None
    added = added_said(said) if count is None and row is not None else None
    count = row.party_size + added if added else count  # "เพิ่มลูกสาวค่ะ": one more than signed up
    if count is None or not 1 <= count <= svc.MAX_PARTY:
        return parse(ctx, answer)
    if count == row.party_size:  # "ไม่ใช่ ไปคนเดียวเหมือนเดิม": nothing to change
        return "no"
    engine.put(ctx, party=count)
    return "yes"


@register_flow
class PartyChangeFlow(Flow):
    name = "activity_party"
    title = "แก้จำนวนคนที่สมัคร"
    cancelled_text = "ได้ค่ะ ไม่เปลี่ยนจำนวนคน ยังสมัครไว้เหมือนเดิมนะคะ"
    steps = (
        Step("party", ask=lambda ctx: _ui().ask_new_party(ctx), choices=new_party_choices, parse=parse_party,
             after=lambda ctx, _: FINISH),
        Step("confirm", ask=lambda ctx: _ui().ask_party_confirm(ctx), choices=PARTY_CONFIRM,
             parse=_parse_party_confirm, after=_after_party_confirm),
    )

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        if not _has_live_signup(ctx, data):
            return None
        activity = svc.get_activity(ctx.session, data.get("activity_id"))
        try:  # checked in, or started: said now, not after the number
            svc.check_party_changeable(activity, svc.live_signup(ctx.session, ctx.user, activity), ctx.now)
        except ServiceError as exc:
            engine.end(ctx, _ui().problem(ctx, exc.message_th))
            return None
        row, room = _ui().party_room(ctx)
        if svc.party_fixed(row, room):  # no fewer, no more: nothing to ask (and no button on the card)
            engine.end(ctx, _ui().no_room_message(ctx, row, room))
            return None
        if ask_party_again(ctx, data):
            return "party"
        party = int(data.get("party") or 0)
        if room.why_no_more is not None and party > max(row.party_size, room.most):
            data["over"] = room.why_no_more.message_th  # said at once, and how many may go asked again
            data.pop("party", None)
            return "party"
        # The number came with a sentence ("เพิ่มลูกอีก 1 คน"): said back to confirm, as a misread one would
        # give seats away to the waitlist.
        return "confirm" if data.get("party") else None

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        change = svc.change_party(ctx.session, ctx.user, int(data["activity_id"]), int(data["party"]), now=ctx.now)
        ctx.reply(_ui().party_changed_message(ctx, change))


# --- staff: publish, reschedule, cancel (one confirm step; the command parsed the details) -------

NOT_SET = "none"
CHANGE_LABELS = [Choice("เปลี่ยนหัวข้อ", "topic"), Choice("เปลี่ยนกลุ่มเป้าหมาย", "target_group"),
                 Choice("ค่าสมัคร", "fee_baht")]
"""At a new activity's preview: the topic and target group suggested from its title, and the fee, changed in a
step each."""


def _publishing(ctx: Ctx) -> bool:
    flow = engine.active_flow(ctx)
    return engine.data(ctx).get("op") == "publish" or (flow is not None and flow.name == "activity_new")


def _staff_confirm_choices(ctx: Ctx) -> list[Choice]:
    return STAFF_CONFIRM + (CHANGE_LABELS if _publishing(ctx) else [])


def _label_step(name: str, ask: str, choices: Any) -> Step:
    """Choose a new activity's topic or target group (or none), then the preview again."""
    def parse(ctx: Ctx, answer: Answer) -> str | None:
        value = engine.one_of(choices)(ctx, answer)
        engine.put(ctx, _chosen=sorted({*engine.data(ctx).get("_chosen", []), name}))  # kept if the title changes
        return None if value == NOT_SET else value

    return Step(name, ask=ask, choices=choices, parse=parse, when=lambda ctx: False, after=lambda ctx, _: "confirm")


def suggest_labels(ctx: Ctx, title: str) -> dict[str, Any]:
    """The topic and target group a (new) title suggests, but not over one staff chose at the preview."""
    chosen = engine.data(ctx).get("_chosen") or []
    return {k: v for k, v in svc.suggested_labels(title).items() if k not in chosen}


def _topic_choices(ctx: Ctx) -> list[Choice]:
    from bot.services.ideas import topic_short

    return [Choice(topic_short(key), key) for key in svc.reference_names("topics")] + [Choice("ไม่ระบุ", NOT_SET)]


def _group_choices(ctx: Ctx) -> list[Choice]:
    return ([Choice(name, key) for key, name in svc.reference_names("target_groups").items()]
            + [Choice("ทุกกลุ่ม", NOT_SET)])


FEE_CHOICES = [Choice("ฟรี", "0"), Choice("ไม่ระบุ", NOT_SET)]


def _ask_fee(ctx: Ctx) -> str:
    held = engine.data(ctx).get("fee_baht")
    now = f"ตอนนี้: {_ui().fee_shown(held)}\n" if held is not None else ""
    return now + "ค่าสมัครเท่าไหร่คะ พิมพ์จำนวนบาทได้เลย เช่น “20 บาท” หรือแตะ “ฟรี” ค่ะ"


def _parse_fee(ctx: Ctx, answer: Answer) -> int | None:
    """A chip ("ฟรี", "ไม่ระบุ") or the fee typed ("๒๐ บาท", "ห้าสิบบาท", "ฟรีค่ะ"): baht, None when not stated."""
    if answer.kind == "choice" and answer.value in {c.value for c in FEE_CHOICES}:
        return None if answer.value == NOT_SET else int(answer.value or 0)
    try:
        return svc.parse_fee(answer.text if answer.kind == "text" else None)
    except ServiceError as exc:
        raise Invalid(exc.message_th) from None


FEE_STEP = Step("fee_baht", ask=_ask_fee, choices=FEE_CHOICES, parse=_parse_fee, when=lambda ctx: False,
                after=lambda ctx, _: "confirm")
"""The fee of a new activity, from the preview's "ค่าสมัคร" chip (or typed there: "ค่าสมัคร 20 บาท", "ฟรี")."""

LABEL_STEPS = (
    _label_step("topic", "กิจกรรมนี้เป็นเรื่องอะไรคะ เลือกหัวข้อได้เลย ผู้ที่ค้นหาตามเรื่องจะได้เจอกิจกรรมนี้ค่ะ",
                _topic_choices),
    _label_step("target_group", "กิจกรรมนี้เหมาะกับกลุ่มไหนคะ เลือกได้เลย หรือแตะ “ทุกกลุ่ม” ค่ะ", _group_choices),
    FEE_STEP,
)
"""After the preview in staff's publishing journeys, reached only from its chips."""


def _after_staff_confirm(ctx: Ctx, value: str) -> str | None:
    if value == RECOUNT:
        return "confirm"  # new times: the preview again
    flow = engine.active_flow(ctx)
    if value in ("topic", "target_group", "fee_baht") or (flow is not None and value != "confirm"
                                              and value in {step.name for step in flow.steps}):
        return value  # a step to ask again ("แก้ชื่อ" in the step-by-step form), then the preview
    if value != "yes":
        note = _ui().staff_not_done(ctx, engine.data(ctx))
        engine.end(ctx, _ui().problem(ctx, note or "ไม่ได้เปลี่ยนแปลงอะไรค่ะ"))
        return None
    return FINISH


STAFF_ASK_AGAIN = "แตะ “ยืนยัน” หรือ “ไม่ทำแล้ว” หรือพิมพ์วันเวลาใหม่ เช่น “พรุ่งนี้ 10 โมงครึ่ง” ได้เลยค่ะ"


def _parse_staff_confirm(ctx: Ctx, answer: Answer) -> str:
    """ยืนยัน / ไม่ทำแล้ว, or, for a new or moved activity, other times typed at the preview ("พรุ่งนี้ 10 โมงครึ่ง"):
    taken, and the preview shown again (it was "ตอบ ใช่ หรือ ไม่ใช่ ได้เลยค่ะ")."""
    if answer.kind == "choice" and _publishing(ctx) and answer.value in {c.value for c in CHANGE_LABELS}:
        return answer.value or ""
    if answer.kind == "text" and _publishing(ctx):
        try:  # "แก้ชื่อเป็น โยคะผู้สูงอายุ": that field changed, the preview again
            changed = _ui().publish_change(ctx, answer.text or "")
        except ServiceError as exc:
            raise Invalid(exc.message_th, answered=True) from None
        if changed is not None:
            return changed
    rest = engine.no_and_more(answer.text) if answer.kind == "text" else None
    timed = engine.data(ctx).get("op") in ("publish", "reschedule")
    try:
        if rest:  # "ไม่ใช่ค่ะ พรุ่งนี้ 10 โมง": other times, or asked again; never a no that drops what staff typed
            raise Invalid(STAFF_ASK_AGAIN)
        return engine.one_of_or_yes_no(STAFF_CONFIRM)(ctx, answer)
    except Invalid:
        if answer.kind != "text" or not timed:
            raise
        data = engine.data(ctx)
        shown = datetime.fromisoformat(data["starts_at"]), datetime.fromisoformat(data["ends_at"])
        typed = rest or answer.text or ""
        by = shift_said(typed)  # "ออกไปอีก 1 ชั่วโมง": the times the preview shows, moved by that much
        try:  # what is not said stays as the preview shows it ("29 ธ.ค." keeps its hours)
            start, end = (svc.moved_by(shown, by, now=ctx.now) if by is not None
                          else _ui().parse_move(typed, ctx.now, *shown))
        except ServiceError as exc:  # not a time at all: the choices; a wrong or past one: why (ไม่มีวันที่ 31 พ.ย.)
            unread = exc.message_th == _ui().BAD_TIME
            raise Invalid(STAFF_ASK_AGAIN if unread else exc.message_th) from None
    engine.put(ctx, starts_at=start.isoformat(), ends_at=end.isoformat())
    return RECOUNT


def staff_confirm_step(ask: Any) -> Step:
    """The last step of staff's activity journeys: the preview `ask` writes, then ยืนยัน / ไม่ทำแล้ว."""
    return Step("confirm", ask=ask, choices=_staff_confirm_choices, parse=_parse_staff_confirm,
                after=_after_staff_confirm)


def _times(data: dict[str, Any]) -> dict[str, datetime]:
    """The ISO start, end and sign-up deadline a staff journey carries, as datetimes."""
    return {k: datetime.fromisoformat(v) for k, v in data.items()
            if k in ("starts_at", "ends_at", "signup_deadline") and v}


def publish_activity(ctx: Ctx, data: dict[str, Any]) -> None:
    """Publish what staff confirmed (title, place, capacity, community_id, fee, ISO start and end) and say so."""
    activity = svc.publish(ctx.session, ctx.user, now=ctx.now, title=data["title"], place=data.get("place"),
                           capacity=int(data["capacity"]), community=data.get("community_id"),
                           topic=data.get("topic") or None, target_group=data.get("target_group") or None,
                           fee_baht=data.get("fee_baht"), **_times(data))
    ctx.reply(_ui().staff_done(ctx, f"เผยแพร่กิจกรรมแล้วค่ะ ✅ รหัสกิจกรรม #{activity.id}", activity))


@register_flow
class StaffActivityFlow(Flow):
    name = "activity_staff"
    title = "จัดการกิจกรรม"
    composes_for_others = True  # what participants are told (a reason, new details)
    steps = (staff_confirm_step(lambda ctx: _ui().ask_staff_confirm(ctx)), *LABEL_STEPS)

    def kept_note(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """Left mid-way: what was NOT done (it said "ยกเลิกจัดการกิจกรรมแล้วค่ะ", read as the activity cancelled)."""
        return _ui().staff_not_done(ctx, data)

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        op = data.get("op")
        s, user, now = ctx.session, ctx.user, ctx.now
        if op == "publish":
            publish_activity(ctx, data)
        elif op == "reschedule":
            when = _times(data)
            moved = svc.reschedule(s, user, int(data["activity_id"]), when["starts_at"], when["ends_at"],
                                   place=data.get("place") or None, now=now)
            count = len(svc.participants(s, moved.activity, include_waitlist=True))
            lead = f"เลื่อนกิจกรรมแล้วค่ะ ✅ {_ui().done_told(count)}{_ui().cleared_note(moved.checkins_cleared)}"
            ctx.reply(_ui().staff_done(ctx, lead, moved.activity))
        elif op == "edit":
            try:
                fields = {**data["fields"], **_times(data["fields"])}  # a new deadline: ISO text → datetime
                result = svc.edit(s, user, int(data["activity_id"]), now=now, **fields)
            except ServiceError as exc:
                if exc.code != "capacity_below_confirmed":
                    raise
                # Sign-ups came in after the preview: say why and stop (asking again brought the same preview).
                ctx.reply(_ui().problem(ctx, exc.message_th))
                return
            ctx.reply(_ui().staff_done(ctx, _ui().edited_lead(result), result.activity))
        elif op == "cancel":
            activity = svc.cancel_activity(s, user, int(data["activity_id"]), reason=data.get("reason") or None,
                                           now=now)
            count = len(svc.participants(s, activity, include_waitlist=True))
            ctx.reply(_ui().staff_done(ctx, f"ยกเลิกกิจกรรมแล้วค่ะ {_ui().done_told(count)}", activity))
        else:
            ctx.reply(replies.text("ไม่รู้จักคำสั่งนี้ค่ะ"))


# --- staff at the door: one code after another; or afterwards, from a paper sheet ----------------

DOOR_DONE_WORDS = {"เสร็จ", "เสร็จแล้ว", "พอแล้ว", "จบ", "หมดแล้ว", "ครบแล้ว", "done"}
_CODE = re.compile(r"^(?:เช็คอิน|เช็กอิน|checkin|check-in|รหัส)?\s*([A-Za-z0-9]{4,12})$", re.IGNORECASE)
DONE = "__done__"
LATE = "__late__"
"""The "บันทึกย้อนหลัง" chip after a code refused because its activity was on an earlier day."""


def _late_mode(ctx: Ctx) -> bool:
    return bool(engine.data(ctx).get("late"))


def _ask_door_code(ctx: Ctx) -> str:
    data = engine.data(ctx)
    count = int(data.get("checked_in") or 0)
    if data.get("late_code"):
        return (f"ถ้าผู้สมัครรหัส {data['late_code']} มาร่วมจริง แตะ “{_ui().LATE_LABEL}” ได้เลยค่ะ "
                "หรือพิมพ์รหัสถัดไปนะคะ")
    if _late_mode(ctx):
        if count:
            return f"รหัสถัดไปได้เลยค่ะ (รอบนี้บันทึกแล้ว {count} รายการ) พิมพ์ “เสร็จ” เมื่อครบนะคะ"
        return ("บันทึกการเข้าร่วมย้อนหลังค่ะ พิมพ์รหัส 6 ตัวจากใบลงชื่อทีละรหัสได้เลย "
                f"(ภายใน {svc.LATE_CHECKIN_DAYS} วันหลังกิจกรรม) พิมพ์ “เสร็จ” เมื่อครบนะคะ")
    if count:
        return f"รหัสถัดไปได้เลยค่ะ (รอบนี้เช็คอินแล้ว {count} รายการ) พิมพ์ “เสร็จ” เมื่อครบนะคะ"
    return "เช็คอินหน้างานค่ะ พิมพ์รหัส 6 ตัวของผู้สมัครทีละรหัสได้เลย พิมพ์ “เสร็จ” เมื่อครบนะคะ"


def _door_choices(ctx: Ctx) -> list[Choice]:
    late = [Choice(_ui().LATE_LABEL, LATE)] if engine.data(ctx).get("late_code") else []
    return [*late, Choice("เสร็จแล้ว", DONE)]


def _parse_door_code(ctx: Ctx, answer: Answer) -> str:
    if answer.kind == "choice" and answer.value in (DONE, LATE):
        return answer.value or DONE
    text = (answer.text or "").strip() if answer.kind == "text" else ""
    if engine.bare_word(text) in DOOR_DONE_WORDS:
        return DONE
    match = _CODE.match(text.translate(THAI_DIGITS))
    if not match:
        raise Invalid("รหัสเช็คอินเป็นตัวอักษรและตัวเลข 6 ตัวค่ะ เช่น ABC346")
    return match.group(1).upper()


def _after_door_code(ctx: Ctx, code: str) -> str:
    """Check this code in (or say why not), then ask for the next one.

    A code whose activity was on an earlier day is kept: the next question offers "บันทึกย้อนหลัง" for it."""
    if code == DONE:
        return FINISH
    late = _late_mode(ctx) or code == LATE
    if code == LATE:
        code = engine.data(ctx).get("late_code") or ""
    engine.put(ctx, late_code=None)
    try:
        with ctx.all_or_nothing():
            row = svc.mark_attended(ctx.session, ctx.user, code, now=ctx.now, late=late)
    except ServiceError as exc:
        ctx.reply(replies.text(exc.message_th))
        if exc.code == "checkin_day_passed":
            engine.put(ctx, late_code=code)
        return "code"
    ctx.reply(_ui().checked_in_text(ctx, row, late=late))
    engine.put(ctx, checked_in=int(engine.data(ctx).get("checked_in") or 0) + 1)
    return "code"


@register_flow
class DoorCheckinFlow(Flow):
    """Staff at the door type the codes residents show, one after another, until "เสร็จ"."""

    name = "checkin_door"
    title = "เช็คอินหน้างาน"
    steps = (
        Step("code", ask=_ask_door_code, choices=_door_choices, parse=_parse_door_code, after=_after_door_code),
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        count = int(data.get("checked_in") or 0)
        done = (f"จบการบันทึกย้อนหลังรอบนี้ค่ะ บันทึกแล้ว {count} รายการ ✅" if data.get("late") else
                f"จบการเช็คอินรอบนี้ค่ะ เช็คอินแล้ว {count} รายการ ✅")
        ctx.reply(replies.text(done, quick=[replies.quick_message("คำสั่งกิจกรรม"), replies.quick_message("เมนู")]))


@register_flow
class LateCheckinFlow(DoorCheckinFlow):
    """Staff record who came after the activity (a paper attendance sheet), one code after another."""

    name = "checkin_late"
    title = "บันทึกการเข้าร่วมย้อนหลัง"

    def on_start(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        data["late"] = True
        return None
