"""Domain verbs for tracking dispatches. They flush; the request (or CLI command) commits.

A dispatch moves through :data:`letterkit.models.tracking.TRANSITIONS` only through
:func:`move`, which also keeps the indexed ``is_open`` flag right and writes the audit log. Due
dates come from :mod:`letterkit.deadlines` and are stored with the rule, the versions of the
rules and of the holiday calendars, and the whole explanation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import holidays
import sqlalchemy as sa

from letterkit import deadlines
from letterkit.catalogue import Authority, NotInCatalogue
from letterkit.core.audit import record
from letterkit.directory.operations import group_catalogue
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    CalendarFeed,
    Dispatch,
    DispatchExtension,
    DispatchMethod,
    DispatchReply,
    DispatchState,
    FileKind,
    Group,
    Letter,
    Membership,
    ReplyChannel,
    ReplyOutcome,
    TrackingFile,
    User,
    utcnow,
)
from letterkit.models.tracking import DISPATCH_STATE_LABELS, TRANSITIONS

from . import files

#: Events that happened may be dated at most this far ahead (time zones), never more.
FUTURE_TOLERANCE = timedelta(days=1)
FIRST_DAY = date(1990, 1, 1)
MAX_SUMMARY = 4000
MAX_TARGET_DAYS = 1000


class TrackingError(Exception):
    """A domain rule refused the action.

    ``message`` is an untranslated template marked with ``N_()``; the view translates it first
    and formats it with ``params`` after, translating the params named in ``translate``.
    ``field`` names the form field the message belongs next to.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        translate: Sequence[str] = (),
        **params: Any,
    ) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.field = field
        self.params = params
        self.translate = tuple(translate)


def today() -> date:
    """The current day on the server."""
    return date.today()


# --- checks --------------------------------------------------------------------------------------


def check_happened(day: date | None, field: str, *, now: date | None = None) -> None:
    """Refuse a date of something that happened if it lies in the future or before 1990."""
    if day is None:
        return
    now = now or today()
    if day > now + FUTURE_TOLERANCE:
        raise TrackingError(
            N_("This date is in the future ({day}). Enter the day it happened."),
            field=field,
            day=day.isoformat(),
        )
    if day < FIRST_DAY:
        raise TrackingError(
            N_("This date is too far in the past ({day})."), field=field, day=day.isoformat()
        )


def check_dispatch_dates(
    *,
    sent_on: date | None,
    delivered_on: date | None,
    registered_on: date | None,
    now: date | None = None,
) -> None:
    """Refuse dates that cannot be: in the future, a delivery before sending, a registration
    before delivery."""
    check_happened(sent_on, "sent_on", now=now)
    check_happened(delivered_on, "delivered_on", now=now)
    check_happened(registered_on, "registered_on", now=now)
    if delivered_on is not None and sent_on is not None and delivered_on < sent_on:
        raise TrackingError(
            N_("The letter cannot have arrived ({day}) before it was sent ({sent})."),
            field="delivered_on",
            day=delivered_on.isoformat(),
            sent=sent_on.isoformat(),
        )
    received = delivered_on or sent_on
    if registered_on is not None:
        if received is None:
            raise TrackingError(
                N_("A letter that has not been sent cannot be registered yet."),
                field="registered_on",
            )
        if registered_on < received:
            raise TrackingError(
                N_(
                    "The registration date ({day}) cannot be before the letter reached the "
                    "authority ({received})."
                ),
                field="registered_on",
                day=registered_on.isoformat(),
                received=received.isoformat(),
            )


def check_not_refused(method: DispatchMethod, registered_on: date | None, number: str) -> None:
    """Refuse a registration for a letter the authority would not take."""
    if method is DispatchMethod.REFUSED and (registered_on is not None or number):
        raise TrackingError(
            N_("A letter refused at the door was not registered. Record how it was sent after."),
            field="registered_on" if registered_on is not None else "registration_number",
        )


def check_file(data: bytes, field: str) -> str:
    """Return the content type of an uploaded proof or scan; refuse other files and big ones."""
    if len(data) > files.MAX_FILE_BYTES:
        raise TrackingError(
            N_("The file is larger than {limit} MB. Scan it at a lower resolution."),
            field=field,
            limit=files.MAX_FILE_BYTES // (1024 * 1024),
        )
    if not data:
        raise TrackingError(N_("The file is empty."), field=field)
    content_type = files.sniff(data)
    if content_type is None:
        raise TrackingError(
            N_("Only a photo (JPEG or PNG) or a PDF can be kept here."), field=field
        )
    return content_type


def check_target(target_days: int | None) -> None:
    """Refuse a target that is not a sensible number of days."""
    if target_days is not None and not 1 <= target_days <= MAX_TARGET_DAYS:
        raise TrackingError(
            N_("A target is a number of days from 1 to {max}."),
            field="target_days",
            max=MAX_TARGET_DAYS,
        )


def check_proceeding_kind(kind: str | None) -> None:
    """Refuse a kind of proceeding the reply rules do not know."""
    if kind is not None and kind not in deadlines.load_rules().kinds:
        raise TrackingError(
            N_("Choose a kind of proceeding from the list."), field="proceeding_kind"
        )


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


