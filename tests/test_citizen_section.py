"""The citizen section ("Kort fortalt", issue 28 item 5) built from a plain record: every rule at
the lowest layer, on hand-made records (the PDF and the pages print what this builds)."""

import pytest

from app.assessments.declaration import NOT_GIVEN, Part, declaration, readability_section
from app.assessments.proposal import FIELDS_BY_NAME, absent_text

TEXTS = {
    "problem": "Borgerne falder om natten.",
    "technology_name": "Sensorer",
    "technology_description": "Sensorer i loftet giver besked, når en borger falder.",
    "automation_level": ("foreslaar", "Den foreslår eller giver en alarm, og et menneske tager stilling"),
    "human_response": "Nattevagten ser alarmen og går ind inden for fem minutter.",
    "override": "Ja. Medarbejderen kan slå alarmen fra for en nat.",
    "error_rates": "Leverandøren oplyser én falsk alarm om ugen.",
    "uses_ai": ("nej", "Nej"),
    "ai_purpose": "",
    "ai_annex_area": (None, ""),
    "expected_effect": "Færre borgere ligger længe på gulvet.",
    "effect_baseline": "I dag ligger en borger i gennemsnit 40 minutter.",
    "effect_followup": "Plejecentret tæller fald hver måned.",
    "expected_benefits": (["livskvalitet"], "Øget livskvalitet for borgerne"),
    "cost_one_off": (260000, "260.000 kr."),
    "cost_yearly": (52000, "52.000 kr."),
    "funding": "ældreområdets driftsbudget",
    "freed_hours_yearly": (600, "600 timer"),
    "without_technology": "Nattevagten går runder hver time.",
    "alternatives_considered": "Flere nattevagter blev fravalgt af hensyn til økonomien.",
    "participation": ("frivillig", "Frivilligt for borgeren"),
    "legal_basis": "Borgeren giver skriftligt samtykke.",
    "opt_out": "Ja. Du får runder som i dag.",
    "proxy_consent": "En værge kan give samtykke for en borger, der ikke selv kan.",
    "restricts_freedom": ("nej", "Nej"),
    "force_legal_basis": "",
    "trial": "Sensorerne er afprøvet på ét plejecenter i tre måneder.",
    "failure_plan": "Svigter de, går nattevagten runder igen.",
    "barrier_implementation": ("nogen", "I nogen grad"),
    "barrier_implementation_note": "Nattevagterne skal lære et nyt system",
    "barrier_economy": ("slet_ikke", "Slet ikke"),
    "barrier_economy_note": "",
    "decision_body": "Ældreudvalget",
    "decision_meeting_date": ("2027-01-20", "20. januar 2027"),
    "in_use_date": ("2027-03-01", "1. marts 2027"),
    "supplier": "Sensorfirmaet A/S",
    "public_contact": "Plejecentret, telefon 12 34 56 78",
}


def make_record(decision="anbefales_med_betingelser", schema=4, **changes) -> dict:
    texts = {**TEXTS, **changes}
    proposal = []
    for name, given in texts.items():
        value, text = given if isinstance(given, tuple) else (given, given)
        proposal.append({"field": name, "value": value, "text": text})
    return {
        "schema_version": schema,
        "technology": {"category": "sensorer"},
        "proposal": proposal,
        "decision": {
            "decision": decision,
            "label": {"anbefales_ikke": "Anbefales ikke"}.get(decision, "Anbefales med betingelser"),
            "reasoning": "Sensorerne giver ro om natten.\nDe erstatter ikke nattevagten.",
            "review_date": "2028-01-01",
        },
        "actions": [
            {
                "description": "Nattevagterne oplæres",
                "owner": "Plejecenterlederen",
                "due_date": "2027-02-15",
                "is_condition": True,
            },
            {"description": "Evaluering efter et år", "owner": "", "due_date": None, "is_condition": True},
            {
                "description": "Nyhedsbrev til pårørende",
                "owner": "Kommunikation",
                "due_date": None,
                "is_condition": False,
            },
        ],
    }


