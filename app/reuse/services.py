"""Start a new draft from another municipality's published assessment, and have its board read it.

Rules live here:
- The source is a publication that is not withdrawn, and everything copied is read from its signed
  record (the canonical JSON, whose hash is checked as the public page checks it), never from the
  source's live rows. An unpublished or withdrawn record is never a source.
- Only the secretariat and administrators (User.can_edit) start a draft, in their own municipality,
  from another municipality's record; their own records change by reopening them as a new version.
- Copied values pass the same rules as typed ones: the control-character rule of app/core/text.py
  and each field's kind, bound and choices from the field tables (PROPOSAL_FIELDS and
  app/assessments/fields.py). A value that breaks them is cut to its bound or left empty.
- Copied: the proposal (except what only the source municipality can say: how it involved its
  citizens, its decision body, meeting, case number, complaint route and contact), the
  recommendations' reviews, and the action plan (description, owner and whether it is a condition;
  every item starts as planned, with no due date). Never copied, because they are the source
  board's own deliberation and decision: the questions' discussions, answers and concern levels,
  the decision, positions (stances), dissents, signatories, consultations and their responses, and
  documents. The source's answers are shown read-only beside each question ("Sådan svarede …"),
  never put into the draft's fields.
- One rule for the mark "Overtaget fra Odense Kommune, version 2": a field carries it while its
  value equals the source's value after the same cleaning. The draft keeps only the link to the
  source's signed record (ReuseLink), so no per-field flag can drift from the text.
- Every marked field must be confirmed by the receiving board (ReuseConfirmation: who, when,
  which field, the value's fingerprint) or changed before "Send til underskrift": changing a field
  removes its mark, and so counts as confirming it. Only a marked field of an editable assessment
  can be confirmed, by the secretariat or an administrator. The signed record lists the fields
  confirmed as taken over in `reused_from.fields` (app/reuse/record.py).
Services flush and audit; they never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments import fields
from app.assessments import services as assessment_services
from app.assessments.models import Action, Assessment
from app.assessments.proposal import GROUPS, PROPOSAL_FIELDS
from app.audit.services import record
from app.content.loader import ContentSet, get_content
from app.core.text import shorten, strip_control_characters
from app.core.time import utcnow
from app.extensions import db
from app.i18n import line, quoted
from app.public.models import Publication
from app.reuse.models import ReuseConfirmation, ReuseLink
from app.reuse.record import (
    QUESTION_FIELDS,
    confirmations,
    field_entry,
    fingerprint,
    record_order,
    reused_from_section,  # noqa: F401 - the record's section, read here too
    value_of,
)
from app.signoff import integrity

# What only the source municipality can say about itself: never copied (see the module's rules).
LOCAL_GROUPS = frozenset({"inddragelse", "beslutning", "klage"})
LOCAL_FIELDS = frozenset({"public_contact"})
COPIED_PROPOSAL = tuple(f for f in PROPOSAL_FIELDS if f.group not in LOCAL_GROUPS and f.name not in LOCAL_FIELDS)
YEARS = (2000, 2100)  # the forms' YearRange


class ReuseError(assessment_services.AssessmentError):
    """The draft cannot be started; the message is for the person, in their language."""


# --- Cleaning: the bounds and rules of typed text, for copied values --------------------------


def clean(spec, value, choices: dict | None = None):
    """A copied value as the field's form would accept it, or the field's empty value.

    `spec` is a ProposalField or a fields.Field; `choices` replaces the spec's own (the content's
    technology categories and areas)."""
    kind = spec.kind
    allowed = choices if choices is not None else (spec.choices or {})
    if kind in ("text", "line", "url"):
        if not isinstance(value, str):
            return ""
        return strip_control_characters(value).strip()[: spec.max_length].strip()
    if kind == "integer":
        maximum = getattr(spec, "maximum", None)
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= (maximum or value)
        return value if ok else None
    if kind == "date":
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        return parsed if parsed and YEARS[0] <= parsed.year <= YEARS[1] else None
    if kind in ("choice", "radio", "select"):
        return value if isinstance(value, str) and value in allowed else ""
    if kind == "multi":
        values = value if isinstance(value, list) else []
        return list(dict.fromkeys(v for v in values if isinstance(v, str) and v in allowed))
    if kind == "flag":
        return value is True
    return None


def _blank(value) -> bool:
    """Nothing to copy (0 is a number, not a blank)."""
    return value is None or value is False or (isinstance(value, str | list) and not value)


def _content_choices(content: ContentSet) -> dict[str, dict]:
    return {
        "technology_category": {t.id: t.title for t in content.technologies},
        "sector_area": {a.id: a.title for a in content.sector_areas},
    }


@dataclass
class SourceValues:
    """What a signed record offers a new draft, every value cleaned as typed text would be."""

    proposal: dict = field(default_factory=dict)  # field name → value
    questions: dict = field(default_factory=dict)  # question id → {field: value}: shown, never copied
    reviews: dict = field(default_factory=dict)  # recommendation id → {field: value}
    actions: list = field(default_factory=list)  # [{field: value}] in the record's order
    dilemma_ids: list = field(default_factory=list)


def source_values(signed: dict, content: ContentSet) -> SourceValues:
    """The copyable values of a signed record (a dict read from its hash-checked JSON); anything
    malformed in it is skipped, never trusted."""
    values = SourceValues()
    dynamic = _content_choices(content)
    proposal = {
        item.get("field"): item.get("value") for item in _items(signed.get("proposal")) if isinstance(item, dict)
    }
    for spec in COPIED_PROPOSAL:
        value = clean(spec, proposal.get(spec.name), dynamic.get(spec.name))
        if not _blank(value):
            values.proposal[spec.name] = value
    for item in _items(signed.get("questions")):
        copied = _row(item, fields.QUESTION)
        if copied and isinstance(item.get("id"), str):
            values.questions[item["id"]] = copied
        if item.get("kind") == "guiding" and content.dilemma(str(item.get("group_id"))) is not None:
            values.dilemma_ids.append(item["group_id"])
    for item in _items(signed.get("recommendations")):
        copied = _row(item, fields.REVIEW)
        if copied and isinstance(item.get("id"), str):
            values.reviews[item["id"]] = copied
    for item in _items(signed.get("actions")):
        description = clean(fields.ACTION["description"], item.get("description"))
        if description:
            values.actions.append(
                {
                    "description": description,
                    "owner": clean(fields.ACTION["owner"], item.get("owner")),
                    "is_condition": clean(fields.ACTION["is_condition"], item.get("is_condition")),
                }
            )
    values.dilemma_ids = list(dict.fromkeys(values.dilemma_ids))
    return values


def _items(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _row(item: dict, table: fields.FieldTable) -> dict:
    copied = {}
    for spec in table.fields:
        value = clean(spec, item.get(spec.name))
        if not _blank(value):
            copied[spec.name] = value
    return copied


# --- Finding a source ----------------------------------------------------------------------------


@dataclass
class Source:
    publication: Publication
    record: dict  # the signed record, from the JSON whose hash was just checked

    @property
    def municipality(self) -> str:
        return str((self.record.get("organisation") or {}).get("name") or "")

    @property
    def version(self) -> int:
        number = self.record.get("version_number")
        return number if isinstance(number, int) else 1

    @property
    def label(self) -> str:
        return mark_text(self.municipality, self.version)


def mark_text(municipality: str, version: int) -> str:
    return _("Overtaget fra %(municipality)s, version %(version)s", municipality=municipality, version=version)


def find_source(public_id: str) -> Publication | None:
    """A publication by its public id (withdrawn ones too: the service says why it refuses them)."""
    if not isinstance(public_id, str) or len(public_id) > 22:
        return None
    return db.session.scalar(select(Publication).where(Publication.public_id == public_id))


def source_of(publication: Publication) -> Source:
    """The publication as a source, or ReuseError saying why it cannot be one."""
    if publication.is_withdrawn:
        raise ReuseError(_("Vurderingen er trukket tilbage og kan ikke bruges som grundlag."))
    signed = integrity.signed_content(publication.signed_record)
    if signed is None:
        raise ReuseError(
            _("Det underskrevne dokument passer ikke med sin kontrolsum, så der kan ikke kopieres fra det.")
        )
    return Source(publication, signed)


def require_other_municipality(source: Source, user: User) -> None:
    if source.publication.assessment.organisation_id == user.organisation_id:
        raise ReuseError(
            _(
                "Vurderingen er jeres egen. Vil I ændre den, så genåbn den som en ny version fra "
                "vurderingens overblik i stedet."
            )
        )


# --- Starting the draft --------------------------------------------------------------------------


def start_from(publication: Publication, *, user: User, title: str, content: ContentSet) -> Assessment:
    """A new draft in the user's municipality with the source's signed text copied into it: the
    proposal, reviews and action plan, never the questions' discussions, answers or concern levels."""
    assessment_services.require_editor(user)
    source = source_of(publication)
    require_other_municipality(source, user)
    values = source_values(source.record, content)
    title = strip_control_characters(title or "").strip()[: fields.TITLE.max_length].strip()
    if not title:
        raise ReuseError(_("Skriv en titel til den nye vurdering."))
    draft = assessment_services.create_assessment(
        user=user, title=title, dilemma_ids=values.dilemma_ids, content=content
    )
    for name, value in values.proposal.items():
        setattr(draft, name, value)
    for row in draft.reviews:
        for name, value in values.reviews.get(row.recommendation_id, {}).items():
            setattr(row, name, value)
    for position, item in enumerate(values.actions, start=1):
        draft.actions.append(Action(position=position, status="planlagt", **item))
    link = ReuseLink(
        assessment_id=draft.id,
        source_record_id=publication.signed_record_id,
        source_public_id=source.publication.public_id,
        source_version=source.version,
        source_municipality=source.municipality[:200],
    )
    db.session.add(link)
    db.session.flush()
    record(
        "assessment.reused",
        line(
            "Udkastet er startet på grundlag af %(municipality)ss vurdering, version %(version)s",
            municipality=source.municipality,
            version=source.version,
        ),
        assessment=draft,
        user=user,
        source=source.publication.public_id,
        source_version=source.version,
        source_municipality=source.municipality,
        copied={
            "proposal": sorted(values.proposal),
            "reviews": len(values.reviews),
            "actions": len(values.actions),
        },
    )
    return draft


