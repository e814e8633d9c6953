"""activities.fee_baht: what taking part costs, in baht (0 free; NULL not stated, as every activity before)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities') as batch_op:
        batch_op.add_column(sa.Column('fee_baht', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('activities') as batch_op:
        batch_op.drop_column('fee_baht')
