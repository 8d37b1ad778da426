"""cmi5 and xAPI (Tin Can) courses in the preview player (player/xapi_launch.py, xapi/launch_tokens.py,
xapi/cmi5/lms.py): the outline, each launch's URL parameters, the single-use fetch URL, the launch credential at
the LRS, the LMS.LaunchData document and the LMS's statements. Requirement ids are the cmi5 spec's (as CATAPULT
numbers them)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from coursehost.context import Context, ContextDep, SessionDep
from coursehost.kit.errors import Forbidden
from coursehost.models import PlayerSession, XapiDocument, XapiLaunchToken, utcnow
from coursehost.xapi.cmi5 import lms
from coursehost.xapi.cmi5.statements import (
    CATEGORY_CMI5,
    CATEGORY_MOVEON,
    EXT_LAUNCH_MODE,
    EXT_LAUNCH_URL,
    EXT_MASTERY,
    EXT_MOVE_ON,
    EXT_SESSION,
    VERB_ABANDONED,
    VERB_COMPLETED,
    VERB_INITIALIZED,
    VERB_LAUNCHED,
    VERB_SATISFIED,
)
from coursehost.xapi.launch import preview_actor, session_registration
from coursehost.xapi.principal import LaunchScope, Level, LrsPrincipal, identify
from tests.integration.conftest import Api
from tests.integration.player.helpers import HOST, config, launch
from tests.support.formats import cmi5_au, cmi5_block, cmi5_xml, tincan_xml
from tests.support.packages import data_package, zip_bytes

V1 = {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture
def lrs(client: TestClient) -> TestClient:
    router = APIRouter()

    @router.get("/lrs/{app_id}/whoami")
    def whoami(request: Request, ctx: ContextDep, session: SessionDep, app_id: str) -> dict[str, Any]:
        principal = identify(request, ctx, session, app_id)
        scope = principal.launch
        assert scope is not None
        return {"level": principal.level, "actor": scope.actor, "registration": scope.registration,
                "session": scope.session_id, "activity": scope.activity_id}  # fmt: skip

    client.app.include_router(router)  # type: ignore[attr-defined]
    return client


def app_id_of(api: Api) -> str:
    user = base64.b64decode(api.headers["Authorization"].split()[1]).decode().partition(":")[0]
    return user


def start(api: Api, package: bytes, course_id: str = "c") -> tuple[str, dict[str, Any]]:
    api.import_course(course_id, package)
    base, page = launch(api, course_id)
    return base, config(page)


def launch_node(api: Api, base: str, index: int) -> dict[str, Any]:
    response = api.client.post(f"{base}xapi/{index}")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def session_id(base: str) -> str:
    return base.rstrip("/").rsplit("/", 1)[-1]


def test_cmi5_outline_keeps_blocks_and_aus_with_their_course_structure_details(api: Api) -> None:
    _, plan = start(api, data_package("cmi5-blocks"))
    assert plan["standard"] == "cmi5"
    shown = [(n["depth"], n["iri"], bool(n["href"])) for n in plan["nodes"]]
    base = "https://example.com/courses/navigation"
    assert shown == [
        (0, base, False),
        (1, f"{base}/charts", False),
        (2, f"{base}/charts/symbols", True),
        (2, f"{base}/charts/practice", False),
        (3, f"{base}/charts/plotting", True),
        (1, f"{base}/buoys", True),
    ]
    # §8.1.5.0-3, §9.3.9.0-4/-8: the LMS generates the ids statements use; never the publisher's.
    generated = {n["xapiId"] for n in plan["nodes"]}
    assert len(generated) == 6
    assert not generated & {n["iri"] for n in plan["nodes"]}
    symbols, plotting, buoys = plan["nodes"][2]["data"], plan["nodes"][4]["data"], plan["nodes"][5]["data"]
    assert (symbols["moveOn"], symbols["masteryScore"], symbols["launchMethod"]) == ("Passed", 0.8, "AnyWindow")
    assert (plotting["moveOn"], "masteryScore" in plotting) == ("CompletedOrPassed", False)
    assert (buoys["moveOn"], buoys["launchMethod"]) == ("Completed", "OwnWindow")


def test_cmi5_launch_url_carries_the_five_parameters_url_encoded(api: Api) -> None:
    base, plan = start(api, data_package("cmi5-blocks"))
    answer = launch_node(api, base, 2)
    url = answer["url"]
    assert answer["ownWindow"] is False  # AnyWindow: the player's content frame
    assert url.startswith(f"{HOST}{base}content/symbols.html?unit=1&endpoint=")
    assert "actor=%7B%22" in url  # §8.1.0.0-8: values URL-encoded
    got = params(url)
    app_id = app_id_of(api)
    assert got["unit"] == "1"  # the AU's own query is kept
    assert got["endpoint"] == f"{HOST}/lrs/{app_id}/"
    assert got["registration"] == session_registration(session_id(base))
    assert got["activityId"] == plan["nodes"][2]["xapiId"]
    assert json.loads(got["actor"]) == preview_actor(HOST, app_id)
    assert got["fetch"].startswith(f"{HOST}/player/fetch/")
    # §8.1.0.0-2: OwnWindow opens a window of its own; an absolute AU url is launched where it lives.
    own = launch_node(api, base, 5)
    assert own["ownWindow"] is True
    assert own["url"].startswith("https://cdn.example.com/buoys/index.html?endpoint=")
    # §8.1.5.0-4: the same activityId on every launch within the registration.
    assert params(launch_node(api, base, 2)["url"])["activityId"] == got["activityId"]


def test_a_non_launchable_node_or_a_scorm_session_has_no_xapi_launch(api: Api) -> None:
    base, _ = start(api, data_package("cmi5-blocks"))
    assert api.client.post(f"{base}xapi/1").status_code == 404
    assert api.client.post(f"{base}xapi/99").status_code == 404


def test_the_fetch_url_gives_a_token_once_then_the_cmi5_error(api: Api) -> None:
    base, _ = start(api, data_package("cmi5-blocks"))
    fetch = params(launch_node(api, base, 2)["url"])["fetch"].removeprefix(HOST)
    first = api.client.post(fetch)
    assert first.status_code == 200  # §8.2.2.0-3
    assert first.headers["content-type"].startswith("application/json")  # §8.2.1.0-3
    assert first.headers["access-control-allow-origin"] == "*"
    token = first.json()["auth-token"]  # §8.2.1.0-4
    assert base64.b64decode(token).decode().startswith("launch-")
    again = api.client.post(fetch)  # §8.2.3.0-1: one-time use
    assert again.status_code == 200
    assert again.json()["error-code"] == "1"
    assert "auth-token" not in again.json()
    unknown = api.client.post("/player/fetch/not-a-fetch-token")
    assert (unknown.status_code, unknown.json()["error-code"]) == (200, "2")
    assert api.client.get(fetch).status_code == 405


def test_the_fetched_token_works_at_the_lrs_for_its_session_only(api: Api, lrs: TestClient, make_app: Any) -> None:
    base, plan = start(api, data_package("cmi5-blocks"))
    got = params(launch_node(api, base, 2)["url"])
    app_id = app_id_of(api)
    # §8.1.2.0-2 (d): no token before it was fetched.
    token = api.client.post(got["fetch"].removeprefix(HOST)).json()["auth-token"]
    header = {"Authorization": "Basic " + token}
    who = lrs.get(f"/lrs/{app_id}/whoami", headers=V1 | header)
    assert who.status_code == 200, who.text
    body = who.json()
    assert body["level"] == "DEFAULT"
    assert body["actor"] == json.loads(got["actor"])
    assert body["registration"] == got["registration"]
    assert (body["session"], body["activity"]) == (session_id(base), plan["nodes"][2]["xapiId"])
    # Another application's LRS does not know it.
    other = base64.b64decode(make_app("other")["Authorization"].split()[1]).decode().partition(":")[0]
    assert lrs.get(f"/lrs/{other}/whoami", headers=V1 | header).status_code == 401
    # A wrong secret for the key is refused.
    key = base64.b64decode(token).decode().partition(":")[0]
    wrong = {"Authorization": "Basic " + base64.b64encode(f"{key}:nope".encode()).decode()}
    assert lrs.get(f"/lrs/{app_id}/whoami", headers=V1 | wrong).status_code == 401
    # §8.1.2.0-6: limited to the session: once the player session ends, the token stops working.
    assert api.client.post(f"{base}exit").status_code == 200
    assert lrs.get(f"/lrs/{app_id}/whoami", headers=V1 | header).status_code == 401


def test_a_token_stops_working_when_its_session_expires_or_its_au_session_is_abandoned(
    api: Api, lrs: TestClient, ctx: Context
) -> None:
    base, _ = start(api, data_package("cmi5-blocks"))
    app_id = app_id_of(api)
    tokens = []
    for _ in range(2):
        fetch = params(launch_node(api, base, 2)["url"])["fetch"].removeprefix(HOST)
        tokens.append({"Authorization": "Basic " + api.client.post(fetch).json()["auth-token"]})
    # The first AU session was abandoned by the second launch (§9.3.6.0-2): its token is refused.
    assert lrs.get(f"/lrs/{app_id}/whoami", headers=V1 | tokens[0]).status_code == 401
    assert lrs.get(f"/lrs/{app_id}/whoami", headers=V1 | tokens[1]).status_code == 200
    with ctx.db.session() as session:
        session.execute(update(PlayerSession).values(expires=utcnow() - timedelta(seconds=1)))
    assert lrs.get(f"/lrs/{app_id}/whoami", headers=V1 | tokens[1]).status_code == 401


def test_xapi_launch_has_the_tin_can_parameters_and_a_working_auth(api: Api, lrs: TestClient) -> None:
    package = zip_bytes({"tincan.xml": tincan_xml(), "index.html": "<html></html>"})
    base, plan = start(api, package, "tc")
    assert plan["standard"] == "xapi"
    index = next(i for i, n in enumerate(plan["nodes"]) if n["href"])
    answer = launch_node(api, base, index)
    assert answer["ownWindow"] is False
    got = params(answer["url"])
    app_id = app_id_of(api)
    assert answer["url"].startswith(f"{HOST}{base}content/index.html?endpoint=")
    assert got["endpoint"] == f"{HOST}/lrs/{app_id}/"
    assert got["activity_id"] == "http://example.com/course"
    assert got["registration"] == session_registration(session_id(base))
    actor = json.loads(got["actor"])
    assert actor == preview_actor(HOST, app_id)
    assert got["auth"].startswith("Basic ")
    who = lrs.get(f"/lrs/{app_id}/whoami", headers=V1 | {"Authorization": got["auth"]})
    assert who.status_code == 200, who.text
    assert (who.json()["actor"], who.json()["registration"]) == (actor, got["registration"])
    # The launch is on record whatever the content reports (docs/xapi.md, "Launches").
    (recorded,) = Recorded(api).new()
    assert recorded["verb"]["id"] == VERB_LAUNCHED
    assert (recorded["object"]["id"], recorded["actor"]) == ("http://example.com/course", actor)
    assert recorded["context"]["registration"] == got["registration"]


def test_launch_data_is_written_before_the_au_starts(api: Api, ctx: Context) -> None:
    base, plan = start(api, data_package("cmi5-blocks"))
    got = params(launch_node(api, base, 2)["url"])
    with ctx.db.session() as session:
        rows = session.scalars(select(XapiDocument).where(XapiDocument.document_id == "LMS.LaunchData")).all()
        token = session.scalars(select(XapiLaunchToken)).one()
        assert len(rows) == 1
        row = rows[0]
        document = json.loads(row.content)
        # §10.1.0.0-3/4/5: for the launch's activityId, actor and registration.
        assert (row.kind, row.activity_id, row.registration) == ("state", got["activityId"], got["registration"])
        assert row.agent_key == f"account:{HOST}/lrs/{app_id_of(api)} preview"
        assert row.content_type == "application/json"
        # The documents resource's scope: SHA-256 of activity id, agent key and registration joined by NUL.
        owner = "\x00".join([got["activityId"], row.agent_key or "", got["registration"]])
        assert row.scope == hashlib.sha256(owner.encode()).hexdigest()
        # §10.2.1.0-1..3, §10.2.2.0-4, §10.2.4.0-1, §10.2.5.0-1
        assert document["contextTemplate"] == {
            "contextActivities": {"grouping": [{"id": plan["nodes"][2]["iri"], "objectType": "Activity"}]},
            "extensions": {EXT_SESSION: token.au_session},
        }
        assert (document["launchMode"], document["moveOn"], document["masteryScore"]) == ("Normal", "Passed", 0.8)
        assert document["returnURL"].startswith(HOST)
        assert "launchParameters" not in document
        assert "entitlementKey" not in document


class Recorded:
    """The statements the LMS recorded in the application's LRS, read back as ROOT: ``new()`` gives those stored
    since the last call, oldest first."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.seen = 0

    def new(self) -> list[dict[str, Any]]:
        response = self.api.client.get(
            f"/lrs/{self.api.app_id}/statements",
            params={"ascending": "true", "limit": "200"},
            headers=self.api.headers | {"X-Experience-API-Version": "2.0.0"},
        )
        assert response.status_code == 200, response.text
        everything: list[dict[str, Any]] = response.json()["statements"]
        fresh, self.seen = everything[self.seen :], len(everything)
        return fresh


