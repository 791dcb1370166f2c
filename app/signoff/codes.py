"""Verification codes: three groups of four characters from Crockford's base32 (7K2M-9QXD-4HTA)."""

import re
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
# Crockford's decoding rules: O reads as 0, I and L as 1. U is not in the alphabet and Crockford
# maps it to nothing, so a code with a U is not a code.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    characters = "".join(secrets.choice(CROCKFORD) for _ in range(12))
    return "-".join(characters[i : i + 4] for i in range(0, 12, 4))


def normalise(text: str) -> str | None:
    """A code as typed (any case, spaces or hyphens, O for 0, I or L for 1) → its canonical form,
    or None when it is not a code. The one reading of a typed code, for /verificer and the API."""
    cleaned = re.sub(r"[\s-]", "", (text or "")[:40]).upper().translate(_READ_AS)
    if len(cleaned) != 12:
        return None
    code = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    return code if CODE_PATTERN.match(code) else None
