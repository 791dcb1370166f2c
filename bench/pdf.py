"""PDF render time against a bare ReportLab baseline, at three sizes, and the bounded worst case.

The sizes: the demo's largest assessment; the benchmark's large one (every question
with a 400-word discussion, five reviews, 20 actions, 40 consultation responses, six signatories
with non-Latin names); and the largest document the bounds of `app.pdf.bounds` allow.

The baseline is bare ReportLab platypus printing the same text with the same margins and the same
page count: the app's render traces which paragraph (or part of one) it drew on which page, and
the baseline prints exactly those texts in the same styles, page by page, with nothing else (no
tables, no header and footer, no QR code, no font fallback). Both run alternately in the same
process, so the ratio holds on a noisy machine even when absolute times drift.

The same loop renders the app's PDF untagged too (`app.pdf.tagging.untagged`: no marked content, no
structure tree, no PDF/A keys, as the renderer was before it tagged), so the cost of the tagged, archival PDF is
measured against the same document on the same machine: target at most +25 %.
"""

from __future__ import annotations

import io
import logging
import random
import statistics
import time
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from app.pdf import bounds
from app.pdf.render import render_pdf
from app.pdf.styles import MARGIN
from app.pdf.tagging import untagged

TARGET_RATIO = 1.5
TARGET_TAGGING = 1.25  # the tagged, archival render against the untagged one
TARGET_WORST_SECONDS = 10.0
WORDS = [
    "borger",
    "pårørende",
    "medarbejder",
    "teknologi",
    "sensor",
    "værdighed",
    "tryghed",
    "samtykke",
    "data",
    "natten",
    "plejecenter",
    "udvalget",
    "vurderer",
    "gevinst",
    "ulempe",
    "selvbestemmelse",
    "hjælp",
    "omsorg",
    "kvalitet",
    "ansvar",
]
NAMES = [
    "Łukasz Wiśniewski",
    "Αθηνά Παπαδοπούλου",
    "Ольга Иванова",
    "Şükrü Yılmaz",
    "Åse Ærø Østergård",
    "Nguyễn Thị Hương",
]


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."


def large_document(seed: int = 2026) -> dict:
    rng = random.Random(seed)
    questions = [
        {
            "group_title": f"Dilemma {n // 6 + 1}",
            "text": f"Spørgsmål {n + 1}: {words(rng, 18)}",
            "explanation": words(rng, 40),
            "discussion": words(rng, 400),
            "answer": words(rng, 60),
            "concern_label": rng.choice(["Lav", "Middel", "Høj"]),
        }
        for n in range(15)
    ]
    proposal = [
        {"field": f"felt{n}", "label": f"Felt {n}", "value": words(rng, 50), "text": words(rng, 50)} for n in range(12)
    ]
    record = {
        "title": "Nattilsyn med sensorer på alle plejecentre",
        "organisation": {"name": "Benchmark Kommune", "slug": "benchmark"},
        "version_number": 1,
        "content_version": "bench",
        "technology": {"name": "Sensorer", "category_title": "Tryghedsskabende teknologi", "area_title": "Ældre"},
        "proposal": proposal,
        "decision": {"label": "Anbefales med betingelser", "reasoning": words(rng, 200), "review_date": "2027-12-01"},
        "questions": questions,
        "recommendations": [
            {"number": n, "title": f"Anbefaling {n}", "status_label": "Opfyldt", "justification": words(rng, 120)}
            for n in range(1, 6)
        ],
        "actions": [
            {
                "description": words(rng, 25),
                "owner": rng.choice(NAMES),
                "due_date": "2027-06-01",
                "status_label": "Planlagt",
                "is_condition": n % 3 == 0,
            }
            for n in range(20)
        ],
        "positions": [
            {"name": name, "title": "Udvalgsmedlem", "stance_label": "Uenig", "dissent": words(rng, 80)}
            for name in NAMES[:2]
        ],
        "consultations": [
            {
                "opens": "2026-10-01",
                "closes": "2026-10-29",
                "introduction": words(rng, 60),
                "questions": [q["text"] for q in questions[:3]],
                "responses": [
                    {
                        "author": rng.choice(NAMES + [""]),
                        "question_text": "",
                        "body": words(rng, 150),
                        "received_at": "2026-10-05T10:00:00",
                        "answer_status": "indarbejdet",
                        "answer_status_label": "Indarbejdet",
                        "answer": words(rng, 60),
                    }
                    for _ in range(40)
                ],
            }
        ],
    }
    return {
        "record": record,
        "record_sha256": "ab" * 32,
        "signatures": [{"name": name, "title": "Udvalgsmedlem", "signed_at": "2026-11-22T10:00:00"} for name in NAMES],
        "verification_code": "7K2M-9QXD-4HTA",
        "signed_at": "2026-11-22T10:00:00",
        "verify_url": "https://etikdialog.example/verificer?kode=7K2M-9QXD-4HTA",
        "draft": False,
    }


