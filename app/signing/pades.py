"""PAdES signatures on the frozen PDF, with pyHanko (no CMS code of our own).

The rendered PDF gets one incremental update holding an invisible signature field and its
signature: PAdES baseline B-B (/SubFilter ETSI.CAdES.detached, SHA-256, RSA PKCS#1 v1.5), or B-T
when a timestamp authority (SIGNING_TSA_URL, or the demo's SIGNING_DEMO_TSA) adds an RFC 3161
signature timestamp. With a timestamp authority and long-term validation on (SIGNING_LTV, the
default), two more updates follow: the Document Security Store with the certificate chains and
their revocation data (B-LT), and a document timestamp over it (B-LTA); see app.signing.ltv.
`extend` renews B-LTA with a new document timestamp before the last one's certificate expires.

Without a timestamp the result is deterministic for the same record: the signing time (the
signature dictionary's /M; PAdES has no CMS signing-time attribute) and the document's /ModDate
are the freeze time, not the clock, and the second half of the file identifier is derived from
the unsigned PDF instead of drawn at random. RSA PKCS#1 v1.5 signatures are themselves
deterministic. A timestamp token is not: it carries the authority's clock and serial number.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from etikdialog_verify.signature import outside_event_loop
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import DocumentMetadata
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.signing import democa, keys, ltv
from app.signing.keys import KeyMaterial, SigningKeyError, key_for

FIELD_NAME = "Etikdialog"
LEVEL_B_B = "B-B"
LEVEL_B_T = "B-T"
LEVEL_B_LTA = "B-LTA"


class TimestampFailed(RuntimeError):
    """The timestamp authority did not answer with a usable timestamp; nothing was signed."""


class LongTermValidationFailed(TimestampFailed):
    """The validation data for B-LT/B-LTA (a certificate chain to the roots, revocation data for
    every certificate) could not be gathered, or the renewal timestamp failed; nothing was
    signed or changed. A TimestampFailed, so callers that handle the one handle both."""


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    level: str  # "B-B" (no timestamp) or "B-T" (RFC 3161 signature timestamp)
    certificate_sha256: str
    certificate_subject: str
    demo: bool


class _FixedTimeMetadata(DocumentMetadata):
    """pyHanko's writer stamps 'now' as the document's last-modified date on every write; this
    metadata keeps the signing time instead."""

    fixed_time: datetime | None = None

    def __setattr__(self, name, value):
        if name == "last_modified" and value == "now" and self.fixed_time is not None:
            value = self.fixed_time
        super().__setattr__(name, value)


class _DeterministicWriter(IncrementalPdfFileWriter):
    """An incremental update that takes nothing from the clock or the random source."""

    def __init__(self, pdf: bytes, modified: datetime):
        super().__init__(io.BytesIO(pdf))
        meta = _FixedTimeMetadata()
        meta.fixed_time = modified
        meta.last_modified = modified
        self._meta = meta
        first, _random = self._document_id
        self._document_id = generic.ArrayObject([first, generic.ByteStringObject(hashlib.sha256(pdf).digest()[:16])])

    def _update_meta(self):
        """An archival PDF (app.pdf.archival) has its Info dictionary and XMP packet in step, dated
        at the signing time already; pyHanko would rewrite both and leave them out of step (its
        Producer differs between the two), which PDF/A forbids, so they stay as rendered."""
        if "/Metadata" in self.root:
            return
        super()._update_meta()


class _FixedTimePdfSigner(signers.PdfSigner):
    """PdfSigner whose signing session uses the given signing time instead of the clock."""

    def __init__(self, *args, signing_time: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


class _LoadedKeySigner(signers.SimpleSigner):
    """SimpleSigner that keeps the key object loaded once from the PKCS#12 file: pyHanko's own
    parses the key's DER again for every signature, which costs more than the signature."""

    def __init__(self, *, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


_SIGNERS: dict[tuple[str, str], signers.SimpleSigner] = {}


def _signer(material: KeyMaterial) -> signers.SimpleSigner:
    """pyHanko's signer for the key material, built once per certificate and process."""
    cache_key = (material.slug, material.fingerprint)
    signer = _SIGNERS.get(cache_key)
    if signer is None:
        der = serialization.Encoding.DER
        key_der = material.private_key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # The chain in a fixed order, so the CMS is the same each time.
        chain = sorted((c.public_bytes(der) for c in material.chain), key=bytes)
        signer = _LoadedKeySigner(
            private_key=material.private_key,
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
            signing_cert=asn1_x509.Certificate.load(material.certificate.public_bytes(der)),
            cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(c) for c in chain]),
        )
        _SIGNERS[cache_key] = signer
    return signer


def reserved_bytes(material: KeyMaterial) -> int:
    """Room for the CMS without a timestamp: the certificates it embeds plus the signature and
    its attributes, with a margin (a fixed size keeps the output deterministic and skips
    pyHanko's trial signature)."""
    der = serialization.Encoding.DER
    size = 8192 + sum(len(c.public_bytes(der)) for c in (material.certificate, *material.chain))
    return size + size % 2  # pyHanko wants an even number


