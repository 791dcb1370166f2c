"""Lists, search and the sitemap at scale: keyset pages, the capped count, the sitemap index."""

import re
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select, update

from app.content.loader import get_content
from app.core.time import utcnow
from app.demo.bulk import seed_published
from app.extensions import db
from app.public import services
from app.public.models import Publication

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
COMMON_WORD = "benchmark"  # every seeded record names its "Benchmark Kommune NN"


@pytest.fixture
def seeded(app):
    """25 published assessments; a few share a publication time, so the id must break the tie."""
    seed_published(25, get_content())
    ids = list(db.session.scalars(select(Publication.id).order_by(Publication.id)))
    same = db.session.scalar(select(Publication.published_at).where(Publication.id == ids[3]))
    db.session.execute(update(Publication).where(Publication.id.in_(ids[4:9])).values(published_at=same))
    db.session.commit()
    return ids


def expected_order(filters=services.Filters()) -> list[int]:
    rows = db.session.execute(services.filtered(filters).with_only_columns(Publication.published_at, Publication.id))
    if filters.q:
        return sorted((row.id for row in rows), reverse=True)
    return [row.id for row in sorted(rows, key=lambda row: (row.published_at, row.id), reverse=True)]


def ranked_order(filters) -> list[int]:
    """A search whose matches all fit under the count limit is ranked (tests/test_search_ranking.py)."""
    words = services.search_words(filters.q)
    return services._ranked_ids(services.filtered(filters), services.sort_keys(filters), words, 10**6)


def walk(filters, per_page=4, **kwargs) -> list[list[int]]:
    """Every page from the first, each reached through the previous page's cursor."""
    pages = [services.search(filters, 1, per_page, **kwargs)]
    while pages[-1].has_next:
        previous = pages[-1]
        pages.append(
            services.search(
                filters, previous.page + 1, per_page, after=services.Cursor.of(previous.items[-1]), **kwargs
            )
        )
    return pages


@pytest.mark.parametrize("filters", [services.Filters(), services.Filters(q=COMMON_WORD)], ids=["list", "search"])
def test_keyset_pages_follow_the_order_without_duplicates_or_gaps(seeded, filters):
    expected = expected_order(filters)
    assert len(expected) == 25
    pages = walk(filters)
    assert [p.page for p in pages] == [1, 2, 3, 4, 5, 6, 7]
    assert [p.id for page in pages for p in page.items] == expected
    assert pages[-1].page == pages[-1].pages == 7 and not pages[-1].has_next
    # and back again through the cursors of each page's first item
    back = [pages[-1]]
    while back[-1].has_prev:
        current = back[-1]
        back.append(services.search(filters, current.page - 1, 4, before=services.Cursor.of(current.items[0])))
    assert [[p.id for p in page.items] for page in back[::-1]] == [[p.id for p in page.items] for page in pages]


def test_a_page_by_number_is_the_same_page_whichever_end_it_is_read_from(seeded):
    expected = expected_order()
    for number in range(1, 8):
        page = services.search(services.Filters(), number, 4)
        assert [p.id for p in page.items] == expected[(number - 1) * 4 : number * 4], number
        assert (page.has_prev, page.has_next) == (number > 1, number < 7)


def test_the_links_carry_the_page_number_and_the_cursor_and_old_side_links_still_work(client, seeded, monkeypatch):
    monkeypatch.setattr(services, "PER_PAGE", 4)
    expected = expected_order()
    seen, url = [], "/vurderinger"
    for _ in range(10):
        body = client.get(url).get_data(as_text=True)
        seen += [
            db.session.scalar(select(Publication.id).where(Publication.public_id == public_id))
            for public_id in re.findall(r'<a href="/vurderinger/([A-Za-z0-9_-]+)">', body)
        ]
        link = re.search(r'<a [^>]*rel="next" href="([^"]+)"', body)
        if not link:
            break
        url = link.group(1).replace("&amp;", "&")
        assert re.search(r"side=\d+", url) and "efter=" in url
    assert seen == expected
    assert "Side 7 af 7" in body
    # today's links by number, and the last page link, still give the right page
    last = client.get("/vurderinger?side=7").get_data(as_text=True)
    assert "Side 7 af 7" in last and 'rel="next"' not in last
    assert "Side 3 af 7" in client.get("/vurderinger?side=3").get_data(as_text=True)
    for nonsense in [
        "efter=x",
        "foer=20261301T000000000000-1",
        "efter=" + "9" * 60,
        "foer=&efter=",
    ]:
        assert client.get(f"/vurderinger?side=2&{nonsense}").status_code == 200


