"""Each municipality's signing certificate and key, and the trust roots in use.

A municipality signs with `<slug>.p12` (PKCS#12: key, certificate, the chain up to its root) and
the passphrase in `<slug>.pass`, both in the directory SIGNING_KEYS_DIR names; never from the
database or the command line. `roots.pem` in the same directory holds the trust roots an operator
publishes (for a real certificate: its root CA; with a timestamp authority: the TSA's root too).
Outside production the demo CA's certificate is a root as well, and a municipality without a
certificate gets a demo certificate on demand (`democa.issue`); production refuses both.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from etikdialog_verify.signature import is_demo_certificate

from app.signing import democa

ROOTS_FILE = "roots.pem"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class SigningKeyError(RuntimeError):
    """A municipality's signing key is missing, unreadable or not allowed here; says which and why."""


@dataclass(frozen=True)
class KeyMaterial:
    slug: str
    p12: bytes
    passphrase: bytes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    private_key: PrivateKeyTypes = field(repr=False, compare=False)  # cryptography's key object

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the signing certificate (DER), lower-case hex."""
        return hashlib.sha256(self.certificate.public_bytes(serialization.Encoding.DER)).hexdigest()

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def is_demo(self) -> bool:
        return is_demo_certificate(self.certificate) or any(is_demo_certificate(c) for c in self.chain)


def key_paths(directory: Path, slug: str) -> tuple[Path, Path]:
    if not SLUG.fullmatch(slug or ""):
        raise SigningKeyError(f"Not a municipality slug: {slug!r}")
    directory = Path(directory)
    return directory / f"{slug}.p12", directory / f"{slug}.pass"


_CACHE: dict[tuple, KeyMaterial] = {}
_CACHE_LOCK = threading.Lock()


def load(directory: Path, slug: str) -> KeyMaterial:
    """The municipality's key material; SigningKeyError when it is missing or does not open.
    Cached per process by the files' modification times, so a replaced certificate is read again."""
    p12_path, pass_path = key_paths(directory, slug)
    try:
        stamp = (str(p12_path), p12_path.stat().st_mtime_ns, pass_path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise SigningKeyError(
            f"No signing certificate for {slug}: {p12_path.name} and {pass_path.name} must be in {p12_path.parent}"
        ) from None
    with _CACHE_LOCK:
        cached = _CACHE.get(stamp)
    if cached is not None:
        return cached
    data = p12_path.read_bytes()
    passphrase = pass_path.read_bytes().rstrip(b"\r\n")
    try:
        private_key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as error:
        raise SigningKeyError(f"{p12_path.name} does not open with the passphrase in {pass_path.name}") from error
    if private_key is None or certificate is None:
        raise SigningKeyError(f"{p12_path.name} holds no key and certificate")
    material = KeyMaterial(slug, data, passphrase, certificate, tuple(others), private_key)
    with _CACHE_LOCK:
        _CACHE[stamp] = material
    return material


def key_for(config, slug: str, organisation_name: str) -> KeyMaterial:
    """What a municipality signs with, under the app's settings. Production takes only a real
    certificate from the directory; elsewhere a missing one is issued from the demo CA."""
    directory = keys_dir(config)
    production = config.get("ENV_NAME") == "production"
    p12_path, pass_path = key_paths(directory, slug)
    if not production and not (p12_path.exists() and pass_path.exists()):
        democa.issue(directory, slug, organisation_name, crl_url=demo_crl_url(config))
    material = load(directory, slug)
    if production and material.is_demo:
        raise SigningKeyError(f"{p12_path.name} is a demo certificate, refused in production")
    return material


def demo_crl_url(config) -> str | None:
    """Where the portal publishes the demo CA's CRL (frozen into demo certificates); None in production."""
    if config.get("ENV_NAME") == "production":
        return None
    base = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + democa.CRL_PATH if base else None


def keys_dir(config) -> Path:
    return Path(config["SIGNING_KEYS_DIR"])


def parse_pem_certificates(data: bytes) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(data) if b"-----BEGIN CERTIFICATE-----" in data else []


def roots(config) -> list[x509.Certificate]:
    """The trust roots in use: roots.pem, and outside production the demo CA."""
    directory = keys_dir(config)
    found: list[x509.Certificate] = []
    if (directory / ROOTS_FILE).exists():
        found += parse_pem_certificates((directory / ROOTS_FILE).read_bytes())
    if config.get("ENV_NAME") != "production" and (directory / democa.CA_CERT).exists():
        found += parse_pem_certificates((directory / democa.CA_CERT).read_bytes())
    unique = {c.fingerprint(hashes.SHA256()): c for c in found}
    return list(unique.values())


def roots_pem(config) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in roots(config))
