"""Forms for the board's work. They validate and never write."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.assessments import board
from app.assessments.board import ABSENT_MAX
from app.assessments.fields import ACTION, DECISION, QUESTION, REVIEW, Field, FieldTable
from app.assessments.models import STANCES
from app.assessments.proposal import PROPOSAL_FIELDS, TEXT_MAX, TITLE_MAX, ProposalField
from app.assessments.services import field_hash
from app.core.formatting import local_date, local_number
from app.core.forms import Form, options
from app.core.time import danish_today

REQUIRED = _l("Udfyld feltet.")
CHOOSE = _l("Vælg en af mulighederne.")
COMMENT_MAX = 4000


def too_long(limit: int):
    """A lazy message, so a form class built at import time still reads in the person's language."""
    return _l("Teksten må højst være %(limit)s tegn.", limit=LazyString(local_number, limit))


def bounded_text(label: str, limit: int = TEXT_MAX, required: bool = False, **kwargs):
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=limit, message=too_long(limit))], **kwargs)


class YearRange:
    """A date between the years 2000 and 2100: a mistyped year is refused, not stored."""

    def __call__(self, form, field):
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError(_("Vælg en dato mellem år 2000 og 2100."))


class WebAddress:
    """An http or https address with a host; anything else (javascript:, mailto:, a bare word) is refused."""

    def __call__(self, form, field):
        value = (field.data or "").strip()
        try:
            parsed = urlsplit(value)
        except ValueError:
            parsed = None
        if value and (
            parsed is None
            or parsed.scheme.lower() not in ("http", "https")
            or not parsed.hostname
            or any(c.isspace() for c in value)
        ):
            raise ValidationError(_("Skriv en adresse, der begynder med http:// eller https://."))


class VersionedForm(Form):
    """Every save carries the row version it was based on; a stale one is a conflict."""

    row_version = HiddenField()
    base = HiddenField()  # field hashes of what the form was based on (services.base_hashes)

    def base_hashes(self) -> dict | None:
        try:
            value = json.loads(self.base.data or "")
        except ValueError:
            return None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return None
        return value

    def expected_version(self) -> int | None:
        try:
            return int(self.row_version.data)
        except (TypeError, ValueError):
            return None

    def validate_row_version(self, field):
        if field.data not in (None, "") and self.expected_version() is None:
            raise ValidationError(_("Ugyldig version. Genindlæs siden."))


class NewAssessmentForm(Form):
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(REQUIRED), Length(max=TITLE_MAX, message=too_long(TITLE_MAX))],
        description=_l("Et kort navn på forslaget, for eksempel „Sensorer i plejeboliger om natten“."),
    )
    dilemmas = SelectMultipleField(_l("Hvilke dilemmaer er relevante?"), choices=[], validate_choice=True)


class DilemmaSelectionForm(Form):
    dilemmas = SelectMultipleField(_l("Relevante dilemmaer"), choices=[], validate_choice=True)


def _proposal_field(spec: ProposalField, choices: dict[str, str] | None):
    description = spec.hint
    if spec.kind == "integer":
        message = _l("Skriv et helt tal mellem 0 og %(maximum)s.", maximum=LazyString(local_number, spec.maximum))
        return IntegerField(
            spec.label,
            validators=[Optional(), NumberRange(min=0, max=spec.maximum, message=message)],
            description=description,
        )
    if spec.kind == "date":
        return DateField(spec.label, validators=[Optional(), YearRange()], format="%Y-%m-%d", description=description)
    if spec.kind == "url":
        return StringField(
            spec.label,
            validators=[Optional(), Length(max=spec.max_length, message=too_long(spec.max_length)), WebAddress()],
            description=description,
        )
    if spec.kind == "line":
        return StringField(
            spec.label,
            validators=[Optional(), Length(max=spec.max_length, message=too_long(spec.max_length))],
            description=description,
        )
    if spec.kind == "choice":
        choices = options([("", _l("Vælg …")), *(choices or spec.choices or {}).items()])
        return SelectField(
            spec.label, choices=choices, validators=[Optional()], description=description, validate_choice=True
        )
    if spec.kind == "multi":
        return SelectMultipleField(spec.label, choices=options(spec.choices or {}), description=description)
    return bounded_text(spec.label, spec.max_length, description=description)


def proposal_form_class(dynamic_choices: dict[str, dict[str, str]]):
    """The proposal form, built from the field table; category and area choices come from content."""

    class ProposalForm(VersionedForm):
        title = StringField(
            _l("Titel"), validators=[DataRequired(REQUIRED), Length(max=TITLE_MAX, message=too_long(TITLE_MAX))]
        )

        def proposal_data(self) -> dict:
            data = {"title": self.title.data.strip()}
            for spec in PROPOSAL_FIELDS:
                value = getattr(self, spec.name).data
                if spec.kind == "multi":
                    value = list(value or [])
                elif spec.kind not in ("integer", "date"):
                    value = (value or "").strip()
                data[spec.name] = value
            return data

    for spec in PROPOSAL_FIELDS:
        setattr(ProposalForm, spec.name, _proposal_field(spec, dynamic_choices.get(spec.name)))
    return ProposalForm


