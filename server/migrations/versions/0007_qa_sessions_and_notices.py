"""qa sessions and notices

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 04:53:01.327482
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("secrecy", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_comment", sa.String(length=500), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followup", sa.Text(), nullable=True),
        sa.Column("followup_secrecy", sa.Text(), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["approved_by"], ["staff_users.id"], name=op.f("fk_notices_approved_by_staff_users")),
        sa.ForeignKeyConstraint(["author_id"], ["staff_users.id"], name=op.f("fk_notices_author_id_staff_users")),
        sa.ForeignKeyConstraint(["closed_by"], ["staff_users.id"], name=op.f("fk_notices_closed_by_staff_users")),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"], name=op.f("fk_notices_neighbourhood_id_neighbourhoods")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_room_status", ["neighbourhood_id", "status"], unique=False)

    op.create_table(
        "qa_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["staff_users.id"], name=op.f("fk_qa_sessions_created_by_staff_users")),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"], name=op.f("fk_qa_sessions_neighbourhood_id_neighbourhoods")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_sessions")),
    )
    with op.batch_alter_table("qa_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_qa_sessions_room_starts", ["neighbourhood_id", "starts_at"], unique=False)

    op.create_table(
        "notice_tips",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("notice_id", sa.String(length=32), nullable=False),
        sa.Column("youth_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_tips_notice_id_notices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["youth_id"], ["youths.id"], name=op.f("fk_notice_tips_youth_id_youths")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_tips")),
        sa.UniqueConstraint("youth_id", "client_id", name="uq_notice_tips_youth_client"),
    )
    with op.batch_alter_table("notice_tips", schema=None) as batch_op:
        batch_op.create_index("ix_notice_tips_notice", ["notice_id", "created_at"], unique=False)

    op.create_table(
        "qa_hosts",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["qa_sessions.id"], name=op.f("fk_qa_hosts_session_id_qa_sessions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"], name=op.f("fk_qa_hosts_staff_id_staff_users")),
        sa.PrimaryKeyConstraint("session_id", "staff_id", name=op.f("pk_qa_hosts")),
    )
    op.create_table(
        "qa_questions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("youth_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("public_body", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["staff_users.id"], name=op.f("fk_qa_questions_answered_by_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["staff_users.id"], name=op.f("fk_qa_questions_reviewed_by_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["qa_sessions.id"], name=op.f("fk_qa_questions_session_id_qa_sessions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["youth_id"], ["youths.id"], name=op.f("fk_qa_questions_youth_id_youths")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_questions")),
        sa.UniqueConstraint("youth_id", "client_id", name="uq_qa_questions_youth_client"),
    )
    with op.batch_alter_table("qa_questions", schema=None) as batch_op:
        batch_op.create_index("ix_qa_questions_session_status", ["session_id", "status"], unique=False)

    op.create_table(
        "qa_votes",
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("youth_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["qa_questions.id"], name=op.f("fk_qa_votes_question_id_qa_questions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["youth_id"], ["youths.id"], name=op.f("fk_qa_votes_youth_id_youths")),
        sa.PrimaryKeyConstraint("question_id", "youth_id", name=op.f("pk_qa_votes")),
    )


def downgrade() -> None:
    op.drop_table("qa_votes")
    with op.batch_alter_table("qa_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_qa_questions_session_status")

    op.drop_table("qa_questions")
    op.drop_table("qa_hosts")
    with op.batch_alter_table("notice_tips", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_tips_notice")

    op.drop_table("notice_tips")
    with op.batch_alter_table("qa_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_qa_sessions_room_starts")

    op.drop_table("qa_sessions")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_room_status")

    op.drop_table("notices")
