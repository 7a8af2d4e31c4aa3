"""Forms for accounts and groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from letterkit.core.i18n import autonym, interface_language
from letterkit.core.validators import NoControlCharacters, SingleLine, lower, strip
from letterkit.models import ROLE_LABELS, Role
from letterkit.services.languages import letter_language_choices as named_letter_languages

PASSWORD_MIN = 10
PASSWORD_MAX = 200


def interface_language_choices() -> list[tuple[str, str]]:
    """The interface languages, each named in itself."""
    return [(code, autonym(code)) for code in current_app.config["LANGUAGES"]]


def letter_language_choices() -> list[tuple[str, str]]:
    """The letter languages of the registry, named in the interface language."""
    return named_letter_languages(interface_language())


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, _l(ROLE_LABELS[role])) for role in Role]


def _line(label: str, max_length: int, required: bool = True) -> StringField:
    validators = [DataRequired() if required else Optional(), Length(max=max_length)]
    return StringField(
        label,
        validators=[*validators, NoControlCharacters(), SingleLine()],
        filters=[strip],
    )


def _email(required: bool = True) -> EmailField:
    return EmailField(
        _l("E-mail"),
        validators=[
            DataRequired() if required else Optional(),
            Length(max=254),
            Email(
                message=_l("Enter an e-mail address such as name@example.org."),
                check_deliverability=False,
            ),
        ],
        filters=[strip, lower],
    )


def _new_password() -> PasswordField:
    return PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Use between %(min)d and %(max)d characters.",
                    min=PASSWORD_MIN,
                    max=PASSWORD_MAX,
                ),
            ),
        ],
    )


def _confirm() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class PersonFields(FlaskForm):
    """The fields of a new account."""

    display_name = _line(_l("Your name as the group sees it"), 120)
    email = _email()
    password = _new_password()
    confirm = _confirm()
    interface_language = SelectField(_l("Interface language"), choices=interface_language_choices)


class SetupForm(PersonFields):
    """First run: the first group and its coordinator."""

    group_name = _line(_l("Name of your group or organisation"), 200)
    default_letter_language = SelectField(
        _l("Usual language of your letters"), choices=letter_language_choices
    )
    load_examples = BooleanField(
        _l("Load the 2011 and 2019 campaigns as examples (draft letters you can look through)")
    )


class AcceptInvitationForm(PersonFields):
    """A new member sets up their account from an invitation."""


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    password = _new_password()
    confirm = _confirm()


class InviteForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices, default=Role.MEMBER.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)


class ConfirmForm(FlaskForm):
    """A button that changes something; carries only the CSRF token."""


class GroupForm(FlaskForm):
    """The group's details, used in every letter it sends. The printed name, address and signer
    are kept per script: see ``group_form``."""

    name = _line(_l("Name of the group"), 200)
    email = _email(required=False)
    phone = _line(_l("Telephone"), 64, required=False)
    website = _line(_l("Website"), 300, required=False)
    default_letter_language = SelectField(
        _l("Usual language of letters"), choices=letter_language_choices
    )
    reference_prefix = StringField(
        _l("Prefix of reference numbers"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(r"^[A-Za-z0-9-]*$", message=_l("Use only Latin letters, digits and hyphens.")),
        ],
        filters=[strip, lambda v: v.upper() if isinstance(v, str) else v],
    )


def _address_field() -> TextAreaField:
    return TextAreaField(
        _l("Postal address"),
        validators=[Optional(), Length(max=1000), NoControlCharacters()],
        filters=[strip],
    )


def _name_form_fields() -> dict[str, Field]:
    return {
        "name": _line(_l("Name of the group as printed"), 200, required=False),
        "address": _address_field(),
        "signer_name": _line(_l("Name of the person who signs letters"), 200, required=False),
        "signer_title": _line(_l("Their title"), 200, required=False),
    }


def name_field_id(script: str, field: str) -> str:
    """The form field of ``field`` (name, address, signer_name, signer_title) in ``script``."""
    return f"{script.lower()}_{field}"


def group_form(scripts: Sequence[str], **kwargs: Any) -> GroupForm:
    """The group's details form, with the printed name, address and signer once for each of
    ``scripts`` (ISO 15924, from languages.toml)."""

    class _Form(GroupForm):
        pass

    for script in scripts:
        for field, unbound in _name_form_fields().items():
            setattr(_Form, name_field_id(script, field), unbound)
    return _Form(**kwargs)


class LetterheadForm(FlaskForm):
    """Upload the group's letterhead (.docx)."""

    letterhead = FileField(
        _l("Letterhead (.docx, at most 5 MB)"), validators=[FileRequired(_l("Choose a file."))]
    )
