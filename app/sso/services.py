"""Rules for single sign-on: a municipality's configuration, which provider an e-mail address goes
to, who a provider's login is in Etikdialog, and which role they get. Services flush and audit;
they never commit.

Trust decisions (SECURITY.md "Single sign-on"):
- a person is matched by (provider, subject); an e-mail address only links an invited account the
  first time, and only within the municipality whose provider vouched for it;
- a first login creates an account only where the municipality allows just-in-time accounts, and
  then with the lowest role (member);
- a role follows the mapped group claim at every login where a mapping is set, else an admin's;
- a deactivated account is refused whatever the provider says;
- where the municipality requires an NSIS assurance level (SAML), a login or a signature below it,
  or without one, is refused;
- in a municipality with single sign-on, only administrators may still use a password (break-glass).
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.accounts import passwords
from app.accounts import services as accounts
from app.accounts.models import Organisation, Role, User
from app.audit.services import record
from app.core.time import utcnow
from app.core.transactions import record_now
from app.core.urls import public_url
from app.extensions import db
from app.sso import oidc, saml
from app.sso.models import OIDC, SAML, SamlAssertion, SsoConfig, SsoIdentity

SUPPORTED_PROTOCOLS = (OIDC, SAML)
PROTOCOL_NAMES = {OIDC: "OpenID Connect", SAML: "SAML 2.0"}

# A signature needs an authentication at most this old (seconds), and younger than the request.
SIGNING_MAX_AGE = 120
CLOCK_SKEW = 30
ROLE_ORDER = [Role.MEMBER, Role.EDITOR, Role.ADMIN]  # lowest first
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
SECRET_REF_RE = re.compile(r"^(env:[A-Za-z_][A-Za-z0-9_]{0,127}|file:/\S{1,290})$")
FILE_REF_RE = re.compile(r"^file:/\S{1,290}$")
METADATA_REF_RE = re.compile(r"^(https?://[^\s/]+(/\S*)?|file:/\S{1,290})$")
ENTITY_ID_RE = re.compile(r"^(https?://|urn:)\S{1,245}$")
CLAIM_RE = re.compile(r"^[A-Za-z0-9_.:/-]{1,64}$")
# NSIS assurance levels (OIOSAML 3's loa attribute), lowest first; a municipality may require
# "substantial" or "high" for login and, separately, for signing.
LOA_ORDER = saml.LOA_LEVELS
REQUIRABLE_LOA = ("", "substantial", "high")


class SsoError(Exception):
    """A rule refused the configuration; ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class SsoRefused(Exception):
    """A provider's login is not let in; ``message`` is for the person, ``reason`` for the log."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


# --- Configuration -------------------------------------------------------------------------


def config_for(organisation_id: int) -> SsoConfig | None:
    return db.session.scalar(select(SsoConfig).where(SsoConfig.organisation_id == organisation_id))


def config_for_slug(slug: str) -> SsoConfig | None:
    return db.session.scalar(
        select(SsoConfig)
        .join(Organisation, Organisation.id == SsoConfig.organisation_id)
        .where(Organisation.slug == (slug or "").strip())
    )


def email_domain(email: str) -> str:
    email = accounts.normalise_email(email)
    return email.rsplit("@", 1)[1] if "@" in email else ""


def config_for_email(email: str) -> SsoConfig | None:
    """The provider an address logs in with, by its domain; None for Etikdialog's passwords."""
    domain = email_domain(email)
    if not domain:
        return None
    for config in db.session.scalars(select(SsoConfig).where(SsoConfig.email_domains.contains(domain))):
        if domain in config.domains:
            return config
    return None


