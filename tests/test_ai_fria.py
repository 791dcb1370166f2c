"""AI screening and the AI Act Article 27 fundamental-rights impact assessment:
the rule that makes it needed, the precondition, the form, the signed record (schema 3), the PDF
annex, the API, the declaration, the public page and the notification summary."""

import io
import json
from datetime import date, timedelta

import jsonschema
import pytest
from assessment_factories import answer_everything, complete_proposal, make_assessment, sign_off
from factories import hidden, login, make_org, make_user
from pypdf import PdfReader

from app.ai import checks
from app.ai import services as ai
from app.assessments import services
from app.assessments.declaration import declaration
from app.assessments.proposal import missing_fields, requires_fria
from app.extensions import db
from app.signoff import canonical

SCREENING = {
    "uses_ai": "ja",
    "ai_purpose": "Systemet foreslår, hvor mange timers hjemmehjælp en borger bør tilbydes.",
    "ai_annex_area": "offentlige_ydelser",
}
ANSWERS = {
    "fria_processes": "Visitationen til hjemmehjælp: systemet giver visitator et forslag før hjemmebesøget.",
    "fria_period": "Fra 1. maj 2026 i to år, ved hver visitation, cirka 40 gange om ugen.",
    "fria_persons": "Ældre borgere, der søger hjemmehjælp, især borgere med demens og borgere uden pårørende.",
    "fria_risks": "Forslaget kan undervurdere behovet hos borgere, der sjældent har kontakt med kommunen.",
    "fria_oversight": "Visitator træffer altid afgørelsen og skal begrunde, når forslaget følges eller fravælges.",
    "fria_measures": "Klager går til Ankestyrelsen; en styregruppe følger op på afvigelser hvert kvartal.",
    "fria_dpia": "https://kommune.example/dpia/visitation",
    "fria_notified": True,
    "fria_notified_date": date(2026, 4, 1),
}


def value_of(**values):
    return lambda name: values.get(name, "")


@pytest.mark.parametrize(
    ("values", "needed"),
    [
        ({"uses_ai": "nej"}, False),
        ({"uses_ai": "ja", "ai_annex_area": "ingen"}, False),
        ({"uses_ai": "ja", "ai_annex_area": ""}, False),
        ({"uses_ai": "ja", "ai_annex_area": "offentlige_ydelser"}, True),
        ({"uses_ai": "ja", "ai_annex_area": "biometri"}, True),
        ({"uses_ai": "nej", "ai_annex_area": "offentlige_ydelser"}, False),  # a stale area counts for nothing
        ({"uses_ai": "nej", "technology_category": "kunstig-intelligens"}, True),
        ({"uses_ai": "", "technology_category": "big-data"}, False),
    ],
)
def test_the_assessment_is_needed_for_high_risk_ai_or_the_ai_category(values, needed):
    assert requires_fria(value_of(**values)) is needed


@pytest.fixture
def board(app):
    org = make_org("Visitationsby Kommune")
    return org, make_user(org, role="editor"), [make_user(org, role="member"), make_user(org, role="admin")]


def test_the_screening_is_part_of_a_complete_proposal(board):
    _org, editor, _signers = board
    assessment = make_assessment(editor)
    complete_proposal(assessment, editor, uses_ai="")
    assert [f.name for f in missing_fields(assessment)] == ["uses_ai"]
    complete_proposal(assessment, editor, uses_ai="ja")
    assert {f.name for f in missing_fields(assessment)} == {"ai_purpose", "ai_annex_area"}
    complete_proposal(assessment, editor, **SCREENING)
    assert missing_fields(assessment) == []


