"""xapi documents: state, activity profile and agent profile documents

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_documents",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=True),
        sa.Column("agent_key", sa.String(length=512), nullable=True),
        sa.Column("registration", sa.String(length=36), nullable=True),
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_xapi_documents_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_xapi_documents")),
        sa.UniqueConstraint("app_pk", "kind", "scope", "document_id", name="uq_xapi_documents_scope_id"),
    )
    op.create_index("ix_xapi_documents_scope_updated", "xapi_documents", ["app_pk", "kind", "scope", "updated"])
    op.create_index("ix_xapi_documents_agent_updated", "xapi_documents", ["app_pk", "kind", "agent_key", "updated"])


def downgrade() -> None:
    op.drop_table("xapi_documents")
