"""Staff broadcasts: audiences, scheduling, dispatch into the outbox, quota warnings and the audit record.

A broadcast is a `Broadcast` row (who, what, to whom, when); at its time it becomes outbox rows: one
`broadcast` row for everyone (LINE's broadcast endpoint), or `multicast` rows of at most 500 people.
The audience is resolved when it is sent, not when it is written, so a broadcast set for next week
reaches the people who are there next week. Delivery counts come back from the outbox sender.

A picture is an HTTPS address staff typed (``image_url``) or one they sent in the chat (``photo_id``, a
``BroadcastPhoto`` kept here): that one is linked when the broadcast goes out, signed then (``photos``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot import replies
from bot.services import broadcast_photos, communities
from bot.services.errors import ServiceError
from bot.services.outbox import MUTABLE_CATEGORIES, enqueue, enqueue_push
from bot.services.photos import PhotoLinks
from bot.thaidate import THAI_DIGITS, format_datetime
from storage.db import locked
from storage.models import ROLES, Activity, Broadcast, OutboxMessage, Signup, User, utcnow

MULTICAST_MAX = 500
LARGE_SEND = 500
"""Recipients from which staff see the month's quota before confirming."""
AUDIENCES = ("all", "community", "role", "activity", "waitlist", "topic")
TOPIC_NAMES = {
    "tobacco": "ยาสูบและบุหรี่ไฟฟ้า", "alcohol_drugs": "สุราและสิ่งเสพติด", "food": "อาหารปลอดภัยและโภชนาการ",
    "physical_activity": "กิจกรรมทางกายและการออกกำลังกาย", "road_safety": "ความปลอดภัยทางถนน",
    "mental_health": "สุขภาพจิต", "environment": "สิ่งแวดล้อม ขยะ และฝุ่น PM2.5",
    "emerging": "โรคอุบัติใหม่และการป้องกันโรค",
}
STATUS_NAMES = {"scheduled": "รอส่ง", "sending": "กำลังส่ง", "sent": "ส่งแล้ว", "failed": "ส่งไม่สำเร็จ",
                "cancelled": "ยกเลิกแล้ว"}
ROLE_NAMES = {"resident": "ประชาชน", "leader": "แกนนำชุมชน", "staff": "เจ้าหน้าที่", "admin": "ผู้ดูแลระบบ"}
SIGN_UP_AUDIENCES = ("activity", "waitlist")
SIGN_UP_NOTICE = "signup_notice"
"""The category of a message to an activity's participants (or its waitlist): about their own sign-up, like
a reminder, so it reaches them when they muted announcements (not when they blocked the bot or said no)."""
MAX_TEXT = 2000
SCHEDULE_GRACE = timedelta(minutes=1)


# --- audiences -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Audience:
    kind: str
    value: str | None = None


def resolve_audience(session: Session, kind: str, value: Any = None) -> Audience:
    """Check an audience and normalise its value (community by id, code or name; activity by id)."""
    if kind not in AUDIENCES:
        raise ServiceError("bad_audience", "ไม่รู้จักกลุ่มผู้รับนี้ค่ะ")
    if kind == "all":
        return Audience("all")
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ServiceError("audience_value", "กรุณาระบุกลุ่มผู้รับให้ชัดเจนค่ะ")
    if kind == "community":
        return Audience("community", str(communities.named_exactly(session, text, by_id=True).id))
    if kind == "role":
        if text not in ROLES:
            raise ServiceError("bad_role", f"ไม่รู้จักบทบาท {text} ค่ะ")
        return Audience("role", text)
    if kind in ("activity", "waitlist"):
        activity = session.get(Activity, int(text)) if text.isdigit() else None
        if activity is None:
            raise ServiceError("activity_not_found", "ไม่พบกิจกรรมนี้ค่ะ")
        return Audience(kind, str(activity.id))
    if text not in TOPIC_NAMES:
        raise ServiceError("bad_topic", "ไม่รู้จักประเด็นนี้ค่ะ")
    return Audience("topic", text)


ROLE_WORDS = {"leader": ("แกนนำชุมชน", "แกนนำ", "ผู้นำชุมชน"), "staff": ("เจ้าหน้าที่",),
              "admin": ("ผู้ดูแลระบบ", "แอดมิน"), "resident": ("ประชาชน", "ชาวบ้าน")}
