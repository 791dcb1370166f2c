"""The portal's side of the offline check: the findings /verificer shows and the files it offers.

The findings are computed by the same functions as `etikdialog-verify` (`findings`), from the
stored signed PDF, the stored canonical record (re-hashed, never the live rows) and the
transparency log, with the trust roots the portal publishes (/api/v1/signing/roots.pem) and the
log's own key. Needs an app context and the database; the CLI never imports this module.
"""

from __future__ import annotations

import json
import logging
from functools import cache as once

from etikdialog_verify import bundle, findings, merkle
from flask import current_app

from app.addenda import services as addenda
from app.extensions import cache
from app.signing import keys
from app.signoff.canonical import sha256_hex
from app.translog import services as translog
from app.translog import witnessing

log = logging.getLogger(__name__)
FINDINGS_SECONDS = 24 * 3600


def proof_bundle(public_id: str, consistency_from: int | None = None) -> dict | None:
    """The proof file for a record: the latest signed checkpoint, every entry of the record it
    covers and each entry's inclusion proof for that checkpoint; with `consistency_from`, also the
    proof that the log at that size is a prefix of this one, for a reader's saved checkpoint checked
    offline. None while the log has no checkpoint."""
    checkpoint = translog.latest_checkpoint()
    if checkpoint is None:
        return None
    rows = [row for row in translog.entries_of(public_id) if row.leaf_index < checkpoint.tree_size]
    entries = [
        {
            "index": row.leaf_index,
            "entry": json.loads(row.entry),
            "leaf_hash": bytes(row.leaf_hash).hex(),
            "audit_path": [digest.hex() for digest in translog.inclusion_proof(row.leaf_index, checkpoint.tree_size)],
        }
        for row in rows
    ]
    # the checkpoint as served, with the witnesses' cosignatures: a reader can require a quorum
    result = bundle.make(witnessing.served_note(checkpoint), checkpoint.tree_size, entries)
    result["vkey"] = log_key()
    since = _since(rows, consistency_from, checkpoint.tree_size)
    if since is not None:
        result["since"] = since
    if consistency_from is not None and 0 < consistency_from <= checkpoint.tree_size:
        result["consistency_from"] = consistency_from
        result["consistency"] = (
            [digest.hex() for digest in translog.consistency_proof(consistency_from, checkpoint.tree_size)]
            if consistency_from < checkpoint.tree_size
            else []
        )
    return result


def _since(rows, consistency_from: int | None, tree_size: int) -> dict | None:
    """Every entry from the record's first one (or the reader's saved checkpoint, if earlier) up to
    the checkpoint, with the tree's edge there: offline, the verifier rebuilds the root from them and
    so sees any entry about the record that a proof file leaves out. Only while it stays small;
    past bundle.MAX_SINCE entries, from the saved checkpoint alone, else not at all."""
    starts = [i for i in (consistency_from, rows[0].leaf_index if rows else None) if i is not None]
    start = min(starts, default=None)
    if start is not None and tree_size - start > bundle.MAX_SINCE:
        start = consistency_from
    if start is None or not 0 <= start <= tree_size or tree_size - start > bundle.MAX_SINCE:
        return None
    ranges = merkle.peaks(start)
    stored = translog.perfect_hashes(ranges)
    return {
        "size": start,
        "edge": [stored[r].hex() for r in ranges],
        "entries": [
            {"index": row.leaf_index, "entry": json.loads(row.entry)} for row in translog.entries(start, tree_size)
        ],
    }


def log_key() -> str | None:
    """The log's verifier key (what /api/v1/log/key gives), or None without a configured key."""
    try:
        return translog.verifier_key()
    except translog.LogKeyMissing:
        return None


def roots_pem() -> bytes:
    return keys.roots_pem(current_app.config)


