"""PAdES B-LT and B-LTA (issue 32 item 6): signing with the demo CA's CRL and an in-process RFC 3161
timestamp authority, renewal with a new document timestamp, and the verifier's offline long-term
check at a later time, when the signer's certificate has expired or been revoked.

Everything is made here, in one keys directory for the module (RSA keys are slow to generate)."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from etikdialog_verify import findings, signature
from reportlab.pdfgen import canvas

from app.signing import democa, keys, ltv, pades

NOW = datetime.now(UTC)


def _plain_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "Etikdialog test")
    page.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ltv-keys")
    democa.create_ca(directory)
    return directory


def _config(directory, **overrides) -> dict:
    return {
        "SIGNING_KEYS_DIR": str(directory),
        "ENV_NAME": "development",
        "PUBLIC_BASE_URL": "http://127.0.0.1:9",
        "SIGNING_DEMO_TSA": True,
        "SIGNING_LTV": True,
        "SIGNING_REVOCATION_FETCH": False,
        **overrides,
    }


def _short_lived(directory, slug: str, until: datetime) -> x509.Certificate:
    """A municipality certificate from the demo CA that expires at `until` (the demo's last decades)."""
    ca_certificate, ca_key = democa.load_ca(directory)
    key = democa._signer_key(directory)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(democa._name(common_name="Kortlivet Kommune", organisation="Kortlivet Kommune"))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=30))
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier("http://127.0.0.1:9/crl")], None, None, None)]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12_path, pass_path = keys.key_paths(directory, slug)
    democa.write_private(pass_path, b"test\n")
    democa.write_private(
        p12_path,
        pkcs12.serialize_key_and_certificates(
            slug.encode(), key, certificate, [ca_certificate], serialization.BestAvailableEncryption(b"test")
        ),
    )
    return certificate


def _sign(directory, slug="ltv-kommune", **overrides) -> pades.SignedPdf:
    return pades.sign_document(
        _plain_pdf(),
        slug=slug,
        municipality_name="LTV Kommune",
        signed_at=NOW,
        reason="test",
        location="test",
        config=_config(directory, **overrides),
    )


def _roots(directory) -> bytes:
    return (directory / democa.CA_CERT).read_bytes()


@pytest.fixture(scope="module")
def lta(keys_dir) -> pades.SignedPdf:
    return _sign(keys_dir)


def test_signature_with_a_timestamp_service_is_b_lta_with_a_dss(keys_dir, lta):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    assert lta.level == "B-LTA"
    reader = PdfFileReader(io.BytesIO(lta.pdf))
    dss = DocumentSecurityStore.read_dss(reader)
    assert len(dss.crls) >= 1  # the demo CA's CRL, for the signer and the timestamp authority
    assert len(list(dss.load_certs())) >= 2
    assert len(reader.embedded_timestamp_signatures) == 1
    found = signature.validate(lta.pdf, _roots(keys_dir))
    assert found.ok, found.problem
    assert (found.level, found.long_term_valid, found.trusted_now) == ("B-LTA", True, True)
    assert found.lta_updates and found.document_timestamps == 1
    assert found.last_timestamp_expires == democa.NOT_AFTER


def test_without_ltv_the_same_service_gives_b_t(keys_dir):
    signed = _sign(keys_dir, SIGNING_LTV=False)
    found = signature.validate(signed.pdf, _roots(keys_dir))
    assert signed.level == found.level == "B-T"
    assert found.ok and not found.long_term_valid


def test_an_expired_certificate_still_validates_by_the_long_term_path(keys_dir):
    _short_lived(keys_dir, "kortlivet", until=NOW + timedelta(days=30))
    lta_pdf = _sign(keys_dir, slug="kortlivet").pdf
    bt_pdf = _sign(keys_dir, slug="kortlivet", SIGNING_LTV=False).pdf
    later = NOW + timedelta(days=400)
    found = signature.validate(lta_pdf, _roots(keys_dir), at=later)
    assert not found.trusted_now  # the certificate has expired
    assert found.long_term_valid and found.trusted and found.ok, found.problem
    # the same signature without validation data cannot be checked once the certificate expired
    plain = signature.validate(bt_pdf, _roots(keys_dir), at=later)
    assert not plain.trusted and not plain.ok
    words = [f.words() for f in findings.check_signature(lta_pdf, _roots(keys_dir))[0]]
    assert any("PAdES B-LTA" in w for w in words)


def _revoke(directory, certificate: x509.Certificate, at: datetime) -> None:
    democa.crl(directory, now=NOW + timedelta(seconds=1), revoked=((certificate.serial_number, at),))