"""Words for a role said as an audience ("ประกาศถึงแกนนำชุมชนว่า…")."""
_EVERYONE = re.compile(r"(?:ทุกคน|ทั้งหมด|ทั้งเขต|ทุกชุมชน|everyone)")
_ACTIVITY_PEOPLE = re.compile(r"(?P<who>ผู้|คนที่|คน)?(?P<list>สมัคร|ลงทะเบียน|ลงชื่อ|เข้าร่วม|รายชื่อสำรอง|สำรอง)(?:ร่วม|ไว้)?"
                              r"\s*(?:กิจกรรม)?\s*(?:ที่|เลขที่|#)?\s*#?\s*(?P<no>[0-9๐-๙]{1,9})")
_TOPIC_PEOPLE = re.compile(r"ผู้สนใจ\s*(?:เรื่อง|ประเด็น)?\s*(?P<topic>.+)")
AUDIENCES_OFFERED = ("ทุกคน สมาชิกชุมชน ผู้ใช้ตามบทบาท (แกนนำชุมชน เจ้าหน้าที่ ประชาชน) "
                     "ผู้ลงทะเบียนกิจกรรม รายชื่อสำรอง หรือผู้สนใจประเด็น")


def audience_said(session: Session, words: str) -> Audience:
    """The audience in words ("ทุกคน", "ชุมชนโชคชัย 4", "แกนนำชุมชน", "ผู้สมัครกิจกรรม 8", "ผู้สนใจเรื่องอาหาร");
    a ServiceError saying which audiences there are when the words name none (a target group such as
    "ผู้สูงอายุ" is not one: nobody tells the bot their age)."""
    from nlp.normalize import without_particles

    said = without_particles(" ".join((words or "").split())).strip()
    bare = said.replace(" ", "")
    if _EVERYONE.fullmatch(bare):
        return Audience("all")
    for role, names in ROLE_WORDS.items():
        if bare.removesuffix("ทุกคน") in names:
            return Audience("role", role)
    people = _ACTIVITY_PEOPLE.fullmatch(bare.translate(THAI_DIGITS))
    if people:
        kind = "waitlist" if "สำรอง" in people["list"] else "activity"
        return resolve_audience(session, kind, people["no"])
    topic = _TOPIC_PEOPLE.fullmatch(bare)
    if topic:
        for key, name in TOPIC_NAMES.items():
            if topic["topic"] in name.replace(" ", "") or name.split()[0] in topic["topic"]:
                return Audience("topic", key)
    community = communities.community_said_alone(session, said) if said else None
    if community is not None:
        return Audience("community", str(communities.one_named(session, said).id))
    raise ServiceError("not_an_audience", f"ยังส่งประกาศถึง “{said}” โดยตรงไม่ได้ค่ะ ส่งได้ถึง{AUDIENCES_OFFERED}ค่ะ")


def audience_label(session: Session, kind: str, value: str | None) -> str:
    """Thai description of an audience, for previews and lists."""
    if kind == "all":
        return "ทุกคนที่เป็นเพื่อนกับบัญชี"
    if kind == "community":
        community = communities.get(session, value)
        if community is None:
            return "สมาชิกชุมชน (ไม่พบแล้ว)"
        # "ชุมชนลาดพร้าว 101" already says ชุมชน: not "สมาชิกชุมชนชุมชน…"
        return f"สมาชิก{community.name}" if community.name.startswith("ชุมชน") else f"สมาชิกชุมชน{community.name}"
    if kind == "role":
        return f"ผู้ใช้บทบาท{ROLE_NAMES.get(value or '', value)}"
    if kind in ("activity", "waitlist"):
        activity = session.get(Activity, int(value)) if value and value.isdigit() else None
        title = f"“{activity.title}”" if activity else "(ไม่พบแล้ว)"
        return f"ผู้ลงทะเบียนกิจกรรม {title}" if kind == "activity" else f"รายชื่อสำรองกิจกรรม {title}"
    return f"ผู้สนใจเรื่อง{TOPIC_NAMES.get(value or '', value)}"


def category_for(kind: str | None, category: str = "announcement") -> str:
    """The category a broadcast to this audience goes out as: SIGN_UP_NOTICE to an activity's people."""
    return SIGN_UP_NOTICE if kind in SIGN_UP_AUDIENCES else category