def carry_on_reopen(source: Assessment, *, copy: Assessment, **_) -> None:
    """Version n+1 of a draft started from another municipality's record keeps the link (and so
    its marks and its record's `reused_from`); a receiver of assessments.signals.reopened."""
    link = link_of(source)
    if link is not None:
        db.session.add(
            ReuseLink(
                assessment_id=copy.id,
                source_record_id=link.source_record_id,
                source_public_id=link.source_public_id,
                source_version=link.source_version,
                source_municipality=link.source_municipality,
            )
        )
        # The board's confirmations carry too: they were signed in this version's record. Action
        # items get new ids in the copy, in the same order.
        action_ids = {str(old.id): str(new.id) for old, new in zip(source.actions, copy.actions, strict=False)}
        for row in db.session.scalars(select(ReuseConfirmation).where(ReuseConfirmation.assessment_id == source.id)):
            item = action_ids.get(row.item) if row.section == "action" else row.item
            if item is not None:
                db.session.add(
                    ReuseConfirmation(
                        assessment_id=copy.id,
                        section=row.section,
                        item=item,
                        field=row.field,
                        value_sha256=row.value_sha256,
                        confirmed_by_id=row.confirmed_by_id,
                        confirmed_at=row.confirmed_at,
                    )
                )
        db.session.flush()


