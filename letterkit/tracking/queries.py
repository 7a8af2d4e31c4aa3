"""The dashboard's questions, answered in SQL on the stored due dates.

Nothing here loads a group's dispatches to filter them in Python: due soon, overdue and very
overdue are ranges on indexed date columns (``ix_dispatch_group_id_is_open_due_on`` and
``ix_dispatch_group_id_is_open_very_overdue_on``), counts are SQL counts, lists are pages, and
the statistics per authority are SQL aggregates (the median from a per-day histogram).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only

from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    CampaignTarget,
    Dispatch,
    DispatchState,
    Group,
    Letter,
    LetterStatus,
    ReplyOutcome,
)

DUE_SOON_DAYS = 7
PER_PAGE = 50
DASHBOARD_ROWS = 10


class View(enum.StrEnum):
    """A list of dispatches the dashboard links to."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    VERY_OVERDUE = "very_overdue"
    ANSWERED = "answered"
    REFUSED = "refused"
    OPEN = "open"
    PLANNED = "planned"
    ALL = "all"

    @property
    def label(self) -> str:
        return VIEW_LABELS[self]


VIEW_LABELS = {
    View.DUE_SOON: N_("Due in the next 7 days"),
    View.OVERDUE: N_("Overdue"),
    View.VERY_OVERDUE: N_("Very overdue (more than twice the term)"),
    View.ANSWERED: N_("Answered"),
    View.REFUSED: N_("Refused"),
    View.OPEN: N_("Waiting for a reply"),
    View.PLANNED: N_("Planned"),
    View.ALL: N_("All dispatches"),
}

DASHBOARD_VIEWS = (View.DUE_SOON, View.OVERDUE, View.VERY_OVERDUE, View.ANSWERED, View.REFUSED)


@dataclass(frozen=True)
class Filters:
    """Narrow the lists to one country or one authority."""

    country: str | None = None
    authority: str | None = None
    campaign: int | None = None
    due: date | None = None  # one due date (the dashboard's calendar links to it)

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        out: list[sa.ColumnElement[bool]] = []
        if self.due:
            out.append(Dispatch.due_on == self.due)
        if self.country:
            out.append(Dispatch.country == self.country)
        if self.authority:
            out.append(Dispatch.authority_slug == self.authority)
        if self.campaign:
            out.append(
                Dispatch.id.in_(
                    sa.select(CampaignTarget.dispatch_id).where(
                        CampaignTarget.campaign_id == self.campaign
                    )
                )
            )
        return out

    def as_args(self) -> dict[str, str]:
        values = (
            ("country", self.country),
            ("authority", self.authority),
            ("campaign", str(self.campaign) if self.campaign else None),
            ("due", self.due.isoformat() if self.due else None),
        )
        return {key: value for key, value in values if value}


def _where(view: View, today: date) -> list[sa.ColumnElement[bool]]:
    """The SQL conditions of a view; each starts with the columns of one index."""
    open_ = Dispatch.is_open.is_(True)
    if view is View.DUE_SOON:
        return [
            open_,
            Dispatch.due_on >= today,
            Dispatch.due_on <= today + timedelta(DUE_SOON_DAYS),
        ]
    if view is View.OVERDUE:
        return [open_, Dispatch.due_on < today, Dispatch.very_overdue_on >= today]
    if view is View.VERY_OVERDUE:
        return [open_, Dispatch.very_overdue_on < today]
    if view is View.ANSWERED:
        return [Dispatch.answered_on.is_not(None)]
    if view is View.REFUSED:
        return [Dispatch.outcome == ReplyOutcome.REFUSAL, Dispatch.answered_on.is_not(None)]
    if view is View.OPEN:
        return [open_]
    if view is View.PLANNED:
        return [Dispatch.state == DispatchState.PLANNED]
    return []


