"""The xAPI activity IRI each course version carries as ``xapiActivityId``.

cmi5 and xAPI packages name their own IRI (the cmi5 course id, the tincan.xml activity id), which is used as it is.
Other packages (SCORM, AICC, media) get one derived from who imported them and what they are:

    urn:coursehost:course:<appId>:<courseId>[:<packageIdentifier>]

each part percent-encoded as UTF-8 with only RFC 3986 unreserved characters left as they are, so ':' separates the
parts unambiguously and the IRI is plain ASCII. The package identifier is the manifest's ``identifier`` (SCORM) or
the ``.crs`` Course_ID (AICC); without one (media, or a manifest that has none) the part is left out. Identifiers
longer than :data:`MAX_IDENTIFIER` characters are replaced by ``sha256-<hex digest>`` to keep the IRI short. The
form does not depend on the server's public URL, so moving the server keeps every IRI.

A SCO's (or AU's) IRI is its course's followed by ``/`` and its item identifier, percent-encoded the same way, as
ADL's xAPI SCORM Profile builds them (``<courseIRI>/<sco path>``); see :func:`sco_activity_iri`. Statements are
related to a version by the activity ids it answers to (:func:`version_activity_ids`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from coursehost.packages.base import ParsedCourse

PREFIX = "urn:coursehost:course:"
MAX_IDENTIFIER = 255


def course_activity_iri(app_id: str, course_id: str, package_identifier: str | None) -> str:
    parts = [app_id, course_id]
    if package_identifier:
        if len(package_identifier) > MAX_IDENTIFIER:
            package_identifier = "sha256-" + hashlib.sha256(package_identifier.encode()).hexdigest()
        parts.append(package_identifier)
    return PREFIX + ":".join(quote(part, safe="") for part in parts)


def version_activity_iri(app_id: str, course_id: str, parsed: ParsedCourse) -> str:
    """The package's own IRI when its standard has one, else the derived form."""
    return parsed.xapi_activity_id or course_activity_iri(app_id, course_id, parsed.package_identifier)


# Standards whose descriptors name each activity by its own IRI: cmi5 AUs and blocks, the tincan.xml activity.
OWN_IRI_STANDARDS = ("CMI5", "XAPI")


def sco_activity_iri(course_iri: str, item_identifier: str) -> str:
    """The activity IRI of one SCO (or AICC AU) of a SCORM/AICC/media course: the course's IRI, ``/``, and the
    item's identifier percent-encoded like the course IRI's parts (so the IRI stays plain ASCII)."""
    return f"{course_iri}/{quote(item_identifier, safe='')}"


def version_activity_ids(standard: str, course_iri: str | None, root_activity: Mapping[str, Any]) -> set[str]:
    """Every activity IRI a version answers to (its statements are found by them): the course's xapiActivityId,
    the cmi5 AU and block ids (or the xAPI package's activity), and each SCO's :func:`sco_activity_iri`. Read from
    the stored wire form of the activity tree (``course_versions.root_activity``)."""
    found = {course_iri} if course_iri else set()
    stack = [root_activity]
    while stack:
        node = stack.pop()
        stack.extend(child for child in node.get("children") or () if isinstance(child, Mapping))
        item = node.get("itemIdentifier")
        if not isinstance(item, str) or not item:
            continue
        if standard in OWN_IRI_STANDARDS:
            found.add(item)
        elif node.get("activityType") == "SCO" and course_iri:
            found.add(sco_activity_iri(course_iri, item))
    return found
