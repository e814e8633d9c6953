"""Settings read from the environment."""

import pytest

from bot.config import Settings


@pytest.mark.parametrize(("explicit", "expected"), [(None, 1), ("3", 3)])
def test_one_event_process_unless_more_are_asked_for(monkeypatch, explicit, expected):
    if explicit is None:
        monkeypatch.delenv("RUAMKAN_EVENT_PROCESSES", raising=False)
    else:
        monkeypatch.setenv("RUAMKAN_EVENT_PROCESSES", explicit)
    assert Settings.from_env().event_processes == expected
