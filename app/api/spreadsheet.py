"""The published assessments as an Excel workbook (XLSX) for people: Danish headers, dates as
dates and amounts as numbers with a format, so Danish Excel shows "450.000 kr." and can sum them.

The CSV stays the machines' file (machine names, ISO values); this is the same rows for a
spreadsheet. openpyxl's write-only mode writes each row to a temporary file as it comes, so memory
does not grow with the number of rows (bench/xlsx_memory.py measures it); the zip is built from
that file when the workbook is saved.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app.api.serialise import links, row_status
from app.assessments.proposal import PROPOSAL_FIELDS, amount_text
from app.core.formatting import DANISH_TIME
from app.i18n import danish

# The sheet is written whole before the first byte is sent, at about 2.6 ms of CPU a row (78
# cells), so it is bounded well inside a worker's 60 s timeout; the CSV streams and has no such
# bound. A cell holds at most Excel's own limit of characters.
MAX_ROWS = 10_000
MAX_CELL = 32_767
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
NUMBER_FORMAT = "#,##0"
AMOUNT_FORMAT = '#,##0 "kr."'
STATUS_LABELS = {"published": "Gældende", "replaced": "Erstattet", "withdrawn": "Trukket tilbage"}

HEADERS = [
    "Id",
    "Titel",
    "Kommune",
    "Teknologi",
    "Kategori",
    "Område",
    "Beslutning",
    "Version",
    "Status",
    "Underskrevet",
    "Offentliggjort",
    "Verifikationskode",
    "PDF SHA-256",
    "Adresse",
]


def headers() -> list[str]:
    """Danish column names: the publication's, then each proposal field's question as signed."""
    return HEADERS + [danish(spec.label) for spec in PROPOSAL_FIELDS]


def _local(moment: datetime | None) -> datetime | None:
    """Stored times are UTC; a spreadsheet cell has no zone, so it gets the Danish wall clock."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(DANISH_TIME).replace(tzinfo=None)


def _cell(sheet, value, number_format: str | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    if number_format:
        cell.number_format = number_format
    return cell


def _proposal_cells(sheet, canonical_json: str) -> list:
    items = {item.get("field"): item for item in json.loads(canonical_json).get("proposal", [])}
    cells = []
    for spec in PROPOSAL_FIELDS:
        item = items.get(spec.name) or {}
        value = item.get("value")
        if spec.kind == "integer" and isinstance(value, int):
            cells.append(_cell(sheet, value, AMOUNT_FORMAT if spec.unit is amount_text else NUMBER_FORMAT))
        elif spec.kind == "date" and isinstance(value, str):
            try:
                cells.append(_cell(sheet, date.fromisoformat(value), DATE_FORMAT))
            except ValueError:
                cells.append(_cell(sheet, value))
        else:
            cells.append(_cell(sheet, item.get("text")))
    return cells


def row_cells(sheet, row, labels: dict) -> list:
    """One sheet row from a row of `services.export_rows`, in HEADERS' order."""
    return [
        _cell(sheet, row.public_id),
        _cell(sheet, row.title),
        _cell(sheet, row.organisation_name),
        _cell(sheet, row.technology_name),
        _cell(sheet, labels["technologies"].get(row.technology_category, row.technology_category)),
        _cell(sheet, labels["areas"].get(row.sector_area, row.sector_area)),
        _cell(sheet, labels["decisions"].get(row.decision, row.decision)),
        _cell(sheet, row.version_number),
        _cell(sheet, STATUS_LABELS[row_status(row)]),
        _cell(sheet, _local(row.signed_at), DATETIME_FORMAT),
        _cell(sheet, _local(row.published_at), DATETIME_FORMAT),
        _cell(sheet, row.verification_code),
        _cell(sheet, row.pdf_sha256),
        _cell(sheet, links(row)["html"]),
        *_proposal_cells(sheet, row.canonical_json),
    ]


def cut_note() -> str:
    return (
        f"Regnearket stopper ved {MAX_ROWS:,} vurderinger".replace(",", ".")
        + ". Brug filtrene for at få resten, eller hent dem alle som CSV (/vurderinger.csv)."
    )


def write(rows, labels: dict):
    """The workbook in a temporary file (rewound), at most MAX_ROWS rows and then a row that says
    the list was cut; the caller sends and closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Vurderinger")
    sheet.freeze_panes = "C2"
    sheet.append([_cell(sheet, name) for name in headers()])
    for number, row in enumerate(rows):
        if number >= MAX_ROWS:  # said in the sheet itself, so a cut list is never taken as whole
            sheet.append([_cell(sheet, cut_note())])
            break
        sheet.append(row_cells(sheet, row, labels))
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(target)
    target.seek(0)
    return target
