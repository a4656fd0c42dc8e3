"""duty grants: duty in another region needs a supervisor's time-limited grant, unless the
neighbourhood is shared

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("neighbourhoods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.create_table(
        "duty_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["granted_by"], ["staff_users.id"], name=op.f("fk_duty_grants_granted_by_staff_users")),
        sa.ForeignKeyConstraint(["revoked_by"], ["staff_users.id"], name=op.f("fk_duty_grants_revoked_by_staff_users")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"], name=op.f("fk_duty_grants_staff_id_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_grants")),
    )
    op.create_index(op.f("ix_duty_grants_region"), "duty_grants", ["region"], unique=False)
    op.create_index("ix_duty_grants_staff_region", "duty_grants", ["staff_id", "region"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_duty_grants_staff_region", table_name="duty_grants")
    op.drop_index(op.f("ix_duty_grants_region"), table_name="duty_grants")
    op.drop_table("duty_grants")
    with op.batch_alter_table("neighbourhoods", schema=None) as batch_op:
        batch_op.drop_column("shared")
