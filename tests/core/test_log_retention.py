"""PDPA: the raw inbox and the outbox are not kept forever, and "ลบข้อมูลของฉัน" erases a person's own rows.

What reads old outbox rows still gives the right answer after a prune: the answer to a push just received, a
broadcast's result while it is still going out and the counts staff see after, the weekly digest's once-a-week.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import event, select

from bot.cli_logs import prune_logs_cli
from bot.config import Settings
from bot.inbox import record
from bot.outbox_delivery import OutboxSender
from bot.scheduler import Scheduler
from bot.services import broadcasts, log_retention, reminders
from bot.services.log_retention import Retention
from bot.simulator.events import build_event, new_reply_token
from bot.thaidate import now_utc
from storage.models import Broadcast, OutboxMessage, User, WebhookEvent
from tests.worker.helpers import FakeGateway, Result, make_community, make_user, push, uid
from tests.worker.test_reminders import _idea
from tests.worker.test_replies_after_push import _remind

RES_A = "U" + "a1" * 16
RES_B = "U" + "b2" * 16
STAFF = "U" + "5" * 32
GROUP = "C" + "7" * 32
HOME = "ชุมชนร่วมใจพัฒนา"


def _event(db, received_at, status: str, text: str = "สวัสดีค่ะ", user: str = RES_A) -> int:
    """An inbox row as the webhook records it, received at `received_at`, now in `status`."""
    with db.session() as s:
        row = WebhookEvent(webhook_event_id=f"ev-{text}-{status}-{received_at.timestamp()}", event_type="message",
                           source_key=user, status=status, received_at=received_at,
                           payload=json.dumps({"type": "message", "source": {"type": "user", "userId": user},
                                               "message": {"type": "text", "text": text}}, ensure_ascii=False))
        s.add(row)
        s.flush()
        return row.id


def _sent(db, at, status: str = "sent", **extra) -> int:
    """An outbox push due (and, when sent, sent) at `at`."""
    with db.session() as s:
        row = push(s, uid(1), f"ข้อความ {status}", due_at=at, **extra)
        row.status = status
        row.sent_at = at if status == "sent" else None
        return row.id


def _inbox_ids(db) -> set[int]:
    with db.session(readonly=True) as s:
        return set(s.scalars(select(WebhookEvent.id)))


def _outbox_ids(db) -> set[int]:
    with db.session(readonly=True) as s:
        return set(s.scalars(select(OutboxMessage.id)))


def test_the_daily_job_deletes_old_finished_rows_and_keeps_recent_and_unfinished_ones(db, now):
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    gone_events = {_event(db, old, status, f"เก่า {status}") for status in ("done", "failed", "ignored")}
    kept_events = {_event(db, old, "pending", "ยังไม่ได้ทำ"), _event(db, old, "processing", "กำลังทำ"),
                   _event(db, recent, "done", "เมื่อวานซืน")}
    gone_messages = {_sent(db, old, status) for status in ("sent", "failed", "cancelled", "skipped")}
    kept_messages = {_sent(db, old, "pending"), _sent(db, old, "sending"), _sent(db, recent, "sent"),
                     _late(db, old, now - timedelta(days=2))}

    scheduler = Scheduler(db, "test-worker")
    assert scheduler.fire("log-retention", now=now) == len(gone_events) + len(gone_messages)
    assert _inbox_ids(db) == kept_events
    assert _outbox_ids(db) == kept_messages
    assert scheduler.fire("log-retention", now=now) == 0


def _late(db, due_at, sent_at) -> int:
    """A push due long ago but sent only lately (the worker was down): kept from when it went."""
    row_id = _sent(db, due_at)
    with db.session() as s:
        s.get(OutboxMessage, row_id).sent_at = sent_at
    return row_id


def test_the_keeping_times_are_the_settings_never_below_what_the_bot_needs(db, now, monkeypatch):
    monkeypatch.setenv("RUAMKAN_INBOX_KEEP_DAYS", "14")
    monkeypatch.setenv("RUAMKAN_OUTBOX_KEEP_DAYS", "60")
    settings = Settings.from_env()
    assert Retention.of(settings) == Retention(inbox_days=14, outbox_days=60)
    assert Retention.of(Settings(inbox_keep_days=1, outbox_keep_days=2)) == Retention(inbox_days=7, outbox_days=8)
    assert Retention.of(None) == Retention(inbox_days=30, outbox_days=30)

    fifteen = _event(db, now - timedelta(days=15), "done")
    thirteen = _event(db, now - timedelta(days=13), "done")
    forty = _sent(db, now - timedelta(days=40))
    seventy = _sent(db, now - timedelta(days=70))
    scheduler = Scheduler(db, "test-worker", gateway=_WithSettings(settings))
    assert scheduler.fire("log-retention", now=now) == 2
    assert _inbox_ids(db) == {thirteen} and fifteen not in _inbox_ids(db)
    assert _outbox_ids(db) == {forty} and seventy not in _outbox_ids(db)


@dataclass
class _WithSettings:
    """A gateway as far as the scheduler reads it: its settings."""

    settings: Settings


def test_a_prune_deletes_in_batches_each_its_own_transaction_until_nothing_is_left(db, now):
    old = now - timedelta(days=40)
    for n in range(25):
        _event(db, old, "done", f"ข้อความ {n}")
        _sent(db, old)
    kept = _event(db, now, "done")
    deletes: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append(cursor.rowcount)

    event.listen(db.engine, "after_cursor_execute", count)
    try:
        pruned = log_retention.prune(db, now, Retention(), batch=10)
    finally:
        event.remove(db.engine, "after_cursor_execute", count)
    assert (pruned.inbox, pruned.outbox) == (25, 25)
    assert deletes == [10, 10, 5, 10, 10, 5]  # never more than a batch at once
    assert _inbox_ids(db) == {kept} and _outbox_ids(db) == set()


def test_prune_logs_on_the_command_line_counts_first_with_dry_run(db, now):
    old = now - timedelta(days=40)
    events = [_event(db, old, "done", f"ข้อความ {n}") for n in range(3)]
    _sent(db, old)
    _event(db, old, "pending", "ยังไม่ได้ทำ")

    def run(*args: str):
        result = CliRunner().invoke(prune_logs_cli, list(args), obj={"db": db, "now": now, "settings": Settings()})
        assert result.exit_code == 0, result.output
        return result.output

    assert run("--dry-run") == "would delete 3 webhook events older than 30 days and 1 outbox rows older than 30 days\n"
    assert len(_inbox_ids(db)) == 4 and len(_outbox_ids(db)) == 1
    assert run() == "deleted 3 webhook events older than 30 days and 1 outbox rows older than 30 days\n"
    assert not set(events) & _inbox_ids(db) and len(_inbox_ids(db)) == 1 and _outbox_ids(db) == set()


# --- the features reading old outbox rows --------------------------------------------------------

@dataclass
class _FailsFor(FakeGateway):
    """LINE answers `status` to any multicast that includes `who`."""

    who: str = ""
    status: int = 500

    def multicast(self, to, messages, retry_key=None, max_attempts=None):
        super().multicast(to, messages, retry_key, max_attempts)
        return Result(False, self.status, "refused") if self.who in to else Result(True, 200)


def test_a_broadcast_still_going_out_keeps_its_rows_so_its_result_is_right(db, now):
    """Half sent, the other half retried for weeks then refused: it was sent (to 500), not failed."""
    with db.session() as s:
        staff = make_user(s, 1, role="staff")
        home = make_community(s)
        for n in range(100, 700):
            make_user(s, n, community=home)
        b = broadcasts.create(s, staff, text="พรุ่งนี้ฉีดวัคซีนค่ะ", audience_kind="community",
                              audience_value="ชุมชนร่วมใจ", now=now)
    OutboxSender(db, _FailsFor(who=uid(699), status=500), worker_id="w").run_once(now)
    later = now + timedelta(days=40)
    assert log_retention.prune(db, later, Retention()).outbox == 0
    OutboxSender(db, _FailsFor(who=uid(699), status=400), worker_id="w").run_once(later)
    with db.session(readonly=True) as s:
        audit = s.get(Broadcast, b.id)
        assert (audit.status, audit.delivered_count, audit.recipient_count) == ("sent", 500, 600)
    assert log_retention.prune(db, later + timedelta(days=31), Retention()).outbox == 2  # finished: they go


def test_staff_still_see_how_many_an_announcement_reached_after_its_messages_went(chat, harness):
    staff = chat(STAFF, role="staff")
    for user in (RES_A, RES_B):
        chat(user, community=HOME)
    now = now_utc()
    with harness.db.session() as s:
        author = s.scalar(select(User).where(User.line_user_id == STAFF))
        broadcasts.create(s, author, text="เสาร์นี้มีตรวจสุขภาพฟรีค่ะ", audience_kind="community", audience_value=HOME,
                          now=now)
    harness.run_outbox()
    later = now + timedelta(days=31)
    assert log_retention.prune(harness.db, later, Retention()).outbox >= 1
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(OutboxMessage.id).where(OutboxMessage.broadcast_id.is_not(None))) is None
    staff.say("รายการประกาศ").expect("ส่งแล้ว · ถึง 2/2 คน")


def test_words_typed_after_a_reminder_still_answer_it_after_a_prune(chat, harness):
    """Mid-journey, "ไปไม่ได้แล้วค่ะ" is read as the answer to the reminder only while its row is there."""
    r1 = chat(RES_A, community=HOME)
    with harness.db.session() as s:
        old = push(s, RES_A, "ข่าวเก่าค่ะ", due_at=now_utc() - timedelta(days=40))
        old.status, old.sent_at = "sent", now_utc() - timedelta(days=40)
    r1.say("เสนอโครงการ").expect("โครงการชื่ออะไรคะ")
    _remind(harness, RES_A)
    r1.refresh().expect("อีก 2 ชั่วโมงมีกิจกรรมค่ะ")
    assert Scheduler(harness.db, "w", gateway=harness.app.extensions["ruamkan.gateway"]).fire(
        "log-retention", now=now_utc()) == 1  # the old push went, the reminder stays
    r1.say("ไปไม่ได้แล้วค่ะ ขอยกเลิก").expect("ยกเลิกการสมัคร “ตรวจวัดความดันโลหิต”", "ขั้นตอนเสนอโครงการ")
    r1.expect_not("ประเด็นสุขภาพ")


def test_a_short_setting_never_lets_the_weekly_digest_go_twice_in_a_week(db, now):
    monday = now + timedelta(hours=23)  # Monday 30 Nov 2026, 09:00 Bangkok: when the digest goes
    with db.session() as s:
        make_user(s, 90, role="staff")
        _idea(s, make_user(s, 1), "ลานออกกำลังกายผู้สูงอายุ", "submitted", monday - timedelta(days=3))
        assert reminders.queue_idea_digest(s, monday) == 1
    OutboxSender(db, FakeGateway(), worker_id="w").run_once(monday)
    sunday = monday + timedelta(days=6, hours=14)  # the same ISO week, its last hour
    keep = Retention.of(Settings(outbox_keep_days=1))
    log_retention.prune(db, sunday, keep)
    with db.session() as s:
        assert reminders.queue_idea_digest(s, sunday) == 0
    with db.session() as s:
        assert reminders.queue_idea_digest(s, sunday + timedelta(days=1)) == 1  # next week's


# --- "ลบข้อมูลของฉัน" ----------------------------------------------------------------------------

def _payloads(harness, user: str) -> list[str]:
    """The raw events this person sent, as stored (one-to-one and in groups)."""
    with harness.db.session(readonly=True) as s:
        return [payload for payload, in s.execute(select(WebhookEvent.payload).order_by(WebhookEvent.id))
                if log_retention.sent_by(payload, user)]


def _words_to(harness, user: str) -> list[list]:
    """The words of every settled reply and push to this person's own chat."""
    with harness.db.session(readonly=True) as s:
        return [row.messages for row in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                if row.to == [user] and row.status in log_retention.OUTBOX_FINISHED]


