"""The demo CA: a clearly labelled TEST certificate authority and the municipality certificates it
issues, for development, the test suite and `make run`. Never for production (refused there).

Files in the keys directory (SIGNING_KEYS_DIR):
- `demo-ca.pem` (the CA's certificate, a trust root outside production) and `demo-ca.key.pem`
  (its private key, 0600);
- `<slug>.p12` and `<slug>.pass` per municipality (0600), as for a real certificate;
- `demo-ca.crl`: the CA's certificate revocation list (DER), renewed when it is a day old, which the
  certificates name as their CRL distribution point (`/api/v1/signing/demo-ca.crl` on the portal);
- `demo-tsa.pem` and `demo-tsa.key.pem`: a timestamp authority's certificate and key, issued by
  the CA, for the in-process RFC 3161 service of `SIGNING_DEMO_TSA` (PAdES B-T, B-LT, B-LTA).

Everything here is idempotent: an existing CA or certificate is kept. Writes are atomic
(temporary file, then rename) and serialised by a lock file, so two processes issuing the same
certificate at once end with one.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# The demo marks live with the verifier, which names a test certificate as such.
from etikdialog_verify.signature import DEMO_CA_NAME, DEMO_MARKER

CA_CERT = "demo-ca.pem"
CA_KEY = "demo-ca.key.pem"
# One key for every demo municipality certificate in a directory: issuing is then a matter of
# milliseconds (the test suite issues one per test municipality). Real certificates each have their own.
SIGNER_KEY = "demo-signer.key.pem"
# Fixed validity: demo records may be signed with past dates, and tests must not expire.
NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2045, 1, 1, tzinfo=UTC)
KEY_BITS = 2048  # RSA with PKCS#1 v1.5: deterministic signatures
CA_CRL = "demo-ca.crl"
TSA_CERT = "demo-tsa.pem"
TSA_KEY = "demo-tsa.key.pem"
TSA_NAME = "Etikdialog TEST-tidsstempeltjeneste – ikke til produktion"
# Where the portal publishes the demo CA's CRL (app.signing.views), under PUBLIC_BASE_URL.
CRL_PATH = "/api/v1/signing/demo-ca.crl"
CRL_VALID = timedelta(days=7)  # nextUpdate: a CRL older than this is stale for a validator
CRL_RENEW = timedelta(days=1)


@contextmanager
def locked(directory: Path):
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read, atomically."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _name(*, common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARKER),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def create_ca(directory: Path) -> bool:
    """The demo CA in `directory`; False when it was there already."""
    directory = Path(directory)
    with locked(directory):
        if (directory / CA_CERT).exists() and (directory / CA_KEY).exists():
            return False
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        name = _name(common_name=DEMO_CA_NAME, organisation="Etikdialog (test)")
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        write_private(
            directory / CA_KEY,
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
        write_private(directory / CA_CERT, certificate.public_bytes(serialization.Encoding.PEM))
        return True


def load_ca(directory: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    directory = Path(directory)
    certificate = x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())
    return certificate, _rsa_key((directory / CA_KEY).read_bytes())


def _rsa_key(pem: bytes) -> rsa.RSAPrivateKey:
    """A key this module wrote (always RSA), read back; a key of another kind is not ours."""
    key = serialization.load_pem_private_key(pem, password=None, unsafe_skip_rsa_key_validation=True)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the demo CA's keys are RSA keys")
    return key


def _issuer_key(certificate: x509.Certificate) -> rsa.RSAPublicKey:
    """The demo CA's public key, for the authority key identifier of what it issues."""
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the demo CA's keys are RSA keys")
    return key


