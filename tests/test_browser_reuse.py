"""Browser journey of reuse: a second municipality builds on a published demo-like
assessment, signs and publishes its own version, and the source's public page shows the link.

The journey's reuse, editing and public pages run in the browser; the signatures are given through
the services (the signing page's own browser test covers signing), so the test stays about reuse.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from assessment_factories import answer_everything, make_published, sign_off
from factories import log_in, make_org, make_user
from sqlalchemy import select

from app.assessments import services as assessments
from app.assessments.models import Assessment
from app.extensions import db

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
    assert "felter er ikke rettet endnu" in page.locator("main").inner_text()

    page.get_by_role("link", name="Forslag").first.click()
    problem = page.get_by_label("Hvilket problem skal løses?")
    assert MARK in page.locator("#problem-hint").inner_text()
    fits_and_is_accessible(page, assert_accessible)
    problem.fill("Borgere med demens i Esbjerg farer vild på deres gåture.")
    page.get_by_role("button", name="Gem forslaget").click()
    page.wait_for_load_state()
    assert page.locator("#problem-hint").count() == 0 or MARK not in page.locator("#problem-hint").inner_text()
    assert MARK in page.locator("#target_group-hint").inner_text()  # not edited: still marked

    # The board signs its own version and the administrator publishes it.
    def sign_and_publish():
        draft = db.session.scalar(select(Assessment).where(Assessment.organisation_id == esbjerg.id))
        board = [db.session.merge(user) for user in (editor, *signers)]
        answer_everything(draft, board[0])
        assessments.save_proposal(
            draft, {"problem": "Borgere med demens i Esbjerg farer vild."}, expected_version=None, user=board[0]
        )
        sign_off(draft, board[0], board[1:])
        assessments.transition(draft, "publish", user=board[2])
        db.session.commit()
        return draft.public_id

    draft_id = off_the_browser_loop(app, sign_and_publish)

    page.goto(f"/vurderinger/{source_id}")
    main = page.locator("main").inner_text()
    assert "1 kommune har bygget videre på denne vurdering." in main
    page.get_by_role("link", name="Esbjerg Kommune: GPS til borgere med demens i Esbjerg").click()
    page.wait_for_url(f"**/vurderinger/{draft_id}")
    assert "bygger på Odense Kommunes vurdering, version 1" in page.locator("main").inner_text()
    fits_and_is_accessible(page, assert_accessible)
    page.get_by_role("link", name="Læs den vurdering, der blev bygget videre på").click()
    page.wait_for_url(f"**/vurderinger/{source_id}")
    fits_and_is_accessible(page, assert_accessible)
