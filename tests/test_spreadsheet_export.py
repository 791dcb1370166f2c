"""/vurderinger.xlsx: the CSV's rows for Danish Excel, with Danish headers and typed cells."""

import io
from datetime import date, datetime

from assessment_factories import make_published
from openpyxl import Workbook, load_workbook

from app.api import spreadsheet
from app.api.views import XLSX_TYPE


def test_xlsx_has_danish_headers_typed_dates_and_amounts(client, app):
    make_published(title='=HYPERLINK("http://x")')
    response = client.get("/vurderinger.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    assert "etikdialog-vurderinger.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data()))["Vurderinger"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Id", "Titel", "Kommune", "Teknologi"]
    assert "Hvilket problem skal løses?" in header
    assert not any(name in header for name in ("target_group", "cost_one_off", "titel"))
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Titel"].value == '=HYPERLINK("http://x")' and row["Titel"].data_type == "s"  # text, not a formula
    assert row["Status"].value == "Gældende"
    assert isinstance(row["Offentliggjort"].value, datetime)
    assert row["Offentliggjort"].number_format == spreadsheet.DATETIME_FORMAT
    cost = row["Engangsudgift (kr.)"]
    assert (cost.value, cost.number_format) == (450000, spreadsheet.AMOUNT_FORMAT)
    meeting = row["Mødedato"]
    assert (meeting.value, meeting.number_format) == (datetime(2026, 3, 2), spreadsheet.DATE_FORMAT)


def test_xlsx_answers_304_until_something_changes_and_keeps_the_csv_filters(client, app):
    make_published(title="Alfa")
    first = client.get("/vurderinger.xlsx")
    assert client.get("/vurderinger.xlsx", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    make_published(title="Beta")
    assert client.get("/vurderinger.xlsx", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
    sheet = load_workbook(io.BytesIO(client.get("/vurderinger.xlsx?q=Beta").get_data()))["Vurderinger"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Beta"]


def test_xlsx_stops_at_the_row_limit(client, app, monkeypatch):
    for name in ("A", "B", "C"):
        make_published(title=name)
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 2)
    sheet = load_workbook(io.BytesIO(client.get("/vurderinger.xlsx").get_data()))["Vurderinger"]
    assert sheet.max_row == 4  # the header, two rows and the note that the list was cut
    assert (
        sheet.cell(row=4, column=1).value
        == "Regnearket stopper ved 2 vurderinger. Brug filtrene for at få resten, eller hent dem alle som CSV (/vurderinger.csv)."
    )


def test_cells_lose_characters_xml_cannot_hold_and_keep_their_dates():
    sheet = Workbook(write_only=True).create_sheet()
    assert spreadsheet._cell(sheet, "Nat\x07tilsyn").value == "Nattilsyn"
    assert spreadsheet._cell(sheet, "x" * 40_000).value == "x" * spreadsheet.MAX_CELL
    assert spreadsheet._cell(sheet, date(2026, 1, 2), spreadsheet.DATE_FORMAT).number_format == "dd-mm-yyyy"
