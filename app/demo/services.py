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
from app.addenda import services as addenda
from app.assessments import explanations
from app.assessments import services as assessments
from app.assessments.models import Assessment
from app.consultation import services as consultation
from app.content.loader import ContentSet
from app.core.time import danish_today
from app.demo import ai_story
from app.demo import documents as demo_documents
from app.demo import proposal_details as details
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
    users = [
        accounts.create_user(organisation, email, person, title, role, DEMO_PASSWORD)
        for email, person, title, role in people
    ]
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
        "uses_ai": "nej",
        **values,
    }


# Each demo assessment tells its own story: its proposal, what the board discussed and answered
# (cycled over the questions, with varying concern), why it meets the recommendations, and its
# action plan. Nothing is shared between technologies, so every public page reads like a real one.
SENSORS = {
    "proposal": {
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
        "public_contact": "Visitationen i Sundhed og Omsorg, Aarhus Kommune, telefon 89 40 22 10",
    },
    "discussions": [
        "Udvalget tog udgangspunkt i afprøvningen på Plejecenter Solhøj, hvor nattevagterne fandt to fald, "
        "som runderne ville have overset.",
        "Pårørende var bekymrede for, om sensorerne i loftet er kameraer. Leverandøren har vist, at de kun "
        "måler bevægelse og ikke kan optage billeder.",
        "Nattevagterne frygter, at færre runder betyder mindre kontakt. Udvalget drøftede, hvordan de beboere, "
        "der er urolige, fortsat får besøg.",
    ],
    "answers": [
        "Sensorerne giver tryghed uden kamera, og beboeren eller værgen vælger selv.",
        "Der gemmes kun hændelser, ikke billeder, og de slettes efter 30 dage.",
        "Sensorerne erstatter runderne hos dem, der sover, ikke besøgene hos dem, der har brug for dem.",
    ],
    "concerns": ["lav", "middel", "lav", "ingen", "middel"],
    "review": "fordi beboeren kan sige nej og få fysisk tilsyn, og fordi hændelser slettes efter 30 dage",
    "condition": (
        "Pårørende får skriftlig information om sensorerne, før de tages i brug.",
        "Lederne af plejecentrene",
    ),
    "evaluation": ("Evaluering af fald, søvn og tryghed efter et år.", "Sundhed og Omsorg"),
}

VACUUM = {
    "proposal": {
        "problem": "Medarbejderne i plejeboligerne bruger omkring en time om dagen på at støvsuge, tid der i "
        "stedet kunne gå til samvær og pleje.",
        "target_group": "Beboere i kommunens plejeboliger og medarbejderne, der gør rent.",
        "target_group_size": 300,
        "technology_name": "Robotstøvsugere",
        "technology_description": "Robotstøvsugere kører i fællesarealerne og, hvis beboeren vil, i boligen "
        "om formiddagen. De styres fra en app på afdelingens telefon og har ingen kamera.",
        "expected_effect": "Cirka 45 minutter mindre rengøring om dagen pr. afdeling, brugt på aktiviteter.",
        "effect_followup": "Medarbejderne registrerer sparet tid i fire uger før og efter indførelsen.",
        "personal_data": "Ingen. Robotterne kender kun plantegningen af fællesarealer og boliger.",
        "special_categories": "",
        "legal_basis": "Servicelovens bestemmelser om praktisk hjælp; ingen personoplysninger behandles.",
        "data_access": "Afdelingens medarbejdere ser robotternes kort i appen.",
        "opt_out": "Ja. Beboeren kan sige nej til robotten i egen bolig og får så rengøring som i dag.",
        "proxy_consent": "Pårørende eller værge spørges, om robotten må køre i boligen.",
        "involvement_description": "Medarbejdere og beboerrådet på to plejecentre prøvede robotterne i en "
        "måned og pegede på, at de skal køre, når beboerne ikke hviler.",
        "supplier": "Eksempel Robotik ApS",
        "public_contact": "Plejeboligernes servicekontor, Aarhus Kommune, telefon 89 40 23 45",
        "expected_benefits": ["fysisk_arbejdsmiljoe", "arbejdsglaede"],
        "involvement_citizens": "mindre",
    },
    "discussions": [
        "Udvalget drøftede, om tiden, robotterne sparer, faktisk går til beboerne. Afprøvningen viste, at "
        "den blev brugt på gåture og fælles måltider.",
        "Nogle beboere med demens blev urolige over robotten. Udvalget drøftede, hvornår på dagen den kører.",
        "Robotterne behandler ingen personoplysninger, så privatlivet er ikke i spil.",
    ],
    "answers": [
        "Robotterne frigør tid til omsorg, og tiden følges op.",
        "Robotterne kører kun om formiddagen og aldrig i en bolig, hvor beboeren har sagt nej.",
        "Der behandles ingen personoplysninger.",
    ],
    "concerns": ["ingen", "lav", "ingen", "lav"],
    "review": "fordi robotterne ikke behandler personoplysninger, og beboeren kan sige nej i egen bolig",
    "condition": None,
    "evaluation": ("Opgørelse af sparet tid og beboernes oplevelse efter seks måneder.", "Centerlederne"),
}

