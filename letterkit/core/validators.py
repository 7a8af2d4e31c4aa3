"""Field validators and filters shared by every form."""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, ValidationError

from letterkit.textchars import has_forbidden


def strip(value: Any) -> Any:
    """Trim surrounding white space and normalise to NFC; leave non-strings alone."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    return value


def lower(value: Any) -> Any:
    """Lower-case a string value."""
    return value.lower() if isinstance(value, str) else value


class NoControlCharacters:
    """Refuse control characters that cannot go into a letter or a page."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and has_forbidden(field.data):
            raise ValidationError(
                self.message or _l("Remove the invisible control characters from this field.")
            )


class SingleLine:
    """Refuse line breaks in a one-line field."""

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and ("\n" in field.data or "\r" in field.data):
            raise ValidationError(_l("This field takes a single line."))


# For a select that always sends one of its values (every option has one, a default is chosen):
# `required` on it is invalid HTML unless its first option is an empty placeholder, and it would
# add nothing. The form's DataRequired still refuses a request without a value.
ALWAYS_CHOSEN = {"required": False}
