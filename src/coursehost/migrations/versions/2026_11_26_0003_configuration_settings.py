"""configuration settings: explicit values at application, learning-standard, course and version level

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "configuration_settings",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("app_pk", sa.Integer(), nullable=False),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("learning_standard", sa.String(length=32), nullable=True),
        sa.Column("single_sco", sa.Boolean(), nullable=True),
        sa.Column("course_pk", sa.Integer(), nullable=True),
        sa.Column("version_pk", sa.Integer(), nullable=True),
        sa.Column("setting_id", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"],
            ["applications.pk"],
            name=op.f("fk_configuration_settings_app_pk_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_pk"], ["courses.pk"], name=op.f("fk_configuration_settings_course_pk_courses"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["course_versions.pk"],
            name=op.f("fk_configuration_settings_version_pk_course_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_configuration_settings")),
        sa.UniqueConstraint("app_pk", "scope_key", "setting_id", name="uq_configuration_settings_scope_setting"),
    )
    with op.batch_alter_table("configuration_settings") as batch_op:
        batch_op.create_index(batch_op.f("ix_configuration_settings_course_pk"), ["course_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_configuration_settings_version_pk"), ["version_pk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("configuration_settings") as batch_op:
        batch_op.drop_index(batch_op.f("ix_configuration_settings_version_pk"))
        batch_op.drop_index(batch_op.f("ix_configuration_settings_course_pk"))
    op.drop_table("configuration_settings")
