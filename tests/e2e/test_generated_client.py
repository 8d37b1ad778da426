"""A client generated from the served OpenAPI document (openapi-python-client) works against a real server.

The generator reads only the fetched document (no network) and must not warn about any part of it: a warning means
an operation or a response left out of the generated client. Through the generated code the test takes a token,
uploads a package as multipart, polls the import job, reads the course, and decodes error answers as the error model.
"""

from __future__ import annotations

import base64
import importlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import JOB_TIMEOUT, POLL_SECONDS, Credentials, Server, unique_id
from tests.support.packages import ScormPackage

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


Loader = Callable[[str], Any]


@pytest.fixture(scope="module")
def generated(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loader]:
    """Imports a module of the generated package (``"models"``, ``"api.course.get_course"``), named apart."""
    root = tmp_path_factory.mktemp("generated")
    document = root / "openapi.json"
    document.write_bytes(httpx.get(f"{server.base_url}/api/v2/openapi.json", timeout=10).content)
    name = f"coursehost_client_{uuid.uuid4().hex[:8]}"
    # The generator formats its output with ruff (a dev dependency, beside this interpreter).
    env = os.environ | {"PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(document), "--output-path", str(root / name), "--meta", "none",
         "--fail-on-warning"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(root))
    try:
        yield lambda module: importlib.import_module(f"{name}.{module}")
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]


def _basic(creds: Credentials) -> str:
    return base64.b64encode(f"{creds.app_id}:{creds.secret_key}".encode()).decode()


def test_upload_poll_and_read_through_the_generated_client(
    generated: Loader, server: Server, creds: Credentials
) -> None:
    models, types, client_class = generated("models"), generated("types"), generated("client").AuthenticatedClient
    get_app_token = generated("api.authentication.get_app_token")
    upload = generated("api.course.create_upload_and_import_course_job")
    job_status = generated("api.course.get_import_job_status")
    get_course = generated("api.course.get_course")

    with client_class(base_url=server.base_url, token=_basic(creds), prefix="Basic") as basic:
        token = get_app_token.sync(client=basic, body=models.BodyGetAppToken(scope="read:course write:course"))
    assert isinstance(token, models.ApplicationToken), token
    course_id = unique_id("generated")
    package = ScormPackage(title="Generated Client Course").to_bytes()

    with client_class(base_url=server.base_url, token=token.access_token) as client:

        def send_upload() -> Any:
            file = types.File(payload=BytesIO(package), file_name="course.zip", mime_type="application/zip")
            body = models.CreateUploadAndImportCourseJobBody(file=file)
            return upload.sync_detailed(client=client, body=body, course_id=course_id)

        started = send_upload()
        assert started.status_code == 200, started.content
        assert isinstance(started.parsed, models.StringResultSchema)
        deadline = time.monotonic() + JOB_TIMEOUT
        while True:
            job = job_status.sync(client=client, import_job_id=started.parsed.result)
            assert isinstance(job, models.ImportJobResultSchema), job
            if job.status != models.ImportJobResultSchemaStatus.RUNNING:
                break
            assert time.monotonic() < deadline, "the import job is still RUNNING"
            time.sleep(POLL_SECONDS)
        assert job.status == models.ImportJobResultSchemaStatus.COMPLETE, job.message
        assert job.import_result.course.id == course_id

        course = get_course.sync(client=client, course_id=course_id, include_course_metadata=True)
        assert isinstance(course, models.CourseSchema), course
        assert (course.id, course.title, course.version) == (course_id, "Generated Client Course", 0)
        assert course.created <= course.updated  # date-times, parsed by the generated model
        assert course.course_learning_standard == models.CourseSchemaCourseLearningStandard.SCORM12

        # Error answers decode as the error model, whatever the status.
        missing = get_course.sync_detailed(client=client, course_id="no-such-course")
        again = send_upload()
    for answer, status, text in ((missing, 404, "no-such-course"), (again, 409, "mayCreateNewVersion")):
        assert answer.status_code == status, answer.content
        assert isinstance(answer.parsed, models.MessageSchema), answer.parsed
        assert text in answer.parsed.message
        assert answer.parsed.error == answer.parsed.message
