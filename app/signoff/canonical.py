"""The canonical JSON of an assessment: what signatories sign, what is frozen and published.

Stable key order, UTF-8, no insignificant whitespace, a schema version; the same assessment always
gives the same bytes, so its SHA-256 identifies exactly what was signed.
"""

from __future__ import annotations

import json
from pathlib import Path

from etikdialog_verify.record import canonical_bytes as canonical_bytes  # re-exported: the record's
from etikdialog_verify.record import record_hash as record_hash  # bytes and identity, one rule for
from etikdialog_verify.record import sha256_hex as sha256_hex  # the portal and the verifier
from flask_babel import force_locale

from app.ai.record import ai_section
from app.assessments import consistency
from app.assessments.board import board_section
from app.assessments.declaration import readability_section
from app.assessments.fields import DECISION, QUESTION, REVIEW
from app.assessments.models import STANCES
from app.assessments.proposal import GROUPS, PROPOSAL_FIELDS, display_value
from app.consultation.record import consultation_section
from app.content.provenance import source_label
from app.core.wiring import contributions
from app.documents.record import documents_section
from app.signoff.signatories import signatories_section

# Version 2 (issue 17) added the proposal's effect case, economy, alternatives, automation,
# freedom-restricting technology, trial, formal decision and complaint route, each proposal item's
# group, and the documents. Records signed under version 1 keep their bytes and are validated and
# shown by their own version's schema (README "The signed record").
# Version 3 (issue 20) added the AI screening's proposal fields and the `ai` section (the AI Act
# Article 27 fundamental-rights impact assessment), and room for an optional `reused_from`.
# Version 4 (issue 28) added the board's composition and vote (`board`) and the consistency
# findings the board explained (`consistency`).
SCHEMA_VERSION = 4
SCHEMA_PATHS = {
    1: Path(__file__).with_name("assessment-1.schema.json"),
    2: Path(__file__).with_name("assessment-2.schema.json"),
    3: Path(__file__).with_name("assessment-3.schema.json"),
    4: Path(__file__).with_name("assessment.schema.json"),
}
SCHEMA_PATH = SCHEMA_PATHS[SCHEMA_VERSION]


def snapshot(assessment, *, content=None) -> dict:
    """A plain dict of everything the board decided; built from the database, used everywhere else.

    Always in Danish, whatever language the person asking reads: the record is what is signed.
    The JSON round trip turns the interface's lazy labels into plain Danish strings."""
    with force_locale("da"):
        return json.loads(json.dumps(_snapshot(assessment, content=content), default=str))


def _snapshot(assessment, *, content=None) -> dict:
    categories = {t.id: t.title for t in content.technologies} if content else {}
    areas = {a.id: a.title for a in content.sector_areas} if content else {}
    dilemma_numbers = {d.id: d.number for d in content.dilemmas} if content else {}
    proposal = []
    for spec in PROPOSAL_FIELDS:
        value = getattr(assessment, spec.name)
        if spec.name == "technology_category":
            shown = categories.get(value, value or "")
        elif spec.name == "sector_area":
            shown = areas.get(value, value or "")
        else:
            shown = display_value(spec, value)
        proposal.append(
            {
                "field": spec.name,
                "group": spec.group,
                "group_title": GROUPS[spec.group],
                "label": spec.label,
                "value": _plain(value),
                "text": shown,
            }
        )
    record = {
        "schema_version": SCHEMA_VERSION,
        "public_id": assessment.public_id,
        "version_number": assessment.version_number,
        "previous_public_id": assessment.previous.public_id if assessment.previous else None,
        "organisation": {"name": assessment.organisation.name, "slug": assessment.organisation.slug},
        "title": assessment.title,
        "content_version": assessment.content_version,
        "technology": {
            "name": assessment.technology_name,
            "category": assessment.technology_category,
            "category_title": categories.get(assessment.technology_category, assessment.technology_category),
            "area": assessment.sector_area,
            "area_title": areas.get(assessment.sector_area, assessment.sector_area),
        },
        "proposal": proposal,
        "questions": [
            {
                "id": q.question_id,
                "kind": q.kind,
                "group_id": q.group_id,
                "group_title": q.group_title,
                "text": q.text,
                "explanation": q.explanation,
                "discussion": q.discussion,
                "answer": q.answer,
                "concern": q.concern,
                "concern_label": QUESTION["concern"].choice_label(q.concern),
                "source": source_label(q.kind, dilemma_numbers.get(q.group_id), q.group_title),
            }
            for q in assessment.questions
        ],
        "recommendations": [
            {
                "id": r.recommendation_id,
                "number": r.number,
                "title": r.title,
                "check_questions": [c["text"] for c in r.check_questions],
                "status": r.status,
                "status_label": REVIEW["status"].choice_label(r.status),
                "justification": r.justification,
            }
            for r in assessment.reviews
        ],
        "decision": {
            "decision": assessment.decision,
            "label": DECISION["decision"].choice_label(assessment.decision),
            "reasoning": assessment.decision_reasoning,
            "review_date": assessment.review_date.isoformat() if assessment.review_date else None,
        },
        "actions": [
            {
                "description": a.description,
                "owner": a.owner,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "status": a.status,
                "status_label": a.status_label,
                "is_condition": a.is_condition,
            }
            for a in assessment.actions
        ],
        # Open data names only the members who wrote a dissent, with it; the others' stances are
        # published as counts (SECURITY.md "Open data privacy"). Records signed before this rule
        # keep their stored bytes, stances and all.
        "positions": [
            {
                "name": p.user.name,
                "title": p.user.title,
                "stance": p.stance,
                "stance_label": p.stance_label,
                "dissent": p.dissent,
            }
            for p in sorted(assessment.positions, key=lambda p: (p.user.name, p.user_id))
            if (p.dissent or "").strip()
        ],
        "position_counts": {stance: sum(p.stance == stance for p in assessment.positions) for stance in STANCES},
        # Schema 4: the meeting that deliberated, its members present, absent and with a conflict.
        "board": board_section(assessment.board_present, assessment.board_absent_count, assessment.board_conflicts),
        "signatories": signatories_section(assessment),
        "consultations": consultation_section(assessment),
        "documents": documents_section(assessment),
        "ai": ai_section(assessment),
    }
    # Optional sections of higher packages, wired in app/wiring.py: (key, function of the
    # assessment), the key left out when the function gives None. `reused_from` (schema 3): only a
    # record started from another municipality's has it.
    for key, optional_section in contributions("record.optional_sections"):
        value = optional_section(assessment)
        if value is not None:
            record[key] = value
    # Schema 4: the findings of the consistency rules over the record above that the board explained.
    record["consistency"] = consistency.section(record, {e.rule: e.explanation for e in assessment.explanations})
    readability = readability_section(record)  # optional (schema 4): the LIX of "Kort fortalt"
    if readability is not None:
        record["readability"] = readability
    return record


def _plain(value):
    if isinstance(value, list | tuple):
        return list(value)
    return value


def load_schema(version: int = SCHEMA_VERSION) -> dict:
    """The JSON Schema of a record of the given schema version (the current one by default)."""
    return json.loads(SCHEMA_PATHS[version].read_text(encoding="utf-8"))
