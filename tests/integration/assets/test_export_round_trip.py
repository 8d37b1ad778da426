"""Every kind of course exports to a zip that imports back into an identical course."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.support.formats import aicc_files, cmi5_au, cmi5_xml, tincan_xml
from tests.support.packages import Sco, ScormPackage, zip_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _packages() -> dict[str, tuple[bytes, str, dict[str, str]]]:
    """name → (upload bytes, uploadedContentType, extra form fields)."""
    two_scos = [Sco("a", "A", "a.html"), Sco("b", "B", "b/b.html")]
    return {
        "scorm12": (ScormPackage(title="S12", scos=two_scos).to_bytes(), "application/zip", {}),
        "scorm2004": (ScormPackage(title="S4", version="2004 4th Edition").to_bytes(), "application/zip", {}),
        "aicc": (zip_bytes(aicc_files()), "application/zip", {}),
        "cmi5": (zip_bytes({"cmi5.xml": cmi5_xml(), "index.html": "<html></html>"}), "application/zip", {}),
        "cmi5-bare": (cmi5_xml(cmi5_au(url="https://example.com/au.html")).encode(), "text/xml", {}),
        "xapi": (zip_bytes({"tincan.xml": tincan_xml(), "index.html": "<html></html>"}), "application/zip", {}),
        "media": (PDF, "application/pdf", {"contentMetadata": json.dumps({"title": "Guide", "contentLanguage": "en"})}),
    }


def _import(api: Api, course_id: str, data: bytes, content_type: str, fields: dict[str, str]) -> dict[str, Any]:
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": course_id},
        headers={"uploadedContentType": content_type},
        files={"file": ("upload.bin", data, content_type)},
        data=fields or None,
    )
    assert response.status_code == 200, response.text
    job = api.wait(response.json()["result"])
    assert job["status"] == "COMPLETE", job
    return job


def _comparable(course: dict[str, Any]) -> dict[str, Any]:
    # A derived xapiActivityId names the course id (the package's own IRI does not): the copy's names "copy".
    iri = course["xapiActivityId"].replace(":copy", ":orig", 1)
    return {k: course.get(k) for k in ("title", "courseLearningStandard", "rootActivity", "metadata")} | {"iri": iri}


@pytest.mark.parametrize("kind", list(_packages()))
def test_export_reimports_identically(api: Api, kind: str) -> None:
    data, content_type, fields = _packages()[kind]
    first = _import(api, "orig", data, content_type, fields)
    exported = api.request("GET", "/courses/orig/zip")
    assert exported.headers["content-type"] == "application/zip"
    second = _import(api, "copy", exported.content, "application/zip", {})
    original = api.request("GET", "/courses/orig", params={"includeCourseMetadata": "true"}).json()
    copy = api.request("GET", "/courses/copy", params={"includeCourseMetadata": "true"}).json()
    assert _comparable(copy) == _comparable(original)
    assert second["importResult"]["courseLanguages"] == first["importResult"]["courseLanguages"]
    files = [(f["path"], f["size"]) for f in api.request("GET", "/courses/orig/asset/list").json()["files"]]
    copied = [(f["path"], f["size"]) for f in api.request("GET", "/courses/copy/asset/list").json()["files"]]
    assert copied == files
