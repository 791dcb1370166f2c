"""gunicorn settings shared by `make run` and production; override with GUNICORN_* env or flags."""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# Recycle workers now and then so that a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Whose X-Forwarded-Proto gunicorn believes: nobody's unless TRUST_PROXY_HEADERS says there is a
# proxy in front (then the local one, as ProxyFix in the app trusts exactly that many hops).
forwarded_allow_ips = "127.0.0.1,::1" if int(os.environ.get("TRUST_PROXY_HEADERS", "0") or 0) > 0 else ""
