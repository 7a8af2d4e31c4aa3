"""The dashboard, the list of dispatches, responsiveness per authority and the CSV export."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

from babel import Locale
from flask import (
    Response,
    abort,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from letterkit.core.access import (
    coordinator_required,
    current_group,
    is_coordinator,
    member_required,
)
from letterkit.core.i18n import interface_language
from letterkit.services.catalogue import group_catalogue
from letterkit.tracking import exports, month, queries
from letterkit.tracking import operations as ops
from letterkit.tracking.views.common import (
    authorities_for,
    bad_request,
    bp,
    filter_choices,
    filters_from_request,
    status_of,
)

# --- dashboard and lists -------------------------------------------------------------------------


@bp.get("/")
@member_required
def dashboard() -> str:
    """Show what is due soon, overdue, very overdue, answered and refused."""
    group = current_group()
    filters = filters_from_request()
    today = ops.today()
    counts = queries.counts(group.id, filters, today)
    sections = [
        (
            view,
            counts[view],
            queries.page(group.id, view, filters, today, 1, queries.DASHBOARD_ROWS),
        )
        for view in queries.DASHBOARD_VIEWS
    ]
    unsent_total, unsent = queries.unsent_letters(group.id, filters, queries.DASHBOARD_ROWS)
    return render_template(
        "tracking/dashboard.html",
        calendar=_calendar(group.id, filters, today),
        weekdays=_weekdays(),
        month_arg=request.args.get("month", ""),
        sections=sections,
        unsent=unsent,
        unsent_total=unsent_total,
        filters=filters,
        authorities=authorities_for(filters.country),
        stale=ops.stale_count(group.id) if is_coordinator() else 0,
        coordinator=is_coordinator(),
        **filter_choices(),
    )


def _calendar(group_id: int, filters: queries.Filters, today: date) -> month.Month:
    """The month asked for (``?month=YYYY-MM``, this month by default) with its due dates."""
    first = month.parse_month(request.args.get("month"), today)
    if first is None:
        raise bad_request(_("The month must be written as YYYY-MM, for example 2026-12."))
    counts = queries.due_by_day(group_id, filters, first, month.last_day(first))
    return month.build(first, counts, today)


def _weekdays() -> list[tuple[str, str]]:
    """Monday to Sunday in the interface language: (abbreviated, full) names."""
    locale = get_locale() or Locale("en")
    short = locale.days["format"]["abbreviated"]
    wide = locale.days["format"]["wide"]
    return [(short[i], wide[i]) for i in range(7)]


@bp.app_template_filter("month_name")
def month_name(day: date) -> str:
    """A month and its year in the interface language ("December 2026", «декабрь 2026 г.»)."""
    return format_date(day, "LLLL y")


@bp.get("/dispatches")
@member_required
def dispatches() -> str:
    """List one view of the group's dispatches, a page at a time."""
    group = current_group()
    try:
        view = queries.View(request.args.get("view", "all"))
    except ValueError:
        abort(404)
    number = request.args.get("page", 1, type=int) or 1
    filters = filters_from_request()
    today = ops.today()
    total = queries.count(group.id, view, filters, today)
    pages = max(1, math.ceil(total / queries.PER_PAGE))
    if number < 1 or number > pages:
        abort(404)
    return render_template(
        "tracking/list.html",
        view=view,
        views=list(queries.View),
        rows=queries.page(group.id, view, filters, today, number),
        total=total,
        number=number,
        pages=pages,
        filters=filters,
        authorities=authorities_for(filters.country),
        coordinator=is_coordinator(),
        **filter_choices(),
    )


@bp.get("/unsent")
@member_required
def unsent() -> str:
    """List the group's final letters that were never sent, a page at a time."""
    group = current_group()
    number = request.args.get("page", 1, type=int) or 1
    filters = filters_from_request()
    if number < 1:
        abort(404)
    offset = (number - 1) * queries.PER_PAGE
    total, rows = queries.unsent_letters(group.id, filters, queries.PER_PAGE, offset)
    pages = max(1, math.ceil(total / queries.PER_PAGE))
    if number > pages:
        abort(404)
    return render_template(
        "tracking/unsent.html",
        rows=rows,
        total=total,
        number=number,
        pages=pages,
        filters=filters,
        authorities=authorities_for(filters.country),
        **filter_choices(),
    )


@bp.get("/authorities")
@member_required
def authorities() -> str:
    """Show how each authority answers: share answered in time, median days to answer."""
    group = current_group()
    filters = filters_from_request()
    stats = queries.authority_stats(group.id, filters, ops.today())
    catalogue = group_catalogue(group.id)
    lang = interface_language()
    missing = [s.slug for s in stats if s.slug not in catalogue.authorities]
    stored = queries.stored_names(group.id, missing)
    for row in stats:
        if row.slug in catalogue.authorities:
            row.name = catalogue.authorities[row.slug].name(lang).text
        else:
            row.name = stored.get(row.slug, row.slug)
    stats.sort(key=lambda s: s.name)
    return render_template(
        "tracking/authorities.html",
        stats=stats,
        filters=filters,
        authorities=authorities_for(filters.country),
        **filter_choices(),
    )


CSV_HEADER = (
    "dispatch",
    "letter_reference",
    "country",
    "authority",
    "authority_name",
    "method",
    "state",
    "planned_on",
    "sent_on",
    "delivered_on",
    "registration_number",
    "registered_on",
    "due_on",
    "due_kind",
    "due_estimate",
    "rule",
    "very_overdue_on",
    "lateness",
    "answered_on",
    "days_to_answer",
    "outcome",
)


@bp.get("/dispatches.csv")
@coordinator_required
def export_csv() -> Response:
    """Download the group's dispatches as CSV (no names of people)."""
    group = current_group()
    filters = filters_from_request()
    today = ops.today()

    def rows() -> Iterator[list[object]]:
        for d in queries.stream(group.id, queries.View.ALL, filters, today):
            yield [
                d.id,
                d.letter.reference,
                d.country,
                d.authority_slug,
                d.authority_name,
                d.method.value,
                d.state.value,
                d.planned_on,
                d.sent_on,
                d.delivered_on,
                d.registration_number,
                d.registered_on,
                d.due_on,
                d.due_kind,
                d.due_estimate,
                d.rule_id,
                d.very_overdue_on,
                status_of(d, today) if status_of(d, today).endswith("overdue") else "",
                d.answered_on,
                d.days_to_answer,
                d.outcome.value if d.outcome else "",
            ]

    body = stream_with_context(exports.csv_lines(CSV_HEADER, rows()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="dispatches-{today.isoformat()}.csv"'
    )
    return response
