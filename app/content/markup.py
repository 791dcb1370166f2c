"""The one Markdown → HTML function of the app: Markdown, then nh3 sanitising."""

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": {"colspan"}}


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Render trusted or untrusted Markdown to HTML that is safe to put in a page.

    Raw HTML in the source is shown as text, never passed through (Markdown's own raw-HTML
    handling is switched off), and nh3 then removes anything outside the allowed tags.
    """
    if not text or not text.strip():
        return Markup("")
    converter = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    # Python-Markdown passes raw HTML through; without these two it escapes it like any text.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html = converter.convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
