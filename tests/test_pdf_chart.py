"""The picture of the deliberation in the PDF: drawn with ReportLab's graphics from the same data as
the web chart (app.assessments.chart), with a sentence and a table carrying the same information."""

import io
import re

from pypdf import PdfReader
from sqlalchemy import select
from test_pdf import make_document

from app.assessments.chart import chart_data
from app.extensions import db
from app.pdf.builder import Builder
from app.pdf.chart import TABLE_LABEL, TITLE, chart_drawing, deliberation_chart
from app.pdf.fonts import font_set
from app.pdf.render import render_pdf
from app.pdf.styles import CONTENT_WIDTH, styles
from app.public.models import Publication
from app.signoff.integrity import signed_content
from app.signoff.models import SignedRecord

GROUPS = [
    ("centrale", "Centrale spørgsmål", 6),
    ("frihed", "Skal borgerne have frihed til at fravælge?", 3),
    ("omsorg", "Hvor går grænsen mellem overvågning og omsorg?", 3),
]
LEVELS = ["hoej", "middel", "lav", "ingen", ""]


def questions(concern=None) -> list[dict]:
    rows = [(group_id, title) for group_id, title, n in GROUPS for _ in range(n)]
    return [
        {
            "group_id": group_id,
            "group_title": title,
            "text": f"Spørgsmål nummer {i}",
            "discussion": "",
            "answer": "",
            "concern": LEVELS[i % 5] if concern is None else concern,
        }
        for i, (group_id, title) in enumerate(rows)
    ]


def recommendations(status=None) -> list[dict]:
    statuses = ["opfyldt", "delvist_opfyldt", "ikke_opfyldt", "ikke_relevant", ""]
    return [
        {
            "number": n,
            "title": f"Anbefaling {n}",
            "status": statuses[n - 1] if status is None else status,
            "justification": "",
        }
        for n in range(1, 6)
    ]


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def chart_page_text(pdf: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    [page] = [p for p in pages if TITLE in p]
    return " ".join(page.split())


def test_the_drawing_has_one_bar_per_question_at_its_concern_level():
    chart = chart_data(questions(), recommendations())
    drawing = chart_drawing(chart, font_set(), CONTENT_WIDTH)
    bars = drawing.bars.contents
    assert len(bars) == len(questions()) == 12
    heights = [round(bar.height) for bar in bars]
    # hoej, middel, lav, ingen, not given (an empty box one level high), ...
    assert heights[:5] == [44, 33, 22, 11, 10]
    assert [bar.strokeDashArray for bar in bars[:5]] == [None, None, None, None, [2, 1.5]]
    assert drawing.width == CONTENT_WIDTH


def test_lav_and_middel_differ_by_a_pattern_not_only_by_a_shade():
    """Issue 29: "Lav" is hatched (an outline and stripes) where "middel" is a solid fill."""
    chart = chart_data(questions(), recommendations())
    drawing = chart_drawing(chart, font_set(), CONTENT_WIDTH)
    bars = drawing.bars.contents
    middel, lav = bars[1], bars[2]
    assert middel.strokeColor is None and lav.strokeColor == middel.fillColor != lav.fillColor
    hatching = drawing.contents[-1].contents  # drawn after the bars, so the stripes show
    lav_bars = [bar for bar, q in zip(bars, questions(), strict=True) if q["concern"] == "lav"]
    assert len(hatching) == len(lav_bars) == 2
    for bar, stripes in zip(lav_bars, hatching, strict=True):
        xs, ys = stripes.points[0::2], stripes.points[1::2]
        assert len(xs) > 4  # several stripes, each cut at the bar's edges
        assert bar.x - 0.01 <= min(xs) and max(xs) <= bar.x + bar.width + 0.01
        assert bar.y - 0.01 <= min(ys) and max(ys) <= bar.y + bar.height + 0.01


def test_the_pdf_shows_the_chart_its_labels_its_sentence_and_its_table():
    pdf = render_pdf(make_document(questions=questions(), recommendations=recommendations()))
    page = chart_page_text(pdf)
    assert page.index("4. Spørgsmålene og udvalgets drøftelse") < page.index(TITLE)  # at the section's start
    for label in [
        "Centrale spørgsmål",
        "Høj",
        "Middel",
        "Lav",
        "Ingen",
        "Ikke angivet",
        "De fem anbefalinger",
        "Delvist opfyldt",
        "Ikke opfyldt",
        "Ikke relevant",
        "Ikke vurderet",
        TABLE_LABEL,
    ]:
        assert label in page
    assert "Bekymringsniveau for 12 spørgsmål: 3 høj, 3 middel, 2 lav, 2 ingen og 2 ikke angivet." in page
    assert "Status for anbefalingerne: 1. Anbefaling 1: Opfyldt; 2. Anbefaling 2: Delvist opfyldt;" in page
    assert "Spørgsmål nummer 8 Ingen" in page  # the table row: question and its level


def test_the_chart_flowables_come_from_the_record_only():
    build = Builder(font_set(), styles(font_set()))
    flow = deliberation_chart(build, {"questions": questions(), "recommendations": recommendations()}, 400)
    [drawing] = [f for f in flow if hasattr(f, "bars")]
    assert len(drawing.bars.contents) == 12 and drawing.width == 400
    assert deliberation_chart(build, {}, 400) == []  # nothing to picture, nothing drawn


def test_a_pdf_with_no_deliberation_answers_still_renders_the_chart():
    pdf = render_pdf(make_document(questions=questions(concern=""), recommendations=recommendations(status="")))
    page = chart_page_text(pdf)
    assert "Bekymringsniveau for 12 spørgsmål: 0 høj, 0 middel, 0 lav, 0 ingen og 12 ikke angivet." in page
    assert page.count("Ikke vurderet") >= 5
    drawing = chart_drawing(chart_data(questions(concern=""), recommendations(status="")), font_set(), CONTENT_WIDTH)
    assert all(bar.strokeDashArray for bar in drawing.bars.contents)


def test_a_pdf_without_questions_or_recommendations_renders_without_a_chart():
    pdf = render_pdf(make_document(questions=[], recommendations=[]))
    text = text_of(pdf)
    assert "4. Spørgsmålene og udvalgets drøftelse" in text and TITLE not in text


def test_the_chart_is_deterministic():
    document = make_document(questions=questions(), recommendations=recommendations())
    assert render_pdf(document) == render_pdf(document)


def test_the_demos_published_pdf_has_the_chart_and_the_page_says_the_same(runner, client):
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    publication = db.session.scalars(
        select(Publication).where(Publication.withdrawn_at.is_(None)).order_by(Publication.id)
    ).first()
    frozen = db.session.get(SignedRecord, publication.signed_record_id)
    record = signed_content(frozen)
    chart = chart_data(record["questions"], record["recommendations"])
    page = chart_page_text(bytes(frozen.pdf))
    assert TITLE in page and "De fem anbefalinger" in page
    for group in chart.groups:
        assert group.title.split()[0] in page
    assert chart.summary().split(" Tabellen")[0] in page
    drawing = chart_drawing(chart, font_set(), CONTENT_WIDTH)
    assert len(drawing.bars.contents) == len(record["questions"]) > 0

    html = client.get(f"/vurderinger/{publication.public_id}").get_data(as_text=True)
    sentence = re.search(r'<p class="sr-only">(Bekymringsniveau for [^<]+)</p>', html).group(1)
    assert sentence == chart.summary()  # the web chart reads the same data function
