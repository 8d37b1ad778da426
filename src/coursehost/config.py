"""Runtime configuration, read once from ``COURSEHOST_*`` environment variables."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COURSEHOST_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    # Empty means SQLite in the data directory.
    database_url: str = ""
    # Signs pagination tokens; generated and kept in the data directory when not given.
    secret_key: str = ""
    # Empty: files under data_dir. "s3://bucket/prefix": an S3-compatible store (AWS_* variables for credentials,
    # COURSEHOST_S3_ENDPOINT_URL for a non-AWS endpoint).
    storage_url: str = ""
    public_url: str = ""
    # Where course content and the player are served (webPathToCourse, launch links). Empty: the public URL. Another
    # origin keeps content's script away from the API's origin altogether (docs/security.md).
    content_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    # Server processes `coursehost serve` starts (uvicorn's workers sharing the port); see docs/architecture.md.
    workers: int = Field(1, ge=1)
    # The access log, one line per request on stdout, written in batches by a thread of its own (kit/accesslog.py).
    access_log: bool = True

    page_size: int = Field(100, ge=1, le=1000)
    max_upload_bytes: int = Field(2 * 1024**3, ge=1)

    import_workers: int = Field(2, ge=0)
    # Run import workers inside the web process (embedded mode). Production runs `coursehost worker`.
    embedded_workers: bool = True
    job_lease_seconds: int = Field(60, ge=2)
    job_max_attempts: int = Field(3, ge=1)
    job_retention_days: int = Field(7, ge=1)
    worker_poll_seconds: float = Field(1.0, gt=0)
    # Threads that store one import's files while its worker reads the next ones out of the zip (content/writer.py).
    # Local storage gains little from more than 2; S3, where each file is a request, from more.
    import_write_threads: int = Field(2, ge=0, le=64)
    # How often each process reads what other processes changed that its caches may hold (kit/invalidation.py):
    # the bound on how long a cache of one process can answer from a change another process made.
    cache_poll_seconds: float = Field(1.0, gt=0)
    # Content delivery (docs/architecture.md, "Content delivery"). Bytes of small course files (up to 256 KiB each)
    # kept in memory by each process.
    content_memory_bytes: int = Field(64 * 1024**2, ge=0)
    # How long browsers and shared caches may use a course file at webPathToCourse without asking again. 0: they
    # revalidate every time (its ETag makes that a 304 without a body), so a replaced asset is seen at once.
    content_max_age_seconds: int = Field(0, ge=0)
    # The internal location of a front nginx that serves blobs (e.g. "/_coursehost_blobs/"): content requests are
    # then answered with X-Accel-Redirect to it, and nginx sends the bytes. Empty: coursehost sends them.
    accel_redirect: str = ""
    # Authentication's cache (auth/dependencies.py): successful credentials, by app id and the secret's digest, so a
    # request needs no database query to authenticate. Entries are dropped when their application's secret changes
    # (in this process at once, in others within cache_poll_seconds) and live at most auth_cache_seconds anyway.
    auth_cache_entries: int = Field(10_000, ge=0)
    auth_cache_seconds: float = Field(300.0, gt=0)

    zip_max_entries: int = Field(20_000, ge=1)
    zip_max_total_bytes: int = Field(8 * 1024**3, ge=1)
    zip_max_ratio: int = Field(200, ge=1)
    descriptor_max_bytes: int = Field(16 * 1024**2, ge=1024)

    fetch_connect_timeout: float = Field(10.0, gt=0)
    fetch_read_timeout: float = Field(60.0, gt=0)
    fetch_max_redirects: int = Field(5, ge=0)

    postback_attempts: int = Field(4, ge=1)
    postback_backoff_seconds: float = Field(2.0, ge=0)
    postback_timeout_seconds: float = Field(10.0, gt=0)

    # Security (docs/security.md). Outbound requests reach only public addresses unless this comma-separated list of
    # host names and CIDRs lets them through (an internal package server, tests' local servers).
    outbound_allow: str = ""
    # Engine's ApiMaxAuthTokenLifetimeSeconds default (8 h); a token asked for longer is cut to this.
    token_max_lifetime_seconds: int = Field(28_800, ge=60)
    # When getAppToken is not given an expiration (the docs' example asks for 300 s).
    token_default_lifetime_seconds: int = Field(300, ge=1)
    auth_failure_window_seconds: float = Field(60.0, gt=0)
    auth_max_failures_per_address: int = Field(30, ge=1)
    auth_max_failures_per_app: int = Field(100, ge=1)
    max_json_bytes: int = Field(1024**2, ge=1024)
    max_query_bytes: int = Field(8192, ge=256)
    max_header_bytes: int = Field(16_384, ge=1024)
    # Seconds a connection may take to send a request's line and headers (slow clients are cut off).
    header_timeout_seconds: float = Field(10.0, gt=0)
    # Seconds a request body may stall between two chunks.
    body_timeout_seconds: float = Field(60.0, gt=0)
    keep_alive_timeout_seconds: int = Field(5, ge=1)
    # Peers whose X-Forwarded-For/-Proto uvicorn believes (a reverse proxy on the same host by default).
    forwarded_allow_ips: str = "127.0.0.1"

    # The LRS (docs/xapi.md). The version named in answers to requests that name none (refused with 400 either way):
    # xAPI 2.0.0 and 1.0.3 each expect their own; "1.0.3" suits an LRS whose clients are 1.0.3 only.
    xapi_default_version: Literal["2.0.0", "1.0.3"] = "2.0.0"
    # Statement requests carry their attachments: their body may be this large.
    xapi_max_statement_bytes: int = Field(64 * 1024**2, ge=1024)
    # Origins besides the public and the content origin whose pages may call the LRS (CORS), comma-separated.
    xapi_cors_origins: str = ""

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'coursehost.db').resolve()}"

    @property
    def resolved_secret_key(self) -> bytes:
        if self.secret_key:
            return self.secret_key.encode()
        return _data_dir_secret(self.data_dir.resolve())

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def resolved_content_url(self) -> str:
        return (self.content_url or self.resolved_public_url).rstrip("/")


@lru_cache(maxsize=8)
def _data_dir_secret(data_dir: Path) -> bytes:
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
