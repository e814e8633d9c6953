"""The charter command line: load a CSV, publish, open a round; the bot then takes feedback."""

from sqlalchemy import select

from bot.thaidate import BKK
from storage.models import Charter, HearingRound

CSV = """section_no,section_title,section_topic,clause_no,clause_text,clause_topic
1,อาหารปลอดภัย,food,1,ตลาดในเขตขายผักปลอดสารพิษอย่างน้อยหนึ่งร้าน,food
1,อาหารปลอดภัย,food,2,โรงเรียนลดน้ำหวานในโรงอาหาร,food
2,ขยะและฝุ่น,environment,3,ทุกชุมชนคัดแยกขยะอินทรีย์,environment
"""


def test_load_publish_and_open_a_round(app, harness, tmp_path):
    path = tmp_path / "charter.csv"
    path.write_text(CSV, encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["charter", "load", str(path), "--district", "บางเขน",
                                 "--title", "ธรรมนูญสุขภาพเขตบางเขน", "--publish"])
    assert result.exit_code == 0, result.output
    assert "2 หมวด 3 ข้อ" in result.output and "(เผยแพร่แล้ว)" in result.output
    result = runner.invoke(args=["charter", "round", "รอบที่ 1", "--opens", "1/11/2569",
                                 "--closes", "31/12/2569 18:00", "--district", "บางเขน"])
    assert result.exit_code == 0, result.output
    # A closing day without a time includes that day, as in the chat (it used to end at its 00:00).
    result = runner.invoke(args=["charter", "round", "รอบที่ 2", "--opens", "๑/๑/๒๕๗๐",
                                 "--closes", "15/1/2570", "--district", "บางเขน"])
    assert result.exit_code == 0, result.output
    assert "ศ. 15 ม.ค. 2570 เวลา 23:59 น." in result.output
    bad = runner.invoke(args=["charter", "round", "รอบที่ 3", "--opens", "เร็วๆ นี้", "--closes", "1/3/2570"])
    assert bad.exit_code != 0 and "อ่านวันไม่ออก" in bad.output
    with harness.db.session(readonly=True) as s:
        charter = s.scalar(select(Charter).where(Charter.district == "บางเขน"))
        assert charter.status == "published"
        rounds = s.scalars(select(HearingRound).where(HearingRound.charter_id == charter.id)
                           .order_by(HearingRound.opens_at)).all()
        assert [r.opens_at.astimezone(BKK).strftime("%d/%m/%Y %H:%M") for r in rounds] == [
            "01/11/2026 00:00", "01/01/2027 00:00"]
        assert rounds[0].closes_at.astimezone(BKK).strftime("%d/%m %H:%M") == "31/12 18:00"


def test_a_bad_file_is_refused_with_a_reason(app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("section_no,section_title\n1,ไม่มีข้อ\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["charter", "load", str(path), "--district", "x", "--title", "y"])
    assert result.exit_code != 0
    assert result.output.strip()


def test_results_per_clause_on_screen_and_as_files_for_the_district(app, db, now, tmp_path):
    """`charter results` gives what staff see in chat, and CSV files Excel opens in Thai, with no names."""
    import csv

    from bot.services import charter as svc
    from storage.models import CharterClause
    from tests.charter.helpers import make_user, published_with_round

    with db.session() as s:
        charter, hearing = published_with_round(s, tmp_path, now)
        clause = {c.no: c for c in s.scalars(select(CharterClause).where(CharterClause.charter_id == charter.id))}
        people = [make_user(s, f"U{i:032d}", now=now) for i in range(4)]
        svc.record_stance(s, people[0], clause[3], "agree", "ร้านข้าวแกงหน้าตลาดลดเค็มแล้วค่ะ", now)
        svc.record_stance(s, people[1], clause[3], "agree", None, now)
        svc.record_stance(s, people[2], clause[3], "disagree", "ควรเริ่มที่โรงเรียนก่อน", now)
        svc.record_stance(s, people[3], clause[1], "unsure", None, now)
        round_id = hearing.id
    counts, comments = tmp_path / "results.csv", tmp_path / "comments.csv"
    runner = app.test_cli_runner()  # the real clock: the round (open from 28 Nov 2026) is the latest begun
    shown = runner.invoke(args=["charter", "results", "--csv", str(counts), "--comments", str(comments)])
    assert shown.exit_code == 0, shown.output
    assert "รอบรับฟังความคิดเห็นครั้งที่ 1" in shown.output
    assert "ข้อ   3  เห็นด้วย 2 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 0 (เห็นด้วย 67%)  ความเห็น 2" in shown.output
    assert "(ไม่เห็นด้วย) ควรเริ่มที่โรงเรียนก่อน" in shown.output
    assert "ข้อ   2  ยังไม่มีใครแสดงความเห็นข้อนี้" in shown.output

    assert counts.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with counts.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["ข้อ"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert (rows[2]["เห็นด้วย"], rows[2]["ไม่เห็นด้วย"], rows[2]["เห็นด้วย (%)"]) == ("2", "1", "67")
    with comments.open(encoding="utf-8-sig", newline="") as f:
        written = list(csv.DictReader(f))
    assert {(r["ข้อ"], r["ท่าที"], r["ความเห็น"]) for r in written} == {
        ("3", "เห็นด้วย", "ร้านข้าวแกงหน้าตลาดลดเค็มแล้วค่ะ"), ("3", "ไม่เห็นด้วย", "ควรเริ่มที่โรงเรียนก่อน")}
    assert {r["หัวข้อ"] for r in written} <= {"", "อาหารปลอดภัยและโภชนาการ"}  # Thai, not the router's keys
    assert "U0000" not in comments.read_text(encoding="utf-8-sig")  # nobody's LINE id leaves the bot

    gone = runner.invoke(args=["charter", "results", "--round", str(round_id + 99)])
    assert gone.exit_code != 0 and "ไม่พบรอบรับฟังความคิดเห็นเลขที่" in gone.output
