"""Publications as open data: JSON items, the detail document, CSV rows and the Atom feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import g

from app.addenda import services as addenda
from app.ai.record import ai_of
from app.assessments.proposal import PROPOSAL_FIELDS
from app.core.text import xml_document
from app.core.urls import public_url
from app.public.models import Publication
from app.translog.services import indexes_of as log_indexes

# The open-data CSV names its columns as the API names its keys (machine names, English, the same
# for every reader); README "Open data" and the OpenAPI document's description list them. After the
# publication's columns, one column per proposal field, named as in the record's "proposal" items
# (README "The signed record"); a record signed under an older schema leaves the fields it did not
# have empty. People who want a spreadsheet take /vurderinger.xlsx (Danish headers, typed cells).
CSV_PUBLICATION_COLUMNS = {
    "public_id": "vurderingens offentlige id (som i API'et og adressen)",
    "title": "titel",
    "municipality": "kommunens navn",
    "technology": "teknologiens navn",
    "category": "teknologikategori (dansk betegnelse)",
    "area": "velfærdsområde (dansk betegnelse)",
    "decision": "beslutning (dansk betegnelse, fx Anbefales med betingelser)",
    "version": "versionsnummer, fra 1",
    "status": "published (gældende), replaced (erstattet af en nyere version) eller withdrawn (trukket tilbage)",
    "signed_at": "tidspunkt for sidste underskrift (ISO 8601, UTC)",
    "published_at": "tidspunkt for offentliggørelse (ISO 8601, UTC)",
    "verification_code": "verifikationskoden (kan tjekkes på /verificer)",
    "pdf_sha256": "SHA-256 af den underskrevne PDF",
    "url": "vurderingens offentlige side",
}
CSV_COLUMNS = [*CSV_PUBLICATION_COLUMNS, *(f.name for f in PROPOSAL_FIELDS)]
CSV_FIXED = CSV_COLUMNS.index("url") + 1  # the publication's columns before the proposal's
# Numbers and dates as stored (780000, 2026-03-02), so a spreadsheet can count with them; every other
# field as a person reads it (a choice's label), like the label columns before them.
CSV_RAW_KINDS = frozenset({"integer", "date"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


LINK_ENDPOINTS = {"html": "public.assessment", "pdf": "public.assessment_pdf", "json": "api.assessment"}
_ID = "PUBLICID"  # stands in for the id while the address is built once; public ids are URL-safe as they are


def _link_templates() -> dict[str, tuple[str, str]]:
    """Each link's address before and after the id, built once per request (or CLI context):
    a list or export of many rows joins strings instead of calling url_for three times a row."""
    if "etikdialog_link_templates" not in g:
        g.etikdialog_link_templates = {
            name: public_url(endpoint, public_id=_ID).rpartition(_ID)[::2] for name, endpoint in LINK_ENDPOINTS.items()
        }
    return g.etikdialog_link_templates


def links(p) -> dict:
    """The publication's addresses; `p` is a Publication or any row with a public_id."""
    return {name: before + p.public_id + after for name, (before, after) in _link_templates().items()}


def last_changed(p: Publication) -> datetime:
    """When the item's answer last changed (its Last-Modified, RFC 9110 §8.8.2): published, then
    withdrawn or replaced by a newer version; aware UTC, as Werkzeug writes it."""
    moments = [p.published_at, p.withdrawn_at, p.replaced_by.published_at if p.replaced_by_id else None]
    return max(m for m in moments if m is not None).replace(tzinfo=UTC)


def row_status(row) -> str:
    """`withdrawn`, `replaced` (a newer published version took its place) or `published` (in force);
    `row` is a Publication or an export row with withdrawn_at and replaced_by_id."""
    if row.withdrawn_at is not None:
        return "withdrawn"
    return "replaced" if row.replaced_by_id else "published"


def item(p: Publication) -> dict:
    frozen = p.signed_record
    return {
        "public_id": p.public_id,
        # in force, replaced by a newer published version, or withdrawn (listed with ?status=alle)
        "status": row_status(p),
        "replaced_by": p.replaced_by.public_id if p.replaced_by_id else None,
        "title": p.title,
        "municipality": {"name": p.organisation_name, "slug": p.organisation_slug},
        "technology": {"name": p.technology_name, "category": p.technology_category},
        "sector_area": p.sector_area,
        "decision": p.decision,
        "version": p.version_number,
        "signed_at": iso(p.signed_at),
        "published_at": iso(p.published_at),
        "verification_code": frozen.verification_code,
        "pdf_sha256": frozen.pdf_sha256,
        "json_sha256": frozen.json_sha256,
        "links": links(p),
    }


