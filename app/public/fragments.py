"""Immutable record fragments: the signed parts of a public record page (the summary at its top,
`SUMMARY`, and the signed sections, `TEMPLATE`), each rendered once.

A signed record never changes, so the HTML of its signed part is a pure function of the record's
hash, the build (templates, translations, content: cache.build_id), the language and the freezing
time (the summary shows it). It is kept
under a key made of exactly those, in the `record_fragment` table that every worker and instance
share, with a small per-process LRU in front. Withdrawal and a new version need no invalidation:
the live parts of the page (withdrawal notice, follow-up, effect, feedback, versions, reuse) are
rendered on every request around the fragment, and a new version is another record, another key.

Fragments are made at publication (`prepare`, from the state table's publish step), by
`flask cache warm` after a deploy, and on a miss by the first reader (written after the response,
so a page view never commits in the middle of its own reads). The store is bounded by bytes,
oldest first. With RECORD_FRAGMENT_STORE=cache the store is the Redis server that CACHE_URL
names instead of the table (`RedisStore`), under the same bound.

The fragment is rendered from the signed record only (`fragment_context`): the page's include
gets the same values, and tests/test_record_fragments.py proves the page is byte for byte what
a full render gives.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import click
from flask import current_app, g, has_request_context, render_template, request
from flask.cli import AppGroup
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.addenda import services as addenda
from app.assessments.declaration import declaration
from app.core.time import utcnow
from app.extensions import db
from app.i18n import LANGUAGES, current_language
from app.public.cache import PageCache, build_id
from app.public.models import Publication, RecordFragment
from app.signoff import integrity

log = logging.getLogger(__name__)

TEMPLATE = "public/_record_signed.html"  # the signed sections of public/assessment.html
SUMMARY = "public/_record_summary.html"  # "Kort om vurderingen" at its top, signed as well
TEMPLATES = (SUMMARY, TEMPLATE)  # what publication and `flask cache warm` make
MAX_BYTES = 256 * 1024 * 1024  # the shared store (RECORD_FRAGMENT_MAX_BYTES); about 30 KB a record and language
LOCAL_BYTES = 16 * 1024 * 1024  # each process's LRU in front of it
EVICT_EVERY = 32  # writes between two checks of the shared store's bound


@dataclass(frozen=True)
class SignedIdentity:
    """What the fragment may know of its publication: the public id, which the record itself
    carries. A template that reached for a live column (withdrawn, replaced) would get nothing,
    and the equality test would show it."""

    public_id: str


@dataclass(frozen=True)
class FrozenFacts:
    """What the fragments may know of the frozen row: when it was signed, set once at freezing.
    The key names it too."""

    signed_at: object


class Lazy:
    """A list made on first use. The record page passes the declaration this way: with the signed
    part served from the store, the page never reads it, and making it cost a tenth of a render."""

    def __init__(self, make):
        self._make, self._items = make, None

    def _list(self) -> list:
        if self._items is None:
            self._items = list(self._make())
        return self._items

    def __iter__(self):
        return iter(self._list())

    def __len__(self) -> int:
        return len(self._list())

    def __getitem__(self, index):
        return self._list()[index]


def fragment_context(record: dict, signers: list, formal, signed_at=None) -> dict:
    """What the signed part sees: the record, its signers (stored with it, never changed), the
    formal decision's status (signed addenda worded by the date; app/addenda) and when the record
    was frozen, which the key names."""
    return {
        "record": record,
        "declaration": addenda.with_decision(declaration(record), formal),
        "publication": SignedIdentity(record["public_id"]),
        "frozen": FrozenFacts(signed_at),
        "signers": signers,
        "formal_decision": formal,
    }


def fragment_key(record_sha256: str, template: str, language: str, formal=None, signed_at=None) -> str:
    app = current_app._get_current_object()
    parts = (
        record_sha256,
        build_id(app),
        language,
        request.script_root if has_request_context() else "",
        template,
        formal.sentence if formal is not None else "",
        signed_at.isoformat() if signed_at is not None else "",
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def enabled() -> bool:
    return bool(current_app.config.get("RECORD_FRAGMENTS", True))


def _local(app) -> PageCache:
    return app.extensions.setdefault("etikdialog.record_fragments", PageCache(4096, LOCAL_BYTES))


def in_cache() -> bool:
    """RECORD_FRAGMENT_STORE=cache: the fragments live in Redis (CACHE_URL) instead of the table."""
    return current_app.config.get("RECORD_FRAGMENT_STORE", "database") == "cache"


def get(key: str) -> str | None:
    app = current_app._get_current_object()
    html = _local(app).get(key)
    if html is None:
        if in_cache():
            html = RedisStore.of(app).get(key)
        else:
            html = db.session.scalar(select(RecordFragment.html).where(RecordFragment.key == key))
        if html is not None:
            _local(app).put(key, html, weight=len(html))
    return html


def put(key: str, html: str) -> None:
    """Into the shared store: in the session's transaction (the caller commits), or into Redis at
    once; an entry that another worker wrote first is kept, since both are the same bytes."""
    app = current_app._get_current_object()
    _local(app).put(key, html, weight=len(html))
    if in_cache():
        RedisStore.of(app).put(key, html)
        return
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(RecordFragment)
        .values(key=key, html=html, size=len(html.encode()), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    writes = app.extensions["etikdialog.fragment_writes"] = app.extensions.get("etikdialog.fragment_writes", 0) + 1
    if writes % EVICT_EVERY == 0:
        evict()


def bound() -> int:
    return int(current_app.config.get("RECORD_FRAGMENT_MAX_BYTES", MAX_BYTES))


def evict() -> int:
    """Keep the newest fragments whose sizes add up to the bound; delete the rest. One statement:
    a running sum, newest first (both databases have window functions)."""
    if in_cache():
        return RedisStore.of(current_app._get_current_object()).evict()
    running = select(
        RecordFragment.key,
        func.sum(RecordFragment.size)
        .over(order_by=(RecordFragment.created_at.desc(), RecordFragment.key.desc()))
        .label("running"),
    ).subquery()
    over = select(running.c.key).where(running.c.running > bound())
    return db.session.execute(delete(RecordFragment).where(RecordFragment.key.in_(over))).rowcount or 0


# Adds a fragment unless it is there, then drops the oldest until the bytes are within the bound,
# in one step on the server, so that workers writing at once keep the count of bytes right.
# KEYS: the fragment, the index (a sorted set, oldest first), the byte count, the sequence.
# ARGV: the key prefix, the HTML (empty: only trim), the bound in bytes. Returns how many were dropped.
PUT_SCRIPT = """
if ARGV[2] ~= '' and redis.call('SET', KEYS[1], ARGV[2], 'NX') then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), KEYS[1])
  redis.call('INCRBY', KEYS[3], string.len(ARGV[2]))
