"""Reading and changing the files of a course version.

Every change holds the application's lock (see :mod:`coursehost.content.store`), checks ``updateAssetPolicy``,
stores the bytes as a blob and points the version's file list at it, all before one commit. A changed descriptor
(imsmanifest.xml, cmi5.xml, tincan.xml, the AICC files) is parsed first with the format that imported the course:
the change is refused with the parser's message, or the version takes the new title and activity tree, so getCourse
always describes the manifest the course really holds.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from coursehost.assets.paths import course_path
from coursehost.assets.schemas import AssetFileSchema, FileListItemSchema, FileListSchema
from coursehost.assets.stored_version_view import StoredVersionView
from coursehost.content import repository as content_repo
from coursehost.context import Context
from coursehost.courses import repository as course_repo
from coursehost.courses import service as courses
from coursehost.courses.from_package import describe_version
from coursehost.kit.aftercommit import after_commit
from coursehost.kit.errors import BadRequest, Conflict, NotFound
from coursehost.models import Course, CourseVersion, VersionFile, utcnow
from coursehost.packages import PackageError, is_descriptor, parse_in_place
from coursehost.packages.base import href_path, is_absolute_href
from coursehost.xapi.links.service import refresh_version_activities

Policy = Literal["reject", "strict", "lax"]
POLICIES: tuple[Policy, ...] = ("reject", "strict", "lax")


def target(session: Session, app_pk: int, course_id: str, version: int | None) -> tuple[Course, CourseVersion]:
    """The version an asset operation addresses: the one named, or the latest."""
    if version is not None:
        return courses.get_version(session, app_pk, course_id, version)
    found = course_repo.find_latest(session, app_pk, course_id)
    if found is None:
        raise courses.course_not_found(course_id)
    return found


def list_files(session: Session, app_pk: int, course_id: str, version: int | None) -> FileListSchema:
    _course, found = target(session, app_pk, course_id, version)
    files = content_repo.list_files(session, found.pk)
    return FileListSchema(files=[FileListItemSchema(path=f.path, size=f.size, modified=f.modified) for f in files])


def find_asset(
    session: Session, app_pk: int, course_id: str, version: int | None, relative_path: str | None
) -> VersionFile:
    path = course_path(relative_path, "relativePath")
    _course, found = target(session, app_pk, course_id, version)
    file = session.get(VersionFile, (found.pk, path))
    if file is None:
        raise NotFound(f"Course [{course_id}] version {found.number} has no file '{path}'")
    return file


@dataclass(frozen=True)
class NewFile:
    path: Path
    filename: str | None


def put_asset(
    session: Session,
    ctx: Context,
    app_pk: int,
    course_id: str,
    version: int | None,
    destination: str | None,
    new: NewFile,
    policy: Policy,
) -> AssetFileSchema:
    path = course_path(destination, "destination")
    content_repo.lock_application(session, app_pk)
    course, found = target(session, app_pk, course_id, version)
    existing = session.get(VersionFile, (found.pk, path))
    if policy == "reject" and existing is not None:
        raise Conflict(f"'{path}' already exists in course [{course_id}] and updateAssetPolicy is reject")
    if policy == "strict" and existing is None:
        raise NotFound(f"'{path}' does not exist in course [{course_id}] and updateAssetPolicy is strict")
    if is_descriptor(found.package_kind, path):
        _reparse(ctx, session, app_pk, course, found, path, new.path)
    with new.path.open("rb") as handle:
        blob = ctx.content.write(app_pk, handle)
    content_repo.ensure_blobs(session, app_pk, [(blob.sha256, blob.size)])
    now = utcnow()
    if existing is not None:
        old_sha = existing.sha256
        existing.sha256, existing.size, existing.modified = blob.sha256, blob.size, now
        after_commit(session, lambda: ctx.content.collect(app_pk, [old_sha]))
    else:
        content_repo.add_files(session, app_pk, found.pk, [(path, blob.sha256, blob.size, now)])
    _touch(course, found, now)
    ctx.content.files_changed(session, [found.pk])
    return AssetFileSchema(filename=new.filename or posixpath.basename(path), destination=path)


def delete_asset(
    session: Session, ctx: Context, app_pk: int, course_id: str, version: int | None, relative_path: str | None
) -> None:
    content_repo.lock_application(session, app_pk)
    file = find_asset(session, app_pk, course_id, version, relative_path)
    course, found = target(session, app_pk, course_id, version)
    if is_descriptor(found.package_kind, file.path):
        raise BadRequest(f"'{file.path}' describes the course and cannot be deleted; upload a new one instead")
    launched = launched_by(found.root_activity, file.path)
    if launched is not None:
        raise BadRequest(
            f"'{file.path}' is the launch file of activity '{launched}' and cannot be deleted; upload a new one "
            "instead, or change the course descriptor first"
        )
    sha = file.sha256
    content_repo.delete_file(session, found.pk, file.path)
    ctx.content.files_changed(session, [found.pk])
    _touch(course, found, utcnow())
    after_commit(session, lambda: ctx.content.collect(app_pk, [sha]))


def launched_by(root_activity: dict[str, Any], path: str) -> str | None:
    """The title of an activity (in the stored wire tree) that launches ``path``, or None. Letter case is ignored, as
    the import resolves hrefs that differ from the file only in case."""
    stack = [root_activity]
    while stack:
        activity = stack.pop()
        href = activity.get("href")
        target = href_path(href) if isinstance(href, str) and not is_absolute_href(href) else None
        if target is not None and target.lower() == path.lower():
            return str(activity.get("title") or activity.get("itemIdentifier") or target)
        stack.extend(activity.get("children") or [])
    return None


def _touch(course: Course, version: CourseVersion, now: object) -> None:
    version.updated = now  # type: ignore[assignment]
    course.updated = now  # type: ignore[assignment]


def _reparse(
    ctx: Context, session: Session, app_pk: int, course: Course, version: CourseVersion, path: str, new: Path
) -> None:
    limit = ctx.settings.descriptor_max_bytes
    if new.stat().st_size > limit:
        raise BadRequest(f"'{path}' is larger than the {limit} bytes allowed for a course descriptor")
    view = StoredVersionView(
        ctx.content, app_pk, content_repo.list_files(session, version.pk), {path: new.read_bytes()}
    )
    try:
        package = parse_in_place(view, course.course_id)
    except PackageError as exc:
        message = f"The change to '{path}' was refused because the course would no longer import: {exc.message}"
        raise BadRequest(message) from None
    describe_version(version, package, app_id=course_repo.app_id_of(session, app_pk), course_id=course.course_id)
    refresh_version_activities(session, app_pk, version)
    if course.latest_version == version.number:
        course.title = version.title
