"""Dispatches through the API: the list, recording one, its registration, extensions, replies
and closing. Every change goes through :mod:`letterkit.tracking.operations`, as on the tracking
pages; a refusal of an operation is a problem document (409 where the dispatch's state does not
allow the action, 422 naming the field otherwise) and changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn, TypeVar

import sqlalchemy as sa
from flask import Response, url_for
from flask_babel import gettext as _

from letterkit.extensions import db
from letterkit.models import (
    Dispatch,
    DispatchExtension,
    DispatchMethod,
    DispatchReply,
    Group,
    Letter,
)
from letterkit.tracking import operations as ops
from letterkit.tracking.views.common import due_heading, explanation_lines, message, status_of

from . import pagination
from .base import bp, operation
from .dispatch_models import (
    DispatchIn,
    DispatchList,
    DispatchOut,
    DispatchQuery,
    DispatchSummary,
    ExtensionIn,
    ExtensionOut,
    ForwardIn,
    RegistrationIn,
    ReplyIn,
    ReplyOut,
    SendIn,
    TargetIn,
)
from .problems import invalid, problem
from .schemas import Out

TAGS = ("dispatches",)
T = TypeVar("T")

#: what a summary reads from the dispatch row (and nothing else)
SUMMARY_COLUMNS = (
    Dispatch.id,
    Dispatch.public_id,
    Dispatch.letter_id,
    Dispatch.authority_slug,
    Dispatch.authority_name,
    Dispatch.country,
    Dispatch.method,
    Dispatch.state,
    Dispatch.is_open,
    Dispatch.planned_on,
    Dispatch.sent_on,
    Dispatch.delivered_on,
    Dispatch.registered_on,
    Dispatch.registration_number,
    Dispatch.due_on,
    Dispatch.very_overdue_on,
    Dispatch.due_kind,
    Dispatch.due_estimate,
    Dispatch.answered_on,
    Dispatch.outcome,
)


# --- helpers -------------------------------------------------------------------------------------


def refuse(error: ops.TrackingError) -> NoReturn:
    """An operation's refusal as a problem: 409 for the dispatch's state, 422 for a field."""
    text = message(error)
    if error.field is None:
        problem(409, text)
    invalid([{"pointer": f"/{error.field}", "detail": text}], text)


def find(model: type[T], group: Group, public_id: str) -> T:
    """The group's row of ``model`` with this public id; 404 for a missing one or another
    group's."""
    found = db.session.scalar(
        sa.select(model).where(
            model.public_id == public_id,  # type: ignore[attr-defined]
            model.group_id == group.id,  # type: ignore[attr-defined]
        )
    )
    if found is None:
        problem(404)
    return found


def find_dispatch(group: Group, dispatch_id: str) -> Dispatch:
    """The group's dispatch with this public id; 404 for a missing one or another group's."""
    return find(Dispatch, group, dispatch_id)


def letter_ids(ids: Iterable[int]) -> dict[int, str]:
    """The public ids of letters by row id, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.session.execute(sa.select(Letter.id, Letter.public_id).where(Letter.id.in_(wanted)))
    return {row_id: public_id for row_id, public_id in rows}


def summary_fields(source: Any, letter: str) -> dict[str, Any]:
    """The summary's fields from a dispatch or a row of :data:`SUMMARY_COLUMNS`."""
    return {
        "id": source.public_id,
        "letter": letter,
        "authority": source.authority_slug,
        "authority_name": source.authority_name,
        "country": source.country,
        "method": source.method,
        "state": source.state,
        "is_open": source.is_open,
        "planned_on": source.planned_on,
        "sent_on": source.sent_on,
        "delivered_on": source.delivered_on,
        "registered_on": source.registered_on,
        "registration_number": source.registration_number,
        "due_on": source.due_on,
        "very_overdue_on": source.very_overdue_on,
        "due_kind": source.due_kind,
        "due_estimate": source.due_estimate,
        "answered_on": source.answered_on,
        "outcome": source.outcome,
    }


