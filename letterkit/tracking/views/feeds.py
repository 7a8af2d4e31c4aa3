"""The calendar feed: its secret link, made and revoked by coordinators, and the ICS it serves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from letterkit.core.access import (
    coordinator_required,
    current_group,
)
from letterkit.tracking import exports, queries
from letterkit.tracking import operations as ops
from letterkit.tracking.forms import (
    ConfirmForm,
)
from letterkit.tracking.views.common import (
    bp,
)

# --- calendar feed -------------------------------------------------------------------------------


@bp.get("/calendar")
@coordinator_required
def calendar() -> str:
    """Show the group's calendar link, to create or revoke it."""
    return render_template(
        "tracking/calendar.html",
        feed=ops.active_feed(current_group()),
        link=None,
    )


@bp.post("/calendar")
@coordinator_required
def create_calendar() -> str:
    """Make a new secret calendar link (the old one stops working)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    feed, token = ops.create_feed(current_group(), current_user)
    return render_template(
        "tracking/calendar.html",
        feed=feed,
        link=url_for("tracking.calendar_feed", token=token, _external=True),
    )


@bp.post("/calendar/revoke")
@coordinator_required
def revoke_calendar() -> Response:
    """Make the calendar link stop working."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if ops.revoke_feed(current_group(), current_user):
        flash(
            _("The calendar link was revoked. Calendars that used it get nothing more."), "success"
        )
    return redirect(url_for("tracking.calendar"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str) -> Response:
    """Serve the group's due dates as an iCalendar feed to whoever holds the secret link."""
    feed = ops.find_feed(token)
    if feed is None:
        abort(404)
    group_id = feed.group_id
    now = datetime.now(UTC)
    summary = _("Reply due: {authority} ({reference})")
    kinds = {
        "statutory": _("Due by law."),
        "guidance": _("Expected under guidance, not law."),
        "target": _("The group's target, not a legal deadline."),
    }

    def events() -> Iterator[exports.Event]:
        for row in queries.open_due(group_id):
            reference = row.reference or "—"
            yield exports.Event(
                uid=f"dispatch-{row.id}@letterkit",
                day=row.due_on,
                summary=summary.format(authority=row.authority_name, reference=reference),
                description=kinds.get(row.due_kind or "", ""),
                stamp=row.updated_at,
            )

    body = stream_with_context(
        exports.calendar_lines(_("letterkit: replies due"), events(), now=now)
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="letterkit.ics"'
    return response
