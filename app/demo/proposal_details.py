"""The demo proposals' record-schema-2 parts: each technology's own effect case,
economy, alternatives, automation, freedom-restricting use, trial, formal decision and complaint
route. Kept beside the stories in app/demo/services.py, which merges them into each proposal; no
text is shared between technologies.
"""

from __future__ import annotations

from datetime import date

SENSORS = {
    "effect_baseline": "I 2025 registrerede plejecentrene 38 fald om natten. I 11 af dem gik der mere end en "
    "time, før beboeren fik hjælp (faldregistreringen i omsorgsjournalen).",
    "effect_size": "Vi forventer, at ingen beboer ligger mere end ti minutter efter et fald, og at halvdelen "
    "af de natlige runder kan undværes.",
    "behaviour_change": "Nattevagterne går ind, når telefonen giver besked, i stedet for at gå faste runder. "
    "Beboerne skal ikke gøre noget anderledes.",
    "professional_bottom_line": "Hurtigere hjælp efter fald giver færre følgeskader, og beboere, der sover "
    "godt, bliver ikke længere vækket hver anden time.",
    "cost_one_off": 780_000,
    "cost_yearly": 145_000,
    "funding": "ældreområdets driftsbudget og en statslig pulje til velfærdsteknologi",
    "freed_hours_yearly": 2_900,
    "without_technology": "Nattevagterne fortsætter med runder hver anden time. Fald opdages først ved næste "
    "runde, og de beboere, der sover godt, bliver fortsat vækket.",
    "alternatives_considered": "En ekstra nattevagt på hvert plejecenter blev fravalgt, fordi stillingerne ikke "
    "kan besættes. Sengealarmer med trykmåtter blev fravalgt, fordi de kun opdager, at beboeren står op.",
    "automation_level": "foreslaar",
    "human_response": "Nattevagten får en besked på telefonen og skal være hos beboeren inden for ti minutter. "
    "Svarer ingen inden for to minutter, går beskeden videre til den anden nattevagt.",
    "override": "Nattevagten kan slå sensoren fra i en bolig for en nat. Beboeren eller værgen kan til "
    "enhver tid få sensoren slukket helt.",
    "error_rates": "Leverandøren oplyser, at 97 ud af 100 fald opdages, og at der i gennemsnit kommer en "
    "falsk alarm pr. beboer om ugen.",
    "restricts_freedom": "nej",
    "force_legal_basis": "Sensorerne begrænser ikke beboerens bevægelse. Hvor beboeren ikke kan samtykke, "
    "bruges de kun efter en afgørelse efter servicelovens regler om alarm- og pejlesystemer (§ 125).",
    "individual_decision": "Ja, for beboere, der ikke selv kan samtykke. Afgørelsen træffes af Visitationen "
    "efter en samtale med værgen og plejecentrets leder.",
    "council_listed": "nej",
    "freedom_consent": "Beboeren giver selv skriftligt samtykke. Kan beboeren ikke det, spørges værgen eller "
    "de nærmeste pårørende, og det noteres i journalen.",
    "trial": "Sensorerne blev afprøvet i seks måneder i 2025 på Plejecenter Solhøj i ti boliger, hvor en "
    "nattevagt samtidig gik runder. Der blev fundet to fald, som runderne ville have overset.",
    "failure_plan": "Sensorerne melder selv fejl. Ved strøm- eller netsvigt går nattevagten runder som i dag, "
    "og går leverandøren konkurs, ejer kommunen udstyret og kan skifte til en anden platform.",
    "barrier_implementation": "nogen",
    "barrier_implementation_note": "Nattevagterne skal lære at stole på beskederne frem for runderne.",
    "barrier_economy": "mindre",
    "barrier_economy_note": "Puljemidlerne dækker indkøbet; driften er budgetteret.",
    "barrier_management": "slet_ikke",
    "barrier_maturity": "mindre",
    "barrier_maturity_note": "Teknologien bruges allerede i flere kommuner.",
    "decision_body": "Sundheds- og Omsorgsudvalget",
    "decision_meeting_date": date(2026, 3, 2),
    "decision_minutes_url": "https://dagsorden.example.org/aarhus/sundhed-og-omsorg/2026-03-02#punkt-5",
    "case_number": "27.36.04-G01-3-26",
    "in_use_date": date(2026, 5, 1),
    "complaint_to": "Sundhed og Omsorg, Aarhus Kommune",
    "complaint_how": "Skriv til Sundhed og Omsorg gennem Digital Post eller ring til plejecentrets leder. "
    "Er du uenig i en afgørelse om sensorer, genvurderer kommunen den og sender den videre til Ankestyrelsen.",
    "complaint_deadline": "4 uger fra du har fået afgørelsen",
}

