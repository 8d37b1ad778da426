"""SCORM 1.1, 1.2 and 2004 (2nd, 3rd and 4th edition) content packages, described by ``imsmanifest.xml``.

Elements and attributes are matched by local name, ignoring namespace and case: manifests in the wild mix
namespace versions, forget declarations and capitalise freely, and SCORM Cloud imports them anyway. What had to
be forgiven is reported as a parser warning rather than refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from coursehost.packages.base import (
    Activity,
    ActivityType,
    PackageError,
    PackageView,
    ParsedCourse,
    href_path,
    is_absolute_href,
    tidy_href,
)
from coursehost.packages.lom import LOM_ROOTS, LomReader, course_metadata, languages
from coursehost.packages.scorm_edition import scorm_edition
from coursehost.packages.xml import XML_BASE, attr, child, children, local_name, parse_xml, text

DESCRIPTOR = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 16 * 1024**2
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class ScormFormat:
    name = "scorm"
    label = f"{DESCRIPTOR} (SCORM)"

    def matches(self, filename: str) -> bool:
        return filename == DESCRIPTOR

    def parse(self, package: PackageView, course_id: str) -> ParsedCourse:
        # resolve() prefers the exact name and otherwise accepts a single case variant ('IMSManifest.xml').
        name = package.resolve(DESCRIPTOR)
        if name is None or "/" in name:
            raise PackageError(f"No {DESCRIPTOR} was found in the package; a SCORM package needs one at its root")
        warnings: list[str] = []
        root = parse_xml(package.read(name, MAX_MANIFEST_BYTES), name, warnings)
        if local_name(root) != "manifest":
            raise PackageError(f"{name} does not have <manifest> as its root element")
        return _Manifest(package, root, warnings).parse(course_id)


class _Manifest:
    def __init__(self, package: PackageView, root: etree._Element, warnings: list[str]) -> None:
        self.package = package
        self.root = root
        self.warnings = warnings
        self.parents_with_resources: list[str] = []
        self.case_fixes: dict[str, str] = {}
        self.standard, inferred = scorm_edition(root)
        if inferred:
            self.warnings.append(inferred)
        self.resources: dict[str, etree._Element] = {}
        for resource in children(child(root, "resources"), "resource"):
            identifier = attr(resource, "identifier")
            if identifier and identifier not in self.resources:
                self.resources[identifier] = resource
        self.collection = {attr(s, "id") or "": s for s in children(child(root, "sequencingcollection"), "sequencing")}

    def parse(self, course_id: str) -> ParsedCourse:
        organizations = child(self.root, "organizations")
        orgs = children(organizations, "organization")
        org = self._default_organization(organizations, orgs) if organizations is not None and orgs else None
        # The course's own LOM comes first; its organization's fills what that leaves out.
        lom = LomReader(self.package, self.warnings)
        documents = lom.documents(child(self.root, "metadata"))
        if org is not None:
            documents += lom.documents(child(org, "metadata"))
        metadata = course_metadata(documents)
        catalogue_title = metadata.title if metadata else None
        if org is not None:
            org_title = text(child(org, "title"))
            title = org_title or catalogue_title or course_id
            root_activity = self._organization(org, org_title)
        else:
            # A content package with resources but no organization is an IMS "resource package": it has no
            # activity tree, so there is no SCO a learner could be sent to.
            raise PackageError(
                "The manifest's <organizations> element has no <organization>, so the package has nothing to launch; "
                "add an organization whose items reference the resources"
            )
        if parents := self.parents_with_resources:
            shown = ", ".join(f"'{i}'" for i in parents[:3]) + (f" and {len(parents) - 3} more" if parents[3:] else "")
            self.warnings.append(
                f"Items {shown} have child items and a resource; each one's own content is launched as its first "
                "child, before the others."
            )
        self._check_listed_files()
        self._report_case_fixes()
        # Item, resource and file metadata name languages too (inline or in a file), but not the course's catalogue.
        inline = [node for node in self.root.iter() if local_name(node) in LOM_ROOTS]
        named = [found for node in self.root.iter() if local_name(node) == "metadata" for found in lom.external(node)]
        return ParsedCourse(
            standard=self.standard,
            title=title,
            root_activity=root_activity,
            warnings=self.warnings,
            languages=languages([*documents, *inline, *named]),
            metadata=metadata,
            package_identifier=(attr(self.root, "identifier") or "").strip() or None,
        )

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
        content = activity if not kids else Activity(title=activity.title, activity_type="ASSET")
        content.item_identifier = identifier
        content.resource_identifier = ref
        content.href = add_parameters(self._launch_href(resource, identifier), attr(node, "parameters"))
        content.activity_type = self._activity_type(resource)
        if kids:
            # SCORM 2004 forbids this but SCORM 1.2 tools (eXe among them) do it routinely, and LMSs launch the
            # parent's page too. Only leaves launch in the activity tree, so the item stays an aggregation and its
            # own content becomes its first child, under the same item identifier: startSco, the manifest's
            # run-time details and navigation targets naming the item all reach that content.
            content.scaled_passing_score, activity.scaled_passing_score = score, None
            activity.children.insert(0, content)
        return activity

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
        href = self._with_base(href, resource)
        if _SCHEME.match(href):
            if href.lower().startswith(("http://", "https://")):
                return href
            raise PackageError(f"The launch URL '{href}' of item '{item}' is neither a package file nor http(s)")
        if self._find(href) is None:
            raise PackageError(f"The launch file '{_path(href)}' of item '{item}' is not in the package")
        return href

    def _with_base(self, href: str, *nodes: etree._Element) -> str:
        """``href`` joined to the xml:base of the given nodes, then their resources element, then the manifest."""
        resources = nodes[-1].getparent() if nodes else None
        for node in (*nodes, resources, self.root):
            base = (node.get(XML_BASE) or "").strip() if node is not None else ""
            if base and not is_absolute_href(href):
                # Authors write xml:base="content" as often as "content/"; both mean the folder.
                href = (base if base.endswith("/") else base + "/") + href
        return tidy_href(href)

    def _find(self, href: str) -> str | None:
        found = self.package.resolve(href)
        if found is not None and found != href_path(href):
            self.case_fixes.setdefault(_path(href), found)
        return found

    def _check_listed_files(self) -> None:
        # A missing launch file is fatal, but a missing image or script only breaks part of a page; SCORM Cloud
        # imports such packages, so they are imported here too, with a warning.
        missing: dict[str, None] = {}
        for resource in children(child(self.root, "resources"), "resource"):
            for node in children(resource, "file"):
                href = (attr(node, "href") or "").strip()
                full = self._with_base(href, node, resource) if href else ""
                if full and not _SCHEME.match(full) and self._find(full) is None:
                    missing[_path(full)] = None
        if missing:
            first = next(iter(missing))
            self.warnings.append(
                f"1 file listed in the manifest is missing from the package: '{first}'."
                if len(missing) == 1
                else f"{len(missing)} files listed in the manifest are missing from the package, e.g. '{first}'."
            )

    def _report_case_fixes(self) -> None:
        if not self.case_fixes:
            return
        href, found = next(iter(self.case_fixes.items()))
        self.warnings.append(
            f"The href '{href}' matches the file '{found}' only when letter case is ignored; that file was used."
            if len(self.case_fixes) == 1
            else f"{len(self.case_fixes)} hrefs match files only when letter case is ignored "
            f"(e.g. '{href}' is '{found}' in the package); those files were used."
        )

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


def _path(href: str) -> str:
    return re.split(r"[?#]", href, maxsplit=1)[0]


def _number(raw: str | None) -> Decimal | None:
    try:
        value = Decimal(raw or "nan")
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
