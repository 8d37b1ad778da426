"""shared failed-authentication limits: recent failures and recently trusted addresses of every process

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_failures",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("at", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_failures")),
    )
    op.create_index("ix_auth_failures_key_at", "auth_failures", ["key", "at"])
    op.create_index(op.f("ix_auth_failures_at"), "auth_failures", ["at"])
    op.create_table(
        "auth_trust",
        sa.Column("app_id", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=160), nullable=False),
        sa.Column("seen", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "address", name=op.f("pk_auth_trust")),
    )
    op.create_index(op.f("ix_auth_trust_seen"), "auth_trust", ["seen"])


def downgrade() -> None:
    op.drop_index(op.f("ix_auth_trust_seen"), table_name="auth_trust")
    op.drop_table("auth_trust")
    op.drop_index(op.f("ix_auth_failures_at"), table_name="auth_failures")
    op.drop_index("ix_auth_failures_key_at", table_name="auth_failures")
    op.drop_table("auth_failures")
