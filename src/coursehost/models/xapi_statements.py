"""The LRS's statements (xAPI 2.0.0 and 1.0.3), indexed for every query filter of GET /statements.

A statement is stored once, as the JSON text the LRS answers with (``body``: exactly what a GET by id returns, the
LRS's own ``stored``, ``authority`` and ``version`` filled in). The columns beside it are what the filters and the
keyset paging read; the agents and activities a statement mentions have a row each in the two side tables, marked
``direct`` when the ``agent``/``activity`` filters match them and not when only ``related_agents`` /
``related_activities`` do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coursehost.models.base import Base, utcnow

# SQLite gives an INTEGER PRIMARY KEY its rowid (auto-increment); a BIGINT one would have to be given by hand.
StatementPk = BigInteger().with_variant(Integer(), "sqlite")


class XapiStatement(Base):
    __tablename__ = "xapi_statements"
    __table_args__ = (
        UniqueConstraint("app_pk", "statement_id", name="uq_xapi_statements_app_statement"),
        Index("ix_xapi_statements_app_stored", "app_pk", "stored", "pk"),
        Index("ix_xapi_statements_app_verb", "app_pk", "verb_id", "stored", "pk"),
        Index("ix_xapi_statements_app_registration", "app_pk", "registration", "stored", "pk"),
        Index("ix_xapi_statements_app_voids", "app_pk", "voids"),
    )

    # The order of storage: with ``stored`` it is the key of stable paging (two statements may share a stored time).
    pk: Mapped[int] = mapped_column(StatementPk, primary_key=True, autoincrement=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"))
    statement_id: Mapped[str] = mapped_column(String(36))  # lower-case canonical UUID
    stored: Mapped[datetime] = mapped_column(default=utcnow)
    timestamp: Mapped[datetime] = mapped_column()
    verb_id: Mapped[str] = mapped_column(Text)
    registration: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # Set on the target when a voiding statement arrives; a voided statement is only read by voidedStatementId.
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    # The statement id a voiding statement voids (its object's id), so voiding can be looked up either way.
    voids: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # A StatementRef object's target id: filters also match statements that refer to a matching statement.
    refers_to: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # Who wrote it: the credential (None for the application's own key and secret) and, for a launch, its session.
    credential_pk: Mapped[int | None] = mapped_column(Integer, nullable=True)
    launch_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The statement's attachments by SHA-2 (their bytes are XapiAttachment rows' blobs).
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text)


class XapiStatementAgent(Base):
    """An agent (its inverse functional identifier, ``agent_key``) a statement mentions."""

    __tablename__ = "xapi_statement_agents"
    __table_args__ = (Index("ix_xapi_statement_agents_key", "agent_key", "direct", "statement_pk"),)

    statement_pk: Mapped[int] = mapped_column(
        StatementPk, ForeignKey("xapi_statements.pk", ondelete="CASCADE"), primary_key=True
    )
    agent_key: Mapped[str] = mapped_column(String(512), primary_key=True)
    # Actor or object (a group's members included): what the ``agent`` filter matches without related_agents.
    direct: Mapped[bool] = mapped_column(Boolean, primary_key=True)


class XapiStatementActivity(Base):
    """An activity id a statement mentions: its object (``direct``) or a context activity / sub-statement one."""

    __tablename__ = "xapi_statement_activities"
    __table_args__ = (Index("ix_xapi_statement_activities_id", "activity_id", "direct", "statement_pk"),)

    statement_pk: Mapped[int] = mapped_column(
        StatementPk, ForeignKey("xapi_statements.pk", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[str] = mapped_column(String(2048), primary_key=True)
    direct: Mapped[bool] = mapped_column(Boolean, primary_key=True)


class XapiAttachment(Base):
    """An attachment's bytes, stored once per application under its SHA-2 in the content store."""

    __tablename__ = "xapi_attachments"

    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"), primary_key=True)
    sha2: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(255))
    length: Mapped[int] = mapped_column(BigInteger)
    created: Mapped[datetime] = mapped_column(default=utcnow)


class XapiActivity(Base):
    """The canonical definition of an activity (GET /activities), merged from the statements that define it."""

    __tablename__ = "xapi_activities"

    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(2048), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated: Mapped[datetime] = mapped_column(default=utcnow)
