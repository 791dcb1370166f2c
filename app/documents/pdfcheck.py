"""What an uploaded PDF may contain. Pure: bytes in, a verdict out; no database,
no request. `problem(data)` is the one judgement of an upload's content; the board's form and the
service call it (through services.pdf_problem), and sign-off calls it again for files stored
before it existed (record.file_problems).

An uploaded document is published unchanged, embedded in the signed PDF and served to citizens, so
it must be a plain document. Refused, with a message naming what was found:

- Bytes before `%PDF` or after the last `%%EOF` beyond whitespace, and a ZIP archive's end record
  in the file's tail: the PDF+HTML and PDF+ZIP polyglots, one file that is two.
- Active content anywhere in the file's objects: JavaScript (`/JS`, `/JavaScript`), an
  `/OpenAction` other than opening at a page (a destination or a `/GoTo`, as LaTeX writes), additional
  actions (`/AA`), `/Launch`, `/SubmitForm`, `/ImportData`, `/GoToR`, `/GoToE`, `/RichMedia`,
  an XFA form, and embedded files (`/EmbeddedFiles`, `/EF`, `/EmbeddedFile`, `/FileAttachment`).
  Links (`/URI`) are allowed: a DPIA may link to the law. Objects inside object streams are read
  too (pypdf reads them), and names are compared after pypdf undoes `#xx` escapes.
- Decompression bombs. Before anything is decompressed, every stream's declared `/Length` (and
  their total) is held against the file's own size, and a declared decoded length (`/DL`) against
  STREAM_DECODED_MAX. pypdf then reads the file under limits of this module
  (`pypdf.apply_configuration`): the object and cross-reference streams it unpacks to read the
  file at most PARSE_DECODED_MAX each. Last, each stream's decoded size is counted by inflating it
  in chunks that are thrown away (memory stays bounded): at most STREAM_DECODED_MAX per stream and
  TOTAL_DECODED_MAX for the file. A 2 GB FlateDecode bomb stops at the first bound.

The bounds allow real documents: an A4 page scanned at 600 dpi in colour is about 105 MB decoded.
Image filters (DCT, JPX, CCITT, JBIG2) are never decoded here: they are the viewer's business.
"""

from __future__ import annotations

import binascii
import io
import logging
import re
import struct
import zlib
from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.formatting import local_number

log = logging.getLogger(__name__)

MB = 1024 * 1024
STREAM_DECODED_MAX = 128 * MB  # one stream, decoded: an A4 page scanned at 600 dpi in colour is 105 MB
TOTAL_DECODED_MAX = 512 * MB  # all streams of the file, decoded
PARSE_DECODED_MAX = 16 * MB  # an object or cross-reference stream pypdf unpacks to read the file
OBJECTS_MAX = 100_000  # objects walked; a 300-page report has a few thousand
HEADER_WINDOW = 1024  # where `%PDF-` must stand (as readers look for it)
PDF_MAGIC = b"%PDF-"
PDF_EOF = b"%%EOF"
PDF_WHITESPACE = b"\x00\t\n\x0c\r "  # PDF 32000 §7.2.2
ZIP_END = b"PK\x05\x06"  # end of central directory record
ZIP_CENTRAL = b"PK\x01\x02"
ZIP_TAIL = 65_535 + 22  # the end record lies within this many bytes of a ZIP's end
CHUNK = 64 * 1024

FLATE = {"/FlateDecode", "/Fl"}
EXPANDING = FLATE | {"/LZWDecode", "/LZW", "/RunLengthDecode", "/RL", "/BrotliDecode"}
ASCII = {"/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85"}  # never larger than their input

_DECLARED_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)")
_DECLARED_DECODED = re.compile(rb"/DL\s+(\d+)(?!\d)")

# Active content: dictionary keys, /S action types and /Subtype or /Type values, each with the
# code of what it is.
KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/AA": "additional_actions",
    "/XFA": "xfa",
    "/EmbeddedFiles": "embedded_file",
    "/EF": "embedded_file",
}
ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit_form",
    "/ImportData": "import_data",
    "/GoToR": "remote_goto",
    "/GoToE": "remote_goto",
    "/RichMediaExecute": "rich_media",
}
TYPES = {
    "/FileAttachment": "embedded_file",
    "/EmbeddedFile": "embedded_file",
    "/RichMedia": "rich_media",
}


