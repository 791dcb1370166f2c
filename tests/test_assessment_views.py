"""The board's pages over HTTP: creating, saving with conflicts, bad input, access, transitions."""

import pytest
from factories import hidden, login, make_org, make_user
from minimal_content import write_minimal_content

from app.assessments import services
from app.assessments.models import Assessment, AssessmentQuestion
from app.content.loader import get_content
from app.extensions import db


@pytest.fixture(scope="module")
def minimal_content_dir(tmp_path_factory):
    return write_minimal_content(tmp_path_factory.mktemp("content"))


@pytest.fixture
def app_overrides(minimal_content_dir):
    return {"CONTENT_DIR": str(minimal_content_dir)}


@pytest.fixture
def editor(org):
    return make_user(org, role="editor", name="Sekretær Sørensen")


@pytest.fixture
def member(org):
    return make_user(org, role="member", name="Medlem Mortensen")


@pytest.fixture
def assessment(editor):
    created = services.create_assessment(
        user=editor, title="Sensorer om natten", dilemma_ids=["dilemma-privatliv"], content=get_content()
    )
    db.session.commit()
    return created


def question_url(assessment, question_id="privatliv-beskyttelse"):
    return f"/intern/vurderinger/{assessment.public_id}/spoergsmaal/{question_id}"


# --- Creating ------------------------------------------------------------------------------


