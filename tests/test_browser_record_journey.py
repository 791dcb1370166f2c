"""The record's whole journey in the browser (issue 28, "Done when"): a second municipality reuses a
published record, is refused sign-off until its board has confirmed the fields taken over, explains
a contradiction, records who was present and a conflict of interest, signs, publishes, and adds the
committee's formal decision as an addendum that etikdialog-verify accepts.

Only the bulk of the board's own answers is written through the services (it would be a hundred
form posts); every step the issue names happens in the browser, as the board would do it.
"""

import json

import pytest
from assessment_factories import answer_everything, make_published
from browser_helpers import fits_and_is_accessible, off_the_browser_loop
from conftest import FROZEN_TODAY
from etikdialog_verify import cli
from factories import PASSWORD, log_in, make_org, make_user
from playwright.sync_api import expect
from sqlalchemy import select

from app.assessments import services as assessments
from app.assessments.models import Assessment
from app.extensions import db
from app.signing import keys

pytestmark = pytest.mark.browser

MARK = "Overtaget fra Odense Kommune, version 1"
EXPLANATION = "Flertallet ville vente på Odenses evaluering; udvalget fulgte forvaltningens indstilling."
CONFLICT = "Anne Berg: gift med leverandørens direktør"


def recommendation_ids(app) -> list[str]:
    from app.content.loader import get_content

    with app.app_context():
        return [r.id for r in get_content().recommendations]


def log_in_as(page, user) -> None:
    page.context.clear_cookies()
    log_in(page, user)


def take_stance(page, overview: str, stance: str) -> None:
    page.goto(f"{overview}/holdning")
    page.get_by_label(stance, exact=True).check()
    page.get_by_role("button", name="Gem min holdning").click()
    page.wait_for_load_state()


