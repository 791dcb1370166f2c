"""The PDF renderer, from plain documents: sections, escaping, scripts, determinism, fallbacks."""

import io
import logging

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode import qrencoder
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table

from app.pdf import bounds, render
from app.pdf import fonts as pdf_fonts
from app.pdf.builder import Builder
from app.pdf.flowables import QrCode, printed_texts
from app.pdf.render import render_pdf
from app.pdf.styles import DRAFT_MARK, SHORT_CELL, styles

SECTION_HEADINGS = [
    "1. Gennemsigtighedserklæring",
    "2. Forslaget",
    "3. Beslutning",
    "4. Spørgsmålene og udvalgets drøftelse",
    "5. Tænketankens fem anbefalinger",
    "6. Handlingsplan",
    "7. Borgerinddragelse og høringssvar",
    "8. Mindretalsudtalelser",
    "9. Underskrifter",
]


def proposal(**values):
    return [{"field": name, "label": name, "value": text, "text": text} for name, text in values.items()]


def make_document(*, text="Udvalgets drøftelse af nattilsyn", name="Åse Ærø", draft=False, **record_overrides):
    record = {
        "title": "Sensorer i plejeboliger",
        "organisation": {"name": "Aarhus Kommune", "slug": "aarhus"},
        "version_number": 1,
        "content_version": "abc123",
        "technology": {"name": "Nattilsyn med sensorer", "category_title": "Sensorer", "area_title": "Social"},
        "proposal": proposal(
            problem="Fald om natten opdages for sent.",
            technology_name="Nattilsyn",
            opt_out="Ja, borgeren får fysisk tilsyn i stedet.",
        ),
        "decision": {
            "label": "Anbefales med betingelser",
            "reasoning": "Gevinsten opvejer ulemperne.",
            "review_date": "2027-12-01",
        },
        "questions": [
            {
                "group_title": "Centrale spørgsmål",
                "text": "Hvilken værdi skaber det?",
                "discussion": text,
                "answer": "Udvalgets svar",
                "concern_label": "Lav",
            }
        ],
        "recommendations": [
            {
                "number": 1,
                "title": "Kursskifte",
                "status_label": "Opfyldt",
                "justification": "Begrundelse for anbefalingen",
            }
        ],
        "actions": [
            {
                "description": "Evaluér efter et år",
                "owner": "Leder",
                "due_date": "2027-06-01",
                "status_label": "Planlagt",
                "is_condition": True,
            }
        ],
        "positions": [{"name": name, "title": "Medlem", "stance_label": "Uenig", "dissent": "Jeg er uenig."}],
        **record_overrides,
    }
    code = None if draft else "7K2M-9QXD-4HTA"
    return {
        "record": record,
        "record_sha256": "ab" * 32,
        "signatures": [{"name": name, "title": "Formand", "signed_at": "2026-11-22T10:00:00"}],
        "verification_code": code,
        "signed_at": None if draft else "2026-11-22T10:00:00",
        "verify_url": f"http://etikdialog.test/verificer?kode={code}" if code else None,
        "draft": draft,
    }