def _deadline_error(error: deadlines.DeadlineError, field: str | None) -> TrackingError:
    return TrackingError(error.template, field=field, **error.params)


def compute(dispatch: Dispatch, *, field: str | None = None) -> deadlines.DueResult | None:
    """Compute and store the due date; a refusal of the engine becomes a :class:`TrackingError`."""
    try:
        result = due_result(dispatch)
    except deadlines.DeadlineError as error:
        raise _deadline_error(error, field) from None
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
    actor: User,
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
        sent_on=data.sent_on, delivered_on=data.delivered_on, registered_on=data.registered_on
    )
    check_not_refused(data.method, data.registered_on, data.registration_number)
    check_target(data.target_days)
    check_proceeding_kind(data.proceeding_kind)
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
        created_by_id=actor.id,
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
    actor: User,
    *,
    method: DispatchMethod,
    sent_on: date,
    delivered_on: date | None = None,
) -> None:
    """Record that a planned dispatch went out."""
    check_dispatch_dates(sent_on=sent_on, delivered_on=delivered_on, registered_on=None)
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
    actor: User,
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


def set_target(dispatch: Dispatch, group: Group, actor: User, target_days: int | None) -> None:
    """Set (or remove) the coordinator's target where the law sets no term."""
    check_target(target_days)
    if dispatch.state is DispatchState.CLOSED:
        raise TrackingError(
            N_("This cannot be done while the dispatch is “{state}”."),
            field="target_days",
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
    dispatch: Dispatch, group: Group, actor: User, *, notice_on: date, new_due_on: date
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
        raise _deadline_error(error, "new_due_on") from None
    extension = DispatchExtension(
        group_id=group.id,
        dispatch=dispatch,
        notice_on=notice_on,
        new_due_on=new_due_on,
        created_by_id=actor.id,
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


def _refresh_answer(dispatch: Dispatch) -> None:
    """Derive the answer fields from the replies: first answering reply, latest outcome."""
    answering = [r for r in dispatch.replies if r.outcome.answers]
    if not answering:
        dispatch.answered_on = None
        dispatch.days_to_answer = None
        dispatch.outcome = None
        return
    answering.sort(key=lambda r: (r.received_on, r.id or 0))
    dispatch.answered_on = answering[0].received_on
    received = dispatch.received_on
    dispatch.days_to_answer = (
        (dispatch.answered_on - received).days if received is not None else None
    )
    dispatch.outcome = answering[-1].outcome


def store_file(
    dispatch: Dispatch,
    group: Group,
    actor: User,
    data: bytes,
    *,
    kind: FileKind,
    reply: DispatchReply | None = None,
    field: str = "file",
) -> TrackingFile:
    """Keep a proof of delivery or a reply scan after checking what it is."""
    content_type = check_file(data, field)
    stored = TrackingFile(
        group_id=group.id,
        dispatch=dispatch,
        reply=reply,
        kind=kind,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=actor.id,
    )
    db.session.add(stored)
    db.session.flush()
    record(
        "tracking_file.added",
        stored,
        group=group,
        actor=actor,
        dispatch=dispatch.id,
        reply=reply.id if reply is not None else None,
        kind=kind.value,
    )
    return stored


def record_reply(
    dispatch: Dispatch,
    group: Group,
    actor: User,
    *,
    received_on: date,
    channel: ReplyChannel,
    outcome: ReplyOutcome,
    summary: str = "",
    scan: bytes | None = None,
) -> DispatchReply:
    """Record a reply; one that answers the letter makes the dispatch answered."""
    if dispatch.sent_on is None or dispatch.state is DispatchState.CLOSED:
        raise TrackingError(
            N_("This cannot be done while the dispatch is “{state}”."),
            translate=("state",),
            state=DISPATCH_STATE_LABELS[dispatch.state],
        )
    check_happened(received_on, "received_on")
    if received_on < dispatch.sent_on:
        raise TrackingError(
            N_("A reply cannot come ({day}) before the letter was sent ({sent})."),
            field="received_on",
            day=received_on.isoformat(),
            sent=dispatch.sent_on.isoformat(),
        )
    if len(summary) > MAX_SUMMARY:
        raise TrackingError(
            N_("The summary may have at most {limit} characters."),
            field="summary",
            limit=MAX_SUMMARY,
        )
    if scan is not None:
        check_file(scan, "scan")
    reply = DispatchReply(
        group_id=group.id,
        dispatch=dispatch,
        received_on=received_on,
        channel=channel,
        outcome=outcome,
        summary=summary,
        created_by_id=actor.id,
    )
    db.session.add(reply)
    db.session.flush()
    if outcome.answers:
        move(dispatch, DispatchState.ANSWERED, group=group, actor=actor, event="answered")
    _refresh_answer(dispatch)
    record(
        "reply.recorded",
        reply,
        group=group,
        actor=actor,
        dispatch=dispatch.id,
        outcome=outcome.value,
    )
    if scan is not None:
        store_file(dispatch, group, actor, scan, kind=FileKind.REPLY, reply=reply, field="scan")
    db.session.flush()
    return reply


def close(dispatch: Dispatch, group: Group, actor: User) -> None:
    """Stop tracking a dispatch (answered and dealt with, or given up)."""
    move(dispatch, DispatchState.CLOSED, group=group, actor=actor, event="closed")
    db.session.flush()


def forward(
    reply: DispatchReply,
    group: Group,
    actor: User,
    authority_slug: str,
    data: DispatchInput,
) -> Dispatch:
    """Start tracking the body a reply says the letter was forwarded to."""
    if reply.outcome is not ReplyOutcome.FORWARDED:
        raise TrackingError(N_("Only a reply that says the letter was forwarded can start this."))
    source = reply.dispatch
    if data.sent_on is not None and data.sent_on < (source.sent_on or data.sent_on):
        raise TrackingError(
            N_("The letter cannot have been forwarded ({day}) before it was sent ({sent})."),
            field="sent_on",
            day=data.sent_on.isoformat(),
            sent=(source.sent_on or data.sent_on).isoformat(),
        )
    return record_dispatch(
        source.letter,
        group,
        actor,
        dataclasses.replace(data, method=DispatchMethod.FORWARDED),
        authority_slug=authority_slug,
        forwarded_from=source,
    )


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


# --- follow-up letters ---------------------------------------------------------------------------

FOLLOW_UP_TEMPLATE = "follow-up"


def follow_up_fields(dispatch: Dispatch) -> dict[str, Any]:
    """The ``follow-up`` template's fields for an overdue dispatch: first letter, law, due date."""
    letter = dispatch.letter
    rule = (dispatch.due_explanation or {}).get("rule") or {}
    # As a letter in this language cites the law; due dates stored before rules carried
    # citations, and languages without one, cite the rule's own text.
    cited = (rule.get("citations") or {}).get(letter.language) or rule
    return {
        "first_letter_date": letter.letter_date.isoformat() if letter.letter_date else "",
        "first_letter_reference": letter.reference or "",
        "first_letter_subject": letter.subject[:300],
        "registration_number": dispatch.registration_number,
        "registration_date": (dispatch.registered_on.isoformat() if dispatch.registered_on else ""),
        "law": str(cited.get("law") or "")[:300],
        "article": str(cited.get("article") or "")[:100],
        "due_date": dispatch.due_on.isoformat() if dispatch.due_on else "",
    }


def create_follow_up(dispatch: Dispatch, group: Group, actor: User) -> Letter:
    """Start a draft reminder citing the first letter, the law and the due date that passed."""
    from letterkit.compose import operations as compose

    if not is_overdue(dispatch):
        raise TrackingError(N_("A follow-up is for a dispatch whose reply is overdue."))
    if dispatch.due_kind != deadlines.ResultKind.STATUTORY.value:
        raise TrackingError(N_("A follow-up cites the law: this due date is not a legal deadline."))
    fields = follow_up_fields(dispatch)
    if not fields["article"]:
        raise TrackingError(
            N_("The rule names no article to cite; write the reminder as a new letter instead.")
        )
    letter = dispatch.letter
    try:
        draft = compose.save_draft(
            None,
            group,
            actor,
            template=FOLLOW_UP_TEMPLATE,
            language=letter.language,
            authority_slug=dispatch.authority_slug,
            demand_slugs=letter.demand_slugs,
            paragraphs=[],
            fields=fields,
            place=letter.place,
        )
    except compose.LetterError as error:
        raise TrackingError(error.message, **error.params) from None
    record(
        "dispatch.follow_up_created",
        dispatch,
        group=group,
        actor=actor,
        letter=draft.id,
    )
    return draft


# --- calendar feeds ------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(group: Group) -> CalendarFeed | None:
    """The group's calendar link in use, if any."""
    return db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.group_id == group.id, CalendarFeed.revoked_at.is_(None)
        )
    )


def create_feed(group: Group, actor: User) -> tuple[CalendarFeed, str]:
    """Make a new secret calendar link (the old one stops working); return it with its token."""
    revoke_feed(group, actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(group_id=group.id, token_hash=_token_hash(token), created_by_id=actor.id)
    db.session.add(feed)
    db.session.flush()
    record("calendar_feed.created", feed, group=group, actor=actor)
    return feed, token


def revoke_feed(group: Group, actor: User) -> bool:
    """Make the group's calendar link stop working; return whether there was one."""
    feed = active_feed(group)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    record("calendar_feed.revoked", feed, group=group, actor=actor)
    db.session.flush()
    return True


def find_feed(token: str) -> CalendarFeed | None:
    """The calendar link a token opens, if it was not revoked."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token_hash == _token_hash(token), CalendarFeed.revoked_at.is_(None)
        )
    )


def members_of(group: Group) -> Iterable[tuple[int, str]]:
    """The group's members as (user id, name), for choosing who handed a letter over."""
    rows = db.session.execute(
        sa.select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id)
        .order_by(User.display_name)
    )
    return [(row.id, row.display_name) for row in rows]
