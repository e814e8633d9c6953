"""idea_photos: the picture attached to an idea, fetched from LINE and kept here (staff see it on the card)

Ideas that already name a picture get a row to fetch (LINE may still have it); their submitters are not
told if it cannot be had.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 03:00:00
"""
import secrets
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import storage.models.base


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    photos = op.create_table(
        'idea_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('content_type', sa.String(length=32), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('link_key', sa.String(length=32), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_try_at', storage.models.base.UTCDateTime(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('staff_notice', sa.JSON(), nullable=True),
        sa.Column('tell_submitter', sa.Boolean(), nullable=False),
        sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
        sa.Column('stored_at', storage.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_photos_idea_id_ideas')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_photos')),
        sa.UniqueConstraint('idea_id', name=op.f('uq_idea_photos_idea_id')),
    )
    op.create_index('ix_idea_photos_status_next_try_at', 'idea_photos', ['status', 'next_try_at'], unique=False)
    named = op.get_bind().execute(sa.text(
        "SELECT id, photo_message_id FROM ideas WHERE photo_message_id IS NOT NULL AND photo_message_id <> ''"))
    now = datetime.now(UTC)
    rows = [{"idea_id": idea_id, "message_id": message_id, "status": "pending", "link_key": secrets.token_hex(8),
             "attempts": 0, "next_try_at": now, "tell_submitter": False, "created_at": now}
            for idea_id, message_id in named]
    if rows:
        op.bulk_insert(photos, rows)


def downgrade() -> None:
    op.drop_index('ix_idea_photos_status_next_try_at', table_name='idea_photos')
    op.drop_table('idea_photos')
