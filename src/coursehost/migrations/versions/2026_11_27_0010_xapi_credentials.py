"""xapi credentials: SCORM Cloud's credentials for an application's LRS

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_credentials",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("info", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("auth", sa.String(length=16), nullable=False),
        sa.Column("permissions_level", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_xapi_credentials_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_xapi_credentials")),
        sa.UniqueConstraint("app_pk", "credential_id", name="uq_xapi_credentials_app_id"),
    )
    op.create_index(op.f("ix_xapi_credentials_app_pk"), "xapi_credentials", ["app_pk"])


def downgrade() -> None:
    op.drop_table("xapi_credentials")
