"""Meeting mode: the concern level is set in the meeting, and members watching read-only follow the
secretary's current question without reloading."""

import pytest
from assessment_factories import make_assessment
from factories import log_in, make_org, make_user
from playwright.sync_api import expect

from app.extensions import db

pytestmark = pytest.mark.browser


def test_a_member_follows_the_secretary_and_the_concern_is_saved(browser, live_server, app, assert_accessible):
    org = make_org("Følgeby Kommune")
    editor = make_user(org, role="editor")
    member = make_user(org, role="member")
    assessment = make_assessment(editor)
    first, second = assessment.questions[:2]
    base = f"/intern/vurderinger/{assessment.public_id}/moede"

    secretary = browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    watcher = browser.new_context(base_url=live_server.url, locale="da-DK").new_page()
    log_in(secretary, editor)
    log_in(watcher, member)

    secretary.goto(f"{base}/{first.question_id}")
    watcher.goto(f"{base}/{first.question_id}")
    expect(watcher.get_by_label("Følg sekretærens spørgsmål")).to_be_checked()
    assert_accessible(watcher)
    watcher.evaluate("window.stillThisPage = true")

    secretary.get_by_label("Høj").check()
    secretary.get_by_role("button", name="Gem og næste →").click()
    secretary.wait_for_url(f"**/moede/{second.question_id}")
    db.session.expire_all()
    assert db.session.get(type(first), first.id).concern == "hoej"

    expect(watcher.locator("h1")).to_have_text(second.text, timeout=10_000)
    assert watcher.url.endswith(f"/moede/{second.question_id}")
    assert watcher.evaluate("window.stillThisPage === true")  # followed in place, no reload
    assert_accessible(watcher)

    # The timer counts for the question now shown, no longer under the previous question's key.
    def timed(question) -> int:
        key = f"etikdialog.meeting.{assessment.public_id}:{question.question_id}"
        return watcher.evaluate("k => (JSON.parse(sessionStorage.getItem(k)) || {seconds: -1}).seconds", key)

    on_first = timed(first)
    watcher.wait_for_timeout(2500)
    assert timed(first) == on_first
    assert timed(second) >= 2
    shown, stored = watcher.evaluate(
        "k => [document.querySelector('[data-meeting-timer]').textContent, JSON.parse(sessionStorage.getItem(k)).seconds]",
        f"etikdialog.meeting.{assessment.public_id}:{second.question_id}",
    )
    assert shown == f"0:{stored:02d}"  # the clock shows the time on this question

    watcher.get_by_label("Følg sekretærens spørgsmål").uncheck()
    secretary.goto(f"{base}/{first.question_id}")
    watcher.wait_for_timeout(4000)
    expect(watcher.locator("h1")).to_have_text(second.text)
    secretary.context.close()
    watcher.context.close()
