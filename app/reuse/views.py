"""Starting a draft from another municipality's published record, under /intern/genbrug.

Thin views: load or 404, check the role, validate the form, call services.start_from, commit,
redirect. The template globals let the board's pages and the public page ask for marks and
counts without their views knowing about reuse.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.assessments.access import refusal
from app.content.loader import get_content
from app.core.errors import require
from app.core.wiring import provided
from app.extensions import db
from app.reuse import services
from app.reuse.forms import StartForm

bp = Blueprint("reuse", __name__, url_prefix="/intern/genbrug", template_folder="templates")


@bp.before_request
@login_required
def require_login():
    """Only a logged-in user of a municipality reaches these pages."""


def _require_editor():
    require(current_user.can_edit)


@bp.get("/")
def index():
    _require_editor()
    query = (request.args.get("q") or "")[:100].strip()
    sources = services.recent_sources(current_user.organisation_id, query)
    return render_template("reuse/index.html", sources=sources, query=query)


@bp.route("/<public_id>", methods=["GET", "POST"])
def start(public_id: str):
    _require_editor()
    publication = services.find_source(public_id) or abort(404)
    problem = None
    source = None
    try:
        source = services.source_of(publication)
        services.require_other_municipality(source, current_user)
    except services.ReuseError as error:
        problem = str(error)
    form = StartForm(data={"title": source.record.get("title", "")} if source and request.method == "GET" else None)
    status = 200
    if problem is None and form.validate_on_submit():
        try:
            draft = services.start_from(publication, user=current_user, title=form.title.data, content=get_content())
        except services.ReuseError as error:
            problem, status = refusal(error), 422
        else:
            db.session.commit()
            flash(_("Udkastet er oprettet. Felter markeret „Overtaget fra …“ er ikke rettet endnu."), "success")
            return redirect(url_for("assessments.overview", public_id=draft.public_id))
    elif form.errors or problem is not None and request.method == "POST":
        status = 422
    versions = provided("public.versions")(publication)  # app/public/services.py
    return render_template(
        "reuse/start.html",
        publication=publication,
        source=source,
        problem=problem,
        form=form,
        newest=versions[-1] if versions[-1].id != publication.id else None,
    ), status


# --- For other packages' templates ---------------------------------------------------------------


@bp.app_template_global("reuse_marks")
def reuse_marks(assessment):
    """The draft's marks (services.Marks) or None; computed once per request."""
    return services.request_marks(assessment)


@bp.app_template_global("reuse_hint")
def reuse_hint(assessment, key: tuple, form_field):
    """A form field's hint with the mark added while the field still holds the source's value;
    the field's own hint otherwise (forms.html `field(..., hint=...)`)."""
    marks = services.request_marks(assessment)
    description = form_field.description or ""
    if marks is None or not marks.has(*key):
        return description or None
    mark = Markup('<span class="reused-mark">{}</span>').format(marks.text)
    return Markup("{} {}").format(description, mark) if description else mark


@bp.app_template_global("reuse_built_on")
def reuse_built_on(publication, chain):
    return services.built_on(publication, chain)
