"""The save flow every versioned form shares (question, review, decision, action item, proposal,
meeting mode): validate, save through a service, and answer a conflict, a refusal or success, as a
page or, for background saves, as JSON. `versioned_page` is the whole page of a row whose form is
its field table (app/assessments/fields.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from flask import current_app, flash, jsonify, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import inspect as sqlalchemy_inspect

from app.assessments import services
from app.core.errors import SAVE_FAILED, database_unavailable, is_autosave
from app.core.formatting import DANISH_TIME
from app.core.health import DATABASE_FAILURES
from app.core.transactions import discard
from app.extensions import db

__all__ = ["is_autosave", "neighbours", "prepare", "save_versioned", "versioned_page"]


def prepare(form, row, names) -> None:
    """Stamp a versioned form with the row version and field hashes it is based on."""
    form.row_version.data = str(row.row_version)
    form.base.data = json.dumps(services.base_hashes(row, names))


def _log_not_saved(row, outcome: str, error: BaseException | None = None) -> None:
    """A save that stored nothing, as a log line with the request's id (the JSON formatter adds it,
    and the error page and autosave's answer carry the same id): autosaves fail unseen otherwise.
    A database failure is a warning with its cause; a conflict, refusal or invalid form is info."""
    # Read without the database: after a rollback the row and the user are expired, and reading
    # their attributes would query a database that may just have failed.
    identity = sqlalchemy_inspect(row).identity
    fields = {
        "autosave": is_autosave(),
        "outcome": outcome,
        "row": type(row).__name__,
        "row_id": identity[0] if identity else None,
        "user_id": str(session.get("_user_id", "")).split(":")[0] or None,
    }
    if error is not None:
        current_app.logger.warning("save.failed", exc_info=error, extra={"fields": fields})
    else:
        current_app.logger.info("save.not_saved", extra={"fields": fields})


def save_versioned(form, row, names, save: Callable[[], object], *, done_url: str, render: Callable[..., str]):
    """The shared save flow for versioned forms: conflict, refusal, success; HTML or JSON."""
    if not form.validate_on_submit():
        _log_not_saved(row, "invalid")
        if is_autosave():
            return jsonify(status="invalid", errors=form.errors), 422
        return render(), 422
    try:
        save()
        db.session.flush()  # a write the database refuses fails here; the commit ends the request (ADR 0008)
    except DATABASE_FAILURES as error:
        # Full disk, lost connection, a lock held too long: nothing was saved. Say so, and give the
        # form back with what was typed (render() raises again if even reading fails; the error
        # handler then gives the text back on a page that needs no database).
        discard()
        _log_not_saved(row, "database_failure", error)
        if is_autosave():
            return database_unavailable()
        return render(refusal=str(SAVE_FAILED)), 503
    except services.NotAllowed:
        raise  # the app's handler answers 403 (app/core/errors.py)
    except services.Conflict as conflict:
        discard()
        _log_not_saved(row, "conflict")
        if is_autosave():
            return jsonify(
                status="conflict",
                message=str(conflict),
                row_version=conflict.current_version,
                fields=[f.__dict__ for f in conflict.fields],
            ), 409
        prepare(form, row, names)  # a second save, after merging by hand, goes through
        return render(conflict=conflict), 409
    except services.AssessmentError as error:
        discard()
        _log_not_saved(row, "refused")
        if is_autosave():
            return jsonify(status="refused", message=str(error)), 422
        return render(refusal=str(error)), 422
    if is_autosave():
        return jsonify(
            status="saved",
            row_version=row.row_version,
            base=services.base_hashes(row, names),
            saved_at=datetime.now(DANISH_TIME).strftime("%H:%M"),
        )
    flash(_("Gemt."), "success")
    return redirect(done_url)


def versioned_page(form_class, row, render: Callable[..., str], *, done_url: str):
    """A row's page whose form is built from its table (forms.FieldsForm): GET shows the row in
    the form; POST saves the table's fields through services.save_fields. `render(form, **extra)`
    draws the page."""
    form = form_class(obj=row if request.method == "GET" else None)
    names = form.TABLE.names

    def page(**extra):
        return render(form, **extra)

    if request.method == "GET":
        prepare(form, row, names)
        return page()

    def save():
        services.save_fields(
            row,
            form.TABLE,
            form.changes(),
            expected_version=form.expected_version(),
            base=form.base_hashes(),
            user=current_user,
        )

    return save_versioned(form, row, names, save, render=page, done_url=done_url)


def neighbours(rows: list, row) -> dict:
    """The rows before and after `row`, for a page's previous and next links."""
    index = rows.index(row)
    return {
        "previous": rows[index - 1] if index > 0 else None,
        "next": rows[index + 1] if index + 1 < len(rows) else None,
    }
