"""The demo/reference YAML is consistent, and load_demo fills a fresh database exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.demo_data import DEMO_FILES, load_demo, read_demo_yaml
from bot.services import charter as charters
from bot.services.charter_io import CharterData, ClauseData, SectionData
from storage.models import (
    IDEA_STATUSES,
    Activity,
    Charter,
    CharterClause,
    CharterSection,
    Community,
    HearingRound,
    Idea,
    IdeaEvent,
    User,
)

TOPIC_KEYS = {
    "tobacco", "alcohol_drugs", "food", "physical_activity",
    "road_safety", "mental_health", "environment", "emerging",
}


@pytest.fixture(scope="module")
def ref() -> dict:
    return read_demo_yaml("reference")


def _keys(ref: dict, kind: str) -> set[str]:
    return {row["key"] for row in ref[kind]}


@pytest.mark.parametrize("name", DEMO_FILES)
def test_every_demo_file_parses(name):
    assert read_demo_yaml(name) == read_demo_yaml(f"{name}.yaml")
    assert read_demo_yaml(name)


def test_reference_lists(ref):
    assert _keys(ref, "topics") == TOPIC_KEYS
    for topic in ref["topics"]:
        assert topic["name"] and topic["emoji"]
        assert 0 < len(topic["short"]) <= 12, topic["short"]
    assert len(_keys(ref, "target_groups")) == 7
    assert _keys(ref, "funding_sources") == {"bkk_health_fund", "strong_community", "thaihealth", "unsure"}
    assert set(ref["idea_statuses"]) == set(IDEA_STATUSES)
    assert all(ref["idea_statuses"].values())


def test_lat_phrao_communities_are_unique_and_inside_the_district():
    data = read_demo_yaml("communities")
    rows = data["communities"]
    assert data["district"] == "ลาดพร้าว"
    assert len(rows) >= 30
    assert len({r["name"] for r in rows}) == len(rows)
    assert len({r["code"] for r in rows}) == len(rows)
    for r in rows:
        assert r["name"].startswith("ชุมชน")
        assert r["code"].startswith("LP")
        assert 13.79 <= r["lat"] <= 13.85 and 100.57 <= r["lng"] <= 100.64, r["name"]


def test_charter_clauses_are_numbered_one_to_n(ref):
    charter = read_demo_yaml("charter")
    assert 6 <= len(charter["sections"]) <= 9
    assert [s["no"] for s in charter["sections"]] == list(range(1, len(charter["sections"]) + 1))
    numbers = [c["no"] for s in charter["sections"] for c in s["clauses"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert 20 <= len(numbers) <= 30
    for section in charter["sections"]:
        assert section["topic"] is None or section["topic"] in TOPIC_KEYS
        for clause in section["clauses"]:
            assert 0 < len(clause["text"]) <= 300
    assert charter["demo_notice"]
    for rnd in charter["rounds"]:
        assert rnd["opens_in_days"] < rnd["closes_in_days"]


def test_activities_use_known_keys_and_communities(ref):
    names = {r["name"] for r in read_demo_yaml("communities")["communities"]}
    rows = read_demo_yaml("activities")["activities"]
    assert 20 <= len(rows) <= 30
    assert len({(r["title"], r["community"]) for r in rows}) == len(rows)
    for r in rows:
        assert len(r["title"]) <= 40, r["title"]
        assert r["community"] is None or r["community"] in names, r["community"]
        assert r["topic"] is None or r["topic"] in TOPIC_KEYS
        assert r["target_group"] in _keys(ref, "target_groups")
        assert 0 <= r["day_offset"] <= 28
        assert r["capacity"] > 0 and r["duration_minutes"] > 0
    assert any(r["community"] is None for r in rows), "some activities are district-wide"
    assert any(2 <= r["capacity"] <= 5 for r in rows), "some are small enough to show the waitlist"


def test_ideas_use_known_keys_and_communities(ref):
    names = {r["name"] for r in read_demo_yaml("communities")["communities"]}
    rows = read_demo_yaml("ideas")["ideas"]
    assert 10 <= len(rows) <= 15
    for r in rows:
        assert r["community"] in names
        assert r["topic"] in TOPIC_KEYS
        assert r["target_group"] in _keys(ref, "target_groups")
        assert r["funding_source"] in _keys(ref, "funding_sources")
        assert r["status"] in ref["idea_statuses"]
        assert isinstance(r["budget"], int) and r["budget"] > 0
        assert r["problem"] and r["plan"]
    assert {r["status"] for r in rows} == set(IDEA_STATUSES), "every status can be shown in a demo"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_load_demo_fills_a_fresh_database_once(db, now):
    communities = read_demo_yaml("communities")["communities"]
    charter = read_demo_yaml("charter")
    activities = read_demo_yaml("activities")["activities"]
    ideas = read_demo_yaml("ideas")["ideas"]
    n_clauses = sum(len(s["clauses"]) for s in charter["sections"])

    with db.session() as s:
        first = load_demo(s, now)
    assert first["communities"] == len(communities)
    assert first["charters"] == 1
    assert first["charter_sections"] == len(charter["sections"])
    assert first["charter_clauses"] == n_clauses
    assert first["hearing_rounds"] == len(charter["rounds"])
    assert first["activities"] == len(activities)
    assert first["ideas"] == len(ideas)

    with db.session() as s:
        second = load_demo(s, now + timedelta(days=3))
    assert set(second.values()) == {0}

    with db.session(readonly=True) as s:
        assert _count(s, Community) == len(communities)
        assert _count(s, Charter) == 1
        assert _count(s, CharterSection) == len(charter["sections"])
        assert _count(s, CharterClause) == n_clauses
        assert _count(s, HearingRound) == len(charter["rounds"])
        assert _count(s, Activity) == len(activities)
        assert _count(s, Idea) == len(ideas)
        assert _count(s, IdeaEvent) == first["idea_events"]
        assert _count(s, User) == first["users"]


def test_most_demo_activities_say_what_they_cost(db, now):
    """The demo shows the fee on the cards: most activities free, a few exercise or craft classes 20–30 baht, and a
    few that do not say (so "ไม่ได้บอกเรื่องค่าใช้จ่าย" can be shown too)."""
    with db.session() as s:
        load_demo(s, now)
    with db.session(readonly=True) as s:
        fees = {a.title: a.fee_baht for a in s.scalars(select(Activity))}
    stated = [fee for fee in fees.values() if fee is not None]
    assert len(stated) >= len(fees) * 3 // 4 and stated.count(0) > len(stated) // 2
    assert fees["ยางยืดเพื่อสุขภาพในอาคารสูง"] == 20 and fees["แอโรบิกยามเช้าผู้สูงอายุ"] == 0
    assert None in fees.values()


def test_loaded_demo_is_usable_right_away(db, now):
    with db.session() as s:
        load_demo(s, now)
    with db.session(readonly=True) as s:
        rnd = s.scalars(select(HearingRound)).one()
        assert rnd.opens_at <= now < rnd.closes_at, "the demo hearing round is open"
        assert s.scalars(select(Charter)).one().status == "published"
        for act in s.scalars(select(Activity)):
            assert now < act.starts_at <= now + timedelta(days=29)
            assert act.ends_at > act.starts_at
            assert act.signup_deadline is None or act.signup_deadline > now, act.title
        for idea in s.scalars(select(Idea)):
            assert idea.events[-1].to_status == idea.status
            assert idea.created_at <= idea.status_changed_at < now
            # The funding stage shows in the demo: ideas past approval say what they were granted.
            funded = idea.status in ("approved", "in_progress", "completed")
            assert (idea.granted_budget is not None) == funded, idea.title
            # And the One Report's results show: completed ideas say how many took part and what changed.
            assert (idea.reached_participants is not None and bool(idea.outcome)) == (idea.status == "completed")
        bank = s.scalars(select(Idea).where(Idea.title == "ธนาคารขยะร่วมใจ")).one()
        assert (bank.granted_fund, bank.granted_budget, bank.budget) == ("strong_community", 70_000, 85_000)
        # The placeholder owners of demo ideas must never receive pushes.
        assert all(not u.is_active for u in s.scalars(select(User)))


@pytest.mark.parametrize("name", DEMO_FILES)
def test_plain_safe_load_reads_the_same_keys(name):
    """Other readers use yaml.safe_load (YAML 1.1): no key may turn into a boolean there."""
    from importlib import resources

    import yaml

    def keys(node):
        if isinstance(node, dict):
            for k, v in node.items():
                yield k
                yield from keys(v)
        elif isinstance(node, list):
            for v in node:
                yield from keys(v)

    text = resources.files("storage.demo").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    assert all(isinstance(k, str) for k in keys(yaml.safe_load(text)))
    assert yaml.safe_load(text) == read_demo_yaml(name)


def test_demo_charter_is_not_mixed_into_or_published_over_a_districts_own_charter(db, now):
    own = CharterData(district="ลาดพร้าว", title="ธรรมนูญสุขภาพเขตลาดพร้าว พ.ศ. 2569", sections=[
        SectionData(no=1, title="ขยับกายทุกวัย", topic="physical_activity",
                    clauses=[ClauseData(no=1, text="ทุกชุมชนมีลานออกกำลังกายที่ปลอดภัย")])])
    with db.session() as s:
        charters.publish(s, charters.load_charter(s, own, now=now), now=now)
    with db.session() as s:
        counts = load_demo(s, now)
    assert (counts["charters"], counts["charter_sections"], counts["charter_clauses"],
            counts["hearing_rounds"]) == (0, 0, 0, 0)
    assert counts["communities"] and counts["activities"] and counts["ideas"]  # the rest is still loaded
    with db.session(readonly=True) as s:
        (charter,) = s.scalars(select(Charter)).all()
        assert (charter.title, charter.status, charter.demo_notice) == (own.title, "published", None)
        assert [c.text for c in s.scalars(select(CharterClause))] == ["ทุกชุมชนมีลานออกกำลังกายที่ปลอดภัย"]
        assert _count(s, CharterSection) == 1 and _count(s, HearingRound) == 0
