"""Demo data for `make run`: two municipalities, their boards, and assessments at every stage.

Everything is made through the real services, so the demo obeys the same rules as real use. The
demo password is printed by the command and only ever used outside production.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Organisation, User
from app.accounts.passwords import verify_password
from app.assessments import services as assessments
from app.assessments.models import Assessment
from app.content.loader import ContentSet
from app.extensions import db
from app.signoff import services as signoff

DEMO_PASSWORD = "etikdialog-demo-2026"  # noqa: S105 - documented demo login, refused in production

BOARD = [
    ("admin@aarhus.example.dk", "Birgitte Holm", "Direktør for Sundhed og Omsorg", "admin"),
    ("sekretaer@aarhus.example.dk", "Jonas Lund", "Sekretær for udvalget", "editor"),
    ("formand@aarhus.example.dk", "Mette Kjær", "Formand for Sundheds- og Omsorgsudvalget", "member"),
    ("medlem@aarhus.example.dk", "Ahmed Yilmaz", "Udvalgsmedlem", "member"),
]
OTHER_BOARD = [
    ("admin@odense.example.dk", "Søren Dahl", "Digitaliseringschef", "admin"),
    ("sekretaer@odense.example.dk", "Line Bech", "Sekretær for udvalget", "editor"),
]


@dataclass
class DemoSummary:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # email, name, role
    assessments: list[tuple[str, str]] = field(default_factory=list)  # title, status label


def is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None


def _board(name: str, people) -> tuple[Organisation, list[User]]:
    organisation = accounts.create_organisation(name)
    users = [accounts.create_user(organisation, email, person, title, role, DEMO_PASSWORD)
             for email, person, title, role in people]  # fmt: skip
    return organisation, users


def _proposal(content: ContentSet, technology_id: str, **values) -> dict:
    return {
        "technology_category": technology_id,
        "sector_area": content.sector_areas[0].id if content.sector_areas else "",
        "participation": "frivillig",
        "involvement_citizens": "nogen",
        "involvement_relatives": "hoej",
        "involvement_staff": "hoej",
        "involvement_phase": "ide",
        "expected_benefits": ["livskvalitet", "fysisk_arbejdsmiljoe"],
        **values,
    }


SENSORS = {
    "problem": "Borgere med demens på plejecentrene falder om natten og ligger for længe, før personalet "
    "opdager det. Faste runder forstyrrer samtidig søvnen hos de beboere, der sover godt.",
    "target_group": "Beboere med demens på kommunens plejecentre, deres pårørende og nattevagterne.",
    "target_group_size": 120,
    "technology_name": "Nattilsyn med sensorer",
    "technology_description": "Sensorer i loftet registrerer fald, og om beboeren forlader sengen. Kun "
    "hændelser sendes til nattevagtens telefon; der optages ikke billeder.",
    "expected_effect": "Fald opdages inden for få minutter, og beboere, der sover, bliver ikke vækket.",
    "effect_followup": "Antal fald og tid til hjælp følges hver tredje måned; pårørende spørges efter et år.",
    "personal_data": "Tidspunkter for fald og for at forlade sengen, knyttet til beboerens bolig.",
    "special_categories": "Helbredsoplysninger (fald og uro om natten).",
    "legal_basis": "Samtykke fra beboeren eller en værge efter serviceloven og databeskyttelsesforordningen.",
    "data_access": "Nattevagten og plejecentrets leder. Hændelser slettes efter 30 dage.",
    "opt_out": "Ja. Beboeren kan til enhver tid sige nej og får så fysisk tilsyn om natten som i dag.",
    "proxy_consent": "Hvor beboeren ikke selv kan give samtykke, inddrages værgen efter reglerne.",
    "involvement_description": "Beboere, pårørende og nattevagter var med i to workshops i idéfasen, og "
    "Ældrerådet har kommenteret forslaget.",
    "supplier": "Eksempel Sensor A/S",
    "public_contact": "Sundhed og Omsorg, Aarhus Kommune, telefon 89 40 00 00",
}


def _answer_all(assessment: Assessment, editor: User) -> None:
    for row in assessment.questions:
        _answer_question(row, editor)
    for review in assessment.reviews:
        assessments.save_review(review, {"status": "opfyldt", "justification":
                                f"Udvalget finder, at forslaget lever op til anbefalingen „{review.title}“, "
                                "fordi borgerne kan sige nej og data slettes efter 30 dage."},
                                expected_version=None, user=editor)  # fmt: skip


def _answer_question(row, editor: User) -> None:
    assessments.save_question(
        row,
        {"discussion": "Udvalget drøftede spørgsmålet med udgangspunkt i erfaringerne fra afprøvningen "
                       "på Plejecenter Solhøj og pårørendes bekymring for overvågning.",
         "answer": "Sensorerne giver tryghed uden kamera. Beboeren eller værgen vælger selv, og der "
                   "gemmes kun hændelser, ikke billeder.",
         "concern": "lav"},
        expected_version=None, user=editor,
    )  # fmt: skip


def load_demo(content: ContentSet) -> DemoSummary:
    """Create the demo; the caller commits. Expects an empty database."""
    summary = DemoSummary()
    aarhus, (admin, editor, chair, member) = _board("Aarhus Kommune", BOARD)
    _odense, (_, odense_editor) = _board("Odense Kommune", OTHER_BOARD)
    for email, name, _title, role in BOARD + OTHER_BOARD:
        summary.logins.append((email, name, role))
    technologies = {t.id: t for t in content.technologies}
    first_tech = content.technologies[0].id
    sensor_tech = "tryghedsskabende-teknologi" if "tryghedsskabende-teknologi" in technologies else first_tech
    dilemma_ids = [d.id for d in content.dilemmas]

    # 1. Signed by the demo signatories, with its stored PDF.
    signed = assessments.create_assessment(user=editor, title="Nattilsyn med sensorer på plejecentre",
                                           dilemma_ids=dilemma_ids[-1:], content=content)  # fmt: skip
    assessments.save_proposal(signed, _proposal(content, sensor_tech, **SENSORS), expected_version=None, user=editor)
    _answer_all(signed, editor)
    assessments.add_action(signed, {"description": "Pårørende får skriftlig information, før sensoren sættes op.",
                                    "owner": "Plejecentrenes ledere", "due_date": date(2027, 3, 1),
                                    "is_condition": True}, user=editor)  # fmt: skip
    assessments.add_action(signed, {"description": "Evaluering af fald og tryghed efter et år.",
                                    "owner": "Sundhed og Omsorg", "due_date": date(2027, 12, 1)}, user=editor)  # fmt: skip
    assessments.save_decision(signed, {"decision": "anbefales_med_betingelser", "decision_reasoning":
                              "Sensorerne øger trygheden og værdigheden om natten uden kamera, og ingen skal "
                              "have dem mod deres vilje.", "review_date": date(2027, 12, 1)},
                              expected_version=None, user=editor)  # fmt: skip
    assessments.save_position(signed, "uenig", "Jeg frygter, at sensorerne på sigt erstatter nattevagter.",
                              user=member)  # fmt: skip
    assessments.transition(signed, "start_deliberation", user=editor)
    signoff.name_signatories(signed, [chair.id, admin.id], user=editor)
    assessments.transition(signed, "request_signoff", user=editor)
    for signer in (chair, admin):
        _, record_sha256 = signoff.current_record(signed, content)
        signoff.sign(signed, user=signer, password=DEMO_PASSWORD, seen_hash=record_sha256, seen_at=None,
                     content=content, password_ok=lambda user, password: verify_password(user.password_hash,
                                                                                          password)[0])  # fmt: skip

    # 2. In deliberation: proposal complete, some questions answered.
    deliberation = assessments.create_assessment(user=editor, title="Skærmbesøg i hjemmeplejen",
                                                 dilemma_ids=dilemma_ids[1:2], content=content)  # fmt: skip
    screen_tech = "skaermbesoeg-og-telemedicin" if "skaermbesoeg-og-telemedicin" in technologies else first_tech
    assessments.save_proposal(deliberation, _proposal(content, screen_tech, **{
        **SENSORS,
        "problem": "Mange korte besøg i hjemmeplejen handler kun om at minde borgeren om medicin.",
        "target_group": "Borgere i eget hjem, der får hjælp til medicin, og deres pårørende.",
        "technology_name": "Skærmbesøg til medicinpåmindelse",
        "technology_description": "Hjemmeplejen ringer op på en tablet og ser, at borgeren tager sin medicin.",
    }), expected_version=None, user=editor)  # fmt: skip
    assessments.transition(deliberation, "start_deliberation", user=editor)
    for row in deliberation.questions[:3]:
        _answer_question(row, editor)

    # 3. A fresh draft: only the purpose written.
    draft = assessments.create_assessment(user=editor, title="Spiserobot på bostedet",
                                          dilemma_ids=dilemma_ids[:1], content=content)  # fmt: skip
    assessments.save_proposal(draft, {"problem": "Beboere med nedsat armfunktion vil gerne spise selv.",
                                      "target_group": "Beboere på bostedet med nedsat armfunktion."},
                              expected_version=None, user=editor)  # fmt: skip

    # 4. Another municipality's draft, invisible to Aarhus.
    assessments.create_assessment(user=odense_editor, title="GPS til borgere med demens",
                                  dilemma_ids=dilemma_ids[-1:], content=content)  # fmt: skip

    db.session.flush()
    for assessment in (signed, deliberation, draft):
        summary.assessments.append((assessment.title, assessment.status_enum.label))
    return summary
