"""Growth: server latency of the public routes at N=100 and N=10,000 published assessments.

For each database (SQLite always; PostgreSQL when BENCH_POSTGRES_URL or TEST_DATABASE_URL is
set, or the local one answers) and each N, a fresh database is seeded with `seed_published`,
analysed, warmed, and each route is requested many times in process through the WSGI app.
The target is p95(10,000) ≤ 2 × p95(100) for every route. The query plans at 10,000 are kept.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, select, text

from app import create_app
from app.content.loader import get_content
from app.extensions import db

SIZES = (100, 10_000)
TARGET = 2.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ROUTES = ("list", "search", "filtered", "detail", "api_list", "pdf")


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return url
    except Exception:  # no PostgreSQL here: SQLite only, said in the results
        return None


class Database:
    """A throw-away database: a SQLite file, or a PostgreSQL schema dropped afterwards."""

    def __init__(self, kind: str, url: str | None = None):
        self.kind, self.url = kind, url
        self.directory = tempfile.TemporaryDirectory()
        self.schema = f"bench_{uuid.uuid4().hex[:10]}"

    def config(self) -> dict:
        if self.kind == "sqlite":
            return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(self.directory.name) / 'bench.db'}"}
        engine = create_engine(self.url)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        engine.dispose()
        return {"SQLALCHEMY_DATABASE_URI": self.url, "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={self.schema}"}}}  # fmt: skip

    def drop(self) -> None:
        if self.kind == "postgresql":
            engine = create_engine(self.url)
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            engine.dispose()
        self.directory.cleanup()


def seeded_app(database: Database, n: int):
    from app.demo.bulk import seed_published

    # The page cache would hide what growth costs; this benchmark measures the queries and rendering.
    app = create_app({"TESTING": False, "SECRET_KEY": "bench-" + "x" * 40, "PUBLIC_PAGE_CACHE": False,
                      **database.config()})
    with app.app_context():
        db.create_all()
        seed_published(n, get_content())
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return app


def targets(app, rng: random.Random) -> dict:
    from app.public.models import Publication

    with app.app_context():
        ids = list(db.session.scalars(select(Publication.public_id)))
        slug = db.session.scalar(select(Publication.organisation_slug).limit(1))
    return {
        "list": lambda: "/vurderinger",
        "search": lambda: "/vurderinger?q=" + rng.choice(["robotsæl", "gps", "loftlift", "skærmbesøg"]),
        "filtered": lambda: f"/vurderinger?kommune={slug}&beslutning=anbefales",
        "detail": lambda: f"/vurderinger/{rng.choice(ids)}",
        "api_list": lambda: "/api/v1/vurderinger",
        "pdf": lambda: f"/vurderinger/{rng.choice(ids)}.pdf",
    }


def latencies(app, urls: dict, requests: int) -> dict:
    client = app.test_client()
    result = {}
    for name in ROUTES:
        for _ in range(5):  # warm caches and pools
            client.get(urls[name]())
        samples = []
        for _ in range(requests):
            url = urls[name]()
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        cuts = statistics.quantiles(samples, n=20)
        result[name] = {"p50_ms": round(statistics.median(samples) * 1000, 2), "p95_ms": round(cuts[18] * 1000, 2)}
    return result


def query_plans(app) -> dict:
    """The plans of the list, search and filtered queries, as the database will run them."""
    from app.public import services

    filters = {
        "list": services.Filters(),
        "search": services.Filters(q="robotsæl"),
        "filtered": services.Filters(kommune="benchmark-kommune-01", beslutning="anbefales"),
    }
    plans = {}
    with app.app_context():
        dialect = db.engine.dialect
        for name, filter_ in filters.items():
            query = (services.filtered(filter_).order_by(services.Publication.published_at.desc(),
                                                           services.Publication.id.desc()).limit(20))  # fmt: skip
            compiled = query.compile(dialect=dialect)
            params = (tuple(compiled.params[k] for k in compiled.positiontup) if compiled.positional
                      else compiled.params)  # fmt: skip
            prefix = "EXPLAIN QUERY PLAN " if dialect.name == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
            rows = db.session.connection().exec_driver_sql(prefix + str(compiled), params).all()
            plans[name] = [" | ".join(str(v) for v in row) for row in rows]
    return plans


def run(runs: int = 10) -> dict:
    requests = max(40, runs * 6)
    rng = random.Random(7)
    kinds = [("sqlite", None)]
    url = postgres_url()
    if url:
        kinds.append(("postgresql", url))
    results: dict = {}
    lines, met = [], True
    for kind, database_url in kinds:
        per_size, plans = {}, {}
        for n in SIZES:
            database = Database(kind, database_url)
            try:
                app = seeded_app(database, n)
                per_size[n] = latencies(app, targets(app, rng), requests)
                if n == SIZES[-1]:
                    plans = query_plans(app)
                with app.app_context():
                    db.engine.dispose()
            finally:
                database.drop()
        ratios = {r: round(per_size[SIZES[-1]][r]["p95_ms"] / per_size[SIZES[0]][r]["p95_ms"], 2) for r in ROUTES}
        kind_met = all(ratio <= TARGET for ratio in ratios.values())
        met = met and kind_met
        results[kind] = {"latency": {str(n): v for n, v in per_size.items()}, "p95_ratio": ratios, "plans": plans}
        worst = max(ratios, key=ratios.get)
        lines.append(f"{kind}: p95 ratio 10k/100 per route {ratios} (worst {worst} {ratios[worst]}×)")
    return {
        "name": "growth", "requests_per_route": requests, "sizes": list(SIZES), "target_ratio": TARGET,
        "databases": results, "met": met,
        "summary": "Growth, p95 at 10,000 vs 100 (target ≤ 2×): " + "; ".join(lines)
                   + ("" if url else " (PostgreSQL not reachable: not measured)"),
    }  # fmt: skip
