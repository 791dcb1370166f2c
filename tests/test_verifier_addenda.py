"""etikdialog-verify and /verificer check a record's addenda: the chain links, each signature holds,
each is in the log and none in the log was left out. Every tampering fails with a Danish message
and a nonzero exit code."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from conftest import FROZEN_TODAY
from etikdialog_verify import addendum as fmt
from etikdialog_verify import bundle, cli, findings
from factories import make_user
from test_verifier import files, offline, verify  # noqa: F401 - the files fixture a citizen downloads

from app.addenda import services
from app.extensions import db
from app.public import verification as portal


@pytest.fixture
def chained(app, published, files, tmp_path):  # noqa: F811
    """Two addenda on the published record, and the files with them: the chain and a new proof."""
    editor = make_user(published.organisation, role="editor")
    for kind, outcome, text in (
        ("beslutning", "godkendt", "Udvalget godkendte indstillingen."),
        ("effekt", "bedre", "36 % færre uopdagede fald efter et halvt år."),
    ):
        draft = services.Draft(kind, FROZEN_TODAY, outcome, text, body="Ældre- og Sundhedsudvalget")
        services.add(published.signed_record, draft, user=editor)
        db.session.commit()
    chain = tmp_path / "tillaeg.json"
    chain.write_text(json.dumps({"addenda": services.served_chain(published.signed_record)}), encoding="utf-8")
    proof = portal.proof_bundle(published.public_id)
    (tmp_path / "logbevis.json").write_bytes(bundle.dumps(proof))
    (tmp_path / "checkpoint.txt").write_text(proof["checkpoint"], encoding="utf-8")
    return {**files, "chain": str(chain)}


def with_chain(chained, change, tmp_path) -> str:
    data = json.loads(Path(chained["chain"]).read_text(encoding="utf-8"))
    change(data["addenda"])
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_the_chain_is_shown_and_accepted_offline(capsys, chained):
    code, out, err = verify(capsys, *offline(chained), "--addenda", chained["chain"])
    assert code == 0, out + err
    assert "Tillæg nr. 1 (Formel beslutning" in out and "Tillæg nr. 2 (Målt effekt" in out
    assert "Kæden af 2 tillæg hænger sammen" in out
    assert "Alle 2 tillæg er registreret i den offentlige log." in out
    assert "underskrevet digitalt af" in out


def test_without_the_chain_the_log_says_there_are_addenda(capsys, chained):
    code, out, _ = verify(capsys, *offline(chained))
    assert code == 0 and "Loggen har 2 tillæg til posten; angiv --addenda" in out


def _edit_text(addenda):
    addenda[1]["document"]["text"] = "Ingen effekt."


def _drop_first(addenda):
    del addenda[0]


def _swap(addenda):
    addenda.reverse()


def _drop_last(addenda):
    del addenda[-1]


def _resign_elsewhere(addenda):
    addenda[0]["signature"] = addenda[1]["signature"]


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (_edit_text, fmt.EXIT_ADDENDUM, "Tillæg nr. 2 er ændret"),
        (_drop_first, fmt.EXIT_ADDENDUM, "Kæden af tillæg er brudt"),
        (_swap, fmt.EXIT_ADDENDUM, "Kæden af tillæg er brudt"),
        (_resign_elsewhere, fmt.EXIT_ADDENDUM, "Tillæg nr. 1 er ændret, efter det blev underskrevet"),
        (_drop_last, findings.EXIT_LOG, "Loggen har tillæg nr. 2 til posten, men det blev ikke vist"),
    ],
)
def test_a_tampered_addendum_or_broken_chain_fails(capsys, chained, tmp_path, change, code, message):
    changed = with_chain(chained, change, tmp_path)
    exit_code, out, err = verify(capsys, *offline(chained), "--addenda", changed)
    assert exit_code == code, out + err
    assert message in err and "Traceback" not in err


def test_a_text_changed_with_its_hash_recomputed_breaks_the_signature_and_the_log(capsys, chained, tmp_path):
    def forge(addenda):
        last = addenda[-1]
        last["document"]["text"] = "Ingen effekt."
        last["sha256"] = fmt.document_hash(last["document"])

    exit_code, _, err = verify(capsys, *offline(chained), "--addenda", with_chain(chained, forge, tmp_path))
    assert exit_code == fmt.EXIT_ADDENDUM and "Tillæg nr. 2 er ændret, efter det blev underskrevet" in err


def test_an_addendum_of_another_record_is_refused(capsys, chained, tmp_path):
    def other(addenda):
        addenda[0]["document"]["record_sha256"] = "0" * 64
        addenda[0]["sha256"] = fmt.document_hash(addenda[0]["document"])

    exit_code, _, err = verify(capsys, *offline(chained), "--addenda", with_chain(chained, other, tmp_path))
    assert exit_code == fmt.EXIT_ADDENDUM and "hører ikke til denne post" in err


def test_an_unreadable_chain_file_and_a_bad_form_are_refused(capsys, chained, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("ikke json", encoding="utf-8")
    exit_code, _, err = verify(capsys, *offline(chained), "--addenda", str(bad))
    assert exit_code == findings.EXIT_UNREADABLE and "ikke gyldig JSON" in err

    def too_long(addenda):
        addenda[0]["document"]["text"] = "x" * (fmt.TEXT_MAX + 1)

    exit_code, _, err = verify(capsys, *offline(chained), "--addenda", with_chain(chained, too_long, tmp_path))
    assert exit_code == fmt.EXIT_ADDENDUM and "følger ikke tillægsformatet" in err


def test_the_chain_is_read_from_the_portal_with_log(capsys, client, chained, monkeypatch):
    from etikdialog_verify import fetch

    def get(base, path, **query):
        response = client.get(path, query_string=query)
        assert response.status_code == 200, (path, response.data)
        return response.data

    monkeypatch.setattr(fetch, "_get", get)
    args = [
        chained["pdf"],
        "--roots",
        chained["roots"],
        "--record",
        chained["record"],
        "--log",
        "http://etikdialog.test",
    ]
    code, out, err = verify(capsys, *args)
    assert code == 0, out + err
    assert "Alle 2 tillæg er registreret i den offentlige log." in out

    def hiding(base, path, **query):  # a portal that serves the record without its last addendum
        data = get(base, path, **query)
        if path.startswith("/api/v1/vurderinger/"):
            item = json.loads(data)
            item["addenda"] = item["addenda"][:1]
            return json.dumps(item).encode()
        return data

    monkeypatch.setattr(fetch, "_get", hiding)
    code, _, err = verify(capsys, *args)
    assert code == findings.EXIT_LOG and "Loggen har tillæg nr. 2 til posten, men det blev ikke vist" in err


def test_the_verify_page_shows_the_chain(client, chained, published):
    page = client.get(f"/verificer?kode={published.signed_record.verification_code}").get_data(as_text=True)
    assert "Kæden af 2 tillæg hænger sammen" in page and "Alle 2 tillæg er registreret" in page


def test_the_schema_and_the_verifiers_rules_agree(chained, published):
    jsonschema = pytest.importorskip("jsonschema")
    for served in services.served_chain(published.signed_record):
        jsonschema.validate(served["document"], fmt.SCHEMA)
        assert base64.b64decode(served["signature"])
    broken = services.served_chain(published.signed_record)[0]["document"] | {"kind": "andet"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, fmt.SCHEMA)
    assert fmt.problems(broken)


def test_addenda_without_a_record_are_refused(capsys, tmp_path):
    pdf = tmp_path / "uden-post.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    roots = tmp_path / "roots.pem"
    roots.write_bytes(b"")
    code = cli.main([str(pdf), "--roots", str(roots), "--addenda", str(tmp_path / "tillaeg.json")])
    assert code != 0 and "Traceback" not in capsys.readouterr().err


def test_openssl_confirms_the_addendums_signature(chained, published, tmp_path):
    """An implementation we did not write: OpenSSL's CMS verifier, over the canonical bytes."""
    import shutil
    import subprocess

    from app.addenda.models import Addendum

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    row = db.session.query(Addendum).order_by(Addendum.sequence).first()
    (tmp_path / "tillaeg.json").write_bytes(row.document.encode("utf-8"))
    (tmp_path / "tillaeg.p7s").write_bytes(bytes(row.signature))
    command = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "tillaeg.p7s")]
    command += [
        "-content",
        str(tmp_path / "tillaeg.json"),
        "-CAfile",
        chained["roots"],
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    (tmp_path / "tillaeg.json").write_bytes(row.document.replace("godkendte", "afviste").encode("utf-8"))
    assert subprocess.run(command, capture_output=True, check=False).returncode != 0
