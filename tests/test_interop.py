"""Interoperability (issue 32 item 7): implementations we did not write confirm what we produce.

- The PAdES B-LTA PDF: poppler's pdfsig (the CAdES signature), OpenSSL (`cms -verify` on the
  signature's CMS over its byte ranges, `ts -verify` on the document timestamp), and pyHanko's
  ETSI EN 319 102-1 validator (`ades_lta_validation`, not the path etikdialog-verify takes).
- The log: Go's golang.org/x/mod/sumdb/note and sumdb/tlog (Debian's golang-golang-x-mod-dev,
  built offline with Debian's Go) check the portal's checkpoint signature, an inclusion proof and
  a consistency proof; transparency-dev/formats' note package checks witness cosignatures
  (cosignature/v1), from a pinned commit when its repository is at hand (TRANSPARENCY_DEV_FORMATS).

Each tool that is missing skips its test with the reason; each check is also shown failing on a
tampered input, so a tool that accepted anything would fail the test.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from etikdialog_verify import bundle, cosignature, note
from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify.signature import outside_event_loop

from app.signing import democa, pades

HERE = Path(__file__).resolve().parent
GO_X_MOD = Path("/usr/share/gocode/src/golang.org/x/mod/sumdb")
# transparency-dev/formats before it needed modules we cannot build offline (ML-DSA): std + x/mod only.
FORMATS_COMMIT = "404c0d5b696c6a3e4eb9cec706cfc3550cc47e52"
FORMATS_REPO = os.environ.get("TRANSPARENCY_DEV_FORMATS", "/work/.mirror/transparency-dev+formats/repo")


# --- The PAdES B-LTA PDF ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def lta(tmp_path_factory):
    """A B-LTA PDF from the demo CA and its in-process timestamp authority, renewed once."""
    from reportlab.pdfgen import canvas

    directory = tmp_path_factory.mktemp("interop-keys")
    democa.create_ca(directory)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "Etikdialog interop")
    page.save()
    config = {
        "SIGNING_KEYS_DIR": str(directory),
        "ENV_NAME": "development",
        "PUBLIC_BASE_URL": "http://127.0.0.1:9",
        "SIGNING_DEMO_TSA": True,
        "SIGNING_REVOCATION_FETCH": False,
    }
    signed = pades.sign_document(
        buffer.getvalue(),
        slug="interop",
        municipality_name="Interop Kommune",
        signed_at=datetime.now(UTC),
        reason="test",
        location="test",
        config=config,
    )
    assert signed.level == "B-LTA"
    ca = directory / democa.CA_CERT
    return {"pdf": signed.pdf, "extended": pades.extend(signed.pdf, config), "ca": ca, "dir": directory}


def _tampered(pdf: bytes) -> bytes:
    """One byte changed inside the signed range (the header comment: the file still opens)."""
    at = pdf.index(b"ReportLab Generated")
    return pdf[:at] + b"X" + pdf[at + 1 :]


def _signatures(pdf: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)


def _signed_bytes_and_cms(pdf: bytes, embedded) -> tuple[bytes, bytes]:
    from asn1crypto import cms

    start1, length1, start2, length2 = (int(v) for v in embedded.byte_range)
    data = pdf[start1 : start1 + length1] + pdf[start2 : start2 + length2]
    contents = pdf[start1 + length1 : start2].strip(b"<> \r\n")
    der = cms.ContentInfo.load(bytes.fromhex(contents.decode("ascii")), strict=False).dump()  # without padding
    return data, der


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (Debian's poppler-utils) is not installed")
def test_pdfsig_finds_the_cades_signature_valid(lta, tmp_path):
    for name, pdf, expected in (
        ("good.pdf", lta["extended"], "Signature is Valid."),
        ("bad.pdf", _tampered(lta["extended"]), "Signature is Invalid."),
    ):
        path = tmp_path / name
        path.write_bytes(pdf)
        out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60).stdout
        first = out.split("Signature #2")[0]
        assert "ETSI.CAdES.detached" in first
        assert f"Signature Validation: {expected}" in first or (
            expected == "Signature is Invalid." and "Signature is Valid." not in first
        ), out
        assert out.count("Signature #") == 3  # the signature and two document timestamps


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_openssl_verifies_the_cms_and_the_document_timestamps(lta, tmp_path):
    pdf = lta["extended"]
    embedded = _signatures(pdf)
    assert len(embedded) == 3

    def openssl(*args) -> subprocess.CompletedProcess:
        return subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60)

    for number, item in enumerate(embedded):
        data, der = _signed_bytes_and_cms(pdf, item)
        (tmp_path / f"{number}.der").write_bytes(der)
        (tmp_path / f"{number}.bin").write_bytes(data)
        (tmp_path / f"{number}-bad.bin").write_bytes(b"X" + data[1:])
        der_path, data_path, bad_path = (tmp_path / f"{number}{suffix}" for suffix in (".der", ".bin", "-bad.bin"))
        if number == 0:  # the PAdES signature: a detached CMS over the byte ranges
            common = ["cms", "-verify", "-binary", "-inform", "DER", "-in", str(der_path), "-CAfile", str(lta["ca"])]
            common += ["-purpose", "any", "-out", os.devnull, "-content"]
            good, bad = openssl(*common, str(data_path)), openssl(*common, str(bad_path))
            assert good.returncode == 0 and "Verification successful" in good.stderr, good.stderr
        else:  # an archival document timestamp: an RFC 3161 token over the byte ranges
            common = ["ts", "-verify", "-in", str(der_path), "-token_in", "-CAfile", str(lta["ca"]), "-data"]
            good, bad = openssl(*common, str(data_path)), openssl(*common, str(bad_path))
            assert good.returncode == 0 and "Verification: OK" in good.stdout, good.stdout + good.stderr
        assert bad.returncode != 0


def test_pyhankos_etsi_validator_passes_the_lta_signature(lta):
    """pyHanko's AdES (ETSI EN 319 102-1) long-term validation, with only the file's own validation
    data (no fetching): PASSED for the signed and the renewed file, not for a changed one."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.ades.report import AdESPassed
    from pyhanko.sign.validation import ades
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
    from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy
    from pyhanko_certvalidator.registry import SimpleTrustManager

    root = asn1_x509.Certificate.load(pem.unarmor(lta["ca"].read_bytes())[2])
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[root]),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy.from_legacy("hard-fail")),
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    now = datetime.now(UTC)

    def result(pdf: bytes):
        signature = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_regular_signatures[0]
        validation = ades.ades_lta_validation(signature, spec, timing_info=ValidationTimingInfo(now, now, False))
        # a browser test's event loop may still run in this thread (Playwright's sync API)
        return outside_event_loop(lambda: asyncio.run(validation))

    for pdf in (lta["pdf"], lta["extended"]):
        outcome = result(pdf)
        assert outcome.ades_subindic == AdESPassed.OK, outcome.failure_msg
        assert outcome.oldest_evidence_record_timestamp is not None  # the document timestamp chain held
    assert result(_tampered(lta["pdf"])).ades_subindic != AdESPassed.OK