def test_sign_off_waits_for_the_assessment_and_names_what_is_missing(board):
    _org, editor, signers = board
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    complete_proposal(assessment, editor, **SCREENING)
    db.session.commit()
    assert checks.fria_complete(assessment) == [
        "Konsekvensanalysen for grundlæggende rettigheder (AI-forordningens artikel 27) mangler: "
        "Kommunens processer (artikel 27, stk. 1, litra a), Periode og hyppighed (artikel 27, stk. 1, litra b), "
        "Berørte personer og grupper (artikel 27, stk. 1, litra c), Risici for skade (artikel 27, stk. 1, litra d), "
        "Menneskeligt tilsyn (artikel 27, stk. 1, litra e), Tiltag, hvis risiciene indtræffer "
        "(artikel 27, stk. 1, litra f), Konsekvensanalyse efter databeskyttelsesforordningen (artikel 27, stk. 4)."
    ]
    with pytest.raises(services.TransitionBlocked, match="litra d"):
        sign_off(assessment, editor, signers)
    db.session.rollback()
    ai.save_fria(assessment, ANSWERS | {"fria_risks": ""}, expected_version=None, user=editor)
    assert "Risici for skade (artikel 27, stk. 1, litra d)" in checks.fria_complete(assessment)[0]
    ai.save_fria(assessment, ANSWERS, expected_version=None, user=editor)
    assert checks.fria_complete(assessment) == []


def test_the_category_alone_makes_it_needed_and_no_ai_needs_nothing(board):
    _org, editor, _signers = board
    assessment = make_assessment(editor)
    complete_proposal(assessment, editor)
    assert checks.fria_complete(assessment) == []
    complete_proposal(assessment, editor, technology_category="kunstig-intelligens")
    assert checks.fria_complete(assessment) and "litra a" in checks.fria_complete(assessment)[0]


@pytest.mark.parametrize(
    ("notified", "on", "message"),
    [
        (True, None, "Skriv datoen, hvor anmeldelsen blev sendt."),
        (False, date(2026, 1, 5), "Der kan kun stå en dato, når anmeldelsen er sendt. Vælg „Ja“, eller fjern datoen."),
        (True, date.today() + timedelta(days=400), "Datoen for anmeldelsen kan ikke ligge i fremtiden."),
        (True, date(2026, 1, 5), None),
        (False, None, None),
    ],
)
def test_the_notification_date_goes_with_a_sent_notification(app, notified, on, message):
    with app.test_request_context():
        assert checks.notification_problem(notified, on) == message


def test_the_service_refuses_a_notification_without_a_date(board):
    _org, editor, _signers = board
    assessment = make_assessment(editor)
    with pytest.raises(services.AssessmentError, match="Skriv datoen"):
        ai.save_fria(assessment, {"fria_notified": True}, expected_version=None, user=editor)


def make_ai_assessment(org=None, *, publish=False):
    org = org or make_org()
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor, title="Beslutningsstøtte i visitationen")
    answer_everything(assessment, editor)
    complete_proposal(assessment, editor, **SCREENING, supplier="Eksempel Algoritmer ApS")
    ai.save_fria(assessment, ANSWERS, expected_version=None, user=editor)
    sign_off(assessment, editor, signers)
    db.session.commit()
    if publish:
        services.transition(assessment, "publish", user=signers[1])
        db.session.commit()
    return assessment


def test_the_signed_record_is_schema_3_with_the_ai_section(app):
    assessment = make_ai_assessment()
    record = json.loads(assessment.signed_record.canonical_json)
    assert record["schema_version"] == canonical.SCHEMA_VERSION >= 3  # schema 3 added `ai`; later ones keep it
    jsonschema.validate(record, canonical.load_schema())
    section = record["ai"]
    assert (section["uses_ai"], section["annex_iii_area"], section["high_risk"], section["fria_required"]) == (
        "ja",
        "offentlige_ydelser",
        True,
        True,
    )
    fria = section["fria"]
    assert fria["wording"] == "Etikdialogs formulering – ikke forordningens officielle tekst"
    assert [e["letter"] for e in fria["elements"]] == list("abcdef")
    assert fria["elements"][3]["citation"] == "artikel 27, stk. 1, litra d"
    assert fria["elements"][3]["text"] == ANSWERS["fria_risks"]
    assert (fria["notified"], fria["notified_date"]) == (True, "2026-04-01")
    proposal = {item["field"]: item for item in record["proposal"]}
    assert proposal["ai_annex_area"]["group"] == "ai" and proposal["uses_ai"]["text"] == "Ja"


