"""C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint). Pure: no Flask, no database.

A checkpoint is the note text ``<origin>\\n<tree size in decimal>\\n<base64 root hash>\\n``,
optionally followed by extension lines, signed as a C2SP signed-note by the log's key, whose
name is the origin.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from etikdialog_verify import note

DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def origin_for(base_url: str) -> str:
    """The log's origin: the portal's public base URL without its scheme or a trailing slash."""
    origin = base_url.split("://", 1)[-1].rstrip("/")
    if not origin or any(c.isspace() for c in origin):
        raise ValueError(f"no usable origin in {base_url!r}")
    return origin


def body(origin: str, size: int, root: bytes) -> str:
    if not origin or "\n" in origin or size < 0 or len(root) != 32:
        raise ValueError("invalid checkpoint")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode('ascii')}\n"


def parse(text: str) -> Checkpoint:
    """Read a checkpoint body (the note's text, already verified)."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise note.NoteError("malformed checkpoint")
    origin, size, root, *extensions = lines[:-1]
    if not origin or not DECIMAL.fullmatch(size) or any(not line for line in extensions):
        raise note.NoteError("malformed checkpoint")
    try:
        raw = base64.b64decode(root, validate=True)
    except (ValueError, binascii.Error):
        raise note.NoteError("malformed checkpoint: the root hash is not base64") from None
    if len(raw) != 32:
        raise note.NoteError("malformed checkpoint: the root hash is not 32 bytes")
    return Checkpoint(origin, int(size), raw, tuple(extensions))


def open_checkpoint(signed: str, vkey: str) -> Checkpoint:
    """Verify a signed checkpoint against the log's verifier key and read it. The origin must be
    the key's name (the log signs as its origin)."""
    checkpoint = parse(note.open_note(signed, vkey))
    if checkpoint.origin != note.parse_verifier_key(vkey).name:
        raise note.NoteError("the checkpoint's origin is not the key's name")
    return checkpoint
