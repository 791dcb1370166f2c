"""Growth: server latency of every public route at 100, 1,000, 10,000 and (with --large) 100,000
published assessments, on SQLite and PostgreSQL.

Each size is seeded once with `seed_published` and kept for the next run (bench/.data/ for
SQLite; on PostgreSQL a schema per size in a database of the benchmark's own, `etikdialog_bench`,
created if missing: never `test`, which CI uses). The requests are interleaved: round after round,
every route is asked at every size in turn, so drift on a shared machine hits all sizes alike.
The page cache is off, so what is measured is the queries and the rendering. Exports are timed to
their first chunk (a download's time follows its size; its start must not). The target is
p95 ≤ 2 × p95 of the next smaller size for every route and every adjacent pair of sizes (a cost
that shows only in the middle, where a plan changes, is judged too).
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import statistics
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.content.loader import get_content
from app.extensions import db
from app.translog import services as translog
from bench import quiet

SIZES = (100, 1_000, 10_000)
LARGE = 100_000
TARGET = 2.0
BENCH_DATABASE = "etikdialog_bench"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DATA = Path(__file__).with_name(".data")
ROOT = Path(__file__).resolve().parent.parent
COMMON_WORD = "benchmark"  # every seeded record names its "Benchmark Kommune NN"
RARE_WORD = "1234"  # a number in about one title in 10,000
PREFIX = "bench"  # the start of the common word: a prefix look-up
STREAMED = ("csv",)  # timed to the first chunk
ENTRIES_PAGE = 50  # log entries a crawler of the log asks for at a time


def seed_key() -> str:
    """Seeded databases are reused while the seeding code and the schema stay the same."""
    digest = hashlib.sha256()
    for path in sorted(
        [ROOT / "app/demo/bulk.py", *ROOT.glob("app/*/models.py"), *ROOT.glob("migrations/versions/*.py")]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def postgres_url() -> str | None:
    """The benchmark's own database on the local server, created when it is missing."""
    server = os.environ.get("BENCH_POSTGRES_SERVER", DEFAULT_SERVER)
    try:
        engine = create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": BENCH_DATABASE}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
        engine.dispose()
    except Exception:  # no PostgreSQL here: SQLite only, said in the results
        return None
    return make_url(server).set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def database_config(kind: str, url: str | None, n: int) -> tuple[dict, bool]:
    """The app config of the seeded database for size n, and whether it must still be seeded."""
    name = f"growth_{n}_{seed_key()}"
    if kind == "sqlite":
        DATA.mkdir(exist_ok=True)
        path = DATA / f"{name}.db"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}, not path.exists()
    engine = create_engine(url)
    with engine.begin() as connection:
        fresh = not connection.scalar(text("SELECT 1 FROM pg_namespace WHERE nspname = :name"), {"name": name})
        if fresh:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={name}"}},
    }, fresh


def seeded_app(kind: str, url: str | None, n: int):
    from app.demo.bulk import seed_published

    config, fresh = database_config(kind, url, n)
    # The log's checkpoints are signed with a key of the benchmark's own, kept beside its data.
    log_key = DATA / "log-signing-key.pem"
    DATA.mkdir(exist_ok=True)
    translog.write_key(log_key)
    # The page cache would hide what growth costs; this benchmark measures the queries and rendering.
    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "bench-" + "x" * 40,
            "PUBLIC_PAGE_CACHE": False,
            "LOG_SIGNING_KEY_FILE": str(log_key),
            **config,
        }
    )
    with app.app_context():
        if fresh:
            print(
                f"  seeding {n:,} on {kind} (kept in {'bench/.data' if kind == 'sqlite' else BENCH_DATABASE})",
                flush=True,
            )
            try:
                db.create_all()
                with quiet():
                    seed_published(n, get_content())
                db.session.commit()
            except BaseException:
                db.session.rollback()
                if kind == "sqlite":
                    Path(config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).unlink(missing_ok=True)
                raise
        translog.ensure_checkpoint()  # data seeded before the benchmark had a key has none
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return app


