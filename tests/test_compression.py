"""gzip with Vary: Accept-Encoding on the app's text answers (issue 34, app/core/compression.py)."""

import gzip

from assessment_factories import make_published

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_the_openapi_document_is_gzipped_for_a_client_that_asks(client):
    plain = client.get("/api/v1/openapi.json")
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get("/api/v1/openapi.json", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3
    refused = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers


def test_a_compressed_answer_has_a_weak_etag_that_still_gives_304(client, app):
    published = make_published(title="Komprimeret")
    url = f"/api/v1/vurderinger/{published.public_id}"
    packed = client.get(url, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["ETag"].startswith('W/"')
    again = client.get(url, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_streams_and_pdfs_are_left_alone(client, app):
    published = make_published(title="Strøm")
    csv = client.get("/vurderinger.csv", headers=GZIP)
    assert csv.status_code == 200 and "Content-Encoding" not in csv.headers
    pdf = client.get(f"/vurderinger/{published.public_id}.pdf", headers=GZIP)
    assert "Content-Encoding" not in pdf.headers and pdf.data.startswith(b"%PDF")


def test_answers_with_a_date_say_when_they_last_changed(client, app):
    """Last-Modified where a date exists (issue 34): the record's files when signed, the API's item
    when published (later: withdrawn or replaced)."""
    from email.utils import parsedate_to_datetime

    from sqlalchemy import select

    from app.extensions import db
    from app.public.models import Publication

    published = make_published(title="Datoer")
    frozen = published.signed_record
    for path in (f"/vurderinger/{published.public_id}.pdf", f"/vurderinger/{published.public_id}.json"):
        stamp = parsedate_to_datetime(client.get(path).headers["Last-Modified"])
        assert stamp.replace(tzinfo=None) == frozen.signed_at.replace(microsecond=0)
    publication = db.session.scalar(select(Publication).where(Publication.assessment_id == published.id))
    item = client.get(f"/api/v1/vurderinger/{published.public_id}")
    stamp = parsedate_to_datetime(item.headers["Last-Modified"]).replace(tzinfo=None)
    assert stamp == publication.published_at.replace(microsecond=0)
