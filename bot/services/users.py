"""Users: find-or-create, consent, community, roles and one-time role codes."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.services.communities import CommunityLike
from bot.services.errors import ServiceError
from bot.services.log_retention import forget_person
from storage.db import insert_unless_present, locked
from storage.models import ROLES, RoleCode, User, utcnow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def get_user(session: Session, line_user_id: str) -> User | None:
    return session.scalar(select(User).where(User.line_user_id == line_user_id))


def new_user_values(line_user_id: str, now: datetime, display_name: str | None = None) -> dict[str, object]:
    """The row of someone we meet for the first time: a resident, active, nothing muted."""
    return {"line_user_id": line_user_id, "display_name": display_name, "role": "resident", "is_active": True,
            "muted_categories": [], "interests": [], "created_at": now}


def staff_users(session: Session) -> list[User]:
    """Everyone who works the back office (staff and admins) and still follows the account."""
    return list(session.scalars(
        select(User).where(User.role.in_(("staff", "admin")), User.is_active.is_(True)).order_by(User.id)
    ))


def ensure_user(session: Session, line_user_id: str, display_name: str | None = None) -> User:
    """The user with this LINE id, created if new (safe when two processes see a new user at once)."""
    user = get_user(session, line_user_id)
    if user is None:
        insert = insert_unless_present(session.get_bind().dialect.name, User, "line_user_id")
        session.execute(insert.values(**new_user_values(line_user_id, utcnow(), display_name)))
        user = get_user(session, line_user_id)
        assert user is not None
    elif display_name and not user.display_name:
        user.display_name = display_name
    return user


def give_consent(session: Session, user: User, now: datetime | None = None) -> None:
    user.consent_at = now or utcnow()
    user.consent_declined_at = None


def decline_consent(session: Session, user: User, now: datetime | None = None) -> None:
    user.consent_at = None
    user.consent_declined_at = now or utcnow()


LEADER_COMMUNITY_FIXED = ("สิทธิ์แกนนำชุมชนของคุณผูกกับชุมชนเดิมค่ะ จึงเปลี่ยนชุมชนเองไม่ได้ "
                          "ถ้าย้ายชุมชนจริง พิมพ์ “ติดต่อเจ้าหน้าที่” เพื่อขอเปลี่ยนได้นะคะ")


def set_community(session: Session, user: User, community: CommunityLike | None) -> None:
    """The user's own community; a leader's is the one their role came with (it is what they may endorse and
    announce to), so a leader cannot move themselves to another community."""
    wanted = community.id if community else None
    if community_fixed(user) and wanted != user.community_id:
        raise ServiceError("leader_community", LEADER_COMMUNITY_FIXED)
    user.community_id = wanted
    if "community" in user.__dict__:  # loaded before: read it afresh from the id when next asked for
        session.expire(user, ["community"])


def community_fixed(user: User) -> bool:
    """Whether the user's community came with their role (a leader's): only staff change it then."""
    return user.role == "leader" and user.community_id is not None


def mark_unfollowed(session: Session, line_user_id: str, now: datetime | None = None) -> None:
    """The user blocked the bot: keep their data, stop every push to them."""
    user = get_user(session, line_user_id)
    if user is not None:
        user.is_active = False
        user.unfollowed_at = now or utcnow()


def mark_followed(session: Session, user: User) -> None:
    user.is_active = True
    user.unfollowed_at = None


def set_role(session: Session, user: User, role: str) -> None:
    if role not in ROLES:
        raise ServiceError("bad_role", f"ไม่รู้จักบทบาท {role} ค่ะ")
    user.role = role


def set_role_by_line_id(line_user_id: str, role: str, display_name: str | None = None) -> None:
    """Used by the local simulator to play any role; opens its own transaction on the app's database."""
    from flask import current_app

    db = current_app.extensions["ruamkan.db"]
    with db.session() as session:
        user = ensure_user(session, line_user_id, display_name)
        set_role(session, user, role)