def extract(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def normalised(text: str) -> str:
    return " ".join(text.split())


def test_every_section_heading_and_the_boards_text_are_in_the_pdf():
    pdf = render_pdf(make_document())
    text = normalised(extract(pdf))
    for heading in SECTION_HEADINGS:
        assert heading in text
    for expected in [
        "Aarhus Kommune",
        "Sensorer i plejeboliger",
        "Nattilsyn med sensorer",
        "Anbefales med betingelser",
        "Udvalgets drøftelse af nattilsyn",
        "Evaluér efter et år",
        "Jeg er uenig.",
        "ab" * 32,
        "7K2M-9QXD-4HTA",
        "Fald om natten opdages for sent.",
        "Ja, borgeren får fysisk tilsyn i stedet.",
        "1. december 2027",
    ]:
        assert expected in text, expected


def test_pages_are_numbered_and_metadata_is_set():
    pdf = render_pdf(make_document())
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert f"Side 1 af {total}" in reader.pages[0].extract_text()
    assert f"Side {total} af {total}" in reader.pages[-1].extract_text()
    assert reader.metadata.title == "Sensorer i plejeboliger – Aarhus Kommune"
    assert reader.metadata.author == "Aarhus Kommune"
    assert reader.trailer["/Root"]["/Lang"] == "da-DK"


def test_the_same_document_renders_to_the_same_bytes():
    assert render_pdf(make_document()) == render_pdf(make_document())
    assert render_pdf(make_document()) != render_pdf(make_document(text="Anden tekst"))


def test_a_draft_carries_the_watermark_and_no_verification_code():
    text = extract(render_pdf(make_document(draft=True)))
    assert DRAFT_MARK in text
    assert "7K2M-9QXD-4HTA" not in text


@pytest.mark.parametrize(
    "payload",
    [
        "<b>fed</b> & co",
        '<img src="/etc/passwd"/>',
        '<font color="red">rød</font>',
        "<para><i>ubalanceret",
        "a" * 5000,
        "</br><br/><seq id='x'/>",
    ],
)
def test_user_text_is_never_markup(payload):
    pdf = render_pdf(make_document(text=payload, title=payload))
    text = normalised(extract(pdf)).replace(" ", "")
    # The literal characters survive (interpreted markup would have swallowed the tags).
    assert normalised(payload).replace(" ", "")[:300] in text
    assert b"/Subtype /Image" not in pdf  # no <img> was followed: the document has no images


@pytest.mark.parametrize("name", ["Łukasz Żółć", "Çağrı Işık", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Шостакович"])
def test_names_in_other_scripts_are_legible(name):
    text = extract(render_pdf(make_document(name=name)))
    assert name in text


def test_text_the_fonts_lack_never_crashes_the_render():
    pdf = render_pdf(make_document(text="مرحبا بالعالم 😀🚀 中文", name="Ωμέγα 😀"))
    assert pdf.startswith(b"%PDF")
    assert "Ωμέγα" in extract(pdf)


def test_characters_outside_the_basic_plane_copy_out_as_themselves():
    """ReportLab wrote <1F600> into the ToUnicode map, so 😀 copied out as "ὠ"."""
    text = extract(render_pdf(make_document(text="Glad 😀 og 𝐀 slut", name="Ωμέγα 😀")))
    assert "Glad 😀 og" in text
    assert "ὠ" not in text


def test_characters_no_font_has_are_shown_as_a_visible_replacement_and_reported(caplog):
    if pdf_fonts.font_set().replacement is None:
        pytest.skip("no installed font draws U+FFFD (DejaVu Sans)")
    render.log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="app.pdf.render"):
            pdf = render_pdf(make_document(text="Raket 🚀 og 中 slut", draft=True))
    finally:
        render.log.removeHandler(caplog.handler)
    text = normalised(extract(pdf))
    assert "U+1F680 (ROCKET)" in text and "U+4E2D" in text  # the draft lists them on its cover
    assert "står som \ufffd" in text
    assert "Raket 🚀 og 中 slut" in text  # copied out as typed, drawn as "�"
    assert "Raket ? og" not in text
    assert "U+1F680 (ROCKET)" in caplog.text
    # The glyph drawn for 🚀 is the font's U+FFFD glyph, not the missing-glyph box.
    face = pdfmetrics.getFont(pdf_fonts.font_set().replacement).face
    assert face.charToGlyph[0x1F680] == face.charToGlyph[0xFFFD]


def test_the_tounicode_map_writes_utf16_pairs():
    cmap = pdf_fonts._to_unicode_cmap("X", [0x41, 0x1F600])
    assert "<00> <0041>" in cmap and "<01> <D83DDE00>" in cmap


def story_texts(document: dict) -> list:
    return [item for flowable in render.build_story(document, pdf_fonts.font_set()) for item in printed_texts(flowable)]


def test_every_line_of_user_text_is_its_own_paragraph():
    lines = [f"Afsnit nummer {n} med lidt tekst." for n in range(40)]
    story = render.build_story(make_document(text="\n".join(lines) + "\n\n\n"), pdf_fonts.font_set())
    paragraphs = [f for f in story if isinstance(f, Paragraph)]
    assert not any("<br" in p.text for p in paragraphs)
    assert [p.getPlainText() for p in paragraphs if p.getPlainText().startswith("Afsnit nummer")] == lines


def test_long_texts_stand_below_short_table_rows(monkeypatch):
    long_text = "Handlingen er beskrevet i mange ord. " * 30
    document = make_document(
        actions=[
            {
                "description": long_text,
                "owner": "Leder",
                "due_date": "2027-06-01",
                "status_label": "Planlagt",
                "is_condition": False,
            },
            {
                "description": "Kort handling",
                "owner": "Leder",
                "due_date": None,
                "status_label": "Planlagt",
                "is_condition": False,
            },
        ],
        recommendations=[{"number": 1, "title": "Kursskifte", "status_label": "Opfyldt", "justification": long_text}],
    )
    story = render.build_story(document, pdf_fonts.font_set())
    for table in (f for f in story if isinstance(f, Table)):
        for row in table._cellvalues:
            for cell in row:
                assert len(cell if isinstance(cell, str) else cell.getPlainText()) <= SHORT_CELL
    texts = [text for text, _style in story_texts(document)]
    assert texts.count(long_text.strip()) == 2  # the action's and the recommendation's, as paragraphs
    assert any("Kort handling" in text for text in texts)  # a short one stays in its row


def test_short_cells_are_plain_text_and_long_or_fallback_ones_wrap():
    build = Builder(pdf_fonts.font_set(), styles(pdf_fonts.font_set()))
    assert build.cell("Planlagt", "cell", 80) == "Planlagt"
    assert isinstance(build.cell("Et navn der er alt for langt til kolonnen", "cell", 80), Paragraph)
    assert isinstance(build.cell("To\nlinjer", "cell", 400), Paragraph)
    assert build.cell("<b>fed</b> & co", "cell", 400) == "<b>fed</b> & co"  # drawn as is: never markup
    if pdf_fonts.font_set().fallback:
        assert isinstance(build.cell("مرحبا", "cell", 400), Paragraph)  # the fallback font needs a paragraph


def test_the_qr_code_is_encoded_once_and_drawn_as_one_path(monkeypatch):
    made = []
    original = qrencoder.QRCode.makeImpl
    monkeypatch.setattr(qrencoder.QRCode, "makeImpl", lambda self, *args: made.append(args) or original(self, *args))
    pdf = render_pdf(make_document())
    assert made == [(False, QrCode.MASK)]  # one encoding, not one per mask tried and one to draw
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert first_page.count(" re") > 100  # the modules' runs…
    assert first_page.count("\nf\n") + first_page.count(" f\n") <= 3  # …filled as one path, not 600 shapes


def test_a_render_past_its_time_limit_stops():
    with pytest.raises(render.RenderTimeout):
        render_pdf(make_document(text="Tekst. " * 2000), time_limit=1e-6)
    assert render_pdf(make_document(), time_limit=60).startswith(b"%PDF")


def test_helvetica_is_the_last_fallback_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(pdf_fonts, "PLEX_DIRS", ())
    monkeypatch.setattr(pdf_fonts, "DEJAVU_DIRS", ())
    pdf_fonts.font_set.cache_clear()
    # The app's logging setup may stop propagation, so listen on the module's logger itself.
    pdf_fonts.log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="app.pdf.fonts"):
            pdf = render_pdf(make_document())
        assert "Helvetica" in caplog.text
        assert b"IBMPlex" not in pdf
        assert "3. Beslutning" in extract(pdf)
    finally:
        pdf_fonts.log.removeHandler(caplog.handler)
        pdf_fonts.font_set.cache_clear()


def test_ibm_plex_is_embedded_when_installed():
    if not any(d.is_dir() for d in pdf_fonts.PLEX_DIRS):
        pytest.skip("dkfds is not installed (make install)")
    assert b"IBMPlexSans" in render_pdf(make_document())


def test_small_items_count_toward_the_bound_with_their_headings_and_table_rows():
    """1,400 one-word actions (a table row each) once passed a bound that counted only their text."""
    record = make_document()["record"]
    record["actions"] = [
        {"description": "Ring", "owner": "", "due_date": None, "status_label": "Planlagt", "is_condition": False}
    ] * 700
    overrun = bounds.check(record)
    assert overrun.lines_over and overrun.lines >= 700 * 5
    record["actions"] = record["actions"][:100]
    assert not bounds.check(record)


def test_a_reused_record_names_its_source_and_the_fields_the_board_confirmed():
    fields = [
        {"section": "proposal", "field": "target_group", "label": "For hvem?"},
        {"section": "actions", "number": 1, "field": "description", "label": "Handling 1: beskrivelse"},
    ]
    source = {"public_id": "ODENSE-GPS", "version": 2, "municipality": "Odense Kommune", "fields": fields}
    text = normalised(" ".join(text for text, _style in story_texts(make_document(reused_from=source))))
    assert "Denne vurdering bygger på Odense Kommunes vurdering, version 2 (id ODENSE-GPS)." in text
    assert "2 felter er overtaget uændret fra Odense Kommune." in text
    assert "For hvem?" in text and "Handling 1: beskrivelse" in text
    assert all("Bygger på en anden" not in text for text, _style in story_texts(make_document()))