def test_revoked_after_signing_holds_revoked_before_does_not(tmp_path):
    directory = tmp_path / "keys"
    democa.create_ca(directory)
    certificate = _short_lived(directory, "spaerret", until=NOW + timedelta(days=3650))
    signed = _sign(directory, slug="spaerret").pdf
    # revoked a year after signing: the renewal adds the newer CRL, and the signature still holds
    _revoke(directory, certificate, NOW + timedelta(days=365))
    later = pades.extend(signed, _config(directory))
    found = signature.validate(later, _roots(directory), at=NOW + timedelta(days=400))
    assert found.long_term_valid and found.ok, found.problem
    # revoked before the signature: the file's own CRL says so, at the signing time
    _revoke(directory, certificate, NOW - timedelta(days=1))
    stamped = pades.extend(signed, _config(directory))
    found = signature.validate(stamped, _roots(directory), at=NOW + timedelta(days=400))
    assert found.revoked and not found.long_term_valid and not found.ok
    words = [f.words() for f in findings.check_signature(stamped, _roots(directory))[0] if f.ok is False]
    assert words == [
        "Certifikatet var spærret, da der blev underskrevet, efter de spærreoplysninger, filen selv bærer."
    ]


def test_extend_appends_a_document_timestamp_and_keeps_the_logged_bytes(keys_dir, lta):
    extended = pades.extend(lta.pdf, _config(keys_dir))
    assert extended.startswith(lta.pdf) and len(extended) > len(lta.pdf)
    found = signature.validate(extended, _roots(keys_dir))
    assert found.ok, found.problem
    assert found.level == "B-LTA" and found.document_timestamps == 2 and found.long_term_valid
    assert hashlib.sha256(lta.pdf).hexdigest() in found.revision_sha256s
    assert ltv.last_timestamp_expiry(extended) == democa.NOT_AFTER


def test_anything_else_appended_is_not_a_long_term_update(keys_dir, lta):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(lta.pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    found = signature.validate(out.getvalue(), _roots(keys_dir))
    assert found.intact and not found.covers_whole_file and not found.ok
    assert found.revision_sha256s == ()


def test_production_refuses_the_demo_timestamp_service():
    from app.config import DEV_SECRET_KEY, ConfigError, check

    settings = {"SECRET_KEY": DEV_SECRET_KEY, "SIGNING_DEMO_TSA": True, "LOG_SIGNING_KEY_FILE": __file__}
    check({**settings, "ENV_NAME": "development"})
    production = {**settings, "ENV_NAME": "production", "SECRET_KEY": "k" * 48, "PUBLIC_BASE_URL": "https://x.dk"}
    with pytest.raises(ConfigError, match="SIGNING_DEMO_TSA"):
        check(production)
    check({**production, "SIGNING_DEMO_TSA": False})


def test_a_certificate_that_names_no_crl_needs_none_and_is_still_b_lta(keys_dir):
    """A chain whose certificates name no CRL or OCSP address has no revocation data to carry (an
    older demo certificate): the DSS holds the chain, and the long-term path holds without it."""
    democa.issue(keys_dir, "uden-crl", "Uden CRL Kommune")  # no crl_url: no distribution point
    signed = _sign(keys_dir, slug="uden-crl")
    found = signature.validate(signed.pdf, _roots(keys_dir))
    assert (signed.level, found.level, found.long_term_valid, found.ok) == ("B-LTA", "B-LTA", True, True)


def test_over_http_a_local_timestamp_service_and_a_crl_fetched_from_the_certificate(tmp_path, monkeypatch):
    """The production path: an RFC 3161 service at SIGNING_TSA_URL and the CRL fetched from the
    address in the certificates (SIGNING_REVOCATION_FETCH), both served on 127.0.0.1 here."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import tsp

    directory = tmp_path / "keys"
    democa.create_ca(directory)
    crl_fetches = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = pades.demo_timestamper(config).request_tsa_response(request).dump()
            self._answer(body, "application/timestamp-reply")

        def do_GET(self):  # noqa: N802
            if self.path != democa.CRL_PATH:
                self.send_error(404)
                return
            crl_fetches.append(self.path)
            self._answer(democa.crl(directory), "application/pkix-crl")

        def _answer(self, body: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    fetching = {"PUBLIC_BASE_URL": base, "SIGNING_REVOCATION_FETCH": True, "SIGNING_DEMO_TSA": False}
    config = _config(directory, **fetching)
    monkeypatch.setattr(ltv, "local_crls", lambda config: [])  # only what the certificates name
    try:
        signed = _sign(directory, slug="over-http", SIGNING_TSA_URL=f"{base}/tsr", **fetching)
    finally:
        server.shutdown()
        server.server_close()
    assert signed.level == "B-LTA"
    assert crl_fetches  # the CRL came from the address in the certificate
    found = signature.validate(signed.pdf, _roots(directory))
    assert found.ok and found.level == "B-LTA" and found.long_term_valid, found.problem