def after_the_activity(session: Session, kind: str | None, value: str | None, send_at: datetime,
                       now: datetime) -> str | None:
    """A warning for staff when a message to an activity's people is set to go out after it has ended (it had
    not when written: a thank-you written afterwards is meant to go then)."""
    if kind not in SIGN_UP_AUDIENCES or not (value or "").isdigit():
        return None
    activity = session.get(Activity, int(value or 0))
    if activity is None or not (now < activity.ends_at <= send_at):
        return None
    return (f"⚠️ กิจกรรม “{activity.title}” จบ {format_datetime(activity.ends_at)} แต่ประกาศนี้จะส่ง "
            f"{format_datetime(send_at)} หลังกิจกรรมจบแล้ว ลองเลือกเวลาก่อนหน้านั้นไหมคะ")


def _audience_query(kind: str, value: str | None) -> Any:
    q = select(User.id, User.line_user_id, User.muted_categories, User.interests).where(
        User.is_active.is_(True),
        or_(User.consent_at.is_not(None), User.consent_declined_at.is_(None)))  # not to those who said no (PDPA)
    if kind == "community":
        q = q.where(User.community_id == int(value or 0))
    elif kind == "role":
        q = q.where(User.role == value)
    elif kind in ("activity", "waitlist"):
        status = "confirmed" if kind == "activity" else "waitlisted"
        ids = select(Signup.user_id).where(Signup.activity_id == int(value or 0), Signup.status == status)
        q = q.where(User.id.in_(ids))
    return q.order_by(User.id)


def audience_ids(session: Session, kind: str, value: str | None, category: str = "announcement") -> list[str]:
    """LINE ids of followers in the audience who still follow the bot and have not muted the category (an
    activity's people hear about their sign-up whatever they muted: category_for)."""
    category = category_for(kind, category)
    out = []
    for _id, line_id, muted, interests in session.execute(_audience_query(kind, value)):
        if kind == "topic" and value not in (interests or []):
            continue
        if category in MUTABLE_CATEGORIES and category in (muted or []):
            continue
        out.append(line_id)
    return out


def audience_users(session: Session, kind: str, value: str | None, category: str = "announcement") -> list[User]:
    """The same audience as User rows (for small audiences and tests)."""
    ids = audience_ids(session, kind, value, category)
    users: list[User] = []
    for i in range(0, len(ids), 500):
        users += session.scalars(select(User).where(User.line_user_id.in_(ids[i:i + 500])).order_by(User.id))
    return users


def uses_broadcast_endpoint(session: Session, kind: str, category: str = "announcement") -> bool:
    """"Everyone" goes through LINE's broadcast endpoint unless someone must be left out: who declined consent
    (PDPA), or muted the category (the endpoint reaches every follower)."""
    if kind != "all":
        return False
    declined = session.scalar(select(User.id).where(User.is_active.is_(True), User.consent_at.is_(None),
                                                    User.consent_declined_at.is_not(None)).limit(1))
    if declined is not None:
        return False
    if category not in MUTABLE_CATEGORIES:
        return True
    for muted in session.scalars(select(User.muted_categories).where(User.is_active.is_(True))):
        if category in (muted or []):
            return False
    return True


def estimate_recipients(session: Session, kind: str, value: str | None, category: str = "announcement") -> int:
    if uses_broadcast_endpoint(session, kind, category):
        return int(session.scalar(select(func.count(User.id)).where(User.is_active.is_(True))) or 0)
    return len(audience_ids(session, kind, value, category))


# --- messages ------------------------------------------------------------------------------------

def _check_url(url: str | None, what: str) -> str | None:
    if not url:
        return None
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc or len(url) > 1000:
        raise ServiceError("bad_url", f"{what}ต้องเป็นลิงก์ที่ขึ้นต้นด้วย https:// ค่ะ")
    return url


HEADING = "📢 ประกาศจากเขตลาดพร้าว"
"""The first line of every announcement, so residents see who it is from (it came as bare text)."""


def with_heading(text: str) -> str:
    """The announcement as residents read it: the heading, then the text (once, however often it is built)."""
    return text if text.startswith(HEADING) else f"{HEADING}\n{text}"


