"""The document resources: state, activity profile and agent profile (xapi/documents/).

Requirement ids are those of ADL's LRS conformance suite (XAPI-00xxx) where it has them, the spec's sections
otherwise (xAPI 2.0.0 §4.1.4 Concurrency, §4.1.6.2/5/6; 1.0.3 Communication §2.2–2.7, §3.1)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from coursehost.context import Context
from coursehost.models import Application, XapiCredential
from coursehost.xapi.documents.service import DOCUMENT_MAX_BYTES, get_state, put_state

AGENT = {"objectType": "Agent", "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"}}
OTHER = {"mbox": "mailto:other@example.com"}
ACTIVITY = "http://www.example.com/activityId/hashset"
REGISTRATION = "9b3a8c5e-2f7d-4c1a-9e6b-0d2f4a6c8e10"
STATE = "/activities/state"
ACTIVITY_PROFILE = "/activities/profile"
AGENT_PROFILE = "/agents/profile"


def basic(user: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()}


class Lrs:
    def __init__(self, client: TestClient, auth: dict[str, str], version: str = "2.0.0") -> None:
        self.client = client
        self.app_id = auth["X-App-Id"]
        self.headers = {"Authorization": auth["Authorization"], "X-Experience-API-Version": version}

    def __call__(self, method: str, path: str, params: dict[str, Any], **kwargs: Any) -> httpx.Response:
        query = "&".join(
            f"{k}={quote(json.dumps(v) if isinstance(v, dict | bool) else str(v), safe='')}" for k, v in params.items()
        )
        headers = self.headers | kwargs.pop("headers", {})
        return self.client.request(method, f"/lrs/{self.app_id}{path}?{query}", headers=headers, **kwargs)

    def put(self, path: str, params: dict[str, Any], doc: Any, **headers: str) -> httpx.Response:
        return self("PUT", path, params, json=doc, headers=headers)

    def post(self, path: str, params: dict[str, Any], doc: Any, **headers: str) -> httpx.Response:
        return self("POST", path, params, json=doc, headers=headers)

    def get(self, path: str, params: dict[str, Any]) -> httpx.Response:
        return self("GET", path, params)


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth)


def state(**extra: Any) -> dict[str, Any]:
    return {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s1"} | extra


def params_of(path: str, **extra: Any) -> dict[str, Any]:
    base = {
        STATE: state(),
        ACTIVITY_PROFILE: {"activityId": ACTIVITY, "profileId": "p1"},
        AGENT_PROFILE: {"agent": AGENT, "profileId": "p1"},
    }[path]
    return base | extra


RESOURCES = [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]
NEW = {"If-None-Match": "*"}


@pytest.mark.parametrize("path", RESOURCES)
def test_a_document_is_stored_and_read_back_with_its_type_etag_and_date(lrs: Lrs, path: str) -> None:
    # XAPI-00190/00188/00192 (state), 00273/00259 (agent profile), 00287/00288 (activity profile); 2.0.0 §4.1.4:
    # the ETag is the quoted SHA-1 of the content; Last-Modified says when it was written.
    before = datetime.now(UTC).replace(microsecond=0)
    body = b"\x00\x01 not json \xff"
    put = lrs("PUT", path, params_of(path), content=body, headers=NEW | {"Content-Type": "application/x-custom"})
    assert put.status_code == 204, put.text
    got = lrs.get(path, params_of(path))
    assert got.status_code == 200
    assert got.content == body
    assert got.headers["content-type"] == "application/x-custom"
    assert got.headers["etag"] == '"' + hashlib.sha1(body).hexdigest() + '"'
    assert parsedate_to_datetime(got.headers["last-modified"]) >= before
    assert got.headers["x-experience-api-version"] == "2.0.0"


@pytest.mark.parametrize("path", RESOURCES)
def test_post_of_a_new_document_stores_it_and_post_merges_json_objects_one_level_deep(lrs: Lrs, path: str) -> None:
    # XAPI-00233/00280/00310 (POST of a new document is a PUT), XAPI-00234/00279/00308 (merge), XAPI-00184 (a
    # duplicate key is overwritten), XAPI-00183 (one level deep: a nested object is replaced whole).
    assert (
        lrs.post(path, params_of(path), {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale"}).status_code
        == 204
    )
    assert lrs.get(path, params_of(path)).json() == {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale"}
    assert lrs.post(path, params_of(path), {"car": {"make": "Dodge"}, "series": "nextel"}).status_code == 204
    got = lrs.get(path, params_of(path))
    assert got.json() == {"car": {"make": "Dodge"}, "driver": "Dale", "series": "nextel"}
    assert got.headers["content-type"] == "application/json"
    assert got.headers["etag"] == '"' + hashlib.sha1(got.content).hexdigest() + '"'


@pytest.mark.parametrize("path", RESOURCES)
def test_post_refuses_what_cannot_be_merged_and_leaves_the_document(lrs: Lrs, path: str) -> None:
    # XAPI-00229/00278 and XAPI-00232/00281/00309: both documents must be JSON objects, else 400 and no change.
    assert lrs.post(path, params_of(path), {"a": 1}).status_code == 204
    bad = lrs("POST", path, params_of(path), content=b"abcdefg", headers={"Content-Type": "not/json"})
    assert bad.status_code == 400
    broken = lrs("POST", path, params_of(path), content=b'{"b": 2}{', headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    assert lrs.post(path, params_of(path), [1, 2]).status_code == 400
    assert lrs.get(path, params_of(path)).json() == {"a": 1}
    other = params_of(path, **{"stateId" if path == STATE else "profileId": "binary"})
    raw = lrs(
        "PUT", path, other, content=b"/ asdf / undefined", headers=NEW | {"Content-Type": "application/octet-stream"}
    )
    assert raw.status_code == 204
    assert lrs.post(path, other, {"a": 1}).status_code == 400  # the stored one is not JSON
    assert lrs.get(path, other).content == b"/ asdf / undefined"


@pytest.mark.parametrize("path", RESOURCES)
def test_a_new_document_posted_as_json_must_be_a_json_object(lrs: Lrs, path: str) -> None:
    # XAPI-00314 (activity profile; the same rule for every document resource).
    body = b'{"name": "x"}['
    assert (
        lrs("POST", path, params_of(path), content=body, headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    assert lrs.get(path, params_of(path)).status_code == 404


@pytest.mark.parametrize("path", RESOURCES)
def test_if_match_and_if_none_match_guard_every_write(lrs: Lrs, path: str) -> None:
    # 2.0.0 §4.1.4, XAPI-00322: a wrong ETag is 412 and changes nothing, the right one writes; If-None-Match: * is
    # 412 once the document exists; DELETE honours If-Match too.
    params = params_of(path)
    assert lrs.put(path, params, {"v": 1}, **{"If-Match": '"1234"'}).status_code == 412  # nothing to match yet
    assert lrs.put(path, params, {"v": 1}, **NEW).status_code == 204
    etag = lrs.get(path, params).headers["etag"]
    assert lrs.put(path, params, {"v": 2}, **NEW).status_code == 412
    for method in ("PUT", "POST"):
        assert lrs(method, path, params, json={"v": 3}, headers={"If-Match": '"1234"'}).status_code == 412
    assert lrs("DELETE", path, params, headers={"If-Match": '"1234"'}).status_code == 412
    assert lrs.get(path, params).json() == {"v": 1}
    assert lrs.post(path, params, {"w": 2}, **{"If-Match": etag}).status_code == 204
    etag = lrs.get(path, params).headers["etag"]
    assert lrs.put(path, params, {"v": 4}, **{"If-None-Match": etag}).status_code == 412
    assert lrs.put(path, params, {"v": 4}, **{"If-Match": f'"0000", W/{etag}'}).status_code == 204
    assert lrs.put(path, params, {"v": 5}, **{"If-Match": "*"}).status_code == 204
    etag = lrs.get(path, params).headers["etag"]
    assert lrs("DELETE", path, params, headers={"If-Match": etag}).status_code == 204
    assert lrs.get(path, params).status_code == 404


@pytest.mark.parametrize("version", ["2.0.0", "1.0.3"])
@pytest.mark.parametrize("path", RESOURCES)
def test_a_put_without_a_concurrency_header(client: TestClient, auth: dict[str, str], path: str, version: str) -> None:
    # An existing document: 409 with a message and no change (2.0.0 §4.1.4 for every resource; 1.0.3 §3.1 for the
    # profiles only: its State Resource takes PUTs without the headers). A new profile: 400 (XAPI-00273, 1.0.3's
    # "fails without ETag header"), a new state: stored (XAPI-00190).
    lrs = Lrs(client, auth, version)
    params = params_of(path)
    new = lrs.put(path, params, {"v": 1})
    if path != STATE:
        assert new.status_code == 400
        assert lrs.put(path, params, {"v": 1}, **NEW).status_code == 204
    else:
        assert new.status_code == 204
    again = lrs.put(path, params, {"v": 2})
    if path == STATE and version == "1.0.3":
        assert again.status_code == 204
        assert lrs.get(path, params).json() == {"v": 2}
    else:
        assert again.status_code == 409
        assert again.json()["message"]
        assert lrs.get(path, params).json() == {"v": 1}
    assert lrs.post(path, params, {"x": 1}).status_code == 204  # POST and DELETE need no header
    assert lrs("DELETE", path, params).status_code == 204


@pytest.mark.parametrize("path", RESOURCES)
def test_head_answers_as_get_without_a_body(lrs: Lrs, path: str) -> None:
    # XAPI-00125/00126.
    assert lrs.put(path, params_of(path), {"v": 1}, **NEW).status_code == 204
    head = lrs("HEAD", path, params_of(path))
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == lrs.get(path, params_of(path)).headers["etag"]


@pytest.mark.parametrize(
    ("path", "missing"),
    [(STATE, "activityId"), (STATE, "agent"), (ACTIVITY_PROFILE, "activityId"), (AGENT_PROFILE, "agent")],
)
@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
def test_a_missing_owner_parameter_is_400(lrs: Lrs, path: str, missing: str, method: str) -> None:
    # XAPI-00207–00210, 00212–00215 (state), 00261–00264 (agent profile), 00296–00299 (activity profile).
    params = params_of(path)
    del params[missing]
    response = lrs(method, path, params, json={"a": 1}, headers=NEW)
    assert response.status_code == 400
    assert missing in response.json()["message"]


@pytest.mark.parametrize("path", RESOURCES)
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_a_write_without_a_document_id_is_400_and_so_is_a_profile_delete(lrs: Lrs, path: str, method: str) -> None:
    # XAPI-00206/00211 (stateId), 00265–00267, 00300–00302 (profileId).
    name = "stateId" if path == STATE else "profileId"
    params = params_of(path)
    del params[name]
    assert lrs(method, path, params, json={"a": 1}, headers=NEW).status_code == 400
    if path != STATE:
        assert lrs("DELETE", path, params).status_code == 400


BAD_AGENTS: list[Any] = [
    "not JSON",
    {"objectType": "Agent", "name": "Rick James"},  # no identifier (XAPI-00249's shape)
    {"mbox": "mailto:a@example.com", "openid": "http://example.com/a"},  # two identifiers
    {"mbox": "a@example.com"},
    {"mbox_sha1sum": "1234"},
    {"openid": "not an iri"},
    {"account": {"homePage": "http://example.com"}},
    {"account": {"homePage": "nohome", "name": "n"}},
    {"objectType": "Person", "mbox": "mailto:a@example.com"},
    {"mbox": "mailto:a@example.com", "extra": 1},
    {"objectType": "Group", "mbox": "mailto:g@example.com", "member": [{"name": "no ifi"}]},
]


@pytest.mark.parametrize("path", [STATE, AGENT_PROFILE])
def test_an_agent_that_is_not_an_agent_is_400(lrs: Lrs, path: str) -> None:
    # XAPI-00196–00199 (state), 00255–00258 (agent profile): every method, and every way of not being an agent.
    for method in ("GET", "PUT", "POST", "DELETE"):
        response = lrs(method, path, params_of(path) | {"agent": True}, json={"a": 1}, headers=NEW)
        assert response.status_code == 400, method
    for agent in BAD_AGENTS:
        response = lrs.get(path, params_of(path) | {"agent": agent})
        assert response.status_code == 400, agent
        assert "agent" in response.json()["message"]


def test_an_agent_parameter_broken_in_its_encoding_is_400(lrs: Lrs) -> None:
    # XAPI-00235 (state), XAPI-00284 (agent profile).
    broken = quote(json.dumps(AGENT), safe="").replace("%3A", "%22", 1)
    for path, rest in ((STATE, f"activityId={quote(ACTIVITY)}&stateId=s1"), (AGENT_PROFILE, "profileId=p1")):
        url = f"/lrs/{lrs.app_id}{path}?{rest}&agent={broken}"
        assert lrs.client.post(url, headers=lrs.headers, json={"a": 1}).status_code == 400


def test_identified_groups_and_every_kind_of_identifier_own_documents(lrs: Lrs) -> None:
    agents: list[dict[str, Any]] = [
        {"mbox": "mailto:a@example.com"},
        {"mbox_sha1sum": "a" * 40},
        {"openid": "http://openid.example.com/a"},
        {"objectType": "Group", "account": {"homePage": "http://example.com", "name": "g"}, "member": [OTHER]},
    ]
    for i, agent in enumerate(agents):
        assert lrs.put(STATE, state(agent=agent), {"i": i}).status_code == 204
    for i, agent in enumerate(agents):
        assert lrs.get(STATE, state(agent=agent)).json() == {"i": i}
    # The same identifier with another name or objectType spelled out is the same owner.
    assert lrs.get(STATE, state(agent={"objectType": "Agent", "name": "A", "mbox": "mailto:a@example.com"})).json() == {
        "i": 0
    }


@pytest.mark.parametrize("registration", [True, "not-a-uuid", "9b3a8c5e2f7d4c1a9e6b0d2f4a6c8e10"])
@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
def test_a_registration_that_is_not_a_uuid_is_400(lrs: Lrs, registration: Any, method: str) -> None:
    # XAPI-00200–00203.
    assert lrs(method, STATE, state(registration=registration), json={"a": 1}).status_code == 400


def test_the_registration_is_part_of_a_states_owner(lrs: Lrs) -> None:
    # XAPI-00218/00219/00220/00227: a state under a registration is another document than the one without.
    assert lrs.put(STATE, state(registration=REGISTRATION), {"r": 1}).status_code == 204
    assert lrs.get(STATE, state()).status_code == 404
    assert lrs.get(STATE, state(registration=REGISTRATION.upper())).json() == {"r": 1}
    assert lrs.put(STATE, state(), {"r": 0}).status_code == 204
    assert lrs.get(STATE, state(registration=REGISTRATION)).json() == {"r": 1}
    assert lrs("DELETE", STATE, state(registration=REGISTRATION)).status_code == 204
    assert lrs.get(STATE, state()).json() == {"r": 0}


def _ids(lrs: Lrs, path: str, params: dict[str, Any]) -> list[str]:
    response = lrs.get(path, params)
    assert response.status_code == 200, response.text
    ids: list[str] = response.json()
    return ids


def test_state_ids_are_listed_by_owner_and_since(lrs: Lrs) -> None:
    # XAPI-00193 (no stateId: the ids), XAPI-00195/00221 (since: only those stored after it), XAPI-00204.
    owner = {"activityId": ACTIVITY, "agent": AGENT}
    assert lrs.put(STATE, owner | {"stateId": "old"}, {"a": 1}).status_code == 204
    time.sleep(0.01)
    cut = datetime.now(UTC)
    time.sleep(0.01)
    assert lrs.put(STATE, owner | {"stateId": "new"}, {"a": 1}).status_code == 204
    assert lrs.put(STATE, owner | {"stateId": "reg", "registration": REGISTRATION}, {"a": 1}).status_code == 204
    assert (
        lrs.put(STATE, {"activityId": ACTIVITY + "/2", "agent": AGENT, "stateId": "elsewhere"}, {}).status_code == 204
    )
    assert lrs.put(STATE, owner | {"agent": OTHER, "stateId": "someone"}, {}).status_code == 204
    # Without a registration: the states of every registration; with one, only its own.
    assert _ids(lrs, STATE, owner) == ["new", "old", "reg"]
    assert _ids(lrs, STATE, owner | {"registration": REGISTRATION}) == ["reg"]
    since = cut.isoformat().replace("+00:00", "Z")
    assert _ids(lrs, STATE, owner | {"since": since}) == ["new", "reg"]
    assert _ids(lrs, STATE, owner | {"since": cut.isoformat()}) == ["new", "reg"]  # '+' arriving as a space
    assert _ids(lrs, STATE, owner | {"since": (cut + timedelta(hours=1)).isoformat()}) == []
    assert lrs.get(STATE, owner | {"since": "not a timestamp"}).status_code == 400
    assert _ids(lrs, STATE, {"activityId": "http://nothing.example.com", "agent": AGENT}) == []


@pytest.mark.parametrize("path", [ACTIVITY_PROFILE, AGENT_PROFILE])
def test_profile_ids_are_listed_by_owner_and_since(lrs: Lrs, path: str) -> None:
    # XAPI-00270/00275/00268/00260 (agent profile), XAPI-00289/00294/00303 (activity profile).
    owner = params_of(path)
    del owner["profileId"]
    assert lrs.put(path, owner | {"profileId": "a"}, {}, **NEW).status_code == 204
    time.sleep(0.01)
    cut = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    assert lrs.put(path, owner | {"profileId": "b"}, {}, **NEW).status_code == 204
    assert _ids(lrs, path, owner) == ["a", "b"]
    assert _ids(lrs, path, owner | {"since": cut}) == ["b"]
    assert lrs.get(path, owner | {"since": True}).status_code == 400


def test_delete_without_a_state_id_deletes_every_state_of_the_owner(lrs: Lrs) -> None:
    # XAPI-00194: and only those (another activity's, another agent's stay).
    owner = {"activityId": ACTIVITY, "agent": AGENT}
    for state_id in ("a", "b"):
        assert lrs.put(STATE, owner | {"stateId": state_id}, {}).status_code == 204
    assert lrs.put(STATE, owner | {"stateId": "c", "registration": REGISTRATION}, {}).status_code == 204
    assert lrs.put(STATE, owner | {"agent": OTHER, "stateId": "kept"}, {}).status_code == 204
    assert lrs("DELETE", STATE, owner | {"registration": REGISTRATION}).status_code == 204
    assert _ids(lrs, STATE, owner) == ["a", "b"]
    assert lrs("DELETE", STATE, owner).status_code == 204
    assert _ids(lrs, STATE, owner) == []
    assert _ids(lrs, STATE, owner | {"agent": OTHER}) == ["kept"]


@pytest.mark.parametrize("path", RESOURCES)
def test_deleting_a_document_that_is_not_there_is_204_and_reading_it_is_404(lrs: Lrs, path: str) -> None:
    # XAPI-00187/00191, 00271, 00285/00291.
    assert lrs("DELETE", path, params_of(path)).status_code == 204
    assert lrs.get(path, params_of(path)).status_code == 404


def test_documents_over_the_cap_are_413_and_so_is_a_merge_that_grows_past_it(lrs: Lrs) -> None:
    """XAPI-00328: a request over the size the LRS is configured for is refused with 413."""
    big = b"x" * (DOCUMENT_MAX_BYTES + 1)
    assert lrs("PUT", STATE, state(), content=big, headers={"Content-Type": "text/plain"}).status_code == 413
    half = "y" * (DOCUMENT_MAX_BYTES // 2)
    assert lrs.post(STATE, state(), {"a": half}).status_code == 204
    assert lrs.post(STATE, state(), {"b": half}).status_code == 413
    assert lrs.get(STATE, state()).json() == {"a": half}


def test_each_application_has_its_own_documents(client: TestClient, make_app: Any) -> None:
    first, second = Lrs(client, make_app("one")), Lrs(client, make_app("two"))
    assert first.put(STATE, state(), {"mine": True}).status_code == 204
    assert second.get(STATE, state()).status_code == 404
    assert _ids(second, STATE, {"activityId": ACTIVITY, "agent": AGENT}) == []


@pytest.mark.parametrize("path", RESOURCES)
def test_readonly_credentials_cannot_write_and_writeonly_ones_cannot_read(
    client: TestClient, ctx: Context, lrs: Lrs, path: str
) -> None:
    with ctx.db.session() as session:
        app = session.query(Application).filter_by(app_id=lrs.app_id).one()
        for level in ("READONLY", "WRITEONLY", "USER"):
            session.add(XapiCredential(app_pk=app.pk, credential_id=level, secret="s", permissions_level=level))
    version = {"X-Experience-API-Version": "2.0.0"}

    def as_(level: str) -> Lrs:
        caller = Lrs(client, {"Authorization": basic(level, "s")["Authorization"], "X-App-Id": lrs.app_id})
        caller.headers |= version
        return caller

    assert lrs.put(path, params_of(path), {"v": 1}, **NEW).status_code == 204
    reader, writer, user = as_("READONLY"), as_("WRITEONLY"), as_("USER")
    assert reader.get(path, params_of(path)).json() == {"v": 1}
    for method in ("PUT", "POST", "DELETE"):
        assert reader(method, path, params_of(path), json={"v": 2}, headers={"If-Match": "*"}).status_code == 403
    assert writer.get(path, params_of(path)).status_code == 403
    assert writer("HEAD", path, params_of(path)).status_code == 403
    assert writer.post(path, params_of(path), {"w": 2}).status_code == 204
    assert user.get(path, params_of(path)).json() == {"v": 1, "w": 2}


def test_the_server_writes_and_reads_state_through_the_service(ctx: Context, lrs: Lrs) -> None:
    # What the cmi5 launch does with LMS.LaunchData: written without preconditions, read back over HTTP.
    with ctx.db.session() as session:
        app_pk = session.query(Application).filter_by(app_id=lrs.app_id).one().pk
        put_state(
            session, app_pk, ACTIVITY, AGENT, REGISTRATION.upper(), "LMS.LaunchData", "application/json", b'{"a":1}'
        )
        put_state(session, app_pk, ACTIVITY, AGENT, REGISTRATION, "LMS.LaunchData", "application/json", b'{"a":2}')
    got = lrs.get(STATE, state(stateId="LMS.LaunchData", registration=REGISTRATION))
    assert got.json() == {"a": 2}
    with ctx.db.session() as session:
        read = get_state(session, app_pk, ACTIVITY, AGENT, REGISTRATION, "LMS.LaunchData")
        assert read is not None
        assert got.headers["etag"] == f'"{read.etag}"'
        assert get_state(session, app_pk, ACTIVITY, AGENT, None, "LMS.LaunchData") is None


def test_a_parameter_given_twice_is_400(lrs: Lrs) -> None:
    url = f"/lrs/{lrs.app_id}{STATE}?activityId={quote(ACTIVITY)}&agent={quote(json.dumps(AGENT))}&stateId=a&stateId=b"
    assert lrs.client.get(url, headers=lrs.headers).status_code == 400


def test_requests_without_credentials_or_version_are_refused_before_anything_else(lrs: Lrs) -> None:
    url = f"/lrs/{lrs.app_id}{STATE}"
    assert lrs.client.get(url, headers={"X-Experience-API-Version": "2.0.0"}).status_code == 401
    response = lrs.client.get(url, headers={"Authorization": lrs.headers["Authorization"]})
    assert response.status_code == 400  # about.js: no version header, 400 naming a version
    assert response.headers["x-experience-api-version"] == "2.0.0"
