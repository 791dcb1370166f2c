"""Browser journey of reuse: a second municipality builds on a published demo-like
assessment, is refused sign-off until its board has confirmed or changed every field taken over,
confirms them (one field, then a section at a time), signs and publishes its own version, and the
source's public page shows the link.

The journey's reuse, editing and public pages run in the browser; the signatures are given through
the services (the signing page's own browser test covers signing), so the test stays about reuse.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from assessment_factories import answer_everything, make_published, record_board, sign_as_each
from factories import log_in, make_org, make_user
from sqlalchemy import select

from app.assessments import services as assessments
from app.assessments.models import Assessment
from app.extensions import db
from app.signoff import services as signoff

pytestmark = pytest.mark.browser

MARK = "Overtaget fra Odense Kommune, version 1"


def off_the_browser_loop(app, work):
    """Run `work` in a worker thread with its own app context and database session, and return
    its result. Playwright's sync API keeps an asyncio loop running in the test's thread, and the
    PDF signature (pyHanko) starts one of its own, which asyncio refuses inside a running loop."""

    def run():
        with app.app_context():
            try:
                return work()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def fits_and_is_accessible(page, assert_accessible):
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} is {overflow} px wider than {width} px"
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_second_municipality_builds_on_a_published_assessment(app, page, assert_accessible):
    source_id = off_the_browser_loop(
        app, lambda: make_published(make_org("Odense Kommune"), title="GPS til borgere med demens").public_id
    )
    esbjerg = make_org("Esbjerg Kommune")
    editor = make_user(esbjerg, role="editor", name="Fatima Hassan")
    signers = [make_user(esbjerg, role="member"), make_user(esbjerg, role="admin")]

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
    assert "felter er overtaget og hverken bekræftet eller rettet endnu" in page.locator("main").inner_text()
    overview = page.url

    page.get_by_role("link", name="Forslag").first.click()
    proposal = page.url
    assert MARK in page.locator("#problem-hint").inner_text()
    fits_and_is_accessible(page, assert_accessible)
    page.get_by_label("Hvilket problem skal løses?").fill("Borgere med demens i Esbjerg farer vild på gåture.")
    page.get_by_role("button", name="Gem forslaget").click()
    page.wait_for_load_state()
    assert page.locator("#problem-hint").count() == 0 or MARK not in page.locator("#problem-hint").inner_text()
    assert "Ikke bekræftet endnu." in page.locator("#target_group-hint").inner_text()  # not edited: still marked

    # Everything else a sign-off needs, in this board's own words; the fields taken over are left.
    def prepare():
        draft = db.session.scalar(select(Assessment).where(Assessment.organisation_id == esbjerg.id))
        board = [db.session.merge(user) for user in (editor, *signers)]
        answer_everything(draft, board[0])
        assessments.save_proposal(
            draft, {"problem": "Borgere med demens i Esbjerg farer vild."}, expected_version=None, user=board[0]
        )
        for row in draft.questions:
            assessments.save_question(
                row,
                {"discussion": "Esbjergs drøftelse.", "answer": "Esbjergs svar."},
                expected_version=None,
                user=board[0],
            )
        assessments.transition(draft, "start_deliberation", user=board[0])
        record_board(draft, board[0])
        signoff.name_signatories(draft, [s.id for s in board[1:]], user=board[0])
        db.session.commit()

    off_the_browser_loop(app, prepare)

    # Sign-off is refused, naming the fields left; the progress list does not call them done.
    page.goto(overview)
    main = page.locator("main")
    assert "overtagne felter ikke bekræftet" in main.inner_text()
    refusal = page.locator(".alert", has_text="„Send til underskrift“ kræver først").inner_text()
    assert "hverken bekræftet eller rettet" in refusal and "„For hvem?“" in refusal

    # The board reads and confirms: one field, then a section at a time.
    page.goto(proposal)
    page.get_by_role("button", name="Bekræft „For hvem?“").click()
    page.wait_for_load_state()
    assert "Bekræftet af Fatima Hassan" in page.locator("#target_group-hint").inner_text()
    fits_and_is_accessible(page, assert_accessible)
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

    # The signatories sign and the administrator publishes.
    def sign_and_publish():
        draft = db.session.scalar(select(Assessment).where(Assessment.organisation_id == esbjerg.id))
        sign_as_each(draft, [db.session.merge(user) for user in signers])
        assessments.transition(draft, "publish", user=db.session.merge(signers[1]))
        db.session.commit()
        return draft.public_id

    draft_id = off_the_browser_loop(app, sign_and_publish)

    page.goto(f"/vurderinger/{source_id}")
    assert "1 kommune har bygget videre på denne vurdering." in main.inner_text()
    page.get_by_role("link", name="Esbjerg Kommune: GPS til borgere med demens i Esbjerg").click()
    page.wait_for_url(f"**/vurderinger/{draft_id}")
    assert "bygger på Odense Kommunes vurdering, version 1" in main.inner_text()
    assert "felter er overtaget uændret fra Odense Kommune og bekræftet af udvalget" in main.inner_text()
    fits_and_is_accessible(page, assert_accessible)
    page.get_by_role("link", name="Læs den vurdering, der blev bygget videre på").click()
    page.wait_for_url(f"**/vurderinger/{source_id}")


def recommendation_ids(app) -> list[str]:
    from app.content.loader import get_content

    with app.app_context():
        return [r.id for r in get_content().recommendations]