_UNSIGNED_BEFORE = findings.note(
    findings._l(
        "Vurderingen blev underskrevet, før Etikdialog gav PDF-filerne en digital underskrift. "
        "PDF-filen kontrolleres med sin kontrolsum (SHA-256) og loggen."
    )
)
# Notes that state a value to read, not something to weigh: the page shows them without a warning
# mark, which is kept for what needs attention (issue 34). The verifier's own words, compared as text.
FACTS = frozenset({"Filens SHA-256: %(sha256)s", "Postens SHA-256 (dens identitet): %(sha256)s"})


def mark(finding) -> str:
    """How the page marks a finding: ok, fejl, note (needs attention) or fakta (a value)."""
    if finding.ok is None:
        return "fakta" if str(finding.message) in FACTS else "note"
    return "ok" if finding.ok else "fejl"


FINDINGS_VERSION = "1"  # bump when the kept findings' shape or the verifier's words change


def findings_key(pdf_sha256: str, record_sha256: str, roots_sha256: str) -> str:
    return f"verificer:{FINDINGS_VERSION}:{findings_build()}:{pdf_sha256}:{record_sha256}:{roots_sha256}"


@once
def findings_build() -> str:
    """The verifier package's version: a deploy that changes its words or checks keys anew."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("etikdialog-verify")
    except PackageNotFoundError:
        return "0"


def _signed_findings(pdf: bytes, record_json: bytes, roots: bytes) -> tuple[list, findings.SignatureFacts, object]:
    """The signature's and the record's findings. They depend only on these bytes, so they are
    kept by the bytes' hashes (the PDF's SHA-256 first) in the shared cache (app.extensions.cache:
    Redis when CACHE_URL points there, so every worker and instance checks a PDF once; otherwise
    per process), for a day, since a certificate's standing can change. A stored record that
    changes gets new hashes, and is checked again (a PAdES validation plus reading the PDF's text
    cost ~0.2 s). A cache that fails costs the reader nothing but the time of the check."""
    key = findings_key(sha256_hex(pdf), sha256_hex(record_json), sha256_hex(roots))
    try:
        cached = cache.get(key)
    except Exception:  # Redis gone: check afresh
        log.warning("verification cache not readable", exc_info=True)
        cached = None
    if cached is None:
        try:
            found, signature = findings.check_signature(pdf, roots)
        except findings.Stop as stop:  # the portal has no trust roots configured
            found, signature = [stop.finding], findings.SignatureFacts(sha256=sha256_hex(pdf))
        try:
            record = findings.read_record(record_json)
            found = found + findings.check_record(pdf, record)
        except findings.Stop as stop:
            found, record = found + [stop.finding], None
        cached = (found, signature, record)
        try:
            cache.set(key, cached, timeout=FINDINGS_SECONDS)
        except Exception:
            log.warning("verification cache not writable", exc_info=True)
    found, signature, record = cached
    return list(found), signature, record


def findings_for(frozen) -> list[findings.Finding]:
    """What a citizen would find checking this signed record offline with the portal's files."""
    found, signature, record = _signed_findings(bytes(frozen.pdf), frozen.canonical_json.encode("utf-8"), roots_pem())
    if frozen.pdf_signature_level is None:  # frozen before PDFs were signed: its hash is what holds
        found = [_UNSIGNED_BEFORE if f.message == findings.NO_SIGNATURE else f for f in found]
    if record is None:
        return found
    public_id = record.record.get("public_id")
    proof, vkey = proof_bundle(public_id), log_key()
    if proof is None or vkey is None:
        return found + [
            findings.failed(findings.EXIT_LOG, findings._l("Loggen har endnu intet underskrevet kontrolpunkt."))
        ]
    logged, facts = findings.check_log(
        proof,
        proof["checkpoint"],
        vkey,
        pinned=True,  # the portal's own key; the page shows it for readers to pin
        pdf_sha256=signature.sha256,
        record_sha256=record.sha256,
        public_id=public_id,
        origin=translog.origin(),
    )
    # the addenda after the signature: each re-hashed, linked, its signature checked, and logged
    after = addenda.findings(frozen, record.sha256, public_id, roots_pem(), facts.entries if facts.ok else None)
    return found + logged + after
