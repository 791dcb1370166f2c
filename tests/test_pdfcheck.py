"""Active content in uploads: app/documents/pdfcheck.py on small PDFs built
here, each case refused with a Danish message naming what was found; normal PDFs pass; the board's
form answers 422, never 500; a file stored before the check stops sign-off, naming the document."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from datetime import date

import pytest
from assessment_factories import answer_everything, make_assessment, request_signoff
from factories import login, make_user
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

from app.assessments import services as assessments
from app.content.loader import get_content
from app.documents import pdfcheck, services
from app.documents.models import RelatedDocument
from app.extensions import db
from app.signoff.models import Signature

# --- PDFs built by hand: every object is ours, the cross-reference table is exact ---------------


def build_pdf(*, catalog: bytes = b"", page: bytes = b"", objects: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF. Objects 1-3 are catalogue, page tree and page (each with the extra entries
    given); `objects` are numbered from 4 and may be streams."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b" >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"", *, length: int | None = None) -> bytes:
    declared = len(data) if length is None else length
    return b"<< /Length %d %s >>\nstream\n" % (declared, entries) + data + b"\nendstream"


def build_pdf_with_object_stream(hidden: bytes, catalog: bytes, *, packed: bytes | None = None) -> bytes:
    """A PDF whose object 4 lives compressed inside an object stream (object 5), listed by a
    cross-reference stream (object 6): nothing of object 4 is readable in the file's bytes.
    `packed` replaces the object stream's compressed bytes."""
    header = b"4 0 "
    packed = packed if packed is not None else zlib.compress(header + hidden)
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        5: stream(packed, b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header)),
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[6] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3)]
    rows += [struct.pack(">BIH", 2, 5, 0), struct.pack(">BIH", 1, offsets[5], 0), struct.pack(">BIH", 1, offsets[6], 0)]
    table = b"".join(rows)
    out += b"6 0 obj\n" + stream(table, b"/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R") + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)


def reportlab_pdf(text: str = "Konsekvensanalyse") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.drawString(72, 720, "Side 2")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def written(change) -> bytes:
    """A PDF as pypdf writes it, after `change(writer)`."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zeros_bomb(gigabytes: int) -> bytes:
    """A zlib stream that inflates to `gigabytes` GiB of zeros, built in milliseconds: one
    compressed MiB of zeros after a full flush encodes the same every time, so it is repeated;
    the Adler-32 of n zeros is (n mod 65521) << 16 | 1."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    mib = bytes(1024 * 1024)
    compressor.compress(mib)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = gigabytes * 1024
    end = compressor.flush(zlib.Z_FINISH)  # an empty final block
    adler = ((count * len(mib)) % 65521) << 16 | 1
    return b"\x78\xda" + block * count + end + struct.pack(">I", adler)


def codes(data: bytes) -> list[str]:
    return [finding.code for finding in pdfcheck.inspect(data)]


# --- Normal PDFs pass -------------------------------------------------------------------------


