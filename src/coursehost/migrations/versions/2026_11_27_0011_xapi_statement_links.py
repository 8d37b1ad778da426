"""xapi statement links: the course versions each statement belongs to, and each version's activity ids

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_version_activities",
        sa.Column("version_pk", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.String(length=2048), nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("course_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["course_versions.pk"],
            name=op.f("fk_xapi_version_activities_version_pk_course_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_pk", "activity_id", name=op.f("pk_xapi_version_activities")),
    )
    op.create_index("ix_xapi_version_activities_lookup", "xapi_version_activities", ["app_pk", "activity_id"])
    op.create_table(
        "xapi_statement_links",
        sa.Column("statement_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version_pk", sa.Integer(), nullable=False),
        sa.Column("course_pk", sa.Integer(), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_pk"], ["courses.pk"], name=op.f("fk_xapi_statement_links_course_pk_courses"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["statement_pk"],
            ["xapi_statements.pk"],
            name=op.f("fk_xapi_statement_links_statement_pk_xapi_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["course_versions.pk"],
            name=op.f("fk_xapi_statement_links_version_pk_course_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_pk", "version_pk", name=op.f("pk_xapi_statement_links")),
    )
    op.create_index("ix_xapi_statement_links_course", "xapi_statement_links", ["course_pk", "stored", "statement_pk"])
    op.create_index("ix_xapi_statement_links_version", "xapi_statement_links", ["version_pk", "stored", "statement_pk"])


def downgrade() -> None:
    op.drop_table("xapi_statement_links")
    op.drop_table("xapi_version_activities")
