"""The portal's one form: upload a PDF to check it against the stored signed documents."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import ValidationError

from app.core.forms import Form
from app.public.services import PDF_UPLOAD_MAX


class VerifyUploadForm(Form):
    document = FileField(
        _l("PDF-dokument"),
        validators=[FileRequired(_l("Vælg den PDF-fil, du vil kontrollere."))],
        description=_l("Højst 20 MB."),
    )

    def validate_document(self, field):
        storage = field.data
        head = storage.stream.read(5)
        storage.stream.seek(0, 2)
        size = storage.stream.tell()
        storage.stream.seek(0)
        if size > PDF_UPLOAD_MAX:
            raise ValidationError(_("Filen er for stor. Den må højst fylde 20 MB."))
        if head != b"%PDF-":
            raise ValidationError(_("Filen er ikke en PDF. Vælg det PDF-dokument, kommunen har offentliggjort."))