PARAMS_COURSE = cmi5_xml(
    cmi5_block(
        "https://example.com/block",
        cmi5_au(
            "https://example.com/au/na",
            attrs='moveOn="NotApplicable"',
            body='<title><langstring lang="en-US">NA</langstring></title>'
            '<description><langstring lang="en-US">d</langstring></description>'
            "<url>index.html</url><launchParameters>paramA=1</launchParameters>"
            "<entitlementKey>key-1</entitlementKey>",
        ),
    )
)


def test_launched_and_registration_time_satisfied_statements(api: Api) -> None:
    recorded = Recorded(api)
    base, plan = start(api, zip_bytes({"cmi5.xml": PARAMS_COURSE, "index.html": "<html></html>"}))
    got = params(launch_node(api, base, 2)["url"])
    block, course = plan["nodes"][1], plan["nodes"][0]
    first, second, third = recorded.new()
    # §9.6.1.1-3: NotApplicable AUs satisfy their block and the course at registration, before the launch.
    assert [s["verb"]["id"] for s in (first, second, third)] == [VERB_SATISFIED, VERB_SATISFIED, VERB_LAUNCHED]
    assert (first["object"]["id"], first["object"]["definition"]["type"]) == (
        block["xapiId"], "https://w3id.org/xapi/cmi5/activitytype/block")  # fmt: skip
    assert second["object"]["id"] == course["xapiId"]
    assert second["context"]["contextActivities"]["grouping"] == [{"id": course["iri"], "objectType": "Activity"}]
    # §9.3.1, §9.6.3: the launched statement.
    assert third["object"]["id"] == got["activityId"]
    assert third["actor"] == json.loads(got["actor"])
    assert third["context"]["registration"] == got["registration"]
    assert {"id": CATEGORY_CMI5, "objectType": "Activity"} in third["context"]["contextActivities"]["category"]
    ext = third["context"]["extensions"]
    assert (ext[EXT_LAUNCH_MODE], ext[EXT_MOVE_ON]) == ("Normal", "NotApplicable")
    assert ext[EXT_LAUNCH_URL] == f"{HOST}{base}content/index.html"
    assert ext["https://w3id.org/xapi/cmi5/context/extensions/launchparameters"] == "paramA=1"
    assert EXT_MASTERY not in ext
    assert ext[EXT_SESSION] == first["context"]["extensions"][EXT_SESSION]
    # A second launch abandons the first session and records no second satisfied.
    launch_node(api, base, 2)
    verbs = [s["verb"]["id"] for s in recorded.new()]
    assert verbs == [VERB_ABANDONED, VERB_LAUNCHED]
    api.client.post(f"{base}exit")
    (abandoned,) = recorded.new()
    assert abandoned["verb"]["id"] == VERB_ABANDONED
    assert abandoned["result"]["duration"].startswith("PT")


