"""A picture staff send in the chat at an announcement's "แนบรูป" step: fetched from LINE after the event, shown
in the preview, and sent to residents from a link the bot serves."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from bot.scheduler import Scheduler
from bot.services import photos
from bot.thaidate import now_utc
from storage.models import Broadcast, BroadcastPhoto
from tests.ideas.test_photos import png

BASE = "https://ruamkan.example.org"
STAFF = "U" + "a" * 32
RES1 = "U" + "b" * 32
PICTURE = png(4, 3)


@pytest.fixture
def https(harness):
    """The bot answers at a public HTTPS address (what LINE needs to show a picture)."""
    harness.app.extensions["ruamkan.settings"].public_base_url = BASE
    return harness


def images(messages) -> list[dict]:
    return [m for m in messages if m.get("type") == "image"]


def write_with_photo(staff, message_id: str):
    """Staff write an announcement to everyone and send a picture at the "แนบรูป" step, up to the preview."""
    staff.say("ประกาศ").say("เสาร์นี้ตรวจสุขภาพฟรีที่ศาลาชุมชนค่ะ").tap("แนบรูป").expect("ส่งรูปมาในแชตได้เลยค่ะ")
    assert {"เลือกรูป", "ถ่ายรูป", "ข้าม"} <= set(staff.quick_labels())
    staff.send("image", messageId=message_id).expect("ได้รับรูปแล้วค่ะ", "ส่งถึงใคร")
    return staff.tap("ทุกคน").tap("ส่งเลย")


def photo_row(harness) -> BroadcastPhoto:
    with harness.db.session(readonly=True) as s:
        return s.scalar(select(BroadcastPhoto).order_by(BroadcastPhoto.id.desc()))


def test_a_photo_sent_at_the_step_is_previewed_and_reaches_residents_from_our_link(chat, https):
    resident = chat(RES1)
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("bc-1", "image/jpeg", PICTURE)  # what LINE says is not trusted
    gateway = https.app.extensions["ruamkan.gateway"]
    fetched_after_commit = []
    real_fetch = gateway.fetch_content

    def fetch(message_id, timeout=20.0):
        with https.db.session(readonly=True) as s:  # the event that brought it is committed already
            fetched_after_commit.append(s.scalar(select(BroadcastPhoto.message_id)) == message_id)
        return real_fetch(message_id, timeout)

    gateway.fetch_content = fetch
    write_with_photo(staff, "bc-1").expect("ตัวอย่างข้อความที่ผู้รับจะเห็น", "ส่งประกาศนี้เลยไหมคะ")
    assert fetched_after_commit == [True]
    [shown] = images(staff.last)
    assert shown["originalContentUrl"] == shown["previewImageUrl"]
    assert shown["originalContentUrl"].startswith(f"{BASE}/broadcasts/photo/")
    answer = https.client.get(urlsplit(shown["originalContentUrl"]).path)
    assert answer.status_code == 200 and answer.mimetype == "image/png" and answer.data == PICTURE
    staff.tap("ยืนยันส่ง").expect("รับประกาศ #")
    https.run_outbox()
    [got] = images(resident.refresh().expect("เสาร์นี้ตรวจสุขภาพฟรี").last)
    assert got["originalContentUrl"].startswith(f"{BASE}/broadcasts/photo/") and got["previewImageUrl"]
    assert https.client.get(urlsplit(got["previewImageUrl"]).path).data == PICTURE
    with https.db.session(readonly=True) as s:
        audit = s.scalar(select(Broadcast))
        assert audit.photo_id == photo_row(https).id and audit.image_url is None and audit.status == "sent"


def test_a_picture_link_of_an_announcement_lasts_a_year_from_when_it_goes_out(chat, https, monkeypatch):
    """Announcements may be set days ahead and are read long after: the link is signed when the announcement
    goes out, and stays good for a year (an idea's picture: 30 days)."""
    resident = chat(RES1)
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ประชุมประจำเดือนวันที่ 15 ค่ะ").tap("แนบรูป").send("image", messageId="bc-2")
    staff.tap("ทุกคน").say("อีก 3 วัน 9 โมง").expect("ตั้งเวลาส่งประกาศนี้ไหมคะ")
    assert images(staff.last)
    staff.tap("ยืนยันส่ง").expect("ตั้งเวลาประกาศ #")
    scheduler = Scheduler(https.db, "test-worker", gateway=https.app.extensions["ruamkan.gateway"])
    assert scheduler.fire("broadcasts-due", now=now_utc() + timedelta(days=4)) == 1
    https.run_outbox(now_utc() + timedelta(days=4, minutes=1))
    [got] = images(resident.refresh().last)
    path = urlsplit(got["originalContentUrl"]).path
    later = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later(self) + 200 * 86400)
    assert https.client.get(path).status_code == 200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later(self) + 400 * 86400)
    assert https.client.get(path).status_code == 403
    monkeypatch.undo()
    assert https.client.get(path.replace("/broadcasts/photo/", "/ideas/photo/")).status_code == 404


