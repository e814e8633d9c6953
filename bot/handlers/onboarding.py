"""Follow → welcome → consent (PDPA) → community; the first real flow the engine runs."""

from __future__ import annotations

import re
from typing import Any

from bot import postback, replies, texts
from bot.context import Ctx
from bot.dispatcher import on_command, on_event, on_postback, on_unsure
from bot.flows import engine
from bot.flows.engine import Answer, Choice, Flow, Invalid, Step, register_flow
from bot.services import communities, users
from bot.services.communities import (
    CommunityInfo,
    CommunityLike,
    community_named,
    community_said_alone,
    nearest_communities,
    not_found_text,
    popular_communities,
)
from bot.thaidate import THAI_DIGITS

CONSENT_CHOICES = [Choice("ยินยอม", "yes"), Choice("ไม่ยินยอม", "no"), Choice("อ่านรายละเอียด", "more")]


def _after_consent(ctx: Ctx, value: str) -> str | None:
    if value == "more":
        ctx.reply(replies.text(texts.privacy_full(ctx.settings)))
        return "consent"
    if value == "no":
        users.decline_consent(ctx.session, ctx.user, ctx.now)
        return engine.FINISH
    users.give_consent(ctx.session, ctx.user, ctx.now)
    return None


def _community_choices(ctx: Ctx) -> list[Choice]:
    near = engine.data(ctx).get("near")
    if near:
        found = [communities.get(ctx.session, i) for i in near]
        return [Choice(communities.chip_label(c), str(c.id)) for c in found if c]
    popular = [communities.get(ctx.session, community_id) for community_id, _ in popular_communities(ctx.session)]
    return [Choice(communities.chip_label(c), str(c.id)) for c in popular if c]


def _parse_community(ctx: Ctx, answer: Answer) -> int:
    if answer.kind == "choice":
        if answer.value and answer.value.isdigit() and communities.get(ctx.session, answer.value):
            return int(answer.value)
        raise Invalid("เลือกชุมชนจากปุ่มด้านล่างได้เลยค่ะ")
    if answer.kind == "location":
        near = nearest_communities(ctx.session, answer.params.get("latitude"), answer.params.get("longitude"))
        if not near:
            raise Invalid("ยังหาชุมชนใกล้ตำแหน่งนี้ไม่เจอค่ะ ลองพิมพ์ชื่อชุมชนแทนนะคะ")
        values = dict(ctx.conversation.data)
        values["near"] = [c.id for c in near]
        ctx.conversation.data = values
        raise Invalid("ชุมชนที่ใกล้คุณที่สุดอยู่ในปุ่มด้านล่างค่ะ แตะเลือกได้เลยนะคะ")
    if answer.kind != "text" or not answer.text:
        raise Invalid("พิมพ์ชื่อชุมชน หรือส่งตำแหน่งมาได้เลยค่ะ")
    chosen = _chip_said(ctx, answer.text)
    if chosen is not None:
        return chosen
    community = community_named(ctx.session, answer.text)
    if community is None:
        raise Invalid(not_found_text(answer.text, "หรือส่งตำแหน่งมาให้ช่วยหานะคะ"))
    alike = communities.sharing_name(ctx.session, answer.text, community, now=ctx.now)
    if alike:
        engine.put(ctx, near=[c.id for c in alike[:MAX_ALIKE]])
        raise Invalid(which_one(ctx, answer.text, community, alike))
    return community.id


_CHIP_NUMBER = re.compile(r"(?:อัน|ข้อ|ปุ่ม)?\s*(?:ที่)?\s*(?P<n>[0-9]{1,3})")


def _chip_said(ctx: Ctx, text: str) -> int | None:
    """The chip a short answer means: a number is the chip with that number in its name ("71" among ลาดพร้าว
    71, 87, 101), or else the chip in that place, counted from the first ("1": the first chip); "โอเค" is the
    one community suggested. A number or a yes that picks none (and names no community) is asked again,
    saying how to answer (it was "ไม่พบชุมชน “1”")."""
    choices = _community_choices(ctx)
    word = engine.bare_word(text).translate(THAI_DIGITS)
    numbered = _CHIP_NUMBER.fullmatch(word)
    if numbered:
        n = int(numbered["n"])
        own = [c for c in choices if n in {int(d) for d in re.findall(r"[0-9]+", c.label.translate(THAI_DIGITS))}]
        if len(own) == 1:
            return int(own[0].value)
        if not own and 1 <= n <= len(choices):
            return int(choices[n - 1].value)
        if community_named(ctx.session, text) is None:
            raise Invalid(_how_to_answer(choices))
        return None
    if engine.said_yes(text):
        if len(choices) == 1:
            return int(choices[0].value)
        raise Invalid(_how_to_answer(choices))
    return None


