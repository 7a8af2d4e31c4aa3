"""SQLAlchemy 2 typed models, one module per aggregate."""

from .accounts import ROLE_LABELS, Group, Invitation, Membership, Role, User
from .audit import AuditEvent
from .base import Model, utcnow
from .campaigns import Campaign, CampaignTarget
from .catalogue import (
    AuthorityCheck,
    AuthorityHolder,
    GroupAuthority,
    GroupDemand,
    GroupDemandSet,
    HolderForm,
)
from .jobs import Job, JobState
from .letters import (
    LETTER_STATUS_LABELS,
    GroupLetterhead,
    Letter,
    LetterDocument,
    LetterStatus,
    ReferenceCounter,
)
from .petitions import (
    DISPLAY_LABELS,
    SIGNER_KIND_LABELS,
    Display,
    Petition,
    Signature,
    SignerKind,
)
from .tracking import (
    CalendarFeed,
    Dispatch,
    DispatchExtension,
    DispatchMethod,
    DispatchReply,
    DispatchState,
    FileKind,
    ReplyChannel,
    ReplyOutcome,
    TrackingFile,
)

__all__ = [
    "AuthorityCheck",
    "AuthorityHolder",
    "HolderForm",
    "Campaign",
    "CampaignTarget",
    "Job",
    "JobState",
    "DISPLAY_LABELS",
    "SIGNER_KIND_LABELS",
    "Display",
    "Petition",
    "Signature",
    "SignerKind",
    "CalendarFeed",
    "Dispatch",
    "DispatchExtension",
    "DispatchMethod",
    "DispatchReply",
    "DispatchState",
    "FileKind",
    "ReplyChannel",
    "ReplyOutcome",
    "TrackingFile",
    "LETTER_STATUS_LABELS",
    "GroupLetterhead",
    "Letter",
    "LetterDocument",
    "LetterStatus",
    "ReferenceCounter",
    "ROLE_LABELS",
    "AuditEvent",
    "Group",
    "GroupAuthority",
    "GroupDemand",
    "GroupDemandSet",
    "Invitation",
    "Membership",
    "Model",
    "Role",
    "User",
    "utcnow",
]
