"""Is what the portal shows as signed still what was signed?

The stored canonical JSON and PDF are checked against their stored hashes. Every row derived
from the record (the publication's title, municipality and other listing columns, the signature
list, the action plan the follow-up log hangs on) is checked against the record itself, because
no hash covers those rows. `flask verify`, /verificer and the public page all ask here.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from app.assessments.models import Action
from app.core.wiring import contributions
from app.extensions import db
from app.signoff import canonical
from app.signoff.models import SignedRecord


@dataclass
class Integrity:
    record: SignedRecord
    json_ok: bool
    pdf_ok: bool
    mismatches: list[str] = field(default_factory=list)  # derived rows that disagree with the record
    content: dict | None = None  # the record parsed from the JSON just checked (None when json_ok is False)

    @property
    def ok(self) -> bool:
        return self.json_ok and self.pdf_ok and not self.mismatches


def json_intact(frozen: SignedRecord) -> bool:
    return canonical.sha256_hex(frozen.canonical_json.encode("utf-8")) == frozen.json_sha256


def signed_content(frozen: SignedRecord) -> dict | None:
    """The signed record as a dict, or None when the stored JSON no longer matches its hash."""
    return json.loads(frozen.canonical_json) if json_intact(frozen) else None


def check_integrity(frozen: SignedRecord, *, pdf: bool = True, publication=None) -> Integrity:
    """Re-hash the stored JSON (and PDF, unless pdf=False) and compare every derived row with it.
    A caller that has the record's publication row already passes it, and it is not read again."""
    record = signed_content(frozen)
    pdf_ok = canonical.sha256_hex(bytes(frozen.pdf)) == frozen.pdf_sha256 if pdf else True
    mismatches = derived_mismatches(frozen, record, publication=publication) if record is not None else []
    return Integrity(frozen, record is not None, pdf_ok, mismatches, record)


# --- Rows derived from the record --------------------------------------------------------------


def _stored_signatures(frozen: SignedRecord) -> list[dict]:
    try:
        signatures = json.loads(frozen.signatures_json)
    except ValueError:
        return []
    return signatures if isinstance(signatures, list) else []


def signer_list(record: dict, frozen: SignedRecord) -> list[dict]:
    """Who signed, as the hashed record names them (in its order), each with the time stored
    for their signature; a name the record does not hold is never shown as a signer."""
    times: dict[tuple, list] = {}
    for signature in _stored_signatures(frozen):
        if isinstance(signature, dict):
            times.setdefault((signature.get("name"), signature.get("title")), []).append(signature.get("signed_at"))
    signers = []
    for signer in record.get("signatories", []):
        stored = times.get((signer["name"], signer["title"])) or [None]
        signers.append({"name": signer["name"], "title": signer["title"], "signed_at": stored.pop(0)})
    return signers


def _signature_mismatches(frozen: SignedRecord, record: dict) -> list[str]:
    stored = [s for s in _stored_signatures(frozen) if isinstance(s, dict)]
    named = Counter((s["name"], s["title"]) for s in record.get("signatories", []))
    wrong = []
    if Counter((s.get("name"), s.get("title")) for s in stored) != named:
        wrong.append("signed_record.signatures_json")
    if stored and max(str(s.get("signed_at")) for s in stored) != frozen.signed_at.isoformat(timespec="seconds"):
        wrong.append("signed_record.signed_at")
    return wrong


def plan_rows(assessment) -> list[Action]:
    """The assessment's action rows in the record's order (position, then id): the follow-up log
    hangs on them. Read through the relationship, so the public page loads them once for the
    integrity check and the plan both."""
    return sorted(assessment.actions, key=lambda action: (action.position, action.id))


def action_as_signed(action: Action) -> dict:
    return {
        "description": action.description,
        "owner": action.owner,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "is_condition": action.is_condition,
    }


def _action_mismatches(frozen: SignedRecord, record: dict) -> list[str]:
    signed = [
        {key: item.get(key) for key in ("description", "owner", "due_date", "status", "is_condition")}
        for item in record.get("actions", [])
    ]
    rows = [action_as_signed(a) for a in plan_rows(frozen.assessment)]
    return [] if rows == signed else ["action_item"]


def derived_mismatches(frozen: SignedRecord, record: dict, *, publication=None) -> list[str]:
    """Names of the rows that copy the record and no longer agree with it. The rows of higher
    packages (the publication) are checked by the functions they wire under
    "integrity.derived_rows" (app/wiring.py); a caller's publication row is passed on to them."""
    wrong = []
    if frozen.schema_version != record.get("schema_version"):
        wrong.append("signed_record.schema_version")
    wrong += _signature_mismatches(frozen, record)
    wrong += _action_mismatches(frozen, record)
    for rows_mismatching in contributions("integrity.derived_rows"):
        wrong += rows_mismatching(frozen, record, publication=publication)
    return wrong


def verify_all():
    """Every frozen record's integrity, one at a time so memory stays flat."""
    ids = db.session.scalars(select(SignedRecord.id).order_by(SignedRecord.id)).all()
    for record_id in ids:
        frozen = db.session.get(SignedRecord, record_id)
        if frozen is None:  # deleted since the ids were read
            continue
        yield check_integrity(frozen)
        db.session.expunge(frozen)
