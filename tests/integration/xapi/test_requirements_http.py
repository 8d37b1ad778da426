"""ADL conformance requirement ids about the Statement, About, Agents and Activities resources over HTTP (xAPI 2.0.0
§4.1, 1.0.3 Communication §1–§4 and Data §2.3–§2.5): statuses, headers, parameters, paging, voiding, versions and
authentication, through the ASGI app on whichever database the suite runs with."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from coursehost.xapi.formats import parse_timestamp
from coursehost.xapi.versions import HEADER
from tests.integration.xapi.lrs_helpers import V1, V2, Lrs, basic, make_statement, new_id

VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}}
SPEC_STATUSES = {200, 204, 400, 401, 403, 404, 409, 412, 413}  # xAPI 2.0.0 §4.1.6, 1.0.3 Communication 3.2
PUPIL = {"objectType": "Agent", "name": "Noor", "mbox": "mailto:noor@learners.example.org"}


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth)


def stored(lrs: Lrs, **changes: Any) -> str:
    statement_id = new_id()
    answer = lrs.put(make_statement(**changes), statement_id)
    assert answer.status_code == 204, answer.text
    return statement_id


# (requirement id, method, path, query, headers to change, expected status) on requests that need no setup.
REQUESTS: list[tuple[str, str, str, dict[str, Any], dict[str, str], int]] = [
    ("XAPI-00139", "GET", "/statements", {}, {}, 200),
    ("XAPI-00159", "GET", "/statements", {"limit": 1}, {}, 200),
    ("XAPI-00145", "PUT", "/statements", {}, {}, 400),
    (
        "XAPI-00150",
        "GET",
        "/statements",
        {"voidedStatementId": "0d7e4b7a-3d2a-4a8e-9b51-6c1f0e2d3a4b", "verb": VOIDED["id"]},
        {},
        400,
    ),  # fmt: skip
    ("XAPI-00324", "GET", "/statements", {"colour": "blue"}, {}, 400),
    ("XAPI-00325", "GET", "/statements", {"Limit": 1}, {}, 400),
    ("XAPI-00325", "GET", "/activities", {"ActivityId": "http://example.org/a"}, {}, 400),
    ("XAPI-00321", "GET", "/statements", {}, {HEADER: ""}, 400),
    ("XAPI-00331", "GET", "/activities/state", {}, {HEADER: ""}, 400),
    ("XAPI-00331", "GET", "/statements", {}, {HEADER: "0.95"}, 400),
    ("XAPI-00315", "GET", "/about", {}, {HEADER: ""}, 200),
    ("XAPI-00334", "GET", "/statements", {}, {"Authorization": ""}, 401),
    ("XAPI-00334", "GET", "/statements", {}, basic("nobody", "wrong"), 401),
    ("XAPI-00250", "GET", "/activities", {}, {}, 400),
    ("XAPI-00245", "GET", "/agents", {"agent": json.dumps(PUPIL)}, {}, 200),
    ("XAPI-00245", "GET", "/agents", {}, {}, 400),
]


@pytest.mark.parametrize(
    ("requirement", "method", "path", "query", "headers", "status"),
    REQUESTS,
    ids=[f"{r[0]}-{r[1]}{r[2]}-{r[5]}" for r in REQUESTS],
)
def test_request_statuses(
    lrs: Lrs, requirement: str, method: str, path: str, query: dict[str, Any], headers: dict[str, str], status: int
) -> None:
    """XAPI-00323: every refusal uses one of the status codes the specification names."""
    sent = {k: v for k, v in (lrs.headers | headers).items() if v}
    answer = lrs.client.request(method, lrs.base + path, params=query, headers=sent, json=None)
    assert answer.status_code == status, (requirement, answer.text)
    assert answer.status_code in SPEC_STATUSES
    if requirement != "XAPI-00315":
        assert answer.headers[HEADER] in ("2.0.0", "1.0.3"), "every LRS answer carries the version header"


def test_basic_authentication_is_how_clients_get_in(client: TestClient, auth: dict[str, str]) -> None:
    """XAPI-00335: HTTP Basic authentication works; XAPI-00334: missing or wrong credentials are 401."""
    lrs = Lrs(client, auth)
    assert auth["Authorization"].startswith("Basic ")
    assert lrs.get().status_code == 200
    answer = client.get(lrs.base + "/statements", headers=V2)
    assert answer.status_code == 401


def test_about_lists_the_versions_it_speaks(lrs: Lrs) -> None:
    """XAPI-00315, XAPI-00316, XAPI-00317, XAPI-00318, XAPI-00319: /about answers 200 with an array of version
    strings, each 1.0.x or 2.0.x, including 1.0.3 and 2.0.0."""
    answer = lrs.client.get(lrs.base + "/about")
    assert answer.status_code == 200
    versions = answer.json()["version"]
    assert isinstance(versions, list)
    assert all(isinstance(v, str) for v in versions)
    assert {"1.0.3", "2.0.0"} <= set(versions)
    assert all(v.startswith(("1.0.", "2.0.")) for v in versions)
    assert isinstance(answer.json()["extensions"], dict), "XAPI-00320: extensions, when present, is an object"


@pytest.mark.parametrize(("asked", "answered"), [("1.0.3", "1.0.3"), ("1.0.0", "1.0.3"), ("2.0.0", "2.0.0")])
def test_the_version_header_names_the_latest_patch(lrs: Lrs, asked: str, answered: str) -> None:
    """XAPI-00333: the LRS answers with X-Experience-API-Version set to the latest patch of the version asked for."""
    answer = lrs.get(headers={HEADER: asked})
    assert answer.status_code == 200
    assert answer.headers[HEADER] == answered


def test_statements_keep_the_version_they_were_sent_with(client: TestClient, auth: dict[str, str]) -> None:
    """XAPI-00332: a statement keeps its version property; XAPI-00330: an LRS does not rewrite a 1.0.0 statement."""
    old = Lrs(client, auth, V1)
    statement_id = new_id()
    assert old.put(make_statement(version="1.0.0"), statement_id).status_code == 204
    for reader in (old, Lrs(client, auth, V2)):
        back = reader.get(statementId=statement_id).json()
        assert back["version"] == "1.0.0"
        assert back["verb"]["display"] == {"en-US": "attended"}
    fresh = stored(Lrs(client, auth, V2))
    assert Lrs(client, auth, V2).get(statementId=fresh).json()["version"] == "2.0.0"


def test_an_id_is_generated_when_none_is_given(lrs: Lrs) -> None:
    """XAPI-00026: POST without ids gets UUIDs back, one per statement, and each can be fetched by it."""
    answer = lrs.post([make_statement(), make_statement()])
    assert answer.status_code == 200
    ids = answer.json()
    assert len(ids) == 2
    assert len(set(ids)) == 2
    for statement_id in ids:
        assert lrs.get(statementId=statement_id).json()["id"] == statement_id


def test_numbers_keep_their_precision(lrs: Lrs) -> None:
    """XAPI-00002: numbers are stored with at least IEEE 754 single precision."""
    score = {"scaled": 0.123456789, "raw": 1234.5678, "min": -1.5e-7, "max": 3.4028235e38}
    statement_id = stored(lrs, result={"score": score})
    back = lrs.get(statementId=statement_id).json()["result"]["score"]
    for key, value in score.items():
        assert back[key] == pytest.approx(value, rel=1e-7)


def test_strings_are_utf8(lrs: Lrs) -> None:
    """XAPI-00015: strings travel and are stored as UTF-8."""
    name = "Zoë Ødegård 李小龍 🎓"
    body = json.dumps(make_statement(actor={"name": name, "mbox": "mailto:zoe@example.org"}), ensure_ascii=False)
    statement_id = new_id()
    answer = lrs.request(
        "PUT",
        "/statements",
        params={"statementId": statement_id},
        content=body.encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert answer.status_code == 204
    raw = lrs.get(statementId=statement_id)
    assert name.encode("utf-8") in raw.content or name in raw.json()["actor"]["name"]
    assert raw.json()["actor"]["name"] == name


def test_a_voiding_statement_cannot_be_voided_and_unknown_targets_are_not_refused(lrs: Lrs) -> None:
    """XAPI-00016: a voiding statement may target an id the LRS does not know, and cannot itself be voided."""
    unknown = new_id()
    voider = stored(lrs, verb=VOIDED, object={"objectType": "StatementRef", "id": unknown})
    again = lrs.post(make_statement(verb=VOIDED, object={"objectType": "StatementRef", "id": voider}))
    assert again.status_code == 400
    assert lrs.get(statementId=voider).status_code == 200


def test_voided_statements_are_fetched_only_by_voided_statement_id(lrs: Lrs) -> None:
    """XAPI-00157, XAPI-00158, XAPI-00162, XAPI-00163: a voided statement is returned only by voidedStatementId;
    statements that refer to it are still returned."""
    target = stored(lrs)
    referrer = stored(lrs, object={"objectType": "StatementRef", "id": target})
    voider = stored(lrs, verb=VOIDED, object={"objectType": "StatementRef", "id": target})
    assert lrs.get(statementId=target).status_code == 404
    voided = lrs.get(voidedStatementId=target)
    assert voided.status_code == 200
    assert voided.json()["id"] == target
    assert lrs.get(statementId=referrer).status_code == 200
    listed = [st["id"] for st in lrs.get(limit=50).json()["statements"]]
    assert target not in listed
    assert referrer in listed
    assert voider in listed
    assert lrs.get(voidedStatementId=voider).status_code == 404


def test_statement_results_are_an_object_with_statements_and_more(lrs: Lrs) -> None:
    """XAPI-00110, XAPI-00113, XAPI-00154, XAPI-00165, XAPI-00149, XAPI-00109: GET without an id answers 200,
    application/json, a StatementResult with one "statements" array and "more" (empty once everything is sent),
    and an empty result is not an error (XAPI-00112, the same requirement as XAPI-00149)."""
    empty = lrs.get(verb="http://example.org/verbs/never-used")
    assert empty.status_code == 200
    assert empty.headers["content-type"].startswith("application/json")
    assert empty.json() == {"statements": [], "more": ""}
    statement_id = stored(lrs)
    full = lrs.get()
    assert set(full.json()) == {"statements", "more"}
    assert isinstance(full.json()["statements"], list)
    assert full.json()["statements"][0]["id"] == statement_id
    assert full.json()["more"] == ""


def test_more_pages_through_every_statement_once(lrs: Lrs) -> None:
    """XAPI-00108, XAPI-00111, XAPI-00114, XAPI-00173: with a limit, "more" is a relative IRL to the next page, which
    follows the same rules, until "more" is empty; every statement appears once, newest first."""
    made = [stored(lrs) for _ in range(5)]
    seen: list[str] = []
    page = lrs.get(limit=2).json()
    while True:
        assert set(page) == {"statements", "more"}
        assert len(page["statements"]) <= 2
        seen += [st["id"] for st in page["statements"]]
        if not page["more"]:
            break
        more = urlsplit(page["more"])
        assert not more.scheme
        assert more.path.startswith(lrs.base + "/statements")
        page = lrs.client.get(page["more"], headers=lrs.headers).json()
    assert seen == list(reversed(made))


def test_filters_select_matching_statements(lrs: Lrs) -> None:
    """XAPI-00164, XAPI-00176, XAPI-00177: agent, related_agents, activity and related_activities filter results."""
    inner = "http://courses.example.org/module/lesson-2"
    direct = stored(lrs, actor=PUPIL)
    as_instructor = stored(lrs, context={"instructor": PUPIL, "contextActivities": {"parent": [{"id": inner}]}})
    unrelated = stored(lrs)

    def ids(**query: Any) -> set[str]:
        return {st["id"] for st in lrs.get(**query).json()["statements"]}

    agent = json.dumps(PUPIL)
    assert ids(agent=agent) == {direct}
    assert ids(agent=agent, related_agents="true") == {direct, as_instructor}
    assert ids(activity=inner) == set()
    assert ids(activity=inner, related_activities="true") == {as_instructor}
    assert unrelated in ids()


@pytest.mark.parametrize(("requirement", "fmt"), [("XAPI-00168", None), ("XAPI-00169", "canonical"),
                                                  ("XAPI-00170", "exact"), ("XAPI-00170", "ids")])  # fmt: skip
def test_each_format_is_processed(lrs: Lrs, requirement: str, fmt: str | None) -> None:
    """XAPI-00168 (format absent), XAPI-00169 (canonical), XAPI-00170 (exact): each answers 200 with the statement."""
    statement_id = stored(lrs, verb={"id": "http://example.org/verbs/read", "display": {"en-US": "read", "fr": "lu"}})
    query: dict[str, Any] = {"statementId": statement_id} | ({"format": fmt} if fmt else {})
    answer = lrs.get(**query, headers={"Accept-Language": "fr"})
    assert answer.status_code == 200, requirement
    back = answer.json()
    assert back["id"] == statement_id
    if fmt == "ids":
        assert "name" not in back["actor"]
        assert back["actor"]["mbox"] == "mailto:learner@example.com"
        assert "display" not in back["verb"]
    elif fmt == "canonical":
        assert back["verb"]["display"] == {"fr": "lu"}
    else:
        assert back["verb"]["display"] == {"en-US": "read", "fr": "lu"}


def test_head_answers_like_get_without_a_body(lrs: Lrs) -> None:
    """XAPI-00126: HEAD is accepted wherever GET is, with GET's status and headers and no body."""
    statement_id = stored(lrs)
    for path, query in (("/statements", {"statementId": statement_id}), ("/statements", {}), ("/about", {})):
        head = lrs.request("HEAD", path, params=query)
        got = lrs.request("GET", path, params=query)
        assert head.status_code == got.status_code == 200
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]


