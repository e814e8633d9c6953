"""ideas: about how many people would take part (the One Plan's จำนวนผู้เข้าร่วม)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.add_column(sa.Column('participants', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.drop_column('participants')
