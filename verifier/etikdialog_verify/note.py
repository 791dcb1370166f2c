"""C2SP signed-note with Ed25519 signatures (https://c2sp.org/signed-note). Pure: no Flask, no
database; only the `cryptography` package for Ed25519.

A note is UTF-8 text ending in a newline, then a blank line, then one line per signature:
``— <key name> <base64(4-byte key ID || signature)>``. The key ID of an Ed25519 key is the first
four bytes of SHA-256(name || 0x0A || 0x01 || 32-byte public key); the verifier key string is
``<name>+<key ID as 8 hex digits>+<base64(0x01 || public key)>``, as golang.org/x/mod/sumdb/note
writes it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04  # C2SP tlog-cosignature: a timestamped Ed25519 signature (cosignature.py)
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """The note, key or signature is malformed or does not verify."""


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes  # 4 bytes
    public_key: bytes  # 32 bytes, raw Ed25519


def valid_key_name(name: str) -> bool:
    """Non-empty, printable, no whitespace and no '+' (the key string's separator)."""
    return bool(name) and name.isprintable() and not any(c.isspace() or c == "+" for c in name)


def key_id(name: str, public_key: bytes, algorithm: int = ALG_ED25519) -> bytes:
    """The four-byte key ID: SHA-256(name || "\\n" || algorithm || key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([algorithm]) + public_key).digest()[:4]


def raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def verifier_key(name: str, public_key: bytes, algorithm: int = ALG_ED25519) -> str:
    """``name+hexkeyid+base64(algorithm||key)``, the string a verifier is configured with."""
    if not valid_key_name(name):
        raise NoteError(f"invalid key name {name!r}")
    material = base64.b64encode(bytes([algorithm]) + public_key).decode("ascii")
    return f"{name}+{key_id(name, public_key, algorithm).hex()}+{material}"


def parse_verifier_key(vkey: str, algorithm: int = ALG_ED25519) -> VerifierKey:
    """Read a verifier key string of the given algorithm; its key ID must match its name and key."""
    name, sep1, rest = vkey.partition("+")
    hex_id, sep2, material = rest.partition("+")
    if not (sep1 and sep2) or not valid_key_name(name) or len(hex_id) != 8:
        raise NoteError("malformed verifier key")
    try:
        wanted_id = bytes.fromhex(hex_id)
        raw = base64.b64decode(material, validate=True)
    except (ValueError, binascii.Error):
        raise NoteError("malformed verifier key") from None
    if hex_id != hex_id.lower() or base64.b64encode(raw).decode("ascii") != material:
        raise NoteError("malformed verifier key")
    if len(raw) != 33 or raw[0] != algorithm:
        raise NoteError("verifier key is not an Ed25519 key" if algorithm == ALG_ED25519 else "not a cosigner key")
    if key_id(name, raw[1:], algorithm) != wanted_id:
        raise NoteError("verifier key ID does not match its name and key")
    return VerifierKey(name, wanted_id, raw[1:])


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end in a newline")
    if any((ord(c) < 0x20 and c != "\n") or c == "\ufffd" for c in text):
        raise NoteError("note text holds control characters")


def sign(text: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signed note: ``text``, a blank line and one Ed25519 signature by key ``name``."""
    _check_text(text)
    if not valid_key_name(name):
        raise NoteError(f"invalid key name {name!r}")
    signature = private_key.sign(text.encode("utf-8"))
    blob = base64.b64encode(key_id(name, raw_public_key(private_key)) + signature).decode("ascii")
    return f"{text}\n{SIGNATURE_PREFIX}{name} {blob}\n"


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes


def split(note: str) -> tuple[str, list[Signature]]:
    """The note's text and its signature lines, parsed but not verified."""
    if not note.endswith("\n"):
        raise NoteError("malformed note: it must end in a newline")
    at = note.rfind("\n\n")
    if at < 0:
        raise NoteError("malformed note: no signature block")
    text, block = note[: at + 1], note[at + 2 :]
    _check_text(text)
    signatures = []
    for line in block.split("\n")[:-1]:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("malformed note: a signature line does not start with an em dash")
        name, space, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
        if not space or not valid_key_name(name):
            raise NoteError("malformed note: a signature line has no valid key name")
        try:
            raw = base64.b64decode(blob, validate=True)
        except (ValueError, binascii.Error):
            raise NoteError("malformed note: a signature is not base64") from None
        if len(raw) < 5:
            raise NoteError("malformed note: a signature is too short")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise NoteError("malformed note: no signatures, or too many")
    return text, signatures


def open_note(note: str, vkey: str) -> str:
    """The note's text, when it carries a valid signature by ``vkey``; else NoteError.
    Signatures by other keys are ignored, as the spec requires."""
    key = parse_verifier_key(vkey)
    text, signatures = split(note)
    public = Ed25519PublicKey.from_public_bytes(key.public_key)
    for signature in signatures:
        if signature.name == key.name and signature.key_id == key.key_id:
            try:
                public.verify(signature.signature, text.encode("utf-8"))
            except InvalidSignature:
                raise NoteError("the note's signature does not verify") from None
            return text
    raise NoteError(f"the note carries no signature by {key.name}")