end
local total, dropped = tonumber(redis.call('GET', KEYS[3]) or '0'), 0
while total > tonumber(ARGV[3]) do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  if #oldest == 0 then
    redis.call('SET', KEYS[3], 0)
    break
  end
  total = redis.call('DECRBY', KEYS[3], redis.call('STRLEN', oldest[1]))
  redis.call('DEL', oldest[1])
  dropped = dropped + 1
end
return dropped
"""


class RedisStore:
    """The fragments in the Redis server CACHE_URL names, under CACHE_KEY_PREFIX, bounded by
    RECORD_FRAGMENT_MAX_BYTES (oldest first, by a sorted set of the keys in the order written and
    a count of their bytes). Flask-Caching has no bound of bytes, so the store speaks to the
    server itself, with the redis client Flask-Caching's Redis backend uses too. A server that
    does not answer costs a render, never the page."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.prefix = prefix + "fragment:"
        self.script = self.client.register_script(PUT_SCRIPT)

    @classmethod
    def of(cls, app) -> RedisStore:
        store = app.extensions.get("etikdialog.fragment_redis")
        if store is None:
            from app.config import CACHE_KEY_PREFIX

            prefix = app.config.get("CACHE_KEY_PREFIX") or CACHE_KEY_PREFIX
            store = app.extensions["etikdialog.fragment_redis"] = cls(app.config["CACHE_URL"], prefix)
        return store

    def _keys(self, key: str) -> list[str]:
        return [self.prefix + key, self.prefix + "index", self.prefix + "bytes", self.prefix + "sequence"]

    def get(self, key: str) -> str | None:
        try:
            value = self.client.get(self.prefix + key)
        except Exception:
            log.warning("record fragments: Redis not readable", exc_info=True)
            return None
        return value.decode("utf-8") if value is not None else None

    def put(self, key: str, html: str) -> int:
        try:
            return int(self.script(keys=self._keys(key), args=[self.prefix, html.encode("utf-8"), bound()]))
        except Exception:
            log.warning("record fragments not stored in Redis", exc_info=True)
            return 0

    def evict(self) -> int:
        return int(self.script(keys=self._keys("-"), args=[self.prefix, b"", bound()]))

    def stored_bytes(self) -> int:
        return int(self.client.get(self.prefix + "bytes") or 0)


