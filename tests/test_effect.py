"""Measured effect: the board records it in the append-only follow-up log, and
the public page shows it beside the expected effect from the signed record."""

from __future__ import annotations

from datetime import date

import pytest
from assessment_factories import make_assessment, make_published, make_signed
from factories import login, make_org, make_user

from app.assessments import services as assessments
from app.extensions import db
from app.followup import services
from app.followup.models import EffectMeasurement


def test_a_measurement_is_added_never_changed_and_audited(org):
    assessment = make_signed(org)
    editor = make_user(org, role="editor")
    first = services.record_effect(
        assessment, outcome="mindre", measured="Fald faldt 10 %, ikke 30 %.", user=editor, today=date(2027, 12, 1)
    )
    services.record_effect(assessment, outcome="som_forventet", measured="Efter et år: 28 % færre fald.", user=editor)
    db.session.commit()
    log = services.effect_log(assessment)
    assert [e.outcome for e in log] == ["som_forventet", "mindre"]  # newest first, the first one kept
    assert db.session.get(EffectMeasurement, first.id).measured == "Fald faldt 10 %, ikke 30 %."
    assert not hasattr(services, "change_effect") and not hasattr(services, "remove_effect")


@pytest.mark.parametrize(
    ("outcome", "measured", "message"),
    [
        ("bedre", "", "Skriv, hvad der er målt"),
        ("bedre", "x" * 2001, "Højst 2000 tegn"),
        ("fantastisk", "Noget", "Vælg, hvordan effekten"),
    ],
)
def test_bad_measurements_are_refused(org, outcome, measured, message):
    assessment = make_signed(org)
    with pytest.raises(services.FollowupError, match=message):
        services.record_effect(assessment, outcome=outcome, measured=measured, user=make_user(org, role="editor"))


def test_only_decided_assessments_and_editors(org):
    editor = make_user(org, role="editor")
    draft = make_assessment(editor)
    with pytest.raises(services.FollowupError, match="underskrevet"):
        services.record_effect(draft, outcome="bedre", measured="Noget", user=editor)
    with pytest.raises(assessments.NotAllowed):
        services.record_effect(make_signed(org), outcome="bedre", measured="Noget", user=make_user(org, role="member"))


def test_the_board_records_through_the_log_page_and_gets_the_form_back(client, org):
    assessment = make_signed(org)
    login(client, make_user(org, role="editor"))
    url = f"/intern/vurderinger/{assessment.public_id}/opfoelgning"
    page = client.get(url).get_data(as_text=True)
    assert "Forventet effekt (fra den underskrevne vurdering)" in page and "Færre uopdagede fald" in page
    response = client.post(f"{url}/effekt", data={"outcome": "bedre", "measured": "Målt <b>tekst</b> " + "x" * 2000})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Højst 2000 tegn" in body and "Målt &lt;b&gt;tekst&lt;/b&gt;" in body
    response = client.post(f"{url}/effekt", data={"outcome": "bedre", "measured": "36 % færre uopdagede fald."})
    assert response.status_code == 303
    assert "36 % færre uopdagede fald." in client.get(url).get_data(as_text=True)


def test_members_and_other_municipalities_cannot_record(client, org):
    assessment = make_signed(org)
    login(client, make_user(org, role="member"))
    url = f"/intern/vurderinger/{assessment.public_id}/opfoelgning/effekt"
    assert client.post(url, data={"outcome": "bedre", "measured": "Noget"}).status_code == 403
    client.post("/intern/logout")
    login(client, make_user(make_org("Fremmedby Kommune"), role="admin"))
    assert client.post(url, data={"outcome": "bedre", "measured": "Noget"}).status_code == 404
    assert db.session.query(EffectMeasurement).count() == 0


def test_the_public_page_shows_expected_and_measured_side_by_side(client, org):
    assessment = make_published(org)
    page = client.get(f"/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert (
        "Effekt: forventet og målt" in page
        and "Færre uopdagede fald" in page
        and "Effekten er ikke målt endnu." in page
    )
    services.record_effect(
        assessment, outcome="mindre", measured="Kun 12 % færre fald det første år.", user=make_user(org, role="editor")
    )
    db.session.commit()
    page = client.get(f"/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert "Kun 12 % færre fald det første år." in page and "Mindre end forventet" in page
    expected_at = page.index("Forventet effekt (fra den underskrevne vurdering)")
    assert expected_at < page.index("Færre uopdagede fald", expected_at) < page.index("Kun 12 % færre fald")
