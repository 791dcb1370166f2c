"""Sections 7–9: citizen involvement and the public consultation, the meeting, the vote and the
minority statements, and the signatures with the proof that ties the PDF to its record."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Spacer

from app.assessments.declaration import declaration
from app.core.formatting import danish_date, danish_datetime
from app.pdf.builder import Builder
from app.pdf.flowables import height
from app.pdf.styles import CONTENT_WIDTH, PAGE_HEIGHT


def involvement(build: Builder, record: dict) -> list:
    items = {item.key: item.answer for item in declaration(record)}
    flow = [
        *build.heading("7. Borgerinddragelse og høringssvar", "h1"),
        *build.paras(items["involvement"]),
    ]
    consultations = record.get("consultations") or []
    if not consultations:
        return [*flow, build.p("Der har ikke været en offentlig høring om forslaget i Etikdialog.")]
    for consultation in consultations:
        flow += consultation_section(build, consultation)
    return flow


def consultation_section(build: Builder, consultation: dict) -> list:
    flow = [
        build.p(
            f"Offentlig høring fra {danish_date(consultation.get('opens'))} til "
            f"{danish_date(consultation.get('closes'))}. Udvalget har svaret på hvert godkendt høringssvar.",
        )
    ]
    responses = consultation.get("responses", [])
    if not responses:
        return [*flow, build.p("Der kom ingen høringssvar.")]
    for number, response in enumerate(responses, start=1):
        about = response.get("question_text") or "Hele forslaget"
        flow += [
            *build.heading(f"Høringssvar {number} fra {response.get('author') or 'en borger'} – om: {about}", "h3"),
            *build.paras(response.get("body", "")),
            *build.heading(f"Udvalgets svar: {response.get('answer_status_label') or 'ikke besvaret'}", "label"),
            *build.paras(response.get("answer", "")),
        ]
    return flow


def meeting(build: Builder, record: dict) -> list:
    """Schema 4: the meeting that deliberated, its members present, absent and with a conflict
    of interest, and the vote (issue 28 item 2)."""
    board = record["board"]
    present, conflicted = board.get("members_present") or [], board.get("conflicts_of_interest") or []
    counts = record.get("position_counts") or {}
    agree, disagree, abstain = counts.get("enig", 0), counts.get("uenig", 0), counts.get("undlader", 0)
    absent = board.get("members_absent_count")
    flow = [
        *build.heading("Mødet og afstemningen", "h2"),
        build.p(
            f"{len(present)} {'medlem' if len(present) == 1 else 'medlemmer'} af etikrådet var til stede, da sagen "
            "blev drøftet" + (f", og {absent} var fraværende." if absent is not None else ".")
        ),
    ]
    if present:
        flow.append(build.bullets([build.p(name_title(m))] for m in present))
    if conflicted:
        flow += build.heading("Inhabilitet (forvaltningsloven § 3)", "label")
        flow.append(
            build.bullets(
                [
                    build.p(
                        f"{name_title(c)}{',' if c.get('title') else ''} var inhabil og tog ikke stilling: {c.get('reason', '')}"
                    )
                ]
                for c in conflicted
            )
        )
    if "position_counts" not in record:
        return flow
    voting = len(present) - len(conflicted)
    flow.append(
        build.p(
            f"Af de {voting} medlemmer, der tog stilling, var {agree} {'enig' if agree == 1 else 'enige'} i "
            f"anbefalingen, {disagree} {'uenig' if disagree == 1 else 'uenige'}, og {abstain} undlod at tage "
            "stilling. Kun medlemmer med en mindretalsudtalelse nævnes sammen med deres holdning."
        )
    )
    return flow


def dissents(build: Builder, record: dict) -> list:
    flow = [*build.heading("8. Mindretalsudtalelser", "h1")]
    counts = record.get("position_counts")  # only in records that name dissenters alone
    if "board" in record:
        flow += meeting(build, record)
    elif counts:
        agree, disagree = counts.get("enig", 0), counts.get("uenig", 0)
        flow.append(
            build.p(
                f"Udvalgets medlemmer: {agree} {'enig' if agree == 1 else 'enige'}, {disagree} "
                f"{'uenig' if disagree == 1 else 'uenige'} og {counts.get('undlader', 0)}, der undlod "
                "at tage stilling. Kun medlemmer, der har skrevet en mindretalsudtalelse, nævnes ved "
                "navn."
            )
        )
    dissents = [p for p in record.get("positions", []) if (p.get("dissent") or "").strip()]
    if not dissents:
        return [*flow, build.p("Ingen medlemmer har afgivet en mindretalsudtalelse.")]
    for position in dissents:
        flow += [
            *build.heading(
                f"{position.get('name', '')}, {position.get('title', '')} ({position.get('stance_label', '').lower()})",
                "h3",
            ),
            *build.paras(position["dissent"]),
        ]
    return flow


def signatures(build: Builder, document: dict) -> list:
    record = document["record"]
    rows = [
        [s.get("name", ""), s.get("title", ""), danish_datetime(s.get("signed_at"))]
        for s in document.get("signatures", [])
    ]
    flow = [*build.heading("9. Underskrifter", "h1")]
    if rows:
        flow += build.table(["Navn", "Titel", "Underskrevet"], rows, [5.5 * cm, 6 * cm, CONTENT_WIDTH - 11.5 * cm])
        flow += [
            *build.heading("Sådan bekræftede underskriverne deres identitet", "label"),
            *[
                build.p(f"{s.get('name', '')}: {authentication_text(s.get('authentication'))}", "small")
                for s in document.get("signatures", [])
            ],
        ]
    else:
        flow.append(build.p("Ingen har underskrevet endnu."))
    proof = [
        *build.labelled("SHA-256 af den underskrevne post (kanonisk JSON)", document.get("record_sha256")),
        *build.labelled("Indholdsversion (tænketankens materiale)", record.get("content_version")),
        *build.labelled("Verifikationskode", document.get("verification_code"), "Ingen – dette er et udkast."),
    ]
    if document.get("verify_url"):
        proof.append(build.p(f"Tjek dokumentet på {document['verify_url']}", "small"))
    # The section starts a new page unless it fits on this one whole, so the hash lines never spill
    # alone onto a page of their own (issue 29). A CondPageBreak rather than KeepTogether: the
    # tagging marks the story's own flowables, and a heading looks ahead in the story.
    section = [*flow, Spacer(1, 0.4 * cm), *proof]
    needed = sum(height(f, CONTENT_WIDTH) + f.getSpaceBefore() + f.getSpaceAfter() for f in section)
    return [CondPageBreak(min(needed, PAGE_HEIGHT / 2)), *section]


def name_title(person: dict) -> str:
    return ", ".join(part for part in (person.get("name", ""), person.get("title", "")) if part)


def authentication_text(authentication) -> str:
    """How a signatory authenticated for their signature: a fresh Etikdialog password, or a fresh
    login at the municipality's identity provider (which, as whom, and when)."""
    if not isinstance(authentication, dict):
        return "adgangskode i Etikdialog, kontrolleret ved underskriften."
    protocol = {"oidc": "OpenID Connect", "saml": "SAML 2.0"}.get(authentication.get("method"), "kommunens login")
    when = danish_datetime(authentication["authenticated_at"]) if authentication.get("authenticated_at") else "ukendt"
    return (
        f"nyt login via kommunens login ({protocol}) hos {authentication.get('provider', '')}, "
        f"bruger-id {authentication.get('subject', '')}, logget ind {when}."
    )
