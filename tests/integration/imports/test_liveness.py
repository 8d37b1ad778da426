"""The API keeps answering while a large package is being imported (imports run off the request path)."""

from __future__ import annotations

import io
import os
import zipfile

from tests.integration.conftest import Api
from tests.support.packages import ScormPackage


def test_requests_are_served_while_an_import_runs(api: Api) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("imsmanifest.xml", ScormPackage().manifest())
        zf.writestr("index.html", b"<html>x</html>")
        for n in range(1500):
            zf.writestr(f"media/f{n}.bin", os.urandom(20_000))
    response = api.upload("heavy", buffer.getvalue())
    job_id = response.json()["result"]
    answered_while_running = 0
    while api.request("GET", f"/courses/importJobs/{job_id}").json()["status"] == "RUNNING":
        assert api.request("GET", "/courses").status_code == 200
        answered_while_running += 1
    assert answered_while_running > 0
    assert api.wait(job_id)["status"] == "COMPLETE"
