"""The access log's handler writes uvicorn's access lines plainly, from a thread of its own, in batches."""

from __future__ import annotations

import io
import logging

from coursehost.kit.accesslog import AccessLogHandler


def test_lines_are_written_as_uvicorn_writes_them_without_colour() -> None:
    stream = io.StringIO()
    handler = AccessLogHandler(stream)
    logger = logging.Logger("test.access")
    logger.addHandler(handler)
    for status in (200, 404):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:50312", "GET", "/api/v2/courses?more=x", "1.1", status)
    logger.warning("something else, %s", "as it says")
    handler.close()  # writes what is queued, then stops its thread
    assert stream.getvalue().splitlines() == [
        'INFO:     127.0.0.1:50312 - "GET /api/v2/courses?more=x HTTP/1.1" 200',
        'INFO:     127.0.0.1:50312 - "GET /api/v2/courses?more=x HTTP/1.1" 404',
        "WARNING:  something else, as it says",
    ]