def test_the_consistent_through_header_is_an_iso_timestamp(lrs: Lrs) -> None:
    """XAPI-00160: X-Experience-API-Consistent-Through is an ISO 8601 date and time."""
    stored(lrs)
    value = lrs.get().headers["X-Experience-API-Consistent-Through"]
    assert parse_timestamp(value) is not None


def test_a_refused_request_changes_nothing(lrs: Lrs) -> None:
    """XAPI-00182: a batch with one bad statement is refused as a whole; nothing of it is stored."""
    good = make_statement(id=new_id())
    bad = make_statement(id=new_id(), verb={"id": "not an iri"})
    assert lrs.post([good, bad]).status_code == 400
    assert lrs.get(statementId=good["id"]).status_code == 404
    assert lrs.get().json()["statements"] == []


def test_the_agents_resource_returns_a_person(lrs: Lrs) -> None:
    """XAPI-00237, XAPI-00238, XAPI-00239, XAPI-00240, XAPI-00241, XAPI-00242, XAPI-00244, XAPI-00246, XAPI-00247,
    XAPI-00248: GET /agents answers 200 with a Person: objectType "Person", arrays of names, mailto: mboxes,
    mbox_sha1sums, openids and accounts; an agent the LRS has never seen still gets a Person."""
    stored(lrs, actor=PUPIL)
    person = lrs.request("GET", "/agents", params={"agent": json.dumps(PUPIL)})
    assert person.status_code == 200
    body = person.json()
    assert body["objectType"] == "Person"
    assert body["name"] == ["Noor"]
    assert body["mbox"] == ["mailto:noor@learners.example.org"]
    assert all(v.startswith("mailto:") for v in body["mbox"])
    for key in ("mbox_sha1sum", "openid", "account"):
        assert isinstance(body.get(key, []), list)
    stranger = {"objectType": "Agent", "account": {"homePage": "https://sso.example.org", "name": "stranger"}}
    unknown = lrs.request("GET", "/agents", params={"agent": json.dumps(stranger)}).json()
    assert unknown["objectType"] == "Person"
    assert unknown["account"] == [stranger["account"]]


