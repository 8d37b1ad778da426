"""The Agents Resource, ``GET /agents?agent=`` (xAPI 2.0.0 §4.1.6.3, 1.0.3 Communication §2.4): the Person object
of an agent.

The LRS keeps no links between the identifiers of one person, so the Person holds what the request named: its one
identifier and its name, each as a one-element array (2.0.0: with nothing more to add, the Person object holds only
the requested Agent's information).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from coursehost.kit.errors import Forbidden
from coursehost.kit.routing import checked_router
from coursehost.xapi.documents.agent_param import parse_agent
from coursehost.xapi.documents.params import Query
from coursehost.xapi.principal import LrsDep

router = checked_router(include_in_schema=False)

_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def person(agent: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"objectType": "Person"}
    if "name" in agent:
        found["name"] = [agent["name"]]
    for key in _IFIS:
        if key in agent:
            found[key] = [agent[key]]
    return found


@router.api_route("/agents", methods=["GET", "HEAD"])
def get_person(request: Request, principal: LrsDep) -> JSONResponse:
    if not principal.may_read:
        raise Forbidden(f"This credential's permission level ({principal.level}) may not read")
    agent = parse_agent(Query(request.query_params).required("agent"), allow_group=False)
    return JSONResponse(person(agent))
