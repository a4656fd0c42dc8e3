"""room nicknames: a nickname (by its confusable skeleton) belongs to one young person in a room
while they keep posting there

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 22:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_nicknames",
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("skeleton", sa.String(length=255), nullable=False),
        sa.Column("youth_id", sa.String(length=32), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"], name=op.f("fk_room_nicknames_neighbourhood_id_neighbourhoods")
        ),
        sa.PrimaryKeyConstraint("neighbourhood_id", "skeleton", name=op.f("pk_room_nicknames")),
    )


def downgrade() -> None:
    op.drop_table("room_nicknames")
