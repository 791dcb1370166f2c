"""`flask demo`: loads the demo into an empty database only, never in production."""

import json

from factories import make_org
from sqlalchemy import func, select
from test_signoff import pdf_text

from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.assessments.models import Assessment, Status
from app.demo.services import DEMO_PASSWORD
from app.extensions import db
from app.public.models import Publication
from app.signoff.models import SignedRecord
from app.signoff.services import check_integrity


def test_demo_loads_boards_and_assessments_at_every_stage(runner):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "sekretaer@aarhus.example.dk" in result.output
    statuses = set(db.session.scalars(select(Assessment.status)))
    assert {Status.DRAFT, Status.DELIBERATION, Status.SIGNED} <= statuses
    frozen = db.session.scalars(select(SignedRecord)).first()
    assert frozen.pdf.startswith(b"%PDF")
    assert check_integrity(frozen).ok
    publications = list(db.session.scalars(select(Publication)))
    assert len({p.organisation_slug for p in publications}) >= 3
    assert len({p.technology_category for p in publications}) >= 3
    assert sum(p.is_withdrawn for p in publications) == 1
    assert sum(p.replaced_by_id is not None for p in publications) == 1
    editor = db.session.scalar(select(User).where(User.email == "sekretaer@aarhus.example.dk"))
    assert verify_password(editor.password_hash, DEMO_PASSWORD)[0]


def test_demo_if_empty_leaves_a_database_with_data_alone(runner):
    make_org("Eksisterende Kommune")
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "no demo data loaded" in result.output
    assert db.session.scalar(select(func.count(Assessment.id))) == 0


def test_demo_without_if_empty_refuses_a_database_with_data(runner):
    make_org("Eksisterende Kommune")
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "not empty" in result.output


