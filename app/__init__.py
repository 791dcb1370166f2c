"""Etikdialog: ethics deliberation of welfare technology for Danish municipalities."""

from flask import Flask

from app import config as app_config
from app.core import templating
from app.extensions import cache, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config → extensions → content → blueprints → CLI → error handlers → the
    request's unit of work."""
    app = Flask(__name__, instance_path=str(app_config.INSTANCE_DIR))
    app.jinja_environment = templating.Environment
    with app_config.cli_stops_on_config_error():
        app.config.from_mapping(app_config.from_environment())
        if config:
            app.config.from_mapping(config)
        app_config.check(app.config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = app_config.engine_options(app.config)

    from app.core import logging as app_logging

    app_logging.configure(app)

    if app.config["TRUST_PROXY_HEADERS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUST_PROXY_HEADERS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from app.core import metrics

    # /metrics and the request counters, when METRICS_ENABLED: first, so that every request is
    # timed and counted, also one an extension's hook answers (CSRF 400, rate limit 429).
    metrics.init_app(app)
    from app.core import compression

    compression.init_app(app)  # registered early, so it runs after the other after_request hooks
    _init_extensions(app)
    from app import wiring

    wiring.wire(app)  # what lower packages look up from higher ones (app/wiring.py)
    _register_blueprints(app)
    _connect_signals()
    _register_cli(app)

    from app.content.markup import render_markdown
    from app.core import formatting, security
    from app.core.errors import register_error_handlers

    app.add_template_filter(render_markdown, "markdown")
    formatting.register(app)
    security.register(app)
    register_error_handlers(app)
    from app.core import transactions

    # The one place each request's transaction ends (ADR 0008): registered last, so that its
    # after_request runs before the others (the witnesses, the record fragments act on the commit).
    transactions.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401 - register every table with the metadata

    db.init_app(app)
    from sqlalchemy import event

    from app.core import health
    from app.extensions import session_settings

    with app.app_context():
        event.listen(db.engine, "connect", session_settings)  # SQLite pragmas, PostgreSQL costs
    health.init_app(app)  # /healthz's record of failing writes, on this app's engine
    migrate.init_app(
        app,
        db,
        directory=str(app_config.shipped("migrations")),
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    from app.accounts import access

    access.init_login()

    limiter.init_app(app)
    cache.init_app(app, config=app_config.cache_settings(app.config.get("CACHE_URL") or "") | _cache_overrides(app))

    from app import i18n

    i18n.init_app(app)

    from app.content import loader

    loader.init_app(app)


def _cache_overrides(app: Flask) -> dict:
    """Flask-Caching settings given to create_app directly (CACHE_TYPE, CACHE_KEY_PREFIX, …: tests)."""
    return {name: value for name, value in app.config.items() if name.startswith("CACHE_") and name != "CACHE_URL"}


def _register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts_bp
    from app.addenda.views import bp as addenda_bp
    from app.addenda.views import public_bp as public_addenda_bp
    from app.ai.views import bp as ai_bp
    from app.api.views import bp as api_bp
    from app.assessments.views import bp as assessments_bp
    from app.consultation.views import bp as consultation_bp
    from app.consultation.views import public_bp as consultations_bp
    from app.content.views import bp as content_bp
    from app.core.views import bp as core_bp
    from app.documents.views import bp as documents_bp
    from app.documents.views import public_bp as public_documents_bp
    from app.feedback.views import bp as feedback_board_bp
    from app.feedback.views import public_bp as feedback_bp
    from app.followup.views import bp as followup_bp
    from app.i18n.views import bp as i18n_bp
    from app.meeting.views import bp as meeting_bp
    from app.public.views import bp as public_bp
    from app.reuse.views import bp as reuse_bp
    from app.signing.views import bp as signing_bp
    from app.signoff.views import bp as signoff_bp
    from app.sso.views import bp as sso_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(public_bp)
    from app.public import fragments

    fragments.init_app(app)  # the record page's shared signed fragment (issue 33 item 2)
    app.register_blueprint(api_bp)
    app.register_blueprint(consultations_bp)
    app.register_blueprint(content_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(ai_bp)  # the AI Act Article 27 assessment and its notification
    app.register_blueprint(signoff_bp)
    app.register_blueprint(consultation_bp)
    app.register_blueprint(followup_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(public_documents_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(feedback_board_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(meeting_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(signing_bp)
    app.register_blueprint(reuse_bp)
    app.register_blueprint(addenda_bp)  # signed addenda after the signature (issue 28 item 3)
    app.register_blueprint(public_addenda_bp)
    from app.translog.views import bp as translog_bp

    app.register_blueprint(translog_bp)  # the public transparency log (ADR 0004)
    _wire_sso(app)
    _wire_witnessing(app)


def _wire_witnessing(app: Flask) -> None:
    """After a request whose transaction grew the log: keep the newest checkpoint outside the
    database and ask the witnesses to cosign it; a rolled-back transaction grew nothing."""
    from sqlalchemy import event

    from app.translog import services as translog_services
    from app.translog import witnessing

    app.after_request(witnessing.after_request)
    for name, listener in (
        ("after_commit", translog_services.keep_growth),
        ("after_soft_rollback", translog_services.forget_growth),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def _wire_sso(app: Flask) -> None:
    """Single sign-on: the login and signing pages let their forms continue to the providers
    (CSP form-action). Its password-login guard is wired in app/wiring.py."""
    from app.sso import csp

    app.after_request(csp.form_action_for_providers)


def _connect_signals() -> None:
    """Who listens to what, in one place (README "Layout"). Connecting the same receiver again is a
    no-op, so building several apps in one process connects each once."""
    from app.assessments import signals
    from app.audit import services as audit_services
    from app.documents import services as documents_services
    from app.public import services as public_services
    from app.reuse import services as reuse_services
    from app.signoff import services as signoff_services

    signals.transitioning.connect(signoff_services.void_on_return)  # back to deliberation: void
    signals.transitioning.connect(public_services.publish_on_transition)  # publish, withdraw
    signals.changed.connect(signoff_services.void_on_change)  # a position changed: void
    signals.reopened.connect(documents_services.copy_on_reopen)  # version n+1 keeps the documents
    from app.translog import services as translog_services

    signals.logged.connect(translog_services.append_on_event)  # signed, published, withdrawn: the public log
    from app.public import fragments

    signals.logged.connect(fragments.prepare_on_publish)  # published: its record page's signed fragment
    signals.reopened.connect(reuse_services.carry_on_reopen)  # and the link to a reused record
    signals.checking.connect(reuse_services.refuse_unread_signoff)  # sign-off waits for reused fields read
    from app.accounts import notices

    signals.logged.connect(notices.notify_on_signed)  # signed: the administrators publish
    audit_services.log_after_commit()  # audit lines are logged once their transaction commits


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import org_cli, user_cli
    from app.backup.cli import backup_cli, export_command, import_command
    from app.consultation.cli import consultation_cli
    from app.content.cli import content_cli
    from app.demo.cli import bench_seed_command, demo_command
    from app.feedback.cli import feedback_cli
    from app.followup.cli import followup_cli
    from app.signing.cli import signing_cli
    from app.signoff.cli import verify_command

    app.cli.add_command(content_cli)
    app.cli.add_command(consultation_cli)
    app.cli.add_command(followup_cli)
    app.cli.add_command(feedback_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(bench_seed_command)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(backup_cli)  # flask backup verify
    app.cli.add_command(verify_command)
    from app.documents.cli import documents_cli

    app.cli.add_command(documents_cli)  # flask documents check
    app.cli.add_command(signing_cli)
    from app.translog.cli import log_cli

    app.cli.add_command(log_cli)
    app.cli.add_command(org_cli)
    from app.sso.cli import sso_cli

    org_cli.add_command(sso_cli)  # flask org sso set|show|off
    app.cli.add_command(user_cli)
    from app.public.fragments import cache_cli

    app.cli.add_command(cache_cli)  # flask cache warm
