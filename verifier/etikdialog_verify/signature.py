"""Check a signed PDF against trust roots with pyHanko's validator. Needs no Flask and no database:
/verificer and the offline verifier (`etikdialog-verify`) both call `validate`, and the portal's
signing (app.signing) takes the demo-certificate marks and `outside_event_loop` from here.

What a finding says:
- `intact`: the bytes the signature covers hash to what was signed;
- `trusted`: the signature is cryptographically valid and the signer's certificate chains to one
  of the given roots: now (`trusted_now`; no revocation data is fetched), or, for a long-term
  signature, at the signing time with the revocation data the file carries (`long_term_valid`);
- `covers_whole_file`: nothing was added after the signature, or only what PAdES long-term
  validation adds (the Document Security Store and document timestamps: `lta_updates`);
- `ok`: all three, for exactly one signature.

The level (`level`) is PAdES baseline B-B (no timestamp), B-T (a signature timestamp), B-LT (and
a DSS with revocation data) or B-LTA (and a document timestamp after it). The long-term path
(`long_term_valid`) is checked offline, as the ETSI model does it: the newest document timestamp
at the validation time (its certificate valid then; its revocation status cannot be known offline),
each earlier one at the time of the next, the signature timestamp at the first document timestamp,
and the signer's certificate at the signature timestamp's time, with revocation data taken only
from the file and required for every certificate that names where its status is published.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

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
    level: str | None = None  # PAdES baseline level: "B-B", "B-T", "B-LT" or "B-LTA"
    trusted_now: bool = False  # the certificate chains to the roots at the validation time
    long_term_valid: bool = False  # valid at the signing time by the file's own validation data
    revoked: bool = False  # the file's own revocation data says the certificate was revoked when it signed
    lta_updates: bool = False  # something was added after the signature: only DSS and document timestamps
    document_timestamps: int = 0  # archival document timestamps after the signature
    last_timestamp_expires: datetime | None = None  # when the newest timestamp's certificate expires
    revision_sha256s: tuple[str, ...] = ()  # the file as it was after each later signature, LTA updates only
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


def validate(pdf: bytes, roots_pem: bytes, *, at: datetime | None = None) -> SignatureFinding:
    """The finding for the PDF's signature against the PEM trust roots, at `at` (default: now).
    Never raises for bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
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
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=at)
    try:
        status = outside_event_loop(
            lambda: validate_pdf_signature(
                signature, signer_validation_context=context, key_usage_settings=_KEY_USAGE()
            )
        )
    except Exception as error:  # noqa: BLE001 - a malformed signature is a failed check, not a 500
        log.info("PDF signature could not be validated: %s", error)
        return SignatureFinding(
            sha256=digest, signed=True, signatures=len(embedded), problem=f"the signature is malformed ({error})"
        )
    certificate = pyca_x509.load_der_x509_certificate(status.signing_cert.dump())
    timestamp = status.timestamp_validity
    lta_updates = status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    )
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or lta_updates
    trusted_now = bool(status.valid and status.trusted)
    long_term = _long_term(reader, signature, status, roots, at or datetime.now(UTC))
    trusted = (trusted_now or long_term.valid) and not long_term.revoked
    signature_object = signature.sig_object
    problems = [
        text
        for text, failed in (
            ("the signed bytes were changed", not status.intact),
            ("the signer's certificate was revoked when it signed", long_term.revoked),
            ("the signer's certificate does not chain to the given roots", not trusted and not long_term.revoked),
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
        trusted_now=trusted_now,
        long_term_valid=long_term.valid,
        revoked=long_term.revoked,
        level=long_term.level,
        lta_updates=lta_updates,
        document_timestamps=long_term.document_timestamps,
        last_timestamp_expires=long_term.expires,
        revision_sha256s=_revision_hashes(pdf, signature) if lta_updates else (),
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


def _KEY_USAGE():  # noqa: N802 - a constant, built when pyHanko is imported
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


@dataclass(frozen=True)
class _LongTerm:
    level: str
    valid: bool = False
    document_timestamps: int = 0
    expires: datetime | None = None
    revoked: bool = False  # the file's own revocation data says the certificate was revoked when signed


def _validation_data(reader):
    """Certificates, CRLs and OCSP responses in the PDF's Document Security Store; None without one.
    Revocation data is there for every certificate that names where its status is published (a
    certificate that names no CRL or OCSP address has none to carry)."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None
    certificates = list(dss.load_certs())
    crls = [item.get_object().data for item in dss.crls]
    ocsps = [item.get_object().data for item in dss.ocsps]
    return certificates, crls, ocsps


def _long_term(reader, signature, status, roots, now: datetime) -> _LongTerm:
    """The PAdES level and whether the long-term path holds (module docstring). Offline only.
    The validations here skip pyHanko's difference analysis: `validate` has already reviewed every
    revision after the signature (the document timestamps and the DSS among them), and these ask
    only whether signatures and certificates held at a time. Each analysis walks the whole tagged
    structure tree of every revision, two thirds of a /verificer miss when it ran three times."""
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    stamp = status.timestamp_validity
    if stamp is None:
        return _LongTerm("B-B")
    data = _validation_data(reader)
    archival = [t for t in reader.embedded_timestamp_signatures if t.signed_revision > signature.signed_revision]
    expires = archival[-1].signer_cert.not_valid_after if archival else _token_expiry(signature)
    if data is None:
        return _LongTerm("B-T", expires=expires)
    certificates, crls, ocsps = data
    level = "B-LTA" if archival else "B-LT"

    def context(moment, mode):
        return ValidationContext(
            trust_roots=roots,
            other_certs=certificates,
            crls=crls if mode == "hard-fail" or moment != now else [],
            ocsps=ocsps if mode == "hard-fail" or moment != now else [],
            moment=moment,
            allow_fetching=False,
            revocation_mode=mode,
        )

    try:
        # the archival timestamps, newest first: each at the time of the one after it (the newest now)
        moment = now
        for document_timestamp in reversed(archival):
            checked = outside_event_loop(
                lambda t=document_timestamp, m=moment: validate_pdf_timestamp(
                    t, validation_context=context(m, "soft-fail"), skip_diff=True
                )
            )
            if not (checked.intact and checked.valid and checked.trusted):
                return _LongTerm(level, document_timestamps=len(archival), expires=expires)
            moment = checked.timestamp
        signed_at = stamp.timestamp
        past = outside_event_loop(
            lambda: validate_pdf_signature(
                signature,
                signer_validation_context=context(signed_at, "hard-fail"),
                ts_validation_context=context(moment, "soft-fail"),
                key_usage_settings=_KEY_USAGE(),
                skip_diff=True,
            )
        )
    except Exception as error:  # noqa: BLE001 - malformed validation data is a failed check
        log.info("Long-term validation failed: %s", error)
        return _LongTerm(level, document_timestamps=len(archival), expires=expires)
    if past.revocation_details is not None:
        return _LongTerm(level, document_timestamps=len(archival), expires=expires, revoked=True)
    holds = bool(
        past.intact
        and past.valid
        and past.trusted
        and past.timestamp_validity is not None
        and past.timestamp_validity.valid
        and past.timestamp_validity.trusted
    )
    return _LongTerm(level, valid=holds, document_timestamps=len(archival), expires=expires)


def _token_expiry(signature) -> datetime | None:
    """When the signature timestamp's certificate expires."""
    from pyhanko.sign.general import extract_certificate_info

    try:
        for attribute in signature.signer_info["unsigned_attrs"] or []:
            if attribute["type"].native == "signature_time_stamp_token":
                return extract_certificate_info(attribute["values"][0]["content"]).signer_cert.not_valid_after
    except (KeyError, ValueError, IndexError):
        return None
    return None


def _revision_hashes(pdf: bytes, signature) -> tuple[str, ...]:
    """SHA-256 of the file as it ended at each revision from the PAdES signature on ("%%EOF" and its
    end of line): a renewed PDF is the signed and logged file with long-term validation updates
    appended, and one of these is that file's hash. Only asked when the diff analysis found nothing
    but such updates after the signature; a "%%EOF" inside a stream only adds a hash nobody logged."""
    _start, _first, second, length = (int(value) for value in signature.byte_range)
    ends = set()
    for match in re.finditer(rb"%%EOF(\r\n|\r|\n)?", pdf):
        if match.end() >= second + length:
            ends.add(match.end())
    return tuple(hashlib.sha256(pdf[:end]).hexdigest() for end in sorted(ends))
