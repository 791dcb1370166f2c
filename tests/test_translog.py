"""The transparency log in the app: entries written with the state change they record, stored
subtrees and signed checkpoints, append-only triggers, the public endpoints and `flask verify`."""

import base64
import json

import pytest
from assessment_factories import make_published, make_signed, sign_off
from etikdialog_verify import checkpoint, merkle, note
from factories import make_org, make_user
from sqlalchemy import func, select, text
from test_backup_and_verify import tamper  # switch a table's guard off, as an attacker with the database could

from app.assessments import services as assessment_services
from app.config import ConfigError
from app.extensions import db
from app.signoff.canonical import canonical_bytes
from app.translog import services, verify
from app.translog.models import LogCheckpoint, LogEntry, LogNode, LogRewriteError


def fake_entry(number: int) -> dict:
    return {
        "type": "signed",
        "public_id": f"id{number:06d}",
        "version": 1,
        "json_sha256": f"{number:064x}",
        "pdf_sha256": f"{number + 1:064x}",
        "municipality": "aarhus-kommune",
        "time": "2026-12-01T04:00:00Z",
    }


def logged_types(public_id: str) -> list[str]:
    return [json.loads(row.entry)["type"] for row in services.entries_of(public_id)]


# --- Appending, subtrees, checkpoints ----------------------------------------------------------


def test_appends_keep_the_rfc_root_and_serve_every_proof_from_stored_subtrees(app):
    appended = [services.append(fake_entry(i)) for i in range(37)]
    db.session.commit()
    data = [row.entry.encode("utf-8") for row in appended]
    hashes = [merkle.leaf_hash(item) for item in data]
    assert [row.leaf_index for row in appended] == list(range(37))
    assert [bytes(row.leaf_hash) for row in appended] == hashes
    assert db.session.scalar(select(db.func.count()).select_from(LogNode)) == 2 * 37 - bin(37).count("1")
    for size in range(1, 38):
        root = merkle.mth(data[:size])
        assert services.root_hash(size) == root
        stored = db.session.get(LogCheckpoint, size)
        assert bytes(stored.root_hash) == root  # a checkpoint after every append
        for index in range(size):
            assert services.inclusion_proof(index, size) == merkle.inclusion_proof(index, hashes[:size])
        for first in range(1, size + 1):
            assert services.consistency_proof(first, size) == merkle.consistency_proof(first, hashes[:size])


def test_bulk_appends_store_what_single_appends_store_with_one_checkpoint(app):
    for number in range(5):
        services.append(fake_entry(number))
    assert services.append_many([fake_entry(number) for number in range(5, 40)]) == 35
    db.session.commit()
    data = [row.entry.encode("utf-8") for row in services.entries(0, 40)]
    assert data == [canonical_bytes(fake_entry(number)) for number in range(40)]
    hashes = [merkle.leaf_hash(item) for item in data]
    assert services.root_hash(40) == merkle.mth(data)
    assert all(services.inclusion_proof(i, 40) == merkle.inclusion_proof(i, hashes) for i in range(40))
    assert db.session.scalar(select(db.func.count()).select_from(LogNode)) == 2 * 40 - bin(40).count("1")
    assert [c.tree_size for c in db.session.scalars(select(LogCheckpoint))] == [1, 2, 3, 4, 5, 40]
    assert verify._node_problems(verify._levels(hashes)) == []


def test_each_checkpoint_is_a_signed_note_under_the_portals_origin(app):
    services.append(fake_entry(1))
    services.append(fake_entry(2))
    db.session.commit()
    latest = services.latest_checkpoint()
    vkey = services.verifier_key()
    assert vkey.startswith("etikdialog.test+")  # PUBLIC_BASE_URL http://etikdialog.test without its scheme
    opened = checkpoint.open_checkpoint(latest.note, vkey)
    assert (opened.origin, opened.size, opened.root) == ("etikdialog.test", 2, services.root_hash(2))
    assert latest.note.startswith(f"etikdialog.test\n2\n{base64.b64encode(opened.root).decode()}\n\n\u2014 ")


