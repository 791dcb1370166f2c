"""PAdES signatures on the frozen PDF (ADR 0006): what is signed, by whom and when, that it
validates against the published roots, that a changed byte fails, that the same record signs to
the same bytes, the timestamp path, the demo CA's commands, and production's refusals."""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from etikdialog_verify import signature as validate
from pypdf import PdfReader

from app import create_app
from app.config import ConfigError
from app.signing import checks, democa, keys, pades
from app.signing.cli import DEMO_MUNICIPALITIES

ROOT = Path(__file__).resolve().parent.parent
SIGNED_AT = datetime(2026, 11, 22, 10, 0, 0)


def minimal_pdf(text: str = "Etikdialog") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


@pytest.fixture
def keys_dir(tmp_path) -> Path:
    directory = tmp_path / "signing"
    democa.issue(directory, "aarhus-kommune", "Aarhus Kommune")
    return directory


def roots_of(directory: Path) -> bytes:
    return (directory / democa.CA_CERT).read_bytes()


def sign(directory: Path, pdf: bytes, signed_at: datetime = SIGNED_AT, **kwargs) -> pades.SignedPdf:
    return pades.sign_with(
        pdf,
        keys.load(directory, "aarhus-kommune"),
        signed_at=signed_at,
        reason="Etisk vurdering »Nattilsyn«, underskrevet af Anna og Bo",
        location="Aarhus Kommune",
        **kwargs,
    )


# --- The frozen record ----------------------------------------------------------------------


def test_a_frozen_pdf_is_signed_by_the_municipality_and_validates_against_the_published_roots(app, client, published):
    frozen = published.signed_record
    pdf = bytes(frozen.pdf)
    roots = client.get("/api/v1/signing/roots.pem")
    assert roots.status_code == 200 and roots.mimetype == "application/x-pem-file"
    finding = validate.validate(pdf, roots.data)
    assert finding.ok, finding.problem
    assert finding.signer_organisation == "Aarhus Kommune" and finding.location == "Aarhus Kommune"
    assert finding.signing_time == frozen.signed_at.replace(tzinfo=UTC)  # the freeze time, not now
    assert finding.demo and not finding.timestamped
    record = frozen.assessment
    assert f"»{record.title}«" in finding.reason and published.public_id in finding.reason
    for signer in json.loads(frozen.signatures_json):
        assert signer["name"] in finding.reason
    # The stored hash, the public PDF and the record's columns all cover the signed bytes.
    assert frozen.pdf_sha256 == hashlib.sha256(pdf).hexdigest() == finding.sha256
    assert client.get(f"/vurderinger/{published.public_id}.pdf").data == pdf
    assert frozen.pdf_signature_level == "B-B"
    assert frozen.pdf_certificate_sha256 == finding.certificate_sha256
    assert "O=Aarhus Kommune" in frozen.pdf_certificate_subject
    # The document's modification date is the signing time too.
    assert PdfReader(io.BytesIO(pdf)).metadata["/ModDate"].startswith("D:20") and (
        frozen.signed_at.strftime("%Y%m%d%H%M%S") in PdfReader(io.BytesIO(pdf)).metadata["/ModDate"]
    )


def test_one_changed_byte_fails_validation(app, client, published):
    pdf = bytearray(published.signed_record.pdf)
    roots = client.get("/api/v1/signing/roots.pem").data
    pdf[len(pdf) // 3] ^= 0x01
    finding = validate.validate(bytes(pdf), roots)
    assert not finding.ok and not finding.intact


def test_roots_from_another_ca_do_not_trust_the_signature(keys_dir, tmp_path):
    other = tmp_path / "other"
    democa.create_ca(other)
    signed = sign(keys_dir, minimal_pdf())
    assert validate.validate(signed.pdf, roots_of(keys_dir)).ok
    finding = validate.validate(signed.pdf, roots_of(other))
    assert finding.intact and not finding.trusted and not finding.ok


def test_an_unsigned_or_unreadable_file_is_no_signed_pdf(keys_dir):
    assert validate.validate(minimal_pdf(), roots_of(keys_dir)).signed is False
    junk = validate.validate(b"%PDF-1.7 not really", roots_of(keys_dir))
    assert junk.signed is False and junk.problem


def test_something_appended_after_the_signature_is_reported(keys_dir):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign(keys_dir, minimal_pdf())
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.pdf))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    finding = validate.validate(out.getvalue(), roots_of(keys_dir))
    assert finding.intact and not finding.covers_whole_file and not finding.ok


# --- Deterministic, at the freeze time ------------------------------------------------------


