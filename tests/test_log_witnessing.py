"""The portal asks witnesses to cosign its checkpoints (C2SP tlog-witness), serves the cosigned
checkpoint, and refuses to append to a log that does not extend the newest checkpoint it signed."""

from __future__ import annotations

import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from assessment_factories import make_signed
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import cosignature, findings, merkle, note, witness
from factories import login, make_user
from test_translog import fake_entry
from test_verifier import files as verifier_files
from test_verifier import offline, verify

from app.extensions import db
from app.translog import services, witnessing

ORIGIN = "etikdialog.test"  # conftest's PUBLIC_BASE_URL without its scheme


def log_vkey() -> str:
    key = services.load_key(os.environ["LOG_SIGNING_KEY_FILE"])
    return note.verifier_key(ORIGIN, note.raw_public_key(key))


class Running:
    """A witness served over HTTP on a free loopback port, as another party would run it."""

    def __init__(self, name: str, state: Path):
        self.witness = witness.Witness(name, Ed25519PrivateKey.generate(), [log_vkey()], state)
        self.server = None
        self.start()

    def start(self):
        port = self.server.server_address[1] if self.server else 0
        self.server = ThreadingHTTPServer(("127.0.0.1", port), witness.handler_for(self.witness))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def running(tmp_path_factory):
    started = [Running(f"witness.test/w{i}", tmp_path_factory.mktemp(f"w{i}")) for i in (1, 2)]
    yield started
    for one in started:
        one.stop()


@pytest.fixture
def app_overrides(running):
    return {
        "LOG_WITNESSES": tuple((w.url, w.witness.verifier_key) for w in running),
        "LOG_WITNESS_QUORUM": 2,
        "LOG_WITNESS_TIMEOUT": 2.0,
    }