def test_without_a_key_entries_are_still_appended_but_no_checkpoint_is_signed(app):
    app.config["LOG_SIGNING_KEY_FILE"] = ""
    services.append(fake_entry(1))
    db.session.commit()
    assert services.size() == 1
    assert services.latest_checkpoint() is None


def test_an_entry_has_exactly_the_fields_of_the_issue(app):
    with pytest.raises(ValueError, match="exactly the fields"):
        services.append({**fake_entry(1), "title": "x"})


# --- Append-only ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "update"),
    [
        ("log_entry", "UPDATE log_entry SET entry = '{}'"),
        ("log_node", "UPDATE log_node SET node_index = node_index + 1000"),
        ("log_checkpoint", "UPDATE log_checkpoint SET note = 'x'"),
    ],
)
def test_the_database_refuses_to_update_or_delete_log_rows(app, table, update):
    services.append(fake_entry(1))
    services.append(fake_entry(2))
    db.session.commit()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text(update))
    db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608
    db.session.rollback()
    assert db.session.scalar(text(f"SELECT count(*) FROM {table}")) > 0  # noqa: S608


def test_the_orm_refuses_too(app):
    row = services.append(fake_entry(1))
    db.session.commit()
    row.entry = "{}"
    with pytest.raises(LogRewriteError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(LogEntry, 0))
    with pytest.raises(LogRewriteError):
        db.session.flush()
    db.session.rollback()


# --- Entries for every signature, publication, withdrawal and new version -----------------------


def test_signing_publishing_withdrawing_and_a_new_version_each_append_one_entry(app):
    signed = make_signed(make_org("Aarhus Kommune"))
    frozen = signed.signed_record
    assert logged_types(signed.public_id) == ["signed"]
    (entry,) = [json.loads(row.entry) for row in services.entries_of(signed.public_id)]
    assert entry == {
        "type": "signed",
        "public_id": signed.public_id,
        "version": 1,
        "json_sha256": frozen.json_sha256,
        "pdf_sha256": frozen.pdf_sha256,
        "municipality": "aarhus-kommune",
        "time": frozen.signed_at.isoformat() + "Z",
    }
    admin = make_user(signed.organisation, role="admin")
    assessment_services.transition(signed, "publish", user=admin)
    db.session.commit()
    assert logged_types(signed.public_id) == ["signed", "published"]

    editor = make_user(signed.organisation, role="editor")
    newer = assessment_services.reopen(signed, user=editor)
    db.session.commit()
    sign_off(newer, editor, [make_user(signed.organisation, role="member"), admin])
    assessment_services.transition(newer, "publish", user=admin)
    db.session.commit()
    assert logged_types(newer.public_id) == ["signed", "published"]
    assert logged_types(signed.public_id) == ["signed", "published", "new_version"]

    assessment_services.transition(newer, "withdraw", user=admin, reason="Forkert leverandør")
    db.session.commit()
    assert logged_types(newer.public_id) == ["signed", "published", "withdrawn"]
    assert services.size() == 6
    assert services.latest_checkpoint().tree_size == 6
    assert verify.verify_log() == []


def test_a_refused_change_leaves_no_entry(app):
    """The entry is in the transaction of the change: a rollback takes both."""
    signed = make_signed(make_org("Aarhus Kommune"))
    admin = make_user(signed.organisation, role="admin")
    assessment_services.transition(signed, "publish", user=admin)
    assert logged_types(signed.public_id) == ["signed", "published"]
    db.session.rollback()
    assert logged_types(signed.public_id) == ["signed"]
    assert services.latest_checkpoint().tree_size == 1


def test_the_api_item_names_its_log_indexes(client, published):
    body = client.get(f"/api/v1/vurderinger/{published.public_id}").get_json()
    assert body["log_indexes"] == [0, 1]
    entries = client.get("/api/v1/log/entries?start=0&end=1").get_json()["entries"]
    assert [e["entry"]["type"] for e in entries] == ["signed", "published"]
    assert {e["entry"]["public_id"] for e in entries} == {published.public_id}


# --- Endpoints ---------------------------------------------------------------------------------


