"""Indexes for the lookups made per message: one's ideas, sign-ups and stances, an idea's timeline, a community's
ideas and members, staff, an announcement's progress, and the inbox's pending events in order

Without them PostgreSQL read these tables whole on every such message (seen in pg_stat_user_tables during the
mixed benchmark); the cost grew with the tables. The inbox's claim read every row ever pending.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

PLAIN = (
    ('ix_ideas_user_id', 'ideas', ['user_id']),
    ('ix_ideas_community_status', 'ideas', ['community_id', 'status']),
    ('ix_ideas_status_changed', 'ideas', ['status', 'status_changed_at']),
    ('ix_idea_events_idea_id', 'idea_events', ['idea_id']),
    ('ix_signups_user_status', 'signups', ['user_id', 'status']),
    ('ix_clause_feedback_user_id', 'clause_feedback', ['user_id']),
    ('ix_users_community_id', 'users', ['community_id']),
    ('ix_users_role', 'users', ['role']),
)
BROADCAST_ROWS = sa.text('broadcast_id IS NOT NULL')
PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    for name, table, columns in PLAIN:
        op.create_index(name, table, columns, unique=False)
    op.create_index('ix_outbox_broadcast_status', 'outbox', ['broadcast_id', 'status'], unique=False,
                    postgresql_where=BROADCAST_ROWS, sqlite_where=BROADCAST_ROWS)
    op.create_index('ix_webhook_events_pending', 'webhook_events', ['id'], unique=False,
                    postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade() -> None:
    op.drop_index('ix_webhook_events_pending', table_name='webhook_events', postgresql_where=PENDING,
                  sqlite_where=PENDING)
    op.drop_index('ix_outbox_broadcast_status', table_name='outbox',
                  postgresql_where=BROADCAST_ROWS, sqlite_where=BROADCAST_ROWS)
    for name, table, _ in reversed(PLAIN):
        op.drop_index(name, table_name=table)
