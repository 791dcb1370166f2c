"""Anonymous readers get cached pages with ETags; everyone else, and every change, goes through."""

import pytest
from assessment_factories import make_published
from factories import login, make_org, make_user
from flask import template_rendered

from app.assessments import services as assessment_services
from app.extensions import db
from app.public.cache import PageCache


@pytest.fixture
def rendered(app):
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def test_an_anonymous_reader_gets_the_page_once_rendered_then_304(client, published, rendered):
    url = f"/vurderinger/{published.public_id}"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in first.headers["Vary"]
    rendered.clear()
    second = client.get(url)
    assert second.get_data() == first.get_data() and rendered == []  # served from the cache
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["Content-Security-Policy"]  # headers still apply


def test_a_withdrawal_or_new_publication_changes_the_page_at_once(client, published):
    url = f"/vurderinger/{published.public_id}"
    etag = client.get(url).headers["ETag"]
    assert "2 vurderinger" not in client.get("/vurderinger").get_data(as_text=True)
    make_published(make_org("Odense Kommune"))
    assert "2 vurderinger" in client.get("/vurderinger").get_data(as_text=True)
    assessment_services.transition(
        published,
        "withdraw",
        user=make_user(published.organisation, role="admin"),
        reason="Leverandøren er gået konkurs",
    )
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Vurderingen er trukket tilbage" in response.get_data(as_text=True)


def test_logged_in_users_and_pending_messages_bypass_the_cache(client, published, rendered):
    url = f"/vurderinger/{published.public_id}"
    client.get(url)
    user = make_user(published.organisation, role="member", name="Mette Kjær")
    login(client, user)
    response = client.get(url)
    assert "ETag" not in response.headers and "Mette Kjær" in response.get_data(as_text=True)
    client.post("/intern/logout")  # leaves "Du er logget ud." waiting in the session
    rendered.clear()
    assert "Du er logget ud." in client.get(url).get_data(as_text=True)
    assert rendered  # rendered afresh, so the message is shown once and not cached


@pytest.mark.parametrize("app_overrides", [{"PUBLIC_PAGE_CACHE": False}])
def test_the_cache_can_be_switched_off(client, published, rendered):
    client.get(f"/vurderinger/{published.public_id}")
    rendered.clear()
    response = client.get(f"/vurderinger/{published.public_id}")
    assert rendered and "ETag" not in response.headers


def test_the_cache_is_bounded():
    cache = PageCache(max_entries=2)
    for key in ("a", "b", "c"):
        cache.put(key, (key.encode(), "text/plain"))
    assert len(cache) == 2 and cache.get("a") is None and cache.get("c") == (b"c", "text/plain")


def test_parameters_a_page_does_not_read_share_its_entry(app, client, published, rendered):
    """?x=1, ?x=2, … and the same filters in another order are one page: one entry, one render."""
    from app.public.cache import page_cache

    slug = published.organisation.slug
    for query in (f"kommune={slug}&aar=2026", f"aar=2026&kommune={slug}", f"kommune={slug}&aar=2026&x=1&q="):
        assert client.get(f"/vurderinger?{query}").status_code == 200
    for junk in range(5):
        assert client.get(f"/vurderinger/{published.public_id}?x={junk}").status_code == 200
    assert len(page_cache(app)) == 2
    assert [name for name in rendered if name.startswith("public/") and "/_" not in name] == [
        "public/list.html",
        "public/assessment.html",
    ]


def test_a_cached_page_costs_one_query(app, client, published):
    """Every package's generation in one statement: on PostgreSQL one round trip, not five."""
    from sqlalchemy import event

    public_id = published.public_id  # read before: the first request commits its new fragment
    client.get(f"/vurderinger/{public_id}")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(f"/vurderinger/{public_id}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1, statements


def test_the_page_cache_is_bounded_by_its_bytes_too(app):
    from app.public.cache import MAX_BYTES, page_cache

    cache = page_cache(app)
    cache.put("a", (b"x", "text/html"), weight=MAX_BYTES // 2)
    cache.put("b", (b"y", "text/html"), weight=MAX_BYTES // 2)
    cache.put("c", (b"z", "text/html"), weight=MAX_BYTES // 2)
    assert cache.get("a") is None and cache.get("c") is not None and cache.weight <= MAX_BYTES