def create_role_code(session: Session, role: str, community: CommunityLike | None = None, days: int = 7,
                     note: str | None = None) -> RoleCode:
    if role not in ROLES or role == "resident":
        raise ServiceError("bad_role", f"รหัสใช้ให้สิทธิ์ leader, staff หรือ admin เท่านั้นค่ะ (ได้รับ {role})")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    row = RoleCode(code=code, role=role, community_id=community.id if community else None, note=note,
                   expires_at=utcnow() + timedelta(days=days))
    session.add(row)
    session.flush()
    return row


def redeem_role_code(session: Session, user: User, code: str, now: datetime | None = None) -> RoleCode:
    now = now or utcnow()
    row = session.scalar(locked(select(RoleCode).where(RoleCode.code == code.strip().upper())))
    if row is None:
        raise ServiceError("code_unknown", "ไม่พบรหัสนี้ค่ะ กรุณาตรวจสอบกับเจ้าหน้าที่อีกครั้งนะคะ")
    if row.used_at is not None:
        raise ServiceError("code_used", "รหัสนี้ถูกใช้ไปแล้วค่ะ ขอรหัสใหม่จากผู้ดูแลระบบได้เลยนะคะ")
    if row.expires_at < now:
        raise ServiceError("code_expired", "รหัสนี้หมดอายุแล้วค่ะ ขอรหัสใหม่จากผู้ดูแลระบบได้เลยนะคะ")
    row.used_at = now
    row.used_by_user_id = user.id
    user.role = row.role
    if row.community_id:
        user.community_id = row.community_id
    return row


def withdraw_consent(session: Session, user: User, now: datetime | None = None) -> None:
    decline_consent(session, user, now)


FORMER_SUBMITTER = "former-submitter"
"""The line_user_id of the one inactive, nameless user who holds the ideas of people who deleted their data."""


def former_submitter(session: Session) -> User:
    """The nameless owner of ideas whose submitters deleted their data: never pushed to (inactive)."""
    user = get_user(session, FORMER_SUBMITTER)
    if user is None:
        insert = insert_unless_present(session.get_bind().dialect.name, User, "line_user_id")
        session.execute(insert.values(**{**new_user_values(FORMER_SUBMITTER, utcnow()), "is_active": False}))
        user = get_user(session, FORMER_SUBMITTER)
        assert user is not None
    return user


def delete_personal_data(session: Session, user: User, now: datetime | None = None) -> None:
    """Forget what identifies the person; keep anonymous tallies so charter results stay correct, and their
    ideas with the community, no longer theirs (no name, no phone, no picture, no notices, not in "โครงการของฉัน").
    """
    from bot.services import activities
    from storage.models import ClauseFeedback, ContactMessage, Idea, IdeaDraft, Signup

    now = now or utcnow()
    live = list(session.scalars(select(Signup).where(Signup.user_id == user.id, Signup.status != "cancelled")))
    for signup in live:
        try:
            # Through the business rule, so freed seats go to the waitlist and they are told.
            activities.cancel_signup(session, user, signup.activity_id, now=now)
        except ServiceError:
            signup.status = "cancelled"  # e.g. an activity already started: just drop the person
            signup.cancelled_at = now
    for feedback in session.scalars(select(ClauseFeedback).where(ClauseFeedback.user_id == user.id)):
        feedback.comment = None
    from bot.services.broadcast_photos import forget_unsent_of
    from bot.services.idea_photos import forget_photos_of

    forget_photos_of(session, user)  # a picture may show the person, their home, their family
    forget_unsent_of(session, user)  # staff: pictures sent for announcements that never went out
    ideas = list(session.scalars(select(Idea).where(Idea.user_id == user.id)))
    if ideas:
        nameless = former_submitter(session)
        for idea in ideas:
            idea.contact_phone = idea.contact_name = None
            idea.user_id = nameless.id
    session.execute(delete(ContactMessage).where(ContactMessage.user_id == user.id))
    session.execute(delete(IdeaDraft).where(IdeaDraft.user_id == user.id))  # an idea left half-way, its contact
    forget_person(session, user.line_user_id)  # what they typed to the bot, raw, and the words it sent them
    user.display_name = None
    user.community_id = None
    user.interests = []
    user.consent_at = None
    user.consent_declined_at = now
