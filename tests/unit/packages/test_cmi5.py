from __future__ import annotations

from pathlib import Path

import pytest

from coursehost.packages import Activity, CourseMetadata, PackageError
from coursehost.packages.archive import open_archive
from coursehost.packages.cmi5 import parse_cmi5_document
from tests.support.formats import (
    COURSE_IRI,
    cmi5_au,
    cmi5_block,
    cmi5_xml,
    langstrings,
    parse_zip,
    scos,
    text_element,
    zip_error,
)
from tests.support.packages import data_package
from tests.unit.packages.builders import HTML

AU = "https://example.com/au/1"
ABSOLUTE_AU = cmi5_au(url="https://cdn.example.com/lesson.html")


def document_error(xml: str) -> str:
    with pytest.raises(PackageError) as caught:
        parse_cmi5_document(xml.encode(), "c")
    return caught.value.message


def test_single_au_in_a_zip(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, {"cmi5.xml": cmi5_xml(), "index.html": HTML})
    assert parsed.standard == "CMI5"
    assert parsed.title == "cmi5 Test Course"
    assert parsed.xapi_activity_id == COURSE_IRI
    assert parsed.languages == ["en-US"]
    assert parsed.metadata == CourseMetadata("cmi5 Test Course", "en-US", "A course about testing", "en-US")
    assert parsed.root_activity == Activity(
        title="cmi5 Test Course",
        activity_type="AGGREGATION",
        item_identifier=COURSE_IRI,
        external_identifier=COURSE_IRI,
        children=[
            Activity(
                title="Lesson one", activity_type="SCO", item_identifier=AU, external_identifier=AU, href="index.html"
            )
        ],
    )
    assert parsed.warnings == []


def test_cmi5_package_with_nested_blocks(tmp_path: Path) -> None:
    # tests/data/packages/cmi5-blocks: a block inside a block, moveOn and masteryScore, an AU hosted elsewhere.
    (tmp_path / "navigation.zip").write_bytes(data_package("cmi5-blocks"))
    with open_archive(tmp_path / "navigation.zip") as archive:
        parsed = archive.parse("navigation")
    course = "https://example.com/courses/navigation"
    assert (parsed.standard, parsed.title, parsed.xapi_activity_id) == ("CMI5", "Coastal Navigation", course)
    assert parsed.languages == ["en-US", "fr-FR"]
    charts, buoys = parsed.root_activity.children
    assert (charts.title, charts.activity_type, charts.item_identifier) == ("Charts", "AGGREGATION", f"{course}/charts")
    symbols, practice = charts.children
    assert (practice.title, practice.activity_type) == ("Practice", "AGGREGATION")
    assert [(s.title, s.href, s.scaled_passing_score, s.external_identifier) for s in scos(parsed)] == [
        ("Chart symbols", "symbols.html?unit=1", "0.8", f"{course}/charts/symbols"),
        ("Plotting", "./plotting.html", None, f"{course}/charts/plotting"),
        ("Buoyage", "https://cdn.example.com/buoys/index.html", None, f"{course}/buoys"),
    ]
    assert parsed.warnings == []


def test_languages_and_english_title() -> None:
    course = (
        f"<title>{langstrings(('fr-FR', 'Cours'), ('en-us', 'Course'))}</title>"
        f"<description>{langstrings(('de', 'Beschreibung'))}</description>"
    )
    parsed = parse_cmi5_document(cmi5_xml(ABSOLUTE_AU, course_body=course).encode(), "c")
    assert parsed.title == "Course"
    assert parsed.languages == ["de", "en-US", "fr-FR"]
    assert parsed.metadata == CourseMetadata("Course", "en-us", "Beschreibung", "de")


def test_und_language_and_empty_description() -> None:
    course = text_element("title", "گلرنگ", "und") + text_element("description", "", "und")
    parsed = parse_cmi5_document(cmi5_xml(ABSOLUTE_AU, course_body=course).encode(), "c")
    assert parsed.title == "گلرنگ"
    assert parsed.languages == ["en-US"]  # from the AU; 'und' names no language
    assert parsed.metadata == CourseMetadata("گلرنگ", "und", None, None)


def test_url_in_cdata_with_whitespace_and_dot_slash(tmp_path: Path) -> None:
    au = cmi5_au(url="<![CDATA[\n   ./index.html?a=1&b=2\n  ]]>")
    [sco] = scos(parse_zip(tmp_path, {"cmi5.xml": cmi5_xml(au), "index.html": HTML}))
    assert sco.href == "./index.html?a=1&b=2"


