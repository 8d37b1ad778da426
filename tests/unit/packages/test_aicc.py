from __future__ import annotations

from pathlib import Path

import pytest

from coursehost.packages import Activity
from coursehost.packages.archive import open_archive
from tests.support.formats import (
    AU_HEADER,
    aicc_files,
    au_row,
    des_row,
    parse_zip,
    scos,
    zip_error,
)
from tests.support.packages import data_package
from tests.unit.packages.builders import HTML


def test_single_au_course(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, aicc_files())
    assert parsed.standard == "AICC"
    assert parsed.title == "AICC Test Course"
    assert parsed.root_activity == Activity(
        title="AICC Test Course",
        activity_type="AGGREGATION",
        item_identifier="root",
        children=[Activity(title="First lesson", activity_type="SCO", item_identifier="A1", href="index.html")],
    )
    assert parsed.warnings == []
    assert parsed.metadata is not None
    assert parsed.metadata.description == "A short course."
    assert parsed.xapi_activity_id is None


def test_crlf_quoted_commas_case_and_whitespace(tmp_path: Path) -> None:
    files = aicc_files(
        aus=['"A1" , "lesson", "Index.HTML", "", 100, 80, "", ""  '],
        des=['"a1","dev","Lesson, part one","desc"'],
        cst=['"ROOT","a1"'],
        newline="\r\n",
        stem="COURSE",
    )
    files = {name.replace(".crs", ".CRS"): data for name, data in files.items()}
    parsed = parse_zip(tmp_path, files)
    [sco] = scos(parsed)
    assert (sco.title, sco.item_identifier, sco.scaled_passing_score) == ("Lesson, part one", "A1", "0.8")
    assert parsed.root_activity.item_identifier == "ROOT"
    assert parsed.warnings == ["File_Name 'Index.HTML' matched file 'index.html' only when ignoring case"]


def test_header_names_are_case_insensitive_and_order_free(tmp_path: Path) -> None:
    files = aicc_files()
    files["course.au"] = '"FILE_NAME","system_id","MASTERY_SCORE"\n"index.html","A1","75"'
    [sco] = scos(parse_zip(tmp_path, files))
    assert (sco.href, sco.scaled_passing_score) == ("index.html", "0.75")


@pytest.mark.parametrize(("raw", "expected"), [("", None), ("80", "0.8"), ("100", "1"), ("0", "0"), ("62.5", "0.625")])
def test_mastery_score_is_scaled(tmp_path: Path, raw: str, expected: str | None) -> None:
    [sco] = scos(parse_zip(tmp_path, aicc_files([au_row("A1", mastery=raw)])))
    assert sco.scaled_passing_score == expected


@pytest.mark.parametrize("raw", ["abc", "150", "-1", "1E-999999", "NaN"])
def test_invalid_mastery_score_is_ignored_with_a_warning(tmp_path: Path, raw: str) -> None:
    parsed = parse_zip(tmp_path, aicc_files([au_row("A1", mastery=raw)]))
    assert scos(parsed)[0].scaled_passing_score is None
    assert parsed.warnings == [f"AU 'A1' has an invalid Mastery_Score '{raw}'; ignored."]


@pytest.mark.parametrize(
    ("file_name", "web_launch", "href"),
    [
        ("index.html", "lang=en", "index.html?lang=en"),
        ("index.html?a=1", "?b=2", "index.html?a=1&b=2"),
        ("index.html#top", "b=2", "index.html?b=2#top"),
        ("https://cdn.example.com/course/", "", "https://cdn.example.com/course/"),
    ],
)
def test_web_launch_parameters_are_appended(tmp_path: Path, file_name: str, web_launch: str, href: str) -> None:
    [sco] = scos(parse_zip(tmp_path, aicc_files([au_row("A1", file_name, web_launch=web_launch)])))
    assert sco.href == href


