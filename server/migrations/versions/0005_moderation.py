"""moderation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 02:45:03.209427
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_settings",
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("slow_mode_seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"], name=op.f("fk_room_settings_neighbourhood_id_neighbourhoods")
        ),
        sa.PrimaryKeyConstraint("neighbourhood_id", name=op.f("pk_room_settings")),
    )
    op.create_table(
        "message_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("youth_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_message_flags_message_id_messages"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["youth_id"], ["youths.id"], name=op.f("fk_message_flags_youth_id_youths")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_flags")),
        sa.UniqueConstraint("message_id", "youth_id", name="uq_message_flags_message_youth"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("flag_count", sa.Integer(), server_default="0", nullable=False))

    with op.batch_alter_table("youths", schema=None) as batch_op:
        batch_op.add_column(sa.Column("muted_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("youths", schema=None) as batch_op:
        batch_op.drop_column("muted_until")

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("flag_count")
        batch_op.drop_column("hidden_at")

    op.drop_table("message_flags")
    op.drop_table("room_settings")