def test_vendor_extensions_are_skipped(tmp_path: Path) -> None:
    au = cmi5_au(url="https://x.example.com/", body=None)
    extension = '<v:meta xmlns:v="https://vendor.example.com/ns">anything</v:meta>'
    parsed = parse_cmi5_document(cmi5_xml(au.replace("</au>", extension + "</au>") + extension).encode(), "c")
    assert len(scos(parsed)) == 1


def test_bare_document_with_absolute_urls() -> None:
    parsed = parse_cmi5_document(cmi5_xml(ABSOLUTE_AU).encode(), "c")
    assert scos(parsed)[0].href == "https://cdn.example.com/lesson.html"


def test_application_specific_scheme_is_allowed() -> None:
    parsed = parse_cmi5_document(cmi5_xml(cmi5_au(url="myapp://lesson/1?x=2")).encode(), "c")
    assert scos(parsed)[0].href == "myapp://lesson/1?x=2"


def test_relative_url_in_a_bare_document() -> None:
    assert document_error(cmi5_xml()) == (
        f"AU '{AU}' has a relative url 'index.html' but the course was uploaded without a package to resolve it"
    )


def test_relative_url_missing_from_the_zip(tmp_path: Path) -> None:
    xml = cmi5_xml(cmi5_au(url="not-found.html?x=1"))
    assert zip_error(tmp_path, {"cmi5.xml": xml, "index.html": HTML}) == (
        f"The launch file 'not-found.html' of AU '{AU}' is not in the package"
    )


@pytest.mark.parametrize("url", ["/index.html", "../index.html"])
def test_url_outside_the_package(tmp_path: Path, url: str) -> None:
    xml = cmi5_xml(cmi5_au(url=url))
    assert zip_error(tmp_path, {"cmi5.xml": xml, "index.html": HTML}) == (
        f"The url '{url}' of AU '{AU}' is neither a package file nor a fully qualified URL"
    )


@pytest.mark.parametrize(
    "url", ["http://example.com index.html", "1http://example.com/", "ht tp://x/", "a%zz.html", 'a"b.html', "http:x"]
)
def test_invalid_url(url: str) -> None:
    message = document_error(cmi5_xml(cmi5_au(url=url.replace('"', "&quot;"))))
    assert message.startswith(f"cmi5.xml: the url '{url}' of AU '{AU}' ")


@pytest.mark.parametrize(
    ("course_id", "au_id"),
    [("w3id.org/course/1", AU), (COURSE_IRI, "au-1"), (COURSE_IRI, "https://example.com/a b"), (COURSE_IRI, "x:")],
)
def test_ids_must_be_absolute_iris(course_id: str, au_id: str) -> None:
    message = document_error(cmi5_xml(cmi5_au(au_id, "https://x.example.com/"), course_id=course_id))
    bad, kind = (course_id, "course") if course_id != COURSE_IRI else (au_id, "au")
    assert message == f"cmi5.xml: the {kind} id '{bad}' is not an absolute IRI (it needs a scheme)"


def test_urn_ids_are_fine() -> None:
    parsed = parse_cmi5_document(cmi5_xml(cmi5_au("urn:uuid:1234", "https://x.example.com/")).encode(), "c")
    assert scos(parsed)[0].item_identifier == "urn:uuid:1234"


@pytest.mark.parametrize(
    "members",
    [
        (ABSOLUTE_AU, ABSOLUTE_AU),
        (cmi5_block(AU, cmi5_au("https://example.com/au/2", "https://x.example.com/")), ABSOLUTE_AU),
        (cmi5_au(COURSE_IRI, "https://x.example.com/"),),
    ],
)
def test_duplicate_ids(members: tuple[str, ...]) -> None:
    assert document_error(cmi5_xml(*members)).endswith("is used more than once")


