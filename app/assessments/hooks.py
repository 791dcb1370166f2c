"""What packages above this one add to the assessment's pages, filled in by create_app
(app/__init__.py, `_connect_hooks`): this package names none of them (README "Layers").

PROGRESS_LINES: callables taking the assessment and returning a services.SectionProgress for the
overview's progress list, or None when the part does not apply (the AI impact assessment where
no AI is used).
DPIA_REFERENCE: callables taking the assessment and returning where its DPIA is, as a line of
text (the uploaded document's title and address), or None; the first answer prefills the AI
impact assessment's "Hvor findes …(DPIA)?" while it is blank.
"""

from __future__ import annotations

from collections.abc import Callable

PROGRESS_LINES: list[Callable] = []
DPIA_REFERENCE: list[Callable] = []


def add(hooks: list, function) -> None:
    """Add once: building several apps in one process wires each function once."""
    if function not in hooks:
        hooks.append(function)


def dpia_reference(assessment) -> str | None:
    return next((found for hook in DPIA_REFERENCE if (found := hook(assessment))), None)