def test_aicc_package_with_a_block(tmp_path: Path) -> None:
    # tests/data/packages/aicc-blocks: CRLF descriptors; the .cst repeats "member" as often as a block needs it.
    (tmp_path / "rope.zip").write_bytes(data_package("aicc-blocks"))
    with open_archive(tmp_path / "rope.zip") as archive:
        parsed = archive.parse("rope")
    assert (parsed.standard, parsed.title, parsed.package_identifier) == ("AICC", "Rope Work", "KNOTS-AICC")
    assert parsed.metadata is not None
    assert parsed.metadata.description == "Splicing and whipping,\nfor crews of every size."
    assert parsed.root_activity == Activity(
        title="Rope Work",
        activity_type="AGGREGATION",
        item_identifier="root",
        children=[
            Activity(title="Introduction", activity_type="SCO", item_identifier="A1", href="intro.html"),
            Activity(
                title="Practice",
                activity_type="AGGREGATION",
                item_identifier="B1",
                children=[
                    # Web_Launch parameters are appended, to a File_Name's own query string too.
                    Activity(title="The eye splice", activity_type="SCO", item_identifier="A2",
                             href="splice.html?lang=en&level=2", scaled_passing_score="0.8"),
                    Activity(title="Whipping", activity_type="SCO", item_identifier="A3",
                             href="whip.html?from=aicc&mode=review"),
                ],
            ),
        ],
    )  # fmt: skip
    assert parsed.warnings == []


def test_a_block_may_span_several_cst_rows(tmp_path: Path) -> None:
    files = aicc_files([au_row("A1"), au_row("A2")], [des_row("A1", "One"), des_row("A2", "Two")])
    files["course.cst"] = '"block","member"\n"root","A1"\n"root","A2"'
    assert [c.title for c in parse_zip(tmp_path, files).root_activity.children] == ["One", "Two"]


def test_aus_missing_from_the_cst_are_added_under_the_root(tmp_path: Path) -> None:
    files = aicc_files([au_row("A1"), au_row("A2")], [des_row("A1", "One")], ['"root","A1"'])
    parsed = parse_zip(tmp_path, files)
    assert [c.title for c in parsed.root_activity.children] == ["One", "A2"]
    assert parsed.warnings == ["AUs 'A2' are not in the .cst structure; they were added under the course."]


def test_members_under_an_au_and_unknown_members_are_ignored(tmp_path: Path) -> None:
    files = aicc_files(
        [au_row("A1"), au_row("A2")],
        cst=['"root","A1"', '"A1","A2"', '"root","X9"', '"root","A1"'],
    )
    parsed = parse_zip(tmp_path, files)
    assert [c.item_identifier for c in parsed.root_activity.children] == ["A1", "A2"]
    assert parsed.warnings == [
        "The .cst file lists members under 'A1', which is an AU; ignored.",
        "The .cst member 'X9' is neither an AU nor a block; ignored.",
        "'A1' appears more than once in the .cst structure; only the first counts.",
        "AUs 'A2' are not in the .cst structure; they were added under the course.",
    ]


def test_a_block_containing_itself_does_not_loop(tmp_path: Path) -> None:
    files = aicc_files(cst=['"root","B1"', '"B1","A1"', '"B1","B1"'])
    parsed = parse_zip(tmp_path, files)
    assert [a.item_identifier for a in parsed.root_activity.children[0].children] == ["A1"]
    assert "'B1' appears more than once in the .cst structure; only the first counts." in parsed.warnings


def test_without_a_cst_every_au_goes_under_the_root(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, aicc_files([au_row("A1"), au_row("A2")], cst=[]))
    assert [c.item_identifier for c in parsed.root_activity.children] == ["A1", "A2"]
    assert parsed.warnings == ["The package has no .cst file; all AUs were placed directly under the course."]


def test_cst_without_a_root_block(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, aicc_files(cst=['"B1","A1"']))
    assert [c.item_identifier for c in parsed.root_activity.children] == ["A1"]
    assert parsed.warnings[0] == "The .cst file has no root block; all AUs were placed directly under the course."


def test_title_falls_back_to_the_course_id(tmp_path: Path) -> None:
    files = aicc_files()
    files["course.crs"] = "[Course]\nCourse_ID=C-9\n"
    parsed = parse_zip(tmp_path, files)
    assert parsed.title == "C-9"
    assert parsed.metadata is None
    assert parsed.warnings == ["The .crs file has no Course_Title; the course was titled 'C-9'."]


def test_total_aus_mismatch_is_a_warning(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, aicc_files(total=3))
    assert parsed.warnings == ["The .crs file declares 3 AUs but the .au file lists 1."]


