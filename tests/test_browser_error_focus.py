"""After a bad submit, every public form's error summary has the focus (issue 34): a screen
reader hears what went wrong first, and nothing on the page (such as a jump to the form) takes it."""

import pytest
from assessment_factories import make_assessment, make_published
from consultation_factories import open_consultation
from factories import make_org, make_user

from app.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def forms(app):
    org = make_org("Aarhus Kommune")
    editor = make_user(org, role="editor")
    consultation = open_consultation(make_assessment(editor, title="Skærmbesøg"), editor)
    published = make_published(org, title="Nattilsyn med sensorer")
    db.session.commit()
    return {
        "consultation": (f"/hoeringer/{consultation.public_id}", "Send høringssvar"),
        "feedback": (f"/vurderinger/{published.public_id}/spoerg", "Send henvendelsen"),
        "verification": ("/verificer", "Kontrollér filen"),
    }


@pytest.mark.parametrize("name", ["consultation", "feedback", "verification"])
def test_the_error_summary_has_the_focus_after_an_empty_submit(forms, page, name):
    url, button = forms[name]
    page.goto(url)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")
    for _ in range(20):  # DKFDS focuses the summary as it starts (wait_for_function needs eval: CSP)
        if page.evaluate("document.activeElement !== document.body"):
            break
        page.wait_for_timeout(100)
    focused = page.evaluate("document.activeElement.getAttribute('data-module')")
    assert focused == "error-summary", page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