def detail(p: Publication, versions: list[Publication]) -> dict:
    frozen = p.signed_record
    record = json.loads(frozen.canonical_json)
    return {
        "public_id": p.public_id,
        "status": "withdrawn" if p.is_withdrawn else "published",
        "withdrawal": {"reason": p.withdrawal_reason, "withdrawn_at": iso(p.withdrawn_at)} if p.is_withdrawn else None,
        "record": record,
        "ai": ai_of(record),  # the AI screening and Article 27 assessment as signed (null before schema 3)
        "json_sha256": frozen.json_sha256,
        "pdf_sha256": frozen.pdf_sha256,
        "verification_code": frozen.verification_code,
        "signed_at": iso(p.signed_at),
        "published_at": iso(p.published_at),
        "versions": [
            {
                "version": v.version_number,
                "public_id": v.public_id,
                "url": public_url("api.assessment", public_id=v.public_id),
            }
            for v in versions
        ],
        "replaced_by": public_url("api.assessment", public_id=p.replaced_by.public_id) if p.replaced_by else None,
        "log_indexes": log_indexes(p.public_id),  # its entries in the public transparency log
        # what came after the signature: the signed addenda, the formal decision, the review (issue 28)
        **addenda.api_document(p, record),
        "links": links(p),
    }


def safe_cell(value) -> str:
    """Spreadsheets run cells that start like a formula; a leading apostrophe keeps them text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def proposal_cells(canonical_json: str) -> list:
    """The proposal's CSV cells, in PROPOSAL_FIELDS' order, read from the signed record itself."""
    items = {item.get("field"): item for item in json.loads(canonical_json).get("proposal", [])}
    cells = []
    for spec in PROPOSAL_FIELDS:
        item = items.get(spec.name) or {}
        cells.append(item.get("value") if spec.kind in CSV_RAW_KINDS else item.get("text"))
    return cells


def csv_row(row, labels: dict) -> list[str]:
    """One CSV line from a row of `services.export_rows`: the publication's columns, the frozen
    record's verification_code and pdf_sha256, then the proposal from the record's canonical JSON."""
    values = [
        row.public_id,
        row.title,
        row.organisation_name,
        row.technology_name,
        labels["technologies"].get(row.technology_category, row.technology_category),
        labels["areas"].get(row.sector_area, row.sector_area),
        labels["decisions"].get(row.decision, row.decision),
        row.version_number,
        row_status(row),
        iso(row.signed_at),
        iso(row.published_at),
        row.verification_code,
        row.pdf_sha256,
        links(row)["html"],
        *proposal_cells(row.canonical_json),
    ]
    return [safe_cell(v) for v in values]


def atom_feed(publications: list[Publication], labels: dict, *, withdrawals: list[Publication] = ()) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}title").text = "Etikdialog: nye vurderinger af velfærdsteknologi"
    ET.SubElement(feed, f"{{{ns}}}id").text = public_url("public.index")
    ET.SubElement(feed, f"{{{ns}}}link", href=public_url("api.feed"), rel="self")
    ET.SubElement(feed, f"{{{ns}}}link", href=public_url("public.assessments"))
    moments = [p.published_at for p in publications[:1]] + [w.withdrawn_at for w in withdrawals[:1]]
    ET.SubElement(feed, f"{{{ns}}}updated").text = iso(max(moments, default=datetime(2026, 1, 1)))
    for p in publications:
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}title").text = f"{p.organisation_name}: {p.title}"
        ET.SubElement(entry, f"{{{ns}}}id").text = links(p)["html"]
        ET.SubElement(entry, f"{{{ns}}}link", href=links(p)["html"])
        ET.SubElement(entry, f"{{{ns}}}updated").text = iso(p.published_at)
        author = ET.SubElement(entry, f"{{{ns}}}author")
        ET.SubElement(author, f"{{{ns}}}name").text = p.organisation_name
        decision = labels["decisions"].get(p.decision, p.decision)
        ET.SubElement(entry, f"{{{ns}}}summary").text = f"{decision}. {p.summary}"
    for p in withdrawals:  # its own entry, so a harvester that copied the record hears of it
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}title").text = f"Trukket tilbage: {p.organisation_name}: {p.title}"
        ET.SubElement(entry, f"{{{ns}}}id").text = links(p)["html"] + "#tilbagetrukket"
        ET.SubElement(entry, f"{{{ns}}}link", href=links(p)["html"])
        ET.SubElement(entry, f"{{{ns}}}updated").text = iso(p.withdrawn_at)
        ET.SubElement(entry, f"{{{ns}}}category", term="withdrawn", label="Trukket tilbage")
        author = ET.SubElement(entry, f"{{{ns}}}author")
        ET.SubElement(author, f"{{{ns}}}name").text = p.organisation_name
        ET.SubElement(entry, f"{{{ns}}}summary").text = f"Trukket tilbage. Begrundelse: {p.withdrawal_reason}"
    return xml_document(feed)


def sitemap(urls: list[str], *, index: bool = False) -> bytes:
    """A sitemap file (urlset), or with `index` the sitemap index that lists the files."""
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}{'sitemapindex' if index else 'urlset'}")
    for url in urls:
        ET.SubElement(ET.SubElement(root, f"{{{ns}}}{'sitemap' if index else 'url'}"), f"{{{ns}}}loc").text = url
    return xml_document(root)
