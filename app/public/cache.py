"""Rendered public pages for anonymous readers, and ETags so browsers ask again for free.

Published records never change, and lists change only when something is published or
withdrawn (the publication generation). A detail page also shows the follow-up log, which
changes with every entry, and overdue flags, which change with the day: both are in the key
too. So a page for a reader who is not logged in is rendered once per generation and process,
kept in a bounded LRU, and answered with 304 when the browser already has it. Logged-in users, pending flash messages and anything but a plain
200 always take the normal path.

The key holds only the query parameters the page reads, in one order, without empty values, so
`?x=1`, `?x=2`, … or the same filters in another order cannot fill the cache with copies (a page
that canonicalises its own query by redirecting, the version comparison, passes params=None). Every package's generation is read in one query (one round trip on PostgreSQL), and the
cache is bounded by the bytes it holds as well as by its entries.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import partial, wraps
from pathlib import Path
from urllib.parse import urlencode

from flask import Response, current_app, make_response, request, session
from flask_login import current_user
from sqlalchemy import select

from app.core.time import danish_today
from app.core.wiring import contributions
from app.extensions import db
from app.i18n import current_language
from app.public import services as public_services
from app.public.services import generation

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024  # per process; a record page is about 40 KB
REVALIDATE = "public, max-age=0, must-revalidate"


class PageCache:
    """A bounded, thread-safe LRU: at most ``max_entries`` entries and, where ``max_weight`` is
    given, at most that much weight in all (each ``put`` says its entry's weight; an entry
    heavier than the whole bound is not kept). Pages here; comparisons in app/public/compare.py."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_weight: int | None = None):
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._weights: dict[str, int] = {}
        self._weight = 0
        self._lock = threading.Lock()
        self._max = max_entries
        self._max_weight = max_weight

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry, weight: int = 1) -> None:
        if self._max_weight is not None and weight > self._max_weight:
            return
        with self._lock:
            self._weight += weight - self._weights.get(key, 0)
            self._entries[key], self._weights[key] = entry, weight
            self._entries.move_to_end(key)
            while len(self._entries) > self._max or (self._max_weight is not None and self._weight > self._max_weight):
                oldest, _entry = self._entries.popitem(last=False)
                self._weight -= self._weights.pop(oldest)

    @property
    def weight(self) -> int:
        return self._weight

    def __len__(self) -> int:
        return len(self._entries)


def build_id(app) -> str:
    """Templates, translations and content decide what a page looks like; a deploy that
    changes them changes every ETag. Computed once per app from the files, so every worker agrees."""
    if "etikdialog.build_id" not in app.extensions:
        digest = hashlib.sha256()
        root = Path(app.root_path)
        for path in sorted([*root.rglob("*.html"), *root.rglob("*.po")]):
            digest.update(path.read_bytes())
        from app.content.loader import get_content

        digest.update(get_content().version.encode())
        app.extensions["etikdialog.build_id"] = digest.hexdigest()[:16]
    return app.extensions["etikdialog.build_id"]


def page_cache(app) -> PageCache:
    return app.extensions.setdefault("etikdialog.page_cache", PageCache(MAX_ENTRIES, MAX_BYTES))


def page_generation() -> tuple:
    """Everything a cached page's content depends on that changes while the app runs, read in one
    query: publications (the two columns public_services.generation() reads, which it is then
    given for this request), and the columns of the packages whose rows the pages show (follow-up,
    feedback, reuse), wired under "public.generation_columns" (app/wiring.py)."""
    publication = list(public_services.GENERATION.selected_columns)
    others = [column for columns in contributions("public.generation_columns") for column in columns()]
    row = tuple(db.session.execute(select(*publication, *others)).one())
    request.environ["etikdialog.publication_generation"] = row[: len(publication)]
    return row


def canonical_query(params: tuple[str, ...] | None) -> str:
    """The query the page reads, in the order it names its parameters, without empty values; the
    whole query as sent when the page checks its own (params=None)."""
    if params is None:
        return request.query_string.decode("latin-1")
    return urlencode([(name, value) for name in params for value in request.args.getlist(name) if value != ""])


def _cacheable() -> bool:
    return (
        current_app.config.get("PUBLIC_PAGE_CACHE", True)
        and request.method in ("GET", "HEAD")
        and not session.get("_flashes")
        and not current_user.is_authenticated
    )


def cached_for_anonymous(view=None, *, params: tuple[str, ...] | None = ()):
    """Serve the view's page from the cache to readers who are not logged in; `params` are the
    query parameters the view reads (others do not change the page, so not its key either)."""
    if view is None:
        return partial(cached_for_anonymous, params=params)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not _cacheable():
            return view(*args, **kwargs)
        app = current_app._get_current_object()
        parts = (
            build_id(app),
            page_generation(),
            danish_today(),
            current_language(),
            request.host,
            request.path,
            canonical_query(params),
        )
        key = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
        if request.if_none_match.contains_weak(key):  # RFC 9110 13.1.2: weak comparison
            response = make_response("", 304)
        else:
            entry = page_cache(app).get(key)
            if entry is None:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200 or response.is_streamed:
                    return response
                entry = (response.get_data(), response.headers.get("Content-Type", "text/html; charset=utf-8"))
                page_cache(app).put(key, entry, weight=len(entry[0]))
            response = Response(entry[0], content_type=entry[1])
        response.set_etag(key)
        response.headers["Cache-Control"] = REVALIDATE
        response.vary.add("Cookie")
        return response

    return wrapper


def generation_etag(*parts) -> str:
    """The ETag of a whole-file export (the CSV): the same while nothing is published or withdrawn
    and the deploy's templates and content (its labels) are the same, for this host and query."""
    key = (build_id(current_app._get_current_object()), generation(), request.host, request.full_path, *parts)
    return hashlib.sha256("|".join(map(str, key)).encode()).hexdigest()[:32]
