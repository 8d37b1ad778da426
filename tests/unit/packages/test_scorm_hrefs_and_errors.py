from __future__ import annotations

from pathlib import Path

import pytest

from coursehost.packages import PackageError, open_archive
from coursehost.packages.scorm import add_parameters
from tests.unit.packages.builders import (
    HTML,
    item,
    manifest,
    organization,
    organizations,
    parse_package,
    resource,
    resources,
    single_sco_12,
    write_zip,
)

# --- hrefs -------------------------------------------------------------------------------------------------------


def test_xml_base_and_parameters(tmp_path: Path) -> None:
    body = organizations(
        organization(
            item("ITEM_1", "RES_1", extra='parameters="?lang=en"'),
            item("ITEM_2", "RES_2", extra='parameters="page=2"'),
            item("ITEM_3", "RES_3"),
        )
    ) + resources(
        resource("RES_1", "index.html", attrs='xml:base="sco1/"'),
        resource("RES_2", "page.html?mode=a", attrs='xml:base="sco2"'),
        resource("RES_3", "../shared/launch.html", attrs='xml:base="sco1/"'),
        attrs='xml:base="content"',
    )
    files = ("course/content/sco1/index.html", "course/content/sco2/page.html", "course/content/shared/launch.html")
    parsed = parse_package(tmp_path, manifest(body, attrs='xml:base="course/"'), *files)
    assert [a.href for a in parsed.root_activity.children] == [
        "course/content/sco1/index.html?lang=en",
        "course/content/sco2/page.html?mode=a&page=2",
        "course/content/shared/launch.html",
    ]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("href", "parameters", "expected"),
    [
        ("a.html", "?x=1", "a.html?x=1"),
        ("a.html", "x=1&y=2", "a.html?x=1&y=2"),
        ("a.html?y=2", "x=1", "a.html?y=2&x=1"),
        ("a.html?y=2", "&x=1", "a.html?y=2&x=1"),
        ("a.html", "#page3", "a.html#page3"),
        ("a.html#top", "#page3", "a.html#top"),
        ("a.html#top", "x=1", "a.html?x=1#top"),
        ("a.html", "", "a.html"),
        ("a.html", None, "a.html"),
        ("a.html", "?&", "a.html"),
    ],
)
def test_add_parameters(href: str, parameters: str | None, expected: str) -> None:
    assert add_parameters(href, parameters) == expected


def test_absolute_http_hrefs_are_not_checked(tmp_path: Path) -> None:
    body = organizations(organization(item("ITEM_1", "RES_1"))) + resources(
        resource("RES_1", "index.html", attrs='xml:base="https://cdn.example.com/course/"')
    )
    parsed = parse_package(tmp_path, manifest(body), "other.html")
    assert parsed.root_activity.children[0].href == "https://cdn.example.com/course/index.html"


def test_percent_encoded_and_dotted_hrefs_resolve(tmp_path: Path) -> None:
    body = organizations(organization(item("ITEM_1", "RES_1"))) + resources(resource("RES_1", "./my%20page.html"))
    parsed = parse_package(tmp_path, manifest(body), "my page.html")
    assert parsed.root_activity.children[0].href == "my%20page.html"


def test_case_insensitive_match_warns(tmp_path: Path) -> None:
    parsed = parse_package(tmp_path, single_sco_12("content/index.html"), "Content/Index.HTML")
    assert parsed.root_activity.children[0].href == "content/index.html"
    assert parsed.warnings == [
        "The href 'content/index.html' matches the file 'Content/Index.HTML' only when letter case is ignored; "
        "that file was used."
    ]


def test_ambiguous_case_insensitive_match_is_missing(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="The launch file 'index.html' of item 'ITEM_1' is not in the package"):
        parse_package(tmp_path, single_sco_12(), "Index.html", "INDEX.html")


# --- errors ------------------------------------------------------------------------------------------------------


def error_of(tmp_path: Path, manifest_xml: str | bytes, *files: str) -> str:
    with pytest.raises(PackageError) as caught:
        parse_package(tmp_path, manifest_xml, *files)
    return caught.value.message


def test_item_refers_to_missing_resource(tmp_path: Path) -> None:
    body = organizations(organization(item("ITEM_1", "RES_X"))) + resources(resource("RES_1", "index.html"))
    assert error_of(tmp_path, manifest(body)) == (
        "Item 'ITEM_1' refers to resource 'RES_X', which is not defined in the manifest"
    )


def test_launch_file_missing(tmp_path: Path) -> None:
    assert error_of(tmp_path, single_sco_12(), "other.html") == (
        "The launch file 'index.html' of item 'ITEM_1' is not in the package"
    )


def test_launch_file_outside_the_package(tmp_path: Path) -> None:
    message = error_of(tmp_path, single_sco_12("../index.html?x=1"))
    assert message == "The launch file '../index.html' of item 'ITEM_1' is not in the package"


def test_launch_url_with_unsupported_scheme(tmp_path: Path) -> None:
    message = error_of(tmp_path, single_sco_12("javascript:alert(1)"))
    assert message == "The launch URL 'javascript:alert(1)' of item 'ITEM_1' is neither a package file nor http(s)"


def test_resource_without_href(tmp_path: Path) -> None:
    body = organizations(organization(item("ITEM_1", "RES_1"))) + resources(resource("RES_1", None))
    assert error_of(tmp_path, manifest(body)) == "Item 'ITEM_1' refers to resource 'RES_1', which has no href to launch"


def test_malformed_manifest_reports_line_and_column(tmp_path: Path) -> None:
    broken = single_sco_12().replace("</organizations>", "</organisations>")
    message = error_of(tmp_path, broken)
    assert message.startswith("imsmanifest.xml is not well-formed XML: Opening and ending tag mismatch")
    assert "(line 4, column" in message


def test_xxe_manifest_is_refused(tmp_path: Path) -> None:
    evil = (
        single_sco_12()
        .replace("<manifest ", '<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<manifest ')
        .replace("Test Course", "&xxe;")
    )
    assert error_of(tmp_path, evil) == "imsmanifest.xml declares XML entities, which are refused for safety"


def test_no_manifest(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "p.zip", {"index.html": HTML})
    with open_archive(path) as archive, pytest.raises(PackageError) as caught:
        archive.parse("c")
    assert caught.value.message.startswith("No course descriptor was found in the package: expected imsmanifest.xml")


def test_root_element_must_be_manifest(tmp_path: Path) -> None:
    assert error_of(tmp_path, "<html/>") == "imsmanifest.xml does not have <manifest> as its root element"


def test_no_organizations_and_no_resources(tmp_path: Path) -> None:
    assert "has no <organization>, so the package has nothing to launch" in error_of(
        tmp_path, manifest("<organizations/>")
    )


def test_organization_without_launchable_items(tmp_path: Path) -> None:
    body = organizations(organization()) + resources(resource("RES_1", "index.html"))
    assert error_of(tmp_path, manifest(body)) == (
        "The organization 'ORG' has no item that refers to a resource, so there is nothing to launch"
    )


def test_organization_without_identifier(tmp_path: Path) -> None:
    broken = single_sco_12().replace('<organization identifier="ORG">', "<organization>")
    assert error_of(tmp_path, broken) == "The organization 'Test Course' has no identifier attribute"


def test_item_without_identifier(tmp_path: Path) -> None:
    broken = single_sco_12().replace('identifier="ITEM_1" ', "")
    assert error_of(tmp_path, broken) == "The item 'ITEM_1 title' has no identifier attribute"
