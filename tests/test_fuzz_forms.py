"""Hypothesis posts arbitrary values to every POST route: never a 500, never a partial write.

The field names come from every form class of the app, so each form's own validation is
reached; values are arbitrary text (any script, control characters, very long), numbers,
dates and empty strings. A refused request (4xx) must leave every table exactly as it was.
"""

from __future__ import annotations

import hashlib
import os

import pytest
from consultation_factories import open_consultation, respond
from factories import login, make_org, make_user
from feedback_factories import feedback_id_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.assessments import forms as assessment_forms
from app.core.forms import Form
from app.extensions import db

# Logging out ends the session the rest of the run needs; a refused login, and a wrong current
# password on the account page, count the attempt toward the lock-out.
SKIPPED = {"accounts.logout"}
WRITES_WHEN_REFUSED = {"accounts.login", "accounts.account"}


def form_field_names(response_id: int) -> list[str]:
    assessment_forms.proposal_form_class({})  # the proposal form is built per request
    names: set[str] = set()
    pending = [Form]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        names.update(name for name, _ in getattr(cls, "_unbound_fields", None) or [])
        names.update(name for name in vars(cls) if not name.startswith("_") and hasattr(vars(cls)[name], "field_class"))
    prefixed = {f"{prefix}{response_id}-{name}" for name in names for prefix in ("m", "a")}
    prefixed |= {f"{prefix}-{name}" for name in names for prefix in ("v", "a")}  # a citizen's question's forms
    return sorted(names | prefixed)


def url_for(rule, assessment, users) -> str:
    """The rule's URL for the world's objects; a removed action becomes an id that is not there."""
    consultation = assessment_consultation(assessment)
    values = {
        "public_id": assessment.public_id,
        "question_id": assessment.questions[0].question_id,
        "recommendation_id": assessment.reviews[0].recommendation_id,
        "action_id": assessment.actions[0].id if assessment.actions else 999_999,
        "user_id": users["member"].id,
        "consultation_id": consultation.public_id,
        "response_id": consultation.responses[0].id,
        "slug": assessment.organisation.slug,
        "kind": "dpia",
        "art": "beslutning",  # an addendum's kind (app/addenda)
    }
    if "feedback_id" in rule.arguments:
        values["feedback_id"] = feedback_id_in(assessment.organisation)  # made by the world, found here
    return rule.build({name: values[name] for name in rule.arguments})[1]


def assessment_consultation(assessment):
    from app.consultation.services import consultations_of

    return consultations_of(assessment)[0]


def fingerprint() -> str:
    """A hash of every row of every table: any write shows."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.info.get("skip_backup"):
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        for row in db.session.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
    db.session.rollback()  # end the read transaction so the next request sees fresh data
    return digest.hexdigest()


values = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4000, max_size=9000),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "1900-01-01",
            "9999-12-31",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "approve",
            "reject",
            "indarbejdet",
            "anbefales",
            "on",
            "y",
            "start_deliberation",
            "request_signoff",
            "publish",
        ]
    ),
    st.integers().map(str),
)


@pytest.fixture
def world(app):
    org = make_org("Fuzzby Kommune")
    admin = make_user(org, role="admin")
    from assessment_factories import make_assessment

    from app.assessments import services as assessment_services

    assessment = make_assessment(admin)
    assessment_services.add_action(assessment, {"description": "Evaluér efter et år.", "owner": "Sundhed"}, user=admin)
    consultation = open_consultation(assessment, admin)
    response = respond(consultation)
    db.session.commit()
    feedback_id_in(org)  # a citizen's question on a published record, before any fingerprint
    users = {"member": make_user(org, role="member")}
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint not in SKIPPED]
    return admin, assessment, users, rules, form_field_names(response.id)


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_arbitrary_posts_never_fail_and_refusals_write_nothing(client, world, data):
    admin, assessment, users, rules, names = world
    login(client, admin)
    rule = data.draw(st.sampled_from(rules), label="route")
    form = data.draw(st.dictionaries(st.sampled_from(names), values, max_size=12), label="form")
    before = fingerprint()
    response = client.post(url_for(rule, assessment, users), data=form)
    assert response.status_code < 500, (rule.endpoint, form)
    if 400 <= response.status_code < 500 and rule.endpoint not in WRITES_WHEN_REFUSED:
        assert fingerprint() == before, (rule.endpoint, response.status_code, form)


def test_ci_runs_the_property_tests_derandomised():
    """conftest loads the "ci" profile when CI=true: the same examples in every CI run."""
    wrapped = test_arbitrary_posts_never_fail_and_refusals_write_nothing
    assert wrapped._hypothesis_internal_use_settings.derandomize is (os.environ.get("CI") == "true")
    assert settings.default.derandomize is (os.environ.get("CI") == "true")
