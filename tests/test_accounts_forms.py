"""The shared form macros (app/templates/forms.html) and the Danish WTForms messages (app/core/forms.py)."""

import pytest
from flask import render_template_string
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
from wtforms.validators import DataRequired, NumberRange

from app.core.forms import Form


class ExampleForm(Form):
    title = StringField("Titel", description="Kort og sigende.", validators=[DataRequired("Udfyld feltet.")])
    summary = TextAreaField("Resumé")
    due = DateField("Frist")
    count = IntegerField("Antal", validators=[NumberRange(min=1)])
    level = SelectField("Niveau", choices=[("lav", "Lav"), ("hoej", "Høj")])
    answer = RadioField("Svar", choices=[("ja", "Ja"), ("nej", "Nej")])
    benefits = SelectMultipleField("Gevinster", choices=[("tid", "Tid"), ("kvalitet", "Kvalitet")])
    agree = BooleanField("Jeg er enig")
    hidden = HiddenField()


def render(form, source):
    return render_template_string('{% import "forms.html" as forms %}' + source, form=form)


@pytest.fixture
def request_context(app):
    with app.test_request_context(
        method="POST",
        data={
            "due": "31-02-2024",
            "count": "x",
            "level": "nope",
            "answer": "ja",
            "benefits": ["tid", "kvalitet"],
            "summary": "<b>fed</b>",
        },
    ):
        yield


def test_fields_render_with_dkfds_markup(request_context):
    form = ExampleForm()
    assert not form.validate()
    html = render(
        form,
        "{% for f in form %}{{ forms.field(f, rows=7 if f.name == 'summary' else None) }}{% endfor %}",
    )
    assert '<div class="form-group form-error">' in html
    assert '<label class="form-label" for="title">Titel</label>' in html
    assert '<span class="form-hint" id="title-hint">Kort og sigende.</span>' in html
    assert 'aria-describedby="title-hint title-error"' in html
    assert 'id="title-error"><span class="sr-only">Fejl: </span>Udfyld feltet.' in html
    assert '<textarea class="form-input" id="summary" name="summary" rows="7">' in html
    assert "&lt;b&gt;fed&lt;/b&gt;</textarea>" in html
    assert 'type="date"' in html and "Skriv en gyldig dato (åååå-mm-dd)." in html
    assert 'type="number"' in html and "Skriv et helt tal." in html
    assert "Tallet skal være mindst 1." not in html  # one message per field, the first
    assert '<select aria-describedby="level-error" aria-invalid="true" class="form-select"' in html
    assert "Vælg en af mulighederne." in html
    assert '<legend class="form-label">Svar</legend>' in html
    assert 'type="radio" class="form-radio" id="answer-0" name="answer" value="ja" checked' in html
    assert 'type="checkbox" class="form-checkbox" id="benefits-1" name="benefits" value="kvalitet" checked' in html
    assert 'class="form-checkbox" id="agree"' in html
    assert '<input id="hidden" name="hidden" type="hidden" value="">' in html


def test_error_summary_links_to_fields(request_context):
    form = ExampleForm()
    form.validate()
    form.form_errors.append("Noget gik galt med hele formularen.")
    html = render(form, "{{ forms.error_summary(form) }}")
    assert 'class="alert alert-error"' in html
    assert "<li>Noget gik galt med hele formularen.</li>" in html
    assert '<a href="#title" class="function-link">Titel: Udfyld feltet.</a>' in html
    assert 'href="#due"' in html


def test_no_error_summary_without_errors(app):
    with app.test_request_context():
        form = ExampleForm(formdata=None)
        assert render(form, "{{ forms.error_summary(form) }}").strip() == ""


def test_field_passes_extra_attributes_and_width(request_context):
    form = ExampleForm()
    html = render(
        form,
        '{{ forms.field(form.title, width="m", autocomplete="off", class_="x", data_test="y") }}',
    )
    assert 'class="form-input input-width-m x"' in html
    assert 'autocomplete="off"' in html and 'data-test="y"' in html
