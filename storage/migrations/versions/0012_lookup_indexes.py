"""PLACEHOLDER on branch staff-fee only: stands for the lead's 0012 (lookup indexes), being written in main.

It changes nothing; it is here so that 0013 has its parent. On merge, main's 0012_lookup_indexes.py replaces
this file (same name, same revision id).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:40:00
"""


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
