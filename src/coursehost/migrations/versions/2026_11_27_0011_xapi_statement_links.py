"""xapi statement links: the course versions each statement belongs to, and each version's activity ids

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 21:00:00

Versions that exist already get their activity ids here, computed from what their rows hold (xapi_activity_id and
the stored activity tree) by the rule of ``coursehost.courses.activity_ids.version_activity_ids``, repeated here so
that this revision keeps meaning what it meant when it was written. Statements cannot exist yet, so no link does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

courses = sa.table("courses", sa.column("pk", sa.Integer), sa.column("app_pk", sa.Integer))
versions = sa.table(
    "course_versions",
    sa.column("pk", sa.Integer),
    sa.column("course_pk", sa.Integer),
    sa.column("learning_standard", sa.String),
    sa.column("xapi_activity_id", sa.Text),
    sa.column("root_activity", sa.JSON),
)
version_activities = sa.table(
    "xapi_version_activities",
    sa.column("version_pk", sa.Integer),
    sa.column("activity_id", sa.String),
    sa.column("app_pk", sa.Integer),
    sa.column("course_pk", sa.Integer),
)
ACTIVITY_ID_MAX_BYTES = 2048


def activity_ids(standard: str, course_iri: str | None, root: Any) -> set[str]:
    found = {course_iri} if course_iri else set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):  # a JSON column read without its type (some drivers give text)
            node = json.loads(node)
        if not isinstance(node, Mapping):
            continue
        stack.extend(node.get("children") or ())
        item = node.get("itemIdentifier")
        if not isinstance(item, str) or not item:
            continue
        if standard in ("CMI5", "XAPI"):
            found.add(item)
        elif node.get("activityType") == "SCO" and course_iri:
            found.add(f"{course_iri}/{quote(item, safe='')}")
    return {i for i in found if len(i.encode("utf-8", "surrogatepass")) <= ACTIVITY_ID_MAX_BYTES}


def backfill() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            versions.c.pk,
            versions.c.course_pk,
            courses.c.app_pk,
            versions.c.learning_standard,
            versions.c.xapi_activity_id,
            versions.c.root_activity,
        ).join(courses, courses.c.pk == versions.c.course_pk)
    ).all()
    for version_pk, course_pk, app_pk, standard, iri, root in rows:
        values = [
            {"version_pk": version_pk, "activity_id": i, "app_pk": app_pk, "course_pk": course_pk}
            for i in sorted(activity_ids(standard, iri, root))
        ]
        if values:
            connection.execute(sa.insert(version_activities), values)


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
        sa.Column("learner", sa.String(length=256), nullable=True),
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
    op.create_index(
        "ix_xapi_statement_links_course_learner",
        "xapi_statement_links",
        ["course_pk", "learner", "stored", "statement_pk"],
    )
    op.create_index(
        "ix_xapi_statement_links_version_learner",
        "xapi_statement_links",
        ["version_pk", "learner", "stored", "statement_pk"],
    )
    backfill()


def downgrade() -> None:
    op.drop_table("xapi_statement_links")
    op.drop_table("xapi_version_activities")
