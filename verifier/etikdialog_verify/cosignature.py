"""C2SP tlog-cosignature, Ed25519 (`cosignature/v1`): a witness's timestamped signature on a
checkpoint (https://c2sp.org/tlog-cosignature). Pure: no Flask, no database.

A cosignature is a note signature line ``— <witness name> base64(key ID || u64 timestamp ||
signature)`` whose key ID is SHA-256(name || "\\n" || 0x04 || public key)[:4], and whose Ed25519
signature covers ``cosignature/v1\\ntime <timestamp>\\n`` followed by the checkpoint's note text. It
says: at that time, this was the largest tree the witness had seen of that log, consistent with
every earlier one it saw.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from etikdialog_verify import note

HEADER = "cosignature/v1\n"
MAX_TIMESTAMP = 2**63 - 1
# A cosignature dated further ahead than this is refused: a witness's clock may be a little fast.
FUTURE_SLACK_SECONDS = 600


@dataclass(frozen=True)
class Cosignature:
    witness: str  # the witness's key name
    timestamp: int  # POSIX seconds


def verifier_key(name: str, private_key: Ed25519PrivateKey) -> str:
    """The witness's verifier key string (signature type 0x04)."""
    return note.verifier_key(name, note.raw_public_key(private_key), note.ALG_COSIGNATURE_V1)


def signed_message(text: str, timestamp: int) -> bytes:
    return f"{HEADER}time {timestamp}\n{text}".encode()


def sign(text: str, name: str, private_key: Ed25519PrivateKey, timestamp: int | None = None) -> str:
    """One cosignature line (ending in a newline) on the checkpoint note text ``text``."""
    if not note.valid_key_name(name):
        raise note.NoteError(f"invalid key name {name!r}")
    timestamp = int(time.time()) if timestamp is None else timestamp
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise note.NoteError("cosignature timestamp out of range")
    signature = private_key.sign(signed_message(text, timestamp))
    key = note.key_id(name, note.raw_public_key(private_key), note.ALG_COSIGNATURE_V1)
    blob = base64.b64encode(key + timestamp.to_bytes(8, "big") + signature).decode("ascii")
    return f"{note.SIGNATURE_PREFIX}{name} {blob}\n"


def verify(signed_note: str, vkey: str, *, now: float | None = None) -> Cosignature:
    """The witness's cosignature on the note, checked; NoteError if it carries none that verifies.
    Signature lines by other keys (the log's own, other witnesses') are ignored."""
    key = note.parse_verifier_key(vkey, note.ALG_COSIGNATURE_V1)
    text, signatures = note.split(signed_note)
    public = Ed25519PublicKey.from_public_bytes(key.public_key)
    for line in signatures:
        if line.name != key.name or line.key_id != key.key_id:
            continue
        if len(line.signature) != 8 + 64:
            raise note.NoteError(f"the cosignature by {key.name} is malformed")
        timestamp = int.from_bytes(line.signature[:8], "big")
        if timestamp > MAX_TIMESTAMP or timestamp > (now if now is not None else time.time()) + FUTURE_SLACK_SECONDS:
            raise note.NoteError(f"the cosignature by {key.name} is dated in the future")
        try:
            public.verify(line.signature[8:], signed_message(text, timestamp))
        except InvalidSignature:
            raise note.NoteError(f"the cosignature by {key.name} does not verify") from None
        return Cosignature(key.name, timestamp)
    raise note.NoteError(f"the checkpoint carries no cosignature by {key.name}")


def quorum(signed_note: str, vkeys: list[str], *, now: float | None = None) -> list[Cosignature]:
    """The valid cosignatures on the note among the given witnesses (one per witness)."""
    found = []
    for vkey in dict.fromkeys(vkeys):
        try:
            found.append(verify(signed_note, vkey, now=now))
        except note.NoteError:
            continue
    return found