SCREEN_VISITS = {
    "problem": "Mange korte besøg i hjemmeplejen handler kun om at minde borgeren om medicin, og borgerne "
    "venter ofte på et besøg, der kommer på et andet tidspunkt end aftalt.",
    "target_group": "Borgere i eget hjem, der får hjælp til at huske medicin, og deres pårørende.",
    "target_group_size": 80,
    "technology_name": "Skærmbesøg til medicinpåmindelse",
    "technology_description": "Hjemmeplejen ringer op på en tablet på det aftalte tidspunkt og ser, at "
    "borgeren tager sin medicin. Samtalen optages ikke.",
    "expected_effect": "Medicinen tages til tiden, og borgeren får besøg, når der er brug for hænder.",
    "effect_followup": "Fejl i medicineringen og borgernes tilfredshed måles efter tre og tolv måneder.",
    "personal_data": "Navn, telefonnummer på tabletten og notat om, at medicinen er taget.",
    "special_categories": "Helbredsoplysninger (medicin).",
    "legal_basis": "Servicelovens § 83 og sundhedsloven; borgeren samtykker til skærmbesøg.",
    "data_access": "Hjemmeplejens medarbejdere; notatet står i omsorgsjournalen.",
    "opt_out": "Ja. Borgeren kan sige nej og får fysiske besøg som i dag.",
    "proxy_consent": "Borgere, der ikke selv kan samtykke, får ikke skærmbesøg.",
    "involvement_description": "Ældrerådet og ti borgere har prøvet en tablet; hjemmeplejen har deltaget.",
    "public_contact": "Hjemmeplejens kontor, Sundhed og Omsorg, Aarhus Kommune, telefon 89 40 24 00",
}

GPS = {
    "proposal": {
        "problem": "Borgere med demens, der bor hjemme, farer vild på deres daglige gåture. Pårørende "
        "holder dem derfor inde, og mange mister glæden ved at gå ud alene.",
        "target_group": "Hjemmeboende borgere med demens, der går ture alene, og deres pårørende.",
        "target_group_size": 60,
        "technology_name": "GPS-ur",
        "technology_description": "Borgeren bærer et ur med GPS. Går borgeren uden for et aftalt område, "
        "kan en pårørende eller demenskoordinatoren se, hvor borgeren er, og ringe til uret.",
        "expected_effect": "Borgeren kan fortsætte sine ture, og eftersøgninger med politiet bliver sjældnere.",
        "effect_followup": "Antal eftersøgninger og borgernes og de pårørendes tryghed følges hvert halve år.",
        "personal_data": "Urets position, når borgeren er uden for området, og telefonnumre på kontakterne.",
        "special_categories": "Helbredsoplysninger (demensdiagnose).",
        "legal_basis": "Samtykke fra borgeren; serviceloven § 125 om pejlesystemer, hvor borgeren ikke kan samtykke.",
        "data_access": "De kontakter, borgeren har valgt, og demenskoordinatoren. Positioner slettes efter syv dage.",
        "opt_out": "Ja. Borgeren kan tage uret af eller sige nej; støtte til ture tilbydes i stedet.",
        "proxy_consent": "Kan borgeren ikke samtykke, træffer kommunen afgørelse efter serviceloven § 125, "
        "og værgen høres.",
        "involvement_description": "Demensforeningen, Handicaprådet og otte familier har været med fra "
        "idéfasen; forslaget har været i offentlig høring.",
        "supplier": "Eksempel Lokalisering A/S",
        "public_contact": "Demenskoordinatorerne i Ældre- og Handicapforvaltningen, Odense Kommune, "
        "telefon 66 13 13 72",
        "expected_benefits": ["livskvalitet"],
    },
    "discussions": [
        "Udvalget vejede borgerens frihed til at gå ture mod, at andre kan se, hvor borgeren er.",
        "Handicaprådet pegede på, at borgeren selv skal kunne slå uret fra. Udvalget drøftede, hvad der sker, "
        "når en borger med fremskreden demens ikke længere kan tage stilling.",
        "De pårørende i høringen var overvejende positive; udvalget drøftede, hvem der skal se positionen.",
    ],
    "answers": [
        "GPS-uret giver borgeren frihed til at gå ture, når borgeren selv eller værgen har sagt ja.",
        "Positionen vises kun, når borgeren er uden for det aftalte område, og slettes efter syv dage.",
        "Kun de kontakter, borgeren har valgt, og demenskoordinatoren kan se positionen.",
    ],
    "concerns": ["middel", "hoej", "middel", "lav", "middel"],
    "review": "fordi borgeren eller værgen vælger, hvem der ser positionen, og positioner slettes efter syv dage",
    "condition": (
        "Borgeren og værgen får skriftlig besked om, hvem der kan se positionen, og hvordan uret slås fra.",
        "Demenskoordinatoren",
    ),
    "evaluation": ("Evaluering af eftersøgninger og tryghed efter et år.", "Ældre- og Handicapforvaltningen"),
}

