"""ADL conformance requirement ids about statements with attachments over HTTP (xAPI 2.0.0 §4.1.3, §4.2.2.6; 1.0.3
Communication §1.5 and Data §2.4.11): each malformed request in the table is refused with 400 and stores nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.integration.xapi.lrs_helpers import Lrs, make_statement, new_id
from tests.integration.xapi.test_statement_attachments import BOUNDARY, attachment_of, multipart, part_headers

DATA = b"lab report, page one"


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth)


def good(statement_id: str) -> bytes:
    statement = make_statement(id=statement_id, attachments=[attachment_of(DATA)])
    return multipart(statement, [(DATA, part_headers(DATA))])


def without_header(name: str) -> Callable[[str], bytes]:
    def body(statement_id: str) -> bytes:
        headers = {k: v for k, v in part_headers(DATA).items() if k != name}
        return multipart(make_statement(id=statement_id, attachments=[attachment_of(DATA)]), [(DATA, headers)])

    return body


def extra_part(statement_id: str) -> bytes:
    statement = make_statement(id=statement_id, attachments=[attachment_of(DATA)])
    return multipart(statement, [(DATA, part_headers(DATA)), (b"stray", part_headers(b"stray"))])


def no_boundary_before_part(statement_id: str) -> bytes:
    return good(statement_id).replace(
        f"\r\n--{BOUNDARY}\r\nContent-Type: text/plain".encode(), b"\r\nContent-Type: text/plain"
    )


def statement_not_first(statement_id: str) -> bytes:
    statement = make_statement(id=statement_id, attachments=[attachment_of(DATA)])
    head = f"--{BOUNDARY}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in part_headers(DATA).items()) + "\r\n"
    tail = f"\r\n--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n{json.dumps(statement)}\r\n--{BOUNDARY}--\r\n"
    return head.encode() + DATA + tail.encode()


def first_part_not_json(statement_id: str) -> bytes:
    return good(statement_id).replace(b"Content-Type: application/json", b"Content-Type: text/plain", 1)


MULTIPART = f"multipart/mixed; boundary={BOUNDARY}"
# (requirement id, what is wrong, the body, its Content-Type)
BROKEN: list[tuple[str, str, Callable[[str], bytes], str]] = [
    ("XAPI-00127", "attachments sent as text/plain", good, "text/plain"),
    ("XAPI-00128", "a part that no attachment describes", extra_part, MULTIPART),
    ("XAPI-00129", "application/json with an attachment that has no fileUrl",
     lambda sid: json.dumps(make_statement(id=sid, attachments=[attachment_of(DATA)])).encode(), "application/json"),
    ("XAPI-00130", "a part without a boundary before its Content-Type", no_boundary_before_part, MULTIPART),
    ("XAPI-00131", "multipart/mixed without a boundary parameter", good, "multipart/mixed"),
    ("XAPI-00132", "a part without X-Experience-API-Hash", without_header("X-Experience-API-Hash"), MULTIPART),
    ("XAPI-00133", "the statements not in the first part", statement_not_first, MULTIPART),
    ("XAPI-00134", "a first part that is not application/json", first_part_not_json, MULTIPART),
    ("XAPI-00135", "a part without Content-Transfer-Encoding: binary", without_header("Content-Transfer-Encoding"),
     MULTIPART),
]  # fmt: skip


@pytest.mark.parametrize(("requirement", "what", "body", "content_type"), BROKEN, ids=[r[0] for r in BROKEN])
def test_a_malformed_attachment_request_is_400_and_stores_nothing(
    lrs: Lrs, requirement: str, what: str, body: Callable[[str], bytes], content_type: str
) -> None:
    statement_id = new_id()
    answer = lrs.request("POST", "/statements", headers={"Content-Type": content_type}, content=body(statement_id))
    assert answer.status_code == 400, (requirement, what, answer.text)
    assert lrs.get(statementId=statement_id).status_code == 404


def test_the_well_formed_request_the_table_breaks_is_accepted(lrs: Lrs) -> None:
    statement_id = new_id()
    headers = {"Content-Type": MULTIPART}
    answer = lrs.request("POST", "/statements", headers=headers, content=good(statement_id))
    assert answer.status_code == 200, answer.text
    assert lrs.get(statementId=statement_id).status_code == 200
