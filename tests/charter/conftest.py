"""Charter test fixtures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import charter as svc
from bot.thaidate import now_utc
from tests.charter.helpers import SMALL_YAML, write


@pytest.fixture(autouse=True)
def _fresh_community_names():
    """The NLP bridge caches community names per process; start and leave each test with a clean cache."""
    from bot.nlp_bridge import forget_communities

    forget_communities()
    yield
    forget_communities()


@pytest.fixture
def published(harness, tmp_path):
    """The small charter (2 sections, clauses 1–5), published, with a round open now (real clock)."""
    now = now_utc()
    with harness.db.session() as s:
        c = svc.load_charter(s, write(tmp_path, "c.yaml", SMALL_YAML), now=now)
        svc.publish(s, c, now=now)
        r = svc.create_round(s, c, "รอบรับฟังความคิดเห็นครั้งที่ 1", now - timedelta(days=1), now + timedelta(days=7))
        return c.id, r.id
