"""The signed record's `reused_from` section: which published record of another municipality the
assessment was started from (record schema 3), and which of its fields the board confirmed as taken
over (`fields`, schema 4). Read by the snapshot builder (app/signoff/canonical.py); it reads only this
package's models and the field tables, never the source's record, so the builder can import it.

A field is listed while the board's confirmation of it stands: the field still holds exactly the
value confirmed (its fingerprint). A field the board changed is its own text, and is not listed.
"""

from __future__ import annotations

import json

from etikdialog_verify.record import sha256_hex
from flask_babel import gettext as _
from sqlalchemy import select

from app.assessments.fields import ACTION, QUESTION, REVIEW
from app.assessments.proposal import PROPOSAL_FIELDS
from app.core.text import shorten
from app.extensions import db
from app.reuse.models import ReuseConfirmation, ReuseLink

PROPOSAL_BY_NAME = {spec.name: spec for spec in PROPOSAL_FIELDS}
ACTION_FIELDS = ("description", "owner")  # what the marks compare; is_condition goes with the description
# A question's texts are never copied; a draft started before that rule may still hold the source's
# (and a board may type them again), so they are marked and confirmed like the rest. A concern level
# equal to the source's is a coincidence, not a copy.
QUESTION_FIELDS = ("discussion", "answer")


def fingerprint(value) -> str:
    """The SHA-256 of a field's value as JSON: what a confirmation holds and is compared with."""
    return sha256_hex(json.dumps(value, default=str, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def value_of(assessment, key: tuple):
    """The draft's current value of a field named as the marks name it, or KeyError when the
    assessment has no such field (a removed action item, a name outside the tables)."""
    if key[0] == "proposal" and len(key) == 2 and key[1] in PROPOSAL_BY_NAME:
        return getattr(assessment, key[1])
    if len(key) == 3:
        section, item, name = key
        if section == "review" and name in REVIEW.names:
            row = next((r for r in assessment.reviews if r.recommendation_id == item), None)
        elif section == "question" and name in QUESTION_FIELDS:
            row = next((q for q in assessment.questions if q.question_id == item), None)
        elif section == "action" and name in ACTION_FIELDS:
            row = next((a for a in assessment.actions if str(a.id) == str(item)), None)
        else:
            row = None
        if row is not None:
            return getattr(row, name)
    raise KeyError(key)


def field_entry(assessment, key: tuple) -> dict | None:
    """The field as the record lists it: its section in the record, where it is there, and its
    label in the reader's language (the record is built in Danish); None for an unknown key."""
    if key[0] == "proposal":
        spec = PROPOSAL_BY_NAME.get(key[1])
        return {"section": "proposal", "field": key[1], "label": str(spec.label)} if spec else None
    section, item, name = key
    if section == "review":
        row = next((r for r in assessment.reviews if r.recommendation_id == item), None)
        if row is None or name not in REVIEW.names:
            return None
        label = _("Anbefaling %(number)s: %(field)s", number=row.number, field=str(REVIEW[name].label).lower())
        return {"section": "recommendations", "id": item, "number": row.number, "field": name, "label": label}
    if section == "question":
        row = next((q for q in assessment.questions if q.question_id == item), None)
        if row is None or name not in QUESTION_FIELDS:
            return None
        label = _(
            "Spørgsmålet „%(question)s“: %(field)s",
            question=shorten(row.text, 80),
            field=str(QUESTION[name].label).lower(),
        )
        return {"section": "questions", "id": item, "field": name, "label": label}
    if section == "action":
        number = next((n for n, a in enumerate(assessment.actions, start=1) if str(a.id) == str(item)), None)
        if number is None or name not in ACTION_FIELDS:
            return None
        label = (
            _("Handling %(number)s: beskrivelse", number=number)
            if name == "description"
            else _("Handling %(number)s: %(field)s", number=number, field=str(ACTION[name].label).lower())
        )
        return {"section": "actions", "number": number, "field": name, "label": label}
    return None


def record_order(assessment):
    """Sort key for field keys: the order the record itself has them in."""
    proposal = {spec.name: n for n, spec in enumerate(PROPOSAL_FIELDS)}
    places = {
        "question": {q.question_id: n for n, q in enumerate(assessment.questions)},
        "review": {r.recommendation_id: n for n, r in enumerate(assessment.reviews)},
        "action": {str(a.id): n for n, a in enumerate(assessment.actions)},
    }
    sections = {"proposal": 0, "question": 1, "review": 2, "action": 3}
    within = {name: n for n, name in enumerate((*QUESTION_FIELDS, *REVIEW.names, *ACTION_FIELDS))}

    def order(key: tuple):
        if key[0] == "proposal":
            return (0, proposal.get(key[1], 0), 0)
        return (sections.get(key[0], 4), places.get(key[0], {}).get(str(key[1]), 0), within.get(key[2], 0))

    return order


def confirmations(assessment) -> dict[tuple, ReuseConfirmation]:
    """The board's confirmations that still stand, by field key: the field holds the value confirmed."""
    standing = {}
    rows = db.session.scalars(select(ReuseConfirmation).where(ReuseConfirmation.assessment_id == assessment.id))
    for row in rows:
        try:
            value = value_of(assessment, row.key)
        except KeyError:
            continue
        if fingerprint(value) == row.value_sha256:
            standing[row.key] = row
    return standing


def reused_from_section(assessment) -> dict | None:
    """{public_id, version, municipality, fields} of the source, or None for an assessment not
    started from another municipality's record (the section is then left out: it is optional)."""
    link = db.session.get(ReuseLink, assessment.id) if assessment.id is not None else None
    if link is None:
        return None
    entries = [field_entry(assessment, key) for key in sorted(confirmations(assessment), key=record_order(assessment))]
    return link.reused_from | {"fields": [entry for entry in entries if entry is not None]}
