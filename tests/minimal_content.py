"""A small valid content tree, written to a temporary folder; loader tests break one thing each."""

from pathlib import Path

FILES = {
    "recommendations/01-tillid.md": """---
id: tillid
number: 1
title: "Tillid"
summary: "Borgerne skal kunne have tillid."
source: "Test"
check_questions:
  - id: tillid-k1
    text: "Kan borgerne have tillid?"
---
Teksten om tillid.
""",
    "dilemmas/test-sektor/_sector.md": """---
id: test-sektor
title: "Testsektoren"
source: "Test"
---
Introduktion.
""",
    "dilemmas/test-sektor/00-centrale.md": """---
id: centrale
kind: central
title: "Centrale spørgsmål"
source: "Test"
---
## Hvad er værdien? {#central-vaerdi}
""",
    "dilemmas/test-sektor/01-privatliv.md": """---
id: dilemma-privatliv
kind: dilemma
number: 1
title: "Privatliv"
recommendations: [tillid]
source: "Test"
---
Om dilemmaet.

## Hvordan beskyttes privatlivet? {#privatliv-beskyttelse}

Forklaringen.
""",
    "technologies/01-sensorer.md": """---
id: sensorer
number: 1
title: "Sensorer"
examples: ["Sengesensor"]
source: "Test"
---
Sensorer i hjemmet.
""",
}


def write_minimal_content(root: Path, **overrides: str | None) -> Path:
    """Write the files; an override replaces a file's text, None deletes it."""
    files = dict(FILES)
    for name, text in overrides.items():
        key = name.replace("__", "/")
        files[key] = text
    for relative, text in files.items():
        if text is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
