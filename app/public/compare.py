"""Public version comparison ("Se ændringer"): what changed between two published versions of an
assessment, field by field, read from the signed records only.

This module loads the two records of a publication's versions, each checked against its hash as
the public page does (`integrity.signed_content`); it never reads live rows. The comparison itself
is pure: app/public/record_diff.py walks two records, app/public/word_diff.py finds the words
added and removed within a bound of work, app/public/compare_labels.py names the fields.

Bounds (a record may hold 300,000 characters): see app/public/word_diff.py. Past any of them a
field is shown as "hele teksten er udskiftet" with the text before and after, and the page and the
API agree, on a loaded machine too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core.params import bounded_int
from app.public.record_diff import Comparison, as_json, compare


class Refused(Exception):
    """A comparison that cannot be made, with the Danish reason and the HTTP status to answer."""

    def __init__(self, message, status: int):
        super().__init__(str(message))
        self.message = message  # lazy: read in the page's language, or danish() for the API
        self.status = status


VERSION_MAX = 99_999
# Comparisons kept per process, by the two records' hashes and the language: at most this many,
# and at most this many characters of text before and after in all (a record may hold 300,000).
CACHE_ENTRIES = 256
CACHE_CHARACTERS = 20_000_000
QUERY_NAMES = ("fra", "til")


@dataclass
class VersionComparison:
    versions: list  # the comparable (published, not withdrawn) versions, oldest first
    older: object  # the Publication compared from (`fra`)
    newer: object  # ... and to (`til`)
    comparison: Comparison | None = None
    canonical: bool = True  # False: the query said the versions in another way (redirect to the plain one)
    redirect_status: int = 301  # for a non-canonical query: 301 for a spelling, 302 for no query at all


@dataclass(frozen=True)
class Query:
    """The versions a query names, checked and normalised before anything is loaded or compared.
    ``numbers`` is None for no query at all (the public page's default pair)."""

    numbers: tuple[int, int] | None
    canonical: bool


def parse_query(args) -> Query:
    """The one reading of `fra` and `til`: ASCII whole numbers within bounds (app/core/params.py),
    two different ones, else Refused (400) with a Danish reason. Canonical is exactly
    ``fra=N&til=M`` and nothing else; any other spelling of the same pair (leading zeros, the other
    order, a repeated or an unknown parameter) is answered with a redirect before any work."""
    if not any(name in args for name in QUERY_NAMES):
        return Query(None, canonical=False)
    numbers = tuple(bounded_int(args.get(name), default=None, minimum=1, maximum=VERSION_MAX) for name in QUERY_NAMES)
    if None in numbers:
        raise Refused(_l("Vælg to versioner at sammenligne: fra version og til version, som tal."), 400)
    if numbers[0] == numbers[1]:
        raise Refused(_l("Vælg to forskellige versioner."), 400)
    canonical = list(args.items(multi=True)) == [(name, str(n)) for name, n in zip(QUERY_NAMES, numbers, strict=True)]
    return Query(numbers, canonical)


def comparable_versions(publication) -> list:
    """The versions a citizen can compare: published and not withdrawn, oldest first. A withdrawn
    version's page shows a notice in place of its content, and so does the comparison."""
    from app.public import services

    return [v for v in services.versions(publication) if not v.is_withdrawn]


def default_pair(versions: list, publication) -> tuple:
    """The pair the public page offers first: the version before this one and this one."""
    for index, version in enumerate(versions):
        if version.id == publication.id:
            return (versions[index - 1], version) if index else (version, versions[min(1, len(versions) - 1)])
    return versions[-2], versions[-1]


def _cache():
    from flask import current_app

    from app.public.cache import PageCache

    extensions = current_app.extensions
    if "etikdialog.compare_cache" not in extensions:
        extensions["etikdialog.compare_cache"] = PageCache(CACHE_ENTRIES, max_weight=CACHE_CHARACTERS)
    return extensions["etikdialog.compare_cache"]


def _weight(comparison: Comparison) -> int:
    return sum(len(f.before) + len(f.after) for s in comparison.sections for f in s.fields) + 1


def cached_comparison(older, newer) -> Comparison:
    """The comparison of two versions' signed records, computed once per process for each pair of
    record hashes and language (the labels are read in it); Refused (409) for a record that no
    longer matches its hash, which is checked at every request, on a hit too. A published record
    never changes, so its hash names its comparison for good; a deploy starts new processes."""
    from flask_babel import get_locale

    from app.signoff import integrity

    for version in (older, newer):
        if not integrity.json_intact(version.signed_record):
            raise Refused(
                _l(
                    "Version %(number)s passer ikke længere med sin kontrolsum, så den kan ikke sammenlignes.",
                    number=version.version_number,
                ),
                409,
            )
    key = f"{older.signed_record.json_sha256}:{newer.signed_record.json_sha256}:{get_locale()}"
    cache = _cache()
    comparison = cache.get(key)
    if comparison is None:
        records = [json.loads(version.signed_record.canonical_json) for version in (older, newer)]
        comparison = compare(*records)
        cache.put(key, comparison, weight=_weight(comparison))
    return comparison


def choose(publication, args) -> VersionComparison:
    """The two versions the query (`fra`, `til`) names, or Refused with a Danish reason. The query
    is read and checked first; a non-canonical one (no query: the version before this one and this
    one; any other spelling: the same pair) comes back with canonical False and nothing compared."""
    query = parse_query(args)
    versions = comparable_versions(publication)
    if len(versions) < 2:
        raise Refused(_l("Der er kun én offentliggjort version af vurderingen, så der er intet at sammenligne."), 404)
    if query.numbers is None:
        older, newer = default_pair(versions, publication)
        return VersionComparison(versions, older, newer, canonical=False, redirect_status=302)
    by_number = {v.version_number: v for v in versions}
    for number in query.numbers:
        if number not in by_number:
            raise Refused(_l("Vurderingen har ingen offentliggjort version %(number)s.", number=number), 404)
    older, newer = (by_number[n] for n in query.numbers)
    if not query.canonical:
        # The page cache keys on the query as sent: one spelling per pair, and the others redirect to it.
        return VersionComparison(versions, older, newer, canonical=False)
    return VersionComparison(versions, older, newer, cached_comparison(older, newer))


def document(chosen: VersionComparison) -> dict:
    """The API's answer: which two versions, each with its signed record's hash, and the comparison."""
    from app.core.urls import public_url

    def version(publication) -> dict:
        frozen = publication.signed_record
        return {
            "version": publication.version_number,
            "public_id": publication.public_id,
            "schema_version": frozen.schema_version,
            "json_sha256": frozen.json_sha256,
            "url": public_url("api.assessment", public_id=publication.public_id),
        }

    return {
        "from": version(chosen.older),
        "to": version(chosen.newer),
        **as_json(chosen.comparison),
        "links": {
            "html": public_url(
                "public.changes",
                public_id=chosen.newer.public_id,
                fra=chosen.older.version_number,
                til=chosen.newer.version_number,
            )
        },
    }
