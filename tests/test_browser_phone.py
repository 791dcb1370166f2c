"""Phones (375 px): every public page and one board page of each kind fits the screen, its menu opens
and reaches every top-level link, and axe finds nothing."""

import pytest
from assessment_factories import make_assessment, make_published
from browser_helpers import assert_fits
from consultation_factories import open_consultation
from factories import log_in, make_org, make_user
from playwright.sync_api import expect

from app.content.loader import get_content
from app.extensions import db

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def assert_fits_and_accessible(page, assert_accessible):
    assert_fits(page)
    assert_accessible(page)


def open_menu(page):
    page.get_by_role("button", name="Menu").click()
    drawer = page.locator(".mobile-drawer")
    expect(drawer).to_be_visible()
    return drawer


def close_menu(page):
    page.locator(".mobile-drawer").get_by_role("button", name="Luk menuen").click()
    expect(page.locator(".mobile-drawer")).to_be_hidden()


@pytest.fixture
def site(app):
    published = make_published(make_org("Telefonby Kommune"), title="Nattilsyn med sensorer")
    editor = make_user(published.organisation, role="editor")
    admin = make_user(published.organisation, role="admin", email="admin@telefonby.dk")
    draft = make_assessment(editor, title="Skærmbesøg i hjemmeplejen")
    consultation = open_consultation(draft, editor)
    db.session.commit()
    return {"published": published, "draft": draft, "consultation": consultation, "admin": admin}


def test_a_citizen_reaches_every_page_and_link_on_a_phone(page, site, assert_accessible):
    content = get_content()
    published, consultation = site["published"], site["consultation"]
    page.set_viewport_size(PHONE)
    page.goto("/")
    assert page.locator(".navigation-menu .mainmenu").is_hidden()
    drawer = open_menu(page)
    for name in [
        "Forside",
        "Vurderinger",
        "Høringer",
        "Kontrollér et dokument",
        "Spørgsmål og anbefalinger",
        "Teknologier",
        "English",
        "Log ind",
    ]:
        expect(drawer.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert_accessible(page)
    drawer.get_by_role("link", name="Høringer").click()
    page.wait_for_url("**/hoeringer")
    expect(page.locator(".mobile-drawer")).to_be_hidden()

    open_menu(page)
    close_menu(page)

    pages = [
        "/",
        "/vurderinger",
        "/vurderinger?q=zzzz",
        "/verificer",
        "/tilgaengelighed",
        "/teknologier",
        "/vejledning",
        "/hoeringer",
        "/indhold",
        f"/indhold/dilemmaer/{content.dilemmas[0].id}",
        f"/indhold/anbefalinger/{content.recommendations[0].id}",
        f"/indhold/sektorer/{content.sectors[0].id}",
        f"/vurderinger/{published.public_id}",
        f"/teknologier/{published.technology_category}",
        f"/verificer?kode={published.signed_record.verification_code}",
        f"/hoeringer/{consultation.public_id}",
        "/intern/login",
    ]
    for url in pages:
        page.goto(url)
        assert_fits_and_accessible(page, assert_accessible)


def test_the_front_page_search_uses_the_whole_width(page, site):
    page.set_viewport_size(PHONE)
    page.goto("/")
    width = page.get_by_label("Søg i kommunernes vurderinger").bounding_box()["width"]
    assert width > 250, width


def test_the_detail_page_tables_scroll_as_a_whole_with_a_hint(page, site):
    page.set_viewport_size(PHONE)
    page.goto(f"/vurderinger/{site['published'].public_id}")
    tables = [table for table in page.locator("main table").all() if table.is_visible()]
    assert len(tables) >= 2  # the recommendations and the action plan
    for table in tables:
        wrapper = table.locator("xpath=ancestor::*[@data-scroll-hint][1]")
        assert wrapper.count() == 1, "a table on a phone scrolls in a wrapper with a hint"
        assert table.bounding_box()["width"] >= 560  # readable columns, not squeezed into 343 px
        assert wrapper.bounding_box()["width"] <= PHONE["width"]
        hint = wrapper.evaluate("w => getComputedStyle(w, '::before').content")
        assert "Rul vandret" in hint


def board_pages(site):
    draft, consultation = site["draft"], site["consultation"]
    base = f"/intern/vurderinger/{draft.public_id}"
    question = draft.questions[0].question_id
    review = draft.reviews[0].recommendation_id
    return [
        "/intern/",
        base,
        f"{base}/forslag",
        f"{base}/spoergsmaal/{question}",
        f"{base}/dilemmaer",
        f"{base}/anbefalinger/{review}",
        f"{base}/beslutning",
        f"{base}/holdning",
        f"{base}/hoeringer",
        f"{base}/hoeringer/ny",
        f"{base}/hoeringer/{consultation.public_id}",
        f"{base}/moede/{question}",
        f"{base}/opfoelgning",
        f"{base}/log",
        f"{base}/underskrivere",
        "/intern/opfoelgning",
        "/intern/konto",
        "/intern/admin/brugere",
        "/intern/vurderinger/ny",
    ]


def test_a_board_member_reaches_every_kind_of_page_on_a_phone(page, site, assert_accessible):
    page.set_viewport_size(PHONE)
    log_in(page, site["admin"])
    drawer = open_menu(page)
    for name in ["Mine vurderinger", "Høringer", "English"]:
        expect(drawer.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(drawer.get_by_role("button", name="Log ud")).to_be_visible()
    close_menu(page)

    page.goto(f"/intern/vurderinger/{site['draft'].public_id}/forslag")
    page.locator("summary", has_text="Vurderingens sider").click()
    page.locator(".assessment-menu-mobile").get_by_role("link", name="Beslutning og handlingsplan").click()
    page.wait_for_url("**/beslutning")

    for url in board_pages(site):
        page.goto(url)
        assert page.url.endswith(url) or "moede" in url, page.url
        assert_fits_and_accessible(page, assert_accessible)


def test_every_board_page_is_accessible_on_a_desktop(page, site, assert_accessible):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site["admin"])
    for url in board_pages(site):
        page.goto(url)
        assert_fits_and_accessible(page, assert_accessible)
