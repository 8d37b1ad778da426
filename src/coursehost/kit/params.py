"""Path parameters shared by several slices, so each is parsed and bounded the same way on every route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from coursehost.kit.caps import INT32_MAX, INT32_MIN

# An integer outside int32 cannot name a version (SCORM Cloud's OpenAPI and the column are int32): 400 naming the
# parameter, on every database. A negative one in range is simply a version that does not exist (404).
VersionId = Annotated[int, Path(alias="versionId", ge=INT32_MIN, le=INT32_MAX, json_schema_extra={"format": "int32"})]
Int32 = Annotated[int, Path(ge=INT32_MIN, le=INT32_MAX, json_schema_extra={"format": "int32"})]
