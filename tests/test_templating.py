"""The app's Jinja environment reads a plain dict's keys as attributes without raising first
(app/core/templating.py), with Jinja's own results: a dict's methods still win over its keys, a
missing key is undefined, and anything that is not a plain dict takes Jinja's path."""

from collections import OrderedDict

from flask import render_template_string

from app.core.templating import Environment


def render(app, source, **context):
    with app.test_request_context("/"):
        return render_template_string(source, **context)


def test_the_app_renders_with_its_own_environment(app):
    assert isinstance(app.jinja_env, Environment)


def test_a_plain_dicts_key_reads_as_an_attribute(app):
    record = {"title": "Robotsæl <i>", "decision": {"label": "Godkendt"}}
    assert render(app, "{{ record.title }}|{{ record.decision.label }}", record=record) == (
        "Robotsæl &lt;i&gt;|Godkendt"
    )


def test_a_dicts_own_methods_win_over_keys_of_the_same_name(app):
    record = {"items": "a key", "get": "another key"}
    rendered = render(app, "{{ record.items() | list | length }}|{{ record.get('items') }}", record=record)
    assert rendered == "2|a key"


def test_a_missing_key_is_undefined(app):
    source = "{{ record.missing }}|{{ record.missing is defined }}"
    assert render(app, source + "|{{ record.missing or 'tom' }}", record={}) == "|False|tom"


def test_other_mappings_and_objects_take_jinjas_path(app):
    class Row:
        title = "fra en række"

    ordered = OrderedDict(title="fra en OrderedDict")
    assert render(app, "{{ row.title }}|{{ ordered.title }}", row=Row(), ordered=ordered) == (
        "fra en række|fra en OrderedDict"
    )


def test_select_options_writes_what_the_jinja_loop_wrote(app):
    """The list's filter options, written in Python: byte for byte the loop they replace, with
    values and labels that need escaping, a number, a lazy label and the selected one."""
    from dataclasses import dataclass

    from flask_babel import lazy_gettext

    @dataclass
    class Item:
        id: object
        title: object

    pairs = [("a&b", 'Ærø <"K">'), (2026, 2026), ("x", lazy_gettext("Anbefales")), ("sel", "Valgt")]
    loop = app.jinja_env.from_string(
        '{% for key, label in pairs %}<option value="{{ key }}"{% if key == selected %} selected{% endif %}>'
        "{{ label }}</option>{% endfor %}"
    )
    fast = app.jinja_env.from_string("{{ select_options(pairs, selected) }}")
    by_attribute = app.jinja_env.from_string('{{ select_options(items, selected, "id", "title") }}')
    items = [Item(key, label) for key, label in pairs]
    with app.test_request_context():
        for selected in ("sel", 2026, "a&b", None):
            expected = loop.render(pairs=pairs, selected=selected)
            assert fast.render(pairs=pairs, selected=selected) == expected
            assert by_attribute.render(items=items, selected=selected) == expected
        assert "a&amp;b" in expected and "&lt;&#34;K&#34;&gt;" in expected and " selected>" not in expected
