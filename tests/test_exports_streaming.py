"""Streaming exports: the CSV keeps its bytes, its order and its ETag; the API list its links."""

from datetime import datetime
from pathlib import Path

import pytest
from assessment_factories import make_published
from factories import make_org, make_user
from sqlalchemy import text

from app.assessments import services as assessment_services
from app.extensions import db
from app.public.models import Publication
from app.signoff.models import POSTGRES_TRIGGERS, SQLITE_TRIGGERS, SignedRecord

GOLDEN_CSV = Path(__file__).with_name("data") / "vurderinger.csv"

# Fixed values for every column the CSV shows, so its bytes can be compared with a stored file.
ROWS = [
    {"public_id": "fastA1", "title": 'Sensorer, "natlige" kald', "org": "Æblerød Kommune", "tech": "Sensor\nmåtte",
     "published": datetime(2026, 3, 4, 10, 0, 0), "code": "AAAA-BBBB-CCC1", "pdf": "a" * 64},
    {"public_id": "fastB2", "title": "=HYPERLINK(\"http://x\")", "org": "Øster Kommune", "tech": "-Robot",
     "published": datetime(2026, 3, 5, 11, 30, 15), "code": "AAAA-BBBB-CCC2", "pdf": "b" * 64},
    {"public_id": "fastC3", "title": "Almindelig titel", "org": "Århus Kommune", "tech": "GPS",
     "published": datetime(2025, 12, 31, 23, 59, 59), "code": "AAAA-BBBB-CCC3", "pdf": "c" * 64},
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
    connection.execute(text(f"UPDATE signed_record SET {assignments} WHERE id = :id"), {**values, "id": record_id})  # noqa: S608
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
    """tests/data/vurderinger.csv was written by the CSV view before it streamed in batches."""
    fixed_publications()
    body = client.get("/vurderinger.csv").get_data()
    assert body == GOLDEN_CSV.read_bytes()
