"""Serves imported course files read-only at ``webPathToCourse``.

The path names the application, course and version number; the files themselves live under the version's
storage prefix. Nothing here writes, and a path that tries to leave the version's files is a plain 404.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import StreamingResponse
from sqlalchemy import select

import coursehost.kit.paths  # noqa: F401  (registers the "segment" path convertor)
from coursehost.content import repository as content_repo
from coursehost.context import ContextDep
from coursehost.kit.errors import NotFound
from coursehost.models import Application, Course, CourseVersion

router = APIRouter(include_in_schema=False)
CHUNK = 256 * 1024


def _safe_relpath(path: str) -> str | None:
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts):
        return None
    return path


@router.get("/content/courses/{appId}/{courseId:segment}/{version}/{path:path}")
def get_content(
    ctx: ContextDep,
    app_id: Annotated[str, Path(alias="appId")],
    course_id: Annotated[str, Path(alias="courseId")],
    version: int,
    path: str,
) -> StreamingResponse:
    relpath = _safe_relpath(path)
    if relpath is None:
        raise NotFound("No such file")
    with ctx.db.session() as session:
        found = session.execute(
            select(CourseVersion.pk, Course.app_pk)
            .join(Course, Course.pk == CourseVersion.course_pk)
            .join(Application, Application.pk == Course.app_pk)
            .where(Application.app_id == app_id, Course.course_id == course_id, CourseVersion.number == version)
        ).first()
        if found is None:
            raise NotFound("No such course version")
        file = content_repo.find_file(session, found[0], relpath)
        if file is None:
            raise NotFound(f"No file '{relpath}' in this course version")
        app_pk, sha, size, name = found[1], file.sha256, file.size, file.path
    handle = ctx.content.open(app_pk, sha)

    def stream() -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Content-Length": str(size), "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(stream(), media_type=media_type, headers=headers)
