"""Sign-off: naming signatories, signing with a fresh password, voiding, freezing the record.

The final PDF is rendered outside the database transaction (ADR 0005): the last signature is
prepared (`sign(..., defer_freeze=True)` returns a `PendingFreeze` holding a plain document), the
caller ends its transaction, and `finish_signoff` renders and then, in one short write, re-checks
that the record's hash has not moved before it stores the signature and the frozen record
together. No write lock is held while ReportLab works, and there is never a complete set of
signatures without its frozen record.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Role, User
from app.assessments import services as assessment_services
from app.assessments import signals, workflow
from app.assessments.models import UNSIGNED_STATUSES, Assessment, Status
from app.audit.models import AuditEvent
from app.audit.services import SYSTEM, record
from app.content.loader import ContentSet
from app.core import metrics
from app.core.formatting import local_number
from app.core.time import utcnow
from app.core.transactions import commit_step
from app.core.urls import public_url
from app.documents.record import attachments as document_attachments
from app.documents.record import record_file_problems
from app.extensions import db
from app.i18n import line
from app.pdf.render import RenderTimeout, render_pdf, unsupported_characters
from app.signing import pades
from app.signing.keys import SigningKeyError
from app.signing.pades import SignedPdf
from app.signoff import canonical, codes
from app.signoff.checks import bounds_problems, current_record, files_total_problems
from app.signoff.models import Signatory, Signature, SignedRecord
from app.signoff.record_checks import record_problems
from app.signoff.signatories import (
    required_signatories,
    signatories,
    valid_signatures,
)

log = logging.getLogger(__name__)

AssessmentError = assessment_services.AssessmentError
NotAllowed = assessment_services.NotAllowed
SIGNER_ROLES = (Role.MEMBER, Role.ADMIN)


class SignRefused(AssessmentError):
    """Signing was refused; the message says why in the reader's language."""


class AlreadySigned(SignRefused):
    """The signer's signature is already stored (a double click, or a retry after an answer that was
    lost): views show the result, not a refusal."""


class WrongPassword(SignRefused):
    def __init__(self):
        super().__init__(_("Adgangskoden er forkert. Underskriften er ikke gemt."))


class RecordChanged(SignRefused):
    """The assessment changed after the signatory opened the page: they must read it again."""

    def __init__(self, events: list[AuditEvent]):
        self.events = events
        super().__init__(_("Vurderingen er ændret, siden du åbnede siden. Læs den igen, før du underskriver."))


class RecordMoved(SignRefused):
    """The record changed while the final PDF was rendered; nothing was stored."""

    def __init__(self):
        super().__init__(
            _(
                "Vurderingen blev ændret, mens PDF'en blev dannet. Din underskrift er ikke gemt. "
                "Læs vurderingen igen, og underskriv igen."
            )
        )


class RenderTooSlow(SignRefused):
    """The PDF render ran past PDF_RENDER_SECONDS and was stopped."""

    def __init__(self, seconds: float, *, final: bool):
        self.seconds = seconds
        if final:
            message = _(
                "PDF'en kunne ikke dannes på %(seconds)s sekunder og blev stoppet. Din underskrift er "
                "ikke gemt. Prøv igen om lidt.",
                seconds=local_number(int(seconds)),
            )
        else:
            message = _(
                "PDF-udkastet kunne ikke dannes på %(seconds)s sekunder og blev stoppet. Prøv igen om lidt.",
                seconds=local_number(int(seconds)),
            )
        super().__init__(message)


class PdfNotSigned(SignRefused):
    """The PDF could not be signed digitally (no usable certificate, or no timestamp); nothing stored."""

    def __init__(self, *, timestamp: bool = False):
        if timestamp:
            message = _("PDF'en kunne ikke få et tidsstempel, og din underskrift er ikke gemt. Prøv igen om lidt.")
        else:
            message = _(
                "Kommunens certifikat til at underskrive PDF'en digitalt mangler eller kan ikke bruges. "
                "Din underskrift er ikke gemt. Kontakt Etikdialogs driftsansvarlige."
            )
        super().__init__(message)


def render_seconds() -> float:
    return float(current_app.config.get("PDF_RENDER_SECONDS", 20))


# --- Signatories ---------------------------------------------------------------------------


def eligible_signers(assessment: Assessment) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id == assessment.organisation_id,
                User.active.is_(True),
                User.role.in_([r.value for r in SIGNER_ROLES]),
            )
            .order_by(User.name)
        )
    )


