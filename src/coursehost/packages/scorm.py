"""SCORM 1.2 and SCORM 2004 (2nd, 3rd and 4th edition) content packages, described by ``imsmanifest.xml``.

Elements and attributes are matched by local name, ignoring namespace and case: manifests in the wild mix
namespace versions, forget declarations and capitalise freely, and SCORM Cloud imports them anyway.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from coursehost.packages.base import (
    Activity,
    ActivityType,
    CourseMetadata,
    LearningStandard,
    PackageError,
    PackageView,
    ParsedCourse,
    href_path,
    is_absolute_href,
    tidy_href,
)
from coursehost.packages.xml import attr, child, children, local_name, parse_xml, text

DESCRIPTOR = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 16 * 1024**2
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_EDITIONS: dict[str, LearningStandard] = {
    "1.1": "SCORM11",
    "1.2": "SCORM12",
    "1.3": "SCORM20042NDEDITION",
    "cam 1.3": "SCORM20042NDEDITION",
    "2004 2nd edition": "SCORM20042NDEDITION",
    "2004 3rd edition": "SCORM20043RDEDITION",
    "2004 4th edition": "SCORM20044THEDITION",
}
_LABELS = {"SCORM12": "SCORM 1.2", "SCORM20043RDEDITION": "SCORM 2004 3rd Edition"}
_NAMESPACES_2004 = ("adlcp_v1p3", "imsss", "adlseq", "adlnav", "imscp_v1p1")
_NAMESPACES_12 = ("adlcp_rootv1p2", "imscp_rootv1p1p2")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class ScormFormat:
    name = "scorm"

    def descriptor(self) -> str:
        return DESCRIPTOR

    def parse(self, package: PackageView, course_id: str) -> ParsedCourse:
        # resolve() prefers the exact name and otherwise accepts a single case variant ('IMSManifest.xml').
        name = package.resolve(DESCRIPTOR)
        if name is None or "/" in name:
            raise PackageError(f"No {DESCRIPTOR} was found in the package; a SCORM package needs one at its root")
        root = parse_xml(package.read(name, MAX_MANIFEST_BYTES), name)
        if local_name(root) != "manifest":
            raise PackageError(f"{name} does not have <manifest> as its root element")
        return _Manifest(package, root).parse(course_id)


class _Manifest:
    def __init__(self, package: PackageView, root: etree._Element) -> None:
        self.package = package
        self.root = root
        self.warnings: list[str] = []
        self.parents_with_resources: list[str] = []
        self.standard = self._standard()
        self.resources: dict[str, etree._Element] = {}
        for resource in children(child(root, "resources"), "resource"):
            identifier = attr(resource, "identifier")
            if identifier and identifier not in self.resources:
                self.resources[identifier] = resource
        self.collection = {attr(s, "id") or "": s for s in children(child(root, "sequencingcollection"), "sequencing")}

    def parse(self, course_id: str) -> ParsedCourse:
        metadata = self._metadata()
        organizations = child(self.root, "organizations")
        orgs = children(organizations, "organization")
        if organizations is not None and orgs:
            org = self._default_organization(organizations, orgs)
            org_title = text(child(org, "title"))
            title = org_title or (metadata.title if metadata else None) or course_id
            root_activity = self._organization(org, org_title)
        elif self.resources:
            title = (metadata.title if metadata else None) or course_id
            root_activity = self._from_resources(title)
        else:
            raise PackageError("The manifest defines no organization and no resources, so there is nothing to import")
        if parents := self.parents_with_resources:
            shown = ", ".join(f"'{i}'" for i in parents[:3]) + (f" and {len(parents) - 3} more" if parents[3:] else "")
            self.warnings.append(f"Items {shown} have child items and a resource; they stay aggregations with an href.")
        return ParsedCourse(
            standard=self.standard,
            title=title,
            root_activity=root_activity,
            warnings=self.warnings,
            languages=self._languages(),
            metadata=metadata,
        )

    def _standard(self) -> LearningStandard:
        declared = text(child(child(self.root, "metadata"), "schemaversion"))
        if declared:
            key = declared.lower().removeprefix("scorm").strip()
            if key in _EDITIONS:
                return _EDITIONS[key]
        namespaces = " ".join({ns or "" for el in self.root.iter() for ns in el.nsmap.values()}).lower()
        standard: LearningStandard
        if any(marker in namespaces for marker in _NAMESPACES_2004):
            standard, why = "SCORM20043RDEDITION", "it uses SCORM 2004 namespaces"
        elif any(marker in namespaces for marker in _NAMESPACES_12):
            standard, why = "SCORM12", "it uses SCORM 1.2 namespaces"
        else:
            standard, why = "SCORM12", "nothing in it points to SCORM 2004"
        what = f"an unrecognised schemaversion '{declared}'" if declared else "no schemaversion"
        self.warnings.append(f"The manifest has {what}; it was read as {_LABELS[standard]} because {why}.")
        return standard

    def _default_organization(self, organizations: etree._Element, orgs: list[etree._Element]) -> etree._Element:
        default = (attr(organizations, "default") or "").strip()
        chosen = next((o for o in orgs if attr(o, "identifier") == default), None) if default else orgs[0]
        if chosen is None:
            chosen = orgs[0]
            self.warnings.append(
                f"The default organization '{default}' does not exist; "
                f"the first organization ('{attr(chosen, 'identifier')}') was used instead."
            )
        return chosen

    def _organization(self, org: etree._Element, title: str | None) -> Activity:
        identifier = attr(org, "identifier")
        if not identifier:
            raise PackageError(f"The organization '{title or '(untitled)'}' has no identifier attribute")
        activity = Activity(
            title=title or identifier,
            activity_type="AGGREGATION",
            item_identifier=identifier,
            children=[self._item(item) for item in children(org, "item")],
        )
        if not _launchable(activity):
            raise PackageError(
                f"The organization '{identifier}' has no item that refers to a resource, so there is nothing to launch"
            )
        return activity

    def _item(self, node: etree._Element) -> Activity:
        title = text(child(node, "title"))
        identifier = attr(node, "identifier")
        if not identifier:
            raise PackageError(f"The item '{title or '(untitled)'}' has no identifier attribute")
        ref = attr(node, "identifierref")
        score = self._passing_score(node, identifier)
        kids = children(node, "item")
        if kids and ref:
            # SCORM 2004 forbids this but SCORM 1.2 tools (eXe among them) do it routinely: the parent stays an
            # aggregation and keeps its href, so its own page is not silently lost.
            self.parents_with_resources.append(identifier)
        activity = Activity(
            title=title or identifier,
            activity_type="AGGREGATION",
            item_identifier=identifier,
            scaled_passing_score=score,
            children=[self._item(kid) for kid in kids],
        )
        if not ref:
            if not kids:
                self.warnings.append(f"Item '{identifier}' has no child items and no resource, so it launches nothing.")
            return activity
        resource = self.resources.get(ref)
        if resource is None:
            raise PackageError(f"Item '{identifier}' refers to resource '{ref}', which is not defined in the manifest")
        activity.resource_identifier = ref
        activity.href = add_parameters(self._launch_href(resource, identifier), attr(node, "parameters"))
        if not kids:
            activity.activity_type = self._activity_type(resource)
        return activity

    def _from_resources(self, title: str) -> Activity:
        # SCORM Cloud still imports a manifest without organizations; each launchable resource stands alone.
        activities = [
            Activity(
                title=identifier,
                activity_type=self._activity_type(resource),
                item_identifier=identifier,
                resource_identifier=identifier,
                href=self._launch_href(resource, identifier),
            )
            for identifier, resource in self.resources.items()
            if (attr(resource, "href") or "").strip()
        ]
        if not activities:
            raise PackageError("The manifest has no organization and no resource with an href, so nothing can launch")
        self.warnings.append("The manifest has no organization; each resource with an href became its own activity.")
        return Activity(title=title, activity_type="AGGREGATION", children=activities)

    def _activity_type(self, resource: etree._Element) -> ActivityType:
        value = (attr(resource, "scormtype") or "").strip().lower()
        if value and value not in ("sco", "asset"):
            self.warnings.append(
                f"Resource '{attr(resource, 'identifier')}' has scormType '{value}'; read as an asset."
            )
        return "SCO" if value == "sco" else "ASSET"

    def _launch_href(self, resource: etree._Element, item: str) -> str:
        href = (attr(resource, "href") or "").strip()
        if not href:
            raise PackageError(
                f"Item '{item}' refers to resource '{attr(resource, 'identifier')}', which has no href to launch"
            )
        for node in (resource, resource.getparent(), self.root):
            base = (node.get(XML_BASE) or "").strip() if node is not None else ""
            if base and not is_absolute_href(href):
                # Authors write xml:base="content" as often as "content/"; both mean the folder.
                href = (base if base.endswith("/") else base + "/") + href
        href = tidy_href(href)
        if _SCHEME.match(href):
            if href.lower().startswith(("http://", "https://")):
                return href
            raise PackageError(f"The launch URL '{href}' of item '{item}' is neither a package file nor http(s)")
        found = self.package.resolve(href)
        path = re.split(r"[?#]", href, maxsplit=1)[0]
        if found is None:
            raise PackageError(f"The launch file '{path}' of item '{item}' is not in the package")
        if found != href_path(href):
            self.warnings.append(f"href '{path}' matched file '{found}' only when ignoring case")
        return href

    def _passing_score(self, item: etree._Element, identifier: str) -> str | None:
        if self.standard in ("SCORM11", "SCORM12"):
            raw = text(child(item, "masteryscore"))
            score = _number(raw)
            if raw is not None and (score is None or not 0 <= score <= 100):
                self.warnings.append(f"Item '{identifier}' has an invalid masteryscore '{raw}'; ignored.")
                return None
            return None if score is None else format((score / 100).normalize(), "f")
        for sequencing in self._sequencing(item):
            primary = child(child(sequencing, "objectives"), "primaryobjective")
            if primary is None:
                continue
            if (attr(primary, "satisfiedbymeasure") or "").strip().lower() not in ("true", "1"):
                return None
            # IMS SS gives minNormalizedMeasure a default of 1.0 when satisfiedByMeasure is set without it.
            raw = text(child(primary, "minnormalizedmeasure")) or "1.0"
            measure = _number(raw)
            if measure is None or not -1 <= measure <= 1:
                self.warnings.append(f"Item '{identifier}' has an invalid minNormalizedMeasure '{raw}'; ignored.")
                return None
            return format(measure.normalize(), "f")
        return None

    def _sequencing(self, item: etree._Element) -> list[etree._Element]:
        own = child(item, "sequencing")
        if own is None:
            return []
        shared = self.collection.get(attr(own, "idref") or "")
        # The item's own elements override those of the sequencingCollection entry it points at.
        return [own] if shared is None else [own, shared]

    def _metadata(self) -> CourseMetadata | None:
        general = _lom_general(self.root)
        if general is None:
            return None
        title, title_language = _langstring(child(general, "title"))
        description, description_language = _langstring(child(general, "description"))
        keywords = [k for k in (_langstring(kw)[0] for kw in children(general, "keyword")) if k]
        if not (title or description or keywords):
            return None
        return CourseMetadata(title, title_language, description, description_language, keywords=keywords)

    def _languages(self) -> list[str]:
        general = _lom_general(self.root)
        found: list[str] = []
        for node in general.iter() if general is not None else []:
            values = [node.get(XML_LANG), attr(node, "language")]
            if local_name(node) == "language":
                values.append(text(node))
            found.extend(v.strip() for v in values if v and v.strip() and v.strip().lower() != "x-none")
        return list(dict.fromkeys(found))


def add_parameters(href: str, parameters: str | None) -> str:
    """Append an item's ``parameters`` to its launch URL the way SCORM CAM prescribes."""
    params = (parameters or "").strip().lstrip("?&")
    if not params:
        return href
    if params.startswith("#"):
        return href if "#" in href else href + params
    address, hash_mark, fragment = href.partition("#")
    return address + ("&" if "?" in address else "?") + params + hash_mark + fragment


def _launchable(activity: Activity) -> bool:
    return activity.href is not None or any(_launchable(kid) for kid in activity.children)


def _lom_general(root: etree._Element) -> etree._Element | None:
    return child(child(child(root, "metadata"), "lom"), "general")


def _langstring(node: etree._Element | None) -> tuple[str | None, str | None]:
    if node is None:
        return None, None
    for entry in node:
        if local_name(entry) in ("langstring", "string") and text(entry):
            return text(entry), entry.get(XML_LANG) or attr(entry, "language")
    return text(node), None


def _number(raw: str | None) -> Decimal | None:
    try:
        value = Decimal(raw or "nan")
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
