"""Sections 4–6 and appendix A: the questions and the board's deliberation (with its chart), the
think tank's five recommendations, the action plan, and the think tank's explanations."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Spacer

from app.assessments.fields import ACTION, QUESTION, REVIEW
from app.content.provenance import OWN_WORDING, question_source
from app.core.formatting import danish_date
from app.pdf.builder import Builder
from app.pdf.chart import deliberation_chart
from app.pdf.flowables import lines_of
from app.pdf.sections import field_label
from app.pdf.styles import CONTENT_WIDTH, SHORT_CELL


def questions(build: Builder, record: dict) -> list:
    flow = [
        PageBreak(),
        *build.heading("4. Spørgsmålene og udvalgets drøftelse", "h1"),
        *deliberation_chart(build, record, CONTENT_WIDTH),
    ]
    discussion, answer, concern = (field_label(QUESTION, name) for name in ("discussion", "answer", "concern"))
    group = None
    for number, question in enumerate(record.get("questions", []), start=1):
        if question.get("group_title") != group:
            group = question.get("group_title")
            flow += build.heading(group, "h2")
        explained = "; tænketankens forklaring står i bilag A" if (question.get("explanation") or "").strip() else ""
        flow += [
            *build.heading(f"4.{number} {question.get('text', '')}", "h3"),
            build.p(f"Kilde: {question_source(question)}{explained}.", "small"),
            build.p(f"{concern}: {question.get('concern_label') or 'ikke angivet'}", "small"),
        ]
        flow += build.labelled(discussion, question.get("discussion"))
        flow += build.labelled(answer, question.get("answer"))
    return flow


def recommendations(build: Builder, record: dict) -> list:
    flow = [*build.heading("5. Tænketankens fem anbefalinger", "h1")]
    for r in record.get("recommendations", []):
        flow += [
            *build.heading(f"{r.get('number')}. {r.get('title', '')}", "h3"),
            *build.heading(f"{field_label(REVIEW, 'status')}: {r.get('status_label') or 'Ikke vurderet'}", "label"),
            *build.paras(r.get("justification"), empty="Ingen begrundelse."),
        ]
        if r.get("check_questions"):
            flow += [
                build.p(f"Kontrolspørgsmål ({str(OWN_WORDING).lower()}):", "small"),
                build.bullets([build.p(text, "small")] for text in r["check_questions"]),
            ]
    return flow


def explanations(build: Builder, record: dict) -> list:
    """Appendix A: the think tank's explanation of each question asked, with its source."""
    explained = [q for q in record.get("questions", []) if (q.get("explanation") or "").strip()]
    if not explained:
        return []
    flow = [
        PageBreak(),
        *build.heading("Bilag A. Tænketankens forklaringer til spørgsmålene", "h1"),
        build.p(
            "Teksterne er KL's teknologitænketank „Teknologi til velfærd“s egne forklaringer, som de stod, "
            "da vurderingen blev oprettet.",
            "kicker",
        ),
    ]
    for question in explained:
        flow += [
            *build.heading(question.get("text", ""), "h3"),
            build.p(f"Kilde: {question_source(question)}", "small"),
            *build.paras(question["explanation"]),
        ]
    return flow


def actions(build: Builder, record: dict) -> list:
    flow = [*build.heading("6. Handlingsplan", "h1")]
    actions = record.get("actions", [])
    if not actions:
        return [*flow, build.p("Der er ingen handlinger i handlingsplanen.")]
    rows, below = [], []
    for number, a in enumerate(actions, start=1):
        description = a.get("description") or ""
        if len(description) > SHORT_CELL or len(lines_of(description)) > 1:
            below += [*build.heading(f"Handling {number}", "label"), *build.paras(description)]
            description = "Se teksten under tabellen."
        rows.append(
            [
                str(number),
                description,
                a.get("owner") or "",
                danish_date(a.get("due_date")),
                a.get("status_label") or "",
                "Ja" if a.get("is_condition") else "Nej",
            ]
        )
    widths = [1 * cm, CONTENT_WIDTH - 12.4 * cm, 3.6 * cm, 3 * cm, 2.4 * cm, 2.4 * cm]
    return [
        *flow,
        *build.table(["Nr.", *(field_label(ACTION, name) for name in ACTION.names)], rows, widths),
        Spacer(1, 0.3 * cm),
        *below,
    ]
