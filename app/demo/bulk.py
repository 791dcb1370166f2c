"""Bulk published assessments for benchmarks (`flask --app app bench-seed --n N`).

One assessment goes through the real services (proposal, deliberation, sign-off, PDF); the other
N-1 are written with bulk INSERTs as variations of it: their own title, municipality, technology,
decision, year, canonical JSON with its hash, verification code, publication row and search
entry. They share the template's PDF bytes, because rendering 10,000 PDFs would take the
benchmark's whole budget; every other row is what publishing would have written.

Why this lives in the app and not in bench/: it writes the app's own rows with the app's own
rules (canonical JSON, hashes, verification codes, the search entry), so it must change in the
same commit as any of them, where the test suite sees it; tests/test_public_scale.py and
tests/test_exports_streaming.py seed with it as bench/growth.py does; and `flask bench-seed`
seeds whatever database the app is configured for, which only an app command can. It never runs
in production (the command refuses).
"""

from __future__ import annotations

import json
import random
import secrets
from datetime import date, timedelta

from sqlalchemy import insert, select

from app.accounts import services as accounts
from app.accounts.models import Organisation, User
from app.accounts.passwords import UNUSABLE_HASH
from app.assessments import services as assessments
from app.assessments.models import DECISIONS, Assessment, new_public_id
from app.content.loader import ContentSet
from app.core.time import utcnow
from app.extensions import db
from app.i18n import danish
from app.public.models import Publication, PublicationSearch
from app.public.services import search_values
from app.signoff import canonical, codes
from app.signoff import services as signoff
from app.signoff.models import SignedRecord, SignedRecordPdf
from app.translog import services as translog

MUNICIPALITIES = 98
CHUNK = 500
PROBLEMS = [
    "Borgere med demens falder om natten og ligger længe, før nogen opdager det.",
    "Mange korte besøg i hjemmeplejen handler kun om at minde borgeren om medicin.",
    "Beboere med nedsat armfunktion vil gerne spise selv uden hjælp.",
    "Genoptræning efter operation bliver ikke fulgt op derhjemme.",
    "Medarbejdere løfter tunge borgere mange gange om dagen.",
    "Ensomme ældre har få samtaler i løbet af ugen.",
]
# Words for texts of a realistic length that differ from record to record (issue 33 item 6): a
# seed of one text repeated lets every cache of text hit across records and flatters a benchmark.
_WORDS = (
    "borgeren beboeren personalet pårørende kommunen udvalget teknologien sensoren skærmen robotten "
    "natten dagen hjemmet plejeboligen afdelingen hverdagen tryghed værdighed selvbestemmelse samtykke "
    "data oplysninger adgang sletning risiko gevinst ulempe erfaring afprøvning evaluering opfølgning "
    "vurderer drøfter anbefaler forventer oplever hjælper støtter mindsker øger ændrer bevarer "
    "ofte sjældent altid gradvist tydeligt konkret samlet særligt fortsat ikke kun også derfor men "
    "og eller når hvis fordi som med uden efter før under mellem hos for til af på i om"
)
WORDS = _WORDS.split()


def _text(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randrange(low, high))]
    return " ".join(words).capitalize() + "."


def _vary_texts(record: dict, rng: random.Random) -> None:
    """Distinct deliberation texts of realistic length (a few hundred words a record)."""
    for question in record.get("questions", []):
        question["discussion"] = _text(rng, 20, 120)
        question["answer"] = _text(rng, 5, 40)
    for recommendation in record.get("recommendations", []):
        recommendation["justification"] = _text(rng, 8, 50)
    if record.get("decision"):
        record["decision"]["reasoning"] = _text(rng, 15, 80)


TECHNOLOGY_NAMES = [
    "Sensorer",
    "Skærmbesøg",
    "Spiserobot",
    "Træningsapp",
    "Loftlift",
    "Robotsæl",
    "GPS-ur",
    "Medicindispenser",
    "Vasketoilet",
    "Socialrobot",
]


