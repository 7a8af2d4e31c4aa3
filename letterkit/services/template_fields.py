"""Form fields for a letter template's own fields (declared in its ``template.toml``), shared by
the compose details step and a campaign's texts."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from letterkit.core.validators import NoControlCharacters, SingleLine, strip
from letterkit.documents.templates import FieldSpec


def template_field(spec: FieldSpec, lang: str) -> Any:
    """A form field for one of the template's own fields, labelled in the interface language."""
    label = spec.label(lang)
    help_text = spec.help.get(lang) or spec.help.get("en") or ""
    required = [DataRequired()] if spec.required else [Optional()]
    if spec.type == "date":
        return DateField(label, validators=required, description=help_text)
    if spec.type == "integer":
        return IntegerField(
            label, validators=[*required, NumberRange(min=0, max=10**9)], description=help_text
        )
    limit = spec.max_length or (20_000 if spec.type == "textarea" else 500)
    validators = [*required, Length(max=limit), NoControlCharacters()]
    if spec.type == "textarea":
        return TextAreaField(label, validators=validators, filters=[strip], description=help_text)
    return StringField(
        label, validators=[*validators, SingleLine()], filters=[strip], description=help_text
    )
