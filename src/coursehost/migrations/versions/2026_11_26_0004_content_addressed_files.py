"""content-addressed files: blobs per application and a file list per version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 16:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["applications.pk"], name=op.f("fk_blobs_app_pk_applications"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("app_pk", "sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "version_files",
        sa.Column("version_pk", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["course_versions.pk"],
            name=op.f("fk_version_files_version_pk_course_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_pk", "path", name=op.f("pk_version_files")),
    )
    with op.batch_alter_table("version_files") as batch_op:
        batch_op.create_index("ix_version_files_app_blob", ["app_pk", "sha256"], unique=False)
    # Files of versions imported before content addressing lived under a per-import prefix; coursehost had no
    # release with that layout, so those versions are not carried over (re-import them).
    with op.batch_alter_table("course_versions") as batch_op:
        batch_op.drop_column("storage_prefix")


def downgrade() -> None:
    with op.batch_alter_table("course_versions") as batch_op:
        batch_op.add_column(sa.Column("storage_prefix", sa.String(length=255), nullable=False, server_default=""))
    op.drop_table("version_files")
    op.drop_table("blobs")
