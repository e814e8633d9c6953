"""Shared fixtures.

`db` is a fresh database (SQLite, or PostgreSQL with TEST_DB=postgresql); `any_db` runs a test on both.
`app`/`client` is the real app wired to a stand-in LINE API (`fake_line`) over HTTP; `chat` makes
dialogue helpers (see tests/support/chat.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from bot.config import Settings
from bot.thaidate import BKK
from storage.db import Database
from tests.support.databases import default_kind, fresh_database

SECRET = "test-channel-secret"
TOKEN = "test-access-token"


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    with fresh_database(default_kind(), tmp_path) as database:
        yield database


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path) -> Iterator[Database]:
    """Runs the test once on SQLite and once on PostgreSQL (skipped with a reason if unreachable)."""
    with fresh_database(request.param, tmp_path) as database:
        yield database


@pytest.fixture
def now() -> datetime:
    """A fixed 'now' for rules that depend on time: Sunday 29 Nov 2026, 10:00 Bangkok."""
    return datetime(2026, 11, 29, 10, 0, tzinfo=BKK)


@pytest.fixture(scope="session")
def fake_line_server():
    from bot.simulator.fake_line import FakeLineServer

    with FakeLineServer(access_token=TOKEN) as server:
        yield server


@pytest.fixture
def fake_line(fake_line_server):
    fake_line_server.store.reset()
    fake_line_server.store.configure(latency_s=0.0, fail_rate=0.0)
    yield fake_line_server
    errors = list(fake_line_server.store.errors)
    assert not errors, f"the bot sent requests LINE would refuse: {errors[:3]}"


@pytest.fixture
def settings(db, fake_line) -> Settings:
    return Settings(channel_secret=SECRET, channel_access_token=TOKEN, line_api_base_url=fake_line.base_url,
                    line_data_api_base_url=fake_line.base_url, database_url=db.url, process_threads=2,
                    send_threads=8)


@pytest.fixture
def app(settings, db):
    from bot.app import create_app

    application = create_app(settings, db=db)
    yield application
    application.extensions["ruamkan.processor"].shutdown()
    application.extensions["ruamkan.sender"].shutdown()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def harness(app, client, fake_line, db):
    from tests.support.chat import Harness

    return Harness(app=app, client=client, fake=fake_line, db=db, secret=SECRET)


@pytest.fixture
def chat(harness) -> Callable[..., object]:
    """chat("U1", role="staff", consent=True, community="ชุมชน…", name="…") → a Chat."""
    from bot.services import users
    from storage.models import Community
    from tests.support.chat import Chat

    def make(user_id: str = "U" + "1" * 32, *, role: str | None = None, consent: bool = True,
             community: str | None = None, name: str | None = None, group_id: str | None = None) -> Chat:
        with harness.db.session() as session:
            user = users.ensure_user(session, user_id, name or f"ผู้ใช้ {user_id[-4:]}")
            if consent:
                users.give_consent(session, user)
            if role:
                users.set_role(session, user, role)
            if community:
                from sqlalchemy import select

                found = session.scalar(select(Community).where(Community.name == community))
                if found is None:
                    found = Community(code=f"T{abs(hash(community)) % 10000}", name=community)
                    session.add(found)
                    session.flush()
                users.set_community(session, user, found)
        harness.fake.store.set_profile(user_id, name or f"ผู้ใช้ {user_id[-4:]}")
        return Chat(harness=harness, user_id=user_id, group_id=group_id)

    return make
