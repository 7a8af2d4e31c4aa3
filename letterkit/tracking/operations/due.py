"""Due dates of dispatches: computed from :mod:`letterkit.deadlines`, stored with the rule, the
versions of the rules and of the holiday calendars and the whole explanation, recomputed when
those change; what is overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

import holidays
import sqlalchemy as sa

from letterkit import deadlines
from letterkit.catalogue import Authority
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.models import (
    Dispatch,
    DispatchMethod,
    Group,
    User,
    utcnow,
)
from letterkit.tracking.operations.checks import TrackingError, today

# --- due dates -----------------------------------------------------------------------------------


def subdiv_of(authority: Authority) -> str | None:
    """The subdivision whose holidays apply: where a domestic authority sits (None abroad)."""
    return authority.seat_subdiv if authority.host_country is None else None


def due_result(dispatch: Dispatch) -> deadlines.DueResult | None:
    """Compute the due date of ``dispatch`` from its stored dates (None when nothing is due).

    Raises :class:`deadlines.DeadlineError` when the engine refuses the inputs.
    """
    received = dispatch.received_on
    if received is None or dispatch.method is DispatchMethod.REFUSED:
        return None
    options: dict[str, Any] = {
        "registered_on": dispatch.registered_on,
        "authority_kind": dispatch.proceeding_kind,
        "target_days": dispatch.target_days,
    }
    try:
        result = deadlines.compute_due(
            dispatch.country, received, subdiv=dispatch.subdiv, **options
        )
    except deadlines.InvalidSubdivisionError:
        result = deadlines.compute_due(dispatch.country, received, **options)
    for extension in sorted(dispatch.extensions, key=lambda e: (e.notice_on, e.id or 0)):
        try:
            result = deadlines.apply_extension(result, extension.new_due_on)
        except deadlines.DeadlineError:
            # A later registration date moved the due date past this extension, or the law no
            # longer allows it: the due date stays as the law gives it.
            continue
    return result


def very_overdue_day(result: deadlines.DueResult) -> date | None:
    """The day after which a reply is very overdue: twice the term, counted from day 0."""
    if result.due is None or result.start_day is None:
        return None
    return result.due + (result.due - result.start_day)


def _store(dispatch: Dispatch, result: deadlines.DueResult | None) -> None:
    if result is None:
        dispatch.due_on = None
        dispatch.very_overdue_on = None
        dispatch.due_kind = None
        dispatch.due_estimate = False
        dispatch.rule_id = None
        dispatch.rules_version = None
        dispatch.holidays_version = None
        dispatch.due_explanation = None
        dispatch.due_computed_at = None
        return
    dispatch.due_on = result.due
    dispatch.very_overdue_on = very_overdue_day(result)
    dispatch.due_kind = result.kind.value
    dispatch.due_estimate = result.estimate or (
        dispatch.delivered_on is None and not dispatch.method.delivers_same_day
    )
    dispatch.rule_id = result.rule.id
    dispatch.rules_version = result.rules_version
    dispatch.holidays_version = result.holidays_version
    dispatch.due_explanation = result.to_dict()
    dispatch.due_computed_at = utcnow()


def deadline_error(error: deadlines.DeadlineError, field: str | None) -> TrackingError:
    return TrackingError(error.template, field=field, **error.params)


def compute(dispatch: Dispatch, *, field: str | None = None) -> deadlines.DueResult | None:
    """Compute and store the due date; a refusal of the engine becomes a :class:`TrackingError`."""
    try:
        result = due_result(dispatch)
    except deadlines.DeadlineError as error:
        raise deadline_error(error, field) from None
    _store(dispatch, result)
    return result


def current_versions() -> tuple[str, str]:
    """The versions of the rules and of the holiday calendars in use now."""
    return deadlines.load_rules().version, holidays.__version__


def is_stale(dispatch: Dispatch) -> bool:
    """Whether the due date was computed with other rules or holidays than those in use now."""
    if dispatch.rules_version is None:
        return False
    return (dispatch.rules_version, dispatch.holidays_version) != current_versions()


def recompute(dispatch: Dispatch, *, group: Group | None, actor: User | None) -> bool:
    """Compute the due date again; return whether it changed. An engine refusal is stored."""
    before = (dispatch.due_on, dispatch.rule_id, dispatch.due_kind)
    try:
        compute(dispatch)
    except TrackingError:
        _store(dispatch, None)
        dispatch.due_kind = "error"
        dispatch.rules_version, dispatch.holidays_version = current_versions()
        dispatch.due_computed_at = utcnow()
    after = (dispatch.due_on, dispatch.rule_id, dispatch.due_kind)
    record(
        "dispatch.due_recomputed",
        dispatch,
        group=group,
        actor=actor,
        changed=before != after,
        rule=dispatch.rule_id,
        rules_version=dispatch.rules_version,
        holidays_version=dispatch.holidays_version,
    )
    db.session.flush()
    return before != after


def stale_ranges() -> list[sa.ColumnElement[bool]]:
    """SQL conditions, disjoint: the due date was computed with other rules or holidays.

    Each is one range on ``ix_dispatch_group_id_rules_version`` (rules version, then holidays
    version), so counting them reads only the stale entries of the index.
    """
    rules_version, holidays_version = current_versions()
    same_rules = Dispatch.rules_version == rules_version
    return [
        Dispatch.rules_version < rules_version,
        Dispatch.rules_version > rules_version,
        sa.and_(same_rules, Dispatch.holidays_version < holidays_version),
        sa.and_(same_rules, Dispatch.holidays_version > holidays_version),
    ]


def stale_count(group_id: int) -> int:
    """How many of the group's due dates were computed with other rules or holidays."""
    return sum(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Dispatch)
            .where(Dispatch.group_id == group_id, condition)
        )
        or 0
        for condition in stale_ranges()
    )


def recompute_stale(
    group: Group | None, *, actor: User | None, limit: int | None = None
) -> tuple[int, int]:
    """Recompute due dates computed with older rules or holidays: (how many done, changed)."""
    statement = sa.select(Dispatch).where(sa.or_(*stale_ranges())).order_by(Dispatch.id)
    if group is not None:
        statement = statement.where(Dispatch.group_id == group.id)
    if limit is not None:
        statement = statement.limit(limit)
    done = changed = 0
    for dispatch in db.session.scalars(statement).all():
        owner = group or db.session.get(Group, dispatch.group_id)
        changed += recompute(dispatch, group=owner, actor=actor)
        done += 1
    return done, changed


def is_overdue(dispatch: Dispatch, now: date | None = None) -> bool:
    """Whether a reply is late: the dispatch is open and its due date has passed."""
    now = now or today()
    return dispatch.is_open and dispatch.due_on is not None and dispatch.due_on < now


def is_very_overdue(dispatch: Dispatch, now: date | None = None) -> bool:
    """Whether a reply is late by more than the term again (twice the term has passed)."""
    now = now or today()
    return (
        dispatch.is_open and dispatch.very_overdue_on is not None and dispatch.very_overdue_on < now
    )
