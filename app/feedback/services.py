"""Rules of citizens' feedback on a published record: receiving, moderating, answering,
reminding, purging addresses.

What a citizen sends is bounded, rate-limited, hashed and moderated by the consultation's rules
(app/consultation/intake.py), not a copy of them. Services flush and audit; they never commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.assessments.models import Assessment
from app.assessments.services import require_editor
from app.audit.services import SYSTEM, record
from app.consultation import intake, submission
from app.consultation.intake import InputRefused
from app.consultation.submission import APPROVED, REJECTED
from app.core import mail
from app.core.text import shorten
from app.core.time import danish_today, utcnow
from app.core.urls import public_url
from app.extensions import db
from app.feedback.models import EMAIL_MAX, KINDS, Feedback
from app.followup.services import DueItem, notifier
from app.i18n import line
from app.public.models import Publication

log = logging.getLogger(__name__)

# An open question waits at most this long before `flask followup remind` names it.
ANSWER_WITHIN = timedelta(days=30)
SHOWN_MAX = 100  # answered questions under one record: the page stays bounded
BODY_LABEL = _l("Henvendelsen")
ANSWER_LABEL = _l("Svaret")


# A rule refused the feedback or the board's answer; the message is in the reader's language. The
# shared rules' refusal itself, as for consultations, so what clean_text refuses is caught as one.
FeedbackError = InputRefused


class FeedbackClosed(FeedbackError):
    pass


class TooMuchFeedback(intake.TooMany):
    pass


# --- Receiving -----------------------------------------------------------------------------


def closed_reason(publication: Publication) -> str | None:
    """Why a record takes no feedback, or None: a withdrawn record is no longer the municipality's
    position, and a replaced one has a newer version where a question belongs."""
    if publication.is_withdrawn:
        return _("Vurderingen er trukket tilbage og modtager ikke spørgsmål.")
    if publication.replaced_by_id is not None:
        return _("Der findes en nyere version af vurderingen. Stil dit spørgsmål der.")
    return None


def receive(
    publication: Publication,
    *,
    kind: str,
    body: str,
    author_name: str,
    author_organisation: str,
    publish_name: bool,
    address: str,
    notify_email: str = "",
) -> Feedback:
    """Take a citizen's question or error report; nobody else sees it before the board answers it
    and chooses to show it."""
    reason = closed_reason(publication)
    if reason:
        raise FeedbackClosed(reason)
    if kind not in KINDS:
        raise FeedbackError(_("Vælg, om du melder en fejl eller stiller et spørgsmål."))
    hashed = intake.address_hash(address)
    if intake.over_limit(Feedback, Feedback.publication_id == publication.id, hashed):
        raise TooMuchFeedback(
            _(
                "Der er allerede modtaget %(number)s henvendelser om vurderingen fra din forbindelse det seneste døgn. Prøv igen i morgen, eller saml dine spørgsmål i én henvendelse.",
                number=intake.PER_ADDRESS,
            )
        )
    feedback = Feedback(
        publication_id=publication.id,
        kind=kind,
        body=intake.clean_text(body, label=BODY_LABEL, maximum=submission.BODY_MAX),
        **intake.sender(author_name, author_organisation, publish_name),
        address_hash=hashed,
    )
    notify_email = (notify_email or "").strip()
    if notify_email and mail.enabled():  # the form asked for the consent that goes with it
        feedback.notify_email, feedback.notify_consent_at = notify_email[:EMAIL_MAX], utcnow()
    db.session.add(feedback)
    db.session.flush()
    # The audit log names no one: the sender's name is personal data until they are published.
    record(
        "feedback.received",
        line("Ny henvendelse fra en borger venter på svar"),
        assessment=publication.assessment,
        user=None,
        organisation_id=publication.assessment.organisation_id,
        feedback=feedback.id,
        publication=publication.public_id,
    )
    return feedback


# --- The board -----------------------------------------------------------------------------


def moderate(feedback: Feedback, *, user: User, approve: bool, reason: str = "") -> None:
    """Show the question and answer under the record (approve), or keep them off it for one of the
    consultation's reasons; either can be reconsidered. Published records stay answerable."""
    require_editor(user)
    rejected_for = intake.set_moderation(feedback, user=user, approve=approve, reason=reason)
    db.session.flush()
    record(
        "feedback.moderated",
        line("Henvendelse holdes fra den offentlige side: %(reason)s", reason=rejected_for)
        if rejected_for
        else line("Henvendelse må vises offentligt, når den er besvaret"),
        assessment=feedback.publication.assessment,
        user=user,
        feedback=feedback.id,
        status=feedback.status,
        reason=feedback.rejection_reason,
    )