def test_schema_3_takes_an_optional_reused_from_and_refuses_a_wrong_one(app):
    record = json.loads(make_ai_assessment().signed_record.canonical_json)
    schema = canonical.load_schema()  # schema 3 made room for reused_from; the current one keeps it
    jsonschema.validate(
        record | {"reused_from": {"public_id": "A" * 16, "version": 2, "municipality": "Odense"}}, schema
    )
    for wrong in ({"public_id": "A" * 16}, {"public_id": "<b>", "version": 1, "municipality": "x"}, "Odense"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(record | {"reused_from": wrong}, schema)
    without_ai = {k: v for k, v in record.items() if k != "ai"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(without_ai, schema)


def test_a_record_without_ai_has_a_screening_and_no_assessment(app):
    from assessment_factories import make_signed

    record = json.loads(make_signed().signed_record.canonical_json)
    assert record["ai"] == {
        "uses_ai": "nej",
        "purpose": "",
        "annex_iii_area": "",
        "annex_iii_title": "",
        "high_risk": False,
        "fria_required": False,
        "fria": None,
    }
    answers = {item.key: item.answer for item in declaration(record)}
    assert answers["ai"].startswith("Nej. Kommunen vurderer, at teknologien ikke bruger kunstig intelligens")


def test_the_declaration_says_in_plain_danish_what_the_ai_does(app):
    record = json.loads(make_ai_assessment().signed_record.canonical_json)
    answer = {item.key: item for item in declaration(record)}["ai"]
    assert answer.question == "Bruger teknologien kunstig intelligens?"
    assert answer.answer.splitlines() == [
        "Ja. Teknologien bruger kunstig intelligens eller maskinlæring, eller den profilerer borgere.",
        "Hvad bruges den til?",
        SCREENING["ai_purpose"],
        "Er det højrisiko efter EU's AI-forordning?",
        "Brugen hører under et af de områder, hvor EU's AI-forordning regner kunstig intelligens for højrisiko "
        "(bilag III, punkt 5: adgang til væsentlige private og offentlige tjenester og ydelser (fx vurdering af, "
        "om en borger er berettiget til offentlige ydelser og tjenester, herunder sundhedsydelser)).",
        "Kommunen har vurderet konsekvenserne for borgernes grundlæggende rettigheder efter AI-forordningens "
        "artikel 27. Vurderingen er en del af det underskrevne dokument.",
    ]


def pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_signed_pdf_has_the_annex(app):
    assessment = make_ai_assessment()
    text = squash(pdf_text(bytes(assessment.signed_record.pdf)))
    assert "Kunstig intelligens: screening og konsekvensanalyse" in text
    assert "Etikdialogs formulering – ikke forordningens officielle tekst" in text
    assert "artikel 27, stk. 1, litra f" in text
    assert squash(ANSWERS["fria_measures"]) in text
    assert "Ja, 1. april 2026." in text


def test_a_pdf_without_ai_has_no_annex(app):
    from assessment_factories import make_signed

    text = squash(pdf_text(bytes(make_signed().signed_record.pdf)))
    assert "screening og konsekvensanalyse" not in text


def test_the_api_carries_the_assessment_as_structured_data(client):
    assessment = make_ai_assessment(publish=True)
    body = client.get(f"/api/v1/vurderinger/{assessment.public_id}").get_json()
    assert body["ai"] == body["record"]["ai"]
    assert body["ai"]["high_risk"] is True
    assert {e["field"]: e["text"] for e in body["ai"]["fria"]["elements"]}["fria_oversight"] == (
        ANSWERS["fria_oversight"]
    )


def test_the_public_page_shows_the_assessment_from_the_signed_record(client):
    assessment = make_ai_assessment(publish=True)
    # Live data changed behind the record's back is never shown.
    db.session.execute(
        db.update(type(assessment)).where(type(assessment).id == assessment.id).values(fria_risks="LIVE TEKST")
    )
    db.session.commit()
    html = client.get(f"/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert "Kunstig intelligens: konsekvenser for grundlæggende rettigheder" in html
    assert "Etikdialogs formulering – ikke forordningens officielle tekst" in html
    assert ANSWERS["fria_risks"] in html and "LIVE TEKST" not in html
    assert "Bruger teknologien kunstig intelligens?" in html


def test_the_notification_summary_as_json_and_pdf(client):
    assessment = make_ai_assessment()
    member = make_user(assessment.organisation, role="member")
    login(client, member)
    response = client.get(f"/intern/vurderinger/{assessment.public_id}/ai-anmeldelse.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    summary = json.loads(response.get_data(as_text=True))
    assert summary["status"] == "underskrevet"
    assert summary["deployer"]["name"] == assessment.organisation.name
    assert summary["assessment"]["record_sha256"] == assessment.signed_record.json_sha256
    assert summary["assessment"]["verification_code"] == assessment.signed_record.verification_code
    assert summary["technology"]["supplier"] == "Eksempel Algoritmer ApS"
    assert summary["ai"] == json.loads(assessment.signed_record.canonical_json)["ai"]
    assert "Etikdialogs formulering" in summary["note"]

    response = client.get(f"/intern/vurderinger/{assessment.public_id}/ai-anmeldelse.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = squash(pdf_text(response.data))
    assert "Resumé af konsekvensanalyse for grundlæggende rettigheder" in text
    assert assessment.signed_record.verification_code in text
    assert squash(ANSWERS["fria_persons"]) in text


def test_a_draft_summary_is_marked_and_no_assessment_means_no_summary(client, board):
    _org, editor, _signers = board
    assessment = make_assessment(editor)
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/ai-anmeldelse"
    assert client.get(url + ".json").status_code == 404
    complete_proposal(assessment, editor, **SCREENING)
    ai.save_fria(assessment, ANSWERS, expected_version=None, user=editor)
    db.session.commit()
    assert client.get(url + ".json").get_json()["status"] == "udkast"
    assert "UDKAST" in pdf_text(client.get(url + ".pdf").data)


@pytest.mark.parametrize("path", ["ai-konsekvensanalyse", "ai-anmeldelse.json", "ai-anmeldelse.pdf"])
def test_another_municipality_gets_404(client, path):
    assessment = make_ai_assessment()
    stranger = make_user(make_org("Andenby Kommune"), role="admin")
    login(client, stranger)
    assert client.get(f"/intern/vurderinger/{assessment.public_id}/{path}").status_code == 404
    assert client.post(f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse", data={}).status_code == 404


def test_logged_out_is_sent_to_login(client):
    assessment = make_ai_assessment()
    response = client.get(f"/intern/vurderinger/{assessment.public_id}/ai-anmeldelse.json")
    assert response.status_code in (302, 401)


# --- The board's page ---------------------------------------------------------------------


def page_form(client, assessment) -> dict:
    html = client.get(f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse").get_data(as_text=True)
    return {"row_version": hidden(html, "row_version"), "base": hidden(html, "base"), "fria_notified": "nej"}


def test_the_page_saves_and_names_the_article_and_letters(client, board):
    _org, editor, _signers = board
    assessment = make_assessment(editor)
    complete_proposal(assessment, editor, **SCREENING)
    db.session.commit()
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse"
    html = client.get(url).get_data(as_text=True)
    assert "Analysen skal udfyldes før underskrift" in html
    assert "Etikdialogs formulering – ikke forordningens officielle tekst." in html
    for letter in "abcdef":
        assert f"(artikel 27, stk. 1, litra {letter})" in html
    assert "data-autosave" in html and "<textarea" in html  # the unsaved-text guard covers it
    data = page_form(client, assessment) | {k: v for k, v in ANSWERS.items() if isinstance(v, str)}
    data |= {"fria_notified": "ja", "fria_notified_date": "2026-04-01"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    db.session.refresh(assessment)
    assert assessment.fria_oversight == ANSWERS["fria_oversight"] and assessment.fria_notified is True
    assert checks.fria_complete(assessment) == []
    # The stored yes shows as the checked radio (a bool read from the row, not the string "True").
    assert 'name="fria_notified" value="ja" checked' in client.get(url).get_data(as_text=True)


def test_a_member_may_read_but_not_save(client, board):
    org, editor, _signers = board
    assessment = make_assessment(editor)
    member = make_user(org, role="member")
    login(client, member)
    url = f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse"
    html = client.get(url).get_data(as_text=True)
    assert "<textarea" not in html and "Ifølge forslagets AI-screening" in html
    data = page_form_for_member(client, assessment) | {"fria_processes": "Forsøg"}
    assert client.post(url, data=data).status_code == 403
    db.session.refresh(assessment)
    assert assessment.fria_processes == ""


def page_form_for_member(client, assessment) -> dict:
    return {"row_version": str(assessment.row_version), "base": "{}", "fria_notified": "nej"}


HOSTILE = [
    ("fria_risks", "<script>alert(1)</script><b>fed</b>", None),
    ("fria_persons", "Borgere\x07 med \x1b[31mkontrol\x08tegn", None),
    ("fria_processes", "x" * 5001, "Teksten må højst være 5.000 tegn."),
    ("fria_dpia", "d" * 501, "Teksten må højst være 500 tegn."),
    ("fria_notified", "måske", "Vælg en af mulighederne."),
    ("fria_notified_date", "31-02-2026", None),
    ("fria_notified_date", "1850-01-01", "Vælg en dato mellem år 2000 og 2100."),
    ("row_version", "'; DROP TABLE assessment; --", "Ugyldig version. Genindlæs siden."),
]


@pytest.mark.parametrize(("field", "value", "message"), HOSTILE)
def test_hostile_input_gives_a_danish_message_and_the_typed_text_back(client, board, field, value, message):
    _org, editor, _signers = board
    assessment = make_assessment(editor)
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse"
    typed = "Skrevet tekst, der skal komme igen"
    data = page_form(client, assessment) | {"fria_period": typed, field: value}
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code in (302, 422), html[:500]
    if response.status_code == 422:
        assert typed in html
        if message:
            assert message in html
    if field == "fria_risks":
        assert response.status_code == 302
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    db.session.refresh(assessment)
    if field == "fria_persons":  # control characters are dropped before validation (app.core.text)
        assert response.status_code == 302
        assert assessment.fria_persons == "Borgere med [31mkontroltegn"
    if response.status_code == 422:
        assert assessment.fria_period == ""


def test_the_demo_has_an_ai_based_technology_signed_and_published_with_its_assessment(runner, client):
    from app.public.models import Publication

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    found = [
        p
        for p in db.session.scalars(db.select(Publication))
        if (json.loads(p.signed_record.canonical_json).get("ai") or {}).get("fria")
    ]
    assert len(found) == 1
    record = json.loads(found[0].signed_record.canonical_json)
    assert record["technology"]["category"] == "kunstig-intelligens" and record["ai"]["high_risk"]
    assert all(e["text"] for e in record["ai"]["fria"]["elements"])
    html = client.get(f"/vurderinger/{found[0].public_id}").get_data(as_text=True)
    assert "Kunstig intelligens: konsekvenser for grundlæggende rettigheder" in html


def test_the_assessment_counts_toward_the_pdf_bounds_and_is_named(board):
    from app.signoff.checks import document_within_bounds

    _org, editor, _signers = board
    assessment = make_assessment(editor)
    complete_proposal(assessment, editor, **SCREENING)
    ai.save_fria(assessment, ANSWERS | {"fria_risks": "\n".join(["Risiko"] * 61)}, expected_version=None, user=editor)
    problems = document_within_bounds(assessment)
    assert any("„AI-konsekvensanalysen: Risici for skade“ har 61 afsnit" in p for p in problems), problems


def test_the_overview_counts_the_assessment_and_documents_and_the_dpia_prefills(client, board):
    from app.documents import services as document_services

    _org, editor, _signers = board
    assessment = make_assessment(editor)
    complete_proposal(assessment, editor, **SCREENING)
    db.session.commit()
    login(client, editor)
    overview = client.get(f"/intern/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert 'data-section="ai"' in overview and 'data-section="dokumenter"' in overview
    url = f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse"
    assert "Udfyldt fra konsekvensanalysen" not in client.get(url).get_data(as_text=True)
    document_services.save_document(
        assessment,
        "dpia",
        {
            "status": "foreligger",
            "title": "DPIA for sensorer",
            "url": "https://esdh.example.dk/sag/42",
            "document_date": date(2026, 2, 1),
        },
        user=editor,
    )
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "Udfyldt fra konsekvensanalysen" in html
    assert 'value="DPIA for sensorer, https://esdh.example.dk/sag/42"' in html
    overview = client.get(f"/intern/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert '<span class="progress-count" data-section="dokumenter">1 af 4</span>' in overview


def test_no_ai_means_no_progress_line_for_the_assessment(board):
    from app.ai.checks import progress_line

    _org, editor, _signers = board
    assessment = make_assessment(editor)
    complete_proposal(assessment, editor, uses_ai="nej")
    assert progress_line(assessment) is None
