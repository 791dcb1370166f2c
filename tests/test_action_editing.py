"""Editing an action item: services.save_action and its page /handlinger/<id>, including bad input,
two editors at once, a member, and an assessment that is no longer editable."""

from datetime import date

import pytest
from assessment_factories import make_assessment, make_signed
from factories import hidden, login, make_user

from app.assessments import services
from app.assessments.models import Action
from app.audit.models import AuditEvent
from app.extensions import db


@pytest.fixture
def editor(org):
    return make_user(org, role="editor", name="Sekretær Sand")


@pytest.fixture
def action(editor):
    assessment = make_assessment(editor)
    row = services.add_action(
        assessment,
        {
            "description": "Evaluér ordningen efter et år.",
            "owner": "Leder af Sundhed og Omsorg",
            "due_date": date(2027, 6, 1),
            "is_condition": False,
            "status": "planlagt",
        },
        user=editor,
    )
    db.session.commit()
    return row


def url(action) -> str:
    return f"/intern/vurderinger/{action.assessment.public_id}/handlinger/{action.id}"


def form_from(page: str, **values) -> dict:
    fields = {
        "description": "Evaluér ordningen efter et år.",
        "owner": "Leder af Sundhed og Omsorg",
        "due_date": "2027-06-01",
        "status": "planlagt",
        "is_condition": "nej",
    }
    return {
        "row_version": hidden(page, "row_version"),
        "base": hidden(page, "base"),
        **fields,
        **values,
    }


def saved_events(action) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "action.saved")))