VACUUM = {
    "effect_baseline": "Medarbejderne brugte i en måling i september 2025 i gennemsnit 62 minutter om dagen "
    "pr. afdeling på at støvsuge.",
    "effect_size": "Vi forventer, at støvsugningen tager 45 minutter mindre om dagen pr. afdeling.",
    "behaviour_change": "Medarbejderne tømmer robotterne og rydder gulvet, før de kører. Beboerne skal vænne "
    "sig til, at en robot kører i fællesrummet om formiddagen.",
    "professional_bottom_line": "Tiden bruges på aktiviteter og samvær med beboerne, og medarbejderne får "
    "færre tunge løft med støvsugeren.",
    "cost_one_off": 210_000,
    "cost_yearly": 35_000,
    "funding": "plejeboligernes fælles rengøringsbudget",
    "freed_hours_yearly": 4_100,
    "without_technology": "Medarbejderne støvsuger fortsat selv, og tiden tages fra aktiviteter og samvær.",
    "alternatives_considered": "Et eksternt rengøringsfirma blev fravalgt, fordi beboerne ønsker få fremmede "
    "i hverdagen. Ledningsfrie støvsugere blev indkøbt, men sparer kun lidt tid.",
    "automation_level": "indsamler",
    "human_response": "Medarbejderne ser i appen, om en robot står fast, og hjælper den videre ved næste "
    "gennemgang. Der er ingen alarmer.",
    "override": "Ja. Medarbejderne kan stoppe en robot i appen, og beboeren kan bede om, at robotten aldrig "
    "kører i boligen.",
    "error_rates": "Robotten sidder fast cirka en gang om ugen pr. afdeling ifølge afprøvningen.",
    "restricts_freedom": "nej",
    "trial": "Robotterne blev afprøvet i en måned på to plejecentre i efteråret 2025 uden beboere til stede i "
    "de rum, hvor de kørte.",
    "failure_plan": "Står en robot stille, støvsuger medarbejderne som før. Leverandøren udskifter en defekt "
    "robot inden for fem hverdage.",
    "barrier_implementation": "mindre",
    "barrier_implementation_note": "Gulvene skal ryddes, før robotten kører.",
    "barrier_economy": "slet_ikke",
    "barrier_management": "mindre",
    "barrier_maturity": "slet_ikke",
    "decision_body": "Sundheds- og Omsorgsudvalget",
    "decision_meeting_date": date(2026, 9, 14),
    "decision_minutes_url": "https://dagsorden.example.org/aarhus/sundhed-og-omsorg/2026-09-14#punkt-3",
    "case_number": "27.12.00-P20-7-26",
    "in_use_date": date(2027, 1, 4),
    "complaint_to": "lederen af dit plejecenter",
    "complaint_how": "Sig det til personalet eller skriv til plejecentrets leder. Er du uenig i en afgørelse "
    "om praktisk hjælp, kan du klage til Sundhed og Omsorg, som sender klagen til Ankestyrelsen.",
    "complaint_deadline": "4 uger for afgørelser om praktisk hjælp",
}

