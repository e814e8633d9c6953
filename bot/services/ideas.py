"""Project ideas (One Plan): submit, the status lifecycle, endorsement, and the lists people see.

The lifecycle is one table (``TRANSITIONS``): who may move an idea from which status to which.
Every change writes an ``IdeaEvent`` (who, when, why) and, in the same transaction, queues a Thai
push to the submitter (unless the submitter made the change themselves: the chat reply tells them).
The scheduled notices about ideas (the weekly digest to staff, the nudge after 7 days in
needs_revision) are jobs in ``bot.services.reminders``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import replies
from bot.postback import encode
from bot.services import communities, idea_photos, users
from bot.services.communities import CommunityLike
from bot.services.errors import ServiceError
from bot.services.idea_photos import PhotoLinks
from bot.services.outbox import enqueue, enqueue_push
from bot.thaidate import THAI_DIGITS, format_date
from storage.db import locked
from storage.models import Idea, IdeaDraft, IdeaEvent, User, utcnow

CATEGORY = "idea_status"
MAX_TITLE = 120
MAX_TEXT = 2000
MAX_BUDGET = 10_000_000
"""Ten million baht: far above any community project the seeds report (≈ 90,000–130,000 baht each)."""
MAX_PARTICIPANTS = 100_000
MAX_CONTACT_NAME = 60
"""The column's width: a name with its honorific and a surname ("คุณสมศรี ใจดี")."""
MULTICAST_MAX = 500

STAFF = "staff"
SUBMITTER = "submitter"

OPEN_STATUSES = ("submitted", "under_review", "needs_revision", "approved", "in_progress")
REVIEW_STATUSES = ("submitted", "under_review")
FOLLOW_UP_STATUSES = ("approved", "in_progress")
"""Approved and under way: staff still have a move to make (start the work, then mark it done)."""
FINAL_STATUSES = ("completed", "rejected", "withdrawn")
ENDORSABLE_STATUSES = ("submitted", "under_review", "needs_revision")
WITHDRAWABLE_STATUSES = ("submitted", "under_review", "needs_revision")
"""A submitter may withdraw only before approval: once funded, the grant is staff's to cancel (and the
One Report must keep counting it), so a withdrawal after approval goes through staff."""
WITHDRAW_AFTER_APPROVAL = ("โครงการ “{title}” ได้รับอนุมัติแล้ว จึงถอนเองไม่ได้ค่ะ "
                           "ถ้าต้องการยกเลิกหรือเปลี่ยนแผน กรุณาติดต่อเจ้าหน้าที่นะคะ")
ENDORSE_NOTE = "แกนนำชุมชนรับรองโครงการ"
ENDORSEMENT_LAPSED_NOTE = "ผู้เสนอแก้ไขโครงการหลังแกนนำรับรอง ขอให้แกนนำรับรองฉบับใหม่อีกครั้ง"
ENDORSEMENT_WITHDRAWN_NOTE = "แกนนำชุมชนถอนการรับรอง"


@dataclass(frozen=True)
class Transition:
    src: str
    dst: str
    who: str
    needs_reason: bool = False
    via_revise: bool = False
    """Only reachable by ``revise`` (the submitter answers a revision request by editing)."""


def _t(src: str, dst: str, who: str, **kw: Any) -> Transition:
    return Transition(src, dst, who, **kw)


TRANSITIONS: tuple[Transition, ...] = (
    _t("submitted", "under_review", STAFF),
    _t("submitted", "needs_revision", STAFF, needs_reason=True),
    _t("submitted", "approved", STAFF),
    _t("submitted", "rejected", STAFF, needs_reason=True),
    _t("under_review", "needs_revision", STAFF, needs_reason=True),
    _t("under_review", "approved", STAFF),
    _t("under_review", "rejected", STAFF, needs_reason=True),
    _t("needs_revision", "submitted", SUBMITTER, via_revise=True),
    _t("needs_revision", "under_review", SUBMITTER, via_revise=True),
    _t("needs_revision", "rejected", STAFF, needs_reason=True),
    _t("approved", "in_progress", STAFF),
    _t("in_progress", "completed", STAFF),
    *(_t(src, "withdrawn", SUBMITTER) for src in WITHDRAWABLE_STATUSES),
)
_BY_PAIR: dict[tuple[str, str], Transition] = {(t.src, t.dst): t for t in TRANSITIONS}


def transition(src: str, dst: str) -> Transition | None:
    """The rule for moving from ``src`` to ``dst``, or None when the table has no such move."""
    return _BY_PAIR.get((src, dst))


def allowed_moves(status: str, who: str) -> list[str]:
    """Statuses someone in role ``who`` (staff / submitter) may move an idea to from ``status``."""
    return [t.dst for t in TRANSITIONS if t.src == status and t.who == who and not t.via_revise]


# --- reference lists -------------------------------------------------------------------------------

_FALLBACK_REFERENCE: dict[str, Any] = {
    "topics": [
        {"key": "tobacco", "name": "ยาสูบและบุหรี่ไฟฟ้า", "short": "บุหรี่"},
        {"key": "alcohol_drugs", "name": "สุราและสิ่งเสพติด", "short": "สิ่งเสพติด"},
        {"key": "food", "name": "อาหารปลอดภัยและโภชนาการ", "short": "อาหาร"},
        {"key": "physical_activity", "name": "กิจกรรมทางกายและการออกกำลังกาย", "short": "ออกกำลังกาย"},
        {"key": "road_safety", "name": "ความปลอดภัยทางถนน", "short": "ถนนปลอดภัย"},
        {"key": "mental_health", "name": "สุขภาพจิต", "short": "สุขภาพจิต"},
        {"key": "environment", "name": "มลพิษสิ่งแวดล้อม ขยะ และฝุ่น PM2.5", "short": "สิ่งแวดล้อม"},
        {"key": "emerging", "name": "โรคอุบัติใหม่และปัจจัยเสี่ยงอื่น ๆ", "short": "ป้องกันโรค"},
    ],
    "target_groups": [
        {"key": "children", "name": "เด็กและเยาวชน"},
        {"key": "families", "name": "ครอบครัว"},
        {"key": "working_age", "name": "วัยทำงาน"},
        {"key": "elderly", "name": "ผู้สูงอายุ"},
        {"key": "disabled", "name": "คนพิการ"},
        {"key": "homeless", "name": "คนไร้บ้าน"},
        {"key": "informal_workers", "name": "แรงงานนอกระบบ"},
    ],
    "funding_sources": [
        {"key": "bkk_health_fund", "name": "กองทุนหลักประกันสุขภาพ กทม."},
        {"key": "strong_community", "name": "ชุมชนเข้มแข็ง"},
        {"key": "thaihealth", "name": "สสส."},
        {"key": "unsure", "name": "ไม่แน่ใจ"},
    ],
    "idea_statuses": {
        "submitted": "ส่งแล้ว",
        "under_review": "กำลังพิจารณา",
        "needs_revision": "ขอให้ปรับแก้",
        "approved": "อนุมัติแล้ว",
        "in_progress": "กำลังดำเนินการ",
        "completed": "เสร็จสิ้นแล้ว",
        "rejected": "ไม่ผ่านการพิจารณา",
        "withdrawn": "ถอนแล้ว",
    },
}