ROBOT_SEAL = {
    "proposal": {
        "problem": "Beboere på demensafsnittet bliver urolige sidst på eftermiddagen, og uroen dæmpes i dag "
        "ofte med beroligende medicin.",
        "target_group": "Beboere på kommunens to demensafsnit.",
        "target_group_size": 40,
        "technology_name": "Robotsæl",
        "technology_description": "En robot formet som en sælunge, der reagerer på berøring og lyd. "
        "Medarbejderne tilbyder den til beboere, der bliver urolige.",
        "expected_effect": "Mindre uro og færre doser beroligende medicin om eftermiddagen.",
        "effect_followup": "Brug af beroligende medicin følges måned for måned det første år.",
        "personal_data": "Ingen; robotten gemmer intet om beboeren.",
        "special_categories": "",
        "legal_basis": "Servicelovens bestemmelser om pleje og omsorg; ingen personoplysninger behandles.",
        "data_access": "Ingen oplysninger gemmes.",
        "opt_out": "Ja. Beboeren vælger selv, om robotten er med.",
        "proxy_consent": "Pårørende orienteres og kan sige fra på beboerens vegne.",
        "involvement_description": "Medarbejdere og pårørende på ét afsnit prøvede robotten i tre måneder.",
        "supplier": "Eksempel Robotter ApS",
        "public_contact": "Lederen af demensafsnittene, Odense Kommune, telefon 66 13 14 80",
    },
    "discussions": [
        "Udvalget drøftede, om det er værdigt at give en voksen et robotdyr, og hørte, at beboerne selv tog imod det.",
        "Pårørende spurgte, om robotten skal erstatte menneskelig kontakt. Medarbejderne bruger den sammen "
        "med beboeren.",
        "Robotten gemmer ingen oplysninger om beboeren.",
    ],
    "answers": [
        "Robotkæledyr kan berolige uden medicin, når beboeren selv tager imod det.",
        "Robotten bruges sammen med en medarbejder, ikke i stedet for en.",
        "Der behandles ingen personoplysninger.",
    ],
    "concerns": ["middel", "lav", "ingen", "lav"],
    "review": "fordi beboeren selv vælger, og robotten ikke gemmer oplysninger",
    "condition": None,
    "evaluation": ("Opgørelse af beroligende medicin efter seks måneder.", "Afsnitslederne"),
}

TRAINING = {
    "proposal": {
        "problem": "Borgere, der er hofteopereret, træner for sjældent derhjemme mellem holdtræningerne, og "
        "mange har langt til træningscentret.",
        "target_group": "Borgere, der genoptræner efter en hofteoperation.",
        "target_group_size": 150,
        "technology_name": "Træningsapp med video",
        "technology_description": "En app på borgerens egen telefon eller en lånt tablet viser øvelser på "
        "video. Borgeren markerer, hvilke øvelser der er lavet, og terapeuten ser det og justerer.",
        "expected_effect": "Borgerne træner oftere og kommer hurtigere tilbage til hverdagen.",
        "effect_followup": "Gangfunktion måles ved start og efter tolv uger; borgernes tilfredshed spørges.",
        "personal_data": "Navn, træningsprogram og hvilke øvelser der er lavet hvornår.",
        "special_categories": "Helbredsoplysninger (operation og genoptræning).",
        "legal_basis": "Sundhedslovens § 140 om genoptræning; borgeren samtykker til appen.",
        "data_access": "Borgerens terapeut. Data slettes tre måneder efter forløbet.",
        "opt_out": "Ja. Holdtræning og papirprogram tilbydes fortsat.",
        "proxy_consent": "Ikke relevant; borgere, der ikke selv kan samtykke, træner på hold.",
        "involvement_description": "Tyve borgere og fire terapeuter testede appen, og forløbet blev ændret "
        "efter deres ønsker.",
        "supplier": "Eksempel Træning A/S",
        "public_contact": "Sundhed og Omsorg, Esbjerg Kommune, telefon 76 16 16 16",
        "expected_benefits": ["livskvalitet", "oekonomi"],
        "sector_area": "social-og-sundhed",
    },
    "discussions": [
        "Udvalget drøftede, om borgere uden smartphone bliver ladt i stikken, og besluttede, at tablets kan lånes.",
        "Terapeuterne fremhævede, at de kan justere øvelserne hurtigere, når de ser, hvad borgeren har lavet.",
        "Udvalget drøftede, at holdtræning også er socialt samvær, og at den derfor skal fortsætte.",
    ],
    "answers": [
        "Borgerne træner oftere og kan selv vælge tidspunktet.",
        "Holdtræning og papirprogram tilbydes fortsat til alle, der ønsker det.",
        "Kun borgerens terapeut ser træningsdata, og de slettes efter forløbet.",
    ],
    "concerns": ["lav", "ingen", "lav", "middel"],
    "review": "fordi borgeren kan vælge holdtræning i stedet, og kun terapeuten ser træningsdata",
    "condition": None,
    "evaluation": ("Måling af gangfunktion og tilfredshed efter tolv uger.", "Træningscentret"),
}

CAMERA = {
    "proposal": {
        "problem": "Nattevagterne på bostedet tjekker beboere med epilepsi hver time og vækker dem dermed.",
        "target_group": "Beboere med epilepsi på kommunens bosted.",
        "target_group_size": 12,
        "technology_name": "Natkamera",
        "technology_description": "Et kamera i soveværelset viser beboeren på nattevagtens skærm hele natten, "
        "så nattevagten kan se anfald uden at gå ind.",
        "expected_effect": "Færre afbrudte nætter og hurtigere hjælp ved anfald.",
        "effect_followup": "Anfald, reaktionstid og beboernes søvn ville blive fulgt hvert kvartal.",
        "personal_data": "Levende billeder fra beboerens soveværelse hele natten.",
        "special_categories": "Helbredsoplysninger (anfald).",
        # Issue 28: this said "Samtykke fra beboeren eller værgen" while the freedom answer said the
        # guardian's consent is not enough ("vaerge_samtykke_begge_veje"); the board corrected it.
        "legal_basis": "Samtykke fra beboeren selv. Værgens samtykke rækker ikke til kamera i soveværelset.",
        "data_access": "Nattevagterne; billederne gemmes ikke.",
        "opt_out": "Ja, men alternativet er tilsyn hver time som i dag.",
        "proxy_consent": "Værgen ville skulle give samtykke for de fleste beboere.",
        "involvement_description": "Pårørende og medarbejdere blev hørt; to beboere sagde selv nej.",
        "public_contact": "Social og Arbejdsmarked, Esbjerg Kommune, telefon 76 16 16 16",
        "expected_benefits": ["livskvalitet", "fysisk_arbejdsmiljoe"],
    },
    "discussions": [
        "Udvalget drøftede, at et kamera i soveværelset ser alt, også det, der intet har med anfald at gøre.",
        "Flere beboere kan ikke selv give samtykke, og to af dem, der kan, sagde nej.",
        "Udvalget sammenlignede med sensorer i madrassen, som opdager anfald uden billeder.",
    ],
    "answers": [
        "Et kamera hele natten er et for stort indgreb i privatlivet i beboerens eget soveværelse.",
        "Samtykke fra værgen alene er ikke nok til så indgribende en løsning.",
        "Sensorer uden billeder giver samme tryghed med mindre indgreb og skal undersøges i stedet.",
    ],
    "concerns": ["hoej", "hoej", "middel", "hoej"],
    "review": "men udvalget finder, at løsningen går for tæt på beboerens privatliv",
    "review_status": "delvist_opfyldt",
    "condition": None,
    "evaluation": ("Undersøg sensorer i madrassen som alternativ.", "Social og Arbejdsmarked"),
}