def row_field(spec: Field):
    """A form field for a field of a row's table (app/assessments/fields.py)."""
    label, description = spec.form_label or spec.label, spec.hint
    if spec.kind == "text":
        return bounded_text(label, spec.max_length, required=spec.required, description=description)
    if spec.kind == "line":
        needed = DataRequired(REQUIRED) if spec.required else Optional()
        return StringField(
            label,
            validators=[needed, Length(max=spec.max_length, message=too_long(spec.max_length))],
            description=description,
        )
    if spec.kind == "date":
        return DateField(label, validators=[Optional(), YearRange()], format="%Y-%m-%d", description=description)
    if spec.kind == "count":
        message = _l("Skriv et helt tal mellem 0 og %(maximum)s.", maximum=LazyString(local_number, ABSENT_MAX))
        return IntegerField(
            label,
            validators=[Optional(), NumberRange(min=0, max=ABSENT_MAX, message=message)],
            description=description,
        )
    needed = InputRequired(CHOOSE) if spec.required else Optional()
    if spec.kind == "select":
        return SelectField(label, choices=options(spec.choices), validators=[needed], description=description)
    return RadioField(
        label,
        choices=options(spec.choices),
        validators=[needed],
        validate_choice=True,
        default="nej" if spec.kind == "flag" else None,
        description=description,
    )


class FieldsForm(VersionedForm):
    """A versioned form whose fields are a row's table: a subclass names its TABLE and gets a form
    field for each of the table's fields (unless it declares its own)."""

    TABLE: FieldTable
    _flags: tuple[str, ...] = ()  # the yes/no fields

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "TABLE" in cls.__dict__:
            for spec in cls.TABLE.fields:
                if spec.name not in cls.__dict__:
                    setattr(cls, spec.name, row_field(spec))
            cls._flags = tuple(spec.name for spec in cls.TABLE.fields if spec.kind == "flag")

    def process(self, *args, **kwargs):
        super().process(*args, **kwargs)
        for name in self._flags:  # a stored yes/no shows as the radio's "ja" or "nej"
            field = getattr(self, name)
            # RadioField coerces what it reads from the row with str(): True is "True" by now.
            if isinstance(field.data, bool) or field.data in ("True", "False"):
                field.data = "ja" if field.data in (True, "True") else "nej"

    def changes(self) -> dict:
        """The values to save, as the row stores them: texts stripped, no choice as "", yes/no as a bool."""
        values = {}
        for spec in self.TABLE.fields:
            value = getattr(self, spec.name).data
            if spec.kind in ("text", "line"):
                value = (value or "").strip()
            elif spec.kind in ("radio", "select"):
                value = value or ""
            elif spec.kind == "flag":
                value = value == "ja"
            values[spec.name] = value
        return values


class QuestionForm(FieldsForm):
    TABLE = QUESTION


class CommentForm(Form):
    body = TextAreaField(
        _l("Din kommentar"),
        validators=[DataRequired(REQUIRED), Length(max=COMMENT_MAX, message=too_long(COMMENT_MAX))],
    )


class ReviewForm(FieldsForm):
    TABLE = REVIEW


class DateCheckForm(FieldsForm):
    """A date that is probably a slip (issue 34: a deadline already past, a review before the
    decision) is not refused: the form comes back with what was typed, a warning at the date and
    a tick to confirm it. Only a date that was changed is checked, so an old deadline that has
    passed since does not stop saving the action's new status."""

    confirm_dates = BooleanField(_l("Datoen er rigtig"))
    needs_confirmation = False

    def _date_changed(self, name: str) -> bool:
        base = self.base_hashes()
        return base is None or base.get(name) != field_hash(getattr(self, name).data)

    def warn_date(self, name: str, message: str) -> None:
        if self._date_changed(name) and not self.confirm_dates.data:
            self.needs_confirmation = True
            raise ValidationError(message + " " + _("Ret datoen, eller sæt hak ved „Datoen er rigtig“ og gem igen."))


class DecisionForm(DateCheckForm):
    TABLE = DECISION

    def __init__(self, *args, decided_on=None, **kwargs):
        self.decided_on = decided_on  # the decision's meeting date, from the proposal
        super().__init__(*args, **kwargs)

    def validate_review_date(self, field):
        first = self.decided_on or danish_today()
        if field.data is not None and field.data < first:
            which = _("beslutningens mødedato") if self.decided_on else _("i dag")
            self.warn_date(
                "review_date",
                _("Revurderingsdatoen %(date)s ligger før %(which)s.", date=local_date(field.data), which=which),
            )

    def validate_board_present(self, field):
        problems = board.member_problems(field.data)
        if problems:
            raise ValidationError(" ".join(problems))

    def validate_board_conflicts(self, field):
        problems = board.conflict_problems(field.data, self.board_present.data)
        if problems:
            raise ValidationError(" ".join(problems))


class ActionForm(DateCheckForm):
    TABLE = ACTION

    def validate_due_date(self, field):
        if field.data is not None and field.data < danish_today():
            self.warn_date("due_date", _("Fristen %(date)s er allerede overskredet.", date=local_date(field.data)))


class PositionForm(Form):
    stance = RadioField(
        _l("Din holdning til etikrådets anbefaling"),
        choices=options(STANCES),
        validators=[InputRequired(CHOOSE)],
        validate_choice=True,
    )
    dissent = bounded_text(
        _l("Mindretalsudtalelse"),
        description=_l("Skriv her, hvis du er uenig og vil have din begrundelse med i erklæringen."),
    )

    def validate_dissent(self, field):
        if (field.data or "").strip() and self.stance.data == "enig":
            raise ValidationError(_("En mindretalsudtalelse kan kun skrives, hvis du er uenig eller undlader."))


class TransitionForm(Form):
    transition = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Begrundelse"), validators=[Optional(), Length(max=2000, message=too_long(2000))])
