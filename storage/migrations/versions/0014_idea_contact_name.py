"""ideas: the contact's name typed with the phone ("ติดต่อป้าแดง 081-…"), for staff only

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.drop_column('contact_name')
