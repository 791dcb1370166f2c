"""In process: what a record page costs against what Jinja itself can do, cold and warm.

Side by side in one process, on the growth benchmark's seeded SQLite database (page cache off,
so every request renders), reading every record in turn as a crawler does:
- `/healthz`, and the same detail page's bytes returned precomputed (the floor of a Flask response);
- the detail page with its signed fragment cold (the store emptied first: the first pass after a
  deploy without `flask cache warm`), from the shared table only (a new worker after `flask cache
  warm`), warm (the second pass), and with fragments off (a full render every time);
- the list, page after page;
- a Jinja anchor: a plain jinja2 template (autoescape, no Flask) that writes as many bytes as the
  detail page with the same number of escaped values and macro calls, built here from the record;
- `/verificer?kode=` on a miss (the findings cache is emptied before every request), and
  `POST /verificer` with an uploaded PDF on a miss: the demo's signed PDFs (PAdES B-LTA, each
  about 200 KB, its largest among them), a different one each request, the cache emptied before
  each (`verify_uploads`; the demo is loaded into a temporary database first, about 30 s).

Each sample is the CPU time of the request's thread (time.thread_time; SQLite runs in that thread),
so a machine shared with other work stretches the figures far less than wall time does: on two
busy cores a 10 ms render took 60 ms of wall time and skewed every ratio against the longer pages.
p50 and p95 come from at least 200 samples each. Targets (issue 33): detail (warm) at most 1.5×
the anchor; cold at most 2× warm; a /verificer miss at most 50 ms. The ratios, measured in one
run, are what to read.
"""

from __future__ import annotations

import io
import json
import logging
import statistics
import tempfile
import time

import jinja2
from sqlalchemy import delete, select

from app.extensions import cache, db
from bench import growth, quiet

SIZE = 1_000
MIN_SAMPLES = 200
ANCHOR_TARGET, COLD_TARGET, VERIFY_MISS_MS = 1.5, 2.0, 50.0

ANCHOR = """{% macro item(label, text, n) -%}
<div class="record-question"><p class="bold mb-2">{{ label }} <span class="badge">{{ n }}</span></p>
<p><span class="sr-label">Svar:</span> <span class="pre-line">{{ text }}</span></p></div>
{%- endmacro %}<!DOCTYPE html><html lang="da"><head><title>{{ title }}</title></head><body><main>
<h1>{{ title }}</h1>{% for entry in entries %}{{ item(entry.label, entry.text, loop.index) }}
{% endfor %}<p>{{ padding }}</p></main></body></html>"""


def anchor_context(record: dict, target_bytes: int, calls: int) -> dict:
    """The record's texts as `calls` macro calls, padded to the page's size: the same bytes, about
    the same escapes and calls, and nothing else (no Flask, no gettext, no url_for)."""
    texts = []
    for key in ("proposal", "questions", "recommendations", "actions", "dissents"):
        for entry in record.get(key) or []:
            if isinstance(entry, dict):
                texts += [str(v) for v in entry.values() if isinstance(v, str) and v]
    texts = texts or [record.get("title", "")]
    entries = [{"label": texts[i % len(texts)][:80], "text": texts[(i + 1) % len(texts)]} for i in range(calls)]
    environment = jinja2.Environment(autoescape=True)
    template = environment.from_string(ANCHOR)
    body = template.render(title=record["title"], entries=entries, padding="")
    padding = "x" * max(0, target_bytes - len(body.encode()))
    return {"template": template, "context": {"title": record["title"], "entries": entries, "padding": padding}}


def stats(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples) * 1000, 3),
        "p95_ms": round(statistics.quantiles(samples, n=20)[18] * 1000, 3),
    }