def test_demo_is_never_loaded_in_production(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_has_an_open_consultation_and_an_answered_one_in_a_signed_record(runner):
    import json

    from app.consultation.services import public_consultations

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    [open_one] = public_consultations()
    assert {r.status for r in open_one.responses} == {"approved", "pending"}
    signed_sections = [json.loads(r.canonical_json)["consultations"] for r in db.session.scalars(select(SignedRecord))]
    answered = [s for s in signed_sections if s]
    assert len(answered) == 1
    responses = answered[0][0]["responses"]
    assert len(responses) == 2 and all(r["answer"] for r in responses)  # the spam was rejected


def test_bench_seed_publishes_n_assessments_that_read_search_and_verify_like_real_ones(runner, client):
    result = runner.invoke(args=["bench-seed", "--n", "30"])
    assert result.exit_code == 0, result.output
    publications = list(db.session.scalars(select(Publication)))
    assert len(publications) == 30
    assert len({p.organisation_slug for p in publications}) > 10  # spread over the 98 municipalities
    some = publications[-1]
    assert some.title in client.get(f"/vurderinger/{some.public_id}").get_data(as_text=True)
    word = some.technology_name.lower()
    assert some.public_id in client.get(f"/vurderinger?q={word}").get_data(as_text=True)
    assert runner.invoke(args=["verify"]).exit_code == 0  # every record's hashes hold


def test_bench_seed_is_never_run_in_production(app, runner):
    app.config["ENV_NAME"] = "production"
    assert runner.invoke(args=["bench-seed", "--n", "5"]).exit_code != 0
    assert db.session.scalar(select(func.count(Publication.id))) == 0


def test_every_demo_assessment_reads_as_its_own_technology(runner):
    import json

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    publications = list(db.session.scalars(select(Publication)))
    current = [p for p in publications if p.replaced_by_id is None]
    assert len({p.summary for p in current}) == len(current)  # no shared summary
    for publication in publications:
        record = json.loads(publication.signed_record.canonical_json)
        text = json.dumps(record, ensure_ascii=False).lower()
        if "gps" in publication.title.lower():
            # not the ceiling sensors' story (it may name KL's guidance on sensors and door sensors as an alternative)
            assert "loft" not in text and "nattilsyn" not in text
        answers = {q["answer"] for q in record["questions"]}
        assert len(answers) > 1 and len({q["concern"] for q in record["questions"]}) > 1


def test_the_readme_names_only_demo_users_that_exist(runner):
    import re
    from pathlib import Path

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    demo = readme.split("The demo has")[1].split("\n\n")[0]
    named = set(re.findall(r"`([a-z]+@[a-z]+\.example\.dk)`", demo))
    # "the same names work with `odense`": every named login, in every town named that way
    for town in re.findall(r"`(odense|esbjerg)`", demo):
        named |= {f"{address.split('@')[0]}@{town}.example.dk" for address in list(named)}
    existing = set(db.session.scalars(select(User.email)))
    assert named and named <= existing, named - existing


def test_the_demo_gps_assessment_carries_an_uploaded_dpia(runner, client):
    """Issue 17 item 6: one demo assessment's signed PDF embeds its DPIA, and the public page serves it."""
    import hashlib
    import io
    import json

    from pypdf import PdfReader

    from app.demo.documents import dpia_pdf

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert dpia_pdf() == dpia_pdf()  # deterministic
    digest = hashlib.sha256(dpia_pdf()).hexdigest()
    carrying = [
        r
        for r in db.session.scalars(select(SignedRecord))
        if any((d.get("file") or {}).get("sha256") == digest for d in json.loads(r.canonical_json)["documents"])
    ]
    assert len(carrying) == 1
    frozen = carrying[0]
    assert check_integrity(frozen).ok
    attached = dict(PdfReader(io.BytesIO(bytes(frozen.pdf))).attachments)
    assert attached.pop("etikdialog-post.json") == [frozen.canonical_json.encode("utf-8")]  # the record itself
    assert attached == {"dpia-gps-ure-odense.pdf": [dpia_pdf()]}
    public_id = frozen.assessment.public_id
    page = client.get(f"/vurderinger/{public_id}").get_data(as_text=True)
    assert digest in page and "Konsekvensanalysen (DPIA) hedder" in page
    assert client.get(f"/vurderinger/{public_id}/dokumenter/{digest}.pdf").data == dpia_pdf()


NEW_QUESTIONS = (
    "Hvad skal teknologien give?",
    "Hvad koster det?",
    "Hvad sker der, hvis kommunen ikke bruger teknologien?",
    "Træffer teknologien beslutninger om mig?",
    "Begrænser teknologien min frihed?",
    "Er teknologien afprøvet?",
    "Hvem træffer den formelle beslutning, og hvornår?",  # schema 4 (issue 28)
    "Hvordan klager jeg?",
    "Hvilke dokumenter hører til?",
)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _page_text(html: str) -> str:
    import html as html_module
    import re

    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return _plain(html_module.unescape(re.sub(r"<[^>]+>", " ", main)))


def _answered(text: str, question: str) -> bool:
    """The question stands in the text, followed by something other than "Ikke oplyst endnu."."""
    from app.assessments.declaration import NOT_GIVEN

    at = text.find(question)
    return at >= 0 and not text[at + len(question) :].lstrip().startswith(NOT_GIVEN)


def test_every_published_demo_page_and_pdf_answers_the_nine_new_questions(runner, client):
    """Issue 17, done when: on a fresh demo, the PDF and the public page of every published demo
    assessment contain all nine new declaration questions, each with a real answer."""
    import io

    from pypdf import PdfReader

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    publications = list(db.session.scalars(select(Publication)))
    assert len(publications) >= 5
    missing = []
    for publication in publications:
        public_id = publication.signed_record.assessment.public_id
        page = client.get(f"/vurderinger/{public_id}")
        assert page.status_code == 200
        pdf = client.get(f"/vurderinger/{public_id}.pdf")
        assert pdf.status_code == 200
        texts = {"pdf": _plain(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))}
        if not publication.is_withdrawn:  # a withdrawn assessment's page shows the notice, not the record
            texts["page"] = _page_text(page.get_data(as_text=True))
        missing += [
            (publication.title, where, question)
            for where, text in texts.items()
            for question in NEW_QUESTIONS
            if not _answered(text, question)
        ]
    assert missing == [], "\n".join(map(str, missing))


