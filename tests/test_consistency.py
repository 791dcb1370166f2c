"""Consistency rules (issue 28 item 1): each rule finds its contradiction in a record and is silent
on a record without it; a finding stops sign-off until the fields change or the board explains it,
and the explanation is signed and shown."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from assessment_factories import answer_everything, make_assessment, request_signoff, sign_off
from factories import login, make_org, make_user
from test_signoff import pdf_text

from app.assessments import consistency, explanations, services
from app.assessments.consistency import RULES, RULES_BY_ID, findings, unresolved
from app.extensions import db
from app.signoff import canonical

# --- Unit: each rule over a plain record ---------------------------------------------------

PROPOSAL = {
    "technology_category": "sensorteknologi",
    "technology_description": "Sensorer registrerer fald og giver personalet besked.",
    "personal_data": "Tidspunkter for bevægelse.",
    "special_categories": "",
    "participation": "frivillig",
    "legal_basis": "Samtykke efter databeskyttelsesforordningens artikel 6.",
    "opt_out": "Ja, borgeren kan sige nej.",
    "proxy_consent": "Hvor beboeren ikke selv kan give samtykke, inddrages værgen efter reglerne.",
    "restricts_freedom": "nej",
    "force_legal_basis": "",
    "individual_decision": "",
    "council_listed": "",
    "freedom_consent": "",
    "trial": "Afprøvet på Plejecenter Solhaven i seks måneder.",
    "uses_ai": "nej",
    "involvement_citizens": "nogen",
    "involvement_relatives": "hoej",
    "involvement_staff": "hoej",
    "involvement_phase": "ide",
    "decision_meeting_date": "2026-03-02",
}


def make_record(**proposal) -> dict:
    values = PROPOSAL | proposal
    return {
        "technology": {"category": values["technology_category"]},
        "proposal": [
            {"field": name, "label": f"Spørgsmål om {name}", "value": value} for name, value in values.items()
        ],
        "decision": {"decision": "anbefales", "label": "Anbefales", "review_date": "2027-12-01"},
        "actions": [{"description": "Evaluér", "due_date": "2027-06-01"}],
        "recommendations": [{"number": 5, "title": "Borgerinddragelse", "status": "opfyldt"}],
        "documents": [{"kind": "evaluering", "status": "foreligger", "reason": ""}],
        "position_counts": {"enig": 3, "uenig": 1, "undlader": 0},
    }


def with_document(record: dict, kind: str, status: str, reason: str = "") -> dict:
    record["documents"] = [d for d in record["documents"] if d["kind"] != kind] + [
        {"kind": kind, "status": status, "reason": reason}
    ]
    return record


def contradiction(rule: str) -> dict:
    """A record that breaks exactly `rule`."""
    if rule == "frivillig_uden_samtykke":
        return make_record(
            proxy_consent="Kan borgeren ikke samtykke, træffer kommunen afgørelse efter serviceloven § 125.",
        )
    if rule == "afproevet_uden_evaluering":
        return with_document(
            make_record(trial="GPS-uret blev afprøvet i fire måneder med otte borgere."),
            "evaluering",
            "ikke_noedvendigt",
            "GPS-urene er ikke afprøvet i Odense endnu.",
        )
    if rule == "vaerge_samtykke_begge_veje":
        return make_record(
            legal_basis="Samtykke fra beboeren eller værgen.",
            freedom_consent="Samtykke skulle gives af beboeren selv. Værgers samtykke rækker ikke til et kamera.",
        )
    if rule == "ikke_paa_raadets_liste":
        return make_record(restricts_freedom="ja", council_listed="nej", participation="lovbestemt")
    if rule == "beslutning_mod_flertal":
        record = make_record()
        record["position_counts"] = {"enig": 0, "uenig": 1, "undlader": 0}
        return record
    if rule == "anbefaling5_uden_inddragelse":
        return make_record(involvement_citizens="slet_ikke")
    if rule == "ai_nej_i_ai_kategori":
        return make_record(technology_category="kunstig-intelligens")
    if rule == "frist_foer_beslutning":
        record = make_record()
        record["actions"][0]["due_date"] = "2026-01-15"
        return record
    if rule == "dpia_ikke_noedvendig_ved_overvaagning":
        return with_document(
            make_record(special_categories="Helbredsoplysninger"), "dpia", "ikke_noedvendigt", "Ikke relevant."
        )
    raise AssertionError(f"no contradiction written for {rule}")


# The fields each rule's message must name (by the record's labels) or mention.
NAMED = {
    "frivillig_uden_samtykke": ["Spørgsmål om participation", "Spørgsmål om proxy_consent"],
    "afproevet_uden_evaluering": ["Spørgsmål om trial", "Evaluering af afprøvningen", "ikke afprøvet i Odense"],
    "vaerge_samtykke_begge_veje": ["Spørgsmål om legal_basis", "Spørgsmål om freedom_consent"],
    "ikke_paa_raadets_liste": ["Spørgsmål om council_listed", "Spørgsmål om restricts_freedom", "Anbefales"],
    "beslutning_mod_flertal": ["1 uenige og 0 enige", "Anbefales"],
    "anbefaling5_uden_inddragelse": ["Anbefaling 5", "Spørgsmål om involvement_citizens"],
    "ai_nej_i_ai_kategori": ["Spørgsmål om uses_ai", "Spørgsmål om technology_category"],
    "frist_foer_beslutning": ["handling 1", "15. januar 2026", "Spørgsmål om decision_meeting_date"],
    "dpia_ikke_noedvendig_ved_overvaagning": ["Konsekvensanalysen (DPIA)", "Spørgsmål om special_categories"],
}


def test_the_clean_record_has_no_finding(app):
    assert findings(make_record()) == []


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_each_rule_finds_its_contradiction_and_names_the_fields(app, rule):
    found = findings(contradiction(rule))
    assert [f.rule for f in found] == [rule]  # its own finding, and no other rule's
    for text in NAMED[rule]:
        assert text in found[0].message, text
    assert RULES_BY_ID[rule].source  # every rule names its seed passage or law


def test_every_rule_has_a_test_here():
    assert set(NAMED) == set(RULES_BY_ID)


@pytest.mark.parametrize(
    ("rule", "change"),
    [
        # Odense's camera: the trial is denied in so many words, so no evaluation is owed.
        ("afproevet_uden_evaluering", {"trial": "Kameraet blev ikke afprøvet, fordi udvalget ville vente."}),
        # A record that says it is required by law may cite § 125.
        ("frivillig_uden_samtykke", {"participation": "lovbestemt"}),
        # Asking the guardian is not the same as saying the guardian's consent is not enough.
        ("vaerge_samtykke_begge_veje", {"freedom_consent": "Kan beboeren ikke, spørges værgen."}),
        ("ikke_paa_raadets_liste", {"council_listed": "ja"}),
        ("anbefaling5_uden_inddragelse", {"involvement_citizens": "mindre"}),
        ("ai_nej_i_ai_kategori", {"uses_ai": "ja"}),
        ("dpia_ikke_noedvendig_ved_overvaagning", {"special_categories": ""}),
    ],
)
def test_changing_the_fields_resolves_the_finding(app, rule, change):
    record = contradiction(rule)
    for item in record["proposal"]:
        if item["field"] in change:
            item["value"] = change[item["field"]]
    assert rule not in {f.rule for f in findings(record)}


def test_a_rejection_and_a_review_before_the_decision(app):
    record = make_record(restricts_freedom="ja", council_listed="nej", participation="lovbestemt")
    record["decision"] = {"decision": "anbefales_ikke", "label": "Anbefales ikke", "review_date": "2026-02-01"}
    assert [f.rule for f in findings(record)] == ["frist_foer_beslutning"]  # not recommended: no council finding
    assert "Revurderingsdatoen (1. februar 2026)" in findings(record)[0].message


def test_an_explanation_settles_its_finding_and_only_its_own(app):
    record = contradiction("beslutning_mod_flertal")
    record["consistency"] = consistency.section(record, {"beslutning_mod_flertal": "  Formanden …  ", "x": "y"})
    assert record["consistency"] == [
        {"rule": "beslutning_mod_flertal", "message": findings(record)[0].message, "explanation": "Formanden …"}
    ]
    assert unresolved(record) == []
    assert consistency.section(record, {"beslutning_mod_flertal": "   "}) == []


# --- Sign-off: refused until resolved or explained ---------------------------------------


@pytest.fixture
def contradicting(app):
    """An assessment in deliberation whose proposal says "voluntary" and cites § 125."""
    org = make_org("Odense Kommune")
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor, title="GPS til borgere med demens")
    answer_everything(assessment, editor)
    from assessment_factories import complete_proposal

    complete_proposal(
        assessment,
        editor,
        proxy_consent="Kan borgeren ikke samtykke, træffer kommunen afgørelse efter serviceloven § 125.",
    )
    services.transition(assessment, "start_deliberation", user=editor)
    db.session.commit()
    assessment.editor = editor
    return assessment


def test_sign_off_is_refused_while_a_finding_is_open_and_the_overview_says_why(client, contradicting):
    editor = contradicting.editor
    signers = [
        make_user(contradicting.organisation, role="member"),
        make_user(contradicting.organisation, role="admin"),
    ]
    with pytest.raises(
        services.TransitionBlocked, match="Modstrid i vurderingen: „Er det frivilligt eller lovbestemt"
    ) as refused:
        request_signoff(contradicting, editor, signers)
    assert "Ret felterne, eller skriv en forklaring under „Sammenhæng“" in str(refused.value)
    db.session.rollback()
    login(client, editor)
    overview = client.get(f"/intern/vurderinger/{contradicting.public_id}").get_data(as_text=True)
    assert "Modstrid i vurderingen" in overview and "serviceloven" in overview.lower()
    page = client.get(f"/intern/vurderinger/{contradicting.public_id}/sammenhaeng").get_data(as_text=True)
    assert "Frivilligt, men uden samtykke" in page and "Serviceloven §§ 124-137" in page


def test_an_explanation_lets_it_through_and_is_signed_printed_and_published(client, contradicting):
    editor = contradicting.editor
    login(client, editor)
    url = f"/intern/vurderinger/{contradicting.public_id}/sammenhaeng"
    explanation = "Ordningen er frivillig for borgere, der kan samtykke; for de øvrige træffes afgørelse efter § 125."
    response = client.post(url, data={"rule": "frivillig_uden_samtykke", "explanation": explanation})
    assert response.status_code == 302
    db.session.expire_all()
    signers = [
        make_user(contradicting.organisation, role="member"),
        make_user(contradicting.organisation, role="admin"),
    ]
    sign_off(contradicting, editor, signers)
    admin = signers[1]
    services.transition(contradicting, "publish", user=admin)
    db.session.commit()

    record = json.loads(contradicting.signed_record.canonical_json)
    jsonschema.validate(record, canonical.load_schema())
    [entry] = record["consistency"]
    assert entry["rule"] == "frivillig_uden_samtykke" and entry["explanation"] == explanation
    assert "servicelovens regler om magtanvendelse" in entry["message"]
    text = " ".join(pdf_text(bytes(contradicting.signed_record.pdf)).split())
    assert "Forhold, etikrådet har forklaret" in text and "Ordningen er frivillig for borgere" in text
    html = client.get(f"/vurderinger/{contradicting.public_id}").get_data(as_text=True)
    assert "Forhold, etikrådet har forklaret" in html and "Ordningen er frivillig for borgere" in html


def test_changing_the_fields_instead_needs_no_explanation(contradicting):
    from assessment_factories import complete_proposal

    editor = contradicting.editor
    services.transition(contradicting, "return_to_draft", user=editor)
    complete_proposal(
        contradicting,
        editor,
        participation="lovbestemt",
        proxy_consent=("Kan borgeren ikke samtykke, træffer kommunen afgørelse efter serviceloven § 125."),
    )
    signers = [
        make_user(contradicting.organisation, role="member"),
        make_user(contradicting.organisation, role="admin"),
    ]
    sign_off(contradicting, editor, signers)
    assert json.loads(contradicting.signed_record.canonical_json)["consistency"] == []


def test_a_signature_is_refused_when_a_finding_appears_while_awaiting_it(app):
    """A member's stance can change while the assessment awaits signatures: a decision against the
    majority then stops the next signature."""
    from app.signoff import services as signoff

    org = make_org()
    editor = make_user(org, role="editor")
    member, admin = make_user(org, role="member"), make_user(org, role="admin")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    for user in (editor, member, admin):
        services.save_position(assessment, "enig", "", user=user)
    request_signoff(assessment, editor, [member, admin])  # three present, three stances
    services.save_position(assessment, "uenig", "Jeg er imod.", user=member)
    services.save_position(assessment, "uenig", "Også imod.", user=admin)
    db.session.commit()
    from app.content.loader import get_content

    _, record_sha256 = signoff.current_record(assessment, get_content())
    with pytest.raises(signoff.SignRefused, match="går imod flertallet"):
        signoff.sign(
            assessment,
            user=member,
            password="",
            seen_hash=record_sha256,
            seen_at=None,
            content=get_content(),
            password_ok=lambda user, password: True,
        )


def test_an_explanation_is_bounded_and_the_form_comes_back_with_what_was_typed(client, contradicting):
    login(client, contradicting.editor)
    url = f"/intern/vurderinger/{contradicting.public_id}/sammenhaeng"
    typed = "Forklaring " + "x" * 2000
    response = client.post(url, data={"rule": "frivillig_uden_samtykke", "explanation": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Teksten må højst være 2.000 tegn." in html and typed in html
    response = client.post(url, data={"rule": "findes_ikke", "explanation": "Noget"})
    assert response.status_code == 422 and "Reglen findes ikke" in response.get_data(as_text=True)
    response = client.post(url, data={"rule": "x" * 61, "explanation": "Noget"})
    assert response.status_code == 422 and "Reglen findes ikke" in response.get_data(as_text=True)
    assert contradicting.explanations == []


def test_only_editors_of_the_municipality_explain(app, client, contradicting):
    member = make_user(contradicting.organisation, role="member")
    with pytest.raises(services.NotAllowed):
        explanations.save_explanation(contradicting, "frivillig_uden_samtykke", "Forklaring", user=member)
    login(client, member)
    url = f"/intern/vurderinger/{contradicting.public_id}/sammenhaeng"
    assert client.post(url, data={"rule": "frivillig_uden_samtykke", "explanation": "x"}).status_code == 403
    other = make_user(make_org(), role="editor")
    elsewhere = app.test_client()
    login(elsewhere, other)
    assert elsewhere.get(url).status_code == 404


def test_removing_the_explanation_opens_the_finding_again(contradicting):
    editor = contradicting.editor
    explanations.save_explanation(contradicting, "frivillig_uden_samtykke", "Forklaret.", user=editor)
    record = canonical.snapshot(contradicting)
    assert unresolved(record) == []
    explanations.save_explanation(contradicting, "frivillig_uden_samtykke", "  ", user=editor)
    record = canonical.snapshot(contradicting)
    assert [f.rule for f in unresolved(record)] == ["frivillig_uden_samtykke"]
    assert copy.deepcopy(record)["consistency"] == []
