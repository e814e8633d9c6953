"""Staff command line for activities (run through click's test runner on the test database)."""

from __future__ import annotations

from datetime import datetime

from click.testing import CliRunner

from bot.cli_activities import activities_cli
from bot.services import activities as svc
from bot.thaidate import BKK
from storage.models import Activity
from tests.activities.factories import make_user, push_text, pushes


def run(db, now, *args, input=None):
    result = CliRunner().invoke(activities_cli, list(args), obj={"db": db, "now": now}, input=input)
    return result


def test_publish_list_reschedule_cancel_checkin(db, now, tmp_path):
    result = run(db, now, "publish", "--title", "เดินเร็วรอบสวน", "--starts", "5/12/2569 06:30",
                 "--minutes", "60", "--capacity", "1", "--place", "สวนรถไฟ", "--topic", "physical_activity")
    assert result.exit_code == 0, result.output
    assert "ส. 5 ธ.ค. 2569 เวลา 06:30–07:30 น." in result.output
    with db.session() as s:
        act = s.query(Activity).one()
        a, b = make_user(s, "A"), make_user(s, "B")
        code = svc.signup(s, a, act.id, now=now).checkin_code
        svc.signup(s, b, act.id, now=now)
    result = run(db, now, "list")
    assert "เดินเร็วรอบสวน" in result.output and "1/1 ที่" in result.output and "สำรอง 1" in result.output

    result = run(db, now, "reschedule", str(act.id), "--starts", "2569-12-06 07:00")
    assert result.exit_code == 0, result.output
    with db.session() as s:
        assert s.get(Activity, act.id).schedule_version == 2
        assert len(pushes(s, "A")) == 1 and "อา. 6 ธ.ค. 2569" in push_text(pushes(s, "A")[0])

    assert "ยังเช็คอินไม่ได้" in run(db, now, "checkin", code).output  # a week early
    on_the_day = datetime(2026, 12, 6, 6, 30, tzinfo=BKK)
    result = run(db, on_the_day, "checkin", code.lower())
    assert result.exit_code == 0 and "เช็คอินแล้ว" in result.output
    assert "เช็คอินไปแล้ว" in run(db, on_the_day, "checkin", code).output

    result = run(db, now, "participants", str(act.id))
    assert code in result.output and "สำรอง 1" in result.output

    result = run(db, now, "cancel", str(act.id), "--reason", "ฝนตก", input="y\n")
    assert result.exit_code == 0, result.output
    with db.session() as s:
        assert s.get(Activity, act.id).status == "cancelled"
        assert len(pushes(s, "B")) == 2


def test_publish_from_yaml_and_errors_in_thai(db, now, tmp_path):
    path = tmp_path / "acts.yaml"
    path.write_text(
        "activities:\n"
        "  - title: ตรวจความดัน\n    place: ศาลา\n    day_offset: 2\n    start: '07:30'\n"
        "    duration_minutes: 90\n    capacity: 20\n    signup_closes_hours_before: 12\n"
        "  - title: แยกขยะ\n    starts_at: '2569-12-10 09:00'\n    ends_at: '2569-12-10 11:00'\n"
        "    capacity: 15\n    topic: environment\n",
        encoding="utf-8",
    )
    result = run(db, now, "publish", "--yaml", str(path))
    assert result.exit_code == 0, result.output
    assert "เผยแพร่แล้ว 2 กิจกรรม" in result.output
    with db.session() as s:
        assert s.query(Activity).count() == 2
    result = run(db, now, "publish", "--title", "x", "--starts", "1/1/2560 09:00", "--capacity", "3")
    assert result.exit_code != 0 and "ผ่านไปแล้ว" in result.output
    result = run(db, now, "edit", "999", "--place", "ที่ใหม่")
    assert result.exit_code != 0 and "ไม่พบกิจกรรม" in result.output