def _how_to_answer(choices: list[Choice]) -> str:
    example = f" เช่น “{choices[0].label}”" if choices else ""
    first = " หรือพิมพ์ 1 สำหรับปุ่มแรก" if len(choices) > 1 else ""
    return (f"ขอชื่อชุมชนของคุณค่ะ แตะปุ่มชื่อชุมชนด้านล่าง{first} หรือพิมพ์ชื่อชุมชน{example} "
            "หรือส่งตำแหน่งให้ช่วยหาก็ได้นะคะ")


MAX_ALIKE = replies.MAX_QUICK_ITEMS - 4
"""Chips for the communities sharing a name: a quick reply holds 13 items, and the step adds "ส่งตำแหน่ง",
"ข้าม", "ย้อนกลับ" and "ยกเลิก"."""


def which_one(ctx: Ctx, text: str, found: CommunityLike, alike: list[CommunityInfo]) -> str:
    """"ชุมชนลาดพร้าวมีหลายชุมชนค่ะ", and how to give one left out of the chips (the step asks which next)."""
    return " ".join(filter(None, (f"{communities.many_named(ctx.session, text, found)}ค่ะ",
                                  communities.which_note(alike, MAX_ALIKE))))


CONSENT_REFUSED = re.compile(r"ไม่\s*(?:ยินยอม|ยอม|ตกลง|อนุญาต|ให้|เอา|ต้องการ|สะดวก|โอเค|ok\b)|ปฏิเสธ", re.I)
"""Consent refused as people say it: "ไม่ยินยอม", "ไม่ให้เก็บ", "ไม่เอาค่ะ"."""
CONSENT_ASKED = re.compile(r"ไหม|มั้ย|มั๊ย|อะไร|ยังไง|อย่างไร|ทำไม|หรือเปล่า|รึเปล่า|ป่าว|เหรอ|หรอ|\?")
"""A question (about the data, or what refusing means): the full policy, not a yes or a no."""


def consent_said(text: str | None) -> str | None:
    """"yes" or "no" when the text gives or refuses consent as people say it ("โอเคค่ะ ยินยอม", "ตกลงค่ะ",
    "ยินยอมก็ได้", "ไม่ให้เก็บ"), else None. A refusal is never read as consent ("ไม่ยินยอม" holds "ยินยอม")."""
    said = " ".join((text or "").split())
    if not said or CONSENT_ASKED.search(said):
        return None
    if CONSENT_REFUSED.search(said) or engine.said_no(said):
        return "no"
    if engine.said_yes(said) or "ยินยอม" in said or re.search(r"ยอมรับ|อนุญาต", said):
        return "yes"
    return None


def _parse_consent(ctx: Ctx, answer: Answer) -> str:
    """A chip or its words, said as people say them (`consent_said`); a question about the data
    ("เอาข้อมูลเราไปทำไร") is answered with the full policy."""
    try:
        chosen = engine.one_of(CONSENT_CHOICES)(ctx, answer)
    except Invalid:
        chosen = None
    if answer.kind != "text" or not answer.text:
        if chosen is None:
            raise Invalid("กรุณาเลือกจากปุ่มด้านล่างนะคะ")
        return chosen
    said = consent_said(answer.text)
    if said is not None and chosen != "more":
        return said
    if chosen is not None:
        return chosen
    if ctx.route(answer.text).intent == "privacy" or CONSENT_ASKED.search(answer.text):
        return "more"
    raise Invalid("กรุณาเลือกจากปุ่มด้านล่างนะคะ หรือพิมพ์ “ยินยอม” หรือ “ไม่ยินยอม” ก็ได้ค่ะ")


