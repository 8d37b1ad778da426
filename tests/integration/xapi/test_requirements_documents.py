"""ADL conformance requirement ids about the document resources (xAPI 2.0.0 §4.1.6.2/5/6, 1.0.3 Communication
§2.3, §2.6, §2.7), one table row per id: the request, and the status the LRS must answer with.

State, activity profile and agent profile documents are written, read, merged, listed and deleted over HTTP through
the ASGI app, on whichever database the suite runs with."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.xapi.test_documents import ACTIVITY_PROFILE, AGENT_PROFILE, STATE, Lrs

ACTIVITY = "http://courses.example.org/unit-3/lab"
LEARNER = {"objectType": "Agent", "mbox": "mailto:lin@learners.example.org"}
REGISTRATION = "0c7a1e52-7d6b-4f0e-8c1f-3b9d2a4e6f80"
DROP = object()
NEW = {"If-None-Match": "*"}  # profiles (2.0.0) need a concurrency header on PUT; a new document has no ETag yet

OWNERS: dict[str, dict[str, Any]] = {
    STATE: {"activityId": ACTIVITY, "agent": LEARNER, "stateId": "bookmark"},
    ACTIVITY_PROFILE: {"activityId": ACTIVITY, "profileId": "rubric"},
    AGENT_PROFILE: {"agent": LEARNER, "profileId": "preferences"},
}


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth)


def params(path: str, **changes: Any) -> dict[str, Any]:
    result = dict(OWNERS[path])
    for key, value in changes.items():
        if value is DROP:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def send(lrs: Lrs, method: str, path: str, query: dict[str, Any], body: Any = None) -> Any:
    if method in ("PUT", "POST"):
        return lrs(method, path, query, json={"page": 4} if body is None else body, headers=NEW)
    return lrs(method, path, query)


# (requirement id, method, resource, changes to the owner's parameters) — each must be refused with 400.
REFUSED: list[tuple[str, str, str, dict[str, Any]]] = [
    ("XAPI-00012", "GET", STATE, {"agent": {"mbox": "lin@learners.example.org"}}),
    ("XAPI-00012", "PUT", ACTIVITY_PROFILE, {"activityId": "not an iri"}),
    ("XAPI-00197", "GET", STATE, {"agent": "lin"}),
    ("XAPI-00198", "POST", STATE, {"agent": "lin"}),
    ("XAPI-00199", "PUT", STATE, {"agent": "lin"}),
    ("XAPI-00201", "GET", STATE, {"registration": "first-attempt"}),
    ("XAPI-00202", "POST", STATE, {"registration": "first-attempt"}),
    ("XAPI-00203", "PUT", STATE, {"registration": "first-attempt"}),
    ("XAPI-00208", "GET", STATE, {"activityId": DROP}),
    ("XAPI-00209", "POST", STATE, {"activityId": DROP}),
    ("XAPI-00210", "PUT", STATE, {"activityId": DROP}),
    ("XAPI-00211", "POST", STATE, {"stateId": DROP}),
    ("XAPI-00212", "DELETE", STATE, {"agent": DROP}),
    ("XAPI-00213", "GET", STATE, {"agent": DROP}),
    ("XAPI-00214", "POST", STATE, {"agent": DROP}),
    ("XAPI-00215", "PUT", STATE, {"agent": DROP}),
    ("XAPI-00255", "DELETE", AGENT_PROFILE, {"agent": {"name": "no identifier"}}),
    ("XAPI-00256", "POST", AGENT_PROFILE, {"agent": {"name": "no identifier"}}),
    ("XAPI-00257", "PUT", AGENT_PROFILE, {"agent": {"name": "no identifier"}}),
    ("XAPI-00258", "GET", AGENT_PROFILE, {"agent": {"objectType": "Agent", "openid": "not a uri"}}),
    ("XAPI-00260", "GET", AGENT_PROFILE, {"profileId": DROP, "since": "yesterday"}),
    ("XAPI-00261", "GET", AGENT_PROFILE, {"agent": DROP}),
    ("XAPI-00262", "DELETE", AGENT_PROFILE, {"agent": DROP}),
    ("XAPI-00263", "POST", AGENT_PROFILE, {"agent": DROP}),
    ("XAPI-00264", "PUT", AGENT_PROFILE, {"agent": DROP}),
    ("XAPI-00265", "DELETE", AGENT_PROFILE, {"profileId": DROP}),
    ("XAPI-00266", "POST", AGENT_PROFILE, {"profileId": DROP}),
    ("XAPI-00267", "PUT", AGENT_PROFILE, {"profileId": DROP}),
    ("XAPI-00295", "GET", ACTIVITY_PROFILE, {"profileId": DROP, "since": "2026-13-45"}),
    ("XAPI-00296", "GET", ACTIVITY_PROFILE, {"activityId": DROP}),
    ("XAPI-00297", "DELETE", ACTIVITY_PROFILE, {"activityId": DROP}),
    ("XAPI-00298", "POST", ACTIVITY_PROFILE, {"activityId": DROP}),
    ("XAPI-00299", "PUT", ACTIVITY_PROFILE, {"activityId": DROP}),
    ("XAPI-00300", "DELETE", ACTIVITY_PROFILE, {"profileId": DROP}),
    ("XAPI-00301", "POST", ACTIVITY_PROFILE, {"profileId": DROP}),
    ("XAPI-00302", "PUT", ACTIVITY_PROFILE, {"profileId": DROP}),
]


@pytest.mark.parametrize(
    ("requirement", "method", "path", "changes"), REFUSED, ids=[f"{r[0]}-{r[1]}{r[2]}" for r in REFUSED]
)
def test_a_document_request_with_missing_or_malformed_parameters_is_400(
    lrs: Lrs, requirement: str, method: str, path: str, changes: dict[str, Any]
) -> None:
    answer = send(lrs, method, path, params(path, **changes))
    assert answer.status_code == 400, (requirement, answer.text)
    assert lrs("GET", path, params(path)).status_code == 404, "a refused request stores nothing"


# (requirement ids, resource, extra parameters) — a document is written with PUT and POST, read, and deleted.
LIFECYCLE: list[tuple[str, str, dict[str, Any]]] = [
    ("XAPI-00188 XAPI-00189 XAPI-00191 XAPI-00192 XAPI-00216 XAPI-00217 XAPI-00230 XAPI-00231", STATE, {}),
    ("XAPI-00219 XAPI-00220 XAPI-00227", STATE, {"registration": REGISTRATION}),
    ("XAPI-00259 XAPI-00269 XAPI-00271 XAPI-00272 XAPI-00274 XAPI-00282 XAPI-00283", AGENT_PROFILE, {}),
    (
        "XAPI-00285 XAPI-00286 XAPI-00287 XAPI-00288 XAPI-00290 XAPI-00291 XAPI-00292 XAPI-00293 XAPI-00311 XAPI-00312",
        ACTIVITY_PROFILE,
        {},
    ),  # fmt: skip
]


@pytest.mark.parametrize(("requirements", "path", "extra"), LIFECYCLE, ids=[r[0].split()[0] for r in LIFECYCLE])
def test_each_document_resource_accepts_put_post_get_and_delete(
    lrs: Lrs, requirements: str, path: str, extra: dict[str, Any]
) -> None:
    query = params(path, **extra)
    assert lrs("PUT", path, query, json={"page": 4}, headers=NEW).status_code == 204, requirements
    assert lrs("POST", path, query, json={"chapter": 2}).status_code == 204
    read = lrs("GET", path, query)
    assert read.status_code == 200
    assert read.json() == {"page": 4, "chapter": 2}
    assert read.headers["content-type"].startswith("application/json")
    assert lrs("DELETE", path, query).status_code == 204
    assert lrs("GET", path, query).status_code == 404
    if "registration" in extra:  # the registration is part of the owner: without it, there is no such state
        assert lrs("PUT", path, query, json={"page": 1}).status_code == 204
        assert lrs("GET", path, params(path)).status_code == 404


# (requirement ids, resource) for POST's merge rules.
MERGES = [
    ("XAPI-00279 XAPI-00280 XAPI-00278 XAPI-00281", AGENT_PROFILE),
    ("XAPI-00308 XAPI-00310 XAPI-00309 XAPI-00313", ACTIVITY_PROFILE),
]


@pytest.mark.parametrize(("requirements", "path"), MERGES, ids=[r[0].split()[0] for r in MERGES])
def test_post_stores_a_new_document_merges_json_objects_and_refuses_anything_else(
    lrs: Lrs, requirements: str, path: str
) -> None:
    stores, merges, not_json, not_object = requirements.split()
    query = params(path)
    assert lrs("POST", path, query, json={"theme": "dark"}).status_code == 204, stores
    assert lrs("GET", path, query).json() == {"theme": "dark"}
    assert lrs("POST", path, query, json={"size": 14, "theme": "light"}).status_code == 204, merges
    assert lrs("GET", path, query).json() == {"theme": "light", "size": 14}
    plain = lrs("POST", path, query, content=b"theme=dark", headers={"Content-Type": "text/plain"})
    assert plain.status_code == 400, not_json
    array = lrs("POST", path, query, json=["theme", "dark"])
    assert array.status_code == 400, not_object
    assert lrs("GET", path, query).json() == {"theme": "light", "size": 14}, "refused merges leave the document"


SINCE = [
    ("XAPI-00221 XAPI-00222 XAPI-00141", STATE, "stateId"),
    ("XAPI-00268 XAPI-00275", AGENT_PROFILE, "profileId"),
    ("XAPI-00294 XAPI-00303", ACTIVITY_PROFILE, "profileId"),
]


@pytest.mark.parametrize(("requirements", "path", "key"), SINCE, ids=[r[0].split()[0] for r in SINCE])
def test_listing_ids_with_since_returns_only_documents_stored_after_it(
    lrs: Lrs, requirements: str, path: str, key: str
) -> None:
    assert lrs("PUT", path, params(path, **{key: "older"}), json={"n": 1}, headers=NEW).status_code == 204
    time.sleep(0.02)
    between = datetime.now(UTC)
    time.sleep(0.02)
    assert lrs("PUT", path, params(path, **{key: "newer"}), json={"n": 2}, headers=NEW).status_code == 204
    listing = params(path, **{key: DROP})
    everything = lrs("GET", path, listing)
    assert everything.status_code == 200, requirements
    assert sorted(everything.json()) == ["newer", "older"]
    after = lrs("GET", path, listing | {"since": between.isoformat()})
    assert after.status_code == 200
    assert after.json() == ["newer"]
    future = lrs("GET", path, listing | {"since": (between + timedelta(days=1)).isoformat()})
    assert future.json() == []