def append(count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        services.append(fake_entry(number))
    db.session.commit()


def test_each_new_checkpoint_is_cosigned_by_every_witness_and_served_with_their_cosignatures(app, client, running):
    append(3)
    witnessing.witness_latest()
    served = client.get("/api/v1/log/checkpoint")
    assert served.headers["X-Etikdialog-Witnessed"] == "yes"
    text = served.get_data(as_text=True)
    assert checkpoints.open_checkpoint(text, services.verifier_key()).size == 3
    assert {c.witness for c in cosignature.quorum(text, [w.witness.verifier_key for w in running])} == {
        "witness.test/w1",
        "witness.test/w2",
    }
    # the next checkpoint goes with a consistency proof from the size each witness cosigned
    append(4, start=3)
    witnessing.witness_latest()
    assert [w.witness.latest(ORIGIN).size for w in running] == [7, 7]
    info = client.get("/api/v1/log/witnesses").get_json()
    assert info["quorum"] == 2 and info["latest"] == {
        "tree_size": 7,
        "witnessed": True,
        "cosigned_by": ["witness.test/w1", "witness.test/w2"],
    }


def test_a_witness_that_is_down_delays_nothing_and_is_asked_again_later(app, client, running, runner):
    running[1].stop()
    append(2)
    witnessing.witness_latest()  # one witness answers, the other is refused a connection
    assert client.get("/api/v1/log/checkpoint").headers["X-Etikdialog-Witnessed"] == "no"
    refused = runner.invoke(args=["log", "witness"])
    assert refused.exit_code == 1 and "Not witnessed: 1 of the 2" in refused.output
    running[1].start()
    accepted = runner.invoke(args=["log", "witness"])
    assert accepted.exit_code == 0, accepted.output
    assert "cosigned by witness.test/w1, witness.test/w2" in accepted.output


def test_a_witness_that_missed_checkpoints_is_brought_up_to_date_with_a_proof(app, running):
    append(2)
    witnessing.witness_latest()
    running[1].stop()
    append(3, start=2)
    witnessing.witness_latest()  # only w1 sees 5
    running[1].start()
    append(1, start=5)
    witnessing.witness_latest()  # w2 last cosigned 2: asked with a proof from 2 to 6
    assert [w.witness.latest(ORIGIN).size for w in running] == [6, 6]


def test_publishing_through_the_portal_asks_the_witnesses_once_the_request_committed(app, client, running):
    assessment = make_signed()
    signed_size = services.size()
    admin = make_user(assessment.organisation, role="admin")
    login(client, admin)
    answer = client.post(f"/intern/vurderinger/{assessment.public_id}/status", data={"transition": "publish"})
    assert answer.status_code == 302
    latest = services.latest_checkpoint()
    assert latest.tree_size == signed_size + 1  # the "published" entry
    assert witnessing.witnessed(latest)
    assert [w.witness.latest(ORIGIN).size for w in running] == [latest.tree_size] * 2
    assert services.kept_checkpoint().size == latest.tree_size


def test_only_what_a_request_committed_is_witnessed(app, running):
    append(2)  # committed
    services.append(fake_entry(2))
    db.session.rollback()  # not committed: entry 2 never existed
    witnessing.after_request(None)
    assert [w.witness.latest(ORIGIN).size for w in running] == [2, 2]
    witnessing.after_request(None)  # nothing new since
    services.append(fake_entry(2))
    db.session.rollback()
    assert services.GREW not in db.session.info


def test_a_rolled_back_log_refuses_to_append_and_says_so(app, client, runner):
    append(5)
    services.remember(services.latest_checkpoint())
    # the database is restored from a copy that held only the first 3 entries: simulated by a
    # kept checkpoint of a longer log, signed with the log's key
    leaves = [merkle.leaf_hash(services.canonical.canonical_bytes(fake_entry(i))) for i in range(8)]
    longer = note.sign(
        checkpoints.body(ORIGIN, 8, merkle.root_from_leaf_hashes(leaves)), ORIGIN, services.signing_key()
    )
    services.state_file().write_text(longer, encoding="utf-8")
    with pytest.raises(services.LogRolledBack, match="holds 5 entries, but checkpoint 8"):
        services.append(fake_entry(99))
    db.session.rollback()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "Transparensloggen udvider ikke" in ready.get_data(as_text=True)
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1 and "rolled back or rewritten" in result.output


def test_a_rewritten_log_of_the_same_length_is_refused_too(app):
    append(4)
    other = [merkle.leaf_hash(f"other {i}".encode()) for i in range(4)]
    forked = note.sign(checkpoints.body(ORIGIN, 4, merkle.root_from_leaf_hashes(other)), ORIGIN, services.signing_key())
    services.state_file().write_text(forked, encoding="utf-8")
    with pytest.raises(services.LogRolledBack, match="not those of checkpoint 4"):
        services.append(fake_entry(50))


# --- The reader's side: etikdialog-verify --witness --quorum ---------------------------------


def test_the_verifier_requires_a_quorum_of_the_witnesses_the_reader_trusts(app, published, running, tmp_path, capsys):
    running[1].stop()  # only w1 cosigns the checkpoint the reader gets
    witnessing.witness_latest()
    given = verifier_files.__wrapped__(app, published, tmp_path)
    w1, w2 = (w.witness.verifier_key for w in running)
    code, out, err = verify(capsys, *offline(given), "--witness", w1, "--witness", w2, "--quorum", "1")
    assert code == 0, out + err
    assert "medunderskrevet af 1 af de 2 vidner, du stoler på (witness.test/w1)" in out
    code, out, err = verify(capsys, *offline(given), "--witness", w1, "--witness", w2)
    assert code == findings.EXIT_WITNESS
    assert "kun medunderskrevet af 1 af de 2 vidner" in err and "rullet tilbage" in err
    code, _, err = verify(capsys, *offline(given), "--witness", w1, "--quorum", "2")
    assert code == findings.EXIT_USAGE and "--quorum skal være mellem 1 og antallet af --witness" in err
    stranger = cosignature.verifier_key("witness.test/w9", Ed25519PrivateKey.generate())
    code, _, _ = verify(capsys, *offline(given), "--witness", stranger)
    assert code == findings.EXIT_WITNESS
