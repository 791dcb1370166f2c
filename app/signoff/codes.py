"""Verification codes: three groups of four characters from Crockford's base32 (7K2M-9QXD-4HTA)."""

import re
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
# Crockford's reading rules: people mistype these, so accept them.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    characters = "".join(secrets.choice(CROCKFORD) for _ in range(12))
    return "-".join(characters[i : i + 4] for i in range(0, 12, 4))


def normalise(text: str) -> str | None:
    """A code as typed (any case, spaces or hyphens, O for 0) → canonical form, or None."""
    cleaned = re.sub(r"[\s-]", "", (text or "")[:40]).upper().translate(_READ_AS)
    if len(cleaned) != 12:
        return None
    code = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    return code if CODE_PATTERN.match(code) else None
