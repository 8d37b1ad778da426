"""Media courses: PDF, MP3 and MP4 uploaded, fetched, or referenced by URL."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coursehost.config import Settings
from tests.integration.conftest import Api
from tests.support.files import stored_files
from tests.support.httpserver import Route, local_server

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200


def upload_media(
    api: Api, course_id: str, name: str, data: bytes, content_type: str, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": course_id},
        headers={"uploadedContentType": content_type},
        files={"file": (name, data, content_type)},
        data={"contentMetadata": json.dumps(metadata)} if metadata else None,
    )
    assert response.status_code == 200, response.text
    return api.wait(response.json()["result"])


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("shiraz.pdf", PDF, "application/pdf"), ("talk.mp3", MP3, "audio/mpeg"), ("clip.mp4", MP4, "video/mp4")],
)
def test_upload_media_titles_from_file_name(api: Api, name: str, data: bytes, content_type: str) -> None:
    job = upload_media(api, "m-" + name, name, data, content_type)
    assert job["status"] == "COMPLETE", job
    course = job["importResult"]["course"]
    assert course["title"] == name.rsplit(".", 1)[0]
    assert course["courseLearningStandard"] == "CMI5"
    assert course["rootActivity"]["children"][0]["href"] == name
    served = api.client.get(job["importResult"]["webPathToCourse"].removeprefix("http://testserver") + name)
    assert served.status_code == 200
    assert served.content == data


def test_upload_media_with_metadata(api: Api) -> None:
    metadata = {
        "title": "Wine Guide",
        "description": "All about Shiraz",
        "contentLanguage": "en",
        "estimatedDuration": 90,
    }
    job = upload_media(api, "meta", "shiraz.pdf", PDF, "application/pdf", metadata)
    assert job["importResult"]["course"]["title"] == "Wine Guide"
    assert job["importResult"]["courseLanguages"] == ["en"]
    course = api.request("GET", "/courses/meta", params={"includeCourseMetadata": "true"}).json()
    assert course["metadata"]["description"] == "All about Shiraz"
    assert course["metadata"]["duration"] == "PT90S"


@pytest.mark.parametrize(
    ("data", "content_type", "label"),
    [(b"hello, not a pdf", "application/pdf", "PDF"), (PDF, "audio/mpeg", "MP3"), (MP3, "video/mp4", "MP4")],
)
def test_signature_mismatch_is_error(api: Api, settings: Settings, data: bytes, content_type: str, label: str) -> None:
    job = upload_media(api, "fake", "fake.bin", data, content_type)
    assert job["status"] == "ERROR"
    assert f"not a {label} file" in job["message"]
    assert api.request("GET", "/courses/fake").status_code == 404
    assert stored_files(settings.data_dir) == []


def test_bad_content_metadata_is_400(api: Api) -> None:
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": "x"},
        headers={"uploadedContentType": "application/pdf"},
        files={"file": ("a.pdf", PDF, "application/pdf")},
        data={"contentMetadata": "{not json"},
    )
    assert response.status_code == 400
    assert "contentMetadata" in response.json()["message"]


def test_fetch_media_with_metadata(api: Api) -> None:
    with local_server() as server:
        server.routes["/files/lecture%201.mp4"] = Route(body=MP4)
        body = {
            "url": server.url("/files/lecture%201.mp4"),
            "contentType": "video/mp4",
            "mediaFileMetadata": {"description": "Week one"},
        }
        response = api.request("POST", "/courses/importJobs", params={"courseId": "fm"}, json=body)
        job = api.wait(response.json()["result"])
    assert job["status"] == "COMPLETE", job
    assert job["importResult"]["course"]["title"] == "lecture 1"


def test_media_file_reference_is_not_copied(api: Api, settings: Settings) -> None:
    request = {
        "mediaFileReferenceRequest": {
            "url": "https://media.example.com/talks/keynote.mp4",
            "contentType": "video/mp4",
            "mediaFileMetadata": {"title": "Keynote"},
        }
    }
    response = api.request("POST", "/courses/importJobs/noUpload", params={"courseId": "ref"}, json=request)
    assert response.status_code == 200, response.text
    job = api.wait(response.json()["result"])
    assert job["status"] == "COMPLETE", job
    course = job["importResult"]["course"]
    assert course["title"] == "Keynote"
    assert course["rootActivity"]["children"][0]["href"] == "https://media.example.com/talks/keynote.mp4"
    # Only the small descriptor is stored; the video stays where it is.
    [descriptor] = stored_files(settings.data_dir)
    assert json.loads(descriptor.read_bytes())["url"] == "https://media.example.com/talks/keynote.mp4"


def test_media_reference_requires_media_type(api: Api) -> None:
    request = {"mediaFileReferenceRequest": {"url": "https://x.example/a.zip", "contentType": "application/zip"}}
    response = api.request("POST", "/courses/importJobs/noUpload", params={"courseId": "r"}, json=request)
    assert response.status_code == 400
