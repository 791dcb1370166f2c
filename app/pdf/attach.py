"""Embedded files: the uploaded documents a record names travel inside the signed PDF.

They are written by ReportLab itself, as the document is saved: each file an EmbeddedFile stream
with its Filespec, all in the catalogue's EmbeddedFiles name tree (PDF 32000 §7.11.4). (Adding them
afterwards with pypdf read and rewrote the whole PDF: a seventh of the demo's render.) The output
stays deterministic: the same files in the same order give the same objects and bytes, and the
stored pdf_sha256 is taken of these final bytes.

For PDF/A-3 (app.pdf.archival) each file is also an associated file of the document: its Filespec
carries /AFRelationship (the record's JSON `Source`, the uploaded documents `Supplement`) and is
listed in the catalogue's /AF, and its stream names its MIME type and date.
"""

from __future__ import annotations

import mimetypes
import zlib

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFStream,
    PDFString,
)

SOURCE, SUPPLEMENT = "Source", "Supplement"  # PDF 2.0 §14.13.2 AFRelationship values


def embed_files(document: PDFDocument, attachments: list[dict], *, made: str | None = None) -> None:
    """Embed each {"name", "data"} (the document's attachments list) in a ReportLab document that is
    about to be saved. Names are made distinct and the name tree is sorted, as the format asks. An
    attachment with a "relationship" (SOURCE or SUPPLEMENT) is an associated file too, with its
    "mime" type (else guessed from its name) and `made` (a PDF date) as its date."""
    if not attachments:
        return
    used: set[str] = set()
    entries, associated = [], []
    for attachment in attachments:
        name, data = _unique(attachment["name"], used), bytes(attachment["data"])
        params = PDFDictionary({"Size": len(data)})
        stream_dict = PDFDictionary({"Type": PDFName("EmbeddedFile"), "Params": params})
        relationship = attachment.get("relationship")
        if relationship:
            mime = attachment.get("mime") or mimetypes.guess_type(name)[0] or "application/octet-stream"
            stream_dict["Subtype"] = mime_name(mime)
            if made:
                params["ModDate"] = PDFString(made)
        stream_dict["Filter"] = PDFName("FlateDecode")  # compressed here, at zlib's fastest level
        stream = PDFStream(stream_dict, content=zlib.compress(data, 1))
        filespec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(name),
                "UF": PDFString(name),
                "EF": PDFDictionary({"F": document.Reference(stream)}),
            }
        )
        if relationship:
            filespec["AFRelationship"] = PDFName(relationship)
            filespec["Desc"] = PDFString(attachment.get("description") or name)
        reference = document.Reference(filespec)
        entries.append((name, reference))
        if relationship:
            associated.append(reference)
    if associated:
        catalog_key(document.Catalog, "AF", PDFArray(associated))
    names = []
    for name, filespec in sorted(entries, key=lambda entry: entry[0]):
        names += [PDFString(name), filespec]
    document.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": PDFArray(names)})})


def _unique(name: str, used: set[str]) -> str:
    """Two documents may carry the same file name; the PDF's name tree needs distinct keys."""
    candidate, number = name, 2
    while candidate in used:
        stem, dot, suffix = name.rpartition(".")
        candidate = f"{stem or name} ({number}){dot}{suffix if stem else ''}"
        number += 1
    used.add(candidate)
    return candidate


def catalog_key(catalog, key: str, value) -> None:
    """Set a catalogue entry ReportLab's PDFCatalog does not list (it writes only the names in its
    `__NoDefault__`)."""
    if key not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, key]
    setattr(catalog, key, value)


def mime_name(mime: str) -> str:
    """A MIME type as a PDF name: "/application#2Fjson" (ReportLab's PDFName leaves the "/" as it is,
    which would end the name)."""
    return PDFName(mime).replace("/", "#2F").replace("#2F", "/", 1)
