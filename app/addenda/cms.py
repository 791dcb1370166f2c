"""The addendum's signature: a detached CMS signature over its canonical bytes, made with the
municipality's certificate and key (app.signing.keys) by pyHanko, with a signature timestamp when
SIGNING_TSA_URL is set (app.signing.pades.timestamper_for). `openssl cms -verify -binary
-content tillaeg.json -inform DER` checks it as well as etikdialog-verify does."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from etikdialog_verify.signature import outside_event_loop
from flask import current_app
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from app.signing import keys, pades

LEVEL_B_B = "B-B"
LEVEL_B_T = "B-T"

_SIGNERS: dict[tuple[str, str], signers.SimpleSigner] = {}


@dataclass(frozen=True)
class SignedData:
    der: bytes
    level: str
    certificate_sha256: str


def _signer(material: keys.KeyMaterial) -> signers.SimpleSigner:
    """pyHanko's signer for the municipality's PKCS#12 file, loaded once per certificate."""
    cache_key = (material.slug, material.fingerprint)
    if cache_key not in _SIGNERS:
        _SIGNERS[cache_key] = signers.SimpleSigner.load_pkcs12_data(material.p12, [], material.passphrase)
    return _SIGNERS[cache_key]


def sign(data: bytes, *, slug: str, municipality_name: str, signed_at: datetime, timeout: float = 20) -> SignedData:
    """Sign `data` as the municipality. Raises keys.SigningKeyError or pades.TimestampFailed."""
    config = current_app.config
    material = keys.key_for(config, slug, municipality_name)
    timestamper = pades.timestamper_for(config, timeout=timeout)
    attributes = PdfCMSSignedAttributes(signing_time=pades.aware_utc(signed_at))

    async def run():
        return await _signer(material).async_sign_general_data(
            data, "sha256", detached=True, timestamper=timestamper, signed_attr_settings=attributes
        )

    try:
        content = outside_event_loop(lambda: asyncio.run(run()))
    except (TimestampRequestError, SigningError, OSError) as error:
        if timestamper is None:
            raise
        raise pades.TimestampFailed(str(error)) from error
    return SignedData(content.dump(), LEVEL_B_T if timestamper else LEVEL_B_B, material.fingerprint)
