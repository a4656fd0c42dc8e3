"""review

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 02:39:01.697723
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name=op.f("fk_feedback_conversation_id_conversations")
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"], name=op.f("fk_feedback_neighbourhood_id_neighbourhoods")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_feedback_conversation_id")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_created_at"), ["created_at"], unique=False)

    op.create_table(
        "quality_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("answered_in_time", sa.Boolean(), nullable=False),
        sa.Column("right_handoff", sa.Boolean(), nullable=False),
        sa.Column("good_tone", sa.Boolean(), nullable=False),
        sa.Column("secrecy_kept", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversations.id"], name=op.f("fk_quality_reviews_conversation_id_conversations")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["staff_users.id"], name=op.f("fk_quality_reviews_reviewer_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_reviews")),
    )
    with op.batch_alter_table("quality_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quality_reviews_conversation_id"), ["conversation_id"], unique=False)

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_hold", sa.Boolean(), server_default=sa.text("(false)"), nullable=False))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flags", sa.Text(), server_default="[]", nullable=False))

    # The audit log is append-only: the database refuses UPDATE and DELETE on it, whatever the
    # application does. Only a schema owner removing these triggers (itself visible) can change it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("flags")

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
        batch_op.drop_column("legal_hold")

    with op.batch_alter_table("quality_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_reviews_conversation_id"))

    op.drop_table("quality_reviews")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_created_at"))

    op.drop_table("feedback")
