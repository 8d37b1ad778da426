"""The course service's tables: applications, courses and their versions, files, import jobs, configuration and the
preview player's sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursehost.kit.caps import COURSE_ID_MAX, PATH_MAX
from coursehost.models.base import Base, utcnow


class Application(Base):
    __tablename__ = "applications"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(128))
    created: Mapped[datetime] = mapped_column(default=utcnow)


class Course(Base):
    """A course id within an application. ``latest_version`` is NULL while the first import is still running,
    which reserves the id (a second import without ``mayCreateNewVersion`` gets 409) without showing it."""

    __tablename__ = "courses"
    __table_args__ = (
        UniqueConstraint("app_pk", "course_id", name="uq_courses_app_course"),
        Index("ix_courses_app_created", "app_pk", "created", "pk"),
        Index("ix_courses_app_updated", "app_pk", "updated", "pk"),
        Index("ix_courses_app_title", "app_pk", "title", "pk"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(COURSE_ID_MAX))
    # Indexed (ix_courses_app_title): kept to TITLE_MAX characters by the API and the import pipeline.
    title: Mapped[str] = mapped_column(Text, default="")
    latest_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime] = mapped_column(default=utcnow)

    # Loaded when first used (getCourse and getCourses read tags with their own select, courses/repository.py);
    # code that reads the tags of many courses asks for them with selectinload.
    tags: Mapped[list[CourseTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CourseTag.tag", lazy="select"
    )


class CourseTag(Base):
    __tablename__ = "course_tags"

    course_pk: Mapped[int] = mapped_column(ForeignKey("courses.pk", ondelete="CASCADE"), primary_key=True)
    # Room for tags stored before the TAG_MAX cap; new tags are held to it.
    tag: Mapped[str] = mapped_column(String(255), primary_key=True)


class CourseVersion(Base):
    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_pk", "number", name="uq_course_versions_course_number"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_pk: Mapped[int] = mapped_column(ForeignKey("courses.pk", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    learning_standard: Mapped[str] = mapped_column(String(32))
    # What kind of package this is (scorm, aicc, cmi5, xapi, media): media courses report CMI5 as their standard
    # but play in the media player.
    package_kind: Mapped[str] = mapped_column(String(16), default="scorm", server_default="scorm")
    xapi_activity_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    root_activity: Mapped[dict[str, Any]] = mapped_column(JSON)
    course_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parser_warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    updated: Mapped[datetime] = mapped_column(default=utcnow)


class Blob(Base):
    """A file's bytes, stored once per application under its SHA-256 (``blobs/<app>/<aa>/<bb>/<hash>``)."""

    __tablename__ = "blobs"

    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created: Mapped[datetime] = mapped_column(default=utcnow)


class VersionFile(Base):
    """One file of a course version: its path in the course and the blob holding its bytes."""

    __tablename__ = "version_files"
    __table_args__ = (Index("ix_version_files_app_blob", "app_pk", "sha256"),)

    version_pk: Mapped[int] = mapped_column(ForeignKey("course_versions.pk", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(PATH_MAX), primary_key=True)
    # Denormalised so "is this blob still used?" is one indexed lookup.
    app_pk: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    modified: Mapped[datetime] = mapped_column(default=utcnow)


class ImportJob(Base):
    """A durable import. Internal states: queued → running → complete | error (queued and running both read as
    RUNNING on the wire)."""

    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_state_created", "state", "created"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(COURSE_ID_MAX))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    may_create_new_version: Mapped[bool] = mapped_column(Boolean, default=False)
    postback_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # "upload": the package waits in storage under ``source``; "fetch": ``source`` is the URL to download.
    source_kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(128), default="application/zip")
    # The uploaded file's own name (media courses keep it) and the MediaFileMetadataSchema the caller sent.
    file_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    media_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    finished: Mapped[datetime | None] = mapped_column(nullable=True)


class ConfigurationSetting(Base):
    """One explicitly set configuration value at one level. ``scope_key`` names the level and its target
    ("app", "ls:SCORM12:single", "course:<pk>", "version:<pk>") and is never NULL, so the unique constraint holds
    where the nullable scope columns alone would not (NULLs are distinct). The scope columns make rows readable and
    let course and version deletion cascade to their values."""

    __tablename__ = "configuration_settings"
    __table_args__ = (
        UniqueConstraint("app_pk", "scope_key", "setting_id", name="uq_configuration_settings_scope_setting"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"))
    scope_key: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(32))
    learning_standard: Mapped[str | None] = mapped_column(String(32), nullable=True)
    single_sco: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    course_pk: Mapped[int | None] = mapped_column(
        ForeignKey("courses.pk", ondelete="CASCADE"), nullable=True, index=True
    )
    version_pk: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.pk", ondelete="CASCADE"), nullable=True, index=True
    )
    setting_id: Mapped[str] = mapped_column(String(128))
    value: Mapped[str] = mapped_column(Text)
    updated: Mapped[datetime] = mapped_column(default=utcnow)


class PlayerSession(Base):
    """One preview in a browser, opened from a launch link. ``id`` is random and appears in the player's URLs; the
    cookie that proves the browser opened the link is derived from it with the server's key. Rows live while the
    learner is active (``expires`` slides forward) and are deleted on exit or once expired: preview is not tracked."""

    __tablename__ = "player_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("applications.pk", ondelete="CASCADE"))
    version_pk: Mapped[int] = mapped_column(ForeignKey("course_versions.pk", ondelete="CASCADE"), index=True)
    created: Mapped[datetime] = mapped_column(default=utcnow)
    seen: Mapped[datetime] = mapped_column(default=utcnow)
    expires: Mapped[datetime] = mapped_column(index=True)
    # What the launch link asked for (exit URL, culture, stylesheet, start item, additional values).
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The activity list, manifest details and resolved settings the player runs on, fixed at launch.
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlayerRuntime(Base):
    """The latest run-time snapshot of one activity in one player session. ``sequence`` only grows, so a replayed
    or late delivery (a page-unload beacon) never overwrites newer data."""

    __tablename__ = "player_runtime"

    session_id: Mapped[str] = mapped_column(ForeignKey("player_sessions.id", ondelete="CASCADE"), primary_key=True)
    activity: Mapped[int] = mapped_column(Integer, primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated: Mapped[datetime] = mapped_column(default=utcnow)
