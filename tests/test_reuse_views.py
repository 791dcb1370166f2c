"""Starting a draft from another municipality's record over HTTP: access, CSRF, hostile input, the
marks on the board's pages and the count on the source's public page."""

from __future__ import annotations

import re

import pytest
from assessment_factories import make_published, make_signed
from factories import login, make_org, make_user
from sqlalchemy import func, select

from app.assessments.models import Assessment
from app.extensions import db
from app.reuse.models import ReuseConfirmation, ReuseLink


@pytest.fixture
def source(app):
    return make_published(make_org("Odense Kommune"), title="GPS til borgere med demens")


@pytest.fixture
def editor(app):
    return make_user(make_org("Esbjerg Kommune"), role="editor")


def drafts() -> int:
    return db.session.scalar(select(func.count()).select_from(ReuseLink))


def test_an_editor_starts_a_draft_and_sees_the_marks(client, source, editor):
    login(client, editor)
    listing = client.get("/intern/genbrug/")
    assert listing.status_code == 200 and "GPS til borgere med demens" in listing.text
    page = client.get(f"/intern/genbrug/{source.public_id}")
    assert page.status_code == 200
    assert 'value="GPS til borgere med demens"' in page.text
    response = client.post(f"/intern/genbrug/{source.public_id}", data={"title": "GPS i Esbjerg"})
    assert response.status_code == 302
    draft = db.session.scalar(select(Assessment).where(Assessment.title == "GPS i Esbjerg"))
    assert draft.organisation_id == editor.organisation_id
    proposal = client.get(f"/intern/vurderinger/{draft.public_id}/forslag")
    assert proposal.text.count("Overtaget fra Odense Kommune, version 1") > 10
    overview = client.get(f"/intern/vurderinger/{draft.public_id}")
    assert "felter er overtaget og hverken bekræftet eller rettet endnu" in overview.text
    assert "overtagne felter ikke bekræftet" in overview.text  # the progress list: not done
    # The five reviews are all filled in (taken over), yet the section is not "Færdig" until read.
    reviews = re.search(r'data-section="anbefalinger">5 af 5</span>(.*?)</li>', overview.text, re.S)
    assert reviews and "Færdig" not in reviews.group(1) and "10 overtagne felter ikke bekræftet" in reviews.group(1)
    decision = client.get(f"/intern/vurderinger/{draft.public_id}/beslutning")
    assert "Overtaget fra Odense Kommune, version 1" in decision.text


def test_the_dashboard_offers_it_to_editors_only(client, source, editor):
    login(client, editor)
    assert "/intern/genbrug/" in client.get("/intern/").text
    client.post("/intern/logout")
    member = make_user(editor.organisation, role="member")
    login(client, member)
    assert "/intern/genbrug/" not in client.get("/intern/").text
    assert client.get("/intern/genbrug/").status_code == 403
    assert client.get(f"/intern/genbrug/{source.public_id}").status_code == 403
    assert client.post(f"/intern/genbrug/{source.public_id}", data={"title": "X"}).status_code == 403
    assert drafts() == 0


def test_anonymous_is_sent_to_log_in(client, source):
    response = client.post(f"/intern/genbrug/{source.public_id}", data={"title": "X"})
    assert response.status_code == 302 and "/intern/login" in response.location
    assert drafts() == 0


def test_the_own_municipality_is_told_to_reopen_instead(client, source):
    login(client, make_user(source.organisation, role="editor"))
    page = client.get(f"/intern/genbrug/{source.public_id}")
    assert page.status_code == 200 and "genåbn den som en ny version" in page.text
    assert 'name="title"' not in page.text
    response = client.post(f"/intern/genbrug/{source.public_id}", data={"title": "X"})
    assert response.status_code == 422 and drafts() == 0


def test_a_withdrawn_or_unpublished_record_is_refused(client, source, editor):
    from app.assessments import services as assessments

    unpublished = make_signed(make_org("Vejle Kommune"))
    assessments.transition(source, "withdraw", user=make_user(source.organisation, role="admin"), reason="Fejl")
    db.session.commit()
    login(client, editor)
    assert client.get(f"/intern/genbrug/{unpublished.public_id}").status_code == 404
    assert client.post(f"/intern/genbrug/{unpublished.public_id}", data={"title": "X"}).status_code == 404
    response = client.post(f"/intern/genbrug/{source.public_id}", data={"title": "X"})
    assert response.status_code == 422 and "trukket tilbage" in response.text
    assert "GPS til borgere med demens" not in client.get("/intern/genbrug/").text
    assert drafts() == 0


