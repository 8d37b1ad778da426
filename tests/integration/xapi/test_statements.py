"""The Statement Resource (xapi/statements/): PUT, POST, GET with its filters and paging, voiding, GET /activities.
Requirement ids are those of ADL's conformance suite (XAPI-00xxx)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coursehost.xapi.formats import parse_timestamp
from tests.integration.xapi.lrs_helpers import AGENT, Lrs, make_statement, new_id

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth)


def test_put_then_get_by_id_fills_what_the_lrs_sets(lrs: Lrs) -> None:
    sid = new_id()
    assert lrs.put(make_statement(), sid).status_code == 204  # XAPI-00143
    response = lrs.get(statementId=sid)
    assert response.status_code == 200  # XAPI-00156
    body = response.json()
    assert body["id"] == sid
    assert body["version"] == "2.0.0"
    assert body["timestamp"] == body["stored"]  # XAPI-00031: timestamp defaults to stored
    assert body["authority"]["account"]["name"] == lrs.app_id  # XAPI-00099
    stored = parse_timestamp(body["stored"])
    assert stored is not None
    assert response.headers["Last-Modified"]
    assert parse_timestamp(response.headers["X-Experience-API-Consistent-Through"]) is not None


def test_put_needs_the_id_and_refuses_a_different_statement_with_it(lrs: Lrs) -> None:
    sid = new_id()
    statement = make_statement()
    assert lrs.request("PUT", "/statements", json=statement).status_code == 400  # XAPI-00144
    assert lrs.put(statement, sid).status_code == 204
    assert lrs.put(statement, sid).status_code == 204  # the same statement again: XAPI-00142
    other = make_statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert lrs.put(other, sid).status_code == 409
    assert lrs.get(statementId=sid).json()["verb"]["id"] == statement["verb"]["id"]  # not modified
    assert lrs.put(make_statement(id=new_id()), sid).status_code == 400  # the body's id differs


def test_post_returns_ids_in_order_and_is_all_or_nothing(lrs: Lrs) -> None:
    given = new_id()
    response = lrs.post([make_statement(id=given), make_statement()])
    assert response.status_code == 200  # XAPI-00146
    ids = response.json()
    assert ids[0] == given
    assert len(ids) == 2
    fresh = new_id()
    batch = [make_statement(id=fresh), make_statement(verb={"id": "not an iri"})]
    assert lrs.post(batch).status_code == 400  # XAPI-00326: nothing of a rejected batch is stored
    assert lrs.get(statementId=fresh).status_code == 404
    duplicate = new_id()
    assert lrs.post([make_statement(id=duplicate), make_statement(id=duplicate)]).status_code == 400


def test_invalid_statements_get_a_message_naming_the_property(lrs: Lrs) -> None:
    response = lrs.post(make_statement(actor={"mbox": "learner@example.com"}))
    assert response.status_code == 400
    assert "statement.actor.mbox" in response.json()["message"]


def test_hostile_bodies_are_refused_cleanly(lrs: Lrs) -> None:
    nested: Any = "deep"
    for _ in range(200):
        nested = {"x": nested}
    deep = make_statement(result={"extensions": {"http://e.com/x": nested}})
    assert lrs.post(deep).status_code == 400
    body = b'{"actor":' * 5000
    assert (
        lrs.request("POST", "/statements", content=body, headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    surrogate = '{"actor": {"mbox": "mailto:a@e.com", "name": "\\ud800"}, "verb": {"id": "http://e.com/v"}, '
    surrogate += '"object": {"id": "http://e.com/a"}}'
    answer = lrs.request("POST", "/statements", content=surrogate, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert lrs.post(make_statement(actor={"mbox": "mailto:a@e.com", "name": "nul\x00"})).status_code == 400
    assert lrs.post([]).status_code == 400
    assert lrs.post([1]).status_code == 400
    assert lrs.request("POST", "/statements", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 400


def test_context_activities_are_answered_as_arrays(lrs: Lrs) -> None:
    # XAPI-00096
    sid = lrs.post(make_statement(context={"contextActivities": {"parent": {"id": "http://e.com/p"}}})).json()[0]
    assert lrs.get(statementId=sid).json()["context"]["contextActivities"]["parent"] == [{"id": "http://e.com/p"}]


def test_filters(lrs: Lrs) -> None:
    registration = new_id()
    other_agent = {"mbox": "mailto:other@example.com"}
    ids = lrs.post(
        [
            make_statement(context={"registration": registration}),
            make_statement(actor=other_agent, verb={"id": "http://adlnet.gov/expapi/verbs/failed"}),
            make_statement(
                actor=other_agent,
                object={"id": "http://e.com/other"},
                context={"contextActivities": {"grouping": [{"id": "http://example.com/activities/meeting"}]}},
            ),
        ]
    ).json()

    def found(**params: Any) -> set[str]:
        response = lrs.get(**params)
        assert response.status_code == 200
        return {s["id"] for s in response.json()["statements"]}

    assert found() == set(ids)
    assert found(agent=json.dumps(AGENT)) == {ids[0]}  # XAPI-00181
    assert found(verb="http://adlnet.gov/expapi/verbs/failed") == {ids[1]}  # XAPI-00180
    assert found(activity="http://example.com/activities/meeting") == {ids[0], ids[1]}  # XAPI-00179
    assert found(activity="http://example.com/activities/meeting", related_activities="true") == set(ids)
    assert found(registration=registration) == {ids[0]}  # XAPI-00178
    assert lrs.get(agent="not json").status_code == 400
    assert lrs.get(nonsense="1").status_code == 400
    assert lrs.get(statementId=ids[0], verb="http://e.com/v").status_code == 400  # XAPI-00151


def test_since_until_ascending_and_paging(lrs: Lrs) -> None:
    first = lrs.post(make_statement()).json()[0]
    time.sleep(0.01)
    rest = lrs.post([make_statement() for _ in range(4)]).json()
    stored = lrs.get(statementId=first).json()["stored"]
    assert first not in {s["id"] for s in lrs.get(since=stored).json()["statements"]}  # XAPI-00175
    assert {s["id"] for s in lrs.get(until=stored).json()["statements"]} == {first}  # XAPI-00174
    ascending = [s["id"] for s in lrs.get(ascending="true").json()["statements"]]
    assert ascending[0] == first  # XAPI-00166
    descending = [s["id"] for s in lrs.get().json()["statements"]]
    assert descending == list(reversed(ascending))
    seen: list[str] = []
    page = lrs.get(limit="2").json()
    while True:
        assert len(page["statements"]) <= 2
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        assert page["more"].startswith(f"/lrs/{lrs.app_id}/statements?")  # a URL relative to the LRS's host
        page = lrs.client.get(page["more"], headers=lrs.headers).json()
    assert seen == descending
    assert set(seen) == {first, *rest}


def test_formats(lrs: Lrs) -> None:
    verb = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended", "en-GB": "attended!"}}
    sid = lrs.post(make_statement(verb=verb)).json()[0]
    ids = lrs.get(statementId=sid, format="ids").json()
    assert ids["verb"] == {"id": verb["id"]}
    assert "name" not in ids["actor"]
    canonical = lrs.get(statementId=sid, format="canonical", headers={"Accept-Language": "en-GB"}).json()
    assert canonical["verb"]["display"] == {"en-GB": "attended!"}  # XAPI-00172
    assert lrs.get(statementId=sid).json()["verb"]["display"] == verb["display"]  # exact
    assert lrs.get(format="other").status_code == 400


def test_voiding(lrs: Lrs) -> None:
    target, kept = lrs.post([make_statement(), make_statement()]).json()
    voiding = make_statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target})
    voiding_id = lrs.post(voiding).json()[0]
    assert lrs.get(statementId=target).status_code == 404  # XAPI-00018
    assert lrs.get(voidedStatementId=target).json()["id"] == target  # XAPI-00155
    assert lrs.get(voidedStatementId=kept).status_code == 404
    listed = {s["id"] for s in lrs.get().json()["statements"]}
    assert target not in listed
    assert {kept, voiding_id} <= listed
    # A statement referring to a matching one matches the filter too (2.0.0 §4.1.6.1).
    by_verb = {s["id"] for s in lrs.get(verb="http://adlnet.gov/expapi/verbs/attended").json()["statements"]}
    assert voiding_id in by_verb
    again = make_statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": voiding_id})
    assert lrs.post(again).status_code == 400  # a voiding statement cannot be voided


def test_activities_resource_merges_definitions(lrs: Lrs) -> None:
    activity_id = "http://example.com/activities/defined"
    first = {"id": activity_id, "definition": {"name": {"en-US": "One"}, "type": "http://e.com/t1"}}
    second = {"id": activity_id, "definition": {"name": {"fr": "Un"}, "type": "http://e.com/t2"}}
    lrs.post([make_statement(object=first), make_statement(object=second)])
    answer = lrs.request("GET", "/activities", params={"activityId": activity_id}).json()
    assert answer == {
        "objectType": "Activity",
        "id": activity_id,
        "definition": {"name": {"en-US": "One", "fr": "Un"}, "type": "http://e.com/t2"},
    }
    assert lrs.request("GET", "/activities").status_code == 400
    unknown = lrs.request("GET", "/activities", params={"activityId": "http://e.com/unknown"})
    assert unknown.json() == {"objectType": "Activity", "id": "http://e.com/unknown"}


def test_unsupported_methods_and_head(lrs: Lrs) -> None:
    assert lrs.request("DELETE", "/statements").status_code == 405
    head = lrs.request("HEAD", "/statements")
    assert head.status_code == 200
    assert head.content == b""