def aware_utc(moment: datetime) -> datetime:
    """The database keeps naive UTC; the PDF needs an explicit zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def sign_with(
    pdf: bytes,
    material: KeyMaterial,
    *,
    signed_at: datetime,
    reason: str,
    location: str,
    timestamper: TimeStamper | None = None,
    validation_context=None,
) -> SignedPdf:
    """Sign `pdf` with the given key material; B-T when a timestamper is given, B-LTA when a
    validation context (app.signing.ltv.validation_context) is given as well."""
    signing_time = aware_utc(signed_at)
    long_term = timestamper is not None and validation_context is not None
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=long_term,
        use_pades_lta=long_term,
        validation_context=validation_context if long_term else None,
    )
    signer = _FixedTimePdfSigner(meta, _signer(material), timestamper=timestamper, signing_time=signing_time)
    writer = _DeterministicWriter(pdf, signing_time)
    try:
        # With a timestamp pyHanko sizes the container itself (it asks the authority for a trial token).
        output = outside_event_loop(
            lambda: signer.sign_pdf(writer, bytes_reserved=None if timestamper else reserved_bytes(material))
        )
    except Exception as error:
        if long_term and _is_validation_failure(error):
            raise LongTermValidationFailed(str(error)) from error
        if timestamper is not None and _is_timestamp_failure(error):
            raise TimestampFailed(str(error)) from error
        raise
    return SignedPdf(
        pdf=output.getvalue(),
        level=LEVEL_B_LTA if long_term else LEVEL_B_T if timestamper is not None else LEVEL_B_B,
        certificate_sha256=material.fingerprint,
        certificate_subject=material.subject,
        demo=material.is_demo,
    )


def _is_timestamp_failure(error: Exception) -> bool:
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    return isinstance(error, TimestampRequestError | SigningError | OSError)


def _is_validation_failure(error: Exception) -> bool:
    from pyhanko.sign.general import SigningError
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

    return isinstance(error, SigningError | PathBuildingError | PathValidationError | ValidationError | OSError)


def timestamper_for(config, *, timeout: float) -> TimeStamper | None:
    """The RFC 3161 service: SIGNING_TSA_URL; else outside production with SIGNING_DEMO_TSA the demo
    CA's timestamp authority, in process; else none (B-B)."""
    url = (config.get("SIGNING_TSA_URL") or "").strip()
    if url:
        return HTTPTimeStamper(url, timeout=max(1, int(timeout)))
    if config.get("SIGNING_DEMO_TSA") and config.get("ENV_NAME") != "production":
        return demo_timestamper(config)
    return None


def demo_timestamper(config) -> TimeStamper:
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    directory = keys.keys_dir(config)
    certificate, key = democa.timestamp_authority(directory, crl_url=ltv.demo_crl_url(config))
    ca_certificate, _ca_key = democa.load_ca(directory)
    der = serialization.Encoding.DER
    key_der = key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(der)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(ca_certificate.public_bytes(der))]
        ),
    )


def extend(pdf: bytes, config, *, timeout: float = 20) -> bytes:
    """B-LTA renewal: the revocation data of the newest timestamp's certificate into the DSS and a
    new document timestamp over the whole file, as one more incremental update (the bytes before
    it are unchanged, so every earlier signature and hash still holds). Raises
    LongTermValidationFailed when there is no timestamp service or the update cannot be made."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    timestamper = timestamper_for(config, timeout=timeout)
    if timestamper is None:
        raise LongTermValidationFailed("No timestamp service (SIGNING_TSA_URL) to renew with")
    context = ltv.validation_context(config, timeout=timeout)
    stamper = signers.PdfTimeStamper(timestamper, field_name=f"{FIELD_NAME}-arkiv-{_timestamp_count(pdf) + 1}")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        output = outside_event_loop(
            lambda: stamper.update_archival_timestamp_chain(reader, context, in_place=False, output=io.BytesIO())
        )
    except Exception as error:
        if _is_validation_failure(error) or _is_timestamp_failure(error):
            raise LongTermValidationFailed(str(error)) from error
        raise
    extended = output.getvalue()
    if not extended.startswith(pdf):  # an incremental update only appends
        raise LongTermValidationFailed("the renewal rewrote earlier bytes of the file")
    return extended


def _timestamp_count(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return len(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_timestamp_signatures)


def sign_document(
    pdf: bytes,
    *,
    slug: str,
    municipality_name: str,
    signed_at: datetime,
    reason: str,
    location: str,
    config=None,
    timeout: float = 20,
) -> SignedPdf:
    """Sign as the municipality under the app's settings (its key from SIGNING_KEYS_DIR, a
    timestamp from SIGNING_TSA_URL when set). Raises SigningKeyError or TimestampFailed."""
    if config is None:
        from flask import current_app

        config = current_app.config
    material = key_for(config, slug, municipality_name)
    timestamper = timestamper_for(config, timeout=timeout)
    return sign_with(
        pdf,
        material,
        signed_at=signed_at,
        reason=reason,
        location=location,
        timestamper=timestamper,
        validation_context=ltv.validation_context(config, timeout=timeout)
        if timestamper is not None and ltv.enabled(config)
        else None,
    )


def sign_pdf(
    pdf: bytes, *, slug: str, municipality_name: str, signed_at: datetime, reason: str, location: str
) -> bytes:
    """The signed PDF's bytes (see sign_document for what else the record stores)."""
    return sign_document(
        pdf, slug=slug, municipality_name=municipality_name, signed_at=signed_at, reason=reason, location=location
    ).pdf


__all__ = [
    "LongTermValidationFailed",
    "SignedPdf",
    "SigningKeyError",
    "TimestampFailed",
    "extend",
    "sign_document",
    "sign_pdf",
    "sign_with",
]
