"""Charter test fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_community_names():
    """The NLP bridge caches community names per process; start and leave each test with a clean cache."""
    from bot.nlp_bridge import forget_communities

    forget_communities()
    yield
    forget_communities()
