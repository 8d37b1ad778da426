"""The Agents Resource, GET /agents (xapi/agents_resource.py): the Person object of an agent. Requirement ids are
ADL's conformance suite's (XAPI-00xxx)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from coursehost.context import Context
from coursehost.models import Application, XapiCredential
from tests.integration.xapi.test_documents import basic

V2 = {"X-Experience-API-Version": "2.0.0"}


def get(client: TestClient, auth: dict[str, str], agent: Any, method: str = "GET") -> Any:
    query = "" if agent is None else "?agent=" + quote(json.dumps(agent), safe="")
    headers = V2 | {"Authorization": auth["Authorization"]}
    return client.request(method, f"/lrs/{auth['X-App-Id']}/agents{query}", headers=headers)


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (
            {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"},
            {"objectType": "Person", "name": ["xAPI mbox"], "mbox": ["mailto:xapi@adlnet.gov"]},
        ),
        ({"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"},
         {"objectType": "Person", "mbox_sha1sum": ["cd9b00a5611f94eaa7b1661edab976068e364975"]}),
        ({"openid": "http://openid.example.org/12345"}, {"objectType": "Person", "openid": ["http://openid.example.org/12345"]}),
        (
            {"account": {"homePage": "http://www.example.com", "name": "xAPI account"}},
            {"objectType": "Person", "account": [{"homePage": "http://www.example.com", "name": "xAPI account"}]},
        ),
    ],
)  # fmt: skip
def test_an_agent_is_answered_with_its_person_object(
    client: TestClient, auth: dict[str, str], agent: dict[str, Any], expected: dict[str, Any]
) -> None:
    # XAPI-00236/00245/00248 (GET answers 200 with a Person), 00237 (objectType Person), 00238 (name: an array of
    # strings), 00239/00244 (mbox: an array of mailto IRIs), 00240 (mbox_sha1sum), 00241 (openid), 00242 (account).
    response = get(client, auth, agent)
    assert response.status_code == 200
    assert response.json() == expected
    assert response.headers["content-type"] == "application/json"
    head = get(client, auth, agent, "HEAD")  # XAPI-00125/00126
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.parametrize(
    "agent",
    [
        None,  # XAPI-00243
        {"objectType": "Agent", "name": "Rick James"},  # XAPI-00249: no identifier
        True,
        {"objectType": "Group", "mbox": "mailto:group@example.com"},
        {"mbox": "mailto:a@example.com", "mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"},
    ],
)
def test_a_missing_or_invalid_agent_is_400(client: TestClient, auth: dict[str, str], agent: Any) -> None:
    response = get(client, auth, agent)
    assert response.status_code == 400
    assert "agent" in response.json()["message"]


def test_a_writeonly_credential_cannot_read_persons(client: TestClient, ctx: Context, auth: dict[str, str]) -> None:
    with ctx.db.session() as session:
        app = session.query(Application).filter_by(app_id=auth["X-App-Id"]).one()
        session.add(XapiCredential(app_pk=app.pk, credential_id="w", secret="s", permissions_level="WRITEONLY"))
    writer = {"Authorization": basic("w", "s")["Authorization"], "X-App-Id": auth["X-App-Id"]}
    assert get(client, writer, {"mbox": "mailto:a@example.com"}).status_code == 403
