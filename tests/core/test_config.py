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


def test_the_simulator_talks_to_its_own_stand_in_unless_told_otherwise(monkeypatch):
    """Its token opens nothing at api.line.me: a console command run with RUAMKAN_SIMULATOR=1 (a broadcast,
    the rich menus) reaches the simulator's chat instead of failing against LINE."""
    for name in ("LINE_API_BASE_URL", "LINE_DATA_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:8011/")
    monkeypatch.setenv("RUAMKAN_SIMULATOR", "1")
    simulator = Settings.from_env()
    assert simulator.line_api_base_url == "http://127.0.0.1:8011/fake-line"
    assert simulator.line_data_api_base_url == "http://127.0.0.1:8011/fake-line"

    monkeypatch.setenv("LINE_API_BASE_URL", "http://elsewhere:9000/fake-line")
    assert Settings.from_env().line_api_base_url == "http://elsewhere:9000/fake-line"

    monkeypatch.delenv("LINE_API_BASE_URL")
    monkeypatch.delenv("RUAMKAN_SIMULATOR")
    production = Settings.from_env()
    assert production.line_api_base_url == "https://api.line.me"
    assert production.line_data_api_base_url == "https://api-data.line.me"


def test_a_console_command_in_the_simulator_does_not_upload_rich_menus(settings, db, caplog):
    """Only the serving process (`make run`) uploads them; a CLI command's app leaves them alone and
    its output is not buried under the scheduler's and Alembic's INFO lines."""
    import dataclasses
    import logging
    import threading

    from bot.app import create_app

    caplog.set_level(logging.INFO)
    app = create_app(dataclasses.replace(settings, simulator=True), db=db)
    try:
        assert "ruamkan.fake_line" in app.extensions  # the simulator is there
        assert not [t for t in threading.enumerate() if t.name == "rk-richmenu"]
        assert logging.getLogger("alembic.runtime.plugins").getEffectiveLevel() == logging.WARNING
        assert logging.getLogger("apscheduler").getEffectiveLevel() == logging.WARNING
    finally:
        app.extensions["ruamkan.processor"].shutdown()
        app.extensions["ruamkan.sender"].shutdown()
