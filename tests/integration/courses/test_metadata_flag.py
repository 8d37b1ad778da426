"""includeCourseMetadata on every read that takes it: metadata when the course has some, no key when it has none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

LOM = (
    '<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>'
    '<title><string language="en">Catalogue title</string></title>'
    "<keyword><string>k1</string></keyword></general></lom>"
)


def _course(body: dict[str, Any]) -> dict[str, Any]:
    return body["courses"][0] if "courses" in body else body


READS: dict[str, Callable[[Api, str, dict[str, str]], dict[str, Any]]] = {
    "getCourse": lambda api, cid, params: api.request("GET", f"/courses/{cid}", params=params).json(),
    "getCourses": lambda api, cid, params: api.request("GET", "/courses", params={"filter": cid, **params}).json(),
    "getCourseVersions": lambda api, cid, params: api.request("GET", f"/courses/{cid}/versions", params=params).json(),
    "getCourseVersionInfo": lambda api, cid, params: api.request(
        "GET", f"/courses/{cid}/versions/0", params=params
    ).json(),
}


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("flag", ["true", "True"])
def test_no_metadata_key_for_a_course_without_metadata(api: Api, read: str, flag: str) -> None:
    job = api.import_course("bare", ScormPackage(title="Bare").to_bytes())
    assert "metadata" not in job["importResult"]["course"]
    course = _course(READS[read](api, "bare", {"includeCourseMetadata": flag}))
    assert course["id"] == "bare"
    assert "metadata" not in course


@pytest.mark.parametrize("read", READS)
def test_metadata_only_when_asked_for(api: Api, read: str) -> None:
    api.import_course("rich", ScormPackage(title="Rich", version="2004 4th Edition", metadata=LOM).to_bytes())
    shown = _course(READS[read](api, "rich", {"includeCourseMetadata": "true"}))
    assert shown["metadata"] == {"title": "Catalogue title", "titleLanguage": "en", "keywords": ["k1"]}
    for params in ({}, {"includeCourseMetadata": "false"}):
        assert "metadata" not in _course(READS[read](api, "rich", params))