@dataclass(frozen=True)
class Finding:
    code: str  # stable, for tests and logs: "javascript", "trailing_bytes", "bomb", …
    what: str = ""  # the details, in the reader's language, for the message


class _Refused(Exception):
    def __init__(self, finding: Finding):
        self.finding = finding
        super().__init__(finding.code)


def _active_labels() -> dict[str, str]:
    return {
        "javascript": _("JavaScript"),
        "open_action": _("en handling, der udføres, når filen åbnes (/OpenAction)"),
        "additional_actions": _("automatiske handlinger (/AA)"),
        "launch": _("en handling, der starter et program (/Launch)"),
        "submit_form": _("en formular, der sender data (/SubmitForm)"),
        "import_data": _("en handling, der henter data ind (/ImportData)"),
        "remote_goto": _("et link, der åbner en anden fil (/GoToR eller /GoToE)"),
        "rich_media": _("multimedieindhold (/RichMedia)"),
        "xfa": _("en XFA-formular"),
        "embedded_file": _("vedhæftede filer"),
    }


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else _("%(items)s og %(last)s", items=", ".join(items[:-1]), last=items[-1])


# --- The verdict ----------------------------------------------------------------------------------


def inspect(data: bytes) -> list[Finding]:
    """Everything this module refuses in the file (empty when it passes). Refusals of the file's
    shape (envelope, bombs, unreadable) come alone; active content is listed in full."""
    try:
        _envelope(data)
        _declared_lengths(data)
        return _objects(data)
    except _Refused as refused:
        return [refused.finding]


def problem(data: bytes) -> str | None:
    """Why these bytes are not a PDF we publish, as a sentence for the person, or None."""
    findings = inspect(data)
    if not findings:
        return None
    first = findings[0]
    unreadable = _(
        "Filen kunne ikke læses som PDF. Den kan være beskadiget. Gem den som PDF igen, og prøv en gang til."
    )
    messages = {
        "not_pdf": _("Filen er ikke en PDF. Vælg en PDF-fil (filnavnet alene afgør det ikke)."),
        "unreadable": unreadable,
        "no_end": unreadable,  # no %%EOF at all: most often a file cut short
        "encrypted": _("PDF-filen er låst med en adgangskode. Vælg en PDF, som alle kan åbne."),
        "no_pages": _("PDF-filen har ingen sider."),
    }
    if first.code in messages:
        return messages[first.code]
    if first.code in ("prefix_bytes", "trailing_bytes", "zip"):
        return _(
            "Filen indeholder mere end en PDF: %(what)s. Sådan en fil kan være to filer i én og "
            "kan ikke vedhæftes. Gem dokumentet som PDF igen, og prøv en gang til.",
            what=first.what,
        )
    if first.code in ("bomb", "declared_length", "too_many_objects"):
        return _(
            "PDF-filen kan ikke vedhæftes, fordi den indeholder %(what)s. Gem dokumentet som PDF "
            "igen, og prøv en gang til.",
            what=first.what,
        )
    labels = _active_labels()
    return _(
        "PDF-filen indeholder %(what)s. Af sikkerhedshensyn vedhæftes kun PDF-filer uden aktivt "
        "indhold og uden vedhæftede filer. Gem dokumentet som PDF igen uden det (fx med „Udskriv“ "
        "og „Gem som PDF“), og prøv en gang til.",
        what=_listed([labels[f.code] for f in findings]),
    )


# --- The envelope: one PDF, nothing before or after --------------------------------------------


def _envelope(data: bytes) -> None:
    start = data.find(PDF_MAGIC, 0, HEADER_WINDOW)
    if start < 0:
        raise _Refused(Finding("not_pdf"))
    before = data[:start].strip(PDF_WHITESPACE)
    if before:
        raise _Refused(
            Finding("prefix_bytes", _("%(n)s byte før PDF-filens begyndelse (%%PDF)", n=local_number(start)))
        )
    end = data.rfind(PDF_EOF)
    if end < 0:
        raise _Refused(Finding("no_end"))
    after = data[end + len(PDF_EOF) :]
    if after.strip(PDF_WHITESPACE):
        raise _Refused(
            Finding("trailing_bytes", _("%(n)s byte efter PDF-filens slutning (%%%%EOF)", n=local_number(len(after))))
        )
    if _zip_end(data):
        raise _Refused(Finding("zip", _("et ZIP-arkiv")))


