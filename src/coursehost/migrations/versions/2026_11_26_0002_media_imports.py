"""media imports: job file name and metadata, version package kind

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_jobs") as batch_op:
        batch_op.add_column(sa.Column("file_name", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("media_metadata", sa.JSON(), nullable=True))
    with op.batch_alter_table("course_versions") as batch_op:
        batch_op.add_column(sa.Column("package_kind", sa.String(length=16), server_default="scorm", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("course_versions") as batch_op:
        batch_op.drop_column("package_kind")
    with op.batch_alter_table("import_jobs") as batch_op:
        batch_op.drop_column("media_metadata")
        batch_op.drop_column("file_name")
