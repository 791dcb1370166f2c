"""The state machine, read row by row from its table, at the service layer."""

import pytest
from assessment_factories import answer_everything, make_assessment, sign_off
from factories import make_user

from app.accounts.models import Role
from app.assessments import services, workflow
from app.assessments.models import Status
from app.extensions import db

# The table as the design describes it: (name, from, to, who). A change to the workflow must
# change this test too, so nobody alters the process by accident.
EXPECTED = {
    ("start_deliberation", "draft", "deliberation", frozenset({Role.EDITOR, Role.ADMIN})),
    ("return_to_draft", "deliberation", "draft", frozenset({Role.EDITOR, Role.ADMIN})),
    ("request_signoff", "deliberation", "awaiting_signoff", frozenset({Role.EDITOR, Role.ADMIN})),
    ("return_to_deliberation", "awaiting_signoff", "deliberation", frozenset({Role.EDITOR, Role.ADMIN})),
    ("complete_signoff", "awaiting_signoff", "signed", frozenset()),
    ("publish", "signed", "published", frozenset({Role.ADMIN})),
    ("withdraw", "published", "withdrawn", frozenset({Role.ADMIN})),
}


def test_the_table_is_exactly_the_designed_process():
    assert {(t.name, t.source.value, t.target.value, t.roles) for t in workflow.TRANSITIONS} == EXPECTED


def test_the_preconditions_are_the_functions_on_the_rows():
    """No registry: each row names the functions it calls."""
    by_row = {t.name: [f"{p.__module__}.{p.__name__}" for p in t.preconditions] for t in workflow.TRANSITIONS}
    assert by_row["request_signoff"] == [
        "app.assessments.checks.proposal_complete",
        "app.ai.checks.fria_complete",
        "app.assessments.checks.questions_answered",
        "app.assessments.checks.recommendations_reviewed",
        "app.assessments.checks.decision_set",
        "app.signoff.checks.signatories_named",
        "app.consultation.record.consultations_settled",
        "app.signoff.record_checks.consistency_settled",
        "app.signoff.record_checks.vote_adds_up",
        "app.signoff.checks.document_within_bounds",
        "app.signoff.checks.files_within_total",
        "app.documents.record.files_acceptable",
    ]
    assert by_row["complete_signoff"] == ["app.signoff.checks.all_signed"]
    assert by_row["withdraw"] == ["app.assessments.checks.reason_given"]


def test_each_feature_precondition_is_wired_to_the_function_its_row_names(app):
    """The rows name the features' functions; create_app wires exactly those (app/wiring.py)."""
    from importlib import import_module

    from app.core.wiring import provided

    named = {f"{p.__module__}.{p.__name__}" for t in workflow.TRANSITIONS for p in t.preconditions}
    assert set(workflow.FEATURE_PRECONDITIONS) <= named
    with app.app_context():
        for name in workflow.FEATURE_PRECONDITIONS:
            module, _, function = name.rpartition(".")
            assert provided(f"precondition:{name}") is getattr(import_module(module), function)


def test_the_listeners_are_connected_by_create_app(app):
    from app.assessments import signals
    from app.public import services as public_services
    from app.signoff import services as signoff_services

    transitioning = set(signals.transitioning.receivers_for(object()))
    assert {signoff_services.void_on_return, public_services.publish_on_transition} <= transitioning
    assert signoff_services.void_on_change in set(signals.changed.receivers_for(object()))


def test_no_transition_leaves_a_final_state_except_through_a_new_version():
    sources = {t.source for t in workflow.TRANSITIONS}
    assert Status.WITHDRAWN not in sources
    assert services.REOPENABLE == (Status.SIGNED, Status.PUBLISHED, Status.WITHDRAWN)


@pytest.mark.parametrize("row", sorted(workflow.TRANSITIONS, key=lambda t: t.name), ids=lambda t: t.name)
def test_each_row_refuses_a_role_it_does_not_name(org, row):
    """A member may do none of them; the system row refuses every person."""
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    assessment.status = row.source.value
    db.session.flush()
    member = make_user(org, role="member")
    with pytest.raises(services.NotAllowed):
        services.transition(assessment, row.name, user=member)
    assert assessment.status == row.source.value


def test_a_transition_from_the_wrong_status_is_refused(org):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    with pytest.raises(services.AssessmentError, match="kan ikke udføres"):
        services.transition(assessment, "request_signoff", user=editor)
    assert assessment.status == Status.DRAFT


def test_preconditions_list_what_is_missing(org):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    with pytest.raises(services.TransitionBlocked, match="Forslaget mangler"):
        services.transition(assessment, "start_deliberation", user=editor)
    answer_everything(assessment, editor)
    services.transition(assessment, "start_deliberation", user=editor)
    with pytest.raises(services.TransitionBlocked, match="underskrivere"):
        services.transition(assessment, "request_signoff", user=editor)


def test_the_whole_path_from_draft_to_withdrawn(org):
    editor = make_user(org, role="editor")
    admin = make_user(org, role="admin")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    sign_off(assessment, editor, [make_user(org, role="member"), admin])
    assert assessment.status == Status.SIGNED
    services.transition(assessment, "publish", user=admin)
    assert assessment.status == Status.PUBLISHED
    services.transition(assessment, "withdraw", user=admin, reason="Forældet")
    assert assessment.status == Status.WITHDRAWN
