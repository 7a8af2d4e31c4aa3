"""Letter languages as the interface offers them: named, never as codes, the country's first.

The registry is ``catalogue/data/languages.toml``; the languages offered first for a country
are its ``offered_languages`` (``countries.toml``, ``letter_languages``). No list of language codes
lives in Python: adding a letter language is a matter of data files only
(``letter_templates/README.md``, "Adding a letter language").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from letterkit.catalogue import Authority, Catalogue, get_catalogue


def language_label(code: str, lang: str, catalogue: Catalogue | None = None) -> str:
    """Name the language ``code`` for a reader of ``lang``: "Romanian (română)"."""
    language = (catalogue or get_catalogue()).languages.get(code)
    return language.label(lang) if language is not None else code


def offered_for(authority: Authority | None, catalogue: Catalogue | None = None) -> list[str]:
    """The letter languages offered first for a letter to ``authority``: its own letter
    language, then those its country offers (``Country.offered_languages``)."""
    if authority is None:
        return []
    country = (catalogue or get_catalogue()).countries.get(authority.country)
    offered = country.offered_languages if country is not None else ()
    return list(dict.fromkeys([authority.letter_language, *offered]))


def letter_language_order(
    offered: Sequence[str] = (), available: Collection[str] | None = None
) -> list[str]:
    """The letter languages, ``offered`` ones first, then the others in registry order; only
    those in ``available`` (default: all the registry's languages with templates)."""
    templates = get_catalogue().template_languages
    codes = templates if available is None else [c for c in templates if c in available]
    first = [code for code in dict.fromkeys(offered) if code in codes]
    return first + [code for code in codes if code not in first]


def letter_language_choices(
    lang: str, offered: Sequence[str] = (), available: Collection[str] | None = None
) -> list[tuple[str, str]]:
    """``(code, name)`` choices of letter languages named in ``lang``, ``offered`` ones first."""
    catalogue = get_catalogue()
    return [
        (code, language_label(code, lang, catalogue))
        for code in letter_language_order(offered, available)
    ]
