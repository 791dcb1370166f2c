"""An English page shows no Danish from the interface's own catalogue (issue 34 item 10).

Every msgid whose English differs is Danish interface text; a long enough piece of one (so it cannot
be a name or a word both languages share) must not be in the visible text of an English page. What
was signed stays Danish and says so with lang="da" (correct HTML too), so elements marked that way
are skipped, and so are scripts and styles.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from assessment_factories import make_published
from babel.messages.pofile import read_po
from factories import login, make_user

from app.extensions import db
from app.i18n import COOKIE_NAME

CATALOGUE = Path(__file__).resolve().parent.parent / "app/translations/en/LC_MESSAGES/messages.po"
MIN_LENGTH = 12  # shorter pieces ("Gem", "Forslag") could be names or shared words
PIECE = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]*>|\{\w*\}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "template"}


def _squash(text: str) -> str:
    return " ".join(text.split())


def danish_pieces() -> set[str]:
    """The catalogue's Danish: each translated msgid cut at its placeholders and markup, the pieces
    of at least MIN_LENGTH characters that no English translation contains."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    english, pieces = [], set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        english.extend(_squash(s) for s in strings)
        if set(ids) == set(strings):
            continue
        for msgid in ids:
            pieces.update(_squash(p) for p in PIECE.split(msgid) if len(_squash(p)) >= MIN_LENGTH)
    everything_english = "\n".join(english)
    return {p for p in pieces if p not in everything_english}


class VisibleText(HTMLParser):
    """The text a reader sees, without elements in lang="da" (signed, or the think tank's) and
    without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.parts: list[str] = []

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        skip = self.skipping() or tag in SKIPPED or dict(attrs).get("lang") == "da"
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):  # tolerate an unclosed <p> or <li>
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return _squash(" ".join(parser.parts))


def danish_on(html: str, pieces: set[str]) -> list[str]:
    """The catalogue's Danish pieces on the page, and any Danish opening quotation mark („)."""
    text = visible_text(html)
    return sorted(p for p in pieces if p in text) + (["„"] if "„" in text else [])


def test_the_check_finds_danish_and_skips_what_is_marked_danish():
    pieces = {"Vurderingen er offentliggjort", "Log over ændringer"}
    page = (
        '<html lang="en"><body><h1>Log over ændringer</h1>'
        '<section lang="da"><p>Vurderingen er offentliggjort</p></section>'
        "<script>var x = 'Vurderingen er offentliggjort';</script></body></html>"
    )
    assert danish_on(page, pieces) == ["Log over ændringer"]
    assert danish_on('<p>Status „Udkast“</p><p lang="da">„Udkast“</p>', set()) == ["„"]
    assert "Log over ændringer" in danish_pieces()  # a real msgid with an English translation
    assert "Etikdialog" not in danish_pieces()  # a name, in both languages


@pytest.fixture
def english_pages(app, client):
    assessment = make_published(title="Nattilsyn med sensorer")
    editor = make_user(assessment.organisation, role="editor")
    db.session.commit()
    public_id = assessment.public_id
    public = ["/", "/vurderinger", "/vurderinger?teknologi=mobilitetsteknologi&omraade=social-og-sundhed"]
    public += [f"/vurderinger/{public_id}", "/teknologier/mobilitetsteknologi", "/teknologier", "/hoeringer"]
    public.append(f"/verificer?kode={assessment.signed_record.verification_code}")
    tails = ("", "/forslag", "/beslutning", "/log", "/opfoelgning")
    board = [f"/intern/vurderinger/{public_id}{tail}" for tail in tails] + ["/intern/", "/intern/genbrug/"]
    return public, board, editor


def test_english_pages_show_no_danish_from_the_interface_catalogue(client, english_pages):
    public, board, editor = english_pages
    pieces = danish_pieces()
    client.set_cookie(COOKIE_NAME, "en")
    found = {}
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        if danish := danish_on(response.get_data(as_text=True), pieces):
            found[url] = danish
    login(client, editor)
    client.set_cookie(COOKIE_NAME, "en")
    for url in board:
        response = client.get(url)
        assert response.status_code == 200, url
        if danish := danish_on(response.get_data(as_text=True), pieces):
            found[url] = danish
    assert found == {}, "\n".join(f"{url}: {danish}" for url, danish in found.items())