SCREEN_VISITS = {
    "effect_baseline": "Hjemmeplejen kører i dag 1.900 korte medicinbesøg om måneden, og 14 procent kommer mere "
    "end en halv time efter det aftalte tidspunkt (kørselsdata fra 2025).",
    "effect_size": "Vi forventer, at 95 procent af påmindelserne sker til tiden, og at 700 kørsler om måneden "
    "kan undværes.",
    "behaviour_change": "Borgeren tager tabletten, når den ringer. Medarbejderne planlægger skærmbesøg i "
    "faste tidsrum.",
    "professional_bottom_line": "Medicinen tages til tiden, og de fysiske besøg bruges, hvor der er brug for hænder.",
    "cost_one_off": 320_000,
    "cost_yearly": 96_000,
    "funding": "hjemmeplejens driftsbudget",
    "freed_hours_yearly": 3_400,
    "without_technology": "Medicinpåmindelser gives fortsat ved fysiske besøg, som ofte kommer senere end "
    "aftalt, og køretiden bruges ikke på pleje.",
    "alternatives_considered": "En automatisk pilleæske blev fravalgt, fordi den ikke ser, om medicinen bliver "
    "taget. Telefonopkald blev fravalgt, fordi medarbejderen ikke kan se borgeren.",
    "automation_level": "indsamler",
    "human_response": "Svarer borgeren ikke, ringer medarbejderen igen efter fem minutter og sender ellers "
    "en kollega ud inden for en time.",
    "override": "Ja. Borgeren kan altid bede om et fysisk besøg i stedet, og medarbejderen kan vælge at køre ud.",
    "error_rates": "",
    "restricts_freedom": "nej",
    "trial": "Skærmbesøg blev afprøvet med ti borgere i tre måneder, hvor en medarbejder samtidig ringede "
    "som i dag. Ingen påmindelser gik tabt.",
    "failure_plan": "Virker tabletten ikke, ringer medarbejderen på telefonen eller kører ud.",
    "barrier_implementation": "nogen",
    "barrier_implementation_note": "Nogle borgere skal have hjælp til tabletten de første uger.",
    "barrier_economy": "mindre",
    "barrier_management": "mindre",
    "barrier_maturity": "slet_ikke",
    "decision_body": "Sundheds- og Omsorgsudvalget",
    "decision_meeting_date": date(2027, 1, 18),
    "case_number": "27.12.04-G01-2-27",
    "complaint_to": "Hjemmeplejen, Aarhus Kommune",
    "complaint_how": "Ring til hjemmeplejens kontor eller skriv gennem Digital Post. Klager over en afgørelse "
    "om hjælp sendes videre til Ankestyrelsen.",
    "complaint_deadline": "4 uger fra du har fået afgørelsen",
}

