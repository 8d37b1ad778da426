"""Build manifests and zips in code, including the malformed and hostile ones no tool would write."""

from __future__ import annotations

import stat
import struct
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from coursehost.packages import ParsedCourse, open_archive

NS_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
NS_11 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p1"'
NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"'
)
HTML = b"<html><body>content</body></html>"


def manifest(
    body: str, *, schemaversion: str | None = "1.2", namespaces: str = NS_12, attrs: str = "", metadata: str = ""
) -> str:
    version = f"<schemaversion>{schemaversion}</schemaversion>" if schemaversion is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="MANIFEST-1" version="1" {namespaces} {attrs}>\n'
        f"  <metadata><schema>ADL SCORM</schema>{version}{metadata}</metadata>\n"
        f"{body}\n"
        "</manifest>\n"
    )


def organizations(*orgs: str, default: str | None = "ORG") -> str:
    default_attr = f' default="{default}"' if default is not None else ""
    return f"  <organizations{default_attr}>{''.join(orgs)}</organizations>\n"


def organization(*items: str, identifier: str = "ORG", title: str | None = "Test Course") -> str:
    title_xml = f"<title>{title}</title>" if title is not None else ""
    return f'<organization identifier="{identifier}">{title_xml}{"".join(items)}</organization>'


def item(identifier: str, ref: str | None = None, *children: str, title: str | None = None, extra: str = "") -> str:
    ref_attr = f' identifierref="{ref}"' if ref else ""
    title_xml = f"<title>{title if title is not None else identifier + ' title'}</title>"
    return f'<item identifier="{identifier}"{ref_attr}{extra and " " + extra}>{title_xml}{"".join(children)}</item>'


def resources(*entries: str, attrs: str = "") -> str:
    return f"  <resources {attrs}>{''.join(entries)}</resources>\n"


def resource(
    identifier: str, href: str | None, scormtype: str | None = "sco", *, attrs: str = "", type_attr: str = "scormtype"
) -> str:
    """A resource; SCORM 1.2 spells the type attribute ``adlcp:scormtype``, 2004 ``adlcp:scormType``."""
    href_attr = f' href="{href}"' if href is not None else ""
    type_attr = f' adlcp:{type_attr}="{scormtype}"' if scormtype is not None else ""
    return f'<resource identifier="{identifier}" type="webcontent"{type_attr}{href_attr} {attrs}/>'


def single_sco_12(href: str = "index.html") -> str:
    return manifest(organizations(organization(item("ITEM_1", "RES_1"))) + resources(resource("RES_1", href)))


