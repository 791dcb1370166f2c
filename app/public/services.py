"""Publication, search and verification for the public portal.

Publishing and withdrawing go through the assessment state table (`publish`, `withdraw`); the
hook below turns those transitions into a Publication row and its search entry. Everything a
citizen can reach is read through `visible()`, so no unpublished record can leak.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import Integer, and_, column, func, literal_column, or_, select, table, text
from sqlalchemy.orm import joinedload

from app.assessments import services as assessment_services
from app.assessments import signals
from app.assessments.models import Assessment
from app.audit.services import record
from app.core.params import bounded_int
from app.core.time import utcnow
from app.extensions import db
from app.followup.services import effect_log, expected_effect, plan_items
from app.i18n import line
from app.pdf.archival import is_tagged
from app.public import verification as verifier_portal
from app.public.models import PREFIX_LENGTHS, Publication, PublicationSearch
from app.signoff import canonical, codes, integrity
from app.signoff.models import SignedRecord, SignedRecordArchive

PER_PAGE = 20
COUNT_LIMIT = 1000  # a filtered or searched list counts this far: "more than 1,000"
QUERY_MAX = 200  # characters of a search string that are used
WORDS_MAX = 12
PDF_UPLOAD_MAX = 20 * 1024 * 1024


class PublicationError(assessment_services.AssessmentError):
    pass


# --- Publishing (through the state table) ----------------------------------------------------


def search_text(snapshot: dict) -> str:
    parts = [snapshot.get("title", ""), snapshot.get("organisation", {}).get("name", "")]
    technology = snapshot.get("technology", {})
    parts += [technology.get("name") or "", technology.get("category_title") or "", technology.get("area_title") or ""]
    parts += [item.get("text") or "" for item in snapshot.get("proposal", [])]
    for question in snapshot.get("questions", []):
        parts += [question.get("discussion", ""), question.get("answer", "")]
    decision = snapshot.get("decision", {})
    parts += [decision.get("label", ""), decision.get("reasoning", "")]
    parts += [r.get("justification", "") for r in snapshot.get("recommendations", [])]
    return "\n".join(p for p in parts if p)


def search_values(snapshot: dict) -> dict:
    """The publication's search row: the title and the summary on their own, so their matches
    rank first (app/public/models.py), and the whole text."""
    return {"title": snapshot.get("title", ""), "summary": _summary(snapshot), "body": search_text(snapshot)}


def _summary(snapshot: dict) -> str:
    return next((p["text"] for p in snapshot.get("proposal", []) if p["field"] == "problem"), "")


def listing_values(snapshot: dict, frozen: SignedRecord) -> dict:
    """The publication row's copies of the signed record: written at publishing, compared by
    `flask verify` and /verificer (app/signoff/integrity.py), so a changed row is caught."""
    return {
        "assessment_id": frozen.assessment_id,
        "public_id": snapshot["public_id"],
        "title": snapshot["title"],
        "organisation_name": snapshot["organisation"]["name"],
        "organisation_slug": snapshot["organisation"]["slug"],
        "technology_name": snapshot["technology"].get("name") or "",
        "technology_category": snapshot["technology"].get("category") or "",
        "sector_area": snapshot["technology"].get("area") or "",
        "decision": snapshot["decision"].get("decision") or "",
        "year": frozen.signed_at.year,
        "version_number": snapshot.get("version_number", 1),
        "summary": _summary(snapshot),
        "signed_at": frozen.signed_at,
    }


def publication_mismatches(publication: Publication, snapshot: dict, frozen: SignedRecord) -> list[str]:
    """Names of the publication's columns that no longer say what the signed record says."""
    wrong = [name for name, value in listing_values(snapshot, frozen).items() if getattr(publication, name) != value]
    searched = publication.search
    if searched is None or any(getattr(searched, k) != v for k, v in search_values(snapshot).items()):
        wrong.append("search")
    return [f"publication.{name}" for name in wrong]