@cache
def reference() -> dict[str, Any]:
    """Topics, target groups, funding sources and status labels (storage/demo/reference.yaml)."""
    try:
        from bot.demo_data import read_demo_yaml

        data = read_demo_yaml("reference")
    except Exception:  # noqa: BLE001 - the file or its loader may be missing: use our own copy
        return _FALLBACK_REFERENCE
    return {key: data.get(key) or value for key, value in _FALLBACK_REFERENCE.items()}


def _names(kind: str) -> dict[str, str]:
    return {row["key"]: row["name"] for row in reference()[kind]}


def topics() -> dict[str, str]:
    return _names("topics")


def topic_short(key: str) -> str:
    for row in reference()["topics"]:
        if row["key"] == key:
            return row.get("short") or row["name"]
    return key


def target_groups() -> dict[str, str]:
    return _names("target_groups")


def funding_sources() -> dict[str, str]:
    return _names("funding_sources")


def grant_funds() -> dict[str, str]:
    """The funds an approval can name: every funding source but "ไม่แน่ใจ"."""
    return {key: name for key, name in funding_sources().items() if key != "unsure"}


def status_label(status: str) -> str:
    return reference()["idea_statuses"].get(status, status)


# --- validation ----------------------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s\-().]")


def normalize_phone(raw: str) -> str | None:
    """'081 234 5678', '๐๘๑-๒๓๔-๕๖๗๘', '+66812345678' → '081-234-5678'; None if not a Thai number."""
    digits = _PHONE_JUNK.sub("", (raw or "").translate(THAI_DIGITS))
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    if re.fullmatch(r"0[689]\d{8}", digits):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if re.fullmatch(r"02\d{7}", digits):
        return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
    if re.fullmatch(r"0[3-7]\d{7}", digits):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return None


def phone_answered(text: str | None) -> str | None:
    """The phone number in a typed answer or a message ("081 234 5678 ครับ", "เบอร์ 0812345678"), formatted;
    None when it is not a valid Thai number (the idea's phone step and a project told in one message alike)."""
    from nlp.entities import parse_phone_answer

    return normalize_phone(text or "") or normalize_phone(parse_phone_answer(text or "") or "")


def _bad(code: str, message: str) -> ServiceError:
    return ServiceError(code, message)


def _clean_text(value: Any, name_th: str, limit: int) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    if not value:
        return None
    if len(value) > limit:
        raise _bad("too_long", f"{name_th}ยาวเกินไปค่ะ ขอไม่เกิน {limit:,} ตัวอักษรนะคะ")
    return value


