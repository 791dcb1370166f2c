"""The demo's AI-based technology: a decision aid in Esbjerg's needs assessment for
home care, screened as high-risk AI under Annex III point 5 of the AI Act, with the Article 27
fundamental-rights impact assessment filled in. app/demo/services.py decides, signs and publishes
it like the other stories; no text is shared with them.
"""

from __future__ import annotations

from datetime import date

from app.ai import services as ai
from app.demo import documents as demo_documents

VISITATION = {
    "proposal": {
        "problem": "Visitatorerne i Esbjerg vurderer hvert år omkring 2.000 ansøgninger om hjemmehjælp. Det "
        "samme behov bliver vurderet forskelligt fra visitator til visitator, og borgerne venter i gennemsnit "
        "fire uger på en afgørelse.",
        "target_group": "Borgere over 65 år, der søger praktisk hjælp eller personlig pleje i eget hjem, og "
        "kommunens visitatorer.",
        "target_group_size": 2000,
        "technology_name": "Beslutningsstøtte i visitationen",
        "technology_description": "En model, der er trænet på kommunens tidligere visitationer, læser "
        "ansøgningen og funktionsvurderingen og foreslår et omfang af hjælp med en begrundelse. Visitator "
        "ser forslaget før hjemmebesøget og træffer selv afgørelsen.",
        "expected_effect": "Mere ens afgørelser for borgere med samme behov og kortere ventetid på afgørelsen.",
        "effect_followup": "Forskellen mellem visitatorernes afgørelser i ens sager og ventetiden måles hvert "
        "kvartal; Ældrerådet får en status hvert halve år.",
        "personal_data": "Oplysninger fra ansøgningen og funktionsvurderingen: alder, boligforhold, hvad "
        "borgeren selv kan, og hjælp fra pårørende.",
        "special_categories": "Helbredsoplysninger (diagnoser og funktionsevne).",
        "legal_basis": "Servicelovens § 83 om hjemmehjælp; databeskyttelsesforordningens artikel 6, stk. 1, "
        "litra e, og artikel 9, stk. 2, litra h.",
        "data_access": "Visitatorerne og systemets to administratorer i Social & Arbejdsmarked. Forslagene "
        "gemmes i fem år sammen med afgørelsen.",
        "opt_out": "Borgeren kan bede om, at forslaget ikke bruges i sin sag. Så vurderer visitator sagen "
        "uden forslag, som det sker i dag.",
        "proxy_consent": "Der kræves ikke samtykke, fordi visitationen er myndighedsudøvelse. Værger og "
        "pårørende får samme ret til at sige fra som borgeren selv.",
        "involvement_description": "Ældrerådet, to visitatorteams og en gruppe borgere har været med til at "
        "beslutte, hvad forslaget må bygge på, og har læst prøveforslag fra afprøvningen.",
        "supplier": "Eksempel Beslutningsstøtte ApS",
        "public_contact": "Visitationen, Social & Arbejdsmarked, Esbjerg Kommune, telefon 76 16 30 00",
        "expected_benefits": ["livskvalitet", "arbejdsglaede"],
        "effect_baseline": "I 2025 gav to visitatorer forskelligt omfang af hjælp i 23 ud af 100 ens "
        "testsager, og ventetiden på en afgørelse var i gennemsnit 27 dage.",
        "effect_size": "Vi forventer, at forskellen i ens testsager halveres, og at ventetiden kommer under "
        "to uger inden for det første år.",
        "behaviour_change": "Visitator læser forslaget og begrundelsen før hjemmebesøget og skriver i "
        "afgørelsen, hvorfor forslaget er fulgt eller fravalgt.",
        "professional_bottom_line": "Borgere med samme behov får samme hjælp, og visitatorerne bruger mindre "
        "tid på papir og mere tid på samtalen med borgeren.",
        "cost_one_off": 1_200_000,
        "cost_yearly": 350_000,
        "funding": "Social & Arbejdsmarkeds digitaliseringspulje",
        "freed_hours_yearly": 900,
        "without_technology": "Visitatorerne fortsætter som i dag, og ventetiden vokser, fordi antallet af "
        "ansøgninger stiger med omkring fem procent om året.",
        "alternatives_considered": "Flere visitatorer blev fravalgt, fordi stillingerne ikke kan besættes. "
        "Fælles tjeklister blev afprøvet i 2024 og gjorde kun afgørelserne lidt mere ens.",
        "automation_level": "foreslaar",
        "human_response": "Visitator ser forslaget i sagen senest dagen før hjemmebesøget og træffer "
        "afgørelsen efter samtalen med borgeren.",
        "override": "Ja. Visitator kan altid fravælge forslaget, og borgeren kan bede om en vurdering helt "
        "uden forslag.",
        "error_rates": "Leverandøren oplyser, at forslaget rammer ved siden af med mere end én time om ugen i "
        "cirka 12 ud af 100 sager, oftest hos borgere, der bor alene.",
        "restricts_freedom": "nej",
        "trial": "Afprøvet i tre måneder i 2025 på 300 afsluttede sager uden betydning for borgerne. "
        "Forslagene fulgte visitatorernes afgørelser i 81 ud af 100 sager.",
        "failure_plan": "Er systemet nede, eller ser forslaget forkert ud, vurderer visitator sagen som i dag. "
        "Ingen afgørelse venter på systemet.",
        "barrier_implementation": "nogen",
        "barrier_implementation_note": "Visitatorerne skal lære at læse og udfordre forslagets begrundelse.",
        "barrier_economy": "mindre",
        "barrier_management": "mindre",
        "barrier_maturity": "nogen",
        "barrier_maturity_note": "Modellen er ny på det danske marked og er kun afprøvet i én kommune.",
        "decision_body": "Social & Arbejdsmarkedsudvalget",
        "decision_meeting_date": date(2026, 4, 21),
        "decision_minutes_url": "https://dagsorden.example.org/esbjerg/social-og-arbejdsmarked/2026-04-21#punkt-4",
        "case_number": "27.12.00-G01-14-26",
        "in_use_date": date(2026, 9, 1),
        "complaint_to": "Ankestyrelsen, gennem Social & Arbejdsmarked i Esbjerg Kommune",
        "complaint_how": "Du klager over afgørelsen om hjemmehjælp til kommunen, der ser på sagen igen. "
        "Fastholder kommunen afgørelsen, sender den klagen videre til Ankestyrelsen. Visitationen hjælper "
        "gerne med at skrive klagen.",
        "complaint_deadline": "4 uger fra du har modtaget afgørelsen",
        "uses_ai": "ja",
        "ai_purpose": "Systemet læser ansøgningen og funktionsvurderingen og foreslår visitator, hvor meget "
        "hjemmehjælp borgeren bør tilbydes. Det er visitator, der træffer afgørelsen.",
        "ai_annex_area": "offentlige_ydelser",
    },
    "discussions": [
        "Udvalget drøftede, om forslaget vil trække afgørelserne i retning af det, kommunen plejer at give, "
        "også når borgerens behov er et andet.",
        "Ældrerådet spurgte, om borgeren får at vide, at der er brugt et forslag fra en model i sagen.",
        "Visitatorerne var bekymrede for, om de får tid til at udfordre forslaget, når ventelisten er lang.",
    ],
    "answers": [
        "Forslaget er et udgangspunkt; visitator skal begrunde sin afgørelse, uanset om forslaget følges.",
        "Det står i afgørelsen, at et forslag fra systemet er brugt, og borgeren kan sige fra.",
        "Afvigelser fra forslaget følges hvert kvartal, så skævheder kan findes og rettes.",
    ],
    "concerns": ["middel", "hoej", "middel", "lav"],
    "review": "fordi visitator altid træffer afgørelsen, og fordi afvigelser fra forslaget følges hvert kvartal",
    "condition": (
        "Systemets forslag sammenlignes hvert kvartal med afgørelserne for borgere, der bor alene.",
        "Leder af Visitationen",
    ),
    "evaluation": ("Evaluering af ens afgørelser, ventetid og klager efter et år.", "Social & Arbejdsmarked"),
}