def test_a_citizen_checks_an_entry_against_the_checkpoint_with_the_apis_proof(client, published):
    make_published(make_org("Odense Kommune"), title="Spiserobot")
    key = client.get("/api/v1/log/key").get_json()
    assert key["name"] == "etikdialog.test"
    assert note.parse_verifier_key(key["vkey"]).public_key == base64.b64decode(key["public_key"])
    response = client.get("/api/v1/log/checkpoint")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    signed = checkpoint.open_checkpoint(response.get_data(as_text=True), key["vkey"])
    assert signed.size == 4
    entries = client.get("/api/v1/log/entries?start=0").get_json()["entries"]
    assert [e["index"] for e in entries] == [0, 1, 2, 3]
    for item in entries:
        leaf = merkle.leaf_hash(
            json.dumps(item["entry"], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        )
        assert leaf.hex() == item["leaf_hash"]
        proof = client.get(f"/api/v1/log/proof/inclusion?index={item['index']}&tree_size={signed.size}").get_json()
        assert proof["leaf_index"] == item["index"]
        assert merkle.verify_inclusion(
            item["index"], signed.size, leaf, [bytes.fromhex(p) for p in proof["audit_path"]], signed.root
        )
    older = services.root_hash(2)
    consistency = client.get("/api/v1/log/proof/consistency?first=2&second=4").get_json()
    assert consistency["first"] == 2 and consistency["second"] == 4
    assert merkle.verify_consistency(2, 4, older, signed.root, [bytes.fromhex(p) for p in consistency["proof"]])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/log/entries", "start"),
        ("/api/v1/log/entries?start=2", "start"),
        ("/api/v1/log/entries?start=-1", "start"),
        ("/api/v1/log/entries?start=0&end=x", "end"),
        ("/api/v1/log/entries?start=1&end=0", "end"),
        ("/api/v1/log/proof/inclusion?index=0", "tree_size"),
        ("/api/v1/log/proof/inclusion?index=2&tree_size=2", "index"),
        ("/api/v1/log/proof/inclusion?index=0&tree_size=3", "tree_size"),
        ("/api/v1/log/proof/inclusion?index=٠&tree_size=1", "index"),
        ("/api/v1/log/proof/inclusion?index=0&tree_size=99999999999999999999", "tree_size"),
        ("/api/v1/log/proof/consistency?first=0&second=2", "first"),
        ("/api/v1/log/proof/consistency?first=2&second=1", "first"),
        ("/api/v1/log/proof/consistency?first=1&second=3", "second"),
    ],
)
def test_bad_parameters_get_a_danish_400_never_a_500(client, published, url, message):
    response = client.get(url)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert message in error and "helt tal" in error


def test_an_empty_log_answers_plainly(client):
    assert client.get("/api/v1/log/checkpoint").status_code == 404
    response = client.get("/api/v1/log/entries?start=0")
    assert response.status_code == 400
    assert "ingen poster" in response.get_json()["error"]
    assert client.get("/api/v1/log/proof/inclusion?index=0&tree_size=1").status_code == 400


def test_entries_come_at_most_a_thousand_a_page(client, app):
    for number in range(1003):
        services.append(fake_entry(number))
    db.session.commit()
    page = client.get("/api/v1/log/entries?start=2&end=1500").get_json()["entries"]
    assert len(page) == 1000
    assert (page[0]["index"], page[-1]["index"]) == (2, 1001)
    assert len(client.get("/api/v1/log/entries?start=1000").get_json()["entries"]) == 3


def test_the_key_endpoint_says_when_no_key_is_set_up(client, app):
    app.config["LOG_SIGNING_KEY_FILE"] = ""
    response = client.get("/api/v1/log/key")
    assert response.status_code == 503
    assert "nøgle" in response.get_json()["error"]


# --- flask verify --------------------------------------------------------------------------------


def test_verify_passes_on_an_intact_log(runner, published):
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "Checked the transparency log: 0 problems." in result.output


