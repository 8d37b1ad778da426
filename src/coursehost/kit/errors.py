"""Domain errors. Every error the API reports derives from :class:`CoursehostError`.

CoursehostError (500)
├── BadRequest (400)
├── Unauthorized (401)
├── Forbidden (403)
├── NotFound (404)
├── Conflict (409)
├── PayloadTooLarge (413)
└── TooManyRequests (429, with Retry-After)

One handler (:mod:`coursehost.kit.handlers`) renders each as ``{"message": ..., "error": ...}``: the swagger
documents ``message`` while live SCORM Cloud was seen sending ``error``, so both carry the same text.
"""

from __future__ import annotations


class CoursehostError(Exception):
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(CoursehostError):
    status_code = 400


class Unauthorized(CoursehostError):
    status_code = 401


class Forbidden(CoursehostError):
    status_code = 403


class NotFound(CoursehostError):
    status_code = 404


class Conflict(CoursehostError):
    status_code = 409


class PayloadTooLarge(CoursehostError):
    status_code = 413


class TooManyRequests(CoursehostError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
