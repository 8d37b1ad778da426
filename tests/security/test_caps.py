"""The caps of kit/caps.py (README "Limits"): what a client sends over them is 400 naming the field and the cap, with
nothing half-written; what a package brings over them is cut with a parserWarnings entry. At the cap, the longest
UTF-8 spelling still fits PostgreSQL's index rows (a 1 MB title was a 500 there: "index row size exceeds")."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from coursehost.kit.caps import (
    BATCH_COURSES_MAX,
    BATCH_TAGS_MAX,
    PATH_MAX_BYTES,
    TAG_MAX,
    TAGS_PER_COURSE_MAX,
    TITLE_MAX,
)
from tests.integration.conftest import Api
from tests.support.packages import ScormPackage

WIDE = "\U0001d11e"  # four bytes in UTF-8: the longest spelling of a character


@pytest.fixture
def seeded(api: Api) -> Api:
    api.import_course("c", ScormPackage().to_bytes())
    return api


def _message(response: Any) -> str:
    message: str = response.json()["message"]
    return message


def test_titles_up_to_the_cap_are_stored_longer_ones_are_400(seeded: Api) -> None:
    assert seeded.request("PUT", "/courses/c/title", json={"title": WIDE * TITLE_MAX}).status_code == 204
    assert seeded.request("GET", "/courses/c").json()["title"] == WIDE * TITLE_MAX
    for title in ("x" * (TITLE_MAX + 1), "x" * 1_000_000):
        response = seeded.request("PUT", "/courses/c/title", json={"title": title})
        assert response.status_code == 400
        assert "'title'" in _message(response)
        assert str(TITLE_MAX) in _message(response)
        assert len(_message(response)) < 1000  # the value is not echoed back whole
    assert seeded.request("GET", "/courses/c").json()["title"] == WIDE * TITLE_MAX


@pytest.mark.parametrize("title", ["x" * 200_000, WIDE * 50_000, "A\x00title"])
def test_package_titles_are_fitted_with_a_warning(api: Api, title: str) -> None:
    job = api.import_course("long", _aicc(title) if "\x00" in title else ScormPackage(title=title).to_bytes())
    result = job["importResult"]
    stored = result["course"]["title"]
    assert len(stored) <= TITLE_MAX
    assert "\x00" not in stored
    assert stored == title.replace("\x00", "")[:TITLE_MAX]
    assert any("course title" in warning for warning in result["parserWarnings"])
    assert api.request("GET", "/courses/long").json()["title"] == stored
    assert api.request("GET", "/courses", params={"orderBy": "title_asc"}).status_code == 200


def _aicc(title: str) -> bytes:
    """An AICC package (plain-text descriptors: the one place a NUL can come from a package)."""
    files = {
        "course.crs": f"[Course]\nCourse_ID=C1\nCourse_Title={title}\nTotal_AUs=1\nTotal_Blocks=0\n",
        "course.au": '"System_ID","Type","Command_Line","File_Name","Max_Score","Mastery_Score"\n'
        '"A1","lesson","","index.html","",""\n',
        "course.des": '"System_ID","Title","Description"\n"A1","Lesson",""\n',
        "course.cst": '"block","member"\n"root","A1"\n',
        "index.html": "<html></html>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def test_tags_at_the_caps_are_stored(seeded: Api) -> None:
    tags = [f"{i:03d}" + WIDE * (TAG_MAX - 3) for i in range(TAGS_PER_COURSE_MAX)]
    assert seeded.request("PUT", "/courses/c/tags", json={"tags": tags}).status_code == 204
    assert seeded.request("GET", "/courses/c/tags").json()["tags"] == tags
    assert seeded.request("PUT", "/courses/c/tags", json={"tags": tags[:3]}).status_code == 204  # already there


@pytest.mark.parametrize(
    ("tags", "says"),
    [
        (["x" * (TAG_MAX + 1)], f"at most {TAG_MAX} characters"),
        ([str(i) for i in range(TAGS_PER_COURSE_MAX + 1)], f"at most {TAGS_PER_COURSE_MAX} tags"),
        ([str(i) for i in range(50_000)], f"at most {TAGS_PER_COURSE_MAX} tags"),
        ([" "], "must not be empty"),
    ],
)
def test_tags_over_the_caps_are_400(seeded: Api, tags: list[str], says: str) -> None:
    response = seeded.request("PUT", "/courses/c/tags", json={"tags": tags})
    assert response.status_code == 400
    assert says in _message(response)
    assert "'tags'" in _message(response)
    assert seeded.request("GET", "/courses/c/tags").json()["tags"] == []


def test_a_request_that_would_overfill_a_course_changes_nothing(seeded: Api) -> None:
    first = [f"a{i}" for i in range(TAGS_PER_COURSE_MAX - 1)]
    assert seeded.request("PUT", "/courses/c/tags", json={"tags": first}).status_code == 204
    response = seeded.request("PUT", "/courses/c/tags", json={"tags": ["b1", "b2"]})
    assert response.status_code == 400
    assert f"would have {TAGS_PER_COURSE_MAX + 1} tags" in _message(response)
    assert len(seeded.request("GET", "/courses/c/tags").json()["tags"]) == TAGS_PER_COURSE_MAX - 1
    assert seeded.request("PUT", "/courses/c/tags", json={"tags": ["b1", "a0"]}).status_code == 204  # fits exactly


def test_batch_caps(seeded: Api) -> None:
    seeded.import_course("d", ScormPackage().to_bytes())
    too_many_ids = {"ids": ["c"] * (BATCH_COURSES_MAX + 1), "tags": ["t"]}
    too_many_tags = {"ids": ["c"], "tags": [str(i) for i in range(BATCH_TAGS_MAX + 1)]}
    for body, field in ((too_many_ids, "'ids'"), (too_many_tags, "'tags'")):
        response = seeded.request("PUT", "/courses/tags", json=body)
        assert response.status_code == 400, response.text
        assert field in _message(response)
    long_id = seeded.request("PUT", "/courses/tags", json={"ids": ["x" * 256], "tags": ["t"]})
    assert long_id.status_code == 400
    assert "ids.0" in _message(long_id)
    # One course without room: no course is changed.
    full = [f"f{i}" for i in range(TAGS_PER_COURSE_MAX)]
    assert seeded.request("PUT", "/courses/d/tags", json={"tags": full}).status_code == 204
    response = seeded.request("PUT", "/courses/tags", json={"ids": ["c", "d"], "tags": ["new"]})
    assert response.status_code == 400
    assert "[d]" in _message(response)
    assert seeded.request("GET", "/courses/c/tags").json()["tags"] == []
    many = [str(i) for i in range(BATCH_TAGS_MAX)]
    assert (
        seeded.request("PUT", "/courses/tags", json={"ids": ["c"] * BATCH_COURSES_MAX, "tags": many}).status_code == 204
    )


def test_removing_many_tags_at_once_works(seeded: Api) -> None:
    assert seeded.request("PUT", "/courses/c/tags", json={"tags": ["keep", "drop"]}).status_code == 204
    body = {"tags": ["drop", *(str(i) for i in range(70_000))]}  # more than either database binds at once
    assert seeded.request("DELETE", "/courses/c/tags", json=body).status_code == 204
    assert seeded.request("GET", "/courses/c/tags").json()["tags"] == ["keep"]


def test_import_tags_are_held_to_the_caps(seeded: Api) -> None:
    package = ScormPackage().to_bytes()
    response = seeded.upload("n", package, tags=",".join(str(i) for i in range(TAGS_PER_COURSE_MAX + 1)))
    assert response.status_code == 400
    assert "query parameter 'tags'" in _message(response)
    response = seeded.upload("n", package, tags="x" * (TAG_MAX + 1))
    assert response.status_code == 400
    assert f"at most {TAG_MAX} characters" in _message(response)
    # A new version would push the course over the cap: refused before the package is stored.
    full = [f"f{i}" for i in range(TAGS_PER_COURSE_MAX)]
    assert seeded.request("PUT", "/courses/c/tags", json={"tags": full}).status_code == 204
    response = seeded.upload("c", package, tags="one-more", mayCreateNewVersion="true")
    assert response.status_code == 400
    assert "would have" in _message(response)
    assert seeded.request("GET", "/courses/c/versions").json()["courses"][-1]["version"] == 0
    assert seeded.request("GET", "/courses/n").status_code == 404


def test_asset_paths_are_held_to_the_index_limit(seeded: Api) -> None:
    fits = WIDE * (PATH_MAX_BYTES // 4)
    upload = {"files": {"file": ("a.txt", b"x", "text/plain")}}
    assert seeded.request("POST", "/courses/c/asset/upload", data={"destination": fits}, **upload).status_code == 200
    listed = [f["path"] for f in seeded.request("GET", "/courses/c/asset/list").json()["files"]]
    assert fits in listed
    for too_long in (fits + WIDE, "a" * 1025):
        response = seeded.request("POST", "/courses/c/asset/upload", data={"destination": too_long}, **upload)
        assert response.status_code == 400
        assert "'destination' is longer than" in _message(response)


def test_package_files_beyond_the_path_cap_are_an_import_error(api: Api) -> None:
    name = "d/" + WIDE * 700 + ".html"
    response = api.upload("p", ScormPackage(extra_files={name: b"x"}).to_bytes())
    job = api.wait(response.json()["result"])
    assert job["status"] == "ERROR"
    assert f"is longer than {PATH_MAX_BYTES} bytes" in job["message"]
    assert "internal error" not in job["message"]
