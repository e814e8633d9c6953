"""An idea's picture is fetched from LINE on threads of its own: a slow fetch never keeps a reply waiting."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from bot.simulator.events import build_event, new_reply_token
from storage.models import IdeaPhoto
from tests.ideas.test_chat import HOME

OTHER = "U" + "7" * 32


@pytest.fixture
def settings(settings):
    """One send thread: with the fetch on it, anything else needing a send thread would wait behind it."""
    settings.send_threads = 1
    return settings


def _send_without_waiting(c, kind: str, **kw) -> None:
    """What Chat.send does, without waiting for the bot to finish (the picture's fetch is held open)."""
    token = new_reply_token()
    c.harness.fake.store.register_reply_token(token, c.user_id)
    assert c.harness.post_events([build_event(kind, c.user_id, reply_token=token, **kw)]).status_code == 200


def _arrives(c, words: str, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if words in c.refresh().text:
            return True
        time.sleep(0.02)
    return False


def test_a_reply_goes_out_while_a_picture_is_still_being_fetched(chat, harness, monkeypatch):
    import bot.dispatcher
    from bot import texts

    gateway = harness.app.extensions["ruamkan.gateway"]
    fetch, started, release, fetched_on = gateway.fetch_content, threading.Event(), threading.Event(), []

    def slow_fetch(message_id: str, timeout: float = 20.0):
        fetched_on.append(threading.current_thread().name)
        started.set()
        release.wait(15)  # LINE's data host taking its time
        return fetch(message_id, timeout)

    monkeypatch.setattr(gateway, "fetch_content", slow_fetch)
    dispatch = bot.dispatcher.dispatch

    def failing_for_one_word(ctx):
        if ctx.text == "ทดสอบขัดข้อง":
            raise RuntimeError("a bug meets one message")
        return dispatch(ctx)

    monkeypatch.setattr(bot.dispatcher, "dispatch", failing_for_one_word)
    submitter = chat(community=HOME)
    submitter.say("เสนอโครงการ").say("ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").tap(HOME).tap("ผู้สูงอายุ")
    submitter.say("ผู้สูงอายุไม่มีที่ออกกำลังกาย").say("ทำลานและจัดแอโรบิก").say("30").say("5000")
    submitter.tap("กองทุนสุขภาพ กทม.").send("image", messageId="photo-slow").tap("ข้าม").expect("สรุปโครงการ")
    _send_without_waiting(submitter, "postback", data=submitter.find_action("ส่งโครงการ")["data"])
    try:
        assert started.wait(10), "the picture was not fetched after the idea was saved"
        other = chat(OTHER, community=HOME)
        # The apology for a message the bot failed on is the one reply handed to the sender by row id:
        # it needs a send thread to read its row, while the fetch is still held open.
        _send_without_waiting(other, "text", text="ทดสอบขัดข้อง")
        assert _arrives(other, "ระบบขัดข้องชั่วคราว"), "the reply waited for the picture"
        assert not release.is_set()
        assert _arrives(submitter, "เรียบร้อยแล้วค่ะ")
        assert texts.server_trouble()["text"] in other.text
    finally:
        release.set()
    harness.wait()
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(IdeaPhoto.status)) == "stored"
    assert [name.rsplit("_", 1)[0] for name in fetched_on] == ["rk-content"]
