"""What a concurrent writer that got there first leaves to the second (xapi/statements/repository.py): a 409 for the
same statement id, a merge into the activity row it created, no error for attachment bytes it already recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from coursehost.context import Context
from coursehost.models import Application, XapiActivity, XapiStatement
from coursehost.xapi.statements import repository as repo
from coursehost.xapi.statements.activities import merge_definitions
from tests.integration.xapi.lrs_helpers import Lrs, make_statement, new_id

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def test_second_writer_of_an_id_or_an_activity(client: TestClient, auth: dict[str, str], ctx: Context) -> None:
    lrs = Lrs(client, auth)
    sid = lrs.post(make_statement(id=new_id())).json()[0]
    activity_id = "http://example.com/raced"
    with ctx.db.session() as session:
        app_pk = session.scalars(select(Application.pk).where(Application.app_id == lrs.app_id)).one()
        twin = {"app_pk": app_pk, "statement_id": sid, "stored": NOW, "timestamp": NOW, "verb_id": "http://e.com/v"}
        twin |= {"body": "{}", "voided": False, "attachments": []}
        fresh = twin | {"statement_id": new_id()}
        pks = repo.insert_statements(session, [twin, fresh], [set(), set()], [set(), set()])
        assert list(pks) == [fresh["statement_id"]]  # the twin is left out: the caller answers 409
        assert repo.insert_activities(session, app_pk, {activity_id: {"name": {"en": "A"}}}, NOW) == {activity_id}
        assert repo.insert_activities(session, app_pk, {activity_id: {"name": {"fr": "B"}}}, NOW) == set()
        repo.add_attachment(session, app_pk, "a" * 64, "text/plain", 1)
        repo.add_attachment(session, app_pk, "a" * 64, "text/plain", 1)
        statement = make_statement(object={"id": activity_id, "definition": {"name": {"fr": "B"}}})
        merge_definitions(session, app_pk, [statement], NOW)
    with ctx.db.session() as session:
        row = session.get(XapiActivity, (app_pk, activity_id))
        assert row is not None
        assert row.definition == {"name": {"en": "A", "fr": "B"}}
        assert session.scalars(select(XapiStatement).where(XapiStatement.statement_id == sid)).one().body != "{}"
