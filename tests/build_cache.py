"""What every test app compiles the same way, compiled once per test process (docs/performance.md).

Each test builds its own app (tests/conftest.py), and two parts of that are pure compilation of
inputs that never change between tests:

- Werkzeug compiles a Python function per URL rule to build its URLs (Rule._compile_builder:
  an AST, then compile()); with about 120 rules that is most of create_app's time.
- Jinja compiles every template an app renders, anew in each app's own environment.

Both are cached here by everything the compiled code depends on, so an app built by a test still
gets its own map, rules, environment and templates; only the compiled code objects are shared.
Tests that change a rule or a template's source get their own compilation (the source, the rule,
its defaults and the environment's compile-time settings are in the keys).
"""

from __future__ import annotations

import functools
import hashlib

from flask import Flask
from jinja2 import bccache
from werkzeug.routing import rules as werkzeug_rules

# --- Werkzeug: the URL builders ------------------------------------------------------------

_original_compile_builder = werkzeug_rules.Rule._compile_builder
_builders: dict = {}


def _builder_key(rule, append_unknown):
    """Everything Rule._compile_builder reads: the rule's parsed trace, its defaults (those on a
    variable are turned into text by its converter at compile time) and append_unknown. The
    generated function takes the rule as its first argument and calls its converters then."""
    key = (type(rule), rule.rule, tuple(rule._trace), bool(append_unknown))
    defaults = rule.defaults
    if not defaults:
        return key
    converters = tuple(
        (name, type(rule._converters[name]).__qualname__)
        for is_dynamic, name in rule._trace
        if is_dynamic and name in defaults
    )
    return (*key, tuple((str(k), type(v).__qualname__, repr(v)) for k, v in defaults.items()), converters)


@functools.wraps(_original_compile_builder)
def _cached_compile_builder(self, append_unknown=True):
    try:
        key = _builder_key(self, append_unknown)
        hash(key)
    except (AttributeError, KeyError, TypeError):  # a Werkzeug that keeps other state: compile
        return _original_compile_builder(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _original_compile_builder(self, append_unknown)
    return builder


# --- Jinja: the templates' code ------------------------------------------------------------


# The policies the compiler reads (the others, such as json.dumps_function, are read when rendering).
_COMPILE_POLICIES = ("compiler.ascii_str", "ext.i18n.trimmed")


class SharedBytecodeCache(bccache.BytecodeCache):
    """In memory, shared by every app's environment in the process. The key holds the template's
    name and file, and the environment's compile-time settings (delimiters, extensions, compiler
    policies, filters and tests by name, autoescape and finalize); the bucket checks the source's
    checksum."""

    def __init__(self):
        self._codes: dict[str, tuple[str, object]] = {}

    @staticmethod
    def _fingerprint(environment) -> str:
        settings = (
            environment.block_start_string,
            environment.block_end_string,
            environment.variable_start_string,
            environment.variable_end_string,
            environment.comment_start_string,
            environment.comment_end_string,
            environment.line_statement_prefix,
            environment.line_comment_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.newline_sequence,
            environment.keep_trailing_newline,
            environment.optimized,
            environment.is_async,
            getattr(environment, "newstyle_gettext", None),
            tuple(environment.policies.get(name) for name in _COMPILE_POLICIES),
            tuple(sorted(environment.extensions)),
            tuple(sorted((name, _pass_arg(f)) for name, f in environment.filters.items())),
            tuple(sorted((name, _pass_arg(f)) for name, f in environment.tests.items())),
            _qualname(environment.autoescape),
            _qualname(environment.finalize),
            type(environment).__qualname__,
        )
        return hashlib.sha1(repr(settings).encode()).hexdigest()  # noqa: S324 - a cache key

    def get_bucket(self, environment, name, filename, source):
        key = self._fingerprint(environment) + self.get_cache_key(name, filename)
        bucket = bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket):
        checksum, code = self._codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self._codes[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self):
        self._codes.clear()


def _pass_arg(function) -> str | None:
    pass_arg = getattr(function, "jinja_pass_arg", None)
    return getattr(pass_arg, "name", None)


def _qualname(value) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


TEMPLATES = SharedBytecodeCache()


def install():
    """For every app the test process builds: Werkzeug's URL builders, and the templates' code
    (Flask passes jinja_options to each app's new environment)."""
    werkzeug_rules.Rule._compile_builder = _cached_compile_builder
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TEMPLATES}
