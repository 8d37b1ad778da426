"""Statements put straight into the LRS's table and linked as the statement store links them, for the tests of
the course statement reads (they do not depend on the LRS's write path)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coursehost.models import Application, Course, CourseVersion, XapiStatement
from coursehost.xapi.links.service import link_statement

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
VERB = {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}}


def at(seconds: float) -> datetime:
    """An instant in whole milliseconds (what the LRS stores), ``seconds`` after T0."""
    return T0 + timedelta(milliseconds=round(seconds * 1000))


def agent(name: str = "learner-1") -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": "https://example.com", "name": name}}


def statement(object_id: str | None = "https://example.com/course/1", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": str(uuid.uuid4()), "actor": agent(), "verb": VERB}
    if object_id is not None:
        body["object"] = {"objectType": "Activity", "id": object_id}
    return body | fields


def app_pk(session: Session, app_id: str) -> int:
    return session.scalars(select(Application.pk).where(Application.app_id == app_id)).one()


def version_pk(session: Session, app_id: str, course_id: str, number: int) -> int:
    stmt = (
        select(CourseVersion.pk)
        .join(Course, Course.pk == CourseVersion.course_pk)
        .join(Application, Application.pk == Course.app_pk)
        .where(Application.app_id == app_id, Course.course_id == course_id, CourseVersion.number == number)
    )
    return session.scalars(stmt).one()


def insert_statement(
    session: Session,
    app_id: str,
    body: dict[str, Any],
    stored: datetime,
    *,
    launch: tuple[str, int] | None = None,
    voided: bool = False,
) -> int:
    """Insert the statement row (``stored`` and ``authority`` filled in as the LRS does) and link it; ``launch`` is
    the (course id, version) a launch of which posted it. Returns the row's pk."""
    app = app_pk(session, app_id)
    body = {"stored": stored.isoformat(), "timestamp": body.get("timestamp", stored.isoformat())} | body
    body.setdefault("authority", {"objectType": "Agent", "account": {"homePage": "https://lrs", "name": app_id}})
    target = body.get("object", {})
    row = XapiStatement(
        app_pk=app,
        statement_id=body["id"],
        stored=stored,
        timestamp=datetime.fromisoformat(body["timestamp"]).astimezone(UTC),  # SQLite keeps no offset
        verb_id=body["verb"]["id"],
        registration=(body.get("context") or {}).get("registration"),
        voided=voided,
        voids=target.get("id") if body["verb"]["id"] == VOIDED else None,
        body=json.dumps(body),
    )
    session.add(row)
    session.flush()
    launch_pk = version_pk(session, app_id, *launch) if launch else None
    link_statement(session, app_pk=app, statement_pk=row.pk, stored=stored, statement=body, launch_version_pk=launch_pk)
    return row.pk