def _zip_end(data: bytes) -> bool:
    """A ZIP archive's end record in the file's tail whose central directory is where it says
    (a ZIP reader finds an archive by this record, whatever precedes it)."""
    tail_start = max(0, len(data) - ZIP_TAIL)
    position = data.rfind(ZIP_END, tail_start)
    while position >= 0:
        record = data[position : position + 22]
        if len(record) == 22:
            directory_size = struct.unpack("<I", record[12:16])[0]
            directory = position - directory_size
            if directory_size == 0 or (directory >= 0 and data[directory : directory + 4] == ZIP_CENTRAL):
                return True
        position = data.rfind(ZIP_END, tail_start, position)
    return False


# --- Declared sizes, before anything is decompressed ----------------------------------------------


def _declared_lengths(data: bytes) -> None:
    total = 0
    for match in _DECLARED_LENGTH.finditer(data):
        length = int(match.group(1))
        total += length
        if length > len(data) or total > len(data):
            raise _Refused(Finding("declared_length", _declared_text()))
    for match in _DECLARED_DECODED.finditer(data):
        if int(match.group(1)) > STREAM_DECODED_MAX:
            raise _Refused(Finding("bomb", _bomb_text(STREAM_DECODED_MAX)))


def _declared_text() -> str:
    return _("en datastrøm, der angiver at være større end selve filen")