def refresh_search_rows(batch: int = 500) -> int:
    """Rewrite each publication's search row from its signed record where it says something else
    (an export from before the title and summary had columns of their own, migration 0030, brings
    rows with the body only). A record whose JSON fails its hash is left for `flask verify` to
    report. Returns the rows written; the caller commits."""
    ids = db.session.scalars(select(Publication.id).order_by(Publication.id)).all()
    written = 0
    for start in range(0, len(ids), batch):
        for publication in db.session.scalars(
            select(Publication).where(Publication.id.in_(ids[start : start + batch]))
        ):
            frozen = publication.signed_record
            if not integrity.json_intact(frozen):
                continue
            wanted = search_values(json.loads(frozen.canonical_json))
            row = publication.search
            if row is None:
                publication.search = PublicationSearch(**wanted)
            elif all(getattr(row, k) == v for k, v in wanted.items()):
                continue
            else:
                for key, value in wanted.items():
                    setattr(row, key, value)
            written += 1
        db.session.flush()
    return written


def publish(assessment: Assessment, *, user) -> Publication:
    frozen: SignedRecord | None = assessment.signed_record
    if frozen is None:
        raise PublicationError("Kun en underskrevet vurdering kan offentliggøres.")
    snapshot = json.loads(frozen.canonical_json)
    now = utcnow()
    publication = Publication(
        signed_record_id=frozen.id,
        **listing_values(snapshot, frozen),
        search=PublicationSearch(**search_values(snapshot)),
        published_at=now,
        published_by_id=user.id if user else None,
    )
    db.session.add(publication)
    db.session.flush()
    previous, replaced = assessment.previous, None
    while previous is not None:
        older = db.session.scalar(select(Publication).where(Publication.assessment_id == previous.id))
        if older is not None:
            older.replaced_by_id = publication.id
            publication.replaces_id = older.id
            record(
                "publication.replaced",
                line("Erstattet af version %(number)s", number=publication.version_number),
                assessment=previous,
                user=user,
                next=publication.public_id,
            )
            replaced = older
            break
        previous = previous.previous
    db.session.flush()
    record("publication.published", line("Vurderingen er offentliggjort"), assessment=assessment, user=user)
    signals.logged.send(assessment, kind="published", frozen=frozen, at=now)  # the public log
    if replaced is not None:
        signals.logged.send(replaced.assessment, kind="new_version", frozen=replaced.signed_record, at=now)
    return publication


def withdraw(assessment: Assessment, *, user, reason: str) -> Publication:
    publication = db.session.scalar(select(Publication).where(Publication.assessment_id == assessment.id))
    if publication is None:
        raise PublicationError("Vurderingen er ikke offentliggjort.")
    publication.withdrawn_at = utcnow()
    publication.withdrawn_by_id = user.id if user else None
    publication.withdrawal_reason = reason.strip()
    db.session.flush()
    record(
        "publication.withdrawn",
        line("Trukket tilbage: %(reason)s", reason=reason.strip()[:200]),
        assessment=assessment,
        user=user,
    )
    signals.logged.send(assessment, kind="withdrawn", frozen=publication.signed_record, at=publication.withdrawn_at)
    return publication


def publish_on_transition(assessment: Assessment, *, step, user, reason: str = "", **_) -> None:
    """assessments.signals.transitioning (connected in create_app): the publish and withdraw rows
    of the state table publish or withdraw the assessment here."""
    if step.name == "publish":
        publish(assessment, user=user)
    elif step.name == "withdraw":
        withdraw(assessment, user=user, reason=reason)


# --- Reading ---------------------------------------------------------------------------------


def visible():
    """Every publication a citizen may see (withdrawn ones show as a notice, not in lists)."""
    return select(Publication)


def get(public_id: str, *, detail: bool = False) -> Publication | None:
    """One publication; with detail=True, also the rows the detail page reads (the signed record,
    the search text its check compares, the assessment) in the same query instead of three more."""
    query = visible().where(Publication.public_id == public_id)
    if detail:
        query = query.options(
            joinedload(Publication.signed_record), joinedload(Publication.search), joinedload(Publication.assessment)
        )
    return db.session.scalar(query)


