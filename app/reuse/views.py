"""Starting a draft from another municipality's published record, under /intern/genbrug, and
confirming what it took over.

Thin views: load or 404, check the role, validate the form, call one service, redirect (the request commits in one place, ADR 0008).
The template globals let the board's pages and the public page ask for marks, confirm buttons and
counts without their views knowing about reuse.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from app.assessments.access import load_assessment, refusal
from app.content.loader import get_content
from app.core.errors import require
from app.core.formatting import local_date
from app.core.wiring import provided
from app.reuse import services
from app.reuse.forms import ConfirmForm, StartForm

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
            flash(
                _(
                    "Udkastet er oprettet. Felter markeret „Overtaget fra …“ skal bekræftes eller rettes, før "
                    "vurderingen kan sendes til underskrift."
                ),
                "success",
            )
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


ANCHOR = re.compile(r"[A-Za-z0-9_-]{1,80}")


def _back(public_id: str, next_path: str, anchor: str) -> str:
    """Back to the assessment's page the button was on (only one of its own pages; anything else
    goes to its overview), at the field or section confirmed."""
    own = url_for("assessments.overview", public_id=public_id)
    path = next_path if isinstance(next_path, str) and next_path.startswith(own) and "//" not in next_path else own
    path = path.split("#")[0].split("?")[0]
    return f"{path}#{anchor}" if ANCHOR.fullmatch(anchor or "") else path


@bp.post("/vurderinger/<public_id>/bekraeft")
def confirm(public_id: str):
    """Confirm a field taken over, or every field of one section, as the board's own."""
    assessment = load_assessment(public_id)
    _require_editor()
    form = ConfirmForm()
    field_key = (form.field.data or "").strip()
    section = (form.section.data or "").strip()
    anchor = (field_key.rsplit(":", 1)[-1] if field_key else "bekraeft-" + section.replace(":", "-"))[:80]
    if not form.validate_on_submit():
        errors = [str(e) for name in ("field", "section", "next") for e in getattr(form, name).errors]
        flash(errors[0] if errors else _("Handlingen kunne ikke udføres. Prøv igen."), "error")
        return redirect(_back(public_id, form.next.data or "", anchor))
    try:
        keys = services.confirm(assessment, user=current_user, field_key=field_key, section=section)
    except services.ReuseError as error:
        flash(refusal(error), "error")
        return redirect(_back(public_id, form.next.data or "", anchor))
    if keys:
        flash(
            ngettext("%(num)s felt er bekræftet.", "%(num)s felter er bekræftet.", len(keys)),
            "success",
        )
    else:
        flash(_("Feltet var allerede bekræftet."), "info")
    return redirect(_back(public_id, form.next.data or "", anchor))


# --- For other packages' templates ---------------------------------------------------------------


@bp.app_template_global("reuse_marks")
def reuse_marks(assessment):
    """The draft's marks (services.Marks) or None; computed once per request."""
    return services.request_marks(assessment)


def _may_confirm(assessment) -> bool:
    return assessment.is_editable and current_user.is_authenticated and current_user.can_edit


@bp.app_template_global("reuse_hint")
def reuse_hint(assessment, key: tuple, form_field):
    """A form field's hint with the mark added while the field still holds the source's value,
    and whether the board has confirmed it, with a "Bekræft" button while it has not; the field's
    own hint otherwise (forms.html `field(..., hint=...)`). The button belongs to the page's
    confirm form (reuse/_draft.html), so it never sends the form it stands in."""
    marks = services.request_marks(assessment)
    description = form_field.description or ""
    if marks is None or not marks.has(*key):
        return description or None
    confirmation = marks.confirmation(*key)
    if confirmation is not None:
        mark = Markup('<span class="reused-mark reused-confirmed">{}</span>').format(
            _(
                "%(mark)s. Bekræftet af %(name)s den %(date)s.",
                mark=marks.text,
                name=confirmation.confirmed_by.name,
                date=local_date(confirmation.confirmed_at),
            )
        )
    else:
        mark = Markup('<span class="reused-mark">{}. {}</span>').format(marks.text, _("Ikke bekræftet endnu."))
        if _may_confirm(assessment):
            mark += Markup(
                '<button type="submit" form="reuse-confirm" name="field" value="{}" '
                'class="button button-secondary reuse-confirm">{}<span class="sr-only"> {}</span></button>'
            ).format(services.key_text(services.normal_key(key)), _("Bekræft"), f"„{form_field.label.text}“")
    return Markup("{} {}").format(description, mark) if description else mark


@bp.app_template_global("reuse_section_left")
def reuse_section_left(assessment, section: str) -> int:
    """How many fields of a section are still to confirm, where this person may confirm them
    (0 otherwise): reuse/_confirm.html offers "Bekræft alle i dette afsnit" when it is above 0."""
    marks = services.request_marks(assessment)
    if marks is None or not _may_confirm(assessment):
        return 0
    return sum(services.section_of(key) == section for key in marks.unconfirmed)


@bp.app_template_global("reuse_unconfirmed")
def reuse_unconfirmed(assessment) -> dict:
    """Fields still to confirm per section of the overview's progress list ({} when none)."""
    return services.unconfirmed_by_progress(assessment)


@bp.app_template_global("reuse_built_on")
def reuse_built_on(publication, chain):
    return services.built_on(publication, chain)
