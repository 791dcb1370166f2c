"""The tagged, archival PDF (issue 29), read back with pikepdf (qpdf) and poppler, not with our own code.

`walk_structure` is a screen-reader-like reading: it follows the structure tree from the
StructTreeRoot and collects the text of each marked-content sequence (decoded through each font's
ToUnicode map) in the tree's order, never in the page's.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from datetime import datetime

import pikepdf
import pytest
from etikdialog_verify import findings
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.assessments.chart import chart_data
from app.assessments.declaration import declaration
from app.pdf.archival import archive, xmp_date
from app.pdf.fonts import font_set
from app.pdf.render import render_pdf
from app.pdf.tagging import TaggedCanvasMixin, TaggedDocMixin, artifact, describe, untagged
from app.signoff.canonical import record_hash

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
MADE = "D:20261122100000+00'00'"


# --- Reading a PDF back ------------------------------------------------------------------------


def _unicode_map(font) -> dict[int, str]:
    """A simple font's ToUnicode map: code → text (ReportLab writes one bfchar entry per code)."""
    if "/ToUnicode" not in font:
        return {}
    text = font.ToUnicode.read_bytes().decode("latin-1")
    text = "".join(re.findall(r"beginbfchar(.*?)endbfchar", text, re.S))
    return {
        int(code, 16): bytes.fromhex(value).decode("utf-16-be")
        for code, value in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", text)
    }


def page_marks(page) -> tuple[dict[int, str], list[str]]:
    """The text of each MCID on a page, and every text operator found outside marked content with an
    MCID or an artifact (should be none)."""
    fonts = page.Resources.get("/Font", {})
    maps = {str(name): _unicode_map(fonts[name]) for name in fonts}
    texts: dict[int, str] = {}
    stack: list[object] = []  # an MCID, "Artifact", or None for other marked content
    current: dict[int, str] = {}
    loose: list[str] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            tag, props = str(operands[0]), operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append("Artifact" if tag == "/Artifact" else int(mcid) if mcid is not None else None)
        elif op == "BMC":
            stack.append("Artifact" if str(operands[0]) == "/Artifact" else None)
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            current = maps.get(str(operands[0]), {})
        elif op in TEXT_OPERATORS:
            strings = operands[-1] if op != "TJ" else [s for s in operands[0] if isinstance(s, pikepdf.String)]
            strings = strings if isinstance(strings, list) else [strings]
            text = "".join(current.get(b, chr(b)) for s in strings for b in bytes(s))
            owner = next((m for m in reversed(stack) if m is not None), None)
            if owner is None:
                loose.append(text)
            elif owner != "Artifact":
                texts[owner] = texts.get(owner, "") + text
    assert not stack, "unbalanced marked content"
    return texts, loose


def kids_of(element) -> list:
    """An element's /K as a list (a single kid may stand alone)."""
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def walk_structure(pdf: pikepdf.Pdf) -> list[tuple[str, str]]:
    """(structure type, its text) for each element with content of its own, in the tree's order."""
    page_texts = {page.objgen: page_marks(page)[0] for page in pdf.pages}
    out: list[tuple[str, str]] = []

    def visit(element, depth=0):
        role = str(element.get("/S", "/?"))[1:]
        own = []
        for kid in kids_of(element):
            if isinstance(kid, int):
                own.append(page_texts[element.Pg.objgen].get(kid, ""))
            elif kid.get("/Type") == "/MCR":
                own.append(page_texts[kid.Pg.objgen].get(int(kid.MCID), ""))
            else:
                visit(kid, depth + 1)
        if own:
            out.append((role, "".join(own)))

    visit(pdf.Root.StructTreeRoot.K)
    return out


def elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first."""
    todo = [pdf.Root.StructTreeRoot.K]
    while todo:
        element = todo.pop(0)
        yield element
        todo[0:0] = [
            k for k in kids_of(element) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem"
        ]


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, list]:
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    return {int(nums[i]): list(nums[i + 1]) for i in range(0, len(nums), 2)}


def check_tagged(data: bytes) -> pikepdf.Pdf:
    """The checks every tagged PDF of ours passes; returns the opened PDF for more."""
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "da-DK"
    assert root.ViewerPreferences.DisplayDocTitle is True
    parents = parent_tree(pdf)
    assert int(root.StructTreeRoot.ParentTreeNextKey) >= len(pdf.pages)
    for page in pdf.pages:
        texts, loose = page_marks(page)
        assert loose == [], f"text outside marked content: {loose[:3]}"
        assert str(page.obj.Tabs) == "/S"
        owners = parents[int(page.obj.StructParents)]
        for mcid in texts:  # every MCID has its element in the ParentTree, and that element claims it
            element = owners[mcid]
            kids = kids_of(element)
            assert any(
                (isinstance(k, int) and k == mcid and element.Pg.objgen == page.objgen)
                or (isinstance(k, pikepdf.Dictionary) and k.get("/MCID") == mcid and k.Pg.objgen == page.objgen)
                for k in kids
            )
    levels = [int(str(e.S)[2:]) for e in elements(pdf) if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    for element in elements(pdf):
        if element.S == "/Figure":
            assert str(element.Alt).strip()
        if element.S == "/TH":
            assert str(element.A.Scope) in ("/Column", "/Row")
    return pdf


# --- The layer on its own: a story made for it -------------------------------------------------


class _Doc(TaggedDocMixin, SimpleDocTemplate):
    pass


class _Canvas(TaggedCanvasMixin, canvas.Canvas):
    def showPage(self):
        with artifact(self, "Pagination"):
            self.drawString(40, 20, f"Side {self.getPageNumber()}")
            self.line(40, 30, 500, 30)
        super().showPage()

    def save(self):
        archive(
            self._doc, record_json=b'{"post": 1}', attachments=[{"name": "bilag.pdf", "data": b"%PDF-1.7"}], made=MADE
        )
        super().save()


def _heading(text: str, level: int, style) -> Paragraph:
    heading = Paragraph(text, style)
    heading.heading_level = level
    return heading


def standalone_pdf() -> bytes:
    fonts = font_set()
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=14)
    bold = ParagraphStyle("bold", parent=body, fontName=fonts.bold)
    table = Table(
        [["Nr.", "Tekst"], *[[str(n), f"række {n}"] for n in range(1, 81)]], repeatRows=1, colWidths=[60, 300]
    )
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.regular, 9), ("GRID", (0, 0), (-1, -1), 0.5, "grey")]))
    facts = Table([["Teknologi", "Robot"], ["Område", "Pleje"]])
    facts.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.regular, 9)]))
    facts.tag_row_headers = True
    picture, decoration = Drawing(100, 40), Drawing(100, 4)
    picture.add(Rect(0, 0, 100, 40))
    decoration.add(Rect(0, 0, 100, 4))
    picture.initialFontName = decoration.initialFontName = fonts.regular
    story = [
        _heading("Titel", 1, bold),
        facts,
        _heading("Et underafsnit", 3, bold),  # its style says level 3; it must read as H2
        Paragraph("Lang tekst " * 700, body),  # over a page break: one P
        _heading("Tabellen", 2, bold),
        table,  # over a page break: one Table, its head repeated as an artifact
        ListFlowable([ListItem([Paragraph(f"punkt {n}", body)]) for n in range(3)], bulletFontName=fonts.regular),
        Spacer(1, 10),
        describe(picture, "En firkant"),
        decoration,
    ]
    buffer = io.BytesIO()
    _Doc(buffer, title="Prøve", lang="da-DK", invariant=1, initialFontName=fonts.regular).build(
        story, canvasmaker=_Canvas
    )
    return buffer.getvalue()


def test_the_layer_tags_every_text_and_builds_a_tree_in_reading_order():
    data = standalone_pdf()
    pdf = check_tagged(data)
    read = walk_structure(pdf)
    roles = [role for role, _text in read]
    assert read[0] == ("H1", "Titel")
    assert ("H2", "Et underafsnit") in read and ("H2", "Tabellen") in read
    assert read[1:5] == [("TH", "Teknologi"), ("TD", "Robot"), ("TH", "Område"), ("TD", "Pleje")]
    long_text = [text for role, text in read if text.startswith("Lang tekst")]
    assert len(long_text) == 1 and long_text[0].count("Lang tekst") == 700  # one P across the break
    cells = [text for role, text in read if role in ("TH", "TD")][4:]
    assert cells[:4] == ["Nr.", "Tekst", "1", "række 1"]  # the head once, then row by row
    assert cells.count("Nr.") == 1 and cells[-2:] == ["80", "række 80"]
    assert [text for role, text in read if role == "P" and text.startswith("punkt")] == [
        "punkt 0",
        "punkt 1",
        "punkt 2",
    ]
    assert roles.count("Lbl") == 3
    tables = [e for e in elements(pdf) if e.S == "/Table"]
    assert len(tables) == 2
    pages_of_rows = {cell.Pg.objgen for row in kids_of(tables[1]) for cell in kids_of(row)}
    assert len(pages_of_rows) >= 2  # the big table's rows stand on several pages, under one element
    heads = [e for e in elements(pdf) if e.S == "/TH"]
    assert {str(h.A.Scope) for h in heads} == {"/Row", "/Column"}
    figures = [e for e in elements(pdf) if e.S == "/Figure"]
    assert len(figures) == 1 and str(figures[0].Alt) == "En firkant"  # the undescribed one is an artifact


def test_the_layer_is_deterministic_and_names_no_unembedded_font():
    first, second = standalone_pdf(), standalone_pdf()
    assert first == second
    pdf = pikepdf.open(io.BytesIO(first))
    for page in pdf.pages:
        for _name, font in page.Resources.Font.items():
            assert font.get("/FontDescriptor") is not None, f"{font.BaseFont} is not embedded"
            descriptor = font.FontDescriptor
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_archival_metadata_attachments_and_output_intent():
    pdf = pikepdf.open(io.BytesIO(standalone_pdf()))
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
    assert meta["pdfuaid:part"] == "1"
    assert meta["dc:title"] == str(pdf.docinfo.Title) == "Prøve"
    assert meta["xmp:CreateDate"] == xmp_date(MADE) == "2026-11-22T10:00:00+00:00"
    assert "/Filter" not in pdf.Root.Metadata  # the packet stays readable
    intent = pdf.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
    relationships = {str(f.F): str(f.AFRelationship) for f in pdf.Root.AF}
    assert relationships == {"etikdialog-post.json": "/Source", "bilag.pdf": "/Supplement"}
    source = pdf.attachments["etikdialog-post.json"]
    assert source.get_file().read_bytes() == b'{"post": 1}'
    assert str(source.obj.EF.F.Subtype) == "/application/json"


# --- The renderer's PDF --------------------------------------------------------------------------


def record_pdf(**overrides) -> tuple[dict, bytes]:
    from test_pdf import make_document
    from test_pdf_chart import questions, recommendations

    document = make_document(
        questions=questions(), recommendations=recommendations(), public_id="V-2026-TEST", **overrides
    )
    document["record_sha256"] = record_hash(document["record"])
    return document, render_pdf(document)


def test_the_record_pdf_is_tagged_and_section_one_reads_in_order():
    document, data = record_pdf()
    pdf = check_tagged(data)
    read = walk_structure(pdf)
    start = read.index(("H1", "1. Gennemsigtighedserklæring"))
    end = next(i for i, (role, _text) in enumerate(read) if i > start and role == "H1")
    section = read[start + 1 : end]
    assert section[0][0] == "P" and section[0][1].startswith("Kort fortalt")
    items = declaration(document["record"])
    headings = [text for role, text in section if role == "H2"]
    assert headings == [item.question for item in items]  # h3 in the layout, H2 in the tree: no level skipped
    # Each further answer's own question (issue 28 item 5) is the level below: a label, H3 in the tree.
    assert [text for role, text in section if role == "H3"] == [
        p.question for i in items for p in i.parts if p.question
    ]
    listed = [entry for i in items for p in i.parts for entry in p.items]
    assert listed and any(role == "Lbl" for role, _text in section)  # the conditions, a list (L, LI)
    for index, (role, _text) in enumerate(section[1:], start=1):  # each question, then its answer
        if role == "H2":
            assert section[index + 1][0] == "P"
    assert ("H1", "9. Underskrifter") in read
    figures = {str(e.Alt) for e in elements(pdf) if e.S == "/Figure"}
    chart = chart_data(document["record"]["questions"], document["record"]["recommendations"])
    assert figures == {"QR-kode til kontrol af dokumentet", f"{chart.summary()} {chart.recommendations_summary()}"}
    assert len(pdf.Root.Outlines.First.keys()) > 0  # the bookmarks are kept


def test_the_record_pdf_embeds_every_font_and_carries_its_record():
    document, data = record_pdf()
    assert b"/Helvetica" not in data
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        for _name, font in page.Resources.Font.items():
            assert "/FontFile2" in font.FontDescriptor or "/FontFile3" in font.FontDescriptor
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfuaid:part"]) == ("3", "1")
    assert meta["dc:title"] == str(pdf.docinfo.Title)
    assert meta["xmp:CreateDate"] == xmp_date(str(pdf.docinfo.CreationDate))
    source = [f for f in pdf.Root.AF if f.AFRelationship == "/Source"]
    assert len(source) == 1
    embedded = pdf.attachments[str(source[0].UF)].get_file().read_bytes()
    assert sha256(embedded) == document["record_sha256"]  # the exact bytes whose hash the PDF prints


def test_with_helvetica_the_pdf_claims_neither_pdf_a_nor_pdf_ua(monkeypatch):
    from app.pdf import fonts as pdf_fonts

    monkeypatch.setattr(pdf_fonts, "PLEX_DIRS", ())
    monkeypatch.setattr(pdf_fonts, "DEJAVU_DIRS", ())
    pdf_fonts.font_set.cache_clear()
    try:
        _document, data = record_pdf()
    finally:
        pdf_fonts.font_set.cache_clear()
    meta = pikepdf.open(io.BytesIO(data)).open_metadata()
    assert b"/Helvetica" in data and "pdfaid:part" not in meta and "pdfuaid:part" not in meta


def test_a_draft_is_tagged_too_and_its_watermark_is_an_artifact():
    _document, data = record_pdf(draft=True)
    pdf = check_tagged(data)
    assert not any("UDKAST – ikke godkendt" in text for role, text in walk_structure(pdf) if role != "P")


def notification_summary(status: str = "underskrevet") -> dict:
    """A notification summary (app/ai/services.py's shape) with the six elements, one of them long
    enough to run over a page break."""
    letters = "abcdef"
    return {
        "title": "Resumé af konsekvensanalyse for grundlæggende rettigheder (AI-forordningens artikel 27)",
        "note": "Resumé til anmeldelse til markedsovervågningsmyndigheden efter artikel 27, stk. 3.",
        "status": status,
        "generated_at": "2026-11-22T10:00:00Z",
        "deployer": {"name": "Aarhus Kommune"},
        "assessment": {"title": "Beslutningsstøtte", "version": 1, "record_sha256": "ab" * 32},
        "technology": {"name": "Visitationsmodel", "category": "Kunstig intelligens", "supplier": ""},
        "ai": {
            "uses_ai": "ja",
            "purpose": "Forslag til omfanget af hjemmehjælp.",
            "annex_iii_title": "5. Adgang til væsentlige offentlige ydelser",
            "high_risk": True,
            "fria_required": True,
            "fria": {
                "wording": "Etikdialogs formulering – ikke forordningens officielle tekst",
                "regulation": "Forordning (EU) 2024/1689, artikel 27",
                "elements": [
                    {
                        "letter": letter,
                        "question": f"Spørgsmål {letter}?",
                        "label": f"Element {letter}",
                        "citation": f"artikel 27, stk. 1, litra {letter}",
                        "text": "\n".join(f"Svar {letter}, linje {n}. " * 8 for n in range(30 if letter == "c" else 1)),
                    }
                    for letter in letters
                ],
                "dpia": "",
                "notified": False,
            },
        },
    }


@pytest.mark.parametrize("status", ["underskrevet", "udkast"])
def test_the_fria_notification_pdf_is_tagged_with_its_headings_in_order(status):
    from app.pdf.fria import notification_pdf

    summary = notification_summary(status)
    data = notification_pdf(summary)
    pdf = check_tagged(data)  # every text operator in marked content, /Lang da-DK, /MarkInfo, H1 first
    assert len(pdf.pages) > 1 and str(pdf.docinfo.Title) == summary["title"]
    read = [(role, text.replace(" ", "")) for role, text in walk_structure(pdf)]  # a line's end has no space
    headings = [(role, text) for role, text in read if re.fullmatch(r"H[1-6]", role)]
    assert headings[0] == ("H1", summary["title"].replace(" ", ""))
    assert ("H2", "AI-screening") in headings and ("H2", "Konsekvensanalyseforgrundlæggenderettigheder") in headings
    assert [text for role, text in headings if role == "H3" and text.endswith("?")] == [
        f"{letter})Spørgsmål{letter}?" for letter in "abcdef"
    ]
    paragraphs = [text for role, text in read if role == "P"]
    assert "Svarc,linje29." in "".join(paragraphs)  # the long answer, read across the page break
    assert any(text.startswith("UDKAST") for text in paragraphs) == (status == "udkast")
    assert b"/Helvetica" not in data


def test_the_fria_notification_pdf_passes_the_independent_pdf_ua_checker_and_is_dated_when_made(tmp_path):
    from pdfua import validate

    from app.pdf.fria import notification_pdf

    data = notification_pdf(notification_summary())
    path = tmp_path / "anmeldelse.pdf"
    path.write_bytes(data)
    report = validate(str(path))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    assert [outcome.rule_id for outcome in report.skipped] == []
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.docinfo.CreationDate) == MADE  # the summary's generated_at, not ReportLab's 2000-01-01
    meta = pdf.open_metadata()
    assert meta["xmp:CreateDate"] == xmp_date(MADE) and meta["pdfuaid:part"] == "1"
    assert str(pdf.docinfo.Subject).startswith("Anmeldelse til markedsovervågningsmyndigheden")
    assert notification_pdf(notification_summary()) == data


def test_an_independent_pdf_ua_checker_finds_nothing_and_fails_an_untagged_pdf(tmp_path):
    """pdfua (PyPI, built on pikepdf) implements part of PDF/UA-1's machine-checkable rules: none may
    find anything or be skipped on our PDF, and on the untagged render they must find something."""
    from pdfua import validate

    document, data = record_pdf()
    path = tmp_path / "vurdering.pdf"
    path.write_bytes(data)
    report = validate(str(path))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    assert [outcome.rule_id for outcome in report.skipped] == []
    assert len(report.outcomes) >= 12
    with untagged():
        path.write_bytes(render_pdf(document))
    assert {f.rule_id for f in validate(str(path)).findings} >= {"UA-01-005", "UA-01-002"}


def test_the_signature_on_a_tagged_archival_pdf_validates(tmp_path):
    from etikdialog_verify import findings
    from etikdialog_verify import signature as validate

    from app.signing import democa, keys, pades

    directory = tmp_path / "signing"
    democa.issue(directory, "aarhus-kommune", "Aarhus Kommune")
    _document, data = record_pdf()
    signed = pades.sign_with(
        data,
        keys.load(directory, "aarhus-kommune"),
        signed_at=datetime(2026, 11, 22, 10),
        reason="Prøve",
        location="Aarhus",
    )
    finding = validate.validate(signed.pdf, (directory / democa.CA_CERT).read_bytes())
    assert finding.ok, finding
    assert check_tagged(signed.pdf).Root.StructTreeRoot  # the signature's update keeps the tagging
    pdf = pikepdf.open(io.BytesIO(signed.pdf))
    meta, info = pdf.open_metadata(), pdf.docinfo
    assert meta["pdf:Producer"] == str(info.Producer) and meta["pdfaid:part"] == "3"  # still in step
    assert meta["xmp:ModifyDate"] == xmp_date(str(info.ModDate)) == "2026-11-22T10:00:00+00:00"
    embedded = findings.embedded_record(signed.pdf)  # etikdialog-verify needs no other file
    assert [f.ok for f in findings.check_record(signed.pdf, findings.read_record(embedded))][-1] is True
    if have("pdfsig"):
        with open_tmp(signed.pdf) as path:
            out = subprocess.run(["pdfsig", path], capture_output=True, text=True).stdout
        assert "Signature is Valid" in out


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


@pytest.mark.skipif(not have("pdfinfo"), reason="poppler-utils is not installed")
def test_poppler_reads_the_structure_in_reading_order():
    with open_tmp(standalone_pdf()) as path:
        out = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, text=True, check=True).stdout
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert out.index('"Titel"') < out.index('"Et underafsnit"') < out.index('"Tabellen"')
    assert "/Scope /Column" in out
    _document, data = record_pdf()
    with open_tmp(data) as path:
        out = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, text=True, check=True).stdout
    positions = [
        out.index(f'"{heading}"') for heading in ("1. Gennemsigtighedserklæring", "2. Forslaget", "9. Underskrifter")
    ]
    assert positions == sorted(positions)
    assert re.search(r"H2 \(block\)\n\s+\"Hvad", out)  # section 1's questions are headings


class open_tmp:
    def __init__(self, data: bytes):
        self.data = data

    def __enter__(self) -> str:
        import tempfile

        self.file = tempfile.NamedTemporaryFile(suffix=".pdf")
        self.file.write(self.data)
        self.file.flush()
        return self.file.name

    def __exit__(self, *exc):
        self.file.close()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


OLD_PDF_NOTE = "blev underskrevet, før Etikdialogs PDF'er blev mærket til skærmlæsere"


def test_a_record_signed_before_tagging_says_its_page_is_the_accessible_form(app, client, published, monkeypatch):
    from app.pdf.archival import is_tagged
    from app.public import services as public_services

    frozen = published.signed_record
    assert is_tagged(bytes(frozen.pdf)) and public_services.pdf_is_tagged(frozen)
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    assert OLD_PDF_NOTE not in page.replace("&#39;", "'")
    document, data = record_pdf()
    with untagged():
        old = render_pdf(document)
    assert is_tagged(data) and not is_tagged(old)
    monkeypatch.setitem(app.extensions["etikdialog.pdf_tagged"], frozen.pdf_sha256, False)  # as if signed before
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE", False)  # the page as rendered now
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    assert OLD_PDF_NOTE in page.replace("&#39;", "'")


def test_the_record_a_pdf_names_is_read_from_what_it_carries_without_its_text(monkeypatch):
    """/verificer on a miss (issue 33 item 5): the record hash comes from the embedded record,
    so no page's text is extracted; a PDF that carries none still falls back to its text."""
    from pypdf import PageObject

    document, data = record_pdf()
    extracted = []
    original = PageObject.extract_text
    monkeypatch.setattr(PageObject, "extract_text", lambda self, *a, **k: extracted.append(1) or original(self))
    assert findings.record_hash_named_in(data) == document["record_sha256"]
    assert extracted == []
    pdf = pikepdf.open(io.BytesIO(data))
    del pdf.Root.AF  # as a PDF signed before records were embedded
    buffer = io.BytesIO()
    pdf.save(buffer)
    assert findings.record_hash_named_in(buffer.getvalue()) == document["record_sha256"]
    assert extracted  # read from section 9's text
