"""The simulator's role switch shows the rich menu of the role, as redeeming a role code does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from bot import richmenu
from bot.config import Settings

SECRET = "sim-role-secret"
TOKEN = "sim-role-token"
USER = "U" + "6" * 32


@pytest.fixture
def served(db) -> Iterator[tuple[str, Any]]:
    """The real bot with the simulator, served over HTTP (its gateway calls its own stand-in LINE API)."""
    from bot.app import create_app

    holder: dict[str, Any] = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    settings = Settings(channel_secret=SECRET, channel_access_token=TOKEN, line_api_base_url=base + "/fake-line",
                        line_data_api_base_url=base + "/fake-line", database_url=db.url, simulator=True,
                        public_base_url=base, process_threads=1, send_threads=2)
    app = holder["app"] = create_app(settings, db=db)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, app
    finally:
        server.shutdown()
        app.extensions["ruamkan.processor"].shutdown()
        app.extensions["ruamkan.sender"].shutdown()


def menu_of(base: str, user_id: str) -> dict[str, Any] | None:
    return requests.get(base + "/simulator/api/richmenu", params={"user_id": user_id}, timeout=10).json()["richMenu"]


def test_setting_a_role_shows_that_roles_rich_menu(served) -> None:
    """Setting staff or leader through /simulator/api/role kept showing the resident menu."""
    base, app = served
    with app.app_context(), app.extensions["ruamkan.db"].session() as session:
        created = richmenu.setup(session, app.extensions["ruamkan.settings"], app.extensions["ruamkan.gateway"])
    assert menu_of(base, USER)["richMenuId"] == created["resident"]  # everyone's default
    for role, menu, bar in (("staff", "staff", "เมนู จนท."), ("leader", "leader", "เมนูแกนนำ"),
                            ("admin", "staff", "เมนู จนท."), ("resident", "resident", "เมนู ร่วมกัน")):
        answer = requests.post(base + "/simulator/api/role", json={"user_id": USER, "role": role}, timeout=30)
        assert answer.status_code == 200
        shown = menu_of(base, USER)
        assert (shown["chatBarText"], shown["richMenuId"]) == (bar, created[menu]), role
        assert answer.json().get("rich_menu") is True
    assert menu_of(base, "U" + "7" * 32)["richMenuId"] == created["resident"]  # others keep the default


def test_a_role_set_before_the_menus_are_uploaded_is_still_set(served) -> None:
    base, app = served
    answer = requests.post(base + "/simulator/api/role", json={"user_id": USER, "role": "staff"}, timeout=30)
    assert answer.status_code == 200
    from bot.services import users

    with app.extensions["ruamkan.db"].session(readonly=True) as session:
        assert users.get_user(session, USER).role == "staff"
    assert menu_of(base, USER) is None and answer.json().get("rich_menu") is False