def parse_role_map(text: str) -> dict[str, Role]:
    """ "value=role" lines (role: admin, editor or member) into a dict; SsoError on a bad line."""
    mapping = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        value, sep, role = line.rpartition("=")
        value, role = value.strip(), role.strip().lower()
        if not sep or not value or len(value) > 200:
            raise SsoError(
                _("Linje %(number)s: skriv gruppe=rolle, fx etik-admin=admin.", number=number), field="role_map"
            )
        try:
            mapping[value] = Role(role)
        except ValueError:
            raise SsoError(
                _("Linje %(number)s: rollen skal være admin, editor eller member.", number=number), field="role_map"
            ) from None
    return mapping


def resolve_secret(ref: str) -> str | None:
    """The secret a reference points to (``env:NAME`` or ``file:/path``); None for no reference.
    Raises SsoError when it points to nothing."""
    if not ref:
        return None
    kind, _sep, where = ref.partition(":")
    if kind == "env":
        value = os.environ.get(where, "")
    else:
        try:
            value = Path(where).read_text(encoding="utf-8")
        except OSError:
            value = ""
    value = value.strip()
    if not value:
        raise SsoError(
            _("Hemmeligheden findes ikke: %(ref)s er tom eller mangler.", ref=ref),
            field="secret_ref",
        )
    return value


def _check_saml(issuer: str, client_id: str, secret_ref: str, cert_ref: str, metadata_ref: str) -> None:
    """SAML's own fields: two entity ids, the IdP's metadata, and our key and certificate as files."""
    if not ENTITY_ID_RE.match(issuer):
        raise SsoError(_("Skriv IdP'ens entity id (en URL eller urn:, højst 255 tegn)."), field="issuer")
    if not ENTITY_ID_RE.match(client_id):
        raise SsoError(_("Skriv Etikdialogs entity id (en URL eller urn:, højst 255 tegn)."), field="client_id")
    if not METADATA_REF_RE.match(metadata_ref):
        raise SsoError(
            _("Skriv hvor IdP'ens metadata ligger: en https://-adresse eller file:/sti."), field="metadata_ref"
        )
    if not FILE_REF_RE.match(secret_ref):
        raise SsoError(_("Skriv hvor tjenestens private nøgle ligger: file:/sti."), field="secret_ref")
    if not FILE_REF_RE.match(cert_ref):
        raise SsoError(_("Skriv hvor tjenestens certifikat ligger: file:/sti."), field="cert_ref")


