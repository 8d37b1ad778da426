"""Asset wire models, named and shaped as in the official clients."""

from __future__ import annotations

from pydantic import Field

from coursehost.kit.schemas import Schema, UtcDatetime


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
