"""Staff command line for ideas (click's test runner on the test database): the chat's rules, from a console."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli_ideas import ideas_cli
from storage.models import Idea, IdeaEvent, User
from tests.ideas.conftest import make_idea, pushes_to, texts_of


def run(db, now, *args):
    return CliRunner().invoke(ideas_cli, list(args), obj={"db": db, "now": now})


def test_list_show_and_move_an_idea_to_completion(db, now, world):
    with db.session() as s:
        resident = s.get(User, world["resident"])
        approved = make_idea(s, resident, "approved", now=now, title="ลานกีฬาชุมชน", budget=50_000).id
        waiting = make_idea(s, resident, now=now, title="ครัวลดเค็ม").id
        make_idea(s, resident, "completed", now=now, title="จบไปแล้ว")
    listed = run(db, now, "list")
    assert listed.exit_code == 0, listed.output
    assert f"#{approved} ลานกีฬาชุมชน [อนุมัติแล้ว]" in listed.output and "50,000 บาท" in listed.output
    assert f"#{waiting} ครัวลดเค็ม [ส่งแล้ว]" in listed.output
    assert "จบไปแล้ว" not in listed.output  # nothing left to move
    only = run(db, now, "list", "--status", "completed").output
    assert "จบไปแล้ว" in only and "ลานกีฬาชุมชน" not in only

    shown = run(db, now, "show", str(approved)).output
    assert "ความเป็นมา:" in shown and "อนุมัติแล้ว (เจ้าหน้าที่)" in shown and "ย้ายไปได้: in_progress" in shown

    assert run(db, now, "move", str(approved), "in_progress").exit_code == 0
    moved = run(db, now, "move", str(approved), "completed")
    assert moved.exit_code == 0 and "[เสร็จสิ้นแล้ว]" in moved.output
    with db.session() as s:
        assert s.get(Idea, approved).status == "completed"
        events = s.scalars(select(IdeaEvent).where(IdeaEvent.idea_id == approved).order_by(IdeaEvent.id))
        assert [(e.to_status, e.actor_user_id) for e in events][-2:] == [("in_progress", None), ("completed", None)]
        told = [texts_of(row) for row in pushes_to(s, s.get(User, world["resident"]))]
        assert any("เริ่มดำเนินการแล้ว" in t for t in told) and any("เสร็จสิ้นแล้ว" in t for t in told)


def test_moves_the_rules_refuse_are_refused_in_thai(db, now, world):
    with db.session() as s:
        idea = make_idea(s, s.get(User, world["resident"]), now=now).id
    skipped = run(db, now, "move", str(idea), "completed")
    assert skipped.exit_code != 0 and "เปลี่ยนเป็น “เสร็จสิ้นแล้ว” ไม่ได้ค่ะ" in skipped.output
    assert "ตอนนี้เปลี่ยนเป็น “กำลังพิจารณา” หรือ “ขอให้ปรับแก้”" in skipped.output  # what can be done instead
    no_reason = run(db, now, "move", str(idea), "rejected")
    assert no_reason.exit_code != 0 and "ขอเหตุผลสั้น ๆ" in no_reason.output
    # Withdrawing is the submitter's own move, not staff's.
    assert run(db, now, "move", str(idea), "withdrawn").exit_code != 0
    assert "ไม่พบโครงการนี้" in run(db, now, "show", "999").output
    rejected = run(db, now, "move", str(idea), "rejected", "--reason", "งบเกินกรอบ")
    assert rejected.exit_code == 0, rejected.output
    with db.session() as s:
        assert s.get(Idea, idea).status == "rejected"
        assert any("งบเกินกรอบ" in texts_of(row) for row in pushes_to(s, s.get(User, world["resident"])))


def test_approval_at_the_console_records_the_funding(db, now, world):
    with db.session() as s:
        idea = make_idea(s, s.get(User, world["resident"]), now=now, title="ครัวลดเค็ม").id
    approved = run(db, now, "move", str(idea), "approved", "--fund", "thaihealth", "--amount", "สองหมื่นห้าพัน")
    assert approved.exit_code == 0, approved.output
    assert "ได้รับอนุมัติ: งบ 25,000 บาท จาก สสส." in run(db, now, "show", str(idea)).output
    with db.session() as s:
        assert (s.get(Idea, idea).granted_fund, s.get(Idea, idea).granted_budget) == ("thaihealth", 25_000)
        told = [texts_of(row) for row in pushes_to(s, s.get(User, world["resident"]))]
        assert any("ได้รับงบ 25,000 บาท จาก สสส." in t for t in told)
    started = run(db, now, "move", str(idea), "in_progress", "--amount", "1000")
    assert started.exit_code != 0 and "ตอนอนุมัติโครงการเท่านั้น" in started.output
    assert run(db, now, "move", str(idea), "in_progress", "--amount", "ไม่รู้").exit_code != 0


def test_completion_at_the_console_records_the_results(db, now, world):
    with db.session() as s:
        idea = make_idea(s, s.get(User, world["resident"]), "in_progress", now=now, title="ครัวลดเค็ม").id
    done = run(db, now, "move", str(idea), "completed", "--reached", "สี่สิบห้า", "--outcome", "ร้านอาหาร 12 ร้านลดเค็ม")
    assert done.exit_code == 0, done.output
    shown = run(db, now, "show", str(idea)).output
    assert "ผู้เข้าร่วมจริง: 45 คน" in shown and "ผลที่เกิดขึ้น: ร้านอาหาร 12 ร้านลดเค็ม" in shown
    with db.session() as s:
        told = [texts_of(row) for row in pushes_to(s, s.get(User, world["resident"]))]
        assert any("ผลที่บันทึกไว้: ผู้เข้าร่วม 45 คน · ร้านอาหาร 12 ร้านลดเค็ม" in t for t in told)
    unread = run(db, now, "move", str(idea), "completed", "--reached", "หลายคน")
    assert unread.exit_code != 0 and "อ่านจำนวนคนไม่ออก" in unread.output


def test_results_are_recorded_only_at_completion(db, now, world):
    with db.session() as s:
        idea = make_idea(s, s.get(User, world["resident"]), "approved", now=now).id
    early = run(db, now, "move", str(idea), "in_progress", "--reached", "30")
    assert early.exit_code != 0 and "ตอนโครงการเสร็จสิ้นเท่านั้น" in early.output
    with db.session() as s:
        assert s.get(Idea, idea).status == "approved"  # refused as a whole, not half done


def test_the_one_report_on_screen_and_as_a_spreadsheet(db, now, world, tmp_path):
    with db.session() as s:
        resident = s.get(User, world["resident"])
        funded = make_idea(s, resident, "approved", now=now, title="ลานกีฬาชุมชน", budget=50_000,
                           funding_source="thaihealth", contact_phone="081-234-5678")
        funded.granted_fund, funded.granted_budget = "thaihealth", 40_000
        ran = make_idea(s, resident, "completed", now=now, title="ครัวลดเค็ม", budget=20_000)
        ran.granted_fund, ran.granted_budget = "bkk_health_fund", 20_000
        ran.reached_participants, ran.outcome = 45, "ร้านอาหาร 12 ร้านลดเค็ม"
        make_idea(s, resident, now=now, title="ยังรอตรวจ", budget=9_000)
        make_idea(s, resident, "in_progress", now=now, title="อนุมัติโดยยังไม่บันทึกงบ", budget=50_000)
        make_idea(s, resident, "withdrawn", now=now, title="ถอนไปแล้ว", budget=1_000_000)
    sheet = tmp_path / "one-report.csv"
    report = run(db, now, "report", "--csv", str(sheet))
    assert report.exit_code == 0, report.output
    out = report.output
    assert "ทั้งหมด 4 โครงการ" in out and "ส่งแล้ว 1 · อนุมัติแล้ว 1 · กำลังดำเนินการ 1 · เสร็จสิ้นแล้ว 1" in out
    # An approval with neither fund nor baht recorded is not "funded" (it was counted as 0 baht granted).
    assert "อนุมัติงบแล้ว 2 โครงการ รวม 60,000 บาท (ขอไว้ 70,000 บาท)" in out
    assert "อนุมัติแล้วแต่ยังไม่ได้บันทึกงบ 1 โครงการ" in out and "ยังไม่ระบุแหล่งทุน" not in out
    assert "• สสส. 1 โครงการ 40,000 บาท" in out and "• กองทุนหลักประกันสุขภาพ กทม. 1 โครงการ 20,000 บาท" in out
    assert "มีผู้เข้าร่วมจริงรวม 45 คน" in out and "ถอนไปแล้ว" not in out
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Thai only with the BOM
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("เลขที่,ชุมชน,ชื่อโครงการ") and len(lines) == 5
    assert any("ครัวลดเค็ม" in line and ",45,ร้านอาหาร 12 ร้านลดเค็ม," in line for line in lines)
    assert "081-234-5678" not in raw.decode("utf-8-sig") and "resident" not in raw.decode("utf-8-sig")  # PDPA