def set_config(
    organisation: Organisation,
    *,
    protocol: str,
    issuer: str,
    client_id: str,
    secret_ref: str,
    domains: str,
    allow_jit: bool,
    group_claim: str = "",
    role_map: str = "",
    metadata_ref: str = "",
    cert_ref: str = "",
    require_loa: str = "",
    require_signing_loa: str = "",
    actor: User | None = None,
) -> SsoConfig:
    """Create or change the municipality's login; every value is checked, the secret is only named."""
    protocol = (protocol or "").strip().lower()
    if protocol not in SUPPORTED_PROTOCOLS:
        raise SsoError(_("Vælg OpenID Connect eller SAML 2.0."), field="protocol")
    client_id = (client_id or "").strip()
    secret_ref = (secret_ref or "").strip()
    metadata_ref, cert_ref = (metadata_ref or "").strip(), (cert_ref or "").strip()
    if protocol == SAML:
        issuer = (issuer or "").strip()
        _check_saml(issuer, client_id, secret_ref, cert_ref, metadata_ref)
    else:
        metadata_ref = cert_ref = ""
        issuer = (issuer or "").strip().rstrip("/")
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", issuer) or len(issuer) > 255:
            raise SsoError(
                _("Skriv udbyderens adresse (issuer), fx https://login.microsoftonline.com/<tenant>/v2.0."),
                field="issuer",
            )
        if not 0 < len(client_id) <= 255 or any(c.isspace() for c in client_id):
            raise SsoError(_("Skriv klient-id'et (højst 255 tegn, uden mellemrum)."), field="client_id")
        if secret_ref and not SECRET_REF_RE.match(secret_ref):
            raise SsoError(
                _("Skriv ikke selve hemmeligheden her. Skriv hvor den ligger: env:NAVN eller file:/sti."),
                field="secret_ref",
            )
    require_loa = (require_loa or "").strip().lower()
    require_signing_loa = (require_signing_loa or "").strip().lower()
    for name, value in (("require_loa", require_loa), ("require_signing_loa", require_signing_loa)):
        if value not in REQUIRABLE_LOA:
            raise SsoError(_("Vælg intet krav, betydelig eller høj."), field=name)
        if value and protocol != SAML:
            raise SsoError(_("Et sikringsniveau (NSIS) kan kun kræves med SAML 2.0 (OIOSAML 3)."), field=name)
    names = sorted({d.strip().lower() for d in re.split(r"[\s,;]+", domains or "") if d.strip()})
    if not names:
        raise SsoError(_("Skriv mindst ét e-maildomæne, fx aarhus.dk."), field="domains")
    for name in names:
        if not DOMAIN_RE.match(name):
            raise SsoError(_("„%(domain)s“ er ikke et gyldigt domæne.", domain=name[:80]), field="domains")
    if len(" ".join(names)) > 500:
        raise SsoError(_("Domænerne må højst fylde 500 tegn."), field="domains")
    for name in names:
        other = config_for_email(f"x@{name}")
        if other is not None and other.organisation_id != organisation.id:
            raise SsoError(
                _("Domænet %(domain)s bruges allerede af en anden kommune.", domain=name),
                field="domains",
            )
    group_claim = (group_claim or "").strip()
    if group_claim and not CLAIM_RE.match(group_claim):
        raise SsoError(_("Claimets navn må kun have bogstaver, tal og _ . : / - (højst 64 tegn)."), field="group_claim")
    if len(role_map or "") > 5000:
        raise SsoError(_("Rollerne må højst fylde 5.000 tegn."), field="role_map")
    mapping = parse_role_map(role_map)
    if mapping and not group_claim:
        raise SsoError(_("Skriv claimets navn (fx groups), når grupper giver roller."), field="group_claim")

    config = config_for(organisation.id) or SsoConfig(organisation_id=organisation.id)
    config.protocol, config.issuer, config.client_id, config.secret_ref = (
        protocol,
        issuer,
        client_id,
        secret_ref,
    )
    config.metadata_ref, config.cert_ref = metadata_ref, cert_ref
    config.email_domains = " ".join(names)
    config.allow_jit = bool(allow_jit)
    config.group_claim = group_claim
    config.role_map = "\n".join(f"{value}={role.value}" for value, role in mapping.items())
    config.require_loa, config.require_signing_loa = require_loa, require_signing_loa
    config.updated_at = utcnow()
    db.session.add(config)
    db.session.flush()
    record(
        "sso.configured",
        f"Login via {PROTOCOL_NAMES[protocol]} ({issuer}) for {', '.join(names)}; "
        f"nye brugere ved første login: {'ja' if allow_jit else 'nej'}.",
        organisation_id=organisation.id,
        user=actor,
        protocol=protocol,
        issuer=issuer,
        client_id=client_id,
        secret_ref=secret_ref,
        metadata_ref=metadata_ref,
        cert_ref=cert_ref,
        domains=names,
        allow_jit=bool(allow_jit),
        group_claim=group_claim,
        require_loa=require_loa,
        require_signing_loa=require_signing_loa,
    )
    return config


def remove_config(organisation: Organisation, *, actor: User | None = None) -> bool:
    """Back to Etikdialog's passwords. Linked identities stay, unused, for a later return."""
    config = config_for(organisation.id)
    if config is None:
        return False
    db.session.delete(config)
    db.session.flush()
    record(
        "sso.removed",
        "Login via kommunens eget login er slået fra; adgangskoder gælder igen.",
        organisation_id=organisation.id,
        user=actor,
    )
    return True


def client_settings(config: SsoConfig, redirect_uri: str) -> oidc.ClientSettings:
    return oidc.ClientSettings(config.provider, config.client_id, resolve_secret(config.secret_ref), redirect_uri)


