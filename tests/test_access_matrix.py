"""Every /intern/ route, from the app's URL map, as anonymous, each role and another municipality.

A new /intern/ route without an entry in ROUTES fails the first test, so access is decided for
every route on purpose.
"""

import pytest
from consultation_factories import make_signed_with_consultation
from factories import login, make_org, make_user
from feedback_factories import feedback_id_in

ANYONE, MEMBER, EDITOR, ADMIN = "anyone", "member", "editor", "admin"
SIGNATORY = "signatory"  # only the named signatories, whatever their role
# Another municipality's published record (reuse): the world's assessment is the user's own and not
# published, so the page is refused to every role (403 for members, 404 otherwise); tests/test_reuse_views.py
# covers the way in.
PUBLISHED_ELSEWHERE = "published elsewhere"
# The AI Act notification summary exists only for an assessment that needs the Article 27 assessment;
# the world's is not one, so it is 404 for every role here; tests/test_ai_fria.py covers the roles.
AI_ONLY = "AI assessments only"
ROLES = [MEMBER, EDITOR, ADMIN]

# endpoint -> the lowest role that may GET it (None: POST only). Scoped routes also need the
# assessment to belong to the user's municipality.
ROUTES = {
    "accounts.login": ANYONE,
    "accounts.logout": None,
    "accounts.account": MEMBER,
    "accounts.notices_list": MEMBER,  # each user's own notices
    "accounts.users": ADMIN,
    "accounts.user_detail": ADMIN,
    "accounts.user_new": ADMIN,
    "accounts.user_role": None,
    "accounts.user_deactivate": None,
    "accounts.user_reactivate": None,
    "assessments.dashboard": MEMBER,
    "assessments.create": EDITOR,
    "assessments.overview": MEMBER,
    "assessments.proposal": MEMBER,
    "assessments.dilemmas": EDITOR,
    "assessments.question": MEMBER,
    "assessments.comment": None,
    "assessments.review": MEMBER,
    "assessments.decision": MEMBER,
    "assessments.position": MEMBER,
    "assessments.withdraw_position": None,
    "assessments.add_action": None,
    "assessments.action": MEMBER,  # members read an action item; changing it is for editors
    "assessments.remove_action": None,
    "assessments.audit_log": MEMBER,
    "assessments.change_status": None,
    "signoff.draft_pdf": MEMBER,
    "signoff.signed_pdf": MEMBER,
    "signoff.sign": SIGNATORY,
    "signoff.signatories": EDITOR,
    "signoff.consistency": MEMBER,  # members read the findings; only editors explain (tests/test_consistency.py)
    "signoff.reopen": None,
    "consultation_board.overview": MEMBER,
    "consultation_board.new": EDITOR,
    "consultation_board.edit": EDITOR,
    "consultation_board.close": None,
    "consultation_board.responses": MEMBER,
    "consultation_board.moderate": None,
    "consultation_board.answer": None,
    "followup.overview": MEMBER,
    "followup.assessment_log": MEMBER,
    "followup.record_effect": None,
    "documents.index": MEMBER,
    "documents.edit": MEMBER,  # members read an entry; saving it is for editors
    "documents.remove": None,
    "documents.file": MEMBER,
    "meeting.start": MEMBER,
    "signoff.sign_sso": SIGNATORY,
    # Single sign-on: the provider's way in and back is open to anyone, and is 404 for
    # a municipality without it (tests/test_sso_oidc.py covers them with a provider).
    "sso.oidc_login": ANYONE,
    "sso.oidc_callback": ANYONE,
    "sso.saml_login": ANYONE,
    "sso.saml_acs": None,
    "sso.saml_slo": ANYONE,
    "sso.saml_metadata": ANYONE,  # public: the municipality's IdP reads it (tests/test_sso_saml.py)
    "sso.admin": ADMIN,
    "sso.admin_remove": None,
    "meeting.question": MEMBER,  # members follow the meeting; saving is for editors
    "meeting.current": MEMBER,  # members poll the secretary's current question
    "reuse.index": EDITOR,
    "feedback_board.index": MEMBER,
    "feedback_board.show": MEMBER,  # members read a citizen's question; answering and showing it is for editors
    "feedback_board.moderate": None,
    "feedback_board.answer": None,
    "reuse.start": PUBLISHED_ELSEWHERE,
    "reuse.confirm": None,  # POST only: tests/test_reuse_views.py covers roles, municipality and CSRF
    "ai.fria": MEMBER,  # members read the Article 27 assessment; saving it is for editors
    "ai.notification_json": AI_ONLY,
    "ai.notification_pdf_view": AI_ONLY,
    "addenda.index": MEMBER,  # members read the signed addenda; adding one is for editors (tests/test_addenda.py)
    "addenda.add": EDITOR,
}
# endpoint -> the lowest role that may POST to it, for every /intern/ route that takes a POST. A
# POST from a lower role is refused (403, or 404 where the thing is not the user's) before its form
# is read, so an empty POST shows the rule; the roles allowed get anything but a refusal.
POST_ROUTES = {
    "accounts.login": ANYONE,
    "accounts.logout": ANYONE,
    "accounts.account": MEMBER,
    "accounts.user_new": ADMIN,
    "accounts.user_role": ADMIN,
    "accounts.user_deactivate": ADMIN,
    "accounts.user_reactivate": ADMIN,
    "addenda.add": EDITOR,
    "ai.fria": EDITOR,
    "assessments.create": EDITOR,
    "assessments.change_status": EDITOR,  # publishing and withdrawing: administrators (tests/test_workflow.py)
    "assessments.proposal": EDITOR,
    "assessments.dilemmas": EDITOR,
    "assessments.question": EDITOR,
    "assessments.comment": MEMBER,
    "assessments.review": EDITOR,
    "assessments.decision": EDITOR,
    "assessments.position": MEMBER,
    "assessments.withdraw_position": MEMBER,
    "assessments.add_action": EDITOR,
    "assessments.action": EDITOR,
    "assessments.remove_action": EDITOR,
    "consultation_board.new": EDITOR,
    "consultation_board.edit": EDITOR,
    "consultation_board.close": EDITOR,
    "consultation_board.moderate": EDITOR,
    "consultation_board.answer": EDITOR,
    "documents.edit": EDITOR,
    "documents.remove": EDITOR,
    "feedback_board.moderate": EDITOR,
    "feedback_board.answer": EDITOR,
    "followup.assessment_log": EDITOR,
    "followup.record_effect": EDITOR,
    "meeting.question": EDITOR,
    "reuse.start": PUBLISHED_ELSEWHERE,
    "reuse.confirm": EDITOR,
    "signoff.consistency": EDITOR,
    "signoff.signatories": EDITOR,
    "signoff.sign": SIGNATORY,
    "signoff.reopen": EDITOR,
    "sso.admin": ADMIN,
    "sso.admin_remove": ADMIN,
    "sso.saml_acs": ANYONE,
}
RANK = {MEMBER: 1, EDITOR: 2, ADMIN: 3}
SSO_ENTRY = {
    "sso.oidc_login",
    "sso.oidc_callback",
    "sso.saml_login",
    "sso.saml_acs",
    "sso.saml_slo",
    "sso.saml_metadata",
}