def answer(feedback: Feedback, *, user: User, text: str) -> None:
    """The board's answer; it is shown with the question only if the board chose to show it."""
    require_editor(user)
    if feedback.status == REJECTED and feedback.rejection_reason == "spam":
        raise FeedbackError(_("En henvendelse afvist som spam besvares ikke."))
    feedback.answer = intake.clean_text(text, label=ANSWER_LABEL, maximum=submission.ANSWER_MAX)
    feedback.answered_by_id, feedback.answered_at = user.id, utcnow()
    db.session.flush()
    record(
        "feedback.answered",
        line("Udvalget har svaret på en henvendelse"),
        assessment=feedback.publication.assessment,
        user=user,
        feedback=feedback.id,
        publication=feedback.publication.public_id,
    )


def mail_answer(feedback: Feedback) -> bool | None:
    """Send the answer to the address the citizen gave, once, and erase the address (issue 34).
    Called after the answer is committed: a mail server that fails loses no answer. None: no
    address; False: the server refused, and the address is kept for the next answer (or the purge)."""
    if not feedback.notify_email or not feedback.is_answered:
        return None
    publication = feedback.publication
    with force_locale("da"):  # the citizen wrote in Danish, and the board answers in Danish
        subject = _("Svar på dit spørgsmål om „%(title)s“", title=publication.title)
        body = _(
            "Du spurgte %(organisation)s om vurderingen „%(title)s“:\n\n%(question)s\n\nKommunens svar:\n\n"
            "%(answer)s\n\nVurderingen: %(url)s\n\nDin e-mailadresse er nu slettet hos kommunen.",
            organisation=publication.organisation_name,
            title=publication.title,
            question=feedback.body,
            answer=feedback.answer,
            url=public_url("public.assessment", public_id=publication.public_id),
        )
    try:
        mail.send(feedback.notify_email, subject, body)
    except mail.MailFailed as error:
        log.warning("answer mail not sent", extra={"feedback": feedback.id, "error": str(error)})
        return False
    feedback.notify_email, feedback.notified_at = None, utcnow()
    db.session.flush()
    record(
        "feedback.mailed",
        line("Svaret er sendt til borgerens e-mail, og adressen er slettet"),
        assessment=publication.assessment,
        user=SYSTEM,
        feedback=feedback.id,
    )
    return True


def for_organisation(organisation_id: int) -> list[Feedback]:
    """Every item about the municipality's records, newest first."""
    return list(
        db.session.scalars(
            select(Feedback)
            .join(Feedback.publication)
            .join(Publication.assessment)
            .where(Assessment.organisation_id == organisation_id)
            .options(contains_eager(Feedback.publication))
            .order_by(Feedback.received_at.desc(), Feedback.id.desc())
        )
    )


def get_for_organisation(feedback_id: int, organisation_id: int) -> Feedback | None:
    """One item, only if it is about the municipality's record (another's is not found)."""
    return db.session.scalar(
        select(Feedback)
        .join(Feedback.publication)
        .join(Publication.assessment)
        .where(Feedback.id == feedback_id, Assessment.organisation_id == organisation_id)
    )


