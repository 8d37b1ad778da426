"""SCORM Cloud's xAPI credential operations (``/api/v2/xapi/credentials``) and the LRS accepting what they make.

The LRS side is checked through ``coursehost.xapi.principal.identify`` on a route that only identifies its caller
(as test_lrs_foundation.py does): xAPI 1.0.3 / 2.0 "Security" (an LRS authenticates its callers; unknown or
disabled credentials are 401)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coursehost.xapi.principal import Level
from tests.integration.conftest import Api
from tests.integration.xapi.test_lrs_foundation import V2, basic, who_router

BASE = "/xapi/credentials"


def create(api: Api, **fields: Any) -> str:
    body = {"name": "LMS", **fields}
    response = api.request("POST", BASE, json=body)
    assert response.status_code == 200, response.text
    credential_id: str = response.json()["result"]
    return credential_id


def get(api: Api, credential_id: str) -> dict[str, Any]:
    response = api.request("GET", f"{BASE}/{credential_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def lrs(client: TestClient) -> TestClient:
    client.app.include_router(who_router())  # type: ignore[attr-defined]
    return client


def whoami(lrs: TestClient, app_id: str, user: str, secret: str) -> Any:
    return lrs.get(f"/lrs/{app_id}/whoami", headers=V2 | basic(user, secret))


def test_create_then_read_back_every_field(api: Api) -> None:
    credential_id = create(
        api,
        info="for the LMS",
        secret="s3cret-value",
        isEnabled=True,
        auth="BASICAUTH",
        permissionsLevel={"xapiCredentialPermissionsLevel": "READONLY"},
    )
    assert credential_id
    assert credential_id != api.app_id
    assert get(api, credential_id) == {
        "id": credential_id,
        "name": "LMS",
        "info": "for the LMS",
        "secret": "s3cret-value",
        "isEnabled": True,
        "auth": {"xapiCredentialAuthType": "BASICAUTH"},
        "permissionsLevel": {"xapiCredentialPermissionsLevel": "READONLY"},
    }


def test_defaults_and_a_generated_secret(api: Api) -> None:
    first, second = create(api), create(api, secret="")
    one, two = get(api, first), get(api, second)
    assert first != second
    assert len(one["secret"]) >= 24
    assert len(two["secret"]) >= 24
    assert one["secret"] != two["secret"]
    assert one["isEnabled"] is True
    assert one["info"] == ""
    assert one["auth"] == {"xapiCredentialAuthType": "BASICAUTH"}
    assert one["permissionsLevel"] == {"xapiCredentialPermissionsLevel": "DEFAULT"}


@pytest.mark.parametrize("level", [level.value for level in Level])
def test_a_created_credential_opens_the_lrs_at_its_level(api: Api, lrs: TestClient, level: str) -> None:
    credential_id = create(api, secret="pw-" + level, permissionsLevel=level)
    body = whoami(lrs, api.app_id, credential_id, "pw-" + level).json()
    assert body["level"] == level
    assert body["authority"]["account"]["name"] == credential_id
    assert whoami(lrs, api.app_id, credential_id, "wrong").status_code == 401


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({}, "name"),
        ({"name": 5}, "name"),
        ({"name": "x" * 501}, "name"),
        ({"name": "n", "info": "x" * 4001}, "info"),
        ({"name": "n", "secret": "x" * 256}, "secret"),
        ({"name": "n", "isEnabled": "maybe"}, "isEnabled"),
        ({"name": "n", "permissionsLevel": "GOD"}, "permissionsLevel"),
        ({"name": "n", "permissionsLevel": {"xapiCredentialPermissionsLevel": "GOD"}}, "permissionsLevel"),
        ({"name": "n", "auth": "DIGEST"}, "auth"),
        ({"name": "n", "auth": "OAUTH"}, "OAUTH"),
        ({"name": "n", "auth": {"xapiCredentialAuthType": "OAUTH"}}, "OAUTH"),
    ],
)
def test_invalid_bodies_are_400_naming_the_field_and_create_nothing(api: Api, body: dict[str, Any], named: str) -> None:
    response = api.request("POST", BASE, json=body)
    assert response.status_code == 400, response.text
    assert named in response.json()["message"]
    assert response.json()["error"] == response.json()["message"]
    assert api.request("GET", BASE).json()["xapiCredentials"] == []


def test_put_creates_with_the_given_id_then_updates_only_what_it_names(api: Api, lrs: TestClient) -> None:
    assert api.request("PUT", f"{BASE}/lms-1", json={"name": "LMS", "secret": "first"}).status_code == 204
    created = get(api, "lms-1")
    assert created["permissionsLevel"] == {"xapiCredentialPermissionsLevel": "DEFAULT"}
    assert whoami(lrs, api.app_id, "lms-1", "first").status_code == 200

    update = {"id": "lms-1", "info": "moved", "secret": "second", "permissionsLevel": "WRITEONLY"}
    assert api.request("PUT", f"{BASE}/lms-1", json=update).status_code == 204
    updated = get(api, "lms-1")
    assert updated == created | {
        "info": "moved",
        "secret": "second",
        "permissionsLevel": {"xapiCredentialPermissionsLevel": "WRITEONLY"},
    }
    assert whoami(lrs, api.app_id, "lms-1", "first").status_code == 401
    assert whoami(lrs, api.app_id, "lms-1", "second").json()["level"] == "WRITEONLY"

    # isEnabled false: the LRS no longer takes it (but the API still shows it); true again: it does.
    assert api.request("PUT", f"{BASE}/lms-1", json={"isEnabled": False}).status_code == 204
    assert get(api, "lms-1")["isEnabled"] is False
    assert whoami(lrs, api.app_id, "lms-1", "second").status_code == 401
    assert api.request("PUT", f"{BASE}/lms-1", json={"isEnabled": True}).status_code == 204
    assert whoami(lrs, api.app_id, "lms-1", "second").status_code == 200


def test_put_as_the_official_client_sends_it(api: Api) -> None:
    # The clients' setXapiCredential sends XapiCredentialPostSchema with every required field, objects for enums.
    body = {
        "name": "n",
        "secret": "s",
        "isEnabled": True,
        "auth": {"xapiCredentialAuthType": "BASICAUTH"},
        "permissionsLevel": {"xapiCredentialPermissionsLevel": "ROOT"},
    }
    assert api.request("PUT", f"{BASE}/from-client", json=body).status_code == 204
    assert get(api, "from-client")["permissionsLevel"] == {"xapiCredentialPermissionsLevel": "ROOT"}


@pytest.mark.parametrize(
    ("credential_id", "body", "named"),
    [
        ("new", {}, "name"),
        ("a%3Ab", {"name": "n"}, "':'"),
        ("%20padded", {"name": "n"}, "white space"),
        ("x" * 65, {"name": "n"}, "64"),
        ("tab%09in", {"name": "n"}, "control"),
        ("other", {"name": "n", "id": "different"}, "id"),
        ("new", {"name": "n", "auth": "OAUTH"}, "OAUTH"),
    ],
)
def test_put_refuses_ids_the_lrs_could_not_read_and_bad_bodies(
    api: Api, credential_id: str, body: dict[str, Any], named: str
) -> None:
    response = api.request("PUT", f"{BASE}/{credential_id}", json=body)
    assert response.status_code == 400, response.text
    assert named in response.json()["message"]
    assert api.request("GET", BASE).json()["xapiCredentials"] == []


def test_the_applications_own_id_is_never_a_credential_id(api: Api, lrs: TestClient) -> None:
    response = api.request("PUT", f"{BASE}/{api.app_id}", json={"name": "n", "secret": "guess"})
    assert response.status_code == 400
    assert "application's id" in response.json()["message"]
    assert whoami(lrs, api.app_id, api.app_id, "guess").status_code == 401


def test_ids_with_slashes_and_unicode_round_trip(api: Api) -> None:
    assert api.request("PUT", f"{BASE}/a%2Fb é", json={"name": "n"}).status_code == 204
    assert get(api, "a%2Fb é")["id"] == "a/b é"
    assert api.request("DELETE", f"{BASE}/a%2Fb é").status_code == 204


def test_delete_then_404_and_the_lrs_refuses_it(api: Api, lrs: TestClient) -> None:
    credential_id = create(api, secret="pw")
    assert whoami(lrs, api.app_id, credential_id, "pw").status_code == 200
    assert api.request("DELETE", f"{BASE}/{credential_id}").status_code == 204
    for method in ("GET", "DELETE"):
        response = api.request(method, f"{BASE}/{credential_id}")
        assert response.status_code == 404
        assert credential_id in response.json()["message"]
    assert whoami(lrs, api.app_id, credential_id, "pw").status_code == 401


def test_applications_never_see_each_others_credentials(
    api: Api, client: TestClient, make_app: Any, lrs: TestClient
) -> None:
    other = Api(client, make_app("other"))
    mine = create(api, secret="mine-pw")
    assert api.request("PUT", f"{BASE}/shared-name", json={"name": "mine", "secret": "a"}).status_code == 204
    # The same id in another application is another credential.
    assert other.request("PUT", f"{BASE}/shared-name", json={"name": "theirs", "secret": "b"}).status_code == 204
    assert get(api, "shared-name")["name"] == "mine"
    assert get(other, "shared-name")["name"] == "theirs"

    for method, body in (("GET", None), ("DELETE", None)):
        assert other.request(method, f"{BASE}/{mine}", json=body).status_code == 404
    assert [c["id"] for c in other.request("GET", BASE).json()["xapiCredentials"]] == ["shared-name"]
    assert get(api, mine)["secret"] == "mine-pw"
    # At the LRS, a credential only opens its own application's.
    assert whoami(lrs, other.app_id, mine, "mine-pw").status_code == 401
    assert whoami(lrs, other.app_id, "shared-name", "a").status_code == 401
    assert whoami(lrs, other.app_id, "shared-name", "b").status_code == 200


def test_paging_with_more_tokens_bound_to_the_query_and_the_application(
    api: Api, client: TestClient, make_app: Any
) -> None:
    client.app.state.ctx.settings.page_size = 2  # type: ignore[attr-defined]
    made = [create(api, name=f"cred {i}") for i in range(5)]
    seen: list[str] = []
    params: dict[str, Any] = {"orderBy": "created_asc", "includeTotalCount": "true"}
    first = api.request("GET", BASE, params=params)
    assert first.headers["X-Total-Count"] == "5"
    body = first.json()
    while True:
        seen += [c["id"] for c in body["xapiCredentials"]]
        if "more" not in body:
            break
        response = api.request("GET", BASE, params={"more": body["more"]})
        assert "X-Total-Count" not in response.headers
        body = response.json()
    assert seen == made

    token = api.request("GET", BASE, params={"orderBy": "name_desc"}).json()["more"]
    other = Api(client, make_app("other"))
    refused = other.request("GET", BASE, params={"more": token})
    assert refused.status_code == 400
    assert "more" in refused.json()["message"]
    assert api.request("GET", BASE, params={"more": token + "x"}).status_code == 400
    by_name = [c["name"] for c in api.request("GET", BASE, params={"more": token}).json()["xapiCredentials"]]
    assert by_name == ["cred 2", "cred 1"]


def test_filters_and_time_bounds(api: Api) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    assert api.request("PUT", f"{BASE}/alpha", json={"name": "Reporting"}).status_code == 204
    assert api.request("PUT", f"{BASE}/beta", json={"name": "LMS writer"}).status_code == 204

    def ids(**params: Any) -> list[str]:
        response = api.request("GET", BASE, params=params)
        assert response.status_code == 200, response.text
        return sorted(c["id"] for c in response.json()["xapiCredentials"])

    assert ids() == ["alpha", "beta"]
    assert ids(filter="ALP") == ["alpha"]
    assert ids(filter="writer", filterBy="credential_name") == ["beta"]
    assert ids(since=before.isoformat()) == ["alpha", "beta"]
    assert ids(until=before.isoformat(), datetimeFilter="created") == []
    for bad in ({"filterBy": "secret"}, {"orderBy": "secret_asc"}, {"since": "yesterday"}, {"datetimeFilter": "x"}):
        response = api.request("GET", BASE, params=bad)
        assert response.status_code == 400
        assert next(iter(bad)) in response.json()["message"]