@pytest.mark.parametrize(
    "public_id",
    ["x" * 500, "../../etc/passwd", "%00", "'; DROP TABLE assessment; --", "<script>alert(1)</script>"],
)
def test_hostile_ids_are_not_found(client, editor, public_id):
    login(client, editor)
    assert client.get(f"/intern/genbrug/{public_id}").status_code == 404
    assert client.post(f"/intern/genbrug/{public_id}", data={"title": "X"}).status_code == 404


@pytest.mark.parametrize(
    "title, message",
    [
        ("", "Udfyld feltet."),
        ("x" * 201, "Teksten må højst være 200 tegn."),
        ("\x01\x07 ", "Udfyld feltet."),
    ],
)
def test_a_bad_title_comes_back_with_a_danish_message(client, source, editor, title, message):
    login(client, editor)
    response = client.post(f"/intern/genbrug/{source.public_id}", data={"title": title})
    assert response.status_code == 422
    assert message in response.text
    assert drafts() == 0


def test_markup_in_the_title_is_stored_as_text_and_escaped(client, source, editor):
    login(client, editor)
    title = '<script>alert("x")</script> GPS\x07'
    assert client.post(f"/intern/genbrug/{source.public_id}", data={"title": title}).status_code == 302
    draft = db.session.scalar(select(Assessment).where(Assessment.organisation_id == editor.organisation_id))
    assert draft.title == '<script>alert("x")</script> GPS'
    page = client.get(f"/intern/vurderinger/{draft.public_id}")
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text


def test_search_input_is_bounded_and_harmless(client, source, editor):
    login(client, editor)
    for query in ("%", "_", "\\", "x" * 5000, "' OR 1=1 --", "GPS demens"):
        response = client.get("/intern/genbrug/", query_string={"q": query})
        assert response.status_code == 200
    assert "GPS til borgere med demens" in client.get("/intern/genbrug/", query_string={"q": "gps"}).text
    assert "GPS til borgere med demens" not in client.get("/intern/genbrug/", query_string={"q": "%"}).text


def test_another_municipality_cannot_reach_the_draft(client, source, editor):
    login(client, editor)
    client.post(f"/intern/genbrug/{source.public_id}", data={"title": "GPS i Esbjerg"})
    draft = db.session.scalar(select(Assessment).where(Assessment.title == "GPS i Esbjerg"))
    client.post("/intern/logout")
    login(client, make_user(source.organisation, role="admin"))
    assert client.get(f"/intern/vurderinger/{draft.public_id}").status_code == 404
    assert client.get(f"/intern/vurderinger/{draft.public_id}/forslag").status_code == 404


def test_the_public_page_counts_drafts_and_names_no_unpublished_municipality(client, app, source, editor):
    page = client.get(f"/vurderinger/{source.public_id}")
    assert "har bygget videre" not in page.text
    login(client, editor)
    # The public page offers the start to an editor of another municipality.
    assert f"/intern/genbrug/{source.public_id}" in client.get(f"/vurderinger/{source.public_id}").text
    client.post(f"/intern/genbrug/{source.public_id}", data={"title": "Hemmelig titel i Esbjerg"})
    client.post("/intern/logout")
    page = client.get(f"/vurderinger/{source.public_id}")  # the cached page follows the new draft
    assert "1 kommune har bygget videre på denne vurdering." in page.text
    assert "Esbjerg" not in page.text and "Hemmelig titel" not in page.text
    assert f"/intern/genbrug/{source.public_id}" not in page.text


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_the_start_form_needs_its_csrf_token(client, source, editor):
    login_page = client.get("/intern/login")
    assert login_page.status_code == 200
    from factories import hidden

    client.post(
        "/intern/login",
        data={
            "email": editor.email,
            "password": "korrekt-hest-batteri-9",
            "csrf_token": hidden(login_page.text, "csrf_token"),
        },
    )
    response = client.post(f"/intern/genbrug/{source.public_id}", data={"title": "Uden token"})
    assert response.status_code == 400
    page = client.get(f"/intern/genbrug/{source.public_id}")
    ok = client.post(
        f"/intern/genbrug/{source.public_id}",
        data={"title": "Med token", "csrf_token": hidden(page.text, "csrf_token")},
    )
    assert ok.status_code == 302
    assert drafts() == 1


# --- Confirming what was taken over ---------------------------------------------------------------


@pytest.fixture
def draft(client, source, editor):
    login(client, editor)
    client.post(f"/intern/genbrug/{source.public_id}", data={"title": "GPS i Esbjerg"})
    return db.session.scalar(select(Assessment).where(Assessment.title == "GPS i Esbjerg"))


def confirmations() -> int:
    return db.session.scalar(select(func.count()).select_from(ReuseConfirmation))


