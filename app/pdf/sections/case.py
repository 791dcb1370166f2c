"""Sections 1–3: the transparency declaration, the proposal (and the record it reuses), and the
decision (and the consistency findings the board explained)."""

from __future__ import annotations

from reportlab.platypus import PageBreak

from app.assessments.declaration import NOT_GIVEN
from app.assessments.declaration import declaration as declaration_items
from app.assessments.fields import DECISION
from app.assessments.proposal import absent_text
from app.core.formatting import danish_date
from app.pdf.builder import Builder
from app.pdf.sections import field_label


def declaration(build: Builder, record: dict) -> list:
    flow = [
        *build.heading("1. Gennemsigtighedserklæring", "h1"),
        build.p(
            "Kort fortalt: det skal du vide som borger. Hvis det ikke kan forklares, kan det ikke forsvares.",
            "kicker",
        ),
    ]
    for item in declaration_items(record):
        flow += build.heading(item.question, "h3")
        if not item.parts:
            flow.append(build.p(NOT_GIVEN))
        for part in item.parts:  # each further answer under its own short question (H4)
            if part.question:
                flow += build.heading(part.question, "label")
            flow += build.paras(part.text)
            if part.items:
                flow.append(build.bullets(build.paras(entry) for entry in part.items))
    return flow


def proposal(build: Builder, record: dict) -> list:
    """Every field of the proposal as the record holds it, under its group's title (records of
    schema 1 have no groups: their fields stand in one list)."""
    flow = [
        PageBreak(),
        *build.heading("2. Forslaget", "h1"),
        build.p("Forslaget, som udvalget har behandlet, med alle dets oplysninger.", "kicker"),
    ]
    group = None
    for item in record.get("proposal", []):
        if item.get("group_title") and item["group_title"] != group:
            group = item["group_title"]
            flow += build.heading(group, "h2")
        flow += build.labelled(
            item.get("label", ""), item.get("text"), absent_text(item.get("field", ""), record["proposal"])
        )
    return flow + reuse(build, record)


def reuse(build: Builder, record: dict) -> list:
    """Which record of another municipality this one built on, and the fields the board read
    and confirmed as its own (record schema 3 and 4), as the public page says it."""
    source = record.get("reused_from")
    if not source:
        return []
    municipality = source.get("municipality", "")
    flow = [
        *build.heading("Bygger på en anden kommunes vurdering", "h2"),
        build.p(
            f"Denne vurdering bygger på {municipality}s vurdering, version {source.get('version', '')} "
            f"(id {source.get('public_id', '')})."
        ),
    ]
    fields = source.get("fields") or []
    if fields:
        count = "1 felt er" if len(fields) == 1 else f"{len(fields)} felter er"
        flow += [
            build.p(
                f"{count} overtaget uændret fra {municipality}. Udvalget har læst dem og bekræftet dem som "
                "sine egne, før vurderingen blev underskrevet. Alt andet har udvalget selv skrevet:"
            ),
            build.bullets([[build.p(field.get("label", ""))] for field in fields]),
        ]
    return flow


def decision(build: Builder, record: dict) -> list:
    decision = record.get("decision", {})
    conditions = [a for a in record.get("actions", []) if a.get("is_condition")]
    flow = [*build.heading("3. Beslutning", "h1")]
    if "board" in record:  # schema 4: the recommendation and the formal decision, each as what it is
        proposal = {item.get("field"): item.get("text") or "" for item in record.get("proposal", [])}
        body, met = proposal.get("decision_body", "").rstrip("."), proposal.get("decision_meeting_date", "")
        flow += [
            *build.heading("Etikrådets anbefaling", "label"),
            build.p(decision.get("label") or "Etikrådet har ikke givet sin anbefaling.", "h2"),
            *build.labelled(
                "Den formelle beslutning",
                f"Træffes af {body}" + (f" på mødet den {met}." if met else ".") if body else "",
                "Ikke oplyst.",
            ),
        ]
    else:
        flow.append(build.p(decision.get("label") or "Beslutningen er ikke truffet endnu.", "h2"))
    flow += [
        *build.labelled(field_label(DECISION, "decision_reasoning"), decision.get("reasoning")),
        *build.labelled("Beslutningen vurderes igen", danish_date(decision.get("review_date")), "Ikke fastsat."),
        *build.heading("Betingelser", "label"),
    ]
    if conditions:
        flow.append(
            build.bullets(
                [
                    *build.paras(c["description"]),
                    build.p(
                        f"Ansvarlig: {c.get('owner') or 'ikke angivet'}"
                        f"{', frist ' + danish_date(c['due_date']) if c.get('due_date') else ''}",
                        "small",
                    ),
                ]
                for c in conditions
            )
        )
    else:
        flow.append(build.p("Beslutningen har ingen betingelser."))
    return flow


def consistency(build: Builder, record: dict) -> list:
    """Schema 4: the consistency findings the board explained, under their own heading, right
    after the decision they qualify (nothing for older records or nothing explained)."""
    entries = record.get("consistency") or []
    if not entries:
        return []
    flow = [
        *build.heading("Forhold, etikrådet har forklaret", "h2"),
        build.p(
            "Etikdialog fandt svar i vurderingen, der ser ud til at modsige hinanden. Etikrådet har "
            "forklaret dem i stedet for at ændre svarene."
        ),
    ]
    for entry in entries:
        flow += [
            *build.paras(entry.get("message", "")),
            *build.labelled("Etikrådets forklaring", entry.get("explanation")),
        ]
    return flow
