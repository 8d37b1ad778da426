"""Who may write and read statements (principal levels and launch scopes), and ``store_statements``, the function the
rest of coursehost records statements with."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from coursehost.context import Context
from coursehost.kit.errors import Forbidden
from coursehost.models import Application, XapiCredential, XapiStatement
from coursehost.xapi.principal import LaunchScope, Level, LrsPrincipal
from coursehost.xapi.statements import repository as repo
from coursehost.xapi.statements.service import query_statements, store_statements
from tests.integration.xapi.lrs_helpers import AGENT, V2, Lrs, basic, make_statement, new_id


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth)


def app_pk(ctx: Context, app_id: str) -> int:
    with ctx.db.session() as session:
        pk: int = session.scalars(select(Application.pk).where(Application.app_id == app_id)).one()
    return pk


def credential(ctx: Context, lrs: Lrs, name: str, level: str) -> dict[str, str]:
    with ctx.db.session() as session:
        session.add(
            XapiCredential(app_pk=app_pk(ctx, lrs.app_id), credential_id=name, secret="s3cret", permissions_level=level)
        )
    return basic(name, "s3cret") | V2


def test_levels(ctx: Context, lrs: Lrs) -> None:
    """XAPI-00327: valid credentials without the permission a request needs are refused with 403 Forbidden."""
    reader = credential(ctx, lrs, "reader", "READONLY")
    writer = credential(ctx, lrs, "writer", "WRITEONLY")
    default = credential(ctx, lrs, "default", "DEFAULT")
    mine = lrs.post(make_statement()).json()[0]
    assert lrs.post(make_statement(), headers=reader).status_code == 403
    assert lrs.get(headers=reader).status_code == 200
    assert lrs.post(make_statement(), headers=writer).status_code == 200
    assert lrs.get(headers=writer).status_code == 403
    assert lrs.request("GET", "/activities", headers=writer, params={"activityId": "http://e.com/a"}).status_code == 403
    own = lrs.post(make_statement(), headers=default).json()[0]
    assert {s["id"] for s in lrs.get(headers=default).json()["statements"]} == {own}
    assert lrs.get(headers=default, statementId=mine).status_code == 404
    assert lrs.get(headers=default, statementId=own).status_code == 200
    written = lrs.get(statementId=own).json()
    assert written["authority"]["account"]["name"] == "default"


def test_store_statements_from_inside_and_launch_scopes(ctx: Context, lrs: Lrs) -> None:
    pk = app_pk(ctx, lrs.app_id)
    registration = new_id()
    launch = LaunchScope(session_id="session-1", actor=AGENT, registration=registration)
    authority = {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": "player"}}
    principal = LrsPrincipal(pk, lrs.app_id, Level.USER, authority, launch=launch)
    scoped = make_statement(context={"registration": registration})
    with ctx.db.session() as session:
        ids = store_statements(session, ctx, principal, [scoped])
    with ctx.db.session() as session:
        row = session.scalars(select(XapiStatement).where(XapiStatement.statement_id == ids[0])).one()
        assert row.launch_id == "session-1"
        assert row.credential_pk is None
    refusals: list[dict[str, Any]] = [
        make_statement(actor={"mbox": "mailto:someone-else@example.com"}, context={"registration": registration}),
        make_statement(context={"registration": new_id()}),
        make_statement(),
        make_statement(
            verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
            object={"objectType": "StatementRef", "id": ids[0]},
            context={"registration": registration},
        ),
    ]
    for refused in refusals:
        with ctx.db.session() as session, pytest.raises(Forbidden):
            store_statements(session, ctx, principal, [refused])
    lrs.post(make_statement())  # another writer's statement, which the launch does not see
    with ctx.db.session() as session:
        page = query_statements(session, principal, repo.Filters(app_pk=pk), limit=0)
        assert [r.statement_id for r in page.rows] == ids