def test_filters_page_through_the_same_way(seeded):
    slug = db.session.scalar(select(Publication.organisation_slug).where(Publication.id == seeded[0]))
    db.session.execute(update(Publication).where(Publication.id.in_(seeded[:11])).values(organisation_slug=slug))
    db.session.commit()
    filters = services.Filters(kommune=slug)
    expected = expected_order(filters)
    assert len(expected) >= 11
    assert [p.id for page in walk(filters, per_page=3) for p in page.items] == expected


def test_the_count_of_a_search_stops_at_the_limit_and_the_first_page_stays_exact(client, seeded, monkeypatch):
    filters = services.Filters(q=COMMON_WORD)
    exact = services.search(filters, 1, 4)
    capped = services.search(filters, 1, 4, count_limit=10)
    assert (exact.total, exact.capped, exact.pages) == (25, False, 7)
    assert (capped.total, capped.capped, capped.pages) == (10, True, None)
    assert [p.id for p in capped.items] == [p.id for p in exact.items] and capped.has_next
    # a page by number beyond the cap counts exactly, so the last page is still found
    deep = services.search(filters, 99, 4, count_limit=10)
    assert (deep.page, deep.pages, deep.capped, [p.id for p in deep.items]) == (
        7,
        7,
        False,
        expected_order(filters)[24:],
    )
    # under the cap the count is exact
    assert services.search(filters, 1, 4, count_limit=25).capped is False
    monkeypatch.setattr(services, "COUNT_LIMIT", 10)
    monkeypatch.setattr(services, "PER_PAGE", 4)
    body = client.get(f"/vurderinger?q={COMMON_WORD}").get_data(as_text=True)
    assert "Mere end 10 vurderinger for „benchmark“" in body and "Side 1<" in body
    assert "25 vurderinger" in client.get("/vurderinger").get_data(as_text=True)  # no filter: the exact total


def test_a_capped_page_by_cursor_or_number_is_the_exact_page_and_reads_the_match_once(seeded, monkeypatch):
    """Searched and filtered pages under a count limit come from one pass over the match (the ids
    of the first limit + 1): every page, forwards and back through the cursors, is the exact page,
    and the search condition reaches the database once a page."""
    from sqlalchemy import event

    slug = db.session.scalar(select(Publication.organisation_slug).where(Publication.id == seeded[0]))
    db.session.execute(update(Publication).where(Publication.id.in_(seeded[:11])).values(organisation_slug=slug))
    db.session.commit()
    for filters in (services.Filters(q=COMMON_WORD), services.Filters(kommune=slug)):
        expected = expected_order(filters)
        in_order = ranked_order(filters) if filters.q else expected
        assert sorted(in_order) == sorted(expected)
        pages = walk(filters, per_page=3, count_limit=len(expected))
        assert [p.id for page in pages for p in page.items] == in_order
        assert [page.page for page in pages] == list(range(1, len(pages) + 1))
        assert not pages[0].capped and pages[-1].pages == len(pages)
        back = [pages[-1]]
        while back[-1].has_prev:
            current = back[-1]
            back.append(
                services.search(
                    filters,
                    current.page - 1,
                    3,
                    before=services.Cursor.of(current.items[0]),
                    count_limit=len(expected),
                )
            )
        assert [[p.id for p in page.items] for page in back[::-1]] == [[p.id for p in page.items] for page in pages]
        # a stale "next" link from the last row gives the last page, not an empty one beyond it
        stale = services.search(
            filters, len(pages) + 1, 3, after=services.Cursor.of(pages[-1].items[-1]), count_limit=len(expected)
        )
        assert stale.items and [p.id for p in stale.items] == [p.id for p in pages[-1].items]
        # past the cap, the cursors still lead on (the general path takes over) and nothing repeats
        capped = walk(filters, per_page=3, count_limit=5)
        assert capped[0].capped and [p.id for page in capped for p in page.items] == expected

    matches = []

    def remember(connection, cursor, statement, parameters, context, executemany):
        if "MATCH" in statement or "to_tsquery" in statement:
            matches.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        services.search(services.Filters(q=COMMON_WORD), 2, 3, count_limit=services.COUNT_LIMIT)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert len(matches) == 1