def test_multiline_description_and_windows_1252(tmp_path: Path) -> None:
    files = aicc_files(description="First paragraph.\n\nSecond \u2014 paragraph.")
    files["course.crs"] = str(files["course.crs"]).encode("cp1252")
    parsed = parse_zip(tmp_path, files)
    assert parsed.metadata is not None
    assert parsed.metadata.description == "First paragraph.\n\nSecond \u2014 paragraph."


def test_descriptors_named_like_the_crs_win(tmp_path: Path) -> None:
    files = aicc_files()
    files["other.au"] = "\n".join([AU_HEADER, au_row("Z1", "missing.html")])
    assert scos(parse_zip(tmp_path, files))[0].item_identifier == "A1"


def test_nested_aicc_course(tmp_path: Path) -> None:
    files = {f"pub/{name}": data for name, data in aicc_files().items()}
    parsed = parse_zip(tmp_path, files)
    assert scos(parsed)[0].href == "index.html"
    assert parsed.warnings[0].startswith("The manifest was found in the folder 'pub/'")


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        (
            (".au",),
            "The AICC package is incomplete: the .au file is missing (an AICC course needs .crs, .au and .des "
            "descriptor files at its root, and a .cst for its structure)",
        ),
        (
            (".crs", ".au", ".des"),
            "The AICC package is incomplete: the .crs, .au and .des files are missing (an AICC course needs .crs, "
            ".au and .des descriptor files at its root, and a .cst for its structure)",
        ),
    ],
)
def test_missing_descriptor_files(tmp_path: Path, drop: tuple[str, ...], message: str) -> None:
    files = {name: data for name, data in aicc_files().items() if not name.endswith(drop)}
    assert zip_error(tmp_path, files) == message


@pytest.mark.parametrize(
    ("aus", "message"),
    [
        ([au_row("A1", "index_lms.html")], "The launch file 'index_lms.html' of AU 'A1' is not in the package"),
        ([au_row("A1", "../index.html")], "The launch file '../index.html' of AU 'A1' is not in the package"),
        ([au_row("A1", "")], "AU 'A1' has no File_Name to launch"),
        (
            [au_row("A1", "ftp://example.com/x")],
            "The File_Name 'ftp://example.com/x' of AU 'A1' is neither a package file nor http(s)",
        ),
        ([au_row("A1"), au_row("a1")], "The .au file lists AU 'a1' more than once"),
        ([], "course.au lists no AU, so there is nothing to launch"),
    ],
)
def test_bad_aus(tmp_path: Path, aus: list[str], message: str) -> None:
    assert zip_error(tmp_path, aicc_files(aus)) == message


def test_descriptors_only_package_is_refused(tmp_path: Path) -> None:
    files = {
        name: data for name, data in aicc_files([au_row("A001", "index_lms.html")]).items() if name != "index.html"
    }
    assert zip_error(tmp_path, files) == "The launch file 'index_lms.html' of AU 'A001' is not in the package"


def test_several_crs_files(tmp_path: Path) -> None:
    files = {**aicc_files(), "second.crs": "[Course]\n"}
    assert zip_error(tmp_path, files) == (
        "The package has several .crs files (course.crs, second.crs); an AICC package describes one course"
    )


def test_several_au_files_none_named_like_the_crs(tmp_path: Path) -> None:
    files = aicc_files()
    files["x.au"] = files.pop("course.au")
    files["y.au"] = files["x.au"]
    assert zip_error(tmp_path, files) == "The package has several .au files (x.au, y.au) and none named like the .crs"


def test_au_rows_without_system_id_are_skipped(tmp_path: Path) -> None:
    parsed = parse_zip(tmp_path, aicc_files([au_row(""), au_row("A1")]))
    assert [s.item_identifier for s in scos(parsed)] == ["A1"]
    assert parsed.warnings == [
        "A row of the .au file has no System_ID; it was ignored.",
        "The .crs file declares 2 AUs but the .au file lists 1.",
    ]


def test_content_files_are_unaffected_by_au_audio(tmp_path: Path) -> None:
    # '.au' is also an audio format: a SCORM-less zip of sounds is not mistaken for an AICC course.
    message = zip_error(tmp_path, {"sound.au": b"\x2esnd", "index.html": HTML})
    assert message.startswith("No course descriptor was found in the package")
