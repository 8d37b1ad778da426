"""The document resources' rules (xAPI 2.0.0 §4.1.6.2, 4.1.6.5, 4.1.6.6, concurrency §4.1.4; 1.0.3 Communication
§2.2–2.7, §3.1): single-document reads and writes under ``If-Match`` / ``If-None-Match``, JSON merge on POST, id lists
with ``since``, and deletes. No SQL here (repository.py) and no HTTP (endpoints.py).

The cmi5 launch writes ``LMS.LaunchData`` through :func:`put_state`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.kit.errors import BadRequest, Conflict, CoursehostError, NotFound, PayloadTooLarge
from coursehost.models import XapiDocument
from coursehost.models.base import utcnow
from coursehost.xapi.agents import agent_key
from coursehost.xapi.documents import repository

STATE = "state"
ACTIVITY_PROFILE = "activity_profile"
AGENT_PROFILE = "agent_profile"

# Documents live in the table; one is at most this long (a merge that would grow past it is refused too). The
# request limit (``max_json_bytes``) applies first, so a lower setting lowers this cap as well.
DOCUMENT_MAX_BYTES = 1024**2
CONTENT_TYPE_MAX = 255
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class PreconditionFailed(CoursehostError):
    status_code = 412


@dataclass(frozen=True)
class Owner:
    """Whose document it is: the activity, the agent and the registration that apply to its kind."""

    kind: str
    activity_id: str | None = None
    agent: dict[str, Any] | None = None
    registration: str | None = None

    @property
    def agent_key(self) -> str | None:
        return agent_key(self.agent) if self.agent is not None else None

    @property
    def scope(self) -> str:
        parts = [self.activity_id or "", self.agent_key or "", self.registration or ""]
        return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Document:
    document_id: str
    content_type: str
    content: bytes
    etag: str  # the SHA-1 of the content, hexadecimal; quoted on the wire
    updated: datetime


@dataclass(frozen=True)
class Conditions:
    """A write's ``If-Match`` / ``If-None-Match`` headers, and whether a PUT must carry one of them."""

    if_match: str | None = None
    if_none_match: str | None = None
    put_needs_header: bool = False
    # A PUT without either header for a new document is refused (1.0.3 profiles); otherwise only for an existing one.
    put_needs_header_when_new: bool = False


def _document(row: XapiDocument) -> Document:
    # SQLite gives naive UTC back, PostgreSQL its session's zone: both become UTC (an HTTP date is written in GMT).
    updated = row.updated.replace(tzinfo=UTC) if row.updated.tzinfo is None else row.updated.astimezone(UTC)
    return Document(row.document_id, row.content_type, row.content, row.etag, updated)


def read(session: Session, app_pk: int, owner: Owner, document_id: str) -> Document:
    row = repository.find(session, app_pk, owner.kind, owner.scope, document_id)
    if row is None:
        raise NotFound(f"No document {document_id!r} here")
    return _document(row)


def list_ids(session: Session, app_pk: int, owner: Owner, since: datetime | None) -> list[str]:
    return repository.list_ids(session, app_pk, owner.kind, since=since, **_many(owner))


def _many(owner: Owner) -> dict[str, Any]:
    # The states of an activity and agent without a registration named are those of every registration.
    if owner.kind == STATE and owner.registration is None:
        return {"agent_key": owner.agent_key, "activity_id": owner.activity_id}
    return {"scope": owner.scope}


def delete_all(session: Session, app_pk: int, owner: Owner) -> None:
    repository.delete_many(session, app_pk, owner.kind, **_many(owner))


def delete(session: Session, app_pk: int, owner: Owner, document_id: str, conditions: Conditions) -> None:
    row = repository.find(session, app_pk, owner.kind, owner.scope, document_id, lock=True)
    _check(row, conditions)
    if row is not None:
        repository.remove(session, row)


def put(
    session: Session,
    app_pk: int,
    owner: Owner,
    document_id: str,
    content_type: str | None,
    content: bytes,
    conditions: Conditions,
) -> Document:
    content_type = _content_type(content_type)
    _check_size(content)
    row = repository.find(session, app_pk, owner.kind, owner.scope, document_id, lock=True)
    if conditions.if_match is None and conditions.if_none_match is None:
        if row is not None and conditions.put_needs_header:
            raise Conflict(
                "The document exists: a PUT replacing it must carry If-Match with its ETag (or If-None-Match: *)"
            )
        if row is None and conditions.put_needs_header_when_new:
            raise BadRequest("A PUT to this resource must carry If-Match or If-None-Match (If-None-Match: * if new)")
    _check(row, conditions)
    return _write(session, app_pk, owner, document_id, row, content_type, content)