def items(record, **kwargs) -> dict:
    return {item.key: item for item in declaration(record, **kwargs)}


def test_every_further_answer_has_its_own_question_so_no_nej_is_followed_by_a_ja():
    for item in declaration(make_record()):
        for part in item.parts[1:]:
            assert part.question, (item.key, part)
        for index, part in enumerate(item.parts):
            if index and part.text.startswith(("Ja.", "Nej.")):
                assert part.question.endswith("?"), (item.key, part)
    automation = items(make_record())["automation"]
    assert automation.parts[0] == Part(
        "",
        "Nej. Teknologien foreslår eller giver en alarm, men det er et menneske, der tager stilling til, hvad der skal ske.",
    )
    assert Part("Kan en medarbejder eller du selv sætte teknologien til side?", TEXTS["override"]) in automation.parts


def test_the_recommendation_gives_its_reasoning_and_lists_the_conditions():
    decision = items(make_record())["decision"]
    assert decision.question == "Hvad anbefaler etikrådet?"
    assert decision.parts[0].text.startswith(
        "Etikrådet anbefaler, at kommunen tager teknologien i brug på de betingelser"
    )
    assert "den formelle beslutning træffes af Ældreudvalget." in decision.parts[0].text
    assert decision.parts[1] == Part("Hvorfor?", "Sensorerne giver ro om natten.\nDe erstatter ikke nattevagten.")
    conditions = decision.parts[2]
    assert conditions.question == "Hvilke betingelser stiller etikrådet?"
    assert conditions.items == (
        "Nattevagterne oplæres.\nAnsvarlig er Plejecenterlederen, og fristen er 15. februar 2027.",
        "Evaluering efter et år.",
    )  # an action that is no condition is not listed


def test_a_record_before_schema_4_keeps_its_wording_but_gains_the_reasoning():
    decision = items(make_record(schema=3))["decision"]
    assert decision.question == "Hvad har kommunen besluttet?"
    assert decision.parts[0].text == "Anbefales med betingelser"
    assert [p.question for p in decision.parts[1:]] == ["Hvorfor?", "Hvilke betingelser er der?"]


def test_the_supplier_the_proxy_consent_and_the_barriers_are_answered():
    answers = items(make_record())
    assert Part("Hvem leverer teknologien?", "Leverandøren er Sensorfirmaet A/S.") in answers["technology"].parts
    assert answers["proxy_consent"].question == "Hvad sker der, hvis jeg ikke selv kan give samtykke?"
    assert answers["proxy_consent"].answer == TEXTS["proxy_consent"]
    assert answers["barriers"].parts[0].items == (
        "At få teknologien til at fungere i praksis er i nogen grad en barriere.\nNattevagterne skal lære et nyt system.",
        "Økonomien er slet ikke en barriere.",
    )
    unnamed = items(make_record(supplier=""))["technology"]
    assert Part("Hvem leverer teknologien?", "Kommunen har ikke oplyst, hvem leverandøren er.") in unnamed.parts


def test_a_proposal_that_is_not_recommended_speaks_of_costs_and_effects_conditionally():
    answers = items(make_record(decision="anbefales_ikke"))
    cost = answers["cost"].answer
    assert cost.startswith("Engangsudgiften ville være 260.000 kr., og driften ville koste 52.000 kr. om året.")
    assert "Udgiften ville blive finansieret af ældreområdets driftsbudget." in cost
    assert "Teknologien ville frigøre medarbejdertid svarende til cirka 600 timer om året." in cost
    assert "Engangsudgiften er" not in cost and "finansieres af" not in cost
    effect = answers["effect"].parts[0].text
    assert effect.startswith("Teknologien er ikke anbefalet. Hvis den blev taget i brug, ville den ifølge forslaget")
    assert "Forslaget regnede med disse gevinster: øget livskvalitet for borgerne." in effect
    assert "Efter forslaget skulle teknologien tages i brug den 1. marts 2027." in answers["decision_place"].answer
    assert answers["decision"].parts[0].text.startswith("Etikrådet anbefaler ikke")

    recommended = items(make_record(decision="anbefales"))
    assert recommended["cost"].answer.startswith("Engangsudgiften er 260.000 kr., og driften koster 52.000 kr.")
    assert "Kommunen forventer disse gevinster" in recommended["effect"].answer


