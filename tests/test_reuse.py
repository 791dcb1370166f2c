"""Starting a draft from another municipality's published record: service rules."""

from __future__ import annotations

import json
from datetime import date

import pytest
from assessment_factories import PROPOSAL, make_assessment, make_published, make_signed
from factories import make_org, make_user
from sqlalchemy import func, select, text

from app.assessments import services as assessments
from app.assessments.proposal import PROPOSAL_FIELDS, TEXT_MAX
from app.audit.models import AuditEvent
from app.content.loader import get_content
from app.extensions import db
from app.public.models import Publication
from app.reuse import services
from app.reuse.models import ReuseConfirmation, ReuseLink
from app.signoff import canonical


@pytest.fixture
def source(app):
    return make_published(make_org("Odense Kommune"), title="GPS til borgere med demens")


@pytest.fixture
def esbjerg_editor(app):
    return make_user(make_org("Esbjerg Kommune"), role="editor")


def publication_of(assessment) -> Publication:
    return db.session.scalar(select(Publication).where(Publication.assessment_id == assessment.id))


def confirm_everything(draft, editor):
    """The board confirms every field it still takes over, section by section."""
    for section in sorted(services.sections_of(services.marks(draft, content=get_content()))):
        services.confirm(draft, user=editor, section=section)
    db.session.flush()


def start(source, editor, title="Vores GPS-vurdering"):
    draft = services.start_from(publication_of(source), user=editor, title=title, content=get_content())
    db.session.commit()
    return draft