def link_of(assessment: Assessment) -> ReuseLink | None:
    if assessment.id is None:
        return None
    return db.session.get(ReuseLink, assessment.id)


# --- The marks -----------------------------------------------------------------------------------


@dataclass
class Marks:
    """Which of a draft's fields still hold the source's value (and so carry the mark), which of
    those the board has confirmed, and the source's answers to show beside the questions."""

    text: str  # "Overtaget fra Odense Kommune, version 2"
    source_public_id: str
    municipality: str = ""
    keys: set = field(default_factory=set)  # ("proposal", name), ("review", id, name), ...
    confirmed: dict = field(default_factory=dict)  # key → ReuseConfirmation, for marked keys only
    answers: dict = field(default_factory=dict)  # question id → the source's {field: value}

    def has(self, *key) -> bool:
        return normal_key(key) in self.keys

    def is_confirmed(self, *key) -> bool:
        return normal_key(key) in self.confirmed

    def confirmation(self, *key) -> ReuseConfirmation | None:
        return self.confirmed.get(normal_key(key))

    @property
    def unconfirmed(self) -> set:
        return self.keys - set(self.confirmed)

    def unconfirmed_in(self, *prefix) -> int:
        """How many fields starting with `prefix` (e.g. "action", its id) are left to confirm."""
        start = normal_key(prefix)
        return sum(key[: len(start)] == start for key in self.unconfirmed)

    def __len__(self) -> int:
        return len(self.keys)


