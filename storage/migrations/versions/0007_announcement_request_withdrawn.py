"""contact_messages: when the sender took a request to announce back (before staff announced it)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 20:30:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contact_messages') as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', storage.models.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contact_messages') as batch_op:
        batch_op.drop_column('withdrawn_at')