def saml_settings(config: SsoConfig, *, with_idp: bool = True) -> saml.SpSettings:
    """Our SAML side for the municipality (its endpoints under /intern/saml/<org>/ on
    PUBLIC_BASE_URL, never the request's Host) and, with
    ``with_idp``, the IdP's metadata. Raises saml.SamlError when the metadata cannot be read."""
    slug = config.organisation.slug
    return saml.SpSettings(
        entity_id=config.client_id,
        acs_url=public_url("sso.saml_acs", slug=slug),
        slo_url=public_url("sso.saml_slo", slug=slug),
        key_file=config.secret_ref.removeprefix("file:"),
        cert_file=config.cert_ref.removeprefix("file:"),
        idp_entity_id=config.provider,
        idp_metadata=saml.load_metadata(config.metadata_ref) if with_idp else None,
    )


def check_saml(config: SsoConfig) -> None:
    """The key, certificate and IdP metadata are where the configuration says, and usable: our
    metadata can be written and the IdP's names its login endpoint. Raises SsoError."""
    try:
        saml.sp_metadata(saml_settings(config, with_idp=False))
        saml.sso_location(saml_settings(config))
    except saml.SamlError as error:
        raise SsoError(_("SAML-opsætningen kan ikke bruges: %(reason)s", reason=error.reason[:300])) from None


def form_action_origins(config: SsoConfig) -> list[str]:
    """Where a form on our login or signing page may end up: the provider's login page."""
    if config.protocol != SAML:
        return [config.issuer]
    try:
        return [saml.sso_location(saml_settings(config))]
    except saml.SamlError:
        return []


def record_assertion(config: SsoConfig, assertion_id: str, not_on_or_after: int) -> None:
    """Keep a used assertion's ID until it expires; SsoRefused if it was used before (a replay).
    Expired IDs are dropped here: an assertion past its NotOnOrAfter is refused anyway. Committed
    at once (record_now): the assertion is used, whatever the rules say about the login next."""
    if not assertion_id or len(assertion_id) > 255:
        raise SsoRefused(not_let_in(), "assertion ID missing or too long")
    now = utcnow()
    expires = datetime.fromtimestamp(not_on_or_after, UTC).replace(tzinfo=None)

    def keep() -> bool:
        db.session.execute(delete(SamlAssertion).where(SamlAssertion.not_on_or_after < now))
        try:
            with db.session.begin_nested():
                db.session.add(
                    SamlAssertion(
                        provider=config.provider, assertion_id=assertion_id, not_on_or_after=max(expires, now)
                    )
                )
        except IntegrityError:
            return False
        return True

    if not record_now(keep):
        raise SsoRefused(
            _("Svaret fra kommunens login er allerede brugt. Log ind igen."), f"replayed assertion {assertion_id}"
        )


LOA_NAMES = {"low": _l("lav"), "substantial": _l("betydelig"), "high": _l("høj")}


def required_loa(config: SsoConfig, *, signing: bool) -> str:
    """The NSIS level a login must have: the login's requirement, and for a signature the higher
    of it and the signing requirement; "" for none (and always for OpenID Connect)."""
    if config.protocol != SAML:
        return ""
    wanted = [config.require_loa, config.require_signing_loa] if signing else [config.require_loa]
    levels = [level for level in wanted if level in LOA_ORDER]
    return max(levels, key=LOA_ORDER.index) if levels else ""


