from __future__ import annotations

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage


def test_import_and_get(api: Api) -> None:
    job = api.import_course("c1", ScormPackage(title="Hello").to_bytes())
    assert job["importResult"]["course"]["title"] == "Hello"
    body = api.request("GET", "/courses/c1").json()
    assert body["version"] == 0
