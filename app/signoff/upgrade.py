"""What a schema upgrade does to signatures that are not yet frozen.

A signature binds the SHA-256 of the canonical record as the running release builds it. A release
that changes the record (a new schema version, a new section) changes that hash, so a signature
given before the upgrade on a record that is not yet frozen no longer matches and does not count:
the assessment must be signed again. Frozen records keep their stored bytes and are untouched.
`flask db upgrade` names these assessments and goes on only when told to (migrations/env.py).

Read with plain SQL over the columns every schema since 0001 has, because it runs before the
upgrade, on whatever schema the database is at.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

PENDING_SIGNATURES = text(
    """
    SELECT a.id, a.public_id, a.title, a.version_number, o.name AS municipality, s.name AS signer
    FROM signature s
    JOIN assessment a ON a.id = s.assessment_id
    JOIN organisation o ON o.id = a.organisation_id
    WHERE s.voided_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM signed_record r WHERE r.assessment_id = a.id)
    ORDER BY o.name, a.id, s.id
    """
)


@dataclass
class PendingAssessment:
    id: int
    public_id: str
    title: str
    version_number: int
    municipality: str
    signers: list[str]

    def describe(self) -> str:
        return f"{self.municipality}: {self.title} (v{self.version_number}, {self.public_id}), signed by {', '.join(self.signers)}"


def pending_signatures(connection: Connection) -> list[PendingAssessment]:
    """Assessments with signatures that are given but not yet frozen into a record."""
    tables = set(connection.dialect.get_table_names(connection))
    if not {"signature", "assessment", "organisation", "signed_record"} <= tables:
        return []  # an empty database: nothing is signed
    found: dict[int, PendingAssessment] = {}
    for row in connection.execute(PENDING_SIGNATURES):
        pending = found.setdefault(
            row.id, PendingAssessment(row.id, row.public_id, row.title, row.version_number, row.municipality, [])
        )
        pending.signers.append(row.signer)
    return list(found.values())


def warning(pending: list[PendingAssessment]) -> str:
    lines = [
        f"{len(pending)} assessment(s) have signatures that are not yet frozen into a signed record:",
        *(f"  - {assessment.describe()}" for assessment in pending),
        "A signature binds the record's hash as the running release builds it. Where this release builds",
        "the record differently (a new record schema or field does), these signatures no longer count",
        "and the signatories must sign again; the assessment's overview shows which still count.",
        "Fully signed records keep their stored bytes and still verify.",
    ]
    return "\n".join(lines)