def test_editor_creates_an_assessment_and_lands_on_the_proposal(client, editor):
    login(client, editor)
    response = client.post("/intern/vurderinger/ny", data={"title": "Skærmbesøg", "dilemmas": ["dilemma-privatliv"]})
    assert response.status_code == 302
    created = db.session.scalar(db.select(Assessment).where(Assessment.title == "Skærmbesøg"))
    assert response.headers["Location"].endswith(f"/intern/vurderinger/{created.public_id}/forslag")
    assert {q.question_id for q in created.questions} == {"central-vaerdi", "privatliv-beskyttelse"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Udfyld feltet."),
        ({"title": "x" * 201}, "Teksten må højst være 200 tegn."),
        ({"title": "Gyldig", "dilemmas": ["findes-ikke"]}, "Vælg en af mulighederne."),
    ],
)
def test_creating_with_bad_input_keeps_the_text(client, editor, data, message):
    login(client, editor)
    response = client.post("/intern/vurderinger/ny", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if data["title"]:
        assert data["title"][:50] in html
    assert db.session.scalar(db.select(db.func.count(Assessment.id))) == 0


def test_member_cannot_create(client, member):
    login(client, member)
    assert client.get("/intern/vurderinger/ny").status_code == 403
    assert client.post("/intern/vurderinger/ny", data={"title": "X"}).status_code == 403


# --- The proposal --------------------------------------------------------------------------


def proposal_form(client, assessment) -> dict:
    html = client.get(f"/intern/vurderinger/{assessment.public_id}/forslag").get_data(as_text=True)
    return {"title": assessment.title, "row_version": hidden(html, "row_version"), "base": hidden(html, "base")}


def test_purpose_before_technology(client, editor, assessment):
    login(client, editor)
    data = proposal_form(client, assessment) | {"technology_name": "Sengesensor"}
    response = client.post(f"/intern/vurderinger/{assessment.public_id}/forslag", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Formål før teknologi" in html
    assert "Sengesensor" in html  # what was typed comes back
    db.session.refresh(assessment)
    assert assessment.technology_name == ""

    data |= {"problem": "Uro om natten", "target_group": "Beboere på plejecentre"}
    response = client.post(f"/intern/vurderinger/{assessment.public_id}/forslag", data=data)
    assert response.status_code == 302
    db.session.refresh(assessment)
    assert assessment.technology_name == "Sengesensor"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_group_size", "mange", "Skriv et helt tal."),
        ("target_group_size", "-5", "Skriv et helt tal mellem 0 og 10.000.000."),
        ("problem", "x" * 5001, "Teksten må højst være 5.000 tegn."),
        ("case_number", "9" * 65, "Teksten må højst være 64 tegn."),
        ("participation", "tvang", "Vælg en af mulighederne."),
        ("title", "", "Udfyld feltet."),
    ],
)
def test_proposal_bad_input_gets_a_message_and_keeps_the_text(client, editor, assessment, field, value, message):
    login(client, editor)
    data = proposal_form(client, assessment) | {"problem": "Et problem", "target_group": "Nogen", field: value}
    response = client.post(f"/intern/vurderinger/{assessment.public_id}/forslag", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    if value and field not in ("participation",):
        assert value[:40] in html
    db.session.refresh(assessment)
    assert assessment.problem == ""


def test_member_sees_the_proposal_but_cannot_change_it(client, member, assessment):
    login(client, member)
    response = client.get(f"/intern/vurderinger/{assessment.public_id}/forslag")
    assert response.status_code == 200
    assert "data-autosave" not in response.get_data(as_text=True)
    response = client.post(
        f"/intern/vurderinger/{assessment.public_id}/forslag",
        data={"title": "Kapret", "row_version": str(assessment.row_version), "problem": "x", "target_group": "y"},
    )
    assert response.status_code == 403
    db.session.refresh(assessment)
    assert assessment.title == "Sensorer om natten"


# --- Saving never loses a word -------------------------------------------------------------


def test_two_people_editing_the_same_field_get_a_conflict_not_an_overwrite(app, editor, assessment):
    first, second = app.test_client(), app.test_client()
    other_editor = make_user(editor.organisation, role="editor", name="Anden Sekretær")
    login(first, editor)
    login(second, other_editor)
    url = question_url(assessment)
    form_first = first.get(url).get_data(as_text=True)
    form_second = second.get(url).get_data(as_text=True)

    saved = second.post(
        url,
        data={
            "row_version": hidden(form_second, "row_version"),
            "base": hidden(form_second, "base"),
            "answer": "Svar fra den anden",
            "concern": "lav",
        },
    )
    assert saved.status_code == 302

    stale = first.post(
        url,
        data={
            "row_version": hidden(form_first, "row_version"),
            "base": hidden(form_first, "base"),
            "answer": "Mit eget svar",
            "concern": "lav",
        },
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Nogen har gemt en nyere udgave" in html
    assert "Mit eget svar" in html and "Svar fra den anden" in html
    row = db.session.scalar(db.select(AssessmentQuestion).filter_by(question_id="privatliv-beskyttelse"))
    db.session.refresh(row)
    assert row.answer == "Svar fra den anden"

    # The conflict page carries the new version: saving the merged text now goes through.
    merged = first.post(
        url,
        data={
            "row_version": hidden(html, "row_version"),
            "base": hidden(html, "base"),
            "answer": "Flettet svar",
            "concern": "lav",
        },
    )
    assert merged.status_code == 302
    db.session.refresh(row)
    assert row.answer == "Flettet svar"


def test_two_people_editing_different_fields_both_keep_their_text(app, editor, assessment):
    first, second = app.test_client(), app.test_client()
    login(first, editor)
    login(second, make_user(editor.organisation, role="editor"))
    url = question_url(assessment)
    form_first, form_second = first.get(url).get_data(as_text=True), second.get(url).get_data(as_text=True)
    assert (
        second.post(
            url,
            data={
                "row_version": hidden(form_second, "row_version"),
                "base": hidden(form_second, "base"),
                "answer": "Svaret",
            },
        ).status_code
        == 302
    )
    assert (
        first.post(
            url,
            data={
                "row_version": hidden(form_first, "row_version"),
                "base": hidden(form_first, "base"),
                "discussion": "Referatet",
            },
        ).status_code
        == 302
    )
    row = db.session.scalar(db.select(AssessmentQuestion).filter_by(question_id="privatliv-beskyttelse"))
    db.session.refresh(row)
    assert (row.discussion, row.answer) == ("Referatet", "Svaret")


def test_a_question_saves_only_the_fields_its_page_edits(editor, assessment):
    """The never-editable `notes` column is gone (it was never shown): a save naming it is refused,
    and the page's fields are exactly what the service accepts."""
    row = assessment.questions[0]
    assert not hasattr(row, "notes")
    with pytest.raises(services.AssessmentError, match="Ukendte felter"):
        services.save_question(row, {"notes": "Noter"}, expected_version=None, user=editor)
    assert services.save_question(
        row, {"discussion": "Referat", "answer": "Svar", "concern": "lav"}, expected_version=None, user=editor
    ) == ["discussion", "answer", "concern"]


def test_background_save_answers_json_and_reports_conflicts(client, editor, assessment):
    login(client, editor)
    url = question_url(assessment)
    html = client.get(url).get_data(as_text=True)
    version, base = hidden(html, "row_version"), hidden(html, "base")
    headers = {"X-Autosave": "1"}
    saved = client.post(
        url, data={"row_version": version, "base": base, "discussion": "Første udkast"}, headers=headers
    )
    assert saved.status_code == 200
    body = saved.get_json()
    assert body["status"] == "saved" and body["row_version"] == int(version) + 1
    from datetime import datetime, timedelta

    from app.core.formatting import DANISH_TIME

    now = datetime.now(DANISH_TIME)  # "Gemt kl." speaks Danish time, not UTC
    assert body["saved_at"] in {(now - timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)}

    # A stale save of the same field with different text is a reported conflict.
    stale = client.post(url, data={"row_version": version, "base": base, "discussion": "Andet udkast"}, headers=headers)
    assert stale.status_code == 409
    assert stale.get_json()["fields"][0]["theirs"] == "Første udkast"

    invalid = client.post(url, data={"row_version": body["row_version"], "concern": "katastrofe"}, headers=headers)
    assert invalid.status_code == 422
    assert invalid.get_json()["status"] == "invalid"


def test_question_page_shows_question_explanation_and_progress_changes(client, editor, assessment):
    login(client, editor)
    overview = f"/intern/vurderinger/{assessment.public_id}"
    assert 'data-section="dilemma-privatliv">0 af 1' in client.get(overview).get_data(as_text=True)
    html = client.get(question_url(assessment)).get_data(as_text=True)
    assert "Hvordan beskyttes privatlivet?" in html and "Forklaringen." in html
    client.post(
        question_url(assessment),
        data={
            "row_version": hidden(html, "row_version"),
            "base": hidden(html, "base"),
            "answer": "Det gør vi sådan",
            "concern": "middel",
        },
    )
    assert 'data-section="dilemma-privatliv">1 af 1' in client.get(overview).get_data(as_text=True)


def test_member_comments_beside_a_question(client, member, assessment):
    login(client, member)
    response = client.post(question_url(assessment) + "/kommentarer", data={"body": "<b>Husk</b> de pårørende"})
    assert response.status_code == 302
    html = client.get(question_url(assessment)).get_data(as_text=True)
    assert "&lt;b&gt;Husk&lt;/b&gt; de pårørende" in html
    too_long = client.post(question_url(assessment) + "/kommentarer", data={"body": "x" * 4001}, follow_redirects=True)
    assert "Teksten må højst være 4.000 tegn." in too_long.get_data(as_text=True)


def test_member_records_a_position_and_dissent(client, member, assessment):
    login(client, member)
    url = f"/intern/vurderinger/{assessment.public_id}/holdning"
    refused = client.post(url, data={"stance": "enig", "dissent": "Men alligevel"})
    assert refused.status_code == 422
    assert "kun skrives, hvis du er uenig" in refused.get_data(as_text=True)
    assert client.post(url, data={"stance": "uenig", "dissent": "For meget overvågning"}).status_code == 302
    assert assessment.positions[0].dissent == "For meget overvågning"


def test_decision_date_out_of_range_and_action_bounds(client, editor, assessment):
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/beslutning"
    html = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "row_version": hidden(html, "row_version"),
            "base": hidden(html, "base"),
            "decision": "anbefales",
            "review_date": "1999-01-01",
        },
    )
    assert response.status_code == 422
    assert "Vælg en dato mellem år 2000 og 2100." in response.get_data(as_text=True)
    response = client.post(
        url, data={"row_version": hidden(html, "row_version"), "decision": "anbefales", "review_date": "ikke-en-dato"}
    )
    assert response.status_code == 422
    action = client.post(
        f"/intern/vurderinger/{assessment.public_id}/handlinger",
        data={"description": "", "status": "planlagt", "is_condition": "nej"},
    )
    assert action.status_code == 422
    assert "Udfyld feltet." in action.get_data(as_text=True)
    added = client.post(
        f"/intern/vurderinger/{assessment.public_id}/handlinger",
        data={
            "description": "Evaluer efter et år",
            "status": "planlagt",
            "is_condition": "ja",
            "owner": "Sekretariatet",
            "due_date": "2027-06-01",
        },
    )
    assert added.status_code == 302
    assert assessment.actions[0].is_condition is True