def check_assurance(config: SsoConfig, login: oidc.Login, *, signing: bool) -> None:
    """The IdP vouched for at least the level the municipality requires (OIOSAML 3's loa
    attribute, saml.assurance_level); SsoRefused with a Danish message if not, or if it said none."""
    required = required_loa(config, signing=signing)
    if not required:
        return
    level = saml.assurance_level(login.claims)
    if level is not None and LOA_ORDER.index(level) >= LOA_ORDER.index(required):
        return
    outcome = _("Underskriften er ikke gemt.") if signing else _("Du er ikke logget ind.")
    if level is None:
        message = _(
            "Kommunens login oplyste ikke dit sikringsniveau (NSIS), og Etikdialog kræver mindst "
            "%(required)s. %(outcome)s",
            required=LOA_NAMES[required],
            outcome=outcome,
        )
    else:
        message = _(
            "Du loggede ind med sikringsniveau %(level)s, men Etikdialog kræver mindst %(required)s "
            "(NSIS). Log ind med fx MitID på et højere niveau. %(outcome)s",
            level=LOA_NAMES[level],
            required=LOA_NAMES[required],
            outcome=outcome,
        )
    raise SsoRefused(message, f"assurance level {level or 'missing'} below the required {required}")


def _same_provider(config: SsoConfig, login: oidc.Login) -> bool:
    issuer = login.issuer if config.protocol == SAML else login.issuer.rstrip("/")
    return issuer == config.provider


# --- Who a provider's login is ---------------------------------------------------------------


def not_let_in() -> str:
    return _("Du kan ikke logge ind i Etikdialog med denne bruger. Kontakt din kommunes administrator.")


def _mapped_role(config: SsoConfig, claims: dict) -> Role | None:
    """The highest role the person's group claim maps to; None where no mapping is set."""
    mapping = parse_role_map(config.role_map)
    if not mapping or not config.group_claim:
        return None
    values = claims.get(config.group_claim)
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        values = []
    roles = [mapping[v] for v in values if isinstance(v, str) and v in mapping]
    return max(roles, key=ROLE_ORDER.index) if roles else Role.MEMBER


def identity_for(user: User, config: SsoConfig) -> SsoIdentity | None:
    return db.session.scalar(
        select(SsoIdentity).where(SsoIdentity.user_id == user.id, SsoIdentity.provider == config.provider)
    )


def resolve_login(config: SsoConfig, login: oidc.Login, *, protocol: str = OIDC) -> User:
    """The Etikdialog user a validated login is, creating or linking one where the rules allow.
    Raises SsoRefused. Never crosses municipalities: whatever the claims say, the user belongs to
    the municipality whose provider configuration received the login."""
    organisation_id = config.organisation_id
    if not _same_provider(config, login):
        raise SsoRefused(not_let_in(), "issuer differs from the configuration")
    check_assurance(config, login, signing=False)
    identity = db.session.scalar(
        select(SsoIdentity).where(SsoIdentity.provider == config.provider, SsoIdentity.subject == login.subject)
    )
    if identity is not None:
        user = identity.user
        if identity.organisation_id != organisation_id or user.organisation_id != organisation_id:
            raise SsoRefused(not_let_in(), "subject is linked in another organisation")
    else:
        user = _link_or_create(config, login)
        identity = SsoIdentity(
            user_id=user.id, organisation_id=organisation_id, provider=config.provider, subject=login.subject
        )
        db.session.add(identity)
        db.session.flush()
        record(
            "sso.linked",
            f"{user.name} er knyttet til kommunens login.",
            organisation_id=organisation_id,
            user=user,
            provider=config.provider,
            subject=login.subject,
        )
    if not user.active:
        raise SsoRefused(accounts.INACTIVE, "account deactivated in Etikdialog")
    role = _mapped_role(config, login.claims)
    if role is not None and role.value != user.role:
        with contextlib.suppress(accounts.AccountError):  # the last active administrator keeps the role
            accounts.change_role(user, role, actor=None)
    now = utcnow()
    identity.last_login_at = user.last_login_at = now
    db.session.flush()
    record(
        "user.login",
        f"{user.name} er logget ind via kommunens login.",
        organisation_id=organisation_id,
        user=user,
        method=protocol,
        provider=config.provider,
        subject=login.subject,
    )
    return user


