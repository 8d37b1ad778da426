"""Catalogue metadata (IEEE LOM) inline in the manifest or in files it names, in both LOM bindings."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursehost.packages import CourseMetadata, ParsedCourse
from coursehost.packages.lom import MAX_METADATA_FILES, MAX_METADATA_FILES_TOTAL, course_metadata, languages
from coursehost.packages.xml import parse_xml
from tests.unit.packages.builders import (
    HTML,
    NS_2004,
    imsmd_string,
    item,
    lom,
    lom_string,
    manifest,
    organization,
    organizations,
    parse_zip,
    resource,
    resources,
    write_zip,
)

IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
FULL_LOM_2004 = lom(
    lom_string("title", "Golf Explained", "en-US")
    + lom_string("title", "Explicó Golf", "es")
    + "<language>en</language>"
    + lom_string("description", "An overview of golf.", "en-us")
    + lom_string("keyword", "golf", "en-US")
    + lom_string("keyword", "etiquette", "en-US"),
    extra=(
        "<technical><duration><duration>PT10M</duration>"
        + lom_string("description", "Ten minutes", "en-us")
        + "</duration></technical>"
        "<educational><typicalLearningTime><duration>PT15M</duration></typicalLearningTime>"
        "<language>fr-ca</language></educational>"
    ),
)
LOM_12 = lom(
    imsmd_string("title", "Gestion d'équipe", "fr")
    + "<language>fr</language>"
    + imsmd_string("description", "Communication", "x-none")
    + "<keyword><langstring xml:lang='fr'>équipe</langstring><langstring xml:lang='en'>team</langstring></keyword>",
    extra=(
        "<technical><duration><datetime>PT1H</datetime></duration></technical>"
        "<educational><typicallearningtime><datetime>PT0H30M0S</datetime></typicallearningtime></educational>"
    ),
    namespace=IMSMD,
)


def scorm_package(
    tmp_path: Path,
    metadata: str = "",
    org_metadata: str = "",
    *,
    org_title: str | None = "Org title",
    scorm12: bool = False,
    **files: bytes | str,
) -> ParsedCourse:
    org = organization(item("ITEM_1", "RES_1"), title=org_title)
    if org_metadata:
        org = org.replace("</organization>", f"<metadata>{org_metadata}</metadata></organization>")
    body = organizations(org) + resources(resource("RES_1", "index.html", type_attr="scormType"))
    if scorm12:
        xml = manifest(body, metadata=metadata)
    else:
        xml = manifest(body, schemaversion="2004 3rd Edition", namespaces=NS_2004, metadata=metadata)
    listing: dict[str, bytes | str] = {"imsmanifest.xml": xml, "index.html": HTML}
    listing.update({name.replace("__", "/").replace("_", "."): data for name, data in files.items()})
    return parse_zip(write_zip(tmp_path / "c.zip", listing))[0]


def location(href: str) -> str:
    return f"<adlcp:location>{href}</adlcp:location>"


def test_inline_lom_2004_every_field(tmp_path: Path) -> None:
    parsed = scorm_package(tmp_path, FULL_LOM_2004)
    assert parsed.title == "Org title"
    assert parsed.metadata == CourseMetadata(
        title="Golf Explained",
        title_language="en-US",
        description="An overview of golf.",
        description_language="en-us",
        duration="PT10M",
        typical_time="PT15M",
        keywords=["golf", "etiquette"],
    )
    # Every language the LOM names, in canonical case, once each.
    assert parsed.languages == ["en", "en-US", "es", "fr-CA"]
    assert parsed.warnings == []


def test_inline_imsmd_1_2_langstrings(tmp_path: Path) -> None:
    parsed = scorm_package(tmp_path, LOM_12, scorm12=True)
    assert parsed.metadata == CourseMetadata(
        title="Gestion d'équipe",
        title_language="fr",
        description="Communication",
        description_language=None,  # x-none names no language
        duration="PT1H",
        typical_time="PT0H30M0S",
        keywords=["équipe", "team"],
    )
    assert parsed.languages == ["en", "fr"]


def test_external_file_at_manifest_level(tmp_path: Path) -> None:
    parsed = scorm_package(tmp_path, location("meta/course.xml"), meta__course_xml=FULL_LOM_2004)
    assert parsed.metadata is not None
    assert (parsed.metadata.title, parsed.metadata.duration) == ("Golf Explained", "PT10M")
    assert parsed.languages == ["en", "en-US", "es", "fr-CA"]


def test_organization_metadata_fills_what_the_course_lom_leaves_out(tmp_path: Path) -> None:
    course = lom(lom_string("title", "Course title"))
    org = lom(lom_string("title", "Org LOM title") + lom_string("description", "About the organization", "de"))
    parsed = scorm_package(tmp_path, course, location("org.xml"), org_xml=org)
    assert parsed.metadata == CourseMetadata(
        title="Course title",
        title_language="en",
        description="About the organization",
        description_language="de",
    )
    assert parsed.languages == ["de", "en"]


def test_inline_lom_comes_before_the_external_file(tmp_path: Path) -> None:
    inline = lom(lom_string("title", "Inline"))
    external = lom(lom_string("title", "External") + lom_string("keyword", "k"))
    parsed = scorm_package(tmp_path, location("m.xml") + inline, m_xml=external)
    assert parsed.metadata is not None
    assert (parsed.metadata.title, parsed.metadata.keywords) == ("Inline", ["k"])


def test_catalogue_title_names_an_untitled_organization(tmp_path: Path) -> None:
    parsed = scorm_package(tmp_path, location("m.xml"), org_title=None, m_xml=lom(lom_string("title", "From LOM")))
    assert parsed.title == "From LOM"


def test_missing_metadata_file_is_a_warning(tmp_path: Path) -> None:
    parsed = scorm_package(tmp_path, location("imslrm.xml"), scorm12=True)
    assert parsed.metadata is None
    assert parsed.warnings == [
        "The metadata file 'imslrm.xml' named in the manifest is not in the package; it was ignored."
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<lom><general>", "m.xml' could not be read (m.xml is not well-formed XML: "),
        ('<!DOCTYPE lom [<!ENTITY x "y">]><lom/>', "m.xml' could not be read (m.xml declares XML entities"),
        ("<catalogue/>", "m.xml' holds no <lom> element"),
    ],
)
def test_unusable_metadata_file_is_a_warning(tmp_path: Path, content: str, reason: str) -> None:
    parsed = scorm_package(tmp_path, location("m.xml"), m_xml=content)
    assert parsed.metadata is None
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith(f"The metadata file '{reason}")
    assert parsed.warnings[0].endswith("; it was ignored.")


def test_metadata_file_wrapped_in_another_element(tmp_path: Path) -> None:
    wrapped = f"<metadata>{lom(lom_string('title', 'Wrapped'))}</metadata>"
    parsed = scorm_package(tmp_path, location("m.xml"), m_xml=wrapped)
    assert parsed.metadata == CourseMetadata(title="Wrapped", title_language="en")


def test_metadata_file_in_a_legacy_encoding(tmp_path: Path) -> None:
    document = '<?xml version="1.0" encoding="UTF-8"?>' + lom(lom_string("title", "Résumé", "fr"))
    parsed = scorm_package(tmp_path, location("m.xml"), m_xml=document.encode("cp1252"))
    assert parsed.metadata == CourseMetadata(title="Résumé", title_language="fr")
    assert parsed.warnings == ["m.xml declares encoding UTF-8 but is Windows-1252; it was read as Windows-1252."]


def test_item_and_resource_lom_add_languages_but_not_metadata(tmp_path: Path) -> None:
    item_lom = f"<metadata>{lom(lom_string('description', 'Lección', 'es'))}</metadata>"
    body = organizations(organization(item("ITEM_1", "RES_1", item_lom))) + resources(
        resource("RES_1", "index.html", type_attr="scormType")
    )
    xml = manifest(body, schemaversion="2004 3rd Edition", namespaces=NS_2004)
    parsed = parse_zip(write_zip(tmp_path / "c.zip", {"imsmanifest.xml": xml, "index.html": HTML}))[0]
    assert (parsed.metadata, parsed.languages) == (None, ["es"])


def test_no_metadata(tmp_path: Path) -> None:
    parsed = scorm_package(tmp_path)
    assert (parsed.metadata, parsed.languages) == (None, [])


# --- the extraction functions on their own -----------------------------------------------------------------------


def test_empty_strings_are_no_value() -> None:
    document = parse_xml(
        lom(imsmd_string("title", "") + imsmd_string("description", " ") + "<language>x-none</language>").encode(),
        "m.xml",
    )
    assert course_metadata([document]) is None
    assert languages([document]) == []


def test_bare_text_values_are_honoured() -> None:
    document = parse_xml(lom("<title>Plain title</title><keyword>plain</keyword>").encode(), "m.xml")
    assert course_metadata([document]) == CourseMetadata(title="Plain title", keywords=["plain"])


@pytest.mark.parametrize(
    ("declared", "canonical"),
    [
        ("EN", ["en"]),
        ("en-us", ["en-US"]),
        ("en_GB", ["en-GB"]),
        ("zh-hant-tw", ["zh-Hant-TW"]),
        ("es-419", ["es-419"]),
        ("English", []),  # not a language tag
        ("x-none", []),
    ],
)
def test_language_tags_are_canonicalised(declared: str, canonical: list[str]) -> None:
    document = parse_xml(lom(f"<language>{declared}</language>").encode(), "m.xml")
    assert languages([document]) == canonical


def test_ims_metadata_1_1_record_root(tmp_path: Path) -> None:
    record = lom(imsmd_string("title", "Old", "en")).replace("<lom ", "<record ").replace("</lom>", "</record>")
    parsed = scorm_package(tmp_path, record, scorm12=True)
    assert (parsed.metadata, parsed.languages) == (CourseMetadata(title="Old", title_language="en"), ["en"])


def test_only_a_few_metadata_files_are_read(tmp_path: Path) -> None:
    codes = ["aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av"]
    locations = "".join(location(f"m{i}.xml") for i in range(10)) + location("m0.xml")
    files = {f"m{i}_xml": lom(lom_string("keyword", f"k{i}", code)) for i, code in enumerate(codes)}
    parsed = scorm_package(tmp_path, locations, **files)
    assert parsed.metadata == CourseMetadata(keywords=["k0"])
    assert parsed.languages == codes[:MAX_METADATA_FILES]
    assert parsed.warnings == []


# --- files named below the organization: items, resources, files -------------------------------------------------


def _levels_package(tmp_path: Path, item_md: str = "", resource_md: str = "", **files: bytes | str) -> ParsedCourse:
    """A 2004 package whose item and resource carry the given <metadata> content."""
    item_xml = item("ITEM_1", "RES_1", f"<metadata>{item_md}</metadata>" if item_md else "")
    res = resource("RES_1", "index.html", type_attr="scormType")
    if resource_md:
        res = res.replace("/>", f"><metadata>{resource_md}</metadata></resource>")
    xml = manifest(
        organizations(organization(item_xml)) + resources(res), schemaversion="2004 3rd Edition", namespaces=NS_2004
    )
    listing: dict[str, bytes | str] = {"imsmanifest.xml": xml, "index.html": HTML}
    listing.update({name.replace("__", "/").replace("_", "."): data for name, data in files.items()})
    return parse_zip(write_zip(tmp_path / "c.zip", listing))[0]


@pytest.mark.parametrize("level", ["item", "resource"])
def test_files_named_by_items_and_resources_add_languages_like_inline_lom(tmp_path: Path, level: str) -> None:
    named = {f"{level}_md": location("meta/lesson.xml")}
    parsed = _levels_package(tmp_path, **named, meta__lesson_xml=lom(lom_string("description", "Lección", "es")))
    assert (parsed.metadata, parsed.languages, parsed.warnings) == (None, ["es"], [])


@pytest.mark.parametrize("level", ["item", "resource"])
@pytest.mark.parametrize(
    ("files", "warning"),
    [
        ({}, "The metadata file 'gone.xml' named in the manifest is not in the package; it was ignored."),
        ({"gone_xml": "<lom><general>"}, "The metadata file 'gone.xml' could not be read (gone.xml is not well-formed"),
        ({"gone_xml": "<other/>"}, "The metadata file 'gone.xml' holds no <lom> element; it was ignored."),
    ],
)
def test_unusable_files_below_the_organization_are_warnings(
    tmp_path: Path, level: str, files: dict[str, str], warning: str
) -> None:
    parsed = _levels_package(tmp_path, **{f"{level}_md": location("gone.xml")}, **files)
    assert parsed.title == "Test Course"
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith(warning)


def test_a_file_named_many_times_is_read_and_reported_once(tmp_path: Path) -> None:
    document = '<?xml version="1.0" encoding="UTF-8"?>' + lom(lom_string("title", "Résumé", "fr"))
    items = "".join(
        item(f"I{n}", "RES_1", f"<metadata>{location('m.xml')}{location('gone.xml')}</metadata>") for n in range(5)
    )
    xml = manifest(
        organizations(organization(items)) + resources(resource("RES_1", "index.html", type_attr="scormType")),
        schemaversion="2004 3rd Edition",
        namespaces=NS_2004,
        metadata=location("m.xml"),
    )
    files = {"imsmanifest.xml": xml, "index.html": HTML, "m.xml": document.encode("cp1252")}
    parsed = parse_zip(write_zip(tmp_path / "c.zip", files))[0]
    assert parsed.metadata == CourseMetadata(title="Résumé", title_language="fr")
    assert parsed.warnings == [
        "m.xml declares encoding UTF-8 but is Windows-1252; it was read as Windows-1252.",
        "The metadata file 'gone.xml' named in the manifest is not in the package; it was ignored.",
    ]


@pytest.mark.parametrize(
    ("manifest_base", "resources_base", "resource_base", "href", "stored"),
    [
        ("content/", "", "", "meta/m.xml", "content/meta/m.xml"),
        ("", "content", "meta/", "m.xml", "content/meta/m.xml"),
        ("", "", "content/sub/", "../meta/m.xml", "content/meta/m.xml"),
    ],
)
def test_xml_base_in_scope_applies_to_the_location(
    tmp_path: Path, manifest_base: str, resources_base: str, resource_base: str, href: str, stored: str
) -> None:
    def base(value: str) -> str:
        return f'xml:base="{value}"' if value else ""

    res = resource("RES_1", "https://example.com/sco.html", type_attr="scormType", attrs=base(resource_base))
    res = res.replace("/>", f"><metadata>{location(href)}</metadata></resource>")
    xml = manifest(
        organizations(organization(item("ITEM_1", "RES_1"))) + resources(res, attrs=base(resources_base)),
        schemaversion="2004 3rd Edition",
        namespaces=NS_2004,
        attrs=base(manifest_base),
    )
    files = {"imsmanifest.xml": xml, stored: lom(lom_string("description", "Beskrivelse", "da"))}
    parsed = parse_zip(write_zip(tmp_path / "c.zip", files))[0]
    assert (parsed.languages, parsed.warnings) == (["da"], [])


def test_location_as_written_is_used_when_xml_base_names_no_file(tmp_path: Path) -> None:
    xml = manifest(
        organizations(organization(item("ITEM_1", "RES_1")))
        + resources(resource("RES_1", "index.html", type_attr="scormType")),
        schemaversion="2004 3rd Edition",
        namespaces=NS_2004,
        attrs='xml:base="content/"',
        metadata=location("m.xml"),
    )
    files = {"imsmanifest.xml": xml, "content/index.html": HTML, "m.xml": lom(lom_string("title", "At the root"))}
    parsed = parse_zip(write_zip(tmp_path / "c.zip", files))[0]
    assert parsed.metadata == CourseMetadata(title="At the root", title_language="en")


def test_metadata_files_read_per_package_are_capped(tmp_path: Path) -> None:
    count = MAX_METADATA_FILES_TOTAL + 3
    items = "".join(item(f"I{n}", "RES_1", f"<metadata>{location(f'm{n}.xml')}</metadata>") for n in range(count))
    xml = manifest(
        organizations(organization(items)) + resources(resource("RES_1", "index.html", type_attr="scormType")),
        schemaversion="2004 3rd Edition",
        namespaces=NS_2004,
    )
    files: dict[str, bytes | str] = {"imsmanifest.xml": xml, "index.html": HTML}
    files |= {f"m{n}.xml": lom(f"<language>en-n{n:03d}</language>") for n in range(count)}
    parsed = parse_zip(write_zip(tmp_path / "c.zip", files))[0]
    assert len(parsed.languages) == MAX_METADATA_FILES_TOTAL
    assert parsed.warnings == [
        f"The manifest names more metadata files than are read ({MAX_METADATA_FILES_TOTAL} files or 16 MiB); "
        "the others were ignored."
    ]
