"""Writes a refusal keeps (a counted failed attempt) are committed in one place once the view has
answered (app.core.transactions.keep_writes), not by each view in its except branch."""

from sqlalchemy import func, select

from app.accounts.models import FailedAttempt
from app.core.time import utcnow
from app.core.transactions import keep_writes
from app.extensions import db


def _committed_attempts() -> int:
    """Counted on a connection of its own: it sees only what was committed."""
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(FailedAttempt))


def _refusing_view(keep: bool):
    def view():
        db.session.add(FailedAttempt(scope="test", client_hash="x" * 64, at=utcnow()))
        db.session.flush()
        if keep:
            keep_writes()
        return "refused", 422  # the view neither commits nor rolls back

    return view


def test_a_refusal_that_keeps_its_writes_is_committed_after_the_view(app, client):
    app.add_url_rule("/_kept", "kept", _refusing_view(keep=True), methods=["POST"])
    app.add_url_rule("/_not_kept", "not_kept", _refusing_view(keep=False), methods=["POST"])
    assert client.post("/_not_kept").status_code == 422
    assert _committed_attempts() == 0
    db.session.rollback()
    assert client.post("/_kept").status_code == 422
    assert _committed_attempts() == 1
