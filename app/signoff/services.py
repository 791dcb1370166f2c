"""Sign-off: naming signatories, signing with a fresh password, voiding, freezing the record."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Role, User
from app.assessments import services as assessment_services
from app.assessments import workflow
from app.assessments.models import Assessment, Status
from app.audit.models import AuditEvent
from app.audit.services import record
from app.content.loader import ContentSet
from app.core.time import utcnow
from app.extensions import db
from app.signoff import canonical, codes
from app.signoff.models import Signatory, Signature, SignedRecord

AssessmentError = assessment_services.AssessmentError
NotAllowed = assessment_services.NotAllowed
SIGNER_ROLES = (Role.MEMBER, Role.ADMIN)


class SignRefused(AssessmentError):
    """Signing was refused; the message says why in the reader's language."""


class WrongPassword(SignRefused):
    def __init__(self):
        super().__init__(_("Adgangskoden er forkert. Underskriften er ikke gemt."))


class RecordChanged(SignRefused):
    """The assessment changed after the signatory opened the page: they must read it again."""

    def __init__(self, events: list[AuditEvent]):
        self.events = events
        super().__init__(
            _("Vurderingen er ændret, siden du åbnede siden. Læs den igen, før du underskriver.")
        )


def required_signatories() -> int:
    return int(current_app.config.get("SIGNATORIES_REQUIRED", 2))


# --- Signatories ---------------------------------------------------------------------------


def signatories(assessment: Assessment) -> list[Signatory]:
    return list(
        db.session.scalars(
            select(Signatory).where(Signatory.assessment_id == assessment.id).order_by(Signatory.position)
        )
    )


def eligible_signers(assessment: Assessment) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == assessment.organisation_id, User.active.is_(True),
                   User.role.in_([r.value for r in SIGNER_ROLES]))  # fmt: skip
            .order_by(User.name)
        )
    )


def name_signatories(assessment: Assessment, user_ids: list[int], *, user: User) -> list[Signatory]:
    """The secretariat names who signs: enough people, at least one who did not create it."""
    assessment_services.require_editor(user)
    if assessment.status not in (Status.DRAFT, Status.DELIBERATION, Status.AWAITING_SIGNOFF):
        raise assessment_services.NotEditable(assessment)
    user_ids = list(dict.fromkeys(user_ids))
    eligible = {u.id: u for u in eligible_signers(assessment)}
    unknown = [i for i in user_ids if i not in eligible]
    if unknown:
        raise AssessmentError(_("Kun aktive udvalgsmedlemmer og administratorer fra kommunen kan underskrive."))
    needed = required_signatories()
    if len(user_ids) < needed:
        raise AssessmentError(_("Vælg mindst %(number)s underskrivere.", number=needed))
    if all(i == assessment.created_by_id for i in user_ids):
        raise AssessmentError(_("Mindst én underskriver må ikke være den, der oprettede vurderingen."))
    current = signatories(assessment)
    if [s.user_id for s in current] == user_ids:
        return current
    for signatory in current:
        db.session.delete(signatory)
    db.session.flush()
    named = [Signatory(assessment_id=assessment.id, user_id=i, position=n) for n, i in enumerate(user_ids)]
    db.session.add_all(named)
    db.session.flush()
    db.session.expire(assessment)
    void_signatures(assessment, "Underskriverne er ændret", user=user)
    record("signatories.named", "Underskrivere: " + ", ".join(eligible[i].name for i in user_ids),
           assessment=assessment, user=user)  # fmt: skip
    return named


def _signatories_section(assessment: Assessment) -> list[dict]:
    return [{"name": s.user.name, "title": s.user.title} for s in signatories(assessment)]


canonical.SECTIONS["signatories"] = _signatories_section


@workflow.precondition("signatories_named")
def _signatories_named(assessment: Assessment, **_arguments) -> list[str]:
    named = signatories(assessment)
    needed = required_signatories()
    if len(named) < needed:
        return [_("Der skal være udpeget mindst %(number)s underskrivere.", number=needed)]
    if all(s.user_id == assessment.created_by_id for s in named):
        return [_("Mindst én underskriver må ikke være den, der oprettede vurderingen.")]
    return []


# --- Signing -------------------------------------------------------------------------------


