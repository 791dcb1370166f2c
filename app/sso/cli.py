"""`flask org sso …`: a municipality's login through its own identity provider.

The client secret is never given on the command line (shell history, the process list) nor
stored in the database: --client-secret-env or --client-secret-file names where it is. SAML's
private key and certificate are named as files (--sp-key-file, --sp-cert-file).
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import services as accounts
from app.core.urls import public_url
from app.extensions import db
from app.sso import services

sso_cli = AppGroup("sso", help="Kommunens eget login (OpenID Connect eller SAML 2.0).")


def _organisation(slug: str):
    organisation = accounts.get_organisation_by_slug(slug)
    if organisation is None:
        raise click.ClickException(f"Ingen organisation med slug {slug!r}.")
    return organisation


@sso_cli.command("set")
@click.argument("slug")
@click.option(
    "--protocol",
    type=click.Choice(["oidc", "saml"]),
    default="oidc",
    show_default=True,
    help="OpenID Connect eller SAML 2.0 (OIOSAML).",
)
@click.option(
    "--issuer",
    required=True,
    help="OIDC: udbyderens issuer-URL (discovery under /.well-known/). SAML: IdP'ens entity id.",
)
@click.option(
    "--client-id",
    default="",
    help="OIDC: klient-id'et hos udbyderen. SAML: Etikdialogs entity id (standard: metadata-URL'en).",
)
@click.option("--idp-metadata", default="", help="SAML: IdP'ens metadata, en https://-URL eller en fil.")
@click.option("--sp-key-file", default="", help="SAML: filen med Etikdialogs private nøgle (PEM).")
@click.option("--sp-cert-file", default="", help="SAML: filen med Etikdialogs certifikat (PEM).")
@click.option("--client-secret-env", default="", help="Miljøvariablen med klienthemmeligheden.")
@click.option("--client-secret-file", default="", help="Filen med klienthemmeligheden.")
@click.option("--domain", "domains", multiple=True, required=True, help="E-maildomæne (kan gentages).")
@click.option("--jit/--no-jit", default=False, help="Opret nye brugere (udvalgsmedlemmer) ved første login.")
@click.option("--group-claim", default="", help="Claim med grupper eller roller, fx groups.")
@click.option("--role", "roles", multiple=True, help="gruppe=rolle (admin, editor, member); kan gentages.")
@click.option(
    "--require-loa",
    type=click.Choice(["substantial", "high"]),
    default=None,
    help="SAML: mindste sikringsniveau (NSIS, OIOSAML 3's loa-attribut) for at logge ind.",
)
@click.option(
    "--require-signing-loa",
    type=click.Choice(["substantial", "high"]),
    default=None,
    help="SAML: mindste sikringsniveau (NSIS) for det nye login, en underskrift kræver.",
)
def sso_set(
    slug,
    protocol,
    issuer,
    client_id,
    idp_metadata,
    sp_key_file,
    sp_cert_file,
    client_secret_env,
    client_secret_file,
    domains,
    jit,
    group_claim,
    roles,
    require_loa,
    require_signing_loa,
):
    """Lad kommunen SLUG logge ind via OpenID Connect eller SAML 2.0."""
    from pathlib import Path

    if client_secret_env and client_secret_file:
        raise click.ClickException("Brug enten --client-secret-env eller --client-secret-file, ikke begge.")
    secret_ref = (
        f"env:{client_secret_env}"
        if client_secret_env
        else (f"file:{client_secret_file}" if client_secret_file else "")
    )
    metadata_ref = cert_ref = ""
    if protocol == "saml":
        secret_ref = f"file:{Path(sp_key_file).resolve()}" if sp_key_file else ""
        cert_ref = f"file:{Path(sp_cert_file).resolve()}" if sp_cert_file else ""
        metadata_ref = (
            idp_metadata if "://" in idp_metadata or not idp_metadata else (f"file:{Path(idp_metadata).resolve()}")
        )
        client_id = client_id or public_url("sso.saml_metadata", slug=slug)
    organisation = _organisation(slug)
    try:
        config = services.set_config(
            organisation,
            protocol=protocol,
            issuer=issuer,
            client_id=client_id,
            secret_ref=secret_ref,
            domains=" ".join(domains),
            allow_jit=jit,
            group_claim=group_claim,
            role_map="\n".join(roles),
            metadata_ref=metadata_ref,
            cert_ref=cert_ref,
            require_loa=require_loa or "",
            require_signing_loa=require_signing_loa or "",
        )
        # Say now if the secret, key, certificate or metadata is not where it was said to be.
        if protocol == "saml":
            services.check_saml(config)
        else:
            services.resolve_secret(config.secret_ref)
    except services.SsoError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{organisation.name} logger nu ind via {config.provider} ({', '.join(config.domains)}).")


@sso_cli.command("show")
@click.argument("slug")
def sso_show(slug):
    """Vis kommunens login."""
    organisation = _organisation(slug)
    config = services.config_for(organisation.id)
    if config is None:
        click.echo(f"{organisation.name}: adgangskoder i Etikdialog.")
        return
    click.echo(f"{organisation.name}: {config.protocol} {config.provider}")
    if config.protocol == "saml":
        click.echo(
            f"  Etikdialogs entity id: {config.client_id}; nøgle: {config.secret_ref}; "
            f"certifikat: {config.cert_ref}; IdP-metadata: {config.metadata_ref}"
        )
        click.echo(
            f"  sikringsniveau (NSIS) for login: {config.require_loa or 'intet krav'}; "
            f"for underskrift: {config.require_signing_loa or 'intet krav'}"
        )
    else:
        click.echo(f"  klient-id: {config.client_id}; hemmelighed: {config.secret_ref or '(ingen: offentlig klient)'}")
    click.echo(
        f"  domæner: {', '.join(config.domains)}; nye brugere ved første login: {'ja' if config.allow_jit else 'nej'}"
    )
    if config.group_claim:
        click.echo(f"  roller fra {config.group_claim}: {config.role_map.replace(chr(10), ', ') or '-'}")


@sso_cli.command("off")
@click.argument("slug")
def sso_off(slug):
    """Tilbage til adgangskoder i Etikdialog."""
    organisation = _organisation(slug)
    services.remove_config(organisation)
    db.session.commit()
    click.echo(f"{organisation.name} logger ind med adgangskoder.")


DEMO_SLUG = "esbjerg-kommune"
DEMO_CLIENT_ID = "etikdialog-demo"
DEMO_SECRET_ENV = "ETIKDIALOG_DEMO_OIDC_SECRET"  # noqa: S105 - the variable's name, not a secret


@sso_cli.command("demo")
@click.option("--app-url", default="http://127.0.0.1:5000", help="Hvor Etikdialog svarer.")
@click.option("--provider-url", default="http://127.0.0.1:5001", help="Hvor demo-udbyderen svarer.")
@click.option(
    "--write",
    "provider_config",
    required=True,
    type=click.Path(dir_okay=False),
    help="Filen med demo-udbyderens klient og brugere (læses af tests/sso_provider/oidc_provider.mjs).",
)
@click.option("--password", default="etikdialog-demo-2026", help="Demo-brugernes adgangskode hos udbyderen.")
def sso_demo(app_url, provider_url, provider_config, password):
    """Demo: Esbjerg Kommune logger ind via en lokal OpenID-udbyder (make run starter den)."""
    import json
    import os
    from pathlib import Path

    from flask import current_app

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo-login sættes aldrig op i produktion.")
    secret = os.environ.get(DEMO_SECRET_ENV, "")
    if not secret:
        raise click.ClickException(f"Sæt {DEMO_SECRET_ENV} (demo-klientens hemmelighed).")
    organisation = accounts.get_organisation_by_slug(DEMO_SLUG)
    if organisation is None:
        click.echo("Ingen demo-kommune Esbjerg: demo-login springes over.")
        return
    domain = "esbjerg.example.dk"
    try:
        services.set_config(
            organisation,
            protocol="oidc",
            issuer=provider_url,
            client_id=DEMO_CLIENT_ID,
            secret_ref=f"env:{DEMO_SECRET_ENV}",
            domains=domain,
            allow_jit=False,
        )
    except services.SsoError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    app_url = app_url.rstrip("/")
    accounts_at_provider = {
        user.email: {
            "password": password,
            "sub": f"demo-{user.email.split('@')[0]}",
            "email": user.email,
            "name": user.name,
        }
        for user in organisation.users
        if user.email.endswith("@" + domain)
    }
    clients = [
        {
            "client_id": DEMO_CLIENT_ID,
            "client_secret": secret,
            "redirect_uris": [f"{app_url}/intern/sso/{DEMO_SLUG}/callback"],
            "post_logout_redirect_uris": [f"{app_url}/"],
        }
    ]
    Path(provider_config).write_text(
        json.dumps({"clients": clients, "accounts": accounts_at_provider}, indent=2), encoding="utf-8"
    )
    click.echo(f"{organisation.name} logger ind via {provider_url} ({len(accounts_at_provider)} brugere).")
