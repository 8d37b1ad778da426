"""SCORM Cloud's xAPI credential operations under ``/api/v2/xapi/credentials``. Handlers parse the wire and call
the service in the request's session."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query, Response

import coursehost.kit.paths  # noqa: F401  (registers the "segment" path convertor)
from coursehost.auth.dependencies import AppDep
from coursehost.context import ContextDep, SessionDep
from coursehost.imports.schemas import StringResultSchema
from coursehost.kit.routing import checked_router
from coursehost.kit.schemas import UtcInput
from coursehost.xapi.credentials import service
from coursehost.xapi.credentials.repository import CredentialQuery
from coursehost.xapi.credentials.schemas import (
    XapiCredentialPostSchema,
    XapiCredentialPutSchema,
    XapiCredentialSchema,
    XapiCredentialsListSchema,
)

router = checked_router(tags=["xapi"])

ONE = "/xapi/credentials/{xapiCredentialId:segment}"
CredentialId = Annotated[str, Path(alias="xapiCredentialId")]


@router.post("/xapi/credentials", operation_id="createXapiCredential", response_model=StringResultSchema)
def create_xapi_credential(session: SessionDep, app: AppDep, body: XapiCredentialPostSchema) -> StringResultSchema:
    return StringResultSchema(result=service.create(session, app.pk, app.app_id, body))


@router.get(
    "/xapi/credentials",
    operation_id="getXapiCredentials",
    response_model=XapiCredentialsListSchema,
    response_model_exclude_none=True,
)
def get_xapi_credentials(
    ctx: ContextDep,
    session: SessionDep,
    app: AppDep,
    response: Response,
    since: Annotated[UtcInput | None, Query()] = None,
    until: Annotated[UtcInput | None, Query()] = None,
    datetime_filter: Annotated[Literal["created", "updated"], Query(alias="datetimeFilter")] = "updated",
    filter: Annotated[str | None, Query()] = None,
    filter_by: Annotated[Literal["credential_id", "credential_name"], Query(alias="filterBy")] = "credential_id",
    order_by: Annotated[
        Literal["created_asc", "created_desc", "updated_asc", "updated_desc", "name_asc", "name_desc"],
        Query(alias="orderBy"),
    ] = "created_desc",
    more: Annotated[str | None, Query()] = None,
    include_total: Annotated[bool, Query(alias="includeTotalCount")] = False,
) -> XapiCredentialsListSchema:
    query = CredentialQuery(
        since=since,
        until=until,
        datetime_filter=datetime_filter,
        filter=filter or None,
        filter_by=filter_by,
        order_by=order_by,
    )
    page, total = service.list_credentials(
        session,
        app.pk,
        ctx.settings.resolved_secret_key,
        ctx.settings.page_size,
        query,
        more=more or None,
        include_total=include_total,
    )
    if total is not None:
        response.headers["X-Total-Count"] = str(total)
    return page


@router.get(ONE, operation_id="getXapiCredential", response_model=XapiCredentialSchema)
def get_xapi_credential(session: SessionDep, app: AppDep, credential_id: CredentialId) -> XapiCredentialSchema:
    return service.get(session, app.pk, credential_id)


@router.put(ONE, operation_id="setXapiCredential", status_code=204, response_class=Response)
def set_xapi_credential(
    session: SessionDep, app: AppDep, credential_id: CredentialId, body: XapiCredentialPutSchema
) -> None:
    service.put(session, app.pk, app.app_id, credential_id, body)


@router.delete(ONE, operation_id="deleteXapiCredential", status_code=204, response_class=Response)
def delete_xapi_credential(session: SessionDep, app: AppDep, credential_id: CredentialId) -> None:
    service.delete(session, app.pk, credential_id)
