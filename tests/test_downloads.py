"""Downloads with any file name: the Content-Disposition header names the file
as RFC 6266 / RFC 5987 ask (an ASCII fallback and `filename*=UTF-8''…`), and every header of every
download passes gunicorn's own response code, which refuses what is not Latin-1."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from assessment_factories import answer_everything, make_assessment, sign_off
from factories import login, make_user
from gunicorn.http import wsgi as gunicorn_wsgi
from reportlab.pdfgen import canvas
from werkzeug.http import parse_options_header

from app.assessments import services as assessments
from app.core.downloads import ascii_name, content_disposition
from app.documents import services
from app.extensions import db

EN_DASH = "Konsekvensanalyse – plejecenter Solgården.pdf"  # as Word writes it
DANISH = "Databehandleraftale æøå ÆØÅ.pdf"
CJK = "評価報告書.pdf"
NAMES = {"dpia": EN_DASH, "databehandleraftale": DANISH, "evaluering": CJK}

DOCUMENT = {
    "status": "foreligger",
    "title": "Dokument",
    "url": "https://kommune.example.dk/dokument",
    "document_date": date(2026, 3, 2),
    "reason": "",
}


def small_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class _Socket:
    def __init__(self):
        self.sent = b""

    def sendall(self, data: bytes) -> None:
        self.sent += data


def through_gunicorn(response) -> bytes:
    """The response's status line and headers as gunicorn's own wsgi.Response writes them to the
    socket: it refuses a header value outside Latin-1 (InvalidResponseHeader) and encodes the rest
    as Latin-1. This is where the bare 500 came from."""
    request = SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False)
    socket = _Socket()
    writer = gunicorn_wsgi.Response(request, socket, SimpleNamespace(protocol="http"))
    writer.start_response(response.status, list(response.headers.items()))
    writer.send_headers()
    return socket.sent


def exact_name(response) -> str:
    """The file name a browser takes from the header (filename* wins over filename)."""
    _value, options = parse_options_header(response.headers["Content-Disposition"])
    return options["filename"]


def assert_download(response, name: str, data: bytes) -> None:
    assert response.status_code == 200 and response.data == data
    header = response.headers["Content-Disposition"]
    header.encode("ascii")  # so Latin-1 too
    assert exact_name(response) == name
    assert "filename*=UTF-8''" in header and "; filename=" in header
    assert b"Content-Disposition: attachment; filename=" in through_gunicorn(response)


# --- The header itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        (EN_DASH, "Konsekvensanalyse - plejecenter Solgaarden.pdf"),
        (DANISH, "Databehandleraftale aeoeaa AeOeAa.pdf"),
        (CJK, "dokument.pdf"),
        ("Référence “citat”.pdf", "Reference 'citat'.pdf"),
        ('a"b\r\nc.pdf', "a'bc.pdf"),
        ("", "dokument"),
    ],
)
def test_every_name_gets_an_ascii_fallback_and_its_exact_utf8_form(name, fallback):
    header = content_disposition(name)
    assert header.encode("latin-1") and header.isascii()
    assert ascii_name(name) == fallback
    value, options = parse_options_header(header)
    assert value == "attachment"
    assert options["filename"] == (name.replace("\r\n", "") or "dokument")
    assert "\r" not in header and "\n" not in header


def test_an_ascii_name_is_given_once_and_inline_is_kept():
    assert content_disposition("etikdialog-roots.pem", inline=True) == "inline; filename=etikdialog-roots.pem"
    assert content_disposition("a b.pdf") == 'attachment; filename="a b.pdf"'


def test_the_old_header_is_what_gunicorn_refused():
    """The test can fail: the header as it was written before is refused by gunicorn's code."""
    old = SimpleNamespace(status="200 OK", headers={"Content-Disposition": f'attachment; filename="{EN_DASH}"'})
    with pytest.raises(gunicorn_wsgi.InvalidResponseHeader):
        through_gunicorn(old)


# headers["Content-Disposition"] = …, headers.set("Content-Disposition", …), {"Content-Disposition": …}
WRITES_THE_HEADER = re.compile(
    r"""\[\s*["']Content-Disposition["']\s*\]|\(\s*["']Content-Disposition["']\s*,|["']Content-Disposition["']\s*:"""
)


def test_no_view_writes_the_header_by_hand():
    """One rule, one place: every Content-Disposition in app/ goes through content_disposition."""
    root = Path(__file__).resolve().parent.parent / "app"
    by_hand = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "downloads.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITES_THE_HEADER.search(line) and "content_disposition(" not in line
    ]
    assert by_hand == []
    assert not [p for p in root.rglob("*.py") if re.search(r"download_name\s*=", p.read_text(encoding="utf-8"))]


# --- The board's download and the public one ---------------------------------------------------


def test_the_board_downloads_files_with_any_name(client, org):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    files = {kind: small_pdf(kind) for kind in NAMES}
    for kind, name in NAMES.items():
        services.save_document(assessment, kind, DOCUMENT, user=editor, upload=files[kind], upload_name=name)
    db.session.commit()
    login(client, editor)
    for kind, name in NAMES.items():
        response = client.get(f"/intern/vurderinger/{assessment.public_id}/dokumenter/{kind}/fil")
        assert_download(response, name, files[kind])


def test_the_public_downloads_files_with_any_name_and_every_public_download_passes_gunicorn(client, org):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    files = {kind: small_pdf(kind) for kind in NAMES}
    for kind, name in NAMES.items():
        services.save_document(assessment, kind, DOCUMENT, user=editor, upload=files[kind], upload_name=name)
    sign_off(assessment, editor, [make_user(org, role="member"), make_user(org, role="admin")])
    assessments.transition(assessment, "publish", user=make_user(org, role="admin"))
    db.session.commit()
    for kind, name in NAMES.items():
        digest = hashlib.sha256(files[kind]).hexdigest()
        response = client.get(f"/vurderinger/{assessment.public_id}/dokumenter/{digest}.pdf")
        assert_download(response, name, files[kind])
    for path in (
        f"/vurderinger/{assessment.public_id}.pdf",
        f"/vurderinger/{assessment.public_id}.json",
        f"/vurderinger/{assessment.public_id}/logbevis.json",
        "/api/v1/signing/roots.pem",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"Content-Disposition: " in through_gunicorn(response), path
