"""xapi statements: the LRS's statements, the agents and activities each mentions, attachments, activity definitions

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_statements",
        sa.Column("pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verb_id", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("voids", sa.String(length=36), nullable=True),
        sa.Column("refers_to", sa.String(length=36), nullable=True),
        sa.Column("credential_pk", sa.Integer(), nullable=True),
        sa.Column("launch_id", sa.String(length=64), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_xapi_statements_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_xapi_statements")),
        sa.UniqueConstraint("app_pk", "statement_id", name="uq_xapi_statements_app_statement"),
    )
    op.create_index("ix_xapi_statements_app_stored", "xapi_statements", ["app_pk", "stored", "pk"])
    op.create_index("ix_xapi_statements_app_verb", "xapi_statements", ["app_pk", "verb_id", "stored", "pk"])
    op.create_index(
        "ix_xapi_statements_app_registration", "xapi_statements", ["app_pk", "registration", "stored", "pk"]
    )
    op.create_index("ix_xapi_statements_app_voids", "xapi_statements", ["app_pk", "voids"])
    for table, column, length in (
        ("xapi_statement_agents", "agent_key", 512),
        ("xapi_statement_activities", "activity_id", 2048),
    ):
        op.create_table(
            table,
            sa.Column("statement_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
            sa.Column(column, sa.String(length=length), nullable=False),
            sa.Column("direct", sa.Boolean(), nullable=False),
            sa.ForeignKeyConstraint(
                ["statement_pk"],
                ["xapi_statements.pk"],
                name=op.f(f"fk_{table}_statement_pk_xapi_statements"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("statement_pk", column, "direct", name=op.f(f"pk_{table}")),
        )
    op.create_index("ix_xapi_statement_agents_key", "xapi_statement_agents", ["agent_key", "direct", "statement_pk"])
    op.create_index(
        "ix_xapi_statement_activities_id", "xapi_statement_activities", ["activity_id", "direct", "statement_pk"]
    )
    op.create_table(
        "xapi_attachments",
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("sha2", sa.String(length=128), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_xapi_attachments_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("app_pk", "sha2", name=op.f("pk_xapi_attachments")),
    )
    op.create_table(
        "xapi_activities",
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.String(length=2048), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_xapi_activities_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("app_pk", "activity_id", name=op.f("pk_xapi_activities")),
    )


def downgrade() -> None:
    for table in ("xapi_activities", "xapi_attachments", "xapi_statement_activities", "xapi_statement_agents"):
        op.drop_table(table)
    op.drop_table("xapi_statements")
