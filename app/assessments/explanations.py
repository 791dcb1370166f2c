"""The board's explanations of consistency findings (issue 28 item 1): saved per assessment and rule.

A service: it checks, flushes and audits, and never commits. Which findings hold is read from the
record being built (app/signoff/record_checks.py); the rules are app/assessments/consistency.py.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import User
from app.assessments import signals
from app.assessments.consistency import EXPLANATION_MAX, RULES_BY_ID
from app.assessments.models import Assessment, ConsistencyExplanation
from app.assessments.services import AssessmentError, lock, require_editable, require_editor
from app.audit.services import record
from app.core.formatting import local_number
from app.extensions import db
from app.i18n import line


def save_explanation(assessment: Assessment, rule: str, text: str, *, user: User) -> ConsistencyExplanation | None:
    """Store the explanation of `rule`'s finding; an empty text removes it (the finding is open again)."""
    require_editor(user)
    found = RULES_BY_ID.get(rule)
    if found is None:
        raise AssessmentError(_("Reglen findes ikke. Genindlæs siden, og prøv igen."))
    text = (text or "").strip()
    # Two saves of the same rule at once must not both insert (the second would break the unique
    # constraint): the assessment's critical section queues them, and the second reads the first.
    lock(assessment)
    db.session.expire(assessment, ["explanations"])
    require_editable(assessment)
    if len(text) > EXPLANATION_MAX:
        raise AssessmentError(_("Forklaringen må højst være %(limit)s tegn.", limit=local_number(EXPLANATION_MAX)))
    row = next((e for e in assessment.explanations if e.rule == rule), None)
    if not text:
        if row is None:
            return None
        assessment.explanations.remove(row)
        db.session.flush()
        record(
            "consistency.unexplained",
            line("Forklaringen til „%(title)s“ er fjernet", title=found.title),
            assessment=assessment,
            user=user,
            rule=rule,
        )
        signals.changed.send(assessment, user=user, reason=f"Forklaringen til „{found.title}“ er fjernet")
        return None
    if row is None:
        row = ConsistencyExplanation(rule=rule, explanation=text, updated_by_id=user.id)
        assessment.explanations.append(row)
    elif row.explanation == text:
        return row
    else:
        row.explanation, row.updated_by_id = text, user.id
    db.session.flush()
    record(
        "consistency.explained",
        line("Forklaring til „%(title)s“ er gemt", title=found.title),
        assessment=assessment,
        user=user,
        rule=rule,
    )
    signals.changed.send(assessment, user=user, reason=f"Forklaringen til „{found.title}“ er ændret")
    return row