def targets(app, rng: random.Random) -> dict:
    """Every public route a reader, a crawler or a journalist reaches, as URL factories."""
    from app.public.models import Publication
    from app.signoff.models import SignedRecord

    with app.app_context():
        ids = list(db.session.scalars(select(Publication.public_id)))
        codes = list(db.session.scalars(select(SignedRecord.verification_code).limit(500)))
        slug, category = db.session.execute(
            select(Publication.organisation_slug, Publication.technology_category).limit(1)
        ).one()
        listed = db.session.scalar(select(func.count(Publication.id)).where(Publication.withdrawn_at.is_(None)))
        logged = translog.size()
    last = max(1, math.ceil(listed / 20))
    return {
        "front": lambda: "/",
        "list": lambda: "/vurderinger",
        "last_page": lambda: f"/vurderinger?side={last}",
        "filtered": lambda: f"/vurderinger?kommune={slug}&teknologi={category}",
        "search_common": lambda: f"/vurderinger?q={COMMON_WORD}",
        "search_rare": lambda: f"/vurderinger?q={RARE_WORD}",
        "search_prefix": lambda: f"/vurderinger?q={PREFIX}",
        "detail": lambda: f"/vurderinger/{rng.choice(ids)}",
        "pdf": lambda: f"/vurderinger/{rng.choice(ids)}.pdf",
        "technology": lambda: f"/teknologier/{category}",
        "verify": lambda: f"/verificer?kode={rng.choice(codes)}",
        "api_list": lambda: "/api/v1/vurderinger",
        "api_item": lambda: f"/api/v1/vurderinger/{rng.choice(ids)}",
        "atom": lambda: "/feed.atom",
        "sitemap": lambda: "/sitemap.xml",
        "sitemap_file": lambda: "/sitemap-1.xml",
        "csv": lambda: "/vurderinger.csv",
        "record_json": lambda: f"/vurderinger/{rng.choice(ids)}.json",
        "log_proof": lambda: f"/vurderinger/{rng.choice(ids)}/logbevis.json",
        "log_checkpoint": lambda: "/api/v1/log/checkpoint",
        "log_inclusion": lambda: f"/api/v1/log/proof/inclusion?tree_size={logged}&index={rng.randrange(logged)}",
        "log_entries": lambda: entries_page(rng.randrange(logged - ENTRIES_PAGE)),
        "ask_form": lambda: f"/vurderinger/{rng.choice(ids)}/spoerg",
        "technologies": lambda: "/teknologier",
    }


def entries_page(start: int) -> str:
    """A page of log entries of the same length at every size (a page from near the end of a
    small log is shorter, and its size is not what grows)."""
    return f"/api/v1/log/entries?start={start}&end={start + ENTRIES_PAGE - 1}"