def bounded_document(seed: int = 2027) -> dict:
    """The largest document the bounds allow: as many characters and lines as `app.pdf.bounds`
    lets through, in fields of at most 5,000 characters (the form bound) and 60 lines each."""
    rng = random.Random(seed)
    document = large_document(seed)
    record = document["record"]

    def field(characters: int, lines: int) -> str:
        per_line = (characters - lines + 1) // lines  # the line breaks count too
        return "\n".join(_exactly(rng, per_line) for _ in range(lines))

    record["questions"] = [
        {
            "group_title": f"Dilemma {n // 6 + 1}",
            "text": f"Spørgsmål {n + 1}: {words(rng, 12)}",
            "explanation": "",
            "discussion": field(5000, bounds.MAX_FIELD_LINES),
            "answer": field(4900, 38),
            "concern_label": "Høj",
        }
        for n in range(26)
    ]
    record["consultations"][0]["responses"] = record["consultations"][0]["responses"][:6]
    extra: list[str] = []
    record["positions"] = []
    while True:  # dissents fill what the bounds leave, each as long as a field may be
        overrun = bounds.check(record | {"positions": _dissents(extra)})
        spare_characters = bounds.MAX_DOCUMENT_CHARACTERS - overrun.characters
        spare_lines = bounds.MAX_DOCUMENT_LINES - overrun.lines
        if spare_characters < 100 or spare_lines < 2:
            break
        lines = min(bounds.MAX_FIELD_LINES, spare_lines - 1)
        characters = min(5000, spare_characters - 20 - lines)
        lines = max(1, min(lines, characters // 20))
        extra.append(field(characters, lines))
    record["positions"] = _dissents(extra)
    return document


def _dissents(texts: list[str]) -> list[dict]:
    return [
        {"name": NAMES[n % len(NAMES)], "title": "Udvalgsmedlem", "stance_label": "Uenig", "dissent": text}
        for n, text in enumerate(texts)
    ]


def _exactly(rng: random.Random, characters: int) -> str:
    text = words(rng, characters // 6 + 2)
    return text[: max(characters - 1, 1)].rstrip() + "."


def demo_document() -> dict:
    """The demo's largest assessment (by its canonical record), as it would be signed."""
    import tempfile

    from app import create_app
    from app.content.loader import get_content
    from app.demo.services import load_demo
    from app.extensions import db
    from app.signoff import canonical, services

    logging.getLogger("app").setLevel(logging.WARNING)  # the demo's audit lines are not the benchmark's output
    with tempfile.TemporaryDirectory() as directory:
        app = create_app(
            {
                "SECRET_KEY": "bench-" + "x" * 40,
                "RATELIMIT_ENABLED": False,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/demo.db",
            }
        )
        with app.app_context():
            db.create_all()
            load_demo(get_content())
            db.session.commit()
            from app.assessments.models import Assessment

            largest = None
            for assessment in db.session.scalars(db.select(Assessment)):
                snapshot, record_sha256 = services.current_record(assessment, get_content())
                size = len(canonical.canonical_bytes(snapshot))
                if largest is None or size > largest[0]:
                    signatures = services.signature_list(services.valid_signatures(assessment, record_sha256))
                    largest = (size, snapshot, record_sha256, signatures)
            _size, snapshot, record_sha256, signatures = largest
            document = services.pdf_document(
                snapshot, record_sha256, signatures, code="7K2M-9QXD-4HTA", signed_at="2026-11-22T10:00:00", draft=False
            )
            db.session.remove()
            db.engine.dispose()
    return document


def traced(document: dict) -> tuple[bytes, list]:
    """The app's PDF and, for each paragraph or table row it drew, (page, plain text, style)."""
    trace: list = []
    return render_pdf(document, trace=trace), trace


def baseline_pages(trace: list, pages: int) -> list[list[tuple]]:
    """What the app drew on each page: (escaped plain text, style) per paragraph or part of one."""
    on_page: list[list[tuple]] = [[] for _ in range(pages)]
    for page, text, style in trace:
        on_page[page - 1].append((escape(text), style))
    return on_page


def baseline_pdf(on_page: list[list[tuple]]) -> bytes:
    """Bare platypus: the texts the app drew on each page, in their styles, then a page break."""
    story: list = []
    for number, texts in enumerate(on_page, start=1):
        story += [Paragraph(text, style) for text, style in texts] or [Spacer(1, 1)]
        if number < len(on_page):
            story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 0.6 * cm, bottomMargin=MARGIN
    ).build(story)
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def compare(name: str, document: dict, runs: int) -> dict:
    """Render the app's PDF and its baseline alternately; the median of the per-pair ratios."""
    pdf, trace = traced(document)
    pages = page_count(pdf)
    story = baseline_pages(trace, pages)
    printed_pages = page_count(baseline_pdf(story))
    full, bare, plain = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        render_pdf(document)
        full.append(time.perf_counter() - start)
        start = time.perf_counter()
        baseline_pdf(story)
        bare.append(time.perf_counter() - start)
        with untagged():
            start = time.perf_counter()
            render_pdf(document)
            plain.append(time.perf_counter() - start)
    ratio = statistics.median(f / b for f, b in zip(full, bare, strict=True))
    tagging = statistics.median(f / p for f, p in zip(full, plain, strict=True))
    return {
        "size": name,
        "pages": pages,
        "baseline_pages": printed_pages,
        "pdf_bytes": len(pdf),
        "median_seconds": round(statistics.median(full), 4),
        "worst_seconds": round(max(full), 4),
        "baseline_median_seconds": round(statistics.median(bare), 4),
        "median_ratio": round(ratio, 3),
        "untagged_median_seconds": round(statistics.median(plain), 4),
        "tagging_ratio": round(tagging, 3),
        "met": ratio <= TARGET_RATIO and pages == printed_pages and tagging <= TARGET_TAGGING,
    }


def run(runs: int = 10) -> dict:
    sizes = [
        ("demo's largest", demo_document(), runs),
        ("benchmark's large", large_document(), runs),
        ("largest the bounds allow", bounded_document(), max(3, runs // 3)),
    ]
    results = [compare(name, document, count) for name, document, count in sizes]
    worst = results[-1]["worst_seconds"]
    met = all(r["met"] for r in results) and worst < TARGET_WORST_SECONDS
    parts = "; ".join(
        f"{r['size']} ({r['pages']} pages) {r['median_seconds'] * 1000:.0f} ms, {r['median_ratio']:.2f}×, "
        f"tagged {100 * (r['tagging_ratio'] - 1):+.0f} %"
        for r in results
    )
    return {
        "name": "pdf",
        "runs": runs,
        "sizes": results,
        "bounded_worst_seconds": worst,
        "target_ratio": TARGET_RATIO,
        "target_tagging_ratio": TARGET_TAGGING,
        "target_worst_seconds": TARGET_WORST_SECONDS,
        "met": met,
        "summary": f"PDF against bare ReportLab at the same page count (target ≤ {TARGET_RATIO}×) and tagged "
        f"against untagged (target ≤ {100 * (TARGET_TAGGING - 1):+.0f} %): {parts}. "
        f"Worst bounded render {worst:.2f} s (target < {TARGET_WORST_SECONDS:.0f} s).",
    }
