"""The charter command line: load a CSV, publish, open a round; the bot then takes feedback."""

from sqlalchemy import select

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
    assert "3 clauses" in result.output
    result = runner.invoke(args=["charter", "round", "รอบที่ 1", "--opens", "1/11/2569",
                                 "--closes", "31/12/2569 18:00", "--district", "บางเขน"])
    assert result.exit_code == 0, result.output
    with harness.db.session(readonly=True) as s:
        charter = s.scalar(select(Charter).where(Charter.district == "บางเขน"))
        assert charter.status == "published"
        rnd = s.scalar(select(HearingRound).where(HearingRound.charter_id == charter.id))
        assert rnd.opens_at.year == 2026


def test_a_bad_file_is_refused_with_a_reason(app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("section_no,section_title\n1,ไม่มีข้อ\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["charter", "load", str(path), "--district", "x", "--title", "y"])
    assert result.exit_code != 0
    assert result.output.strip()
