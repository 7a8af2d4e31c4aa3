"""Who may see what: the current group, role checks and per-group object lookup."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort, g, session
from flask_login import current_user, login_required

from letterkit.extensions import db
from letterkit.models import Group, Membership, Role

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def load_membership() -> Membership | None:
    """Find the signed-in user's membership in the group chosen in this session."""
    if not current_user.is_authenticated:
        return None
    wanted = session.get("group_id")
    memberships = db.session.scalars(
        sa.select(Membership).where(Membership.user_id == current_user.id).order_by(Membership.id)
    ).all()
    for membership in memberships:
        if membership.group_id == wanted:
            return membership
    return memberships[0] if memberships else None


def current_membership() -> Membership:
    """Return the signed-in user's membership in the current group (404 if none)."""
    membership = g.get("membership")
    if membership is None:
        abort(404)
    return membership


def current_group() -> Group:
    """Return the group the signed-in user works in now."""
    return current_membership().group


def is_coordinator() -> bool:
    """Whether the signed-in user coordinates the current group."""
    membership = g.get("membership")
    return membership is not None and membership.role is Role.COORDINATOR


def member_required(view: F) -> F:
    """Let in only signed-in members of a group."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        current_membership()
        return view(*args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]


def coordinator_required(view: F) -> F:
    """Let in only coordinators of the current group; others get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_membership().role is not Role.COORDINATOR:
            abort(403)
        return view(*args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]


def get_in_group_or_404(model: type[T], object_id: int) -> T:
    """Load an object of the current group by id; objects of other groups do not exist here."""
    group_id = current_membership().group_id
    obj = db.session.scalar(
        sa.select(model).where(model.id == object_id, model.group_id == group_id)  # type: ignore[attr-defined]
    )
    if obj is None:
        abort(404)
    return obj
