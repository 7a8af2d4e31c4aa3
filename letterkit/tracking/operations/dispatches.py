"""Dispatches: record one, mark it sent, its registration, a target, an extension. A dispatch
moves through :data:`letterkit.models.tracking.TRANSITIONS` only through :func:`move`, which
also keeps the indexed ``is_open`` flag right and writes the audit log."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa

from letterkit import deadlines
from letterkit.catalogue import Authority, NotInCatalogue
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    Dispatch,
    DispatchExtension,
    DispatchMethod,
    DispatchState,
    Group,
    Letter,
    Membership,
    User,
    utcnow,
)
from letterkit.models.tracking import DISPATCH_STATE_LABELS, TRANSITIONS
from letterkit.services.catalogue import group_catalogue
from letterkit.tracking.operations.checks import (
    TrackingError,
    check_dispatch_dates,
    check_happened,
    check_not_refused,
    check_proceeding_kind,
    check_target,
)
from letterkit.tracking.operations.due import compute, deadline_error, due_result, subdiv_of

# --- states --------------------------------------------------------------------------------------


def can_move(dispatch: Dispatch, to: DispatchState) -> bool:
    """Whether the state machine allows ``dispatch`` to become ``to``."""
    return to in TRANSITIONS[dispatch.state]


def move(
    dispatch: Dispatch, to: DispatchState, *, group: Group, actor: User | None, event: str
) -> None:
    """Take ``dispatch`` to state ``to`` if the state machine allows it, and log it."""
    if not can_move(dispatch, to):
        raise TrackingError(
            N_("This cannot be done while the dispatch is “{state}”."),
            translate=("state",),
            state=DISPATCH_STATE_LABELS[dispatch.state],
        )
    before = dispatch.state
    dispatch.state = to
    dispatch.is_open = to.is_open
    if to is DispatchState.CLOSED:
        dispatch.closed_at = utcnow()
    if before is not to:
        record(
            "dispatch.state_changed",
            dispatch,
            group=group,
            actor=actor,
            event=event,
            before=before.value,
            after=to.value,
        )


# --- dispatches ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DispatchInput:
    """What a form tells about a dispatch."""

    method: DispatchMethod
    sent_on: date | None = None
    planned_on: date | None = None
    delivered_on: date | None = None
    handed_by_id: int | None = None
    handed_by_name: str = ""
    registration_number: str = ""
    registered_on: date | None = None
    proceeding_kind: str | None = None
    target_days: int | None = None


def _authority(group: Group, slug: str, field: str = "authority") -> Authority:
    try:
        return group_catalogue(group.id).authority(slug)
    except NotInCatalogue:
        raise TrackingError(N_("Choose an authority from the catalogue."), field=field) from None


def _check_member(group: Group, user_id: int | None) -> None:
    if user_id is None:
        return
    found = db.session.scalar(
        sa.select(sa.exists().where(Membership.group_id == group.id, Membership.user_id == user_id))
    )
    if not found:
        raise TrackingError(N_("Choose a member of the group."), field="handed_by_id")


def record_dispatch(
    letter: Letter,
    group: Group,
    actor: User | None,
    data: DispatchInput,
    *,
    authority_slug: str | None = None,
    forwarded_from: Dispatch | None = None,
) -> Dispatch:
    """Record that a final letter went (or will go) to an authority, and compute its due date."""
    if not letter.is_final or letter.group_id != group.id:
        raise TrackingError(N_("Only a final letter can be recorded as sent. Finalise it first."))
    authority = _authority(group, authority_slug or letter.authority_slug)
    if data.sent_on is None and (
        data.delivered_on or data.registered_on or data.registration_number
    ):
        raise TrackingError(
            N_("Enter the date it was handed over or sent, or leave the delivery empty."),
            field="sent_on",
        )
    check_dispatch_dates(
        sent_on=data.sent_on,
        delivered_on=data.delivered_on,
        registered_on=data.registered_on,
        letter_date=letter.letter_date,
    )
    check_not_refused(data.method, data.registered_on, data.registration_number)
    check_target(data.target_days)
    check_proceeding_kind(data.proceeding_kind, authority.country)
    _check_member(group, data.handed_by_id)
    if data.sent_on is None:
        state = DispatchState.PLANNED
    elif data.registered_on is not None or data.registration_number:
        state = DispatchState.REGISTERED
    else:
        state = DispatchState.SENT
    delivered_on = data.delivered_on
    if delivered_on is None and data.sent_on is not None and data.method.delivers_same_day:
        delivered_on = data.sent_on
    dispatch = Dispatch(
        group_id=group.id,
        letter_id=letter.id,
        forwarded_from_id=forwarded_from.id if forwarded_from is not None else None,
        authority_slug=authority.slug or "",
        authority_name=authority.name(letter.language).text[:300],
        country=authority.country,
        subdiv=subdiv_of(authority),
        proceeding_kind=data.proceeding_kind,
        method=data.method,
        state=state,
        is_open=state.is_open,
        planned_on=data.planned_on if data.sent_on is None else None,
        sent_on=data.sent_on,
        delivered_on=delivered_on,
        handed_by_id=data.handed_by_id,
        handed_by_name=data.handed_by_name[:120],
        registration_number=data.registration_number[:100],
        registered_on=data.registered_on,
        target_days=data.target_days,
        created_by_id=actor.id if actor is not None else None,
    )
    compute(dispatch, field="target_days" if data.target_days else "sent_on")
    db.session.add(dispatch)
    db.session.flush()
    record(
        "dispatch.recorded",
        dispatch,
        group=group,
        actor=actor,
        letter=letter.id,
        method=data.method.value,
        state=state.value,
        forwarded_from=forwarded_from.id if forwarded_from is not None else None,
    )
    return dispatch


def mark_sent(
    dispatch: Dispatch,
    group: Group,
    actor: User | None,
    *,
    method: DispatchMethod,
    sent_on: date,
    delivered_on: date | None = None,
) -> None:
    """Record that a planned dispatch went out."""
    check_dispatch_dates(
        sent_on=sent_on,
        delivered_on=delivered_on,
        registered_on=None,
        letter_date=dispatch.letter.letter_date,
    )
    move(dispatch, DispatchState.SENT, group=group, actor=actor, event="sent")
    dispatch.method = method
    dispatch.sent_on = sent_on
    dispatch.planned_on = None
    if delivered_on is None and method.delivers_same_day:
        delivered_on = sent_on
    dispatch.delivered_on = delivered_on
    compute(dispatch, field="sent_on")
    db.session.flush()


def set_registration(
    dispatch: Dispatch,
    group: Group,
    actor: User | None,
    *,
    delivered_on: date | None,
    registration_number: str,
    registered_on: date | None,
) -> None:
    """Enter the delivery day, the incoming registration number and date; recompute the due date."""
    if dispatch.sent_on is None or dispatch.state is DispatchState.CLOSED:
        raise TrackingError(
            N_("This cannot be done while the dispatch is “{state}”."),
            translate=("state",),
            state=DISPATCH_STATE_LABELS[dispatch.state],
        )
    if delivered_on is None and dispatch.method.delivers_same_day:
        delivered_on = dispatch.sent_on
    check_dispatch_dates(
        sent_on=dispatch.sent_on, delivered_on=delivered_on, registered_on=registered_on
    )
    check_not_refused(dispatch.method, registered_on, registration_number)
    changed = [
        name
        for name, value in (
            ("delivered_on", delivered_on),
            ("registration_number", registration_number[:100]),
            ("registered_on", registered_on),
        )
        if getattr(dispatch, name) != value
    ]
    dispatch.delivered_on = delivered_on
    dispatch.registration_number = registration_number[:100]
    dispatch.registered_on = registered_on
    if dispatch.state is DispatchState.SENT and (registered_on or registration_number):
        move(dispatch, DispatchState.REGISTERED, group=group, actor=actor, event="registered")
    compute(dispatch, field="registered_on")
    if changed:
        record("dispatch.registration_set", dispatch, group=group, actor=actor, fields=changed)
    db.session.flush()


def set_target(
    dispatch: Dispatch, group: Group, actor: User | None, target_days: int | None
) -> None:
    """Set (or remove) the coordinator's target where the law sets no term."""
    check_target(target_days)
    if dispatch.state is DispatchState.CLOSED:
        # the dispatch's state, not the value, is in the way (above the form; 409 in the API)
        raise TrackingError(
            N_("This cannot be done while the dispatch is “{state}”."),
            translate=("state",),
            state=DISPATCH_STATE_LABELS[dispatch.state],
        )
    if dispatch.extensions and target_days is not None:
        raise TrackingError(
            N_("A target cannot be set where the authority extended a legal term."),
            field="target_days",
        )
    dispatch.target_days = target_days
    compute(dispatch, field="target_days")
    record("dispatch.target_set", dispatch, group=group, actor=actor, target_days=target_days)
    db.session.flush()