def normal_key(parts) -> tuple:
    """A field's key with every part as text (an action item's id comes from a template as a number)."""
    return tuple(str(part) for part in parts)


def marks(assessment: Assessment, *, content: ContentSet) -> Marks | None:
    """The draft's marks, or None when it was not started from another record. A source record
    whose JSON no longer matches its hash offers nothing to compare with: no field is marked."""
    link = link_of(assessment)
    if link is None:
        return None
    result = Marks(
        mark_text(link.source_municipality, link.source_version), link.source_public_id, link.source_municipality
    )
    signed = integrity.signed_content(link.source_record)
    if signed is None:
        return result
    values = source_values(signed, content)
    result.answers = values.questions
    for name, value in values.proposal.items():
        if getattr(assessment, name) == value:
            result.keys.add(("proposal", name))
    for row in assessment.questions:
        for name, value in values.questions.get(row.question_id, {}).items():
            if name in QUESTION_FIELDS and getattr(row, name) == value:
                result.keys.add(("question", row.question_id, name))
    for row in assessment.reviews:
        for name, value in values.reviews.get(row.recommendation_id, {}).items():
            if getattr(row, name) == value:
                result.keys.add(("review", row.recommendation_id, name))
    descriptions = {item["description"] for item in values.actions}
    owners = {item["owner"] for item in values.actions if item["owner"]}
    for row in assessment.actions:
        if row.description in descriptions:
            result.keys.add(("action", str(row.id), "description"))
        if row.owner and row.owner in owners:
            result.keys.add(("action", str(row.id), "owner"))
    result.confirmed = {key: row for key, row in confirmations(assessment).items() if key in result.keys}
    return result


def request_marks(assessment: Assessment) -> Marks | None:
    """marks() once per request and assessment (a page asks for many fields)."""
    if not has_request_context():
        return marks(assessment, content=get_content())
    memo = g.setdefault("reuse_marks", {})
    if assessment.id not in memo:
        memo[assessment.id] = marks(assessment, content=get_content())
    return memo[assessment.id]


# --- Sections: where the marked fields are, for the confirm buttons, the overview and sign-off ----


def section_of(key: tuple) -> str:
    """The part of the draft a field belongs to, as "bekræft alle i dette afsnit" names it:
    "proposal:<group>", "question:<id>", "review:<id>" or "actions"."""
    if key[0] == "proposal":
        spec = next((s for s in PROPOSAL_FIELDS if s.name == key[1]), None)
        return f"proposal:{spec.group if spec else ''}"
    if key[0] == "action":
        return "actions"
    return f"{key[0]}:{key[1]}"


# The overview's progress sections (assessments.services.progress) each kind of field counts in.
PROGRESS_SECTION = {"proposal": "forslag", "review": "anbefalinger", "action": "beslutning"}


def unconfirmed_by_progress(assessment: Assessment) -> dict[str, int]:
    """How many marked fields are left unconfirmed in each section of the overview's progress list
    (a question counts in its dilemma's section); a section with any left is not done."""
    found = request_marks(assessment)
    if found is None:
        return {}
    groups = {q.question_id: q.group_id for q in assessment.questions}
    left: dict[str, int] = {}
    for key in found.unconfirmed:
        section = groups.get(key[1], "") if key[0] == "question" else PROGRESS_SECTION[key[0]]
        left[section] = left.get(section, 0) + 1
    return left


