"""No silent mixing: which printed parts of a letter are not in the letter's language.

The catalogue never fails to give a text: asked for a language an entry lacks, it answers with
another (``catalogue.Localized.is_fallback``, see :mod:`letterkit.catalogue.model`). The group's
name, address and signer are printed in the form of the letter's script when the group has it,
else in another (:mod:`letterkit.services.names`). This module lists every such part: the
addressee line, the salutation, each demand, the sender's name and address, the signer's name
and title, each with the language (or script) it prints in instead.

Shared by the compose preview and finalising (which then needs an explicit confirmation), the
campaign page, and ``flask letterkit render`` (a warning on standard error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from letterkit.catalogue import Authority, Catalogue, Demand, Localized
from letterkit.catalogue.holders import salutation_for
from letterkit.catalogue.scripts import SCRIPT_NAMES
from letterkit.markers import N_
from letterkit.models import Group, Letter
from letterkit.services.holders import Holder, holder_for
from letterkit.services.names import Printed, PrintedNames, printed_names

#: Labels of the printed parts (translated where they are shown).
PART_LABELS = {
    "addressee": N_("Addressee line"),
    "salutation": N_("Salutation"),
    "demand": N_("Demand «{title}»"),
    "name": N_("Sender's name"),
    "address": N_("Sender's address"),
    "signer_name": N_("Signer's name"),
    "signer_title": N_("Signer's title"),
}
M_PRINTED_IN = N_("{part}: printed in {language}")
M_CONFIRM_NEEDED = N_(
    "Some parts of this letter are not in its language. Confirm that you want to print them "
    "as they are, or add the missing texts first."
)


@dataclass(frozen=True, slots=True)
class MixedPart:
    """A printed part that is not in the letter's language: ``printed_in`` is the language
    code it prints in instead, or (``by_script``) the ISO 15924 code of its script."""

    part: str
    printed_in: str
    by_script: bool = False
    params: dict[str, str] = field(default_factory=dict)

    def describe(self, gettext: Callable[[str], str], ui_lang: str, catalogue: Catalogue) -> str:
        """The part and what it prints in, in the interface language (``gettext``)."""
        if self.by_script:
            where = gettext(SCRIPT_NAMES.get(self.printed_in, self.printed_in))
        else:
            language = catalogue.languages.get(self.printed_in)
            where = language.name(ui_lang).text if language is not None else self.printed_in
        part = gettext(PART_LABELS[self.part]).format(**self.params)
        return gettext(M_PRINTED_IN).format(part=part, language=where)


def _texts(parts: Iterable[tuple[str, Localized, dict[str, str]]]) -> list[MixedPart]:
    return [
        MixedPart(key, text.lang, params=params)
        for key, text, params in parts
        if text.is_fallback and text.text
    ]


def catalogue_parts(
    authority: Authority, lang: str, salutation: Localized, demands: Sequence[Demand]
) -> list[MixedPart]:
    """The catalogue's parts of a letter in ``lang`` that print in another language."""
    parts: list[tuple[str, Localized, dict[str, str]]] = [
        ("addressee", authority.addressee(lang), {}),
        ("salutation", salutation, {}),
    ]
    for demand in demands:
        text = demand.text(lang)
        title = demand.title(lang)
        worst = text if text.is_fallback else title
        parts.append(("demand", worst, {"title": title.text}))
    return _texts(parts)


def name_parts(names: PrintedNames, signer: Sequence[Printed] | None = None) -> list[MixedPart]:
    """The group's details that print in another script than the letter's. ``signer`` is the
    letter's own signer (name, title) when it has one, instead of the group's usual one."""
    printed = [names.name, names.address, *(signer or (names.signer_name, names.signer_title))]
    return [
        MixedPart(p.field, p.script or "", by_script=True) for p in printed if p.mixed(names.wanted)
    ]


def mixed_parts(
    letter: Letter, group: Group, catalogue: Catalogue, holder: Holder | None = None
) -> list[MixedPart]:
    """Every printed part of ``letter`` that is not in its language (see the module)."""
    authority = catalogue.authorities.get(letter.authority_slug)
    parts: list[MixedPart] = []
    if authority is not None:
        holder = holder or holder_for(group.id, letter.authority_slug, letter.language)
        salutation = salutation_for(
            catalogue, authority, letter.language, holder.form, holder.salutation_name
        )
        demands = [catalogue.demands[s] for s in letter.demand_slugs if s in catalogue.demands]
        parts.extend(catalogue_parts(authority, letter.language, salutation, demands))
    own = None
    if letter.signer_name:
        own = [
            Printed("signer_name", letter.signer_name),
            Printed("signer_title", letter.signer_title),
        ]
    parts.extend(name_parts(printed_names(group, letter.language, catalogue), own))
    return parts


def describe_all(
    parts: Sequence[MixedPart], gettext: Callable[[str], str], ui_lang: str, catalogue: Catalogue
) -> list[str]:
    """Each part described in the interface language."""
    return [part.describe(gettext, ui_lang, catalogue) for part in parts]


def as_params(parts: Sequence[MixedPart]) -> dict[str, Any]:
    """The parts as audit-log parameters (codes only, no personal data)."""
    return {"mixed_parts": [f"{p.part}:{p.printed_in}" for p in parts]}
