"""AICC (CMI001) courses, described by a set of descriptor files beside the content.

``.crs`` holds the course (INI-like), ``.au`` the assignable units, ``.des`` the titles of AUs and blocks and
``.cst`` the block structure; all but ``.crs`` are CSV files whose header row names the columns. File names,
column names, keys and system ids are all case-insensitive in CMI001, and tools write every variant.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from coursehost.packages.base import (
    Activity,
    CourseMetadata,
    PackageError,
    PackageView,
    ParsedCourse,
    href_path,
    is_absolute_href,
    parse_decimal,
)

MAX_DESCRIPTOR_BYTES = 16 * 1024**2
REQUIRED = (".crs", ".au", ".des")
# .au is deliberately not a marker: it is also the Sun audio format, common in course media folders.
MARKERS = (".crs", ".des", ".cst")
_ROOT = "root"


class AiccFormat:
    name = "aicc"
    label = "an AICC .crs file"

    def matches(self, filename: str) -> bool:
        return filename.endswith(MARKERS) and len(filename) > 4

    def parse(self, package: PackageView, course_id: str) -> ParsedCourse:
        files = _descriptor_files(package)
        missing = [ext for ext in REQUIRED if ext not in files]
        if missing:
            listed = ", ".join(missing[:-1]) + " and " + missing[-1] if missing[1:] else missing[0]
            raise PackageError(
                f"The AICC package is incomplete: the {listed} {'files are' if missing[1:] else 'file is'} missing "
                "(an AICC course needs .crs, .au and .des descriptor files at its root, and a .cst for its structure)"
            )
        return _Course(package, files).parse(course_id)


@dataclass
class _Au:
    system_id: str
    row: dict[str, str]


@dataclass
class _Course:
    package: PackageView
    files: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    def parse(self, course_id: str) -> ParsedCourse:
        sections, description = _read_crs(self._text(".crs"))
        course = sections.get("course", {})
        title = course.get("course_title") or ""
        if not title:
            title = course.get("course_id") or course_id
            self.warnings.append(f"The .crs file has no Course_Title; the course was titled '{title}'.")
        aus = self._aus()
        titles = {row.get("system_id", "").casefold(): row.get("title", "") for row in self._table(".des")}
        activities = {key: self._activity(au, titles) for key, au in aus.items()}
        declared = course.get("total_aus", "")
        if declared.isdigit() and int(declared) != len(aus):
            self.warnings.append(f"The .crs file declares {declared} AUs but the .au file lists {len(aus)}.")
        root = Activity(title=title, activity_type="AGGREGATION", item_identifier="ROOT")
        structured = False
        if ".cst" in self.files:
            cst = self._table(".cst", member_columns=True)
            structured = _Structure(cst, activities, titles, self.warnings).build(root)
        else:
            self.warnings.append("The package has no .cst file; all AUs were placed directly under the course.")
        placed = {id(a) for a in _walk(root)}
        orphans = [a for a in activities.values() if id(a) not in placed]
        if orphans and structured:
            listed = ", ".join(f"'{a.item_identifier}'" for a in orphans)
            self.warnings.append(f"AUs {listed} are not in the .cst structure; they were added under the course.")
        root.children.extend(orphans)
        metadata = CourseMetadata(title=title, description=description) if description else None
        return ParsedCourse(
            standard="AICC",
            title=title,
            root_activity=root,
            warnings=self.warnings,
            metadata=metadata,
            package_identifier=course.get("course_id") or None,
        )

    def _aus(self) -> dict[str, _Au]:
        aus: dict[str, _Au] = {}
        for row in self._table(".au"):
            system_id = row.get("system_id", "")
            if not system_id:
                self.warnings.append("A row of the .au file has no System_ID; it was ignored.")
                continue
            if system_id.casefold() in aus:
                raise PackageError(f"The .au file lists AU '{system_id}' more than once")
            aus[system_id.casefold()] = _Au(system_id, row)
        if not aus:
            raise PackageError(f"{self.files['.au']} lists no AU, so there is nothing to launch")
        return aus

    def _activity(self, au: _Au, titles: dict[str, str]) -> Activity:
        return Activity(
            title=titles.get(au.system_id.casefold()) or au.system_id,
            activity_type="SCO",
            item_identifier=au.system_id,
            href=_add_query(self._launch_href(au), au.row.get("web_launch", "")),
            scaled_passing_score=self._mastery(au),
        )

    def _launch_href(self, au: _Au) -> str:
        href = au.row.get("file_name", "")
        if not href:
            raise PackageError(f"AU '{au.system_id}' has no File_Name to launch")
        if is_absolute_href(href):
            if href.lower().startswith(("http://", "https://")):
                return href
            raise PackageError(f"The File_Name '{href}' of AU '{au.system_id}' is neither a package file nor http(s)")
        found = self.package.resolve(href)
        if found is None:
            raise PackageError(
                f"The launch file '{href.split('?', 1)[0]}' of AU '{au.system_id}' is not in the package"
            )
        if found != href_path(href):
            self.warnings.append(f"File_Name '{href}' matched file '{found}' only when ignoring case")
        return href

    def _mastery(self, au: _Au) -> str | None:
        raw = au.row.get("mastery_score", "")
        if not raw:
            return None
        score = parse_decimal(raw)
        if score is None or not 0 <= score <= 100:
            self.warnings.append(f"AU '{au.system_id}' has an invalid Mastery_Score '{raw}'; ignored.")
            return None
        return format((score / 100).normalize(), "f")

    def _text(self, ext: str) -> str:
        data = self.package.read(self.files[ext], MAX_DESCRIPTOR_BYTES)
        # CMI001 predates UTF-8 everywhere: older tools wrote Windows-1252, and latin-1 never fails.
        for codec in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
        return data.decode("latin-1")

    def _table(self, ext: str, *, member_columns: bool = False) -> list[dict[str, str]]:
        return _read_csv(self._text(ext), self.files[ext], member_columns=member_columns)


class _Structure:
    """Builds the block tree from the .cst rows: each row is a block followed by its members."""

    def __init__(
        self, rows: list[dict[str, str]], aus: dict[str, Activity], titles: dict[str, str], warnings: list[str]
    ) -> None:
        self.aus = aus
        self.titles = titles
        self.warnings = warnings
        self.members: dict[str, list[str]] = {}
        self.spelling: dict[str, str] = {}
        self.placed: set[str] = set()
        for row in rows:
            block = row.get("block", "")
            if block:
                self.spelling.setdefault(block.casefold(), block)
                members = [m for k, m in row.items() if k != "block" and m]
                self.members.setdefault(block.casefold(), []).extend(members)

    def build(self, root: Activity) -> bool:
        """Fill ``root`` from the .cst; False when the file has no root block to start from."""
        if _ROOT not in self.members:
            self.warnings.append("The .cst file has no root block; all AUs were placed directly under the course.")
            return False
        root.item_identifier = self.spelling[_ROOT]
        for key in sorted(self.members.keys() & self.aus.keys()):
            self.warnings.append(f"The .cst file lists members under '{self.spelling[key]}', which is an AU; ignored.")
        root.children = self._children(_ROOT, (_ROOT,))
        return True

    def _children(self, block: str, path: tuple[str, ...]) -> list[Activity]:
        children: list[Activity] = []
        for member in self.members[block]:
            key = member.casefold()
            if key in self.placed or key in path:
                self.warnings.append(f"'{member}' appears more than once in the .cst structure; only the first counts.")
            elif key in self.aus:
                self.placed.add(key)
                children.append(self.aus[key])
            elif key in self.members:
                self.placed.add(key)
                kids = self._children(key, (*path, key))
                title = self.titles.get(key) or member
                children.append(Activity(title, "AGGREGATION", item_identifier=member, children=kids))
            else:
                self.warnings.append(f"The .cst member '{member}' is neither an AU nor a block; ignored.")
        return children


def _descriptor_files(package: PackageView) -> dict[str, str]:
    """The descriptor of each extension at the course root; with several, the one named like the .crs."""
    by_ext: dict[str, list[str]] = {}
    for name in sorted(package.names):
        if "/" not in name and "." in name:
            by_ext.setdefault("." + name.rsplit(".", 1)[1].lower(), []).append(name)
    crs = by_ext.get(".crs", [])
    if len(crs) > 1:
        listed = ", ".join(crs)
        raise PackageError(f"The package has several .crs files ({listed}); an AICC package describes one course")
    stem = crs[0].rsplit(".", 1)[0].casefold() if crs else None
    found: dict[str, str] = {}
    for ext in (*REQUIRED, ".cst"):
        names = by_ext.get(ext, [])
        same_stem = [n for n in names if n.rsplit(".", 1)[0].casefold() == stem]
        if len(names) == 1 or len(same_stem) == 1:
            found[ext] = (same_stem or names)[0]
        elif names:
            listed = ", ".join(names)
            raise PackageError(f"The package has several {ext} files ({listed}) and none named like the .crs")
    return found


def _read_crs(text: str) -> tuple[dict[str, dict[str, str]], str | None]:
    """The key=value sections of a .crs file, and the free text of its [Course_Description] section."""
    sections: dict[str, dict[str, str]] = {}
    section = ""
    description: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().casefold()
            continue
        if section == "course_description":
            description.append(stripped)
        elif "=" in stripped and not stripped.startswith(";"):
            key, value = stripped.split("=", 1)
            sections.setdefault(section, {})[key.strip().casefold()] = value.strip()
    return sections, "\n".join(description).strip() or None


def _read_csv(text: str, filename: str, *, member_columns: bool) -> list[dict[str, str]]:
    """Rows as dicts keyed by lower-cased column name; in a .cst every member column is keyed by position."""
    lines = [row for row in csv.reader(text.splitlines(), skipinitialspace=True) if any(c.strip() for c in row)]
    if not lines:
        return []
    header = [column.strip().casefold() for column in lines[0]]
    if member_columns:
        # A .cst header is "block","member","member",...; columns named otherwise are vendor additions.
        header = ["block"] + [f"member{i}" if h.startswith("member") or not h else "" for i, h in enumerate(header[1:])]
    if not any(header):
        raise PackageError(f"{filename} has no header row naming its columns")
    rows: list[dict[str, str]] = []
    for cells in lines[1:]:
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
        rows.append(row)
    return rows


def _add_query(href: str, params: str) -> str:
    params = params.strip().lstrip("?&")
    if not params:
        return href
    address, hash_mark, fragment = href.partition("#")
    return address + ("&" if "?" in address else "?") + params + hash_mark + fragment


def _walk(activity: Activity) -> list[Activity]:
    found = [activity]
    for child in activity.children:
        found.extend(_walk(child))
    return found
