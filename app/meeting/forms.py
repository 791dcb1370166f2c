"""The meeting form: the minutes and the board's answer, saved like the question form."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from app.assessments.forms import VersionedForm, bounded_text


class MeetingForm(VersionedForm):
    FIELDS = ("discussion", "answer")
    discussion = bounded_text(_l("Drøftelse (referat)"))
    answer = bounded_text(_l("Udvalgets svar"))
    goto = HiddenField()  # the question to show after saving, sent by the "save and next/previous" buttons

    def changes(self) -> dict:
        return {name: (getattr(self, name).data or "").strip() for name in self.FIELDS}
