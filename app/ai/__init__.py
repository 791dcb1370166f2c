"""AI screening and the AI Act's fundamental-rights impact assessment (Article 27).

The screening is part of the proposal (app/assessments/proposal.py: uses_ai, ai_purpose,
ai_annex_area, and the rule `requires_fria`); the assessment's fields are fields.py's FRIA table.
This package has the rest: the precondition before sign-off (checks.py), the record's `ai` section
and what is read from it (record.py), saving (services.py), the board's page and the notification
summary for the market surveillance authority (views.py). The PDF annex is app/pdf/fria.py.
"""