def test_the_same_record_signs_to_the_same_bytes(keys_dir):
    pdf = minimal_pdf()
    first, second = sign(keys_dir, pdf), sign(keys_dir, pdf)
    assert first.pdf == second.pdf
    assert sign(keys_dir, pdf, SIGNED_AT + timedelta(seconds=1)).pdf != first.pdf


def test_the_signing_time_and_modification_date_are_the_freeze_time_not_the_clock(keys_dir):
    old = datetime(2021, 3, 4, 5, 6, 7)
    signed = sign(keys_dir, minimal_pdf(), old)
    finding = validate.validate(signed.pdf, roots_of(keys_dir))
    assert finding.signing_time == old.replace(tzinfo=UTC)
    assert PdfReader(io.BytesIO(signed.pdf)).metadata["/ModDate"] == "D:20210304050607Z"
    assert datetime.now(UTC).strftime("%Y%m%d").encode() not in signed.pdf[len(minimal_pdf()) :]


def test_the_signature_is_pades_with_reason_and_location(keys_dir):
    signed = sign(keys_dir, minimal_pdf())
    assert b"/SubFilter /ETSI.CAdES.detached" in signed.pdf
    finding = validate.validate(signed.pdf, roots_of(keys_dir))
    assert finding.reason == "Etisk vurdering »Nattilsyn«, underskrevet af Anna og Bo"
    assert finding.location == "Aarhus Kommune" and signed.level == "B-B"


# --- Timestamp (B-T) ------------------------------------------------------------------------


def _tsa(directory: Path):
    """A test timestamp authority issued by the demo CA (extended key usage: time stamping)."""
    ca_certificate, ca_key = democa.load_ca(directory)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Etikdialog TEST-TSA")]))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(democa.NOT_BEFORE)
        .not_valid_after(democa.NOT_AFTER)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return certificate, key


def test_with_a_timestamp_authority_the_signature_is_b_t(keys_dir):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    certificate, key = _tsa(keys_dir)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
    )
    signed = sign(keys_dir, minimal_pdf(), timestamper=stamper)
    assert signed.level == "B-T"
    finding = validate.validate(signed.pdf, roots_of(keys_dir))
    assert finding.ok and finding.timestamped and finding.timestamp_trusted
    assert finding.signing_time == SIGNED_AT.replace(tzinfo=UTC)


def test_an_unreachable_timestamp_authority_refuses_to_sign(keys_dir):
    config = {"SIGNING_KEYS_DIR": str(keys_dir), "SIGNING_TSA_URL": "http://127.0.0.1:9/tsa", "ENV_NAME": "test"}
    with pytest.raises(pades.TimestampFailed):
        pades.sign_document(
            minimal_pdf(),
            slug="aarhus-kommune",
            municipality_name="Aarhus Kommune",
            signed_at=SIGNED_AT,
            reason="r",
            location="l",
            config=config,
            timeout=2,
        )


