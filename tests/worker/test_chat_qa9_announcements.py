"""QA walk-through of staff announcements: no attachment said in words, the heading residents read, the chip to
the delivery counts, and the old-button reply's menu per role."""

from __future__ import annotations

import pytest

from tests.worker.test_chat import HOME, RES1, STAFF

LEADER = "U" + "d" * 32


@pytest.mark.parametrize("said", ["ไม่แนบ", "ยืนยันส่ง", "ไม่มี", "ส่งเลย", "ไม่แนบค่ะ"])
def test_no_attachment_said_in_words_goes_on_to_the_audience(chat, said):
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศ").say("เสาร์นี้มีตรวจสุขภาพฟรีค่ะ").expect("จะแนบรูปหรือปุ่มลิงก์ไปด้วยไหมคะ")
    staff.say(said).expect("ส่งถึงใครคะ").expect_not("กรุณาเลือกจากปุ่มด้านล่างนะคะ")


def test_residents_get_the_announcement_under_a_heading_as_previewed_and_staff_can_see_the_counts(chat, harness):
    resident = chat(RES1, community=HOME)
    staff = chat(STAFF, role="staff", community=HOME)
    staff.say("ประกาศ").say("เสาร์นี้มีตรวจสุขภาพฟรีค่ะ").tap("ไม่ต้อง").tap("ชุมชน").tap(HOME).tap("ส่งเลย")
    preview = [m for m in staff.last if m.get("type") == "text" and "ตรวจสุขภาพฟรี" in m["text"]]
    assert [m["text"] for m in preview] == ["📢 ประกาศจากเขตลาดพร้าว\nเสาร์นี้มีตรวจสุขภาพฟรีค่ะ"]
    staff.tap("ยืนยันส่ง").expect("ดูยอดส่งได้ที่ “รายการประกาศ”")
    assert "รายการประกาศ" in staff.quick_labels()
    harness.run_outbox()
    got = [m for m in resident.refresh().last if m.get("type") == "text" and "ตรวจสุขภาพฟรี" in m["text"]]
    assert got == preview  # exactly what staff saw
    staff.tap("รายการประกาศ").expect("#1 ส่งแล้ว · ถึง 2/2 คน")  # staff are in the community too


@pytest.mark.parametrize(("who", "role", "own_chip"), [
    (STAFF, "staff", "🗂 โครงการรอตรวจ"), (LEADER, "leader", "🏘 โครงการในชุมชน")])
def test_an_old_button_offers_the_menu_of_ones_role(chat, who, role, own_chip):
    person = chat(who, role=role)
    person.postback("no.such.step?id=1").expect("ปุ่มนี้ใช้ไม่ได้แล้วค่ะ")
    assert own_chip in person.quick_labels()

