"""broadcast_photos: a picture staff send at an announcement's "แนบรูป" step, fetched from LINE and kept here

The announcement names it (broadcasts.photo_id) and links to it when it goes out.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'broadcast_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('message_id', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('content_type', sa.String(length=32), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('link_key', sa.String(length=32), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_try_at', storage.models.base.UTCDateTime(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
        sa.Column('stored_at', storage.models.base.UTCDateTime(), nullable=True),
        sa.Column('preview', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_broadcast_photos_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast_photos')),
    )
    op.create_index('ix_broadcast_photos_status_next_try_at', 'broadcast_photos', ['status', 'next_try_at'],
                    unique=False)
    with op.batch_alter_table('broadcasts') as batch_op:
        batch_op.add_column(sa.Column('photo_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_broadcasts_photo_id_broadcast_photos'), 'broadcast_photos',
                                    ['photo_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('broadcasts') as batch_op:
        batch_op.drop_constraint(op.f('fk_broadcasts_photo_id_broadcast_photos'), type_='foreignkey')
        batch_op.drop_column('photo_id')
    op.drop_index('ix_broadcast_photos_status_next_try_at', table_name='broadcast_photos')
    op.drop_table('broadcast_photos')
