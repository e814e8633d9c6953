"""An idea's picture: fetched from LINE after the idea is saved, shown to staff and the submitter by signed link."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from bot.scheduler import Scheduler
from bot.services import idea_photos, photos
from bot.thaidate import now_utc
from storage.models import Idea, IdeaPhoto
from tests.ideas.test_chat import HOME, only_idea

BASE = "https://ruamkan.example.org"
STAFF = "U" + "5" * 32


def png(width: int = 3, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG picture."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PICTURE = png()


@pytest.fixture
def https(harness):
    """The bot answers at a public HTTPS address (what LINE needs to show a picture)."""
    harness.app.extensions["ruamkan.settings"].public_base_url = BASE
    return harness


def propose_with_photo(c, message_id: str, title: str = "ลานออกกำลังกายผู้สูงอายุ"):
    c.say("เสนอโครงการ").say(title).tap("ออกกำลังกาย").tap(HOME).tap("ผู้สูงอายุ")
    c.say("ผู้สูงอายุไม่มีที่ออกกำลังกาย").say("ทำลานและจัดแอโรบิก").say("30").say("5000").tap("กองทุนสุขภาพ กทม.")
    c.expect("รูป")
    c.send("image", messageId=message_id).expect("เบอร์โทร")
    c.tap("ข้าม").expect("สรุปโครงการ", "แนบแล้ว")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    return c


def heroes(messages) -> list[str]:
    """The URLs of the pictures on top of the Flex cards in these messages."""
    found = []
    for message in messages:
        if message.get("type") != "flex":
            continue
        contents = message["contents"]
        for bubble in contents.get("contents", []) if contents.get("type") == "carousel" else [contents]:
            if "hero" in bubble:
                found.append(bubble["hero"]["url"])
    return found


def photo_row(harness) -> IdeaPhoto:
    with harness.db.session(readonly=True) as s:
        return s.scalar(select(IdeaPhoto))


def test_staff_see_the_picture_on_the_new_ideas_card_and_the_link_serves_it(chat, https):
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("photo-1", "image/png", PICTURE)
    c = propose_with_photo(chat(community=HOME), "photo-1")
    photo = photo_row(https)
    assert (photo.status, photo.content_type, photo.size) == ("stored", "image/png", len(PICTURE))
    https.run_outbox()
    staff.refresh().expect("โครงการใหม่", "ลานออกกำลังกายผู้สูงอายุ").expect_not("กำลังดึงรูป")
    [url] = heroes(staff.last)
    assert url.startswith(f"{BASE}/ideas/photo/")
    answer = https.client.get(urlsplit(url).path)
    assert answer.status_code == 200 and answer.mimetype == "image/png" and answer.data == PICTURE
    # Staff asking for the idea by its number, and its submitter in "โครงการของฉัน", see it too.
    idea = only_idea(https)
    assert heroes(staff.say(f"โครงการ {idea.id}").last)
    assert heroes(c.say("โครงการของฉัน").last)


def test_a_link_not_ours_or_changed_or_too_old_gives_no_picture(chat, https, monkeypatch):
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("photo-2", "image/png", PICTURE)
    propose_with_photo(chat(community=HOME), "photo-2")
    https.run_outbox()
    [url] = heroes(staff.refresh().last)
    path = urlsplit(url).path
    token = path.rsplit("/", 1)[1]
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert https.client.get(tampered).status_code == 404
    assert https.client.get("/ideas/photo/not-a-token").status_code == 404
    forged = idea_photos.PhotoLinks(BASE, "someone-elses-secret").url(photo_row(https))
    assert https.client.get(urlsplit(forged).path).status_code == 404
    assert idea_photos.read_link("test-channel-secret", token) is not None
    monkeypatch.setitem(photos.KINDS, "idea", replace(photos.KINDS["idea"], link_days=-1))  # every link is past its time
    assert https.client.get(path).status_code == 403


def test_when_line_fails_the_idea_is_kept_and_the_picture_is_fetched_later(chat, https):
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("photo-3", "image/png", PICTURE)
    https.fake.store.fail_next(500, endpoint="getMessageContent")
    propose_with_photo(chat(community=HOME), "photo-3")
    assert only_idea(https).status == "submitted"
    photo = photo_row(https)
    assert (photo.status, photo.attempts) == ("pending", 1) and photo.last_error.startswith("500")
    https.run_outbox()
    assert not staff.refresh().last  # the card waits for its picture
    gateway = https.app.extensions["ruamkan.gateway"]
    scheduler = Scheduler(https.db, "test-worker", gateway=gateway)
    assert scheduler.fire("idea-photos", now=now_utc()) == 0  # not due yet: LINE is given a pause
    assert scheduler.fire("idea-photos", now=now_utc() + timedelta(minutes=1)) == 1
    assert photo_row(https).status == "stored"
    https.run_outbox()
    [url] = heroes(staff.refresh().expect("โครงการใหม่", "ลานออกกำลังกายผู้สูงอายุ").last)
    assert https.client.get(urlsplit(url).path).data == PICTURE


def test_a_card_held_too_long_goes_without_the_picture(chat, https):
    staff = chat(STAFF, role="staff")
    https.fake.store.fail_next(503, endpoint="getMessageContent", times=2)
    propose_with_photo(chat(community=HOME), "photo-4")
    https.fake.store.fail_next(503, endpoint="getMessageContent")
    Scheduler(https.db, "test-worker", gateway=https.app.extensions["ruamkan.gateway"]).fire(
        "idea-photos", now=now_utc() + idea_photos.HOLD_STAFF + timedelta(minutes=1))
    https.run_outbox()
    staff.refresh().expect("โครงการใหม่", "กำลังดึงรูปจาก LINE")
    assert heroes(staff.last) == [] and photo_row(https).status == "pending"


def test_a_file_that_is_no_picture_is_refused_and_the_submitter_is_told(chat, https):
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("photo-5", "image/jpeg", b"<html>not a picture</html>")
    c = propose_with_photo(chat(community=HOME), "photo-5")
    assert photo_row(https).status == "refused"
    https.run_outbox()
    staff.refresh().expect("โครงการใหม่", "ไม่ใช่รูป JPEG/PNG")
    assert heroes(staff.last) == []
    c.refresh().expect("ไม่ใช่รูป JPEG หรือ PNG", "รายละเอียดโครงการส่งถึงเจ้าหน้าที่ครบแล้ว")
    assert "แก้ไขโครงการ" in c.quick_labels()


def test_a_picture_over_the_cap_is_refused_politely(chat, https, monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", len(PICTURE) - 1)
    https.fake.store.set_message_content("photo-6", "image/png", PICTURE)
    c = propose_with_photo(chat(community=HOME), "photo-6")
    assert photo_row(https).status == "refused"
    https.run_outbox()
    c.refresh().expect("ใหญ่เกินไปค่ะ (เกิน 5 MB)")


def test_without_a_public_https_address_the_card_says_a_picture_is_attached(chat, harness):
    staff = chat(STAFF, role="staff")
    propose_with_photo(chat(community=HOME), "photo-7")
    assert photo_row(harness).status == "stored"  # the stand-in's 1-pixel PNG
    harness.run_outbox()
    staff.refresh().expect("โครงการใหม่", "มีรูปประกอบ 📷")
    assert heroes(staff.last) == []


def test_a_new_picture_replaces_the_old_and_its_link(chat, https):
    chat(STAFF, role="staff")
    https.fake.store.set_message_content("photo-8", "image/png", PICTURE)
    other = png(5, 5)
    https.fake.store.set_message_content("photo-9", "image/png", other)
    c = propose_with_photo(chat(community=HOME), "photo-8")
    [old] = heroes(c.say("โครงการของฉัน").last)
    c.tap("แก้ไข").tap("แก้รูป").send("image", messageId="photo-9").expect("สรุปโครงการ")
    c.tap("ส่งฉบับแก้ไข").expect("ฉบับแก้ไขแล้ว")
    [new] = heroes(c.say("โครงการของฉัน").last)
    assert https.client.get(urlsplit(old).path).status_code == 404
    assert https.client.get(urlsplit(new).path).data == other


def test_my_data_mentions_the_picture_and_deleting_it_takes_the_picture(chat, https):
    https.fake.store.set_message_content("photo-10", "image/png", PICTURE)
    c = propose_with_photo(chat(community=HOME), "photo-10")
    [url] = heroes(c.say("โครงการของฉัน").last)
    c.say("ขอดูข้อมูลของฉัน").expect("โครงการที่เสนอ: 1 โครงการ (มีรูปที่แนบไว้ 1 รูป)")
    c.say("ลบข้อมูลของฉัน").expect("รูปที่แนบกับโครงการ").tap("ลบเลย")
    with https.db.session(readonly=True) as s:
        assert s.scalar(select(IdeaPhoto.id)) is None
        assert s.scalar(select(Idea.photo_message_id)) is None
    assert https.client.get(urlsplit(url).path).status_code == 404


def test_a_picture_being_fetched_is_not_fetched_again_meanwhile(db, world, now):
    """Right after the commit and in the scheduler's job, two processes may reach one picture: one fetches."""
    from bot.line import Content
    from bot.services import ideas
    from storage.models import User

    with db.session() as s:
        idea_id = ideas.submit(s, s.get(User, world["resident"]), now=now, title="ลานกีฬา",
                               photo_message_id="m-once").id
    calls = []

    def fetch(message_id: str) -> Content:
        calls.append(message_id)
        assert idea_photos.fetch_for_idea(db, fetch, None, idea_id, now=now) == 0  # another process, meanwhile
        assert idea_photos.fetch_due(db, fetch, None, now=now) == 0
        return Content(ok=True, status=200, content_type="image/png", data=PICTURE)

    assert idea_photos.fetch_for_idea(db, fetch, None, idea_id, now=now) == 1
    assert calls == ["m-once"]
    with db.session(readonly=True) as s:
        assert s.scalar(select(IdeaPhoto.status)) == "stored"


