"""What production refuses to start without, made for a benchmark's throwaway server.

gunicorn with ETIKDIALOG_ENV=production checks at start-up that the transparency log has its
Ed25519 key and that every municipality that can sign has a certificate that chains to
roots.pem and is not from the demo CA (app/signing/checks.py). The benchmark seeds its own
municipalities, so it makes both here: a log key and a CA of its own, named as the benchmark's,
with one PKCS#12 file per signing municipality. Nothing here is used outside `make bench`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app import create_app
from app.extensions import db
from app.signing import democa, keys
from app.signing.checks import signing_organisations
from app.translog import services as translog

CA_NAME = "Etikdialog benchmark-CA (kun til make bench)"


def _certificate(subject: x509.Name, issuer: x509.Name, public_key, signing_key, *, ca: bool) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(democa.NOT_BEFORE)
        .not_valid_after(democa.NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


def environment(directory: Path, database_url: str) -> dict[str, str]:
    """The settings a production server on `database_url` needs, with their files in `directory`."""
    keys_dir = directory / "signing-keys"
    keys_dir.mkdir(parents=True, exist_ok=True)
    log_key = directory / "log-signing-key.pem"
    translog.write_key(str(log_key))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    (keys_dir / keys.ROOTS_FILE).write_bytes(ca.public_bytes(serialization.Encoding.PEM))

    app = create_app({"SECRET_KEY": "bench-" + "x" * 40, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        organisations = [(o.slug, o.name) for o in signing_organisations()]
        db.engine.dispose()
    for slug, name in organisations:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, name)])
        leaf = _certificate(subject, ca_name, key.public_key(), ca_key, ca=False)
        passphrase = secrets.token_urlsafe(16).encode()
        p12_path, pass_path = keys.key_paths(keys_dir, slug)
        p12_path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                slug.encode(), key, leaf, [ca], serialization.BestAvailableEncryption(passphrase)
            )
        )
        pass_path.write_bytes(passphrase + b"\n")
    return {"SIGNING_KEYS_DIR": str(keys_dir), "LOG_SIGNING_KEY_FILE": str(log_key)}
