"""The save flow every versioned form shares (question, review, decision, proposal, meeting mode):
validate, save through a service, and answer a conflict, a refusal or success, as a page or, for
background saves, as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from flask import flash, jsonify, redirect
from flask_babel import gettext as _

from app.assessments import services
from app.core.errors import SAVE_FAILED, database_unavailable, is_autosave
from app.core.formatting import DANISH_TIME
from app.core.health import DATABASE_FAILURES
from app.extensions import db

__all__ = ["is_autosave", "prepare", "save_versioned"]


def prepare(form, row, names) -> None:
    """Stamp a versioned form with the row version and field hashes it is based on."""
    form.row_version.data = str(row.row_version)
    form.base.data = json.dumps(services.base_hashes(row, names))


def save_versioned(form, row, names, save: Callable[[], object], *, done_url: str, render: Callable[..., str]):
    """The shared save flow for versioned forms: conflict, refusal, success; HTML or JSON."""
    if not form.validate_on_submit():
        if is_autosave():
            return jsonify(status="invalid", errors=form.errors), 422
        return render(), 422
    try:
        save()
        db.session.commit()
    except DATABASE_FAILURES:
        # Full disk, lost connection, a lock held too long: nothing was saved. Say so, and give the
        # form back with what was typed (render() raises again if even reading fails; the error
        # handler then gives the text back on a page that needs no database).
        db.session.rollback()
        if is_autosave():
            return database_unavailable()
        return render(refusal=str(SAVE_FAILED)), 503
    except services.NotAllowed:
        raise  # the app's handler answers 403 (app/core/errors.py)
    except services.Conflict as conflict:
        db.session.rollback()
        if is_autosave():
            return jsonify(status="conflict", message=str(conflict), row_version=conflict.current_version,
                           fields=[f.__dict__ for f in conflict.fields]), 409  # fmt: skip
        prepare(form, row, names)  # a second save, after merging by hand, goes through
        return render(conflict=conflict), 409
    except services.AssessmentError as error:
        db.session.rollback()
        if is_autosave():
            return jsonify(status="refused", message=str(error)), 422
        return render(refusal=str(error)), 422
    if is_autosave():
        return jsonify(status="saved", row_version=row.row_version, base=services.base_hashes(row, names),
                       saved_at=datetime.now(DANISH_TIME).strftime("%H:%M"))  # fmt: skip
    flash(_("Gemt."), "success")
    return redirect(done_url)