def test_a_revision_with_a_new_picture_reaches_staff_with_it(db, world, now):
    """The "แก้ไขแล้ว" card waits for the new picture too, and shows it, not the old one."""
    from bot.line import Content
    from bot.services import ideas
    from storage.models import OutboxMessage, User
    from tests.ideas.conftest import make_idea

    links = idea_photos.PhotoLinks(BASE, "test-channel-secret")
    with db.session() as s:
        resident = s.get(User, world["resident"])
        idea = make_idea(s, resident, "needs_revision", now=now)
        ideas.revise(s, idea, resident, now=now, links=links, photo_message_id="m-new")
        idea_id = idea.id
        assert not [row for row in s.scalars(select(OutboxMessage)) if "แก้ไขแล้ว" in str(row.messages)]

    def fetch(message_id: str) -> Content:
        return Content(ok=True, status=200, content_type="image/png", data=PICTURE)

    idea_photos.fetch_for_idea(db, fetch, links, idea_id, now=now)
    with db.session(readonly=True) as s:
        [card] = [row for row in s.scalars(select(OutboxMessage)) if "แก้ไขแล้ว" in str(row.messages)]
        photo = s.scalar(select(IdeaPhoto))
    assert heroes(card.messages) == [links.url(photo)] and photo.message_id == "m-new"


def test_a_picture_line_no_longer_has_is_given_up_at_once(chat, https):
    """404 from LINE will not change: staff get the card now, saying so, and the submitter is told."""
    staff = chat(STAFF, role="staff")
    https.fake.store.fail_next(404, endpoint="getMessageContent")
    c = propose_with_photo(chat(community=HOME), "photo-gone")
    assert photo_row(https).status == "failed"
    https.run_outbox()
    staff.refresh().expect("โครงการใหม่", "ดึงรูปจาก LINE ไม่สำเร็จ")
    c.refresh().expect("ระบบดึงรูปประกอบโครงการ “ลานออกกำลังกายผู้สูงอายุ” จาก LINE ไม่สำเร็จ")