def _section_title(assessment: Assessment, section: str) -> str:
    kind, _sep, item = section.partition(":")
    if kind == "proposal":
        return _("Forslaget – %(group)s", group=GROUPS.get(item, ""))
    if kind == "review":
        row = next((r for r in assessment.reviews if r.recommendation_id == item), None)
        return _("Anbefaling %(number)s", number=row.number if row else "?")
    if kind == "question":
        row = next((q for q in assessment.questions if q.question_id == item), None)
        return _("Spørgsmålet „%(question)s“", question=shorten(row.text if row else "", 80))
    return _("Handlingsplanen")


def unconfirmed_problems(assessment: Assessment) -> list[str]:
    """One sentence per section with fields still taken over and not confirmed, naming each field
    by its label; empty when everything taken over is confirmed or changed."""
    found = marks(assessment, content=get_content())
    if found is None or not found.unconfirmed:
        return []
    sections: dict[str, list[str]] = {}
    for key in sorted(found.unconfirmed, key=record_order(assessment)):
        entry = field_entry(assessment, key)
        if entry is not None:
            sections.setdefault(section_of(key), []).append(entry["label"])
    return [
        ngettext(
            "%(section)s: %(num)s felt er overtaget fra %(source)s og hverken bekræftet eller rettet: %(fields)s.",
            "%(section)s: %(num)s felter er overtaget fra %(source)s og hverken bekræftet eller rettet: %(fields)s.",
            len(labels),
            section=_section_title(assessment, section),
            source=found.municipality,
            fields=", ".join(quoted(label) for label in labels),
        )
        for section, labels in sections.items()
    ]


def refuse_unread_signoff(assessment: Assessment, *, step, **_arguments) -> list[str]:
    """What stops "Send til underskrift" while fields taken over are unconfirmed; a receiver of
    assessments.signals.checking, connected in create_app."""
    return unconfirmed_problems(assessment) if step.name == "request_signoff" else []


# --- Confirming ----------------------------------------------------------------------------------

KEY_MAX = 200  # a field's or section's name as the form sends it


def parse_key(text: str) -> tuple | None:
    """ "proposal:problem", "review:<id>:status", "action:<id>:owner" or "question:<id>:answer" as
    a key of the marks; None for anything else."""
    if not isinstance(text, str) or not text or len(text) > KEY_MAX:
        return None
    parts = tuple(text.split(":"))
    if len(parts) == 2 and parts[0] == "proposal" and parts[1]:
        return parts
    if len(parts) == 3 and parts[0] in ("review", "action", "question") and parts[1] and parts[2]:
        return parts
    return None


def key_text(key: tuple) -> str:
    """The form's name of a field: parse_key's inverse."""
    return ":".join(str(part) for part in key)


def confirm(assessment: Assessment, *, user: User, field_key: str = "", section: str = "") -> list[tuple]:
    """Confirm one marked field (`field_key`, as parse_key reads it) or every unconfirmed field of
    one section (`section`, as section_of names it) as the board's own, and return the keys
    confirmed. Refused with a Danish message for a field that is not taken over (any more), an
    unknown section, or an assessment that can no longer change."""
    assessment_services.require_editor(user)
    assessment_services.lock(assessment)
    if not assessment.is_editable:
        raise ReuseError(
            _(
                "Vurderingen kan ikke ændres, når den har status „%(status)s“, så felterne kan ikke bekræftes.",
                status=assessment.status_enum.label,
            )
        )
    found = marks(assessment, content=get_content())
    if found is None:
        raise ReuseError(_("Vurderingen bygger ikke på en anden kommunes vurdering. Der er intet at bekræfte."))
    if field_key:
        key = parse_key(field_key)
        if key is None or key not in found.keys:
            raise ReuseError(
                _("Feltet er ikke overtaget fra %(source)s, eller det er allerede rettet.", source=found.municipality)
            )
        keys = [] if key in found.confirmed else [key]
    else:
        if (
            not isinstance(section, str)
            or len(section) > KEY_MAX
            or not any(section_of(key) == section for key in found.keys)
        ):
            raise ReuseError(_("Afsnittet har ingen felter overtaget fra %(source)s.", source=found.municipality))
        keys = sorted((key for key in found.unconfirmed if section_of(key) == section), key=record_order(assessment))
    stored = {
        row.key: row
        for row in db.session.scalars(select(ReuseConfirmation).where(ReuseConfirmation.assessment_id == assessment.id))
    }
    now = utcnow()
    for key in keys:
        row = stored.get(key)  # an earlier confirmation of another value of the field: replaced
        if row is None:
            row = ReuseConfirmation(
                assessment_id=assessment.id,
                section=key[0],
                item="" if key[0] == "proposal" else str(key[1]),
                field=key[-1],
            )
            db.session.add(row)
        row.value_sha256 = fingerprint(value_of(assessment, key))
        row.confirmed_by_id = user.id
        row.confirmed_at = now
    db.session.flush()
    if keys:
        labels = [entry["label"] for entry in (field_entry(assessment, key) for key in keys) if entry]
        record(
            "reuse.confirmed",
            line("1 felt overtaget fra %(municipality)s er bekræftet", municipality=found.municipality)
            if len(keys) == 1
            else line(
                "%(count)s felter overtaget fra %(municipality)s er bekræftet",
                count=len(keys),
                municipality=found.municipality,
            ),
            assessment=assessment,
            user=user,
            fields=[key_text(key) for key in keys],
            labels=labels,
        )
    if has_request_context():
        g.pop("reuse_marks", None)
    return keys


