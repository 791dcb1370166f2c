"""Rendered public pages for anonymous readers, and ETags so browsers ask again for free.

Published records never change, and lists change only when something is published or
withdrawn (the publication generation). A detail page also shows the follow-up log, which
changes with every entry, and overdue flags, which change with the day: both are in the key
too. So a page for a reader who is not logged in is rendered once per generation and process,
kept in a bounded LRU, and answered with 304 when the browser already has it. Logged-in users, pending flash messages and anything but a plain
200 always take the normal path.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import wraps
from pathlib import Path

from flask import Response, current_app, make_response, request, session
from flask_login import current_user

from app.core.time import danish_today
from app.feedback.services import generation as feedback_generation
from app.followup.services import generation as followup_generation
from app.i18n import current_language
from app.public.services import generation
from app.reuse.services import generation as reuse_generation

MAX_ENTRIES = 512
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
    return app.extensions.setdefault("etikdialog.page_cache", PageCache())


def _cacheable() -> bool:
    return (
        current_app.config.get("PUBLIC_PAGE_CACHE", True)
        and request.method == "GET"
        and not session.get("_flashes")
        and not current_user.is_authenticated
    )


def cached_for_anonymous(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not _cacheable():
            return view(*args, **kwargs)
        app = current_app._get_current_object()
        parts = (
            build_id(app),
            generation(),
            followup_generation(),
            feedback_generation(),  # a question received, answered or shown changes its record's page
            reuse_generation(),  # a draft built on a record changes its page's count
            danish_today(),
            current_language(),
            request.host,
            request.full_path,
        )
        key = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
        if request.if_none_match.contains(key):
            response = make_response("", 304)
        else:
            entry = page_cache(app).get(key)
            if entry is None:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200 or response.is_streamed:
                    return response
                entry = (response.get_data(), response.headers.get("Content-Type", "text/html; charset=utf-8"))
                page_cache(app).put(key, entry)
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
