"""Replies to a dispatch: proof and reply files, the reply and its outcome, closing, forwarding
to another authority (a new dispatch)."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    Dispatch,
    DispatchMethod,
    DispatchReply,
    DispatchState,
    FileKind,
    Group,
    ReplyChannel,
    ReplyOutcome,
    TrackingFile,
    User,
)
from letterkit.models.tracking import DISPATCH_STATE_LABELS
from letterkit.tracking.operations.checks import (
    MAX_SUMMARY,
    TrackingError,
    check_file,
    check_happened,
)
from letterkit.tracking.operations.dispatches import DispatchInput, move, record_dispatch


def _refresh_answer(dispatch: Dispatch) -> None:
    """Derive the answer fields from the replies: first answering reply, latest outcome."""
    merits = [r.received_on for r in dispatch.replies if r.outcome.on_the_merits]
    dispatch.merits_on = min(merits) if merits else None
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
    actor: User | None,
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
        created_by_id=actor.id if actor is not None else None,
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


def close(dispatch: Dispatch, group: Group, actor: User | None) -> None:
    """Stop tracking a dispatch (answered and dealt with, or given up)."""
    move(dispatch, DispatchState.CLOSED, group=group, actor=actor, event="closed")
    db.session.flush()


def forward(
    reply: DispatchReply,
    group: Group,
    actor: User | None,
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
