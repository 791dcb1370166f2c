"""gunicorn settings shared by `make run` and production; override with GUNICORN_* env or flags."""

import gc
import multiprocessing
import os
import sys

from app.config import ConfigError, int_setting, trusted_proxies


def _setting(parse, *args, **kwargs):
    """A setting parsed as create_app parses its own (app/config.py); a bad one stops gunicorn with
    its message instead of the traceback gunicorn prints for any error in this file."""
    try:
        return parse(*args, **kwargs)
    except ConfigError as error:
        sys.exit(f"Error: {error}")


workers = _setting(int_setting, "WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2), minimum=1, maximum=64)
threads = _setting(int_setting, "GUNICORN_THREADS", 2, minimum=1, maximum=64)
timeout = 60
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# The app is built once in the master and forked, so a worker's boot is a fork, not an import
# and a content load (0.8 s of CPU each, with an empty page cache, when workers built their own).
preload_app = True
# Recycle workers rarely, as a safety net against a slow leak (memory is flat in `make bench`),
# with a wide jitter so that workers never restart together.
max_requests = _setting(int_setting, "GUNICORN_MAX_REQUESTS", 100_000, maximum=10**9)
max_requests_jitter = max_requests // 4


def pre_fork(server, worker):
    """The preloaded app's objects live as long as the master. Frozen, they are left out of the
    workers' garbage collections, which would otherwise write to (and so copy) every page that
    holds one (the Python docs' advice for fork without exec)."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """Database connections opened in the master while loading stay with the master: each
    worker opens its own (SQLAlchemy's advice for forking: drop the pool without closing)."""
    app = server.app.wsgi()
    from app.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)


# Whose X-Forwarded-Proto gunicorn believes: nobody's unless TRUST_PROXY_HEADERS says there is a
# proxy in front (then the local one, as ProxyFix in the app trusts exactly that many hops).
forwarded_allow_ips = "127.0.0.1,::1" if _setting(trusted_proxies) > 0 else ""


def on_starting(server):
    """Production refuses to start when a municipality that can sign has no usable PDF signing
    certificate, or has a demo one (app/signing/checks.py); the master exits with the reason.
    Then, before the workers fork: the metrics directory, and /readyz's migration head."""
    from app.core import readiness
    from app.signing.checks import check_on_start

    check_on_start(server.app.wsgi())
    _prepare_metrics_dir()
    readiness.warm(server.app.wsgi())


# /metrics under gunicorn (METRICS_ENABLED): prometheus-client's multiprocess mode, where each
# worker writes its numbers to files in PROMETHEUS_MULTIPROC_DIR and a scrape adds them up. The
# master prepares the directory before it forks (the workers build their metrics at first use):
# emptied, as numbers of an earlier run would be added in; unset, a fresh one, removed on exit.
_metrics_dir = {"path": "", "own": False}


def _prepare_metrics_dir() -> None:
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    if not path:
        import tempfile

        path = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="etikdialog-metrics-")
        _metrics_dir["own"] = True
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))
    _metrics_dir["path"] = path


def child_exit(server, worker):
    """A worker that exited (recycled after GUNICORN_MAX_REQUESTS, or killed): its live gauges are
    dropped; its counters and histograms stay in the sum, as Prometheus expects of a counter."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, _metrics_dir["path"])


def on_exit(server):
    if _metrics_dir["own"]:
        import shutil

        shutil.rmtree(_metrics_dir["path"], ignore_errors=True)