def test_missing_id() -> None:
    assert document_error(cmi5_xml(ABSOLUTE_AU.replace(f'id="{AU}"', ""))) == "cmi5.xml: a <au> has no id attribute"


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (
            cmi5_xml(cmi5_au(body=f"<url>https://x.example.com/</url>{text_element('title', 't')}")),
            f"cmi5.xml: in au '{AU}', <url> comes where <title> is required",
        ),
        (
            cmi5_xml(cmi5_au(body=text_element("title", "t") + text_element("description", "d"))),
            f"cmi5.xml: au '{AU}' has no <url>, which is required",
        ),
        (
            cmi5_xml(
                cmi5_au(body=text_element("title", "t") + text_element("description", "d") + "<url>a</url><url>b</url>")
            ),
            f"cmi5.xml: au '{AU}' has more than one <url>",
        ),
        (
            cmi5_xml(cmi5_au(body=f"{text_element('title', 't')}{text_element('description', 'd')}<link>x</link>")),
            f"cmi5.xml: <link> is not allowed in au '{AU}'",
        ),
        (
            cmi5_xml(
                cmi5_au(
                    body=f"{text_element('title', 't')}{text_element('description', 'd')}<url>https://x.example.com/</url>"
                    "<entitlementKey>k</entitlementKey><launchParameters>p</launchParameters>"
                )
            ),
            f"cmi5.xml: in au '{AU}', <launchParameters> is out of order",
        ),
        (
            cmi5_xml(course_body=text_element("title", "t")),
            f"cmi5.xml: course '{COURSE_IRI}' has no <description>, which is required",
        ),
        (
            cmi5_xml(cmi5_block("https://example.com/b")),
            "cmi5.xml: block 'https://example.com/b' has no <au> or <block>, which is required",
        ),
        (cmi5_xml(" "), "cmi5.xml: <courseStructure> has no <au> or <block>, which is required"),
        (
            cmi5_xml(cmi5_au(title="").replace('<title><langstring lang="en-US"></langstring></title>', "<title/>")),
            f"cmi5.xml: the title of au '{AU}' has no <langstring>, which is required",
        ),
        (
            f'<courseStructure xmlns="{"http://www.adlnet.gov/cmi5/CourseStructure.xsd"}"/>',
            "cmi5.xml does not have <courseStructure> in the namespace "
            "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd as its root element",
        ),
    ],
)
def test_schema_violations(xml: str, message: str) -> None:
    assert document_error(xml) == message


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ('moveOn="Not Applicable"', "has moveOn='Not Applicable'; it must be one of NotApplicable, Passed, Completed"),
        ('launchMethod="NewWindow"', "has launchMethod='NewWindow'; it must be one of AnyWindow, OwnWindow"),
        ('masteryScore="80"', "has masteryScore='80'; it must be a decimal from 0 to 1"),
        ('masteryScore="high"', "has masteryScore='high'; it must be a decimal from 0 to 1"),
        ('masteryScore="1E-999999"', "has masteryScore='1E-999999'; it must be a decimal from 0 to 1"),
    ],
)
def test_invalid_au_attributes(attrs: str, message: str) -> None:
    assert message in document_error(cmi5_xml(cmi5_au(url="https://x.example.com/", attrs=attrs)))


def test_objectives_are_validated() -> None:
    objective = (
        '<objectives><objective id="obj-1">'
        f"{text_element('title', 'o')}{text_element('description', 'd')}</objective></objectives>"
    )
    assert document_error(cmi5_xml(ABSOLUTE_AU, before=objective)) == (
        "cmi5.xml: the objective id 'obj-1' is not an absolute IRI (it needs a scheme)"
    )
    valid = objective.replace("obj-1", "https://example.com/obj/1")
    assert len(scos(parse_cmi5_document(cmi5_xml(ABSOLUTE_AU, before=valid).encode(), "c"))) == 1
    missing = valid.replace(text_element("description", "d"), "")
    assert "needs exactly one <title> and <description>" in document_error(cmi5_xml(ABSOLUTE_AU, before=missing))


def test_empty_titles_fall_back_to_ids() -> None:
    course = text_element("title", "") + text_element("description", "")
    parsed = parse_cmi5_document(
        cmi5_xml(cmi5_au(url="https://x.example.com/", title=""), course_body=course).encode(), "c9"
    )
    assert parsed.title == "c9"
    assert scos(parsed)[0].title == AU


def test_too_large_document() -> None:
    with pytest.raises(PackageError, match="cmi5.xml is larger than"):
        parse_cmi5_document(b" " * (16 * 1024**2 + 1), "c")


def test_not_well_formed() -> None:
    assert document_error("<courseStructure").startswith("cmi5.xml is not well-formed XML")


def test_case_mismatch_is_a_warning(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, {"cmi5.xml": cmi5_xml(cmi5_au(url="Index.html")), "index.html": HTML})
    assert parsed.warnings == [f"url 'Index.html' of AU '{AU}' matched file 'index.html' only when ignoring case"]