def test_a_reused_record_is_read_explained_attended_signed_published_and_decided(
    app, page, assert_accessible, capsys, tmp_path
):
    source_id = off_the_browser_loop(
        app, lambda: make_published(make_org("Odense Kommune"), title="GPS til borgere med demens").public_id
    )
    esbjerg = make_org("Esbjerg Kommune")
    editor = make_user(esbjerg, role="editor", name="Fatima Hassan", title="Sekretær")
    chair = make_user(esbjerg, role="admin", name="Mette Juul", title="Formand")
    member = make_user(esbjerg, role="member", name="Lars Holm", title="Medlem")
    make_user(esbjerg, role="member", name="Anne Berg", title="Medlem")  # present, but has a conflict
    main = page.locator("main")

    # 1. Reuse: the draft starts from Odense's record, every field taken over marked as such.
    log_in(page, editor)
    page.get_by_role("link", name="Start fra en offentliggjort vurdering").click()
    page.wait_for_url("**/intern/genbrug/")
    fits_and_is_accessible(page, assert_accessible)
    page.get_by_role("link", name="GPS til borgere med demens").click()
    page.wait_for_url(f"**/intern/genbrug/{source_id}")
    fits_and_is_accessible(page, assert_accessible)
    page.get_by_label("Titel på jeres vurdering").fill("GPS til borgere med demens i Esbjerg")
    page.get_by_role("button", name="Opret udkast").click()
    page.wait_for_url("**/intern/vurderinger/*")
    assert "felter er overtaget og hverken bekræftet eller rettet endnu" in main.inner_text()
    overview = page.url
    public_id = overview.rstrip("/").rsplit("/", 1)[-1]

    page.get_by_role("link", name="Forslag").first.click()
    proposal = page.url
    assert MARK in page.locator("#problem-hint").inner_text()
    fits_and_is_accessible(page, assert_accessible)
    page.get_by_label("Hvilket problem skal løses?").fill("Borgere med demens i Esbjerg farer vild på gåture.")
    page.get_by_role("button", name="Gem forslaget").click()
    page.wait_for_load_state()
    assert page.locator("#problem-hint").count() == 0 or MARK not in page.locator("#problem-hint").inner_text()
    assert "Ikke bekræftet endnu." in page.locator("#target_group-hint").inner_text()  # not edited: still marked

    # The board's own answers to the guiding questions (the bulk, through the services).
    def answer():
        draft = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
        writer = db.session.merge(editor)
        answer_everything(draft, writer, meeting=False)
        assessments.save_proposal(
            draft, {"problem": "Borgere med demens i Esbjerg farer vild."}, expected_version=None, user=writer
        )
        for row in draft.questions:
            assessments.save_question(
                row,
                {"discussion": "Esbjergs drøftelse.", "answer": "Esbjergs svar."},
                expected_version=None,
                user=writer,
            )
        assessments.transition(draft, "start_deliberation", user=writer)
        db.session.commit()

    off_the_browser_loop(app, answer)

    # 2. The meeting: who was present, one absent, and a declared conflict of interest.
    page.goto(f"{overview}/beslutning")
    page.get_by_label("Medlemmer til stede").fill(
        "Fatima Hassan, Sekretær\nMette Juul, Formand\nLars Holm, Medlem\nAnne Berg, Medlem"
    )
    page.get_by_label("fraværende").fill("1")
    page.get_by_label("Inhabilitet").fill("Anne Berg gift med direktøren")  # no colon: comes back, as typed
    page.get_by_role("button", name="Gem beslutningen").click()
    page.wait_for_load_state()
    assert "skriv navnet og begrundelsen adskilt af et kolon" in page.locator(".form-error-message").inner_text()
    assert page.get_by_label("Inhabilitet").input_value() == "Anne Berg gift med direktøren"
    assert page.get_by_label("Medlemmer til stede").input_value().startswith("Fatima Hassan, Sekretær")
    page.get_by_label("Inhabilitet").fill(CONFLICT)
    page.get_by_role("button", name="Gem beslutningen").click()
    page.wait_for_load_state()
    assert page.locator(".form-error-message").count() == 0
    fits_and_is_accessible(page, assert_accessible)

    # The stances: the secretary agrees; the chair and a member do not, so the recommendation goes
    # against the majority and the board must explain it.
    take_stance(page, overview, "Enig")
    page.goto(overview)
    assert "Afstemningen går ikke op: 4 medlemmer var til stede, og 1 var inhabile, så 3 skal tage stilling" in (
        main.inner_text()
    )
    page.goto(f"{overview}/underskrivere")
    page.get_by_label("Mette Juul").check()
    page.get_by_label("Lars Holm").check()
    page.get_by_role("button", name="Gem underskrivere").click()
    page.wait_for_load_state()
    for user in (chair, member):
        log_in_as(page, user)
        take_stance(page, overview, "Uenig")

    # 3. Sign-off is refused: fields taken over unread, and an unexplained contradiction.
    log_in_as(page, editor)
    page.goto(overview)
    refusal = page.locator(".alert", has_text="„Send til underskrift“ kræver først").inner_text()
    assert "hverken bekræftet eller rettet" in refusal and "„For hvem?“" in refusal
    assert "Modstrid i vurderingen: Anbefalingen" in refusal and "Afstemningen" not in refusal

    page.goto(f"{overview}/sammenhaeng")
    finding = page.locator("#regel-beslutning_mod_flertal")
    expect(finding).to_be_visible()
    assert "2 uenige og 1 enige" in finding.inner_text()
    fits_and_is_accessible(page, assert_accessible)
    finding.get_by_label("Etikrådets forklaring").fill(EXPLANATION)
    finding.get_by_role("button", name="Gem forklaringen").click()
    page.wait_for_load_state()
    assert page.locator("#regel-beslutning_mod_flertal textarea").input_value() == EXPLANATION

    # 4. The board reads and confirms: one field, then a section at a time.
    page.goto(proposal)
    page.get_by_role("button", name="Bekræft „For hvem?“").click()
    page.wait_for_load_state()
    assert "Bekræftet af Fatima Hassan" in page.locator("#target_group-hint").inner_text()
    pages = [proposal, *(f"{overview}/anbefalinger/{r}" for r in recommendation_ids(app)), f"{overview}/beslutning"]
    for url in pages:
        page.goto(url)
        while page.get_by_role("button", name="Bekræft alle i dette afsnit").count():
            page.get_by_role("button", name="Bekræft alle i dette afsnit").first.click()
            page.wait_for_load_state()
    page.goto(overview)
    assert "overtagne felter ikke bekræftet" not in main.inner_text()
    page.get_by_role("button", name="Send til underskrift").click()
    page.wait_for_load_state()
    assert "Status er nu „Afventer underskrift“." in page.locator("body").inner_text()

    # 5. Each signatory reads and signs the exact text, with the explanation and the meeting in it.
    for signer in (member, chair):
        log_in_as(page, signer)
        page.goto(f"{overview}/underskrift")
        signed_text = page.locator(".signed-text").inner_text()
        assert EXPLANATION in signed_text and "Anne Berg" in signed_text
        page.get_by_label("Jeg har læst teksten").check()
        page.get_by_label("Din adgangskode").fill("forkert-adgangskode")  # refused, nothing signed
        page.get_by_role("button", name="Underskriv", exact=True).click()
        page.wait_for_load_state()
        assert page.locator(".form-error-message").count() >= 1
        page.get_by_label("Jeg har læst teksten").check()
        page.get_by_label("Din adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Underskriv", exact=True).click()
        page.wait_for_load_state()
    assert "Alle har underskrevet. Vurderingen er låst med verifikationskoden" in page.locator("body").inner_text()

    # 6. The chair publishes; the public page is the board's own record.
    page.goto(overview)
    page.locator("summary", has_text="Offentliggør").click()
    page.get_by_role("button", name="Ja, offentliggør").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Se den offentlige side").click()
    page.wait_for_url(f"**/vurderinger/{public_id}")
    text = main.inner_text()
    assert "bygger på Odense Kommunes vurdering, version 1" in text
    assert "felter er overtaget uændret fra Odense Kommune og bekræftet af udvalget" in text
    assert "Forhold, etikrådet har forklaret" in text and EXPLANATION in text
    assert "4 medlemmer af etikrådet var til stede, da sagen blev drøftet. 1 var fraværende." in text
    assert "Anne Berg, Medlem, var inhabil og tog ikke stilling: gift med leverandørens direktør" in text
    assert "Esbjergs drøftelse." in text and "Udvalget drøftede:" not in text  # not Odense's notes
    fits_and_is_accessible(page, assert_accessible)
    page.get_by_role("link", name="Læs den vurdering, der blev bygget videre på").click()
    page.wait_for_url(f"**/vurderinger/{source_id}")
    assert "1 kommune har bygget videre på denne vurdering." in main.inner_text()
    page.get_by_role("link", name="Esbjerg Kommune: GPS til borgere med demens i Esbjerg").click()
    page.wait_for_url(f"**/vurderinger/{public_id}")

    # 7. The secretariat adds the committee's formal decision as a signed addendum.
    log_in_as(page, editor)
    page.goto(f"/intern/vurderinger/{public_id}/tillaeg")
    assert_accessible(page)
    page.get_by_role("link", name="Formel beslutning").click()
    page.wait_for_load_state()
    page.get_by_label("Dato for beslutningen").fill(FROZEN_TODAY.isoformat())
    page.get_by_role("button", name="Underskriv og tilføj").click()  # no outcome, no text: the form comes back
    page.wait_for_load_state()
    assert "Skriv, hvad der er sket." in page.locator(".alert-error").inner_text()
    assert page.get_by_label("Dato for beslutningen").input_value() == FROZEN_TODAY.isoformat()
    assert_accessible(page)
    page.get_by_label("Godkendt", exact=True).check()
    page.get_by_label("Hvad blev besluttet?").fill("Udvalget godkendte indstillingen med betingelserne.")
    page.get_by_role("button", name="Underskriv og tilføj").click()
    page.wait_for_load_state()
    assert "Tillægget er underskrevet" in page.locator("body").inner_text()
    page.goto(f"/vurderinger/{public_id}")
    text = main.inner_text()
    assert "Beslutningen blev truffet den" in text and "Udvalget godkendte indstillingen med betingelserne." in text

    # 8. etikdialog-verify accepts the PDF, the record, the log proof and the chain of addenda.
    files = {}
    for name, path in (
        ("pdf", f"/vurderinger/{public_id}.pdf"),
        ("record", f"/vurderinger/{public_id}.json"),
        ("proof", f"/vurderinger/{public_id}/logbevis.json"),
        ("addenda", f"/vurderinger/{public_id}/tillaeg.json"),
    ):
        files[name] = tmp_path / name
        files[name].write_bytes(page.request.get(path).body())
    record = json.loads(files["record"].read_bytes())
    assert record["board"]["members_absent_count"] == 1
    assert [c["name"] for c in record["board"]["conflicts_of_interest"]] == ["Anne Berg"]
    assert [c["explanation"] for c in record["consistency"]] == [EXPLANATION]
    confirmed = {item["field"] for item in record["reused_from"]["fields"]}
    assert "target_group" in confirmed and "problem" not in confirmed  # "problem" was rewritten
    assert len(json.loads(files["addenda"].read_bytes())["addenda"]) == 1
    roots = tmp_path / "roots.pem"
    roots.write_bytes(keys.roots_pem(app.config))
    code = cli.main(
        [str(files["pdf"]), "--roots", str(roots), "--record", str(files["record"])]
        + ["--addenda", str(files["addenda"]), "--proof", str(files["proof"])]
        + ["--log-key", page.request.get("/api/v1/log/key").json()["vkey"]]
    )
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "Alle 1 tillæg er registreret i den offentlige log." in out
