"""What lower packages look up from higher ones, wired once per app (docs/adr/0007-wiring.md).

A lower package never imports a higher one (README "Layers"). Where it needs what a higher one
provides, it asks app.core.wiring by name when it runs, and create_app puts the higher package's
function there through wire() below: one place that says which package serves which need.
"""

from __future__ import annotations

from flask import Flask

from app.core import wiring


def wire(app: Flask) -> None:
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
    wiring.provide(app, "translog.expected_entries", logged.expected_entries)
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
