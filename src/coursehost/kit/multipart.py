"""Streaming multipart/form-data reader: the file part goes straight to a temporary file, byte-counted against a
cap, so an upload is never held in memory and an oversized one is refused as soon as it passes the limit."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from coursehost.kit.errors import BadRequest, PayloadTooLarge
from coursehost.kit.routing import text_problem

MAX_FIELD_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Part:
    """One part of a multipart body, for the OpenAPI document (a file part is sent with a filename)."""

    name: str
    description: str
    required: bool = False
    binary: bool = False


def openapi_body(*parts: Part) -> dict[str, Any]:
    """The ``openapi_extra`` of a route that reads its body with :func:`read_upload`. FastAPI sees no form parameters
    there, so the route declares the parts it reads, as SCORM Cloud's document does."""
    properties = {
        part.name: {"type": "string", **({"format": "binary"} if part.binary else {}), "description": part.description}
        for part in parts
    }
    schema = {"type": "object", "properties": properties, "required": [part.name for part in parts if part.required]}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    file_path: Path | None = None
    filename: str | None = None
    size: int = 0


class _State:
    def __init__(self, file_field: str, open_temp: tuple[BinaryIO, Path], max_bytes: int) -> None:
        self.file_field = file_field
        self.handle, self.path = open_temp
        self.max_bytes = max_bytes
        self.upload = Upload()
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.is_file = False
        self.value = bytearray()

    def on_part_begin(self) -> None:
        self.headers, self.value = {}, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        self.is_file = self.name == self.file_field and b"filename" in options
        if self.is_file:
            if self.upload.file_path is not None:
                raise BadRequest(f"Only one '{self.file_field}' part may be sent")
            self.upload.file_path = self.path
            self.upload.filename = os.path.basename(options[b"filename"].decode("utf-8", "replace"))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.is_file:
            self.upload.size += end - start
            if self.upload.size > self.max_bytes:
                raise PayloadTooLarge(f"The upload is larger than the limit of {self.max_bytes} bytes")
            self.handle.write(memoryview(data)[start:end])  # no copy of each chunk of a large upload
        else:
            self.value += data[start:end]
            if len(self.value) > MAX_FIELD_BYTES:
                raise BadRequest(f"Form field '{self.name}' is too large")

    def on_part_end(self) -> None:
        if not self.is_file and self.name:
            value = self.value.decode("utf-8", "replace")
            problem = text_problem(value)
            if problem:
                raise BadRequest(f"form field '{self.name}' {problem}")
            self.upload.fields[self.name] = value


async def read_upload(request: Request, file_field: str, open_temp: tuple[BinaryIO, Path], max_bytes: int) -> Upload:
    """Parse the request body; the caller owns (and must delete) ``upload.file_path`` on every outcome."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        open_temp[0].close()
        open_temp[1].unlink(missing_ok=True)
        raise BadRequest("The request must be multipart/form-data with a 'file' part")
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes + MAX_FIELD_BYTES:
        open_temp[0].close()
        open_temp[1].unlink(missing_ok=True)
        raise PayloadTooLarge(f"The upload is larger than the limit of {max_bytes} bytes")
    state = _State(file_field, open_temp, max_bytes)
    callbacks = {name: getattr(state, name) for name in dir(state) if name.startswith("on_")}
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        with state.handle:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
    except BaseException:
        state.path.unlink(missing_ok=True)
        raise
    if state.upload.file_path is None:
        state.path.unlink(missing_ok=True)
    return state.upload
