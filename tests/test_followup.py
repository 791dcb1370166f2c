"""Follow-up: open action items and review dates across a municipality's decided assessments."""

from datetime import date, timedelta

import pytest
from assessment_factories import answer_everything, make_assessment, sign_off
from conftest import FROZEN_TODAY
from factories import login, make_org, make_user
from flask_babel import force_locale

from app.assessments import services as assessments
from app.extensions import db
from app.followup import services


def signed_with_actions(org, actions, *, title="Sensorer i plejeboliger"):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor, title=title)
    answer_everything(assessment, editor)  # adds a condition due 1 June 2027, review 1 December 2027
    for values in actions:
        assessments.add_action(assessment, values, user=editor)
    sign_off(assessment, editor, [make_user(org, role="member"), make_user(org, role="admin")])
    db.session.commit()
    return assessment


def test_open_items_and_reviews_of_decided_assessments_earliest_first(org):
    past, soon = FROZEN_TODAY - timedelta(days=10), FROZEN_TODAY + timedelta(days=5)
    signed_with_actions(
        org,
        [
            {"description": "Informér de pårørende", "owner": "Plejecentret", "due_date": past},
            {"description": "Evaluér efter et år", "owner": "Sundhed", "due_date": soon},
            {"description": "Allerede gjort", "due_date": past, "status": "gennemfoert"},
            {"description": "Uden frist"},
        ],
    )
    drafter = make_user(org, role="editor")
    draft = make_assessment(drafter, title="Udkast")
    assessments.add_action(draft, {"description": "Kladde", "due_date": past}, user=drafter)  # not decided: left out
    items = services.due_items(org.id)
    assert [(i.kind, i.description) for i in items] == [
        ("action", "Informér de pårørende"),
        ("action", "Evaluér efter et år"),
        ("condition", "Evaluér ordningen efter et år."),
        ("review", "Beslutningen skal vurderes igen."),
    ]
    assert [i.is_overdue(FROZEN_TODAY) for i in items] == [True, False, False, False]


def test_a_replaced_version_hands_its_plan_to_the_new_one(org):
    signed = signed_with_actions(org, [])
    assessments.reopen(signed, user=make_user(org, role="editor"))
    db.session.commit()
    assert services.due_items(org.id) == []  # the draft v2 is not decided yet; v1 is replaced


def test_the_page_shows_the_municipalitys_items_and_flags_overdue_ones(client, org):
    # After the decision's meeting (2 March 2026): a deadline before it is a consistency finding (issue 28).
    signed_with_actions(org, [{"description": "Informér de pårørende", "due_date": date(2026, 3, 5)}])
    signed_with_actions(make_org("Odense Kommune"), [{"description": "Odenses punkt", "due_date": date(2026, 3, 5)}])
    login(client, make_user(org, role="member"))
    page = client.get("/intern/opfoelgning").get_data(as_text=True)
    assert "Informér de pårørende" in page and "Overskredet" in page and "1 punkt er overskredet" in page
    assert "Odenses punkt" not in page


def test_remind_hands_overdue_and_soon_due_items_to_the_notifier(app, runner, org):
    signed_with_actions(
        org,
        [
            {"description": "Overskredet", "due_date": FROZEN_TODAY - timedelta(days=1)},
            {"description": "Om en uge", "due_date": FROZEN_TODAY + timedelta(days=7)},
            {"description": "Om en måned", "due_date": FROZEN_TODAY + timedelta(days=30)},
        ],
    )
    sent = []

    class Collect:
        def notify(self, item, *, overdue):
            sent.append((item.description, overdue))

    app.config["FOLLOWUP_NOTIFIER"] = Collect()
    result = runner.invoke(args=["followup", "remind"])
    assert result.exit_code == 0, result.output
    assert sent == [("Overskredet", True), ("Om en uge", False)]
    assert "Reminded about 2 items (1 overdue)." in result.output


def test_the_default_notifier_logs_each_item(app, org, caplog):
    import logging

    caplog.set_level(logging.INFO)
    signed_with_actions(org, [{"description": "Overskredet", "due_date": FROZEN_TODAY - timedelta(days=1)}])
    services.remind()
    [line] = [r for r in caplog.records if r.getMessage() == "followup.due"]
    assert line.fields["overdue"] is True and line.fields["organisation"] == "Aarhus Kommune"


# --- The follow-up log after signature -----------------------------------------------------


def condition_of(assessment):
    return next(a for a in assessment.actions if a.is_condition)