def _clean_key(value: Any, options: dict[str, str], code: str, name_th: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in options:
        raise _bad(code, f"ไม่รู้จัก{name_th}ที่เลือกค่ะ กรุณาเลือกจากรายการนะคะ")
    return str(value)


def clean_budget(value: Any) -> int | None:
    """Whole baht from a number or digit string; ServiceError when negative or not sane."""
    if value in (None, ""):
        return None
    try:
        number = float(str(value).translate(THAI_DIGITS).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise _bad("bad_budget", "ขอเป็นตัวเลขจำนวนบาท เช่น 5000 หรือ ห้าพัน นะคะ") from None
    if number != number or number < 0:
        raise _bad("bad_budget", "งบประมาณต้องไม่ติดลบค่ะ")
    if number > MAX_BUDGET:
        raise _bad("bad_budget", f"งบประมาณสูงเกินไปค่ะ โครงการชุมชนขอได้ไม่เกิน {MAX_BUDGET:,} บาทนะคะ")
    return int(round(number))


def clean_participants(value: Any) -> int | None:
    """About how many people take part: a whole number from 1; ServiceError otherwise."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).translate(THAI_DIGITS).replace(",", "").strip()) if isinstance(value, str) \
            else int(value)
    except (TypeError, ValueError):
        raise _bad("bad_participants", "ขอเป็นจำนวนคน เช่น 30 หรือ สามสิบ นะคะ") from None
    if number < 1:
        raise _bad("bad_participants", "จำนวนผู้เข้าร่วมต้องมีอย่างน้อย 1 คนค่ะ")
    if number > MAX_PARTICIPANTS:
        raise _bad("bad_participants", f"จำนวนนี้มากเกินไปค่ะ ขอไม่เกิน {MAX_PARTICIPANTS:,} คนนะคะ")
    return number


def clean_contact_name(value: Any) -> str | None:
    """The contact's name on one line ("ป้าแดง"); ServiceError when longer than the column holds."""
    name = _clean_text(value, "ชื่อผู้ติดต่อ", MAX_CONTACT_NAME)
    return " ".join(name.split()) if name else None


def _clean_community(session: Session, fields: dict[str, Any]) -> tuple[bool, int | None]:
    """(given, community_id) from ``community`` (a Community) or ``community_id``."""
    if "community" in fields:
        community = fields["community"]
        return True, community.id if community is not None else None
    if "community_id" in fields:
        cid = fields["community_id"]
        if cid in (None, ""):
            return True, None
        if communities.get(session, str(cid)) is None:
            raise _bad("bad_community", "ไม่พบชุมชนที่เลือกค่ะ กรุณาเลือกใหม่อีกครั้งนะคะ")
        return True, int(cid)
    return False, None


EDITABLE_FIELDS = ("title", "topic", "community_id", "target_group", "problem", "plan", "participants", "budget",
                   "funding_source", "photo_message_id", "contact_phone", "contact_name")


def clean_fields(session: Session, fields: dict[str, Any]) -> dict[str, Any]:
    """Validate the given idea fields; returns only those given, cleaned. Unknown names are refused."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"community"}
    if unknown:
        raise TypeError(f"unknown idea fields: {sorted(unknown)}")
    out: dict[str, Any] = {}
    if "title" in fields:
        title = _clean_text(fields["title"], "ชื่อโครงการ", MAX_TITLE)
        if not title:
            raise _bad("title_required", "ขอชื่อโครงการสั้น ๆ ด้วยค่ะ")
        out["title"] = title.replace("\n", " ")
    if "topic" in fields:
        out["topic"] = _clean_key(fields["topic"], topics(), "bad_topic", "ประเด็นสุขภาพ")
    if "target_group" in fields:
        out["target_group"] = _clean_key(fields["target_group"], target_groups(), "bad_target_group",
                                         "กลุ่มเป้าหมาย")
    if "funding_source" in fields:
        out["funding_source"] = _clean_key(fields["funding_source"], funding_sources(), "bad_funding",
                                           "แหล่งทุน")
    for name, label in (("problem", "ปัญหาที่พบ"), ("plan", "สิ่งที่จะทำ")):
        if name in fields:
            out[name] = _clean_text(fields[name], label, MAX_TEXT)
    if "budget" in fields:
        out["budget"] = clean_budget(fields["budget"])
    if "participants" in fields:
        out["participants"] = clean_participants(fields["participants"])
    if "contact_phone" in fields:
        raw = fields["contact_phone"]
        if raw in (None, ""):
            out["contact_phone"] = None
        else:
            phone = normalize_phone(str(raw))
            if phone is None:
                raise _bad("bad_phone", "เบอร์โทรไม่ถูกต้องค่ะ ขอเบอร์มือถือ 10 หลัก เช่น 081-234-5678 "
                                        "หรือเบอร์บ้าน 9 หลักนะคะ")
            out["contact_phone"] = phone
    if "contact_name" in fields:
        out["contact_name"] = clean_contact_name(fields["contact_name"])
    if "photo_message_id" in fields:
        photo = fields["photo_message_id"]
        out["photo_message_id"] = str(photo)[:64] if photo else None
    given, community_id = _clean_community(session, fields)
    if given:
        out["community_id"] = community_id
    return out


# --- notices -------------------------------------------------------------------------------------

def _q(title: str) -> str:
    return f"“{title}”"


def submitter_notice_text(idea: Idea, dst: str, reason: str | None = None) -> str:
    """What the submitter will read when the idea moves to `dst` (staff see it before they confirm)."""
    return "\n".join(m["text"] for m in _submitter_notice(idea, dst, reason) if m.get("type") == "text")


def _submitter_notice(idea: Idea, dst: str, reason: str | None) -> list[dict[str, Any]]:
    """The Thai push telling the submitter what happened to their idea."""
    t = _q(idea.title)
    why = f"\nเหตุผล: {reason}" if reason else ""
    mine = replies.quick_message("โครงการของฉัน", "โครงการของฉัน")
    if dst == "under_review":
        body = f"โครงการ {t} อยู่ระหว่างการพิจารณาของเจ้าหน้าที่แล้วค่ะ ได้ผลเมื่อไรจะแจ้งให้ทราบนะคะ"
    elif dst == "needs_revision":
        body = (f"เจ้าหน้าที่ขอให้ปรับแก้โครงการ {t} ค่ะ{why}\n"
                "แตะ “แก้ไขโครงการ” เพื่อปรับแล้วส่งกลับได้เลยนะคะ")
        edit = replies.quick_postback("แก้ไขโครงการ", encode("idea.edit", id=idea.id), "แก้ไขโครงการ")
        return [replies.text(body, quick=[edit, mine])]
    elif dst == "approved":
        granted = grant_text(idea)
        body = (f"ยินดีด้วยค่ะ 🎉 โครงการ {t} ได้รับอนุมัติแล้ว\n"
                + (f"ได้รับ{granted}\n" if granted else "")
                + (f"หมายเหตุจากเจ้าหน้าที่: {reason}\n" if reason else "")  # "ตัดค่าวิทยากรลง" beside the baht
                + "เจ้าหน้าที่จะติดต่อเรื่องขั้นตอนต่อไปนะคะ")
    elif dst == "in_progress":
        body = f"โครงการ {t} เริ่มดำเนินการแล้วค่ะ ขอให้ราบรื่นนะคะ{why}"
    elif dst == "completed":
        results = result_text(idea)
        body = (f"โครงการ {t} ดำเนินการเสร็จสิ้นแล้วค่ะ{why}\n"
                + (f"ผลที่บันทึกไว้: {results}\n" if results else "")
                + "ขอบคุณที่ร่วมดูแลสุขภาพชุมชนนะคะ 🙏")
    elif dst == "rejected":
        body = (f"ขออภัยค่ะ โครงการ {t} ยังไม่ผ่านการพิจารณาในรอบนี้{why}\n"
                "ปรับปรุงแล้วเสนอใหม่ได้เสมอนะคะ")
    elif dst == "withdrawn":
        body = f"โครงการ {t} ถูกถอนแล้วค่ะ{why}"
    elif dst == "endorsed":
        body = f"แกนนำชุมชนรับรองโครงการ {t} ของคุณแล้วค่ะ 👍"
    else:
        body = f"โครงการ {t} เปลี่ยนสถานะเป็น “{status_label(dst)}” แล้วค่ะ{why}"
    return [replies.text(body, quick=[mine])]


def review_actions(idea: Idea) -> list[dict[str, Any]]:
    """Buttons a staff member can tap for this idea's current status (at most four)."""
    labels = {"under_review": "รับพิจารณา", "needs_revision": "ขอแก้ไข", "approved": "อนุมัติ",
              "rejected": "ไม่อนุมัติ", "in_progress": "เริ่มดำเนินการ", "completed": "เสร็จสิ้น"}
    return [replies.act_postback(labels[dst], encode("idea.move", id=idea.id, to=dst, frm=idea.status),
                                 labels[dst])
            for dst in allowed_moves(idea.status, STAFF) if dst in labels][:4]


def idea_lines(idea: Idea, session: Session | None = None, photo_shown: bool = False) -> list[str]:
    """The idea's fields as short Thai lines (for cards); ``photo_shown``: the card shows its picture."""
    community = communities.get(session, idea.community_id) if session else None
    lines = []
    if community:
        lines.append(f"ชุมชน: {community.name}")
    if idea.topic:
        lines.append(f"ประเด็น: {topics().get(idea.topic, idea.topic)}")
    if idea.target_group:
        lines.append(f"กลุ่มเป้าหมาย: {target_groups().get(idea.target_group, idea.target_group)}")
    if idea.problem:
        lines.append(f"ปัญหา: {idea.problem}")
    if idea.plan:
        lines.append(f"สิ่งที่จะทำ: {idea.plan}")
    if idea.participants is not None:
        lines.append(f"ผู้เข้าร่วมประมาณ: {idea.participants:,} คน")
    if idea.budget is not None:
        lines.append(f"งบประมาณ: {idea.budget:,} บาท")
    if idea.funding_source:
        lines.append(f"แหล่งทุน: {funding_sources().get(idea.funding_source, idea.funding_source)}")
    granted = grant_text(idea)
    if granted:
        lines.append(f"ได้รับอนุมัติ: {granted}")
    if idea.reached_participants is not None:
        lines.append(f"ผู้เข้าร่วมจริง: {idea.reached_participants:,} คน")
    if idea.outcome:
        lines.append(f"ผลที่เกิดขึ้น: {idea.outcome}")
    contact = contact_text(idea)
    if contact:
        lines.append(f"ติดต่อ: {contact}")
    photo = idea_photos.note(session, idea, photo_shown) if session is not None else \
        ("มีรูปประกอบ 📷" if idea.photo_message_id else None)
    if photo:
        lines.append(photo)
    return lines


def contact_text(idea: Idea) -> str | None:
    """'ป้าแดง 081-555-1234' (or either part alone): who staff call. Staff only, never on a public list."""
    return " ".join(part for part in (idea.contact_name, idea.contact_phone) if part) or None


def photo_hero(url: str | None) -> dict[str, Any] | None:
    """The card's picture on top (a tap opens it whole), or None without a link."""
    if url is None:
        return None
    return {"type": "image", "url": url, "size": "full", "aspectRatio": "20:13", "aspectMode": "cover",
            "action": {"type": "uri", "label": "ดูรูป", "uri": url}}


def staff_card(session: Session, idea: Idea, heading: str = "โครงการใหม่",
               more: list[dict[str, Any]] | None = None, links: PhotoLinks | None = None,
               notes: list[str] | None = None) -> dict[str, Any]:
    """A Flex card for staff with the idea (its picture on top when stored and ``links`` can link to it), the
    buttons to move it along and `more` (a timeline) below; `notes` (what a revision changed) first."""
    submitter = session.get(User, idea.user_id)
    url = idea_photos.shown_url(session, idea, links)
    lines = list(notes or [])
    lines += [f"ผู้เสนอ: {submitter.display_name or 'ไม่ระบุชื่อ'}"] if submitter else []
    lines += idea_lines(idea, session, photo_shown=url is not None)
    lines.append(f"เลขที่ {idea.id} · ส่งเมื่อ {format_date(idea.created_at)}")
    if idea.endorsed_at:
        lines.append("✅ แกนนำชุมชนรับรองแล้ว")
    card = replies.bubble(idea.title, [replies.ftext(line) for line in lines] + (more or []), review_actions(idea),
                          subtitle=f"{heading} · {status_label(idea.status)}", color="#0B7A75")
    hero = photo_hero(url)
    if hero is not None:
        card["hero"] = hero
    return replies.flex(f"{heading}: {idea.title}", card)


def tell_staff(session: Session, idea: Idea, *, heading: str, dedupe: str, links: PhotoLinks | None = None,
               wait_for_photo: bool = True, notes: list[str] | None = None) -> None:
    """Send staff the idea's card (`notes` on top); one whose picture is still being fetched waits for it
    (idea_photos)."""
    if wait_for_photo and idea_photos.is_pending(session, idea):
        notice: dict[str, Any] = {"heading": heading, "dedupe": dedupe}
        if notes:
            notice["notes"] = notes
        idea_photos.track(session, idea, utcnow(), staff_notice=notice)
        return
    _tell_staff(session, [staff_card(session, idea, heading=heading, links=links, notes=notes)], dedupe)


def _tell_staff(session: Session, messages: list[dict[str, Any]], dedupe: str) -> None:
    ids = [u.line_user_id for u in users.staff_users(session)]
    for n, start in enumerate(range(0, len(ids), MULTICAST_MAX)):
        chunk = ids[start:start + MULTICAST_MAX]
        if len(chunk) == 1:
            enqueue(session, kind="push", to=chunk, messages=messages, category=CATEGORY,
                    dedupe_key=f"{dedupe}:{n}")
        else:
            enqueue(session, kind="multicast", to=chunk, messages=messages, category=CATEGORY,
                    dedupe_key=f"{dedupe}:{n}")


# --- commands ------------------------------------------------------------------------------------

def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def _record(session: Session, idea: Idea, src: str | None, dst: str, actor: User | None,
            reason: str | None, now: datetime) -> IdeaEvent:
    event = IdeaEvent(idea_id=idea.id, from_status=src, to_status=dst,
                      actor_user_id=actor.id if actor else None, reason=reason, created_at=now)
    session.add(event)
    session.flush()
    return event


def _notify_submitter(session: Session, idea: Idea, dst: str, reason: str | None, actor: User | None,
                      event: IdeaEvent) -> None:
    if actor is not None and actor.id == idea.user_id:
        return  # the submitter did it: the chat reply already tells them
    submitter = session.get(User, idea.user_id)
    if submitter is not None:
        enqueue_push(session, submitter, _submitter_notice(idea, dst, reason), category=CATEGORY,
                     dedupe_key=f"idea:{idea.id}:event:{event.id}")


def submit(session: Session, user: User, *, now: datetime | None = None, links: PhotoLinks | None = None,
           **fields: Any) -> Idea:
    """Record a new idea from a user who has given consent; staff are sent a card to review it (once its
    picture, if any, is fetched: see idea_photos). ``links``: how cards link to pictures."""
    now = _now(now)
    if not user.has_consented:
        raise _bad("consent_required", "ขออภัยค่ะ การเสนอโครงการต้องยินยอมให้เก็บข้อมูลก่อน "
                                       "พิมพ์ “ยินยอม” เพื่ออ่านและให้ความยินยอมได้เลยนะคะ")
    if "title" not in fields:
        raise _bad("title_required", "ขอชื่อโครงการสั้น ๆ ด้วยค่ะ")
    clean = clean_fields(session, fields)
    if "community_id" not in clean:
        clean["community_id"] = user.community_id
    idea = Idea(user_id=user.id, status="submitted", status_changed_at=now, created_at=now, updated_at=now,
                **clean)
    session.add(idea)
    session.flush()
    event = _record(session, idea, None, "submitted", user, None, now)
    if idea.photo_message_id:
        idea_photos.track(session, idea, now)
    tell_staff(session, idea, heading="โครงการใหม่", dedupe=f"idea:{idea.id}:staff:{event.id}", links=links)
    return idea


def _lock(session: Session, idea: Idea | int) -> Idea:
    """The idea, re-read with its row locked for the rest of the transaction."""
    idea_id = idea if isinstance(idea, int) else idea.id
    row = session.scalar(locked(select(Idea).where(Idea.id == idea_id)))
    if row is None:
        raise _bad("idea_not_found", "ไม่พบโครงการนี้ค่ะ อาจถูกลบไปแล้วนะคะ")
    return row


def changed_message(idea: Idea) -> str:
    return (f"โครงการ {_q(idea.title)} เปลี่ยนสถานะเป็น “{status_label(idea.status)}” ไปแล้วค่ะ "
            "จึงทำรายการนี้ไม่ได้ ลองเปิดดูสถานะล่าสุดอีกครั้งนะคะ")


def _forbidden_message(idea: Idea, dst: str) -> str:
    """Why not, and what can be done from here ("ปิดโครงการ" on an approved idea: start it first)."""
    nexts = [f"“{status_label(s)}”" for s in allowed_moves(idea.status, STAFF)]
    hint = f" ตอนนี้เปลี่ยนเป็น {' หรือ '.join(nexts)} ได้ค่ะ" if nexts else ""
    return (f"โครงการที่อยู่ในสถานะ “{status_label(idea.status)}” "
            f"เปลี่ยนเป็น “{status_label(dst)}” ไม่ได้ค่ะ{hint}")


def _apply(session: Session, idea: Idea, actor: User | None, dst: str, reason: str | None,
           now: datetime) -> IdeaEvent:
    src = idea.status
    idea.status = dst
    idea.status_changed_at = now
    idea.updated_at = now
    event = _record(session, idea, src, dst, actor, reason, now)
    _notify_submitter(session, idea, dst, reason, actor, event)
    return event


def move(session: Session, idea: Idea | int, actor: User | None, to: str, *, reason: str | None = None,
         expected_from: str | None = None, now: datetime | None = None, granted_fund: str | None = None,
         granted_budget: int | None = None, reached: int | None = None, outcome: str | None = None) -> Idea:
    """Move an idea along its lifecycle (staff moves, or a submitter's withdraw).

    ``actor`` None is staff at the console (`flask ideas move`): staff moves only, recorded as staff's.

    At approval, ``granted_fund`` (a funding_sources key) and ``granted_budget`` (baht) record the funding,
    which the submitter is told; either may be left out when not known yet. At completion, ``reached``
    (how many people took part) and ``outcome`` (what changed) are the One Report's figures.

    ``expected_from`` is the status the actor saw (e.g. on a button): if someone else changed the
    idea meanwhile, the move is refused instead of applied on top of their change.
    """
    now = _now(now)
    idea = _lock(session, idea)
    if expected_from is not None and idea.status != expected_from:
        raise _bad("idea_changed", changed_message(idea))
    if to == "withdrawn" and idea.status in FOLLOW_UP_STATUSES:
        raise _bad("withdraw_after_approval", withdraw_refusal(idea))
    rule = _BY_PAIR.get((idea.status, to))
    if rule is None or rule.via_revise:
        if idea.status in FINAL_STATUSES:
            raise _bad("idea_closed", f"โครงการนี้{status_label(idea.status)} จึงเปลี่ยนสถานะอีกไม่ได้ค่ะ")
        raise _bad("bad_transition", _forbidden_message(idea, to))
    if rule.who == STAFF and actor is not None and not actor.is_staff:
        raise _bad("not_allowed", "ขออภัยค่ะ เฉพาะเจ้าหน้าที่เท่านั้นที่เปลี่ยนสถานะโครงการได้นะคะ")
    if rule.who == SUBMITTER and (actor is None or actor.id != idea.user_id):
        raise _bad("not_allowed", "ขออภัยค่ะ เฉพาะผู้เสนอโครงการเท่านั้นที่ทำรายการนี้ได้นะคะ")
    reason = _clean_text(reason, "เหตุผล", MAX_TEXT)
    if rule.needs_reason and not reason:
        raise _bad("reason_required", "ขอเหตุผลสั้น ๆ ให้ผู้เสนอทราบด้วยค่ะ")
    if granted_fund is not None or granted_budget is not None:
        if to != "approved":
            raise _bad("grant_not_approval", "บันทึกแหล่งทุนและงบที่ได้รับได้ตอนอนุมัติโครงการเท่านั้นค่ะ")
        idea.granted_fund = _clean_key(granted_fund, grant_funds(), "bad_fund", "แหล่งทุน")
        idea.granted_budget = clean_budget(granted_budget)
    if reached is not None or outcome is not None:
        if to != "completed":
            raise _bad("result_not_completion", "บันทึกผลโครงการได้ตอนโครงการเสร็จสิ้นเท่านั้นค่ะ")
        idea.reached_participants = clean_participants(reached)
        idea.outcome = _clean_text(outcome, "ผลที่เกิดขึ้น", MAX_TEXT)
    _apply(session, idea, actor, to, reason, now)
    return idea


def grant_text(idea: Idea) -> str | None:
    """'งบ 25,000 บาท จากกองทุนหลักประกันสุขภาพ กทม.' (or either part alone), once the idea is funded."""
    fund = funding_sources().get(idea.granted_fund, idea.granted_fund) if idea.granted_fund else None
    amount = f"งบ {idea.granted_budget:,} บาท" if idea.granted_budget is not None else None
    if amount and fund:
        return f"{amount} {after_word('จาก', fund)}"
    return amount or (after_word("ทุนจาก", fund) if fund else None)


def after_word(word: str, name: str) -> str:
    """A fund's name after "จาก"/"ขอ": run on ("จากกองทุน…"), but an abbreviation set apart ("จาก สสส."), as
    Thai writing does."""
    return f"{word} {name}" if name.split(" ")[0].endswith(".") else f"{word}{name}"


def result_text(idea: Idea) -> str | None:
    """'ผู้เข้าร่วม 95 คน · ผู้สูงอายุออกกำลังกายทุกเช้า' (or either part alone), once the idea is completed."""
    parts = []
    if idea.reached_participants is not None:
        parts.append(f"ผู้เข้าร่วม {idea.reached_participants:,} คน")
    if idea.outcome:
        parts.append(idea.outcome)
    return " · ".join(parts) or None


def can_withdraw(idea: Idea) -> bool:
    """Whether the submitter may still take the idea back themselves (before approval)."""
    return idea.status in WITHDRAWABLE_STATUSES


def withdraw_refusal(idea: Idea) -> str:
    """Why an approved or running idea cannot be withdrawn by its submitter, and who to ask."""
    return WITHDRAW_AFTER_APPROVAL.format(title=idea.title)


def withdraw(session: Session, idea: Idea | int, user: User, *, reason: str | None = None,
             now: datetime | None = None) -> Idea:
    """The submitter takes their idea back, only before approval (submitted, under review, sent back)."""
    return move(session, idea, user, "withdrawn", reason=reason, now=now)


def revise(session: Session, idea: Idea | int, user: User, *, note: str | None = None,
           now: datetime | None = None, links: PhotoLinks | None = None, **fields: Any) -> Idea:
    """The submitter answers a revision request: edit fields, and the idea goes back to its reviewer.

    It returns to the status it had when the revision was asked (submitted or under_review).
    """
    now = _now(now)
    idea = _lock(session, idea)
    if idea.user_id != user.id:
        raise _bad("not_allowed", "ขออภัยค่ะ เฉพาะผู้เสนอโครงการเท่านั้นที่แก้ไขได้นะคะ")
    if idea.status != "needs_revision":
        raise _bad("not_needs_revision", f"โครงการนี้อยู่ในสถานะ “{status_label(idea.status)}” "
                                         "ยังไม่ต้องแก้ไขค่ะ")
    changes = _change_fields(session, idea, user, clean_fields(session, fields), now, links)
    asked = session.scalar(
        select(IdeaEvent).where(IdeaEvent.idea_id == idea.id, IdeaEvent.to_status == "needs_revision",
                           IdeaEvent.from_status != IdeaEvent.to_status)
        .order_by(IdeaEvent.id.desc()).limit(1)
    )
    back_to = asked.from_status if asked and asked.from_status in ("submitted", "under_review") else "submitted"
    said = _clean_text(note, "หมายเหตุ", MAX_TEXT)
    event = _apply(session, idea, user, back_to, revision_note(session, changes, said), now)
    heading = REVISED if changes else ANSWERED if said else UNCHANGED
    tell_staff(session, idea, heading=heading, dedupe=f"idea:{idea.id}:staff:{event.id}", links=links,
               notes=revision_lines(session, changes, said))
    return idea


REVISED = "แก้ไขแล้ว"
ANSWERED = "ผู้เสนอตอบกลับ"
UNCHANGED = "ส่งกลับโดยไม่แก้ไข"
"""Staff's card heading after a revision request: fields changed, only words sent back, or neither."""


def revision_note(session: Session | None, changes: dict[str, tuple[Any, Any]], said: str | None) -> str:
    """The timeline's note for a revision: what the submitter wrote, and which fields changed."""
    changed = ", ".join(FIELD_NAMES.get(name, name) for name in changes)
    if said:
        return f"{said}\n(แก้ไข: {changed})" if changed else said
    return f"ผู้เสนอปรับแก้ตามคำขอแล้ว (แก้ไข: {changed})" if changed else "ผู้เสนอส่งกลับโดยไม่แก้ไขข้อมูล"


def revision_lines(session: Session | None, changes: dict[str, tuple[Any, Any]], said: str | None) -> list[str]:
    """Lines on staff's card: each field changed (old → new) and the submitter's words, or that nothing changed."""
    lines = [f"แก้ไข{change_text(session, name, old, new)}" for name, (old, new) in changes.items()]
    if not changes:
        lines.append(f"ไม่มีการแก้ไขข้อมูล มีข้อความจากผู้เสนอ: “{said}”" if said else "ไม่มีการแก้ไขข้อมูล")
    elif said:
        lines.append(f"ข้อความจากผู้เสนอ: “{said}”")
    return lines


FIELD_NAMES = {"title": "ชื่อโครงการ", "topic": "ประเด็น", "community_id": "ชุมชน", "target_group": "กลุ่มเป้าหมาย",
               "problem": "ปัญหา", "plan": "สิ่งที่จะทำ", "participants": "ผู้เข้าร่วม", "budget": "งบประมาณ",
               "funding_source": "แหล่งทุน", "photo_message_id": "รูปประกอบ", "contact_phone": "เบอร์ติดต่อ",
               "contact_name": "ชื่อผู้ติดต่อ"}
"""A field's name as the cards call it."""


def field_value_text(session: Session | None, name: str, value: Any) -> str:
    """A field's value as people read it ("8,000 บาท", "ผู้สูงอายุ"); "ไม่ระบุ" when empty."""
    if value is None or value == "":
        return "ไม่ระบุ"
    if name == "budget":
        return f"{value:,} บาท"
    if name == "participants":
        return f"{value:,} คน"
    if name in ("topic", "target_group", "funding_source"):
        return {"topic": topics, "target_group": target_groups, "funding_source": funding_sources}[name]().get(
            value, value)
    if name == "community_id":
        community = communities.get(session, value) if session is not None else None
        return community.name if community else "ไม่ระบุ"
    if name == "photo_message_id":
        return "มีรูป"
    return str(value)


def change_text(session: Session | None, name: str, old: Any, new: Any) -> str:
    """"งบประมาณ: 8,000 บาท → 12,000 บาท"; a long text is named with its new words only."""
    label = FIELD_NAMES.get(name, name)
    if name in ("problem", "plan"):
        return f"{label}: “{field_value_text(session, name, new)[:200]}”"
    return f"{label}: {field_value_text(session, name, old)} → {field_value_text(session, name, new)}"


def changes_from(session: Session, idea: Idea, fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Which of `fields` would change the idea, (old, new) by name; a value the idea cannot take is left out."""
    out: dict[str, tuple[Any, Any]] = {}
    for name, value in fields.items():
        try:
            clean = clean_fields(session, {name: value})
        except ServiceError:
            continue
        if name in clean and getattr(idea, name) != clean[name]:
            out[name] = (getattr(idea, name), clean[name])
    return out


def edit(session: Session, idea: Idea | int, user: User, *, now: datetime | None = None,
         links: PhotoLinks | None = None, **fields: Any) -> Idea:
    """The submitter corrects fields while the idea waits to be picked up (status submitted only)."""
    now = _now(now)
    idea = _lock(session, idea)
    if idea.user_id != user.id:
        raise _bad("not_allowed", "ขออภัยค่ะ เฉพาะผู้เสนอโครงการเท่านั้นที่แก้ไขได้นะคะ")
    if idea.status == "needs_revision":
        return revise(session, idea, user, now=now, links=links, **fields)
    if idea.status != "submitted":
        raise _bad("not_editable", f"โครงการนี้อยู่ในสถานะ “{status_label(idea.status)}” แล้ว "
                                   "จึงแก้ไขเองไม่ได้ค่ะ ติดต่อเจ้าหน้าที่ได้นะคะ")
    _change_fields(session, idea, user, clean_fields(session, fields), now, links)
    idea.updated_at = now
    return idea


def _change_fields(session: Session, idea: Idea, user: User, clean: dict[str, Any], now: datetime,
                   links: PhotoLinks | None = None) -> dict[str, tuple[Any, Any]]:
    """The submitter's edit; returns the fields changed, (old, new) by name, in the cards' order. An endorsement
    was given to what the idea said then: a change to what it says lapses it (on the timeline, and the leader
    is told to look again); a photo or the contact alone does not. A new picture is fetched again (idea_photos)."""
    changes = {name: (getattr(idea, name), clean[name]) for name in EDITABLE_FIELDS
               if name in clean and getattr(idea, name) != clean[name]}
    changed = set(changes)
    for name in changed:
        setattr(idea, name, clean[name])
    if "photo_message_id" in changed:
        idea_photos.track(session, idea, now, links=links)
    if idea.endorsed_at is None or not changed - {"photo_message_id", "contact_phone", "contact_name"}:
        return changes
    leader = session.get(User, idea.endorsed_by_user_id) if idea.endorsed_by_user_id else None
    idea.endorsed_at = idea.endorsed_by_user_id = None
    event = _record(session, idea, idea.status, idea.status, user, ENDORSEMENT_LAPSED_NOTE, now)
    if leader is not None:
        look = replies.quick_message("โครงการในชุมชน", "โครงการในชุมชน")
        enqueue_push(session, leader, [replies.text(
            f"โครงการ {_q(idea.title)} ที่คุณรับรองไว้ ผู้เสนอแก้ไขรายละเอียดแล้วค่ะ "
            "ถ้ายังสนับสนุนอยู่ แตะ “รับรองโครงการ” ฉบับใหม่อีกครั้งได้นะคะ", quick=[look])],
            category=CATEGORY, dedupe_key=f"idea:{idea.id}:event:{event.id}")
    return changes


def endorse(session: Session, idea: Idea | int, leader: User, *, now: datetime | None = None) -> Idea:
    """A community leader vouches for a resident's idea from their own community."""
    now = _now(now)
    idea = _lock(session, idea)
    if leader.role != "leader":
        raise _bad("not_allowed", "ขออภัยค่ะ การรับรองโครงการทำได้เฉพาะแกนนำชุมชนนะคะ")
    if idea.community_id is None or idea.community_id != leader.community_id:
        raise _bad("not_allowed", "รับรองได้เฉพาะโครงการในชุมชนของคุณเองค่ะ")
    if idea.user_id == leader.id:
        raise _bad("own_idea", "โครงการที่เสนอเองรับรองเองไม่ได้ค่ะ ขอให้แกนนำท่านอื่นช่วยรับรองนะคะ")
    if idea.endorsed_at is not None:
        raise _bad("already_endorsed", "โครงการนี้ได้รับการรับรองแล้วค่ะ")
    if idea.status not in ENDORSABLE_STATUSES:
        raise _bad("not_endorsable", f"โครงการนี้อยู่ในสถานะ “{status_label(idea.status)}” "
                                     "จึงไม่ต้องรับรองแล้วค่ะ")
    idea.endorsed_by_user_id = leader.id
    idea.endorsed_at = now
    idea.updated_at = now
    # An endorsement is an event that keeps the status (from == to), so it shows on the timeline.
    event = _record(session, idea, idea.status, idea.status, leader, ENDORSE_NOTE, now)
    _notify_submitter(session, idea, "endorsed", None, leader, event)
    return idea


def withdraw_endorsement(session: Session, idea: Idea | int, leader: User, *, now: datetime | None = None) -> Idea:
    """The leader who endorsed an idea takes it back (while it is still under review), on the timeline."""
    now = _now(now)
    idea = _lock(session, idea)
    if idea.endorsed_at is None or idea.endorsed_by_user_id != leader.id:
        raise _bad("not_endorsed_by_you", "โครงการนี้ไม่ได้รับรองโดยคุณค่ะ จึงถอนการรับรองไม่ได้")
    if idea.status not in ENDORSABLE_STATUSES:
        raise _bad("review_over", f"โครงการนี้อยู่ในสถานะ “{status_label(idea.status)}” แล้ว "
                                  "การรับรองจึงถอนไม่ได้ค่ะ ติดต่อเจ้าหน้าที่ได้นะคะ")
    idea.endorsed_at = idea.endorsed_by_user_id = None
    idea.updated_at = now
    _record(session, idea, idea.status, idea.status, leader, ENDORSEMENT_WITHDRAWN_NOTE, now)
    return idea


# --- queries -------------------------------------------------------------------------------------

def revision_asked(session: Session, idea: Idea) -> str | None:
    """What staff asked to change, while the idea waits for its submitter's revision."""
    if idea.status != "needs_revision":
        return None
    return session.scalar(
        select(IdeaEvent.reason).where(IdeaEvent.idea_id == idea.id, IdeaEvent.to_status == "needs_revision",
                           IdeaEvent.from_status != IdeaEvent.to_status)
        .order_by(IdeaEvent.id.desc()).limit(1)
    )


def get_idea(session: Session, idea_id: int) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None:
        raise _bad("idea_not_found", "ไม่พบโครงการนี้ค่ะ อาจถูกลบไปแล้วนะคะ")
    return idea


def my_ideas(session: Session, user: User) -> list[Idea]:
    """The user's own ideas, newest first."""
    return list(session.scalars(
        select(Idea).where(Idea.user_id == user.id).order_by(Idea.created_at.desc(), Idea.id.desc())
    ))


def community_ideas(session: Session, community: CommunityLike | int | None) -> list[Idea]:
    """A community's ideas (withdrawn ones left out), newest first."""
    if community is None:
        return []
    cid = community if isinstance(community, int) else community.id
    return list(session.scalars(
        select(Idea).where(Idea.community_id == cid, Idea.status != "withdrawn")
        .order_by(Idea.created_at.desc(), Idea.id.desc())
    ))


def in_statuses(session: Session, statuses: tuple[str, ...], limit: int | None = None) -> list[Idea]:
    """Ideas in these statuses, the longest in their status first (what staff move next)."""
    return list(session.scalars(
        select(Idea).where(Idea.status.in_(statuses)).order_by(Idea.status_changed_at, Idea.id).limit(limit)
    ))


def pending_review(session: Session) -> list[Idea]:
    """Ideas waiting for staff (submitted or under review), longest-waiting first."""
    return in_statuses(session, REVIEW_STATUSES)


def follow_up(session: Session) -> list[Idea]:
    """Approved ideas and those under way, the longest in their status first."""
    return in_statuses(session, FOLLOW_UP_STATUSES)


@dataclass
class TimelineEntry:
    at: datetime
    status: str
    label: str
    who: str
    reason: str | None = None
    kind: str = "status"  # status, endorsed, endorsement_lapsed, endorsement_withdrawn

    @property
    def date_th(self) -> str:
        return format_date(self.at)


def _who(session: Session, idea: Idea, actor_id: int | None) -> str:
    if actor_id is None:
        return "เจ้าหน้าที่"
    if actor_id == idea.user_id:
        return "ผู้เสนอ"
    actor = session.get(User, actor_id)
    if actor is None:
        return "เจ้าหน้าที่"
    return {"leader": "แกนนำชุมชน", "staff": "เจ้าหน้าที่", "admin": "เจ้าหน้าที่"}.get(actor.role, "ผู้ใช้")


def timeline(session: Session, idea: Idea | int) -> list[TimelineEntry]:
    """What happened to the idea, oldest first: status, when, who (by role) and why."""
    idea = get_idea(session, idea) if isinstance(idea, int) else idea
    events = session.scalars(select(IdeaEvent).where(IdeaEvent.idea_id == idea.id).order_by(IdeaEvent.id))
    out = []
    for e in events:
        if e.from_status == e.to_status and e.reason == ENDORSEMENT_LAPSED_NOTE:
            out.append(TimelineEntry(e.created_at, e.to_status, "แก้ไขหลังแกนนำรับรอง (รอรับรองใหม่)",
                                     _who(session, idea, e.actor_user_id), None, kind="endorsement_lapsed"))
        elif e.from_status == e.to_status and e.reason == ENDORSEMENT_WITHDRAWN_NOTE:
            out.append(TimelineEntry(e.created_at, e.to_status, "แกนนำชุมชนถอนการรับรอง",
                                     _who(session, idea, e.actor_user_id), None, kind="endorsement_withdrawn"))
        elif e.from_status == e.to_status:
            out.append(TimelineEntry(e.created_at, e.to_status, "รับรองโดยแกนนำชุมชน",
                                     _who(session, idea, e.actor_user_id), None, kind="endorsed"))
        else:
            out.append(TimelineEntry(e.created_at, e.to_status, status_label(e.to_status),
                                     _who(session, idea, e.actor_user_id), e.reason))
    return out


# --- drafts --------------------------------------------------------------------------------------

DRAFT_KEPT = timedelta(days=7)
"""How long an idea left half-way is kept to go on with (then it is as if it was never started)."""


def save_draft(session: Session, user: User, data: dict[str, Any], now: datetime | None = None) -> None:
    """Keep the journey's answers so far (one draft per person: the newest replaces the one before)."""
    now = _now(now)
    draft = session.scalar(select(IdeaDraft).where(IdeaDraft.user_id == user.id))
    if draft is None:
        session.add(IdeaDraft(user_id=user.id, data=dict(data), saved_at=now))
    else:
        draft.data, draft.saved_at = dict(data), now
    session.flush()


def draft_of(session: Session, user: User, now: datetime | None = None) -> IdeaDraft | None:
    """The person's idea left half-way within DRAFT_KEPT; an older one is dropped."""
    draft = session.scalar(select(IdeaDraft).where(IdeaDraft.user_id == user.id))
    if draft is not None and draft.saved_at < _now(now) - DRAFT_KEPT:
        session.delete(draft)
        session.flush()
        return None
    return draft


def drop_draft(session: Session, user: User) -> None:
    session.execute(delete(IdeaDraft).where(IdeaDraft.user_id == user.id))


def keep_drafts_of_idle(session: Session, rows: list[tuple[str, dict[str, Any]]], now: datetime) -> int:
    """Ideas whose journey is cleared after a long silence (line user id, the flow's data): kept as drafts,
    as leaving them mid-way keeps them. Returns how many were kept."""
    from bot.services.users import get_user

    kept = 0
    for line_user_id, data in rows:
        said = [value for key, value in (data or {}).items()
                if not key.startswith("_") and key != "resume" and value not in (None, "")]
        user = get_user(session, line_user_id) if said and not (data or {}).get("_idea_id") else None
        if user is not None:
            save_draft(session, user, {k: v for k, v in data.items() if k not in ("_switch", "_return_to")}, now)
            kept += 1
    return kept
