"""Embedded files: the uploaded documents a record names travel inside the signed PDF.

ReportLab cannot embed files, so pypdf adds them after rendering. The output stays deterministic:
pypdf keeps ReportLab's invariant file id and dates and writes the same bytes for the same input,
and the files are added in the order given (the caller sorts them). The stored pdf_sha256 is taken
of these final bytes.
"""

from __future__ import annotations

import io


def embed_files(pdf: bytes, attachments: list[dict]) -> bytes:
    """The PDF with each {"name", "data"} embedded as a file (the document's attachments list)."""
    if not attachments:
        return pdf
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    used: set[str] = set()
    for attachment in attachments:
        name = _unique(attachment["name"], used)
        writer.add_attachment(name, attachment["data"])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _unique(name: str, used: set[str]) -> str:
    """Two documents may carry the same file name; the PDF's name tree needs distinct keys."""
    candidate, number = name, 2
    while candidate in used:
        stem, dot, suffix = name.rpartition(".")
        candidate = f"{stem or name} ({number}){dot}{suffix if stem else ''}"
        number += 1
    used.add(candidate)
    return candidate