def name_signatories(assessment: Assessment, user_ids: list[int], *, user: User) -> list[Signatory]:
    """The secretariat names who signs: enough people, at least one who did not create it."""
    assessment_services.require_editor(user)
    if assessment.status not in UNSIGNED_STATUSES:
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
    record(
        "signatories.named",
        line("Underskrivere: %(names)s", names=", ".join(eligible[i].name for i in user_ids)),
        assessment=assessment,
        user=user,
    )
    return named


# --- Signing -------------------------------------------------------------------------------


def void_signatures(assessment: Assessment, reason: str, *, user, keep_hash: str | None = None) -> int:
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
        record(
            "signatures.voided",
            line("%(count)s underskrift(er) er bortfaldet: %(reason)s", count=len(voided), reason=reason),
            assessment=assessment,
            user=user,
            count=len(voided),
        )
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
    signature: Signature | None
    frozen: SignedRecord | None
    pending: PendingFreeze | None = None  # the last signature, prepared: finish_signoff stores it


@dataclass(frozen=True)
class PendingFreeze:
    """Everything the last signature and the frozen record need, as plain data: rendering it
    needs no database, and finish_signoff checks that nothing moved in the meantime."""

    assessment_id: int
    user_id: int
    record_sha256: str
    code: str
    signed_at: datetime
    signature_ids: tuple[int, ...]  # the other valid signatures, in order
    document: dict  # what the renderer takes, this signature included
    authentication: dict | None = None  # a single sign-on signer's fresh login (see sign)


def require_signer(user: User) -> None:
    """Re-checked at the moment of signing: a signatory demoted or deactivated since being named
    no longer signs."""
    if not user.active or user.role not in {r.value for r in SIGNER_ROLES}:
        raise SignRefused(
            _(
                "Du kan ikke underskrive: kun aktive udvalgsmedlemmer og administratorer kan "
                "underskrive. Kontakt sekretariatet."
            )
        )


def sign(
    assessment: Assessment,
    *,
    user: User,
    password: str,
    seen_hash: str,
    seen_at,
    content: ContentSet,
    password_ok,
    defer_freeze: bool = False,
    authentication: dict | None = None,
) -> SignResult:
    """Sign exactly what the signatory saw; the last signature freezes the record.

    password_ok(user, password) -> bool checks the fresh password (and counts failures toward
    the login lock-out); it is passed in so this module stays free of the login machinery.
    With defer_freeze the last signature is only prepared (SignResult.pending): the caller ends
    its transaction and calls finish_signoff, so the PDF renders with no lock held (a request
    uses sign_in_two_steps, which does both). Without it
    (the demo, the command line) everything happens in the caller's transaction.
    ``authentication`` is a single sign-on signer's fresh login at the provider ({"method",
    "provider", "subject", "authenticated_at"}), checked by the caller in place of a password:
    it is stored with the signature and listed in the PDF.
    """
    if user.id not in {s.user_id for s in signatories(assessment)}:
        raise NotAllowed(_("Du er ikke udpeget som underskriver."))
    require_signer(user)
    assessment_services.lock(assessment)
    _require_awaiting(assessment, user)
    if not password_ok(user, password):
        raise WrongPassword()
    snapshot, record_sha256 = current_record(assessment, content)
    if seen_hash != record_sha256:
        raise RecordChanged(changes_since(assessment, seen_at) if seen_at else [])
    problems = bounds_problems(snapshot)
    if problems:
        raise SignRefused(" ".join([_("Vurderingen er for stor til PDF'en og kan ikke underskrives."), *problems]))
    problems = files_total_problems(snapshot)
    if problems:
        raise SignRefused(" ".join(problems))
    problems = record_file_problems(snapshot)  # a file stored before the upload check existed
    if problems:
        first = _("Vurderingen kan ikke underskrives, før filen er erstattet. Send den tilbage til drøftelse først.")
        raise SignRefused(" ".join([first, *problems]))
    problems = record_problems(snapshot)  # consistency findings explained, the vote adds up (issue 28)
    if problems:
        raise SignRefused(" ".join(problems))
    void_signatures(assessment, "Vurderingen er ændret efter underskriften", user=SYSTEM, keep_hash=record_sha256)
    others = valid_signatures(assessment, record_sha256)
    if any(s.user_id == user.id for s in others):
        raise AlreadySigned(_("Du har allerede underskrevet denne udgave."))
    signed_at = utcnow()
    if {s.user_id for s in others} | {user.id} >= {s.user_id for s in signatories(assessment)}:
        code = unique_code()
        listed = [*signature_list(others), _signature_entry(user.name, user.title, signed_at, authentication)]
        pending = PendingFreeze(
            assessment_id=assessment.id,
            user_id=user.id,
            record_sha256=record_sha256,
            code=code,
            signed_at=signed_at,
            signature_ids=tuple(s.id for s in others),
            authentication=authentication,
            document=pdf_document(
                snapshot,
                record_sha256,
                listed,
                code=code,
                signed_at=signed_at.isoformat(timespec="seconds"),
                draft=False,
            ),
        )
        if defer_freeze:
            return SignResult(None, None, pending)
        return finish_signoff(assessment, pending, user=user, content=content)
    return SignResult(_add_signature(assessment, user, record_sha256, signed_at, authentication), None)


