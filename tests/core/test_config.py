"""Settings read from the environment."""

import pytest

from bot.config import Settings


@pytest.mark.parametrize(("url", "explicit", "expected"), [
    ("sqlite:///instance/ruamkan.db", None, 1),  # one write turn: more processes only queue for it
    ("postgresql+psycopg://postgres@127.0.0.1/test", None, 2),
    ("sqlite:///instance/ruamkan.db", "3", 3),
])
def test_event_processes_follow_the_store_unless_set(monkeypatch, url, explicit, expected):
    monkeypatch.setenv("DATABASE_URL", url)
    if explicit is None:
        monkeypatch.delenv("RUAMKAN_EVENT_PROCESSES", raising=False)
    else:
        monkeypatch.setenv("RUAMKAN_EVENT_PROCESSES", explicit)
    assert Settings.from_env().event_processes == expected
