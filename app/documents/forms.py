"""The form for one related document. Validates (with the service's own checks), never writes."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField, ValidationError
from wtforms.validators import Length, Optional

from app.assessments.forms import too_long
from app.core.forms import Form, options
from app.documents.kinds import NOT_NEEDED, STATUSES
from app.documents.models import REASON_MAX, TITLE_MAX, URL_MAX
from app.documents.services import FILE_MAX, MB, pdf_problem, url_problem


class DocumentForm(Form):
    status = RadioField(_l("Foreligger dokumentet?"), choices=options(STATUSES), validate_choice=False)
    title = StringField(_l("Titel"), validators=[Length(max=TITLE_MAX, message=too_long(TITLE_MAX))])
    url = StringField(
        _l("Link til dokumentet"),
        validators=[Length(max=URL_MAX, message=too_long(URL_MAX))],
        description=_l("En webadresse, der begynder med http:// eller https://."),
    )
    document_date = DateField(_l("Dato"), validators=[Optional()], format="%Y-%m-%d")
    file = FileField(
        _l("Vedhæft som PDF (valgfrit)"),
        description=_l(
            "Kun PDF, højst %(mb)s MB. Filen vedhæftes den underskrevne PDF og kan hentes "
            "fra den offentlige side, når vurderingen er offentliggjort.",
            mb=FILE_MAX // MB,
        ),
    )
    remove_file = BooleanField(_l("Fjern den vedhæftede PDF"))
    reason = TextAreaField(
        _l("Hvorfor er dokumentet ikke nødvendigt?"),
        validators=[Length(max=REASON_MAX, message=too_long(REASON_MAX))],
    )

    upload: bytes | None = None  # the file's bytes once validated

    def validate_status(self, field):
        if field.data not in STATUSES:
            raise ValidationError(_("Vælg, om dokumentet foreligger, eller om det ikke er nødvendigt."))

    def validate_url(self, field):
        problem = url_problem((field.data or "").strip())
        if problem:
            raise ValidationError(problem)

    def validate_document_date(self, field):
        if field.data and not (2000 <= field.data.year <= 2100):
            raise ValidationError(_("Vælg en dato mellem år 2000 og 2100."))

    def validate_file(self, field):
        storage = field.data
        if not storage or not getattr(storage, "filename", None):
            return
        data = storage.stream.read(FILE_MAX + 1)
        problem = pdf_problem(data)
        if problem:
            raise ValidationError(problem)
        self.upload = data

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.status.data == NOT_NEEDED and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors, _("Skriv, hvorfor dokumentet ikke er nødvendigt.")]
            ok = False
        return ok

    def values(self) -> dict:
        return {
            "status": self.status.data,
            "title": (self.title.data or "").strip(),
            "url": (self.url.data or "").strip(),
            "document_date": self.document_date.data,
            "reason": (self.reason.data or "").strip(),
        }

    @property
    def upload_name(self) -> str:
        return getattr(self.file.data, "filename", "") or ""
