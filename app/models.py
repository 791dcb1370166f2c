"""Every feature's models, imported in one place so metadata (Alembic, create_all) sees them all."""

from app.accounts.models import Organisation, Role, User  # noqa: F401
from app.addenda.models import Addendum  # noqa: F401
from app.assessments.models import (  # noqa: F401
    Action,
    Assessment,
    AssessmentQuestion,
    Comment,
    Position,
    RecommendationReview,
)
from app.audit.models import AuditEvent  # noqa: F401
from app.consultation.models import Consultation, ConsultationResponse  # noqa: F401
from app.documents.models import DocumentFile, RelatedDocument  # noqa: F401
from app.feedback.models import Feedback  # noqa: F401
from app.followup.models import EffectMeasurement, FollowupEntry  # noqa: F401
from app.meeting.models import MeetingState  # noqa: F401
from app.public.models import Publication, PublicationSearch  # noqa: F401
from app.reuse.models import ReuseConfirmation, ReuseLink  # noqa: F401
from app.signoff.models import Signatory, Signature, SignedRecord, SignedRecordArchive  # noqa: F401
from app.sso.models import SsoConfig, SsoIdentity  # noqa: F401
from app.translog.models import LogCheckpoint, LogEntry, LogNode  # noqa: F401