def latest(limit: int = 5, *, in_force: bool = False) -> list[Publication]:
    """The newest publications not withdrawn; with in_force, only versions no newer one replaced
    (the front page; the feed keeps every publication, as a harvester needs)."""
    query = visible().where(Publication.withdrawn_at.is_(None))
    if in_force:
        query = query.where(Publication.replaced_by_id.is_(None))
    query = query.order_by(Publication.published_at.desc(), Publication.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def search_words(query: str) -> list[str]:
    """Letters and digits only: no FTS or tsquery operator ever reaches the database."""
    return re.findall(r"[^\W_]+", (query or "")[:QUERY_MAX])[:WORDS_MAX]


# A word this long or longer matches as the start of a word; a shorter one ("it", "ai") as a whole
# word: a one-letter prefix would match most of the text and merge all of it (app/public/models.py).
PREFIX_MIN = PREFIX_LENGTHS.start


def _is_prefix(word: str) -> bool:
    return len(word) >= PREFIX_MIN


@dataclass
class Filters:
    q: str = ""
    kommune: str = ""
    teknologi: str = ""
    omraade: str = ""
    aar: int | None = None
    beslutning: str = ""
    status: str = ""  # "alle": withdrawn ones too (open data only: the API list, CSV, XLSX; issue 34)

    @classmethod
    def from_args(cls, args, *, decisions) -> Filters:
        """Unknown or malformed values are ignored rather than refused."""
        return cls(
            q=(args.get("q") or "")[:QUERY_MAX].strip(),
            kommune=(args.get("kommune") or "")[:100],
            teknologi=(args.get("teknologi") or "")[:64],
            omraade=(args.get("omraade") or "")[:64],
            aar=bounded_int(args.get("aar"), default=None, minimum=1901, maximum=2999),
            beslutning=args.get("beslutning") if args.get("beslutning") in decisions else "",
        )

    def active(self) -> dict[str, str]:
        values = {
            "q": self.q,
            "kommune": self.kommune,
            "teknologi": self.teknologi,
            "omraade": self.omraade,
            "aar": str(self.aar or ""),
            "beslutning": self.beslutning,
            "status": self.status,
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Cursor:
    """A position in a list's order, carried in the next and previous links (`efter`, `foer`),
    so that a deep page is found through the index, never by skipping every row before it."""

    published_at: datetime
    id: int

    PATTERN = re.compile(r"^(\d{8}T\d{6})(\d{6})-(\d{1,12})$")

    @classmethod
    def of(cls, publication: Publication) -> Cursor:
        return cls(publication.published_at, publication.id)

    @property
    def token(self) -> str:
        return f"{self.published_at:%Y%m%dT%H%M%S%f}-{self.id}"

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        """Anything but a well-formed token is ignored (the page number then decides)."""
        match = cls.PATTERN.match((value or "")[:40])
        if not match:
            return None
        try:
            when = datetime.strptime(match[1] + match[2], "%Y%m%dT%H%M%S%f")
        except ValueError:
            return None
        return cls(when, int(match[3]))


@dataclass
class ResultPage:
    items: list[Publication]
    total: int
    page: int
    pages: int | None  # None when the count was capped: more than `total`
    filters: Filters
    facets: dict[str, list] = field(default_factory=dict)
    capped: bool = False
    has_next: bool = False
    has_prev: bool = False

    def _link(self, page: int, **cursor) -> dict:
        """The filters, the page number (today's `?side=` links keep working) and the cursor."""
        return {**self.filters.active(), **({"side": page, **cursor} if page > 1 else {})}

    @property
    def next_args(self) -> dict:
        return self._link(self.page + 1, efter=Cursor.of(self.items[-1]).token) if self.has_next else {}

    @property
    def prev_args(self) -> dict:
        return self._link(self.page - 1, foer=Cursor.of(self.items[0]).token) if self.has_prev else {}

    @property
    def last_args(self) -> dict:
        """The last page by number: read backwards from the end, so it costs what the first does."""
        return self._link(self.pages) if self.pages else {}


FTS = table("publication_fts", column("rowid", Integer))  # SQLite's FTS5 index (app/public/models.py)


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _tsquery(words: list[str]):
    return func.to_tsquery("danish", " & ".join(f"{w}:*" if _is_prefix(w) else w for w in words))


SEARCH_VECTOR = literal_column("publication_search.search_vector")  # generated column, GIN-indexed


def _search_condition(words: list[str]):
    """On PostgreSQL a semi-join on the GIN-indexed tsvector. On SQLite the FTS5 table is joined
    in `filtered()` instead, so the query walks the FTS index in rowid order and stops after a page."""
    return Publication.id.in_(select(PublicationSearch.publication_id).where(SEARCH_VECTOR.op("@@")(_tsquery(words))))


# A match in the title first, then the summary, then the rest (issue 34). FTS5's bm25() takes a
# weight per column (title, summary, body) and is lower for a better match; ts_rank() takes the
# weights of D, C, B and A (the body is D, the summary B, the title A: app/public/models.py) and is
# higher. Each weight is far enough above the next that a single match in a heavier column
# outranks any number in a lighter one (tests/test_search_ranking.py).
BM25_WEIGHTS = (100.0, 10.0, 1.0)
TS_RANK_WEIGHTS = "{0.01, 0.01, 0.1, 1.0}"


def _ranked_ids(query, keys, words: list[str], limit: int) -> list[int]:
    """The ids of the newest `limit` matches, the best match first (the newest first among
    equals). A search with more matches than fit (the count says "more than") lists them newest
    first instead: ranking them all would cost what the whole match costs, and a ranked first
    part followed by older pages would not be one order the cursors can walk. So a search costs
    the same at any size and its pages never overlap."""
    newest = query.with_only_columns(Publication.id).order_by(*[key.desc() for key in keys]).limit(limit)
    if _sqlite():  # bm25() needs the MATCH's own query, and is computed only for the rows read
        rows = db.session.execute(newest.add_columns(-func.bm25(literal_column("publication_fts"), *BM25_WEIGHTS)))
    else:  # ranked in an outer query, so ts_rank() reads only the vectors of the rows kept
        kept = newest.subquery()
        rows = db.session.execute(
            select(kept.c.id, func.ts_rank(text(f"'{TS_RANK_WEIGHTS}'::float4[]"), SEARCH_VECTOR, _tsquery(words)))
            .select_from(kept)
            .join(PublicationSearch, PublicationSearch.publication_id == kept.c.id)
        )
    rows = list(rows)
    if len(rows) >= limit:
        return sorted((id_ for id_, _score in rows), reverse=True)
    return [id_ for id_, _score in sorted(rows, key=lambda row: (-row[1], -row[0]))]


def filtered(filters: Filters):
    query = visible() if filters.status == "alle" else visible().where(Publication.withdrawn_at.is_(None))
    if filters.q:
        words = search_words(filters.q)
        if not words:
            return query.where(text("1 = 0"))
        if _sqlite():
            match = " ".join(f'"{w}"*' if _is_prefix(w) else f'"{w}"' for w in words)
            query = query.join(FTS, FTS.c.rowid == Publication.id).where(
                literal_column("publication_fts").op("MATCH")(match)
            )
        else:
            query = query.where(_search_condition(words))
    if filters.kommune:
        query = query.where(Publication.organisation_slug == filters.kommune)
    if filters.teknologi:
        query = query.where(Publication.technology_category == filters.teknologi)
    if filters.omraade:
        query = query.where(Publication.sector_area == filters.omraade)
    if filters.aar:
        query = query.where(Publication.year == filters.aar)
    if filters.beslutning:
        query = query.where(Publication.decision == filters.beslutning)
    return query


def sort_keys(filters: Filters) -> tuple:
    """The order of a list, newest first, always ending in the unique id so pages never overlap.
    Lists sort on (published_at, id) through an index that matches it (migration 0009). Search
    results sort on the id alone, which is the order of publication: on SQLite that is the FTS
    index's own rowid order, walked backwards until a page is full instead of sorting every hit."""
    if filters.q and search_words(filters.q):
        return (FTS.c.rowid,) if _sqlite() else (Publication.id,)
    return (Publication.published_at, Publication.id)


# Built once: every public request asks it, and building the statement cost more than running it.
GENERATION = select(
    select(func.max(Publication.id)).scalar_subquery(),
    select(func.max(Publication.withdrawn_at)).where(Publication.withdrawn_at.is_not(None)).scalar_subquery(),
)


def generation() -> tuple:
    """Changes whenever anything a list shows could change: a publication (and with it a
    replacement) adds a row, a withdrawal sets a later withdrawn_at. Two index look-ups, once
    per request (separate subqueries: SQLite answers a lone max() from the index; the
    withdrawn_at one only through the partial index of withdrawn rows, which the NOT NULL
    condition lets both databases use)."""
    memo = request.environ if has_request_context() else {}
    if "etikdialog.publication_generation" not in memo:
        memo["etikdialog.publication_generation"] = tuple(db.session.execute(GENERATION).one())
    return memo["etikdialog.publication_generation"]


class GenerationCache:
    """Values derived from all publications (facets, the unfiltered count), kept per process
    until the generation moves; the list pages then cost the same at 100 or 100,000."""

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = None
        self._values: dict = {}

    def get(self, key: str, compute):
        current = generation()
        with self._lock:
            if current != self._generation:
                self._generation, self._values = current, {}
            if key in self._values:
                return self._values[key]
        value = compute()
        with self._lock:
            if current == self._generation:
                self._values[key] = value
        return value


def facets_cache() -> GenerationCache:
    """One cache per app (tests build many apps on one database)."""
    return current_app.extensions.setdefault("publication_generation_cache", GenerationCache())


def _beyond(keys: tuple, cursor: Cursor, *, older: bool):
    """Rows after the cursor in the list's order (older) or before it (newer). Written as a range
    on the first key plus a tie-break, so both databases start the index walk at the cursor."""
    if len(keys) == 1:
        return keys[0] < cursor.id if older else keys[0] > cursor.id
    first, second = keys
    if older:
        return and_(first <= cursor.published_at, or_(first < cursor.published_at, second < cursor.id))
    return and_(first >= cursor.published_at, or_(first > cursor.published_at, second > cursor.id))


def _count(query, filters: Filters, limit: int | None) -> tuple[int, bool]:
    """The number of matches and whether it was capped. The unfiltered total is cached per
    generation; a filtered or searched count stops at `limit` + 1 rows when a limit is given."""
    query = query.with_only_columns(Publication.id)
    if not filters.active():
        return facets_cache().get(
            "total", lambda: db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ), False
    if limit is None:
        return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0, False
    found = db.session.scalar(select(func.count()).select_from(query.limit(limit + 1).subquery())) or 0
    return min(found, limit), found > limit


def _one_pass_page(query, keys, filters, page, per_page, options, after, before, count_limit) -> ResultPage | None:
    """A searched or filtered page from one pass over the matches: the ids of the first
    `count_limit` + 1 in the list's order give the capped count and the page (by number or by the
    cursor's id) at once, and the page's rows are then read by primary key. Counting and paging in
    separate queries paid for the match twice, and a prefix match costs the same however little
    of it is read (SQLite's FTS5 merges a prefix's doclists before the first row). None when the
    page lies beyond the ids read, or the cursor's row is not among them: the general path then
    finds it through the index and counts exactly."""
    words = search_words(filters.q) if filters.q else []
    if words:
        ids = _ranked_ids(query, keys, words, count_limit + 1)
    else:
        ordered = query.with_only_columns(Publication.id).order_by(*[key.desc() for key in keys])
        ids = list(db.session.scalars(ordered.limit(count_limit + 1)))
    capped = len(ids) > count_limit
    total = min(len(ids), count_limit)
    pages = None if capped else max(1, math.ceil(total / per_page))
    cursor = after or before
    if cursor is not None and cursor.id not in ids[:total]:
        return None
    if after is not None:
        start = ids.index(after.id) + 1
        if start >= total and capped:  # a stale link from the last row: the page by number says where the list ends
            return None
        if start >= total:  # every match is read (and a search ranked): the last page is here
            start = max(0, (total - 1) // per_page * per_page)
    elif before is not None:
        start = max(0, ids.index(before.id) - per_page)
    else:
        start = (min(max(1, page), pages or page) - 1) * per_page
    if start + per_page > total and capped:
        return None
    page_ids = ids[start : start + per_page]
    rows = {row.id: row for row in db.session.scalars(visible().where(Publication.id.in_(page_ids)).options(*options))}
    return ResultPage(
        [rows[id_] for id_ in page_ids if id_ in rows],
        total,
        start // per_page + 1,
        pages,
        filters,
        capped=capped,
        has_next=len(ids) > start + per_page,
        has_prev=start > 0,
    )


def search(
    filters: Filters,
    page: int = 1,
    per_page: int = PER_PAGE,
    options=(),
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    count_limit: int | None = None,
) -> ResultPage:
    """One page of a list or search. `after`/`before` (from the page links) find the page through
    the index; a bare page number reads from whichever end of the list is nearer. With a
    `count_limit` a filtered count stops there (`capped`) unless the page asked for lies beyond it."""
    query = filtered(filters)
    keys = sort_keys(filters)
    if count_limit is not None and filters.active():  # the match is the cost: pay for it once
        found = _one_pass_page(query, keys, filters, page, per_page, options, after, before, count_limit)
        if found is not None:
            return found
    newest_first, oldest_first = [k.desc() for k in keys], [k.asc() for k in keys]
    total, capped = _count(query, filters, count_limit)
    if capped and page > total // per_page:  # a deep page by number: the exact count finds the last
        total, capped = _count(query, filters, None)
    pages = None if capped else max(1, math.ceil(total / per_page))
    page = max(1, page) if pages is None else min(max(1, page), pages)
    query = query.options(*options)

    def result(items, page, has_next, has_prev) -> ResultPage:
        return ResultPage(items, total, page, pages, filters, capped=capped, has_next=has_next, has_prev=has_prev)

    if after is not None:
        rows = list(
            db.session.scalars(
                query.where(_beyond(keys, after, older=True)).order_by(*newest_first).limit(per_page + 1)
            )
        )
        if rows:
            has_next = len(rows) > per_page
            page = max(2, page)
            if pages is not None:
                page = min(page, pages - 1) if has_next else pages
            return result(rows[:per_page], page, has_next, True)
    elif before is not None:
        rows = list(
            db.session.scalars(
                query.where(_beyond(keys, before, older=False)).order_by(*oldest_first).limit(per_page + 1)
            )
        )
        if len(rows) > per_page:  # otherwise the cursor is on the first page: read it by number
            page = max(2, min(page, pages or page))
            return result(rows[:per_page][::-1], page, True, True)
        page = 1
    start = (page - 1) * per_page
    if pages is not None and page > 1 and total - start - per_page < start:  # nearer the end: read backwards
        end = min(start + per_page, total)
        rows = list(db.session.scalars(query.order_by(*oldest_first).limit(end - start).offset(total - end)))
        return result(rows[::-1], page, page < pages, True)
    rows = list(db.session.scalars(query.order_by(*newest_first).limit(per_page + 1).offset(start)))
    return result(rows[:per_page], page, len(rows) > per_page, page > 1)


# --- Whole-file exports ----------------------------------------------------------------------

EXPORT_BATCH = 50  # rows read from the database at a time; each carries its signed record (tens of KB)
# The CSV's columns; the proposal's come from the signed record itself (canonical_json).
EXPORT_COLUMNS = (
    Publication.public_id,
    Publication.title,
    Publication.organisation_name,
    Publication.technology_name,
    Publication.technology_category,
    Publication.sector_area,
    Publication.decision,
    Publication.version_number,
    Publication.signed_at,
    Publication.published_at,
    Publication.replaced_by_id,
    Publication.withdrawn_at,
    SignedRecord.verification_code,
    SignedRecord.pdf_sha256,
    SignedRecord.canonical_json,
)


def export_rows(filters: Filters):
    """Every row of a whole-file export (the CSV): only the columns it shows, newest first
    (published_at, then id, so the order is the same every time), read in batches so memory
    stays flat at any size. Iterate it inside the request (stream_with_context)."""
    query = (
        filtered(filters)
        .with_only_columns(*EXPORT_COLUMNS)
        .join(SignedRecord, SignedRecord.id == Publication.signed_record_id)
        .order_by(Publication.published_at.desc(), Publication.id.desc())
        .execution_options(yield_per=EXPORT_BATCH)
    )
    return db.session.execute(query)


def municipalities() -> list[tuple[str, str]]:
    def compute():
        rows = db.session.execute(
            select(Publication.organisation_slug, Publication.organisation_name)
            .where(Publication.withdrawn_at.is_(None))
            .distinct()
            .order_by(Publication.organisation_name)
        )
        return [(slug, name) for slug, name in rows]

    return facets_cache().get("municipalities", compute)


def years() -> list[int]:
    def compute():
        return list(
            db.session.scalars(
                select(Publication.year)
                .where(Publication.withdrawn_at.is_(None))
                .distinct()
                .order_by(Publication.year.desc())
            )
        )

    return facets_cache().get("years", compute)


SITEMAP_URLS = 50_000  # the sitemap protocol's limit per file


def sitemap_urls_per_file() -> int:
    return min(SITEMAP_URLS, max(1, int(current_app.config.get("SITEMAP_URLS_PER_FILE", SITEMAP_URLS))))


def sitemap_file_count(fixed: int) -> int:
    """How many sitemap files hold the `fixed` pages and every publication (withdrawn ones keep
    their page with its notice). The count is cached per generation."""
    everything = facets_cache().get("sitemap_count", lambda: db.session.scalar(select(func.count(Publication.id))))
    return max(1, math.ceil((fixed + (everything or 0)) / sitemap_urls_per_file()))


def sitemap_public_ids(number: int, fixed: int) -> list[str]:
    """The publications in sitemap file `number` (from 1): the files list the `fixed` pages first,
    then every publication in id order, `sitemap_urls_per_file()` to a file."""
    size = sitemap_urls_per_file()
    first, last = (max(0, (number - 1) * size - fixed), max(0, number * size - fixed))
    if last == first:
        return []
    query = select(Publication.public_id).order_by(Publication.id).offset(first).limit(last - first)
    return list(db.session.scalars(query))


def versions(publication: Publication) -> list[Publication]:
    """Every published version of this assessment, oldest first."""
    first = publication
    while first.replaces is not None:
        first = first.replaces
    chain = [first]
    while chain[-1].replaced_by is not None:
        chain.append(chain[-1].replaced_by)
    return chain


# --- The detail page -------------------------------------------------------------------------


@dataclass
class SignedPage:
    """What the public page presents as signed, read from the hashed record only."""

    record: dict | None  # None: the stored JSON no longer matches its hash, so nothing is shown as signed
    signers: list[dict]
    followup: list
    derived_ok: bool  # False: a row copied from the record was changed; the page still shows the record
    expected_effect: list = field(default_factory=list)  # from the record (followup.expected_effect)
    effects: list = field(default_factory=list)  # measured effect, from the follow-up log, newest first


def signed_page(publication: Publication) -> SignedPage:
    frozen = publication.signed_record
    result = integrity.check_integrity(frozen, pdf=False, publication=publication)
    if not result.json_ok:
        return SignedPage(None, [], [], False)
    record = result.content  # parsed once, from the JSON whose hash was just checked
    return SignedPage(
        record,
        integrity.signer_list(record, frozen),
        plan_items(publication.assessment, record=record),
        not result.mismatches,
        expected_effect(record),
        effect_log(publication.assessment),
    )


TAGGED_MAX = 4096


def pdf_is_tagged(frozen: SignedRecord) -> bool:
    """Whether a signed record's stored PDF is tagged for screen readers. PDFs signed before the
    renderer tagged its output are not, and are never rendered again: their public page says so.
    Read from the stored bytes once per PDF per app (kept by PDF SHA-256: the bytes under a hash
    never change)."""
    tagged = current_app.extensions.setdefault("etikdialog.pdf_tagged", {})
    known = tagged.get(frozen.pdf_sha256)
    if known is None:
        if len(tagged) >= TAGGED_MAX:
            tagged.clear()
        known = tagged[frozen.pdf_sha256] = is_tagged(bytes(frozen.pdf))
    return known


def derived_row_mismatches(frozen: SignedRecord, record: dict, *, publication=None) -> list[str]:
    """The publication's part of the record's integrity check (app/signoff/integrity.py, wired in
    app/wiring.py): its columns against the record. A passed publication row is not read again."""
    if publication is None or publication.signed_record_id != frozen.id:
        publication = db.session.scalar(select(Publication).where(Publication.signed_record_id == frozen.id))
    return publication_mismatches(publication, record, frozen) if publication is not None else []


# --- Verification ----------------------------------------------------------------------------


@dataclass
class Verification:
    publication: Publication | None
    frozen: SignedRecord | None
    intact: bool  # the stored bytes match their hashes and every derived row matches the record
    record: dict | None = None  # the signed record, read from the hashed JSON (None if it fails)
    derived_ok: bool = True  # False: the bytes are intact but a derived row was changed
    findings: list = field(default_factory=list)  # what the offline check finds (app/verifier), in plain words

    @property
    def found(self) -> bool:
        return self.publication is not None


def _verification(frozen: SignedRecord | None) -> Verification:
    if frozen is None:
        return Verification(None, None, False)
    publication = db.session.scalar(visible().where(Publication.signed_record_id == frozen.id))
    if publication is None:  # signed but never published: nothing to show the public
        return Verification(None, None, False)
    result = integrity.check_integrity(frozen)
    record = json.loads(frozen.canonical_json) if result.json_ok else None
    found = verifier_portal.findings_for(frozen)  # the signed PDF, the re-hashed record and the log
    return Verification(publication, frozen, result.ok, record, derived_ok=not result.mismatches, findings=found)


def verify_code(code: str) -> Verification:
    normalised = codes.normalise(code)  # the one reading of a typed code (app/signoff/codes.py)
    if normalised is None:
        return Verification(None, None, False)
    return _verification(db.session.scalar(select(SignedRecord).where(SignedRecord.verification_code == normalised)))


def verify_pdf(data: bytes) -> Verification:
    digest = canonical.sha256_hex(data)
    frozen = db.session.scalar(select(SignedRecord).where(SignedRecord.pdf_sha256 == digest))
    if frozen is None:  # a renewed long-term version (flask signing extend) of a signed PDF
        frozen = db.session.scalar(
            select(SignedRecord)
            .join(SignedRecordArchive, SignedRecordArchive.signed_record_id == SignedRecord.id)
            .where(SignedRecordArchive.pdf_sha256 == digest)
        )
    return _verification(frozen)


def latest_withdrawals(limit: int) -> list[Publication]:
    """The newest withdrawals, for the Atom feed's withdrawal entries (issue 34): a harvester that
    copied a record learns that it was withdrawn."""
    query = (
        visible()
        .where(Publication.withdrawn_at.is_not(None))
        .order_by(Publication.withdrawn_at.desc(), Publication.id.desc())
    )
    return list(db.session.scalars(query.limit(limit)))
