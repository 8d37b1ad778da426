"""Statement attachments (xAPI 2.0.0 §4.2.2.6 and §4.1.6.1 multipart, 1.0.3 Data 2.4.11 and Communication 1.5.2):
the multipart/mixed request and answer, matching parts to attachments by SHA-2, keeping their bytes in storage, and
signed statements (a JWS in an attachment, xAPI 2.0.0 §4.2.6, 1.0.3 Data 2.6).

Bytes are stored under ``xapi/attachments/<app>/<sha2>`` (content-addressed, written once, shared by every statement
that carries the same file). They are written before the request's transaction commits; a request that then fails
leaves a file no row names, which is harmless (the same content is what a retry writes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from coursehost.context import Context
from coursehost.kit.errors import BadRequest
from coursehost.xapi import formats
from coursehost.xapi.statements import repository as repo
from coursehost.xapi.statements.shaping import comparable
from coursehost.xapi.statements.validation import SIGNATURE_USAGE

HASH_HEADER = "x-experience-api-hash"
_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}
_SIGNING_ALGORITHMS = {"RS256": "sha256", "RS384": "sha384", "RS512": "sha512"}
_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    content_type: str
    data: bytes


def storage_key(app_pk: int, sha2: str) -> str:
    return f"xapi/attachments/{app_pk}/{sha2[:2]}/{sha2}"


def digest(sha2: str, data: bytes) -> str:
    algorithm = _HASHES.get(len(sha2), hashlib.sha256)
    return algorithm(data).hexdigest()


def _split_parts(content_type: str, body: bytes) -> list[tuple[dict[str, str], bytes]]:
    match = _BOUNDARY.search(content_type)
    if match is None:
        raise BadRequest("Invalid request: a multipart/mixed body needs a boundary")
    delimiter = b"--" + (match.group(1) or match.group(2)).encode("latin-1")
    chunks = (b"\r\n" + body).split(b"\r\n" + delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise BadRequest("Invalid request: the multipart/mixed body is not complete (no closing boundary)")
    parts = []
    for chunk in chunks[1:-1]:
        head, separator, data = chunk.partition(b"\r\n\r\n")
        if not separator:
            head, separator, data = chunk.partition(b"\r\n")  # a part without headers
            head = b""
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        parts.append((headers, data))
    return parts


def parse_multipart(content_type: str, body: bytes) -> tuple[Any, dict[str, Part]]:
    """The statement(s) of a multipart/mixed request and its attachment parts by SHA-2 (xAPI 2.0.0 §4.1.6.1
    multipart requirements): the first part is the JSON, every other one carries X-Experience-API-Hash and
    Content-Transfer-Encoding: binary and must hash to what it claims."""
    parts = _split_parts(content_type, body)
    if not parts:
        raise BadRequest("Invalid request: the multipart/mixed body has no parts")
    first_headers, first = parts[0]
    if first_headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise BadRequest("Invalid request: the first part of a multipart/mixed body must be application/json")
    try:
        statements = formats.load_statements_json(first)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"Invalid request: the statement part is not JSON ({str(exc)[:200]})") from None
    found: dict[str, Part] = {}
    for headers, data in parts[1:]:
        sha2 = headers.get(HASH_HEADER, "").lower()
        if not sha2:
            raise BadRequest("Invalid request: an attachment part has no X-Experience-API-Hash header")
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            raise BadRequest("Invalid request: an attachment part must have Content-Transfer-Encoding: binary")
        if digest(sha2, data) != sha2:
            raise BadRequest(f"Invalid request: the attachment part's content does not hash to {sha2}")
        found[sha2] = Part(headers.get("content-type", "application/octet-stream"), data)
    return statements, found


def _attachments(statements: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(st, a) for st in statements for a in st.get("attachments", [])]


def check_parts(statements: list[dict[str, Any]], parts: Mapping[str, Part]) -> None:
    """Every attachment without a fileUrl has its part, every part belongs to an attachment, and every signature
    attachment holds a valid signature of its statement."""
    used: set[str] = set()
    for statement, attachment in _attachments(statements):
        sha2 = attachment["sha2"].lower()
        if sha2 in parts:
            used.add(sha2)
        elif "fileUrl" not in attachment:
            raise BadRequest(f"Invalid request: the attachment {sha2} has no fileUrl and its part was not sent")
        if attachment["usageType"] == SIGNATURE_USAGE:
            if attachment["contentType"].split(";")[0].strip().lower() != "application/octet-stream":
                raise BadRequest(
                    "Invalid request: a signature attachment's contentType must be application/octet-stream"
                )
            if sha2 not in parts:
                raise BadRequest("Invalid request: a signature attachment's part was not sent")
            check_signature(statement, parts[sha2].data)
    unused = set(parts) - used
    if unused:
        raise BadRequest(f"Invalid request: the part {sorted(unused)[0]} is not one of the statements' attachments")


def _b64(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise BadRequest("Invalid request: the statement's signature is not a JWS (bad base64url)") from None


def check_signature(statement: dict[str, Any], jws: bytes) -> None:
    """A signature attachment holds a compact JWS (RFC 7515) signed with RS256/384/512 whose payload is the statement
    as it was before the signature was attached. With an X.509 certificate in the header (``x5c``), the signature
    is verified against it; without one the LRS has no key to verify with and checks the rest."""
    try:
        header_b64, payload_b64, signature_b64 = jws.decode("ascii").strip().split(".")
        header = json.loads(_b64(header_b64))
        payload = json.loads(_b64(payload_b64))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest(
            "Invalid request: the statement's signature is not a compact JWS with JSON header and payload"
        ) from None
    if not isinstance(header, dict) or str(header.get("alg")) not in _SIGNING_ALGORITHMS:
        raise BadRequest("Invalid request: a statement signature must use RS256, RS384 or RS512")
    if not isinstance(payload, dict):
        raise BadRequest("Invalid request: the statement signature's payload is not a statement")
    unsigned = {k: v for k, v in statement.items() if k != "attachments"}
    payload = {k: v for k, v in payload.items() if k != "attachments"}
    try:
        differs = comparable(payload) != comparable(unsigned)
    except RecursionError:  # a payload nested beyond reason is no statement
        differs = True
    if differs or payload.get("id", statement.get("id")) != statement.get("id"):
        raise BadRequest("Invalid request: the statement signature's payload differs from the statement")
    if "x5c" in header:
        _verify_with_certificate(header, f"{header_b64}.{payload_b64}".encode(), _b64(signature_b64))


def _verify_with_certificate(header: dict[str, Any], signed: bytes, signature: bytes) -> None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    chain = header["x5c"]
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
    except (ValueError, TypeError, IndexError, KeyError, binascii.Error):
        raise BadRequest("Invalid request: the signature's x5c certificate cannot be read") from None
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise BadRequest("Invalid request: the signature's certificate does not hold an RSA key")
    algorithm = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[
        _SIGNING_ALGORITHMS[header["alg"]]
    ]
    try:
        key.verify(signature, signed, padding.PKCS1v15(), algorithm)
    except InvalidSignature:
        raise BadRequest("Invalid request: the statement's signature does not verify with its certificate") from None


def save_parts(
    session: Session, ctx: Context, app_pk: int, statements: list[dict[str, Any]], parts: Mapping[str, Part]
) -> None:
    for _, attachment in _attachments(statements):
        sha2 = attachment["sha2"].lower()
        part = parts.get(sha2)
        if part is None or repo.attachment(session, app_pk, sha2) is not None:
            continue
        key = storage_key(app_pk, sha2)
        if ctx.storage.size(key) != len(part.data):
            ctx.storage.put_stream(key, io.BytesIO(part.data))
        repo.add_attachment(session, app_pk, sha2, attachment["contentType"], len(part.data))


def build_multipart(statement_json: bytes, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/mixed answer: the JSON, then each (sha2, content type, bytes) as a binary part."""
    boundary = "xapi-" + secrets.token_hex(16)
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), statement_json]
    for sha2, content_type, data in files:
        out.append(
            f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode()
        )
        out.append(data)
    out.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/mixed; boundary={boundary}"


def load_files(ctx: Context, session: Session, app_pk: int, sha2s: Iterable[str]) -> list[tuple[str, str, bytes]]:
    files = []
    for sha2 in dict.fromkeys(sha2s):
        row = repo.attachment(session, app_pk, sha2)
        if row is None:
            continue
        with ctx.storage.open(storage_key(app_pk, sha2)) as handle:
            files.append((sha2, row.content_type, handle.read()))
    return files
