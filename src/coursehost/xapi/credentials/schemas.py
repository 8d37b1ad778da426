"""Wire models of SCORM Cloud's xAPI credential operations (the official clients' ``XapiCredential*Schema``).

``auth`` and ``permissionsLevel`` are objects on the wire (``{"xapiCredentialAuthType": "BASICAUTH"}``), as the
schemas the official clients were generated from declare them: answers use that form, so both official clients read
the value back. Requests may also send the bare string, which is what a client passing a plain value writes
(docs/decisions.md).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from coursehost.kit.caps import XAPI_CREDENTIAL_INFO_MAX, XAPI_CREDENTIAL_NAME_MAX, XAPI_SECRET_MAX
from coursehost.kit.schemas import Schema

AuthType = Literal["BASICAUTH", "OAUTH"]
PermissionsLevel = Literal["DEFAULT", "USER", "ROOT", "READONLY", "WRITEONLY"]
Name = Annotated[str, Field(max_length=XAPI_CREDENTIAL_NAME_MAX)]
Info = Annotated[str, Field(max_length=XAPI_CREDENTIAL_INFO_MAX)]
Secret = Annotated[str, Field(max_length=XAPI_SECRET_MAX)]


class XapiCredentialAuthTypeSchema(Schema):
    xapi_credential_auth_type: AuthType


class XapiCredentialPermissionsLevelSchema(Schema):
    xapi_credential_permissions_level: PermissionsLevel


AuthIn = XapiCredentialAuthTypeSchema | AuthType
LevelIn = XapiCredentialPermissionsLevelSchema | PermissionsLevel


class XapiCredentialPostSchema(Schema):
    name: Name
    info: Info | None = None
    # Left out, null or empty: the server generates one (SCORM Cloud's description: "the provided secret").
    secret: Secret | None = None
    is_enabled: bool = True
    auth: AuthIn | None = None
    permissions_level: LevelIn | None = None


class XapiCredentialPutSchema(Schema):
    """Every field is optional: an existing credential keeps what is left out; a new one takes the defaults."""

    id: str | None = None
    name: Name | None = None
    info: Info | None = None
    secret: Secret | None = None
    is_enabled: bool | None = None
    auth: AuthIn | None = None
    permissions_level: LevelIn | None = None


class XapiCredentialSchema(Schema):
    id: str
    name: str
    info: str
    secret: str
    is_enabled: bool
    auth: XapiCredentialAuthTypeSchema
    permissions_level: XapiCredentialPermissionsLevelSchema


class XapiCredentialsListSchema(Schema):
    xapi_credentials: list[XapiCredentialSchema]
    more: str | None = None


def auth_value(value: AuthIn | None) -> AuthType | None:
    return value.xapi_credential_auth_type if isinstance(value, XapiCredentialAuthTypeSchema) else value


def level_value(value: LevelIn | None) -> PermissionsLevel | None:
    return value.xapi_credential_permissions_level if isinstance(value, XapiCredentialPermissionsLevelSchema) else value