def test_plain_pdfs_pass(app):
    assert codes(build_pdf()) == []
    assert codes(reportlab_pdf()) == []
    assert codes(written(lambda writer: None)) == []
    assert codes(b"\n\r\n" + build_pdf() + b"\r\n\x00 ") == []  # whitespace around is not content
    # A link to a web page, and opening at a page (as LaTeX writes it) are plain documents.
    link = b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://x.dk) >> >>]"
    assert codes(build_pdf(page=link)) == []
    assert codes(build_pdf(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>")) == []
    assert codes(build_pdf(catalog=b"/OpenAction [3 0 R /Fit]")) == []
    assert pdfcheck.problem(reportlab_pdf()) is None


def test_a_pdf_the_app_signed_has_nothing_active_but_the_record_it_carries(app, published):
    """The app's own output (ReportLab, then a PAdES signature by pyHanko) is a plain document, but
    for the canonical record it carries as an embedded file (PDF/A-3): the upload check refuses
    embedded files, so a signed Etikdialog PDF is not accepted as an uploaded document."""
    assert codes(bytes(published.signed_record.pdf)) == ["embedded_file"]


# --- Each kind of active content is refused and named --------------------------------------------


JS = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


@pytest.mark.parametrize(
    ("data", "code", "named"),
    [
        (
            build_pdf(catalog=b"/Names << /JavaScript << /Names [(x) 4 0 R] >> >>", objects=(JS,)),
            "javascript",
            "JavaScript",
        ),
        (build_pdf(catalog=b"/OpenAction 4 0 R", objects=(JS,)), "javascript", "JavaScript"),
        (build_pdf(catalog=b"/OpenAction << /S /URI /URI (https://evil.example) >>"), "open_action", "/OpenAction"),
        (build_pdf(page=b"/AA << /O << /S /URI /URI (https://evil.example) >> >>"), "additional_actions", "/AA"),
        (
            build_pdf(page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (calc.exe) >> >>]"),
            "launch",
            "/Launch",
        ),
        (
            build_pdf(page=b"/Annots [<< /Subtype /Widget /A << /S /SubmitForm /F (https://x.dk) >> >>]"),
            "submit_form",
            "/SubmitForm",
        ),
        (build_pdf(page=b"/Annots [<< /A << /S /ImportData /F (a.fdf) >> >>]"), "import_data", "/ImportData"),
        (build_pdf(page=b"/Annots [<< /A << /S /GoToR /F (\\\\\\\\host\\\\a.pdf) >> >>]"), "remote_goto", "/GoToR"),
        (build_pdf(page=b"/Annots [<< /Subtype /RichMedia /Rect [0 0 9 9] >>]"), "rich_media", "/RichMedia"),
        (build_pdf(catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>", objects=(stream(b"<xdp/>"),)), "xfa", "XFA"),
        (written(lambda w: w.add_attachment("virus.exe", b"MZ")), "embedded_file", "vedhæftede filer"),
        (
            build_pdf(page=b"/Annots [<< /Subtype /FileAttachment /Rect [0 0 9 9] /FS 4 0 R >>]", objects=(b"<< >>",)),
            "embedded_file",
            "vedhæftede filer",
        ),
    ],
    ids=[
        "javascript-name-tree",
        "javascript-open-action",
        "open-action",
        "additional-actions",
        "launch",
        "submit-form",
        "import-data",
        "remote-goto",
        "rich-media",
        "xfa",
        "embedded-file",
        "file-attachment-annotation",
    ],
)
def test_active_content_is_refused_naming_what_was_found(app, data, code, named):
    assert code in codes(data)
    message = pdfcheck.problem(data)
    assert named in message and "Gem dokumentet som PDF igen" in message


def test_names_hidden_by_escapes_or_inside_an_object_stream_are_found(app):
    escaped = build_pdf(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
    assert codes(escaped) == ["javascript", "open_action"]
    hidden = build_pdf_with_object_stream(b"<< /Names [(x) " + JS + b"] >>", b"/Names << /JavaScript 4 0 R >>")
    assert b"JS" not in hidden  # only compressed bytes: a plain search of the file finds nothing
    assert codes(hidden) == ["javascript"]
    assert codes(build_pdf_with_object_stream(b"<< /Kind (ok) >>", b"/Extra 4 0 R")) == []


def test_everything_found_is_named_in_one_message(app):
    data = build_pdf(catalog=b"/OpenAction 4 0 R /AcroForm << /Fields [] /XFA (x) >>", objects=(JS,))
    message = pdfcheck.problem(data)
    assert "JavaScript" in message and "XFA-formular" in message and " og " in message


# --- One file, not two: bytes before %PDF or after %%EOF ------------------------------------------


def test_bytes_before_the_header_are_refused(app):
    html = b"<html><script>alert(1)</script></html>\n"
    assert codes(html + build_pdf()) == ["prefix_bytes"]
    message = pdfcheck.problem(html + build_pdf())
    assert "før PDF-filens begyndelse (%PDF)" in message and "39 byte" in message


def test_bytes_after_the_end_are_refused_html_or_zip(app):
    html = build_pdf() + b"<html><script>alert(1)</script></html>"
    assert codes(html) == ["trailing_bytes"]
    assert "efter PDF-filens slutning (%%EOF)" in pdfcheck.problem(html)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", "<script>alert(1)</script>")
    assert codes(build_pdf() + archive.getvalue()) == ["trailing_bytes"]


def test_a_zip_that_ends_in_eof_is_still_found(app):
    """A ZIP whose comment is `%%EOF` makes the file end like a PDF; the ZIP's end record gives it away."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", "<script>alert(1)</script>")
        bundle.comment = b"\n%%EOF\n"
    polyglot = build_pdf() + archive.getvalue()
    assert polyglot.rstrip().endswith(b"%%EOF")
    assert codes(polyglot) == ["zip"]
    assert zipfile.ZipFile(io.BytesIO(polyglot)).namelist() == ["payload.html"]  # it is a real ZIP


def test_a_file_without_an_end_is_refused(app):
    assert codes(build_pdf().replace(b"%%EOF", b"")) == ["no_end"]
    assert codes(b"hej, jeg er en tekstfil") == ["not_pdf"]


# --- Bombs: declared lengths before anything is decompressed, then bounded inflation ----------------


def test_a_declared_length_beyond_the_file_is_refused_before_decompressing(app, monkeypatch):
    def no_parsing(_data):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(pdfcheck, "_objects", no_parsing)
    data = build_pdf(objects=(stream(b"x" * 10, b"/Filter /FlateDecode", length=2_000_000_000),))
    assert codes(data) == ["declared_length"]
    assert "større end selve filen" in pdfcheck.problem(data)
    # Many honest-looking lengths that add up to more than the file are refused the same way.
    many = build_pdf(objects=tuple(stream(b"", b"/Length 900") for _ in range(3)))
    assert codes(many) == ["declared_length"]
    decoded = build_pdf(objects=(stream(b"x", b"/DL 3000000000"),))
    assert codes(decoded) == ["bomb"]


def test_a_2_gb_flate_bomb_is_refused_quickly_with_bounded_memory(app):
    bomb = zeros_bomb(2)
    data = build_pdf(page=b"/Contents 4 0 R", objects=(stream(bomb, b"/Filter /FlateDecode"),))
    assert len(data) < 3 * 1024 * 1024  # it fits well under the upload limit
    tracemalloc.start()
    started = time.perf_counter()
    try:
        found = codes(data)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    seconds = time.perf_counter() - started
    assert found == ["bomb"]
    assert "128 MB" in pdfcheck.problem(data)
    assert peak < 32 * 1024 * 1024, peak  # the inflated bytes are counted, never kept
    assert seconds < 10, seconds  # stops at the bound (under a second here), not after 2 GB


def test_a_bomb_inside_an_object_stream_stops_at_the_parse_bound(app):
    """pypdf inflates an object stream to read the objects in it: under this module's limits."""
    data = build_pdf_with_object_stream(b"", b"/Extra 4 0 R", packed=zeros_bomb(1))
    assert codes(data) == ["bomb"]
    assert "16 MB" in pdfcheck.problem(data)


def test_many_streams_together_are_bounded(app, monkeypatch):
    monkeypatch.setattr(pdfcheck, "TOTAL_DECODED_MAX", 3 * 1024 * 1024)
    monkeypatch.setattr(pdfcheck, "STREAM_DECODED_MAX", 2 * 1024 * 1024)
    one = stream(zlib.compress(bytes(1024 * 1024 + 1)), b"/Filter /FlateDecode")
    assert codes(build_pdf(objects=(one, one))) == []
    assert codes(build_pdf(objects=(one, one, one))) == ["bomb"]
    hexed = zlib.compress(bytes(3 * 1024 * 1024)).hex().encode()
    chained = stream(hexed, b"/Filter [/ASCIIHexDecode /FlateDecode]")
    assert codes(build_pdf(objects=(chained,))) == ["bomb"]
    assert codes(build_pdf(objects=(stream(hexed, b"/Filter [/AHx /Fl]"),))) == ["bomb"]  # abbreviated alike
    a85 = base64.a85encode(zlib.compress(bytes(3 * 1024 * 1024)), adobe=True)[2:]
    assert codes(build_pdf(objects=(stream(a85, b"/Filter [/ASCII85Decode /FlateDecode]"),))) == ["bomb"]
    # Rarer chains are decoded by pypdf under the same bound ...
    twice = zlib.compress(zlib.compress(bytes(3 * 1024 * 1024)))
    assert codes(build_pdf(objects=(stream(twice, b"/Filter [/FlateDecode /FlateDecode]"),))) == ["bomb"]
    # ... and one pypdf cannot decode (abbreviations belong to inline images) is not measured, so refused.
    assert codes(build_pdf(objects=(stream(twice, b"/Filter [/Fl /Fl]"),))) == ["unreadable"]


def test_unreadable_encrypted_and_pageless_files_keep_their_messages(app):
    assert "kunne ikke læses som PDF" in pdfcheck.problem(b"%PDF-1.4\nthis is not a pdf at all\n%%EOF\n")
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("hemmelig")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "adgangskode" in pdfcheck.problem(buffer.getvalue())
    pageless = build_pdf().replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0")
    assert "ingen sider" in pdfcheck.problem(pageless)


# --- Through the board's form, and at sign-off for files stored before the check ---------------------

FORM = {
    "status": "foreligger",
    "title": "Konsekvensanalyse for GPS-sporing",
    "url": "",
    "document_date": "2026-03-02",
    "reason": "",
}
DPIA = {**FORM, "document_date": date(2026, 3, 2)}
JS_PDF = build_pdf(catalog=b"/OpenAction 4 0 R", objects=(JS,))


def test_the_form_answers_422_in_danish_naming_what_was_found(client, org):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/dokumenter/dpia"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("a.html", "<script>alert(1)</script>")
    bomb = build_pdf(objects=(stream(b"x", b"/Filter /FlateDecode", length=2_000_000_000),))
    for data, named in (
        (JS_PDF, "PDF-filen indeholder JavaScript"),
        (build_pdf(page=b"/Annots [<< /A << /S /Launch /F (calc.exe) >> >>]"), "starter et program (/Launch)"),
        (b"<html><body>hej</body></html>\n" + build_pdf(), "før PDF-filens begyndelse (%PDF)"),
        (build_pdf() + archive.getvalue(), "efter PDF-filens slutning (%%EOF)"),
        (bomb, "større end selve filen"),
    ):
        response = client.post(
            url, data={**FORM, "file": (io.BytesIO(data), "dpia.pdf")}, content_type="multipart/form-data"
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422, named
        assert html.escape(named, quote=False) in page, named
        assert 'value="Konsekvensanalyse for GPS-sporing"' in page  # what was typed comes back
    assert db.session.query(RelatedDocument).count() == 0
    response = client.post(
        url, data={**FORM, "file": (io.BytesIO(reportlab_pdf()), "dpia.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 303 and db.session.query(RelatedDocument).count() == 1


def stored_unchecked(monkeypatch, assessment, editor, data: bytes, *, request_signoff_too: bool = False):
    """Store a file as the code before this check did (pdfcheck passing everything), as an upgrade finds it."""
    from app.documents import record

    monkeypatch.setattr(record, "_PASSED", set())
    signers = [make_user(assessment.organisation, role="member"), make_user(assessment.organisation, role="admin")]
    with monkeypatch.context() as before:
        before.setattr(pdfcheck, "problem", lambda _data: None)
        services.save_document(assessment, "dpia", DPIA, user=editor, upload=data, upload_name="dpia – gammel.pdf")
        if request_signoff_too:
            request_signoff(assessment, editor, signers)
    record._PASSED.clear()  # a new process after the upgrade has judged nothing yet
    db.session.commit()
    return signers


def test_a_file_stored_before_the_check_stops_the_request_for_signoff_naming_it(org, monkeypatch):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    signers = stored_unchecked(monkeypatch, assessment, editor, JS_PDF)
    with pytest.raises(assessments.TransitionBlocked) as blocked:
        request_signoff(assessment, editor, signers)
    missing = " ".join(blocked.value.missing)
    assert "Filen „dpia – gammel.pdf“ til „Konsekvensanalyse (DPIA)“ kan ikke komme med" in missing
    assert "JavaScript" in missing and "Erstat filen" in missing


def test_an_assessment_already_awaiting_signoff_is_stopped_at_the_signature(org, monkeypatch):
    from app.signoff import services as signoff

    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    signers = stored_unchecked(monkeypatch, assessment, editor, JS_PDF, request_signoff_too=True)
    assert assessment.status == "awaiting_signoff"
    content = get_content()
    _snapshot, record_sha256 = signoff.current_record(assessment, content)
    with pytest.raises(signoff.SignRefused) as refused:
        signoff.sign(
            assessment,
            user=signers[0],
            password="",
            seen_hash=record_sha256,
            seen_at=None,
            content=content,
            password_ok=lambda user, password: True,
        )
    message = str(refused.value)
    assert message.startswith("Vurderingen kan ikke underskrives, før filen er erstattet.")
    assert "„dpia – gammel.pdf“" in message and "JavaScript" in message
    assert db.session.query(Signature).count() == 0


def test_the_check_command_names_stored_files_that_fail_and_who_uses_them(runner, org, monkeypatch):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    stored_unchecked(monkeypatch, assessment, editor, JS_PDF)
    services.save_document(assessment, "evaluering", DPIA, user=editor, upload=reportlab_pdf(), upload_name="ok.pdf")
    db.session.commit()
    result = runner.invoke(args=["documents", "check"])
    assert result.exit_code == 1
    assert (
        f"AFVIST {hashlib.sha256(JS_PDF).hexdigest()}: javascript, open_action. Bruges af: {assessment.public_id} (draft, dpia)"
        in (result.output)
    )
    assert "Kontrollerede 2 PDF-filer: 1 afvises." in result.output
    services.save_document(assessment, "dpia", DPIA, user=editor, upload=reportlab_pdf("ny"), upload_name="ny.pdf")
    db.session.commit()
    result = runner.invoke(args=["documents", "check"])
    assert "Bruges af: ingen" in result.output  # still stored by hash: a signed record may name it