def groups(items: list[Feedback]) -> dict[str, list[Feedback]]:
    """The board's list: waiting for an answer, answered, and kept off the page unanswered."""
    return {
        "open": [f for f in items if not f.is_answered and f.status != REJECTED],
        "answered": [f for f in items if f.is_answered],
        "rejected": [f for f in items if not f.is_answered and f.status == REJECTED],
    }


# --- The public page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    received: int
    answered: int


def counts(publication: Publication) -> Counts:
    """How many questions and reports the record received and how many the board answered;
    what was rejected as spam is not counted as received."""
    not_spam = (Feedback.status != REJECTED) | (Feedback.rejection_reason != "spam")
    received, answered = db.session.execute(
        select(func.count(Feedback.id), func.count(Feedback.answered_at)).where(
            Feedback.publication_id == publication.id, not_spam
        )
    ).one()
    return Counts(received, answered)


def shown(publication: Publication) -> tuple[list[Feedback], bool]:
    """The questions and answers shown under the record: approved and answered, oldest first, at
    most SHOWN_MAX of them; and whether there are more than that (the page says so)."""
    rows = list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.publication_id == publication.id, Feedback.status == APPROVED, Feedback.answer != "")
            .order_by(Feedback.answered_at, Feedback.id)
            .limit(SHOWN_MAX + 1)
        )
    )
    return rows[:SHOWN_MAX], len(rows) > SHOWN_MAX


def generation_columns() -> list:
    """What changes with every item received, answered or moderated: part of the public page
    cache's key. Three index probes (the NOT NULL conditions let both databases use the partial
    indexes)."""
    return [
        select(func.max(Feedback.id)).scalar_subquery(),
        select(func.max(Feedback.answered_at)).where(Feedback.answered_at.is_not(None)).scalar_subquery(),
        select(func.max(Feedback.moderated_at)).where(Feedback.moderated_at.is_not(None)).scalar_subquery(),
    ]


# --- Reminding and purging ----------------------------------------------------------------


def waiting(today: date | None = None) -> list[Feedback]:
    """Items waiting for an answer for more than 30 days (received before today minus 30 days),
    oldest first; rejected ones wait for nothing."""
    today = today or danish_today()
    cutoff = datetime.combine(today - ANSWER_WITHIN, time.min)
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.answered_at.is_(None), Feedback.status != REJECTED, Feedback.received_at < cutoff)
            .order_by(Feedback.received_at, Feedback.id)
        )
    )


def remind(today: date | None = None) -> list[DueItem]:
    """Hand every question waiting more than 30 days to the follow-up notifier (`flask followup
    remind` calls this); returns what was sent."""
    today = today or danish_today()
    due = [
        DueItem(
            "feedback",
            f.received_at.date() + ANSWER_WITHIN,
            _("Borgerhenvendelse venter på svar: %(text)s", text=shorten(f.body, 120)),
            _("Sekretariatet"),
            f.publication.assessment,
        )
        for f in waiting(today)
    ]
    sender = notifier()
    for item in due:
        sender.notify(item, overdue=True)
    return due


def purge_addresses(today: date | None = None) -> int:
    """Erase the address hashes of items received more than 30 days ago; safe to run daily."""
    today = today or danish_today()
    cutoff = datetime.combine(today - intake.ADDRESS_RETENTION, time.min)
    items = list(
        db.session.scalars(select(Feedback).where(Feedback.address_hash.is_not(None), Feedback.received_at < cutoff))
    )
    for item in items:
        item.address_hash = None
    # an address for the answer that was never used (no answer within 30 days, or the mail failed)
    unused = db.session.scalars(
        select(Feedback).where(Feedback.notify_email.is_not(None), Feedback.received_at < cutoff)
    )
    for item in unused:
        item.notify_email = None
    db.session.flush()
    if items:
        record(
            "feedback.addresses_purged",
            line(
                "Afsendernes adresser er slettet 30 dage efter modtagelsen (%(count)s henvendelser)", count=len(items)
            ),
            user=SYSTEM,
        )
    return len(items)