def extension_out(extension: Any, dispatch: Dispatch) -> ExtensionOut:
    return ExtensionOut(
        id=extension.public_id,
        dispatch=dispatch.public_id,
        notice_on=extension.notice_on,
        new_due_on=extension.new_due_on,
        created_at=extension.created_at,
    )


def reply_out(reply: Any, dispatch: Dispatch) -> ReplyOut:
    return ReplyOut(
        id=reply.public_id,
        dispatch=dispatch.public_id,
        received_on=reply.received_on,
        channel=reply.channel,
        outcome=reply.outcome,
        summary=reply.summary,
        created_at=reply.created_at,
    )


def dispatch_out(dispatch: Dispatch) -> DispatchOut:
    """The whole dispatch: its summary, due date explained, extensions and replies."""
    forwarded = (
        db.session.scalar(
            sa.select(Dispatch.public_id).where(Dispatch.id == dispatch.forwarded_from_id)
        )
        if dispatch.forwarded_from_id is not None
        else None
    )
    return DispatchOut(
        **summary_fields(dispatch, letter_ids([dispatch.letter_id])[dispatch.letter_id]),
        status=status_of(dispatch, ops.today()),
        proceeding_kind=dispatch.proceeding_kind,
        target_days=dispatch.target_days,
        handed_by_name=dispatch.handed_by_name,
        forwarded_from=forwarded,
        rule=dispatch.rule_id,
        due_heading=due_heading(dispatch),
        due_explanation=explanation_lines(dispatch.due_explanation),
        due_stale=ops.is_stale(dispatch),
        created_at=dispatch.created_at,
        closed_at=dispatch.closed_at,
        extensions=[extension_out(e, dispatch) for e in dispatch.extensions],
        replies=[reply_out(r, dispatch) for r in dispatch.replies],
    )


def created(model: Out, location: str | None = None) -> Response:
    """A 201 response with the created resource (and where to read it again)."""
    response = Response(model.model_dump_json(), status=201, mimetype="application/json")
    if location is not None:
        response.headers["Location"] = location
    return response


def _filters(group: Group, query: DispatchQuery) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = [Dispatch.group_id == group.id]
    if query.state is not None:
        clauses.append(Dispatch.state == query.state)
    if query.open is not None:
        clauses.append(Dispatch.is_open.is_(query.open == "true"))
    if query.country is not None:
        clauses.append(Dispatch.country == query.country)
    if query.authority is not None:
        clauses.append(Dispatch.authority_slug == query.authority)
    if query.due_before is not None:
        clauses.append(Dispatch.due_on < query.due_before)
    return clauses


# --- the list and one dispatch -------------------------------------------------------------------


@bp.get("/dispatches")
@operation(tags=TAGS, responses={200: DispatchList}, query=DispatchQuery)
def list_dispatches(group: Group, query: DispatchQuery) -> DispatchList:
    """Dispatches

    The group's dispatches in the order they were recorded, filtered by state, open or not,
    country, authority and due date; a page is read from the dispatch rows alone (and one query
    for the ids of their letters)."""
    after = pagination.decode(query.cursor, "dispatches", group.id)
    statement = (
        sa.select(*SUMMARY_COLUMNS)
        .where(*_filters(group, query))
        .order_by(Dispatch.id)
        .limit(query.limit + 1)
    )
    if after:
        statement = statement.where(Dispatch.id > int(after[0]))
    rows = db.session.execute(statement).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    letters = letter_ids(row.letter_id for row in rows)
    return DispatchList(
        items=[DispatchSummary(**summary_fields(row, letters[row.letter_id])) for row in rows],
        next_cursor=(
            pagination.encode("dispatches", group.id, [rows[-1].id]) if more and rows else None
        ),
    )