def _link_or_create(config: SsoConfig, login: oidc.Login) -> User:
    email = accounts.normalise_email(login.email)
    if not email or email_domain(email) not in config.domains:
        raise SsoRefused(not_let_in(), "no e-mail in one of the municipality's domains")
    existing = accounts.get_user_by_email(email)
    if existing is not None:
        if existing.organisation_id != config.organisation_id:
            raise SsoRefused(not_let_in(), "e-mail belongs to another organisation")
        if identity_for(existing, config) is not None:
            raise SsoRefused(not_let_in(), "the invited account is linked to another subject")
        return existing  # invited by an administrator: linked on first login
    if not config.allow_jit:
        raise SsoRefused(not_let_in(), "no invited account and no just-in-time accounts")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise SsoRefused(not_let_in(), "invalid e-mail claim") from None
    name = " ".join((login.name or email).split())[: accounts.NAME_MAX]
    user = User(
        organisation_id=config.organisation_id,
        email=email,
        name=name,
        title="",
        role=Role.MEMBER.value,
        password_hash=passwords.UNUSABLE_HASH,
    )
    db.session.add(user)
    db.session.flush()
    record(
        "user.created",
        f"Brugeren {name} er oprettet ved første login via kommunens login som udvalgsmedlem.",
        organisation_id=config.organisation_id,
        user=None,
        target_user_id=user.id,
        email=email,
        role=Role.MEMBER.value,
        just_in_time=True,
    )
    return user


def password_login_refusal(user: User) -> str | None:
    """Where the municipality logs in through its provider, only administrators keep a password
    (the break-glass account); everyone else is sent to the provider."""
    if user.role != Role.ADMIN and config_for(user.organisation_id) is not None:
        return _("Din kommune logger ind via sit eget login. Skriv kun din e-mail, og vælg Log ind.")
    return None


def provider_logout_url(sso: dict | None, post_logout_redirect_uri: str) -> str | None:
    """RP-initiated logout (OIDC) or single logout (SAML) at the provider the session came from,
    where it offers it."""
    if not isinstance(sso, dict):
        return None
    config = config_for_slug(str(sso.get("org", "")))
    if config is None or config.provider != sso.get("provider"):
        return None
    if config.protocol == SAML:
        if not isinstance(sso.get("name_id"), dict):
            return None
        try:
            return saml.logout_url(
                saml_settings(config),
                name_id=sso["name_id"],
                session_index=sso.get("session_index"),
                relay_state="logout",
            )
        except saml.SamlError:
            return None
    return oidc.logout_url(
        config.provider,
        client_id=config.client_id,
        post_logout_redirect_uri=post_logout_redirect_uri,
    )


# --- Signing -------------------------------------------------------------------------------


def signing_config(user: User) -> SsoConfig | None:
    """The provider that must re-authenticate this signer: their municipality's, where they have
    an identity there. Others (the break-glass administrator) sign with their password."""
    config = config_for(user.organisation_id)
    if config is None or identity_for(user, config) is None:
        return None
    return config


def check_fresh_signing_login(user: User, config: SsoConfig, login: oidc.Login, *, started: float, now: float) -> None:
    """The provider re-authenticated the signer just now: same person, auth_time after the request."""
    identity = identity_for(user, config)
    if identity is None or identity.subject != login.subject or not _same_provider(config, login):
        raise SsoRefused(
            _("Du loggede ind som en anden person hos kommunens login. Underskriften er ikke gemt."),
            "signing login is another subject",
        )
    if login.auth_time is None:
        raise SsoRefused(
            _("Kommunens login oplyste ikke, hvornår du loggede ind. Underskriften er ikke gemt."), "no auth_time"
        )
    if login.auth_time < started - CLOCK_SKEW or now - login.auth_time > SIGNING_MAX_AGE:
        raise SsoRefused(
            _("Kommunens login bekræftede ikke et nyt login. Underskriften er ikke gemt. Prøv igen."),
            f"stale auth_time {login.auth_time} (asked at {int(started)}, now {int(now)})",
        )
    check_assurance(config, login, signing=True)