def test_the_draft_copies_the_signed_text_into_the_editors_municipality(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    assert draft.organisation_id == esbjerg_editor.organisation_id
    assert draft.status == "draft" and draft.version_number == 1 and draft.previous_id is None
    assert draft.title == "Vores GPS-vurdering"
    assert draft.problem == PROPOSAL["problem"]
    assert draft.technology_description == PROPOSAL["technology_description"]
    assert draft.cost_one_off == PROPOSAL["cost_one_off"]
    assert draft.expected_benefits == PROPOSAL["expected_benefits"]
    assert draft.technology_category == source.technology_category
    assert {q.question_id for q in draft.questions} == {q.question_id for q in source.questions}
    assert all(r.status == "opfyldt" for r in draft.reviews)
    [action] = draft.actions
    assert (action.description, action.owner, action.is_condition) == (
        "Evaluér ordningen efter et år.",
        "Leder af Sundhed og Omsorg",
        True,
    )
    assert action.status == "planlagt" and action.due_date is None


def test_the_source_boards_deliberation_is_never_copied(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    # The source answered every question with a discussion, an answer and a concern level.
    assert all(q.discussion and q.answer and q.concern for q in source.questions)
    assert all((q.discussion, q.answer, q.concern) == ("", "", "") for q in draft.questions)
    assert draft.positions == [] and draft.decision == "" and draft.board_present == ""
    # They are there to read beside each question, from the source's signed record.
    marks = services.marks(draft, content=get_content())
    first = draft.questions[0]
    assert marks.answers[first.question_id]["answer"] == "Udvalgets svar."
    assert not any(key[0] == "question" for key in marks.keys)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.reused"))
    assert "questions" not in event.detail["copied"]


def test_what_only_the_source_municipality_can_say_is_not_copied(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    for name in ("case_number", "public_contact", "decision_body", "complaint_to", "involvement_description"):
        assert getattr(draft, name) == "", name
    assert draft.decision_meeting_date is None and draft.in_use_date is None
    assert draft.decision == "" and draft.decision_reasoning == "" and draft.review_date is None
    assert draft.positions == []


def test_only_the_signed_record_is_copied_never_the_live_rows(source, esbjerg_editor):
    # The live rows of a signed assessment cannot change through the services; simulate a row
    # written behind their back: the copy still says what was signed.
    db.session.execute(text("UPDATE assessment SET problem = 'Levende tekst' WHERE id = :id"), {"id": source.id})
    db.session.execute(
        text("UPDATE recommendation_review SET justification = 'Levende tekst' WHERE assessment_id = :id"),
        {"id": source.id},
    )
    db.session.commit()
    db.session.expire_all()
    draft = start(source, esbjerg_editor)
    assert draft.problem == PROPOSAL["problem"]
    assert "Levende tekst" not in {r.justification for r in draft.reviews}


def test_copied_text_gets_the_typed_text_bounds_and_control_character_rule(esbjerg_editor, app):
    # \x01 (no NUL: PostgreSQL refuses it in text) and Word's soft line break \x0b.
    hostile = "Fald\x01 om natten\x0bnæste linje " + "x" * (TEXT_MAX + 500)
    odense = make_org("Odense Kommune")
    signed = make_signed(odense, problem=hostile)
    # Sign-off goes through the services, which store what they are given: the record may hold
    # what a form would refuse (an old bound, a command, an import). The copy applies today's rule.
    signed_proposal = json.loads(signed.signed_record.canonical_json)["proposal"]
    assert next(item["value"] for item in signed_proposal if item["field"] == "problem") == hostile
    assessments.transition(signed, "publish", user=make_user(odense, role="admin"))
    db.session.commit()
    draft = start(signed, esbjerg_editor)
    assert len(draft.problem) <= TEXT_MAX
    assert "\x01" not in draft.problem and "\x0b" not in draft.problem
    assert draft.problem.startswith("Fald om natten\nnæste linje xxx")
    # The mark follows the same rule: the cut text is still the source's text.
    assert services.marks(draft, content=get_content()).has("proposal", "problem")


def test_malformed_values_in_a_record_are_left_empty_not_trusted(app):
    content = get_content()
    record = {
        "proposal": [
            {"field": "technology_category", "value": "<script>"},
            {"field": "cost_one_off", "value": -5},
            {"field": "freed_hours_yearly", "value": True},
            {"field": "cost_yearly", "value": 0},
            {"field": "expected_benefits", "value": ["livskvalitet", "hacked", 7]},
            {"field": "participation", "value": "frivillig"},
            {"field": "problem", "value": {"not": "text"}},
        ],
        "questions": [{"id": "q", "kind": "guiding", "group_id": "../etc", "concern": "panik", "answer": "Ja"}],
        "actions": [{"description": "", "owner": "Ingen"}, "not a dict"],
        "recommendations": "not a list",
    }
    values = services.source_values(record, content)
    assert values.proposal == {"expected_benefits": ["livskvalitet"], "participation": "frivillig", "cost_yearly": 0}
    assert values.questions == {"q": {"answer": "Ja"}}
    assert values.dilemma_ids == [] and values.actions == [] and values.reviews == {}


def test_a_field_is_marked_until_it_is_edited(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    marks = services.marks(draft, content=get_content())
    assert marks.text == "Overtaget fra Odense Kommune, version 1"
    assert marks.has("proposal", "problem") and marks.has("proposal", "target_group")
    review = draft.reviews[0]
    assert marks.has("review", review.recommendation_id, "justification")
    action = draft.actions[0]
    assert marks.has("action", action.id, "description") and marks.has("action", action.id, "owner")
    before = len(marks)

    assessments.save_proposal(
        draft, {"problem": "Vores egen beskrivelse af problemet."}, expected_version=None, user=esbjerg_editor
    )
    assessments.save_review(
        review, {"justification": "Vores egen begrundelse."}, expected_version=None, user=esbjerg_editor
    )
    assessments.save_action(action, {"owner": "Vores leder"}, expected_version=None, user=esbjerg_editor)
    db.session.commit()
    marks = services.marks(draft, content=get_content())
    assert not marks.has("proposal", "problem") and marks.has("proposal", "target_group")
    assert not marks.has("review", review.recommendation_id, "justification")
    assert marks.has("review", review.recommendation_id, "status")
    assert marks.has("action", action.id, "description") and not marks.has("action", action.id, "owner")
    assert len(marks) == before - 3

    # Typing the source's text back brings the mark back: the mark says what the text is.
    assessments.save_proposal(draft, {"problem": PROPOSAL["problem"]}, expected_version=None, user=esbjerg_editor)
    assert services.marks(draft, content=get_content()).has("proposal", "problem")


def test_an_assessment_not_started_from_a_record_has_no_marks(esbjerg_editor):
    draft = make_assessment(esbjerg_editor)
    assert services.marks(draft, content=get_content()) is None


def test_a_tampered_source_record_marks_nothing_and_cannot_be_copied(source, esbjerg_editor, app):
    draft = start(source, esbjerg_editor)
    frozen = source.signed_record
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DROP TRIGGER signed_record_no_update"))
    else:
        db.session.execute(text("ALTER TABLE signed_record DISABLE TRIGGER signed_record_no_change"))
    db.session.execute(
        text("UPDATE signed_record SET canonical_json = replace(canonical_json, 'Udvalgets', 'Falske') WHERE id = :id"),
        {"id": frozen.id},
    )
    db.session.commit()
    db.session.expire_all()
    assert len(services.marks(draft, content=get_content())) == 0
    with pytest.raises(services.ReuseError, match="kontrolsum"):
        services.start_from(publication_of(source), user=esbjerg_editor, title="Igen", content=get_content())


def test_a_withdrawn_record_is_refused(source, esbjerg_editor):
    admin = make_user(source.organisation, role="admin")
    assessments.transition(source, "withdraw", user=admin, reason="Fejl i forslaget")
    db.session.commit()
    with pytest.raises(services.ReuseError, match="trukket tilbage"):
        services.start_from(publication_of(source), user=esbjerg_editor, title="X", content=get_content())


def test_an_unpublished_record_is_never_a_source(app, esbjerg_editor):
    signed = make_signed(make_org("Odense Kommune"))
    assert publication_of(signed) is None
    assert services.find_source(signed.public_id) is None


def test_a_member_cannot_start_a_draft(source):
    member = make_user(make_org("Esbjerg Kommune"), role="member")
    with pytest.raises(assessments.NotAllowed):
        services.start_from(publication_of(source), user=member, title="X", content=get_content())


def test_the_own_municipality_reopens_instead(source):
    editor = make_user(source.organisation, role="editor")
    with pytest.raises(services.ReuseError, match="jeres egen"):
        services.start_from(publication_of(source), user=editor, title="X", content=get_content())


def test_an_empty_title_is_refused(source, esbjerg_editor):
    with pytest.raises(services.ReuseError, match="titel"):
        services.start_from(publication_of(source), user=esbjerg_editor, title=" \x00 ", content=get_content())


def test_the_audit_log_names_the_source(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.assessment_id == draft.id, AuditEvent.action == "assessment.reused")
    )
    assert event.user_id == esbjerg_editor.id
    assert event.detail["source"] == source.public_id and event.detail["source_municipality"] == "Odense Kommune"
    assert "Odense Kommune" in event.summary


def test_another_municipalitys_draft_is_not_reachable(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    odense_editor = make_user(source.organisation, role="editor")
    assert assessments.get_for_organisation(draft.public_id, odense_editor.organisation_id) is None


def test_the_link_survives_a_new_version(source, esbjerg_editor):
    from assessment_factories import answer_everything, sign_off

    draft = start(source, esbjerg_editor)
    signers = [
        make_user(esbjerg_editor.organisation, role="admin"),
        make_user(esbjerg_editor.organisation, role="member"),
    ]
    answer_everything(draft, esbjerg_editor)
    confirm_everything(draft, esbjerg_editor)
    sign_off(draft, esbjerg_editor, signers)
    db.session.commit()
    copy = assessments.reopen(draft, user=esbjerg_editor)
    db.session.commit()
    assert db.session.get(ReuseLink, copy.id).source_public_id == source.public_id
    # The confirmations signed in version 1 stand in version 2, the action items' new ids too.
    marks = services.marks(copy, content=get_content())
    assert marks.keys and not marks.unconfirmed
    assert any(key[0] == "action" for key in marks.confirmed)
    fields = canonical.snapshot(copy, content=get_content())["reused_from"]["fields"]
    assert fields == json.loads(draft.signed_record.canonical_json)["reused_from"]["fields"]


def test_the_source_page_counts_municipalities_and_links_only_published_ones(source, esbjerg_editor):
    publication = publication_of(source)
    assert services.built_on(publication, [publication]).count == 0
    start(source, esbjerg_editor)
    start(source, make_user(esbjerg_editor.organisation, role="admin"), title="Anden")
    start(source, make_user(make_org("Vejle Kommune"), role="editor"))
    built = services.built_on(publication, [publication])
    assert built.count == 2  # municipalities, not drafts
    assert built.published == []


def test_the_signed_record_keeps_the_link(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    assert services.reused_from_section(draft) == {
        "public_id": source.public_id,
        "version": 1,
        "municipality": "Odense Kommune",
        "fields": [],  # nothing confirmed yet
    }
    assert canonical.snapshot(draft, content=get_content())["reused_from"] == services.reused_from_section(draft)
    other = make_assessment(esbjerg_editor)
    assert canonical.snapshot(other, content=get_content()).get("reused_from") is None


def test_the_demo_has_a_published_record_built_on_another_municipalitys(runner, client):
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    [link] = db.session.scalars(select(ReuseLink)).all()
    reused = link.assessment
    assert reused.organisation.name == "Esbjerg Kommune" and link.source_municipality == "Odense Kommune"
    assert reused.status == "published"
    record = json.loads(reused.signed_record.canonical_json)
    assert record["reused_from"]["municipality"] == "Odense Kommune"
    marks = services.marks(reused, content=get_content())
    assert len(marks) > 0 and not marks.has("proposal", "problem")  # Esbjerg wrote its own problem
    # Its board confirmed every field it kept, and its record says which.
    fields = {(f["section"], f["field"]) for f in record["reused_from"]["fields"]}
    assert not marks.unconfirmed and len(record["reused_from"]["fields"]) == len(marks)
    assert ("proposal", "technology_description") in fields and ("proposal", "problem") not in fields
    assert all(q.answer and q.answer != "Udvalgets svar." for q in reused.questions)
    page = client.get(f"/vurderinger/{link.source_public_id}")
    assert "1 kommune har bygget videre på denne vurdering." in page.text
    assert f'href="/vurderinger/{reused.public_id}"' in page.text


# --- Reuse that is read: every field taken over is confirmed or changed before sign-off ----------


@pytest.fixture
def ready(source, esbjerg_editor):
    """A reused draft with everything else a sign-off needs, its own deliberation written."""
    from assessment_factories import answer_everything

    draft = start(source, esbjerg_editor)
    answer_everything(draft, esbjerg_editor)
    for row in draft.questions:  # this board's own words, not the source's
        assessments.save_question(
            row,
            {"discussion": "Esbjerg drøftede spørgsmålet.", "answer": "Esbjergs svar."},
            expected_version=None,
            user=esbjerg_editor,
        )
    signers = [
        make_user(esbjerg_editor.organisation, role="admin"),
        make_user(esbjerg_editor.organisation, role="member"),
    ]
    db.session.commit()
    return draft, signers


def request(draft, editor, signers):
    from assessment_factories import request_signoff

    request_signoff(draft, editor, signers)


def test_unconfirmed_fields_block_signoff_and_are_named_by_label(ready, esbjerg_editor):
    draft, signers = ready
    with pytest.raises(assessments.TransitionBlocked) as refused:
        request(draft, esbjerg_editor, signers)
    missing = " ".join(refused.value.missing)
    assert "Forslaget – Formål: 3 felter er overtaget fra Odense Kommune og hverken bekræftet eller rettet" in missing
    assert "„Hvilket problem skal løses?“" in missing
    assert "Anbefaling 1: 2 felter" in missing and "„Anbefaling 1: begrundelse“" in missing
    assert "Handlingsplanen" in missing and "„Handling 1: beskrivelse“" in missing
    db.session.rollback()

    # One field left: it alone is named.
    confirm_everything(draft, esbjerg_editor)
    confirmation = db.session.scalar(
        select(ReuseConfirmation).where(
            ReuseConfirmation.assessment_id == draft.id, ReuseConfirmation.field == "problem"
        )
    )
    db.session.delete(confirmation)
    db.session.flush()
    with pytest.raises(assessments.TransitionBlocked) as refused:
        request(draft, esbjerg_editor, signers)
    assert refused.value.missing == [
        "Forslaget – Formål: 1 felt er overtaget fra Odense Kommune og hverken bekræftet eller rettet: "
        "„Hvilket problem skal løses?“."
    ]
    db.session.rollback()
    confirm_everything(draft, esbjerg_editor)
    request(draft, esbjerg_editor, signers)
    assert draft.status == "awaiting_signoff"


def test_a_changed_field_counts_as_confirmed(ready, esbjerg_editor):
    draft, signers = ready
    marks = services.marks(draft, content=get_content())
    # Change every field taken over except the choices (another answer there would ask for more
    # fields), in the proposal, the reviews and the action plan; confirm only the choices.
    changed, choices = {}, []
    for key in sorted(k for k in marks.keys if k[0] == "proposal"):
        spec = next(s for s in PROPOSAL_FIELDS if s.name == key[1])
        if spec.kind in ("choice", "radio", "select"):
            choices.append(key[1])
        else:
            changed[key[1]] = own_value(spec, getattr(draft, key[1]))
    assessments.save_proposal(draft, changed, expected_version=None, user=esbjerg_editor)
    for review in draft.reviews:
        assessments.save_review(
            review,
            {"status": "delvist_opfyldt", "justification": "Esbjergs egen begrundelse."},
            expected_version=None,
            user=esbjerg_editor,
        )
    for action in draft.actions:
        assessments.save_action(
            action,
            {"description": f"Esbjergs handling {action.id}.", "owner": "Esbjergs leder"},
            expected_version=None,
            user=esbjerg_editor,
        )
    db.session.flush()
    left = services.marks(draft, content=get_content()).unconfirmed
    assert left == {("proposal", name) for name in choices}
    assert db.session.scalar(select(func.count()).select_from(ReuseConfirmation)) == 0  # changing needs no row
    for name in choices:
        services.confirm(draft, user=esbjerg_editor, field_key=f"proposal:{name}")
    request(draft, esbjerg_editor, signers)
    assert draft.status == "awaiting_signoff"
    fields = canonical.snapshot(draft, content=get_content())["reused_from"]["fields"]
    assert sorted(f["field"] for f in fields) == sorted(choices)  # the changed ones are the board's own


def own_value(spec, value):
    """A value of the field's kind (text, number, date or list) that differs from `value`."""
    if spec.kind == "integer":
        return (value or 0) + 1
    if spec.kind == "multi":
        return [key for key in spec.choices if key not in value][:1] or list(spec.choices)[:1]
    if spec.kind == "date":
        return date(2027, 1, 1)
    return f"Esbjergs egen tekst: {value}"[: spec.max_length]


def test_a_confirmation_names_who_and_when_and_is_audited(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    keys = services.confirm(draft, user=esbjerg_editor, field_key="proposal:problem")
    db.session.commit()
    assert keys == [("proposal", "problem")]
    [row] = db.session.scalars(select(ReuseConfirmation)).all()
    assert (row.assessment_id, row.section, row.item, row.field) == (draft.id, "proposal", "", "problem")
    assert row.confirmed_by_id == esbjerg_editor.id and row.confirmed_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reuse.confirmed"))
    assert event.user_id == esbjerg_editor.id and event.detail["labels"] == ["Hvilket problem skal løses?"]
    marks = services.marks(draft, content=get_content())
    assert marks.is_confirmed("proposal", "problem") and not marks.is_confirmed("proposal", "target_group")
    # Confirming again is harmless and adds nothing.
    assert services.confirm(draft, user=esbjerg_editor, field_key="proposal:problem") == []


@pytest.mark.parametrize(
    "field_key, section, message",
    [
        ("proposal:case_number", "", "ikke overtaget"),  # never copied
        ("proposal:nonsense", "", "ikke overtaget"),
        ("question:x:answer", "", "ikke overtaget"),
        ("review::status", "", "ikke overtaget"),
        ("a" * 5000, "", "ikke overtaget"),
        ("", "proposal:beslutning", "ingen felter"),
        ("", "x" * 5000, "ingen felter"),
    ],
)
def test_confirming_what_is_not_taken_over_is_refused(source, esbjerg_editor, field_key, section, message):
    draft = start(source, esbjerg_editor)
    with pytest.raises(services.ReuseError, match=message):
        services.confirm(draft, user=esbjerg_editor, field_key=field_key, section=section)


def test_only_an_editable_draft_of_an_editor_is_confirmed(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    with pytest.raises(assessments.NotAllowed):
        services.confirm(draft, user=make_user(esbjerg_editor.organisation, role="member"), section="actions")
    own = make_assessment(esbjerg_editor)
    with pytest.raises(services.ReuseError, match="bygger ikke på"):
        services.confirm(own, user=esbjerg_editor, section="actions")
    with pytest.raises(services.ReuseError, match="kan ikke ændres"):
        services.confirm(source, user=make_user(source.organisation, role="editor"), section="actions")


def test_the_record_lists_the_fields_confirmed_and_still_taken_over(source, esbjerg_editor):
    import jsonschema

    draft = start(source, esbjerg_editor)
    services.confirm(draft, user=esbjerg_editor, section="proposal:formaal")
    services.confirm(draft, user=esbjerg_editor, section=f"review:{draft.reviews[1].recommendation_id}")
    services.confirm(draft, user=esbjerg_editor, section="actions")
    # Changed after its confirmation: the field is the board's own now, and not listed.
    assessments.save_proposal(
        draft, {"target_group": "Esbjergs målgruppe."}, expected_version=None, user=esbjerg_editor
    )
    record = canonical.snapshot(draft, content=get_content())
    jsonschema.validate(record, canonical.load_schema())
    fields = record["reused_from"]["fields"]
    assert fields[0] == {"section": "proposal", "field": "problem", "label": "Hvilket problem skal løses?"}
    assert {"section": "proposal", "field": "target_group"} not in [
        {k: f[k] for k in ("section", "field")} for f in fields
    ]
    review = draft.reviews[1]
    assert {
        "section": "recommendations",
        "id": review.recommendation_id,
        "number": review.number,
        "field": "status",
        "label": f"Anbefaling {review.number}: status",
    } in fields
    assert {"section": "actions", "number": 1, "field": "owner", "label": "Handling 1: ansvarlig"} in fields
    assert [f["section"] for f in fields] == sorted(
        (f["section"] for f in fields), key=["proposal", "questions", "recommendations", "actions"].index
    )
    # The schema refuses a malformed entry.
    for wrong in ({"section": "andet", "field": "x", "label": "x"}, {"section": "proposal", "label": "x"}):
        bad = record | {"reused_from": record["reused_from"] | {"fields": [wrong]}}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, canonical.load_schema())


def test_a_reused_section_is_not_done_until_confirmed(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    left = services.unconfirmed_by_progress(draft)
    assert left["forslag"] > 0 and left["anbefalinger"] == 10 and left["beslutning"] == 2
    confirm_everything(draft, esbjerg_editor)
    assert services.unconfirmed_by_progress(draft) == {}
    assert services.unconfirmed_by_progress(make_assessment(esbjerg_editor)) == {}


def test_the_source_answer_typed_back_is_marked_like_a_copy(source, esbjerg_editor):
    draft = start(source, esbjerg_editor)
    row = draft.questions[0]
    assessments.save_question(
        row, {"answer": "Udvalgets svar.", "concern": "lav"}, expected_version=None, user=esbjerg_editor
    )
    marks = services.marks(draft, content=get_content())
    assert marks.has("question", row.question_id, "answer")
    assert not marks.has("question", row.question_id, "concern")  # a level is a choice, not a copy