def test_no_demo_text_is_copied_between_assessments(runner):
    """Issue 17 item 6: no long text of one demo assessment appears in another (versions of one
    assessment may repeat their own text)."""
    from app.assessments.proposal import PROPOSAL_FIELDS

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    from app.reuse.models import ReuseLink

    rows = list(db.session.scalars(select(Assessment)))
    first = {a.id: a for a in rows}
    # A draft started from another municipality's record repeats its text by design.
    built_on = {link.assessment_id: link.source_record.assessment_id for link in db.session.scalars(select(ReuseLink))}

    def lineage(assessment):
        while assessment.previous_id is not None or assessment.id in built_on:
            assessment = first[built_on.get(assessment.id) or assessment.previous_id]
        return assessment.id

    owners: dict[str, set[int]] = {}
    for assessment in rows:
        values = [getattr(assessment, f.name) for f in PROPOSAL_FIELDS]
        values += [assessment.decision_reasoning]
        values += [q.discussion for q in assessment.questions] + [q.answer for q in assessment.questions]
        values += [r.justification for r in assessment.reviews] + [a.description for a in assessment.actions]
        for value in values:
            if isinstance(value, str) and len(value.strip()) >= 40:
                owners.setdefault(value.strip(), set()).add(lineage(assessment))
    shared = {text: ids for text, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_every_published_demo_record_is_consistent_and_its_vote_adds_up(runner, client):
    """Issue 28: each signed demo record passes every consistency rule or carries the board's
    explanation, and names a meeting whose stances add up; its PDF says so."""
    from app.assessments import board, consistency

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    explained = set()
    for frozen in db.session.scalars(select(SignedRecord)):
        record = json.loads(frozen.canonical_json)
        assert consistency.unresolved(record) == [], record["title"]
        assert board.vote_problems(record) == [], record["title"]
        assert record["board"]["members_present"] and record["board"]["members_absent_count"] is not None
        counts = record["position_counts"]
        assert sum(counts.values()) == len(record["board"]["members_present"]) - len(
            record["board"]["conflicts_of_interest"]
        )
        explained |= {entry["rule"] for entry in record["consistency"]}
        text = " ".join(pdf_text(bytes(frozen.pdf)).split())
        assert "0 enige, 0 uenige og 0" not in text and "Beslutningen er truffet" not in text
        assert "Mødet og afstemningen" in text
    # The demo shows both ways of resolving a finding: explanations here, corrected fields elsewhere.
    assert {"frivillig_uden_samtykke", "ikke_paa_raadets_liste", "dpia_ikke_noedvendig_ved_overvaagning"} <= explained
    conflicted = [
        r
        for r in map(json.loads, db.session.scalars(select(SignedRecord.canonical_json)))
        if r["board"]["conflicts_of_interest"]
    ]
    assert [r["title"] for r in conflicted] == ["Robotstøvsugere i plejeboliger"]


def test_the_demo_has_a_decision_addendum_an_effect_addendum_and_an_overdue_review(runner, client):
    """Issue 28 item 8: one record with the formal decision added after signing, one with the measured
    effect, one past its review date with no review added; `flask verify` still passes."""
    from app.addenda.models import Addendum

    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    kinds = {row.kind: row for row in db.session.scalars(select(Addendum))}
    assert set(kinds) == {"beslutning", "effekt"}
    decided = db.session.scalar(
        select(Publication).where(Publication.signed_record_id == kinds["beslutning"].signed_record_id)
    )
    page = client.get(f"/vurderinger/{decided.public_id}").get_data(as_text=True)
    assert "Beslutningen blev truffet den 9. juni 2026 af Ældre- og Handicapudvalget" in page
    overdue = [
        p.public_id
        for p in db.session.scalars(select(Publication).where(Publication.withdrawn_at.is_(None)))
        if client.get(f"/api/v1/vurderinger/{p.public_id}").get_json()["review"]["overdue"]
    ]
    assert len(overdue) == 1
    assert "Revurderingen er overskredet" in client.get(f"/vurderinger/{overdue[0]}").get_data(as_text=True)
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
