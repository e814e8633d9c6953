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
    assert "ได้รับอนุมัติ: งบ 25,000 บาท จากสสส." in run(db, now, "show", str(idea)).output
    with db.session() as s:
        assert (s.get(Idea, idea).granted_fund, s.get(Idea, idea).granted_budget) == ("thaihealth", 25_000)
        told = [texts_of(row) for row in pushes_to(s, s.get(User, world["resident"]))]
        assert any("ได้รับงบ 25,000 บาท จากสสส." in t for t in told)
    started = run(db, now, "move", str(idea), "in_progress", "--amount", "1000")
    assert started.exit_code != 0 and "ตอนอนุมัติโครงการเท่านั้น" in started.output
    assert run(db, now, "move", str(idea), "in_progress", "--amount", "ไม่รู้").exit_code != 0