def test_the_activities_resource_returns_the_merged_activity(lrs: Lrs) -> None:
    """XAPI-00251, XAPI-00252, XAPI-00253, XAPI-00254: GET /activities answers 200 with the Activity, its definition
    gathering what the statements about it said (here, two languages of its name)."""
    activity = "http://courses.example.org/module/essay"
    stored(lrs, object={"id": activity, "definition": {"name": {"en-US": "Essay"}}})
    stored(lrs, object={"id": activity, "definition": {"name": {"de": "Aufsatz"}}})
    answer = lrs.request("GET", "/activities", params={"activityId": activity})
    assert answer.status_code == 200
    body = answer.json()
    assert body["objectType"] == "Activity"
    assert body["id"] == activity
    assert body["definition"]["name"] == {"en-US": "Essay", "de": "Aufsatz"}


DUPLICATED = (
    '{"actor": {"mbox": "mailto:noor@learners.example.org"}, "verb": {"id": "http://example.org/verbs/read"}, '
    '"verb": {"id": "http://example.org/verbs/skimmed"}, "object": {"id": "http://example.org/books/1"}}'
)


def test_a_property_used_twice_is_refused(lrs: Lrs) -> None:
    """XAPI-00021: a statement uses each property at most once; a body naming one twice is 400, stores nothing."""
    answer = lrs.request("POST", "/statements", content=DUPLICATED, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert "'verb' appears twice" in answer.json()["message"]
    nested = DUPLICATED.replace(
        '"mbox": "mailto:noor@learners.example.org"', '"name": "a", "name": "b", "mbox": "mailto:n@e.org"'
    )
    assert (
        lrs.request("POST", "/statements", content=nested, headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    assert lrs.get().json()["statements"] == []


RESOURCES = ["/statements", "/activities/state", "/activities/profile", "/agents/profile", "/agents", "/activities"]


@pytest.mark.parametrize("path", RESOURCES)
def test_every_resource_is_there(lrs: Lrs, path: str) -> None:
    """XAPI-00140: the LRS implements the Statement, State, Agent, Activity, Agent Profile and Activity Profile
    resources: each answers GET (here 200, or 400 for the parameters it lacks), never 404 or 405."""
    answer = lrs.request("GET", path)
    assert answer.status_code in (200, 400)
    assert answer.headers["content-type"].startswith("application/json")
