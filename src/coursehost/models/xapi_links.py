"""Which course versions a statement belongs to, stamped when it is stored, so getCourseStatements and
getCourseVersionStatements are one indexed query each.

A statement belongs to a version when a launch of that version produced it, or when its object or a context
activity is one of the version's activities (``XapiVersionActivity``: the course's xapiActivityId, cmi5 AU and block
ids, SCO activity ids), whoever posted it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coursehost.models.base import Base
from coursehost.models.xapi_statements import StatementPk

# A learner key longer than this is stored as a digest (a learnerId is compared the same way), so any account name
# fits the indexed column.
LEARNER_MAX = 256


class XapiVersionActivity(Base):
    __tablename__ = "xapi_version_activities"
    __table_args__ = (Index("ix_xapi_version_activities_lookup", "app_pk", "activity_id"),)

    version_pk: Mapped[int] = mapped_column(ForeignKey("course_versions.pk", ondelete="CASCADE"), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(2048), primary_key=True)
    app_pk: Mapped[int] = mapped_column(Integer)
    course_pk: Mapped[int] = mapped_column(Integer)


class XapiStatementLink(Base):
    __tablename__ = "xapi_statement_links"
    __table_args__ = (
        Index("ix_xapi_statement_links_course", "course_pk", "stored", "statement_pk"),
        Index("ix_xapi_statement_links_version", "version_pk", "stored", "statement_pk"),
        Index("ix_xapi_statement_links_course_learner", "course_pk", "learner", "stored", "statement_pk"),
        Index("ix_xapi_statement_links_version_learner", "version_pk", "learner", "stored", "statement_pk"),
    )

    statement_pk: Mapped[int] = mapped_column(
        StatementPk, ForeignKey("xapi_statements.pk", ondelete="CASCADE"), primary_key=True
    )
    version_pk: Mapped[int] = mapped_column(ForeignKey("course_versions.pk", ondelete="CASCADE"), primary_key=True)
    course_pk: Mapped[int] = mapped_column(ForeignKey("courses.pk", ondelete="CASCADE"))
    stored: Mapped[datetime] = mapped_column()
    # The actor as a learnerId names it (xapi/links/service.py ``learner_key``), so learnerId is one indexed equality.
    learner: Mapped[str | None] = mapped_column(String(LEARNER_MAX), nullable=True)