def build_messages(text: str, image_url: str | None = None, link_url: str | None = None,
                   link_label: str | None = None, preview_url: str | None = None) -> list[dict[str, Any]]:
    """Exactly what residents receive (also used for the staff preview): the text under ``HEADING``.
    ``preview_url``: a smaller copy of the picture for the image message's preview (the picture itself without
    one)."""
    text = with_heading(text)
    if link_url:
        card: dict[str, Any] = {
            "type": "bubble",
            "body": replies.fbox([replies.ftext(text, size="md")], paddingAll="16px"),
            "footer": replies.fbox([replies.fbutton(replies.act_uri(link_label or "ดูรายละเอียด", link_url))],
                                   paddingAll="12px"),
        }
        if image_url:
            card["hero"] = {"type": "image", "url": image_url, "size": "full", "aspectMode": "cover",
                            "aspectRatio": "20:13"}
        return [replies.flex(text[: replies.MAX_ALT], card)]
    messages = [replies.text(text)]
    if image_url:
        messages.append(replies.image(image_url, preview_url))
    return messages


def messages_of(broadcast: Broadcast, session: Session | None = None,
                links: PhotoLinks | None = None) -> list[dict[str, Any]]:
    """What residents receive; a picture sent in the chat is linked now (without a session or links: left out)."""
    image, preview = image_of(broadcast, session, links)
    return build_messages(broadcast.text, image, broadcast.link_url, broadcast.link_label, preview)


def image_of(broadcast: Broadcast, session: Session | None,
             links: PhotoLinks | None) -> tuple[str | None, str | None]:
    """The broadcast's picture and its preview as HTTPS addresses: the one typed, or signed links to the one
    sent in the chat ((None, None) when there is none, or it cannot be linked)."""
    if not broadcast.photo_id:
        return broadcast.image_url, None
    if session is None:
        return None, None
    return broadcast_photos.urls(broadcast_photos.get(session, broadcast.photo_id), links) or (None, None)


def sends_per_recipient(messages: list[dict[str, Any]]) -> int:
    """LINE counts one message per recipient per request; long content takes several requests."""
    return len(replies.finalize(messages))


# --- quota ---------------------------------------------------------------------------------------

@dataclass
class QuotaCheck:
    limit: int | None
    used: int
    needed: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def enough(self) -> bool:
        return self.remaining is None or self.remaining >= self.needed

    def warning(self) -> str | None:
        """Thai warning for staff when this send would run past the month's quota."""
        if self.enough:
            return None
        return (f"⚠️ โควตาข้อความเดือนนี้เหลือ {self.remaining:,} ข้อความ แต่การส่งครั้งนี้ใช้ประมาณ "
                f"{self.needed:,} ข้อความค่ะ ผู้รับบางส่วนอาจไม่ได้รับข้อความนะคะ")

    def summary(self) -> str:
        if self.limit is None:
            return f"การส่งครั้งนี้ใช้ประมาณ {self.needed:,} ข้อความ (โควตาไม่จำกัด)"
        return f"การส่งครั้งนี้ใช้ประมาณ {self.needed:,} ข้อความ จากโควตาที่เหลือ {self.remaining:,} ข้อความ"


def quota_check(quota: tuple[int | None, int], recipients: int, messages: list[dict[str, Any]]) -> QuotaCheck:
    """``quota`` is LineGateway.get_quota(): (monthly limit or None, used this month)."""
    limit, used = quota
    return QuotaCheck(limit=limit, used=used, needed=recipients * sends_per_recipient(messages))


QUOTA_LATER = "โควตาข้อความเดือนนี้: กำลังตรวจกับ LINE จะแจ้งในข้อความถัดไปค่ะ"
"""In a large send's preview: the quota is asked of LINE once the event is committed (quota_task)."""
QUOTA_UNKNOWN = "ตรวจโควตาข้อความไม่ได้ในตอนนี้ค่ะ"


def quota_task(line_user_id: str, recipients: int, messages: list[dict[str, Any]]) -> Any:
    """For ``ctx.after_commit``: ask LINE for the month's quota with no transaction open (on SQLite an open one
    holds up every other writer while LINE answers), then tell the staff member what this send would use."""

    def run(db: Any, gateway: Any) -> None:
        try:
            check = quota_check(gateway.get_quota(), recipients, messages)
            said = check.warning() or check.summary()
        except Exception:  # noqa: BLE001 - LINE's quota API down: say so, don't block
            said = QUOTA_UNKNOWN
        with db.session() as session:
            staff = session.scalar(select(User).where(User.line_user_id == line_user_id))
            if staff is not None:
                enqueue_push(session, staff, [replies.text(f"ประกาศที่กำลังจะส่ง (ถึง {recipients:,} คน): {said}")],
                             category="system")

    return run


# --- writing and sending -------------------------------------------------------------------------

