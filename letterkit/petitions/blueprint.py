"""The petitions blueprint and what its two view modules share (``views``: petitions and the
public pages; ``private_views``: the signer key, moderation and the full export)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask import Blueprint, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField
from wtforms.validators import InputRequired

from letterkit.core.access import get_in_group_or_404
from letterkit.models import Petition

from .operations import PetitionError

bp = Blueprint("petitions", __name__, template_folder="templates")


class ConfirmForm(FlaskForm):
    """A button that changes something; carries only the CSRF token."""


class FullExportForm(FlaskForm):
    """Ask for the export with every signer's personal data, on purpose."""

    confirm = BooleanField(
        _l("I need the full personal data of every signer and will keep the file safe."),
        validators=[InputRequired(message=_l("Tick the box to export the full data."))],
    )


def message(error: PetitionError) -> str:
    """The error's message in the page's language (a draft that is not ready: with the letter
    builder's reason, translated too)."""
    params = dict(error.params)
    problem = getattr(error, "problem", None)
    if problem is not None:
        try:
            params["problem"] = _(problem).format(**getattr(error, "problem_params", {}))
        except (KeyError, IndexError, ValueError):
            params["problem"] = _(problem)
    return _(error.message).format(**params)


def group_petition(petition_id: int) -> Petition:
    """A petition of the current group, or 404."""
    return get_in_group_or_404(Petition, petition_id)


def page_args() -> tuple[int, str]:
    """The moderation list's page and filter."""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    show = request.args.get("show", "all")
    return page, show if show in {"all", "visible", "hidden"} else "all"


def when(moment: datetime | None) -> str:
    """A moment as exports write it."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def csv_response(lines: Iterator[str], filename: str) -> Response:
    """Stream CSV lines as a download."""
    response = Response(
        stream_with_context(line.encode("utf-8") for line in lines), mimetype="text/csv"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
