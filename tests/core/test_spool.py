"""SQLite with the worker acting on events: acknowledgements go to a spool file of their own."""

import dataclasses

import pytest
from sqlalchemy import func, select

from bot.inbox import InboxPoller
from bot.simulator.events import build_event, new_reply_token
from bot.spool import move_to_inbox, open_spool, spooled
from storage.models import WebhookEvent
from tests.conftest import SECRET
from tests.support.chat import Harness


@pytest.fixture
def split_harness(settings, db, fake_line):
    """The web process as the Procfile runs it (RUAMKAN_EVENTS_IN=worker) and the worker's poller."""
    if not db.is_sqlite:
        pytest.skip("the spool exists on SQLite only (PostgreSQL has no single write turn)")
    from bot.app import create_app

    app = create_app(dataclasses.replace(settings, events_in="worker"), db=db)
    harness = Harness(app=app, client=app.test_client(), fake=fake_line, db=db, secret=SECRET)
    poller = InboxPoller(db, app.extensions["ruamkan.processor"], spool=open_spool(db.url))
    yield harness, poller
    app.extensions["ruamkan.processor"].shutdown()
    app.extensions["ruamkan.sender"].shutdown()


def _inbox_count(db):
    with db.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(WebhookEvent))


def test_an_acknowledged_event_waits_in_the_spool_until_the_worker_acts(split_harness):
    harness, poller = split_harness
    token = new_reply_token()
    harness.fake.store.register_reply_token(token, "Uspool")
    event = build_event("text", "Uspool", text="วิธีใช้", reply_token=token)
    assert harness.post_events([event]).status_code == 200
    assert spooled(poller.spool) == 1 and _inbox_count(harness.db) == 0
    assert poller.poll_once() == 1
    harness.wait()
    assert spooled(poller.spool) == 0
    said = harness.messages_to("Uspool")
    assert len(said) == 1 and "ช่วยอะไรได้บ้าง" in said[0]["message"]["text"]


def test_a_redelivery_after_the_move_is_not_acted_on_twice(split_harness):
    harness, poller = split_harness
    token = new_reply_token()
    harness.fake.store.register_reply_token(token, "Uspool2")
    event = build_event("text", "Uspool2", text="วิธีใช้", reply_token=token)
    harness.post_events([event])
    poller.poll_once()
    harness.wait()
    again = dict(event, deliveryContext={"isRedelivery": True})
    assert harness.post_events([again]).status_code == 200
    assert harness.post_events([again]).status_code == 200  # twice while still spooled: kept once
    assert spooled(poller.spool) == 1
    assert poller.poll_once() == 0
    harness.wait()
    assert spooled(poller.spool) == 0 and _inbox_count(harness.db) == 1
    assert len(harness.messages_to("Uspool2")) == 1


def test_events_copied_twice_by_an_interrupted_move_are_kept_once(split_harness):
    harness, poller = split_harness
    harness.post_events([build_event("text", f"Uspool3{i}", text="สวัสดี") for i in range(5)])
    from bot.inbox import insert_new
    from bot.spool import _inbox_row

    with poller.spool.session(readonly=True) as s:
        rows = s.execute(select(WebhookEvent.__table__)).mappings().all()
    insert_new(harness.db, [_inbox_row(r) for r in rows[:3]], urgent=False)  # moved, then a crash
    assert move_to_inbox(poller.spool, harness.db) == 5
    assert _inbox_count(harness.db) == 5 and spooled(poller.spool) == 0
