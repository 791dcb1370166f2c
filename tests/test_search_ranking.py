"""Search ranks a match in the title first, then one in the summary, then one in the rest
(issue 34 item 2): FTS5's bm25() with column weights on SQLite, ts_rank() with weights on PostgreSQL.
Run on both databases (TEST_DATABASE_URL)."""

import pytest
from assessment_factories import make_published

from app.public import services

BODY_ONLY = "Nattevagtens runder"
IN_SUMMARY = "Tryghed om natten"
IN_TITLE = "Kamera på gangen"


@pytest.fixture
def three(app):
    """Published oldest first: the title match, the summary match, then the text that names the
    word most often but only in its body. Newest first would be the reverse of the ranking."""
    make_published(title=IN_TITLE)
    make_published(title=IN_SUMMARY, problem="Et kamera på gangen skal vise, om en borger er faldet om natten.")
    make_published(
        title=BODY_ONLY,
        technology_description="Kamera ved døren, kamera i gangen og kamera i fællesstuen; kameraerne giver besked.",
    )


def ranked_titles(query: str) -> list[str]:
    result = services.search(services.Filters(q=query), 1, services.PER_PAGE, count_limit=services.COUNT_LIMIT)
    return [publication.title for publication in result.items]


@pytest.mark.parametrize("query", ["kamera", "kam", "kamera gangen"])
def test_title_then_summary_then_the_rest(three, query):
    assert ranked_titles(query) == [IN_TITLE, IN_SUMMARY, BODY_ONLY]


def test_equal_matches_keep_the_newest_first(app):
    for title in ("Sensorer i stuen", "Sensorer i badet", "Sensorer i køkkenet"):
        make_published(title=title)
    assert ranked_titles("sensorer")[:3] == ["Sensorer i køkkenet", "Sensorer i badet", "Sensorer i stuen"]


def test_the_list_page_shows_the_ranked_order(client, three):
    page = client.get("/vurderinger?q=kamera").get_data(as_text=True)
    positions = [page.index(title) for title in (IN_TITLE, IN_SUMMARY, BODY_ONLY)]
    assert positions == sorted(positions)


def test_pages_of_a_ranked_search_neither_overlap_nor_skip(three):
    first = services.search(services.Filters(q="kamera"), 1, 2, count_limit=services.COUNT_LIMIT)
    second = services.search(
        services.Filters(q="kamera"), 2, 2, count_limit=services.COUNT_LIMIT, after=services.Cursor.of(first.items[-1])
    )
    assert [p.title for p in first.items + second.items] == [IN_TITLE, IN_SUMMARY, BODY_ONLY]
