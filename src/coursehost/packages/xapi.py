"""xAPI (Tin Can) packages, described by ``tincan.xml``.

tincan.xml lists activities, but only the one with a <launch> element is something an LMS can start: it
becomes the course's single SCO under a root aggregation, and its id is the course's xAPI activity id. The
other activities (modules, objectives, interactions that authoring tools also list) only name statement
targets, so they are not turned into activities. Elements are matched by local name ignoring case, like the
SCORM parser, because TinCan-era tools were just as loose with namespaces.
"""

from __future__ import annotations

import re

from lxml import etree

from coursehost.packages.base import (
    Activity,
    CourseMetadata,
    PackageError,
    PackageView,
    ParsedCourse,
    href_path,
    is_absolute_href,
    language_tags,
    preferred_text,
)
from coursehost.packages.xml import attr, child, children, local_name, parse_xml, text

DESCRIPTOR = "tincan.xml"
MAX_DESCRIPTOR_BYTES = 16 * 1024**2
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"


class XapiFormat:
    name = "xapi"
    label = f"{DESCRIPTOR} (xAPI)"

    def matches(self, filename: str) -> bool:
        return filename == DESCRIPTOR

    def parse(self, package: PackageView, course_id: str) -> ParsedCourse:
        name = package.resolve(DESCRIPTOR)
        if name is None or "/" in name:
            raise PackageError(f"No {DESCRIPTOR} was found in the package; an xAPI package needs one at its root")
        root = parse_xml(package.read(name, MAX_DESCRIPTOR_BYTES), name)
        if local_name(root) != "tincan":
            raise PackageError(f"{name} does not have <tincan> as its root element")
        return _parse(root, name, package, course_id)


def _parse(root: etree._Element, filename: str, package: PackageView, course_id: str) -> ParsedCourse:
    warnings: list[str] = []
    activities = children(child(root, "activities"), "activity")
    launchable = [(node, launch) for node in activities if (launch := _launch(node))]
    if not launchable:
        raise PackageError(f"{filename} has no activity with a <launch> element, so there is nothing to launch")
    # Authoring tools mark the launchable course with the course type; prefer it if several can launch.
    chosen, launch = next((a for a in launchable if (attr(a[0], "type") or "").strip() == COURSE_TYPE), launchable[0])
    activity_id = (attr(chosen, "id") or "").strip()
    if not activity_id:
        raise PackageError(f"The launchable activity in {filename} has no id attribute")
    if len(launchable) > 1:
        warnings.append(
            f"{filename} has {len(launchable)} activities with a <launch> element; only '{activity_id}' was imported."
        )
    title, title_language = _langstring(children(chosen, "name"))
    description, description_language = _langstring(children(chosen, "description"))
    href = _launch_href(launch, activity_id, package, warnings)
    shown = title or course_id
    sco = Activity(
        title=shown, activity_type="SCO", item_identifier=activity_id, external_identifier=activity_id, href=href
    )
    languages = [attr(node, "lang") for node in chosen if local_name(node) in ("name", "description", "launch")]
    return ParsedCourse(
        standard="XAPI",
        title=shown,
        root_activity=Activity(title=shown, activity_type="AGGREGATION", children=[sco]),
        warnings=warnings,
        languages=language_tags(languages),
        metadata=CourseMetadata(title, title_language, description, description_language),
        xapi_activity_id=activity_id,
    )


def _launch(activity: etree._Element) -> str | None:
    """The first non-empty <launch> of an activity (one per language is allowed; they rarely differ)."""
    return next((value for value in (text(node) for node in children(activity, "launch")) if value), None)


def _launch_href(href: str, activity_id: str, package: PackageView, warnings: list[str]) -> str:
    if is_absolute_href(href):
        if href.lower().startswith(("http://", "https://")):
            return href
        raise PackageError(f"The launch URL '{href}' of activity '{activity_id}' is neither a package file nor http(s)")
    found = package.resolve(href)
    path = re.split(r"[?#]", href, maxsplit=1)[0]
    if found is None:
        raise PackageError(f"The launch file '{path}' of activity '{activity_id}' is not in the package")
    if found != href_path(href):
        warnings.append(f"launch '{path}' matched file '{found}' only when ignoring case")
    return href


def _langstring(nodes: list[etree._Element]) -> tuple[str | None, str | None]:
    """The English (else first non-empty) of several per-language elements, and its language."""
    return preferred_text((text(node), attr(node, "lang")) for node in nodes)
