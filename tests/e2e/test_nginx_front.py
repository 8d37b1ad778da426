"""The production recipe with nginx (docs/nginx/coursehost.conf): Debian's nginx in front of a real
``coursehost serve`` on loopback, the documented configuration used as it is. coursehost decides every answer and
names the blob with X-Accel-Redirect; nginx sends the bytes. Checked through nginx: the bytes, byte ranges, ETags
and revalidation, the security headers, refusals, and that the blobs' location cannot be asked for directly. Twice:
with local storage, and with S3 storage (moto's S3 server) and docs/nginx/coursehost-s3.conf in place of the local
blobs' location."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from coursehost.kit.security import CONTENT_CSP
from tests.e2e.conftest import Credentials, Server, Store, create_app_in_process, free_port, start_server, stop_server
from tests.support.packages import ScormPackage

NGINX = Path("/usr/sbin/nginx")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "nginx"
RECIPE = DOCS / "coursehost.conf"
S3_RECIPE = DOCS / "coursehost-s3.conf"
LOCAL_BLOBS = re.compile(r"\n    # Blobs in local storage.*?\n    }\n", re.S)
SMALL = b"body { color: teal; }\n" * 100
# 1 MiB that does not compress (a zip bomb otherwise): larger than what coursehost keeps in memory.
LARGE = b"".join(hashlib.sha256(n.to_bytes(4, "big")).digest() for n in range(32768))


def site_config(coursehost_port: int, nginx_port: int, data_dir: Path, s3_endpoint: str | None) -> str:
    """The documented configuration, with the lines it marks "site:" set for this test."""
    text = RECIPE.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{coursehost_port};",
        "listen 80;": f"listen 127.0.0.1:{nginx_port};",
        "alias /var/lib/coursehost/data/blobs/;": f"alias {data_dir}/blobs/;",
    }
    if s3_endpoint is not None:
        location = S3_RECIPE.read_text().split("\n\n", 1)[1]  # past the comment above it
        text, replaced = LOCAL_BLOBS.subn("\n" + location, text)
        assert replaced == 1, "docs/nginx/coursehost.conf no longer has the local blobs' location"
        del replacements["alias /var/lib/coursehost/data/blobs/;"]
        replacements["proxy_pass https://s3.eu-west-1.amazonaws.com/;"] = f"proxy_pass {s3_endpoint}/;"
    for documented, here in replacements.items():
        assert documented in text, f"docs/nginx/coursehost.conf no longer has {documented!r}"
        text = text.replace(documented, here)
    return text


def main_config(tmp: Path, site: str) -> str:
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would otherwise run as nobody, who cannot read the test's data directory.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\nevents {{ worker_connections 128; }}\n"
        f"http {{\n    access_log off;\n{temp}\n    include /etc/nginx/mime.types;\n{site}\n}}\n"
    )


@dataclass
class Front:
    base_url: str
    server: Server
    credentials: Credentials


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_settings(endpoint: str) -> tuple[dict[str, str], dict[str, str]]:
    """A fresh bucket on the S3 server: the environment boto3 reads, and coursehost's settings."""
    credentials = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}
    bucket = f"b-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    ).create_bucket(Bucket=bucket)
    return credentials, {"storage_url": f"s3://{bucket}/some/prefix", "s3_endpoint_url": endpoint}


@pytest.fixture(scope="module", params=["local", "s3"])
def front(request: pytest.FixtureRequest, store: Store) -> Iterator[Front]:
    nginx_port = free_port()
    public = f"http://127.0.0.1:{nginx_port}"
    endpoint: str | None = None
    settings = {"accel_redirect": "/_coursehost/", "public_url": public}
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        credentials, storage = s3_settings(endpoint)
        store = Store(store.root, store.database_url, store.env | credentials)
        settings |= storage
    server = start_server(store, f"behind-nginx-{request.param}", **settings)
    tmp = store.root / f"nginx-{request.param}"
    tmp.mkdir()
    config = tmp / "nginx.conf"
    config.write_text(main_config(tmp, site_config(server.port, nginx_port, store.root / "data", endpoint)))
    log = tmp / "error.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(NGINX), "-p", str(tmp), "-c", str(config), "-e", "stderr", "-g", f"daemon off; pid {tmp}/nginx.pid;"],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(public + "/api/v2/openapi.json", process, log)
        yield Front(public, server, create_app_in_process(store, "behind-nginx"))
    finally:
        process.terminate()
        process.wait(timeout=20)
        stop_server(server)