def sign_in_two_steps(assessment: Assessment, *, user: User, content: ContentSet, **arguments) -> SignResult:
    """sign() for a request: the last signature ends the first transaction (what sign() wrote, the
    voided signatures), renders the PDF with no transaction or lock held, and stores the signature
    and the frozen record in a second short one (finish_signoff, ADR 0005). A refusal of the
    second step leaves the first committed, as a failed render did before."""
    result = sign(assessment, user=user, content=content, defer_freeze=True, **arguments)
    if result.pending is None:
        return result
    commit_step()
    return finish_signoff(assessment, result.pending, user=user, content=content)


def signing_closed(assessment: Assessment, user: User) -> SignRefused | None:
    """Why this signatory cannot sign now, said on the signing page before a password or the
    provider's login is asked for (issue 34); None while the assessment awaits signatures.
    AlreadySigned when this signer's signature is in the frozen record (a second click's answer).
    `sign` checks the same again under the lock (_require_awaiting)."""
    if assessment.status == Status.AWAITING_SIGNOFF:
        return None
    frozen = assessment.signed_record
    if frozen is not None and any(s.user_id == user.id for s in valid_signatures(assessment, frozen.json_sha256)):
        return AlreadySigned(_("Din underskrift er allerede gemt, og vurderingen er underskrevet af alle."))
    if assessment.status in (Status.DRAFT, Status.DELIBERATION):
        return SignRefused(
            _(
                "Vurderingen afventer ikke underskrift endnu: den er i status „%(status)s“. Sekretariatet sender "
                "den til underskrift, når drøftelsen er slut. Så kan du underskrive her.",
                status=Status(assessment.status).label,
            )
        )
    return SignRefused(
        _(
            "Vurderingen afventer ikke underskrift: den er i status „%(status)s“.",
            status=Status(assessment.status).label,
        )
    )


def _require_awaiting(assessment: Assessment, user: User) -> None:
    """After the lock: the assessment still awaits signatures. If it does not because this signer's
    signature completed it (the first of two clicks froze the record), say so as the result."""
    if assessment.status == Status.AWAITING_SIGNOFF:
        return
    frozen = assessment.signed_record
    if frozen is not None and any(s.user_id == user.id for s in valid_signatures(assessment, frozen.json_sha256)):
        raise AlreadySigned(_("Din underskrift er allerede gemt, og vurderingen er underskrevet af alle."))
    raise SignRefused(_("Vurderingen afventer ikke underskrift."))


def _add_signature(
    assessment: Assessment, user: User, record_sha256: str, signed_at: datetime, authentication: dict | None = None
) -> Signature:
    signature = Signature(
        assessment_id=assessment.id,
        user_id=user.id,
        name=user.name,
        title=user.title,
        record_sha256=record_sha256,
        signed_at=signed_at,
    )
    if authentication:
        signature.auth_method = authentication["method"]
        signature.auth_provider = authentication["provider"]
        signature.auth_subject = authentication["subject"]
        signature.authenticated_at = datetime.fromisoformat(authentication["authenticated_at"])
    db.session.add(signature)
    db.session.flush()
    record(
        "signature.added",
        line("%(name)s har underskrevet", name=user.name),
        assessment=assessment,
        user=user,
        record_sha256=record_sha256,
    )
    return signature