def render(record: dict, signers: list, formal, template: str = TEMPLATE, signed_at=None) -> str:
    return render_template(template, **fragment_context(record, signers, formal, signed_at))


def record_fragment(context, template: str, *, signers: list, formal=None):
    """The template global: the signed part of the page being rendered, from the store or made
    now. None when fragments are off or the record failed its hash: the page then includes the
    template itself."""
    record, frozen = context.get("record"), context.get("frozen")
    if not enabled() or not record or frozen is None:
        return None
    key = fragment_key(frozen.json_sha256, template, current_language(), formal, frozen.signed_at)
    html = get(key)
    if html is None:
        html = render(record, signers, formal, template, frozen.signed_at)
        g.setdefault("etikdialog_new_fragments", {})[key] = html  # written after the response
    return Markup(html)  # noqa: S704 - rendered by our own autoescaping template


def store_new_fragments(response):
    """after_request: what this request rendered afresh goes into the shared store. Only when the
    request changed nothing else, so committing here commits nothing but the fragments."""
    new = g.pop("etikdialog_new_fragments", None)
    if new and not (db.session.new or db.session.dirty or db.session.deleted):
        try:
            for key, html in new.items():
                put(key, html)
            db.session.commit()
        except Exception:  # a full disk or a read-only replica must not cost the reader the page
            db.session.rollback()
            log.warning("record fragments not stored", exc_info=True)
    return response


def prepare(publication: Publication, languages=tuple(LANGUAGES)) -> int:
    """Render and store the publication's fragment in every language not stored yet (at
    publication, and by `flask cache warm`). Needs a request context (url_for); the caller commits."""
    frozen = publication.signed_record
    checked = integrity.check_integrity(frozen, pdf=False, publication=publication)
    if not checked.json_ok:
        return 0
    signers = integrity.signer_list(checked.content, frozen)
    formal = addenda.public_chain(frozen, checked.content, in_force=addenda.in_force(publication)).decision
    made = 0
    for language in languages:
        with force_locale(language):
            for template in TEMPLATES:
                key = fragment_key(frozen.json_sha256, template, language, formal, frozen.signed_at)
                if get(key) is None:
                    put(key, render(checked.content, signers, formal, template, frozen.signed_at))
                    made += 1
    return made


def prepare_on_publish(assessment, *, kind: str, frozen, **_) -> None:
    """assessments.signals.logged (sent by public.services.publish once the row exists): a new
    publication's fragments are made before its first reader comes. Outside a request (the demo
    and bulk seeding) nothing is made here; `flask cache warm` makes them."""
    if kind != "published" or not has_request_context() or not enabled():
        return
    publication = db.session.scalar(select(Publication).where(Publication.signed_record_id == frozen.id))
    if publication is not None:
        prepare(publication)


cache_cli = AppGroup("cache", help="Delte sidefragmenter af offentliggjorte vurderinger.")


@cache_cli.command("warm")
@click.option("--batch", default=200, show_default=True, help="Vurderinger pr. commit.")
def warm_command(batch: int) -> None:
    """Lav de underskrevne dele af alle offentliggjorte vurderinger, der mangler (efter en udrulning)."""
    app = current_app._get_current_object()
    base = app.config.get("PUBLIC_BASE_URL") or None
    made = seen = 0
    ids = list(db.session.scalars(select(Publication.id).order_by(Publication.id.desc())))
    with app.test_request_context(base_url=base):
        for start in range(0, len(ids), batch):
            for publication in db.session.scalars(
                select(Publication).where(Publication.id.in_(ids[start : start + batch]))
            ):
                made += prepare(publication)
                seen += 1
            evict()
            db.session.commit()
            db.session.expunge_all()
    click.echo(f"{seen} vurderinger, {made} nye fragmenter.")


def init_app(app) -> None:
    from jinja2 import pass_context

    app.jinja_env.globals["record_fragment"] = pass_context(record_fragment)
    app.after_request(store_new_fragments)