GPS = {
    "effect_baseline": "I 2025 blev 23 hjemmeboende borgere med demens meldt savnet, og politiet deltog i 9 "
    "eftersøgninger (demenskoordinatorernes registrering).",
    "effect_size": "Vi forventer højst 5 eftersøgninger med politiet om året, og at 40 borgere fortsat går ture alene.",
    "behaviour_change": "Borgeren skal bære uret, når han eller hun går ud. De pårørende skal lade uret op og "
    "kigge i appen, når uret giver besked.",
    "professional_bottom_line": "Borgeren bevarer sin frihed og sine gåture længere, og de pårørende bliver "
    "mindre bange for at lade borgeren gå alene.",
    "cost_one_off": 180_000,
    "cost_yearly": 66_000,
    "funding": "Ældre- og Handicapforvaltningens budget til hjælpemidler",
    "freed_hours_yearly": 0,
    "without_technology": "Flere borgere holdes inde af deres pårørende, og eftersøgninger med politiet "
    "fortsætter, når nogen farer vild.",
    "alternatives_considered": "Ledsagede gåture blev fravalgt som eneste løsning, fordi der ikke er "
    "medarbejdere nok, og fordi borgerne ønsker at gå alene. Dørsensorer blev fravalgt, fordi de kun viser, "
    "at borgeren er gået.",
    "automation_level": "foreslaar",
    "human_response": "Uret giver besked til den pårørende, når borgeren går uden for det aftalte område. "
    "Svarer den pårørende ikke inden for et kvarter, går beskeden til demenskoordinatoren i dagtimerne og "
    "ellers til hjemmeplejens aftenvagt.",
    "override": "Borgeren kan tage uret af. Demenskoordinatoren kan ændre området eller slå positionen fra, "
    "hvis borgeren eller værgen beder om det.",
    "error_rates": "Leverandøren oplyser, at positionen er præcis inden for 20 meter udendørs, og at "
    "beskeden i 2 ud af 100 tilfælde kommer mere end fem minutter for sent.",
    "restricts_freedom": "ja",
    "force_legal_basis": "Serviceloven § 125 om personlige alarm- og pejlesystemer, som gælder i den form, "
    "reglerne fik 1. januar 2020. Kommunen følger KL's juridiske vejledning om sensorer og pejling.",
    "individual_decision": "Ja. Kan borgeren ikke selv give samtykke, træffer Myndighedsafdelingen en "
    "skriftlig afgørelse for hver borger efter et møde med værgen og demenskoordinatoren. Afgørelsen "
    "gælder højst seks måneder ad gangen.",
    "council_listed": "ja",
    "freedom_consent": "Borgeren giver selv samtykke, når det er muligt, og det noteres i journalen. Ellers "
    "høres værgen eller de nærmeste pårørende, før kommunen træffer afgørelse.",
    # Issue 28: the record said the watch was tried in Odense while the evaluation said it was not
    # ("afproevet_uden_evaluering"); the trial was the supplier's, elsewhere, and Odense's is to come.
    "trial": "GPS-uret er ikke afprøvet i Odense endnu. Leverandøren prøvede det i fire måneder med otte "
    "borgere i en anden kommune, borgere der selv havde sagt ja, og deres "
    "pårørende. Der var ingen eftersøgninger med politiet i perioden.",
    "failure_plan": "Løber uret tør for strøm eller mister forbindelsen, får den pårørende en besked, og "
    "borgeren ringes op. Går leverandøren ud af markedet, bytter kommunen urene inden for en måned.",
    "barrier_implementation": "nogen",
    "barrier_implementation_note": "De pårørende skal have hjælp til at lade uret op og bruge appen.",
    "barrier_economy": "mindre",
    "barrier_management": "mindre",
    "barrier_management_note": "Demenskoordinatorerne har fået tid til opgaven.",
    "barrier_maturity": "slet_ikke",
    "decision_body": "Ældre- og Handicapudvalget",
    "decision_meeting_date": date(2026, 6, 9),
    "decision_minutes_url": "https://dagsorden.example.org/odense/aeldre-og-handicap/2026-06-09#punkt-4",
    "case_number": "27.30.10-G01-41-26",
    "in_use_date": date(2026, 9, 1),
    "complaint_to": "Ankestyrelsen gennem Odense Kommune",
    "complaint_how": "Send klagen til Ældre- og Handicapforvaltningen gennem Digital Post eller med brev. "
    "Kommunen genvurderer afgørelsen og sender den til Ankestyrelsen, hvis den fastholdes. "
    "Demenskoordinatoren hjælper gerne med at skrive klagen.",
    "complaint_deadline": "4 uger fra du har fået afgørelsen",
}

