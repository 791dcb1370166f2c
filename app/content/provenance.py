"""Whose words: the think tank's, or Etikdialog's own.

The bodies of content/ (a recommendation's text, a dilemma's introduction, a question's explanation)
and the questions themselves are KL's think tank's. What the front matter adds is Etikdialog's own
wording, written for the app and not found in the think tank's publications: a recommendation's
`summary` and `check_questions`, and a dilemma's `recommendations` (which recommendations it is
linked to). Wherever those are shown (the PDF, the public page, /indhold, the board's pages) they
are marked with OWN_WORDING, never presented as the think tank's.

A question's source is named in the signed record (`source`, record schema 2); records signed
before have none, and `question_source` derives it from the question's kind and group.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

THINK_TANK = "KL's tænketank"  # Danish: the record and the PDF
OWN_WORDING = _l("Etikdialogs egen formulering, ikke tænketankens tekst")


def source_label(kind: str, dilemma_number: int | None, group_title: str = "") -> str:
    """Danish, for the record: "KL's tænketank, dilemma 2" or "KL's tænketank, centrale spørgsmål"."""
    if kind == "central":
        return f"{THINK_TANK}, centrale spørgsmål"
    if dilemma_number:
        return f"{THINK_TANK}, dilemma {dilemma_number}"
    return f"{THINK_TANK}, dilemmaet „{group_title}“" if group_title else THINK_TANK


def question_source(question: dict) -> str:
    """The source a record gives for a question, or (schema 1) one derived from its kind and group."""
    return question.get("source") or source_label(question.get("kind", ""), None, question.get("group_title", ""))
