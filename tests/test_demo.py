"""`flask demo`: loads the demo into an empty database only, never in production."""

from factories import make_org
from sqlalchemy import func, select

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
            assert "loft" not in text and "sensorer" not in text
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
    carrying = [r for r in db.session.scalars(select(SignedRecord))
                if any((d.get("file") or {}).get("sha256") == digest for d in json.loads(r.canonical_json)["documents"])]
    assert len(carrying) == 1
    frozen = carrying[0]
    assert check_integrity(frozen).ok
    assert PdfReader(io.BytesIO(bytes(frozen.pdf))).attachments == {"dpia-gps-ure-odense.pdf": [dpia_pdf()]}
    public_id = frozen.assessment.public_id
    page = client.get(f"/vurderinger/{public_id}").get_data(as_text=True)
    assert digest in page and "Konsekvensanalysen (DPIA) hedder" in page
    assert client.get(f"/vurderinger/{public_id}/dokumenter/{digest}.pdf").data == dpia_pdf()
