"""idea_drafts: an idea left half-way, kept a week so its submitter can go on with it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:30:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'idea_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('saved_at', storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idea_drafts_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_drafts')),
        sa.UniqueConstraint('user_id', name=op.f('uq_idea_drafts_user_id')),
    )


def downgrade() -> None:
    op.drop_table('idea_drafts')
