"""Tracking's panels on the home page: replies due soon, replies overdue, final letters that
were never sent (connected to :data:`letterkit.core.signals.home_panels` in ``create_app``)."""

from __future__ import annotations

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from letterkit.core.home import PANEL_ROWS, HomeItem, HomePanel
from letterkit.models import Dispatch, Group, Letter
from letterkit.tracking import operations as ops
from letterkit.tracking import queries
from letterkit.tracking.queries import Filters, View


def _dispatch_item(dispatch: Dispatch) -> HomeItem:
    due = format_date(dispatch.due_on) if dispatch.due_on else ""
    return HomeItem(
        text=dispatch.authority_name,
        url=url_for("tracking.dispatch", dispatch_id=dispatch.id),
        detail=_("due %(day)s", day=due) if due else "",
    )


def _letter_item(letter: Letter) -> HomeItem:
    return HomeItem(
        text=letter.authority_name or letter.authority_slug,
        url=url_for("tracking.new_dispatch", letter_id=letter.id),
        detail=letter.reference or "",
    )


def panels(group: Group) -> list[HomePanel]:
    """Due in the next 7 days, overdue (very overdue first), final letters not yet sent."""
    today = ops.today()
    every = Filters()
    due_soon = queries.count(group.id, View.DUE_SOON, every, today)
    very = queries.count(group.id, View.VERY_OVERDUE, every, today)
    overdue = queries.count(group.id, View.OVERDUE, every, today)
    late_rows = queries.page(group.id, View.VERY_OVERDUE, every, today, 1, PANEL_ROWS)
    if len(late_rows) < PANEL_ROWS:
        late_rows += queries.page(
            group.id, View.OVERDUE, every, today, 1, PANEL_ROWS - len(late_rows)
        )
    unsent_count, unsent = queries.unsent_letters(group.id, every, PANEL_ROWS)
    return [
        HomePanel(
            order=10,
            key="overdue",
            title=_("Replies overdue"),
            count=very + overdue,
            items=[_dispatch_item(d) for d in late_rows],
            more_url=url_for("tracking.dispatches", view=View.OVERDUE.value),
            more_text=_("All overdue"),
            urgent=True,
            links=(
                [(_("Very overdue"), url_for("tracking.dispatches", view=View.VERY_OVERDUE.value))]
                if very
                else []
            ),
        ),
        HomePanel(
            order=20,
            key="due-soon",
            title=_("Replies due in the next 7 days"),
            count=due_soon,
            items=[
                _dispatch_item(d)
                for d in queries.page(group.id, View.DUE_SOON, every, today, 1, PANEL_ROWS)
            ],
            more_url=url_for("tracking.dispatches", view=View.DUE_SOON.value),
            more_text=_("All due soon"),
        ),
        HomePanel(
            order=30,
            key="unsent",
            title=_("Final letters not yet sent"),
            count=unsent_count,
            items=[_letter_item(letter) for letter in unsent],
            more_url=url_for("tracking.dashboard") + "#section-unsent",
            more_text=_("All on the tracking page"),
        ),
    ]
