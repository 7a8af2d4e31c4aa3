"""Countries a signer may come from: ISO 3166-1 codes named by Babel (CLDR) in any language.

The catalogue's countries are the ones letters go to; signers come from anywhere, so their list
is CLDR's. Codes are stored; names are looked up in the language of the page or of the letter.
"""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError

# CLDR regions with two-letter codes that are not countries a person lives in.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)


@functools.cache
def country_codes() -> frozenset[str]:
    """Every country code a signer may choose."""
    names = Locale.parse("en").territories
    return frozenset(
        code for code in names if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@functools.cache
def _names(lang: str) -> dict[str, str]:
    try:
        localised = Locale.parse(lang).territories
    except (UnknownLocaleError, ValueError):
        localised = {}
    english = Locale.parse("en").territories
    return {code: localised.get(code) or english[code] for code in country_codes()}


def country_name(code: str, lang: str) -> str:
    """The country's name in ``lang`` (the code itself when unknown, "" for none)."""
    if not code:
        return ""
    return _names(lang).get(code, code)


@functools.cache
def country_choices(lang: str) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by the name in ``lang``, for a select field."""
    return tuple(sorted(_names(lang).items(), key=lambda item: item[1].casefold()))
