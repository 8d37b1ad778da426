"""Build AICC descriptor sets, cmi5.xml and tincan.xml in code, valid or broken on purpose."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from coursehost.packages import PackageError, ParsedCourse, open_archive
from coursehost.packages.base import Activity
from tests.unit.packages.builders import HTML, write_zip

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
COURSE_IRI = "https://example.com/course/1"


def parse_zip(tmp_path: Path, files: Mapping[str, bytes | str], course_id: str = "course-1") -> ParsedCourse:
    with open_archive(write_zip(tmp_path / "package.zip", files)) as archive:
        return archive.parse(course_id)


def zip_error(tmp_path: Path, files: Mapping[str, bytes | str]) -> str:
    with pytest.raises(PackageError) as caught:
        parse_zip(tmp_path, files)
    return caught.value.message


def walk(activity: Activity) -> list[Activity]:
    found = [activity]
    for child in activity.children:
        found.extend(walk(child))
    return found


def scos(parsed: ParsedCourse) -> list[Activity]:
    return [a for a in walk(parsed.root_activity) if a.activity_type == "SCO"]


# --- AICC -----------------------------------------------------------------------------------------------------

CRS = """[Course]
Course_Creator=Example
Course_ID=C-1
Course_System=HTML
Course_Title=AICC Test Course
Level=1
Max_Fields_CST=2
Total_AUs={total}
Total_Blocks=0
Version=3.0
[Course_Behavior]
Max_Normal=1
[Course_Description]
{description}
"""
AU_HEADER = '"System_ID","Type","File_Name","Command_Line","Max_Score","Mastery_Score","Web_Launch","AU_Password"'
DES_HEADER = '"System_ID","Developer_ID","Title","Description"'


def au_row(system_id: str, file_name: str = "index.html", mastery: str = "", web_launch: str = "") -> str:
    return f'"{system_id}","lesson","{file_name}","","100","{mastery}","{web_launch}",""'


def des_row(system_id: str, title: str) -> str:
    return f'"{system_id}","dev","{title}","A description, with a comma"'


def aicc_files(
    aus: list[str] | None = None,
    des: list[str] | None = None,
    cst: list[str] | None = None,
    *,
    description: str = "A short course.",
    total: int | None = None,
    newline: str = "\n",
    stem: str = "course",
) -> dict[str, bytes | str]:
    """A one-AU course by default; pass ``cst=[]`` to leave the .cst file out."""
    aus = aus if aus is not None else [au_row("A1")]
    des = des if des is not None else [des_row("A1", "First lesson")]
    cst = cst if cst is not None else ['"root","A1"']
    files: dict[str, bytes | str] = {
        f"{stem}.crs": CRS.format(total=len(aus) if total is None else total, description=description),
        f"{stem}.au": "\n".join([AU_HEADER, *aus]),
        f"{stem}.des": "\n".join([DES_HEADER, *des]),
        "index.html": HTML,
    }
    if cst:
        files[f"{stem}.cst"] = "\n".join(['"block","member"', *cst])
    return {name: data.replace("\n", newline) if isinstance(data, str) else data for name, data in files.items()}


# --- cmi5 -----------------------------------------------------------------------------------------------------


def langstrings(*pairs: tuple[str, str]) -> str:
    return "".join(f'<langstring lang="{lang}">{value}</langstring>' for lang, value in pairs)


def text_element(name: str, value: str, lang: str = "en-US") -> str:
    return f"<{name}>{langstrings((lang, value))}</{name}>"


def cmi5_au(
    iri: str = "https://example.com/au/1",
    url: str = "index.html",
    *,
    attrs: str = "",
    title: str = "Lesson one",
    body: str | None = None,
) -> str:
    inner = (
        body
        if body is not None
        else (f"{text_element('title', title)}{text_element('description', 'About lesson one')}<url>{url}</url>")
    )
    return f'<au id="{iri}" {attrs}>{inner}</au>'


def cmi5_block(iri: str, *members: str, title: str = "Block") -> str:
    return (
        f'<block id="{iri}">{text_element("title", title)}{text_element("description", "d")}{"".join(members)}</block>'
    )


def cmi5_xml(*members: str, course_id: str = COURSE_IRI, course_body: str | None = None, before: str = "") -> str:
    course = (
        course_body
        if course_body is not None
        else (f"{text_element('title', 'cmi5 Test Course')}{text_element('description', 'A course about testing')}")
    )
    body = "".join(members) if members else cmi5_au()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<courseStructure xmlns="{CMI5_NS}"><course id="{course_id}">{course}</course>{before}{body}</courseStructure>'
    )


# --- xAPI -----------------------------------------------------------------------------------------------------


def tincan_activity(
    activity_id: str = "http://example.com/course",
    launch: str | None = "index.html",
    *,
    activity_type: str = "http://adlnet.gov/expapi/activities/course",
    name: str = '<name lang="en-US">Tin Can Course</name>',
) -> str:
    launch_xml = f'<launch lang="en-us">{launch}</launch>' if launch is not None else ""
    return (
        f'<activity id="{activity_id}" type="{activity_type}">{name}'
        f'<description lang="en-US">About the course</description>{launch_xml}</activity>'
    )


def tincan_xml(*activities: str) -> str:
    body = "".join(activities) if activities else tincan_activity()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>{body}</activities></tincan>'
    )
