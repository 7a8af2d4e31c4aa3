"""The holder of an office: forms of address and the salutation a letter prints for them.

Which forms a language tells apart, and its salutation with the holder's name, are data in
``data/languages.toml`` (``neutral_form``, ``salutation_with_name``); an authority's salutation
may differ by form (``salutation.ru = { male = "…", female = "…" }``). Nothing here names a
person: the holder's name comes from the group that knows it.
"""

from __future__ import annotations

from collections.abc import Mapping

from letterkit.catalogue.model import Authority, Catalogue, Language, Localized
from letterkit.tomldata import LINE_MAX, M_REQUIRED, M_TEXT, Fields

#: The forms of address, in the order forms offer them.
FORMS = ("female", "male", "neutral")
#: The form a salutation defaults to when the holder's form is not known (the shipped texts'
#: historical form); a language without a neutral form asks instead, see ``form_missing``.
DEFAULT_FORMS = ("male", "neutral", "female")
NAME_SLOT = "{name}"


def read_form_texts(r: Fields, key: str, value: object) -> dict[str, str] | None:
    """Read a text that may differ by form: a plain string (the same for every form) or a
    table ``{ female = "…", male = "…", neutral = "…" }``. Returns ``{form: text}`` with a
    plain string under every form, or None (problems recorded on ``r``)."""
    if isinstance(value, str):
        text = r.text(key)
        return dict.fromkeys(FORMS, text) if text is not None else None
    if not isinstance(value, Mapping):
        r.add(key, M_TEXT)
        return None
    before = len(r.problems)
    sub = r.sub(key, value, FORMS)
    forms = {form: sub.text(form, limit=LINE_MAX) for form in FORMS if sub.has(form)}
    texts = {form: text for form, text in forms.items() if text is not None}
    if not texts and len(r.problems) == before:
        r.add(key, M_REQUIRED)
    return texts if len(r.problems) == before else None


def default_text(texts: Mapping[str, str]) -> str:
    """The text used while the holder's form is not known."""
    for form in DEFAULT_FORMS:
        if form in texts:
            return texts[form]
    return next(iter(texts.values()))


def form_missing(language: Language | None, form: str | None) -> bool:
    """True when a letter in ``language`` cannot be addressed without knowing the holder's
    form: the language has no neutral form, and the form is unknown or neutral."""
    if language is None or language.neutral_form:
        return False
    return form not in ("female", "male")


def forms_for(language: Language | None) -> tuple[str, ...]:
    """The forms a holder may be given for a letter in ``language``."""
    if language is None or language.neutral_form:
        return FORMS
    return tuple(form for form in FORMS if form != "neutral")


def salutation_for(
    catalogue: Catalogue,
    authority: Authority,
    lang: str,
    form: str | None = None,
    name: str | None = None,
) -> Localized:
    """The salutation for the holder of ``authority``'s office in a letter in ``lang``.

    With the holder's name (as it stands in the salutation) and a form the language has a
    pattern for, the language's ``salutation_with_name``; otherwise the authority's salutation
    in that form (or its default while the form is unknown).
    """
    language = catalogue.languages.get(lang)
    if name and form and language is not None:
        pattern = language.named_salutation(form)
        if pattern is not None:
            return Localized(pattern.replace(NAME_SLOT, name), lang, lang)
    return authority.salutation(lang, form)
