"""The English interface: a complete catalogue, no unmarked text, a remembered language choice.

Danish is the source language (the msgids); English is the one catalogue. The think tank's
material and the boards' texts stay Danish, with a note saying so.
"""

import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from factories import login, make_org, make_user

from app.i18n import COOKIE_NAME

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app/translations/en/LC_MESSAGES/messages.po"
TEMPLATES = sorted((ROOT / "app").rglob("templates/**/*.html"))


def english_catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def extracted_message_ids() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "line": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_english_message_is_translated_and_none_is_fuzzy():
    catalogue = english_catalogue()
    gaps = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            gaps.append(message.id)
    assert gaps == []


def test_every_marked_string_is_in_the_catalogue():
    catalogue = english_catalogue()
    known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue if m.id}
    assert sorted(extracted_message_ids() - known) == []


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\(\w+\)s|\{\w*\}")
    for message in english_catalogue():
        if not message.id or isinstance(message.id, tuple):
            continue
        assert sorted(placeholder.findall(message.id)) == sorted(placeholder.findall(message.string)), message.id


# Text a template may show without marking: names, not words of either language.
UNTRANSLATED_WORDS = {
    "Etikdialog",
    "English",
    "Dansk",
    "PDF",
    "JSON",
    "CSV",
    "API",
    "Atom",
    "SHA-256",
    "KL",
    "Ctrl",
    "Enter",
    "Esc",
    "E",
    "F",
    "N",
    "T",
}  # key names on the keyboard
TRANSLATABLE_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')


def unmarked_text(source: str) -> list[str]:
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    source = re.sub(r"{%.*?%}", "", source, flags=re.S)
    source = re.sub(r"{{.*?}}", "", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", "", source, flags=re.S)
    found = [value for value in TRANSLATABLE_ATTRIBUTES.findall(source) if re.search(r"[^\W\d_]", value)]
    text = html.unescape(re.sub(r"<[^>]*>", " ", source))
    for chunk in re.split(r"\s{2,}|\n", text):
        words = [w for w in re.findall(r"[^\W\d_][\w'.-]*", chunk) if w.strip(".") not in UNTRANSLATED_WORDS]
        if words:
            found.append(chunk.strip())
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "app")))
def test_templates_have_no_unmarked_text(template):
    assert unmarked_text(template.read_text(encoding="utf-8")) == []


def test_the_unmarked_text_check_can_fail():
    assert unmarked_text('<p>Gem</p><a aria-label="Luk">{{ _("Åbn") }}</a>') == ["Luk", "Gem"]
    assert unmarked_text("<p>{{ _('Gem') }} {% if x %}{{ y }}{% endif %} Etikdialog</p>") == []


def english(client):
    client.set_cookie(COOKIE_NAME, "en")
    return client


def test_danish_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="da"' in page
    assert "Vurderinger" in page


def test_the_switch_remembers_english_and_goes_back(client):
    response = client.get("/sprog/en?next=/vurderinger?side=2")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/vurderinger?side=2")
    cookie = response.headers["Set-Cookie"]
    assert f"{COOKIE_NAME}=en" in cookie and "Max-Age=" in cookie and "HttpOnly" in cookie
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert ">Assessments<" in page and ">Vurderinger<" not in page
    assert "are in Danish" in page  # the note that the content stays Danish
    client.get("/sprog/da?next=/")
    assert '<html lang="da"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "evil"])
def test_the_switch_never_leaves_the_site(client, target):
    response = client.get("/sprog/en", query_string={"next": target})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_an_unknown_language_is_not_found(client):
    assert client.get("/sprog/xx").status_code == 404


def test_the_page_cache_keeps_languages_apart(app, client):
    app.config["PUBLIC_PAGE_CACHE"] = True
    danish = client.get("/vurderinger")
    english_page = english(client).get("/vurderinger")
    assert danish.headers["ETag"] != english_page.headers["ETag"]
    assert "Vurderinger" in danish.get_data(as_text=True)
    assert ">Assessments<" in english_page.get_data(as_text=True)


def test_form_errors_read_in_english(client):
    english(client)
    response = client.post("/intern/login", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert "This field is required" in page or "Fill in" in page
    assert "Udfyld feltet" not in page


def test_a_logged_in_board_member_reads_english(app, client):
    user = make_user(make_org("Hjemby Kommune"), role="editor")
    login(client, user)
    page = english(client).get("/intern/").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Log out" in page and "Log ud" not in page


def test_the_record_and_the_draft_pdf_stay_danish_for_an_english_reader(app, client):
    import io

    from assessment_factories import answer_everything, make_assessment
    from pypdf import PdfReader

    from app.content.loader import get_content
    from app.extensions import db
    from app.signoff import canonical

    editor = make_user(make_org("Hjemby Kommune"), role="editor")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    db.session.commit()
    login(client, editor)
    english(client)
    overview = client.get(f"/intern/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert '<html lang="en"' in overview and "Overview" in overview  # the interface is English
    pdf = client.get(f"/intern/vurderinger/{assessment.public_id}/udkast.pdf").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Gennemsigtighedserklæring" in text and "Anbefales med betingelser" in text
    assert "Recommended" not in text
    with app.test_request_context(headers={"Cookie": f"{COOKIE_NAME}=en"}):
        record = canonical.snapshot(assessment, content=get_content())
    assert record["decision"]["label"] == "Anbefales med betingelser"


def test_dates_on_pages_follow_the_language_and_stay_danish_in_the_record(app):
    from datetime import date, datetime

    from app.core.formatting import danish_date, local_date, local_datetime

    with app.test_request_context():
        assert local_date(date(2027, 12, 1)) == "1. december 2027"
    with app.test_request_context(headers={"Cookie": f"{COOKIE_NAME}=en"}):
        assert local_date(date(2027, 12, 1)) == "1 December 2027"
        assert local_datetime(datetime(2027, 6, 1, 10, 5)) == "1 June 2027 at 12:05"  # Danish summer time
        assert danish_date(date(2027, 12, 1)) == "1. december 2027"
        from app.assessments.forms import too_long

        assert str(too_long(5000)) == "The text may be at most 5,000 characters."
    with app.test_request_context():
        assert "5.000" in str(too_long(5000))


def test_stored_times_are_shown_in_danish_time(app):
    from datetime import datetime

    from app.core.formatting import danish_date, local_datetime

    late_evening_utc = datetime(2026, 12, 31, 23, 30)  # already New Year's Day in Copenhagen
    with app.test_request_context():
        assert local_datetime(late_evening_utc) == "1. januar 2027 kl. 00:30"
    assert danish_date(late_evening_utc) == "1. januar 2027"
