"""Concurrency on PostgreSQL: parallel saves of one field, parallel final signatures.

Each thread has its own application context, so its own session and connection; a barrier
lines them up so they really collide.
"""

from __future__ import annotations

import threading

import pytest
from assessment_factories import answer_everything, make_assessment
from conftest import TEST_DATABASE_URL
from factories import make_org, make_user
from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments import services
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.content.loader import get_content
from app.extensions import db
from app.signoff import services as signoff
from app.signoff.models import SignedRecord

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="concurrency is tested on PostgreSQL (TEST_DATABASE_URL)")

PARALLEL = 20


@pytest.fixture
def app_overrides(postgres_schema):
    """A pool large enough for every thread to hold a connection at the barrier."""
    return {
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_size": PARALLEL + 5,
            "max_overflow": 5,
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={postgres_schema}"},
        }
    }


def run_in_parallel(app, work, count: int) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        with app.app_context():
            try:
                results[index] = work(index, barrier)
            except Exception as error:  # reported to the test below, never swallowed
                results[index] = error
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def load(public_id: str) -> Assessment:
    return db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))


def test_twenty_parallel_saves_at_the_same_version_one_wins_the_rest_are_conflicts(app):
    editor = make_user(make_org(), role="editor")
    assessment = make_assessment(editor)
    public_id, version, editor_id = assessment.public_id, assessment.row_version, editor.id
    db.session.remove()

    def save(index: int, barrier: threading.Barrier) -> str:
        row, user = load(public_id), db.session.get(User, editor_id)
        barrier.wait()
        try:
            services.save_proposal(row, {"problem": f"Tekst fra nummer {index}"}, expected_version=version, user=user)
            db.session.commit()
            return "saved"
        except services.Conflict:
            db.session.rollback()
            return "conflict"

    results = run_in_parallel(app, save, PARALLEL)
    assert results.count("saved") == 1, results
    assert results.count("conflict") == PARALLEL - 1, results
    winner = results.index("saved")
    saved = load(public_id)
    assert saved.problem == f"Tekst fra nummer {winner}"  # the winner's text, whole
    assert saved.row_version == version + 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "proposal.saved")) == 1


def test_parallel_final_signatures_freeze_exactly_one_record(app):
    org = make_org()
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member") for _ in range(4)] + [make_user(org, role="admin")]
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    services.transition(assessment, "start_deliberation", user=editor)
    signoff.name_signatories(assessment, [s.id for s in signers], user=editor)
    services.transition(assessment, "request_signoff", user=editor)
    db.session.commit()
    _, record_sha256 = signoff.current_record(assessment, get_content())
    public_id, signer_ids = assessment.public_id, [s.id for s in signers]
    db.session.remove()

    def sign(index: int, barrier: threading.Barrier) -> str:
        row, user = load(public_id), db.session.get(User, signer_ids[index])
        barrier.wait()
        result = signoff.sign(
            row,
            user=user,
            password="",
            seen_hash=record_sha256,
            seen_at=None,
            content=get_content(),
            password_ok=lambda user, password: True,
        )
        db.session.commit()
        return "froze" if result.frozen is not None else "signed"

    results = run_in_parallel(app, sign, len(signers))
    assert results.count("froze") == 1 and results.count("signed") == len(signers) - 1, results
    assert db.session.scalar(select(func.count(SignedRecord.id))) == 1
    assert load(public_id).status == "signed"
