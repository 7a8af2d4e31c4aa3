"""SQLAlchemy 2 typed models, one module per aggregate."""

from .accounts import ROLE_LABELS, Group, Invitation, Membership, Role, User
from .audit import AuditEvent
from .base import Model, utcnow
from .catalogue import GroupAuthority, GroupDemand, GroupDemandSet

__all__ = [
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
