"""Publications as open data: JSON items, the detail document, CSV rows and the Atom feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import url_for

from app.core.text import xml_document
from app.public.models import Publication

CSV_COLUMNS = ["public_id", "titel", "kommune", "teknologi", "kategori", "omraade", "beslutning", "version",
               "underskrevet", "offentliggjort", "verifikationskode", "pdf_sha256", "url"]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def links(p: Publication) -> dict:
    return {
        "html": url_for("public.assessment", public_id=p.public_id, _external=True),
        "pdf": url_for("public.assessment_pdf", public_id=p.public_id, _external=True),
        "json": url_for("api.assessment", public_id=p.public_id, _external=True),
    }


def item(p: Publication) -> dict:
    frozen = p.signed_record
    return {
        "public_id": p.public_id,
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
    return {
        "public_id": p.public_id,
        "status": "withdrawn" if p.is_withdrawn else "published",
        "withdrawal": {"reason": p.withdrawal_reason, "withdrawn_at": iso(p.withdrawn_at)} if p.is_withdrawn else None,
        "record": json.loads(frozen.canonical_json),
        "json_sha256": frozen.json_sha256,
        "pdf_sha256": frozen.pdf_sha256,
        "verification_code": frozen.verification_code,
        "signed_at": iso(p.signed_at),
        "published_at": iso(p.published_at),
        "versions": [{"version": v.version_number, "public_id": v.public_id,
                      "url": url_for("api.assessment", public_id=v.public_id, _external=True)} for v in versions],
        "replaced_by": url_for("api.assessment", public_id=p.replaced_by.public_id, _external=True)
        if p.replaced_by else None,
        "links": links(p),
    }  # fmt: skip


def safe_cell(value) -> str:
    """Spreadsheets run cells that start like a formula; a leading apostrophe keeps them text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(p: Publication, labels: dict) -> list[str]:
    values = [p.public_id, p.title, p.organisation_name, p.technology_name,
              labels["technologies"].get(p.technology_category, p.technology_category),
              labels["areas"].get(p.sector_area, p.sector_area), labels["decisions"].get(p.decision, p.decision),
              p.version_number, iso(p.signed_at), iso(p.published_at), p.signed_record.verification_code,
              p.signed_record.pdf_sha256, links(p)["html"]]  # fmt: skip
    return [safe_cell(v) for v in values]


def atom_feed(publications: list[Publication], labels: dict) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}title").text = "Etikdialog: nye vurderinger af velfærdsteknologi"
    ET.SubElement(feed, f"{{{ns}}}id").text = url_for("public.index", _external=True)
    ET.SubElement(feed, f"{{{ns}}}link", href=url_for("api.feed", _external=True), rel="self")
    ET.SubElement(feed, f"{{{ns}}}link", href=url_for("public.assessments", _external=True))
    newest = publications[0].published_at if publications else datetime(2026, 1, 1)
    ET.SubElement(feed, f"{{{ns}}}updated").text = iso(newest)
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
    return xml_document(feed)


def sitemap(urls: list[str], *, index: bool = False) -> bytes:
    """A sitemap file (urlset), or with `index` the sitemap index that lists the files."""
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}{'sitemapindex' if index else 'urlset'}")
    for url in urls:
        ET.SubElement(ET.SubElement(root, f"{{{ns}}}{'sitemap' if index else 'url'}"), f"{{{ns}}}loc").text = url
    return xml_document(root)
