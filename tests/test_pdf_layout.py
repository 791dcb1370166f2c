"""Layout rules of the record PDF found by reading the demo's PDFs (issue 29 item 4)."""

import io

from pypdf import PdfReader
from test_pdf import make_document

from app.pdf.render import render_pdf


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_signatures_and_the_hash_lines_stay_on_one_page_wherever_section_nine_starts(app):
    """Section 9 is pushed down the page a few lines at a time; its hash lines never stand on a
    page without the section's heading."""
    with app.test_request_context():
        for lines in (27, 29, 31, 33):  # 29-32 split the section before the fix
            dissent = "\n".join(f"Linje {n} af udvalgsmedlemmets mindretalsudtalelse." for n in range(lines))
            document = make_document(
                positions=[{"name": "Åse Ærø", "title": "Medlem", "stance_label": "Uenig", "dissent": dissent}]
            )
            pages = pages_of(render_pdf(document))
            [hash_page] = [p for p in pages if "SHA-256 af den underskrevne post" in p]
            assert "9. Underskrifter" in hash_page, f"{lines} lines of dissent split section 9"
            assert "Sådan bekræftede underskriverne deres identitet" in hash_page
