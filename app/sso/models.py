"""Single sign-on: a municipality's identity provider and the identities linked to its users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db

OIDC = "oidc"
SAML = "saml"
PROTOCOLS = (OIDC, SAML)


class SsoConfig(db.Model):
    """How one municipality logs in, when not with Etikdialog's own passwords.

    Secrets are never stored: ``secret_ref`` names where the client secret is, as ``env:NAME``
    (an environment variable) or ``file:/path`` (a file, such as a mounted secret).

    SAML 2.0 uses the same columns where they mean the same: ``issuer`` is the IdP's entity id,
    ``client_id`` our (the service provider's) entity id, ``secret_ref`` the file with our private
    key; ``cert_ref`` names our certificate's file and ``metadata_ref`` the IdP's metadata.
    """

    __tablename__ = "sso_config"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    protocol: Mapped[str] = mapped_column(String(8), default=OIDC)
    # The e-mail domains that log in here, lower case and space-separated ("aarhus.dk aak.dk").
    email_domains: Mapped[str] = mapped_column(String(500), default="")
    # OpenID Connect: the issuer (discovery at <issuer>/.well-known/openid-configuration) and client.
    issuer: Mapped[str] = mapped_column(String(255), default="")
    client_id: Mapped[str] = mapped_column(String(255), default="")
    secret_ref: Mapped[str] = mapped_column(String(300), default="")
    # SAML: the IdP's metadata (an https:// URL or file:/path) and our certificate (file:/path).
    metadata_ref: Mapped[str] = mapped_column(String(300), default="", server_default="")
    cert_ref: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Just-in-time accounts: a first login creates a member (the lowest role). Off: invited only.
    allow_jit: Mapped[bool] = mapped_column(default=False)
    # Role from a claim: the claim's name ("groups", "roles") and "value=role" lines.
    group_claim: Mapped[str] = mapped_column(String(64), default="")
    role_map: Mapped[str] = mapped_column(Text, default="")
    # SAML: the NSIS assurance level (OIOSAML 3's loa attribute) a login, and separately a
    # signature, must have: "" (none required), "substantial" or "high".
    require_loa: Mapped[str] = mapped_column(String(16), default="", server_default="")
    require_signing_loa: Mapped[str] = mapped_column(String(16), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation = relationship("Organisation")

    @property
    def domains(self) -> list[str]:
        return self.email_domains.split()

    @property
    def provider(self) -> str:
        """The provider's identifier as it signs: the issuer (OIDC) or the IdP's entity id (SAML)."""
        return self.issuer if self.protocol == SAML else self.issuer.rstrip("/")


class SsoIdentity(db.Model):
    """A user's account at a provider: matched by the provider's stable subject, never by e-mail."""

    __tablename__ = "sso_identity"
    __table_args__ = (UniqueConstraint("provider", "subject", name="uq_sso_identity_provider_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    provider: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    user = relationship("User")


class SsoFlow(db.Model):
    """A login or signature under way at the provider, kept server-side (app/sso/flows.py): the
    flow's one-time values (OIDC state, nonce and PKCE verifier; the SAML request's ID) between the
    redirect and the callback, or the ticket a fresh signing login leaves for the signature. Found
    by the SHA-256 of a random key the browser's session holds, and deleted when used, so a copy of
    an earlier session cookie finds nothing."""

    __tablename__ = "sso_flow"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # "flow" or "ticket"
    payload: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class SamlAssertion(db.Model):
    """A SAML assertion already used to log in, kept until it expires, so it is used only once."""

    __tablename__ = "saml_assertion"
    __table_args__ = (UniqueConstraint("provider", "assertion_id", name="uq_saml_assertion_provider_assertion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(255))
    assertion_id: Mapped[str] = mapped_column(String(255))
    not_on_or_after: Mapped[datetime] = mapped_column(index=True)
