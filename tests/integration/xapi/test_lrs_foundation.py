"""The LRS's address, version negotiation and who may call it (xapi/lrs.py, xapi/versions.py, xapi/principal.py).

Requirement ids are those of ADL's conformance suite where it has them (XAPI-00xxx) and the spec's sections
otherwise."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient
from sqlalchemy import select

from coursehost.context import ContextDep, SessionDep
from coursehost.models import Application, XapiCredential
from coursehost.xapi.principal import Level, identify
from coursehost.xapi.versions import HEADER, XapiVersion, negotiate

V2 = {HEADER: "2.0.0"}


def basic(user: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()}


def who_router() -> APIRouter:
    # A route that only identifies its caller, so the principal is tested apart from any resource.
    router = APIRouter()

    @router.get("/lrs/{app_id}/whoami")
    def whoami(request: Request, ctx: ContextDep, session: SessionDep, app_id: str) -> dict[str, Any]:
        principal = identify(request, ctx, session, app_id)
        return {"level": principal.level, "authority": principal.authority, "credential": principal.credential_pk}

    return router


@pytest.fixture
def lrs(client: TestClient) -> TestClient:
    client.app.include_router(who_router())  # type: ignore[attr-defined]
    return client


def app_credentials(headers: dict[str, str]) -> tuple[str, str]:
    user, _, secret = base64.b64decode(headers["Authorization"].split()[1]).decode().partition(":")
    return user, secret


def test_about_answers_without_credentials_and_names_both_versions(client: TestClient, auth: dict[str, str]) -> None:
    app_id = auth["X-App-Id"]
    for headers in ({}, V2, {HEADER: "1.0.3"}):  # XAPI-00314: about needs no version header
        response = client.get(f"/lrs/{app_id}/about", headers=headers)
        assert response.status_code == 200
        assert response.json() == {"version": ["2.0.0", "1.0.3"], "extensions": {}}
        assert response.headers[HEADER] in ("2.0.0", "1.0.3")


@pytest.mark.parametrize(("sent", "served"), [("2.0.0", "2.0.0"), ("2.0", "2.0.0"), ("1.0.3", "1.0.3"),
                                              ("1.0.0", "1.0.3"), ("1.0", "1.0.3")])  # fmt: skip
def test_a_supported_version_is_answered_in_its_latest_patch(sent: str, served: str) -> None:
    assert negotiate(sent) == XapiVersion(served)


def test_requests_without_a_supported_version_are_400_and_still_name_one(lrs: TestClient, auth: dict[str, str]) -> None:
    app_id, secret = app_credentials(auth)
    for headers in ({}, {HEADER: "0.95"}, {HEADER: "3.0.0"}, {HEADER: "1.0.3.1"}, {HEADER: "banana"}):
        response = lrs.get(f"/lrs/{app_id}/whoami", headers=headers | basic(app_id, secret))
        assert response.status_code == 400, headers
        assert HEADER in response.json()["message"]
        assert response.headers[HEADER] == "2.0.0"
    ok = lrs.get(f"/lrs/{app_id}/whoami", headers={HEADER: "1.0.1"} | basic(app_id, secret))
    assert ok.status_code == 200
    assert ok.headers[HEADER] == "1.0.3"


def test_the_applications_own_key_is_root(lrs: TestClient, auth: dict[str, str]) -> None:
    app_id, secret = app_credentials(auth)
    body = lrs.get(f"/lrs/{app_id}/whoami", headers=V2 | basic(app_id, secret)).json()
    assert body["level"] == Level.ROOT
    assert body["authority"] == {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": app_id}}


def test_wrong_missing_and_foreign_credentials_are_401(lrs: TestClient, auth: dict[str, str], make_app: Any) -> None:
    app_id, secret = app_credentials(auth)
    other_id, other_secret = app_credentials(make_app("other"))
    for headers in ({}, basic(app_id, "wrong"), basic(other_id, other_secret), {"Authorization": "Basic !!"}):
        response = lrs.get(f"/lrs/{app_id}/whoami", headers=V2 | headers)
        assert response.status_code == 401
        # Never a Basic challenge: a browser would prompt, then send the answer with course content's requests.
        assert "basic" not in response.headers.get("www-authenticate", "").lower()
    assert lrs.get("/lrs/unknown-app/whoami", headers=V2 | basic(app_id, secret)).status_code == 404


def test_a_credential_acts_at_its_level_and_only_while_enabled(lrs: TestClient, auth: dict[str, str], ctx: Any) -> None:
    app_id, _ = app_credentials(auth)
    with ctx.db.session() as session:
        app_pk = session.scalars(select(Application.pk).where(Application.app_id == app_id)).one()
        session.add(
            XapiCredential(app_pk=app_pk, credential_id="reader", secret="s3cret", permissions_level="READONLY")
        )
    body = lrs.get(f"/lrs/{app_id}/whoami", headers=V2 | basic("reader", "s3cret")).json()
    assert body["level"] == Level.READONLY
    assert body["authority"]["account"] == {"homePage": f"http://testserver/lrs/{app_id}", "name": "reader"}
    assert lrs.get(f"/lrs/{app_id}/whoami", headers=V2 | basic("reader", "s3crex")).status_code == 401
    with ctx.db.session() as session:
        session.query(XapiCredential).update({"enabled": False})
    assert lrs.get(f"/lrs/{app_id}/whoami", headers=V2 | basic("reader", "s3cret")).status_code == 401