@bp.post("/dispatches")
@operation(tags=TAGS, responses={201: DispatchOut}, body=DispatchIn, status=201, errors=(409,))
def create_dispatch(group: Group, body: DispatchIn) -> Response:
    """Record a dispatch

    A final letter was handed over or sent to its authority (or is planned: leave out
    `sent_on`). The due date is computed at once; `Location` names the new dispatch."""
    letter = db.session.scalar(
        sa.select(Letter).where(Letter.public_id == body.letter, Letter.group_id == group.id)
    )
    if letter is None:
        invalid([{"pointer": "/letter", "detail": _("Your group has no letter with this id.")}])
    if not letter.is_final:
        text = _("Only a final letter can be recorded as sent. Finalise it first.")
        invalid([{"pointer": "/letter", "detail": text}], text)
    if body.sent_on is not None and body.planned_on is not None:
        text = _("A planned day is only for a dispatch not sent yet: leave out one of the two.")
        invalid([{"pointer": "/planned_on", "detail": text}], text)
    data = ops.DispatchInput(
        method=DispatchMethod(body.method.value),
        sent_on=body.sent_on,
        planned_on=body.planned_on,
        delivered_on=body.delivered_on,
        handed_by_name=body.handed_by_name.strip(),
        registration_number=body.registration_number.strip(),
        registered_on=body.registered_on,
        proceeding_kind=body.proceeding_kind,
        target_days=body.target_days,
    )
    try:
        dispatch = ops.record_dispatch(letter, group, None, data)
    except ops.TrackingError as error:
        refuse(error)
    return created(
        dispatch_out(dispatch), url_for("api.get_dispatch", dispatch_id=dispatch.public_id)
    )


@bp.get("/dispatches/<dispatch_id>")
@operation(tags=TAGS, responses={200: DispatchOut}, errors=(404,))
def get_dispatch(group: Group, dispatch_id: str) -> DispatchOut:
    """One dispatch

    With its due date explained in your language (`Accept-Language`), its extensions and
    replies."""
    return dispatch_out(find_dispatch(group, dispatch_id))


# --- what happens to a dispatch ------------------------------------------------------------------


@bp.put("/dispatches/<dispatch_id>/registration")
@operation(tags=TAGS, responses={200: DispatchOut}, body=RegistrationIn, errors=(404, 409))
def put_registration(group: Group, dispatch_id: str, body: RegistrationIn) -> DispatchOut:
    """Set the registration

    The incoming registration number and date (and the delivery day) of a sent dispatch; the
    due date is computed again from them."""
    dispatch = find_dispatch(group, dispatch_id)
    keep = "delivered_on" not in body.model_fields_set
    delivered_on = dispatch.delivered_on if keep else body.delivered_on
    try:
        ops.set_registration(
            dispatch,
            group,
            None,
            delivered_on=delivered_on,
            registration_number=body.registration_number.strip(),
            registered_on=body.registered_on,
        )
    except ops.TrackingError as error:
        refuse(error)
    return dispatch_out(dispatch)


@bp.post("/dispatches/<dispatch_id>/extensions")
@operation(
    tags=TAGS,
    responses={201: ExtensionOut},
    body=ExtensionIn,
    status=201,
    errors=(404, 409),
)
def create_extension(group: Group, dispatch_id: str, body: ExtensionIn) -> Response:
    """Record an extension

    The authority's notice that it extends the term, within what the law allows (422 names
    the latest day it may give). The dispatch's new due date is in
    `GET /api/v1/dispatches/{dispatch_id}`; `Location` names the extension."""
    dispatch = find_dispatch(group, dispatch_id)
    try:
        extension = ops.record_extension(
            dispatch, group, None, notice_on=body.notice_on, new_due_on=body.new_due_on
        )
    except ops.TrackingError as error:
        refuse(error)
    return created(
        extension_out(extension, dispatch),
        url_for("api.get_extension", extension_id=extension.public_id),
    )


@bp.post("/dispatches/<dispatch_id>/replies")
@operation(tags=TAGS, responses={201: ReplyOut}, body=ReplyIn, status=201, errors=(404, 409))
def create_reply(group: Group, dispatch_id: str, body: ReplyIn) -> Response:
    """Record a reply

    A reply that answers the letter (any outcome but `acknowledgement`) makes the dispatch
    answered. A scan of the reply can be added on the dispatch's page; `Location` names the
    reply."""
    dispatch = find_dispatch(group, dispatch_id)
    try:
        reply = ops.record_reply(
            dispatch,
            group,
            None,
            received_on=body.received_on,
            channel=body.channel,
            outcome=body.outcome,
            summary=body.summary.strip(),
        )
    except ops.TrackingError as error:
        refuse(error)
    return created(reply_out(reply, dispatch), url_for("api.get_reply", reply_id=reply.public_id))


