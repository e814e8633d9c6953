"""contact messages: what residents sent to the staff, and whether it was answered

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 06:40:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('answered_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('answered_by_user_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_user_id'], ['users.id'],
                            name=op.f('fk_contact_messages_answered_by_user_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contact_messages_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_messages'))
    )
    with op.batch_alter_table('contact_messages', schema=None) as batch_op:
        batch_op.create_index('ix_contact_messages_answered_created', ['answered_at', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contact_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_messages_answered_created')
    op.drop_table('contact_messages')
