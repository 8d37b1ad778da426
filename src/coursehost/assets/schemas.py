"""Asset wire models, named and shaped as in the official clients."""

from __future__ import annotations

from pydantic import Field

from coursehost.kit.multipart import Part, openapi_body
from coursehost.kit.schemas import Schema, UtcDatetime

# The asset upload operations' body, read part by part (kit/multipart.py) where FastAPI sees no form parameters.
UPLOAD_FORM = openapi_body(
    Part("file", "The file to store", required=True, binary=True),
    Part("destination", "Its path relative to the course root, such as /images/logo.png", required=True),
)


class ImportAssetRequestSchema(Schema):
    fetch_url: str
    destination: str


class AssetFileSchema(Schema):
    filename: str | None = None
    destination: str | None = None


class FileListItemSchema(Schema):
    path: str
    size: int
    modified: UtcDatetime


class FileListSchema(Schema):
    files: list[FileListItemSchema] = Field(default_factory=list)