# --- The log: Go's sumdb/note and sumdb/tlog, transparency-dev's cosignature/v1 ----------------


def _go_env(gopath: Path) -> dict:
    return {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": f"{gopath}:/usr/share/gocode",
        "GOFLAGS": "",
        "CGO_ENABLED": "0",
    }


def _go_build(source: Path, output: Path, gopath: Path) -> None:
    built = subprocess.run(
        ["go", "build", "-o", str(output), str(source / "main.go")],
        capture_output=True,
        text=True,
        env=_go_env(gopath),
        timeout=300,
    )
    assert built.returncode == 0, built.stderr


@pytest.fixture(scope="module")
def tlogcheck(tmp_path_factory) -> Path:
    if shutil.which("go") is None or not GO_X_MOD.is_dir():
        pytest.skip("Go and golang.org/x/mod are not installed (apt-get install golang-go golang-golang-x-mod-dev)")
    directory = tmp_path_factory.mktemp("go")
    _go_build(HERE / "interop" / "tlogcheck", directory / "tlogcheck", directory / "gopath")
    return directory / "tlogcheck"


@pytest.fixture(scope="module")
def cosigcheck(tmp_path_factory) -> Path:
    if shutil.which("go") is None or not GO_X_MOD.is_dir():
        pytest.skip("Go and golang.org/x/mod are not installed (apt-get install golang-go golang-golang-x-mod-dev)")
    if shutil.which("git") is None or not Path(FORMATS_REPO).exists():
        pytest.skip(f"no copy of transparency-dev/formats at {FORMATS_REPO} (set TRANSPARENCY_DEV_FORMATS)")
    directory = tmp_path_factory.mktemp("go-formats")
    package = directory / "gopath" / "src" / "github.com" / "transparency-dev" / "formats" / "note"
    package.mkdir(parents=True)
    for name in ("note_cosigv1.go", "note_rfc6962.go", "note_verifier.go"):
        shown = subprocess.run(
            ["git", "--git-dir", FORMATS_REPO, "show", f"{FORMATS_COMMIT}:note/{name}"],
            capture_output=True,
            timeout=60,
        )
        if shown.returncode != 0:
            pytest.skip(f"transparency-dev/formats at {FORMATS_REPO} lacks commit {FORMATS_COMMIT[:12]}")
        (package / name).write_bytes(shown.stdout)
    _go_build(HERE / "interop" / "cosigcheck", directory / "cosigcheck", directory / "gopath")
    return directory / "cosigcheck"