@bp.post("/dispatches/<dispatch_id>/close")
@operation(tags=TAGS, responses={200: DispatchOut}, errors=(404, 409))
def close_dispatch(group: Group, dispatch_id: str) -> DispatchOut:
    """Close a dispatch

    Stop tracking it (answered and dealt with, or given up); a closed dispatch cannot be
    closed again (409)."""
    dispatch = find_dispatch(group, dispatch_id)
    try:
        ops.close(dispatch, group, None)
    except ops.TrackingError as error:
        refuse(error)
    return dispatch_out(dispatch)


@bp.post("/dispatches/<dispatch_id>/send")
@operation(tags=TAGS, responses={200: DispatchOut}, body=SendIn, errors=(404, 409))
def send_dispatch(group: Group, dispatch_id: str, body: SendIn) -> DispatchOut:
    """Send a planned dispatch

    A planned dispatch went out: how and when; its due date is computed."""
    dispatch = find_dispatch(group, dispatch_id)
    try:
        ops.mark_sent(
            dispatch,
            group,
            None,
            method=DispatchMethod(body.method.value),
            sent_on=body.sent_on,
            delivered_on=body.delivered_on,
        )
    except ops.TrackingError as error:
        refuse(error)
    return dispatch_out(dispatch)


@bp.put("/dispatches/<dispatch_id>/target")
@operation(tags=TAGS, responses={200: DispatchOut}, body=TargetIn, errors=(404, 409))
def put_target(group: Group, dispatch_id: str, body: TargetIn) -> DispatchOut:
    """Set a target

    A target in days where the law sets no term (the due date follows it); `null` removes it.
    Refused where the authority extended a legal term."""
    dispatch = find_dispatch(group, dispatch_id)
    try:
        ops.set_target(dispatch, group, None, body.target_days)
    except ops.TrackingError as error:
        refuse(error)
    return dispatch_out(dispatch)


@bp.get("/extensions/<extension_id>")
@operation(tags=TAGS, responses={200: ExtensionOut}, errors=(404,))
def get_extension(group: Group, extension_id: str) -> ExtensionOut:
    """One extension"""
    extension = find(DispatchExtension, group, extension_id)
    return extension_out(extension, extension.dispatch)


@bp.get("/replies/<reply_id>")
@operation(tags=TAGS, responses={200: ReplyOut}, errors=(404,))
def get_reply(group: Group, reply_id: str) -> ReplyOut:
    """One reply"""
    reply = find(DispatchReply, group, reply_id)
    return reply_out(reply, reply.dispatch)


@bp.post("/replies/<reply_id>/forward")
@operation(tags=TAGS, responses={201: DispatchOut}, body=ForwardIn, status=201, errors=(404, 409))
def forward_reply(group: Group, reply_id: str, body: ForwardIn) -> Response:
    """Track a forwarded letter

    A reply with the outcome `forwarded` says which body got the letter: tracking it starts a
    new dispatch (409 for a reply with another outcome); `Location` names it."""
    reply = find(DispatchReply, group, reply_id)
    data = ops.DispatchInput(
        method=DispatchMethod.FORWARDED,
        sent_on=body.sent_on,
        delivered_on=body.delivered_on,
        registration_number=body.registration_number.strip(),
        registered_on=body.registered_on,
        proceeding_kind=body.proceeding_kind,
    )
    try:
        dispatch = ops.forward(reply, group, None, body.authority, data)
    except ops.TrackingError as error:
        refuse(error)
    return created(
        dispatch_out(dispatch), url_for("api.get_dispatch", dispatch_id=dispatch.public_id)
    )
