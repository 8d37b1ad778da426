"""A course's or a version's statements, a page at a time, with a ``more`` token bound to the application, the
course (or version) and the first request's filters, as getCourses' is."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.courses.service import get_version, get_visible_course
from coursehost.kit import tokens
from coursehost.kit.errors import BadRequest
from coursehost.kit.schemas import as_utc
from coursehost.models import XapiStatement
from coursehost.xapi.course_statements import repository as repo
from coursehost.xapi.course_statements.schemas import XapiStatement as WireStatement
from coursehost.xapi.course_statements.schemas import XapiStatementResult
from coursehost.xapi.course_statements.wire import to_wire
from coursehost.xapi.links.service import learner_id_key

_CURSOR = "course-statements"


def list_statements(
    session: Session,
    app_pk: int,
    secret: bytes,
    page_size: int,
    course_id: str,
    version_number: int | None,
    *,
    learner_id: str | None,
    since: datetime | None,
    until: datetime | None,
    more: str | None,
) -> XapiStatementResult:
    """404 for a course (or version) the application does not have; 400 for a ``more`` token of another request.
    With ``more`` the token's filters apply and the request's are ignored (reference §4)."""
    if version_number is None:
        course, version_pk = get_visible_course(session, app_pk, course_id), None
    else:
        course, version = get_version(session, app_pk, course_id, version_number)
        version_pk = version.pk
    query = repo.StatementQuery(
        learner=learner_id_key(learner_id) if learner_id else None,
        since=as_utc(since) if since else None,
        until=as_utc(until) if until else None,
    )
    after: tuple[datetime, int] | None = None
    if more:
        state = tokens.unsign(secret, _CURSOR, more)
        try:
            if (state["app"], state["c"], state["v"]) != (app_pk, course.pk, version_pk):
                raise ValueError("token from another request")
            query = repo.StatementQuery(state["l"], _restore(state["s"]), _restore(state["u"]))
            stored, pk = state["k"]
            after = (datetime.fromisoformat(stored), int(pk))
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRequest("The 'more' token is not valid for this request") from exc
    rows = repo.page(session, course.pk, version_pk, query, after, page_size + 1)
    shown, has_more = rows[:page_size], len(rows) > page_size
    token = None
    if has_more:
        last = shown[-1]
        position: dict[str, Any] = {
            "app": app_pk,
            "c": course.pk,
            "v": version_pk,
            "l": query.learner,
            "s": _iso(query.since),
            "u": _iso(query.until),
            "k": [_iso(last.stored), last.pk],
        }
        token = tokens.sign(secret, _CURSOR, position)
    return XapiStatementResult(statements=[to_schema(row) for row in shown], more=token)


def to_schema(row: XapiStatement) -> WireStatement:
    wire = to_wire(json.loads(row.body))
    # The row's columns are the LRS's own reading of both instants, whatever form the statement wrote them in.
    wire["timestamp"], wire["stored"] = as_utc(row.timestamp), as_utc(row.stored)
    return WireStatement.model_validate(wire)


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def _restore(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None
