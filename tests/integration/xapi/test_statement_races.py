"""What a concurrent writer that got there first leaves to the second (xapi/statements/repository.py): a 409 for the
same statement id, a merge into the activity row it created, no error for attachment bytes it already recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from coursehost.context import Context
from coursehost.kit.errors import Conflict
from coursehost.models import Application, XapiActivity, XapiStatement
from coursehost.xapi.principal import Level, LrsPrincipal
from coursehost.xapi.statements import repository as repo
from coursehost.xapi.statements.activities import merge_definitions
from coursehost.xapi.statements.service import store_statements
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


def test_a_batch_refused_for_a_race_leaves_nothing_behind(
    client: TestClient, auth: dict[str, str], ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The player stores its statements one call at a time in one transaction and goes on after a 409: a call
    refused because another request stored one of its ids meanwhile must not leave the others half-written."""
    lrs = Lrs(client, auth)
    raced = new_id()
    with ctx.db.session() as session:
        app_pk = session.scalars(select(Application.pk).where(Application.app_id == lrs.app_id)).one()
        principal = LrsPrincipal(app_pk, lrs.app_id, Level.ROOT, {"objectType": "Agent", "mbox": "mailto:r@e.com"})
        # Another request's row, stored after this request's duplicate check looked (which therefore finds nothing).
        session.add(XapiStatement(app_pk=app_pk, statement_id=raced, stored=NOW, timestamp=NOW, verb_id="v", body="{}"))
        session.flush()
        fresh = new_id()
        batch = [make_statement(id=fresh), make_statement(id=raced)]
        with monkeypatch.context() as patch:
            patch.setattr(repo, "by_ids", lambda *_args: {})
            with pytest.raises(Conflict, match=raced):
                store_statements(session, ctx, principal, batch)
        assert session.scalars(select(XapiStatement).where(XapiStatement.statement_id == fresh)).first() is None
        store_statements(session, ctx, principal, [make_statement(id=fresh)])  # the transaction goes on
    assert lrs.get(statementId=fresh).status_code == 200


def test_a_definition_already_known_is_neither_locked_nor_rewritten(
    client: TestClient, auth: dict[str, str], ctx: Context
) -> None:
    lrs = Lrs(client, auth)
    activity_id = "http://example.com/known"
    defined = make_statement(object={"id": activity_id, "definition": {"name": {"en": "Known"}}})
    assert lrs.post(defined).status_code == 200
    with ctx.db.session() as session:
        app_pk = session.scalars(select(Application.pk).where(Application.app_id == lrs.app_id)).one()
        first = session.get(XapiActivity, (app_pk, activity_id))
        assert first is not None
        first_updated = first.updated
    later = datetime(2030, 1, 1, tzinfo=UTC)
    with ctx.db.session() as session:
        merge_definitions(session, app_pk, [defined], later)  # the same definition again: nothing to write
        merge_definitions(session, app_pk, [make_statement(object={"id": "http://example.com/new"})], later)
    with ctx.db.session() as session:
        row = session.get(XapiActivity, (app_pk, activity_id))
        assert row is not None
        assert repo.aware(row.updated) == repo.aware(first_updated)
        french = make_statement(object={"id": activity_id, "definition": {"name": {"fr": "Connue"}}})
        merge_definitions(session, app_pk, [french], later)
    with ctx.db.session() as session:
        row = session.get(XapiActivity, (app_pk, activity_id))
        assert row is not None
        assert row.definition == {"name": {"en": "Known", "fr": "Connue"}}
        assert repo.aware(row.updated) == later