ROBOT_SEAL = {
    "effect_baseline": "På de to demensafsnit fik beboerne i 2025 i alt 410 doser beroligende medicin mellem "
    "klokken 15 og 19 (medicinmodulet).",
    "effect_size": "Vi forventer en fjerdedel færre doser beroligende medicin om eftermiddagen det første år.",
    "behaviour_change": "Medarbejderne tilbyder robotsælen, før de overvejer medicin, og skriver i journalen, "
    "hvordan beboeren reagerede.",
    "professional_bottom_line": "Uro dæmpes med nærvær og sansning frem for medicin, og beboerne undgår bivirkninger.",
    "cost_one_off": 96_000,
    "cost_yearly": 8_000,
    "funding": "demensafsnittenes aktivitetsbudget",
    "freed_hours_yearly": 250,
    "without_technology": "Uroen om eftermiddagen dæmpes fortsat ofte med medicin.",
    "alternatives_considered": "Musik og sansepuder bruges allerede og fortsætter. Et ægte besøgsdyr blev "
    "fravalgt på grund af allergi og hygiejne.",
    "automation_level": "indsamler",
    "human_response": "Der er ingen alarmer. Medarbejderen er hos beboeren, mens robotsælen bruges.",
    "override": "Ja. Beboeren kan altid skubbe robotsælen væk, og medarbejderen tager den så med.",
    "error_rates": "",
    "restricts_freedom": "nej",
    "force_legal_basis": "Robotsælen begrænser ikke beboerens frihed og bruges aldrig til at holde en beboer tilbage.",
    "trial": "Robotsælen blev afprøvet i tre måneder på det ene demensafsnit. Medarbejderne registrerede "
    "roligere eftermiddage hos 9 af 14 beboere.",
    "failure_plan": "Går robotsælen i stykker, bruger medarbejderne musik og sansepuder som før.",
    "barrier_implementation": "mindre",
    "barrier_economy": "slet_ikke",
    "barrier_management": "slet_ikke",
    "barrier_maturity": "nogen",
    "barrier_maturity_note": "Leverandøren har kun få robotter på lager og lang reparationstid.",
    "decision_body": "Ældre- og Handicapudvalget",
    "decision_meeting_date": date(2026, 4, 14),
    "case_number": "27.36.00-G01-17-26",
    "in_use_date": date(2026, 5, 15),
    "complaint_to": "lederen af demensafsnittet",
    "complaint_how": "Tal med personalet eller skriv til lederen af demensafsnittet. Du kan også skrive til "
    "Ældre- og Handicapforvaltningen gennem Digital Post.",
    "complaint_deadline": "ingen frist, fordi der ikke træffes en afgørelse om robotsælen",
}

TRAINING = {
    "effect_baseline": "Borgerne trænede i 2025 i gennemsnit to gange om ugen mellem holdtræningerne, og 30 "
    "procent nåede ikke deres mål for gangfunktion efter tolv uger.",
    "effect_size": "Vi forventer, at borgerne træner fire gange om ugen, og at 80 procent når deres mål efter "
    "tolv uger.",
    "behaviour_change": "Borgeren træner derhjemme efter videoerne og markerer øvelserne. Terapeuterne ser "
    "markeringerne hver uge og justerer programmet.",
    "professional_bottom_line": "Borgerne kommer hurtigere tilbage til hverdagen og har færre genindlæggelser "
    "efter faldulykker.",
    "cost_one_off": 140_000,
    "cost_yearly": 52_000,
    "funding": "Sundhed & Omsorgs budget til genoptræning",
    "freed_hours_yearly": 600,
    "without_technology": "Borgerne træner kun på holdene og efter et papirprogram, og mange træner for lidt.",
    "alternatives_considered": "Flere holdtræninger blev fravalgt, fordi mange har langt til træningscentret. "
    "Hjemmebesøg af terapeuter blev fravalgt som fast tilbud af hensyn til ressourcerne.",
    "automation_level": "indsamler",
    "human_response": "Terapeuten ser borgerens markeringer en gang om ugen og ringer, hvis borgeren ikke har "
    "trænet i fem dage.",
    "override": "Ja. Terapeuten lægger programmet, og borgeren kan springe øvelser over eller bede om holdtræning.",
    "error_rates": "",
    "restricts_freedom": "nej",
    "trial": "Appen blev afprøvet med 25 borgere i tolv uger i 2025, hvor holdtræningen fortsatte som før. "
    "Borgerne trænede i gennemsnit tre en halv gang om ugen.",
    "failure_plan": "Virker appen ikke, får borgeren træningsprogrammet på papir og kan ringe til terapeuten.",
    "barrier_implementation": "mindre",
    "barrier_economy": "mindre",
    "barrier_management": "slet_ikke",
    "barrier_maturity": "slet_ikke",
    "barrier_maturity_note": "Appen er CE-mærket og bruges i flere kommuner.",
    "decision_body": "Sundhed & Omsorgsudvalget",
    "decision_meeting_date": date(2026, 2, 24),
    "decision_minutes_url": "https://dagsorden.example.org/esbjerg/sundhed-og-omsorg/2026-02-24#punkt-8",
    "case_number": "29.03.00-G01-5-26",
    "in_use_date": date(2026, 4, 1),
    "complaint_to": "Sundhed & Omsorg, Esbjerg Kommune",
    "complaint_how": "Skriv gennem Digital Post eller ring til træningscentret. Klager over en afgørelse om "
    "genoptræning sendes videre til Ankestyrelsen.",
    "complaint_deadline": "4 uger fra du har fået afgørelsen",
}

