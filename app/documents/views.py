"""The board's page of related documents (/intern/…), and the public download of signed files."""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.assessments.access import load_assessment, refusal, refused
from app.assessments.services import AssessmentError
from app.core.downloads import content_disposition
from app.core.transactions import discard
from app.core.wiring import provided
from app.documents import services
from app.documents.forms import DocumentForm
from app.documents.kinds import KINDS

bp = Blueprint("documents", __name__, url_prefix="/intern", template_folder="templates")
public_bp = Blueprint("public_documents", __name__)

IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
SHA256_LENGTH = 64


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


def _load(public_id: str, kind: str | None = None):
    assessment = load_assessment(public_id)
    if kind is not None and kind not in KINDS:
        abort(404)
    return assessment


def _pdf_response(data: bytes, name: str, etag: str, cache: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = cache
    response.set_etag(etag)
    return response


@bp.get("/vurderinger/<public_id>/dokumenter")
def index(public_id: str):
    assessment = _load(public_id)
    return render_template(
        "documents/index.html", assessment=assessment, kinds=KINDS, rows=services.documents_of(assessment)
    )


@bp.route("/vurderinger/<public_id>/dokumenter/<kind>", methods=["GET", "POST"])
def edit(public_id: str, kind: str):
    assessment = _load(public_id, kind)
    row = services.documents_of(assessment).get(kind)
    form = DocumentForm(obj=row)
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                services.save_document(
                    assessment,
                    kind,
                    form.values(),
                    user=current_user,
                    upload=form.upload,
                    upload_name=form.upload_name,
                    remove_file=form.remove_file.data,
                )
            except services.DocumentError as error:
                discard()
                target = getattr(form, error.field, None) if error.field else None
                (target or form.status).errors = [str(error)]
                status = 422
            except AssessmentError as error:
                form.form_errors.append(refusal(error))
                status = 422
            else:
                flash(_("Dokumentet er gemt."), "success")
                return redirect(url_for(".index", public_id=public_id), code=303)
        else:
            status = 422
    return render_template(
        "documents/edit.html", assessment=assessment, kind=kind, spec=KINDS[kind], form=form, row=row
    ), status


@bp.post("/vurderinger/<public_id>/dokumenter/<kind>/fjern")
def remove(public_id: str, kind: str):
    assessment = _load(public_id, kind)
    back = url_for(".index", public_id=public_id)
    try:
        services.remove_document(assessment, kind, user=current_user)
    except AssessmentError as error:
        return refused(error, back)
    flash(_("Dokumentet er fjernet."), "success")
    return redirect(back, code=303)


@bp.get("/vurderinger/<public_id>/dokumenter/<kind>/fil")
def file(public_id: str, kind: str):
    assessment = _load(public_id, kind)
    row = services.documents_of(assessment).get(kind)
    if row is None or row.file is None:
        abort(404)
    return _pdf_response(bytes(row.file.data), row.file_name, row.file.sha256, "private, no-cache")


@public_bp.get("/vurderinger/<public_id>/dokumenter/<sha256>.pdf")
def signed_file(public_id: str, sha256: str):
    """A file the published, signed record names: served only by its hash, byte for byte."""
    if len(sha256) != SHA256_LENGTH:
        abort(404)
    publication = provided("public.publication")(public_id) or abort(404)  # app/public/services.py
    page = provided("public.signed_page")(publication)
    meta = services.signed_files(page.record).get(sha256.lower()) or abort(404)
    stored = services.file_by_hash(sha256.lower()) or abort(404)
    data = bytes(stored.data)
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        abort(404)
    return _pdf_response(data, services.safe_file_name(meta.get("name", "")), stored.sha256, IMMUTABLE_CACHE)
