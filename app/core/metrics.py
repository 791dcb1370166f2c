"""/metrics: Prometheus text format, off unless METRICS_ENABLED, and then only for METRICS_ALLOW.

What is measured: every request by endpoint name, method and status class (bounded labels, never
the path), its latency by endpoint and method, the final PDF's render and signing time, database
writes that failed (app/core/health.py), and the transparency log's size, read at scrape time.

Under gunicorn the workers share their numbers through prometheus-client's multiprocess mode:
PROMETHEUS_MULTIPROC_DIR names a directory gunicorn.conf.py empties on start and in which it marks
exited workers dead. Without it (one process, `flask run`) the numbers are the process's own.

Nothing registers on import: create_app calls init_app, and the metrics are built (and
prometheus_client imported) once per process, at their first use in a process whose app enabled them. `flask`
commands (`flask run` too) never measure: /metrics is gunicorn's.
"""

from __future__ import annotations

import ipaddress
import os
import threading
import time
from contextlib import contextmanager
from typing import Any

from flask import Flask, abort, current_app, g, request

from app.config import ConfigError

EXTENSION = "etikdialog.metrics"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds: from a cached page (about a millisecond) to a signed PDF near PDF_RENDER_SECONDS.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
PDF_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60)


class Metrics:
    """The process's metric objects (one set per process: multiprocess files are per pid and name)."""

    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
        # Multiprocess: the values live in files and each scrape collects them; else in this registry.
        self.registry = None if self.multiprocess_dir else CollectorRegistry(auto_describe=True)
        options: dict[str, Any] = {"registry": self.registry, "namespace": "etikdialog"}
        self.requests = Counter(
            "http_requests",
            "HTTP requests by endpoint, method and status class.",
            ["endpoint", "method", "status"],
            **options,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time from the request's arrival at the app to its response, by endpoint and method.",
            ["endpoint", "method"],
            buckets=REQUEST_BUCKETS,
            **options,
        )
        self.pdf_render = Histogram(
            "pdf_render_seconds", "Rendering a final (signed) PDF.", buckets=PDF_BUCKETS, **options
        )
        self.pdf_signing = Histogram(
            "pdf_signing_seconds", "Signing a final PDF (PAdES, with any timestamp).", buckets=PDF_BUCKETS, **options
        )
        self.failed_writes = Counter(
            "database_write_failures", "Database writes or commits that failed for a database reason.", **options
        )

    def scrape(self) -> bytes:
        from prometheus_client import CollectorRegistry, generate_latest

        registry = CollectorRegistry()
        if self.multiprocess_dir:
            from prometheus_client import multiprocess

            multiprocess.MultiProcessCollector(registry, path=self.multiprocess_dir)
        else:
            registry.register(_Forward(self.registry))
        registry.register(_LogSize())
        return generate_latest(registry)


class _Forward:
    """The process's own registry inside a scrape's registry."""

    def __init__(self, registry):
        self._registry = registry

    def collect(self):
        return self._registry.collect()


class _LogSize:
    """The transparency log's size at scrape time: one indexed max() (app.translog.services.size,
    wired under "metrics.log_size" in app/wiring.py)."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        from app.core.wiring import provided
        from app.extensions import db

        try:
            size = provided("metrics.log_size")()
        except Exception:  # noqa: BLE001 - a scrape without the database still reports the rest
            db.session.rollback()
            current_app.logger.warning("metrics: the log size could not be read", exc_info=True)
            return
        yield GaugeMetricFamily("etikdialog_transparency_log_entries", "Entries in the transparency log.", value=size)


# One set per process, made at its first use: under gunicorn that is in a worker, after the fork and
# after gunicorn.conf.py has prepared PROMETHEUS_MULTIPROC_DIR, which prometheus_client reads when
# it is imported.
_process_metrics: Metrics | None = None
_process_lock = threading.Lock()
_wanted = False  # an app in this process enabled metrics


def _metrics() -> Metrics:
    global _process_metrics
    with _process_lock:
        if _process_metrics is None:
            _process_metrics = Metrics()
        return _process_metrics


def allowed_networks(value: str) -> tuple:
    """METRICS_ALLOW: addresses or networks (CIDR), separated by commas or spaces."""
    networks = []
    for part in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(
                f"METRICS_ALLOW must list addresses or networks such as 127.0.0.1/32, 10.0.0.0/8, not {part!r}."
            ) from None
    return tuple(networks)


def init_app(app: Flask) -> None:
    allow = allowed_networks(app.config.get("METRICS_ALLOW") or "")  # a bad list stops start-up even while off
    # Only the server measures: a `flask` command reads the same environment file, and its numbers
    # (in a PROMETHEUS_MULTIPROC_DIR that exists only while the service runs) are nobody's.
    if not app.config.get("METRICS_ENABLED") or os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        return
    global _wanted
    _wanted = True
    app.extensions[EXTENSION] = {"allow": allow}
    app.before_request(_started)
    app.after_request(_count)


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _count(response):
    started = g.pop("metrics_started", None)
    if started is not None:
        metrics = _metrics()
        endpoint = request.endpoint or "none"  # no route matched: one label for every unknown path
        method = request.method if request.method in METHODS else "other"
        metrics.requests.labels(endpoint, method, f"{response.status_code // 100}xx").inc()
        metrics.latency.labels(endpoint, method).observe(time.perf_counter() - started)
    return response


def _address_allowed(allow) -> bool:
    """Both the connecting peer and, behind a trusted proxy, the client it names must be allowed:
    a forwarded header alone never opens /metrics."""
    before_proxy_fix = request.environ.get("werkzeug.proxy_fix.orig") or request.environ
    peer = before_proxy_fix.get("REMOTE_ADDR")
    addresses = {peer, request.remote_addr}
    try:
        parsed = [ipaddress.ip_address((address or "").split("%")[0]) for address in addresses]
    except ValueError:
        return False
    parsed = [getattr(address, "ipv4_mapped", None) or address for address in parsed]  # ::ffff:127.0.0.1
    return all(any(address in network for network in allow) for address in parsed)


def scrape_or_404() -> bytes:
    """The exposition for an allowed address; 404 for everyone else and whenever metrics are off."""
    state = current_app.extensions.get(EXTENSION)
    if state is None or not _address_allowed(state["allow"]):
        abort(404)
    return _metrics().scrape()


@contextmanager
def timed(name: str):
    """Observe the block's duration in the histogram ``name`` ("pdf_render", "pdf_signing") when
    this process has metrics; otherwise only run the block."""
    started = time.perf_counter()
    try:
        yield
    finally:
        if _wanted:
            getattr(_metrics(), name).observe(time.perf_counter() - started)


def failed_write() -> None:
    if _wanted:
        _metrics().failed_writes.inc()
