"""Memory: peak RSS of `flask export`, `flask import` and a /vurderinger.csv download, at two sizes.

Each operation runs in a fresh Python process on the growth benchmark's seeded databases (100 and
10,000 published assessments, 100,000 with --large; SQLite, and PostgreSQL when it answers), and
reports its peak resident set (VmHWM; the RSS with the app loaded and nothing done is shown
beside it). Streaming keeps that flat: the target is that the peak grows by at most FLAT_MB from
the smallest to the largest size, while the export file grows by hundreds of MB
(every seeded record carries its PDF). The import goes into an empty database of the same kind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import growth

FLAT_MB = 32
OPERATIONS = ("export", "import", "csv")
ROOT = Path(__file__).resolve().parent.parent


def _status_mb(field: str) -> float:
    """VmRSS (the resident set now) or VmHWM (its peak) of this process. Not ru_maxrss: that keeps
    the peak of the parent that forked this process, so every child would report the parent's."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"{field} not in /proc/self/status")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def child(operation: str, config: dict, path: str) -> dict:
    """Run one operation in this (fresh) process and report what it cost."""
    from app import create_app
    from app.backup import services as backup
    from app.extensions import db
    from app.public.models import Publication

    app = create_app({"TESTING": False, "SECRET_KEY": "bench-" + "x" * 40, "PUBLIC_PAGE_CACHE": False, **config})
    result: dict = {}
    with app.app_context():
        if operation == "import":
            db.create_all()
        else:
            db.session.scalar(db.select(db.func.count(Publication.id)))  # connected, mappers configured
        db.session.rollback()
        idle = _rss_mb()
        start = time.perf_counter()
        if operation == "export":
            with open(path, "w", encoding="utf-8") as stream:
                counts = backup.export_all(stream, with_password_hashes=True)
            result["rows"] = sum(counts.values())
            result["file_mb"] = round(os.path.getsize(path) / 2**20, 1)
        elif operation == "import":
            with open(path, "rb") as stream:
                result["rows"] = sum(backup.import_all(stream).values())
            db.session.commit()
        elif operation == "csv":
            response = app.test_client().get("/vurderinger.csv", buffered=False)
            chunks = iter(response.response)
            size = len(next(chunks))
            result["first_chunk_ms"] = round((time.perf_counter() - start) * 1000, 1)
            size += sum(len(chunk) for chunk in chunks)
            response.close()
            result["csv_mb"] = round(size / 2**20, 1)
        result["seconds"] = round(time.perf_counter() - start, 2)
        db.engine.dispose()
    result["idle_mb"] = round(idle, 1)
    result["peak_mb"] = round(_peak_mb(), 1)
    return result


def _run_child(operation: str, config: dict, path: str) -> dict:
    completed = subprocess.run(  # noqa: S603 - this interpreter, this module, our own arguments
        [sys.executable, "-m", "bench.memory", operation, json.dumps(config), path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"memory {operation} failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _empty_database(kind: str, url: str | None, directory: str) -> tuple[dict, callable]:
    """An empty database to import into, and how to drop it."""
    if kind == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(directory) / 'import.db'}"}, lambda: None
    schema = f"memory_import_{uuid.uuid4().hex[:10]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}},
    }, drop


def measure(kind: str, url: str | None, n: int) -> dict:
    app = growth.seeded_app(kind, url, n)  # seeded once, kept for the next run
    with app.app_context():
        from app.extensions import db

        db.create_all()  # a table the models gained since the seeding: exported empty
        db.session.commit()
        db.engine.dispose()
    # The seeded database's settings as the app has them (not asked again: the seed key may move).
    source = {
        key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS") if key in app.config
    }
    with tempfile.TemporaryDirectory() as directory:
        path = str(Path(directory) / "export.json")
        results = {"export": _run_child("export", source, path)}
        target, drop = _empty_database(kind, url, directory)
        try:
            results["import"] = _run_child("import", target, path)
        finally:
            drop()
        results["csv"] = _run_child("csv", source, path)
    return results


def run(runs: int = 10, large: bool = False) -> dict:
    sizes = (*growth.SIZES, growth.LARGE) if large or os.environ.get("BENCH_LARGE") == "1" else growth.SIZES
    kinds = [("sqlite", None)]
    url = growth.postgres_url()
    if url:
        kinds.append(("postgresql", url))
    results, lines, missed = {}, [], []
    for kind, database_url in kinds:
        per_size = {}
        for n in sizes:
            print(f"  memory: {kind} at {n:,}", flush=True)
            per_size[n] = measure(kind, database_url, n)
        small, big = per_size[sizes[0]], per_size[sizes[-1]]
        growth_mb = {op: round(big[op]["peak_mb"] - small[op]["peak_mb"], 1) for op in OPERATIONS}
        over = [op for op, grown in growth_mb.items() if grown > FLAT_MB]
        missed += [f"{kind} {op} +{growth_mb[op]} MB" for op in over]
        results[kind] = {
            "per_size": {str(n): v for n, v in per_size.items()},
            "peak_growth_mb": growth_mb,
        }
        described = ", ".join(
            f"{op} {small[op]['peak_mb']}→{big[op]['peak_mb']} MB{' (MISSED)' if op in over else ''}"
            for op in OPERATIONS
        )
        lines.append(
            f"{kind}: {described} (export file {small['export']['file_mb']}→{big['export']['file_mb']} MB, "
            f"CSV first chunk {big['csv']['first_chunk_ms']} ms at {sizes[-1]:,})"
        )
        print(f"  {lines[-1]}", flush=True)
    return {
        "name": "memory",
        "sizes": list(sizes),
        "flat_target_mb": FLAT_MB,
        "databases": results,
        "met": not missed,
        "missed": missed,
        "summary": (
            f"Memory, a process's peak RSS at {sizes[0]:,} → {sizes[-1]:,} published (target: grows ≤ "
            f"{FLAT_MB} MB{'; MISSED: ' + ', '.join(missed) if missed else ''}): " + "; ".join(lines)
        ),
    }


if __name__ == "__main__":
    operation, config, path = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    print(json.dumps(child(operation, config, path)))
