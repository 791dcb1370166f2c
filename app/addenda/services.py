"""Adding a signed addendum to a published record, and reading a record's chain.

An addendum (etikdialog_verify.addendum) names the record's hash and the previous addendum's, is
signed with the municipality's certificate (app/addenda/cms.py) and appended to the transparency
log, all in the caller's transaction: the service flushes and audits, never commits. Two addenda
started at once never fork the chain: the write lock queues them (app/core/transactions.py), each
form carries the chain's length it was written against, so the second is refused with the chain as
it now is and the text it typed, and (record, sequence) is unique in the database as well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from etikdialog_verify import addendum as fmt
from etikdialog_verify import findings as verifier_findings
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.addenda import cms
from app.addenda.models import Addendum
from app.assessments.services import require_editor
from app.audit import services as audit
from app.core.formatting import danish_date
from app.core.time import danish_today, utcnow
from app.core.transactions import write_lock
from app.extensions import db
from app.i18n import line
from app.public.models import Publication
from app.signoff import canonical, integrity
from app.signoff.models import SignedRecord
from app.translog import services as translog

KINDS = fmt.KINDS
OUTCOMES = fmt.OUTCOMES
TEXT_MAX, BODY_MAX, REFERENCE_MAX = fmt.TEXT_MAX, fmt.BODY_MAX, fmt.REFERENCE_MAX


class AddendumError(ValueError):
    """An addendum that cannot be added; the message is Danish, for the person, and `field` names
    the form field it is about (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ChainMoved(AddendumError):
    """Another addendum was added since the form was shown; nothing was added."""


@dataclass
class Draft:
    """What the person typed, before it is checked."""

    kind: str
    event_date: date | None
    outcome: str | None = None
    text: str = ""
    body: str = ""
    condition: int | None = None  # the condition's number among the record's conditions, from 1
    reference: str = ""
    next_review_date: date | None = None


# --- Who may add, and to what ------------------------------------------------------------------


def refusal(publication: Publication | None) -> str | None:
    """Why no addendum can be added to this record now, or None when one can."""
    if publication is None:
        return _("Tillæg kan først tilføjes, når vurderingen er offentliggjort.")
    if publication.is_withdrawn:
        return _("Vurderingen er trukket tilbage, så der kan ikke tilføjes tillæg til den.")
    if publication.replaced_by_id is not None:
        return _("Vurderingen er erstattet af en nyere version. Tilføj tillægget til den nyeste version i stedet.")
    return None


def publication_of(frozen: SignedRecord | None) -> Publication | None:
    if frozen is None:
        return None
    return db.session.scalar(select(Publication).where(Publication.signed_record_id == frozen.id))


def chain(frozen: SignedRecord) -> list[Addendum]:
    return list(
        db.session.scalars(select(Addendum).where(Addendum.signed_record_id == frozen.id).order_by(Addendum.sequence))
    )


def length(frozen: SignedRecord) -> int:
    return db.session.scalar(select(func.count()).where(Addendum.signed_record_id == frozen.id)) or 0


def conditions(record: dict) -> list[str]:
    """The record's conditions (action items marked as conditions), in the record's order."""
    return [a.get("description") or "" for a in record.get("actions", []) if a.get("is_condition")]


def proposal_text(record: dict, name: str) -> str:
    return next((p.get("text") or "" for p in record.get("proposal", []) if p.get("field") == name), "").strip()


def proposal_value(record: dict, name: str):
    return next((p.get("value") for p in record.get("proposal", []) if p.get("field") == name), None)


# --- Adding ----------------------------------------------------------------------------------


def _text(value: str, maximum: int, field: str, *, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise AddendumError(required, field)
    if len(value) > maximum:
        raise AddendumError(_("Højst %(n)s tegn.", n=maximum), field)
    return value


def document_for(draft: Draft, frozen: SignedRecord, record: dict, *, sequence: int, previous: str | None, now) -> dict:
    """The addendum's document from what was typed, every rule checked (AddendumError otherwise)."""
    if draft.kind not in KINDS:
        raise AddendumError(_("Vælg, hvad tillægget handler om."), "kind")
    today = danish_today()
    if draft.event_date is None:
        raise AddendumError(_("Skriv datoen (åååå-mm-dd)."), "event_date")
    if draft.event_date > today:
        raise AddendumError(
            _("Datoen kan ikke ligge efter i dag: et tillæg fortæller, hvad der er sket."), "event_date"
        )
    if draft.event_date.year < 2000:  # a mistyped year (the form's YearRange says the same)
        raise AddendumError(_("Vælg en dato mellem år 2000 og 2100."), "event_date")
    allowed = OUTCOMES[draft.kind]
    outcome = draft.outcome or None
    if allowed and outcome not in allowed:
        raise AddendumError(_("Vælg udfaldet."), "outcome")
    if not allowed:
        outcome = None
    document = {
        "format": fmt.FORMAT,
        "public_id": record["public_id"],
        "record_sha256": frozen.json_sha256,
        "sequence": sequence,
        "previous_sha256": previous,
        "kind": draft.kind,
        "date": draft.event_date.isoformat(),
        "organisation": {"name": record["organisation"]["name"], "slug": record["organisation"]["slug"]},
        "outcome": outcome,
        "text": _text(draft.text, TEXT_MAX, "text", required=_("Skriv, hvad der er sket.")),
        "recorded_at": now.isoformat(timespec="seconds") + "Z",
    }
    if draft.kind == "beslutning":
        document["body"] = _text(draft.body, BODY_MAX, "body", required=_("Skriv, hvem der traf beslutningen."))
    if draft.kind == "betingelse_opfyldt":
        listed = conditions(record)
        if not listed:
            raise AddendumError(_("Vurderingen har ingen betingelser i handlingsplanen."), "condition")
        if draft.condition is None or not 1 <= draft.condition <= len(listed):
            raise AddendumError(_("Vælg den betingelse, der er opfyldt."), "condition")
        document["condition"] = listed[draft.condition - 1][: fmt.CONDITION_MAX]
    if draft.kind == "revurdering" and draft.next_review_date is not None:
        if draft.next_review_date <= draft.event_date:
            raise AddendumError(_("Næste revurdering skal ligge efter revurderingens dato."), "next_review_date")
        document["next_review_date"] = draft.next_review_date.isoformat()
    reference = _text(draft.reference, REFERENCE_MAX, "reference")
    if reference:
        document["reference"] = reference
    wrong = fmt.problems(document)
    if wrong:  # the format's own rules, which the checks above keep; a bug of ours if not
        raise ValueError(f"addendum does not follow {fmt.FORMAT}: {wrong}")
    return document


def add(frozen: SignedRecord, draft: Draft, *, user, expected_length: int | None = None) -> Addendum:
    """Add the addendum to the end of the record's chain: checked, signed, logged and audited;
    flushed, not committed. `expected_length` is the chain's length the person saw (the form's);
    if it has grown since, ChainMoved, and nothing is added."""
    require_editor(user)
    write_lock(f"addendum:{frozen.id}")  # before the reads the decision depends on
    publication = publication_of(frozen)
    if publication is not None:
        db.session.refresh(publication)  # withdrawn or replaced by a request that committed meanwhile
    if publication is not None and publication.assessment.organisation_id != user.organisation_id:
        raise AddendumError(_("Vurderingen findes ikke."))
    reason = refusal(publication)
    if reason:
        raise AddendumError(reason)
    record = integrity.signed_content(frozen)
    if record is None:
        raise AddendumError(_("Den gemte vurdering passer ikke med sin kontrolsum; der kan ikke tilføjes tillæg."))
    existing = chain(frozen)
    if expected_length is not None and expected_length != len(existing):
        raise ChainMoved(
            _("Der er tilføjet et andet tillæg, mens du skrev. Læs det, og send dit igen, hvis det stadig skal med.")
        )
    now = utcnow()
    previous = existing[-1].sha256 if existing else None
    document = document_for(draft, frozen, record, sequence=len(existing) + 1, previous=previous, now=now)
    data = canonical.canonical_bytes(document)
    digest = canonical.sha256_hex(data)
    signed = cms.sign(
        data, slug=document["organisation"]["slug"], municipality_name=document["organisation"]["name"], signed_at=now
    )
    entry = translog.append(translog.addendum_entry(frozen, document, digest, now))
    row = Addendum(
        signed_record_id=frozen.id,
        sequence=document["sequence"],
        kind=document["kind"],
        event_date=draft.event_date,
        document=data.decode("utf-8"),
        sha256=digest,
        signature=signed.der,
        signature_level=signed.level,
        certificate_sha256=signed.certificate_sha256,
        log_index=entry.leaf_index,
        created_at=now,
        created_by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "addendum.added",
        line("Tillæg nr. %(number)s: %(kind)s", number=row.sequence, kind=KINDS[row.kind]),
        assessment=publication.assessment,
        user=user,
        sequence=row.sequence,
        kind=row.kind,
        sha256=digest,
        log_index=entry.leaf_index,
    )
    return row


# --- Reading, for the public page, the API and the verifier -----------------------------------


def served(row: Addendum) -> dict:
    """An addendum as the API and tillaeg.json serve it (etikdialog_verify.addendum's form)."""
    import base64

    return {
        "document": json.loads(row.document),
        "sha256": row.sha256,
        "signature": base64.b64encode(bytes(row.signature)).decode("ascii"),
        "signature_level": row.signature_level,
        "log_index": row.log_index,
    }


def served_chain(frozen: SignedRecord) -> list[dict]:
    return [served(row) for row in chain(frozen)]


@dataclass
class Shown:
    """One addendum as a person reads it."""

    sequence: int
    kind: str
    kind_label: str
    date: date
    outcome_label: str
    document: dict
    sha256: str
    log_index: int
    recorded_at: datetime


@dataclass
class DecisionStatus:
    """The formal decision, worded by the dates: made (its addendum), to be made at a meeting
    still ahead, or due at a meeting that has passed with no decision added."""

    state: str  # "decided", "upcoming", "not_recorded"
    sentence: str
    meeting: date | None = None
    decided: Shown | None = None


@dataclass
class ReviewStatus:
    due: date | None  # when the next review is due (the record's date, or the latest review's next)
    overdue: bool
    reviewed: Shown | None = None  # the latest review addendum


@dataclass
class PublicChain:
    addenda: list[Shown] = field(default_factory=list)
    decision: DecisionStatus | None = None
    review: ReviewStatus | None = None


OVERDUE = "Revurderingen er overskredet"


def _shown(row: Addendum) -> Shown:
    document = json.loads(row.document)
    return Shown(
        sequence=row.sequence,
        kind=row.kind,
        kind_label=KINDS.get(row.kind, row.kind),
        date=date.fromisoformat(document["date"]),
        outcome_label=OUTCOMES.get(row.kind, {}).get(document.get("outcome"), ""),
        document=document,
        sha256=row.sha256,
        log_index=row.log_index,
        recorded_at=row.created_at,
    )


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def decision_status(record: dict, shown: list[Shown], today: date) -> DecisionStatus | None:
    """The formal decision's sentence (Danish; the page translates it). None when the record names
    neither the deciding body nor its meeting and no decision was added."""
    decided = next((s for s in reversed(shown) if s.kind == "beslutning"), None)
    body = proposal_text(record, "decision_body").rstrip(".")
    meeting = _date(proposal_value(record, "decision_meeting_date"))
    if decided is not None:
        who = decided.document.get("body") or body
        sentence = (
            f"Beslutningen blev truffet den {danish_date(decided.date)} af {who}: {decided.outcome_label.lower()}."
        )
        return DecisionStatus("decided", sentence, meeting, decided)
    if meeting is None or record.get("schema_version", 1) < 4:
        return None  # records before schema 4 word the decision as made already (the declaration)
    by = f" af {body}" if body else ""
    if meeting >= today:
        return DecisionStatus("upcoming", f"Beslutningen træffes{by} på mødet den {danish_date(meeting)}.", meeting)
    return DecisionStatus(
        "not_recorded",
        f"Beslutningen skulle træffes{by} på mødet den {danish_date(meeting)}. Kommunen har endnu ikke "
        "tilføjet beslutningen til vurderingen.",
        meeting,
    )


def review_status(record: dict, shown: list[Shown], today: date) -> ReviewStatus:
    """When the review is due and whether it is overdue: the record's review date (signed, so this
    needs no signature), moved on by each review addendum to its next date (or to none)."""
    due = _date((record.get("decision") or {}).get("review_date"))
    reviewed = None
    for item in shown:
        if item.kind == "revurdering":
            reviewed, due = item, _date(item.document.get("next_review_date"))
    return ReviewStatus(due, bool(due and due < today), reviewed)


def public_chain(
    frozen: SignedRecord, record: dict | None, today: date | None = None, *, in_force: bool = True
) -> PublicChain:
    """What the public page and the API show after the signature. A version no longer in force
    (withdrawn, or replaced by a newer one that carries the review on) is never overdue."""
    if record is None:
        return PublicChain()
    today = today or danish_today()
    shown = [_shown(row) for row in chain(frozen)]
    review = review_status(record, shown, today)
    if not in_force:
        review.overdue = False
    return PublicChain(shown, decision_status(record, shown, today), review)


def in_force(publication: Publication) -> bool:
    return not publication.is_withdrawn and publication.replaced_by_id is None


def with_decision(declaration: list, status: DecisionStatus | None) -> list:
    """The declaration (app.assessments.declaration) with its answer on the formal decision worded
    by the dates: its first paragraph, which the signed record words as still to come, becomes the
    status's sentence. Only for records that word it so (schema 4)."""
    if status is None:
        return declaration
    result = []
    for item in declaration:
        if item.key == "decision_place" and item.answer.startswith("Den formelle beslutning træffes"):
            rest = item.answer.split("\n")[1:]
            parts = item.parts
            if parts and not parts[0].question:  # the item's own answer: its first line is the sentence
                first = parts[0]
                parts = (first._replace(text="\n".join([status.sentence, *first.text.split("\n")[1:]])), *parts[1:])
            item = item._replace(answer="\n".join([status.sentence, *rest]), parts=parts)
        result.append(item)
    return result


def api_document(publication: Publication, record: dict | None, today: date | None = None) -> dict:
    """The API detail's part about what came after the signature (Danish, like all open data)."""
    frozen = publication.signed_record
    view = public_chain(frozen, record, today, in_force=in_force(publication))
    decision = view.decision
    review = view.review
    return {
        "addenda": served_chain(frozen),
        "formal_decision": {
            "state": decision.state,
            "text": decision.sentence,
            "meeting_date": decision.meeting.isoformat() if decision.meeting else None,
            "addendum": decision.decided.sequence if decision.decided else None,
        }
        if decision
        else None,
        "review": {
            "due": review.due.isoformat() if review and review.due else None,
            "overdue": bool(review and review.overdue),
            "text": OVERDUE + "." if review and review.overdue else None,
            "addendum": review.reviewed.sequence if review and review.reviewed else None,
        },
    }


def generation_columns() -> list:
    """Changes with every addendum: part of the public page cache's key (app/public/cache.py)."""
    return [select(func.max(Addendum.id)).scalar_subquery()]


# --- Checks: the verifier's, and flask verify's ------------------------------------------------


def findings(frozen: SignedRecord, record_sha256: str, public_id: str, roots_pem: bytes, logged: list[dict] | None):
    """What etikdialog-verify finds about the record's addenda, from the stored rows (never the live
    chain's derived columns): each document re-hashed, linked and its signature checked; with the
    log's proven entries, each registered and none left out."""
    if getattr(frozen, "id", None) is None:  # a record not stored has no addenda
        return []
    served_rows = served_chain(frozen)
    if not served_rows:
        return []
    found = fmt.check_chain(served_rows, record_sha256=record_sha256, public_id=public_id, roots_pem=roots_pem)
    if logged is not None and verifier_findings.exit_code(found) == 0:
        found += fmt.check_logged(served_rows, logged)
    return found


def expected_log_entries():
    """The log entries the stored addenda imply (wired under translog.expected_sources): built from each
    document as stored and re-hashed, so a changed document no longer matches its entry."""
    rows = db.session.execute(
        select(Addendum.document, Addendum.created_at, SignedRecord).join(SignedRecord).order_by(Addendum.id)
    )
    for document_json, created_at, frozen in rows:
        try:
            document = json.loads(document_json)
            digest = canonical.record_hash(document)
            yield translog.addendum_entry(frozen, document, digest, created_at)
        except (ValueError, KeyError, TypeError):
            yield {"unreadable": frozen.id}


def etag_part(frozen: SignedRecord) -> str:
    """What the API detail's ETag needs from here: the chain's length, and the day while the
    review or the decision's wording can change with the date."""
    return f"{length(frozen)}-{danish_today().isoformat()}"
