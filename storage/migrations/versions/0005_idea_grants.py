"""ideas: the fund and the baht granted at approval (the One Plan's funding stage)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 15:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.add_column(sa.Column('granted_fund', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('granted_budget', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ideas') as batch_op:
        batch_op.drop_column('granted_budget')
        batch_op.drop_column('granted_fund')