def _order(view: View) -> Sequence[sa.ColumnElement[object]]:
    # The order of the index's columns (the row id last), so rows are read in order, unsorted.
    place = (Dispatch.country, Dispatch.authority_slug, Dispatch.id)
    if view in (View.DUE_SOON, View.OVERDUE, View.OPEN):
        return (Dispatch.due_on, Dispatch.very_overdue_on, *place)
    if view is View.VERY_OVERDUE:
        return (Dispatch.very_overdue_on, *place)
    if view in (View.ANSWERED, View.REFUSED):
        return tuple(column.desc() for column in (Dispatch.answered_on, *place))
    return (Dispatch.id.desc(),)


def dispatches(
    group_id: int, view: View, filters: Filters, today: date
) -> sa.Select[tuple[Dispatch]]:
    """The statement selecting a view's dispatches of a group, in the view's order."""
    return (
        sa.select(Dispatch)
        .where(Dispatch.group_id == group_id, *_where(view, today), *filters.clauses())
        .order_by(*_order(view))
    )


def count_statement(
    group_id: int, view: View, filters: Filters, today: date
) -> sa.Select[tuple[int]]:
    """The statement counting a view's dispatches."""
    return (
        sa.select(sa.func.count())
        .select_from(Dispatch)
        .where(Dispatch.group_id == group_id, *_where(view, today), *filters.clauses())
    )


def count(group_id: int, view: View, filters: Filters, today: date) -> int:
    """How many dispatches a view holds."""
    return db.session.scalar(count_statement(group_id, view, filters, today)) or 0


def counts(group_id: int, filters: Filters, today: date) -> dict[View, int]:
    """The dashboard's numbers."""
    return {view: count(group_id, view, filters, today) for view in DASHBOARD_VIEWS}


def due_by_day(group_id: int, filters: Filters, first: date, last: date) -> dict[date, int]:
    """How many open dispatches fall due on each day from ``first`` to ``last``: one grouped
    query on the range of ``ix_dispatch_group_id_is_open_due_on``."""
    rows = db.session.execute(
        sa.select(Dispatch.due_on, sa.func.count())
        .where(
            Dispatch.group_id == group_id,
            Dispatch.is_open.is_(True),
            Dispatch.due_on >= first,
            Dispatch.due_on <= last,
            *filters.clauses(),
        )
        .group_by(Dispatch.due_on)
    )
    return {day: n for day, n in rows if day is not None}


def unsent_statement(group_id: int, filters: Filters) -> sa.Select[tuple[Letter]]:
    """Final letters of a group with no dispatch at all (not even planned), newest first."""
    statement = sa.select(Letter).where(
        Letter.group_id == group_id,
        Letter.status == LetterStatus.FINAL,
        ~sa.exists().where(Dispatch.letter_id == Letter.id),
    )
    if filters.country:
        statement = statement.where(Letter.country == filters.country)
    if filters.authority:
        statement = statement.where(Letter.authority_slug == filters.authority)
    if filters.campaign:
        statement = statement.where(
            Letter.id.in_(
                sa.select(CampaignTarget.letter_id).where(
                    CampaignTarget.campaign_id == filters.campaign
                )
            )
        )
    return statement.order_by(Letter.finalised_at.desc(), Letter.id.desc())


def unsent_letters(
    group_id: int, filters: Filters, limit: int, offset: int = 0
) -> tuple[int, list[Letter]]:
    """How many final letters were never sent, and ``limit`` of them from ``offset``, newest
    first."""
    statement = unsent_statement(group_id, filters)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    )
    return total or 0, list(db.session.scalars(statement.limit(limit).offset(offset)))


_LIST_COLUMNS = (
    Dispatch.id,
    Dispatch.group_id,
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
    Dispatch.registration_number,
    Dispatch.registered_on,
    Dispatch.due_on,
    Dispatch.very_overdue_on,
    Dispatch.due_kind,
    Dispatch.due_estimate,
    Dispatch.answered_on,
    Dispatch.outcome,
)


