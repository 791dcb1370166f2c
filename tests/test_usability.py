"""Request-level usability: consultation set-up, Danish that reads well, the board's navigation."""

import re

import pytest
from assessment_factories import make_assessment
from consultation_factories import open_consultation
from factories import login, make_org, make_user

from app.content.loader import get_content
from app.extensions import db


@pytest.fixture
def editor(app):
    return make_user(make_org("Læseby Kommune"), role="editor")


@pytest.fixture
def assessment(editor):
    content = get_content()
    return make_assessment(editor, dilemma_ids=[d.id for d in content.dilemmas])


def test_a_new_consultation_ticks_no_question_and_names_each_questions_group(client, editor, assessment):
    login(client, editor)
    html = client.get(f"/intern/vurderinger/{assessment.public_id}/hoeringer/ny").get_data(as_text=True)
    boxes = re.findall(r'<input type="checkbox"[^>]*name="questions"[^>]*>', html)
    assert boxes and not [box for box in boxes if "checked" in box]
    assert "?:" not in html
    dilemma = next(q for q in assessment.questions if q.kind == "guiding")
    assert f"{dilemma.group_title} – {dilemma.text}" in html


def test_citizens_see_which_group_a_question_belongs_to(client, editor, assessment):
    texts = [q.text for q in assessment.questions]
    chosen = [q for q in assessment.questions if texts.count(q.text) > 1]  # central 6 and dilemma 3's third
    assert len(chosen) >= 2
    consultation = open_consultation(assessment, editor, question_ids=[q.question_id for q in assessment.questions])
    db.session.commit()
    html = client.get(f"/hoeringer/{consultation.public_id}").get_data(as_text=True)
    for question in chosen:
        assert f"{question.group_title} – {question.text}" in html
    assert "?:" not in html


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    from app.core.text import shorten

    assert shorten("Udvalget drøftede samtykke og værgen grundigt", 20) == "Udvalget drøftede…"
    assert shorten("Kort tekst", 20) == "Kort tekst"
    assert len(shorten("x" * 300, 80)) == 80


def test_the_audit_log_cuts_summaries_at_a_word_and_shows_danish_time(client, editor, assessment):
    from app.assessments import services

    row = assessment.questions[0]
    row.text = "Hvordan sikrer vi, at borgeren forstår " + "teknologien og dens konsekvenser " * 5
    services.add_comment(row, "En kommentar.", user=editor)
    db.session.commit()
    login(client, editor)
    html = client.get(f"/intern/vurderinger/{assessment.public_id}/log").get_data(as_text=True)
    assert "Tidspunkt (UTC)" not in html and '<th scope="col">Tidspunkt</th>' in html
    summary = re.search(r"Kommentar til „([^“]*)“", html).group(1)
    assert summary.endswith("…") and summary[:-1].endswith(("teknologien", "og", "dens", "konsekvenser"))


def test_a_question_never_saved_says_so(client, editor, assessment):
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/spoergsmaal/{assessment.questions[0].question_id}"
    html = client.get(url).get_data(as_text=True)
    assert "Ikke gemt endnu" in html and "Senest gemt" not in html


def test_counts_read_as_danish(client):
    from consultation_factories import make_signed_with_consultation

    from app.assessments import services

    signed, _consultation = make_signed_with_consultation(responses=[{"author_name": "Inge", "publish_name": True}])
    admin = make_user(signed.organisation, role="admin")
    services.transition(signed, "publish", user=admin)
    db.session.commit()
    html = client.get(f"/vurderinger/{signed.public_id}").get_data(as_text=True)
    assert "1 godkendt høringssvar" in html and "1 godkendte" not in html


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"


def test_board_breadcrumbs_have_one_root_and_separators(client, editor, assessment):
    login(client, editor)
    for url in ["/intern/konto", f"/intern/vurderinger/{assessment.public_id}/forslag"]:
        html = client.get(url).get_data(as_text=True)
        crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
        assert ">Mine vurderinger</a>" in crumbs and "Oversigt" not in crumbs
        assert "#chevron-right" in crumbs


def test_the_board_menu_has_my_assessments_and_the_side_menu_marks_the_page(client, editor, assessment):
    login(client, editor)
    html = client.get(f"/intern/vurderinger/{assessment.public_id}/forslag").get_data(as_text=True)
    assert 'href="/intern/" class="nav-link"><span>Mine vurderinger</span>' in html
    side = html.split('class="sidemenu"')[1].split("</ul>")[0]
    assert (
        'class="active current"><a href="/intern/vurderinger/' in side and 'aria-current="page"><span>Forslag' in side
    )


def test_meeting_followers_read_the_secretarys_question_and_others_cannot(app, editor, assessment):
    member = make_user(editor.organisation, role="member")
    stranger = make_user(make_org("Andenby Kommune"), role="editor")
    secretary, follower, outsider = app.test_client(), app.test_client(), app.test_client()
    login(secretary, editor), login(follower, member), login(outsider, stranger)
    url = f"/intern/vurderinger/{assessment.public_id}/moede"
    assert follower.get(f"{url}/aktuelt").get_json() == {"question_id": None}
    question = assessment.questions[2].question_id
    assert secretary.get(f"{url}/{question}").status_code == 200
    follower.get(f"{url}/{assessment.questions[0].question_id}")  # a member's visit moves nobody
    assert follower.get(f"{url}/aktuelt").get_json() == {
        "question_id": question,
        "url": f"{url}/{question}",
    }
    assert outsider.get(f"{url}/aktuelt").status_code == 404


def test_the_deliberation_chart_and_its_table_on_the_public_page_and_the_overview(client):
    from assessment_factories import make_published

    published = make_published(make_org("Billedby Kommune"))
    html = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    chart = html.split('class="deliberation-chart"')[1].split("</figure>")[0]
    questions = published.questions
    assert chart.count('class="chart-bar concern-lav"') == len(questions)  # the factory answers "lav"
    table = chart.split("<tbody>")[1].split("</tbody>")[0]
    assert table.count("<tr>") == len(questions) and "Lav" in table
    assert f"{len(questions)} spørgsmål: 0 høj, 0 middel, {len(questions)} lav" in chart
    assert chart.count('<li class="review-opfyldt">') == len(published.reviews) == 5

    editor = make_user(published.organisation, role="editor")
    login(client, editor)
    overview = client.get(f"/intern/vurderinger/{published.public_id}").get_data(as_text=True)
    assert 'class="deliberation-chart"' in overview


def test_every_id_on_the_question_and_decision_pages_is_unique(app, client, editor, assessment):
    """Two forms on one page each rendered id="csrf_token" (found by HTML_CodeSniffer)."""
    login(client, editor)
    app.config["WTF_CSRF_ENABLED"] = True  # the tokens are rendered only with protection on
    base = f"/intern/vurderinger/{assessment.public_id}"
    for url in (f"{base}/spoergsmaal/{assessment.questions[0].question_id}", f"{base}/beslutning"):
        html = client.get(url).get_data(as_text=True)
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert ids and len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))


def test_an_empty_verification_code_gets_a_danish_message(client):
    answer = client.get("/verificer?kode=+")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Skriv verifikationskoden fra dokumentets forside." in html and 'aria-invalid="true"' in html
    assert "Skriv verifikationskoden" not in client.get("/verificer").get_data(as_text=True)