def test_launch_data_carries_launch_parameters_and_entitlement_key(api: Api, ctx: Context) -> None:
    base, _ = start(api, zip_bytes({"cmi5.xml": PARAMS_COURSE, "index.html": "<html></html>"}))
    launch_node(api, base, 2)
    with ctx.db.session() as session:
        document = json.loads(session.scalars(select(XapiDocument)).one().content)
    assert document["launchParameters"] == "paramA=1"  # §10.2.3.0-1
    assert document["entitlementKey"] == {"courseStructure": "key-1"}  # §10.2.7.0-1


def test_an_expired_session_is_abandoned_when_the_next_one_starts(api: Api, ctx: Context) -> None:
    base, _ = start(api, data_package("cmi5-blocks"))
    launch_node(api, base, 2)
    with ctx.db.session() as session:
        session.execute(update(PlayerSession).values(expires=utcnow() - timedelta(seconds=1)))
    recorded = Recorded(api)
    recorded.new()
    launch(api, "c")
    assert [s["verb"]["id"] for s in recorded.new()] == [VERB_ABANDONED]


def test_the_statement_hook_enforces_the_rules_and_earns_satisfied(api: Api, lrs: TestClient, ctx: Context) -> None:
    base, plan = start(api, data_package("cmi5-blocks"))
    got = params(launch_node(api, base, 4)["url"])  # plotting: CompletedOrPassed, alone in its block
    api.client.post(got["fetch"].removeprefix(HOST))
    with ctx.db.session() as session:
        token = session.scalars(select(XapiLaunchToken)).one()
        scope = LaunchScope(token.session_id, dict(token.actor), token.registration, token.activity_id, token.pk)
        principal = LrsPrincipal(token.app_pk, app_id_of(api), Level.DEFAULT, {}, launch=scope)

        def statement(verb: str, **extra: Any) -> dict[str, Any]:
            categories = [{"id": CATEGORY_CMI5}] + ([{"id": CATEGORY_MOVEON}] if "result" in extra else [])
            return {
                "id": str(uuid.uuid4()),
                "timestamp": utcnow().isoformat(),
                "actor": json.loads(got["actor"]),
                "verb": {"id": verb},
                "object": {"id": got["activityId"]},
                "context": {
                    "registration": got["registration"],
                    "contextActivities": {"category": categories, "grouping": [{"id": plan["nodes"][4]["iri"]}]},
                    "extensions": {EXT_SESSION: token.au_session},
                },
                **extra,
            }

        with pytest.raises(Forbidden, match="9.3.0.0-4"):
            lms.check_and_advance(session, principal, [statement(VERB_COMPLETED)])
        with pytest.raises(Forbidden, match="11.0.0.0-3"):
            lms.check_and_advance(session, principal, [statement(VERB_INITIALIZED)])
        lms.learner_preferences_read(session, principal)
        assert lms.check_and_advance(session, principal, [statement(VERB_INITIALIZED)]) == []
        earned = lms.check_and_advance(
            session, principal, [statement(VERB_COMPLETED, result={"completion": True, "duration": "PT1S"})]
        )
        # §9.3.9.0-1: the practice block is satisfied; charts and the course still wait for the other AUs.
        assert [s["object"]["id"] for s in earned] == [plan["nodes"][3]["xapiId"]]
        assert earned[0]["context"]["extensions"][EXT_SESSION] == token.au_session  # §9.3.9.0-9
        with pytest.raises(Forbidden, match="9.3.0.0-2|9.3.0.0-6"):
            lms.check_and_advance(
                session, principal, [statement(VERB_COMPLETED, result={"completion": True, "duration": "PT1S"})]
            )


