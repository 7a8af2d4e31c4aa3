"""The form of a check of an authority's printed details, and what the authority page shows
about checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from letterkit.core.access import current_group
from letterkit.core.validators import strip
from letterkit.extensions import db
from letterkit.models import AuthorityCheck, User
from letterkit.services import verification as checks


class CheckForm(FlaskForm):
    """A check of an authority's printed details against a source."""

    checked_on = DateField(_l("Checked on"), validators=[InputRequired()])
    source_kind = SelectField(_l("Checked against"), default="web")
    source = StringField(_l("Source"), filters=[strip], validators=[Optional()])
    parts = SelectMultipleField(_l("Printed parts you checked"), validators=[Optional()])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional()])

    def set_choices(self) -> None:
        """Offer the kinds of source and the printed parts, translated."""
        self.source_kind.choices = [(k, _(label)) for k, label in checks.SOURCE_KINDS.items()]
        self.parts.choices = [(k, _(label)) for k, label in checks.PARTS.items()]


def checker_names(found: list[AuthorityCheck]) -> dict[int, str]:
    """Who recorded each check (members of the group see each other's names)."""
    ids = {c.checked_by_id for c in found if c.checked_by_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def checks_context(slug: str, form: CheckForm | None = None) -> dict[str, Any]:
    """What the authority page shows about checks (also used by its view)."""
    known = checks.verification(current_group().id, slug)
    if form is None:
        form = CheckForm(data={"checked_on": date.today(), "parts": list(known.unverified)})
    form.set_choices()
    return {
        "verification": known,
        "check_form": form,
        "checked_by": checker_names(list(known.checks)),
        "part_labels": checks.PARTS,
    }
