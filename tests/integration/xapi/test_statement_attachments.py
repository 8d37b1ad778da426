"""Attachments and signed statements (xapi/statements/attachments.py): xAPI 2.0.0 §4.2.2.6, §4.1.6.1 multipart,
§4.2.6 signed statements; 1.0.3 Data 2.4.11 and 2.6."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from tests.integration.xapi.lrs_helpers import Lrs, make_statement, new_id

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
BOUNDARY = "-------314159265358979323846"


@pytest.fixture
def lrs(client: TestClient, auth: dict[str, str]) -> Lrs:
    return Lrs(client, auth)


def attachment_of(
    data: bytes, usage: str = "http://example.com/usage", content_type: str = "text/plain"
) -> dict[str, Any]:
    return {
        "usageType": usage,
        "display": {"en-US": "a file"},
        "contentType": content_type,
        "length": len(data),
        "sha2": hashlib.sha256(data).hexdigest(),
    }


def multipart(statement: Any, parts: list[tuple[bytes, dict[str, str]]]) -> bytes:
    out = f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode() + json.dumps(statement).encode()
    for data, headers in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        out += f"\r\n--{BOUNDARY}\r\n{head}\r\n".encode() + data
    return out + f"\r\n--{BOUNDARY}--\r\n".encode()


def part_headers(data: bytes, content_type: str = "text/plain") -> dict[str, str]:
    return {
        "Content-Type": content_type,
        "Content-Transfer-Encoding": "binary",
        "X-Experience-API-Hash": hashlib.sha256(data).hexdigest(),
    }


def send(lrs: Lrs, body: bytes) -> Any:
    headers = {"Content-Type": f"multipart/mixed; boundary={BOUNDARY}"}
    return lrs.request("POST", "/statements", headers=headers, content=body)


def test_attachment_round_trip(lrs: Lrs) -> None:
    data = b"here is a simple attachment"
    statement = make_statement(attachments=[attachment_of(data)])
    response = send(lrs, multipart(statement, [(data, part_headers(data))]))
    assert response.status_code == 200  # XAPI-00147 with an attachment
    sid = response.json()[0]
    plain = lrs.get(statementId=sid)
    assert plain.headers["content-type"].startswith("application/json")  # XAPI-00161
    answer = lrs.get(statementId=sid, attachments="true")
    content_type = answer.headers["content-type"]
    assert content_type.startswith("multipart/mixed; boundary=")  # XAPI-00167
    boundary = content_type.split("boundary=")[1]
    parts = answer.content.split(f"--{boundary}".encode())
    assert json.loads(parts[1].split(b"\r\n\r\n", 1)[1])["id"] == sid
    assert f"X-Experience-API-Hash: {hashlib.sha256(data).hexdigest()}".encode() in parts[2]
    assert parts[2].endswith(data + b"\r\n")


def test_file_url_attachments_need_no_part(lrs: Lrs) -> None:
    remote = attachment_of(b"elsewhere") | {"fileUrl": "http://example.com/file.txt"}
    assert lrs.post(make_statement(attachments=[remote])).status_code == 200


@pytest.mark.parametrize(
    "case", ["missing part", "extra part", "wrong hash", "no transfer encoding", "first part not json"]
)
def test_bad_multipart_requests_are_refused(lrs: Lrs, case: str) -> None:
    data = b"attached"
    statement = make_statement(attachments=[attachment_of(data)])
    headers = part_headers(data)
    parts = [(data, headers)]
    if case == "missing part":
        parts = []
    elif case == "extra part":
        parts.append((b"more", part_headers(b"more")))
    elif case == "wrong hash":
        parts = [(b"other bytes", headers)]
    elif case == "no transfer encoding":
        parts = [(data, {k: v for k, v in headers.items() if k != "Content-Transfer-Encoding"})]
    body = multipart(statement, parts)
    if case == "first part not json":
        body = body.replace(b"Content-Type: application/json", b"Content-Type: text/plain", 1)
    assert send(lrs, body).status_code == 400


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(payload: dict[str, Any], key: rsa.RSAPrivateKey, alg: str = "RS256", x5c: list[str] | None = None) -> bytes:
    header: dict[str, Any] = {"alg": alg} | ({"x5c": x5c} if x5c else {})
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    algorithm = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}.get(alg, hashes.SHA256())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), algorithm)
    return f"{signing_input}.{_b64(signature)}".encode()


def certificate_of(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def send_signed(lrs: Lrs, statement: dict[str, Any], jws: bytes, content_type: str = "application/octet-stream") -> Any:
    signed = statement | {"attachments": [attachment_of(jws, SIGNATURE, content_type)]}
    return send(lrs, multipart(signed, [(jws, part_headers(jws, content_type))]))


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_signed_statements_are_accepted(lrs: Lrs, key: rsa.RSAPrivateKey, alg: str) -> None:
    statement = make_statement(id=new_id())
    assert send_signed(lrs, statement, sign(statement, key, alg)).status_code == 200  # XAPI-00117


def test_signed_statement_refusals(lrs: Lrs, key: rsa.RSAPrivateKey) -> None:
    statement = make_statement(id=new_id())
    good = sign(statement, key)
    assert send_signed(lrs, statement, good, "text/plain").status_code == 400  # XAPI-00115: content type
    assert send_signed(lrs, statement, b"not a jws").status_code == 400  # XAPI-00115: a JWS
    other = make_statement(id=statement["id"], verb={"id": "http://e.com/other"})
    assert send_signed(lrs, statement, sign(other, key)).status_code == 400  # XAPI-00116: the payload
    hs256 = good.split(b".")
    header = _b64(json.dumps({"alg": "HS256"}).encode()).encode()
    assert send_signed(lrs, statement, b".".join([header, *hs256[1:]])).status_code == 400  # XAPI-00117


def test_signatures_with_a_certificate_are_verified(lrs: Lrs, key: rsa.RSAPrivateKey) -> None:
    statement = make_statement(id=new_id())
    certificate = certificate_of(key)
    assert send_signed(lrs, statement, sign(statement, key, x5c=[certificate])).status_code == 200
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = make_statement(id=new_id())
    assert send_signed(lrs, forged, sign(forged, impostor, x5c=[certificate])).status_code == 400


def test_statement_bodies_have_their_own_size_cap(lrs: Lrs) -> None:
    """XAPI-00328: statements over the configured size are refused with 413."""
    # Attachments make statement requests larger than other JSON bodies (COURSEHOST_XAPI_MAX_STATEMENT_BYTES).
    data = b"x" * (1024**2 + 512 * 1024)
    statement = make_statement(attachments=[attachment_of(data)])
    assert send(lrs, multipart(statement, [(data, part_headers(data))])).status_code == 200
