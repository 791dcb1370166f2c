"""The fundamental-rights impact assessment's form: its fields are fields.py's FRIA table. It
validates and never writes."""

from __future__ import annotations

from app.ai.checks import notification_problem
from app.assessments.fields import FRIA
from app.assessments.forms import FieldsForm


class FriaForm(FieldsForm):
    TABLE = FRIA

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the notification's date against its yes/no (checks.py's one rule);
        the date may be empty, so this cannot be the date field's own validator."""
        valid = super().validate(extra_validators)
        date_field = self.fria_notified_date
        if not date_field.errors and not self.fria_notified.errors:
            problem = notification_problem(self.fria_notified.data == "ja", date_field.data)
            if problem:
                date_field.errors = [*date_field.errors, problem]
                valid = False
        return valid
