"""A course's descriptor uploaded again as it is leaves the course as its import described it: the import and the
asset change describe a version with the same mapping (courses/from_package.py), for every kind of package."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.formats import aicc_files, cmi5_xml, tincan_xml
from tests.support.packages import ScormPackage, zip_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LONG_TITLE = "A title far too long to keep " * 20

CASES: dict[str, tuple[bytes, str, str, dict[str, str]]] = {
    "scorm": (ScormPackage(title=LONG_TITLE).to_bytes(), "application/zip", "imsmanifest.xml", {}),
    "aicc": (zip_bytes(aicc_files()), "application/zip", "course.crs", {}),
    "cmi5": (zip_bytes({"cmi5.xml": cmi5_xml(), "index.html": "<html></html>"}), "application/zip", "cmi5.xml", {}),
    "xapi": (
        zip_bytes({"tincan.xml": tincan_xml(), "index.html": "<html></html>"}),
        "application/zip",
        "tincan.xml",
        {},
    ),
    "media": (
        PDF,
        "application/pdf",
        "coursehost-media.json",
        {"contentMetadata": json.dumps({"title": "Guide", "contentLanguage": "en"})},
    ),
}


def described(api: Api) -> dict[str, Any]:
    course = api.request("GET", "/courses/c", params={"includeCourseMetadata": "true"}).json()
    keys = ("title", "courseLearningStandard", "xapiActivityId", "rootActivity", "metadata")
    return {key: course.get(key) for key in keys}


@pytest.mark.parametrize("kind", list(CASES))
def test_the_same_descriptor_uploaded_again_describes_the_same_version(api: Api, kind: str) -> None:
    data, content_type, descriptor, fields = CASES[kind]
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": "c"},
        headers={"uploadedContentType": content_type},
        files={"file": ("upload.bin", data, content_type)},
        data=fields or None,
    )
    assert api.wait(response.json()["result"])["status"] == "COMPLETE"
    imported = described(api)
    stored = api.request("GET", "/courses/c/asset", params={"relativePath": descriptor})
    assert stored.status_code == 200
    again = api.request(
        "POST",
        "/courses/c/asset/upload",
        files={"file": (descriptor, stored.content, "application/octet-stream")},
        data={"destination": descriptor},
    )
    assert again.status_code == 200, again.text
    assert described(api) == imported
    if kind == "scorm":
        assert len(imported["title"]) == 500
