"""Open data: the JSON API, its OpenAPI description, CSV, the Atom feed and the sitemap."""

import csv
import hashlib
import io

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    make_response,
    redirect,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import force_locale
from sqlalchemy.orm import joinedload, load_only, selectinload
from werkzeug.wsgi import wrap_file

from app.addenda import services as addenda
from app.api import openapi as openapi_document
from app.api import serialise, spreadsheet
from app.assessments.models import DECISIONS
from app.content.loader import get_content
from app.core.downloads import content_disposition
from app.core.params import bounded_int
from app.core.urls import public_url
from app.i18n import danish
from app.public import compare, services
from app.public.cache import REVALIDATE, cached_for_anonymous, generation_etag
from app.public.models import Publication
from app.public.views import labels as content_labels
from app.public.views import page_number
from app.signoff.models import SignedRecord

bp = Blueprint("api", __name__)

PER_PAGE_MAX = 100
STATUS_ALL = "alle"
FEED_SIZE = 50
# the public id of a version's replacement, for the replaced rows only, in one more query a page
REPLACED_BY = selectinload(Publication.replaced_by).load_only(Publication.public_id, Publication.version_number)
WITH_HASHES = joinedload(Publication.signed_record).load_only(
    SignedRecord.verification_code, SignedRecord.pdf_sha256, SignedRecord.json_sha256
)
# The API list reads only what an item shows (not the summary, the search text or the withdrawal).
ITEM_COLUMNS = load_only(
    Publication.public_id,
    Publication.replaced_by_id,
    Publication.title,
    Publication.organisation_name,
    Publication.organisation_slug,
    Publication.technology_name,
    Publication.technology_category,
    Publication.sector_area,
    Publication.decision,
    Publication.version_number,
    Publication.signed_at,
    Publication.published_at,
    Publication.withdrawn_at,
)


def _per_page() -> int:
    return bounded_int(request.args.get("per_side"), default=services.PER_PAGE, minimum=1, maximum=PER_PAGE_MAX)


def _danish_labels() -> dict:
    """Open data stays Danish whatever the reader's interface language: plain strings, never lazy ones."""
    return {group: {key: danish(label) for key, label in labels.items()} for group, labels in content_labels().items()}


def _filters() -> services.Filters:
    """The list's filters; open data also takes `status=alle`, which includes withdrawn records."""
    filters = services.Filters.from_args(request.args, decisions=DECISIONS)
    if request.args.get("status") == STATUS_ALL:
        filters.status = STATUS_ALL
    return filters


@bp.get("/api/v1/vurderinger")
@cached_for_anonymous(
    params=("q", "kommune", "teknologi", "omraade", "aar", "beslutning", "status", "side", "per_side")
)
def assessments():
    filters, per_page = _filters(), _per_page()
    result = services.search(filters, page_number(), per_page, options=[ITEM_COLUMNS, WITH_HASHES, REPLACED_BY])
    query = {**filters.active(), "per_side": per_page}

    def page_link(number):
        return public_url("api.assessments", side=number, **query)

    return jsonify(
        {
            "items": [serialise.item(p) for p in result.items],
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "per_page": per_page,
            "links": {
                "self": page_link(result.page),
                "next": page_link(result.page + 1) if result.page < result.pages else None,
                "prev": page_link(result.page - 1) if result.page > 1 else None,
            },
        }
    )


@bp.get("/api/v1/vurderinger/<public_id>")
def assessment(public_id: str):
    publication = services.get(public_id)
    if publication is None:
        return jsonify({"error": "Vurderingen findes ikke."}), 404
    etag = f"{publication.signed_record.json_sha256}-{'w' if publication.is_withdrawn else 'p'}"
    etag += f"-{publication.replaced_by_id or 0}-{addenda.etag_part(publication.signed_record)}"
    if request.if_none_match.contains_weak(etag):  # RFC 9110 13.1.2: weak comparison
        response = make_response("", 304)
    else:
        response = jsonify(serialise.detail(publication, services.versions(publication)))
    response.set_etag(etag)
    response.last_modified = serialise.last_changed(publication)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/api/v1/vurderinger/<public_id>/aendringer")
@cached_for_anonymous(params=None)  # the comparison redirects any other spelling itself
def changes(public_id: str):
    """The public page's version comparison as data, in Danish whatever the reader's language."""
    publication = services.get(public_id)
    if publication is None:
        return jsonify({"error": "Vurderingen findes ikke."}), 404
    with force_locale("da"):
        try:
            chosen = compare.choose(publication, request.args)
        except compare.Refused as refused:
            return jsonify({"error": str(refused.message)}), refused.status
        if not chosen.canonical:
            fra, til = chosen.older.version_number, chosen.newer.version_number
            return redirect(url_for("api.changes", public_id=public_id, fra=fra, til=til), chosen.redirect_status)
        return jsonify(compare.document(chosen))