def timed_get(client, url: str, **kwargs) -> float:
    start = time.thread_time()
    response = client.get(url, **kwargs)
    elapsed = time.thread_time() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def run(runs: int = 10, size: int = SIZE) -> dict:
    from app.public import fragments
    from app.public.models import Publication, RecordFragment
    from app.signoff.models import SignedRecord

    app = growth.seeded_app("sqlite", None, size)
    client = app.test_client()
    with app.app_context():
        ids = list(db.session.scalars(select(Publication.public_id).order_by(Publication.id)))
        codes = list(db.session.scalars(select(SignedRecord.verification_code).order_by(SignedRecord.id)))
        record = json.loads(db.session.scalar(select(SignedRecord.canonical_json).limit(1)))
    precomputed = {}
    app.add_url_rule("/bench-bytes", "bench_bytes", lambda: precomputed["page"])  # the same bytes, precomputed
    page = precomputed["page"] = client.get(f"/vurderinger/{ids[0]}").data
    rounds = max(1, -(-MIN_SAMPLES // len(ids)))  # every record in turn, as often as 200 samples need

    def every_record(**kwargs) -> list[float]:
        return [timed_get(client, f"/vurderinger/{public_id}", **kwargs) for _ in range(rounds) for public_id in ids]

    def empty_store():
        with app.app_context():
            db.session.execute(delete(RecordFragment))
            db.session.commit()
        app.extensions.pop("etikdialog.record_fragments", None)

    samples: dict[str, list[float]] = {}
    app.config["RECORD_FRAGMENTS"] = False
    samples["detail_full_render"] = every_record()
    app.config["RECORD_FRAGMENTS"] = True
    empty_store()
    samples["detail_cold"] = [timed_get(client, f"/vurderinger/{public_id}") for public_id in ids]
    # a new worker after `flask cache warm`: the shared table has every fragment, its own LRU none
    app.extensions.pop("etikdialog.record_fragments", None)
    samples["detail_after_cache_warm"] = [timed_get(client, f"/vurderinger/{public_id}") for public_id in ids]
    samples["detail_warm"] = every_record()
    pages = max(1, len(ids) // 20)
    samples["list"] = [timed_get(client, f"/vurderinger?side={1 + i % pages}") for i in range(max(MIN_SAMPLES, pages))]
    samples["healthz"] = [timed_get(client, "/healthz") for _ in range(max(MIN_SAMPLES, len(ids)))]
    samples["precomputed_bytes"] = [timed_get(client, "/bench-bytes") for _ in range(max(MIN_SAMPLES, len(ids)))]

    calls = page.count(b"<p") + page.count(b"<li") + page.count(b"<tr")  # about one macro call per block
    anchor = anchor_context(record, len(page), calls)
    samples["jinja_anchor"] = []
    for _ in range(max(MIN_SAMPLES, len(ids))):
        start = time.thread_time()
        anchor["template"].render(anchor["context"])
        samples["jinja_anchor"].append(time.thread_time() - start)

    verify = []
    for code in (codes * (1 + MIN_SAMPLES // len(codes)))[:MIN_SAMPLES]:
        with app.app_context():
            cache.clear()  # a miss: the PDF and the record are checked afresh
        verify.append(timed_get(client, f"/verificer?kode={code}"))
    samples["verify_miss"] = verify
    uploads, upload_sizes = verify_uploads()
    samples["verify_upload_miss"] = uploads
    empty_store()
    with app.app_context():
        db.engine.dispose()
    del fragments

    result = {name: stats(values) for name, values in samples.items()}
    p50 = {name: value["p50_ms"] for name, value in result.items()}
    ratios = {
        "detail_warm_over_anchor": round(p50["detail_warm"] / p50["jinja_anchor"], 2),
        "detail_full_over_anchor": round(p50["detail_full_render"] / p50["jinja_anchor"], 2),
        "detail_cold_over_warm": round(p50["detail_cold"] / p50["detail_warm"], 2),
        "detail_after_cache_warm_over_warm": round(p50["detail_after_cache_warm"] / p50["detail_warm"], 2),
        "list_over_anchor": round(p50["list"] / p50["jinja_anchor"], 2),
        "detail_warm_over_healthz": round(p50["detail_warm"] / p50["healthz"], 2),
        "detail_full_over_healthz": round(p50["detail_full_render"] / p50["healthz"], 2),
    }
    verdicts = {
        "detail_within_1.5x_anchor": ratios["detail_warm_over_anchor"] <= ANCHOR_TARGET,
        "list_within_1.5x_anchor": ratios["list_over_anchor"] <= ANCHOR_TARGET,
        "cold_within_2x_warm": ratios["detail_cold_over_warm"] <= COLD_TARGET,
        "verify_miss_within_50ms": p50["verify_miss"] <= VERIFY_MISS_MS,
        "verify_upload_miss_within_50ms": p50["verify_upload_miss"] <= VERIFY_MISS_MS,
    }
    summary = (
        f"In process, {len(ids):,} records read in turn (SQLite, page cache off; p50 ms of CPU): detail warm "
        f"{p50['detail_warm']}, cold {p50['detail_cold']}, after cache warm {p50['detail_after_cache_warm']}, full render {p50['detail_full_render']}, list "
        f"{p50['list']}, /healthz {p50['healthz']}, precomputed bytes {p50['precomputed_bytes']}, Jinja anchor "
        f"{p50['jinja_anchor']} ({len(page):,} bytes, {calls} macro calls), /verificer miss {p50['verify_miss']} by code (the seeded PDF), "
        f"{p50['verify_upload_miss']} (p95 {result['verify_upload_miss']['p95_ms']}) by upload ({len(upload_sizes)} demo "
        f"PDFs of {min(upload_sizes):,}–{max(upload_sizes):,} bytes). "
        + ", ".join(f"{name} {ratio}×" for name, ratio in ratios.items())
        + ". "
        + ", ".join(f"{name}: {'met' if ok else 'NOT MET'}" for name, ok in verdicts.items())
    )
    return {
        "name": "inproc",
        "records": len(ids),
        "page_bytes": len(page),
        "verify_upload_pdf_bytes": upload_sizes,
        "anchor_macro_calls": calls,
        "samples": result,
        "ratios": ratios,
        "targets": verdicts,
        "met": all(verdicts.values()),
        "summary": summary,
    }


UPLOAD_SAMPLES = 40  # a miss costs a PAdES validation (about 0.4 s): 40 keep the run short


def verify_uploads() -> tuple[list[float], list[int]]:
    """POST /verificer with the demo's published PDFs in turn, the findings cache emptied before
    each request, so every one is checked afresh (what the first reader of a PDF, or any reader after
    a day, costs). The demo signs as `make run` does: PAdES B-LTA with the demo CA's in-process
    timestamp service, revocation data from the demo CA only."""
    from app import create_app
    from app.content.loader import get_content
    from app.demo.services import load_demo
    from app.public.models import Publication
    from app.signoff.models import SignedRecord
    from app.translog import services as translog

    logging.getLogger("app").setLevel(logging.WARNING)  # the demo's audit lines are not the benchmark's output
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as directory:
        translog.write_key(f"{directory}/log-signing-key.pem")
        app = create_app(
            {
                "SECRET_KEY": "bench-" + "x" * 40,
                "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False,
                "SIGNING_DEMO_TSA": True,
                "SIGNING_REVOCATION_FETCH": False,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/demo.db",
                "LOG_SIGNING_KEY_FILE": f"{directory}/log-signing-key.pem",
                "SIGNING_KEYS_DIR": f"{directory}/signing",
            }
        )
        with app.app_context():
            db.create_all()
            runner = app.test_cli_runner()
            for command in (["signing", "create-demo-ca"], ["signing", "issue", "--demo"]):
                outcome = runner.invoke(args=command)
                if outcome.exit_code != 0:
                    raise RuntimeError(f"flask {' '.join(command)}: {outcome.output}")
            with app.test_request_context(), quiet():
                load_demo(get_content())
            db.session.commit()
            published = select(SignedRecord).join(Publication, Publication.signed_record_id == SignedRecord.id)
            pdfs = [bytes(frozen.pdf) for frozen in db.session.scalars(published)]
        client = app.test_client()

        def upload(pdf: bytes) -> float:
            with app.app_context():
                cache.clear()
            start = time.thread_time()
            response = client.post(
                "/verificer", data={"document": (io.BytesIO(pdf), "vurdering.pdf")}, content_type="multipart/form-data"
            )
            elapsed = time.thread_time() - start
            if response.status_code != 200 or b"alert-success" not in response.data:
                raise RuntimeError(f"POST /verificer answered {response.status_code} without a result")
            return elapsed

        upload(pdfs[0])  # pyHanko's imports and first use are not a miss
        samples = [upload(pdfs[i % len(pdfs)]) for i in range(max(UPLOAD_SAMPLES, len(pdfs)))]
        with app.app_context():
            db.engine.dispose()
    return samples, sorted(len(pdf) for pdf in pdfs)
