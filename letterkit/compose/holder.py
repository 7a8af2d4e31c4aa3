"""The holder of the letter's office: asked on the preview step where the letter's language
cannot address an office without knowing the holder's form (ru, uk), remembered for the group."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from letterkit.catalogue.holders import forms_for
from letterkit.core.access import current_group, get_in_group_or_404, member_required
from letterkit.core.validators import NoControlCharacters, SingleLine, strip
from letterkit.models import HolderForm, Letter
from letterkit.services import holders
from letterkit.services.catalogue import group_catalogue

FORM_LABELS = {
    "female": _l("A woman (e.g. «Уважаемая госпожа Министр!»)"),
    "male": _l("A man (e.g. «Уважаемый господин Министр!»)"),
    "neutral": _l("Neutral (the same salutation for everybody)"),
}


class OfficeHolderForm(FlaskForm):
    """Who holds the office the letter goes to, and how they are addressed."""

    form_of_address = SelectField(_l("The office is held by"))
    addressee_name = StringField(
        _l("Name as printed under the addressee line (optional)"),
        description=_l("As it stands in the addressee block, e.g. «М. А. Мурашко»."),
        validators=[Optional(), Length(max=holders.NAME_MAX), NoControlCharacters(), SingleLine()],
        filters=[strip],
    )
    salutation_name = StringField(
        _l("Name in the salutation (optional)"),
        description=_l(
            "As it stands after «Уважаемый …» / «Шановний …», e.g. «Михаил Альбертович»; "
            "in Ukrainian in the vocative («Ірино Петрівно»). Empty: the office is addressed."
        ),
        validators=[Optional(), Length(max=holders.NAME_MAX), NoControlCharacters(), SingleLine()],
        filters=[strip],
    )

    def set_choices(self, lang: str) -> None:
        """Offer the forms the letter's language has (no neutral one in ru, uk)."""
        language = group_catalogue(current_group().id).languages.get(lang)
        forms = forms_for(language)
        self.form_of_address.choices = [("", _("Choose…"))] + [
            (form, str(FORM_LABELS[form])) for form in forms
        ]
        self.form_of_address.validators = [
            DataRequired(_("Choose how the holder of the office is addressed.")),
            AnyOf(forms),
        ]


def holder_form(letter: Letter, **kwargs: Any) -> OfficeHolderForm:
    """The form, filled in with what the group recorded for the letter's authority."""
    known = holders.holder_for(current_group().id, letter.authority_slug, letter.language)
    data = {
        "form_of_address": known.form or "",
        "addressee_name": known.addressee_name,
        "salutation_name": known.salutation_name,
    }
    form = OfficeHolderForm(data=data, **kwargs)
    form.set_choices(letter.language)
    return form


def holder_helpers() -> dict[str, Any]:
    """Give the compose templates ``holder_box(letter)``: the form and whether it is needed."""

    def holder_box(letter: Letter) -> dict[str, Any]:
        known = holders.holder_for(current_group().id, letter.authority_slug, letter.language)
        return {
            "form": holder_form(letter),
            "needed": holders.form_needed(known, letter.language),
            "known": known,
        }

    return {"holder_box": holder_box}


@member_required
def record_holder(letter_id: int) -> Response:
    """Remember who holds the letter's office and how they are addressed, for the group."""
    letter = get_in_group_or_404(Letter, letter_id)
    if letter.is_final:
        flash(_("This letter is final and cannot be changed. Duplicate it instead."), "error")
        return redirect(url_for("compose.letter", letter_id=letter.id))
    form = holder_form(letter)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("compose.step_preview", letter_id=letter.id))
    holders.remember_holder(
        current_group(),
        letter.authority_slug,
        letter.language,
        form=HolderForm(form.form_of_address.data),
        addressee_name=form.addressee_name.data or "",
        salutation_name=form.salutation_name.data or "",
        actor=current_user,
    )
    flash(_("Saved for your group: the next letters to this office use it too."), "success")
    return redirect(url_for("compose.step_preview", letter_id=letter.id))
