"""What an activity costs: staff say it (the new-activity form's preview, the one-line command's preview, the edit
command, the command line), residents read it on the card and ask it ("ฟรีไหมคะ", "เสียเงินไหม", "ค่าใช้จ่ายเท่าไหร่")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.thaidate import BKK, now_utc
from storage.models import Activity

STAFF = "U" + "9" * 32
U1 = "U" + "5" * 32


def _typed_day(day: datetime) -> str:
    return f"{day.day}/{day.month}/{day.year + 543}"


@pytest.fixture
def make_activity(db):
    def make(title: str, fee: int | None, description: str = "ออกกำลังกายเบาๆ", days: float = 3) -> Activity:
        starts = now_utc() + timedelta(days=days)
        with db.session() as s:
            activity = Activity(title=title, description=description, place="ลานวัด", starts_at=starts,
                                ends_at=starts + timedelta(hours=1), capacity=20, topic="physical_activity",
                                fee_baht=fee, status="published")
            s.add(activity)
        return activity

    return make


def stored(db, title: str) -> Activity | None:
    with db.session(readonly=True) as s:
        return s.scalar(select(Activity).where(Activity.title == title))


# --- residents -------------------------------------------------------------------------------------------

def test_the_card_says_what_an_activity_costs_and_nothing_when_it_does_not_say(chat, make_activity):
    make_activity("โยคะสำหรับผู้สูงวัย", 0)
    make_activity("ยางยืดเพื่อสุขภาพ", 20, days=4)
    make_activity("รำไม้พลองเพื่อสุขภาพ", None, days=5)
    u = chat(U1)
    u.say("กิจกรรม").expect("💰 ฟรี", "💰 ค่าสมัคร 20 บาท")
    u.say("ขอดูรายละเอียดรำไม้พลองเพื่อสุขภาพ").expect("รายละเอียด รำไม้พลองเพื่อสุขภาพ").expect_not("💰", "ฟรี")
    u.say("ขอดูรายละเอียดยางยืดเพื่อสุขภาพ").expect("รายละเอียด ยางยืดเพื่อสุขภาพ", "💰 ค่าสมัคร 20 บาท")
    u.tap("สมัคร").tap("1 คน").expect("สรุปการสมัครค่ะ", "จำนวน 1 คน\nค่าสมัคร: 20 บาทต่อคน\n")  # said before the yes too


def test_residents_asking_the_cost_are_told_the_fee(chat, make_activity):
    """“ฟรีไหมคะ” could only be answered “ไม่ได้บอกเรื่องค่าใช้จ่ายไว้ค่ะ”; now the fee staff stated is the answer."""
    make_activity("โยคะสำหรับผู้สูงวัย", 0)
    make_activity("ยางยืดเพื่อสุขภาพ", 20, days=4)
    make_activity("รำไม้พลองเพื่อสุขภาพ", None, days=5)
    u = chat(U1)
    u.say("ไปโยคะต้องเสียเงินไหม").expect("“โยคะสำหรับผู้สูงวัย” ฟรีค่ะ ไม่มีค่าสมัคร", "รายละเอียด โยคะสำหรับผู้สูงวัย")
    u.expect_not("ไม่ได้บอกเรื่องค่าใช้จ่าย")
    u.say("ยางยืดค่าสมัครเท่าไหร่คะ").expect("“ยางยืดเพื่อสุขภาพ” มีค่าสมัคร 20 บาทค่ะ")
    u.say("ฟรีไหมคะ").expect("“ยางยืดเพื่อสุขภาพ” ไม่ฟรี มีค่าสมัคร 20 บาทค่ะ")  # the card just shown
    u.say("ค่าสมัครเท่าไหร่คะ").expect("“ยางยืดเพื่อสุขภาพ” มีค่าสมัคร 20 บาทค่ะ").expect_not("ไปกี่คนคะ")
    u.say("ขอดูรายละเอียดโยคะสำหรับผู้สูงวัย").say("เสียเงินไหม").expect("“โยคะสำหรับผู้สูงวัย” ฟรีค่ะ")
    u.say("รำไม้พลองค่าใช้จ่ายเท่าไหร่").expect("“รำไม้พลองเพื่อสุขภาพ” ไม่ได้บอกเรื่องค่าใช้จ่ายไว้ค่ะ", "ติดต่อเจ้าหน้าที่")


# --- staff: the new-activity form and the one-line command -------------------------------------------------

def test_staff_set_the_fee_at_the_new_activitys_preview(chat, db):
    staff = chat(STAFF, role="staff")
    day = (now_utc() + timedelta(days=6)).astimezone(BKK)
    staff.say("เพิ่มกิจกรรม").say("ยางยืด").say(f"{_typed_day(day)} 07:00-08:00").say("ลานวัด")
    staff.tap("20 ที่").tap("ทั้งเขต").expect("ค่าสมัคร: ยังไม่ระบุ", "“ฟรี”")
    assert "ค่าสมัคร" in staff.quick_labels()
    staff.tap("ค่าสมัคร").expect("ค่าสมัครเท่าไหร่คะ")
    assert {"ฟรี", "ไม่ระบุ"} <= set(staff.quick_labels())
    staff.say("หลายบาท").expect("อ่านค่าสมัคร", "ค่าสมัครเท่าไหร่คะ")
    staff.say("๒๐ บาท").expect("เผยแพร่กิจกรรมใหม่นะคะ", "ค่าสมัคร: 20 บาท")
    staff.say("ฟรีค่ะ").expect("เผยแพร่กิจกรรมใหม่นะคะ", "ค่าสมัคร: ฟรี")
    staff.say("แก้ค่าสมัครเป็น ห้าสิบบาท").expect("ค่าสมัคร: 50 บาท", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    assert stored(db, "ยางยืด").fee_baht == 50


def test_a_fee_typed_at_the_one_line_commands_preview(chat, db):
    staff = chat(STAFF, role="staff")
    staff.say("เพิ่มกิจกรรม ปลูกผัก | พรุ่งนี้ 9 โมง | ศาลา | 20").expect("ค่าสมัคร: ยังไม่ระบุ")
    staff.say("ค่าสมัคร 30 บาท").expect("ค่าสมัคร: 30 บาท", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    assert stored(db, "ปลูกผัก").fee_baht == 30
    staff.say("เพิ่มกิจกรรม ตรวจตา | พรุ่งนี้ 10 โมง | ศาลา | 20").tap("ยืนยัน").expect("เผยแพร่กิจกรรมแล้ว")
    assert stored(db, "ตรวจตา").fee_baht is None  # not said: not stated (never "free" unasked)


def test_staff_change_the_fee_with_the_edit_command(chat, make_activity, db):
    act = make_activity("รำไม้พลองเพื่อสุขภาพ", None)
    staff = chat(STAFF, role="staff")
    staff.say(f"แก้กิจกรรม {act.id} | ค่าสมัคร ฟรี").expect("ค่าสมัคร: ยังไม่ระบุ → ฟรี", "ยืนยันไหมคะ")
    staff.tap("ยืนยัน").expect("แก้ไขกิจกรรมแล้วค่ะ ✅ (ค่าสมัคร)")
    assert stored(db, "รำไม้พลองเพื่อสุขภาพ").fee_baht == 0
    staff.say(f"แก้กิจกรรม {act.id} | ค่าใช้จ่าย ๒๕ บาท").expect("ค่าสมัคร: ฟรี → 25 บาท").tap("ยืนยัน")
    assert stored(db, "รำไม้พลองเพื่อสุขภาพ").fee_baht == 25
    staff.say(f"แก้กิจกรรม {act.id} | ค่าสมัคร แพงมาก").expect("อ่านค่าสมัคร “แพงมาก” ไม่ออกค่ะ")
    staff.say(f"แก้กิจกรรม {act.id} | ค่าสมัคร ไม่ระบุ").expect("25 บาท → ยังไม่ระบุ").tap("ยืนยัน")
    assert stored(db, "รำไม้พลองเพื่อสุขภาพ").fee_baht is None


# --- the command line --------------------------------------------------------------------------------------

def test_the_command_line_publishes_and_edits_a_fee(db, now, tmp_path):
    from bot.cli_activities import activities_cli

    def run(*args):
        return CliRunner().invoke(activities_cli, list(args), obj={"db": db, "now": now})

    result = run("publish", "--title", "ยางยืด", "--starts", "5/12/2569 07:00", "--capacity", "20",
                 "--fee", "ห้าสิบบาท")
    assert result.exit_code == 0, result.output
    assert "ค่าสมัคร 50 บาท" in result.output
    act = stored(db, "ยางยืด")
    assert act.fee_baht == 50
    result = run("edit", str(act.id), "--fee", "ฟรี")
    assert result.exit_code == 0 and "แก้: fee_baht" in result.output and "· ฟรี ·" in result.output
    assert stored(db, "ยางยืด").fee_baht == 0
    assert run("edit", str(act.id), "--fee", "-").exit_code == 0
    assert stored(db, "ยางยืด").fee_baht is None
    result = run("publish", "--title", "โยคะ", "--starts", "5/12/2569 07:00", "--capacity", "20", "--fee", "แพง")
    assert result.exit_code != 0 and "อ่านค่าสมัคร “แพง” ไม่ออกค่ะ" in result.output
    assert stored(db, "โยคะ") is None
    path = tmp_path / "acts.yaml"
    path.write_text("activities:\n"
                    "  - title: ตรวจตา\n    starts_at: '2569-12-10 09:00'\n    capacity: 15\n    fee: ฟรี\n"
                    "  - title: ทำอาหาร\n    starts_at: '2569-12-11 09:00'\n    capacity: 15\n    fee: 40\n"
                    "  - title: ตรวจฟัน\n    starts_at: '2569-12-12 09:00'\n    capacity: 15\n", encoding="utf-8")
    assert run("publish", "--yaml", str(path)).exit_code == 0
    assert [stored(db, t).fee_baht for t in ("ตรวจตา", "ทำอาหาร", "ตรวจฟัน")] == [0, 40, None]


# --- the words read ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "baht"), [
    ("50", 50), ("๕๐ บาท", 50), ("ห้าสิบบาท", 50), ("คนละ 20 บาท", 20), ("1,200 บาท", 1200), ("ฟรี", 0),
    ("ฟรีค่ะ", 0), ("ไม่มีค่าใช้จ่าย", 0), ("0", 0), ("ไม่ระบุ", None), ("-", None),
])
def test_a_fee_as_staff_type_it(typed, baht):
    from bot.services.activities import parse_fee

    assert parse_fee(typed) == baht


@pytest.mark.parametrize("typed", ["แพง", "", "หลายร้อย บาทต่อคน ประมาณนั้น", "999999"])
def test_a_fee_that_cannot_be_read_is_refused(typed):
    from bot.services.activities import parse_fee
    from bot.services.errors import ServiceError

    with pytest.raises(ServiceError):
        parse_fee(typed)
