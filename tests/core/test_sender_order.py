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


def test_replies_to_many_chats_are_in_flight_together_when_line_is_slow(db, fake_line):
    """LINE taking 300 ms per call: 150 people's replies all arrive within a few seconds, not one
    thread-pool's worth at a time (two threads here: one by one, that would take 22 s)."""
    from bot.config import Settings
    from bot.line import LineGateway
    from tests.conftest import TOKEN

    fake_line.store.configure(latency_s=0.3)
    gateway = LineGateway(Settings(channel_access_token=TOKEN, line_api_base_url=fake_line.base_url,
                                   line_data_api_base_url=fake_line.base_url))
    chats = [f"U{n:032x}" for n in range(150)]
    for chat in chats:
        fake_line.store.register_reply_token(f"tok-{chat}", chat)
    with db.session() as s:
        rows = insert_sending(s, [sending_values(kind="reply", to=[chat], messages=[text("สวัสดีค่ะ")],
                                                 category="reply", claimed_by="test", reply_token=f"tok-{chat}")
                                  for chat in chats])
    sender = Sender(db, gateway, threads=2)
    try:
        sender.submit(rows)
        assert sender.wait_idle(8), "the replies waited for one another"
    finally:
        sender.shutdown()
        gateway.close()
    assert all(len(fake_line.store.messages_for(chat)) == 1 for chat in chats)


def test_replies_written_together_each_get_their_own_row_id(db):
    """One INSERT for the batch; each returned row carries the id of the row stored with its messages."""
    from storage.models import OutboxMessage

    words = [f"ข้อความที่ {n}" for n in range(7)]
    with db.session() as s:
        rows = insert_sending(s, [sending_values(kind="reply", to=[f"U{n}"], messages=[text(w)], category="reply",
                                                 claimed_by="test", reply_token=f"tok-{n}")
                                  for n, w in enumerate(words)])
    assert len({row.id for row in rows}) == len(words)
    with db.session(readonly=True) as s:
        for row, said in zip(rows, words, strict=True):
            stored = s.get(OutboxMessage, row.id)
            assert (stored.to, stored.messages[0]["text"], stored.retry_key) == (row.to, said, row.retry_key)
