"""The test process's compilation caches (tests/build_cache.py) give what compiling anew gives."""

import build_cache
from jinja2 import DictLoader, Environment
from werkzeug.routing import Map, Rule


def test_every_url_builder_of_the_app_is_the_one_werkzeug_compiles(app):
    for rule in app.url_map.iter_rules():
        for append_unknown in (False, True):
            cached = rule._compile_builder(append_unknown)
            fresh = build_cache._original_compile_builder(rule, append_unknown)
            assert cached.__code__.co_code == fresh.__code__.co_code, rule.rule
            assert cached.__code__.co_consts == fresh.__code__.co_consts, rule.rule
            assert cached.__code__.co_varnames == fresh.__code__.co_varnames, rule.rule


def test_rules_that_differ_only_in_their_defaults_build_their_own_urls():
    first = Map([Rule("/side/<int:page>", endpoint="a", defaults={"page": 1})]).bind("x.test")
    second = Map([Rule("/side/<int:page>", endpoint="a", defaults={"page": 2})]).bind("x.test")
    assert first.build("a", {}) == "/side/1"
    assert second.build("a", {}) == "/side/2"


def test_a_template_is_compiled_again_when_its_source_or_the_environments_settings_differ():
    def render(source, **options):
        environment = Environment(  # noqa: S701 - the test sets autoescape both ways
            loader=DictLoader({"cache-test.html": source}), bytecode_cache=build_cache.TEMPLATES, **options
        )
        return environment.get_template("cache-test.html").render(x="<b>")

    assert render("{{ x }}!", autoescape=True) == "&lt;b&gt;!"
    assert render("{{ x }}!", autoescape=False) == "<b>!"  # the same name and source, not escaped
    assert render("{{ x }}?", autoescape=True) == "&lt;b&gt;?"  # a new source
