"""The board's page for the fundamental-rights impact assessment, and the notification summary
(JSON and PDF) for the market surveillance authority. Under /intern/, scoped to the person's
municipality: another municipality's assessment is not found (404)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts.access import editors_post
from app.ai import checks, forms, services
from app.ai.record import ai_section
from app.assessments import hooks
from app.assessments.access import load_assessment
from app.assessments.saving import prepare, save_versioned
from app.content.loader import get_content
from app.core.downloads import content_disposition
from app.core.wiring import provided

bp = Blueprint("ai", __name__, url_prefix="/intern", template_folder="templates")


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


@bp.route("/vurderinger/<public_id>/ai-konsekvensanalyse", methods=["GET", "POST"])
@editors_post
def fria(public_id: str):
    assessment = load_assessment(public_id)
    form = forms.FriaForm(obj=assessment if _is_get() else None)
    names = form.TABLE.names

    def render(**extra):
        return render_template(
            "ai/fria.html",
            assessment=assessment,
            form=form,
            screening=ai_section(assessment),
            missing=checks.missing_fields(assessment) if checks.fria_required(assessment) else [],
            **extra,
        )

    if _is_get():
        prepare(form, assessment, names)
        prefilled = not (assessment.fria_dpia or "").strip() and hooks.dpia_reference(assessment)
        if prefilled:  # the DPIA already on the documents page; saved only when the board saves
            form.fria_dpia.data = prefilled
        return render(dpia_prefilled=bool(prefilled))

    def save():
        services.save_fria(
            assessment,
            form.changes(),
            expected_version=form.expected_version(),
            base=form.base_hashes(),
            user=current_user,
        )

    return save_versioned(form, assessment, names, save, render=render, done_url=url_for(".fria", public_id=public_id))


def _is_get() -> bool:
    return request.method == "GET"


def _summary(public_id: str) -> dict:
    assessment = load_assessment(public_id)
    return services.notification_summary(assessment, get_content()) or abort(404)


def _filename(summary: dict, extension: str) -> str:
    return f"ai-anmeldelse-{summary['assessment']['public_id']}-v{summary['assessment']['version']}.{extension}"


@bp.get("/vurderinger/<public_id>/ai-anmeldelse.json")
def notification_json(public_id: str):
    summary = _summary(public_id)
    body = json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": content_disposition(_filename(summary, "json"))},
    )


@bp.get("/vurderinger/<public_id>/ai-anmeldelse.pdf")
def notification_pdf_view(public_id: str):
    summary = _summary(public_id)
    return Response(
        provided("pdf.fria_notification")(summary),  # app/pdf/fria.py
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(_filename(summary, "pdf"))},
    )
