"""What packages above this one add to the assessment's pages, wired by create_app (app/wiring.py,
through app.core.wiring): this package names none of them (README "Layers").

"assessments.progress_lines": callables taking the assessment and returning a
services.SectionProgress for the overview's progress list, or None when the part does not apply
(the AI impact assessment where no AI is used).
"assessments.dpia_references": callables taking the assessment and returning where its DPIA is,
as a line of text (the uploaded document's title and address), or None; the first answer prefills
the AI impact assessment's "Hvor findes …(DPIA)?" while it is blank.
"""

from __future__ import annotations

from app.core.wiring import contributions


def progress_lines(assessment) -> list:
    return [line for hook in contributions("assessments.progress_lines") if (line := hook(assessment)) is not None]


def dpia_reference(assessment) -> str | None:
    return next((found for hook in contributions("assessments.dpia_references") if (found := hook(assessment))), None)