def test_a_community_name_many_share_is_refused_with_them_listed(db, now):
    """`--community ลาดพร้าว` said only "ไม่พบชุมชน ลาดพร้าว ค่ะ" (14 communities hold the name), and
    "ลาดพร้าว 101" without "ชุมชน" was not found either."""
    from tests.support.communities import add_district

    ids = add_district(db)
    base = ["publish", "--title", "แอโรบิก", "--starts", "5/12/2569 17:00", "--capacity", "20"]
    refused = run(db, now, *base, "--community", "ลาดพร้าว")
    assert refused.exit_code != 0
    assert "“ลาดพร้าว” ตรงกับ 14 ชุมชนค่ะ" in refused.output and "กรุณาระบุชื่อเต็มหรือรหัสชุมชน" in refused.output
    for listed in ("LP07  ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 122", "ชุมชนวัดลาดพร้าว", "ชุมชนบ้านสวนลาดพร้าว"):
        assert listed in refused.output
    for not_one in ("ลาดพร้าว 12", "ลาดพร้าว 1"):  # part of a number is not that number
        result = run(db, now, *base, "--community", not_one)
        assert result.exit_code != 0 and "ชุมชนลาดพร้าว 122" in result.output, result.output
    assert run(db, now, "list", "--community", "ลาดพร้าว").exit_code != 0
    with db.session() as s:
        assert s.query(Activity).count() == 0
    for typed, name in (("ลาดพร้าว 101", "ชุมชนลาดพร้าว 101"), ("lp15", "ชุมชนวัดลาดพร้าว"), ("เคหะ", "ชุมชนเคหะลาดพร้าว")):
        result = run(db, now, *base, "--community", typed)
        assert result.exit_code == 0, result.output
        with db.session() as s:
            assert s.query(Activity).order_by(Activity.id.desc()).first().community_id == ids[name]


def test_checkin_late_records_attendance_after_the_activity(db, now):
    """`checkin CODE` the day after was refused with no way to record a paper sheet; `--late` records it,
    from the activity's start until 14 days after it."""
    with db.session() as s:
        act = svc.publish(s, None, now=now, title="เดินเร็วรอบสวน", capacity=5,
                          starts_at=datetime(2569 - 543, 12, 5, 6, 30, tzinfo=BKK),
                          ends_at=datetime(2569 - 543, 12, 5, 7, 30, tzinfo=BKK))
        code = svc.signup(s, make_user(s, "A", name="คุณเอ"), act.id, now=now).checkin_code
    assert "ยังบันทึกย้อนหลังไม่ได้ค่ะ" in run(db, now, "checkin", code, "--late").output  # not before it starts
    next_day = datetime(2026, 12, 6, 9, 0, tzinfo=BKK)
    result = run(db, next_day, "checkin", code)
    assert result.exit_code != 0 and "จัดไปแล้วเมื่อ ส. 5 ธ.ค. 2569" in result.output
    assert f"ใช้ activities checkin {code} --late" in result.output
    result = run(db, datetime(2026, 12, 20, 9, 0, tzinfo=BKK), "checkin", code, "--late")
    assert result.exit_code != 0 and "บันทึกย้อนหลังไม่ได้แล้วค่ะ" in result.output  # 15 days after
    assert "ถึง ส. 19 ธ.ค. 2569" in result.output
    result = run(db, datetime(2026, 12, 19, 20, 0, tzinfo=BKK), "checkin", code.lower(), "--late")  # the 14th day
    assert result.exit_code == 0, result.output
    assert "บันทึกย้อนหลังแล้ว: คุณเอ (1 คน) · เดินเร็วรอบสวน · ส. 5 ธ.ค. 2569" in result.output
    assert "[✓]" in run(db, now, "participants", str(act.id)).output


def test_reschedule_to_another_day_says_how_many_check_ins_were_cleared(db, now):
    with db.session() as s:
        act = svc.publish(s, None, now=now, title="เดินเร็วรอบสวน", capacity=5,
                          starts_at=datetime(2026, 12, 5, 6, 30, tzinfo=BKK),
                          ends_at=datetime(2026, 12, 5, 7, 30, tzinfo=BKK))
        code = svc.signup(s, make_user(s, "A"), act.id, now=now).checkin_code
    on_the_day = datetime(2026, 12, 5, 6, 0, tzinfo=BKK)
    assert run(db, on_the_day, "checkin", code).exit_code == 0
    result = run(db, on_the_day, "reschedule", str(act.id), "--starts", "2569-12-12 06:30")
    assert result.exit_code == 0, result.output
    assert "ล้างเช็คอินของวันเดิม 1 รายการ" in result.output
    assert "[✓]" not in run(db, on_the_day, "participants", str(act.id)).output
