"""xapi activity ids: every course version carries one

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 12:00:00

Versions imported before this revision carry an ``xapi_activity_id`` only when their package named one (cmi5,
xAPI). The others get the derived form of ``coursehost.courses.activity_ids`` without the package identifier part:
the manifest that holds it is in content storage, which a migration does not reach. The form is repeated here so
that this revision keeps meaning what it meant when it was written.
"""

from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

applications = sa.table("applications", sa.column("pk", sa.Integer), sa.column("app_id", sa.String))
courses = sa.table(
    "courses", sa.column("pk", sa.Integer), sa.column("app_pk", sa.Integer), sa.column("course_id", sa.String)
)
versions = sa.table(
    "course_versions",
    sa.column("pk", sa.Integer),
    sa.column("course_pk", sa.Integer),
    sa.column("xapi_activity_id", sa.Text),
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(versions.c.pk, applications.c.app_id, courses.c.course_id)
        .select_from(versions.join(courses, courses.c.pk == versions.c.course_pk))
        .join(applications, applications.c.pk == courses.c.app_pk)
        .where(versions.c.xapi_activity_id.is_(None))
    ).all()
    for pk, app_id, course_id in rows:
        iri = "urn:coursehost:course:" + ":".join(quote(part, safe="") for part in (app_id, course_id))
        connection.execute(sa.update(versions).where(versions.c.pk == pk).values(xapi_activity_id=iri))


def downgrade() -> None:
    # Before this revision only ids a package named for itself were stored; derived ones all share the prefix.
    op.execute(
        sa.update(versions)
        .where(versions.c.xapi_activity_id.like("urn:coursehost:course:%"))
        .values(xapi_activity_id=None)
    )
