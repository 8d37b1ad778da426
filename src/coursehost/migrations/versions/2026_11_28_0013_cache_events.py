"""cache events: how every process's caches learn of a change another process committed

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 12:00:00
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
        "cache_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cache_events")),
    )
    op.create_index(op.f("ix_cache_events_created"), "cache_events", ["created"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cache_events_created"), table_name="cache_events")
    op.drop_table("cache_events")
