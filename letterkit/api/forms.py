"""The form of the group settings' API token page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from .tokens import NAME_MAX


class TokenForm(FlaskForm):
    """Name a new token and say whether it may only read."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        description=_l("What uses it, e.g. “Coalition spreadsheet”."),
    )
    read_only = BooleanField(_l("Read only (cannot change anything)"))


class RevokeForm(FlaskForm):
    """The revoke button (the CSRF token only)."""