# Record schema 2's parts of each proposal (app/demo/proposal_details.py).
SENSORS["proposal"] |= details.SENSORS
VACUUM["proposal"] |= details.VACUUM
SCREEN_VISITS |= details.SCREEN_VISITS
GPS["proposal"] |= details.GPS
ROBOT_SEAL["proposal"] |= details.ROBOT_SEAL
TRAINING["proposal"] |= details.TRAINING
CAMERA["proposal"] |= details.CAMERA


def _answer_all(assessment: Assessment, editor: User, story: dict) -> None:
    for index, row in enumerate(assessment.questions):
        _answer_question(row, editor, story, index)
    for review in assessment.reviews:
        assessments.save_review(
            review,
            {
                "status": story.get("review_status", "opfyldt"),
                "justification": f"Udvalget har vurderet forslaget efter anbefalingen „{review.title}“, "
                f"{story['review']}.",
            },
            expected_version=None,
            user=editor,
        )


def _answer_question(row, editor: User, story: dict, index: int) -> None:
    pick = lambda key: story[key][index % len(story[key])]  # noqa: E731 - one line per story key
    assessments.save_question(
        row,
        {"discussion": pick("discussions"), "answer": pick("answers"), "concern": pick("concerns")},
        expected_version=None,
        user=editor,
    )


def tell_story(assessment: Assessment, editor: User, story: dict, *, content: ContentSet, technology: str) -> None:
    """A story's proposal and the board's answers to every question and recommendation (the
    benchmark's bulk seeding, app/demo/bulk.py, starts from the same story)."""
    assessments.save_proposal(
        assessment, _proposal(content, technology, **story["proposal"]), expected_version=None, user=editor
    )
    _answer_all(assessment, editor, story)


def _password_ok(user: User, password: str) -> bool:
    return verify_password(user.password_hash, password)[0]


# What the consistency rules (issue 28) find in the demo's stories and the boards chose to explain
# rather than change: each is a real tension the record now states openly.
GPS_EXPLAINED = {
    "frivillig_uden_samtykke": "GPS-uret er frivilligt for borgere, der selv kan give samtykke. For borgere, der "
    "ikke kan, træffer kommunen en afgørelse efter servicelovens § 125 efter en samtale med værgen; "
    "afgørelsen kan påklages og gælder højst seks måneder ad gangen.",
}
SENSORS_EXPLAINED = {
    "frivillig_uden_samtykke": "Sensorerne er frivillige for beboere, der selv kan sige ja eller nej. For "
    "beboere, der ikke kan, bruges de kun efter en afgørelse efter servicelovens § 125 om alarm- og "
    "pejlesystemer, og beboeren eller værgen kan bede om at få dem slået fra.",
    "ikke_paa_raadets_liste": "Sensorerne bruges ikke til magtanvendelse, men som alarm- og pejlesystem efter "
    "§ 125. Rådets liste gælder teknologi til magtanvendelse, og udvalget vil ikke have sensorerne brugt "
    "sådan, før de står på listen.",
}


def _meeting(
    assessment: Assessment,
    editor: User,
    members: list[User],
    *,
    absent: int = 1,
    conflicts: tuple[tuple[str, str, str], ...] = (),
) -> None:
    """The meeting that deliberated (issue 28 item 2): the board's members with a login were
    present and each took a stance ("enig" unless the story gave them another); a member with a
    conflict of interest (name, title, reason) was present and took none."""
    for member in members:
        if all(p.user_id != member.id for p in assessment.positions):
            assessments.save_position(assessment, "enig", "", user=member)
    present = [f"{m.name}, {m.title}" for m in members] + [f"{name}, {title}" for name, title, _ in conflicts]
    assessments.save_decision(
        assessment,
        {
            "board_present": "\n".join(present),
            "board_absent_count": absent,
            "board_conflicts": "\n".join(f"{name}: {reason}" for name, _title, reason in conflicts),
        },
        expected_version=None,
        user=editor,
    )


