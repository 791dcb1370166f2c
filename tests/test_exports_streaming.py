"""Streaming exports: the CSV keeps its bytes, its order and its ETag; the API list its links."""

import csv
import io
from datetime import datetime
from pathlib import Path

from assessment_factories import make_published
from factories import make_org, make_user
from sqlalchemy import event, text

from app.assessments import services as assessment_services
from app.extensions import db
from app.public.models import Publication
from app.signoff.models import POSTGRES_TRIGGERS, SQLITE_TRIGGERS

GOLDEN_CSV = Path(__file__).with_name("data") / "vurderinger.csv"

# Fixed values for every column the CSV shows, so its bytes can be compared with a stored file.
ROWS = [
    {
        "public_id": "fastA1",
        "title": 'Sensorer, "natlige" kald',
        "org": "Æblerød Kommune",
        "tech": "Sensor\nmåtte",
        "published": datetime(2026, 3, 4, 10, 0, 0),
        "code": "AAAA-BBBB-CCC1",
        "pdf": "a" * 64,
    },
    {
        "public_id": "fastB2",
        "title": '=HYPERLINK("http://x")',
        "org": "Øster Kommune",
        "tech": "-Robot",
        "published": datetime(2026, 3, 5, 11, 30, 15),
        "code": "AAAA-BBBB-CCC2",
        "pdf": "b" * 64,
    },
    {
        "public_id": "fastC3",
        "title": "Almindelig titel",
        "org": "Århus Kommune",
        "tech": "GPS",
        "published": datetime(2025, 12, 31, 23, 59, 59),
        "code": "AAAA-BBBB-CCC3",
        "pdf": "c" * 64,
    },
]


def set_signed_record(record_id: int, **values) -> None:
    """Fixtures only: lift the frozen record's guard for one update and put it back."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.execute(text("DROP TRIGGER signed_record_no_update"))
    else:
        connection.execute(text("ALTER TABLE signed_record DISABLE TRIGGER signed_record_no_change"))
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    statement = f"UPDATE signed_record SET {assignments} WHERE id = :id"  # noqa: S608 - fixed column names
    connection.execute(text(statement), {**values, "id": record_id})
    if sqlite:
        connection.execute(text(SQLITE_TRIGGERS[0]))
    else:
        connection.execute(text("ALTER TABLE signed_record ENABLE TRIGGER signed_record_no_change"))
    assert POSTGRES_TRIGGERS  # the guard named above is the one the models create


def fixed_publications() -> list[Publication]:
    org = make_org("Fast Kommune")
    publications = []
    for row in ROWS:
        assessment = make_published(org, title=row["title"])
        publication = db.session.scalar(db.select(Publication).where(Publication.assessment_id == assessment.id))
        publication.public_id = row["public_id"]
        publication.title = row["title"]
        publication.organisation_name = row["org"]
        publication.technology_name = row["tech"]
        publication.technology_category = "mobilitetsteknologi"
        publication.sector_area = "social-og-sundhed"
        publication.decision = "anbefales_med_betingelser"
        publication.signed_at = row["published"].replace(hour=1)
        publication.published_at = row["published"]
        db.session.flush()
        set_signed_record(publication.signed_record_id, verification_code=row["code"], pdf_sha256=row["pdf"])
        publications.append(publication)
    db.session.commit()
    db.session.expire_all()
    return publications


def test_csv_is_byte_for_byte_what_it_was_before_streaming(client, app):
    """tests/data/vurderinger.csv was written by the CSV view before it streamed in batches, and
    regenerated once when the proposal's columns (read from the signed record) were added after
    "url": the first thirteen columns of every line kept their bytes; and again when record schema 3's
    AI screening fields (uses_ai, ai_purpose, ai_annex_area) joined the proposal's columns in the field
    table's order, with every other column's values unchanged; and again when the publication's
    columns took the API's machine names and a `status` column (issue 34), values unchanged."""
    fixed_publications()
    body = client.get("/vurderinger.csv").get_data()
    assert body == GOLDEN_CSV.read_bytes()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_order_is_published_at_then_id_newest_first(client, app):
    publications = fixed_publications()
    # Two with the same moment: the later id comes first, every time.
    publications[2].published_at = publications[0].published_at
    db.session.commit()
    ids = [row[0] for row in csv_rows(client.get("/vurderinger.csv"))[1:]]
    assert ids == ["fastB2", "fastC3", "fastA1"]


def test_csv_answers_304_until_something_is_published_or_withdrawn(client, app):
    published = make_published(title="Første")
    first = client.get("/vurderinger.csv")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    again = client.get("/vurderinger.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/vurderinger.csv?kommune=x", headers={"If-None-Match": etag}).status_code == 200

    make_published(title="Anden")
    newer = client.get("/vurderinger.csv", headers={"If-None-Match": etag})
    assert newer.status_code == 200 and newer.headers["ETag"] != etag
    assert len(csv_rows(newer)) == 3

    assessment_services.transition(
        published, "withdraw", user=make_user(published.organisation, role="admin"), reason="Forkert"
    )
    db.session.commit()
    after = client.get("/vurderinger.csv", headers={"If-None-Match": newer.headers["ETag"]})
    assert after.status_code == 200 and len(csv_rows(after)) == 2


def test_csv_streams_the_header_first_and_rows_in_chunks_of_many(client, app, monkeypatch):
    from app.api import views
    from app.content.loader import get_content
    from app.demo.bulk import seed_published

    seed_published(40, get_content())
    db.session.commit()
    monkeypatch.setattr(views, "CSV_CHUNK", 60_000)  # about ten rows a chunk here (each carries its proposal)
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = client.get("/vurderinger.csv", buffered=False)
    assert response.is_streamed
    chunks = iter(response.response)
    header = next(chunks)
    assert header.decode().lstrip("\ufeff").startswith("public_id,title,") and header.count(b"\n") == 1
    assert not [s for s in statements if "signed_record" in s]  # no row read before the header went out
    rest = list(chunks)
    response.close()
    rows = b"".join(rest).count(b"/vurderinger/")
    assert rows == 40 and 2 < len(rest) < 10
    reads = [s for s in statements if "FROM publication" in s and "signed_record" in s]
    assert len(reads) == 1
    assert "signed_record_pdf" not in reads[0] and "summary" not in reads[0]  # only the columns it shows


def test_api_list_links_are_the_routes_addresses(client, app):
    published = make_published(title="Links")
    item = client.get("/api/v1/vurderinger").get_json()["items"][0]
    public_id = published.public_id
    assert item["links"] == {
        "html": f"http://etikdialog.test/vurderinger/{public_id}",
        "pdf": f"http://etikdialog.test/vurderinger/{public_id}.pdf",
        "json": f"http://etikdialog.test/api/v1/vurderinger/{public_id}",
    }
