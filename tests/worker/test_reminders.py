"""Scheduled jobs: activity reminders (dedupe, reschedule), hearing notices, follow-ups, idea nudges, sweeps."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.outbox_delivery import OutboxSender
from bot.postback import decode
from bot.services import activities, reminders
from bot.services.errors import ServiceError
from storage.models import (
    ActivityFeedback,
    Charter,
    CharterClause,
    CharterSection,
    ClauseFeedback,
    Conversation,
    HearingRound,
    Idea,
)
from tests.worker.helpers import FakeGateway, make_activity, make_user, rows, sign_up, uid


def texts_of(call: dict) -> str:
    return str(call["messages"])


def test_reminders_24h_and_2h_before_with_date_place_and_cancel_button(db, now):
    with db.session() as s:
        activity = make_activity(s, now + timedelta(hours=24, minutes=30), place="ศาลาชุมชนร่วมใจ")
        signup = sign_up(s, activity, make_user(s, 1))
    with db.session() as s:
        assert reminders.queue_activity_reminders(s, now) == 1  # 24 h reminder due in 30 minutes
    with db.session() as s:
        (row,) = rows(s)
        assert row.dedupe_key == f"reminder:{signup.id}:1:1440"
        assert row.due_at == activity.starts_at - timedelta(hours=24)
        body = str(row.messages)
        assert "เดินเร็วเพื่อสุขภาพ" in body and "ศาลาชุมชนร่วมใจ" in body and "2569" in body
        assert "ยกเลิกการลงทะเบียน" in body and "activity.cancel" in body
    with db.session() as s:
        assert reminders.queue_activity_reminders(s, activity.starts_at - timedelta(hours=2, minutes=10)) == 1
        assert {r.dedupe_key.rsplit(":", 1)[1] for r in rows(s)} == {"1440", "120"}


def test_reminder_job_run_twice_queues_nothing_more(db, now):
    with db.session() as s:
        activity = make_activity(s, now + timedelta(hours=2, minutes=20))
        for n in range(1, 6):
            sign_up(s, activity, make_user(s, n))
    with db.session() as s:
        first = reminders.queue_activity_reminders(s, now)
    with db.session() as s:
        second = reminders.queue_activity_reminders(s, now + timedelta(minutes=1))
    assert (first, second) == (5, 0)


def test_per_activity_offsets(db, now):
    with db.session() as s:
        activity = make_activity(s, now + timedelta(minutes=45), offsets=[30])
        sign_up(s, activity, make_user(s, 1))
    with db.session() as s:
        reminders.queue_activity_reminders(s, now)
        (row,) = rows(s)
        assert row.dedupe_key.endswith(":30") and "อีก 30 นาที" in str(row.messages)


def test_a_reminder_sent_a_day_late_names_the_day_it_is_sent(db, now):
    """"อีก 2 วัน" was fixed when queued; delivered a day late (the worker was down) it is "พรุ่งนี้"."""
    gateway = FakeGateway()
    with db.session() as s:
        activity = make_activity(s, now + timedelta(days=2, minutes=20), offsets=[2880])
        sign_up(s, activity, make_user(s, 1))
        assert reminders.queue_activity_reminders(s, now) == 1
        assert "อีก 2 วันมีกิจกรรมค่ะ" in str(rows(s)[0].messages)  # as it would go on time
    OutboxSender(db, gateway, worker_id="w").run_once(now + timedelta(days=1, hours=1))
    (call,) = gateway.calls
    assert "⏰ พรุ่งนี้มีกิจกรรมค่ะ" in texts_of(call) and "อีก 2 วัน" not in texts_of(call)


def test_a_reminder_overtaken_by_a_later_one_is_not_sent_too(db, now):
    """The worker was down from the day-before reminder until the two-hour one was due: both went, both saying
    the same time left."""
    gateway = FakeGateway()
    with db.session() as s:
        activity = make_activity(s, now + timedelta(hours=24, minutes=20))
        sign_up(s, activity, make_user(s, 1))
        assert reminders.queue_activity_reminders(s, now) == 1  # the day before, due in 20 minutes
    back = activity.starts_at - timedelta(hours=1, minutes=50)
    with db.session() as s:
        assert reminders.queue_activity_reminders(s, back) == 1  # the two-hour one, 10 minutes late
    OutboxSender(db, gateway, worker_id="w").run_once(back)
    (call,) = gateway.calls
    assert "⏰ อีก 1 ชั่วโมง 50 นาทีมีกิจกรรมค่ะ" in texts_of(call)
    with db.session() as s:
        assert [(r.status, r.last_error) for r in rows(s)] == [
            ("cancelled", "overtaken by the 120-minute reminder"), ("sent", None)]


def test_reschedule_kills_old_reminders_and_makes_new_ones(db, now):
    gateway = FakeGateway()
    with db.session() as s:
        staff = make_user(s, 99, role="staff")
        activity = make_activity(s, now + timedelta(hours=2, minutes=30))
        sign_up(s, activity, make_user(s, 1))
        reminders.queue_activity_reminders(s, now)  # the 2 h reminder for the old time
    with db.session() as s:
        activities.reschedule(s, staff, activity.id, now + timedelta(days=3), now + timedelta(days=3, hours=2),
                              now=now)
    sender = OutboxSender(db, gateway, worker_id="w")
    sender.run_once(now + timedelta(minutes=31))  # when the old reminder would have been due
    with db.session() as s:
        old = [r for r in rows(s) if r.category == "reminder"]
        assert len(old) == 1 and old[0].status == "cancelled" and "moved" in old[0].last_error
    assert not any("⏰" in texts_of(c) for c in gateway.calls)  # only the reschedule notice went out
    with db.session() as s:
        new_time = now + timedelta(days=2, minutes=10)
        assert reminders.queue_activity_reminders(s, new_time) == 1
        fresh = [r for r in rows(s) if r.category == "reminder" and r.status == "pending"]
        assert fresh[0].dedupe_key.split(":")[2] == "2"
    sender.run_once(now + timedelta(days=2, minutes=30))
    assert sum("⏰" in texts_of(c) for c in gateway.calls) == 1


def test_no_reminder_for_a_cancelled_signup_or_cancelled_activity(db, now):
    gateway = FakeGateway()
    with db.session() as s:
        staff = make_user(s, 99, role="staff")
        a1 = make_activity(s, now + timedelta(hours=2, minutes=30))
        a2 = make_activity(s, now + timedelta(hours=2, minutes=30), title="โยคะ")
        user = make_user(s, 1)
        sign_up(s, a1, user)
        sign_up(s, a2, make_user(s, 2))
        reminders.queue_activity_reminders(s, now)
    with db.session() as s:
        from storage.models import User

        activities.cancel_signup(s, s.get(User, user.id), a1.id, now=now)
        activities.cancel_activity(s, staff, a2.id, now=now)
    OutboxSender(db, gateway, worker_id="w").run_once(now + timedelta(hours=1))
    with db.session() as s:
        assert {r.status for r in rows(s) if r.category == "reminder"} == {"cancelled"}
    assert not any("⏰" in texts_of(c) for c in gateway.calls)


def test_reminders_skip_waitlist_and_unfollowed(db, now):
    with db.session() as s:
        activity = make_activity(s, now + timedelta(hours=2, minutes=10))
        sign_up(s, activity, make_user(s, 1), status="waitlisted")
        sign_up(s, activity, make_user(s, 2, active=False))
        sign_up(s, activity, make_user(s, 3))
        reminders.queue_activity_reminders(s, now)
        assert [r.to for r in rows(s)] == [[uid(3)]]


def test_no_reminder_for_someone_already_checked_in(db, now):
    """A 2-hour reminder with "ยกเลิกการลงทะเบียน" reached a resident already checked in at the door."""
    gateway = FakeGateway()
    with db.session() as s:
        activity = make_activity(s, now + timedelta(hours=2, minutes=10))
        early = sign_up(s, activity, make_user(s, 1))
        later = sign_up(s, activity, make_user(s, 2))
        early.attended_at = now
        assert reminders.queue_activity_reminders(s, now) == 1  # queued before she came: not to her
        assert [r.to for r in rows(s)] == [[uid(2)]]
    with db.session() as s:  # checked in after it was queued: it is not sent
        s.get(type(later), later.id).attended_at = now + timedelta(minutes=5)
    OutboxSender(db, gateway, worker_id="w").run_once(now + timedelta(minutes=15))
    with db.session() as s:
        assert [(r.status, r.last_error) for r in rows(s)] == [("cancelled", "already checked in")]
    assert not any("⏰" in texts_of(c) for c in gateway.calls)


def _round(s, now, *, opens, closes):
    charter = Charter(district="ลาดพร้าว", title="ธรรมนูญสุขภาพเขตลาดพร้าว", status="published")
    s.add(charter)
    s.flush()
    section = CharterSection(charter_id=charter.id, no=1, title="อาหารปลอดภัย")
    s.add(section)
    s.flush()
    clause = CharterClause(charter_id=charter.id, section_id=section.id, no=1, text="ลดหวานมันเค็ม")
    s.add(clause)
    hearing = HearingRound(charter_id=charter.id, name="รอบที่ 1", opens_at=opens, closes_at=closes)
    s.add(hearing)
    s.flush()
    return hearing, clause


def test_hearing_closing_notice_goes_once_to_those_without_feedback(db, now):
    with db.session() as s:
        hearing, clause = _round(s, now, opens=now - timedelta(days=10), closes=now + timedelta(days=3))
        gave = make_user(s, 1)
        make_user(s, 2)
        make_user(s, 3)
        s.add(ClauseFeedback(round_id=hearing.id, clause_id=clause.id, user_id=gave.id, stance="agree"))
    with db.session() as s:
        assert reminders.queue_hearing_closing(s, now) == 1
        assert reminders.queue_hearing_closing(s, now + timedelta(hours=1)) == 0
        (row,) = rows(s)
        assert row.kind == "multicast" and sorted(row.to) == [uid(2), uid(3)]
        assert "อีก 3 วัน" in str(row.messages)


def test_hearing_results_go_to_participants_after_close(db, now):
    with db.session() as s:
        hearing, clause = _round(s, now, opens=now - timedelta(days=10), closes=now - timedelta(hours=1))
        for n, stance in ((1, "agree"), (2, "disagree")):
            s.add(ClauseFeedback(round_id=hearing.id, clause_id=clause.id, user_id=make_user(s, n).id, stance=stance))
        make_user(s, 3)
    with db.session() as s:
        assert reminders.queue_hearing_results(s, now) == 1
        assert reminders.queue_hearing_results(s, now) == 0
        (row,) = rows(s)
        assert sorted(row.to) == [uid(1), uid(2)] and "เห็นด้วย 50%" in str(row.messages)


def test_followup_after_activity_and_feedback_is_stored(db, now):
    with db.session() as s:
        activity = make_activity(s, now - timedelta(hours=4), hours=2)
        came = make_user(s, 1)
        sign_up(s, activity, came).attended_at = now - timedelta(hours=4)
        sign_up(s, activity, make_user(s, 2))
    with db.session() as s:
        assert reminders.queue_followups(s, now) == 1
        assert reminders.queue_followups(s, now) == 0
        (row,) = rows(s)
        assert row.to == [uid(1)] and "feedback.rate" in str(row.messages)
    with db.session() as s:
        from storage.models import User

        reminders.record_feedback(s, s.get(User, came.id), activity.id, 4, now=now)
        reminders.record_feedback(s, s.get(User, came.id), activity.id, 5, "วิทยากรสอนสนุกค่ะ")
        try:
            reminders.record_feedback(s, s.get(User, came.id), activity.id, 9)
            raise AssertionError("a rating of 9 was accepted")
        except ServiceError as exc:
            assert exc.code == "bad_rating"
    with db.session() as s:
        (fb,) = s.scalars(select(ActivityFeedback)).all()
        assert (fb.rating, fb.comment) == (5, "วิทยากรสอนสนุกค่ะ")


# --- ideas: the weekly digest to staff, the nudge after a revision request ------------------------

def _idea(s, author, title: str, status: str, changed_at) -> Idea:
    idea = Idea(user_id=author.id, title=title, status=status, status_changed_at=changed_at)
    s.add(idea)
    s.flush()
    return idea


def _text_and_actions(row) -> tuple[str, list[dict]]:
    (message,) = row.messages
    return message["text"], [item["action"] for item in message.get("quickReply", {}).get("items", [])]


def test_idea_digest_goes_to_every_active_staff_member_with_what_waits_longest_first(db, now):
    monday = now + timedelta(hours=23)  # Monday 30 Nov 2026, 09:00 Bangkok: when the job runs
    with db.session() as s:
        make_user(s, 90, role="staff")
        make_user(s, 91, role="staff", active=False)  # blocked the bot
        make_user(s, 92, role="admin")
        make_user(s, 93, role="leader")
        author = make_user(s, 1)
        _idea(s, author, "ลานออกกำลังกายผู้สูงอายุ", "submitted", monday - timedelta(days=3))
        _idea(s, author, "อาสาเยี่ยมบ้าน", "submitted", monday - timedelta(hours=2))
        _idea(s, author, "ผักปลอดสารในโรงเรียน", "under_review", monday - timedelta(days=5, hours=2))
        _idea(s, author, "ลานเล่นเด็กปลอดบุหรี่", "needs_revision", monday - timedelta(days=9))  # submitter's turn
        _idea(s, author, "ธนาคารขยะ", "approved", monday - timedelta(days=20))
        _idea(s, author, "ทางเดินริมคลอง", "withdrawn", monday - timedelta(days=20))
    with db.session() as s:
        assert reminders.queue_idea_digest(s, monday) == 2
    with db.session() as s:
        queued = rows(s)
        assert sorted(r.to for r in queued) == [[uid(90)], [uid(92)]]  # not the leader, resident or blocked
        for row in queued:
            text, actions = _text_and_actions(row)
            assert text == ("สรุปประจำสัปดาห์ค่ะ 🗂 มีโครงการรอพิจารณา 3 เรื่อง\n"
                            "• ผักปลอดสารในโรงเรียน (กำลังพิจารณา รอมา 5 วัน)\n"
                            "• ลานออกกำลังกายผู้สูงอายุ (ส่งแล้ว รอมา 3 วัน)\n"
                            "• อาสาเยี่ยมบ้าน (ส่งแล้ว รอมาไม่ถึงวัน)")
            assert actions == [{"type": "message", "label": "ดูโครงการรอตรวจ", "text": "โครงการรอตรวจ"}]


def test_idea_digest_lists_the_ten_longest_waiting_and_counts_the_rest(db, now):
    with db.session() as s:
        make_user(s, 90, role="staff")
        author = make_user(s, 1)
        for n in range(1, 13):
            _idea(s, author, f"โครงการที่ {n}", "submitted", now - timedelta(days=n))
        assert reminders.queue_idea_digest(s, now) == 1
        text, _ = _text_and_actions(rows(s)[0])
        lines = text.split("\n")
        assert lines[0] == "สรุปประจำสัปดาห์ค่ะ 🗂 มีโครงการรอพิจารณา 12 เรื่อง"
        assert lines[1:11] == [f"• โครงการที่ {n} (ส่งแล้ว รอมา {n} วัน)" for n in range(12, 2, -1)]
        assert lines[11:] == ["และอีก 2 เรื่อง"]


def test_no_idea_digest_when_nothing_waits_for_staff(db, now):
    with db.session() as s:
        make_user(s, 90, role="staff")
        assert reminders.queue_idea_digest(s, now) == 0  # no ideas at all
        author = make_user(s, 1)
        _idea(s, author, "ธนาคารขยะ", "approved", now - timedelta(days=20))
        _idea(s, author, "ลานเล่นเด็กปลอดบุหรี่", "needs_revision", now - timedelta(days=9))
        assert reminders.queue_idea_digest(s, now) == 0
        assert rows(s) == []


def test_idea_digest_once_per_bangkok_week_even_after_it_was_delivered(db, now):
    monday_early = now + timedelta(hours=14, minutes=30)  # Mon 30 Nov 00:30 Bangkok = Sunday in UTC
    gateway = FakeGateway()
    with db.session() as s:
        make_user(s, 90, role="staff")
        _idea(s, make_user(s, 1), "ลานออกกำลังกายผู้สูงอายุ", "submitted", now - timedelta(days=3))
    with db.session() as s:
        assert reminders.queue_idea_digest(s, monday_early) == 1
    OutboxSender(db, gateway, worker_id="w").run_once(monday_early + timedelta(minutes=1))
    assert [c["to"] for c in gateway.calls] == [[uid(90)]]
    for again in (monday_early + timedelta(hours=9), monday_early + timedelta(days=6, hours=22)):  # Sun 23:00
        with db.session() as s:
            assert reminders.queue_idea_digest(s, again) == 0
    with db.session() as s:
        assert reminders.queue_idea_digest(s, monday_early + timedelta(days=7)) == 1  # the next Monday
    with db.session() as s:
        assert [r.to for r in rows(s)] == [[uid(90)], [uid(90)]]


def test_revision_nudge_goes_once_to_the_submitter_after_7_days(db, now):
    with db.session() as s:
        make_user(s, 90, role="staff")
        first, second, blocked = make_user(s, 1), make_user(s, 2), make_user(s, 3, active=False)
        veg = _idea(s, first, "ผักปลอดสารในโรงเรียน", "needs_revision", now - timedelta(days=8, hours=1))
        _idea(s, second, "ธนาคารขยะ", "needs_revision", now - timedelta(days=6))
        _idea(s, second, "ลานออกกำลังกายผู้สูงอายุ", "submitted", now - timedelta(days=10))  # staff's turn
        _idea(s, second, "ทางเดินริมคลอง", "under_review", now - timedelta(days=30))  # staff's turn
        _idea(s, blocked, "ลานเล่นเด็กปลอดบุหรี่", "needs_revision", now - timedelta(days=8))
    with db.session() as s:
        assert reminders.queue_revision_nudges(s, now) == 1
    with db.session() as s:
        (row,) = rows(s)
        assert (row.kind, row.to) == ("push", [uid(1)])
        text, actions = _text_and_actions(row)
        assert text == ("โครงการ “ผักปลอดสารในโรงเรียน” รอการแก้ไขจากคุณมา 8 วันแล้วค่ะ ✏️\n"
                        "แก้ไขแล้วส่งกลับมา เจ้าหน้าที่จะพิจารณาต่อทันทีนะคะ")
        (edit,) = actions
        assert edit["label"] == "แก้ไขโครงการ" and decode(edit["data"]) == ("idea.edit", {"id": str(veg.id)})
    with db.session() as s:
        assert reminders.queue_revision_nudges(s, now + timedelta(days=1)) == 1  # ธนาคารขยะ has waited 7 days
    for later in (now + timedelta(days=2), now + timedelta(days=15)):
        with db.session() as s:
            assert reminders.queue_revision_nudges(s, later) == 0
    with db.session() as s:
        assert [r.to for r in rows(s)] == [[uid(1)], [uid(2)]]
        assert "“ธนาคารขยะ” รอการแก้ไขจากคุณมา 7 วันแล้วค่ะ" in _text_and_actions(rows(s)[1])[0]


def test_a_new_revision_request_is_nudged_again(db, now):
    with db.session() as s:
        idea = _idea(s, make_user(s, 1), "ผักปลอดสารในโรงเรียน", "needs_revision", now - timedelta(days=7))
        assert reminders.queue_revision_nudges(s, now) == 1
    with db.session() as s:  # revised, then staff ask for another change two days later
        idea = s.get(Idea, idea.id)
        idea.status, idea.status_changed_at = "needs_revision", now + timedelta(days=2)
    with db.session() as s:
        assert reminders.queue_revision_nudges(s, now + timedelta(days=8)) == 0
    with db.session() as s:
        assert reminders.queue_revision_nudges(s, now + timedelta(days=9)) == 1
        assert [r.to for r in rows(s)] == [[uid(1)], [uid(1)]]


def test_sweep_clears_long_expired_conversations_and_keeps_the_notice(db, now):
    with db.session() as s:
        s.add(Conversation(line_user_id=uid(1), chat_key=uid(1), flow="idea", step="title", data={"x": 1},
                           expires_at=now - timedelta(days=2)))
        s.add(Conversation(line_user_id=uid(2), chat_key=uid(2), flow="idea", step="title", data={"x": 1},
                           expires_at=now - timedelta(minutes=5)))
    with db.session() as s:
        assert reminders.sweep_conversations(s, now) == 1
    with db.session() as s:
        old, recent = s.scalars(select(Conversation).order_by(Conversation.id)).all()
        assert (old.flow, old.data, old.expired_notice) == (None, {}, "idea")
        assert recent.flow == "idea"
