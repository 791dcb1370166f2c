"""PDF render time for a large assessment against a bare ReportLab baseline.

The large assessment has every question with a 400-word discussion, five reviews, 20 actions,
40 consultation responses and six signatories with non-Latin names. The baseline renders the
same text as plain paragraphs in the same font; both run alternately in the same process, so
the ratio holds on a noisy machine even when absolute times drift.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from app.pdf.fonts import font_set
from app.pdf.render import build_story, render_pdf

TARGET_RATIO = 1.5
WORDS = ["borger", "pårørende", "medarbejder", "teknologi", "sensor", "værdighed", "tryghed", "samtykke", "data", "natten", "plejecenter", "udvalget", "vurderer", "gevinst", "ulempe", "selvbestemmelse", "hjælp", "omsorg", "kvalitet", "ansvar"]  # fmt: skip
NAMES = ["Łukasz Wiśniewski", "Αθηνά Παπαδοπούλου", "Ольга Иванова", "Şükrü Yılmaz", "Åse Ærø Østergård",
         "Nguyễn Thị Hương"]  # fmt: skip


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."


def large_document(seed: int = 2026) -> dict:
    rng = random.Random(seed)
    questions = [
        {"group_title": f"Dilemma {n // 6 + 1}", "text": f"Spørgsmål {n + 1}: {words(rng, 18)}",
         "explanation": words(rng, 40), "discussion": words(rng, 400), "answer": words(rng, 60),
         "concern_label": rng.choice(["Lav", "Middel", "Høj"])}
        for n in range(15)
    ]  # fmt: skip
    proposal = [{"field": f"felt{n}", "label": f"Felt {n}", "value": words(rng, 50), "text": words(rng, 50)}
                for n in range(12)]  # fmt: skip
    record = {
        "title": "Nattilsyn med sensorer på alle plejecentre",
        "organisation": {"name": "Benchmark Kommune", "slug": "benchmark"},
        "version_number": 1, "content_version": "bench",
        "technology": {"name": "Sensorer", "category_title": "Tryghedsskabende teknologi", "area_title": "Ældre"},
        "proposal": proposal,
        "decision": {"label": "Anbefales med betingelser", "reasoning": words(rng, 200), "review_date": "2027-12-01"},
        "questions": questions,
        "recommendations": [{"number": n, "title": f"Anbefaling {n}", "status_label": "Opfyldt",
                             "justification": words(rng, 120)} for n in range(1, 6)],
        "actions": [{"description": words(rng, 25), "owner": rng.choice(NAMES), "due_date": "2027-06-01",
                     "status_label": "Planlagt", "is_condition": n % 3 == 0} for n in range(20)],
        "positions": [{"name": name, "title": "Udvalgsmedlem", "stance_label": "Uenig", "dissent": words(rng, 80)}
                      for name in NAMES[:2]],
        "consultations": [{"opens": "2026-10-01", "closes": "2026-10-29", "introduction": words(rng, 60),
                           "questions": [q["text"] for q in questions[:3]],
                           "responses": [{"author": rng.choice(NAMES + [""]), "question_text": "",
                                          "body": words(rng, 150), "received_at": "2026-10-05T10:00:00",
                                          "answer_status": "indarbejdet", "answer_status_label": "Indarbejdet",
                                          "answer": words(rng, 60)} for _ in range(40)]}],
    }  # fmt: skip
    return {
        "record": record, "record_sha256": "ab" * 32,
        "signatures": [{"name": name, "title": "Udvalgsmedlem", "signed_at": "2026-11-22T10:00:00"} for name in NAMES],
        "verification_code": "7K2M-9QXD-4HTA", "signed_at": "2026-11-22T10:00:00",
        "verify_url": "https://etikdialog.example/verificer?kode=7K2M-9QXD-4HTA", "draft": False,
    }  # fmt: skip


def _texts(document: dict) -> list[str]:
    """The plain text of every paragraph the full render prints, table cells included, in order."""
    texts: list[str] = []

    def walk(flowable) -> None:
        if isinstance(flowable, Paragraph):
            texts.append(flowable.getPlainText())
        for cell in getattr(flowable, "_cellvalues", None) or []:
            for value in cell:
                for item in value if isinstance(value, list | tuple) else [value]:
                    walk(item)
        for child in getattr(flowable, "_content", None) or []:
            walk(child)

    for flowable in build_story(document, font_set()):
        walk(flowable)
    return texts


def baseline_pdf(texts: list[str]) -> bytes:
    fonts = font_set()
    style = ParagraphStyle("plain", fontName=fonts.regular, fontSize=10, leading=14)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph(escape(t), style) for t in texts])
    return buffer.getvalue()


def run(runs: int = 10) -> dict:
    document = large_document()
    texts = _texts(document)
    render_pdf(document), baseline_pdf(texts)  # warm fonts and caches
    full, bare = [], []
    for _ in range(runs):
        start = time.perf_counter()
        size = len(render_pdf(document))
        full.append(time.perf_counter() - start)
        start = time.perf_counter()
        baseline_pdf(texts)
        bare.append(time.perf_counter() - start)
    ratios = [f / b for f, b in zip(full, bare, strict=True)]
    ratio = statistics.median(ratios)
    return {
        "name": "pdf",
        "runs": runs,
        "pdf_bytes": size,
        "median_seconds": round(statistics.median(full), 4),
        "baseline_median_seconds": round(statistics.median(bare), 4),
        "median_ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "met": ratio <= TARGET_RATIO,
        "summary": f"Large assessment PDF: median {statistics.median(full) * 1000:.0f} ms over {runs} runs, "
                   f"{ratio:.2f}× the bare ReportLab baseline (target ≤ {TARGET_RATIO}×).",
    }  # fmt: skip
