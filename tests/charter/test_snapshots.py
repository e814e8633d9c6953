"""Residents read published charters from a snapshot shared by the process (bot.services.charter_views).

What a user would notice: a change made through the service is shown at once; a change made by another
process (here: written straight to the database) is shown within VIEW_SECONDS; the rule that feedback is
taken only while a round is open is checked against what is stored, never against the snapshot.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import charter as svc
from bot.services import charter_views
from bot.thaidate import now_utc
from storage.models import Charter
from tests.charter.helpers import SMALL_YAML, write
from tests.charter.test_chat import stances


@pytest.fixture
def clock(monkeypatch):
    """The snapshot cache's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(charter_views._published, "clock", lambda: now[0])
    return now


def test_a_new_version_published_here_is_shown_at_once(chat, harness, published, tmp_path):
    u = chat("Usnap1")
    u.say("ธรรมนูญสุขภาพ").expect("ธรรมนูญสุขภาพเขตลาดพร้าว (ทดสอบ)", "ฉบับที่ 1")
    with harness.db.session() as s:
        v2 = svc.load_charter(s, write(tmp_path, "v2.yaml", SMALL_YAML.replace("(ทดสอบ)", "(ฉบับปรับปรุง)")))
        svc.publish(s, v2)
    u.say("ธรรมนูญสุขภาพ").expect("ธรรมนูญสุขภาพเขตลาดพร้าว (ฉบับปรับปรุง)", "ฉบับที่ 2")


def test_a_change_made_by_another_process_is_shown_within_the_snapshot_time(chat, harness, published, clock):
    u = chat("Usnap2")
    u.say("ธรรมนูญสุขภาพ").expect("(ทดสอบ)")
    with harness.db.session() as s:  # as another process would: straight to the database
        s.get(Charter, published[0]).title = "ธรรมนูญสุขภาพเขตลาดพร้าว (แก้ชื่อ)"
    clock[0] += charter_views.VIEW_SECONDS / 2
    u.say("ธรรมนูญสุขภาพ").expect("(ทดสอบ)")
    clock[0] += charter_views.VIEW_SECONDS
    u.say("ธรรมนูญสุขภาพ").expect("(แก้ชื่อ)")


def test_feedback_is_refused_when_the_stored_round_has_closed_even_if_the_snapshot_says_open(
        chat, harness, published, clock):
    u = chat("Usnap3")
    u.say("ข้อ 1").expect("เห็นด้วย")
    with harness.db.session() as s:  # closed by another process a moment ago
        svc.get_round(s, published[1]).closes_at = now_utc() - timedelta(minutes=1)
    # The tap is saved at once, so it is refused at once (it used to be refused after "ข้าม").
    u.tap("เห็นด้วย").expect("ขณะนี้ปิดรับความคิดเห็นแล้วค่ะ").expect_not("บันทึกแล้ว", "ข้าม")
    assert stances(harness.db) == []
