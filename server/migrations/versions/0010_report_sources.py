"""report sources: the daily keyed hash of the sender's address and a fingerprint of the text,
to tell a burst of reports apart in the triage queue

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_hash", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("text_hash", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("text_hash")
        batch_op.drop_column("source_hash")
