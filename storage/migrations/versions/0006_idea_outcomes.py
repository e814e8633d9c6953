"""ideas: how many took part and what changed, recorded at completion (the One Report)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 17:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.add_column(sa.Column('reached_participants', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.drop_column('outcome')
        batch_op.drop_column('reached_participants')