def test_an_au_reads_its_learner_preferences_before_initialized_and_keeps_off_the_launch_data(
    api: Api, ctx: Context
) -> None:
    """The AU's own path at the LRS with its fetched token (cmi5 §10.2.1, §11; CATAPULT's 005-1-invalid-au)."""
    base, plan = start(api, data_package("cmi5-blocks"))
    got = params(launch_node(api, base, 2)["url"])
    token = api.client.post(got["fetch"].removeprefix(HOST)).json()["auth-token"]
    lrs_url = f"/lrs/{app_id_of(api)}"
    header = V1 | {"Authorization": "Basic " + token}
    with ctx.db.session() as session:
        au_session = session.scalars(select(XapiLaunchToken)).one().au_session
    initialized = {
        "id": str(uuid.uuid4()),
        "timestamp": "2026-01-01T00:00:00.000Z",
        "actor": json.loads(got["actor"]),
        "verb": {"id": VERB_INITIALIZED},
        "object": {"id": got["activityId"]},
        "context": {
            "registration": got["registration"],
            "contextActivities": {"category": [{"id": CATEGORY_CMI5}], "grouping": [{"id": plan["nodes"][2]["iri"]}]},
            "extensions": {EXT_SESSION: au_session},
        },
    }
    # 11.0.0.0-3 (d2): initialized before the learner preferences were read is refused, and nothing is kept.
    refused = api.client.post(f"{lrs_url}/statements", json=initialized, headers=header)
    assert refused.status_code == 403
    assert "11.0.0.0-3" in refused.json()["message"]
    prefs = {"profileId": "cmi5LearnerPreferences", "agent": got["actor"]}
    # 11.0.0.0-5 (d), 11.1.0.0-1 (d): a malformed preferences document is refused with 403 (11.0.0.0-2).
    for body, content_type in (
        ('{"languagePreference": "en-US"}', "application/json"),
        ('{"languagePreference": "en US", "audioPreference": "on"}', "application/json"),
        ("just some text", "text/plain"),
    ):
        put = api.client.put(f"{lrs_url}/agents/profile", params=prefs, content=body,
                             headers=header | {"Content-Type": content_type, "If-None-Match": "*"})  # fmt: skip
        assert put.status_code == 403, put.text
    assert api.client.delete(f"{lrs_url}/agents/profile", params=prefs, headers=header).status_code == 403
    # Not there yet: a 404 that still counts as read (11.0.0.0-3 (d1)).
    assert api.client.get(f"{lrs_url}/agents/profile", params=prefs, headers=header).status_code == 404
    posted = api.client.post(f"{lrs_url}/statements", json=initialized, headers=header)
    assert posted.status_code == 200, posted.text
    good = api.client.put(f"{lrs_url}/agents/profile", params=prefs, headers=header | {"If-None-Match": "*"},
                          json={"languagePreference": "en-US,fr-FR", "audioPreference": "off"})  # fmt: skip
    assert good.status_code == 204, good.text

    # 9.1.0.0-1 (d), 9.7.0.0-1 (d), 9.7.0.0-2 (d): the AU sets the id and a UTC timestamp itself.
    def allowed(**changes: Any) -> dict[str, Any]:
        made = {**initialized, "id": str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}}
        return {k: v for k, v in (made | changes).items() if v is not None}

    for broken in (allowed(id=None), allowed(timestamp=None), allowed(timestamp="2026-01-01T00:00:00.000-06:00")):
        answer = api.client.post(f"{lrs_url}/statements", json=broken, headers=header)
        assert answer.status_code == 403, answer.text
    # 10.2.1.0-5 (d): LMS.LaunchData is only read by the AU.
    state = {"activityId": got["activityId"], "agent": got["actor"], "registration": got["registration"]}
    launch_data = state | {"stateId": "LMS.LaunchData"}
    assert api.client.get(f"{lrs_url}/activities/state", params=launch_data, headers=header).status_code == 200
    assert api.client.put(f"{lrs_url}/activities/state", params=launch_data, json={"x": 1},
                          headers=header).status_code == 403  # fmt: skip
    assert api.client.delete(f"{lrs_url}/activities/state", params=launch_data, headers=header).status_code == 403
    assert api.client.delete(f"{lrs_url}/activities/state", params=state, headers=header).status_code == 403
    own = state | {"stateId": "bookmark"}
    assert api.client.put(f"{lrs_url}/activities/state", params=own, json={"x": 1}, headers=header).status_code == 204