def _sign(
    assessment: Assessment,
    editor: User,
    signers: list[User],
    content: ContentSet,
    *,
    members: list[User] | None = None,
    absent: int = 1,
    conflicts: tuple[tuple[str, str, str], ...] = (),
    explained: dict[str, str] | None = None,
) -> None:
    """Record the meeting, explain what the consistency rules found and the board chose to
    explain rather than change (issue 28), name the signatories and sign as each."""
    if assessment.status == "draft":
        assessments.transition(assessment, "start_deliberation", user=editor)
    _meeting(assessment, editor, members or signers, absent=absent, conflicts=conflicts)
    for rule, text in (explained or {}).items():
        explanations.save_explanation(assessment, rule, text, user=editor)
    signoff.name_signatories(assessment, [s.id for s in signers], user=editor)
    assessments.transition(assessment, "request_signoff", user=editor)
    for signer in signers:
        _, record_sha256 = signoff.current_record(assessment, content)
        signoff.sign(
            assessment,
            user=signer,
            password=DEMO_PASSWORD,
            seen_hash=record_sha256,
            seen_at=None,
            content=content,
            password_ok=_password_ok,
        )


def _decided(
    content: ContentSet,
    editor: User,
    story: dict,
    *,
    title: str,
    technology: str,
    decision: str,
    reasoning: str,
    dilemma_ids: list[str],
    review_date: date = date(2027, 12, 1),
) -> Assessment:
    """An assessment with the whole deliberation done, ready for sign-off."""
    assessment = assessments.create_assessment(user=editor, title=title, dilemma_ids=dilemma_ids, content=content)
    tell_story(assessment, editor, story, content=content, technology=technology)
    if story["condition"]:
        description, owner = story["condition"]
        assessments.add_action(
            assessment,
            {"description": description, "owner": owner, "due_date": date(2027, 3, 1), "is_condition": True},
            user=editor,
        )
    description, owner = story["evaluation"]
    assessments.add_action(
        assessment, {"description": description, "owner": owner, "due_date": date(2027, 12, 1)}, user=editor
    )
    assessments.save_decision(
        assessment,
        {"decision": decision, "decision_reasoning": reasoning, "review_date": review_date},
        expected_version=None,
        user=editor,
    )
    return assessment


def _consultation(
    assessment: Assessment, editor: User, *, started_days_ago: int, lasts_days: int, responses: list[dict]
):
    """A consultation that began some days ago, with responses; each dict may carry moderation and answer."""
    today = danish_today()
    opens = today - timedelta(days=started_days_ago)
    hearing = consultation.open_consultation(
        assessment,
        user=editor,
        opens=opens,
        closes=opens + timedelta(days=lasts_days),
        introduction="Udvalget vil gerne høre borgere, pårørende, medarbejdere og rådene, før det beslutter. "
        "Skriv, hvad du synes er godt, og hvad der bekymrer dig. Udvalget svarer på hvert svar.",
        question_ids=[q.question_id for q in assessment.questions if q.kind == "guiding"],
        today=opens,
    )
    for number, values in enumerate(responses, start=1):
        values = dict(values)
        moderation, answer = values.pop("moderation", None), values.pop("answer", None)
        question = values.pop("about_question", None)
        response = consultation.receive_response(
            hearing,
            question_id=hearing.questions()[question].question_id if question is not None else None,
            address=f"demo-{number}",
            today=opens + timedelta(days=number),
            **values,
        )
        if moderation:
            consultation.moderate(
                response,
                user=editor,
                approve=moderation == "approve",
                reason="" if moderation == "approve" else moderation,
            )
        if answer:
            consultation.answer_response(response, user=editor, answer_status=answer[0], answer=answer[1])
    return hearing


# What Esbjerg writes itself when it builds on Odense's GPS assessment: what only Esbjerg can say
# (never copied) and two answers it rewrote; the rest stays marked as taken over until edited.
ESBJERG_GPS = {
    "problem": "Hjemmeboende borgere med demens i Esbjerg farer vild på deres gåture, især i de nye "
    "boligområder. Pårørende tør ikke lade dem gå alene, og hjemmeplejen bruger tid på eftersøgninger.",
    "target_group_size": 45,
    "public_contact": "Demenskonsulenterne i Sundhed & Omsorg, Esbjerg Kommune, telefon 76 16 50 00",
    "involvement_citizens": "nogen",
    "involvement_relatives": "hoej",
    "involvement_staff": "nogen",
    "involvement_phase": "beslutning",
    "involvement_description": "Odenses erfaringer blev drøftet med Ældrerådet og Demensforeningen i Esbjerg, "
    "og fire familier har prøvet uret, før udvalget besluttede sig.",
    "decision_body": "Sundheds- og Omsorgsudvalget",
    "decision_meeting_date": date(2026, 9, 14),
    "case_number": "27.30.10-G01-7-26",
    "in_use_date": date(2026, 11, 1),
    "complaint_to": "Ankestyrelsen gennem Esbjerg Kommune",
    "complaint_how": "Send klagen til Sundhed & Omsorg gennem Digital Post eller med brev. Kommunen genvurderer "
    "afgørelsen og sender den til Ankestyrelsen, hvis den fastholdes.",
    "complaint_deadline": "4 uger fra du har fået afgørelsen",
    "cost_one_off": 140_000,
    "funding": "Sundhed & Omsorgs budget til hjælpemidler",
}


def _citizen_question(assessment: Assessment, editor: User) -> None:
    """A citizen asks about the published record; the secretariat answers and shows both under it
    (citizens' feedback), through the same services as the public form and the board's page."""
    from app.feedback import services as feedback
    from app.public.models import Publication

    publication = db.session.scalar(select(Publication).where(Publication.assessment_id == assessment.id))
    question = feedback.receive(
        publication,
        kind="spoergsmaal",
        body="Min far bor på plejecentret. Hvor længe gemmer I det, sensoren registrerer om natten, og kan jeg se det?",
        author_name="Karen Holm",
        author_organisation="",
        publish_name=True,
        address="192.0.2.200",
    )
    feedback.answer(
        question,
        user=editor,
        text="Hændelserne slettes efter 14 dage; det står i version 2 af vurderingen. Kun nattevagten og "
        "plejecentrets leder kan se dem. Som pårørende kan du få oplyst, hvad der er registreret om din far, "
        "hvis han har givet lov til det.",
    )
    feedback.moderate(question, user=editor, approve=True)


