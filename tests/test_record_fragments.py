"""The record page's signed part as a shared, immutable fragment (app/public/fragments.py)."""

import pytest
from assessment_factories import make_published, make_signed
from factories import make_org, make_user
from flask import template_rendered
from sqlalchemy import func, select

from app.assessments import services as assessment_services
from app.extensions import db
from app.i18n import COOKIE_NAME
from app.public import fragments
from app.public.models import Publication, RecordFragment


@pytest.fixture
def app_overrides():
    return {"PUBLIC_PAGE_CACHE": False}  # every request renders the page: only the fragment is kept


@pytest.fixture
def fragment_renders(app):
    """How often the fragment template was rendered on its own (an include does not count)."""
    seen = []

    def record(sender, template, context, **extra):
        if template.name == fragments.TEMPLATE:
            seen.append(context["record"]["public_id"])

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


def page(client, public_id: str, language: str = "da") -> bytes:
    client.set_cookie(COOKIE_NAME, language)
    response = client.get(f"/vurderinger/{public_id}")
    assert response.status_code == 200
    return response.data


def forget_locally(app):
    app.extensions.pop("etikdialog.record_fragments", None)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_page_with_the_fragment_is_byte_for_byte_a_full_render(app, client, published, fragment_renders, language):
    public_id = db.session.scalar(select(Publication.public_id))
    app.config["RECORD_FRAGMENTS"] = False
    full = page(client, public_id, language)
    assert fragment_renders == [] and db.session.scalar(select(func.count(RecordFragment.key))) == 0

    app.config["RECORD_FRAGMENTS"] = True
    cold = page(client, public_id, language)  # rendered on its own, stored after the response
    assert fragment_renders == [public_id]
    assert db.session.scalar(select(func.count(RecordFragment.key))) == 2  # the summary and the sections
    forget_locally(app)  # as another worker: from the shared table
    warm = page(client, public_id, language)
    assert fragment_renders == [public_id]  # not rendered again

    assert cold == full
    assert warm == full
    assert b'id="erklaering"' in full and b'id="spoergsmaal"' in full  # the signed part is there


def test_languages_and_records_have_their_own_fragments(app, client, published):
    public_id = db.session.scalar(select(Publication.public_id))
    danish, english = page(client, public_id, "da"), page(client, public_id, "en")
    assert danish != english
    other = make_published(make_org("Odense Kommune"), title="Robotstøvsugere i hjemmeplejen")
    other_id = db.session.scalar(select(Publication.public_id).where(Publication.assessment_id == other.id))
    assert "Robotstøvsugere".encode() in page(client, other_id, "da")
    assert db.session.scalar(select(func.count(RecordFragment.key))) == 6  # the summary and the sections


def test_a_withdrawal_shows_at_once_though_the_fragment_is_stored(app, client, published):
    public_id = db.session.scalar(select(Publication.public_id))
    page(client, public_id)
    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Projektet er stoppet.")
    db.session.commit()
    assert b"Projektet er stoppet." in page(client, public_id)


def test_flask_cache_warm_makes_what_is_missing_once(app, runner, published):
    result = runner.invoke(args=["cache", "warm"])
    assert result.exit_code == 0, result.output
    assert "1 vurderinger, 4 nye fragmenter" in result.output  # summary and sections, Danish and English
    assert db.session.scalar(select(func.count(RecordFragment.key))) == 4
    forget_locally(app)
    assert "0 nye fragmenter" in runner.invoke(args=["cache", "warm"]).output


def test_publication_in_a_request_makes_the_fragments(app, client, fragment_renders):
    assessment = make_signed(make_org("Vejle Kommune"), title="GPS-sporing af borgere med demens")
    admin = make_user(assessment.organisation, role="admin")
    with app.test_request_context("/"):
        assessment_services.transition(assessment, "publish", user=admin)
        db.session.commit()
    assert len(fragment_renders) == 2
    public_id = db.session.scalar(select(Publication.public_id))
    page(client, public_id)
    assert len(fragment_renders) == 2  # the first reader finds it made


def test_the_summary_is_a_fragment_too(app, client, published):
    """The summary ("Kort om vurderingen") is signed content as well: rendered on its own once, then served."""
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    public_id = db.session.scalar(select(Publication.public_id))
    template_rendered.connect(record, app)
    try:
        cold = page(client, public_id)
        assert fragments.SUMMARY in rendered and fragments.TEMPLATE in rendered
        rendered.clear()
        forget_locally(app)
        warm = page(client, public_id)
        assert fragments.SUMMARY not in rendered and fragments.TEMPLATE not in rendered
    finally:
        template_rendered.disconnect(record, app)
    assert cold == warm and b'id="kort-om"' in warm


def test_the_store_is_bounded_by_bytes(app):
    app.config["RECORD_FRAGMENT_MAX_BYTES"] = 2500
    for number in range(5):
        fragments.put(f"key-{number}", "x" * 1000)
        db.session.flush()
    fragments.evict()
    kept = db.session.execute(select(RecordFragment.key, RecordFragment.size)).all()
    assert sum(size for _key, size in kept) <= 2500
    assert {key for key, _size in kept} == {"key-3", "key-4"}  # the newest
