"""The Content-Disposition header of every download, for any file name.

gunicorn writes headers as Latin-1 and refuses anything else, so a name such as
"Konsekvensanalyse – plejecenter.pdf" (an en dash, as Word writes it), "Bøger.pdf" or "報告.pdf"
put straight into `filename="…"` made the download a bare 500. Here the name is given twice, as
RFC 6266 and RFC 5987 ask: `filename="…"` an ASCII-only fallback for old clients, and
`filename*=UTF-8''…` the exact name, percent-encoded. Werkzeug's own header quoting writes both
(as its send_file does); the fallback is kinder to Danish than send_file's (æ → ae, – → -), and a
name with no ASCII left (CJK) falls back to a neutral one. Every view that names a download calls
`content_disposition`; tests/test_downloads.py checks every header is Latin-1.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from werkzeug.http import dump_options_header

FALLBACK_STEM = "dokument"
NAME_MAX = 255  # characters of the name as given; a longer one is cut from the front, keeping its end

# Letters and marks NFKD does not take apart, spelt in ASCII the way Danish does it by hand.
_ASCII = str.maketrans(
    {
        "æ": "ae",
        "Æ": "Ae",
        "ø": "oe",
        "Ø": "Oe",
        "å": "aa",
        "Å": "Aa",
        "ß": "ss",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "‘": "'",
        "’": "'",
        "“": "'",
        "”": "'",
        "„": "'",
        "«": "'",
        "»": "'",
        "…": "...",
        '"': "'",
    }
)
# RFC 5987 attr-char besides letters and digits: everything else is percent-encoded.
_ATTR_CHARS = "!#$&+-.^_`|~"


def _clean(name: str) -> str:
    """Printable characters only (no CR/LF or other control characters can reach a header)."""
    name = "".join(c for c in (name or "") if c.isprintable() and c not in "\\/")
    return name.strip()[-NAME_MAX:]


def ascii_name(name: str) -> str:
    """The fallback spelling: ASCII only, the extension kept, never empty."""
    name = _clean(name)
    simple = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore").decode("ascii")
    simple = " ".join(simple.split())
    stem, dot, extension = simple.rpartition(".")
    if not dot:
        stem, extension = simple, ""
    if not stem.strip(" .-_'"):
        stem = FALLBACK_STEM
    return f"{stem}.{extension}" if extension else stem


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The header value: `attachment` (or `inline`) with the file name as every client can read it.
    The value is always ASCII, so Latin-1 for gunicorn."""
    exact = _clean(name) or FALLBACK_STEM
    fallback = ascii_name(exact)
    options: dict[str, str] = {"filename": fallback}
    if fallback != exact:
        options["filename*"] = "UTF-8''" + quote(exact, safe=_ATTR_CHARS)
    return dump_options_header("inline" if inline else "attachment", options)
