"""What the tracking pages share: the blueprint, messages, filters, form to input."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    request,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

from letterkit import deadlines
from letterkit.core.access import (
    current_group,
)
from letterkit.core.i18n import interface_language
from letterkit.core.speech import interface_speech
from letterkit.deadlines.explanation import HEADINGS
from letterkit.extensions import db
from letterkit.models import (
    Campaign,
    Dispatch,
    DispatchMethod,
)
from letterkit.services.catalogue import group_catalogue
from letterkit.tracking import files, queries
from letterkit.tracking import operations as ops
from letterkit.tracking.forms import (
    DispatchForm,
    ForwardForm,
)

bp = Blueprint(
    "tracking",
    __name__,
    url_prefix="/tracking",
    root_path=str(Path(__file__).resolve().parents[1]),
    template_folder="templates",
)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


# --- helpers -------------------------------------------------------------------------------------


def message(error: ops.TrackingError | deadlines.DeadlineError) -> str:
    """Translate an error first and format it after."""
    if isinstance(error, deadlines.DeadlineError):
        return _(error.template).format(**error.params)
    params = {
        key: (_(value) if key in error.translate else value) for key, value in error.params.items()
    }
    return _(error.message).format(**params)


def attach(form: FlaskForm, error: ops.TrackingError) -> None:
    """Put an operation's refusal next to the field it concerns (or above the form)."""
    text = message(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(text)
    else:
        field.errors = [*field.errors, text]


def upload(field: Any) -> bytes | None:
    """The bytes of an uploaded file, read no further than needed to refuse a large one."""
    storage = field.data
    if storage is None or not getattr(storage, "filename", None):
        return None
    return files.read_limited(storage.stream, files.MAX_FILE_BYTES)


def due_heading(dispatch: Dispatch) -> str:
    """One line: the due date and what kind of date it is."""
    if dispatch.method is DispatchMethod.REFUSED:
        return _("Refused at the door: no reply is due. Send the letter by registered post.")
    if dispatch.due_kind is None:
        return _("Not sent yet: no due date.")
    if dispatch.due_kind == "error":
        return _("The due date could not be computed.")
    heading = _(HEADINGS[deadlines.ResultKind(dispatch.due_kind)])
    day = deadlines.format_day(dispatch.due_on, interface_speech()) if dispatch.due_on else ""
    return heading.format(day=day)


def explanation_lines(data: dict[str, Any] | None) -> list[str]:
    """The stored explanation, sentence by sentence, in the interface language."""
    return deadlines.explain_data(data, interface_speech())


def status_of(dispatch: Dispatch, today: date) -> str:
    """The dispatch's state, or lateness where that is what matters."""
    if ops.is_very_overdue(dispatch, today):
        return "very_overdue"
    if ops.is_overdue(dispatch, today):
        return "overdue"
    return dispatch.state.value


STATUS_LABELS = {
    "very_overdue": queries.VIEW_LABELS[queries.View.VERY_OVERDUE],
    "overdue": queries.VIEW_LABELS[queries.View.OVERDUE],
}


@bp.context_processor
def _helpers() -> dict[str, Any]:
    today = ops.today()
    return {
        "tracking_status": lambda d: status_of(d, today),
        "tracking_status_label": lambda d: _(
            STATUS_LABELS.get(status_of(d, today)) or d.state.label
        ),
        "tracking_day": lambda day: deadlines.format_day(day, interface_speech()) if day else "",
        "tracking_term": lambda days: deadlines.term_text(
            days, "calendar_days", interface_speech()
        ),
    }


def filters_from_request() -> queries.Filters:
    country = request.args.get("country", "").strip().upper()
    authority = request.args.get("authority", "").strip()
    catalogue = group_catalogue(current_group().id)
    campaign = request.args.get("campaign", type=int)
    if campaign is not None:
        found = db.session.get(Campaign, campaign)
        campaign = found.id if found is not None and found.group_id == current_group().id else None
    return queries.Filters(
        country=country if country in catalogue.countries else None,
        authority=authority if _SLUG.match(authority) else None,
        campaign=campaign,
        due=_due_from_request(),
    )


def _due_from_request() -> date | None:
    """The ``due`` filter (``YYYY-MM-DD``); a value that is no date is a clear 400."""
    value = request.args.get("due", "").strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise bad_request(
            _("The due date must be a day written as YYYY-MM-DD, for example 2026-12-01.")
        ) from None


def filter_choices() -> dict[str, Any]:
    catalogue = group_catalogue(current_group().id)
    lang = interface_language()
    countries = sorted(
        ((code, c.name(lang).text) for code, c in catalogue.countries.items()),
        key=lambda item: item[1],
    )

    campaigns = db.session.execute(
        sa.select(Campaign.id, Campaign.name)
        .where(Campaign.group_id == current_group().id)
        .order_by(Campaign.id.desc())
    ).all()
    return {"filter_countries": countries, "filter_campaigns": campaigns}


def authorities_for(country: str | None) -> list[tuple[str, str]]:
    catalogue = group_catalogue(current_group().id)
    lang = interface_language()
    found = catalogue.authorities_for(country) if country else catalogue.authorities.values()
    return sorted(((a.slug or "", a.name(lang).text) for a in found), key=lambda item: item[1])


def new_dispatch_input(form: DispatchForm, *, coordinator: bool) -> ops.DispatchInput:
    planned = bool(form.planned.data)
    return ops.DispatchInput(
        method=DispatchMethod(form.method.data),
        sent_on=None if planned else form.sent_on.data,
        planned_on=form.planned_on.data if planned else None,
        delivered_on=None if planned else form.delivered_on.data,
        handed_by_id=int(form.handed_by_id.data) if form.handed_by_id.data else None,
        handed_by_name=form.handed_by_name.data or "",
        registration_number="" if planned else (form.registration_number.data or ""),
        registered_on=None if planned else form.registered_on.data,
        proceeding_kind=form.proceeding_kind.data or None,
        target_days=form.target_days.data if coordinator else None,
    )


def forward_input(form: ForwardForm) -> ops.DispatchInput:
    return ops.DispatchInput(
        method=DispatchMethod.FORWARDED,
        sent_on=form.sent_on.data,
        delivered_on=form.delivered_on.data,
        registration_number=form.registration_number.data or "",
        registered_on=form.registered_on.data,
        proceeding_kind=form.proceeding_kind.data or None,
    )


def bad_request(text: str) -> BadRequest:
    error = BadRequest()
    error.letterkit_message = text  # type: ignore[attr-defined]
    return error