def current_record(assessment: Assessment, content: ContentSet) -> tuple[dict, str]:
    snapshot = canonical.snapshot(assessment, content=content)
    return snapshot, canonical.record_hash(snapshot)


def valid_signatures(assessment: Assessment, record_sha256: str) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature)
            .where(Signature.assessment_id == assessment.id, Signature.voided_at.is_(None),
                   Signature.record_sha256 == record_sha256)  # fmt: skip
            .order_by(Signature.signed_at, Signature.id)
        )
    )


def void_signatures(assessment: Assessment, reason: str, *, user: User | None, keep_hash: str | None = None) -> int:
    """Void every signature (or every one not on keep_hash): any change voids what was signed."""
    query = select(Signature).where(Signature.assessment_id == assessment.id, Signature.voided_at.is_(None))
    if keep_hash:
        query = query.where(Signature.record_sha256 != keep_hash)
    voided = list(db.session.scalars(query))
    for signature in voided:
        signature.voided_at = utcnow()
        signature.void_reason = reason[:300]
    if voided:
        db.session.flush()
        record("signatures.voided", f"{len(voided)} underskrift(er) er bortfaldet: {reason}",
               assessment=assessment, user=user, count=len(voided))  # fmt: skip
    return len(voided)


def changes_since(assessment: Assessment, since) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.assessment_id == assessment.id, AuditEvent.created_at >= since)
            .order_by(AuditEvent.id)
        )
    )


@dataclass
class SignResult:
    signature: Signature
    frozen: SignedRecord | None


def sign(
    assessment: Assessment, *, user: User, password: str, seen_hash: str, seen_at, content: ContentSet,
    password_ok,
) -> SignResult:  # fmt: skip
    """Sign exactly what the signatory saw; the last signature freezes the record.

    password_ok(user, password) -> bool checks the fresh password (and counts failures toward
    the login lock-out); it is passed in so this module stays free of the login machinery.
    """
    if user.id not in {s.user_id for s in signatories(assessment)}:
        raise NotAllowed(_("Du er ikke udpeget som underskriver."))
    assessment_services.lock(assessment)
    if assessment.status != Status.AWAITING_SIGNOFF:
        raise SignRefused(_("Vurderingen afventer ikke underskrift."))
    if not password_ok(user, password):
        raise WrongPassword()
    snapshot, record_sha256 = current_record(assessment, content)
    if seen_hash != record_sha256:
        raise RecordChanged(changes_since(assessment, seen_at) if seen_at else [])
    void_signatures(assessment, "Vurderingen er ændret efter underskriften", user=None, keep_hash=record_sha256)
    if any(s.user_id == user.id for s in valid_signatures(assessment, record_sha256)):
        raise SignRefused(_("Du har allerede underskrevet denne udgave."))
    signature = Signature(
        assessment_id=assessment.id, user_id=user.id, name=user.name, title=user.title,
        record_sha256=record_sha256, signed_at=utcnow(),
    )  # fmt: skip
    db.session.add(signature)
    db.session.flush()
    record("signature.added", f"{user.name} har underskrevet", assessment=assessment, user=user,
           record_sha256=record_sha256)  # fmt: skip
    frozen = None
    valid = valid_signatures(assessment, record_sha256)
    if {s.user_id for s in valid} >= {s.user_id for s in signatories(assessment)}:
        frozen = freeze(assessment, snapshot, record_sha256, valid)
    return SignResult(signature, frozen)


# --- Freezing ------------------------------------------------------------------------------


def signature_list(signatures: list[Signature]) -> list[dict]:
    return [
        {"name": s.name, "title": s.title, "signed_at": s.signed_at.isoformat(timespec="seconds")}
        for s in signatures
    ]


def verify_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/verificer?kode={code}"


def pdf_document(snapshot: dict, record_sha256: str, signatures: list[dict], *, code: str | None,
                 signed_at: str | None, draft: bool) -> dict:  # fmt: skip
    """The plain dict the PDF renderer takes; it never sees the database."""
    return {
        "record": snapshot,
        "record_sha256": record_sha256,
        "signatures": signatures,
        "verification_code": code,
        "signed_at": signed_at,
        "verify_url": verify_url(code) if code else None,
        "draft": draft,
    }


