"""How ``coursehost serve`` runs uvicorn: header size and time limits, keep-alive timeout, proxy headers.

uvicorn's default (httptools) protocol neither caps the size of a request's line and headers nor limits how long
they may take to arrive: a client could send them a byte at a time (slowloris) and keep a connection open for ever.
The server is asynchronous, so such a client never blocks others, but each one holds a socket. The protocol below
adds both limits: a request whose line and headers are not complete within ``header_timeout_seconds`` of the
connection opening (or of its first byte, on a kept-alive connection) gets 408 and is closed, and one whose line
and headers exceed ``max_header_bytes`` gets 431. Without httptools, uvicorn's h11 protocol caps the head through
``h11_max_incomplete_event_size`` but has no head timeout.
"""

from __future__ import annotations

import asyncio
import gc
import http
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coursehost.config import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools ships with uvicorn[standard]
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


class _HeadTooLarge(Exception):
    pass


if HttpToolsProtocol is not None:

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        head_timeout: float = 10.0
        max_head_bytes: int = 16_384
        _head_timer: asyncio.TimerHandle | None = None
        _head_bytes: int = 0
        _head_too_large: bool = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_bytes = 0
            self._arm()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def send_400_response(self, msg: str) -> None:
            # The parser reports a callback's exception as a malformed request; say what really happened.
            if self._head_too_large:
                self._refuse(431, "Request line and headers too large")
            else:
                super().send_400_response(msg)

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _count(self, size: int) -> None:
            self._head_bytes += size
            if self._head_bytes > self.max_head_bytes:
                self._head_too_large = True
                raise _HeadTooLarge

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if not self.transport.is_closing():
                self._refuse(408, "Request headers not received in time")

        def _refuse(self, status: int, text: str) -> None:
            body = text.encode()
            self.transport.write(
                f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\n".encode()
                + b"content-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
                + f"content-length: {len(body)}\r\n\r\n".encode()
                + body
            )
            self.transport.close()

    class EnvironmentHttpProtocol(GuardedHttpToolsProtocol):
        """The protocol of worker processes (``coursehost serve --workers N``): uvicorn starts them from import
        strings, so the limits come from the settings each process reads from its environment."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            from coursehost.config import get_settings

            settings = get_settings()
            self.head_timeout = settings.header_timeout_seconds
            self.max_head_bytes = settings.max_header_bytes
            super().__init__(*args, **kwargs)


def http_protocol(head_timeout: float, max_head_bytes: int) -> type[asyncio.Protocol] | str:
    if HttpToolsProtocol is None:  # pragma: no cover
        return "h11"
    attributes = {"head_timeout": head_timeout, "max_head_bytes": max_head_bytes}
    return type("CoursehostHttpProtocol", (GuardedHttpToolsProtocol,), attributes)


def uvicorn_options(s: Settings, *, workers: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run``. X-Forwarded-For/-Proto are believed only from
    ``forwarded_allow_ips``, so the rate limiter sees the real client behind a trusted proxy and cannot be fooled by a
    header from anyone else. With ``workers`` the protocol is named by an import string (uvicorn hands its
    configuration to each worker process; a class made at run time would not get there)."""
    if workers and HttpToolsProtocol is not None:
        http: type[asyncio.Protocol] | str = f"{__name__}:EnvironmentHttpProtocol"
    else:
        http = http_protocol(s.header_timeout_seconds, s.max_header_bytes)
    return {
        "http": http,
        "h11_max_incomplete_event_size": s.max_header_bytes,
        "timeout_keep_alive": s.keep_alive_timeout_seconds,
        "proxy_headers": True,
        "forwarded_allow_ips": s.forwarded_allow_ips,
        "server_header": False,
        # The app writes its own access log when COURSEHOST_ACCESS_LOG says so (kit/accesslog.py): uvicorn's is
        # off, it costs the event loop a formatted, flushed line per request.
        "access_log": False,
        "log_level": "info",
    }


def freeze_heap() -> None:
    """Collect once, then leave every object alive now (imported modules, the built application) out of the cyclic
    garbage collector's passes for good (``gc.freeze``). A serving process holds a few hundred thousand of them, and
    each full collection walked them all: 50 to 90 ms with every thread stopped, a few times per large import. A
    process entry point calls it once its application is built; tests, which build many, do not."""
    gc.collect()
    gc.freeze()
