"""Replies to one chat arrive in the order the bot wrote them, whatever each call's latency."""

import threading
import time

from bot.replies import text
from bot.sender import Sender
from bot.services.outbox import insert_sending, sending_values
from tests.worker.helpers import FakeGateway


class SlowFirstGateway(FakeGateway):
    """LINE answering the first reply slowly (300 ms) and every later one at once."""

    def send_reply(self, reply_token, to, messages, retry_key):
        with self.lock:
            first = not self.calls and not getattr(self, "started", False)
            self.started = True
        if first:
            time.sleep(0.3)
        return super().send_reply(reply_token, to, messages, retry_key)


def _reply(db, chat, words):
    with db.session() as s:
        return insert_sending(s, [sending_values(kind="reply", to=[chat], messages=[text(words)], category="reply",
                                                 claimed_by="test", reply_token=f"tok-{words}")])[0]


def test_a_second_reply_waits_for_the_first_to_the_same_chat(db):
    gateway = SlowFirstGateway(lock=threading.Lock())
    sender = Sender(db, gateway, threads=8)
    try:
        sender.submit([_reply(db, "Uorder", "ข้อความแรก")])
        time.sleep(0.05)  # the first call is in flight
        sender.submit([_reply(db, "Uorder", "ข้อความที่สอง")])
        sender.submit([_reply(db, "Uother", "อีกห้อง")])
        assert sender.wait_idle(5)
    finally:
        sender.shutdown()
    said = [(call["to"][0], call["messages"][0]["text"]) for call in gateway.calls]
    assert said.index(("Uother", "อีกห้อง")) < said.index(("Uorder", "ข้อความแรก"))  # not held up
    assert said.index(("Uorder", "ข้อความแรก")) < said.index(("Uorder", "ข้อความที่สอง"))
