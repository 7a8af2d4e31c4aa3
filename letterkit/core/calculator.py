"""The public deadline calculator: country, kind of letter and day of delivery in; the due date
and its full explanation out, in the interface language.

Anyone may use it without an account. It stores nothing and sets no cookie: the form is sent by
GET (so there is no CSRF token and no session), and the answer is computed by
:mod:`letterkit.deadlines` and worded like the tracking pages' explanations. It is rate-limited
per client address (``DEADLINE_RATE_LIMIT``). ``core.views`` serves it at ``/deadline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, ValidationError
from wtforms.validators import InputRequired, Optional

from letterkit import deadlines
from letterkit.deadlines.explanation import ESTIMATE, HEADINGS
from letterkit.extensions import limiter

from .speech import interface_speech

#: The earliest day the calculator accepts; the latest is a year from today.
FIRST_DAY = date(2000, 1, 1)
AHEAD = timedelta(days=366)


def _limit() -> str:
    return str(current_app.config["DEADLINE_RATE_LIMIT"])


def out_of_range(day: date | None) -> str | None:
    """Why the calculator refuses ``day`` (translated), or None when it takes it."""
    if day is None:
        return None
    last = date.today() + AHEAD
    if not FIRST_DAY <= day <= last:
        return _(
            "Give a day between %(first)s and %(last)s.",
            first=FIRST_DAY.isoformat(),
            last=last.isoformat(),
        )
    return None


def _in_range(form: Any, field: Any) -> None:
    refusal = out_of_range(field.data)
    if refusal is not None:
        raise ValidationError(refusal)


class CalculatorForm(FlaskForm):
    """What the calculator asks; sent by GET, without a CSRF token (nothing is stored)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Country"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of letter"), validators=[Optional()])
    delivered_on = DateField(
        _l("Day the letter was delivered"), validators=[InputRequired(), _in_range]
    )
    registered_on = DateField(
        _l("Day it was registered (if known)"), validators=[Optional(), _in_range]
    )

    def set_choices(self, book: deadlines.RuleBook) -> None:
        """Countries by their name in the interface language; the kinds of the chosen one."""
        countries = sorted(
            ((code, _(country.name)) for code, country in book.countries.items()),
            key=lambda pair: pair[1],
        )
        self.country.choices = [("", _("Choose a country"))] + countries
        chosen = self.country.data if self.country.data in book.countries else None
        kinds = book.kinds_for(chosen) if chosen else {}
        self.kind.choices = [("", _("General rule for letters"))] + [
            (code, _(label)) for code, label in kinds.items()
        ]

    def validate_registered_on(self, field: Any) -> None:
        if field.data and self.delivered_on.data and field.data < self.delivered_on.data:
            raise ValidationError(_("The registration cannot be before the delivery."))


@dataclass(frozen=True)
class Answer:
    """A due date with its heading and explanation in the interface language."""

    result: deadlines.DueResult
    heading: str
    estimate: str  # the estimate note, or "" when the due date is not an estimate
    lines: list[str]

    @property
    def legal(self) -> bool:
        return self.result.is_legal_deadline


def compute_answer(
    country: str,
    delivered_on: date,
    *,
    registered_on: date | None = None,
    kind: str | None = None,
    book: deadlines.RuleBook | None = None,
) -> Answer:
    """Compute a due date and word it as the calculator does (the API answers with it too).

    Raises :class:`deadlines.DeadlineError` when the engine refuses the inputs."""
    speech = interface_speech()
    result = deadlines.compute_due(
        country,
        delivered_on,
        registered_on=registered_on,
        authority_kind=kind,
        rules=book or deadlines.load_rules(),
    )
    heading = _(HEADINGS[result.kind]).format(
        day=deadlines.format_day(result.due, speech) if result.due else ""
    )
    return Answer(
        result=result,
        heading=heading,
        estimate=_(ESTIMATE) if result.estimate else "",
        lines=deadlines.explain(result, speech),
    )


def _answer(form: CalculatorForm, book: deadlines.RuleBook) -> Answer:
    """The due date, its heading and explanation; the engine's refusal is raised."""
    return compute_answer(
        form.country.data,
        form.delivered_on.data,
        registered_on=form.registered_on.data,
        kind=form.kind.data or None,
        book=book,
    )


@limiter.limit(_limit)
def deadline() -> tuple[str, int]:
    """Compute when a reply is due, for anyone, storing nothing."""
    book = deadlines.load_rules()
    asked = bool(request.args)
    form = CalculatorForm(formdata=request.args if asked else None)
    form.set_choices(book)
    answer = None
    status = 200
    if asked:
        if form.validate():
            try:
                answer = _answer(form, book)
            except deadlines.DeadlineError as error:
                form.form_errors.append(_(error.template).format(**error.params))
        if form.errors or form.form_errors:
            status = 422
    return render_template("core/deadline.html", form=form, answer=answer), status
