"""What the benchmarks measure against: a fresh database with an application and many courses, a small package
imported through the API, and open player sessions.

Courses are inserted directly through the ORM models (10,000 through the API would take minutes); everything a
learner touches (content, the player) is imported through the API, as a client would.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, insert, select
from sqlalchemy.engine import make_url

from coursehost.auth.service import create_application
from coursehost.kit.db import Database
from coursehost.kit.migrate import upgrade
from coursehost.models import Application, Course, CourseTag, CourseVersion

IMPORT_TIMEOUT = 600.0
SMALL_FILES = 50  # files of 2 KB in the small package
SMALL_FILE_BYTES = 2048

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item_1" identifierref="res_1"><title>Lesson</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""


@dataclass(frozen=True)
class Seeded:
    app_id: str
    secret: str


def reset_database(url: str) -> None:
    """Drop and create a PostgreSQL database (its name must contain "bench", so a mistyped URL cannot wipe a
    database that matters); a SQLite database is a new file in the caller's fresh directory, nothing to do."""
    if not url.startswith("postgresql"):
        return
    parsed = make_url(url)
    name = parsed.database or ""
    if "bench" not in name:
        raise SystemExit(f"refusing to drop the database {name!r}: a benchmark database's name must contain 'bench'")
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()


def course_id(n: int) -> str:
    return f"bench-course-{n:05d}"


def root_activity(title: str) -> dict[str, Any]:
    """The shape the import pipeline stores for a one-SCO SCORM 1.2 course."""
    return {
        "itemIdentifier": "org",
        "activityType": "AGGREGATION",
        "title": title,
        "children": [
            {
                "itemIdentifier": "item_1",
                "resourceIdentifier": "res_item_1",
                "activityType": "SCO",
                "href": "index.html",
                "title": "Lesson 1",
                "children": [],
            }
        ],
    }


def seed(url: str, courses: int, tags: int = 2) -> Seeded:
    """Migrate ``url`` (fresh), create one application and insert ``courses`` one-version courses with ``tags`` tags
    each, in bulk."""
    upgrade(url)
    database = Database(url)
    try:
        with database.session() as session:
            app = create_application(session, "bench")
            app_pk = session.scalar(select(Application.pk).where(Application.app_id == app.app_id))
        start = datetime(2024, 1, 1, tzinfo=UTC)
        batch = 2000
        for first in range(0, courses, batch):
            numbers = range(first, min(first + batch, courses))
            with database.session() as session:
                rows: list[dict[str, Any]] = [
                    {
                        "app_pk": app_pk,
                        "course_id": course_id(n),
                        "title": f"Benchmark course {n}",
                        "latest_version": 0,
                        "created": start + timedelta(seconds=n),
                        "updated": start + timedelta(seconds=n),
                    }
                    for n in numbers
                ]
                pks = list(session.scalars(insert(Course).returning(Course.pk, sort_by_parameter_order=True), rows))
                session.execute(
                    insert(CourseVersion),
                    [
                        {
                            "course_pk": pk,
                            "number": 0,
                            "title": row["title"],
                            "learning_standard": "SCORM12",
                            "root_activity": root_activity(row["title"]),
                            "created": row["created"],
                            "updated": row["updated"],
                        }
                        for pk, row in zip(pks, rows, strict=True)
                    ],
                )
                if tags:
                    session.execute(
                        insert(CourseTag), [{"course_pk": pk, "tag": f"tag-{t}"} for pk in pks for t in range(tags)]
                    )
    finally:
        database.dispose()
    return Seeded(app.app_id, app.secret_key)


