"""Target size (WCAG 2.2 SC 2.5.8, issue 34 item 9): on a phone (375 px), every link, button, field,
list and fold on the public pages and the board's pages is at least 24 by 24 CSS pixels, or has the
SC's spacing: a 24 px circle on its centre touches no other target nor another small target's circle.
A link inside a sentence is exempt (the SC's "inline" exception), as are targets that are not shown.
"""

import pytest
from assessment_factories import make_assessment, make_published
from consultation_factories import open_consultation
from factories import log_in, make_org, make_user

from app.extensions import db

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}

# Every target too small and without the spacing, with the reason; [] when the page passes.
TOO_SMALL = """
() => {
  const MIN = 24, R = MIN / 2, EPS = 0.01;
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;  // visually hidden (sr-only), not a target
    const page = document.documentElement;
    return r.right > 0 && r.bottom > -window.scrollY && r.left < page.scrollWidth;  // off-screen skip links
  };
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, dd, dt, td, th, label, figcaption, blockquote, small, legend');
    if (!block) return false;
    const own = el.textContent.trim().length;
    return block.textContent.replace(/\\s+/g, ' ').trim().length > own + 2;  // other words around it
  };
  const name = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim();
    return `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} "${text.slice(0, 40)}"`;
  };
  const targets = [...document.querySelectorAll(selector)].filter(shown);
  const boxes = targets.map((el) => el.getBoundingClientRect());
  const small = boxes.map((b) => b.width + EPS < MIN || b.height + EPS < MIN);
  const centre = (b) => [b.left + b.width / 2, b.top + b.height / 2];
  const toRect = ([x, y], b) => Math.hypot(Math.max(b.left - x, 0, x - b.right), Math.max(b.top - y, 0, y - b.bottom));
  const problems = [];
  targets.forEach((el, i) => {
    if (!small[i] || inSentence(el)) return;
    const c = centre(boxes[i]);
    const clash = targets.findIndex((other, j) => {
      if (j === i || other.contains(el) || el.contains(other)) return false;
      if (toRect(c, boxes[j]) + EPS < R) return true;  // the circle reaches another target
      if (!small[j] || inSentence(other)) return false;
      const [x, y] = centre(boxes[j]);
      return Math.hypot(c[0] - x, c[1] - y) + EPS < MIN;  // two small targets' circles overlap
    });
    if (clash >= 0) {
      const b = boxes[i];
      problems.push(`${name(el)} ${b.width.toFixed(1)}x${b.height.toFixed(1)} too close to ${name(targets[clash])}`);
    }
  });
  return problems;
}
"""


def too_small(page) -> list[str]:
    return page.evaluate(TOO_SMALL)


@pytest.fixture
def site(app):
    published = make_published(make_org("Målby Kommune"), title="Nattilsyn med sensorer")
    editor = make_user(published.organisation, role="editor")
    draft = make_assessment(editor, title="Skærmbesøg i hjemmeplejen")
    consultation = open_consultation(draft, editor)
    db.session.commit()
    return {"published": published, "draft": draft, "consultation": consultation, "editor": editor}


def test_the_check_finds_a_small_target_and_spares_spacing_and_sentences(page, site):
    page.set_viewport_size(PHONE)
    page.goto("about:blank")  # the app's pages forbid inline styles (CSP)
    page.set_content(
        "<main>"
        '<p><a href="#a" id="inline">a link</a> in a sentence</p>'
        '<div><a href="#b" style="display:inline-block;width:16px;height:16px">b</a></div>'
        '<div style="margin-top:40px"><button style="width:16px;height:16px;padding:0">c</button>'
        '<button style="width:16px;height:16px;padding:0;margin-left:2px">d</button></div>'
        "</main>"
    )
    problems = too_small(page)
    assert [p.split(" ")[0] for p in problems] == ["button", "button"], problems  # c and d touch
    assert not any('"a link"' in p or '"b"' in p for p in problems)  # inline, and alone with room


def test_every_target_on_a_phone_is_big_enough_or_spaced(page, site):
    published, draft, consultation = site["published"], site["draft"], site["consultation"]
    page.set_viewport_size(PHONE)
    public = [
        "/",
        "/vurderinger",
        f"/vurderinger/{published.public_id}",
        f"/teknologier/{published.technology_category}",
        "/teknologier",
        "/verificer",
        f"/verificer?kode={published.signed_record.verification_code}",
        "/hoeringer",
        f"/hoeringer/{consultation.public_id}",
        "/indhold",
        "/tilgaengelighed",
        "/intern/login",
    ]
    base = f"/intern/vurderinger/{draft.public_id}"
    board = [
        "/intern/",
        base,
        f"{base}/forslag",
        f"{base}/spoergsmaal/{draft.questions[0].question_id}",
        f"{base}/anbefalinger/{draft.reviews[0].recommendation_id}",
        f"{base}/dilemmaer",
        f"{base}/beslutning",
        f"{base}/holdning",
        f"{base}/hoeringer",
        f"{base}/log",
        f"{base}/underskrivere",
    ]
    found = {}
    for url in public:
        page.goto(url)
        if problems := too_small(page):
            found[url] = problems
    log_in(page, site["editor"])
    for url in board:
        page.goto(url)
        if problems := too_small(page):
            found[url] = problems
    assert found == {}, "\n".join(f"{url}:\n  " + "\n  ".join(problems) for url, problems in found.items())