def render_final(pending: PendingFreeze) -> SignedPdf:
    """The final PDF from the prepared document, signed digitally as the municipality (PAdES, with
    its signing time = the freeze time): no database, render and signature within PDF_RENDER_SECONDS."""
    seconds = render_seconds()
    started = time.monotonic()
    try:
        with metrics.timed("pdf_render"):
            pdf = render_pdf(pending.document, time_limit=seconds)
    except RenderTimeout:
        log.warning("Final PDF of assessment %s stopped after %s s", pending.assessment_id, seconds)
        raise RenderTooSlow(seconds, final=True) from None
    record = pending.document["record"]
    municipality = record["organisation"]
    try:
        with metrics.timed("pdf_signing"):
            return pades.sign_document(
                pdf,
                slug=municipality["slug"],
                municipality_name=municipality["name"],
                signed_at=pending.signed_at,
                reason=signature_reason(record, pending.document["signatures"]),
                location=municipality["name"],
                timeout=max(1.0, seconds - (time.monotonic() - started)),
            )
    except SigningKeyError:
        log.exception("No usable signing certificate for %s", municipality["slug"])
        raise PdfNotSigned() from None
    except pades.TimestampFailed:
        log.exception("The timestamp service did not answer for assessment %s", pending.assessment_id)
        raise PdfNotSigned(timestamp=True) from None


def signature_reason(record: dict, signatures: list[dict]) -> str:
    """The PDF signature's reason: which assessment, signed by whom (the record's own words)."""
    names = [s["name"] for s in signatures]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1] if names else ""
    version = record.get("version_number") or 1
    return f"Etisk vurdering »{record.get('title', '')}« ({record.get('public_id', '')}, version {version}), underskrevet af {who}"


def finish_signoff(assessment: Assessment, pending: PendingFreeze, *, user: User, content: ContentSet) -> SignResult:
    """Render the prepared PDF, then store the last signature and the frozen record in one short write.

    Call it with no transaction open when the render should hold no lock: it renders before it
    touches the database. It refuses (RecordMoved) if the record's hash, its signatures or its
    signatories moved while the PDF was rendered."""
    signed_pdf = render_final(pending)
    if user.id != pending.user_id or assessment.id != pending.assessment_id:
        raise NotAllowed(_("Du er ikke udpeget som underskriver."))
    require_signer(user)
    assessment_services.lock(assessment)
    _require_awaiting(assessment, user)
    _snapshot, record_sha256 = current_record(assessment, content)
    others = valid_signatures(assessment, record_sha256)
    named = {s.user_id for s in signatories(assessment)}
    if (
        record_sha256 != pending.record_sha256
        or tuple(s.id for s in others) != pending.signature_ids
        or not {s.user_id for s in others} | {user.id} >= named
    ):
        raise RecordMoved()
    signature = _add_signature(assessment, user, record_sha256, pending.signed_at, pending.authentication)
    frozen = freeze(assessment, pending, signed_pdf, [*others, signature])
    return SignResult(signature, frozen)


# --- Freezing ------------------------------------------------------------------------------


def _signature_entry(name: str, title: str, signed_at: datetime, authentication: dict | None = None) -> dict:
    """One signature as the PDF and signatures_json list it; a single sign-on signature also says
    where and when the signer authenticated (a password signature has no such key, as before)."""
    entry: dict[str, object] = {"name": name, "title": title, "signed_at": signed_at.isoformat(timespec="seconds")}
    if authentication:
        entry["authentication"] = dict(authentication)
    return entry


def _authentication(signature: Signature) -> dict | None:
    if not signature.auth_method or signature.auth_method == "password":
        return None
    at = signature.authenticated_at
    return {
        "method": signature.auth_method,
        "provider": signature.auth_provider,
        "subject": signature.auth_subject,
        "authenticated_at": at.isoformat(timespec="seconds") if at else None,
    }


def signature_list(signatures: list[Signature]) -> list[dict]:
    return [_signature_entry(s.name, s.title, s.signed_at, _authentication(s)) for s in signatures]


def verify_url(code: str) -> str:
    """The address frozen into the PDF and its QR code: on PUBLIC_BASE_URL, never the request's Host."""
    return public_url("public.verify", kode=code)


