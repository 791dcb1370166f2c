"""etikdialog-monitor follows a portal's log between runs: a rollback, a fork, a record the log
says was published that the portal does not serve (or serves unwithdrawn), and a record served as
published that the log never logged are each caught, with their own exit code for cron."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from etikdialog_verify import fetch, merkle, monitor, note
from etikdialog_verify.bundle import entry_bytes
from etikdialog_verify.findings import Stop, failed
from factories import make_user
from test_witness import Log

from app.assessments import services as assessment_services
from app.extensions import db
from app.translog import services as translog

BASE = "http://etikdialog.test"


def entry(public_id: str, kind: str) -> dict:
    return {
        "type": kind,
        "public_id": public_id,
        "version": 1,
        "json_sha256": "0" * 64,
        "pdf_sha256": "1" * 64,
        "municipality": "aarhus-kommune",
        "time": "2026-12-01T04:00:00Z",
    }


class Portal:
    """A portal as the monitor sees it over HTTP: its log, and what its API serves."""

    def __init__(self):
        self.log = Log(origin="etikdialog.test")
        self.entries: list[dict] = []
        self.served: dict[str, str] = {}  # public_id -> "published" or "withdrawn"
        self.listed: list[str] = []
        self.size: int | None = None  # the checkpoint's size, when it lags or is rolled back

    def add(self, public_id: str, kind: str) -> None:
        self.entries.append(entry(public_id, kind))
        self.log.leaves.append(merkle.leaf_hash(entry_bytes(self.entries[-1])))

    def publish(self, public_id: str) -> None:
        self.add(public_id, "signed")
        self.add(public_id, "published")
        self.served[public_id] = "published"
        self.listed.append(public_id)

    def get(self, base: str, path: str, **query) -> bytes:
        if path == "/api/v1/log/checkpoint":
            return self.log.signed(self.size).encode()
        if path == "/api/v1/log/entries":
            start, end = int(query["start"]), int(query["end"])
            rows = [{"index": i, "entry": self.entries[i]} for i in range(start, min(end + 1, len(self.entries)))]
            return json.dumps({"entries": rows}).encode()
        if path == "/api/v1/vurderinger":
            items = [{"public_id": p} for p in self.listed]
            return json.dumps({"items": items, "links": {"next": None}}).encode()
        public_id = path.rsplit("/", 1)[-1]
        if path.startswith("/api/v1/vurderinger/") and public_id in self.served:
            return json.dumps({"public_id": public_id, "status": self.served[public_id]}).encode()
        raise Stop(failed(monitor.EXIT_FETCH, "Portalen svarede 404 på %(url)s.", url=path))


@pytest.fixture
def portal(monkeypatch):
    portal = Portal()
    monkeypatch.setattr(fetch, "_get", portal.get)
    return portal


def test_a_log_that_only_grows_is_followed_quietly(portal, tmp_path, capsys):
    portal.publish("a")
    portal.publish("b")
    assert monitor.main(["--log", BASE, "--log-key", portal.log.vkey, "--state", str(tmp_path / "s.json")]) == 0
    portal.publish("c")
    assert monitor.main(["--log", BASE, "--log-key", portal.log.vkey, "--state", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text())["size"] == 6
    assert "udvider den, monitoren så sidst (4)" in capsys.readouterr().out


def args(portal, tmp_path, *extra):
    return ["--log", BASE, "--log-key", portal.log.vkey, "--state", str(tmp_path / "s.json"), *extra]


def test_a_rolled_back_log_is_caught_and_the_state_kept(portal, tmp_path, capsys):
    for name in "abc":
        portal.publish(name)
    assert monitor.main(args(portal, tmp_path)) == 0
    portal.size = 4  # the portal now signs and serves an older, shorter tree
    assert monitor.main(args(portal, tmp_path)) == monitor.EXIT_FORK
    assert "rullet tilbage: den havde 6 poster, nu 4" in capsys.readouterr().err
    assert json.loads((tmp_path / "s.json").read_text())["size"] == 6


def test_a_rewritten_history_signed_with_the_log_key_is_caught(portal, tmp_path, capsys):
    portal.publish("a")
    portal.add("b", "signed")
    assert monitor.main(args(portal, tmp_path)) == 0
    portal.entries[1] = entry("a", "withdrawn")  # history rewritten under the same key ...
    portal.log.leaves[1] = merkle.leaf_hash(entry_bytes(portal.entries[1]))
    portal.publish("c")  # ... and grown, so the size alone looks fine
    assert monitor.main(args(portal, tmp_path)) == monitor.EXIT_FORK
    assert "omskrevet" in capsys.readouterr().err


def test_a_withdrawal_the_portal_hides_is_caught(portal, tmp_path, capsys):
    portal.publish("a")
    assert monitor.main(args(portal, tmp_path)) == 0
    portal.add("a", "withdrawn")  # logged, but the portal still serves it as valid
    assert monitor.main(args(portal, tmp_path)) == monitor.EXIT_UNSERVED
    assert "trukket tilbage, men portalen viser den som gældende" in capsys.readouterr().err


def test_a_published_record_the_portal_does_not_serve_is_caught(portal, tmp_path, capsys):
    portal.publish("a")
    del portal.served["a"]
    portal.listed.remove("a")
    assert monitor.main(args(portal, tmp_path)) == monitor.EXIT_UNSERVED
    assert "a er offentliggjort, men portalen viser den ikke" in capsys.readouterr().err


def test_a_record_served_as_published_without_its_log_entry_is_caught(portal, tmp_path, capsys):
    portal.publish("a")
    portal.served["x"] = "published"
    portal.listed.append("x")
    assert monitor.main(args(portal, tmp_path)) == monitor.EXIT_UNLOGGED
    assert "x som offentliggjort, men loggen har ingen post" in capsys.readouterr().err


def test_withdrawals_and_new_versions_since_the_last_run_are_reported(portal, tmp_path, capsys):
    portal.publish("a")
    portal.publish("b")
    assert monitor.main(args(portal, tmp_path)) == 0
    portal.add("a", "withdrawn")
    portal.served["a"] = "withdrawn"
    portal.listed.remove("a")
    portal.add("b", "new_version")
    assert monitor.main(args(portal, tmp_path)) == monitor.EXIT_CHANGES
    out = capsys.readouterr().out
    assert "a er trukket tilbage" in out and "b er afløst af en ny version" in out
    assert monitor.main(args(portal, tmp_path)) == 0  # reported once


def test_a_checkpoint_without_the_witness_quorum_or_the_log_key_is_refused(portal, tmp_path):
    portal.publish("a")
    witness = note.verifier_key("w.test", note.raw_public_key(Ed25519PrivateKey.generate()), note.ALG_COSIGNATURE_V1)
    assert monitor.main(args(portal, tmp_path, "--witness", witness)) == monitor.EXIT_WITNESS
    other = Log(origin="etikdialog.test").vkey
    assert (
        monitor.main(["--log", BASE, "--log-key", other, "--state", str(tmp_path / "o.json")])
        == monitor.EXIT_CHECKPOINT
    )
    assert monitor.main(["--log", BASE]) == monitor.EXIT_USAGE
    (tmp_path / "bad.json").write_text("{")
    assert (
        monitor.main(["--log", BASE, "--log-key", portal.log.vkey, "--state", str(tmp_path / "bad.json")])
        == monitor.EXIT_USAGE
    )


def test_the_monitor_follows_the_real_portal(app, client, published, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "_get", lambda base, path, **query: _client_get(client, path, query))
    state = ["--log", BASE, "--log-key", translog.verifier_key(), "--state", str(tmp_path / "s.json")]
    assert monitor.main(state) == 0, capsys.readouterr()
    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Projektet er stoppet.")
    db.session.commit()
    assert monitor.main(state) == monitor.EXIT_CHANGES
    assert f"{published.public_id} er trukket tilbage" in capsys.readouterr().out


def _client_get(client, path, query):
    answer = client.get(path, query_string=query)
    if answer.status_code != 200:
        raise Stop(failed(monitor.EXIT_FETCH, "Portalen svarede %(status)s.", status=answer.status_code))
    return answer.data
