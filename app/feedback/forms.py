"""Forms of citizens' feedback: the citizen's (the consultation's CitizenForm, so the same sender
fields, bounds and honeypot) and the board's answer. Moderation is the consultation's form.

They validate and never write; the services repeat the rules that protect stored data.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.assessments.forms import CHOOSE, REQUIRED, too_long
from app.consultation import submission
from app.consultation.forms import CitizenForm, ModerationForm, citizen_body, no_control_characters
from app.core.forms import Form, options
from app.feedback.models import EMAIL_MAX, KINDS


class FeedbackForm(CitizenForm):
    kind = RadioField(
        _l("Hvad vil du?"), choices=options(KINDS), default="spoergsmaal", validators=[InputRequired(CHOOSE)]
    )
    body = citizen_body(
        _l("Dit spørgsmål eller din rettelse"), _l("Skriv dit spørgsmål eller den fejl, du har fundet.")
    )
    publish_name = BooleanField(
        _l("Mit navn og min organisation må vises sammen med spørgsmålet"),
        description=_l("Uden dit ja vises spørgsmålet som fra „en borger“."),
    )
    # "Få besked, når kommunen svarer": offered only where mail is set up (the view removes them otherwise)
    notify_email = EmailField(
        _l("Din e-mail (frivilligt)"),
        validators=[
            Optional(),
            Length(max=EMAIL_MAX, message=too_long(EMAIL_MAX)),
            Email(_l("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk, eller lad feltet stå tomt.")),
        ],
        description=_l("Få besked, når kommunen svarer. Adressen bruges kun til at sende dig svaret én gang."),
    )
    notify_consent = BooleanField(
        _l("Ja, send mig svaret på denne adresse. Adressen slettes, når svaret er sendt."),
    )

    def validate_notify_consent(self, field):
        if (self.notify_email.data or "").strip() and not field.data:
            raise ValidationError(
                _l("Sæt hak ved „Ja, send mig svaret“, hvis du vil have svaret på e-mail, eller fjern adressen.")
            )


class VisibilityForm(ModerationForm):
    """The consultation's moderation (its states, reasons and their check), asked as what it
    means here: are the question and the answer shown under the record?"""

    decision = RadioField(
        _l("Skal spørgsmålet og svaret vises under vurderingen?"),
        choices=options({"approve": _l("Ja, vis dem offentligt, når de er besvaret"), "reject": _l("Nej")}),
        validators=[InputRequired(CHOOSE)],
    )


class AnswerForm(Form):
    answer = TextAreaField(
        _l("Udvalgets svar"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=submission.ANSWER_MAX, message=too_long(submission.ANSWER_MAX)),
            no_control_characters,
        ],
        description=_l("Svaret vises under vurderingen sammen med spørgsmålet, hvis I vælger at vise det offentligt."),
    )