def pdf_document(
    snapshot: dict, record_sha256: str, signatures: list[dict], *, code: str | None, signed_at: str | None, draft: bool
) -> dict:
    """The plain dict the PDF renderer takes; it never sees the database. The uploaded files the
    record names come along as bytes (attachments), to be embedded in the PDF."""
    return {
        "record": snapshot,
        "attachments": document_attachments(snapshot),
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


def freeze(
    assessment: Assessment, pending: PendingFreeze, signed_pdf: SignedPdf, signatures: list[Signature]
) -> SignedRecord:
    """Status signed, canonical JSON and hash, the digitally signed PDF and its hash, verification
    code: one short write. pdf_sha256 is the hash of the signed bytes, as served and logged."""
    pdf = signed_pdf.pdf
    snapshot = pending.document["record"]
    signed = signature_list(signatures)
    if signed != pending.document["signatures"]:  # the PDF lists exactly the stored signatures
        raise RecordMoved()
    frozen = SignedRecord(
        assessment_id=assessment.id,
        schema_version=canonical.SCHEMA_VERSION,
        canonical_json=canonical.canonical_bytes(snapshot).decode("utf-8"),
        json_sha256=pending.record_sha256,
        pdf=pdf,
        pdf_sha256=canonical.sha256_hex(pdf),
        verification_code=pending.code,
        signed_at=pending.signed_at,
        signatures_json=json.dumps(signed, ensure_ascii=False, sort_keys=True),
        pdf_signature_level=signed_pdf.level,
        pdf_certificate_sha256=signed_pdf.certificate_sha256,
        pdf_certificate_subject=signed_pdf.certificate_subject[:300],
    )
    db.session.add(frozen)
    db.session.flush()
    assessment_services.transition(assessment, "complete_signoff", user=SYSTEM, record_sha256=pending.record_sha256)
    record(
        "record.frozen",
        line("Vurderingen er underskrevet og låst (kode %(code)s)", code=pending.code),
        assessment=assessment,
        user=SYSTEM,
        verification_code=pending.code,
        json_sha256=pending.record_sha256,
        pdf_sha256=frozen.pdf_sha256,
        pdf_signature=signed_pdf.level,
        pdf_certificate_sha256=signed_pdf.certificate_sha256,
    )
    signals.logged.send(assessment, kind="signed", frozen=frozen, at=frozen.signed_at)  # the public log
    return frozen


class DraftCache:
    """Rendered drafts by what they show (record hash and signatures): bounded in entries and bytes,
    per process, least recently used first out."""

    def __init__(self, entries: int = 32, max_bytes: int = 64 * 1024 * 1024):
        self.entries = entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            pdf = self._items.get(key)
            if pdf is not None:
                self._items.move_to_end(key)
            return pdf

    def put(self, key: str, pdf: bytes) -> None:
        if len(pdf) > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = pdf
            self._bytes += len(pdf)
            while len(self._items) > self.entries or self._bytes > self.max_bytes:
                _key, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


DRAFT_CACHE = DraftCache()


@dataclass
class DraftPdf:
    pdf: bytes
    cached: bool
    unsupported: list[str] = field(default_factory=list)  # characters no font has: drawn as "�"


def draft_pdf(assessment: Assessment, content: ContentSet) -> DraftPdf:
    """A watermarked draft from any state, never stored in the database; cached by what it shows."""
    snapshot, record_sha256 = current_record(assessment, content)
    signatures = signature_list(valid_signatures(assessment, record_sha256))
    key = canonical.sha256_hex(canonical.canonical_bytes({"record": record_sha256, "signatures": signatures}))
    unsupported = unsupported_characters({"record": snapshot, "signatures": signatures})
    cached = DRAFT_CACHE.get(key)
    if cached is not None:
        return DraftPdf(cached, True, unsupported)
    document = pdf_document(snapshot, record_sha256, signatures, code=None, signed_at=None, draft=True)
    seconds = render_seconds()
    try:
        pdf = render_pdf(document, time_limit=seconds)
    except RenderTimeout:
        log.warning("Draft PDF of %s stopped after %s s", assessment.public_id, seconds)
        raise RenderTooSlow(seconds, final=False) from None
    DRAFT_CACHE.put(key, pdf)
    return DraftPdf(pdf, False, unsupported)


# --- Listening to the assessment (connected in create_app) ----------------------------------


def void_on_change(assessment: Assessment, *, user, reason: str) -> None:
    """assessments.signals.changed: a change while awaiting sign-off voids what was signed."""
    if assessment.status == Status.AWAITING_SIGNOFF:
        void_signatures(assessment, reason, user=user)


def void_on_return(assessment: Assessment, *, step: workflow.Transition, user, **_arguments) -> None:
    """assessments.signals.transitioning: sending it back to deliberation voids the signatures."""
    if step.voids_signatures:
        void_signatures(assessment, "Vurderingen er sendt tilbage til drøftelse", user=user)


# --- Tamper evidence -----------------------------------------------------------------------
# One check for `flask verify`, /verificer and the public page: app/signoff/integrity.py.
from app.signoff.integrity import Integrity, check_integrity, verify_all  # noqa: E402, F401
