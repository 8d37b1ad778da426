"""The document resources over HTTP: ``/activities/state``, ``/activities/profile`` and ``/agents/profile`` under
each application's LRS (service.py has the rules)."""

from __future__ import annotations

from email.utils import format_datetime
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse

from coursehost.context import SessionDep
from coursehost.kit.errors import BadRequest, NotFound
from coursehost.kit.handlers import error_response
from coursehost.kit.routing import checked_router
from coursehost.xapi.cmi5 import lms
from coursehost.xapi.cmi5.rules import LEARNER_PREFERENCES
from coursehost.xapi.documents import service
from coursehost.xapi.documents.access import check_access
from coursehost.xapi.documents.params import Query
from coursehost.xapi.documents.service import ACTIVITY_PROFILE, AGENT_PROFILE, STATE, Conditions, Owner
from coursehost.xapi.principal import LrsDep, LrsPrincipal
from coursehost.xapi.versions import XapiVersion

router = checked_router(include_in_schema=False)


async def _body(request: Request) -> bytes:
    return await request.body()


BodyDep = Annotated[bytes, Depends(_body)]


def _state_owner(query: Query) -> Owner:
    return Owner(STATE, query.activity_id(), query.agent(), query.registration())


def _activity_profile_owner(query: Query) -> Owner:
    return Owner(ACTIVITY_PROFILE, activity_id=query.activity_id())


def _agent_profile_owner(query: Query) -> Owner:
    return Owner(AGENT_PROFILE, agent=query.agent())


_RESOURCES = {
    "/activities/state": (_state_owner, "stateId"),
    "/activities/profile": (_activity_profile_owner, "profileId"),
    "/agents/profile": (_agent_profile_owner, "profileId"),
}


def _conditions(request: Request, owner: Owner) -> Conditions:
    version = getattr(request.state, "xapi_version", XapiVersion.V2)
    profile = owner.kind != STATE
    return Conditions(
        if_match=request.headers.get("if-match"),
        if_none_match=request.headers.get("if-none-match"),
        # 2.0.0 §4.1.4 puts every document resource under concurrency control; 1.0.3 §3.1 leaves state out of it.
        put_needs_header=profile or version is XapiVersion.V2,
        # A client must send one of the headers on a profile PUT (1.0.3 §3.1, 2.0.0 §4.1.4): refused without.
        put_needs_header_when_new=profile,
    )


def _read(request: Request, principal: LrsPrincipal, session: SessionDep, path: str) -> Response:
    owner_of, id_name = _RESOURCES[path]
    query = Query(request.query_params)
    owner = owner_of(query)
    document_id = query.document_id(id_name)
    check_access(principal, owner, write=False)
    if document_id is None:
        since = query.since()
        return JSONResponse(service.list_ids(session, principal.app_pk, owner, since))
    if principal.launch is not None and owner.kind == AGENT_PROFILE and document_id == LEARNER_PREFERENCES:
        lms.learner_preferences_read(session, principal)
        try:
            document = service.read(session, principal.app_pk, owner, document_id)
        except NotFound as exc:
            # Answered, not raised: the 404 still counts as the AU having read its preferences (cmi5 11.0.0.0-3),
            # and a raised error would roll that back with the request's transaction.
            return error_response(exc.status_code, exc.message)
    else:
        document = service.read(session, principal.app_pk, owner, document_id)
    return Response(
        document.content,
        headers={
            "Content-Type": document.content_type,
            "ETag": f'"{document.etag}"',
            "Last-Modified": format_datetime(document.updated, usegmt=True),
        },
    )


def _write(request: Request, principal: LrsPrincipal, session: SessionDep, path: str, body: bytes) -> Response:
    owner_of, id_name = _RESOURCES[path]
    query = Query(request.query_params)
    owner = owner_of(query)
    document_id = query.document_id(id_name)
    if document_id is None:
        raise BadRequest(f"Parameter '{id_name}' is required")
    check_access(principal, owner, write=True)
    if owner.kind == STATE:
        lms.check_state_write(session, principal, document_id)
    if owner.kind == AGENT_PROFILE and document_id == LEARNER_PREFERENCES:
        lms.check_learner_preferences_write(principal, request.headers.get("content-type"), body)
    write = service.put if request.method == "PUT" else service.post
    document = write(
        session,
        principal.app_pk,
        owner,
        document_id,
        request.headers.get("content-type"),
        body,
        _conditions(request, owner),
    )
    return Response(status_code=204, headers={"ETag": f'"{document.etag}"'})


def _delete(request: Request, principal: LrsPrincipal, session: SessionDep, path: str) -> Response:
    owner_of, id_name = _RESOURCES[path]
    query = Query(request.query_params)
    owner = owner_of(query)
    document_id = query.document_id(id_name)
    if document_id is None and owner.kind != STATE:
        # Only the State Resource deletes every document of an owner at once.
        raise BadRequest(f"Parameter '{id_name}' is required")
    check_access(principal, owner, write=True)
    if owner.kind == STATE:
        lms.check_state_write(session, principal, document_id)
    if owner.kind == AGENT_PROFILE and document_id == LEARNER_PREFERENCES:
        lms.check_learner_preferences_write(principal, None, None)
    if document_id is None:
        service.delete_all(session, principal.app_pk, owner)
    else:
        service.delete(session, principal.app_pk, owner, document_id, _conditions(request, owner))
    return Response(status_code=204)


def _install(path: str) -> None:
    def read(request: Request, principal: LrsDep, session: SessionDep) -> Response:
        return _read(request, principal, session, path)

    def write(request: Request, principal: LrsDep, session: SessionDep, body: BodyDep) -> Response:
        return _write(request, principal, session, path, body)

    def remove(request: Request, principal: LrsDep, session: SessionDep) -> Response:
        return _delete(request, principal, session, path)

    router.add_api_route(path, read, methods=["GET", "HEAD"])
    router.add_api_route(path, write, methods=["PUT", "POST"])
    router.add_api_route(path, remove, methods=["DELETE"])


for _path in _RESOURCES:
    _install(_path)