@bp.get("/api/v1/openapi.json")
def openapi():
    return jsonify(openapi_document.document())


CSV_CHUNK = 64 * 1024  # characters sent at a time: many rows a chunk, never the whole file


@bp.get("/vurderinger.csv")
def assessments_csv():
    """Every published assessment (filters as on the list) as CSV, newest first. Streamed: the
    header goes out at once and rows follow in chunks read in batches, so neither the first byte
    nor the worker's memory depends on the number of rows. Unchanged since the browser's copy
    (same publication generation, deploy and query): 304."""
    etag = generation_etag("csv")
    if request.if_none_match.contains_weak(etag):  # RFC 9110 13.1.2: weak comparison
        response = make_response("", 304)
    else:
        labels, filters = _danish_labels(), _filters()

        def chunks():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")  # a BOM, so spreadsheet programs read æ, ø and å right
            writer.writerow(serialise.CSV_COLUMNS)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            for row in services.export_rows(filters):
                writer.writerow(serialise.csv_row(row, labels))
                if buffer.tell() >= CSV_CHUNK:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

        response = Response(
            stream_with_context(chunks()),
            mimetype="text/csv",
            headers={"Content-Disposition": content_disposition("etikdialog-vurderinger.csv")},
        )
    response.set_etag(etag)
    response.headers["Cache-Control"] = REVALIDATE
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/vurderinger.xlsx")
def assessments_xlsx():
    """The CSV's rows as a workbook for Danish Excel (app/api/spreadsheet.py). Written to a
    temporary file row by row (openpyxl's write-only mode), then sent from it: memory stays flat at
    any size; the sheet stops at spreadsheet.MAX_ROWS rows, which bounds the time. 304 as the CSV."""
    etag = generation_etag("xlsx")
    if request.if_none_match.contains_weak(etag):  # RFC 9110 13.1.2: weak comparison
        response = make_response("", 304)
    else:
        workbook = spreadsheet.write(services.export_rows(_filters()), _danish_labels())
        response = Response(
            wrap_file(request.environ, workbook),
            mimetype=XLSX_TYPE,
            direct_passthrough=True,
            headers={"Content-Disposition": content_disposition("etikdialog-vurderinger.xlsx")},
        )
    response.set_etag(etag)
    response.headers["Cache-Control"] = REVALIDATE
    return response


@bp.get("/feed.atom")
@cached_for_anonymous
def feed():
    publications, withdrawals = services.latest(FEED_SIZE), services.latest_withdrawals(FEED_SIZE)
    return Response(
        serialise.atom_feed(publications, _danish_labels(), withdrawals=withdrawals), mimetype="application/atom+xml"
    )


def _sitemap_pages() -> list[str]:
    static = [
        "public.index",
        "public.assessments",
        "public.verify",
        "content.index",
        "content.technologies",
        "public.accessibility",
    ]
    urls = [public_url(endpoint) for endpoint in static]
    return urls + [public_url("public.technology", category=t.id) for t in get_content().technologies]


def _sitemap_response(name: str, build) -> Response:
    """A sitemap document built once per publication generation (kept in the generation cache,
    whoever asks, whatever Host they send: its links are on PUBLIC_BASE_URL), with an ETag on the
    same key so an unchanged file answers 304."""
    key = f"{name}|{public_url('public.index')}|{services.sitemap_urls_per_file()}"
    etag = hashlib.sha256(f"{key}|{services.generation()}".encode()).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):  # RFC 9110 13.1.2: weak comparison
        response = make_response("", 304)
    else:
        response = Response(services.facets_cache().get(key, build), mimetype="application/xml")
    response.set_etag(etag)
    response.headers["Cache-Control"] = REVALIDATE
    return response


@bp.get("/sitemap.xml")
def sitemap():
    """The sitemap index (the protocol's limit is 50,000 URLs a file); crawlers follow it to the files."""

    def build() -> bytes:
        count = services.sitemap_file_count(len(_sitemap_pages()))
        return serialise.sitemap([public_url("api.sitemap_file", number=n) for n in range(1, count + 1)], index=True)

    return _sitemap_response("index", build)


@bp.get("/sitemap-<int:number>.xml")
def sitemap_file(number: int):
    pages = _sitemap_pages()
    if not 1 <= number <= services.sitemap_file_count(len(pages)):
        abort(404)

    def build() -> bytes:
        size = services.sitemap_urls_per_file()
        prefix = public_url("public.assessment", public_id="x")[:-1]  # one prefix, not a url_for a row
        urls = pages[(number - 1) * size : number * size]
        urls += [prefix + public_id for public_id in services.sitemap_public_ids(number, len(pages))]
        return serialise.sitemap(urls)

    return _sitemap_response(f"file-{number}", build)