def test_the_formal_decision_is_worded_apart_from_the_recommendation():
    place = items(make_record())["decision_place"]
    assert place.question == "Hvem træffer den formelle beslutning, og hvornår?"
    assert place.answer.startswith("Den formelle beslutning træffes af Ældreudvalget på mødet den 20. januar 2027.")
    assert "er truffet" not in " ".join(i.answer for i in declaration(make_record()))


def test_a_consultation_shows_no_decision_and_never_says_one_was_made():
    """The proposal as frozen for a consultation: even a snapshot made under schema 3 says the
    decision is still to be made, and no item speaks of a recommendation or a review."""
    snapshot = make_record(schema=3)
    del snapshot["decision"], snapshot["actions"]
    answers = items(snapshot, consultation=True)
    assert "decision" not in answers and "review" not in answers
    assert answers["decision_place"].answer.startswith("Den formelle beslutning træffes af Ældreudvalget")
    every = " ".join(item.answer for item in answers.values())
    assert "er truffet" not in every and "anbefaler" not in every


@pytest.mark.parametrize(
    ("uses_ai", "purpose", "opening"),
    [
        (("ja", "Ja"), "Systemet foreslår, hvem der skal have besøg.", "Ja. Teknologien bruger kunstig intelligens"),
        (("nej", "Nej"), "", "Nej. Kommunen vurderer, at teknologien ikke bruger kunstig intelligens"),
    ],
)
def test_the_ai_answer_comes_from_a_frozen_proposal_without_an_ai_section(uses_ai, purpose, opening):
    """A consultation freezes the proposal's fields, not the record's `ai` section: the answer is
    read from the screening's fields, never "Ikke oplyst endnu"."""
    snapshot = make_record(uses_ai=uses_ai, ai_purpose=purpose)
    assert "ai" not in snapshot
    answer = items(snapshot, consultation=True)["ai"]
    assert answer.answer.startswith(opening)
    if purpose:
        assert Part("Hvad bruges den til?", purpose) in answer.parts


def test_an_empty_answer_is_not_given_and_prints_nothing_else():
    answer = items(make_record(public_contact=""))["contact"]
    assert answer.parts == () and answer.answer == NOT_GIVEN


def test_a_nej_is_never_printed_as_ikke_udfyldt(app):
    """The proposal's follow-up questions after a "Nej" (AI, freedom) are not relevant, an
    optional field left empty is not given, and only a needed one is "Ikke udfyldt"."""
    proposal = make_record()["proposal"]
    assert absent_text("ai_purpose", proposal) == "Ikke relevant for denne teknologi."
    assert absent_text("force_legal_basis", proposal) == "Ikke relevant for denne teknologi."
    assert not FIELDS_BY_NAME["barrier_economy_note"].required
    assert absent_text("barrier_economy_note", proposal) == "Ikke oplyst."
    assert absent_text("problem", proposal) == "Ikke udfyldt."
    said_yes = make_record(uses_ai=("ja", "Ja"))["proposal"]
    assert absent_text("ai_purpose", said_yes) == "Ikke udfyldt."


def test_the_citizen_section_readability_is_its_lix():
    record = make_record()
    section = readability_section(record)
    assert set(section) == {"lix", "words", "sentences", "long_words"}
    assert 10 < section["lix"] < 60
    assert section["words"] > 100
    assert readability_section({"schema_version": 4, "proposal": []}) is None
