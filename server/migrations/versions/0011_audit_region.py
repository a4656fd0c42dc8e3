"""audit region: the region an entry is about, so that supervisors read their own region's log

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both backends (no table copy: the log's append-only triggers stay).
    # Entries written before have no region: only admins read them.
    op.add_column("audit_log", sa.Column("region", sa.String(length=120), nullable=True))
    op.create_index(op.f("ix_audit_log_region"), "audit_log", ["region"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_region"), table_name="audit_log")
    op.drop_column("audit_log", "region")