def unique_code() -> str:
    for _attempt in range(20):
        code = codes.new_code()
        if not db.session.scalar(select(SignedRecord.id).where(SignedRecord.verification_code == code)):
            return code
    raise RuntimeError("Could not find a free verification code")  # 32^12 codes: never in practice


def freeze(assessment: Assessment, snapshot: dict, record_sha256: str, signatures: list[Signature]) -> SignedRecord:
    """One transaction: status signed, canonical JSON and hash, PDF and hash, verification code."""
    from app.pdf.render import render_pdf

    code = unique_code()
    signed_at = max(s.signed_at for s in signatures)
    signed = signature_list(signatures)
    pdf = render_pdf(pdf_document(snapshot, record_sha256, signed, code=code,
                                  signed_at=signed_at.isoformat(timespec="seconds"), draft=False))  # fmt: skip
    frozen = SignedRecord(
        assessment_id=assessment.id,
        schema_version=canonical.SCHEMA_VERSION,
        canonical_json=canonical.canonical_bytes(snapshot).decode("utf-8"),
        json_sha256=record_sha256,
        pdf=pdf,
        pdf_sha256=canonical.sha256_hex(pdf),
        verification_code=code,
        signed_at=signed_at,
        signatures_json=json.dumps(signed, ensure_ascii=False, sort_keys=True),
    )
    db.session.add(frozen)
    db.session.flush()
    assessment_services.transition(assessment, "complete_signoff", user=None, record_sha256=record_sha256)
    record("record.frozen", f"Vurderingen er underskrevet og låst (kode {code})", assessment=assessment,
           user=None, verification_code=code, json_sha256=record_sha256, pdf_sha256=frozen.pdf_sha256)  # fmt: skip
    return frozen


def draft_pdf(assessment: Assessment, content: ContentSet) -> bytes:
    """A watermarked draft from any state, rendered on request and never stored."""
    from app.pdf.render import render_pdf

    snapshot, record_sha256 = current_record(assessment, content)
    signatures = signature_list(valid_signatures(assessment, record_sha256))
    return render_pdf(pdf_document(snapshot, record_sha256, signatures, code=None, signed_at=None, draft=True))


@workflow.precondition("all_signed")
def _all_signed(assessment: Assessment, record_sha256: str | None = None, **_arguments) -> list[str]:
    signed = {s.user_id for s in valid_signatures(assessment, record_sha256)} if record_sha256 else set()
    missing = [s.user.name for s in signatories(assessment) if s.user_id not in signed]
    return [_("Mangler underskrift fra: %(names)s.", names=", ".join(missing))] if missing else []


def _void_on_change(assessment: Assessment, *, user, reason: str) -> None:
    if assessment.status == Status.AWAITING_SIGNOFF:
        void_signatures(assessment, reason, user=user)


assessment_services.CHANGE_HOOKS.append(_void_on_change)


def _void_on_return(assessment: Assessment, step: workflow.Transition, *, user, **_arguments) -> None:
    if step.voids_signatures:
        void_signatures(assessment, "Vurderingen er sendt tilbage til drøftelse", user=user)


assessment_services.TRANSITION_HOOKS.append(_void_on_return)


# --- Tamper evidence -----------------------------------------------------------------------


@dataclass
class Integrity:
    record: SignedRecord
    json_ok: bool
    pdf_ok: bool

    @property
    def ok(self) -> bool:
        return self.json_ok and self.pdf_ok


def check_integrity(frozen: SignedRecord) -> Integrity:
    """Re-hash the stored JSON and PDF and compare with the hashes stored beside them."""
    json_ok = canonical.sha256_hex(frozen.canonical_json.encode("utf-8")) == frozen.json_sha256
    pdf_ok = canonical.sha256_hex(frozen.pdf) == frozen.pdf_sha256
    return Integrity(frozen, json_ok, pdf_ok)


def verify_all():
    """Every frozen record's integrity, one at a time so memory stays flat."""
    ids = db.session.scalars(select(SignedRecord.id).order_by(SignedRecord.id)).all()
    for record_id in ids:
        frozen = db.session.get(SignedRecord, record_id)
        yield check_integrity(frozen)
        db.session.expunge(frozen)
