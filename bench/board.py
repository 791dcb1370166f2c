"""A board at work: 20 editors saving at once on PostgreSQL, with the browser's background save.

Each editor logs in and saves answers to the assessment's questions in a loop, often the same
question as someone else, exactly as autosave does (row version and field hashes from the last
answer). Measured: p50 and p95 latency of a save, and lost updates. A save is lost if it was
reported saved but its text is gone without a later reported save on the same question; every
refused save must be a reported conflict. In process (Flask test clients in threads), so the
figures are the server's own time.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid

from sqlalchemy import create_engine, select, text

from app import create_app
from app.extensions import db
from bench.growth import postgres_url

EDITORS = 20
SAVES_EACH = 25


def run(runs: int = 10) -> dict:
    url = postgres_url()
    if url is None:
        return {"name": "board", "met": False, "summary": "PostgreSQL not reachable: the board benchmark was not run."}
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(
        {
            "SECRET_KEY": "bench-" + "x" * 40,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_size": EDITORS + 5,
                "connect_args": {"options": f"-csearch_path={schema}"},
            },
        }
    )
    try:
        return _run(app)
    finally:
        with app.app_context():
            db.engine.dispose()
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _run(app) -> dict:
    from app.accounts import services as accounts
    from app.assessments import services as assessments
    from app.assessments.models import AssessmentQuestion
    from app.content.loader import get_content

    password = "en lang nok adgangsfrase 2026"  # noqa: S105 - a throw-away benchmark account
    with app.app_context():
        db.create_all()
        organisation = accounts.create_organisation("Benchmark Kommune")
        editors = [
            accounts.create_user(
                organisation, f"editor{n}@bench.example.dk", f"Redaktør {n}", "Sekretær", "editor", password
            )
            for n in range(EDITORS)
        ]
        content = get_content()
        assessment = assessments.create_assessment(
            user=editors[0], title="Bestyrelsesmøde", dilemma_ids=[d.id for d in content.dilemmas], content=content
        )
        db.session.commit()
        public_id, emails = assessment.public_id, [e.email for e in editors]
        question_ids = [q.question_id for q in assessment.questions]
    saves: list[tuple[str, str, int]] = []  # question, text, row version after the save
    latencies: list[float] = []
    outcomes = {"saved": 0, "conflict": 0, "other": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(EDITORS)

    def editor(number: int) -> None:
        client = app.test_client()
        client.post("/intern/login", data={"email": emails[number], "password": password})
        barrier.wait()
        for round_ in range(SAVES_EACH):
            question = question_ids[
                (number * 7 + round_ * 3) % len(question_ids) // 2
            ]  # half the questions: collisions
            url = f"/intern/vurderinger/{public_id}/spoergsmaal/{question}"
            page = client.get(url).get_data(as_text=True)
            version = page.split('name="row_version" type="hidden" value="')[1].split('"')[0]
            base = page.split('name="base" type="hidden" value="')[1].split('"')[0].replace("&#34;", '"')
            answer = f"Svar fra redaktør {number}, runde {round_}"
            start = time.perf_counter()
            response = client.post(
                url,
                headers={"X-Autosave": "1"},
                data={"row_version": version, "base": base, "answer": answer, "concern": "lav"},
            )
            elapsed = time.perf_counter() - start
            body = response.get_json(silent=True) or {}
            with lock:
                latencies.append(elapsed)
                if response.status_code == 200 and body.get("status") == "saved":
                    outcomes["saved"] += 1
                    saves.append((question, answer, body["row_version"]))
                elif response.status_code == 409 and body.get("status") == "conflict":
                    outcomes["conflict"] += 1
                else:
                    outcomes["other"] += 1

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(EDITORS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    lost = 0
    with app.app_context():
        rows = {
            q.question_id: q
            for q in db.session.scalars(
                select(AssessmentQuestion).where(AssessmentQuestion.question_id.in_(question_ids))
            )
        }
        for question, row in rows.items():
            mine = sorted((v, a) for q, a, v in saves if q == question)
            if mine and row.answer != mine[-1][1]:
                lost += 1  # the last reported save is not what is stored
            versions = [v for v, _ in mine]
            if len(set(versions)) != len(versions):
                lost += 1  # two saves claimed the same version: one of them vanished
    cuts = statistics.quantiles(latencies, n=20)
    met = lost == 0 and outcomes["other"] == 0
    return {
        "name": "board",
        "editors": EDITORS,
        "saves_each": SAVES_EACH,
        "outcomes": outcomes,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(cuts[18] * 1000, 1),
        "lost_updates": lost,
        "wall_seconds": round(wall, 1),
        "met": met,
        "summary": (
            f"A board at work on PostgreSQL: {EDITORS} editors × {SAVES_EACH} background saves: "
            f"{outcomes['saved']} saved, {outcomes['conflict']} reported conflicts, {outcomes['other']} other; "
            f"save p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {cuts[18] * 1000:.0f} ms; "
            f"{lost} lost updates."
        ),
    }
