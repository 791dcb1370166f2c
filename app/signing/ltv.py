"""Long-term validation material for PAdES B-LT and B-LTA (ADR 0006): what a signature needs to be
checked decades later, when its certificate has expired or been revoked.

- The signer's (and the timestamp authority's) certificate chain and revocation information (CRLs,
  OCSP responses) go into the PDF's Document Security Store (DSS) when it is signed: B-LT.
- A document timestamp over the whole file, DSS included, follows: B-LTA. It proves the DSS
  existed at that time, so the revocation data need never be fetched again.
- Before that timestamp's own certificate expires, `flask signing extend` adds the timestamp
  authority's revocation data and a new document timestamp over everything (renewal).

Revocation data comes from the certificates' own addresses (CRL distribution points, OCSP) when
SIGNING_REVOCATION_FETCH is on, and from local files: outside production the demo CA's CRL.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from app.signing import democa, keys


def enabled(config) -> bool:
    """Long-term validation is on unless SIGNING_LTV turns it off; it needs a timestamp service."""
    return bool(config.get("SIGNING_LTV", True))


demo_crl_url = keys.demo_crl_url


def local_crls(config) -> list[bytes]:
    """CRLs known without fetching: outside production the demo CA's, issued anew when a day old."""
    directory = keys.keys_dir(config)
    if config.get("ENV_NAME") == "production" or not (directory / democa.CA_CERT).exists():
        return []
    return [democa.crl(directory)]


def validation_context(config, *, timeout: float = 10, moment: datetime | None = None):
    """pyHanko's validation context for signing with long-term validation: the trust roots in use,
    the local CRLs, fetching as configured, and revocation data required (hard-fail: for every
    certificate that names a CRL or OCSP address) so that a signature called B-LT really carries it."""
    from pyhanko_certvalidator import ValidationContext

    der = serialization.Encoding.DER
    roots = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in keys.roots(config)]
    fetch = bool(config.get("SIGNING_REVOCATION_FETCH", True))
    options: dict[str, Any] = {}
    if fetch:
        from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

        options["fetcher_backend"] = RequestsFetcherBackend(per_request_timeout=max(1, int(timeout)))
    return ValidationContext(
        trust_roots=roots,
        crls=[asn1_crl.CertificateList.load(data) for data in local_crls(config)],
        allow_fetching=fetch,
        revocation_mode="hard-fail",
        moment=moment,
        **options,
    )


def last_timestamp_expiry(pdf: bytes) -> datetime | None:
    """When the certificate of the PDF's newest timestamp expires (its document timestamp, else the
    signature's own timestamp): the file must be renewed before then. None without a timestamp."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import extract_certificate_info

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    document_timestamps = list(reader.embedded_timestamp_signatures)
    if document_timestamps:
        return document_timestamps[-1].signer_cert.not_valid_after
    expiries = []
    for signature in reader.embedded_regular_signatures:
        unsigned = signature.signer_info["unsigned_attrs"]
        if not unsigned:
            continue
        for attribute in unsigned:
            if attribute["type"].native != "signature_time_stamp_token":
                continue
            for token in attribute["values"]:
                signed_data = token["content"]
                info = extract_certificate_info(signed_data)
                cert = info.signer_cert
                if cert is not None:
                    expiries.append(cert.not_valid_after)
    return min(expiries) if expiries else None
