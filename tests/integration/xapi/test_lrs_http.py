"""The LRS's cross-cutting HTTP behaviour: the 1.0.3 alternate request syntax (xapi/alternate.py, Communication 1.3),
CORS (xapi/cors.py), the Consistent-Through header on every GET /statements answer."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from coursehost.config import Settings
from coursehost.xapi.versions import HEADER
from tests.integration.xapi.lrs_helpers import V1, Lrs, make_statement, new_id

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth, V1)


def alternate(lrs: Lrs, method: str, form: dict[str, str], query: str = "") -> int:
    form = {"Authorization": lrs.headers["Authorization"], HEADER: "1.0.3"} | form
    path = f"{lrs.base}/statements?method={method}{query}"
    status: int = lrs.client.post(path, content=urlencode(form), headers=FORM).status_code
    return status


def test_alternate_syntax_put_and_get(lrs: Lrs) -> None:
    sid = new_id()
    content = json.dumps(make_statement())
    assert alternate(lrs, "PUT", {"statementId": sid, "content": content}) == 204  # XAPI-00336
    answer = lrs.client.post(
        f"{lrs.base}/statements?method=GET", content=urlencode({"statementId": sid}), headers=FORM | lrs.headers
    )
    assert answer.status_code == 200  # XAPI-00148
    assert answer.json()["id"] == sid


def test_alternate_syntax_refusals(lrs: Lrs) -> None:
    content = json.dumps(make_statement())
    sid = new_id()
    assert alternate(lrs, "PUT", {"statementId": sid}) == 400  # no content
    assert alternate(lrs, "PUT", {"statementId": sid, "content": content}, f"&statementId={sid}") == 400  # extra
    assert alternate(lrs, "PUT", {"statementId": sid, "content": content, HEADER: "0.8"}) == 400
    assert alternate(lrs, "PUT", {"statementId": sid, "content": content, HEADER: "2.0.0"}) == 400  # not in 2.0
    put = lrs.client.put(f"{lrs.base}/statements?method=POST", content=urlencode({"content": content}), headers=FORM)
    assert put.status_code == 400  # only as a POST
    not_form = lrs.client.post(f"{lrs.base}/statements?method=PUT", content=content, headers=lrs.headers)
    assert not_form.status_code == 400
    assert lrs.get(statementId=sid).status_code == 404


def test_cors_admits_the_content_origin_and_listed_ones_only(settings: Settings, auth: dict[str, str]) -> None:
    from coursehost.app import create_app

    update = {"content_url": "http://content.example", "xapi_cors_origins": "https://reports.example"}
    with TestClient(create_app(settings.model_copy(update=update))) as client:
        base = f"/lrs/{auth['X-App-Id']}/statements"
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
        for origin in ("http://content.example", "https://reports.example"):
            answer = client.options(base, headers=preflight | {"Origin": origin})
            assert answer.status_code == 204
            assert answer.headers["Access-Control-Allow-Origin"] == origin
            assert "X-Experience-API-Version" in answer.headers["Access-Control-Allow-Headers"]
            assert "Access-Control-Allow-Credentials" not in answer.headers
        # Another site, and the API's own origin when content has an origin of its own (issue 12 §4).
        for origin in ("http://evil.example", "http://testserver"):
            elsewhere = client.options(base, headers=preflight | {"Origin": origin})
            assert "Access-Control-Allow-Origin" not in elsewhere.headers
        read = client.get(base, headers={"Origin": "http://content.example", HEADER: "2.0.0"})
        assert read.status_code == 401  # the preflight passes, the request still needs credentials
        assert read.headers["Access-Control-Allow-Origin"] == "http://content.example"
        assert "X-Experience-API-Consistent-Through" in read.headers["Access-Control-Expose-Headers"]


def test_consistent_through_on_every_statements_answer(lrs: Lrs) -> None:
    # XAPI-00153: regardless of the code returned.
    for params in ({}, {"statementId": "not-a-uuid"}, {"unknown": "1"}):
        answer = lrs.get(**params)
        assert "X-Experience-API-Consistent-Through" in answer.headers