def test_a_field_and_a_section_are_confirmed_from_the_proposal_page(client, draft, editor):
    url = f"/intern/genbrug/vurderinger/{draft.public_id}/bekraeft"
    page = client.get(f"/intern/vurderinger/{draft.public_id}/forslag")
    assert 'form="reuse-confirm" name="field" value="proposal:problem"' in page.text
    assert 'name="section" value="proposal:formaal"' in page.text and "Bekræft alle i dette afsnit" in page.text
    proposal_page = f"/intern/vurderinger/{draft.public_id}/forslag"
    response = client.post(url, data={"field": "proposal:problem", "next": proposal_page})
    assert response.status_code == 302 and response.location.endswith(f"{proposal_page}#problem")
    assert confirmations() == 1
    page = client.get(proposal_page)
    assert "1 felt er bekræftet." in page.text
    assert f"Bekræftet af {editor.name}" in page.text
    assert 'value="proposal:problem"' not in page.text
    response = client.post(url, data={"section": "proposal:teknologi", "next": proposal_page})
    assert response.location.endswith(f"{proposal_page}#bekraeft-proposal-teknologi")
    assert confirmations() > 1
    overview = client.get(f"/intern/vurderinger/{draft.public_id}")
    assert "„Send til underskrift“" not in overview.text or "hverken bekræftet eller rettet" in overview.text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"field": "proposal:case_number"}, "Feltet er ikke overtaget fra Odense Kommune"),
        ({"field": "x" * 201}, "Teksten må højst være 200 tegn."),
        ({"field": "proposal:problem", "section": "actions"}, "Vælg ét felt eller ét afsnit"),
        ({}, "Vælg ét felt eller ét afsnit"),
        ({"section": "proposal:<script>"}, "Afsnittet har ingen felter overtaget"),
        ({"field": "review:\x01:status"}, "Feltet er ikke overtaget"),
        ({"field": "proposal:problem", "next": "https://evil.example/"}, None),
        ({"field": "proposal:problem", "next": "x" * 600}, "Teksten må højst være 500 tegn."),
    ],
)
def test_bad_input_gets_a_danish_message_and_no_500(client, draft, data, message):
    response = client.post(f"/intern/genbrug/vurderinger/{draft.public_id}/bekraeft", data=data)
    assert response.status_code == 302
    assert response.location.startswith(f"/intern/vurderinger/{draft.public_id}")  # never elsewhere
    page = client.get(response.location)
    assert page.status_code == 200
    if message:
        assert message in page.text
        assert confirmations() == 0


def test_confirming_is_for_the_drafts_own_municipality_and_its_editors(client, draft, source, editor):
    url = f"/intern/genbrug/vurderinger/{draft.public_id}/bekraeft"
    client.post("/intern/logout")
    login(client, make_user(editor.organisation, role="member"))
    assert client.post(url, data={"field": "proposal:problem"}).status_code == 403
    assert 'form="reuse-confirm"' not in client.get(f"/intern/vurderinger/{draft.public_id}/forslag").text
    client.post("/intern/logout")
    login(client, make_user(source.organisation, role="admin"))
    assert client.post(url, data={"field": "proposal:problem"}).status_code == 404
    client.post("/intern/logout")
    assert client.post(url, data={"field": "proposal:problem"}).status_code == 302  # to the login page
    assert confirmations() == 0


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_confirming_needs_the_csrf_token(client, source, editor):
    from factories import hidden

    login_page = client.get("/intern/login")
    client.post(
        "/intern/login",
        data={
            "email": editor.email,
            "password": "korrekt-hest-batteri-9",
            "csrf_token": hidden(login_page.text, "csrf_token"),
        },
    )
    page = client.get(f"/intern/genbrug/{source.public_id}")
    client.post(
        f"/intern/genbrug/{source.public_id}",
        data={"title": "Med token", "csrf_token": hidden(page.text, "csrf_token")},
    )
    draft = db.session.scalar(select(Assessment).where(Assessment.title == "Med token"))
    url = f"/intern/genbrug/vurderinger/{draft.public_id}/bekraeft"
    response = client.post(url, data={"field": "proposal:problem"})
    assert response.status_code in (302, 400) and confirmations() == 0
    proposal = client.get(f"/intern/vurderinger/{draft.public_id}/forslag")
    client.post(url, data={"field": "proposal:problem", "csrf_token": hidden(proposal.text, "csrf_token")})
    assert confirmations() == 1


def test_the_question_page_shows_the_sources_answer_to_read_only(client, draft):
    row = draft.questions[0]
    page = client.get(f"/intern/vurderinger/{draft.public_id}/spoergsmaal/{row.question_id}")
    assert page.status_code == 200
    assert "Sådan svarede Odense Kommune" in page.text and "Udvalgets svar." in page.text
    assert row.answer == ""  # shown, not copied
