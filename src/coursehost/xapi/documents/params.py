"""The query parameters of the document resources, read and checked once (400 naming the parameter)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import QueryParams

from coursehost.kit.errors import BadRequest
from coursehost.xapi.documents.agent_param import is_iri, parse_agent

# A document id is part of the table's unique index: 500 characters are at most 2,000 bytes of UTF-8, well under
# PostgreSQL's btree row limit with the other columns of the index.
DOCUMENT_ID_MAX = 500
ACTIVITY_ID_MAX = 2048
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class Query:
    """One request's query parameters: each given at most once, none holding a NUL."""

    def __init__(self, params: QueryParams | Mapping[str, str]) -> None:
        items = params.multi_items() if isinstance(params, QueryParams) else list(params.items())
        self.values: dict[str, str] = {}
        for name, value in items:
            if name in self.values:
                raise BadRequest(f"Parameter '{name}' was given more than once")
            if "\x00" in value:
                raise BadRequest(f"Parameter '{name}' must not contain a NUL character")
            self.values[name] = value

    def optional(self, name: str) -> str | None:
        return self.values.get(name)

    def required(self, name: str) -> str:
        value = self.values.get(name)
        if value is None or value == "":
            raise BadRequest(f"Parameter '{name}' is required")
        return value

    def activity_id(self) -> str:
        value = self.required("activityId")
        if len(value) > ACTIVITY_ID_MAX or not is_iri(value):
            raise BadRequest(f"Parameter 'activityId' must be an IRI of at most {ACTIVITY_ID_MAX} characters")
        return value

    def agent(self) -> dict[str, Any]:
        return parse_agent(self.required("agent"))

    def document_id(self, name: str) -> str | None:
        value = self.optional(name)
        if value is not None and (value == "" or len(value) > DOCUMENT_ID_MAX):
            raise BadRequest(f"Parameter '{name}' must be a string of 1 to {DOCUMENT_ID_MAX} characters")
        return value

    def registration(self) -> str | None:
        value = self.optional("registration")
        if value is None:
            return None
        if not _UUID.fullmatch(value):
            raise BadRequest("Parameter 'registration' must be a UUID")
        return value.lower()

    def since(self) -> datetime | None:
        value = self.optional("since")
        if value is None:
            return None
        return parse_timestamp(value, "since")


def parse_timestamp(value: str, name: str) -> datetime:
    """An ISO 8601 timestamp; one without a time zone is read as UTC. A '+' of an offset that arrived unescaped in a
    query string reads as a space, and is put back."""
    for text in (value.strip(), value.strip().replace(" ", "+")):
        try:
            moment = datetime.fromisoformat(text)
            break
        except ValueError:
            continue
    else:
        raise BadRequest(f"Parameter '{name}' must be an ISO 8601 timestamp")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
