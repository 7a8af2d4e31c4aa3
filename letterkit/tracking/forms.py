"""Forms for dispatches, registrations, extensions, replies, proofs and calendar links."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from letterkit import deadlines
from letterkit.catalogue import Catalogue
from letterkit.core.validators import ALWAYS_CHOSEN, NoControlCharacters, SingleLine, strip
from letterkit.models import DispatchMethod, ReplyChannel, ReplyOutcome

from .operations import MAX_SUMMARY, MAX_TARGET_DAYS


def _line(label: Any, max_length: int) -> StringField:
    return StringField(
        label,
        validators=[Optional(), Length(max=max_length), NoControlCharacters(), SingleLine()],
        filters=[strip],
    )


def _day(label: Any, required: bool = False) -> DateField:
    return DateField(label, validators=[InputRequired() if required else Optional()])


def method_choices() -> list[tuple[str, str]]:
    """The ways a group sends a letter (forwarding is done by authorities, not chosen)."""
    return [(m.value, _(m.label)) for m in DispatchMethod if m is not DispatchMethod.FORWARDED]


def kind_choices(country: str) -> list[tuple[str, str]]:
    """The kinds of proceeding whose reply rule differs in ``country``, after the general rule."""
    kinds = deadlines.load_rules().kinds_for(country)
    return [("", _("General rule for letters"))] + [
        (code, _(label)) for code, label in kinds.items()
    ]


def authority_choices(catalogue: Catalogue, lang: str) -> list[tuple[str, str]]:
    """Every authority of the group's catalogue, named with its country."""
    choices = [
        (slug, f"{authority.name(lang).text} ({authority.country})")
        for slug, authority in catalogue.authorities.items()
    ]
    return [("", _("— choose —"))] + sorted(choices, key=lambda item: item[1])


class DispatchForm(FlaskForm):
    """Record that a final letter was handed over or sent (or plan it)."""

    method = SelectField(_l("How it went"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN)
    planned = BooleanField(_l("Not sent yet: plan it"))
    planned_on = _day(_l("Planned date"))
    sent_on = _day(_l("Date it was handed over or sent"))
    delivered_on = _day(_l("Date the authority received it"))
    handed_by_id = SelectField(_l("Member who handed it over or sent it"), default="")
    handed_by_name = _line(_l("Or the name of who handed it over"), 120)
    registration_number = _line(_l("Incoming registration number"), 100)
    registered_on = _day(_l("Registration date"))
    proceeding_kind = SelectField(_l("Kind of proceeding"), default="")
    target_days = IntegerField(
        _l("Target in days, where the law sets no term"),
        validators=[Optional(), NumberRange(min=1, max=MAX_TARGET_DAYS)],
    )
    proof = FileField(_l("Photo or scan of the stamped copy, or the postal receipt"))

    def set_choices(self, members: list[tuple[int, str]], country: str) -> None:
        self.method.choices = method_choices()
        self.proceeding_kind.choices = kind_choices(country)
        self.handed_by_id.choices = [("", _("— nobody chosen —"))] + [
            (str(user_id), name) for user_id, name in members
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.planned.data and self.sent_on.data is None and not self.sent_on.errors:
            self.sent_on.errors.append(
                _("Enter the date it was handed over or sent, or mark it as planned.")
            )
            ok = False
        return ok


class SendForm(FlaskForm):
    """Record that a planned dispatch went out."""

    method = SelectField(_l("How it went"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN)
    sent_on = _day(_l("Date it was handed over or sent"), required=True)
    delivered_on = _day(_l("Date the authority received it"))

    def set_choices(self) -> None:
        self.method.choices = method_choices()


class RegistrationForm(FlaskForm):
    """The delivery day and the stamp on the sender's copy."""

    delivered_on = _day(_l("Date the authority received it"))
    registration_number = _line(_l("Incoming registration number"), 100)
    registered_on = _day(_l("Registration date"))


class TargetForm(FlaskForm):
    """A coordinator's target where the law sets no term."""

    target_days = IntegerField(
        _l("Target in days"),
        validators=[Optional(), NumberRange(min=1, max=MAX_TARGET_DAYS)],
    )


class ExtensionForm(FlaskForm):
    """An authority's notice that it extends the term."""

    notice_on = _day(_l("Date of the notice"), required=True)
    new_due_on = _day(_l("New due date"), required=True)


class ReplyForm(FlaskForm):
    """A reply from the authority."""

    received_on = _day(_l("Date the reply was received"), required=True)
    channel = SelectField(_l("How it came"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN)
    outcome = SelectField(_l("What it amounts to"), validators=[DataRequired()])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=MAX_SUMMARY), NoControlCharacters()],
        filters=[strip],
    )
    scan = FileField(_l("Scan of the reply (JPEG, PNG or PDF)"))

    def set_choices(self) -> None:
        self.channel.choices = [(c.value, _(c.label)) for c in ReplyChannel]
        # No outcome is preselected: a reply is not "answered on the merits" until someone says so.
        self.outcome.choices = [("", _("— choose —"))] + [
            (o.value, _(o.label)) for o in ReplyOutcome
        ]


class ProofForm(FlaskForm):
    """Another proof of delivery."""

    proof = FileField(
        _l("Photo or scan of the stamped copy, or the postal receipt"),
        validators=[FileRequired(_l("Choose a file."))],
    )


class ForwardForm(FlaskForm):
    """The body an authority forwarded the letter to."""

    authority = SelectField(_l("Authority it was forwarded to"), validators=[DataRequired()])
    sent_on = _day(_l("Date it was forwarded"), required=True)
    delivered_on = _day(_l("Date that body received it"))
    registration_number = _line(_l("Incoming registration number"), 100)
    registered_on = _day(_l("Registration date"))
    proceeding_kind = SelectField(_l("Kind of proceeding"), default="")

    def set_choices(self, catalogue: Catalogue, lang: str, country: str) -> None:
        """``country``: the forwarding authority's; the body it forwarded to is usually there."""
        self.authority.choices = authority_choices(catalogue, lang)
        self.proceeding_kind.choices = kind_choices(country)


class ConfirmForm(FlaskForm):
    """A button that changes something (the CSRF token only)."""
