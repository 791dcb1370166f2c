"""Throughput and memory of the real server: gunicorn with the production settings on loopback.

Throughput: `wrk` (Debian) for a fixed time per route, all in one run, so the ratios to
/healthz hold on a noisy machine. Targets: a detail page at least 50% and the list at least
30% of /healthz. Memory: resident memory of each worker after 10,000 mixed requests (at most
150 MB) and its growth over a second 10,000 (none beyond noise; 10% allowed), one worker
without recycling so all of them land on it.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select

from app import create_app
from app.content.loader import get_content
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent
SEEDED = 1000
DETAIL_TARGET, LIST_TARGET = 0.5, 0.3
RSS_LIMIT_MB, GROWTH_ALLOWED = 150, 0.10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(database_url: str) -> list[str]:
    from app.demo.bulk import seed_published
    from app.public.models import Publication

    app = create_app({"SECRET_KEY": "bench-" + "x" * 40, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        seed_published(SEEDED, get_content())
        db.session.commit()
        ids = list(db.session.scalars(select(Publication.public_id)))
        db.engine.dispose()
    return ids


@contextmanager
def gunicorn(database_url: str, *, workers: int, max_requests: int = 5000):
    port = free_port()
    env = {**os.environ, "ETIKDIALOG_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "DATABASE_URL": database_url, "WEB_CONCURRENCY": str(workers),
           "GUNICORN_MAX_REQUESTS": str(max_requests), "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py", "--bind",
         f"127.0.0.1:{port}", "app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wrk(url: str, seconds: int) -> float:
    output = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", url], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def hammer(port: int, paths: list[str], count: int, threads: int = 8) -> int:
    """Send `count` requests spread over `threads` keep-alive connections; returns failures."""
    failures = [0]
    lock = threading.Lock()

    def run(share: int, seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(share):
            connection.request("GET", rng.choice(paths))
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                with lock:
                    failures[0] += 1

    workers = [threading.Thread(target=run, args=(count // threads, n)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures[0]


def run(runs: int = 10) -> dict:
    if not shutil.which("wrk"):
        return {"name": "server", "met": False, "summary": "wrk is not installed (apt-get install wrk): not measured."}
    seconds = int(os.environ.get("BENCH_SECONDS", "20"))
    directory = tempfile.TemporaryDirectory()
    database_url = f"sqlite:///{Path(directory.name) / 'server.db'}"
    ids = seed(database_url)
    detail = f"/vurderinger/{ids[len(ids) // 2]}"
    routes = {"healthz": "/healthz", "detail": detail, "list": "/vurderinger", "search": "/vurderinger?q=robots%C3%A6l"}
    throughput = {}
    with gunicorn(database_url, workers=int(os.environ.get("WEB_CONCURRENCY", "2"))) as (port, _process):
        for name, path in routes.items():
            wrk(f"http://127.0.0.1:{port}{path}", 2)  # warm every worker
            throughput[name] = wrk(f"http://127.0.0.1:{port}{path}", seconds)
    ratios = {name: round(throughput[name] / throughput["healthz"], 2) for name in ("detail", "list", "search")}

    mix = [f"/vurderinger/{i}" for i in ids] + [f"/vurderinger?side={n}" for n in range(1, 40)]
    mix += [f"/vurderinger?q={quote(w)}" for w in ("robotsæl", "gps", "loftlift", "sensorer", "skærmbesøg")]
    mix += ["/api/v1/vurderinger", "/", "/healthz"] + [f"/vurderinger/{i}.pdf" for i in ids[:50]]
    # One worker without recycling, so every request lands on the process being measured.
    with gunicorn(database_url, workers=1, max_requests=0) as (port, process):
        failures = hammer(port, mix, 10_000)
        after_first = worker_rss_mb(process.pid)
        failures += hammer(port, mix, 10_000)
        after_second = worker_rss_mb(process.pid)
    directory.cleanup()
    growth = max((b - a) / a for a, b in zip(after_first, after_second, strict=True))
    memory_met = max(after_first + after_second) <= RSS_LIMIT_MB and growth <= GROWTH_ALLOWED and not failures
    throughput_met = ratios["detail"] >= DETAIL_TARGET and ratios["list"] >= LIST_TARGET
    return {
        "name": "server", "seconds_per_route": seconds, "published": SEEDED,
        "requests_per_second": {k: round(v) for k, v in throughput.items()}, "ratio_to_healthz": ratios,
        "rss_mb_after_10k": [round(v, 1) for v in after_first], "rss_mb_after_20k": [round(v, 1) for v in after_second],
        "rss_growth": round(growth, 3), "failed_requests": failures, "met": throughput_met and memory_met,
        "summary": (f"Throughput (wrk, {seconds}s a route, gunicorn production settings, SQLite, {SEEDED} published): "
                    f"{ {k: round(v) for k, v in throughput.items()} } req/s; detail {ratios['detail']:.0%} and list "
                    f"{ratios['list']:.0%} of /healthz (targets 50% and 30%), search {ratios['search']:.0%}. "
                    f"Memory per worker after 10,000 requests {max(after_first):.0f} MB (limit {RSS_LIMIT_MB}), "
                    f"after 20,000 {max(after_second):.0f} MB (growth {growth:+.1%}), {failures} failed requests."),
    }  # fmt: skip
