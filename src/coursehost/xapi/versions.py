"""Which xAPI version a request speaks (``X-Experience-API-Version``) and which the LRS answers in."""

from __future__ import annotations

import re
from enum import StrEnum

from coursehost.kit.errors import BadRequest

HEADER = "X-Experience-API-Version"


class XapiVersion(StrEnum):
    V2 = "2.0.0"
    V1 = "1.0.3"


# xAPI 1.0.x and 2.0.x requests may name any patch level; the LRS answers in the latest one it implements.
_ACCEPTED = re.compile(r"(1\.0|2\.0)(\.\d+)?")


def negotiate(header: str | None) -> XapiVersion:
    """The version to serve a request in; a missing or unknown version header is a 400 (xAPI 2.0.0 §2.1.3, 1.0.3
    Communication §6.2)."""
    if header is None:
        raise BadRequest(f"The {HEADER} header is required")
    match = _ACCEPTED.fullmatch(header.strip())
    if match is None:
        raise BadRequest(f"{HEADER} {header!r} is not supported; this LRS speaks 2.0.0 and 1.0.3")
    return XapiVersion.V2 if match.group(1) == "2.0" else XapiVersion.V1