FRIA = {
    "fria_processes": "Visitationen til hjemmehjælp efter servicelovens § 83. Systemet bruges, når en ansøgning "
    "er modtaget, og giver visitator et forslag til omfanget af hjælp før hjemmebesøget.",
    "fria_period": "Fra 1. september 2026 i to år, derefter ny vurdering. Systemet bruges ved hver ny "
    "ansøgning og hver revisitation, cirka 40 gange om ugen.",
    "fria_persons": "Ældre borgere, der søger hjemmehjælp, og deres pårørende. Særligt borgere med demens, "
    "borgere uden pårørende og borgere, der ikke taler dansk, fordi de sjældnere står i de data, modellen "
    "er trænet på.",
    "fria_risks": "Forslaget kan undervurdere behovet hos borgere, der bor alene, så de får for lidt hjælp. "
    "Leverandørens brugsanvisning (artikel 13) nævner større usikkerhed for borgere med få tidligere sager. "
    "Visitatorer kan komme til at følge forslaget uden selvstændig vurdering.",
    "fria_oversight": "Visitator træffer altid afgørelsen efter hjemmebesøget og skal skrive, hvorfor "
    "forslaget er fulgt eller fravalgt. Visitatorerne er uddannet i at læse forslagets begrundelse og "
    "usikkerhed, og lederen af Visitationen kan slå systemet fra.",
    "fria_measures": "Afvigelser mellem forslag og afgørelser gennemgås hvert kvartal af en styregruppe med "
    "Ældrerådet. Viser de skævhed, slås forslaget fra for den gruppe af borgere. Klager over afgørelser går "
    "til kommunen og videre til Ankestyrelsen; henvendelser om systemet går til Visitationen.",
    "fria_dpia": "Konsekvensanalyse vedrørende databeskyttelse for beslutningsstøtte i visitationen, "
    "journalnummer 27.12.00-G01-15-26",
    "fria_notified": True,
    "fria_notified_date": date(2026, 4, 28),
}


DOCUMENTS = {
    "dpia": {
        "status": "foreligger",
        "title": "Konsekvensanalyse for beslutningsstøtte i visitationen",
        "url": "https://www.esbjerg.example.dk/persondata/dpia-visitation",
        "document_date": date(2026, 3, 30),
    },
    "databehandleraftale": {
        "status": "foreligger",
        "title": "Databehandleraftale om beslutningsstøtten",
        "url": "https://www.esbjerg.example.dk/persondata/databehandleraftaler#visitation",
    },
    "evaluering": {
        "status": "foreligger",
        "title": "Afprøvning på 300 afsluttede sager i 2025",
        "url": "https://www.esbjerg.example.dk/visitation/afproevning-beslutningsstoette",
        "document_date": date(2025, 12, 15),
    },
}


def assess(assessment, editor) -> None:
    """Fill in the Article 27 assessment, as the board does on its page, and name the documents."""
    ai.save_fria(assessment, FRIA, expected_version=None, user=editor)
    demo_documents.add_documents(assessment, editor, DOCUMENTS)
