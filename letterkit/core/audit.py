"""Record actions in the audit log (added to the request's transaction, committed with it)."""

from __future__ import annotations

from typing import Any

from letterkit.extensions import db
from letterkit.models import AuditEvent, Group, User


def record(
    action: str,
    obj: Any,
    *,
    group: Group | None,
    actor: User | None,
    **details: Any,
) -> AuditEvent:
    """Log that ``actor`` did ``action`` to ``obj``. Put identifiers in ``details``, not names."""
    event = AuditEvent(
        group_id=group.id if group is not None else None,
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.session.add(event)
    return event