def sections_of(found: Marks | None) -> set[str]:
    """The sections with fields still to confirm (for "bekræft alle i dette afsnit")."""
    return {section_of(key) for key in found.unconfirmed} if found is not None else set()


# --- What the source's public page says ----------------------------------------------------------


@dataclass
class BuiltOn:
    count: int  # municipalities that started a draft from any version of this record
    published: list  # [(municipality name, Publication)], one per municipality with a published one


def built_on(publication: Publication, chain: list[Publication]) -> BuiltOn:
    """How many municipalities built on this assessment (any of its published versions), and the
    newest published, not withdrawn, record of each that has one. Unpublished drafts are only
    counted: their municipality, title and text are never shown (DESIGN §1)."""
    record_ids = [p.signed_record_id for p in chain] or [publication.signed_record_id]
    source_org = publication.assessment.organisation_id
    reusing = select(ReuseLink.assessment_id).where(ReuseLink.source_record_id.in_(record_ids))
    count = db.session.scalar(
        select(func.count(func.distinct(Assessment.organisation_id))).where(
            Assessment.id.in_(reusing), Assessment.organisation_id != source_org
        )
    )
    if not count:  # the common case: nobody built on it, so there is nothing to list
        return BuiltOn(0, [])
    rows = db.session.execute(
        select(Assessment.organisation_id, Publication)
        .join(Publication, Publication.assessment_id == Assessment.id)
        .where(
            Assessment.id.in_(reusing),
            Assessment.organisation_id != source_org,
            Publication.withdrawn_at.is_(None),
        )
        .order_by(Publication.organisation_name, Publication.published_at.desc(), Publication.id.desc())
    ).all()
    newest: dict[int, Publication] = {}
    for organisation_id, row in rows:
        newest.setdefault(organisation_id, row)
    return BuiltOn(count or 0, [(p.organisation_name, p) for p in newest.values()])


def generation_columns() -> list:
    """What changes whenever a draft is started from a record: part of the public page cache's key."""
    return [
        select(func.count()).select_from(ReuseLink).scalar_subquery(),
        select(func.max(ReuseLink.assessment_id)).scalar_subquery(),
    ]


def recent_sources(organisation_id: int, query: str = "", limit: int = 20) -> list[Publication]:
    """Published, not withdrawn, current versions of other municipalities' records, newest first;
    `query` narrows on the title, municipality or technology (plain substring, bounded)."""
    statement = (
        select(Publication)
        .join(Assessment, Assessment.id == Publication.assessment_id)
        .where(
            Publication.withdrawn_at.is_(None),
            Publication.replaced_by_id.is_(None),
            Assessment.organisation_id != organisation_id,
        )
    )
    words = (query or "")[:100].split()[:5]
    for word in words:
        pattern = f"%{_like_escape(word.lower())}%"
        statement = statement.where(
            func.lower(Publication.title).like(pattern, escape="\\")
            | func.lower(Publication.organisation_name).like(pattern, escape="\\")
            | func.lower(Publication.technology_name).like(pattern, escape="\\")
        )
    return list(
        db.session.scalars(statement.order_by(Publication.published_at.desc(), Publication.id.desc()).limit(limit))
    )


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