def test_an_editor_changes_every_field_through_the_page(client, editor, action):
    login(client, editor)
    page = client.get(url(action)).get_data(as_text=True)
    assert "Evaluér ordningen efter et år." in page
    response = client.post(
        url(action),
        data=form_from(
            page,
            description="Evaluér efter seks måneder.",
            owner="Sygeplejefaglig leder",
            due_date="2027-03-01",
            status="i_gang",
            is_condition="ja",
        ),
    )
    assert response.status_code == 302
    assert response.location.endswith("/beslutning#handlingsplan")
    db.session.refresh(action)
    assert (action.description, action.owner, action.due_date, action.status, action.is_condition) == (
        "Evaluér efter seks måneder.",
        "Sygeplejefaglig leder",
        date(2027, 3, 1),
        "i_gang",
        True,
    )
    (event,) = saved_events(action)
    assert event.user_id == editor.id
    assert set(event.detail["fields"]) == {
        "description",
        "owner",
        "due_date",
        "status",
        "is_condition",
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"description": "  "}, "Udfyld feltet."),
        ({"description": "x" * 2001}, "Teksten må højst være 2.000 tegn."),
        ({"owner": "o" * 201}, "Teksten må højst være 200 tegn."),
        ({"due_date": "1999-12-31"}, "Vælg en dato mellem år 2000 og 2100."),
        ({"due_date": "i morgen"}, "Skriv en gyldig dato"),
        ({"status": "færdig"}, "Vælg en af mulighederne."),
        ({"is_condition": "måske"}, "Vælg en af mulighederne."),
    ],
)
def test_bad_input_comes_back_in_danish_with_what_was_typed(client, editor, action, values, message):
    login(client, editor)
    page = client.get(url(action)).get_data(as_text=True)
    typed_owner = "Den ansvarlige, som blev skrevet"
    response = client.post(url(action), data=form_from(page, **{"owner": typed_owner, **values}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    if "owner" not in values:
        assert typed_owner in html
    db.session.refresh(action)
    assert action.owner == "Leder af Sundhed og Omsorg"
    assert saved_events(action) == []


def test_a_stale_save_is_a_conflict_with_both_texts_not_an_overwrite(app, editor, action):
    first, second = app.test_client(), app.test_client()
    login(first, editor)
    login(second, make_user(editor.organisation, role="editor"))
    page_first, page_second = (
        first.get(url(action)).get_data(as_text=True),
        second.get(url(action)).get_data(as_text=True),
    )
    assert second.post(url(action), data=form_from(page_second, description="Den andens tekst")).status_code == 302
    stale = first.post(url(action), data=form_from(page_first, description="Min egen tekst"))
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Min egen tekst" in html and "Den andens tekst" in html
    db.session.refresh(action)
    assert action.description == "Den andens tekst"


def test_a_member_reads_the_item_but_may_not_change_it(app, client, editor, action):
    member = make_user(editor.organisation, role="member")
    login(client, member)
    page = client.get(url(action))
    assert page.status_code == 200
    assert "Evaluér ordningen efter et år." in page.get_data(as_text=True)
    as_editor = app.test_client()  # the form as an editor would post it, sent by the member
    login(as_editor, editor)
    form = form_from(as_editor.get(url(action)).get_data(as_text=True), description="Ændret")
    assert client.post(url(action), data=form).status_code == 403
    db.session.refresh(action)
    assert action.description == "Evaluér ordningen efter et år."


def test_a_signed_assessments_items_cannot_be_changed(org):
    signed = make_signed(org)
    editor = make_user(org, role="editor")
    row = db.session.scalars(db.select(Action).where(Action.assessment_id == signed.id)).first()
    with pytest.raises(services.NotEditable):
        services.save_action(row, {"description": "Ændret bagefter"}, expected_version=None, user=editor)


def test_saving_without_a_change_writes_nothing(editor, action):
    assert services.save_action(action, {"owner": action.owner}, expected_version=None, user=editor) == []
    assert saved_events(action) == []


def test_the_decision_page_lists_actions_with_edit_links_for_editors_only(client, org, editor, action):
    decision = f"/intern/vurderinger/{action.assessment.public_id}/beslutning"
    login(client, editor)
    page = client.get(decision).get_data(as_text=True)
    assert "Evaluér ordningen efter et år." in page
    assert f'href="{url(action)}"' in page
    assert f"{url(action)}/fjern" in page
    client.post("/intern/logout")
    login(client, make_user(org, role="member"))
    page = client.get(decision).get_data(as_text=True)
    assert "Evaluér ordningen efter et år." in page
    assert url(action) not in page


# --- Dates that are probably slips (issue 34) ------------------------------------------------


def test_a_deadline_already_past_is_warned_about_and_saved_once_confirmed(client, editor, action):
    login(client, editor)
    page = client.get(url(action)).get_data(as_text=True)
    response = client.post(url(action), data=form_from(page, due_date="2026-04-15"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Fristen 15. april 2026 er allerede overskredet." in html
    assert 'value="2026-04-15"' in html and 'name="confirm_dates"' in html  # typed value back, and the tick
    db.session.refresh(action)
    assert action.due_date == date(2027, 6, 1)
    confirmed = client.post(url(action), data=form_from(page, due_date="2026-04-15", confirm_dates="y"))
    assert confirmed.status_code == 302
    db.session.refresh(action)
    assert action.due_date == date(2026, 4, 15)


def test_a_deadline_that_has_passed_since_does_not_stop_a_new_status(client, editor, action):
    action.due_date = date(2026, 1, 15)
    db.session.commit()
    login(client, editor)
    page = client.get(url(action)).get_data(as_text=True)
    assert 'name="confirm_dates"' not in page
    response = client.post(url(action), data=form_from(page, due_date="2026-01-15", status="gennemfoert"))
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_new_action_with_a_past_deadline_is_warned_about(client, editor, action):
    login(client, editor)
    response = client.post(
        f"/intern/vurderinger/{action.assessment.public_id}/handlinger",
        data={"description": "Ny", "status": "planlagt", "is_condition": "nej", "due_date": "2026-04-15"},
    )
    assert response.status_code == 422
    assert "Fristen 15. april 2026 er allerede overskredet." in response.get_data(as_text=True)


def test_a_review_date_before_the_decision_is_warned_about(client, editor, action):
    assessment = action.assessment
    assessment.decision_meeting_date = date(2026, 3, 2)
    db.session.commit()
    login(client, editor)
    decision_url = f"/intern/vurderinger/{assessment.public_id}/beslutning"
    page = client.get(decision_url).get_data(as_text=True)
    data = {
        "row_version": hidden(page, "row_version"),
        "base": hidden(page, "base"),
        "decision": "anbefales",
        "decision_reasoning": "Godt for borgerne.",
        "review_date": "2026-02-01",
    }
    response = client.post(decision_url, data=data)
    assert response.status_code == 422
    assert "Revurderingsdatoen 1. februar 2026 ligger før beslutningens mødedato." in response.get_data(as_text=True)
    assert client.post(decision_url, data={**data, "confirm_dates": "y"}).status_code == 302
