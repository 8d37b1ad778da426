"""xapi launch tokens: the credentials and cmi5 session state of content launched by the preview player

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_launch_tokens",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("node", sa.Integer(), nullable=False),
        sa.Column("au_session", sa.String(length=36), nullable=True),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.JSON(), nullable=False),
        sa.Column("fetch_hash", sa.String(length=64), nullable=True),
        sa.Column("key", sa.String(length=64), nullable=True),
        sa.Column("secret_hash", sa.String(length=64), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_xapi_launch_tokens_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["player_sessions.id"],
            name=op.f("fk_xapi_launch_tokens_session_id_player_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_xapi_launch_tokens")),
        sa.UniqueConstraint("fetch_hash", name=op.f("uq_xapi_launch_tokens_fetch_hash")),
        sa.UniqueConstraint("key", name=op.f("uq_xapi_launch_tokens_key")),
    )
    op.create_index(op.f("ix_xapi_launch_tokens_session_id"), "xapi_launch_tokens", ["session_id"])


def downgrade() -> None:
    op.drop_table("xapi_launch_tokens")