def test_while_the_picture_is_being_fetched_the_preview_says_so_and_waits_for_it(chat, https):
    resident = chat(RES1)
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("bc-3", "image/png", PICTURE)
    https.fake.store.fail_next(503, endpoint="getMessageContent")
    write_with_photo(staff, "bc-3").expect("รูปที่ส่งมายังดึงจาก LINE ไม่เสร็จค่ะ", "ตัวอย่างด้านบนจึงยังไม่มีรูป")
    assert not images(staff.last) and "ยืนยันส่ง" not in staff.quick_labels()
    assert {"ดูตัวอย่างอีกครั้ง", "ไม่แนบรูป", "ไม่ส่ง"} <= set(staff.quick_labels())
    staff.say("ยืนยันค่ะ").expect("ยังส่งไม่ได้ค่ะ", "ยังดึงจาก LINE ไม่เสร็จ")
    scheduler = Scheduler(https.db, "test-worker", gateway=https.app.extensions["ruamkan.gateway"])
    assert scheduler.fire("idea-photos", now=now_utc() + timedelta(minutes=1)) == 1  # LINE gives it this time
    staff.tap("ดูตัวอย่างอีกครั้ง").expect("ส่งประกาศนี้เลยไหมคะ").expect_not("ไม่เสร็จ")
    assert images(staff.last)
    staff.tap("ยืนยันส่ง").expect("รับประกาศ #")
    https.run_outbox()
    assert images(resident.refresh().last)


def test_a_picture_line_would_not_give_is_said_politely_and_another_can_be_sent(chat, https):
    resident = chat(RES1)
    staff = chat(STAFF, role="staff")
    https.fake.store.fail_next(404, endpoint="getMessageContent")
    write_with_photo(staff, "bc-gone").expect("ขออภัยค่ะ ระบบดึงรูปที่ส่งมาจาก LINE ไม่สำเร็จ",
                                              "ส่งรูปใหม่มาในแชตได้เลย")
    assert not images(staff.last) and "ยืนยันส่ง" not in staff.quick_labels()
    https.fake.store.set_message_content("bc-4", "image/png", PICTURE)
    staff.tap("ส่งรูปใหม่").expect("ส่งรูปมาในแชตได้เลยค่ะ")
    staff.send("image", messageId="bc-4").expect("ได้รับรูปแล้วค่ะ", "แตะ “ดูตัวอย่าง”")
    staff.tap("ดูตัวอย่าง").expect("ส่งประกาศนี้เลยไหมคะ")
    [shown] = images(staff.last)
    staff.tap("ยืนยันส่ง").expect("รับประกาศ #")
    https.run_outbox()
    # The same picture (each link carries its own expiry, so preview and send may differ by a second).
    [got] = images(resident.refresh().last)
    served = [https.client.get(urlsplit(m["originalContentUrl"]).path) for m in (shown, got)]
    assert [(a.status_code, a.data) for a in served] == [(200, PICTURE), (200, PICTURE)]


def test_a_file_that_is_no_picture_or_too_big_is_refused_and_can_be_left_out(chat, https, monkeypatch):
    resident = chat(RES1)
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("bc-5", "image/jpeg", b"<html>not a picture</html>")
    write_with_photo(staff, "bc-5").expect("ไฟล์ที่ส่งมาไม่ใช่รูป JPEG หรือ PNG")
    monkeypatch.setattr(photos, "MAX_BYTES", len(PICTURE) - 1)
    https.fake.store.set_message_content("bc-6", "image/png", PICTURE)
    staff.send("image", messageId="bc-6").tap("ดูตัวอย่าง").expect("รูปที่ส่งมาใหญ่เกินไป (เกิน 5 MB)")
    staff.tap("ไม่แนบรูป").expect("ไม่แนบรูปแล้วค่ะ", "ส่งประกาศนี้เลยไหมคะ")
    assert not images(staff.last)
    staff.tap("ยืนยันส่ง").expect("รับประกาศ #")
    https.run_outbox()
    resident.refresh().expect("เสาร์นี้ตรวจสุขภาพฟรี")
    assert not images(resident.last)
    assert photo_row(https).status == "refused"


