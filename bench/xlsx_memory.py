"""Memory of /vurderinger.xlsx's writer: `python -m bench.xlsx_memory [ROWS ...]`.

Feeds app/api/spreadsheet.write export rows shaped like `services.export_rows`'s (every proposal
field filled, texts of several hundred characters, as a real record's) and reports the peak of
Python's allocations during the write (tracemalloc) and the workbook's size. The database side is
the CSV's (read in batches, bench/memory.py); this shows that openpyxl's write-only mode keeps the
workbook itself out of memory: the peak should not grow with the rows.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from types import SimpleNamespace


def _record() -> str:
    from app.assessments.proposal import PROPOSAL_FIELDS

    items = []
    for spec in PROPOSAL_FIELDS:
        if spec.kind == "integer":
            value, text = 450000, "450.000 kr."
        elif spec.kind == "date":
            value, text = "2026-03-02", "2. marts 2026"
        else:
            value = text = f"{spec.name}: " + "Borgere med demens falder om natten og ligger længe. " * 6
        items.append({"field": spec.name, "value": value, "text": text})
    return json.dumps({"proposal": items}, ensure_ascii=False)


def rows(count: int, canonical_json: str):
    start = datetime(2026, 1, 1, 9)
    for number in range(count):
        yield SimpleNamespace(
            public_id=f"b{number:07d}",
            title=f"Nattilsyn med sensorer {number}",
            organisation_name="Aarhus Kommune",
            technology_name="Sensormåtte",
            technology_category="mobilitetsteknologi",
            sector_area="social-og-sundhed",
            decision="anbefales_med_betingelser",
            version_number=1,
            replaced_by_id=None,
            withdrawn_at=None,
            signed_at=start + timedelta(hours=number),
            published_at=start + timedelta(hours=number, minutes=5),
            verification_code="AAAA-BBBB-CCCC",
            pdf_sha256="a" * 64,
            canonical_json=canonical_json,
        )


def measure(count: int) -> dict:
    from app import create_app
    from app.api import spreadsheet
    from app.api.views import _danish_labels

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_BASE_URL": "http://b.test"})
    with app.test_request_context():
        labels, record = _danish_labels(), _record()
        tracemalloc.start()
        began = time.perf_counter()
        workbook = spreadsheet.write(rows(count, record), labels)
        seconds = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        workbook.seek(0, 2)
        size = workbook.tell()
        workbook.close()
    return {"rows": count, "peak_mb": round(peak / 2**20, 1), "file_mb": round(size / 2**20, 1), "s": round(seconds, 1)}


if __name__ == "__main__":
    for count in [int(a) for a in sys.argv[1:]] or [100, 10_000]:
        print(json.dumps(measure(count)))