def test_a_count_over_a_thousand_is_written_the_readers_way(client, seeded, monkeypatch):
    """How the list's heading writes a capped count (a thousand records are not seeded for it)."""
    search = services.search

    def capped_at_a_thousand(filters, *args, **kwargs):
        page = search(filters, *args, **kwargs)
        page.total, page.pages, page.capped = 1000, None, True
        return page

    monkeypatch.setattr(services, "search", capped_at_a_thousand)
    assert "Mere end 1.000 vurderinger" in client.get("/vurderinger?q=x").get_data(as_text=True)
    client.get("/sprog/en?next=/")
    assert "More than 1,000 assessments" in client.get("/vurderinger?q=x").get_data(as_text=True)


# --- The sitemap ------------------------------------------------------------------------------


@pytest.fixture
def app_overrides():
    return {"SITEMAP_URLS_PER_FILE": 7}


def locs(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return [e.text for e in ET.fromstring(response.data).iter(f"{SITEMAP_NS}loc")]  # noqa: S314 - our own output


def test_the_sitemap_is_an_index_of_files_within_the_limit(client, seeded):
    index = client.get("/sitemap.xml")
    assert ET.fromstring(index.data).tag == f"{SITEMAP_NS}sitemapindex"  # noqa: S314
    files = locs(index)
    pages = 6 + len(get_content().technologies)
    assert len(files) == -(-(pages + 25) // 7)
    assert files[0] == "http://etikdialog.test/sitemap-1.xml"
    urls = []
    for url in files:
        part = locs(client.get(url.removeprefix("http://etikdialog.test")))
        assert 0 < len(part) <= 7
        urls += part
    public_ids = db.session.scalars(select(Publication.public_id).order_by(Publication.id))
    assert urls[pages:] == [f"http://etikdialog.test/vurderinger/{p}" for p in public_ids]
    assert len(set(urls)) == len(urls) and "http://etikdialog.test/tilgaengelighed" in urls[:pages]
    assert client.get(f"/sitemap-{len(files) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_each_sitemap_file_is_cached_per_generation_with_an_etag(client, seeded):
    first = client.get("/sitemap-1.xml")
    assert client.get("/sitemap-1.xml", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    last_before = locs(client.get("/sitemap.xml"))
    db.session.get(Publication, seeded[0]).withdrawn_at = utcnow()
    db.session.commit()
    again = client.get("/sitemap-1.xml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert locs(client.get("/sitemap.xml")) == last_before  # a withdrawn assessment keeps its page


def test_gunicorn_preloads_the_app_and_recycles_workers_rarely_and_not_together(monkeypatch):
    import runpy
    from pathlib import Path

    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert settings["preload_app"] is True and callable(settings["post_fork"])
    assert settings["max_requests"] >= 50_000 and settings["max_requests_jitter"] >= settings["max_requests"] // 5


def test_gunicorn_freezes_the_preloaded_objects_before_each_fork():
    """Frozen objects are left out of the workers' garbage collections, so their pages stay shared
    with the master instead of being copied into every worker (`make bench` measures the effect:
    the worker's own memory, docs/performance.md)."""
    import gc
    import runpy
    from pathlib import Path

    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        settings["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