def internal_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/intern")]


def sent_to_login(response) -> bool:
    """A redirect to the login page is a refusal, not access."""
    return response.status_code in (301, 302, 303, 307, 308) and "/intern/login" in (response.location or "")


def test_every_internal_route_has_an_entry(app):
    assert {r.endpoint for r in internal_rules(app)} == set(ROUTES)
    assert {r.endpoint for r in internal_rules(app) if "POST" in r.methods} == set(POST_ROUTES)


def test_every_internal_rule_and_method_is_in_the_table(app):
    """Each /intern/ rule answers only methods the tests below send (GET, POST), and each method
    has its row: a GET a role in ROUTES (None only where the rule takes no GET), a POST a role in
    POST_ROUTES. A new rule, or a new method on an old one, fails here until it is in the table."""
    uncovered = []
    for rule in internal_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                covered = ROUTES.get(rule.endpoint) is not None
            elif method == "POST":
                covered = rule.endpoint in POST_ROUTES
            else:
                covered = False  # PUT, PATCH, DELETE: no test here sends them
            if not covered:
                uncovered.append(f"{method} {rule.rule} ({rule.endpoint})")
        if "GET" not in rule.methods and ROUTES.get(rule.endpoint) is not None:
            uncovered.append(f"{rule.rule} ({rule.endpoint}) takes no GET; its ROUTES role is never tested")
    assert not uncovered, uncovered


def may(role: str, needed: str) -> bool:
    """The world's users are not the assessment's signatories, and its record is their own."""
    return needed == ANYONE or (needed not in (SIGNATORY, PUBLISHED_ELSEWHERE, AI_ONLY) and RANK[role] >= RANK[needed])


