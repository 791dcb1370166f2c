"""`flask signing extend` (issue 32 item 6): a published record signed as PAdES B-LTA with the demo
timestamp service, renewed with a new document timestamp before the last one's certificate
expires; the renewed PDF still verifies (record hash, log, PAdES) and outlives the first timestamp."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from etikdialog_verify import cli as verify_cli
from etikdialog_verify import signature
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.signing import democa
from app.signoff import archive
from app.signoff.cli import check_everything
from app.signoff.models import SignedRecordArchive

LATER = datetime(2044, 6, 1)  # a year before the demo timestamp authority's certificate expires


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("extend-keys")


@pytest.fixture
def app_overrides(keys_dir):
    return {"SIGNING_KEYS_DIR": str(keys_dir), "SIGNING_DEMO_TSA": True, "SIGNING_REVOCATION_FETCH": False}


def _rotate_timestamp_authority(directory, until: datetime) -> None:
    """The timestamp service gets a new certificate (as a real one does before the old expires)."""
    old = x509.load_pem_x509_certificate((directory / democa.TSA_CERT).read_bytes())
    key = serialization.load_pem_private_key((directory / democa.TSA_KEY).read_bytes(), password=None)
    ca_certificate, ca_key = democa.load_ca(directory)
    builder = (
        x509.CertificateBuilder()
        .subject_name(old.subject)
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(democa.NOT_BEFORE)
        .not_valid_after(until.replace(tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    )
    for extension in old.extensions:
        if isinstance(extension.value, x509.CRLDistributionPoints):
            builder = builder.add_extension(extension.value, critical=False)
    certificate = builder.sign(ca_key, hashes.SHA256())
    democa.write_private(directory / democa.TSA_CERT, certificate.public_bytes(serialization.Encoding.PEM))


def test_extend_renews_before_expiry_once_and_the_result_verifies(app, published, runner, client, keys_dir):
    frozen = published.signed_record
    assert frozen.pdf_signature_level == "B-LTA"
    roots = (keys_dir / democa.CA_CERT).read_bytes()

    # nothing is due: the demo timestamp's certificate runs until 2045
    result = runner.invoke(args=["signing", "extend"])
    assert result.exit_code == 0, result.output
    assert "0 extended, 1 not due, 0 failed" in result.output
    assert db.session.get(SignedRecordArchive, frozen.id) is None

    # due, but the service's certificate expires no later than the last timestamp: refused
    renewal = archive.renew(frozen, config=app.config, within=timedelta(days=365), now=LATER)
    assert renewal.outcome == "failed" and "renew it first" in renewal.reason
    assert db.session.get(SignedRecordArchive, frozen.id) is None

    _rotate_timestamp_authority(keys_dir, datetime(2050, 1, 1))
    renewal = archive.renew(frozen, config=app.config, within=timedelta(days=365), now=LATER)
    db.session.commit()
    assert renewal.outcome == "extended" and renewal.renew_before == datetime(2050, 1, 1)
    stored = db.session.get(SignedRecordArchive, frozen.id)
    renewed = bytes(stored.pdf)
    assert renewed.startswith(bytes(frozen.pdf)) and stored.renewals == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "record.pdf_extended")) is not None
    # idempotent: the new timestamp is not due for years
    again = archive.renew(frozen, config=app.config, within=timedelta(days=365), now=LATER)
    assert again.outcome == "not-due" and db.session.get(SignedRecordArchive, frozen.id).renewals == 1

    # after the first timestamp's and the signer's certificates expired, only the renewed file holds
    in_2046 = datetime(2046, 1, 1, tzinfo=UTC)
    found = signature.validate(renewed, roots, at=in_2046)
    assert found.ok and found.long_term_valid and found.document_timestamps == 2, found.problem
    assert not found.trusted_now
    assert not signature.validate(bytes(frozen.pdf), roots, at=in_2046).ok

    # served, recognised by /verificer, kept by `flask verify`
    response = client.get(f"/vurderinger/{published.public_id}/arkiv.pdf")
    assert response.status_code == 200 and response.data == renewed
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    assert f'href="/vurderinger/{published.public_id}/arkiv.pdf"' in page  # the record page links it
    assert check_everything(echo=lambda line: None)

    # etikdialog-verify: the renewed file against the record, the log proof and the roots
    tmp = keys_dir.parent / "extend-files"
    tmp.mkdir(exist_ok=True)
    (tmp / "renewed.pdf").write_bytes(renewed)
    (tmp / "roots.pem").write_bytes(roots)
    (tmp / "record.json").write_bytes(client.get(f"/vurderinger/{published.public_id}.json").data)
    (tmp / "proof.json").write_bytes(client.get(f"/vurderinger/{published.public_id}/logbevis.json").data)
    out = io.StringIO()
    with redirect_stdout(out):
        code = verify_cli.main(
            [str(tmp / "renewed.pdf"), "--roots", str(tmp / "roots.pem"), "--record", str(tmp / "record.json")]
            + ["--proof", str(tmp / "proof.json")]
        )
    assert code == 0, out.getvalue()
    assert "PAdES B-LTA" in out.getvalue() and "fornyet langtidsbevis" in out.getvalue()

    # a renewed file that does not begin with the signed PDF is a mismatch for `flask verify`
    stored.pdf = b"%PDF-1.7 another file"
    db.session.commit()
    lines = []
    assert not check_everything(echo=lines.append)
    assert any("renewed PDF does not extend" in line for line in lines)
