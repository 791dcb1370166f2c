"""The PDF a signed public document deserves: dated by its signing time and still
deterministic, an outline of its sections, Danish hyphenation in narrow columns, no heading alone
at a page's foot, and characters no font has shown and reported, never silently dropped."""

import io
import re
from datetime import UTC, datetime, timedelta

import pyphen
import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, PageBreak
from reportlab.platypus.doctemplate import ActionFlowable
from test_pdf import SECTION_HEADINGS, extract, make_document

from app.pdf import fonts as pdf_fonts
from app.pdf import render, styles
from app.pdf.builder import Builder
from app.pdf.flowables import Heading
from app.pdf.glyphs import describe_character, font_runs
from app.pdf.render import render_pdf
from app.pdf.sections import case

DANISH = pyphen.Pyphen(lang="da_DK")


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


# --- Dates -------------------------------------------------------------------------------------


def test_a_signed_pdf_is_dated_by_its_signing_time_and_stays_deterministic():
    document = make_document()
    first, second = render_pdf(document), render_pdf(make_document())
    assert first == second
    info = reader(first).metadata
    signed = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # make_document's signed_at, UTC
    assert info.creation_date == signed and info.modification_date == signed
    assert b"D:20000101" not in first  # ReportLab's invariant date is gone
    later = make_document()
    later["signed_at"] = "2026-11-23T08:30:15"
    assert reader(render_pdf(later)).metadata.creation_date == datetime(2026, 11, 23, 8, 30, 15, tzinfo=UTC)


def test_without_its_own_signing_time_a_record_is_dated_by_its_last_signature():
    document = make_document()
    document["signed_at"] = None
    document["signatures"] = [
        {"name": "A", "title": "Formand", "signed_at": "2026-11-22T10:00:00"},
        {"name": "B", "title": "Medlem", "signed_at": "2026-11-24T09:15:00"},
    ]
    pdf = render_pdf(document)
    assert reader(pdf).metadata.creation_date == datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
    assert pdf == render_pdf(document)


def test_files_are_embedded_by_reportlab_in_a_sorted_name_tree(monkeypatch):
    import pypdf

    monkeypatch.setattr(pypdf, "PdfWriter", None)  # no second pass over the whole PDF
    document = make_document()
    document["attachments"] = [
        {"name": "tilsyn.pdf", "data": b"%PDF-1.4 b"},
        {"name": "dpia.pdf", "data": b"%PDF-1.4 a"},
        {"name": "dpia.pdf", "data": b"%PDF-1.4 c"},
    ]
    pdf = render_pdf(document)
    assert pdf == render_pdf(document)
    attachments = dict(reader(pdf).attachments)
    assert attachments.pop("etikdialog-post.json")  # the record itself (tests/test_pdf_tagged.py)
    assert attachments == {
        "dpia.pdf": [b"%PDF-1.4 a"],
        "dpia (2).pdf": [b"%PDF-1.4 c"],
        "tilsyn.pdf": [b"%PDF-1.4 b"],
    }
    names = reader(pdf).trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"][::2]
    assert names == sorted(names)


def test_a_draft_is_dated_when_it_is_rendered():
    before = datetime.now(UTC).replace(microsecond=0)
    info = reader(render_pdf(make_document(draft=True))).metadata
    assert before <= info.creation_date <= datetime.now(UTC) + timedelta(seconds=1)
    assert info.modification_date == info.creation_date


# --- Outline -----------------------------------------------------------------------------------


def outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every outline entry, in order."""
    pdf_reader = reader(pdf)
    entries = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title, pdf_reader.get_destination_page_number(item)))

    walk(pdf_reader.outline, 0)
    return entries


def test_every_section_has_a_bookmark_on_its_page_and_groups_sit_under_it():
    document = make_document()
    document["record"]["questions"][0]["explanation"] = "Tænketankens forklaring."
    pdf = render_pdf(document)
    entries = outline(pdf)
    sections = [title for level, title, _page in entries if level == 0]
    assert sections == [*SECTION_HEADINGS, "Bilag A. Tænketankens forklaringer til spørgsmålene"]
    assert (1, "Centrale spørgsmål", entries[[t for _l, t, _p in entries].index("Centrale spørgsmål")][2]) in entries
    pages = reader(pdf).pages
    for _level, title, page in entries:
        assert title in " ".join(pages[page].extract_text().split()), title  # the bookmark opens its page
    assert reader(pdf).trailer["/Root"]["/PageMode"] == "/UseOutlines"


# --- Hyphenation -------------------------------------------------------------------------------

NARROW_WORDS = ["Demenskoordinatoren", "Velfærdsteknologikonsulenten", "Sundhedsplejerskeafdelingen"]


def action(owner: str) -> dict:
    return {"description": "Kort", "owner": owner, "due_date": None, "status_label": "Planlagt", "is_condition": False}


def legal_breaks(word: str) -> set[str]:
    return {head for head, _tail in DANISH.iterate(word)}


@pytest.mark.parametrize("word", NARROW_WORDS)
def test_a_word_too_wide_for_its_table_cell_breaks_at_a_danish_hyphenation_point(word):
    fonts = pdf_fonts.font_set()
    style = styles.styles(fonts)["cell"]
    assert pdfmetrics.stringWidth(word, style.fontName, style.fontSize) > 3.6 * 28.35 - 12  # it cannot fit whole
    text = extract(render_pdf(make_document(actions=[action(word)])))
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):  # noqa: B007 - where the cell's text starts
        if word.startswith(line.rstrip("-")) and line.rstrip("-"):
            head = line
            break
    else:
        raise AssertionError(f"{word} not found in {lines}")
    if head == word:
        return  # whole on one line
    assert head.endswith("-"), f"{word} broken without a hyphen: {head!r} / {lines[index + 1]!r}"
    assert head[:-1] in legal_breaks(word), f"{head!r} is no Danish hyphenation point of {word}"
    rest = "".join(lines[index + 1 : index + 3]).replace("-", "")
    assert rest.startswith(word[len(head) - 1 :])


def test_hyphenation_is_cached_and_short_words_outside_cells_are_left_whole():
    styles.hyphenate.cache_clear()
    assert styles.hyphenate("Demenskoordinatoren") == styles.hyphenate("Demenskoordinatoren")
    assert styles.hyphenate.cache_info().hits == 1
    assert styles.hyphenate_long("tryghed") == ()
    assert styles.hyphenate_long("Velfærdsteknologikonsulenten")  # a long one may break anywhere


# --- Headings ----------------------------------------------------------------------------------

HEADING_STYLES = {"h1", "h2", "h3", "label"}


def questions(first_lines: int) -> list[dict]:
    """Two dilemmas; the first question's discussion pushes the second dilemma's heading (h2) and its
    first question's heading (h3) down the page a line at a time."""
    filler = "\n".join(
        f"Linje {n} af udvalgets drøftelse, som fylder en hel linje på siden." for n in range(first_lines)
    )
    return [
        {"group_title": "Første dilemma", "text": "Hvad er gevinsten?", "discussion": filler, "answer": "Kort."},
        {"group_title": "Andet dilemma", "text": "Hvem bærer risikoen?", "discussion": "Drøftelse. " * 30},
        {"group_title": "Andet dilemma", "text": "Og hvem har ansvaret?", "discussion": "Svar. " * 40},
    ]


def headings_left_alone(document: dict, monkeypatch) -> list[tuple[int, str]]:
    """Headings whose page ends with them: every drawn flowable is traced (lists and drawings too),
    except what draws nothing: the guards, page breaks and the frame breaks they make."""
    monkeypatch.setattr(
        render,
        "printed_texts",
        lambda flowable: (
            []
            if isinstance(flowable, CondPageBreak | PageBreak | ActionFlowable)
            else [(getattr(flowable, "text", type(flowable).__name__), getattr(flowable, "style", None))]
        ),
    )
    trace: list = []
    render_pdf(document, trace=trace)
    heading = [style is not None and style.name in HEADING_STYLES for _page, _text, style in trace]
    alone = [
        trace[i][:2]
        for i in range(len(trace))
        if heading[i] and (i + 1 == len(trace) or trace[i + 1][0] != trace[i][0])
    ]
    return alone


def test_no_heading_stands_alone_at_the_foot_of_a_page(monkeypatch):
    """The filler moves the headings through every position at the foot of the page, including the
    second dilemma's heading directly followed by its first question's."""
    found = {}
    for lines in range(20, 62):
        alone = headings_left_alone(make_document(questions=questions(lines)), monkeypatch)
        if alone:
            found[lines] = alone
    assert found == {}


