"""Course wire models, named and shaped as in the official clients."""

from __future__ import annotations

from pydantic import Field, Json

from coursehost.kit.caps import BATCH_COURSES_MAX, BATCH_TAGS_MAX, CourseIdText, Title
from coursehost.kit.schemas import Schema, UtcDatetime
from coursehost.packages.base import ActivityType, LearningStandard


class CourseActivitySchema(Schema):
    external_identifier: str | None = None
    item_identifier: str | None = None
    resource_identifier: str | None = None
    activity_type: ActivityType | None = None
    href: str | None = None
    scaled_passing_score: str | None = None
    title: str | None = None
    children: list[CourseActivitySchema] = Field(default_factory=list)


class MetadataSchema(Schema):
    title: str | None = None
    title_language: str | None = None
    description: str | None = None
    description_language: str | None = None
    duration: str | None = None
    typical_time: str | None = None
    keywords: list[str] = Field(default_factory=list)


class CourseSchema(Schema):
    id: str
    title: str
    xapi_activity_id: str | None = None
    created: UtcDatetime
    updated: UtcDatetime
    version: int
    registration_count: int | None = None
    activity_id: str | None = None
    course_learning_standard: LearningStandard
    tags: list[str] = Field(default_factory=list)
    dispatched: bool = False
    metadata: MetadataSchema | None = None
    root_activity: CourseActivitySchema | None = None


class CourseListSchema(Schema):
    courses: list[CourseSchema]
    more: str | None = None


class StoredCourse(CourseSchema):
    """A course as getCourse and getCourses read it (courses/repository.py): the stored JSON (activity tree,
    metadata, aggregated tags) arrives as text and is parsed while it is validated, in pydantic's own parser. Only
    validated: written out, it is exactly a CourseSchema (the same fields, in the same order)."""

    tags: Json[list[str]]
    metadata: Json[MetadataSchema] | None = None
    root_activity: Json[CourseActivitySchema] | None = None


class StoredCourseList(CourseListSchema):
    courses: list[StoredCourse]  # type: ignore[assignment]


class CourseListNonPagedSchema(Schema):
    courses: list[CourseSchema]


class TagListSchema(Schema):
    # Also the response of getCourseTags, so the caps are checked by the service (courses.service.clean_tags), not
    # here: a course tagged before the caps existed must still be readable.
    tags: list[str]


class BatchTagsSchema(Schema):
    ids: list[CourseIdText] = Field(max_length=BATCH_COURSES_MAX)
    tags: list[str] = Field(max_length=BATCH_TAGS_MAX)


class TitleSchema(Schema):
    title: Title
