"""Markdown → HTML: Markdown's own raw-HTML switch is off and nh3 cleans what is left."""

from app.content.markup import render_markdown


def test_code_is_escaped_once_not_twice():
    html = str(render_markdown("`a < b && c`"))
    assert html == "<p><code>a &lt; b &amp;&amp; c</code></p>"
    assert "&amp;lt;" not in html and "&amp;amp;" not in html


def test_indented_code_keeps_its_characters():
    assert str(render_markdown("    x < 1 & y")) == "<pre><code>x &lt; 1 &amp; y\n</code></pre>"


def test_raw_html_is_shown_as_text_never_passed_through():
    html = str(render_markdown('<script>alert(1)</script>\n\nhej <b onclick="x()">fed</b>'))
    assert "<script" not in html and "<b" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b onclick=" in html


def test_a_raw_html_block_is_text_and_markdown_inside_still_works():
    html = str(render_markdown("<div>\n\n**fed**\n\n</div>"))
    assert "<div" not in html
    assert "<strong>fed</strong>" in html


def test_markdown_syntax_still_becomes_markup_and_links_are_cleaned():
    html = str(render_markdown("**fed** [ond](javascript:alert(1)) [god](https://kl.dk)"))
    assert "<strong>fed</strong>" in html
    assert "javascript:" not in html
    assert '<a href="https://kl.dk" rel="noopener noreferrer">god</a>' in html


def test_empty_text_is_empty():
    assert str(render_markdown("  \n ")) == ""