def small_package(title: str = "Small benchmark course") -> tuple[bytes, list[str]]:
    """A SCORM 1.2 package with one SCO and ``SMALL_FILES`` files of 2 KB (scripts, styles, images, as a page
    pulls in); returns the zip and the files' paths."""
    names = [f"assets/file{n:02d}.{('js', 'css', 'png', 'html')[n % 4]}" for n in range(SMALL_FILES)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", MANIFEST_12.format(title=title))
        zf.writestr("index.html", "<html><body>benchmark lesson</body></html>")
        for name in names:
            if name.endswith(".png"):
                data = os.urandom(SMALL_FILE_BYTES)
            else:
                data = (f"/* {name} */ " + "x" * SMALL_FILE_BYTES).encode()[:SMALL_FILE_BYTES]
            zf.writestr(name, data)
    return buffer.getvalue(), names


def import_package(client: httpx.Client, course: str, package: bytes | io.BufferedReader) -> dict[str, Any]:
    """Upload through createUploadAndImportCourseJob and wait for COMPLETE; returns the job's final status.
    ``client`` has the API's base URL and credentials."""
    response = client.post(
        "/courses/importJobs/upload", params={"courseId": course}, files={"file": ("p.zip", package, "application/zip")}
    )
    response.raise_for_status()
    return wait_import(client, response.json()["result"])


def wait_import(client: httpx.Client, job_id: str, poll: float = 0.05) -> dict[str, Any]:
    deadline = time.monotonic() + IMPORT_TIMEOUT
    while time.monotonic() < deadline:
        status = client.get(f"/courses/importJobs/{job_id}")
        status.raise_for_status()
        body: dict[str, Any] = status.json()
        if body["status"] == "COMPLETE":
            return body
        if body["status"] != "RUNNING":
            raise RuntimeError(f"import ended in {body['status']}: {body.get('message')}")
        time.sleep(poll)
    raise RuntimeError(f"import still RUNNING after {IMPORT_TIMEOUT} s")


def content_path(job: dict[str, Any]) -> str:
    """The path part of the imported version's ``webPathToCourse``."""
    web_path: str = job["importResult"]["webPathToCourse"]
    return urlsplit(web_path).path


@dataclass(frozen=True)
class PlayerSession:
    runtime_path: str  # where the run-time POSTs its snapshots of the SCO
    cookie: str  # the Cookie header the browser sends with it


def open_player_session(api: httpx.Client, course: str) -> PlayerSession:
    """buildCoursePreviewLaunchLink, then open the link as a browser would (a 303 to the player page, which sets
    the session's cookie). The SCO is activity 1 (0 is the organization)."""
    link = api.post(f"/courses/{course}/preview", json={"expiry": 120})
    link.raise_for_status()
    launch = link.json()["launchLink"]
    with httpx.Client(timeout=30.0) as browser:
        opened = browser.get(launch, follow_redirects=False)
        if opened.status_code != 303:
            raise RuntimeError(f"opening the launch link answered {opened.status_code}: {opened.text[:200]}")
        player = urlsplit(str(opened.url.join(opened.headers["location"]))).path
        cookie = "; ".join(f"{k}={v}" for k, v in opened.cookies.items())
    return PlayerSession(runtime_path=f"{player}runtime/1", cookie=cookie)


def commit_body(interactions: int = 5) -> dict[str, Any]:
    """A SCORM 1.2 run-time snapshot as the player's run-time posts it on LMSCommit (runtime/scorm12.js): the whole
    cmi data model, a page of suspend_data, a score and a few answered interactions."""
    return {
        "standard": "scorm12",
        "sequence": "__SEQ__",
        "reason": "commit",
        "terminated": False,
        "savedAt": "2026-01-01T10:00:00.000Z",
        "cmi": {
            "core": {
                "student_id": "coursehost-preview",
                "student_name": "Learner, Preview",
                "lesson_location": "page-7",
                "credit": "credit",
                "lesson_status": "incomplete",
                "entry": "ab-initio",
                "score": {"raw": "70", "min": "0", "max": "100"},
                "total_time": "0000:00:00.00",
                "lesson_mode": "normal",
                "exit": "",
                "session_time": "0000:05:12.30",
            },
            "suspend_data": "p7;q1=a;q2=c;q3=b;" * 40,
            "launch_data": "",
            "comments": "",
            "comments_from_lms": "",
            "objectives": [{"id": "obj-1", "score": {"raw": "70", "min": "0", "max": "100"}, "status": "incomplete"}],
            "student_data": {"mastery_score": "", "max_time_allowed": "", "time_limit_action": "continue,no message"},
            "student_preference": {"audio": "0", "language": "", "speed": "0", "text": "0"},
            "interactions": [
                {
                    "id": f"question-{n}",
                    "objectives": [{"id": "obj-1"}],
                    "time": "10:0{n}:00",
                    "type": "choice",
                    "correct_responses": [{"pattern": "a"}],
                    "weighting": "1",
                    "student_response": "a" if n % 2 else "b",
                    "result": "correct" if n % 2 else "wrong",
                    "latency": "0000:00:12.00",
                }
                for n in range(interactions)
            ],
        },
    }
