#!/usr/bin/env python3
"""Verify a printed luban certificate with only the file and the issuer's public key.

Written from docs/VERIFYING.md alone, as anyone could (a test holds it to agree with luban):
    python3 Scripts/verify-certificate.py CERTIFICATE.txt ed25519:BASE64
    python3 Scripts/verify-certificate.py CERTIFICATE.pdf ed25519:BASE64
    python3 Scripts/verify-certificate.py QR-TEXT.txt ed25519:BASE64   (what the QR code holds)
Prints VALID, REVOKED or INVALID with the number; exit 0 only for VALID.
Needs Python 3 and the `cryptography` and `pypdf` packages (pip install cryptography pypdf).
"""
import base64
import io
import hashlib
import logging
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pypdf import PdfReader

logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a malformed PDF is a verdict, not a log

DOMAIN = b"luban printed certificate v2\n"
SIG_PREFIXES = ["| 签名 Ed25519 (1/2): ".encode(), "| 签名 Ed25519 (2/2): ".encode()]
PART = 44


def normalised_lines(data: bytes) -> list:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = [line.rstrip(b" \t\r") for line in data.split(b"\n")]
    while lines and lines[-1] == b"":
        lines.pop()
    return lines


def field(line: bytes, prefix: str):
    p = prefix.encode()
    if not line.startswith(p):
        return None
    return line[len(p):].rstrip(b" |").decode()


def canonical_b64(text: bytes) -> bytes:
    """The bytes a base64 text spells, refusing any spelling but the canonical one (unused low
    bits of the last character zero): ValueError otherwise."""
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw) != text:
        raise ValueError("non-canonical base64")
    return raw


def verify(data: bytes, public_key: str) -> tuple:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "INVALID", "not UTF-8"
    raw = base64.b64decode(public_key.removeprefix("ed25519:"), validate=True)
    lines = normalised_lines(data)
    n = len(lines)
    if n < 8:
        return "INVALID", "no signature block"
    number = field(lines[n - 6], "| 编号 Number: ")
    status = field(lines[n - 5], "| 状态 Status: ")
    if number is None or status is None or field(lines[n - 2], "| 公钥 Key: ") is None:
        return "INVALID", "no signature block"
    signature = b""
    for k in range(2):
        line = lines[n - 4 + k]
        p = SIG_PREFIXES[k]
        if not line.startswith(p) or len(line) < len(p) + PART:
            return "INVALID", "no signature block"
        signature += line[len(p):len(p) + PART]
        lines[n - 4 + k] = line[:len(p)] + b"#" * PART + line[len(p) + PART:]
    message = DOMAIN + b"".join(line + b"\n" for line in lines)
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(canonical_b64(signature), message)
    except (InvalidSignature, ValueError):
        return "INVALID", "signature does not match (key fingerprint %s)" % hashlib.sha256(raw).hexdigest()[:16]
    if status.startswith("已撤销 REVOKED"):
        return "REVOKED", number + " " + status[len("已撤销 REVOKED"):].strip()
    return "VALID", number


STATEMENT_DOMAIN = b"luban certificate statement v1\n"
PDF_KEYWORD = "luban-statement-v1:"


def verify_statement(data: bytes, public_key: str) -> tuple:
    raw = base64.b64decode(public_key.removeprefix("ed25519:"), validate=True)
    lines = normalised_lines(data)
    while lines and lines[0].strip() == b"":
        lines.pop(0)
    if not lines or not lines[-1].startswith("签名 ".encode()):
        return "INVALID", "no signature line"
    parts = lines[-1][len("签名 ".encode()):].split(b" ")
    if len(parts) != 2:
        return "INVALID", "no signature line"
    body = lines[:-1]
    message = STATEMENT_DOMAIN + b"".join(line + b"\n" for line in body)
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(canonical_b64(parts[1]), message)
    except (InvalidSignature, ValueError):
        return "INVALID", "signature does not match"
    number = next((l[len("编号 ".encode()):].decode() for l in body if l.startswith("编号 ".encode())), "?")
    revoked = next((l for l in body if l.startswith("状态 已撤销 REVOKED".encode())), None)
    if revoked is not None:
        return "REVOKED", number + " " + revoked[len("状态 已撤销 REVOKED".encode()):].decode().strip()
    return "VALID", number


def verify_any(data: bytes, public_key: str) -> tuple:
    if data.startswith(b"%PDF"):
        # The document information as a PDF reader reads it (pypdf: the trailer's /Info through
        # cross-reference tables or streams; after incremental updates, the last one counts).
        try:
            keywords = str((PdfReader(io.BytesIO(data)).metadata or {}).get("/Keywords") or "")
        except Exception as problem:  # a malformed PDF is an invalid certificate, not a crash
            return "INVALID", "unreadable PDF (%s)" % type(problem).__name__
        start = keywords.find(PDF_KEYWORD)
        if start < 0:
            return "INVALID", "no statement in the PDF"
        encoded = keywords[start + len(PDF_KEYWORD):].split()[0] if keywords[start + len(PDF_KEYWORD):].split() else ""
        try:
            statement = base64.b64decode(encoded, validate=True)
        except ValueError:
            return "INVALID", "no statement in the PDF"
        return verify_statement(statement, public_key)
    if "\n签名 ".encode() in data and "\n编号 ".encode() in data:
        return verify_statement(data, public_key)
    return verify(data, public_key)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], "rb") as f:
            data = f.read()
    except OSError as problem:
        print("INVALID cannot read %s (%s)" % (sys.argv[1], problem.strerror))
        return 1
    verdict, detail = verify_any(data, sys.argv[2].strip())
    print(verdict, detail)
    return 0 if verdict == "VALID" else 1


if __name__ == "__main__":
    sys.exit(main())
