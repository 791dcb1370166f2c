"""The addendum form, one per kind: the fields that kind has. Validates, never writes."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.addenda.services import BODY_MAX, OUTCOMES, REFERENCE_MAX, TEXT_MAX
from app.assessments.forms import YearRange
from app.core.forms import Form, options

TEXT_LABELS = {
    "beslutning": _l("Hvad blev besluttet?"),
    "effekt": _l("Hvad er målt, hvordan, og hvad blev resultatet?"),
    "betingelse_opfyldt": _l("Hvordan er betingelsen opfyldt?"),
    "revurdering": _l("Hvad viste revurderingen, og hvad sker der nu?"),
}
DATE_LABELS = {
    "beslutning": _l("Dato for beslutningen"),
    "effekt": _l("Dato for målingen"),
    "betingelse_opfyldt": _l("Dato, hvor betingelsen blev opfyldt"),
    "revurdering": _l("Dato for revurderingen"),
}


class AddendumForm(Form):
    # the chain's length when the form was shown: a form written against an older chain is refused
    chain_length = HiddenField()
    event_date = DateField(
        _l("Dato"),
        format="%Y-%m-%d",
        validators=[InputRequired(_l("Skriv datoen (åååå-mm-dd).")), YearRange()],
    )
    outcome = RadioField(_l("Udfald"), choices=[], validators=[Optional()])
    body = StringField(
        _l("Hvem traf beslutningen?"),
        validators=[Length(max=BODY_MAX, message=_l("Højst %(n)s tegn.", n=BODY_MAX))],
        description=_l("Fx Sundheds- og Omsorgsudvalget."),
    )
    condition = RadioField(_l("Hvilken betingelse er opfyldt?"), coerce=int, choices=[], validators=[Optional()])
    text = TextAreaField(
        _l("Tekst"),
        validators=[
            InputRequired(_l("Skriv, hvad der er sket.")),
            Length(max=TEXT_MAX, message=_l("Højst %(n)s tegn.", n=TEXT_MAX)),
        ],
        description=_l("Vises offentligt sammen med vurderingen. Skriv, så en borger kan forstå det."),
    )
    next_review_date = DateField(
        _l("Næste revurdering (kan udelades)"), format="%Y-%m-%d", validators=[Optional(), YearRange()]
    )
    reference = StringField(
        _l("Journalnummer eller link til referatet (kan udelades)"),
        validators=[Length(max=REFERENCE_MAX, message=_l("Højst %(n)s tegn.", n=REFERENCE_MAX))],
    )

    def for_kind(self, kind: str, conditions: list[str]) -> "AddendumForm":
        """Labels and choices for the kind; the fields another kind has are left out by the template."""
        self.text.label.text = TEXT_LABELS[kind]
        self.event_date.label.text = DATE_LABELS[kind]
        self.outcome.choices = options(OUTCOMES[kind])
        self.condition.choices = options((n, text) for n, text in enumerate(conditions, start=1))
        return self

    def expected_length(self) -> int | None:
        try:
            return int(self.chain_length.data)
        except (TypeError, ValueError):
            return None
