"""What a citizen sends, as stored: the columns and moderation states that consultation responses
and feedback on a published record share (app/consultation/intake.py holds their rules).

Kept free of services, so the models of both packages can import it without a cycle.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import utcnow

# Labels are lazy: the interface reads them in its language, the audit log and the signed
# record read them under force_locale("da").
REJECTION_REASONS = {
    "personoplysninger": _l("Indeholder personoplysninger om andre"),
    "kraenkende": _l("Krænkende indhold"),
    "uden_for_emnet": _l("Uden for emnet"),
    "spam": _l("Spam"),
}
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
MODERATION_LABELS = {PENDING: _l("Afventer godkendelse"), APPROVED: _l("Godkendt"), REJECTED: _l("Afvist")}

BODY_MAX = 5000
NAME_MAX = 120
ORGANISATION_MAX = 160
ANSWER_MAX = 5000


class CitizenSubmission:
    """Mixin: the sender (optional name and organisation, shown only with their yes), the keyed
    hash of their address (only for the rate limit, erased after 30 days), and moderation."""

    author_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    author_organisation: Mapped[str] = mapped_column(String(ORGANISATION_MAX), default="")
    publish_name: Mapped[bool] = mapped_column(Boolean, default=False)
    address_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    rejection_reason: Mapped[str] = mapped_column(String(32), default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    moderated_at: Mapped[datetime | None]

    @property
    def public_author(self) -> str:
        """What the public may see of the sender: nothing unless they allowed it."""
        if not self.publish_name:
            return ""
        return ", ".join(part for part in (self.author_name, self.author_organisation) if part)

    @property
    def status_label(self) -> str:
        return str(MODERATION_LABELS.get(self.status, self.status))

    @property
    def rejection_label(self) -> str:
        return str(REJECTION_REASONS.get(self.rejection_reason, ""))