def record_extension(
    dispatch: Dispatch, group: Group, actor: User | None, *, notice_on: date, new_due_on: date
) -> DispatchExtension:
    """Record an authority's notice that it extends the term, within what the law allows."""
    if not can_move(dispatch, DispatchState.EXTENDED):
        raise TrackingError(
            N_("This cannot be done while the dispatch is “{state}”."),
            translate=("state",),
            state=DISPATCH_STATE_LABELS[dispatch.state],
        )
    check_happened(notice_on, "notice_on")
    if dispatch.sent_on is not None and notice_on < dispatch.sent_on:
        raise TrackingError(
            N_("The notice ({day}) cannot be older than the letter's dispatch ({sent})."),
            field="notice_on",
            day=notice_on.isoformat(),
            sent=dispatch.sent_on.isoformat(),
        )
    try:
        result = due_result(dispatch)
        if result is None:
            raise TrackingError(N_("This dispatch has no due date to extend."), field="new_due_on")
        deadlines.apply_extension(result, new_due_on)
    except deadlines.DeadlineError as error:
        raise deadline_error(error, "new_due_on") from None
    extension = DispatchExtension(
        group_id=group.id,
        dispatch=dispatch,
        notice_on=notice_on,
        new_due_on=new_due_on,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(extension)
    move(dispatch, DispatchState.EXTENDED, group=group, actor=actor, event="extended")
    compute(dispatch, field="new_due_on")
    db.session.flush()
    record(
        "dispatch.extended",
        dispatch,
        group=group,
        actor=actor,
        extension=extension.id,
    )
    return extension


def members_of(group: Group) -> Iterable[tuple[int, str]]:
    """The group's members as (user id, name), for choosing who handed a letter over."""
    rows = db.session.execute(
        sa.select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id)
        .order_by(User.display_name)
    )
    return [(row.id, row.display_name) for row in rows]