# Esbjerg's own deliberation of the questions it took over from Odense's record.
ESBJERG_GPS_DELIBERATION = {
    "discussions": [
        "Udvalget i Esbjerg læste Odenses vurdering og drøftede, om borgerens frihed til at gå ture også "
        "vejer tungest her, hvor mange bor langt fra naboer.",
        "Demensforeningen i Esbjerg spurgte, hvem der ser positionen om natten. Udvalget drøftede, hvordan "
        "borgeren selv kan slå uret fra.",
        "De fire familier, der prøvede uret, fortalte om færre bekymringer; udvalget drøftede, om uret kan "
        "erstatte en ledsager.",
    ],
    "answers": [
        "Udvalget i Esbjerg er enigt med Odense: borgerens frihed til at gå ture vejer tungest.",
        "Positionen vises kun uden for det aftalte område, og borgeren kan tage uret af.",
        "Uret supplerer en ledsager og erstatter den ikke.",
    ],
    "concerns": ["middel", "middel", "lav"],
}


# Esbjerg's own documents: Odense's are Odense's, and a new board links its own.
ESBJERG_GPS_DOCUMENTS = {
    "dpia": {
        "status": "foreligger",
        "title": "Konsekvensanalyse for GPS-ure til hjemmeboende borgere med demens",
        "url": "https://www.esbjerg.example.dk/persondata/dpia-gps-ure",
        "document_date": date(2026, 8, 20),
    },
    "databehandleraftale": {
        "status": "foreligger",
        "title": "Databehandleraftale om GPS-urene",
        "url": "https://www.esbjerg.example.dk/persondata/databehandleraftaler#gps-ure",
    },
}


def _built_on_gps(content: ContentSet, gps: Assessment, editor: User, signers: list[User]) -> Assessment:
    """Esbjerg starts from Odense's published GPS record (reuse), writes what is its own,
    decides, signs and publishes; Odense's public page then links to Esbjerg's record."""
    from app.public.models import Publication
    from app.reuse import services as reuse

    source = db.session.scalar(select(Publication).where(Publication.assessment_id == gps.id))
    assessment = reuse.start_from(source, user=editor, title="GPS til hjemmeboende borgere med demens", content=content)
    assessments.save_proposal(assessment, ESBJERG_GPS, expected_version=None, user=editor)
    # Odense's deliberation is never copied: Esbjerg's board holds its own, with Odense's answers
    # beside each question to read.
    for index, row in enumerate(assessment.questions):
        _answer_question(row, editor, ESBJERG_GPS_DELIBERATION, index)
    # The board reads what it took over, section by section, and confirms it (Esbjerg changed the
    # problem, the target group's size, the cost and the funding above: those are its own).
    found = reuse.marks(assessment, content=content)
    for section in sorted(reuse.sections_of(found)):
        reuse.confirm(assessment, user=editor, section=section)
    assessments.save_decision(
        assessment,
        {
            "decision": "anbefales_med_betingelser",
            "decision_reasoning": "Som i Odense: GPS giver borgeren frihed til at gå ture, når borgeren selv eller "
            "værgen har sagt ja.",
            "review_date": date(2027, 12, 1),
        },
        expected_version=None,
        user=editor,
    )
    demo_documents.add_documents(assessment, editor, ESBJERG_GPS_DOCUMENTS)
    _sign(assessment, editor, signers, content, absent=0, explained=GPS_EXPLAINED)
    assessments.transition(assessment, "publish", user=next(s for s in signers if s.is_admin))
    return assessment