def test_a_picture_address_typed_at_the_step_still_works(chat, https):
    resident = chat(RES1)
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("งดน้ำงดอาหารก่อนตรวจเลือดนะคะ").tap("แนบรูป").say("example.org/poster.jpg")
    staff.tap("ทุกคน").tap("ส่งเลย").expect("ส่งประกาศนี้เลยไหมคะ")
    assert [m["originalContentUrl"] for m in images(staff.last)] == ["https://example.org/poster.jpg"]
    staff.tap("ยืนยันส่ง")
    https.run_outbox()
    assert [m["originalContentUrl"] for m in images(resident.refresh().last)] == ["https://example.org/poster.jpg"]
    assert photo_row(https) is None


def test_a_picture_sent_straight_away_at_the_first_question_is_taken(chat, https):
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("ตลาดนัดสุขภาพวันอาทิตย์ค่ะ").expect("แนบรูปหรือปุ่มลิงก์")
    staff.send("image", messageId="bc-7").expect("ได้รับรูปแล้วค่ะ", "ส่งถึงใคร")
    staff.tap("ทุกคน").tap("ส่งเลย").expect("ส่งประกาศนี้เลยไหมคะ")
    assert images(staff.last)


def test_without_a_public_https_address_a_photo_is_declined_politely(chat, harness):
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("เสาร์นี้ตรวจสุขภาพฟรีค่ะ").tap("แนบรูป")
    staff.send("image", messageId="bc-8").expect("ยังแนบรูปจากแชตไปกับประกาศไม่ได้", "วางลิงก์รูปภาพ")
    staff.tap("ข้าม").expect("ส่งถึงใคร")
    assert photo_row(harness) is None


def test_a_picture_no_announcement_took_is_dropped_and_one_sent_is_kept(chat, https):
    """The journey left half-way: its picture goes after two days (the sent announcement keeps its own)."""
    staff = chat(STAFF, role="staff")
    write_with_photo(staff, "bc-9").tap("ยืนยันส่ง").expect("รับประกาศ #")
    staff.say("ประกาศ").say("ขอเลื่อนประชุมค่ะ").tap("แนบรูป").send("image", messageId="bc-10").say("ยกเลิก")
    with https.db.session(readonly=True) as s:
        assert sorted(s.scalars(select(BroadcastPhoto.message_id))) == ["bc-10", "bc-9"]
    scheduler = Scheduler(https.db, "test-worker", gateway=https.app.extensions["ruamkan.gateway"])
    scheduler.fire("idea-photos", now=now_utc() + timedelta(days=1))
    with https.db.session(readonly=True) as s:
        assert len(s.scalars(select(BroadcastPhoto.id)).all()) == 2
    scheduler.fire("idea-photos", now=now_utc() + timedelta(days=2, minutes=1))
    with https.db.session(readonly=True) as s:
        assert s.scalars(select(BroadcastPhoto.message_id)).all() == ["bc-9"]


def test_staff_deleting_their_data_takes_the_pictures_of_announcements_never_sent(chat, https):
    staff = chat(STAFF, role="staff")
    write_with_photo(staff, "bc-11").tap("ยืนยันส่ง").expect("รับประกาศ #")
    staff.say("ประกาศ").say("ขอเลื่อนประชุมค่ะ").tap("แนบรูป").send("image", messageId="bc-12").say("ยกเลิก")
    staff.say("ลบข้อมูลของฉัน").tap("ลบเลย")
    with https.db.session(readonly=True) as s:
        assert s.scalars(select(BroadcastPhoto.message_id)).all() == ["bc-11"]


def test_a_picture_over_one_mb_gets_a_smaller_preview_as_line_asks(chat, https):
    """LINE shows an image message's preview only up to 1 MB: a bigger picture is previewed from a smaller copy."""
    import os
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(out, "PNG")  # noise: ~1.5 MB
    big = out.getvalue()
    assert photos.PREVIEW_MAX_BYTES < len(big) <= photos.MAX_BYTES
    resident = chat(RES1)
    staff = chat(STAFF, role="staff")
    https.fake.store.set_message_content("bc-big", "image/png", big)
    write_with_photo(staff, "bc-big").tap("ยืนยันส่ง")
    https.run_outbox()
    [got] = images(resident.refresh().last)
    assert got["previewImageUrl"] == got["originalContentUrl"] + "/preview"
    assert https.client.get(urlsplit(got["originalContentUrl"]).path).data == big
    preview = https.client.get(urlsplit(got["previewImageUrl"]).path)
    assert preview.status_code == 200 and preview.mimetype == "image/jpeg"
    assert preview.data.startswith(b"\xff\xd8\xff") and len(preview.data) <= photos.PREVIEW_MAX_BYTES
