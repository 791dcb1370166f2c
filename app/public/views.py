"""The citizens' portal: published assessments, search, verification, technology pages."""

from datetime import UTC

from etikdialog_verify import bundle
from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext

from app.addenda import services as addenda
from app.assessments.declaration import declaration
from app.assessments.models import DECISIONS
from app.content.loader import get_content
from app.core.downloads import content_disposition
from app.core.formatting import local_datetime
from app.core.params import bounded_int
from app.public import compare, fragments, services
from app.public import verification as verifier_portal
from app.public.cache import cached_for_anonymous
from app.public.forms import VerifyUploadForm
from app.signoff import archive as signoff_archive
from app.signoff.canonical import sha256_hex
from app.signoff.models import SignedRecord

bp = Blueprint("public", __name__, template_folder="templates")

# Published records never change, so browsers and proxies may keep them for a year.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


def page_number() -> int:
    """The list page asked for (`side`), bounded; the portal's lists and the API read it alike."""
    return bounded_int(request.args.get("side"), default=1, minimum=1, maximum=999_999)


def labels() -> dict:
    """Titles for the ids a publication carries (technology, area, decision), from the content."""
    content = get_content()
    return {
        "technologies": {t.id: t.label for t in content.technologies},  # in the reader's language
        "areas": {a.id: a.label for a in content.sector_areas},
        "decisions": DECISIONS,
    }


@bp.get("/")
@cached_for_anonymous
def index():
    return render_template("public/index.html", latest=services.latest(in_force=True), labels=labels())


@bp.get("/vurderinger")
@cached_for_anonymous(params=("q", "kommune", "teknologi", "omraade", "aar", "beslutning", "side", "efter", "foer"))
def assessments():
    filters = services.Filters.from_args(request.args, decisions=DECISIONS)
    result = services.search(
        filters,
        page_number(),
        services.PER_PAGE,
        count_limit=services.COUNT_LIMIT,
        after=services.Cursor.parse(request.args.get("efter")),
        before=services.Cursor.parse(request.args.get("foer")),
    )
    return render_template(
        "public/list.html",
        result=result,
        labels=labels(),
        municipalities=services.municipalities(),
        years=services.years(),
        content=get_content(),
    )


@bp.get("/vurderinger/<public_id>")
@cached_for_anonymous
def assessment(public_id: str):
    publication = services.get(public_id, detail=True) or abort(404)
    signed = services.signed_page(publication)
    after = addenda.public_chain(  # the formal decision, the review and the signed addenda
        publication.signed_record, signed.record, in_force=addenda.in_force(publication)
    )
    return render_template(
        "public/assessment.html",
        publication=publication,
        signed=signed,
        record=signed.record,
        frozen=publication.signed_record,
        pdf_tagged=services.pdf_is_tagged(publication.signed_record),
        declaration=fragments.Lazy(  # made only when the signed part is rendered, not served stored
            lambda: addenda.with_decision(declaration(signed.record), after.decision) if signed.record else []
        ),
        addenda=after,
        versions=services.versions(publication),
        labels=labels(),
    )


@bp.get("/vurderinger/<public_id>/aendringer")
@cached_for_anonymous(params=None)  # the comparison redirects any other spelling itself
def changes(public_id: str):
    """What changed between two published versions (`fra`, `til`), read from their signed records."""
    publication = services.get(public_id) or abort(404)
    try:
        chosen = compare.choose(publication, request.args)
    except compare.Refused as refused:
        context = {"publication": publication, "versions": compare.comparable_versions(publication)}
        return render_template("public/compare.html", refused=refused, **context), refused.status
    if not chosen.canonical:
        fra, til = chosen.older.version_number, chosen.newer.version_number
        return redirect(url_for("public.changes", public_id=public_id, fra=fra, til=til), chosen.redirect_status)
    return render_template("public/compare.html", publication=publication, chosen=chosen, versions=chosen.versions)


@bp.get("/vurderinger/<public_id>.pdf")
def assessment_pdf(public_id: str):
    publication = services.get(public_id) or abort(404)
    frozen: SignedRecord = publication.signed_record
    etag = frozen.pdf_sha256
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = make_response(bytes(frozen.pdf))
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = content_disposition(f"etikdialog-{public_id}.pdf", inline=True)
    response.set_etag(etag)
    response.last_modified = frozen.signed_at.replace(tzinfo=UTC)  # signed once, never changed
    response.headers["Cache-Control"] = IMMUTABLE_CACHE
    return response


@bp.get("/vurderinger/<public_id>/arkiv.pdf")
def assessment_archive_pdf(public_id: str):
    """The newest long-term version of the signed PDF: the signed file with the validation data
    and document timestamps `flask signing extend` appended (PAdES B-LTA), else the signed file.
    It begins with the signed bytes, so etikdialog-verify finds the logged hash in it."""
    frozen: SignedRecord = (services.get(public_id) or abort(404)).signed_record
    pdf = signoff_archive.newest_pdf(frozen)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(f"etikdialog-{public_id}-arkiv.pdf", inline=True)
    response.set_etag(sha256_hex(pdf))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response.make_conditional(request)


@bp.get("/vurderinger/<public_id>.json")
def assessment_record(public_id: str):
    """The canonical record byte for byte, as signed: its SHA-256 is the record's identity, and
    `etikdialog-verify --record` checks the PDF against it."""
    frozen: SignedRecord = (services.get(public_id) or abort(404)).signed_record
    response = make_response(frozen.canonical_json.encode("utf-8"))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(f"etikdialog-{public_id}.json")
    response.set_etag(frozen.json_sha256)
    response.last_modified = frozen.signed_at.replace(tzinfo=UTC)
    response.headers["Cache-Control"] = IMMUTABLE_CACHE
    return response.make_conditional(request)


@bp.get("/vurderinger/<public_id>/logbevis.json")
def assessment_log_proof(public_id: str):
    """The record's log entries with their inclusion proofs under the latest checkpoint, for
    `etikdialog-verify --proof` (app/verifier/bundle.py). Changes as the log grows."""
    services.get(public_id) or abort(404)
    since = bounded_int(request.args.get("fra"), default=None, minimum=1, maximum=2**40)
    proof = verifier_portal.proof_bundle(public_id, since) or abort(404)
    response = make_response(bundle.dumps(proof))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(f"logbevis-{public_id}.json")
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.route("/verificer", methods=["GET", "POST"])
def verify():
    form = VerifyUploadForm()
    code = (request.args.get("kode") or "")[:40]
    # an empty code sent with the form: say what is missing instead of showing the page again
    code_missing = "kode" in request.args and not code.strip()
    result = None
    if code.strip():
        result = services.verify_code(code)
    elif form.validate_on_submit():
        result = services.verify_pdf(form.document.data.read())
    status = 422 if form.errors or code_missing else 200
    log_key = verifier_portal.log_key() if result is not None and result.found else None
    return render_template(
        "public/verify.html",
        form=form,
        code=code,
        code_missing=code_missing,
        result=result,
        log_key=log_key,
        translate=gettext,  # a finding's own words (the kind of a log entry)
        format_time=local_datetime,
        finding_mark=verifier_portal.mark,
    ), status


@bp.get("/teknologier/<category>")
@cached_for_anonymous
def technology(category: str):
    technology = get_content().technology(category) or abort(404)
    return render_template(
        "public/technology.html",
        technology=technology,
        result=services.search(
            services.Filters(teknologi=category), 1, services.PER_PAGE, count_limit=services.COUNT_LIMIT
        ),
        labels=labels(),
    )


@bp.get("/tilgaengelighed")
def accessibility():
    return render_template("public/accessibility.html")
