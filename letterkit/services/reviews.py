"""Honest translations: which texts of a letter no native speaker has reviewed yet.

Each language's wording carries a review status (``letterkit.tomldata.Review``): a letter
template's in its ``template.toml`` (``[review]``), an authority's addressee line and salutation
and a demand's text in their catalogue entries (``review``). The seeds' English is the
``original``; every other text is a ``draft`` until a native speaker reviews it on a date.
Nothing shipped is reviewed. The preview and finalising say which texts of a letter are
drafts, in the interface language. A group's own entries are its own wording: not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from letterkit import documents
from letterkit.catalogue import Catalogue
from letterkit.models import Letter


@dataclass(frozen=True)
class Unreviewed:
    """The texts of one letter, in its language, that no native speaker has reviewed."""

    language: str
    #: The template's wording in the letter's language.
    template: bool
    #: The addressee line and salutation of the (shipped) authority.
    addressee: bool
    #: How many of the letter's (shipped) demands, printed in its language.
    demands: int

    def __bool__(self) -> bool:
        return self.template or self.addressee or self.demands > 0


def unreviewed(
    catalogue: Catalogue,
    *,
    template: str,
    language: str,
    authority_slug: str | None,
    demand_slugs: Sequence[str],
) -> Unreviewed:
    """Which texts of a letter (template, language, addressee, demands) are not reviewed."""
    library = documents.default_library()
    spec = library.get(template) if template in {s.slug for s in library.all()} else None
    authority = catalogue.authorities.get(authority_slug or "")
    addressee = (
        authority is not None
        and authority.origin == "shipped"
        and not authority.addressee(language).is_fallback
        and not authority.review(language).is_reviewed
    )
    demands = 0
    for slug in demand_slugs:
        demand = catalogue.demands.get(slug)
        if (
            demand is not None
            and demand.origin == "shipped"
            and not demand.text(language).is_fallback
            and not demand.review(language).is_reviewed
        ):
            demands += 1
    return Unreviewed(
        language=language,
        template=spec is not None and not spec.review(language).is_reviewed,
        addressee=addressee,
        demands=demands,
    )


def of_letter(catalogue: Catalogue, letter: Letter) -> Unreviewed:
    """Which texts of ``letter`` are not reviewed (``catalogue``: its group's catalogue)."""
    return unreviewed(
        catalogue,
        template=letter.template,
        language=letter.language,
        authority_slug=letter.authority_slug,
        demand_slugs=letter.demand_slugs,
    )


def describe(
    found: Unreviewed,
    language_name: str,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> str | None:
    """Say, in the interface language, which texts are not reviewed (None when all are)."""
    if not found:
        return None
    parts = []
    if found.template:
        parts.append(gettext("the wording of the letter template"))
    if found.addressee:
        parts.append(gettext("the addressee line and salutation"))
    if found.demands:
        parts.append(
            ngettext("%(num)d demand", "%(num)d demands", found.demands) % {"num": found.demands}
        )
    return gettext(
        "Not yet reviewed by a native speaker of %(language)s: %(parts)s. These are draft "
        "texts: have them checked before you send the letter."
    ) % {"language": language_name, "parts": ", ".join(parts)}
