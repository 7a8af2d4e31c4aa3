"""Forms of the compose steps. The template's own fields become a form built from its toml."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from letterkit.core.validators import NoControlCharacters, SingleLine, strip
from letterkit.documents.templates import TemplateSpec
from letterkit.services.languages import letter_language_choices
from letterkit.services.template_fields import template_field

PARAGRAPH_LIMIT = 5000
OWN_PARAGRAPH_SLOTS = 3

# Every option of these selects has a value and one is always chosen: `required` on them would be
# invalid HTML (core.validators.ALWAYS_CHOSEN says why); DataRequired still checks the request.
ALWAYS_CHOSEN_SELECT = {"required": False}


class TemplateForm(FlaskForm):
    """Which template, and in which language the letter is written."""

    template = SelectField(
        _l("Kind of letter"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN_SELECT
    )
    language = SelectField(
        _l("Language of the letter"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN_SELECT
    )

    def set_choices(self, specs: list[TemplateSpec], lang: str, offered: list[str]) -> None:
        """Offer the templates, and the letter languages named in ``lang``, ``offered`` first."""
        self.template.choices = [(spec.slug, spec.title(lang)) for spec in specs]
        self.language.choices = letter_language_choices(lang, offered)


class DetailsForm(FlaskForm):
    """Where and when the letter is written; the template's fields are added per template."""

    place = StringField(
        _l("Place (printed next to the date)"),
        validators=[Optional(), Length(max=120), NoControlCharacters(), SingleLine()],
        filters=[strip],
    )
    letter_date = DateField(
        _l("Date of the letter (empty: the day it is finalised)"), validators=[Optional()]
    )
    signer_name = StringField(
        _l("Signed by"),
        validators=[Optional(), Length(max=200), NoControlCharacters(), SingleLine()],
        filters=[strip],
    )
    signer_title = StringField(
        _l("Their title"),
        validators=[Optional(), Length(max=200), NoControlCharacters(), SingleLine()],
        filters=[strip],
    )


def details_form(spec: TemplateSpec, lang: str, **kwargs: Any) -> DetailsForm:
    """The details form with a ``f_<name>`` field for each of the template's fields."""

    class _Form(DetailsForm):
        pass

    for field_spec in spec.fields:
        setattr(_Form, f"f_{field_spec.name}", template_field(field_spec, lang))
    return _Form(**kwargs)


def template_fields(form: DetailsForm) -> list[Field]:
    """The template's own fields of a details form, in order."""
    return [field for field in form if field.name.startswith("f_")]


class OwnParagraphs:
    """Paragraphs of the group's own, read from the demands step (``paragraph`` inputs)."""

    @staticmethod
    def read(values: list[str]) -> tuple[list[str], list[str]]:
        """Return the paragraphs and the problems (translated) found in them."""
        paragraphs, problems = [], []
        for value in values:
            text = value.strip()
            if not text:
                continue
            if len(text) > PARAGRAPH_LIMIT:
                problems.append(
                    _("A paragraph may have at most %(limit)d characters.", limit=PARAGRAPH_LIMIT)
                )
                continue
            paragraphs.append(text)
        return paragraphs, problems
