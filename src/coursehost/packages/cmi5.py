"""cmi5 courses, described by ``cmi5.xml`` (the course structure), in a zip or uploaded on their own.

Unlike the SCORM parser this one is strict: the cmi5 spec requires the LMS to reject a course structure that
breaks its XSD or its id and URL rules, and the CATAPULT conformance tests check exactly that. So element
names are case-sensitive, the namespace is required and the XSD's element order is enforced; only elements
from other namespaces (vendor extensions, which the XSD allows) are skipped.
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
    language_tags,
    parse_decimal,
    preferred_text,
)
from coursehost.packages.xml import parse_xml, text

DESCRIPTOR = "cmi5.xml"
NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MAX_DESCRIPTOR_BYTES = 16 * 1024**2
MOVE_ON = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")

# (allowed names, minimum occurrences, repeatable): one step of an XSD sequence.
_Step = tuple[tuple[str, ...], int, bool]
_TEXT: tuple[_Step, ...] = ((("langstring",), 1, True),)
_COURSE_STRUCTURE: tuple[_Step, ...] = (
    (("course",), 1, False),
    (("objectives",), 0, False),
    (("au", "block"), 1, True),
)
_COURSE: tuple[_Step, ...] = ((("title",), 1, False), (("description",), 1, False))
_BLOCK: tuple[_Step, ...] = (*_COURSE, (("objectives",), 0, False), (("au", "block"), 1, True))
_AU: tuple[_Step, ...] = (
    *_COURSE,
    (("objectives",), 0, False),
    (("url",), 1, False),
    (("launchParameters",), 0, False),
    (("entitlementKey",), 0, False),
)
_OBJECTIVES: tuple[_Step, ...] = ((("objective",), 1, True),)
# An absolute IRI: a scheme, a colon, something after it, and no whitespace anywhere.
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_SCHEME = re.compile(r"^([^/?#]*):")
_VALID_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
_WITH_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+")
_BAD_URL_CHARS = re.compile(r'[\s<>"{}|^`\x00-\x1f\x7f]|%(?![0-9A-Fa-f]{2})')


class Cmi5Format:
    name = "cmi5"
    label = f"{DESCRIPTOR} (cmi5)"

    def matches(self, filename: str) -> bool:
        return filename == DESCRIPTOR

    def parse(self, package: PackageView, course_id: str) -> ParsedCourse:
        name = package.resolve(DESCRIPTOR)
        if name is None or "/" in name:
            raise PackageError(f"No {DESCRIPTOR} was found in the package; a cmi5 package needs one at its root")
        return _CourseStructure(name, package).parse(package.read(name, MAX_DESCRIPTOR_BYTES), course_id)


def parse_cmi5_document(data: bytes, course_id: str) -> ParsedCourse:
    """Parse a bare course structure upload (no zip); the spec allows it when every AU url is absolute."""
    if len(data) > MAX_DESCRIPTOR_BYTES:
        raise PackageError(f"{DESCRIPTOR} is larger than the {MAX_DESCRIPTOR_BYTES} bytes allowed for a descriptor")
    return _CourseStructure(DESCRIPTOR, None).parse(data, course_id)


class _CourseStructure:
    def __init__(self, filename: str, package: PackageView | None) -> None:
        self.filename = filename
        self.package = package
        self.ids: set[str] = set()
        self.languages: list[str | None] = []
        self.warnings: list[str] = []

    def parse(self, data: bytes, course_id: str) -> ParsedCourse:
        root = parse_xml(data, self.filename)
        if _name(root) != "courseStructure":
            raise PackageError(
                f"{self.filename} does not have <courseStructure> in the namespace {NAMESPACE} as its root element"
            )
        parts = self._sequence(root, _COURSE_STRUCTURE, "<courseStructure>")
        course_iri = self._id(parts["course"][0], "course")
        course = self._sequence(parts["course"][0], _COURSE, f"course '{course_iri}'")
        title, title_language = self._text(course["title"][0], "the course")
        description, description_language = self._text(course["description"][0], "the course")
        for objectives in parts["objectives"]:
            self._objectives(objectives)
        activity = Activity(
            title=title or course_id,
            activity_type="AGGREGATION",
            item_identifier=course_iri,
            external_identifier=course_iri,
            children=[self._node(node) for node in parts["au"]],
        )
        return ParsedCourse(
            standard="CMI5",
            title=activity.title,
            root_activity=activity,
            warnings=self.warnings,
            languages=language_tags(self.languages),
            metadata=CourseMetadata(title, title_language, description, description_language),
            xapi_activity_id=course_iri,
        )

    def _node(self, node: etree._Element) -> Activity:
        """An <au> or <block>; both sit in the one 'au' slot because the XSD lets them interleave."""
        kind = _name(node)
        iri = self._id(node, kind)
        parts = self._sequence(node, _AU if kind == "au" else _BLOCK, f"{kind} '{iri}'")
        title, _ = self._text(parts["title"][0], f"{kind} '{iri}'")
        self._text(parts["description"][0], f"{kind} '{iri}'")
        if kind == "block":
            children = [self._node(child) for child in parts["au"]]
            return Activity(
                title or iri, "AGGREGATION", item_identifier=iri, external_identifier=iri, children=children
            )
        return Activity(
            title or iri,
            "SCO",
            item_identifier=iri,
            external_identifier=iri,
            href=self._url(parts["url"][0], iri),
            scaled_passing_score=self._au_attributes(node, iri),
        )

    def _sequence(self, node: etree._Element, steps: tuple[_Step, ...], where: str) -> dict[str, list[etree._Element]]:
        """Check ``node``'s cmi5 children against an XSD sequence; return them by name ('block' filed as 'au')."""
        found: dict[str, list[etree._Element]] = {names[0]: [] for names, _, _ in steps}
        allowed = {name for names, _, _ in steps for name in names}
        step = 0
        for child in node:
            if not isinstance(child.tag, str) or _foreign(child):
                continue
            name = _name(child)
            if name not in allowed:
                shown = etree.QName(child).localname
                raise PackageError(f"{self.filename}: <{shown}> is not allowed in {where}")
            while name not in steps[step][0]:
                names, minimum, _ = steps[step]
                if len(found[names[0]]) < minimum:
                    raise PackageError(f"{self.filename}: in {where}, <{name}> comes where <{names[0]}> is required")
                step += 1
                if step == len(steps):
                    raise PackageError(f"{self.filename}: in {where}, <{name}> is out of order")
            names, _, repeatable = steps[step]
            if found[names[0]] and not repeatable:
                raise PackageError(f"{self.filename}: {where} has more than one <{name}>")
            found[names[0]].append(child)
        for names, minimum, _ in steps:
            if len(found[names[0]]) < minimum:
                raise PackageError(f"{self.filename}: {where} has no <{'> or <'.join(names)}>, which is required")
        return found

    def _id(self, node: etree._Element, kind: str) -> str:
        iri = (node.get("id") or "").strip()
        if not iri:
            raise PackageError(f"{self.filename}: a <{kind}> has no id attribute")
        if not _ABSOLUTE_IRI.match(iri):
            raise PackageError(f"{self.filename}: the {kind} id '{iri}' is not an absolute IRI (it needs a scheme)")
        if kind != "objective":
            if iri in self.ids:
                raise PackageError(f"{self.filename}: the id '{iri}' is used more than once")
            self.ids.add(iri)
        return iri

    def _objectives(self, objectives: etree._Element) -> None:
        seen: set[str] = set()
        for objective in self._sequence(objectives, _OBJECTIVES, "<objectives>")["objective"]:
            iri = self._id(objective, "objective")
            if iri in seen:
                raise PackageError(f"{self.filename}: the objective id '{iri}' is used more than once")
            seen.add(iri)
            # The XSD makes title and description an xs:all here: both required, in either order.
            kids = [k for k in objective if isinstance(k.tag, str) and not _foreign(k)]
            if sorted(_name(k) for k in kids) != ["description", "title"]:
                raise PackageError(f"{self.filename}: objective '{iri}' needs exactly one <title> and <description>")
            for kid in kids:
                self._text(kid, f"objective '{iri}'")

    def _text(self, element: etree._Element, where: str) -> tuple[str | None, str | None]:
        """The English (else first non-empty) langstring of a <title> or <description>, and its language."""
        strings = self._sequence(element, _TEXT, f"the {_name(element)} of {where}")["langstring"]
        values = [(text(s), s.get("lang")) for s in strings]
        self.languages.extend(lang for _, lang in values)
        return preferred_text(values)

    def _url(self, node: etree._Element, au: str) -> str:
        url = text(node) or ""
        if not url:
            raise PackageError(f"{self.filename}: AU '{au}' has an empty <url>")
        scheme = _SCHEME.match(url)
        if _BAD_URL_CHARS.search(url) or (scheme and not _VALID_SCHEME.match(scheme.group(1))):
            raise PackageError(f"{self.filename}: the url '{url}' of AU '{au}' is not a valid URL")
        if scheme:
            if scheme.group(1).lower() in ("http", "https") and not _WITH_HOST.match(url):
                raise PackageError(f"{self.filename}: the url '{url}' of AU '{au}' has no host")
            return url
        if self.package is None:
            raise PackageError(
                f"AU '{au}' has a relative url '{url}' but the course was uploaded without a package to resolve it"
            )
        if url.startswith("/") or href_path(url) is None:
            raise PackageError(f"The url '{url}' of AU '{au}' is neither a package file nor a fully qualified URL")
        found = self.package.resolve(url)
        if found is None:
            raise PackageError(f"The launch file '{re.split(r'[?#]', url)[0]}' of AU '{au}' is not in the package")
        if found != href_path(url):
            self.warnings.append(f"url '{url}' of AU '{au}' matched file '{found}' only when ignoring case")
        return url

    def _au_attributes(self, node: etree._Element, au: str) -> str | None:
        for attribute, allowed in (("moveOn", MOVE_ON), ("launchMethod", LAUNCH_METHODS)):
            value = node.get(attribute)
            if value is not None and value.strip() not in allowed:
                raise PackageError(
                    f"{self.filename}: AU '{au}' has {attribute}='{value}'; it must be one of {', '.join(allowed)}"
                )
        raw = node.get("masteryScore")
        if raw is None:
            return None
        score = parse_decimal(raw)
        if score is None or not 0 <= score <= 1:
            raise PackageError(f"{self.filename}: AU '{au}' has masteryScore='{raw}'; it must be a decimal from 0 to 1")
        return format(score.normalize(), "f")


def _name(node: etree._Element) -> str:
    """The local name of a cmi5 element; anything outside the cmi5 namespace reads as '' (never a match)."""
    qname = etree.QName(node)
    return qname.localname if qname.namespace == NAMESPACE else ""


def _foreign(node: etree._Element) -> bool:
    """A vendor extension: an element in some other namespace, which the XSD's xs:any lets through."""
    namespace = etree.QName(node).namespace
    return namespace is not None and namespace != NAMESPACE
