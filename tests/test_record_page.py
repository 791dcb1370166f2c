"""The readable record and consultation pages (issue 34 item 1) and the citizen section they and
the PDF print (issue 28 items 5 and 6), through the real services, on SQLite and PostgreSQL."""

import io
import json
import re

from assessment_factories import answer_everything, complete_proposal, make_assessment
from consultation_factories import open_consultation
from factories import make_org, make_user
from pypdf import PdfReader

from app.assessments.declaration import declaration
from app.extensions import db


def _between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_the_record_page_opens_with_a_summary_a_menu_and_folding_sections(client, published):
    record = json.loads(published.signed_record.canonical_json)
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    summary = _between(page, 'aria-labelledby="kort-om"', "</section>")
    assert "Etikrådets anbefaling:" in summary and "<strong>Anbefales med betingelser</strong>" in summary
    assert "Etikrådet anbefaler, at kommunen tager teknologien i brug på de betingelser" in summary
    conditions = _between(summary, 'class="record-conditions"', "</ul>")
    assert "Evaluér ordningen efter et år." in conditions
    assert "Ansvarlig er Leder af Sundhed og Omsorg, og fristen er 1. juni 2027." in conditions
    # The meeting has passed and no decision addendum was added: the summary says so (app/addenda).
    assert "Beslutningen skulle træffes af Ældre- og Sundhedsudvalget på mødet den 2. marts 2026." in summary
    assert "Kommunen har endnu ikke tilføjet beslutningen til vurderingen." in summary
    assert f"LIX {record['readability']['lix']}" in summary and "Under 40 er let at læse" in summary
    # The summary, then the menu, then the sections; every menu link has its target.
    assert page.index('id="kort-om"') < page.index('id="paa-siden"') < page.index('id="erklaering"')
    menu = _between(page, 'id="paa-siden"', "</nav>")
    targets = re.findall(r'href="#([a-z-]+)"', menu)
    assert len(targets) >= 10
    for target in targets:
        assert f'id="{target}"' in page, target
    # Each signed section folds (a dkfds accordion, open when the page comes).
    for section in ("erklaering", "forslaget", "beslutning", "spoergsmaal", "handlingsplan", "underskrifter"):
        assert (
            f'<h2 id="{section}"><button class="accordion-button" type="button" aria-expanded="true" '
            f'aria-controls="{section}-indhold">'
        ) in page
        assert f'<div id="{section}-indhold" class="accordion-content" aria-hidden="false">' in page


def test_the_record_page_prints_the_citizen_section_with_its_own_questions(client, published):
    record = json.loads(published.signed_record.canonical_json)
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    section = _between(page, 'id="erklaering-indhold"', 'id="forslaget"')
    for item in declaration(record):
        assert item.question in section
        for part in item.parts:
            if part.question:
                assert f'<h4 class="declaration-subquestion">{part.question}</h4>' in section
    assert '<h4 class="declaration-subquestion">Hvorfor?</h4>' in section
    assert "Gevinsten for borgerne opvejer ulemperne." in section


def test_the_signed_record_carries_its_readability_and_the_proposal_says_not_relevant(client, published):
    record = json.loads(published.signed_record.canonical_json)
    assert record["readability"]["lix"] > 0 and record["readability"]["words"] > 50
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    proposal = _between(page, 'id="forslaget-indhold"', 'id="beslutning"')
    # uses_ai is "nej" in the factory's proposal: its follow-up questions are not relevant.
    purpose = _between(proposal, "Hvad bruges den kunstige intelligens eller profileringen til?</dt>", "</dd>")
    assert "Ikke relevant for denne teknologi." in purpose
    assert "Ikke udfyldt" not in proposal


