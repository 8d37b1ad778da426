"""The Statement Resource's query parameters, checked once into a typed form (xAPI 2.0.0 §4.1.6.1, 1.0.3
Communication 2.1.3). A parameter the resource does not define is refused, as is any filter beside statementId or
voidedStatementId."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursehost.kit.errors import BadRequest
from coursehost.xapi import formats
from coursehost.xapi.agents import agent_key
from coursehost.xapi.statements.validation import InvalidStatement, check_statement
from coursehost.xapi.versions import XapiVersion

SINGLE = {"statementId", "voidedStatementId"}
SHAPING = {"format", "attachments"}
FILTERS = {"agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until",
           "limit", "ascending", "more"}  # fmt: skip
FORMATS = ("exact", "ids", "canonical")


@dataclass(frozen=True)
class StatementQuery:
    statement_id: str | None = None
    voided_statement_id: str | None = None
    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    format: str = "exact"
    attachments: bool = False
    ascending: bool = False
    more: str | None = None


def _boolean(name: str, value: str) -> bool:
    if value.lower() not in ("true", "false"):
        raise BadRequest(f"Invalid request: {name} must be true or false (got {value!r})")
    return value.lower() == "true"


def _time(name: str, value: str) -> datetime:
    moment = formats.parse_timestamp(value)
    if moment is None:
        raise BadRequest(f"Invalid request: {name} must be an ISO 8601 timestamp (got {value!r})")
    return moment


def parse_agent(value: str, version: XapiVersion) -> str:
    try:
        agent: Any = json.loads(value)
    except (ValueError, RecursionError):
        raise BadRequest("Invalid request: agent must be an Agent or identified Group as JSON") from None
    probe = {"actor": agent, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
             "object": {"id": "http://example.com/activity"}}  # fmt: skip
    try:
        check_statement(probe, version)
    except InvalidStatement as exc:
        raise BadRequest(exc.message.replace("Invalid statement: statement.actor", "Invalid request: agent")) from None
    key = agent_key(agent)
    if key is None:
        raise BadRequest("Invalid request: agent must have an inverse functional identifier")
    return key


def parse_query(params: Mapping[str, str], version: XapiVersion) -> StatementQuery:
    unknown = sorted(set(params) - SINGLE - SHAPING - FILTERS)
    if unknown:
        raise BadRequest(f"Invalid request: the Statement Resource has no parameter {unknown[0]!r}")
    single = SINGLE & set(params)
    if len(single) > 1:
        raise BadRequest("Invalid request: statementId and voidedStatementId cannot be used together")
    if single and FILTERS & set(params):
        raise BadRequest(f"Invalid request: {single.pop()} allows only the format and attachments parameters")
    values: dict[str, Any] = {}
    for name, value in params.items():
        if name == "statementId":
            values["statement_id"] = value
        elif name == "voidedStatementId":
            values["voided_statement_id"] = value
        elif name == "agent":
            values["agent"] = parse_agent(value, version)
        elif name in ("verb", "activity"):
            if not formats.is_iri(value):
                raise BadRequest(f"Invalid request: {name} must be an IRI (got {value!r})")
            values[name] = value
        elif name == "registration":
            if not formats.is_uuid(value):
                raise BadRequest(f"Invalid request: registration must be a UUID (got {value!r})")
            values["registration"] = value.lower()
        elif name in ("related_activities", "related_agents", "attachments", "ascending"):
            values[name] = _boolean(name, value)
        elif name in ("since", "until"):
            values[name] = _time(name, value)
        elif name == "limit":
            if not value.isdigit():
                raise BadRequest(f"Invalid request: limit must be a non-negative integer (got {value!r})")
            values["limit"] = int(value)
        elif name == "format":
            if value not in FORMATS:
                raise BadRequest(f"Invalid request: format must be one of {', '.join(FORMATS)} (got {value!r})")
            values["format"] = value
        elif name == "more":
            values["more"] = value
    return StatementQuery(**values)
