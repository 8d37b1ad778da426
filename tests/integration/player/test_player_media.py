"""Media courses play in the page: stored files from the session's content path, referenced media from its URL."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api
from tests.integration.player.helpers import config, launch

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200


def upload(api: Api, course_id: str, name: str, data: bytes, content_type: str) -> None:
    response = api.request(
        "POST",
        "/courses/importJobs/upload",
        params={"courseId": course_id},
        headers={"uploadedContentType": content_type},
        files={"file": (name, data, content_type)},
    )
    assert response.status_code == 200, response.text
    assert api.wait(response.json()["result"])["status"] == "COMPLETE"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "kind", "tag"),
    [
        ("guide.pdf", PDF, "application/pdf", "pdf", '<object id="ch-media"'),
        ("talk one.mp3", MP3, "audio/mpeg", "audio", '<audio id="ch-media"'),
        ("clip.mp4", MP4, "video/mp4", "video", '<video id="ch-media"'),
    ],
)
def test_uploaded_media(api: Api, name: str, data: bytes, content_type: str, kind: str, tag: str) -> None:
    upload(api, "m", name, data, content_type)
    base, page = launch(api, "m")
    data_config = config(page)
    assert data_config["standard"] == "media"
    assert data_config["nodes"][1]["media"] == kind
    assert "runtime/" not in page.text  # media needs no SCORM run-time
    media = api.client.get(base + "media/1")
    assert media.status_code == 200
    assert tag in media.text
    src = "../content/" + name.replace(" ", "%20")
    assert f'"{src}"' in media.text
    assert api.client.get(base + "content/" + name).content == data
    assert '"threshold": 95' in media.text
    assert api.client.get(base + "media/0").status_code == 404


def test_referenced_media_plays_from_its_url(api: Api) -> None:
    response = api.request(
        "POST",
        "/courses/importJobs/noUpload",
        params={"courseId": "ref"},
        json={
            "mediaFileReferenceRequest": {"url": "https://media.example.com/films/clip.mp4", "contentType": "video/mp4"}
        },
        headers={"uploadedContentType": "video/mp4"},
    )
    assert response.status_code == 200, response.text
    assert api.wait(response.json()["result"])["status"] == "COMPLETE"
    base, _page = launch(api, "ref")
    media = api.client.get(base + "media/1")
    assert 'src="https://media.example.com/films/clip.mp4"' in media.text


def test_media_completion_threshold_setting(api: Api) -> None:
    upload(api, "m2", "clip.mp4", MP4, "video/mp4")
    body = {"settings": [{"settingId": "MediaContentCompletionThreshold", "value": "50"}]}
    assert api.request("POST", "/courses/m2/configuration", json=body).status_code == 204
    base, _page = launch(api, "m2")
    assert '"threshold": 50' in api.client.get(base + "media/1").text