def test_a_not_recommended_record_reads_conditionally_in_its_pdf(app):
    org = make_org("Betingetby Kommune")
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor, title="Kamera om natten")
    answer_everything(assessment, editor, decision="anbefales_ikke")
    from assessment_factories import sign_off

    sign_off(assessment, editor, signers)
    db.session.commit()
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(bytes(assessment.signed_record.pdf))).pages[:6]
    )
    text = " ".join(text.split())
    section = _between(text, "1. Gennemsigtighedserklæring", "2. Forslaget")
    assert "Etikrådet anbefaler ikke, at kommunen tager teknologien i brug." in section
    assert "Hvorfor? Gevinsten for borgerne opvejer ulemperne." in section
    assert "Hvem leverer teknologien?" in section
    assert "Hvad sker der, hvis jeg ikke selv kan give samtykke?" in section
    assert "Hvad kan gøre det svært at bruge teknologien?" in section
    assert "Engangsudgiften ville være 450.000 kr., og driften ville koste 120.000 kr. om året." in section
    assert "Engangsudgiften er" not in section


def test_the_consultation_page_shows_the_ai_answer_of_its_frozen_proposal(client, app):
    org = make_org("Høringsby Kommune")
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor, title="Besøgsplan med kunstig intelligens")
    complete_proposal(
        assessment,
        editor,
        uses_ai="ja",
        ai_purpose="Systemet foreslår, hvilke borgere der skal have besøg først.",
        ai_annex_area="ingen",
    )
    consultation = open_consultation(assessment, editor)
    db.session.commit()
    page = client.get(f"/hoeringer/{consultation.public_id}").get_data(as_text=True)
    answer = _between(page, "Bruger teknologien kunstig intelligens?", "</div>")
    assert "Ja. Teknologien bruger kunstig intelligens eller maskinlæring" in answer
    assert "Systemet foreslår, hvilke borgere der skal have besøg først." in answer
    assert "Ikke oplyst endnu" not in answer
    summary = _between(page, 'aria-labelledby="kort-om"', "</section>")
    assert "Kort om høringen" in summary and "Høringsperiode" in summary
    assert 'href="#svar"' in page


def test_the_consultation_page_never_says_both_decided_and_not_decided(client, app):
    from assessment_factories import sign_off

    from app.assessments import services as assessments
    from app.consultation import services as consultations

    org = make_org("Afgjortby Kommune")
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor, title="Skærmbesøg")
    answer_everything(assessment, editor)
    consultation = open_consultation(assessment, editor)
    db.session.commit()
    url = f"/hoeringer/{consultation.public_id}"
    before = client.get(url).get_data(as_text=True)
    assert "Etikrådet giver sin anbefaling efter høringen" in before
    assert "Den formelle beslutning træffes af Ældre- og Sundhedsudvalget" in before
    assert "er truffet" not in before and "blev truffet" not in before

    consultations.close_consultation(consultation, user=editor)
    sign_off(assessment, editor, signers)
    assessments.transition(assessment, "publish", user=signers[1])
    db.session.commit()
    after = client.get(url).get_data(as_text=True)
    assert "læs resultatet" in after  # the result is linked once it is signed
    assert "Etikrådet giver sin anbefaling efter høringen" not in after
    assert "ikke truffet" not in after and "er truffet" not in after


def test_the_board_sees_the_lix_of_each_citizen_facing_answer_and_it_never_blocks(client, app):
    from factories import login

    from app.assessments.declaration import CITIZEN_FIELDS
    from app.core.readability import lix

    editor = make_user(make_org("Lixby Kommune"), role="editor")
    assessment = make_assessment(editor)
    hard = "Kommunalbestyrelsens velfærdsteknologiske implementeringsstrategi forudsætter organisationsudvikling."
    complete_proposal(assessment, editor, problem=hard)
    db.session.commit()
    login(client, editor)
    page = client.get(f"/intern/vurderinger/{assessment.public_id}/forslag").get_data(as_text=True)
    shown = set(re.findall(r'id="([a-z_]+)-lix"', page))
    assert shown == {name for name in CITIZEN_FIELDS if name != "decision_reasoning"}
    problem = _between(page, 'id="problem-lix"', "</p>")
    assert f"Læsbarhed: LIX {lix(hard).score}. Sigt efter under 40: prøv kortere sætninger og kortere ord." in problem
    assert lix(hard).score >= 40  # a hard text is saved all the same: the figure informs, never blocks
    assert assessment.problem == hard
    decision = client.get(f"/intern/vurderinger/{assessment.public_id}/beslutning").get_data(as_text=True)
    assert 'id="decision_reasoning-lix"' in decision
