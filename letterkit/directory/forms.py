"""Forms for a group's own authorities, demands and demand sets."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from letterkit.catalogue import AUTHORITY_KINDS, ORIGINAL_LANGUAGE, Catalogue, get_catalogue
from letterkit.config import letter_languages
from letterkit.core.i18n import language_name
from letterkit.core.validators import NoControlCharacters, SingleLine, strip

TEXT_LIMIT = 4000


def _line(label: Any, max_length: int = 300, required: bool = False) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired() if required else Optional(),
            Length(max=max_length),
            NoControlCharacters(),
            SingleLine(),
        ],
        filters=[strip],
    )


def _text(label: Any, max_length: int = TEXT_LIMIT) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=max_length), NoControlCharacters()],
        filters=[strip],
    )


def country_choices(catalogue: Catalogue, lang: str, blank: bool = False) -> list[tuple[str, str]]:
    """Countries sorted by their name in the interface language."""
    choices = sorted(
        ((code, c.name(lang).text) for code, c in catalogue.countries.items()),
        key=lambda item: item[1],
    )
    return ([("", _("— none —"))] if blank else []) + choices


def language_choices(catalogue: Catalogue, lang: str) -> list[tuple[str, str]]:
    """Languages a name may be written in."""
    return sorted(
        ((code, language.label(lang)) for code, language in catalogue.languages.items()),
        key=lambda item: item[1],
    )


def required_languages() -> tuple[str, ...]:
    """The languages every catalogue title is given in (``catalogue_required`` in the registry)."""
    return tuple(
        code for code, lang in get_catalogue().languages.items() if lang.catalogue_required
    )


def _label(form: FlaskForm, names: dict[str, str], codes: tuple[str, ...]) -> None:
    """Name each per-language field by its language: ``names`` maps a field prefix to a label
    pattern with ``{language}`` (the language named in the interface language)."""
    for code in codes:
        for prefix, pattern in names.items():
            getattr(form, f"{prefix}_{code}").label.text = pattern.format(
                language=language_name(code)
            )


class AuthorityForm(FlaskForm):
    """An authority: what a letter needs to address it, and how to reach it."""

    country = SelectField(_l("Country whose law applies"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    language = SelectField(_l("Language of the name"), validators=[DataRequired()])
    name = _line(_l("Official name"), 300, required=True)
    name_en = _line(_l("Name in English"), 300)
    host_country = SelectField(_l("Country where it sits, if abroad"), validators=[Optional()])
    city = _line(_l("City"), 120)
    post = _text(_l("Postal address"), 600)
    email = _line(_l("E-mail"), 254)
    portal = _line(_l("Online portal"), 300)
    phone = _line(_l("Telephone"), 64)
    verified = BooleanField(_l("Checked against an official source"))
    source = _line(_l("Source of the check"), 500)
    note = _text(_l("Note"), 1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(
            self,
            {
                "addressee": _("Addressee line in letters in {language}"),
                "salutation": _("Salutation in letters in {language}"),
            },
            letter_languages(),
        )

    def set_choices(self, catalogue: Catalogue, lang: str) -> None:
        # No country, kind or language is preselected: the first in the list would be a guess.
        choose = [("", _("— choose —"))]
        self.country.choices = choose + country_choices(catalogue, lang)
        self.host_country.choices = country_choices(catalogue, lang, blank=True)
        self.kind.choices = choose + [(key, _(label)) for key, label in AUTHORITY_KINDS.items()]
        self.language.choices = choose + language_choices(catalogue, lang)

    def letter_pairs(self) -> list[tuple[str, Field, Field]]:
        """(language, addressee field, salutation field) for each letter language."""
        return [
            (code, getattr(self, f"addressee_{code}"), getattr(self, f"salutation_{code}"))
            for code in letter_languages()
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not any(a.data and s.data for _code, a, s in self.letter_pairs()):
            self.letter_pairs()[0][1].errors.append(
                _("Give the addressee line and the salutation in at least one letter language.")
            )
            ok = False
        for _code, addressee, salutation in self.letter_pairs():
            if bool(addressee.data) != bool(salutation.data):
                missing = salutation if addressee.data else addressee
                missing.errors.append(_("Fill in both the addressee line and the salutation."))
                ok = False
        if self.verified.data and not self.source.data:
            self.source.errors.append(_("Say where the entry was checked."))
            ok = False
        return ok


class DemandForm(FlaskForm):
    """A demand in one or more letter languages."""

    rationale = _text(_l("Why (rationale)"))
    sources = _text(_l("Sources, one per line (e.g. WHO, UNODC, UNAIDS guidance)"), 2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(self, {"title": _("Short title"), "text": _("Text")}, letter_languages())

    def language_fields(self) -> list[tuple[str, str, Field, Field]]:
        """(language, its name, title field, text field) for each letter language."""
        return [
            (
                code,
                language_name(code),
                getattr(self, f"title_{code}"),
                getattr(self, f"text_{code}"),
            )
            for code in letter_languages()
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        filled = [c for c in letter_languages() if getattr(self, f"text_{c}").data]
        if not filled:
            self.language_fields()[0][3].errors.append(
                _("Write the demand in at least one language.")
            )
            ok = False
        for code in letter_languages():
            title, text = getattr(self, f"title_{code}"), getattr(self, f"text_{code}")
            if bool(title.data) != bool(text.data):
                (text if title.data else title).errors.append(
                    _("Fill in both the title and the text in this language.")
                )
                ok = False
        return ok


class DemandSetForm(FlaskForm):
    """A set of demands in order. The demands come from the request (checkboxes and positions)."""

    description = _text(_l("Description"), 2000)
    country = SelectField(_l("Country it is meant for"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label(self, {"title": _("Title in {language}")}, required_languages())

    def title_fields(self) -> list[tuple[str, Field]]:
        """(language, title field) for each language every catalogue title is given in."""
        return [(code, getattr(self, f"title_{code}")) for code in required_languages()]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        titles = self.title_fields()
        if not any(field.data for _code, field in titles):
            titles[0][1].errors.append(_("Give the set a title."))
            ok = False
        return ok


# Per-language fields, one pair for each language of the registry (labelled per request).
for _code in get_catalogue().template_languages:
    setattr(AuthorityForm, f"addressee_{_code}", _text("", 600))
    setattr(AuthorityForm, f"salutation_{_code}", _line("", 200))
    setattr(DemandForm, f"title_{_code}", _line("", 200))
    setattr(DemandForm, f"text_{_code}", _text(""))
for _code, _language in get_catalogue().languages.items():
    if _language.catalogue_required:
        setattr(DemandSetForm, f"title_{_code}", _line("", 200))


# --- between forms and catalogue entries ------------------------------------------------------


def authority_form_data(entry: dict[str, Any]) -> dict[str, Any]:
    """The form's values for an authority entry (in the shape of the catalogue files)."""
    names = entry.get("name", {})
    language = entry.get("language") or entry.get("letter_language") or next(iter(names), "en")
    if language not in names:
        language = next(iter(names), "en")
    data: dict[str, Any] = {
        "country": entry.get("country"),
        "kind": entry.get("kind"),
        "language": language,
        "name": names.get(language, ""),
        "name_en": names.get("en", "") if language != "en" else "",
        "host_country": entry.get("host_country") or "",
        "city": entry.get("city", ""),
        "verified": entry.get("verified", False),
        "source": entry.get("source", ""),
        "note": entry.get("note", ""),
    }
    for code in letter_languages():
        data[f"addressee_{code}"] = entry.get("addressee", {}).get(code, "")
        data[f"salutation_{code}"] = entry.get("salutation", {}).get(code, "")
    for contact in entry.get("contacts", []):
        if contact["kind"] in {"post", "email", "portal", "phone"}:
            data.setdefault(contact["kind"], contact["value"])
    return data


