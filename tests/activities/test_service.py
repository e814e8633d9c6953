"""Business rules for activities: seats, waitlist, promotion, deadlines, staff changes, and the race."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from bot.services import activities as svc
from bot.services import checkin
from bot.services.errors import ServiceError
from bot.thaidate import format_date
from storage.models import Activity, Signup, User
from tests.activities.factories import make_activity, make_user, push_text, pushes


def test_capacity_then_waitlist_in_order(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=2)
        users = [make_user(s, f"U{i}") for i in range(5)]
        rows = [svc.signup(s, u, act.id, now=now) for u in users]
        assert [r.status for r in rows] == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
        assert [svc.waitlist_position(s, r) for r in rows[2:]] == [1, 2, 3]
        assert svc.seats_left(s, act) == 0
        assert [r.user_id for r in svc.participants(s, act)] == [users[0].id, users[1].id]
        assert len(svc.participants(s, act, include_waitlist=True)) == 5


def test_companions_take_seats(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=5)
        a, b, c = (make_user(s, n) for n in ("A", "B", "C"))
        assert svc.signup(s, a, act.id, party_size=3, now=now).status == "confirmed"
        assert svc.signup(s, b, act.id, party_size=3, now=now).status == "waitlisted"
        assert svc.signup(s, c, act.id, party_size=2, now=now).status == "confirmed"
        assert svc.seats_left(s, act) == 0
        with pytest.raises(ServiceError) as err:
            svc.signup(s, make_user(s, "D"), act.id, party_size=6, now=now)
        assert err.value.code == "party_over_capacity"


def test_cancel_promotes_first_who_fits_and_queues_push(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=3)
        a, big, small, later = (make_user(s, n) for n in ("A", "BIG", "SMALL", "LATER"))
        svc.signup(s, a, act.id, party_size=2, now=now)
        svc.signup(s, make_user(s, "X"), act.id, now=now)
        assert svc.signup(s, big, act.id, party_size=3, now=now).status == "waitlisted"
        assert svc.signup(s, small, act.id, party_size=2, now=now).status == "waitlisted"
        assert svc.signup(s, later, act.id, party_size=1, now=now).status == "waitlisted"

        result = svc.cancel_signup(s, a, act.id, now=now)  # frees 2: BIG (3) does not fit, SMALL (2) does
        assert result.signup.status == "cancelled"
        assert [r.user_id for r in result.promoted] == [small.id]
        assert svc.find_signup(s, big, act.id).status == "waitlisted"
        assert svc.waitlist_position(s, svc.find_signup(s, big, act.id)) == 1

        [push] = pushes(s, "SMALL")
        text = push_text(push)
        assert "มีที่ว่างแล้ว" in text and act.title in text and "ศาลาชุมชน" in text
        assert "2569" in text  # Thai calendar
        assert svc.find_signup(s, small, act.id).checkin_code in text
        assert push.category == "activity_change"
        assert pushes(s, "LATER") == []
        # BIG, first in line but too big for the 2 seats, hears why SMALL went ahead (it heard nothing).
        [told] = pushes(s, "BIG")
        assert "มีที่ว่าง 2 ที่" in push_text(told) and "ไม่พอสำหรับ 3 คน" in push_text(told)
        assert "รอในลำดับเดิม" in push_text(told)


def test_waitlisted_cancel_promotes_nobody(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=1)
        a, b, c = (make_user(s, n) for n in ("A", "B", "C"))
        for u in (a, b, c):
            svc.signup(s, u, act.id, now=now)
        assert svc.cancel_signup(s, b, act.id, now=now).promoted == []
        assert svc.waitlist_position(s, svc.find_signup(s, c, act.id)) == 1
        assert pushes(s) == []


def test_deadline_and_cancelled_and_started(db, now):
    with db.session() as s:
        user = make_user(s, "U1")
        closed = make_activity(s, now, days=0.25, deadline_hours_before=12)  # deadline was 6 h ago
        with pytest.raises(ServiceError) as err:
            svc.signup(s, user, closed.id, now=now)
        assert err.value.code == "deadline_passed" and "ปิดรับสมัคร" in err.value.message_th
        cancelled = make_activity(s, now)
        cancelled.status = "cancelled"
        with pytest.raises(ServiceError) as err:
            svc.signup(s, user, cancelled.id, now=now)
        assert err.value.code == "activity_cancelled"
        with pytest.raises(ServiceError) as err:
            svc.signup(s, user, 999_999, now=now)
        assert err.value.code == "activity_not_found"


def test_consent_required(db, now):
    with db.session() as s:
        act = make_activity(s, now)
        with pytest.raises(ServiceError) as err:
            svc.signup(s, make_user(s, "U1", consent=False), act.id, now=now)
        assert err.value.code == "consent_required"
        assert s.query(Signup).count() == 0


def test_double_signup_says_so_without_duplicate(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=1)
        a, b = make_user(s, "A"), make_user(s, "B")
        first = svc.signup(s, a, act.id, now=now)
        with pytest.raises(ServiceError) as err:
            svc.signup(s, a, act.id, party_size=2, now=now)
        assert err.value.code == "already_signed_up" and first.checkin_code in err.value.message_th
        svc.signup(s, b, act.id, now=now)
        with pytest.raises(ServiceError) as err:
            svc.signup(s, b, act.id, now=now)
        assert err.value.code == "already_waitlisted" and "ลำดับที่ 1" in err.value.message_th
        assert s.query(Signup).count() == 2


def test_sign_up_again_after_cancelling(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=1)
        a, b = make_user(s, "A"), make_user(s, "B")
        svc.signup(s, a, act.id, now=now)
        svc.cancel_signup(s, a, act.id, now=now)
        assert svc.signup(s, b, act.id, now=now).status == "confirmed"
        again = svc.signup(s, a, act.id, now=now)
        assert again.status == "waitlisted" and again.waitlist_seq == 1
        assert s.query(Signup).count() == 2


def test_my_signups_lists_live_ones_soonest_first(db, now):
    with db.session() as s:
        user = make_user(s, "U1")
        later = make_activity(s, now, days=5, title="ปลูกผัก")
        sooner = make_activity(s, now, days=1, title="แอโรบิก")
        dropped = make_activity(s, now, days=2, title="แยกขยะ")
        for act in (later, sooner, dropped):
            svc.signup(s, user, act.id, now=now)
        svc.cancel_signup(s, user, dropped.id, now=now)
        assert [r.activity.title for r in svc.my_signups(s, user, now)] == ["แอโรบิก", "ปลูกผัก"]
        assert svc.my_signups(s, user, now + timedelta(days=10)) == []


def test_upcoming_filters(db, now):
    with db.session() as s:
        from storage.models import Community

        home = Community(code="C1", name="ชุมชนโชคชัย 4")
        other = Community(code="C2", name="ชุมชนนาคนิวาส")
        s.add_all([home, other])
        s.flush()
        a = make_activity(s, now, days=1, title="A", community_id=home.id, topic="physical_activity")
        b = make_activity(s, now, days=2, title="B", community_id=None, topic="environment")
        make_activity(s, now, days=3, title="C", community_id=other.id, topic="physical_activity")
        past = make_activity(s, now, days=-1, title="past")
        gone = make_activity(s, now, days=4, title="gone")
        gone.status = "cancelled"
        s.flush()
        assert [x.title for x in svc.upcoming(s, now)] == ["A", "B", "C"]
        assert [x.title for x in svc.upcoming(s, now, community=home)] == ["A", "B"]
        assert [x.title for x in svc.upcoming(s, now, topic="physical_activity")] == ["A", "C"]
        window = (now + timedelta(days=1.5), now + timedelta(days=2.5))
        assert [x.title for x in svc.upcoming(s, now, date_range=window)] == ["B"]
        assert [x.title for x in svc.upcoming(s, now, limit=1)] == ["A"]
        assert past.title not in [x.title for x in svc.upcoming(s, now)]
        assert svc.seats_taken_map(s, [a.id, b.id]) == {a.id: 0, b.id: 0}


def test_checkin_codes_short_unique_and_verified(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=1)
        staff = make_user(s, "STAFF", role="staff")
        a, b = make_user(s, "A"), make_user(s, "B")
        ra, rb = svc.signup(s, a, act.id, now=now), svc.signup(s, b, act.id, now=now)
        assert ra.checkin_code != rb.checkin_code
        for code in (ra.checkin_code, rb.checkin_code):
            assert len(code) == 6 and not set(code) & set("0O1IL5S2Z")
            assert checkin.looks_like_code(code.lower())
        typed = " ".join(ra.checkin_code.lower())  # spaces and lower case are fine
        assert svc.verify_checkin(s, typed).id == ra.id
        with pytest.raises(ServiceError) as err:
            svc.mark_attended(s, a, ra.checkin_code, now=now)
        assert err.value.code == "not_allowed"
        with pytest.raises(ServiceError) as err:  # three days early
            svc.mark_attended(s, staff, typed, now=now)
        assert err.value.code == "checkin_not_today"
        on_the_day = act.starts_at - timedelta(hours=1)
        assert svc.mark_attended(s, staff, typed, now=on_the_day).attended_at == on_the_day
        with pytest.raises(ServiceError) as err:
            svc.mark_attended(s, staff, ra.checkin_code, now=on_the_day)
        assert err.value.code == "already_checked_in" and "เวลา" not in err.value.message_th  # today: the time
        with pytest.raises(ServiceError) as err:  # moved to another day after an early check-in: the day is said
            svc.mark_attended(s, staff, ra.checkin_code, now=on_the_day + timedelta(days=7))
        assert err.value.code == "already_checked_in" and format_date(on_the_day) in err.value.message_th
        with pytest.raises(ServiceError) as err:
            svc.mark_attended(s, staff, rb.checkin_code, now=on_the_day)
        assert err.value.code == "not_confirmed"
        with pytest.raises(ServiceError) as err:
            svc.verify_checkin(s, "XXXXXX")
        assert err.value.code == "code_unknown"


def test_qr_png_is_an_image():
    png = checkin.qr_png("ABC346")
    assert png.startswith(b"\x89PNG")
    assert checkin.qr_url("http://127.0.0.1:8000", "ABC346") is None
    assert checkin.qr_url("https://bot.example.org/", "abc346") == "https://bot.example.org/qr/ABC346.png"


def test_publish_validates_and_needs_staff(db, now):
    with db.session() as s:
        staff, resident = make_user(s, "S", role="staff"), make_user(s, "R")
        fields = dict(title="  เดินเร็ว  ", starts_at=now + timedelta(days=2),
                      ends_at=now + timedelta(days=2, hours=1), capacity=20, place="สวนลุม",
                      topic="physical_activity")
        with pytest.raises(ServiceError) as err:
            svc.publish(s, resident, now=now, **fields)
        assert err.value.code == "not_allowed"
        act = svc.publish(s, staff, now=now, **fields)
        assert act.title == "เดินเร็ว" and act.status == "published" and act.created_by_user_id == staff.id
        bad = {**fields, "ends_at": fields["starts_at"] - timedelta(hours=1)}
        with pytest.raises(ServiceError):
            svc.publish(s, staff, now=now, **bad)
        with pytest.raises(ServiceError) as err:
            svc.publish(s, staff, now=now, **{**fields, "capacity": 0})
        assert err.value.code == "bad_capacity"
        with pytest.raises(ServiceError) as err:
            svc.publish(s, staff, now=now, **{**fields, "starts_at": now - timedelta(hours=1)})
        assert err.value.code == "bad_time"


def test_reschedule_bumps_version_and_notifies_everyone(db, now):
    with db.session() as s:
        staff = make_user(s, "S", role="staff")
        act = make_activity(s, now, capacity=1)
        a, b, gone = make_user(s, "A"), make_user(s, "B"), make_user(s, "GONE")
        svc.signup(s, a, act.id, now=now)
        svc.signup(s, b, act.id, now=now)
        svc.signup(s, gone, act.id, now=now)
        svc.cancel_signup(s, gone, act.id, now=now)
        old_deadline_gap = act.starts_at - act.signup_deadline
        new_start = act.starts_at + timedelta(days=7)
        svc.reschedule(s, staff, act.id, new_start, new_start + timedelta(hours=3), place="วัดลาดพร้าว", now=now)
        assert act.schedule_version == 2
        assert act.starts_at == new_start and act.place == "วัดลาดพร้าว"
        assert act.starts_at - act.signup_deadline == old_deadline_gap
        for who in ("A", "B"):
            [push] = pushes(s, who)
            text = push_text(push)
            assert "เลื่อน" in text and "วัดลาดพร้าว" in text and "2569" in text
            assert push.schedule_version == 2 and push.activity_id == act.id
        assert pushes(s, "GONE") == []


def test_a_move_to_another_day_clears_the_old_days_check_ins(db, now):
    """now: Sunday 29 Nov 2026, 10:00 Bangkok. A later hour the same day keeps them; another day clears them."""
    with db.session() as s:
        staff = make_user(s, "S", role="staff")
        act = make_activity(s, now, days=0, hours=1)
        act.starts_at, act.ends_at = now - timedelta(minutes=30), now + timedelta(minutes=30)
        rows = [svc.signup(s, make_user(s, who), act.id, now=now - timedelta(days=1)) for who in "ABC"]
        for row in rows[:2]:
            svc.mark_attended(s, staff, row.checkin_code, now=now)
        later_today = now + timedelta(hours=3)
        moved = svc.reschedule(s, staff, act.id, later_today, later_today + timedelta(hours=1), now=now)
        assert moved.activity is act and moved.checkins_cleared == 0 and svc.checkins_recorded(s, act.id) == 2
        next_week = now + timedelta(days=7)
        assert svc.moves_to_another_day(act, next_week)
        moved = svc.reschedule(s, staff, act.id, next_week, next_week + timedelta(hours=1), now=now)
        assert moved.checkins_cleared == 2 and svc.checkins_recorded(s, act.id) == 0
        assert all(row.attended_at is None for row in rows)
        assert svc.mark_attended(s, staff, rows[0].checkin_code, now=next_week).attended_at == next_week


def test_cancel_activity_notifies_and_closes(db, now):
    with db.session() as s:
        staff = make_user(s, "S", role="staff")
        act = make_activity(s, now, capacity=1)
        a, b = make_user(s, "A"), make_user(s, "B")
        svc.signup(s, a, act.id, now=now)
        svc.signup(s, b, act.id, now=now)
        svc.cancel_activity(s, staff, act.id, reason="ฝนตกหนัก", now=now)
        assert act.status == "cancelled"
        assert {r.to[0] for r in pushes(s)} == {"A", "B"}
        assert all("ยกเลิก" in push_text(r) and "ฝนตกหนัก" in push_text(r) for r in pushes(s))
        assert svc.upcoming(s, now) == []
        assert svc.my_signups(s, a, now) == []
        with pytest.raises(ServiceError):
            svc.signup(s, make_user(s, "C"), act.id, now=now)


def test_edit_place_notifies_and_more_seats_promote(db, now):
    with db.session() as s:
        staff = make_user(s, "S", role="staff")
        act = make_activity(s, now, capacity=1)
        a, b = make_user(s, "A"), make_user(s, "B")
        svc.signup(s, a, act.id, now=now)
        svc.signup(s, b, act.id, now=now)
        with pytest.raises(ServiceError) as err:
            svc.edit(s, staff, act.id, capacity=0, now=now)
        result = svc.edit(s, staff, act.id, capacity=2, place="หอประชุมเขต", now=now)
        assert set(result.changed) == {"capacity", "place"}
        assert [r.user_id for r in result.promoted] == [b.id]
        assert any("หอประชุมเขต" in push_text(r) for r in pushes(s, "A"))
        assert any("มีที่ว่างแล้ว" in push_text(r) for r in pushes(s, "B"))
        with pytest.raises(ServiceError) as err:
            svc.edit(s, staff, act.id, capacity=1, now=now)
        assert err.value.code == "capacity_below_confirmed"


# --- the race ------------------------------------------------------------------------------------

ROUNDS = 20


def _race_round(db, now, round_no: int) -> list[str]:
    with db.session() as s:
        act = make_activity(s, now, capacity=2, title=f"race {round_no}")
        svc.signup(s, make_user(s, f"R{round_no}-first"), act.id, now=now)  # one seat left
        racers = [make_user(s, f"R{round_no}-{i}").id for i in range(2)]
        activity_id = act.id
    barrier = threading.Barrier(len(racers))
    statuses: list[str] = []
    errors: list[BaseException] = []

    def run(user_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            with db.session() as s:
                row = svc.signup(s, s.get(User, user_id), activity_id, now=now)
                statuses.append(row.status)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(uid,)) for uid in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    with db.session(readonly=True) as s:
        act = s.get(Activity, activity_id)
        assert svc.seats_taken(s, activity_id) == act.capacity
        waiting = [r for r in svc.participants(s, act, include_waitlist=True) if r.status == "waitlisted"]
        assert [r.waitlist_seq for r in waiting] == [1]
    return sorted(statuses)


def test_two_people_race_for_the_last_seat(any_db, now):
    for round_no in range(ROUNDS):
        assert _race_round(any_db, now, round_no) == ["confirmed", "waitlisted"], f"round {round_no}"


def test_many_people_race_for_few_seats(any_db, now):
    """Eight people, three seats left: exactly three get one, five wait in distinct order."""
    with any_db.session() as s:
        act = make_activity(s, now, capacity=3)
        ids = [make_user(s, f"M{i}").id for i in range(8)]
        activity_id = act.id
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def run(user_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            with any_db.session() as s:
                svc.signup(s, s.get(User, user_id), activity_id, now=now)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(uid,)) for uid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    with any_db.session(readonly=True) as s:
        rows = svc.participants(s, s.get(Activity, activity_id), include_waitlist=True)
        assert [r.status for r in rows].count("confirmed") == 3
        assert sorted(r.waitlist_seq for r in rows if r.status == "waitlisted") == [1, 2, 3, 4, 5]


# --- changing how many go ------------------------------------------------------------------------

def test_fewer_people_free_seats_for_the_waitlist(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=3)
        a, b = make_user(s, "A"), make_user(s, "B")
        svc.signup(s, a, act.id, party_size=3, now=now)
        assert svc.signup(s, b, act.id, party_size=2, now=now).status == "waitlisted"
        change = svc.change_party(s, a, act.id, 1, now=now)
        assert (change.before, change.signup.party_size) == (3, 1)
        assert [r.user_id for r in change.promoted] == [b.id]
        assert svc.find_signup(s, b, act.id).status == "confirmed" and "มีที่ว่างแล้ว" in push_text(pushes(s, "B")[0])


def test_more_people_need_free_seats_and_a_confirmed_party_keeps_its_seats_when_refused(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=4)
        a, b = make_user(s, "A"), make_user(s, "B")
        svc.signup(s, a, act.id, party_size=2, now=now)
        svc.signup(s, b, act.id, party_size=1, now=now)
        assert svc.change_party(s, a, act.id, 3, now=now).signup.party_size == 3  # the one free seat
        with pytest.raises(ServiceError) as err:
            svc.change_party(s, b, act.id, 2, now=now)
        assert err.value.code == "not_enough_seats" and "เต็มแล้ว" in err.value.message_th
        row = svc.find_signup(s, b, act.id)
        assert (row.status, row.party_size) == ("confirmed", 1)


def test_more_people_after_the_deadline_are_refused_but_fewer_are_fine(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=10)
        a = make_user(s, "A")
        svc.signup(s, a, act.id, party_size=2, now=now)
        later = act.signup_deadline + timedelta(minutes=1)
        with pytest.raises(ServiceError) as err:
            svc.change_party(s, a, act.id, 3, now=later)
        assert err.value.code == "deadline_passed"
        assert svc.change_party(s, a, act.id, 1, now=later).signup.party_size == 1


def test_a_waitlisted_party_that_shrinks_to_fit_gets_the_seats(db, now):
    with db.session() as s:
        act = make_activity(s, now, capacity=3)
        a, b = make_user(s, "A"), make_user(s, "B")
        svc.signup(s, a, act.id, party_size=2, now=now)
        assert svc.signup(s, b, act.id, party_size=3, now=now).status == "waitlisted"
        change = svc.change_party(s, b, act.id, 1, now=now)
        assert change.signup.status == "confirmed" and change.signup in change.promoted


@pytest.mark.parametrize(("starts", "ends", "allowed"), [
    ((11, 29, 14), (11, 29, 16), True),   # later today
    ((11, 29, 7), (11, 29, 8), True),     # earlier today, already over: still its day
    ((11, 28, 20), (11, 29, 11), True),   # from last night, still going past midnight
    ((11, 28, 20), (11, 29, 9), False),   # from last night, ended at 9
    ((11, 28, 9), (11, 28, 11), False),   # yesterday
    ((11, 30, 0), (11, 30, 2), False),    # just after midnight tonight
    ((12, 13, 9), (12, 13, 11), False),   # 14 days away
])
def test_check_in_only_on_the_activitys_day(db, now, starts, ends, allowed):
    """now: Sunday 29 Nov 2026, 10:00 Bangkok."""
    from datetime import datetime

    from bot.thaidate import BKK

    with db.session() as s:
        act = make_activity(s, now, capacity=5)
        row = svc.signup(s, make_user(s, "A"), act.id, now=now)
        act.starts_at = datetime(2026, starts[0], starts[1], starts[2], tzinfo=BKK)
        act.ends_at = datetime(2026, ends[0], ends[1], ends[2], tzinfo=BKK)
        if allowed:
            assert svc.mark_attended(s, None, row.checkin_code, now=now).attended_at == now
        else:
            with pytest.raises(ServiceError) as err:
                svc.mark_attended(s, None, row.checkin_code, now=now)
            # Before its day: not yet; after it: "checkin_day_passed", which offers recording it afterwards.
            assert err.value.code in ("checkin_not_today", "checkin_day_passed") and act.title in err.value.message_th
            assert " 2569 " in err.value.message_th and row.attended_at is None


@pytest.mark.parametrize(("starts", "allowed", "refusal"), [
    ((11, 29, 9), True, None),                       # started an hour ago
    ((11, 29, 11), False, "late_checkin_early"),     # later today: not before it starts
    ((11, 30, 9), False, "late_checkin_early"),      # tomorrow
    ((11, 28, 9), True, None),                       # yesterday
    ((11, 15, 9), True, None),                       # 14 days ago: the last day
    ((11, 14, 9), False, "checkin_too_late"),        # 15 days ago
])
def test_attendance_recorded_afterwards_from_the_start_for_14_days(db, now, starts, allowed, refusal):
    """now: Sunday 29 Nov 2026, 10:00 Bangkok; each activity lasts two hours."""
    from datetime import datetime

    from bot.thaidate import BKK

    with db.session() as s:
        act = make_activity(s, now, capacity=5)
        row = svc.signup(s, make_user(s, "A"), act.id, now=now)
        act.starts_at = datetime(2026, starts[0], starts[1], starts[2], tzinfo=BKK)
        act.ends_at = act.starts_at + timedelta(hours=2)
        staff = make_user(s, "S", role="staff")
        with pytest.raises(ServiceError) as err:
            svc.mark_attended(s, make_user(s, "R"), row.checkin_code, now=now, late=True)
        assert err.value.code == "not_allowed"
        if allowed:
            assert svc.mark_attended(s, staff, row.checkin_code, now=now, late=True).attended_at == now
        else:
            with pytest.raises(ServiceError) as err:
                svc.mark_attended(s, staff, row.checkin_code, now=now, late=True)
            assert err.value.code == refusal and act.title in err.value.message_th and row.attended_at is None
