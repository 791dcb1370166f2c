"""What lower packages look up from higher ones, wired once per app (docs/adr/0007-wiring.md).

A lower package never imports a higher one (README "Layers"). Where it needs what a higher one
provides, it asks app.core.wiring by name when it runs, and create_app puts the higher package's
function there through wire() below: one place that says which package serves which need.
"""

from __future__ import annotations

from flask import Flask

from app.core import wiring


def wire(app: Flask) -> None:
    _wire_assessment_pages(app)
    _wire_record(app)
    _wire_preconditions(app)
    _wire_public(app)
    _wire_accounts(app)


def _wire_public(app: Flask) -> None:
    """The packages above the public pages that hang on a publication (feedback, reuse), and the
    follow-up: what the pages' cache key reads from them, and what cron's reminder runs."""
    from app.addenda import services as addenda_services
    from app.feedback import cli as feedback_cli
    from app.feedback import services as feedback_services
    from app.followup import services as followup_services
    from app.reuse import services as reuse_services

    wiring.contribute(
        app,
        "public.generation_columns",
        followup_services.generation_columns,
        feedback_services.generation_columns,
        reuse_services.generation_columns,
        addenda_services.generation_columns,
    )
    wiring.contribute(app, "followup.reminders", feedback_cli.remind_waiting)


def _wire_assessment_pages(app: Flask) -> None:
    """The overview's progress lines and the DPIA reference from the features above assessments
    (app/assessments/hooks.py)."""
    from app.ai import checks as ai_checks
    from app.documents import services as documents_services

    wiring.contribute(app, "assessments.progress_lines", ai_checks.progress_line, documents_services.progress_line)
    wiring.contribute(app, "assessments.dpia_references", documents_services.dpia_reference)


def _wire_accounts(app: Flask) -> None:
    """Where a municipality logs in through its provider, only its administrators keep a
    password (break-glass)."""
    from app.sso import services as sso_services

    wiring.contribute(app, "accounts.password_login_guards", sso_services.password_login_refusal)


def _wire_preconditions(app: Flask) -> None:
    """The state table's preconditions from the features above it, each under its module and
    function name, the name the table's row gives (app/assessments/workflow.py)."""
    from app.ai.checks import fria_complete
    from app.consultation.record import consultations_settled
    from app.documents.record import files_acceptable
    from app.signoff import checks as signoff_checks
    from app.signoff import record_checks

    for function in (
        fria_complete,
        signoff_checks.signatories_named,
        consultations_settled,
        record_checks.consistency_settled,
        record_checks.vote_adds_up,
        signoff_checks.document_within_bounds,
        signoff_checks.files_within_total,
        files_acceptable,
        signoff_checks.all_signed,
    ):
        wiring.provide(app, f"precondition:{function.__module__}.{function.__name__}", function)


def _wire_record(app: Flask) -> None:
    from app.addenda import services as addenda_services
    from app.pdf import fria
    from app.public import logged
    from app.public import services as public_services
    from app.reuse.record import reused_from_section
    from app.signing import checks as signing_checks
    from app.signoff import canonical
    from app.translog import services as translog_services
    from app.translog import verify as translog_verify

    # The signed record, for the features below the sign-off that show or freeze part of it
    # (the AI notification's draft, the consultation's frozen proposal).
    wiring.provide(app, "record.snapshot", canonical.snapshot)
    # Optional sections of the signed record, (key, function of the assessment); left out when None.
    wiring.contribute(app, "record.optional_sections", ("reused_from", reused_from_section))
    # Rows copied from a signed record, checked against it by the integrity check.
    wiring.contribute(app, "integrity.derived_rows", public_services.derived_row_mismatches)
    # The entries the transparency log must hold, from the records' states.
    wiring.contribute(app, "translog.expected_sources", logged.expected_entries, addenda_services.expected_log_entries)
    # The features' pages that show a publication or a PDF the renderer makes.
    wiring.provide(app, "public.publication", public_services.get)
    wiring.provide(app, "public.signed_page", public_services.signed_page)
    wiring.provide(app, "public.versions", public_services.versions)
    wiring.provide(app, "pdf.fria_notification", fria.notification_pdf)
    # /readyz: the files it checks, (check name, function of the app giving a reason or None),
    # and whether the log still extends its newest checkpoint kept outside the database.
    wiring.contribute(
        app,
        "readiness.file_checks",
        ("log_key", translog_services.key_readiness_problem),
        ("signing", signing_checks.readiness_problem),
    )
    wiring.provide(app, "readiness.log_rolled_back", translog_verify.kept_checkpoint_problems)
    # /metrics: the transparency log's size at scrape time.
    wiring.provide(app, "metrics.log_size", translog_services.size)