def _require_staff(user: User | None, via: str) -> None:
    if via == "cli":
        return
    if user is None or not user.is_staff:
        raise ServiceError("staff_only", "เฉพาะเจ้าหน้าที่เท่านั้นที่ส่งประกาศได้ค่ะ")


def create(session: Session, staff: User | None, *, text: str, audience_kind: str, audience_value: Any = None,
           image_url: str | None = None, link_url: str | None = None, link_label: str | None = None,
           scheduled_at: datetime | None = None, now: datetime | None = None, created_via: str = "chat",
           category: str = "announcement", photo_id: int | None = None,
           links: PhotoLinks | None = None) -> Broadcast:
    """Record a broadcast; with no time (or a time already here) it is queued for sending at once.
    ``photo_id``: a picture sent in the chat, already fetched; ``links``: how to link it when it goes out."""
    _require_staff(staff, created_via)
    now = now or utcnow()
    text = (text or "").strip()
    if not text:
        raise ServiceError("empty_text", "กรุณาพิมพ์ข้อความที่จะประกาศค่ะ")
    if len(text) > MAX_TEXT:
        raise ServiceError("text_too_long", f"ข้อความยาวเกิน {MAX_TEXT:,} ตัวอักษรค่ะ กรุณาย่อให้สั้นลงนะคะ")
    audience = resolve_audience(session, audience_kind, audience_value)
    category = category_for(audience.kind, category)
    when = scheduled_at or now
    if when < now - SCHEDULE_GRACE:
        raise ServiceError("time_passed", "เวลาที่เลือกผ่านไปแล้วค่ะ กรุณาเลือกเวลาใหม่นะคะ")
    if photo_id is not None:
        trouble = broadcast_photos.trouble(broadcast_photos.get(session, photo_id))
        if trouble:
            raise ServiceError("photo_not_ready", f"{trouble} ส่งรูปใหม่หรือไม่แนบรูปก็ได้ค่ะ")
        image_url = None
    row = Broadcast(
        created_by_user_id=staff.id if staff else None, created_via=created_via, text=text,
        image_url=_check_url(image_url, "รูปภาพ"), link_url=_check_url(link_url, "ลิงก์"),
        link_label=(link_label or "").strip()[:20] or None, category=category, audience_kind=audience.kind,
        audience_value=audience.value, scheduled_at=max(when, now), status="scheduled", created_at=now,
        photo_id=photo_id,
    )
    session.add(row)
    session.flush()
    if row.scheduled_at <= now:
        dispatch(session, row, now, links)
    return row


NO_PICTURE = ("ส่งโดยไม่มีรูปที่แนบไว้ค่ะ เพราะตอนส่งระบบไม่มีที่อยู่ https ให้ LINE ดึงรูปได้ "
              "(แจ้งผู้ดูแลระบบให้ตั้ง PUBLIC_BASE_URL นะคะ)")


def dispatch(session: Session, broadcast: Broadcast, now: datetime | None = None,
             links: PhotoLinks | None = None) -> int:
    """Turn a scheduled broadcast into outbox rows (once); returns how many rows. ``links``: how to link a
    picture sent in the chat (signed now, as it goes out)."""
    now = now or utcnow()
    if broadcast.status != "scheduled":
        return 0
    messages = messages_of(broadcast, session, links)
    if broadcast.photo_id and image_of(broadcast, session, links)[0] is None:
        _tell_creator(session, broadcast, NO_PICTURE, "photo")
    rows = 0
    # One written before participants' messages had their own category goes out as one too.
    category = category_for(broadcast.audience_kind, broadcast.category)
    if uses_broadcast_endpoint(session, broadcast.audience_kind, category):
        row = enqueue(session, kind="broadcast", to=[], messages=messages, category=category,
                      dedupe_key=f"broadcast:{broadcast.id}:all", due_at=now, broadcast_id=broadcast.id)
        rows += row is not None
        broadcast.recipient_count = estimate_recipients(session, "all", None, category)
    else:
        ids = list(dict.fromkeys(audience_ids(session, broadcast.audience_kind, broadcast.audience_value,
                                              category)))
        for index in range(0, len(ids), MULTICAST_MAX):
            row = enqueue(session, kind="multicast", to=ids[index:index + MULTICAST_MAX], messages=messages,
                          category=category, dedupe_key=f"broadcast:{broadcast.id}:{index // MULTICAST_MAX}",
                          due_at=now, broadcast_id=broadcast.id)
            rows += row is not None
        broadcast.recipient_count = len(ids)
    broadcast.status = "sending" if rows else "sent"
    if not rows:
        broadcast.sent_at = now
        broadcast.note = "ไม่มีผู้รับในกลุ่มนี้ตอนส่ง"
    session.flush()
    return rows


