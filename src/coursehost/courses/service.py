"""Course reads and writes: visibility rules, pagination, tags, titles, deletion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coursehost.content.store import ContentStore
from coursehost.courses import repository as repo
from coursehost.courses.schemas import CourseListSchema, CourseSchema, StoredCourse, StoredCourseList
from coursehost.kit import tokens
from coursehost.kit.aftercommit import after_commit
from coursehost.kit.caps import TAG_MAX, TAGS_PER_COURSE_MAX
from coursehost.kit.db import Database
from coursehost.kit.errors import BadRequest, NotFound
from coursehost.kit.schemas import as_utc
from coursehost.models import Course, CourseVersion, utcnow

_CURSOR = "courses"


def course_not_found(course_id: str) -> NotFound:
    return NotFound(f"Could not find course [{course_id}]")


def get_visible_course(session: Session, app_pk: int, course_id: str) -> Course:
    course = repo.find_course(session, app_pk, course_id)
    if course is None or course.latest_version is None:
        raise course_not_found(course_id)
    return course


def get_version(session: Session, app_pk: int, course_id: str, number: int) -> tuple[Course, CourseVersion]:
    course = get_visible_course(session, app_pk, course_id)
    version = repo.get_version(session, course.pk, number)
    if version is None:
        raise NotFound(f"Could not find version {number} of course [{course_id}]")
    return course, version


def to_schema(
    course: Course, version: CourseVersion, *, metadata: bool, registrations: bool, latest: bool = False
) -> CourseSchema:
    return CourseSchema(
        id=course.course_id,
        title=version.title,
        xapi_activity_id=version.xapi_activity_id,
        created=course.created if latest else version.created,
        updated=course.updated if latest else version.updated,
        version=version.number,
        # Registrations are served by a later service; until then no course has any.
        registration_count=0 if registrations else None,
        course_learning_standard=version.learning_standard,
        tags=[t.tag for t in course.tags],
        # The client docs say the flag has "no effect" on a course without metadata, so the key stays out.
        metadata=version.course_metadata if metadata and version.course_metadata else None,
        root_activity=version.root_activity,
    )


def _wire(row: Mapping[Any, Any], *, metadata: bool, registrations: bool) -> dict[str, Any]:
    """A course as ``repository.read_latest``/``read_page`` read it, in the shape StoredCourse validates (its JSON
    columns still text)."""
    stored_metadata = row["course_metadata"] if metadata else None
    return {
        "id": row["course_id"],
        "title": row["title"],
        "xapiActivityId": row["xapi_activity_id"],
        "created": row["created"],
        "updated": row["updated"],
        "version": row["number"],
        # Registrations are served by a later service; until then no course has any.
        "registrationCount": 0 if registrations else None,
        "courseLearningStandard": row["learning_standard"],
        "tags": row["tags"],
        # The client docs say the flag has "no effect" on a course without metadata, so the key stays out.
        "metadata": stored_metadata if stored_metadata not in (None, "null", "{}") else None,
        "rootActivity": row["root_activity"],
    }


def _json(model: CourseSchema | CourseListSchema) -> bytes:
    """The wire form: what FastAPI writes for a response model with ``response_model_exclude_none``."""
    return model.__pydantic_serializer__.to_json(model, by_alias=True, exclude_none=True)


async def get_course_json(db: Database, app_pk: int, course_id: str, *, metadata: bool, registrations: bool) -> bytes:
    """getCourse's answer, read in one statement (outside any session, on the event loop: kit/db.py
    ``Database.read_async``) and serialised once."""
    row = await repo.read_latest(db, app_pk, course_id, metadata=metadata)
    if row is None:
        raise course_not_found(course_id)
    return _json(StoredCourse.model_validate(_wire(row, metadata=metadata, registrations=registrations)))


def list_courses_json(
    db: Database,
    app_pk: int,
    secret: bytes,
    page_size: int,
    query: repo.CourseQuery,
    *,
    metadata: bool,
    registrations: bool,
    more: str | None,
    include_total: bool,
) -> tuple[bytes, int | None]:
    """getCourses' answer (one page, read in one statement outside any session and serialised once) and the total
    count when asked."""
    after: tuple[Any, int] | None = None
    if more:
        state = tokens.unsign(secret, _CURSOR, more)
        try:
            query, metadata, registrations, after = _restore(state)
            if state["app"] != app_pk:
                raise ValueError("token from another application")
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRequest("The 'more' token is not valid for this request") from exc
        include_total = False
    with db.reading() as connection:
        rows = repo.read_page(connection, app_pk, query, after, page_size + 1, metadata=metadata)
        total = repo.count_courses(connection, app_pk, query) if include_total else None
    page, has_more = rows[:page_size], len(rows) > page_size
    token = None
    if has_more:
        last = page[-1]
        field = query.order_by.rsplit("_", 1)[0]
        key = last.course_title if field == "title" else getattr(last, field)
        state = {
            "app": app_pk,
            "q": {**asdict(query), "since": _iso(query.since), "until": _iso(query.until), "tags": list(query.tags)},
            "m": metadata,
            "r": registrations,
            "k": [_iso(key) if isinstance(key, datetime) else key, last.pk],
        }
        token = tokens.sign(secret, _CURSOR, state)
    courses = [_wire(row._mapping, metadata=metadata, registrations=registrations) for row in page]
    return _json(StoredCourseList.model_validate({"courses": courses, "more": token})), total


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def _restore(state: dict[str, Any]) -> tuple[repo.CourseQuery, bool, bool, tuple[Any, int]]:
    q = dict(state["q"])
    for name in ("since", "until"):
        q[name] = datetime.fromisoformat(q[name]) if q[name] else None
    q["tags"] = tuple(q["tags"])
    query = repo.CourseQuery(**q)
    value, pk = state["k"]
    if query.order_by.startswith(("created", "updated")):
        value = datetime.fromisoformat(value)
    return query, bool(state["m"]), bool(state["r"]), (value, int(pk))


def list_versions(
    session: Session,
    app_pk: int,
    course_id: str,
    since: datetime | None,
    until: datetime | None,
    *,
    metadata: bool,
    registrations: bool,
) -> list[CourseSchema]:
    course = get_visible_course(session, app_pk, course_id)
    versions = repo.list_versions(session, course.pk, since, until)
    return [to_schema(course, v, metadata=metadata, registrations=registrations) for v in versions]


def delete_course(session: Session, content: ContentStore, app_pk: int, course_id: str) -> None:
    course = get_visible_course(session, app_pk, course_id)
    blobs = repo.blobs_of_course(session, course.pk)
    content.files_changed(session, repo.version_pks(session, course.pk))
    repo.delete_course(session, course)
    after_commit(session, lambda: content.collect(app_pk, blobs))


def delete_version(session: Session, content: ContentStore, app_pk: int, course_id: str, number: int) -> None:
    course, version = get_version(session, app_pk, course_id, number)
    blobs = repo.blobs_of_version(session, version.pk)
    content.files_changed(session, [version.pk])
    repo.delete_version(session, version)
    remaining = repo.max_version(session, course.pk)
    if remaining is None:
        repo.delete_course(session, course)
    else:
        course.latest_version = remaining
        latest = repo.get_version(session, course.pk, remaining)
        course.title = latest.title if latest else course.title
        course.updated = utcnow()
    after_commit(session, lambda: content.collect(app_pk, blobs))


def get_tags(session: Session, app_pk: int, course_id: str) -> list[str]:
    return [t.tag for t in get_visible_course(session, app_pk, course_id).tags]


def add_tags(session: Session, app_pk: int, course_id: str, tags: list[str]) -> None:
    course = get_visible_course(session, app_pk, course_id)
    cleaned = clean_tags(tags)
    check_tag_room(course, cleaned)
    repo.add_tags(session, course, cleaned)
    course.updated = utcnow()


def remove_tags(session: Session, app_pk: int, course_id: str, tags: list[str]) -> None:
    course = get_visible_course(session, app_pk, course_id)
    repo.remove_tags(session, course, [t.strip() for t in tags])
    course.updated = utcnow()


def add_tags_batch(session: Session, app_pk: int, course_ids: list[str], tags: list[str]) -> None:
    """All or nothing: every course must exist and have room for the tags before any is changed."""
    wanted = list(dict.fromkeys(course_ids))
    cleaned = clean_tags(tags)
    found = {c.course_id: c for c in repo.find_courses(session, app_pk, wanted)}
    missing = [cid for cid in wanted if cid not in found]
    if missing:
        raise NotFound(f"Could not find course(s) [{_listed(missing)}]; no tags were changed")
    full = [c.course_id for c in found.values() if _room_needed(c, cleaned) > TAGS_PER_COURSE_MAX]
    if full:
        raise BadRequest(
            f"Course(s) [{_listed(full)}] would have more than {TAGS_PER_COURSE_MAX} tags; no tags were changed"
        )
    now = utcnow()
    for course in found.values():
        repo.add_tags(session, course, cleaned)
        course.updated = now


def set_title(session: Session, app_pk: int, course_id: str, title: str) -> None:
    course = get_visible_course(session, app_pk, course_id)
    if not title.strip():
        raise BadRequest("The title must not be empty")
    repo.set_title(session, course, title, utcnow())


def clean_tags(tags: list[str], name: str = "body field 'tags'") -> list[str]:
    """Tags as stored: trimmed, each one to ``TAG_MAX`` characters, no more than a course may hold (400 otherwise)."""
    cleaned = list(dict.fromkeys(t.strip() for t in tags))
    if any(not t for t in cleaned):
        raise BadRequest(f"{name}: a tag must not be empty")
    long = next((t for t in cleaned if len(t) > TAG_MAX), None)
    if long is not None:
        raise BadRequest(f"{name}: a tag may be at most {TAG_MAX} characters long (got one of {len(long)})")
    if len(cleaned) > TAGS_PER_COURSE_MAX:
        raise BadRequest(f"{name}: at most {TAGS_PER_COURSE_MAX} tags may be given (got {len(cleaned)})")
    return cleaned


def _room_needed(course: Course, tags: list[str]) -> int:
    have = {t.tag for t in course.tags}
    return len(have) + sum(1 for t in tags if t not in have)


def check_tag_room(course: Course, tags: list[str]) -> None:
    """Refuse (400) tags that would give the course more than ``TAGS_PER_COURSE_MAX``: nothing is half-written."""
    total = _room_needed(course, tags)
    if total > TAGS_PER_COURSE_MAX:
        raise BadRequest(
            f"Course [{course.course_id}] would have {total} tags; a course may have at most {TAGS_PER_COURSE_MAX}"
        )


def _listed(ids: list[str], shown: int = 20) -> str:
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more