def authority_entry_from(form: AuthorityForm, base: dict[str, Any] | None) -> dict[str, Any]:
    """The authority entry the form describes, on top of ``base`` (the entry it changes)."""
    entry: dict[str, Any] = dict(base or {})
    names = dict(entry.get("name", {}))
    names[form.language.data] = form.name.data
    if form.name_en.data:
        names[ORIGINAL_LANGUAGE] = form.name_en.data
    codes = letter_languages()
    addressees = {k: v for k, v in entry.get("addressee", {}).items() if k not in codes}
    salutations = {k: v for k, v in entry.get("salutation", {}).items() if k not in codes}
    for code, addressee, salutation in form.letter_pairs():
        if addressee.data and salutation.data:
            addressees[code] = addressee.data
            salutations[code] = salutation.data
    kept = [
        c
        for c in entry.get("contacts", [])
        if c["kind"] not in {"post", "email", "portal", "phone"}
    ]
    contacts = [
        {"kind": kind, "value": getattr(form, kind).data, "verified": False}
        for kind in ("post", "email", "portal", "phone")
        if getattr(form, kind).data
    ]
    entry.update(
        country=form.country.data,
        kind=form.kind.data,
        language=form.language.data,
        name=names,
        addressee=addressees,
        salutation=salutations,
        contacts=kept + contacts,
        verified=bool(form.verified.data),
    )
    for key in ("host_country", "city", "source", "note"):
        value = getattr(form, key).data
        if value:
            entry[key] = value
        else:
            entry.pop(key, None)
    return entry


def demand_form_data(entry: dict[str, Any], lang: str) -> dict[str, Any]:
    """The form's values for a demand entry; the rationale in ``lang`` where there is one."""
    data: dict[str, Any] = {}
    for code in letter_languages():
        data[f"title_{code}"] = entry.get("title", {}).get(code, "")
        data[f"text_{code}"] = entry.get("text", {}).get(code, "")
    rationale = entry.get("rationale", {})
    data["rationale"] = (
        rationale.get(lang)
        or rationale.get(ORIGINAL_LANGUAGE)
        or next(iter(rationale.values()), "")
    )
    data["sources"] = "\n".join(
        " — ".join(filter(None, (s.get("name") or s.get("ref"), s.get("note"))))
        for s in entry.get("sources", [])
    )
    return data


def demand_entry_from(form: DemandForm, base: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """The demand entry the form describes, on top of ``base``; ``lang`` is the interface's."""
    entry: dict[str, Any] = dict(base or {})
    codes = letter_languages()
    titles = {k: v for k, v in entry.get("title", {}).items() if k not in codes}
    texts = {k: v for k, v in entry.get("text", {}).items() if k not in codes}
    for code in codes:
        if getattr(form, f"text_{code}").data:
            titles[code] = getattr(form, f"title_{code}").data
            texts[code] = getattr(form, f"text_{code}").data
    entry.update(title=titles, text=texts)
    entry["language"] = next((c for c in (lang, *codes) if c in texts), ORIGINAL_LANGUAGE)
    if form.rationale.data:
        rationale = dict(entry.get("rationale", {}))
        rationale[
            entry["language"] if entry["language"] in rationale or not rationale else lang
        ] = form.rationale.data
        entry["rationale"] = rationale
    else:
        entry.pop("rationale", None)
    lines = [line.strip() for line in (form.sources.data or "").splitlines() if line.strip()]
    if lines:
        entry["sources"] = [{"name": line[:300]} for line in lines]
    else:
        entry.pop("sources", None)
    entry.pop("quote", None)
    return entry