def test_a_tsa_url_must_be_an_http_address(tmp_path):
    with pytest.raises(ConfigError, match="SIGNING_TSA_URL"):
        create_app({"SIGNING_TSA_URL": "ftp://tsa.example", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


# --- Keys and the demo CA -------------------------------------------------------------------


def test_outside_production_a_missing_certificate_is_issued_from_the_demo_ca(tmp_path):
    config = {"SIGNING_KEYS_DIR": str(tmp_path / "k"), "ENV_NAME": "development"}
    material = keys.key_for(config, "odense-kommune", "Odense Kommune")
    assert material.is_demo
    assert material.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Odense Kommune"
    for name in ("odense-kommune.p12", "odense-kommune.pass", democa.CA_KEY):
        assert stat.S_IMODE((tmp_path / "k" / name).stat().st_mode) == 0o600


def test_a_slug_is_never_a_path(tmp_path):
    with pytest.raises(keys.SigningKeyError):
        keys.key_paths(tmp_path, "../etc/passwd")


def test_create_demo_ca_and_issue_are_idempotent(app, runner, tmp_path):
    from factories import make_org

    app.config["SIGNING_KEYS_DIR"] = str(tmp_path / "keys")
    make_org("Vejle Kommune")
    first = runner.invoke(args=["signing", "create-demo-ca"])
    assert first.exit_code == 0 and "created" in first.output
    ca = (tmp_path / "keys" / democa.CA_CERT).read_bytes()
    again = runner.invoke(args=["signing", "create-demo-ca"])
    assert again.exit_code == 0 and "already there" in again.output
    assert (tmp_path / "keys" / democa.CA_CERT).read_bytes() == ca
    assert "TEST-CA" in x509.load_pem_x509_certificate(ca).subject.rfc4514_string()
    issued = runner.invoke(args=["signing", "issue", "--org", "vejle-kommune"])
    assert issued.exit_code == 0 and "issued" in issued.output
    p12 = (tmp_path / "keys" / "vejle-kommune.p12").read_bytes()
    assert runner.invoke(args=["signing", "issue", "--org", "vejle-kommune"]).exit_code == 0
    assert (tmp_path / "keys" / "vejle-kommune.p12").read_bytes() == p12
    unknown = runner.invoke(args=["signing", "issue", "--org", "ukendt-kommune"])
    assert unknown.exit_code != 0 and "--name" in unknown.output
    demo = runner.invoke(args=["signing", "issue", "--demo"])
    assert demo.exit_code == 0 and all((tmp_path / "keys" / f"{s}.p12").exists() for s in ("aarhus-kommune",))


def test_the_demo_municipalities_are_those_the_demo_creates():
    source = (ROOT / "app" / "demo" / "services.py").read_text(encoding="utf-8")
    assert tuple(re.findall(r'_board\("([^"]+)"', source)) == DEMO_MUNICIPALITIES


# --- Production ----------------------------------------------------------------------------


def real_ca(directory: Path, slug: str, name: str) -> None:
    """A certificate from a CA that is not the demo CA, and its root in roots.pem."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Rigtig Rod-CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(democa.NOT_BEFORE)
        .not_valid_after(democa.NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(democa.NOT_BEFORE)
        .not_valid_after(democa.NOT_AFTER)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    (directory / f"{slug}.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(b"k", key, leaf, [ca], serialization.BestAvailableEncryption(b"hemmelig"))
    )
    (directory / f"{slug}.pass").write_bytes(b"hemmelig\n")
    (directory / keys.ROOTS_FILE).write_bytes(ca.public_bytes(serialization.Encoding.PEM))


def production(directory: Path) -> dict:
    return {"SIGNING_KEYS_DIR": str(directory), "ENV_NAME": "production"}


def test_production_accepts_a_real_certificate_for_each_signing_municipality(app, tmp_path):
    from factories import make_org, make_user

    make_user(make_org("Aarhus Kommune"), role="member")
    real_ca(tmp_path / "keys", "aarhus-kommune", "Aarhus Kommune")
    assert checks.problems(production(tmp_path / "keys"), checks.signing_organisations()) == []
    app.config.update(production(tmp_path / "keys"))
    checks.check_on_start(app)  # does not raise
    signed = pades.sign_document(
        minimal_pdf(),
        slug="aarhus-kommune",
        municipality_name="Aarhus Kommune",
        signed_at=SIGNED_AT,
        reason="r",
        location="l",
        config=production(tmp_path / "keys"),
    )
    finding = validate.validate(signed.pdf, (tmp_path / "keys" / keys.ROOTS_FILE).read_bytes())
    assert finding.ok and not finding.demo


def test_production_refuses_to_start_without_a_key_for_a_signing_municipality(app, tmp_path):
    from factories import make_org, make_user

    make_user(make_org("Aarhus Kommune"), role="member")
    make_user(make_org("Vejle Kommune"), role="admin")
    make_user(make_org("Kun Redaktører Kommune"), role="editor")  # cannot sign: needs no key
    real_ca(tmp_path / "keys", "aarhus-kommune", "Aarhus Kommune")
    app.config.update(production(tmp_path / "keys"))
    with pytest.raises(ConfigError, match="Vejle Kommune") as refused:
        checks.check_on_start(app)
    assert "Aarhus" not in str(refused.value) and "Redakt" not in str(refused.value)
    with pytest.raises(keys.SigningKeyError):  # nor is anything issued on demand
        keys.key_for(production(tmp_path / "keys"), "vejle-kommune", "Vejle Kommune")
    assert not (tmp_path / "keys" / "vejle-kommune.p12").exists()


def test_production_refuses_demo_certificates_and_the_demo_ca(app, tmp_path, runner):
    from factories import make_org, make_user

    make_user(make_org("Aarhus Kommune"), role="member")
    directory = tmp_path / "keys"
    democa.issue(directory, "aarhus-kommune", "Aarhus Kommune")
    (directory / keys.ROOTS_FILE).write_bytes((directory / democa.CA_CERT).read_bytes())
    found = checks.problems(production(directory), checks.signing_organisations())
    assert any("demo certificate" in line for line in found) and any("demo CA" in line for line in found)
    with pytest.raises(keys.SigningKeyError, match="demo"):
        keys.key_for(production(directory), "aarhus-kommune", "Aarhus Kommune")
    app.config.update(production(directory))
    assert runner.invoke(args=["signing", "check"]).exit_code == 1
    assert runner.invoke(args=["signing", "create-demo-ca"]).exit_code == 1
    assert runner.invoke(args=["signing", "issue", "--org", "aarhus-kommune"]).exit_code == 1
    # The published roots are roots.pem only: the demo CA's own file is not a root in production.
    (directory / keys.ROOTS_FILE).unlink()
    assert keys.roots_pem(app.config) == b""


def test_gunicorn_runs_the_check_before_it_serves():
    source = (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    assert "def on_starting" in source and "check_on_start" in source


# --- make run ------------------------------------------------------------------------------


def test_as_make_run_does_every_published_demo_pdf_validates_against_the_published_roots(app, client, runner, tmp_path):
    """`make run`: the demo CA and the demo's certificates first, then the demo; each published
    record's public PDF is signed by its own municipality and trusted by /api/v1/signing/roots.pem."""
    from sqlalchemy import select

    from app.extensions import db
    from app.public.models import Publication

    app.config["SIGNING_KEYS_DIR"] = str(tmp_path / "keys")
    for command in (["signing", "create-demo-ca"], ["signing", "issue", "--demo"], ["demo", "--if-empty"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    issued = {path.stem for path in (tmp_path / "keys").glob("*.p12")}
    roots = client.get("/api/v1/signing/roots.pem").data
    publications = list(db.session.scalars(select(Publication)))
    assert publications
    for publication in publications:
        assert publication.organisation_slug in issued  # issued before the demo, not on demand
        pdf = client.get(f"/vurderinger/{publication.public_id}.pdf").data
        finding = validate.validate(pdf, roots)
        assert finding.ok, (publication.public_id, finding.problem)
        assert finding.signer_organisation == publication.organisation_name
    checked = runner.invoke(args=["signing", "check"])
    assert checked.exit_code == 0, checked.output


# --- Through the sign-off service ------------------------------------------------------------


def test_production_without_a_certificate_refuses_the_last_signature_and_stores_nothing(app, tmp_path):
    from assessment_factories import answer_everything, make_assessment, sign_off
    from factories import make_org, make_user

    from app.assessments.models import Status
    from app.signoff.services import PdfNotSigned

    org = make_org("Vejle Kommune")
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    app.config.update(production(tmp_path / "empty"))
    with pytest.raises(PdfNotSigned):
        sign_off(assessment, editor, [make_user(org, role="member"), make_user(org, role="admin")])
    assert assessment.signed_record is None and assessment.status == Status.AWAITING_SIGNOFF
    assert not (tmp_path / "empty").exists()  # nothing issued on demand


def test_the_final_pdf_of_the_same_prepared_record_is_the_same_bytes(app):
    from assessment_factories import answer_everything, make_assessment, request_signoff
    from factories import make_org, make_user

    from app.content.loader import get_content
    from app.signoff import services

    org = make_org("Aarhus Kommune")
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    request_signoff(assessment, editor, signers)
    content = get_content()
    results = []
    for signer in signers:
        _, record_sha256 = services.current_record(assessment, content)
        results.append(
            services.sign(
                assessment,
                user=signer,
                password="",
                seen_hash=record_sha256,
                seen_at=None,
                content=content,
                password_ok=lambda user, password: True,
                defer_freeze=True,
            )
        )
    pending = results[-1].pending
    first, second = services.render_final(pending), services.render_final(pending)
    assert first.pdf == second.pdf and first.level == "B-B"
    finding = validate.validate(first.pdf, keys.roots_pem(app.config))
    assert finding.ok and finding.signing_time == pending.signed_at.replace(tzinfo=UTC)


def test_signing_and_validating_work_inside_a_running_event_loop(keys_dir):
    """pyHanko's synchronous calls start their own loop; inside a running one they move to a thread.

    The loop runs in a thread of its own: after the browser tests, Playwright's loop may still be
    the main thread's running loop, and asyncio.run refuses to start a second one there."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        signed = sign(keys_dir, minimal_pdf())
        return signed, validate.validate(signed.pdf, roots_of(keys_dir))

    with ThreadPoolExecutor(1) as pool:
        signed, finding = pool.submit(asyncio.run, inside()).result()
    assert finding.ok and signed.pdf == sign(keys_dir, minimal_pdf()).pdf
