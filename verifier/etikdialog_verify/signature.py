"""Check a signed PDF against trust roots with pyHanko's validator. Needs no Flask and no database:
/verificer and the offline verifier (`etikdialog-verify`) both call `validate`, and the portal's
signing (app.signing) takes the demo-certificate marks and `outside_event_loop` from here.

What a finding says:
- `intact`: the bytes the signature covers hash to what was signed;
- `trusted`: the signature is cryptographically valid and the signer's certificate chains to one
  of the given roots (checked at the time of validation; no revocation data is fetched);
- `covers_whole_file`: nothing was added after the signature (no later incremental update);
- `ok`: all three, for exactly one signature.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509 as pyca_x509
from cryptography.x509.oid import NameOID

log = logging.getLogger(__name__)

# The marker every demo certificate carries in its subject (organizational unit): how production
# recognises and refuses them, and how the verifier says "test certificate".
DEMO_MARKER = "Etikdialog TEST – ikke til produktion"
DEMO_CA_NAME = "Etikdialog TEST-CA – ikke til produktion"


def is_demo_name(name: pyca_x509.Name) -> bool:
    units = name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return any(DEMO_MARKER in str(unit.value) for unit in units) or any(
        DEMO_CA_NAME in str(attribute.value) for attribute in name
    )


def is_demo_certificate(certificate: pyca_x509.Certificate) -> bool:
    """Issued by the demo CA, or the demo CA itself."""
    return is_demo_name(certificate.subject) or is_demo_name(certificate.issuer)


def outside_event_loop(call):
    """pyHanko's synchronous API runs its own asyncio loop (asyncio.run), which cannot start in a
    thread whose loop is already running (an async server, Playwright's sync API in a test): then
    the call runs in a worker thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@dataclass(frozen=True)
class SignatureFinding:
    sha256: str  # of the whole file as given
    signed: bool = False  # a PDF signature was found
    intact: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer_name: str | None = None  # the certificate's common name
    signer_organisation: str | None = None  # the certificate's O
    signing_time: datetime | None = None  # as the signer states it (/M), UTC
    timestamped: bool = False  # an RFC 3161 signature timestamp is present (PAdES B-T)
    timestamp_time: datetime | None = None
    timestamp_trusted: bool = False
    reason: str | None = None
    location: str | None = None
    certificate_sha256: str | None = None
    demo: bool = False  # signed with a certificate of the Etikdialog TEST-CA
    signatures: int = 0
    problem: str | None = None  # why it is not ok, in English (for logs and the command line)

    @property
    def ok(self) -> bool:
        return self.signed and self.signatures == 1 and self.intact and self.trusted and self.covers_whole_file


def load_roots(roots_pem: bytes):
    """asn1crypto certificates from PEM text (what pyHanko's validation context takes)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    return [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(roots_pem, multiple=True)]


def _attribute(name: pyca_x509.Name, oid) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def validate(pdf: bytes, roots_pem: bytes) -> SignatureFinding:
    """The finding for the PDF's signature against the PEM trust roots. Never raises for bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    digest = hashlib.sha256(pdf).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as error:  # noqa: BLE001 - any unreadable file is "not a signed PDF"
        return SignatureFinding(sha256=digest, problem=f"not a readable PDF ({type(error).__name__})")
    if not embedded:
        return SignatureFinding(sha256=digest, problem="the PDF has no signature")
    signature = embedded[-1]
    try:
        roots = load_roots(roots_pem)
    except ValueError:
        roots = []
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = outside_event_loop(
            lambda: validate_pdf_signature(
                signature,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(
                    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
                ),
            )
        )
    except Exception as error:  # noqa: BLE001 - a malformed signature is a failed check, not a 500
        log.info("PDF signature could not be validated: %s", error)
        return SignatureFinding(
            sha256=digest, signed=True, signatures=len(embedded), problem=f"the signature is malformed ({error})"
        )
    certificate = pyca_x509.load_der_x509_certificate(status.signing_cert.dump())
    timestamp = status.timestamp_validity
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    trusted = bool(status.valid and status.trusted)
    signature_object = signature.sig_object
    problems = [
        text
        for text, failed in (
            ("the signed bytes were changed", not status.intact),
            ("the signer's certificate does not chain to the given roots", not trusted),
            ("something was added to the file after the signature", not whole),
            ("the PDF has more than one signature", len(embedded) != 1),
        )
        if failed
    ]
    return SignatureFinding(
        sha256=digest,
        signed=True,
        intact=bool(status.intact),
        trusted=trusted,
        covers_whole_file=whole,
        signer_name=_attribute(certificate.subject, NameOID.COMMON_NAME),
        signer_organisation=_attribute(certificate.subject, NameOID.ORGANIZATION_NAME),
        signing_time=signature.self_reported_timestamp,
        timestamped=timestamp is not None,
        timestamp_time=timestamp.timestamp if timestamp is not None else None,
        timestamp_trusted=bool(timestamp is not None and timestamp.valid and timestamp.trusted),
        reason=_text(signature_object.get("/Reason")),
        location=_text(signature_object.get("/Location")),
        certificate_sha256=status.signing_cert.sha256.hex(),
        demo=is_demo_certificate(certificate),
        signatures=len(embedded),
        problem="; ".join(problems) or None,
    )


def _text(value) -> str | None:
    return str(value) if value is not None else None