def _run(program: Path, request: dict) -> str:
    done = subprocess.run([str(program)], input=json.dumps(request), capture_output=True, text=True, timeout=60)
    return done.stdout.strip()


def test_go_sumdb_verifies_the_portals_checkpoint_and_proofs(app, published, tlogcheck):
    from app.public import verification as portal
    from app.translog import services as translog

    proof = portal.proof_bundle(published.public_id)
    size = proof["tree_size"]
    assert size >= 2
    item = proof["entries"][-1]
    request = {
        "vkey": translog.verifier_key(),
        "checkpoint": proof["checkpoint"],
        "entry": base64.b64encode(bundle.entry_bytes(item["entry"])).decode(),
        "index": item["index"],
        "audit_path": item["audit_path"],
        "old_size": 1,
        "old_root": base64.b64encode(translog.root_hash(1)).decode(),
        "consistency": [h.hex() for h in translog.consistency_proof(1, size)],
    }
    assert _run(tlogcheck, request) == "ok"
    # each check fails on a tampered input
    body, _signatures_ = note.split(proof["checkpoint"])
    forged = proof["checkpoint"].replace(body, body.replace(f"\n{size}\n", f"\n{size + 1}\n"), 1)
    assert _run(tlogcheck, {**request, "checkpoint": forged}).startswith("checkpoint signature")
    assert _run(tlogcheck, {**request, "index": (item["index"] + 1) % size}).startswith("inclusion")
    other_root = base64.b64encode(bytes(32)).decode()
    assert _run(tlogcheck, {**request, "old_root": other_root}).startswith("consistency")


def test_transparency_dev_verifies_our_cosignatures(cosigcheck):
    log_key = Ed25519PrivateKey.generate()
    text = checkpoints.body("etikdialog.test/log", 7, bytes(range(32)))
    signed = note.sign(text, "etikdialog.test/log", log_key)
    witnesses = [Ed25519PrivateKey.generate() for _ in range(2)]
    names = ["vidne.kl.example", "vidne.avis.example"]
    cosigned = signed + "".join(cosignature.sign(text, n, k) for n, k in zip(names, witnesses, strict=True))
    vkeys = [cosignature.verifier_key(n, k) for n, k in zip(names, witnesses, strict=True)]
    assert _run(cosigcheck, {"checkpoint": cosigned, "witnesses": vkeys}) == "ok"
    # a witness that did not cosign, and a cosignature on another tree, are refused
    stranger = cosignature.verifier_key("vidne.ukendt.example", Ed25519PrivateKey.generate())
    assert _run(cosigcheck, {"checkpoint": cosigned, "witnesses": [*vkeys, stranger]}) != "ok"
    other = checkpoints.body("etikdialog.test/log", 8, bytes(range(32)))
    moved = note.sign(other, "etikdialog.test/log", log_key) + cosignature.sign(text, names[0], witnesses[0])
    assert _run(cosigcheck, {"checkpoint": moved, "witnesses": vkeys[:1]}) != "ok"
