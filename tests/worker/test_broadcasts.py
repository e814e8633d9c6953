"""Staff broadcasts: audiences, batches of 500, everyone via the broadcast endpoint, scheduling, quota, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.outbox_delivery import OutboxSender
from bot.scheduler import dispatch_broadcasts
from bot.services import broadcasts
from bot.services.errors import ServiceError
from storage.models import Broadcast
from tests.worker.helpers import FakeGateway, make_activity, make_community, make_user, rows, sign_up, uid


def test_targeted_broadcast_goes_in_multicasts_of_500_and_counts_deliveries(db, now):
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        home = make_community(s)
        other = make_community(s, "ชุมชนอื่น", "C02")
        for n in range(100, 1301):
            make_user(s, n, community=home)
        make_user(s, 5000, community=other)
        make_user(s, 5001, community=home, active=False)
        b = broadcasts.create(s, staff, text="พรุ่งนี้ฉีดวัคซีนไข้หวัดใหญ่ที่ศาลาชุมชนค่ะ", audience_kind="community",
                              audience_value="ชุมชนร่วมใจ", now=now)
    with db.session() as s:
        batch = rows(s, broadcast_id=b.id)
        assert [r.kind for r in batch] == ["multicast"] * 3
        assert [len(r.to) for r in batch] == [500, 500, 201]
        assert uid(5000) not in {u for r in batch for u in r.to} and uid(5001) not in batch[0].to
    OutboxSender(db, FakeGateway(), worker_id="w").run_once(now)
    with db.session() as s:
        audit = s.get(Broadcast, b.id)
        assert (audit.status, audit.recipient_count, audit.delivered_count) == ("sent", 1201, 1201)
        assert audit.created_by_user_id == staff.id and audit.sent_at is not None
        assert audit.audience_kind == "community"


def test_everyone_uses_the_broadcast_endpoint(db, now):
    gateway = FakeGateway()
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        for n in range(2, 12):
            make_user(s, n)
        b = broadcasts.create(s, staff, text="ประกาศถึงทุกคนค่ะ", audience_kind="all", now=now)
    OutboxSender(db, gateway, worker_id="w").run_once(now)
    assert [c["kind"] for c in gateway.calls] == ["broadcast"]
    with db.session() as s:
        assert s.get(Broadcast, b.id).delivered_count == 11


def test_everyone_leaves_out_people_who_muted_announcements(db, now):
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        make_user(s, 2, muted=["announcement"])
        make_user(s, 3)
        b = broadcasts.create(s, staff, text="ประกาศค่ะ", audience_kind="all", now=now)
        (row,) = rows(s, broadcast_id=b.id)
        assert row.kind == "multicast" and sorted(row.to) == [uid(1), uid(3)]


@pytest.mark.parametrize("kind,value,expected", [
    ("role", "leader", [3]),
    ("activity", None, [4]),
    ("waitlist", None, [5]),
    ("topic", "food", [6]),
])
def test_audiences(db, now, kind, value, expected):
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        make_user(s, 2)
        make_user(s, 3, role="leader")
        activity = make_activity(s, now + timedelta(days=2))
        sign_up(s, activity, make_user(s, 4))
        sign_up(s, activity, make_user(s, 5), status="waitlisted")
        make_user(s, 6, interests=["food", "tobacco"])
        make_user(s, 7, interests=["food"], muted=["announcement"])
        b = broadcasts.create(s, staff, text="ข่าวค่ะ", audience_kind=kind,
                              audience_value=value or str(activity.id), now=now)
        assert sorted(u for r in rows(s, broadcast_id=b.id) for u in r.to) == [uid(n) for n in expected]


@pytest.mark.parametrize("kind,status", [("activity", "confirmed"), ("waitlist", "waitlisted")])
def test_an_activitys_people_hear_about_it_though_announcements_are_muted(db, now, kind, status):
    """About their own sign-up: muting announcements does not drop it; blocking the bot or declining consent does."""
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        activity = make_activity(s, now + timedelta(days=2))
        sign_up(s, activity, make_user(s, 2), status=status)
        sign_up(s, activity, make_user(s, 3, muted=["announcement"]), status=status)
        sign_up(s, activity, make_user(s, 4, active=False), status=status)
        declined = make_user(s, 5)
        declined.consent_at, declined.consent_declined_at = None, now
        sign_up(s, activity, declined, status=status)
        assert broadcasts.estimate_recipients(s, kind, str(activity.id)) == 2
        b = broadcasts.create(s, staff, text="ให้นำเสื่อมาเองนะคะ", audience_kind=kind,
                              audience_value=str(activity.id), now=now)
        (row,) = rows(s, broadcast_id=b.id)
        assert sorted(row.to) == [uid(2), uid(3)] and b.recipient_count == 2
    gateway = FakeGateway()
    OutboxSender(db, gateway, worker_id="w").run_once(now)
    with db.session() as s:
        assert s.get(Broadcast, b.id).delivered_count == 2


def test_scheduled_broadcast_waits_can_be_listed_and_cancelled(db, now):
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        make_user(s, 2)
        later = broadcasts.create(s, staff, text="ประกาศพรุ่งนี้", audience_kind="role", audience_value="resident",
                                  scheduled_at=now + timedelta(days=1), now=now)
        keep = broadcasts.create(s, staff, text="ประกาศมะรืน", audience_kind="role", audience_value="resident",
                                 scheduled_at=now + timedelta(days=2), now=now)
        assert rows(s) == []
        assert [b.id for b in broadcasts.list_scheduled(s)] == [later.id, keep.id]
        broadcasts.cancel(s, staff, later.id, now=now)
        assert [b.id for b in broadcasts.list_scheduled(s)] == [keep.id]
        with pytest.raises(ServiceError):
            broadcasts.cancel(s, staff, later.id, now=now)
    assert dispatch_broadcasts(db, now + timedelta(days=1, minutes=1)) == 0
    assert dispatch_broadcasts(db, now + timedelta(days=2, minutes=1)) == 1
    assert dispatch_broadcasts(db, now + timedelta(days=2, minutes=2)) == 0
    with db.session() as s:
        assert len(rows(s, broadcast_id=keep.id)) == 1 and rows(s, broadcast_id=later.id) == []


def test_only_staff_can_broadcast_and_time_must_be_ahead(db, now):
    with db.session() as s:
        resident = make_user(s, 1)
        staff = make_user(s, 2, role="staff")
        with pytest.raises(ServiceError) as not_staff:
            broadcasts.create(s, resident, text="x", audience_kind="all", now=now)
        assert not_staff.value.code == "staff_only"
        with pytest.raises(ServiceError) as past:
            broadcasts.create(s, staff, text="x", audience_kind="all", scheduled_at=now - timedelta(hours=1), now=now)
        assert past.value.code == "time_passed"
        with pytest.raises(ServiceError):
            broadcasts.create(s, staff, text="x", audience_kind="all", image_url="http://insecure", now=now)


def test_messages_with_image_and_link_button_are_valid_for_line():
    from bot.replies import finalize, validate

    plain = broadcasts.build_messages("ตรวจสุขภาพฟรีค่ะ", image_url="https://example.org/a.jpg")
    card = broadcasts.build_messages("ตรวจสุขภาพฟรีค่ะ", image_url="https://example.org/a.jpg",
                                     link_url="https://example.org/form", link_label="ลงทะเบียน")
    for messages in (plain, card):
        for batch in finalize(messages):
            validate(batch)
    assert [m["type"] for m in plain] == ["text", "image"]
    assert card[0]["type"] == "flex" and "https://example.org/form" in str(card)


def test_quota_warning_when_the_month_would_run_out(db, now):
    check = broadcasts.quota_check((1000, 900), 500, [{"type": "text", "text": "x"}])
    assert not check.enough and "เหลือ 100" in check.warning()
    assert broadcasts.quota_check((None, 5), 500, [{"type": "text", "text": "x"}]).warning() is None
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        for n in range(2, 602):
            make_user(s, n)
        b = broadcasts.create(s, staff, text="ประกาศใหญ่ค่ะ", audience_kind="role", audience_value="resident",
                              scheduled_at=now + timedelta(hours=1), now=now)
    dispatch_broadcasts(db, now + timedelta(hours=1), quota=lambda: (1000, 800))
    with db.session() as s:
        warnings = [r for r in rows(s) if r.category == "system"]
        assert len(warnings) == 1 and warnings[0].to == [uid(1)] and "โควตา" in str(warnings[0].messages)
        assert "โควตา" in s.get(Broadcast, b.id).note


def test_line_is_asked_for_the_quota_only_once_the_broadcasts_are_committed(db, now):
    """The quota is a call to LINE (slow, or down): no transaction may be open while it waits, and what it
    finds is still told to the author."""
    from sqlalchemy import event

    open_transactions = []
    event.listen(db.engine, "begin", lambda conn: open_transactions.append(conn))
    event.listen(db.engine, "commit", lambda conn: open_transactions.remove(conn))
    event.listen(db.engine, "rollback", lambda conn: open_transactions.remove(conn) if conn in open_transactions
                 else None)
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        for n in range(2, 602):
            make_user(s, n)
        b = broadcasts.create(s, staff, text="ประกาศใหญ่ค่ะ", audience_kind="role", audience_value="resident",
                              scheduled_at=now + timedelta(hours=1), now=now)
    asked = []

    def quota() -> tuple[int, int]:
        asked.append(list(open_transactions))
        with db.session(readonly=True) as s:  # what LINE is asked about is already there for the sender
            assert len(rows(s, broadcast_id=b.id)) == 2
        return 1000, 800

    assert dispatch_broadcasts(db, now + timedelta(hours=1), quota=quota) == 1
    assert asked == [[]]
    with db.session() as s:
        assert "โควตา" in s.get(Broadcast, b.id).note
        assert [r.to for r in rows(s) if r.category == "system"] == [[uid(1)]]
