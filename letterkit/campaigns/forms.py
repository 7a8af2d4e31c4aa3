"""Forms for campaigns."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from letterkit.core.i18n import language_name
from letterkit.core.validators import NoControlCharacters, SingleLine, strip
from letterkit.documents.templates import TemplateSpec
from letterkit.services.template_fields import template_field

from .operations import HolderNeeded

# Every option of these selects has a value and one is always chosen: `required` on them would be
# invalid HTML (core.validators.ALWAYS_CHOSEN says why); DataRequired still checks the request.
ALWAYS_CHOSEN_SELECT = {"required": False}

#: How the forms of address are offered on the campaign page.
FORM_LABELS = {"female": _l("A woman"), "male": _l("A man"), "neutral": _l("Neutral")}


class CampaignForm(FlaskForm):
    """A campaign's name, day, kind of letter, demands and how the letters go out."""

    name = StringField(
        _l("Name of the campaign"),
        validators=[DataRequired(), Length(max=200), NoControlCharacters(), SingleLine()],
        filters=[strip],
    )
    action_date = DateField(_l("Action day"), validators=[Optional()])
    template = SelectField(
        _l("Kind of letter"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN_SELECT
    )
    demand_set = SelectField(
        _l("Demands"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN_SELECT
    )
    method = SelectField(
        _l("How the letters go out"), validators=[DataRequired()], render_kw=ALWAYS_CHOSEN_SELECT
    )


def fields_form(spec: TemplateSpec, lang: str, **kwargs: Any) -> FlaskForm:
    """The template's own fields (``f_<name>``), labelled in the interface language."""

    class _Form(FlaskForm):
        pass

    for field_spec in spec.fields:
        setattr(_Form, f"f_{field_spec.name}", template_field(field_spec, lang))
    return _Form(**kwargs)


def holder_field_name(target_id: int) -> str:
    """The name of the select that asks for one target's holder form."""
    return f"holder_{target_id}"


def holders_form(needed: list[HolderNeeded], choose: str, **kwargs: Any) -> FlaskForm:
    """One optional select per target whose office holder's form is missing: only the forms
    its letter language offers are valid choices."""

    class _Form(FlaskForm):
        pass

    for item in needed:
        field = SelectField(
            f"{item.target.authority_name} ({language_name(item.target.language)})",
            choices=[SelectChoice("", choose)]
            + [SelectChoice(form, FORM_LABELS[form]) for form in item.forms],
            validators=[Optional()],
            default="",
        )
        setattr(_Form, holder_field_name(item.target.id), field)
    return _Form(**kwargs)