def _bomb_text(limit: int) -> str:
    if limit == TOTAL_DECODED_MAX:
        return _("komprimerede data, der udpakket fylder over %(mb)s MB i alt", mb=local_number(limit // MB))
    return _("en komprimeret datastrøm, der udpakket fylder over %(mb)s MB", mb=local_number(limit // MB))


# --- The objects ---------------------------------------------------------------------------------


def _parse_limits(size: int) -> dict:
    return {
        "maximum_declared_stream_length": size,
        "zlib_maximum_output_length": PARSE_DECODED_MAX,
        "lzw_maximum_output_length": PARSE_DECODED_MAX,
        "run_length_maximum_output_length": PARSE_DECODED_MAX,
        "brotli_maximum_output_length": PARSE_DECODED_MAX,
        "jbig2_maximum_output_length": PARSE_DECODED_MAX,
        "array_based_stream_maximum_output_length": PARSE_DECODED_MAX,
        "stream_decoding_work_maximum_length": 4 * PARSE_DECODED_MAX,
        "xfa_decoding_work_maximum_length": 4 * PARSE_DECODED_MAX,
        "image_maximum_buffer_size": PARSE_DECODED_MAX,
        "jbig2dec_binary": None,
    }


def _objects(data: bytes) -> list[Finding]:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    with apply_configuration(**_parse_limits(len(data))):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return [Finding("encrypted")]
            if len(reader.pages) < 1:
                return [Finding("no_pages")]
            return _walk(reader)
        except _Refused:
            raise
        except LimitReachedError:
            log.info("document upload refused: a pypdf limit was reached", exc_info=True)
            raise _Refused(Finding("bomb", _bomb_text(PARSE_DECODED_MAX))) from None
        except Exception:  # noqa: BLE001 - whatever pypdf raises, the file is not a PDF we can pass on
            log.info("document upload refused: pypdf could not read it", exc_info=True)
            raise _Refused(Finding("unreadable")) from None


def _walk(reader) -> list[Finding]:
    """Every object in the cross-reference table (in use or not) and everything reachable from the
    trailer, once each; dictionaries and arrays are looked into, references followed."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    stack: list = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    found: dict[str, Finding] = {}
    walked = 0
    decoded_total = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        walked += 1
        if walked > OBJECTS_MAX:
            raise _Refused(
                Finding(
                    "too_many_objects", _("over %(n)s objekter", n=local_number(OBJECTS_MAX))
                )  # a bound on the work, not a finding of content
            )
        if isinstance(item, DictionaryObject):
            for code in _dictionary_findings(item):
                found.setdefault(code, Finding(code))
            stack.extend(item.values())
            if isinstance(item, StreamObject):
                decoded_total += _decoded_size(item)
                if decoded_total > TOTAL_DECODED_MAX:
                    raise _Refused(Finding("bomb", _bomb_text(TOTAL_DECODED_MAX)))
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    order = list(_active_labels())
    return sorted(found.values(), key=lambda finding: order.index(finding.code))


def _name(value) -> str | None:
    from pypdf.generic import NameObject

    value = value.get_object() if hasattr(value, "get_object") else value
    return str(value) if isinstance(value, NameObject) else None


def _dictionary_findings(dictionary) -> set[str]:
    from pypdf.generic import DictionaryObject

    codes = {KEYS[key] for key in dictionary if key in KEYS}
    if "/OpenAction" in dictionary:
        action = dictionary["/OpenAction"].get_object()
        # A destination (an array), or a GoTo action within the file, only opens it at a page, as
        # LaTeX and many other tools write it; any other action on opening is refused.
        if isinstance(action, DictionaryObject) and _name(action.get("/S")) != "/GoTo":
            codes.add("open_action")
    action_type = _name(dictionary.get("/S"))
    if action_type in ACTIONS:
        codes.add(ACTIONS[action_type])
    for key in ("/Subtype", "/Type"):
        kind = _name(dictionary.get(key))
        if kind in TYPES:
            codes.add(TYPES[kind])
    return codes


# --- Decoded sizes -------------------------------------------------------------------------------


def _filters(stream) -> list[str]:
    value = stream.get("/Filter")
    value = value.get_object() if value is not None else None
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    return [_name(name) or "" for name in names]


def _decoded_size(stream) -> int:
    """How large the stream is once its compression is undone, counted without keeping it."""
    data = stream._data  # the stream's bytes as stored (pypdf decodes only on get_data())
    filters = _filters(stream)
    for index, name in enumerate(filters):
        if name not in EXPANDING:
            if name not in ASCII:
                return len(data)  # an image filter, or one unknown: the viewer's business
            data = _ascii_decoded(name, data)
            if data is None:
                break  # not what the filter says: let pypdf try
            continue
        if name in FLATE and not EXPANDING.intersection(filters[index + 1 :]):
            return _inflated_size(data)  # the common case: counted as it inflates, nothing kept
        break
    else:
        return len(data)
    return _decoded_by_pypdf(stream, filters)


def _ascii_decoded(name: str, data: bytes) -> bytes | None:
    """ASCIIHex or ASCII85, decoded in C (never larger than the input); None if it is not valid."""
    try:
        if name in ("/ASCIIHexDecode", "/AHx"):
            digits = bytes(data.split(b">", 1)[0].translate(None, PDF_WHITESPACE))
            return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        from reportlab.lib.rl_accel import asciiBase85Decode

        data = data.strip(PDF_WHITESPACE)
        data = data[2:] if data.startswith(b"<~") else data
        return asciiBase85Decode(data if data.endswith(b"~>") else data + b"~>")
    except Exception:  # noqa: BLE001 - not valid in this filter: pypdf decides
        return None


def _decoded_by_pypdf(stream, filters: list[str]) -> int:
    """Rare chains (LZW, run length, Brotli, or an expanding filter behind another one): decoded by
    pypdf under this module's limits, which raise LimitReachedError (a bomb) when reached. One pypdf
    cannot decode (abbreviated names, which only inline images may use) is refused: its size
    cannot be known, and a more lenient viewer might still inflate it."""
    from pypdf.errors import LimitReachedError

    try:
        size = len(stream.get_data())
    except LimitReachedError:
        raise
    except Exception:  # noqa: BLE001 - any other failure: the size is unknown
        log.info("document upload refused: a stream with filters %s could not be decoded", filters, exc_info=True)
        raise _Refused(Finding("unreadable")) from None
    if size > STREAM_DECODED_MAX:
        raise _Refused(Finding("bomb", _bomb_text(STREAM_DECODED_MAX)))
    return size


def _inflated_size(raw: bytes) -> int:
    """Bytes a FlateDecode stream inflates to, counted in chunks that are dropped at once; refused
    past STREAM_DECODED_MAX. A stream that is not valid zlib counts as what could be inflated."""
    for wbits in (zlib.MAX_WBITS | 32, -zlib.MAX_WBITS):  # with a zlib header (as pypdf), then raw deflate
        inflater = zlib.decompressobj(wbits)
        size = 0
        try:
            for start in range(0, len(raw), CHUNK):
                pending = raw[start : start + CHUNK]
                while pending and not inflater.eof:
                    size += len(inflater.decompress(pending, CHUNK * 16))
                    if size > STREAM_DECODED_MAX:
                        raise _Refused(Finding("bomb", _bomb_text(STREAM_DECODED_MAX)))
                    pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
            return size
        except zlib.error:
            if size:
                return size
    return len(raw)