@pytest.fixture
def world(app):
    home = make_org("Hjemby Kommune")
    # Signed: has questions, reviews, actions, a consultation with responses and a frozen PDF.
    assessment, _consultation = make_signed_with_consultation(home)
    users = {role: make_user(home, role=role) for role in ROLES}
    stranger = make_user(make_org("Fremmedby Kommune"), role=ADMIN)
    _add_document(assessment)
    return assessment, users, stranger


def _add_document(assessment) -> None:
    """An uploaded DPIA, written directly: the world's assessment is signed, so no service may add one."""
    from app.documents.models import DocumentFile, RelatedDocument
    from app.extensions import db

    stored = DocumentFile(sha256="0" * 64, size=9, data=b"%PDF-1.4\n")
    db.session.add(stored)
    db.session.flush()
    db.session.add(
        RelatedDocument(
            assessment_id=assessment.id,
            kind="dpia",
            status="foreligger",
            title="DPIA",
            url="",
            reason="",
            file_id=stored.id,
            file_name="dpia.pdf",
        )
    )
    db.session.commit()


def url_for_rule(rule, assessment, users) -> str:
    from app.consultation.services import consultations_of

    consultation = consultations_of(assessment)[0]
    values = {
        "public_id": assessment.public_id,
        "question_id": assessment.questions[0].question_id,
        "recommendation_id": assessment.reviews[0].recommendation_id,
        "action_id": assessment.actions[0].id,
        "user_id": users[MEMBER].id,
        "consultation_id": consultation.public_id,
        "response_id": consultation.responses[0].id,
        "slug": assessment.organisation.slug,
        "kind": "dpia",
        "art": "beslutning",  # an addendum's kind (app/addenda)
    }
    if "feedback_id" in rule.arguments:
        values["feedback_id"] = feedback_id_in(assessment.organisation)
    url = rule.rule
    for argument in rule.arguments:
        converter = f"<int:{argument}>" if f"<int:{argument}>" in url else f"<{argument}>"
        url = url.replace(converter, str(values[argument]))
    return url


def test_anonymous_is_sent_to_login_everywhere(app, client, world):
    assessment, users, _ = world
    for rule in internal_rules(app):
        url = url_for_rule(rule, assessment, users)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if rule.endpoint == "accounts.login":
                assert response.status_code in (200, 422), url
            elif rule.endpoint == "accounts.logout":
                assert response.status_code == 302, url  # logging out when logged out: just go on
            elif rule.endpoint in SSO_ENTRY:
                assert response.status_code == 404, url  # this municipality has no single sign-on
            else:
                assert sent_to_login(response), (method, url)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_allows(app, client, world, role):
    assessment, users, _ = world
    logged_in = login(client, users[role])
    assert logged_in.status_code == 302 and not sent_to_login(logged_in)
    for rule in internal_rules(app):
        needed = ROUTES[rule.endpoint]
        if needed is None or "GET" not in rule.methods or rule.endpoint in {"accounts.login", *SSO_ENTRY}:
            continue
        response = client.get(url_for_rule(rule, assessment, users))
        if may(role, needed):
            assert response.status_code in (200, 302), (role, rule.rule, response.status_code)
            assert not sent_to_login(response), (role, rule.rule, "sent to the login page")
        else:
            assert response.status_code in (403, 404), (role, rule.rule, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_post_exactly_where_the_table_allows(app, client, world, role):
    """POST-only routes too: an empty POST from a role below the table's is refused whatever it holds."""
    assessment, users, _ = world
    login(client, users[role])
    for rule in internal_rules(app):
        if "POST" not in rule.methods or rule.endpoint in {"accounts.login", "accounts.logout", *SSO_ENTRY}:
            continue
        response = client.post(url_for_rule(rule, assessment, users), data={})
        if may(role, POST_ROUTES[rule.endpoint]):
            assert response.status_code != 403, (role, rule.rule)
            assert not sent_to_login(response), (role, rule.rule, "sent to the login page")
        else:
            assert response.status_code in (403, 404), (role, rule.rule, response.status_code)


def test_another_municipality_sees_nothing(app, client, world):
    assessment, users, stranger = world
    login(client, stranger)
    for rule in internal_rules(app):
        if "public_id" not in rule.arguments and "user_id" not in rule.arguments:
            continue
        url = url_for_rule(rule, assessment, users)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)
