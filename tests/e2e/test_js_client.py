"""The official SCORM Cloud JavaScript client (npm ``@rusticisoftware/scormcloud-api-v2-client-javascript``, pinned
in tests/e2e/js/package-lock.json) against a real ``coursehost serve``: a second, independent oracle.

This module starts the servers and applications with the e2e fixtures, builds the packages in Python, writes them
and the servers' addresses to a JSON file, and runs each ``tests/e2e/js/*.test.js`` file with ``node --test``
(one pytest test per file, so the database pass of ``make test`` covers both SQLite and PostgreSQL).

Node.js and ``npm ci`` in tests/e2e/js are needed (``make test`` runs ``npm ci`` when node_modules is missing or
older than the lock file). Without them the tests are skipped with a loud reason; with ``CI`` set they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    LOM,
    PNG,
    SCO_RESOURCE,
    UPLOAD_LIMIT,
    Credentials,
    Server,
    Store,
    create_app_in_process,
    html,
    manifest_12,
)
from tests.support.packages import Sco, ScormPackage, zip_bytes

JS_DIR = Path(__file__).parent / "js"
JS_TESTS = sorted(path.name for path in JS_DIR.glob("*.test.js"))
NODE_TIMEOUT_SECONDS = 180

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"JavaScript client tests cannot run in CI: {reason}")
    pytest.skip(f"JAVASCRIPT CLIENT TESTS SKIPPED: {reason}")


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        _unavailable("Node.js is not installed (apt-get install nodejs npm)")
    if not (JS_DIR / "node_modules" / ".package-lock.json").exists():
        _unavailable(f"the client is not installed: run `npm ci` in {JS_DIR} (make test does)")
    return str(found)


def _packages() -> dict[str, tuple[str, bytes, dict[str, Any]]]:
    """name -> (file name, bytes, what the JavaScript tests may assert about it)."""
    course = ScormPackage(
        title="JS Course",
        scos=[
            Sco("item_1", "Lesson 1", "index.html", body=html("first lesson")),
            Sco("item_2", "Lesson 2", "lessons/two/page.html", body=html("second lesson")),
        ],
        extra_files={"shared/style.css": b"body { color: red }"},
    )
    item = '<item identifier="i1" identifierref="r1"><title>Only lesson</title></item>'
    nested = ScormPackage(title="Nested", scos=[Sco("item_1", "Lesson", "index.html", body=html("nested"))])
    missing_launch = manifest_12(
        '<item identifier="i1" identifierref="r1"><title>One</title></item>',
        SCO_RESOURCE.replace("index.html", "launch/missing.html"),
    )
    # Random bytes do not compress: these zips are about as large as the bytes they carry.
    large = ScormPackage(title="Large", extra_files={"big.bin": os.urandom(2 * 1024 * 1024)})
    too_large = ScormPackage(title="Too large", extra_files={"big.bin": os.urandom(UPLOAD_LIMIT + 1)})
    return {
        "course": ("course.zip", course.to_bytes(), {"title": "JS Course"}),
        "v1": (
            "v1.zip",
            ScormPackage(
                title="JS Course v1", scos=[Sco("item_1", "Lesson", "index.html", body=html("version 1"))]
            ).to_bytes(),
            {"title": "JS Course v1", "launch": "version 1"},
        ),  # fmt: skip
        "scorm2004": (
            "scorm2004.zip",
            ScormPackage(title="JS 2004", version="2004 4th Edition").to_bytes(),
            {"title": "JS 2004"},
        ),
        "metadata": (
            "metadata.zip",
            zip_bytes({"imsmanifest.xml": manifest_12(item, SCO_RESOURCE, LOM), "index.html": html("meta")}),
            {"title": "Hand-written"},
        ),
        "nested": (
            "nested.zip",
            zip_bytes({"course_root/imsmanifest.xml": nested.manifest(), "course_root/index.html": html("nested")}),
            {"title": "Nested", "launch": "nested"},
        ),
        "not-a-zip": ("not-a-zip.zip", b"this is plain text, not a zip archive", {}),
        "missing-launch": (
            "missing-launch.zip",
            zip_bytes({"imsmanifest.xml": missing_launch, "index.html": html("x")}),
            {"missing": "launch/missing.html"},
        ),
        "large": ("large.zip", large.to_bytes(), {"title": "Large"}),
        "too-large": ("too-large.zip", too_large.to_bytes(), {}),
        "pdf": ("guide.pdf", PDF, {"title": "guide"}),
        "png": ("logo.png", PNG, {}),
        "page": ("extra.html", html("extra"), {}),
    }


@pytest.fixture(scope="module")
def js_config(
    tmp_path_factory: pytest.TempPathFactory,
    store: Store,
    server: Server,
    paging_server: Server,
    creds: Credentials,
    other_creds: Credentials,
) -> Path:
    settings_creds = create_app_in_process(store, "e2e-js-settings")
    directory = tmp_path_factory.mktemp("js-client")
    packages = {}
    for name, (file_name, data, facts) in _packages().items():
        path = directory / file_name
        path.write_bytes(data)
        packages[name] = {"path": str(path), "size": len(data), **facts}
    config = {
        "baseUrl": server.base_url,
        "pagingUrl": paging_server.base_url,
        "pageSize": int(paging_server.env["COURSEHOST_PAGE_SIZE"]),
        "uploadLimit": UPLOAD_LIMIT,
        "app": {"appId": creds.app_id, "secretKey": creds.secret_key},
        "otherApp": {"appId": other_creds.app_id, "secretKey": other_creds.secret_key},
        # settings.test.js changes application-level configuration: it gets an application of its own.
        "settingsApp": {"appId": settings_creds.app_id, "secretKey": settings_creds.secret_key},
        "packages": packages,
    }
    path = directory / "config.json"
    path.write_text(json.dumps(config, indent=2))
    return path


def test_every_javascript_test_file_is_collected() -> None:
    assert JS_TESTS, f"no *.test.js files in {JS_DIR}"


@pytest.mark.parametrize("test_file", JS_TESTS)
def test_javascript_client(node: str, js_config: Path, server: Server, test_file: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEHOST_")}
    env["COURSEHOST_E2E_JS_CONFIG"] = str(js_config)
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", test_file],
        cwd=JS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_SECONDS,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, (
        f"node --test {test_file} exited {result.returncode}:\n{output}\n{server.log()[-4000:]}"
    )