@register_flow
class OnboardingFlow(Flow):
    name = "onboarding"
    title = "ลงทะเบียนเริ่มใช้งาน"
    steps = (
        Step("consent", ask=texts.PRIVACY_SHORT, choices=CONSENT_CHOICES,
             parse=_parse_consent, after=_after_consent),
        Step("community", ask="คุณอยู่ชุมชนไหนคะ เลือกจากปุ่ม พิมพ์ชื่อชุมชน หรือส่งตำแหน่งให้ช่วยหาก็ได้ค่ะ",
             choices=_community_choices, parse=_parse_community, skippable=True,
             extra_quick=lambda ctx: [replies.quick_location("ส่งตำแหน่ง")]),
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        user = ctx.user
        if data.get("consent") == "no":
            ctx.reply(texts.menu(user.role, "ไม่เป็นไรค่ะ 🙏 คุณยังอ่านธรรมนูญสุขภาพและดูกิจกรรมได้ "
                                            "ถ้าเปลี่ยนใจ พิมพ์ “ยินยอม” ได้เสมอนะคะ"))
            return
        community_id = data.get("community")
        if community_id:
            community = communities.get(ctx.session, community_id)
            users.set_community(ctx.session, user, community)
            where = f" ชุมชนของคุณคือ {community.name}" if community else ""
        else:
            where = " (เลือกชุมชนภายหลังได้ โดยส่งตำแหน่งหรือพิมพ์ชื่อชุมชน)"
        ctx.reply(texts.menu(user.role, f"เรียบร้อยค่ะ ✅{where}\nเริ่มจากเมนูด้านล่างได้เลยนะคะ"))


@on_event("follow")
def follow(ctx: Ctx, event: dict[str, Any]) -> None:
    if ctx.user is None:
        return
    users.mark_followed(ctx.session, ctx.user)
    if ctx.user.has_consented:
        ctx.reply(texts.menu(ctx.user.role, "ยินดีต้อนรับกลับค่ะ 😊 เลือกเมนูได้เลยนะคะ"))
        return
    ctx.reply(replies.text(texts.WELCOME))
    engine.start(ctx, "onboarding", confirm_switch=False)


# --- changing one's community later ---------------------------------------------------------------

COMMUNITY_QUESTION = "ตอนนี้คุณอยู่ชุมชนไหนคะ เลือกจากปุ่ม พิมพ์ชื่อชุมชน หรือส่งตำแหน่งให้ช่วยหาก็ได้ค่ะ"


@register_flow
class ChangeCommunityFlow(Flow):
    name = "community"
    title = "เปลี่ยนชุมชน"
    requires_consent = True  # the community is kept about the person: only with consent (PDPA)
    steps = (
        Step("community", ask=COMMUNITY_QUESTION, choices=_community_choices, parse=_parse_community,
             skippable=True, extra_quick=lambda ctx: [replies.quick_location("ส่งตำแหน่ง")]),
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        if not data.get("community"):
            ctx.reply(texts.menu(ctx.user.role, "ได้ค่ะ ไว้เลือกชุมชนภายหลังได้ พิมพ์ “เปลี่ยนชุมชน” เมื่อไรก็ได้นะคะ"))
        else:
            set_community(ctx, communities.get(ctx.session, data["community"]))
        if data.get("then"):  # asked right after a late consent: go on with what it was given for
            from bot.dispatcher import run_postback

            run_postback(ctx, data["then"], {})


def set_community(ctx: Ctx, community: CommunityLike) -> None:
    users.set_community(ctx.session, ctx.user, community)
    ctx.reply(texts.menu(ctx.user.role, f"ตั้งชุมชนของคุณเป็น {community.name} แล้วค่ะ ✅"))


MOVED_HOUSE = (r"(?:ยาย|ตา|ป้า|ลุง|ฉัน|ผม|หนู|เรา|ดิฉัน)?\s*(?:เพิ่ง)?\s*ย้าย\s*(?:บ้าน)?\s*(?:ไป|มา)?\s*(?:อยู่)?\s*(?:ที่)?\s*"
               r"(?P<name>ชุมชน\S.*?)\s*(?:แล้ว)?\s*(?:ค่ะ|คะ|ครับ|จ้า|จ้ะ|นะ)*")
"""'ยายย้ายไปอยู่ชุมชนลาดพร้าว 71 แล้วจ้ะ': the community changes as with "เปลี่ยนชุมชนเป็น…" (it was not understood)."""
CHANGE_COMMUNITY = (r"(?:ขอ)?(?:เปลี่ยน|ย้าย|ตั้ง|แก้|เลือก)\s*ชุมชน(?:ของ(?:ฉัน|ผม|หนู|เรา))?"
                    r"(?:\s*(?:เป็น|ไปเป็น|ไปที่|ไปอยู่|ไป)?\s*(?P<name>\S.*?))?\s*(?:ค่ะ|คะ|ครับ|จ้า|หน่อย|นะ)*")


@on_command(MOVED_HOUSE)
@on_command(CHANGE_COMMUNITY)
def change_community(ctx: Ctx, match: re.Match[str]) -> None:
    """"เปลี่ยนชุมชน" asks which one; "เปลี่ยนชุมชนเป็นลาดพร้าว 101" sets it when the name is found."""
    change_to(ctx, match.group("name"))


def change_to(ctx: Ctx, name: str | None, found: CommunityLike | None = None) -> None:
    """Make the named community the user's: which one, asked, for a name several share; the question,
    with what was not found, for any other."""
    if ctx.user is not None and users.community_fixed(ctx.user):
        ctx.reply(texts.menu(ctx.user.role, users.LEADER_COMMUNITY_FIXED))
        return
    found = found or (community_named(ctx.session, name) if name else None)
    alike = communities.sharing_name(ctx.session, name, found, now=ctx.now) if found is not None else []
    if alike:  # "เปลี่ยนชุมชนเป็นลาดพร้าว": which of them, asked with their chips
        ctx.reply(replies.text(which_one(ctx, name or "", found, alike)))
        ctx.start_flow(ChangeCommunityFlow.name, near=[c.id for c in alike[:MAX_ALIKE]])
        return
    if found is not None and ctx.user is not None and ctx.user.has_consented:
        set_community(ctx, found)
        return
    if name and found is None:
        ctx.reply(replies.text(f"ไม่พบชุมชน “{name[:40]}” ค่ะ"))
    ctx.start_flow(ChangeCommunityFlow.name)


_SPEAKER = r"(?:ยาย|ตา|ป้า|ลุง|ฉัน|ผม|หนู|เรา|ดิฉัน|พี่|น้า|บ้านเรา|ครอบครัว(?:เรา)?)?"
_END = r"\s*(?:แล้ว)?\s*(?:นะ)?\s*(?:ค่ะ|คะ|ครับ|คับ|จ้า|จ้ะ|จ๊ะ)*\s*"
MOVED = (
    # "ย้ายไปอยู่ลาดพร้าวแล้วค่ะ", "ย้ายบ้านไปลาดพร้าว 101 แล้ว", "ผมเพิ่งย้ายมาอยู่ที่เคหะลาดพร้าวครับ"
    re.compile(rf"(?:ตอนนี้|เดี๋ยวนี้)?\s*{_SPEAKER}\s*(?:เพิ่ง|ได้)?\s*ย้าย\s*(?:บ้าน|ที่อยู่)?\s*(?:ไป|มา)\s*"
               rf"(?:อยู่)?\s*(?:ที่)?\s*(?P<name>\S.*?){_END}"),
    # "ตอนนี้อยู่ชุมชนวัดลาดพร้าวแล้วค่ะ"
    re.compile(rf"(?:ตอนนี้|เดี๋ยวนี้|ปัจจุบัน)\s*{_SPEAKER}\s*อยู่\s*(?:ที่)?\s*(?P<name>ชุมชน\S.*?){_END}"),
    # "ย้ายบ้านแล้วค่ะ ตอนนี้อยู่นาคนิวาส"
    re.compile(rf"{_SPEAKER}\s*(?:เพิ่ง)?\s*ย้าย(?:บ้าน)?(?:แล้ว)?\s*(?:นะ)?\s*(?:ค่ะ|คะ|ครับ|จ้า)*\s*"
               rf"(?:ตอนนี้|เดี๋ยวนี้)?\s*(?:มา)?อยู่\s*(?:ที่)?\s*(?P<name>\S.*?){_END}"),
)
"""A resident saying they moved: their community changes as with "เปลี่ยนชุมชนเป็น…" (it was not understood).
Only when what follows is little more than a community's name ("ตอนนี้อยู่ที่งานวัดลาดพร้าวแล้ว" is not)."""
NOW_AT = re.compile(rf"(?:ตอนนี้|เดี๋ยวนี้|ปัจจุบัน)\s*{_SPEAKER}\s*อยู่\s*(?:ที่)?\s*(?P<name>\S.*?)\s*แล้ว{_END}")
""""ตอนนี้อยู่ลาดพร้าว 101 แล้วค่ะ" may say where one lives now or where one has got to (an activity at
ลานวัดลาดพร้าว): asked, with "ตั้งเป็นชุมชนของฉัน" beside the community's activities, not changed at once."""


@on_unsure
def moved_said(ctx: Ctx, text: str) -> bool:
    """"ย้ายไปอยู่ลาดพร้าวแล้วค่ะ": the community they moved to becomes theirs (which ลาดพร้าว, asked)."""
    said = " ".join((text or "").split())
    for pattern in MOVED:
        match = pattern.fullmatch(said)
        found = community_said_alone(ctx.session, match.group("name")) if match else None
        if found is not None:
            change_to(ctx, match.group("name"), found)
            return True
    now_at = NOW_AT.fullmatch(said)
    return now_at is not None and offer_community(ctx, now_at.group("name"))


@on_unsure
def offer_community(ctx: Ctx, text: str) -> bool:
    """Text the router is not sure of but that names a community: offer to make it the user's, or its
    activities (what the onboarding promised: "เลือกชุมชนภายหลังได้ โดย…พิมพ์ชื่อชุมชน"). A name several
    share ("ลาดพร้าว") asks which first."""
    found = community_said_alone(ctx.session, text)
    if found is None:
        return False
    alike = communities.sharing_name(ctx.session, text, found, now=ctx.now)
    if alike:
        shown = alike[:replies.MAX_QUICK_ITEMS - 1]
        chips = [replies.quick_postback(communities.chip_label(c), postback.encode("community.offer", id=c.id), c.name)
                 for c in shown]
        lead = f"{communities.many_named(ctx.session, text, found)}ค่ะ หมายถึงชุมชนไหนคะ"
        note = communities.which_note(alike, len(shown), "ชุมชนที่ต้องการ")
        ctx.reply(replies.text(f"{lead} {note}".strip(), quick=[*chips, replies.quick_message("เมนู")]))
        return True
    offer(ctx, found)
    return True


@on_postback("community.offer")
def offer_chosen(ctx: Ctx, args: dict[str, str]) -> None:
    """One of the communities sharing a name, tapped: the same offer as for its name typed."""
    found = communities.get(ctx.session, args.get("id"))
    if found is None:
        ctx.reply(texts.old_button(ctx.user.role if ctx.user else None))
        return
    offer(ctx, found)


def offer(ctx: Ctx, found: CommunityLike) -> None:
    """Make this community the user's, or see its activities."""
    quick = [replies.quick_postback("ดูกิจกรรมของชุมชนนี้", postback.encode("activity.list", c=found.id),
                                    f"กิจกรรมของ{found.name}")]
    if ctx.user is not None and ctx.user.community_id == found.id:
        lead = f"{found.name} คือชุมชนของคุณค่ะ ดูกิจกรรมของชุมชนนี้ไหมคะ"
    elif ctx.user is not None and users.community_fixed(ctx.user):  # a leader's community came with the role
        lead = f"{found.name} ใช่ไหมคะ ดูกิจกรรมของชุมชนนี้ได้เลยค่ะ"
    else:
        quick.insert(0, replies.quick_postback("ตั้งเป็นชุมชนของฉัน", postback.encode("community.set", id=found.id),
                                               f"ตั้ง{found.name}เป็นชุมชนของฉัน"))
        lead = f"{found.name} ใช่ไหมคะ ตั้งเป็นชุมชนของคุณ หรือดูกิจกรรมของชุมชนนี้ก็ได้ค่ะ"
    ctx.reply(replies.text(lead, quick=quick + [replies.quick_message("เมนู", "เมนู")]))


def community_said(ctx: Ctx, text: str) -> bool:
    """What the router reads as small talk ("other") but says where one lives now or only names a
    community ("ย้ายบ้านมาอยู่บ้านสวนลาดพร้าวค่ะ", "ลาดพร้าวค่ะ"): as when it is not sure (it answered
    "เรื่องนี้ “ร่วมกัน” ยังช่วยไม่ได้ค่ะ")."""
    return moved_said(ctx, text) or offer_community(ctx, text)
