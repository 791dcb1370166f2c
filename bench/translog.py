"""The transparency log: an append (entry, subtrees, signed checkpoint, commit) and an inclusion
proof at 10,000 entries, and the proof at 100,000 (the target: under 5 ms).

The log is seeded in bulk (`append_many`: the same subtrees an append writes, one signed
checkpoint a batch): signing 100,000 checkpoints one by one would measure the seed, not the log. Appends and proofs then go through the app's services, and the proof also through the
public endpoint (Flask test client, in process). SQLite in a temporary file; PostgreSQL too when
reachable (bench.growth.postgres_url).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from bench.growth import postgres_url

SIZES = (10_000, 100_000)
TARGET_PROOF_MS = 5.0


def _entry(number: int) -> dict:
    return {
        "type": "published" if number % 2 else "signed",
        "public_id": f"bench{number:017d}",
        "version": 1,
        "json_sha256": f"{number:064x}",
        "pdf_sha256": f"{number * 7:064x}",
        "municipality": "benchmark-kommune",
        "time": "2026-12-01T04:00:00Z",
    }


def _seed(start: int, end: int) -> None:
    """Append entries start..end-1 in bulk (services.append_many: one checkpoint at the end)."""
    from app.translog import services

    for first in range(start, end, 10_000):
        services.append_many([_entry(number) for number in range(first, min(first + 10_000, end))])
        db.session.commit()


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def _measure(app, runs: int) -> dict:
    from etikdialog_verify import merkle

    from app.translog import services

    results = {}
    client = app.test_client()
    with app.app_context():
        db.create_all()
        size = 0
        for target in SIZES:
            _seed(size, target - runs if target == SIZES[0] else target)
            size = services.size()
            appends = []
            if target == SIZES[0]:
                for number in range(runs):  # the last `runs` entries up to 10,000 go through append
                    began = time.perf_counter()
                    services.append(_entry(size + number))
                    db.session.commit()
                    appends.append(time.perf_counter() - began)
                size = services.size()
            root = services.root_hash(size)
            proofs, endpoint = [], []
            rng = random.Random(size)
            for _ in range(max(runs, 50)):
                index = rng.randrange(size)
                began = time.perf_counter()
                path = services.inclusion_proof(index, size)
                proofs.append(time.perf_counter() - began)
                leaf = bytes(db.session.get(services.LogEntry, index).leaf_hash)
                assert merkle.verify_inclusion(index, size, leaf, path, root)
                began = time.perf_counter()
                response = client.get(f"/api/v1/log/proof/inclusion?index={index}&tree_size={size}")
                endpoint.append(time.perf_counter() - began)
                assert response.status_code == 200
            results[str(size)] = {
                "append_ms_median": _median_ms(appends) if appends else None,
                "proof_ms_median": _median_ms(proofs),
                "proof_ms_p95": round(sorted(proofs)[int(len(proofs) * 0.95) - 1] * 1000, 3),
                "proof_endpoint_ms_median": _median_ms(endpoint),
            }
            db.session.remove()
    return results


def _app(url: str, options: dict | None = None):
    return create_app(
        {
            "SECRET_KEY": "bench-" + "x" * 40,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_BASE_URL": "http://bench.etikdialog.test",
            "SQLALCHEMY_DATABASE_URI": url,
            **({"SQLALCHEMY_ENGINE_OPTIONS": options} if options else {}),
            "LOG_SIGNING_KEY_FILE": str(KEY),
        }
    )


KEY = Path(tempfile.gettempdir()) / f"etikdialog-bench-log-{uuid.uuid4().hex[:8]}.pem"


def run(runs: int = 10) -> dict:
    from app.translog import services

    services.write_key(KEY)
    measured = {}
    with tempfile.TemporaryDirectory() as directory:
        app = _app(f"sqlite:///{Path(directory) / 'log.db'}")
        measured["sqlite"] = _measure(app, runs)
        with app.app_context():
            db.engine.dispose()
    url = postgres_url()
    if url is not None:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        app = _app(url, {"connect_args": {"options": f"-csearch_path={schema}"}})
        try:
            measured["postgresql"] = _measure(app, runs)
        finally:
            with app.app_context():
                db.engine.dispose()
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()
    KEY.unlink(missing_ok=True)
    worst = max(m[str(SIZES[-1])]["proof_ms_median"] for m in measured.values())
    parts = []
    for database, figures in measured.items():
        small, large = figures[str(SIZES[0])], figures[str(SIZES[-1])]
        parts.append(
            f"{database}: append at 10,000 {small['append_ms_median']} ms, proof at 10,000 "
            f"{small['proof_ms_median']} ms, at 100,000 {large['proof_ms_median']} ms "
            f"(endpoint {large['proof_endpoint_ms_median']} ms)"
        )
    return {
        "name": "translog",
        "met": worst < TARGET_PROOF_MS,
        "target_proof_ms": TARGET_PROOF_MS,
        "results": measured,
        "summary": "transparency log, medians: " + "; ".join(parts) + f" (target: proof under {TARGET_PROOF_MS} ms)",
    }
