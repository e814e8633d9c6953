"""The Alembic migrations build the schema the models describe, and carry kept data forward."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from storage.migrate import upgrade
from storage.models import Base
from tests.support.databases import empty_database


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_newest_migration_matches_the_models(kind, tmp_path):
    """A column added to a model without a migration (or the reverse) would break a deployed database."""
    with empty_database(kind, tmp_path) as db:
        upgrade(db)
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_requests_to_announce_kept_before_0004_can_still_be_announced(kind, tmp_path):
    """Before 0004 a leader's request was kept only as one line of text; the migration reads its community
    and text out of that line, so the staff's "ประกาศข้อความนี้" on an old request still works."""
    from bot.services import contact
    from bot.services.communities import forget_directory

    with empty_database(kind, tmp_path) as db:
        upgrade(db, "0003")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO communities (id, code, name, district, aliases, created_at) "
                              "VALUES (7, 'C7', 'ชุมชนโชคชัย 4', 'ลาดพร้าว', '[]', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO users (id, line_user_id, role, is_active, muted_categories, interests, "
                              "created_at) VALUES (1, 'U1', 'leader', :yes, '[]', '[]', CURRENT_TIMESTAMP)"),
                         {"yes": True})
            conn.execute(text("INSERT INTO contact_messages (id, user_id, text, created_at) VALUES "
                              "(1, 1, '📣 ขอให้ช่วยประกาศถึงชุมชนโชคชัย 4: เสาร์นี้มีตรวจสุขภาพฟรี: ที่ศาลา', "
                              "CURRENT_TIMESTAMP), (2, 1, 'ไฟถนนดับค่ะ', CURRENT_TIMESTAMP)"))
        upgrade(db)
        forget_directory()
        with db.session() as session:
            request = contact.announcement_request(session, "1")
            assert (request.community.name, request.text) == ("ชุมชนโชคชัย 4", "เสาร์นี้มีตรวจสุขภาพฟรี: ที่ศาลา")
            with pytest.raises(contact.ServiceError):
                contact.announcement_request(session, "2")  # an ordinary message is no request
        forget_directory()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_ideas_that_named_a_picture_before_0009_get_it_fetched_quietly(kind, tmp_path):
    """Before 0009 an idea kept only the LINE message id of its picture: 0009 queues each such picture to be
    fetched (LINE may still have it), without telling the submitter if it cannot be had any more."""
    from sqlalchemy import select

    from storage.models import IdeaPhoto

    with empty_database(kind, tmp_path) as db:
        upgrade(db, "0008")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO users (id, line_user_id, role, is_active, muted_categories, interests, "
                              "created_at) VALUES (1, 'U1', 'resident', :yes, '[]', '[]', CURRENT_TIMESTAMP)"),
                         {"yes": True})
            for idea_id, photo in ((1, "m-old-1"), (2, None)):
                conn.execute(text("INSERT INTO ideas (id, user_id, title, photo_message_id, status, "
                                  "status_changed_at, created_at, updated_at) VALUES (:id, 1, 'ลาน', :photo, "
                                  "'submitted', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                             {"id": idea_id, "photo": photo})
        upgrade(db)
        with db.session() as session:
            [photo] = session.scalars(select(IdeaPhoto)).all()
            assert (photo.idea_id, photo.message_id, photo.status, photo.tell_submitter, photo.staff_notice) == \
                (1, "m-old-1", "pending", False, None)
            assert photo.link_key


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_activities_kept_before_0013_say_nothing_of_a_fee(kind, tmp_path):
    """0013 (parent 0012) adds activities.fee_baht; an activity published before it is "not stated" (NULL), never
    "free", so residents asking are told the card does not say."""
    from storage.models import Activity

    with empty_database(kind, tmp_path) as db:
        upgrade(db, "0012")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO activities (id, title, starts_at, ends_at, capacity, status, "
                              "reminder_offsets_min, schedule_version, created_at, updated_at) VALUES (1, 'โยคะ', "
                              "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 20, 'published', '[]', 1, CURRENT_TIMESTAMP, "
                              "CURRENT_TIMESTAMP)"))
        upgrade(db)
        with db.session() as session:
            activity = session.get(Activity, 1)
            assert activity.fee_baht is None
            activity.fee_baht = 0
        with db.session(readonly=True) as session:
            assert session.get(Activity, 1).fee_baht == 0
