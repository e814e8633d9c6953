"""Business rules of project ideas: submit, the lifecycle table, permissions, notices, queries."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services import ideas
from bot.services.errors import ServiceError
from storage.models import Idea, IdeaEvent, OutboxMessage, User
from tests.ideas.conftest import make_community, make_idea, make_user, pushes_to, texts_of

FULL = dict(
    title="ลานออกกำลังกายผู้สูงอายุ", topic="physical_activity", target_group="elderly",
    problem="ผู้สูงอายุไม่มีที่ออกกำลังกาย", plan="ทำลานและจัดแอโรบิกสัปดาห์ละ 3 วัน", budget=45000,
    funding_source="bkk_health_fund", contact_phone="๐๘๑-๒๓๔-๕๖๗๘",
)


def u(s, world, key: str) -> User:
    return s.get(User, world[key])


# --- submit --------------------------------------------------------------------------------------

def test_submit_records_idea_event_and_tells_staff(db, world, now):
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = ideas.submit(s, resident, now=now, **FULL)
        assert idea.status == "submitted"
        assert idea.community_id == world["home"]  # defaults to the submitter's community
        assert idea.contact_phone == "081-234-5678"  # Thai digits accepted, stored formatted
        events = ideas.timeline(s, idea)
        assert [(e.status, e.who) for e in events] == [("submitted", "ผู้เสนอ")]
        # Every staff member and admin gets the review card; the submitter is not pushed (the chat replies).
        for key in ("staff", "staff2", "admin"):
            rows = pushes_to(s, u(s, world, key))
            assert len(rows) == 1 and "ลานออกกำลังกายผู้สูงอายุ" in texts_of(rows[0])
            assert "รับพิจารณา" in texts_of(rows[0]) and "ไม่อนุมัติ" in texts_of(rows[0])
        assert pushes_to(s, resident) == []


def test_submit_needs_consent(db, world, now):
    with db.session() as s:
        declined = make_user(s, "resident", consent=False)
        declined.consent_declined_at = now
        with pytest.raises(ServiceError) as err:
            ideas.submit(s, declined, now=now, title="โครงการทดสอบ")
        assert err.value.code == "consent_required"
        assert "ยินยอม" in err.value.message_th
        assert s.scalar(select(func.count(Idea.id))) == 0


@pytest.mark.parametrize("fields, code", [
    ({"title": "ก" * 121}, "too_long"),
    ({"title": "   "}, "title_required"),
    ({"title": "ok", "budget": -1}, "bad_budget"),
    ({"title": "ok", "participants": 0}, "bad_participants"),
    ({"title": "ok", "participants": "เยอะ"}, "bad_participants"),
    ({"title": "ok", "participants": 1_000_000}, "bad_participants"),
    ({"title": "ok", "budget": 50_000_000}, "bad_budget"),
    ({"title": "ok", "budget": "เยอะ"}, "bad_budget"),
    ({"title": "ok", "contact_phone": "12345"}, "bad_phone"),
    ({"title": "ok", "contact_phone": "081-234-567"}, "bad_phone"),
    ({"title": "ok", "topic": "football"}, "bad_topic"),
    ({"title": "ok", "target_group": "aliens"}, "bad_target_group"),
    ({"title": "ok", "funding_source": "lottery"}, "bad_funding"),
    ({"title": "ok", "community_id": 99999}, "bad_community"),
])
def test_submit_validates_fields(db, world, now, fields, code):
    with db.session() as s:
        with pytest.raises(ServiceError) as err:
            ideas.submit(s, u(s, world, "resident"), now=now, **fields)
        assert err.value.code == code
        assert err.value.message_th.endswith(("ค่ะ", "นะคะ"))


def test_title_of_120_characters_and_zero_budget_are_fine(db, world, now):
    with db.session() as s:
        idea = ideas.submit(s, u(s, world, "resident"), now=now, title="ก" * 120, budget=0)
        assert len(idea.title) == 120 and idea.budget == 0


@pytest.mark.parametrize("raw, stored", [
    ("0812345678", "081-234-5678"),
    ("+66 81 234 5678", "081-234-5678"),
    ("02-123-4567", "02-123-4567"),
    ("๐๙๙ ๘๘๘ ๗๗๗๗", "099-888-7777"),
    ("053123456", "053-123-456"),
])
def test_phone_formats(raw, stored):
    assert ideas.normalize_phone(raw) == stored


# --- the lifecycle table -------------------------------------------------------------------------

STAFF_MOVES = [t for t in ideas.TRANSITIONS if t.who == ideas.STAFF]


@pytest.mark.parametrize("rule", STAFF_MOVES, ids=lambda t: f"{t.src}->{t.dst}")
def test_every_staff_move(db, world, now, rule):
    with db.session() as s:
        resident, staff = u(s, world, "resident"), u(s, world, "staff")
        idea = make_idea(s, resident, rule.src, now=now)
        before = len(pushes_to(s, resident))
        reason = "ขอรายละเอียดงบเพิ่ม" if rule.needs_reason else None
        ideas.move(s, idea, staff, rule.dst, reason=reason, now=now + timedelta(days=1))
        assert idea.status == rule.dst
        last = ideas.timeline(s, idea)[-1]
        assert (last.status, last.who, last.reason) == (rule.dst, "เจ้าหน้าที่", reason)
        notices = pushes_to(s, resident)[before:]
        assert len(notices) == 1 and notices[0].category == "idea_status"
        body = texts_of(notices[0])
        assert idea.title in body and ("ค่ะ" in body or "คะ" in body)
        if reason:
            assert reason in body


SUBMITTER_MOVES = [t for t in ideas.TRANSITIONS if t.who == ideas.SUBMITTER and not t.via_revise]


@pytest.mark.parametrize("rule", SUBMITTER_MOVES, ids=lambda t: f"{t.src}->{t.dst}")
def test_submitter_withdraws_from_every_open_status(db, world, now, rule):
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = make_idea(s, resident, rule.src, now=now)
        ideas.withdraw(s, idea, resident, reason="ย้ายบ้าน", now=now)
        assert idea.status == "withdrawn"
        assert ideas.timeline(s, idea)[-1].who == "ผู้เสนอ"
        # No push to themselves: the chat reply already confirms it.
        assert pushes_to(s, resident) == []


@pytest.mark.parametrize("src, dst", [
    ("submitted", "completed"),
    ("submitted", "in_progress"),
    ("under_review", "in_progress"),
    ("needs_revision", "approved"),
    ("approved", "completed"),
    ("approved", "rejected"),
    ("in_progress", "approved"),
    ("under_review", "submitted"),
])
def test_forbidden_moves(db, world, now, src, dst):
    with db.session() as s:
        idea = make_idea(s, u(s, world, "resident"), src, now=now)
        with pytest.raises(ServiceError) as err:
            ideas.move(s, idea, u(s, world, "staff"), dst, reason="เหตุผล", now=now)
        assert err.value.code == "bad_transition"
        assert ideas.status_label(src) in err.value.message_th
        assert idea.status == src


@pytest.mark.parametrize("status", ["completed", "rejected", "withdrawn"])
def test_closed_ideas_cannot_move_or_be_withdrawn(db, world, now, status):
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = make_idea(s, resident, status, now=now)
        with pytest.raises(ServiceError) as err:
            ideas.withdraw(s, idea, resident, now=now)
        assert err.value.code == "idea_closed"
        with pytest.raises(ServiceError):
            ideas.move(s, idea, u(s, world, "staff"), "under_review", now=now)


def test_revision_answer_only_by_revise_not_by_move(db, world, now):
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = make_idea(s, resident, "needs_revision", now=now)
        with pytest.raises(ServiceError) as err:
            ideas.move(s, idea, resident, "under_review", now=now)
        assert err.value.code == "bad_transition"


# --- permissions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["resident", "leader", "neighbour"])
def test_only_staff_moves_ideas_along(db, world, now, who):
    with db.session() as s:
        idea = make_idea(s, u(s, world, "resident"), now=now)
        with pytest.raises(ServiceError) as err:
            ideas.move(s, idea, u(s, world, who), "approved", now=now)
        assert err.value.code == "not_allowed"
        assert idea.status == "submitted"


def test_admin_can_move_like_staff(db, world, now):
    with db.session() as s:
        idea = make_idea(s, u(s, world, "resident"), now=now)
        ideas.move(s, idea, u(s, world, "admin"), "approved", now=now)
        assert idea.status == "approved"


@pytest.mark.parametrize("who", ["staff", "neighbour", "leader"])
def test_only_the_submitter_withdraws(db, world, now, who):
    with db.session() as s:
        idea = make_idea(s, u(s, world, "resident"), now=now)
        with pytest.raises(ServiceError) as err:
            ideas.withdraw(s, idea, u(s, world, who), now=now)
        assert err.value.code == "not_allowed"


@pytest.mark.parametrize("dst", ["needs_revision", "rejected"])
def test_reason_required_when_asking_revision_or_rejecting(db, world, now, dst):
    with db.session() as s:
        idea = make_idea(s, u(s, world, "resident"), now=now)
        with pytest.raises(ServiceError) as err:
            ideas.move(s, idea, u(s, world, "staff"), dst, reason="   ", now=now)
        assert err.value.code == "reason_required"


def test_stale_button_is_refused_with_current_status(db, world, now):
    with db.session() as s:
        idea = make_idea(s, u(s, world, "resident"), "approved", now=now)
        with pytest.raises(ServiceError) as err:
            ideas.move(s, idea, u(s, world, "staff"), "under_review", expected_from="submitted", now=now)
        assert err.value.code == "idea_changed"
        assert "อนุมัติแล้ว" in err.value.message_th


# --- revise, edit ----------------------------------------------------------------------------------

@pytest.mark.parametrize("asked_from", ["submitted", "under_review"])
def test_revise_edits_fields_and_returns_to_reviewer(db, world, now, asked_from):
    with db.session() as s:
        resident, staff = u(s, world, "resident"), u(s, world, "staff")
        idea = make_idea(s, resident, asked_from, now=now, budget=120000)
        ideas.move(s, idea, staff, "needs_revision", reason="ขอแยกงบให้ชัด", now=now)
        staff_before = len(pushes_to(s, staff))
        ideas.revise(s, idea, resident, budget="80000", plan="แยกงบซ่อมกับงบกิจกรรมแล้ว",
                     now=now + timedelta(days=2))
        assert idea.status == asked_from
        assert idea.budget == 80000 and idea.plan == "แยกงบซ่อมกับงบกิจกรรมแล้ว"
        steps = [e.status for e in ideas.timeline(s, idea)]
        assert steps[-2:] == ["needs_revision", asked_from]
        # Staff hear that the idea came back.
        new = pushes_to(s, staff)[staff_before:]
        assert len(new) == 1 and "แก้ไขแล้ว" in texts_of(new[0])


def test_revise_refused_for_others_and_when_not_asked(db, world, now):
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = make_idea(s, resident, "needs_revision", now=now)
        with pytest.raises(ServiceError) as err:
            ideas.revise(s, idea, u(s, world, "neighbour"), budget=1, now=now)
        assert err.value.code == "not_allowed"
        other = make_idea(s, resident, "under_review", now=now)
        with pytest.raises(ServiceError) as err:
            ideas.revise(s, other, resident, budget=1, now=now)
        assert err.value.code == "not_needs_revision"


def test_revise_validates_fields(db, world, now):
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = make_idea(s, resident, "needs_revision", now=now)
        with pytest.raises(ServiceError) as err:
            ideas.revise(s, idea, resident, contact_phone="abc", now=now)
        assert err.value.code == "bad_phone"
        assert idea.status == "needs_revision"


# --- endorse ---------------------------------------------------------------------------------------

def test_leader_endorses_idea_from_own_community(db, world, now):
    with db.session() as s:
        resident, leader = u(s, world, "resident"), u(s, world, "leader")
        idea = make_idea(s, resident, now=now)
        ideas.endorse(s, idea, leader, now=now)
        assert idea.endorsed_by_user_id == leader.id and idea.status == "submitted"
        last = ideas.timeline(s, idea)[-1]
        assert (last.kind, last.who) == ("endorsed", "แกนนำชุมชน")
        notices = pushes_to(s, resident)
        assert len(notices) == 1 and "รับรอง" in texts_of(notices[0])
        with pytest.raises(ServiceError) as err:
            ideas.endorse(s, idea, leader, now=now)
        assert err.value.code == "already_endorsed"


@pytest.mark.parametrize("who, code", [
    ("other_leader", "not_allowed"), ("neighbour", "not_allowed"), ("staff", "not_allowed"),
])
def test_endorse_permissions(db, world, now, who, code):
    with db.session() as s:
        idea = make_idea(s, u(s, world, "resident"), now=now)
        with pytest.raises(ServiceError) as err:
            ideas.endorse(s, idea, u(s, world, who), now=now)
        assert err.value.code == code
        assert idea.endorsed_at is None


def test_leader_cannot_endorse_own_or_closed_idea(db, world, now):
    with db.session() as s:
        leader = u(s, world, "leader")
        own = make_idea(s, leader, now=now)
        with pytest.raises(ServiceError) as err:
            ideas.endorse(s, own, leader, now=now)
        assert err.value.code == "own_idea"
        done = make_idea(s, u(s, world, "resident"), "approved", now=now)
        with pytest.raises(ServiceError) as err:
            ideas.endorse(s, done, leader, now=now)
        assert err.value.code == "not_endorsable"


# --- notices respect the user's state --------------------------------------------------------------

def test_no_push_to_a_submitter_who_blocked_the_bot(db, world, now):
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = make_idea(s, resident, now=now)
        resident.is_active = False
        ideas.move(s, idea, u(s, world, "staff"), "approved", now=now)
        assert pushes_to(s, resident) == []
        assert ideas.timeline(s, idea)[-1].status == "approved"  # the change itself is still recorded


# --- queries ---------------------------------------------------------------------------------------

def test_timeline_reads_in_order_with_who_and_why(db, world, now):
    with db.session() as s:
        resident, staff, leader = u(s, world, "resident"), u(s, world, "staff"), u(s, world, "leader")
        idea = ideas.submit(s, resident, now=now, title="ธนาคารขยะ")
        ideas.endorse(s, idea, leader, now=now + timedelta(hours=1))
        ideas.move(s, idea, staff, "under_review", now=now + timedelta(days=1))
        ideas.move(s, idea, staff, "needs_revision", reason="ขอจำนวนครัวเรือน", now=now + timedelta(days=2))
        ideas.revise(s, idea, resident, plan="150 ครัวเรือน", now=now + timedelta(days=3))
        ideas.move(s, idea, staff, "approved", now=now + timedelta(days=4))
        line = [(e.label, e.who, e.reason) for e in ideas.timeline(s, idea)]
        assert line == [
            ("ส่งแล้ว", "ผู้เสนอ", None),
            ("รับรองโดยแกนนำชุมชน", "แกนนำชุมชน", None),
            ("กำลังพิจารณา", "เจ้าหน้าที่", None),
            ("ขอให้ปรับแก้", "เจ้าหน้าที่", "ขอจำนวนครัวเรือน"),
            ("แก้ไขหลังแกนนำรับรอง (รอรับรองใหม่)", "ผู้เสนอ", None),  # the plan changed after it was vouched for
            ("กำลังพิจารณา", "ผู้เสนอ", "ผู้เสนอปรับแก้ตามคำขอแล้ว (แก้ไข: สิ่งที่จะทำ)"),
            ("อนุมัติแล้ว", "เจ้าหน้าที่", None),
        ]
        assert ideas.timeline(s, idea)[0].date_th == "อา. 29 พ.ย. 2569"


def test_lists_my_community_and_pending(db, world, now):
    with db.session() as s:
        resident, neighbour, stranger = u(s, world, "resident"), u(s, world, "neighbour"), u(s, world, "stranger")
        a = make_idea(s, resident, now=now, title="ก")
        b = make_idea(s, resident, "approved", now=now + timedelta(hours=1), title="ข")
        c = make_idea(s, neighbour, "withdrawn", now=now, title="ค")
        d = make_idea(s, stranger, "under_review", now=now - timedelta(days=1), title="ง")
        assert [i.title for i in ideas.my_ideas(s, resident)] == ["ข", "ก"]
        home = s.get(type(s.get(User, world["resident"]).community), world["home"])
        assert {i.id for i in ideas.community_ideas(s, home)} == {a.id, b.id}  # withdrawn left out
        assert c.id not in {i.id for i in ideas.community_ideas(s, world["home"])}
        assert [i.id for i in ideas.pending_review(s)] == [d.id, a.id]  # longest-waiting first


def test_reference_lists_cover_the_seeds():
    assert len(ideas.target_groups()) == 7
    assert list(ideas.funding_sources().values()) == ["กองทุนหลักประกันสุขภาพ กทม.", "ชุมชนเข้มแข็ง", "สสส.",
                                                      "ไม่แน่ใจ"]
    assert len(ideas.topics()) == 8
    assert ideas.status_label("needs_revision") == "ขอให้ปรับแก้"


# --- concurrency -----------------------------------------------------------------------------------

@pytest.mark.parametrize("second", ["under_review", "approved"])
def test_two_staff_move_the_same_idea_one_wins(any_db, now, second):
    with any_db.session() as s:
        home = make_community(s)
        resident = make_user(s, "resident", home, now=now)
        staff = [make_user(s, "staff", now=now) for _ in range(2)]
        idea_id = make_idea(s, resident, now=now).id
        staff_ids = [x.id for x in staff]
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def act(i: int, to: str) -> None:
        barrier.wait()
        try:
            with any_db.session() as s:
                actor = s.get(User, staff_ids[i])
                ideas.move(s, idea_id, actor, to, expected_from="submitted", now=now)
            results[i] = "ok"
        except ServiceError as exc:
            results[i] = exc

    threads = [threading.Thread(target=act, args=(0, "under_review")), threading.Thread(target=act, args=(1, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(r == "ok" for r in results) == [False, True]
    loser = next(r for r in results if r != "ok")
    assert isinstance(loser, ServiceError) and loser.code == "idea_changed"
    assert "ไปแล้วค่ะ" in loser.message_th
    with any_db.session(readonly=True) as s:
        events = s.scalars(select(IdeaEvent).where(IdeaEvent.idea_id == idea_id).order_by(IdeaEvent.id)).all()
        assert [e.to_status for e in events] == ["submitted", s.get(Idea, idea_id).status]
        notices = s.scalars(select(OutboxMessage).where(OutboxMessage.category == "idea_status")).all()
        assert sum(1 for n in notices if resident_line(s, idea_id) in n.to) == 1


def resident_line(s, idea_id: int) -> str:
    return s.get(User, s.get(Idea, idea_id).user_id).line_user_id


@pytest.mark.parametrize("status", ["approved", "in_progress"])
def test_the_submitter_cannot_withdraw_after_approval(db, world, now, status):
    """A funded project is not taken back by its submitter alone: they are pointed to staff."""
    with db.session() as s:
        resident = u(s, world, "resident")
        idea = make_idea(s, resident, status, now=now, title="ปลูกผักดาดฟ้า")
        assert not ideas.can_withdraw(idea)
        with pytest.raises(ServiceError) as err:
            ideas.withdraw(s, idea, resident, now=now)
        assert err.value.code == "withdraw_after_approval"
        assert "ติดต่อเจ้าหน้าที่" in err.value.message_th and "ปลูกผักดาดฟ้า" in err.value.message_th
        assert idea.status == status
        assert "withdrawn" not in ideas.allowed_moves(status, ideas.SUBMITTER)
        assert [t.src for t in SUBMITTER_MOVES] == ["submitted", "under_review", "needs_revision"]


def test_a_draft_is_kept_a_week_and_forgotten_with_the_person(db, world, now):
    from bot.services import users
    from storage.models import IdeaDraft

    with db.session() as s:
        resident = u(s, world, "resident")
        ideas.save_draft(s, resident, {"title": "สวนผัก", "phone": "081-234-5678"}, now=now)
        ideas.save_draft(s, resident, {"title": "สวนผักคนเมือง"}, now=now)  # one per person: the newest
        assert ideas.draft_of(s, resident, now + timedelta(days=6)).data == {"title": "สวนผักคนเมือง"}
        assert ideas.draft_of(s, resident, now + timedelta(days=8)) is None
        ideas.save_draft(s, resident, {"phone": "081-234-5678"}, now=now)
        users.delete_personal_data(s, resident, now=now)
        assert s.scalar(select(func.count(IdeaDraft.id))) == 0
