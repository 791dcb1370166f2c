"""The canonical record's bytes and hash: sorted keys, no insignificant whitespace, UTF-8 (ADR 0001).

The record's SHA-256 over these bytes is its identity: signatures bind it, the PDF prints it and
the transparency log carries it. The portal builds records with app.signoff.canonical and hashes
them here, so a verifier and the portal can never disagree on the rule.
"""

from __future__ import annotations

import hashlib
import json


def canonical_bytes(record: dict) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_hash(record: dict) -> str:
    return sha256_hex(canonical_bytes(record))