def test_a_heading_asks_for_itself_the_headings_after_it_and_the_start_of_what_follows():
    fonts = pdf_fonts.font_set()
    build = Builder(fonts, styles.styles(fonts))
    story = [*build.heading("Afsnit", "h2"), *build.heading("Underafsnit", "h3"), *build.paras("Tekst. " * 200)]
    Heading.link(story)
    h2, h3, text = story
    width = styles.CONTENT_WIDTH
    needed = h2.needed(width)
    heads = h2.wrap(width, 1000)[1] + h2.getSpaceAfter() + h3.wrap(width, 1000)[1]
    heads += h3.getSpaceBefore() + h3.getSpaceAfter()
    assert needed == pytest.approx(heads + 2 * text.style.leading + text.getSpaceBefore())
    assert h2.wrap(width, needed - 1)[1] > needed - 1  # does not fit: the frame moves it on
    assert h2.wrap(width, needed + 1)[1] < needed  # fits, at its own height
    assert h2.split(width, 1000) == []  # and is never split


# --- Characters no font has --------------------------------------------------------------------


def needs_replacement_font():
    if pdf_fonts.font_set().replacement is None:
        pytest.skip("no installed font draws U+FFFD (DejaVu Sans)")


def test_unsupported_characters_are_read_from_the_document_without_rendering_it():
    needs_replacement_font()
    document = make_document(text="Raket 🚀 og 中, Ωμέγα, مرحبا\nslut", name="Åse 😀")
    found = render.unsupported_characters(document)
    assert found == sorted({"🚀", "中"})  # Greek is in the main font, Arabic and 😀 in the fallback
    assert describe_character("🚀") == "🚀 (U+1F680 ROCKET)"
    assert render.unsupported_characters(make_document()) == []


def test_the_running_header_draws_what_no_font_has_as_the_replacement():
    needs_replacement_font()
    fonts = pdf_fonts.font_set()
    runs = font_runs("Aarhus Kommune · Sensorer 中 مرحبا", fonts)
    assert "".join(text for _font, text in runs) == "Aarhus Kommune · Sensorer 中 مرحبا"
    assert (fonts.replacement, "中") in runs or any("中" in t and f == fonts.replacement for f, t in runs)
    assert any(font == fonts.fallback and "مرحبا" in text for font, text in runs)
    face = pdfmetrics.getFont(fonts.replacement).face
    assert face.charToGlyph[ord("中")] == face.charToGlyph[0xFFFD]
    assert font_runs("Aarhus", fonts) == [(fonts.regular, "Aarhus")]


def test_with_helvetica_alone_a_missing_character_is_named_never_a_silent_box(monkeypatch):
    monkeypatch.setattr(pdf_fonts, "PLEX_DIRS", ())
    monkeypatch.setattr(pdf_fonts, "DEJAVU_DIRS", ())
    pdf_fonts.font_set.cache_clear()
    try:
        document = make_document(text="Glad 😀 og Ω slut", draft=True)
        assert render.unsupported_characters(document) == ["😀"]
        text = " ".join(extract(render_pdf(document)).split())
        assert "Glad [U+1F600] og" in text  # (Ω is drawn from Symbol, and copies out as the ohm sign)
        assert "U+1F600 (GRINNING FACE)" in text  # listed on the cover
        assert "■" not in text and "[U+FFFD]" not in text
    finally:
        pdf_fonts.font_set.cache_clear()


def test_the_board_is_told_which_characters_the_draft_cannot_show(client, app):
    needs_replacement_font()
    from assessment_factories import make_assessment
    from factories import login, make_org, make_user

    editor = make_user(make_org("Aarhus Kommune"), role="editor")
    assessment = make_assessment(editor, title="Raket 🚀 til plejecentret")
    login(client, editor)
    response = client.get(f"/intern/vurderinger/{assessment.public_id}/udkast.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    page = client.get(f"/intern/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert re.search(r"Udkastet viser 1 tegn som �.*🚀 \(U\+1F680 ROCKET\)", page)
    again = client.get(f"/intern/vurderinger/{assessment.public_id}/udkast.pdf")  # from the cache: still said
    assert again.headers["X-Draft-Cache"] == "hit"
    assert "U+1F680 ROCKET" in client.get(f"/intern/vurderinger/{assessment.public_id}").get_data(as_text=True)


def test_a_group_heading_before_any_section_still_gets_a_valid_outline(monkeypatch):
    declaration = case.declaration
    monkeypatch.setattr(
        case,
        "declaration",
        lambda build, record: [*build.heading("Gruppe først", "h2"), *declaration(build, record)],
    )
    entries = outline(render_pdf(make_document()))
    assert entries[0][:2] == (0, "Gruppe først") and entries[1][:2] == (0, "1. Gennemsigtighedserklæring")
