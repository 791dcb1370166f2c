"""The public pages with the think tank's material."""

import pytest

from app.content.loader import get_content


def test_index_lists_sectors_dilemmas_and_recommendations(client, app):
    content = get_content()
    html = client.get("/indhold").get_data(as_text=True)
    for question in content.central_questions:
        assert question.text in html
    for dilemma in content.dilemmas:
        assert f"/indhold/dilemmaer/{dilemma.id}" in html
    for recommendation in content.recommendations:
        assert f"/indhold/anbefalinger/{recommendation.id}" in html


def test_dilemma_page_shows_questions_explanations_and_related_recommendations(client, app):
    dilemma = get_content().dilemmas[0]
    response = client.get(f"/indhold/dilemmaer/{dilemma.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for question in dilemma.questions:
        assert f'id="{question.id}"' in html
        assert str(question.explanation_html)[:80] in html
    for ref in dilemma.recommendation_ids:
        assert f"/indhold/anbefalinger/{ref}" in html
    assert "Kilde:" in html
    assert 'class="breadcrumbs"' in html


def test_recommendation_page_shows_full_text_and_check_questions(client, app):
    recommendation = get_content().recommendations[0]
    html = client.get(f"/indhold/anbefalinger/{recommendation.id}").get_data(as_text=True)
    assert str(recommendation.body_html)[:80] in html
    for question in recommendation.check_questions:
        assert question.text in html


def test_sector_page_shows_introduction(client, app):
    sector = get_content().sectors[0]
    html = client.get(f"/indhold/sektorer/{sector.id}").get_data(as_text=True)
    assert str(sector.body_html)[:80] in html


def test_technology_catalogue_lists_every_category(client, app):
    html = client.get("/teknologier").get_data(as_text=True)
    for technology in get_content().technologies:
        assert technology.title in html


@pytest.mark.parametrize(
    "url", ["/indhold/dilemmaer/findes-ikke", "/indhold/anbefalinger/findes-ikke", "/indhold/sektorer/x"]
)
def test_unknown_content_gives_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


def test_pages_have_skip_link_and_sources_in_footer(client):
    html = client.get("/indhold").get_data(as_text=True)
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert "Teknologi til velfærd" in html


def test_the_guidance_page_explains_the_process_roles_and_time(client):
    page = client.get("/vejledning").get_data(as_text=True)
    for heading in ("Forløbet", "Hvem gør hvad", "Hvor lang tid tager det"):
        assert heading in page
    assert "Sådan bruger I Etikdialog" in client.get("/").get_data(as_text=True)  # linked from every page
