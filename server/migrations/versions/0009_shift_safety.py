"""shift safety: who held a chat before, since when it waits and its alerts; staff notes; saved replies

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_over_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_conversations_handed_over_from_staff_users"), "staff_users", ["handed_over_from"], ["id"]
        )
    # Chats waiting now have waited since they were opened.
    op.execute("UPDATE conversations SET waiting_since = created_at WHERE status = 'waiting'")

    op.create_table(
        "conversation_notes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["staff_users.id"], name=op.f("fk_conversation_notes_author_id_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name=op.f("fk_conversation_notes_conversation_id_conversations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_notes")),
        sa.UniqueConstraint("conversation_id", "author_id", "client_id", name="uq_conversation_notes_client"),
    )
    with op.batch_alter_table("conversation_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_notes_conversation_id"), ["conversation_id"], unique=False)

    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["staff_users.id"], name=op.f("fk_saved_replies_created_by_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_replies")),
    )
    with op.batch_alter_table("saved_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_replies_region"), ["region"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("saved_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_replies_region"))
    op.drop_table("saved_replies")
    with op.batch_alter_table("conversation_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_notes_conversation_id"))
    op.drop_table("conversation_notes")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_conversations_handed_over_from_staff_users"), type_="foreignkey")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("alerted_at")
        batch_op.drop_column("waiting_since")
        batch_op.drop_column("handed_over_from")
