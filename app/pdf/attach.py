"""Embedded files: the uploaded documents a record names travel inside the signed PDF.

They are written by ReportLab itself, as the document is saved: each file an EmbeddedFile stream
with its Filespec, all in the catalogue's EmbeddedFiles name tree (PDF 32000 §7.11.4). (Adding them
afterwards with pypdf read and rewrote the whole PDF: a seventh of the demo's render.) The output
stays deterministic: the same files in the same order give the same objects and bytes, and the
stored pdf_sha256 is taken of these final bytes.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)


def embed_files(document: PDFDocument, attachments: list[dict]) -> None:
    """Embed each {"name", "data"} (the document's attachments list) in a ReportLab document that is
    about to be saved. Names are made distinct and the name tree is sorted, as the format asks."""
    if not attachments:
        return
    used: set[str] = set()
    entries = []
    for attachment in attachments:
        name, data = _unique(attachment["name"], used), bytes(attachment["data"])
        stream = PDFStream(
            PDFDictionary({"Type": PDFName("EmbeddedFile"), "Params": PDFDictionary({"Size": len(data)})}),
            content=data,
            filters=[PDFZCompress],
        )
        filespec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(name),
                "UF": PDFString(name),
                "EF": PDFDictionary({"F": document.Reference(stream)}),
            }
        )
        entries.append((name, document.Reference(filespec)))
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