def post(
    session: Session,
    app_pk: int,
    owner: Owner,
    document_id: str,
    content_type: str | None,
    content: bytes,
    conditions: Conditions,
) -> Document:
    content_type = _content_type(content_type)
    _check_size(content)
    row = repository.find(session, app_pk, owner.kind, owner.scope, document_id, lock=True)
    _check(row, conditions)
    posted_json = is_json(content_type)
    if posted_json:
        posted = _json_object(content, "The posted document")
    if row is None:
        return _write(session, app_pk, owner, document_id, row, content_type, content)
    if not (posted_json and is_json(row.content_type)):
        raise BadRequest(
            "A POST to an existing document merges JSON objects: the stored document and the posted one must both "
            f"be application/json (they are {row.content_type!r} and {content_type!r})"
        )
    merged = _json_object(row.content, "The stored document") | posted
    body = json.dumps(merged, separators=(",", ":")).encode()
    _check_size(body)
    return _write(session, app_pk, owner, document_id, row, "application/json", body)


def put_state(
    session: Session,
    app_pk: int,
    activity_id: str,
    agent: dict[str, Any],
    registration: str | None,
    state_id: str,
    content_type: str,
    content: bytes,
) -> Document:
    """Write a state document from the server's side (the cmi5 launch's ``LMS.LaunchData``): no preconditions, an
    existing document is replaced. ``agent`` must already be a valid agent."""
    owner = Owner(STATE, activity_id, agent, registration.lower() if registration else None)
    return put(session, app_pk, owner, state_id, content_type, content, Conditions())


def get_state(
    session: Session, app_pk: int, activity_id: str, agent: dict[str, Any], registration: str | None, state_id: str
) -> Document | None:
    owner = Owner(STATE, activity_id, agent, registration.lower() if registration else None)
    row = repository.find(session, app_pk, STATE, owner.scope, state_id)
    return _document(row) if row is not None else None


def is_json(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - xAPI names SHA-1 for document ETags


def _write(
    session: Session,
    app_pk: int,
    owner: Owner,
    document_id: str,
    row: XapiDocument | None,
    content_type: str,
    content: bytes,
) -> Document:
    now = utcnow()
    if row is not None:
        row.content_type, row.content, row.etag, row.updated = content_type, content, etag_of(content), now
        session.flush()
        return _document(row)
    row = XapiDocument(
        app_pk=app_pk,
        kind=owner.kind,
        scope=owner.scope,
        activity_id=owner.activity_id,
        agent_key=owner.agent_key,
        registration=owner.registration,
        document_id=document_id,
        content_type=content_type,
        content=content,
        etag=etag_of(content),
        updated=now,
    )
    if not repository.add(session, row):
        raise Conflict("The document was written by another request at the same time; read it and try again")
    return _document(row)


def _check(row: XapiDocument | None, conditions: Conditions) -> None:
    """RFC 7232 §3.1–3.2 for a write: If-Match needs the document to exist with one of the tags (or ``*``);
    If-None-Match refuses an existing document (``*``) or one whose tag is listed."""
    if conditions.if_match is not None:
        tags = _tags(conditions.if_match)
        if row is None or not (tags is None or row.etag in tags):
            raise PreconditionFailed("If-Match does not match the document's current ETag (or there is no document)")
    if conditions.if_none_match is not None and row is not None:
        tags = _tags(conditions.if_none_match)
        if tags is None or row.etag in tags:
            raise PreconditionFailed("If-None-Match: the document exists (with a listed ETag)")


def _tags(header: str) -> set[str] | None:
    """The entity tags a header lists (weak ones compared by their opaque part), None for ``*``."""
    if header.strip() == "*":
        return None
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.add(tag.strip('"').lower())
    return tags


def _content_type(value: str | None) -> str:
    value = (value or "").strip() or DEFAULT_CONTENT_TYPE
    if len(value) > CONTENT_TYPE_MAX:
        raise BadRequest(f"The Content-Type is longer than {CONTENT_TYPE_MAX} characters")
    return value


def _check_size(content: bytes) -> None:
    if len(content) > DOCUMENT_MAX_BYTES:
        raise PayloadTooLarge(f"A document may be at most {DOCUMENT_MAX_BYTES} bytes")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(content, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise BadRequest(f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise BadRequest(f"{what} is not a JSON object")
    return value
