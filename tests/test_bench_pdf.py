"""The PDF benchmark compares like with like, and the bounded worst case is what the bounds allow.

The baseline prints the text the app drew, page by page, with the same margins; its page count must
be the app's at all three sizes (a correctness test, not a timing)."""

import pytest

from app.pdf import bounds
from app.pdf.render import render_pdf
from bench import pdf


def test_the_large_document_has_the_size_the_target_names():
    record = pdf.large_document()["record"]
    assert len(record["consultations"][0]["responses"]) == 40
    assert len(record["actions"]) == 20 and len(record["recommendations"]) == 5
    assert all(len(q["discussion"].split()) == 400 for q in record["questions"])


def test_the_bounded_document_is_the_largest_the_bounds_allow():
    record = pdf.bounded_document()["record"]
    overrun = bounds.check(record)
    assert not overrun
    assert overrun.characters >= 0.99 * bounds.MAX_DOCUMENT_CHARACTERS
    assert overrun.lines >= 0.9 * bounds.MAX_DOCUMENT_LINES
    assert max(f.lines for f in bounds.fields(record)) == bounds.MAX_FIELD_LINES
    assert max(f.characters for f in bounds.fields(record)) <= 5000  # the form bound of one field


def test_the_largest_document_the_bounds_allow_renders_within_the_time_limit(app):
    document = pdf.bounded_document()
    rendered = render_pdf(document, time_limit=app.config["PDF_RENDER_SECONDS"])
    assert pdf.page_count(rendered) > 50


@pytest.fixture(scope="module")
def sizes():
    return {
        "demo": pdf.demo_document(),
        "large": pdf.large_document(),
        "bounded": pdf.bounded_document(),
    }


@pytest.mark.parametrize("size", ["demo", "large", "bounded"])
def test_the_baseline_prints_the_same_text_on_the_same_number_of_pages(app, sizes, size):
    document = sizes[size]
    rendered, trace = pdf.traced(document)
    pages = pdf.page_count(rendered)
    on_page = pdf.baseline_pages(trace, pages)
    assert pdf.page_count(pdf.baseline_pdf(on_page)) == pages
    printed = "\n".join(text for texts in on_page for text, _style in texts)
    record = document["record"]
    for expected in (
        record["title"],
        record["questions"][0]["text"][:40],
        (record["decision"]["reasoning"] or "")[:60],
    ):
        assert expected.replace("&", "&amp;").replace("<", "&lt;") in printed


def test_the_demo_document_is_the_demos_largest(sizes):
    assert sizes["demo"]["record"]["organisation"]["name"].endswith("Kommune")
    assert len(sizes["demo"]["record"]["questions"]) >= 6
