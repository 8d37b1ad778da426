from __future__ import annotations

from pathlib import Path

import pytest

from coursehost.packages import PackageError
from coursehost.packages.registry import detect
from tests.support.formats import aicc_files, cmi5_xml, parse_zip, tincan_xml
from tests.unit.packages.builders import HTML, single_sco_12


@pytest.mark.parametrize(
    ("names", "fmt"),
    [
        (["imsmanifest.xml"], "scorm"),
        (["cmi5.xml", "index.html"], "cmi5"),
        (["CMI5.XML"], "cmi5"),
        (["tincan.xml"], "xapi"),
        (["TinCan.xml"], "xapi"),
        (["course.crs", "course.au", "course.des"], "aicc"),
        (["COURSE.CRS"], "aicc"),
        # An incomplete AICC set is still AICC, so the parser can say what is missing.
        (["moodle.cst"], "aicc"),
        (["course.des"], "aicc"),
    ],
)
def test_each_descriptor_picks_its_format(names: list[str], fmt: str) -> None:
    detection = detect(names)
    assert (detection.format.name, detection.root, detection.warnings) == (fmt, "", ())


@pytest.mark.parametrize("names", [["sound.au"], ["a.crs.bak"], [".crs"], ["tincan.xml.orig"], ["cmi5.json"]])
def test_near_misses_are_not_descriptors(names: list[str]) -> None:
    with pytest.raises(PackageError, match="^No course descriptor was found in the package"):
        detect(names)


@pytest.mark.parametrize(
    ("names", "fmt", "ignored"),
    [
        (["imsmanifest.xml", "tincan.xml"], "scorm", "tincan.xml"),
        (["tincan.xml", "cmi5.xml", "imsmanifest.xml"], "scorm", "cmi5.xml, tincan.xml"),
        (["tincan.xml", "cmi5.xml"], "cmi5", "tincan.xml"),
        (["course.crs", "tincan.xml"], "xapi", "course.crs"),
    ],
)
def test_several_descriptors_at_one_root_follow_the_priority(names: list[str], fmt: str, ignored: str) -> None:
    detection = detect(names)
    assert detection.format.name == fmt
    [warning] = detection.warnings
    assert warning.startswith(f"The package also has {ignored} beside ")
    assert warning.endswith(f"it was imported as {detection.format.label} and the other descriptors were ignored.")


def test_the_warning_names_the_files_used() -> None:
    detection = detect(["pub/tincan.xml", "pub/course.crs", "pub/course.des", "readme.txt"])
    assert detection.root == "pub/"
    assert detection.warnings[1] == (
        "The package also has course.crs, course.des beside tincan.xml; it was imported as tincan.xml (xAPI) "
        "and the other descriptors were ignored."
    )


def test_root_descriptor_beats_a_higher_priority_one_in_a_folder() -> None:
    detection = detect(["tincan.xml", "old/imsmanifest.xml"])
    assert (detection.format.name, detection.root, detection.warnings) == ("xapi", "", ())


def test_nested_folder_of_the_first_format_wins() -> None:
    detection = detect(["course/imsmanifest.xml", "course/media/sound.des", "other/cmi5.xml"])
    assert (detection.format.name, detection.root) == ("scorm", "course/")


def test_aicc_files_in_one_folder_are_one_candidate() -> None:
    detection = detect(["pkg/course.crs", "pkg/course.au", "pkg/course.des", "pkg/course.cst"])
    assert (detection.format.name, detection.root) == ("aicc", "pkg/")


def test_aicc_in_several_folders_is_refused() -> None:
    with pytest.raises(PackageError) as caught:
        detect(["a/x.crs", "b/y.crs"])
    assert caught.value.message == (
        "The package has no course descriptor at its root but several in folders ('a/x.crs', 'b/y.crs'); "
        "put the course's descriptor at the root of the zip"
    )


def test_case_variants_of_a_non_scorm_descriptor() -> None:
    with pytest.raises(PackageError, match="several cmi5.xml files at its root"):
        detect(["CMI5.xml", "Cmi5.XML"])
    with pytest.raises(PackageError, match="several course.crs files in the folder 'p/'"):
        detect(["p/Course.crs", "p/COURSE.CRS"])


@pytest.mark.parametrize(
    ("files", "standard"),
    [
        ({"imsmanifest.xml": single_sco_12(), "tincan.xml": tincan_xml(), "index.html": HTML}, "SCORM12"),
        ({"cmi5.xml": cmi5_xml(), "tincan.xml": tincan_xml(), "index.html": HTML}, "CMI5"),
        ({**aicc_files(), "tincan.xml": tincan_xml()}, "XAPI"),
        (aicc_files(), "AICC"),
    ],
)
def test_archives_parse_with_the_chosen_format(tmp_path: Path, files: dict[str, bytes | str], standard: str) -> None:
    assert parse_zip(tmp_path, files).standard == standard
