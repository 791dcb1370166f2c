"""Helpers shared by the browser journeys (Playwright)."""

from concurrent.futures import ThreadPoolExecutor

from app.extensions import db


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


def assert_fits(page) -> None:
    """The page is no wider than the window (phones first: nothing scrolls sideways)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the window"


def fits_and_is_accessible(page, assert_accessible, widths=(1280, 375)) -> None:
    """At each width the page fits and axe-core finds no violation; the window is left at 1280 px."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        assert_fits(page)
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