def dispatch_due(session: Session, now: datetime | None = None, limit: int = 20,
                 links: PhotoLinks | None = None) -> list[Broadcast]:
    """Send every scheduled broadcast whose time has come (locked, so two workers never both do)."""
    now = now or utcnow()
    due = list(session.scalars(
        locked(select(Broadcast).where(Broadcast.status == "scheduled", Broadcast.scheduled_at <= now)
               .order_by(Broadcast.scheduled_at, Broadcast.id).limit(limit), skip_locked=True)
    ))
    for broadcast in due:
        dispatch(session, broadcast, now, links)
    return due


def finish_if_done(session: Session, broadcast_ids: list[int], now: datetime | None = None) -> None:
    """Mark broadcasts sent once none of their outbox rows is waiting any more."""
    now = now or utcnow()
    for broadcast_id in broadcast_ids:
        waiting = session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status.in_(("pending", "sending"))))
        if waiting:
            continue
        sent = session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status == "sent"))
        session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.status == "sending")
            .values(status="sent" if sent else "failed", sent_at=now)
            .execution_options(synchronize_session=False)
        )


def warn_creator(session: Session, broadcast: Broadcast, warning: str) -> None:
    """Tell the staff member who wrote a scheduled broadcast about a problem found when it went out."""
    _tell_creator(session, broadcast, warning, "warning")


def _tell_creator(session: Session, broadcast: Broadcast, warning: str, what: str) -> None:
    broadcast.note = ((broadcast.note + "\n") if broadcast.note else "") + warning
    if broadcast.created_by_user_id is None:
        return
    staff = session.get(User, broadcast.created_by_user_id)
    if staff is not None:
        enqueue_push(session, staff, [replies.text(f"ประกาศ #{broadcast.id}: {warning}")], category="system",
                     dedupe_key=f"broadcast-{what}:{broadcast.id}")


# --- listing and cancelling ----------------------------------------------------------------------

def get(session: Session, broadcast_id: int | str) -> Broadcast:
    try:
        key = int(broadcast_id)
    except (TypeError, ValueError):
        key = -1
    row = session.get(Broadcast, key)
    if row is None:
        raise ServiceError("broadcast_not_found", "ไม่พบประกาศนี้ค่ะ")
    return row


def list_scheduled(session: Session) -> list[Broadcast]:
    return list(session.scalars(select(Broadcast).where(Broadcast.status == "scheduled")
                                .order_by(Broadcast.scheduled_at, Broadcast.id)))


def recent(session: Session, limit: int = 10) -> list[Broadcast]:
    return list(session.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)))


def cancel(session: Session, staff: User | None, broadcast_id: int | str, *, now: datetime | None = None,
           via: str = "chat") -> Broadcast:
    """Cancel a scheduled broadcast; one already going out keeps what was sent and stops the rest."""
    _require_staff(staff, via)
    now = now or utcnow()
    row = session.scalar(locked(select(Broadcast).where(Broadcast.id == get(session, broadcast_id).id)))
    assert row is not None
    if row.status in ("sent", "failed", "cancelled"):
        raise ServiceError("broadcast_done", f"ประกาศ #{row.id} ส่งหรือยกเลิกไปแล้ว ยกเลิกไม่ได้ค่ะ")
    session.execute(
        update(OutboxMessage).where(OutboxMessage.broadcast_id == row.id, OutboxMessage.status == "pending")
        .values(status="cancelled", last_error="broadcast cancelled by staff")
        .execution_options(synchronize_session=False)
    )
    row.status = "cancelled"
    row.cancelled_at = now
    who = f" โดย {staff.display_name or staff.line_user_id}" if staff else " (คำสั่งระบบ)"
    row.note = ((row.note + "\n") if row.note else "") + f"ยกเลิก{who} เมื่อ {format_datetime(now)}"
    return row


def describe(session: Session, row: Broadcast) -> str:
    """One line for a list: number, time, audience, first words."""
    first = " ".join(row.text.split())
    first = first if len(first) <= 40 else first[:39] + "…"
    return (f"#{row.id} {format_datetime(row.scheduled_at)} → {audience_label(session, row.audience_kind, row.audience_value)}"
            f"\n“{first}”")
