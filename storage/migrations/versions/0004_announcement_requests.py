"""contact messages: a leader's request to announce keeps its community and text in columns of their own

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# How 0002/0003 kept a request to announce: this prefix, the community's name, ": ", then the text.
OLD_PREFIX = "📣 ขอให้ช่วยประกาศถึง"


def upgrade() -> None:
    with op.batch_alter_table('contact_messages') as batch_op:
        batch_op.add_column(sa.Column('announce_community_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('announce_text', sa.Text(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_contact_messages_announce_community_id_communities'),
                                    'communities', ['announce_community_id'], ['id'])
    # Requests kept before this revision: read the community and the text out of the kept line once.
    conn = op.get_bind()
    community_ids = {name: id_ for id_, name in conn.execute(sa.text("SELECT id, name FROM communities"))}
    kept = conn.execute(sa.text("SELECT id, text FROM contact_messages WHERE text LIKE :prefix"),
                        {"prefix": OLD_PREFIX + "%"}).all()
    for message_id, text in kept:
        name, _, announce = text.removeprefix(OLD_PREFIX).partition(": ")
        if name in community_ids and announce:
            conn.execute(sa.text("UPDATE contact_messages SET announce_community_id = :community, "
                                 "announce_text = :text WHERE id = :id"),
                         {"community": community_ids[name], "text": announce, "id": message_id})


def downgrade() -> None:
    with op.batch_alter_table('contact_messages') as batch_op:
        batch_op.drop_constraint(op.f('fk_contact_messages_announce_community_id_communities'), type_='foreignkey')
        batch_op.drop_column('announce_text')
        batch_op.drop_column('announce_community_id')
