"""The kinds of related document: defined in app/assessments/document_kinds.py, below this
feature, because the assessment's declaration reads them too."""

from app.assessments.document_kinds import EXISTS, KINDS, NOT_NEEDED, STATUSES, DocumentKind

__all__ = ["EXISTS", "KINDS", "NOT_NEEDED", "STATUSES", "DocumentKind"]
