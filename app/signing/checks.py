"""Production's start-up check of the signing keys: every municipality that can sign has a
readable, real (not demo) certificate whose chain reaches a root in roots.pem. Run by
gunicorn.conf.py's on_starting (the master refuses to start) and by `flask signing check`.

It needs the database (which municipalities can sign), so it is not part of config.check, which
create_app runs before there is a database connection.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from etikdialog_verify.signature import is_demo_certificate
from sqlalchemy import select

from app.config import ConfigError
from app.signing import democa, keys


def signing_organisations():
    """Municipalities with at least one active board member or administrator: those that can sign."""
    from app.accounts.models import Organisation, Role, User
    from app.extensions import db

    signers = select(User.organisation_id).where(
        User.active.is_(True), User.role.in_([Role.MEMBER.value, Role.ADMIN.value])
    )
    return list(
        db.session.scalars(select(Organisation).where(Organisation.id.in_(signers)).order_by(Organisation.slug))
    )


def _chains_to(certificate: x509.Certificate, chain: tuple[x509.Certificate, ...], roots) -> bool:
    """The certificate, through its PKCS#12 chain, is issued by one of the roots (names and signatures)."""
    by_subject = {c.subject: c for c in (*chain, *roots)}
    root_prints = {r.fingerprint(hashes.SHA256()) for r in roots}
    current = certificate
    for _step in range(8):
        issuer = by_subject.get(current.issuer)
        if issuer is None:
            return False
        try:
            current.verify_directly_issued_by(issuer)
        except Exception:  # noqa: BLE001 - any failure (name, algorithm, signature) means "does not chain"
            return False
        if issuer.fingerprint(hashes.SHA256()) in root_prints:
            return True
        current = issuer
    return False


def readiness_problem(app) -> str | None:
    """/readyz's check of the signing certificates (app/core/readiness.py, wired in app/wiring.py)."""
    signing = problems(app.config, signing_organisations())
    if not signing:
        return None
    app.logger.warning("readyz: PDF signing is not set up: %s", " ".join(signing))
    return f"PDF-signeringen er ikke sat op ({len(signing)} problem(er); se loggen)."


def problems(config, organisations) -> list[str]:
    """Why production may not start, one line each (empty: it may). Outside production a missing
    certificate is issued on demand and demo certificates are expected, so only broken files and
    certificates that do not chain to the roots count."""
    production = config.get("ENV_NAME") == "production"
    directory = keys.keys_dir(config)
    if not directory.is_dir():
        return [f"SIGNING_KEYS_DIR {directory} does not exist."] if production else []
    roots = keys.roots(config)
    found = []
    if not roots and production:
        found.append(f"{directory / keys.ROOTS_FILE} holds no trust roots (the root CA of the certificates).")
    found += [
        f"{keys.ROOTS_FILE} holds the demo CA ({democa.DEMO_CA_NAME}); refused in production."
        for root in roots
        if production and is_demo_certificate(root)
    ]
    for organisation in organisations:
        p12_path, _pass_path = keys.key_paths(directory, organisation.slug)
        if not production and not p12_path.exists():
            continue
        try:
            material = keys.load(directory, organisation.slug)
        except keys.SigningKeyError as error:
            found.append(f"{organisation.name}: {error}.")
            continue
        if material.is_demo and production:
            found.append(f"{organisation.name}: {organisation.slug}.p12 is a demo certificate; refused in production.")
        elif roots and not _chains_to(material.certificate, material.chain, roots):
            found.append(
                f"{organisation.name}: the certificate in {organisation.slug}.p12 does not chain to roots.pem."
            )
    return found


def check_on_start(app) -> None:
    """Raise ConfigError in production when a municipality that can sign has no usable key."""
    if app.config.get("ENV_NAME") != "production":
        return
    with app.app_context():
        found = problems(app.config, signing_organisations())
    if found:
        raise ConfigError("PDF signing is not set up:\n  " + "\n  ".join(found))