# --- Access --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, assessment):
    response = client.get(f"/intern/vurderinger/{assessment.public_id}")
    assert response.status_code == 302
    assert "/intern/login" in response.headers["Location"]


def test_missing_or_foreign_assessment_is_404(client, assessment):
    stranger = make_user(make_org("Andeby Kommune"), role="admin")
    login(client, stranger)
    assert client.get(f"/intern/vurderinger/{assessment.public_id}").status_code == 404
    assert client.get(question_url(assessment)).status_code == 404
    assert client.get("/intern/vurderinger/findes-ikke").status_code == 404
    assert assessment.title not in client.get("/intern/").get_data(as_text=True)


def test_transition_says_what_is_missing_and_then_succeeds(client, editor, assessment):
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/status"
    response = client.post(url, data={"transition": "start_deliberation"}, follow_redirects=True)
    assert "Forslaget mangler" in response.get_data(as_text=True)
    assert assessment.status == "draft"

    from assessment_factories import complete_proposal

    complete_proposal(assessment, editor)
    db.session.commit()
    response = client.post(url, data={"transition": "start_deliberation"}, follow_redirects=True)
    assert "Status er nu „Drøftelse“" in response.get_data(as_text=True)
    db.session.refresh(assessment)
    assert assessment.status == "deliberation"


def test_member_cannot_change_status(client, member, assessment):
    login(client, member)
    response = client.post(
        f"/intern/vurderinger/{assessment.public_id}/status", data={"transition": "start_deliberation"}
    )
    assert response.status_code == 403
