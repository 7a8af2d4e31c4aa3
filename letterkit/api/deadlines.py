"""Due dates through the API: what is due soon or overdue, and the deadline calculator.

The explanation of a dispatch's due date is the one stored when it was computed, worded in the
requester's language as the tracking pages word it; the calculator is the public calculator's
(:func:`letterkit.core.calculator.compute_answer`), with its limits."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import undefer

from letterkit import deadlines
from letterkit.core import calculator
from letterkit.extensions import db
from letterkit.models import Dispatch, Group
from letterkit.tracking import operations as ops
from letterkit.tracking.views.common import due_heading, explanation_lines, message

from . import pagination
from .base import bp, operation
from .dispatch_models import (
    DeadlineOut,
    DeadlineQuery,
    DueItem,
    DueList,
    DueQuery,
    DueStatus,
    RuleOut,
)
from .dispatches import letter_ids
from .problems import invalid, problem

TAGS = ("deadlines",)


def due_status(dispatch: Dispatch, today: date) -> DueStatus:
    """How late an open dispatch with a due date is, or how soon it is due."""
    if ops.is_very_overdue(dispatch, today):
        return "very_overdue"
    if ops.is_overdue(dispatch, today):
        return "overdue"
    return "due_today" if dispatch.due_on == today else "due_soon"


@bp.get("/due")
@operation(tags=TAGS, responses={200: DueList}, query=DueQuery)
def list_due(group: Group, query: DueQuery) -> DueList:
    """What is due

    Open dispatches due within `within` days and those overdue, soonest (most overdue) first,
    each with how its due date was computed, in your language."""
    today = ops.today()
    after = pagination.decode(query.cursor, "due", group.id)
    statement = (
        sa.select(Dispatch)
        .options(undefer(Dispatch.due_explanation))
        .where(
            Dispatch.group_id == group.id,
            Dispatch.is_open.is_(True),
            Dispatch.due_on.is_not(None),
            Dispatch.due_on <= today + timedelta(days=query.within),
        )
        .order_by(Dispatch.due_on, Dispatch.id)
        .limit(query.limit + 1)
    )
    if after:
        last_due, last_id = date.fromisoformat(str(after[0])), int(after[1])
        statement = statement.where(
            sa.or_(
                Dispatch.due_on > last_due,
                sa.and_(Dispatch.due_on == last_due, Dispatch.id > last_id),
            )
        )
    found = list(db.session.scalars(statement))
    more = len(found) > query.limit
    found = found[: query.limit]
    letters = letter_ids(d.letter_id for d in found)
    items = []
    for dispatch in found:
        assert dispatch.due_on is not None
        items.append(
            DueItem(
                dispatch=dispatch.public_id,
                letter=letters[dispatch.letter_id],
                authority=dispatch.authority_slug,
                authority_name=dispatch.authority_name,
                country=dispatch.country,
                due_on=dispatch.due_on,
                very_overdue_on=dispatch.very_overdue_on,
                due_kind=dispatch.due_kind,
                due_estimate=dispatch.due_estimate,
                status=due_status(dispatch, today),
                due_heading=due_heading(dispatch),
                due_explanation=explanation_lines(dispatch.due_explanation),
            )
        )
    last = found[-1] if found else None
    return DueList(
        today=today,
        items=items,
        next_cursor=(
            pagination.encode("due", group.id, [str(last.due_on), last.id])
            if more and last is not None
            else None
        ),
    )


def _check(query: DeadlineQuery, book: deadlines.RuleBook) -> None:
    """Refuse what the calculator refuses: days out of its range, a country without rules, a
    kind without a rule of its own in the country (a number is never made up)."""
    errors = []
    for name, day in (("received_on", query.received_on), ("registered_on", query.registered_on)):
        refusal = calculator.out_of_range(day)
        if refusal is not None:
            errors.append({"pointer": name, "detail": refusal})
    if query.country not in book.countries:
        errors.append(
            {"pointer": "country", "detail": _("There are no reply rules for this country.")}
        )
    elif query.kind is not None and query.kind not in book.kinds_for(query.country):
        errors.append(
            {
                "pointer": "kind",
                "detail": _(
                    "This country has no reply rule of its own for this kind of proceeding; "
                    "leave it out for the general rule."
                ),
            }
        )
    if errors:
        invalid(errors)


@bp.get("/deadline")
@operation(tags=TAGS, responses={200: DeadlineOut}, query=DeadlineQuery)
def compute_deadline(group: Group, query: DeadlineQuery) -> DeadlineOut:
    """Deadline calculator

    When a reply is due for a letter delivered to an authority of a country (and a kind of
    proceeding with a rule of its own), with the rule, the law it cites and how the date is
    counted, as the public calculator shows it. Where the law sets no term, `due_on` is null;
    a country or kind without a rule is refused (422)."""
    book = deadlines.load_rules()
    _check(query, book)
    try:
        answer = calculator.compute_answer(
            query.country,
            query.received_on,
            registered_on=query.registered_on,
            kind=query.kind,
            book=book,
        )
    except deadlines.DeadlineError as error:
        problem(422, message(error))
    result, rule = answer.result, answer.result.rule
    heading = f"{answer.heading} {answer.estimate}" if answer.estimate else answer.heading
    return DeadlineOut(
        country=result.country,
        kind=query.kind,
        received_on=query.received_on,
        registered_on=query.registered_on,
        result=result.kind,
        legal=answer.legal,
        due_on=result.due,
        very_overdue_on=ops.very_overdue_day(result),
        estimate=result.estimate,
        rule=RuleOut(
            id=rule.id,
            title=_(rule.title) if rule.title else "",
            law=_(rule.law) if rule.law else "",
            article=rule.article,
            confidence=rule.confidence.value,
            source=rule.source,
        ),
        heading=heading,
        explanation=answer.lines,
    )
