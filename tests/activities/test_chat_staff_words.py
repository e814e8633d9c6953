"""Staff commands typed with a typo or in other words, outside ideas: results, announcements, sign-up counts."""

from __future__ import annotations

from datetime import timedelta

from bot.thaidate import now_utc
from storage.models import Activity

STAFF = "U" + "8" * 32
RESIDENT = "U" + "4" * 32


def _aerobics(db) -> None:
    starts = now_utc() + timedelta(days=3)
    with db.session() as s:
        s.add(Activity(title="แอโรบิกยามเช้าผู้สูงอายุ", description="เต้นแอโรบิกเบา ๆ", place="ลานวัด", starts_at=starts,
                       ends_at=starts + timedelta(hours=1), capacity=40, topic="physical_activity",
                       signup_deadline=starts - timedelta(hours=2), status="published"))


def test_staff_announce_to_everyone_without_the_word_wa(chat):
    staff = chat(STAFF, role="staff")
    staff.say("ประกาศทุกคน พรุ่งนี้หยุด").expect("“พรุ่งนี้หยุด”", "ใช้ข้อความนี้").expect_not("ยังไม่แน่ใจ")


def test_staff_ask_how_many_signed_up_for_an_activity_by_its_name(chat, db):
    _aerobics(db)
    chat(RESIDENT).say("สมัครแอโรบิก 2 คน").tap("ยืนยันสมัคร").expect("สำเร็จ")
    chat(STAFF, role="staff").say("มีคนสมัครแอโรบิกกี่คน").expect("“แอโรบิกยามเช้าผู้สูงอายุ”", "สมัครแล้ว 2/40 ที่")
    chat(RESIDENT).say("มีคนสมัครแอโรบิกกี่คน").expect("เหลือ 38 ที่").expect_not("สมัครแล้ว 2/40")


def test_a_typo_in_the_charter_results_command(chat, db):
    """"ผลธรรมนูณ" showed the card of the charter forum activity."""
    starts = now_utc() + timedelta(days=3)
    with db.session() as s:
        s.add(Activity(title="เวทีรับฟังความเห็นธรรมนูญสุขภาพเขต", description="ร่วมให้ความเห็น", place="สำนักงานเขต",
                       starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=40, status="published"))
    staff = chat(STAFF, role="staff")
    typo = staff.say("ผลธรรมนูณ").expect_not("รายละเอียด เวทีรับฟังความเห็น").text
    assert typo == staff.say("ผลธรรมนูญ").text  # as the command typed right


def test_a_typo_in_a_long_command_is_asked_with_a_chip_that_says_which(chat, db):
    """A corrected command over 20 characters was offered as a chip labelled only “ใช่ค่ะ”; now the label shows the
    command shortened, and the chip still sends it whole."""
    _aerobics(db)
    with db.session() as s:
        number = s.query(Activity.id).scalar()
    staff = chat(STAFF, role="staff")
    typed = f"เลื่อนกิจกรม {number} ออกไป 1 ชั่วโมง"
    staff.say(typed).expect(f"หมายถึง “เลื่อนกิจกรรม {number} ออกไป 1 ชั่วโมง” ใช่ไหมคะ")
    label = staff.quick_labels()[0]
    assert label == f"เลื่อนกิจกรรม {number} …" and len(label) <= 20
    assert f"แตะ “{label}”" in staff.text
    assert staff.find_action(label)["text"] == f"เลื่อนกิจกรรม {number} ออกไป 1 ชั่วโมง"