def test_a_preview_asks_for_a_launch_mode_with_its_cmi5_launch_mode_value(api: Api, ctx: Context) -> None:
    """cmi5 §10.2.2: the mode goes into LMS.LaunchData and the launched statement (9.6.3.3-1, 10.2.2.0-1); the rules
    then refuse passed/failed/completed (tests/unit/xapi/test_cmi5_rules.py, 10.2.2.0-2/-3)."""
    api.import_course("c", data_package("cmi5-blocks"))
    recorded = Recorded(api)
    for mode in ("Browse", "Review"):
        base, _ = launch(api, "c", additionalvalues=[{"item": "cmi5LaunchMode", "value": mode}])
        got = params(launch_node(api, base, 2)["url"])
        launched = [s for s in recorded.new() if s["verb"]["id"] == VERB_LAUNCHED]
        assert launched[-1]["context"]["extensions"][EXT_LAUNCH_MODE] == mode
        with ctx.db.session() as session:
            row = session.scalars(select(XapiDocument).order_by(XapiDocument.pk.desc())).first()
            assert row is not None
            assert json.loads(row.content)["launchMode"] == mode
            token = session.scalars(select(XapiLaunchToken).where(XapiLaunchToken.session_id == session_id(base))).one()
            assert token.state["launchMode"] == mode
        assert got["registration"] == session_registration(session_id(base))
    twice = [{"item": "cmi5LaunchMode", "value": "Browse"}, {"item": "cmi5LaunchMode", "value": "Review"}]
    for wrong in ([{"item": "cmi5LaunchMode", "value": "browse"}], twice):
        refused = api.request("POST", "/courses/c/preview", json={"additionalvalues": wrong})
        assert refused.status_code == 400
        assert "cmi5LaunchMode" in refused.json()["message"]


