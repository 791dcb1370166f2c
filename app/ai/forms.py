"""The fundamental-rights impact assessment's form: its fields are fields.py's FRIA table. It
validates and never writes."""

from __future__ import annotations

from wtforms.validators import ValidationError

from app.ai.checks import notification_problem
from app.assessments.fields import FRIA
from app.assessments.forms import FieldsForm


class FriaForm(FieldsForm):
    TABLE = FRIA

    def validate_fria_notified_date(self, field):
        problem = notification_problem(self.fria_notified.data == "ja", field.data)
        if problem:
            raise ValidationError(problem)
