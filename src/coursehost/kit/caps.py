"""Caps on the text and counts the service stores (README "Limits", docs/decisions.md). They are read from here by the
wire schemas, the services, the import pipeline and the models, so a value the API accepts always fits its column
and its index.

PostgreSQL refuses a btree index row over 2704 bytes and UTF-8 takes up to 4 bytes a character, so every capped text
that is indexed stays under ~2,600 bytes however it is spelled: titles (500 characters, 2,000 bytes at most), course
ids (255, 1,020), tags (128, 512). File paths are capped in characters (the column) and in UTF-8 bytes (the index).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

COURSE_ID_MAX = 255
TITLE_MAX = 500
TAG_MAX = 128
TAGS_PER_COURSE_MAX = 100
BATCH_COURSES_MAX = 1000
BATCH_TAGS_MAX = 100
# Not indexed (a Text column), so the database never refuses one; the cap only bounds what is stored.
SETTING_VALUE_MAX = 65_536
PATH_MAX = 1024
PATH_MAX_BYTES = 2048

# versionId (and the other integers of a path) are int32 on the wire, as in SCORM Cloud's OpenAPI and the columns.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1

Title = Annotated[str, Field(max_length=TITLE_MAX)]
Tag = Annotated[str, Field(max_length=TAG_MAX)]
CourseIdText = Annotated[str, Field(max_length=COURSE_ID_MAX)]


def path_too_long(path: str) -> str | None:
    """Why a course file path cannot be stored (it is part of an index), or None."""
    if len(path) > PATH_MAX:
        return f"is longer than {PATH_MAX} characters"
    if len(path.encode("utf-8", "surrogatepass")) > PATH_MAX_BYTES:
        return f"is longer than {PATH_MAX_BYTES} bytes in UTF-8"
    return None


def fit_title(title: str) -> tuple[str, str | None]:
    """A title from a package as it is stored: NUL characters dropped (PostgreSQL cannot store them) and cut to
    ``TITLE_MAX`` characters; with the ``parserWarnings`` entry that says so, or None when nothing changed."""
    done = []
    cleaned = title.replace("\x00", "")
    if cleaned != title:
        done.append("its NUL characters were removed")
    if len(cleaned) > TITLE_MAX:
        done.append(f"it was cut from {len(cleaned)} to {TITLE_MAX} characters")
        cleaned = cleaned[:TITLE_MAX].rstrip() or cleaned[:TITLE_MAX]
    if not done:
        return title, None
    shown = title[:60].replace("\x00", "") + ("…" if len(title) > 60 else "")
    return cleaned, f"The course title '{shown}' could not be stored as it was: {' and '.join(done)}."


# xAPI credentials (Text columns, not indexed). The id is the LRS's Basic user name and a 64-character column.
XAPI_CREDENTIAL_ID_MAX = 64
XAPI_CREDENTIAL_NAME_MAX = 500
XAPI_CREDENTIAL_INFO_MAX = 4000
XAPI_SECRET_MAX = 255