@pytest.mark.parametrize(
    ("table", "statement", "finding"),
    [
        (
            "log_entry",
            "UPDATE log_entry SET entry = replace(entry, 'published', 'withdrawn') WHERE leaf_index = 1",
            "leaf hash",
        ),
        ("log_entry", "DELETE FROM log_entry WHERE leaf_index = 2", "missing"),
        ("log_node", "DELETE FROM log_node WHERE node_index % 4 = 1", "level 1"),
        ("log_checkpoint", "UPDATE log_checkpoint SET note = replace(note, '\n3\n', '\n2\n')", "checkpoint at size"),
        ("log_checkpoint", "DELETE FROM log_checkpoint WHERE tree_size = 4", "covers 3 of 4"),
    ],
)
def test_verify_exits_1_on_a_tampered_log(runner, published, table, statement, finding):
    other = make_published(make_org("Odense Kommune"), title="Spiserobot")
    assert other.public_id
    tamper(statement, table)
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1, result.output
    assert finding in result.output


def test_verify_exits_1_when_a_record_has_no_entry_or_the_log_one_it_should_not(runner, published):
    """A rebuilt log (leaf hashes, subtrees and checkpoints all recomputed and re-signed) that leaves
    out a record's publication is still caught: the record's state says it was published."""
    rows = services.entries(0, 2)
    kept = [json.loads(rows[0].entry)]
    for table in ("log_checkpoint", "log_node", "log_entry"):
        tamper(f"DELETE FROM {table}", table)  # noqa: S608
    for entry in kept:
        services.append(entry)
    services.append(fake_entry(9))
    db.session.commit()
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1, result.output
    assert f"record {published.public_id}: no log entry for published" in result.output
    assert "1 log entries match no signed record's state" in result.output


def test_backfill_appends_what_records_from_before_the_log_lack(runner, published):
    for table in ("log_checkpoint", "log_node", "log_entry"):
        tamper(f"DELETE FROM {table}", table)  # noqa: S608
    assert runner.invoke(args=["verify"]).exit_code == 1
    result = runner.invoke(args=["log", "backfill"])
    assert "Appended 2 missing log entries." in result.output
    assert logged_types(published.public_id) == ["signed", "published"]
    assert runner.invoke(args=["verify"]).exit_code == 0
    assert "Appended 0" in runner.invoke(args=["log", "backfill"]).output


def test_backfill_signs_a_checkpoint_for_entries_appended_without_a_key(runner, app, published):
    """Bulk seeding, or a key added later: the entries are there, the checkpoint is not."""
    tamper("DELETE FROM log_checkpoint", "log_checkpoint")
    assert services.latest_checkpoint() is None
    result = runner.invoke(args=["log", "backfill"])
    assert "Appended 0 missing log entries." in result.output
    checkpoint = services.latest_checkpoint()
    assert checkpoint is not None and checkpoint.tree_size == services.size() == 2
    assert checkpoint.root_hash == services.root_hash(2)
    assert runner.invoke(args=["verify"]).exit_code == 0
    services.ensure_checkpoint()  # covered already: nothing new is signed
    assert db.session.scalar(select(func.count()).select_from(LogCheckpoint)) == 1


# --- The key -------------------------------------------------------------------------------------


def test_create_demo_key_is_idempotent(runner, app, tmp_path):
    app.config["LOG_SIGNING_KEY_FILE"] = str(tmp_path / "keys" / "log.pem")
    first = runner.invoke(args=["log", "create-demo-key"])
    assert "Created" in first.output
    pem = (tmp_path / "keys" / "log.pem").read_bytes()
    assert (tmp_path / "keys" / "log.pem").stat().st_mode & 0o077 == 0
    second = runner.invoke(args=["log", "create-demo-key"])
    assert "left as it is" in second.output
    assert (tmp_path / "keys" / "log.pem").read_bytes() == pem
    assert first.output.splitlines()[-1] == second.output.splitlines()[-1]  # the same verifier key


def test_production_refuses_to_start_without_the_log_key(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv("ETIKDIALOG_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://etik.example.dk")
    monkeypatch.delenv("LOG_SIGNING_KEY_FILE")
    with pytest.raises(ConfigError, match="LOG_SIGNING_KEY_FILE"):
        create_app()
    monkeypatch.setenv("LOG_SIGNING_KEY_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigError, match="does not exist"):
        create_app()
    services.write_key(tmp_path / "log.pem")
    monkeypatch.setenv("LOG_SIGNING_KEY_FILE", str(tmp_path / "log.pem"))
    assert create_app().config["LOG_SIGNING_KEY_FILE"] == str(tmp_path / "log.pem")
