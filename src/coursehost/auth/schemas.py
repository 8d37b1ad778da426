"""Wire models of the two token operations (names exactly as the official clients' ``attribute_map``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coursehost.kit.schemas import Schema, UtcInput


class ApplicationToken(BaseModel):
    """getAppToken's answer; its keys are snake_case on the wire (OAuth2's names)."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"


class PermissionsSchema(Schema):
    scopes: list[str] = Field(default_factory=list)
    application_name: str | None = None


class TokenRequestSchema(Schema):
    permissions: PermissionsSchema
    expiry: UtcInput


class TokenResultSchema(Schema):
    result: str
