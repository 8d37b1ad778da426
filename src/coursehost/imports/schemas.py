"""Import wire models, named and shaped as in the official clients."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from coursehost.courses.schemas import CourseSchema
from coursehost.kit.multipart import Part, openapi_body
from coursehost.kit.schemas import Schema

# createUploadAndImportCourseJob's body, read part by part (kit/multipart.py) where FastAPI sees no form parameters.
UPLOAD_FORM = openapi_body(
    Part("file", "The package (a zip), a bare cmi5.xml, or a PDF, MP3 or MP4 file", required=True, binary=True),
    Part("contentMetadata", "A media file's MediaFileMetadataSchema, serialised as JSON"),
)


class StringResultSchema(Schema):
    result: str


class MediaFileMetadataSchema(Schema):
    title: str | None = None
    description: str | None = None
    content_language: str | None = None
    estimated_duration: int | None = None


class ImportFetchRequestSchema(Schema):
    url: str
    content_type: str = "application/zip"
    media_file_metadata: MediaFileMetadataSchema | None = None


class ImportMediaFileReferenceRequestSchema(Schema):
    url: str
    content_type: str
    media_file_metadata: MediaFileMetadataSchema | None = None


class ImportConnectorRequestSchema(Schema):
    connector_id: str | None = None
    connector_id_for_content: str | None = None
    metadata_for_connector: dict[str, Any] | None = None


class ImportRequestSchema(Schema):
    fetch_request: ImportFetchRequestSchema | None = None
    media_file_reference_request: ImportMediaFileReferenceRequestSchema | None = None
    connector_reference_request: ImportConnectorRequestSchema | None = None


class ImportResultSchema(Schema):
    web_path_to_course: str | None = None
    parser_warnings: list[str] = Field(default_factory=list)
    course_languages: list[str] = Field(default_factory=list)
    course: CourseSchema | None = None


class ImportJobResultSchema(Schema):
    job_id: str
    status: Literal["RUNNING", "COMPLETE", "ERROR"]
    message: str | None = None
    import_result: ImportResultSchema | None = None