def _addendum(assessment: Assessment, editor: User, kind: str, day: date, **fields) -> None:
    """A signed addendum to a published record, as the secretariat adds it (app/addenda)."""
    db.session.flush()
    addenda.add(assessment.signed_record, addenda.Draft(kind=kind, event_date=day, **fields), user=editor)


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
    sensors = _decided(
        content,
        editor,
        SENSORS,
        title="Nattilsyn med sensorer på plejecentre",
        technology=tech("tryghedsskabende-teknologi"),
        decision="anbefales_med_betingelser",
        reasoning="Sensorerne øger trygheden og værdigheden om natten uden kamera, og ingen skal "
        "have dem mod deres vilje.",
        dilemma_ids=dilemma_ids[-1:],
    )
    demo_documents.add_documents(sensors, editor, demo_documents.DOCUMENTS["sensors"])
    assessments.save_position(
        sensors, "uenig", "Jeg frygter, at sensorerne på sigt erstatter nattevagter.", user=member
    )
    _sign(sensors, editor, [chair, admin], content, members=[chair, member, admin], explained=SENSORS_EXPLAINED)
    assessments.transition(sensors, "publish", user=admin)
    sensors_v2 = assessments.reopen(sensors, user=editor)
    assessments.save_proposal(
        sensors_v2,
        {"data_access": "Nattevagten og plejecentrets leder. Hændelser slettes nu efter 14 dage."},
        expected_version=None,
        user=editor,
    )
    assessments.save_position(  # version 2 is a new meeting: the member keeps his dissent there too
        sensors_v2, "uenig", "Jeg frygter, at sensorerne på sigt erstatter nattevagter.", user=member
    )
    _sign(
        sensors_v2,
        editor,
        [chair, admin],
        content,
        members=[chair, member, admin],
        absent=0,
        explained=SENSORS_EXPLAINED,
    )
    assessments.transition(sensors_v2, "publish", user=admin)
    _citizen_question(sensors_v2, editor)
    _addendum(  # what came after the signature: the effect measured so far (app/addenda)
        sensors_v2,
        editor,
        "effekt",
        danish_today(),
        outcome="som_forventet",
        text="I de første måneder blev 31 % færre fald opdaget for sent end året før, tæt på de forventede 30 %. "
        "Ingen beboere har bedt om at få sensoren slukket.",
    )

    # Aarhus: signed by the demo signatories and waiting for the admin to publish it.
    vacuum = _decided(
        content,
        editor,
        VACUUM,
        title="Robotstøvsugere i plejeboliger",
        technology=tech("rengoerings-og-serviceteknologi"),
        decision="anbefales",
        reasoning="Robotterne frigør tid til omsorg og bruger ingen personoplysninger.",
        dilemma_ids=dilemma_ids[1:2],
    )
    _sign(
        vacuum,
        editor,
        [chair, admin],
        content,
        members=[chair, member, admin],
        absent=0,
        conflicts=(
            (
                "Hanne Vestergaard",
                "Udvalgsmedlem",
                "hendes søster er medejer af leverandøren af robotstøvsugerne",
            ),
        ),
    )

    # Aarhus: in deliberation, and a fresh draft.
    deliberation = assessments.create_assessment(
        user=editor, title="Skærmbesøg i hjemmeplejen", dilemma_ids=dilemma_ids[1:2], content=content
    )
    assessments.save_proposal(
        deliberation,
        _proposal(content, tech("skaermbesoeg-og-telemedicin"), **SCREEN_VISITS),
        expected_version=None,
        user=editor,
    )
    assessments.transition(deliberation, "start_deliberation", user=editor)
    screen_story = {
        "discussions": [
            "Udvalget drøftede, om skærmbesøg gør borgerne mere ensomme, når det fysiske besøg forsvinder."
        ],
        "answers": ["Skærmbesøg kan erstatte påmindelser, ikke besøg, hvor der er brug for hænder."],
        "concerns": ["middel", "lav"],
    }
    for index, row in enumerate(deliberation.questions[:3]):
        _answer_question(row, editor, screen_story, index)
    _consultation(
        deliberation,
        editor,
        started_days_ago=7,
        lasts_days=28,
        responses=[
            {
                "body": "Ældrerådet støtter skærmbesøg, når borgeren selv vælger det. Vi er bekymrede for de borgere, "
                "der bliver ensomme, hvis det fysiske besøg forsvinder. Skærmbesøg må ikke blive den eneste "
                "kontakt i løbet af dagen.",
                "author_name": "Grethe Møller",
                "author_organisation": "Ældrerådet",
                "publish_name": True,
                "moderation": "approve",
                "answer": (
                    "delvist_indarbejdet",
                    "Udvalget foreslår en betingelse om, at borgere med skærmbesøg "
                    "fortsat får mindst ét fysisk besøg om dagen.",
                ),
            },
            {
                "body": "Min far har svært ved at høre i telefonen. Kan man få hjælp til lyden på tabletten?",
                "author_name": "",
                "author_organisation": "",
                "publish_name": False,
                "about_question": 0,
                "moderation": "approve",
            },
            {
                "body": "Hvem ser med, når min mor tager sin medicin? Bliver det optaget?",
                "author_name": "Anne Berg",
                "author_organisation": "",
                "publish_name": False,
            },
        ],
    )
    draft = assessments.create_assessment(
        user=editor, title="Spiserobot på bostedet", dilemma_ids=dilemma_ids[:1], content=content
    )
    assessments.save_proposal(
        draft,
        {
            "problem": "Beboere med nedsat armfunktion vil gerne spise selv.",
            "target_group": "Beboere på bostedet med nedsat armfunktion.",
        },
        expected_version=None,
        user=editor,
    )

    # Odense: one published, one published and later withdrawn.
    gps = _decided(
        content,
        odense_editor,
        GPS,
        title="GPS til borgere med demens",
        technology=tech("tryghedsskabende-teknologi"),
        decision="anbefales_med_betingelser",
        reasoning="GPS giver borgeren frihed til at gå ture, når borgeren selv eller værgen har sagt ja.",
        dilemma_ids=dilemma_ids[-1:],
    )
    hearing = _consultation(
        gps,
        odense_editor,
        started_days_ago=30,
        lasts_days=60,
        responses=[
            {
                "body": "Handicaprådet bakker op om GPS, hvis borgeren selv kan slå den fra, og hvis det er "
                "tydeligt, hvem der kan se, hvor borgeren er.",
                "author_name": "Hanne Iversen",
                "author_organisation": "Handicaprådet",
                "publish_name": True,
                "moderation": "approve",
                "answer": (
                    "indarbejdet",
                    "Udvalget har gjort det til en betingelse, at borgeren eller værgen får "
                    "skriftlig besked om, hvem der kan se positionen, og hvordan GPS'en slås fra.",
                ),
            },
            {
                "body": "Min mand går tit ture og farer vild. GPS vil give os begge mere frihed.",
                "author_name": "",
                "author_organisation": "",
                "publish_name": False,
                "about_question": 0,
                "moderation": "approve",
                "answer": ("ikke_indarbejdet", "Tak for svaret. Det bekræfter forslaget og har ikke ændret det."),
            },
            {
                "body": "Køb billige GPS-ure på vores hjemmeside!",
                "author_name": "",
                "author_organisation": "",
                "publish_name": False,
                "moderation": "spam",
            },
        ],
    )
    consultation.close_consultation(hearing, user=odense_editor)
    assessments.add_action(
        gps,
        {
            "description": "Informationsmøde for værger og pårørende.",
            "owner": "Demenskoordinatoren",
            "due_date": danish_today() - timedelta(days=14),
        },
        user=odense_editor,
    )
    demo_documents.add_gps_documents(gps, odense_editor)
    _sign(gps, odense_editor, [odense_chair, odense_admin], content, explained=GPS_EXPLAINED)
    assessments.transition(gps, "publish", user=odense_admin)
    _addendum(  # the committee's formal decision, after the ethics board's recommendation (app/addenda)
        gps,
        odense_editor,
        "beslutning",
        date(2026, 6, 9),
        outcome="godkendt",
        body="Ældre- og Handicapudvalget",
        text="Udvalget godkendte, at GPS-ure tilbydes borgere med demens på de betingelser, etikrådet anbefalede.",
        reference="Journalnummer 27.30.10-G01-41-26, dagsordenens punkt 4",
    )
    # After publication the follow-up log records progress: one condition under way, one item overdue.
    condition = next(a for a in gps.actions if a.is_condition)
    followup.record_followup(
        condition,
        status="i_gang",
        user=odense_editor,
        note="Brevet til borgere og værger er skrevet og sendes ud med det første GPS-ur.",
    )
    pets = _decided(
        content,
        odense_editor,
        ROBOT_SEAL,
        title="Robotkæledyr på demensafsnit",
        technology=tech("sanseteknologi"),
        decision="anbefales",
        reasoning="Robotkæledyr kan berolige uden medicin.",
        dilemma_ids=dilemma_ids[1:2],
    )
    demo_documents.add_documents(pets, odense_editor, demo_documents.DOCUMENTS["robot_seal"])
    _sign(pets, odense_editor, [odense_chair, odense_admin], content)
    assessments.transition(pets, "publish", user=odense_admin)
    assessments.transition(
        pets,
        "withdraw",
        user=odense_admin,
        reason="Leverandøren har trukket produktet tilbage; en ny vurdering følger.",
    )

    # Esbjerg: two published, one of them a no.
    training = _decided(
        content,
        esbjerg_editor,
        TRAINING,
        title="Digital genoptræning efter hofteoperation",
        technology=tech("traeningsteknologi"),
        decision="anbefales",
        reasoning="Borgerne træner oftere og kan selv vælge tidspunktet; holdtræning tilbydes fortsat.",
        dilemma_ids=dilemma_ids[:1],
        review_date=date(2026, 9, 1),  # passed with no review added: "Revurderingen er overskredet"
    )
    demo_documents.add_documents(training, esbjerg_editor, demo_documents.DOCUMENTS["training"])
    _sign(training, esbjerg_editor, [esbjerg_chair, esbjerg_admin], content)
    assessments.transition(training, "publish", user=esbjerg_admin)
    camera = _decided(
        content,
        esbjerg_editor,
        CAMERA,
        title="Kamera i soveværelset om natten",
        technology=tech("tryghedsskabende-teknologi"),
        decision="anbefales_ikke",
        reasoning="Udvalget finder, at sensorer uden billeder giver samme tryghed med mindre indgreb i privatlivet.",
        dilemma_ids=dilemma_ids[-1:],
    )
    demo_documents.add_documents(camera, esbjerg_editor, demo_documents.DOCUMENTS["camera"])
    _sign(
        camera,
        esbjerg_editor,
        [esbjerg_chair, esbjerg_admin],
        content,
        absent=0,
        explained={
            "dpia_ikke_noedvendig_ved_overvaagning": "Etikrådet anbefaler ikke kameraet, og kommunen behandler "
            "derfor ingen billeder. Kommer et nyt forslag om overvågning i soveværelset, laves "
            "konsekvensanalysen, før udvalget behandler det."
        },
    )
    assessments.transition(camera, "publish", user=esbjerg_admin)

    esbjerg_gps = _built_on_gps(content, gps, esbjerg_editor, [esbjerg_chair, esbjerg_admin])

    # Esbjerg: an AI-based decision aid, high-risk under the AI Act, with its Article 27 assessment.
    visitation = _decided(
        content,
        esbjerg_editor,
        ai_story.VISITATION,
        title="Beslutningsstøtte med kunstig intelligens i visitationen",
        technology=tech("kunstig-intelligens"),
        decision="anbefales_med_betingelser",
        reasoning="Forslagene kan gøre afgørelserne mere ens, når visitator altid træffer afgørelsen, og "
        "afvigelser følges, så skævheder findes.",
        dilemma_ids=dilemma_ids[:1],
    )
    ai_story.assess(visitation, esbjerg_editor)
    _sign(visitation, esbjerg_editor, [esbjerg_chair, esbjerg_admin], content)
    assessments.transition(visitation, "publish", user=esbjerg_admin)

    db.session.flush()
    listed = (sensors, sensors_v2, vacuum, deliberation, draft, gps, pets, training, camera, esbjerg_gps, visitation)
    for assessment in listed:
        summary.assessments.append(
            (
                f"{assessment.organisation.name}: {assessment.title} (v{assessment.version_number})",
                assessment.status_enum.label,
            )
        )
    return summary
