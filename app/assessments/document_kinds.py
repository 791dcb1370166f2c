"""The kinds of related document, described once: the board page, the canonical record and the
declaration's Danish sentences all read this table. Here, in the assessment's package, because the
declaration (this package) reads it; the documents feature above re-exports it. No database here:
the declaration and the PDF renderer work from the plain record."""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l


class DocumentKind(NamedTuple):
    label: str  # lazy: the board page in the reader's language, the record under force_locale("da")
    definite: str  # Danish, for the declaration: "konsekvensanalysen (DPIA)"
    indefinite: str  # Danish: "en konsekvensanalyse (DPIA)"
    hint: str


KINDS: dict[str, DocumentKind] = {
    "dpia": DocumentKind(
        _l("Konsekvensanalyse (DPIA)"),
        "konsekvensanalysen (DPIA)",
        "en konsekvensanalyse (DPIA)",
        _l("Databeskyttelsesforordningens artikel 35: en analyse af konsekvenserne for borgernes privatliv."),
    ),
    "databehandleraftale": DocumentKind(
        _l("Databehandleraftale"),
        "databehandleraftalen",
        "en databehandleraftale",
        _l("Aftalen med leverandøren om, hvordan leverandøren behandler oplysningerne på kommunens vegne."),
    ),
    "fortegnelse": DocumentKind(
        _l("Fortegnelse over behandlingsaktiviteter"),
        "indførslen i fortegnelsen over behandlingsaktiviteter",
        "en indførsel i fortegnelsen over behandlingsaktiviteter",
        _l("Kommunens indførsel af behandlingen i fortegnelsen (databeskyttelsesforordningens artikel 30)."),
    ),
    "evaluering": DocumentKind(
        _l("Evaluering af afprøvningen"),
        "evalueringen af afprøvningen",
        "en evaluering af en afprøvning",
        _l("Rapporten om, hvordan afprøvningen gik, og hvad den viste."),
    ),
}

# Whether the document exists, or why it is not needed.
EXISTS = "foreligger"
NOT_NEEDED = "ikke_noedvendigt"
STATUSES = {EXISTS: _l("Dokumentet foreligger"), NOT_NEEDED: _l("Dokumentet er ikke nødvendigt")}
