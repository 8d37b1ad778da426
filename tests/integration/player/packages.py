"""Courses built in code for the player tests: SCO pages that find the run-time API the standard way, SCORM 1.2 and
2004 packages (the 2004 one with control modes and run-time details in its manifest) and an AICC course whose AU
pages speak HACP."""

from __future__ import annotations

from tests.support.packages import NS_12, NS_2004, Sco, ScormPackage, zip_bytes

# The API discovery algorithm of SCORM 1.2 RTE 3.3.6.1 / SCORM 2004 RTE 3.1.4.1: the parent chain, then the opener's.
SCO_SCRIPT = """
function coursehostFind(win, name) {
  for (var tries = 0; win && !win[name] && win.parent && win.parent !== win && tries < 10; tries += 1) win = win.parent;
  return win && win[name] ? win[name] : null;
}
function coursehostApi(name) {
  return coursehostFind(window, name) || (window.opener ? coursehostFind(window.opener, name) : null);
}
window.sco = { api12: coursehostApi("API"), api2004: coursehostApi("API_1484_11"), loadedAt: null };
window.addEventListener("load", function () { window.sco.loadedAt = performance.now(); });
"""

# An AU asks for its state and reports through HACP at aicc_url, naming itself with aicc_sid.
AU_SCRIPT = """
var query = new URLSearchParams(window.location.search);
window.au = {
  sid: query.get("aicc_sid"),
  url: query.get("aicc_url"),
  send: function (command, data) {
    var body = new URLSearchParams({ command: command, version: "2.2", session_id: window.au.sid,
      AICC_Data: data || "" });
    return fetch(window.au.url, { method: "POST", body: body }).then(function (r) { return r.text(); });
  },
};
"""


def sco_page(title: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title><script>{SCO_SCRIPT}</script>"
        f"</head><body><h1 id='title'>{title}</h1></body></html>"
    ).encode()


def au_page(title: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title><script>{AU_SCRIPT}</script>"
        f"</head><body><h1 id='title'>{title}</h1></body></html>"
    ).encode()


def scorm12_course(title: str = "Player 1.2", count: int = 2) -> bytes:
    scos = [Sco(f"i{n}", f"Lesson {n}", f"sco{n}.html", sco_page(f"Lesson {n}")) for n in range(1, count + 1)]
    return ScormPackage(title=title, version="1.2", scos=scos).to_bytes()


def scorm2004_manifest(
    title: str, count: int, *, flow: bool = True, forward_only: bool = False, choice_exit: bool = True
) -> str:
    items = "".join(
        f'<item identifier="i{n}" identifierref="r{n}"><title>Lesson {n}</title>'
        + (
            '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>'
            "<adlcp:dataFromLMS>launch-data-1</adlcp:dataFromLMS>"
            '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="obj-1"/>'
            '<imsss:objective objectiveID="obj-2"/></imsss:objectives></imsss:sequencing>'
            if n == 1
            else ""
        )
        + (
            '<imsss:sequencing><imsss:controlMode choiceExit="false"/></imsss:sequencing>'
            if n == 2 and not choice_exit
            else ""
        )
        # Lesson 1 writes a shared data store that lesson 2 may only read.
        + ('<adlcp:data><adlcp:map targetID="com.example.notes"/></adlcp:data>' if n == 1 else "")
        + (
            '<adlcp:data><adlcp:map targetID="com.example.notes" readSharedData="true" writeSharedData="false"/>'
            "</adlcp:data>"
            if n == 2
            else ""
        )
        + "</item>"
        for n in range(1, count + 1)
    )
    resources = "".join(
        f'<resource identifier="r{n}" type="webcontent" adlcp:scormType="sco" href="sco{n}.html">'
        f'<file href="sco{n}.html"/></resource>'
        for n in range(1, count + 1)
    )
    control = f'<imsss:controlMode choice="true" flow="{str(flow).lower()}" forwardOnly="{str(forward_only).lower()}"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<manifest identifier="m2004" version="1" {NS_2004}>'
        "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
        f'<organizations default="org"><organization identifier="org"><title>{title}</title>{items}'
        f"<imsss:sequencing>{control}</imsss:sequencing></organization></organizations>"
        f"<resources>{resources}</resources></manifest>"
    )


def scorm2004_course(title: str = "Player 2004", count: int = 3, **control: bool) -> bytes:
    files: dict[str, bytes | str] = {"imsmanifest.xml": scorm2004_manifest(title, count, **control)}
    for n in range(1, count + 1):
        files[f"sco{n}.html"] = sco_page(f"Lesson {n}")
    return zip_bytes(files)


def aicc_course(title: str = "Player AICC") -> bytes:
    crs = (
        "[Course]\nCourse_Creator=coursehost\nCourse_ID=AICC-1\nCourse_System=HTML\n"
        f"Course_Title={title}\nLevel=1\nMax_Fields_CST=3\nTotal_AUs=2\nTotal_Blocks=0\nVersion=3.0\n"
        "[Course_Behavior]\nMax_Normal=1\n[Course_Description]\nA course that speaks HACP.\n"
    )
    au = (
        '"System_ID","Type","File_Name","Command_Line","Max_Score","Mastery_Score","Web_Launch","AU_Password"\n'
        '"A1","lesson","au1.html","","100","80","",""\n'
        '"A2","lesson","au2.html","","100","","",""\n'
    )
    des = (
        '"System_ID","Developer_ID","Title","Description"\n'
        '"A1","dev","Unit one","First"\n'
        '"A2","dev","Unit two","Second"\n'
    )
    cst = '"block","member","member"\n"root","A1","A2"\n'
    return zip_bytes(
        {
            "course.crs": crs,
            "course.au": au,
            "course.des": des,
            "course.cst": cst,
            "au1.html": au_page("Unit one"),
            "au2.html": au_page("Unit two"),
        }
    )


def nested_scorm12_course(title: str = "Player nested") -> bytes:
    """A SCORM 1.2 course whose parent items reference resources too (as eXe writes them): P and C1 have children
    and content of their own. Flow order: p, c1, g, c2."""
    items = (
        '<item identifier="P" identifierref="rP"><title>Parent</title>'
        '<item identifier="C1" identifierref="rC1"><title>Child one</title>'
        '<item identifier="G" identifierref="rG"><title>Grandchild</title></item></item>'
        '<item identifier="C2" identifierref="rC2"><title>Child two</title></item></item>'
    )
    pages = {"rP": "p.html", "rC1": "c1.html", "rG": "g.html", "rC2": "c2.html"}
    resources = "".join(
        f'<resource identifier="{ref}" type="webcontent" adlcp:scormtype="sco" href="{href}"/>'
        for ref, href in pages.items()
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest identifier="nested" version="1" {NS_12}>'
        "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
        f'<organizations default="org"><organization identifier="org"><title>{title}</title>{items}'
        f"</organization></organizations><resources>{resources}</resources></manifest>"
    )
    files: dict[str, bytes | str] = {"imsmanifest.xml": manifest}
    files |= {href: sco_page(href) for href in pages.values()}
    return zip_bytes(files)