def _template(content: ContentSet, organisation: Organisation, users: list[User]) -> Assessment:
    """One assessment through the real services, signed and published: the pattern for the rest."""
    from app.assessments import explanations
    from app.demo.services import SENSORS, SENSORS_EXPLAINED, _meeting, tell_story

    editor, chair, admin = users
    assessment = assessments.create_assessment(
        user=editor, title="Nattilsyn med sensorer", dilemma_ids=[content.dilemmas[0].id], content=content
    )
    tell_story(assessment, editor, SENSORS, content=content, technology=content.technologies[0].id)
    assessments.save_decision(
        assessment,
        {
            "decision": "anbefales",
            "decision_reasoning": "Gevinsten opvejer ulemperne.",
            "review_date": date(2027, 12, 1),
        },
        expected_version=None,
        user=editor,
    )
    assessments.transition(assessment, "start_deliberation", user=editor)
    _meeting(assessment, editor, [chair, admin])  # the meeting and the vote (issue 28)
    for rule, text in SENSORS_EXPLAINED.items():  # kept only while its rule finds something
        explanations.save_explanation(assessment, rule, text, user=editor)
    signoff.name_signatories(assessment, [chair.id, admin.id], user=editor)
    assessments.transition(assessment, "request_signoff", user=editor)
    for signer in (chair, admin):
        _, record_sha256 = signoff.current_record(assessment, content)
        signoff.sign(
            assessment,
            user=signer,
            password="",
            seen_hash=record_sha256,
            seen_at=None,
            content=content,
            password_ok=lambda user, password: True,
        )
    assessments.transition(assessment, "publish", user=admin)
    return assessment


def _signed_when(signatures_json: str, signed_at) -> str:
    """The template's signatures, signed at this record's time: `flask verify` checks that the
    latest signature is the record's signed_at."""
    moment = signed_at.isoformat(timespec="seconds")
    return json.dumps(
        [{**s, "signed_at": moment} for s in json.loads(signatures_json)], ensure_ascii=False, sort_keys=True
    )


def _organisations(count: int) -> list[tuple[Organisation, User]]:
    existing = {o.name: o for o in db.session.scalars(select(Organisation))}
    result = []
    for number in range(1, count + 1):
        name = f"Benchmark Kommune {number:02d}"
        organisation = existing.get(name) or accounts.create_organisation(name)
        user = db.session.scalar(select(User).where(User.organisation_id == organisation.id).limit(1))
        if user is None:
            user = User(
                organisation_id=organisation.id,
                email=f"bench{number}@bench.example.dk",
                name="Benchmark",
                title="Sekretær",
                role="editor",
                password_hash=UNUSABLE_HASH,
            )
            db.session.add(user)
        result.append((organisation, user))
    db.session.flush()
    return result