@pytest.fixture(scope="module")
def web_path(front: Front) -> str:
    """A course imported through nginx; its webPathToCourse."""
    auth = (front.credentials.app_id, front.credentials.secret_key)
    package = ScormPackage(extra_files={"style.css": SMALL, "media/clip.bin": LARGE}).to_bytes()
    with httpx.Client(base_url=front.base_url + "/api/v2", auth=auth, timeout=30) as api:
        queued = api.post(
            "/courses/importJobs/upload", params={"courseId": "nginx"}, files={"file": ("c.zip", package)}
        )
        assert queued.status_code == 200, queued.text
        deadline = time.monotonic() + 30
        while (job := api.get(f"/courses/importJobs/{queued.json()['result']}").json())["status"] == "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert job["status"] == "COMPLETE", job
    url: str = job["importResult"]["webPathToCourse"]
    assert url.startswith(front.base_url + "/content/courses/")
    return url


def etag(data: bytes) -> str:
    return f'"{hashlib.sha256(data).hexdigest()}"'


def test_nginx_sends_the_bytes_with_coursehosts_headers(front: Front, web_path: str) -> None:
    for name, data, kind in (("style.css", SMALL, "text/css; charset=utf-8"), ("media/clip.bin", LARGE, None)):
        # coursehost itself only names the blob...
        host = {"Host": front.base_url.removeprefix("http://")}
        direct = httpx.get(web_path.replace(front.base_url, front.server.base_url) + name, headers=host)
        assert (direct.status_code, direct.content) == (200, b"")
        assert direct.headers["x-accel-redirect"].startswith("/_coursehost/")
        # ...and nginx sends it.
        answer = httpx.get(web_path + name)
        assert (answer.status_code, answer.content) == (200, data)
        assert answer.headers["content-length"] == str(len(data))
        assert answer.headers["content-type"] == (kind or "application/octet-stream")
        assert answer.headers["etag"] == etag(data)
        assert answer.headers["cache-control"] == "public, no-cache"
        assert answer.headers["content-security-policy"] == CONTENT_CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["accept-ranges"] == "bytes"
        assert "x-accel-redirect" not in answer.headers
        assert "last-modified" not in answer.headers


def test_byte_ranges_are_answered_by_nginx(web_path: str) -> None:
    part = httpx.get(web_path + "media/clip.bin", headers={"Range": "bytes=1000-1999"})
    assert (part.status_code, part.content) == (206, LARGE[1000:2000])
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(LARGE)}"
    assert part.headers["etag"] == etag(LARGE)
    tail = httpx.get(web_path + "style.css", headers={"Range": "bytes=-5"})
    assert (tail.status_code, tail.content) == (206, SMALL[-5:])
    beyond = httpx.get(web_path + "style.css", headers={"Range": f"bytes={len(SMALL)}-"})
    assert beyond.status_code == 416


def test_revalidation_is_answered_by_coursehost(web_path: str) -> None:
    again = httpx.get(web_path + "style.css", headers={"If-None-Match": etag(SMALL)})
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == etag(SMALL)
    assert again.headers["content-security-policy"] == CONTENT_CSP
    # nginx's own validators play no part: a date in If-Modified-Since changes nothing.
    dated = httpx.get(web_path + "style.css", headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert (dated.status_code, dated.content) == (200, SMALL)


def test_refusals_and_the_blobs_location(front: Front, web_path: str) -> None:
    missing = httpx.get(web_path + "nope.css")
    assert missing.status_code == 404
    assert missing.json()["message"] == "No file 'nope.css' in this course version"
    sha = hashlib.sha256(SMALL).hexdigest()
    for path in (f"/_coursehost/blobs/1/{sha[:2]}/{sha}", "/_coursehost/blobs/", "/_coursehost/"):
        assert httpx.get(front.base_url + path).status_code == 404
    head = httpx.head(web_path + "media/clip.bin")
    assert (head.status_code, head.headers["content-length"], head.content) == (200, str(len(LARGE)), b"")
