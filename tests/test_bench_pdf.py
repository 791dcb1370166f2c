"""The PDF benchmark compares like with like: the baseline prints the same text as the render."""

import io

from pypdf import PdfReader

from bench import pdf


def test_the_large_document_has_the_size_the_target_names():
    record = pdf.large_document()["record"]
    assert len(record["consultations"][0]["responses"]) == 40
    assert len(record["actions"]) == 20 and len(record["recommendations"]) == 5
    assert all(len(q["discussion"].split()) == 400 for q in record["questions"])


def test_the_baseline_prints_every_text_the_full_render_prints(app):
    document = pdf.large_document()
    texts = pdf._texts(document)
    record = document["record"]
    joined = "\n".join(texts)
    for expected in (record["consultations"][0]["responses"][0]["body"], record["actions"][5]["description"],
                     record["questions"][3]["discussion"][:200], "Łukasz Wiśniewski"):  # fmt: skip
        assert expected in joined
    baseline = PdfReader(io.BytesIO(pdf.baseline_pdf(texts)))
    assert len(baseline.pages) > 10
