"""Build SCORM packages in code, so no test depends on files outside the repository."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

NS_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)


@dataclass
class Sco:
    identifier: str
    title: str
    href: str
    body: bytes = b"<html><body>SCO</body></html>"


@dataclass
class ScormPackage:
    title: str = "Test Course"
    version: str = "1.2"  # "1.2" or one of the 2004 editions
    scos: list[Sco] = field(default_factory=lambda: [Sco("item_1", "Lesson 1", "index.html")])
    extra_files: dict[str, bytes] = field(default_factory=dict)
    metadata: str = ""  # XML added to the manifest's <metadata> (inline LOM, adlcp:location)
    identifier: str = "m1"  # the manifest's identifier attribute

    def manifest(self) -> str:
        is_12 = self.version == "1.2"
        type_attr = "adlcp:scormtype" if is_12 else "adlcp:scormType"
        items = "".join(
            f'<item identifier="{s.identifier}" identifierref="res_{s.identifier}"><title>{s.title}</title></item>'
            for s in self.scos
        )
        resources = "".join(
            f'<resource identifier="res_{s.identifier}" type="webcontent" {type_attr}="sco" href="{s.href}">'
            f'<file href="{s.href}"/></resource>'
            for s in self.scos
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<manifest identifier="{self.identifier}" version="1" {NS_12 if is_12 else NS_2004}>'
            f"<metadata><schema>ADL SCORM</schema><schemaversion>{self.version}</schemaversion>"
            f"{self.metadata}</metadata>"
            f'<organizations default="org"><organization identifier="org"><title>{self.title}</title>{items}'
            f"</organization></organizations><resources>{resources}</resources></manifest>"
        )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("imsmanifest.xml", self.manifest())
            for sco in self.scos:
                zf.writestr(sco.href, sco.body)
            for name, data in self.extra_files.items():
                zf.writestr(name, data)
        return buffer.getvalue()

    def write(self, path: Path) -> Path:
        path.write_bytes(self.to_bytes())
        return path


def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


DATA_PACKAGES = Path(__file__).resolve().parent.parent / "data" / "packages"


def data_package(name: str) -> bytes:
    """A folder of tests/data/packages as a zip: names sorted and a fixed timestamp, so the bytes never vary."""
    folder = DATA_PACKAGES / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return buffer.getvalue()
