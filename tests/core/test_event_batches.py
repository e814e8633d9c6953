"""Events acted on in batches: one transaction for several events, as if each had its own."""

import threading

from sqlalchemy import select

from bot import dispatcher
from bot.inbox import record
from bot.simulator.events import build_event, new_reply_token
from storage.db import FileWriteLock, WriteGate
from storage.models import Conversation, WebhookEvent


def _record_texts(harness, user_texts):
    """Record text events (no processing yet); returns their inbox row ids in order."""
    events = []
    for user, text in user_texts:
        token = new_reply_token()
        harness.fake.store.register_reply_token(token, user)
        events.append(build_event("text", user, text=text, reply_token=token))
    return [row_id for row_id, _ in record(harness.db, events)]


def _statuses(db, ids):
    with db.session(readonly=True) as s:
        rows = s.execute(select(WebhookEvent.id, WebhookEvent.status).where(WebhookEvent.id.in_(ids))).all()
    return [dict(rows)[i] for i in ids]


def test_one_failing_event_does_not_hold_back_the_others(harness, app, monkeypatch):
    real_handle_text = dispatcher.handle_text

    def handle_text(ctx, raw):
        if raw == "ระเบิด":
            raise RuntimeError("a bug in a handler")
        real_handle_text(ctx, raw)

    monkeypatch.setattr(dispatcher, "handle_text", handle_text)
    ids = _record_texts(harness, [("Ubatch1", "วิธีใช้"), ("Ubatch2", "ระเบิด"), ("Ubatch3", "วิธีใช้")])
    app.extensions["ruamkan.processor"].process_batch(ids)
    harness.wait()
    assert _statuses(harness.db, ids) == ["done", "failed", "done"]
    assert "ช่วยอะไรได้บ้าง" in harness.messages_to("Ubatch1")[0]["message"]["text"]
    assert "ช่วยอะไรได้บ้าง" in harness.messages_to("Ubatch3")[0]["message"]["text"]
    apology = harness.messages_to("Ubatch2")
    assert len(apology) == 1 and "ขออภัย" in apology[0]["message"]["text"]


def test_a_users_events_in_one_batch_follow_each_other(harness, app, chat):
    user = chat("Ubatchflow")  # consented, with a community
    ids = _record_texts(harness, [(user.user_id, "เสนอโครงการ"), (user.user_id, "ยกเลิก")])
    app.extensions["ruamkan.processor"].process_batch(ids)
    harness.wait()
    assert _statuses(harness.db, ids) == ["done", "done"]
    said = [m["message"].get("text", "") for m in harness.messages_to(user.user_id)]
    assert "ชื่ออะไรคะ" in said[-2] and "ยกเลิก" in said[-1], said  # the replies in the order asked
    with harness.db.session(readonly=True) as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == user.user_id))
        assert conv.flow is None  # the second event saw the flow the first one opened, and closed it


def test_an_event_already_done_is_not_acted_on_again(harness, app):
    ids = _record_texts(harness, [("Ubatchtwice", "วิธีใช้")])
    processor = app.extensions["ruamkan.processor"]
    processor.process_batch(ids)
    processor.process_batch(ids)
    harness.wait()
    assert len(harness.messages_to("Ubatchtwice")) == 1


def test_an_event_another_worker_finished_meanwhile_is_not_acted_on_twice(harness, app):
    """The claim handed over payloads; one event was then done elsewhere (a recovery sweep's worker)."""
    ids = _record_texts(harness, [("Ubatchrace", text) for text in ("วิธีใช้", "สวัสดีค่ะ", "วิธีใช้")])
    with harness.db.session() as s:
        claimed = s.execute(select(WebhookEvent.id, WebhookEvent.source_key, WebhookEvent.payload)
                            .where(WebhookEvent.id.in_(ids)).order_by(WebhookEvent.id)).all()
        s.get(WebhookEvent, ids[1]).status = "done"
    app.extensions["ruamkan.processor"].submit([tuple(row) for row in claimed])
    harness.wait()
    assert _statuses(harness.db, ids) == ["done", "done", "done"]
    said = [m["message"].get("text", "") for m in harness.messages_to("Ubatchrace")]
    assert len(said) == 2 and all("ช่วยอะไรได้บ้าง" in text for text in said), said  # not the greeting


def test_a_long_write_sees_an_acknowledgement_waiting(tmp_path):
    path = str(tmp_path / "bot.db")
    gate = WriteGate(FileWriteLock(path))
    gate.acquire()  # the event worker's transaction
    assert not gate.urgent_waiting()
    other = WriteGate(FileWriteLock(path))  # a web process: its own gate, the same files
    acked = threading.Event()

    def acknowledge():
        other.acquire(urgent=True)
        acked.set()
        other.release()

    thread = threading.Thread(target=acknowledge)
    thread.start()
    deadline = threading.Event()
    for _ in range(200):
        if gate.urgent_waiting():
            break
        deadline.wait(0.01)
    assert gate.urgent_waiting()
    assert not acked.is_set()
    gate.release()
    thread.join(timeout=5)
    assert acked.is_set() and not gate.urgent_waiting()


def test_a_refusal_in_a_shared_transaction_undoes_only_its_own_event(harness, app, chat, db, monkeypatch):
    """A sign-up refused after its row was written, between two other events in one transaction."""
    from bot.services import activities
    from bot.services.errors import ServiceError
    from bot.thaidate import now_utc
    from storage.models import Signup
    from tests.activities.factories import make_activity

    with db.session() as s:
        make_activity(s, now_utc(), capacity=5)
    refused = chat("Ubatchrefused").say("กิจกรรม").tap("สมัคร").tap("1 คน").expect("ยืนยันการสมัครไหมคะ")
    other = chat("Ubatchother")
    real_signup = activities.signup

    def signup_then_refuse(*args, **kwargs):
        real_signup(*args, **kwargs)  # the row is written, then a rule says no
        raise ServiceError("closed", "ขออภัยค่ะ กิจกรรมนี้เพิ่งปิดรับสมัคร")

    monkeypatch.setattr(activities, "signup", signup_then_refuse)
    ids = _record_texts(harness, [(other.user_id, "เสนอโครงการ"), (refused.user_id, "ยืนยันสมัคร"),
                                  (other.user_id, "ลานออกกำลังกาย")])
    processor = app.extensions["ruamkan.processor"]
    processor.process_batch(ids)
    harness.wait()
    assert _statuses(harness.db, ids) == ["done", "done", "done"]
    assert processor.redone == {"refusal": 1}  # the benchmarks report how often this happens
    *_, reason, answer = harness.messages_to(refused.user_id)
    assert "เพิ่งปิดรับสมัคร" in reason["message"]["text"]
    assert "ยืนยันสมัคร" in [item["action"]["label"] for item in answer["message"]["quickReply"]["items"]]
    with db.session(readonly=True) as s:
        assert s.scalars(select(Signup)).all() == []  # the refused sign-up's row is undone
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == other.user_id))
        assert conv.flow == "idea" and conv.data.get("title") == "ลานออกกำลังกาย"  # the others' are kept
