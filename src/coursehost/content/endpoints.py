"""Serves imported course files read-only at ``webPathToCourse``.

The path names the application, course and version number; the files themselves live under the version's
storage prefix. Nothing here writes, and a path that tries to leave the version's files is a plain 404.
"""

from __future__ import annotations

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from coursehost.content import repository as content_repo
from coursehost.context import ContextDep, SessionDep
from coursehost.kit.downloads import stream_file
from coursehost.kit.errors import NotFound
from coursehost.kit.params import Int32
from coursehost.kit.paths import file_path  # also registers the "segment" path convertor

# Not a checked router (kit/routing.py): a content URL that names no file, NUL and all, is a plain 404 (below); it
# has no body or query parameters to check.
router = APIRouter(include_in_schema=False)


@router.get("/content/courses/{appId}/{courseId:segment}/{version}/{path:path}")
def get_content(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    app_id: Annotated[str, Path(alias="appId")],
    course_id: Annotated[str, Path(alias="courseId")],
    version: Int32,
    path: str,
) -> Response:
    relpath = file_path(path)
    if relpath is None or "\x00" in app_id or "\x00" in course_id:
        raise NotFound("No such file")
    found = content_repo.find_served_version(session, app_id, course_id, version)
    if found is None:
        raise NotFound("No such course version")
    version_pk, app_pk = found
    file = content_repo.find_file(session, version_pk, relpath)
    if file is None:
        raise NotFound(f"No file '{relpath}' in this course version")
    sha, size, name = file.sha256, file.size, file.path
    return stream_file(
        request, lambda: ctx.content.open(app_pk, sha), size=size, etag=sha,
        media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )  # fmt: skip
