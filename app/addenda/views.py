"""The board's addenda page (/intern/vurderinger/<id>/tillaeg) and the public chain file."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.addenda import services
from app.addenda.forms import AddendumForm
from app.assessments.access import load_assessment
from app.assessments.services import require_editor
from app.core.downloads import content_disposition
from app.core.transactions import discard
from app.public import services as public_services
from app.signoff import integrity

bp = Blueprint("addenda", __name__, url_prefix="/intern", template_folder="templates")
public_bp = Blueprint("addenda_public", __name__, template_folder="templates")


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


def _page(assessment, form=None, kind=None, status=200):
    frozen = assessment.signed_record
    record = integrity.signed_content(frozen) if frozen is not None else None
    return render_template(
        "addenda/board.html",
        assessment=assessment,
        frozen=frozen,
        chain=services.public_chain(frozen, record) if frozen is not None else services.PublicChain(),
        refusal=services.refusal(services.publication_of(frozen)),
        conditions=services.conditions(record or {}),
        kinds=services.KINDS,
        form=form,
        kind=kind,
    ), status


@bp.get("/vurderinger/<public_id>/tillaeg")
def index(public_id: str):
    return _page(load_assessment(public_id))


@bp.route("/vurderinger/<public_id>/tillaeg/ny/<art>", methods=["GET", "POST"])
def add(public_id: str, art: str):
    assessment = load_assessment(public_id)
    kind = art  # the URL's word (Danish, like the others); the service's name for it
    if kind not in services.KINDS:
        abort(404)
    require_editor(current_user)  # members read the chain; only the secretariat and administrators add
    frozen = assessment.signed_record
    record = integrity.signed_content(frozen) if frozen is not None else None
    form = AddendumForm().for_kind(kind, services.conditions(record or {}))
    if not form.is_submitted():
        form.chain_length.data = str(services.length(frozen)) if frozen is not None else "0"
        if kind == "beslutning" and record:
            form.body.data = services.proposal_text(record, "decision_body").rstrip(".")
        return _page(assessment, form, kind)
    if not form.validate():
        return _page(assessment, form, kind, 422)
    draft = services.Draft(
        kind=kind,
        event_date=form.event_date.data,
        outcome=form.outcome.data,
        text=form.text.data,
        body=form.body.data,
        condition=form.condition.data,
        reference=form.reference.data,
        next_review_date=form.next_review_date.data,
    )
    try:
        if frozen is None:
            raise services.AddendumError(services.refusal(None))
        services.add(frozen, draft, user=current_user, expected_length=form.expected_length())
    except services.AddendumError as error:
        discard()
        if isinstance(error, services.ChainMoved):
            form.chain_length.data = str(services.length(frozen))  # sent again, it goes on the chain as it is now
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = [str(error)]
        else:
            form.form_errors.append(str(error))
        return _page(assessment, form, kind, 422)
    flash(_("Tillægget er underskrevet, registreret i loggen og vist på den offentlige side."), "success")
    return redirect(url_for(".index", public_id=public_id), code=303)


@public_bp.get("/vurderinger/<public_id>/tillaeg.json")
def chain_file(public_id: str):
    """The record's addenda as served (`etikdialog-verify --addenda`). Grows with the chain."""
    publication = public_services.get(public_id) or abort(404)
    frozen = publication.signed_record
    response = make_response(
        {"public_id": public_id, "record_sha256": frozen.json_sha256, "addenda": services.served_chain(frozen)}
    )
    response.headers["Content-Disposition"] = content_disposition(f"tillaeg-{public_id}.json")
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
