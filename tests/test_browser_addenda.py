"""Browser journey: the secretariat adds the committee's formal decision to a published record; the
public page then says the decision was made, axe-core finds no violations, and etikdialog-verify
accepts the record with its chain of addenda, fetched from the portal."""

import json

import pytest
from assessment_factories import make_published
from conftest import FROZEN_TODAY
from etikdialog_verify import cli
from factories import log_in, make_org, make_user

from app.extensions import db
from app.signing import keys

pytestmark = pytest.mark.browser


def test_the_secretariat_adds_the_formal_decision_and_the_verifier_accepts_it(
    app, page, live_server, assert_accessible, capsys, tmp_path
):
    org = make_org("Aarhus Kommune")
    assessment = make_published(org, title="Nattilsyn med sensorer")
    editor = make_user(org, role="editor", name="Jonas Lund")
    public_id = assessment.public_id
    db.session.commit()

    log_in(page, editor)
    page.goto(f"/intern/vurderinger/{public_id}/tillaeg")
    assert_accessible(page)
    page.get_by_role("link", name="Formel beslutning").click()
    page.wait_for_load_state()
    assert page.get_by_label("Hvem traf beslutningen?").input_value() == "Ældre- og Sundhedsudvalget"
    page.get_by_label("Dato for beslutningen").fill(FROZEN_TODAY.isoformat())
    page.get_by_role("button", name="Underskriv og tilføj").click()  # no outcome, no text: the form comes back
    page.wait_for_load_state()
    assert "Skriv, hvad der er sket." in page.locator(".alert-error").inner_text()
    assert_accessible(page)
    page.get_by_label("Godkendt", exact=True).check()
    page.get_by_label("Hvad blev besluttet?").fill("Udvalget godkendte indstillingen uden ændringer.")
    page.get_by_role("button", name="Underskriv og tilføj").click()
    page.wait_for_load_state()
    assert "Tillægget er underskrevet" in page.locator("body").inner_text()

    page.goto(f"/vurderinger/{public_id}")
    main = page.locator("main").inner_text()
    assert "Beslutningen blev truffet den" in main and "Udvalget godkendte indstillingen uden ændringer." in main
    assert_accessible(page)

    files = {}
    downloads = (
        ("pdf", f"/vurderinger/{public_id}.pdf"),
        ("record", f"/vurderinger/{public_id}.json"),
        ("proof", f"/vurderinger/{public_id}/logbevis.json"),
    )
    for name, path in downloads:
        files[name] = tmp_path / name
        files[name].write_bytes(page.request.get(path).body())
    roots = tmp_path / "roots.pem"
    roots.write_bytes(keys.roots_pem(app.config))
    chain = tmp_path / "tillaeg.json"
    chain.write_bytes(page.request.get(f"/vurderinger/{public_id}/tillaeg.json").body())
    assert len(json.loads(chain.read_bytes())["addenda"]) == 1
    code = cli.main(
        [str(files["pdf"]), "--roots", str(roots), "--record", str(files["record"]), "--addenda", str(chain)]
        + ["--proof", str(files["proof"]), "--log-key", page.request.get("/api/v1/log/key").json()["vkey"]]
    )
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "Alle 1 tillæg er registreret i den offentlige log." in out