def test_waiving_an_au_records_waived_and_the_satisfied_it_earns(api: Api) -> None:
    """cmi5 §9.3.7 (9.3.7.0-1..4), §9.5.5.2: the preview player's waive call."""
    base, plan = start(api, data_package("cmi5-blocks"))
    recorded = Recorded(api)
    got = params(launch_node(api, base, 4)["url"])
    launched_session = recorded.new()[-1]["context"]["extensions"][EXT_SESSION]
    assert api.client.post(f"{base}waive/4", json={"reason": "Because"}).status_code == 400
    assert api.client.post(f"{base}waive/4", json={}).status_code == 400
    assert api.client.post(f"{base}waive/1", json={"reason": "Administrative"}).status_code == 404  # a block
    assert recorded.new() == []
    assert api.client.post(f"{base}waive/4", json={"reason": "Tested Out"}).status_code == 204
    waived, satisfied = recorded.new()
    assert waived["verb"]["id"] == "https://w3id.org/xapi/adl/verbs/waived"
    assert (waived["object"]["id"], waived["context"]["registration"]) == (got["activityId"], got["registration"])
    assert waived["actor"] == json.loads(got["actor"])
    assert waived["result"]["extensions"]["https://w3id.org/xapi/cmi5/result/extensions/reason"] == "Tested Out"
    assert (waived["result"]["success"], waived["result"]["completion"]) == (True, True)
    categories = [c["id"] for c in waived["context"]["contextActivities"]["category"]]
    assert categories == [CATEGORY_CMI5, CATEGORY_MOVEON]
    waiver_session = waived["context"]["extensions"][EXT_SESSION]
    assert waiver_session != launched_session  # 9.3.7.0-3: a session id of its own
    # The practice block, whose only AU this is, is satisfied in the waiver's session.
    assert satisfied["verb"]["id"] == VERB_SATISFIED
    assert satisfied["object"]["id"] == plan["nodes"][3]["xapiId"]
    assert satisfied["context"]["extensions"][EXT_SESSION] == waiver_session
    # 9.3.7.0-4: not twice in a registration (nor once moveOn is met otherwise).
    assert api.client.post(f"{base}waive/4", json={"reason": "Administrative"}).status_code == 409
    for index in (2, 5):
        assert api.client.post(f"{base}waive/{index}", json={"reason": "Equivalent AU"}).status_code == 204
    verbs = [(s["verb"]["id"].rsplit("/", 1)[-1], s["object"]["id"]) for s in recorded.new()]
    assert verbs == [
        ("waived", plan["nodes"][2]["xapiId"]),
        ("satisfied", plan["nodes"][1]["xapiId"]),
        ("waived", plan["nodes"][5]["xapiId"]),
        ("satisfied", plan["nodes"][0]["xapiId"]),
    ]
    # The waiver abandoned nothing, and the player session's exit abandons only the launch still open.
    api.client.post(f"{base}exit")
    assert [s["verb"]["id"] for s in recorded.new()] == [VERB_ABANDONED]


def test_waiving_needs_the_player_session_and_a_cmi5_course(api: Api) -> None:
    base, _ = start(api, data_package("cmi5-blocks"))
    api.client.cookies.clear()
    assert api.client.post(f"{base}waive/4", json={"reason": "Administrative"}).status_code == 403
    package = zip_bytes({"tincan.xml": tincan_xml(), "index.html": "<html></html>"})
    tin_can, plan = start(api, package, "tc")
    index = next(i for i, n in enumerate(plan["nodes"]) if n["href"])
    assert api.client.post(f"{tin_can}waive/{index}", json={"reason": "Administrative"}).status_code == 404