def test_an_entry_changes_the_status_but_never_the_signed_record(org):
    from app.audit.models import AuditEvent
    from app.signoff.services import verify_all

    assessment = signed_with_actions(org, [])
    condition = condition_of(assessment)
    editor = make_user(org, role="editor")
    services.record_followup(condition, status="i_gang", note="  Første evaluering er bestilt.  ", user=editor)
    db.session.commit()
    status = services.current_statuses([condition])[condition.id]
    assert (status.status, status.since, status.note) == ("i_gang", FROZEN_TODAY, "Første evaluering er bestilt.")
    assert condition.status == "planlagt"  # the signed row is untouched
    assert all(result.ok for result in verify_all())
    event = db.session.query(AuditEvent).filter_by(action="followup.recorded").one()
    assert event.assessment_id == assessment.id and event.detail["status"] == "i_gang"
    assert event.summary == "Opfølgning: Evaluér ordningen efter et år.: I gang"
    with force_locale("en"):
        assert event.text() == "Follow-up: Evaluér ordningen efter et år.: In progress"


def test_the_latest_entry_wins_and_a_done_item_is_no_longer_due(org):
    assessment = signed_with_actions(org, [])
    condition = condition_of(assessment)
    editor = make_user(org, role="editor")
    services.record_followup(condition, status="i_gang", note="", user=editor, today=FROZEN_TODAY - timedelta(days=3))
    services.record_followup(condition, status="gennemfoert", note="Evalueret.", user=editor)
    db.session.commit()
    assert services.current_statuses([condition])[condition.id].status == "gennemfoert"
    assert [i.kind for i in services.due_items(org.id)] == ["review"]
    assert [e.status for e in services.followup_log(assessment)] == ["gennemfoert", "i_gang"]


def test_follow_up_waits_for_the_signature(org):
    editor = make_user(org, role="editor")
    draft = make_assessment(editor)
    action = assessments.add_action(draft, {"description": "Kladde"}, user=editor)
    with pytest.raises(services.FollowupError, match="underskrevet"):
        services.record_followup(action, status="i_gang", note="", user=editor)


@pytest.mark.parametrize(
    ("status", "note", "message"),
    [
        ("afsluttet", "", "Vælg en status."),
        ("i_gang", "x" * 1001, "Højst 1000 tegn."),
    ],
)
def test_the_service_refuses_bad_values(org, status, note, message):
    condition = condition_of(signed_with_actions(org, []))
    with pytest.raises(services.FollowupError, match=message):
        services.record_followup(condition, status=status, note=note, user=make_user(org, role="editor"))


def log_url(assessment):
    return f"/intern/vurderinger/{assessment.public_id}/opfoelgning"


def test_an_editor_records_follow_up_on_the_page(client, org):
    assessment = signed_with_actions(org, [])
    condition = condition_of(assessment)
    login(client, make_user(org, role="editor"))
    response = client.post(log_url(assessment), data={"action": condition.id, "status": "i_gang", "note": "Bestilt."})
    assert response.status_code == 303
    page = client.get(log_url(assessment)).get_data(as_text=True)
    assert "Opfølgningen er registreret." in page and "Bestilt." in page and "I gang" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "i_gang", "note": "x" * 1001}, "Højst 1000 tegn."),
        ({"status": "ukendt", "note": "Min tekst"}, "Vælg en af mulighederne."),
        ({"action": "999999", "status": "i_gang", "note": "Min tekst"}, "Vælg en af mulighederne."),
    ],
)
def test_bad_input_comes_back_with_a_danish_message_and_what_was_typed(client, org, data, message):
    from app.followup.models import FollowupEntry

    assessment = signed_with_actions(org, [])
    login(client, make_user(org, role="editor"))
    data = {"action": condition_of(assessment).id, **data}
    response = client.post(log_url(assessment), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert data["note"][:50] in page
    assert db.session.query(FollowupEntry).count() == 0


def test_members_read_the_log_but_only_editors_write(client, org):
    assessment = signed_with_actions(org, [])
    login(client, make_user(org, role="member"))
    assert client.get(log_url(assessment)).status_code == 200
    data = {"action": condition_of(assessment).id, "status": "i_gang", "note": ""}
    assert client.post(log_url(assessment), data=data).status_code == 403


def test_the_public_page_shows_each_conditions_status_with_its_date_and_overdue_flags(app, client, org, monkeypatch):
    from assessment_factories import make_published

    app.config["PUBLIC_PAGE_CACHE"] = True
    assessment = make_published(org)
    condition = condition_of(assessment)
    url = f"/vurderinger/{assessment.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Opfølgning på handlingsplanen" in page
    assert "Planlagt (som underskrevet)" in page
    # Time passes the signed deadline (the plan's dates come from the signed record, not the row).
    monkeypatch.setattr(services, "danish_today", lambda: condition.due_date + timedelta(days=1))
    services.record_followup(
        condition, status="i_gang", note="Evalueringen er forsinket.", user=make_user(org), today=FROZEN_TODAY
    )
    db.session.commit()
    page = client.get(url).get_data(as_text=True)  # a new entry changes the cached page
    assert f"I gang pr. {FROZEN_TODAY.day}." in page
    assert "Evalueringen er forsinket." in page and "Overskredet" in page