def seed_published(n: int, content: ContentSet, *, seed: int = 2026) -> int:
    """Add n published assessments across 98 municipalities; the caller commits."""
    if n < 1:
        return 0
    rng = random.Random(seed)
    texts = random.Random(seed + 1)  # its own stream: the other fields are what they were
    boards = _organisations(MUNICIPALITIES)
    first_org, first_user = boards[0]
    board = [first_user] + [
        accounts.create_user(
            first_org,
            f"bench-{role}-{secrets.token_hex(3)}@bench.example.dk",
            name,
            "Medlem",
            role,
            secrets.token_urlsafe(24),
        )
        for role, name in (("member", "Formand Bench"), ("admin", "Admin Bench"))
    ]
    template = _template(content, first_org, board)
    frozen = template.signed_record
    pattern = json.loads(frozen.canonical_json)
    pdf, pdf_sha256, signatures_json = bytes(frozen.pdf), frozen.pdf_sha256, frozen.signatures_json
    technologies, decisions = content.technologies, list(DECISIONS)
    decision_labels = {key: danish(label) for key, label in DECISIONS.items()}  # the record is Danish
    areas = content.sector_areas or []
    now = utcnow()
    written = 1
    while written < n:
        batch = min(CHUNK, n - written)
        assessment_rows, plans = [], []
        for _ in range(batch):
            organisation, user = boards[rng.randrange(len(boards))]
            technology = technologies[rng.randrange(len(technologies))]
            area = areas[rng.randrange(len(areas))] if areas else None
            name = rng.choice(TECHNOLOGY_NAMES)
            title = f"{name} {rng.randrange(1, 9999)} i {organisation.name}"
            decision = rng.choice(decisions)
            signed_at = now - timedelta(days=rng.randrange(0, 5 * 365), minutes=rng.randrange(0, 1440))
            public_id = new_public_id()
            record = json.loads(json.dumps(pattern))
            record.update(
                public_id=public_id, title=title, organisation={"name": organisation.name, "slug": organisation.slug}
            )
            record["technology"].update(
                name=name,
                category=technology.id,
                category_title=technology.title,
                area=area.id if area else "",
                area_title=area.title if area else "",
            )
            record["decision"].update(decision=decision, label=decision_labels[decision])
            _vary_texts(record, texts)
            for item in record["proposal"]:
                if item["field"] == "problem":
                    item["value"] = item["text"] = rng.choice(PROBLEMS)
                elif item["field"] == "technology_name":
                    item["value"] = item["text"] = name
            assessment_rows.append(
                {
                    "public_id": public_id,
                    "organisation_id": organisation.id,
                    "created_by_id": user.id,
                    "status": "published",
                    "content_version": template.content_version,
                    "version_number": 1,
                    "title": title,
                    "technology_name": name,
                    "technology_category": technology.id,
                    "sector_area": area.id if area else "",
                    "decision": decision,
                    "row_version": 1,
                    "created_at": signed_at,
                    "updated_at": signed_at,
                }
            )
            plans.append((record, signed_at))
        db.session.execute(insert(Assessment), assessment_rows)
        ids = dict(
            db.session.execute(
                select(Assessment.public_id, Assessment.id).where(
                    Assessment.public_id.in_([row["public_id"] for row in assessment_rows])
                )
            ).all()
        )
        record_rows = []
        for record, signed_at in plans:
            canonical_json = canonical.canonical_bytes(record).decode("utf-8")
            record_rows.append(
                {
                    "assessment_id": ids[record["public_id"]],
                    "schema_version": canonical.SCHEMA_VERSION,
                    "canonical_json": canonical_json,
                    "json_sha256": canonical.sha256_hex(canonical_json.encode()),
                    "pdf_sha256": pdf_sha256,
                    "verification_code": codes.new_code(),
                    "signed_at": signed_at,
                    "signatures_json": _signed_when(signatures_json, signed_at),
                }
            )
        db.session.execute(insert(SignedRecord), record_rows)
        record_ids = dict(
            db.session.execute(
                select(SignedRecord.assessment_id, SignedRecord.id).where(
                    SignedRecord.assessment_id.in_(list(ids.values()))
                )
            ).all()
        )
        db.session.execute(
            insert(SignedRecordPdf), [{"signed_record_id": record_id, "pdf": pdf} for record_id in record_ids.values()]
        )
        publication_rows = []
        for record, signed_at in plans:
            assessment_id = ids[record["public_id"]]
            publication_rows.append(
                {
                    "assessment_id": assessment_id,
                    "signed_record_id": record_ids[assessment_id],
                    "public_id": record["public_id"],
                    "title": record["title"],
                    "organisation_name": record["organisation"]["name"],
                    "organisation_slug": record["organisation"]["slug"],
                    "technology_name": record["technology"]["name"],
                    "technology_category": record["technology"]["category"],
                    "sector_area": record["technology"]["area"],
                    "decision": record["decision"]["decision"],
                    "year": signed_at.year,
                    "version_number": 1,
                    "summary": next(p["text"] for p in record["proposal"] if p["field"] == "problem"),
                    "signed_at": signed_at,
                    "published_at": signed_at + timedelta(days=1),
                }
            )
        db.session.execute(insert(Publication), publication_rows)
        publication_ids = dict(
            db.session.execute(
                select(Publication.public_id, Publication.id).where(
                    Publication.public_id.in_([row["public_id"] for row in publication_rows])
                )
            ).all()
        )
        db.session.execute(
            insert(PublicationSearch),
            [{"publication_id": publication_ids[record["public_id"]], **search_values(record)} for record, _ in plans],
        )  # the search index follows by trigger (SQLite) or expression index (PostgreSQL)
        translog.append_many(  # the transparency log, as signing and publishing write it; one checkpoint a batch
            [
                translog.make_entry(kind, record, row["json_sha256"], row["pdf_sha256"], moment)
                for (record, _), row, publication in zip(plans, record_rows, publication_rows, strict=True)
                for kind, moment in (("signed", row["signed_at"]), ("published", publication["published_at"]))
            ]
        )
        db.session.flush()
        written += batch
    return written