def write_zip(path: Path, files: Mapping[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def write_entries(path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    """Write entries whose names and attributes are taken verbatim (links, devices, odd paths)."""
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def special_entry(name: str, file_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (file_type | 0o777) << 16
    return info


SYMLINK = stat.S_IFLNK
FIFO = stat.S_IFIFO


def patch_entry(
    path: Path,
    name: str,
    *,
    set_flags: int = 0,
    clear_flags: int = 0,
    file_size: int | None = None,
) -> None:
    """Rewrite fields of one entry in both its local header and its central-directory record, as an attacker would."""
    with zipfile.ZipFile(path) as zf:
        start_dir = zf.start_dir
        header_offset = zf.getinfo(name).header_offset
    data = bytearray(path.read_bytes())
    # Local file header: flags at +6, uncompressed size at +22.
    _patch(
        data,
        header_offset,
        b"PK\x03\x04",
        flags_at=6,
        size_at=22,
        set_flags=set_flags,
        clear=clear_flags,
        size=file_size,
    )
    offset = start_dir
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        local = struct.unpack_from("<I", data, offset + 42)[0]
        if local == header_offset:
            # Central directory record: flags at +8, uncompressed size at +24.
            _patch(
                data,
                offset,
                b"PK\x01\x02",
                flags_at=8,
                size_at=24,
                set_flags=set_flags,
                clear=clear_flags,
                size=file_size,
            )
        offset += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))


def _patch(
    data: bytearray,
    offset: int,
    signature: bytes,
    *,
    flags_at: int,
    size_at: int,
    set_flags: int,
    clear: int,
    size: int | None,
) -> None:
    assert data[offset : offset + 4] == signature
    flags = struct.unpack_from("<H", data, offset + flags_at)[0]
    struct.pack_into("<H", data, offset + flags_at, (flags | set_flags) & ~clear & 0xFFFF)
    if size is not None:
        struct.pack_into("<I", data, offset + size_at, size)


def claim_zip64_entry_count(path: Path, entries: int) -> None:
    """Replace the end record with a zip64 one claiming ``entries`` entries (the classic record only says 0xFFFF)."""
    data = path.read_bytes()
    eocd = data.rfind(b"PK\x05\x06")
    directory_size, directory_offset = struct.unpack_from("<II", data, eocd + 12)
    zip64_offset = eocd
    zip64_record = struct.pack(
        "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, directory_size, directory_offset
    )
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, zip64_offset, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(data[:eocd] + zip64_record + locator + end)


def parse_package(tmp_path: Path, manifest_xml: str | bytes, *files: str, course_id: str = "course-1") -> ParsedCourse:
    """Zip a manifest with the given (placeholder HTML) files, ``index.html`` by default, and parse it."""
    listing: dict[str, bytes | str] = {"imsmanifest.xml": manifest_xml}
    listing.update(dict.fromkeys(files or ("index.html",), HTML))
    path = write_zip(tmp_path / "package.zip", listing)
    with open_archive(path) as archive:
        return archive.parse(course_id)


def write_raw_names(path: Path, files: Mapping[bytes, bytes | str]) -> Path:
    """Zip files whose names are the given bytes, without the UTF-8 flag, as legacy Windows and DOS tools wrote them.

    zipfile only writes ASCII or flagged UTF-8 names, so each name is written as an ASCII stand-in of the same
    length and the bytes are swapped in afterwards.
    """
    stand_ins = {name: bytes(b if b < 0x80 else ord("~") for b in name) for name in files}
    assert len(set(stand_ins.values())) == len(stand_ins), "stand-in names must be unique"
    write_zip(path, {stand_in.decode("ascii"): files[name] for name, stand_in in stand_ins.items()})
    data = path.read_bytes()
    for name, stand_in in stand_ins.items():
        if stand_in != name:
            data = data.replace(stand_in, name)
    path.write_bytes(data)
    return path


def claim_zip64_size(path: Path, name: str, size: int) -> None:
    """Make the central directory claim, through a zip64 extra field, that ``name`` decompresses to ``size`` bytes."""
    data = bytearray(path.read_bytes())
    eocd = data.rfind(b"PK\x05\x06")
    directory_size, directory_offset = struct.unpack_from("<II", data, eocd + 12)
    offset = directory_offset
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_len] == name.encode():
            struct.pack_into("<I", data, offset + 24, 0xFFFFFFFF)
            struct.pack_into("<H", data, offset + 30, extra_len + 12)
            at = offset + 46 + name_len + extra_len
            data[at:at] = struct.pack("<HHQ", 0x0001, 8, size)
            eocd += 12
            struct.pack_into("<I", data, eocd + 12, directory_size + 12)
            break
        offset += 46 + name_len + extra_len + comment_len
    else:
        raise AssertionError(f"{name} is not in {path}")
    path.write_bytes(bytes(data))


def write_streamed(path: Path, name: str, chunks: Iterable[bytes], others: Mapping[str, bytes | str]) -> Path:
    """A zip holding ``name`` written chunk by chunk (so a huge entry never sits in memory) plus ``others``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(name, "w", force_zip64=True) as entry:
            for chunk in chunks:
                entry.write(chunk)
        for other, data in others.items():
            zf.writestr(other, data)
    return path


def lom(general: str = "", *, extra: str = "", namespace: str = "http://ltsc.ieee.org/xsd/LOM") -> str:
    return f'<lom xmlns="{namespace}"><general>{general}</general>{extra}</lom>'


def lom_string(tag: str, value: str, language: str | None = "en") -> str:
    """A LOM 1.0 (SCORM 2004) string container: ``<tag><string language="en">value</string></tag>``."""
    language_attr = f' language="{language}"' if language is not None else ""
    return f"<{tag}><string{language_attr}>{value}</string></{tag}>"


def imsmd_string(tag: str, value: str, language: str | None = "en") -> str:
    """An IMS Metadata 1.2 (SCORM 1.2) langstring container: ``<tag><langstring xml:lang="en">…``."""
    language_attr = f' xml:lang="{language}"' if language is not None else ""
    return f"<{tag}><langstring{language_attr}>{value}</langstring></{tag}>"


def parse_zip(path: Path, course_id: str = "course-1") -> tuple[ParsedCourse, dict[str, bytes]]:
    """Parse the zip at ``path`` and read back every course file the way the import pipeline stores them."""
    with open_archive(path) as archive:
        parsed = archive.parse(course_id)
        return parsed, {name: stream.read() for name, stream in archive.content()}