def test_categories_and_areas_read_in_english_where_the_interface_names_them(app, client):
    assessment = make_published(title="Nattilsyn med sensorer", technology_category="mobilitetsteknologi")
    editor = make_user(assessment.organisation, role="editor")
    db.session.commit()
    danish_list = client.get("/vurderinger").get_data(as_text=True)
    assert ">Mobilitetsteknologi</option>" in danish_list and ">Social og sundhed</option>" in danish_list
    client.set_cookie(COOKIE_NAME, "en")
    english_list = client.get("/vurderinger").get_data(as_text=True)
    assert ">Mobility technology</option>" in english_list and ">Social care and health</option>" in english_list
    assert ">Mobilitetsteknologi</option>" not in english_list
    assert "· Mobility technology</p>" in english_list  # the list item's category
    assert "<h1>Mobility technology</h1>" in client.get("/teknologier/mobilitetsteknologi").get_data(as_text=True)
    record_page = client.get(f"/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert "(Mobilitetsteknologi)" in record_page  # what was signed stays Danish
    login(client, editor)
    client.set_cookie(COOKIE_NAME, "en")
    form = client.get(f"/intern/vurderinger/{assessment.public_id}/forslag").get_data(as_text=True)
    assert "Mobility technology" in form and "Mobilitetsteknologi" not in form


def test_the_log_reads_in_the_readers_language_and_keeps_danish_stored(app, client):
    from sqlalchemy import select

    from app.audit.models import AuditEvent

    assessment = make_published(title="Nattilsyn med sensorer")
    editor = make_user(assessment.organisation, role="editor")
    db.session.commit()
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/log"
    danish_log = client.get(url).get_data(as_text=True)  # all of it lang="da"
    assert "Vurderingen er offentliggjort" in danish_log and "Status: Drøftelse → Afventer underskrift" in danish_log
    client.set_cookie(COOKIE_NAME, "en")
    english_log = visible_text(client.get(url).get_data(as_text=True))
    assert "Assessment published" in english_log and "Vurderingen er offentliggjort" not in english_log
    assert "Status: Deliberation → Awaiting signatures" in english_log
    assert "Assessment “Nattilsyn med sensorer” created" in english_log
    stored = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "publication.published")).one()
    assert stored.summary == "Vurderingen er offentliggjort"  # the column keeps the Danish line
    old = AuditEvent(assessment_id=assessment.id, organisation_id=assessment.organisation_id, action="x", summary="Før")
    db.session.add(old)
    db.session.commit()
    assert old.text() == "Før"  # a line stored before keeps its text


def test_a_line_keeps_labels_and_dates_for_each_reader(app):
    from datetime import date

    from flask_babel import lazy_gettext

    from app.audit.models import AuditEvent
    from app.audit.services import SYSTEM, record
    from app.core.formatting import danish_date
    from app.i18n import line

    opens, closes = date(2027, 3, 1), date(2027, 3, 29)
    with app.test_request_context():
        event = record(
            "test.line",
            line("Status: %(source)s → %(target)s", source=lazy_gettext("Udkast"), target=lazy_gettext("Drøftelse")),
            user=SYSTEM,
        )
        dated = record(
            "test.dated", line("Høring fra %(opens)s til %(closes)s", opens=opens, closes=closes), user=SYSTEM
        )
        assert event.summary == "Status: Udkast → Drøftelse"
        assert dated.summary == f"Høring fra {danish_date(opens)} til {danish_date(closes)}"
        assert event.detail["line"]["values"]["source"] == {"label": "Udkast"}
        assert event.text() == "Status: Udkast → Drøftelse"
    with app.test_request_context(headers={"Cookie": f"{COOKIE_NAME}=en"}):
        assert event.text() == "Status: Draft → Deliberation"
        assert dated.text() == "Consultation from 1 March 2027 to 29 March 2027"
        broken = AuditEvent(
            action="x", summary="Gemt", detail={"line": {"msgid": "%(missing)s gemt", "values": {"other": 1}}}
        )
        assert broken.text() == "Gemt"  # a line the catalogue no longer fits shows the stored text
