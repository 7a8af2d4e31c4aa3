"""Forms: the public signing form and the coordinator's petition settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    Form,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    NumberRange,
    Optional,
    StopValidation,
)

from letterkit.config import letter_languages
from letterkit.core.i18n import language_name
from letterkit.core.validators import NoControlCharacters, SingleLine, lower, strip
from letterkit.models import DISPLAY_LABELS, SIGNER_KIND_LABELS, Display, SignerKind
from letterkit.services.countries import country_codes

from .operations import MAX_TEXT

NAME_MAX = 200
CITY_MAX = 120
EMAIL_MAX = 254
TITLE_MAX = 300
RETENTION_MAX = 3650
GOAL_MAX = 10_000_000


class MaxLength:
    """Refuse text longer than ``limit`` characters, saying how long it may be (and nothing
    else: the field's other checks do not run on such text)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and len(field.data) > self.limit:
            raise StopValidation(
                _("This is too long: at most {limit} characters.").format(limit=self.limit)
            )


class KnownCountry:
    """Accept only a country from the list."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data not in country_codes():
            raise ValidationError(_("Choose a country from the list."))


def _required() -> DataRequired:
    return DataRequired(message=_l("This is required."))


def _line(label: Any, limit: int, *, required: bool) -> StringField:
    return StringField(
        label,
        validators=[
            _required() if required else Optional(),
            MaxLength(limit),
            NoControlCharacters(),
            SingleLine(),
        ],
        filters=[strip],
    )


# Lazy labels, translated when the form is rendered in the page's language.
DISPLAY_CHOICES = [SelectChoice(d.value, _l(DISPLAY_LABELS[d])) for d in Display]
KIND_CHOICES = [SelectChoice(k.value, _l(SIGNER_KIND_LABELS[k])) for k in SignerKind]


class SignForm(FlaskForm):
    """A supporter signs: who they are, where from, how they appear, and their consent.

    Least data: a counted-only signer gives a name and a country (preselected from the
    petition's letter) and nothing else; the city and the e-mail are optional for them. The
    name is what lets the group stand behind its count: each counted signature is a person the
    coordinators could name if the count were challenged, and the name (with the city, when
    given) is the duplicate key when no e-mail is given. It is sealed to the group's key: nobody
    but the group's coordinators, after unlocking the key and a recorded "reveal" step, reads
    it. Signers listed with their name or initials give their city too: the annex prints it.

    The view checks the form's token against the signing cookie (see ``signing``) before it
    builds the form: supporters have no session, so the form has no session-bound CSRF field.
    """

    class Meta:
        csrf = False

    kind = RadioField(_l("I sign as"), choices=KIND_CHOICES, default=SignerKind.PERSON.value)
    name = _line(_l("Name of the person or the organisation"), NAME_MAX, required=True)
    city = _line(_l("City"), CITY_MAX, required=False)
    country = SelectField(
        _l("Country"), validators=[_required(), KnownCountry()], validate_choice=False
    )
    email = EmailField(
        _l("E-mail (individuals, optional)"),
        validators=[
            Optional(),
            MaxLength(EMAIL_MAX),
            NoControlCharacters(),
            Email(
                message=_l("Enter an e-mail address such as name@example.org."),
                check_deliverability=False,
            ),
        ],
        filters=[strip, lower],
    )
    contact_person = _line(_l("Contact person (organisations, optional)"), NAME_MAX, required=False)
    display = RadioField(_l("How you appear in the list of signatories"), choices=DISPLAY_CHOICES)
    consent = BooleanField(
        _l("I agree to this use of my data."),
        validators=[InputRequired(message=_l("Please agree to the use of your data to sign."))],
    )
    # A honeypot: hidden from people, filled in by form-filling robots.
    homepage = StringField(_l("Leave this field empty"), filters=[strip])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends the city's own checks when it is empty, so this one runs here.
        if not self.city.data and not self.city.errors and self.display.data != "count":
            self.city.errors = [_("This is required when you are listed by name or initials.")]
            valid = False
        return valid

    def validate_display(self, field: Field) -> None:
        if self.kind.data == SignerKind.ORGANISATION.value and field.data == Display.INITIALS.value:
            raise ValidationError(_("Organisations are listed by name or counted only."))

    @property
    def is_robot(self) -> bool:
        """Whether the honeypot was filled in."""
        return bool(self.homepage.data)


def _passphrase(label: Any, autocomplete: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[_required(), MaxLength(1000)],
        render_kw={"autocomplete": autocomplete},
    )


class CreateKeyForm(FlaskForm):
    """Set the passphrase of the group's new signer key, knowing what losing it means."""

    passphrase = _passphrase(_l("Passphrase"), "new-password")
    repeat = _passphrase(_l("The passphrase again"), "new-password")
    understood = BooleanField(
        _l(
            "I understand: if every coordinator forgets this passphrase, the signers' personal "
            "data can never be read again, by anyone."
        ),
        validators=[InputRequired(message=_l("Tick the box to set the passphrase."))],
    )


class UnlockForm(FlaskForm):
    """Unlock the group's signer key for this browser session."""

    passphrase = _passphrase(_l("Passphrase"), "current-password")


class ChangeKeyForm(FlaskForm):
    """Give the group's signer key a new passphrase (the old one is needed)."""

    # Names of their own: the page shows this form beside the unlock form.
    old = _passphrase(_l("Current passphrase"), "current-password")
    new_passphrase = _passphrase(_l("New passphrase"), "new-password")
    new_repeat = _passphrase(_l("The new passphrase again"), "new-password")


def translation_languages(own: str) -> list[str]:
    """Letter languages a coordinator may paste a translation in, besides the letter's own."""
    return [lang for lang in letter_languages() if lang != own]


class PetitionForm(FlaskForm):
    """Goal, closing date, default display, retention and translations of the text."""

    default_display = SelectField(
        _l("How signers appear unless they choose otherwise"),
        choices=DISPLAY_CHOICES,
        default=Display.COUNT.value,
    )
    goal = IntegerField(
        _l("Goal: number of signatures (optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=GOAL_MAX, message=_l("Enter a whole number from 1 upwards.")),
        ],
    )
    closes_on = DateField(_l("Closing date (optional)"), validators=[Optional()])
    retention_days = IntegerField(
        _l("Days after signing closes until signers' personal data is deleted"),
        validators=[
            InputRequired(message=_l("This is required.")),
            NumberRange(
                min=1,
                max=RETENTION_MAX,
                message=_l("Enter a number of days from 1 to 3650."),
            ),
        ],
        default=90,
    )

    def __init__(
        self,
        *args: Any,
        own_language: str,
        today: date,
        saved_closes_on: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.own_language = own_language
        self.today = today
        self.saved_closes_on = saved_closes_on
        for lang in letter_languages():
            name = language_name(lang)
            getattr(self, f"title_{lang}").label.text = _("Title in {language}").format(
                language=name
            )
            getattr(self, f"body_{lang}").label.text = _("Text in {language}").format(language=name)

    def translation_fields(self) -> list[tuple[str, Any, Field, Field]]:
        """(lang, language name, title field, body field) for each language but the letter's."""
        return [
            (
                lang,
                language_name(lang),
                getattr(self, f"title_{lang}"),
                getattr(self, f"body_{lang}"),
            )
            for lang in translation_languages(self.own_language)
        ]

    def translations(self) -> dict[str, tuple[str, str]]:
        """The translations typed in, by language."""
        return {
            lang: (title.data or "", body.data or "")
            for lang, _name, title, body in self.translation_fields()
        }

    def validate_closes_on(self, field: Field) -> None:
        if (
            field.data is not None
            and field.data != self.saved_closes_on
            and field.data < self.today
        ):
            raise ValidationError(_("The closing date has passed. Choose today or a later day."))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for _lang, _name, title, body in self.translation_fields():
            if bool(title.data) != bool(body.data):
                empty = body if title.data else title
                empty.errors = [
                    *empty.errors,
                    _("Fill in both the title and the text in this language."),
                ]
                valid = False
        return valid


# A title and a text for each letter language of the registry (labelled per request).
for _lang in letter_languages():
    setattr(PetitionForm, f"title_{_lang}", _line("", TITLE_MAX, required=False))
    setattr(
        PetitionForm,
        f"body_{_lang}",
        TextAreaField(
            "", validators=[Optional(), MaxLength(MAX_TEXT), NoControlCharacters()], filters=[strip]
        ),
    )
