"""The production recipe with nginx (docs/nginx/coursehost.conf): Debian's nginx in front of a real
``coursehost serve`` on loopback, the documented configuration used as it is. coursehost decides every answer and
names the blob with X-Accel-Redirect; nginx sends the bytes. Checked through nginx: the bytes, byte ranges, ETags
and revalidation, the security headers, refusals, and that the blobs' location cannot be asked for directly."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from coursehost.kit.security import CONTENT_CSP
from tests.e2e.conftest import Credentials, Server, Store, create_app_in_process, free_port, start_server, stop_server
from tests.support.packages import ScormPackage

NGINX = Path("/usr/sbin/nginx")
RECIPE = Path(__file__).resolve().parents[2] / "docs" / "nginx" / "coursehost.conf"
SMALL = b"body { color: teal; }\n" * 100
# 1 MiB that does not compress (a zip bomb otherwise): larger than what coursehost keeps in memory.
LARGE = b"".join(hashlib.sha256(n.to_bytes(4, "big")).digest() for n in range(32768))


def site_config(coursehost_port: int, nginx_port: int, data_dir: Path) -> str:
    """The documented configuration, with the lines it marks "site:" set for this test."""
    text = RECIPE.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{coursehost_port};",
        "listen 80;": f"listen 127.0.0.1:{nginx_port};",
        "alias /var/lib/coursehost/data/blobs/;": f"alias {data_dir}/blobs/;",
    }
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
def front(store: Store) -> Iterator[Front]:
    nginx_port = free_port()
    public = f"http://127.0.0.1:{nginx_port}"
    server = start_server(store, "behind-nginx", accel_redirect="/_coursehost/", public_url=public)
    tmp = store.root / "nginx"
    tmp.mkdir()
    config = tmp / "nginx.conf"
    config.write_text(main_config(tmp, site_config(server.port, nginx_port, store.root / "data")))
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


def test_nginx_sends_the_bytes_with_coursehosts_headers(web_path: str) -> None:
    for name, data, kind in (("style.css", SMALL, "text/css; charset=utf-8"), ("media/clip.bin", LARGE, None)):
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
    for path in (f"/_coursehost/blobs/1/{sha[:2]}/{sha}", "/_coursehost/blobs/"):
        assert httpx.get(front.base_url + path).status_code == 404
    head = httpx.head(web_path + "media/clip.bin")
    assert (head.status_code, head.headers["content-length"], head.content) == (200, str(len(LARGE)), b"")
