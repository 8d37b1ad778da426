"""What the LRS tests share: an application's LRS address and headers, and a statement to send."""

from __future__ import annotations

import base64
import copy
import uuid
from typing import Any

from fastapi.testclient import TestClient

from coursehost.xapi.versions import HEADER

V2 = {HEADER: "2.0.0"}
V1 = {HEADER: "1.0.3"}
AGENT = {"objectType": "Agent", "name": "Learner", "mbox": "mailto:learner@example.com"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}}
ACTIVITY = {"objectType": "Activity", "id": "http://example.com/activities/meeting"}


def basic(user: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()}


def make_statement(**changes: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"actor": copy.deepcopy(AGENT), "verb": copy.deepcopy(VERB), "object": dict(ACTIVITY)}
    statement.update(changes)
    return statement


def new_id() -> str:
    return str(uuid.uuid4())


class Lrs:
    """An application's LRS through the ASGI client."""

    def __init__(self, client: TestClient, auth: dict[str, str], version: dict[str, str] = V2) -> None:
        self.client = client
        self.app_id = auth["X-App-Id"]
        self.headers = {"Authorization": auth["Authorization"]} | version
        self.base = f"/lrs/{self.app_id}"

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.request(method, self.base + path, headers=self.headers | (headers or {}), **kwargs)

    def post(self, statements: Any, headers: dict[str, str] | None = None) -> Any:
        return self.request("POST", "/statements", headers=headers, json=statements)

    def put(self, statement: Any, statement_id: str, headers: dict[str, str] | None = None) -> Any:
        return self.request("PUT", "/statements", headers=headers, params={"statementId": statement_id}, json=statement)

    def get(self, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.request("GET", "/statements", headers=headers, params=params)
