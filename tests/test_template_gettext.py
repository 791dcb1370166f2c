"""Templates translate through app.i18n's per-request catalogue lookup: the same output as
Jinja's own new-style gettext, and a change of language inside a request takes effect at once."""

from flask import render_template_string
from flask_babel import force_locale, gettext, ngettext

from app.assessments.models import CONCERN_LEVELS
from app.i18n import COOKIE_NAME, current_language

TEMPLATE = (
    "{{ _('Siden findes ikke') }}|{{ _('%(n)s%% af %(m)s', n=1, m='<b>') }}|{% trans %}Siden findes ikke{% endtrans %}"
)


def test_template_text_follows_the_language_within_one_request(app):
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE_NAME}=en"}):
        app.preprocess_request()
        english = render_template_string(TEMPLATE)
        with force_locale("da"):
            danish = render_template_string(TEMPLATE)
        again = render_template_string(TEMPLATE)
    assert english.startswith("Page not found|1% af &lt;b&gt;|Page not found")
    assert danish == "Siden findes ikke|1% af &lt;b&gt;|Siden findes ikke"
    assert again == english


def test_danish_request_is_not_served_the_previous_requests_english(client):
    client.set_cookie(COOKIE_NAME, "en")
    assert "Page not found" in client.get("/findes-ikke").get_data(as_text=True)
    client.delete_cookie(COOKIE_NAME)
    assert "Siden findes ikke" in client.get("/findes-ikke").get_data(as_text=True)


def test_the_language_code_follows_the_language_within_one_request(app):
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE_NAME}=en"}):
        app.preprocess_request()
        first = current_language()
        with force_locale("da"):
            inside = current_language()
        assert (first, inside, current_language()) == ("en", "da", "en")


def test_python_strings_and_lazy_labels_follow_the_language_within_one_request(app):
    """gettext, ngettext and lazy labels in Python code read the request's catalogue through
    app.i18n.RequestDomain, looked up once per request and locale."""

    def texts():
        return (
            gettext("Siden findes ikke"),
            ngettext("%(num)d besvaret", "%(num)d besvaret", 2),
            str(CONCERN_LEVELS["hoej"]),
        )

    with app.test_request_context("/", headers={"Cookie": f"{COOKIE_NAME}=en"}):
        app.preprocess_request()
        english = texts()
        with force_locale("da"):
            danish = texts()
        assert texts() == english
    assert english == ("Page not found", "2 answered", "High")
    assert danish == ("Siden findes ikke", "2 besvaret", "Høj")