def test_delete_my_data_erases_what_they_typed_and_what_was_said_to_them_not_others(chat, harness):
    a, b = chat(RES_A, community=HOME), chat(RES_B, community=HOME)
    a.send("text", text="ความดันขึ้นสูงทุกเช้าค่ะ โทรกลับ 081-234-5678", webhook_event_id="01PHONEOFA0000000000000000")
    b.say("ลูกชายเป็นเบาหวานค่ะ โทร 089-999-0000")
    chat(RES_A, group_id=GROUP).say("@ร่วมกัน บ้านเลขที่ 12/3 ซอยลาดพร้าว 101 ค่ะ")
    chat(RES_B, group_id=GROUP).send("text", text="@คุณเอ ฝากบอกด้วยนะคะ 02-555-1234", mention={  # names A
        "mentionees": [{"index": 0, "length": 6, "type": "user", "userId": RES_A}]})
    token = new_reply_token()
    harness.fake.store.register_reply_token(token, RES_A)
    [(pending_id, _)] = record(harness.db, [  # arrived, not acted on yet
        build_event("text", RES_A, text="วันนี้มีกิจกรรมอะไรบ้างคะ", reply_token=token)])
    assert any("081-234-5678" in p for p in _payloads(harness, RES_A))
    assert any("12/3" in p for p in _payloads(harness, RES_A))
    assert any(words for words in _words_to(harness, RES_A))
    others_before = _payloads(harness, RES_B), _words_to(harness, RES_B)

    a.say("ลบข้อมูลของฉัน").say("ใช่ค่ะ").expect("ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้ว")

    with harness.db.session(readonly=True) as s:
        raw = "\n".join(s.scalars(select(WebhookEvent.payload)))
        pending = s.get(WebhookEvent, pending_id)
        assert (pending.status, json.loads(pending.payload)["message"]["text"]) == ("pending",
                                                                                  "วันนี้มีกิจกรรมอะไรบ้างคะ")
    assert "081-234-5678" not in raw and "12/3" not in raw and "ความดันขึ้นสูง" not in raw
    assert _payloads(harness, RES_B) == others_before[0]  # another person's words, even naming them, stay
    assert "02-555-1234" in raw
    assert _words_to(harness, RES_B) == others_before[1]
    *before, deleted = _words_to(harness, RES_A)
    assert before and all(words == [] for words in before)  # the rows stay: what went, and when
    assert "ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้ว" in json.dumps(deleted, ensure_ascii=False)

    # Their event still waiting is acted on as usual; one redelivered is still known and not acted on twice.
    harness.app.extensions["ruamkan.processor"].process(pending_id)
    harness.wait()
    with harness.db.session(readonly=True) as s:
        assert s.get(WebhookEvent, pending_id).status == "done"
    a.refresh()
    assert a.last
    a.send("text", text="ความดันขึ้นสูงทุกเช้าค่ะ โทรกลับ 081-234-5678", webhook_event_id="01PHONEOFA0000000000000000",
           redelivery=True).expect_quiet()


def test_the_privacy_notice_says_how_long_messages_are_kept(chat, harness):
    c = chat(RES_A, community=HOME)
    c.say("นโยบายข้อมูล").expect("ข้อความที่คุณส่งมาและที่เราส่งถึงคุณเก็บไว้ 30 วันแล้วลบค่ะ")
    settings = harness.app.extensions["ruamkan.settings"]
    settings.inbox_keep_days, settings.outbox_keep_days = 14, 60
    c.say("นโยบายข้อมูล").expect("ข้อความที่คุณส่งมาเก็บไว้ 14 วัน ข้อความที่เราส่งถึงคุณเก็บไว้ 60 วัน แล้วลบค่ะ",
                                 "เหลือเพียงบันทึกว่าเคยมีรูปค่ะ")
