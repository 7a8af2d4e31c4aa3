"""Record actions in the audit log (added to the request's transaction, committed with it)."""

from __future__ import annotations

from typing import Any

from flask import g, has_app_context

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
    """Log that ``actor`` did ``action`` to ``obj``. Put identifiers in ``details``, not names.

    What the request says of how it was made goes in too: ``g.audit_via`` (the API puts the
    public id of the token there, so every change made through the API names its token)."""
    if has_app_context() and g.get("audit_via"):
        details = {**g.audit_via, **details}
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
