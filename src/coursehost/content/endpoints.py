"""Serves imported course files read-only at ``webPathToCourse``.

GET and HEAD are answered in front of the router by content/delivery.py; what reaches this route is what the fast
path hands on: a version number it does not read plainly (``+7``, ``7.0``: served the same way; beyond int32: 400)
and other methods (405).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from coursehost.content.delivery import ContentFiles
from coursehost.kit.delivery import ASGIAnswer
from coursehost.kit.params import Int32
from coursehost.kit.paths import file_path  # noqa: F401  (registers the "segment" path convertor)

# Not a checked router (kit/routing.py): a content URL that names no file, NUL and all, is a plain 404; it has no
# body or query parameters to check.
router = APIRouter(include_in_schema=False)


@router.get("/content/courses/{appId}/{courseId:segment}/{version}/{path:path}")
async def get_content(
    request: Request,
    app_id: Annotated[str, Path(alias="appId")],
    course_id: Annotated[str, Path(alias="courseId")],
    version: Int32,
    path: str,
) -> Response:
    files: ContentFiles = request.app.state.content_files
    return ASGIAnswer(partial(files.serve, app_id=app_id, course_id=course_id, number=version, path=path))