def _signer_key(directory: Path) -> rsa.RSAPrivateKey:
    """The demo certificates' shared key, created on first use (call with the lock held)."""
    path = directory / SIGNER_KEY
    if path.exists():
        return _rsa_key(path.read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    write_private(
        path,
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    return key


def _crl_distribution_point(crl_url: str | None) -> x509.CRLDistributionPoints | None:
    if not crl_url:
        return None
    return x509.CRLDistributionPoints(
        [x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)]
    )


def issue(directory: Path, slug: str, organisation_name: str, *, crl_url: str | None = None) -> bool:
    """A demo certificate for one municipality (subject O = its name) as `<slug>.p12` with a
    random passphrase in `<slug>.pass`; creates the demo CA first if there is none. False when
    the municipality has a certificate already (a real one is never replaced). With `crl_url` the
    certificate names it as where its revocation status is published (a validator that may fetch
    finds the CRL there; signing with long-term validation reads it from the directory)."""
    from app.signing.keys import key_paths  # the one place that names the files

    directory = Path(directory)
    create_ca(directory)
    p12_path, pass_path = key_paths(directory, slug)
    with locked(directory):
        if p12_path.exists() and pass_path.exists():
            return False
        ca_certificate, ca_key = load_ca(directory)
        key = _signer_key(directory)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name=organisation_name, organisation=organisation_name))
            .issuer_name(ca_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(_issuer_key(ca_certificate)), critical=False
            )
        )
        if (points := _crl_distribution_point(crl_url)) is not None:
            builder = builder.add_extension(points, critical=False)
        certificate = builder.sign(ca_key, hashes.SHA256())
        passphrase = secrets.token_urlsafe(32)
        # AES-256 and SHA-256 as usual, but few key-derivation rounds: a demo passphrase guards
        # nothing, and the test suite opens a file for every test municipality.
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(1000)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(passphrase.encode("ascii"))
        )
        bundle = pkcs12.serialize_key_and_certificates(
            slug.encode("ascii"), key, certificate, [ca_certificate], encryption
        )
        write_private(pass_path, (passphrase + "\n").encode("ascii"))
        write_private(p12_path, bundle)
        return True


def crl(directory: Path, *, now: datetime | None = None, revoked: tuple[tuple[int, datetime], ...] = ()) -> bytes:
    """The demo CA's current CRL (DER), from `demo-ca.crl` while it is less than a day old, else
    issued anew (thisUpdate now, nextUpdate in a week) and written there. With `revoked` (serial
    number, revocation time) pairs a fresh CRL listing them is issued and stored."""
    directory = Path(directory)
    create_ca(directory)
    now = now or datetime.now(UTC)
    path = directory / CA_CRL
    with locked(directory):
        if path.exists() and not revoked:
            current = x509.load_der_x509_crl(path.read_bytes())
            if now - CRL_RENEW < current.last_update_utc <= now:
                return path.read_bytes()
        ca_certificate, ca_key = load_ca(directory)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(ca_certificate.subject)
            .last_update(now - timedelta(minutes=5))  # a validator's clock may run a little behind
            .next_update(now + CRL_VALID)
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(_issuer_key(ca_certificate)), critical=False
            )
        )
        for serial, at in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build()
            )
        data = builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        write_private(path, data)
        path.chmod(0o644)  # public information
        return data


def timestamp_authority(directory: Path, *, crl_url: str | None = None) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The demo timestamp authority's certificate and key, issued by the demo CA on first use
    (extended key usage timeStamping only, critical, as RFC 3161 requires)."""
    directory = Path(directory)
    create_ca(directory)
    with locked(directory):
        if not (directory / TSA_CERT).exists() or not (directory / TSA_KEY).exists():
            ca_certificate, ca_key = load_ca(directory)
            key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
            builder = (
                x509.CertificateBuilder()
                .subject_name(_name(common_name=TSA_NAME, organisation="Etikdialog (test)"))
                .issuer_name(ca_certificate.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(NOT_BEFORE)
                .not_valid_after(NOT_AFTER)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(_issuer_key(ca_certificate)), critical=False
                )
            )
            if (points := _crl_distribution_point(crl_url)) is not None:
                builder = builder.add_extension(points, critical=False)
            certificate = builder.sign(ca_key, hashes.SHA256())
            write_private(
                directory / TSA_KEY,
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                ),
            )
            write_private(directory / TSA_CERT, certificate.public_bytes(serialization.Encoding.PEM))
        certificate = x509.load_pem_x509_certificate((directory / TSA_CERT).read_bytes())
        key = _rsa_key((directory / TSA_KEY).read_bytes())
    return certificate, key
