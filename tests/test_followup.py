"""Follow-up: open action items and review dates across a municipality's decided assessments."""

from datetime import date, timedelta

import pytest
from assessment_factories import answer_everything, make_assessment, sign_off
from conftest import FROZEN_TODAY
from factories import login, make_org, make_user

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


@pytest.fixture
def org(app):
    return make_org("Aarhus Kommune")


def test_open_items_and_reviews_of_decided_assessments_earliest_first(org):
    past, soon = FROZEN_TODAY - timedelta(days=10), FROZEN_TODAY + timedelta(days=5)
    signed_with_actions(org, [
        {"description": "Informér de pårørende", "owner": "Plejecentret", "due_date": past},
        {"description": "Evaluér efter et år", "owner": "Sundhed", "due_date": soon},
        {"description": "Allerede gjort", "due_date": past, "status": "gennemfoert"},
        {"description": "Uden frist"},
    ])  # fmt: skip
    drafter = make_user(org, role="editor")
    draft = make_assessment(drafter, title="Udkast")
    assessments.add_action(draft, {"description": "Kladde", "due_date": past}, user=drafter)  # not decided: left out
    items = services.due_items(org.id)
    assert [(i.kind, i.description) for i in items] == [
        ("action", "Informér de pårørende"), ("action", "Evaluér efter et år"),
        ("condition", "Evaluér ordningen efter et år."), ("review", "Beslutningen skal vurderes igen."),
    ]  # fmt: skip
    assert [i.is_overdue(FROZEN_TODAY) for i in items] == [True, False, False, False]


def test_a_replaced_version_hands_its_plan_to_the_new_one(org):
    signed = signed_with_actions(org, [])
    assessments.reopen(signed, user=make_user(org, role="editor"))
    db.session.commit()
    assert services.due_items(org.id) == []  # the draft v2 is not decided yet; v1 is replaced


def test_the_page_shows_the_municipalitys_items_and_flags_overdue_ones(client, org):
    signed_with_actions(org, [{"description": "Informér de pårørende", "due_date": date(2026, 1, 5)}])
    signed_with_actions(make_org("Odense Kommune"), [{"description": "Odenses punkt", "due_date": date(2026, 1, 5)}])
    login(client, make_user(org, role="member"))
    page = client.get("/intern/opfoelgning").get_data(as_text=True)
    assert "Informér de pårørende" in page and "Overskredet" in page and "1 punkt er overskredet" in page
    assert "Odenses punkt" not in page


def test_remind_hands_overdue_and_soon_due_items_to_the_notifier(app, runner, org):
    signed_with_actions(org, [
        {"description": "Overskredet", "due_date": FROZEN_TODAY - timedelta(days=1)},
        {"description": "Om en uge", "due_date": FROZEN_TODAY + timedelta(days=7)},
        {"description": "Om en måned", "due_date": FROZEN_TODAY + timedelta(days=30)},
    ])  # fmt: skip
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
