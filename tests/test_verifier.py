"""The offline verifier, etikdialog-verify, and the findings /verificer shows.

A record is signed (PAdES, the demo CA) and logged (the transparency log) through the real
services; the CLI then checks the files a citizen would download, and refuses each tampering
with its own exit code and a Danish message."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from etikdialog_verify import bundle, cli, findings, note
from etikdialog_verify import checkpoint as checkpoints
from pyhanko.pdf_utils.reader import PdfFileReader

from app.extensions import db
from app.public import verification as portal
from app.signing import democa, keys
from app.signoff import canonical
from app.translog import services as translog


def _is_signed(pdf: bytes) -> bool:
    return bool(list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures))


@pytest.fixture
def files(app, published, tmp_path):
    """The files /verificer offers for the published record, written where a citizen saves them:
    the signed PDF (signed at the freeze with the test municipality's demo certificate), the
    canonical record, roots.pem, the checkpoint, the proof file and the log key."""
    frozen = published.signed_record
    pdf = bytes(frozen.pdf)
    assert _is_signed(pdf) and len(translog.indexes_of(published.public_id)) == 2  # signed, published
    proof = portal.proof_bundle(published.public_id)
    paths = {
        "pdf": tmp_path / "vurdering.pdf",
        "record": tmp_path / "post.json",
        "roots": tmp_path / "roots.pem",
        "checkpoint": tmp_path / "checkpoint.txt",
        "proof": tmp_path / "logbevis.json",
    }
    paths["pdf"].write_bytes(pdf)
    paths["record"].write_bytes(frozen.canonical_json.encode("utf-8"))
    paths["roots"].write_bytes(keys.roots_pem(app.config))
    paths["checkpoint"].write_text(proof["checkpoint"], encoding="utf-8")
    paths["proof"].write_bytes(bundle.dumps(proof))
    return {**{k: str(v) for k, v in paths.items()}, "vkey": translog.verifier_key(), "pdf_bytes": pdf}


def verify(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def offline(files, **replace) -> list[str]:
    given = {**files, **replace}
    return [
        given["pdf"],
        "--roots",
        given["roots"],
        "--record",
        given["record"],
        "--proof",
        given["proof"],
        "--checkpoint",
        given["checkpoint"],
        "--log-key",
        given["vkey"],
    ]


# --- Accepting a good record -----------------------------------------------------------------


def test_a_signed_pdf_is_accepted_with_its_signer_time_and_hash(capsys, files):
    code, out, err = verify(capsys, files["pdf"], "--roots", files["roots"])
    assert code == 0, out + err
    assert "Underskrevet digitalt af Aarhus Kommune" in out
    assert canonical.sha256_hex(files["pdf_bytes"]) in out
    assert "Underskrevet 1. " in out or "Underskrevet " in out  # the signing time, in Danish
    assert "De dele af PDF-filen, som underskriften dækker, er uændret, siden den blev underskrevet." in out
    assert "testcertifikat" in out  # a demo CA proves nothing, and the verifier says so


def test_the_pdf_with_its_record_and_log_files_is_accepted_offline(capsys, files, published):
    code, out, err = verify(capsys, *offline(files))
    assert code == 0, out + err
    assert f"(post {published.public_id})" not in out  # the title and id are in the record finding
    assert "PDF-filen er lavet af Aarhus Kommunes post „Nattilsyn med sensorer“" in out
    indexes = translog.indexes_of(published.public_id)
    for index in indexes:
        assert f"Registreret i den offentlige log som nr. {index} (" in out
    assert "Kontrolpunktet er underskrevet med loggens nøgle" in out
    assert "fingeraftryk" not in out  # the key was pinned with --log-key
    assert "Alt, du bad om at få kontrolleret, er i orden." in out


def test_the_log_key_can_be_pinned_in_a_file(capsys, files, tmp_path):
    pinned = tmp_path / "etikdialog.vkey"
    pinned.write_text(files["vkey"] + "\n", encoding="utf-8")
    code, out, err = verify(capsys, *offline(files, vkey=str(pinned)))
    assert code == 0, out + err
    assert "fingeraftryk" not in out
    other = tmp_path / "other.vkey"
    other.write_text(note.verifier_key("etikdialog.test", note.raw_public_key(Ed25519PrivateKey.generate())))
    code, _, err = verify(capsys, *offline(files, vkey=str(other)))
    assert code == findings.EXIT_CHECKPOINT


def test_without_a_pinned_key_the_fingerprint_of_the_key_used_is_shown(capsys, files):
    args = offline(files)
    code, out, _ = verify(capsys, *args[: args.index("--log-key")])  # the proof file's own key
    assert code == 0
    assert findings.key_fingerprint(files["vkey"]) in out
    assert "hentet fra portalen selv" in out


def test_the_api_detail_document_serves_as_the_record(capsys, client, files, published, tmp_path):
    detail = tmp_path / "detail.json"
    detail.write_bytes(client.get(f"/api/v1/vurderinger/{published.public_id}").data)
    code, out, err = verify(capsys, *offline(files, record=str(detail)))
    assert code == 0, out + err


# --- Refusing tampering ----------------------------------------------------------------------


def test_one_changed_byte_is_refused(capsys, files, tmp_path):
    pdf = bytearray(files["pdf_bytes"])
    at = pdf.index(b"Nattilsyn") if b"Nattilsyn" in pdf else len(pdf) // 3
    pdf[at + 1] ^= 0x01
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(pdf))
    code, out, err = verify(capsys, changed, "--roots", files["roots"])
    assert code in (findings.EXIT_SIGNATURE, findings.EXIT_UNREADABLE)
    assert "kontrollen fejlede" in err


def test_a_byte_changed_inside_the_signed_content_is_refused_as_changed(capsys, files, tmp_path):
    """Change a byte the signature covers (not its own container): intact fails, exit 4."""
    pdf = files["pdf_bytes"]
    signature = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures[0]
    start, length = signature.byte_range[0], signature.byte_range[1]
    changed = bytearray(pdf)
    at = next(i for i in range(start + length // 2, start + length) if changed[i] in b"0123456789")
    changed[at] = ord("1") if changed[at] != ord("1") else ord("2")
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(changed))
    code, _, err = verify(capsys, path, "--roots", files["roots"])
    assert code == findings.EXIT_SIGNATURE
    assert "ændret, efter den blev underskrevet" in err


def test_a_wrong_record_is_refused(capsys, files, tmp_path):
    record = json.loads(Path(files["record"]).read_text(encoding="utf-8"))
    record["title"] = "Et andet forslag"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, _, err = verify(capsys, files["pdf"], "--roots", files["roots"], "--record", other)
    assert code == findings.EXIT_RECORD
    assert "PDF-filen hører ikke til denne post" in err


def test_a_wrong_root_is_refused(capsys, files, tmp_path):
    democa.create_ca(tmp_path / "other-ca")
    other = tmp_path / "other-roots.pem"
    other.write_bytes((tmp_path / "other-ca" / democa.CA_CERT).read_bytes())
    code, _, err = verify(capsys, files["pdf"], "--roots", other)
    assert code == findings.EXIT_UNTRUSTED
    assert "betroede rodcertifikater" in err


def changed_proof(files, tmp_path, change) -> str:
    """The proof file after `change(proof)`, saved beside the others."""
    proof = json.loads(Path(files["proof"]).read_text(encoding="utf-8"))
    change(proof)
    path = tmp_path / "changed-proof.json"
    path.write_text(json.dumps(proof), encoding="utf-8")
    return str(path)


def test_a_tampered_proof_is_refused(capsys, files, tmp_path):
    def replace_entry(proof):
        proof["entries"][0]["entry"]["pdf_sha256"] = "0" * 64  # a replaced entry
        proof["entries"][0]["leaf_hash"] = None

    code, _, err = verify(capsys, *offline(files, proof=changed_proof(files, tmp_path, replace_entry)))
    assert code == findings.EXIT_LOG
    assert "passer ikke med kontrolpunktet" in err


def test_a_tampered_audit_path_is_refused(capsys, files, tmp_path):
    translog.append({**translog.entry_for("published", _frozen(files), datetime.now(UTC)), "public_id": "x" * 16})
    db.session.commit()  # a second entry, so the first has an audit path to tamper with
    proof = portal.proof_bundle(_frozen(files).assessment.public_id)
    proof["entries"][0]["audit_path"][0] = "ab" * 32
    path = tmp_path / "tampered.json"
    path.write_bytes(bundle.dumps(proof))
    checkpoint = tmp_path / "cp.txt"
    checkpoint.write_text(proof["checkpoint"], encoding="utf-8")
    code, _, err = verify(capsys, *offline(files, proof=str(path), checkpoint=str(checkpoint)))
    assert code == findings.EXIT_LOG
    assert "Beviset for logpost nr." in err


def test_a_checkpoint_signed_by_another_key_is_refused(capsys, files, tmp_path):
    text, _ = note.split(Path(files["checkpoint"]).read_text(encoding="utf-8"))
    origin = checkpoints.parse(text).origin
    forged = tmp_path / "forged.txt"
    forged.write_text(note.sign(text, origin, Ed25519PrivateKey.generate()), encoding="utf-8")
    code, _, err = verify(capsys, *offline(files, checkpoint=str(forged)))
    assert code == findings.EXIT_CHECKPOINT
    assert "Kontrolpunktet er ikke underskrevet med loggens nøgle" in err


def test_a_proof_for_another_tree_size_is_refused(capsys, files, tmp_path):
    def grow(proof):
        proof["tree_size"] += 1

    code, _, err = verify(capsys, *offline(files, proof=changed_proof(files, tmp_path, grow)))
    assert code == findings.EXIT_LOG
    assert "kontrolpunktet har" in err


def test_a_file_that_is_not_a_pdf_or_missing_is_refused(capsys, files, tmp_path):
    text = tmp_path / "note.pdf"
    text.write_text("ikke en pdf", encoding="utf-8")
    code, _, err = verify(capsys, text, "--roots", files["roots"])
    assert code == findings.EXIT_UNREADABLE
    assert "ikke en PDF-fil" in err
    code, _, err = verify(capsys, tmp_path / "findes-ikke.pdf", "--roots", files["roots"])
    assert code == findings.EXIT_UNREADABLE
    assert "kan ikke læses" in err
    code, _, err = verify(capsys, files["pdf"], "--roots", files["record"])
    assert code == findings.EXIT_UNREADABLE
    assert "indeholder ingen certifikater" in err


def test_wrong_usage_is_refused_in_danish(capsys, files):
    code, _, err = verify(capsys, files["pdf"])
    assert code == findings.EXIT_USAGE
    assert "forkert brug" in err
    code, _, err = verify(capsys, files["pdf"], "--roots", files["roots"], "--log", "http://x.test")
    assert code == findings.EXIT_USAGE
    assert "--log kræver --record" in err


def test_the_verifier_runs_with_flask_sqlalchemy_and_the_app_blocked(files):
    """A separate process in which importing Flask, SQLAlchemy or the portal itself fails: the
    verifier is a package of its own (verifier/), and the exit code and Danish text reach the shell."""
    script = (
        "import sys\n"
        "class Blocked:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'flask', 'flask_babel', 'sqlalchemy', 'flask_sqlalchemy', 'app'}:\n"
        "            raise ImportError(f'{name} is blocked: the verifier must not need it')\n"
        "sys.meta_path.insert(0, Blocked())\n"
        "from etikdialog_verify.cli import main\n"
        "sys.exit(main())\n"
    )
    args = [*offline(files)]
    good = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Underskrevet digitalt af Aarhus Kommune" in good.stdout
    bad = subprocess.run(
        [sys.executable, "-c", script, files["record"], "--roots", files["roots"]], capture_output=True
    )
    assert bad.returncode == findings.EXIT_UNREADABLE
    assert "ikke en PDF-fil" in bad.stderr.decode("utf-8")


# --- The log over the network (--log URL) ------------------------------------------------------


def test_the_log_is_read_from_the_portal(capsys, app, client, files, published, monkeypatch):
    """--log fetches the checkpoint, key, entries and proofs (here from the test client)."""
    from etikdialog_verify import fetch

    def get(base, path, **query):
        response = client.get(path, query_string=query)
        assert response.status_code == 200, (path, response.data)
        return response.data

    monkeypatch.setattr(fetch, "_get", get)
    code, out, err = verify(
        capsys, files["pdf"], "--roots", files["roots"], "--record", files["record"], "--log", "http://etikdialog.test"
    )
    assert code == 0, out + err
    assert "fingeraftryk" in out  # the key came from the portal itself
    code, _, err = verify(
        capsys, files["pdf"], "--roots", files["roots"], "--record", files["record"], "--log", "http://andet.test"
    )
    assert code == findings.EXIT_CHECKPOINT
    assert "ikke fra andet.test" in err


def test_a_kept_checkpoint_shows_the_log_was_only_extended(capsys, client, files, published, monkeypatch, tmp_path):
    """The reader kept the checkpoint; the record is withdrawn later (a new entry). The newer log
    extends the kept one (consistency proof); a kept checkpoint of another history is refused."""
    from etikdialog_verify import fetch
    from factories import make_user

    from app.assessments import services as assessment_services

    monkeypatch.setattr(fetch, "_get", lambda base, path, **query: client.get(path, query_string=query).data)
    kept = Path(files["checkpoint"]).read_text(encoding="utf-8")
    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Projektet er stoppet.")
    db.session.commit()
    base = [files["pdf"], "--roots", files["roots"], "--record", files["record"], "--log", "http://etikdialog.test"]
    code, out, err = verify(capsys, *base, "--log-key", files["vkey"], "--previous-checkpoint", files["checkpoint"])
    assert code == 0, out + err
    size = checkpoints.parse(note.split(kept)[0]).size
    assert f"Loggen er kun blevet udvidet siden dit gemte kontrolpunkt med {size} poster" in out
    assert "(trukket tilbage " in out  # the withdrawal is logged too

    text, _ = note.split(kept)
    lines = text.split("\n")
    lines[2] = base64.b64encode(b"\x01" * 32).decode("ascii")  # another history of the same size
    other = tmp_path / "other-history.txt"
    other.write_text(note.sign("\n".join(lines), lines[0], translog.signing_key()), encoding="utf-8")
    code, _, err = verify(capsys, *base, "--log-key", files["vkey"], "--previous-checkpoint", other)
    assert code == findings.EXIT_LOG
    assert "passer ikke med dit gemte kontrolpunkt" in err


# --- /verificer --------------------------------------------------------------------------------


def test_verify_page_shows_the_findings_in_plain_words(client, files, published):
    frozen = published.signed_record
    page = client.get(f"/verificer?kode={frozen.verification_code}").get_data(as_text=True)
    assert "Underskrevet digitalt af Aarhus Kommune" in page
    for index in translog.indexes_of(published.public_id):
        assert f"Registreret i den offentlige log som nr. {index} (" in page
    assert "De dele af PDF-filen, som underskriften dækker, er uændret, siden den blev underskrevet." in page
    assert f"/vurderinger/{published.public_id}.json" in page
    assert f"/vurderinger/{published.public_id}/logbevis.json" in page
    assert "/api/v1/signing/roots.pem" in page
    assert "/api/v1/log/checkpoint" in page
    assert "etikdialog-verify" in page


def test_the_offered_files_verify_offline(capsys, client, files, published, tmp_path):
    """What /verificer offers is exactly what the CLI needs."""
    downloads = {
        "pdf": f"/vurderinger/{published.public_id}.pdf",
        "record": f"/vurderinger/{published.public_id}.json",
        "roots": "/api/v1/signing/roots.pem",
        "proof": f"/vurderinger/{published.public_id}/logbevis.json",
        "checkpoint": "/api/v1/log/checkpoint",
    }
    saved = {}
    for name, url in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, url
        saved[name] = tmp_path / f"download-{name}"
        saved[name].write_bytes(response.data)
    record = saved["record"].read_bytes()
    assert canonical.sha256_hex(record) == published.signed_record.json_sha256  # byte for byte
    code, out, err = verify(capsys, *offline({**files, **{k: str(v) for k, v in saved.items()}}))
    assert code == 0, out + err


def test_the_findings_come_from_the_signed_record_not_the_live_rows(files, published):
    published.title = "Ændret efter underskriften"
    db.session.flush()
    texts = [f.words() for f in portal.findings_for(published.signed_record)]
    assert any("„Nattilsyn med sensorer“" in t for t in texts)
    assert not any("Ændret efter underskriften" in t for t in texts)
    db.session.rollback()


def test_a_record_frozen_before_pdfs_were_signed_is_explained_not_failed(files):
    """Records frozen before PDF signing (pdf_signature_level NULL) keep their unsigned PDF; the
    page says so instead of reporting a missing signature as a failure."""
    from types import SimpleNamespace

    signed = files["pdf_bytes"]
    unsigned = signed[: signed.index(b"%%EOF") + len(b"%%EOF\n")]  # the PDF before the signature's update
    frozen = _frozen(files)
    old = SimpleNamespace(pdf=unsigned, canonical_json=frozen.canonical_json, pdf_signature_level=None)
    texts = {f.words(): f.ok for f in portal.findings_for(old)}
    assert texts.get(findings.NO_SIGNATURE) is None
    assert any("før Etikdialog gav PDF-filerne en digital underskrift" in t for t in texts)
    public_id = frozen.assessment.public_id
    assert texts[f"PDF-filen er lavet af Aarhus Kommunes post „Nattilsyn med sensorer“ ({public_id})."]
    newer = SimpleNamespace(pdf=unsigned, canonical_json=frozen.canonical_json, pdf_signature_level="B-B")
    assert {f.words(): f.ok for f in portal.findings_for(newer)}[findings.NO_SIGNATURE] is False


def _frozen(files):
    from sqlalchemy import select

    from app.signoff.models import SignedRecord

    return db.session.scalar(select(SignedRecord).where(SignedRecord.json_sha256 == _record_hash(files)))


def _record_hash(files) -> str:
    return canonical.sha256_hex(Path(files["record"]).read_bytes())


def test_a_withdrawal_left_out_of_the_portals_list_is_found_in_the_log(capsys, client, files, published, monkeypatch):
    """A proxy drops the withdrawal from the record's log_indexes: the verifier reads every entry
    from the record's first one up to the checkpoint, rebuilds the root, and finds it anyway."""
    from etikdialog_verify import fetch
    from factories import make_user

    from app.assessments import services as assessment_services

    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Projektet er stoppet.")
    db.session.commit()
    withdrawal = translog.indexes_of(published.public_id)[-1]

    def proxy(base, path, **query):
        data = client.get(path, query_string=query).data
        if path == f"/api/v1/vurderinger/{published.public_id}":
            item = json.loads(data)
            item["log_indexes"] = [i for i in item["log_indexes"] if i != withdrawal]
            return json.dumps(item).encode()
        return data

    monkeypatch.setattr(fetch, "_get", proxy)
    base = [files["pdf"], "--roots", files["roots"], "--record", files["record"], "--log", "http://etikdialog.test"]
    code, out, err = verify(capsys, *base, "--log-key", files["vkey"])
    assert code == findings.EXIT_LOG, out + err
    assert "(trukket tilbage " in out
    assert f"Portalen nævnte ikke logpost nr. {withdrawal} om posten" in out + err

    def hiding(base, path, **query):  # now the entries themselves disguise it
        data = proxy(base, path, **query)
        if path == "/api/v1/log/entries":
            page = json.loads(data)
            for row in page["entries"]:
                if row["index"] == withdrawal:
                    row["entry"]["type"] = "published"
            return json.dumps(page).encode()
        return data

    monkeypatch.setattr(fetch, "_get", hiding)
    code, out, err = verify(capsys, *base, "--log-key", files["vkey"])
    assert code == findings.EXIT_LOG
    assert "portalen viser ikke hele loggen" in err


def test_other_roots_give_a_danish_answer_and_no_traceback(files, tmp_path):
    """pyHanko logs a traceback when no certificate path leads to the roots; the program's
    standard error carries only its own Danish sentence."""
    from datetime import UTC, datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "En anden rod")])
    root = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2040, 1, 1, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    other = tmp_path / "other.pem"
    other.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    done = subprocess.run(
        [sys.executable, "-m", "etikdialog_verify.cli", files["pdf"], "--roots", str(other)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == findings.EXIT_UNTRUSTED
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert done.stderr.strip() == (
        "etikdialog-verify: kontrollen fejlede: Underskriftens certifikat fører ikke til nogen af de betroede "
        "rodcertifikater, du har angivet."
    )


def test_a_kept_checkpoint_is_checked_offline_with_a_proof_file_made_from_its_size(
    capsys, client, files, published, tmp_path
):
    """The reader kept an older checkpoint; a newer proof file fetched with ?fra=<its size>
    carries the consistency proof, so no portal is needed to see the log only grew."""
    from factories import make_user

    from app.assessments import services as assessment_services

    kept = Path(files["checkpoint"])
    size = checkpoints.parse(note.split(kept.read_text(encoding="utf-8"))[0]).size
    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Projektet er stoppet.")
    db.session.commit()
    newer = tmp_path / "nyere-logbevis.json"
    newer.write_bytes(client.get(f"/vurderinger/{published.public_id}/logbevis.json?fra={size}").data)
    base = [files["pdf"], "--roots", files["roots"], "--record", files["record"], "--proof", str(newer)]
    code, out, err = verify(capsys, *base, "--log-key", files["vkey"], "--previous-checkpoint", str(kept))
    assert code == 0, out + err
    assert f"Loggen er kun blevet udvidet siden dit gemte kontrolpunkt med {size} poster" in out
    without = tmp_path / "uden.json"
    without.write_bytes(client.get(f"/vurderinger/{published.public_id}/logbevis.json").data)
    base[-1] = str(without)
    code, _, err = verify(capsys, *base, "--log-key", files["vkey"], "--previous-checkpoint", str(kept))
    assert code == findings.EXIT_UNREADABLE
    assert f"Hent logbeviset igen med ?fra={size}" in err


def test_a_withdrawal_left_out_of_a_proof_file_is_caught_offline(capsys, client, files, published, tmp_path):
    """Issue 32: offline, with a checkpoint the reader kept, a proof file from which the withdrawal
    entry was removed must fail. The file carries every entry from the record's first one on, with
    the tree's edge there; they must rebuild the checkpoint's root, so nothing can be left out."""
    from factories import make_user

    from app.assessments import services as assessment_services

    kept = Path(files["checkpoint"])
    size = checkpoints.parse(note.split(kept.read_text(encoding="utf-8"))[0]).size
    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Projektet er stoppet.")
    db.session.commit()
    withdrawal = translog.indexes_of(published.public_id)[-1]
    proof = json.loads(client.get(f"/vurderinger/{published.public_id}/logbevis.json?fra={size}").data)
    assert proof["since"]["size"] <= size

    def run(changed: dict, *extra) -> tuple[int, str]:
        path = tmp_path / "logbevis-aendret.json"
        path.write_bytes(bundle.dumps(changed))
        args = [files["pdf"], "--roots", files["roots"], "--record", files["record"], "--proof", path]
        code, out, err = verify(capsys, *args, "--log-key", files["vkey"], *extra)
        return code, out + err

    with_kept = ("--previous-checkpoint", str(kept))
    code, out = run(proof, *with_kept)
    assert code == 0, out
    assert "ingen logpost om posten er udeladt" in out
    # the withdrawal dropped from the proven entries: the complete part still has it
    dropped = {**proof, "entries": [e for e in proof["entries"] if e["index"] != withdrawal]}
    code, out = run(dropped, *with_kept)
    assert code == findings.EXIT_LOG
    assert f"Logbeviset udelader logpost nr. {withdrawal} om posten (trukket tilbage)" in out
    # dropped from the complete part as well: it no longer rebuilds the checkpoint's root
    since = {**proof["since"], "entries": [e for e in proof["since"]["entries"] if e["index"] != withdrawal]}
    code, out = run({**dropped, "since": since}, *with_kept)
    assert code == findings.EXIT_LOG
    assert "giver ikke kontrolpunktets rod" in out or "har ikke alle poster" in out
    # the complete part removed: the kept checkpoint requires it; without one it is only a note
    bare = {k: v for k, v in dropped.items() if k != "since"}
    code, out = run(bare, *with_kept)
    assert code == findings.EXIT_LOG
    assert f"Logbeviset viser ikke alle logposter siden dit gemte kontrolpunkt med {size} poster" in out
    code, out = run(bare)
    assert code == 0 and "NB   Logbeviset viser ikke hele loggen" in out


def test_a_genuine_file_marks_values_without_warnings(client, files, published):
    """Issue 34: the file's and the record's SHA-256 are values to read, not warnings; a warning
    mark is kept for what needs attention."""
    import re

    pdf = bytes(published.signed_record.pdf)
    page = client.post(
        "/verificer", data={"document": (io.BytesIO(pdf), "vurdering.pdf")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Dokumentet er ægte" in page
    marked = re.findall(r'verifier-finding-(\w+)">(.*?)</li>', page, flags=re.S)
    facts = [text for kind, text in marked if kind == "fakta"]
    assert any("Filens SHA-256" in text for text in facts) and any("Postens SHA-256" in text for text in facts)
    notes = [" ".join(text.split()) for kind, text in marked if kind == "note"]
    # left to weigh: the demo's test certificate, the missing timestamp (no SIGNING_TSA_URL here) and
    # the signature's level (B-B: valid only while the certificate is)
    assert len(notes) == 3 and all(("testcertifikat" in n or "tidsstempel" in n or "PAdES B-B" in n) for n in notes)
    assert "verifier-finding-fejl" not in page