def page(
    group_id: int,
    view: View,
    filters: Filters,
    today: date,
    number: int = 1,
    per_page: int = PER_PAGE,
) -> list[Dispatch]:
    """One page of a view, with each dispatch's letter (for its reference).

    The page's ids are found first, from the index alone, so a deep page skips index entries
    rather than whole rows; then only those rows are read.
    """
    ids = (
        dispatches(group_id, view, filters, today)
        .with_only_columns(Dispatch.id)
        .limit(per_page)
        .offset((max(number, 1) - 1) * per_page)
    )
    statement = (
        sa.select(Dispatch)
        .where(Dispatch.id.in_(ids.scalar_subquery()))
        .order_by(*_order(view))
        .options(
            load_only(*_LIST_COLUMNS),
            joinedload(Dispatch.letter).load_only(Letter.id, Letter.reference, Letter.subject),
        )
    )
    return list(db.session.scalars(statement))


def of_letter(group_id: int, letter_id: int) -> list[Dispatch]:
    """The dispatches of one letter, in the order they were recorded."""
    return list(
        db.session.scalars(
            sa.select(Dispatch)
            .where(Dispatch.group_id == group_id, Dispatch.letter_id == letter_id)
            .order_by(Dispatch.id)
        )
    )


def stream(
    group_id: int, view: View, filters: Filters, today: date, batch: int = 1000
) -> Iterator[Dispatch]:
    """Every dispatch of a view, fetched in batches (for exports)."""
    statement = (
        dispatches(group_id, view, filters, today)
        .options(
            load_only(*_LIST_COLUMNS, Dispatch.rule_id, Dispatch.days_to_answer),
            joinedload(Dispatch.letter).load_only(Letter.id, Letter.reference),
        )
        .execution_options(yield_per=batch)
    )
    yield from db.session.scalars(statement)


def open_due(group_id: int, batch: int = 1000) -> Iterator[sa.Row[tuple[object, ...]]]:
    """Open dispatches with a due date, as plain rows (for the calendar feed)."""
    statement = (
        sa.select(
            Dispatch.id,
            Dispatch.authority_name,
            Dispatch.due_on,
            Dispatch.due_kind,
            Dispatch.updated_at,
            Letter.reference,
        )
        .join(Letter, Letter.id == Dispatch.letter_id)
        .where(
            Dispatch.group_id == group_id,
            Dispatch.is_open.is_(True),
            Dispatch.due_on.is_not(None),
        )
        .order_by(Dispatch.due_on, Dispatch.id)
        .execution_options(yield_per=batch)
    )
    yield from db.session.execute(statement)


def due_within(
    days: int, today: date, group_id: int | None = None
) -> list[sa.Row[tuple[object, ...]]]:
    """Open dispatches due by ``today + days`` (overdue ones included), for the daily job."""

    statement = (
        sa.select(
            Group.slug,
            Dispatch.id,
            Dispatch.due_on,
            Dispatch.very_overdue_on,
            Dispatch.due_kind,
            Dispatch.country,
            Dispatch.authority_slug,
            Letter.reference,
        )
        .join(Group, Group.id == Dispatch.group_id)
        .join(Letter, Letter.id == Dispatch.letter_id)
        .where(Dispatch.is_open.is_(True), Dispatch.due_on <= today + timedelta(days=days))
        .order_by(Group.slug, Dispatch.due_on, Dispatch.id)
    )
    if group_id is not None:
        statement = statement.where(Dispatch.group_id == group_id)
    return list(db.session.execute(statement))


# --- responsiveness per authority ----------------------------------------------------------------


