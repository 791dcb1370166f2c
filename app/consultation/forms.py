"""Forms of the consultation: the board's (open, moderate, answer) and the citizen's response.

They validate and never write; the services repeat the rules that protect stored data.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.assessments.forms import CHOOSE, REQUIRED, too_long
from app.consultation import services, submission
from app.consultation.models import ANSWER_STATUSES, REJECTION_REASONS
from app.core.formatting import local_date, local_number
from app.core.forms import Form, options
from app.core.time import danish_today

WHOLE_PROPOSAL = ""


def no_control_characters(form, field):
    if field.data and services.CONTROL.search(field.data):
        raise ValidationError(_("Teksten indeholder usynlige styretegn. Skriv eller indsæt teksten igen."))


class ConsultationForm(Form):
    opens = DateField(
        _l("Første dag"),
        validators=[InputRequired(_l("Vælg den første dag."))],
        description=_l("Borgerne kan svare fra denne dag."),
    )
    closes = DateField(
        _l("Sidste dag"),
        validators=[InputRequired(_l("Vælg den sidste dag."))],
        description=_l("Høringen tager imod svar til og med denne dag, højst 180 dage."),
    )
    introduction = TextAreaField(
        _l("Introduktion til borgerne"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=services.INTRODUCTION_MAX, message=too_long(services.INTRODUCTION_MAX)),
            no_control_characters,
        ],
        description=_l("Hvad vil udvalget gerne høre om, og hvad sker der med svarene?"),
    )
    questions = SelectMultipleField(
        _l("Spørgsmål til borgerne"),
        choices=[],
        description=_l("Vælg de spørgsmål, borgerne særligt kan svare på. Borgerne kan altid svare på hele forslaget."),
    )

    def validate_closes(self, field):
        latest = services.latest_close(danish_today())
        if field.data and field.data > latest:
            raise ValidationError(_("Høringen skal slutte senest %(date)s, et år fra i dag.", date=local_date(latest)))
        if self.opens.data and field.data and field.data < self.opens.data:
            raise ValidationError(_("Den sidste dag skal være samme dag som eller efter den første."))
        if self.opens.data and field.data and field.data - self.opens.data > services.LONGEST_PERIOD:
            raise ValidationError(_("En høring kan højst vare 180 dage."))


class ModerationForm(Form):
    decision = RadioField(
        _l("Afgørelse"),
        choices=options({"approve": _l("Godkend"), "reject": _l("Afvis")}),
        validators=[InputRequired(CHOOSE)],
    )
    # Checked in validate_reason, so an empty reason gets its own message and not "invalid choice".
    reason = SelectField(
        _l("Begrundelse for at afvise"),
        choices=options({"": _l("Vælg begrundelse"), **REJECTION_REASONS}),
        validate_choice=False,
    )

    def validate_reason(self, field):
        if field.data and field.data not in REJECTION_REASONS:
            raise ValidationError(CHOOSE)
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_("Vælg, hvorfor svaret afvises."))


class AnswerForm(Form):
    answer_status = RadioField(
        _l("Hvad har udvalget gjort med svaret?"), choices=options(ANSWER_STATUSES), validators=[InputRequired(CHOOSE)]
    )
    answer = TextAreaField(
        _l("Udvalgets begrundelse"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=submission.ANSWER_MAX, message=too_long(submission.ANSWER_MAX)),
            no_control_characters,
        ],
        description=_l("Svaret offentliggøres sammen med høringssvaret og står i det underskrevne dokument."),
    )


def citizen_body(label, blank_message, description=None) -> TextAreaField:
    """The text a citizen writes, with the shared bound (app/consultation/submission.py)."""

    def not_blank(form, field):
        if not (field.data or "").strip():
            raise ValidationError(str(blank_message))

    return TextAreaField(
        label,
        validators=[
            not_blank,
            Length(max=submission.BODY_MAX, message=too_long(submission.BODY_MAX)),
            no_control_characters,
        ],
        description=description
        or _l(
            "Højst %(number)s tegn. Skriv ikke oplysninger om andre personer.",
            number=LazyString(local_number, submission.BODY_MAX),
        ),
    )


class CitizenForm(Form):
    """What every citizen's form asks besides the text: an optional name and organisation, shown
    only with their yes, and the honeypot that keeps robots out. Consultation responses and
    feedback on a published record (app/feedback) both derive from it."""

    author_name = StringField(
        _l("Navn (frivilligt)"),
        validators=[Length(max=submission.NAME_MAX, message=too_long(submission.NAME_MAX)), no_control_characters],
    )
    author_organisation = StringField(
        _l("Organisation (frivilligt)"),
        validators=[
            Length(max=submission.ORGANISATION_MAX, message=too_long(submission.ORGANISATION_MAX)),
            no_control_characters,
        ],
        description=_l("Fx Ældrerådet, Handicaprådet eller en forening."),
    )
    publish_name = BooleanField(
        _l("Mit navn og min organisation må vises sammen med svaret"),
        description=_l("Uden dit ja vises svaret som fra „en borger“."),
    )
    # A honeypot: hidden from people, filled in by robots that fill in every field.
    website = StringField(_l("Lad dette felt stå tomt"), validators=[Optional()])

    def validate_website(self, field):
        if field.data:
            raise ValidationError(
                _("Svaret kunne ikke modtages, fordi et skjult felt var udfyldt. Prøv igen uden det.")
            )


class ResponseForm(CitizenForm):
    question = SelectField(
        _l("Hvad handler dit svar om?"),
        choices=options({WHOLE_PROPOSAL: _l("Hele forslaget")}),
        validators=[Optional()],
    )
    body = citizen_body(_l("Dit høringssvar"), _l("Skriv dit høringssvar."))