CAMERA = {
    "effect_baseline": "Nattevagterne tjekker i dag 12 beboere hver time, og i 2025 blev 31 anfald opdaget ved "
    "tjek eller af lyde fra boligen.",
    "effect_size": "Forslaget regnede med, at alle anfald ville blive set inden for et minut, og at beboerne "
    "ikke blev vækket hver time.",
    "behaviour_change": "Nattevagten ville holde øje med skærmen hele natten i stedet for at gå tjek.",
    "professional_bottom_line": "Hurtigere hjælp ved anfald, men et stort indgreb i beboernes privatliv i "
    "deres eget soveværelse.",
    "cost_one_off": 260_000,
    "cost_yearly": 40_000,
    "funding": "bostedets driftsbudget",
    "freed_hours_yearly": 1_500,
    "without_technology": "Nattevagterne fortsætter tjek hver time, indtil en løsning uden kamera er valgt.",
    "alternatives_considered": "Epilepsialarmer i madrassen, som kun reagerer på anfaldsbevægelser og ikke "
    "viser billeder. Udvalget foretrækker dem og har bedt om et nyt forslag.",
    "automation_level": "indsamler",
    "human_response": "Nattevagten ville se skærmen løbende og gå ind ved tegn på anfald.",
    "override": "Beboeren skulle kunne slukke kameraet, men mange beboere ville ikke selv kunne gøre det.",
    "error_rates": "Leverandøren har ikke oplyst, hvor mange anfald der ikke ses på skærmen om natten.",
    "restricts_freedom": "ja",
    "force_legal_basis": "Servicelovens regler om magtanvendelse giver ikke hjemmel til kameraovervågning i "
    "en beboers soveværelse. Det ville kræve samtykke fra hver beboer.",
    "individual_decision": "Der kan ikke træffes en afgørelse efter serviceloven om kamera i soveværelset. "
    "Derfor ville kun beboere, der selv har samtykket, kunne få kamera.",
    "council_listed": "nej",
    "freedom_consent": "Samtykke skulle gives af beboeren selv. Værgers samtykke rækker ikke til "
    "kameraovervågning i soveværelset.",
    "trial": "Kameraet blev ikke afprøvet, fordi udvalget ville vurdere de etiske spørgsmål først.",
    "failure_plan": "Forslaget havde ingen plan for strømsvigt om natten; nattevagterne skulle så gå tjek igen.",
    "barrier_implementation": "hoej",
    "barrier_implementation_note": "Nattevagten kan ikke både se skærmen og hjælpe en anden beboer.",
    "barrier_economy": "mindre",
    "barrier_management": "nogen",
    "barrier_maturity": "mindre",
    "decision_body": "Social & Arbejdsmarkedsudvalget",
    "decision_meeting_date": date(2026, 5, 19),
    "decision_minutes_url": "https://dagsorden.example.org/esbjerg/social-og-arbejdsmarked/2026-05-19#punkt-2",
    "case_number": "27.24.00-G01-9-26",
    "complaint_to": "Social & Arbejdsmarked, Esbjerg Kommune",
    "complaint_how": "Skriv til bostedets leder eller til Social & Arbejdsmarked gennem Digital Post, hvis du "
    "er uenig i beslutningen eller i, hvordan tilsynet om natten foregår.",
    "complaint_deadline": "ingen frist, fordi beslutningen ikke er en afgørelse om den enkelte beboer",
}
