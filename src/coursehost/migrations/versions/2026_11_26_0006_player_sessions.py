"""player sessions: short-lived preview sessions and their run-time snapshots

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-26 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "player_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("version_pk", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_player_sessions_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["course_versions.pk"],
            name=op.f("fk_player_sessions_version_pk_course_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_player_sessions")),
    )
    with op.batch_alter_table("player_sessions") as batch_op:
        batch_op.create_index(batch_op.f("ix_player_sessions_expires"), ["expires"], unique=False)
        batch_op.create_index(batch_op.f("ix_player_sessions_version_pk"), ["version_pk"], unique=False)
    op.create_table(
        "player_runtime",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("activity", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["player_sessions.id"],
            name=op.f("fk_player_runtime_session_id_player_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "activity", name=op.f("pk_player_runtime")),
    )


def downgrade() -> None:
    op.drop_table("player_runtime")
    with op.batch_alter_table("player_sessions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_player_sessions_version_pk"))
        batch_op.drop_index(batch_op.f("ix_player_sessions_expires"))
    op.drop_table("player_sessions")