@dataclass
class AuthorityStats:
    """How one authority answers the group's letters.

    Each sent letter whose due date has passed, or that got an answering reply, falls in exactly
    one of: answered on the merits in time, answered on the merits late, a formal reply only,
    forwarded only, no answer. The others are not yet due (``pending``).
    """

    slug: str
    name: str
    sent: int
    in_time: int  # answered on the merits (refusals included) by the due date
    late: int  # answered on the merits after the due date
    formal: int  # only a formal reply (no answer on the merits)
    forwarded: int  # only forwarded to another body
    no_answer: int  # due date passed with no answering reply
    median_days: float | None  # to the first answering reply, from the day it was received

    @property
    def due(self) -> int:
        """The letters that count: answered, or due date passed."""
        return self.in_time + self.late + self.formal + self.forwarded + self.no_answer

    @property
    def pending(self) -> int:
        """Letters not yet due and not yet answered."""
        return self.sent - self.due

    @property
    def share_in_time(self) -> float | None:
        """Answered on the merits in time, out of the letters that count."""
        return self.in_time / self.due if self.due else None


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """The median of values given as sorted (value, how many) pairs."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    lower, upper = (total - 1) // 2, total // 2
    seen = 0
    low_value: int | None = None
    for value, n in histogram:
        if low_value is None and seen + n > lower:
            low_value = value
        if seen + n > upper:
            assert low_value is not None
            return (low_value + value) / 2
        seen += n
    return None


def authority_stats(group_id: int, filters: Filters, today: date) -> list[AuthorityStats]:
    """Per authority: sent, answered on the merits in time or late, formal replies, forwarded,
    no answer, and the median days to the first answering reply."""
    base = [Dispatch.group_id == group_id, Dispatch.sent_on.is_not(None), *filters.clauses()]
    on = Dispatch.merits_on  # the first reply on the merits (ReplyOutcome.on_the_merits)
    answered = Dispatch.answered_on.is_not(None)
    overdue = sa.and_(Dispatch.due_on.is_not(None), Dispatch.due_on < today)

    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    rows = db.session.execute(
        sa.select(
            Dispatch.authority_slug,
            sa.func.count(),
            # no due date (no rule known): an answer on the merits counts as in time
            count(
                sa.and_(on.is_not(None), sa.or_(Dispatch.due_on.is_(None), on <= Dispatch.due_on))
            ),
            count(sa.and_(on.is_not(None), on > Dispatch.due_on)),
            count(sa.and_(on.is_(None), answered, Dispatch.outcome != ReplyOutcome.FORWARDED)),
            count(sa.and_(on.is_(None), answered, Dispatch.outcome == ReplyOutcome.FORWARDED)),
            count(sa.and_(on.is_(None), sa.not_(answered), overdue)),
        )
        .where(*base)
        .group_by(Dispatch.authority_slug)
        .order_by(Dispatch.authority_slug)
    ).all()
    histogram: dict[str, list[tuple[int, int]]] = {}
    for slug, days, n in db.session.execute(
        sa.select(Dispatch.authority_slug, Dispatch.days_to_answer, sa.func.count())
        .where(*base, Dispatch.days_to_answer.is_not(None))
        .group_by(Dispatch.authority_slug, Dispatch.days_to_answer)
        .order_by(Dispatch.authority_slug, Dispatch.days_to_answer)
    ):
        histogram.setdefault(slug, []).append((days, n))
    return [
        AuthorityStats(
            slug=slug,
            name=slug,
            sent=sent,
            in_time=int(in_time or 0),
            late=int(late or 0),
            formal=int(formal or 0),
            forwarded=int(forwarded or 0),
            no_answer=int(no_answer or 0),
            median_days=_median(histogram.get(slug, [])),
        )
        for slug, sent, in_time, late, formal, forwarded, no_answer in rows
    ]


def stored_names(group_id: int, slugs: Sequence[str]) -> dict[str, str]:
    """The authority names stored with dispatches, for authorities no longer in the catalogue."""
    if not slugs:
        return {}
    rows = db.session.execute(
        sa.select(Dispatch.authority_slug, sa.func.max(Dispatch.authority_name))
        .where(Dispatch.group_id == group_id, Dispatch.authority_slug.in_(slugs))
        .group_by(Dispatch.authority_slug)
    )
    return {slug: name for slug, name in rows}
