"""Factories for citizens' feedback; they call the real services, so every rule applies."""

from __future__ import annotations

from assessment_factories import make_published
from sqlalchemy import select

from app.extensions import db
from app.feedback import services
from app.feedback.models import Feedback
from app.public.models import Publication


def feedback_id_in(organisation) -> int:
    """A citizen's question about a published record of the municipality, made once (commits)."""
    mine = select(Feedback.id).join(Feedback.publication).where(Publication.organisation_slug == organisation.slug)
    existing = db.session.scalar(mine.limit(1))
    if existing is not None:
        return existing
    record = make_published(organisation, title="Et spurgt om")
    publication = db.session.scalar(select(Publication).where(Publication.assessment_id == record.id))
    item = services.receive(
        publication,
        kind="spoergsmaal",
        body="Hvem ser data?",
        author_name="",
        author_organisation="",
        publish_name=False,
        address="192.0.2.99",
    )
    db.session.commit()
    return item.id
