"""PDPA: a closed idea's picture is deleted a fixed while after it closed; the idea keeps a note that it had one."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from bot.scheduler import Scheduler
from storage.models import Idea, IdeaPhoto
from tests.ideas.test_chat import HOME, only_idea
from tests.ideas.test_photos import BASE, PICTURE, STAFF, heroes, propose_with_photo

NEIGHBOUR = "U" + "6" * 32


@pytest.fixture
def https(harness):
    """The bot answers at a public HTTPS address: the cards show the picture, by a link that can stop working."""
    harness.app.extensions["ruamkan.settings"].public_base_url = BASE
    return harness


def _photos(harness) -> dict[int, tuple[str, bytes | None, int | None]]:
    """Per idea: its picture's status, bytes and size."""
    with harness.db.session(readonly=True) as s:
        return {p.idea_id: (p.status, p.content, p.size)
                for p in s.scalars(select(IdeaPhoto).options(undefer(IdeaPhoto.content)))}


def test_a_withdrawn_ideas_picture_goes_after_the_keeping_time_and_its_card_says_so(chat, https):
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("photo-keep", "image/png", PICTURE)
    https.fake.store.set_message_content("photo-open", "image/png", PICTURE)
    c = propose_with_photo(chat(community=HOME), "photo-keep")
    [link] = heroes(c.say("โครงการของฉัน").last)
    c.tap("ถอนโครงการ").tap("ถอนเลย").expect("แล้วค่ะ")
    idea = only_idea(https)
    closed_at = idea.status_changed_at
    propose_with_photo(chat(NEIGHBOUR, community=HOME), "photo-open", title="สวนผักชุมชน")  # still open
    with https.db.session(readonly=True) as s:
        open_id = s.scalar(select(Idea.id).where(Idea.title == "สวนผักชุมชน"))
    scheduler = Scheduler(https.db, "test-worker", gateway=https.app.extensions["ruamkan.gateway"])

    assert scheduler.fire("idea-photo-retention", now=closed_at + timedelta(days=179, hours=23)) == 0
    assert https.client.get(urlsplit(link).path).data == PICTURE
    assert scheduler.fire("idea-photo-retention", now=closed_at + timedelta(days=180)) == 1
    assert scheduler.fire("idea-photo-retention", now=closed_at + timedelta(days=400)) == 0
    assert _photos(https) == {idea.id: ("expired", None, len(PICTURE)), open_id: ("stored", PICTURE, len(PICTURE))}
    with https.db.session(readonly=True) as s:  # the record still says it had a picture
        assert s.get(Idea, idea.id).photo_message_id == "photo-keep"

    assert https.client.get(urlsplit(link).path).status_code == 404
    c.say("โครงการของฉัน").expect("รูปที่แนบไว้ลบแล้ว เพราะครบระยะเวลาเก็บหลังโครงการปิด")
    assert heroes(c.last) == []
    staff.say(f"โครงการ {idea.id}").expect("เคยมีรูปประกอบ ลบแล้วเมื่อครบระยะเวลาเก็บ")
    c.say("ขอดูข้อมูลของฉัน").expect("โครงการที่เสนอ: 1 โครงการ").expect_not("มีรูปที่แนบไว้")


def test_the_privacy_notice_tells_how_long_pictures_are_kept_as_set(chat, https):
    https.app.extensions["ruamkan.settings"].idea_photo_keep_days = 90
    chat(STAFF, role="staff")
    c = chat(community=HOME)
    c.say("นโยบายข้อมูล").expect("รูปที่แนบกับโครงการจะลบเมื่อโครงการปิดครบ 90 วัน", "เหลือเพียงบันทึกว่าเคยมีรูปค่ะ")
    https.fake.store.set_message_content("photo-90", "image/png", PICTURE)
    propose_with_photo(c, "photo-90")
    with https.db.session() as s:
        from bot.services import ideas
        from storage.models import User

        staff = s.scalar(select(User).where(User.line_user_id == STAFF))
        idea = s.scalar(select(Idea))
        ideas.move(s, idea, staff, "rejected", reason="ซ้ำกับโครงการเดิม", now=idea.created_at)
        closed_at = idea.status_changed_at
    scheduler = Scheduler(https.db, "test-worker", gateway=https.app.extensions["ruamkan.gateway"])
    assert scheduler.fire("idea-photo-retention", now=closed_at + timedelta(days=89)) == 0
    assert scheduler.fire("idea-photo-retention", now=closed_at + timedelta(days=90)) == 1
    assert [status for status, _, _ in _photos(https).values()] == ["expired"]