def timed(client, url: str, streamed: bool) -> float:
    start = time.perf_counter()
    if streamed:
        response = client.get(url, buffered=False)
        next(iter(response.response))  # the first chunk
        elapsed = time.perf_counter() - start
        response.close()
    else:
        response = client.get(url)
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def interleaved(apps: dict, requests: int, rng: random.Random) -> dict:
    """Latencies per size and route, asked round after round across all sizes."""
    urls = {n: targets(app, rng) for n, app in apps.items()}
    clients = {n: app.test_client() for n, app in apps.items()}
    routes = list(next(iter(urls.values())))
    samples = {n: {route: [] for route in routes} for n in apps}
    rounds, per_round = max(1, requests // 5), 5
    for round_number in range(rounds + 1):  # the first round warms caches and pools, unrecorded
        for route in routes:
            for n in apps:
                for _ in range(per_round):
                    elapsed = timed(clients[n], urls[n][route](), route in STREAMED)
                    if round_number:
                        samples[n][route].append(elapsed)
    return {
        n: {
            route: {"p50_ms": round(statistics.median(values) * 1000, 2), "p95_ms": round(p95(values) * 1000, 2)}
            for route, values in per_route.items()
        }
        for n, per_route in samples.items()
    }


def query_plans(app) -> dict:
    """The plans of the list, last page, search and filtered queries, as the database runs them."""
    from app.public import services

    cases = {
        "list": (services.Filters(), 1),
        "last_page": (services.Filters(), 10**9),
        "search_common": (services.Filters(q=COMMON_WORD), 1),
        "search_rare": (services.Filters(q=RARE_WORD), 1),
        "search_prefix": (services.Filters(q=PREFIX), 1),
        "filtered": (services.Filters(kommune="benchmark-kommune-01", teknologi="sensorer"), 1),
    }
    plans = {}
    with app.app_context():
        statements = []

        def remember(connection, cursor, statement, parameters, context, executemany):
            if "FROM publication" in statement and "max(" not in statement and not statement.startswith("EXPLAIN"):
                statements.append((statement, parameters))

        from sqlalchemy import event

        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            sqlite = db.engine.dialect.name == "sqlite"
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, COSTS OFF) "
            for name, (filters, page) in cases.items():
                statements.clear()
                services.search(filters, page, services.PER_PAGE, count_limit=services.COUNT_LIMIT)
                plans[name] = []
                for statement, parameters in list(statements):
                    rows = db.session.connection().exec_driver_sql(prefix + statement, parameters).all()
                    plans[name].append(" | ".join(str(row[-1]) for row in rows))
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
    return plans


def run(runs: int = 10, large: bool = False) -> dict:
    requests = max(20, runs * 4)
    sizes = (*SIZES, LARGE) if large or os.environ.get("BENCH_LARGE") == "1" else SIZES
    rng = random.Random(7)
    kinds = [("sqlite", None)]
    url = postgres_url()
    if url:
        kinds.append(("postgresql", url))
    results, lines, missed, met = {}, [], [], True
    for kind, database_url in kinds:
        apps = {n: seeded_app(kind, database_url, n) for n in sizes}
        per_size = interleaved(apps, requests, rng)
        plans = query_plans(apps[sizes[-1]])
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
        pairs = list(zip(sizes, sizes[1:], strict=False))
        ratios = {
            f"{big:,}/{small:,}": {
                route: round(per_size[big][route]["p95_ms"] / per_size[small][route]["p95_ms"], 2)
                for route in per_size[small]
            }
            for small, big in pairs
        }
        over = {
            f"{pair} {route}": ratio
            for pair, by_route in ratios.items()
            for route, ratio in by_route.items()
            if ratio > TARGET
        }
        met = met and not over
        missed += [f"{kind} {name} {ratio}×" for name, ratio in over.items()]
        results[kind] = {"latency": {str(n): v for n, v in per_size.items()}, "p95_ratio": ratios, "plans": plans}
        for pair, by_route in ratios.items():
            table = ", ".join(
                f"{route} {ratio}×{' (MISSED)' if f'{pair} {route}' in over else ''}"
                for route, ratio in by_route.items()
            )
            lines.append(f"{kind} {pair}: {table}")
            print(f"  {kind} p95 {pair}: {table}", flush=True)
    where = f"PostgreSQL database {BENCH_DATABASE}" if url else "PostgreSQL not reachable: not measured"
    return {
        "name": "growth",
        "requests_per_route_and_size": requests,
        "sizes": list(sizes),
        "target_ratio": TARGET,
        "postgresql_database": BENCH_DATABASE if url else None,
        "databases": results,
        "met": met,
        "missed": missed,
        "summary": (
            f"Growth, p95 of each size against the next smaller, sizes interleaved ({where}; target ≤ 2× "
            f"per route and pair{'; MISSED: ' + ', '.join(missed) if missed else ''}): " + "; ".join(lines)
        ),
    }
