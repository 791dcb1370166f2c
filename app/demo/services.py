"""Demo data for `make run`: three municipalities, their boards, and assessments at every stage.

Everything is made through the real services, so the demo obeys the same rules as real use. The
demo password is printed by the command and only ever used outside production.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Organisation, User
from app.accounts.passwords import verify_password
from app.assessments import services as assessments
from app.assessments.models import Assessment
from app.consultation import services as consultation
from app.content.loader import ContentSet
from app.core.time import danish_today
from app.extensions import db
from app.followup import services as followup
from app.signoff import services as signoff

DEMO_PASSWORD = "etikdialog-demo-2026"  # noqa: S105 - documented demo login, refused in production

BOARD = [
    ("admin@aarhus.example.dk", "Birgitte Holm", "Direktør for Sundhed og Omsorg", "admin"),
    ("sekretaer@aarhus.example.dk", "Jonas Lund", "Sekretær for udvalget", "editor"),
    ("formand@aarhus.example.dk", "Mette Kjær", "Formand for Sundheds- og Omsorgsudvalget", "member"),
    ("medlem@aarhus.example.dk", "Ahmed Yilmaz", "Udvalgsmedlem", "member"),
]
ODENSE_BOARD = [
    ("admin@odense.example.dk", "Søren Dahl", "Digitaliseringschef", "admin"),
    ("sekretaer@odense.example.dk", "Line Bech", "Sekretær for udvalget", "editor"),
    ("formand@odense.example.dk", "Karin Østergaard", "Formand for Ældre- og Handicapudvalget", "member"),
]
ESBJERG_BOARD = [
    ("admin@esbjerg.example.dk", "Peter Nørgaard", "Direktør for Social og Arbejdsmarked", "admin"),
    ("sekretaer@esbjerg.example.dk", "Fatima Hassan", "Sekretær for udvalget", "editor"),
    ("formand@esbjerg.example.dk", "Łukasz Nowak", "Formand for Sundhedsudvalget", "member"),
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


def _password_ok(user: User, password: str) -> bool:
    return verify_password(user.password_hash, password)[0]


def _sign(assessment: Assessment, editor: User, signers: list[User], content: ContentSet) -> None:
    if assessment.status == "draft":
        assessments.transition(assessment, "start_deliberation", user=editor)
    signoff.name_signatories(assessment, [s.id for s in signers], user=editor)
    assessments.transition(assessment, "request_signoff", user=editor)
    for signer in signers:
        _, record_sha256 = signoff.current_record(assessment, content)
        signoff.sign(assessment, user=signer, password=DEMO_PASSWORD, seen_hash=record_sha256, seen_at=None,
                     content=content, password_ok=_password_ok)  # fmt: skip


def _decided(content: ContentSet, editor: User, *, title: str, technology: str, decision: str, reasoning: str,
             dilemma_ids: list[str], **proposal) -> Assessment:
    """An assessment with the whole deliberation done, ready for sign-off."""
    assessment = assessments.create_assessment(user=editor, title=title, dilemma_ids=dilemma_ids, content=content)
    assessments.save_proposal(assessment, _proposal(content, technology, **{**SENSORS, **proposal}),
                              expected_version=None, user=editor)  # fmt: skip
    _answer_all(assessment, editor)
    if decision == "anbefales_med_betingelser":
        assessments.add_action(assessment, {"description": "Pårørende får skriftlig information, før løsningen "
                                            "tages i brug.", "owner": "Lederne af plejecentrene",
                                            "due_date": date(2027, 3, 1), "is_condition": True}, user=editor)  # fmt: skip
    assessments.add_action(assessment, {"description": "Evaluering af effekt og tryghed efter et år.",
                                        "owner": "Sundhed og Omsorg", "due_date": date(2027, 12, 1)}, user=editor)  # fmt: skip
    assessments.save_decision(assessment, {"decision": decision, "decision_reasoning": reasoning,
                                           "review_date": date(2027, 12, 1)}, expected_version=None, user=editor)  # fmt: skip
    return assessment


def _consultation(assessment: Assessment, editor: User, *, started_days_ago: int, lasts_days: int,
                  responses: list[dict]):
    """A consultation that began some days ago, with responses; each dict may carry moderation and answer."""
    today = danish_today()
    opens = today - timedelta(days=started_days_ago)
    hearing = consultation.open_consultation(
        assessment, user=editor, opens=opens, closes=opens + timedelta(days=lasts_days),
        introduction="Udvalget vil gerne høre borgere, pårørende, medarbejdere og rådene, før det beslutter. "
                     "Skriv, hvad du synes er godt, og hvad der bekymrer dig. Udvalget svarer på hvert svar.",
        question_ids=[q.question_id for q in assessment.questions if q.kind == "guiding"],
        today=opens,
    )  # fmt: skip
    for number, values in enumerate(responses, start=1):
        values = dict(values)
        moderation, answer = values.pop("moderation", None), values.pop("answer", None)
        question = values.pop("about_question", None)
        response = consultation.receive_response(
            hearing, question_id=hearing.questions()[question].question_id if question is not None else None,
            address=f"demo-{number}", today=opens + timedelta(days=number), **values,
        )  # fmt: skip
        if moderation:
            consultation.moderate(response, user=editor, approve=moderation == "approve",
                                  reason="" if moderation == "approve" else moderation)  # fmt: skip
        if answer:
            consultation.answer_response(response, user=editor, answer_status=answer[0], answer=answer[1])
    return hearing


def load_demo(content: ContentSet) -> DemoSummary:
    """Create the demo; the caller commits. Expects an empty database."""
    summary = DemoSummary()
    _aarhus, (admin, editor, chair, member) = _board("Aarhus Kommune", BOARD)
    _odense, (odense_admin, odense_editor, odense_chair) = _board("Odense Kommune", ODENSE_BOARD)
    _esbjerg, (esbjerg_admin, esbjerg_editor, esbjerg_chair) = _board("Esbjerg Kommune", ESBJERG_BOARD)
    for email, name, _title, role in BOARD + ODENSE_BOARD + ESBJERG_BOARD:
        summary.logins.append((email, name, role))
    known = {t.id for t in content.technologies}

    def tech(wanted: str) -> str:
        return wanted if wanted in known else content.technologies[0].id

    dilemma_ids = [d.id for d in content.dilemmas]

    # Aarhus: published, then reopened as version 2 and published again (version 1 is replaced).
    sensors = _decided(content, editor, title="Nattilsyn med sensorer på plejecentre",
                       technology=tech("tryghedsskabende-teknologi"), decision="anbefales_med_betingelser",
                       reasoning="Sensorerne øger trygheden og værdigheden om natten uden kamera, og ingen skal "
                                 "have dem mod deres vilje.", dilemma_ids=dilemma_ids[-1:])  # fmt: skip
    assessments.save_position(sensors, "uenig", "Jeg frygter, at sensorerne på sigt erstatter nattevagter.",
                              user=member)  # fmt: skip
    _sign(sensors, editor, [chair, admin], content)
    assessments.transition(sensors, "publish", user=admin)
    sensors_v2 = assessments.reopen(sensors, user=editor)
    assessments.save_proposal(sensors_v2, {"data_access": "Nattevagten og plejecentrets leder. Hændelser "
                                           "slettes nu efter 14 dage."}, expected_version=None, user=editor)  # fmt: skip
    _sign(sensors_v2, editor, [chair, admin], content)
    assessments.transition(sensors_v2, "publish", user=admin)

    # Aarhus: signed by the demo signatories and waiting for the admin to publish it.
    vacuum = _decided(content, editor, title="Robotstøvsugere i plejeboliger", technology=tech(
        "rengoerings-og-serviceteknologi"), decision="anbefales", reasoning="Robotterne frigør tid til "
        "omsorg og bruger ingen personoplysninger.", dilemma_ids=dilemma_ids[1:2],
        technology_name="Robotstøvsugere", personal_data="Ingen.", special_categories="")  # fmt: skip
    _sign(vacuum, editor, [chair, admin], content)

    # Aarhus: in deliberation, and a fresh draft.
    deliberation = assessments.create_assessment(user=editor, title="Skærmbesøg i hjemmeplejen",
                                                 dilemma_ids=dilemma_ids[1:2], content=content)  # fmt: skip
    assessments.save_proposal(deliberation, _proposal(content, tech("skaermbesoeg-og-telemedicin"), **{
        **SENSORS,
        "problem": "Mange korte besøg i hjemmeplejen handler kun om at minde borgeren om medicin.",
        "target_group": "Borgere i eget hjem, der får hjælp til medicin, og deres pårørende.",
        "technology_name": "Skærmbesøg til medicinpåmindelse",
        "technology_description": "Hjemmeplejen ringer op på en tablet og ser, at borgeren tager sin medicin.",
    }), expected_version=None, user=editor)  # fmt: skip
    assessments.transition(deliberation, "start_deliberation", user=editor)
    for row in deliberation.questions[:3]:
        _answer_question(row, editor)
    _consultation(deliberation, editor, started_days_ago=7, lasts_days=28, responses=[
        {"body": "Ældrerådet støtter skærmbesøg, når borgeren selv vælger det. Vi er bekymrede for de borgere, "
                 "der bliver ensomme, hvis det fysiske besøg forsvinder. Skærmbesøg må ikke blive den eneste "
                 "kontakt i løbet af dagen.", "author_name": "Grethe Møller", "author_organisation": "Ældrerådet",
         "publish_name": True, "moderation": "approve",
         "answer": ("delvist_indarbejdet", "Udvalget foreslår en betingelse om, at borgere med skærmbesøg "
                    "fortsat får mindst ét fysisk besøg om dagen.")},
        {"body": "Min far har svært ved at høre i telefonen. Kan man få hjælp til lyden på tabletten?",
         "author_name": "", "author_organisation": "", "publish_name": False, "about_question": 0,
         "moderation": "approve"},
        {"body": "Hvem ser med, når min mor tager sin medicin? Bliver det optaget?", "author_name": "Anne Berg",
         "author_organisation": "", "publish_name": False},
    ])  # fmt: skip
    draft = assessments.create_assessment(user=editor, title="Spiserobot på bostedet",
                                          dilemma_ids=dilemma_ids[:1], content=content)  # fmt: skip
    assessments.save_proposal(draft, {"problem": "Beboere med nedsat armfunktion vil gerne spise selv.",
                                      "target_group": "Beboere på bostedet med nedsat armfunktion."},
                              expected_version=None, user=editor)  # fmt: skip

    # Odense: one published, one published and later withdrawn.
    gps = _decided(content, odense_editor, title="GPS til borgere med demens", technology=tech(
        "tryghedsskabende-teknologi"), decision="anbefales_med_betingelser", reasoning="GPS giver borgeren "
        "frihed til at gå ture, når borgeren selv eller værgen har sagt ja.", dilemma_ids=dilemma_ids[-1:],
        technology_name="GPS-ur", public_contact="Ældre- og Handicapforvaltningen, Odense Kommune")  # fmt: skip
    hearing = _consultation(gps, odense_editor, started_days_ago=30, lasts_days=60, responses=[
        {"body": "Handicaprådet bakker op om GPS, hvis borgeren selv kan slå den fra, og hvis det er "
                 "tydeligt, hvem der kan se, hvor borgeren er.", "author_name": "Hanne Iversen",
         "author_organisation": "Handicaprådet", "publish_name": True, "moderation": "approve",
         "answer": ("indarbejdet", "Udvalget har gjort det til en betingelse, at borgeren eller værgen får "
                    "skriftlig besked om, hvem der kan se positionen, og hvordan GPS'en slås fra.")},
        {"body": "Min mand går tit ture og farer vild. GPS vil give os begge mere frihed.", "author_name": "",
         "author_organisation": "", "publish_name": False, "about_question": 0, "moderation": "approve",
         "answer": ("ikke_indarbejdet", "Tak for svaret. Det bekræfter forslaget og har ikke ændret det.")},
        {"body": "Køb billige GPS-ure på vores hjemmeside!", "author_name": "", "author_organisation": "",
         "publish_name": False, "moderation": "spam"},
    ])  # fmt: skip
    consultation.close_consultation(hearing, user=odense_editor)
    assessments.add_action(gps, {"description": "Informationsmøde for værger og pårørende.", "owner": "Demenskoordinatoren",
                                 "due_date": danish_today() - timedelta(days=14)}, user=odense_editor)  # fmt: skip
    _sign(gps, odense_editor, [odense_chair, odense_admin], content)
    assessments.transition(gps, "publish", user=odense_admin)
    # After publication the follow-up log records progress: one condition under way, one item overdue.
    condition = next(a for a in gps.actions if a.is_condition)
    followup.record_followup(condition, status="i_gang", user=odense_editor, note="Brevet til borgere og værger er "
                             "skrevet og sendes ud med det første GPS-ur.")  # fmt: skip
    pets = _decided(content, odense_editor, title="Robotkæledyr på demensafsnit", technology=tech(
        "sanseteknologi"), decision="anbefales", reasoning="Robotkæledyr kan berolige uden medicin.",
        dilemma_ids=dilemma_ids[1:2], technology_name="Robotsæl")  # fmt: skip
    _sign(pets, odense_editor, [odense_chair, odense_admin], content)
    assessments.transition(pets, "publish", user=odense_admin)
    assessments.transition(pets, "withdraw", user=odense_admin, reason="Leverandøren har trukket produktet "
                           "tilbage; en ny vurdering følger.")  # fmt: skip

    # Esbjerg: two published, one of them a no.
    training = _decided(content, esbjerg_editor, title="Digital genoptræning efter hofteoperation",
                        technology=tech("traeningsteknologi"), decision="anbefales", reasoning="Borgerne træner "
                        "oftere og kan selv vælge tidspunktet; holdtræning tilbydes fortsat.",
                        dilemma_ids=dilemma_ids[:1], technology_name="Træningsapp med video")  # fmt: skip
    _sign(training, esbjerg_editor, [esbjerg_chair, esbjerg_admin], content)
    assessments.transition(training, "publish", user=esbjerg_admin)
    camera = _decided(content, esbjerg_editor, title="Kamera i soveværelset om natten", technology=tech(
        "tryghedsskabende-teknologi"), decision="anbefales_ikke", reasoning="Udvalget finder, at sensorer "
        "uden billeder giver samme tryghed med mindre indgreb i privatlivet.", dilemma_ids=dilemma_ids[-1:],
        technology_name="Natkamera")  # fmt: skip
    _sign(camera, esbjerg_editor, [esbjerg_chair, esbjerg_admin], content)
    assessments.transition(camera, "publish", user=esbjerg_admin)

    db.session.flush()
    for assessment in (sensors, sensors_v2, vacuum, deliberation, draft, gps, pets, training, camera):
        summary.assessments.append(
            (f"{assessment.organisation.name}: {assessment.title} (v{assessment.version_number})",
             assessment.status_enum.label)
        )
    return summary
