"""Charter business rules: loading, publishing, hearing rounds, stances, tallies and results."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services import charter as svc
from bot.services.errors import ServiceError
from storage.models import Charter, ClauseFeedback, Community
from tests.charter.helpers import SMALL_YAML, make_user, published_with_round, write

DEMO_YAML = Path(__file__).resolve().parents[2] / "storage" / "demo" / "charter.yaml"

CSV = """\
district,title,section_no,section_title,section_topic,clause_no,clause_text,clause_topic
ลาดพร้าว,ธรรมนูญสุขภาพเขตลาดพร้าว (CSV),1,ขยับกายทุกวัย,physical_activity,1,ทุกชุมชนมีกลุ่มออกกำลังกาย,
,,1,,,2,ดูแลลานกีฬาให้ปลอดภัย,environment
,,๒,อาหารปลอดภัย,food,๓,ร้านอาหารลดหวาน มัน เค็ม,
"""


# --- loading and publishing ----------------------------------------------------------------------

def test_load_yaml_creates_a_draft_with_sections_and_clauses(db, tmp_path, now):
    with db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "c.yaml", SMALL_YAML), now=now)
        assert c.status == "draft" and c.version == 1 and c.district == "ลาดพร้าว"
        assert c.demo_notice.startswith("เนื้อหานี้เป็นตัวอย่าง")
        secs = svc.sections(s, c)
        assert [(x.no, x.title, len(x.clauses)) for x in secs] == [(1, "ขยับกายทุกวัย", 2), (2, "อาหารปลอดภัย", 3)]
        assert svc.get_clause(s, c, 2).topic == "environment"      # clause's own topic
        assert svc.get_clause(s, c, 4).topic == "food"             # inherited from its section
        assert svc.get_clause(s, c, 4).text == "ส่งเสริมให้ครัวเรือนปลูกผักสวนครัว"
        assert svc.get_clause(s, c, 99) is None
        assert svc.published_charter(s, "ลาดพร้าว") is None        # drafts are not shown to residents


def test_load_csv_with_thai_digits_and_repeated_section_rows(db, tmp_path, now):
    with db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "c.csv", CSV), now=now)
        assert c.title == "ธรรมนูญสุขภาพเขตลาดพร้าว (CSV)"
        assert [(x.no, [k.no for k in x.clauses]) for x in svc.sections(s, c)] == [(1, [1, 2]), (2, [3])]
        assert svc.get_clause(s, c, 2).topic == "environment"
        assert svc.get_clause(s, c, 3).topic == "food"


def test_csv_without_district_uses_arguments(db, tmp_path, now):
    content = "section_no,section_title,clause_no,clause_text\n1,หมวดเดียว,1,ข้อเดียว\n"
    with db.session() as s:
        with pytest.raises(ServiceError) as err:
            svc.load_charter(s, write(tmp_path, "a.csv", content), now=now)
        assert err.value.code == "charter_file_invalid" and "เขต" in err.value.message_th
        c = svc.load_charter(s, write(tmp_path, "b.csv", content), now=now, district="บึงกุ่ม", title="ธรรมนูญบึงกุ่ม")
        assert (c.district, c.title, svc.clause_count(s, c)) == ("บึงกุ่ม", "ธรรมนูญบึงกุ่ม", 1)


@pytest.mark.parametrize("bad, words", [
    (SMALL_YAML.replace("no: 5", "no: 4"), "ซ้ำ"),
    (SMALL_YAML.replace("topic: food", "topic: cooking"), "cooking"),
    ("district: x\ntitle: y\nsections: []\n", "ไม่มีหมวด"),
    ("district: [unclosed\n", "YAML"),
])
def test_bad_files_are_refused_with_the_place_named_and_nothing_stored(db, tmp_path, now, bad, words):
    with db.session() as s:
        with pytest.raises(ServiceError) as err:
            svc.load_charter(s, write(tmp_path, "bad.yaml", bad), now=now)
        assert words in err.value.message_th
        assert s.scalar(select(func.count(Charter.id))) == 0


def test_unknown_file_type_is_refused(db, tmp_path, now):
    with db.session() as s, pytest.raises(ServiceError) as err:
        svc.load_charter(s, write(tmp_path, "c.txt", SMALL_YAML), now=now)
    assert err.value.code == "charter_file_type"


def test_demo_charter_file_loads_with_its_round(db, now):
    with db.session() as s:
        c = svc.load_charter(s, DEMO_YAML, now=now)
        svc.publish(s, c, now=now)
        assert svc.clause_count(s, c) == 26 and len(svc.sections(s, c)) == 9
        open_round = svc.current_round(s, c, now)
        assert open_round is not None and open_round.name == "รอบรับฟังความคิดเห็นครั้งที่ 1"
        assert svc.get_clause(s, c, 17).topic == "environment"


def test_publish_archives_the_previous_version(db, tmp_path, now):
    path = write(tmp_path, "c.yaml", SMALL_YAML)
    with db.session() as s:
        v1 = svc.load_charter(s, path, now=now)
        svc.publish(s, v1, now=now)
        v2 = svc.load_charter(s, path, now=now)
        assert v2.version == 2 and v2.status == "draft"
        assert svc.published_charter(s, "ลาดพร้าว").id == v1.id     # v1 still shown until v2 is published
        svc.publish(s, v2, now=now + timedelta(hours=1))
        assert (v1.status, v2.status) == ("archived", "published")
        assert svc.published_charter(s, "ลาดพร้าว").id == v2.id
        assert [c.version for c in svc.versions(s, "ลาดพร้าว")] == [1, 2]


def test_charter_for_user_prefers_their_district(db, tmp_path, now):
    with db.session() as s:
        lp = svc.load_charter(s, write(tmp_path, "a.yaml", SMALL_YAML), now=now)
        bk = svc.load_charter(s, write(tmp_path, "b.yaml", SMALL_YAML.replace("district: ลาดพร้าว",
                                                                           "district: บึงกุ่ม")), now=now)
        svc.publish(s, lp, now=now)
        svc.publish(s, bk, now=now)
        home = Community(code="BK01", name="ชุมชนทดสอบบึงกุ่ม", district="บึงกุ่ม")
        s.add(home)
        s.flush()
        user = make_user(s, "U1")
        assert svc.charter_for_user(s, user).id == lp.id           # no community yet: default district
        user.community_id = home.id
        assert svc.charter_for_user(s, user).id == bk.id


# --- rounds --------------------------------------------------------------------------------------

def test_current_and_next_round(db, tmp_path, now):
    with db.session() as s:
        c, r1 = published_with_round(s, tmp_path, now, opens_days=-10, closes_days=-3)
        r2 = svc.create_round(s, c, "รอบ 2", now + timedelta(days=5), now + timedelta(days=20))
        assert svc.current_round(s, c, now) is None
        assert svc.next_round(s, c, now).id == r2.id
        assert svc.latest_round(s, c, now).id == r1.id
        assert svc.current_round(s, c, now + timedelta(days=6)).id == r2.id
        assert svc.next_round(s, c, now + timedelta(days=6)) is None
        assert svc.current_round(s, c, r2.closes_at) is None        # closes_at itself is closed


def test_rounds_must_not_overlap_and_must_end_after_they_open(db, tmp_path, now):
    with db.session() as s:
        c, _ = published_with_round(s, tmp_path, now)
        with pytest.raises(ServiceError) as err:
            svc.create_round(s, c, "ซ้อน", now + timedelta(days=3), now + timedelta(days=30))
        assert err.value.code == "round_overlap"
        with pytest.raises(ServiceError) as err:
            svc.create_round(s, c, "กลับหัว", now + timedelta(days=30), now + timedelta(days=29))
        assert err.value.code == "round_dates"


# --- stances -------------------------------------------------------------------------------------

def test_stance_is_recorded_and_a_new_one_replaces_it(db, tmp_path, now):
    with db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        user = make_user(s, "U1")
        clause = svc.get_clause(s, c, 3)
        first = svc.record_stance(s, user, clause, "disagree", "ควรมีเมนูทางเลือกสำหรับคนเป็นเบาหวาน", now)
        assert first.topic is not None
        again = svc.record_stance(s, user, clause, "agree", None, now + timedelta(minutes=5))
        assert again.id == first.id
        assert svc.tally(s, clause, r) == {"agree": 1, "disagree": 0, "unsure": 0, "total": 1, "pct_agree": 100}
        row = s.scalar(select(ClauseFeedback))
        assert (row.stance, row.comment) == ("agree", None)          # the whole stance is replaced
        assert s.scalar(select(func.count(ClauseFeedback.id))) == 1


def test_a_stance_changed_with_keep_comment_drops_the_old_stances_comment(db, tmp_path, now):
    """The chat's "ข้าม" after changing a stance: the old stance's reason is dropped and told (QA: staff read it under
    the new stance); the same stance again keeps it; a new comment still replaces it."""
    with db.session() as s:
        c, _ = published_with_round(s, tmp_path, now)
        user = make_user(s, "U1")
        clause = svc.get_clause(s, c, 5)
        first = svc.record_stance(s, user, clause, "agree", "ควรเพิ่มไฟส่องสว่างริมคลอง", now)
        topic = first.topic
        same = svc.change_stance(s, user, clause, "agree", None, now, keep_comment=True)
        assert (same.feedback.comment, same.feedback.topic, same.dropped) == ("ควรเพิ่มไฟส่องสว่างริมคลอง", topic, None)
        change = svc.change_stance(s, user, clause, "disagree", None, now + timedelta(minutes=1), keep_comment=True)
        assert (change.before, change.feedback.stance, change.feedback.comment, change.dropped) == (
            "agree", "disagree", None, "ควรเพิ่มไฟส่องสว่างริมคลอง")
        change = svc.change_stance(s, user, clause, "agree", "พอแล้วค่ะ", now + timedelta(minutes=2), keep_comment=True)
        assert (change.before, change.feedback.comment) == ("disagree", "พอแล้วค่ะ")
        assert s.scalar(select(func.count(ClauseFeedback.id))) == 1


def test_my_feedback_is_the_users_own_answers_in_the_round_by_clause(db, tmp_path, now):
    with db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        user, other = make_user(s, "U1"), make_user(s, "U2")
        svc.record_stance(s, user, svc.get_clause(s, c, 5), "disagree", None, now)
        svc.record_stance(s, user, svc.get_clause(s, c, 2), "agree", "ควรมีไฟส่องสว่าง", now)
        svc.record_stance(s, other, svc.get_clause(s, c, 3), "unsure", None, now)
        assert [(no, f.stance, f.comment) for no, f in svc.my_feedback(s, user, r)] == [
            (2, "agree", "ควรมีไฟส่องสว่าง"), (5, "disagree", None)]
        assert [no for no, _ in svc.my_feedback(s, user, r, svc.get_clause(s, c, 5))] == [5]
        assert svc.my_feedback(s, user, r, svc.get_clause(s, c, 3)) == []  # another user's answer is not theirs


def test_one_stance_on_several_clauses_replaces_each_old_one(db, tmp_path, now):
    with db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        user = make_user(s, "U1")
        svc.record_stance(s, user, svc.get_clause(s, c, 2), "disagree", "ลานกีฬาไม่พอ", now)
        clauses, missing = svc.clauses_numbered(s, c, [3, 2, 9, 3])
        assert ([k.no for k in clauses], missing) == ([3, 2], [9])
        changes = svc.change_stances(s, user, clauses, "agree", None, now + timedelta(minutes=1))
        assert [(ch.before, ch.feedback.stance, ch.feedback.comment) for ch in changes] == [
            (None, "agree", None), ("disagree", "agree", None)]  # the old stance's reason went with it
        assert [ch.dropped for ch in changes] == [None, "ลานกีฬาไม่พอ"]
        assert s.scalar(select(func.count(ClauseFeedback.id))) == 2
        outside = svc.get_clause(s, c, 1)
        with pytest.raises(ServiceError) as err:
            svc.change_stances(s, user, [outside, clauses[0]], "agree", None, r.closes_at + timedelta(minutes=1))
        assert err.value.code == "round_closed"
        assert s.scalar(select(func.count(ClauseFeedback.id))) == 2  # refused before anything was written


def test_comment_is_tagged_with_a_topic(db, tmp_path, now):
    with db.session() as s:
        c, _ = published_with_round(s, tmp_path, now)
        user = make_user(s, "U1")
        fb = svc.record_stance(s, user, svc.get_clause(s, c, 1), "unsure", "  อยากให้มีที่ปลอดบุหรี่\nรอบลานกีฬา ", now)
        assert fb.comment == "อยากให้มีที่ปลอดบุหรี่ รอบลานกีฬา"
        assert fb.topic in ("tobacco", "physical_activity")          # nlp's pick, else the clause's topic


def test_stance_outside_a_round_is_refused_politely_with_the_next_date(db, tmp_path, now):
    with db.session() as s:
        c, _ = published_with_round(s, tmp_path, now, opens_days=-10, closes_days=-3)
        user = make_user(s, "U1")
        clause = svc.get_clause(s, c, 1)
        with pytest.raises(ServiceError) as err:
            svc.record_stance(s, user, clause, "agree", None, now)
        assert err.value.code == "round_closed"
        assert "ปิดรับความคิดเห็นแล้วค่ะ" in err.value.message_th and "ยังไม่มีกำหนดรอบถัดไป" in err.value.message_th
        # now = Sun 29 Nov 2026 10:00; the next round opens on Sat 5 Dec 2026 (2569 in the Thai calendar)
        svc.create_round(s, c, "รอบรับฟังความคิดเห็นครั้งที่ 2", now + timedelta(days=6), now + timedelta(days=20))
        with pytest.raises(ServiceError) as err:
            svc.record_stance(s, user, clause, "agree", None, now)
        assert "รอบรับฟังความคิดเห็นครั้งที่ 2 จะเปิดวันเสาร์ที่ 5 ธันวาคม 2569" in err.value.message_th
        assert err.value.message_th.endswith("นะคะ")
        assert s.scalar(select(func.count(ClauseFeedback.id))) == 0


def test_stance_needs_consent(db, tmp_path, now):
    with db.session() as s:
        c, _ = published_with_round(s, tmp_path, now)
        user = make_user(s, "U1", consent=False)
        with pytest.raises(ServiceError) as err:
            svc.record_stance(s, user, svc.get_clause(s, c, 1), "agree", None, now)
        assert err.value.code == "no_consent" and "ยินยอม" in err.value.message_th


def test_unknown_stance_and_unpublished_charter_are_refused(db, tmp_path, now):
    with db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        user = make_user(s, "U1")
        with pytest.raises(ServiceError) as err:
            svc.record_stance(s, user, svc.get_clause(s, c, 1), "maybe", None, now)
        assert err.value.code == "bad_stance"
        v2 = svc.load_charter(s, write(tmp_path, "v2.yaml", SMALL_YAML), now=now)
        svc.publish(s, v2, now=now)
        with pytest.raises(ServiceError) as err:                     # old version: archived
            svc.record_stance(s, user, svc.get_clause(s, c, 1), "agree", None, now)
        assert err.value.code == "charter_not_published"


# --- tallies, results, audiences -----------------------------------------------------------------

def test_tallies_and_results_for_staff(db, tmp_path, now):
    with db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        users = [make_user(s, f"U{i}") for i in range(4)]
        c3 = svc.get_clause(s, c, 3)
        svc.record_stance(s, users[0], c3, "agree", None, now)
        svc.record_stance(s, users[1], c3, "agree", "ดีมากค่ะ", now + timedelta(minutes=1))
        svc.record_stance(s, users[2], c3, "disagree", "ร้านค้าจะขายไม่ได้", now + timedelta(minutes=2))
        svc.record_stance(s, users[3], c3, "unsure", None, now)
        svc.record_stance(s, users[0], svc.get_clause(s, c, 1), "disagree", None, now)
        assert svc.tally(s, c3, r) == {"agree": 2, "disagree": 1, "unsure": 1, "total": 4, "pct_agree": 50}
        assert svc.tally_text(svc.tally(s, c3, r)) == "เห็นด้วย 2 · ไม่เห็นด้วย 1 · ไม่แน่ใจ 1 (เห็นด้วย 50%)"
        res = svc.results(s, r)
        assert [x.clause_no for x in res] == [1, 2, 3, 4, 5]
        by_no = {x.clause_no: x for x in res}
        assert (by_no[1].disagree, by_no[1].pct_agree) == (1, 0)
        assert (by_no[2].total, by_no[2].pct_agree, by_no[2].comments) == (0, 0, [])
        three = by_no[3]
        assert (three.agree, three.disagree, three.unsure, three.total, three.pct_agree) == (2, 1, 1, 4, 50)
        assert [x["comment"] for x in three.comments] == ["ร้านค้าจะขายไม่ได้", "ดีมากค่ะ"]   # newest first
        assert three.section_title == "อาหารปลอดภัย"
        only = svc.results(s, r, clause_no=3, comments_per_clause=1)
        assert len(only) == 1 and [x["comment"] for x in only[0].comments] == ["ร้านค้าจะขายไม่ได้"]


def test_pct_agree_rounds_to_a_whole_percent(db, tmp_path, now):
    with db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        clause = svc.get_clause(s, c, 1)
        for i, stance in enumerate(["agree", "agree", "disagree"]):
            svc.record_stance(s, make_user(s, f"U{i}"), clause, stance, None, now)
        assert svc.tally(s, clause, r)["pct_agree"] == 67


def test_participants_and_users_without_feedback(db, tmp_path, now):
    with db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        gave = make_user(s, "Ugave")
        silent = make_user(s, "Usilent")
        make_user(s, "Unoconsent", consent=False)
        gone = make_user(s, "Ugone")
        gone.is_active = False
        other = Community(code="BK01", name="ชุมชนบึงกุ่ม", district="บึงกุ่ม")
        s.add(other)
        s.flush()
        elsewhere = make_user(s, "Uelsewhere")
        elsewhere.community_id = other.id
        svc.record_stance(s, gave, svc.get_clause(s, c, 1), "agree", None, now)
        svc.record_stance(s, gave, svc.get_clause(s, c, 2), "agree", None, now)
        assert [u.line_user_id for u in svc.participants(s, r)] == ["Ugave"]
        assert [u.line_user_id for u in svc.users_without_feedback(s, r)] == [silent.line_user_id]


# --- concurrency ---------------------------------------------------------------------------------

def test_two_stances_by_the_same_user_at_once_leave_one_row(any_db, tmp_path, now, monkeypatch):
    """Both requests find no row and insert; the loser's insert does nothing (ON CONFLICT) and turns into a replace."""
    with any_db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        make_user(s, "U1")
        clause_id, round_id = svc.get_clause(s, c, 3).id, r.id

    if not any_db.is_sqlite:
        # Make both transactions look before either inserts (on SQLite, BEGIN IMMEDIATE serialises them).
        barrier = threading.Barrier(2)
        original = svc._find
        seen: set[int] = set()

        def find_then_wait(*args, **kwargs):
            row = original(*args, **kwargs)
            me = threading.get_ident()
            if row is None and me not in seen:
                seen.add(me)
                barrier.wait(timeout=10)
            return row

        monkeypatch.setattr(svc, "_find", find_then_wait)

    errors: list[BaseException] = []

    def tap(stance: str) -> None:
        try:
            with any_db.session() as s2:
                user = s2.scalar(select(svc.User).where(svc.User.line_user_id == "U1"))
                svc.record_stance(s2, user, svc.clause_by_id(s2, clause_id), stance, f"ความเห็นแบบ{stance}", now)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=tap, args=(st,)) for st in ("agree", "disagree")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with any_db.session(readonly=True) as s:
        rows = s.scalars(select(ClauseFeedback)).all()
        assert len(rows) == 1
        assert rows[0].stance in ("agree", "disagree") and rows[0].comment == f"ความเห็นแบบ{rows[0].stance}"
        counts = svc.tally(s, svc.clause_by_id(s, clause_id), svc.get_round(s, round_id))
        assert counts["total"] == 1


def test_many_users_at_once_are_all_counted(any_db, tmp_path, now):
    with any_db.session() as s:
        c, r = published_with_round(s, tmp_path, now)
        for i in range(8):
            make_user(s, f"U{i}")
        clause_id, round_id = svc.get_clause(s, c, 1).id, r.id

    def tap(i: int) -> None:
        with any_db.session() as s2:
            user = s2.scalar(select(svc.User).where(svc.User.line_user_id == f"U{i}"))
            svc.record_stance(s2, user, svc.clause_by_id(s2, clause_id), "agree" if i % 2 else "unsure", None, now)

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with any_db.session(readonly=True) as s:
        counts = svc.tally(s, svc.clause_by_id(s, clause_id), svc.get_round(s, round_id))
        assert counts == {"agree": 4, "disagree": 0, "unsure": 4, "total": 8, "pct_agree": 50}


def test_clause_numbers_without_feedback_are_written_as_ranges():
    from bot.handlers.charter import _number_ranges

    assert _number_ranges([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"
    assert _number_ranges([4]) == "4"
