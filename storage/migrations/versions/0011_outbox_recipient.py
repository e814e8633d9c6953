"""outbox.recipient: a push's one recipient, indexed (pushes only), to find the last push to someone

Pushes sent in the last day get theirs from the row's recipient list, so an answer typed to a push just
before the upgrade is still read as its answer; older rows keep none (they are past the reply window).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 06:30:00
"""
import json
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa
import storage.models.base


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

RECENT = timedelta(days=1)
"""pushed.REPLY_WINDOW: how far back an answer can reach."""


def upgrade() -> None:
    op.add_column('outbox', sa.Column('recipient', sa.String(length=64), nullable=True))
    op.create_index('ix_outbox_recipient_sent', 'outbox', ['recipient', 'sent_at'], unique=False,
                    postgresql_where=sa.text('recipient IS NOT NULL'), sqlite_where=sa.text('recipient IS NOT NULL'))
    bind = op.get_bind()
    recent = bind.execute(
        sa.text("SELECT id, \"to\" FROM outbox WHERE kind = 'push' AND sent_at >= :since")
        .bindparams(sa.bindparam("since", type_=storage.models.base.UTCDateTime())),
        {"since": datetime.now(UTC) - RECENT}).all()
    filled = []
    for row_id, to in recent:
        to = json.loads(to) if isinstance(to, str) else to
        if isinstance(to, list) and to and isinstance(to[0], str):
            filled.append({"id": row_id, "recipient": to[0][:64]})
    if filled:
        bind.execute(sa.text("UPDATE outbox SET recipient = :recipient WHERE id = :id"), filled)


def downgrade() -> None:
    op.drop_index('ix_outbox_recipient_sent', table_name='outbox',
                  postgresql_where=sa.text('recipient IS NOT NULL'), sqlite_where=sa.text('recipient IS NOT NULL'))
    op.drop_column('outbox', 'recipient')
